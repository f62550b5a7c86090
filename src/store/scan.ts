// Cursor-based iteration over JS Maps with Redis's SCAN guarantee (Redis: dict.c dictScan, db.c scanGenericCommand).
//
// API (for SCAN, and HSCAN/SSCAN/ZSCAN over collections held in a Map):
//
//   parseScanCursor(c, arg): string | null
//       Parses a cursor argument the way parseScanCursorOrReply does (strtoul, base 10, no leading space, whole text);
//       replies "ERR invalid cursor" and returns null when invalid. Returns the canonical cursor text ("0" to start).
//
//   parseScanOptions(c, argv, first, allowType): ScanOptions | null
//       Parses COUNT / MATCH (/ TYPE when allowType) starting at argv[first]; replies Redis's error and returns null.
//
//   scanMap(map, cursor, count, visit): string
//       Visits up to `count` entries of `map` continuing from `cursor` (the text returned by the previous call, "0"
//       to start) and returns the next cursor ("0" when the iteration is complete).
//
//   replyScan(c, cursor, items): writes the [cursor, [items…]] reply.
//
// How the guarantee is kept: a JS Map iterates in insertion order and a live Map iterator survives any number of
// inserts and deletes (it never skips or repeats an entry that stays in the map). Each issued cursor names a live
// iterator, kept in a per-map cache (a WeakMap keyed by the Map, so a flushed/replaced map drops its cursors). A cursor
// is single-use: continuing from it issues a new one, so replaying an old cursor cannot skip entries. A cursor that is
// not (or no longer) in the cache restarts the iteration from the beginning: elements may then be returned more than
// once, which SCAN allows, but every element present for the whole iteration is still returned. The cache holds up to
// MAX_CURSORS_PER_MAP iterators per map (oldest dropped first). An iteration visits at most as many entries as the
// map held when it started (survivors of those come first in insertion order), so it terminates even while the map
// churns faster than the client scans.
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { eqi, string2ll } from '../util/parse.js';

export const MAX_CURSORS_PER_MAP = 4096;

interface Resume {
  it: Iterator<[unknown, unknown]>;
  /** an entry read ahead (to know whether the iteration was over), visited first on resume if still present */
  peek: unknown;
  hasPeek: boolean;
  /** how many more entries this iteration may visit (the map's size when it started, minus visits) */
  remaining: number;
}

interface CursorCache {
  iters: Map<string, Resume>;
}

const caches = new WeakMap<Map<unknown, unknown>, CursorCache>();
/** Cursor ids: positive, below 2^53, never 0; distinct across maps so a cursor of one map is unknown to another. */
let nextCursor = 1 + Math.floor(Math.random() * 1e9);

function newCursorId(): string {
  nextCursor += 1 + Math.floor(Math.random() * 1024);
  if (nextCursor > 2 ** 52) nextCursor = 1 + Math.floor(Math.random() * 1e9);
  return String(nextCursor);
}

/**
 * Visits up to `count` entries after `cursor` and returns the next cursor ("0" when done).
 * `visit` may delete the visited key from the map (lazy expiry does).
 */
export function scanMap<K, V>(map: Map<K, V>, cursor: string, count: number, visit: (k: K, v: V) => void): string {
  let cache = caches.get(map as Map<unknown, unknown>);
  let res: Resume | undefined;
  if (cursor !== '0' && cache) {
    res = cache.iters.get(cursor);
    if (res) cache.iters.delete(cursor);
  }
  let n = 0;
  let it: Iterator<[K, V]>;
  let remaining: number;
  if (res) {
    it = res.it as Iterator<[K, V]>;
    remaining = res.remaining;
    if (res.hasPeek && map.has(res.peek as K)) {
      n++;
      remaining--;
      visit(res.peek as K, map.get(res.peek as K) as V);
    }
  } else {
    it = map.entries();
    remaining = map.size;
  }
  while (n < count && remaining > 0) {
    const r = it.next();
    if (r.done) return '0';
    n++;
    remaining--;
    visit(r.value[0], r.value[1]);
  }
  // Entries inserted after the iteration began come after every entry present at its start, so once as many
  // entries as the map held then were visited, all of those were: the iteration ends even if the map keeps churning.
  if (remaining <= 0) return '0';
  // Read one entry ahead: if there is none the iteration is complete now (cursor 0, as Redis for a small dict).
  const ahead = it.next();
  if (ahead.done) return '0';
  if (!cache) {
    cache = { iters: new Map() };
    caches.set(map as Map<unknown, unknown>, cache);
  }
  const id = newCursorId();
  cache.iters.set(id, { it: it as Iterator<[unknown, unknown]>, peek: ahead.value[0], hasPeek: true, remaining });
  if (cache.iters.size > MAX_CURSORS_PER_MAP) {
    const oldest = cache.iters.keys().next().value as string;
    cache.iters.delete(oldest);
  }
  return id;
}

