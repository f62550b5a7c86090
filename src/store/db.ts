// One keyspace per database: a single map of tagged values plus an expires map (Redis: db.c, expire.c lookups).
import type { Server } from '../server/server.js';
import { NOTIFY } from '../server/notify.js';
import { CF } from '../server/client.js';

const CF_MASTER = CF.MASTER;
import { propagateDeletion } from '../replication/propagate.js';
import { updateLFU, LFU_INIT_VAL, lfuMinutes } from '../server/lfu.js';

export type ObjType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream';
/** OBJECT ENCODING names a family may record on its objects (strings may also leave it undefined: computed on demand). */
export type ObjEnc = 'raw' | 'embstr' | 'int' | 'quicklist' | 'intset' | 'hashtable' | 'listpack' | 'skiplist' | 'stream';

// The (type, enc) pairs an object can be in, numbered as a 5-bit "kind" (every type may also have no recorded enc).
const KIND_TYPE: ObjType[] = [];
const KIND_ENC: (ObjEnc | undefined)[] = [];
const KIND_OF: Record<ObjType, Partial<Record<ObjEnc | '', number>>> = { string: {}, list: {}, set: {}, zset: {}, hash: {}, stream: {} };
for (const [t, encs] of [
  ['string', [undefined, 'raw', 'embstr', 'int']],
  ['list', [undefined, 'quicklist']],
  ['set', [undefined, 'intset', 'hashtable']],
  ['zset', [undefined, 'listpack', 'skiplist']],
  ['hash', [undefined, 'listpack', 'hashtable']],
  ['stream', [undefined, 'stream']],
] as [ObjType, (ObjEnc | undefined)[]][]) {
  for (const e of encs) {
    KIND_OF[t][e ?? ''] = KIND_TYPE.length;
    KIND_TYPE.push(t);
    KIND_ENC.push(e);
  }
}
const KIND_MASK = 31;
/** the kind index of a string whose encoding follows from its bytes (enc undefined) */
const STRING_PLAIN = KIND_OF.string['']!;
const LRU_SHIFT = 5;

function kindOf(type: ObjType, enc: ObjEnc | undefined): number {
  const k = KIND_OF[type][enc ?? ''];
  if (k === undefined) throw new Error(`redlua: no encoding ${String(enc)} for type ${type}`);
  return k;
}

/**
 * A tagged value (Redis's robj). `value`'s shape belongs to the type module of `type`; `enc` is an encoding hint for
 * OBJECT ENCODING. One of these exists per key, so it is kept to three small fields (48 bytes on x64): `value`, `bits`,
 * a small integer (always a Smi, 29 bits) packing the 5-bit (type, enc) kind and the 24-bit LRU clock (or LFU
 * counter); `type`, `enc` and `lru` are accessors over it; and `mem`, the key's share of used_memory as the memory
 * model last measured it (src/server/memory.ts). The type is fixed at construction.
 */
export class RObj {
  // (declared, not class fields: the constructor assigns each once, in this order)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  declare value: any;
  /** bits 0-4: kind index (type + encoding), bits 5-28: LRU clock */
  private declare bits: number;
  /** bytes this key adds to used_memory, as last settled by the memory model (0: not counted yet) */
  declare mem: number;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(type: ObjType, value: any, enc?: ObjEnc) {
    this.value = value;
    this.bits = kindOf(type, enc);
    this.mem = 0;
  }

  get type(): ObjType {
    return KIND_TYPE[this.bits & KIND_MASK];
  }

  get enc(): ObjEnc | undefined {
    return KIND_ENC[this.bits & KIND_MASK];
  }

  set enc(e: ObjEnc | undefined) {
    this.bits = (this.bits & ~KIND_MASK) | kindOf(KIND_TYPE[this.bits & KIND_MASK], e);
  }

  /**
   * A string object's new value with its encoding left to the bytes (tryObjectEncoding) and the given LRU clock:
   * SET and MSET overwrite a string in place instead of allocating a new object.
   */
  setString(value: any, lru: number): void {
    this.value = value;
    this.bits = ((lru & 0xffffff) << LRU_SHIFT) | STRING_PLAIN;
  }

  /** last access, as Redis's 24-bit LRU clock in seconds (server.clock.lru), for OBJECT IDLETIME */
  get lru(): number {
    return this.bits >>> LRU_SHIFT;
  }

  set lru(v: number) {
    this.bits = ((v & 0xffffff) << LRU_SHIFT) | (this.bits & KIND_MASK);
  }
}

