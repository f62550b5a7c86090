// The server: listening sockets, client I/O, the keyspaces and the subsystems (Redis: server.c main loop, networking.c read/write paths).
import { LatencyMonitor } from './latency.js';
import { Listeners, type ConnKind } from './listeners.js';
import net from 'node:net';
import { Config } from './config.js';
import { Db, keyBuf } from '../store/db.js';
import { Client, CF } from './client.js';
import { Stats } from './stats.js';
import { WatchManager } from './watch.js';
import { BlockingManager } from './blocking.js';
import { PubSub } from './pubsub.js';
import { PauseManager } from './pause.js';
import { Shutdown, SHUTDOWN_BLOCK } from './shutdown.js';
import { MemoryManager } from './memory.js';
import { Scripting } from '../scripting/index.js';
import { Acl } from '../acl/index.js';
import { NOTIFY, parseNotifyFlags } from './notify.js';
import { processCommand } from './dispatch.js';
import { createLogger, type RedisLogLevel, type ServerLogger } from './log.js';
import type { CommandSpec } from '../commands/table.js';
import { installHandlers } from '../commands/index.js';
import { activeExpireCycle as runActiveExpireCycle } from '../store/expire.js';
import { attachConnection, type Connection } from './io.js';
import { listenSync } from './listen-sync.js';
import { clientInfoString } from '../commands/connection.js';
import { E } from '../errors.js';
import { Tracking } from './tracking.js';
import { Persistence } from '../persistence/save.js';
import { Propagation } from '../replication/propagate.js';
import { Aof, AOF_OFF } from '../persistence/aof.js';
// registers the RDB BASE writer and loader of the AOF (aof-use-rdb-preamble)
import '../persistence/aof-rdb.js';
import { ReplicationMaster } from '../replication/master.js';
import { ReplicationReplica } from '../replication/replica.js';
import { closeMigrateSockets } from '../commands/migrate.js';
import { SignalInbox } from './signals.js';

/** PROTO_REPLY_CHUNK_BYTES: the static reply buffer that Redis's output limits do not count. */
const PROTO_REPLY_CHUNK_BYTES = 16 * 1024;
/** Replies from this size go out as their chunks (no concatenated copy). */
const BIG_REPLY = 4 << 20;

export const REDLUA_VERSION = '0.1.0';
export const REDIS_VERSION = '7.0.15';

export interface SlowlogEntry {
  id: number;
  time: number;
  usec: number;
  argv: Buffer[];
  addr: string;
  name: string;
}

/** Event name → notification class, for the events the core itself emits. */
const CORE_EVENT_CLASS: Record<string, number> = { expired: NOTIFY.EXPIRED, evicted: NOTIFY.EVICTED, del: NOTIFY.GENERIC };

/** Config values read on every command, refreshed whenever the configuration changes. */
export interface HotConfig {
  maxmemory: number;
  minReplicasToWrite: number;
  minReplicasMaxLag: number;
  slowlogSlowerThan: number;
  maxclients: number;
  queryBufferLimit: number;
  protoMaxBulkLen: number;
  /** busy-reply-threshold (lua-time-limit), ms; 0 = no busy hook */
  busyReplyThreshold: number;
  latencyTracking: boolean;
  streamNodeMaxEntries: number;
  streamNodeMaxBytes: number;
  /** maxmemory-policy is an LFU one: the lru field holds LFU data (src/server/lfu.ts) */
  lfu: boolean;
  /** maxmemory-clients is set: clients are evicted over it */
  maxmemoryClients: boolean;
  lfuLogFactor: number;
  lfuDecayTime: number;
  /** client-output-buffer-limit per class: [hard, soft, seconds] */
  obufNormal: number[];
  obufPubsub: number[];
  obufReplica: number[];
}

export interface ServerOptions {
  /** directive → value, as on the command line (`--port 0` is { port: '0' }) */
  config?: Record<string, string | number | boolean>;
  /** redis.conf text applied before `config` */
  configText?: string;
  /** the absolute path of the config file configText came from (CONFIG REWRITE writes it back) */
  configFile?: string | null;
  logger?: ServerLogger;
}

