// The replica side of replication: REPLICAOF host port connects to a master, runs the handshake (PING, AUTH with
// masterauth/masteruser, REPLCONF listening-port and capa, PSYNC), loads the RDB of a full resync into fresh
// databases (a `$<len>` bulk or the diskless `$EOF:<mark>` form), then applies the stream through a master client
// whose replies are discarded, tracking the offset it processed and ACKing it every second and on GETACK; a dropped
// link is retried with PSYNC <replid> <offset+1> for a partial resync (Redis: replication.c connectWithMaster,
// syncWithMaster, readSyncBulkPayload, replicationCreateMasterClient, replicationSendAck, replicationCron).
import net from 'node:net';
import type { Server } from '../server/server.js';
import { Client, CF } from '../server/client.js';
import type { Connection } from '../server/io.js';
import { RespWriter } from '../persistence/aof-rewrite.js';
import { multibulkLen } from '../commands/connection.js';
import { E } from '../errors.js';

export type LinkState = 'none' | 'connect' | 'connecting' | 'handshake' | 'transfer' | 'connected';

/** The handshake step waiting for its reply (REPL_STATE_RECEIVE_*). */
type Step = 'pong' | 'auth' | 'port' | 'capa' | 'psync' | 'bulkhdr' | 'bulk';

export class ReplicationReplica {
  /** server.masterhost / masterport: null while this server is a master */
  host: string | null = null;
  port = 0;
  state: LinkState = 'none';
  /** the master client of a connected link */
  master: Client | null = null;
  /** the db the master client had selected when the link dropped (the cached master's), for a partial resync */
  private cachedDb = 0;
  /** the replication id and the offset processed (master->reploff, or the cached master's after a drop) */
  replid = '?';
  offset = -1;
  /** when the link last went down (repl_down_since, seconds) */
  downSince = 0;
  lastIo = 0;
  transferSize = -1;
  transferRead = 0;
  private sock: net.Socket | null = null;
  private step: Step = 'pong';
  private buf: Buffer = Buffer.alloc(0);
  private chunks: Buffer[] = [];
  private eofMark: Buffer | null = null;
  private lastAck = 0;
  /** the last connection attempt (replicationCron retries once a second) */
  private lastAttempt = 0;
  private readonly w = new RespWriter(256);

  constructor(private readonly s: Server) {}

  /** REPLICAOF host port (replicationSetMaster): drops any current link and connects (again) from the cron. */
  setMaster(host: string, port: number): void {
    const wasMaster = this.host === null;
    // disconnectAllBlockedClients: clients blocked in a master must not be served from a replica's stream
    this.s.blocking.disconnectAll(E.UNBLOCKED_ROLE_CHANGE);
    this.dropLink();
    this.host = host;
    this.port = port;
    // CONFIG GET / CONFIG REWRITE replicaof show the current master (getReplicaOfOption)
    this.s.config.setStartup('replicaof', `${host} ${port}`);
    this.s.repl.disconnectReplicas();
    // replicationCacheMasterUsingMyself: a former master offers its own history for a partial resync
    if (wasMaster) {
      this.replid = this.s.repl.offset > 0 ? this.s.repl.replid : '?';
      this.offset = this.s.repl.offset > 0 ? this.s.repl.offset : -1;
    }
    this.state = 'connect';
    this.downSince = 0;
    this.s.log.notice(`Connecting to MASTER ${host}:${port}`);
    this.connect();
  }

  /** REPLICAOF NO ONE (replicationUnsetMaster): the link closes and this server's history continues as a master's. */
  unsetMaster(): void {
    if (this.host === null) return;
    this.dropLink();
    this.host = null;
    this.state = 'none';
    this.s.config.setStartup('replicaof', 'no one');
    if (this.replid !== '?') this.s.repl.continueHistory(this.replid, Math.max(this.offset, 0));
    this.s.repl.disconnectReplicas();
    this.s.log.notice('MASTER MODE enabled (user request from replica)');
  }

  get linkUp(): boolean {
    return this.state === 'connected';
  }

  private dropLink(): void {
    if (this.master !== null) {
      const m = this.master;
      this.cachedDb = m.db.id;
      this.master = null;
      this.s.freeClient(m);
    }
    if (this.sock !== null) {
      this.sock.removeAllListeners('data');
      this.sock.destroy();
      this.sock = null;
    }
    this.chunks = [];
    this.buf = Buffer.alloc(0);
  }

