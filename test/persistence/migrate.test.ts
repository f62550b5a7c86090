// MIGRATE to redlua and (when installed) redis-server targets: single key, KEYS, COPY, REPLACE, AUTH/AUTH2, target errors,
// IOERR, the cached connection, and that a MIGRATE waiting on its target blocks only its own client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { redisServerAvailable, startRedis, freePort, type Oracle } from '../helpers/redis-server.js';

let src: RunningServer;
let dst: RunningServer;
let authed: RunningServer;
let c: RawConn;
let d: RawConn;
let oracle: Oracle | null = null;

const call = async (conn: RawConn, ...a: (string | Buffer | number)[]): Promise<string> => (await conn.call(a)).toString('latin1');

before(async () => {
  src = await startServer({ log: false });
  dst = await startServer({ log: false });
  authed = await startServer({ log: false, config: { requirepass: 'pw' } });
  c = await RawConn.connect(src.port);
  d = await RawConn.connect(dst.port);
  if (redisServerAvailable()) oracle = await startRedis();
});
after(async () => {
  c.close();
  d.close();
  await src.close();
  await dst.close();
  await authed.close();
  if (oracle) await oracle.stop();
});

test('MIGRATE a key: moved with its TTL, deleted locally; COPY keeps it; REPLACE overwrites; target errors relayed', async () => {
  await call(c, 'RPUSH', 'l', 'a', 'b');
  await call(c, 'SET', 's', 'v', 'EX', '100');
  assert.equal(await call(c, 'MIGRATE', '127.0.0.1', dst.port, 'l', '0', '5000'), '+OK\r\n');
  assert.equal(await call(c, 'EXISTS', 'l'), ':0\r\n');
  assert.equal(await call(d, 'LRANGE', 'l', '0', '-1'), '*2\r\n$1\r\na\r\n$1\r\nb\r\n');
  assert.equal(await call(c, 'MIGRATE', '127.0.0.1', dst.port, 's', '2', '5000', 'COPY'), '+OK\r\n');
  assert.equal(await call(c, 'EXISTS', 's'), ':1\r\n');
  await call(d, 'SELECT', '2');
  assert.match(await call(d, 'TTL', 's'), /^:(99|100)\r\n$/);
  assert.equal(await call(c, 'MIGRATE', '127.0.0.1', dst.port, 's', '2', '5000', 'COPY'), '-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n');
  await call(c, 'SET', 's', 'new');
  assert.equal(await call(c, 'MIGRATE', '127.0.0.1', dst.port, 's', '2', '5000', 'REPLACE'), '+OK\r\n');
  assert.equal(await call(d, 'GET', 's'), '$3\r\nnew\r\n');
  assert.equal(await call(c, 'MIGRATE', '127.0.0.1', dst.port, 's', '2', '5000'), '+NOKEY\r\n');
  assert.match(await call(c, 'INFO', 'stats'), /migrate_cached_sockets:1\r\n/);
});

