// Test helper: per-file server lifecycle (node:test before/after hooks) for a redlua server, its connection, and the
// optional live redis-server 7.0.15 oracle (REDLUA_LIVE=1).
import { before, after } from 'node:test';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from './conn.js';
import { liveMode, startRedis, type Oracle } from './redis-server.js';

export type Arg = string | Buffer | number;

export interface ServerConn {
  /** The redlua server (set in the `before` hook). */
  srv: RunningServer;
  /** One connection to it, shared by the file's tests. */
  c: RawConn;
  /** Sends a command on `c` and returns the raw reply as latin1 text. */
  call(...a: Arg[]): Promise<string>;
}

/** Starts one redlua server and one connection before the file's tests and closes both after them. */
export function useServerConn(): ServerConn {
  const t = { call: async (...a: Arg[]) => (await t.c.call(a)).toString('latin1') } as ServerConn;
  before(async () => {
    t.srv = await startServer({ log: false });
    t.c = await RawConn.connect(t.srv.port);
  });
  after(async () => {
    t.c.close();
    await t.srv.close();
  });
  return t;
}

export interface Target {
  name: string;
  port: () => number;
}

export interface RedluaAndOracle {
  /** The redlua server (set in the `before` hook). */
  redlua: RunningServer;
  /** A live redis-server when REDLUA_LIVE=1, else null. */
  oracle: Oracle | null;
  /** redlua, then the oracle in live mode: the servers the same assertions run against. */
  targets: Target[];
}

/**
 * Starts a redlua server (and, in live mode, a redis-server) before the tests of the enclosing scope (the file, or a
 * describe) and stops them after. `config`: redis.conf directives for redlua (the oracle runs with the debug command).
 */
export function useRedluaAndOracle(config: Record<string, string> = {}): RedluaAndOracle {
  const t: RedluaAndOracle = { redlua: undefined as unknown as RunningServer, oracle: null, targets: [] };
  before(async () => {
    t.redlua = await startServer({ log: false, config });
    if (liveMode()) t.oracle = await startRedis();
  });
  after(async () => {
    await t.redlua.close();
    if (t.oracle) await t.oracle.stop();
  });
  t.targets.push({ name: 'redlua', port: () => t.redlua.port });
  if (liveMode()) t.targets.push({ name: 'redis', port: () => t.oracle!.port });
  return t;
}
