// Listpack, intset, ziplist and zipmap codecs: round trips, hand-built legacy blobs, and corruption always rejected as RdbError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LpWriter, lpDecode, lpEntrySize, type LpElem } from '../../src/persistence/listpack.js';
import { intsetEncode, intsetDecode } from '../../src/persistence/intset.js';
import { ziplistDecode, zipmapDecode } from '../../src/persistence/ziplist.js';
import { RdbError } from '../../src/persistence/rdb-io.js';
import { buildZiplist, buildZipmap } from './builders.js';

const norm = (e: LpElem): string => (typeof e === 'object' ? 's:' + e.toString('latin1') : 'i:' + String(e));

/** Every truncation and every single-byte change decodes or throws RdbError: never another exception. */
function fuzz(blob: Buffer, decode: (b: Buffer) => unknown): void {
  for (let n = 0; n < blob.length; n++) {
    try {
      decode(Buffer.from(blob.subarray(0, n)));
      assert.fail('truncated blob accepted');
    } catch (e) {
      assert.ok(e instanceof RdbError, String(e));
    }
  }
  for (let i = 0; i < blob.length; i++) {
    for (const x of [1, 0x80, 0xff]) {
      const b = Buffer.from(blob);
      b[i] ^= x;
      try {
        decode(b);
      } catch (e) {
        assert.ok(e instanceof RdbError, String(e));
      }
    }
  }
}

test('listpack: every integer width and string length round-trips; entry sizes agree', () => {
  const ints = [0, 127, 128, -1, 4095, -4096, 4096, 32767, -32768, 32768, 8388607, -8388608, 8388608, 2147483647, -2147483648, 2147483648, 9007199254740993n, -9223372036854775808n];
  const strs = ['', 'a', 'x'.repeat(63), 'x'.repeat(64), 'y'.repeat(4095), 'z'.repeat(4096), '007', '-0', '1a', ' 1'];
  const w = new LpWriter();
  let bytes = 7;
  for (const v of ints) {
    w.append(Buffer.from(String(v)));
    bytes += lpEntrySize(Buffer.from(String(v)));
  }
  for (const s of strs) {
    w.append(Buffer.from(s));
    bytes += lpEntrySize(Buffer.from(s));
  }
  const lp = w.finish();
  assert.equal(lp.length, bytes);
  const got = lpDecode(lp).map(norm);
  assert.deepEqual(got, [...ints.map(v => 'i:' + String(v)), ...strs.map(s => 's:' + s)]);
});

test('listpack: corruption is rejected', () => {
  const w = new LpWriter();
  for (const s of ['a', '1', 'hello', '-5000', 'x'.repeat(70), '123456789012']) w.append(Buffer.from(s));
  const lp = w.finish();
  fuzz(lp, lpDecode);
  const bad = Buffer.from(lp);
  bad.writeUInt16LE(5, 4); // wrong count
  assert.throws(() => lpDecode(bad), RdbError);
});

test('intset: encodings and deep validation', () => {
  for (const vals of [[1n, 2n, 3n], [-40000n, 5n], [-(2n ** 63n), 0n, 2n ** 63n - 1n]]) {
    assert.deepEqual(intsetDecode(intsetEncode(vals)), vals);
  }
  assert.equal(intsetEncode([1n, 70000n]).readUInt32LE(0), 4);
  const unsorted = intsetEncode([1n, 2n]);
  unsorted.writeInt16LE(5, 8);
  assert.throws(() => intsetDecode(unsorted), RdbError);
  assert.throws(() => intsetDecode(intsetEncode([])), RdbError); // empty
  fuzz(intsetEncode([1n, 2n, 300n]), intsetDecode);
});

test('ziplist: decoding hand-built blobs, and corruption rejected', () => {
  const zl = buildZiplist(['a', 5, 100, 'hello', 123456789, 'x'.repeat(300), -7]);
  assert.deepEqual(ziplistDecode(zl).map(norm), ['s:a', 'i:5', 'i:100', 's:hello', 'i:123456789', 's:' + 'x'.repeat(300), 'i:-7']);
  fuzz(buildZiplist(['a', 5, 'hello', 300000]), ziplistDecode);
});

test('zipmap: decoding and corruption', () => {
  const zm = buildZipmap([
    ['f1', 'v1'],
    ['f2', 'value2'],
  ]);
  assert.deepEqual(zipmapDecode(zm).map(b => b.toString()), ['f1', 'v1', 'f2', 'value2']);
  fuzz(zm, zipmapDecode);
});
