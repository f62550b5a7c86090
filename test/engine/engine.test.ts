// Unit tests of the engine API with a stub host: bridge, busy/kill hook, memory cap, error objects, FUNCTION VM, traps, binary safety (Redis: script_lua.c, eval.c, function_lua.c behaviour).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LuaEngine, LuaEngineTrap, type RunResult } from '../../src/engine/index.js';
import { StubHost, evalOn, newEval, newFunctionVM, sha1, R } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const b = (s: string) => Buffer.from(s, 'latin1');
const str = (x: Buffer) => x.toString('latin1');

function runArgs(vm: ReturnType<typeof newEval>['vm'], script: string, arg: string | Buffer): RunResult {
  const body = b(script);
  const sha = sha1(body);
  assert.ok(vm.compile(sha, body).ok);
  return vm.run(sha, [], [Buffer.isBuffer(arg) ? arg : b(arg)], 2, {});
}

function run(vm: ReturnType<typeof newEval>['vm'], script: string, keys: string[] = [], args: string[] = [], resp: 2 | 3 = 2, deadline?: number): RunResult {
  const body = b(script);
  const sha = sha1(body);
  const c = vm.compile(sha, body);
  assert.ok(c.ok, c.ok ? '' : str(c.error));
  return vm.run(sha, keys.map(b), args.map(b), resp, deadline ? { deadline } : {});
}

describe('module and exports', () => {
  test('the export list in native/exports.txt is what the module exports', () => {
    const list = fs.readFileSync(path.join(root, 'native', 'exports.txt'), 'latin1').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(LuaEngine.exportList(), list);
    const mod = new WebAssembly.Module(fs.readFileSync(path.join(root, 'wasm', 'redlua.wasm')));
    const names = new Set(WebAssembly.Module.exports(mod).map((e) => e.name));
    for (const n of list) assert.ok(names.has(n), n);
    assert.ok(list.every((n) => n.startsWith('rl_')));
  });
  test('LuaEngine.load() is a synchronous singleton and fast after the first load', () => {
    const a = LuaEngine.load();
    const t = performance.now();
    const e2 = LuaEngine.load();
    assert.equal(a, e2);
    assert.ok(performance.now() - t < 1000);
  });
  test('BUILDINFO records the sha256 of the committed artifact', async () => {
    const info = JSON.parse(fs.readFileSync(path.join(root, 'wasm', 'BUILDINFO.json'), 'utf8'));
    const { createHash } = await import('node:crypto');
    const h = createHash('sha256').update(fs.readFileSync(path.join(root, 'wasm', 'redlua.wasm'))).digest('hex');
    assert.equal(info.artifact['wasm/redlua.wasm'], h);
    assert.match(info.emcc, /emcc/);
  });
});

