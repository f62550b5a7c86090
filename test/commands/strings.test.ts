// String commands: behaviours that the differential goldens cannot show (in-place buffers, big values, pipelines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerConn } from '../helpers/server.js';

const t = useServerConn();
const call = t.call;

test('GET of a big value is not changed by a SETRANGE pipelined right after it', async () => {
  const big = 'a'.repeat(100000);
  assert.equal(await call('SET', 'big', big), '+OK\r\n');
  await call('APPEND', 'big', 'b'); // make it a growable in-place string
  t.c.send(['GET', 'big']);
  t.c.send(['SETRANGE', 'big', '0', 'zzzz']);
  t.c.send(['SETBIT', 'big', '9', '1']);
  const r1 = (await t.c.readRaw()).raw.toString('latin1');
  assert.equal(r1, `$100001\r\n${big}b\r\n`);
  assert.equal((await t.c.readRaw()).raw.toString(), ':100001\r\n');
  assert.equal((await t.c.readRaw()).raw.toString(), ':1\r\n');
  const after = await call('GETRANGE', 'big', '0', '5');
  assert.equal(after, '$6\r\nzzzzaa\r\n');
});

test('APPEND grows in place without quadratic copying and keeps binary data', async () => {
  await call('DEL', 'ap');
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) t.c.send(['APPEND', 'ap', Buffer.from([i & 255, 0, 13, 10])]);
  let last = '';
  for (let i = 0; i < 2000; i++) last = (await t.c.readRaw()).raw.toString();
  assert.equal(last, ':8000\r\n');
  assert.ok(performance.now() - t0 < 5000);
  const v = await t.c.callValue(['GET', 'ap']);
  assert.ok(v.t === '$' && v.b !== null);
  if (v.t === '$' && v.b) {
    assert.equal(v.b.length, 8000);
    assert.deepEqual([...v.b.subarray(4 * 300, 4 * 300 + 4)], [300 & 255, 0, 13, 10]);
  }
  assert.equal(await call('OBJECT', 'ENCODING', 'ap'), '$3\r\nraw\r\n');
});

test('values are copied out of socket buffers', async () => {
  t.c.send(['SET', 'x1', 'value-one']);
  t.c.send(['SET', 'x2', 'value-two']);
  await t.c.readRaw();
  await t.c.readRaw();
  assert.equal(await call('MGET', 'x1', 'x2'), '*2\r\n$9\r\nvalue-one\r\n$9\r\nvalue-two\r\n');
});

test('INCR family: exact int64 limits and TTL kept', async () => {
  await call('SET', 'n', '9007199254740991');
  assert.equal(await call('INCR', 'n'), ':9007199254740992\r\n');
  assert.equal(await call('INCR', 'n'), ':9007199254740993\r\n');
  assert.equal(await call('INCRBY', 'n', '-9007199254740993'), ':0\r\n');
  await call('SET', 'n', '9223372036854775807');
  assert.equal(await call('INCR', 'n'), '-ERR increment or decrement would overflow\r\n');
  assert.equal(await call('GET', 'n'), '$19\r\n9223372036854775807\r\n');
  assert.equal(await call('DECRBY', 'n', '-9223372036854775808'), '-ERR decrement would overflow\r\n');
  await call('SET', 't', '1', 'EX', '100');
  await call('INCRBYFLOAT', 't', '1.5');
  assert.equal(await call('TTL', 't'), ':100\r\n');
  assert.equal(await call('GET', 't'), '$3\r\n2.5\r\n');
});

test('SET options: GET returns old value, KEEPTTL keeps, plain SET clears TTL', async () => {
  await call('SET', 'k', 'v1', 'EX', '50');
  assert.equal(await call('SET', 'k', 'v2', 'KEEPTTL', 'GET'), '$2\r\nv1\r\n');
  assert.equal(await call('TTL', 'k'), ':50\r\n');
  await call('SET', 'k', 'v3');
  assert.equal(await call('TTL', 'k'), ':-1\r\n');
  assert.equal(await call('SET', 'k', 'v', 'PX', '9223372036854775807'), "-ERR invalid expire time in 'set' command\r\n");
  assert.equal(await call('SETEX', 'k', '0', 'v'), "-ERR invalid expire time in 'setex' command\r\n");
  assert.equal(await call('GETEX', 'k', 'EX', '-1'), "-ERR invalid expire time in 'getex' command\r\n");
});

test('proto-max-bulk-len limits APPEND and SETRANGE', async () => {
  await call('CONFIG', 'SET', 'proto-max-bulk-len', '2000000');
  try {
    assert.equal(await call('SETRANGE', 'lim', '1999999', 'ab'), '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n');
    assert.equal(await call('SETRANGE', 'lim', '1999998', 'ab'), ':2000000\r\n');
    assert.equal(await call('APPEND', 'lim', 'x'), '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n');
  } finally {
    await call('CONFIG', 'SET', 'proto-max-bulk-len', '536870912');
  }
});
