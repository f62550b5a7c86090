// streams commands (Redis: t_stream.c; blocking reads: blocked.c serveClientsBlockedOnStreamKey).
import type { Handler } from './table.js';
import { CF, type Client } from '../server/client.js';
import { E } from '../errors.js';
import { keyStr, type Db, type RObj } from '../store/db.js';
import { NOTIFY } from '../server/notify.js';
import { string2llBig, eqi } from '../util/parse.js';
import { getLongLongOrReply } from './args.js';
import { parseTimeout, mayBlock } from '../server/blocking.js';
import { replyHelp } from './pubsub.js';
import {
  Stream,
  StreamEntry,
  ConsumerGroup,
  Consumer,
  Nack,
  Pel,
  U64_MAX,
  INVALID_ENTRIES_READ,
  cmpID,
  idText,
  incrID,
  decrID,
  type SID,
  type TrimArgs,
  type U64,
  u64,
  dupStream,
} from '../store/stream.js';
import { registerCopier } from '../store/copy.js';

registerCopier('stream', o => ({ type: 'stream', value: dupStream(o.value as Stream), enc: o.enc, lru: 0 }));

const U64 = 18446744073709551616n;
const MAX_ID: SID = { ms: U64_MAX, seq: U64_MAX };

// ---------- helpers ----------

/** The argument as C sees it (%s): cut at the first NUL. */
function cstr(b: Buffer): string {
  const z = b.indexOf(0);
  return b.latin1Slice(0, z < 0 ? b.length : z);
}

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

const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';

