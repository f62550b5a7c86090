// Keyspace and expiry commands (Redis: db.c, expire.c, object.c OBJECT).
import { rewriteArgv, propagating, llArg } from '../replication/propagate.js';
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { keyStr, keyBuf, objectIdleMs, type Db, type RObj } from '../store/db.js';
import { E } from '../errors.js';
import { NOTIFY } from '../server/notify.js';
import { eqi, string2ll, string2llBig, stringMatch } from '../util/parse.js';
import { copyObject } from '../store/copy.js';
import { scanMap, parseScanCursor, parseScanOptions, replyScan } from '../store/scan.js';
import { stringEncoding, isSharedInteger, OBJ_SHARED_REFCOUNT, checkAlreadyExpired } from '../store/strings.js';
import { setExpireExact, getExpireExact } from '../store/expire.js';
import { lfuDecrAndReturn } from '../server/lfu.js';

/** Copies the TTL of `src` in `from` to `dst` in `to` (exactly, also beyond 2^53). */
function copyExpire(from: Db, src: string, to: Db, dst: string): void {
  const e = getExpireExact(from, src);
  if (typeof e === 'bigint') setExpireExact(to, dst, e);
  else if (e !== -1) to.setExpire(dst, e);
}

const DEFAULT_ENC: Record<string, string> = {
  string: 'raw',
  list: 'quicklist',
  set: 'hashtable',
  zset: 'skiplist',
  hash: 'hashtable',
  stream: 'stream',
};

/** OBJECT ENCODING's name for a value (strEncoding). Families set RObj.enc for their types. */
export function objectEncoding(o: RObj): string {
  if (o.type === 'string') return stringEncoding(o);
  return o.enc ?? DEFAULT_ENC[o.type] ?? 'unknown';
}

// ---------------------------------------------------------------- DEL / UNLINK / EXISTS / TYPE / TOUCH

function delGeneric(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const s = c.server;
  let n = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = keyStr(argv[j]);
    db.expireIfNeeded(key);
    if (db.delete(key)) {
      s.keyModified(db, key);
      s.notify(db, 'del', key, NOTIFY.GENERIC);
      s.dirty++;
      n++;
    }
  }
  c.reply.int(n);
}

export function delCommand(c: Client, argv: Buffer[]): void {
  delGeneric(c, argv);
}

export function unlinkCommand(c: Client, argv: Buffer[]): void {
  delGeneric(c, argv);
}

export function existsCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (db.lookupReadNoTouch(keyStr(argv[j])) !== undefined) n++;
  c.reply.int(n);
}

export function typeCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupReadNoTouch(keyStr(argv[1]));
  c.reply.simple(o === undefined ? 'none' : o.type);
}

export function touchCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (db.lookupRead(keyStr(argv[j])) !== undefined) n++;
  c.reply.int(n);
}

// ---------------------------------------------------------------- RENAME / MOVE / COPY

/** RENAME/MOVE: `o` leaves srcDb/srcKey for dstDb/dstKey with its TTL; WATCH, the from/to events, dirty. */
function relocateKey(
  c: Client,
  o: RObj,
  srcDb: Db,
  srcKey: string,
  dstDb: Db,
  dstKey: string,
  fromEvent: string,
  toEvent: string,
): void {
  dstDb.add(dstKey, o);
  copyExpire(srcDb, srcKey, dstDb, dstKey);
  srcDb.delete(srcKey);
  const s = c.server;
  s.keyModified(srcDb, srcKey);
  s.keyModified(dstDb, dstKey);
  s.notify(srcDb, fromEvent, srcKey, NOTIFY.GENERIC);
  s.notify(dstDb, toEvent, dstKey, NOTIFY.GENERIC);
  s.dirty++;
}

