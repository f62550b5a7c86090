// HyperLogLog commands with Redis's exact representation (Redis: hyperloglog.c): the 16-byte "HYLL" header with the
// cached cardinality, the sparse (ZERO/XZERO/VAL opcodes) and dense (16384 6-bit registers) encodings, MurmurHash64A,
// hll-sparse-max-bytes promotion and Ertl's cardinality estimator. Values are plain strings, byte-compatible with Redis.
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { keyStr, RObj } from '../store/db.js';
import { E } from '../errors.js';
import { NOTIFY } from '../server/notify.js';
import { eqi } from '../util/parse.js';
import { unshareString, strBytes, strLen } from '../store/strings.js';

const HDR = 16;
const P = 14;
const Q = 64 - P;
const REGS = 1 << P;
const PMASK = REGS - 1;
const REGMAX = 63;
const DENSE_SIZE = HDR + Math.floor((REGS * 6 + 7) / 8);
const DENSE = 0;
const SPARSE = 1;
const XZERO_BIT = 0x40;
const VAL_BIT = 0x80;
const VAL_MAX_VALUE = 32;
const VAL_MAX_LEN = 4;
const ZERO_MAX_LEN = 64;
const XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.72134752044448170368;

// ---------------------------------------------------------------- hashing

// 64-bit arithmetic on [hi, lo] 32-bit halves (no BigInt on the PFADD path).
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
let rHi = 0;
let rLo = 0;

/** [rHi, rLo] = (aHi:aLo * bHi:bLo) mod 2^64 */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  rHi = (carry + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0;
}

