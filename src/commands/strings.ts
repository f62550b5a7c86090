// String commands (Redis: t_string.c).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { keyStr, type RObj } from '../store/db.js';
import { E } from '../errors.js';
import { NOTIFY } from '../server/notify.js';
import { eqi, string2ll, string2llBig } from '../util/parse.js';
import { incrByFloat } from '../util/longdouble.js';
import { setExpireExact } from '../store/expire.js';
import { rewriteArgv, propagating, llArg } from '../replication/propagate.js';
import {
  newString,
  checkStringLength,
  checkAlreadyExpired,
  replyString,
  replyStrValue,
  unshareString,
  newRawString,
  toStrValue,
  ownedStrValue,
  strBytes,
  strToLL,
  strLen,
  type StrValue,
} from '../store/strings.js';

const OBJ_SET_NX = 1 << 0;
const OBJ_SET_XX = 1 << 1;
const OBJ_EX = 1 << 2;
const OBJ_PX = 1 << 3;
const OBJ_KEEPTTL = 1 << 4;
const OBJ_SET_GET = 1 << 5;
const OBJ_EXAT = 1 << 6;
const OBJ_PXAT = 1 << 7;
const OBJ_PERSIST = 1 << 8;
const ANY_EXPIRE = OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const SAFE = 2 ** 52;

/** parseExtendedStringArgumentsOrReply. Returns [flags, expireArg] or null after replying a syntax error. */
function parseExtended(c: Client, argv: Buffer[], isSet: boolean): [number, Buffer | null] | null {
  let flags = 0;
  let expire: Buffer | null = null;
  for (let j = isSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j];
    const hasNext = j < argv.length - 1;
    if (isSet && eqi(opt, 'nx') && !(flags & OBJ_SET_XX)) flags |= OBJ_SET_NX;
    else if (isSet && eqi(opt, 'xx') && !(flags & OBJ_SET_NX)) flags |= OBJ_SET_XX;
    else if (isSet && eqi(opt, 'get')) flags |= OBJ_SET_GET;
    else if (isSet && eqi(opt, 'keepttl') && !(flags & (OBJ_PERSIST | ANY_EXPIRE))) flags |= OBJ_KEEPTTL;
    else if (!isSet && eqi(opt, 'persist') && !(flags & (ANY_EXPIRE | OBJ_KEEPTTL))) flags |= OBJ_PERSIST;
    else if (eqi(opt, 'ex') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EXAT | OBJ_PX | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_EX;
      expire = argv[++j];
    } else if (eqi(opt, 'px') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_PX;
      expire = argv[++j];
    } else if (eqi(opt, 'exat') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_PX | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_EXAT;
      expire = argv[++j];
    } else if (eqi(opt, 'pxat') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PX)) && hasNext) {
      flags |= OBJ_PXAT;
      expire = argv[++j];
    } else {
      c.reply.error(E.SYNTAX);
      return null;
    }
  }
  return [flags, expire];
}

/**
 * getExpireMillisecondsOrReply: the absolute expiry in ms, or null after replying.
 * EX/EXAT are seconds; EX/PX are relative to now. Values must be > 0 and must not overflow int64.
 */
function getExpireMs(c: Client, arg: Buffer, flags: number): number | bigint | null {
  const seconds = (flags & (OBJ_EX | OBJ_EXAT)) !== 0;
  const relative = (flags & (OBJ_EX | OBJ_PX)) !== 0;
  const v = string2ll(arg);
  if (v === null) {
    c.reply.error(E.NOT_INTEGER);
    return null;
  }
  const bad = () => {
    c.reply.error(E.INVALID_EXPIRE(c.cmd!.fullname));
    return null;
  };
  if (v <= 0) return bad();
  if (v < SAFE / 1000) {
    const ms = seconds ? v * 1000 : v;
    return relative ? ms + Date.now() : ms;
  }
  // exact int64 path
  let b = string2llBig(arg)!;
  if (seconds && b > INT64_MAX / 1000n) return bad();
  if (seconds) b *= 1000n;
  if (relative) {
    b += BigInt(Date.now());
    if (b > INT64_MAX) return bad(); // C overflow wraps negative
  }
  return b < BigInt(SAFE) ? Number(b) : b;
}

