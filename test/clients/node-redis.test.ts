// node-redis (the `redis` package) against redlua over RESP2 and RESP3.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, RESP_TYPES } from 'redis';
import { startServer, type RunningServer } from '../../src/index.js';

describe('node-redis', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startServer({ log: false });
  });
  after(async () => {
    await srv.close();
  });

  for (const RESP of [2, 3] as const) {
    test(`RESP${RESP}: basic commands, pipelines and errors`, async () => {
      const client = createClient({ url: srv.url, RESP });
      client.on('error', () => {});
      await client.connect();
      try {
        assert.equal(await client.ping(), 'PONG');
        assert.equal(await client.set(`s${RESP}`, 'v'), 'OK');
        assert.equal(await client.get(`s${RESP}`), 'v');
        assert.equal(await client.incr(`n${RESP}`), 1);
        assert.equal(await client.get('missing'), null);
        // implicit pipelining of concurrent commands
        const many = await Promise.all(Array.from({ length: 1000 }, (_, i) => client.echo(String(i))));
        assert.deepEqual(many, Array.from({ length: 1000 }, (_, i) => String(i)));
        await client.rPush(`l${RESP}`, ['a', 'b']);
        assert.deepEqual(await client.lRange(`l${RESP}`, 0, -1), ['a', 'b']);
        await assert.rejects(client.sendCommand(['NOSUCH']), /ERR unknown command 'NOSUCH'/);
        await assert.rejects(client.lPush(`s${RESP}`, 'x'), /WRONGTYPE Operation against a key holding the wrong kind of value/);
        if (RESP === 3) {
          // RESP3 replies are decoded natively: a double for ZSCORE
          await client.zAdd(`z${RESP}`, [{ score: 1.5, value: 'm' }]);
          assert.equal(await client.zScore(`z${RESP}`, 'm'), 1.5);
          const hello = (await client.sendCommand(['HELLO', '3'])) as unknown;
          const proto = hello instanceof Map ? hello.get('proto') : (hello as Record<string, unknown>).proto;
          assert.equal(proto, 3);
        }
        assert.equal(await client.ping(), 'PONG');
      } finally {
        client.destroy();
      }
    });

    test(`RESP${RESP}: DUMP / RESTORE as node-redis's own tests use them`, async () => {
      const client = createClient({ url: srv.url, RESP });
      client.on('error', () => {});
      await client.connect();
      try {
        await client.set(`key${RESP}`, 'value');
        const dump = await client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).dump(`key${RESP}`);
        assert.ok(Buffer.isBuffer(dump));
        assert.equal(await client.restore(`destination${RESP}`, 0, dump), 'OK');
        assert.equal(await client.get(`destination${RESP}`), 'value');
        assert.equal(await client.restore(`destination${RESP}`, Date.now() + 60000, dump, { REPLACE: true, ABSTTL: true, IDLETIME: 10 }), 'OK');
        assert.ok((await client.ttl(`destination${RESP}`)) > 0);
        await assert.rejects(client.restore(`destination${RESP}`, 0, dump), /BUSYKEY/);
        await assert.rejects(client.restore(`x${RESP}`, 0, dump, { FREQ: 300 }), /Invalid FREQ value, must be >= 0 and <= 255/);
        assert.equal(await client.dump('missing'), null);
      } finally {
        client.destroy();
      }
    });
  }
});
