// Byte-level parsing helpers shared by the protocol, commands and config (Redis: util.c string2ll/stringmatchlen, sds.c sdssplitargs, object.c getDouble*).

const LONG_STR_SIZE = 21;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** util.c string2ll over buf[start,end): strict (no spaces, no '+', no leading zeros); null when invalid or out of int64. */
export function string2llBig(buf: Uint8Array, start = 0, end = buf.length): bigint | null {
  const slen = end - start;
  if (slen === 0 || slen >= LONG_STR_SIZE) return null;
  if (slen === 1 && buf[start] === 48) return 0n;
  let p = start;
  let neg = false;
  if (buf[p] === 45) {
    neg = true;
    p++;
    if (p === end) return null;
  }
  const c0 = buf[p];
  if (c0 < 49 || c0 > 57) return null;
  // Fast path: up to 15 digits fits in a double exactly.
  if (end - p <= 15) {
    let v = 0;
    for (; p < end; p++) {
      const c = buf[p] - 48;
      if (c < 0 || c > 9) return null;
      v = v * 10 + c;
    }
    return BigInt(neg ? -v : v);
  }
  let v = 0n;
  for (; p < end; p++) {
    const c = buf[p] - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10n + BigInt(c);
  }
  if (neg) {
    v = -v;
    if (v < INT64_MIN) return null;
  } else if (v > INT64_MAX) return null;
  return v;
}

/**
 * string2ll returning a JS number (exact up to 2^53, rounded beyond, which is harmless for counts, indexes and ranges).
 * null when the text is not a valid int64.
 */
export function string2ll(buf: Uint8Array, start = 0, end = buf.length): number | null {
  const slen = end - start;
  if (slen > 0 && slen <= 15) {
    let p = start;
    let neg = false;
    if (slen === 1 && buf[p] === 48) return 0;
    if (buf[p] === 45) {
      neg = true;
      p++;
      if (p === end) return null;
    }
    const c0 = buf[p];
    if (c0 < 49 || c0 > 57) return null;
    let v = 0;
    for (; p < end; p++) {
      const c = buf[p] - 48;
      if (c < 0 || c > 9) return null;
      v = v * 10 + c;
    }
    return neg ? -v : v;
  }
  const b = string2llBig(buf, start, end);
  return b === null ? null : Number(b);
}

/** string2l (long on LP64 is int64): same as string2ll. */
export const string2l = string2ll;

const FLOAT_RE = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;
const HEX_FLOAT_RE = /^[+-]?0x(?:[0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p[+-]?\d+)?$/i;

function parseHexFloat(s: string): number {
  let neg = false;
  let i = 0;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  s = s.slice(i + 2);
  let exp = 0;
  const p = s.search(/p/i);
  if (p >= 0) {
    exp = Number(s.slice(p + 1));
    s = s.slice(0, p);
  }
  const dot = s.indexOf('.');
  let mant = s;
  if (dot >= 0) {
    mant = s.slice(0, dot) + s.slice(dot + 1);
    exp -= 4 * (s.length - dot - 1);
  }
  const v = Number(BigInt('0x' + (mant || '0'))) * Math.pow(2, exp);
  return neg ? -v : v;
}

/**
 * C strtod over the whole text (glibc accepts inf/infinity/nan and hex floats); null if any byte is left over,
 * the text is empty, or it starts with a space (Redis rejects leading/trailing spaces).
 */
export function strtod(buf: Uint8Array | string): number | null {
  const s = typeof buf === 'string' ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
  if (s.length === 0) return null;
  if (FLOAT_RE.test(s)) {
    const body = s.replace(/^[+-]/, '').toLowerCase();
    const neg = s[0] === '-';
    if (body.startsWith('inf')) return neg ? -Infinity : Infinity;
    if (body === 'nan') return NaN;
    return Number(s);
  }
  if (HEX_FLOAT_RE.test(s)) return parseHexFloat(s);
  return null;
}

/**
 * object.c getDoubleFromObject: strtod must consume everything, no leading space, and NaN is refused.
 * Returns null for "ERR value is not a valid float".
 */
export function parseDouble(buf: Uint8Array): number | null {
  if (buf.length === 0) return null;
  const c0 = buf[0];
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  const d = strtod(buf);
  if (d === null || d !== d) return null;
  // string2d rejects ERANGE results: overflow to ±HUGE_VAL and underflow to zero (but accepts a literal "inf").
  if (d === Infinity || d === -Infinity || d === 0) {
    const s = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1').toLowerCase();
    if (d !== 0 && !/^[+-]?inf/.test(s)) return null;
    if (d === 0 && /[1-9]/.test(s.replace(/e.*$/, '').replace(/^0x/, ''))) return null;
  }
  return d;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
function hexVal(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/**
 * sds.c sdssplitargs: splits a line into arguments honouring "double" (with \n \r \t \b \a \xHH escapes) and 'single'
 * quotes. Stops at a NUL byte as the C code does. Returns null for unbalanced quotes.
 */
export function splitArgs(line: Uint8Array): Buffer[] | null {
  const out: Buffer[] = [];
  const n = line.length;
  const at = (i: number) => (i < n ? line[i] : 0);
  let p = 0;
  for (;;) {
    while (at(p) !== 0 && isSpace(at(p))) p++;
    if (at(p) === 0) return out;
    const cur: number[] = [];
    let inq = false;
    let insq = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inq) {
        if (c === 92 && at(p + 1) === 120 && isHex(at(p + 2)) && isHex(at(p + 3))) {
          cur.push(hexVal(at(p + 2)) * 16 + hexVal(at(p + 3)));
          p += 3;
        } else if (c === 92 && at(p + 1) !== 0) {
          p++;
          const e = at(p);
          cur.push(e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 97 ? 7 : e);
        } else if (c === 34) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else cur.push(c);
      } else if (insq) {
        if (c === 92 && at(p + 1) === 39) {
          p++;
          cur.push(39);
        } else if (c === 39) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) return null;
          done = true;
        } else if (c === 0) {
          return null;
        } else cur.push(c);
      } else {
        if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) done = true;
        else if (c === 34) inq = true;
        else if (c === 39) insq = true;
        else cur.push(c);
      }
      if (at(p) !== 0) p++;
    }
    out.push(Buffer.from(cur));
  }
}

