// In-process tests of EVAL/FUNCTION integration: lazy engine load, INFO fields, command stats, MONITOR, WATCH, the recursive-reply stream and caching rules.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { sha1hex, scriptFlagsToCmdFlags } from '../../src/scripting/index.js';
import { parseShebang, parseLibraryMeta, SF } from '../../src/scripting/shebang.js';
import { F } from '../../src/commands/table.js';

describe('scripting integration', () => {
  let srv: RunningServer;
  let c: RawConn;
  before(async () => {
    srv = await startServer({ log: false });
    c = await RawConn.connect(srv.port);
  });
  after(async () => {
    c.close();
    await srv.close();
  });

  test('the Lua engine is loaded lazily, on the first script', async () => {
    const s = srv.server.scripting as unknown as { engine: unknown };
    assert.equal(s.engine, null);
    assert.equal((await c.call(['PING'])).toString(), '+PONG\r\n');
    assert.equal(s.engine, null);
    assert.equal((await c.call(['EVAL', 'return 1', '0'])).toString(), ':1\r\n');
    assert.notEqual(s.engine, null);
  });

  test('INFO memory scripting fields', async () => {
    await c.call(['SCRIPT', 'FLUSH']);
    for (let i = 0; i < 3; i++) await c.call(['SCRIPT', 'LOAD', `return ${i}`]);
    await c.call(['FUNCTION', 'FLUSH']);
    await c.call(['FUNCTION', 'LOAD', "#!lua name=infolib\nredis.register_function('a', function() return 1 end)\nredis.register_function('b', function() return 2 end)"]);
    const info = (await c.call(['INFO', 'memory'])).toString();
    assert.match(info, /number_of_cached_scripts:3\r\n/);
    assert.match(info, /number_of_functions:2\r\n/);
    assert.match(info, /number_of_libraries:1\r\n/);
    const lua = Number(/used_memory_lua:(\d+)/.exec(info)![1]);
    assert.ok(lua > 10000 && lua < 200000, `used_memory_lua ${lua}`);
    assert.match(info, /used_memory_vm_functions:\d+\r\n/);
    assert.match(info, /used_memory_scripts_human:[\d.]+[BKM]\r\n/);
    await c.call(['SCRIPT', 'FLUSH', 'ASYNC']);
    assert.match((await c.call(['INFO', 'memory'])).toString(), /number_of_cached_scripts:0\r\n/);
  });

  test('EVAL does not leak in the Lua VM (10000 incr scripts)', async () => {
    await c.call(['SCRIPT', 'FLUSH']);
    for (let i = 0; i < 10000; i++) c.send(['EVAL', "return redis.call('incr', KEYS[1])", '1', 'leak']);
    for (let i = 0; i < 10000; i++) await c.readRaw();
    const info = (await c.call(['INFO', 'memory'])).toString();
    assert.ok(Number(/used_memory_lua:(\d+)/.exec(info)![1]) < 100 * 1024);
  });

  test('arguments and redis.call replies of every size cross intact (in place when they fit, grown when not)', async () => {
    const sizes = [0, 1, 63, 64, 65, 4000, 4090, 4096, 5000, 70000, 1 << 20];
    const body =
      "redis.call('set', KEYS[1], ARGV[1]) local v = redis.call('get', KEYS[1]) " +
      "local n = redis.call('strlen', KEYS[1]) return {n, redis.sha1hex(v), redis.call('get', KEYS[2])}";
    await c.call(['SET', 'small', 'tiny']);
    for (const round of [0, 1]) {
      for (const n of round === 0 ? sizes : [...sizes].reverse()) {
        const v = Buffer.alloc(n);
        for (let i = 0; i < n; i++) v[i] = (i * 31 + n) & 0xff;
        const r = (await c.call(['EVAL', body, '2', 'big', 'small', v])).toString('latin1');
        assert.equal(r, `*3\r\n:${n}\r\n$40\r\n${sha1hex(v)}\r\n$4\r\ntiny\r\n`, `size ${n}`);
      }
    }
  });

  test('many scripts (more than the engine caches) keep running their own bodies, before and after SCRIPT FLUSH', async () => {
    await c.call(['SCRIPT', 'FLUSH']);
    const shas: string[] = [];
    for (let i = 0; i < 150; i++) shas.push((await c.call(['SCRIPT', 'LOAD', `return ${i}`])).toString().split('\r\n')[1]);
    for (const round of [0, 1]) {
      for (let i = 0; i < 150; i++) {
        const j = round === 0 ? i : 149 - i;
        assert.equal((await c.call(['EVALSHA', shas[j], '0'])).toString(), `:${j}\r\n`);
      }
    }
    await c.call(['SCRIPT', 'FLUSH']);
    assert.match((await c.call(['EVALSHA', shas[7], '0'])).toString(), /^-NOSCRIPT /);
    assert.equal((await c.call(['EVAL', 'return 7', '0'])).toString(), ':7\r\n');
    assert.equal((await c.call(['EVALSHA', shas[7], '0'])).toString(), ':7\r\n');
  });

  test('commandstats: errors inside scripts (spec 3.5)', async () => {
    await c.call(['SET', 'str', 'x']);
    await c.call(['CONFIG', 'RESETSTAT']);
    await c.call(['EVAL', "return redis.call('incr','str')", '0']);
    await c.call(['EVAL', "redis.pcall('incr','str') return 1", '0']);
    await c.call(['EVAL_RO', "return redis.call('set','a','b')", '0']);
    const st = (await c.call(['INFO', 'commandstats'])).toString();
    assert.match(st, /cmdstat_eval:calls=2,[^\r]*rejected_calls=0,failed_calls=1\r\n/);
    assert.match(st, /cmdstat_incr:calls=2,[^\r]*rejected_calls=0,failed_calls=2\r\n/);
    assert.match(st, /cmdstat_set:calls=0,[^\r]*rejected_calls=1,failed_calls=0\r\n/);
    assert.match(st, /cmdstat_eval_ro:calls=1,[^\r]*rejected_calls=0,failed_calls=1\r\n/);
    const es = (await c.call(['INFO', 'errorstats'])).toString();
    assert.match(es, /errorstat_ERR:count=3\r\n/);
  });

  test('a self-referencing table streams nested *1 headers until the stack limit error', async () => {
    c.send(['EVAL', 'local t = {} t[1] = t return t', '0']);
    // read raw bytes: 7995 "*1\r\n" then the error
    const want = '*1\r\n'.repeat(7995) + '-ERR reached lua stack limit\r\n';
    let got = '';
    const sock = c.sock;
    const raw = c as unknown as { buf: Buffer };
    const deadline = Date.now() + 5000;
    while (got.length < want.length && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 20));
      got = raw.buf.toString('latin1');
    }
    void sock;
    assert.equal(got.slice(0, want.length), want);
    raw.buf = raw.buf.subarray(want.length);
  });

  test('MONITOR shows EVAL then the inner commands with [db lua]', async () => {
    const m = await RawConn.connect(srv.port);
    try {
      assert.equal((await m.call(['MONITOR'])).toString(), '+OK\r\n');
      await c.call(['SELECT', '3']);
      await c.call(['EVAL', "redis.call('set','k','v') return 1", '0']);
      await c.call(['SELECT', '0']);
      assert.match((await m.readRaw()).raw.toString(), /"SELECT" "3"/);
      const l1 = (await m.readRaw()).raw.toString();
      const l2 = (await m.readRaw()).raw.toString();
      assert.match(l1, /^\+\d+\.\d{6} \[3 127\.0\.0\.1:\d+\] "EVAL" "redis\.call\('set','k','v'\) return 1" "0"\r\n$/);
      assert.match(l2, /^\+\d+\.\d{6} \[3 lua\] "set" "k" "v"\r\n$/);
    } finally {
      m.close();
    }
  });

  test('writes by a script invalidate WATCH', async () => {
    const w = await RawConn.connect(srv.port);
    try {
      await w.call(['WATCH', 'wk']);
      await c.call(['EVAL', "return redis.call('set','wk','1')", '0']);
      await w.call(['MULTI']);
      await w.call(['PING']);
      assert.equal((await w.call(['EXEC'])).toString(), '*-1\r\n');
    } finally {
      w.close();
    }
  });

  test('a cached script keeps its flags; the shebang is not parsed again', async () => {
    const body = '#!lua flags=no-writes\nreturn 1';
    assert.equal((await c.call(['SCRIPT', 'LOAD', body])).toString(), `$40\r\n${sha1hex(body)}\r\n`);
    assert.equal((await c.call(['EVALSHA_RO', sha1hex(body), '0'])).toString(), ':1\r\n');
    assert.equal((await c.call(['EVAL_RO', body, '0'])).toString(), ':1\r\n');
  });

  test('the killed/failed caller keeps its database; SELECT in a script does not leak', async () => {
    await c.call(['SELECT', '2']);
    await c.call(['EVAL', "redis.call('select','5') return 1", '0']);
    await c.call(['SET', 'here', '1']);
    assert.equal((await c.call(['EVAL', "return redis.call('get','here')", '0'])).toString(), '$1\r\n1\r\n');
    await c.call(['DEL', 'here']);
    await c.call(['SELECT', '0']);
  });
});

