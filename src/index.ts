// Public embedding API: start an in-process Redis 7.0-compatible server (e.g. from a test suite).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startExtraListeners } from './server/listeners.js';
import { Server, type ServerOptions, REDLUA_VERSION, REDIS_VERSION } from './server/server.js';
import { createLogger, type RedisLogLevel } from './server/log.js';
import { warmUp } from './server/warmup.js';
import { LocalClient, ReplyError, type CommandArg } from './embed/local-client.js';
import { startWorkerServer, type WorkerServer, type WorkerStartOptions } from './embed/worker.js';

export { Server, REDLUA_VERSION, REDIS_VERSION };
export type { ServerOptions, RedisLogLevel };
export { LocalClient, ReplyError };
export type { CommandArg, WorkerServer, WorkerStartOptions };
export type { RespValue } from './protocol/resp-value.js';

export interface StartOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Any supported redis.conf directive, e.g. { requirepass: 's3cret', 'busy-reply-threshold': 100, databases: 4 }. */
  config?: Record<string, string | number | boolean>;
  /** redis.conf text, applied before `config`. */
  configText?: string;
  /** Log level (default 'warning'), logged as JSON lines to stdout; `false` silences the server entirely. */
  log?: RedisLogLevel | false;
  /** Receives each server log line (JSON text, including redis.log output) instead of stdout; the level is `log` (default 'warning'). */
  onLog?: (line: string) => void;
}

export interface RunningServer {
  /** The address clients should connect to ('127.0.0.1' when bound to all interfaces). */
  host: string;
  port: number;
  /** redis://host:port */
  url: string;
  /** The server object, for advanced use (inspecting the keyspace in tests). */
  server: Server;
  /** A new socketless in-process connection (src/embed/local-client.ts): `await redis.client().call('GET', 'k')`. */
  client(): LocalClient;
  /** Stops listening and disconnects every client. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Starts a server and resolves once it accepts connections.
 *
 * ```ts
 * import { startServer } from 'redlua';
 * const redis = await startServer();          // a free port on 127.0.0.1, in-memory, no persistence
 * // ... connect any Redis client to redis.url ...
 * await redis.close();
 * ```
 */
export async function startServer(opts: StartOptions & { worker?: false }): Promise<RunningServer>;
/** `worker: true`: the server runs in a worker thread (src/embed/worker.ts), so a busy script never blocks the caller. */
export async function startServer(opts: WorkerStartOptions & { worker: true }): Promise<WorkerServer>;
export async function startServer(opts?: StartOptions): Promise<RunningServer>;
export async function startServer(opts: (StartOptions & { worker?: boolean }) | WorkerStartOptions = {}): Promise<RunningServer | WorkerServer> {
  if ((opts as { worker?: boolean }).worker) {
    const { worker: _w, ...rest } = opts as WorkerStartOptions & { worker: true };
    void _w;
    return startWorkerServer(rest);
  }
  return startLocalServer(opts as StartOptions);
}

async function startLocalServer(opts: StartOptions): Promise<RunningServer> {
  const level = opts.log === false ? null : opts.log ?? 'warning';
  const logger = level === null ? createLogger({ level: 'warning', file: 'silent' }) : createLogger({ level, file: '', format: 'json', sink: opts.onLog });
  const config = { ...(opts.config ?? {}) };
  if (level !== null && config.loglevel === undefined) config.loglevel = level;
  // Embedded, the server is in-memory unless persistence is asked for: without `save`, `dir` or `dbfilename` in the
  // configuration it has no save points (no dump.rdb appears in the working directory) and loads nothing at start.
  const mentioned = (k: string) => config[k] !== undefined || new RegExp(`^\\s*${k}\\b`, 'mi').test(opts.configText ?? '');
  const persistent = mentioned('save') || mentioned('dir') || mentioned('dbfilename');
  if (!mentioned('save')) config.save = '';
  // without a `dir`, SAVE/BGSAVE write into a private temporary directory, removed by close()
  const tmpDir = mentioned('dir') ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-'));
  if (tmpDir !== null) config.dir = tmpDir;
  const server = new Server({ config, configText: opts.configText, logger });
  if (persistent) server.persistence.loadAtStartup();
  const addr = await server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  try {
    await startExtraListeners(server); // tls-port, unixsocket: honoured or the start fails, never ignored
  } catch (e) {
    await server.close();
    throw e;
  }
  // the Lua engine compiles in the background while the first commands are served
  const cancelWarmUp = warmUp(server);
  let closing: Promise<void> | null = null;
  return {
    host: addr.host,
    port: addr.port,
    url: `redis://${addr.host}:${addr.port}`,
    server,
    client: () => new LocalClient(server),
    close: () => {
      cancelWarmUp();
      return (closing ??= server.close().then(() => tmpDir !== null && fs.rmSync(tmpDir, { recursive: true, force: true })).then(() => {}));
    },
  };
}
