// Geohash encoding, neighbours, search areas and distances exactly as Redis computes them
// (Redis: geohash.c, geohash_helper.c). Hash bits are held in JS numbers (52 bits fit a double exactly);
// interleaving works on 16-bit halves with 32-bit integer ops, neighbour moves use BigInt.

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

const D_R = Math.PI / 180.0;
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

const TWO32 = 4294967296;

export interface HashBits {
  bits: number;
  step: number;
}

export interface Range {
  min: number;
  max: number;
}

export interface Area {
  hash: HashBits;
  longitude: Range;
  latitude: Range;
}

export const WGS84_LONG: Range = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const WGS84_LAT: Range = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

function spread16(x: number): number {
  x &= 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

function compact16(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** interleave64(x, y): x on even bits, y on odd bits (inputs are uint32 values below 2^27). */
export function interleave(x: number, y: number): number {
  const lo = (spread16(x) | (spread16(y) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return hi * TWO32 + lo;
}

/** deinterleave64 of a value below 2^53: [even bits, odd bits]. */
export function deinterleave(bits: number): [number, number] {
  const hi = Math.floor(bits / TWO32);
  const lo = bits - hi * TWO32;
  const x = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const y = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  return [x, y];
}

/** (uint32_t) conversion of a non-negative double (truncation, modulo 2^32). */
function toU32(d: number): number {
  return Math.trunc(d) % TWO32;
}

/** geohashEncode; null when out of range. */
export function encode(longRange: Range, latRange: Range, longitude: number, latitude: number, step: number): HashBits | null {
  if (step > 32 || step === 0) return null;
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return null;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max) return null;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  const scale = Math.pow(2, step);
  latOffset *= scale;
  longOffset *= scale;
  return { bits: interleave(toU32(latOffset), toU32(longOffset)), step };
}

export function encodeWGS84(longitude: number, latitude: number, step: number): HashBits | null {
  return encode(WGS84_LONG, WGS84_LAT, longitude, latitude, step);
}

function isZero(h: HashBits): boolean {
  return h.bits === 0 && h.step === 0;
}

/** geohashDecode */
export function decode(longRange: Range, latRange: Range, hash: HashBits): Area | null {
  if (isZero(hash)) return null;
  const step = hash.step;
  const [ilato, ilono] = deinterleave(hash.bits);
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  const div = Math.pow(2, step);
  return {
    hash,
    latitude: {
      min: latRange.min + ((ilato * 1.0) / div) * latScale,
      max: latRange.min + (((ilato + 1) * 1.0) / div) * latScale,
    },
    longitude: {
      min: longRange.min + ((ilono * 1.0) / div) * longScale,
      max: longRange.min + (((ilono + 1) * 1.0) / div) * longScale,
    },
  };
}

/** geohashDecodeAreaToLongLat */
export function areaToLongLat(area: Area): [number, number] {
  let x = (area.longitude.min + area.longitude.max) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (area.latitude.min + area.latitude.max) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

/** (uint64_t) conversion of a score as x86-64 does it, as a number when exact, else through BigInt. */
function scoreBits(score: number): number | bigint {
  if (score >= 0 && score < 9007199254740992) return Math.trunc(score);
  // x86-64 (uint64_t) conversion: values from 2^63 go through cvttsd2si(d - 2^63) ^ 2^63, so +inf and >= 2^64 give 0;
  // values at or below -2^63 (and -inf) give the "indefinite" 2^63.
  if (score >= 18446744073709551616) return 0;
  if (score <= -9223372036854775808) return 0x8000000000000000n;
  return BigInt.asUintN(64, BigInt(Math.trunc(score)));
}

/**
 * (long long) conversion of a score as x86-64 does it (cvttsd2si), for WITHHASH: truncation toward zero; NaN and values
 * outside int64 give LLONG_MIN. A number when exact, else a BigInt.
 */
export function scoreToLL(score: number): number | bigint {
  const t = Math.trunc(score) + 0; // (no -0)
  if (Number.isSafeInteger(t)) return t;
  if (!(score >= -9223372036854775808 && score < 9223372036854775808)) return -9223372036854775808n;
  return BigInt(t);
}

/** decodeGeohash(score): [longitude, latitude] of a 52-bit geo score. */
export function decodeScore(score: number): [number, number] {
  const b = scoreBits(score);
  if (typeof b === 'number') {
    return areaToLongLat(decode(WGS84_LONG, WGS84_LAT, { bits: b, step: GEO_STEP_MAX })!);
  }
  // Out of the 52-bit domain: deinterleave the 64 bits exactly.
  const hi = Number(b >> 32n);
  const lo = Number(b & 0xffffffffn);
  const ilato = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const ilono = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  const div = Math.pow(2, GEO_STEP_MAX);
  const latScale = GEO_LAT_MAX - GEO_LAT_MIN;
  const area: Area = {
    hash: { bits: 0, step: GEO_STEP_MAX },
    latitude: { min: GEO_LAT_MIN + (ilato / div) * latScale, max: GEO_LAT_MIN + ((ilato + 1) / div) * latScale },
    longitude: { min: GEO_LONG_MIN + (ilono / div) * 360, max: GEO_LONG_MIN + ((ilono + 1) / div) * 360 },
  };
  return areaToLongLat(area);
}

/** geohashAlign52Bits */
export function align52(h: HashBits): number {
  return h.bits * Math.pow(2, 52 - h.step * 2);
}

const MASK_A = 0xaaaaaaaaaaaaaaaan;
const MASK_5 = 0x5555555555555555n;
const U64 = (v: bigint) => BigInt.asUintN(64, v);

function moveX(h: HashBits, d: number): HashBits {
  if (d === 0) return h;
  const bits = BigInt(h.bits);
  let x = bits & MASK_A;
  const y = bits & MASK_5;
  const sh = BigInt(64 - h.step * 2);
  const zz = MASK_5 >> sh;
  if (d > 0) x = U64(x + (zz + 1n));
  else {
    x = x | zz;
    x = U64(x - (zz + 1n));
  }
  x &= MASK_A >> sh;
  return { bits: Number(x | y), step: h.step };
}

function moveY(h: HashBits, d: number): HashBits {
  if (d === 0) return h;
  const bits = BigInt(h.bits);
  const x = bits & MASK_A;
  let y = bits & MASK_5;
  const sh = BigInt(64 - h.step * 2);
  const zz = MASK_A >> sh;
  if (d > 0) y = U64(y + (zz + 1n));
  else {
    y = y | zz;
    y = U64(y - (zz + 1n));
  }
  y &= MASK_5 >> sh;
  return { bits: Number(x | y), step: h.step };
}

export interface Neighbors {
  north: HashBits;
  east: HashBits;
  west: HashBits;
  south: HashBits;
  north_east: HashBits;
  south_east: HashBits;
  north_west: HashBits;
  south_west: HashBits;
}

/** geohashNeighbors */
export function neighbors(h: HashBits): Neighbors {
  return {
    east: moveY(moveX(h, 1), 0),
    west: moveY(moveX(h, -1), 0),
    south: moveY(moveX(h, 0), -1),
    north: moveY(moveX(h, 0), 1),
    north_west: moveY(moveX(h, -1), 1),
    north_east: moveY(moveX(h, 1), 1),
    south_east: moveY(moveX(h, 1), -1),
    south_west: moveY(moveX(h, -1), -1),
  };
}

const degRad = (a: number) => a * D_R;
const radDeg = (a: number) => a / D_R;

/** geohashEstimateStepsByRadius */
export function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

export const CIRCULAR = 0;
export const RECTANGLE = 1;

export interface GeoShape {
  type: number;
  xy: [number, number];
  conversion: number;
  radius: number;
  width: number;
  height: number;
  bounds: [number, number, number, number];
}

/** geohashBoundingBox */
export function boundingBox(shape: GeoShape): void {
  const longitude = shape.xy[0];
  const latitude = shape.xy[1];
  const height = shape.conversion * (shape.type === CIRCULAR ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.type === CIRCULAR ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
  const southern = latitude < 0;
  shape.bounds[0] = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
  shape.bounds[2] = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
  shape.bounds[1] = latitude - latDelta;
  shape.bounds[3] = latitude + latDelta;
}

export interface HashRadius {
  hash: HashBits;
  neighbors: Neighbors;
  area: Area;
}

const ZERO: HashBits = { bits: 0, step: 0 };

/** geohashCalculateAreasByShapeWGS84 */
export function areasByShape(shape: GeoShape): HashRadius {
  boundingBox(shape);
  const [minLon, minLat, maxLon, maxLat] = shape.bounds;
  const longitude = shape.xy[0];
  const latitude = shape.xy[1];
  let radiusMeters =
    shape.type === CIRCULAR ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = estimateStepsByRadius(radiusMeters, latitude);
  let hash = encode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps)!;
  let nb = neighbors(hash);
  let area = decode(WGS84_LONG, WGS84_LAT, hash)!;
  let decrease = false;
  {
    const north = decode(WGS84_LONG, WGS84_LAT, nb.north)!;
    const south = decode(WGS84_LONG, WGS84_LAT, nb.south)!;
    const east = decode(WGS84_LONG, WGS84_LAT, nb.east)!;
    const west = decode(WGS84_LONG, WGS84_LAT, nb.west)!;
    if (north.latitude.max < maxLat) decrease = true;
    if (south.latitude.min > minLat) decrease = true;
    if (east.longitude.max < maxLon) decrease = true;
    if (west.longitude.min > minLon) decrease = true;
  }
  if (steps > 1 && decrease) {
    steps--;
    hash = encode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps)!;
    nb = neighbors(hash);
    area = decode(WGS84_LONG, WGS84_LAT, hash)!;
  }
  if (steps >= 2) {
    if (area.latitude.min < minLat) nb.south = nb.south_west = nb.south_east = ZERO;
    if (area.latitude.max > maxLat) nb.north = nb.north_east = nb.north_west = ZERO;
    if (area.longitude.min < minLon) nb.west = nb.south_west = nb.north_west = ZERO;
    if (area.longitude.max > maxLon) nb.east = nb.south_east = nb.north_east = ZERO;
  }
  return { hash, neighbors: nb, area };
}

/** geohashGetLatDistance */
export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** geohashGetDistance (haversine) */
export function distance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/** geoWithinShape: the distance from the shape's centre when the point is inside, else -1. */
export function withinShape(shape: GeoShape, lon: number, lat: number): number {
  if (shape.type === CIRCULAR) {
    const d = distance(shape.xy[0], shape.xy[1], lon, lat);
    return d > shape.radius * shape.conversion ? -1 : d;
  }
  const w = shape.width * shape.conversion;
  const h = shape.height * shape.conversion;
  if (latDistance(lat, shape.xy[1]) > h / 2) return -1;
  if (distance(lon, lat, shape.xy[0], lat) > w / 2) return -1;
  return distance(shape.xy[0], shape.xy[1], lon, lat);
}

/** The 11-character base32 geohash string GEOHASH prints for a score. */
export function geohashString(score: number): string {
  const ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';
  const [lon, lat] = decodeScore(score);
  const h = encode({ min: -180, max: 180 }, { min: -90, max: 90 }, lon, lat, 26);
  if (h === null) return '';
  const bits = BigInt(h.bits);
  let out = '';
  for (let i = 0; i < 11; i++) {
    const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += ALPHABET[idx];
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// C printf-style fixed formatting (glibc: exact decimal value, round half to even)

/** printf("%.<prec>f", d) as glibc prints it. */
export function cFixed(d: number, prec: number): string {
  if (d !== d) return d < 0 ? '-nan' : 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  const neg = d < 0 || Object.is(d, -0);
  const a = Math.abs(d);
  let s: string;
  if (a >= 1e21) {
    s = BigInt(a).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
  } else {
    s = a.toFixed(prec);
    // toFixed rounds exact ties up; glibc rounds them to even.
    const ext = Math.min(100, prec + 40);
    const longer = a.toFixed(ext);
    const tail = longer.slice(longer.length - (ext - prec));
    if (tail[0] === '5' && /^50*$/.test(tail)) {
      const trunc = longer.slice(0, longer.length - (ext - prec));
      const t = prec === 0 ? trunc.replace(/\.$/, '') : trunc;
      const lastDigit = t.charCodeAt(t.length - 1) - 48;
      if (lastDigit % 2 === 0) s = prec === 0 ? t : t;
    }
  }
  return neg ? '-' + s : s;
}

/** ld2string(LD_STR_HUMAN): %.17Lf with trailing zeros (and a bare dot) removed, "-0" printed as "0". */
export function humanDouble(d: number): string {
  let s = cFixed(d, 17);
  if (s.indexOf('.') >= 0) {
    let l = s.length;
    while (s.charCodeAt(l - 1) === 48) l--;
    if (s.charCodeAt(l - 1) === 46) l--;
    s = s.slice(0, l);
  }
  if (s === '-0') s = '0';
  return s;
}

/** fixedpoint_d2string(d, 4) as GEODIST / WITHDIST print distances (llrint: round half to even). */
export function fixed4(d: number): string {
  if (d === 0) return '0.0000';
  const x = d * 10000;
  let v = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5) v = 2 * Math.round(x / 2);
  let neg = false;
  if (v < 0) {
    neg = true;
    v = -v;
  }
  let digits = v.toString();
  if (digits.length < 5) digits = digits.padStart(5, '0');
  const out = digits.slice(0, digits.length - 4) + '.' + digits.slice(digits.length - 4);
  return neg ? '-' + out : out;
}

// ------------------------------------------------------------------------------------------------
// pqsort.c: the partial quicksort Redis uses for GEO* with COUNT (not stable: ties must come out in its order).

function med3<T>(a: T[], i: number, j: number, k: number, cmp: (x: T, y: T) => number): number {
  return cmp(a[i], a[j]) < 0
    ? cmp(a[j], a[k]) < 0
      ? j
      : cmp(a[i], a[k]) < 0
        ? k
        : i
    : cmp(a[j], a[k]) > 0
      ? j
      : cmp(a[i], a[k]) < 0
        ? i
        : k;
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function vecswap<T>(a: T[], i: number, j: number, n: number): void {
  while (n-- > 0) swap(a, i++, j++);
}

function pqsortRange<T>(arr: T[], start: number, n: number, cmp: (x: T, y: T) => number, L: number, R: number): void {
  for (;;) {
    const a = start;
    if (n < 7) {
      for (let pm = a + 1; pm < a + n; pm++) for (let pl = pm; pl > a && cmp(arr[pl - 1], arr[pl]) > 0; pl--) swap(arr, pl, pl - 1);
      return;
    }
    let pm = a + Math.floor(n / 2);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(arr, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(arr, pm - d, pm, pm + d, cmp);
        pn = med3(arr, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(arr, pl, pm, pn, cmp);
    }
    swap(arr, a, pm);
    let pa = a + 1;
    let pb = pa;
    let pc = a + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(arr[pb], arr[a])) <= 0) {
        if (r === 0) {
          swap(arr, pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc && (r = cmp(arr[pc], arr[a])) >= 0) {
        if (r === 0) {
          swap(arr, pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(arr, pb, pc);
      pb++;
      pc--;
    }
    const pn = a + n;
    let r = Math.min(pa - a, pb - pa);
    vecswap(arr, a, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(arr, pb, pn - r, r);
    r = pb - pa;
    if (r > 1) {
      const s = a;
      if (!((L < s && R < s) || (L >= s + r && R >= s + r))) pqsortRange(arr, s, r, cmp, L, R);
    }
    r = pd - pc;
    if (r > 1) {
      start = pn - r;
      n = r;
      if (!((L < start && R < start) || (L >= start + r && R >= start + r))) continue;
    }
    return;
  }
}

/** pqsort(a, n, cmp, lrange, rrange): sorts enough of `arr` that positions lrange..rrange hold their final values. */
export function pqsort<T>(arr: T[], cmp: (x: T, y: T) => number, lrange: number, rrange: number): void {
  pqsortRange(arr, 0, arr.length, cmp, lrange, rrange);
}
