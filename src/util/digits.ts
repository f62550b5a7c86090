// Decimal digits of safe non-negative integers written straight into byte buffers, without number-to-string
// (Redis: util.c ll2string / string2ll's counterpart for the reply writer and the stream entry renderer).

/** 10^i for i = 0..16 */
const POW10: number[] = [];
for (let i = 0, p = 1; i <= 16; i++, p *= 10) POW10.push(p);

/** Number of decimal digits of a safe non-negative integer (comparisons only). */
export function decimalDigits(n: number): number {
  let d = 1;
  while (d < 16 && n >= POW10[d]) d++;
  return d;
}

/**
 * Writes the `digits` decimal digits of the safe non-negative integer v at dst[p] (digits = decimalDigits(v));
 * returns the position after them.
 */
export function writeDecimal(dst: Uint8Array, p: number, v: number, digits: number): number {
  const end = p + digits;
  if (v <= 0x7fffffff) {
    // int32 division by a constant compiles to a multiply
    for (let i = end - 1; i >= p; i--) {
      const q = (v / 10) | 0;
      dst[i] = 48 + (v - q * 10);
      v = q;
    }
  } else {
    for (let i = end - 1; i >= p; i--) {
      const q = Math.floor(v / 10); // exact for safe integers, much cheaper than % on a double
      dst[i] = 48 + (v - q * 10);
      v = q;
    }
  }
  return end;
}
