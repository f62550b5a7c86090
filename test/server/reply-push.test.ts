// Pushes pass CLIENT REPLY OFF/SKIP (Redis: CLIENT_PUSHING in prepareClientToWrite): subscribe confirmations,
// messages, keyspace notifications and DEBUG PROTOCOL push reach a silenced client, its other replies do not.
// The raw bytes are checked against what redis-server 7.0.15 sends (recorded below, and compared live when installed).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';

/** Reads raw replies until `n` have arrived; returns their concatenated bytes. */
async function readN(c: RawConn, n: number): Promise<string> {
  let s = '';
  for (let i = 0; i < n; i++) s += (await c.readRaw()).raw.toString('latin1');
  return s;
}

const END = '$3\r\nEND\r\n';

/** One scenario: the bytes a silenced subscriber receives, step by step. */
async function scenario(port: number, resp: 2 | 3, mode: 'OFF' | 'SKIP'): Promise<string[]> {
  const a = await RawConn.connect(port);
  const b = await RawConn.connect(port);
  const out: string[] = [];
  try {
    if (resp === 3) await a.call(['HELLO', '3']);
    a.send(['CLIENT', 'REPLY', mode]);
    a.send(['SUBSCRIBE', 'ch']);
    a.send(['PSUBSCRIBE', 'ch*']);
    out.push(await readN(a, 2));
    assert.equal((await b.call(['PUBLISH', 'ch', 'hello'])).toString(), ':2\r\n');
    out.push(await readN(a, 2));
    if (resp === 3) {
      // ordinary replies stay silenced, pushes do not; publishing to itself delivers its own message
      a.send(['SET', 'k', 'v']);
      a.send(['PUBLISH', 'ch', 'self']);
      a.send(['DEBUG', 'PROTOCOL', 'push']);
    }
    a.send(['UNSUBSCRIBE', 'ch']);
    a.send(['PUNSUBSCRIBE', 'ch*']);
    a.send(['UNSUBSCRIBE']);
    a.send(['CLIENT', 'REPLY', 'ON']);
    a.send(['ECHO', 'END']);
    // everything up to ECHO's reply (SKIP only silenced SUBSCRIBE: later replies are not silenced)
    let s = '';
    while (!s.endsWith(END)) s += (await a.readRaw()).raw.toString('latin1');
    out.push(s);
  } finally {
    a.close();
    b.close();
  }
  return out;
}

const M2 = (k: string, a: string, n: string) => `*3\r\n$${k.length}\r\n${k}\r\n$${a.length}\r\n${a}\r\n${n}`;
const EXPECT: Record<string, string[]> = {
  'resp2 OFF': [
    M2('subscribe', 'ch', ':1\r\n') + M2('psubscribe', 'ch*', ':2\r\n'),
    '*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n*4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$2\r\nch\r\n$5\r\nhello\r\n',
    M2('unsubscribe', 'ch', ':1\r\n') + M2('punsubscribe', 'ch*', ':0\r\n') + '*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n+OK\r\n' + END,
  ],
  'resp3 OFF': [
    '>3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n>3\r\n$10\r\npsubscribe\r\n$3\r\nch*\r\n:2\r\n',
    '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n>4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$2\r\nch\r\n$5\r\nhello\r\n',
    '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4\r\nself\r\n>4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$2\r\nch\r\n$4\r\nself\r\n' +
      '>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n' +
      '>3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:1\r\n>3\r\n$12\r\npunsubscribe\r\n$3\r\nch*\r\n:0\r\n>3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n+OK\r\n' + END,
  ],
  'resp3 SKIP': [
    '>3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n>3\r\n$10\r\npsubscribe\r\n$3\r\nch*\r\n:2\r\n',
    '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n>4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$2\r\nch\r\n$5\r\nhello\r\n',
    '+OK\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4\r\nself\r\n>4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$2\r\nch\r\n$4\r\nself\r\n:2\r\n' +
      '>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n' +
      '>3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:1\r\n>3\r\n$12\r\npunsubscribe\r\n$3\r\nch*\r\n:0\r\n>3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n+OK\r\n' + END,
  ],
};

async function keyspaceToSelf(port: number, mode: 'OFF' | 'SKIP'): Promise<string> {
  const a = await RawConn.connect(port);
  const b = await RawConn.connect(port);
  try {
    await b.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KA']);
    a.send(['CLIENT', 'REPLY', mode]);
    a.send(['PSUBSCRIBE', '*']);
    const sub = await readN(a, 1);
    await b.call(['SET', 'foo', 'bar']);
    return sub + (await readN(a, 1));
  } finally {
    await b.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    a.close();
    b.close();
  }
}
const KEYSPACE = '*3\r\n$10\r\npsubscribe\r\n$1\r\n*\r\n:1\r\n*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$18\r\n__keyspace@0__:foo\r\n$3\r\nset\r\n';

describe('pushes under CLIENT REPLY OFF/SKIP', () => {
  let srv: RunningServer;
  let oracle: Oracle | null = null;
  before(async () => {
    srv = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
    if (redisServerAvailable()) oracle = await startRedis();
  });
  after(async () => {
    await srv.close();
    await oracle?.stop();
  });
  for (const [name, want] of Object.entries(EXPECT)) {
    const [r, mode] = name.split(' ') as [string, 'OFF' | 'SKIP'];
    const resp = r === 'resp3' ? 3 : 2;
    test(`${name}: subscribe, message and unsubscribe pushes get through`, async () => {
      assert.deepEqual(await scenario(srv.port, resp, mode), want);
      if (oracle) assert.deepEqual(await scenario(oracle.port, resp, mode), want, 'redis-server sends the same');
    });
  }
  for (const mode of ['OFF', 'SKIP'] as const) {
    test(`keyspace notification to a client with CLIENT REPLY ${mode}`, async () => {
      assert.equal(await keyspaceToSelf(srv.port, mode), KEYSPACE);
      if (oracle) assert.equal(await keyspaceToSelf(oracle.port, mode), KEYSPACE);
    });
  }
});
