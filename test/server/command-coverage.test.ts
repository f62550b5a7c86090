// The command table and the handlers cover each other: every handler is in the table (installHandlers throws
// otherwise) and every command of Redis 7.0.15's table is implemented or listed in NOT_IMPLEMENTED with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allCommands } from '../../src/commands/table.js';
import { installHandlers } from '../../src/commands/index.js';
import { NOT_IMPLEMENTED, notImplementedReason } from '../../src/server/unsupported.js';

installHandlers();
const leaves = allCommands().filter(c => c.subcommands === null);

test('every command is implemented or listed as not implemented', () => {
  const missing = leaves.filter(c => c.handler === null && notImplementedReason(c.fullname) === null).map(c => c.fullname);
  assert.deepEqual(missing, [], `commands neither implemented nor in src/server/unsupported.ts: ${missing.join(' ')}`);
});

test('the not-implemented list names real commands', () => {
  const names = new Set(allCommands().map(c => c.fullname));
  for (const k of Object.keys(NOT_IMPLEMENTED)) {
    const base = k.endsWith('|*') ? k.slice(0, -2) : k;
    assert.ok(names.has(base), `'${k}' is not a Redis 7.0.15 command`);
  }
});

test('listed commands that got implemented are reported', t => {
  const both = leaves.filter(c => c.handler !== null && notImplementedReason(c.fullname) !== null).map(c => c.fullname);
  if (both.length) t.diagnostic(`implemented but still listed in NOT_IMPLEMENTED: ${both.join(' ')}`);
  assert.ok(leaves.length > 300);
});
