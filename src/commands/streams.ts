// streams: XADD, XRANGE/XREVRANGE, XLEN, XDEL, XTRIM, XSETID, and the family's merged handlers (Redis: t_stream.c).
// Consumer groups: stream-groups.ts; XREAD/XREADGROUP: stream-read.ts; XINFO: stream-info.ts; shared: stream-common.ts.
import { rewriteArgv, propagating } from '../replication/propagate.js';
import type { Handler } from './table.js';
import { type Client, mustObeyClient } from '../server/client.js';
import { E } from '../errors.js';
import { keyStr, RObj } from '../store/db.js';
import { NOTIFY } from '../server/notify.js';
import { eqi } from '../util/parse.js';
import { getLongLongOrReply } from './args.js';
import { Stream, U64_MAX, cmpID, incrID, idText, type SID, type TrimArgs, type U64, dupStream } from '../store/stream.js';
import { registerCopier } from '../store/copy.js';
import {
  parseID,
  parseRangeStart,
  parseRangeEnd,
  streamOf,
  newStreamObj,
  replyRangeFrom,
  type ParsedID,
} from './stream-common.js';
import { handlers as groupHandlers } from './stream-groups.js';
import { handlers as readHandlers } from './stream-read.js';
import { handlers as infoHandlers } from './stream-info.js';

registerCopier('stream', o => new RObj('stream', dupStream(o.value as Stream), o.enc));

// ---------- XADD / XTRIM argument parsing ----------

interface AddTrimArgs extends TrimArgs {
  noMkstream: boolean;
  id: ParsedID | null;
  idpos: number;
  /** index of the MAXLEN/MINID value (trim_strategy_arg_idx): approximate trims propagate exact */
  strategyArgIdx: number;
}

/**
 * What MAXLEN and MINID share: only one strategy, then an optional `~` (approximate) or `=` before the value.
 * Returns the index just before the value argument, or -1 after replying an error.
 */