/** MurmurHash64A into [rHi, rLo] (little-endian reads, as Redis on x86-64). */
function murmur(key: Uint8Array, seed: number): void {
  const len = key.length;
  mul64(0, len, M_HI, M_LO);
  let hHi = rHi;
  let hLo = (rLo ^ seed) >>> 0;
  const nblocks = len - (len & 7);
  for (let i = 0; i < nblocks; i += 8) {
    const kLo = (key[i] | (key[i + 1] << 8) | (key[i + 2] << 16) | (key[i + 3] << 24)) >>> 0;
    const kHi = (key[i + 4] | (key[i + 5] << 8) | (key[i + 6] << 16) | (key[i + 7] << 24)) >>> 0;
    mul64(kHi, kLo, M_HI, M_LO);
    let xHi = rHi;
    let xLo = (rLo ^ (xHi >>> 15)) >>> 0; // k ^= k >> 47
    mul64(xHi, xLo, M_HI, M_LO);
    xHi = rHi;
    xLo = rLo;
    hHi = (hHi ^ xHi) >>> 0;
    hLo = (hLo ^ xLo) >>> 0;
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }
  const rem = len & 7;
  if (rem) {
    for (let i = rem - 1; i >= 0; i--) {
      const b = key[nblocks + i];
      if (i >= 4) hHi = (hHi ^ (b << (8 * (i - 4)))) >>> 0;
      else hLo = (hLo ^ (b << (8 * i))) >>> 0;
    }
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  mul64(hHi, hLo, M_HI, M_LO);
  hHi = rHi;
  hLo = (rLo ^ (rHi >>> 15)) >>> 0;
  rHi = hHi;
  rLo = hLo;
}

/** MurmurHash64A (little-endian reads), as Redis uses it with seed 0xadc83b19. */
export function murmurHash64A(key: Uint8Array, seed: number): bigint {
  murmur(key, seed >>> 0);
  return (BigInt(rHi) << 32n) | BigInt(rLo);
}

/** hllPatLen: [register index, run length of zeroes + 1]. */
function patLen(ele: Uint8Array): [number, number] {
  murmur(ele, 0xadc83b19);
  const index = rLo & PMASK;
  // hash >>= P; hash |= 1 << Q: the 50 bits above the index, with a stop bit
  let lo = ((rLo >>> P) | (rHi << (32 - P))) >>> 0;
  const hi = ((rHi >>> P) | (1 << (Q - 32))) >>> 0;
  let count = 1;
  if (lo === 0) {
    count += 32;
    lo = hi;
  }
  while ((lo & 1) === 0) {
    count++;
    lo >>>= 1;
  }
  return [index, count];
}

// ---------------------------------------------------------------- dense registers (p = whole value, header included)

function denseGet(p: Uint8Array, reg: number): number {
  const byte = HDR + ((reg * 6) >> 3);
  const fb = (reg * 6) & 7;
  const b0 = p[byte];
  const b1 = byte + 1 < p.length ? p[byte + 1] : 0;
  return ((b0 >> fb) | (b1 << (8 - fb))) & REGMAX;
}

function denseSetReg(p: Uint8Array, reg: number, val: number): void {
  const byte = HDR + ((reg * 6) >> 3);
  const fb = (reg * 6) & 7;
  const fb8 = 8 - fb;
  p[byte] = (p[byte] & ~(REGMAX << fb)) | ((val << fb) & 0xff);
  if (byte + 1 < p.length) p[byte + 1] = (p[byte + 1] & ~(REGMAX >> fb8)) | (val >> fb8);
}

function denseSet(p: Uint8Array, reg: number, count: number): number {
  if (count > denseGet(p, reg)) {
    denseSetReg(p, reg, count);
    return 1;
  }
  return 0;
}

// ---------------------------------------------------------------- working state

/** An HLL being modified: the header, and either the sparse opcodes (as a byte array) or the dense value buffer. */
interface Hll {
  hdr: Uint8Array;
  sparse: number[] | null;
  dense: Buffer | null;
}

const isZero = (b: number) => (b & 0xc0) === 0;
const isXZero = (b: number) => (b & 0xc0) === XZERO_BIT;
const isVal = (b: number) => (b & VAL_BIT) !== 0;
const zeroLen = (b: number) => (b & 0x3f) + 1;
const xzeroLen = (b: number, b2: number) => (((b & 0x3f) << 8) | b2) + 1;
const valValue = (b: number) => ((b >> 2) & 0x1f) + 1;
const valLen = (b: number) => (b & 0x3) + 1;
const valByte = (val: number, len: number) => (((val - 1) << 2) | (len - 1)) | VAL_BIT;

/** hllSparseToDense over the sparse opcodes: the dense value (header copied, encoding set), or null if corrupted. */
function sparseToDense(hdr: Uint8Array, sp: ArrayLike<number>): Buffer | null {
  const dense = Buffer.alloc(DENSE_SIZE);
  dense.set(hdr.subarray(0, HDR), 0);
  dense[4] = DENSE;
  let idx = 0;
  let i = 0;
  const end = sp.length;
  while (i < end) {
    const b = sp[i];
    if (isZero(b)) {
      const run = zeroLen(b);
      if (run + idx > REGS) return null;
      idx += run;
      i++;
    } else if (isXZero(b)) {
      const run = xzeroLen(b, sp[i + 1] ?? 0);
      if (run + idx > REGS) return null;
      idx += run;
      i += 2;
    } else {
      let run = valLen(b);
      const v = valValue(b);
      if (run + idx > REGS) return null;
      while (run--) denseSetReg(dense, idx++, v);
      i++;
    }
  }
  if (idx !== REGS) return null;
  return dense;
}

function promote(h: Hll, index: number, count: number): number {
  const d = sparseToDense(h.hdr, h.sparse!);
  if (d === null) return -1;
  h.dense = d;
  h.hdr = d.subarray(0, HDR);
  h.sparse = null;
  return denseSet(d, index, count);
}

/** hllSparseSet: 1 if a register changed, 0 if not, -1 if the representation is corrupted. May promote to dense. */
function sparseSet(h: Hll, index: number, count: number, maxBytes: number): number {
  if (count > VAL_MAX_VALUE) return promote(h, index, count);
  const sp = h.sparse!;
  let end = sp.length;
  let p = 0;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    let oplen = 1;
    const b = sp[p];
    if (isZero(b)) span = zeroLen(b);
    else if (isVal(b)) span = valLen(b);
    else {
      span = xzeroLen(b, sp[p + 1] ?? 0);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const b = sp[p];
  let isz = false;
  let isxz = false;
  let isv = false;
  let runlen: number;
  if (isZero(b)) {
    isz = true;
    runlen = zeroLen(b);
  } else if (isXZero(b)) {
    isxz = true;
    runlen = xzeroLen(b, sp[p + 1] ?? 0);
  } else {
    isv = true;
    runlen = valLen(b);
  }
  updated: {
    if (isv) {
      const old = valValue(b);
      if (old >= count) return 0;
      if (runlen === 1) {
        sp[p] = valByte(count, 1);
        break updated;
      }
    }
    if (isz && runlen === 1) {
      sp[p] = valByte(count, 1);
      break updated;
    }
    const seq: number[] = [];
    const last = first + span - 1;
    if (isz || isxz) {
      if (index !== first) {
        const len = index - first;
        if (len > ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | XZERO_BIT, (len - 1) & 0xff);
        else seq.push(len - 1);
      }
      seq.push(valByte(count, 1));
      if (index !== last) {
        const len = last - index;
        if (len > ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | XZERO_BIT, (len - 1) & 0xff);
        else seq.push(len - 1);
      }
    } else {
      const cur = valValue(b);
      if (index !== first) seq.push(valByte(cur, index - first));
      seq.push(valByte(count, 1));
      if (index !== last) seq.push(valByte(cur, last - index));
    }
    const oldlen = isxz ? 2 : 1;
    const delta = seq.length - oldlen;
    if (delta > 0 && HDR + sp.length + delta > maxBytes) return promote(h, index, count);
    sp.splice(p, oldlen, ...seq);
    end += delta;
  }
  // Step 4: merge adjacent VAL opcodes with the same value (up to 5 opcodes from prev)
  p = prev >= 0 ? prev : 0;
  let scan = 5;
  while (p < end && scan--) {
    const x = sp[p];
    if (isXZero(x)) {
      p += 2;
      continue;
    } else if (isZero(x)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(sp[p + 1])) {
      const v1 = valValue(x);
      const v2 = valValue(sp[p + 1]);
      if (v1 === v2) {
        const len = valLen(x) + valLen(sp[p + 1]);
        if (len <= VAL_MAX_LEN) {
          sp[p + 1] = valByte(v1, len);
          sp.splice(p, 1);
          end--;
          continue;
        }
      }
    }
    p++;
  }
  h.hdr[15] |= 0x80;
  return 1;
}

function hllAdd(h: Hll, ele: Uint8Array, maxBytes: number): number {
  const [index, count] = patLen(ele);
  if (h.dense) return denseSet(h.dense, index, count);
  return sparseSet(h, index, count, maxBytes);
}

// ---------------------------------------------------------------- counting

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

function countFromHisto(reghisto: Float64Array | number[]): number {
  const m = REGS;
  let z = m * tau((m - reghisto[Q + 1]) / m);
  for (let j = Q; j >= 1; --j) {
    z += reghisto[j];
    z *= 0.5;
  }
  z += m * sigma(reghisto[0] / m);
  return Math.round((ALPHA_INF * m * m) / z);
}

/** Register histogram of a stored HLL value; null if a sparse representation is corrupted. */
function histo(v: Uint8Array): number[] | null {
  const reghisto = new Array<number>(64).fill(0);
  if (v[4] === DENSE) {
    for (let j = 0; j < REGS; j++) reghisto[denseGet(v, j)]++;
    return reghisto;
  }
  let idx = 0;
  let i = HDR;
  const end = v.length;
  while (i < end) {
    const b = v[i];
    if (isZero(b)) {
      const run = zeroLen(b);
      if (run + idx > REGS) return null;
      idx += run;
      reghisto[0] += run;
      i++;
    } else if (isXZero(b)) {
      const run = xzeroLen(b, i + 1 < end ? v[i + 1] : 0);
      if (run + idx > REGS) return null;
      idx += run;
      reghisto[0] += run;
      i += 2;
    } else {
      const run = valLen(b);
      if (run + idx > REGS) return null;
      idx += run;
      reghisto[valValue(b)] += run;
      i++;
    }
  }
  return idx === REGS ? reghisto : null;
}

/** hllMerge into an array of raw registers; false if a sparse value is corrupted. */
function merge(max: Uint8Array, v: Uint8Array): boolean {
  if (v[4] === DENSE) {
    for (let i = 0; i < REGS; i++) {
      const r = denseGet(v, i);
      if (r > max[i]) max[i] = r;
    }
    return true;
  }
  let i = 0;
  let p = HDR;
  const end = v.length;
  while (p < end) {
    const b = v[p];
    if (isZero(b)) {
      const run = zeroLen(b);
      if (run + i > REGS) return false;
      i += run;
      p++;
    } else if (isXZero(b)) {
      const run = xzeroLen(b, p + 1 < end ? v[p + 1] : 0);
      if (run + i > REGS) return false;
      i += run;
      p += 2;
    } else {
      let run = valLen(b);
      const val = valValue(b);
      if (run + i > REGS) return false;
      while (run--) {
        if (val > max[i]) max[i] = val;
        i++;
      }
      p++;
    }
  }
  return i === REGS;
}

// ---------------------------------------------------------------- objects

/** createHLLObject: an empty sparse HLL (XZERO opcodes covering every register). */
function createHll(): Hll {
  const hdr = new Uint8Array(HDR);
  hdr.set([72, 89, 76, 76], 0); // "HYLL"
  hdr[4] = SPARSE;
  const sparse: number[] = [];
  let aux = REGS;
  while (aux) {
    const x = Math.min(XZERO_MAX_LEN, aux);
    sparse.push(((x - 1) >> 8) | XZERO_BIT, (x - 1) & 0xff);
    aux -= x;
  }
  return { hdr, sparse, dense: null };
}

function hllFromValue(v: Buffer): Hll {
  if (v[4] === DENSE) return { hdr: v.subarray(0, HDR), sparse: null, dense: v };
  return { hdr: Uint8Array.from(v.subarray(0, HDR)), sparse: Array.from(v.subarray(HDR)), dense: null };
}

function hllToValue(h: Hll): Buffer {
  if (h.dense) return h.dense;
  const out = Buffer.allocUnsafe(HDR + h.sparse!.length);
  out.set(h.hdr, 0);
  out.set(h.sparse!, HDR);
  return out;
}

/** isHLLObjectOrReply: true if `o` is a string with a valid HLL header, else replies the error. */
function isHllOrReply(c: Client, o: RObj): boolean {
  if (o.type !== 'string') {
    c.reply.error(E.WRONGTYPE);
    return false;
  }
  const v = strBytes(o);
  if (
    v.length < HDR ||
    v[0] !== 72 ||
    v[1] !== 89 ||
    v[2] !== 76 ||
    v[3] !== 76 ||
    v[4] > 1 ||
    (v[4] === DENSE && v.length !== DENSE_SIZE)
  ) {
    c.reply.error(E.HLL_WRONGTYPE);
    return false;
  }
  return true;
}

/** Stores a modified HLL back into its object (a writable raw string). */
function storeHll(o: RObj, h: Hll): void {
  const v = hllToValue(h);
  if (v !== o.value) {
    o.value = v;
  }
  o.enc = 'raw';
}

function maxBytes(c: Client): number {
  return c.server.config.num('hll-sparse-max-bytes');
}

export function pfaddCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  let o = db.lookupWrite(key);
  let updated = 0;
  let h: Hll;
  if (o === undefined) {
    h = createHll();
    o = new RObj('string', hllToValue(h), 'raw');
    db.add(key, o);
    updated++;
  } else {
    if (!isHllOrReply(c, o)) return;
    unshareString(o, strLen(o));
    h = hllFromValue(o.value as Buffer);
  }
  const mb = maxBytes(c);
  for (let j = 2; j < argv.length; j++) {
    const r = hllAdd(h, argv[j], mb);
    if (r === 1) updated++;
    else if (r === -1) {
      storeHll(o, h);
      return c.reply.error(E.HLL_INVALIDOBJ);
    }
  }
  if (updated) h.hdr[15] |= 0x80;
  storeHll(o, h);
  if (updated) {
    const s = c.server;
    s.keyModified(db, key);
    s.notify(db, 'pfadd', key, NOTIFY.STRING);
    s.dirty += updated;
  }
  c.reply.int(updated ? 1 : 0);
}

export function pfcountCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  if (argv.length > 2) {
    const max = new Uint8Array(REGS);
    for (let j = 1; j < argv.length; j++) {
      const o = db.lookupRead(keyStr(argv[j]));
      if (o === undefined) continue;
      if (!isHllOrReply(c, o)) return;
      if (!merge(max, strBytes(o))) return c.reply.error(E.HLL_INVALIDOBJ);
    }
    const reghisto = new Array<number>(64).fill(0);
    for (let i = 0; i < REGS; i++) reghisto[max[i]]++;
    return c.reply.int(countFromHisto(reghisto));
  }
  const key = keyStr(argv[1]);
  const o = db.lookupRead(key);
  if (o === undefined) return c.reply.int(0);
  if (!isHllOrReply(c, o)) return;
  const v = unshareString(o, strLen(o));
  if ((v[15] & 0x80) === 0) {
    let card = 0;
    for (let i = 7; i >= 0; i--) card = card * 256 + v[8 + i];
    return c.reply.int(card);
  }
  const hg = histo(v);
  if (hg === null) return c.reply.error(E.HLL_INVALIDOBJ);
  let card = countFromHisto(hg);
  const out = card;
  for (let i = 0; i < 8; i++) {
    v[8 + i] = card % 256;
    card = Math.floor(card / 256);
  }
  c.server.keyModified(db, key);
  c.server.dirty++;
  c.reply.int(out);
}

