// List commands, blocking list pops included (Redis: t_list.c).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { keyStr, keyBuf, type Db, type RObj } from '../store/db.js';
import { Deque, newListObject, toElem, replyElem, elemKey, elemEquals, type Elem } from '../store/list.js';
import { E } from '../errors.js';
import { NOTIFY } from '../server/notify.js';
import { getBigIntOrReply, getLongLongOrReply, getPositiveLongOrReply, getRangeLongOrReply, LONG_MAX } from './args.js';
import { eqi } from '../util/parse.js';
import { mayBlock, parseTimeout } from '../server/blocking.js';
import { rewriteArgv, alsoPropagate, llArg } from '../replication/propagate.js';

const HEAD = 0;
const TAIL = 1;
type Where = 0 | 1;

function listOf(o: RObj): Deque {
  return o.value as Deque;
}

/** pushGenericCommand */
function pushGeneric(c: Client, argv: Buffer[], where: Where, xx: boolean): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  let o = db.lookupWrite(key);
  if (o !== undefined && o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  if (o === undefined) {
    if (xx) return c.reply.int(0);
    o = newListObject();
    db.add(key, o);
  }
  const l = listOf(o);
  if (where === HEAD) for (let j = 2; j < argv.length; j++) l.pushHead(toElem(argv[j]));
  else for (let j = 2; j < argv.length; j++) l.pushTail(toElem(argv[j]));
  const server = c.server;
  server.dirty += argv.length - 2;
  c.reply.int(l.length);
  server.keyModified(db, key);
  server.notify(db, where === HEAD ? 'lpush' : 'rpush', key, NOTIFY.LIST);
}

/** listElementsRemoved: notifications, deletion of an emptied list, WATCH, dirty. Returns true if the key was deleted. */
function elementsRemoved(c: Client, db: Db, key: string, where: Where, o: RObj, count: number): boolean {
  const server = c.server;
  server.notify(db, where === HEAD ? 'lpop' : 'rpop', key, NOTIFY.LIST);
  let deleted = false;
  if (listOf(o).length === 0) {
    deleted = true;
    db.delete(key);
    server.notify(db, 'del', key, NOTIFY.GENERIC);
  }
  server.keyModified(db, key);
  server.dirty += count;
  return deleted;
}

/** addListRangeReply */
function replyRange(c: Client, l: Deque, start: number, end: number, reverse: boolean): void {
  const llen = l.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return c.reply.emptyArray();
  if (end >= llen) end = llen - 1;
  const n = end - start + 1;
  const r = c.reply;
  r.arrayLen(n);
  if (reverse) for (let i = end; i >= start; i--) replyElem(r, l.get(i)!);
  else for (let i = start; i <= end; i++) replyElem(r, l.get(i)!);
}

/** listPopRangeAndReplyWithKey */
function popRangeWithKey(c: Client, db: Db, o: RObj, key: string, keyArg: Buffer | string, where: Where, count: number): boolean {
  const l = listOf(o);
  const rangelen = Math.min(count, l.length);
  c.reply.arrayLen(2);
  if (typeof keyArg === 'string') c.reply.bulkStr(keyArg);
  else c.reply.bulk(keyArg);
  if (where === HEAD) replyRange(c, l, 0, rangelen - 1, false);
  else replyRange(c, l, -rangelen, -1, true);
  if (where === HEAD) l.dropHead(rangelen);
  else l.dropTail(rangelen);
  return elementsRemoved(c, db, key, where, o, rangelen);
}

function popGeneric(c: Client, argv: Buffer[], where: Where): void {
  const hascount = argv.length === 3;
  let count = 0;
  if (argv.length > 3) return c.reply.error(E.wrongArity(c.cmd!.fullname));
  if (hascount) {
    const v = getPositiveLongOrReply(c, argv[2]);
    if (v === null) return;
    count = v;
  }
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  if (o === undefined) return hascount ? c.reply.nullArray() : c.reply.null();
  if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  if (hascount && count === 0) return c.reply.emptyArray();
  const l = listOf(o);
  if (!hascount) {
    const v = where === HEAD ? l.popHead()! : l.popTail()!;
    replyElem(c.reply, v);
    elementsRemoved(c, db, key, where, o, 1);
    return;
  }
  const rangelen = Math.min(count, l.length);
  if (where === HEAD) replyRange(c, l, 0, rangelen - 1, false);
  else replyRange(c, l, -rangelen, -1, true);
  if (where === HEAD) l.dropHead(rangelen);
  else l.dropTail(rangelen);
  elementsRemoved(c, db, key, where, o, rangelen);
}

