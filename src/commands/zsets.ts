// Sorted set commands (Redis: t_zset.c). Values are ZSet (src/store/zset.ts); RObj.enc is 'listpack' or 'skiplist',
// switching at zset-max-listpack-entries / zset-max-listpack-value exactly where Redis converts.
// ZUNION/ZINTER/ZDIFF and their STORE forms: zset-setops.ts.
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { CF } from '../server/client.js';
import { E } from '../errors.js';
import { keyStr, keyBuf, type Db, RObj } from '../store/db.js';
import { ZSet, fmtScore, LEX_MIN, LEX_MAX, valueGteMin, valueLteMax, lexGteMin, lexLteMax, type ScoreRange, type LexRange, type LexBound, type ZNode } from '../store/zset.js';
import { NOTIFY } from '../server/notify.js';
import { eqi, strtod, stringMatch } from '../util/parse.js';
import { getBigIntOrReply, getLongLongOrReply, getDoubleOrReply, getPositiveLongOrReply, getRangeLongOrReply, LONG_MAX } from './args.js';
import { registerCopier } from '../store/copy.js';
import { parseTimeout, mayBlock } from '../server/blocking.js';
import { rewriteArgv, alsoPropagate } from '../replication/propagate.js';
import { parseScanCursor, parseScanOptions, scanMap } from '../store/scan.js';
import type { Server } from '../server/server.js';
import { handlers as setopHandlers } from './zset-setops.js';

// ---------------------------------------------------------------------------------------------------------------
// Object level helpers (shared with geo.ts and sort.ts)

export const ENC_LISTPACK = 'listpack';
export const ENC_SKIPLIST = 'skiplist';

registerCopier('zset', o => new RObj('zset', (o.value as ZSet).clone(), o.enc));

export function maxListpackEntries(s: Server): number {
  return s.config.num('zset-max-listpack-entries');
}
export function maxListpackValue(s: Server): number {
  return s.config.num('zset-max-listpack-value');
}

/** createZsetObject / createZsetListpackObject */
export function createZsetObject(listpack: boolean): RObj {
  return new RObj('zset', new ZSet(), listpack ? ENC_LISTPACK : ENC_SKIPLIST);
}

/** zsetConvertToListpackIfNeeded */
export function zsetConvertToListpackIfNeeded(s: Server, o: RObj, maxelelen: number): void {
  if (o.enc === ENC_LISTPACK) return;
  const z = o.value as ZSet;
  if (z.length <= maxListpackEntries(s) && maxelelen <= maxListpackValue(s)) {
    o.enc = ENC_LISTPACK;
    for (let n = z.first(); n !== 0; n = z.nextOf(n)) {
      if (z.scoreOf(n) === 0) {
        z.setScoreInPlace(n, 0);
        z.dict.set(z.eleOf(n), 0);
      }
    }
  }
}

export const ZADD_IN_INCR = 1;
export const ZADD_IN_NX = 2;
export const ZADD_IN_XX = 4;
export const ZADD_IN_GT = 8;
export const ZADD_IN_LT = 16;
export const ZADD_OUT_NAN = 1;
export const ZADD_OUT_ADDED = 2;
export const ZADD_OUT_UPDATED = 4;
export const ZADD_OUT_NOP = 8;

/** Score after the last zsetAdd (the new score with INCR). */
export let zaddNewScore = 0;

/** zsetAdd: returns the out flags (ZADD_OUT_*). */
export function zsetAdd(s: Server, o: RObj, score: number, ele: string, flags: number): number {
  if (score !== score) return ZADD_OUT_NAN;
  const z = o.value as ZSet;
  const cur = z.dict.get(ele);
  if (cur !== undefined) {
    if (flags & ZADD_IN_NX) return ZADD_OUT_NOP;
    if (flags & ZADD_IN_INCR) {
      score += cur;
      if (score !== score) return ZADD_OUT_NAN;
    }
    if ((flags & ZADD_IN_LT && score >= cur) || (flags & ZADD_IN_GT && score <= cur)) return ZADD_OUT_NOP;
    zaddNewScore = score;
    if (score !== cur) {
      // A listpack stores integral scores as integers, so -0 reads back as 0.
      z.updateScore(ele, o.enc === ENC_LISTPACK && score === 0 ? 0 : score, cur);
      return ZADD_OUT_UPDATED;
    }
    return 0;
  }
  if (flags & ZADD_IN_XX) return ZADD_OUT_NOP;
  if (o.enc === ENC_LISTPACK && (z.length + 1 > maxListpackEntries(s) || ele.length > maxListpackValue(s))) {
    o.enc = ENC_SKIPLIST;
  }
  z.insert(o.enc === ENC_LISTPACK && score === 0 ? 0 : score, ele);
  zaddNewScore = score;
  return ZADD_OUT_ADDED;
}

/** Removes a member and deletes the key when the set becomes empty (no notifications). */
function zsetDel(o: RObj, ele: string): boolean {
  return (o.value as ZSet).delete(ele);
}

