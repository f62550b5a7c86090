// Sorted sets: the skiplist against a reference model, ZRANDMEMBER count rules and distribution, ZSCAN completeness,
// and BZPOPMIN/BZPOPMAX/BZMPOP with several clients (FIFO, timeouts, serving after MULTI/EXEC). The client tests run
// against redlua, and also against a live redis-server 7.0.15 when REDLUA_LIVE=1 (same assertions).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RawConn } from '../helpers/conn.js';
import { useRedluaAndOracle } from '../helpers/server.js';
import { liveMode } from '../helpers/redis-server.js';
import { ZSet, LEX_MIN, LEX_MAX } from '../../src/store/zset.js';
import type { RespValue } from '../../src/protocol/resp-value.js';

// ---------------------------------------------------------------------------------------------------------------
// Skiplist model test

function refSorted(m: Map<string, number>): [string, number][] {
  return [...m].sort((a, b) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

describe('ZSet skiplist', () => {
  test('random inserts, updates and deletes keep order, ranks and spans right', () => {
    const z = new ZSet();
    const ref = new Map<string, number>();
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let step = 0; step < 4000; step++) {
      const m = 'm' + rnd(300);
      const op = rnd(10);
      if (op < 5) {
        const sc = rnd(50) - 25;
        if (ref.has(m)) z.updateScore(m, sc);
        else z.insert(sc, m);
        ref.set(m, sc);
      } else if (op < 8) {
        assert.equal(z.delete(m), ref.delete(m));
      } else if (op === 8) {
        const lo = rnd(50) - 25;
        const r = { min: lo, max: lo + rnd(10), minex: rnd(2) === 1, maxex: rnd(2) === 1 };
        const expect = [...ref.values()].filter(v => (r.minex ? v > r.min : v >= r.min) && (r.maxex ? v < r.max : v <= r.max)).length;
        assert.equal(z.countInRange(r), expect);
      } else {
        const sorted = refSorted(ref);
        if (sorted.length > 2) {
          const a = rnd(sorted.length);
          const b = Math.min(sorted.length - 1, a + rnd(5));
          const removed = z.deleteRangeByRank(a + 1, b + 1);
          assert.equal(removed, b - a + 1);
          for (let i = a; i <= b; i++) ref.delete(sorted[i][0]);
        }
      }
      if (step % 97 === 0) {
        const sorted = refSorted(ref);
        const got: [string, number][] = [];
        for (let n = z.first(); n !== 0; n = z.nextOf(n)) got.push([z.eleOf(n), z.scoreOf(n)]);
        assert.deepEqual(got, sorted);
        assert.equal(z.length, sorted.length);
        for (let i = 0; i < sorted.length; i += 7) {
          assert.equal(z.rankOf(sorted[i][0]), i + 1);
          assert.equal(z.eleOf(z.byRank(i + 1)), sorted[i][0]);
        }
        // the random-pick index holds every node exactly once
        const picks: string[] = [];
        for (let i = 0; i < z.length; i++) {
          assert.equal(z.livePos(z.livePick(i)), i);
          picks.push(z.eleOf(z.livePick(i)));
        }
        assert.deepEqual(picks.sort(), sorted.map(x => x[0]).sort());
        // backward links
        const back: string[] = [];
        for (let n = z.tail; n !== 0; n = z.prevOf(n)) back.push(z.eleOf(n));
        assert.deepEqual(back, sorted.map(x => x[0]).reverse());
      }
    }
  });

  test('lex ranges and deletion by lex/score', () => {
    const z = new ZSet();
    for (const m of ['a', 'b', 'c', 'd', 'e']) z.insert(0, m);
    assert.equal(z.countInLexRange({ min: 'b', minex: false, max: 'd', maxex: true }), 2);
    assert.equal(z.countInLexRange({ min: LEX_MIN, minex: true, max: LEX_MAX, maxex: true }), 5);
    assert.equal(z.countInLexRange({ min: LEX_MAX, minex: true, max: LEX_MIN, maxex: true }), 0);
    assert.equal(z.deleteRangeByLex({ min: 'a', minex: true, max: 'c', maxex: false }), 2);
    assert.deepEqual([...z.dict.keys()].sort(), ['a', 'd', 'e']);
    assert.equal(z.deleteRangeByScore({ min: 0, max: 0, minex: false, maxex: false }), 3);
    assert.equal(z.length, 0);
    assert.equal(z.first(), 0);
    assert.equal(z.tail, 0);
  });

  test('1M elements: rank lookups stay logarithmic', () => {
    const z = new ZSet();
    const N = 200000;
    for (let i = N - 1; i >= 0; i--) z.insert(i, 'k' + i);
    const t0 = performance.now();
    for (let i = 0; i < 20000; i++) {
      const r = 1 + ((i * 7919) % N);
      assert.equal(z.scoreOf(z.byRank(r)), r - 1);
    }
    assert.ok(performance.now() - t0 < 2000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Client-level tests

const env = useRedluaAndOracle();
const { targets } = env;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const s = (b: Buffer) => b.toString('latin1');

async function conns(port: number, n: number): Promise<RawConn[]> {
  const out: RawConn[] = [];
  for (let i = 0; i < n; i++) out.push(await RawConn.connect(port));
  await out[0].call(['FLUSHALL']);
  return out;
}

function strings(v: RespValue): string[] {
  assert.ok('a' in v && v.a);
  return v.a.map(x => (x.t === '$' && x.b ? x.b.toString('latin1') : x.t === ',' ? x.s : JSON.stringify(x)));
}

for (const t of targets) {
  describe(`zsets (${t.name})`, () => {
    test('ZRANDMEMBER count rules', async () => {
      const [c] = await conns(t.port(), 1);
      const members = Array.from({ length: 200 }, (_, i) => ['' + i, 'm' + i]).flat();
      await c.call(['ZADD', 'big', ...members]);
      await c.call(['ZADD', 'small', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e']);
      for (const key of ['big', 'small']) {
        const size = key === 'big' ? 200 : 5;
        for (const count of [1, 2, 3, 4, 5, 10, 50, 66, 67, 150, 199, 200, 250]) {
          const got = strings(await c.callValue(['ZRANDMEMBER', key, count]));
          assert.equal(got.length, Math.min(count, size), `${key} ${count}`);
          assert.equal(new Set(got).size, got.length, `unique ${key} ${count}`);
        }
        const neg = strings(await c.callValue(['ZRANDMEMBER', key, -300]));
        assert.equal(neg.length, 300);
        const ws = strings(await c.callValue(['ZRANDMEMBER', key, 3, 'WITHSCORES']));
        assert.equal(ws.length, 6);
        if (key === 'big') for (let i = 0; i < ws.length; i += 2) assert.equal(ws[i], 'm' + ws[i + 1]);
      }
      c.close();
    });

    test('ZRANDMEMBER distribution is roughly uniform', async () => {
      const [c] = await conns(t.port(), 1);
      await c.call(['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd']);
      const counts = new Map<string, number>();
      const got = strings(await c.callValue(['ZRANDMEMBER', 'z', -8000]));
      for (const m of got) counts.set(m, (counts.get(m) ?? 0) + 1);
      assert.equal(counts.size, 4);
      for (const [, n] of counts) assert.ok(n > 1600 && n < 2400, `count ${n}`);
      // unique picks from a big set: every member eventually shows up
      await c.call(['ZADD', 'big', ...Array.from({ length: 300 }, (_, i) => ['' + i, 'x' + i]).flat()]);
      const seen = new Set<string>();
      for (let i = 0; i < 200; i++) for (const m of strings(await c.callValue(['ZRANDMEMBER', 'big', 10]))) seen.add(m);
      assert.ok(seen.size > 280, `seen ${seen.size}`);
      c.close();
    });

    test('ZSCAN returns every member of a big zset', async () => {
      const [c] = await conns(t.port(), 1);
      const n = 1000;
      await c.call(['ZADD', 'z', ...Array.from({ length: n }, (_, i) => ['' + i / 2, 'e' + i]).flat()]);
      const seen = new Map<string, string>();
      let cursor = '0';
      do {
        const v = await c.callValue(['ZSCAN', 'z', cursor, 'COUNT', '37']);
        assert.ok(v.t === '*' && v.a);
        cursor = s((v.a[0] as { b: Buffer }).b);
        const items = strings(v.a[1]);
        for (let i = 0; i < items.length; i += 2) seen.set(items[i], items[i + 1]);
      } while (cursor !== '0');
      assert.equal(seen.size, n);
      assert.equal(seen.get('e3'), '1.5');
      c.close();
    });

    test('BZPOPMIN serves waiting clients FIFO, one element each', async () => {
      const [a, b, c, w] = await conns(t.port(), 4);
      a.send(['BZPOPMIN', 'z1', 'z2', '0']);
      await sleep(30);
      b.send(['BZPOPMIN', 'z2', '0']);
      await sleep(30);
      c.send(['BZPOPMAX', 'z2', '0']);
      await sleep(30);
      assert.equal(s(await w.call(['ZADD', 'z2', '1', 'one', '2', 'two'])), ':2\r\n');
      assert.equal(s((await a.readRaw()).raw), '*3\r\n$2\r\nz2\r\n$3\r\none\r\n$1\r\n1\r\n');
      assert.equal(s((await b.readRaw()).raw), '*3\r\n$2\r\nz2\r\n$3\r\ntwo\r\n$1\r\n2\r\n');
      await assert.rejects(c.readRaw(80), /timeout/);
      await w.call(['ZADD', 'z2', '5', 'five']);
      assert.equal(s((await c.readRaw()).raw), '*3\r\n$2\r\nz2\r\n$4\r\nfive\r\n$1\r\n5\r\n');
      assert.equal(s(await w.call(['EXISTS', 'z2'])), ':0\r\n');
      for (const x of [a, b, c, w]) x.close();
    });

    test('BZPOPMAX fractional timeout and RESP3 shape', async () => {
      const [a] = await conns(t.port(), 1);
      const t0 = Date.now();
      assert.equal(s(await a.call(['BZPOPMAX', 'nokey', '0.1'])), '*-1\r\n');
      const dt = Date.now() - t0;
      assert.ok(dt >= 90 && dt < 1000, `waited ${dt}`);
      await a.call(['HELLO', '3']);
      assert.equal(s(await a.call(['BZPOPMAX', 'nokey', '0.05'])), '_\r\n');
      await a.call(['ZADD', 'z', '1.5', 'x']);
      assert.equal(s(await a.call(['BZPOPMAX', 'z', '0'])), '*3\r\n$1\r\nz\r\n$1\r\nx\r\n,1.5\r\n');
      a.close();
    });

    test('blocked clients are served after EXEC with the final state', async () => {
      const [a, w] = await conns(t.port(), 2);
      a.send(['BZMPOP', '0', '2', 'k1', 'k2', 'MAX', 'COUNT', '10']);
      await sleep(30);
      await w.call(['MULTI']);
      await w.call(['ZADD', 'k2', '1', 'a', '2', 'b', '3', 'c']);
      await w.call(['ZREM', 'k2', 'c']);
      await w.call(['ZADD', 'k1', '9', 'z']);
      await assert.rejects(a.readRaw(60), /timeout/);
      await w.call(['EXEC']);
      // k2 became ready first, and holds a and b when served.
      assert.equal(
        s((await a.readRaw()).raw),
        '*2\r\n$2\r\nk2\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n',
      );
      assert.equal(s(await w.call(['ZCARD', 'k1'])), ':1\r\n');
      a.close();
      w.close();
    });

    test('blocking pops inside MULTI return at once', async () => {
      const [a] = await conns(t.port(), 1);
      await a.call(['MULTI']);
      await a.call(['BZPOPMIN', 'nokey', '0']);
      await a.call(['BZMPOP', '0', '1', 'nokey', 'MIN']);
      assert.equal(s(await a.call(['EXEC'])), '*2\r\n*-1\r\n*-1\r\n');
      a.close();
    });

    test('keyspace notifications', async () => {
      const [c, sub] = await conns(t.port(), 2);
      await c.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
      await sub.call(['PSUBSCRIBE', '__keyevent@*']);
      const cmds: (string | number)[][] = [
        ['ZADD', 'z', '1', 'a', '2', 'b'],
        ['ZADD', 'z', '1', 'a'],
        ['ZINCRBY', 'z', '1', 'a'],
        ['ZREM', 'z', 'nosuch'],
        ['ZREM', 'z', 'a'],
        ['ZADD', 'z', '5', 'c', '6', 'd'],
        ['ZREMRANGEBYSCORE', 'z', '5', '5'],
        ['ZPOPMIN', 'z'],
        ['ZPOPMAX', 'z'],
        ['ZADD', 'z', '1', 'x', '2', 'y'],
        ['ZUNIONSTORE', 'u', '1', 'z'],
        ['ZRANGESTORE', 'r', 'z', '0', '0'],
        ['ZINTERSTORE', 'u', '2', 'z', 'nokey'],
        ['GEOADD', 'g', '13', '38', 'p'],
        ['GEOSEARCHSTORE', 'gs', 'g', 'FROMLONLAT', '13', '38', 'BYRADIUS', '1', 'km'],
        ['SORT', 'z', 'BY', 'nosort', 'STORE', 'st'],
        ['ZREMRANGEBYRANK', 'z', '0', '-1'],
      ];
      for (const cmd of cmds) await c.call(cmd);
      await c.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
      const events: string[] = [];
      for (;;) {
        const v = await sub.readRaw(300).catch(() => null);
        if (v === null) break;
        const a = v.value as { a: { b: Buffer }[] };
        events.push(`${s(a.a[2].b).replace(/^__keyevent@0__:/, '')} ${s(a.a[3].b)}`);
      }
      assert.deepEqual(events, [
        'zadd z',
        'zincr z',
        'zrem z',
        'zadd z',
        'zremrangebyscore z',
        'zpopmin z',
        'zpopmax z',
        'del z',
        'zadd z',
        'zunionstore u',
        'zrangestore r',
        'del u',
        'zadd g',
        'geosearchstore gs',
        'sortstore st',
        'zremrangebyrank z',
        'del z',
      ]);
      c.close();
      sub.close();
    });

    test('a key of the wrong type does not serve a blocked zset pop', async () => {
      const [a, w] = await conns(t.port(), 2);
      a.send(['BZPOPMIN', 'k', '0.3']);
      await sleep(30);
      await w.call(['RPUSH', 'k', 'x']);
      await w.call(['DEL', 'k']);
      await w.call(['ZADD', 'k', '7', 'm']);
      assert.equal(s((await a.readRaw()).raw), '*3\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\n7\r\n');
      a.close();
      w.close();
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Random command streams compared byte for byte with redis-server (live only).

describe('zsets fuzz vs redis-server', { skip: !liveMode() }, () => {
  for (const resp of [2, 3]) {
    test(`random zset/sort commands [RESP${resp}]`, async () => {
      const a = await RawConn.connect(env.redlua.port);
      const b = await RawConn.connect(env.oracle!.port);
      for (const c of [a, b]) {
        await c.call(['FLUSHALL']);
        if (resp === 3) await c.call(['HELLO', '3']);
      }
      let seed = 1000 + resp;
      const rnd = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const pick = <T>(xs: T[]): T => xs[rnd(xs.length)];
      const keys = ['z1', 'z2', 'z3', 's1', 'l1', 'str', 'nokey'];
      const members = ['a', 'b', 'c', 'd', 'e', '', 'aa', 'ab', 'x'.repeat(70), '1', '2', '10'];
      const nums = ['0', '1', '-1', '2', '3', '1.5', '-2.5', 'inf', '-inf', '(1', '(2', '(inf', 'nan', 'x', '', '1e3', '0x10', ' 1', '9223372036854775807'];
      const lex = ['-', '+', '[a', '(a', '[b', '(c', '[', '(', 'a', '[aa', '(ab', '+x'];
      const opts = ['WITHSCORES', 'LIMIT', 'REV', 'BYSCORE', 'BYLEX', 'NX', 'XX', 'GT', 'LT', 'CH', 'INCR', 'COUNT', 'MIN', 'MAX', 'WEIGHTS', 'AGGREGATE', 'SUM', 'ALPHA', 'DESC', 'STORE', 'BY', 'GET', '#'];
      const any = () => {
        const r = rnd(10);
        return r < 3 ? pick(nums) : r < 5 ? pick(members) : r < 6 ? pick(lex) : r < 8 ? pick(opts) : r < 9 ? pick(keys) : String(rnd(5));
      };
      const many = (n: number) => Array.from({ length: rnd(n) }, any);
      const gens: (() => string[])[] = [
        () => ['ZADD', pick(keys), ...Array.from({ length: rnd(3) }, () => pick(['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'])), ...Array.from({ length: 1 + rnd(4) }, () => [pick(nums), pick(members)]).flat()],
        () => ['ZINCRBY', pick(keys), pick(nums), pick(members)],
        () => ['ZREM', pick(keys), pick(members), pick(members)],
        () => [pick(['ZRANGE', 'ZREVRANGE']), pick(keys), any(), any(), ...many(4)],
        () => ['ZRANGESTORE', pick(keys), pick(keys), any(), any(), ...many(4)],
        () => [pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE', 'ZCOUNT', 'ZREMRANGEBYSCORE']), pick(keys), pick(nums), pick(nums), ...many(3)],
        () => [pick(['ZRANGEBYLEX', 'ZREVRANGEBYLEX', 'ZLEXCOUNT', 'ZREMRANGEBYLEX']), pick(keys), pick(lex), pick(lex), ...many(3)],
        () => [pick(['ZRANK', 'ZREVRANK', 'ZSCORE', 'ZMSCORE']), pick(keys), pick(members)],
        () => ['ZREMRANGEBYRANK', pick(keys), any(), any()],
        () => [pick(['ZPOPMIN', 'ZPOPMAX']), pick(keys), ...many(2)],
        () => ['ZMPOP', any(), pick(keys), pick(keys), ...many(4)],
        () => [pick(['ZUNION', 'ZINTER', 'ZDIFF', 'ZINTERCARD']), any(), pick(keys), pick(keys), ...many(5)],
        () => [pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']), pick(keys), any(), pick(keys), pick(keys), ...many(5)],
        () => ['SORT', pick(['z1', 'z2', 'l1', 'str', 'nokey']), ...many(6)],
        () => ['SADD', 's1', pick(members), pick(nums)],
        () => ['RPUSH', 'l1', pick(members), pick(nums)],
        () => ['OBJECT', 'ENCODING', pick(keys)],
      ];
      for (let i = 0; i < 1500; i++) {
        const cmd = pick(gens)();
        const x = s(await a.call(cmd));
        const y = s(await b.call(cmd));
        assert.equal(x, y, JSON.stringify(cmd));
      }
      a.close();
      b.close();
    });
  }
});
