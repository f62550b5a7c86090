// Expiry: lazy and active expiry, DEBUG SET-ACTIVE-EXPIRE, notifications for expire/expired/del/persist.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import type { RespValue } from '../../src/protocol/resp-value.js';

let srv: RunningServer;
let c: RawConn;
const call = async (...a: (string | Buffer | number)[]) => (await c.call(a)).toString('latin1');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

before(async () => {
  srv = await startServer({ log: false, config: { 'enable-debug-command': 'yes', hz: 100 } });
  c = await RawConn.connect(srv.port);
});
after(async () => {
  c.close();
  await srv.close();
});

test('active expiry reclaims keys nobody touches; DEBUG SET-ACTIVE-EXPIRE 0 stops it', async () => {
  await call('FLUSHALL');
  await call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  for (let i = 0; i < 50; i++) await call('SET', `k${i}`, 'v', 'PX', '20');
  await sleep(150);
  assert.equal(await call('DBSIZE'), ':50\r\n');
  await call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
  const deadline = Date.now() + 3000;
  while ((await call('DBSIZE')) !== ':0\r\n' && Date.now() < deadline) await sleep(20);
  assert.equal(await call('DBSIZE'), ':0\r\n');
});

test('active expiry keeps up with a burst of 50k keys expiring at once', async () => {
  await call('FLUSHALL');
  const when = Date.now() + 300;
  for (let i = 0; i < 50000; i += 1000) {
    const batch: (string | number)[][] = [];
    for (let j = i; j < i + 1000; j++) batch.push(['SET', `b${j}`, 'v', 'PXAT', when]);
    for (const b of batch) c.send(b);
    for (let j = 0; j < batch.length; j++) await c.readRaw();
  }
  await call('SET', 'persistent', 'v');
  const deadline = when + 4000;
  let worst = 0;
  while (Date.now() < deadline) {
    const t = performance.now();
    const n = await call('DBSIZE');
    worst = Math.max(worst, performance.now() - t);
    if (n === ':1\r\n') break;
    await sleep(10);
  }
  assert.equal(await call('DBSIZE'), ':1\r\n');
  assert.ok(worst < 500, `a client waited ${worst} ms`);
});

async function collect(steps: (string | number)[][]): Promise<string[]> {
  const sub = await RawConn.connect(srv.port);
  await call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  await sub.call(['PSUBSCRIBE', '__keyevent@0__:*']);
  for (const s of steps) await c.call(s);
  await call('CONFIG', 'SET', 'notify-keyspace-events', '');
  await call('PUBLISH', 'x', 'y');
  const out: string[] = [];
  for (;;) {
    const v = (await sub.readRaw(1000).catch(() => null))?.value as (RespValue & { a: RespValue[] }) | undefined;
    if (!v) break;
    const parts = v.a.map(x => ('b' in x && x.b ? x.b.toString('latin1') : ''));
    out.push(`${parts[2].replace('__keyevent@0__:', '')} ${parts[3]}`);
    if (out.length >= steps.length * 3) break;
    if (parts[3] === 'end') break;
  }
  sub.close();
  return out;
}

test('keyspace events: expire, persist, del for a TTL in the past, expired on lazy access', async () => {
  await call('FLUSHALL');
  await call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  try {
    const ev = await collect([
      ['SET', 'a', '1'],
      ['EXPIRE', 'a', '100'],
      ['PERSIST', 'a'],
      ['EXPIRE', 'a', '-1'],
      ['SET', 'b', '1', 'PX', '1'],
      ['DEBUG', 'SLEEP', '0.01'],
      ['GET', 'b'],
      ['SET', 'end', 'end'],
    ]);
    assert.deepEqual(ev, ['set a', 'expire a', 'persist a', 'del a', 'set b', 'expire b', 'expired b', 'set end']);
  } finally {
    await call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
  }
});
