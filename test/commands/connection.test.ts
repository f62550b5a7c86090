// Connection commands over real sockets: CLIENT KILL/PAUSE/REPLY/UNBLOCK/LIST, RESET, AUTH/HELLO with requirepass.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const str = (b: Buffer) => b.toString('latin1');

/** Resolves with the raw bytes of the next reply, or null if none arrives within `ms`. */
async function maybeReply(c: RawConn, ms: number): Promise<string | null> {
  try {
    return str((await c.readRaw(ms)).raw);
  } catch {
    return null;
  }
}

describe('connection commands', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startServer({ log: false });
  });
  after(async () => {
    await srv.close();
  });

  test('CLIENT ID / INFO / LIST ID describe the calling connection', async () => {
    const c = await RawConn.connect(srv.port);
    const id = Number(str(await c.call(['CLIENT', 'ID'])).slice(1, -2));
    assert.ok(id > 0);
    await c.call(['CLIENT', 'SETNAME', 'me']);
    await c.call(['SELECT', '4']);
    const info = str(await c.call(['CLIENT', 'INFO']));
    assert.match(info, new RegExp(`^\\$\\d+\\r\\nid=${id} addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:${srv.port} fd=\\d+ name=me age=\\d+ idle=0 flags=N db=4 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=\\d+ argv-mem=10 multi-mem=0 rbs=\\d+ rbp=\\d+ obl=0 oll=0 omem=0 tot-mem=\\d+ events=r cmd=client\\|info user=default redir=-1 resp=2\\n\\r\\n$`));
    const listed = str(await c.call(['CLIENT', 'LIST', 'ID', String(id), '999999']));
    assert.match(listed, new RegExp(`id=${id} .* cmd=client\\|list `));
    assert.equal(listed.split('id=').length, 2); // exactly one line
    c.close();
  });

  test('CLIENT LIST shows the last command, MULTI state and flags of other clients', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    const idB = str(await b.call(['CLIENT', 'ID'])).slice(1, -2);
    await b.call(['MULTI']);
    await b.call(['SET', 'k', 'v']);
    const line = str(await a.call(['CLIENT', 'LIST', 'ID', idB]));
    assert.match(line, / flags=x /);
    assert.match(line, / multi=1 /);
    assert.match(line, / multi-mem=29 /);
    assert.match(line, / cmd=set /);
    await b.call(['NOSUCH']);
    assert.match(str(await a.call(['CLIENT', 'LIST', 'ID', idB])), / cmd=NULL /);
    a.close();
    b.close();
  });

  test('CLIENT KILL by ID, ADDR (old form) and SKIPME', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    const idB = str(await b.call(['CLIENT', 'ID'])).slice(1, -2);
    assert.equal(str(await a.call(['CLIENT', 'KILL', 'ID', idB])), ':1\r\n');
    await b.waitClose(2000);
    assert.equal(str(await a.call(['CLIENT', 'KILL', 'ID', idB])), ':0\r\n');

    const c = await RawConn.connect(srv.port);
    const addrC = `127.0.0.1:${c.sock.localPort}`;
    assert.equal(str(await a.call(['CLIENT', 'KILL', addrC])), '+OK\r\n');
    await c.waitClose(2000);
    assert.equal(str(await a.call(['CLIENT', 'KILL', addrC])), '-ERR No such client\r\n');

    // the new form skips the caller by default; SKIPME no kills it after the reply
    const idA = str(await a.call(['CLIENT', 'ID'])).slice(1, -2);
    assert.equal(str(await a.call(['CLIENT', 'KILL', 'ID', idA])), ':0\r\n');
    assert.equal(str(await a.call(['CLIENT', 'KILL', 'ID', idA, 'SKIPME', 'no'])), ':1\r\n');
    await a.waitClose(2000);
  });

  test('CLIENT KILL TYPE pubsub kills only subscribers', async () => {
    const a = await RawConn.connect(srv.port);
    const sub = await RawConn.connect(srv.port);
    await sub.call(['SUBSCRIBE', 'ch']);
    assert.equal(str(await a.call(['CLIENT', 'KILL', 'TYPE', 'pubsub'])), ':1\r\n');
    await sub.waitClose(2000);
    assert.equal(str(await a.call(['PING'])), '+PONG\r\n');
    a.close();
  });

  test('CLIENT PAUSE WRITE postpones writes of other clients, not reads', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    await a.call(['SET', 'pk', 'old']);
    assert.equal(str(await a.call(['CLIENT', 'PAUSE', '5000', 'WRITE'])), '+OK\r\n');
    assert.equal(str(await b.call(['GET', 'pk'])), '$3\r\nold\r\n');
    b.send(['SET', 'pk', 'new']);
    assert.equal(await maybeReply(b, 150), null, 'the write waits while paused');
    b.send(['PING']); // queued behind the postponed write
    assert.equal(str(await a.call(['GET', 'pk'])), '$3\r\nold\r\n');
    assert.equal(str(await a.call(['CLIENT', 'UNPAUSE'])), '+OK\r\n');
    assert.equal(str((await b.readRaw(2000)).raw), '+OK\r\n');
    assert.equal(str((await b.readRaw(2000)).raw), '+PONG\r\n');
    assert.equal(str(await a.call(['GET', 'pk'])), '$3\r\nnew\r\n');
    a.close();
    b.close();
  });

  test('CLIENT PAUSE: a postponed client counts in blocked_clients, and expired keys read as gone but are not deleted', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    const info = async (f: string) => new RegExp(`\\r\\n${f}:(\\d+)`).exec(str(await a.call(['INFO'])))?.[1];
    await a.call(['SET', 'pexp', 'v', 'PX', '30']);
    const expired0 = Number(await info('expired_keys'));
    assert.equal(str(await a.call(['CLIENT', 'PAUSE', '5000', 'WRITE'])), '+OK\r\n');
    b.send(['SET', 'pk2', 'x']);
    const end = Date.now() + 3000;
    while ((await info('blocked_clients')) !== '1' && Date.now() < end) await sleep(10);
    assert.equal(await info('blocked_clients'), '1', 'the postponed SET is a blocked client');
    await sleep(150); // past the TTL, and past an active-expiry cycle or more
    assert.equal(str(await a.call(['GET', 'pexp'])), '$-1\r\n', 'logically expired');
    assert.equal(Number(await info('expired_keys')), expired0, 'but neither lazy nor active expiry deleted it');
    assert.equal(str(await a.call(['CLIENT', 'UNPAUSE'])), '+OK\r\n');
    assert.equal(str((await b.readRaw(2000)).raw), '+OK\r\n');
    assert.equal(str(await a.call(['GET', 'pexp'])), '$-1\r\n');
    assert.equal(Number(await info('expired_keys')), expired0 + 1, 'deleted once the pause is over');
    assert.equal(await info('blocked_clients'), '0');
    a.close();
    b.close();
  });

  test('CLIENT PAUSE ends by itself after the timeout', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    await a.call(['CLIENT', 'PAUSE', '100', 'ALL']);
    const t0 = Date.now();
    assert.equal(str(await b.call(['PING'])), '+PONG\r\n');
    assert.ok(Date.now() - t0 >= 80, 'PING waited for the pause to end');
    a.close();
    b.close();
  });

  test('CLIENT REPLY OFF / SKIP / ON', async () => {
    const c = await RawConn.connect(srv.port);
    c.send(['CLIENT', 'REPLY', 'OFF']);
    c.send(['SET', 'rk', '1']);
    c.send(['GET', 'rk']);
    c.send(['LPUSH', 'rk', 'x']); // WRONGTYPE, not sent either
    assert.equal(str(await c.call(['CLIENT', 'REPLY', 'ON'])), '+OK\r\n');
    assert.equal(str(await c.call(['GET', 'rk'])), '$1\r\n1\r\n');
    c.send(['CLIENT', 'REPLY', 'SKIP']);
    c.send(['INCR', 'rk']);
    assert.equal(str(await c.call(['GET', 'rk'])), '$1\r\n2\r\n');
    // rejected commands and +QUEUED are suppressed too; SKIP applies to the next command whatever it is
    c.send(['CLIENT', 'REPLY', 'OFF']);
    c.send(['NOSUCH']);
    c.send(['GET']);
    c.send(['MULTI']);
    c.send(['SET', 'rk', '5']);
    c.send(['EXEC']);
    assert.equal(str(await c.call(['CLIENT', 'REPLY', 'ON'])), '+OK\r\n');
    c.send(['CLIENT', 'REPLY', 'SKIP']);
    c.send(['NOSUCH']);
    assert.equal(str(await c.call(['GET', 'rk'])), '$1\r\n5\r\n');
    c.send(['CLIENT', 'REPLY', 'SKIP']);
    c.send(['MULTI']);
    assert.equal(str(await c.call(['PING'])), '+QUEUED\r\n');
    assert.equal(str(await c.call(['EXEC'])), '*1\r\n+PONG\r\n');
    // SKIP while OFF is ignored; ON after SKIP answers
    c.send(['CLIENT', 'REPLY', 'SKIP']);
    assert.equal(str(await c.call(['CLIENT', 'REPLY', 'ON'])), '+OK\r\n');
    c.close();
  });

  test('CLIENT UNBLOCK a client blocked in BLPOP (TIMEOUT and ERROR)', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    const idB = str(await b.call(['CLIENT', 'ID'])).slice(1, -2);
    b.send(['BLPOP', 'nolist', '0']);
    await sleep(50);
    assert.match(str(await a.call(['CLIENT', 'LIST', 'ID', idB])), / flags=b .* cmd=blpop /);
    assert.equal(str(await a.call(['CLIENT', 'UNBLOCK', idB])), ':1\r\n');
    assert.equal(str((await b.readRaw(2000)).raw), '*-1\r\n');
    assert.equal(str(await a.call(['CLIENT', 'UNBLOCK', idB])), ':0\r\n');
    b.send(['BLPOP', 'nolist', '0']);
    await sleep(50);
    assert.equal(str(await a.call(['CLIENT', 'UNBLOCK', idB, 'ERROR'])), ':1\r\n');
    assert.equal(str((await b.readRaw(2000)).raw), '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    assert.equal(str(await b.call(['PING'])), '+PONG\r\n');
    a.close();
    b.close();
  });

  test('RESET restores a fresh connection state', async () => {
    const c = await RawConn.connect(srv.port);
    await c.call(['HELLO', '3']);
    await c.call(['SELECT', '2']);
    await c.call(['CLIENT', 'SETNAME', 'x']);
    await c.call(['WATCH', 'w']);
    await c.call(['MULTI']);
    await c.call(['SET', 'w', '1']);
    assert.equal(str(await c.call(['RESET'])), '+RESET\r\n');
    assert.equal(str(await c.call(['CLIENT', 'GETNAME'])), '$-1\r\n'); // RESP2 again
    assert.match(str(await c.call(['CLIENT', 'INFO'])), / db=0 .* multi=-1 .* resp=2\n/);
    assert.equal(str(await c.call(['EXEC'])), '-ERR EXEC without MULTI\r\n');
    await c.call(['SUBSCRIBE', 'ch']);
    assert.equal(str(await c.call(['RESET'])), '+RESET\r\n');
    assert.equal(str(await c.call(['GET', 'nokey'])), '$-1\r\n');
    // RESET under CLIENT REPLY OFF still answers
    c.send(['CLIENT', 'REPLY', 'OFF']);
    assert.equal(str(await c.call(['RESET'])), '+RESET\r\n');
    c.close();
  });

  test('MONITOR sees other clients commands with redacted AUTH', async () => {
    const m = await RawConn.connect(srv.port);
    const c = await RawConn.connect(srv.port);
    assert.equal(str(await m.call(['MONITOR'])), '+OK\r\n');
    await c.call(['SET', 'mk', 'a "b"\n']);
    await c.call(['AUTH', 'secret']);
    await c.call(['CONFIG', 'GET', 'hz']); // admin: not shown
    await c.call(['SELECT', '1']);
    const lines: string[] = [];
    for (let i = 0; i < 3; i++) lines.push(str((await m.readRaw(2000)).raw));
    const port = c.sock.localPort;
    assert.match(lines[0], new RegExp(`^\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:${port}\\] "SET" "mk" "a \\\\"b\\\\"\\\\n"\\r\\n$`));
    assert.match(lines[1], /\] "AUTH" "\(redacted\)"\r\n$/);
    assert.match(lines[2], /^\+\d+\.\d+ \[1 127\.0\.0\.1:\d+\] "SELECT" "1"\r\n$/);
    // a second MONITOR is a no-op (no reply), RESET leaves monitor mode
    m.send(['MONITOR']);
    assert.equal(str(await m.call(['RESET'])), '+RESET\r\n');
    await c.call(['PING']);
    assert.equal(await maybeReply(m, 100), null);
    m.close();
    c.close();
  });
});

