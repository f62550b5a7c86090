// The Unix socket and TLS listeners (src/server/listeners.ts): unixsocket/unixsocketperm with redis-cli -s, ioredis
// and node-redis over the socket; TLS with certificates generated here by openssl (skipped without it): redis-cli
// --tls, ioredis and node-redis, client-certificate modes, CONFIG SET reloading the context, garbage and stalled
// handshakes beside working clients, and `port 0` serving TLS only. Start-up refusals of what cannot be honoured.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import tls from 'node:tls';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { Server } from '../../src/server/server.js';
import { startListeners, ListenerError } from '../../src/server/listeners.js';
import { freePort } from '../helpers/redis-server.js';

const haveCli = spawnSync('redis-cli', ['--version']).status === 0;
const haveOpenssl = spawnSync('openssl', ['version']).status === 0;

/** redis-cli, asynchronously (the server runs in this process). */
function cli(args: string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise(resolve => {
    const p = spawn('redis-cli', args);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', d => (stdout += d));
    p.stderr.on('data', d => (stderr += d));
    p.on('close', status => resolve({ stdout, stderr, status }));
    p.stdin.end();
  });
}

async function start(config: Record<string, string>): Promise<Server> {
  const s = new Server({ config, logger: silentLogger() });
  await startListeners(s);
  return s;
}

function silentLogger() {
  const noop = () => {};
  return { level: 'silent', debug: noop, verbose: noop, notice: noop, warning: noop, info: noop, error: noop, fatal: noop, trace: noop } as never;
}

/** ioredis clients a test opened: disconnected after each test even when it fails (a connected client left behind
 * would retry forever once the server closes, and keep the test process alive) */
