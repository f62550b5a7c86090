// List family: the ring-buffer deque against a plain-array model, and list commands over the wire (big lists stay fast).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Deque, SMALL_ELEM, toElem, elemBuf, elemEquals, elemKey } from '../../src/store/list.js';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { keyEvents } from '../helpers/keyevents.js';
import { liveMode, startRedis } from '../helpers/redis-server.js';
import { normalize } from '../differential/harness.js';
import { RObj } from '../../src/store/db.js';

test('Deque matches an array model under random operations', () => {
  const d = new Deque();
  const model: string[] = [];
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 20000; i++) {
    const op = rnd(9);
    const v = Buffer.from(String(i));
    if (op === 0) (d.pushHead(v), model.unshift(String(i)));
    else if (op === 1) (d.pushTail(v), model.push(String(i)));
    else if (op === 2) assert.equal(d.popHead()?.toString(), model.shift());
    else if (op === 3) assert.equal(d.popTail()?.toString(), model.pop());
    else if (op === 4 && model.length) {
      const k = rnd(model.length + 1);
      d.insert(k, v);
      model.splice(k, 0, String(i));
    } else if (op === 5 && model.length) {
      const k = rnd(model.length);
      d.set(k, v);
      model[k] = String(i);
    } else if (op === 6) {
      const n = rnd(3);
      d.dropHead(n);
      model.splice(0, n);
    } else if (op === 7) {
      const n = Math.min(rnd(3), model.length);
      d.dropTail(n);
      model.length -= n;
    } else if (op === 8 && model.length) {
      const victim = model[rnd(model.length)];
      const removed = d.filter(b => b.toString() !== victim);
      const before = model.length;
      for (let j = model.length - 1; j >= 0; j--) if (model[j] === victim) model.splice(j, 1);
      assert.equal(removed, before - model.length);
    }
    assert.equal(d.length, model.length);
  }
  assert.deepEqual([...d].map(b => b.toString()), model);
  for (let i = 0; i < model.length; i++) assert.equal(d.get(i)!.toString(), model[i]);
  assert.equal(d.get(-1), undefined);
  assert.equal(d.get(model.length), undefined);
});

test('Deque clone is deep; short elements are stored as latin1 strings, long ones as Buffers', () => {
  const d = new Deque();
  const long = Buffer.alloc(SMALL_ELEM + 1, 0x61);
  d.pushTail(toElem(Buffer.from([0xff, 0x00])));
  d.pushTail(toElem(long));
  assert.equal(typeof d.get(0), 'string');
  assert.ok(Buffer.isBuffer(d.get(1)));
  const e = d.clone();
  (e.get(1) as Buffer)[0] = 0x62;
  e.pushTail('c');
  assert.equal((d.get(1) as Buffer)[0], 0x61);
  assert.equal(d.length, 2);
  assert.deepEqual(elemBuf(d.get(0)!), Buffer.from([0xff, 0x00]));
  assert.ok(elemEquals(d.get(1)!, elemKey(long)));
  assert.ok(elemEquals(d.get(0)!, elemKey(Buffer.from([0xff, 0x00]))));
  assert.ok(!elemEquals(d.get(0)!, elemKey(Buffer.from([0xff]))));
  // Buffers pushed by other code (SORT ... STORE) compare by bytes too.
  d.pushTail(Buffer.from('xy'));
  assert.ok(elemEquals(d.get(2)!, elemKey(Buffer.from('xy'))));
});

let srv: RunningServer;
before(async () => {
  srv = await startServer({ log: false });
});
after(() => srv.close());

test('1M-element list: push/pop at both ends and index access stay O(1)', async () => {
  const c = await RawConn.connect(srv.port);
  // Filled in-process (the wire path is covered elsewhere): a 1M-element list as RPUSH would build it.
  const d = new Deque();
  for (let i = 0; i < 1000000; i++) d.pushTail(Buffer.from('e' + i));
  srv.server.dbs[0].setKey('big', new RObj('list', d, 'quicklist'));
  assert.equal((await c.call(['LLEN', 'big'])).toString(), ':1000000\r\n');
  const t0 = Date.now();
  const t1 = Date.now();
  // 2k ops at the ends and in the middle of a 1M list must be quick (an O(n) shift would take minutes).
  for (let i = 0; i < 500; i++) {
    c.send(['LPUSH', 'big', 'x']);
    c.send(['RPOP', 'big']);
    c.send(['LINDEX', 'big', '500000']);
    c.send(['LSET', 'big', '-500000', 'y']);
  }
  for (let i = 0; i < 2000; i++) await c.readRaw(20000);
  const t2 = Date.now();
  assert.ok(t2 - t1 < 10000, `2k end/index ops on a 1M list took ${t2 - t1}ms (fill took ${t1 - t0}ms)`);
  assert.equal((await c.call(['LINDEX', 'big', '0'])).toString(), '$1\r\nx\r\n');
  c.close();
});