/** Keys are held as latin1 strings: one JS char per byte, so any binary key round-trips exactly. */
export const keyStr = (b: Buffer): string => b.latin1Slice(0, b.length);
export const keyBuf = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Copies an argument before it is stored: parser arguments are views into socket chunks and must not pin them. */
export const own = (b: Buffer): Buffer => Buffer.from(b);

export class Db {
  dict = new Map<string, RObj>();
  /** key → absolute unix time in ms */
  expires = new Map<string, number>();
  /** Sum of the `mem` of this db's objects (the memory model's settled dataset share). */
  memTotal = 0;
  /** Keys modified since the memory model last measured them. */
  memDirty = new Set<string>();
  /** Iterator state of the active expiry cycle (a live Map iterator survives inserts and deletes); see store/expire.ts. */
  expireCursor: IterableIterator<string> | null = null;

  constructor(
    readonly id: number,
    readonly server: Server,
  ) {}

  get size(): number {
    return this.dict.size;
  }

  /** True if `key` has a TTL that has passed, by the server's (possibly frozen) expiry clock. */
  private isExpired(key: string): boolean {
    const when = this.expires.get(key);
    // keyIsExpired: nothing expires while the dataset is loaded
    return when !== undefined && when <= this.server.expireNow() && !this.server.loading;
  }

  /** expireIfNeeded: deletes an expired key (and propagates the expiry). Returns true if the key is (now) gone. */
  expireIfNeeded(key: string): boolean {
    if (this.expires.size === 0 || !this.isExpired(key)) return false;
    // on a replica the master's stream decides expiry: its commands still see the key until the master's DEL
    const cur = this.server.currentClient;
    if (cur !== null && cur.flags & CF_MASTER && this.server.replica.host !== null) return false;
    // while clients are paused the dataset stays as it is: the key reads as gone, and is deleted after the pause
    if (this.server.pause.engaged && this.server.pause.active()) return true;
    this.deleteExpired(key);
    return true;
  }

  /** Deletes a key because it expired: notifications, watch invalidation and stats, as Redis's deleteExpiredKeyAndPropagate. */
  deleteExpired(key: string): void {
    const old = this.dict.get(key);
    if (old === undefined) return;
    this.server.persistence.bgsave?.touch(this, key);
    if (old.type === 'stream') this.server.keyReady(this, key); // wake XREADGROUP
    this.memTotal -= old.mem;
    this.server.memory.noteReleased(old);
    this.dict.delete(key);
    this.expires.delete(key);
    this.server.stats.expiredKeys++;
    propagateDeletion(this.server, this.id, key, this.server.config.bool('lazyfree-lazy-expire'));
    this.server.notify(this, 'expired', key);
    this.server.keyModified(this, key, null);
  }

  /** Lookup without side effects other than lazy expiry (lookupKey with NOTOUCH). */
  peek(key: string): RObj | undefined {
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    return this.dict.get(key);
  }

  /** lookupKeyRead: lazy expiry, LRU touch, keyspace hit/miss stats. */
  lookupRead(key: string): RObj | undefined {
    const o = this.peek(key);
    if (o === undefined) {
      this.server.stats.keyspaceMisses++;
      this.server.notify(this, 'keymiss', key, NOTIFY.KEY_MISS);
      return undefined;
    }
    this.server.stats.keyspaceHits++;
    this.touch(o);
    return o;
  }

  /** lookupKeyReadWithFlags(LOOKUP_NOTOUCH): lazy expiry and keyspace hit/miss stats, no LRU touch (TYPE, TTL, EXISTS). */
  lookupReadNoTouch(key: string): RObj | undefined {
    const o = this.peek(key);
    if (o === undefined) {
      this.server.stats.keyspaceMisses++;
      this.server.notify(this, 'keymiss', key, NOTIFY.KEY_MISS);
    } else this.server.stats.keyspaceHits++;
    return o;
  }

  /** keyIsExpired without deleting (KEYS skips such keys). */
  keyIsExpired(key: string): boolean {
    return this.expires.size !== 0 && this.isExpired(key);
  }

  /** lookupKeyWrite: lazy expiry and LRU touch, no stats. */
  lookupWrite(key: string): RObj | undefined {
    const o = this.peek(key);
    if (o !== undefined) {
      this.server.persistence.bgsave?.touch(this, key); // the caller may modify the value in place
      this.touch(o);
    }
    return o;
  }

  /** lookupKey's access stamp: the LRU clock, or under an LFU policy updateLFU (logarithmic counter + decay). */
  touch(o: RObj): void {
    if (this.server.hot.lfu) updateLFU(this.server.hot, o);
    else o.lru = this.server.clock.lru;
  }

