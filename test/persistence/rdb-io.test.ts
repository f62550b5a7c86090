// RDB primitives, CRC64 and LZF: unit tests plus payloads recorded from redis-server 7.0.15 (DUMP of strings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RdbWriter, RdbReader, RdbError } from '../../src/persistence/rdb-io.js';
import { crc64, Crc64 } from '../../src/persistence/crc64.js';
import { lzfCompress, lzfDecompress } from '../../src/persistence/lzf.js';

// DUMP payloads of strings from redis-server 7.0.15 (rdbcompression yes): [value, hex]
const GOLDEN: [string, string][] = [
  ['a'.repeat(100), '00c3094064016161e057000161610a00e8a3b507b06df271'],
  ['abcabcabd'.repeat(7) + 'xyzxyzxyzxyzxyzxyzxy', '00c31a40530361626361400200646005200be025080278797ae006020178790a00b0c44b406b099bd1'],
  ['12345', '00c139300a009d94ea2793fc08b9'],
  ['-129', '00c17fff0a001760822854808480'],
  ['4294967296', '000a343239343936373239360a00a5a389c81a8c4656'],
  ['hello world', '000b68656c6c6f20776f726c640a000bfc49b9a6c7a034'],
  ['-2147483648', '00c2000000800a00c74f873e33558187'],
  ['007', '00033030370a007258e27b4c69bad9'],
  ['x'.repeat(20000), '00c340ea8000004e20017878' + 'e0ff00'.repeat(75) + 'e0bb000178780a00b8458d98cf7cab3a'],
];

function bigintCrc(data: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const b of data) {
    crc ^= BigInt(b);
    for (let j = 0; j < 8; j++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

test('crc64: Redis test vector and the bitwise definition', () => {
  assert.equal(crc64(Buffer.from('123456789')), 0xe9c6d914c4b8d9can);
  for (const n of [0, 1, 3, 4, 5, 7, 8, 9, 63, 100]) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = (i * 37 + 11) & 0xff;
    assert.equal(crc64(b), bigintCrc(b), `len ${n}`);
    // in pieces
    const c = new Crc64();
    c.update(b, 0, n >> 1).update(b, n >> 1, n);
    assert.equal(c.value, bigintCrc(b));
    const out = Buffer.alloc(8);
    c.writeLE(out, 0);
    assert.equal(out.readBigUInt64LE(0), bigintCrc(b));
  }
});

test('strings as redis-server DUMPs them (integer encoding, LZF, verbatim) and the DUMP footer', () => {
  for (const [v, hex] of GOLDEN) {
    const w = new RdbWriter(true);
    w.saveType(0);
    w.saveString(Buffer.from(v, 'latin1'));
    w.raw(Buffer.from([10, 0]));
    const c = new Crc64().update(w.result());
    w.ensure(8);
    c.writeLE(w.buf, w.pos);
    w.pos += 8;
    assert.equal(w.result().toString('hex'), hex, v.slice(0, 20));
    const r = new RdbReader(Buffer.from(hex, 'hex'));
    assert.equal(r.loadType(), 0);
    assert.equal(r.loadString().toString('latin1'), v);
  }
});

test('rdbcompression off writes verbatim', () => {
  const w = new RdbWriter(false);
  w.saveString('a'.repeat(100));
  assert.equal(w.result().toString('hex'), '4064' + '61'.repeat(100));
});

test('lengths: 6, 14, 32 and 64-bit encodings round-trip', () => {
  const w = new RdbWriter();
  const lens = [0, 63, 64, 16383, 16384, 0xffffffff, 2 ** 40];
  for (const l of lens) w.saveLen(l);
  w.saveLen(0xffffffffffffffffn);
  const b = w.result();
  assert.equal(b.subarray(0, 1).toString('hex'), '00');
  const r = new RdbReader(Buffer.from(b));
  for (const l of lens) assert.equal(r.loadLen(), l);
  assert.equal(r.loadLenBig(), 0xffffffffffffffffn);
  assert.equal(r.remaining, 0);
});

test('doubles, millis and long longs', () => {
  const w = new RdbWriter();
  w.saveBinaryDouble(1.5);
  w.saveDoubleValue(3.25);
  w.saveDoubleValue(-0);
  w.saveDoubleValue(Infinity);
  w.saveDoubleValue(NaN);
  w.saveDoubleValue(0.1);
  w.saveMillis(1700000000123);
  w.saveLongLongAsString(-9223372036854775808n);
  w.saveLongLongAsString(300);
  const r = new RdbReader(Buffer.from(w.result()));
  assert.equal(r.loadBinaryDouble(), 1.5);
  assert.equal(r.loadDoubleValue(), 3.25);
  assert.equal(r.loadDoubleValue(), 0);
  assert.equal(r.loadDoubleValue(), Infinity);
  assert.ok(Number.isNaN(r.loadDoubleValue()));
  assert.equal(r.loadDoubleValue(), 0.1);
  assert.equal(r.loadMillis(), 1700000000123);
  assert.equal(r.loadString().toString(), '-9223372036854775808');
  assert.equal(r.loadStringOrInt(), 300);
});

test('every truncation of an encoded string throws RdbError', () => {
  for (const [, hex] of GOLDEN) {
    const full = Buffer.from(hex, 'hex');
    const body = full.subarray(1, full.length - 10);
    for (let n = 0; n < body.length; n++) {
      const r = new RdbReader(Buffer.from(body.subarray(0, n)));
      assert.throws(() => r.loadString(), RdbError);
    }
  }
});

test('lzf: round trip, and corrupt input rejected', () => {
  const src = Buffer.from('abcdefabcdefabcdefabcdef-the-quick-brown-fox-abcdefabcdef'.repeat(20));
  const out = Buffer.alloc(src.length);
  const n = lzfCompress(src, out, src.length - 4);
  assert.ok(n > 0 && n < src.length);
  assert.deepEqual(lzfDecompress(out.subarray(0, n), src.length), src);
  assert.equal(lzfDecompress(out.subarray(0, n), src.length + 1), null);
  assert.equal(lzfDecompress(out.subarray(0, n - 1), src.length), null);
  assert.equal(lzfDecompress(Buffer.from([0x20, 0x00]), 3), null); // back-reference before the start
  assert.equal(lzfDecompress(Buffer.from([0x05, 1]), 6), null); // literal run past the input
  // incompressible input does not fit in len-4
  const rnd = Buffer.alloc(64);
  for (let i = 0; i < 64; i++) rnd[i] = (i * 151 + 7) & 0xff;
  assert.equal(lzfCompress(rnd, Buffer.alloc(61), 60), 0);
});
