// Cold start and warm-up beside redis-server, every server a fresh process (Redis: server.c main → initServer →
// aeMain): start to first PONG (CLI and embedded, with where the time goes), the first SCRIPT LOAD and EVAL, the first
// 1000 mixed commands of one client, idle RSS, and a suite that starts a server per test file.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, rowCost, type BenchOptions, type BenchRow } from './lib.js';
import { runIfMain } from './common.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// what users run: the package's bundle (scripts/bundle.mjs)
const INDEX_URL = pathToFileURL(path.resolve(here, '../bundle/index.js')).href;
const BUNDLE_CLI = path.resolve(here, '../bundle/cli.js');

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

function spawnRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

function spawnRedlua(port: number): ChildProcess {
  return spawn(process.execPath, [BUNDLE_CLI, '--port', String(port), '--bind', '127.0.0.1', '--loglevel', 'warning'], { stdio: 'ignore' });
}

/**
 * A one-connection client for the measurements: sends one command, resolves on its complete reply (simple types,
 * bulks and flat arrays are all the workloads produce). The same code is inlined in the per-file suite (SUITE_FILE).
 */
const CLIENT_SRC = `
function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.setNoDelay(true);
    let buf = '';
    let waiter = null;
    const complete = () => {
      // length of the first complete reply in buf, or -1
      const scan = (at) => {
        const nl = buf.indexOf('\\r\\n', at);
        if (nl < 0) return -1;
        const t = buf[at];
        if (t === '$') { const n = Number(buf.slice(at + 1, nl)); if (n < 0) return nl + 2; return buf.length >= nl + 2 + n + 2 ? nl + 2 + n + 2 : -1; }
        if (t === '*') { let n = Number(buf.slice(at + 1, nl)); let p = nl + 2; while (n-- > 0) { p = scan(p); if (p < 0) return -1; } return p; }
        return nl + 2;
      };
      return buf.length ? scan(0) : -1;
    };
    s.on('data', d => {
      buf += d.toString('latin1');
      const end = complete();
      if (end >= 0 && waiter) { const r = buf.slice(0, end); buf = buf.slice(end); const w = waiter; waiter = null; w(r); }
    });
    s.once('error', reject);
    s.once('connect', () => resolve({
      call: (...args) => new Promise(res => { waiter = res; s.write('*' + args.length + '\\r\\n' + args.map(a => { a = String(a); return '$' + Buffer.byteLength(a) + '\\r\\n' + a + '\\r\\n'; }).join('')); }),
      close: () => s.destroy(),
    }));
  });
}
`;

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const { connect } = new Function('net', `${CLIENT_SRC}; return { connect };`)(net) as {
  connect(port: number): Promise<{ call(...args: (string | number)[]): Promise<string>; close(): void }>;
};

/** Polls with a fresh connection until the server answers PING; resolves to the time it did (performance.now()). */
async function firstPong(port: number, proc: ChildProcess): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await new Promise<boolean>(res => {
      const s = net.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
      s.once('data', d => {
        s.destroy();
        res(d.toString() === '+PONG\r\n');
      });
      s.once('error', () => res(false));
    });
    if (ok) return performance.now();
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error('the server did not start');
    await new Promise(r => setTimeout(r, 1));
  }
}

function kill(proc: ChildProcess): Promise<void> {
  return new Promise(res => {
    if (proc.exitCode !== null || proc.signalCode !== null) return res();
    proc.once('exit', () => res());
    proc.kill('SIGKILL');
  });
}

/** Starts a fresh server process, measures start to first PONG, runs `then` on it, kills it. */
async function withFresh<T>(which: 'redis' | 'redlua', then: (port: number, startMs: number, pid: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = which === 'redis' ? spawnRedis(port) : spawnRedlua(port);
  try {
    const t1 = await firstPong(port, proc);
    return await then(port, t1 - t0, proc.pid!);
  } finally {
    await kill(proc);
  }
}

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** The first 1000 commands of one client, unpipelined: SET, GET, EVALSHA, HSET, LPUSH in turn (after one SCRIPT LOAD and one EVAL). */
async function firstThousand(port: number): Promise<{ scriptLoad: number; eval: number; mixed: number }> {
  const c = await connect(port);
  try {
    let t = performance.now();
    const sha = (await c.call('SCRIPT', 'LOAD', "return redis.call('INCR', KEYS[1])")).slice(5, 45);
    const scriptLoad = performance.now() - t;
    t = performance.now();
    await c.call('EVAL', "return redis.call('SET', KEYS[1], ARGV[1])", 1, 'ev', 'x');
    const evalMs = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < 200; i++) {
      await c.call('SET', `k${i}`, `v${i}`);
      await c.call('GET', `k${i}`);
      await c.call('EVALSHA', sha, 1, `n${i % 10}`);
      await c.call('HSET', `h${i % 10}`, `f${i}`, i);
      await c.call('LPUSH', `l${i % 10}`, i);
    }
    return { scriptLoad, eval: evalMs, mixed: performance.now() - t };
  } finally {
    c.close();
  }
}

/** A fresh node process importing redlua and starting it embedded; reports where the time went (ms). */
const EMBED = `
const boot = performance.now(); // since the process started (performance.timeOrigin)
const { startServer } = await import(${JSON.stringify(INDEX_URL)});
const imported = performance.now();
const srv = await startServer({ log: false });
const net = await import('node:net');
await new Promise(res => { const s = net.connect(srv.port, '127.0.0.1', () => s.write('PING\\r\\n')); s.on('data', () => { s.destroy(); res(); }); });
const pong = performance.now();
process.stdout.write(JSON.stringify({ boot, import: imported - boot, start: pong - imported }));
await srv.close();
`;

