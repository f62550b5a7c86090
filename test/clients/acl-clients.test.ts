// ioredis and node-redis logging in as named ACL users (username/password options) and hitting NOPERM.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startServer, type RunningServer } from '../../src/index.js';

describe('ACL users from clients', () => {
  let srv: RunningServer;
  let admin: Redis;
  before(async () => {
    srv = await startServer({ log: false });
    admin = new Redis(srv.port, '127.0.0.1', { lazyConnect: true });
    await admin.connect();
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>s3cret', '~app:*', '&app.*', '-@all', '+@read', '+@write', '+@connection', '-@dangerous', '+publish');
  });
  after(async () => {
    admin.disconnect();
    await srv.close();
  });

  test('ioredis: username/password, allowed and denied commands, wrong password', async () => {
    const c = new Redis({ port: srv.port, host: '127.0.0.1', username: 'app', password: 's3cret', lazyConnect: true, maxRetriesPerRequest: 0 });
    await c.connect();
    try {
      assert.equal(await c.call('ACL', 'WHOAMI').catch(e => (e as Error).message), "NOPERM this user has no permissions to run the 'acl|whoami' command");
      assert.equal(await c.set('app:1', 'v'), 'OK');
      assert.equal(await c.get('app:1'), 'v');
      await assert.rejects(c.get('other'), /^ReplyError: NOPERM this user has no permissions to access one of the keys used as arguments/);
      await assert.rejects(c.flushall(), /NOPERM this user has no permissions to run the 'flushall' command/);
      await assert.rejects(c.publish('news', 'x'), /NOPERM this user has no permissions to access one of the channels used as arguments/);
      assert.equal(await c.publish('app.news', 'x'), 0);
      const client = (await c.client('INFO')) as string;
      assert.match(client, / user=app /);
    } finally {
      c.disconnect();
    }
    await assert.rejects(admin.call('AUTH', 'app', 'nope'), /WRONGPASS invalid username-password pair or user is disabled/);
    const log = (await admin.call('ACL', 'LOG', '1')) as unknown[][];
    assert.deepEqual(log[0].slice(0, 10), ['count', 1, 'reason', 'auth', 'context', 'toplevel', 'object', 'AUTH', 'username', 'app']);
  });

  for (const RESP of [2, 3] as const) {
    test(`node-redis RESP${RESP}: username/password (HELLO AUTH on RESP3) and NOPERM`, async () => {
      const c = createClient({ url: `redis://app:s3cret@127.0.0.1:${srv.port}`, RESP });
      c.on('error', () => {});
      await c.connect();
      try {
        assert.equal(await c.set('app:2', 'w'), 'OK');
        assert.equal(await c.get('app:2'), 'w');
        await assert.rejects(c.get('nope'), /NOPERM this user has no permissions to access one of the keys used as arguments/);
        await assert.rejects(c.sendCommand(['CONFIG', 'GET', 'maxmemory']), /NOPERM this user has no permissions to run the 'config|get' command/);
      } finally {
        c.destroy();
      }
    });
  }

  test('a deleted user loses its connections; CLIENT KILL USER', async () => {
    await admin.call('ACL', 'SETUSER', 'temp', 'on', 'nopass', '~*', '&*', '+@all');
    const a = new Redis({ port: srv.port, host: '127.0.0.1', username: 'temp', password: 'x', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    a.on('error', () => {});
    await a.connect();
    const closed = new Promise(res => a.once('end', res));
    assert.equal(await admin.call('ACL', 'DELUSER', 'temp'), 1);
    await closed;
    await admin.call('ACL', 'SETUSER', 'temp', 'on', 'nopass', '~*', '&*', '+@all');
    const b = new Redis({ port: srv.port, host: '127.0.0.1', username: 'temp', password: 'x', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    b.on('error', () => {});
    await b.connect();
    const closedB = new Promise(res => b.once('end', res));
    assert.equal(await admin.client('KILL', 'USER', 'temp'), 1);
    await closedB;
    await assert.rejects(admin.client('KILL', 'USER', 'nobody'), /ERR No such user 'nobody'/);
    await admin.call('ACL', 'DELUSER', 'temp');
  });
});
