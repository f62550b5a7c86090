// shared stream parsing, replies and consumer-group primitives for the stream command files (Redis: t_stream.c).
import { alsoPropagate, propagating } from '../replication/propagate.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { keyStr, type Db, RObj } from '../store/db.js';
import { NOTIFY } from '../server/notify.js';
import { string2llBig } from '../util/parse.js';
import {
  Stream,
  StreamEntry,
  ConsumerGroup,
  Consumer,
  Nack,
  U64_MAX,
  INVALID_ENTRIES_READ,
  cmpID,
  incrID,
  decrID,
  idText,
  type SID,
  type U64,
  u64,
} from '../store/stream.js';

const U64 = 18446744073709551616n;
export const MAX_ID: SID = { ms: U64_MAX, seq: U64_MAX };

// ---------- helpers ----------

import { cstr } from './server-common.js';
export { cstr };

/** strtoull(s, &end, 10) consuming the whole string; null on failure (EINVAL/ERANGE/leftover). */
function strtoull(s: string): bigint | null {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const digits = s.slice(i);
  if (digits.length === 0 || !/^[0-9]+$/.test(digits)) return null;
  const v = BigInt(digits);
  if (v > U64_MAX) return null;
  return neg && v !== 0n ? U64 - v : v;
}

/** util.c string2ull */
function string2ull(s: string): bigint | null {
  const b = Buffer.from(s, 'latin1');
  const ll = string2llBig(b);
  if (ll !== null) return ll < 0n ? null : ll;
  if (s.length === 0) return null;
  return strtoull(s);
}