function nodeScript(src: string, args: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', src, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', d => (out += d));
    p.on('exit', code => (code === 0 ? resolve(out) : reject(new Error(`probe exited ${code}`))));
  });
}

/**
 * One test file of a suite that starts its own server, as node --test runs each file in a fresh node process:
 * start a server (redlua embedded; redis-server spawned and waited for), run 100 commands and a script, stop it.
 */
const SUITE_FILE = `
import net from 'node:net';
import { spawn } from 'node:child_process';
${CLIENT_SRC}
const which = process.argv[1];
const port = Number(process.argv[2]);
let stop;
if (which === 'redlua') {
  const { startServer } = await import(${JSON.stringify(INDEX_URL)});
  const srv = await startServer({ port, log: false });
  stop = () => srv.close();
} else {
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (;;) {
    const ok = await new Promise(res => { const s = net.connect(port, '127.0.0.1', () => { s.destroy(); res(true); }); s.once('error', () => res(false)); });
    if (ok) break;
    await new Promise(r => setTimeout(r, 1));
  }
  stop = () => new Promise(r => { p.once('exit', r); p.kill('SIGTERM'); });
}
const c = await connect(port);
await c.call('FLUSHALL');
const sha = (await c.call('SCRIPT', 'LOAD', "return redis.call('INCRBY', KEYS[1], ARGV[1])")).slice(5, 45);
for (let i = 0; i < 20; i++) {
  await c.call('SET', 'k' + i, 'v' + i);
  await c.call('GET', 'k' + i);
  await c.call('HSET', 'h', 'f' + i, i);
  await c.call('RPUSH', 'l', i);
  await c.call('EVALSHA', sha, 1, 'n', i);
}
c.close();
await stop();
`;

async function suiteMs(which: 'redis' | 'redlua', files: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < files; i++) await nodeScript(SUITE_FILE, [which, String(await freePort())]);
  return performance.now() - t0;
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const runs = opts.smoke ? 1 : 7;
  const m = {
    cli: { redis: [] as number[], redlua: [] as number[] },
    load: { redis: [] as number[], redlua: [] as number[] },
    loadLater: { redis: [] as number[], redlua: [] as number[] },
    eval: { redis: [] as number[], redlua: [] as number[] },
    mixed: { redis: [] as number[], redlua: [] as number[] },
    rss: { redis: [] as number[], redlua: [] as number[] },
    boot: [] as number[],
    import: [] as number[],
    start: [] as number[],
    embed: [] as number[],
  };
  for (let i = 0; i < runs; i++) {
    for (const which of ['redis', 'redlua'] as const) {
      await withFresh(which, async (port, startMs) => {
        m.cli[which].push(startMs);
        const r = await firstThousand(port);
        m.load[which].push(r.scriptLoad);
        m.eval[which].push(r.eval);
        m.mixed[which].push(r.mixed);
      });
      // idle RSS: a fresh server that answered one PING, then 1 s without clients; then its first SCRIPT LOAD
      await withFresh(which, async (port, _ms, pid) => {
        await new Promise(r => setTimeout(r, 1000));
        m.rss[which].push(rss(pid));
        m.loadLater[which].push((await firstThousand(port)).scriptLoad);
      });
    }
    const e = JSON.parse(await nodeScript(EMBED)) as { boot: number; import: number; start: number };
    m.boot.push(e.boot);
    m.import.push(e.import);
    m.start.push(e.start);
    m.embed.push(e.import + e.start);
  }
  const files = opts.smoke ? 2 : 20;
  // interleaved halves, so that a change of outside load hits both servers alike
  let suiteRedis = 0;
  let suiteRedlua = 0;
  for (let half = 0; half < 2; half++) {
    suiteRedis += await suiteMs('redis', files / 2);
    suiteRedlua += await suiteMs('redlua', files / 2);
  }
  const redisCli = median(m.cli.redis);
  return [
    rowCost('start to first PONG (CLI process)', median(m.cli.redlua), redisCli, 'ms'),
    rowCost('start to first PONG (embedded: import + startServer)', median(m.embed), redisCli, 'ms'),
    rowCost('  embedded: node boot to first line (both)', median(m.boot), 0, 'ms'),
    rowCost('  embedded: import redlua', median(m.import), 0, 'ms'),
    rowCost('  embedded: startServer() to first PONG', median(m.start), 0, 'ms'),
    rowCost('first SCRIPT LOAD (right after the first PONG)', median(m.load.redlua), median(m.load.redis), 'ms'),
    rowCost('first EVAL (after it)', median(m.eval.redlua), median(m.eval.redis), 'ms'),
    rowCost('first SCRIPT LOAD, 1 s after the first PONG', median(m.loadLater.redlua), median(m.loadLater.redis), 'ms'),
    rowCost('first 1000 mixed commands, one client (wall)', median(m.mixed.redlua), median(m.mixed.redis), 'ms'),
    rowCost('idle RSS of a fresh server', median(m.rss.redlua), median(m.rss.redis), 'bytes'),
    rowCost(`suite of ${files} files, a server per file (wall)`, suiteRedlua, suiteRedis, 'ms'),
  ];
}

await runIfMain(import.meta.url, run);
