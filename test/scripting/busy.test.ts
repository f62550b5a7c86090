// Multi-client tests for busy scripts: -BUSY, SCRIPT KILL, FUNCTION KILL, UNKILLABLE, FUNCTION STATS and SHUTDOWN NOSAVE (Redis: tests/unit/scripting.tcl, functions.tcl).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServerInWorker, type WorkerServer } from './worker-server.js';
import { RawConn } from '../helpers/conn.js';

const BUSY_EVAL = '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n';
const BUSY_FN = '-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n';
const UNKILLABLE =
  '-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n';

/** A Lua loop that runs for about `ms` milliseconds of TIME, mostly in pure Lua so that the count hook fires often. */
const spin = (ms: number) =>
  `local t0 = redis.call('time') local s = t0[1]*1000 + t0[2]/1000 local n = 0 ` +
  `while true do n = n + 1 if n % 20000 == 0 then local t = redis.call('time') if t[1]*1000 + t[2]/1000 - s > ${ms} then break end end end `;

/** Polls `conn` with PING until the server answers BUSY (the script passed busy-reply-threshold). */
async function waitBusy(conn: RawConn, expected = BUSY_EVAL): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const r = (await conn.call(['PING'])).toString();
    if (r === expected) return;
    await new Promise(res => setTimeout(res, 10));
  }
  throw new Error('the script never became busy');
}

const LOOPS: [string, string][] = [
  ['plain loop', 'while true do end'],
  ['loop inside pcall', 'pcall(function() while true do end end) return 1'],
  ['loop inside a table.sort comparator', 'table.sort({5,4,3,2,1}, function(a, b) while true do end end)'],
  ['loop inside a metamethod', 'local t = setmetatable({}, {__index = function() while true do end end}) return t.x'],
  ['loop inside a string.gsub callback', "return (string.gsub('abc', '%w', function(c) while true do end end))"],
  ['loop inside a coroutine', 'local co = coroutine.create(function() while true do end end) coroutine.resume(co)'],
];

