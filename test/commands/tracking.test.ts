// Client-side caching (CLIENT TRACKING): what the transcript differential cannot compare byte for byte (client IDs
// in the messages, the table limit's choice of keys, INFO counters) and node-redis's clientSideCache end to end.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';

/** Waits until `cond` holds (the event itself, not a time guess), polling the server with PING on `c`. */
async function until(c: RawConn, cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await c.call(['PING']);
  }
}

function infoField(info: Buffer, name: string): number {
  const m = new RegExp(`\\r\\n${name}:(\\d+)`).exec(info.toString('latin1'));
  assert.ok(m, `INFO has ${name}`);
  return Number(m[1]);
}

describe('client tracking', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startServer({ log: false });
  });
  after(async () => {
    await srv.close();
  });

  test('a redirection to a client that went away: tracking-redir-broken push and the R flag', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    const w = await RawConn.connect(srv.port);
    try {
      await a.call(['HELLO', '3']);
      const bid = { n: Number((await b.call(['CLIENT', 'ID'])).toString().slice(1, -2)) };
      assert.equal((await a.call(['CLIENT', 'TRACKING', 'on', 'REDIRECT', String(bid.n)])).toString(), '+OK\r\n');
      await a.call(['GET', 'rb']);
      b.close();
      await until(w, async () => !(await w.call(['CLIENT', 'LIST'])).toString().includes(`id=${bid.n} `), 'the redirect target to go');
      assert.equal((await w.call(['SET', 'rb', '1'])).toString(), '+OK\r\n');
      const push = (await a.readRaw()).raw.toString('latin1');
      assert.equal(push, `>2\r\n$21\r\ntracking-redir-broken\r\n:${bid.n}\r\n`);
      assert.match((await a.call(['CLIENT', 'TRACKINGINFO'])).toString('latin1'), /\$15\r\nbroken_redirect\r\n/);
      assert.match((await a.call(['CLIENT', 'INFO'])).toString('latin1'), / flags=tR /);
    } finally {
      a.close();
      w.close();
    }
  });

  test('tracking-table-max-keys: keys over the limit are forgotten and their clients invalidated', async () => {
    const a = await RawConn.connect(srv.port);
    const w = await RawConn.connect(srv.port);
    try {
      await w.call(['CONFIG', 'SET', 'tracking-table-max-keys', '2']);
      await a.call(['HELLO', '3']);
      await a.call(['CLIENT', 'TRACKING', 'on']);
      // before each command, keys over the limit are forgotten: the pushes may come ahead of a GET's own reply
      for (const k of ['m1', 'm2', 'm3', 'm4']) a.send(['GET', k]);
      const got: string[] = [];
      while (got.filter(g => g === '_\r\n').length < 4) got.push((await a.readRaw()).raw.toString('latin1'));
      // GET m4 found 3 keys tracked: one was forgotten first; w's command finds 3 again
      await w.call(['PING']);
      got.push((await a.readRaw()).raw.toString('latin1'));
      const inval = got.filter(g => g !== '_\r\n');
      assert.equal(inval.length, 2);
      for (const g of inval) assert.match(g, /^>2\r\n\$10\r\ninvalidate\r\n\*1\r\n\$2\r\nm[1-4]\r\n$/);
      assert.equal(await a.readWithin(50), null);
      const info = await w.call(['INFO', 'stats']);
      assert.equal(infoField(info, 'tracking_total_keys'), 2);
      assert.equal(infoField(info, 'tracking_total_items'), 2);
    } finally {
      await w.call(['CONFIG', 'SET', 'tracking-table-max-keys', '1000000']);
      a.close();
      w.close();
    }
  });

  test('INFO counts tracking clients, keys, items and prefixes; CLIENT REPLY OFF still gets invalidations', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    const w = await RawConn.connect(srv.port);
    try {
      await w.call(['FLUSHALL']);
      await a.call(['HELLO', '3']);
      await b.call(['HELLO', '3']);
      await a.call(['CLIENT', 'TRACKING', 'on']);
      await b.call(['CLIENT', 'TRACKING', 'on']);
      await a.call(['MGET', 'i1', 'i2']);
      await b.call(['GET', 'i1']);
      const info = await w.call(['INFO']);
      assert.equal(infoField(info, 'tracking_clients'), 2);
      assert.equal(infoField(info, 'tracking_total_keys'), 2);
      assert.equal(infoField(info, 'tracking_total_items'), 3);
      await b.call(['CLIENT', 'TRACKING', 'off']);
      await b.call(['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p', 'PREFIX', 'q']);
      assert.equal(infoField(await w.call(['INFO']), 'tracking_total_prefixes'), 2);
      // a client that silenced its replies still receives the pushes (CLIENT_PUSHING)
      a.send(['CLIENT', 'REPLY', 'OFF']);
      a.send(['GET', 'i3']);
      await until(w, async () => infoField(await w.call(['INFO']), 'tracking_total_keys') === 3, 'the silenced GET to be tracked');
      await w.call(['SET', 'i3', 'x']);
      assert.equal((await a.readRaw()).raw.toString('latin1'), '>2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\ni3\r\n');
      b.close();
      await until(w, async () => infoField(await w.call(['INFO']), 'tracking_total_prefixes') === 0, 'the prefixes to go');
    } finally {
      a.close();
      w.close();
    }
  });

  for (const RESP of [3] as const) {
    test(`node-redis clientSideCache serves fresh values after another client writes (RESP${RESP})`, async () => {
      const cached = createClient({ url: srv.url, RESP, clientSideCache: { ttl: 0, maxEntries: 0 } });
      const writer = createClient({ url: srv.url });
      cached.on('error', () => {});
      writer.on('error', () => {});
      await cached.connect();
      await writer.connect();
      try {
        await writer.set('csc', 'v1');
        assert.equal(await cached.get('csc'), 'v1');
        assert.equal(await cached.get('csc'), 'v1'); // served from the local cache
        const cache = cached.clientSideCache!;
        assert.equal(cache.size(), 1);
        await writer.set('csc', 'v2');
        // the invalidation push empties the local entry: the next GET reads the new value from the server
        const deadline = Date.now() + 20000;
        while (cache.size() !== 0) {
          if (Date.now() > deadline) throw new Error('no invalidation reached the client');
          await cached.ping();
        }
        assert.equal(await cached.get('csc'), 'v2');
        await writer.flushAll();
        while (cache.size() !== 0) {
          if (Date.now() > deadline) throw new Error('no flush invalidation reached the client');
          await cached.ping();
        }
        assert.equal(await cached.get('csc'), null);
      } finally {
        cached.destroy();
        writer.destroy();
      }
    });
  }
});