export class Server {
  readonly config = new Config();
  readonly stats = new Stats();
  /**
   * now: ms of the current command; lru: Redis's 24-bit LRU clock (seconds), kept a small integer so objects store it
   * unboxed; base: Date.now() - performance.now(), re-read every cron tick, so one performance.now() per command gives
   * both its duration and its wall-clock time.
   */
  readonly clock = { now: Date.now(), lru: lruClock(Date.now()), base: Date.now() - performance.now() };
  /** performance.now() at the end of the last command while the next pipelined one may start its clock there, else -1. */
  chainT = -1;
  dbs: Db[] = [];
  readonly clients = new Map<number, Client>();
  readonly watch = new WatchManager();
  readonly blocking: BlockingManager;
  readonly pubsub: PubSub;
  readonly pause: PauseManager;
  readonly memory: MemoryManager;
  readonly scripting: Scripting;
  readonly acl: Acl;
  /** RDB files: SAVE/BGSAVE state, save points, loading (persistence/save.ts) */
  readonly persistence: Persistence;
  readonly propagation = new Propagation(this);
  readonly aof: Aof;
  readonly repl: ReplicationMaster;
  /** the link to a master, when this server is a replica (REPLICAOF) */
  readonly replica = new ReplicationReplica(this);
  /** server.loading: the dataset is being loaded (no expiry, no propagation) */
  loading = false;
  log: ServerLogger;
  /** Clients with output written by someone else (pub/sub, unblocking, MONITOR), flushed at the end of the event. */
  readonly pendingFlush = new Set<Client>();
  readonly monitors = new Set<Client>();
  slowlog: SlowlogEntry[] = [];
  /** LATENCY's event samples (latency-monitor-threshold) */
  readonly latency = new LatencyMonitor();
  /** the Unix socket and TLS listeners (src/server/listeners.ts) */
  readonly listeners = new Listeners(this);
  slowlogNextId = 0;
  dirty = 0;
  lastSave = Math.floor(Date.now() / 1000);
  /** server.current_client: the client whose input is being processed (null in timers). */
  currentClient: Client | null = null;
  /** The client of the innermost call() running (a script's commands run on the script client), else null. */
  executingClient: Client | null = null;
  readonly tracking = new Tracking(this);
  /** Frozen expiry clock during EXEC (server.fixed_time_expire); 0 when not frozen. */
  fixedTimeExpire = 0;
  preCommandOOM = false;
  activeExpireEnabled = true;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION (server.skip_checksum_validation): FUNCTION RESTORE skips the CRC64 check */
  skipChecksumValidation = false;
  /** DEBUG set-disable-deny-scripts */
  disableDenyScripts = false;
  /** Called by the SHUTDOWN command instead of close() when set (src/cli.ts sets it to end the process). */
  onShutdown: (() => void) | null = null;
  /** shutdown_asap: SIGTERM/SIGINT received, the shutdown runs from the next cron (SHUTDOWN ABORT can cancel it) */
  shutdownAsap: 'SIGTERM' | 'SIGINT' | null = null;
  /** SIGINT/SIGTERM as they arrive, also while a script is busy (src/server/signals.ts; the CLI sets its handler) */
  readonly signals = new SignalInbox();
  /** the shutdown a signal asked for, run by the cron (src/cli.ts sets it) */
  onSignalShutdown: ((sig: 'SIGTERM' | 'SIGINT') => void) | null = null;
  /** a shutdown that waited for replicas was called off (SHUTDOWN ABORT) or its final save failed (src/cli.ts) */
  onShutdownCancelled: (() => void) | null = null;
  /** the shutdown sequence, which may wait for lagging replicas (shutdown-timeout) */
  readonly shutdown = new Shutdown(this);
  /** DEBUG PAUSE-CRON */
  cronPaused = false;
  notifyFlags = 0;
  readonly hot: HotConfig = {
    maxmemory: 0,
    minReplicasToWrite: 0,
    minReplicasMaxLag: 10,
    slowlogSlowerThan: 10000,
    maxclients: 10000,
    queryBufferLimit: 1 << 30,
    protoMaxBulkLen: 512 << 20,
    busyReplyThreshold: 5000,
    latencyTracking: true,
    streamNodeMaxEntries: 100,
    streamNodeMaxBytes: 4096,
    lfu: false,
    maxmemoryClients: false,
    lfuLogFactor: 10,
    lfuDecayTime: 1,
    obufNormal: [0, 0, 0],
    obufPubsub: [32 << 20, 8 << 20, 60],
    obufReplica: [256 << 20, 64 << 20, 60],
  };
  private netServer: net.Server | null = null;
  private cronTimer: NodeJS.Timeout | null = null;
  private closing = false;
  readonly runId = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
  port = 0;
  host = '';
  /** the bind value the listener was opened with */
  private boundWith = '';
  /** listen() ran: CONFIG SET port/bind move the listener from now on */
  private listening = false;

