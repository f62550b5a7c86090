// The package's bundle (scripts/bundle.mjs): the same API as the compiled sources, one instance whether imported or
// required, and V8's code cache used when it matches this Node, ignored (and still working) when it does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, run } from './helpers.js';

const bundle = (f: string) => path.join(REPO, 'dist/bundle', f);

test('the bundle exports what src/index.ts exports, and import and require share one instance', async () => {
  const src = (await import(pathToFileURL(path.join(REPO, 'dist/src/index.js')).href)) as Record<string, unknown>;
  const esm = (await import(pathToFileURL(bundle('index.js')).href)) as Record<string, unknown>;
  const cjs = createRequire(import.meta.url)(bundle('require.cjs')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(esm).sort(), Object.keys(src).sort());
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(src).sort());
  for (const k of Object.keys(src)) assert.equal(esm[k], cjs[k], k);
  assert.equal(esm.REDLUA_VERSION, src.REDLUA_VERSION);
});

const PROBE = `const b = require(${JSON.stringify(bundle('load.cjs'))}).loadBundle('index.cjs');
b.exports.startServer({ log: false }).then(async s => { await s.close(); console.log(JSON.stringify({ rejected: b.cacheRejected })); });`;

test('the code cache the build wrote is accepted by this Node', async () => {
  const r = await run(process.execPath, ['-e', PROBE]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { rejected: false });
});

test('a cache V8 cannot use (other flags) is rejected and the bundle compiles as usual', async () => {
  const r = await run(process.execPath, ['--no-lazy-feedback-allocation', '-e', PROBE]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { rejected: true });
});
