// Blocking operations: clients waiting on keys, served FIFO after the writing command/transaction/script completes (Redis: blocked.c, timeout.c).
//
// API (used by lists, sorted sets, streams, CLIENT UNBLOCK, the server core):
//
//   parseTimeout(c, arg, 'seconds' | 'ms')  → absolute deadline in ms (0 = forever), or null after replying the error
//        ('ERR timeout is not a float or out of range' / 'ERR timeout is not an integer or out of range' /
//         'ERR timeout is negative'), exactly as getTimeoutFromObjectOrReply.
//   mayBlock(c)                             → false inside MULTI/EXEC and scripts (CF.DENY_BLOCKING / CF.MULTI): the
//        command must then reply as if it timed out (null array for BLPOP & co) instead of calling block().
//   server.blocking.block(c, req)           → blocks `c` on req.keys (in c.db). No reply is written now. The dispatcher
//        stops reading the client's further commands until it is unblocked.
//        req.type     'list' | 'zset' | 'stream': the client is only served when the ready key holds that type.
//        req.serve(c, key, obj) → boolean: called (after the writing command/EXEC/script completes) when `key` is ready
//                     and holds `obj` of req.type. Write the reply into c.reply and return true to unblock the client;
//                     return false to keep waiting (e.g. XREAD with no entry newer than its id yet).
//                     serve() runs with c.db = the key's db; it may modify the keyspace (pops, LMOVE pushes,
//                     notifications, server.dirty) exactly like the command would; keyReady() calls it makes are
//                     handled in a later round of the same handleReady().
//        req.onTimeout(c)   reply on timeout / CLIENT UNBLOCK TIMEOUT (default: null array, replyToBlockedClientTimedOut).
//        req.onKeyGone(c, key) → boolean: called when a ready key no longer exists or holds another type (XREADGROUP:
//                     reply '-UNBLOCKED the stream key no longer exists' and return true to unblock). Optional.
//        req.data     free per-command state (stream ids, COUNT, LMOVE target...).
//   server.keyReady(db, key)                → signalKeyAsReady: call after a key of a blocking type gained elements
//        (db.add does it for new keys). For XREADGROUP, the keyspace/streams code also calls it when a stream key is
//        deleted or overwritten. Cheap when nobody is blocked.
//   scanDbForReadyKeys(db)                  → scanDatabaseForReadyKeys (SWAPDB, after the swap, for both dbs).
//   handleReady()                           → handleClientsBlockedOnKeys (server.afterCommand); unblocked clients' pipelined
//        commands run after the current I/O round (setImmediate), like Redis's processUnblockedClients in beforeSleep.
//   unblock(c, how?)                        → how = 'timeout' | 'error' (CLIENT UNBLOCK): replies (null array /
//        '-UNBLOCKED client unblocked via CLIENT UNBLOCK'), unblocks, returns true; false if `c` is not blocked on keys.
//        Without `how` (disconnect, RESET): silently removes the client from every wait list.
//   isBlockedOnKeys(c), blockedClients, blockingKeys (INFO), cron(now) (timeouts; a precise timer also fires them).
import { Histogram } from './latency.js';
import type { Db, RObj } from '../store/db.js';
import { CF, type Client } from './client.js';
import type { Server } from './server.js';
import { strtod, string2ll } from '../util/parse.js';
import { E } from '../errors.js';

export type BlockType = 'list' | 'zset' | 'stream';

export interface BlockRequest {
  type: BlockType;
  keys: string[];
  /** absolute ms, 0 = forever (from parseTimeout) */
  timeout: number;
  serve: (c: Client, key: string, obj: RObj) => boolean;
  onTimeout?: (c: Client) => void;
  onKeyGone?: (c: Client, key: string) => boolean;
  data?: unknown;
}

/** The state a client blocked on keys carries in `c.blocked`. */
export class BlockState {
  active = true;
  readonly keys: string[];
  constructor(
    readonly client: Client,
    readonly db: Db,
    readonly req: BlockRequest,
    readonly seq: number,
  ) {
    this.keys = [...new Set(req.keys)];
  }
}

