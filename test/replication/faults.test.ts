// Bad input and faults on a replication link: a master that sends garbage (at the PSYNC reply, as the RDB, inside
// the stream), a link cut in the middle of the RDB transfer, and a replica that never reads (closed by the replica
// class's output buffer limit). redlua must stay up, keep its data until a complete RDB arrives, and retry.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../../src/index.js';
import { rdbSnapshot } from '../../src/persistence/aof-rdb.js';
import { RawConn } from '../helpers/conn.js';
import { call, until, field } from './util.js';

/**
 * A scripted fake master: answers the handshake with +OK/+PONG, then PSYNC with `reply(n)` for its n-th connection
 * (raw bytes, and whether to cut the link after them).
 */
async function fakeMaster(reply: (n: number) => { bytes: Buffer; cut: boolean }): Promise<{ port: number; conns: () => number; close: () => void }> {
  let n = 0;
  const socks: net.Socket[] = [];
  const srv = net.createServer(sock => {
    const me = n++;
    socks.push(sock);
    sock.on('error', () => {});
    let buf = '';
    sock.on('data', d => {
      buf += d.latin1Slice();
      for (;;) {
        const m = /^\*(\d+)\r\n/.exec(buf);
        if (!m) return;
        // parse one command
        let i = m[0].length;
        const argv: string[] = [];
        for (let k = 0; k < Number(m[1]); k++) {
          const nl = buf.indexOf('\r\n', i);
          if (nl < 0) return;
          const len = Number(buf.slice(i + 1, nl));
          if (buf.length < nl + 2 + len + 2) return;
          argv.push(buf.slice(nl + 2, nl + 2 + len));
          i = nl + 2 + len + 2;
        }
        buf = buf.slice(i);
        const name = argv[0].toUpperCase();
        if (name === 'PING') sock.write('+PONG\r\n');
        else if (name === 'PSYNC') {
          const r = reply(me);
          sock.write(r.bytes);
          if (r.cut) sock.destroy();
        } else if (name === 'REPLCONF' && argv[1].toUpperCase() === 'ACK') {
          /* no reply */
        } else sock.write('+OK\r\n');
      }
    });
  });
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', () => r()));
  return {
    port: (srv.address() as net.AddressInfo).port,
    conns: () => n,
    close: () => {
      for (const s of socks) s.destroy();
      srv.close();
    },
  };
}

const ID = 'a'.repeat(40);

describe('replication faults', () => {
  test('garbage from a master, a corrupt RDB and a cut transfer leave redlua up and its data intact', async () => {
    const donor = await startServer({ log: false });
    const dc = await RawConn.connect(donor.port);
    await call(dc, 'SET', 'from', 'master');
    const goodRdb = rdbSnapshot(donor.server, false);
    dc.close();
    await donor.close();
    const replies: ((n: number) => { bytes: Buffer; cut: boolean })[] = [
      // garbage instead of +FULLRESYNC
      () => ({ bytes: Buffer.from('what is this\r\n'), cut: false }),
      // a bulk header that is not one
      () => ({ bytes: Buffer.from(`+FULLRESYNC ${ID} 0\r\nxyz\r\n`), cut: false }),
      // a corrupt RDB of the announced length
      () => ({ bytes: Buffer.from(`+FULLRESYNC ${ID} 0\r\n$12\r\nREDIS0010xyz`), cut: false }),
      // the link cut in the middle of the RDB
      () => ({ bytes: Buffer.concat([Buffer.from(`+FULLRESYNC ${ID} 0\r\n$${goodRdb.length}\r\n`), goodRdb.subarray(0, 10)]), cut: true }),
      // a good RDB, then a protocol error in the stream
      () => ({ bytes: Buffer.concat([Buffer.from(`+FULLRESYNC ${ID} 0\r\n$${goodRdb.length}\r\n`), goodRdb, Buffer.from('*1\r\n$3\r\nfoo\r\n*x\r\n')]), cut: false }),
    ];
    const fm = await fakeMaster(n => replies[Math.min(n, replies.length - 1)](n));
    const srv = await startServer({ log: false });
    const r = await RawConn.connect(srv.port);
    try {
      await call(r, 'SET', 'mine', 'kept');
      assert.equal(await call(r, 'REPLICAOF', '127.0.0.1', String(fm.port)), '+OK\r\n');
      // the first three connections fail before any RDB is complete: the old data stays
      await until('three failed attempts', async () => fm.conns() >= 4);
      assert.equal(await call(r, 'GET', 'mine'), '$4\r\nkept\r\n');
      // the fifth attempt loads the good RDB, then the stream's protocol error drops the link (and it retries)
      await until('the good RDB', async () => (await call(r, 'GET', 'from')) === '$6\r\nmaster\r\n');
      await until('a retry after the protocol error', async () => fm.conns() >= 6);
      assert.equal(await call(r, 'PING'), '+PONG\r\n');
      assert.equal(field(await call(r, 'INFO', 'replication'), 'role'), 'slave');
      assert.equal(await call(r, 'REPLICAOF', 'NO', 'ONE'), '+OK\r\n');
    } finally {
      r.close();
      fm.close();
      await srv.close();
    }
  });

  test('a replica that never reads is closed by the slave output buffer limit', async () => {
    const srv = await startServer({ log: false, config: { 'client-output-buffer-limit': 'slave 1mb 0 0' } });
    const m = await RawConn.connect(srv.port);
    const sock = net.connect(srv.port, '127.0.0.1');
    sock.on('error', () => {});
    try {
      await new Promise(res => sock.once('connect', res));
      sock.write('*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n');
      await until('the replica', async () => field(await call(m, 'INFO', 'replication'), 'connected_slaves') === '1');
      sock.pause(); // never reads again
      const big = 'x'.repeat(256 * 1024);
      for (let i = 0; i < 200 && field(await call(m, 'INFO', 'replication'), 'connected_slaves') === '1'; i++) {
        assert.equal(await call(m, 'SET', `k${i % 4}`, big), '+OK\r\n');
      }
      await until('the replica to be dropped', async () => field(await call(m, 'INFO', 'replication'), 'connected_slaves') === '0');
      assert.equal(await call(m, 'PING'), '+PONG\r\n');
    } finally {
      sock.destroy();
      m.close();
      await srv.close();
    }
  });
});