/** getGenericCommand: replies the value (or null); false on WRONGTYPE. */
function getGeneric(c: Client, key: string): boolean {
  const o = c.db.lookupRead(key);
  if (o === undefined) {
    c.reply.null();
    return true;
  }
  if (o.type !== 'string') {
    c.reply.error(E.WRONGTYPE);
    return false;
  }
  replyStrValue(c, o.value as StrValue);
  return true;
}

export function getCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.null();
  if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
  const v = o.value as StrValue;
  if (typeof v === 'string') c.reply.bulkStr(v);
  else replyStrValue(c, v);
}

/** setGenericCommand. okReply/abortReply: null for +OK / null. */
function setGeneric(
  c: Client,
  flags: number,
  key: string,
  val: Buffer,
  expire: Buffer | null,
  okInt: number | null,
  abortInt: number | null,
): void {
  let when: number | bigint = 0;
  if (expire !== null) {
    const w = getExpireMs(c, expire, flags);
    if (w === null) return;
    when = w;
  }
  if (flags & OBJ_SET_GET) {
    if (!getGeneric(c, key)) return;
  }
  const db = c.db;
  const found = db.lookupWrite(key) !== undefined;
  if ((flags & OBJ_SET_NX && found) || (flags & OBJ_SET_XX && !found)) {
    if (!(flags & OBJ_SET_GET)) {
      if (abortInt !== null) c.reply.int(abortInt);
      else c.reply.null();
    }
    return;
  }
  db.setString(key, toStrValue(val), (flags & OBJ_KEEPTTL) !== 0);
  const s = c.server;
  s.dirty++;
  s.notify(db, 'set', key, NOTIFY.STRING);
  if (expire !== null) {
    if (typeof when === 'bigint') setExpireExact(db, key, when);
    else db.setExpire(key, when);
    // propagated as SET key value PXAT <ms>
    rewriteArgv(c, ['SET', c.argv[1], val, 'PXAT', llArg(when)]);
    s.notify(db, 'expire', key, NOTIFY.GENERIC);
  }
  if (!(flags & OBJ_SET_GET)) {
    if (okInt !== null) c.reply.int(okInt);
    else c.reply.ok();
  } else if (expire === null && propagating(s)) {
    // propagated without its GET arguments
    rewriteArgv(c, c.argv.filter((a, j) => j < 3 || !(a.length === 3 && eqi(a, 'get'))));
  }
}

export function setCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 3) {
    // SET key value: the hot path
    const db = c.db;
    const key = keyStr(argv[1]);
    const s = c.server;
    db.setString(key, toStrValue(argv[2]));
    s.dirty++;
    s.notify(db, 'set', key, NOTIFY.STRING);
    c.reply.ok();
    return;
  }
  const p = parseExtended(c, argv, true);
  if (p === null) return;
  setGeneric(c, p[0], keyStr(argv[1]), argv[2], p[1], null, null);
}

export function setnxCommand(c: Client, argv: Buffer[]): void {
  setGeneric(c, OBJ_SET_NX, keyStr(argv[1]), argv[2], null, 1, 0);
}

export function setexCommand(c: Client, argv: Buffer[]): void {
  setGeneric(c, OBJ_EX, keyStr(argv[1]), argv[3], argv[2], null, null);
}

export function psetexCommand(c: Client, argv: Buffer[]): void {
  setGeneric(c, OBJ_PX, keyStr(argv[1]), argv[3], argv[2], null, null);
}

