// The master side of replication: replicas attached by SYNC/PSYNC get a full resync (an RDB of the dataset, then the
// propagated stream), the replication backlog serves partial resyncs (PSYNC <replid> <offset>), REPLCONF ACK offsets
// are recorded, and PINGs keep idle links alive (Redis: replication.c syncCommand, replicationSetupSlaveForFullResync,
// masterTryPartialResynchronization, replicationFeedSlaves, feedReplicationBacklog, replconfCommand, replicationCron).
// The RDB is produced in memory (no fork, no disk: what diskless sync sends) and written in one go.
import { randomBytes } from 'node:crypto';
import type { Server } from '../server/server.js';
import { CF, type Client } from '../server/client.js';
import type { PropagationSink } from './propagate.js';
import { E } from '../errors.js';
import { RespWriter } from '../persistence/aof-rewrite.js';
import { rdbSnapshot } from '../persistence/aof-rdb.js';

export interface Replica {
  c: Client;
  /** REPLCONF listening-port */
  port: number;
  /** REPLCONF ip-address, else the peer address */
  ip: string;
  /** last REPLCONF ACK offset */
  ackOffset: number;
  /** when the last ACK arrived (ms) */
  ackTime: number;
  /** it has acknowledged since it attached: it loaded the RDB and is online (SLAVE_STATE_ONLINE) */
  acked: boolean;
  /** after an EOF-marked RDB the stream waits for the replica's first ACK (repl_start_cmd_stream_on_ack) */
  held: Buffer[] | null;
}

const NEWLINE = Buffer.from('\n');

export class ReplicationMaster implements PropagationSink {
  replid = randomBytes(20).toString('hex');
  /** master_replid2 / second_repl_offset: the history this server continued (it was a replica of it) */
  replid2 = '0000000000000000000000000000000000000000';
  secondOffset = -1;
  /** master_repl_offset */
  offset = 0;
  /** the backlog: the last `backlogSize` bytes of the stream, ending at `offset` */
  private backlog: Buffer | null = null;
  private backlogLen = 0;
  readonly replicas = new Map<Client, Replica>();
  /** slaveseldb: the db the stream last selected; -1 forces a SELECT */
  private selDb = -1;
  private readonly w = new RespWriter(4096);
  private lastPing = Date.now();
  /** the time the last replica went away (repl-backlog-ttl) */
  private noReplicasSince = 0;
  fullSyncs = 0;
  partialOk = 0;
  partialErr = 0;

  constructor(private readonly s: Server) {}

  get accepting(): boolean {
    return this.backlog !== null || this.replicas.size !== 0;
  }

  get backlogActive(): boolean {
    return this.backlog !== null;
  }
  get backlogSize(): number {
    return this.s.config.num('repl-backlog-size');
  }
  get backlogHistLen(): number {
    return this.backlogLen;
  }
  get backlogFirstByte(): number {
    return this.backlog === null ? 0 : this.offset - this.backlogLen + 1;
  }

  /** replicationFeedSlaves: SELECT when the db changes, then the command, into the backlog and every replica. */
  feed(dbid: number, argv: Buffer[]): void {
    // a replica's replicas get its master's stream as it came (proxy), not its own re-propagation of it
    if (this.s.replica.host !== null) return;
    const w = this.w;
    if (dbid !== this.selDb) {
      const id = String(dbid);
      w.text(`*2\r\n$6\r\nSELECT\r\n$${id.length}\r\n${id}\r\n`);
      this.selDb = dbid;
    }
    w.command(argv);
    this.emit();
  }

  /**
   * A replica passes its master's stream on verbatim to its own replicas and backlog
   * (replicationFeedStreamFromMasterStream), so their offsets are the top master's.
   */
  proxy(argv: Buffer[]): void {
    this.w.command(argv);
    this.emit();
  }

  /** What `w` holds goes to the backlog and to the online replicas. */
  private emit(): void {
    const data = this.w.take();
    this.appendBacklog(data);
    for (const r of this.replicas.values()) {
      if (r.held !== null) {
        r.held.push(data);
        continue;
      }
      r.c.reply.raw(data);
      this.s.pendingFlush.add(r.c);
    }
  }

  private appendBacklog(data: Buffer): void {
    this.offset += data.length;
    if (this.backlog === null) return;
    const size = this.backlog.length;
    if (data.length >= size) {
      data.copy(this.backlog, 0, data.length - size);
      this.backlogLen = size;
      return;
    }
    // a flat buffer shifted left (simple and fine for the default 1 MB backlog)
    const keep = Math.min(this.backlogLen, size - data.length);
    this.backlog.copy(this.backlog, 0, this.backlogLen - keep, this.backlogLen);
    data.copy(this.backlog, keep);
    this.backlogLen = keep + data.length;
  }