const signedByte = (b: number | undefined) => (b === undefined ? 0 : b >= 128 ? b - 256 : b);
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** util.c stringmatchlen (glob with *, ?, [..], \ escapes; nesting limited to 1000 as in the CVE-2024-31228 fix). */
export function stringMatch(pattern: Uint8Array, str: Uint8Array, nocase = false): boolean {
  const skip = { v: false };
  return matchImpl(pattern, 0, pattern.length, str, 0, str.length, nocase, skip, 0);
}

function matchImpl(
  pat: Uint8Array,
  pi: number,
  plen: number,
  s: Uint8Array,
  si: number,
  slen: number,
  nocase: boolean,
  skip: { v: boolean },
  nesting: number,
): boolean {
  if (nesting > 1000) return false;
  while (plen && slen) {
    switch (pat[pi]) {
      case 42: /* * */ {
        while (plen && pat[pi + 1] === 42) {
          pi++;
          plen--;
        }
        if (plen === 1) return true;
        while (slen) {
          if (matchImpl(pat, pi + 1, plen - 1, s, si, slen, nocase, skip, nesting + 1)) return true;
          if (skip.v) return false;
          si++;
          slen--;
        }
        skip.v = true;
        return false;
      }
      case 63: /* ? */
        si++;
        slen--;
        break;
      case 91: /* [ */ {
        pi++;
        plen--;
        const not = pat[pi] === 94;
        if (not) {
          pi++;
          plen--;
        }
        let match = false;
        for (;;) {
          if (pat[pi] === 92 && plen >= 2) {
            pi++;
            plen--;
            if (pat[pi] === s[si]) match = true;
          } else if (pat[pi] === 93) {
            break;
          } else if (plen === 0) {
            pi--;
            plen++;
            break;
          } else if (plen >= 3 && pat[pi + 1] === 45) {
            let start = signedByte(pat[pi]);
            let end = signedByte(pat[pi + 2]);
            let c = signedByte(s[si]);
            if (start > end) {
              const t = start;
              start = end;
              end = t;
            }
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            pi += 2;
            plen -= 2;
            if (c >= start && c <= end) match = true;
          } else if (!nocase) {
            if (pat[pi] === s[si]) match = true;
          } else if (lower(pat[pi]) === lower(s[si])) match = true;
          pi++;
          plen--;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        slen--;
        break;
      }
      case 92: /* \ */
        if (plen >= 2) {
          pi++;
          plen--;
        }
      // falls through
      default:
        if (!nocase) {
          if (pat[pi] !== s[si]) return false;
        } else if (lower(pat[pi]) !== lower(s[si])) return false;
        si++;
        slen--;
        break;
    }
    pi++;
    plen--;
    if (slen === 0) {
      while (pat[pi] === 42) {
        pi++;
        plen--;
      }
      break;
    }
  }
  return plen === 0 && slen === 0;
}

/** Case-insensitive ASCII compare of an argument with a lowercase keyword, without allocating. */
export function eqi(arg: Uint8Array, lowerKeyword: string): boolean {
  const n = lowerKeyword.length;
  if (arg.length !== n) return false;
  for (let i = 0; i < n; i++) {
    let c = arg[i];
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lowerKeyword.charCodeAt(i)) return false;
  }
  return true;
}

/** Lowercased ASCII text of an argument (command names, options). */
export function lowerName(arg: Uint8Array): string {
  return Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength).toString('latin1').toLowerCase();
}
