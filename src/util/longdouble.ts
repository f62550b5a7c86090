// Exact emulation of the x86-64 80-bit long double (64-bit mantissa, 15-bit exponent) arithmetic used by
// INCRBYFLOAT and HINCRBYFLOAT (Redis: util.c string2ld / ld2string LD_STR_HUMAN, t_string.c incrbyfloatCommand).
//
// API:
//   parseLongDouble(buf): LD | null     string2ld: glibc strtold over the whole text, round-to-nearest-even to 64
//                                       bits; null for "not a valid float" (leading space, junk, NaN, overflow to
//                                       ±inf or underflow to 0 by ERANGE). "inf"/"infinity" are accepted.
//   addLD(a, b): LD                     a + b rounded once to long double (overflow gives ±inf).
//   isFiniteLD(x), isNaNLD(x)
//   formatLDHuman(x): string            "%.17Lf" with trailing zeros (and a bare '.') removed, "-0" → "0".
//   incrByFloat(cur, incr)              the whole INCRBYFLOAT step: cur (null = missing = 0) + incr → Buffer, or an
//                                       error code: 'value' (cur not a float), 'incr' (incr not a float),
//                                       'nan' (result NaN or ±inf).
//
// A finite LD is (-1)^neg · m · 2^e with m < 2^64 (m = 0 for zero).
export interface LD {
  neg: boolean;
  /** 0 finite, 1 infinite, 2 NaN */
  kind: 0 | 1 | 2;
  m: bigint;
  e: number;
}

const MANT_BITS = 64;
/** smallest exponent of the unit in the last place (denormal 2^-16445) */
const EMIN = -16445;
/** largest finite: (2^64-1) · 2^(16383-63) */
const EMAX = 16383 - 63;

const ZERO = (neg: boolean): LD => ({ neg, kind: 0, m: 0n, e: 0 });
const INF = (neg: boolean): LD => ({ neg, kind: 1, m: 0n, e: 0 });
const NAN: LD = { neg: false, kind: 2, m: 0n, e: 0 };

function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  // toString(16) is fast for big values; refine with the top digit
  const h = n.toString(16);
  const top = parseInt(h[0], 16);
  return (h.length - 1) * 4 + (32 - Math.clz32(top));
}

/**
 * Rounds the exact positive value (n / d) · 2^scale to a long double (round half to even), n, d > 0.
 * `sticky` says the true value is slightly above n/d (bits already lost).
 */
function roundRational(neg: boolean, n: bigint, d: bigint, scale: number): LD {
  if (n === 0n) return ZERO(neg);
  // q ≈ n/d · 2^s with 66-67 significant bits
  const s = MANT_BITS + 2 - (bitLength(n) - bitLength(d));
  let q: bigint;
  let r: bigint;
  if (s >= 0) {
    const nn = n << BigInt(s);
    q = nn / d;
    r = nn - q * d;
  } else {
    const dd = d << BigInt(-s);
    q = n / dd;
    r = n - q * dd;
  }
  let sticky = r !== 0n;
  // value = (q + frac) · 2^(scale - s)
  let shift = bitLength(q) - MANT_BITS;
  let e = scale - s + shift;
  if (e < EMIN) {
    shift += EMIN - e;
    e = EMIN;
  }
  let m: bigint;
  if (shift <= 0) {
    m = q << BigInt(-shift);
  } else if (shift > bitLength(q) + 1) {
    m = 0n; // far below half an ulp of the smallest denormal
  } else {
    const bs = BigInt(shift);
    m = q >> bs;
    const low = q - (m << bs);
    const half = 1n << (bs - 1n);
    if (low > half || (low === half && (sticky || (m & 1n) === 1n))) m += 1n;
    sticky = false;
    if (m >> 64n) {
      m >>= 1n;
      e += 1;
    }
  }
  void sticky;
  if (m === 0n) return ZERO(neg);
  if (e > EMAX) return INF(neg);
  return { neg, kind: 0, m, e };
}

const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const DEC_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;
const NAN_RE = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?$/i;

/** strtold over a whole text, plus the ERANGE flag; null if the text is not entirely a number. */
function strtold(s: string): { v: LD; erange: boolean } | null {
  let m = INF_RE.exec(s);
  if (m) return { v: INF(m[1] === '-'), erange: false };
  if (NAN_RE.test(s)) return { v: NAN, erange: false };
  m = HEX_RE.exec(s);
  if (m) {
    const ip = m[2];
    const fp = m[3] ?? '';
    if (ip.length + fp.length === 0) return null;
    const neg = m[1] === '-';
    let exp = m[4] !== undefined ? clampExp(m[4]) : 0;
    const digits = (ip + fp).replace(/^0+/, '');
    if (digits.length === 0) return { v: ZERO(neg), erange: false };
    exp -= 4 * fp.length;
    const n = BigInt('0x' + digits);
    if (exp + 4 * digits.length > 20000) return { v: INF(neg), erange: true };
    if (exp + 4 * digits.length < -20000) return { v: ZERO(neg), erange: true };
    const v = roundRational(neg, n, 1n, exp);
    return { v, erange: v.kind === 1 || (v.kind === 0 && v.m === 0n) };
  }
  m = DEC_RE.exec(s);
  if (!m) return null;
  const ip = m[2];
  const fp = m[3] ?? '';
  if (ip.length + fp.length === 0) return null;
  const neg = m[1] === '-';
  let exp = m[4] !== undefined ? clampExp(m[4]) : 0;
  let digits = (ip + fp).replace(/^0+/, '');
  exp -= fp.length;
  if (digits.length === 0) return { v: ZERO(neg), erange: false };
  // strip trailing zeros into the exponent
  const t = digits.length;
  digits = digits.replace(/0+$/, '');
  exp += t - digits.length;
  const mag = exp + digits.length; // value in [10^(mag-1), 10^mag)
  if (mag > 4940) return { v: INF(neg), erange: true };
  if (mag < -4960) return { v: ZERO(neg), erange: true };
  const n = BigInt(digits);
  const v = exp >= 0 ? roundRational(neg, n * 10n ** BigInt(exp), 1n, 0) : roundRational(neg, n, 10n ** BigInt(-exp), 0);
  return { v, erange: v.kind === 1 || (v.kind === 0 && v.m === 0n) };
}