function deleteKeyNotify(c: Client, db: Db, key: string): void {
  db.delete(key);
  c.server.notify(db, 'del', key, NOTIFY.GENERIC);
}

// ---------------------------------------------------------------------------------------------------------------
// Range parsing

function isSpaceByte(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}

/** strtod over buf[start..] as zslParseRange uses it: leading spaces skipped, whole text consumed, "" is 0, NaN refused. */
function rangeStrtod(buf: Buffer, start: number): number | null {
  if (start >= buf.length) return 0;
  let p = start;
  while (p < buf.length && isSpaceByte(buf[p])) p++;
  if (p === buf.length) return null;
  const d = strtod(buf.latin1Slice(p, buf.length));
  if (d === null || d !== d) return null;
  return d;
}

/** zslParseRange */
export function parseScoreRange(min: Buffer, max: Buffer): ScoreRange | null {
  let minex = false;
  let maxex = false;
  let lo: number | null;
  let hi: number | null;
  if (min[0] === 40 /* ( */) {
    minex = true;
    lo = rangeStrtod(min, 1);
  } else lo = rangeStrtod(min, 0);
  if (lo === null) return null;
  if (max[0] === 40) {
    maxex = true;
    hi = rangeStrtod(max, 1);
  } else hi = rangeStrtod(max, 0);
  if (hi === null) return null;
  return { min: lo, max: hi, minex, maxex };
}

function parseLexItem(b: Buffer): { v: LexBound; ex: boolean } | null {
  if (b.length === 0) return null;
  switch (b[0]) {
    case 43: /* + */
      if (b.length > 1 && b[1] !== 0) return null;
      return { v: LEX_MAX, ex: true };
    case 45: /* - */
      if (b.length > 1 && b[1] !== 0) return null;
      return { v: LEX_MIN, ex: true };
    case 40: /* ( */
      return { v: b.latin1Slice(1, b.length), ex: true };
    case 91: /* [ */
      return { v: b.latin1Slice(1, b.length), ex: false };
    default:
      return null;
  }
}

/** zslParseLexRange */
export function parseLexRange(min: Buffer, max: Buffer): LexRange | null {
  const a = parseLexItem(min);
  if (a === null) return null;
  const b = parseLexItem(max);
  if (b === null) return null;
  return { min: a.v, minex: a.ex, max: b.v, maxex: b.ex };
}

// ---------------------------------------------------------------------------------------------------------------
// ZADD / ZINCRBY / ZREM

