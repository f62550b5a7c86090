// Hash commands (Redis: t_hash.c).
import { rewriteArgv } from '../replication/propagate.js';
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { keyStr, keyBuf, type RObj } from '../store/db.js';
import { toElem, replyElem, elemBuf, SMALL_ELEM, type Elem } from '../store/list.js';
import { memberToInt } from '../store/set.js';
import { HashValue, newHashObject } from '../store/hash.js';
import { E } from '../errors.js';
import { NOTIFY } from '../server/notify.js';
import { getBigIntOrReply } from './args.js';
import { eqi, string2llBig, stringMatch } from '../util/parse.js';
import { parseLongDouble, addLD, formatLDHuman, isFiniteLD, ldFromBigInt } from '../util/longdouble.js';
import { replyRandomMembers, type SampleSource } from './random-sample.js';
import { parseScanCursor, parseScanOptions, scanMap, replyScan } from '../store/scan.js';

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

function hv(o: RObj): HashValue {
  return o.value as HashValue;
}

/** hashTypeLookupWriteOrCreate: the hash at key (created if missing), or null after WRONGTYPE. */
function lookupWriteOrCreate(c: Client, key: string): RObj | null {
  let o = c.db.lookupWrite(key);
  if (o !== undefined) {
    if (o.type !== 'hash') {
      c.reply.error(E.WRONGTYPE);
      return null;
    }
    return o;
  }
  o = newHashObject();
  c.db.add(key, o);
  return o;
}

function maxValue(c: Client): number {
  return c.server.config.num('hash-max-listpack-value');
}

/** hashTypeTryConversion over argv[start..end] */
function tryConversion(c: Client, o: RObj, argv: Buffer[], start: number, end: number): void {
  if (o.enc !== 'listpack') return;
  const max = maxValue(c);
  for (let i = start; i <= end; i++) {
    if (argv[i].length > max) {
      o.enc = 'hashtable';
      return;
    }
  }
}

/** hashTypeSet: also converts for long fields/values (HINCRBY*) and for too many entries. Returns true if new. */
function hashSet(c: Client, o: RObj, field: string, value: Elem): boolean {
  if (o.enc === 'listpack') {
    const max = maxValue(c);
    if (field.length > max || value.length > max) o.enc = 'hashtable';
  }
  const isNew = hv(o).set(field, value);
  if (o.enc === 'listpack' && hv(o).size > c.server.config.num('hash-max-listpack-entries')) o.enc = 'hashtable';
  return isNew;
}

function hsetCommand(c: Client, argv: Buffer[]): void {
  if (argv.length % 2 === 1) return c.reply.error(E.wrongArity(c.cmd!.fullname));
  const key = keyStr(argv[1]);
  const o = lookupWriteOrCreate(c, key);
  if (o === null) return;
  tryConversion(c, o, argv, 2, argv.length - 1);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (hashSet(c, o, keyStr(argv[i]), toElem(argv[i + 1]))) created++;
  const n = argv[0];
  if (n[1] === 115 || n[1] === 83) c.reply.int(created);
  else c.reply.ok();
  const server = c.server;
  server.keyModified(c.db, key);
  server.notify(c.db, 'hset', key, NOTIFY.HASH);
  server.dirty += (argv.length - 2) / 2;
}

function hsetnxCommand(c: Client, argv: Buffer[]): void {
  const key = keyStr(argv[1]);
  const o = lookupWriteOrCreate(c, key);
  if (o === null) return;
  const field = keyStr(argv[2]);
  if (hv(o).has(field)) return c.reply.int(0);
  tryConversion(c, o, argv, 2, 3);
  hashSet(c, o, field, toElem(argv[3]));
  c.reply.int(1);
  const server = c.server;
  server.keyModified(c.db, key);
  server.notify(c.db, 'hset', key, NOTIFY.HASH);
  server.dirty++;
}

function hgetCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.null();
  if (o.type !== 'hash') return c.reply.error(E.WRONGTYPE);
  const v = hv(o).get(keyStr(argv[2]));
  if (v === undefined) c.reply.null();
  else replyElem(c.reply, v);
}

function hmgetCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o !== undefined && o.type !== 'hash') return c.reply.error(E.WRONGTYPE);
  const r = c.reply;
  r.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const v = o === undefined ? undefined : hv(o).get(keyStr(argv[i]));
    if (v === undefined) r.null();
    else replyElem(r, v);
  }
}

function hdelCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'hash') return c.reply.error(E.WRONGTYPE);
  const h = hv(o);
  let deleted = 0;
  let keyremoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (h.delete(keyStr(argv[j]))) {
      deleted++;
      if (h.size === 0) {
        db.delete(key);
        keyremoved = true;
        break;
      }
    }
  }
  if (deleted) {
    const server = c.server;
    server.keyModified(db, key);
    server.notify(db, 'hdel', key, NOTIFY.HASH);
    if (keyremoved) server.notify(db, 'del', key, NOTIFY.GENERIC);
    server.dirty += deleted;
  }
  c.reply.int(deleted);
}

function hlenCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'hash') return c.reply.error(E.WRONGTYPE);
  c.reply.int(hv(o).size);
}

function hstrlenCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'hash') return c.reply.error(E.WRONGTYPE);
  c.reply.int(hv(o).get(keyStr(argv[2]))?.length ?? 0);
}

function hexistsCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'hash') return c.reply.error(E.WRONGTYPE);
  c.reply.int(hv(o).has(keyStr(argv[2])) ? 1 : 0);
}

const KEYS = 1;
const VALS = 2;

function genericHgetall(c: Client, argv: Buffer[], what: number): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  const r = c.reply;
  if (o === undefined) return what === (KEYS | VALS) ? r.mapLen(0) : r.emptyArray();
  if (o.type !== 'hash') return r.error(E.WRONGTYPE);
  const h = hv(o);
  if (what === (KEYS | VALS)) r.mapLen(h.size);
  else r.arrayLen(h.size);
  for (const [k, e] of h.map) {
    if (what & KEYS) r.bulkStr(k);
    if (what & VALS) replyElem(r, e.v);
  }
}

function hincrbyCommand(c: Client, argv: Buffer[]): void {
  const incr = getBigIntOrReply(c, argv[3]);
  if (incr === null) return;
  const key = keyStr(argv[1]);
  const o = lookupWriteOrCreate(c, key);
  if (o === null) return;
  const field = keyStr(argv[2]);
  const cur = hv(o).get(field);
  let value = 0n;
  if (cur !== undefined) {
    const v = typeof cur === 'string' ? memberToInt(cur) : string2llBig(cur);
    if (v === null) return c.reply.error(E.HASH_NOT_INTEGER);
    value = v;
  }
  if ((incr < 0n && value < 0n && incr < INT64_MIN - value) || (incr > 0n && value > 0n && incr > INT64_MAX - value)) {
    return c.reply.error(E.INCR_OVERFLOW);
  }
  value += incr;
  hashSet(c, o, field, value.toString());
  c.reply.int(value);
  const server = c.server;
  server.keyModified(c.db, key);
  server.notify(c.db, 'hincrby', key, NOTIFY.HASH);
  server.dirty++;
}

function hincrbyfloatCommand(c: Client, argv: Buffer[]): void {
  const incr = parseLongDouble(argv[3]);
  if (incr === null) return c.reply.error(E.NOT_FLOAT);
  if (!isFiniteLD(incr)) return c.reply.error(E.NAN_OR_INFINITY);
  const key = keyStr(argv[1]);
  const o = lookupWriteOrCreate(c, key);
  if (o === null) return;
  const field = keyStr(argv[2]);
  const cur = hv(o).get(field);
  let value = ldFromBigInt(0n);
  if (cur !== undefined) {
    // Listpack integers are read back as long long; other texts through string2ld.
    const bytes = elemBuf(cur);
    const asInt = string2llBig(bytes);
    const v = asInt !== null ? ldFromBigInt(asInt) : parseLongDouble(bytes);
    if (v === null) return c.reply.error(E.HASH_NOT_FLOAT);
    value = v;
  }
  const sum = addLD(value, incr);
  if (!isFiniteLD(sum)) return c.reply.error(E.INCRFLOAT_NAN);
  const text = formatLDHuman(sum);
  hashSet(c, o, field, text.length <= SMALL_ELEM ? text : Buffer.from(text, 'latin1'));
  c.reply.bulkStr(text);
  const server = c.server;
  server.keyModified(c.db, key);
  server.notify(c.db, 'hincrbyfloat', key, NOTIFY.HASH);
  server.dirty++;
  // always propagated as HSET with the final value
  rewriteArgv(c, ['HSET', argv[1], argv[2], text]);
}

