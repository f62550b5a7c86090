// Streams: the node-structured store (boundaries, trimming, range reads), and multi-client behaviour of blocking
// XREAD/XREADGROUP, consumer-group delivery and claiming.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { Stream, dupStream, lpStrSize, U64_MAX, type U64 } from '../../src/store/stream.js';
import { copyObject } from '../../src/store/copy.js';
import '../../src/commands/streams.js';
import { RObj } from '../../src/store/db.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const b = (s: string) => Buffer.from(s);

function ids(s: Stream, rev = false, start: U64 = 0, end: U64 = U64_MAX): string[] {
  const out: string[] = [];
  s.range(start, 0, end, U64_MAX, rev, e => (out.push(e.id), true));
  return out;
}

describe('stream store', () => {
  test('nodes split at stream-node-max-entries counting deleted entries', () => {
    const s = new Stream();
    for (let i = 1; i <= 250; i++) s.append(i, 0, [b('f'), b('v' + i)], 100, 4096);
    assert.deepEqual(s.nodes.map(n => n.entries.length), [100, 100, 50]);
    assert.equal(s.length, 250);
    assert.equal(s.delete(150, 0), true);
    assert.equal(s.delete(150, 0), false);
    assert.equal(s.nodes[1].entries.length, 100);
    assert.equal(s.nodes[1].live, 99);
    assert.equal(s.length, 249);
  });

  test('nodes split at stream-node-max-bytes using listpack sizes', () => {
    const s = new Stream();
    const big = Buffer.alloc(1000, 120);
    for (let i = 1; i <= 5; i++) s.append(i, 0, [b('field'), big], 100, 4096);
    // a new node starts once lpBytes + the new entry's field/value lengths reach 4096
    assert.deepEqual(s.nodes.map(n => n.entries.length), [4, 1]);
    assert.ok(s.nodes[0].bytes > 4000 && s.nodes[0].bytes + 1005 >= 4096);
  });

  test('listpack element sizes: integers are stored as integers', () => {
    assert.equal(lpStrSize(b('7')), 2);
    assert.equal(lpStrSize(b('127')), 2);
    assert.equal(lpStrSize(b('128')), 3);
    assert.equal(lpStrSize(b('-4096')), 3);
    assert.equal(lpStrSize(b('007')), 5);
    assert.equal(lpStrSize(b('abc')), 5);
    assert.equal(lpStrSize(Buffer.alloc(100, 97)), 103);
  });

  test('range forward, reverse, bounded, skipping tombstones', () => {
    const s = new Stream();
    for (let i = 1; i <= 300; i++) s.append(i, 0, [b('f'), b('v')], 100, 4096);
    s.delete(2, 0);
    s.delete(101, 0);
    assert.deepEqual(ids(s).slice(0, 3), ['1-0', '3-0', '4-0']);
    assert.deepEqual(ids(s, true).slice(0, 2), ['300-0', '299-0']);
    assert.deepEqual(ids(s, false, 99, 102), ['99-0', '100-0', '102-0']);
    assert.deepEqual(ids(s, true, 99, 102), ['102-0', '100-0', '99-0']);
    assert.deepEqual(ids(s, false, 400, 500), []);
  });

  test('approximate MAXLEN trimming removes whole nodes only', () => {
    const s = new Stream();
    for (let i = 1; i <= 250; i++) s.append(i, 0, [b('f'), b('v')], 100, 4096);
    assert.equal(s.trim({ strategy: 'maxlen', approx: true, limit: 10000, maxlen: 120, minid: { ms: 0, seq: 0 } }), 100);
    assert.equal(s.length, 150);
    assert.equal(s.firstMs, 101);
    assert.equal(s.trim({ strategy: 'maxlen', approx: false, limit: 0, maxlen: 120, minid: { ms: 0, seq: 0 } }), 30);
    assert.equal(s.length, 120);
    assert.equal(s.firstMs, 131);
    assert.equal(s.trim({ strategy: 'minid', approx: false, limit: 0, maxlen: 0, minid: { ms: 200, seq: 0 } }), 69);
    assert.equal(ids(s)[0], '200-0');
  });

  test('lag and entries-read helpers follow Redis 7.0 rules', () => {
    const s = new Stream();
    for (let i = 1; i <= 5; i++) s.append(i, 0, [b('f'), b('v')], 100, 4096);
    assert.equal(s.estimateDistance(5, 0), 5);
    assert.equal(s.estimateDistance(1, 0), 1);
    assert.equal(s.estimateDistance(0, 1), 0);
    assert.equal(s.estimateDistance(3, 0), -1);
    assert.equal(s.estimateDistance(9, 0), -1);
  });

  test('raxNodes counts the compressed radix tree of node keys', () => {
    const s = new Stream();
    assert.equal(s.raxNodes(), 1);
    s.append(1, 1, [b('a'), b('1')], 100, 4096);
    assert.equal(s.raxNodes(), 2);
  });

  test('dupStream copies are independent (COPY)', () => {
    const s = new Stream();
    for (let i = 1; i <= 3; i++) s.append(i, 0, [b('f'), b('v')], 100, 4096);
    const o = copyObject(new RObj('stream', s, 'stream'));
    const d = o.value as Stream;
    assert.notEqual(d, s);
    d.delete(1, 0);
    assert.equal(s.length, 3);
    assert.equal(d.length, 2);
    assert.equal(ids(s)[0], '1-0');
    assert.equal(dupStream(d).length, 2);
  });
});

