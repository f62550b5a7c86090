// Client-side caching: the table of tracked keys and the invalidation messages (Redis: tracking.c).
//
// The tracking table maps a key name (global across dbs, as in Redis) to the IDs of the clients that may hold it in
// their local cache. A write to a tracked key sends each of them an invalidation and forgets the entry. BCAST clients
// subscribe to key prefixes instead: the keys modified under a prefix during an event-loop turn are broadcast at the
// end of the turn (beforeSleep), one array per prefix.
import { CF, type Client } from './client.js';
import type { Server } from './server.js';
import type { CommandSpec } from '../commands/table.js';
import { F } from '../commands/table.js';
import { commandKeys } from '../commands/introspection.js';
import type { Reply } from '../protocol/reply.js';

/** CLIENT_TRACKING_* flags. */
export const TR = { BCAST: 1, OPTIN: 2, OPTOUT: 4, NOLOOP: 8, CACHING: 16, BROKEN_REDIR: 32 } as const;

/** The tracking state of one client (present while CLIENT TRACKING is on). */
export interface TrackingState {
  flags: number;
  /** client_tracking_redirection: 0 for none */
  redirect: number;
  /** client_tracking_prefixes: sorted and unique (a rax in Redis) */
  prefixes: string[];
}

interface BcastState {
  /** keys modified under this prefix in the current turn → the client that modified each last (null: no client) */
  keys: Map<string, Client | null>;
  clients: Set<Client>;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const INVALIDATE_PUSH = Buffer.from('>2\r\n$10\r\ninvalidate\r\n');
const INVALIDATE_PUBSUB = Buffer.from('*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n');
const NULL_PROTO = { 2: Buffer.from('$-1\r\n'), 3: Buffer.from('_\r\n') } as const;

/** `*1\r\n$<len>\r\n<key>\r\n`, or the array of several keys, as RESP bytes. */
function keysProto(keys: string[]): Buffer {
  let n = 3 + String(keys.length).length;
  for (const k of keys) n += 5 + String(k.length).length + k.length;
  const b = Buffer.allocUnsafe(n);
  let o = b.latin1Write(`*${keys.length}\r\n`, 0);
  for (const k of keys) {
    o += b.latin1Write(`$${k.length}\r\n`, o);
    o += b.latin1Write(k, o);
    o += b.latin1Write('\r\n', o);
  }
  return b;
}

/** Where a push goes: past a CLIENT REPLY OFF/SKIP stand-in (CLIENT_PUSHING). */
function pushOut(c: Client): Reply {
  return c.reply;
}

export class Tracking {
  /** server.tracking_clients */
  clients = 0;
  /** TrackingTable: null until the first client enables tracking */
  private table: Map<string, Set<number>> | null = null;
  /** TrackingTableTotalItems */
  totalItems = 0;
  /** PrefixTable */
  private readonly prefixTable = new Map<string, BcastState>();
  /** server.tracking_pending_keys: invalidations for the current client, sent after its reply (null: flush) */
  private pending: (string | null)[] = [];
  /** Some BCAST prefix has keys to broadcast at the end of the turn. */
  broadcastDue = false;
  /** trackingLimitUsedSlots' static timeout_counter */
  private timeoutCounter = 0;

  constructor(private readonly server: Server) {}

  get totalKeys(): number {
    return this.table === null ? 0 : this.table.size;
  }
  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  /** enableTracking */
  enable(c: Client, redirect: number, options: number, prefixes: string[]): void {
    let st = c.tracking;
    if (st === null) {
      this.clients++;
      st = c.tracking = { flags: 0, redirect: 0, prefixes: [] };
    }
    st.flags &= ~(TR.BROKEN_REDIR | TR.BCAST | TR.OPTIN | TR.OPTOUT | TR.NOLOOP);
    st.redirect = redirect;
    if (this.table === null) this.table = new Map();
    if (options & TR.BCAST) {
      st.flags |= TR.BCAST;
      if (prefixes.length === 0) this.enableBcastPrefix(c, st, '');
      for (const p of prefixes) this.enableBcastPrefix(c, st, p);
    }
    st.flags |= options & (TR.OPTIN | TR.OPTOUT | TR.NOLOOP);
  }

