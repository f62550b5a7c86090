// Stream and pub/sub benchmarks against redis-server: XADD, XRANGE of 100 entries (unpipelined and -P 16),
// XREADGROUP+XACK by 10 consumers, and PUBLISH to 50 subscribers.
// Run directly (node dist/bench/streams.js [--smoke]) or via bench/run.ts.
import { parseReply } from '../src/protocol/resp-value.js';
import { compareBenchmark, redisBenchmark, rowRps, type BenchOptions, type BenchRow } from './lib.js';
import { Conn, runIfMain } from './common.js';

async function populate(port: number, key: string, n: number): Promise<void> {
  const c = await Conn.connect(port);
  await c.call(['DEL', key]);
  const pending: Promise<Buffer>[] = [];
  for (let i = 1; i <= n; i++) pending.push(c.call(['XADD', key, `${i}-0`, 'field', `value:${i}`, 'n', i]));
  await Promise.all(pending);
  c.close();
}

/** `consumers` clients loop XREADGROUP COUNT 1 + XACK over a pre-filled stream; returns read+ack pairs per second. */
async function readgroupAck(port: number, consumers: number, total: number): Promise<number> {
  await populate(port, 'xgbench', total);
  const admin = await Conn.connect(port);
  await admin.call(['XGROUP', 'CREATE', 'xgbench', 'g', '0']);
  const clients: Conn[] = [];
  for (let i = 0; i < consumers; i++) clients.push(await Conn.connect(port));
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      for (;;) {
        const r = await c.call(['XREADGROUP', 'GROUP', 'g', `c${i}`, 'COUNT', 1, 'STREAMS', 'xgbench', '>']);
        const v = parseReply(r, 0)![0];
        if (v.t !== '*' || v.a === null) return;
        const entries = (v.a[0] as { a: { a: { b: Buffer }[] }[] }).a[1].a;
        const id = (entries[0] as unknown as { a: { b: Buffer }[] }).a[0].b.toString();
        await c.call(['XACK', 'xgbench', 'g', id]);
        done++;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  for (const c of clients) c.close();
  await admin.call(['DEL', 'xgbench']);
  admin.close();
  return done / secs;
}

/** One publisher, unpipelined, `subs` subscribers that all receive every message; returns PUBLISH per second. */
async function publishFanout(port: number, subs: number, total: number): Promise<number> {
  const subscribers: Conn[] = [];
  let received = 0;
  const expected = subs * total;
  let resolve!: () => void;
  const all = new Promise<void>(r => (resolve = r));
  for (let i = 0; i < subs; i++) {
    const s = await Conn.connect(port);
    await s.call(['SUBSCRIBE', 'bench:fanout']);
    s.onUnsolicited = () => {
      if (++received === expected) resolve();
    };
    subscribers.push(s);
  }
  const pubs: Conn[] = [];
  for (let i = 0; i < 4; i++) pubs.push(await Conn.connect(port));
  const payload = 'x'.repeat(32);
  const per = Math.floor(total / pubs.length);
  const t0 = performance.now();
  await Promise.all(
    pubs.map(async p => {
      for (let i = 0; i < per; i++) await p.call(['PUBLISH', 'bench:fanout', payload]);
    }),
  );
  if (per * pubs.length === total) await all;
  const secs = (performance.now() - t0) / 1000;
  for (const s of subscribers) s.close();
  for (const p of pubs) p.close();
  return (per * pubs.length) / secs;
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const requests = opts.smoke ? 2000 : 100000;
  const rounds = opts.smoke ? 1 : 2;
  const rows: BenchRow[] = [];
  for (const port of [opts.redluaPort, opts.redisPort]) await populate(port, 'xbench', 1000);
  // warm-up (JIT) on both servers before measuring
  for (const port of [opts.redluaPort, opts.redisPort]) {
    redisBenchmark({ port, command: ['XADD', 'xwarm', 'MAXLEN', '~', '1000', '*', 'field', 'value'], requests: opts.smoke ? 2000 : 20000 });
    redisBenchmark({ port, command: ['XRANGE', 'xbench', '-', '+', 'COUNT', '100'], requests: opts.smoke ? 500 : 5000 });
  }
  for (const pipeline of [1, 16]) {
    const label = pipeline > 1 ? ` (-P ${pipeline})` : '';
    rows.push(
      ...compareBenchmark(
        `XADD${label}`,
        { command: ['XADD', 'xaddbench', 'MAXLEN', '~', '100000', '*', 'field', 'value'], requests, pipeline },
        opts.redluaPort,
        opts.redisPort,
        rounds,
      ).map(r => ({ ...r, name: `XADD${label}` })),
      ...compareBenchmark(
        `XRANGE 100${label}`,
        { command: ['XRANGE', 'xbench', '-', '+', 'COUNT', '100'], requests: opts.smoke ? 1000 : 50000, pipeline },
        opts.redluaPort,
        opts.redisPort,
        rounds,
      ).map(r => ({ ...r, name: `XRANGE 100 entries${label}` })),
    );
  }
  const total = opts.smoke ? 1000 : 50000;
  const redG = await readgroupAck(opts.redisPort, 10, total);
  const luaG = await readgroupAck(opts.redluaPort, 10, total);
  rows.push(rowRps('XREADGROUP+XACK, 10 consumers', luaG, redG));
  const pubTotal = opts.smoke ? 400 : 20000;
  const redP = await publishFanout(opts.redisPort, 50, pubTotal);
  const luaP = await publishFanout(opts.redluaPort, 50, pubTotal);
  rows.push(rowRps('PUBLISH to 50 subscribers', luaP, redP));
  return rows;
}

// Direct execution: start both servers, run, print.
await runIfMain(import.meta.url, run);
