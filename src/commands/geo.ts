// Geo commands over sorted sets with 52-bit geohash scores (Redis: geo.c).
import { rewriteArgv } from '../replication/propagate.js';
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { keyStr, RObj } from '../store/db.js';
import type { ZSet } from '../store/zset.js';
import { NOTIFY } from '../server/notify.js';
import { eqi, parseDouble } from '../util/parse.js';
import { getLongLongOrReply } from './args.js';
import { zaddCommand, ENC_SKIPLIST, zsetConvertToListpackIfNeeded } from './zsets.js';
import { ZSet as ZSetClass } from '../store/zset.js';
import {
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
  GEO_STEP_MAX,
  CIRCULAR,
  RECTANGLE,
  encodeWGS84,
  align52,
  decodeScore,
  areasByShape,
  withinShape,
  distance,
  geohashString,
  cFixed,
  humanDouble,
  fixed4,
  pqsort,
  scoreToLL,
  type GeoShape,
  type HashBits,
} from '../util/geohash.js';

/** extractLongLatOrReply */
function extractLongLat(c: Client, argv: Buffer[], i: number): [number, number] | null {
  const lon = parseDouble(argv[i]);
  if (lon === null) {
    c.reply.error(E.NOT_FLOAT);
    return null;
  }
  const lat = parseDouble(argv[i + 1]);
  if (lat === null) {
    c.reply.error(E.NOT_FLOAT);
    return null;
  }
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    c.reply.error(E.geoInvalidPair(cFixed(lon, 6), cFixed(lat, 6)));
    return null;
  }
  return [lon, lat];
}

function extractUnit(c: Client, u: Buffer): number {
  if (eqi(u, 'm')) return 1;
  if (eqi(u, 'km')) return 1000;
  if (eqi(u, 'ft')) return 0.3048;
  if (eqi(u, 'mi')) return 1609.34;
  c.reply.error(E.GEO_UNIT);
  return -1;
}

function extractDistance(c: Client, argv: Buffer[], i: number, shape: GeoShape): boolean {
  const d = parseDouble(argv[i]);
  if (d === null) {
    c.reply.error(E.GEO_RADIUS_NOT_NUMERIC);
    return false;
  }
  if (d < 0) {
    c.reply.error(E.GEO_RADIUS_NEGATIVE);
    return false;
  }
  shape.radius = d;
  const conv = extractUnit(c, argv[i + 1]);
  if (conv < 0) return false;
  shape.conversion = conv;
  return true;
}

function extractBox(c: Client, argv: Buffer[], i: number, shape: GeoShape): boolean {
  const w = parseDouble(argv[i]);
  if (w === null) {
    c.reply.error(E.GEO_WIDTH_NOT_NUMERIC);
    return false;
  }
  const h = parseDouble(argv[i + 1]);
  if (h === null) {
    c.reply.error(E.GEO_HEIGHT_NOT_NUMERIC);
    return false;
  }
  if (h < 0 || w < 0) {
    c.reply.error(E.GEO_BOX_NEGATIVE);
    return false;
  }
  shape.width = w;
  shape.height = h;
  const conv = extractUnit(c, argv[i + 2]);
  if (conv < 0) return false;
  shape.conversion = conv;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------

export function geoaddCommand(c: Client, argv: Buffer[]): void {
  let xx = false;
  let nx = false;
  let longidx = 2;
  while (longidx < argv.length) {
    const opt = argv[longidx];
    if (eqi(opt, 'nx')) nx = true;
    else if (eqi(opt, 'xx')) xx = true;
    else if (eqi(opt, 'ch')) {
      /* handled by ZADD */
    } else break;
    longidx++;
  }
  if ((argv.length - longidx) % 3 || (xx && nx)) return c.reply.error(E.SYNTAX);
  const elements = (argv.length - longidx) / 3;
  const zargv: Buffer[] = new Array(longidx + elements * 2);
  zargv[0] = ZADD;
  for (let i = 1; i < longidx; i++) zargv[i] = argv[i];
  for (let i = 0; i < elements; i++) {
    const xy = extractLongLat(c, argv, longidx + i * 3);
    if (xy === null) return;
    const hash = encodeWGS84(xy[0], xy[1], GEO_STEP_MAX)!;
    const bits = align52(hash);
    zargv[longidx + i * 2] = Buffer.from(String(bits));
    zargv[longidx + 1 + i * 2] = argv[longidx + i * 3 + 2];
  }
  // replaceClientCommandVector: propagated as the ZADD it runs
  rewriteArgv(c, zargv);
  zaddCommand(c, zargv);
}

const ZADD = Buffer.from('zadd');

function lookupZsetRead(c: Client, key: Buffer): RObj | undefined | null {
  const o = c.db.lookupRead(keyStr(key));
  if (o !== undefined && o.type !== 'zset') {
    c.reply.error(E.WRONGTYPE);
    return null;
  }
  return o;
}

export function geoposCommand(c: Client, argv: Buffer[]): void {
  const o = lookupZsetRead(c, argv[1]);
  if (o === null) return;
  const r = c.reply;
  r.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = o === undefined ? undefined : (o.value as ZSet).dict.get(keyStr(argv[j]));
    if (score === undefined) {
      r.nullArray();
      continue;
    }
    const [lon, lat] = decodeScore(score);
    r.arrayLen(2);
    r.doubleText(humanDouble(lon));
    r.doubleText(humanDouble(lat));
  }
}

