// FUNCTION DUMP/RESTORE payloads: RDB string encoding with LZF, RDB version footer and CRC64 (Redis: rdb.c, lzf_c.c, lzf_d.c, crc64.c).

export const RDB_VERSION = 10;
export const RDB_OPCODE_FUNCTION2 = 0xf5;
export const RDB_OPCODE_FUNCTION = 0xf6;

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

const htab = new Int32Array(HSIZE);
const MAX_DECOMPRESSED = 512 * 1024 * 1024;

/**
 * lzf_compress with Redis's settings (HLOG 16, VERY_FAST, no ULTRA_FAST): the same bytes as lzf_c.c for a clean hash
 * table. Returns the compressed length written to `out`, or 0 when it does not fit in `outLen` bytes.
 */
export function lzfCompress(input: Uint8Array, out: Uint8Array, outLen: number): number {
  const inLen = input.length;
  if (!inLen || !outLen) return 0;
  htab.fill(-1); // -1 = NULL slot
  let ip = 0;
  let op = 0;
  const inEnd = inLen;
  const outEnd = outLen;
  const idx = (h: number) => (((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1)) >>> 0;
  let lit = 0;
  op++; // start run
  let hval = (input[ip] << 8) | input[ip + 1];
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const slot = idx(hval);
    const ref = htab[slot];
    htab[slot] = ip;
    let off: number;
    if (ref > 0 && (off = ip - ref - 1) < MAX_OFF && input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      maxlen = maxlen > MAX_REF ? MAX_REF : maxlen;
      if (op + 3 + 1 >= outEnd) if (op - (lit ? 0 : 1) + 3 + 1 >= outEnd) return 0;
      out[op - lit - 1] = lit - 1; // stop run
      op -= lit ? 0 : 1; // undo run if length is zero
      // the unrolled loop of lzf_c.c only changes speed, not the result: extend while bytes match
      do len++;
      while (len < maxlen && input[ref + len] === input[ip + len]);
      len -= 2; // len is now #octets - 1
      ip++;
      if (len < 7) out[op++] = ((off >> 8) + (len << 5)) & 0xff;
      else {
        out[op++] = ((off >> 8) + (7 << 5)) & 0xff;
        out[op++] = (len - 7) & 0xff;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      ip -= 2;
      hval = (input[ip] << 8) | input[ip + 1];
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = ip;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = ip;
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return 0;
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  op -= lit ? 0 : 1;
  return op;
}

/** lzf_decompress: null on corrupt input or when the output is not exactly `outLen` bytes. */
export function lzfDecompress(input: Uint8Array, outLen: number): Buffer | null {
  // A hostile length must not allocate gigabytes (Redis's ztrymalloc would fail the same way: "Failed loading ...").
  if (outLen > MAX_DECOMPRESSED || outLen > input.length * 256 + 64) return null;
  const out = Buffer.alloc(outLen);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input[ip++];
    if (ctrl < 1 << 5) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > input.length) return null;
      for (let i = 0; i < ctrl; i++) out[op++] = input[ip++];
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= input.length) return null;
      if (len === 7) {
        len += input[ip++];
        if (ip >= input.length) return null;
      }
      ref -= input[ip++];
      if (op + len + 2 > outLen || ref < 0) return null;
      len += 2;
      for (let i = 0; i < len; i++) out[op++] = out[ref++];
    }
  }
  return op === outLen ? out : null;
}

// crc64.c: Jones polynomial, reflected, init 0, no final xor.
const CRC_TABLE: bigint[] = (() => {
  const poly = 0x95ac9329ac4bc9b5n; // reflected 0xad93d23594c935a9
  const t: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let j = 0; j < 8; j++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    t.push(crc);
  }
  return t;
})();

export function crc64(data: Uint8Array, crc = 0n): bigint {
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[Number((crc ^ BigInt(data[i])) & 0xffn)] ^ (crc >> 8n);
  return crc;
}

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
  const ver = Buffer.from([RDB_VERSION & 0xff, RDB_VERSION >> 8]);
  const head = Buffer.concat([...body, ver]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(head));
  return Buffer.concat([head, crc]);
}

/** verifyDumpPayload */
export function verifyPayload(p: Buffer, skipChecksum: boolean): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const ver = p[footer] | (p[footer + 1] << 8);
  if (ver > RDB_VERSION) return false;
  if (skipChecksum) return true;
  return crc64(p.subarray(0, p.length - 8)) === p.readBigUInt64LE(p.length - 8);
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
