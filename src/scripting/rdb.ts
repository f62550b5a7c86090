// FUNCTION DUMP/RESTORE payloads: RDB string encoding with LZF, RDB version footer and CRC64 (Redis: rdb.c); LZF and CRC64 live in src/persistence.

export const RDB_VERSION = 10;
export const RDB_OPCODE_FUNCTION2 = 0xf5;
export const RDB_OPCODE_FUNCTION = 0xf6;

export { lzfCompress, lzfDecompress } from '../persistence/lzf.js';
export { crc64 } from '../persistence/crc64.js';
import { lzfCompress, lzfDecompress } from '../persistence/lzf.js';
import { finishPayload, verifyDumpPayload } from '../persistence/payload.js';

function saveLen(parts: Buffer[], len: number): void {
  if (len < 1 << 6) parts.push(Buffer.from([len]));
  else if (len < 1 << 14) parts.push(Buffer.from([0x40 | (len >> 8), len & 0xff]));
  else if (len <= 0xffffffff) {
    const b = Buffer.alloc(5);
    b[0] = 0x80;
    b.writeUInt32BE(len, 1);
    parts.push(b);
  } else {
    const b = Buffer.alloc(9);
    b[0] = 0x81;
    b.writeBigUInt64BE(BigInt(len), 1);
    parts.push(b);
  }
}

/** rdbSaveRawString (library code never looks like an integer, so the integer encodings are not tried). */
export function saveRawString(parts: Buffer[], s: Buffer, compression: boolean): void {
  if (compression && s.length > 20) {
    const outLen = s.length - 4;
    const out = Buffer.alloc(outLen + 1);
    const n = lzfCompress(s, out, outLen);
    if (n > 0) {
      parts.push(Buffer.from([0xc3]));
      saveLen(parts, n);
      saveLen(parts, s.length);
      parts.push(out.subarray(0, n));
      return;
    }
  }
  saveLen(parts, s.length);
  if (s.length) parts.push(s);
}

/** createDumpPayload footer: RDB version (LE) and CRC64 (LE) over everything before it. */
export function dumpPayload(body: Buffer[]): Buffer {
  return finishPayload(Buffer.concat(body));
}

/** verifyDumpPayload */
export function verifyPayload(p: Buffer, skipChecksum: boolean): boolean {
  return verifyDumpPayload(p, skipChecksum);
}

/** A cursor over a payload (rio with a buffer). */
export class RdbReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  remaining(): number {
    return this.buf.length - this.pos;
  }

  type(): number | null {
    return this.pos < this.buf.length ? this.buf[this.pos++] : null;
  }

  /** rdbLoadLen; `enc` reports an RDB_ENCVAL special encoding. */
  len(): { len: number; enc: boolean } | null {
    if (this.pos >= this.buf.length) return null;
    const b = this.buf[this.pos++];
    const t = b >> 6;
    if (t === 3) return { len: b & 0x3f, enc: true };
    if (t === 0) return { len: b & 0x3f, enc: false };
    if (t === 1) {
      if (this.pos >= this.buf.length) return null;
      return { len: ((b & 0x3f) << 8) | this.buf[this.pos++], enc: false };
    }
    if (b === 0x80) {
      if (this.pos + 4 > this.buf.length) return null;
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return { len: v, enc: false };
    }
    if (b === 0x81) {
      if (this.pos + 8 > this.buf.length) return null;
      const v = Number(this.buf.readBigUInt64BE(this.pos));
      this.pos += 8;
      return { len: v, enc: false };
    }
    return null;
  }

  /** rdbGenericLoadStringObject */
  string(): Buffer | null {
    const l = this.len();
    if (!l) return null;
    if (l.enc) {
      const b = this.buf;
      switch (l.len) {
        case 0:
          if (this.pos + 1 > b.length) return null;
          return Buffer.from(String(b.readInt8(this.pos++)));
        case 1:
          if (this.pos + 2 > b.length) return null;
          this.pos += 2;
          return Buffer.from(String(b.readInt16LE(this.pos - 2)));
        case 2:
          if (this.pos + 4 > b.length) return null;
          this.pos += 4;
          return Buffer.from(String(b.readInt32LE(this.pos - 4)));
        case 3: {
          const clen = this.len();
          if (!clen || clen.enc) return null;
          const ulen = this.len();
          if (!ulen || ulen.enc) return null;
          if (this.pos + clen.len > b.length) return null;
          const data = b.subarray(this.pos, this.pos + clen.len);
          this.pos += clen.len;
          return lzfDecompress(data, ulen.len);
        }
        default:
          return null;
      }
    }
    if (this.pos + l.len > this.buf.length) return null;
    const s = Buffer.from(this.buf.subarray(this.pos, this.pos + l.len));
    this.pos += l.len;
    return s;
  }
}
