// Network fuzz: random and mutated frames on many short connections; the server must never crash and must keep
// serving a well-behaved client throughout. Bounded by time and count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../../src/index.js';
import { encodeCommand } from '../../src/protocol/resp-value.js';
import { RawConn } from '../helpers/conn.js';

let seed = 987654321;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)];

const BASE: (string | Buffer)[][] = [
  ['PING'],
  ['PING', 'x'],
  ['ECHO', Buffer.from([0, 1, 2, 255])],
  ['SET', 'k', 'v'],
  ['GET', 'k'],
  ['INCR', 'n'],
  ['DEL', 'k', 'n'],
  ['MSET', 'a', '1', 'b', '2'],
  ['HELLO', '3'],
  ['HELLO', '2'],
  ['SELECT', '1'],
  ['MULTI'],
  ['EXEC'],
  ['DISCARD'],
  ['LPUSH', 'l', 'a', 'b'],
  ['HSET', 'h', 'f', 'v'],
  ['SUBSCRIBE', 'ch'],
  ['AUTH', 'x'],
  ['CLIENT', 'SETNAME', 'x'],
  ['EXISTS', 'a', 'b'],
];

function mutate(buf: Buffer): Buffer {
  const b = Buffer.from(buf);
  const ops = 1 + Math.floor(rand() * 3);
  let out = b;
  for (let i = 0; i < ops; i++) {
    const pos = Math.floor(rand() * Math.max(1, out.length));
    switch (Math.floor(rand() * 6)) {
      case 0: // flip a byte
        if (out.length) out[pos] = Math.floor(rand() * 256);
        break;
      case 1: // insert random bytes
        out = Buffer.concat([out.subarray(0, pos), Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 5) }, () => Math.floor(rand() * 256))), out.subarray(pos)]);
        break;
      case 2: // delete bytes
        out = Buffer.concat([out.subarray(0, pos), out.subarray(pos + 1 + Math.floor(rand() * 4))]);
        break;
      case 3: // truncate
        out = out.subarray(0, pos);
        break;
      case 4: // replace a digit with a big or negative number
        out = Buffer.from(out.toString('latin1').replace(/\d+/, pick(['-1', '0', '99999999999', '2147483648', '-7', '16385', ''])), 'latin1');
        break;
      case 5: // duplicate a section
        out = Buffer.concat([out, out.subarray(pos)]);
        break;
    }
  }
  return out;
}

function randomFrame(): Buffer {
  const r = rand();
  if (r < 0.5) return mutate(encodeCommand(pick(BASE)));
  if (r < 0.7) return encodeCommand(pick(BASE));
  if (r < 0.85) return Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)));
  return mutate(Buffer.from(pick(['PING\r\n', 'ECHO "a b"\r\n', "SET k 'v'\r\n", 'GET k\n']), 'latin1'));
}

test('random and mutated frames never take the server down', async () => {
  const srv = await startServer({ log: false });
  const witness = await RawConn.connect(srv.port);
  const deadline = Date.now() + 2500;
  let conns = 0;
  try {
    while (Date.now() < deadline && conns < 600) {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < 20; i++) {
        conns++;
        batch.push(
          new Promise<void>(resolve => {
            const s = net.connect(srv.port, '127.0.0.1');
            s.on('error', () => resolve());
            s.on('close', () => resolve());
            s.on('data', () => {});
            s.on('connect', () => {
              const frames = 1 + Math.floor(rand() * 6);
              for (let f = 0; f < frames; f++) s.write(randomFrame());
              // half of them hang up right away, the rest after a moment
              if (rand() < 0.5) s.destroy();
              else setTimeout(() => s.destroy(), Math.floor(rand() * 30));
            });
          }),
        );
      }
      await Promise.all(batch);
      assert.equal((await witness.call(['PING'])).toString(), '+PONG\r\n');
    }
    assert.equal((await witness.call(['ECHO', 'still here'])).toString(), '$10\r\nstill here\r\n');
    // every fuzz connection is released
    for (let i = 0; i < 100 && srv.server.clients.size > 1; i++) await new Promise(r => setTimeout(r, 20));
    assert.equal(srv.server.clients.size, 1);
  } finally {
    witness.close();
    await srv.close();
  }
});