const clients: Redis[] = [];
const track = (r: Redis): Redis => (clients.push(r), r);
afterEach(() => {
  for (const r of clients.splice(0)) r.disconnect();
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-listeners-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('unix socket', () => {
  const sock = path.join(tmp, 'redis.sock');
  let s: Server;
  before(async () => {
    fs.writeFileSync(sock, 'stale'); // a stale file is removed, as Redis unlinks it before binding
    s = await start({ port: '0', unixsocket: sock, unixsocketperm: '700' });
  });
  after(async () => {
    await s.close();
  });

  test('the socket exists with unixsocketperm and serves RESP; CONFIG GET shows the octal form', async () => {
    const st = fs.statSync(sock);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o700);
    const r = track(new Redis({ path: sock, lazyConnect: true, maxRetriesPerRequest: 1 }));
    await r.connect();
    assert.equal(await r.ping(), 'PONG');
    assert.deepEqual(await r.config('GET', 'unixsocketperm'), ['unixsocketperm', '700']);
    assert.deepEqual(await r.config('GET', 'unixsocket'), ['unixsocket', sock]);
    // genClientAddrString: "<path>:0" on both ends, flag U
    const list = (await r.client('LIST')) as string;
    assert.match(list, new RegExp(`addr=${sock}:0 laddr=${sock}:0 fd=\\d+ name= age=\\d+ idle=\\d+ flags=U `));
    assert.equal(await r.set('k', 'v'), 'OK');
    r.disconnect();
  });

  test('node-redis over the socket', async () => {
    const c = createClient({ socket: { path: sock, tls: false } });
    await c.connect();
    assert.equal(await c.get('k'), 'v');
    await c.quit();
  });

  test('redis-cli -s', { skip: haveCli ? false : 'redis-cli is not installed' }, async () => {
    assert.equal((await cli(['-s', sock, 'GET', 'k'])).stdout, 'v\n');
  });

  test('a Unix socket client is local (protected mode does not refuse it)', async () => {
    const c = [...s.clients.values()];
    void c;
    const r = track(new Redis({ path: sock, lazyConnect: true }));
    await r.connect();
    assert.equal(await r.ping(), 'PONG');
    r.disconnect();
  });

  test('a path too long for sun_path fails as anetUnixServer does', async () => {
    const long = path.join(tmp, 'x'.repeat(120));
    await assert.rejects(start({ port: '0', unixsocket: long }), (e: unknown) => {
      assert.ok(e instanceof ListenerError);
      assert.equal(e.log[0], `Failed opening Unix socket: unix socket path too long (${Buffer.byteLength(long)}), must be under 108`);
      return true;
    });
  });
});

describe('bind', () => {
  const reach = (port: number, host: string) =>
    new Promise<boolean>(res => {
      const c = net.connect(port, host, () => {
        c.destroy();
        res(true);
      });
      c.on('error', () => res(false));
    });
  test('every bind address is listened on; an optional unavailable one is skipped', async () => {
    const port = await freePort();
    const s = await start({ port: String(port), bind: '127.0.0.1 -::1 -192.0.2.123' });
    assert.ok(await reach(port, '127.0.0.1'));
    const v6 = await reach(port, '::1');
    assert.equal(v6, s.listeners.tcpExtra.length === 1, 'IPv6 loopback served when the host has it');
    await s.close();
    assert.equal(await reach(port, '127.0.0.1'), false);
  });
  test('a mandatory address that cannot be bound fails the start', async () => {
    await assert.rejects(start({ port: String(await freePort()), bind: '127.0.0.1 192.0.2.123' }), (e: unknown) => {
      assert.ok(e instanceof ListenerError);
      assert.match(e.log[0], /^Warning: Could not create server TCP listening socket 192\.0\.2\.123:\d+: bind: /);
      assert.match(e.log[1], /^Failed listening on port \d+ \(TCP\), aborting\.$/);
      return true;
    });
  });
});

describe('start-up refusals', () => {
  test('port 0 alone still listens on a free TCP port (redlua: there is always somewhere to connect)', async () => {
    const s = await start({ port: '0' });
    assert.ok(s.port > 0);
    await s.close();
  });
  test('cluster-enabled, tls-replication and tls-cluster cannot be honoured: the start fails', async () => {
    for (const d of ['cluster-enabled', 'tls-replication', 'tls-cluster']) {
      await assert.rejects(start({ port: String(await freePort()), [d]: 'yes' }), (e: unknown) => e instanceof ListenerError && e.log[0].includes(`'${d} yes'`));
    }
  });
  test('supervised systemd with NOTIFY_SOCKET set cannot notify systemd: the start fails', async () => {
    process.env.NOTIFY_SOCKET = path.join(tmp, 'notify');
    try {
      await assert.rejects(start({ port: '0', supervised: 'systemd' }), (e: unknown) => e instanceof ListenerError && /'supervised systemd'/.test(e.log[0]));
      await assert.rejects(start({ port: '0', supervised: 'auto' }), (e: unknown) => e instanceof ListenerError);
    } finally {
      delete process.env.NOTIFY_SOCKET;
    }
    const s = await start({ port: '0', supervised: 'auto' });
    await s.close();
  });
  test('TLS without certificates', async () => {
    await assert.rejects(start({ port: '0', 'tls-port': String(await freePort()) }), (e: unknown) => {
      assert.ok(e instanceof ListenerError);
      assert.deepEqual(e.log, ['No tls-cert-file configured!', 'Failed to configure TLS. Check logs for more info.']);
      return true;
    });
  });
});

describe('TLS', { skip: haveOpenssl ? false : 'openssl is not installed' }, () => {
  const dir = path.join(tmp, 'tls');
  const f = (n: string) => path.join(dir, n);
  let s: Server;
  let port = 0;
  const ossl = (...a: string[]) => execFileSync('openssl', a, { stdio: 'pipe' });
  /** A key and a certificate signed by the test CA. */
  const issue = (name: string, cn: string) => {
    ossl('genrsa', '-out', f(`${name}.key`), '2048');
    ossl('req', '-new', '-sha256', '-subj', `/O=redlua test/CN=${cn}`, '-key', f(`${name}.key`), '-out', f(`${name}.csr`));
    ossl('x509', '-req', '-sha256', '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-in', f(`${name}.csr`), '-out', f(`${name}.crt`));
  };
  const clientTls = (withCert: boolean): tls.ConnectionOptions => ({
    ca: fs.readFileSync(f('ca.crt')),
    servername: 'localhost',
    ...(withCert ? { cert: fs.readFileSync(f('client.crt')), key: fs.readFileSync(f('client.key')) } : {}),
  });
  /** A TLS connection's outcome: the reply to PING, or the error. */
  const tlsPing = (withCert: boolean) =>
    new Promise<string>(resolve => {
      const c = tls.connect({ port, host: '127.0.0.1', ...clientTls(withCert) }, () => c.write('PING\r\n'));
      c.on('data', d => {
        resolve(d.toString());
        c.destroy();
      });
      c.on('error', e => resolve('error: ' + e.message));
      c.on('close', () => resolve('closed'));
    });

  before(async () => {
    fs.mkdirSync(dir);
    ossl('genrsa', '-out', f('ca.key'), '2048');
    ossl('req', '-x509', '-new', '-nodes', '-sha256', '-key', f('ca.key'), '-days', '2', '-subj', '/O=redlua test/CN=Test CA', '-out', f('ca.crt'));
    issue('server', 'localhost');
    issue('server2', 'second');
    issue('client', 'client');
    port = await freePort();
    s = await start({
      port: '0',
      'tls-port': String(port),
      'tls-cert-file': f('server.crt'),
      'tls-key-file': f('server.key'),
      'tls-ca-cert-file': f('ca.crt'),
    });
  });
  after(async () => {
    await s?.close();
  });

  test('port 0 with tls-port serves TLS only', async () => {
    assert.equal(s.port, 0, 'no plaintext TCP listener');
    // plaintext to the TLS port is a failed handshake: the connection is closed, nothing is answered
    const raw = net.connect(port, '127.0.0.1');
    raw.write('PING\r\n');
    const got = await new Promise<string>(res => {
      let b = '';
      raw.on('data', d => (b += d.toString('latin1')));
      raw.on('close', () => res(b));
      raw.on('error', () => res(b));
    });
    assert.ok(!got.includes('PONG'));
  });

  test('tls-auth-clients yes (default): a client certificate is required', async () => {
    assert.equal(await tlsPing(true), '+PONG\r\n');
    assert.notEqual(await tlsPing(false), '+PONG\r\n');
  });

  test('ioredis and node-redis over TLS with a client certificate', async () => {
    const r = track(new Redis({ port, host: '127.0.0.1', tls: clientTls(true), lazyConnect: true, maxRetriesPerRequest: 1 }));
    await r.connect();
    assert.equal(await r.set('t', 'tls'), 'OK');
    assert.match((await r.client('INFO')) as string, /^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ /);
    r.disconnect();
    const c = createClient({ socket: { host: '127.0.0.1', port, tls: true, ...clientTls(true) } } as never);
    await c.connect();
    assert.equal(await c.get('t'), 'tls');
    await c.quit();
  });

  test('redis-cli --tls with a client certificate', { skip: haveCli ? false : 'redis-cli is not installed' }, async () => {
    const base = ['-h', '127.0.0.1', '-p', String(port), '--tls', '--cacert', f('ca.crt')];
    assert.equal((await cli([...base, '--cert', f('client.crt'), '--key', f('client.key'), 'GET', 't'])).stdout, 'tls\n');
    assert.notEqual((await cli([...base, 'GET', 't'])).stdout, 'tls\n');
  });

  test('CONFIG SET tls-auth-clients applies to the next connections; optional and no', async () => {
    const r = track(new Redis({ port, host: '127.0.0.1', tls: clientTls(true), lazyConnect: true, maxRetriesPerRequest: 1 }));
    await r.connect();
    assert.equal(await r.config('SET', 'tls-auth-clients', 'optional'), 'OK');
    assert.equal(await tlsPing(false), '+PONG\r\n');
    assert.equal(await tlsPing(true), '+PONG\r\n');
    assert.equal(await r.config('SET', 'tls-auth-clients', 'no'), 'OK');
    assert.equal(await tlsPing(false), '+PONG\r\n');
    assert.equal(await r.config('SET', 'tls-auth-clients', 'yes'), 'OK');
    assert.notEqual(await tlsPing(false), '+PONG\r\n');
    r.disconnect();
  });

  test('CONFIG SET of tls-* reloads the context; a bad one is refused and the old values stay', async () => {
    const r = track(new Redis({ port, host: '127.0.0.1', tls: clientTls(true), lazyConnect: true, maxRetriesPerRequest: 1 }));
    await r.connect();
    await assert.rejects(r.config('SET', 'tls-cert-file', path.join(dir, 'nope.crt')), {
      message: "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.",
    });
    assert.deepEqual(await r.config('GET', 'tls-cert-file'), ['tls-cert-file', f('server.crt')]);
    await assert.rejects(r.config('SET', 'tls-protocols', 'SSLv3'), /Unable to update TLS configuration/);
    await assert.rejects(r.config('SET', 'tls-replication', 'yes'), /tls-replication cannot be enabled/);
    assert.equal(await r.config('SET', 'tls-cert-file', f('server2.crt'), 'tls-key-file', f('server2.key')), 'OK');
    const cn = await new Promise<string>((resolve, reject) => {
      const c = tls.connect({ port, host: '127.0.0.1', ...clientTls(true), checkServerIdentity: () => undefined }, () => {
        resolve(String(c.getPeerCertificate().subject.CN));
        c.destroy();
      });
      c.on('error', reject);
    });
    assert.equal(cn, 'second');
    assert.equal(await r.ping(), 'PONG', 'connections made before keep working');
    assert.equal(await r.config('SET', 'tls-cert-file', f('server.crt'), 'tls-key-file', f('server.key')), 'OK');
    r.disconnect();
  });

  test('CONFIG SET tls-port moves the TLS listener; a port in use is refused in the log and the old one stays', async () => {
    const r = track(new Redis({ port, host: '127.0.0.1', tls: clientTls(true), lazyConnect: true, maxRetriesPerRequest: 1 }));
    await r.connect();
    const next = await freePort();
    assert.equal(await r.config('SET', 'tls-port', String(next)), 'OK');
    const old = port;
    port = next;
    const deadline = Date.now() + 10000;
    while ((await tlsPing(true)) !== '+PONG\r\n') {
      assert.ok(Date.now() < deadline, 'the new TLS port never answered');
      await new Promise(res => setTimeout(res, 20));
    }
    assert.equal(s.listeners.tlsPort, next);
    const blocker = net.createServer().listen(0, '0.0.0.0');
    await new Promise(res => blocker.once('listening', res));
    const busy = (blocker.address() as net.AddressInfo).port;
    assert.equal(await r.config('SET', 'tls-port', String(busy)), 'OK');
    const deadline2 = Date.now() + 10000;
    while ((await r.config('GET', 'tls-port'))[1] !== String(next)) {
      assert.ok(Date.now() < deadline2, 'tls-port did not return to the port in use');
      await new Promise(res => setTimeout(res, 20));
    }
    assert.equal(await tlsPing(true), '+PONG\r\n');
    blocker.close();
    void old;
    r.disconnect();
  });

  test('garbage and never-finishing handshakes do not block other clients', { timeout: 8000 }, async () => {
    const stalled = net.connect(port, '127.0.0.1'); // connects and sends nothing
    const garbage = net.connect(port, '127.0.0.1');
    garbage.on('error', () => {});
    garbage.resume(); // read the alert, so that the close is seen
    stalled.on('error', () => {});
    garbage.write(Buffer.from('\x16\x03\x01\x00\xffnot a client hello at all'.repeat(10), 'latin1'));
    const partial = net.connect(port, '127.0.0.1');
    partial.on('error', () => {});
    partial.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])); // a record header promising more, then silence
    for (let i = 0; i < 3; i++) assert.equal(await tlsPing(true), '+PONG\r\n');
    const garbageClosed = await new Promise<boolean>(res => {
      if (garbage.destroyed) return res(true);
      garbage.on('close', () => res(true));
    });
    assert.ok(garbageClosed);
    stalled.destroy();
    partial.destroy();
  });
});
