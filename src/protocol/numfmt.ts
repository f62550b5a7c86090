// Number formatting exactly as glibc printf does it for Redis (%.17g replies, %g-style text); counterpart of Redis's util.c d2string/fpconv use.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** True when the IEEE sign bit of `d` is set (works for NaN and -0, unlike `d < 0`). */
export function signBit(d: number): boolean {
  f64[0] = d;
  return (u32[1] & 0x80000000) !== 0;
}

function nanOrInf(d: number): string | null {
  if (d !== d) return signBit(d) ? '-nan' : 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  return null;
}

/**
 * Returns the `prec` significant decimal digits of |d| rounded half-to-even on the exact binary value (as glibc does),
 * plus the decimal exponent of the first digit.
 */
function digits(d: number, prec: number): { digits: string; exp: number } {
  const a = Math.abs(d);
  let s = a.toExponential(prec - 1); // correctly rounded, but ties go away from zero
  // Detect an exact tie: the exact expansion has exactly prec+1 significant digits ending in 5.
  const longer = a.toExponential(Math.min(prec + 25, 100));
  const mant = longer.slice(0, longer.indexOf('e')).replace('.', '');
  if (mant[prec] === '5' && /^0*$/.test(mant.slice(prec + 1))) {
    // A tie: round half to even on the truncated digits.
    const truncated = mant.slice(0, prec);
    const last = truncated.charCodeAt(prec - 1) - 48;
    const exp0 = Number(longer.slice(longer.indexOf('e') + 1));
    if (last % 2 === 0) {
      return { digits: truncated, exp: exp0 };
    }
    // odd: round up, which toExponential already did
  }
  const e = s.indexOf('e');
  return { digits: s.slice(0, e).replace('.', ''), exp: Number(s.slice(e + 1)) };
}

/** printf("%.<prec>g", d) as glibc prints it. */
export function formatG(d: number, prec = 17): string {
  const special = nanOrInf(d);
  if (special !== null) return special;
  if (prec === 0) prec = 1;
  if (d === 0) return signBit(d) ? '-0' : '0';
  const neg = d < 0;
  const { digits: dg, exp } = digits(d, prec);
  let out: string;
  if (exp < -4 || exp >= prec) {
    let m = dg.replace(/0+$/, '');
    m = m.length > 1 ? m[0] + '.' + m.slice(1) : m;
    const ae = Math.abs(exp);
    out = m + 'e' + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
  } else if (exp >= 0) {
    const intPart = dg.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = dg.slice(exp + 1).replace(/0+$/, '');
    out = frac ? intPart + '.' + frac : intPart;
  } else {
    const frac = ('0'.repeat(-exp - 1) + dg).replace(/0+$/, '');
    out = '0.' + frac;
  }
  return neg ? '-' + out : out;
}

/** Redis's %.17g double reply text. */
export function formatDouble(d: number): string {
  if (Number.isInteger(d) && d > -9007199254740992 && d < 9007199254740992) {
    return d === 0 && 1 / d < 0 ? '-0' : String(d);
  }
  const a = d < 0 ? -d : d;
  if (!(a >= 1e-4 && a < 1e17)) return formatG(d, 17); // exponent notation, inf, nan
  // An exact tie at 17 digits needs an exact decimal expansion of exactly 18 significant digits: |d| = m * 2^-j with
  // m odd expands to m * 5^j (no trailing zeros), so only 1e17 <= m * 5^j < 1e18 can tie; formatG handles those.
  f64[0] = a;
  let m = (u32[1] & 0xfffff) * 4294967296 + u32[0] + 4503599627370496;
  let j = 1075 - ((u32[1] >>> 20) & 0x7ff);
  while (m % 2 === 0) {
    m /= 2;
    j--;
  }
  const n = m * Math.pow(5, j);
  if (n >= 0.9e17 && n < 1.1e18) return formatG(d, 17);
  let s = d.toPrecision(17); // fixed notation for 1e-4 <= |d| < 1e17, correctly rounded away from ties
  if (s.indexOf('.') >= 0) {
    let l = s.length;
    while (s.charCodeAt(l - 1) === 48) l--;
    if (s.charCodeAt(l - 1) === 46) l--;
    s = s.slice(0, l);
  }
  return s;
}
