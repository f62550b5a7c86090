// Objects to RDB and back for every type and encoding, the encodings chosen on load, and legacy types decoded from hand-built payloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RObj } from '../../src/store/db.js';
import { Deque } from '../../src/store/list.js';
import { SetValue } from '../../src/store/set.js';
import { HashValue } from '../../src/store/hash.js';
import { ZSet } from '../../src/store/zset.js';
import { Stream, ConsumerGroup, Consumer, Nack } from '../../src/store/stream.js';
import { RdbWriter, RdbReader, RdbError, RDB_TYPE } from '../../src/persistence/rdb-io.js';
import { saveObjectType, saveObject, loadObject, serializedLength, EmptyKeyError, type ObjectOpts } from '../../src/persistence/rdb-object.js';
import { buildZiplist } from './builders.js';

const cfg = (over: Record<string, number> = {}): ObjectOpts => {
  const d: Record<string, number> = {
    'list-max-listpack-size': -2,
    'list-compress-depth': 0,
    'hash-max-listpack-entries': 512,
    'hash-max-listpack-value': 64,
    'zset-max-listpack-entries': 128,
    'zset-max-listpack-value': 64,
    'set-max-intset-entries': 512,
    ...over,
  };
  return { num: n => d[n] };
};

function roundTrip(o: RObj, opts = cfg(), compress = true): RObj {
  const w = new RdbWriter(compress);
  saveObjectType(w, o);
  saveObject(w, o, opts);
  assert.equal(serializedLength(o, { ...opts, compress }), w.length - 1);
  const r = new RdbReader(Buffer.from(w.result()));
  const got = loadObject(r, r.loadType(), opts);
  assert.equal(r.remaining, 0);
  return got;
}

const listOf = (o: RObj): string[] => [...(o.value as Deque)].map(v => (typeof v === 'string' ? v : v.latin1Slice()));
const zsetOf = (o: RObj): [string, number][] => {
  const z = o.value as ZSet;
  const out: [string, number][] = [];
  for (let n = z.first(); n !== 0; n = z.nextOf(n)) out.push([z.eleOf(n), z.scoreOf(n)]);
  return out;
};
const hashOf = (o: RObj): [string, string][] => [...(o.value as HashValue).map].map(([k, e]) => [k, typeof e.v === 'string' ? e.v : e.v.latin1Slice()]);

test('strings: text, integers, long and binary values', () => {
  for (const v of ['', 'hello', '12', '-2147483649', 'x'.repeat(1000), Buffer.from([0, 255, 1, 2])]) {
    const got = roundTrip(new RObj('string', v));
    const b = got.value;
    assert.equal(typeof b === 'string' ? b : (b as Buffer).latin1Slice(), typeof v === 'string' ? v : v.latin1Slice());
  }
  assert.equal(roundTrip(new RObj('string', 1234567)).value, '1234567');
});

test('lists: every element kind, node splits by size and by count, compressed interior nodes', () => {
  const d = new Deque();
  for (let i = 0; i < 5000; i++) d.pushTail(i % 7 === 0 ? 'x'.repeat(i % 300) : i % 2 ? String(i - 2500) : 'e' + i);
  const o = new RObj('list', d, 'quicklist');
  for (const opts of [cfg(), cfg({ 'list-max-listpack-size': 3 }), cfg({ 'list-compress-depth': 2 }), cfg({ 'list-max-listpack-size': -5 })]) {
    const got = roundTrip(o, opts);
    assert.equal(got.enc, 'quicklist');
    assert.deepEqual(listOf(got), listOf(o));
  }
  assert.deepEqual(listOf(roundTrip(o, cfg(), false)), listOf(o));
});

test('sets: intset (16/32/64-bit) and hashtable; a large intset loads as hashtable past set-max-intset-entries', () => {
  const s = new SetValue();
  for (const m of ['1', '-40000', '9223372036854775807', '7']) s.add(m, 512);
  const got = roundTrip(new RObj('set', s, 'intset'));
  assert.equal(got.enc, 'intset');
  assert.deepEqual((got.value as SetValue).toArray(), s.toArray());
  assert.equal(roundTrip(new RObj('set', s, 'intset'), cfg({ 'set-max-intset-entries': 3 })).enc, 'hashtable');
  const h = new SetValue();
  h.ints = null;
  for (const m of ['a', 'b', '1']) h.add(m, 512);
  const gh = roundTrip(new RObj('set', h, 'hashtable'));
  assert.equal(gh.enc, 'hashtable');
  assert.deepEqual((gh.value as SetValue).toArray().sort(), ['1', 'a', 'b']);
  // a hashtable set of integers small enough loads back as an intset (RDB_TYPE_SET with integers only)
  const ints = new SetValue();
  ints.ints = null;
  for (const m of ['3', '1']) ints.add(m, 512);
  assert.equal(roundTrip(new RObj('set', ints, 'hashtable')).enc, 'intset');
});

