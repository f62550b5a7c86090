// Set family: SetValue encodings (sorted intset, hashtable index), SPOP/SRANDMEMBER count rules and distribution.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SetValue, memberToInt } from '../../src/store/set.js';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { keyEvents } from '../helpers/keyevents.js';
import type { RespValue } from '../../src/protocol/resp-value.js';

test('memberToInt follows string2ll', () => {
  assert.equal(memberToInt('0'), 0n);
  assert.equal(memberToInt('-9223372036854775808'), -9223372036854775808n);
  assert.equal(memberToInt('9223372036854775808'), null);
  for (const bad of ['', '-', '-0', '01', '+1', ' 1', '1 ', '1a', '1.0']) assert.equal(memberToInt(bad), null, bad);
});

test('SetValue: intset stays sorted, converts on a string or on size, hashtable index stays consistent', () => {
  const s = new SetValue();
  for (const v of ['5', '-3', '10', '5', '0']) s.add(v, 512);
  assert.deepEqual([...s], ['-3', '0', '5', '10']);
  assert.equal(s.isIntset, true);
  assert.equal(s.has('05'), false);
  assert.equal(s.remove('0'), true);
  assert.equal(s.remove('x'), false);
  s.add('x', 512);
  assert.equal(s.isIntset, false);
  assert.deepEqual([...s].sort(), ['-3', '10', '5', 'x']);
  const t = new SetValue();
  for (let i = 0; i < 4; i++) t.add(String(i), 3);
  assert.equal(t.isIntset, false);
  for (let i = 0; i < 1000; i++) t.add('m' + i, 3);
  for (let i = 0; i < 1000; i += 2) assert.equal(t.remove('m' + i), true);
  assert.equal(t.size, 504);
  for (let i = 0; i < 1000; i++) assert.equal(t.has('m' + i), i % 2 === 1);
  const seen = new Set<string>();
  for (let i = 0; i < 20000; i++) seen.add(t.random());
  assert.equal(seen.size, 504);
});

let srv: RunningServer;
before(async () => {
  srv = await startServer({ log: false });
});
after(() => srv.close());

const strs = (v: RespValue): string[] => (v as { a: RespValue[] }).a.map(x => (x as { b: Buffer }).b.toString());

test('SRANDMEMBER / SPOP count rules and fairness', async () => {
  const c = await RawConn.connect(srv.port);
  await c.call(['SADD', 's', 'a', 'b', 'c', 'd', 'e']);
  for (let i = 0; i < 30; i++) {
    const r = strs(await c.callValue(['SRANDMEMBER', 's', '4']));
    assert.equal(new Set(r).size, 4);
  }
  const r = strs(await c.callValue(['SRANDMEMBER', 's', '-5000']));
  assert.equal(r.length, 5000);
  const counts = new Map<string, number>();
  for (const m of r) counts.set(m, (counts.get(m) ?? 0) + 1);
  assert.equal(counts.size, 5);
  for (const n of counts.values()) assert.ok(n > 800 && n < 1200);
  // SPOP: distinct members removed from the set, both strategies
  const members: string[] = [];
  for (let i = 0; i < 1000; i++) members.push('m' + i);
  await c.call(['SADD', 'p', ...members]);
  const p1 = strs(await c.callValue(['SPOP', 'p', '10']));
  const p2 = strs(await c.callValue(['SPOP', 'p', '950']));
  const all = new Set([...p1, ...p2]);
  assert.equal(all.size, 960);
  assert.equal((await c.call(['SCARD', 'p'])).toString(), ':40\r\n');
  const flags = (await c.callValue(['SMISMEMBER', 'p', ...all])) as unknown as { a: { n: bigint }[] };
  assert.ok(flags.a.every(x => Number(x.n) === 0));
  const rest = strs(await c.callValue(['SPOP', 'p', '100']));
  assert.equal(rest.length, 40);
  assert.equal((await c.call(['EXISTS', 'p'])).toString(), ':0\r\n');
  // first-pop fairness over many small sets
  const first = new Map<string, number>();
  for (let i = 0; i < 300; i++) {
    c.send(['SADD', 'q', '1', '2', '3']);
    c.send(['SPOP', 'q']);
    c.send(['DEL', 'q']);
  }
  for (let i = 0; i < 300; i++) {
    await c.readRaw();
    const v = (await c.readRaw()).value as { b: Buffer };
    await c.readRaw();
    first.set(v.b.toString(), (first.get(v.b.toString()) ?? 0) + 1);
  }
  for (const n of first.values()) assert.ok(n > 55 && n < 145, `unfair SPOP ${[...first]}`);
  c.close();
});

test('SINTER/SUNION/SDIFF on large sets', async () => {
  const c = await RawConn.connect(srv.port);
  const a: string[] = [];
  const b: string[] = [];
  for (let i = 0; i < 4000; i++) a.push('x' + i);
  for (let i = 2000; i < 6000; i++) b.push('x' + i);
  await c.call(['SADD', 'A', ...a]);
  await c.call(['SADD', 'B', ...b]);
  assert.equal((await c.call(['SINTERCARD', '2', 'A', 'B'])).toString(), ':2000\r\n');
  assert.equal((await c.call(['SINTERCARD', '2', 'A', 'B', 'LIMIT', '7'])).toString(), ':7\r\n');
  assert.equal((await c.call(['SUNIONSTORE', 'U', 'A', 'B'])).toString(), ':6000\r\n');
  assert.equal((await c.call(['SDIFFSTORE', 'D', 'A', 'B'])).toString(), ':2000\r\n');
  assert.equal((await c.call(['SDIFFSTORE', 'D2', 'B', 'A', 'U'])).toString(), ':0\r\n');
  assert.equal(strs(await c.callValue(['SINTER', 'A', 'B'])).length, 2000);
  c.close();
});

test('keyspace events of sets commands (as recorded from redis-server 7.0.15)', async () => {
  const cmds: string[][] = [["SADD","s","1","2","3"],["SADD","s","1"],["SREM","s","9"],["SREM","s","1"],["SMOVE","s","t","2"],["SMOVE","s","t","9"],["SPOP","s"],["SADD","s","a","b","c"],["SPOP","s","5"],["SADD","a","1","2"],["SADD","b","2","3"],["SINTERSTORE","d","a","b"],["SUNIONSTORE","d","a","b"],["SDIFFSTORE","d","a","b"],["SDIFFSTORE","d","a","a"],["SINTERSTORE","e","a","nokey"],["SADD","e","1"],["SINTERSTORE","e","a","nokey"],["SADD","p","1","2","3","4","5","6","7","8","9","10"],["SPOP","p","9"]];
  assert.deepEqual(await keyEvents(srv.port, cmds), ["sadd s","srem s","srem s","sadd t","spop s","del s","sadd s","spop s","del s","sadd a","sadd b","sinterstore d","sunionstore d","sdiffstore d","del d","sadd e","del e","sadd p","spop p"]);
});
