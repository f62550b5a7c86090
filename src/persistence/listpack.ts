// Listpack encoder and validating decoder, byte-compatible with Redis 7.0.15 (Redis: listpack.c lpAppend, lpValidateIntegrity, lpGet).
import { RdbError } from './rdb-io.js';
import { string2ll, string2llBig } from '../util/parse.js';

/** A decoded element: a string's bytes, or an integer (a number when within ±2^53, else a bigint). */
export type LpElem = Buffer | number | bigint;

const LP_HDR_SIZE = 6;
const LP_EOF = 0xff;
const SAFE = 9007199254740991;

/** lpStringToInt64: the integer a string element is stored as, or null when it is kept as a string. */
export function lpStringToInt(b: Uint8Array): number | bigint | null {
  const n = b.length;
  if (n === 0 || n >= 21) return null;
  const c = b[0];
  if (!((c >= 49 && c <= 57) || c === 45 || (n === 1 && c === 48))) return null;
  if (n <= 15) return string2ll(b);
  const v = string2llBig(b);
  if (v === null) return null;
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Builds a listpack as lpAppend does, element by element. */
export class LpWriter {
  private buf: Buffer;
  private pos = LP_HDR_SIZE;
  count = 0;

  constructor(initial = 64) {
    this.buf = Buffer.allocUnsafe(Math.max(initial, 16));
  }

  /** lpBytes if the listpack were finished now (header + entries + EOF). */
  get bytes(): number {
    return this.pos + 1;
  }

  private ensure(n: number): void {
    if (this.pos + n + 1 <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n + 1) size *= 2;
    const nb = Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  private backlen(l: number): void {
    const b = this.buf;
    let p = this.pos;
    if (l <= 127) b[p++] = l;
    else if (l < 16383) {
      b[p++] = l >>> 7;
      b[p++] = (l & 127) | 128;
    } else if (l < 2097151) {
      b[p++] = l >>> 14;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else if (l < 268435455) {
      b[p++] = l >>> 21;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    } else {
      b[p++] = Math.floor(l / 2 ** 28);
      b[p++] = ((l >>> 21) & 127) | 128;
      b[p++] = ((l >>> 14) & 127) | 128;
      b[p++] = ((l >>> 7) & 127) | 128;
      b[p++] = (l & 127) | 128;
    }
    this.pos = p;
  }

  /** lpAppendInteger (lpEncodeIntegerGetType) */
  appendInt(v: number | bigint): void {
    this.ensure(10);
    const b = this.buf;
    const p = this.pos;
    let n: number;
    if (typeof v === 'number' && v >= 0 && v <= 127) {
      b[p] = v;
      n = 1;
    } else if (typeof v === 'number' && v >= -4096 && v <= 4095) {
      const u = v < 0 ? 8192 + v : v;
      b[p] = (u >> 8) | 0xc0;
      b[p + 1] = u & 0xff;
      n = 2;
    } else if (typeof v === 'number' && v >= -32768 && v <= 32767) {
      b[p] = 0xf1;
      b.writeInt16LE(v, p + 1);
      n = 3;
    } else if (typeof v === 'number' && v >= -8388608 && v <= 8388607) {
      b[p] = 0xf2;
      b.writeIntLE(v, p + 1, 3);
      n = 4;
    } else if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
      b[p] = 0xf3;
      b.writeInt32LE(v, p + 1);
      n = 5;
    } else {
      const big = typeof v === 'bigint' ? v : BigInt(v);
      if (big >= -2147483648n && big <= 2147483647n) return this.appendInt(Number(big));
      b[p] = 0xf4;
      b.writeBigInt64LE(big, p + 1);
      n = 9;
    }
    this.pos += n;
    this.backlen(n);
    this.count++;
  }

  /** lpAppend of a string: stored as an integer when it is a canonical int64, else with a 6/12/32-bit length. */
  append(s: Uint8Array): void {
    const iv = lpStringToInt(s);
    if (iv !== null) return this.appendInt(iv);
    this.appendStr(s);
  }

  /** A string element that is never turned into an integer. */
  appendStr(s: Uint8Array): void {
    const len = s.length;
    this.ensure(len + 10);
    const b = this.buf;
    let p = this.pos;
    let enc: number;
    if (len < 64) {
      b[p++] = 0x80 | len;
      enc = 1 + len;
    } else if (len < 4096) {
      b[p++] = 0xe0 | (len >> 8);
      b[p++] = len & 0xff;
      enc = 2 + len;
    } else {
      b[p++] = 0xf0;
      b.writeUInt32LE(len, p);
      p += 4;
      enc = 5 + len;
    }
    b.set(s, p);
    this.pos = p + len;
    this.backlen(enc);
    this.count++;
  }

  /** An element as decoded (LpElem) appended back. */
  appendElem(e: LpElem): void {
    if (typeof e === 'number' || typeof e === 'bigint') this.appendInt(e);
    else this.appendStr(e);
  }

  /** The finished listpack (a fresh copy: the writer may be reused after reset()). */
  finish(): Buffer {
    this.ensure(0);
    this.buf[this.pos] = LP_EOF;
    const total = this.pos + 1;
    this.buf.writeUInt32LE(total, 0);
    this.buf.writeUInt16LE(this.count < 65535 ? this.count : 65535, 4);
    return Buffer.from(this.buf.subarray(0, total));
  }

  reset(): void {
    this.pos = LP_HDR_SIZE;
    this.count = 0;
  }
}

/** Bytes one element takes in a listpack (encoding + backlen), for node-size decisions without building it. */
export function lpEntrySize(s: Uint8Array): number {
  const iv = lpStringToInt(s);
  let enc: number;
  if (iv !== null) enc = lpIntEncSize(iv);
  else {
    const n = s.length;
    enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  }
  return enc + backlenSize(enc);
}

function lpIntEncSize(v: number | bigint): number {
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

function decodeBacklen(lp: Uint8Array, p: number, lo: number): number {
  let val = 0;
  let shift = 0;
  for (;;) {
    if (p < lo) return -1;
    val += (lp[p] & 127) * 2 ** shift;
    if (!(lp[p] & 128)) break;
    shift += 7;
    p--;
    if (shift > 28) return -1;
  }
  return val;
}

/**
 * lpValidateIntegrity (deep) fused with decoding: the elements of a listpack, or an RdbError for anything
 * lpValidateIntegrity/lpValidateNext reject (header size, EOF, entry bounds, backlen, element count).
 */
export function lpDecode(lp: Buffer): LpElem[] {
  const size = lp.length;
  const bad = (): never => {
    throw new RdbError('listpack integrity check failed');
  };
  if (size < LP_HDR_SIZE + 1) bad();
  if (lp.readUInt32LE(0) !== size) bad();
  if (lp[size - 1] !== LP_EOF) bad();
  const numele = lp.readUInt16LE(4);
  const out: LpElem[] = [];
  const last = size - 1;
  let p = LP_HDR_SIZE;
  while (lp[p] !== LP_EOF) {
    if (p > last) bad();
    const c = lp[p];
    let encBytes: number; // bytes of the encoding header
    let entry: number; // encoding + data
    let el: LpElem;
    if ((c & 0x80) === 0) {
      encBytes = 1;
      entry = 1;
      el = c;
    } else if ((c & 0xc0) === 0x80) {
      encBytes = 1;
      entry = 1 + (c & 0x3f);
      el = null as unknown as LpElem;
    } else if ((c & 0xe0) === 0xc0) {
      encBytes = 1;
      entry = 2;
      el = 0;
    } else if ((c & 0xf0) === 0xe0) {
      encBytes = 2;
      if (p + 1 > last) bad();
      entry = 2 + (((c & 0xf) << 8) | lp[p + 1]);
      el = null as unknown as LpElem;
    } else if (c === 0xf1) {
      encBytes = 1;
      entry = 3;
      el = 0;
    } else if (c === 0xf2) {
      encBytes = 1;
      entry = 4;
      el = 0;
    } else if (c === 0xf3) {
      encBytes = 1;
      entry = 5;
      el = 0;
    } else if (c === 0xf4) {
      encBytes = 1;
      entry = 9;
      el = 0;
    } else if (c === 0xf0) {
      encBytes = 5;
      if (p + 4 > last) bad();
      entry = 5 + lp.readUInt32LE(p + 1);
      el = null as unknown as LpElem;
    } else return bad();
    if (p + encBytes > last) bad();
    const bl = backlenSize(entry);
    const next = p + entry + bl;
    if (next > last) bad();
    if (decodeBacklen(lp, next - 1, p) + bl !== entry + bl) bad();
    // decode the value
    if (el === null) {
      out.push(Buffer.from(lp.subarray(p + encBytes, p + entry)));
    } else if (c < 0x80) out.push(c);
    else if ((c & 0xe0) === 0xc0) {
      let u = ((c & 0x1f) << 8) | lp[p + 1];
      if (u >= 4096) u -= 8192;
      out.push(u);
    } else if (c === 0xf1) out.push(lp.readInt16LE(p + 1));
    else if (c === 0xf2) out.push(lp.readIntLE(p + 1, 3));
    else if (c === 0xf3) out.push(lp.readInt32LE(p + 1));
    else {
      const v = lp.readBigInt64LE(p + 1);
      out.push(v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v);
    }
    p = next;
  }
  if (p !== size - 1) bad();
  if (numele !== 65535 && numele !== out.length) bad();
  return out;
}

/** lpValidateIntegrity's shallow check (header size, total bytes, EOF): what Redis checks when not sanitizing deeply. */
export function lpValidateHeader(lp: Buffer): boolean {
  return lp.length >= LP_HDR_SIZE + 1 && lp.readUInt32LE(0) === lp.length && lp[lp.length - 1] === LP_EOF;
}

/** lpLength as the header says (65535: unknown, count them). */
export function lpHeaderCount(lp: Buffer): number {
  return lp.readUInt16LE(4);
}

/** An element's bytes (integers as ll2string prints them). */
export function lpElemBuf(e: LpElem): Buffer {
  return typeof e === 'object' ? e : Buffer.from(String(e), 'latin1');
}

/** An element as a latin1 string (redlua's key/member form). */
export function lpElemStr(e: LpElem): string {
  return typeof e === 'object' ? e.latin1Slice(0, e.length) : String(e);
}

export const isSafeInt = (v: number | bigint): v is number => typeof v === 'number' && v <= SAFE && v >= -SAFE;
