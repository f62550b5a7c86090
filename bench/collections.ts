// Collection benchmarks against redis-server: LPUSH/LPOP/RPUSH/RPOP, LRANGE 100, HSET/HGETALL, SADD/SPOP/SISMEMBER
// (unpipelined and -P 16), BLPOP with 50 waiting clients served by a producer, and 1M-element collections (end
// operations must not degrade). Run directly (node dist/bench/collections.js [--smoke]) or via bench/run.ts.
// (BZPOPMIN with 50 waiting clients is in bench/zsets.ts.)
import { compareBenchmark, rowRps, type BenchOptions, type BenchRow } from './lib.js';
import { Conn, blockingPopRate, runIfMain } from './common.js';

async function populate(port: number): Promise<void> {
  const c = await Conn.connect(port);
  await c.call(['DEL', 'lbench', 'hbench', 'sbench']);
  const l: string[] = ['RPUSH', 'lbench'];
  for (let i = 0; i < 1000; i++) l.push(`element:${i}`);
  await c.call(l);
  // 20 fields: a typical small (listpack) hash.
  const h: string[] = ['HSET', 'hbench'];
  for (let i = 0; i < 20; i++) h.push(`field:${i}`, `value:${i}`);
  await c.call(h);
  const s: string[] = ['SADD', 'sbench'];
  for (let i = 0; i < 1000; i++) s.push(`member:${i}`);
  await c.call(s);
  c.close();
}

/** Fills a 1M-element list, hash and set (in batches). */
async function populateBig(port: number): Promise<void> {
  const c = await Conn.connect(port);
  await c.call(['DEL', 'lbig', 'hbig', 'sbig']);
  for (let i = 0; i < 1000000; i += 10000) {
    const l: string[] = ['RPUSH', 'lbig'];
    const h: string[] = ['HSET', 'hbig'];
    const s: string[] = ['SADD', 'sbig'];
    for (let j = i; j < i + 10000; j++) {
      l.push(`e${j}`);
      h.push(`f${j}`, `v${j}`);
      s.push(`m${j}`);
    }
    await Promise.all([c.call(l), c.call(h), c.call(s)]);
  }
  c.close();
}

/** 50 clients loop on BLPOP; one producer pushes `total` elements one RPUSH at a time. Returns pops per second. */
function blpop(port: number, waiters: number, total: number): Promise<number> {
  return blockingPopRate(port, waiters, total, {
    reset: ['DEL', 'blq'],
    pop: ['BLPOP', 'blq', '0'],
    push: i => ['RPUSH', 'blq', `v${i}`],
    release: () => ['RPUSH', 'blq', 'end'],
  });
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const requests = opts.smoke ? 2000 : 100000;
  const small = opts.smoke ? 1000 : 50000;
  const rounds = opts.smoke ? 1 : 2;
  const rows: BenchRow[] = [];
  const both = (label: string, o: Parameters<typeof compareBenchmark>[1], name?: string) =>
    compareBenchmark(label, o, opts.redluaPort, opts.redisPort, rounds).map(r => (name ? { ...r, name: name + label } : r));
  for (const port of [opts.redluaPort, opts.redisPort]) await populate(port);
  for (const pipeline of [1, 16]) {
    const label = pipeline > 1 ? ` (-P ${pipeline})` : '';
    rows.push(
      ...both(label, { tests: ['lpush', 'rpush', 'lpop', 'rpop', 'hset', 'sadd', 'spop'], requests, pipeline, keyspace: 100000 }),
      ...both(label, { command: ['LRANGE', 'lbench', '0', '99'], requests: small, pipeline }, 'LRANGE 100 elements'),
      ...both(label, { command: ['HGETALL', 'hbench'], requests: small, pipeline }, 'HGETALL 20 fields'),
      ...both(label, { command: ['HGET', 'hbench', 'field:7'], requests, pipeline }, 'HGET'),
      ...both(label, { command: ['SISMEMBER', 'sbench', 'member:500'], requests, pipeline }, 'SISMEMBER'),
      ...both(label, { command: ['LINDEX', 'lbench', '500'], requests, pipeline }, 'LINDEX middle of 1000'),
    );
  }
  const total = opts.smoke ? 500 : 20000;
  const red = await blpop(opts.redisPort, 50, total);
  const lua = await blpop(opts.redluaPort, 50, total);
  rows.push(rowRps('BLPOP, 50 waiting clients', lua, red));
  if (!opts.smoke) {
    // 1M-element collections: operations at the ends and by key must keep their complexity.
    for (const port of [opts.redluaPort, opts.redisPort]) await populateBig(port);
    rows.push(
      ...both('', { command: ['LINDEX', 'lbig', '500000'], requests: 20000 }, 'LINDEX middle of 1M (O(n) in Redis)'),
      ...both('', { command: ['LPUSH', 'lbig', 'x'], requests }, 'LPUSH on 1M list'),
      ...both('', { command: ['RPOP', 'lbig'], requests }, 'RPOP on 1M list'),
      ...both('', { command: ['HGET', 'hbig', 'f123456'], requests }, 'HGET on 1M hash'),
      ...both('', { command: ['HSET', 'hbig', 'f__rand_int__', 'x'], requests, keyspace: 1000000 }, 'HSET on 1M hash'),
      ...both('', { command: ['SISMEMBER', 'sbig', 'm__rand_int__'], requests, keyspace: 1000000 }, 'SISMEMBER on 1M set'),
      ...both('', { command: ['SRANDMEMBER', 'sbig'], requests }, 'SRANDMEMBER on 1M set'),
      ...both('', { command: ['HRANDFIELD', 'hbig'], requests }, 'HRANDFIELD on 1M hash'),
    );
  }
  return rows;
}

// Direct execution: start both servers, run, print.
await runIfMain(import.meta.url, run);
