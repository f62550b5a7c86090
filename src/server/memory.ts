// Memory accounting that counts what Redis counts, and maxmemory enforcement with Redis's eviction policies
// (Redis: zmalloc used_memory, object.c getMemoryOverheadData, evict.c performEvictions, networking.c evictClients).
//
// used_memory is a model of Redis 7.0's own allocations on x86_64 with jemalloc, not V8's heap: the startup baseline,
// per key its dictEntry, key sds and value as MEMORY USAGE measures them (plus its expires entry), the dict bucket
// arrays of each db, and each client's buffers as CLIENT LIST's tot-mem. Keys are measured incrementally: a write
// marks its key dirty (Server.keyModified), and the model settles dirty keys before it answers, so a reading costs
// the keys written since the last one. The process's real memory (V8 heap, WebAssembly memory) is reported beside it
// as used_memory_rss and the allocator_* fields.
import type { Server } from './server.js';
import { CF, type Client } from './client.js';
import type { Db, RObj } from '../store/db.js';
import { objectIdleMs } from '../store/db.js';
import { lfuDecrAndReturn } from './lfu.js';
import { objectSize, sdsAlloc } from '../commands/memory-cmd.js';
import { STARTUP_MEMORY } from '../commands/server-common.js';
import { clientMemory } from '../commands/connection.js';
import { propagateDeletion } from '../replication/propagate.js';
import { performance } from 'node:perf_hooks';
import { collectSoon } from '../util/gc.js';

/** What a 24-byte dictEntry takes from jemalloc (its 32-byte size class). */
const DICT_ENTRY = 32;
/** noteReleased counts values and buffers of at least this size; giveBack collects after this much. */
const BIG_RELEASE = 1 << 20;
const GIVE_BACK_AFTER = 64 << 20;
/** EVPOOL_SIZE */
const EVPOOL_SIZE = 16;

/** _dictNextExp from DICT_HT_INITIAL_SIZE 4: the buckets of a dict holding n entries (none while empty). */
function dictSlots(n: number): number {
  if (n === 0) return 0;
  let s = 4;
  while (s < n) s *= 2;
  return s;
}

/** The memory a key takes in Redis: its value (MEMORY USAGE's model), key sds, dictEntry and expires entry. */
export function keyMemory(db: Db, key: string, o: RObj): number {
  return objectSize(o, 5) + sdsAlloc(key.length, true) + DICT_ENTRY + (db.expires.has(key) ? DICT_ENTRY : 0);
}

/** The dict overhead of a db (getMemoryOverheadData's overhead_ht_main + overhead_ht_expires). */
export function dbOverhead(db: Db): { main: number; expires: number } {
  return {
    main: db.dict.size * 24 + dictSlots(db.dict.size) * 8,
    expires: db.expires.size * 24 + dictSlots(db.expires.size) * 8,
  };
}

type Policy = 'lru' | 'lfu' | 'ttl' | 'random' | 'none';

interface PoolEntry {
  idle: number;
  key: string;
  db: number;
}

/** evictionTimeLimitUs: 50 µs per step of tenacity up to 10, then a 15% geometric progression, unlimited at 100. */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return Math.floor(500 * Math.pow(1.15, tenacity - 10));
  return Infinity;
}

export class MemoryManager {
  peak = 0;
  private clientsMem = 0;
  private clientsMemAt = -Infinity;
  /** EvictionPoolLRU: candidates sorted by ascending idle (the best one last) */
  private pool: PoolEntry[] = [];
  /** dictGetSomeKeys stand-in: a live iterator per sampled map, continuing where the last sample stopped */
  private readonly samplers = new WeakMap<Map<string, unknown>, Iterator<string>>();
  private nextDb = 0;
  private evictionTimer: NodeJS.Immediate | null = null;
  /** when used_memory went over maxmemory (0: it is not) and the total time it stayed over, in ms */
  private overSince = 0;
  private overTotalMs = 0;