/** getDoubleFromObjectOrReply with a fast path for plain integers (same value strtod gives). */
function parseScore(c: Client, arg: Buffer): number | null {
  // Up to 15 decimal digits, optionally signed (leading zeros included, as strtod reads them): exact as a double.
  const len = arg.length;
  if (len > 0 && len <= 15) {
    let i = arg[0] === 45 || arg[0] === 43 ? 1 : 0;
    if (i < len) {
      let v = 0;
      for (; i < len; i++) {
        const d = arg[i] - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (i === len) return arg[0] === 45 ? -v : v;
    }
  }
  return getDoubleOrReply(c, arg);
}

function zaddGeneric(c: Client, argv: Buffer[], inflags: number): void {
  let flags = inflags;
  let ch = false;
  let scoreidx = 2;
  while (scoreidx < argv.length) {
    const opt = argv[scoreidx];
    if (eqi(opt, 'nx')) flags |= ZADD_IN_NX;
    else if (eqi(opt, 'xx')) flags |= ZADD_IN_XX;
    else if (eqi(opt, 'ch')) ch = true;
    else if (eqi(opt, 'incr')) flags |= ZADD_IN_INCR;
    else if (eqi(opt, 'gt')) flags |= ZADD_IN_GT;
    else if (eqi(opt, 'lt')) flags |= ZADD_IN_LT;
    else break;
    scoreidx++;
  }
  const incr = (flags & ZADD_IN_INCR) !== 0;
  const nx = (flags & ZADD_IN_NX) !== 0;
  const xx = (flags & ZADD_IN_XX) !== 0;
  const gt = (flags & ZADD_IN_GT) !== 0;
  const lt = (flags & ZADD_IN_LT) !== 0;
  let elements = argv.length - scoreidx;
  if (elements % 2 || !elements) return c.reply.error(E.SYNTAX);
  elements /= 2;
  if (nx && xx) return c.reply.error(E.ZADD_XX_NX);
  if ((gt && nx) || (lt && nx) || (gt && lt)) return c.reply.error(E.ZADD_GT_LT_NX);
  if (incr && elements > 1) return c.reply.error(E.ZADD_INCR_PAIR);

  let score0 = 0;
  let scores: number[] | null = null;
  if (elements === 1) {
    const d = parseScore(c, argv[scoreidx]);
    if (d === null) return;
    score0 = d;
  } else {
    scores = new Array(elements);
    for (let j = 0; j < elements; j++) {
      const d = parseScore(c, argv[scoreidx + j * 2]);
      if (d === null) return;
      scores[j] = d;
    }
  }
  const s = c.server;
  const db = c.db;
  const key = keyStr(argv[1]);
  let o = db.lookupWrite(key);
  if (o !== undefined && o.type !== 'zset') return c.reply.error(E.WRONGTYPE);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (o === undefined) {
    if (xx) {
      if (incr) c.reply.null();
      else c.reply.int(0);
      return;
    }
    const lp = !(maxListpackEntries(s) === 0 || maxListpackValue(s) < argv[scoreidx + 1].length);
    o = createZsetObject(lp);
    db.add(key, o);
  }
  let err = false;
  for (let j = 0; j < elements; j++) {
    score = scores === null ? score0 : scores[j];
    const ele = keyStr(argv[scoreidx + 1 + j * 2]);
    const r = zsetAdd(s, o, score, ele, flags);
    if (r & ZADD_OUT_NAN) {
      err = true;
      break;
    }
    if (r & ZADD_OUT_ADDED) added++;
    if (r & ZADD_OUT_UPDATED) updated++;
    if (!(r & ZADD_OUT_NOP)) processed++;
    score = zaddNewScore;
  }
  if (err) c.reply.error(E.ZSET_NAN);
  else {
    s.dirty += added + updated;
    if (incr) {
      if (processed) c.reply.doubleText(fmtScore(score));
      else c.reply.null();
    } else c.reply.int(ch ? added + updated : added);
  }
  if (added || updated) {
    s.keyModified(db, key);
    s.notify(db, incr ? 'zincr' : 'zadd', key, NOTIFY.ZSET);
  }
}

export function zaddCommand(c: Client, argv: Buffer[]): void {
  zaddGeneric(c, argv, 0);
}

export function zincrbyCommand(c: Client, argv: Buffer[]): void {
  zaddGeneric(c, argv, ZADD_IN_INCR);
}

/** lookup helper: returns the zset object, undefined when missing, or null after replying WRONGTYPE. */
function lookupZ(c: Client, key: string, write: boolean): RObj | undefined | null {
  const o = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (o === undefined) return undefined;
  if (o.type !== 'zset') {
    c.reply.error(E.WRONGTYPE);
    return null;
  }
  return o;
}

export function zremCommand(c: Client, argv: Buffer[]): void {
  const key = keyStr(argv[1]);
  const o = lookupZ(c, key, true);
  if (o === null) return;
  if (o === undefined) return c.reply.int(0);
  const z = o.value as ZSet;
  let deleted = 0;
  let keyremoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (zsetDel(o, keyStr(argv[j]))) deleted++;
    if (z.length === 0) {
      c.db.delete(key);
      keyremoved = true;
      break;
    }
  }
  if (deleted) {
    const s = c.server;
    s.notify(c.db, 'zrem', key, NOTIFY.ZSET);
    if (keyremoved) s.notify(c.db, 'del', key, NOTIFY.GENERIC);
    s.keyModified(c.db, key);
    s.dirty += deleted;
  }
  c.reply.int(deleted);
}

// ---------------------------------------------------------------------------------------------------------------
// ZREMRANGEBY*

const RANK = 1;
const SCORE = 2;
const LEX = 3;

function zremrangeGeneric(c: Client, argv: Buffer[], type: number): void {
  const key = keyStr(argv[1]);
  let start = 0;
  let end = 0;
  let range: ScoreRange | null = null;
  let lex: LexRange | null = null;
  let event: string;
  if (type === RANK) {
    event = 'zremrangebyrank';
    const a = getLongLongOrReply(c, argv[2]);
    if (a === null) return;
    const b = getLongLongOrReply(c, argv[3]);
    if (b === null) return;
    start = a;
    end = b;
  } else if (type === SCORE) {
    event = 'zremrangebyscore';
    range = parseScoreRange(argv[2], argv[3]);
    if (range === null) return c.reply.error(E.ZMINMAX_NOT_FLOAT);
  } else {
    event = 'zremrangebylex';
    lex = parseLexRange(argv[2], argv[3]);
    if (lex === null) return c.reply.error(E.ZMINMAX_NOT_LEX);
  }
  const o = lookupZ(c, key, true);
  if (o === null) return;
  if (o === undefined) return c.reply.int(0);
  const z = o.value as ZSet;
  if (type === RANK) {
    const llen = z.length;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return c.reply.int(0);
    if (end >= llen) end = llen - 1;
  }
  let deleted: number;
  if (type === RANK) deleted = z.deleteRangeByRank(start + 1, end + 1);
  else if (type === SCORE) deleted = z.deleteRangeByScore(range!);
  else deleted = z.deleteRangeByLex(lex!);
  let keyremoved = false;
  if (z.length === 0) {
    c.db.delete(key);
    keyremoved = true;
  }
  const s = c.server;
  if (deleted) {
    s.keyModified(c.db, key);
    s.notify(c.db, event, key, NOTIFY.ZSET);
    if (keyremoved) s.notify(c.db, 'del', key, NOTIFY.GENERIC);
  }
  s.dirty += deleted;
  c.reply.int(deleted);
}

