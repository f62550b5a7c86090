import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { startServer } from 'redlua';

let srv;
let client;
before(async () => {
  srv = await startServer(); // a free port on 127.0.0.1, in-memory
  client = createClient({ url: srv.url });
  await client.connect();
});
after(async () => {
  client.destroy();
  await srv.close();
});

test('counts', async () => {
  assert.equal(await client.incr('hits'), 1);
  assert.equal(await client.incr('hits'), 2);
});

test('runs Lua', async () => {
  const n = await client.eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", { keys: ['hits'], arguments: ['40'] });
  assert.equal(n, 42);
});
