// Intset encoder and validating decoder (Redis: intset.c intsetAdd layout, intsetValidateIntegrity).
import { RdbError } from './rdb-io.js';

/** The intset blob of sorted, distinct int64 values, in the narrowest encoding that holds them all. */
export function intsetEncode(sorted: readonly bigint[]): Buffer {
  let enc = 2;
  for (const v of sorted) {
    if (v < -2147483648n || v > 2147483647n) {
      enc = 8;
      break;
    }
    if (v < -32768n || v > 32767n) enc = 4;
  }
  const b = Buffer.allocUnsafe(8 + enc * sorted.length);
  b.writeUInt32LE(enc, 0);
  b.writeUInt32LE(sorted.length, 4);
  let p = 8;
  for (const v of sorted) {
    if (enc === 2) b.writeInt16LE(Number(v), p);
    else if (enc === 4) b.writeInt32LE(Number(v), p);
    else b.writeBigInt64LE(v, p);
    p += enc;
  }
  return b;
}

/** intsetValidateIntegrity (deep: strictly ascending) fused with decoding. */
export function intsetDecode(b: Buffer, deep = true): bigint[] {
  const bad = (): never => {
    throw new RdbError('intset integrity check failed');
  };
  if (b.length < 8) bad();
  const enc = b.readUInt32LE(0);
  if (enc !== 2 && enc !== 4 && enc !== 8) bad();
  const count = b.readUInt32LE(4);
  if (8 + count * enc !== b.length) bad();
  if (count === 0) bad();
  const out: bigint[] = new Array(count);
  for (let i = 0, p = 8; i < count; i++, p += enc) {
    out[i] = enc === 2 ? BigInt(b.readInt16LE(p)) : enc === 4 ? BigInt(b.readInt32LE(p)) : b.readBigInt64LE(p);
    if (deep && i > 0 && out[i] <= out[i - 1]) bad();
  }
  return out;
}