  /** createObject's stamp for an object entering the keyspace: LFU objects keep their counter (RENAME, MOVE), new ones start at LFU_INIT_VAL. */
  private stampNew(o: RObj): void {
    if (!this.server.hot.lfu) o.lru = this.server.clock.lru;
    else if (o.lru === 0) o.lru = (lfuMinutes() << 8) | LFU_INIT_VAL;
  }

  exists(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /** dbAdd: the key must not exist. */
  add(key: string, o: RObj): void {
    this.server.persistence.bgsave?.touch(this, key);
    this.stampNew(o);
    o.mem = 0;
    this.dict.set(key, o);
    this.memDirty.add(key);
    if (o.type === 'list' || o.type === 'zset' || o.type === 'stream') this.server.keyReady(this, key);
    this.server.notify(this, 'new', key, NOTIFY.NEW); // dbAdd
  }

  /** setKey: overwrite or add; clears the TTL unless keepTTL. Signals the modification (WATCH). */
  setKey(key: string, o: RObj, keepTTL = false): void {
    this.server.persistence.bgsave?.touch(this, key);
    const old = this.dict.get(key);
    if (old !== undefined) {
      if (old.type === 'stream') this.server.keyReady(this, key); // dbOverwrite: wake XREADGROUP
      if (this.server.hot.lfu) o.lru = old.lru; // dbOverwrite keeps the LFU data
      else o.lru = this.server.clock.lru;
      if (old !== o) {
        this.memTotal -= old.mem;
        this.server.memory.noteReleased(old);
        o.mem = 0;
      }
      this.dict.set(key, o);
    } else this.add(key, o);
    if (!keepTTL && this.expires.size !== 0) this.expires.delete(key);
    this.server.keyModified(this, key);
  }

  /**
   * setKey(key, a new string object holding `value`), as SET and MSET do: overwriting a string reuses its object, so
   * the common case is one dict lookup and no allocation. Lazy expiry first, like Redis's setKey (lookupKeyWrite).
   */
  setString(key: string, value: any, keepTTL = false): void {
    const old = this.peek(key);
    this.server.persistence.bgsave?.touch(this, key);
    if (old !== undefined && old.type === 'string') {
      if (old.value instanceof Uint8Array && old.value.length >= 1 << 20) this.server.memory.noteReleased(old);
      old.setString(value, this.server.hot.lfu ? old.lru : this.server.clock.lru);
      if (!keepTTL && this.expires.size !== 0) this.expires.delete(key);
      this.server.keyModified(this, key);
    } else this.setKey(key, new RObj('string', value), keepTTL);
  }

  /** dbDelete (sync or async alike). Returns true if the key existed. Does not signal; callers do. */
  delete(key: string): boolean {
    const old = this.dict.get(key);
    if (old === undefined) return false;
    this.server.persistence.bgsave?.touch(this, key);
    this.memTotal -= old.mem;
    this.server.memory.noteReleased(old);
    this.dict.delete(key);
    this.expires.delete(key);
    if (old.type === 'stream') this.server.keyReady(this, key); // dbGenericDelete: wake XREADGROUP
    return true;
  }

  setExpire(key: string, whenMs: number): void {
    this.server.persistence.bgsave?.touch(this, key);
    this.expires.set(key, whenMs);
  }

  /** Absolute expiry in ms, or -1. */
  getExpire(key: string): number {
    return this.expires.get(key) ?? -1;
  }

  persist(key: string): boolean {
    this.server.persistence.bgsave?.touch(this, key);
    return this.expires.delete(key);
  }

  /** emptyDb for this database. Returns the number of keys removed. */
  flush(): number {
    const n = this.dict.size;
    // scanDatabaseForDeletedStreams: wake XREADGROUP clients blocked on streams of this db
    if (this.server.blocking.blockedClients) for (const [k, v] of this.dict) if (v.type === 'stream') this.server.keyReady(this, k);
    this.dict = new Map();
    this.expires = new Map();
    this.expireCursor = null;
    this.server.memory.noteReleasedBytes(this.memTotal);
    this.memTotal = 0;
    this.memDirty = new Set();
    return n;
  }

  /** Swaps contents with another db (SWAPDB). */
  swapWith(other: Db): void {
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.memTotal, other.memTotal] = [other.memTotal, this.memTotal];
    [this.memDirty, other.memDirty] = [other.memDirty, this.memDirty];
    this.expireCursor = other.expireCursor = null;
  }
}

/** estimateObjectIdleTime: milliseconds since the object was last accessed, handling the 24-bit clock wrap. */
export function objectIdleMs(server: Server, o: RObj): number {
  const now = server.clock.lru;
  return (now >= o.lru ? now - o.lru : now + (0x1000000 - o.lru)) * 1000;
}
