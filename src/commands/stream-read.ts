// XREAD / XREADGROUP, synchronous and BLOCK (Redis: t_stream.c xreadCommand; blocked.c serveClientsBlockedOnStreamKey).
import type { Handler } from './table.js';
import { CF, type Client } from '../server/client.js';
import { E } from '../errors.js';
import { keyStr, keyBuf, type RObj } from '../store/db.js';
import { preventPropagation } from '../replication/propagate.js';
import { eqi } from '../util/parse.js';
import { getLongLongOrReply } from './args.js';
import { parseTimeout, mayBlock } from '../server/blocking.js';
import { ConsumerGroup, Consumer, U64_MAX, cmpID, incrID, type SID } from '../store/stream.js';
import {
  MAX_ID,
  cstr,
  parseID,
  streamOf,
  replyRangeFrom,
  noGroupKeyOrGroup,
  lookupGroup,
  createConsumer,
  lookupConsumer,
  replyRangeGroup,
  replyConsumerHistory,
  propagateConsumerCreation,
} from './stream-common.js';

const XREAD_BLOCKED_DEFAULT_COUNT = 1000;

interface XReadBlockData {
  /** key → the ID entries must be greater than */
  ids: Map<string, SID>;
  count: number;
  group: string | null;
  /** the group name argument as given (propagated XCLAIMs name the group with it) */
  groupArg: Buffer | null;
  consumer: string | null;
  noack: boolean;
}

export function xreadCommand(c: Client, argv: Buffer[]): void {
  const xreadgroup = argv[0].length === 10;
  // never propagated itself: XREADGROUP's effects go out as XCLAIM / XGROUP SETID / XGROUP CREATECONSUMER
  preventPropagation(c);
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
        c.reply.errorSafe(E.blockFromScript(cstr(argv[0])));
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
        c.reply.error(E.XREAD_UNBALANCED);
        return;
      }
      streamsCount /= 2;
      break;
    } else if (eqi(o, 'group') && moreargs >= 2) {
      if (!xreadgroup) {
        c.reply.error(E.XREAD_GROUP);
        return;
      }
      groupname = argv[i + 1];
      consumername = argv[i + 2];
      i += 2;
    } else if (eqi(o, 'noack')) {
      if (!xreadgroup) {
        c.reply.error(E.XREAD_NOACK);
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
    c.reply.error(E.XREADGROUP_NO_GROUP);
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
        c.reply.error(E.XREADGROUP_DOLLAR_ID);
        return;
      }
      if (o !== undefined) {
        const s = streamOf(o);
        ids[idx] = { ms: s.lastMs, seq: s.lastSeq };
      } else ids[idx] = { ms: 0, seq: 0 };
      continue;
    } else if (idArg === '>') {
      if (!xreadgroup) {
        c.reply.error(E.XREAD_GT_ID);
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
      const spi = { key: keyArg, group: groupname! };
      let cons = lookupConsumer(g, consumerStr!);
      if (cons === undefined) {
        cons = createConsumer(c, db, key, g, consumerStr!)!;
        if (noack) propagateConsumerCreation(c, keyArg, groupname!, consumerStr!);
      }
      if (serveHistory) replyConsumerHistory(c, s, start, count, cons);
      else replyRangeGroup(c, s, start, count, g, cons, noack, spi);
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
      groupArg: groupname === null ? null : Buffer.from(groupname),
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
      onKeyGone: groupStr !== null ? rc => (rc.reply.error(E.UNBLOCKED_KEY_GONE), true) : undefined,
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
      c.reply.error(E.NOGROUP_BLOCKED_GROUP_GONE);
      return true;
    }
    gt.ms = g.lastMs;
    gt.seq = g.lastSeq;
  }
  if (cmpID(s.lastMs, s.lastSeq, gt.ms, gt.seq) <= 0) return false;
  const start = incrID(gt) ?? { ms: 0, seq: 0 };
  let cons: Consumer | undefined;
  const spi = { key: keyBuf(key), group: d.groupArg! };
  if (g) {
    cons = lookupConsumer(g, d.consumer!);
    if (cons === undefined) {
      cons = createConsumer(c, c.db, key, g, d.consumer!)!;
      if (d.noack) propagateConsumerCreation(c, spi.key, spi.group, d.consumer!);
    }
  }
  if (c.resp === 2) {
    c.reply.arrayLen(1);
    c.reply.arrayLen(2);
  } else c.reply.mapLen(1);
  c.reply.bulkStr(key);
  if (g) replyRangeGroup(c, s, start, d.count, g, cons!, d.noack, spi);
  else {
    replyRangeFrom(c, s, start, MAX_ID, d.count, false);
  }
  return true;
}

export const handlers: Record<string, Handler> = {
  xread: xreadCommand,
  xreadgroup: xreadCommand,
};