interface ParsedID extends SID {
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply. `c` null: no reply. `allowSeqStar` enables the `<ms>-*` form (XADD).
 */
function parseID(c: Client | null, arg: Buffer, missingSeq: U64, strict: boolean, allowSeqStar = false): ParsedID | null {
  const fail = () => {
    if (c) c.reply.error(INVALID_ID);
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
function parseIntervalID(c: Client, arg: Buffer, missingSeq: U64): { id: SID; ex: boolean } | null {
  const ex = arg.length > 1 && arg[0] === 40; /* ( */
  const id = ex ? parseID(c, arg.subarray(1), missingSeq, true) : parseID(c, arg, missingSeq, false);
  if (id === null) return null;
  return { id, ex };
}

function subcommandSyntaxError(c: Client, argv: Buffer[]): void {
  c.reply.errorSafe(
    `ERR unknown subcommand or wrong number of arguments for '${cstr(argv[1]).slice(0, 128)}'. Try ${cstr(argv[0]).toUpperCase()} HELP.`,
  );
}

function streamOf(o: RObj): Stream {
  return o.value as Stream;
}

function newStreamObj(): RObj {
  return { type: 'stream', value: new Stream(), enc: 'stream', lru: 0 };
}

function replyEntry(c: Client, e: StreamEntry): void {
  c.reply.arrayLen(2);
  c.reply.raw(e.data);
}

/** Emits up to `count` (0 = all) live entries after `start`, as an array (collected first: no deferred length). */
function replyRangeFrom(c: Client, s: Stream, start: SID, end: SID, count: number, rev: boolean): void {
  const out: StreamEntry[] = [];
  s.range(start.ms, start.seq, end.ms, end.seq, rev, e => (out.push(e), !(count && out.length === count)));
  c.reply.arrayLen(out.length);
  for (let i = 0; i < out.length; i++) replyEntry(c, out[i]);
}

function noGroupKeyOrGroup(key: Buffer, group: Buffer, suffix = ''): string {
  return `NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(group)}'${suffix}`;
}

function nodeLimits(c: Client): [number, number] {
  const cfg = c.server.config;
  return [cfg.num('stream-node-max-entries'), cfg.num('stream-node-max-bytes')];
}

// ---------- consumer group primitives ----------

function lookupGroup(s: Stream, name: string): ConsumerGroup | undefined {
  return s.groups ? s.groups.get(name) : undefined;
}

/** streamCreateConsumer (notifies xgroup-createconsumer, dirty++). */
function createConsumer(c: Client, db: Db, key: string, g: ConsumerGroup, name: string): Consumer | null {
  if (g.consumers.has(name)) return null;
  const cons = new Consumer(name, Date.now());
  g.consumers.set(name, cons);
  c.server.dirty++;
  c.server.notify(db, 'xgroup-createconsumer', key, NOTIFY.STREAM);
  return cons;
}

/** streamLookupConsumer with refresh (SLC_DEFAULT) unless noRefresh. */
function lookupConsumer(g: ConsumerGroup, name: string, noRefresh = false): Consumer | undefined {
  const cons = g.consumers.get(name);
  if (cons && !noRefresh) cons.seenTime = Date.now();
  return cons;
}

/**
 * streamReplyWithRange with a group (XREADGROUP '>' serving and the blocked path): emits entries after `start`,
 * updating last_id / entries_read and the PELs.
 */
function replyRangeGroup(c: Client, s: Stream, start: SID, count: number, g: ConsumerGroup, cons: Consumer, noack: boolean): number {
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
    }
    replyEntry(c, e);
    if (!noack) {
      const nack = new Nack(e.ms, e.seq, now, 1, cons);
      if (!g.pel.insert(nack)) {
        const old = g.pel.find(e.ms, e.seq)!;
        if (old.consumer) old.consumer.pel.remove(e.ms, e.seq);
        old.consumer = cons;
        old.deliveryTime = now;
        old.deliveryCount = 1;
        cons.pel.insert(old);
      } else cons.pel.insert(nack);
    }
  }
  return out.length;
}

/** streamReplyWithRangeFromConsumerPEL: history of one consumer. */
function replyConsumerHistory(c: Client, s: Stream, start: SID, count: number, cons: Consumer): void {
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

// ---------- XADD / XTRIM argument parsing ----------

interface AddTrimArgs extends TrimArgs {
  noMkstream: boolean;
  id: ParsedID | null;
  idpos: number;
}

/** streamParseAddOrTrimArgsOrReply; null after replying an error. */
function parseAddTrimArgs(c: Client, argv: Buffer[], xadd: boolean): AddTrimArgs | null {
  const a: AddTrimArgs = {
    strategy: 'none',
    approx: false,
    limit: 0,
    maxlen: 0,
    minid: { ms: 0, seq: 0 },
    noMkstream: false,
    id: null,
    idpos: 0,
  };
  let limitGiven = false;
  let i = 2;
  const argc = argv.length;
  for (; i < argc; i++) {
    const moreargs = argc - 1 - i;
    const opt = argv[i];
    if (xadd && opt.length >= 1 && opt[0] === 42 && (opt.length === 1 || opt[1] === 0)) break;
    if (eqi(opt, 'maxlen') && moreargs) {
      if (a.strategy !== 'none') {
        c.reply.error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
        return null;
      }
      a.approx = false;
      const next = cstr(argv[i + 1]);
      if (moreargs >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && next === '=') i++;
      const v = getLongLongOrReply(c, argv[i + 1]);
      if (v === null) return null;
      if (v < 0) {
        c.reply.error('ERR The MAXLEN argument must be >= 0.');
        return null;
      }
      a.maxlen = v;
      i++;
      a.strategy = 'maxlen';
    } else if (eqi(opt, 'minid') && moreargs) {
      if (a.strategy !== 'none') {
        c.reply.error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
        return null;
      }
      a.approx = false;
      const next = cstr(argv[i + 1]);
      if (moreargs >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && next === '=') i++;
      const id = parseID(c, argv[i + 1], 0, true);
      if (id === null) return null;
      a.minid = id;
      i++;
      a.strategy = 'minid';
    } else if (eqi(opt, 'limit') && moreargs) {
      const v = getLongLongOrReply(c, argv[i + 1]);
      if (v === null) return null;
      if (v < 0) {
        c.reply.error('ERR The LIMIT argument must be >= 0.');
        return null;
      }
      a.limit = v;
      limitGiven = true;
      i++;
    } else if (xadd && eqi(opt, 'nomkstream')) {
      a.noMkstream = true;
    } else if (xadd) {
      const id = parseID(c, opt, 0, true, true);
      if (id === null) return null;
      a.id = id;
      break;
    } else {
      c.reply.error(E.SYNTAX);
      return null;
    }
  }
  if (a.limit && a.strategy === 'none') {
    c.reply.error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
    return null;
  }
  if (!xadd && a.strategy === 'none') {
    c.reply.error('ERR syntax error, XTRIM must be called with a trimming strategy');
    return null;
  }
  if (limitGiven) {
    if (!a.approx) {
      c.reply.error('ERR syntax error, LIMIT cannot be used without the special ~ option');
      return null;
    }
  } else if (a.approx) {
    let lim = 100 * c.server.config.num('stream-node-max-entries');
    if (lim <= 0) lim = 10000;
    if (lim > 1000000) lim = 1000000;
    a.limit = lim;
  } else a.limit = 0;
  a.idpos = i;
  return a;
}

// ---------- XADD ----------

export function xaddCommand(c: Client, argv: Buffer[]): void {
  const a = parseAddTrimArgs(c, argv, true);
  if (a === null) return;
  const fieldPos = a.idpos + 1;
  const nargs = argv.length - fieldPos;
  if (nargs < 2 || nargs % 2 === 1) {
    c.reply.error(E.wrongArity('xadd'));
    return;
  }
  if (a.id && a.id.seqGiven && a.id.ms === 0 && a.id.seq === 0) {
    c.reply.error('ERR The ID specified in XADD must be greater than 0-0');
    return;
  }
  const db = c.db;
  const key = keyStr(argv[1]);
  let o = db.lookupWrite(key);
  if (o !== undefined && o.type !== 'stream') {
    c.reply.error(E.WRONGTYPE);
    return;
  }
  if (o === undefined) {
    if (a.noMkstream) {
      c.reply.null();
      return;
    }
    o = newStreamObj();
    db.add(key, o);
  }
  const s = streamOf(o);
  if (s.lastMs === U64_MAX && s.lastSeq === U64_MAX) {
    c.reply.error('ERR The stream has exhausted the last possible ID, unable to add more items');
    return;
  }
  let ms: U64;
  let seq: U64;
  const TOP = 'ERR The ID specified in XADD is equal or smaller than the target stream top item';
  if (a.id) {
    if (a.id.seqGiven) {
      ms = a.id.ms;
      seq = a.id.seq;
    } else if (s.lastMs === a.id.ms) {
      if (s.lastSeq === U64_MAX) {
        // streamAppendItem fails without setting errno here; Redis then reports whatever errno holds, which is ERANGE
        c.reply.error('ERR Elements are too large to be stored');
        return;
      }
      ms = s.lastMs;
      seq = incrID({ ms: 0, seq: s.lastSeq })!.seq;
    } else {
      ms = a.id.ms;
      seq = 0;
    }
  } else {
    const now = Date.now();
    if (now > s.lastMs) {
      ms = now;
      seq = 0;
    } else {
      const n = incrID({ ms: s.lastMs, seq: s.lastSeq })!;
      ms = n.ms;
      seq = n.seq;
    }
  }
  if (cmpID(ms, seq, s.lastMs, s.lastSeq) <= 0) {
    c.reply.error(TOP);
    return;
  }
  const [maxEntries, maxBytes] = nodeLimits(c);
  const e = s.append(ms, seq, argv, maxEntries, maxBytes, fieldPos);
  c.reply.bulkStr(e.id);
  const server = c.server;
  server.keyModified(db, key);
  server.notify(db, 'xadd', key, NOTIFY.STREAM);
  server.dirty++;
  if (a.strategy !== 'none') {
    if (s.trim(a)) server.notify(db, 'xtrim', key, NOTIFY.STREAM);
  }
  server.keyReady(db, key);
}

// ---------- XRANGE / XREVRANGE / XLEN ----------

function xrangeGeneric(c: Client, argv: Buffer[], rev: boolean): void {
  const startArg = rev ? argv[3] : argv[2];
  const endArg = rev ? argv[2] : argv[3];
  const sp = parseIntervalID(c, startArg, 0);
  if (sp === null) return;
  let start: SID = sp.id;
  if (sp.ex) {
    const n = incrID(start);
    if (n === null) {
      c.reply.error('ERR invalid start ID for the interval');
      return;
    }
    start = n;
  }
  const ep = parseIntervalID(c, endArg, U64_MAX);
  if (ep === null) return;
  let end: SID = ep.id;
  if (ep.ex) {
    const n = decrID(end);
    if (n === null) {
      c.reply.error('ERR invalid end ID for the interval');
      return;
    }
    end = n;
  }
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    if (eqi(argv[j], 'count') && additional >= 1) {
      const v = getLongLongOrReply(c, argv[j + 1]);
      if (v === null) return;
      count = v < 0 ? 0 : v;
      j++;
    } else {
      c.reply.error(E.SYNTAX);
      return;
    }
  }
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) {
    c.reply.emptyArray();
    return;
  }
  if (o.type !== 'stream') {
    c.reply.error(E.WRONGTYPE);
    return;
  }
  if (count === 0) {
    c.reply.nullArray();
    return;
  }
  if (count === -1) count = 0;
  replyRangeFrom(c, streamOf(o), start, end, count, rev);
}