function renameGeneric(c: Client, argv: Buffer[], nx: boolean): void {
  const db = c.db;
  const src = keyStr(argv[1]);
  const dst = keyStr(argv[2]);
  const o = db.lookupWrite(src);
  if (o === undefined) return c.reply.error(E.NOKEY);
  if (src === dst) return nx ? c.reply.int(0) : c.reply.ok();
  if (db.lookupWrite(dst) !== undefined) {
    if (nx) return c.reply.int(0);
    db.delete(dst);
  }
  relocateKey(c, o, db, src, db, dst, 'rename_from', 'rename_to');
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

export function renameCommand(c: Client, argv: Buffer[]): void {
  renameGeneric(c, argv, false);
}

export function renamenxCommand(c: Client, argv: Buffer[]): void {
  renameGeneric(c, argv, true);
}

/** getIntFromObjectOrReply + selectDb: the target db, or null after replying. */
function targetDb(c: Client, arg: Buffer): Db | null {
  const v = string2ll(arg);
  if (v === null || v < -2147483648 || v > 2147483647) {
    c.reply.error(E.NOT_INTEGER);
    return null;
  }
  if (v < 0 || v >= c.server.dbs.length) {
    c.reply.error(E.INVALID_DB);
    return null;
  }
  return c.server.dbs[v];
}

export function moveCommand(c: Client, argv: Buffer[]): void {
  const src = c.db;
  const dst = targetDb(c, argv[2]);
  if (dst === null) return;
  if (src === dst) return c.reply.error(E.SAME_OBJECT);
  const key = keyStr(argv[1]);
  const o = src.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);
  if (dst.lookupWrite(key) !== undefined) return c.reply.int(0);
  relocateKey(c, o, src, key, dst, key, 'move_from', 'move_to');
  c.reply.int(1);
}

export function copyCommand(c: Client, argv: Buffer[]): void {
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - j - 1;
    if (eqi(argv[j], 'replace')) replace = true;
    else if (eqi(argv[j], 'db') && more >= 1) {
      const d = targetDb(c, argv[j + 1]);
      if (d === null) return;
      dst = d;
      j++;
    } else return c.reply.error(E.SYNTAX);
  }
  const key = keyStr(argv[1]);
  const newkey = keyStr(argv[2]);
  if (src === dst && key === newkey) return c.reply.error(E.SAME_OBJECT);
  const o = src.lookupRead(key);
  if (o === undefined) return c.reply.int(0);
  let del = false;
  if (dst.lookupWrite(newkey) !== undefined) {
    if (!replace) return c.reply.int(0);
    del = true;
  }
  const n = copyObject(o);
  if (del) dst.delete(newkey);
  dst.add(newkey, n);
  copyExpire(src, key, dst, newkey);
  const s = c.server;
  s.keyModified(dst, newkey);
  s.notify(dst, 'copy_to', newkey, NOTIFY.GENERIC);
  s.dirty++;
  c.reply.int(1);
}

// ---------------------------------------------------------------- KEYS / RANDOMKEY / SCAN

export function keysCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const pat = argv[1];
  const all = pat.length === 1 && pat[0] === 42;
  const h = c.reply.deferLen();
  let n = 0;
  for (const key of db.dict.keys()) {
    if (all || stringMatch(pat, keyBuf(key))) {
      if (!db.keyIsExpired(key)) {
        c.reply.bulkStr(key);
        n++;
      }
    }
  }
  c.reply.setDeferredArrayLen(h, n);
}

/** Per-map snapshot of keys for RANDOMKEY (a Map has no random access); rebuilt when it drifts from the map. */
const randomSnap = new WeakMap<Map<string, RObj>, { keys: string[]; misses: number }>();

/** dbRandomKey: a random live key (expired ones are deleted and skipped), or null. */
export function randomKey(db: Db): string | null {
  for (;;) {
    const dict = db.dict;
    if (dict.size === 0) return null;
    let snap = randomSnap.get(dict);
    if (!snap || snap.misses > 8 || Math.abs(snap.keys.length - dict.size) > (snap.keys.length >> 3) + 4) {
      snap = { keys: Array.from(dict.keys()), misses: 0 };
      randomSnap.set(dict, snap);
    }
    const key = snap.keys[Math.floor(Math.random() * snap.keys.length)];
    if (!dict.has(key)) {
      snap.misses++;
      continue;
    }
    if (db.expires.has(key) && db.expireIfNeeded(key)) continue;
    return key;
  }
}

export function randomkeyCommand(c: Client): void {
  const k = randomKey(c.db);
  if (k === null) return c.reply.null();
  c.reply.bulkStr(k);
}

export function scanCommand(c: Client, argv: Buffer[]): void {
  const cursor = parseScanCursor(c, argv[1]);
  if (cursor === null) return;
  const opts = parseScanOptions(c, argv, 2, true);
  if (opts === null) return;
  const db = c.db;
  const found: string[] = [];
  const next = scanMap(db.dict, cursor, opts.count, k => {
    found.push(k);
  });
  const out: string[] = [];
  const typeName = opts.type ? opts.type.latin1Slice(0, opts.type.length).toLowerCase() : null;
  for (const k of found) {
    if (opts.match && !stringMatch(opts.match, keyBuf(k))) continue;
    if (typeName !== null) {
      const o = db.lookupReadNoTouch(k);
      if ((o === undefined ? 'none' : o.type) !== typeName) continue;
    }
    if (db.expireIfNeeded(k)) continue;
    out.push(k);
  }
  replyScan(c, next, out);
}

