// Scripting benchmarks against redis-server: EVALSHA (1 and 10 redis.call), FCALL, and a CPU-bound script (Redis: eval.c/function_lua.c hot paths).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { compareBenchmark, rowCost, type BenchOptions, type BenchRow } from './lib.js';
import { runIfMain } from './common.js';

const ONE_CALL = "return redis.call('incr', KEYS[1])";
const TEN_CALLS = "local n = 0 for i = 1, 10 do n = redis.call('incr', KEYS[1]) end return n";
const CPU = 'local s = 0 for i = 1, 3000000 do s = s + (i % 7) * 2 end return s';
const LIB = "#!lua name=benchlib\nredis.register_function('bincr', function(keys) return redis.call('incr', keys[1]) end)";

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

function cli(port: number, args: string[]): string {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`redis-cli ${args[0]} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Wall time of `n` sequential runs of a CPU-bound script, per run (ms). */
function cpuMs(port: number, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) cli(port, ['EVALSHA', sha1(CPU), '0']);
  return (performance.now() - t0) / n;
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const requests = opts.smoke ? 2000 : 100000;
  const rounds = opts.smoke ? 1 : 3;
  for (const port of [opts.redluaPort, opts.redisPort]) {
    cli(port, ['CONFIG', 'SET', 'busy-reply-threshold', '0']); // no hook: measure the script itself
    for (const body of [ONE_CALL, TEN_CALLS, CPU]) cli(port, ['SCRIPT', 'LOAD', body]);
    cli(port, ['FUNCTION', 'LOAD', 'REPLACE', LIB]);
  }
  const rows: BenchRow[] = [];
  const cases: [string, string[], number][] = [
    // baseline: the same key operation without a script, to separate the server core from the scripting cost
    ['INCR (baseline)', ['INCR', 'bench:k'], 1],
    ['INCR (baseline)', ['INCR', 'bench:k'], 16],
    ['EVALSHA 1 call', ['EVALSHA', sha1(ONE_CALL), '1', 'bench:k'], 1],
    ['EVALSHA 1 call', ['EVALSHA', sha1(ONE_CALL), '1', 'bench:k'], 16],
    ['EVALSHA 10 calls', ['EVALSHA', sha1(TEN_CALLS), '1', 'bench:k'], 1],
    ['EVALSHA 10 calls', ['EVALSHA', sha1(TEN_CALLS), '1', 'bench:k'], 16],
    ['FCALL 1 call', ['FCALL', 'bincr', '1', 'bench:k'], 1],
    ['FCALL 1 call', ['FCALL', 'bincr', '1', 'bench:k'], 16],
  ];
  for (const [label, command, pipeline] of cases) {
    const r = compareBenchmark('', { command, requests, pipeline, clients: 50 }, opts.redluaPort, opts.redisPort, rounds);
    for (const row of r) rows.push({ ...row, name: `${label}${pipeline > 1 ? ` -P ${pipeline}` : ''}` });
  }
  // The scripting layer's own cost, independent of the server core: how many INCRs one script costs on each server.
  const byName = new Map(rows.map(r => [r.name, r]));
  for (const label of ['EVALSHA 1 call', 'EVALSHA 10 calls', 'FCALL 1 call'])
    for (const suffix of ['', ' -P 16']) {
      const incr = byName.get(`INCR (baseline)${suffix}`);
      const script = byName.get(`${label}${suffix}`);
      if (!incr || !script || !script.redlua || !script.redis) continue;
      rows.push(rowCost(`${label}${suffix}, cost in INCRs`, incr.redlua / script.redlua, incr.redis / script.redis, 'INCRs'));
    }
  const n = opts.smoke ? 1 : 5;
  let lua = Infinity;
  let red = Infinity;
  for (let i = 0; i < (opts.smoke ? 1 : 2); i++) {
    red = Math.min(red, cpuMs(opts.redisPort, n));
    lua = Math.min(lua, cpuMs(opts.redluaPort, n));
  }
  rows.push(rowCost('CPU-bound script (3M iterations)', lua, red, 'ms'));
  for (const port of [opts.redluaPort, opts.redisPort]) {
    cli(port, ['CONFIG', 'SET', 'busy-reply-threshold', '5000']);
    cli(port, ['FUNCTION', 'DELETE', 'benchlib']);
    cli(port, ['DEL', 'bench:k']);
  }
  return rows;
}

// `node dist/bench/scripting.js [--smoke]` runs it alone against fresh servers.
await runIfMain(import.meta.url, run);