function clampExp(s: string): number {
  const n = Number(s);
  if (n > 1e9) return 1e9;
  if (n < -1e9) return -1e9;
  return n;
}

/** util.c string2ld. null when Redis would say "value is not a valid float". */
export function parseLongDouble(buf: Uint8Array): LD | null {
  const slen = buf.length;
  if (slen === 0 || slen >= MAX_LONG_DOUBLE_CHARS) return null;
  if (isSpace(buf[0])) return null;
  // strtold works on a NUL-terminated copy, and string2ld requires it to consume all slen bytes: an embedded NUL
  // (where strtold stops) makes the value invalid.
  if (buf.indexOf(0) >= 0) return null;
  const s = Buffer.from(buf.buffer, buf.byteOffset, slen).toString('latin1');
  const r = strtold(s);
  if (r === null) return null;
  if (r.erange) return null;
  if (r.v.kind === 2) return null;
  return r.v;
}

export function isFiniteLD(x: LD): boolean {
  return x.kind === 0;
}

export function isNaNLD(x: LD): boolean {
  return x.kind === 2;
}

/** The long double nearest to an int64 (exact: 64-bit mantissa). */
export function ldFromBigInt(v: bigint): LD {
  if (v === 0n) return ZERO(false);
  const neg = v < 0n;
  return roundRational(neg, neg ? -v : v, 1n, 0);
}

/** a + b with one rounding (IEEE semantics incl. signed zeros, infinities and NaN). */
export function addLD(a: LD, b: LD): LD {
  if (a.kind === 2 || b.kind === 2) return NAN;
  if (a.kind === 1 || b.kind === 1) {
    if (a.kind === 1 && b.kind === 1) return a.neg === b.neg ? a : NAN;
    return a.kind === 1 ? a : b;
  }
  if (a.m === 0n && b.m === 0n) return ZERO(a.neg && b.neg);
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const sa = (a.neg ? -a.m : a.m) << BigInt(a.e - e);
  const sb = (b.neg ? -b.m : b.m) << BigInt(b.e - e);
  const sum = sa + sb;
  if (sum === 0n) return ZERO(false); // x + (-x) = +0 in round-to-nearest
  const neg = sum < 0n;
  return roundRational(neg, neg ? -sum : sum, 1n, e);
}

/** ld2string(LD_STR_HUMAN): "%.17Lf", trailing zeros after '.' removed, a trailing '.' removed, "-0" → "0". */
export function formatLDHuman(x: LD): string {
  if (x.kind === 1) return x.neg ? '-inf' : 'inf';
  if (x.kind === 2) return x.neg ? '-nan' : 'nan';
  // N = round(|x| · 10^17), half to even (glibc prints exactly in round-to-nearest mode)
  const P = 10n ** 17n;
  let N: bigint;
  if (x.e >= 0) N = (x.m << BigInt(x.e)) * P;
  else {
    const num = x.m * P;
    const sh = BigInt(-x.e);
    N = num >> sh;
    const rem = num - (N << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (N & 1n) === 1n)) N += 1n;
  }
  const ds = N.toString().padStart(18, '0');
  const ip = ds.slice(0, ds.length - 17);
  let fp = ds.slice(ds.length - 17).replace(/0+$/, '');
  let out = fp.length ? `${ip}.${fp}` : ip;
  if (x.neg) out = '-' + out;
  if (out === '-0') out = '0';
  void fp;
  fp = '';
  return out;
}

export type IncrByFloatResult = Buffer | 'value' | 'incr' | 'nan';

/**
 * INCRBYFLOAT's arithmetic: current (null when the key is missing: 0) + incr, formatted as Redis stores it.
 * Errors: 'value' / 'incr' → ERR value is not a valid float; 'nan' → ERR increment would produce NaN or Infinity.
 */
export function incrByFloat(current: Uint8Array | null, incr: Uint8Array): IncrByFloatResult {
  const v = current === null ? ZERO(false) : parseLongDouble(current);
  if (v === null) return 'value';
  const i = parseLongDouble(incr);
  if (i === null) return 'incr';
  const r = addLD(v, i);
  if (r.kind !== 0) return 'nan';
  return Buffer.from(formatLDHuman(r), 'latin1');
}
