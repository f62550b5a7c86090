import { test, expect, inject, beforeAll, afterAll } from 'vitest';
import { Redis } from 'ioredis';

let redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => redis.quit());

test('counts', async () => {
  expect(await redis.incr('hits')).toBe(1);
  expect(await redis.incr('hits')).toBe(2);
});

test('runs Lua', async () => {
  expect(await redis.eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", 1, 'hits', 40)).toBe(42);
});
