// Server commands: INFO, CONFIG, COMMAND, DBSIZE, TIME, LASTSAVE, FLUSHDB/FLUSHALL, SWAPDB, SAVE/BGSAVE/BGREWRITEAOF,
// SHUTDOWN, MONITOR, SLOWLOG, MEMORY, LATENCY, ROLE and the DEBUG subset (Redis: server.c, config.c, db.c, debug.c,
// object.c, slowlog.c, latency.c, rdb.c).
import os from 'node:os';
import { createHash, randomBytes } from 'node:crypto';
import {
  commandTable,
  allCommands,
  getKeyPositions,
  lookupCommand,
  type CommandSpec,
  type Handler,
  type Tree,
  F,
} from './table.js';
import type { Client } from '../server/client.js';
import { CF } from '../server/client.js';
import type { Server } from '../server/server.js';
import { REDIS_VERSION, REDLUA_VERSION } from '../server/server.js';
import { E } from '../errors.js';
import { eqi, stringMatch, string2ll, string2llBig } from '../util/parse.js';
import { formatDouble, formatG } from '../protocol/numfmt.js';
import { stringEncoding, isSharedInteger, OBJ_SHARED_REFCOUNT, newString } from '../store/strings.js';
import { memtoull } from '../server/config.js';
import { U64_MAX, type Stream } from '../store/stream.js';
import { objectEncoding } from './keys.js';
import { getLongLongOrReply, getIntOrReply, getPositiveLongOrReply, getRangeLongOrReply } from './args.js';
import { arityOk } from '../server/dispatch.js';
import type { Reply } from '../protocol/reply.js';
import type { Db, RObj } from '../store/db.js';
import { keyStr } from '../store/db.js';
import { isTracking, getTimeoutMsOrReply } from './connection.js';

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
  c.reply.errorSafe(
    `ERR unknown subcommand or wrong number of arguments for '${(z < 0 ? sub : sub.slice(0, z)).slice(0, 128)}'. Try ${argv[0]
      .toString('latin1')
      .toUpperCase()} HELP.`,
  );
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
function lookupByName(name: string): CommandSpec | undefined {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = commandTable.get(parts[0]);
  if (!base || parts.length === 1) return base;
  return base.subcommands?.get(parts[1]);
}

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

/**
 * scanDatabaseForDeletedStreams: clients blocked (XREADGROUP) on a stream key of `emptied` that will no longer hold a
 * stream (flushed, or swapped with `replacedWith`) are signalled, so that they get their "key no longer exists" error.
 */
function signalDeletedStreams(s: Server, emptied: Db, replacedWith: Db | null): void {
  if (s.blocking.blockedClients === 0) return;
  for (const [key, o] of emptied.dict) {
    if (o.type !== 'stream') continue;
    if (replacedWith && replacedWith.dict.get(key)?.type === 'stream') continue;
    s.keyReady(emptied, key);
  }
}

/** emptyData for one db: signalFlushedDb (blocked stream readers, WATCH invalidation) then the flush. */
function emptyDb(s: Server, db: Db): number {
  signalDeletedStreams(s, db, null);
  s.watch.touchAllInDb(db);
  return db.flush();
}

/** What an in-memory server does for "save": nothing written; the save bookkeeping Redis does on success. */
function markSaved(s: Server): void {
  s.dirty = 0;
  s.lastSave = Math.floor(Date.now() / 1000);
  stateOf(s).rdbSaves++;
}

interface ServerState {
  rdbSaves: number;
  aofRewrites: number;
  lastBgsaveTime: number;
  lastLoadLoaded: number;
  lastLoadExpired: number;
  /** instantaneous_* metrics samples */
  samples: { t: number; cmds: number; in: number; out: number }[];
}
const serverState = new WeakMap<Server, ServerState>();
/** Per-server bookkeeping of these commands (several servers can live in one process). */
function stateOf(s: Server): ServerState {
  let x = serverState.get(s);
  if (!x) serverState.set(s, (x = { rdbSaves: 0, aofRewrites: 0, lastBgsaveTime: -1, lastLoadLoaded: 0, lastLoadExpired: 0, samples: [] }));
  return x;
}

export function flushdbCommand(c: Client, argv: Buffer[]): void {
  if (flushFlags(c, argv) === null) return;
  c.server.dirty += emptyDb(c.server, c.db);
  c.server.memory.invalidate();
  c.reply.ok();
}

export function flushallCommand(c: Client, argv: Buffer[]): void {
  if (flushFlags(c, argv) === null) return;
  const s = c.server;
  let removed = 0;
  for (const db of s.dbs) removed += emptyDb(s, db);
  s.dirty += removed;
  // flushAllDataAndResetRDB: with save points configured Redis rewrites the (now empty) RDB right away.
  if (s.config.get('save').trim() !== '') markSaved(s);
  s.dirty++;
  s.memory.invalidate();
  c.reply.ok();
}