export function geohashCommand(c: Client, argv: Buffer[]): void {
  const o = lookupZsetRead(c, argv[1]);
  if (o === null) return;
  const r = c.reply;
  r.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = o === undefined ? undefined : (o.value as ZSet).dict.get(keyStr(argv[j]));
    if (score === undefined) {
      r.null();
      continue;
    }
    r.bulkStr(geohashString(score));
  }
}

export function geodistCommand(c: Client, argv: Buffer[]): void {
  let toMeter = 1;
  if (argv.length === 5) {
    toMeter = extractUnit(c, argv[4]);
    if (toMeter < 0) return;
  } else if (argv.length > 5) return c.reply.error(E.SYNTAX);
  const o = lookupZsetRead(c, argv[1]);
  if (o === null) return;
  if (o === undefined) return c.reply.null();
  const z = o.value as ZSet;
  const s1 = z.dict.get(keyStr(argv[2]));
  const s2 = z.dict.get(keyStr(argv[3]));
  if (s1 === undefined || s2 === undefined) return c.reply.null();
  const a = decodeScore(s1);
  const b = decodeScore(s2);
  c.reply.bulkStr(fixed4(distance(a[0], a[1], b[0], b[1]) / toMeter));
}

// ---------------------------------------------------------------------------------------------------------------
// GEORADIUS / GEOSEARCH

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

interface GeoPoint {
  lon: number;
  lat: number;
  dist: number;
  score: number;
  member: string;
}

const sortAsc = (a: GeoPoint, b: GeoPoint) => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1);
const sortDesc = (a: GeoPoint, b: GeoPoint) => -sortAsc(a, b);

/** geoGetPointsInRange: members with min <= score < max inside the shape. */
function pointsInRange(z: ZSet, min: number, max: number, shape: GeoShape, out: GeoPoint[], limit: number): void {
  let ln = z.firstInRange({ min, max, minex: false, maxex: true });
  while (ln !== 0) {
    const score = z.scoreOf(ln);
    if (!(score < max)) break;
    const [lon, lat] = decodeScore(score);
    const d = withinShape(shape, lon, lat);
    if (d >= 0) out.push({ lon, lat, dist: d, score, member: z.eleOf(ln) });
    if (out.length && limit && out.length >= limit) break;
    ln = z.nextOf(ln);
  }
}

function isZeroHash(h: HashBits): boolean {
  return h.bits === 0 && h.step === 0;
}

/** membersOfAllNeighbors */
function membersOfAllNeighbors(z: ZSet, shape: GeoShape, out: GeoPoint[], limit: number): void {
  const r = areasByShape(shape);
  const n = r.neighbors;
  const boxes = [r.hash, n.north, n.south, n.east, n.west, n.north_east, n.north_west, n.south_east, n.south_west];
  let lastProcessed = 0;
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    if (isZeroHash(b)) continue;
    if (lastProcessed && b.bits === boxes[lastProcessed].bits && b.step === boxes[lastProcessed].step) continue;
    if (out.length && limit && out.length >= limit) break;
    const min = align52(b);
    const max = align52({ bits: b.bits + 1, step: b.step });
    pointsInRange(z, min, max, shape, out, limit);
    lastProcessed = i;
  }
}

