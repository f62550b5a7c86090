// RDB primitives: lengths, strings (integer-encoded, LZF), doubles and times, as Redis 7.0.15 writes and reads them (Redis: rdb.c rdbSave*/rdbLoad*).
//
// This module's API is shared with the RDB *file* layer (persist-file branch: SAVE/BGSAVE, DEBUG RELOAD, start-up
// load) and with FUNCTION DUMP/RESTORE: keep its names and semantics stable. RdbWriter grows a Buffer; RdbReader is
// bounds-checked and throws RdbError for anything short or malformed, so a loader never reads past its input.
import { lzfCompress, lzfDecompress } from './lzf.js';
import { formatG } from '../protocol/numfmt.js';
import { string2ll } from '../util/parse.js';

export const RDB_VERSION = 10;

export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** Object types (rdb.h). */
export const RDB_TYPE = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
} as const;

/** rdbIsObjectType */
export const rdbIsObjectType = (t: number): boolean => (t >= 0 && t <= 7) || (t >= 9 && t <= 19);

/** Opcodes (rdb.h). */
export const RDB_OPCODE = {
  FUNCTION2: 245,
  FUNCTION: 246,
  MODULE_AUX: 247,
  IDLE: 248,
  FREQ: 249,
  AUX: 250,
  RESIZEDB: 251,
  EXPIRETIME_MS: 252,
  EXPIRETIME: 253,
  SELECTDB: 254,
  EOF: 255,
} as const;

/** A short, corrupt or unsupported RDB input (rdbReportCorruptRDB / a failed rioRead). */
export class RdbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RdbError';
  }
}

const f64 = new Float64Array(1);
const f64b = new Uint8Array(f64.buffer);
const f32 = new Float32Array(1);
const f32b = new Uint8Array(f32.buffer);

/** rdbSaveDoubleValue's text (also DEBUG DIGEST's): integers via ll2string, others "%.17g". */
export function doubleText(d: number): string {
  // double2ll: integral values within ±LLONG_MAX/2 print as integers ("-0" prints "0")
  if (Number.isInteger(d) && d >= -4611686018427387904 && d <= 4611686018427387904) return d === 0 ? '0' : BigInt(d).toString();
  return formatG(d, 17);
}

/** An RDB encoder over a growable Buffer (rio over a buffer). `compress` is rdbcompression. */
export class RdbWriter {
  buf: Buffer;
  pos = 0;

