// docs/COMMANDS.md tells the truth: regenerated in memory from the code, it must equal the committed file; and every
// entry of src/server/inert.ts names an implemented command (or a DEBUG form), never a refused or unknown one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findByFullname } from '../../src/commands/table.js';
import { installHandlers } from '../../src/commands/index.js';
import { INERT } from '../../src/server/inert.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('docs/COMMANDS.md is what scripts/gen-command-list.mjs generates (run `npm run commands`)', async () => {
  const gen = (await import(pathToFileURL(path.join(root, 'scripts/gen-command-list.mjs')).href)) as { render(): Promise<string> };
  const committed = fs.readFileSync(path.join(root, 'docs/COMMANDS.md'), 'utf8');
  assert.equal(committed, await gen.render());
});

test('inert commands are implemented commands', () => {
  installHandlers();
  for (const k of Object.keys(INERT)) {
    const name = k.includes(' ') ? k.split(' ')[0] : k;
    const spec = findByFullname(name);
    assert.ok(spec, `${k}: not a command`);
    assert.ok(spec.handler, `${k}: listed as inert but refused`);
  }
});