export function xrangeCommand(c: Client, argv: Buffer[]): void {
  xrangeGeneric(c, argv, false);
}

export function xrevrangeCommand(c: Client, argv: Buffer[]): void {
  xrangeGeneric(c, argv, true);
}

export function xlenCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'stream') return c.reply.error(E.WRONGTYPE);
  c.reply.int(streamOf(o).length);
}

// ---------- XREAD / XREADGROUP ----------

const XREAD_BLOCKED_DEFAULT_COUNT = 1000;

interface XReadBlockData {
  /** key → the ID entries must be greater than */
  ids: Map<string, SID>;
  count: number;
  group: string | null;
  consumer: string | null;
  noack: boolean;
}

export function xreadCommand(c: Client, argv: Buffer[]): void {
  const xreadgroup = argv[0].length === 10;
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupname: Buffer | null = null;
  let consumername: Buffer | null = null;
  const argc = argv.length;
  for (let i = 1; i < argc; i++) {
    const moreargs = argc - i - 1;
    const o = argv[i];
    if (eqi(o, 'block') && moreargs) {
      if (c.has(CF.SCRIPT)) {
        c.reply.errorSafe(`ERR ${cstr(argv[0])} command is not allowed with BLOCK option from scripts`);
        return;
      }
      i++;
      const t = parseTimeout(c, argv[i], 'ms');
      if (t === null) return;
      timeout = t;
    } else if (eqi(o, 'count') && moreargs) {
      i++;
      const v = getLongLongOrReply(c, argv[i]);
      if (v === null) return;
      count = v < 0 ? 0 : v;
    } else if (eqi(o, 'streams') && moreargs) {
      streamsArg = i + 1;
      streamsCount = argc - streamsArg;
      if (streamsCount % 2 !== 0) {
        c.reply.error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
        return;
      }
      streamsCount /= 2;
      break;
    } else if (eqi(o, 'group') && moreargs >= 2) {
      if (!xreadgroup) {
        c.reply.error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
        return;
      }
      groupname = argv[i + 1];
      consumername = argv[i + 2];
      i += 2;
    } else if (eqi(o, 'noack')) {
      if (!xreadgroup) {
        c.reply.error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
        return;
      }
      noack = true;
    } else {
      c.reply.error(E.SYNTAX);
      return;
    }
  }
  if (streamsArg === 0) {
    c.reply.error(E.SYNTAX);
    return;
  }
  if (xreadgroup && groupname === null) {
    c.reply.error('ERR Missing GROUP option for XREADGROUP');
    return;
  }
  const db = c.db;
  const groupStr = groupname ? keyStr(groupname) : null;
  const ids: SID[] = new Array(streamsCount);
  const groups: (ConsumerGroup | null)[] = new Array(streamsCount).fill(null);
  for (let i = streamsArg + streamsCount; i < argc; i++) {
    const idx = i - streamsArg - streamsCount;
    const keyArg = argv[i - streamsCount];
    const o = db.lookupRead(keyStr(keyArg));
    if (o !== undefined && o.type !== 'stream') {
      c.reply.error(E.WRONGTYPE);
      return;
    }
    if (groupStr !== null) {
      const g = o === undefined ? undefined : lookupGroup(streamOf(o), groupStr);
      if (g === undefined) {
        c.reply.errorSafe(noGroupKeyOrGroup(keyArg, groupname!, ' in XREADGROUP with GROUP option'));
        return;
      }
      groups[idx] = g;
    }
    const idArg = cstr(argv[i]);
    if (idArg === '$') {
      if (xreadgroup) {
        c.reply.error(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
        return;
      }
      if (o !== undefined) {
        const s = streamOf(o);
        ids[idx] = { ms: s.lastMs, seq: s.lastSeq };
      } else ids[idx] = { ms: 0, seq: 0 };
      continue;
    } else if (idArg === '>') {
      if (!xreadgroup) {
        c.reply.error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
        return;
      }
      ids[idx] = { ms: U64_MAX, seq: U64_MAX };
      continue;
    }
    const id = parseID(c, argv[i], 0, true);
    if (id === null) return;
    ids[idx] = id;
  }

  // Try to serve synchronously.
  let arraylen = 0;
  let h = -1;
  const consumerStr = consumername ? keyStr(consumername) : null;
  for (let i = 0; i < streamsCount; i++) {
    const keyArg = argv[streamsArg + i];
    const key = keyStr(keyArg);
    const o = db.lookupRead(key);
    if (o === undefined) continue;
    const s = streamOf(o);
    let gt = ids[i];
    let serveSync = false;
    let serveHistory = false;
    const g = groups[i];
    if (g) {
      if (gt.ms !== U64_MAX || gt.seq !== U64_MAX) {
        serveSync = true;
        serveHistory = true;
      } else if (s.length) {
        const maxid = s.lastValid();
        if (cmpID(maxid.ms, maxid.seq, g.lastMs, g.lastSeq) > 0) {
          serveSync = true;
          gt = { ms: g.lastMs, seq: g.lastSeq };
        }
      }
    } else if (s.length) {
      const maxid = s.lastValid();
      if (cmpID(maxid.ms, maxid.seq, gt.ms, gt.seq) > 0) serveSync = true;
    }
    if (!serveSync) continue;
    arraylen++;
    if (arraylen === 1) h = c.reply.deferLen();
    // start is exclusive: begin after gt (an overflowing increment wraps to 0-0 as in Redis)
    const start = incrID(gt) ?? { ms: 0, seq: 0 };
    if (c.resp === 2) c.reply.arrayLen(2);
    c.reply.bulk(keyArg);
    if (g) {
      let cons = lookupConsumer(g, consumerStr!);
      if (cons === undefined) cons = createConsumer(c, db, key, g, consumerStr!)!;
      if (serveHistory) replyConsumerHistory(c, s, start, count, cons);
      else replyRangeGroup(c, s, start, count, g, cons, noack);
      c.server.dirty++;
    } else {
      replyRangeFrom(c, s, start, MAX_ID, count, false);
    }
  }
  if (arraylen) {
    if (c.resp === 2) c.reply.setDeferredArrayLen(h, arraylen);
    else c.reply.setDeferredMapLen(h, arraylen);
    return;
  }
  if (timeout !== -1) {
    if (!mayBlock(c)) {
      c.reply.nullArray();
      return;
    }
    const data: XReadBlockData = {
      ids: new Map(),
      count: count ? count : XREAD_BLOCKED_DEFAULT_COUNT,
      group: groupStr,
      consumer: consumerStr,
      noack,
    };
    const keys: string[] = [];
    for (let i = 0; i < streamsCount; i++) {
      const k = keyStr(argv[streamsArg + i]);
      keys.push(k);
      // blockForKeys keeps the first ID given for a key repeated in the list
      if (!data.ids.has(k)) data.ids.set(k, ids[i]);
    }
    c.server.blocking.block(c, {
      type: 'stream',
      keys,
      timeout,
      data,
      serve: (rc, key, obj) => serveBlockedXread(rc, key, obj, data),
      onKeyGone: groupStr !== null ? rc => (rc.reply.error('UNBLOCKED the stream key no longer exists'), true) : undefined,
    });
    return;
  }
  c.reply.nullArray();
}

/** serveClientsBlockedOnStreamKey for one client. */
function serveBlockedXread(c: Client, key: string, o: RObj, d: XReadBlockData): boolean {
  const s = streamOf(o);
  const gt = d.ids.get(key)!;
  let g: ConsumerGroup | undefined;
  if (d.group !== null) {
    g = lookupGroup(s, d.group);
    if (g === undefined) {
      c.reply.error('NOGROUP the consumer group this client was blocked on no longer exists');
      return true;
    }
    gt.ms = g.lastMs;
    gt.seq = g.lastSeq;
  }
  if (cmpID(s.lastMs, s.lastSeq, gt.ms, gt.seq) <= 0) return false;
  const start = incrID(gt) ?? { ms: 0, seq: 0 };
  let cons: Consumer | undefined;
  if (g) {
    cons = lookupConsumer(g, d.consumer!);
    if (cons === undefined) cons = createConsumer(c, c.db, key, g, d.consumer!)!;
  }
  if (c.resp === 2) {
    c.reply.arrayLen(1);
    c.reply.arrayLen(2);
  } else c.reply.mapLen(1);
  c.reply.bulkStr(key);
  if (g) replyRangeGroup(c, s, start, d.count, g, cons!, d.noack);
  else {
    replyRangeFrom(c, s, start, MAX_ID, d.count, false);
  }
  return true;
}

// ---------- XGROUP ----------

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

export function xgroupCommand(c: Client, argv: Buffer[]): void {
  const argc = argv.length;
  const opt = argv[1];
  let s: Stream | null = null;
  let o: RObj | undefined;
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  let grpname = '';
  let cg: ConsumerGroup | undefined;
  const db = c.db;
  const key = argc >= 3 ? keyStr(argv[2]) : '';
  const isCreate = eqi(opt, 'create');
  const isSetid = eqi(opt, 'setid');
  if (argc >= 4) {
    let i = 5;
    while (i < argc) {
      if (isCreate && eqi(argv[i], 'mkstream')) {
        mkstream = true;
        i++;
      } else if ((isCreate || isSetid) && eqi(argv[i], 'entriesread') && i + 1 < argc) {
        const v = getLongLongOrReply(c, argv[i + 1]);
        if (v === null) return;
        if (v < 0 && v !== INVALID_ENTRIES_READ) {
          c.reply.error('ERR value for ENTRIESREAD must be positive or -1');
          return;
        }
        entriesRead = v;
        i += 2;
      } else {
        subcommandSyntaxError(c, argv);
        return;
      }
    }
    o = db.lookupWrite(key);
    if (o !== undefined) {
      if (o.type !== 'stream') {
        c.reply.error(E.WRONGTYPE);
        return;
      }
      s = streamOf(o);
    }
    grpname = keyStr(argv[3]);
  }
  if (argc >= 4 && !mkstream) {
    if (s === null) {
      c.reply.error(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
      return;
    }
    cg = lookupGroup(s, grpname);
    if (cg === undefined && (isSetid || eqi(opt, 'createconsumer') || eqi(opt, 'delconsumer'))) {
      c.reply.errorSafe(`NOGROUP No such consumer group '${cstr(argv[3])}' for key name '${cstr(argv[2])}'`);
      return;
    }
  }
  const server = c.server;
  if (argc === 2 && eqi(opt, 'help')) {
    replyHelp(c, argv[0], XGROUP_HELP);
  } else if (isCreate && argc >= 5 && argc <= 8) {
    let id: SID;
    if (cstr(argv[4]) === '$') {
      id = s ? { ms: s.lastMs, seq: s.lastSeq } : { ms: 0, seq: 0 };
    } else {
      const p = parseID(c, argv[4], 0, true);
      if (p === null) return;
      id = p;
    }
    if (s === null) {
      o = newStreamObj();
      db.add(key, o);
      s = streamOf(o);
      server.keyModified(db, key);
    }
    if (!s.groups) s.groups = new Map();
    if (s.groups.has(grpname)) {
      c.reply.error('BUSYGROUP Consumer Group name already exists');
      return;
    }
    s.groups.set(grpname, new ConsumerGroup(grpname, id.ms, id.seq, entriesRead));
    c.reply.ok();
    server.dirty++;
    server.notify(db, 'xgroup-create', key, NOTIFY.STREAM);
  } else if (isSetid && (argc === 5 || argc === 7)) {
    let id: SID;
    if (cstr(argv[4]) === '$') id = { ms: s!.lastMs, seq: s!.lastSeq };
    else {
      const p = parseID(c, argv[4], 0, false);
      if (p === null) return;
      id = p;
    }
    cg!.lastMs = id.ms;
    cg!.lastSeq = id.seq;
    cg!.entriesRead = entriesRead;
    c.reply.ok();
    server.dirty++;
    server.notify(db, 'xgroup-setid', key, NOTIFY.STREAM);
  } else if (eqi(opt, 'destroy') && argc === 4) {
    if (cg) {
      s!.groups!.delete(grpname);
      c.reply.int(1);
      server.dirty++;
      server.notify(db, 'xgroup-destroy', key, NOTIFY.STREAM);
      server.keyReady(db, key);
    } else c.reply.int(0);
  } else if (eqi(opt, 'createconsumer') && argc === 5) {
    const created = createConsumer(c, db, key, cg!, keyStr(argv[4]));
    c.reply.int(created ? 1 : 0);
  } else if (eqi(opt, 'delconsumer') && argc === 5) {
    let pending = 0;
    const cons = lookupConsumer(cg!, keyStr(argv[4]), true);
    if (cons) {
      pending = cons.pel.size;
      cons.pel.forEachFrom(0, 0, nack => (cg!.pel.remove(nack.ms, nack.seq), true));
      cg!.consumers.delete(cons.name);
      server.dirty++;
      server.notify(db, 'xgroup-delconsumer', key, NOTIFY.STREAM);
    }
    c.reply.int(pending);
  } else subcommandSyntaxError(c, argv);
}

// ---------- XSETID ----------

export function xsetidCommand(c: Client, argv: Buffer[]): void {
  const id = parseID(c, argv[2], 0, true);
  if (id === null) return;
  let entriesAdded = -1;
  let maxDel: SID = { ms: 0, seq: 0 };
  let i = 3;
  while (i < argv.length) {
    const moreargs = argv.length - 1 - i;
    const opt = argv[i];
    if (eqi(opt, 'entriesadded') && moreargs) {
      const v = getLongLongOrReply(c, argv[i + 1]);
      if (v === null) return;
      if (v < 0) {
        c.reply.error('ERR entries_added must be positive');
        return;
      }
      entriesAdded = v;
      i += 2;
    } else if (eqi(opt, 'maxdeletedid') && moreargs) {
      const p = parseID(c, argv[i + 1], 0, true);
      if (p === null) return;
      if (cmpID(id.ms, id.seq, p.ms, p.seq) < 0) {
        c.reply.error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
        return;
      }
      maxDel = p;
      i += 2;
    } else {
      c.reply.error(E.SYNTAX);
      return;
    }
  }
  const key = keyStr(argv[1]);
  const o = c.db.lookupWrite(key);
  if (o === undefined) return c.reply.error(E.NOKEY);
  if (o.type !== 'stream') return c.reply.error(E.WRONGTYPE);
  const s = streamOf(o);
  if (s.length > 0) {
    const maxid = s.lastValid();
    if (cmpID(id.ms, id.seq, maxid.ms, maxid.seq) < 0) {
      c.reply.error('ERR The ID specified in XSETID is smaller than the target stream top item');
      return;
    }
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      c.reply.error('ERR The entries_added specified in XSETID is smaller than the target stream length');
      return;
    }
  }
  s.lastMs = id.ms;
  s.lastSeq = id.seq;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxDel.ms !== 0 || maxDel.seq !== 0) {
    s.maxDelMs = maxDel.ms;
    s.maxDelSeq = maxDel.seq;
  }
  c.reply.ok();
  c.server.dirty++;
  c.server.notify(c.db, 'xsetid', key, NOTIFY.STREAM);
}

