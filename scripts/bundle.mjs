// Bundles the compiled code (dist/src, from tsc) into dist/bundle, the package's entry points, so that starting
// redlua loads one script instead of ~75 ES modules, compiled from V8's code cache when there is one:
//   index.cjs / cli.cjs   the whole program as CommonJS bundles (esbuild); ping.cjs, the health check alone
//   load.cjs              runs a bundle through vm.Script with the code cache <bundle>.<node>-<arch>.cache
//   index.js, cli.js      the ES module entry and the bin, which load the bundles through load.cjs
//   require.cjs           the CommonJS entry (the same instance as index.js's when a process uses both)
//   table.json            the command table src/commands/table.ts reads beside itself
// Node 20 has no code cache for ES modules (module.enableCompileCache is Node 22); vm.Script's cachedData is the
// one that exists. The cache is written here, by a training run in a fresh node (start a server, PING, a script),
// so it also holds the functions compiled on the start-up path. A cache made by another Node version or with other
// V8 flags is rejected by V8 and the bundle is compiled as usual.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/bundle');
fs.rmSync(out, { recursive: true, force: true });

for (const [name, entry, shim] of [
  ['index', 'dist/src/index.js', 'index.js'],
  ['cli', 'dist/src/cli.js', 'cli.js'],
  // the health check alone (redlua-server --ping), without the server's code
  ['ping', 'dist/src/ping.js', 'cli.js'],
  // redlua check (bin: redlua), the script checker
  ['check', 'dist/src/check/cli.js', 'check.js'],
]) {
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: path.join(out, `${name}.cjs`),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // pino is a dependency loaded only when something is logged (src/server/log.ts)
    external: ['pino'],
    // import.meta.url is the entry file users run (the cli's isEntryPoint compares it with argv[1]); every other
    // use resolves files relative to it, all beside the bundle (wasm/ above it, table.json beside it)
    define: { 'import.meta.url': '__redlua_entry_url' },
    banner: { js: `const __redlua_entry_url = require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(shim)})).href;` },
    legalComments: 'none',
    logLevel: 'warning',
  });
}

fs.writeFileSync(
  path.join(out, 'load.cjs'),
  `'use strict';
// Runs a CommonJS bundle of redlua through vm.Script with V8's code cache when it matches this Node (see
// scripts/bundle.mjs); writeCache() of the result writes the cache (the build's training run does).
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const cacheFile = (file) => \`\${file}.\${process.version}-\${process.arch}.cache\`;
/** one instance of each bundle per process, whether it was reached through import or require */
const loaded = new Map();

function loadBundle(name) {
  if (!loaded.has(name)) loaded.set(name, run(name));
  return loaded.get(name);
}

function run(name) {
  const file = path.join(__dirname, name);
  // a shebang line is not JavaScript inside the module wrapper (Node strips it for the files it loads itself)
  const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile(file));
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, __dirname);
  module.loaded = true;
  return {
    exports: module.exports,
    cacheRejected: cachedData === undefined ? null : script.cachedDataRejected === true,
    writeCache: () => fs.writeFileSync(cacheFile(file), script.createCachedData()),
  };
}

module.exports = { loadBundle };
`,
);
// the ES module entry re-exports every name src/index.ts exports (read off the compiled module, so none is forgotten)
const names = Object.keys(await import(new URL('../dist/src/index.js', import.meta.url).href)).sort();
fs.writeFileSync(
  path.join(out, 'index.js'),
  `// ES module entry point of redlua: the bundle index.cjs, loaded with V8's code cache (scripts/bundle.mjs).
import { createRequire } from 'node:module';
const { exports: m } = createRequire(import.meta.url)('./load.cjs').loadBundle('index.cjs');
export const { ${names.join(', ')} } = m;
`,
);
fs.writeFileSync(
  path.join(out, 'require.cjs'),
  `'use strict';
// CommonJS entry point of redlua (\`require('redlua')\`): the same bundle, with V8's code cache (scripts/bundle.mjs).
module.exports = require('./load.cjs').loadBundle('index.cjs').exports;
`,
);
fs.writeFileSync(
  path.join(out, 'cli.js'),
  `#!/usr/bin/env node
// redlua-server: the bundle cli.cjs, loaded with V8's code cache (scripts/bundle.mjs); \`--ping\`, a container's
// health check run every few seconds, loads only the small ping.cjs.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
if (process.argv[2] === '--ping') require('./ping.cjs').pingMain(process.argv.slice(3)).then(code => process.exit(code));
else require('./load.cjs').loadBundle('cli.cjs');
`,
);
fs.chmodSync(path.join(out, 'cli.js'), 0o755);
fs.writeFileSync(
  path.join(out, 'check.js'),
  `#!/usr/bin/env node
// redlua check: the bundle check.cjs (scripts/bundle.mjs).
import { createRequire } from 'node:module';
createRequire(import.meta.url)('./load.cjs').loadBundle('check.cjs');
`,
);
fs.chmodSync(path.join(out, 'check.js'), 0o755);
fs.writeFileSync(path.join(out, 'table.json'), JSON.stringify(JSON.parse(fs.readFileSync(path.join(root, 'src/commands/table.json'), 'utf8'))));

// The training run: a fresh node loads each bundle, walks the start-up path, and writes the cache.
const TRAIN = `
const { loadBundle } = require(${JSON.stringify(path.join(out, 'load.cjs'))});
const net = require('node:net');
(async () => {
  const b = loadBundle('index.cjs');
  const srv = await b.exports.startServer({ log: false });
  await new Promise((res, rej) => {
    const s = net.connect(srv.port, '127.0.0.1', () => s.write('PING\\r\\n*3\\r\\n$4\\r\\nEVAL\\r\\n$8\\r\\nreturn 1\\r\\n$1\\r\\n0\\r\\n'));
    let got = '';
    s.on('data', d => { got += d; if (got.includes(':1')) { s.destroy(); res(); } });
    s.on('error', rej);
  });
  await srv.close();
  b.writeCache();
  // the CLI bundle: its top level runs main() only as the program itself, so compiling and loading it is the path
  loadBundle('cli.cjs').writeCache();
})().catch(e => { console.error(e); process.exit(1); });
`;
const r = spawnSync(process.execPath, ['-e', TRAIN], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('bundle: the code-cache training run failed; the bundles work without a cache');
}