const EMPTY_SCAN = Buffer.from('*2\r\n$1\r\n0\r\n*0\r\n');

function hscanCommand(c: Client, argv: Buffer[]): void {
  const cursor = parseScanCursor(c, argv[2]);
  if (cursor === null) return;
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.raw(EMPTY_SCAN);
  if (o.type !== 'hash') return c.reply.error(E.WRONGTYPE);
  const opts = parseScanOptions(c, argv, 3, false);
  if (opts === null) return;
  const h = hv(o);
  const items: (Buffer | string)[] = [];
  const pat = opts.match;
  const visit = (k: string, e: { v: Elem }) => {
    if (pat !== null && !stringMatch(pat, keyBuf(k))) return;
    items.push(k, e.v);
  };
  let next = '0';
  if (o.enc === 'listpack') for (const [k, e] of h.map) visit(k, e);
  else next = scanMap(h.map, cursor, opts.count, visit);
  replyScan(c, next, items);
}

function replyField(c: Client, h: HashValue, k: string, withvalues: boolean): void {
  if (withvalues && c.resp === 3) c.reply.arrayLen(2);
  c.reply.bulkStr(k);
  if (withvalues) replyElem(c.reply, h.get(k)!);
}

function hrandfieldWithCount(c: Client, argv: Buffer[], l: number, withvalues: boolean): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.emptyArray();
  if (o.type !== 'hash') return c.reply.error(E.WRONGTYPE);
  const h = hv(o);
  const src: SampleSource = {
    size: h.size,
    random: () => h.randomField(),
    toArray: () => [...h.map.keys()],
    [Symbol.iterator]: () => h.map.keys(),
  };
  const perItem = withvalues && c.resp === 2 ? 2 : 1;
  replyRandomMembers(c, src, l >= 0 ? l : -l, l >= 0, perItem, k => replyField(c, h, k, withvalues));
}

function hrandfieldCommand(c: Client, argv: Buffer[]): void {
  if (argv.length >= 3) {
    const big = string2llBig(argv[2]);
    if (big === null) return c.reply.error(E.NOT_INTEGER);
    if (big < -INT64_MAX) return c.reply.error(E.VALUE_OUT_OF_RANGE_LLONG);
    let withvalues = false;
    if (argv.length > 4 || (argv.length === 4 && !eqi(argv[3], 'withvalues'))) return c.reply.error(E.SYNTAX);
    if (argv.length === 4) {
      withvalues = true;
      if (big < -INT64_MAX / 2n || big > INT64_MAX / 2n) return c.reply.error(E.VALUE_OUT_OF_RANGE);
    }
    return hrandfieldWithCount(c, argv, Number(big), withvalues);
  }
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.null();
  if (o.type !== 'hash') return c.reply.error(E.WRONGTYPE);
  c.reply.bulkStr(hv(o).randomField());
}

export const handlers: Record<string, Handler> = {
  hset: hsetCommand,
  hmset: hsetCommand,
  hsetnx: hsetnxCommand,
  hget: hgetCommand,
  hmget: hmgetCommand,
  hdel: hdelCommand,
  hlen: hlenCommand,
  hstrlen: hstrlenCommand,
  hexists: hexistsCommand,
  hkeys: (c, argv) => genericHgetall(c, argv, KEYS),
  hvals: (c, argv) => genericHgetall(c, argv, VALS),
  hgetall: (c, argv) => genericHgetall(c, argv, KEYS | VALS),
  hincrby: hincrbyCommand,
  hincrbyfloat: hincrbyfloatCommand,
  hscan: hscanCommand,
  hrandfield: hrandfieldCommand,
};