// ---------------------------------------------------------------- EXPIRE family

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;
const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

function expireGeneric(c: Client, argv: Buffer[], basetime: number, seconds: boolean): void {
  let flag = 0;
  for (let j = 3; j < argv.length; j++) {
    const o = argv[j];
    if (eqi(o, 'nx')) flag |= EXPIRE_NX;
    else if (eqi(o, 'xx')) flag |= EXPIRE_XX;
    else if (eqi(o, 'gt')) flag |= EXPIRE_GT;
    else if (eqi(o, 'lt')) flag |= EXPIRE_LT;
    else return c.reply.errorSafe(E.unsupportedOption(cstr(o)));
  }
  if (flag & EXPIRE_NX && flag & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) return c.reply.error(E.NO_TTL_ERR);
  if (flag & EXPIRE_GT && flag & EXPIRE_LT) return c.reply.error(E.GT_LT_NX);
  const param = argv[2];
  const v = string2ll(param);
  if (v === null) return c.reply.error(E.NOT_INTEGER);
  let when: number;
  let exact: bigint | null = null;
  if (v > -(2 ** 40) && v < 2 ** 40) {
    when = (seconds ? v * 1000 : v) + basetime;
  } else {
    let b = string2llBig(param)!;
    if (seconds) {
      if (b > LLONG_MAX / 1000n || b < LLONG_MIN / 1000n) return c.reply.error(E.INVALID_EXPIRE(c.cmd!.fullname));
      b *= 1000n;
    }
    if (b > LLONG_MAX - BigInt(basetime)) return c.reply.error(E.INVALID_EXPIRE(c.cmd!.fullname));
    exact = b + BigInt(basetime);
    when = Number(exact);
  }
  const db = c.db;
  const key = keyStr(argv[1]);
  if (db.lookupWrite(key) === undefined) return c.reply.int(0);
  if (flag) {
    const curx = getExpireExact(db, key);
    const cur = Number(curx);
    const w: number | bigint = exact ?? when;
    const gt = (a: number | bigint, b: number | bigint) => (typeof a === typeof b ? a > b : BigInt(a) > BigInt(b));
    if (flag & EXPIRE_NX && cur !== -1) return c.reply.int(0);
    if (flag & EXPIRE_XX && cur === -1) return c.reply.int(0);
    if (flag & EXPIRE_GT && (!gt(w, curx) || cur === -1)) return c.reply.int(0);
    if (flag & EXPIRE_LT && cur !== -1 && !gt(curx, w)) return c.reply.int(0);
  }
  const s = c.server;
  if (checkAlreadyExpired(when, s)) {
    db.delete(key);
    s.dirty++;
    // propagated as an explicit DEL (UNLINK)
    rewriteArgv(c, [s.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', argv[1]]);
    s.keyModified(db, key);
    s.notify(db, 'del', key, NOTIFY.GENERIC);
    return c.reply.int(1);
  }
  if (exact !== null) setExpireExact(db, key, exact);
  else db.setExpire(key, when);
  c.reply.int(1);
  if (propagating(s)) {
    // propagated as PEXPIREAT <absolute ms>, the other arguments (NX/XX/GT/LT) kept
    const pargv = argv.slice();
    if (c.cmd!.fullname !== 'pexpireat') pargv[0] = Buffer.from('PEXPIREAT');
    if (basetime !== 0 || seconds) pargv[2] = llArg(exact ?? when);
    rewriteArgv(c, pargv);
  }
  s.keyModified(db, key);
  s.notify(db, 'expire', key, NOTIFY.GENERIC);
  s.dirty++;
}

/** The C string view of an argument (text up to the first NUL), for error messages. */
function cstr(b: Buffer): string {
  const z = b.indexOf(0);
  return b.latin1Slice(0, z < 0 ? b.length : z);
}

export function expireCommand(c: Client, argv: Buffer[]): void {
  expireGeneric(c, argv, Date.now(), true);
}
export function pexpireCommand(c: Client, argv: Buffer[]): void {
  expireGeneric(c, argv, Date.now(), false);
}
export function expireatCommand(c: Client, argv: Buffer[]): void {
  expireGeneric(c, argv, 0, true);
}
export function pexpireatCommand(c: Client, argv: Buffer[]): void {
  expireGeneric(c, argv, 0, false);
}

function ttlGeneric(c: Client, argv: Buffer[], ms: boolean, abs: boolean): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  if (db.lookupReadNoTouch(key) === undefined) return c.reply.int(-2);
  const expire = getExpireExact(db, key);
  if (expire === -1) return c.reply.int(-1);
  if (typeof expire === 'bigint') {
    let ttl = abs ? expire : expire - BigInt(Date.now());
    if (ttl < 0n) ttl = 0n;
    return c.reply.int(ms ? ttl : (ttl + 500n) / 1000n);
  }
  let ttl = abs ? expire : expire - Date.now();
  if (ttl < 0) ttl = 0;
  c.reply.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
}

export function ttlCommand(c: Client, argv: Buffer[]): void {
  ttlGeneric(c, argv, false, false);
}
export function pttlCommand(c: Client, argv: Buffer[]): void {
  ttlGeneric(c, argv, true, false);
}
export function expiretimeCommand(c: Client, argv: Buffer[]): void {
  ttlGeneric(c, argv, false, true);
}
export function pexpiretimeCommand(c: Client, argv: Buffer[]): void {
  ttlGeneric(c, argv, true, true);
}

export function persistCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  if (db.lookupWrite(key) !== undefined && db.persist(key)) {
    const s = c.server;
    s.keyModified(db, key);
    s.notify(db, 'persist', key, NOTIFY.GENERIC);
    s.dirty++;
    return c.reply.int(1);
  }
  c.reply.int(0);
}

