// List family: the ring-buffer deque against a plain-array model, and list commands over the wire (big lists stay fast).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Deque } from '../../src/store/list.js';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import type { RespValue } from '../../src/protocol/resp-value.js';

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

test('Deque clone is deep', () => {
  const d = new Deque();
  d.pushTail(Buffer.from('a'));
  const e = d.clone();
  e.get(0)![0] = 0x62;
  e.pushTail(Buffer.from('c'));
  assert.equal(d.get(0)!.toString(), 'a');
  assert.equal(d.length, 1);
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
  srv.server.dbs[0].setKey('big', { type: 'list', value: d, enc: 'quicklist', lru: 0 });
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

/** Keyspace events (keyevent channel, "event key") produced by running `cmds` on a fresh connection. */
async function keyEvents(port: number, cmds: string[][]): Promise<string[]> {
  const sub = await RawConn.connect(port);
  const w = await RawConn.connect(port);
  await w.call(['FLUSHALL']);
  await w.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
  try {
    await sub.call(['PSUBSCRIBE', '__keyevent@0__:*']);
    for (const c of cmds) await w.call(c);
    await w.call(['PING']);
    const out: string[] = [];
    for (;;) {
      let v: RespValue;
      try {
        v = (await sub.readRaw(80)).value;
      } catch {
        break;
      }
      const a = (v as { a: { b: Buffer }[] }).a;
      out.push(a[2].b.toString().replace('__keyevent@0__:', '') + ' ' + a[3].b.toString());
    }
    return out;
  } finally {
    await w.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    sub.close();
    w.close();
  }
}

test('keyspace events of lists commands (as recorded from redis-server 7.0.15)', async () => {
  const cmds: string[][] = [["RPUSH","l","a","b","c"],["LPUSH","l","z"],["LPUSHX","nx","a"],["LPOP","l"],["RPOP","l","5"],["RPUSH","l","a","b","c","d"],["LSET","l","0","x"],["LINSERT","l","BEFORE","b","y"],["LINSERT","l","BEFORE","nope","y"],["LREM","l","0","y"],["LTRIM","l","0","1"],["LMOVE","l","m","LEFT","RIGHT"],["RPOPLPUSH","l","m"],["LMPOP","1","m","LEFT","COUNT","5"],["RPUSH","q","1"],["BLPOP","q","0"],["RPUSH","q","1","2"],["BLMOVE","q","r","RIGHT","LEFT","0"],["BLMPOP","0","1","q","LEFT"],["LTRIM","r","5","6"]];
  assert.deepEqual(await keyEvents(srv.port, cmds), ["rpush l","lpush l","lpop l","rpop l","del l","rpush l","lset l","linsert l","lrem l","ltrim l","rpush m","lpop l","lpush m","rpop l","del l","lpop m","del m","rpush q","lpop q","del q","rpush q","lpush r","rpop q","lpop q","del q","ltrim r","del r"]);
});
