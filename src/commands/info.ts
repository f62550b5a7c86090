// INFO: the sections and fields of Redis 7.0.15 (Redis: server.c genRedisInfoString).
import { latencyPercentilesLine } from './latency.js';
import os from 'node:os';
import { allCommands, type Handler } from './table.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { REDIS_VERSION, REDLUA_VERSION } from '../server/server.js';
import type { Db } from '../store/db.js';
import { AOF_OFF } from '../persistence/aof.js';
import { bytesToHuman, stateOf, STARTUP_MEMORY } from './server-common.js';
import { persistenceFields } from '../persistence/save.js';
import { migrateCachedSockets } from './migrate.js';

// ---------------------------------------------------------------------------------------------------------------
// INFO

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

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
        `config_file:${s.config.configFile ?? ''}\r\n` +
        'io_threads_active:0\r\n' +
        (s.shutdown.initiated ? `shutdown_in_milliseconds:${s.shutdown.deadline - Date.now()}\r\n` : '') +
        `redlua_version:${REDLUA_VERSION}\r\n`,
    );
  }
  if (want('clients')) {
    // server.blocked_clients counts every blocked type: keys, WAIT, commands postponed by a pause, SHUTDOWN
    const blocked = s.blocking.blockedClients + s.repl.waiters.size + s.pause.postponedCount + s.shutdown.blockedCount;
    let tracking = 0;
    let maxIn = 0;
    for (const cl of s.clients.values()) {
      if (cl.tracking !== null) tracking++;
      if (cl.parser.buffered > maxIn) maxIn = cl.parser.buffered;
    }
    out.push(
      '# Clients\r\n' +
        // replicas are not counted (listLength(server.clients) - listLength(server.slaves))
        `connected_clients:${s.clients.size - s.repl.replicas.size}\r\n` +
        'cluster_connections:0\r\n' +
        `maxclients:${s.config.num('maxclients')}\r\n` +
        `client_recent_max_input_buffer:${maxIn}\r\n` +
        'client_recent_max_output_buffer:0\r\n' +
        `blocked_clients:${blocked}\r\n` +
        `tracking_clients:${tracking}\r\n` +
        `clients_in_timeout_table:${s.blocking.blockedClients}\r\n`,
    );
  }
  if (want('memory')) {
    const used = s.memory.used();
    const peak = Math.max(s.memory.peak, used);
    const mu = process.memoryUsage();
    const rss = mu.rss;
    const startup = STARTUP_MEMORY;
    const overhead = s.memory.overhead();
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
    // getMemoryOverheadData: what the replicas' output holds past the backlog's size is counted as theirs
    const replBuf = s.repl.bufferMemory();
    const backlogSize = s.config.num('repl-backlog-size');
    const slavesMem = s.repl.replicas.size !== 0 && replBuf > backlogSize ? replBuf - backlogSize : 0;
    mem += `mem_not_counted_for_evict:0\r\nmem_replication_backlog:${replBuf - slavesMem}\r\nmem_total_replication_buffers:${replBuf}\r\n`;
    mem += `mem_clients_slaves:${slavesMem}\r\nmem_clients_normal:${s.memory.clientsMemory()}\r\n`;
    mem += `mem_cluster_links:0\r\nmem_aof_buffer:${s.aof.bufferLength}\r\nmem_allocator:libc\r\n`;
    mem += 'active_defrag_running:0\r\nlazyfree_pending_objects:0\r\nlazyfreed_objects:0\r\n';
    out.push(mem);
  }
  if (want('persistence')) {
    out.push(
      '# Persistence\r\n' + persistenceFields(s) +
        aofInfo(s) +
        'module_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n' +
        aofEnabledInfo(s),
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
        `sync_full:${s.repl.fullSyncs}\r\nsync_partial_ok:${s.repl.partialOk}\r\nsync_partial_err:${s.repl.partialErr}\r\n` +
        `expired_keys:${st.expiredKeys}\r\n` +
        `expired_stale_perc:${f2(st.expiredStalePerc * 100)}\r\n` +
        'expired_time_cap_reached_count:0\r\n' +
        `expire_cycle_cpu_milliseconds:${Math.floor(st.expireCycleCpuMs)}\r\n` +
        `evicted_keys:${st.evictedKeys}\r\n` +
        `evicted_clients:${st.evictedClients}\r\n` +
        `total_eviction_exceeded_time:${s.memory.exceededTimes().total}\r\ncurrent_eviction_exceeded_time:${s.memory.exceededTimes().current}\r\n` +
        `keyspace_hits:${st.keyspaceHits}\r\n` +
        `keyspace_misses:${st.keyspaceMisses}\r\n` +
        `pubsub_channels:${s.pubsub.numChannels()}\r\n` +
        `pubsub_patterns:${s.pubsub.numPatterns()}\r\n` +
        `pubsubshard_channels:${numShardChannels(s)}\r\n` +
        'latest_fork_usec:0\r\ntotal_forks:0\r\n' +
        `migrate_cached_sockets:${migrateCachedSockets(s)}\r\n` +
        'slave_expires_tracked_keys:0\r\n' +
        'active_defrag_hits:0\r\nactive_defrag_misses:0\r\nactive_defrag_key_hits:0\r\nactive_defrag_key_misses:0\r\n' +
        'total_active_defrag_time:0\r\ncurrent_active_defrag_time:0\r\n' +
        `tracking_total_keys:${s.tracking.totalKeys}\r\ntracking_total_items:${s.tracking.totalItems}\r\ntracking_total_prefixes:${s.tracking.totalPrefixes}\r\n` +
        `unexpected_error_replies:${st.unexpectedErrorReplies}\r\n` +
        `total_error_replies:${st.totalErrorReplies}\r\n` +
        `dump_payload_sanitizations:${st.dumpPayloadSanitizations}\r\n` +
        `total_reads_processed:${st.totalCommands}\r\n` +
        `total_writes_processed:${st.totalCommands}\r\n` +
        'io_threaded_reads_processed:0\r\nio_threaded_writes_processed:0\r\n' +
        'reply_buffer_shrinks:0\r\nreply_buffer_expands:0\r\n',
    );
  }
  if (want('replication')) out.push(s.repl.info());
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
      const pct = s.config.get('latency-tracking-info-percentiles').split(' ').filter(Boolean).map(Number);
      for (const spec of allCommands()) {
        if (spec.stats.histogram) ls += latencyPercentilesLine(safeInfo(spec.fullname), spec.stats.histogram, pct);
      }
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

