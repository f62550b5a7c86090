// `npm run bench [-- --smoke] [-- --only core,memory,<family>]`: redis-benchmark against redlua and redis-server
// in the same run, printing ratios (redlua/redis for throughput, redis/redlua for costs: higher is better for redlua).
// Core: PING, SET, GET, INCR, MSET at 50 clients unpipelined and -P 16; RSS after loading 1M small keys. Start-up
// and warm-up are the coldstart family.
// Then every bench/<family>.ts exporting run(opts) and bench/engine.ts's runEngineBench().
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type BenchRow,
  type BenchModule,
  type ServerProcess,
  compareBenchmark,
  formatRows,
  haveBinary,
  rowCost,
  startRedisServer,
  startRedluaServer,
} from './lib.js';
import { goalFor, goalLine, goalMet } from './goals.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const onlyArg = args.find(a => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1] ?? '').split(',').filter(Boolean) : null;
const want = (name: string) => only === null || only.includes(name);
const roundsIdx = args.indexOf('--rounds');
/** repeat each core benchmark (best of N) */
const roundsArg = roundsIdx >= 0 ? Number(args[roundsIdx + 1]) : null;

/** Sends MSET batches of `batch` keys, pipelined, until `n` keys exist (key:<i> → 'v<i>'). */
export async function loadKeys(port: number, n: number, batch = 1000): Promise<void> {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise((res, rej) => {
    sock.once('connect', res);
    sock.once('error', rej);
  });
  const commands = Math.ceil(n / batch);
  let replies = 0;
  let pending = '';
  const done = new Promise<void>((resolve, reject) => {
    sock.on('data', d => {
      pending += d.toString('latin1');
      let i: number;
      while ((i = pending.indexOf('\r\n')) >= 0) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 2);
        if (line !== '+OK') reject(new Error(`MSET failed: ${line}`));
        if (++replies === commands) resolve();
      }
    });
  });
  for (let c = 0; c < commands; c++) {
    const from = c * batch;
    const to = Math.min(n, from + batch);
    const parts: string[] = [`*${1 + (to - from) * 2}\r\n$4\r\nMSET\r\n`];
    for (let i = from; i < to; i++) {
      const k = `key:${i}`;
      const v = `v${i}`;
      parts.push(`$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`);
    }
    if (!sock.write(parts.join(''))) await new Promise(r => sock.once('drain', r));
  }
  await done;
  sock.destroy();
}

/** RSS of fresh servers before and after loading n small keys. */
async function memoryRows(): Promise<BenchRow[]> {
  const redis = await startRedisServer();
  const redlua = await startRedluaServer();
  try {
    return await measureMemory(redlua, redis);
  } finally {
    await redis.stop();
    await redlua.stop();
  }
}

async function measureMemory(redlua: ServerProcess, redis: ServerProcess): Promise<BenchRow[]> {
  const n = smoke ? 20000 : 1000000;
  await new Promise(r => setTimeout(r, 300));
  const baseLua = redlua.rss();
  const baseRed = redis.rss();
  await loadKeys(redis.port, n);
  await loadKeys(redlua.port, n);
  await new Promise(r => setTimeout(r, smoke ? 200 : 2000));
  const label = smoke ? '20k' : '1M';
  const rows = [
    rowCost(`RSS after ${label} keys`, redlua.rss(), redis.rss(), 'bytes'),
    rowCost(`RSS growth for ${label} keys`, redlua.rss() - baseLua, redis.rss() - baseRed, 'bytes'),
  ];
  if (!smoke) {
    // V8 returns the bulk load's garbage and young-generation space only once its memory reducer runs on an idle
    // heap (~20 s): the settled figure is what an idle loaded server keeps.
    await new Promise(r => setTimeout(r, 28000));
    rows.push(rowCost(`RSS after ${label} keys, 30 s idle`, redlua.rss(), redis.rss(), 'bytes'));
  }
  return rows;
}

