// Bitmaps: big offsets, in-place growth, BITFIELD overflow semantics not covered elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerConn } from '../helpers/server.js';

const t = useServerConn();
const call = t.call;

test('SETBIT at a large offset pads with zeros and counts bits', async () => {
  assert.equal(await call('SETBIT', 'b', '8000007', '1'), ':0\r\n');
  assert.equal(await call('STRLEN', 'b'), ':1000001\r\n');
  assert.equal(await call('BITCOUNT', 'b'), ':1\r\n');
  assert.equal(await call('BITPOS', 'b', '1'), ':8000007\r\n');
  assert.equal(await call('SETBIT', 'b', '8000007', '0'), ':1\r\n');
  assert.equal(await call('BITPOS', 'b', '1'), ':-1\r\n');
  assert.equal(await call('SETBIT', 'b', '4294967296', '1'), '-ERR bit offset is not an integer or out of range\r\n');
});

test('many SETBITs on a growing bitmap stay fast (in place)', async () => {
  await call('DEL', 'g');
  const t0 = performance.now();
  for (let i = 0; i < 5000; i++) t.c.send(['SETBIT', 'g', i * 64, '1']);
  for (let i = 0; i < 5000; i++) await t.c.readRaw();
  assert.ok(performance.now() - t0 < 5000);
  assert.equal(await call('BITCOUNT', 'g'), ':5000\r\n');
});

test('BITFIELD overflow modes', async () => {
  await call('DEL', 'f');
  assert.equal(await call('BITFIELD', 'f', 'OVERFLOW', 'WRAP', 'INCRBY', 'u2', '0', '5'), '*1\r\n:1\r\n');
  assert.equal(await call('BITFIELD', 'f', 'OVERFLOW', 'SAT', 'INCRBY', 'i3', '2', '100'), '*1\r\n:3\r\n');
  assert.equal(await call('BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'i3', '2', '1'), '*1\r\n$-1\r\n');
  assert.equal(await call('BITFIELD', 'f', 'INCRBY', 'i64', '0', '9223372036854775807', 'GET', 'i64', '0'), '*2\r\n:-2882303761517117441\r\n:-2882303761517117441\r\n' /* checked against redis-server */);
});
