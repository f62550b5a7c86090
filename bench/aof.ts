// AOF benchmarks (issue #16): unpipelined SET (50 clients) on redlua and redis-server with appendonly no, with
// appendfsync everysec and with appendfsync always, each server in its own data directory; the goal row compares
// redlua with AOF (everysec) to redlua without it (≥ 0.8×).
// Run directly (node dist/bench/aof.js [--smoke]) or via bench/run.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareBenchmark, startRedisServer, startRedluaServer, type BenchOptions, type BenchRow, type ServerProcess } from './lib.js';
import { runIfMain } from './common.js';

const AOF_ARGS = (dir: string, fsync: string) => ['--dir', dir, '--appendonly', 'yes', '--appendfsync', fsync, '--aof-use-rdb-preamble', 'no', '--auto-aof-rewrite-percentage', '0'];

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const requests = opts.smoke ? 2000 : 200000;
  const rounds = opts.smoke ? 1 : 3;
  const rows: BenchRow[] = [];
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-bench-aof-'));
    dirs.push(d);
    return d;
  };
  const set = { tests: ['set'], clients: 50, requests, keyspace: 100000 };
  try {
    // appendonly no: the servers bench/run.ts started
    const plain = compareBenchmark(' (appendonly no)', set, opts.redluaPort, opts.redisPort, rounds);
    rows.push(...plain);
    for (const fsync of ['everysec', 'always']) {
      const lua = await startRedluaServer(AOF_ARGS(tmp(), fsync));
      const red = await startRedisServer(AOF_ARGS(tmp(), fsync));
      servers.push(lua, red);
      const r = compareBenchmark(` (appendfsync ${fsync})`, { ...set, requests: fsync === 'always' ? Math.floor(requests / 4) : requests }, lua.port, red.port, rounds);
      rows.push(...r);
      if (fsync === 'everysec') {
        // the goal: redlua with AOF against redlua without it, measured interleaved
        const vs = compareBenchmark('', set, lua.port, opts.redluaPort, rounds)[0];
        rows.push({ ...vs, name: 'redlua SET everysec ÷ redlua SET without AOF' });
      }
      await lua.stop();
      await red.stop();
    }
  } finally {
    for (const s of servers) await s.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
  return rows;
}

// Direct execution: start both servers, run, print.
await runIfMain(import.meta.url, run);
