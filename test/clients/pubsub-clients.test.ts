// Real clients as subscribers and stream readers: node-redis (RESP2 and RESP3) and ioredis. Also the XREAD BLOCK
// loop BullMQ's QueueEvents runs on its events stream.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { startServer, type RunningServer } from '../../src/index.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await sleep(5);
  }
}

describe('pub/sub and streams with real clients', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startServer({ log: false });
  });
  after(async () => {
    await srv.close();
  });

  for (const RESP of [2, 3] as const) {
    test(`node-redis RESP${RESP}: subscribe, pSubscribe, sSubscribe, unsubscribe`, async () => {
      const pub = createClient({ url: srv.url, RESP });
      const sub = pub.duplicate();
      pub.on('error', () => {});
      sub.on('error', () => {});
      await pub.connect();
      await sub.connect();
      try {
        const got: string[] = [];
        await sub.subscribe('nr-ch', (m, ch) => got.push(`${ch}:${m}`));
        await sub.pSubscribe('nr-*', (m, ch) => got.push(`p ${ch}:${m}`));
        await sub.sSubscribe('nr-shard', (m, ch) => got.push(`s ${ch}:${m}`));
        assert.equal(await pub.publish('nr-ch', 'one'), 2);
        assert.equal(await pub.publish('nr-other', 'two'), 1);
        assert.equal(await pub.sPublish('nr-shard', 'three'), 1);
        await until(() => got.length === 4);
        assert.deepEqual(got.sort(), ['nr-ch:one', 'p nr-ch:one', 'p nr-other:two', 's nr-shard:three'].sort());
        await sub.unsubscribe('nr-ch');
        await sub.pUnsubscribe('nr-*');
        await sub.sUnsubscribe('nr-shard');
        assert.equal(await pub.publish('nr-ch', 'gone'), 0);
        const numsub = (await pub.sendCommand(['PUBSUB', 'NUMSUB', 'nr-ch'])) as unknown[];
        assert.equal(Number(numsub[1]), 0);
      } finally {
        await sub.quit().catch(() => {});
        await pub.quit().catch(() => {});
      }
    });
  }

  test('node-redis RESP3: one connection subscribes and keeps running commands', async () => {
    const c = createClient({ url: srv.url, RESP: 3 });
    c.on('error', () => {});
    await c.connect();
    try {
      const got: string[] = [];
      await c.subscribe('r3', m => got.push(m));
      await c.set('r3key', 'v');
      assert.equal(await c.publish('r3', 'to-self'), 1);
      assert.equal(await c.get('r3key'), 'v');
      await until(() => got.length === 1);
      assert.deepEqual(got, ['to-self']);
    } finally {
      await c.quit().catch(() => {});
    }
  });

  test('ioredis: subscribe/psubscribe events and keyspace notifications', async () => {
    const pub = new Redis(srv.port, '127.0.0.1', { lazyConnect: true });
    const sub = new Redis(srv.port, '127.0.0.1', { lazyConnect: true });
    await pub.connect();
    await sub.connect();
    try {
      const got: string[] = [];
      sub.on('message', (ch: string, m: string) => got.push(`${ch}:${m}`));
      sub.on('pmessage', (p: string, ch: string, m: string) => got.push(`${p}|${ch}:${m}`));
      assert.equal(await sub.subscribe('io-a', 'io-b'), 2);
      assert.equal(await sub.psubscribe('__keyevent@0__:*'), 3);
      await pub.config('SET', 'notify-keyspace-events', 'E$t');
      await pub.publish('io-a', '1');
      await pub.publish('io-b', '2');
      await pub.set('io-k', 'v');
      await pub.xadd('io-s', '1-0', 'f', 'v');
      await until(() => got.length === 4);
      assert.deepEqual(got, ['io-a:1', 'io-b:2', '__keyevent@0__:*|__keyevent@0__:set:io-k', '__keyevent@0__:*|__keyevent@0__:xadd:io-s']);
      await pub.config('SET', 'notify-keyspace-events', '');
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  test('ioredis: XREAD BLOCK loop as BullMQ QueueEvents runs it', async () => {
    const reader = new Redis(srv.port, '127.0.0.1', { lazyConnect: true });
    const writer = new Redis(srv.port, '127.0.0.1', { lazyConnect: true });
    await reader.connect();
    await writer.connect();
    try {
      const seen: string[] = [];
      let stop = false;
      const loop = (async () => {
        let id = '$';
        while (!stop) {
          const r = (await reader.xread('BLOCK', 200, 'STREAMS', 'bull:q:events', id)) as [string, [string, string[]][]][] | null;
          if (!r) continue;
          for (const [, entries] of r) {
            for (const [eid, fields] of entries) {
              seen.push(fields[1]);
              id = eid;
            }
          }
        }
      })();
      await sleep(30);
      for (let i = 0; i < 20; i++) await writer.xadd('bull:q:events', 'MAXLEN', '~', '10000', '*', 'event', `e${i}`);
      await until(() => seen.length === 20);
      assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => `e${i}`));
      stop = true;
      await loop;
      // consumer group read + ack with ioredis
      await writer.xgroup('CREATE', 'bull:q:events', 'workers', '0');
      const r = (await reader.xreadgroup('GROUP', 'workers', 'w1', 'COUNT', '5', 'STREAMS', 'bull:q:events', '>')) as [string, [string, string[]][]][];
      assert.equal(r[0][1].length, 5);
      assert.equal(await writer.xack('bull:q:events', 'workers', ...r[0][1].map(e => e[0])), 5);
    } finally {
      reader.disconnect();
      writer.disconnect();
    }
  });
});
