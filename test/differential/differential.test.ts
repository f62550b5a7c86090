// Runs every differential suite in test/differential/cases against redlua, comparing with goldens and (REDLUA_LIVE=1) live redis-server.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/index.js';
import { runCase, normalize, cmdOf, loadGoldens, saveGoldens, type Suite, type Goldens } from './harness.js';
import { liveMode, redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const caseFiles = fs.readdirSync(path.join(here, 'cases')).filter(f => f.endsWith('.js')).sort();
const suites: Suite[] = [];
for (const f of caseFiles) {
  const mod = (await import(path.join(here, 'cases', f))) as { suite: Suite };
  suites.push(mod.suite);
}

const live = liveMode();
const record = process.env.REDLUA_RECORD === '1';
if (live && !redisServerAvailable()) throw new Error('REDLUA_LIVE=1 but redis-server 7.0 is not installed');

let redlua: RunningServer;
let oracle: Oracle | null = null;

before(async () => {
  redlua = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
  if (live) oracle = await startRedis();
});
after(async () => {
  await redlua.close();
  if (oracle) await oracle.stop();
});

for (const suite of suites) {
  describe(`differential: ${suite.name}`, () => {
    const goldens: Goldens = loadGoldens(suite.name);
    const recorded: Goldens = {};
    // Only suites that actually recorded something are rewritten (a --test-name-pattern run leaves the others alone).
    if (record) after(() => {
      if (Object.keys(recorded).length) saveGoldens(suite.name, { ...goldens, ...recorded });
    });
    for (const c of suite.cases) {
      for (const resp of c.resp ?? [2, 3]) {
        test(`${c.name} [RESP${resp}]`, async () => {
          const ours = await runCase(redlua.port, c, resp);
          const key = resp === 2 ? 'resp2' : 'resp3';
          let expected: string[] | undefined;
          if (oracle) {
            const theirs = await runCase(oracle.port, c, resp);
            expected = theirs.map(b => b.toString('latin1'));
            if (record) (recorded[c.name] ??= {})[key] = expected;
          } else {
            expected = goldens[c.name]?.[key];
            assert.ok(expected, `no golden recorded for '${c.name}' ${key}: run with REDLUA_RECORD=1 and redis-server installed`);
          }
          assert.equal(ours.length, expected.length);
          c.cmds.forEach((entry, i) => {
            const { cmd, mode, mask } = cmdOf(entry);
            const m = mode ?? c.mode ?? 'exact';
            assert.equal(
              normalize(ours[i], m, mask),
              normalize(Buffer.from(expected![i], 'latin1'), m, mask),
              `command #${i + 1} ${JSON.stringify(cmd.map(String))} (${m})`,
            );
          });
        });
      }
    }
  });
}