function lrangeCommand(c: Client, argv: Buffer[]): void {
  const start = getLongLongOrReply(c, argv[2]);
  if (start === null) return;
  const end = getLongLongOrReply(c, argv[3]);
  if (end === null) return;
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.emptyArray();
  if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  replyRange(c, listOf(o), start, end, false);
}

function ltrimCommand(c: Client, argv: Buffer[]): void {
  let start = getLongLongOrReply(c, argv[2]);
  if (start === null) return;
  let end = getLongLongOrReply(c, argv[3]);
  if (end === null) return;
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  if (o === undefined) return c.reply.ok();
  if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  const l = listOf(o);
  const llen = l.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  let ltrim: number;
  let rtrim: number;
  if (start > end || start >= llen) {
    ltrim = llen;
    rtrim = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrim = start;
    rtrim = llen - end - 1;
  }
  l.dropHead(ltrim);
  l.dropTail(rtrim);
  const server = c.server;
  server.notify(db, 'ltrim', key, NOTIFY.LIST);
  if (l.length === 0) {
    db.delete(key);
    server.notify(db, 'del', key, NOTIFY.GENERIC);
  }
  server.keyModified(db, key);
  server.dirty += ltrim + rtrim;
  c.reply.ok();
}

function llenCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  c.reply.int(listOf(o).length);
}

function lindexCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.null();
  if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  let index = getLongLongOrReply(c, argv[2]);
  if (index === null) return;
  const l = listOf(o);
  if (index < 0) index = l.length + index;
  const v = l.get(index);
  if (v === undefined) return c.reply.null();
  replyElem(c.reply, v);
}

function lsetCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  if (o === undefined) return c.reply.error(E.NOKEY);
  if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  let index = getLongLongOrReply(c, argv[2]);
  if (index === null) return;
  const l = listOf(o);
  if (index < 0) index = l.length + index;
  if (index < 0 || index >= l.length) return c.reply.error(E.OUT_OF_RANGE_INDEX);
  l.set(index, toElem(argv[3]));
  c.reply.ok();
  const server = c.server;
  server.keyModified(db, key);
  server.notify(db, 'lset', key, NOTIFY.LIST);
  server.dirty++;
}

function linsertCommand(c: Client, argv: Buffer[]): void {
  let after: boolean;
  if (eqi(argv[2], 'after')) after = true;
  else if (eqi(argv[2], 'before')) after = false;
  else return c.reply.error(E.SYNTAX);
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  const l = listOf(o);
  const pivot = elemKey(argv[3]);
  let idx = -1;
  for (let i = 0; i < l.length; i++) {
    if (elemEquals(l.get(i)!, pivot)) {
      idx = i;
      break;
    }
  }
  if (idx < 0) return c.reply.int(-1);
  l.insert(after ? idx + 1 : idx, toElem(argv[4]));
  const server = c.server;
  server.keyModified(db, key);
  server.notify(db, 'linsert', key, NOTIFY.LIST);
  server.dirty++;
  c.reply.int(l.length);
}

/** marker for a RANK of exactly LONG_MIN (distinct from -(2^63-1), which rounds to the same double) */
const LONG_MIN_NUM = Number.NEGATIVE_INFINITY;