/** getTimeoutFromObjectOrReply. Returns the absolute deadline (ms), 0 for "forever", or null after replying an error. */
export function parseTimeout(c: Client, arg: Buffer, unit: 'seconds' | 'ms' = 'seconds'): number | null {
  let tval: number;
  if (unit === 'seconds') {
    const d = parseLongDoubleLike(arg);
    if (d === null) {
      c.reply.error(E.TIMEOUT_NOT_FLOAT);
      return null;
    }
    const ms = d * 1000;
    // (long long) ceill(x): out-of-range conversions give LLONG_MIN on x86-64, so they end up "negative".
    tval = !(Math.abs(ms) < 9223372036854775807) ? -1 : Math.ceil(ms);
    if (Object.is(tval, -0)) tval = 0;
  } else {
    const v = string2ll(arg);
    if (v === null) {
      c.reply.error(E.TIMEOUT_NOT_INTEGER);
      return null;
    }
    tval = v;
  }
  if (tval < 0) {
    c.reply.error(E.TIMEOUT_NEGATIVE);
    return null;
  }
  return tval > 0 ? tval + Date.now() : 0;
}

/** getLongDoubleFromObject: strtold over the whole text, no leading space, no NaN. Huge values (beyond double) map to ±Infinity. */
function parseLongDoubleLike(buf: Buffer): number | null {
  if (buf.length === 0 || buf.length > 5 * 1024) return null;
  const c0 = buf[0];
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  const d = strtod(buf);
  if (d === null || d !== d) return null;
  if (d === 0) {
    // A value below double's range but within long double's: a tiny positive/negative number, not zero.
    const s = buf.latin1Slice(0, buf.length).toLowerCase();
    if (/[1-9]/.test(s.replace(/e.*$/, '').replace(/^[+-]?0x/, ''))) return s.startsWith('-') ? -Number.MIN_VALUE : Number.MIN_VALUE;
  }
  return d;
}

/** True when a blocking command may actually block (not inside MULTI/EXEC nor a script). */
export function mayBlock(c: Client): boolean {
  return (c.flags & (CF.DENY_BLOCKING | CF.MULTI)) === 0;
}