test('LREM/LPOS/LINSERT on a list with many matches', async () => {
  const c = await RawConn.connect(srv.port);
  await c.call(['DEL', 'l']);
  const items: string[] = [];
  for (let i = 0; i < 1000; i++) items.push(i % 3 === 0 ? 'a' : 'b');
  await c.call(['RPUSH', 'l', ...items]);
  assert.equal((await c.call(['LPOS', 'l', 'a', 'COUNT', '0', 'RANK', '-1', 'MAXLEN', '10'])).toString(), '*4\r\n:999\r\n:996\r\n:993\r\n:990\r\n');
  assert.equal((await c.call(['LREM', 'l', '-2', 'a'])).toString(), ':2\r\n');
  assert.equal((await c.call(['LINDEX', 'l', '-1'])).toString(), '$1\r\nb\r\n');
  assert.equal((await c.call(['LREM', 'l', '0', 'a'])).toString(), ':332\r\n');
  assert.equal((await c.call(['LLEN', 'l'])).toString(), ':666\r\n');
  assert.equal((await c.call(['LINSERT', 'l', 'AFTER', 'b', 'z'])).toString(), ':667\r\n');
  assert.equal((await c.call(['LRANGE', 'l', '0', '2'])).toString(), '*3\r\n$1\r\nb\r\n$1\r\nz\r\n$1\r\nb\r\n');
  c.close();
});

test('keyspace events of lists commands (as recorded from redis-server 7.0.15)', async () => {
  const cmds: string[][] = [["RPUSH","l","a","b","c"],["LPUSH","l","z"],["LPUSHX","nx","a"],["LPOP","l"],["RPOP","l","5"],["RPUSH","l","a","b","c","d"],["LSET","l","0","x"],["LINSERT","l","BEFORE","b","y"],["LINSERT","l","BEFORE","nope","y"],["LREM","l","0","y"],["LTRIM","l","0","1"],["LMOVE","l","m","LEFT","RIGHT"],["RPOPLPUSH","l","m"],["LMPOP","1","m","LEFT","COUNT","5"],["RPUSH","q","1"],["BLPOP","q","0"],["RPUSH","q","1","2"],["BLMOVE","q","r","RIGHT","LEFT","0"],["BLMPOP","0","1","q","LEFT"],["LTRIM","r","5","6"]];
  assert.deepEqual(await keyEvents(srv.port, cmds), ["rpush l","lpush l","lpop l","rpop l","del l","rpush l","lset l","linsert l","lrem l","ltrim l","rpush m","lpop l","lpush m","rpop l","del l","lpop m","del m","rpush q","lpop q","del q","rpush q","lpush r","rpop q","lpop q","del q","ltrim r","del r"]);
});