// ---------------------------------------------------------------- OBJECT

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

function lfuPolicy(c: Client): boolean {
  return c.server.config.get('maxmemory-policy').includes('lfu');
}

/** objectCommandLookupOrReply: lookupKeyReadWithFlags(NOTOUCH|NONOTIFY), so hit/miss stats but no touch or keymiss. */
function objectLookup(c: Client, arg: Buffer): RObj | undefined {
  const o = c.db.peek(keyStr(arg));
  const st = c.server.stats;
  if (o === undefined) {
    st.keyspaceMisses++;
    c.reply.null();
  } else st.keyspaceHits++;
  return o;
}

export function objectHelpCommand(c: Client, argv: Buffer[]): void {
  c.reply.arrayLen(OBJECT_HELP.length + 3);
  c.reply.simple(`${argv[0].latin1Slice(0, argv[0].length).toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of OBJECT_HELP) c.reply.simple(l);
  c.reply.simple('HELP');
  c.reply.simple('    Prints this help.');
}

export function objectEncodingCommand(c: Client, argv: Buffer[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  c.reply.bulkStr(objectEncoding(o));
}

export function objectRefcountCommand(c: Client, argv: Buffer[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  c.reply.int(isSharedInteger(c, o) ? OBJ_SHARED_REFCOUNT : 1);
}

export function objectIdletimeCommand(c: Client, argv: Buffer[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  if (lfuPolicy(c)) {
    return c.reply.error(E.OBJECT_IDLETIME_LFU);
  }
  c.reply.int(Math.floor(objectIdleMs(c.server, o) / 1000));
}

export function objectFreqCommand(c: Client, argv: Buffer[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  if (!lfuPolicy(c)) {
    return c.reply.error(E.OBJECT_FREQ_NOT_LFU);
  }
  c.reply.int(lfuCounter(c, o));
}

/** OBJECT FREQ: LFUDecrAndReturn over the object's LFU data. */
function lfuCounter(c: Client, o: RObj): number {
  return lfuDecrAndReturn(c.server.hot, o.lru);
}

export const handlers: Record<string, Handler> = {
  del: delCommand,
  unlink: unlinkCommand,
  exists: existsCommand,
  type: typeCommand,
  touch: touchCommand,
  rename: renameCommand,
  renamenx: renamenxCommand,
  move: moveCommand,
  copy: copyCommand,
  keys: keysCommand,
  randomkey: randomkeyCommand,
  scan: scanCommand,
  expire: expireCommand,
  pexpire: pexpireCommand,
  expireat: expireatCommand,
  pexpireat: pexpireatCommand,
  ttl: ttlCommand,
  pttl: pttlCommand,
  expiretime: expiretimeCommand,
  pexpiretime: pexpiretimeCommand,
  persist: persistCommand,
  'object|help': objectHelpCommand,
  'object|encoding': objectEncodingCommand,
  'object|refcount': objectRefcountCommand,
  'object|idletime': objectIdletimeCommand,
  'object|freq': objectFreqCommand,
};
