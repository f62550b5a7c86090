// Hash family: HashValue (order, swap-remove index), encodings, HRANDFIELD count rules and distribution.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HashValue } from '../../src/store/hash.js';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { keyEvents } from '../helpers/keyevents.js';
import type { RespValue } from '../../src/protocol/resp-value.js';

test('HashValue keeps insertion order and a consistent random index', () => {
  const h = new HashValue();
  for (let i = 0; i < 100; i++) h.set('f' + i, Buffer.from('v' + i));
  assert.equal(h.set('f5', Buffer.from('x')), false);
  for (let i = 0; i < 100; i += 3) assert.equal(h.delete('f' + i), true);
  assert.equal(h.delete('f0'), false);
  assert.equal(h.set('f0', Buffer.from('again')), true);
  const keys = [...h.map.keys()];
  assert.equal(keys[keys.length - 1], 'f0');
  assert.equal(h.get('f5')!.toString(), 'x');
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const k = h.randomField();
    assert.ok(h.has(k));
    seen.add(k);
  }
  assert.equal(seen.size, h.size);
  h.set('long', Buffer.alloc(100, 0x61));
  const copy = h.clone();
  copy.set('new', Buffer.from('n'));
  (copy.get('long') as Buffer)[0] = 0x79;
  assert.equal(h.has('new'), false);
  assert.equal(h.get('f5')!.toString(), 'x');
  assert.equal((h.get('long') as Buffer)[0], 0x61);
});

let srv: RunningServer;
before(async () => {
  srv = await startServer({ log: false });
});
after(() => srv.close());

const strs = (v: RespValue): string[] => {
  assert.equal(v.t, '*');
  return (v as { a: RespValue[] }).a.map(x => ((x as { b: Buffer }).b ?? Buffer.alloc(0)).toString());
};

test('HRANDFIELD: count rules and a fair distribution', async () => {
  const c = await RawConn.connect(srv.port);
  await c.call(['HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4']);
  // positive count: distinct fields, at most the hash size
  for (let i = 0; i < 50; i++) {
    const r = strs(await c.callValue(['HRANDFIELD', 'h', '3']));
    assert.equal(r.length, 3);
    assert.equal(new Set(r).size, 3);
  }
  assert.deepEqual(strs(await c.callValue(['HRANDFIELD', 'h', '10'])), ['a', 'b', 'c', 'd']);
  // negative count: exactly |count| fields, repetitions allowed, every field shows up
  const counts = new Map<string, number>();
  const r = strs(await c.callValue(['HRANDFIELD', 'h', '-4000']));
  assert.equal(r.length, 4000);
  for (const f of r) counts.set(f, (counts.get(f) ?? 0) + 1);
  assert.equal(counts.size, 4);
  for (const n of counts.values()) assert.ok(n > 800 && n < 1200, `unfair distribution ${[...counts]}`);
  // WITHVALUES: field/value pairs, flat in RESP2
  const wv = strs(await c.callValue(['HRANDFIELD', 'h', '-6', 'WITHVALUES']));
  assert.equal(wv.length, 12);
  for (let i = 0; i < 12; i += 2) assert.equal(wv[i + 1], String(wv[i].charCodeAt(0) - 96));
  c.close();
});

test('hash encodings switch at the configured thresholds and never back', async () => {
  const c = await RawConn.connect(srv.port);
  await c.call(['CONFIG', 'SET', 'hash-max-listpack-entries', '2']);
  try {
    await c.call(['HSET', 'e', 'a', '1', 'b', '2']);
    assert.equal((await c.call(['OBJECT', 'ENCODING', 'e'])).toString(), '$8\r\nlistpack\r\n');
    await c.call(['HSET', 'e', 'c', '3']);
    assert.equal((await c.call(['OBJECT', 'ENCODING', 'e'])).toString(), '$9\r\nhashtable\r\n');
    await c.call(['HDEL', 'e', 'a', 'b']);
    assert.equal((await c.call(['OBJECT', 'ENCODING', 'e'])).toString(), '$9\r\nhashtable\r\n');
  } finally {
    await c.call(['CONFIG', 'SET', 'hash-max-listpack-entries', '512']);
  }
  c.close();
});

test('HSCAN over a hashtable returns every field exactly once without changes', async () => {
  const c = await RawConn.connect(srv.port);
  const args: string[] = [];
  for (let i = 0; i < 2000; i++) args.push('k' + i, String(i));
  await c.call(['HSET', 'big', ...args]);
  const seen = new Map<string, string>();
  let cursor = '0';
  let rounds = 0;
  do {
    const v = (await c.callValue(['HSCAN', 'big', cursor, 'COUNT', '100'])) as { a: RespValue[] };
    cursor = (v.a[0] as { b: Buffer }).b.toString();
    const items = strs(v.a[1]);
    for (let i = 0; i < items.length; i += 2) {
      assert.equal(seen.has(items[i]), false);
      seen.set(items[i], items[i + 1]);
    }
    rounds++;
  } while (cursor !== '0');
  assert.equal(seen.size, 2000);
  assert.ok(rounds > 1);
  assert.equal(seen.get('k1999'), '1999');
  c.close();
});

test('keyspace events of hashes commands (as recorded from redis-server 7.0.15)', async () => {
  const cmds: string[][] = [["HSET","h","a","1","b","2"],["HSETNX","h","a","1"],["HSETNX","h","c","3"],["HDEL","h","zz"],["HDEL","h","a"],["HINCRBY","h","n","5"],["HINCRBYFLOAT","h","f","1.5"],["HMSET","h","x","1"],["HDEL","h","b","c","n","f","x"]];
  assert.deepEqual(await keyEvents(srv.port, cmds), ["hset h","hset h","hdel h","hincrby h","hincrbyfloat h","hset h","hdel h","del h"]);
});
