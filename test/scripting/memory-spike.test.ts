// A script's memory spike is given back (LuaEngine.compact): the engine's linear memory cannot shrink, so after a run
// that grew it far past its live use the engine is re-created, and what users loaded (scripts, libraries) still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';

test('after a 300 MB spike the engine gives its memory back; cached scripts, libraries and maxmemory writes still work', async () => {
  const srv = await startServer({ log: false, config: { maxmemory: '50mb' } });
  const c = await RawConn.connect(srv.port);
  try {
    const lib = "#!lua name=spikelib\nredis.register_function('hello', function() return 'from the library' end)";
    assert.equal((await c.call(['FUNCTION', 'LOAD', lib])).toString(), '$8\r\nspikelib\r\n');
    const sha = (await c.call(['SCRIPT', 'LOAD', "return 'cached ' .. ARGV[1]"])).toString().split('\r\n')[1];
    const spike = "local s = string.rep('x', 1048576) local t = {} for i = 1, 300 do t[i] = s .. i end return #t";
    // 300 MB of Lua strings: seconds on a loaded machine, so the wait is for the reply, not a wall-clock guess
    c.send(['EVAL', spike, '0']);
    assert.equal((await c.readRaw(180_000)).raw.toString(), ':300\r\n');
    const engine = (srv.server.scripting as unknown as { engine: { memoryBytes(): number; compactions: number } }).engine;
    assert.equal(engine.compactions, 1);
    assert.ok(engine.memoryBytes() < 64 << 20, String(engine.memoryBytes()));
    assert.equal((await c.call(['EVALSHA', sha, '0', 'still'])).toString(), '$12\r\ncached still\r\n');
    assert.equal((await c.call(['FCALL', 'hello', '0'])).toString(), '$16\r\nfrom the library\r\n');
    assert.equal((await c.call(['SCRIPT', 'EXISTS', sha])).toString(), '*1\r\n:1\r\n');
    assert.match((await c.call(['FUNCTION', 'LIST'])).toString(), /spikelib/);
    assert.equal((await c.call(['SET', 'k', 'v'])).toString(), '+OK\r\n');
    const info = (await c.call(['INFO', 'memory'])).toString();
    const lua = Number(/used_memory_lua:(\d+)/.exec(info)?.[1]);
    assert.ok(lua < 1 << 20, String(lua));
    // a run that stays small never re-creates the engine
    assert.equal((await c.call(['EVAL', "return #string.rep('y', 1000)", '0'])).toString(), ':1000\r\n');
    assert.equal(engine.compactions, 1);
  } finally {
    c.close();
    await srv.close();
  }
});

test('cmsgpack.pack and cjson.encode of a 300 MB string return what redis-server returns (no "not enough memory")', async () => {
  const srv = await startServer({ log: false });
  const c = await RawConn.connect(srv.port);
  try {
    // redis-server 7.0.15 replies *3 :314572800 :314572805 :314572802 to the same script (the msgpack str32 header is
    // 5 bytes, the JSON quotes 2): the engine's 4 GB ceiling and the libraries' bounded buffer growth make room for it
    const script =
      "local s = string.rep('x', 1048576) for i = 1, 8 do s = s .. s end s = s .. string.sub(s, 1, 44 * 1048576) " +
      'return {#s, #cmsgpack.pack(s), #cjson.encode(s)}';
    c.send(['EVAL', script, '0']);
    assert.equal((await c.readRaw(180_000)).raw.toString(), '*3\r\n:314572800\r\n:314572805\r\n:314572802\r\n');
    assert.equal((await c.call(['EVAL', "return cjson.encode({cmsgpack.unpack(cmsgpack.pack('ok'))})", '0'])).toString(), '$6\r\n["ok"]\r\n');
  } finally {
    c.close();
    await srv.close();
  }
});
