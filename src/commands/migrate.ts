// MIGRATE over a real TCP connection, with Redis's cached connection per host:port (Redis: cluster.c migrateCommand, migrateGetSocket, migrateCloseTimedoutSockets).
//
// Redis runs MIGRATE synchronously and blocks the whole server. redlua serializes the keys when the command runs,
// blocks only the calling client (its further commands wait, like WAIT's), talks to the target asynchronously and
// replies when the target has answered; then, without COPY, it deletes the keys that still hold the object that was
// sent. Inside MULTI or a script, where a client cannot block, it answers an error instead.
import net from 'node:net';
import type { Client } from '../server/client.js';
import { CF } from '../server/client.js';
import type { Server } from '../server/server.js';
import { keyStr, type RObj } from '../store/db.js';
import { E } from '../errors.js';
import { NOTIFY } from '../server/notify.js';
import { eqi, string2ll } from '../util/parse.js';
import { createDumpPayload } from '../persistence/payload.js';

/** MIGRATE_SOCKET_CACHE_ITEMS, MIGRATE_SOCKET_CACHE_TTL (seconds) */
const CACHE_ITEMS = 64;
const CACHE_TTL = 10;

class TimeoutError extends Error {}

/** A cached connection to a target: a line reader over the socket and the db last selected on it. */
class CachedConn {
  lastDbid = -1;
  lastUse = Math.floor(Date.now() / 1000);
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  closed = false;

  constructor(readonly sock: net.Socket) {
    sock.on('data', d => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.waiter?.();
    });
    const end = (): void => {
      this.closed = true;
      this.waiter?.();
    };
    sock.on('close', end);
    sock.on('error', end);
  }

  /** syncWrite: all of `data` within `timeout` ms. */
  write(data: Buffer, timeout: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('closed'));
      const t = setTimeout(() => reject(new TimeoutError()), timeout);
      this.sock.write(data, err => {
        clearTimeout(t);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  /** syncReadLine: one reply line (without CRLF) within `timeout` ms. */
  async readLine(timeout: number): Promise<string> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) {
        let line = this.buf.subarray(0, nl);
        this.buf = this.buf.subarray(nl + 1);
        if (line.length && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
        return line.latin1Slice(0, Math.min(line.length, 1023));
      }
      if (this.closed) throw new Error('closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError();
      await new Promise<void>(resolve => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          this.waiter = null;
          resolve();
        };
      });
    }
  }

  close(): void {
    this.closed = true;
    this.sock.destroy();
  }
}

interface MigrateCache {
  conns: Map<string, CachedConn>;
  /** per host:port, the last MIGRATE queued: one at a time per target, as a single-threaded Redis would */
  queues: Map<string, Promise<void>>;
  timer: NodeJS.Timeout | null;
}

const caches = new WeakMap<Server, MigrateCache>();

function cacheOf(s: Server): MigrateCache {
  let c = caches.get(s);
  if (!c) caches.set(s, (c = { conns: new Map(), queues: new Map(), timer: null }));
  return c;
}

/** INFO's migrate_cached_sockets */
export function migrateCachedSockets(s: Server): number {
  return caches.get(s)?.conns.size ?? 0;
}

/** Closes every cached connection (server shutdown). */
export function closeMigrateSockets(s: Server): void {
  const c = caches.get(s);
  if (!c) return;
  for (const conn of c.conns.values()) conn.close();
  c.conns.clear();
  if (c.timer) clearInterval(c.timer);
  c.timer = null;
}

/** migrateCloseTimedoutSockets, once a second while anything is cached. */
function armIdleTimer(cache: MigrateCache): void {
  if (cache.timer) return;
  cache.timer = setInterval(() => {
    const now = Math.floor(Date.now() / 1000);
    for (const [name, conn] of cache.conns) {
      if (now - conn.lastUse > CACHE_TTL || conn.closed) {
        conn.close();
        cache.conns.delete(name);
      }
    }
    if (cache.conns.size === 0 && cache.timer) {
      clearInterval(cache.timer);
      cache.timer = null;
    }
  }, 1000);
  cache.timer.unref();
}

function closeConn(cache: MigrateCache, name: string): void {
  const conn = cache.conns.get(name);
  if (!conn) return;
  conn.close();
  cache.conns.delete(name);
}