describe('AUTH and HELLO with requirepass', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startServer({ log: false, config: { requirepass: 's3cret' } });
  });
  after(async () => {
    await srv.close();
  });

  test('NOAUTH until AUTH, WRONGPASS on a bad password, RESET logs out', async () => {
    const c = await RawConn.connect(srv.port);
    assert.equal(str(await c.call(['GET', 'x'])), '-NOAUTH Authentication required.\r\n');
    assert.equal(str(await c.call(['AUTH', 'nope'])), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    assert.equal(str(await c.call(['AUTH', 'default', 'nope'])), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    assert.equal(str(await c.call(['AUTH', 's3cret'])), '+OK\r\n');
    assert.equal(str(await c.call(['GET', 'x'])), '$-1\r\n');
    assert.equal(str(await c.call(['RESET'])), '+RESET\r\n');
    assert.equal(str(await c.call(['GET', 'x'])), '-NOAUTH Authentication required.\r\n');
    assert.equal(str(await c.call(['AUTH', 'default', 's3cret'])), '+OK\r\n');
    c.close();
  });

  test('ACL reports the default user with the requirepass hash', async () => {
    const c = await RawConn.connect(srv.port);
    await c.call(['AUTH', 's3cret']);
    const sha = (await import('node:crypto')).createHash('sha256').update('s3cret').digest('hex');
    assert.equal(str(await c.call(['ACL', 'LIST'])), `*1\r\n$93\r\nuser default on #${sha} ~* &* +@all\r\n`);
    assert.equal(str(await c.call(['ACL', 'WHOAMI'])), '$7\r\ndefault\r\n');
    assert.match(str(await c.call(['ACL', 'GETUSER', 'default'])), new RegExp(`^\\*12\r\n\\$5\r\nflags\r\n\\*1\r\n\\$2\r\non\r\n\\$9\r\npasswords\r\n\\*1\r\n\\$64\r\n${sha}\r\n`));
    c.close();
  });

  test('HELLO requires authentication or HELLO AUTH', async () => {
    const c = await RawConn.connect(srv.port);
    assert.match(str(await c.call(['HELLO', '3'])), /^-NOAUTH HELLO must be called with the client already authenticated/);
    assert.equal(str(await c.call(['HELLO', '3', 'AUTH', 'default', 'bad'])), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    const r = str(await c.call(['HELLO', '3', 'AUTH', 'default', 's3cret', 'SETNAME', 'h']));
    assert.match(r, /^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n\$7\r\nversion\r\n\$6\r\n7\.0\.15\r\n\$5\r\nproto\r\n:3\r\n/);
    assert.equal(str(await c.call(['CLIENT', 'GETNAME'])), '$1\r\nh\r\n');
    c.close();
  });
});