  private createBacklog(): void {
    if (this.backlog !== null) return;
    this.backlog = Buffer.allocUnsafe(Math.max(16 * 1024, this.backlogSize));
    this.backlogLen = 0;
    // a new history: replicas of the old one must resync fully
    this.selDb = -1;
  }

  /** SYNC / PSYNC <replid> <offset>: partial resync from the backlog when possible, else a full one. */
  sync(c: Client, argv: Buffer[]): void {
    if (c.flags & CF.REPLICA) return;
    const psync = argv.length === 3;
    if (psync) {
      const wantId = argv[1].latin1Slice();
      const wantOff = Number(argv[2].latin1Slice());
      if (this.tryPartial(c, wantId, wantOff)) return;
    }
    this.s.log.notice(`Replica ${c.addr} asks for synchronization`);
    this.fullSyncs++;
    if (psync) this.partialErr += argv[1].latin1Slice() !== '?' ? 1 : 0;
    this.createBacklog();
    // repl-diskless-sync-delay: a diskless transfer waits for more replicas to ask (the cron starts it)
    const cfg = this.s.config;
    if (this.pendingConf.get(c)?.eof === true && cfg.bool('repl-diskless-sync') && cfg.num('repl-diskless-sync-delay') > 0) {
      c.flags |= CF.REPLICA;
      this.delayed.set(c, { psync, since: Date.now() });
      this.s.log.notice('Delay next BGSAVE for diskless SYNC');
      return;
    }
    this.fullSync(c, psync);
  }

  /** Replicas whose diskless full sync waits for repl-diskless-sync-delay (SLAVE_STATE_WAIT_BGSAVE_START). */
  private readonly delayed = new Map<Client, { psync: boolean; since: number }>();
  private lastNewline = 0;

  /**
   * replicationCron: newlines keep the waiting replicas' links alive, and their transfers start once the first has
   * waited repl-diskless-sync-delay seconds, or as soon as repl-diskless-sync-max-replicas are waiting.
   */
  private startDelayed(now: number): void {
    if (this.delayed.size === 0) return;
    const cfg = this.s.config;
    let oldest = now;
    for (const d of this.delayed.values()) oldest = Math.min(oldest, d.since);
    const max = cfg.num('repl-diskless-sync-max-replicas');
    if (now - oldest >= cfg.num('repl-diskless-sync-delay') * 1000 || (max > 0 && this.delayed.size >= max)) {
      const list = [...this.delayed];
      this.delayed.clear();
      for (const [c, d] of list) {
        c.flags &= ~CF.REPLICA;
        if (!c.closed) this.fullSync(c, d.psync);
      }
      return;
    }
    if (now - this.lastNewline >= 1000) {
      this.lastNewline = now;
      for (const c of this.delayed.keys()) {
        c.reply.raw(NEWLINE);
        this.s.pendingFlush.add(c);
      }
    }
  }

  /** The full resync itself: +FULLRESYNC, the RDB (EOF-marked when diskless), then the stream. */
  private fullSync(c: Client, psync: boolean): void {
    this.createBacklog();
    const rdb = rdbSnapshot(this.s, false);
    this.s.log.notice(`Starting BGSAVE for SYNC with target: replicas sockets`);
    if (psync) c.reply.raw(Buffer.from(`+FULLRESYNC ${this.replid} ${this.offset}\r\n`, 'latin1'));
    const eof = this.pendingConf.get(c)?.eof === true && this.s.config.bool('repl-diskless-sync');
    if (eof) {
      // diskless (repl-diskless-sync yes, capa eof): $EOF:<40-byte mark>, the RDB, then the mark again
      const mark = randomBytes(20).toString('hex');
      c.reply.raw(Buffer.from(`$EOF:${mark}\r\n`, 'latin1'));
      c.reply.raw(rdb);
      c.reply.raw(Buffer.from(mark, 'latin1'));
    } else {
      c.reply.raw(Buffer.from(`$${rdb.length}\r\n`, 'latin1'));
      c.reply.raw(rdb);
    }
    this.attach(c, eof);
    // the stream after an RDB starts with a SELECT
    this.selDb = -1;
    this.s.log.notice(`Synchronization with replica ${this.replicas.get(c)!.ip}:${this.replicas.get(c)!.port} succeeded`);
  }

  /** masterTryPartialResynchronization */
  private tryPartial(c: Client, id: string, off: number): boolean {
    if (this.backlog === null || !(id === this.replid || (id === this.replid2 && off <= this.secondOffset)) || !(off >= this.backlogFirstByte && off <= this.offset + 1) || !Number.isFinite(off)) {
      if (id !== '?') {
        this.s.log.notice(`Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${id}', my replication IDs are '${this.replid}' and '${this.replid2}')`);
      } else this.s.log.notice(`Full resync requested by replica ${c.addr}`);
      return false;
    }
    c.reply.raw(Buffer.from(`+CONTINUE ${this.replid}\r\n`, 'latin1'));
    const skip = off - this.backlogFirstByte;
    if (this.backlogLen - skip > 0) c.reply.raw(Buffer.from(this.backlog!.subarray(skip, this.backlogLen)));
    this.attach(c);
    this.partialOk++;
    this.s.log.notice(`Partial resynchronization request from ${c.addr} accepted. Sending ${this.offset + 1 - off} bytes of backlog starting from offset ${off}.`);
    return true;
  }