// ---------- XACK ----------

export function xackCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  let g: ConsumerGroup | undefined;
  if (o !== undefined) {
    if (o.type !== 'stream') return c.reply.error(E.WRONGTYPE);
    g = lookupGroup(streamOf(o), keyStr(argv[2]));
  }
  if (o === undefined || g === undefined) return c.reply.int(0);
  const ids: SID[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = parseID(c, argv[j], 0, true);
    if (id === null) return;
    ids.push(id);
  }
  let acked = 0;
  for (const id of ids) {
    const nack = g.pel.remove(id.ms, id.seq);
    if (nack) {
      if (nack.consumer) nack.consumer.pel.remove(id.ms, id.seq);
      acked++;
      c.server.dirty++;
    }
  }
  c.reply.int(acked);
}

// ---------- XPENDING ----------

export function xpendingCommand(c: Client, argv: Buffer[]): void {
  const argc = argv.length;
  const justinfo = argc === 3;
  let start: SID = { ms: 0, seq: 0 };
  let end: SID = { ms: 0, seq: 0 };
  let count = 0;
  let minidle = 0;
  let consumername: Buffer | null = null;
  if (argc !== 3 && (argc < 6 || argc > 9)) {
    c.reply.error(E.SYNTAX);
    return;
  }
  if (argc >= 6) {
    let startidx = 3;
    if (eqi(argv[3], 'idle')) {
      const v = getLongLongOrReply(c, argv[4]);
      if (v === null) return;
      minidle = v;
      if (argc < 8) {
        c.reply.error(E.SYNTAX);
        return;
      }
      startidx += 2;
    }
    const cnt = getLongLongOrReply(c, argv[startidx + 2]);
    if (cnt === null) return;
    count = cnt < 0 ? 0 : cnt;
    const sp = parseIntervalID(c, argv[startidx], 0);
    if (sp === null) return;
    start = sp.id;
    if (sp.ex) {
      const n = incrID(start);
      if (n === null) {
        c.reply.error('ERR invalid start ID for the interval');
        return;
      }
      start = n;
    }
    const ep = parseIntervalID(c, argv[startidx + 1], U64_MAX);
    if (ep === null) return;
    end = ep.id;
    if (ep.ex) {
      const n = decrID(end);
      if (n === null) {
        c.reply.error('ERR invalid end ID for the interval');
        return;
      }
      end = n;
    }
    if (startidx + 3 < argc) consumername = argv[startidx + 3];
  }
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o !== undefined && o.type !== 'stream') return c.reply.error(E.WRONGTYPE);
  const g = o === undefined ? undefined : lookupGroup(streamOf(o), keyStr(argv[2]));
  if (g === undefined) {
    c.reply.errorSafe(noGroupKeyOrGroup(argv[1], argv[2]));
    return;
  }
  const r = c.reply;
  if (justinfo) {
    r.arrayLen(4);
    r.int(g.pel.size);
    if (g.pel.size === 0) {
      r.null();
      r.null();
      r.nullArray();
    } else {
      r.bulkStr(g.pel.first()!.id);
      r.bulkStr(g.pel.last()!.id);
      const list = g.sortedConsumers().filter(x => x.pel.size > 0);
      r.arrayLen(list.length);
      for (const cons of list) {
        r.arrayLen(2);
        r.bulkStr(cons.name);
        r.bulkStr(String(cons.pel.size));
      }
    }
    return;
  }
  let pel: Pel = g.pel;
  if (consumername) {
    const cons = lookupConsumer(g, keyStr(consumername), true);
    if (cons === undefined) {
      r.arrayLen(0);
      return;
    }
    pel = cons.pel;
  }
  const now = Date.now();
  const out: Nack[] = [];
  if (count)
    pel.forEachFrom(start.ms, start.seq, n => {
      if (cmpID(n.ms, n.seq, end.ms, end.seq) > 0) return false;
      if (minidle && now - n.deliveryTime < minidle) return true;
      out.push(n);
      return --count > 0;
    });
  r.arrayLen(out.length);
  for (const n of out) {
    r.arrayLen(4);
    r.bulkStr(n.id);
    r.bulkStr(n.consumer ? n.consumer.name : '');
    const elapsed = now - n.deliveryTime;
    r.int(elapsed < 0 ? 0 : elapsed);
    r.int(n.deliveryCount);
  }
}