export function swapdbCommand(c: Client, argv: Buffer[]): void {
  const s = c.server;
  const id1 = getIntOrReply(c, argv[1], 'ERR invalid first DB index');
  if (id1 === null) return;
  const id2 = getIntOrReply(c, argv[2], 'ERR invalid second DB index');
  if (id2 === null) return;
  const n = s.dbs.length;
  if (id1 < 0 || id1 >= n || id2 < 0 || id2 >= n) {
    c.reply.error('ERR DB index is out of range');
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

/**
 * SAVE / BGSAVE / BGREWRITEAOF: redlua keeps the dataset in memory only and never writes RDB/AOF files. The commands
 * answer as a successful save would (client libraries and test suites call them to checkpoint) and update the
 * bookkeeping a completed save updates: LASTSAVE, rdb_changes_since_last_save, rdb_saves / aof_rewrites.
 */
export function saveCommand(c: Client): void {
  markSaved(c.server);
  c.reply.ok();
}

export function bgsaveCommand(c: Client, argv: Buffer[]): void {
  if (argv.length > 1 && !(argv.length === 2 && eqi(argv[1], 'schedule'))) {
    c.reply.error(E.SYNTAX);
    return;
  }
  markSaved(c.server);
  stateOf(c.server).lastBgsaveTime = 0;
  c.reply.simple('Background saving started');
}

export function bgrewriteaofCommand(c: Client): void {
  stateOf(c.server).aofRewrites++;
  c.reply.simple('Background append only file rewriting started');
}

export function roleCommand(c: Client): void {
  c.reply.arrayLen(3);
  c.reply.bulkStr('master');
  c.reply.int(0);
  c.reply.arrayLen(0);
}

// ---------------------------------------------------------------------------------------------------------------
// SHUTDOWN / MONITOR

/**
 * SHUTDOWN: there is nothing to save. When running from the CLI, src/cli.ts installs `server.onShutdown` (exits the
 * process); embedded, the server is closed (every client, the caller included, is disconnected without a reply).
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
    c.reply.error('ERR No shutdown in progress.');
    return;
  }
  if (!now && c.has(CF.DENY_BLOCKING)) {
    c.reply.error("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
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
  const hook = s.onShutdown;
  if (!hook) s.log.warning('User requested shutdown...'); // (the CLI's hook logs it)
  // No reply: the connection just closes, as when redis-server exits.
  c.flags |= CF.CLOSE_AFTER_REPLY;
  setImmediate(() => {
    if (hook) hook();
    else void s.close();
  });
}

export function monitorCommand(c: Client): void {
  if (c.has(CF.DENY_BLOCKING)) {
    c.reply.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
    return;
  }
  if (c.has(CF.MONITOR)) return;
  c.flags |= CF.MONITOR;
  c.server.monitors.add(c);
  c.reply.ok();
}

// ---------------------------------------------------------------------------------------------------------------
// INFO

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

const replid = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

function f2(n: number): string {
  return (Number.isFinite(n) ? n : 0).toFixed(2);
}

function cpuTime(us: number): string {
  return `${Math.floor(us / 1e6)}.${String(Math.floor(us % 1e6)).padStart(6, '0')}`;
}

/** The scripting fields of INFO memory, in Redis's order, from server.scripting.info() (defaults for what is absent). */
function scriptingMemoryFields(s: Server): [string, string | number][] {
  const si = s.scripting.info();
  const num = (k: string, d: number): number => {
    const v = si[k];
    return typeof v === 'number' ? v : v !== undefined && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : d;
  };
  const lua = num('used_memory_lua', num('used_memory_vm_eval', 32768));
  const vmFunctions = num('used_memory_vm_functions', 32768);
  const scriptsEval = num('used_memory_scripts_eval', 0);
  const functions = num('used_memory_functions', 184);
  const fields: [string, string | number][] = [
    ['used_memory_lua', lua],
    ['used_memory_vm_eval', num('used_memory_vm_eval', lua)],
    ['used_memory_lua_human', si.used_memory_lua_human ?? bytesToHuman(lua)],
    ['used_memory_scripts_eval', scriptsEval],
    ['number_of_cached_scripts', num('number_of_cached_scripts', 0)],
    ['number_of_functions', num('number_of_functions', 0)],
    ['number_of_libraries', num('number_of_libraries', 0)],
    ['used_memory_vm_functions', vmFunctions],
    ['used_memory_vm_total', num('used_memory_vm_total', lua + vmFunctions)],
    ['used_memory_vm_total_human', si.used_memory_vm_total_human ?? bytesToHuman(num('used_memory_vm_total', lua + vmFunctions))],
    ['used_memory_functions', functions],
    ['used_memory_scripts', num('used_memory_scripts', scriptsEval + functions)],
    ['used_memory_scripts_human', si.used_memory_scripts_human ?? bytesToHuman(num('used_memory_scripts', scriptsEval + functions))],
  ];
  // Any extra INFO field the scripting layer reports goes right after the known ones ("a.b" keys are MEMORY STATS).
  const known = new Set(fields.map(f => f[0]));
  for (const [k, v] of Object.entries(si)) if (!known.has(k) && !k.includes('.')) fields.push([k, v]);
  return fields;
}

/** db.avg_ttl: redlua computes it from (a sample of) the TTLs instead of Redis's running estimate. */
function avgTtl(db: Db, now: number): number {
  if (db.expires.size === 0) return 0;
  let sum = 0;
  let n = 0;
  for (const when of db.expires.values()) {
    const ttl = when - now;
    if (ttl > 0) {
      sum += ttl;
      n++;
    }
    if (n >= 1000) break;
  }
  return n ? Math.floor(sum / n) : 0;
}

/** Average latency → the percentile fields of latencystats (redlua keeps no histogram: every percentile is the mean). */
function latencyLine(name: string, st: { calls: number; usec: number }): string {
  const v = (st.usec / Math.max(1, st.calls)).toFixed(3);
  return `latency_percentiles_usec_${name}:p50=${v},p99=${v},p99.9=${v}\r\n`;
}

/** getSafeInfoString: command names with ':' / '\r' / '\n' would break the INFO format. */
function safeInfo(s: string): string {
  return s.replace(/[:\r\n]/g, '_');
}

export function genInfoString(c: Client, sections: Set<string>, all: boolean): string {
  const s = c.server;
  const st = s.stats;
  const want = (name: string) => all || sections.has(name);
  const out: string[] = [];
  const now = Date.now();
  const uptime = Math.floor((now - st.startTime) / 1000);

  if (want('server')) {
    out.push(
      '# Server\r\n' +
        `redis_version:${REDIS_VERSION}\r\n` +
        'redis_git_sha1:00000000\r\n' +
        'redis_git_dirty:0\r\n' +
        'redis_build_id:0000000000000000\r\n' +
        'redis_mode:standalone\r\n' +
        `os:${os.type()} ${os.release()} ${os.arch() === 'x64' ? 'x86_64' : os.arch()}\r\n` +
        'arch_bits:64\r\n' +
        'monotonic_clock:POSIX clock_gettime\r\n' +
        'multiplexing_api:epoll\r\n' +
        'atomicvar_api:c11-builtin\r\n' +
        `gcc_version:0.0.0\r\n` +
        `process_id:${process.pid}\r\n` +
        'process_supervised:no\r\n' +
        `run_id:${s.runId}\r\n` +
        `tcp_port:${s.port}\r\n` +
        `server_time_usec:${Math.floor((performance.timeOrigin + performance.now()) * 1000)}\r\n` +
        `uptime_in_seconds:${uptime}\r\n` +
        `uptime_in_days:${Math.floor(uptime / 86400)}\r\n` +
        `hz:${s.config.num('hz')}\r\n` +
        `configured_hz:${s.config.num('hz')}\r\n` +
        `lru_clock:${Math.floor(now / 1000) & 0xffffff}\r\n` +
        `executable:${process.argv[1] ?? ''}\r\n` +
        'config_file:\r\n' +
        'io_threads_active:0\r\n' +
        `redlua_version:${REDLUA_VERSION}\r\n`,
    );
  }
  if (want('clients')) {
    const blocked = s.blocking.blockedClients;
    let tracking = 0;
    let maxIn = 0;
    for (const cl of s.clients.values()) {
      if (isTracking(cl)) tracking++;
      if (cl.parser.buffered > maxIn) maxIn = cl.parser.buffered;
    }
    out.push(
      '# Clients\r\n' +
        `connected_clients:${s.clients.size}\r\n` +
        'cluster_connections:0\r\n' +
        `maxclients:${s.config.num('maxclients')}\r\n` +
        `client_recent_max_input_buffer:${maxIn}\r\n` +
        'client_recent_max_output_buffer:0\r\n' +
        `blocked_clients:${blocked}\r\n` +
        `tracking_clients:${tracking}\r\n` +
        `clients_in_timeout_table:${blocked}\r\n`,
    );
  }
  if (want('memory')) {
    const used = s.memory.used();
    if (used > s.memory.peak) s.memory.peak = used;
    const peak = Math.max(s.memory.peak, used);
    const mu = process.memoryUsage();
    const rss = mu.rss;
    const startup = STARTUP_MEMORY;
    const overhead = startup + s.clients.size * 20000;
    const dataset = Math.max(0, used - overhead);
    const total = os.totalmem();
    const maxmem = s.config.num('maxmemory');
    const allocated = mu.heapUsed + mu.external;
    const active = mu.heapTotal + mu.external;
    let mem = '# Memory\r\n';
    mem += `used_memory:${used}\r\nused_memory_human:${bytesToHuman(used)}\r\n`;
    mem += `used_memory_rss:${rss}\r\nused_memory_rss_human:${bytesToHuman(rss)}\r\n`;
    mem += `used_memory_peak:${peak}\r\nused_memory_peak_human:${bytesToHuman(peak)}\r\n`;
    mem += `used_memory_peak_perc:${f2((used / peak) * 100)}%\r\n`;
    mem += `used_memory_overhead:${overhead}\r\nused_memory_startup:${startup}\r\n`;
    mem += `used_memory_dataset:${dataset}\r\n`;
    mem += `used_memory_dataset_perc:${f2(used > startup ? (dataset * 100) / (used - startup) : 0)}%\r\n`;
    mem += `allocator_allocated:${allocated}\r\nallocator_active:${active}\r\nallocator_resident:${rss}\r\n`;
    mem += `total_system_memory:${total}\r\ntotal_system_memory_human:${bytesToHuman(total)}\r\n`;
    for (const [k, v] of scriptingMemoryFields(s)) mem += `${k}:${v}\r\n`;
    mem += `maxmemory:${maxmem}\r\nmaxmemory_human:${bytesToHuman(maxmem)}\r\n`;
    mem += `maxmemory_policy:${s.config.get('maxmemory-policy')}\r\n`;
    mem += `allocator_frag_ratio:${f2(active / allocated)}\r\nallocator_frag_bytes:${active - allocated}\r\n`;
    mem += `allocator_rss_ratio:${f2(rss / active)}\r\nallocator_rss_bytes:${rss - active}\r\n`;
    mem += `rss_overhead_ratio:${f2(1)}\r\nrss_overhead_bytes:0\r\n`;
    mem += `mem_fragmentation_ratio:${f2(rss / used)}\r\nmem_fragmentation_bytes:${rss - used}\r\n`;
    mem += 'mem_not_counted_for_evict:0\r\nmem_replication_backlog:0\r\nmem_total_replication_buffers:0\r\n';
    mem += `mem_clients_slaves:0\r\nmem_clients_normal:${s.clients.size * 17160}\r\n`;
    mem += 'mem_cluster_links:0\r\nmem_aof_buffer:0\r\nmem_allocator:libc\r\n';
    mem += 'active_defrag_running:0\r\nlazyfree_pending_objects:0\r\nlazyfreed_objects:0\r\n';
    out.push(mem);
  }
  if (want('persistence')) {
    out.push(
      '# Persistence\r\n' +
        'loading:0\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\ncurrent_cow_size:0\r\ncurrent_cow_size_age:0\r\n' +
        'current_fork_perc:0.00\r\ncurrent_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\n' +
        `rdb_changes_since_last_save:${s.dirty}\r\n` +
        'rdb_bgsave_in_progress:0\r\n' +
        `rdb_last_save_time:${s.lastSave}\r\n` +
        'rdb_last_bgsave_status:ok\r\n' +
        `rdb_last_bgsave_time_sec:${stateOf(s).lastBgsaveTime}\r\n` +
        'rdb_current_bgsave_time_sec:-1\r\n' +
        `rdb_saves:${stateOf(s).rdbSaves}\r\n` +
        'rdb_last_cow_size:0\r\n' +
        `rdb_last_load_keys_expired:${stateOf(s).lastLoadExpired}\r\nrdb_last_load_keys_loaded:${stateOf(s).lastLoadLoaded}\r\n` +
        'aof_enabled:0\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\n' +
        'aof_last_rewrite_time_sec:-1\r\naof_current_rewrite_time_sec:-1\r\naof_last_bgrewrite_status:ok\r\n' +
        `aof_rewrites:${stateOf(s).aofRewrites}\r\n` +
        'aof_rewrites_consecutive_failures:0\r\naof_last_write_status:ok\r\naof_last_cow_size:0\r\n' +
        'module_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n',
    );
  }
  if (want('stats')) {
    const ops = instMetric(s);
    out.push(
      '# Stats\r\n' +
        `total_connections_received:${st.totalConnections}\r\n` +
        `total_commands_processed:${st.totalCommands}\r\n` +
        `instantaneous_ops_per_sec:${ops.ops}\r\n` +
        `total_net_input_bytes:${st.netInput}\r\n` +
        `total_net_output_bytes:${st.netOutput}\r\n` +
        'total_net_repl_input_bytes:0\r\ntotal_net_repl_output_bytes:0\r\n' +
        `instantaneous_input_kbps:${f2(ops.inKbps)}\r\n` +
        `instantaneous_output_kbps:${f2(ops.outKbps)}\r\n` +
        'instantaneous_input_repl_kbps:0.00\r\ninstantaneous_output_repl_kbps:0.00\r\n' +
        `rejected_connections:${st.rejectedConnections}\r\n` +
        'sync_full:0\r\nsync_partial_ok:0\r\nsync_partial_err:0\r\n' +
        `expired_keys:${st.expiredKeys}\r\n` +
        `expired_stale_perc:${f2(st.expiredStalePerc * 100)}\r\n` +
        'expired_time_cap_reached_count:0\r\n' +
        `expire_cycle_cpu_milliseconds:${Math.floor(st.expireCycleCpuMs)}\r\n` +
        `evicted_keys:${st.evictedKeys}\r\n` +
        'evicted_clients:0\r\ntotal_eviction_exceeded_time:0\r\ncurrent_eviction_exceeded_time:0\r\n' +
        `keyspace_hits:${st.keyspaceHits}\r\n` +
        `keyspace_misses:${st.keyspaceMisses}\r\n` +
        `pubsub_channels:${s.pubsub.numChannels()}\r\n` +
        `pubsub_patterns:${s.pubsub.numPatterns()}\r\n` +
        `pubsubshard_channels:${numShardChannels(s)}\r\n` +
        'latest_fork_usec:0\r\ntotal_forks:0\r\nmigrate_cached_sockets:0\r\nslave_expires_tracked_keys:0\r\n' +
        'active_defrag_hits:0\r\nactive_defrag_misses:0\r\nactive_defrag_key_hits:0\r\nactive_defrag_key_misses:0\r\n' +
        'total_active_defrag_time:0\r\ncurrent_active_defrag_time:0\r\n' +
        'tracking_total_keys:0\r\ntracking_total_items:0\r\ntracking_total_prefixes:0\r\n' +
        `unexpected_error_replies:${st.unexpectedErrorReplies}\r\n` +
        `total_error_replies:${st.totalErrorReplies}\r\n` +
        'dump_payload_sanitizations:0\r\n' +
        `total_reads_processed:${st.totalCommands}\r\n` +
        `total_writes_processed:${st.totalCommands}\r\n` +
        'io_threaded_reads_processed:0\r\nio_threaded_writes_processed:0\r\n' +
        'reply_buffer_shrinks:0\r\nreply_buffer_expands:0\r\n',
    );
  }
  if (want('replication')) {
    out.push(
      '# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\n' +
        `master_replid:${replid}\r\n` +
        'master_replid2:0000000000000000000000000000000000000000\r\n' +
        'master_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\nrepl_backlog_size:1048576\r\n' +
        'repl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n',
    );
  }
  if (want('cpu')) {
    const u = process.cpuUsage();
    out.push(
      '# CPU\r\n' +
        `used_cpu_sys:${cpuTime(u.system)}\r\nused_cpu_user:${cpuTime(u.user)}\r\n` +
        'used_cpu_sys_children:0.000000\r\nused_cpu_user_children:0.000000\r\n' +
        `used_cpu_sys_main_thread:${cpuTime(u.system)}\r\nused_cpu_user_main_thread:${cpuTime(u.user)}\r\n`,
    );
  }
  if (all || sections.has('module_list') || sections.has('modules')) out.push('# Modules\r\n');
  if (want('commandstats')) {
    let cs = '# Commandstats\r\n';
    for (const spec of allCommands()) {
      const x = spec.stats;
      if (x.calls || x.failed || x.rejected) {
        cs +=
          `cmdstat_${safeInfo(spec.fullname)}:calls=${x.calls},usec=${x.usec},usec_per_call=${f2(x.calls ? x.usec / x.calls : 0)}` +
          `,rejected_calls=${x.rejected},failed_calls=${x.failed}\r\n`;
      }
    }
    out.push(cs);
  }
  if (want('errorstats')) {
    let es = '# Errorstats\r\n';
    const codes = [...st.errors.keys()].sort((a, b) => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')));
    for (const code of codes) es += `errorstat_${safeInfo(code)}:count=${st.errors.get(code)}\r\n`;
    out.push(es);
  }
  if (want('latencystats')) {
    let ls = '# Latencystats\r\n';
    if (s.config.bool('latency-tracking')) {
      for (const spec of allCommands()) if (spec.stats.calls) ls += latencyLine(safeInfo(spec.fullname), spec.stats);
    }
    out.push(ls);
  }
  if (want('cluster')) out.push('# Cluster\r\ncluster_enabled:0\r\n');
  if (want('keyspace')) {
    let ks = '# Keyspace\r\n';
    for (const db of s.dbs) {
      if (db.dict.size || db.expires.size) ks += `db${db.id}:keys=${db.dict.size},expires=${db.expires.size},avg_ttl=${avgTtl(db, now)}\r\n`;
    }
    out.push(ks);
  }
  return out.join('\r\n');
}

function numShardChannels(s: Server): number {
  const p = s.pubsub as unknown as { numShardChannels?: () => number };
  return typeof p.numShardChannels === 'function' ? p.numShardChannels() : 0;
}

/** Redis's startup allocation (used_memory_startup) as reported by 7.0.15 on x86_64; redlua reports it as the baseline. */
const STARTUP_MEMORY = 876200;

/** instantaneous_* metrics: deltas over the last sampling window (trackInstantaneousMetric, 100ms samples x 16). */
function instMetric(s: Server): { ops: number; inKbps: number; outKbps: number } {
  const now = Date.now();
  const cur = { t: now, cmds: s.stats.totalCommands, in: s.stats.netInput, out: s.stats.netOutput };
  const metricSamples = stateOf(s).samples;
  while (metricSamples.length && now - metricSamples[0].t > 1600) metricSamples.shift();
  metricSamples.push(cur);
  const first = metricSamples[0];
  const dt = (now - first.t) / 1000;
  if (dt <= 0) return { ops: 0, inKbps: 0, outKbps: 0 };
  return {
    ops: Math.round((cur.cmds - first.cmds) / dt),
    inKbps: (cur.in - first.in) / dt / 1024,
    outKbps: (cur.out - first.out) / dt / 1024,
  };
}

export function infoCommand(c: Client, argv: Buffer[]): void {
  let all = false;
  const sections = new Set<string>();
  if (argv.length === 1) for (const d of DEFAULT_SECTIONS) sections.add(d);
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].toString('latin1').toLowerCase();
    if (a === 'default') for (const d of DEFAULT_SECTIONS) sections.add(d);
    else if (a === 'all' || a === 'everything') all = true;
    else sections.add(a);
  }
  c.reply.verbatim(Buffer.from(genInfoString(c, sections, all), 'latin1'));
}

// ---------------------------------------------------------------------------------------------------------------
// CONFIG

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

export function configHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, CONFIG_HELP);
}

