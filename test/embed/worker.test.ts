// startServer({ worker: true }): the server in a worker thread; a runaway script is answered with BUSY and killed from the host, close() always returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';

test('TCP and socketless clients of a worker server', async () => {
  const srv = await startServer({ worker: true, log: false });
  try {
    const c = await RawConn.connect(srv.port);
    assert.equal((await c.call(['SET', 'k', 'v'])).toString(), '+OK\r\n');
    c.close();
    const l = srv.client();
    assert.equal(await l.call('GET', 'k'), 'v');
    assert.deepEqual(await l.call('EVAL', 'return {1, KEYS[1]}', 1, 'x'), [1, 'x']);
    l.close();
  } finally {
    await srv.close();
  }
});

test('a runaway script: BUSY for the host process clients, SCRIPT KILL from the same process', async () => {
  const srv = await startServer({ worker: true, log: false, config: { 'busy-reply-threshold': 50 } });
  try {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    a.send(['EVAL', 'while true do end', '0']);
    // the host's event loop is free: poll until the worker's server reports BUSY
    let reply = '';
    for (let i = 0; i < 2000; i++) {
      reply = (await b.call(['PING'])).toString();
      if (reply.startsWith('-BUSY')) break;
    }
    assert.match(reply, /^-BUSY Redis is busy running a script/);
    assert.equal((await b.call(['SCRIPT', 'KILL'])).toString(), '+OK\r\n');
    assert.match((await a.readRaw(20000)).raw.toString(), /^-ERR Script killed by user with SCRIPT KILL/);
    assert.equal((await b.call(['PING'])).toString(), '+PONG\r\n');
    a.close();
    b.close();
  } finally {
    await srv.close();
  }
});

test('close() returns even while a script never yields', async () => {
  const srv = await startServer({ worker: true, log: false, config: { 'busy-reply-threshold': 0 } });
  const a = await RawConn.connect(srv.port);
  a.send(['EVAL', 'while true do end', '0']);
  // whether or not the worker has started the script yet, close() must return (terminating the worker if need be)
  await srv.close(100);
  a.close();
});

test('onLog receives redis.log lines, in a worker and in the host thread', async () => {
  for (const worker of [true, false] as const) {
    const lines: string[] = [];
    const srv = worker
      ? await startServer({ worker: true, log: 'notice', onLog: l => lines.push(l) })
      : await startServer({ log: 'notice', onLog: l => lines.push(l) });
    const c = srv.client();
    await c.call('EVAL', "redis.log(redis.LOG_WARNING, 'hello from lua') redis.log(redis.LOG_DEBUG, 'hidden')", 0);
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline && !lines.some(l => l.includes('hello from lua'))) await new Promise(r => setTimeout(r, 5));
    const mine = lines.map(l => JSON.parse(l) as { msg: string; level: number }).filter(o => /hello|hidden/.test(o.msg));
    assert.deepEqual(mine.map(o => [o.msg, o.level]), [['hello from lua', 40]], `worker=${worker}`);
    c.close();
    await srv.close();
  }
});
