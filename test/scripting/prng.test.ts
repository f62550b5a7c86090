// Each embedded server has its own math.random state, starting as a fresh redis-server's (Redis: rand.c, one per process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/index.js';

const R = "return tostring(math.random())";

test('two servers in one process draw the same sequence, independently of each other', async () => {
  const a = await startServer({ log: false });
  const b = await startServer({ log: false });
  const ca = a.client();
  const cb = b.client();
  try {
    const a1 = await ca.call('EVAL', R, 0);
    const a2 = await ca.call('EVAL', R, 0);
    const b1 = await cb.call('EVAL', R, 0);
    const a3 = await ca.call('EVAL', R, 0);
    const b2 = await cb.call('EVAL', R, 0);
    const b3 = await cb.call('EVAL', R, 0);
    assert.equal(b1, a1);
    assert.equal(b2, a2);
    assert.equal(b3, a3);
    assert.notEqual(a1, a2);
    assert.equal(a1, '0.39646477363839'); // a fresh redis-server 7.0.15's first math.random()
    // math.randomseed affects only its own server
    await ca.call('EVAL', 'math.randomseed(7) return 1', 0);
    const c = await startServer({ log: false });
    const cc = c.client();
    assert.equal(await cc.call('EVAL', R, 0), a1);
    cc.close();
    await c.close();
  } finally {
    ca.close();
    cb.close();
    await a.close();
    await b.close();
  }
});
