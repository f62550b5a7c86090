// RObj: type, encoding and LRU clock packed in one small integer next to the value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RObj } from '../../src/store/db.js';

test('type and enc come back as constructed, enc can change within the type', () => {
  const o = new RObj('hash', new Map(), 'listpack');
  assert.equal(o.type, 'hash');
  assert.equal(o.enc, 'listpack');
  o.enc = 'hashtable';
  assert.equal(o.type, 'hash');
  assert.equal(o.enc, 'hashtable');
  const s = new RObj('string', 'v');
  assert.equal(s.type, 'string');
  assert.equal(s.enc, undefined);
  s.enc = 'raw';
  assert.equal(s.enc, 'raw');
  s.enc = undefined;
  assert.equal(s.enc, undefined);
  assert.equal(s.type, 'string');
  for (const [t, e] of [['list', 'quicklist'], ['set', 'intset'], ['set', 'hashtable'], ['zset', 'listpack'], ['zset', 'skiplist'], ['stream', 'stream'], ['string', 'embstr'], ['string', 'int']] as const) {
    const x = new RObj(t, null, e);
    assert.deepEqual([x.type, x.enc], [t, e]);
  }
});

test('an encoding of another type is refused', () => {
  assert.throws(() => new RObj('list', null, 'intset'), /no encoding intset for type list/);
  const o = new RObj('set', null, 'intset');
  assert.throws(() => (o.enc = 'quicklist'), /no encoding quicklist for type set/);
  assert.equal(o.enc, 'intset');
});

test('the 24-bit LRU clock is kept independently of the kind', () => {
  const o = new RObj('zset', null, 'skiplist');
  assert.equal(o.lru, 0);
  for (const v of [1, 12345, 0x7fffff, 0x800000, 0xffffff]) {
    o.lru = v;
    assert.equal(o.lru, v);
    assert.equal(o.type, 'zset');
    assert.equal(o.enc, 'skiplist');
  }
  o.enc = 'listpack';
  assert.equal(o.lru, 0xffffff);
  o.lru = 0x1000005; // wraps like Redis's LRU_CLOCK_MAX mask
  assert.equal(o.lru, 5);
  assert.equal(o.enc, 'listpack');
});

test('three small fields only: the value, the packed bits and the memory model\'s measure', () => {
  assert.deepEqual(Object.keys(new RObj('string', 'x', 'raw')), ['value', 'bits', 'mem']);
});