export const zremrangebyrankCommand: Handler = (c, argv) => zremrangeGeneric(c, argv, RANK);
export const zremrangebyscoreCommand: Handler = (c, argv) => zremrangeGeneric(c, argv, SCORE);
export const zremrangebylexCommand: Handler = (c, argv) => zremrangeGeneric(c, argv, LEX);

// ---------------------------------------------------------------------------------------------------------------
// ZRANGE family

/** Where range results go: the client, or a destination zset (ZRANGESTORE). */
interface RangeSink {
  withscores: boolean;
  begin(len: number): void;
  emit(ele: string, score: number): void;
  end(count: number): void;
}

function clientSink(c: Client, withscores: boolean): RangeSink {
  const r = c.reply;
  const nested = withscores && c.resp > 2;
  let deferred = -1;
  return {
    withscores,
    begin(len) {
      if (len > 0) {
        r.arrayLen(withscores && c.resp === 2 ? len * 2 : len);
        deferred = -1;
      } else deferred = r.deferLen();
    },
    emit(ele, score) {
      if (nested) r.arrayLen(2);
      r.bulkStr(ele);
      if (withscores) r.doubleText(fmtScore(score));
    },
    end(count) {
      if (deferred < 0) return;
      r.setDeferredArrayLen(deferred, withscores && c.resp === 2 ? count * 2 : count);
    },
  };
}

function storeSink(c: Client, dstkey: string, event: string): RangeSink {
  const s = c.server;
  let dst: RObj;
  return {
    withscores: true,
    begin(len) {
      dst = createZsetObject(!(len > maxListpackEntries(s)));
    },
    emit(ele, score) {
      zsetAdd(s, dst, score, ele, 0);
    },
    end(count) {
      storeZsetResult(c, dstkey, dst, count, event);
    },
  };
}

/**
 * The *STORE commands' ending: a non-empty result replaces the destination (replying its size, notifying `event`),
 * an empty one deletes it (replying 0).
 */
export function storeZsetResult(c: Client, dstkey: string, dst: RObj, count: number, event: string): void {
  const s = c.server;
  if (count) {
    c.db.setKey(dstkey, dst);
    c.reply.int(count);
    s.notify(c.db, event, dstkey, NOTIFY.ZSET);
    s.dirty++;
  } else {
    c.reply.int(0);
    if (c.db.delete(dstkey)) {
      s.keyModified(c.db, dstkey);
      s.notify(c.db, 'del', dstkey, NOTIFY.GENERIC);
      s.dirty++;
    }
  }
}

function rangeByRank(sink: RangeSink, z: ZSet, start: number, end: number, reverse: boolean): void {
  const llen = z.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    sink.begin(0);
    sink.end(0);
    return;
  }
  if (end >= llen) end = llen - 1;
  let rangelen = end - start + 1;
  const total = rangelen;
  sink.begin(rangelen);
  let ln: ZNode;
  if (reverse) ln = start > 0 ? z.byRank(llen - start) : z.tail;
  else ln = start > 0 ? z.byRank(start + 1) : z.first();
  while (rangelen-- > 0 && ln !== 0) {
    sink.emit(z.eleOf(ln), z.scoreOf(ln));
    ln = reverse ? z.prevOf(ln) : z.nextOf(ln);
  }
  sink.end(total);
}

function rangeByScore(sink: RangeSink, z: ZSet, range: ScoreRange, offset: number, limit: number, reverse: boolean): void {
  let rangelen = 0;
  sink.begin(-1);
  if (offset > 0 && offset >= z.length) {
    sink.end(0);
    return;
  }
  let ln = reverse ? z.lastInRange(range) : z.firstInRange(range);
  while (ln !== 0 && offset-- !== 0) ln = reverse ? z.prevOf(ln) : z.nextOf(ln);
  while (ln !== 0 && limit-- !== 0) {
    const score = z.scoreOf(ln);
    if (reverse ? !valueGteMin(score, range) : !valueLteMax(score, range)) break;
    rangelen++;
    sink.emit(z.eleOf(ln), score);
    ln = reverse ? z.prevOf(ln) : z.nextOf(ln);
  }
  sink.end(rangelen);
}

function rangeByLex(sink: RangeSink, z: ZSet, range: LexRange, offset: number, limit: number, reverse: boolean): void {
  let rangelen = 0;
  sink.begin(-1);
  if (offset > 0 && offset >= z.length) {
    sink.end(0);
    return;
  }
  let ln = reverse ? z.lastInLexRange(range) : z.firstInLexRange(range);
  while (ln !== 0 && offset-- !== 0) ln = reverse ? z.prevOf(ln) : z.nextOf(ln);
  while (ln !== 0 && limit-- !== 0) {
    const ele = z.eleOf(ln);
    if (reverse ? !lexGteMin(ele, range) : !lexLteMax(ele, range)) break;
    rangelen++;
    sink.emit(ele, z.scoreOf(ln));
    ln = reverse ? z.prevOf(ln) : z.nextOf(ln);
  }
  sink.end(rangelen);
}

const AUTO = 0;
const FORWARD = 1;
const REVERSE = 2;

