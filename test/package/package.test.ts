// The npm package as a user gets it: `npm pack`, installed into a fresh project, run through npx, imported from ESM
// and CommonJS with types for both, and stopped by SIGTERM sent to npx (no Redis counterpart).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../helpers/redis-server.js';
import { REPO, alive, npmAvailable, npmInstall, packTarball, packedFiles, pingOnce, run, tempProject, waitFor } from './helpers.js';

let proj: { dir: string; cleanup: () => void } | null = null;
let skipReason: string | null = null;

before(async () => {
  if (!npmAvailable()) {
    skipReason = 'npm is not installed';
    return;
  }
  const tgz = await packTarball();
  proj = tempProject();
  skipReason = await npmInstall(proj.dir, [tgz]);
});
after(() => proj?.cleanup());

test('the tarball ships the built code, the engine, LICENSE and README, and no sources or tests', async t => {
  if (!npmAvailable()) return t.skip('npm is not installed');
  const files = await packedFiles();
  for (const f of ['package.json', 'LICENSE', 'README.md', 'wasm/redlua.wasm', 'wasm/exports.txt', 'dist/bundle/index.js', 'dist/bundle/index.cjs', 'dist/bundle/cli.js', 'dist/bundle/ping.cjs', 'dist/bundle/check.js', 'dist/bundle/check.cjs', 'dist/bundle/table.json', 'dist/src/index.d.ts', 'dist/src/index.d.cts']) {
    assert.ok(files.includes(f), `${f} is missing from the package`);
  }
  // no sources, tests or unbundled code: only the bundle runs, dist/src contributes its declarations
  const stray = files.filter(f => /^(src|test|bench|native|scripts|dist\/test|dist\/bench)\//.test(f) || (f.startsWith('dist/src/') && !/\.d\.c?ts$/.test(f)));
  assert.deepEqual(stray, []);
  // every file the bundle imports at run time is in the package
  const bundle = files.filter(f => f.startsWith('dist/bundle/') && f.endsWith('.js'));
  for (const f of bundle) {
    for (const [, rel] of fs.readFileSync(path.join(REPO, f), 'utf8').matchAll(/(?:from|import\() *"(\.\/[^"]+)"/g)) {
      assert.ok(files.includes(path.posix.join('dist/bundle', rel)), `${f} imports ${rel}, which is not in the package`);
    }
  }
});

test('package.json runs no build on install and depends only on what the code imports', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    license: string;
  };
  for (const s of ['prepare', 'preinstall', 'install', 'postinstall']) assert.equal(pkg.scripts[s], undefined, `scripts.${s}`);
  assert.equal(pkg.license, 'MIT');
  assert.match(fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) \d{4} the redlua authors\n/);
  // every runtime dependency is loaded by some file under src/
  const sources = fs.readdirSync(path.join(REPO, 'src'), { recursive: true, encoding: 'utf8' }).filter(f => /\.c?ts$/.test(f));
  const text = sources.map(f => fs.readFileSync(path.join(REPO, 'src', f), 'utf8')).join('\n');
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    assert.ok(text.includes(`'${dep}'`) || text.includes(`"${dep}"`), `dependency ${dep} is imported nowhere in src/`);
  }
});

