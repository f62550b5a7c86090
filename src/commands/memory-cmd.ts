// MEMORY USAGE/STATS/DOCTOR/... and the object size model: jemalloc classes, listpacks, dicts
// (Redis: object.c memoryCommand).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { eqi, string2llBig } from '../util/parse.js';
import { formatDouble } from '../protocol/numfmt.js';
import { stringEncoding, strLen } from '../store/strings.js';
import { objectEncoding } from './keys.js';
import { getLongLongOrReply } from './args.js';
import type { RObj } from '../store/db.js';
import { idKey, raxNodeCount, type Stream, type StreamNode } from '../store/stream.js';
import { keyStr } from '../store/db.js';
import { replyHelp, STARTUP_MEMORY } from './server-common.js';

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
export function sdsAlloc(len: number, forKey = false): number {
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
export function lpEntrySize(b: Buffer | string): number {
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

export function elementsOf(o: RObj): Elements {
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
 * elements and scale to the element count, like Redis; listpacks are measured exactly. Streams are measured as
 * Redis lays them out (see streamSize).
 */
export function objectSize(o: RObj, samples: number): number {
  const ROBJ = 16;
  if (o.type === 'string') {
    const len = strLen(o);
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
  return ROBJ + streamSize(o.value as Stream, samples);
}

/** streamRadixTreeMemoryUsage (whose first assignment is overwritten: the rax struct itself is not counted). */
function raxUsage(keys: Buffer[]): number {
  return keys.length * 16 + raxNodeCount(keys) * (4 + 8 * 30);
}

/** The listpack allocation of a stream node: its pre-allocated capacity or, once it outgrew it or was shrunk, its size class. */
function nodeAlloc(node: StreamNode): number {
  const used = jemallocSize(node.bytes);
  return node.prealloc ? Math.max(jemallocSize(Math.max(node.prealloc, 7)), used) : used;
}

/**
 * objectComputeSize for a stream (less the robj): the stream struct (80), its rax, the listpacks (the first `samples`
 * measured; with more nodes, their average for all but the last, which is measured), and for each consumer group
 * its struct (40), PEL rax and NACKs (24 each), and each consumer's struct (24), name and PEL rax.
 */
function streamSize(s: Stream, samples: number): number {
  const nodes = s.nodes;
  let size = 80 + raxUsage(nodes.map(n => idKey(n.masterMs, n.masterSeq)));
  const k = Math.min(nodes.length, samples);
  let lp = 0;
  for (let i = 0; i < k; i++) lp += nodeAlloc(nodes[i]);
  if (nodes.length <= k) size += lp;
  else size += (k ? Math.floor(lp / k) : lp) * (nodes.length - 1) + nodeAlloc(nodes[nodes.length - 1]);
  for (const g of s.groups?.values() ?? []) {
    const pel = g.pel.toArray();
    size += 40 + raxUsage(pel.map(x => idKey(x.ms, x.seq))) + 24 * pel.length;
    for (const c of g.consumers.values()) size += 24 + c.name.length + raxUsage(c.pel.toArray().map(x => idKey(x.ms, x.seq)));
  }
  return size;
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

export const handlers: Record<string, Handler> = {
  'memory|help': memoryHelpCommand,
  'memory|usage': memoryUsageCommand,
  'memory|stats': memoryStatsCommand,
  'memory|doctor': memoryDoctorCommand,
  'memory|malloc-stats': memoryMallocStatsCommand,
  'memory|purge': memoryPurgeCommand,
};