// ---------- XCLAIM / XAUTOCLAIM ----------

export function xclaimCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupRead(key);
  let g: ConsumerGroup | undefined;
  if (o !== undefined) {
    if (o.type !== 'stream') return c.reply.error(E.WRONGTYPE);
    g = lookupGroup(streamOf(o), keyStr(argv[2]));
  }
  if (o === undefined || g === undefined) {
    c.reply.errorSafe(noGroupKeyOrGroup(argv[1], argv[2]));
    return;
  }
  const s = streamOf(o);
  let minidle = getLongLongOrReply(c, argv[4], 'ERR Invalid min-idle-time argument for XCLAIM');
  if (minidle === null) return;
  if (minidle < 0) minidle = 0;
  const ids: { id: SID; arg: Buffer }[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const id = parseID(null, argv[j], 0, true);
    if (id === null) break;
    ids.push({ id, arg: argv[j] });
  }
  const now = Date.now();
  let deliverytime = -1;
  let retrycount = -1;
  let force = false;
  let justid = false;
  let lastId: SID = { ms: 0, seq: 0 };
  for (; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    const opt = argv[j];
    if (eqi(opt, 'force')) force = true;
    else if (eqi(opt, 'justid')) justid = true;
    else if (eqi(opt, 'idle') && moreargs) {
      j++;
      const v = getLongLongOrReply(c, argv[j], 'ERR Invalid IDLE option argument for XCLAIM');
      if (v === null) return;
      deliverytime = now - v;
    } else if (eqi(opt, 'time') && moreargs) {
      j++;
      const v = getLongLongOrReply(c, argv[j], 'ERR Invalid TIME option argument for XCLAIM');
      if (v === null) return;
      deliverytime = v;
    } else if (eqi(opt, 'retrycount') && moreargs) {
      j++;
      const v = getLongLongOrReply(c, argv[j], 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
      if (v === null) return;
      retrycount = v;
    } else if (eqi(opt, 'lastid') && moreargs) {
      j++;
      const p = parseID(c, argv[j], 0, true);
      if (p === null) return;
      lastId = p;
    } else {
      c.reply.errorSafe(`ERR Unrecognized XCLAIM option '${cstr(opt)}'`);
      return;
    }
  }
  if (cmpID(lastId.ms, lastId.seq, g.lastMs, g.lastSeq) > 0) {
    g.lastMs = lastId.ms;
    g.lastSeq = lastId.seq;
  }
  if (deliverytime !== -1) {
    if (deliverytime < 0 || deliverytime > now) deliverytime = now;
  } else deliverytime = now;
  let cons: Consumer | undefined;
  const name = keyStr(argv[3]);
  const h = c.reply.deferLen();
  let n = 0;
  for (const { id } of ids) {
    let nack = g.pel.find(id.ms, id.seq);
    const e = s.get(id.ms, id.seq);
    if (e === undefined) {
      if (nack) {
        c.server.dirty++;
        g.pel.remove(id.ms, id.seq);
        if (nack.consumer) nack.consumer.pel.remove(id.ms, id.seq);
      }
      continue;
    }
    if (force && nack === undefined) {
      nack = new Nack(id.ms, id.seq, now, 1, null);
      g.pel.insert(nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer && minidle) {
      if (now - nack.deliveryTime < minidle) continue;
    }
    if (cons === undefined) cons = lookupConsumer(g, name) ?? createConsumer(c, db, key, g, name)!;
    if (nack.consumer !== cons && nack.consumer) nack.consumer.pel.remove(id.ms, id.seq);
    nack.deliveryTime = deliverytime;
    if (retrycount >= 0) nack.deliveryCount = retrycount;
    else if (!justid) nack.deliveryCount++;
    if (nack.consumer !== cons) {
      cons.pel.insert(nack);
      nack.consumer = cons;
    }
    if (justid) c.reply.bulkStr(e.id);
    else replyEntry(c, e);
    n++;
    c.server.dirty++;
  }
  c.reply.setDeferredArrayLen(h, n);
}

export function xautoclaimCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupRead(key);
  let minidle = getLongLongOrReply(c, argv[4], 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (minidle === null) return;
  if (minidle < 0) minidle = 0;
  const sp = parseIntervalID(c, argv[5], 0);
  if (sp === null) return;
  let start = sp.id;
  if (sp.ex) {
    const nx = incrID(start);
    if (nx === null) {
      c.reply.error('ERR invalid start ID for the interval');
      return;
    }
    start = nx;
  }
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (eqi(argv[j], 'count') && moreargs) {
      // getRangeLongFromObjectOrReply(1, LONG_MAX / 16), compared exactly
      const v = string2llBig(argv[j + 1]);
      if (v === null || v < 1n || v > 576460752303423487n) {
        c.reply.error('ERR COUNT must be > 0');
        return;
      }
      count = Number(v);
      j++;
    } else if (eqi(argv[j], 'justid')) justid = true;
    else {
      c.reply.error(E.SYNTAX);
      return;
    }
  }
  let g: ConsumerGroup | undefined;
  if (o !== undefined) {
    if (o.type !== 'stream') return c.reply.error(E.WRONGTYPE);
    g = lookupGroup(streamOf(o), keyStr(argv[2]));
  }
  if (o === undefined || g === undefined) {
    c.reply.errorSafe(noGroupKeyOrGroup(argv[1], argv[2]));
    return;
  }
  // ztrymalloc(count * sizeof(streamID)) fails past the address space
  if (count > 2 ** 43) {
    c.reply.error('ERR Insufficient memory, failed allocating transient memory, COUNT too high.');
    return;
  }
  const s = streamOf(o);
  let attempts = count * 10;
  const deletedIds: string[] = [];
  const claimed: StreamEntry[] = [];
  const now = Date.now();
  const name = keyStr(argv[3]);
  let cons: Consumer | undefined;
  let nack = g.pel.ceil(start.ms, start.seq);
  const after = (n: Nack): Nack | undefined => {
    const inc = incrID(n);
    return inc ? g!.pel.ceil(inc.ms, inc.seq) : undefined;
  };
  while (attempts-- && count && nack !== undefined) {
    const e = s.get(nack.ms, nack.seq);
    if (e === undefined) {
      c.server.dirty++;
      g.pel.remove(nack.ms, nack.seq);
      if (nack.consumer) nack.consumer.pel.remove(nack.ms, nack.seq);
      deletedIds.push(nack.id);
      count--;
      nack = g.pel.ceil(nack.ms, nack.seq);
      continue;
    }
    if (minidle && now - nack.deliveryTime < minidle) {
      nack = after(nack);
      continue;
    }
    if (cons === undefined) cons = lookupConsumer(g, name) ?? createConsumer(c, db, key, g, name)!;
    if (nack.consumer !== cons && nack.consumer) nack.consumer.pel.remove(nack.ms, nack.seq);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount++;
    if (nack.consumer !== cons) {
      cons.pel.insert(nack);
      nack.consumer = cons;
    }
    claimed.push(e);
    count--;
    c.server.dirty++;
    nack = after(nack);
  }
  // the cursor: the next PEL entry after the last one examined, or 0-0
  const next = nack;
  const r = c.reply;
  r.arrayLen(3);
  r.bulkStr(next ? next.id : '0-0');
  r.arrayLen(claimed.length);
  for (const e of claimed) {
    if (justid) r.bulkStr(e.id);
    else replyEntry(c, e);
  }
  r.arrayLen(deletedIds.length);
  for (const id of deletedIds) r.bulkStr(id);
}

