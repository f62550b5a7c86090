// Unit tests for the FUNCTION DUMP/RESTORE payload helpers: LZF, CRC64 and the RDB string encoding (Redis: lzf_c.c, lzf_d.c, crc64.c, rdb.c).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc64, lzfCompress, lzfDecompress, saveRawString, dumpPayload, verifyPayload, RdbReader } from '../../src/scripting/rdb.js';

test('crc64 Jones matches Redis crc64 test vector', () => {
  assert.equal(crc64(Buffer.from('123456789')), 0xe9c6d914c4b8d9can);
  assert.equal(crc64(Buffer.alloc(0)), 0n);
});

test('lzf round-trips repetitive and random inputs', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
  const inputs = [
    Buffer.from('abcabcabcabcabcabcabcabcabcabcabcabcabc'),
    Buffer.from('x'.repeat(5000)),
    Buffer.from(Array.from({ length: 3000 }, () => rnd() % 4)),
    Buffer.from("#!lua name=mylib\nredis.register_function('f1', function(KEYS, ARGV)\nreturn redis.call('ping')\nend)"),
  ];
  for (const input of inputs) {
    const out = Buffer.alloc(input.length + 64);
    const n = lzfCompress(input, out, input.length + 64);
    assert.ok(n > 0);
    assert.deepEqual(lzfDecompress(out.subarray(0, n), input.length), input);
  }
});

test('lzf gives up when the output does not fit, as rdbSaveLzfStringObject needs', () => {
  const input = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 97) & 0xff));
  assert.equal(lzfCompress(input, Buffer.alloc(100), 96), 0);
});

test('lzf output equals redis-server 7.0.15 bytes for a library', () => {
  // FUNCTION DUMP of this library on redis-server 7.0.15 (rdbcompression yes)
  const code = Buffer.from("#!lua name=mylib\nredis.register_function('f1', function(KEYS, ARGV)\nreturn redis.call('ping')\nend)");
  const expected =
    'f5c3405c40621f23216c7561206e616d653d6d796c69620a72656469732e72656769737465725f0e66756e6374696f6e28276631272c20e0000e0a4b4559532c2041524756292032047475726e2080391063616c6c282770696e6727290a656e64290a0013964dd52997c5bc';
  const parts: Buffer[] = [Buffer.from([0xf5])];
  saveRawString(parts, code, true);
  const payload = dumpPayload(parts);
  assert.equal(payload.toString('hex'), expected);
  assert.ok(verifyPayload(payload, false));
  const bad = Buffer.from(payload);
  bad[5] ^= 1;
  assert.ok(!verifyPayload(bad, false));
  assert.ok(verifyPayload(bad, true));
  const rd = new RdbReader(payload);
  assert.equal(rd.type(), 0xf5);
  assert.deepEqual(rd.string(), code);
});

test('short strings and compression off use the plain length encoding', () => {
  const parts: Buffer[] = [];
  saveRawString(parts, Buffer.from('short'), true);
  assert.equal(Buffer.concat(parts).toString('hex'), '0573686f7274');
  const long = Buffer.from('y'.repeat(300));
  const p2: Buffer[] = [];
  saveRawString(p2, long, false);
  assert.equal(Buffer.concat(p2).subarray(0, 2).toString('hex'), '412c');
  assert.deepEqual(new RdbReader(Buffer.concat(p2)).string(), long);
});