export function getexCommand(c: Client, argv: Buffer[]): void {
  const p = parseExtended(c, argv, false);
  if (p === null) return;
  const [flags, expire] = p;
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupRead(key);
  if (o === undefined) return c.reply.null();
  if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
  let when: number | bigint = 0;
  if (expire !== null) {
    const w = getExpireMs(c, expire, flags);
    if (w === null) return;
    when = w;
  }
  replyStrValue(c, o.value as StrValue);
  const s = c.server;
  if (flags & (OBJ_PXAT | OBJ_EXAT) && checkAlreadyExpired(Number(when), s)) {
    db.delete(key);
    rewriteArgv(c, [s.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', argv[1]]);
    s.keyModified(db, key);
    s.notify(db, 'del', key, NOTIFY.GENERIC);
    s.dirty++;
  } else if (expire !== null) {
    if (typeof when === 'bigint') setExpireExact(db, key, when);
    else db.setExpire(key, when);
    rewriteArgv(c, ['PEXPIREAT', argv[1], llArg(when)]);
    s.keyModified(db, key);
    s.notify(db, 'expire', key, NOTIFY.GENERIC);
    s.dirty++;
  } else if (flags & OBJ_PERSIST) {
    if (db.persist(key)) {
      rewriteArgv(c, ['PERSIST', argv[1]]);
      s.keyModified(db, key);
      s.notify(db, 'persist', key, NOTIFY.GENERIC);
      s.dirty++;
    }
  }
}

export function getdelCommand(c: Client, argv: Buffer[]): void {
  const key = keyStr(argv[1]);
  if (!getGeneric(c, key)) return;
  const db = c.db;
  if (db.delete(key)) {
    const s = c.server;
    rewriteArgv(c, [s.config.bool('lazyfree-lazy-user-del') ? 'UNLINK' : 'DEL', argv[1]]);
    s.keyModified(db, key);
    s.notify(db, 'del', key, NOTIFY.GENERIC);
    s.dirty++;
  }
}

export function getsetCommand(c: Client, argv: Buffer[]): void {
  const key = keyStr(argv[1]);
  if (!getGeneric(c, key)) return;
  const db = c.db;
  db.setString(key, toStrValue(argv[2]));
  c.server.notify(db, 'set', key, NOTIFY.STRING);
  c.server.dirty++;
  rewriteArgv(c, ['SET', argv[1], argv[2]]);
}

export function setrangeCommand(c: Client, argv: Buffer[]): void {
  const offset = string2ll(argv[2]);
  if (offset === null) return c.reply.error(E.NOT_INTEGER);
  if (offset < 0) return c.reply.error(E.STRING_OFFSET_RANGE);
  const value = argv[3];
  const db = c.db;
  const key = keyStr(argv[1]);
  let o = db.lookupWrite(key);
  if (o === undefined) {
    if (value.length === 0) return c.reply.int(0);
    if (!checkStringLength(c, offset, value.length)) return;
    o = newRawString(offset + value.length);
    db.add(key, o);
  } else {
    if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
    const olen = strLen(o);
    if (value.length === 0) return c.reply.int(olen);
    if (!checkStringLength(c, offset, value.length)) return;
  }
  const buf = unshareString(o, offset + value.length);
  value.copy(buf, offset);
  const s = c.server;
  s.keyModified(db, key);
  s.notify(db, 'setrange', key, NOTIFY.STRING);
  s.dirty++;
  c.reply.int(buf.length);
}

export function getrangeCommand(c: Client, argv: Buffer[]): void {
  let start = string2ll(argv[2]);
  if (start === null) return c.reply.error(E.NOT_INTEGER);
  let end = string2ll(argv[3]);
  if (end === null) return c.reply.error(E.NOT_INTEGER);
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.bulkStr('');
  if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
  const sv = o.value as StrValue;
  const str = typeof sv === 'number' ? String(sv) : sv;
  const len = str.length;
  if (start < 0 && end < 0 && start > end) return c.reply.bulkStr('');
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return c.reply.bulkStr('');
  if (typeof str === 'string') c.reply.bulkStr(str.slice(start, end + 1));
  else replyString(c, str.subarray(start, end + 1));
}

export function mgetCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  c.reply.arrayLen(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const o = db.lookupRead(keyStr(argv[j]));
    if (o === undefined || o.type !== 'string') c.reply.null();
    else replyStrValue(c, o.value as StrValue);
  }
}

function msetGeneric(c: Client, argv: Buffer[], nx: boolean): void {
  if (argv.length % 2 === 0) return c.reply.error(E.wrongArity(c.cmd!.fullname));
  const db = c.db;
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (db.lookupWrite(keyStr(argv[j])) !== undefined) return c.reply.int(0);
    }
  }
  const s = c.server;
  for (let j = 1; j < argv.length; j += 2) {
    const key = keyStr(argv[j]);
    db.setString(key, toStrValue(argv[j + 1]));
    s.notify(db, 'set', key, NOTIFY.STRING);
  }
  s.dirty += (argv.length - 1) / 2;
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

export function msetCommand(c: Client, argv: Buffer[]): void {
  msetGeneric(c, argv, false);
}

export function msetnxCommand(c: Client, argv: Buffer[]): void {
  msetGeneric(c, argv, true);
}