function lposCommand(c: Client, argv: Buffer[]): void {
  const ele = elemKey(argv[2]);
  let tail = true;
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (eqi(argv[j], 'rank') && more) {
      j++;
      const big = getBigIntOrReply(c, argv[j]);
      if (big === null) return;
      const v = big === -9223372036854775808n ? LONG_MIN_NUM : Number(big);
      if (v === 0) {
        return c.reply.error(E.LPOS_RANK_ZERO);
      }
      rank = v;
    } else if (eqi(argv[j], 'count') && more) {
      j++;
      const v = getPositiveLongOrReply(c, argv[j], E.LPOS_COUNT_NEGATIVE);
      if (v === null) return;
      count = v;
    } else if (eqi(argv[j], 'maxlen') && more) {
      j++;
      const v = getPositiveLongOrReply(c, argv[j], E.LPOS_MAXLEN_NEGATIVE);
      if (v === null) return;
      maxlen = v;
    } else return c.reply.error(E.SYNTAX);
  }
  if (rank < 0) {
    // -LONG_MIN overflows in C and stays negative: every match then satisfies "matches >= rank".
    if (rank !== LONG_MIN_NUM) rank = -rank;
    else rank = -Infinity;
    tail = false;
  }
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return count !== -1 ? c.reply.emptyArray() : c.reply.null();
  if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  const l = listOf(o);
  const llen = l.length;
  const results: number[] = [];
  let matches = 0;
  let matchindex = -1;
  for (let index = 0; index < llen && (maxlen === 0 || index < maxlen); index++) {
    const pos = tail ? index : llen - index - 1;
    if (elemEquals(l.get(pos)!, ele)) {
      matches++;
      if (matches >= rank) {
        if (count !== -1) {
          results.push(pos);
          if (count && rank !== LONG_MIN_NUM && matches - rank + 1 >= count) break;
        } else {
          matchindex = pos;
          break;
        }
      }
    }
  }
  if (count !== -1) {
    c.reply.arrayLen(results.length);
    for (const p of results) c.reply.int(p);
  } else if (matchindex !== -1) c.reply.int(matchindex);
  else c.reply.null();
}

function lremCommand(c: Client, argv: Buffer[]): void {
  let toremove = getLongLongOrReply(c, argv[2]);
  if (toremove === null) return;
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  const l = listOf(o);
  const ele = elemKey(argv[3]);
  let removed = 0;
  if (toremove < 0) {
    toremove = -toremove;
    // From the tail: find the indexes to drop first.
    const drop = new Set<number>();
    for (let i = l.length - 1; i >= 0; i--) {
      if (elemEquals(l.get(i)!, ele)) {
        drop.add(i);
        if (drop.size === toremove) break;
      }
    }
    if (drop.size) removed = l.filter((_v, i) => !drop.has(i));
  } else {
    const limit = toremove;
    removed = l.filter(v => {
      if ((limit === 0 || removed < limit) && elemEquals(v, ele)) {
        removed++;
        return false;
      }
      return true;
    });
  }
  const server = c.server;
  server.dirty += removed;
  if (removed) {
    server.keyModified(db, key);
    server.notify(db, 'lrem', key, NOTIFY.LIST);
  }
  if (l.length === 0) {
    db.delete(key);
    server.notify(db, 'del', key, NOTIFY.GENERIC);
  }
  c.reply.int(removed);
}

/** lmoveHandlePush: pushes to the destination (creating it), notifies, and replies the value. */
function lmoveHandlePush(c: Client, db: Db, dstkey: string, dst: RObj | undefined, value: Elem, whereto: Where): void {
  if (dst === undefined) {
    dst = newListObject();
    db.add(dstkey, dst);
  }
  const server = c.server;
  server.keyModified(db, dstkey);
  if (whereto === HEAD) listOf(dst).pushHead(value);
  else listOf(dst).pushTail(value);
  server.notify(db, whereto === HEAD ? 'lpush' : 'rpush', dstkey, NOTIFY.LIST);
  replyElem(c.reply, value);
}

function parseWhere(c: Client, arg: Buffer): Where | null {
  if (eqi(arg, 'right')) return TAIL;
  if (eqi(arg, 'left')) return HEAD;
  c.reply.error(E.SYNTAX);
  return null;
}

/** lmoveGenericCommand */
function lmoveGeneric(c: Client, argv: Buffer[], wherefrom: Where, whereto: Where): void {
  const db = c.db;
  const srckey = keyStr(argv[1]);
  const src = db.lookupWrite(srckey);
  if (src === undefined) return c.reply.null();
  if (src.type !== 'list') return c.reply.error(E.WRONGTYPE);
  const l = listOf(src);
  if (l.length === 0) return c.reply.null();
  const dstkey = keyStr(argv[2]);
  const dst = db.lookupWrite(dstkey);
  if (dst !== undefined && dst.type !== 'list') return c.reply.error(E.WRONGTYPE);
  const value = wherefrom === HEAD ? l.popHead()! : l.popTail()!;
  lmoveHandlePush(c, db, dstkey, dst, value, whereto);
  const server = c.server;
  server.notify(db, wherefrom === HEAD ? 'lpop' : 'rpop', srckey, NOTIFY.LIST);
  if (l.length === 0) {
    db.delete(srckey);
    server.notify(db, 'del', srckey, NOTIFY.GENERIC);
  }
  server.keyModified(db, srckey);
  server.dirty++;
}