export function configGetCommand(c: Client, argv: Buffer[]): void {
  // Matches are keyed case-insensitively; an exact name is answered as typed, first spelling wins (configGetCommand).
  const matches = new Map<string, [string, string]>();
  for (let i = 2; i < argv.length; i++) {
    const p = argv[i].toString('latin1');
    const exact = !/[*?[]/.test(p);
    for (const [k, v] of c.server.config.getMatching([p])) {
      const low = k.toLowerCase();
      if (!matches.has(low)) matches.set(low, [exact ? p : k, v]);
    }
  }
  c.reply.mapLen(matches.size);
  for (const [k, v] of matches.values()) {
    c.reply.bulk(Buffer.from(k, 'latin1'));
    c.reply.bulk(Buffer.from(v, 'latin1'));
  }
}

export function configSetCommand(c: Client, argv: Buffer[]): void {
  if (argv.length & 1) {
    c.reply.error(E.SYNTAX);
    return;
  }
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i].toString('latin1'), argv[i + 1].toString('latin1')]);
  const err = c.server.config.setMany(pairs);
  if (err !== null) c.reply.error(err);
  else c.reply.ok();
}

/** CONFIG RESETSTAT: server stats, command stats and error stats (not the slowlog), as resetServerStats & co. */
export function configResetstatCommand(c: Client): void {
  c.server.stats.reset();
  for (const spec of allCommands()) {
    spec.stats.calls = spec.stats.usec = spec.stats.rejected = spec.stats.failed = 0;
  }
  stateOf(c.server).samples.length = 0;
  c.reply.ok();
}

/** redlua does not keep the path of the file it was started with, so it answers as a server without config file. */
export function configRewriteCommand(c: Client): void {
  c.reply.error('ERR The server is running without a config file');
}

// ---------------------------------------------------------------------------------------------------------------
// COMMAND

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

function replyAllCommandInfo(c: Client): void {
  c.reply.arrayLen(commandTable.size);
  for (const spec of commandTable.values()) writeTree(c.reply, spec.info);
}

export function commandCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 1) return replyAllCommandInfo(c);
  subcommandSyntaxError(c, argv);
}

export function commandHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, COMMAND_HELP);
}

export function commandCountCommand(c: Client): void {
  c.reply.int(commandTable.size);
}

export function commandInfoCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 2) return replyAllCommandInfo(c);
  c.reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const spec = lookupByName(argv[i].toString('latin1'));
    if (spec) writeTree(c.reply, spec.info);
    else c.reply.null();
  }
}

function writeDocs(c: Client, spec: CommandSpec): void {
  c.reply.bulkStr(spec.fullname);
  if (spec.docs) writeTree(c.reply, spec.docs);
  else c.reply.mapLen(0);
}

export function commandDocsCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 2) {
    c.reply.mapLen(commandTable.size);
    for (const spec of commandTable.values()) writeDocs(c, spec);
    return;
  }
  const found: CommandSpec[] = [];
  for (let i = 2; i < argv.length; i++) {
    const spec = lookupByName(argv[i].toString('latin1'));
    if (spec) found.push(spec);
  }
  c.reply.mapLen(found.length);
  for (const spec of found) writeDocs(c, spec);
}

export function commandListCommand(c: Client, argv: Buffer[]): void {
  let filter: { type: 'module' | 'aclcat' | 'pattern'; arg: Buffer } | null = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (eqi(argv[i], 'filterby') && more === 2) {
      const t = argv[i + 1];
      let type: 'module' | 'aclcat' | 'pattern';
      if (eqi(t, 'module')) type = 'module';
      else if (eqi(t, 'aclcat')) type = 'aclcat';
      else if (eqi(t, 'pattern')) type = 'pattern';
      else {
        c.reply.error(E.SYNTAX);
        return;
      }
      filter = { type, arg: argv[i + 2] };
      i += 2;
    } else {
      c.reply.error(E.SYNTAX);
      return;
    }
  }
  const names: string[] = [];
  const cat = filter && filter.type === 'aclcat' ? '@' + filter.arg.toString('latin1').toLowerCase() : '';
  for (const spec of allCommands()) {
    if (filter) {
      if (filter.type === 'module') continue;
      if (filter.type === 'aclcat' && !spec.aclCategories.some(x => x.toLowerCase() === cat)) continue;
      if (filter.type === 'pattern' && !stringMatch(filter.arg, Buffer.from(spec.fullname, 'latin1'), true)) continue;
    }
    names.push(spec.fullname);
  }
  c.reply.arrayLen(names.length);
  for (const n of names) c.reply.bulkStr(n);
}

interface KeyRef {
  pos: number;
  flags: string[];
}