/** migrateGetSocket: the cached connection, or a new one (connect within `timeout` ms); null when it fails. */
function getConn(cache: MigrateCache, name: string, host: string, port: number, timeout: number): Promise<CachedConn | null> {
  const cs = cache.conns.get(name);
  if (cs && !cs.closed) {
    cs.lastUse = Math.floor(Date.now() / 1000);
    return Promise.resolve(cs);
  }
  if (cs) cache.conns.delete(name);
  if (cache.conns.size === CACHE_ITEMS) {
    const keys = [...cache.conns.keys()];
    closeConn(cache, keys[Math.floor(Math.random() * keys.length)]);
  }
  return new Promise(resolve => {
    const sock = net.connect({ host, port });
    const t = setTimeout(() => {
      sock.destroy();
      resolve(null);
    }, timeout);
    sock.once('connect', () => {
      clearTimeout(t);
      sock.setNoDelay(true);
      sock.unref();
      const conn = new CachedConn(sock);
      cache.conns.set(name, conn);
      armIdleTimer(cache);
      resolve(conn);
    });
    sock.once('error', () => {
      clearTimeout(t);
      resolve(null);
    });
  });
}

function bulk(parts: Buffer[], b: Buffer | string): void {
  const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  parts.push(Buffer.from(`$${buf.length}\r\n`, 'latin1'), buf, Buffer.from('\r\n'));
}

interface Job {
  host: string;
  port: number;
  name: string;
  dbid: number;
  timeout: number;
  copy: boolean;
  replace: boolean;
  username: Buffer | null;
  password: Buffer | null;
  keys: string[];
  objs: RObj[];
}

/** Marker in c.blocked while a MIGRATE is in flight. */
interface MigrateBlock {
  migrate: true;
}

export function migrateCommand(c: Client, argv: Buffer[]): void {
  let copy = false;
  let replace = false;
  let username: Buffer | null = null;
  let password: Buffer | null = null;
  let firstKey = 3;
  let numKeys = 1;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (eqi(argv[j], 'copy')) copy = true;
    else if (eqi(argv[j], 'replace')) replace = true;
    else if (eqi(argv[j], 'auth')) {
      if (!more) return c.reply.error(E.SYNTAX);
      password = argv[++j];
    } else if (eqi(argv[j], 'auth2')) {
      if (more < 2) return c.reply.error(E.SYNTAX);
      username = argv[++j];
      password = argv[++j];
    } else if (eqi(argv[j], 'keys')) {
      if (argv[3].length !== 0) return c.reply.error(E.MIGRATE_KEYS_EMPTY);
      firstKey = j + 1;
      numKeys = argv.length - j - 1;
      break;
    } else return c.reply.error(E.SYNTAX);
  }
  let timeout = string2ll(argv[5]);
  const dbid = string2ll(argv[4]);
  if (timeout === null || dbid === null) return c.reply.error(E.NOT_INTEGER);
  if (timeout <= 0) timeout = 1000;
  const keys: string[] = [];
  const objs: RObj[] = [];
  for (let j = 0; j < numKeys; j++) {
    const k = keyStr(argv[firstKey + j]);
    const o = c.db.lookupRead(k);
    if (o !== undefined) {
      keys.push(k);
      objs.push(o);
    }
  }
  if (keys.length === 0) return c.reply.simple('NOKEY');
  if (c.flags & (CF.MULTI | CF.DENY_BLOCKING)) return c.reply.error(E.MIGRATE_NOT_BLOCKING);
  const host = argv[1].latin1Slice();
  const portText = argv[2].latin1Slice();
  const job: Job = {
    host,
    port: Number.parseInt(portText, 10) || 0,
    name: host + ':' + portText,
    dbid,
    timeout,
    copy,
    replace,
    username,
    password,
    keys,
    objs,
  };
  const st: MigrateBlock = { migrate: true };
  c.blocked = st;
  const cache = cacheOf(c.server);
  const prev = cache.queues.get(job.name) ?? Promise.resolve();
  const run = prev.then(() => runMigrate(c, job, cache)).catch(() => undefined);
  cache.queues.set(job.name, run);
  void run.then(() => {
    if (cache.queues.get(job.name) === run) cache.queues.delete(job.name);
    if (c.blocked === st) c.blocked = null;
    if (c.closed) return;
    c.wake();
    const s = c.server;
    setImmediate(() => {
      s.resumeClient(c);
      s.flush();
    });
    s.flush();
  });
}

