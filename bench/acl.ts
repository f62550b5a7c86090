// ACL cost: GET/SET throughput as a restricted user (a few key patterns and categories, so every command runs the
// full permission check) against the default user (allcommands allkeys allchannels: one flag test), on the same
// server. The row's "redlua" column is the restricted user, its "redis" column the default user; the redis-server
// rows show the same ratio on Redis for reference. Run directly (node dist/bench/acl.js [--smoke]) or via bench/run.ts.
import { redisBenchmark, type BenchOptions, type BenchRow } from './lib.js';
import { Conn, runIfMain } from './common.js';
import { Server } from '../src/server/server.js';
import { Client } from '../src/server/client.js';
import { processCommand } from '../src/server/dispatch.js';

const USER = { name: 'benchuser', pass: 'benchpass' };
/** Both columns are one server's throughput (restricted user, default user): kept out of the redlua/Redis geomean. */
const UNIT = 'req/s user';
/** redis-benchmark's keys are key:__rand_int__ (GET/SET) and counter:__rand_int__; the user may touch only those. */
const RULES = ['on', '>' + USER.pass, '~key:*', '~counter:*', '%R~ro:*', '~other:*', 'resetchannels', '-@all', '+@string', '+@connection', '-@dangerous', '+@keyspace'];

async function createUser(port: number): Promise<void> {
  const c = await Conn.connect(port);
  await c.call(['ACL', 'SETUSER', USER.name, 'reset', ...RULES]);
  c.close();
}

/** Best of `rounds` for the default and the restricted user, interleaved, after a warm-up of each. */
function compareUsers(port: number, tests: string[], requests: number, rounds: number, pipeline: number): Map<string, [number, number]> {
  const base = { port, tests, requests, pipeline, keyspace: 100000 };
  redisBenchmark({ ...base, requests: Math.max(1000, Math.floor(requests / 5)) });
  redisBenchmark({ ...base, requests: Math.max(1000, Math.floor(requests / 5)), user: USER });
  const out = new Map<string, [number, number]>();
  for (let i = 0; i < rounds; i++) {
    const def = redisBenchmark(base);
    const res = redisBenchmark({ ...base, user: USER });
    for (const [k, v] of def) {
      const cur = out.get(k) ?? [0, 0];
      out.set(k, [Math.max(cur[0], res.get(k) ?? 0), Math.max(cur[1], v)]);
    }
  }
  return out;
}

/** CPU time of this process (ms): other processes on a shared machine do not count, as they do in wall time. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The same comparison inside one process, without sockets: commands go through processCommand on a client with no
 * connection, so the ratio is the dispatcher's own cost, in CPU time (less sensitive to a loaded machine than redis-benchmark).
 */
export function inProcess(n: number, rounds: number): BenchRow[] {
  const s = new Server({ logger: undefined, config: { loglevel: 'warning' } });
  s.acl.setUser(USER.name, ['reset', ...RULES]);
  const def = new Client(s, null);
  const restricted = new Client(s, null);
  restricted.user = s.acl.getUser(USER.name)!;
  const keys = Array.from({ length: 1000 }, (_, i) => Buffer.from(`key:${String(i).padStart(12, '0')}`));
  const value = Buffer.from('xxx');
  const rate = (c: Client, cmd: 'get' | 'set') => {
    const name = Buffer.from(cmd);
    const t0 = cpuMs();
    for (let i = 0; i < n; i++) {
      const k = keys[i % keys.length];
      processCommand(s, c, cmd === 'get' ? [name, k] : [name, k, value]);
      if ((i & 1023) === 0) c.reply.take();
    }
    c.reply.take();
    return n / ((cpuMs() - t0) / 1000);
  };
  const rows: BenchRow[] = [];
  for (const cmd of ['set', 'get'] as const) {
    rate(def, cmd);
    rate(restricted, cmd);
    let bestDef = 0;
    let bestRes = 0;
    for (let r = 0; r < rounds; r++) {
      bestDef = Math.max(bestDef, rate(def, cmd));
      bestRes = Math.max(bestRes, rate(restricted, cmd));
    }
    rows.push({ name: `redlua in-process: ${cmd.toUpperCase()} restricted user / default user`, redlua: bestRes, redis: bestDef, ratio: bestRes / bestDef, unit: UNIT });
  }
  return rows;
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const requests = opts.smoke ? 2000 : 100000;
  const rounds = opts.smoke ? 1 : 3;
  const rows: BenchRow[] = inProcess(opts.smoke ? 20000 : 1000000, opts.smoke ? 1 : 5);
  for (const [server, port] of [['redlua', opts.redluaPort], ['redis-server', opts.redisPort]] as const) {
    await createUser(port);
    for (const pipeline of [1, 16]) {
      const label = pipeline > 1 ? ` -P ${pipeline}` : '';
      for (const [test, [restricted, def]] of compareUsers(port, ['set', 'get'], requests, rounds, pipeline)) {
        rows.push({ name: `${server}: ${test}${label} restricted user / default user`, redlua: restricted, redis: def, ratio: def > 0 ? restricted / def : 0, unit: UNIT });
      }
    }
  }
  return rows;
}

await runIfMain(import.meta.url, run);
