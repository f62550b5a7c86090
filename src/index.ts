// Public embedding API: start an in-process Redis 7.0-compatible server (e.g. from a test suite).
import { Server, type ServerOptions, REDLUA_VERSION, REDIS_VERSION } from './server/server.js';
import { createLogger, type RedisLogLevel } from './server/log.js';

export { Server, REDLUA_VERSION, REDIS_VERSION };
export type { ServerOptions };

export interface StartOptions {
  /** TCP port; 0 picks a free one (default 0). */
  port?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Any redis.conf directive, e.g. { requirepass: 's3cret', 'busy-reply-threshold': 100 }. */
  config?: Record<string, string | number | boolean>;
  /** redis.conf text applied before `config`. */
  configText?: string;
  /** Log level (default: 'warning'); `false` silences the server entirely. */
  log?: RedisLogLevel | false;
}

export interface RunningServer {
  host: string;
  port: number;
  /** redis://host:port */
  url: string;
  /** The server object, for advanced use (inspecting the keyspace in tests). */
  server: Server;
  /** Stops listening and disconnects every client. */
  close(): Promise<void>;
}

/**
 * Starts a server and resolves once it accepts connections.
 *
 * ```ts
 * import { startServer } from 'redlua';
 * const redis = await startServer();          // random free port on 127.0.0.1
 * // ... connect any Redis client to redis.url ...
 * await redis.close();
 * ```
 */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const logger =
    opts.log === false
      ? createLogger({ level: 'warning', file: 'silent' })
      : createLogger({ level: opts.log ?? 'warning', file: '', pretty: false });
  const server = new Server({ config: opts.config, configText: opts.configText, logger });
  const addr = await server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return {
    host: addr.host,
    port: addr.port,
    url: `redis://${addr.host}:${addr.port}`,
    server,
    close: () => server.close(),
  };
}
