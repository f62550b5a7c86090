// Blocking list pops with several clients: FIFO serving, timeouts, serving after MULTI/EXEC with the final state,
// BLMOVE chains, CLIENT UNBLOCK, pipelined commands held while blocked. Runs against redlua, and also against a live
// redis-server 7.0.15 when REDLUA_LIVE=1 (same assertions), so the expectations are Redis's.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { liveMode, startRedis, type Oracle } from '../helpers/redis-server.js';

const targets: { name: string; port: () => number }[] = [];
let redlua: RunningServer;
let oracle: Oracle | null = null;

before(async () => {
  redlua = await startServer({ log: false });
  if (liveMode()) oracle = await startRedis();
});
after(async () => {
  await redlua.close();
  if (oracle) await oracle.stop();
});

targets.push({ name: 'redlua', port: () => redlua.port });
if (liveMode()) targets.push({ name: 'redis', port: () => oracle!.port });

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const s = (b: Buffer) => b.toString('latin1');

/** Asserts that nothing arrives on `c` for `ms`. */
async function silent(c: RawConn, ms = 60): Promise<void> {
  await assert.rejects(c.readRaw(ms), /timeout/);
}

async function conns(port: number, n: number): Promise<RawConn[]> {
  const out: RawConn[] = [];
  for (let i = 0; i < n; i++) out.push(await RawConn.connect(port));
  await out[0].call(['FLUSHALL']);
  return out;
}

