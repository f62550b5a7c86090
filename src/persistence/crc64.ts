// CRC-64/Jones as Redis computes it for RDB files and DUMP payloads (Redis: crc64.c: reflected, init 0, no final xor).
// Table-driven over two 32-bit halves (no BigInt in the loop), slicing by 4 bytes.

const POLY_HI = 0x95ac9329; // reflected 0xad93d23594c935a9
const POLY_LO = 0xac4bc9b5;

/** T[k][b]: the crc of byte b followed by k zero bytes, as (hi, lo) halves. */
const T_HI: Uint32Array[] = [];
const T_LO: Uint32Array[] = [];
{
  const hi0 = new Uint32Array(256);
  const lo0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let hi = 0;
    let lo = i;
    for (let j = 0; j < 8; j++) {
      const bit = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi = hi >>> 1;
      if (bit) {
        hi = (hi ^ POLY_HI) >>> 0;
        lo = (lo ^ POLY_LO) >>> 0;
      }
    }
    hi0[i] = hi;
    lo0[i] = lo;
  }
  T_HI.push(hi0);
  T_LO.push(lo0);
  for (let k = 1; k < 4; k++) {
    const ph = T_HI[k - 1];
    const pl = T_LO[k - 1];
    const h = new Uint32Array(256);
    const l = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      // one more zero byte: crc = T0[crc & 0xff] ^ (crc >> 8)
      const x = pl[i] & 0xff;
      h[i] = hi0[x] ^ (ph[i] >>> 8);
      l[i] = lo0[x] ^ ((pl[i] >>> 8) | (ph[i] << 24));
    }
    T_HI.push(h);
    T_LO.push(l);
  }
}
const [H0, H1, H2, H3] = T_HI;
const [L0, L1, L2, L3] = T_LO;

/** A running CRC64 (start 0), fed in pieces: an RDB file is checksummed as it is written. */
export class Crc64 {
  hi = 0;
  lo = 0;

  update(data: Uint8Array, start = 0, end = data.length): this {
    let hi = this.hi;
    let lo = this.lo;
    let i = start;
    for (const e4 = end - 3; i < e4; i += 4) {
      const x = lo ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
      // crc(4 bytes) = T3[b0] ^ T2[b1] ^ T1[b2] ^ T0[b3] ^ (crc >> 32)
      const a = x & 0xff;
      const b = (x >>> 8) & 0xff;
      const c = (x >>> 16) & 0xff;
      const d = x >>> 24;
      lo = (L3[a] ^ L2[b] ^ L1[c] ^ L0[d] ^ hi) >>> 0;
      hi = (H3[a] ^ H2[b] ^ H1[c] ^ H0[d]) >>> 0;
    }
    for (; i < end; i++) {
      const x = (lo ^ data[i]) & 0xff;
      lo = (L0[x] ^ ((lo >>> 8) | (hi << 24))) >>> 0;
      hi = (H0[x] ^ (hi >>> 8)) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  get value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** the crc as 8 little-endian bytes (the RDB trailer and the DUMP footer) */
  writeLE(out: Uint8Array, at: number): void {
    const lo = this.lo;
    const hi = this.hi;
    out[at] = lo & 0xff;
    out[at + 1] = (lo >>> 8) & 0xff;
    out[at + 2] = (lo >>> 16) & 0xff;
    out[at + 3] = lo >>> 24;
    out[at + 4] = hi & 0xff;
    out[at + 5] = (hi >>> 8) & 0xff;
    out[at + 6] = (hi >>> 16) & 0xff;
    out[at + 7] = hi >>> 24;
  }
}

/** crc64(crc, data): continues from `crc` (0 to start). */
export function crc64(data: Uint8Array, crc = 0n): bigint {
  const c = new Crc64();
  c.hi = Number(crc >> 32n) >>> 0;
  c.lo = Number(crc & 0xffffffffn) >>> 0;
  return c.update(data).value;
}