describe('redis.call bridge', () => {
  test('exactly one host call per redis.call, argv as bytes, %.17g numbers', () => {
    const host = new StubHost();
    const { vm } = newEval(host);
    const r = run(vm, "redis.call('echo', 0.1) redis.pcall('echo', 3, '\\0\\255') return 1");
    assert.ok(r.ok);
    assert.equal(host.calls.length, 2);
    assert.deepEqual(host.calls[0].argv.map(str), ['echo', '0.10000000000000001']);
    assert.equal(host.calls[0].isPcall, false);
    assert.deepEqual(host.calls[1].argv.map(str), ['echo', '3', '\0\xff']);
    assert.equal(host.calls[1].isPcall, true);
  });
  test('the host sees the script RESP version and set_repl flags', () => {
    const seen: [number, number][] = [];
    const host = new StubHost();
    const { vm } = newEval({
      ...host,
      call: (argv, resp, isPcall) => {
        seen.push([resp, vm.replFlags]);
        return host.call(argv, resp, isPcall);
      },
      log: () => {},
      aclCheck: () => true,
      busy: () => 'continue',
    });
    const r = run(vm, "redis.call('ping') redis.setresp(3) redis.set_repl(redis.REPL_AOF) redis.call('ping') return 1");
    assert.ok(r.ok);
    assert.deepEqual(seen, [[2, 3], [3, 1]]);
    assert.equal(vm.scriptResp, 3);
  });
  test('a rejection text becomes an error table with the ERR prefix and ignore flag', () => {
    const { vm } = newEval({ call: () => ({ reject: 'Write commands are not allowed from read-only scripts.' }), log() {}, aclCheck: () => true, busy: () => 'continue' });
    const r = run(vm, "local e = redis.pcall('set', 'a', 'b') return {e.err, tostring(e.ignore_error_stats_update)}");
    assert.ok(r.ok);
    assert.equal(str(r.reply), '*2\r\n$58\r\nERR Write commands are not allowed from read-only scripts.\r\n$4\r\ntrue\r\n');
  });
  test('a throwing host callback becomes a rejection, never an exception through WASM', () => {
    const { vm } = newEval({ call: () => { throw new Error('boom'); }, log() {}, aclCheck: () => true, busy: () => 'continue' });
    const r = run(vm, "return redis.pcall('ping')");
    assert.ok(r.ok);
    assert.equal(str(r.reply), '-ERR boom\r\n');
  });
  test('a host returning a wrong type is reported, not thrown through WASM', () => {
    const { vm } = newEval({ call: () => 'PONG' as unknown as Uint8Array, log() {}, aclCheck: () => true, busy: () => 'continue' });
    const r = run(vm, "return redis.pcall('ping')");
    assert.ok(r.ok);
    assert.equal(str(r.reply), '-ERR redlua host.call returned neither bytes nor {reject}\r\n');
    assert.equal(str(evalOn(vm, 'return 5')), ':5\r\n');
  });
  test('enableDeprecatedApi keeps setfenv/getfenv/newproxy (lua-enable-deprecated-api yes)', () => {
    const engine = LuaEngine.createIsolated();
    const vm = engine.createEvalVM(new StubHost(), { enableDeprecatedApi: true });
    assert.equal(str(evalOn(vm, 'return {type(setfenv), type(getfenv), type(newproxy)}')), '*3\r\n$8\r\nfunction\r\n$8\r\nfunction\r\n$8\r\nfunction\r\n');
    const plain = engine.createEvalVM(new StubHost());
    assert.match(str(evalOn(plain, 'return setfenv')), /nonexistent global variable 'setfenv'/);
  });
  test('an invalid RESP reply from the host is reported as an error table', () => {
    const { vm } = newEval({ call: () => b('garbage'), log() {}, aclCheck: () => true, busy: () => 'continue' });
    const r = run(vm, "return redis.pcall('ping')");
    assert.ok(r.ok);
    assert.equal(str(r.reply), '-ERR redlua host produced an invalid RESP reply\r\n');
  });
  test('large replies cross the boundary intact (memory growth during the call)', () => {
    const big = Buffer.alloc(5_000_000, 0x61);
    const { vm } = newEval({ call: () => R.bulk(big), log() {}, aclCheck: () => true, busy: () => 'continue' });
    const r = run(vm, "return #redis.call('get', 'x')");
    assert.ok(r.ok);
    assert.equal(str(r.reply), ':5000000\r\n');
  });
  test('re-entering a running VM from a host callback is refused', () => {
    let inner: unknown = null;
    const { vm } = newEval({
      call: () => {
        try {
          vm.has('0'.repeat(40)) && 0;
          vm.run('0'.repeat(40), [], [], 2);
        } catch (e) {
          inner = e;
        }
        return b('+OK\r\n');
      },
      log() {},
      aclCheck: () => true,
      busy: () => 'continue',
    });
    const r = run(vm, "return redis.call('ping')");
    assert.ok(r.ok);
    assert.match(String(inner), /re-entrant/);
  });
  test('redis.log reaches the host with the joined message; acl_check_cmd maps null to the error', () => {
    const host = new StubHost();
    const { vm } = newEval(host);
    const r = run(vm, "redis.log(redis.LOG_NOTICE, 'a', 1.5, {}, '\\0b') return {redis.acl_check_cmd('get', 'x'), pcall(redis.acl_check_cmd, 'nope')}");
    assert.ok(r.ok);
    assert.equal(host.logs.length, 1);
    assert.equal(host.logs[0].level, 2);
    assert.equal(str(host.logs[0].message), 'a 1.5 \0b');
    assert.equal(str(r.reply), "*3\r\n:1\r\n$-1\r\n$51\r\nERR Invalid command passed to redis.acl_check_cmd()\r\n");
  });
});

