// Keyspace-wide and admin commands: DBSIZE, TIME, LASTSAVE, FLUSHDB/FLUSHALL, SWAPDB, SAVE/BGSAVE/BGREWRITEAOF, ROLE,
// SHUTDOWN, MONITOR, WAIT, REPLICAOF, FAILOVER, CLUSTER/MODULE stubs; re-exports the handlers of the other server
// command files (Redis: server.c, db.c, rdb.c, replication.c).
import { commandTable, type Handler } from './table.js';
import type { Client } from '../server/client.js';
import { CF } from '../server/client.js';
import { E } from '../errors.js';
import { eqi } from '../util/parse.js';
import { getLongLongOrReply, getIntOrReply, getRangeLongOrReply } from './args.js';
import { forcePropagation } from '../replication/propagate.js';
import { getTimeoutMsOrReply, clientInfoString } from './connection.js';
import {
  replyHelp,
  subcommandSyntaxError,
  emptyData,
  signalDeletedStreams,
  stateOf,
} from './server-common.js';
import { handlers as infoHandlers } from './info.js';
import { handlers as debugHandlers } from './debug.js';
import { handlers as configHandlers } from './config-cmd.js';
import { handlers as introspectionHandlers } from './introspection.js';
import { handlers as memoryHandlers } from './memory-cmd.js';

export * from './server-common.js';
export * from './info.js';
export * from './debug.js';
export * from './config-cmd.js';
export * from './introspection.js';
export * from './memory-cmd.js';

// ---------------------------------------------------------------------------------------------------------------
// keyspace-wide commands

export function dbsizeCommand(c: Client): void {
  c.reply.int(c.db.size);
}

export function timeCommand(c: Client): void {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  c.reply.arrayLen(2);
  c.reply.bulkStr(String(Math.floor(us / 1e6)));
  c.reply.bulkStr(String(us % 1e6));
}

export function lastsaveCommand(c: Client): void {
  c.reply.int(c.server.lastSave);
}

/** getFlushCommandFlags: true = async. null after replying a syntax error. */
function flushFlags(c: Client, argv: Buffer[]): boolean | null {
  if (argv.length === 2 && eqi(argv[1], 'sync')) return false;
  if (argv.length === 2 && eqi(argv[1], 'async')) return true;
  if (argv.length === 1) return c.server.config.bool('lazyfree-lazy-user-flush');
  c.reply.error(E.SYNTAX);
  return null;
}


export function flushdbCommand(c: Client, argv: Buffer[]): void {
  if (flushFlags(c, argv) === null) return;
  // propagated even when the db was already empty
  forcePropagation(c);
  c.server.dirty += emptyData(c.server, [c.db]);
  c.server.memory.invalidate();
  c.reply.ok();
}

export function flushallCommand(c: Client, argv: Buffer[]): void {
  if (flushFlags(c, argv) === null) return;
  const s = c.server;
  forcePropagation(c);
  s.dirty += emptyData(s, s.dbs);
  // flushAllDataAndResetRDB: a BGSAVE in progress is killed, and with save points configured the (now empty) RDB is
  // written right away; then the dirty counter counts the FLUSHALL itself.
  const p = s.persistence;
  p.killBgsave();
  if (p.saveParamsSet()) {
    const saved = s.dirty;
    p.saveSync();
    s.dirty = saved;
  }
  s.dirty++;
  s.memory.invalidate();
  c.reply.ok();
}