function zrangeGeneric(c: Client, argv: Buffer[], argcStart: number, store: string | null, rangetype: number, direction: number): void {
  const key = keyStr(argv[argcStart]);
  let minidx = argcStart + 1;
  let maxidx = argcStart + 2;
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argcStart + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (store === null && eqi(a, 'withscores')) withscores = true;
    else if (eqi(a, 'limit') && left >= 2) {
      const o = getLongLongOrReply(c, argv[j + 1]);
      if (o === null) return;
      const l = getLongLongOrReply(c, argv[j + 2]);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (direction === AUTO && eqi(a, 'rev')) direction = REVERSE;
    else if (rangetype === AUTO && eqi(a, 'bylex')) rangetype = LEX;
    else if (rangetype === AUTO && eqi(a, 'byscore')) rangetype = SCORE;
    else return c.reply.error(E.SYNTAX);
  }
  if (direction === AUTO) direction = FORWARD;
  if (rangetype === AUTO) rangetype = RANK;
  if (limit !== -1 && rangetype === RANK) return c.reply.error(E.ZRANGE_LIMIT_RANK);
  if (withscores && rangetype === LEX) return c.reply.error(E.ZRANGE_WITHSCORES_LEX);
  if (direction === REVERSE && (rangetype === SCORE || rangetype === LEX)) {
    const t = maxidx;
    maxidx = minidx;
    minidx = t;
  }
  let start = 0;
  let end = 0;
  let range: ScoreRange | null = null;
  let lex: LexRange | null = null;
  if (rangetype === RANK) {
    const a = getLongLongOrReply(c, argv[minidx]);
    if (a === null) return;
    const b = getLongLongOrReply(c, argv[maxidx]);
    if (b === null) return;
    start = a;
    end = b;
  } else if (rangetype === SCORE) {
    range = parseScoreRange(argv[minidx], argv[maxidx]);
    if (range === null) return c.reply.error(E.ZMINMAX_NOT_FLOAT);
  } else {
    lex = parseLexRange(argv[minidx], argv[maxidx]);
    if (lex === null) return c.reply.error(E.ZMINMAX_NOT_LEX);
  }
  const o = c.db.lookupRead(key);
  const sink = store !== null ? storeSink(c, store, 'zrangestore') : clientSink(c, withscores);
  if (o === undefined) {
    if (store !== null) {
      sink.begin(-1);
      sink.end(0);
    } else c.reply.emptyArray();
    return;
  }
  if (o.type !== 'zset') return c.reply.error(E.WRONGTYPE);
  const z = o.value as ZSet;
  const rev = direction === REVERSE;
  if (rangetype === RANK) rangeByRank(sink, z, start, end, rev);
  else if (rangetype === SCORE) rangeByScore(sink, z, range!, offset, limit, rev);
  else rangeByLex(sink, z, lex!, offset, limit, rev);
}

export const zrangeCommand: Handler = (c, argv) => zrangeGeneric(c, argv, 1, null, AUTO, AUTO);
export const zrangestoreCommand: Handler = (c, argv) => zrangeGeneric(c, argv, 2, keyStr(argv[1]), AUTO, AUTO);
export const zrevrangeCommand: Handler = (c, argv) => zrangeGeneric(c, argv, 1, null, RANK, REVERSE);
export const zrangebyscoreCommand: Handler = (c, argv) => zrangeGeneric(c, argv, 1, null, SCORE, FORWARD);
export const zrevrangebyscoreCommand: Handler = (c, argv) => zrangeGeneric(c, argv, 1, null, SCORE, REVERSE);
export const zrangebylexCommand: Handler = (c, argv) => zrangeGeneric(c, argv, 1, null, LEX, FORWARD);
export const zrevrangebylexCommand: Handler = (c, argv) => zrangeGeneric(c, argv, 1, null, LEX, REVERSE);

// ---------------------------------------------------------------------------------------------------------------
// Simple reads

export function zcountCommand(c: Client, argv: Buffer[]): void {
  const range = parseScoreRange(argv[2], argv[3]);
  if (range === null) return c.reply.error(E.ZMINMAX_NOT_FLOAT);
  const o = lookupZ(c, keyStr(argv[1]), false);
  if (o === null) return;
  if (o === undefined) return c.reply.int(0);
  c.reply.int((o.value as ZSet).countInRange(range));
}

export function zlexcountCommand(c: Client, argv: Buffer[]): void {
  const range = parseLexRange(argv[2], argv[3]);
  if (range === null) return c.reply.error(E.ZMINMAX_NOT_LEX);
  const o = lookupZ(c, keyStr(argv[1]), false);
  if (o === null) return;
  if (o === undefined) return c.reply.int(0);
  c.reply.int((o.value as ZSet).countInLexRange(range));
}

export function zcardCommand(c: Client, argv: Buffer[]): void {
  const o = lookupZ(c, keyStr(argv[1]), false);
  if (o === null) return;
  c.reply.int(o === undefined ? 0 : (o.value as ZSet).length);
}