  private linkLost(why: string): void {
    if (this.host === null) return;
    if (this.state === 'connected') this.s.log.notice(`Connection with master lost.`);
    else this.s.log.warning(why);
    this.cancelHandshake();
  }

  /** cancelReplicationHandshake: the link or the attempt is dropped, and the cron connects again. */
  private cancelHandshake(): void {
    this.dropLink();
    this.state = 'connect';
    if (this.downSince === 0) this.downSince = Math.floor(Date.now() / 1000);
  }

  private connect(): void {
    if (this.host === null || this.state !== 'connect') return;
    this.state = 'connecting';
    this.lastAttempt = Date.now();
    this.lastIo = this.lastAttempt; // repl_transfer_lastio: the handshake's timeout counts from here
    const sock = net.connect({ host: this.host, port: this.port });
    this.sock = sock;
    sock.setNoDelay(true);
    sock.on('error', e => {
      if (this.sock === sock) this.linkLost(`Error condition on socket for SYNC: ${e.message}`);
    });
    sock.on('close', () => {
      if (this.sock === sock) this.linkLost('Master closed the connection');
    });
    sock.on('connect', () => {
      if (this.sock !== sock) return;
      this.s.log.notice('MASTER <-> REPLICA sync started');
      this.state = 'handshake';
      this.step = 'pong';
      this.send(['PING']);
    });
    sock.on('data', chunk => {
      if (this.sock === sock) this.onData(chunk);
    });
  }

  private send(args: string[]): void {
    this.w.command(args.map(a => Buffer.from(a, 'latin1')));
    this.sock?.write(this.w.take());
  }

  /** One reply line of the handshake, or null while incomplete. */
  private line(): string | null {
    const i = this.buf.indexOf(10);
    if (i < 0) return null;
    const l = this.buf.latin1Slice(0, i > 0 && this.buf[i - 1] === 13 ? i - 1 : i);
    this.buf = this.buf.subarray(i + 1);
    return l;
  }

