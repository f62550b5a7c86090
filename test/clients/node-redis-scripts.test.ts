// Real-client test: node-redis defineScript (EVALSHA, NOSCRIPT fallback to EVAL), FUNCTION/FCALL and RESP3 conversions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, defineScript, type CommandParser } from 'redis';
import { startServer, type RunningServer } from '../../src/index.js';

const scripts = {
  add: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: "local v = redis.call('get', KEYS[1]) or 0 return redis.call('set', KEYS[1], v + ARGV[1]) and redis.call('get', KEYS[1])",
    parseCommand(parser: CommandParser, key: string, n: number) {
      parser.pushKey(key);
      parser.push(String(n));
    },
    transformReply: undefined as unknown as () => string,
  }),
};

let srv: RunningServer;
let client: ReturnType<typeof createClient<{}, {}, typeof scripts>>;

before(async () => {
  srv = await startServer({ log: false });
  client = createClient({ url: srv.url, scripts });
  await client.connect();
});
after(async () => {
  await client.quit();
  await srv.close();
});

test('defineScript: EVALSHA falls back to EVAL on NOSCRIPT', async () => {
  await client.scriptFlush();
  await client.del('x');
  assert.equal(await client.add('x', 3), '3');
  assert.equal(await client.add('x', 4), '7');
  await client.scriptFlush();
  assert.equal(await client.add('x', 1), '8');
});

test('EVAL, FCALL and script errors', async () => {
  assert.deepEqual(await client.eval("return {1, 'a', {ok='OK'}}", { keys: [], arguments: [] }), [1, 'a', 'OK']);
  await client.sendCommand(['FUNCTION', 'FLUSH']);
  await client.sendCommand(['FUNCTION', 'LOAD', "#!lua name=nrlib\nredis.register_function{function_name='ro', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}"]);
  assert.equal(await client.fCallRo('ro', { keys: ['x'], arguments: [] }), '8');
  await assert.rejects(client.eval('error("boom")'), /ERR user_script:1: boom script: [0-9a-f]{40}, on @user_script:1\./);
});

test('RESP3 connection: map and set replies from a script', async () => {
  const c3 = createClient({ url: srv.url, RESP: 3 });
  await c3.connect();
  try {
    const m = await c3.eval("return {map={a=1}}", { keys: [], arguments: [] });
    assert.deepEqual(Object.fromEntries(m instanceof Map ? m : Object.entries(m as object)), { a: 1 });
    assert.equal(await c3.eval('return {double=1.5}', { keys: [], arguments: [] }), 1.5);
    assert.equal(await c3.eval('redis.setresp(3) return true', { keys: [], arguments: [] }), true);
  } finally {
    await c3.quit();
  }
});