describe('busy scripts', () => {
  let srv: WorkerServer;
  before(async () => {
    srv = await startServerInWorker({ 'busy-reply-threshold': 50 });
  });
  after(async () => {
    await srv.close();
  });

  for (const [name, body] of LOOPS) {
    test(`SCRIPT KILL stops a ${name}`, async () => {
      const a = await RawConn.connect(srv.port);
      const b = await RawConn.connect(srv.port);
      try {
        a.send(['EVAL', body, '0']);
        await waitBusy(b);
        assert.equal((await b.call(['GET', 'x'])).toString(), BUSY_EVAL);
        assert.equal((await b.call(['FUNCTION', 'KILL'])).toString(), BUSY_EVAL);
        assert.equal((await b.call(['FUNCTION', 'STATS'])).toString(), BUSY_EVAL);
        assert.equal((await b.call(['SCRIPT', 'KILL'])).toString(), '+OK\r\n');
        const r = (await a.readRaw()).raw.toString();
        // a pcall that swallows the kill still cannot run more code: the hook fires on every line once killed
        if (name !== 'loop inside pcall' && name !== 'loop inside a coroutine') {
          assert.match(r, /^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.\r\n$/);
        }
        // both connections stay usable
        assert.equal((await a.call(['PING'])).toString(), '+PONG\r\n');
        assert.equal((await b.call(['PING'])).toString(), '+PONG\r\n');
        assert.equal((await b.call(['SCRIPT', 'KILL'])).toString(), '-NOTBUSY No scripts in execution right now.\r\n');
      } finally {
        a.close();
        b.close();
      }
    });
  }

  test('UNKILLABLE after a write; SHUTDOWN without NOSAVE is refused', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    try {
      // the loop ends by itself once TIME moves 1.5 s past its start
      a.send(['EVAL', "redis.call('set','w','1') " + spin(1500) + "return 'done'", '0']);
      await waitBusy(b);
      assert.equal((await b.call(['SCRIPT', 'KILL'])).toString(), UNKILLABLE);
      assert.equal((await b.call(['SHUTDOWN'])).toString(), BUSY_EVAL);
      assert.equal((await b.call(['SHUTDOWN', 'ABORT'])).toString(), '-ERR No shutdown in progress.\r\n');
      assert.equal((await a.readRaw()).raw.toString(), '$4\r\ndone\r\n');
      assert.equal((await b.call(['GET', 'w'])).toString(), '$1\r\n1\r\n');
    } finally {
      a.close();
      b.close();
    }
  });

  test('FUNCTION KILL, FUNCTION STATS and SCRIPT KILL while a function is busy', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    try {
      await b.call(['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=busylib\nredis.register_function('busy', function() while true do end end)"]);
      a.send(['FCALL', 'busy', '0', 'extra']);
      await waitBusy(b, BUSY_FN);
      assert.equal((await b.call(['SCRIPT', 'KILL'])).toString(), BUSY_FN);
      const stats = (await b.call(['FUNCTION', 'STATS'])).toString();
      assert.match(
        stats,
        /^\*4\r\n\$14\r\nrunning_script\r\n\*6\r\n\$4\r\nname\r\n\$4\r\nbusy\r\n\$7\r\ncommand\r\n\*4\r\n\$5\r\nFCALL\r\n\$4\r\nbusy\r\n\$1\r\n0\r\n\$5\r\nextra\r\n\$11\r\nduration_ms\r\n:\d+\r\n\$7\r\nengines\r\n/,
      );
      assert.equal((await b.call(['FUNCTION', 'KILL'])).toString(), '+OK\r\n');
      assert.equal(
        (await a.readRaw()).raw.toString(),
        '-ERR Script killed by user with SCRIPT KILL... script: busy, on @user_function:2.\r\n',
      );
      assert.equal((await a.call(['PING'])).toString(), '+PONG\r\n');
    } finally {
      a.close();
      b.close();
    }
  });

  test('a connection opened while the script is busy is served (BUSY, then SCRIPT KILL)', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    try {
      a.send(['EVAL', 'while true do end', '0']);
      await waitBusy(b);
      const c = await RawConn.connect(srv.port);
      assert.equal((await c.call(['PING'])).toString(), BUSY_EVAL);
      assert.equal((await c.call(['SCRIPT', 'KILL'])).toString(), '+OK\r\n');
      await a.readRaw();
      assert.equal((await c.call(['PING'])).toString(), '+PONG\r\n');
      c.close();
    } finally {
      a.close();
      b.close();
    }
  });

  test("the busy client's pipelined commands run after the script, in order", async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    try {
      a.write('*3\r\n$4\r\nEVAL\r\n$17\r\nwhile true do end\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n');
      await waitBusy(b);
      assert.equal((await b.call(['SCRIPT', 'KILL'])).toString(), '+OK\r\n');
      assert.match((await a.readRaw()).raw.toString(), /^-ERR Script killed/);
      assert.equal((await a.readRaw()).raw.toString(), '+PONG\r\n');
      assert.equal((await a.readRaw()).raw.toString(), '$2\r\nhi\r\n');
    } finally {
      a.close();
      b.close();
    }
  });

  test('MULTI during a busy script: queued commands get BUSY and EXEC aborts', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    try {
      a.send(['EVAL', 'while true do end', '0']);
      await waitBusy(b);
      assert.equal((await b.call(['MULTI'])).toString(), '+OK\r\n');
      assert.equal((await b.call(['SET', 'x', '1'])).toString(), BUSY_EVAL);
      assert.equal((await b.call(['DISCARD'])).toString(), '+OK\r\n');
      assert.equal((await b.call(['SCRIPT', 'KILL'])).toString(), '+OK\r\n');
      await a.readRaw();
    } finally {
      a.close();
      b.close();
    }
  });

  test('clients blocked on keys the script wrote are served after the script', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    const w = await RawConn.connect(srv.port);
    try {
      await a.call(['DEL', 'bl']);
      w.send(['BLPOP', 'bl', '0']);
      await new Promise(r => setTimeout(r, 50));
      a.send(['EVAL', "redis.call('rpush','bl','x') " + spin(1000) + "redis.call('rpush','bl','z') return 1", '0']);
      await waitBusy(b);
      assert.equal((await a.readRaw()).raw.toString(), ':1\r\n');
      assert.equal((await w.readRaw()).raw.toString(), '*2\r\n$2\r\nbl\r\n$1\r\nx\r\n');
      assert.equal((await b.call(['LRANGE', 'bl', '0', '-1'])).toString(), '*1\r\n$1\r\nz\r\n');
    } finally {
      a.close();
      b.close();
      w.close();
    }
  });

  test('busy-reply-threshold 0: no hook, and lua-time-limit is an alias', async () => {
    const b = await RawConn.connect(srv.port);
    try {
      assert.equal((await b.call(['CONFIG', 'SET', 'lua-time-limit', '0'])).toString(), '+OK\r\n');
      assert.equal((await b.call(['CONFIG', 'GET', 'busy-reply-threshold'])).toString(), '*2\r\n$20\r\nbusy-reply-threshold\r\n$1\r\n0\r\n');
      assert.equal((await b.call(['EVAL', 'local i = 0 for j = 1, 3000000 do i = i + 1 end return i', '0'])).toString(), ':3000000\r\n');
      assert.equal((await b.call(['CONFIG', 'SET', 'busy-reply-threshold', '50'])).toString(), '+OK\r\n');
    } finally {
      b.close();
    }
  });
});

test('SHUTDOWN NOSAVE stops a busy script that already wrote, and closes the embedded server', async () => {
  const srv = await startServerInWorker({ 'busy-reply-threshold': 50 });
  const a = await RawConn.connect(srv.port);
  const b = await RawConn.connect(srv.port);
  try {
    a.send(['EVAL', "redis.call('set','x','y') while true do end", '0']);
    await waitBusy(b);
    assert.equal((await b.call(['SCRIPT', 'KILL'])).toString(), UNKILLABLE);
    b.send(['SHUTDOWN', 'NOSAVE']);
    await b.waitClose(5000);
    await a.waitClose(5000);
    await srv.closed;
    await assert.rejects(RawConn.connect(srv.port));
  } finally {
    a.close();
    b.close();
    await srv.close();
  }
});