export function zscoreCommand(c: Client, argv: Buffer[]): void {
  const o = lookupZ(c, keyStr(argv[1]), false);
  if (o === null) return;
  if (o === undefined) return c.reply.null();
  const s = (o.value as ZSet).dict.get(keyStr(argv[2]));
  if (s === undefined) c.reply.null();
  else c.reply.doubleText(fmtScore(s));
}

export function zmscoreCommand(c: Client, argv: Buffer[]): void {
  const o = lookupZ(c, keyStr(argv[1]), false);
  if (o === null) return;
  c.reply.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = o === undefined ? undefined : (o.value as ZSet).dict.get(keyStr(argv[j]));
    if (s === undefined) c.reply.null();
    else c.reply.doubleText(fmtScore(s));
  }
}

function zrankGeneric(c: Client, argv: Buffer[], reverse: boolean): void {
  const o = lookupZ(c, keyStr(argv[1]), false);
  if (o === null) return;
  if (o === undefined) return c.reply.null();
  const z = o.value as ZSet;
  const r = z.rankOf(keyStr(argv[2]));
  if (r === 0) return c.reply.null();
  c.reply.int(reverse ? z.length - r : r - 1);
}

export const zrankCommand: Handler = (c, argv) => zrankGeneric(c, argv, false);
export const zrevrankCommand: Handler = (c, argv) => zrankGeneric(c, argv, true);

export function zscanCommand(c: Client, argv: Buffer[]): void {
  const cursor = parseScanCursor(c, argv[2]);
  if (cursor === null) return;
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) {
    c.reply.arrayLen(2);
    c.reply.bulkStr('0');
    c.reply.emptyArray();
    return;
  }
  if (o.type !== 'zset') return c.reply.error(E.WRONGTYPE);
  const opts = parseScanOptions(c, argv, 3, false);
  if (opts === null) return;
  const z = o.value as ZSet;
  const items: string[] = [];
  let next = '0';
  const pat = opts.match;
  const visit = (ele: string, score: number) => {
    if (pat !== null && !stringMatch(pat, Buffer.from(ele, 'latin1'))) return;
    items.push(ele, fmtScore(score));
  };
  if (o.enc === ENC_LISTPACK) {
    for (let n = z.first(); n !== 0; n = z.nextOf(n)) visit(z.eleOf(n), z.scoreOf(n));
  } else {
    next = scanMap(z.dict, cursor, opts.count, visit);
  }
  c.reply.arrayLen(2);
  c.reply.bulkStr(next);
  c.reply.arrayLen(items.length);
  for (let i = 0; i < items.length; i++) c.reply.bulkStr(items[i]);
}


// ---------------------------------------------------------------------------------------------------------------
// ZPOP / ZMPOP / BZPOP*

const ZSET_MIN = 0;
const ZSET_MAX = 1;

/**
 * genericZpopCommand. `count` -1 is a plain single pop. Returns true if something was popped (or replied for an
 * existing key); `keys` are latin1 key names.
 */
function genericZpop(
  c: Client,
  keys: string[],
  where: number,
  emitkey: boolean,
  count: number,
  nested: boolean,
  nilWhenEmpty: boolean,
): void {
  const db = c.db;
  let key = '';
  let o: RObj | undefined;
  for (let i = 0; i < keys.length; i++) {
    key = keys[i];
    o = db.lookupWrite(key);
    if (o === undefined) continue;
    if (o.type !== 'zset') return c.reply.error(E.WRONGTYPE);
    break;
  }
  if (o === undefined) {
    if (nilWhenEmpty) c.reply.nullArray();
    else c.reply.emptyArray();
    return;
  }
  zpopFrom(c, key, o, where, emitkey, count, nested);
}

/** Pops from an existing non-empty zset and replies (the part of genericZpopCommand after the lookup). */
function zpopFrom(c: Client, key: string, o: RObj, where: number, emitkey: boolean, count: number, nested: boolean): void {
  const r = c.reply;
  if (count === 0) return r.emptyArray();
  if (count === -1) count = 1;
  const z = o.value as ZSet;
  const llen = z.length;
  let rangelen = count > llen ? llen : count;
  if (!nested && !emitkey) r.arrayLen(rangelen * 2);
  else if (nested && !emitkey) r.arrayLen(rangelen);
  else if (!nested && emitkey) {
    r.arrayLen(rangelen * 2 + 1);
    r.bulkStr(key);
  } else {
    r.arrayLen(2);
    r.bulkStr(key);
    r.arrayLen(rangelen);
  }
  const s = c.server;
  let first = true;
  while (rangelen-- > 0) {
    const n = where === ZSET_MAX ? z.tail : z.first();
    const ele = z.eleOf(n);
    const score = z.scoreOf(n);
    z.delete(ele);
    s.dirty++;
    if (first) {
      s.notify(c.db, where === ZSET_MAX ? 'zpopmax' : 'zpopmin', key, NOTIFY.ZSET);
      s.keyModified(c.db, key);
      first = false;
    }
    if (nested) r.arrayLen(2);
    r.bulkStr(ele);
    r.doubleText(fmtScore(score));
  }
  if (z.length === 0) deleteKeyNotify(c, c.db, key);
  // ZMPOP always propagates as ZPOP[MIN|MAX] key count
  if (c.cmd !== null && c.cmd.fullname === 'zmpop') rewriteArgv(c, zpopArgv(where, key, count, llen));
}

