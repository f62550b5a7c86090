// Bundles the compiled code (dist/src, from tsc) into dist/bundle: the package's entry points, so that starting
// redlua loads a few files instead of ~75 ES modules (module resolution and loading were half the import time).
// Also writes the CommonJS entry (require(esm) of the bundle) and copies the command table the bundle reads.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/bundle');
fs.rmSync(out, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { index: 'dist/src/index.js', cli: 'dist/src/cli.js' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // pino is a dependency loaded only when something is logged (src/server/log.ts)
  external: ['pino'],
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
// src/commands/table.ts reads ./table.json next to itself at run time (not bundled: JSON.parse is faster than a literal)
fs.writeFileSync(path.join(out, 'table.json'), JSON.stringify(JSON.parse(fs.readFileSync(path.join(root, 'src/commands/table.json'), 'utf8'))));
fs.writeFileSync(
  path.join(out, 'index.cjs'),
  "'use strict';\n// CommonJS entry point (`require('redlua')`): the ES module bundle through require(esm) (Node >= 20.19).\nmodule.exports = require('./index.js');\n",
);
const cli = path.join(out, 'cli.js');
fs.chmodSync(cli, 0o755);
