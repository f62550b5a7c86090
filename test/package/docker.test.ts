// The CI service image, as far as a machine without Docker allows: the Dockerfile linted (pinned base image,
// non-root, EXPOSE 6379, exec-form HEALTHCHECK/ENTRYPOINT/CMD, only copies what .dockerignore lets in), and its
// entrypoint and health check run as plain processes (redis:7's image: docker-entrypoint.sh, protected mode off).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/redis-server.js';
import { RawConn } from '../helpers/conn.js';
import { REPO, alive, pingOnce, run, waitFor } from './helpers.js';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions, with continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let cur = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!cur && (line === '' || line.startsWith('#'))) continue;
    cur += (cur ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) continue;
    const m = /^(\w+)\s+(.*)$/.exec(cur);
    assert.ok(m, `not an instruction: ${cur}`);
    out.push({ op: m[1].toUpperCase(), args: m[2] });
    cur = '';
  }
  return out;
}

const dockerfile = parseDockerfile(fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8'));
/** the instructions of the last stage (the image that runs) */
const finalStage = dockerfile.slice(dockerfile.map(i => i.op).lastIndexOf('FROM'));

test('Dockerfile: every base image is a slim Node image pinned by its full version tag', () => {
  const froms = dockerfile.filter(i => i.op === 'FROM');
  assert.ok(froms.length >= 1);
  for (const f of froms) assert.match(f.args.split(/\s+/)[0], /^node:\d+\.\d+\.\d+-[a-z]+-slim$/, f.args);
});

test('Dockerfile: the image runs as a non-root user, exposes 6379 and declares exec-form commands', () => {
  const users = finalStage.filter(i => i.op === 'USER');
  assert.ok(users.length >= 1, 'a USER instruction');
  assert.doesNotMatch(users.at(-1)!.args, /^(root|0)(:|$)/);
  assert.ok(finalStage.some(i => i.op === 'EXPOSE' && i.args.split(/\s+/).includes('6379')));
  for (const op of ['ENTRYPOINT', 'CMD']) {
    const ins = finalStage.filter(i => i.op === op);
    assert.equal(ins.length, 1, op);
    assert.ok(Array.isArray(JSON.parse(ins[0].args)), `${op} in exec form`);
  }
  const hc = finalStage.filter(i => i.op === 'HEALTHCHECK');
  assert.equal(hc.length, 1);
  const cmd = /\bCMD\s+(\[.*\])$/.exec(hc[0].args);
  assert.ok(cmd, 'HEALTHCHECK CMD in exec form');
  assert.deepEqual(JSON.parse(cmd[1]), ['redlua-server', '--ping'], 'the health check needs no redis-cli');
  assert.deepEqual(JSON.parse(finalStage.find(i => i.op === 'CMD')!.args), ['redlua-server']);
});

test('Dockerfile: every COPY source exists and is let into the build context by .dockerignore', () => {
  const ignore = fs.readFileSync(path.join(REPO, '.dockerignore'), 'utf8').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
  assert.equal(ignore[0], '*', '.dockerignore starts from nothing and lists what the build needs');
  const allowed = ignore.slice(1).map(l => {
    assert.ok(l.startsWith('!'), l);
    return l.slice(1).replace(/\/$/, '');
  });
  const copies = dockerfile.filter(i => i.op === 'COPY' && !i.args.startsWith('--from'));
  assert.ok(copies.length > 0);
  for (const c of copies) {
    const parts = c.args.split(/\s+/).filter(p => !p.startsWith('--'));
    for (const src of parts.slice(0, -1)) {
      assert.ok(fs.existsSync(path.join(REPO, src)), `${src} exists`);
      assert.ok(allowed.includes(src) || allowed.includes(src.split('/')[0]), `${src} is in the build context`);
    }
  }
});

/** A directory with a `redlua-server` on it that runs this checkout's CLI, as the image's global install does. */
function fakeInstall(): { bin: string; conf: string; data: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-image-'));
  const bin = path.join(root, 'bin');
  const data = path.join(root, 'data');
  fs.mkdirSync(bin);
  fs.mkdirSync(data);
  const exe = path.join(bin, 'redlua-server');
  fs.writeFileSync(exe, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(REPO, 'dist/bundle/cli.js'))} "$@"\n`);
  fs.chmodSync(exe, 0o755);
  // the image's defaults, with the data directory moved to a temporary one
  const conf = path.join(root, 'redlua.conf');
  fs.writeFileSync(conf, fs.readFileSync(path.join(REPO, 'docker/redlua.conf'), 'utf8').replace(/^dir \/data$/m, `dir ${data}`));
  return { bin, conf, data, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

function entrypoint(inst: ReturnType<typeof fakeInstall>, args: string[]): ChildProcess {
  return spawn('sh', [path.join(REPO, 'docker/entrypoint.sh'), ...args], {
    env: { ...process.env, PATH: `${inst.bin}:${process.env.PATH}`, REDLUA_IMAGE_CONF: inst.conf },
    stdio: 'ignore',
    cwd: inst.data,
  });
}

/** CONFIG GET's value for one parameter, from the raw reply (*2 $name $value). */
async function configGet(port: number, name: string, auth?: string): Promise<string> {
  const c = await RawConn.connect(port);
  try {
    if (auth) assert.equal(String(await c.call(['AUTH', auth])), '+OK\r\n');
    const raw = String(await c.call(['CONFIG', 'GET', name]));
    const m = /^\*2\r\n\$\d+\r\n[^\r]*\r\n\$\d+\r\n([^\r]*)\r\n$/.exec(raw);
    assert.ok(m, raw);
    return m[1];
  } finally {
    c.close();
  }
}

async function stopBySigterm(p: ChildProcess, port: number): Promise<void> {
  const exited = new Promise<number | null>(r => p.once('exit', code => r(code)));
  p.kill('SIGTERM');
  assert.equal(await exited, 0, 'SIGTERM stops the server gracefully (exit 0): the entrypoint exec()s it');
  assert.equal(await pingOnce(port), false);
}

test('entrypoint: options only, protected mode off by default, health check passes, SIGTERM stops it', async () => {
  const inst = fakeInstall();
  const port = await freePort();
  const p = entrypoint(inst, ['--port', String(port)]);
  try {
    await waitFor('PONG', () => pingOnce(port));
    assert.equal(await configGet(port, 'protected-mode'), 'no');
    const hc = await run(path.join(inst.bin, 'redlua-server'), ['--ping', '--port', String(port)]);
    assert.equal(hc.status, 0, hc.stderr);
    assert.equal(hc.stdout, 'PONG\n');
    await stopBySigterm(p, port);
  } finally {
    if (p.pid && alive(p.pid)) p.kill('SIGKILL');
    inst.cleanup();
  }
});

test('entrypoint: a mounted redis.conf overrides the image defaults, and arguments override the file', async () => {
  const inst = fakeInstall();
  const port = await freePort();
  const conf = path.join(inst.data, 'redis.conf');
  fs.writeFileSync(conf, `port ${port}\nprotected-mode yes\ndatabases 4\nrequirepass s3cret\n`);
  const p = entrypoint(inst, ['redlua-server', conf, '--databases', '7']);
  try {
    const pass = ['--pass', 's3cret', '--port', String(port)];
    await waitFor('the health check', async () => (await run(path.join(inst.bin, 'redlua-server'), ['--ping', ...pass])).status === 0);
    assert.equal(await configGet(port, 'databases', 's3cret'), '7');
    assert.equal(await configGet(port, 'protected-mode', 's3cret'), 'yes');
    // the health check fails without the password (NOAUTH) and with a wrong one
    const noauth = await run(path.join(inst.bin, 'redlua-server'), ['--ping', '--port', String(port)], { env: { ...process.env, REDISCLI_AUTH: '' } });
    assert.equal(noauth.status, 1);
    assert.match(noauth.stdout, /^-NOAUTH /);
    const wrong = await run(path.join(inst.bin, 'redlua-server'), ['--ping', '--pass', 'nope', '--port', String(port)]);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stdout, /^-WRONGPASS /);
    await stopBySigterm(p, port);
  } finally {
    if (p.pid && alive(p.pid)) p.kill('SIGKILL');
    inst.cleanup();
  }
});

test('entrypoint: a config file that does not exist is fatal, as in redis-server', async () => {
  const inst = fakeInstall();
  try {
    const r = await run('sh', [path.join(REPO, 'docker/entrypoint.sh'), '/nonexistent/redis.conf'], {
      env: { ...process.env, PATH: `${inst.bin}:${process.env.PATH}`, REDLUA_IMAGE_CONF: inst.conf },
    });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /Fatal error, can't open config file '\/nonexistent\/redis.conf': No such file or directory/);
  } finally {
    inst.cleanup();
  }
});

test('redlua-server --ping fails when nothing listens and rejects unknown options', async () => {
  const port = await freePort();
  const cli = path.join(REPO, 'dist/bundle/cli.js');
  const down = await run(process.execPath, [cli, '--ping', '--port', String(port)]);
  assert.equal(down.status, 1);
  assert.match(down.stdout, /ECONNREFUSED/);
  const bad = await run(process.execPath, [cli, '--ping', '--bogus', 'x']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option --bogus/);
});
