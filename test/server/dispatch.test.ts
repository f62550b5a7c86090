// processCommand's checks and their order, against replies recorded from redis-server 7.0.15
// (started with --maxmemory 1 --requirepass pw, i.e. always out of memory and protected).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../../src/index.js';

function exchange(port: number, send: string, expectBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const s = net.connect(port, '127.0.0.1', () => s.write(send));
    const t = setTimeout(() => {
      s.destroy();
      resolve(out);
    }, 5000);
    s.on('data', d => {
      out += d.toString('latin1');
      if (out.length >= expectBytes) {
        clearTimeout(t);
        s.destroy();
        resolve(out);
      }
    });
    s.on('error', reject);
  });
}

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
const ABORT = '-EXECABORT Transaction discarded because of previous errors.\r\n';

test('NOAUTH, OOM (also inside MULTI), protected DEBUG, pub/sub commands in MULTI, NOREPLICAS', async () => {
  const srv = await startServer({ log: false, config: { maxmemory: 1, requirepass: 'pw' } });
  try {
    const send =
      'GET a\r\nMULTI\r\nAUTH pw\r\nGET a\r\nSET a b\r\nMULTI\r\nGET a\r\nSET a b\r\nEXEC\r\nMULTI\r\nGET a\r\nEXEC\r\nDEBUG SLEEP 0\r\n' +
      'MULTI\r\nSUBSCRIBE x\r\nEXEC\r\nconfig set min-replicas-to-write 1\r\nMULTI\r\nGET a\r\nINCR a\r\nEXEC\r\nGET a\r\n';
    const expected =
      '-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n+OK\r\n$-1\r\n' +
      OOM +
      '+OK\r\n' + OOM + OOM + ABORT +
      '+OK\r\n' + OOM + ABORT +
      '-ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n' +
      '+OK\r\n' + OOM + ABORT +
      '+OK\r\n+OK\r\n' + OOM + OOM + ABORT +
      '$-1\r\n';
    assert.equal(await exchange(srv.port, send, expected.length), expected);
  } finally {
    await srv.close();
  }
});

test('NOREPLICAS for writes, EXECABORT quoting rejected EXEC errors without their ERR prefix', async () => {
  const srv = await startServer({ log: false, config: { 'min-replicas-to-write': 1 } });
  try {
    const send = 'SET a b\r\nGET a\r\nMULTI\r\nSET a b\r\nEXEC\r\nMULTI\r\nGET a\r\nEXEC\r\nEXEC x\r\nMULTI\r\nEXEC x\r\nEXEC\r\n';
    const expected =
      '-NOREPLICAS Not enough good replicas to write.\r\n$-1\r\n' +
      '+OK\r\n-NOREPLICAS Not enough good replicas to write.\r\n' + ABORT +
      '+OK\r\n+QUEUED\r\n*1\r\n$-1\r\n' +
      "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n" +
      '+OK\r\n' +
      "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n" +
      '-ERR EXEC without MULTI\r\n';
    assert.equal(await exchange(srv.port, send, expected.length), expected);
  } finally {
    await srv.close();
  }
});