// Random differential over lists, hashes and sets (live only: REDLUA_LIVE=1 with redis-server 7.0.15 installed):
// random command sequences on a tiny keyspace with low encoding thresholds, replies compared byte for byte
// (hash-ordered replies compared sorted).
test('random list/hash/set command sequences match redis-server', { skip: !liveMode() }, async () => {
  const oracle = await startRedis();
  const A = await RawConn.connect(srv.port);
  const B = await RawConn.connect(oracle.port);
  try {
    let seed = 20261122;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = <T>(a: T[]): T => a[rnd(a.length)];
    const keys = ['a', 'b', 'c', 'd'];
    const vals = ['1', '2', '3', '-1', '10', 'x', 'y', 'z', '', '007', '9223372036854775807', 'abc', '1.5'];
    const idx = () => pick(['0', '1', '-1', '2', '-2', '5', '-5', '100', 'x']);
    const lr = () => pick(['LEFT', 'RIGHT']);
    const gens: (() => string[])[] = [
      () => ['LPUSH', pick(keys), pick(vals), pick(vals)],
      () => ['RPUSH', pick(keys), pick(vals)],
      () => ['RPUSHX', pick(keys), pick(vals)],
      () => ['LPOP', pick(keys)],
      () => ['RPOP', pick(keys), pick(['0', '1', '2', '5'])],
      () => ['LRANGE', pick(keys), idx(), idx()],
      () => ['LINDEX', pick(keys), idx()],
      () => ['LSET', pick(keys), idx(), pick(vals)],
      () => ['LINSERT', pick(keys), pick(['BEFORE', 'AFTER']), pick(vals), pick(vals)],
      () => ['LREM', pick(keys), idx(), pick(vals)],
      () => ['LTRIM', pick(keys), idx(), idx()],
      () => ['LPOS', pick(keys), pick(vals), 'RANK', pick(['1', '-1', '2', '-2']), 'COUNT', pick(['0', '1', '2'])],
      () => ['LMOVE', pick(keys), pick(keys), lr(), lr()],
      () => ['LMPOP', '2', pick(keys), pick(keys), lr(), 'COUNT', pick(['1', '3'])],
      () => ['HSET', pick(keys), pick(vals), pick(vals)],
      () => ['HSETNX', pick(keys), pick(vals), pick(vals)],
      () => ['HDEL', pick(keys), pick(vals), pick(vals)],
      () => ['HMGET', pick(keys), pick(vals), pick(vals)],
      () => ['HGETALL', pick(keys)],
      () => ['HKEYS', pick(keys)],
      () => ['HINCRBY', pick(keys), pick(vals), pick(['1', '-3', '9223372036854775807', 'x'])],
      () => ['HINCRBYFLOAT', pick(keys), pick(vals), pick(['1.5', '-0.1', '1e10', 'x', '3'])],
      () => ['HSTRLEN', pick(keys), pick(vals)],
      () => ['SADD', pick(keys), pick(vals), pick(vals)],
      () => ['SREM', pick(keys), pick(vals)],
      () => ['SMEMBERS', pick(keys)],
      () => ['SMISMEMBER', pick(keys), pick(vals), pick(vals)],
      () => ['SMOVE', pick(keys), pick(keys), pick(vals)],
      () => ['SINTER', pick(keys), pick(keys)],
      () => ['SUNION', pick(keys), pick(keys)],
      () => ['SDIFF', pick(keys), pick(keys), pick(keys)],
      () => ['SINTERSTORE', pick(keys), pick(keys), pick(keys)],
      () => ['SUNIONSTORE', pick(keys), pick(keys), pick(keys)],
      () => ['SDIFFSTORE', pick(keys), pick(keys), pick(keys)],
      () => ['SINTERCARD', '2', pick(keys), pick(keys), 'LIMIT', pick(['0', '1'])],
      () => ['OBJECT', 'ENCODING', pick(keys)],
      () => ['DEL', pick(keys)],
      () => ['SET', pick(keys), pick(vals)],
    ];
    const unordered = new Set(['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF', 'HKEYS']);
    for (const c of [A, B]) {
      await c.call(['FLUSHALL']);
      await c.call(['CONFIG', 'SET', 'hash-max-listpack-entries', '3']);
      await c.call(['CONFIG', 'SET', 'set-max-intset-entries', '3']);
    }
    const hist: string[][] = [];
    for (let i = 0; i < 3000; i++) {
      const cmd = pick(gens)();
      hist.push(cmd);
      const ra = await A.call(cmd);
      const rb = await B.call(cmd);
      const mode = unordered.has(cmd[0]) ? 'sorted' : cmd[0] === 'HGETALL' ? 'sortedpairs' : 'exact';
      assert.equal(normalize(ra, mode), normalize(rb, mode), `after ${JSON.stringify(hist.slice(-8))}`);
    }
  } finally {
    for (const c of [A, B]) {
      await c.call(['CONFIG', 'SET', 'hash-max-listpack-entries', '512']);
      await c.call(['CONFIG', 'SET', 'set-max-intset-entries', '512']);
      c.close();
    }
    await oracle.stop();
  }
});