  private attach(c: Client, holdUntilAck = false): void {
    c.flags |= CF.REPLICA;
    const pending = this.pendingConf.get(c);
    this.pendingConf.delete(c);
    const ip = pending?.ip ?? c.addr.slice(0, c.addr.lastIndexOf(':'));
    this.replicas.set(c, { c, port: pending?.port ?? 0, ip, ackOffset: 0, ackTime: Date.now(), acked: false, held: holdUntilAck ? [] : null });
    this.s.pendingFlush.add(c);
  }

  /** clients blocked in WAIT: how many replicas must reach which offset, and how to unblock them */
  readonly waiters = new Map<Client, { num: number; offset: number; wake: (c: Client) => void }>();

  /** REPLCONF options seen before the client became a replica */
  private readonly pendingConf = new Map<Client, { port: number; ip?: string; eof?: boolean }>();

  /** REPLCONF <option> <value> ...: null when the reply is OK, 'noreply' for ACK, else an error text. */
  replconf(c: Client, argv: Buffer[]): string | null | 'noreply' {
    for (let j = 1; j < argv.length; j += 2) {
      const opt = argv[j].latin1Slice().toLowerCase();
      const val = argv[j + 1].latin1Slice();
      if (opt === 'listening-port') {
        const port = Number(val);
        if (!Number.isInteger(port)) return E.NOT_INTEGER;
        const conf = this.pendingConf.get(c) ?? { port: 0 };
        conf.port = port;
        this.pendingConf.set(c, conf);
        const r = this.replicas.get(c);
        if (r) r.port = port;
      } else if (opt === 'ip-address') {
        const conf = this.pendingConf.get(c) ?? { port: 0 };
        conf.ip = val;
        this.pendingConf.set(c, conf);
      } else if (opt === 'capa') {
        // capa eof: the replica reads an EOF-marked RDB (what a diskless transfer sends)
        if (val.toLowerCase() === 'eof') {
          const conf = this.pendingConf.get(c) ?? { port: 0 };
          conf.eof = true;
          this.pendingConf.set(c, conf);
        }
      } else if (opt === 'rdb-only' || opt === 'rdb-filter-only') {
        /* the RDB is sent whole; redis-cli --rdb disconnects after it */
      } else if (opt === 'ack') {
        const r = this.replicas.get(c);
        if (r) {
          if (r.held !== null) {
            // the replica has loaded the RDB: the stream held since starts now
            for (const d of r.held) r.c.reply.raw(d);
            r.held = null;
            this.s.pendingFlush.add(c);
          }
          const o = Number(val);
          if (Number.isFinite(o) && o > r.ackOffset) r.ackOffset = o;
          r.ackTime = Date.now();
          r.acked = true;
          for (const [wc, w] of this.waiters) if (this.countAcks(w.offset) >= w.num) w.wake(wc);
        }
        return 'noreply';
      } else if (opt === 'getack') {
        return 'noreply';
      } else return E.replconfUnknown(argv[j].latin1Slice());
    }
    return null;
  }

  /** Frees every attached replica (REPLICAOF changes the history they follow). */
  disconnectReplicas(): void {
    for (const c of [...this.replicas.keys()]) this.s.freeClient(c);
  }

  /**
   * The history of a master this server replicated: after a full sync it adopts the master's id and offset (the
   * backlog restarts there); REPLICAOF NO ONE then keeps it as replid2 under a new id (shiftReplicationId).
   */
  continueHistory(replid: string, offset: number): void {
    if (this.s.replica.host === null) {
      this.replid2 = replid;
      this.secondOffset = offset + 1;
      this.replid = randomBytes(20).toString('hex');
    } else {
      this.replid = replid;
      this.replid2 = '0000000000000000000000000000000000000000';
      this.secondOffset = -1;
    }
    this.offset = offset;
    if (this.backlog !== null) this.backlogLen = 0;
    this.selDb = -1;
  }

  /** checkGoodReplicasStatus: false when writes must be refused with NOREPLICAS. */
  enoughGoodReplicas(): boolean {
    const h = this.s.hot;
    return this.s.replica.host !== null || h.minReplicasMaxLag === 0 || h.minReplicasToWrite === 0 || this.goodReplicas(h.minReplicasMaxLag) >= h.minReplicasToWrite;
  }

