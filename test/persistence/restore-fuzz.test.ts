// Corrupt DUMP payloads: truncations, bit flips and random bytes of every type's payload. The loader only ever fails
// with RdbError (RESTORE's "Bad data format"), over the wire the server stays responsive and nothing half-created remains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RObj } from '../../src/store/db.js';
import { Deque } from '../../src/store/list.js';
import { SetValue } from '../../src/store/set.js';
import { HashValue } from '../../src/store/hash.js';
import { ZSet } from '../../src/store/zset.js';
import { Stream, ConsumerGroup, Consumer, Nack } from '../../src/store/stream.js';
import { RdbWriter, RdbReader, RdbError } from '../../src/persistence/rdb-io.js';
import { saveObjectType, saveObject, loadObject, type ObjectOpts } from '../../src/persistence/rdb-object.js';
import { finishPayload } from '../../src/persistence/payload.js';
import { payload, blob, buildZiplist, buildZipmap } from './builders.js';
import { useServerConn } from '../helpers/server.js';

const DEFAULTS: Record<string, number> = {
  'list-max-listpack-size': -2,
  'list-compress-depth': 0,
  'hash-max-listpack-entries': 512,
  'hash-max-listpack-value': 64,
  'zset-max-listpack-entries': 128,
  'zset-max-listpack-value': 64,
  'set-max-intset-entries': 512,
};
const opts: ObjectOpts = { num: n => DEFAULTS[n], deep: true };

/** A deterministic PRNG (tests must be reproducible). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function samples(): Buffer[] {
  const out: Buffer[] = [];
  const dump = (o: RObj, compress = true): void => {
    const w = new RdbWriter(compress);
    saveObjectType(w, o);
    saveObject(w, o, opts);
    out.push(finishPayload(w.result()));
  };
  dump(new RObj('string', 'x'.repeat(300)));
  dump(new RObj('string', '12345'));
  const d = new Deque();
  for (let i = 0; i < 200; i++) d.pushTail(i % 3 ? 'item' + i : String(i));
  dump(new RObj('list', d, 'quicklist'));
  dump(new RObj('list', d, 'quicklist'), false);
  const si = new SetValue();
  for (let i = 0; i < 20; i++) si.add(String(i * 1000), 512);
  dump(new RObj('set', si, 'intset'));
  const sh = new SetValue();
  sh.ints = null;
  for (let i = 0; i < 20; i++) sh.add('m' + i, 512);
  dump(new RObj('set', sh, 'hashtable'));
  const z = new ZSet();
  for (let i = 0; i < 30; i++) z.insert(i / 3, 'z' + i);
  dump(new RObj('zset', z, 'listpack'));
  dump(new RObj('zset', z, 'skiplist'));
  const h = new HashValue();
  for (let i = 0; i < 20; i++) h.set('f' + i, i % 2 ? String(i) : 'v' + i);
  dump(new RObj('hash', h, 'listpack'));
  dump(new RObj('hash', h, 'hashtable'));
  const s = new Stream();
  for (let i = 1; i <= 30; i++) s.append(i, 0, [Buffer.from('f'), Buffer.from('v' + i), Buffer.from(i % 4 ? 'g' : 'h'), Buffer.from(String(i))], 10, 4096);
  s.delete(3, 0);
  const g = new ConsumerGroup('grp', 10, 0, 10);
  const c = new Consumer('alice', 1700000000000);
  g.consumers.set('alice', c);
  for (const id of [5, 7]) {
    const n = new Nack(id, 0, 1700000000000, 2, c);
    g.pel.insert(n);
    c.pel.insert(n);
  }
  s.groups = new Map([['grp', g]]);
  dump(new RObj('stream', s, 'stream'));
  out.push(payload(9, blob(buildZipmap([['a', 'b'], ['c', 'd']]))));
  out.push(payload(10, blob(buildZiplist(['a', 1, 'b', 300]))));
  out.push(payload(12, blob(buildZiplist(['a', 1, 'b', '2.5']))));
  out.push(payload(13, blob(buildZiplist(['a', 'x', 'b', 7]))));
  return out;
}

/** loadObject over a payload: the object, or null for an RdbError; any other exception fails the test. */
function tryLoad(p: Buffer): RObj | null {
  const r = new RdbReader(p);
  try {
    return loadObject(r, r.loadType(), opts);
  } catch (e) {
    if (e instanceof RdbError) return null;
    throw new Error(`non-RdbError for payload ${p.toString('hex')}: ${(e as Error).stack}`);
  }
}

test('every sample payload loads', () => {
  for (const p of samples()) assert.ok(tryLoad(p), p.toString('hex').slice(0, 60));
});

test('truncations, bit flips and random bytes only ever fail with RdbError', () => {
  const rand = rng(12345);
  let rejected = 0;
  let accepted = 0;
  for (const p of samples()) {
    const body = p.subarray(0, p.length - 10);
    for (let n = 1; n < body.length; n += Math.max(1, Math.floor(body.length / 200))) (tryLoad(Buffer.from(body.subarray(0, n))) ? accepted++ : rejected++);
    for (let k = 0; k < 300; k++) {
      const b = Buffer.from(body);
      const flips = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < flips; f++) b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
      tryLoad(b) ? accepted++ : rejected++;
    }
    for (let k = 0; k < 50; k++) {
      const b = Buffer.from(body);
      const at = Math.floor(rand() * b.length);
      for (let i = at; i < Math.min(b.length, at + 8); i++) b[i] = Math.floor(rand() * 256);
      tryLoad(b) ? accepted++ : rejected++;
    }
  }
  assert.ok(rejected > 1000, `rejected ${rejected}, accepted ${accepted}`);
});

const t = useServerConn();

test('RESTORE of corrupt payloads over the wire: Bad data format, nothing created, server responsive', async () => {
  // each corrupt body gets a valid footer (finishPayload), so the corruption reaches the loader
  const rand = rng(777);
  {
    let n = 0;
    for (const p of samples()) {
      const body = p.subarray(0, p.length - 10);
      for (let k = 0; k < 40; k++) {
        const b = Buffer.from(body);
        if (k % 2) b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
        const cut = k % 2 ? b : b.subarray(0, Math.floor(rand() * b.length));
        const key = 'fz' + n++;
        const reply = await t.call('RESTORE', key, '0', finishPayload(cut));
        if (reply === '+OK\r\n') {
          // whatever loaded is a working value: it dumps and reports a type
          assert.match(await t.call('TYPE', key), /^\+(string|list|set|zset|hash|stream)\r\n$/);
          assert.match(await t.call('DUMP', key), /^\$\d+\r\n/);
          await t.call('DEL', key);
        } else {
          assert.equal(reply, '-ERR Bad data format\r\n');
          assert.equal(await t.call('EXISTS', key), ':0\r\n');
        }
      }
    }
    assert.equal(await t.call('PING'), '+PONG\r\n');
    assert.equal(await t.call('DBSIZE'), ':0\r\n');
  }
});