  private onData(chunk: Buffer): void {
    this.lastIo = Date.now();
    if (this.master !== null) {
      this.s.onData(this.master, chunk);
      return;
    }
    if (this.step === 'bulk') return this.bulkData(chunk);
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.sock === null || this.master !== null) return;
      if ((this.step as Step) === 'bulk') {
        const rest = this.buf;
        this.buf = Buffer.alloc(0);
        if (rest.length) this.bulkData(rest);
        return;
      }
      const l = this.line();
      if (l === null) return;
      this.handshake(l);
    }
  }

  /** syncWithMaster's state machine, one reply at a time. */
  private handshake(l: string): void {
    const cfg = this.s.config;
    switch (this.step) {
      case 'pong':
        // NOAUTH, NOPERM and "operation not permitted" mean the master is alive and wants AUTH
        if (l.startsWith('-') && !/^-(NOAUTH|NOPERM|ERR operation not permitted)/.test(l)) {
          return this.linkLost(`Error reply to PING from master: '${l.slice(1)}'`);
        }
        this.s.log.notice('Master replied to PING, replication can continue...');
        if (cfg.get('masterauth') !== '') {
          const user = cfg.get('masteruser');
          this.send(user !== '' ? ['AUTH', user, cfg.get('masterauth')] : ['AUTH', cfg.get('masterauth')]);
          this.step = 'auth';
          return;
        }
        return this.sendPort();
      case 'auth':
        if (l.startsWith('-')) return this.linkLost(`Unable to AUTH to MASTER: ${l.slice(1)}`);
        return this.sendPort();
      case 'port':
        if (l.startsWith('-')) this.s.log.notice(`(Non critical) Master does not understand REPLCONF listening-port: ${l.slice(1)}`);
        this.step = 'capa';
        this.send(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
        return;
      case 'capa': {
        if (l.startsWith('-')) this.s.log.notice(`(Non critical) Master does not understand REPLCONF capa: ${l.slice(1)}`);
        this.step = 'psync';
        const off = this.replid === '?' ? '-1' : String(this.offset + 1);
        if (this.replid !== '?') this.s.log.notice(`Trying a partial resynchronization (request ${this.replid}:${off}).`);
        this.send(['PSYNC', this.replid, off]);
        return;
      }
      case 'psync':
        if (l === '') return; // keepalive newlines while the master prepares
        if (l.startsWith('+FULLRESYNC')) {
          const [, id, off] = l.split(' ');
          this.replid = id ?? '?';
          this.offset = Number(off ?? 0);
          this.s.log.notice(`Full resync from master: ${this.replid}:${this.offset}`);
          this.step = 'bulkhdr';
          this.state = 'transfer';
          return;
        }
        if (l.startsWith('+CONTINUE')) {
          const id = l.split(' ')[1];
          if (id !== undefined && id !== '') this.replid = id;
          this.s.log.notice('Successful partial resynchronization with master.');
          this.s.log.notice('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
          // replicationResurrectCachedMaster: the stream goes on in the db its last SELECT chose (no new SELECT comes)
          return this.startStream(this.buf, this.cachedDb);
        }
        return this.linkLost(`Unexpected reply to PSYNC from master: ${l}`);
      case 'bulkhdr': {
        if (l === '') return;
        if (!l.startsWith('$')) return this.linkLost(`Bad protocol from MASTER, the first byte is not '$' (we received '${l}'), are you sure the host and port are right?`);
        if (l.startsWith('$EOF:') && l.length === 45) {
          this.eofMark = Buffer.from(l.slice(5), 'latin1');
          this.transferSize = 0;
          this.s.log.notice('MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk');
        } else {
          const n = Number(l.slice(1));
          if (!Number.isInteger(n) || n < 0) return this.linkLost(`Bad protocol from MASTER: '${l}'`);
          this.eofMark = null;
          this.transferSize = n;
          this.s.log.notice(`MASTER <-> REPLICA sync: receiving ${n} bytes from master to disk`);
        }
        this.transferRead = 0;
        this.chunks = [];
        this.step = 'bulk';
        return;
      }
      default:
        return;
    }
  }

  private sendPort(): void {
    const announced = this.s.config.num('replica-announce-port') || this.s.port;
    this.step = 'port';
    this.send(['REPLCONF', 'listening-port', String(announced)]);
  }

  /** readSyncBulkPayload: the RDB's bytes, up to its length or the EOF mark; what follows is the stream. */
  private bulkData(chunk: Buffer): void {
    let rest: Buffer | null = null;
    if (this.eofMark === null) {
      const need = this.transferSize - this.transferRead;
      if (chunk.length > need) {
        rest = chunk.subarray(need);
        chunk = chunk.subarray(0, need);
      }
      this.chunks.push(chunk);
      this.transferRead += chunk.length;
      if (this.transferRead < this.transferSize) return;
    } else {
      this.chunks.push(chunk);
      this.transferRead += chunk.length;
      if (this.transferRead < 40) return;
      const all = Buffer.concat(this.chunks);
      this.chunks = [all];
      // the mark ends the RDB; whatever follows it in the same read is already the stream
      const at = all.indexOf(this.eofMark, Math.max(0, all.length - chunk.length - 40));
      if (at < 0) return;
      rest = all.subarray(at + 40);
      this.chunks = [all.subarray(0, at)];
    }
    const rdb = Buffer.concat(this.chunks);
    this.chunks = [];
    // loaded into fresh dbs that replace the old ones only on success (as repl-diskless-load swapdb): a corrupt or
    // truncated RDB leaves the dataset as it was
    this.s.log.notice('MASTER <-> REPLICA sync: Loading DB in memory');
    try {
      this.s.persistence.loadBuffer(rdb);
      this.s.log.notice('MASTER <-> REPLICA sync: Flushing old data');
      this.s.tracking.invalidateOnFlush();
    } catch {
      this.s.log.warning('Failed trying to load the MASTER synchronization DB from socket, check server logs.');
      this.replid = '?';
      this.offset = -1;
      return this.linkLost('MASTER <-> REPLICA sync: load failed');
    }
    this.s.log.notice('MASTER <-> REPLICA sync: Finished with success');
    // the dataset changed under every WATCH
    for (const db of this.s.dbs) this.s.watch.touchAllInDb(db);
    this.s.repl.continueHistory(this.replid, this.offset);
    this.startStream(rest ?? this.buf);
  }

  /** replicationCreateMasterClient: what arrives from now on is the command stream. */
  private startStream(rest: Buffer = this.buf, dbId = 0): void {
    const sock = this.sock!;
    const s = this.s;
    const c = new Client(s, sock);
    c.db = s.dbs[dbId] ?? s.dbs[0];
    // CLIENT_MASTER: its replies are discarded (as CLIENT REPLY OFF does); REPLCONF ACK is written directly
    c.flags |= CF.MASTER | CF.REPLY_OFF;
    c.authenticated = true;
    const conn: Connection = {
      write: b => void sock.write(b),
      pending: () => sock.writableLength,
      closeAfterWrites: () => void sock.end(),
      destroy: () => void sock.destroy(),
    };
    c.conn = conn;
    s.clients.set(c.id, c);
    this.master = c;
    this.state = 'connected';
    this.downSince = 0;
    this.buf = Buffer.alloc(0);
    this.sendAck();
    if (rest.length) s.onData(c, rest);
  }

  /** A command of the stream was processed: its bytes count toward the offset (commandProcessed), and it goes on to this server's own replicas. */
  processed(argv: Buffer[]): void {
    this.offset += multibulkLen(argv);
    this.s.repl.proxy(argv);
  }

  /** replicationSendAck: REPLCONF ACK <offset>, written past the discarded replies. */
  sendAck(): void {
    if (this.master === null || this.sock === null) return;
    this.lastAck = Date.now();
    this.send(['REPLCONF', 'ACK', String(this.offset)]);
  }

  /** The master client was freed (CLIENT KILL TYPE master, a protocol error): the link is lost, its history kept. */
  masterFreed(c: Client): void {
    if (c !== this.master) return;
    this.cachedDb = c.db.id;
    this.master = null;
    this.linkLost('Connection with master lost.');
  }

  /** replicationCron: reconnect a dropped link, ACK every second. */
  cron(now: number): void {
    if (this.host === null) return;
    // replicationCron's timeouts (in whole seconds, as Redis compares unixtimes)
    const timeout = this.s.config.num('repl-timeout');
    const quiet = (since: number) => Math.floor(now / 1000) - Math.floor(since / 1000) > timeout;
    if ((this.state === 'connecting' || this.state === 'handshake') && quiet(this.lastIo)) {
      this.s.log.warning('Timeout connecting to the MASTER...');
      this.cancelHandshake();
    } else if (this.state === 'transfer' && quiet(this.lastIo)) {
      this.s.log.warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.");
      this.cancelHandshake();
    } else if (this.state === 'connected' && this.master !== null && quiet(this.master.lastInteraction)) {
      this.s.log.warning('MASTER timeout: no data nor PING received...');
      this.s.freeClient(this.master);
    }
    if (this.state === 'connect' && now - this.lastAttempt >= 1000) {
      this.s.log.notice(`Connecting to MASTER ${this.host}:${this.port}`);
      this.connect();
    }
    if (this.master !== null && now - this.lastAck >= 1000) this.sendAck();
  }

  /** The replica part of INFO replication. */
  /** read_reploff: the stream read from the master, processed or not (a paused replica reads on, applies later). */
  readOffset(): number {
    const m = this.master;
    if (m === null) return this.offset;
    let n = this.offset + m.parser.buffered;
    for (const argv of m.pending) n += multibulkLen(argv);
    return n;
  }

  info(): string {
    const now = Math.floor(Date.now() / 1000);
    let out =
      `role:slave\r\nmaster_host:${this.host}\r\nmaster_port:${this.port}\r\n` +
      `master_link_status:${this.linkUp ? 'up' : 'down'}\r\n` +
      `master_last_io_seconds_ago:${this.master ? now - Math.floor(this.lastIo / 1000) : -1}\r\n` +
      `master_sync_in_progress:${this.state === 'transfer' ? 1 : 0}\r\n` +
      `slave_read_repl_offset:${this.readOffset()}\r\nslave_repl_offset:${this.offset}\r\n`;
    if (this.state === 'transfer') {
      const size = this.transferSize;
      const perc = size > 0 ? (this.transferRead / size) * 100 : 0;
      out +=
        `master_sync_total_bytes:${size}\r\nmaster_sync_read_bytes:${this.transferRead}\r\n` +
        `master_sync_left_bytes:${size - this.transferRead}\r\nmaster_sync_perc:${perc.toFixed(2)}\r\n` +
        `master_sync_last_io_seconds_ago:${now - Math.floor(this.lastIo / 1000)}\r\n`;
    }
    if (!this.linkUp) out += `master_link_down_since_seconds:${this.downSince ? now - this.downSince : -1}\r\n`;
    const cfg = this.s.config;
    out +=
      `slave_priority:${cfg.num('replica-priority')}\r\nslave_read_only:${cfg.bool('replica-read-only') ? 1 : 0}\r\n` +
      `replica_announced:${cfg.bool('replica-announced') ? 1 : 0}\r\n`;
    return out;
  }
}