  /** A replica (or a client that sent REPLCONF) went away. */
  detach(c: Client): void {
    this.pendingConf.delete(c);
    this.delayed.delete(c);
    this.waiters.delete(c);
    if (this.replicas.delete(c)) {
      this.s.log.notice(`Connection with replica ${c.addr} lost.`);
      if (this.replicas.size === 0) this.noReplicasSince = Date.now();
    }
  }

  /**
   * repl_buffer_mem: Redis keeps one buffer of the stream, shared by the backlog and the replicas' output; here it is
   * the larger of the backlog's history and the stream still queued for the slowest replica.
   */
  bufferMemory(): number {
    let most = this.backlogLen;
    for (const r of this.replicas.values()) {
      const queued = (r.c.conn?.pending() ?? 0) + r.c.reply.length;
      if (queued > most) most = queued;
    }
    return most;
  }

  /** REPLCONF GETACK * to every replica (WAIT asks for fresh offsets). */
  requestAcks(): void {
    if (this.replicas.size === 0) return;
    this.w.command([Buffer.from('REPLCONF'), Buffer.from('GETACK'), Buffer.from('*')]);
    this.emit();
  }

  /** repl_good_slaves_count: replicas whose last ACK is at most `maxLag` seconds old */
  goodReplicas(maxLag: number): number {
    const now = Date.now();
    let n = 0;
    for (const r of this.replicas.values()) if (Math.floor((now - r.ackTime) / 1000) <= maxLag) n++;
    return n;
  }

  /** Replicas whose ACKed offset reached `offset` (replicationCountAcksByOffset). */
  countAcks(offset: number): number {
    let n = 0;
    for (const r of this.replicas.values()) if (r.ackOffset >= offset) n++;
    return n;
  }

  /** replicationCron: PING the replicas every repl-ping-replica-period; free the backlog after repl-backlog-ttl. */
  cron(now: number): void {
    this.startDelayed(now);
    // a replica's own replicas get its master's PINGs (proxied), never PINGs of its own: those would put their
    // offsets ahead of the top master's (replicationFeedSlaves returns at once on a replica)
    if (this.replicas.size !== 0 && this.s.replica.host === null && now - this.lastPing >= this.s.config.num('repl-ping-replica-period') * 1000) {
      this.lastPing = now;
      this.w.command([Buffer.from('PING')]);
      this.emit();
    }
    // replicationCron: a replica that has not acknowledged for repl-timeout seconds is dropped
    if (this.replicas.size !== 0) {
      const timeout = this.s.config.num('repl-timeout');
      const unix = Math.floor(now / 1000);
      for (const r of [...this.replicas.values()]) {
        // one still receiving or loading the RDB is not timed out (Redis: only online replicas)
        if (r.acked && unix - Math.floor(r.ackTime / 1000) > timeout) {
          this.s.log.warning(`Disconnecting timedout replica (streaming sync): ${r.ip}:${r.port}`);
          this.s.freeClient(r.c);
        }
      }
    }
    const ttl = this.s.config.num('repl-backlog-ttl');
    if (this.backlog !== null && this.replicas.size === 0 && ttl > 0 && this.noReplicasSince && now - this.noReplicasSince > ttl * 1000) {
      this.s.log.notice(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
      this.backlog = null;
      this.backlogLen = 0;
      this.replid = randomBytes(20).toString('hex');
    }
  }

  /** INFO replication */
  info(): string {
    const rep = this.s.replica;
    let out = `# Replication\r\n${rep.host !== null ? rep.info() : 'role:master\r\n'}connected_slaves:${this.replicas.size}\r\n`;
    const h = this.s.hot;
    if (h.minReplicasToWrite !== 0 && h.minReplicasMaxLag !== 0) out += `min_slaves_good_slaves:${this.goodReplicas(h.minReplicasMaxLag)}\r\n`;
    let i = 0;
    const now = Date.now();
    for (const r of this.replicas.values()) {
      out += `slave${i++}:ip=${r.ip},port=${r.port},state=online,offset=${r.ackOffset},lag=${Math.floor((now - r.ackTime) / 1000)}\r\n`;
    }
    const offset = rep.host !== null ? Math.max(rep.offset, 0) : this.offset;
    out +=
      'master_failover_state:no-failover\r\n' +
      `master_replid:${rep.host !== null && rep.replid !== '?' ? rep.replid : this.replid}\r\n` +
      `master_replid2:${this.replid2}\r\n` +
      `master_repl_offset:${offset}\r\nsecond_repl_offset:${this.secondOffset}\r\n` +
      `repl_backlog_active:${this.backlog ? 1 : 0}\r\nrepl_backlog_size:${this.backlogSize}\r\n` +
      `repl_backlog_first_byte_offset:${this.backlogFirstByte}\r\nrepl_backlog_histlen:${this.backlogLen}\r\n`;
    return out;
  }
}
