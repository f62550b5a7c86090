// Engine benchmark: CPU-bound Lua in the WASM engine vs EVALSHA on a local redis-server (same machine, same run, CPU time), plus redis.call bridge round-trips per second.
import { fileURLToPath } from 'node:url';
import { LuaEngine } from '../src/engine/index.js';
import { rowCost, rowRps, type BenchRow } from './lib.js';
import { StubHost, sha1, redisAvailable, startOracle, OracleConn, R } from '../test/engine/helpers.js';

// Rows follow bench/lib.ts: CPU milliseconds per run with the ratio Redis's time / redlua's, and the bridge in calls
// per CPU second with the ratio redlua / Redis; higher is better for redlua in both.

export const WORKLOADS: { name: string; script: string }[] = [
  { name: 'loop_arith', script: 'local s = 0 for i = 1, 3000000 do s = s + i % 7 end return s' },
  { name: 'table_sort', script: 'local t = {} for i = 1, 200000 do t[i] = (i * 7919) % 200003 end table.sort(t) return t[1]' },
  { name: 'table_sort_cmp', script: 'local t = {} for i = 1, 100000 do t[i] = (i * 7919) % 100003 end table.sort(t, function(a, b) return a > b end) return t[1]' },
  { name: 'string_format', script: "local t = {} for i = 1, 100000 do t[#t + 1] = string.format('%d:%s:%.3f', i, 'x', i / 3) end return #table.concat(t)" },
  { name: 'gmatch', script: "local s = string.rep('key:val ', 50000) local n = 0 for k, v in string.gmatch(s, '(%w+):(%w+)') do n = n + #k + #v end return n" },
  { name: 'calls_closures', script: 'local function f(a, b) return a + b end local s = 0 for i = 1, 2000000 do s = f(s, i) end return s' },
  { name: 'pcall_error', script: "local n = 0 for i = 1, 100000 do if not pcall(error, 'x') then n = n + 1 end end return n" },
  { name: 'table_churn', script: 'local n = 0 for i = 1, 200000 do local t = {i, i + 1, x = i} n = n + t[2] + t.x end return n' },
  { name: 'cjson_roundtrip', script: "local n = 0 for i = 1, 20000 do local s = cjson.encode({a = i, b = {1, 2, 3}, c = 'str'}) n = n + cjson.decode(s).a end return n" },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function runEngineBench(opts: { runs?: number; log?: (s: string) => void } = {}): Promise<BenchRow[]> {
  const runs = opts.runs ?? 7;
  const log = opts.log ?? (() => {});
  const engine = LuaEngine.createIsolated();
  const host = new StubHost();
  const vm = engine.createEvalVM(host);
  let oracle: Awaited<ReturnType<typeof startOracle>> | null = null;
  let conn: OracleConn | null = null;
  if (redisAvailable()) {
    oracle = await startOracle();
    conn = await OracleConn.connect(oracle.port);
  } else {
    log('redis-server 7.0 not found: redis columns are NaN');
  }
  const rows: BenchRow[] = [];
  try {
    for (const w of WORKLOADS) {
      const body = Buffer.from(w.script, 'latin1');
      const sha = sha1(body);
      const c = vm.compile(sha, body);
      if (!c.ok) throw new Error(w.name + ': ' + c.error.toString('latin1'));
      const mine: number[] = [];
      let first = '';
      for (let i = 0; i < runs + 1; i++) {
        // CPU time, not wall time: the bench box is shared, and CPU time is what the two sides compete on.
        const t = cpuMs();
        const r = vm.run(sha, [], [], 2);
        const dt = cpuMs() - t;
        if (!r.ok) throw new Error(w.name + ' failed: ' + r.err.toString('latin1'));
        if (i === 0) first = r.reply.toString('latin1');
        else mine.push(dt); // first run is warm-up (tier-up of the wasm code)
      }
      let theirs: number[] = [NaN];
      if (conn) {
        await conn.command(['SCRIPT', 'LOAD', body]);
        theirs = [];
        for (let i = 0; i < runs + 1; i++) {
          const t = await redisCpuMs(conn);
          const rep = await conn.command(['EVALSHA', sha, '0']);
          const dt = (await redisCpuMs(conn)) - t;
          if (i === 0 && rep.toString('latin1') !== first) throw new Error(`${w.name}: engine ${JSON.stringify(first)} != redis ${JSON.stringify(rep.toString('latin1'))}`);
          if (i > 0) theirs.push(dt);
        }
      }
      const row = rowCost(w.name, median(mine), median(theirs), 'ms');
      log(`${row.name.padEnd(16)} redlua ${row.redlua.toFixed(1).padStart(8)} cpu-ms   redis ${row.redis.toFixed(1).padStart(8)} cpu-ms   ratio ${row.ratio.toFixed(2)}`);
      rows.push(row);
    }

    // redis.call bridge: round-trips per second with a stub host (one JS crossing per call).
    const N = 200000;
    const bridgeHost = { call: () => PONG, log() {}, aclCheck: () => true, busy: () => 'continue' as const };
    const bvm = engine.createEvalVM(bridgeHost);
    const bbody = Buffer.from(`for i = 1, ${N} do redis.call('ping') end return 1`, 'latin1');
    const bsha = sha1(bbody);
    bvm.compile(bsha, bbody);
    const bt: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = cpuMs();
      bvm.run(bsha, [], [], 2);
      if (i) bt.push(cpuMs() - t);
    }
    const mineOps = N / (median(bt) / 1000);
    let redisOps = NaN;
    if (conn) {
      await conn.command(['SCRIPT', 'LOAD', bbody]);
      const rt: number[] = [];
      for (let i = 0; i < 4; i++) {
        const t = await redisCpuMs(conn);
        await conn.command(['EVALSHA', bsha, '0']);
        if (i) rt.push((await redisCpuMs(conn)) - t);
      }
      redisOps = N / (median(rt) / 1000);
    }
    const bridge = { ...rowRps('redis_call_per_sec', mineOps, redisOps), unit: 'calls/s' };
    log(`${bridge.name.padEnd(16)} redlua ${Math.round(mineOps)} calls/s (stub host)   redis ${Math.round(redisOps)} calls/s (real PING)   ratio ${bridge.ratio.toFixed(2)}`);
    rows.push(bridge);
    bvm.close();
  } finally {
    conn?.close();
    await oracle?.stop();
    vm.close();
  }
  void host;
  return rows;
}

const PONG = R.status('PONG');

/** This process's CPU time (user + system) in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** redis-server's CPU time (INFO cpu used_cpu_user + used_cpu_sys, microsecond resolution) in ms. */
async function redisCpuMs(conn: OracleConn): Promise<number> {
  const info = (await conn.command(['INFO', 'cpu'])).toString('latin1');
  const get = (k: string) => Number(new RegExp(`^${k}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return (get('used_cpu_user') + get('used_cpu_sys')) * 1000;
}

// `node dist/bench/engine.js` runs it standalone.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runEngineBench({ log: (s) => console.log(s) }).then((rows) => {
    const cpu = rows.filter((r) => r.unit === 'ms');
    const geo = Math.exp(cpu.reduce((a, r) => a + Math.log(r.ratio), 0) / cpu.length);
    console.log(`geometric mean ratio (CPU workloads, Redis's time / redlua's): ${geo.toFixed(2)}`);
  });
}