export function pfmergeCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const max = new Uint8Array(REGS);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const o = db.lookupRead(keyStr(argv[j]));
    if (o === undefined) continue;
    if (!isHllOrReply(c, o)) return;
    const v = strBytes(o);
    if (v[4] === DENSE) useDense = true;
    if (!merge(max, v)) return c.reply.error(E.HLL_INVALIDOBJ);
  }
  const key = keyStr(argv[1]);
  let o = db.lookupWrite(key);
  let h: Hll;
  if (o === undefined) {
    h = createHll();
    o = new RObj('string', hllToValue(h), 'raw');
    db.add(key, o);
  } else {
    unshareString(o, strLen(o));
    h = hllFromValue(o.value as Buffer);
  }
  if (useDense && h.sparse) {
    const d = sparseToDense(h.hdr, h.sparse);
    if (d === null) return c.reply.error(E.HLL_INVALIDOBJ);
    h = { hdr: d.subarray(0, HDR), sparse: null, dense: d };
  }
  const mb = maxBytes(c);
  for (let j = 0; j < REGS; j++) {
    if (max[j] === 0) continue;
    if (h.dense) denseSet(h.dense, j, max[j]);
    else sparseSet(h, j, max[j], mb);
  }
  h.hdr[15] |= 0x80;
  storeHll(o, h);
  const s = c.server;
  s.keyModified(db, key);
  s.notify(db, 'pfadd', key, NOTIFY.STRING);
  s.dirty++;
  c.reply.ok();
}

