// Keyspace commands: SCAN's guarantee over a live server, COPY independence, RANDOMKEY, OBJECT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerConn } from '../helpers/server.js';
import { objectEncoding } from '../../src/commands/keys.js';
import { RObj } from '../../src/store/db.js';

const t = useServerConn();
const call = t.call;

async function scanAll(count: number, between: (round: number) => Promise<void>, extra: string[] = []): Promise<Set<string>> {
  const seen = new Set<string>();
  let cursor = '0';
  let round = 0;
  do {
    const v = await t.c.callValue(['SCAN', cursor, 'COUNT', count, ...extra]);
    assert.equal(v.t, '*');
    if (v.t !== '*' || !v.a) throw new Error('bad reply');
    const [cur, keys] = v.a;
    cursor = cur.t === '$' && cur.b ? cur.b.toString() : '0';
    if (keys.t === '*' && keys.a) for (const k of keys.a) if (k.t === '$' && k.b) seen.add(k.b.toString('latin1'));
    await between(round++);
  } while (cursor !== '0');
  return seen;
}

test('SCAN returns every key present for the whole iteration while keys are added and deleted', async () => {
  await call('FLUSHALL');
  for (let i = 0; i < 2000; i += 500) {
    const args: string[] = ['MSET'];
    for (let j = i; j < i + 500; j++) args.push(`stable:${j}`, 'v', `temp:${j}`, 'v');
    await call(...args);
  }
  let n = 0;
  const seen = await scanAll(25, async round => {
    await call('DEL', `temp:${round * 3}`, `temp:${round * 3 + 1}`);
    await call('SET', `added:${n++}`, 'v');
    await call('SET', `added:${n++}`, 'v');
  });
  for (let i = 0; i < 2000; i++) assert.ok(seen.has(`stable:${i}`), `stable:${i} missing`);
});

test('SCAN MATCH and TYPE filter; expired keys are not returned', async () => {
  await call('FLUSHALL');
  await call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  try {
    await call('MSET', 'a1', '1', 'a2', '2', 'b1', '3');
    await call('RPUSH', 'alist', 'x');
    await call('SET', 'agone', 'v', 'PX', '1');
    await new Promise(r => setTimeout(r, 10));
    const all = await scanAll(1000, async () => {}, ['MATCH', 'a*']);
    assert.deepEqual([...all].sort(), ['a1', 'a2', 'alist']);
    const lists = await scanAll(3, async () => {}, ['TYPE', 'list']);
    assert.deepEqual([...lists], ['alist']);
    assert.equal(await call('EXISTS', 'agone'), ':0\r\n');
  } finally {
    await call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
  }
});

test('COPY makes an independent value; RENAME moves the TTL', async () => {
  await call('FLUSHALL');
  await call('SETRANGE', 's', '0', 'hello');
  assert.equal(await call('COPY', 's', 's2'), ':1\r\n');
  await call('SETRANGE', 's2', '0', 'J');
  assert.equal(await call('GET', 's'), '$5\r\nhello\r\n');
  assert.equal(await call('GET', 's2'), '$5\r\nJello\r\n');
  await call('SET', 'e', 'v', 'EX', '100');
  await call('RENAME', 'e', 'e2');
  assert.equal(await call('TTL', 'e2'), ':100\r\n');
  assert.equal(await call('COPY', 'e2', 'e3', 'DB', '3'), ':1\r\n');
  await call('SELECT', '3');
  assert.equal(await call('TTL', 'e3'), ':100\r\n');
  await call('SELECT', '0');
});

test('RANDOMKEY returns live keys only and covers the keyspace', async () => {
  await call('FLUSHALL');
  await call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  try {
    await call('MSET', 'k1', '1', 'k2', '2', 'k3', '3');
    await call('SET', 'dead', 'v', 'PX', '1');
    await new Promise(r => setTimeout(r, 10));
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(await call('RANDOMKEY'));
    assert.deepEqual([...seen].sort(), ['$2\r\nk1\r\n', '$2\r\nk2\r\n', '$2\r\nk3\r\n']);
    await call('DEL', 'k1', 'k2', 'k3');
    assert.equal(await call('RANDOMKEY'), '$-1\r\n');
  } finally {
    await call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
  }
});

test('OBJECT ENCODING names and objectEncoding helper', async () => {
  await call('FLUSHALL');
  await call('SET', 'i', '12');
  await call('SET', 'e', 'x'.repeat(44));
  await call('SET', 'r', 'x'.repeat(45));
  assert.equal(await call('OBJECT', 'ENCODING', 'i'), '$3\r\nint\r\n');
  assert.equal(await call('OBJECT', 'ENCODING', 'e'), '$6\r\nembstr\r\n');
  assert.equal(await call('OBJECT', 'ENCODING', 'r'), '$3\r\nraw\r\n');
  assert.equal(await call('OBJECT', 'REFCOUNT', 'i'), ':2147483647\r\n');
  assert.equal(objectEncoding(new RObj('hash', new Map(), 'listpack')), 'listpack');
  assert.equal(objectEncoding(new RObj('list', [])), 'quicklist');
  await call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
  try {
    // a key created under an LFU policy starts at LFU_INIT_VAL (keys created before hold LRU data, as in Redis)
    await call('SET', 'f', 'hello');
    assert.equal(await call('OBJECT', 'FREQ', 'f'), ':5\r\n');
    assert.match(await call('OBJECT', 'IDLETIME', 'i'), /^-ERR An LFU maxmemory policy is selected/);
  } finally {
    await call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
  }
});