/** incrDecrCommand with an increment given exactly (number when |incr| < 2^52, else bigint). */
function incrDecr(c: Client, key: string, incr: number | bigint): void {
  const db = c.db;
  const o = db.lookupWrite(key);
  let cur: number | null = 0;
  if (o !== undefined) {
    if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
    cur = strToLL(o.value as StrValue);
    if (cur === null) return c.reply.error(E.NOT_INTEGER);
  }
  let result: number | bigint;
  if (typeof incr === 'number' && cur > -SAFE && cur < SAFE) {
    result = cur + incr;
  } else {
    const bc = o !== undefined && (cur >= SAFE || cur <= -SAFE) ? string2llBig(strBytes(o))! : BigInt(cur);
    const bi = typeof incr === 'bigint' ? incr : BigInt(incr);
    if ((bi < 0n && bc < 0n && bi < INT64_MIN - bc) || (bi > 0n && bc > 0n && bi > INT64_MAX - bc)) {
      return c.reply.error(E.INCR_OVERFLOW);
    }
    const r = bc + bi;
    result = r > -BigInt(SAFE) && r < BigInt(SAFE) ? Number(r) : r;
  }
  // a safe integer is kept as a number (int encoding): the next increment neither parses nor renders digits
  const nv = typeof result === 'number' ? result : result.toString();
  const s = c.server;
  if (o !== undefined) o.setString(nv, s.hot.lfu ? o.lru : s.clock.lru); // dbOverwrite keeps the TTL; lookupWrite just set this LRU (or LFU)
  else db.add(key, newString(nv));
  s.keyModified(db, key);
  s.notify(db, 'incrby', key, NOTIFY.STRING);
  s.dirty++;
  c.reply.int(result);
}

export function incrCommand(c: Client, argv: Buffer[]): void {
  incrDecr(c, keyStr(argv[1]), 1);
}

export function decrCommand(c: Client, argv: Buffer[]): void {
  incrDecr(c, keyStr(argv[1]), -1);
}

function parseIncr(c: Client, arg: Buffer): number | bigint | null {
  const v = string2ll(arg);
  if (v === null) {
    c.reply.error(E.NOT_INTEGER);
    return null;
  }
  if (v > -SAFE && v < SAFE) return v;
  return string2llBig(arg)!;
}

export function incrbyCommand(c: Client, argv: Buffer[]): void {
  const incr = parseIncr(c, argv[2]);
  if (incr === null) return;
  incrDecr(c, keyStr(argv[1]), incr);
}

export function decrbyCommand(c: Client, argv: Buffer[]): void {
  const incr = parseIncr(c, argv[2]);
  if (incr === null) return;
  if (incr === INT64_MIN) return c.reply.error(E.DECR_OVERFLOW);
  incrDecr(c, keyStr(argv[1]), typeof incr === 'number' ? -incr : -incr);
}

export function incrbyfloatCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  if (o !== undefined && o.type !== 'string') return c.reply.error(E.WRONGTYPE);
  const r = incrByFloat(o === undefined ? null : strBytes(o), argv[2]);
  if (r === 'value' || r === 'incr') return c.reply.error(E.NOT_FLOAT);
  if (r === 'nan') return c.reply.error(E.INCRFLOAT_NAN);
  const enc = r.length <= 44 ? 'embstr' : 'raw';
  const v = ownedStrValue(r);
  if (o !== undefined) {
    o.value = v;
    o.enc = enc;
  } else db.add(key, newString(v, enc));
  const s = c.server;
  s.keyModified(db, key);
  s.notify(db, 'incrbyfloat', key, NOTIFY.STRING);
  s.dirty++;
  c.reply.bulk(r);
  // always propagated as SET with the final value, so float formatting never differs on replay
  rewriteArgv(c, ['SET', argv[1], r, 'KEEPTTL']);
}

export function appendCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  const add = argv[2];
  let total: number;
  if (o === undefined) {
    db.add(key, newString(toStrValue(add)));
    total = add.length;
  } else {
    if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
    const len = strLen(o);
    if (!checkStringLength(c, len, add.length)) return;
    const buf = unshareString(o, len + add.length);
    add.copy(buf, len);
    total = buf.length;
  }
  const s = c.server;
  s.keyModified(db, key);
  s.notify(db, 'append', key, NOTIFY.STRING);
  s.dirty++;
  c.reply.int(total);
}

