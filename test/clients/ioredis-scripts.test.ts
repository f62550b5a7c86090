// Real-client test: ioredis defineCommand (EVALSHA with its NOSCRIPT → EVAL fallback), script errors and RESP conversions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type RunningServer } from '../../src/index.js';

let srv: RunningServer;
let r: Redis & { myincr(key: string, by: number): Promise<number>; mget2(a: string, b: string): Promise<(string | null)[]> };

before(async () => {
  srv = await startServer({ log: false });
  r = new Redis({ port: srv.port, host: '127.0.0.1', lazyConnect: true }) as typeof r;
  await r.connect();
  r.defineCommand('myincr', { numberOfKeys: 1, lua: "return redis.call('incrby', KEYS[1], ARGV[1])" });
  r.defineCommand('mget2', { numberOfKeys: 2, lua: "return {redis.call('get', KEYS[1]), redis.call('get', KEYS[2])}" });
});
after(async () => {
  r.disconnect();
  await srv.close();
});

test('defineCommand: first call falls back from EVALSHA to EVAL on NOSCRIPT', async () => {
  await r.script('FLUSH');
  await r.del('c');
  assert.equal(await r.myincr('c', 5), 5);
  assert.equal(await r.myincr('c', 2), 7);
  await r.script('FLUSH');
  assert.equal(await r.myincr('c', 1), 8);
});

test('defineCommand in a pipeline and in MULTI', async () => {
  await r.set('a', '1');
  type Custom = { myincr(k: string, n: number): Custom; mget2(a: string, b: string): Custom; exec(): Promise<unknown> };
  const res = await (r.pipeline() as unknown as Custom).myincr('a', 1).mget2('a', 'nokey').exec();
  assert.deepEqual(res, [[null, 2], [null, ['2', null]]]);
  const tx = await (r.multi() as unknown as Custom).myincr('a', 10).exec();
  assert.deepEqual(tx, [[null, 12]]);
});

test('script errors reach the client with Redis text', async () => {
  await r.set('s', 'x');
  await assert.rejects(r.myincr('s', 1), /ERR value is not an integer or out of range script: [0-9a-f]{40}, on @user_script:1\./);
  await assert.rejects(r.eval('return a', 0), /Script attempted to access nonexistent global variable 'a'/);
  await assert.rejects(r.evalsha('0000000000000000000000000000000000000000', 0), /^ReplyError: NOSCRIPT No matching script\. Please use EVAL\.$/);
});

test('conversions seen by ioredis', async () => {
  assert.deepEqual(await r.eval("return {1, 'two', {3}, {ok='fine'}, false, 3.9}", 0), [1, 'two', [3], 'fine', null, 3]);
  assert.equal(await r.eval("return redis.sha1hex('Pizza & Mandolino')", 0), '74822d82031af7493c20eefa13bd07ec4fada82f');
  await r.function('FLUSH');
  await r.function('LOAD', "#!lua name=iolib\nredis.register_function('hello', function(keys, args) return 'hello ' .. args[1] end)");
  assert.equal(await r.fcall('hello', 0, 'world'), 'hello world');
});