describe('results and errors', () => {
  test('nested error replies report their codes for errorstats, except ignore_error_stats_update ones', () => {
    const { vm } = newEval(new StubHost());
    const r = run(vm, "return {1, {err='x y'}, redis.error_reply('E1'), redis.pcall('nosuch'), {err='MYCODE z'}, {err='nospace'}}");
    assert.ok(r.ok);
    assert.deepEqual(r.errorCodes, ['x', 'ERR', 'MYCODE', 'ERR']);
    assert.equal(str(r.reply), '*6\r\n:1\r\n-x y\r\n-ERR E1\r\n-ERR Unknown Redis command called from script\r\n-MYCODE z\r\n-nospace\r\n');
  });
  test('script errors return the error table parts', () => {
    const { vm } = newEval(new StubHost());
    const r1 = run(vm, "\n\nerror({err='FOO bar'})");
    assert.ok(!r1.ok && r1.kind === 'error');
    assert.equal(str(r1.err), 'FOO bar');
    assert.equal(str(r1.source!), '@user_script');
    assert.equal(r1.line, 3);
    assert.equal(r1.ignoreStats, false);
    const r2 = run(vm, "return redis.call('nosuch')");
    assert.ok(!r2.ok && r2.kind === 'error');
    assert.equal(str(r2.err), 'ERR Unknown Redis command called from script');
    assert.equal(r2.ignoreStats, true);
    const r3 = run(vm, "loadstring('x = 1')()");
    assert.ok(!r3.ok && r3.kind === 'error');
    assert.equal(str(r3.source!), 'x = 1');
  });
  test('error({}) is reported safely as ERR unknown error (Redis 7.0.15 crashes)', () => {
    const { vm } = newEval(new StubHost());
    const r = run(vm, 'error({})');
    assert.ok(!r.ok && r.kind === 'error');
    assert.equal(str(r.err), 'ERR unknown error');
    assert.equal(r.line, 1);
  });
  test('compile errors carry Lua message; unknown sha is noscript', () => {
    const { vm } = newEval(new StubHost());
    const c = vm.compile(sha1('x'), b('return +'));
    assert.ok(!c.ok);
    assert.equal(str(c.error), "user_script:1: unexpected symbol near '+'");
    const r = vm.run('a'.repeat(40), [], [], 2);
    assert.ok(!r.ok && r.kind === 'noscript');
    assert.equal(vm.has('a'.repeat(40)), false);
    assert.equal(vm.has(sha1('x')), false);
    assert.ok(vm.compile(sha1('y'), b('return 1')).ok);
    assert.equal(vm.has(sha1('y')), true);
  });
  test('binary safety: every byte value survives body, KEYS, ARGV and the reply', () => {
    const { vm } = newEval(new StubHost());
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const body = Buffer.concat([b("local lit = '"), Buffer.from(all.toString('latin1').replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r'), 'latin1'), b("' return {KEYS[1], ARGV[1], lit}")]);
    const sha = sha1(body);
    assert.ok(vm.compile(sha, body).ok);
    const r = vm.run(sha, [all], [all], 2);
    assert.ok(r.ok);
    const one = Buffer.concat([b('$256\r\n'), all, b('\r\n')]);
    assert.deepEqual(r.reply, Buffer.concat([b('*3\r\n'), one, one, one]));
  });
  test('the self-referencing table stops at 7995 levels with reached lua stack limit', () => {
    const { vm } = newEval(new StubHost());
    const r = run(vm, 'local t = {} t[1] = t return t');
    assert.ok(r.ok);
    const s = str(r.reply);
    assert.equal(s, '*1\r\n'.repeat(7995) + '-ERR reached lua stack limit\r\n');
    assert.deepEqual(r.errorCodes, ['ERR']);
  });
});

describe('busy scripts and kill', () => {
  test('without a deadline the hook is not installed and busy() is never called', () => {
    const host = new StubHost();
    const { vm } = newEval(host);
    const r = run(vm, 'local x = 0 for i = 1, 1e6 do x = x + i end return x');
    assert.ok(r.ok);
    assert.equal(host.busyCount, 0);
  });
  test('past the deadline busy() is called every 100000 instructions until it says kill', () => {
    const host = new StubHost();
    let n = 0;
    host.busyAnswer = () => (++n >= 3 ? 'kill' : 'continue');
    const { vm } = newEval(host);
    const r = run(vm, 'local i = 0\nwhile true do i = i + 1 end', [], [], 2, performance.now());
    assert.ok(!r.ok && r.kind === 'error');
    assert.equal(str(r.err), 'ERR Script killed by user with SCRIPT KILL...');
    assert.equal(str(r.source!), '@user_script');
    assert.equal(r.line, 2);
    assert.equal(host.busyCount, 3);
    assert.equal(vm.busyCalls, 3);
    // the VM is usable afterwards and the next run starts un-killed
    const ok = run(vm, 'return 7');
    assert.ok(ok.ok);
    assert.equal(str(ok.reply), ':7\r\n');
  });
  test('pcall cannot swallow the kill (the hook re-arms on every line)', () => {
    const host = new StubHost();
    host.busyAnswer = () => 'kill';
    const { vm } = newEval(host);
    const r = run(vm, 'while true do pcall(function() while true do end end) end', [], [], 2, performance.now());
    assert.ok(!r.ok && r.kind === 'error');
    assert.equal(str(r.err), 'ERR Script killed by user with SCRIPT KILL...');
  });
  test('the host may set the kill flag in linear memory from the busy callback', () => {
    const host = new StubHost();
    const { vm } = newEval(host);
    host.busyAnswer = () => {
      vm.requestKill();
      return 'continue';
    };
    const r = run(vm, 'while true do end', [], [], 2, performance.now());
    assert.ok(!r.ok && r.kind === 'error');
    assert.match(str(r.err), /Script killed by user/);
  });
  test('a far deadline never calls busy(); setDeadline can move it during the run', () => {
    const host = new StubHost();
    const { vm } = newEval(host);
    const r1 = run(vm, 'for i = 1, 3e5 do end return 1', [], [], 2, performance.now() + 60_000);
    assert.ok(r1.ok);
    assert.equal(host.busyCount, 0);
    let calls = 0;
    const { vm: vm2 } = newEval({
      call: () => {
        vm2.setDeadline(performance.now() - 1);
        return b('+OK\r\n');
      },
      log() {},
      aclCheck: () => true,
      busy: () => (++calls > 1 ? 'kill' : 'continue'),
    });
    const r2 = run(vm2, "redis.call('ping') while true do end", [], [], 2, performance.now() + 60_000);
    assert.ok(!r2.ok);
    assert.equal(calls, 2);
  });
});

describe('memory', () => {
  test('used memory is lua_gc COUNT*1024 and does not leak over 10000 runs', () => {
    const { vm } = newEval(new StubHost());
    const idle = vm.usedMemory();
    assert.ok(idle > 10_000 && idle < 100_000, String(idle));
    assert.equal(idle % 1024, 0);
    const body = b("return redis.call('incr', 'x')");
    const sha = sha1(body);
    vm.compile(sha, body);
    for (let i = 0; i < 10000; i++) vm.run(sha, [], [], 2);
    assert.ok(vm.usedMemory() < 100 * 1024, String(vm.usedMemory()));
  });
  test('the memory cap raises not enough memory and leaves the state usable', () => {
    const { vm } = newEval(new StubHost());
    vm.setMemoryLimit(2 * 1024 * 1024);
    const r = run(vm, 'local t = {} for i = 1, 1e7 do t[i] = i end return #t');
    assert.ok(!r.ok && r.kind === 'raw');
    assert.equal(str(r.err), 'not enough memory');
    const s = run(vm, "return string.rep('x', 100)");
    assert.ok(s.ok);
    const p = run(vm, "return {pcall(string.rep, 'x', 3e6)}");
    assert.ok(p.ok);
    assert.equal(str(p.reply), '*2\r\n$-1\r\n$17\r\nnot enough memory\r\n');
    vm.setMemoryLimit(0);
    const big = run(vm, "return #string.rep('x', 3e6)");
    assert.ok(big.ok);
    assert.equal(str(big.reply), ':3000000\r\n');
  });
});

describe('allocation failures in the bundled libraries', () => {
  // 3 MB of input under a 5 MB cap: each library's own buffer (cmsgpack's mp_buf, cjson's strbuf) or result cannot be
  // had. Each failure is Lua's "not enough memory" (never an abort, a trap or a write through NULL), and the state
  // goes on answering, the same library included.
  const input = 'x'.repeat(3 * 1024 * 1024);
  const mb3 = 3 * 1024 * 1024;
  const packed = Buffer.concat([Buffer.from([0xdb, 0, 0x30, 0, 0]), Buffer.from(input)]); // msgpack str32 of 3 MB
  const json = `"${input}"`;
  const all: { name: string; arg: string | Buffer; failing: string; ok: string; n: number }[] = [
    { name: 'cmsgpack.pack', arg: input, failing: 'return {pcall(cmsgpack.pack, ARGV[1])}', ok: 'return #cmsgpack.pack(ARGV[1])', n: mb3 + 5 },
    { name: 'cmsgpack.unpack', arg: packed, failing: 'return {pcall(cmsgpack.unpack, ARGV[1])}', ok: 'return #cmsgpack.unpack(ARGV[1])', n: mb3 },
    { name: 'cjson.encode', arg: input, failing: 'return {pcall(cjson.encode, ARGV[1])}', ok: 'return #cjson.encode(ARGV[1])', n: mb3 + 2 },
    { name: 'cjson.decode', arg: json, failing: 'return {pcall(cjson.decode, ARGV[1])}', ok: 'return #cjson.decode(ARGV[1])', n: mb3 },
    { name: 'struct.pack', arg: input, failing: "return {pcall(struct.pack, 'c0', ARGV[1])}", ok: "return #struct.pack('c0', ARGV[1])", n: mb3 },
  ];
  for (const c of all) {
    test(`${c.name}: not enough memory under the cap, then the state still answers`, () => {
      const { vm, engine } = newEval(new StubHost());
      vm.setMemoryLimit(5 * 1024 * 1024);
      const r = runArgs(vm, c.failing, c.arg);
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(str(r.reply), '*2\r\n$-1\r\n$17\r\nnot enough memory\r\n');
      assert.equal(engine.resets, 0); // no trap
      assert.equal(str((run(vm, 'return 1 + 1') as { reply: Buffer }).reply), ':2\r\n');
      assert.equal(str((run(vm, "return cjson.encode({1, 'a'}) .. #cmsgpack.pack('abc')") as { reply: Buffer }).reply), '$8\r\n[1,"a"]4\r\n');
      vm.setMemoryLimit(0);
      const big = runArgs(vm, c.ok, c.arg);
      assert.ok(big.ok, JSON.stringify(big));
      assert.equal(str(big.reply), `:${c.n}\r\n`);
    });
  }
});

describe('a redis.call reply that cannot be held', () => {
  test('raises Lua\'s not enough memory (call and pcall alike), never an internal text, and the state stays usable', () => {
    const host = new StubHost();
    host.strings.set('big', Buffer.alloc(3 * 1024 * 1024, 120));
    const { vm } = newEval(host);
    vm.setMemoryLimit(2 * 1024 * 1024);
    for (const script of ["return redis.call('get', 'big')", "return redis.pcall('get', 'big')"]) {
      const r = run(vm, script);
      assert.ok(!r.ok && r.kind === 'raw', JSON.stringify(r));
      assert.equal(str(r.err), 'not enough memory');
    }
    const p = run(vm, "return {pcall(redis.call, 'get', 'big')}");
    assert.ok(p.ok);
    assert.equal(str(p.reply), '*2\r\n$-1\r\n$17\r\nnot enough memory\r\n');
    const small = run(vm, "redis.call('set', 'k', 'v') return redis.call('get', 'k')");
    assert.ok(small.ok);
    assert.equal(str(small.reply), '$1\r\nv\r\n');
    vm.setMemoryLimit(0);
    const big = run(vm, "return #redis.call('get', 'big')");
    assert.ok(big.ok);
    assert.equal(str(big.reply), ':3145728\r\n');
  });
});

describe('traps', () => {
  test('a WASM trap (native stack exhaustion in pattern matching) throws LuaEngineTrap and the VM is re-created', () => {
    const { vm, engine } = newEval(new StubHost());
    const before = engine.resets;
    assert.throws(() => run(vm, "return string.find(string.rep('a', 300000), string.rep('a?', 300000) .. 'b')"), LuaEngineTrap);
    assert.equal(engine.resets, before + 1);
    assert.equal(vm.generation, 1);
    const r = run(vm, 'return 1 + 1');
    assert.ok(r.ok);
    assert.equal(str(r.reply), ':2\r\n');
  });
  test('the PRNG sequence continues across an instance re-creation', () => {
    const { vm } = newEval(new StubHost());
    assert.equal(str(evalOn(vm, 'return tostring(math.random())')), '$16\r\n0.39646477363839\r\n');
    assert.throws(() => evalOn(vm, "return string.find(string.rep('a', 300000), string.rep('a?', 300000) .. 'b')"), LuaEngineTrap);
    assert.equal(str(evalOn(vm, 'return tostring(math.random())')), '$16\r\n0.84048536971234\r\n');
  });
});

describe('giving memory back (compact)', () => {
  test('a spike far past the live use re-creates the instance; the PRNG continues, an idle or small engine is left alone', () => {
    const { vm, engine } = newEval(new StubHost());
    assert.equal(str(evalOn(vm, 'return tostring(math.random())')), '$16\r\n0.39646477363839\r\n');
    assert.equal(engine.compact(32 << 20), false); // nothing grew
    const r = run(vm, "local s = string.rep('x', 1048576) local t = {} for i = 1, 80 do t[i] = s .. i end return #t");
    assert.ok(r.ok);
    assert.equal(str(r.reply), ':80\r\n');
    const grown = engine.memoryBytes();
    assert.ok(grown >= 64 << 20, String(grown));
    assert.equal(engine.compact(grown + 1), false); // below the threshold
    const before = engine.compactions;
    assert.equal(engine.compact(32 << 20, 2), true);
    assert.equal(engine.compactions, before + 1);
    assert.ok(engine.memoryBytes() < grown / 2, `${engine.memoryBytes()} of ${grown}`);
    assert.equal(vm.generation, 1);
    assert.equal(str(evalOn(vm, 'return tostring(math.random())')), '$16\r\n0.84048536971234\r\n');
  });
});

describe('PRNG', () => {
  test('one drand48 state shared by the EVAL and FUNCTION VMs of an engine, seeded {0x330E,0xABCD,0x1234}', () => {
    const engine = LuaEngine.createIsolated();
    const host = new StubHost();
    const ev = engine.createEvalVM(host);
    const fv = engine.createFunctionVM(host);
    assert.equal(str(evalOn(ev, 'return tostring(math.random())')), '$16\r\n0.39646477363839\r\n');
    const lib = fv.loadLibrary(b("\nredis.register_function('r', function() return tostring(math.random()) end)"), 500);
    assert.ok(lib.ok);
    const r = fv.call(lib.functions[0].ref, [], [], 2);
    assert.ok(r.ok);
    assert.equal(str(r.reply), '$16\r\n0.84048536971234\r\n');
    assert.equal(str(evalOn(ev, 'return math.random(100)')), ':36\r\n');
    assert.equal(str(evalOn(ev, 'return math.random(5, 10)')), ':7\r\n');
  });
});

describe('FUNCTION VM', () => {
  const load = (code: string) => {
    const { vm } = newFunctionVM(new StubHost());
    return { vm, res: vm.loadLibrary(b(code), 500) };
  };
  const loadErr = (code: string) => {
    const { res } = load(code);
    assert.ok(!res.ok);
    return str(res.error);
  };
  test('register_function positional and named forms, flags and description', () => {
    const { vm, res } = load("\nredis.register_function('f1', function(keys, args) return {keys[1], args[1]} end)\n" +
      "redis.register_function{function_name='f2', callback=function() return 2 end, description='desc\\0x', flags={'no-writes', 'ALLOW-OOM', 'allow-cross-slot-keys'}}\n" +
      "redis.register_function(123, function() return redis.call('ping') end)");
    assert.ok(res.ok);
    assert.deepEqual(res.functions.map((f) => f.name), ['f1', 'f2', '123']);
    assert.equal(res.functions[0].description, null);
    assert.deepEqual(res.functions[1].flags, ['no-writes', 'allow-oom', 'allow-cross-slot-keys']);
    assert.equal(res.functions[1].flagBits, 1 | 2 | 32);
    assert.equal(str(res.functions[1].description!), 'desc\0x');
    const r = vm.call(res.functions[0].ref, [b('k')], [b('a')], 2);
    assert.ok(r.ok);
    assert.equal(str(r.reply), '*2\r\n$1\r\nk\r\n$1\r\na\r\n');
    const r3 = vm.call(res.functions[2].ref, [], [], 3);
    assert.ok(r3.ok);
    assert.equal(str(r3.reply), '+PONG\r\n');
    vm.freeLibrary(res.functions.map((f) => f.ref));
    const gone = vm.call(res.functions[0].ref, [], [], 2);
    assert.ok(!gone.ok && gone.kind === 'noscript');
  });
  const cases: [string, string][] = [
    ["\nredis.register_function()", 'Error registering functions: ERR wrong number of arguments to redis.register_function'],
    ["\nredis.register_function('a', 'b', 'c')", 'Error registering functions: ERR wrong number of arguments to redis.register_function'],
    ["\nredis.register_function('f')", 'Error registering functions: ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).'],
    ["\nredis.register_function({}, function() end)", 'Error registering functions: ERR first argument to redis.register_function must be a string'],
    ["\nredis.register_function('f', 1)", 'Error registering functions: ERR second argument to redis.register_function must be a function'],
    ["\nredis.register_function{[1]='f'}", 'Error registering functions: ERR unknown argument given to redis.register_function'],
    ["\nredis.register_function{[true]='f'}", 'Error registering functions: ERR named argument key given to redis.register_function is not a string'],
    ["\nredis.register_function{function_name={}}", 'Error registering functions: ERR function_name argument given to redis.register_function must be a string'],
    ["\nredis.register_function{function_name='f', description={}}", 'Error registering functions: ERR description argument given to redis.register_function must be a string'],
    ["\nredis.register_function{function_name='f', callback='x'}", 'Error registering functions: ERR callback argument given to redis.register_function must be a function'],
    ["\nredis.register_function{function_name='f', callback=function() end, flags='x'}", 'Error registering functions: ERR flags argument to redis.register_function must be a table representing function flags'],
    ["\nredis.register_function{function_name='f', callback=function() end, flags={'bad'}}", 'Error registering functions: ERR unknown flag given'],
    ["\nredis.register_function{function_name='f', callback=function() end, flags={1}}", 'Error registering functions: ERR unknown flag given'],
    ["\nredis.register_function{callback=function() end}", 'Error registering functions: ERR redis.register_function must get a function name argument'],
    ["\nredis.register_function{function_name='f'}", 'Error registering functions: ERR redis.register_function must get a callback argument'],
    ["\nredis.register_function('bad-name', function() end)", 'Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long'],
    ["\nredis.register_function('', function() end)", 'Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long'],
    ["\nredis.register_function('f', function() end)\nredis.register_function('f', function() end)", 'Error registering functions: ERR Function already exists in the library'],
    ['\nreturn error', "Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'error'"],
    ['\nlocal x = math.pi', "Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'math'"],
    ['\nredis.call("ping")', "Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'"],
    ['\nredis.setresp(3)', "Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'setresp'"],
    ['\nx = 1', 'Error registering functions: ERR user_function:2: Attempt to modify a readonly table'],
    ['\nlocal t = KEYS', "Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'KEYS'"],
    ['\nreturn +', "Error compiling function: user_function:2: unexpected symbol near '+'"],
    ['\nwhile true do end', 'Error registering functions: ERR FUNCTION LOAD timeout'],
    ["\nwhile true do pcall(function() while true do end end) end", "Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'pcall'"],
    ["\nlocal function f() while true do end end\nredis.register_function('f', f)\nf()", 'Error registering functions: ERR FUNCTION LOAD timeout'],
  ];
  for (const [code, want] of cases) {
    test(`load error: ${code.trim().slice(0, 70)}`, () => {
      assert.equal(loadErr(code), want);
    });
  }
  test('load-time redis has log and version only; run-time redis lacks register_function', () => {
    const host = new StubHost();
    const { vm } = newFunctionVM(host);
    const res = vm.loadLibrary(b("\nredis.log(redis.LOG_WARNING, 'loading', redis.REDIS_VERSION)\nlocal rf = redis.register_function\n" +
      "rf('keys', function() local t = {} for k in pairs(redis) do t[#t+1] = k end table.sort(t) return t end)\n" +
      "rf('rf', function() return rf('x', function() end) end)\nrf('glob', function() return KEYS end)\nrf('err', function()\n  return a\nend)"), 500);
    assert.ok(res.ok);
    assert.equal(str(host.logs[0].message), 'loading 7.0.15');
    const ref = (n: string) => res.functions.find((f) => f.name === n)!.ref;
    const keys = vm.call(ref('keys'), [], [], 2);
    assert.ok(keys.ok);
    assert.equal(str(keys.reply).split('\r\n').filter((l) => !l.startsWith('$') && !l.startsWith('*') && l).join(','),
      'LOG_DEBUG,LOG_NOTICE,LOG_VERBOSE,LOG_WARNING,REDIS_VERSION,REDIS_VERSION_NUM,REPL_ALL,REPL_AOF,REPL_NONE,REPL_REPLICA,REPL_SLAVE,acl_check_cmd,call,error_reply,log,pcall,set_repl,setresp,sha1hex,status_reply');
    const rf = vm.call(ref('rf'), [], [], 2);
    assert.ok(!rf.ok && rf.kind === 'error');
    assert.equal(str(rf.err), 'ERR redis.register_function can only be called on FUNCTION LOAD command');
    const g = vm.call(ref('glob'), [], [], 2);
    assert.ok(!g.ok && g.kind === 'error');
    assert.equal(str(g.err), "ERR user_function:6: Script attempted to access nonexistent global variable 'KEYS'");
    const e = vm.call(ref('err'), [], [], 2);
    assert.ok(!e.ok && e.kind === 'error');
    assert.equal(str(e.source!), '@user_function');
    assert.equal(e.line, 8);
  });
  test('a failed load frees the refs it took and leaves the VM loadable', () => {
    const { vm } = newFunctionVM(new StubHost());
    const before = vm.usedMemory();
    for (let i = 0; i < 200; i++) {
      const r = vm.loadLibrary(b("\nredis.register_function('a', function() return 1 end)\nerror('x')"), 500);
      assert.ok(!r.ok);
    }
    vm.gc();
    assert.ok(vm.usedMemory() < before + 20 * 1024, `${before} -> ${vm.usedMemory()}`);
    const ok = vm.loadLibrary(b("\nredis.register_function('a', function() return 1 end)"), 500);
    assert.ok(ok.ok);
  });
});
