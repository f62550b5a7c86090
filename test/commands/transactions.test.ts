// MULTI/EXEC/WATCH with several clients: invalidation by other clients' writes, expiry, FLUSHDB, SWAPDB, DEL of a
// missing key; EXEC freezes the expiry clock. Also run against redis-server 7.0.15 when REDLUA_LIVE=1.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RawConn } from '../helpers/conn.js';
import { useRedluaAndOracle } from '../helpers/server.js';

const { targets } = useRedluaAndOracle({ 'enable-debug-command': 'yes' });

const s = (b: Buffer) => b.toString('latin1');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function pair(port: number): Promise<[RawConn, RawConn]> {
  const a = await RawConn.connect(port);
  const b = await RawConn.connect(port);
  await a.call(['FLUSHALL']);
  return [a, b];
}

/** WATCH keys on `a`, run `other` on b, then MULTI/RPUSH/EXEC on `a`: returns EXEC's raw reply. */
async function watchedExec(a: RawConn, keys: string[], other: () => Promise<unknown>): Promise<string> {
  assert.equal(s(await a.call(['WATCH', ...keys])), '+OK\r\n');
  await other();
  await a.call(['MULTI']);
  await a.call(['RPUSH', 'out', 'x']);
  return s(await a.call(['EXEC']));
}

for (const t of targets) {
  describe(`transactions (${t.name})`, () => {
    test('a write by another client aborts EXEC with a null array', async () => {
      const [a, b] = await pair(t.port());
      assert.equal(await watchedExec(a, ['k'], () => b.call(['SET', 'k', 'v'])), '*-1\r\n');
      assert.equal(s(await a.call(['EXISTS', 'out'])), ':0\r\n');
      // RESP3: null
      await a.call(['HELLO', '3']);
      assert.equal(await watchedExec(a, ['k'], () => b.call(['HSET', 'k2', 'f', 'v']).then(() => b.call(['DEL', 'k']))), '_\r\n');
      a.close();
      b.close();
    });

    test('writes to other keys and no-op writes keep the transaction', async () => {
      const [a, b] = await pair(t.port());
      assert.equal(await watchedExec(a, ['k'], () => b.call(['SET', 'other', 'v'])), '*1\r\n:1\r\n');
      assert.equal(await watchedExec(a, ['k'], () => b.call(['DEL', 'k'])), '*1\r\n:2\r\n');
      assert.equal(await watchedExec(a, ['k'], () => b.call(['SREM', 'k', 'x'])), '*1\r\n:3\r\n');
      a.close();
      b.close();
    });

    test('collection commands touch the watched key', async () => {
      const [a, b] = await pair(t.port());
      const cmds: string[][] = [
        ['RPUSH', 'k', 'a'],
        ['LPOP', 'k'],
        ['SADD', 'k', 'm'],
        ['SPOP', 'k'],
        ['HSET', 'k', 'f', 'v'],
        ['HINCRBY', 'k', 'n', '1'],
        ['HDEL', 'k', 'f', 'n'],
      ];
      for (const cmd of cmds) {
        assert.equal(await watchedExec(a, ['k'], () => b.call(cmd)), '*-1\r\n', cmd.join(' '));
      }
      a.close();
      b.close();
    });

    test('FLUSHDB touches watched keys that exist; SWAPDB too', async () => {
      const [a, b] = await pair(t.port());
      await b.call(['SET', 'k', 'v']);
      assert.equal(await watchedExec(a, ['k'], () => b.call(['FLUSHDB'])), '*-1\r\n');
      assert.equal(await watchedExec(a, ['k'], () => b.call(['FLUSHDB'])), '*1\r\n:1\r\n');
      await b.call(['SELECT', '1']);
      await b.call(['SET', 'k', 'v']);
      assert.equal(await watchedExec(a, ['k'], () => b.call(['SWAPDB', '0', '1'])), '*-1\r\n');
      await b.call(['FLUSHALL']);
      a.close();
      b.close();
    });

    test('a watched key that expires before EXEC aborts it', async () => {
      const [a, b] = await pair(t.port());
      await b.call(['SET', 'k', 'v', 'PX', '30']);
      const r = await watchedExec(a, ['k'], () => sleep(60));
      assert.equal(r, '*-1\r\n');
      a.close();
      b.close();
    });

    test('a key already expired when WATCHed does not abort when it is deleted', async () => {
      const [a, b] = await pair(t.port());
      await b.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
      try {
        await b.call(['SET', 'k', 'v', 'PX', '1']);
        await sleep(10);
        const r = await watchedExec(a, ['k'], () => b.call(['EXISTS', 'k']));
        assert.equal(r, '*1\r\n:1\r\n');
      } finally {
        await b.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
      }
      a.close();
      b.close();
    });

    test('EXEC runs commands in order with per-command errors, queue errors abort', async () => {
      const [a] = await pair(t.port());
      await a.call(['SET', 's', 'x']);
      await a.call(['MULTI']);
      assert.equal(s(await a.call(['RPUSH', 's', 'a'])), '+QUEUED\r\n');
      await a.call(['SADD', 'set', 'a']);
      await a.call(['SCARD', 'set']);
      assert.equal(s(await a.call(['EXEC'])), '*3\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n:1\r\n:1\r\n');
      await a.call(['MULTI']);
      assert.match(s(await a.call(['SADD', 'set'])), /^-ERR wrong number of arguments/);
      await a.call(['SADD', 'set', 'b']);
      assert.equal(s(await a.call(['EXEC'])), '-EXECABORT Transaction discarded because of previous errors.\r\n');
      assert.equal(s(await a.call(['SCARD', 'set'])), ':1\r\n');
      a.close();
    });

    test('EXEC serves blocked clients only after the whole transaction', async () => {
      const [a, b] = await pair(t.port());
      b.send(['BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '10']);
      await sleep(20);
      await a.call(['MULTI']);
      await a.call(['RPUSH', 'l', '1', '2', '3']);
      await a.call(['LPOP', 'l']);
      await a.call(['RPUSH', 'l', '4']);
      await a.call(['EXEC']);
      assert.equal(s((await b.readRaw()).raw), '*2\r\n$1\r\nl\r\n*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n');
      a.close();
      b.close();
    });
  });
}
