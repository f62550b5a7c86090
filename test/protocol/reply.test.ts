// Reply: the one vocabulary, RESP3 natively and degraded to RESP2 exactly as Redis's addReply* functions do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reply } from '../../src/protocol/reply.js';

function both(f: (r: Reply) => void): [string, string] {
  const r2 = new Reply(2);
  const r3 = new Reply(3);
  f(r2);
  f(r3);
  return [r2.take().toString('latin1'), r3.take().toString('latin1')];
}

test('integers and aggregate lengths are written digit by digit exactly as String(n) renders them', () => {
  const samples = [512, 513, 999, 1000, 9999, 10000, 65535, 1e6, 1234567890, 2 ** 31, 2 ** 32 + 7, 1e15 - 1, 1e15, 2 ** 53 - 1];
  for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.random() * 2 ** (1 + (i % 53))));
  for (const v of samples) {
    for (const n of [v, -v]) {
      if (n === 0) continue;
      const r = new Reply(3);
      r.int(n);
      r.arrayLen(n);
      r.mapLen(n);
      assert.equal(r.take().toString('latin1'), `:${n}\r\n*${n}\r\n%${n}\r\n`);
    }
  }
  const r = new Reply(2);
  r.bulkStr('x'.repeat(70000)); // a long bulk: its header is past the shared ones
  assert.equal(r.take().toString('latin1', 0, 9), '$70000\r\nx');
});

test('scalars in RESP2 and RESP3', () => {
  assert.deepEqual(both(r => r.ok()), ['+OK\r\n', '+OK\r\n']);
  assert.deepEqual(both(r => r.simple('PONG')), ['+PONG\r\n', '+PONG\r\n']);
  assert.deepEqual(both(r => r.error('ERR x')), ['-ERR x\r\n', '-ERR x\r\n']);
  assert.deepEqual(both(r => r.error('-WRONGTYPE y')), ['-WRONGTYPE y\r\n', '-WRONGTYPE y\r\n']);
  assert.deepEqual(both(r => r.errorSafe('ERR a\r\nb')), ['-ERR a  b\r\n', '-ERR a  b\r\n']);
  assert.deepEqual(both(r => r.int(0)), [':0\r\n', ':0\r\n']);
  assert.deepEqual(both(r => r.int(-5)), [':-5\r\n', ':-5\r\n']);
  assert.deepEqual(both(r => r.int(1234567)), [':1234567\r\n', ':1234567\r\n']);
  assert.deepEqual(both(r => r.int(9223372036854775807n)), [':9223372036854775807\r\n', ':9223372036854775807\r\n']);
  assert.deepEqual(both(r => r.null()), ['$-1\r\n', '_\r\n']);
  assert.deepEqual(both(r => r.nullArray()), ['*-1\r\n', '_\r\n']);
  assert.deepEqual(both(r => r.bool(true)), [':1\r\n', '#t\r\n']);
  assert.deepEqual(both(r => r.bool(false)), [':0\r\n', '#f\r\n']);
  assert.deepEqual(both(r => r.double(1.5)), ['$3\r\n1.5\r\n', ',1.5\r\n']);
  assert.deepEqual(both(r => r.double(0.1)), ['$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n']);
  assert.deepEqual(both(r => r.double(Infinity)), ['$3\r\ninf\r\n', ',inf\r\n']);
  assert.deepEqual(both(r => r.bigNumber('123456789012345678901234567890')), ['$30\r\n123456789012345678901234567890\r\n', '(123456789012345678901234567890\r\n']);
  assert.deepEqual(both(r => r.verbatim('hello')), ['$5\r\nhello\r\n', '=9\r\ntxt:hello\r\n']);
  assert.deepEqual(both(r => r.bulk(Buffer.from([0, 13, 10, 255]))), ['$4\r\n\0\r\n\xff\r\n', '$4\r\n\0\r\n\xff\r\n']);
  assert.deepEqual(both(r => r.bulkStr('')), ['$0\r\n\r\n', '$0\r\n\r\n']);
});

test('aggregates degrade to arrays in RESP2', () => {
  assert.deepEqual(both(r => r.arrayLen(2)), ['*2\r\n', '*2\r\n']);
  assert.deepEqual(both(r => r.mapLen(2)), ['*4\r\n', '%2\r\n']);
  assert.deepEqual(both(r => r.setLen(3)), ['*3\r\n', '~3\r\n']);
  assert.deepEqual(both(r => r.pushLen(3)), ['*3\r\n', '>3\r\n']);
  assert.deepEqual(both(r => r.emptyArray()), ['*0\r\n', '*0\r\n']);
  assert.deepEqual(both(r => r.arrayLen(100000)), ['*100000\r\n', '*100000\r\n']);
});

test('deferred lengths are filled in place', () => {
  const [r2, r3] = both(r => {
    const h = r.deferLen();
    r.bulkStr('a');
    r.int(1);
    r.setDeferredMapLen(h, 1);
    const a = r.deferLen();
    r.setDeferredArrayLen(a, 0);
    const s = r.deferLen();
    r.bulkStr('x');
    r.setDeferredSetLen(s, 1);
  });
  assert.equal(r2, '*2\r\n$1\r\na\r\n:1\r\n*0\r\n*1\r\n$1\r\nx\r\n');
  assert.equal(r3, '%1\r\n$1\r\na\r\n:1\r\n*0\r\n~1\r\n$1\r\nx\r\n');
});

test('large payloads, many small writes, take() resets', () => {
  const r = new Reply(2);
  const big = Buffer.alloc(100000, 97);
  r.bulk(big);
  for (let i = 0; i < 20000; i++) r.int(i % 7);
  const out = r.take();
  assert.equal(out.length, `$100000\r\n`.length + 100000 + 2 + 20000 * 4);
  assert.equal(out.subarray(0, 9).toString(), '$100000\r\n');
  assert.equal(r.length, 0);
  assert.equal(r.take().length, 0);
  r.ok();
  assert.equal(r.length, 5);
  assert.equal(r.take().toString(), '+OK\r\n');
});

test('errors go through the error hook (errorstats)', () => {
  const r = new Reply(3);
  const seen: string[] = [];
  r.errorHook = t => seen.push(t);
  r.error('ERR one');
  r.error('-NOSCRIPT two');
  r.errorNoStats('ERR not counted');
  assert.deepEqual(seen, ['ERR one', 'NOSCRIPT two']);
});
