// Benchmark plumbing missing from bench/lib.ts, shared by the family benches: a minimal pipelining client and the
// "run this bench file directly" entry point.
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { startRedisServer, startRedluaServer, formatRows, haveBinary, type BenchOptions, type BenchRow } from './lib.js';
import { encodeCommand, parseReply } from '../src/protocol/resp-value.js';

/** A minimal pipelining client: sends commands, resolves replies (raw bytes) in order. */
export class Conn {
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
    process.stdout.write(formatRows(rows));
  } finally {
    await redis.stop();
    await redlua.stop();
  }
}