/**
 * getKeysFromCommandWithSpecs: key positions with the flags of the spec that found them, null when the specs are
 * invalid for these arguments (Redis then falls back to the command's getkeys_proc, which for the built-in commands
 * reports no keys for the same malformed inputs, e.g. a bad numkeys).
 */
export function commandKeys(spec: CommandSpec, argv: Buffer[]): KeyRef[] | null {
  const special = specialGetKeys(spec.fullname, argv);
  if (special) return special;
  const out: KeyRef[] = [];
  const argc = argv.length;
  let incomplete = false;
  for (const ks of spec.keySpecs) {
    if (ks.flags.includes('not_key')) continue;
    let first = 0;
    if (ks.begin.type === 'index') first = ks.begin.index;
    else if (ks.begin.type === 'keyword') {
      const kw = ks.begin.keyword;
      const start = ks.begin.startfrom > 0 ? ks.begin.startfrom : argc + ks.begin.startfrom;
      const end = ks.begin.startfrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i].toString('latin1').toLowerCase() === kw.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      // the loop above stops before end_index (as Redis's does)
      if (!first) continue;
    } else return null;
    let last: number;
    let step: number;
    if (ks.find.type === 'range') {
      step = ks.find.keystep;
      if (ks.find.lastkey >= 0) last = first + ks.find.lastkey;
      else if (!ks.find.limit) last = argc + ks.find.lastkey;
      else last = first + (Math.floor((argc - first) / ks.find.limit) + ks.find.lastkey);
    } else if (ks.find.type === 'keynum') {
      step = ks.find.keystep;
      const idx = first + ks.find.keynumidx;
      if (idx >= argc) return null;
      const n = string2ll(argv[idx]);
      if (n === null || n < 0) return null;
      first += ks.find.firstkey;
      last = first + n - 1;
    } else return null;
    if (last >= argc || last < first || first >= argc) {
      if (last < first && ks.find.type === 'keynum') continue; // numkeys 0
      return null;
    }
    let flags = ks.flags.filter(f => f !== 'variable_flags');
    if (spec.fullname === 'set') {
      // setGetKeys: OW+UPDATE, or RW+ACCESS+UPDATE with GET
      let get = false;
      for (let i = 3; i < argc; i++) if (eqi(argv[i], 'get')) get = true;
      flags = get ? ['RW', 'access', 'update'] : ['OW', 'update'];
    }
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags });
    if (ks.flags.includes('incomplete')) incomplete = true;
  }
  if (incomplete && spec.has(F.movablekeys)) {
    // Incomplete specs: Redis uses the command's own key finder; key positions found so far are still right for
    // the built-in commands, so keep them.
  }
  return out;
}

/** The getkeys_proc of the commands whose key specs are incomplete or have variable flags (db.c *GetKeys). */
function specialGetKeys(name: string, argv: Buffer[]): KeyRef[] | null {
  const argc = argv.length;
  switch (name) {
    case 'sort_ro':
      return [{ pos: 1, flags: ['RO', 'access'] }];
    case 'sort': {
      const out: KeyRef[] = [{ pos: 1, flags: ['RO', 'access'] }];
      let store = 0;
      for (let i = 2; i < argc; i++) {
        if (eqi(argv[i], 'limit')) i += 2;
        else if (eqi(argv[i], 'get') || eqi(argv[i], 'by')) i += 1;
        else if (eqi(argv[i], 'store') && i + 1 < argc) store = i + 1;
      }
      if (store) out.push({ pos: store, flags: ['OW', 'update'] });
      return out;
    }
    case 'migrate': {
      let first = 3;
      let num = 1;
      if (argc > 6) {
        for (let i = 6; i < argc; i++) {
          if (eqi(argv[i], 'keys')) {
            if (argv[3].length > 0) num = 0;
            else {
              first = i + 1;
              num = argc - first;
            }
            break;
          }
          if (eqi(argv[i], 'auth')) i += 1;
          else if (eqi(argv[i], 'auth2')) i += 2;
        }
      }
      const out: KeyRef[] = [];
      for (let i = 0; i < num; i++) out.push({ pos: first + i, flags: ['RW', 'access', 'delete'] });
      return out;
    }
    case 'bitfield': {
      let readonly = true;
      for (let i = 2; i < argc; i++) {
        const rem = argc - i - 1;
        if (eqi(argv[i], 'get') && rem >= 2) i += 2;
        else if ((eqi(argv[i], 'set') || eqi(argv[i], 'incrby')) && rem >= 3) {
          readonly = false;
          break;
        } else if (eqi(argv[i], 'overflow') && rem >= 1) i += 1;
        else {
          readonly = false;
          break;
        }
      }
      return [{ pos: 1, flags: readonly ? ['RO', 'access'] : ['RW', 'access', 'update'] }];
    }
  }
  return null;
}

function getKeysSubcommand(c: Client, argv: Buffer[], withFlags: boolean): void {
  const cmdArgv = argv.slice(2);
  const spec = lookupCommand(cmdArgv);
  if (!spec) {
    c.reply.error('ERR Invalid command specified');
    return;
  }
  const hasKeys = spec.has(F.movablekeys) || spec.keySpecs.some(k => !k.flags.includes('not_key'));
  if (!hasKeys) {
    c.reply.error('ERR The command has no key arguments');
    return;
  }
  if (!arityOk(spec, cmdArgv.length)) {
    c.reply.error('ERR Invalid number of arguments specified for command');
    return;
  }
  const keys = commandKeys(spec, cmdArgv);
  if (keys === null || keys.length === 0) {
    if (spec.has(F.no_mandatory_keys)) c.reply.arrayLen(0);
    else c.reply.error('ERR Invalid arguments specified for command');
    return;
  }
  c.reply.arrayLen(keys.length);
  for (const k of keys) {
    if (withFlags) {
      c.reply.arrayLen(2);
      c.reply.bulk(cmdArgv[k.pos]);
      c.reply.setLen(k.flags.length);
      for (const f of k.flags) c.reply.simple(f);
    } else c.reply.bulk(cmdArgv[k.pos]);
  }
}

export function commandGetkeysCommand(c: Client, argv: Buffer[]): void {
  getKeysSubcommand(c, argv, false);
}

export function commandGetkeysandflagsCommand(c: Client, argv: Buffer[]): void {
  getKeysSubcommand(c, argv, true);
}

// ---------------------------------------------------------------------------------------------------------------
// SLOWLOG

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

export function slowlogHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, SLOWLOG_HELP);
}

export function slowlogGetCommand(c: Client, argv: Buffer[]): void {
  const s = c.server;
  let count = 10;
  if (argv.length === 3) {
    const v = string2ll(argv[2]);
    if (v === null || v < -1) {
      c.reply.error('ERR count should be greater than or equal to -1');
      return;
    }
    count = v === -1 ? s.slowlog.length : v;
  } else if (argv.length > 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  const n = Math.min(count, s.slowlog.length);
  const r = c.reply;
  r.arrayLen(n);
  for (let i = 0; i < n; i++) {
    const e = s.slowlog[i];
    r.arrayLen(6);
    r.int(e.id);
    r.int(e.time);
    r.int(e.usec);
    r.arrayLen(e.argv.length);
    for (const a of e.argv) r.bulk(a);
    r.bulkStr(e.addr);
    r.bulkStr(e.name);
  }
}

export function slowlogLenCommand(c: Client): void {
  c.reply.int(c.server.slowlog.length);
}

export function slowlogResetCommand(c: Client): void {
  c.server.slowlog = [];
  c.reply.ok();
}

// ---------------------------------------------------------------------------------------------------------------
// MEMORY

const MEMORY_HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

/** jemalloc's size classes (16-byte quantum): what zmalloc_size reports for an allocation of n bytes. */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) & ~15;
  // four classes per doubling above 128
  let base = 128;
  while (n > base * 2) base *= 2;
  const step = base / 4;
  return Math.ceil(n / step) * step;
}

/** sdsZmallocSize of an sds string of `len` bytes (header type chosen as sdsReqType does). */
function sdsAlloc(len: number, forKey = false): number {
  const hdr = len < 32 && forKey ? 1 : len < 256 ? 3 : len < 65536 ? 5 : 9;
  return jemallocSize(hdr + len + 1);
}

/** Bytes of the listpack "backlen" field for an entry of `l` bytes. */
function lpBacklen(l: number): number {
  return l < 128 ? 1 : l < 16384 ? 2 : l < 2097152 ? 3 : l < 268435456 ? 4 : 5;
}

/** lpEncodeBacklen-inclusive size of an integer entry. */
function lpIntEntry(n: number | bigint): number {
  const v = typeof n === 'bigint' ? n : BigInt(n);
  let enc: number;
  if (v >= 0n && v <= 127n) enc = 1;
  else if (v >= -4096n && v <= 4095n) enc = 2;
  else if (v >= -32768n && v <= 32767n) enc = 3;
  else if (v >= -8388608n && v <= 8388607n) enc = 4;
  else if (v >= -2147483648n && v <= 2147483647n) enc = 5;
  else enc = 9;
  return enc + lpBacklen(enc);
}

/** Size of a listpack entry holding `b` (strings that are canonical integers are stored as integers, as lpAppend does). */
function lpEntrySize(b: Buffer | string): number {
  const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  const len = buf.length;
  if (len > 0 && len <= 20) {
    const n = string2llBig(buf);
    if (n !== null) return lpIntEntry(n);
  }
  const hdr = len < 64 ? 1 : len < 4096 ? 2 : 5;
  return hdr + len + lpBacklen(hdr + len);
}

/** The elements of a value as the families hold them: Deque (list), SetValue, HashValue, ZSet, Stream. */
interface Elements {
  /** number of elements (entries for hashes and zsets) */
  n: number;
  /** the first `k` elements: their string bytes, and for hashes/zsets the paired value */
  sample(k: number): { a: Buffer | string; b?: Buffer | string | number }[];
}

