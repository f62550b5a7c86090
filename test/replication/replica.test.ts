// The replica side: redlua replicating from a redlua master and from a real redis-server 7.0.15 (when installed):
// full resync, the stream (writes in several dbs, scripts, MULTI, expiry), a dropped link answered by a partial
// resync, READONLY, MASTERDOWN, REPLICAOF NO ONE, ROLE and INFO replication of a replica, min-replicas-to-write.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { redisServerAvailable, startRedis } from '../helpers/redis-server.js';
import { call, until, field } from './util.js';

/** Writes a mixed workload on `m`, then checks `r` follows it (DEBUG DIGEST) and survives a dropped link. */
async function exercise(m: RawConn, r: RawConn, masterPort: number): Promise<void> {
  const synced = async () => {
    const ri = await call(r, 'INFO', 'replication');
    const mi = await call(m, 'INFO', 'replication');
    return field(ri, 'master_link_status') === 'up' && field(ri, 'slave_repl_offset') === field(mi, 'master_repl_offset');
  };
  const digestsEqual = async () => (await call(m, 'DEBUG', 'DIGEST')) === (await call(r, 'DEBUG', 'DIGEST'));
  await call(m, 'SET', 'before', 'sync');
  await call(m, 'RPUSH', 'list', 'a', 'b');
  assert.equal(await call(r, 'REPLICAOF', '127.0.0.1', String(masterPort)), '+OK\r\n');
  assert.equal(await call(r, 'REPLICAOF', '127.0.0.1', String(masterPort)), '+OK Already connected to specified master\r\n');
  await until('the full resync', synced);
  assert.equal(await call(r, 'GET', 'before'), '$4\r\nsync\r\n');
  assert.equal(await call(r, 'CONFIG', 'GET', 'replicaof'), `*2\r\n$9\r\nreplicaof\r\n$${`127.0.0.1 ${masterPort}`.length}\r\n127.0.0.1 ${masterPort}\r\n`);
  await call(m, 'SET', 'k', 'v', 'EX', '1000');
  await call(m, 'EVAL', "redis.call('incr','cnt'); redis.call('sadd','set','m'); return 1", '0');
  await call(m, 'MULTI');
  await call(m, 'SELECT', '3');
  await call(m, 'SET', 'in3', 'x');
  await call(m, 'SELECT', '0');
  await call(m, 'EXEC');
  await call(m, 'SET', 'short', 'v', 'PX', '30');
  await until('the expiry of short', async () => (await call(m, 'EXISTS', 'short')) === ':0\r\n');
  await until('the stream', async () => (await synced()) && (await digestsEqual()));
  assert.equal(await call(r, 'GET', 'cnt'), '$1\r\n1\r\n');
  // a read-only replica refuses its clients' writes, in scripts too
  assert.equal(await call(r, 'SET', 'x', '1'), "-READONLY You can't write against a read only replica.\r\n");
  assert.match(await call(r, 'EVAL', "return redis.call('set','x','1')", '0'), /^-READONLY You can't write against a read only replica\./);
  const ri = await call(r, 'INFO', 'replication');
  for (const [k, v] of Object.entries({ role: 'slave', master_host: '127.0.0.1', master_port: String(masterPort), master_sync_in_progress: '0', slave_read_only: '1', slave_priority: '100', replica_announced: '1' })) {
    assert.equal(field(ri, k), v, k);
  }
  assert.match(await call(r, 'ROLE'), new RegExp(`^\\*5\\r\\n\\$5\\r\\nslave\\r\\n\\$9\\r\\n127\\.0\\.0\\.1\\r\\n:${masterPort}\\r\\n\\$9\\r\\nconnected\\r\\n:\\d+\\r\\n$`));
  assert.match(await call(r, 'CLIENT', 'LIST', 'TYPE', 'master'), /flags=M /);
  assert.match(await call(m, 'CLIENT', 'LIST', 'TYPE', 'replica'), /flags=S /);
  // WAIT on the master counts the replica's ACK
  assert.equal(await call(m, 'WAIT', '1', '10000'), ':1\r\n');
  // min-replicas-to-write: one good replica is enough for 1, not for 2
  await call(m, 'CONFIG', 'SET', 'min-replicas-to-write', '2');
  assert.equal(await call(m, 'SET', 'w', '1'), '-NOREPLICAS Not enough good replicas to write.\r\n');
  assert.equal(field(await call(m, 'INFO', 'replication'), 'min_slaves_good_slaves'), '1');
  await call(m, 'CONFIG', 'SET', 'min-replicas-to-write', '1');
  assert.equal(await call(m, 'SET', 'w', '1'), '+OK\r\n');
  await call(m, 'CONFIG', 'SET', 'min-replicas-to-write', '0');
  // a dropped link: PSYNC <replid> <offset+1> gets the missing bytes from the master's backlog
  const partial0 = Number(field(await call(m, 'INFO', 'stats'), 'sync_partial_ok'));
  await call(m, 'CLIENT', 'KILL', 'TYPE', 'slave');
  await call(m, 'SET', 'during', 'drop');
  await until('the partial resync', async () => (await synced()) && (await call(r, 'GET', 'during')) === '$4\r\ndrop\r\n');
  assert.equal(Number(field(await call(m, 'INFO', 'stats'), 'sync_partial_ok')), partial0 + 1);
  assert.ok(await digestsEqual(), 'DEBUG DIGEST equal after the partial resync');
  // REPLICAOF NO ONE: writable again, the master's history kept as replid2
  const masterId = field(await call(m, 'INFO', 'replication'), 'master_replid');
  assert.equal(await call(r, 'REPLICAOF', 'NO', 'ONE'), '+OK\r\n');
  assert.equal(await call(r, 'SET', 'x', '1'), '+OK\r\n');
  const after = await call(r, 'INFO', 'replication');
  assert.equal(field(after, 'role'), 'master');
  assert.equal(await call(r, 'CONFIG', 'GET', 'replicaof'), '*2\r\n$9\r\nreplicaof\r\n$0\r\n\r\n');
  assert.equal(field(after, 'master_replid2'), masterId);
}

describe('replication, replica side', () => {
  test('a redlua replica of a redlua master', async () => {
    const master = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
    const replica = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
    const m = await RawConn.connect(master.port);
    const r = await RawConn.connect(replica.port);
    try {
      await exercise(m, r, master.port);
      // replica-serve-stale-data no: MASTERDOWN while the link is down, stale-flagged commands still run
      await call(r, 'CONFIG', 'SET', 'replica-serve-stale-data', 'no');
      const dead = await startServer({ log: false });
      const deadPort = dead.port;
      await dead.close();
      await call(r, 'REPLICAOF', '127.0.0.1', String(deadPort));
      assert.equal(await call(r, 'GET', 'x'), "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n");
      // PING is not flagged stale in 7.0; INFO is
      assert.equal(await call(r, 'PING'), "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n");
      assert.equal(field(await call(r, 'INFO', 'replication'), 'master_link_status'), 'down');
      await call(r, 'REPLICAOF', 'NO', 'ONE');
    } finally {
      m.close();
      r.close();
      await replica.close();
      await master.close();
    }
  });

  test('chained replicas: a replica passes the stream of its master on', async () => {
    const a = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
    const b = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
    const cc = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
    const ca = await RawConn.connect(a.port);
    const cb = await RawConn.connect(b.port);
    const c3 = await RawConn.connect(cc.port);
    try {
      await call(ca, 'SET', 'k', '1');
      await call(cb, 'REPLICAOF', '127.0.0.1', String(a.port));
      await until('b synced', async () => field(await call(cb, 'INFO', 'replication'), 'master_link_status') === 'up');
      await call(c3, 'REPLICAOF', '127.0.0.1', String(b.port));
      await until('c synced', async () => field(await call(c3, 'INFO', 'replication'), 'master_link_status') === 'up');
      await call(ca, 'EVAL', "redis.call('incr','n'); redis.call('rpush','l','x'); return 1", '0');
      await call(ca, 'SET', 'e', 'v', 'EX', '100');
      const top = async () => field(await call(ca, 'INFO', 'replication'), 'master_repl_offset');
      await until('c at the top master offset', async () => field(await call(c3, 'INFO', 'replication'), 'slave_repl_offset') === (await top()));
      assert.equal(await call(c3, 'DEBUG', 'DIGEST'), await call(ca, 'DEBUG', 'DIGEST'));
    } finally {
      ca.close();
      cb.close();
      c3.close();
      await cc.close();
      await b.close();
      await a.close();
    }
  });

  test('a replica sends its replicas no PINGs of its own: a chain keeps the top master\'s offsets', async () => {
    const cfg = { 'repl-ping-replica-period': '1' };
    const a = await startServer({ log: false, config: cfg });
    const b = await startServer({ log: false, config: { ...cfg, replicaof: `127.0.0.1 ${a.port}` } });
    const cc = await startServer({ log: false, config: { ...cfg, replicaof: `127.0.0.1 ${b.port}` } });
    const ca = await RawConn.connect(a.port);
    const cb = await RawConn.connect(b.port);
    const c3 = await RawConn.connect(cc.port);
    try {
      await until('the chain', async () => field(await call(c3, 'INFO', 'replication'), 'master_link_status') === 'up');
      await new Promise(r => setTimeout(r, 2500)); // several ping periods on every server
      await call(ca, 'SET', 'k', 'v');
      const top = async () => field(await call(ca, 'INFO', 'replication'), 'master_repl_offset');
      await until('the chain at the top offset', async () => field(await call(c3, 'INFO', 'replication'), 'slave_repl_offset') === (await top()));
      assert.equal(field(await call(cb, 'INFO', 'replication'), 'master_repl_offset'), await top());
      assert.equal(await call(c3, 'GET', 'k'), '$1\r\nv\r\n');
    } finally {
      ca.close();
      cb.close();
      c3.close();
      await cc.close();
      await b.close();
      await a.close();
    }
  });

  test('repl-diskless-sync-delay: the diskless transfer waits (the replica stays in handshake), unless max-replicas are waiting', async () => {
    for (const max of ['0', '1']) {
      const lines: string[] = [];
      const master = await startServer({ log: 'notice', onLog: l => lines.push(l), config: { 'repl-diskless-sync-delay': '2', 'repl-diskless-sync-max-replicas': max } });
      const replica = await startServer({ log: false });
      const m = await RawConn.connect(master.port);
      const r = await RawConn.connect(replica.port);
      try {
        await call(m, 'SET', 'k', 'v');
        const t0 = Date.now();
        await call(r, 'REPLICAOF', '127.0.0.1', String(master.port));
        if (max === '0') {
          await until('the delay', async () => lines.some(l => l.includes('Delay next BGSAVE for diskless SYNC')));
          assert.match(await call(r, 'ROLE'), /\$9\r\nhandshake\r\n/);
        }
        await until('the sync', async () => field(await call(r, 'INFO', 'replication'), 'master_link_status') === 'up');
        const took = Date.now() - t0;
        if (max === '0') assert.ok(took >= 1900, `the transfer waited (${took} ms)`);
        else assert.ok(took < 1900, `one waiting replica is enough with max-replicas 1 (${took} ms)`);
        assert.equal(await call(r, 'GET', 'k'), '$1\r\nv\r\n');
      } finally {
        m.close();
        r.close();
        await replica.close();
        await master.close();
      }
    }
  });

  test('a master turning replica unblocks its blocked clients with the error and closes them', async () => {
    const master = await startServer({ log: false });
    const b = await startServer({ log: false });
    const m = await RawConn.connect(master.port);
    const cb = await RawConn.connect(b.port);
    const blocked = await RawConn.connect(b.port);
    try {
      blocked.send(['BLPOP', 'foo', '0']);
      await until('the blocked client', async () => field(await call(cb, 'INFO', 'clients'), 'blocked_clients') === '1');
      assert.equal(await call(cb, 'REPLICAOF', '127.0.0.1', String(master.port)), '+OK\r\n');
      assert.equal((await blocked.readRaw()).raw.toString(), '-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n');
      await blocked.waitClose(5000);
      await until('the link', async () => field(await call(cb, 'INFO', 'replication'), 'master_link_status') === 'up');
      await call(m, 'RPUSH', 'foo', 'a', 'b', 'c');
      await until('the push on the replica', async () => (await call(cb, 'LLEN', 'foo')) === ':3\r\n');
      assert.equal(await call(m, 'DEBUG', 'DIGEST'), await call(cb, 'DEBUG', 'DIGEST'));
    } finally {
      m.close();
      cb.close();
      blocked.close();
      await b.close();
      await master.close();
    }
  });

  test('the replicaof directive replicates from start-up', async () => {
    const master = await startServer({ log: false });
    const m = await RawConn.connect(master.port);
    await call(m, 'SET', 'boot', 'strapped');
    const replica = await startServer({ log: false, config: { replicaof: `127.0.0.1 ${master.port}` } });
    const r = await RawConn.connect(replica.port);
    try {
      await until('the link', async () => field(await call(r, 'INFO', 'replication'), 'master_link_status') === 'up');
      assert.equal(await call(r, 'GET', 'boot'), '$8\r\nstrapped\r\n');
    } finally {
      m.close();
      r.close();
      await replica.close();
      await master.close();
    }
  });

  test('a replica whose own BGSAVE failed still applies the master\'s writes; its clients get MISCONF', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-repl-misconf-'));
    const master = await startServer({ log: false });
    const replica = await startServer({ log: false, config: { dir, save: '3600 1', replicaof: `127.0.0.1 ${master.port}` } });
    const m = await RawConn.connect(master.port);
    const r = await RawConn.connect(replica.port);
    try {
      await until('the link', async () => field(await call(r, 'INFO', 'replication'), 'master_link_status') === 'up');
      fs.rmSync(dir, { recursive: true, force: true }); // the replica's BGSAVE cannot create its temp file
      assert.equal(await call(r, 'BGSAVE'), '+Background saving started\r\n');
      await until('the failed BGSAVE', async () => field(await call(r, 'INFO', 'persistence'), 'rdb_last_bgsave_status') === 'err');
      assert.match(await call(r, 'PING'), /^-MISCONF /);
      await call(m, 'SET', 'after', 'failure');
      await call(m, 'INCR', 'n');
      await until('the writes on the replica', async () => (await call(r, 'GET', 'after')) === '$7\r\nfailure\r\n');
      assert.equal(await call(r, 'GET', 'n'), '$1\r\n1\r\n');
    } finally {
      m.close();
      r.close();
      await replica.close();
      await master.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a paused replica reads the stream on (slave_read_repl_offset) and applies it after the pause', async () => {
    const master = await startServer({ log: false });
    const replica = await startServer({ log: false, config: { replicaof: `127.0.0.1 ${master.port}` } });
    const m = await RawConn.connect(master.port);
    const r = await RawConn.connect(replica.port);
    try {
      await call(m, 'SET', 'foo', 'bar');
      const moff = async () => field(await call(m, 'INFO', 'replication'), 'master_repl_offset');
      await until('the link', async () => field(await call(r, 'INFO', 'replication'), 'master_link_status') === 'up');
      await call(m, 'SET', 'foo1', 'bar1');
      await until('the sync', async () => field(await call(r, 'INFO', 'replication'), 'slave_repl_offset') === (await moff()));
      const applied = field(await call(r, 'INFO', 'replication'), 'slave_repl_offset');
      assert.equal(await call(r, 'CLIENT', 'PAUSE', '100000', 'WRITE'), '+OK\r\n');
      await call(m, 'SET', 'foo2', 'bar2');
      await until('the read offset', async () => field(await call(r, 'INFO', 'replication'), 'slave_read_repl_offset') === (await moff()));
      assert.equal(field(await call(r, 'INFO', 'replication'), 'slave_repl_offset'), applied, 'the write waits');
      assert.equal(await call(r, 'GET', 'foo2'), '$-1\r\n');
      assert.equal(await call(r, 'CLIENT', 'UNPAUSE'), '+OK\r\n');
      await until('the applied offset', async () => field(await call(r, 'INFO', 'replication'), 'slave_repl_offset') === (await moff()));
      assert.equal(await call(r, 'GET', 'foo2'), '$4\r\nbar2\r\n');
    } finally {
      m.close();
      r.close();
      await replica.close();
      await master.close();
    }
  });

  test('after a partial resync the stream goes on in the db its last SELECT chose', async () => {
    const master = await startServer({ log: false });
    const replica = await startServer({ log: false, config: { replicaof: `127.0.0.1 ${master.port}` } });
    const m = await RawConn.connect(master.port);
    const r = await RawConn.connect(replica.port);
    const synced = async () => field(await call(r, 'INFO', 'replication'), 'slave_repl_offset') === field(await call(m, 'INFO', 'replication'), 'master_repl_offset');
    try {
      await until('the link', async () => field(await call(r, 'INFO', 'replication'), 'master_link_status') === 'up');
      await call(m, 'SELECT', '5');
      await call(m, 'SET', 'before', '1');
      await until('the stream', synced);
      const partial0 = Number(field(await call(m, 'INFO', 'stats'), 'sync_partial_ok'));
      await call(m, 'CLIENT', 'KILL', 'TYPE', 'slave');
      await call(m, 'SET', 'after', '2'); // still db 5 on the master: no SELECT goes into the stream
      await until('the partial resync', async () => Number(field(await call(m, 'INFO', 'stats'), 'sync_partial_ok')) > partial0 && (await synced()));
      await call(r, 'SELECT', '5');
      assert.equal(await call(r, 'GET', 'after'), '$1\r\n2\r\n');
      assert.equal(await call(r, 'GET', 'before'), '$1\r\n1\r\n');
      await call(r, 'SELECT', '0');
      assert.equal(await call(r, 'DBSIZE'), ':0\r\n', 'nothing landed in db 0');
      assert.equal(await call(m, 'DEBUG', 'DIGEST'), await call(r, 'DEBUG', 'DIGEST'));
    } finally {
      m.close();
      r.close();
      await replica.close();
      await master.close();
    }
  });

  test('repl-timeout: a silent master during the handshake, and a replica that stops acknowledging, are dropped', async () => {
    // a "master" that accepts the connection and never answers
    const accepted: net.Socket[] = [];
    const silent = net.createServer(sock => accepted.push(sock));
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as net.AddressInfo).port;
    const lines: string[] = [];
    const replica = await startServer({ log: 'notice', onLog: l => lines.push(l), config: { 'repl-timeout': '1' } });
    const master = await startServer({ log: 'notice', onLog: l => lines.push(l), config: { 'repl-timeout': '1' } });
    const r = await RawConn.connect(replica.port);
    const m = await RawConn.connect(master.port);
    const fake = await RawConn.connect(master.port);
    try {
      assert.equal(await call(r, 'REPLICAOF', '127.0.0.1', String(silentPort)), '+OK\r\n');
      await until('the handshake timeout', async () => lines.some(l => l.includes('Timeout connecting to the MASTER...')), 15000);
      assert.equal(field(await call(r, 'INFO', 'replication'), 'master_link_status'), 'down');
      // a replica that acknowledges once, then goes quiet
      assert.equal(await call(fake, 'REPLCONF', 'listening-port', '7777'), '+OK\r\n');
      fake.send(['PSYNC', '?', '-1']);
      await until('the replica', async () => field(await call(m, 'INFO', 'replication'), 'connected_slaves') === '1');
      fake.send(['REPLCONF', 'ACK', '0']);
      await until('the replica dropped', async () => field(await call(m, 'INFO', 'replication'), 'connected_slaves') === '0', 15000);
      assert.ok(lines.some(l => l.includes('Disconnecting timedout replica (streaming sync): 127.0.0.1:7777')));
    } finally {
      for (const c of [r, m, fake]) c.close();
      await replica.close();
      await master.close();
      for (const sock of accepted) sock.destroy();
      silent.close();
    }
  });

  test('a redlua replica of redis-server (diskless sync)', { skip: !redisServerAvailable() }, async () => {
    const master = await startRedis(['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0']);
    const replica = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
    const m = await RawConn.connect(master.port);
    const r = await RawConn.connect(replica.port);
    try {
      await exercise(m, r, master.port);
    } finally {
      m.close();
      r.close();
      await replica.close();
      await master.stop();
    }
  });

  test('a redlua replica of redis-server (disk-based sync)', { skip: !redisServerAvailable() }, async () => {
    const master = await startRedis(['--repl-diskless-sync', 'no']);
    const replica = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
    const m = await RawConn.connect(master.port);
    const r = await RawConn.connect(replica.port);
    try {
      await exercise(m, r, master.port);
    } finally {
      m.close();
      r.close();
      await replica.close();
      await master.stop();
    }
  });
});
