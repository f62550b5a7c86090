// SHUTDOWN with lagging replicas (Redis: prepareForShutdown / finishShutdown, shutdown-timeout): the shutdown waits
// with writes paused, INFO shows shutdown_in_milliseconds, SHUTDOWN ABORT calls it off, and a timeout or the
// replicas catching up completes it with Redis's log lines.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';

const call = async (c: RawConn, ...args: string[]) => (await c.call(args)).toString('latin1');
const field = (info: string, name: string) => new RegExp(`\\r\\n${name}:([^\\r]*)`).exec(info)?.[1] ?? null;

async function until(what: string, f: () => Promise<boolean> | boolean, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

/** A replica that completes the handshake and takes the RDB, then acknowledges only when told to. */
async function fakeReplica(port: number): Promise<{ conn: RawConn; ack: (offset: number) => void }> {
  const conn = await RawConn.connect(port);
  assert.equal(await call(conn, 'REPLCONF', 'listening-port', '7777'), '+OK\r\n');
  conn.send(['PSYNC', '?', '-1']);
  return { conn, ack: offset => conn.send(['REPLCONF', 'ACK', String(offset)]) };
}

describe('shutdown with lagging replicas', () => {
  test('SHUTDOWN waits with writes paused; SHUTDOWN ABORT answers the waiting client with the error', async () => {
    const lines: string[] = [];
    const srv = await startServer({ log: 'notice', onLog: l => lines.push(l) });
    const admin = await RawConn.connect(srv.port);
    const writer = await RawConn.connect(srv.port);
    const stopper = await RawConn.connect(srv.port);
    const replica = await fakeReplica(srv.port);
    try {
      await until('the replica', async () => field(await call(admin, 'INFO', 'replication'), 'connected_slaves') === '1');
      await call(admin, 'CONFIG', 'SET', 'shutdown-timeout', '300');
      assert.equal(await call(writer, 'SET', 'k', '1'), '+OK\r\n'); // the replica has not acknowledged it
      stopper.send(['SHUTDOWN']);
      await until('the waiting shutdown', async () => Number(field(await call(admin, 'INFO', 'server'), 'shutdown_in_milliseconds') ?? -1) > 0);
      assert.ok(lines.some(l => l.includes('Waiting for replicas before shutting down.')));
      // writes wait, reads do not
      writer.send(['SET', 'k', '2']);
      assert.equal(await writer.readWithin(300), null, 'a write is held while the shutdown waits');
      assert.equal(await call(admin, 'GET', 'k'), '$1\r\n1\r\n');
      assert.equal(await call(admin, 'SHUTDOWN', 'ABORT'), '+OK\r\n');
      assert.equal((await stopper.readRaw()).raw.toString(), '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
      assert.equal((await writer.readRaw()).raw.toString(), '+OK\r\n', 'the held write runs once the shutdown is off');
      assert.ok(lines.some(l => l.includes('Shutdown manually aborted.')));
      assert.equal(field(await call(admin, 'INFO', 'server'), 'shutdown_in_milliseconds'), null);
      assert.equal(await call(admin, 'SHUTDOWN', 'ABORT'), '-ERR No shutdown in progress.\r\n');
    } finally {
      for (const c of [admin, writer, stopper, replica.conn]) c.close();
      await srv.close();
    }
  });

  test('the shutdown completes when the replica catches up, or when shutdown-timeout passes', async () => {
    for (const how of ['ack', 'timeout'] as const) {
      const lines: string[] = [];
      const srv = await startServer({ log: 'notice', onLog: l => lines.push(l) });
      const admin = await RawConn.connect(srv.port);
      const stopper = await RawConn.connect(srv.port);
      const replica = await fakeReplica(srv.port);
      try {
        await until('the replica', async () => field(await call(admin, 'INFO', 'replication'), 'connected_slaves') === '1');
        await call(admin, 'CONFIG', 'SET', 'shutdown-timeout', how === 'ack' ? '300' : '1');
        await call(admin, 'SET', 'k', 'v');
        const started = Date.now();
        stopper.send(['SHUTDOWN', 'NOSAVE']);
        await until('the waiting shutdown', () => lines.some(l => l.includes('Waiting for replicas before shutting down.')));
        // the master asked its replicas for an ACK as it started waiting (REPLCONF GETACK is in the stream too):
        // the replica answers with the whole stream's offset
        if (how === 'ack') replica.ack(Number(field(await call(admin, 'INFO', 'replication'), 'master_repl_offset')));
        await stopper.waitClose(how === 'ack' ? 20000 : 30000);
        const sync = lines.find(l => l.includes('replicas are in sync when shutting down.'));
        if (how === 'ack') {
          assert.match(sync ?? '', /1 of 1 replicas are in sync when shutting down\./);
          assert.ok(!lines.some(l => l.includes('Lagging replica')));
        } else {
          assert.ok(Date.now() - started >= 900, 'it waited for shutdown-timeout');
          assert.match(sync ?? '', /0 of 1 replicas are in sync when shutting down\./);
          assert.ok(lines.some(l => /Lagging replica 127\.0\.0\.1:7777 reported offset \d+ behind master, lag=\d+, state=online\./.test(l)));
        }
      } finally {
        for (const c of [admin, stopper, replica.conn]) c.close();
        await srv.close();
      }
    }
  });

  test('SHUTDOWN NOW, or shutdown-timeout 0, does not wait', async () => {
    for (const args of [['SHUTDOWN', 'NOW', 'NOSAVE'], ['SHUTDOWN', 'NOSAVE']]) {
      const lines: string[] = [];
      const srv = await startServer({ log: 'notice', onLog: l => lines.push(l) });
      const admin = await RawConn.connect(srv.port);
      const replica = await fakeReplica(srv.port);
      try {
        await until('the replica', async () => field(await call(admin, 'INFO', 'replication'), 'connected_slaves') === '1');
        if (args.length === 2) await call(admin, 'CONFIG', 'SET', 'shutdown-timeout', '0');
        await call(admin, 'SET', 'k', 'v');
        admin.send(args);
        await admin.waitClose(10000);
        assert.ok(!lines.some(l => l.includes('Waiting for replicas')));
        assert.ok(lines.some(l => /0 of 1 replicas are in sync when shutting down\./.test(l)));
      } finally {
        for (const c of [admin, replica.conn]) c.close();
        await srv.close();
      }
    }
  });

  test('INFO memory counts the stream queued for a replica that does not read', async () => {
    const srv = await startServer({ log: false });
    const admin = await RawConn.connect(srv.port);
    const replica = await fakeReplica(srv.port);
    try {
      await until('the replica', async () => field(await call(admin, 'INFO', 'replication'), 'connected_slaves') === '1');
      replica.conn.sock.pause(); // stops reading: the kernel's buffers fill, then the server's queue grows
      const big = 'x'.repeat(1 << 20);
      let total = 0;
      for (let i = 0; i < 200 && total <= 4 << 20; i++) {
        await call(admin, 'SET', `k${i % 4}`, big);
        total = Number(field(await call(admin, 'INFO', 'memory'), 'mem_total_replication_buffers'));
      }
      assert.ok(total > 4 << 20, `mem_total_replication_buffers=${total}`);
      const info = await call(admin, 'INFO', 'memory');
      assert.equal(Number(field(info, 'mem_replication_backlog')) + Number(field(info, 'mem_clients_slaves')), Number(field(info, 'mem_total_replication_buffers')));
      assert.equal(field(info, 'mem_replication_backlog'), '1048576'); // repl-backlog-size: the rest is the replica's
    } finally {
      for (const c of [admin, replica.conn]) c.close();
      await srv.close();
    }
  });
});