function elementsOf(o: RObj): Elements {
  const v = o.value as Record<string, unknown> & { length?: number; size?: number };
  if (o.type === 'list') {
    const d = v as unknown as { length: number; get(i: number): Buffer | undefined };
    return {
      n: d.length,
      sample: k => {
        const out = [];
        for (let i = 0; i < Math.min(k, d.length); i++) out.push({ a: d.get(i)! });
        return out;
      },
    };
  }
  if (o.type === 'set') {
    const s = v as unknown as { ints: bigint[] | null; members: string[] };
    if (s.ints) return { n: s.ints.length, sample: k => s.ints!.slice(0, k).map(x => ({ a: String(x) })) };
    return { n: s.members.length, sample: k => s.members.slice(0, k).map(x => ({ a: x })) };
  }
  if (o.type === 'hash') {
    const m = (v as unknown as { map: Map<string, { v: Buffer }> }).map;
    return {
      n: m.size,
      sample: k => {
        const out = [];
        for (const [f, e] of m) {
          if (out.length >= k) break;
          out.push({ a: f, b: e.v });
        }
        return out;
      },
    };
  }
  if (o.type === 'zset') {
    const m = (v as unknown as { dict: Map<string, number> }).dict;
    return {
      n: m.size,
      sample: k => {
        const out = [];
        for (const [e, score] of m) {
          if (out.length >= k) break;
          out.push({ a: e, b: score });
        }
        return out;
      },
    };
  }
  // stream
  const st = v as unknown as { length: number };
  return { n: st.length ?? 0, sample: () => [] };
}

/** A zset score as a listpack entry: integral scores are stored as integers, others as their %.17g text. */
function lpScoreSize(score: number): number {
  if (Number.isInteger(score) && Math.abs(score) < 2 ** 63) return lpIntEntry(BigInt(score));
  return lpEntrySize(formatDouble(score));
}

/** Listpack bytes of a value in a listpack encoding (header 6 + entries + end byte). */
function listpackBytes(o: RObj, els: Elements): number {
  let bytes = 0;
  for (const e of els.sample(els.n)) {
    bytes += lpEntrySize(e.a);
    if (e.b !== undefined) bytes += typeof e.b === 'number' ? lpScoreSize(e.b) : lpEntrySize(e.b);
  }
  void o;
  return 6 + bytes + 1;
}

/** DICT_HT_INITIAL_SIZE 4, doubling: the slots of a dict holding n entries. */
function dictSlots(n: number): number {
  let s = 4;
  while (s < n) s *= 2;
  return s;
}

/**
 * objectComputeSize, from the value as redlua holds it, with Redis 7.0's allocation model on x86_64 with jemalloc:
 * robj 16 bytes, embstr up to 44 bytes, sds headers, jemalloc size classes; listpack/intset encodings are one
 * allocation of the encoded entries; hashtables are dict (56) + 8 per slot + dictEntry (24) + sds per element;
 * skiplists add the zset/zskiplist structs, the 32-level header node and one node per element; quicklists are
 * 40-byte nodes of up to 8 KB listpacks. Aggregates in a hashtable/skiplist encoding average the first `samples`
 * elements and scale to the element count, like Redis; listpacks are measured exactly. Streams are approximated
 * (rax nodes of 4 KB preallocated listpacks).
 */
export function objectSize(o: RObj, samples: number): number {
  const ROBJ = 16;
  if (o.type === 'string') {
    const len = (o.value as Buffer).length;
    const enc = stringEncoding(o);
    if (enc === 'int') return ROBJ;
    if (enc === 'embstr') return jemallocSize(ROBJ + 3 + len + 1);
    // strings grown in place (APPEND, SETRANGE, SETBIT: enc 'raw') were allocated greedily by sdsMakeRoomFor
    if (o.enc === 'raw') return sdsAlloc(len < 1024 * 1024 ? len * 2 : len + 1024 * 1024) + ROBJ;
    return sdsAlloc(len) + ROBJ;
  }
  const els = elementsOf(o);
  const n = els.n;
  const enc = objectEncoding(o);
  const k = Math.min(n, samples);
  const sampled = els.sample(k);
  const avg = (f: (e: { a: Buffer | string; b?: Buffer | string | number }) => number): number => {
    if (!sampled.length) return 0;
    let t = 0;
    for (const e of sampled) t += f(e);
    return (t / sampled.length) * n;
  };
  switch (enc) {
    case 'listpack':
      return ROBJ + jemallocSize(listpackBytes(o, els));
    case 'intset': {
      let width = 2;
      for (const e of els.sample(n)) {
        const x = BigInt(e.a.toString());
        const ax = x < 0n ? -x : x;
        if (ax > 2147483647n) width = 8;
        else if (ax > 32767n && width < 4) width = 4;
      }
      return ROBJ + jemallocSize(8 + n * width);
    }
    case 'quicklist': {
      // entries packed into listpacks of at most 8 KB (list-max-listpack-size -2)
      // Redis samples whole quicklist nodes (128 entries each is typical): measure that many elements
      const some = els.sample(Math.min(n, Math.max(1024, samples === Infinity ? n : samples * 128)));
      let bytes = 0;
      for (const e of some) bytes += lpEntrySize(e.a);
      const total = some.length ? (bytes / some.length) * n : 0;
      const nodes = Math.max(1, Math.ceil(total / 8192));
      return ROBJ + 40 + nodes * (40 + jemallocSize(Math.round(6 + total / nodes + 1)));
    }
    case 'hashtable': {
      const base = ROBJ + 56 + 8 * dictSlots(n);
      if (o.type === 'hash') return Math.round(base + avg(e => 24 + sdsAlloc(e.a.length, true) + sdsAlloc((e.b as Buffer).length, true)));
      return Math.round(base + avg(e => 24 + sdsAlloc(e.a.length, true)));
    }
    case 'skiplist': {
      const base = ROBJ + 16 + 32 + 56 + 8 * dictSlots(n) + jemallocSize(24 + 32 * 16);
      return Math.round(base + avg(e => sdsAlloc(e.a.length, true) + 24 + 48));
    }
  }
  // stream
  const nodes = Math.max(1, Math.ceil(n / 100));
  return ROBJ + 600 + nodes * 4096;
}

/** rdbSavedObjectLen's length prefix. */
function rdbLenPrefix(n: number): number {
  return n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9;
}

/** rdbSaveRawString size (integer encodings for short canonical integers; LZF compression is not modelled). */
function rdbStringLen(b: Buffer | string): number {
  const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  if (buf.length <= 11) {
    const n = string2ll(buf);
    if (n !== null) {
      if (n >= -128 && n <= 127) return 2;
      if (n >= -32768 && n <= 32767) return 3;
      if (n >= -2147483648 && n <= 2147483647) return 5;
    }
  }
  return rdbLenPrefix(buf.length) + buf.length;
}

/** rdbSavedObjectLen: what DEBUG OBJECT reports as serializedlength (exact except for LZF-compressible data and streams). */
function serializedLength(o: RObj): number {
  if (o.type === 'string') return rdbStringLen(o.value as Buffer);
  const els = elementsOf(o);
  const enc = objectEncoding(o);
  const blob = (bytes: number) => rdbLenPrefix(bytes) + bytes;
  switch (enc) {
    case 'listpack':
      return blob(listpackBytes(o, els));
    case 'intset':
      return blob(intsetBytes(els));
    case 'quicklist': {
      let bytes = 0;
      for (const e of els.sample(els.n)) bytes += lpEntrySize(e.a);
      const nodes = Math.max(1, Math.ceil(bytes / 8192));
      const per = Math.round(6 + bytes / nodes + 1);
      return rdbLenPrefix(nodes) + nodes * (1 + blob(per));
    }
    case 'hashtable': {
      let t = rdbLenPrefix(els.n);
      for (const e of els.sample(els.n)) t += rdbStringLen(e.a) + (e.b !== undefined ? rdbStringLen(e.b as Buffer) : 0);
      return t;
    }
    case 'skiplist': {
      let t = rdbLenPrefix(els.n);
      for (const e of els.sample(els.n)) t += rdbStringLen(e.a) + 8;
      return t;
    }
  }
  return rdbLenPrefix(els.n) + 50 * Math.max(1, els.n);
}

function intsetBytes(els: Elements): number {
  let width = 2;
  for (const e of els.sample(els.n)) {
    const x = BigInt(e.a.toString());
    const ax = x < 0n ? -x : x;
    if (ax > 2147483647n) width = 8;
    else if (ax > 32767n && width < 4) width = 4;
  }
  return 8 + els.n * width;
}

export function memoryHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, MEMORY_HELP);
}

export function memoryUsageCommand(c: Client, argv: Buffer[]): void {
  let samples = 5;
  for (let j = 3; j < argv.length; j++) {
    if (eqi(argv[j], 'samples') && j + 1 < argv.length) {
      const v = getLongLongOrReply(c, argv[j + 1]);
      if (v === null) return;
      if (v < 0) {
        c.reply.error(E.SYNTAX);
        return;
      }
      samples = v === 0 ? Infinity : v;
      j++;
    } else {
      c.reply.error(E.SYNTAX);
      return;
    }
  }
  const key = keyStr(argv[2]);
  const o = c.db.dict.get(key);
  if (o === undefined) {
    c.reply.null();
    return;
  }
  c.reply.int(objectSize(o, samples) + sdsAlloc(key.length, true) + 24);
}