test('zsets: listpack scores (integers, doubles, inf, -0) and skiplist; thresholds on load', () => {
  const z = new ZSet();
  const items: [number, string][] = [[1, 'a'], [2.5, 'b'], [-Infinity, 'c'], [Infinity, 'd'], [0.1, 'e'], [-0, 'f'], [2 ** 60, 'g'], [1e300, 'h']];
  for (const [s, m] of items) z.insert(s, m);
  const lp = roundTrip(new RObj('zset', z, 'listpack'));
  assert.equal(lp.enc, 'listpack');
  assert.deepEqual(zsetOf(lp), zsetOf(new RObj('zset', z)).map(([m, s]) => [m, s === 0 ? 0 : s]));
  const sl = roundTrip(new RObj('zset', z, 'skiplist'));
  assert.equal(sl.enc, 'listpack'); // ZSET_2 with few short members converts to listpack on load
  assert.equal(roundTrip(new RObj('zset', z, 'skiplist'), cfg({ 'zset-max-listpack-entries': 4 })).enc, 'skiplist');
  assert.equal(roundTrip(new RObj('zset', z, 'listpack'), cfg({ 'zset-max-listpack-entries': 4 })).enc, 'skiplist');
});

test('hashes: listpack order kept; hashtable past the entry or value limits', () => {
  const h = new HashValue();
  h.set('z', '1');
  h.set('a', 'two');
  h.set('m', 'x'.repeat(100));
  const lp = roundTrip(new RObj('hash', h, 'listpack'));
  assert.equal(lp.enc, 'listpack'); // HASH_LISTPACK checks only the entry count (as rdbLoadObject)
  assert.deepEqual(hashOf(lp), [['z', '1'], ['a', 'two'], ['m', 'x'.repeat(100)]]);
  assert.equal(roundTrip(new RObj('hash', h, 'hashtable')).enc, 'hashtable'); // HASH: the long value
  assert.equal(roundTrip(new RObj('hash', h, 'listpack'), cfg({ 'hash-max-listpack-entries': 2 })).enc, 'hashtable');
});

test('streams: nodes, tombstones, groups, PELs, consumers, big IDs and entries_read -1', () => {
  const s = new Stream();
  for (let i = 1; i <= 25; i++) s.append(1000 + i, i % 3, [Buffer.from('f'), Buffer.from('v' + i), ...(i % 5 ? [] : [Buffer.from('extra'), Buffer.from('9')])], 7, 4096);
  s.delete(1003, 0);
  s.maxDelMs = 1003;
  s.append(2n ** 63n, 5, [Buffer.from('big'), Buffer.from('id')], 7, 4096);
  const g = new ConsumerGroup('g', 1010, 1, -1);
  const c1 = new Consumer('bob', 1700000000001);
  const c2 = new Consumer('alice', 1700000000002);
  g.consumers.set('bob', c1);
  g.consumers.set('alice', c2);
  for (const [ms, seq, c] of [[1005, 2, c1], [1006, 0, c2], [1007, 1, c1]] as [number, number, Consumer][]) {
    const n = new Nack(ms, seq, 1700000000500 + ms, ms - 1000, c);
    g.pel.insert(n);
    c.pel.insert(n);
  }
  s.groups = new Map([['g', g], ['empty', new ConsumerGroup('empty', 0, 0, 0)]]);
  const got = roundTrip(new RObj('stream', s, 'stream')).value as Stream;
  assert.equal(got.length, s.length);
  assert.equal(got.nodes.length, s.nodes.length);
  const ids = (x: Stream): string[] => {
    const out: string[] = [];
    x.range(0, 0, 2n ** 64n - 1n, 2n ** 64n - 1n, false, e => (out.push(e.id + ':' + e.fv().join(',')), true));
    return out;
  };
  assert.deepEqual(ids(got), ids(s));
  assert.equal(got.lastMs, 2n ** 63n);
  assert.equal(got.maxDelMs, 1003);
  assert.equal(got.entriesAdded, s.entriesAdded);
  const gg = got.groups!.get('g')!;
  assert.equal(gg.entriesRead, -1);
  assert.deepEqual(gg.pel.toArray().map(n => [n.id, n.deliveryTime, n.deliveryCount, n.consumer!.name]), g.pel.toArray().map(n => [n.id, n.deliveryTime, n.deliveryCount, n.consumer!.name]));
  assert.equal(gg.consumers.get('alice')!.seenTime, 1700000000002);
  assert.deepEqual(s.nodes.map(n => [n.bytes, n.live, n.deleted]), got.nodes.map(n => [n.bytes, n.live, n.deleted]));
});

test('legacy ZSET (text doubles), LIST_QUICKLIST of ziplists, LIST; empty values are refused', () => {
  const w = new RdbWriter(false);
  w.saveLen(2);
  w.saveString('a');
  w.saveDoubleValue(1.25);
  w.saveString('b');
  w.saveDoubleValue(-Infinity);
  const z = loadObject(new RdbReader(Buffer.from(w.result())), RDB_TYPE.ZSET, cfg());
  assert.deepEqual(zsetOf(z), [['b', -Infinity], ['a', 1.25]]);
  const q = new RdbWriter(false);
  q.saveLen(2);
  q.saveString(buildZiplist(['a', 1]));
  q.saveString(buildZiplist(['b', -300]));
  assert.deepEqual(listOf(loadObject(new RdbReader(Buffer.from(q.result())), RDB_TYPE.LIST_QUICKLIST, cfg())), ['a', '1', 'b', '-300']);
  const e = new RdbWriter(false);
  e.saveLen(0);
  for (const t of [RDB_TYPE.LIST, RDB_TYPE.SET, RDB_TYPE.ZSET_2, RDB_TYPE.HASH, RDB_TYPE.LIST_QUICKLIST_2]) {
    assert.throws(() => loadObject(new RdbReader(Buffer.from(e.result())), t, cfg()), EmptyKeyError);
  }
  assert.throws(() => loadObject(new RdbReader(Buffer.from([0])), 8, cfg()), RdbError);
});
