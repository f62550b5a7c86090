// consumer groups: XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM (Redis: t_stream.c).
import { preventPropagation, propagating } from '../replication/propagate.js';
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { keyStr, type RObj } from '../store/db.js';
import { NOTIFY } from '../server/notify.js';
import { string2llBig, eqi } from '../util/parse.js';
import { getLongLongOrReply } from './args.js';
import { replyHelp } from './pubsub.js';
import {
  Stream,
  StreamEntry,
  ConsumerGroup,
  Consumer,
  Nack,
  Pel,
  INVALID_ENTRIES_READ,
  cmpID,
  incrID,
  type SID,
} from '../store/stream.js';
import {
  cstr,
  parseID,
  parseRangeStart,
  parseRangeEnd,
  subcommandSyntaxError,
  streamOf,
  newStreamObj,
  replyEntry,
  noGroupKeyOrGroup,
  noSuchGroupForKey,
  lookupGroup,
  lookupGroupOrReply,
  createConsumer,
  propagateXclaim,
  propagateGroupId,
  lookupConsumer,
} from './stream-common.js';

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
          c.reply.error(E.XGROUP_ENTRIESREAD);
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
      c.reply.error(E.XGROUP_NO_KEY);
      return;
    }
    cg = lookupGroup(s, grpname);
    if (cg === undefined && (isSetid || eqi(opt, 'createconsumer') || eqi(opt, 'delconsumer'))) {
      c.reply.errorSafe(noSuchGroupForKey(argv[2], argv[3]));
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
      c.reply.error(E.BUSYGROUP);
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

// ---------- XACK ----------

export function xackCommand(c: Client, argv: Buffer[]): void {
  const g = lookupGroupOrReply(c, c.db.lookupRead(keyStr(argv[1])), argv[2]);
  if (g === null) return;
  if (g === undefined) return c.reply.int(0);
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
    const sp = parseRangeStart(c, argv[startidx]);
    if (sp === null) return;
    start = sp;
    const ep = parseRangeEnd(c, argv[startidx + 1]);
    if (ep === null) return;
    end = ep;
    if (startidx + 3 < argc) consumername = argv[startidx + 3];
  }
  const g = lookupGroupOrReply(c, c.db.lookupRead(keyStr(argv[1])), argv[2]);
  if (g === null) return;
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
  const g = lookupGroupOrReply(c, o, argv[2]);
  if (g === null) return;
  if (g === undefined) {
    c.reply.errorSafe(noGroupKeyOrGroup(argv[1], argv[2]));
    return;
  }
  const s = streamOf(o!);
  let minidle = getLongLongOrReply(c, argv[4], E.XCLAIM_MIN_IDLE);
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
      const v = getLongLongOrReply(c, argv[j], E.XCLAIM_IDLE);
      if (v === null) return;
      deliverytime = now - v;
    } else if (eqi(opt, 'time') && moreargs) {
      j++;
      const v = getLongLongOrReply(c, argv[j], E.XCLAIM_TIME);
      if (v === null) return;
      deliverytime = v;
    } else if (eqi(opt, 'retrycount') && moreargs) {
      j++;
      const v = getLongLongOrReply(c, argv[j], E.XCLAIM_RETRYCOUNT);
      if (v === null) return;
      retrycount = v;
    } else if (eqi(opt, 'lastid') && moreargs) {
      j++;
      const p = parseID(c, argv[j], 0, true);
      if (p === null) return;
      lastId = p;
    } else {
      c.reply.errorSafe(E.xclaimUnknownOption(cstr(opt)));
      return;
    }
  }
  let propagateLastId = false;
  if (cmpID(lastId.ms, lastId.seq, g.lastMs, g.lastSeq) > 0) {
    g.lastMs = lastId.ms;
    g.lastSeq = lastId.seq;
    propagateLastId = true;
  }
  // never propagated itself: each claimed (or dropped) entry goes out as an idempotent XCLAIM
  preventPropagation(c);
  const prop = propagating(c.server);
  if (deliverytime !== -1) {
    if (deliverytime < 0 || deliverytime > now) deliverytime = now;
  } else deliverytime = now;
  let cons: Consumer | undefined;
  const name = keyStr(argv[3]);
  const h = c.reply.deferLen();
  let n = 0;
  for (const { id, arg } of ids) {
    let nack = g.pel.find(id.ms, id.seq);
    const e = s.get(id.ms, id.seq);
    if (e === undefined) {
      if (nack) {
        if (prop) propagateXclaim(c, argv[1], g, argv[2], arg, nack);
        propagateLastId = false;
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
    if (prop) propagateXclaim(c, argv[1], g, argv[2], arg, nack);
    propagateLastId = false;
    c.server.dirty++;
  }
  if (propagateLastId) {
    if (prop) propagateGroupId(c, argv[1], g, argv[2]);
    c.server.dirty++;
  }
  c.reply.setDeferredArrayLen(h, n);
}

export function xautoclaimCommand(c: Client, argv: Buffer[]): void {
  const db = c.db;
  const key = keyStr(argv[1]);
  const o = db.lookupRead(key);
  let minidle = getLongLongOrReply(c, argv[4], E.XAUTOCLAIM_MIN_IDLE);
  if (minidle === null) return;
  if (minidle < 0) minidle = 0;
  const start = parseRangeStart(c, argv[5]);
  if (start === null) return;
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (eqi(argv[j], 'count') && moreargs) {
      // getRangeLongFromObjectOrReply(1, LONG_MAX / 16), compared exactly
      const v = string2llBig(argv[j + 1]);
      if (v === null || v < 1n || v > 576460752303423487n) {
        c.reply.error(E.COUNT_MUST_BE_POSITIVE);
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
  const g = lookupGroupOrReply(c, o, argv[2]);
  if (g === null) return;
  if (g === undefined) {
    c.reply.errorSafe(noGroupKeyOrGroup(argv[1], argv[2]));
    return;
  }
  // ztrymalloc(count * sizeof(streamID)) fails past the address space
  if (count > 2 ** 43) {
    c.reply.error(E.XAUTOCLAIM_COUNT_TOO_HIGH);
    return;
  }
  const s = streamOf(o!);
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
  // never propagated itself: each claimed (or dropped) entry goes out as an idempotent XCLAIM
  preventPropagation(c);
  const prop = propagating(c.server);
  while (attempts-- && count && nack !== undefined) {
    const e = s.get(nack.ms, nack.seq);
    if (e === undefined) {
      if (prop) propagateXclaim(c, argv[1], g, argv[2], Buffer.from(nack.id, 'latin1'), nack);
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
    if (prop) propagateXclaim(c, argv[1], g, argv[2], Buffer.from(nack.id, 'latin1'), nack);
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

export const handlers: Record<string, Handler> = {
  'xgroup|create': xgroupCommand,
  'xgroup|setid': xgroupCommand,
  'xgroup|destroy': xgroupCommand,
  'xgroup|createconsumer': xgroupCommand,
  'xgroup|delconsumer': xgroupCommand,
  'xgroup|help': xgroupCommand,
  xack: xackCommand,
  xpending: xpendingCommand,
  xclaim: xclaimCommand,
  xautoclaim: xautoclaimCommand,
};