export function memoryStatsCommand(c: Client): void {
  const s = c.server;
  const used = s.memory.used();
  const peak = Math.max(s.memory.peak, used);
  const mu = process.memoryUsage();
  const overhead = STARTUP_MEMORY + s.clients.size * 20000;
  const dataset = Math.max(0, used - overhead);
  const allocated = mu.heapUsed + mu.external;
  const active = mu.heapTotal + mu.external;
  const si = s.scripting.info();
  const r = c.reply;
  const dbs = s.dbs.filter(d => d.dict.size || d.expires.size);
  let keys = 0;
  for (const d of s.dbs) keys += d.dict.size;
  r.mapLen(27 + dbs.length);
  const kv = (k: string, v: number) => {
    r.bulkStr(k);
    r.int(Math.round(v));
  };
  const kd = (k: string, v: number) => {
    r.bulkStr(k);
    r.double(Number.isFinite(v) ? v : 0);
  };
  kv('peak.allocated', peak);
  kv('total.allocated', used);
  kv('startup.allocated', STARTUP_MEMORY);
  kv('replication.backlog', 0);
  kv('clients.slaves', 0);
  kv('clients.normal', s.clients.size * 17160);
  kv('cluster.links', 0);
  kv('aof.buffer', 0);
  kv('lua.caches', Number(si['lua.caches'] ?? si.used_memory_scripts_eval ?? 0));
  kv('functions.caches', Number(si['functions.caches'] ?? si.used_memory_functions ?? 184));
  for (const d of dbs) {
    r.bulkStr(`db.${d.id}`);
    r.mapLen(3);
    kv('overhead.hashtable.main', 48 + 2 ** Math.ceil(Math.log2(Math.max(4, d.dict.size))) * 8 + d.dict.size * 24);
    kv('overhead.hashtable.expires', d.expires.size ? 48 + 2 ** Math.ceil(Math.log2(Math.max(4, d.expires.size))) * 8 + d.expires.size * 24 : 32);
    kv('overhead.hashtable.slot-to-keys', 0);
  }
  kv('overhead.total', overhead);
  kv('keys.count', keys);
  kv('keys.bytes-per-key', keys ? Math.floor((used - STARTUP_MEMORY) / keys) : 0);
  kv('dataset.bytes', dataset);
  kd('dataset.percentage', used > STARTUP_MEMORY ? (dataset * 100) / (used - STARTUP_MEMORY) : 0);
  kd('peak.percentage', (used * 100) / peak);
  kv('allocator.allocated', allocated);
  kv('allocator.active', active);
  kv('allocator.resident', mu.rss);
  kd('allocator-fragmentation.ratio', active / allocated);
  kv('allocator-fragmentation.bytes', active - allocated);
  kd('allocator-rss.ratio', mu.rss / active);
  kv('allocator-rss.bytes', mu.rss - active);
  kd('rss-overhead.ratio', 1);
  kv('rss-overhead.bytes', 0);
  kd('fragmentation', mu.rss / used);
  kv('fragmentation.bytes', mu.rss - used);
}

const DOCTOR_EMPTY =
  "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
const DOCTOR_OK = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";

/** MEMORY DOCTOR: redlua has no allocator to diagnose; small datasets get Redis's "empty instance" report. */
export function memoryDoctorCommand(c: Client): void {
  let keys = 0;
  for (const d of c.server.dbs) keys += d.dict.size;
  c.reply.verbatim(keys < 10000 ? DOCTOR_EMPTY : DOCTOR_OK);
}

export function memoryMallocStatsCommand(c: Client): void {
  const m = process.memoryUsage();
  c.reply.verbatim(
    `Stats not supported for the current allocator\nredlua (V8 heap): rss=${m.rss} heapTotal=${m.heapTotal} heapUsed=${m.heapUsed} external=${m.external} arrayBuffers=${m.arrayBuffers}\n`,
  );
}

export function memoryPurgeCommand(c: Client): void {
  c.server.memory.invalidate();
  c.reply.ok();
}

// ---------------------------------------------------------------------------------------------------------------
// LATENCY (the latency monitor is disabled: latency-monitor-threshold is 0 and not settable in redlua)

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

export function latencyHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, LATENCY_HELP);
}

export function latencyLatestCommand(c: Client): void {
  c.reply.arrayLen(0);
}

export function latencyHistoryCommand(c: Client): void {
  c.reply.arrayLen(0);
}

export function latencyResetCommand(c: Client): void {
  c.reply.int(0);
}

export function latencyGraphCommand(c: Client, argv: Buffer[]): void {
  c.reply.errorSafe(`ERR No samples available for event '${argv[2].toString('latin1')}'`);
}

export function latencyDoctorCommand(c: Client): void {
  c.reply.verbatim(
    "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n",
  );
}

/** One command's histogram: redlua keeps no distribution, so all calls land in the bucket of the mean latency. */
function writeHistogram(r: Reply, spec: CommandSpec): void {
  r.bulkStr(spec.fullname);
  r.mapLen(2);
  r.bulkStr('calls');
  r.int(spec.stats.calls);
  r.bulkStr('histogram_usec');
  const mean = spec.stats.usec / Math.max(1, spec.stats.calls);
  let edge = 1.024;
  while (edge < mean) edge *= 2;
  r.mapLen(1);
  r.int(Math.round(edge));
  r.int(spec.stats.calls);
}

export function latencyHistogramCommand(c: Client, argv: Buffer[]): void {
  const list: CommandSpec[] = [];
  if (argv.length === 2) {
    for (const spec of allCommands()) if (spec.stats.calls) list.push(spec);
  } else {
    for (let i = 2; i < argv.length; i++) {
      const spec = lookupByName(argv[i].toString('latin1'));
      if (!spec) continue;
      if (spec.stats.calls) list.push(spec);
      if (spec.subcommands) for (const sub of spec.subcommands.values()) if (sub.stats.calls) list.push(sub);
    }
  }
  c.reply.mapLen(list.length);
  for (const spec of list) writeHistogram(c.reply, spec);
}

// ---------------------------------------------------------------------------------------------------------------
// DEBUG (the subset test suites use)

const DEBUG_HELP = [
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'MALLCTL <key> [<val>]',
  '    Get or set a malloc tuning integer.',
  'MALLCTL-STR <key> [<val>]',
  '    Get or set a malloc tuning string.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Enables or disables checksum checks for RDB files and RESTORE\'s payload.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different Redis core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
];

/** atoi: leading whitespace, optional sign, digits; anything else stops (0 if none). */
function atoi(b: Buffer): number {
  const m = /^\s*([+-]?\d+)/.exec(b.toString('latin1'));
  return m ? Number(m[1]) | 0 : 0;
}

/** A stable fake address per object, for "Value at:0x…". */
const addrs = new WeakMap<object, string>();
let nextAddr = 0x7f0000100000;
function objAddr(o: object): string {
  let a = addrs.get(o);
  if (!a) {
    a = '0x' + nextAddr.toString(16);
    nextAddr += 0x40;
    addrs.set(o, a);
  }
  return a;
}

// ---- DEBUG DIGEST / DIGEST-VALUE (debug.c xorDigest/mixDigest/xorObjectDigest, bit-exact) ----

function sha1(data: Uint8Array): Buffer {
  return createHash('sha1').update(data).digest();
}

function xorDigest(digest: Buffer, data: Uint8Array): void {
  const h = sha1(data);
  for (let j = 0; j < 20; j++) digest[j] ^= h[j];
}

function mixDigest(digest: Buffer, data: Uint8Array): void {
  xorDigest(digest, data);
  sha1(digest).copy(digest);
}

const TYPE_CODE: Record<string, number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 };
const EXPIRE_MARK = Buffer.from('!!expire!!');

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

const lat = (x: Buffer | string): Buffer => (typeof x === 'string' ? Buffer.from(x, 'latin1') : x);

function xorObjectDigest(db: Db, key: string, digest: Buffer, o: RObj): void {
  mixDigest(digest, u32be(TYPE_CODE[o.type] ?? 5));
  if (o.type === 'string') mixDigest(digest, o.value as Buffer);
  else if (o.type === 'list' || o.type === 'set') {
    const els = elementsOf(o);
    for (const e of els.sample(els.n)) (o.type === 'list' ? mixDigest : xorDigest)(digest, lat(e.a));
  } else if (o.type === 'zset' || o.type === 'hash') {
    const els = elementsOf(o);
    for (const e of els.sample(els.n)) {
      const ed = Buffer.alloc(20);
      mixDigest(ed, lat(e.a));
      mixDigest(ed, typeof e.b === 'number' ? Buffer.from(formatG(e.b, 17)) : lat(e.b as Buffer | string));
      xorDigest(digest, ed);
    }
  } else if (o.type === 'stream') {
    // every live entry in ID order: "ms.seq", then its fields and values
    (o.value as Stream).range(0, 0, U64_MAX, U64_MAX, false, e => {
      mixDigest(digest, Buffer.from(`${e.ms}.${e.seq}`));
      for (const f of e.fv()) mixDigest(digest, f);
      return true;
    });
  }
  if (db.expires.has(key)) xorDigest(digest, EXPIRE_MARK);
}

function computeDatasetDigest(s: Server): Buffer {
  const final = Buffer.alloc(20);
  for (const db of s.dbs) {
    if (db.dict.size === 0) continue;
    mixDigest(final, u32be(db.id));
    for (const [key, o] of db.dict) {
      const d = Buffer.alloc(20);
      mixDigest(d, Buffer.from(key, 'latin1'));
      xorObjectDigest(db, key, d, o);
      xorDigest(final, d);
    }
  }
  return final;
}

function debugObject(c: Client, argv: Buffer[]): void {
  const o = c.db.dict.get(keyStr(argv[2]));
  if (o === undefined) {
    c.reply.error(E.NOKEY);
    return;
  }
  const enc = objectEncoding(o);
  const refcount = isSharedInteger(c, o) ? OBJ_SHARED_REFCOUNT : 1;
  let extra = '';
  if (enc === 'quicklist') {
    const els = elementsOf(o);
    let bytes = 0;
    for (const e of els.sample(els.n)) bytes += lpEntrySize(e.a);
    const nodes = Math.max(1, Math.ceil(bytes / 8192));
    const cfg = c.server.config;
    extra =
      ` ql_nodes:${nodes} ql_avg_node:${(els.n / nodes).toFixed(2)} ql_listpack_max:${cfg.num('list-max-listpack-size')}` +
      ` ql_compressed:${cfg.num('list-compress-depth') !== 0 ? 1 : 0} ql_uncompressed_size:${Math.round(6 + bytes / nodes + 1) * nodes}`;
  }
  const lru = Math.floor(o.lru / 1000) & 0xffffff;
  const idle = Math.max(0, Math.floor((Date.now() - o.lru) / 1000));
  c.reply.simple(
    `Value at:${objAddr(o)} refcount:${refcount} encoding:${enc} serializedlength:${serializedLength(o)} lru:${lru} lru_seconds_idle:${idle}${extra}`,
  );
}

