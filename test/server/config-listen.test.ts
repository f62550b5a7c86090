// CONFIG SET port/bind move the listening socket (changeListenPort/changeBindAddr); a port in use fails the command
// and rolls back every value it set, and the server stays reachable where it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { freePort } from '../helpers/redis-server.js';

test('CONFIG SET port moves the listener; a used port is refused and rolled back', async () => {
  const srv = await startServer({ log: false });
  const blocker = net.createServer();
  try {
    const first = await RawConn.connect(srv.port);
    const port = await freePort();
    assert.equal((await first.call(['CONFIG', 'SET', 'port', String(port)])).toString(), '+OK\r\n');
    const moved = await RawConn.connect(port);
    assert.equal((await moved.call(['PING'])).toString(), '+PONG\r\n');
    assert.equal((await first.call(['PING'])).toString(), '+PONG\r\n', 'connected clients stay');
    const used = await freePort();
    await new Promise<void>(r => blocker.listen(used, '127.0.0.1', () => r()));
    assert.equal(
      (await moved.call(['CONFIG', 'SET', 'maxmemory', '10000001', 'port', String(used), 'timeout', '9'])).toString(),
      "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
    );
    assert.equal((await moved.call(['CONFIG', 'GET', 'maxmemory'])).toString(), '*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    assert.equal((await moved.call(['CONFIG', 'GET', 'port'])).toString(), `*2\r\n$4\r\nport\r\n$${String(port).length}\r\n${port}\r\n`);
    const again = await RawConn.connect(port);
    assert.equal((await again.call(['PING'])).toString(), '+PONG\r\n', 'the old port listens again');
    for (const c of [first, moved, again]) c.close();
  } finally {
    blocker.close();
    await srv.close();
  }
});
