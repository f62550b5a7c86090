// The replication-stream differential of #16: a raw replica attaches with PSYNC ? -1 to redlua and to redis-server
// 7.0.15, skips the RDB, then the same commands run on both and the propagated streams must match command for
// command (PINGs and GETACKs left out, absolute expiry times normalised). Runs when redis-server is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { redisServerAvailable, startRedis } from '../helpers/redis-server.js';
import { call, until } from './util.js';

/** A raw replica: PSYNC ? -1, then the bytes after the RDB. */
class RawReplica {
  private buf = Buffer.alloc(0);
  private rdbDone = false;
  stream = Buffer.alloc(0);
  constructor(private readonly sock: net.Socket) {
    sock.on('data', d => this.onData(d));
  }
  static async attach(port: number): Promise<RawReplica> {
    const sock = net.connect(port, '127.0.0.1');
    await new Promise(r => sock.once('connect', r));
    const rr = new RawReplica(sock);
    sock.write('*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n');
    await until('REPLCONF', async () => rr.buf.includes('+OK\r\n'));
    rr.buf = Buffer.alloc(0);
    sock.write('*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n');
    await until('the RDB', async () => rr.rdbDone);
    // after a diskless transfer the master starts the stream on the replica's first ACK
    sock.write('*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$1\r\n0\r\n');
    return rr;
  }
  private onData(d: Buffer): void {
    if (this.rdbDone) {
      this.stream = Buffer.concat([this.stream, d]);
      return;
    }
    this.buf = Buffer.concat([this.buf, d]);
    const m = /^(?:\n)*\+FULLRESYNC \S+ \d+\r\n(?:\n)*\$(EOF:(.{40})|\d+)\r\n/s.exec(this.buf.latin1Slice());
    if (m === null) return;
    const start = m[0].length;
    let end: number;
    if (m[2] !== undefined) {
      end = this.buf.indexOf(m[2], start, 'latin1');
      if (end < 0) return;
      end += 40;
    } else {
      end = start + Number(m[1]);
      if (this.buf.length < end) return;
    }
    this.rdbDone = true;
    this.stream = this.buf.subarray(end);
  }
  /** The stream as commands, without PING and REPLCONF GETACK. */
  commands(): string[][] {
    const out: string[][] = [];
    const b = this.stream.latin1Slice();
    let i = 0;
    while (i < b.length) {
      if (b[i] === '\n') {
        i++;
        continue;
      }
      const nl = b.indexOf('\r\n', i);
      const n = Number(b.slice(i + 1, nl));
      i = nl + 2;
      const argv: string[] = [];
      for (let k = 0; k < n; k++) {
        const nl2 = b.indexOf('\r\n', i);
        const len = Number(b.slice(i + 1, nl2));
        argv.push(b.slice(nl2 + 2, nl2 + 2 + len));
        i = nl2 + 2 + len + 2;
      }
      const name = argv[0].toLowerCase();
      if (name === 'ping' || (name === 'replconf' && argv[1]?.toLowerCase() === 'getack')) continue;
      // absolute unix times (ms or s) differ run to run
      out.push(argv.map(a => (/^1\d{9,12}$/.test(a) ? '<time>' : a)));
    }
    return out;
  }
  close(): void {
    this.sock.destroy();
  }
}

const WORKLOAD: string[][] = [
  ['SET', 'a', '1'],
  ['SET', 'b', 'v', 'EX', '100'],
  ['EXPIRE', 'a', '1000'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['SADD', 's', 'x'],
  ['SPOP', 's'],
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['BLPOP', 'l', '0'],
  ['MULTI'],
  ['SET', 'm1', '1'],
  ['INCR', 'm2'],
  ['EXEC'],
  ['EVAL', "redis.call('set','e1','1'); redis.call('incr','e2'); return 1", '0'],
  ['SELECT', '5'],
  ['SET', 'in5', 'x'],
  ['GETEX', 'in5', 'PX', '100000'],
  ['DEL', 'in5', 'missing'],
  ['SELECT', '0'],
  ['HSET', 'h', 'f', '1'],
  ['HINCRBYFLOAT', 'h', 'f', '2.5'],
  ['__restore__', 'a', 'restored', '100000'],
  ['SET', 'short', 'v', 'PX', '1'],
  ['__wait__', '30'],
  ['GET', 'short'],
  ['FLUSHDB'],
  ['SET', '__end__', '1'],
];

async function streamOf(port: number): Promise<string[][]> {
  const rr = await RawReplica.attach(port);
  const c = await RawConn.connect(port);
  try {
    for (const cmd of WORKLOAD) {
      // the expired key goes (lazily or actively) before the next command: a DEL in the stream either way
      if (cmd[0] === '__wait__') await new Promise(r => setTimeout(r, Number(cmd[1])));
      else if (cmd[0] === '__restore__') {
        // RESTORE with a relative TTL goes out as an absolute one with ABSTTL
        const dump = await c.call(['DUMP', cmd[1]]);
        const payload = dump.subarray(dump.indexOf('\r\n') + 2, dump.length - 2);
        await c.call([Buffer.from('RESTORE'), Buffer.from(cmd[2]), Buffer.from(cmd[3]), payload]);
      } else await call(c, ...cmd);
    }
    await until('the end of the workload in the stream', async () => rr.stream.includes('__end__'));
    return rr.commands();
  } finally {
    c.close();
    rr.close();
  }
}

test('the replication stream after PSYNC ? -1 matches redis-server command for command', { skip: !redisServerAvailable() }, async () => {
  const redis = await startRedis(['--repl-diskless-sync-delay', '0', '--repl-ping-replica-period', '3600']);
  const srv = await startServer({ log: false, config: { 'repl-ping-replica-period': '3600' } });
  try {
    const want = await streamOf(redis.port);
    const got = await streamOf(srv.port);
    assert.deepEqual(got, want);
  } finally {
    await srv.close();
    await redis.stop();
  }
});