describe('streams over the network', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startServer({ log: false });
  });
  after(async () => {
    await srv.close();
  });

  const conn = () => RawConn.connect(srv.port);
  const str = (b: Buffer) => b.toString('latin1');

  test('XREAD BLOCK $ is woken by XADD, served once, after the writer got its reply', async () => {
    const [r1, r2, w] = await Promise.all([conn(), conn(), conn()]);
    await w.call(['DEL', 'bs']);
    r1.send(['XREAD', 'BLOCK', '0', 'STREAMS', 'bs', '$']);
    r2.send(['XREAD', 'BLOCK', '5000', 'COUNT', '1', 'STREAMS', 'other', 'bs', '$', '$']);
    await sleep(50);
    assert.equal(str(await w.call(['XADD', 'bs', '1-1', 'k', 'v'])), '$3\r\n1-1\r\n');
    const expected = '*1\r\n*2\r\n$2\r\nbs\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nk\r\n$1\r\nv\r\n';
    assert.equal(str((await r1.readRaw()).raw), expected);
    assert.equal(str((await r2.readRaw()).raw), expected);
    // no more entries: a timeout gives a null array
    assert.equal(str(await r1.call(['XREAD', 'BLOCK', '30', 'STREAMS', 'bs', '$'])), '*-1\r\n');
    for (const c of [r1, r2, w]) c.close();
  });

  test('RESP3 blocked XREAD replies with a map', async () => {
    const [r, w] = await Promise.all([conn(), conn()]);
    await r.call(['HELLO', '3']);
    r.send(['XREAD', 'BLOCK', '0', 'STREAMS', 'm3', '$']);
    await sleep(30);
    await w.call(['XADD', 'm3', '5-0', 'a', 'b']);
    assert.equal(str((await r.readRaw()).raw), '%1\r\n$2\r\nm3\r\n*1\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    r.close();
    w.close();
  });

  test('XADD inside MULTI serves blocked readers only after EXEC', async () => {
    const [r, w] = await Promise.all([conn(), conn()]);
    r.send(['XREAD', 'BLOCK', '0', 'STREAMS', 'tx', '$']);
    await sleep(30);
    await w.call(['MULTI']);
    await w.call(['XADD', 'tx', '1-0', 'a', '1']);
    await w.call(['XADD', 'tx', '2-0', 'a', '2']);
    const exec = str(await w.call(['EXEC']));
    assert.equal(exec, '*2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n');
    const got = str((await r.readRaw()).raw);
    assert.match(got, /1-0[\s\S]*2-0/);
    r.close();
    w.close();
  });

  test('consumer group: blocked readers share new entries, NOGROUP on destroy, UNBLOCKED on delete', async () => {
    const [a, c2, w] = await Promise.all([conn(), conn(), conn()]);
    await w.call(['DEL', 'gs']);
    await w.call(['XGROUP', 'CREATE', 'gs', 'g', '$', 'MKSTREAM']);
    a.send(['XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'gs', '>']);
    c2.send(['XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 'gs', '>']);
    await sleep(50);
    await w.call(['XADD', 'gs', '1-0', 'n', '1']);
    assert.match(str((await a.readRaw()).raw), /1-0/);
    await w.call(['XADD', 'gs', '2-0', 'n', '2']);
    assert.match(str((await c2.readRaw()).raw), /2-0/);
    const pending = str(await w.call(['XPENDING', 'gs', 'g']));
    assert.equal(pending, '*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n');
    // claiming: bob takes alice's entry
    assert.match(str(await w.call(['XCLAIM', 'gs', 'g', 'bob', '0', '1-0', 'JUSTID'])), /1-0/);
    assert.equal(str(await w.call(['XPENDING', 'gs', 'g', '-', '+', '10', 'alice'])), '*0\r\n');
    // destroy the group while alice waits
    a.send(['XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 'gs', '>']);
    await sleep(30);
    await w.call(['XGROUP', 'DESTROY', 'gs', 'g']);
    assert.equal(str((await a.readRaw()).raw), '-NOGROUP the consumer group this client was blocked on no longer exists\r\n');
    // delete the key while bob waits
    await w.call(['XGROUP', 'CREATE', 'gs', 'g', '$']);
    c2.send(['XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 'gs', '>']);
    await sleep(30);
    await w.call(['DEL', 'gs']);
    assert.equal(str((await c2.readRaw()).raw), '-UNBLOCKED the stream key no longer exists\r\n');
    for (const c of [a, c2, w]) c.close();
  });

  test('a blocked XREADGROUP is released when its stream expires or is overwritten', async () => {
    const [r, w] = await Promise.all([conn(), conn()]);
    await w.call(['DEL', 'ex']);
    await w.call(['XGROUP', 'CREATE', 'ex', 'g', '$', 'MKSTREAM']);
    await w.call(['PEXPIRE', 'ex', '100']);
    const t0 = Date.now();
    assert.equal(str(await r.call(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '5000', 'STREAMS', 'ex', '>'])), '-UNBLOCKED the stream key no longer exists\r\n');
    assert.ok(Date.now() - t0 < 4000);
    await w.call(['XGROUP', 'CREATE', 'ex', 'g', '$', 'MKSTREAM']);
    r.send(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'ex', '>']);
    await sleep(30);
    await w.call(['SET', 'ex', 'now a string']);
    assert.equal(str((await r.readRaw()).raw), '-UNBLOCKED the stream key no longer exists\r\n');
    // a plain XREAD keeps waiting when the key changes type
    r.send(['XREAD', 'BLOCK', '200', 'STREAMS', 'ex2', '$']);
    await sleep(30);
    await w.call(['SET', 'ex2', 'x']);
    assert.equal(str((await r.readRaw()).raw), '*-1\r\n');
    r.close();
    w.close();
  });

  test('XREADGROUP BLOCK with COUNT serves at most COUNT and creates the consumer', async () => {
    const [r, w] = await Promise.all([conn(), conn()]);
    await w.call(['DEL', 'cs']);
    await w.call(['XGROUP', 'CREATE', 'cs', 'g', '$', 'MKSTREAM']);
    r.send(['XREADGROUP', 'GROUP', 'g', 'newc', 'COUNT', '1', 'BLOCK', '1000', 'STREAMS', 'cs', '>']);
    await sleep(30);
    await w.call(['MULTI']);
    await w.call(['XADD', 'cs', '1-0', 'a', '1']);
    await w.call(['XADD', 'cs', '2-0', 'a', '2']);
    await w.call(['EXEC']);
    const got = str((await r.readRaw()).raw);
    assert.match(got, /1-0/);
    assert.doesNotMatch(got, /2-0/);
    assert.match(str(await w.call(['XINFO', 'CONSUMERS', 'cs', 'g'])), /newc/);
    r.close();
    w.close();
  });

  test('blocked reader times out with a null reply; client can continue', async () => {
    const r = await conn();
    const t0 = Date.now();
    assert.equal(str(await r.call(['XREAD', 'BLOCK', '100', 'STREAMS', 'nothing', '$'])), '*-1\r\n');
    assert.ok(Date.now() - t0 >= 95);
    assert.equal(str(await r.call(['PING'])), '+PONG\r\n');
    r.close();
  });

  test('a disconnected blocked client is forgotten', async () => {
    const [r, w] = await Promise.all([conn(), conn()]);
    r.send(['XREAD', 'BLOCK', '0', 'STREAMS', 'gone', '$']);
    await sleep(30);
    r.close();
    await sleep(30);
    assert.equal(str(await w.call(['XADD', 'gone', '1-0', 'a', 'b'])), '$3\r\n1-0\r\n');
    assert.equal(srv.server.blocking.blockedClients, 0);
    w.close();
  });

  test('XAUTOCLAIM reports deleted entries and transfers ownership', async () => {
    const w = await conn();
    await w.call(['DEL', 'ac']);
    for (let i = 1; i <= 4; i++) await w.call(['XADD', 'ac', `${i}-0`, 'f', 'v']);
    await w.call(['XGROUP', 'CREATE', 'ac', 'g', '0']);
    await w.call(['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 'ac', '>']);
    await w.call(['XDEL', 'ac', '2-0']);
    const r = str(await w.call(['XAUTOCLAIM', 'ac', 'g', 'b', '0', '0', 'JUSTID']));
    assert.equal(r, '*3\r\n$3\r\n0-0\r\n*3\r\n$3\r\n1-0\r\n$3\r\n3-0\r\n$3\r\n4-0\r\n*1\r\n$3\r\n2-0\r\n');
    assert.match(str(await w.call(['XPENDING', 'ac', 'g'])), /\$1\r\nb\r\n\$1\r\n3\r\n/);
    w.close();
  });
});
