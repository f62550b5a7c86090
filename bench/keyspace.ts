// Keyspace benchmarks against redis-server: GET/SET/INCR throughput (unpipelined and -P 16), and active expiry:
// how fast keys that all expire within one second are reclaimed without any client touching them, and the worst
// PING latency a client sees meanwhile. Run directly (node dist/bench/keyspace.js [--smoke]) or via bench/run.ts.
import { compareBenchmark, rowRps, rowCost, type BenchOptions, type BenchRow } from './lib.js';
import { Conn, runIfMain } from './common.js';

const intReply = (b: Buffer) => Number(b.toString('latin1').slice(1).trim());

/**
 * Writes `n` keys expiring spread over the next second (plus `keep` keys without TTL), then waits until only the
 * persistent keys are left. Returns [ms from the last expiry time until reclaimed, worst PING latency in ms].
 */
export async function activeExpiry(port: number, n: number, keep: number): Promise<[number, number]> {
  const c = await Conn.connect(port);
  await c.call(['FLUSHALL']);
  for (let i = 0; i < keep; i += 1000) {
    const batch: (string | number)[][] = [];
    for (let j = i; j < Math.min(keep, i + 1000); j++) batch.push(['SET', `keep:${j}`, 'v']);
    await c.pipeline(batch);
  }
  const t0 = Date.now();
  const spread = 1000;
  for (let i = 0; i < n; i += 1000) {
    const batch: (string | number)[][] = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) batch.push(['SET', `exp:${j}`, 'v', 'PXAT', t0 + 500 + Math.floor((j * spread) / n)]);
    await c.pipeline(batch);
  }
  const lastExpiry = t0 + 500 + spread;
  const pinger = await Conn.connect(port);
  let worst = 0;
  let reclaimedAt = 0;
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    const p0 = performance.now();
    await pinger.call(['PING']);
    worst = Math.max(worst, performance.now() - p0);
    const size = intReply(await c.call(['DBSIZE']));
    if (size <= keep && Date.now() >= lastExpiry) {
      reclaimedAt = Date.now();
      break;
    }
    await new Promise(r => setTimeout(r, 5));
  }
  c.close();
  pinger.close();
  return [reclaimedAt ? Math.max(0, reclaimedAt - lastExpiry) : 60000, worst];
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const requests = opts.smoke ? 2000 : 200000;
  const rounds = opts.smoke ? 1 : 2;
  const rows: BenchRow[] = [];
  for (const pipeline of [1, 16]) {
    const label = pipeline > 1 ? ` (-P ${pipeline})` : '';
    rows.push(...compareBenchmark(label, { tests: ['set', 'get', 'incr'], requests, pipeline, keyspace: 100000 }, opts.redluaPort, opts.redisPort, rounds));
  }
  const n = opts.smoke ? 2000 : 100000;
  const keep = opts.smoke ? 1000 : 100000;
  const [redT, redLat] = await activeExpiry(opts.redisPort, n, keep);
  const [luaT, luaLat] = await activeExpiry(opts.redluaPort, n, keep);
  rows.push(rowCost(`active expiry: ${n} keys in 1s (+${keep} persistent), reclaim lag`, luaT, redT, 'ms'));
  rows.push(rowCost('active expiry: worst PING latency meanwhile', luaLat, redLat, 'ms'));
  rows.push(rowRps('active expiry: keys reclaimed per second', n / ((1000 + luaT) / 1000), n / ((1000 + redT) / 1000)));
  return rows;
}

// Direct execution: start both servers, run, print.
await runIfMain(import.meta.url, run);
