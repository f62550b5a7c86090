// Memory spikes and what is given back (#23), against redis-server in the same run: RSS 10 s after each of a Lua
// memory bomb, a 512 MB value written and deleted, and a 500 MB output buffer whose client goes away; and, with
// maxmemory 50mb, that a write is accepted right after the bomb. Each scenario starts a fresh pair of servers.
// Run directly (node dist/bench/spikes.js [--smoke]) or via bench/run.ts (npm run bench -- --only spikes).
import net from 'node:net';
import { startRedisServer, startRedluaServer, rowCost, type BenchOptions, type BenchRow, type ServerProcess } from './lib.js';
import { Conn, runIfMain } from './common.js';
import { encodeCommand } from '../src/protocol/resp-value.js';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function expectReply(c: Conn, args: (string | Buffer | number)[], want: string): Promise<void> {
  const got = (await c.call(args)).toString('latin1');
  if (got !== want) throw new Error(`${args[0]}: ${JSON.stringify(got.slice(0, 200))}, expected ${JSON.stringify(want)}`);
}

/** Starts both servers with `extra`, runs `spike` against each, then records both RSS `settleMs` later. */
async function scenario(extra: string[], spike: (port: number) => Promise<void>, settleMs: number): Promise<{ lua: number; red: number; peakLua: number; peakRed: number }> {
  const pair: ServerProcess[] = [await startRedluaServer(extra), await startRedisServer(extra)];
  try {
    const peaks: number[] = [];
    for (const s of pair) {
      let peak = s.rss();
      const timer = setInterval(() => (peak = Math.max(peak, s.rss())), 50);
      try {
        await spike(s.port);
      } finally {
        clearInterval(timer);
      }
      peaks.push(Math.max(peak, s.rss()));
    }
    // both settle over the same wall-clock time after their own spike (redlua's ended first: it waits longer, which
    // only matters if it is still giving memory back; the figure is taken at settleMs after redis-server's spike)
    await sleep(settleMs);
    return { lua: pair[0].rss(), red: pair[1].rss(), peakLua: peaks[0], peakRed: peaks[1] };
  } finally {
    for (const s of pair) await s.stop();
  }
}

/** A script that builds `mb` MB of distinct Lua strings and returns their count. */
function bombScript(mb: number): string {
  return `local s = string.rep('x', 1048576) local t = {} for i = 1, ${mb} do t[i] = s .. i end return #t`;
}

async function luaBomb(port: number, mb: number): Promise<void> {
  const c = await Conn.connect(port);
  try {
    await expectReply(c, ['EVAL', bombScript(mb), 0], `:${mb}\r\n`);
    // maxmemory 50mb: what the script used is not data, so a write is accepted right away
    await expectReply(c, ['SET', 'after-the-bomb', 'v'], '+OK\r\n');
  } finally {
    c.close();
  }
}

/** Writes a `mb` MB value through the socket (a query buffer, then the value), then deletes it. */
async function bigValue(port: number, mb: number): Promise<void> {
  const c = await Conn.connect(port);
  try {
    await expectReply(c, ['SET', 'big', Buffer.alloc(mb * MB, 'x')], '+OK\r\n');
    await expectReply(c, ['STRLEN', 'big'], `:${mb * MB}\r\n`);
    await expectReply(c, ['DEL', 'big'], ':1\r\n');
  } finally {
    c.close();
  }
}

/**
 * A client that asks for `mb` LRANGEs of a 1 MB list (1024 elements of 1 KB: a reply each server builds) and never
 * reads: `mb` MB of output buffer, then it goes away.
 */
async function bigOutputBuffer(port: number, mb: number): Promise<void> {
  const c = await Conn.connect(port);
  const el = Buffer.alloc(1024, 'e');
  await expectReply(c, ['RPUSH', 'l', ...Array.from({ length: 1024 }, () => el)], ':1024\r\n');
  const sock = net.connect(port, '127.0.0.1');
  await new Promise(r => sock.once('connect', r));
  sock.pause(); // never reads: the replies queue in the server
  const cmd = encodeCommand(['LRANGE', 'l', 0, -1]);
  sock.write(Buffer.concat(Array.from({ length: mb }, () => cmd)));
  // until the server holds most of it (the kernel's socket buffers take a few MB)
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = (await c.call(['CLIENT', 'LIST'])).toString('latin1');
    const omem = Math.max(0, ...[...list.matchAll(/ omem=(\d+)/g)].map(m => Number(m[1])));
    if (omem >= (mb - 16) * MB || Date.now() > deadline) break;
    await sleep(50);
  }
  sock.destroy();
  await sleep(200);
  await expectReply(c, ['DEL', 'l'], ':1\r\n');
  c.close();
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const settle = opts.smoke ? 500 : 10_000;
  const bombMb = opts.smoke ? 32 : 1024;
  const valueMb = opts.smoke ? 8 : 512;
  const obufMb = opts.smoke ? 16 : 500;
  const rows: BenchRow[] = [];
  const add = (label: string, r: { lua: number; red: number; peakLua: number; peakRed: number }) => {
    rows.push(rowCost(`${label}: peak RSS`, r.peakLua, r.peakRed, 'bytes'));
    rows.push(rowCost(`${label}: RSS ${settle / 1000} s after`, r.lua, r.red, 'bytes'));
  };
  add(`Lua bomb of ${bombMb} MB (maxmemory 50mb)`, await scenario(['--maxmemory', '50mb'], p => luaBomb(p, bombMb), settle));
  add(`${valueMb} MB value SET then DEL`, await scenario([], p => bigValue(p, valueMb), settle));
  add(`${obufMb} MB output buffer, client gone`, await scenario([], p => bigOutputBuffer(p, obufMb), settle));
  return rows;
}

await runIfMain(import.meta.url, run);
