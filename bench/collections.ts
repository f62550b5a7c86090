// Collection benchmarks against redis-server: LPUSH/LPOP/RPUSH/RPOP, LRANGE 100, HSET/HGETALL, SADD/SPOP/SISMEMBER
// (unpipelined and -P 16), BLPOP with 50 waiting clients served by a producer, and 1M-element collections (end
// operations must not degrade). Run directly (node dist/bench/collections.js [--smoke]) or via bench/run.ts.
// (BZPOPMIN with 50 waiting clients is in bench/zsets.ts.)
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  compareBenchmark,
  rowRps,
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
  close(): void {
    this.sock.destroy();
  }
}

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
async function blpop(port: number, waiters: number, total: number): Promise<number> {
  const prod = await Conn.connect(port);
  await prod.call(['DEL', 'blq']);
  const clients: Conn[] = [];
  for (let i = 0; i < waiters; i++) clients.push(await Conn.connect(port));
  let popped = 0;
  let done!: () => void;
  const finished = new Promise<void>(r => (done = r));
  const loop = async (c: Conn) => {
    for (;;) {
      const r = await c.call(['BLPOP', 'blq', '0']);
      if (r[0] === 42 /* * */ && r[1] !== 45 /* - */) {
        popped++;
        if (popped === total) done();
      }
      if (popped >= total) return;
    }
  };
  const loops = clients.map(loop);
  await new Promise(r => setTimeout(r, 100));
  const t0 = performance.now();
  for (let i = 0; i < total; i++) await prod.call(['RPUSH', 'blq', `v${i}`]);
  await finished;
  const secs = (performance.now() - t0) / 1000;
  for (let i = 0; i < waiters; i++) await prod.call(['RPUSH', 'blq', 'end']);
  await Promise.all(loops);
  for (const c of clients) c.close();
  prod.close();
  return total / secs;
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