// ---------- XDEL / XTRIM ----------

export function xdelCommand(c: Client, argv: Buffer[]): void {
  const key = keyStr(argv[1]);
  const o = c.db.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'stream') return c.reply.error(E.WRONGTYPE);
  const s = streamOf(o);
  const ids: SID[] = [];
  for (let j = 2; j < argv.length; j++) {
    const id = parseID(c, argv[j], 0, true);
    if (id === null) return;
    ids.push(id);
  }
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (s.delete(id.ms, id.seq)) {
      if (cmpID(id.ms, id.seq, s.firstMs, s.firstSeq) === 0) firstEntry = true;
      if (cmpID(id.ms, id.seq, s.maxDelMs, s.maxDelSeq) > 0) {
        s.maxDelMs = id.ms;
        s.maxDelSeq = id.seq;
      }
      deleted++;
    }
  }
  if (deleted) {
    if (s.length === 0) {
      s.firstMs = 0;
      s.firstSeq = 0;
    } else if (firstEntry) s.updateFirstId();
    c.server.keyModified(c.db, key);
    c.server.notify(c.db, 'xdel', key, NOTIFY.STREAM);
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
}

export function xtrimCommand(c: Client, argv: Buffer[]): void {
  const a = parseAddTrimArgs(c, argv, false);
  if (a === null) return;
  const key = keyStr(argv[1]);
  const o = c.db.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'stream') return c.reply.error(E.WRONGTYPE);
  const deleted = streamOf(o).trim(a);
  if (deleted) {
    c.server.notify(c.db, 'xtrim', key, NOTIFY.STREAM);
    c.server.keyModified(c.db, key);
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
}