/** Drops every cached cursor of `map` (e.g. when its owner converts or frees it; optional). */
export function forgetCursors(map: Map<unknown, unknown>): void {
  caches.delete(map);
}

/** parseScanCursorOrReply: strtoul(base 10) over the whole text; "ERR invalid cursor" otherwise. */
export function parseScanCursor(c: Client, arg: Buffer): string | null {
  const n = arg.length;
  let ok = n > 0;
  let i = 0;
  if (ok) {
    const c0 = arg[0];
    if (c0 === 32 || (c0 >= 9 && c0 <= 13)) ok = false;
  }
  let neg = false;
  if (ok && (arg[0] === 43 || arg[0] === 45)) {
    neg = arg[0] === 45;
    i = 1;
  }
  // strtoul of "" or "-" parses nothing and leaves eptr at the start: accepted only for the empty string.
  if (ok && i === n && n > 0) ok = false;
  let v = 0n;
  if (ok) {
    for (let j = i; j < n; j++) {
      const d = arg[j] - 48;
      if (d < 0 || d > 9) {
        ok = false;
        break;
      }
      v = v * 10n + BigInt(d);
      if (v > 0xffffffffffffffffn) {
        ok = false;
        break;
      }
    }
  }
  if (n === 0) return '0';
  if (!ok) {
    c.reply.error(E.SCAN_INVALID_CURSOR);
    return null;
  }
  if (neg) v = (0x10000000000000000n - v) & 0xffffffffffffffffn;
  return v.toString();
}

export interface ScanOptions {
  count: number;
  /** null when there is no pattern or it is exactly "*" */
  match: Buffer | null;
  /** TYPE filter text (SCAN only), or null */
  type: Buffer | null;
}

/** Option parsing of scanGenericCommand (COUNT, MATCH, and TYPE for SCAN). */
export function parseScanOptions(c: Client, argv: Buffer[], first: number, allowType: boolean): ScanOptions | null {
  const o: ScanOptions = { count: 10, match: null, type: null };
  let i = first;
  while (i < argv.length) {
    const j = argv.length - i;
    const a = argv[i];
    if (eqi(a, 'count') && j >= 2) {
      const v = string2ll(argv[i + 1]);
      if (v === null) {
        c.reply.error(E.NOT_INTEGER);
        return null;
      }
      if (v < 1) {
        c.reply.error(E.SYNTAX);
        return null;
      }
      o.count = v;
      i += 2;
    } else if (eqi(a, 'match') && j >= 2) {
      const p = argv[i + 1];
      o.match = p.length === 1 && p[0] === 42 ? null : p;
      i += 2;
    } else if (allowType && eqi(a, 'type') && j >= 2) {
      o.type = argv[i + 1];
      i += 2;
    } else {
      c.reply.error(E.SYNTAX);
      return null;
    }
  }
  return o;
}

/** Writes [cursor, [items]] (addReplyBulkLongLong of the cursor, then an array of bulks). */
export function replyScan(c: Client, cursor: string, items: (Buffer | string)[]): void {
  c.reply.arrayLen(2);
  c.reply.bulkStr(cursor);
  c.reply.arrayLen(items.length);
  for (const it of items) {
    if (typeof it === 'string') c.reply.bulkStr(it);
    else c.reply.bulk(it);
  }
}