/** ZPOPMIN/ZPOPMAX key [min(count, llen)]: what the pops of ZMPOP, BZPOP* and BZMPOP propagate as. */
function zpopArgv(where: number, key: string, count: number, llen: number): (string | Buffer)[] {
  const argv: (string | Buffer)[] = [where === ZSET_MAX ? 'ZPOPMAX' : 'ZPOPMIN', keyBuf(key)];
  if (count !== -1) argv.push(String(count > llen ? llen : count));
  return argv;
}

function zpopMinMax(c: Client, argv: Buffer[], where: number): void {
  if (argv.length > 3) return c.reply.error(E.SYNTAX);
  let count = -1;
  if (argv.length === 3) {
    const n = getPositiveLongOrReply(c, argv[2]);
    if (n === null) return;
    count = n;
  }
  genericZpop(c, [keyStr(argv[1])], where, false, count, c.resp > 2 && count !== -1, false);
}

export const zpopminCommand: Handler = (c, argv) => zpopMinMax(c, argv, ZSET_MIN);
export const zpopmaxCommand: Handler = (c, argv) => zpopMinMax(c, argv, ZSET_MAX);

function blockingZpop(c: Client, keys: string[], where: number, timeoutArg: Buffer, count: number, nested: boolean): void {
  const timeout = parseTimeout(c, timeoutArg, 'seconds');
  if (timeout === null) return;
  const db = c.db;
  for (let i = 0; i < keys.length; i++) {
    const o = db.lookupWrite(keys[i]);
    if (o === undefined) continue;
    if (o.type !== 'zset') return c.reply.error(E.WRONGTYPE);
    const llen = (o.value as ZSet).length;
    if (llen === 0) continue;
    zpopFrom(c, keys[i], o, where, true, count, nested);
    rewriteArgv(c, zpopArgv(where, keys[i], count, llen));
    return;
  }
  if (!mayBlock(c)) return c.reply.nullArray();
  c.server.blocking.block(c, {
    type: 'zset',
    keys,
    timeout,
    serve: (bc: Client, key: string, o: RObj) => {
      const llen = (o.value as ZSet).length;
      if (llen === 0) return false;
      alsoPropagate(bc.server, bc.db.id, zpopArgv(where, key, count, llen));
      zpopFrom(bc, key, o, where, true, count, nested);
      return true;
    },
  });
}

function keysOf(argv: Buffer[], from: number, to: number): string[] {
  const out: string[] = new Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = keyStr(argv[i]);
  return out;
}

export const bzpopminCommand: Handler = (c, argv) => blockingZpop(c, keysOf(argv, 1, argv.length - 1), ZSET_MIN, argv[argv.length - 1], -1, false);
export const bzpopmaxCommand: Handler = (c, argv) => blockingZpop(c, keysOf(argv, 1, argv.length - 1), ZSET_MAX, argv[argv.length - 1], -1, false);

function zmpopGeneric(c: Client, argv: Buffer[], numkeysIdx: number, block: boolean): void {
  const numkeys = getRangeLongOrReply(c, argv[numkeysIdx], 1, LONG_MAX, E.NUMKEYS_GT0);
  if (numkeys === null) return;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) return c.reply.error(E.SYNTAX);
  let where: number;
  if (eqi(argv[whereIdx], 'min')) where = ZSET_MIN;
  else if (eqi(argv[whereIdx], 'max')) where = ZSET_MAX;
  else return c.reply.error(E.SYNTAX);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && eqi(argv[j], 'count') && more) {
      j++;
      const n = getRangeLongOrReply(c, argv[j], 1, LONG_MAX, E.COUNT_GT0);
      if (n === null) return;
      count = n;
    } else return c.reply.error(E.SYNTAX);
  }
  if (count === -1) count = 1;
  const keys = keysOf(argv, numkeysIdx + 1, numkeysIdx + 1 + numkeys);
  if (block) blockingZpop(c, keys, where, argv[1], count, true);
  else genericZpop(c, keys, where, true, count, true, true);
}

export const zmpopCommand: Handler = (c, argv) => zmpopGeneric(c, argv, 1, false);
export const bzmpopCommand: Handler = (c, argv) => zmpopGeneric(c, argv, 2, true);

// ---------------------------------------------------------------------------------------------------------------
// ZRANDMEMBER

const LLMAX = 9223372036854775807n;

function randomNode(z: ZSet): ZNode {
  return z.random();
}