// ---------- XINFO ----------

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

function replyLag(c: Client, s: Stream, g: ConsumerGroup): void {
  const lag = s.groupLag(g);
  if (lag === null) c.reply.null();
  else c.reply.int(lag);
}

function replyEntriesRead(c: Client, g: ConsumerGroup): void {
  if (g.entriesRead !== INVALID_ENTRIES_READ) c.reply.int(g.entriesRead);
  else c.reply.null();
}

function xinfoStream(c: Client, argv: Buffer[], s: Stream): void {
  let full = true;
  let count = 10;
  const optc = argv.length - 3;
  if (optc === 0) full = false;
  else {
    if (optc !== 1 && optc !== 3) return subcommandSyntaxError(c, argv);
    if (!eqi(argv[3], 'full')) return subcommandSyntaxError(c, argv);
    if (optc === 3) {
      if (!eqi(argv[4], 'count')) return subcommandSyntaxError(c, argv);
      const v = getLongLongOrReply(c, argv[5]);
      if (v === null) return;
      count = v < 0 ? 10 : v;
    }
  }
  const r = c.reply;
  r.mapLen(full ? 9 : 10);
  r.bulkStr('length');
  r.int(s.length);
  r.bulkStr('radix-tree-keys');
  r.int(s.nodes.length);
  r.bulkStr('radix-tree-nodes');
  r.int(s.raxNodes());
  r.bulkStr('last-generated-id');
  r.bulkStr(idText(s.lastMs, s.lastSeq));
  r.bulkStr('max-deleted-entry-id');
  r.bulkStr(idText(s.maxDelMs, s.maxDelSeq));
  r.bulkStr('entries-added');
  r.int(s.entriesAdded);
  r.bulkStr('recorded-first-entry-id');
  r.bulkStr(idText(s.firstMs, s.firstSeq));
  if (!full) {
    r.bulkStr('groups');
    r.int(s.groups ? s.groups.size : 0);
    r.bulkStr('first-entry');
    const first = s.edge(true);
    if (first) replyEntry(c, first);
    else r.null();
    r.bulkStr('last-entry');
    const last = s.edge(false);
    if (last) replyEntry(c, last);
    else r.null();
    return;
  }
  r.bulkStr('entries');
  const h = r.deferLen();
  let n = 0;
  s.range(0, 0, U64_MAX, U64_MAX, false, e => {
    replyEntry(c, e);
    n++;
    return !(count && n === count);
  });
  r.setDeferredArrayLen(h, n);
  r.bulkStr('groups');
  const groups = s.sortedGroups();
  r.arrayLen(groups.length);
  for (const g of groups) {
    r.mapLen(7);
    r.bulkStr('name');
    r.bulkStr(g.name);
    r.bulkStr('last-delivered-id');
    r.bulkStr(idText(g.lastMs, g.lastSeq));
    r.bulkStr('entries-read');
    replyEntriesRead(c, g);
    r.bulkStr('lag');
    replyLag(c, s, g);
    r.bulkStr('pel-count');
    r.int(g.pel.size);
    r.bulkStr('pending');
    const pn = count ? Math.min(count, g.pel.size) : g.pel.size;
    r.arrayLen(pn);
    const gl: Nack[] = [];
    g.pel.forEachFrom(0, 0, n => (gl.push(n), gl.length < pn));
    for (const nack of gl) {
      r.arrayLen(4);
      r.bulkStr(nack.id);
      r.bulkStr(nack.consumer ? nack.consumer.name : '');
      r.int(nack.deliveryTime);
      r.int(nack.deliveryCount);
    }
    r.bulkStr('consumers');
    const conss = g.sortedConsumers();
    r.arrayLen(conss.length);
    for (const cons of conss) {
      r.mapLen(4);
      r.bulkStr('name');
      r.bulkStr(cons.name);
      r.bulkStr('seen-time');
      r.int(cons.seenTime);
      r.bulkStr('pel-count');
      r.int(cons.pel.size);
      r.bulkStr('pending');
      const cn = count ? Math.min(count, cons.pel.size) : cons.pel.size;
      r.arrayLen(cn);
      const cl: Nack[] = [];
      cons.pel.forEachFrom(0, 0, n => (cl.push(n), cl.length < cn));
      for (const nack of cl) {
        r.arrayLen(3);
        r.bulkStr(nack.id);
        r.int(nack.deliveryTime);
        r.int(nack.deliveryCount);
      }
    }
  }
}