test('MIGRATE KEYS moves every present key', async () => {
  await call(c, 'MSET', 'k1', '1', 'k2', '2');
  assert.equal(await call(c, 'MIGRATE', '127.0.0.1', dst.port, '', '3', '5000', 'KEYS', 'k1', 'missing', 'k2'), '+OK\r\n');
  assert.equal(await call(c, 'EXISTS', 'k1', 'k2'), ':0\r\n');
  await call(d, 'SELECT', '3');
  assert.equal(await call(d, 'MGET', 'k1', 'k2'), '*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
});

test('MIGRATE AUTH and AUTH2 to a password-protected target', async () => {
  await call(c, 'SET', 'a', '1');
  assert.equal(await call(c, 'MIGRATE', '127.0.0.1', authed.port, 'a', '0', '5000', 'COPY'), '-ERR Target instance replied with error: NOAUTH Authentication required.\r\n');
  assert.equal(await call(c, 'MIGRATE', '127.0.0.1', authed.port, 'a', '0', '5000', 'COPY', 'AUTH', 'pw'), '+OK\r\n');
  assert.equal(await call(c, 'MIGRATE', '127.0.0.1', authed.port, 'a', '0', '5000', 'REPLACE', 'AUTH2', 'default', 'pw'), '+OK\r\n');
  assert.equal(await call(c, 'EXISTS', 'a'), ':0\r\n');
});

test('MIGRATE to a closed port: IOERR connecting', async () => {
  await call(c, 'SET', 'x', '1');
  const port = await freePort();
  assert.equal(await call(c, 'MIGRATE', '127.0.0.1', port, 'x', '0', '1000'), '-IOERR error or timeout connecting to the client\r\n');
  assert.equal(await call(c, 'EXISTS', 'x'), ':1\r\n');
});

test('a MIGRATE waiting on a silent target blocks only its client, then fails with IOERR reading', async () => {
  const silent = net.createServer(sock => sock.on('data', () => {}));
  await new Promise<void>(r => silent.listen(0, '127.0.0.1', () => r()));
  const port = (silent.address() as net.AddressInfo).port;
  const other = await RawConn.connect(src.port);
  try {
    await call(c, 'SET', 'y', '1');
    c.send(['MIGRATE', '127.0.0.1', port, 'y', '0', '800']);
    c.send(['GET', 'y']); // pipelined behind the MIGRATE: served after it
    assert.equal(await call(other, 'PING'), '+PONG\r\n');
    assert.equal(await call(other, 'SET', 'z', '2'), '+OK\r\n');
    assert.equal((await c.readRaw()).raw.toString(), '-IOERR error or timeout reading to target instance\r\n');
    assert.equal((await c.readRaw()).raw.toString(), '$1\r\n1\r\n');
  } finally {
    other.close();
    silent.close();
  }
});

test('concurrent MIGRATEs to a new target share one cached connection', async () => {
  const fresh = await startServer({ log: false });
  const other = await RawConn.connect(src.port);
  try {
    await call(c, 'MSET', 'c1', '1', 'c2', '2');
    const cached = async (): Promise<number> => Number(/migrate_cached_sockets:(\d+)/.exec(await call(c, 'INFO', 'stats'))![1]);
    const before = await cached();
    c.send(['MIGRATE', '127.0.0.1', fresh.port, 'c1', '0', '5000']);
    other.send(['MIGRATE', '127.0.0.1', fresh.port, 'c2', '0', '5000']);
    assert.equal((await c.readRaw()).raw.toString(), '+OK\r\n');
    assert.equal((await other.readRaw()).raw.toString(), '+OK\r\n');
    assert.equal(await cached(), before + 1);
    assert.equal(await call(c, 'EXISTS', 'c1', 'c2'), ':0\r\n');
  } finally {
    other.close();
    await fresh.close();
  }
});

test('MIGRATE inside MULTI is refused (a transaction cannot wait for the target)', async () => {
  await call(c, 'SET', 'm', '1');
  await call(c, 'MULTI');
  await call(c, 'MIGRATE', '127.0.0.1', dst.port, 'm', '0', '1000');
  assert.match(await call(c, 'EXEC'), /^\*1\r\n-ERR MIGRATE cannot run inside MULTI/);
});

test('MIGRATE between redlua and redis-server, both ways', { skip: !redisServerAvailable() && 'redis-server not installed' }, async () => {
  const r = await RawConn.connect(oracle!.port);
  try {
    await call(c, 'ZADD', 'zz', '1', 'a', '2', 'b');
    await call(c, 'XADD', 'st', '1-1', 'f', 'v');
    assert.equal(await call(c, 'MIGRATE', '127.0.0.1', oracle!.port, '', '0', '5000', 'KEYS', 'zz', 'st'), '+OK\r\n');
    assert.equal(await call(r, 'ZRANGE', 'zz', '0', '-1', 'WITHSCORES'), '*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
    assert.equal(await call(r, 'XLEN', 'st'), ':1\r\n');
    assert.equal(await call(r, 'MIGRATE', '127.0.0.1', dst.port, 'zz', '5', '5000'), '+OK\r\n');
    await call(d, 'SELECT', '5');
    assert.equal(await call(d, 'ZSCORE', 'zz', 'b'), '$1\r\n2\r\n');
  } finally {
    r.close();
  }
});
