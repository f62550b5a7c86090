// Keyspace benchmarks against redis-server: GET/SET/INCR throughput (unpipelined and -P 16), and active expiry:
// how fast keys that all expire within one second are reclaimed without any client touching them, and the worst
// PING latency a client sees meanwhile. Run directly (node dist/bench/keyspace.js [--smoke]) or via bench/run.ts.
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  compareBenchmark,
  rowRps,
  rowCost,
  startRedisServer,
  startRedluaServer,
  formatRows,
  haveBinary,
  type BenchOptions,
  type BenchRow,
} from './lib.js';
import { encodeCommand, parseReply } from '../src/protocol/resp-value.js';

/** A minimal pipelining client: sends commands, resolves replies in order. */
class Conn {
  private buf = Buffer.alloc(0);
  private waiters: ((b: Buffer) => void)[] = [];
  private constructor(private readonly sock: net.Socket) {
    sock.on('data', d => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      for (;;) {
        const r = parseReply(this.buf, 0);
        if (!r) break;
        const raw = this.buf.subarray(0, r[1]);
        this.buf = this.buf.subarray(r[1]);
        const w = this.waiters.shift();
        if (w) w(raw);
      }
    });
  }
  static connect(port: number): Promise<Conn> {
    return new Promise((res, rej) => {
      const s = net.connect(port, '127.0.0.1', () => res(new Conn(s)));
      s.setNoDelay(true);
      s.once('error', rej);
    });
  }
  call(args: (string | number)[]): Promise<Buffer> {
    return new Promise(res => {
      this.waiters.push(res);
      this.sock.write(encodeCommand(args));
    });
  }
  /** Sends many commands at once and waits for all replies. */
  async pipeline(cmds: (string | number)[][]): Promise<void> {
    const ps = cmds.map(
      a =>
        new Promise<Buffer>(res => {
          this.waiters.push(res);
        }),
    );
    this.sock.write(Buffer.concat(cmds.map(a => encodeCommand(a))));
    await Promise.all(ps);
  }
  close(): void {
    this.sock.destroy();
  }
}

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
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!haveBinary('redis-server') || !haveBinary('redis-benchmark')) {
    console.error('redis-server and redis-benchmark are required');
    process.exit(1);
  }
  const smoke = process.argv.includes('--smoke');
  const redis = await startRedisServer();
  const redlua = await startRedluaServer();
  try {
    const rows = await run({ smoke, redluaPort: redlua.port, redisPort: redis.port });
    process.stdout.write(formatRows(rows));
  } finally {
    await redis.stop();
    await redlua.stop();
  }
}
