// SORT / SORT_RO: ordering rules, BY/GET patterns, STORE, LIMIT with partial sorting, and the script rule that a set
// sorted BY a constant is sorted ALPHA. Also compared with a live redis-server 7.0.15 when REDLUA_LIVE=1.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RawConn } from '../helpers/conn.js';
import { useRedluaAndOracle } from '../helpers/server.js';

const env = useRedluaAndOracle();
const { targets } = env;

const s = (b: Buffer) => b.toString('latin1');
const bulks = (xs: string[]) => `*${xs.length}\r\n` + xs.map(x => `$${x.length}\r\n${x}\r\n`).join('');

for (const t of targets) {
  describe(`sort (${t.name})`, () => {
    test('numeric, alpha, desc, limit', async () => {
      const c = await RawConn.connect(t.port());
      await c.call(['FLUSHALL']);
      await c.call(['RPUSH', 'l', '10', '9', '2', '1.5', '-3', '100']);
      assert.equal(s(await c.call(['SORT', 'l'])), bulks(['-3', '1.5', '2', '9', '10', '100']));
      assert.equal(s(await c.call(['SORT', 'l', 'ALPHA'])), bulks(['-3', '1.5', '10', '100', '2', '9']));
      assert.equal(s(await c.call(['SORT', 'l', 'DESC', 'LIMIT', '1', '2'])), bulks(['10', '9']));
      assert.equal(s(await c.call(['SORT_RO', 'l', 'LIMIT', '4', '100'])), bulks(['10', '100']));
      await c.call(['RPUSH', 'bad', '1', 'x']);
      assert.equal(s(await c.call(['SORT', 'bad'])), "-ERR One or more scores can't be converted into double\r\n");
      c.close();
    });

    test('BY weights with partial LIMIT over a big list', async () => {
      const c = await RawConn.connect(t.port());
      await c.call(['FLUSHALL']);
      const n = 500;
      const ids: string[] = [];
      const mset: string[] = ['MSET'];
      for (let i = 0; i < n; i++) {
        ids.push(String(i));
        mset.push(`w_${i}`, String((i * 7919) % 1000));
      }
      await c.call(['RPUSH', 'ids', ...ids]);
      await c.call(mset);
      const expect = [...ids].sort((a, b) => ((+a * 7919) % 1000) - ((+b * 7919) % 1000) || (a < b ? -1 : a > b ? 1 : 0));
      assert.equal(s(await c.call(['SORT', 'ids', 'BY', 'w_*', 'LIMIT', '10', '20'])), bulks(expect.slice(10, 30)));
      assert.equal(s(await c.call(['SORT', 'ids', 'BY', 'w_*', 'DESC', 'LIMIT', '0', '5', 'GET', 'w_*'])), bulks(expect.slice(-5).reverse().map(x => String((+x * 7919) % 1000))));
      assert.equal(s(await c.call(['SORT', 'ids', 'BY', 'w_*', 'STORE', 'out'])), `:${n}\r\n`);
      assert.equal(s(await c.call(['LRANGE', 'out', '0', '2'])), bulks(expect.slice(0, 3)));
      c.close();
    });

    test('sets sorted BY a constant are ALPHA-sorted in scripts and with STORE', async () => {
      const c = await RawConn.connect(t.port());
      await c.call(['FLUSHALL']);
      await c.call(['SADD', 's', 'pear', 'apple', 'fig', 'kiwi']);
      assert.equal(s(await c.call(['EVAL', "return redis.call('sort', KEYS[1], 'BY', 'x')", '1', 's'])), bulks(['apple', 'fig', 'kiwi', 'pear']));
      assert.equal(s(await c.call(['SORT', 's', 'BY', 'x', 'DESC', 'STORE', 'd'])), ':4\r\n');
      assert.equal(s(await c.call(['LRANGE', 'd', '0', '-1'])), bulks(['pear', 'kiwi', 'fig', 'apple']));
      c.close();
    });

    test('SORT of a zset converts it to skiplist', async () => {
      const c = await RawConn.connect(t.port());
      await c.call(['FLUSHALL']);
      await c.call(['ZADD', 'z', '2', 'b', '1', 'a']);
      assert.equal(s(await c.call(['OBJECT', 'ENCODING', 'z'])), '$8\r\nlistpack\r\n');
      assert.equal(s(await c.call(['SORT', 'z', 'BY', 'nosort'])), bulks(['a', 'b']));
      assert.equal(s(await c.call(['OBJECT', 'ENCODING', 'z'])), '$8\r\nskiplist\r\n');
      c.close();
    });
  });
}