for (const t of targets) {
  describe(`blocking (${t.name})`, () => {
    test('clients blocked on the same key are served first-in first-out', async () => {
      const [a, b, c, w] = await conns(t.port(), 4);
      a.send(['BLPOP', 'l', '0']);
      await sleep(20);
      b.send(['BLPOP', 'l', '0']);
      await sleep(20);
      c.send(['BRPOP', 'l', '0']);
      await sleep(20);
      assert.equal(s(await w.call(['RPUSH', 'l', 'x', 'y'])), ':2\r\n');
      assert.equal(s((await a.readRaw()).raw), '*2\r\n$1\r\nl\r\n$1\r\nx\r\n');
      assert.equal(s((await b.readRaw()).raw), '*2\r\n$1\r\nl\r\n$1\r\ny\r\n');
      await silent(c);
      assert.equal(s(await w.call(['LPUSH', 'l', 'z'])), ':1\r\n');
      assert.equal(s((await c.readRaw()).raw), '*2\r\n$1\r\nl\r\n$1\r\nz\r\n');
      assert.equal(s(await w.call(['EXISTS', 'l'])), ':0\r\n');
      for (const x of [a, b, c, w]) x.close();
    });

    test('timeouts reply a null array (RESP2) / null (RESP3), fractional seconds', async () => {
      const [a, b] = await conns(t.port(), 2);
      await b.call(['HELLO', '3']);
      const t0 = Date.now();
      a.send(['BLPOP', 'l', '0.15']);
      b.send(['BLMOVE', 'l', 'd', 'LEFT', 'RIGHT', '0.15']);
      assert.equal(s((await a.readRaw(2000)).raw), '*-1\r\n');
      assert.equal(s((await b.readRaw(2000)).raw), '_\r\n');
      const dt = Date.now() - t0;
      assert.ok(dt >= 140 && dt < 3000, `timed out after ${dt}ms`);
      a.close();
      b.close();
    });

    test('a push inside MULTI/EXEC serves the waiter after EXEC with the final state', async () => {
      const [a, w] = await conns(t.port(), 2);
      a.send(['BLPOP', 'l', '0']);
      await sleep(20);
      await w.call(['MULTI']);
      await w.call(['RPUSH', 'l', 'a', 'b']);
      await w.call(['LPOP', 'l']);
      await w.call(['LLEN', 'l']);
      assert.equal(s(await w.call(['EXEC'])), '*3\r\n:2\r\n$1\r\na\r\n:1\r\n');
      assert.equal(s((await a.readRaw()).raw), '*2\r\n$1\r\nl\r\n$1\r\nb\r\n');
      assert.equal(s(await w.call(['EXISTS', 'l'])), ':0\r\n');
      a.close();
      w.close();
    });

    test('a push then pop in one transaction leaves the waiter blocked', async () => {
      const [a, w] = await conns(t.port(), 2);
      a.send(['BLPOP', 'l', '0']);
      await sleep(20);
      await w.call(['MULTI']);
      await w.call(['RPUSH', 'l', 'a']);
      await w.call(['LPOP', 'l']);
      await w.call(['EXEC']);
      await silent(a);
      await w.call(['RPUSH', 'l', 'c']);
      assert.equal(s((await a.readRaw()).raw), '*2\r\n$1\r\nl\r\n$1\r\nc\r\n');
      a.close();
      w.close();
    });

    test('BLMOVE pushes serve clients blocked on the destination', async () => {
      const [a, b, w] = await conns(t.port(), 3);
      a.send(['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0']);
      await sleep(20);
      b.send(['BRPOP', 'dst', '0']);
      await sleep(20);
      await w.call(['RPUSH', 'src', 'v']);
      assert.equal(s((await a.readRaw()).raw), '$1\r\nv\r\n');
      assert.equal(s((await b.readRaw()).raw), '*2\r\n$3\r\ndst\r\n$1\r\nv\r\n');
      assert.equal(s(await w.call(['EXISTS', 'src', 'dst'])), ':0\r\n');
      a.close();
      b.close();
      w.close();
    });

    test('BLMOVE to a destination of the wrong type replies WRONGTYPE when served and keeps the element', async () => {
      const [a, w] = await conns(t.port(), 2);
      a.send(['BRPOPLPUSH', 'src', 'dst', '0']);
      await sleep(20);
      await w.call(['SET', 'dst', 'x']);
      await w.call(['RPUSH', 'src', 'v']);
      assert.equal(s((await a.readRaw()).raw), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
      assert.equal(s(await w.call(['LRANGE', 'src', '0', '-1'])), '*1\r\n$1\r\nv\r\n');
      a.close();
      w.close();
    });

    test('BLMPOP with COUNT and several keys', async () => {
      const [a, w] = await conns(t.port(), 2);
      a.send(['BLMPOP', '0', '2', 'k1', 'k2', 'RIGHT', 'COUNT', '2']);
      await sleep(20);
      await w.call(['RPUSH', 'k2', 'a', 'b', 'c']);
      assert.equal(s((await a.readRaw()).raw), '*2\r\n$2\r\nk2\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n');
      a.close();
      w.close();
    });

    test('a key of another type does not serve; the key becoming a list later does', async () => {
      const [a, w] = await conns(t.port(), 2);
      a.send(['BLPOP', 'k', '0']);
      await sleep(20);
      await w.call(['SADD', 'k', 'm']);
      await silent(a);
      await w.call(['DEL', 'k']);
      await w.call(['LPUSH', 'k', 'x']);
      assert.equal(s((await a.readRaw()).raw), '*2\r\n$1\r\nk\r\n$1\r\nx\r\n');
      a.close();
      w.close();
    });

    test('pipelined commands of a blocked client wait until it is served', async () => {
      const [a, w] = await conns(t.port(), 2);
      a.write('*3\r\n$5\r\nBLPOP\r\n$1\r\nl\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nLLEN\r\n$1\r\nl\r\n');
      await silent(a);
      await w.call(['RPUSH', 'l', 'x', 'y']);
      assert.equal(s((await a.readRaw()).raw), '*2\r\n$1\r\nl\r\n$1\r\nx\r\n');
      assert.equal(s((await a.readRaw()).raw), '+PONG\r\n');
      assert.equal(s((await a.readRaw()).raw), ':1\r\n');
      a.close();
      w.close();
    });

    test('CLIENT UNBLOCK with TIMEOUT and ERROR', async () => {
      const [a, w] = await conns(t.port(), 2);
      const id = s(await a.call(['CLIENT', 'ID'])).slice(1, -2);
      assert.equal(s(await w.call(['CLIENT', 'UNBLOCK', id])), ':0\r\n');
      a.send(['BLPOP', 'l', '0']);
      await sleep(20);
      assert.equal(s(await w.call(['CLIENT', 'UNBLOCK', id])), ':1\r\n');
      assert.equal(s((await a.readRaw()).raw), '*-1\r\n');
      a.send(['BRPOPLPUSH', 'l', 'd', '0']);
      await sleep(20);
      assert.equal(s(await w.call(['CLIENT', 'UNBLOCK', id, 'ERROR'])), ':1\r\n');
      assert.equal(s((await a.readRaw()).raw), '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
      assert.equal(s(await a.call(['PING'])), '+PONG\r\n');
      a.close();
      w.close();
    });

    test('a disconnected waiter is forgotten', async () => {
      const [a, b, w] = await conns(t.port(), 3);
      a.send(['BLPOP', 'l', '0']);
      await sleep(20);
      b.send(['BLPOP', 'l', '0']);
      await sleep(20);
      a.close();
      await sleep(30);
      await w.call(['RPUSH', 'l', 'x', 'y']);
      assert.equal(s((await b.readRaw()).raw), '*2\r\n$1\r\nl\r\n$1\r\nx\r\n');
      assert.equal(s(await w.call(['LRANGE', 'l', '0', '-1'])), '*1\r\n$1\r\ny\r\n');
      b.close();
      w.close();
    });

    test('one client blocked on several keys is served once', async () => {
      const [a, w] = await conns(t.port(), 2);
      a.send(['BLPOP', 'k1', 'k2', '0']);
      await sleep(20);
      await w.call(['MULTI']);
      await w.call(['RPUSH', 'k2', 'b']);
      await w.call(['RPUSH', 'k1', 'a']);
      await w.call(['EXEC']);
      // Keys are served in the order they were signalled ready.
      assert.equal(s((await a.readRaw()).raw), '*2\r\n$2\r\nk2\r\n$1\r\nb\r\n');
      await silent(a);
      assert.equal(s(await w.call(['LRANGE', 'k1', '0', '-1'])), '*1\r\n$1\r\na\r\n');
      a.close();
      w.close();
    });

    test('blocking commands in a transaction do not block', async () => {
      const [a] = await conns(t.port(), 1);
      await a.call(['MULTI']);
      await a.call(['BLPOP', 'l', '0']);
      await a.call(['BLMOVE', 'l', 'd', 'LEFT', 'LEFT', '0']);
      assert.equal(s(await a.call(['EXEC'])), '*2\r\n*-1\r\n$-1\r\n');
      a.close();
    });
    test('a push inside a script serves the waiter after the script with the final state', async () => {
      const [a, w] = await conns(t.port(), 2);
      a.send(['BLPOP', 'l', '0']);
      await sleep(20);
      const script = "redis.call('rpush', KEYS[1], 'x', 'y'); redis.call('lpop', KEYS[1]); return redis.call('llen', KEYS[1])";
      assert.equal(s(await w.call(['EVAL', script, '1', 'l'])), ':1\r\n');
      // BLPOP & co are refused in scripts (noscript)
      assert.match(s(await w.call(['EVAL', "return redis.call('blpop', 'l', 0)", '0'])), /^-ERR This Redis command is not allowed from script/);
      assert.equal(s((await a.readRaw()).raw), '*2\r\n$1\r\nl\r\n$1\r\ny\r\n');
      a.close();
      w.close();
    });
    test("an unblocked client's pipelined commands run after the serving client's pipeline, not inside it", async () => {
      const [a, b] = await conns(t.port(), 2);
      b.write('*3\r\n$5\r\nBLPOP\r\n$1\r\nl\r\n$1\r\n0\r\n*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\ny\r\n');
      await sleep(30);
      a.write('*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\nx\r\n*2\r\n$4\r\nLLEN\r\n$1\r\nl\r\n');
      assert.equal(s((await a.readRaw()).raw), ':1\r\n');
      assert.equal(s((await a.readRaw()).raw), ':0\r\n');
      assert.equal(s((await b.readRaw()).raw), '*2\r\n$1\r\nl\r\n$1\r\nx\r\n');
      assert.equal(s((await b.readRaw()).raw), ':1\r\n');
      a.close();
      b.close();
    });
  });
}
