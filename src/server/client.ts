// Per-connection client state (Redis: the `client` struct in server.h, created in networking.c createClient).
import type { Socket } from 'node:net';
import { Reply } from '../protocol/reply.js';
import { RequestParser } from '../protocol/parser.js';
import type { Db } from '../store/db.js';
import type { Server } from './server.js';
import type { CommandSpec } from '../commands/table.js';
import type { Connection } from './io.js';
import type { User } from '../acl/rules.js';
import type { TrackingState } from './tracking.js';
import type { CallPropState } from '../replication/propagate.js';

// Client flags (server.h CLIENT_*), the subset redlua uses.
export const CF = {
  MULTI: 1 << 0,
  DIRTY_CAS: 1 << 1,
  DIRTY_EXEC: 1 << 2,
  CLOSE_AFTER_REPLY: 1 << 3,
  BLOCKED: 1 << 4,
  PUBSUB: 1 << 5,
  MONITOR: 1 << 6,
  SCRIPT: 1 << 7,
  DENY_BLOCKING: 1 << 8,
  NO_EVICT: 1 << 9,
  NO_TOUCH: 1 << 10,
  REPLY_OFF: 1 << 11,
  REPLY_SKIP_NEXT: 1 << 12,
  REPLY_SKIP: 1 << 13,
  CLOSE_ASAP: 1 << 14,
  EXECUTING: 1 << 15,
  UNIX_SOCKET: 1 << 16,
  PROTECTED: 1 << 17,
  /** a replica attached by SYNC/PSYNC (CLIENT_SLAVE): it receives the replication stream */
  REPLICA: 1 << 18,
  /** the link to this server's master (CLIENT_MASTER): its commands apply the replication stream, unanswered */
  MASTER: 1 << 19,
  LUA_DEBUG: 1 << 20,
  LUA_DEBUG_SYNC: 1 << 21,
  /** the fake client that replays the AOF (Redis: CLIENT_ID_AOF) */
  AOF: 1 << 22,
} as const;

/** mustObeyClient: the master's link and the AOF replay apply what they are sent, as the writer already decided it. */
export function mustObeyClient(c: { flags: number }): boolean {
  return (c.flags & (CF.MASTER | CF.AOF)) !== 0;
}

export interface QueuedCommand {
  spec: CommandSpec;
  argv: Buffer[];
}

let nextId = 1;
export function allocClientId(): number {
  return nextId++;
}

export class Client {
  readonly id = allocClientId();
  flags = 0;
  reply: Reply;
  parser: RequestParser;
  db: Db;
  name: Buffer | null = null;
  libName = '';
  libVer = '';
  /** c->authenticated: set by AUTH/HELLO, or at creation when the default user needs no password */
  authenticated = false;
  /** The ACL user the connection runs as (c->user) */
  user!: User;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  /** The command being executed and its arguments (for CLIENT LIST cmd=, MONITOR, scripts). */
  cmd: CommandSpec | null = null;
  lastCmd: CommandSpec | null = null;
  argv: Buffer[] = [];
  /** MULTI queue, non-null while CF.MULTI is set */
  mstate: QueuedCommand[] | null = null;
  /** Flags of the queued commands OR-ed (for EXEC's write/denyoom decisions). */
  mstateFlags = 0;
  /** mstate.cmd_inv_flags: the union of the flags each queued command lacks (a command not flagged stale) */
  mstateInvFlags = 0;
  /** Arbitrary per-subsystem state (watch keys, blocking, pubsub channels, …), owned by those modules. */
  watched: { db: Db; key: string }[] | null = null;
  blocked: unknown = null;
  pubsub: { channels: Set<string>; patterns: Set<string>; shardChannels: Set<string> } | null = null;
  /** Commands read while this client was blocked or paused, to run once it is unblocked. */
  pending: Buffer[][] = [];
  addr: string;
  laddr: string;
  closed = false;
  /** The socket's reading and writing (src/server/io.ts); null for the script and AOF-less internal clients. */
  conn: Connection | null = null;
  /** total bytes of input read (CLIENT LIST tot-net-in) */
  netIn = 0;
  netOut = 0;
  cmdsProcessed = 0;
  /** CLIENT TRACKING state (src/server/tracking.ts); null while tracking is off. */
  tracking: TrackingState | null = null;
  /** Set when the output buffer first went past the soft limit (client-output-buffer-limit). */
  obufSoftLimitReachedAt = 0;
  /** Propagation of the running command: its rewritten argv and FORCE/PREVENT flags (src/replication/propagate.ts). */
  readonly prop: CallPropState = { argv: null, force: 0, prevent: 0 };
  /** CMD_CALL_PROPAGATE_AOF|REPL of this client's calls: a script client follows redis.set_repl. */
  propMask = 3;
  /** c->woff: the replication offset after this client's last propagated write (WAIT counts ACKs against it) */
  woff = 0;

  constructor(
    readonly server: Server,
    readonly socket: Socket | null,
    resp: 2 | 3 = 2,
  ) {
    this.reply = new Reply(resp);
    this.reply.errorHook = server.stats.errorHook;
    this.db = server.dbs[0];
    server.acl.setDefaultAuth(this);
    // server.hot is read live: CONFIG SET proto-max-bulk-len applies to connected clients too
    this.parser = new RequestParser(server.hot, () => server.acl.authRequired(this));
    if (socket) {
      this.addr = `${socket.remoteAddress?.replace(/^::ffff:/, '')}:${socket.remotePort}`;
      this.laddr = `${socket.localAddress?.replace(/^::ffff:/, '')}:${socket.localPort}`;
    } else {
      this.addr = '';
      this.laddr = '';
    }
  }

  get resp(): 2 | 3 {
    return this.reply.resp;
  }
  set resp(v: 2 | 3) {
    this.reply.resp = v;
  }

  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  /** Reply bytes written but not yet taken by the kernel (CLIENT LIST omem, output buffer limits). */
  outputPending(): number {
    return this.conn === null ? 0 : this.conn.pending();
  }

  /** Queue this client's output for the next flush (used when another client's action writes to it). */
  wake(): void {
    this.server.pendingFlush.add(this);
  }
}
