// Persistence benchmarks against redis-server: SAVE of 1M small keys (time, side by side), and reply latency of a probe
// client while BGSAVE writes 1M keys under redis-benchmark load (p99 and max; Redis forks, redlua snapshots in slices).
// Run directly (node dist/bench/persistence.js [--smoke]) or via bench/run.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startRedisServer, startRedluaServer, rowCost, type BenchOptions, type BenchRow, type ServerProcess } from './lib.js';
import { Conn, runIfMain } from './common.js';

const str = (b: Buffer) => b.toString('latin1');

async function infoField(c: Conn, field: string): Promise<string> {
  const m = new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(str(await c.call(['INFO', 'persistence'])));
  return m ? m[1] : '';
}

/** Both servers with their own directories, 1M (smoke: 20k) keys each from DEBUG POPULATE. */
async function startPair(keys: number): Promise<{ redlua: ServerProcess; redis: ServerProcess; dirs: string[] }> {
  const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-bench-')), fs.mkdtempSync(path.join(os.tmpdir(), 'redis-bench-'))];
  const redlua = await startRedluaServer(['--dir', dirs[0], '--save', '']);
  const redis = await startRedisServer(['--dir', dirs[1]]);
  for (const s of [redlua, redis]) {
    const c = await Conn.connect(s.port);
    await c.call(['DEBUG', 'POPULATE', keys]);
    c.close();
  }
  return { redlua, redis, dirs };
}

/** Wall time of one SAVE, in ms (best of `rounds`). */
async function saveTime(port: number, rounds: number): Promise<number> {
  const c = await Conn.connect(port);
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const r = str(await c.call(['SAVE']));
    if (r !== '+OK\r\n') throw new Error(`SAVE failed: ${r}`);
    best = Math.min(best, performance.now() - t0);
  }
  c.close();
  return best;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/**
 * Starts redis-benchmark (SET/GET over the populated keyspace, 50 clients) in the background, then a BGSAVE; a probe
 * client sends GETs one at a time while the save runs and records each reply's latency. Returns the probe's
 * latencies (ms, sorted) and how long the BGSAVE took.
 */
async function bgsaveLatency(port: number, keys: number): Promise<{ lat: number[]; saveMs: number }> {
  const load = spawn('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-c', '50', '-n', '100000000', '-r', String(keys), '-t', 'set,get', '-q'], {
    stdio: 'ignore',
  });
  try {
    await new Promise(r => setTimeout(r, 500)); // the load is running
    const admin = await Conn.connect(port);
    const probe = await Conn.connect(port);
    const lat: number[] = [];
    const t0 = performance.now();
    const reply = str(await admin.call(['BGSAVE']));
    if (!reply.startsWith('+Background saving started')) throw new Error(`BGSAVE: ${reply}`);
    let done = false;
    const watcher = (async () => {
      while ((await infoField(admin, 'rdb_bgsave_in_progress')) === '1') await new Promise(r => setTimeout(r, 5));
      done = true;
    })();
    while (!done) {
      const s = performance.now();
      await probe.call(['GET', `key:${Math.floor(Math.random() * keys)}`]);
      lat.push(performance.now() - s);
    }
    await watcher;
    const saveMs = performance.now() - t0;
    if ((await infoField(admin, 'rdb_last_bgsave_status')) !== 'ok') throw new Error('BGSAVE failed');
    admin.close();
    probe.close();
    lat.sort((a, b) => a - b);
    return { lat, saveMs };
  } finally {
    load.kill('SIGKILL');
  }
}

/** The probe's latencies under the same load without a save, for `ms` (the baseline of the BGSAVE rows). */
async function baselineLatency(port: number, keys: number, ms: number): Promise<number[]> {
  const load = spawn('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-c', '50', '-n', '100000000', '-r', String(keys), '-t', 'set,get', '-q'], {
    stdio: 'ignore',
  });
  try {
    await new Promise(r => setTimeout(r, 500));
    const probe = await Conn.connect(port);
    const lat: number[] = [];
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const s = performance.now();
      await probe.call(['GET', `key:${Math.floor(Math.random() * keys)}`]);
      lat.push(performance.now() - s);
    }
    probe.close();
    return lat.sort((a, b) => a - b);
  } finally {
    load.kill('SIGKILL');
  }
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const keys = opts.smoke ? 20000 : 1000000;
  const label = opts.smoke ? '20k' : '1M';
  const { redlua, redis, dirs } = await startPair(keys);
  const rows: BenchRow[] = [];
  try {
    const rounds = opts.smoke ? 1 : 3;
    const luaSave = await saveTime(redlua.port, rounds);
    const redSave = await saveTime(redis.port, rounds);
    rows.push(rowCost(`SAVE of ${label} small keys`, luaSave, redSave, 'ms'));
    const lua = await bgsaveLatency(redlua.port, keys);
    const red = await bgsaveLatency(redis.port, keys);
    rows.push(rowCost(`BGSAVE of ${label} keys under load: p99 reply latency`, percentile(lua.lat, 99), percentile(red.lat, 99), 'ms'));
    rows.push(rowCost(`BGSAVE of ${label} keys under load: max reply latency`, lua.lat[lua.lat.length - 1] ?? 0, red.lat[red.lat.length - 1] ?? 0, 'ms'));
    rows.push(rowCost(`BGSAVE of ${label} keys under load: duration`, lua.saveMs, red.saveMs, 'ms'));
    const luaBase = await baselineLatency(redlua.port, keys, Math.min(2000, lua.saveMs));
    const redBase = await baselineLatency(redis.port, keys, Math.min(2000, red.saveMs));
    rows.push(rowCost('same load, no save: p99 latency (baseline)', percentile(luaBase, 99), percentile(redBase, 99), 'ms'));
  } finally {
    await redlua.stop();
    await redis.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
  return rows;
}

// Direct execution: start both servers, run, print.
await runIfMain(import.meta.url, run);