export function pfdebugCommand(c: Client, argv: Buffer[]): void {
  const cmd = argv[1];
  const cmdText = cmd.latin1Slice(0, cmd.indexOf(0) < 0 ? cmd.length : cmd.indexOf(0));
  const db = c.db;
  const key = keyStr(argv[2]);
  const o = db.lookupWrite(key);
  if (o === undefined) return c.reply.error(E.PFDEBUG_NO_KEY);
  if (!isHllOrReply(c, o)) return;
  let v = unshareString(o, strLen(o));
  const arityErr = () => c.reply.errorSafe(E.pfdebugArity(cmdText));
  const toDense = (): boolean | null => {
    if (v[4] !== SPARSE) return false;
    const d = sparseToDense(v.subarray(0, HDR), v.subarray(HDR));
    if (d === null) return null;
    o.value = d;
    o.enc = 'raw';
    v = d;
    c.server.dirty++;
    return true;
  };
  if (eqi(cmd, 'getreg')) {
    if (argv.length !== 3) return arityErr();
    if (toDense() === null) return c.reply.error(E.HLL_INVALIDOBJ);
    c.reply.arrayLen(REGS);
    for (let j = 0; j < REGS; j++) c.reply.int(denseGet(v, j));
  } else if (eqi(cmd, 'decode')) {
    if (argv.length !== 3) return arityErr();
    if (v[4] !== SPARSE) return c.reply.error(E.HLL_NOT_SPARSE);
    const parts: string[] = [];
    let p = HDR;
    while (p < v.length) {
      const b = v[p];
      if (isZero(b)) {
        parts.push(`z:${zeroLen(b)}`);
        p++;
      } else if (isXZero(b)) {
        parts.push(`Z:${xzeroLen(b, p + 1 < v.length ? v[p + 1] : 0)}`);
        p += 2;
      } else {
        parts.push(`v:${valValue(b)},${valLen(b)}`);
        p++;
      }
    }
    c.reply.bulkStr(parts.join(' '));
  } else if (eqi(cmd, 'encoding')) {
    if (argv.length !== 3) return arityErr();
    c.reply.simple(v[4] === DENSE ? 'dense' : 'sparse');
  } else if (eqi(cmd, 'todense')) {
    if (argv.length !== 3) return arityErr();
    const r = toDense();
    if (r === null) return c.reply.error(E.HLL_INVALIDOBJ);
    c.reply.int(r ? 1 : 0);
  } else {
    c.reply.errorSafe(E.pfdebugUnknown(cmdText));
  }
}

