// Set commands (Redis: t_set.c).
import { rewriteArgv, alsoPropagate, preventPropagation, propagating } from '../replication/propagate.js';
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { keyStr, keyBuf, RObj } from '../store/db.js';
import { SetValue, newSetObject, syncSetEnc } from '../store/set.js';
import { E } from '../errors.js';
import { NOTIFY } from '../server/notify.js';
import { getPositiveLongOrReply, getRangeLongOrReply, LONG_MAX } from './args.js';
import { eqi, string2llBig, stringMatch } from '../util/parse.js';
import { replyRandomMembers } from './random-sample.js';
import { parseScanCursor, parseScanOptions, scanMap, replyScan } from '../store/scan.js';

const INT64_MAX = 9223372036854775807n;

function sv(o: RObj): SetValue {
  return o.value as SetValue;
}

function maxIntset(c: Client): number {
  return c.server.config.num('set-max-intset-entries');
}

function newIntsetObject(): RObj {
  return new RObj('set', new SetValue(), 'intset');
}

function saddCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  let o = db.lookupWrite(key);
  if (o !== undefined && o.type !== 'set') return c.reply.error(E.WRONGTYPE);
  if (o === undefined) {
    o = newSetObject(keyStr(argv[2]));
    db.add(key, o);
  }
  const s = sv(o);
  const max = maxIntset(c);
  let added = 0;
  for (let j = 2; j < argv.length; j++) if (s.add(keyStr(argv[j]), max)) added++;
  syncSetEnc(o);
  const server = c.server;
  if (added) {
    server.keyModified(db, key);
    server.notify(db, 'sadd', key, NOTIFY.SET);
  }
  server.dirty += added;
  c.reply.int(added);
}

function sremCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'set') return c.reply.error(E.WRONGTYPE);
  const s = sv(o);
  let deleted = 0;
  let keyremoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (s.remove(keyStr(argv[j]))) {
      deleted++;
      if (s.size === 0) {
        db.delete(key);
        keyremoved = true;
        break;
      }
    }
  }
  if (deleted) {
    const server = c.server;
    server.keyModified(db, key);
    server.notify(db, 'srem', key, NOTIFY.SET);
    if (keyremoved) server.notify(db, 'del', key, NOTIFY.GENERIC);
    server.dirty += deleted;
  }
  c.reply.int(deleted);
}

function smoveCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const srckey = keyStr(argv[1]);
  const dstkey = keyStr(argv[2]);
  const src = db.lookupWrite(srckey);
  let dst = db.lookupWrite(dstkey);
  const ele = keyStr(argv[3]);
  if (src === undefined) return c.reply.int(0);
  if (src.type !== 'set' || (dst !== undefined && dst.type !== 'set')) return c.reply.error(E.WRONGTYPE);
  if (src === dst) return c.reply.int(sv(src).has(ele) ? 1 : 0);
  if (!sv(src).remove(ele)) return c.reply.int(0);
  const server = c.server;
  server.notify(db, 'srem', srckey, NOTIFY.SET);
  if (sv(src).size === 0) {
    db.delete(srckey);
    server.notify(db, 'del', srckey, NOTIFY.GENERIC);
  }
  if (dst === undefined) {
    dst = newSetObject(ele);
    db.add(dstkey, dst);
  }
  server.keyModified(db, srckey);
  server.dirty++;
  if (sv(dst).add(ele, maxIntset(c))) {
    syncSetEnc(dst);
    server.dirty++;
    server.keyModified(db, dstkey);
    server.notify(db, 'sadd', dstkey, NOTIFY.SET);
  }
  c.reply.int(1);
}

function sismemberCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'set') return c.reply.error(E.WRONGTYPE);
  c.reply.int(sv(o).has(keyStr(argv[2])) ? 1 : 0);
}

function smismemberCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o !== undefined && o.type !== 'set') return c.reply.error(E.WRONGTYPE);
  c.reply.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.reply.int(o !== undefined && sv(o).has(keyStr(argv[j])) ? 1 : 0);
}

function scardCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'set') return c.reply.error(E.WRONGTYPE);
  c.reply.int(sv(o).size);
}