  /** Bytes of big values and client buffers (1 MB or more each) released since the last forced collection. */
  private released = 0;
  private lastCollect = -Infinity;

  constructor(readonly server: Server) {}

  /** A key's value left the keyspace (deleted, overwritten, expired): a big one counts toward giveBack. */
  noteReleased(o: RObj): void {
    const v = o.value;
    const n = v instanceof Uint8Array ? v.length : o.mem;
    if (n >= BIG_RELEASE) this.released += n;
  }

  /** A client's buffers went away with it. */
  noteReleasedBytes(n: number): void {
    if (n >= BIG_RELEASE) this.released += n;
  }

  /**
   * serverCron: once 64 MB of big values or buffers were released, a full collection (at most one per 10 s) returns
   * their memory now. V8 frees a dead Buffer only when a major GC finds it, and an idle server may not run one for a
   * long time: a deleted 512 MB value would stay resident (jemalloc returns it at once). Small values' churn is left
   * to V8's own schedule.
   */
  giveBack(now: number): void {
    if (this.released < GIVE_BACK_AFTER || now - this.lastCollect < 10_000) return;
    this.released = 0;
    this.lastCollect = now;
    collectSoon();
  }

  /** Measures the keys written since the last reading. */
  settle(): void {
    for (const db of this.server.dbs) {
      const dirty = db.memDirty;
      if (dirty.size === 0) continue;
      for (const key of dirty) {
        const o = db.dict.get(key);
        if (o === undefined) continue; // deleted: its share was subtracted when it left the dict
        const m = keyMemory(db, key, o);
        db.memTotal += m - o.mem;
        o.mem = m;
      }
      dirty.clear();
    }
  }

  /** The clients' buffers (mem_clients_normal), re-measured at most every 100 ms. */
  clientsMemory(): number {
    const now = performance.now();
    if (now - this.clientsMemAt > 100) {
      let total = 0;
      for (const c of this.server.clients.values()) total += clientMemory(c).totMem;
      this.clientsMem = total;
      this.clientsMemAt = now;
    }
    return this.clientsMem;
  }

  /** A client connected or went away: the next reading re-measures the clients. */
  invalidate(): void {
    this.clientsMemAt = -Infinity;
  }

  /** The dataset's share of used_memory: keys, values and the dict buckets of every db. */
  datasetAndDicts(): number {
    this.settle();
    let total = 0;
    for (const db of this.server.dbs) {
      if (db.dict.size === 0 && db.memTotal === 0) continue;
      total += db.memTotal + dictSlots(db.dict.size) * 8 + dictSlots(db.expires.size) * 8;
    }
    return total;
  }

  /** used_memory */
  used(): number {
    const used = STARTUP_MEMORY + this.datasetAndDicts() + this.clientsMemory();
    if (used > this.peak) this.peak = used;
    return used;
  }

  /** getMemoryOverheadData's total: startup, clients and the dicts' own overhead (entries and buckets). */
  overhead(): number {
    let dicts = 0;
    for (const db of this.server.dbs) {
      const o = dbOverhead(db);
      dicts += o.main + o.expires;
    }
    return STARTUP_MEMORY + this.clientsMemory() + dicts;
  }

  private policy(): Policy {
    const p = this.server.config.get('maxmemory-policy');
    if (p === 'noeviction') return 'none';
    if (p.endsWith('-lru')) return 'lru';
    if (p.endsWith('-lfu')) return 'lfu';
    if (p === 'volatile-ttl') return 'ttl';
    return 'random';
  }

  /** isSafeToPerformEvictions: not while a script is timed out or clients are paused. */
  private safeToEvict(): boolean {
    const s = this.server;
    return !s.scripting.isTimedOut() && !s.pause.active();
  }

