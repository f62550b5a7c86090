// The embedding API: startServer's options and the handle it resolves to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, REDIS_VERSION } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';

test('defaults: a free port on 127.0.0.1, url, PONG, idempotent close', async () => {
  const a = await startServer({ log: false });
  const b = await startServer({ log: false });
  assert.equal(a.host, '127.0.0.1');
  assert.notEqual(a.port, b.port);
  assert.equal(a.url, `redis://127.0.0.1:${a.port}`);
  const c = await RawConn.connect(a.port);
  assert.equal((await c.call(['PING'])).toString(), '+PONG\r\n');
  await Promise.all([a.close(), a.close()]);
  await a.close();
  await c.waitClose();
  await b.close();
  assert.equal(REDIS_VERSION, '7.0.15');
});

test('config and configText are applied (config wins)', async () => {
  const srv = await startServer({ log: false, configText: 'requirepass fromtext\ndatabases 2\n', config: { requirepass: 'fromconfig', 'enable-debug-command': true } });
  try {
    const c = await RawConn.connect(srv.port);
    assert.equal((await c.call(['GET', 'x'])).toString(), '-NOAUTH Authentication required.\r\n');
    assert.equal((await c.call(['AUTH', 'fromtext'])).toString().slice(0, 10), '-WRONGPASS');
    assert.equal((await c.call(['AUTH', 'fromconfig'])).toString(), '+OK\r\n');
    assert.equal((await c.call(['SELECT', '1'])).toString(), '+OK\r\n');
    assert.equal((await c.call(['SELECT', '2'])).toString(), '-ERR DB index is out of range\r\n');
    assert.equal(srv.server.config.get('enable-debug-command'), 'yes');
    c.close();
  } finally {
    await srv.close();
  }
});

test('an invalid directive rejects with redis-server\'s report', async () => {
  await assert.rejects(startServer({ log: false, config: { port: 'abc' } }), /argument couldn't be parsed into an integer/);
  await assert.rejects(startServer({ log: false, configText: 'nosuch 1\n' }), /Bad directive or wrong number of arguments/);
});

test('the keyspace is reachable through the server object', async () => {
  const srv = await startServer({ log: false });
  try {
    const c = await RawConn.connect(srv.port);
    await c.call(['SET', 'k', 'v']);
    assert.equal(srv.server.dbs[0].size, 1);
    c.close();
  } finally {
    await srv.close();
  }
});