export function strlenCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
  c.reply.int(strLen(o));
}

export function lcsCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const oa = db.lookupRead(keyStr(argv[1]));
  const ob = db.lookupRead(keyStr(argv[2]));
  if ((oa && oa.type !== 'string') || (ob && ob.type !== 'string')) {
    return c.reply.error(E.LCS_NOT_STRINGS);
  }
  const a: Buffer = oa ? strBytes(oa) : Buffer.alloc(0);
  const b: Buffer = ob ? strBytes(ob) : Buffer.alloc(0);
  let getlen = false;
  let getidx = false;
  let withmatchlen = false;
  let minmatchlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    const more = argv.length - 1 - j;
    if (eqi(opt, 'idx')) getidx = true;
    else if (eqi(opt, 'len')) getlen = true;
    else if (eqi(opt, 'withmatchlen')) withmatchlen = true;
    else if (eqi(opt, 'minmatchlen') && more) {
      const v = string2ll(argv[j + 1]);
      if (v === null) return c.reply.error(E.NOT_INTEGER);
      minmatchlen = v < 0 ? 0 : v;
      j++;
    } else return c.reply.error(E.SYNTAX);
  }
  if (getlen && getidx) return c.reply.error(E.LCS_LEN_AND_IDX);
  const alen = a.length;
  const blen = b.length;
  const size = (alen + 1) * (blen + 1);
  if (size * 4 > c.server.config.num('proto-max-bulk-len')) {
    return c.reply.error(E.LCS_TOO_BIG);
  }
  const W = blen + 1;
  const L = new Uint32Array(size);
  for (let i = 1; i <= alen; i++) {
    const ai = a[i - 1];
    const row = i * W;
    const prev = row - W;
    for (let j = 1; j <= blen; j++) {
      if (ai === b[j - 1]) L[row + j] = L[prev + j - 1] + 1;
      else {
        const l1 = L[prev + j];
        const l2 = L[row + j - 1];
        L[row + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = L[alen * W + blen];
  let idx = total;
  const computelcs = getidx || !getlen;
  const result = computelcs ? Buffer.alloc(idx) : null;
  const ranges: number[][] = [];
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (computelcs && i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      result![idx - 1] = a[i - 1];
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else emit = true;
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const l1 = L[(i - 1) * W + j];
      const l2 = L[i * W + j - 1];
      if (l1 > l2) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    const matchLen = aEnd - aStart + 1;
    if (emit) {
      if (minmatchlen === 0 || matchLen >= minmatchlen) {
        if (getidx) ranges.push([aStart, aEnd, bStart, bEnd, matchLen]);
      }
      aStart = alen;
    }
  }
  if (getidx) {
    c.reply.mapLen(2);
    c.reply.bulkStr('matches');
    c.reply.arrayLen(ranges.length);
    for (const r of ranges) {
      c.reply.arrayLen(withmatchlen ? 3 : 2);
      c.reply.arrayLen(2);
      c.reply.int(r[0]);
      c.reply.int(r[1]);
      c.reply.arrayLen(2);
      c.reply.int(r[2]);
      c.reply.int(r[3]);
      if (withmatchlen) c.reply.int(r[4]);
    }
    c.reply.bulkStr('len');
    c.reply.int(total);
  } else if (getlen) c.reply.int(total);
  else c.reply.bulk(result!);
}

/** A string RObj for other families that build string values (e.g. SORT STORE never does; RESTORE may). */
export function createStringObject(value: Buffer): RObj {
  return newString(ownedStrValue(value));
}

export const handlers: Record<string, Handler> = {
  get: getCommand,
  set: setCommand,
  setnx: setnxCommand,
  setex: setexCommand,
  psetex: psetexCommand,
  getex: getexCommand,
  getdel: getdelCommand,
  getset: getsetCommand,
  setrange: setrangeCommand,
  getrange: getrangeCommand,
  substr: getrangeCommand,
  mget: mgetCommand,
  mset: msetCommand,
  msetnx: msetnxCommand,
  incr: incrCommand,
  decr: decrCommand,
  incrby: incrbyCommand,
  decrby: decrbyCommand,
  incrbyfloat: incrbyfloatCommand,
  append: appendCommand,
  strlen: strlenCommand,
  lcs: lcsCommand,
};