  /** enableBcastTrackingForPrefix */
  private enableBcastPrefix(c: Client, st: TrackingState, prefix: string): void {
    let bs = this.prefixTable.get(prefix);
    if (bs === undefined) this.prefixTable.set(prefix, (bs = { keys: new Map(), clients: new Set() }));
    if (!bs.clients.has(c)) {
      bs.clients.add(c);
      if (!st.prefixes.includes(prefix)) {
        st.prefixes.push(prefix);
        st.prefixes.sort(byteOrder);
      }
    }
  }

  /** disableTracking: the client's IDs in the table are removed lazily. */
  disable(c: Client): void {
    const st = c.tracking;
    if (st === null) return;
    if (st.flags & TR.BCAST) {
      for (const p of st.prefixes) {
        const bs = this.prefixTable.get(p);
        if (bs === undefined) continue;
        bs.clients.delete(c);
        if (bs.clients.size === 0) this.prefixTable.delete(p);
      }
    }
    c.tracking = null;
    this.clients--;
  }

  /**
   * After a read-only command (call()): remember the keys it fetched for its client, or, for a command a script ran,
   * the keys its caller declared (the caller's EVAL/FCALL arguments). EVAL_RO, EVALSHA_RO and FCALL_RO themselves
   * remember nothing: only the reads their script does.
   */
  afterReadCommand(c: Client, spec: CommandSpec, argv: Buffer[]): void {
    let caller = c;
    if (c.flags & CF.SCRIPT) {
      const sc = this.server.scripting.scriptCaller();
      if (sc !== null) caller = sc;
    }
    const st = caller.tracking;
    if (st === null || st.flags & TR.BCAST) return;
    if (caller !== c) {
      if (caller.cmd === null) return;
      spec = caller.cmd;
      argv = caller.argv;
    }
    this.rememberKeys(caller, st, spec, argv);
  }

  /** trackingRememberKeys */
  private rememberKeys(c: Client, st: TrackingState, spec: CommandSpec, argv: Buffer[]): void {
    const optin = st.flags & TR.OPTIN;
    const optout = st.flags & TR.OPTOUT;
    const caching = st.flags & TR.CACHING;
    if ((optin && !caching) || (optout && caching)) return;
    // shard channels are keys for COMMAND's sake only: not tracked
    if (spec.flags & F.pubsub) return;
    const keys = commandKeys(spec, argv);
    if (keys === null || keys.length === 0) return;
    const table = this.table!;
    for (const k of keys) {
      const a = argv[k.pos];
      const key = a.latin1Slice(0, a.length);
      let ids = table.get(key);
      if (ids === undefined) table.set(key, (ids = new Set()));
      if (!ids.has(c.id)) {
        ids.add(c.id);
        this.totalItems++;
      }
    }
  }

  /**
   * trackingInvalidateKey: `modifier` is the client whose command changed the key (null for expiry and eviction);
   * `bcast` also schedules the key for the BCAST clients (false when the table merely forgets a key).
   */
  invalidateKey(modifier: Client | null, key: string, bcast: boolean): void {
    const table = this.table;
    if (table === null) return;
    if (bcast && this.prefixTable.size !== 0) this.rememberKeyToBroadcast(modifier, key);
    const ids = table.get(key);
    if (ids === undefined) return;
    const s = this.server;
    const current = s.currentClient;
    for (const id of ids) {
      const target = s.clients.get(id);
      if (target === undefined || target.tracking === null || target.tracking.flags & TR.BCAST) continue;
      // NOLOOP: no notification about keys the client changed itself
      if (target.tracking.flags & TR.NOLOOP && target === current) continue;
      // the client's own command: the invalidation follows its reply
      if (target === current && s.fixedTimeExpire !== 0) this.pending.push(key);
      else this.send(target, keysProto([key]));
    }
    this.totalItems -= ids.size;
    table.delete(key);
  }