/** PFSELFTEST: register access and estimator checks (sparse and dense must agree), as Redis's self test. */
export function pfselftestCommand(c: Client): void {
  const dense = Buffer.alloc(DENSE_SIZE);
  const bytes = new Uint8Array(REGS);
  for (let cycle = 0; cycle < 20; cycle++) {
    for (let i = 0; i < REGS; i++) {
      const r = Math.floor(Math.random() * 64);
      bytes[i] = r;
      denseSetReg(dense, i, r);
    }
    for (let i = 0; i < REGS; i++) {
      const v = denseGet(dense, i);
      if (v !== bytes[i]) return c.reply.error(E.hllSelftestRegister(i, bytes[i], v));
    }
  }
  dense.fill(0);
  dense[4] = DENSE;
  const h = createHll();
  const relerr = 1.04 / Math.sqrt(REGS);
  let checkpoint = 1;
  const mb = maxBytes(c);
  const seed = BigInt(Math.floor(Math.random() * 2 ** 32)) | (BigInt(Math.floor(Math.random() * 2 ** 32)) << 32n);
  const ele = Buffer.alloc(8);
  for (let j = 1; j <= 100000; j++) {
    ele.writeBigUInt64LE(BigInt(j) ^ seed);
    const [index, count] = patLen(ele);
    denseSet(dense, index, count);
    if (h.dense) denseSet(h.dense, index, count);
    else sparseSet(h, index, count, mb);
    if (j === checkpoint) {
      if (j < mb / 2 && !h.sparse) return c.reply.error(E.HLL_SELFTEST_NOT_SPARSE);
      const cd = countFromHisto(histo(dense)!);
      const cs = countFromHisto(histo(hllToValue(h))!);
      if (cd !== cs) return c.reply.error(E.HLL_SELFTEST_DISAGREE);
      let maxerr = Math.ceil(relerr * 6 * checkpoint);
      if (j === 10) maxerr = 1;
      const abserr = Math.abs(checkpoint - cd);
      if (abserr > maxerr) return c.reply.error(E.hllSelftestTooBigError(checkpoint, abserr));
      checkpoint *= 10;
    }
  }
  c.reply.ok();
}

export const handlers: Record<string, Handler> = {
  pfadd: pfaddCommand,
  pfcount: pfcountCommand,
  pfmerge: pfmergeCommand,
  pfdebug: pfdebugCommand,
  pfselftest: pfselftestCommand,
};
