// Differential suite: every snippet's raw EVAL reply from the engine must equal redis-server 7.0.15's (live with REDLUA_LIVE=1, else the recorded goldens; REDLUA_RECORD=1 re-records).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SNIPPETS, snippetId, type Snippet } from './snippets.js';
import { StubHost, evalOn, newEval, redisAvailable, startOracle, OracleConn } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Goldens live next to the sources (test/engine/goldens), also when running from dist/.
const goldenPath = path.resolve(here, '..', '..', '..', 'test', 'engine', 'goldens', 'engine.json');
const goldenPathSrc = goldenPath;

const record = process.env.REDLUA_RECORD === '1';
const live = (process.env.REDLUA_LIVE === '1' || record) && redisAvailable();

type Goldens = Record<string, string>; // snippetId -> raw reply (latin1)
const goldens: Goldens = fs.existsSync(goldenPathSrc) ? JSON.parse(fs.readFileSync(goldenPathSrc, 'utf8')) : {};
const recorded: Goldens = {};

const host = new StubHost();
const { vm } = newEval(host);
let oracle: Awaited<ReturnType<typeof startOracle>> | null = null;
let c2: OracleConn | null = null;
let c3: OracleConn | null = null;

before(async () => {
  if (!live) return;
  oracle = await startOracle();
  c2 = await OracleConn.connect(oracle.port);
  c3 = await OracleConn.connect(oracle.port);
  await c3.command(['HELLO', '3']);
  await c2.command(['DEBUG', 'set-disable-deny-scripts', '1']);
});

after(async () => {
  c2?.close();
  c3?.close();
  await oracle?.stop();
  if (record) {
    fs.mkdirSync(path.dirname(goldenPathSrc), { recursive: true });
    const sorted: Goldens = {};
    for (const s of SNIPPETS) sorted[snippetId(s)] = recorded[snippetId(s)];
    fs.writeFileSync(goldenPathSrc, JSON.stringify(sorted, null, 1) + '\n');
  }
});

async function oracleEval(s: Snippet): Promise<Buffer> {
  const conn = s.resp === 3 ? c3! : c2!;
  await c2!.command(['FLUSHALL']);
  const keys = s.keys ?? [];
  const args = s.args ?? [];
  return conn.command(['EVAL', Buffer.from(s.script, 'latin1'), String(keys.length), ...keys.map((k) => Buffer.from(k, 'latin1')), ...args.map((a) => Buffer.from(a, 'latin1'))]);
}

const show = (b: Buffer | string) => JSON.stringify(typeof b === 'string' ? b : b.toString('latin1')).slice(0, 600);

test('the golden file covers every snippet (re-record with REDLUA_RECORD=1)', () => {
  if (live) return;
  const missing = SNIPPETS.filter((s) => goldens[snippetId(s)] === undefined).map((s) => s.script);
  assert.deepEqual(missing, []);
});

let n = 0;
for (const s of SNIPPETS) {
  const id = snippetId(s);
  const name = `#${++n} [resp${s.resp ?? 2}] ${s.script.replace(/\s+/g, ' ').slice(0, 100)}`;
  test(name, async () => {
    host.reset();
    const mine = evalOn(vm, s.script, s.keys ?? [], s.args ?? [], s.resp ?? 2);
    if (live) {
      const theirs = await oracleEval(s);
      recorded[id] = theirs.toString('latin1');
      assert.equal(show(mine), show(theirs));
    } else {
      const g = goldens[id];
      if (g === undefined) return; // reported by the coverage test above
      assert.equal(show(mine), show(g));
    }
  });
}
