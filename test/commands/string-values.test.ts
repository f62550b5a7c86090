// String values in every stored shape (store/strings.ts): short values are latin1 JS strings, counters numbers, long or in-place
// modified ones Buffers. Binary bytes (NUL, CR/LF, >= 0x80) must round-trip through every reader and writer, and the
// OBJECT ENCODING / MEMORY USAGE / DEBUG answers must not depend on the shape. The client tests run against redlua,
// and also against a live redis-server 7.0.15 when REDLUA_LIVE=1 (same assertions).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RawConn } from '../helpers/conn.js';
import { useRedluaAndOracle } from '../helpers/server.js';
import { startServer } from '../../src/index.js';
import { RObj } from '../../src/store/db.js';
import { string2ll } from '../../src/util/parse.js';
import { SMALL_STRING, strToLL, toStrValue, unshareString, strBytes, strLen, stringEncoding } from '../../src/store/strings.js';

/** Every byte value, NUL and CR/LF included, in a scrambled order. */
function binary(len: number, seed = 7): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (i * 167 + seed) & 255;
  if (len > 3) {
    b[0] = 0;
    b[1] = 0xff;
    b[2] = 13;
    b[3] = 10;
  }
  return b;
}

const bulk = (b: Buffer): Buffer => Buffer.concat([Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n')]);

describe('string value representation (unit)', () => {
  test('toStrValue keeps short values as latin1 strings and long ones as owned Buffers', () => {
    const src = binary(SMALL_STRING + 1);
    const short = toStrValue(src.subarray(0, SMALL_STRING));
    assert.equal(typeof short, 'string');
    assert.equal((short as string).length, SMALL_STRING);
    assert.deepEqual(Buffer.from(short as string, 'latin1'), src.subarray(0, SMALL_STRING));
    const long = toStrValue(src);
    assert.ok(Buffer.isBuffer(long));
    assert.deepEqual(long, src);
    src[5] ^= 1; // the stored copy does not alias the argument
    assert.notEqual((long as Buffer)[5], src[5]);
  });

  test('strToLL agrees with string2ll over both shapes', () => {
    const cases = ['0', '-0', '1', '-1', '007', '+1', ' 1', '1 ', '', '-', '12a', '9223372036854775807', '9223372036854775808',
      '-9223372036854775808', '-9223372036854775809', '123456789012345', '1234567890123456', '99999999999999999999', '\x001', '1\x00'];
    for (let i = 0; i < 200; i++) cases.push(String(Math.floor((i * 7919) ** 1.7)) + (i % 17 === 0 ? 'x' : ''));
    for (const s of cases) {
      const b = Buffer.from(s, 'latin1');
      assert.equal(strToLL(s), string2ll(b), JSON.stringify(s));
      assert.equal(strToLL(b), string2ll(b), JSON.stringify(s));
    }
  });

  test('unshareString turns a string value into a zero-filled, growable Buffer of the same bytes', () => {
    const bytes = binary(10);
    const o = new RObj('string', toStrValue(bytes));
    assert.equal(stringEncoding(o), 'embstr');
    const buf = unshareString(o, 14);
    assert.ok(Buffer.isBuffer(o.value));
    assert.equal(o.value, buf);
    assert.equal(o.enc, 'raw');
    assert.deepEqual(buf, Buffer.concat([bytes, Buffer.alloc(4)]));
    assert.deepEqual(strBytes(o), buf);
    // grown again in place: same memory
    const again = unshareString(o, 20);
    assert.equal(again.buffer, buf.buffer);
    assert.deepEqual(again.subarray(0, 14), Buffer.concat([bytes, Buffer.alloc(4)]));
  });

  test('a counter is a number (int encoding) that every helper reads as its decimal bytes', () => {
    for (const n of [0, 7, -1, 123456789, -9007199254740991, 9007199254740991]) {
      const o = new RObj('string', n);
      const text = String(n);
      assert.equal(strToLL(o.value), n);
      assert.equal(stringEncoding(o), 'int');
      assert.deepEqual(strBytes(o), Buffer.from(text));
      assert.equal(strLen(o), text.length);
      const buf = unshareString(o, text.length + 2);
      assert.deepEqual(buf, Buffer.concat([Buffer.from(text), Buffer.alloc(2)]));
      assert.equal(o.enc, 'raw');
    }
  });
});

describe('INCR stores the number', () => {
  test('INCR/DECRBY keep an integer as a number; from the exact (BigInt) path on, past 2^52, it is text again', async () => {
    const srv = await startServer({ log: false });
    const c = await RawConn.connect(srv.port);
    try {
      await c.call(['INCRBY', 'n', '41']);
      await c.call(['INCR', 'n']);
      const db = srv.server.dbs[0];
      assert.equal(db.dict.get('n')!.value, 42);
      await c.call(['INCRBY', 'n', '4503599627370000']);
      await c.call(['INCRBY', 'n', '4503599627370000']);
      assert.equal(db.dict.get('n')!.value, 9007199254740042);
      await c.call(['INCR', 'n']);
      assert.equal(db.dict.get('n')!.value, '9007199254740043');
      assert.equal((await c.call(['DECRBY', 'n', '9007199254740000'])).toString(), ':43\r\n');
      assert.equal(db.dict.get('n')!.value, 43);
      assert.equal((await c.call(['GET', 'n'])).toString(), '$2\r\n43\r\n');
    } finally {
      c.close();
      await srv.close();
    }
  });
});

describe('string values over the wire', () => {
  const { targets } = useRedluaAndOracle({ 'enable-debug-command': 'yes' });
  for (const target of targets) {
    describe(target.name, () => {
      let c: RawConn;
      before(async () => {
        c = await RawConn.connect(target.port());
        await c.call(['FLUSHALL']);
      });
      after(() => c.close());
      const call = async (...a: (string | Buffer | number)[]) => c.call(a);
      const text = async (...a: (string | Buffer | number)[]) => (await c.call(a)).toString('latin1');

      test('binary values round-trip through SET/GET/MGET/GETSET/GETDEL/GETEX at and around the size boundary', async () => {
        for (const len of [0, 1, 8, 44, 45, SMALL_STRING - 1, SMALL_STRING, SMALL_STRING + 1, 300]) {
          const v = binary(len, len);
          assert.equal(await text('SET', 'k', v), '+OK\r\n');
          assert.deepEqual(await call('GET', 'k'), bulk(v), `GET len ${len}`);
          assert.equal(await text('STRLEN', 'k'), `:${len}\r\n`);
          assert.deepEqual(await call('MGET', 'k', 'nokey', 'k'), Buffer.concat([Buffer.from('*3\r\n'), bulk(v), Buffer.from('$-1\r\n'), bulk(v)]));
          const w = binary(len + 3, 99);
          assert.deepEqual(await call('GETSET', 'k', w), bulk(v));
          assert.deepEqual(await call('SET', 'k', v, 'GET'), bulk(w));
          assert.deepEqual(await call('GETEX', 'k', 'PX', 100000), bulk(v));
          assert.deepEqual(await call('GETDEL', 'k'), bulk(v));
          assert.equal(await text('EXISTS', 'k'), ':0\r\n');
          assert.equal(await text('MSET', 'a', v, 'b', w), '+OK\r\n');
          assert.deepEqual(await call('MGET', 'a', 'b'), Buffer.concat([Buffer.from('*2\r\n'), bulk(v), bulk(w)]));
        }
      });

      test('APPEND, SETRANGE and GETRANGE keep every byte', async () => {
        const v = binary(20);
        await call('SET', 's', v);
        const tail = Buffer.from([0, 0x80, 0xfe, 13, 10, 0]);
        assert.equal(await text('APPEND', 's', tail), ':26\r\n');
        let want = Buffer.concat([v, tail]);
        assert.deepEqual(await call('GET', 's'), bulk(want));
        assert.equal(await text('SETRANGE', 's', 30, Buffer.from([0xe9, 0])), ':32\r\n');
        want = Buffer.concat([want, Buffer.alloc(4), Buffer.from([0xe9, 0])]);
        assert.deepEqual(await call('GET', 's'), bulk(want));
        // GETRANGE on a short (string-shaped) value and on the in-place (Buffer-shaped) one
        await call('SET', 'g', v);
        for (const [a, b] of [[0, -1], [1, 3], [-5, -2], [-100, 100], [5, 2], [-1, -1], [19, 19]]) {
          const sliceOf = (x: Buffer) => {
            let s = a < 0 ? x.length + a : a;
            let e = b < 0 ? x.length + b : b;
            if (a < 0 && b < 0 && a > b) return Buffer.alloc(0);
            if (s < 0) s = 0;
            if (e < 0) e = 0;
            if (e >= x.length) e = x.length - 1;
            return s > e ? Buffer.alloc(0) : x.subarray(s, e + 1);
          };
          assert.deepEqual(await call('GETRANGE', 'g', a, b), bulk(sliceOf(v)), `GETRANGE g ${a} ${b}`);
          assert.deepEqual(await call('GETRANGE', 's', a, b), bulk(sliceOf(want)), `GETRANGE s ${a} ${b}`);
          assert.deepEqual(await call('SUBSTR', 'g', a, b), bulk(sliceOf(v)));
        }
        // APPEND to a missing key, then to the value it created
        assert.equal(await text('APPEND', 'n', Buffer.from([0xff, 0])), ':2\r\n');
        assert.equal(await text('APPEND', 'n', Buffer.from([0, 0x80])), ':4\r\n');
        assert.deepEqual(await call('GET', 'n'), bulk(Buffer.from([0xff, 0, 0, 0x80])));
      });

      test('OBJECT ENCODING follows the bytes and the history, not the stored shape', async () => {
        const enc = async (k: string) => text('OBJECT', 'ENCODING', k);
        await call('SET', 'i', '12345');
        assert.equal(await enc('i'), '$3\r\nint\r\n');
        await call('SET', 'i', '-9223372036854775808');
        assert.equal(await enc('i'), '$3\r\nint\r\n');
        await call('SET', 'i', '007');
        assert.equal(await enc('i'), '$6\r\nembstr\r\n');
        await call('SET', 'e', binary(44));
        assert.equal(await enc('e'), '$6\r\nembstr\r\n');
        for (const len of [45, SMALL_STRING, SMALL_STRING + 1, 1000]) {
          await call('SET', 'r', binary(len));
          assert.equal(await enc('r'), '$3\r\nraw\r\n', `len ${len}`);
        }
        await call('SET', 'a', 'abc');
        await call('APPEND', 'a', 'd');
        assert.equal(await enc('a'), '$3\r\nraw\r\n');
        await call('SET', 'sr', 'abc');
        await call('SETRANGE', 'sr', 0, 'x');
        assert.equal(await enc('sr'), '$3\r\nraw\r\n');
        await call('SET', 'f', '1.5');
        await call('INCRBYFLOAT', 'f', '1');
        assert.equal(await enc('f'), '$6\r\nembstr\r\n');
        await call('SET', 'n', '10');
        await call('APPEND', 'n', '0');
        assert.equal(await enc('n'), '$3\r\nraw\r\n');
        assert.equal(await text('INCR', 'n'), ':101\r\n');
        assert.equal(await enc('n'), '$3\r\nint\r\n');
      });

      test('INCR family over stored text, including beyond 2^53 and the error cases', async () => {
        await call('SET', 'c', '41');
        assert.equal(await text('INCR', 'c'), ':42\r\n');
        assert.equal(await text('INCRBY', 'c', '-50'), ':-8\r\n');
        assert.equal(await text('DECR', 'c'), ':-9\r\n');
        assert.equal(await text('GET', 'c'), '$2\r\n-9\r\n');
        await call('SET', 'c', '9223372036854775806');
        assert.equal(await text('INCR', 'c'), ':9223372036854775807\r\n');
        assert.equal(await text('INCR', 'c'), '-ERR increment or decrement would overflow\r\n');
        await call('SET', 'c', '-9007199254740993');
        assert.equal(await text('DECRBY', 'c', '2'), ':-9007199254740995\r\n');
        for (const bad of ['-0', '007', ' 1', '1\x00', Buffer.from([0x31, 0xff])]) {
          await call('SET', 'c', bad);
          assert.equal(await text('INCR', 'c'), '-ERR value is not an integer or out of range\r\n', JSON.stringify(bad.toString()));
        }
        await call('SET', 'fl', '0.1');
        assert.equal(await text('INCRBYFLOAT', 'fl', '0.2'), '$3\r\n0.3\r\n');
        assert.equal(await text('GET', 'fl'), '$3\r\n0.3\r\n');
      });

      test('redis.call in EVAL sees and stores the same bytes', async () => {
        const v = binary(30);
        await call('SET', 'lk', v);
        const r = await call('EVAL', "local v = redis.call('GET', KEYS[1]); return {string.len(v), v, string.byte(v, 1), string.byte(v, 2)}", 1, 'lk');
        assert.deepEqual(r, Buffer.concat([Buffer.from('*4\r\n:30\r\n'), bulk(v), Buffer.from(':0\r\n:255\r\n')]));
        const w = binary(SMALL_STRING + 10, 3);
        assert.equal(await text('EVAL', "return redis.call('SET', KEYS[1], ARGV[1] .. ARGV[1])", 1, 'lk2', w), '+OK\r\n');
        assert.deepEqual(await call('GET', 'lk2'), bulk(Buffer.concat([w, w])));
        assert.equal(await text('EVAL', "return redis.call('APPEND', KEYS[1], '\\0\\255')", 1, 'lk'), ':32\r\n');
        assert.deepEqual(await call('EVAL', "return redis.call('GETRANGE', KEYS[1], -3, -1)", 1, 'lk'), bulk(Buffer.from([v[29], 0, 255])));
      });

      test('bit commands read short values and modify them in place', async () => {
        const v = Buffer.from([0xff, 0x00, 0x80, 0x01]);
        await call('SET', 'bits', v);
        assert.equal(await text('GETBIT', 'bits', 0), ':1\r\n');
        assert.equal(await text('GETBIT', 'bits', 8), ':0\r\n');
        assert.equal(await text('GETBIT', 'bits', 16), ':1\r\n');
        assert.equal(await text('BITCOUNT', 'bits'), ':10\r\n');
        assert.equal(await text('BITCOUNT', 'bits', 1, 2), ':1\r\n');
        assert.equal(await text('BITPOS', 'bits', 0), ':8\r\n');
        assert.equal(await text('BITPOS', 'bits', 1, 1), ':16\r\n');
        assert.equal(await text('BITFIELD_RO', 'bits', 'GET', 'u8', 0, 'GET', 'i8', 16), '*2\r\n:255\r\n:-128\r\n');
        assert.equal(await text('BITOP', 'NOT', 'inv', 'bits'), ':4\r\n');
        assert.deepEqual(await call('GET', 'inv'), bulk(Buffer.from([0x00, 0xff, 0x7f, 0xfe])));
        assert.equal(await text('SETBIT', 'bits', 9, 1), ':0\r\n');
        assert.equal(await text('BITFIELD', 'bits', 'INCRBY', 'u8', 24, 1, 'GET', 'u8', 8), '*2\r\n:2\r\n:64\r\n');
        assert.deepEqual(await call('GET', 'bits'), bulk(Buffer.from([0xff, 0x40, 0x80, 0x02])));
      });

      test('an HLL copied with GET/SET (a short value) still works with PFADD/PFCOUNT/PFMERGE', async () => {
        assert.equal(await text('PFADD', 'h', 'a', 'b', 'c'), ':1\r\n');
        const raw = (await c.callValue(['GET', 'h']));
        assert.ok(raw.t === '$' && raw.b !== null);
        const bytes = raw.t === '$' ? raw.b! : Buffer.alloc(0);
        assert.ok(bytes.length <= SMALL_STRING, `sparse HLL of ${bytes.length} bytes`);
        await call('SET', 'h2', bytes);
        assert.equal(await text('PFCOUNT', 'h2'), ':3\r\n');
        assert.equal(await text('PFCOUNT', 'h', 'h2'), ':3\r\n');
        assert.equal(await text('PFADD', 'h2', 'd'), ':1\r\n');
        assert.equal(await text('PFCOUNT', 'h2'), ':4\r\n');
        await call('SET', 'h3', bytes);
        assert.equal(await text('PFMERGE', 'm', 'h3', 'h2'), '+OK\r\n');
        assert.equal(await text('PFCOUNT', 'm'), ':4\r\n');
        await call('SET', 'notj', 'HYLLnotreally');
        assert.match(await text('PFCOUNT', 'notj'), /^-WRONGTYPE Key is not a valid HyperLogLog string value/);
      });

      test('COPY, LCS, SORT BY/GET and MEMORY USAGE read short values', async () => {
        const v = binary(12);
        await call('SET', 'src', v);
        assert.equal(await text('COPY', 'src', 'dst'), ':1\r\n');
        await call('APPEND', 'dst', 'x');
        assert.deepEqual(await call('GET', 'src'), bulk(v));
        assert.deepEqual(await call('GET', 'dst'), bulk(Buffer.concat([v, Buffer.from('x')])));
        await call('SET', 'l1', Buffer.from([0x80, 0x41, 0, 0x42, 0xff]));
        await call('SET', 'l2', Buffer.from([0x41, 0x80, 0x42, 0, 0xff]));
        assert.deepEqual(await call('LCS', 'l1', 'l2'), bulk(Buffer.from([0x41, 0x42, 0xff])));
        await call('RPUSH', 'ids', '1', '2', '3');
        await call('MSET', 'w_1', '30', 'w_2', '10', 'w_3', '20', 'o_1', Buffer.from([0xe9]), 'o_2', Buffer.from([0]), 'o_3', 'c');
        assert.deepEqual(await call('SORT', 'ids', 'BY', 'w_*', 'GET', 'o_*'), Buffer.concat([Buffer.from('*3\r\n'), bulk(Buffer.from([0])), bulk(Buffer.from('c')), bulk(Buffer.from([0xe9]))]));
        for (const [k, len] of [['m1', 1], ['m2', 20], ['m3', 44], ['m4', 45], ['m5', SMALL_STRING], ['m6', SMALL_STRING + 1], ['m7', 200]] as const) {
          await call('SET', k, binary(len));
        }
        await call('SET', 'mi', '123456');
        const usage = [];
        for (const k of ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'mi']) usage.push(await text('MEMORY', 'USAGE', k));
        // Redis 7.0.15 on x86_64/jemalloc (int: robj only; embstr: one allocation; raw: robj + sds)
        assert.deepEqual(usage, [':64\r\n', ':80\r\n', ':96\r\n', ':112\r\n', ':128\r\n', ':128\r\n', ':272\r\n', ':48\r\n']);
      });

      test('DEBUG DIGEST-VALUE and DEBUG OBJECT do not depend on the stored shape', async () => {
        const v = binary(16);
        await call('SET', 'd1', v);
        await call('SET', 'd2', v);
        await call('SETRANGE', 'd2', 0, v.subarray(0, 1)); // same bytes, now modified in place
        const dig = await text('DEBUG', 'DIGEST-VALUE', 'd1', 'd2');
        const parts = dig.split('\r\n');
        assert.equal(parts[0], '*2');
        assert.match(parts[1], /^\+[0-9a-f]{40}$/);
        assert.equal(parts[1], parts[2]);
        await call('SET', 'd3', binary(16, 8));
        assert.notEqual((await text('DEBUG', 'DIGEST-VALUE', 'd3')).split('\r\n')[1], parts[1]);
        assert.match(await text('DEBUG', 'OBJECT', 'd1'), /encoding:embstr serializedlength:17 /);
        assert.match(await text('DEBUG', 'OBJECT', 'd2'), /encoding:raw serializedlength:17 /);
        await call('SET', 'd4', '-123');
        assert.match(await text('DEBUG', 'OBJECT', 'd4'), /encoding:int serializedlength:2 /);
      });
    });
  }
});
