// Test-only builders of legacy encodings (ziplist, zipmap) and DUMP payloads, laid out as Redis 2.x-6.x wrote them (Redis: ziplist.c, zipmap.c, rdb.c).
import { RdbWriter } from '../../src/persistence/rdb-io.js';
import { Crc64 } from '../../src/persistence/crc64.js';

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** A ziplist of strings and integers (the encodings ziplist.c picks for them). */
export function buildZiplist(items: (string | number)[]): Buffer {
  const entries: Buffer[] = [];
  let prevlen = 0;
  for (const it of items) {
    const pl = prevlen < 254 ? Buffer.from([prevlen]) : Buffer.concat([Buffer.from([254]), u32(prevlen)]);
    let body: Buffer;
    if (typeof it === 'number') {
      if (it >= 0 && it <= 12) body = Buffer.from([0xf1 + it]);
      else if (it >= -128 && it <= 127) body = Buffer.from([0xfe, it & 0xff]);
      else if (it >= -32768 && it <= 32767) {
        body = Buffer.alloc(3);
        body[0] = 0xc0;
        body.writeInt16LE(it, 1);
      } else {
        body = Buffer.alloc(9);
        body[0] = 0xe0;
        body.writeBigInt64LE(BigInt(it), 1);
      }
    } else {
      const s = Buffer.from(it, 'latin1');
      if (s.length < 64) body = Buffer.concat([Buffer.from([s.length]), s]);
      else body = Buffer.concat([Buffer.from([0x40 | (s.length >> 8), s.length & 0xff]), s]);
    }
    const e = Buffer.concat([pl, body]);
    entries.push(e);
    prevlen = e.length;
  }
  const all = Buffer.concat(entries);
  const total = 10 + all.length + 1;
  const h = Buffer.alloc(10);
  h.writeUInt32LE(total, 0);
  h.writeUInt32LE(entries.length ? total - 1 - entries[entries.length - 1].length : 10, 4);
  h.writeUInt16LE(items.length, 8);
  return Buffer.concat([h, all, Buffer.from([0xff])]);
}

/** A zipmap of short fields and values. */
export function buildZipmap(pairs: [string, string][]): Buffer {
  const parts: Buffer[] = [Buffer.from([pairs.length])];
  for (const [k, v] of pairs) parts.push(Buffer.from([k.length]), Buffer.from(k, 'latin1'), Buffer.from([v.length, 0]), Buffer.from(v, 'latin1'));
  parts.push(Buffer.from([0xff]));
  return Buffer.concat(parts);
}

/** A DUMP payload: type byte, body written by `fill`, the RDB version (default 10) and CRC64. */
export function payload(type: number, fill: (w: RdbWriter) => void, version = 10): Buffer {
  const w = new RdbWriter(false);
  w.saveType(type);
  fill(w);
  w.u8(version & 0xff);
  w.u8(version >> 8);
  const body = w.result();
  const out = Buffer.alloc(body.length + 8);
  body.copy(out);
  new Crc64().update(body).writeLE(out, body.length);
  return out;
}

/** A blob saved as an RDB string (the body of the *_ZIPLIST / *_LISTPACK / SET_INTSET / ZIPMAP types). */
export const blob = (b: Buffer) => (w: RdbWriter) => w.saveString(b);