  /** trackingRememberKeyToBroadcast */
  private rememberKeyToBroadcast(modifier: Client | null, key: string): void {
    for (const [prefix, bs] of this.prefixTable) {
      if (prefix.length > key.length) continue;
      if (prefix.length !== 0 && !key.startsWith(prefix)) continue;
      bs.keys.set(key, modifier);
      this.broadcastDue = true;
    }
  }

  /** trackingInvalidateKeysOnFlush: every tracking client gets a null (all keys); the table is emptied. */
  invalidateOnFlush(): void {
    if (this.clients !== 0) {
      const current = this.server.currentClient;
      for (const c of this.server.clients.values()) {
        if (c.tracking === null) continue;
        if (c === current) this.pending.push(null);
        else this.send(c, NULL_PROTO[c.resp]);
      }
    }
    if (this.table !== null) {
      this.table = new Map();
      this.totalItems = 0;
    }
  }

  /** trackingHandlePendingKeyInvalidations: after the top-level command's reply. */
  handlePending(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    const c = this.server.currentClient;
    if (c === null || c.closed) return;
    for (const key of pending) this.send(c, key === null ? NULL_PROTO[c.resp] : keysProto([key]));
  }

  /**
   * sendTrackingMessage: `payload` is the RESP value (the array of keys, or a null). RESP3 clients get a push; a
   * RESP2 client only through a redirection to a client in Pub/Sub mode, as a __redis__:invalidate message.
   */
  private send(c: Client, payload: Buffer): void {
    const st = c.tracking;
    let usingRedirection = false;
    if (st !== null && st.redirect !== 0) {
      const redir = this.server.clients.get(st.redirect);
      if (redir === undefined) {
        st.flags |= TR.BROKEN_REDIR;
        if (c.resp > 2) {
          const r = pushOut(c);
          r.pushLen(2);
          r.bulkStr('tracking-redir-broken');
          r.int(st.redirect);
          c.wake();
        }
        return;
      }
      c = redir;
      usingRedirection = true;
    }
    const r = pushOut(c);
    if (c.resp > 2) r.raw(INVALIDATE_PUSH);
    else if (usingRedirection && c.flags & CF.PUBSUB) r.raw(INVALIDATE_PUBSUB);
    else return;
    r.raw(payload);
    c.wake();
  }

  /** trackingBroadcastInvalidationMessages: at the end of the event-loop turn (beforeSleep). */
  broadcast(): void {
    this.broadcastDue = false;
    if (this.table === null || this.clients === 0) {
      for (const bs of this.prefixTable.values()) bs.keys.clear();
      return;
    }
    const prefixes = [...this.prefixTable.keys()].sort(byteOrder);
    for (const p of prefixes) {
      const bs = this.prefixTable.get(p)!;
      if (bs.keys.size !== 0) {
        const keys = [...bs.keys.keys()].sort(byteOrder);
        const proto = keysProto(keys);
        for (const c of bs.clients) {
          if (c.tracking !== null && c.tracking.flags & TR.NOLOOP) {
            // trackingBuildBroadcastReply(c, …): the keys this client modified last are left out
            const own = keys.filter(k => bs.keys.get(k) !== c);
            if (own.length !== 0) this.send(c, own.length === keys.length ? proto : keysProto(own));
          } else this.send(c, proto);
        }
      }
      bs.keys = new Map();
    }
  }

  /**
   * trackingLimitUsedSlots: over tracking-table-max-keys, forget keys (the clients holding them are told, as if the
   * keys changed), with an effort that grows while the table stays over the limit. Redis walks its rax at random;
   * the oldest entries go first here.
   */
  limitUsedSlots(maxKeys: number): void {
    const table = this.table;
    if (table === null || maxKeys === 0) return;
    if (table.size <= maxKeys) {
      this.timeoutCounter = 0;
      return;
    }
    let effort = 100 * (this.timeoutCounter + 1);
    while (effort > 0) {
      effort--;
      const first = table.keys().next();
      if (first.done) break;
      this.invalidateKey(null, first.value, false);
      if (table.size <= maxKeys) {
        this.timeoutCounter = 0;
        return;
      }
    }
    this.timeoutCounter++;
  }
}
