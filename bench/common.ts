// Benchmark plumbing missing from bench/lib.ts, shared by the family benches: a minimal pipelining client and the
// "run this bench file directly" entry point.
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedisServer, startRedluaServer, formatRows, haveBinary, type BenchOptions, type BenchRow } from './lib.js';
import { encodeCommand, parseReply } from '../src/protocol/resp-value.js';

/** A minimal pipelining client: sends commands, resolves replies (raw bytes) in order; counts push/pub-sub frames. */
export class Conn {
  private buf = Buffer.alloc(0);
  private waiters: ((b: Buffer) => void)[] = [];
  /** frames received with no waiter (pub/sub messages) */
  unsolicited = 0;
  onUnsolicited: (() => void) | null = null;
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
        else {
          this.unsolicited++;
          if (this.onUnsolicited) this.onUnsolicited();
        }
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
  call(args: (string | Buffer | number)[]): Promise<Buffer> {
    return new Promise(res => {
      this.waiters.push(res);
      this.sock.write(encodeCommand(args));
    });
  }
  /** Sends many commands at once and waits for all replies. */
  async pipeline(cmds: (string | number)[][]): Promise<void> {
    const ps = cmds.map(
      () =>
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

/**
 * `waiters` clients loop on a blocking pop (`pop`, e.g. BLPOP q 0); one unpipelined producer sends `total` pushes
 * (`push(i)`), each waiting for its reply, then `release(i)` once per waiter to free those still blocked.
 * `reset` runs first (e.g. DEL q). Returns pops per second.
 */
export async function blockingPopRate(
  port: number,
  waiters: number,
  total: number,
  cmds: {
    reset: (string | number)[];
    pop: (string | number)[];
    push: (i: number) => (string | number)[];
    release: (i: number) => (string | number)[];
  },
): Promise<number> {
  const prod = await Conn.connect(port);
  await prod.call(cmds.reset);
  const clients: Conn[] = [];
  for (let i = 0; i < waiters; i++) clients.push(await Conn.connect(port));
  let popped = 0;
  let done!: () => void;
  const finished = new Promise<void>(r => (done = r));
  const loop = async (c: Conn) => {
    for (;;) {
      const r = await c.call(cmds.pop);
      if (r[0] === 42 /* * */ && r[1] !== 45 /* - */) {
        popped++;
        if (popped === total) done();
      }
      if (popped >= total) return;
    }
  };
  // Let every client block first.
  const loops = clients.map(loop);
  await new Promise(r => setTimeout(r, 100));
  const t0 = performance.now();
  for (let i = 0; i < total; i++) await prod.call(cmds.push(i));
  await finished;
  const secs = (performance.now() - t0) / 1000;
  // Release clients still blocked.
  for (let i = 0; i < waiters; i++) await prod.call(cmds.release(i));
  await Promise.all(loops);
  for (const c of clients) c.close();
  prod.close();
  return total / secs;
}

/**
 * Direct execution of a family bench (node dist/bench/<family>.js [--smoke]): when `moduleUrl` (the caller's
 * import.meta.url) is the script node was started with, starts both servers, runs `run`, prints the rows.
 */
export async function runIfMain(moduleUrl: string, run: (opts: BenchOptions) => Promise<BenchRow[]>): Promise<void> {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  if (!haveBinary('redis-server') || !haveBinary('redis-benchmark')) {
    console.error('redis-server and redis-benchmark are required');
    process.exit(1);
  }
  const smoke = process.argv.includes('--smoke');
  const redis = await startRedisServer();
  const redlua = await startRedluaServer();
  try {
    const rows = await run({ smoke, redluaPort: redlua.port, redisPort: redis.port });
    process.stdout.write(formatRows(rows, smoke ? undefined : path.basename(fileURLToPath(moduleUrl), '.js')));
  } finally {
    await redis.stop();
    await redlua.stop();
  }
}
