// Transcript differentials (test/differential/multi-client.ts): seeded three-connection streams (blocking pops and
// stream reads, CLIENT UNBLOCK, WATCH/MULTI/EXEC, scripts, pub/sub), and random single-connection streams watched by
// a keyspace-notification subscriber. Compared with goldens recorded from redis-server 7.0.15, or with a live one
// (REDLUA_LIVE=1; REDLUA_RECORD=1 re-records).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { goldenDir, cmdOf } from './harness.js';
import { multiClientSteps, runMultiClient, runWithNotifications } from './multi-client.js';
import { randomCommands } from './random-gen.js';
import { TRACKING_SCENARIOS } from './tracking-steps.js';
import { liveMode, redisServerAvailable } from '../helpers/redis-server.js';
import { useRedluaAndOracle } from '../helpers/server.js';

const MULTI_SEEDS = 8;
const MULTI_LENGTH = 150;
/** each connection's protocol: all RESP2, and RESP3 publishers/blockers beside a RESP2 subscriber */
const PROTOCOLS = [
  [2, 2, 2],
  [3, 2, 3],
];
const NOTIFY_SEEDS = 8;
const NOTIFY_LENGTH = 200;

const live = liveMode();
const record = process.env.REDLUA_RECORD === '1';
if (live && !redisServerAvailable()) throw new Error('REDLUA_LIVE=1 but redis-server 7.0 is not installed');
const goldenFile = path.join(goldenDir, 'transcripts.json');
const goldens = fs.existsSync(goldenFile) ? (JSON.parse(fs.readFileSync(goldenFile, 'utf8')) as Record<string, string[]>) : {};
const recorded: Record<string, string[]> = {};

const servers = useRedluaAndOracle({ 'enable-debug-command': 'yes' });
after(() => {
  if (record && Object.keys(recorded).length) {
    const all: Record<string, string[]> = { ...goldens, ...recorded };
    const sorted = Object.fromEntries(Object.keys(all).sort().map(k => [k, all[k]]));
    fs.writeFileSync(goldenFile, JSON.stringify(sorted, null, 1) + '\n');
  }
});

function transcriptTest(name: string, run: (port: number) => Promise<string[]>): void {
  test(name, async () => {
    const ours = await run(servers.redlua.port);
    let expected: string[] | undefined;
    if (servers.oracle) {
      expected = await run(servers.oracle.port);
      if (record) recorded[name] = expected;
    } else expected = goldens[name];
    assert.ok(expected, `no golden recorded for '${name}': run with REDLUA_RECORD=1 and redis-server installed`);
    // the first difference, with the lines before it, reads better than a diff of the whole transcript
    const i = ours.findIndex((l, k) => l !== expected![k]);
    if (i >= 0 || ours.length !== expected.length) {
      const at = i >= 0 ? i : Math.min(ours.length, expected.length);
      assert.deepEqual(ours.slice(Math.max(0, at - 8), at + 2), expected.slice(Math.max(0, at - 8), at + 2), `transcript differs at line ${at}`);
      assert.equal(ours.length, expected.length);
    }
  });
}

for (let seed = 1; seed <= MULTI_SEEDS; seed++) {
  for (const resp of PROTOCOLS) {
    transcriptTest(`multi-client: seed ${seed} RESP${resp.join('/')}`, port => runMultiClient(port, multiClientSteps(seed, MULTI_LENGTH), resp));
  }
}

for (let seed = 1; seed <= NOTIFY_SEEDS; seed++) {
  // (RANDOMKEY may touch an expired key, and its expiry event with it, at random)
  const cmds = randomCommands(1000 + seed, NOTIFY_LENGTH).filter(c => cmdOf(c).cmd[0] !== 'RANDOMKEY');
  transcriptTest(`notifications: seed ${1000 + seed} RESP${(seed % 2) + 2}`, port => runWithNotifications(port, cmds, ((seed % 2) + 2) as 2 | 3));
}

for (const sc of TRACKING_SCENARIOS) {
  transcriptTest(`tracking: ${sc.name}`, port => runMultiClient(port, sc.steps, sc.resp));
}
