// Helpers shared by the server command files: help replies, COMMAND doc trees, flush/save bookkeeping
// (Redis: server.c, db.c, rdb.c).
import { commandTable, type CommandSpec, type Tree } from './table.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import type { Reply } from '../protocol/reply.js';
import type { Db } from '../store/db.js';
import { E } from '../errors.js';

// ---------------------------------------------------------------------------------------------------------------
// shared helpers

/** addReplyHelp: the header names the command as typed (uppercased), then the lines, then HELP. */
export function replyHelp(c: Client, argv: Buffer[], lines: string[]): void {
  const r = c.reply;
  r.arrayLen(lines.length + 3);
  r.simple(`${argv[0].toString('latin1').toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) r.simple(l);
  r.simple('HELP');
  r.simple('    Prints this help.');
}

/** addReplySubcommandSyntaxError */
export function subcommandSyntaxError(c: Client, argv: Buffer[]): void {
  const sub = argv[1].toString('latin1');
  const z = sub.indexOf('\0');
  c.reply.errorSafe(E.unknownSubcommandOrArity((z < 0 ? sub : sub.slice(0, z)).slice(0, 128), argv[0].toString('latin1').toUpperCase()));
}

/** The compact RESP3 tree of table.json written through the reply vocabulary (RESP2 gets the degraded forms). */
export function writeTree(r: Reply, t: Tree): void {
  if (t === null) return r.null();
  switch (typeof t) {
    case 'string':
      return r.bulkUtf8(t);
    case 'number':
      return r.int(t);
    case 'boolean':
      return r.bool(t);
  }
  if (Array.isArray(t)) {
    r.arrayLen(t.length);
    for (const e of t) writeTree(r, e);
    return;
  }
  if ('+' in t) return r.simple(t['+']);
  if ('%' in t) {
    const a = t['%'];
    r.mapLen(a.length / 2);
    for (const e of a) writeTree(r, e);
    return;
  }
  if ('~' in t) {
    const a = t['~'];
    r.setLen(a.length);
    for (const e of a) writeTree(r, e);
    return;
  }
  if ('=' in t) return r.verbatim(t['=']);
}

/** bytesToHuman */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let d = 1024;
  for (const u of units) {
    if (n < d * 1024) return `${(n / d).toFixed(2)}${u}`;
    d *= 1024;
  }
  return `${n}B`;
}

/** lookupCommandBySds: "get" or "client|list", case-insensitive. */
export function lookupByName(name: string): CommandSpec | undefined {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = commandTable.get(parts[0]);
  if (!base || parts.length === 1) return base;
  return base.subcommands?.get(parts[1]);
}


/**
 * scanDatabaseForDeletedStreams: clients blocked (XREADGROUP) on a stream key of `emptied` that will no longer hold a
 * stream (flushed, or swapped with `replacedWith`) are signalled, so that they get their "key no longer exists" error.
 */
export function signalDeletedStreams(s: Server, emptied: Db, replacedWith: Db | null): void {
  if (s.blocking.blockedClients === 0) return;
  for (const [key, o] of emptied.dict) {
    if (o.type !== 'stream') continue;
    if (replacedWith && replacedWith.dict.get(key)?.type === 'stream') continue;
    s.keyReady(emptied, key);
  }
}

/** emptyData for one db: signalFlushedDb (blocked stream readers, WATCH invalidation) then the flush. */
export function emptyDb(s: Server, db: Db): number {
  signalDeletedStreams(s, db, null);
  s.watch.touchAllInDb(db);
  return db.flush();
}

/** emptyData(dbnum or -1): each db as emptyDb, then one tracking invalidation of every key. Returns the keys removed. */
export function emptyData(s: Server, dbs: Db[]): number {
  let removed = 0;
  for (const db of dbs) removed += emptyDb(s, db);
  s.tracking.invalidateOnFlush();
  return removed;
}

export interface ServerState {
  /** instantaneous_* metrics samples */
  samples: { t: number; cmds: number; in: number; out: number }[];
}
export const serverState = new WeakMap<Server, ServerState>();
/** Per-server bookkeeping of these commands (several servers can live in one process). */
export function stateOf(s: Server): ServerState {
  let x = serverState.get(s);
  if (!x) serverState.set(s, (x = { samples: [] }));
  return x;
}

/** Redis's startup allocation (used_memory_startup) as reported by 7.0.15 on x86_64; redlua reports it as the baseline. */
export const STARTUP_MEMORY = 876200;

/** A C string view of an argument (%s stops at the first NUL). */
export function cstr(b: Buffer): string {
  const z = b.indexOf(0);
  return b.latin1Slice(0, z < 0 ? b.length : z);
}