export interface ParsedID extends SID {
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply. `c` null: no reply. `allowSeqStar` enables the `<ms>-*` form (XADD).
 */
export function parseID(c: Client | null, arg: Buffer, missingSeq: U64, strict: boolean, allowSeqStar = false): ParsedID | null {
  const fail = () => {
    if (c) c.reply.error(E.STREAM_INVALID_ID);
    return null;
  };
  if (arg.length > 127) return fail();
  // fast path: "<ms>" or "<ms>-<seq>" with plain decimals (no sign, no leading zero, at most 15 digits)
  const n = arg.length;
  let i = 0;
  let ms = 0;
  const d0 = arg[0];
  if (d0 === 48) i = 1;
  else if (d0 >= 49 && d0 <= 57) {
    for (; i < n && i < 15; i++) {
      const d = arg[i] - 48;
      if (d < 0 || d > 9) break;
      ms = ms * 10 + d;
    }
  }
  if (i > 0 && (i === n || arg[i] === 45)) {
    if (i === n) return { ms, seq: missingSeq, seqGiven: true };
    let j = i + 1;
    let seq = 0;
    const s0 = arg[j];
    if (s0 === 48) j++;
    else if (s0 >= 49 && s0 <= 57) {
      const lim = j + 15;
      for (; j < n && j < lim; j++) {
        const d = arg[j] - 48;
        if (d < 0 || d > 9) break;
        seq = seq * 10 + d;
      }
    }
    if (j === n && j > i + 1) return { ms, seq, seqGiven: true };
  }
  const s = cstr(arg);
  if (strict && (s === '-' || s === '+')) return fail();
  if (s === '-') return { ms: 0, seq: 0, seqGiven: true };
  if (s === '+') return { ms: U64_MAX, seq: U64_MAX, seqGiven: true };
  const dash = s.indexOf('-');
  const msPart = dash < 0 ? s : s.slice(0, dash);
  const msb = string2ull(msPart);
  if (msb === null) return fail();
  let seq: U64;
  let seqGiven = true;
  if (dash >= 0) {
    const rest = s.slice(dash + 1);
    if (allowSeqStar && rest === '*') {
      seq = 0;
      seqGiven = false;
    } else {
      const v = string2ull(rest);
      if (v === null) return fail();
      seq = u64(v);
    }
  } else seq = missingSeq;
  return { ms: u64(msb), seq, seqGiven };
}

/** streamParseIntervalIDOrReply */
export function parseIntervalID(c: Client, arg: Buffer, missingSeq: U64): { id: SID; ex: boolean } | null {
  const ex = arg.length > 1 && arg[0] === 40; /* ( */
  const id = ex ? parseID(c, arg.subarray(1), missingSeq, true) : parseID(c, arg, missingSeq, false);
  if (id === null) return null;
  return { id, ex };
}

/** The start of an interval (`(` makes it exclusive: the next ID); null after replying an error. */
export function parseRangeStart(c: Client, arg: Buffer): SID | null {
  const p = parseIntervalID(c, arg, 0);
  if (p === null) return null;
  if (!p.ex) return p.id;
  const n = incrID(p.id);
  if (n === null) c.reply.error(E.STREAM_INVALID_START_ID);
  return n;
}

/** The end of an interval (`(` makes it exclusive: the previous ID); null after replying an error. */
export function parseRangeEnd(c: Client, arg: Buffer): SID | null {
  const p = parseIntervalID(c, arg, U64_MAX);
  if (p === null) return null;
  if (!p.ex) return p.id;
  const n = decrID(p.id);
  if (n === null) c.reply.error(E.STREAM_INVALID_END_ID);
  return n;
}

export function subcommandSyntaxError(c: Client, argv: Buffer[]): void {
  c.reply.errorSafe(E.unknownSubcommandOrArity(cstr(argv[1]).slice(0, 128), cstr(argv[0]).toUpperCase()));
}

export function streamOf(o: RObj): Stream {
  return o.value as Stream;
}

export function newStreamObj(): RObj {
  return new RObj('stream', new Stream(), 'stream');
}

export function replyEntry(c: Client, e: StreamEntry): void {
  c.reply.arrayLen(2);
  c.reply.raw(e.data);
}

/** Emits up to `count` (0 = all) live entries after `start`, as an array (collected first: no deferred length). */
export function replyRangeFrom(c: Client, s: Stream, start: SID, end: SID, count: number, rev: boolean): void {
  const out: StreamEntry[] = [];
  s.range(start.ms, start.seq, end.ms, end.seq, rev, e => (out.push(e), !(count && out.length === count)));
  c.reply.arrayLen(out.length);
  for (let i = 0; i < out.length; i++) replyEntry(c, out[i]);
}

export function noGroupKeyOrGroup(key: Buffer, group: Buffer, suffix = ''): string {
  return E.noGroupKeyOrGroup(cstr(key), cstr(group), suffix);
}

export function noSuchGroupForKey(key: Buffer, group: Buffer): string {
  return E.noSuchGroupForKey(cstr(group), cstr(key));
}

// ---------- consumer group primitives ----------

export function lookupGroup(s: Stream, name: string): ConsumerGroup | undefined {
  return s.groups ? s.groups.get(name) : undefined;
}

/** The group named `groupArg` of the stream `o`: undefined when the key or the group is missing, null after replying WRONGTYPE. */
export function lookupGroupOrReply(c: Client, o: RObj | undefined, groupArg: Buffer): ConsumerGroup | undefined | null {
  if (o === undefined) return undefined;
  if (o.type !== 'stream') {
    c.reply.error(E.WRONGTYPE);
    return null;
  }
  return lookupGroup(streamOf(o), keyStr(groupArg));
}

/** streamCreateConsumer (notifies xgroup-createconsumer, dirty++). */
export function createConsumer(c: Client, db: Db, key: string, g: ConsumerGroup, name: string): Consumer | null {
  if (g.consumers.has(name)) return null;
  const cons = new Consumer(name, Date.now());
  g.consumers.set(name, cons);
  c.server.dirty++;
  c.server.notify(db, 'xgroup-createconsumer', key, NOTIFY.STREAM);
  return cons;
}

/** streamLookupConsumer with refresh (SLC_DEFAULT) unless noRefresh. */
export function lookupConsumer(g: ConsumerGroup, name: string, noRefresh = false): Consumer | undefined {
  const cons = g.consumers.get(name);
  if (cons && !noRefresh) cons.seenTime = Date.now();
  return cons;
}

/**
 * streamReplyWithRange with a group (XREADGROUP '>' serving and the blocked path): emits entries after `start`,
 * updating last_id / entries_read and the PELs.
 */
export function replyRangeGroup(
  c: Client,
  s: Stream,
  start: SID,
  count: number,
  g: ConsumerGroup,
  cons: Consumer,
  noack: boolean,
  spi: StreamPropInfo,
): number {
  const prop = propagating(c.server);
  let propagateLastId = false;
  const out: StreamEntry[] = [];
  s.range(start.ms, start.seq, U64_MAX, U64_MAX, false, e => (out.push(e), !(count && out.length === count)));
  c.reply.arrayLen(out.length);
  const now = Date.now();
  for (let i = 0; i < out.length; i++) {
    const e = out[i];
    if (cmpID(e.ms, e.seq, g.lastMs, g.lastSeq) > 0) {
      if (g.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(e.ms, e.seq)) g.entriesRead++;
      else if (s.entriesAdded) g.entriesRead = s.estimateDistance(e.ms, e.seq);
      g.lastMs = e.ms;
      g.lastSeq = e.seq;
      // with NOACK the new last ID is propagated on its own, else by the XCLAIMs
      if (noack) propagateLastId = true;
    }
    replyEntry(c, e);
    if (!noack) {
      let nack = new Nack(e.ms, e.seq, now, 1, cons);
      if (!g.pel.insert(nack)) {
        const old = g.pel.find(e.ms, e.seq)!;
        if (old.consumer) old.consumer.pel.remove(e.ms, e.seq);
        old.consumer = cons;
        old.deliveryTime = now;
        old.deliveryCount = 1;
        cons.pel.insert(old);
        nack = old;
      } else cons.pel.insert(nack);
      if (prop) propagateXclaim(c, spi.key, g, spi.group, Buffer.from(e.id, 'latin1'), nack);
    }
  }
  if (prop && propagateLastId) propagateGroupId(c, spi.key, g, spi.group);
  return out.length;
}

/** The key and group name arguments as the command gave them (streamPropInfo). */
export interface StreamPropInfo {
  key: Buffer;
  group: Buffer;
}

/** streamPropagateXCLAIM: XCLAIM <key> <group> <consumer> 0 <id> TIME <ms> RETRYCOUNT <n> FORCE JUSTID LASTID <id> */
export function propagateXclaim(c: Client, key: Buffer, g: ConsumerGroup, group: Buffer, id: Buffer, nack: Nack): void {
  alsoPropagate(c.server, c.db.id, [
    'XCLAIM', key, group, nack.consumer!.name, '0', id, 'TIME', String(nack.deliveryTime),
    'RETRYCOUNT', String(nack.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', idText(g.lastMs, g.lastSeq),
  ]);
}

/** streamPropagateGroupID: XGROUP SETID <key> <group> <last id> ENTRIESREAD <n> */
export function propagateGroupId(c: Client, key: Buffer, g: ConsumerGroup, group: Buffer): void {
  alsoPropagate(c.server, c.db.id, ['XGROUP', 'SETID', key, group, idText(g.lastMs, g.lastSeq), 'ENTRIESREAD', String(g.entriesRead)]);
}

/** streamPropagateConsumerCreation: XGROUP CREATECONSUMER <key> <group> <consumer> */
export function propagateConsumerCreation(c: Client, key: Buffer, group: Buffer, consumer: string): void {
  alsoPropagate(c.server, c.db.id, ['XGROUP', 'CREATECONSUMER', key, group, consumer]);
}

/** streamReplyWithRangeFromConsumerPEL: history of one consumer. */
export function replyConsumerHistory(c: Client, s: Stream, start: SID, count: number, cons: Consumer): void {
  const out: Nack[] = [];
  cons.pel.forEachFrom(start.ms, start.seq, n => (out.push(n), !count || out.length < count));
  c.reply.arrayLen(out.length);
  const now = Date.now();
  for (const nack of out) {
    const e = s.get(nack.ms, nack.seq);
    if (e === undefined) {
      c.reply.arrayLen(2);
      c.reply.bulkStr(nack.id);
      c.reply.nullArray();
    } else {
      replyEntry(c, e);
      nack.deliveryTime = now;
      nack.deliveryCount++;
    }
  }
}