export function xinfoCommand(c: Client, argv: Buffer[]): void {
  if (eqi(argv[1], 'help')) {
    if (argv.length !== 2) return subcommandSyntaxError(c, argv);
    return replyHelp(c, argv[0], XINFO_HELP);
  } else if (argv.length < 3) return subcommandSyntaxError(c, argv);
  const opt = argv[1];
  const o = c.db.lookupRead(keyStr(argv[2]));
  if (o === undefined) return c.reply.error(E.NOKEY);
  if (o.type !== 'stream') return c.reply.error(E.WRONGTYPE);
  const s = streamOf(o);
  const r = c.reply;
  if (eqi(opt, 'consumers') && argv.length === 4) {
    const g = lookupGroup(s, keyStr(argv[3]));
    if (g === undefined) {
      r.errorSafe(`NOGROUP No such consumer group '${cstr(argv[3])}' for key name '${cstr(argv[2])}'`);
      return;
    }
    const conss = g.sortedConsumers();
    r.arrayLen(conss.length);
    const now = Date.now();
    for (const cons of conss) {
      const idle = now - cons.seenTime;
      r.mapLen(3);
      r.bulkStr('name');
      r.bulkStr(cons.name);
      r.bulkStr('pending');
      r.int(cons.pel.size);
      r.bulkStr('idle');
      r.int(idle < 0 ? 0 : idle);
    }
  } else if (eqi(opt, 'groups') && argv.length === 3) {
    const groups = s.sortedGroups();
    r.arrayLen(groups.length);
    for (const g of groups) {
      r.mapLen(6);
      r.bulkStr('name');
      r.bulkStr(g.name);
      r.bulkStr('consumers');
      r.int(g.consumers.size);
      r.bulkStr('pending');
      r.int(g.pel.size);
      r.bulkStr('last-delivered-id');
      r.bulkStr(idText(g.lastMs, g.lastSeq));
      r.bulkStr('entries-read');
      replyEntriesRead(c, g);
      r.bulkStr('lag');
      replyLag(c, s, g);
    }
  } else if (eqi(opt, 'stream')) xinfoStream(c, argv, s);
  else subcommandSyntaxError(c, argv);
}

export const handlers: Record<string, Handler> = {
  xadd: xaddCommand,
  xrange: xrangeCommand,
  xrevrange: xrevrangeCommand,
  xlen: xlenCommand,
  xread: xreadCommand,
  xreadgroup: xreadCommand,
  'xgroup|create': xgroupCommand,
  'xgroup|setid': xgroupCommand,
  'xgroup|destroy': xgroupCommand,
  'xgroup|createconsumer': xgroupCommand,
  'xgroup|delconsumer': xgroupCommand,
  'xgroup|help': xgroupCommand,
  xsetid: xsetidCommand,
  xack: xackCommand,
  xpending: xpendingCommand,
  xclaim: xclaimCommand,
  xautoclaim: xautoclaimCommand,
  xdel: xdelCommand,
  xtrim: xtrimCommand,
  'xinfo|stream': xinfoCommand,
  'xinfo|groups': xinfoCommand,
  'xinfo|consumers': xinfoCommand,
  'xinfo|help': xinfoCommand,
};
