// Active expiry cycle and exact expire times at the store level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../../src/server/server.js';
import { createLogger } from '../../src/server/log.js';
import { expireCycle, setExpireExact, getExpireExact } from '../../src/store/expire.js';
import { RObj } from '../../src/store/db.js';

function server(): Server {
  return new Server({ logger: createLogger({ level: 'warning', file: 'silent' }) });
}

test('expireCycle deletes expired keys, leaves live ones, and stops at its time budget', () => {
  const s = server();
  const db = s.dbs[0];
  const now = Date.now();
  for (let i = 0; i < 50000; i++) {
    db.add(`dead${i}`, new RObj('string', Buffer.from('v')));
    db.setExpire(`dead${i}`, now - 1);
  }
  for (let i = 0; i < 1000; i++) {
    db.add(`live${i}`, new RObj('string', Buffer.from('v')));
    db.setExpire(`live${i}`, now + 100000);
  }
  // a tiny budget cannot finish 50k deletions in one go
  const timedOut = expireCycle(s, now, 0.05);
  assert.equal(timedOut, true);
  assert.ok(db.size > 1000);
  let guard = 0;
  while (expireCycle(s, now, 50) && guard++ < 1000);
  // the cursor wraps around: repeat until no stale sample is left
  for (let i = 0; i < 100 && db.size > 1000; i++) expireCycle(s, now, 50);
  assert.equal(db.size, 1000);
  assert.equal(s.stats.expiredKeys, 50000);
  for (let i = 0; i < 1000; i++) assert.ok(db.dict.has(`live${i}`));
});

test('exact expire times beyond 2^53 survive until the key TTL changes', () => {
  const s = server();
  const db = s.dbs[0];
  db.add('k', new RObj('string', Buffer.from('v')));
  setExpireExact(db, 'k', 9223372036854775807n);
  assert.equal(getExpireExact(db, 'k'), 9223372036854775807n);
  db.setExpire('k', 5000);
  assert.equal(getExpireExact(db, 'k'), 5000);
  db.persist('k');
  assert.equal(getExpireExact(db, 'k'), -1);
});