function debugProtocol(c: Client, argv: Buffer[]): void {
  const r = c.reply;
  const name = argv[2].toString('latin1').toLowerCase();
  switch (name) {
    case 'string':
      return r.bulkStr('Hello World');
    case 'integer':
      return r.int(12345);
    case 'double':
      return r.double(3.141);
    case 'bignum':
      return r.bigNumber('1234567999999999999999999999999999999');
    case 'null':
      return r.null();
    case 'array':
      r.arrayLen(3);
      for (let j = 0; j < 3; j++) r.int(j);
      return;
    case 'set':
      r.setLen(3);
      for (let j = 0; j < 3; j++) r.int(j);
      return;
    case 'map':
      r.mapLen(3);
      for (let j = 0; j < 3; j++) {
        r.int(j);
        r.bool(j === 1);
      }
      return;
    case 'attrib':
      if (c.resp >= 3) {
        r.attributeLen(1);
        r.bulkStr('key-popularity');
        r.arrayLen(2);
        r.bulkStr('key:123');
        r.int(90);
      }
      return r.bulkStr('Some real reply following the attribute');
    case 'push':
      if (c.resp < 3) return r.error('ERR RESP2 is not supported by this command');
      r.pushLen(2);
      r.bulkStr('server-cpu-usage');
      r.int(42);
      return r.bulkStr('Some real reply following the push reply');
    case 'true':
      return r.bool(true);
    case 'false':
      return r.bool(false);
    case 'verbatim':
      return r.verbatim('This is a verbatim\nstring');
  }
  r.error(
    'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
  );
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const CRLF = Buffer.from('\r\n');

/** DEBUG POPULATE count [prefix] [size]: "prefix:N" = "value:N" (padded with NULs / cut to size), existing keys kept. */
function debugPopulate(c: Client, argv: Buffer[]): void {
  const count = getPositiveLongOrReply(c, argv[2]);
  if (count === null) return;
  let size = 0;
  if (argv.length === 5) {
    const v = getPositiveLongOrReply(c, argv[4]);
    if (v === null) return;
    size = v;
  }
  const prefix = argv.length >= 4 ? cstr(argv[3]) : 'key';
  const db = c.db;
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`;
    if (db.lookupWrite(key) !== undefined) continue;
    const text = Buffer.from(`value:${j}`);
    let value: Buffer;
    if (size === 0) value = text;
    else {
      value = Buffer.alloc(size);
      text.copy(value, 0, 0, Math.min(size, text.length));
    }
    db.add(key, newString(value));
    c.server.keyModified(db, key);
  }
  c.reply.ok();
}

/** DEBUG SDSLEN: the sds sizes of a key and its string value, with the allocation model of MEMORY USAGE. */
function debugSdslen(c: Client, argv: Buffer[]): void {
  const key = keyStr(argv[2]);
  const o = c.db.dict.get(key);
  if (!o) return c.reply.error(E.NOKEY);
  if (o.type !== 'string' || stringEncoding(o) === 'int') return c.reply.error('ERR Not an sds encoded string.');
  const len = (o.value as Buffer).length;
  const enc = stringEncoding(o);
  let avail = 0;
  let used: number;
  if (enc === 'embstr') used = jemallocSize(16 + 3 + len + 1) - 16;
  else {
    const cap = o.enc === 'raw' ? (len < 1024 * 1024 ? len * 2 : len + 1024 * 1024) : len;
    used = sdsAlloc(cap);
    const hdr = cap < 256 ? 3 : cap < 65536 ? 5 : 9;
    avail = used - hdr - 1 - len;
  }
  c.reply.simple(
    `key_sds_len:${key.length}, key_sds_avail:0, key_zmalloc: ${sdsAlloc(key.length, true)}, ` +
      `val_sds_len:${len}, val_sds_avail:${avail}, val_zmalloc: ${used}`,
  );
}

/**
 * dictGetStats for a dict of `keys` (DEBUG HTSTATS / HTSTATS-KEY). redlua's Maps have no buckets: the report is for
 * the table Redis would have (DICT_HT_INITIAL_SIZE 4, doubling when full), with keys placed by an FNV-1a hash standing
 * in for the seeded siphash, so slot counts and chain lengths are plausible, not Redis's.
 */
function dictStats(keys: Iterable<string>, n: number): string {
  if (n === 0) return 'Hash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n';
  let size = 4;
  while (size < n) size *= 2;
  const chains = new Uint32Array(size);
  for (const k of keys) {
    let h = 0x811c9dc5;
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
    chains[(h >>> 0) & (size - 1)]++;
  }
  const vec = new Array<number>(50).fill(0);
  let slots = 0;
  let maxChain = 0;
  let tot = 0;
  for (const len of chains) {
    if (len === 0) {
      vec[0]++;
      continue;
    }
    slots++;
    vec[Math.min(len, 49)]++;
    if (len > maxChain) maxChain = len;
    tot += len;
  }
  let out =
    `Hash table 0 stats (main hash table):\n table size: ${size}\n number of elements: ${n}\n different slots: ${slots}\n` +
    ` max chain length: ${maxChain}\n avg chain length (counted): ${(tot / slots).toFixed(2)}\n` +
    ` avg chain length (computed): ${(n / slots).toFixed(2)}\n Chain length distribution:\n`;
  for (let i = 0; i < 49; i++) if (vec[i]) out += `   ${i}: ${vec[i]} (${((vec[i] / size) * 100).toFixed(2)}%)\n`;
  return out.length > 4095 ? out.slice(0, 4095) : out;
}

function debugHtstats(c: Client, argv: Buffer[]): void {
  const id = getLongLongOrReply(c, argv[2]);
  if (id === null) return;
  if (id < 0 || id >= c.server.dbs.length) return c.reply.error('ERR Out of range database');
  const db = c.server.dbs[id];
  c.reply.verbatim(
    Buffer.from(`[Dictionary HT]\n${dictStats(db.dict.keys(), db.dict.size)}[Expires HT]\n${dictStats(db.expires.keys(), db.expires.size)}`, 'latin1'),
  );
}

function debugHtstatsKey(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[2]));
  if (!o) return c.reply.error(E.NOKEY);
  const enc = objectEncoding(o);
  if (enc !== 'hashtable' && enc !== 'skiplist') {
    return c.reply.error('ERR The value stored at the specified key is not represented using an hash table');
  }
  const els = elementsOf(o);
  const keys = els.sample(els.n).map(e => (typeof e.a === 'string' ? e.a : e.a.toString('latin1')));
  c.reply.verbatim(Buffer.from(dictStats(keys, els.n), 'latin1'));
}

/** A C string view of an argument (%s stops at the first NUL). */
function cstr(b: Buffer): string {
  const z = b.indexOf(0);
  return b.latin1Slice(0, z < 0 ? b.length : z);
}

export function debugCommand(c: Client, argv: Buffer[]): void {
  const s = c.server;
  const sub = argv[1].toString('latin1').toLowerCase();
  const n = argv.length;
  switch (sub) {
    case 'help':
      if (n === 2) return replyHelp(c, argv, DEBUG_HELP);
      break;
    case 'object':
      if (n === 3) return debugObject(c, argv);
      break;
    case 'protocol':
      if (n === 3) return debugProtocol(c, argv);
      break;
    case 'digest':
      if (n === 2) return c.reply.simple(computeDatasetDigest(s).toString('hex'));
      break;
    case 'digest-value': {
      // like Redis, no lookupKey: logically expired keys are digested too
      c.reply.arrayLen(n - 2);
      for (let j = 2; j < n; j++) {
        const d = Buffer.alloc(20);
        const key = keyStr(argv[j]);
        const o = c.db.dict.get(key);
        if (o) xorObjectDigest(c.db, key, d, o);
        c.reply.simple(d.toString('hex'));
      }
      return;
    }
    case 'sleep':
      if (n === 3) {
        // Like Redis's nanosleep: the whole server stops (no other client is served meanwhile).
        const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(argv[2].toString('latin1'));
        const secs = m ? Number(m[0]) : 0;
        const ms = Math.floor(secs * 1e6) / 1000;
        if (ms > 0) Atomics.wait(sleepCell, 0, 0, ms);
        return c.reply.ok();
      }
      break;
    case 'set-active-expire':
      if (n === 3) {
        s.activeExpireEnabled = atoi(argv[2]) !== 0;
        return c.reply.ok();
      }
      break;
    case 'set-disable-deny-scripts':
      if (n === 3) {
        s.disableDenyScripts = atoi(argv[2]) !== 0;
        return c.reply.ok();
      }
      break;
    case 'reload': {
      // The dataset is only in memory: a reload keeps it as it is (what a save + load round trip yields).
      let save = true;
      for (let j = 2; j < n; j++) {
        const opt = argv[j];
        if (eqi(opt, 'merge') || eqi(opt, 'noflush')) continue;
        if (eqi(opt, 'nosave')) save = false;
        else return c.reply.error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
      }
      if (save) markSaved(s);
      // What loading the RDB back does to an in-memory dataset: logically expired keys are not loaded (a master
      // skips them silently) and every object gets a fresh LRU clock.
      const now = Date.now();
      let loaded = 0;
      let expired = 0;
      for (const db of s.dbs) {
        for (const [key, when] of db.expires) {
          if (when < now) {
            db.delete(key);
            expired++;
          }
        }
        for (const o of db.dict.values()) o.lru = now;
        loaded += db.dict.size;
      }
      stateOf(s).lastLoadLoaded = loaded;
      stateOf(s).lastLoadExpired = expired;
      s.log.warning('DB reloaded by DEBUG RELOAD');
      return c.reply.ok();
    }
    case 'change-repl-id':
      if (n === 2) {
        s.log.warning('Changing replication IDs after receiving DEBUG change-repl-id');
        return c.reply.ok();
      }
      break;
    case 'set-skip-checksum-validation':
      if (n === 3) return c.reply.ok();
      break;
    case 'log':
      if (n === 3) {
        s.log.warning(`DEBUG LOG: ${argv[2].toString('latin1')}`);
        return c.reply.ok();
      }
      break;
    case 'error':
      // written raw: "-" + the text (CR/LF mapped to spaces), not counted as an error reply
      if (n === 3) return c.reply.raw(Buffer.concat([Buffer.from('-'), Buffer.from(argv[2].toString('latin1').replace(/[\r\n]/g, ' '), 'latin1'), CRLF]));
      break;
    case 'quicklist-packed-threshold':
      if (n === 3) {
        const v = memtoull(argv[2].toString('latin1'));
        if (v === null || v > 2 ** 32 - 2 ** 20) return c.reply.error('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
        return c.reply.ok();
      }
      break;
    case 'pause-cron':
    case 'leak':
      if (n === 3) return c.reply.ok();
      break;
    case 'replybuffer':
      if (n === 4) {
        if (eqi(argv[2], 'peak-reset-time') || eqi(argv[2], 'resizing')) return c.reply.ok();
        return subcommandSyntaxError(c, argv);
      }
      break;
    case 'stringmatch-test':
      if (n === 2) return c.reply.simple('Apparently Redis did not crash: test passed');
      break;
    case 'htstats':
      if (n === 3) return debugHtstats(c, argv);
      break;
    case 'htstats-key':
      if (n === 3) return debugHtstatsKey(c, argv);
      break;
    case 'structsize':
      if (n === 2) return c.reply.bulkStr('bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 ');
      break;
    case 'populate':
      if (n >= 3 && n <= 5) return debugPopulate(c, argv);
      break;
    case 'sdslen':
      if (n === 3) return debugSdslen(c, argv);
      break;
    case 'listpack':
    case 'quicklist': {
      if (n === 3 || (sub === 'quicklist' && n === 4)) {
        const o = c.db.lookupRead(keyStr(argv[2]));
        if (!o) return c.reply.error(E.NOKEY);
        const enc = objectEncoding(o);
        if (sub === 'listpack') {
          if (enc !== 'listpack') return c.reply.error('ERR Not a listpack encoded object.');
          return c.reply.simple('Listpack structure printed on stdout');
        }
        if (enc !== 'quicklist') return c.reply.error('ERR Not a quicklist encoded object.');
        return c.reply.simple('Quicklist structure printed on stdout');
      }
      break;
    }
  }
  subcommandSyntaxError(c, argv);
}

// ---------------------------------------------------------------------------------------------------------------
// Replication / cluster / module / ACL commands of a standalone master with only the default user.

/** WAIT numreplicas timeout: there are never replicas, so WAIT returns 0 at once or after its timeout (0 = forever). */
export function waitCommand(c: Client, argv: Buffer[]): void {
  const num = getLongLongOrReply(c, argv[1]);
  if (num === null) return;
  const end = getTimeoutMsOrReply(c, argv[2]);
  if (end === null) return;
  if (num <= 0 || c.has(CF.MULTI) || c.has(CF.DENY_BLOCKING)) {
    c.reply.int(0);
    return;
  }
  blockForWait(c, end);
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
  if (c.closed) return true;
  if (error) c.reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK');
  else c.reply.int(0);
  c.wake();
  const s = c.server;
  setImmediate(() => {
    s.resumeClient(c);
    s.flush();
  });
  return true;
}

/**
 * REPLICAOF / SLAVEOF: "NO ONE" is a no-op on a master (+OK). Replicating from another server is not supported by
 * redlua: after Redis's argument checks it answers an error instead of starting a replication link.
 */
export function replicaofCommand(c: Client, argv: Buffer[]): void {
  if (eqi(argv[1], 'no') && eqi(argv[2], 'one')) {
    c.reply.ok();
    return;
  }
  if (c.has(CF.MONITOR)) {
    c.reply.error('ERR Command is not valid when client is a replica.');
    return;
  }
  if (getRangeLongOrReply(c, argv[2], 0, 65535, 'ERR Invalid master port') === null) return;
  c.reply.error('ERR REPLICAOF is not supported by redlua: it cannot replicate from another server');
}

const CLUSTER_DISABLED = 'ERR This instance has cluster support disabled';

export function clusterDisabledCommand(c: Client): void {
  c.reply.error(CLUSTER_DISABLED);
}

export function failoverCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 2 && eqi(argv[1], 'abort')) {
    c.reply.error('ERR No failover in progress.');
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
        c.reply.error('ERR FAILOVER timeout must be greater than 0');
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
  c.reply.error('ERR FAILOVER requires connected replicas.');
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
  c.reply.error(
    'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  );
}

const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo', 'stream',
  'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

const ACL_HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const NO_ACL_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

/** The password part of the default user's rules: nopass, or the SHA-256 of requirepass. */
function defaultUserPassword(c: Client): string | null {
  const pw = c.server.config.get('requirepass');
  return pw === '' ? null : createHash('sha256').update(Buffer.from(pw, 'latin1')).digest('hex');
}

export function aclCommand(c: Client, argv: Buffer[]): void {
  const sub = argv[1].toString('latin1').toLowerCase();
  const r = c.reply;
  switch (sub) {
    case 'help':
      return replyHelp(c, argv, ACL_HELP);
    case 'whoami':
      return r.bulkStr(c.user);
    case 'users':
      r.arrayLen(1);
      return r.bulkStr('default');
    case 'list': {
      const pw = defaultUserPassword(c);
      r.arrayLen(1);
      return r.bulkStr(`user default on ${pw === null ? 'nopass' : '#' + pw} ~* &* +@all`);
    }
    case 'getuser': {
      if (argv[2].toString('latin1') !== 'default') return r.null();
      const pw = defaultUserPassword(c);
      r.mapLen(6);
      r.bulkStr('flags');
      r.setLen(pw === null ? 2 : 1);
      r.bulkStr('on');
      if (pw === null) r.bulkStr('nopass');
      r.bulkStr('passwords');
      r.arrayLen(pw === null ? 0 : 1);
      if (pw !== null) r.bulkStr(pw);
      r.bulkStr('commands');
      r.bulkStr('+@all');
      r.bulkStr('keys');
      r.bulkStr('~*');
      r.bulkStr('channels');
      r.bulkStr('&*');
      r.bulkStr('selectors');
      return r.arrayLen(0);
    }
    case 'cat': {
      if (argv.length === 2) {
        r.arrayLen(ACL_CATEGORIES.length);
        for (const cat of ACL_CATEGORIES) r.bulkStr(cat);
        return;
      }
      if (argv.length !== 3) break;
      const cat = argv[2].toString('latin1').toLowerCase();
      if (!ACL_CATEGORIES.includes(cat)) return r.error(`ERR Unknown category '${cstr(argv[2])}'`);
      const names: string[] = [];
      for (const spec of allCommands()) if (spec.aclCategories.some(x => x.toLowerCase() === '@' + cat)) names.push(spec.fullname);
      r.arrayLen(names.length);
      for (const n of names) r.bulkStr(n);
      return;
    }
    case 'log': {
      if (argv.length > 3) break;
      if (argv.length === 3 && !eqi(argv[2], 'reset') && getLongLongOrReply(c, argv[2]) === null) return;
      return argv.length === 3 && eqi(argv[2], 'reset') ? r.ok() : r.arrayLen(0);
    }
    case 'genpass': {
      let bits = 256;
      if (argv.length === 3) {
        const v = getLongLongOrReply(c, argv[2]);
        if (v === null) return;
        bits = v;
      }
      if (bits <= 0 || bits > 4096) {
        return r.error('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096');
      }
      const chars = Math.floor((bits + 3) / 4);
      return r.bulkStr(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
    }
    case 'load':
    case 'save':
      return r.error(NO_ACL_FILE);
    case 'deluser': {
      for (let j = 2; j < argv.length; j++) if (argv[j].toString('latin1') === 'default') return r.error("ERR The 'default' user cannot be removed");
      return r.int(0);
    }
    case 'dryrun': {
      if (argv[2].toString('latin1') !== 'default') return r.error(`ERR User '${cstr(argv[2])}' not found`);
      const cmd = argv.slice(3);
      const spec = lookupCommand(cmd);
      if (!spec) return r.error(`ERR Command '${cstr(argv[3])}' not found`);
      if (!arityOk(spec, cmd.length)) return r.error(E.wrongArity(spec.fullname));
      return r.ok();
    }
  }
  subcommandSyntaxError(c, argv);
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
  info: infoCommand,
  'config|help': configHelpCommand,
  'config|get': configGetCommand,
  'config|set': configSetCommand,
  'config|resetstat': configResetstatCommand,
  'config|rewrite': configRewriteCommand,
  command: commandCommand,
  'command|help': commandHelpCommand,
  'command|count': commandCountCommand,
  'command|info': commandInfoCommand,
  'command|docs': commandDocsCommand,
  'command|list': commandListCommand,
  'command|getkeys': commandGetkeysCommand,
  'command|getkeysandflags': commandGetkeysandflagsCommand,
  'slowlog|help': slowlogHelpCommand,
  'slowlog|get': slowlogGetCommand,
  'slowlog|len': slowlogLenCommand,
  'slowlog|reset': slowlogResetCommand,
  'memory|help': memoryHelpCommand,
  'memory|usage': memoryUsageCommand,
  'memory|stats': memoryStatsCommand,
  'memory|doctor': memoryDoctorCommand,
  'memory|malloc-stats': memoryMallocStatsCommand,
  'memory|purge': memoryPurgeCommand,
  'latency|help': latencyHelpCommand,
  'latency|latest': latencyLatestCommand,
  'latency|history': latencyHistoryCommand,
  'latency|reset': latencyResetCommand,
  'latency|graph': latencyGraphCommand,
  'latency|doctor': latencyDoctorCommand,
  'latency|histogram': latencyHistogramCommand,
  debug: debugCommand,
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
  ...Object.fromEntries(
    ['whoami', 'users', 'list', 'getuser', 'cat', 'log', 'genpass', 'load', 'save', 'deluser', 'dryrun', 'help'].map(n => [`acl|${n}`, aclCommand]),
  ),
  ...Object.fromEntries([...(commandTable.get('cluster')?.subcommands?.keys() ?? [])].map(n => [`cluster|${n}`, clusterDisabledCommand])),
};