export function swapdbCommand(c: Client, argv: Buffer[]): void {
  const s = c.server;
  const id1 = getIntOrReply(c, argv[1], E.SWAPDB_FIRST);
  if (id1 === null) return;
  const id2 = getIntOrReply(c, argv[2], E.SWAPDB_SECOND);
  if (id2 === null) return;
  const n = s.dbs.length;
  if (id1 < 0 || id1 >= n || id2 < 0 || id2 >= n) {
    c.reply.error(E.INVALID_DB);
    return;
  }
  if (id1 !== id2) {
    const a = s.dbs[id1];
    const b = s.dbs[id2];
    s.watch.touchAllInDb(a, b);
    s.watch.touchAllInDb(b, a);
    signalDeletedStreams(s, a, b);
    signalDeletedStreams(s, b, a);
    a.swapWith(b);
    // scanDatabaseForReadyKeys: clients blocked on keys that now exist may be served.
    s.blocking.scanDbForReadyKeys(a);
    s.blocking.scanDbForReadyKeys(b);
  }
  s.dirty++;
  c.reply.ok();
}

/** SAVE: the dataset written synchronously (rdbSave); refused while a BGSAVE runs. */
export function saveCommand(c: Client): void {
  const p = c.server.persistence;
  if (p.bgsave) return c.reply.error(E.BGSAVE_IN_PROGRESS);
  p.statRdbSaves++;
  if (p.saveSync()) c.reply.ok();
  else c.reply.error(E.GENERIC_ERR);
}

/** BGSAVE [SCHEDULE]: a snapshot written while clients are served (persistence/save.ts); inside MULTI only scheduled. */
export function bgsaveCommand(c: Client, argv: Buffer[]): void {
  if (argv.length > 1 && !(argv.length === 2 && eqi(argv[1], 'schedule'))) {
    c.reply.error(E.SYNTAX);
    return;
  }
  const p = c.server.persistence;
  if (p.bgsave) return c.reply.error(E.BGSAVE_IN_PROGRESS);
  if (c.flags & CF.MULTI) {
    p.bgsaveScheduled = true;
    return c.reply.simple('Background saving scheduled');
  }
  if (p.startBgsave()) c.reply.simple('Background saving started');
  else c.reply.error(E.GENERIC_ERR);
}

/** BGREWRITEAOF (src/persistence/aof.ts) */
export function bgrewriteaofCommand(c: Client): void {
  const r = c.server.aof.bgrewriteaof();
  if (r === 'in-progress') c.reply.error(E.AOF_REWRITE_IN_PROGRESS);
  else if (r === 'failed') c.reply.error(E.AOF_REWRITE_CANT_START);
  else c.reply.simple(`Background append only file rewriting ${r}`);
}

