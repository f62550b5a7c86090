// Multi-client differential: seeded streams of commands from three connections (blocking pops and stream reads,
// CLIENT UNBLOCK, WATCH/MULTI/EXEC, scripts, pub/sub), compared by transcript with goldens recorded from
// redis-server 7.0.15, or with a live one (REDLUA_LIVE=1; REDLUA_RECORD=1 re-records).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, type RunningServer } from '../../src/index.js';
import { goldenDir } from './harness.js';
import { multiClientSteps, runMultiClient } from './multi-client.js';
import { liveMode, redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';

const SEEDS = 8;
const LENGTH = 150;
/** each connection's protocol: all RESP2, and RESP3 publishers/blockers beside a RESP2 subscriber */
const PROTOCOLS = [
  [2, 2, 2],
  [3, 2, 3],
];

const live = liveMode();
const record = process.env.REDLUA_RECORD === '1';
if (live && !redisServerAvailable()) throw new Error('REDLUA_LIVE=1 but redis-server 7.0 is not installed');
const goldenFile = path.join(goldenDir, 'multi-client.json');
const goldens = fs.existsSync(goldenFile) ? (JSON.parse(fs.readFileSync(goldenFile, 'utf8')) as Record<string, string[]>) : {};
const recorded: Record<string, string[]> = {};

let redlua: RunningServer;
let oracle: Oracle | null = null;
before(async () => {
  redlua = await startServer({ log: false });
  if (live) oracle = await startRedis();
});
after(async () => {
  await redlua.close();
  if (oracle) await oracle.stop();
  if (record && Object.keys(recorded).length) fs.writeFileSync(goldenFile, JSON.stringify({ ...goldens, ...recorded }, null, 1) + '\n');
});

for (let seed = 1; seed <= SEEDS; seed++) {
  for (const resp of PROTOCOLS) {
    const name = `seed ${seed} RESP${resp.join('/')}`;
    test(`multi-client: ${name}`, async () => {
      const steps = multiClientSteps(seed, LENGTH);
      const ours = await runMultiClient(redlua.port, steps, resp);
      let expected: string[] | undefined;
      if (oracle) {
        expected = await runMultiClient(oracle.port, steps, resp);
        if (record) recorded[name] = expected;
      } else expected = goldens[name];
      assert.ok(expected, `no golden recorded for '${name}': run with REDLUA_RECORD=1 and redis-server installed`);
      // the first difference, with the steps before it, reads better than a diff of the whole transcript
      const i = ours.findIndex((l, k) => l !== expected![k]);
      if (i >= 0 || ours.length !== expected.length) {
        const at = i >= 0 ? i : Math.min(ours.length, expected.length);
        assert.deepEqual(ours.slice(Math.max(0, at - 8), at + 2), expected.slice(Math.max(0, at - 8), at + 2), `transcript differs at line ${at}`);
        assert.equal(ours.length, expected.length);
      }
    });
  }
}