/** The RESTORE commands for the keys (and AUTH / SELECT), as migrateCommand builds them; null TTL entries are skipped keys. */
function buildCommands(c: Client, job: Job, select: boolean): { cmd: Buffer; sent: number[] } {
  const parts: Buffer[] = [];
  const s = c.server;
  if (job.password) {
    parts.push(Buffer.from(job.username ? '*3\r\n' : '*2\r\n'));
    bulk(parts, 'AUTH');
    if (job.username) bulk(parts, job.username);
    bulk(parts, job.password);
  }
  if (select) {
    parts.push(Buffer.from('*2\r\n'));
    bulk(parts, 'SELECT');
    bulk(parts, String(job.dbid));
  }
  const sent: number[] = [];
  const now = Date.now();
  for (let j = 0; j < job.keys.length; j++) {
    let ttl = 0;
    const expireat = c.db.getExpire(job.keys[j]);
    if (expireat !== -1) {
      ttl = expireat - now;
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    sent.push(j);
    parts.push(Buffer.from(job.replace ? '*5\r\n' : '*4\r\n'));
    bulk(parts, 'RESTORE');
    bulk(parts, Buffer.from(job.keys[j], 'latin1'));
    bulk(parts, String(ttl));
    bulk(parts, createDumpPayload(job.objs[j], s));
    if (job.replace) bulk(parts, 'REPLACE');
  }
  return { cmd: Buffer.concat(parts), sent };
}

async function runMigrate(c: Client, job: Job, cache: MigrateCache): Promise<void> {
  let mayRetry = true;
  for (;;) {
    const conn = await getConn(cache, job.name, job.host, job.port, job.timeout);
    if (conn === null) {
      c.reply.error(E.MIGRATE_CONNECT);
      return;
    }
    const select = conn.lastDbid !== job.dbid;
    const { cmd, sent } = buildCommands(c, job, select);
    let writeError = false;
    let timedOut = false;
    let socketError = false;
    let errorFromTarget = false;
    let j = 0;
    try {
      for (let pos = 0; pos < cmd.length; pos += 64 * 1024) {
        writeError = true;
        await conn.write(cmd.subarray(pos, Math.min(cmd.length, pos + 64 * 1024)), job.timeout);
        writeError = false;
      }
      const authReply = job.password ? await conn.readLine(job.timeout) : '';
      const selectReply = select ? await conn.readLine(job.timeout) : '';
      const db = c.db;
      const s = c.server;
      for (; j < sent.length; j++) {
        let line: string;
        try {
          line = await conn.readLine(job.timeout);
        } catch (e) {
          socketError = true;
          timedOut = e instanceof TimeoutError;
          break;
        }
        if ((job.password && authReply[0] === '-') || (select && selectReply[0] === '-') || line[0] === '-') {
          if (!errorFromTarget) {
            conn.lastDbid = -1;
            const err = job.password && authReply[0] === '-' ? authReply : select && selectReply[0] === '-' ? selectReply : line;
            errorFromTarget = true;
            c.reply.error(E.migrateTargetError(err.slice(1)));
          }
        } else if (!job.copy) {
          const k = job.keys[sent[j]];
          // the key was serialized when MIGRATE ran: delete it only if it still holds that object
          if (db.dict.get(k) === job.objs[sent[j]]) {
            db.delete(k);
            s.keyModified(db, k);
            s.notify(db, 'del', k, NOTIFY.GENERIC);
            s.dirty++;
          }
        }
      }
      if (!errorFromTarget && socketError && j === 0 && mayRetry && !timedOut) throw new Error('retry');
      if (socketError) closeConn(cache, job.name);
      if (!errorFromTarget && socketError) {
        mayRetry = false;
        throw new Error('reading');
      }
      if (!errorFromTarget) {
        conn.lastDbid = job.dbid;
        c.reply.ok();
      }
      return;
    } catch (e) {
      if (e instanceof TimeoutError) timedOut = true;
      closeConn(cache, job.name);
      if (!timedOut && mayRetry) {
        mayRetry = false;
        continue;
      }
      c.reply.error(writeError ? E.MIGRATE_IOERR_WRITING : E.MIGRATE_IOERR_READING);
      return;
    }
  }
}