function georadiusGeneric(c: Client, argv: Buffer[], srcKeyIndex: number, flags: number): void {
  let storekey: string | null = null;
  let storedist = false;
  const zobj = lookupZsetRead(c, argv[srcKeyIndex]);
  if (zobj === null) return;
  const shape: GeoShape = { type: CIRCULAR, xy: [0, 0], conversion: 0, radius: 0, width: 0, height: 0, bounds: [0, 0, 0, 0] };
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    shape.type = CIRCULAR;
    const xy = extractLongLat(c, argv, 2);
    if (xy === null) return;
    shape.xy = xy;
    if (!extractDistance(c, argv, baseArgs - 2, shape)) return;
  } else if (flags & RADIUS_MEMBER && zobj === undefined) {
    baseArgs = 5;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    shape.type = CIRCULAR;
    const score = (zobj!.value as ZSet).dict.get(keyStr(argv[2]));
    if (score === undefined) return c.reply.error(E.GEO_DECODE_MEMBER);
    shape.xy = decodeScore(score);
    if (!extractDistance(c, argv, baseArgs - 2, shape)) return;
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storekey = keyStr(argv[1]);
    }
  }
  let withdist = false;
  let withhash = false;
  let withcoords = false;
  let frommember = false;
  let fromloc = false;
  let byradius = false;
  let bybox = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0;
  if (argv.length > baseArgs) {
    const remaining = argv.length - baseArgs;
    for (let i = 0; i < remaining; i++) {
      const arg = argv[baseArgs + i];
      if (eqi(arg, 'withdist')) withdist = true;
      else if (eqi(arg, 'withhash')) withhash = true;
      else if (eqi(arg, 'withcoord')) withcoords = true;
      else if (eqi(arg, 'any')) any = true;
      else if (eqi(arg, 'asc')) sort = SORT_ASC;
      else if (eqi(arg, 'desc')) sort = SORT_DESC;
      else if (eqi(arg, 'count') && i + 1 < remaining) {
        const n = getLongLongOrReply(c, argv[baseArgs + i + 1]);
        if (n === null) return;
        if (n <= 0) return c.reply.error(E.COUNT_MUST_BE_POSITIVE);
        count = n;
        i++;
      } else if (eqi(arg, 'store') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
        storekey = keyStr(argv[baseArgs + i + 1]);
        storedist = false;
        i++;
      } else if (eqi(arg, 'storedist') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
        storekey = keyStr(argv[baseArgs + i + 1]);
        storedist = true;
        i++;
      } else if (eqi(arg, 'storedist') && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
        storedist = true;
      } else if (eqi(arg, 'frommember') && i + 1 < remaining && flags & GEOSEARCH && !fromloc) {
        if (zobj === undefined) {
          frommember = true;
          i++;
          continue;
        }
        const score = (zobj.value as ZSet).dict.get(keyStr(argv[baseArgs + i + 1]));
        if (score === undefined) return c.reply.error(E.GEO_DECODE_MEMBER);
        shape.xy = decodeScore(score);
        frommember = true;
        i++;
      } else if (eqi(arg, 'fromlonlat') && i + 2 < remaining && flags & GEOSEARCH && !frommember) {
        const xy = extractLongLat(c, argv, baseArgs + i + 1);
        if (xy === null) return;
        shape.xy = xy;
        fromloc = true;
        i += 2;
      } else if (eqi(arg, 'byradius') && i + 2 < remaining && flags & GEOSEARCH && !bybox) {
        if (!extractDistance(c, argv, baseArgs + i + 1, shape)) return;
        shape.type = CIRCULAR;
        byradius = true;
        i += 2;
      } else if (eqi(arg, 'bybox') && i + 3 < remaining && flags & GEOSEARCH && !byradius) {
        if (!extractBox(c, argv, baseArgs + i + 1, shape)) return;
        shape.type = RECTANGLE;
        bybox = true;
        i += 3;
      } else return c.reply.error(E.SYNTAX);
    }
  }
  if (storekey !== null && (withdist || withhash || withcoords)) {
    return c.reply.error(E.geoStoreWithOptions(flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'));
  }
  const cmdName = argv[0].latin1Slice(0, argv[0].length);
  if (flags & GEOSEARCH && !(frommember || fromloc)) {
    return c.reply.error(E.geoFromOnce(cmdName));
  }
  if (flags & GEOSEARCH && !(byradius || bybox)) {
    return c.reply.error(E.geoByOnce(cmdName));
  }
  if (any && !count) return c.reply.error(E.GEO_ANY_WITHOUT_COUNT);
  const s = c.server;
  if (zobj === undefined) {
    if (storekey !== null) {
      if (c.db.delete(storekey)) {
        s.keyModified(c.db, storekey);
        s.notify(c.db, 'del', storekey, NOTIFY.GENERIC);
        s.dirty++;
      }
      c.reply.int(0);
    } else c.reply.emptyArray();
    return;
  }
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;
  const ga: GeoPoint[] = [];
  membersOfAllNeighbors(zobj.value as ZSet, shape, ga, any ? count : 0);
  if (ga.length === 0 && storekey === null) return c.reply.emptyArray();
  const resultLength = ga.length;
  const returned = count === 0 || resultLength < count ? resultLength : count;
  if (sort !== SORT_NONE) {
    const cmp = sort === SORT_ASC ? sortAsc : sortDesc;
    // qsort (glibc: a stable merge sort) for a full sort, pqsort (not stable) for a partial one.
    if (returned === resultLength) ga.sort(cmp);
    else pqsort(ga, cmp, 0, returned - 1);
  }
  if (storekey === null) {
    let optlen = 0;
    if (withdist) optlen++;
    if (withcoords) optlen++;
    if (withhash) optlen++;
    const r = c.reply;
    r.arrayLen(returned);
    for (let i = 0; i < returned; i++) {
      const gp = ga[i];
      const dist = gp.dist / shape.conversion;
      if (optlen) r.arrayLen(optlen + 1);
      r.bulkStr(gp.member);
      if (withdist) r.bulkStr(fixed4(dist));
      if (withhash) r.int(scoreToLL(gp.score));
      if (withcoords) {
        r.arrayLen(2);
        r.doubleText(humanDouble(gp.lon));
        r.doubleText(humanDouble(gp.lat));
      }
    }
  } else {
    if (returned) {
      const z = new ZSetClass();
      let maxelelen = 0;
      for (let i = 0; i < returned; i++) {
        const gp = ga[i];
        const score = storedist ? gp.dist / shape.conversion : gp.score;
        if (gp.member.length > maxelelen) maxelelen = gp.member.length;
        z.insert(score, gp.member);
      }
      const o = new RObj('zset', z, ENC_SKIPLIST);
      zsetConvertToListpackIfNeeded(s, o, maxelelen);
      c.db.setKey(storekey, o);
      s.notify(c.db, flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore', storekey, NOTIFY.ZSET);
      s.dirty += returned;
    } else if (c.db.delete(storekey)) {
      s.keyModified(c.db, storekey);
      s.notify(c.db, 'del', storekey, NOTIFY.GENERIC);
      s.dirty++;
    }
    c.reply.int(returned);
  }
}

export const georadiusCommand: Handler = (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_COORDS);
export const georadiusbymemberCommand: Handler = (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_MEMBER);
export const georadiusRoCommand: Handler = (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE);
export const georadiusbymemberRoCommand: Handler = (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
export const geosearchCommand: Handler = (c, argv) => georadiusGeneric(c, argv, 1, GEOSEARCH);
export const geosearchstoreCommand: Handler = (c, argv) => georadiusGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE);

export const handlers: Record<string, Handler> = {
  geoadd: geoaddCommand,
  geopos: geoposCommand,
  geohash: geohashCommand,
  geodist: geodistCommand,
  georadius: georadiusCommand,
  georadiusbymember: georadiusbymemberCommand,
  georadius_ro: georadiusRoCommand,
  georadiusbymember_ro: georadiusbymemberRoCommand,
  geosearch: geosearchCommand,
  geosearchstore: geosearchstoreCommand,
};