function lmoveCommand(c: Client, argv: Buffer[]): void {
  const from = parseWhere(c, argv[3]);
  if (from === null) return;
  const to = parseWhere(c, argv[4]);
  if (to === null) return;
  lmoveGeneric(c, argv, from, to);
}

function rpoplpushCommand(c: Client, argv: Buffer[]): void {
  lmoveGeneric(c, argv, TAIL, HEAD);
}

// ---------- blocking pops ----------

interface ListBlockData {
  where: Where;
  whereto: Where;
  /** -1 for BLPOP/BRPOP, else BLMPOP's count */
  count: number;
  /** BLMOVE / BRPOPLPUSH destination */
  target: string | null;
  /** BRPOPLPUSH (propagated as RPOPLPUSH rather than LMOVE) */
  rpoplpush?: boolean;
}

/** serveClientBlockedOnList */
function serveBlockedList(c: Client, key: string, o: RObj, d: ListBlockData): boolean {
  const db = c.db;
  const server = c.server;
  const l = listOf(o);
  const kb = keyBuf(key);
  if (d.target === null) {
    const pop = d.where === HEAD ? 'LPOP' : 'RPOP';
    if (d.count !== -1) {
      // propagated as [LR]POP key count
      alsoPropagate(server, db.id, [pop, kb, llArg(Math.min(d.count, l.length))]);
      popRangeWithKey(c, db, o, key, key, d.where, d.count);
      return true;
    }
    alsoPropagate(server, db.id, [pop, kb]);
    const value = d.where === HEAD ? l.popHead()! : l.popTail()!;
    c.reply.arrayLen(2);
    c.reply.bulkStr(key);
    replyElem(c.reply, value);
    server.notify(db, d.where === HEAD ? 'lpop' : 'rpop', key, NOTIFY.LIST);
  } else {
    const dst = db.lookupWrite(d.target);
    if (dst !== undefined && dst.type !== 'list') {
      c.reply.error(E.WRONGTYPE);
    } else {
      const value = d.where === HEAD ? l.popHead()! : l.popTail()!;
      lmoveHandlePush(c, db, d.target, dst, value, d.whereto);
      const side = (w: Where) => (w === HEAD ? 'left' : 'right');
      alsoPropagate(server, db.id, d.rpoplpush ? ['RPOPLPUSH', kb, keyBuf(d.target)] : ['LMOVE', kb, keyBuf(d.target), side(d.where), side(d.whereto)]);
      server.notify(db, d.where === TAIL ? 'rpop' : 'lpop', key, NOTIFY.LIST);
    }
  }
  if (l.length === 0) {
    db.delete(key);
    server.notify(db, 'del', key, NOTIFY.GENERIC);
  }
  return true;
}

/** blockingPopGenericCommand */
function blockingPopGeneric(c: Client, keys: Buffer[], where: Where, timeoutArg: Buffer, count: number): void {
  const timeout = parseTimeout(c, timeoutArg);
  if (timeout === null) return;
  const db = c.db;
  for (const kb of keys) {
    const key = keyStr(kb);
    const o = db.lookupWrite(key);
    if (o === undefined) continue;
    if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
    const l = listOf(o);
    if (l.length === 0) continue;
    if (count !== -1) {
      rewriteArgv(c, [where === HEAD ? 'LPOP' : 'RPOP', kb, llArg(Math.min(count, l.length))]);
      popRangeWithKey(c, db, o, key, kb, where, count);
      return;
    }
    const value = where === HEAD ? l.popHead()! : l.popTail()!;
    c.reply.arrayLen(2);
    c.reply.bulk(kb);
    replyElem(c.reply, value);
    elementsRemoved(c, db, key, where, o, 1);
    // propagated as [LR]POP instead of B[LR]POP
    rewriteArgv(c, [where === HEAD ? 'LPOP' : 'RPOP', kb]);
    return;
  }
  if (!mayBlock(c)) return c.reply.nullArray();
  const data: ListBlockData = { where, whereto: HEAD, count, target: null };
  c.server.blocking.block(c, {
    type: 'list',
    keys: keys.map(keyStr),
    timeout,
    serve: (rc, key, obj) => serveBlockedList(rc, key, obj, data),
    data,
  });
}

function blpopCommand(c: Client, argv: Buffer[]): void {
  blockingPopGeneric(c, argv.slice(1, -1), HEAD, argv[argv.length - 1], -1);
}