function coreRows(redlua: ServerProcess, redis: ServerProcess): BenchRow[] {
  // 200k requests unpipelined, 1M with -P 16: long enough that connection set-up does not dominate either server
  const requests = smoke ? 2000 : 200000;
  const rounds = roundsArg ?? 1;
  const rows: BenchRow[] = [];
  for (const pipeline of [1, 16]) {
    const label = pipeline > 1 ? ` -P ${pipeline}` : '';
    rows.push(
      ...compareBenchmark(label, { tests: ['ping', 'set', 'get', 'incr', 'mset'], clients: 50, requests: requests * (pipeline > 1 ? 5 : 1), pipeline, keyspace: 100000 }, redlua.port, redis.port, rounds),
    );
  }
  return rows;
}

async function familyModules(): Promise<[string, BenchModule][]> {
  const skip = new Set(['lib.js', 'run.js', 'engine.js']);
  const files = fs.readdirSync(here).filter(f => f.endsWith('.js') && !skip.has(f)).sort();
  const mods: [string, BenchModule][] = [];
  for (const f of files) {
    const m = (await import(pathToFileURL(path.join(here, f)).href)) as Partial<BenchModule>;
    if (typeof m.run === 'function') mods.push([f.replace(/\.js$/, ''), m as BenchModule]);
  }
  return mods;
}

function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, load ${os.loadavg().map(l => l.toFixed(1)).join(' ')}, node ${process.version}`;
}

async function main(): Promise<void> {
  if (!haveBinary('redis-server') || !haveBinary('redis-benchmark')) {
    console.error('npm run bench needs redis-server and redis-benchmark (apt-get install redis-server redis-tools)');
    process.exit(smoke ? 0 : 1);
  }
  console.log(`redlua benchmark${smoke ? ' (smoke)' : ''} on ${describeMachine()}`);
  const all: BenchRow[] = [];
  /** goals met and missed over the whole run */
  const met: string[] = [];
  const missed: string[] = [];
  const section = (key: string, title: string, rows: BenchRow[]) => {
    all.push(...rows);
    console.log(`\n## ${title}\n` + formatRows(rows, smoke ? undefined : key)); // smoke ratios mean nothing
    for (const r of rows) {
      const g = goalFor(key, r);
      if (g && !smoke) (goalMet(g, r) ? met : missed).push(goalLine(g, r, key));
    }
  };
  if (want('core')) {
    const redis = await startRedisServer();
    const redlua = await startRedluaServer();
    try {
      section('core', 'core commands, 50 clients', coreRows(redlua, redis));
    } finally {
      await redis.stop();
      await redlua.stop();
    }
  }
  if (want('memory')) section('memory', 'memory', await memoryRows());
  for (const [name, mod] of await familyModules()) {
    if (!want(name)) continue;
    const redis = await startRedisServer();
    const redlua = await startRedluaServer();
    try {
      section(name, name, await mod.run({ smoke, redluaPort: redlua.port, redisPort: redis.port }));
    } catch (e) {
      console.log(`\n## ${name}\nfailed: ${(e as Error).message}`);
      if (smoke) process.exitCode = 1;
    } finally {
      await redis.stop();
      await redlua.stop();
    }
  }
  if (want('engine')) {
    try {
      const engine = (await import(pathToFileURL(path.join(here, 'engine.js')).href)) as { runEngineBench?: (o: { runs?: number }) => Promise<BenchRow[]> };
      if (engine.runEngineBench) section('engine', 'engine (Lua VM)', await engine.runEngineBench({ runs: smoke ? 1 : undefined }));
    } catch (e) {
      console.log(`\n## engine\nfailed: ${(e as Error).message}`);
      if (smoke) process.exitCode = 1;
    }
  }
  const tp = all.filter(r => r.unit === 'req/s' && r.ratio > 0);
  if (tp.length) {
    const geo = Math.exp(tp.reduce((a, r) => a + Math.log(r.ratio), 0) / tp.length);
    console.log(`\ngeometric mean throughput ratio over ${tp.length} rows: ${geo.toFixed(2)}`);
  }
  if (met.length + missed.length) {
    console.log(`issue goals met by ${met.length} of ${met.length + missed.length} rows${missed.length ? '; missed:' : ''}`);
    for (const m of missed) console.log(`  ${m}`);
  }
  if (process.env.REDLUA_BENCH_JSON) fs.writeFileSync(process.env.REDLUA_BENCH_JSON, JSON.stringify({ machine: describeMachine(), rows: all }, null, 1));
}

await main();