export const handlers: Record<string, Handler> = {
  info: infoCommand,
};

/** INFO persistence's aof_* fields (genRedisInfoString) */
function aofInfo(s: Server): string {
  const a = s.aof;
  return (
    `aof_enabled:${a.state !== AOF_OFF ? 1 : 0}\r\n` +
    `aof_rewrite_in_progress:${a.rewriteInProgress ? 1 : 0}\r\n` +
    `aof_rewrite_scheduled:${a.rewriteScheduled ? 1 : 0}\r\n` +
    `aof_last_rewrite_time_sec:${a.rewriteTimeLast}\r\n` +
    `aof_current_rewrite_time_sec:${a.currentRewriteTime}\r\n` +
    `aof_last_bgrewrite_status:${a.lastRewriteOk ? 'ok' : 'err'}\r\n` +
    `aof_rewrites:${a.rewrites}\r\n` +
    `aof_rewrites_consecutive_failures:${a.consecutiveFailures}\r\n` +
    `aof_last_write_status:${a.lastWriteOk ? 'ok' : 'err'}\r\n` +
    'aof_last_cow_size:0\r\n'
  );
}

/** the fields shown while appendonly is set (server.aof_enabled) */
function aofEnabledInfo(s: Server): string {
  if (!s.config.bool('appendonly')) return '';
  const a = s.aof;
  return (
    `aof_current_size:${a.currentSize}\r\n` +
    `aof_base_size:${a.rewriteBaseSize}\r\n` +
    `aof_pending_rewrite:${a.rewriteScheduled ? 1 : 0}\r\n` +
    `aof_buffer_length:${a.bufferLength}\r\n` +
    `aof_pending_bio_fsync:${a.pendingFsync}\r\n` +
    `aof_delayed_fsync:${a.delayedFsync}\r\n`
  );
}