  /**
   * performEvictions, as processCommand calls it: true when memory is within maxmemory or eviction is under way
   * (EVICT_OK, EVICT_RUNNING), false when it must be refused (EVICT_FAIL: noeviction, or nothing left to evict).
   */
  freeMemoryIfNeeded(): boolean {
    const s = this.server;
    const max = s.hot.maxmemory;
    if (max === 0 || !this.safeToEvict()) return true;
    // a replica with replica-ignore-maxmemory leaves memory to its master: no eviction, no OOM
    if (s.replica.host !== null && s.config.bool('replica-ignore-maxmemory')) return true;
    const used = this.used();
    this.trackExceeded(used > max);
    if (used <= max) return true;
    const policy = this.policy();
    if (policy === 'none') return false;
    const allkeys = s.config.get('maxmemory-policy').startsWith('allkeys');
    const limitUs = evictionTimeLimitUs(s.config.num('maxmemory-eviction-tenacity'));
    const t0 = performance.now();
    const tofree = used - max;
    const lazy = s.config.bool('lazyfree-lazy-eviction');
    let freed = 0;
    let keysFreed = 0;
    let result = true;
    const lm = s.latency;
    const cycleStart = lm.threshold !== 0 ? performance.now() : 0;
    while (freed < tofree) {
      const best = policy === 'random' ? this.randomKey(allkeys) : this.poolKey(policy, allkeys);
      if (best === null) {
        result = false; // cant_free
        break;
      }
      const [db, key] = best;
      const before = db.memTotal + dictSlots(db.dict.size) * 8 + dictSlots(db.expires.size) * 8;
      const t = cycleStart !== 0 ? performance.now() : 0;
      db.delete(key);
      if (t !== 0) lm.addIfNeeded('eviction-del', Math.trunc(performance.now() - t));
      freed += before - (db.memTotal + dictSlots(db.dict.size) * 8 + dictSlots(db.expires.size) * 8);
      s.stats.evictedKeys++;
      s.keyModified(db, key, null);
      db.memDirty.delete(key);
      s.notify(db, 'evicted', key);
      propagateDeletion(s, db.id, key, lazy);
      keysFreed++;
      if (keysFreed % 16 === 0 && (performance.now() - t0) * 1000 > limitUs) {
        // the rest is evicted from the event loop (evictionTimeProc) while commands go on
        this.startEvictionProc();
        break;
      }
    }
    // performEvictions propagates its DELs unwrapped, before the command that made room runs
    if (keysFreed !== 0) s.propagation.batch(() => {});
    if (cycleStart !== 0) lm.addIfNeeded('eviction-cycle', Math.trunc(performance.now() - cycleStart));
    return result;
  }

  /** Time spent over maxmemory (total_eviction_exceeded_time, current_eviction_exceeded_time). */
  private trackExceeded(over: boolean): void {
    const now = performance.now();
    if (over && this.overSince === 0) this.overSince = now;
    else if (!over && this.overSince !== 0) {
      this.overTotalMs += now - this.overSince;
      this.overSince = 0;
    }
  }

  exceededTimes(): { total: number; current: number } {
    const cur = this.overSince === 0 ? 0 : performance.now() - this.overSince;
    return { total: Math.floor(this.overTotalMs + cur), current: Math.floor(cur) };
  }

  private startEvictionProc(): void {
    if (this.evictionTimer !== null) return;
    const step = (): void => {
      this.evictionTimer = null;
      const max = this.server.hot.maxmemory;
      if (max === 0) return;
      const ok = this.freeMemoryIfNeeded();
      if (ok && this.used() > max && this.evictionTimer === null) this.evictionTimer = setImmediate(step);
      this.server.flush();
    };
    this.evictionTimer = setImmediate(step);
  }

  /** Up to `n` keys of `map`, continuing from where the last sample of that map ended (wrapping around). */
  private sample(map: Map<string, unknown>, n: number): string[] {
    const out: string[] = [];
    if (map.size === 0) return out;
    let it = this.samplers.get(map);
    if (it === undefined) this.samplers.set(map, (it = map.keys()));
    let restarted = false;
    while (out.length < n && out.length < map.size) {
      const r = it.next();
      if (r.done) {
        if (restarted) break;
        restarted = true;
        it = map.keys();
        this.samplers.set(map, it);
        continue;
      }
      out.push(r.value);
    }
    return out;
  }