function zrandmemberWithCount(c: Client, argv: Buffer[], l: number, withscores: boolean): void {
  const o = lookupZ(c, keyStr(argv[1]), false);
  if (o === null) return;
  if (o === undefined) return c.reply.emptyArray();
  const z = o.value as ZSet;
  let size = z.length;
  let count: number;
  let uniq = true;
  if (l >= 0) count = l;
  else {
    count = -l;
    uniq = false;
  }
  if (count === 0) return c.reply.emptyArray();
  const r = c.reply;
  const nested = withscores && c.resp > 2;
  const emit = (ele: string, score: number) => {
    if (nested) r.arrayLen(2);
    r.bulkStr(ele);
    if (withscores) r.doubleText(fmtScore(score));
  };
  // CASE 1: negative count (or 1): independent samples.
  if (!uniq || count === 1) {
    r.arrayLen(withscores && c.resp === 2 ? count * 2 : count);
    while (count-- > 0) {
      const n = randomNode(z);
      emit(z.eleOf(n), z.scoreOf(n));
      if (c.has(CF.CLOSE_ASAP)) break;
      // A pathological count (e.g. -1e12) would exhaust memory: give up on the client past 1 GB of output, as the
      // output buffer limits would.
      if ((count & 0xfff) === 0 && r.length > 1 << 30) {
        c.flags |= CF.CLOSE_AFTER_REPLY;
        break;
      }
    }
    return;
  }
  const replySize = count < size ? count : size;
  r.arrayLen(withscores && c.resp === 2 ? replySize * 2 : replySize);
  // CASE 2: the whole set, in zuiNext order (from the highest).
  if (count >= size) {
    for (let n = z.tail; n !== 0; n = z.prevOf(n)) emit(z.eleOf(n), z.scoreOf(n));
    return;
  }
  // CASE 3: close to the whole set: drop random members.
  if (count * 3 > size) {
    const all = new Int32Array(size);
    let i = 0;
    for (let n = z.first(); n !== 0; n = z.nextOf(n)) all[i++] = n;
    while (size > count) {
      const k = Math.floor(Math.random() * size);
      all[k] = all[size - 1];
      size--;
    }
    for (let k = 0; k < count; k++) emit(z.eleOf(all[k]), z.scoreOf(all[k]));
    return;
  }
  // CASE 4: few members of a big set.
  if (o.enc === ENC_LISTPACK) {
    // lpRandomPairsUnique keeps the listpack order.
    const picked = new Set<number>();
    while (picked.size < count) picked.add(1 + Math.floor(Math.random() * size));
    const ranks = [...picked].sort((a, b) => a - b);
    for (const rk of ranks) {
      const n = z.byRank(rk);
      emit(z.eleOf(n), z.scoreOf(n));
    }
    return;
  }
  const seen = new Set<string>();
  while (seen.size < count) {
    const n = randomNode(z);
    const ele = z.eleOf(n);
    if (seen.has(ele)) continue;
    seen.add(ele);
    emit(ele, z.scoreOf(n));
  }
}

export function zrandmemberCommand(c: Client, argv: Buffer[]): void {
  if (argv.length >= 3) {
    const lb = getBigIntOrReply(c, argv[2]);
    if (lb === null) return;
    if (lb < -LLMAX) return c.reply.error(E.VALUE_OUT_OF_RANGE_LLONG);
    let withscores = false;
    if (argv.length > 4 || (argv.length === 4 && !eqi(argv[3], 'withscores'))) return c.reply.error(E.SYNTAX);
    else if (argv.length === 4) {
      withscores = true;
      if (lb < -LLMAX / 2n || lb > LLMAX / 2n) return c.reply.error(E.VALUE_OUT_OF_RANGE);
    }
    return zrandmemberWithCount(c, argv, Number(lb), withscores);
  }
  const o = lookupZ(c, keyStr(argv[1]), false);
  if (o === null) return;
  if (o === undefined) return c.reply.null();
  const z = o.value as ZSet;
  c.reply.bulkStr(z.eleOf(randomNode(z)));
}

// ---------------------------------------------------------------------------------------------------------------

void valueGteMin;

export const handlers: Record<string, Handler> = {
  zadd: zaddCommand,
  zincrby: zincrbyCommand,
  zrem: zremCommand,
  zremrangebyrank: zremrangebyrankCommand,
  zremrangebyscore: zremrangebyscoreCommand,
  zremrangebylex: zremrangebylexCommand,
  zrange: zrangeCommand,
  zrangestore: zrangestoreCommand,
  zrevrange: zrevrangeCommand,
  zrangebyscore: zrangebyscoreCommand,
  zrevrangebyscore: zrevrangebyscoreCommand,
  zrangebylex: zrangebylexCommand,
  zrevrangebylex: zrevrangebylexCommand,
  zcount: zcountCommand,
  zlexcount: zlexcountCommand,
  zcard: zcardCommand,
  zscore: zscoreCommand,
  zmscore: zmscoreCommand,
  zrank: zrankCommand,
  zrevrank: zrevrankCommand,
  zscan: zscanCommand,
  zpopmin: zpopminCommand,
  zpopmax: zpopmaxCommand,
  zmpop: zmpopCommand,
  bzpopmin: bzpopminCommand,
  bzpopmax: bzpopmaxCommand,
  bzmpop: bzmpopCommand,
  zrandmember: zrandmemberCommand,
  ...setopHandlers,
};