export function roleCommand(c: Client): void {
  const repl = c.server.repl;
  const rep = c.server.replica;
  if (rep.host !== null) {
    // the link state as Redis names it (REPL_STATE_TRANSFER is "sync", every handshake step "handshake")
    const state = rep.state === 'transfer' ? 'sync' : rep.state;
    c.reply.arrayLen(5);
    c.reply.bulkStr('slave');
    c.reply.bulkStr(rep.host);
    c.reply.int(rep.port);
    c.reply.bulkStr(state);
    c.reply.int(rep.master !== null ? rep.offset : -1);
    return;
  }
  c.reply.arrayLen(3);
  c.reply.bulkStr('master');
  c.reply.int(repl.offset);
  c.reply.arrayLen(repl.replicas.size);
  for (const r of repl.replicas.values()) {
    c.reply.arrayLen(3);
    c.reply.bulkStr(r.ip);
    c.reply.bulkStr(String(r.port));
    c.reply.bulkStr(String(r.ackOffset));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SHUTDOWN / MONITOR

/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: the sequence is src/server/shutdown.ts (it may wait for lagging
 * replicas). When running from the CLI, src/cli.ts installs `server.onShutdown` (exits the process); embedded, the
 * server is closed (every client, the caller included, is disconnected without a reply).
 */
export function shutdownCommand(c: Client, argv: Buffer[]): void {
  let nosave = false;
  let save = false;
  let now = false;
  let force = false;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (eqi(a, 'nosave')) nosave = true;
    else if (eqi(a, 'save')) save = true;
    else if (eqi(a, 'now')) now = true;
    else if (eqi(a, 'force')) force = true;
    else if (eqi(a, 'abort')) abort = true;
    else {
      c.reply.error(E.SYNTAX);
      return;
    }
  }
  if ((abort && (nosave || save || now || force)) || (nosave && save)) {
    c.reply.error(E.SYNTAX);
    return;
  }
  if (abort) {
    if (c.server.shutdown.abort()) c.reply.ok();
    else c.reply.error(E.NO_SHUTDOWN);
    return;
  }
  if (!now && c.has(CF.DENY_BLOCKING)) {
    c.reply.error(E.SHUTDOWN_DENY_BLOCKING);
    return;
  }
  const s = c.server;
  // A timed-out script (scripting/busy.ts): only SHUTDOWN NOSAVE is served, and it stops the script first.
  if (s.scripting.isTimedOut()) {
    if (!nosave) {
      c.reply.error(s.scripting.busyError());
      return;
    }
    s.scripting.requestShutdown();
  }
  // the client waits (no reply) until the server stops, or gets the error if the shutdown fails or is called off
  s.shutdown.block(c);
  s.shutdown.prepare({ save, nosave, now, force });
}

export function monitorCommand(c: Client): void {
  if (c.has(CF.DENY_BLOCKING)) {
    c.reply.error(E.MONITOR_DENY_BLOCKING);
    return;
  }
  if (c.has(CF.MONITOR)) return;
  c.flags |= CF.MONITOR;
  c.server.monitors.add(c);
  c.reply.ok();
}

// ---------------------------------------------------------------------------------------------------------------
// Replication / cluster / module commands of a standalone master.

/** WAIT numreplicas timeout: the replicas whose ACK reached this client's last write, at once or once enough did. */
export function waitCommand(c: Client, argv: Buffer[]): void {
  const num = getLongLongOrReply(c, argv[1]);
  if (num === null) return;
  const end = getTimeoutMsOrReply(c, argv[2]);
  if (end === null) return;
  const repl = c.server.repl;
  const acks = repl.countAcks(c.woff);
  if (acks >= num || c.has(CF.MULTI) || c.has(CF.DENY_BLOCKING)) {
    c.reply.int(acks);
    return;
  }
  blockForWait(c, end);
  repl.waiters.set(c, { num, offset: c.woff, wake: wc => unblockWait(wc) });
  // replicationRequestAckFromSlaves
  repl.requestAcks();
}

/** Marker in c.blocked of a client blocked in WAIT (BLOCKED_WAIT). */
interface WaitBlock {
  wait: true;
  timer: NodeJS.Timeout | null;
}

function blockForWait(c: Client, end: number): void {
  const st: WaitBlock = { wait: true, timer: null };
  c.blocked = st;
  if (end > 0) {
    st.timer = setTimeout(() => unblockWait(c), Math.max(0, Math.min(end - Date.now(), 2 ** 31 - 1)));
    st.timer.unref?.();
  }
}

/** Replies the number of acknowledging replicas (0) to a client blocked in WAIT and resumes it. */
export function unblockWait(c: Client, error = false): boolean {
  const st = c.blocked as WaitBlock | null;
  if (!st || (st as { wait?: boolean }).wait !== true) return false;
  if (st.timer) clearTimeout(st.timer);
  c.blocked = null;
  const repl = c.server.repl;
  const w = repl.waiters.get(c);
  repl.waiters.delete(c);
  if (c.closed) return true;
  if (error) c.reply.error(E.UNBLOCKED_BY_CLIENT);
  else c.reply.int(w ? repl.countAcks(w.offset) : 0);
  c.wake();
  const s = c.server;
  setImmediate(() => {
    s.resumeClient(c);
    s.flush();
  });
  return true;
}

/** REPLICAOF / SLAVEOF host port | NO ONE (replicaofCommand): starts (or ends) replicating from a master. */
export function replicaofCommand(c: Client, argv: Buffer[]): void {
  const s = c.server;
  const rep = s.replica;
  if (eqi(argv[1], 'no') && eqi(argv[2], 'one')) {
    if (rep.host !== null) {
      rep.unsetMaster();
      s.log.notice(`MASTER MODE enabled (user request from '${clientInfoString(c, c)}')`);
    }
    c.reply.ok();
    return;
  }
  if (c.has(CF.MONITOR) || c.has(CF.REPLICA)) {
    c.reply.error(E.REPLICA_CLIENT);
    return;
  }
  const port = getRangeLongOrReply(c, argv[2], 0, 65535, E.INVALID_MASTER_PORT);
  if (port === null) return;
  const host = argv[1].latin1Slice();
  if (rep.host !== null && rep.host.toLowerCase() === host.toLowerCase() && rep.port === port) {
    s.log.notice('REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
    c.reply.simple('OK Already connected to specified master');
    return;
  }
  rep.setMaster(host, port);
  s.log.notice(`REPLICAOF ${host}:${port} enabled (user request from '${clientInfoString(c, c)}')`);
  c.reply.ok();
}

export function clusterDisabledCommand(c: Client): void {
  c.reply.error(E.CLUSTER_DISABLED);
}

export function failoverCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 2 && eqi(argv[1], 'abort')) {
    c.reply.error(E.NO_FAILOVER);
    return;
  }
  let timeout = 0;
  let force = false;
  let host = false;
  for (let j = 1; j < argv.length; j++) {
    if (eqi(argv[j], 'timeout') && j + 1 < argv.length && timeout === 0) {
      const v = getLongLongOrReply(c, argv[j + 1]);
      if (v === null) return;
      if (v <= 0) {
        c.reply.error(E.FAILOVER_TIMEOUT);
        return;
      }
      timeout = v;
      j++;
    } else if (eqi(argv[j], 'to') && j + 2 < argv.length && !host) {
      if (getLongLongOrReply(c, argv[j + 2]) === null) return;
      host = true;
      j += 2;
    } else if (eqi(argv[j], 'force') && !force) force = true;
    else {
      c.reply.error(E.SYNTAX);
      return;
    }
  }
  c.reply.error(E.FAILOVER_NO_REPLICAS);
}