function spopWithCount(c: Client, argv: Buffer[]): void {
  const l = getPositiveLongOrReply(c, argv[2]);
  if (l === null) return;
  let count = l;
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  if (o === undefined) return c.reply.setLen(0);
  if (o.type !== 'set') return c.reply.error(E.WRONGTYPE);
  if (count === 0) return c.reply.setLen(0);
  const s = sv(o);
  const size = s.size;
  const server = c.server;
  server.notify(db, 'spop', key, NOTIFY.SET);
  server.dirty += count >= size ? size : count;
  // CASE 1: the whole set (replied as SUNION of it would: rebuilt into a fresh intset-first set).
  if (count >= size) {
    const tmp = new SetValue();
    const max = maxIntset(c);
    for (const m of s) tmp.add(m, max);
    c.reply.setLen(tmp.size);
    for (const m of tmp) c.reply.bulkStr(m);
    db.delete(key);
    server.notify(db, 'del', key, NOTIFY.GENERIC);
    rewriteArgv(c, ['DEL', argv[1]]);
    server.keyModified(db, key);
    return;
  }
  // each popped member propagates as its own SREM, the command itself not at all
  const prop = propagating(server);
  const srem = (m: string) => prop && alsoPropagate(server, db.id, ['SREM', argv[1], m]);
  preventPropagation(c);
  c.reply.setLen(count);
  const remaining = size - count;
  if (remaining * 5 > count) {
    // CASE 2: pop random members one by one.
    while (count--) {
      const m = s.random();
      c.reply.bulkStr(m);
      s.remove(m);
      srem(m);
    }
  } else {
    // CASE 3: move the members that stay into a new set, reply with what is left of the old one.
    let newObj: RObj | null = null;
    const max = maxIntset(c);
    let left = remaining;
    while (left--) {
      const m = s.random();
      if (newObj === null) newObj = newSetObject(m);
      sv(newObj).add(m, max);
      s.remove(m);
    }
    for (const m of s) {
      c.reply.bulkStr(m);
      srem(m);
    }
    syncSetEnc(newObj!);
    o.value = newObj!.value;
  }
  syncSetEnc(o);
  server.keyModified(db, key);
}

function spopCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 3) return spopWithCount(c, argv);
  if (argv.length > 3) return c.reply.error(E.SYNTAX);
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  if (o === undefined) return c.reply.null();
  if (o.type !== 'set') return c.reply.error(E.WRONGTYPE);
  const s = sv(o);
  const m = s.random();
  s.remove(m);
  const server = c.server;
  server.notify(db, 'spop', key, NOTIFY.SET);
  rewriteArgv(c, ['SREM', argv[1], m]);
  c.reply.bulkStr(m);
  if (s.size === 0) {
    db.delete(key);
    server.notify(db, 'del', key, NOTIFY.GENERIC);
  }
  server.keyModified(db, key);
  server.dirty++;
}

function srandmemberWithCount(c: Client, argv: Buffer[]): void {
  const big = string2llBig(argv[2]);
  if (big === null) return c.reply.error(E.NOT_INTEGER);
  if (big < -INT64_MAX) {
    return c.reply.error(E.VALUE_OUT_OF_RANGE_LLONG);
  }
  const l = Number(big);
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.emptyArray();
  if (o.type !== 'set') return c.reply.error(E.WRONGTYPE);
  const r = c.reply;
  replyRandomMembers(c, sv(o), l >= 0 ? l : -l, l >= 0, 1, m => r.bulkStr(m));
}

function srandmemberCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 3) return srandmemberWithCount(c, argv);
  if (argv.length > 3) return c.reply.error(E.SYNTAX);
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.null();
  if (o.type !== 'set') return c.reply.error(E.WRONGTYPE);
  c.reply.bulkStr(sv(o).random());
}

/** Looks up the sets for SINTER/SUNION/SDIFF (lookupKeyRead). null after WRONGTYPE; missing keys are undefined. */
function lookupSets(c: Client, keys: Buffer[]): (RObj | undefined)[] | null {
  const out: (RObj | undefined)[] = [];
  for (const kb of keys) {
    const o = c.db.lookupRead(keyStr(kb));
    if (o !== undefined && o.type !== 'set') {
      c.reply.error(E.WRONGTYPE);
      return null;
    }
    out.push(o);
  }
  return out;
}

/** Stores a computed set at dstkey (or deletes dstkey when empty) and replies its size (the *STORE variants). */
function storeResult(c: Client, dstkey: string, dst: RObj, event: string): void {
  const db = c.db;
  const server = c.server;
  const n = sv(dst).size;
  if (n > 0) {
    syncSetEnc(dst);
    db.setKey(dstkey, dst);
    c.reply.int(n);
    server.notify(db, event, dstkey, NOTIFY.SET);
    server.dirty++;
  } else {
    c.reply.int(0);
    if (db.delete(dstkey)) {
      server.dirty++;
      server.keyModified(db, dstkey);
      server.notify(db, 'del', dstkey, NOTIFY.GENERIC);
    }
  }
}