test('shebang parsing', () => {
  assert.deepEqual(parseShebang(Buffer.from('return 1')), { ok: true, flags: SF.EVAL_COMPAT_MODE, shebangLen: 0 });
  assert.deepEqual(parseShebang(Buffer.from('#!lua flags=no-writes,allow-oom\nreturn 1')), { ok: true, flags: SF.NO_WRITES | SF.ALLOW_OOM, shebangLen: 31 });
  assert.deepEqual(parseShebang(Buffer.from('#!lua')), { ok: false, error: 'ERR Invalid script shebang' });
  assert.deepEqual(parseShebang(Buffer.from('#!lua flags=x\n')), { ok: false, error: 'ERR Unexpected flag in script shebang: x' });
  assert.deepEqual(parseShebang(Buffer.from('#!lua "a\n')), { ok: false, error: 'ERR Invalid engine in script shebang' });
  assert.deepEqual(parseLibraryMeta(Buffer.from('#!lua NAME=lib\nx')), { ok: true, engine: 'lua', name: 'lib', codeStart: 14 });
  assert.deepEqual(parseLibraryMeta(Buffer.from('x')), { ok: false, error: 'ERR Missing library metadata' });
});

test('dynamic command flags (scriptFlagsToCmdFlags)', () => {
  const base = F.noscript | F.may_replicate | F.stale;
  assert.equal(scriptFlagsToCmdFlags(base, 0), F.noscript | F.denyoom | F.write);
  assert.equal(scriptFlagsToCmdFlags(base, SF.NO_WRITES), F.noscript);
  assert.equal(scriptFlagsToCmdFlags(base, SF.ALLOW_OOM | SF.ALLOW_STALE), F.noscript | F.write | F.stale);
});