const MODULE_HELP = [
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
];

export function moduleHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, MODULE_HELP);
}

export function moduleListCommand(c: Client): void {
  c.reply.arrayLen(0);
}

/** MODULE LOAD/LOADEX/UNLOAD are protected by enable-module-command (no by default, and redlua loads no modules). */
export function moduleDeniedCommand(c: Client): void {
  c.reply.error(E.MODULE_DISABLED);
}

export const handlers: Record<string, Handler> = {
  dbsize: dbsizeCommand,
  time: timeCommand,
  lastsave: lastsaveCommand,
  flushdb: flushdbCommand,
  flushall: flushallCommand,
  swapdb: swapdbCommand,
  save: saveCommand,
  bgsave: bgsaveCommand,
  bgrewriteaof: bgrewriteaofCommand,
  role: roleCommand,
  shutdown: shutdownCommand,
  monitor: monitorCommand,
  wait: waitCommand,
  replicaof: replicaofCommand,
  slaveof: replicaofCommand,
  failover: failoverCommand,
  readonly: clusterDisabledCommand,
  readwrite: clusterDisabledCommand,
  asking: clusterDisabledCommand,
  'module|help': moduleHelpCommand,
  'module|list': moduleListCommand,
  'module|load': moduleDeniedCommand,
  'module|loadex': moduleDeniedCommand,
  'module|unload': moduleDeniedCommand,
  ...Object.fromEntries([...(commandTable.get('cluster')?.subcommands?.keys() ?? [])].map(n => [`cluster|${n}`, clusterDisabledCommand])),
  ...infoHandlers,
  ...debugHandlers,
  ...configHandlers,
  ...introspectionHandlers,
  ...memoryHandlers,
};