/** sinterGenericCommand */
function sinterGeneric(c: Client, keys: Buffer[], dstkey: string | null, cardinalityOnly: boolean, limit: number): void {
  const found = lookupSets(c, keys);
  if (found === null) return;
  const db = c.db;
  const server = c.server;
  if (found.some(o => o === undefined)) {
    if (dstkey !== null) {
      if (db.delete(dstkey)) {
        server.keyModified(db, dstkey);
        server.notify(db, 'del', dstkey, NOTIFY.GENERIC);
        server.dirty++;
      }
      c.reply.int(0);
    } else if (cardinalityOnly) c.reply.int(0);
    else c.reply.setLen(0);
    return;
  }
  // Smallest first (qsort is not stable, but equal sizes give the same result set).
  const sets = (found as RObj[]).slice().sort((a, b) => sv(a).size - sv(b).size);
  const first = sets[0];
  const dst = dstkey !== null ? newIntsetObject() : null;
  const max = maxIntset(c);
  let cardinality = 0;
  let h = -1;
  if (dst === null && !cardinalityOnly) h = c.reply.deferLen();
  for (const m of sv(first)) {
    let all = true;
    for (let j = 1; j < sets.length; j++) {
      if (sets[j] === first) continue;
      if (!sv(sets[j]).has(m)) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    if (cardinalityOnly) {
      cardinality++;
      if (limit && cardinality >= limit) break;
    } else if (dst === null) {
      c.reply.bulkStr(m);
      cardinality++;
    } else sv(dst).add(m, max);
  }
  if (cardinalityOnly) c.reply.int(cardinality);
  else if (dst !== null) storeResult(c, dstkey!, dst, 'sinterstore');
  else c.reply.setDeferredSetLen(h, cardinality);
}

function sintercardCommand(c: Client, argv: Buffer[]): void {
  const numkeys = getRangeLongOrReply(c, argv[1], 1, LONG_MAX, E.NUMKEYS_GT0);
  if (numkeys === null) return;
  if (numkeys > argv.length - 2) return c.reply.error(E.NUMKEYS_GT_ARGS);
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (eqi(argv[j], 'limit') && more) {
      j++;
      const v = getPositiveLongOrReply(c, argv[j], E.LIMIT_NEGATIVE);
      if (v === null) return;
      limit = v;
    } else return c.reply.error(E.SYNTAX);
  }
  sinterGeneric(c, argv.slice(2, 2 + numkeys), null, true, limit);
}

/** sunionDiffGenericCommand */
function sunionDiffGeneric(c: Client, keys: Buffer[], dstkey: string | null, union: boolean): void {
  const found = lookupSets(c, keys);
  if (found === null) return;
  let sameset = false;
  for (let j = 1; j < found.length; j++) if (found[j] !== undefined && found[j] === found[0]) sameset = true;
  const dst = newIntsetObject();
  const d = sv(dst);
  const max = maxIntset(c);
  if (union) {
    for (const o of found) if (o !== undefined) for (const m of sv(o)) d.add(m, max);
  } else if (!sameset && found[0] !== undefined) {
    const others = found.slice(1).filter((o): o is RObj => o !== undefined);
    let one = 0;
    let two = 0;
    for (const o of found) {
      if (o === undefined) continue;
      one += sv(found[0]).size;
      two += sv(o).size;
    }
    one = Math.floor(one / 2);
    if (one <= two) {
      // Algorithm 1: members of the first set found in none of the others (bigger sets checked first).
      others.sort((a, b) => sv(b).size - sv(a).size);
      for (const m of sv(found[0])) {
        let keep = true;
        for (const o of others) {
          if (sv(o).has(m)) {
            keep = false;
            break;
          }
        }
        if (keep) d.add(m, max);
      }
    } else {
      // Algorithm 2: add the first set, remove every other.
      for (const m of sv(found[0])) d.add(m, max);
      for (const o of others) {
        if (d.size === 0) break;
        for (const m of sv(o)) d.remove(m);
      }
    }
  }
  if (dstkey === null) {
    c.reply.setLen(d.size);
    for (const m of d) c.reply.bulkStr(m);
  } else storeResult(c, dstkey, dst, union ? 'sunionstore' : 'sdiffstore');
}

const EMPTY_SCAN = Buffer.from('*2\r\n$1\r\n0\r\n*0\r\n');

function sscanCommand(c: Client, argv: Buffer[]): void {
  const cursor = parseScanCursor(c, argv[2]);
  if (cursor === null) return;
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.raw(EMPTY_SCAN);
  if (o.type !== 'set') return c.reply.error(E.WRONGTYPE);
  const opts = parseScanOptions(c, argv, 3, false);
  if (opts === null) return;
  const s = sv(o);
  const items: string[] = [];
  const pat = opts.match;
  const visit = (m: string) => {
    if (pat !== null && !stringMatch(pat, keyBuf(m))) return;
    items.push(m);
  };
  let next = '0';
  if (s.isIntset) for (const m of s) visit(m);
  else next = scanMap(s.index, cursor, opts.count, visit);
  replyScan(c, next, items);
}

export const handlers: Record<string, Handler> = {
  sadd: saddCommand,
  srem: sremCommand,
  smove: smoveCommand,
  sismember: sismemberCommand,
  smismember: smismemberCommand,
  scard: scardCommand,
  spop: spopCommand,
  srandmember: srandmemberCommand,
  smembers: (c, argv) => sinterGeneric(c, argv.slice(1), null, false, 0),
  sinter: (c, argv) => sinterGeneric(c, argv.slice(1), null, false, 0),
  sintercard: sintercardCommand,
  sinterstore: (c, argv) => sinterGeneric(c, argv.slice(2), keyStr(argv[1]), false, 0),
  sunion: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, true),
  sunionstore: (c, argv) => sunionDiffGeneric(c, argv.slice(2), keyStr(argv[1]), true),
  sdiff: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, false),
  sdiffstore: (c, argv) => sunionDiffGeneric(c, argv.slice(2), keyStr(argv[1]), false),
  sscan: sscanCommand,
};