  constructor(opts: ServerOptions = {}) {
    if (opts.configText) this.config.loadText(opts.configText);
    for (const [k, v] of Object.entries(opts.config ?? {})) {
      this.config.setStartup(k, typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));
    }
    this.config.checkLoaded();
    this.config.configFile = opts.configFile ?? null;
    this.log =
      opts.logger ??
      createLogger({ level: this.config.get('loglevel') as 'notice', file: this.config.get('logfile') });
    this.acl = new Acl(this);
    this.config.aclUserLines = () => this.acl.userLines();
    this.acl.loadAtStartup(this.config.userDirectives);
    const n = this.config.num('databases');
    for (let i = 0; i < n; i++) this.dbs.push(new Db(i, this));
    this.blocking = new BlockingManager(this);
    this.pubsub = new PubSub(this);
    this.pause = new PauseManager(this);
    this.memory = new MemoryManager(this);
    this.scripting = new Scripting(this);
    this.persistence = new Persistence(this);
    this.aof = new Aof(this);
    this.propagation.aof = this.aof;
    this.repl = new ReplicationMaster(this);
    this.propagation.repl = this.repl;
    this.propagation.replOffset = () => this.repl.offset;
    this.applyConfig();
    this.config.onChange = names => {
      this.applyConfig();
      if (names.includes('requirepass')) this.acl.updateDefaultPassword(this.config.get('requirepass'));
    };
    this.config.onWarning = msg => this.log.warning(msg);
    this.installApplyFns();
    installHandlers();
  }

  /**
   * The apply functions of the parameters whose change touches the running server (changeListenPort,
   * changeBindAddr): the new listener is bound before the old one closes, so a failure leaves the server as it was.
   */
  private installApplyFns(): void {
    const relisten = (): string | null => {
      if (!this.listening) return null; // before listen(): the values are simply used by it
      const port = this.config.num('port');
      if (port === 0) {
        // port 0 closes the TCP listener (connected clients stay), as in Redis
        this.netServer?.close();
        this.netServer = null;
        this.port = 0;
        return null;
      }
      // the old listener closes first (it may hold the address); a failure leaves none, and the rollback's
      // second apply reopens the old one
      this.netServer?.close();
      this.netServer = null;
      const host = this.bindAddress();
      const srv = listenSync(host, port, this.config.num('tcp-backlog'), sock => this.acceptConnection(sock, 'tcp'));
      if (typeof srv === 'string') {
        this.log.warning(`Warning: Could not create server TCP listening socket ${host ?? '*'}:${port}: bind: ${srv}`);
        return srv;
      }
      this.netServer = srv;
      this.port = port;
      this.boundWith = this.config.get('bind');
      return null;
    };
    const unchanged = (same: boolean) => same && (this.netServer !== null || this.port === 0);
    this.config.applyFns.set('updatePort', () => (unchanged(this.config.num('port') === this.port) || relisten() === null ? null : E.CONFIG_PORT_APPLY));
    // updateAppendonly: appendonly yes starts the AOF's first rewrite now, and a rewrite that cannot start fails the SET
    this.config.applyFns.set('updateAppendonly', () => (this.aof?.applyAppendonly() === false ? E.CONFIG_AOF_APPLY : null));
    // the TLS context and port (src/server/listeners.ts): a context that does not load fails the CONFIG SET
    // (applyTlsCfg runs for every tls-* directive but tls-port: the context is rebuilt, and tls-replication/tls-cluster,
    // which redlua cannot honour, are refused)
    this.config.applyFns.set('applyTlsCfg', () => this.listeners.apply(['tls-cert-file', 'tls-replication', 'tls-cluster'])?.[1] ?? null);
    this.config.applyFns.set('applyTLSPort', () => this.listeners.apply(['tls-port'])?.[1] ?? null);
    // updateMaxmemory: a limit below the current usage is logged, and eviction starts at once
    this.config.applyFns.set('updateMaxmemory', () => {
      const max = this.config.num('maxmemory');
      if (max !== 0) {
        this.hot.maxmemory = max;
        const used = this.memory.used();
        if (max < used) {
          this.log.warning(
            `WARNING: the new maxmemory value set via CONFIG SET (${max}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
          );
        }
        this.memory.freeMemoryIfNeeded();
      }
      return null;
    });
    this.config.applyFns.set('applyBind', () => (unchanged(this.config.get('bind') === this.boundWith) || relisten() === null ? null : E.CONFIG_BIND_APPLY));
  }

  private applyConfig(): void {
    const f = parseNotifyFlags(this.config.get('notify-keyspace-events'));
    this.notifyFlags = f < 0 ? 0 : f;
    if (this.log.level !== 'silent') this.log.level = this.config.get('loglevel') as RedisLogLevel;
    const cfg = this.config;
    const h = this.hot;
    h.maxmemory = cfg.num('maxmemory');
    h.lfu = cfg.get('maxmemory-policy').includes('lfu');
    h.maxmemoryClients = cfg.get('maxmemory-clients') !== '0';
    h.lfuLogFactor = cfg.num('lfu-log-factor');
    h.lfuDecayTime = cfg.num('lfu-decay-time');
    h.minReplicasToWrite = cfg.num('min-replicas-to-write');
    h.minReplicasMaxLag = cfg.num('min-replicas-max-lag');
    h.slowlogSlowerThan = cfg.num('slowlog-log-slower-than');
    h.latencyTracking = cfg.bool('latency-tracking');
    this.latency.threshold = cfg.num('latency-monitor-threshold');
    h.maxclients = cfg.num('maxclients');
    h.queryBufferLimit = cfg.num('client-query-buffer-limit');
    h.protoMaxBulkLen = cfg.num('proto-max-bulk-len');
    h.busyReplyThreshold = cfg.num('busy-reply-threshold');
    h.streamNodeMaxEntries = cfg.num('stream-node-max-entries');
    h.streamNodeMaxBytes = cfg.num('stream-node-max-bytes');
    h.obufNormal = cfg.outputLimit('normal');
    h.obufPubsub = cfg.outputLimit('pubsub');
    h.obufReplica = cfg.outputLimit('slave');
    this.aof?.configChanged();
    if (this.cronTimer && this.cronHz !== this.currentHz()) {
      clearInterval(this.cronTimer);
      this.cronTimer = null;
      this.startCron();
    }
  }

  // ---------- keyspace hooks used by the store and the command families ----------

  /**
   * mstime() as the running command sees it: for a top-level command, the wall clock call() froze at its start (no
   * second clock read); inside EXEC or a script, the clock itself, as Redis 7.0 reads it there.
   */
  commandTimeMs(c: Client): number {
    const fixed = this.fixedTimeExpire;
    return fixed !== 0 && !(c.flags & (CF.MULTI | CF.SCRIPT)) ? fixed : Date.now();
  }

  /** Expiry decisions use a frozen clock while a script or EXEC runs (keyIsExpired). */
  expireNow(): number {
    const snap = this.scripting.snapshotTime();
    if (snap) return snap;
    if (this.fixedTimeExpire) return this.fixedTimeExpire;
    return Date.now();
  }

  /**
   * signalModifiedKey: WATCH invalidation and client tracking. `by` is the client whose command changed the key: the
   * one executing by default, null for expiry and eviction.
   */
  keyModified(db: Db, key: string, by: Client | null = this.executingClient): void {
    this.watch.touch(db, key);
    db.memDirty.add(key);
    if (this.tracking.clients !== 0 || this.tracking.totalKeys !== 0) this.tracking.invalidateKey(by, key, true);
  }

  /** signalKeyAsReady: for clients blocked on lists, sorted sets and streams. */
  keyReady(db: Db, key: string): void {
    this.blocking.keyReady(db, key);
  }

  /** notifyKeyspaceEvent. `cls` defaults from the event name for core events. */
  notify(db: Db, event: string, key: string, cls?: number): void {
    const flags = this.notifyFlags;
    if (flags === 0) return;
    const type = cls ?? CORE_EVENT_CLASS[event] ?? NOTIFY.GENERIC;
    if (!(flags & type)) return;
    if (!this.pubsub.active()) return;
    const kb = keyBuf(key);
    if (flags & NOTIFY.KEYSPACE) {
      this.pubsub.publish(Buffer.concat([Buffer.from(`__keyspace@${db.id}__:`), kb]), Buffer.from(event));
    }
    if (flags & NOTIFY.KEYEVENT) {
      this.pubsub.publish(Buffer.from(`__keyevent@${db.id}__:${event}`), kb);
    }
  }

  /** Effective flags of a command (EVAL/FCALL compute theirs from the script, getCommandFlags). */
  commandFlags(spec: CommandSpec, argv: Buffer[]): number {
    return this.scripting.commandFlags ? this.scripting.commandFlags(spec, argv) : spec.flags;
  }

  /** After a top-level command: serve clients unblocked by it, then the invalidations that follow its reply. */
  afterCommand(): void {
    this.blocking.handleReady();
    this.tracking.handlePending();
  }

  discardTransaction(c: Client): void {
    c.mstate = null;
    c.mstateFlags = 0;
    c.mstateInvFlags = 0;
    c.flags &= ~(CF.MULTI | CF.DIRTY_CAS | CF.DIRTY_EXEC);
    this.watch.unwatchAll(c);
  }

  /** allowProtectedAction: an enable-debug-command / enable-protected-configs setting lets this client through. */
  allowProtectedAction(setting: 'enable-debug-command' | 'enable-protected-configs', c: Client): boolean {
    const mode = this.config.get(setting);
    return mode === 'yes' || (mode === 'local' && this.isLocalClient(c));
  }

  /** islocalClient: exactly 127.0.0.1 or ::1 (an IPv4-mapped loopback counts as 127.0.0.1). */
  isLocalClient(c: Client): boolean {
    if (!c.socket || c.flags & CF.UNIX_SOCKET) return true;
    const a = c.socket.remoteAddress ?? '';
    return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
  }

  feedMonitors(c: Client, argv: Buffer[], dbid: number, lua = false): void {
    // gettimeofday precision: seconds.microseconds
    const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    const ts = `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
    const who = lua ? 'lua' : c.socket ? c.addr : c.has(CF.SCRIPT) ? 'lua' : 'unix';
    let line = `+${ts} [${dbid} ${who}]`;
    for (const a of argv) line += ' ' + reprArg(a);
    line += '\r\n';
    for (const m of this.monitors) {
      if (m.flags & CF.CLOSE_ASAP) continue;
      m.reply.raw(line);
      this.pendingFlush.add(m);
      this.obufLimitReached(m);
    }
  }

  slowlogPush(c: Client, argv: Buffer[], usec: number): void {
    const limit = this.config.num('slowlog-log-slower-than');
    if (limit < 0 || usec < limit) return;
    const max = this.config.num('slowlog-max-len');
    const args = argv.length > 32 ? [...argv.slice(0, 31), Buffer.from(`... (${argv.length - 31} more arguments)`)] : argv;
    this.slowlog.unshift({
      id: this.slowlogNextId++,
      time: Math.floor(Date.now() / 1000),
      usec,
      argv: args.map(a => (a.length > 128 ? Buffer.concat([a.subarray(0, 128), Buffer.from(`... (${a.length - 128} more bytes)`)]) : Buffer.from(a))),
      addr: c.addr,
      name: c.name ? c.name.toString('latin1') : '',
    });
    if (this.slowlog.length > max) this.slowlog.length = max;
  }

  // ---------- networking ----------

  /**
   * loadDataFromDisk + aofOpenIfNeededOnServerStart: the dataset from the AOF when appendonly is on. Runs once,
   * before the first listen(); throws AofFatalError where Redis exits at start-up.
   */
  loadDataFromDisk(): void {
    this.aof.startup();
  }

  /** Set by the CLI, which loads the dataset after the listeners, the logo and "Server initialized" (Redis's main()). */
  loadAfterListen = false;

  /** exit(1) where Redis gives up (an fsync error under appendfsync always): the process ends when run as a program. */
  fatalExit(): void {
    if (this.onShutdown !== null) process.exit(1);
  }

  async listen(port = this.config.num('port'), host?: string): Promise<{ host: string; port: number }> {
    if (!this.loadAfterListen) this.loadDataFromDisk();
    const bind = host ?? this.bindAddress();
    this.netServer = net.createServer({ noDelay: true }, sock => this.acceptConnection(sock, 'tcp'));
    this.netServer.maxConnections = Infinity;
    await new Promise<void>((resolve, reject) => {
      this.netServer!.once('error', reject);
      this.netServer!.listen({ port, host: bind, backlog: this.config.num('tcp-backlog') }, () => resolve());
    });
    const addr = this.netServer.address() as net.AddressInfo;
    this.port = addr.port;
    // CONFIG GET port/bind tell where the server really listens (an embedder may pass both to listen())
    if (host !== undefined) this.config.setStartup('bind', host);
    this.config.setStartup('port', String(addr.port));
    this.boundWith = this.config.get('bind');
    this.listening = true;
    this.host = bind ?? '127.0.0.1';
    this.startCron();
    // the replicaof directive: replicate from the start (the link connects once listening)
    const ro = this.config.get('replicaof');
    if (ro !== '' && this.replica.host === null) {
      const [h, p] = ro.split(' ');
      this.replica.setMaster(h, Number(p));
    }
    return { host: this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host, port: this.port };
  }

  /** Starts serverCron without a TCP listener (TLS-only or Unix-socket-only servers). */
  startCronOnly(): void {
    this.startCron();
  }

  private bindAddress(): string | undefined {
    const b = this.config.get('bind').trim().split(/\s+/)[0];
    if (!b || b === '*' || b === '-*') return undefined;
    return b.replace(/^-/, '');
  }

  /** A connection accepted by any listener. */
  acceptConnection(sock: net.Socket, kind: ConnKind = 'tcp'): void {
    if (kind !== 'unix') sock.setNoDelay(true);
    if (this.closing) {
      sock.destroy();
      return;
    }
    sock.on('error', noop);
    if (this.clients.size >= this.hot.maxclients) {
      // acceptCommonHandler: best-effort error, then close.
      this.stats.rejectedConnections++;
      rejectSocket(sock, E.MAX_CLIENTS);
      return;
    }
    const c = new Client(this, sock);
    if (kind === 'unix') {
      // genClientAddrString: a Unix socket client is "<unixsocket>:0" on both ends
      c.flags |= CF.UNIX_SOCKET;
      c.addr = c.laddr = `${this.listeners.unixPath}:0`;
    }
    this.log.verbose(`Accepted ${c.addr}`);
    // clientAcceptHandler: protected mode refuses non-loopback peers while the default user has no password.
    if (this.config.bool('protected-mode') && this.acl.defaultIsNopass() && !this.isLocalClient(c)) {
      this.stats.rejectedConnections++;
      rejectSocket(sock, E.PROTECTED_MODE);
      return;
    }
    this.clients.set(c.id, c);
    this.memory.invalidate();
    this.stats.totalConnections++;
    const tcpKeepalive = this.config.num('tcp-keepalive');
    if (tcpKeepalive > 0) sock.setKeepAlive(true, tcpKeepalive * 1000);
    c.conn = attachConnection(sock, {
        data: (chunk, transient) => this.onData(c, chunk, transient),
        direct: () => c.parser.receivingBig,
        closed: () => this.peerClosed(c),
      }, kind === 'tls');
  }

  /** The peer closed the connection (readQueryFromClient reading 0 bytes): logged at verbose level, then freed. */
  private peerClosed(c: Client): void {
    if (!c.closed && (this.log.level === 'verbose' || this.log.level === 'debug')) this.log.verbose(`Client closed connection ${clientInfoString(c, c)}`);
    this.freeClient(c);
  }

  /**
   * A client without a socket (in-process embedding, src/embed/local-client.ts): its request bytes come in through
   * feed() and its replies go out through conn.write(), through the same parser, dispatcher and reply writer as a
   * socket client's.
   */
  connectLocal(conn: Connection): { client: Client; feed(chunk: Buffer): void; close(): void } {
    const c = new Client(this, null);
    this.clients.set(c.id, c);
    this.memory.invalidate();
    this.stats.totalConnections++;
    c.conn = conn;
    return { client: c, feed: chunk => this.onData(c, chunk), close: () => this.freeClient(c) };
  }

  /**
   * Bytes read from a client's connection (also the replication stream of a master link). `transient`: the chunk's
   * memory is reused once this returns (only while the parser receives a big argument, see io.ts).
   */
  onData(c: Client, chunk: Buffer, transient = false): void {
    if (c.closed) return;
    c.lastInteraction = this.clock.now;
    c.netIn += chunk.length;
    this.stats.netInput += chunk.length;
    if (transient) c.parser.feedTransient(chunk);
    else c.parser.feed(chunk);
    if (c.parser.buffered > this.hot.queryBufferLimit && !(c.flags & CF.MASTER)) {
      this.log.warning(`Closing client that reached max query buffer length: id=${c.id} addr=${c.addr} (qbuf initial bytes: ${reprArg(c.parser.peek(64))})`);
      this.freeClient(c);
      return;
    }
    const before = c.cmdsProcessed;
    this.processInput(c);
    // a pipelined read defers its write to the end of the turn; a single command is answered at once (lower latency
    // for request/response clients, which measured faster that way)
    // with the AOF on, every reply of the turn waits for one write (and fsync) of the AOF, as Redis's beforeSleep
    if (c.cmdsProcessed - before > 1 || this.aof.state !== AOF_OFF) this.scheduleFlush();
    else this.flush();
  }

  private flushScheduled = false;
  private readonly flushNow = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  /**
   * Replies go out once every ready socket of this event-loop turn has been read and processed (setImmediate runs
   * right after the poll phase), as Redis writes in beforeSleep: back-to-back writes find a sleeping peer already
   * woken by the first one, which makes each write(2) much cheaper than writing after every read.
   */
  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flushNow);
  }

  /** processInputBuffer: runs every complete command unless the client blocks, pauses or is closing. */
  processInput(c: Client): void {
    this.chainT = -1;
    while (!c.closed && c.blocked === null && !c.has(CF.CLOSE_AFTER_REPLY | CF.CLOSE_ASAP)) {
      let argv: Buffer[] | null;
      if (c.pending.length) argv = c.pending.shift()!;
      else argv = c.parser.next();
      if (argv === null) {
        if (c.parser.error !== null) {
          c.reply.error(c.parser.error);
          this.log.verbose(`Protocol error from client: id=${c.id} addr=${c.addr}: ${c.parser.error}`);
          c.flags |= CF.CLOSE_AFTER_REPLY;
        }
        break;
      }
      const more = processCommand(this, c, argv);
      if (this.obufLimitReached(c)) break;
      // the master link's offset counts each command of the stream once it ran (a postponed one is requeued)
      if (c.flags & CF.MASTER && c.pending[0] !== argv) this.replica.processed(argv);
      if (!more) break;
    }
    this.chainT = -1;
    this.pendingFlush.add(c);
  }

  /** Resumes a client after it was blocked or paused: runs what it sent meanwhile. */
  resumeClient(c: Client): void {
    if (c.closed) return;
    this.processInput(c);
  }

  /** Writes every pending client's output (handleClientsWithPendingWrites). */
  flush(): void {
    if (this.tracking.broadcastDue) this.tracking.broadcast();
    // beforeSleep: the AOF is written (and fsynced with appendfsync always) before any reply goes out
    if (this.aof.state !== AOF_OFF) this.aof.flush();
    for (const c of this.pendingFlush) {
      this.pendingFlush.delete(c);
      const conn = c.conn;
      if (c.closed || conn === null) continue;
      if (c.flags & CF.CLOSE_ASAP) {
        this.freeClient(c);
        continue;
      }
      const n = c.reply.length;
      if (n) {
        c.netOut += n;
        this.stats.netOutput += n;
        // a reply in several chunks (a big value, or more than a slab) goes out as they are, in one writev
        if (!c.reply.chunked) conn.write(c.reply.take());
        else if (conn.writev !== undefined) conn.writev(c.reply.takeChunks());
        else if (n < BIG_REPLY) conn.write(c.reply.take());
        else for (const b of c.reply.takeChunks()) conn.write(b);
        if (this.checkOutputLimits(c)) continue;
      }
      if (c.has(CF.CLOSE_AFTER_REPLY)) {
        // the reply goes out first, then the connection closes
        this.freeClient(c, true);
      }
    }
  }

  /**
   * client-output-buffer-limit after a write (checkClientOutputBufferLimits): the bytes still queued for a client that
   * is not reading (libuv's write queue stands for Redis's reply buffers). True if the client was closed.
   */
  checkOutputLimits(c: Client): boolean {
    const conn = c.conn;
    if (conn === null) return false;
    const pending = conn.pending();
    if (pending === 0) {
      c.obufSoftLimitReachedAt = 0;
      return false;
    }
    if (!this.outputLimitReached(c, pending)) return false;
    this.logObufClose(c);
    this.freeClient(c);
    return true;
  }

  /**
   * closeClientOnOutputBufferLimitReached(c, async) as replies are added, not once they reach the socket: a client
   * past its limits is marked CLOSE_ASAP, what it was sent is dropped, its input is no longer processed, and it is
   * freed at the next flush. Peak memory is then bounded by the limit plus one reply. True if the client is closing.
   */
  obufLimitReached(c: Client): boolean {
    if (c.flags & CF.CLOSE_ASAP) {
      c.reply.discard();
      return true;
    }
    // nothing past the static buffer yet: the common case, decided without a look at the socket
    if (c.reply.length <= PROTO_REPLY_CHUNK_BYTES) return false;
    const conn = c.conn;
    if (conn === null || !this.outputLimitReached(c, c.reply.length + conn.pending())) return false;
    this.logObufClose(c);
    c.flags |= CF.CLOSE_ASAP;
    c.reply.discard();
    this.pendingFlush.add(c);
    this.scheduleFlush();
    return true;
  }

  private logObufClose(c: Client): void {
    this.log.warning(`Client ${clientInfoString(c, c)} scheduled to be closed ASAP for overcoming of output buffer limits.`);
  }

  /**
   * checkClientOutputBufferLimits over `unsent` bytes (Redis counts its reply list, not the 16 KB static buffer
   * before it); updates the soft-limit timer as a side effect.
   */
  private outputLimitReached(c: Client, unsent: number): boolean {
    const used = unsent - PROTO_REPLY_CHUNK_BYTES;
    if (used <= 0) {
      c.obufSoftLimitReachedAt = 0;
      return false;
    }
    // an unauthenticated client may not pile up replies it does not read (CVE-2025-21605)
    if (used > 1024 && this.acl.authRequired(c)) return true;
    // MONITOR clients are replicas in Redis's classification (CLIENT_TYPE_SLAVE).
    const lim = c.flags & (CF.MONITOR | CF.REPLICA) ? this.hot.obufReplica : c.flags & CF.PUBSUB ? this.hot.obufPubsub : this.hot.obufNormal;
    const hard = lim[0];
    const soft = lim[1];
    if (hard > 0 && used >= hard) return true;
    if (soft > 0 && used >= soft) {
      const now = this.clock.now;
      if (c.obufSoftLimitReachedAt === 0) c.obufSoftLimitReachedAt = now;
      else if ((now - c.obufSoftLimitReachedAt) / 1000 > lim[2]) return true;
    } else c.obufSoftLimitReachedAt = 0;
    return false;
  }

  /** Releases every resource of a client (freeClient). Idempotent. `afterWrites`: the socket closes once its output is sent. */
  freeClient(c: Client, afterWrites = false): void {
    if (!this.clients.has(c.id) && c.closed) return;
    c.closed = true;
    this.clients.delete(c.id);
    this.pendingFlush.delete(c);
    this.monitors.delete(c);
    this.watch.unwatchAll(c);
    this.tracking.disable(c);
    this.memory.invalidate();
    this.memory.noteReleasedBytes((c.conn?.held?.() ?? 0) + c.parser.buffered);
    if (c.blocked !== null) {
      this.blocking.unblock(c);
      this.pause.remove(c);
      if (c.blocked === SHUTDOWN_BLOCK) this.shutdown.forget(c);
    }
    this.pubsub.unsubscribeAll(c);
    this.repl.detach(c);
    if (c.flags & CF.MASTER) this.replica.masterFreed(c);
    if (c.conn !== null) {
      if (afterWrites) c.conn.closeAfterWrites();
      else c.conn.destroy();
    }
  }

  // ---------- periodic work ----------

  private cronHz = 0;
  private currentHz(): number {
    return Math.max(1, Math.min(500, this.config.num('hz')));
  }

  private startCron(): void {
    if (this.cronTimer) return;
    this.cronHz = this.currentHz();
    this.cronTimer = setInterval(() => this.cron(), Math.floor(1000 / this.cronHz));
    this.cronTimer.unref();
  }

  /** serverCron: client timeouts, blocked-client timeouts, active expiry. */
  cron(): void {
    if (this.cronPaused) return;
    const now = Date.now();
    this.clock.now = now;
    this.clock.lru = lruClock(now);
    this.clock.base = now - performance.now();
    // clientsCron: idle timeout (not for blocked, pub/sub, MONITOR, replica and master clients) and output buffer soft limits.
    const timeout = this.config.num('timeout');
    for (const c of this.clients.values()) {
      if (timeout > 0 && c.blocked === null && !(c.flags & (CF.PUBSUB | CF.MONITOR | CF.REPLICA | CF.MASTER)) && now - c.lastInteraction > timeout * 1000) {
        this.log.verbose('Closing idle client');
        this.freeClient(c);
        continue;
      }
      if (c.obufSoftLimitReachedAt !== 0) this.checkOutputLimits(c);
    }
    this.blocking.cron(now);
    if (this.tracking.clients !== 0) this.tracking.limitUsedSlots(this.config.num('tracking-table-max-keys'));
    // the memory model measures what was written meanwhile, so the dirty sets stay small between readings
    this.memory.settle();
    this.memory.giveBack(now);
    if (this.hot.maxmemoryClients) this.memory.evictClients();
    // a replica leaves active expiry to its master (its DELs arrive in the stream)
    // (not while clients are paused: checkClientPauseTimeoutAndReturnIfPaused)
    if (this.activeExpireEnabled && this.replica.host === null && !this.scripting.isTimedOut() && !this.pause.active()) this.activeExpireCycle(now);
    this.persistence.cron();
    // a signal's shutdown, in a safe place as serverCron does it
    const sig = this.shutdownAsap;
    if (sig !== null && !this.shutdown.initiated && this.onSignalShutdown) this.onSignalShutdown(sig);
    else this.shutdown.cron(now);
    // beforeSleep: serve clients blocked on keys made ready by the cron (expired streams wake XREADGROUP)
    this.blocking.handleReady();
    this.propagation.flushIdle();
    this.aof.cron();
    this.repl.cron(now);
    this.replica.cron(now);
    this.flush();
  }

  /**
   * activeExpireCycle: samples keys with a TTL per db (20 at a time, as Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP),
   * repeating while more than 10% of a sample was stale, within a 25% CPU time budget of the cron period.
   */
  activeExpireCycle(now: number): void {
    runActiveExpireCycle(this, now); // store/expire.ts (issue 4)
  }

  private listenerClosed: Promise<void> = Promise.resolve();

  /** closeListeningSockets: from now on connections are refused (SHUTDOWN does this before anything else). */
  stopListening(): void {
    this.closing = true;
    const ns = this.netServer;
    if (ns === null) return;
    this.netServer = null;
    this.listenerClosed = new Promise<void>(resolve => ns.close(() => resolve()));
  }

  /** Closes listeners and every client. */
  async close(): Promise<void> {
    this.stopListening();
    this.persistence.killBgsave();
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
    for (const c of [...this.clients.values()]) this.freeClient(c);
    this.aof.close();
    closeMigrateSockets(this);
    const signalsClosed = this.signals.close();
    await this.listenerClosed;
    await this.listeners.close();
    this.pause.unpause();
    // the signal watcher thread must be gone before the CLI's process.exit (see SignalInbox.close)
    await signalsClosed;
  }
}

/** MONITOR's argument rendering (sdscatrepr). */
export function reprArg(a: Buffer): string {
  let s = '"';
  for (const b of a) {
    switch (b) {
      case 0x5c: s += '\\\\'; break;
      case 0x22: s += '\\"'; break;
      case 0x0a: s += '\\n'; break;
      case 0x0d: s += '\\r'; break;
      case 0x09: s += '\\t'; break;
      case 0x07: s += '\\a'; break;
      case 0x08: s += '\\b'; break;
      default:
        s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\\x' + b.toString(16).padStart(2, '0');
    }
  }
  return s + '"';
}

const noop = (): void => {};

/** Best-effort error line, then close (connWrite + connClose): the socket must not linger half-open. */
function rejectSocket(sock: net.Socket, err: string): void {
  sock.end(`-${err}\r\n`, () => sock.destroy());
  sock.resume();
}

/** Redis's LRU clock (LRU_CLOCK_RESOLUTION 1000 ms, 24 bits). */
export function lruClock(nowMs: number): number {
  return Math.floor(nowMs / 1000) % 0x1000000;
}
