// Socket I/O cases run over both connection implementations of src/server/io.ts: the libuv handle fast path
// (io.test.ts) and the stream fallback (io-stream.test.ts, REDLUA_IO=stream).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function echo(payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`*2\r\n$4\r\nECHO\r\n$${payload.length}\r\n`), payload, Buffer.from('\r\n')]);
}

/** Reads from a paused socket until `n` bytes arrived (or it closed); returns them. */
function readAll(sock: net.Socket, n: number, ms = 10000): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let got = 0;
    const timer = setTimeout(() => reject(new Error(`only ${got} of ${n} bytes arrived`)), ms);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      resolve({ data: Buffer.concat(parts), closed });
    };
    sock.on('data', d => {
      parts.push(d);
      got += d.length;
      if (got >= n) finish(false);
    });
    sock.on('close', () => finish(true));
    sock.resume();
  });
}

export function ioCases(): void {
  test('a reader that pauses gets every byte of large replies, in order', async () => {
    const srv = await startServer({ log: false });
    try {
      const s = net.connect(srv.port, '127.0.0.1');
      await new Promise(r => s.once('connect', r));
      s.pause();
      const n = 24;
      const size = 300 * 1024;
      let expected = Buffer.alloc(0);
      const parts: Buffer[] = [];
      for (let i = 0; i < n; i++) {
        const p = Buffer.alloc(size, 65 + i);
        p.writeUInt32BE(i, 0);
        s.write(echo(p));
        parts.push(Buffer.from(`$${size}\r\n`), p, Buffer.from('\r\n'));
      }
      expected = Buffer.concat(parts);
      await sleep(200); // the replies pile up in the kernel and libuv while the client does not read
      const { data } = await readAll(s, expected.length);
      assert.equal(data.length, expected.length);
      assert.ok(data.equals(expected), 'reply bytes differ');
      s.destroy();
    } finally {
      await srv.close();
    }
  });

  test('a protocol error after queued output: every earlier reply, then the error, then the close', async () => {
    const srv = await startServer({ log: false });
    try {
      const s = net.connect(srv.port, '127.0.0.1');
      await new Promise(r => s.once('connect', r));
      s.pause();
      const size = 512 * 1024;
      const p = Buffer.alloc(size, 120);
      s.write(Buffer.concat([echo(p), echo(p), Buffer.from('*1\r\n$x\r\n')]));
      await sleep(200);
      const err = '-ERR Protocol error: invalid bulk length\r\n';
      const head = `$${size}\r\n`;
      const total = 2 * (head.length + size + 2) + err.length;
      const { data, closed } = await readAll(s, total + 1);
      assert.equal(closed, true);
      assert.equal(data.length, total);
      assert.equal(data.subarray(total - err.length).toString('latin1'), err);
      assert.equal(data.subarray(0, head.length).toString('latin1'), head);
      s.destroy();
    } finally {
      await srv.close();
    }
  });

  test('QUIT replies +OK and closes; the server keeps serving others', async () => {
    const srv = await startServer({ log: false });
    try {
      const a = await RawConn.connect(srv.port);
      const b = await RawConn.connect(srv.port);
      a.write('*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n');
      const left = await a.waitClose();
      assert.equal(left.toString('latin1'), '+OK\r\n');
      assert.equal((await b.call(['PING'])).toString(), '+PONG\r\n');
      b.close();
    } finally {
      await srv.close();
    }
  });

  test('a pipeline of 5000 commands fed byte by byte and in random chunks answers in order', async () => {
    const srv = await startServer({ log: false });
    try {
      const c = await RawConn.connect(srv.port);
      let req = '';
      let want = '';
      for (let i = 0; i < 5000; i++) {
        req += `*3\r\n$3\r\nSET\r\n$${`k${i}`.length}\r\nk${i}\r\n$${String(i).length}\r\n${i}\r\n*2\r\n$4\r\nINCR\r\n$${`k${i}`.length}\r\nk${i}\r\n`;
        want += `+OK\r\n:${i + 1}\r\n`;
      }
      const bytes = Buffer.from(req);
      // the first 2000 bytes one at a time, then random chunks
      let at = 0;
      for (; at < 2000; at++) c.write(bytes.subarray(at, at + 1));
      while (at < bytes.length) {
        const n = 1 + Math.floor(Math.random() * 3000);
        c.write(bytes.subarray(at, at + n));
        at += n;
        if (Math.random() < 0.1) await sleep(1);
      }
      let got = '';
      while (got.length < want.length) got += (await c.readRaw()).raw.toString('latin1');
      assert.equal(got, want);
      c.close();
    } finally {
      await srv.close();
    }
  });

  test('commands split across reads survive other connections reading in between (values and queued commands intact)', async () => {
    const srv = await startServer({ log: false });
    try {
      const clients = await Promise.all(Array.from({ length: 8 }, () => RawConn.connect(srv.port)));
      const noise = await RawConn.connect(srv.port);
      const value = (i: number, len: number) => Buffer.alloc(len, 97 + (i % 26)).fill(String(i), 0);
      const sizes = [5, 40, 100, 5000, 70 * 1024];
      for (let round = 0; round < 3; round++) {
        // every client sends half a MULTI + SET of its own value, then the others (and a noisy one) send traffic
        const halves: Buffer[] = clients.map((_, i) => {
          const v = value(i + round, sizes[(i + round) % sizes.length]);
          return Buffer.concat([
            Buffer.from(`*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$${`v${i}`.length}\r\nv${i}\r\n$${v.length}\r\n`),
            v,
            Buffer.from(`\r\n*2\r\n$3\r\nGET\r\n$${`v${i}`.length}\r\nv${i}\r\n*1\r\n$4\r\nEXEC\r\n`),
          ]);
        });
        for (let i = 0; i < clients.length; i++) clients[i].write(halves[i].subarray(0, Math.floor(halves[i].length / 2)));
        await sleep(5);
        for (let k = 0; k < 50; k++) noise.write(echo(Buffer.alloc(2000 + k * 100, 48 + (k % 10))));
        for (let k = 0; k < 50; k++) {
          const p = Buffer.alloc(2000 + k * 100, 48 + (k % 10));
          assert.ok((await noise.readRaw()).raw.equals(Buffer.concat([Buffer.from(`$${p.length}\r\n`), p, Buffer.from('\r\n')])));
        }
        for (let i = 0; i < clients.length; i++) clients[i].write(halves[i].subarray(Math.floor(halves[i].length / 2)));
        for (let i = 0; i < clients.length; i++) {
          const v = value(i + round, sizes[(i + round) % sizes.length]);
          const expected = Buffer.concat([
            Buffer.from('+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n'),
            Buffer.from(`$${v.length}\r\n`),
            v,
            Buffer.from('\r\n'),
          ]);
          const raw: Buffer[] = [];
          for (let r = 0; r < 4; r++) raw.push((await clients[i].readRaw()).raw);
          assert.ok(Buffer.concat(raw).equals(expected), `client ${i}, round ${round}: reply differs`);
        }
      }
      for (const c of clients) c.close();
      noise.close();
    } finally {
      await srv.close();
    }
  });

  test('a client that disconnects with replies pending does not disturb the server', async () => {
    const srv = await startServer({ log: false });
    try {
      for (let k = 0; k < 20; k++) {
        const s = net.connect(srv.port, '127.0.0.1');
        s.on('error', () => {});
        await new Promise(r => s.once('connect', r));
        s.pause();
        for (let i = 0; i < 8; i++) s.write(echo(Buffer.alloc(256 * 1024, 97)));
        await sleep(5);
        s.destroy();
      }
      const c = await RawConn.connect(srv.port);
      assert.equal((await c.call(['PING'])).toString(), '+PONG\r\n');
      const deadline = Date.now() + 3000;
      while (srv.server.clients.size !== 1 && Date.now() < deadline) await sleep(10);
      assert.equal(srv.server.clients.size, 1);
      c.close();
    } finally {
      await srv.close();
    }
  });
}
