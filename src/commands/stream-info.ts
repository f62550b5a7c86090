// XINFO STREAM / GROUPS / CONSUMERS / HELP (Redis: t_stream.c xinfoCommand).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { keyStr } from '../store/db.js';
import { eqi } from '../util/parse.js';
import { getLongLongOrReply } from './args.js';
import { replyHelp } from './pubsub.js';
import { Stream, ConsumerGroup, Nack, Pel, U64_MAX, INVALID_ENTRIES_READ, idText } from '../store/stream.js';
import { subcommandSyntaxError, streamOf, replyEntry, lookupGroup, noSuchGroupForKey } from './stream-common.js';

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

/** The first `count` (0 = all) entries of a PEL, for XINFO STREAM FULL. */
function pelHead(pel: Pel, count: number): Nack[] {
  const n = count ? Math.min(count, pel.size) : pel.size;
  const out: Nack[] = [];
  pel.forEachFrom(0, 0, x => (out.push(x), out.length < n));
  return out;
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
    const gl = pelHead(g.pel, count);
    r.arrayLen(gl.length);
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
      const cl = pelHead(cons.pel, count);
      r.arrayLen(cl.length);
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
      r.errorSafe(noSuchGroupForKey(argv[2], argv[3]));
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
  'xinfo|stream': xinfoCommand,
  'xinfo|groups': xinfoCommand,
  'xinfo|consumers': xinfoCommand,
  'xinfo|help': xinfoCommand,
};