  constructor(
    public compress = true,
    initial = 256,
  ) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const nb = Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a view: copy it before writing more if it must outlive the writer). */
  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Drops everything written (the buffer is kept for reuse). */
  reset(): void {
    this.pos = 0;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  saveType(t: number): void {
    this.u8(t);
  }

  raw(b: Uint8Array, start = 0, end = b.length): void {
    const n = end - start;
    this.ensure(n);
    this.buf.set(start === 0 && end === b.length ? b : b.subarray(start, end), this.pos);
    this.pos += n;
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian length. */
  saveLen(len: number | bigint): void {
    if (typeof len === 'bigint') {
      if (len <= 0xffffffffn) return this.saveLen(Number(len));
      this.ensure(9);
      this.buf[this.pos] = RDB_64BITLEN;
      this.buf.writeBigUInt64BE(len, this.pos + 1);
      this.pos += 9;
      return;
    }
    this.ensure(9);
    const b = this.buf;
    if (len < 1 << 6) b[this.pos++] = len;
    else if (len < 1 << 14) {
      b[this.pos++] = (len >> 8) | 0x40;
      b[this.pos++] = len & 0xff;
    } else if (len <= 0xffffffff) {
      b[this.pos] = RDB_32BITLEN;
      b.writeUInt32BE(len, this.pos + 1);
      this.pos += 5;
    } else {
      b[this.pos] = RDB_64BITLEN;
      b.writeBigUInt64BE(BigInt(len), this.pos + 1);
      this.pos += 9;
    }
  }

  /** rdbSaveMillisecondTime: int64 little-endian. */
  saveMillis(ms: number | bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(typeof ms === 'bigint' ? ms : BigInt(ms), this.pos);
    this.pos += 8;
  }

  /** rdbEncodeInteger: writes the INT8/16/32 encoding and returns true, or false when v does not fit in 32 bits. */
  private encodeInteger(v: number): boolean {
    this.ensure(5);
    const b = this.buf;
    if (v >= -128 && v <= 127) {
      b[this.pos++] = 0xc0 | RDB_ENC_INT8;
      b[this.pos++] = v & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      b[this.pos++] = 0xc0 | RDB_ENC_INT16;
      b.writeInt16LE(v, this.pos);
      this.pos += 2;
    } else if (v >= -2147483648 && v <= 2147483647) {
      b[this.pos++] = 0xc0 | RDB_ENC_INT32;
      b.writeInt32LE(v, this.pos);
      this.pos += 4;
    } else return false;
    return true;
  }

  /** rdbSaveRawString: integer encoding (≤ 11 bytes that string2ll accepts and fit 32 bits), LZF (> 20 bytes, when it saves ≥ 4 bytes), else verbatim. */
  saveString(s: Uint8Array | string): void {
    if (typeof s === 'string' && !(this.compress && s.length > 20)) {
      // latin1 text (redlua's short values and keys): no intermediate Buffer when it cannot be compressed
      const len = s.length;
      const c = len ? s.charCodeAt(0) : 0;
      if (len === 0 || len > 11 || !((c >= 48 && c <= 57) || c === 45)) {
        this.saveLen(len);
        this.ensure(len);
        this.pos += this.buf.latin1Write(s, this.pos, len);
        return;
      }
    }
    const b: Uint8Array = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
    const len = b.length;
    if (len <= 11 && len > 0) {
      const v = string2ll(b);
      if (v !== null && this.encodeInteger(v)) return;
    }
    if (this.compress && len > 20 && this.saveLzf(b)) return;
    this.saveLen(len);
    if (len) this.raw(b);
  }

  /** rdbSaveLzfStringObject: false when LZF would not save at least 4 bytes. */
  private saveLzf(b: Uint8Array): boolean {
    const len = b.length;
    const outLen = len - 4;
    // worst case: type byte + two 9-byte lengths + outLen
    this.ensure(outLen + 1 + 19);
    const start = this.pos;
    // compress into scratch space after the header room, then move into place
    const scratch = this.buf.subarray(start + 19, start + 19 + outLen + 1);
    const n = lzfCompress(b, scratch, outLen);
    if (n === 0) return false;
    const body = Buffer.from(scratch.subarray(0, n));
    this.u8(0xc0 | RDB_ENC_LZF);
    this.saveLen(n);
    this.saveLen(len);
    this.raw(body);
    return true;
  }

  /** rdbSaveLzfBlob: an already-compressed blob (quicklist nodes compressed in memory). */
  saveLzfBlob(compressed: Uint8Array, originalLen: number): void {
    this.u8(0xc0 | RDB_ENC_LZF);
    this.saveLen(compressed.length);
    this.saveLen(originalLen);
    this.raw(compressed);
  }

  /** rdbSaveLongLongAsStringObject: an int-encoded string object's value. */
  saveLongLongAsString(v: number | bigint): void {
    if (typeof v === 'number' && this.encodeInteger(v)) return;
    if (typeof v === 'bigint' && v >= -2147483648n && v <= 2147483647n && this.encodeInteger(Number(v))) return;
    const s = Buffer.from(String(v), 'latin1');
    this.saveLen(s.length);
    this.raw(s);
  }

  /** rdbSaveBinaryDoubleValue: IEEE 754 binary64, little-endian. */
  saveBinaryDouble(d: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  /** rdbSaveBinaryFloatValue */
  saveBinaryFloat(f: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(f, this.pos);
    this.pos += 4;
  }

  /** rdbSaveDoubleValue: the old text form (length byte; 253 nan, 254 +inf, 255 -inf). */
  saveDoubleValue(d: number): void {
    if (d !== d) return this.u8(253);
    if (d === Infinity) return this.u8(254);
    if (d === -Infinity) return this.u8(255);
    const t = Buffer.from(doubleText(d), 'latin1');
    this.u8(t.length);
    this.raw(t);
  }
}

/** A bounds-checked RDB decoder over one Buffer (rio over a buffer). */
export class RdbReader {
  pos: number;
  readonly end: number;
  /** set by loadLen: the length byte was an RDB_ENCVAL special encoding */
  encoded = false;

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless n more bytes are available (a short read: rioRead returning 0). */
  need(n: number): void {
    if (n > this.end - this.pos || n < 0) throw new RdbError('Unexpected EOF reading RDB file');
  }

  u8(): number {
    if (this.pos >= this.end) throw new RdbError('Unexpected EOF reading RDB file');
    return this.buf[this.pos++];
  }

  /** rdbLoadType */
  loadType(): number {
    return this.u8();
  }

  /** n raw bytes as a view into the input (copy to keep). */
  raw(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** rdbLoadLen: the length, or with `encoded` set the RDB_ENC_* type. 64-bit lengths past 2^53 lose precision (they are past any input's size anyway). */
  loadLen(): number {
    const b = this.u8();
    const t = b >> 6;
    this.encoded = false;
    if (t === RDB_ENCVAL) {
      this.encoded = true;
      return b & 0x3f;
    }
    if (t === RDB_6BITLEN) return b & 0x3f;
    if (t === RDB_14BITLEN) return ((b & 0x3f) << 8) | this.u8();
    if (b === RDB_32BITLEN) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (b === RDB_64BITLEN) {
      this.need(8);
      const v = Number(this.buf.readBigUInt64BE(this.pos));
      this.pos += 8;
      return v;
    }
    throw new RdbError(`Unknown length encoding ${t} in rdbLoadLen()`);
  }

  /** rdbLoadLen as a bigint (stream IDs and counters stored as lengths). */
  loadLenBig(): bigint {
    const b = this.buf[this.pos];
    if (this.pos < this.end && b === RDB_64BITLEN) {
      this.pos++;
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return v;
    }
    return BigInt(this.loadLen());
  }

  /** rdbLoadIntegerObject's value for an INT8/16/32 encoding. */
  private loadIntEnc(enc: number): number {
    if (enc === RDB_ENC_INT8) {
      this.need(1);
      return this.buf.readInt8(this.pos++);
    }
    if (enc === RDB_ENC_INT16) {
      this.need(2);
      this.pos += 2;
      return this.buf.readInt16LE(this.pos - 2);
    }
    if (enc === RDB_ENC_INT32) {
      this.need(4);
      this.pos += 4;
      return this.buf.readInt32LE(this.pos - 4);
    }
    throw new RdbError(`Unknown RDB integer encoding type ${enc}`);
  }

  /** rdbGenericLoadStringObject: the bytes of a string (a fresh Buffer, never a view into the input). */
  loadString(): Buffer {
    const len = this.loadLen();
    if (this.encoded) {
      switch (len) {
        case RDB_ENC_INT8:
        case RDB_ENC_INT16:
        case RDB_ENC_INT32:
          return Buffer.from(String(this.loadIntEnc(len)), 'latin1');
        case RDB_ENC_LZF:
          return this.loadLzf();
        default:
          throw new RdbError(`Unknown RDB string encoding type ${len}`);
      }
    }
    this.need(len);
    const s = Buffer.allocUnsafe(len);
    this.buf.copy(s, 0, this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /**
   * A string that was integer-encoded comes back as its number (strings load as OBJ_ENCODING_INT when they can:
   * RDB_LOAD_ENC); any other string as bytes. Used where the caller cares about the int form.
   */
  loadStringOrInt(): Buffer | number {
    const save = this.pos;
    const len = this.loadLen();
    if (this.encoded && len <= RDB_ENC_INT32) return this.loadIntEnc(len);
    this.pos = save;
    return this.loadString();
  }

  /** rdbLoadLzfStringObject */
  private loadLzf(): Buffer {
    const clen = this.loadLen();
    const len = this.loadLen();
    this.need(clen);
    const c = this.buf.subarray(this.pos, this.pos + clen);
    this.pos += clen;
    const out = lzfDecompress(c, len);
    if (out === null) throw new RdbError('Invalid LZF compressed string');
    return out;
  }

  /** rdbLoadMillisecondTime (RDB ≥ 9: little-endian int64) as a number (exact within ±2^53). */
  loadMillis(): number {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return Number(v);
  }

  /** rdbLoadMillisecondTime, exact. */
  loadMillisBig(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** rdbLoadTime (old EXPIRETIME opcode): int32 seconds, host order (little-endian). */
  loadTime(): number {
    this.need(4);
    this.pos += 4;
    return this.buf.readInt32LE(this.pos - 4);
  }

  /** rdbLoadBinaryDoubleValue */
  loadBinaryDouble(): number {
    this.need(8);
    for (let i = 0; i < 8; i++) f64b[i] = this.buf[this.pos + i];
    this.pos += 8;
    return f64[0];
  }

  /** rdbLoadBinaryFloatValue */
  loadBinaryFloat(): number {
    this.need(4);
    for (let i = 0; i < 4; i++) f32b[i] = this.buf[this.pos + i];
    this.pos += 4;
    return f32[0];
  }

  /** rdbLoadDoubleValue: the old text form; sscanf("%lg") must read a number. */
  loadDoubleValue(): number {
    const len = this.u8();
    if (len === 255) return -Infinity;
    if (len === 254) return Infinity;
    if (len === 253) return NaN;
    const t = this.raw(len);
    const d = scanDouble(t);
    if (d === null) throw new RdbError('Error reading double value');
    return d;
  }
}

const SCAN_RE = /^[ \t\n\v\f\r]*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan))/i;

/** sscanf(buf, "%lg"): skips leading space, reads the longest number prefix (stops at NUL), null when none. */
function scanDouble(t: Buffer): number | null {
  const nul = t.indexOf(0);
  const s = t.toString('latin1', 0, nul < 0 ? t.length : nul);
  const m = SCAN_RE.exec(s);
  if (!m) return null;
  const body = m[1].toLowerCase().replace(/^[+-]/, '');
  const neg = m[1][0] === '-';
  if (body.startsWith('inf')) return neg ? -Infinity : Infinity;
  if (body === 'nan') return NaN;
  return Number(m[1]);
}