test('npx redlua-server serves PING and stops when npx gets SIGTERM', async t => {
  if (skipReason) return t.skip(`cannot install the tarball: ${skipReason}`);
  const port = await freePort();
  const pidfile = path.join(proj!.dir, 'server.pid');
  const npx = spawn('npx', ['--no-install', 'redlua-server', '--port', String(port), '--pidfile', pidfile], { cwd: proj!.dir, stdio: 'ignore' });
  let serverPid = 0;
  try {
    await waitFor('the first PONG', () => pingOnce(port));
    serverPid = Number(fs.readFileSync(pidfile, 'utf8'));
    assert.ok(serverPid > 0 && serverPid !== npx.pid, 'the server runs in its own node process under npx');
    const npxExit = new Promise(r => npx.once('exit', r));
    npx.kill('SIGTERM');
    await npxExit;
    await waitFor('the server process to exit', () => !alive(serverPid));
    assert.equal(await pingOnce(port), false);
    assert.equal(fs.existsSync(pidfile), false, 'a graceful shutdown removes the pid file');
  } finally {
    npx.kill('SIGKILL');
    if (serverPid && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
  }
});

test('npx redlua check, from the installed package, reports a script Redis would refuse with exit status 1', async t => {
  if (skipReason) return t.skip(`cannot install the tarball: ${skipReason}`);
  fs.writeFileSync(path.join(proj!.dir, 'good.lua'), "return redis.call('PING')\n");
  fs.writeFileSync(path.join(proj!.dir, 'bad.lua'), 'return x +\n');
  const good = await run('npx', ['--no-install', 'redlua', 'check', '--json', 'good.lua'], { cwd: proj!.dir, timeoutMs: 60_000 });
  assert.equal(good.status, 0, good.stderr);
  const bad = await run('npx', ['--no-install', 'redlua', 'check', 'bad.lua'], { cwd: proj!.dir, timeoutMs: 60_000 });
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout + bad.stderr, /bad\.lua/);
});

test('import from an ES module and require from CommonJS both start a server', async t => {
  if (skipReason) return t.skip(`cannot install the tarball: ${skipReason}`);
  const body = `const srv = await startServer();
const net = require_net();
const pong = await new Promise(res => { const s = net.connect(srv.port, srv.host, () => s.write('PING\\r\\n')); s.on('data', d => { s.destroy(); res(String(d)); }); });
await srv.close();
console.log(JSON.stringify({ pong, version: REDLUA_VERSION, server: typeof Server }));`;
  const esm = `import { startServer, REDLUA_VERSION, Server } from 'redlua';\nimport netMod from 'node:net';\nconst require_net = () => netMod;\n${body}`;
  const cjs = `const { startServer, REDLUA_VERSION, Server } = require('redlua');\nconst require_net = () => require('node:net');\n(async () => {\n${body}\n})();`;
  fs.writeFileSync(path.join(proj!.dir, 'esm.mjs'), esm);
  fs.writeFileSync(path.join(proj!.dir, 'cjs.cjs'), cjs);
  for (const file of ['esm.mjs', 'cjs.cjs']) {
    const r = await run(process.execPath, [file], { cwd: proj!.dir, timeoutMs: 60_000 });
    assert.equal(r.status, 0, `${file}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /Warning/, `${file} prints no warning`);
    const out = JSON.parse(r.stdout) as { pong: string; version: string; server: string };
    assert.deepEqual(out, { pong: '+PONG\r\n', version: JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version, server: 'function' });
  }
});

test('the types resolve from an ES module and from CommonJS (moduleResolution nodenext)', async t => {
  if (skipReason) return t.skip(`cannot install the tarball: ${skipReason}`);
  const use = `const srv: RunningServer = await startServer({ port: 0, config: { databases: 4 } });\nconst url: string = srv.url;\nawait srv.close();\nvoid url;\n`;
  fs.writeFileSync(path.join(proj!.dir, 'use.mts'), `import { startServer, type RunningServer } from 'redlua';\n${use}export {};\n`);
  fs.writeFileSync(path.join(proj!.dir, 'use.cts'), `import redlua = require('redlua');\ntype RunningServer = redlua.RunningServer;\nasync function main(): Promise<void> {\n${use.replace('startServer(', 'redlua.startServer(')}}\nvoid main();\n`);
  fs.writeFileSync(path.join(proj!.dir, 'bad.mts'), `import { startServer } from 'redlua';\nawait startServer({ port: 'six' });\nexport {};\n`);
  const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
  const common = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--typeRoots', path.join(REPO, 'node_modules/@types'), '--types', 'node'];
  const good = await run(process.execPath, [tsc, ...common, 'use.mts', 'use.cts'], { cwd: proj!.dir, timeoutMs: 120_000 });
  assert.equal(good.status, 0, good.stdout + good.stderr);
  // the check can fail: a wrong option type is reported through the package's own declarations
  const bad = await run(process.execPath, [tsc, ...common, 'bad.mts'], { cwd: proj!.dir, timeoutMs: 120_000 });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout, /bad\.mts[^]*not assignable to type 'number'/);
});