  /** evictionPoolPopulate over every db, then the best candidate that still exists (ghosts are dropped). */
  private poolKey(policy: Policy, allkeys: boolean): [Db, string] | null {
    const s = this.server;
    const samples = s.config.num('maxmemory-samples');
    const pool = this.pool;
    for (;;) {
      let total = 0;
      for (const db of s.dbs) {
        const from = allkeys ? db.dict : db.expires;
        if (from.size === 0) continue;
        total += from.size;
        for (const key of this.sample(from as Map<string, unknown>, samples)) {
          const o = db.dict.get(key);
          if (o === undefined) continue;
          let idle: number;
          if (policy === 'lru') idle = objectIdleMs(s, o);
          else if (policy === 'lfu') idle = 255 - lfuDecrAndReturn(s.hot, o.lru);
          else idle = Number.MAX_SAFE_INTEGER - (db.expires.get(key) ?? 0);
          let k = 0;
          while (k < pool.length && pool[k].idle < idle) k++;
          if (k === 0 && pool.length === EVPOOL_SIZE) continue; // worse than every candidate held
          pool.splice(k, 0, { idle, key, db: db.id });
          if (pool.length > EVPOOL_SIZE) pool.shift();
        }
      }
      if (total === 0) return null;
      while (pool.length !== 0) {
        const e = pool.pop()!;
        const db = s.dbs[e.db];
        if ((allkeys ? db.dict : db.expires).has(e.key)) return [db, e.key];
      }
    }
  }

  /** allkeys-random / volatile-random: a key of the next db holding any, visiting the dbs in turn. */
  private randomKey(allkeys: boolean): [Db, string] | null {
    const dbs = this.server.dbs;
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[(++this.nextDb) % dbs.length];
      const from = allkeys ? db.dict : db.expires;
      if (from.size === 0) continue;
      // a random hop forward from the last pick stands for dictGetRandomKey
      const hop = this.sample(from as Map<string, unknown>, 1 + Math.floor(Math.random() * Math.min(from.size, 16)));
      return [db, hop[hop.length - 1]];
    }
    return null;
  }

  /**
   * evictClients: while the clients' memory is over maxmemory-clients (bytes, or a percentage of maxmemory), the
   * client using the most is closed; clients with CLIENT NO-EVICT on (and MONITOR/replica-class ones) are spared.
   */
  evictClients(): void {
    const s = this.server;
    const limit = this.clientsLimit();
    if (limit === 0) return;
    this.invalidate();
    let total = this.clientsMemory();
    while (total > limit) {
      let worst: Client | null = null;
      let worstMem = 0;
      for (const c of s.clients.values()) {
        if (c.flags & (CF.NO_EVICT | CF.MONITOR | CF.REPLICA | CF.MASTER) || c.closed || c.conn === null) continue;
        const m = clientMemory(c).totMem;
        if (m > worstMem) {
          worst = c;
          worstMem = m;
        }
      }
      if (worst === null) return;
      s.log.verbose(`Evicting client: id=${worst.id} addr=${worst.addr} name=${worst.name?.toString('latin1') ?? ''}`);
      s.stats.evictedClients++;
      s.freeClient(worst);
      total -= worstMem;
    }
    // performEvictions propagates its DELs unwrapped, before the command that made room runs
    this.server.propagation.batch(() => {});
    this.invalidate();
  }

  private clientsLimit(): number {
    const cfg = this.server.config;
    if (cfg.entry('maxmemory-clients') === undefined) return 0;
    const v = cfg.get('maxmemory-clients');
    if (v.endsWith('%')) return Math.floor((this.server.hot.maxmemory * Number(v.slice(0, -1))) / 100);
    return cfg.num('maxmemory-clients');
  }
}
