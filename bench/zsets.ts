// Sorted set benchmarks against redis-server: ZADD, ZRANGE of 100 elements (unpipelined and -P 16), and BZPOPMIN
// with 50 waiting clients served by a producer. Run directly (node dist/bench/zsets.js [--smoke]) or via bench/run.ts.
import { compareBenchmark, rowRps, type BenchOptions, type BenchRow } from './lib.js';
import { Conn, blockingPopRate, runIfMain } from './common.js';

async function populate(port: number, key: string, n: number): Promise<void> {
  const c = await Conn.connect(port);
  await c.call(['DEL', key]);
  for (let i = 0; i < n; i += 500) {
    const args: (string | number)[] = ['ZADD', key];
    for (let j = i; j < Math.min(n, i + 500); j++) args.push(j, `member:${j}`);
    await c.call(args);
  }
  c.close();
}

/** 50 clients loop on BZPOPMIN; one producer adds `total` members one ZADD at a time. Returns pops per second. */
function bzpopmin(port: number, waiters: number, total: number): Promise<number> {
  return blockingPopRate(port, waiters, total, {
    reset: ['DEL', 'bzq'],
    pop: ['BZPOPMIN', 'bzq', '0'],
    push: i => ['ZADD', 'bzq', i, `m${i}`],
    release: i => ['ZADD', 'bzq', 0, `end${i}`],
  });
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const requests = opts.smoke ? 2000 : 100000;
  const rows: BenchRow[] = [];
  const rounds = opts.smoke ? 1 : 2;
  for (const port of [opts.redluaPort, opts.redisPort]) await populate(port, 'zbench', 1000);
  for (const pipeline of [1, 16]) {
    const label = pipeline > 1 ? ` (-P ${pipeline})` : '';
    rows.push(
      ...compareBenchmark(label, { tests: ['zadd'], requests, pipeline, keyspace: 100000 }, opts.redluaPort, opts.redisPort, rounds),
      ...compareBenchmark(
        `ZRANGE 0 99${label}`,
        { command: ['ZRANGE', 'zbench', '0', '99'], requests: opts.smoke ? 1000 : 50000, pipeline },
        opts.redluaPort,
        opts.redisPort,
        rounds,
      ).map(r => ({ ...r, name: `ZRANGE 100 elements${label}` })),
      ...compareBenchmark(
        `ZRANGEBYSCORE${label}`,
        { command: ['ZRANGEBYSCORE', 'zbench', '100', '199', 'WITHSCORES'], requests: opts.smoke ? 1000 : 50000, pipeline },
        opts.redluaPort,
        opts.redisPort,
        rounds,
      ).map(r => ({ ...r, name: `ZRANGEBYSCORE 100 WITHSCORES${label}` })),
    );
  }
  const total = opts.smoke ? 500 : 20000;
  const red = await bzpopmin(opts.redisPort, 50, total);
  const lua = await bzpopmin(opts.redluaPort, 50, total);
  rows.push(rowRps('BZPOPMIN, 50 waiting clients', lua, red));
  return rows;
}

// Direct execution: start both servers, run, print.
await runIfMain(import.meta.url, run);
