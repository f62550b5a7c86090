import { Redis } from 'ioredis';
import { startServer } from 'redlua';

let srv;
let redis;
beforeAll(async () => {
  srv = await startServer();
  redis = new Redis(srv.port, srv.host);
});
afterAll(async () => {
  await redis.quit();
  await srv.close();
});
beforeEach(() => redis.flushall());

test('counts', async () => {
  expect(await redis.incr('hits')).toBe(1);
  expect(await redis.incr('hits')).toBe(2);
});

test('starts each test from an empty keyspace', async () => {
  expect(await redis.exists('hits')).toBe(0);
});
