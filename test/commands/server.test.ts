// Server commands over real sockets: INFO stats semantics, CONFIG RESETSTAT, COMMAND, FLUSH*/SWAPDB with WATCH and
// blocked clients, SAVE bookkeeping, SLOWLOG, DEBUG SLEEP/SET-ACTIVE-EXPIRE, SHUTDOWN in embedded mode.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { commandTable } from '../../src/commands/table.js';
import { jemallocSize, bytesToHuman } from '../../src/commands/server.js';
import { raxNodeCount } from '../../src/store/stream.js';

const str = (b: Buffer) => b.toString('latin1');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** INFO text of the given sections as a field → value map (plus the raw text). */
async function info(c: RawConn, ...sections: string[]): Promise<{ text: string; f: Map<string, string> }> {
  const raw = str(await c.call(['INFO', ...sections]));
  const text = raw.slice(raw.indexOf('\r\n') + 2, -2);
  const f = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) f.set(line.slice(0, i), line.slice(i + 1));
  }
  return { text, f };
}

describe('server commands', () => {
  let srv: RunningServer;
  before(async () => {
    srv = await startServer({ log: false, config: { 'enable-debug-command': 'yes' } });
  });
  after(async () => {
    await srv.close();
  });

  test('INFO commandstats and errorstats: rejected vs failed calls', async () => {
    const c = await RawConn.connect(srv.port);
    assert.equal(str(await c.call(['CONFIG', 'RESETSTAT'])), '+OK\r\n');
    await c.call(['GET']); // arity: rejected, ERR
    await c.call(['SET', 'ik', 'v']);
    await c.call(['LPUSH', 'ik', 'x']); // WRONGTYPE: failed
    await c.call(['LPUSH', 'ik', 'x']);
    await c.call(['NOSUCHCMD']); // unknown: only errorstat
    await c.call(['GET', 'ik']);
    const { f, text } = await info(c, 'commandstats', 'errorstats');
    assert.match(f.get('cmdstat_get')!, /^calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/);
    assert.match(f.get('cmdstat_lpush')!, /^calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=2$/);
    assert.match(f.get('cmdstat_set')!, /^calls=1,.*,rejected_calls=0,failed_calls=0$/);
    assert.match(f.get('cmdstat_config|resetstat')!, /^calls=1,/);
    assert.equal(f.get('errorstat_ERR'), 'count=2');
    assert.equal(f.get('errorstat_WRONGTYPE'), 'count=2');
    assert.ok(text.startsWith('# Commandstats\r\n'));
    assert.ok(text.indexOf('# Errorstats\r\nerrorstat_ERR:count=2\r\nerrorstat_WRONGTYPE:count=2') > 0, 'error codes sorted');
    assert.equal((await info(c, 'stats')).f.get('total_error_replies'), '4');
    // RESETSTAT clears command and error stats but not the slowlog
    await c.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
    await c.call(['PING']);
    await c.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '-1']); // nothing logged meanwhile, even on a busy machine
    const before = Number(str(await c.call(['SLOWLOG', 'LEN'])).slice(1, -2));
    await c.call(['CONFIG', 'RESETSTAT']);
    const after = await info(c, 'commandstats', 'errorstats');
    assert.equal(after.f.get('cmdstat_lpush'), undefined);
    assert.equal(after.f.get('errorstat_WRONGTYPE'), undefined);
    assert.equal(Number(str(await c.call(['SLOWLOG', 'LEN'])).slice(1, -2)), before);
    await c.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
    c.close();
  });

  test('INFO sections, order and fields', async () => {
    const c = await RawConn.connect(srv.port);
    const def = await info(c);
    const heads = def.text.split('\r\n').filter(l => l.startsWith('# '));
    assert.deepEqual(heads, ['# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Modules', '# Errorstats', '# Cluster', '# Keyspace']);
    assert.equal(def.f.get('redis_version'), '7.0.15');
    assert.match(def.f.get('redlua_version')!, /^\d+\.\d+\.\d+/);
    assert.equal(def.f.get('tcp_port'), String(srv.port));
    const mem = def.text.slice(def.text.indexOf('# Memory'));
    const order = ['used_memory_lua', 'used_memory_vm_eval', 'used_memory_lua_human', 'used_memory_scripts_eval', 'number_of_cached_scripts', 'number_of_functions', 'number_of_libraries', 'used_memory_vm_functions', 'used_memory_vm_total', 'used_memory_vm_total_human', 'used_memory_functions', 'used_memory_scripts', 'used_memory_scripts_human', 'maxmemory'];
    let at = mem.indexOf('total_system_memory_human:');
    for (const k of order) {
      const i = mem.indexOf(`\r\n${k}:`);
      assert.ok(i > at, `${k} in Redis's order`);
      at = i;
    }
    const all = await info(c, 'everything');
    assert.ok(all.text.includes('# Commandstats\r\n') && all.text.includes('# Latencystats\r\n'));
    assert.ok(!def.text.includes('# Commandstats'));
    const two = await info(c, 'CPU', 'cluster');
    assert.match(two.text, /^# CPU\r\nused_cpu_sys:\d+\.\d{6}\r\n[\s\S]*\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n$/);
    c.close();
  });

  test('INFO keyspace and RESP3 verbatim', async () => {
    const c = await RawConn.connect(srv.port);
    await c.call(['FLUSHALL']);
    await c.call(['SET', 'a', '1']);
    await c.call(['SET', 'b', '1', 'EX', '100']);
    const ks = await info(c, 'keyspace');
    assert.match(ks.f.get('db0')!, /^keys=2,expires=1,avg_ttl=(99\d\d\d|100000)$/);
    await c.call(['HELLO', '3']);
    assert.match(str(await c.call(['INFO', 'cluster'])), /^=\d+\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n$/);
    c.close();
  });

  test('COMMAND and COMMAND DOCS cover the whole table in both protocols', async () => {
    const c = await RawConn.connect(srv.port);
    const all = await c.callValue(['COMMAND']);
    assert.equal(all.t, '*');
    assert.equal((all as { a: unknown[] }).a.length, commandTable.size);
    assert.equal(str(await c.call(['COMMAND', 'COUNT'])), `:${commandTable.size}\r\n`);
    const docs2 = await c.callValue(['COMMAND', 'DOCS']);
    assert.equal((docs2 as { a: unknown[] }).a.length, commandTable.size * 2);
    await c.call(['HELLO', '3']);
    const docs3 = await c.callValue(['COMMAND', 'DOCS']);
    assert.equal(docs3.t, '%');
    const get3 = str(await c.call(['COMMAND', 'INFO', 'get']));
    assert.ok(get3.startsWith('*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n'));
    c.close();
  });

  test('FLUSHALL, FLUSHDB and SWAPDB abort transactions watching affected keys', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    for (const [setup, act] of [
      [['SET', 'wk', '1'], ['FLUSHALL']],
      [['SET', 'wk', '1'], ['FLUSHDB']],
      [['SET', 'wk', '1'], ['SWAPDB', '0', '9']],
    ] as const) {
      await a.call([...setup]);
      await a.call(['WATCH', 'wk']);
      await b.call([...act]);
      await a.call(['MULTI']);
      await a.call(['PING']);
      assert.equal(str(await a.call(['EXEC'])), '*-1\r\n', `${act[0]} touches watched keys`);
    }
    // a watched key that exists in neither db is not touched by SWAPDB
    await a.call(['FLUSHALL']);
    await a.call(['WATCH', 'nokey']);
    await b.call(['SWAPDB', '0', '1']);
    await a.call(['MULTI']);
    await a.call(['PING']);
    assert.equal(str(await a.call(['EXEC'])), '*1\r\n+PONG\r\n');
    a.close();
    b.close();
  });

  test('SWAPDB serves a client blocked on a key that now exists', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    await a.call(['FLUSHALL']);
    b.send(['BLPOP', 'bl', '5']);
    await sleep(30);
    await a.call(['SELECT', '1']);
    await a.call(['RPUSH', 'bl', 'x']);
    assert.equal(str(await a.call(['SWAPDB', '0', '1'])), '+OK\r\n');
    assert.equal(str((await b.readRaw(2000)).raw), '*2\r\n$2\r\nbl\r\n$1\r\nx\r\n');
    a.close();
    b.close();
  });

  test('FLUSHALL and SWAPDB release XREADGROUP readers of a stream that disappears', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    for (const act of [['FLUSHALL'], ['SWAPDB', '0', '1']]) {
      await a.call(['FLUSHALL']);
      await a.call(['XGROUP', 'CREATE', 'xs', 'g', '$', 'MKSTREAM']);
      b.send(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'xs', '>']);
      await sleep(30);
      assert.equal(str(await a.call(act)), '+OK\r\n');
      assert.equal(str((await b.readRaw(2000)).raw), '-UNBLOCKED the stream key no longer exists\r\n', act[0]);
    }
    a.close();
    b.close();
  });

  test('WAIT blocks until its timeout (no replicas); CLIENT UNBLOCK releases it', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    const t0 = Date.now();
    assert.equal(str(await a.call(['WAIT', '1', '100'])), ':0\r\n');
    assert.ok(Date.now() - t0 >= 90);
    const idA = str(await a.call(['CLIENT', 'ID'])).slice(1, -2);
    a.send(['WAIT', '1', '0']);
    await sleep(30);
    assert.match(str(await b.call(['CLIENT', 'LIST', 'ID', idA])), / flags=b .* cmd=wait /);
    assert.equal(str(await b.call(['CLIENT', 'UNBLOCK', idA])), ':1\r\n');
    assert.equal(str((await a.readRaw(2000)).raw), ':0\r\n');
    a.send(['WAIT', '1', '0']);
    await sleep(30);
    assert.equal(str(await b.call(['CLIENT', 'UNBLOCK', idA, 'ERROR'])), ':1\r\n');
    assert.equal(str((await a.readRaw(2000)).raw), '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    assert.equal(str(await a.call(['PING'])), '+PONG\r\n');
    a.close();
    b.close();
  });

  test('SAVE, BGSAVE and DEBUG RELOAD update the save bookkeeping, keep the data', async () => {
    const c = await RawConn.connect(srv.port);
    await c.call(['SET', 'sk', 'v']);
    assert.notEqual((await info(c, 'persistence')).f.get('rdb_changes_since_last_save'), '0');
    assert.equal(str(await c.call(['SAVE'])), '+OK\r\n');
    const p = await info(c, 'persistence');
    assert.equal(p.f.get('rdb_changes_since_last_save'), '0');
    assert.equal(str(await c.call(['LASTSAVE'])), `:${p.f.get('rdb_last_save_time')}\r\n`);
    assert.equal(str(await c.call(['BGSAVE'])), '+Background saving started\r\n');
    assert.equal(str(await c.call(['DEBUG', 'RELOAD'])), '+OK\r\n');
    assert.equal(str(await c.call(['GET', 'sk'])), '$1\r\nv\r\n');
    c.close();
  });

  test('SLOWLOG records commands with redacted credentials', async () => {
    const c = await RawConn.connect(srv.port);
    await c.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
    await c.call(['SLOWLOG', 'RESET']);
    await c.call(['CLIENT', 'SETNAME', 'sl']);
    await c.call(['AUTH', 'user', 'pw']);
    const v = str(await c.call(['SLOWLOG', 'GET', '1']));
    assert.match(v, /^\*1\r\n\*6\r\n:\d+\r\n:\d+\r\n:\d+\r\n\*3\r\n\$4\r\nAUTH\r\n\$10\r\n\(redacted\)\r\n\$10\r\n\(redacted\)\r\n\$\d+\r\n127\.0\.0\.1:\d+\r\n\$2\r\nsl\r\n$/);
    await c.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
    assert.equal(str(await c.call(['SLOWLOG', 'RESET'])), '+OK\r\n');
    assert.equal(str(await c.call(['SLOWLOG', 'LEN'])), ':0\r\n');
    c.close();
  });

  test('DEBUG SLEEP stops the whole server; SET-ACTIVE-EXPIRE toggles active expiry', async () => {
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    // (the test shares the process with the server, so it is frozen by the sleep too: only ordering is observable)
    const t0 = Date.now();
    a.send(['DEBUG', 'SLEEP', '0.2']);
    await sleep(5);
    b.send(['PING']);
    assert.equal(str((await b.readRaw()).raw), '+PONG\r\n');
    assert.ok(Date.now() - t0 >= 190, 'PING was served after the sleep');
    assert.equal(str((await a.readRaw()).raw), '+OK\r\n');
    assert.equal(str(await a.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0'])), '+OK\r\n');
    assert.equal(srv.server.activeExpireEnabled, false);
    assert.equal(str(await a.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '1'])), '+OK\r\n');
    assert.equal(srv.server.activeExpireEnabled, true);
    a.close();
    b.close();
  });

  test('DEBUG OBJECT reports encodings and shared integers', async () => {
    const c = await RawConn.connect(srv.port);
    await c.call(['SET', 'o1', '42']);
    await c.call(['SET', 'o2', '123456']);
    await c.call(['SET', 'o3', 'x'.repeat(60)]);
    assert.match(str(await c.call(['DEBUG', 'OBJECT', 'o1'])), /^\+Value at:0x[0-9a-f]+ refcount:2147483647 encoding:int serializedlength:2 lru:\d+ lru_seconds_idle:\d+\r\n$/);
    assert.match(str(await c.call(['DEBUG', 'OBJECT', 'o2'])), / refcount:1 encoding:int serializedlength:5 /);
    assert.match(str(await c.call(['DEBUG', 'OBJECT', 'o3'])), / encoding:raw /);
    c.close();
  });

  test('MEMORY USAGE follows the allocator model; helpers', async () => {
    const c = await RawConn.connect(srv.port);
    await c.call(['SET', 'a', 'x']);
    assert.equal(str(await c.call(['MEMORY', 'USAGE', 'a'])), ':64\r\n');
    await c.call(['SET', 'a', '5']);
    assert.equal(str(await c.call(['MEMORY', 'USAGE', 'a'])), ':48\r\n');
    assert.deepEqual([8, 16, 17, 129, 161, 300].map(jemallocSize), [8, 16, 32, 160, 192, 320]);
    assert.deepEqual([0, 1023, 1024, 1536, 1048576].map(bytesToHuman), ['0B', '1023B', '1.00K', '1.50K', '1.00M']);
    c.close();
  });

  test('rax node count of stream IDs (streamRadixTreeMemoryUsage)', () => {
    const k = (...b: number[]) => Buffer.from(b);
    assert.equal(raxNodeCount([]), 1); // the empty head
    assert.equal(raxNodeCount([k(1, 2, 3)]), 2); // the key in one node, then the leaf
    assert.equal(raxNodeCount([k(1, 2, 3), k(1, 2, 4)]), 4); // run "12", branch, two leaves
    assert.equal(raxNodeCount([k(1, 2, 3), k(2, 2, 3)]), 5); // branch at the head, "23" + leaf twice
    assert.equal(raxNodeCount([k(1, 2, 3), k(1, 3, 3), k(1, 3, 4)]), 7); // "1", branch, "3"+leaf, branch, two leaves
  });
});

describe('SHUTDOWN in embedded mode', () => {
  test('closes the server and every connection without a reply', async () => {
    const srv = await startServer({ log: false });
    const a = await RawConn.connect(srv.port);
    const b = await RawConn.connect(srv.port);
    assert.equal(str(await a.call(['SHUTDOWN', 'ABORT'])), '-ERR No shutdown in progress.\r\n');
    a.send(['SHUTDOWN', 'NOSAVE']);
    assert.equal(str(await a.waitClose(3000)), '');
    await b.waitClose(3000);
    await assert.rejects(RawConn.connect(srv.port));
    await srv.close();
  });
});
