// The socketless in-process client (src/embed/local-client.ts): same replies as a TCP client, in order, with MULTI, errors, blocking and pub/sub.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ReplyError, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { parseReply } from '../../src/protocol/resp-value.js';

let srv: RunningServer;
before(async () => {
  srv = await startServer({ log: false });
});
after(async () => {
  await srv.close();
});

test('call returns plain values; send returns the RESP value', async () => {
  const c = srv.client();
  assert.equal(await c.call('SET', 'k', 'v'), 'OK');
  assert.equal(await c.call('GET', 'k'), 'v');
  assert.equal(await c.call('INCRBY', 'n', 5), 5);
  assert.deepEqual(await c.send('GET', 'nosuch'), { t: '$', b: null });
  assert.deepEqual(await c.call('EVAL', "return {1, 'a', redis.call('get', KEYS[1])}", 1, 'k'), [1, 'a', 'v']);
  c.close();
});

test('error replies reject with ReplyError carrying the exact text', async () => {
  const c = srv.client();
  await assert.rejects(c.call('LPUSH'), (e: unknown) => e instanceof ReplyError && e.message === "ERR wrong number of arguments for 'lpush' command");
  await c.call('SET', 's', 'x');
  await assert.rejects(c.call('LPUSH', 's', 'a'), /^ReplyError: WRONGTYPE Operation against a key holding the wrong kind of value$/);
  c.close();
});

test('the same bytes as a socket client, concurrent calls resolve in order, MULTI/EXEC', async () => {
  const c = srv.client();
  const tcp = await RawConn.connect(srv.port);
  await c.call('HSET', 'h', 'f', '1');
  for (const cmd of [['HELLO', '3'], ['HGETALL', 'h'], ['SMEMBERS', 'nosuch'], ['OBJECT', 'ENCODING', 'h'], ['EVAL', 'return redis.setresp(3)', '0']]) {
    const local = await c.send(...cmd);
    const remote = parseReply(await tcp.call(cmd));
    assert.ok(remote);
    if (cmd[0] === 'HELLO') continue; // id differs
    assert.deepEqual(local, remote[0], cmd.join(' '));
  }
  tcp.close();
  const [a, b, d] = await Promise.all([c.call('MULTI'), c.call('INCR', 'm'), c.call('EXEC')]);
  assert.deepEqual([a, b, d], ['OK', 'QUEUED', [1]]);
  c.close();
});

test('a blocking command resolves when another client pushes', async () => {
  const c1 = srv.client();
  const c2 = srv.client();
  const p = c1.call('BLPOP', 'q', 0);
  assert.equal(await c2.call('RPUSH', 'q', 'x'), 1);
  assert.deepEqual(await p, ['q', 'x']);
  c1.close();
  c2.close();
});

test('pub/sub messages go to onPush; close rejects pending calls', async () => {
  const sub = srv.client();
  const got: unknown[] = [];
  sub.onPush = v => got.push(v);
  await sub.send('SUBSCRIBE', 'ch');
  const pubc = srv.client();
  assert.equal(await pubc.call('PUBLISH', 'ch', 'hello'), 1);
  for (let i = 0; i < 1000 && got.length === 0; i++) await new Promise(r => setImmediate(r));
  assert.deepEqual(got, [{ t: '*', a: [{ t: '$', b: Buffer.from('message') }, { t: '$', b: Buffer.from('ch') }, { t: '$', b: Buffer.from('hello') }] }]);
  const pending = srv.client();
  const p = pending.call('BLPOP', 'never', 0);
  pending.close();
  await assert.rejects(p, /connection closed/);
  sub.close();
  pubc.close();
});
