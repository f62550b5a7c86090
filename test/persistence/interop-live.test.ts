// Live interop with redis-server 7.0.15 (skipped when it is not installed): random values of every type built on both
// servers must DUMP to the same bytes (deterministic encodings), and each server must RESTORE the other's payloads
// to the same encoding and content (DEBUG DIGEST-VALUE on redis-server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type RunningServer } from '../../src/index.js';
import { redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';

const available = redisServerAvailable();
let oracle: Oracle;
let srv: RunningServer;
let a: Redis;
let b: Redis;

before(async () => {
  if (!available) return;
  oracle = await startRedis();
  srv = await startServer({ log: false });
  a = new Redis(oracle.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  b = new Redis(srv.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
});
after(async () => {
  if (!available) return;
  a.disconnect();
  b.disconnect();
  await srv.close();
  await oracle.stop();
});

test('random values: same DUMP bytes, cross RESTORE to the same encoding and content', { skip: !available && 'redis-server not installed' }, async () => {
  let seed = 20240601;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(arr: T[]): T => arr[Math.floor(rnd() * arr.length)];
  const val = (): string => {
    const k = rnd();
    if (k < 0.3) return String(Math.floor((rnd() - 0.5) * 2 ** (1 + Math.floor(rnd() * 62))));
    if (k < 0.4) return (rnd() * 1000 - 500).toString();
    if (k < 0.5) return 'x'.repeat(Math.floor(rnd() * 300));
    if (k < 0.55) return '';
    return Buffer.from(Array.from({ length: Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256))).toString('latin1');
  };
  const score = (): string => pick(['1', '-1', '0', '-0', '1.5', '1e20', '1e-10', 'inf', '-inf', '3.14159265358979', '9007199254740993', String(rnd() * 1e6), String(-rnd()), '4611686018427387905']);
  for (let iter = 0; iter < 80; iter++) {
    const cmds: string[][] = [];
    const t = pick(['list', 'set', 'zset', 'hash', 'stream', 'string']);
    const cnt = 1 + Math.floor(rnd() * (rnd() < 0.2 ? 400 : 20));
    if (t === 'string') cmds.push(['set', 'k', val()]);
    if (t === 'list') cmds.push(['rpush', 'k', ...Array.from({ length: cnt }, val)]);
    if (t === 'set') cmds.push(['sadd', 'k', ...Array.from({ length: cnt }, () => (rnd() < 0.8 ? String(Math.floor((rnd() - 0.5) * 2 ** 40)) : val()))]);
    if (t === 'zset') cmds.push(['zadd', 'k', ...Array.from({ length: cnt }, () => [score(), val()]).flat()]);
    if (t === 'hash') cmds.push(['hset', 'k', ...Array.from({ length: cnt }, () => [val(), val()]).flat()], ['hdel', 'k', val()]);
    if (t === 'stream') {
      for (let i = 0; i < cnt; i++) cmds.push(['xadd', 'k', `${i + 1}-${Math.floor(rnd() * 3)}`, ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => [pick(['f', 'g', val()]), val()]).flat()]);
      cmds.push(['xdel', 'k', '1-0', '2-1', '3-2'], ['xtrim', 'k', 'maxlen', String(Math.floor(cnt / 2))], ['xgroup', 'create', 'k', 'g', '0']);
    }
    for (const r of [a, b]) {
      await r.flushall();
      for (const c of cmds) await r.call(c[0], ...c.slice(1)).catch(() => undefined);
    }
    const da = (await a.callBuffer('dump', 'k')) as Buffer | null;
    const db = (await b.callBuffer('dump', 'k')) as Buffer | null;
    if (!da && !db) continue;
    const what = `${t} ${JSON.stringify(cmds).slice(0, 200)}`;
    const enc = await a.call('object', 'encoding', 'k');
    if (enc !== 'hashtable') assert.ok(Buffer.isBuffer(da) && Buffer.isBuffer(db) && da.equals(db), `DUMP differs: ${what}`);
    await b.callBuffer('restore', 'k2', '0', da!);
    await a.callBuffer('restore', 'k4', '0', da!);
    assert.equal(await b.call('object', 'encoding', 'k2'), await a.call('object', 'encoding', 'k4'), what);
    const back = (await b.callBuffer('dump', 'k2')) as Buffer;
    await a.callBuffer('restore', 'k3', '0', back);
    if (enc !== 'hashtable') assert.ok(back.equals(da!), `re-DUMP differs: ${what}`);
    assert.equal(String(await a.call('debug', 'digest-value', 'k3')), String(await a.call('debug', 'digest-value', 'k')), what);
  }
});
