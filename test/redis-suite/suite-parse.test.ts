// scripts/lib/redis-suite.mjs reads the TCL harness's report (Redis: tests/test_helper.tcl's "[ok]: name (N ms)" lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modPath = path.resolve(here, '../../../scripts/lib/redis-suite.mjs');

interface Parsed {
  tests: { name: string; status: string }[];
  exception: string | null;
}
type Mod = { parseHarnessOutput(text: string): Parsed; passedSet(r: Parsed): Set<string> };

test('harness output: ok/err/skip/ignore lines, the exception, repeated names, colours', async () => {
  const m = (await import(pathToFileURL(modPath).href)) as Mod;
  const out = [
    '[ready]: 123',
    'Testing unit/x',
    '\x1b[0;32;49m[ok]\x1b[0m: PING works (1 ms)',
    '[ok]: name with (parens) (12 ms)',
    '[err]: flaky one in tests/unit/x.tcl',
    'Expected 1 to equal 2',
    '[ok]: flaky one (3 ms)',
    '[skip]: not here',
    '[ignore]: MIGRATE: Not supported on external server',
    '[exception]: Executing test client: ERR unknown command',
    'ERR unknown command',
    '*** [err]: flaky one in tests/unit/x.tcl',
  ].join('\n');
  const r = m.parseHarnessOutput(out);
  assert.deepEqual(
    r.tests.map(t => [t.status, t.name]),
    [
      ['ok', 'PING works'],
      ['ok', 'name with (parens)'],
      ['err', 'flaky one'],
      ['ok', 'flaky one'],
      ['skip', 'not here'],
      ['ignore', 'MIGRATE: Not supported on external server'],
    ],
  );
  assert.match(r.exception!, /^Executing test client: ERR unknown command \| ERR unknown command/);
  // a name that failed once does not count as passed
  assert.deepEqual([...m.passedSet(r)], ['PING works', 'name with (parens)']);
});
