// Benchmark helpers shared by bench/run.ts and every family's bench/<family>.ts.
// A family bench exports `run(opts: BenchOptions): Promise<BenchRow[]>`; bench/run.ts collects and prints them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { goalFor, goalMet, goalText } from './goals.js';

/** One line of the benchmark report: the same measurement against redlua and redis-server. */
export interface BenchRow {
  name: string;
  redlua: number;
  redis: number;
  /** redlua / redis for throughput units, redis / redlua for cost units (ms, bytes): higher is always better for redlua */
  ratio: number;
  unit: string;
}

export interface BenchOptions {
  /** quick CI mode: tiny request counts, only checks that everything runs */
  smoke: boolean;
  /** servers already started by bench/run.ts (families may also start their own) */
  redluaPort: number;
  redisPort: number;
}

/** A family benchmark module. */
export type BenchModule = { run(opts: BenchOptions): Promise<BenchRow[]> };

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/src/cli.js, from dist/bench/lib.js */
export const CLI_PATH = path.resolve(here, '../src/cli.js');

export function haveBinary(name: string): boolean {
  const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.once('error', reject);
  });
}

async function waitPort(port: number, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>(res => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${port}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

export interface ServerProcess {
  name: 'redlua' | 'redis';
  port: number;
  proc: ChildProcess;
  /** resident set size in bytes (from /proc), or 0 when unavailable */
  rss(): number;
  stop(): Promise<void>;
}

function procRss(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function wrap(name: 'redlua' | 'redis', port: number, proc: ChildProcess): ServerProcess {
  return {
    name,
    port,
    proc,
    rss: () => procRss(proc.pid),
    stop: () =>
      new Promise<void>(res => {
        if (proc.exitCode !== null || proc.signalCode !== null) return res();
        proc.once('exit', () => res());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Starts redis-server 7.0 on a free port, persistence off. */
export async function startRedisServer(extra: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes', ...extra],
    { stdio: 'ignore' },
  );
  await waitPort(port);
  return wrap('redis', port, proc);
}

/** Starts redlua (the built CLI) in its own process on a free port; BENCH_NODE_FLAGS adds node/V8 flags (experiments). */
export async function startRedluaServer(extra: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(
    process.execPath,
    [...nodeFlags, CLI_PATH, '--port', String(port), '--bind', '127.0.0.1', '--enable-debug-command', 'yes', '--loglevel', 'warning', ...extra],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitPort(port);
  return wrap('redlua', port, proc);
}

export interface BenchmarkRun {
  port: number;
  /** -t tests (ping, set, get, incr, mset, …) or a custom command (then `tests` is ignored) */
  tests?: string[];
  command?: string[];
  clients?: number;
  requests?: number;
  pipeline?: number;
  /** -r keyspace length */
  keyspace?: number;
  /** -d value size */
  dataSize?: number;
  /** --user / -a: connect as this ACL user */
  user?: { name: string; pass: string };
}

/** Runs redis-benchmark --csv and returns test name → requests per second. */
export function redisBenchmark(o: BenchmarkRun): Map<string, number> {
  const args = ['-h', '127.0.0.1', '-p', String(o.port), '--csv', '-c', String(o.clients ?? 50), '-n', String(o.requests ?? 100000)];
  if (o.pipeline && o.pipeline > 1) args.push('-P', String(o.pipeline));
  if (o.keyspace) args.push('-r', String(o.keyspace));
  if (o.dataSize) args.push('-d', String(o.dataSize));
  if (o.user) args.push('--user', o.user.name, '-a', o.user.pass);
  if (o.command) args.push(...o.command);
  else if (o.tests) args.push('-t', o.tests.join(','));
  const r = spawnSync('redis-benchmark', args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  return parseBenchmarkCsv(r.stdout);
}

/** Parses redis-benchmark --csv output ("test","rps",...) into test → rps. */
export function parseBenchmarkCsv(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^"([^"]*)","([\d.]+)"/.exec(line.trim());
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

/** Builds a throughput row (higher is better). */
export function rowRps(name: string, redlua: number, redis: number): BenchRow {
  return { name, redlua, redis, ratio: redis > 0 ? redlua / redis : 0, unit: 'req/s' };
}

/** Builds a cost row (bytes, ms: lower is better); the ratio is still "redlua is this fraction as good". */
export function rowCost(name: string, redlua: number, redis: number, unit: string): BenchRow {
  return { name, redlua, redis, ratio: redlua > 0 ? redis / redlua : 0, unit };
}

/**
 * Runs the same redis-benchmark against both servers, interleaved (redis, redlua, redis, redlua …) so that noise on
 * a shared machine affects both alike, and keeps the best of `rounds` for each, after one unmeasured warm-up run.
 */
export function compareBenchmark(label: string, o: Omit<BenchmarkRun, 'port'>, redluaPort: number, redisPort: number, rounds = 1): BenchRow[] {
  const best = (a: Map<string, number>, b: Map<string, number>) => {
    for (const [k, v] of b) if (!a.has(k) || v > a.get(k)!) a.set(k, v);
  };
  const lua = new Map<string, number>();
  const red = new Map<string, number>();
  // Warm-up, not measured: both servers are measured in steady state (for redlua: after V8 has compiled the command
  // path, as in any long-running server; a cold start is measured separately by the startup rows).
  const warm = { ...o, requests: Math.max(1000, Math.floor((o.requests ?? 100000) / 5)) };
  redisBenchmark({ ...warm, port: redisPort });
  redisBenchmark({ ...warm, port: redluaPort });
  for (let i = 0; i < rounds; i++) {
    best(red, redisBenchmark({ ...o, port: redisPort }));
    best(lua, redisBenchmark({ ...o, port: redluaPort }));
  }
  const rows: BenchRow[] = [];
  for (const [k, v] of red) rows.push(rowRps(`${k}${label}`, lua.get(k) ?? 0, v));
  return rows;
}

export function formatNumber(n: number, unit: string): string {
  if (unit === 'bytes') return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (unit === 'ms') return `${n.toFixed(n < 10 ? 2 : 1)} ms`;
  return n >= 1000 ? `${Math.round(n)}` : n.toFixed(2);
}

/**
 * A fixed-width table of rows. With the section (core, memory, startup or a bench/<family> name), a last column
 * gives the goal for each row that has one, and whether this run met it.
 */
export function formatRows(rows: BenchRow[], section?: string): string {
  const w = Math.max(10, ...rows.map(r => r.name.length));
  let out = `${'benchmark'.padEnd(w)}  ${'redlua'.padStart(12)}  ${'redis'.padStart(12)}  ${'ratio'.padStart(6)}  ${section ? 'unit    goal' : 'unit'}\n`;
  for (const r of rows) {
    const g = section ? goalFor(section, r) : null;
    const goal = g ? `  ${goalText(g)} ${goalMet(g, r) ? 'met' : 'MISSED'}` : '';
    out += `${r.name.padEnd(w)}  ${formatNumber(r.redlua, r.unit).padStart(12)}  ${formatNumber(r.redis, r.unit).padStart(12)}  ${r.ratio.toFixed(2).padStart(6)}  ${(goal ? r.unit.padEnd(6) : r.unit)}${goal}\n`;
  }
  return out;
}