function parseStrategyPrefix(c: Client, a: AddTrimArgs, argv: Buffer[], i: number, moreargs: number): number {
  if (a.strategy !== 'none') {
    c.reply.error(E.XADD_MAXLEN_AND_MINID);
    return -1;
  }
  a.approx = false;
  // strcmp on the C string: "~" or "=" (anything after a NUL does not count)
  const next = argv[i + 1];
  const sign = moreargs >= 2 && next.length >= 1 && (next.length === 1 || next[1] === 0) ? next[0] : 0;
  if (sign === 0x7e) {
    a.approx = true;
    i++;
  } else if (sign === 0x3d) i++;
  return i;
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
    strategyArgIdx: 0,
  };
  let limitGiven = false;
  let i = 2;
  const argc = argv.length;
  for (; i < argc; i++) {
    const moreargs = argc - 1 - i;
    const opt = argv[i];
    if (xadd && opt.length >= 1 && opt[0] === 42 && (opt.length === 1 || opt[1] === 0)) break;
    if (eqi(opt, 'maxlen') && moreargs) {
      i = parseStrategyPrefix(c, a, argv, i, moreargs);
      if (i < 0) return null;
      const v = getLongLongOrReply(c, argv[i + 1]);
      if (v === null) return null;
      if (v < 0) {
        c.reply.error(E.XADD_MAXLEN_NEGATIVE);
        return null;
      }
      a.maxlen = v;
      i++;
      a.strategy = 'maxlen';
      a.strategyArgIdx = i;
    } else if (eqi(opt, 'minid') && moreargs) {
      i = parseStrategyPrefix(c, a, argv, i, moreargs);
      if (i < 0) return null;
      const id = parseID(c, argv[i + 1], 0, true);
      if (id === null) return null;
      a.minid = id;
      i++;
      a.strategy = 'minid';
      a.strategyArgIdx = i;
    } else if (eqi(opt, 'limit') && moreargs) {
      const v = getLongLongOrReply(c, argv[i + 1]);
      if (v === null) return null;
      if (v < 0) {
        c.reply.error(E.XADD_LIMIT_NEGATIVE);
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
    c.reply.error(E.XADD_LIMIT_WITHOUT_STRATEGY);
    return null;
  }
  if (!xadd && a.strategy === 'none') {
    c.reply.error(E.XTRIM_WITHOUT_STRATEGY);
    return null;
  }
  if (mustObeyClient(c)) {
    // from the master or the AOF, LIMIT is not enforced: the writer rewrote MAXLEN/MINID to `=` and the result
    a.limit = 0;
  } else if (limitGiven) {
    if (!a.approx) {
      c.reply.error(E.XADD_LIMIT_WITHOUT_APPROX);
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
    c.reply.error(E.XADD_ID_ZERO);
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
    c.reply.error(E.XADD_ID_EXHAUSTED);
    return;
  }
  let ms: U64;
  let seq: U64;
  if (a.id) {
    if (a.id.seqGiven) {
      ms = a.id.ms;
      seq = a.id.seq;
    } else if (s.lastMs === a.id.ms) {
      if (s.lastSeq === U64_MAX) {
        // streamAppendItem fails without setting errno here; Redis then reports whatever errno holds, which is ERANGE
        c.reply.error(E.XADD_TOO_LARGE);
        return;
      }
      ms = s.lastMs;
      seq = incrID({ ms: 0, seq: s.lastSeq })!.seq;
    } else {
      ms = a.id.ms;
      seq = 0;
    }
  } else {
    const now = c.server.commandTimeMs(c); // mstime()
    if (now > s.lastMs) {
      ms = now;
      seq = 0;
    } else if (typeof s.lastSeq === 'number' && s.lastSeq < Number.MAX_SAFE_INTEGER) {
      ms = s.lastMs; // many entries per millisecond: the next sequence number
      seq = s.lastSeq + 1;
    } else {
      const n = incrID({ ms: s.lastMs, seq: s.lastSeq })!;
      ms = n.ms;
      seq = n.seq;
    }
  }
  if (cmpID(ms, seq, s.lastMs, s.lastSeq) <= 0) {
    c.reply.error(E.XADD_ID_TOO_SMALL);
    return;
  }
  const hot = c.server.hot;
  const e = s.append(ms, seq, argv, hot.streamNodeMaxEntries, hot.streamNodeMaxBytes, fieldPos);
  c.reply.rawLatin1(e.data, 0, e.fvOff); // the entry's rendering starts with its ID as a bulk string
  const server = c.server;
  server.keyModified(db, key);
  server.notify(db, 'xadd', key, NOTIFY.STREAM);
  server.dirty++;
  let pargv: Buffer[] | null = null;
  if (a.strategy !== 'none') {
    if (s.trim(a)) server.notify(db, 'xtrim', key, NOTIFY.STREAM);
    if (a.approx && propagating(server)) pargv = exactTrimArgv(argv, s, a);
  }
  // an ID made by the server (* or ms-*) propagates as the ID it became
  if (!a.id || !a.id.seqGiven) {
    if (propagating(server)) {
      pargv ??= argv.slice();
      pargv[a.idpos] = Buffer.from(idText(ms, seq), 'latin1');
    }
  }
  if (pargv !== null) rewriteArgv(c, pargv);
  server.keyReady(db, key);
}

/** streamRewriteApproxSpecifier + streamRewriteTrimArgument: `~ n` propagates as `= <length>` (or `= <first id>`). */
function exactTrimArgv(argv: Buffer[], s: Stream, a: AddTrimArgs): Buffer[] {
  const out = argv.slice();
  out[a.strategyArgIdx - 1] = Buffer.from('=');
  let v: string;
  if (a.strategy === 'maxlen') v = String(s.length);
  else {
    const first = s.edge(true);
    v = first ? first.id : idText(U64_MAX, U64_MAX);
  }
  out[a.strategyArgIdx] = Buffer.from(v, 'latin1');
  return out;
}

// ---------- XRANGE / XREVRANGE / XLEN ----------

function xrangeGeneric(c: Client, argv: Buffer[], rev: boolean): void {
  const startArg = rev ? argv[3] : argv[2];
  const endArg = rev ? argv[2] : argv[3];
  const start = parseRangeStart(c, startArg);
  if (start === null) return;
  const end = parseRangeEnd(c, endArg);
  if (end === null) return;
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
        c.reply.error(E.XSETID_ENTRIES_ADDED_NEGATIVE);
        return;
      }
      entriesAdded = v;
      i += 2;
    } else if (eqi(opt, 'maxdeletedid') && moreargs) {
      const p = parseID(c, argv[i + 1], 0, true);
      if (p === null) return;
      if (cmpID(id.ms, id.seq, p.ms, p.seq) < 0) {
        c.reply.error(E.XSETID_ID_BELOW_MAX_DELETED);
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
      c.reply.error(E.XSETID_ID_TOO_SMALL);
      return;
    }
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      c.reply.error(E.XSETID_ENTRIES_ADDED_TOO_SMALL);
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
  const st = streamOf(o);
  const deleted = st.trim(a);
  if (deleted) {
    c.server.notify(c.db, 'xtrim', key, NOTIFY.STREAM);
    c.server.keyModified(c.db, key);
    c.server.dirty += deleted;
    if (a.approx && propagating(c.server)) rewriteArgv(c, exactTrimArgv(argv, st, a));
  }
  c.reply.int(deleted);
}

export const handlers: Record<string, Handler> = {
  xadd: xaddCommand,
  xrange: xrangeCommand,
  xrevrange: xrevrangeCommand,
  xlen: xlenCommand,
  ...readHandlers,
  ...groupHandlers,
  xsetid: xsetidCommand,
  xdel: xdelCommand,
  xtrim: xtrimCommand,
  ...infoHandlers,
};
