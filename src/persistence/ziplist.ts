// Legacy ziplist and zipmap decoders with Redis's integrity checks (Redis: ziplist.c ziplistValidateIntegrity/zipEntrySafe, zipmap.c zipmapValidateIntegrity); read-only: 7.0 converts them on load.
import { RdbError } from './rdb-io.js';
import type { LpElem } from './listpack.js';

const HEADER = 10;

/** The elements of a ziplist, validated as ziplistValidateIntegrity(deep) does. */
export function ziplistDecode(zl: Buffer): LpElem[] {
  const bad = (): never => {
    throw new RdbError('ziplist integrity check failed');
  };
  const size = zl.length;
  if (size < HEADER + 1) bad();
  if (zl.readUInt32LE(0) !== size) bad();
  if (zl[size - 1] !== 0xff) bad();
  const tail = zl.readUInt32LE(4);
  if (tail > size - 1) bad();
  const headerCount = zl.readUInt16LE(8);
  const first = HEADER;
  const last = size - 1; // zllast: the END byte
  const out: LpElem[] = [];
  let p = HEADER;
  let prev = -1;
  let prevRaw = 0;
  while (zl[p] !== 0xff) {
    if (p < first || p > last) bad();
    // prevlen
    const prevLenSize = zl[p] < 254 ? 1 : 5;
    if (p + prevLenSize > last) bad();
    const prevLen = prevLenSize === 1 ? zl[p] : zl.readUInt32LE(p + 1);
    const q = p + prevLenSize;
    const enc = zl[q];
    let lensize: number;
    let len: number;
    let el: LpElem | null = null;
    if (enc < 0xc0) {
      const t = enc >> 6;
      lensize = t === 0 ? 1 : t === 1 ? 2 : 5;
      if (q + lensize > last) bad();
      len = t === 0 ? enc & 0x3f : t === 1 ? ((enc & 0x3f) << 8) | zl[q + 1] : zl.readUInt32BE(q + 1);
    } else {
      lensize = 1;
      if (enc === 0xc0) len = 2;
      else if (enc === 0xd0) len = 4;
      else if (enc === 0xe0) len = 8;
      else if (enc === 0xf0) len = 3;
      else if (enc === 0xfe) len = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) {
        len = 0;
        el = (enc & 0x0f) - 1;
      } else return bad();
    }
    const header = prevLenSize + lensize;
    if (p + header + len > last) bad();
    if (p - prevLen < first) bad();
    if (prevLen !== prevRaw) bad();
    const d = p + header;
    if (el === null) {
      if (enc < 0xc0) el = Buffer.from(zl.subarray(d, d + len));
      else if (enc === 0xc0) el = zl.readInt16LE(d);
      else if (enc === 0xd0) el = zl.readInt32LE(d);
      else if (enc === 0xf0) el = zl.readIntLE(d, 3);
      else if (enc === 0xfe) el = zl.readInt8(d);
      else {
        const v = zl.readBigInt64LE(d);
        el = v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
      }
    }
    out.push(el);
    prevRaw = header + len;
    prev = p;
    p += header + len;
  }
  if (p !== size - 1) bad();
  if (prev !== -1 && prev !== tail) bad();
  if (headerCount !== 65535 && out.length !== headerCount) bad();
  return out;
}

/** The field/value pairs of a zipmap (flattened), validated as zipmapValidateIntegrity(deep) does. */
export function zipmapDecode(zm: Buffer): Buffer[] {
  const bad = (): never => {
    throw new RdbError('zipmap integrity check failed');
  };
  const size = zm.length;
  if (size < 2) bad();
  if (zm[size - 1] !== 0xff) bad();
  const out: Buffer[] = [];
  const oor = (x: number): boolean => x < 2 || x > size - 1;
  const readLen = (p: number): [number, number] => {
    const s = zm[p] < 254 ? 1 : 5;
    if (oor(p + s)) bad();
    const l = s === 1 ? zm[p] : zm.readUInt32LE(p + 1);
    if (l < 254 && s !== 1) bad();
    return [s, l];
  };
  let p = 1;
  let count = 0;
  while (zm[p] !== 0xff) {
    if (p > size - 1) bad();
    let [s, l] = readLen(p);
    p += s;
    const key = zm.subarray(p, p + l);
    p += l;
    if (oor(p)) bad();
    [s, l] = readLen(p);
    p += s;
    const free = zm[p++];
    const val = zm.subarray(p, p + l);
    p += l + free;
    count++;
    if (oor(p)) bad();
    out.push(Buffer.from(key), Buffer.from(val));
  }
  if (count === 0) bad();
  if (zm[0] !== 254 && zm[0] !== count) bad();
  return out;
}