function brpopCommand(c: Client, argv: Buffer[]): void {
  blockingPopGeneric(c, argv.slice(1, -1), TAIL, argv[argv.length - 1], -1);
}

function blmoveGeneric(c: Client, argv: Buffer[], wherefrom: Where, whereto: Where, timeout: number): void {
  const db = c.db;
  const o = db.lookupWrite(keyStr(argv[1]));
  if (o !== undefined && o.type !== 'list') return c.reply.error(E.WRONGTYPE);
  if (o === undefined) {
    if (!mayBlock(c)) return c.reply.null();
    const data: ListBlockData = { where: wherefrom, whereto, count: -1, target: keyStr(argv[2]), rpoplpush: argv.length === 4 };
    c.server.blocking.block(c, {
      type: 'list',
      keys: [keyStr(argv[1])],
      timeout,
      serve: (rc, key, obj) => serveBlockedList(rc, key, obj, data),
      data,
    });
    return;
  }
  lmoveGeneric(c, argv, wherefrom, whereto);
  rewriteArgv(c, argv.length === 4 ? ['RPOPLPUSH', argv[1], argv[2]] : ['LMOVE', argv[1], argv[2], argv[3], argv[4]]);
}

function blmoveCommand(c: Client, argv: Buffer[]): void {
  const from = parseWhere(c, argv[3]);
  if (from === null) return;
  const to = parseWhere(c, argv[4]);
  if (to === null) return;
  const timeout = parseTimeout(c, argv[5]);
  if (timeout === null) return;
  blmoveGeneric(c, argv, from, to, timeout);
}

function brpoplpushCommand(c: Client, argv: Buffer[]): void {
  const timeout = parseTimeout(c, argv[3]);
  if (timeout === null) return;
  blmoveGeneric(c, argv, TAIL, HEAD, timeout);
}

/** lmpopGenericCommand */
function lmpopGeneric(c: Client, argv: Buffer[], numkeysIdx: number, block: boolean): void {
  const numkeys = getRangeLongOrReply(c, argv[numkeysIdx], 1, LONG_MAX, E.NUMKEYS_GT0);
  if (numkeys === null) return;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) return c.reply.error(E.SYNTAX);
  const where = parseWhere(c, argv[whereIdx]);
  if (where === null) return;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && eqi(argv[j], 'count') && more) {
      j++;
      const v = getRangeLongOrReply(c, argv[j], 1, LONG_MAX, E.COUNT_GT0);
      if (v === null) return;
      count = v;
    } else return c.reply.error(E.SYNTAX);
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, numkeysIdx + 1 + numkeys);
  if (block) return blockingPopGeneric(c, keys, where, argv[1], count);
  // mpopGenericCommand
  const db = c.db;
  for (const kb of keys) {
    const key = keyStr(kb);
    const o = db.lookupWrite(key);
    if (o === undefined) continue;
    if (o.type !== 'list') return c.reply.error(E.WRONGTYPE);
    const llen = listOf(o).length;
    if (llen === 0) continue;
    popRangeWithKey(c, db, o, key, kb, where, count);
    // propagated as [LR]POP key count
    rewriteArgv(c, [where === HEAD ? 'LPOP' : 'RPOP', kb, llArg(Math.min(count, llen))]);
    return;
  }
  c.reply.nullArray();
}

export const handlers: Record<string, Handler> = {
  lpush: (c, argv) => pushGeneric(c, argv, HEAD, false),
  rpush: (c, argv) => pushGeneric(c, argv, TAIL, false),
  lpushx: (c, argv) => pushGeneric(c, argv, HEAD, true),
  rpushx: (c, argv) => pushGeneric(c, argv, TAIL, true),
  lpop: (c, argv) => popGeneric(c, argv, HEAD),
  rpop: (c, argv) => popGeneric(c, argv, TAIL),
  llen: llenCommand,
  lrange: lrangeCommand,
  lindex: lindexCommand,
  lset: lsetCommand,
  linsert: linsertCommand,
  lrem: lremCommand,
  ltrim: ltrimCommand,
  lpos: lposCommand,
  lmove: lmoveCommand,
  rpoplpush: rpoplpushCommand,
  lmpop: (c, argv) => lmpopGeneric(c, argv, 1, false),
  blpop: blpopCommand,
  brpop: brpopCommand,
  blmove: blmoveCommand,
  brpoplpush: brpoplpushCommand,
  blmpop: (c, argv) => lmpopGeneric(c, argv, 2, true),
};