export class BlockingManager {
  /** per db id: key → clients blocked on it, in blocking order (a Set keeps insertion order and deletes in O(1)) */
  private waiting: Map<string, Set<BlockState>>[] = [];
  /** keys signalled ready since the last handleReady (server.ready_keys), deduplicated by readySet */
  private ready: { db: Db; key: string }[] = [];
  private readySet = new Set<string>();
  /** clients unblocked and waiting to have their pending input processed */
  private resumeQueue: Client[] = [];
  /** min-heap of timeouts (lazy deletion through BlockState.active) */
  private heap: BlockState[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private busy = false;
  private resumeScheduled = false;
  private seq = 0;
  /** number of clients blocked on keys, by type */
  readonly byType = { list: 0, zset: 0, stream: 0 };
  blockedClients = 0;

  constructor(readonly server: Server) {}

  /** Number of distinct keys with blocked clients (all dbs). */
  get blockingKeys(): number {
    let n = 0;
    for (const m of this.waiting) if (m) n += m.size;
    return n;
  }

  isBlockedOnKeys(c: Client): boolean {
    return c.blocked instanceof BlockState;
  }

  private dbMap(db: Db): Map<string, Set<BlockState>> {
    let m = this.waiting[db.id];
    if (!m) this.waiting[db.id] = m = new Map();
    return m;
  }

  /** signalKeyAsReady */
  keyReady(db: Db, key: string): void {
    if (this.blockedClients === 0) return;
    const m = this.waiting[db.id];
    if (!m || !m.has(key)) return;
    const rk = db.id + '\0' + key;
    if (this.readySet.has(rk)) return;
    this.readySet.add(rk);
    this.ready.push({ db, key });
  }

  /** scanDatabaseForReadyKeys: every key with waiters that exists in `db` is signalled (SWAPDB). */
  scanDbForReadyKeys(db: Db): void {
    const m = this.waiting[db.id];
    if (!m) return;
    for (const key of m.keys()) if (db.dict.has(key)) this.keyReady(db, key);
  }

  /** Blocks `c` (no reply is written now). */
  block(c: Client, req: BlockRequest): void {
    const st = new BlockState(c, c.db, req, this.seq++);
    const m = this.dbMap(c.db);
    for (const key of st.keys) {
      let s = m.get(key);
      if (!s) m.set(key, (s = new Set()));
      s.add(st);
    }
    c.blocked = st;
    c.flags |= CF.BLOCKED;
    this.blockedClients++;
    this.byType[req.type]++;
    if (req.timeout > 0) {
      this.heapPush(st);
      this.armTimer();
    }
  }

  /** Removes `st` from every wait list and clears the client's blocked state (unblockClient). */
  private release(st: BlockState, resume: boolean): void {
    if (!st.active) return;
    st.active = false;
    const c = st.client;
    const m = this.waiting[st.db.id];
    if (m) {
      for (const key of st.keys) {
        const s = m.get(key);
        if (s) {
          s.delete(st);
          if (s.size === 0) m.delete(key);
        }
      }
    }
    if (c.blocked === st) c.blocked = null;
    c.flags &= ~CF.BLOCKED;
    this.blockedClients--;
    this.byType[st.req.type]--;
    if (resume) {
      c.wake();
      this.resumeQueue.push(c);
    }
  }

  /** Unblocks a client. With `how` (CLIENT UNBLOCK) it replies first and returns true; see the API notes above. */
  unblock(c: Client, how?: 'timeout' | 'error'): boolean {
    const st = c.blocked;
    if (!(st instanceof BlockState)) return false;
    if (how === undefined) {
      this.release(st, false);
      return true;
    }
    if (how === 'error') c.reply.error(E.UNBLOCKED_BY_CLIENT);
    else this.replyTimeout(st);
    this.release(st, true);
    // updateStatsOnUnblock(target, 0, 0, 1): CLIENT UNBLOCK always counts a failed call, and logs the command.
    if (c.lastCmd) c.lastCmd.stats.failed++;
    this.server.slowlogPush(c, c.argv, 0);
    return true;
  }

  /**
   * disconnectAllBlockedClients (the keys part): every client blocked on keys gets `text` as an error and is closed
   * once it is sent. For a master that turns into a replica, where serving them later would diverge from its master.
   */
  disconnectAll(text: string): void {
    for (const c of [...this.server.clients.values()]) {
      const st = c.blocked;
      if (!(st instanceof BlockState)) continue;
      c.reply.error(text);
      this.release(st, false);
      c.flags |= CF.CLOSE_AFTER_REPLY;
      c.wake();
    }
  }

  private replyTimeout(st: BlockState): void {
    if (st.req.onTimeout) st.req.onTimeout(st.client);
    else st.client.reply.nullArray();
  }

  /**
   * handleClientsBlockedOnKeys. Clients unblocked meanwhile (served, timed out, CLIENT UNBLOCK) have the commands they
   * pipelined processed later, once the current I/O round is over (setImmediate), as Redis's beforeSleep
   * processUnblockedClients does: never in the middle of another client's pipeline.
   */
  handleReady(): void {
    if (this.busy) return;
    if (this.ready.length !== 0) {
      this.busy = true;
      try {
        while (this.ready.length !== 0) this.serveReadyKeys();
      } finally {
        this.busy = false;
      }
    }
    if (this.resumeQueue.length !== 0 && !this.resumeScheduled) {
      this.resumeScheduled = true;
      setImmediate(() => this.processUnblocked());
    }
  }

  /** processUnblockedClients: runs what unblocked clients sent while they were blocked, then flushes replies. */
  private processUnblocked(): void {
    this.resumeScheduled = false;
    const q = this.resumeQueue;
    this.resumeQueue = [];
    for (const c of q) if (!c.closed && c.blocked === null) this.server.resumeClient(c);
    this.handleReady();
    this.server.flush();
  }

  private serveReadyKeys(): void {
    const list = this.ready;
    this.ready = [];
    const server = this.server;
    for (const { db, key } of list) {
      this.readySet.delete(db.id + '\0' + key);
      const prevFixed = server.fixedTimeExpire;
      if (!prevFixed) server.fixedTimeExpire = Date.now();
      try {
        const o = db.peek(key);
        const waiters = this.waiting[db.id]?.get(key);
        if (!waiters) continue;
        if (o !== undefined && (o.type === 'list' || o.type === 'zset' || o.type === 'stream')) {
          for (const st of [...waiters]) {
            if (!st.active || st.req.type !== o.type) continue;
            if (!this.serveOne(st, key, o)) continue;
            // The key was emptied and deleted (or replaced): nobody else can be served from it.
            if (db.dict.get(key) !== o) break;
          }
        }
        if (o === undefined || o.type !== 'stream') {
          const rest = this.waiting[db.id]?.get(key);
          if (rest) {
            for (const st of [...rest]) {
              if (!st.active || !st.req.onKeyGone) continue;
              this.withStats(st, () => st.req.onKeyGone!(st.client, key));
            }
          }
        }
      } finally {
        server.fixedTimeExpire = prevFixed;
      }
    }
  }

  private serveOne(st: BlockState, key: string, o: RObj): boolean {
    return this.withStats(st, () => st.req.serve(st.client, key, o));
  }

  /** Runs a serving callback with the receiver as the executing client; on success unblocks it and updates stats. */
  private withStats(st: BlockState, fn: () => boolean): boolean {
    const c = st.client;
    const server = this.server;
    const errBefore = server.stats.totalErrorReplies;
    const t0 = performance.now();
    const prevDb = c.db;
    c.db = st.db;
    c.flags |= CF.EXECUTING;
    // the receiver is server.current_client while it is served
    const prevCurrent = server.currentClient;
    const prevExecuting = server.executingClient;
    server.currentClient = server.executingClient = c;
    let served: boolean;
    try {
      served = fn();
    } catch (e) {
      server.log.warning(`Internal error serving a blocked client: ${(e as Error).stack ?? e}`);
      c.reply.error(E.internalError((e as Error).message));
      served = true;
    } finally {
      c.flags &= ~CF.EXECUTING;
      c.db = prevDb;
      server.tracking.handlePending();
      server.currentClient = prevCurrent;
      server.executingClient = prevExecuting;
    }
    // afterCommand(receiver): what serving it propagated (LPOP for BLPOP…) goes out on its own
    server.propagation.flushIdle();
    if (!served) return false;
    const spec = c.lastCmd;
    const usec = Math.round((performance.now() - t0) * 1000);
    if (spec) {
      spec.stats.usec += usec;
      if (server.stats.totalErrorReplies !== errBefore) spec.stats.failed++;
      if (server.hot.latencyTracking) (spec.stats.histogram ??= new Histogram()).record(usec * 1000);
    }
    server.latency.addIfNeeded('command-unblocking', Math.trunc(usec / 1000));
    // updateStatsOnUnblock: the blocked command goes to the slow log now (its call() skipped it).
    server.slowlogPush(c, c.argv, usec);
    this.release(st, true);
    return true;
  }

  // ---------- timeouts ----------

  private heapPush(st: BlockState): void {
    const h = this.heap;
    h.push(st);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private heapPop(): BlockState | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }

  private armTimer(): void {
    while (this.heap.length && !this.heap[0].active) this.heapPop();
    if (this.heap.length === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.timerAt = 0;
      return;
    }
    // A client times out once its deadline is strictly in the past (checkBlockedClientTimeout: timeout < now).
    const at = this.heap[0].req.timeout + 1;
    if (this.timer && this.timerAt === at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = 0;
      this.cron(Date.now());
    }, Math.max(0, at - Date.now()));
    this.timer.unref?.();
  }

  /** Replies to and unblocks every client whose timeout passed (handleBlockedClientsTimeout). */
  cron(now: number): void {
    let any = false;
    while (this.heap.length) {
      const st = this.heap[0];
      if (!st.active) {
        this.heapPop();
        continue;
      }
      if (!(st.req.timeout < now)) break;
      this.heapPop();
      if (st.client.closed) {
        this.release(st, false);
        continue;
      }
      this.replyTimeout(st);
      this.release(st, true);
      any = true;
    }
    this.armTimer();
    if (any) {
      this.handleReady();
      this.server.flush();
    }
  }

  isBlocked(c: Client): boolean {
    return c.blocked !== null;
  }
}

function less(a: BlockState, b: BlockState): boolean {
  return a.req.timeout < b.req.timeout || (a.req.timeout === b.req.timeout && a.seq < b.seq);
}
