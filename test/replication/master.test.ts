// A real redis-server 7.0.15 replicating from redlua: full resync (RDB), the propagated stream (writes, scripts,
// expiry), a dropped link answered by a partial resync from the backlog, ROLE, INFO replication and WAIT; plus the
// REPLCONF argument errors. The redis-server part runs when it is installed.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';

async function call(c: RawConn, ...args: string[]): Promise<string> {
  return (await c.call(args)).toString('latin1');
}

async function until(what: string, f: () => Promise<boolean>, ms = 30000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

const field = (info: string, name: string) => new RegExp(`\\r\\n${name}:([^\\r]*)`).exec(info)?.[1] ?? '';

describe('replication, master side', () => {
  let srv: RunningServer;
  let m: RawConn;
  before(async () => {
    srv = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
    m = await RawConn.connect(srv.port);
  });
  after(async () => {
    m.close();
    await srv.close();
  });

  test('REPLCONF arguments', async () => {
    const c = await RawConn.connect(srv.port);
    assert.equal(await call(c, 'REPLCONF', 'listening-port'), '-ERR syntax error\r\n');
    assert.equal(await call(c, 'REPLCONF', 'listening-port', '6380', 'capa', 'eof', 'capa', 'psync2'), '+OK\r\n');
    assert.equal(await call(c, 'REPLCONF', 'foo', 'bar'), '-ERR Unrecognized REPLCONF option: foo\r\n');
    c.close();
  });

  test('a redis-server replica stays consistent through writes, scripts, expiry and a reconnect', { skip: !redisServerAvailable() }, async () => {
    await call(m, 'SET', 'before', 'sync');
    await call(m, 'RPUSH', 'list', 'a', 'b', 'c');
    await call(m, 'HSET', 'hash', 'f', 'v');
    let replica: Oracle | null = await startRedis(['--replicaof', '127.0.0.1', String(srv.port)]);
    const r = await RawConn.connect(replica.port);
    try {
      const synced = async () => {
        const ri = await call(r, 'INFO', 'replication');
        const mi = await call(m, 'INFO', 'replication');
        return field(ri, 'master_link_status') === 'up' && field(ri, 'slave_repl_offset') === field(mi, 'master_repl_offset');
      };
      const digestsEqual = async () => (await call(m, 'DEBUG', 'DIGEST')) === (await call(r, 'DEBUG', 'DIGEST'));
      await until('the full resync', synced);
      assert.equal(await call(r, 'GET', 'before'), '$4\r\nsync\r\n');
      // the stream: writes in several dbs, a script's effects, a transaction, rewritten commands, expiry
      await call(m, 'SET', 'k', 'v', 'EX', '1000');
      await call(m, 'INCRBYFLOAT', 'f', '1.5');
      await call(m, 'EVAL', "redis.call('set','s1','1'); redis.call('lpush','list','z'); return redis.call('spop','nothere')", '0');
      await call(m, 'MULTI');
      await call(m, 'SELECT', '5');
      await call(m, 'SET', 'in5', 'x');
      await call(m, 'SELECT', '0');
      await call(m, 'EXEC');
      await call(m, 'SET', 'short', 'v', 'PX', '30');
      await call(m, 'XADD', 'stream', '*', 'a', 'b');
      await until('the expiry of short', async () => (await call(m, 'DBSIZE')) === ':7\r\n');
      await until('the stream', synced);
      assert.ok(await digestsEqual(), 'DEBUG DIGEST equal after the stream');
      assert.equal(await call(r, 'EXISTS', 'short'), ':0\r\n');
      const role = await call(m, 'ROLE');
      assert.match(role, /^\*3\r\n\$6\r\nmaster\r\n:\d+\r\n\*1\r\n\*3\r\n\$9\r\n127\.0\.0\.1\r\n/);
      assert.equal(field(await call(m, 'INFO', 'replication'), 'connected_slaves'), '1');
      assert.equal(await call(m, 'WAIT', '1', '5000'), ':1\r\n');
      // a dropped link: the replica comes back with PSYNC and gets the missing bytes from the backlog
      await call(r, 'CLIENT', 'KILL', 'TYPE', 'master');
      await call(m, 'SET', 'during', 'drop');
      await until('the partial resync', async () => (await synced()) && (await call(r, 'GET', 'during')) === '$4\r\ndrop\r\n');
      assert.equal(field(await call(m, 'INFO', 'stats'), 'sync_partial_ok'), '1');
      assert.ok(await digestsEqual(), 'DEBUG DIGEST equal after the partial resync');
    } finally {
      r.close();
      await replica.stop();
      replica = null;
    }
    await until('the replica to go away', async () => field(await call(m, 'INFO', 'replication'), 'connected_slaves') === '0');
  });
});
