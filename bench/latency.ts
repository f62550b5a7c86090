// Tail latency under CPU contention (#23): a health client PINGs redlua and redis-server side by side while the
// machine is saturated by CPU hogs, first with no other traffic, then with a steady client workload on each server (a
// test suite's mix: small writes and reads, lists, hashes, small scripts, and now and then a 256 KB value). Both
// servers run at the same time under the same load, so the noise of a shared machine hits both. Rows: p99.9 and max
// of the health client's round trips, redlua against redis-server (cost rows: redis/redlua, higher is better).
// Run directly (node dist/bench/latency.js [--smoke]) or via bench/run.ts (npm run bench -- --only latency).
import os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { startRedisServer, startRedluaServer, rowCost, type BenchOptions, type BenchRow, type ServerProcess } from './lib.js';
import { Conn, runIfMain } from './common.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** One busy-looping process per CPU, plus one: the run queue is never empty. */
function startHogs(): ChildProcess[] {
  const n = os.availableParallelism() + 1;
  // each checks now and then that the bench is still there: a crashed bench leaves no hog behind
  const src = 'const p = Number(process.argv[1]); for (let i = 0; ; i++) if (i % 5e7 === 0) { try { process.kill(p, 0); } catch { process.exit(0); } }';
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', src, String(process.pid)], { stdio: 'ignore' }));
}

// A fixed-rate workload in its own process (its JS must not delay the health client): every 10 ms a batch of
// commands, pipelined; the batch waits for its replies before the next is due.
const WORKLOAD_SRC = `
const net = require('node:net');
const port = Number(process.argv[1]);
const parent = Number(process.argv[2]);
setInterval(() => { try { process.kill(parent, 0); } catch { process.exit(0); } }, 500);
const enc = a => '*' + a.length + '\\r\\n' + a.map(x => { x = String(x); return '$' + Buffer.byteLength(x) + '\\r\\n' + x + '\\r\\n'; }).join('');
const small = 'v'.repeat(1024);
const big = 'b'.repeat(256 * 1024);
const s = net.connect(port, '127.0.0.1');
let pending = 0, buf = '', tick = 0;
s.on('data', d => {
  buf += d.toString('latin1');
  // every reply of this mix is one line, a bulk or an array of bulks: count CRLFs of top-level frames cheaply
  for (;;) {
    const r = skip(buf, 0);
    if (r < 0) break;
    buf = buf.slice(r);
    pending--;
  }
});
function skip(b, i) {
  const e = b.indexOf('\\r\\n', i);
  if (e < 0) return -1;
  const t = b[i], n = Number(b.slice(i + 1, e));
  if (t === '$') return n < 0 ? e + 2 : (b.length >= e + 2 + n + 2 ? e + 2 + n + 2 : -1);
  if (t === '*') { let j = e + 2; for (let k = 0; k < n; k++) { j = skip(b, j); if (j < 0) return -1; } return j; }
  return e + 2;
}
setInterval(() => {
  if (pending > 0) return;
  tick++;
  const cmds = [];
  for (let i = 0; i < 10; i++) {
    const k = (tick * 10 + i) % 5000;
    cmds.push(['SET', 'k:' + k, small], ['GET', 'k:' + ((k * 7) % 5000)], ['INCR', 'counter'],
      ['LPUSH', 'list', small], ['LTRIM', 'list', 0, 99], ['HSET', 'h:' + (k % 100), 'f' + i, i],
      ['EVAL', "return redis.call('incrby', KEYS[1], ARGV[1])", 1, 'sc', i]);
  }
  if (tick % 20 === 0) cmds.push(['SET', 'big', big], ['GET', 'big'], ['LRANGE', 'list', 0, -1]);
  pending += cmds.length;
  s.write(cmds.map(enc).join(''));
}, 10);
`;

function startWorkload(port: number): ChildProcess {
  return spawn(process.execPath, ['-e', WORKLOAD_SRC, String(port), String(process.pid)], { stdio: 'ignore' });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
}

/** PINGs both servers at the same moments, every `intervalMs`, for `durationMs`; round trips in ms. */
async function health(ports: number[], durationMs: number, intervalMs: number): Promise<number[][]> {
  const conns = await Promise.all(ports.map(p => Conn.connect(p)));
  const samples: number[][] = ports.map(() => []);
  const end = performance.now() + durationMs;
  try {
    while (performance.now() < end) {
      await Promise.all(
        conns.map(async (c, i) => {
          const t0 = performance.now();
          const r = await c.call(['PING']);
          samples[i].push(performance.now() - t0);
          if (r.toString() !== '+PONG\r\n') throw new Error(`PING: ${r.toString()}`);
        }),
      );
      await sleep(intervalMs);
    }
  } finally {
    for (const c of conns) c.close();
  }
  return samples.map(s => s.sort((a, b) => a - b));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  // a maximum is one sample: each figure is the median over rounds of that round's statistic
  const rounds = opts.smoke ? 1 : Number(process.env.BENCH_LATENCY_ROUNDS ?? 5);
  const duration = opts.smoke ? 2_000 : Number(process.env.BENCH_LATENCY_MS ?? 10_000);
  const rows: BenchRow[] = [];
  // fresh servers, so that earlier families' data and heaps do not count
  const pair: ServerProcess[] = [await startRedluaServer(), await startRedisServer()];
  const hogs = startHogs();
  try {
    await sleep(500);
    for (const withWorkload of [false, true]) {
      const loads = withWorkload ? pair.map(s => startWorkload(s.port)) : [];
      try {
        if (withWorkload) await sleep(1000); // the workload's first batches (and redlua's JIT warm-up) before measuring
        const stats = { p99: [[], []], p999: [[], []], max: [[], []] } as Record<'p99' | 'p999' | 'max', number[][]>;
        let samples = 0;
        for (let r = 0; r < rounds; r++) {
          const got = await health(pair.map(s => s.port), duration, 2);
          samples += got[0].length;
          got.forEach((lat, i) => {
            stats.p99[i].push(percentile(lat, 0.99));
            stats.p999[i].push(percentile(lat, 0.999));
            stats.max[i].push(lat[lat.length - 1]);
          });
        }
        const label = withWorkload ? 'CPU hog + workload' : 'CPU hog';
        const per = `median of ${rounds} × ${duration / 1000} s, ${samples} samples`;
        rows.push(rowCost(`${label}: PING p99 (${per})`, median(stats.p99[0]), median(stats.p99[1]), 'ms'));
        rows.push(rowCost(`${label}: PING p99.9`, median(stats.p999[0]), median(stats.p999[1]), 'ms'));
        rows.push(rowCost(`${label}: PING max`, median(stats.max[0]), median(stats.max[1]), 'ms'));
      } finally {
        for (const l of loads) l.kill('SIGKILL');
      }
    }
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
    for (const s of pair) await s.stop();
  }
  return rows;
}

await runIfMain(import.meta.url, run);
