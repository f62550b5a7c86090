// RDB files without redis-server: the file framing, loading errors, SAVE/BGSAVE/DEBUG RELOAD, the BGSAVE snapshot, MISCONF and SHUTDOWN saving.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { loadRdb, RdbLoadError, moduleTypeNameByID } from '../../src/persistence/rdb-file.js';
import { Crc64 } from '../../src/persistence/crc64.js';
import { RdbWriter } from '../../src/persistence/rdb-io.js';
import type { Server } from '../../src/server/server.js';

const str = (b: Buffer) => b.toString('latin1');

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-rdbtest-'));
}

/** Polls `cond` until it holds (a generous deadline: tests run under load). */
async function waitFor(cond: () => Promise<boolean> | boolean, what: string, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise(r => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function infoField(c: RawConn, field: string): Promise<string> {
  const text = str(await c.call(['INFO', 'persistence']));
  const m = new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(text);
  assert.ok(m, `INFO has ${field}`);
  return m[1];
}

/** A file built by hand: header, the given body, EOF, CRC64 (or zero). */
function rdbFile(version: string, body: Buffer, crc = true): Buffer {
  const head = Buffer.concat([Buffer.from(`REDIS${version}`, 'latin1'), body, Buffer.from([0xff])]);
  const t = Buffer.alloc(8);
  if (crc) new Crc64().update(head).writeLE(t, 0);
  return Buffer.concat([head, t]);
}

function stringKey(key: string, value: string, opts: { expireMs?: number; expireSec?: number } = {}): Buffer {
  const w = new RdbWriter(false);
  if (opts.expireMs !== undefined) {
    w.saveType(252);
    w.saveMillis(opts.expireMs);
  }
  if (opts.expireSec !== undefined) {
    w.saveType(253);
    const b = Buffer.alloc(4);
    b.writeInt32LE(opts.expireSec);
    w.raw(b);
  }
  w.saveType(0);
  w.saveString(key);
  w.saveString(value);
  return Buffer.from(w.result());
}

describe('rdb file loading (unit)', () => {
  let srv: RunningServer;
  let s: Server;
  before(async () => {
    srv = await startServer({ log: false });
    s = srv.server;
  });
  after(() => srv.close());
  const load = (b: Buffer) => loadRdb(s, b, {}, () => {});
  const loadErr = (b: Buffer): string[] => {
    try {
      load(b);
    } catch (e) {
      assert.ok(e instanceof RdbLoadError, String(e));
      return e.logLines;
    }
    assert.fail('the load should have failed');
  };

  test('a hand-built file loads: keys, ms and seconds expiries, SELECTDB, expired keys dropped', () => {
    const future = Date.now() + 1e7;
    const body = Buffer.concat([
      stringKey('a', '1'),
      stringKey('b', 'x'.repeat(100), { expireMs: future }),
      stringKey('gone', 'v', { expireMs: Date.now() - 1000 }),
      stringKey('old', 'v', { expireSec: Math.floor(future / 1000) }),
      Buffer.from([0xfe, 3]),
      stringKey('c', 'three'),
    ]);
    const r = load(rdbFile('0010', body));
    assert.equal(r.keysLoaded, 4);
    assert.equal(r.keysExpired, 1);
    assert.deepEqual([...r.dbs[0].dict.keys()], ['a', 'b', 'old']);
    assert.equal(r.dbs[0].expires.get('b'), future);
    assert.equal(r.dbs[0].expires.get('old'), Math.floor(future / 1000) * 1000);
    assert.deepEqual([...r.dbs[3].dict.keys()], ['c']);
  });

  test('versions 1..10 are accepted, later ones refused with Redis\'s text', () => {
    assert.equal(load(rdbFile('0009', stringKey('a', '1'))).keysLoaded, 1);
    assert.equal(load(rdbFile('0004', stringKey('a', '1'))).keysLoaded, 1); // (no checksum before v5)
    assert.deepEqual(loadErr(rdbFile('0011', stringKey('a', '1'))), ["Can't handle RDB format version 11"]);
    assert.deepEqual(loadErr(rdbFile('0000', stringKey('a', '1'))), ["Can't handle RDB format version 0"]);
    assert.deepEqual(loadErr(Buffer.from('RADIS0010\xff', 'latin1')), ['Wrong signature trying to load DB from file']);
  });

  test('checksum: verified, zero means not computed, a wrong one is fatal', () => {
    const good = rdbFile('0010', stringKey('a', '1'));
    assert.equal(load(good).keysLoaded, 1);
    assert.equal(load(rdbFile('0010', stringKey('a', '1'), false)).keysLoaded, 1);
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 1;
    const lines = loadErr(bad);
    assert.match(lines[0], /^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.$/);
    assert.match(lines[1], /RDB CRC error$/);
  });

  test('every truncation of a file is a short read, never a partial load', () => {
    const full = rdbFile('0010', Buffer.concat([stringKey('a', '1'), stringKey('b', 'y'.repeat(50)), Buffer.from([0xfe, 1]), stringKey('c', 'z')]));
    for (let n = 9; n < full.length; n++) {
      const lines = loadErr(full.subarray(0, n));
      assert.equal(lines[0], 'Short read or OOM loading DB. Unrecoverable error, aborting now.', `cut at ${n}`);
      assert.match(lines[1], /Unexpected EOF reading RDB file$/);
    }
  });

  test('module AUX data, more dbs than configured and unknown types are refused as Redis does', () => {
    const w = new RdbWriter(false);
    w.saveType(247);
    w.saveLen(0x1234567890abcn << 10n);
    w.saveLen(2);
    w.saveLen(2);
    const lines = loadErr(rdbFile('0010', Buffer.from(w.result())));
    assert.equal(lines[0], `The RDB file contains AUX module data I can't load: no matching module '${moduleTypeNameByID(0x1234567890abcn << 10n)}'`);
    assert.match(loadErr(rdbFile('0010', Buffer.from([0xfe, 16])))[0], /^FATAL: Data file was created with a Redis server configured to handle more than 16 databases/);
    assert.match(loadErr(rdbFile('0010', Buffer.from([8, 1, 0x61])))[0], /Unknown RDB encoding type 8$/);
  });

  test('AUX fields are logged as Redis logs them; unknown ones skipped', () => {
    const w = new RdbWriter(false);
    for (const [k, v] of [['redis-ver', '6.2.1'], ['ctime', String(Math.floor(Date.now() / 1000) - 5)], ['used-mem', String(3 * 1024 * 1024)], ['%note', 'hi'], ['zzz', '1']]) {
      w.saveType(250);
      w.saveString(k);
      w.saveString(v);
    }
    const logs: string[] = [];
    loadRdb(s, rdbFile('0010', Buffer.from(w.result())), {}, (_l, m) => logs.push(m));
    assert.equal(logs[0], 'Loading RDB produced by version 6.2.1');
    assert.match(logs[1], /^RDB age \d+ seconds$/);
    assert.equal(logs[2], 'RDB memory usage when created 3.00 Mb');
    assert.equal(logs[3], "RDB '%note': hi");
    assert.equal(logs[4], "Unrecognized RDB AUX field: 'zzz'");
  });

  test('FUNCTION2 and the 7.0-rc FUNCTION opcode restore libraries; a bad library fails the load', () => {
    const w = new RdbWriter(false);
    w.saveType(245);
    w.saveString("#!lua name=lib1\nredis.register_function('f1', function() return 1 end)");
    w.saveType(246);
    w.saveString('lib2');
    w.saveString('LUA');
    w.saveLen(1);
    w.saveString('a description');
    w.saveString("redis.register_function('f2', function() return 2 end)");
    const r = load(rdbFile('0010', Buffer.from(w.result())));
    assert.deepEqual([...r.libraries.libraries.keys()].sort(), ['lib1', 'lib2']);
    s.scripting.freeLibraries(r.libraries.libraries.values());
    const bad = new RdbWriter(false);
    bad.saveType(245);
    bad.saveString('#!lua name=x\nnot lua at all');
    assert.match(loadErr(rdbFile('0010', Buffer.from(bad.result())))[0], /^Failed loading library, /);
  });
});

describe('SAVE, BGSAVE, DEBUG RELOAD and start-up loading', () => {
  test('SAVE writes dir/dbfilename through temp-<pid>.rdb; a new server loads it; INFO and LASTSAVE follow', async () => {
    const dir = tmpdir();
    const a = await startServer({ log: false, config: { dir, 'enable-debug-command': 'yes' } });
    const c = await RawConn.connect(a.port);
    await c.call(['SET', 'k1', 'v1']);
    await c.call(['SET', 'k2', '42', 'PX', '100000000']);
    await c.call(['SELECT', '2']);
    await c.call(['SET', Buffer.from([0, 255, 10]), Buffer.from([1, 2, 3])]);
    await c.call(['FUNCTION', 'LOAD', "#!lua name=mylib\nredis.register_function('f1', function() return 'hi' end)"]);
    assert.equal(await infoField(c, 'rdb_changes_since_last_save'), '4');
    assert.equal(str(await c.call(['SAVE'])), '+OK\r\n');
    assert.equal(await infoField(c, 'rdb_changes_since_last_save'), '0');
    assert.equal(await infoField(c, 'rdb_saves'), '1');
    assert.equal(str(await c.call(['LASTSAVE'])), `:${await infoField(c, 'rdb_last_save_time')}\r\n`);
    assert.deepEqual(fs.readdirSync(dir), ['dump.rdb']);
    const file = fs.readFileSync(path.join(dir, 'dump.rdb'));
    assert.equal(file.latin1Slice(0, 9), 'REDIS0010');
    assert.equal(file.readBigUInt64LE(file.length - 8), new Crc64().update(file, 0, file.length - 8).value);
    const digest = str(await c.call(['DEBUG', 'DIGEST']));
    c.close();
    await a.close();

    const b = await startServer({ log: false, config: { dir, 'enable-debug-command': 'yes' } });
    const d = await RawConn.connect(b.port);
    assert.equal(str(await d.call(['DEBUG', 'DIGEST'])), digest);
    assert.equal(str(await d.call(['FCALL', 'f1', '0'])), '$2\r\nhi\r\n');
    assert.equal(await infoField(d, 'rdb_last_load_keys_loaded'), '3');
    assert.equal(await infoField(d, 'rdb_last_load_keys_expired'), '0');
    d.close();
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('rdbchecksum no writes a zero trailer; rdbcompression no keeps long values verbatim', async () => {
    const dir = tmpdir();
    const a = await startServer({ log: false, config: { dir, rdbchecksum: 'no', rdbcompression: 'no' } });
    const c = await RawConn.connect(a.port);
    await c.call(['SET', 'k', 'abc'.repeat(100)]);
    await c.call(['SAVE']);
    const file = fs.readFileSync(path.join(dir, 'dump.rdb'));
    assert.equal(file.readBigUInt64LE(file.length - 8), 0n);
    assert.ok(file.includes(Buffer.from('abc'.repeat(100))));
    c.close();
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('BGSAVE: replies, snapshot is point-in-time while writes go on, INFO fields, already-in-progress errors', async () => {
    const dir = tmpdir();
    const a = await startServer({ log: false, config: { dir, 'enable-debug-command': 'yes' } });
    const c = await RawConn.connect(a.port);
    for (let i = 0; i < 300; i++) await c.call(['SET', `k${i}`, `v${i}`]);
    await c.call(['SELECT', '1']);
    await c.call(['SET', 'db1', 'x']);
    await c.call(['SELECT', '0']);
    const digest = str(await c.call(['DEBUG', 'DIGEST']));
    await c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '2000']);
    assert.equal(str(await c.call(['BGSAVE'])), '+Background saving started\r\n');
    assert.equal(await infoField(c, 'rdb_bgsave_in_progress'), '1');
    assert.equal(str(await c.call(['BGSAVE'])), '-ERR Background save already in progress\r\n');
    assert.equal(str(await c.call(['SAVE'])), '-ERR Background save already in progress\r\n');
    // writes while the snapshot is written: overwrite, delete, create, expire, other db, flush of another db
    for (let i = 0; i < 300; i += 7) await c.call(['SET', `k${i}`, 'changed']);
    for (let i = 1; i < 300; i += 11) await c.call(['DEL', `k${i}`]);
    for (let i = 0; i < 50; i++) await c.call(['SET', `new${i}`, 'n']);
    await c.call(['EXPIRE', 'k2', '1000']);
    await c.call(['SELECT', '1']);
    await c.call(['FLUSHDB']);
    await c.call(['SELECT', '0']);
    assert.equal(str(await c.call(['PING'])), '+PONG\r\n');
    await c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '0']);
    await waitFor(async () => (await infoField(c, 'rdb_bgsave_in_progress')) === '0', 'the BGSAVE to finish');
    assert.equal(await infoField(c, 'rdb_last_bgsave_status'), 'ok');
    assert.notEqual(await infoField(c, 'rdb_last_bgsave_time_sec'), '-1');
    assert.notEqual(await infoField(c, 'rdb_changes_since_last_save'), '0'); // the writes made during the save
    assert.deepEqual(fs.readdirSync(dir), ['dump.rdb']);
    // the file holds the dataset as it was when BGSAVE started
    assert.equal(str(await c.call(['DEBUG', 'RELOAD', 'NOSAVE'])), '+OK\r\n');
    assert.equal(str(await c.call(['DEBUG', 'DIGEST'])), digest);
    c.close();
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('BGSAVE inside MULTI is scheduled and run by the cron; FLUSHALL aborts a BGSAVE', async () => {
    const dir = tmpdir();
    const a = await startServer({ log: false, config: { dir } });
    const c = await RawConn.connect(a.port);
    await c.call(['SET', 'a', '1']);
    await c.call(['MULTI']);
    await c.call(['BGSAVE']);
    assert.equal(str(await c.call(['EXEC'])), '*1\r\n+Background saving scheduled\r\n');
    await waitFor(() => fs.existsSync(path.join(dir, 'dump.rdb')), 'the scheduled BGSAVE');
    // the file is renamed into place before the child's end is collected: the next BGSAVE waits for that
    await waitFor(async () => (await infoField(c, 'rdb_bgsave_in_progress')) === '0', 'the scheduled BGSAVE to finish');
    for (let i = 0; i < 100; i++) await c.call(['SET', `k${i}`, 'v']);
    await c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '100000']);
    assert.equal(str(await c.call(['BGSAVE'])), '+Background saving started\r\n');
    await c.call(['FLUSHALL']);
    await waitFor(async () => (await infoField(c, 'rdb_bgsave_in_progress')) === '0', 'the BGSAVE to be aborted');
    assert.equal(await infoField(c, 'rdb_last_bgsave_status'), 'ok');
    await waitFor(() => fs.readdirSync(dir).length === 1, 'the temp file to be removed');
    assert.equal(str(await c.call(['SET', 'x', 'xx'])), '+OK\r\n');
    c.close();
    await a.close();
    assert.deepEqual(fs.readdirSync(dir), ['dump.rdb'], 'no temp file appears after the abort');
    // retried: something still lands in the directory after close now and then (see the session note)
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  test('a failed BGSAVE with save points set denies writes with MISCONF until a save succeeds', async () => {
    const dir = tmpdir();
    const a = await startServer({ log: false, config: { dir, save: '3600 1' } });
    const c = await RawConn.connect(a.port);
    await c.call(['SET', 'x', 'x']);
    // the directory disappears: the temp file cannot be created
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(str(await c.call(['BGSAVE'])), '+Background saving started\r\n');
    await waitFor(async () => (await infoField(c, 'rdb_bgsave_in_progress')) === '0', 'the BGSAVE to fail');
    assert.equal(await infoField(c, 'rdb_last_bgsave_status'), 'err');
    assert.equal(str(await c.call(['GET', 'x'])), '$1\r\nx\r\n');
    const misconf = str(await c.call(['SET', 'x', 'y']));
    assert.match(misconf, /^-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk\. Commands that may modify/);
    assert.equal(str(await c.call(['PING'])), misconf);
    assert.match(str(await c.call(['EVAL', "return redis.call('set','x',1)", '1', 'x'])), /^-MISCONF /);
    // a shebang script without no-writes is a write command: refused before it runs
    assert.equal(str(await c.call(['EVAL', "#!lua\nreturn redis.call('set','x',1)", '1', 'x'])), misconf);
    assert.equal(str(await c.call(['EVAL', "#!lua flags=no-writes\nreturn redis.call('get','x')", '1', 'x'])), '$1\r\nx\r\n');
    // stop-writes-on-bgsave-error no lifts it; so does a successful save
    await c.call(['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no']);
    assert.equal(str(await c.call(['SET', 'x', 'y'])), '+OK\r\n');
    await c.call(['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes']);
    fs.mkdirSync(dir);
    assert.equal(str(await c.call(['BGSAVE'])), '+Background saving started\r\n');
    await waitFor(async () => (await infoField(c, 'rdb_last_bgsave_status')) === 'ok', 'a good BGSAVE');
    assert.equal(str(await c.call(['SET', 'x', 'z'])), '+OK\r\n');
    c.close();
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('BGSAVE has a stand-in child: temp-<childpid>.rdb, killing it fails the save; writes to unsaved keys count as COW', async () => {
    const dir = tmpdir();
    const a = await startServer({ log: false, config: { dir } });
    const c = await RawConn.connect(a.port);
    for (let i = 0; i < 50; i++) await c.call(['SET', `k${i}`, 'v'.repeat(100)]);
    await c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '100000']);
    assert.equal(str(await c.call(['BGSAVE'])), '+Background saving started\r\n');
    const child = a.server.persistence.bgsave?.child;
    if (!child?.pid) {
      c.close();
      await a.close();
      return; // no `sleep` on this system: nothing to kill
    }
    await waitFor(() => fs.existsSync(path.join(dir, `temp-${child.pid}.rdb`)), 'the temp file');
    for (let i = 40; i < 50; i++) await c.call(['SET', `k${i}`, 'changed']);
    assert.ok(Number(await infoField(c, 'current_cow_size')) >= 10 * 10); // ten old values (LZF-compressed)
    process.kill(child.pid, 'SIGKILL');
    await waitFor(async () => (await infoField(c, 'rdb_bgsave_in_progress')) === '0', 'the BGSAVE to end');
    assert.equal(await infoField(c, 'rdb_last_bgsave_status'), 'err');
    await waitFor(() => fs.readdirSync(dir).length === 0, 'the temp file to be removed');
    c.close();
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('save points start a BGSAVE from the cron', async () => {
    const dir = tmpdir();
    const a = await startServer({ log: false, config: { dir, save: '1 2', hz: 100 } });
    const c = await RawConn.connect(a.port);
    await c.call(['SET', 'a', '1']);
    await c.call(['SET', 'b', '2']);
    await waitFor(async () => (await infoField(c, 'rdb_changes_since_last_save')) === '0', 'the save point to fire');
    assert.ok(fs.existsSync(path.join(dir, 'dump.rdb')));
    c.close();
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('SHUTDOWN fails when the final save fails, unless NOSAVE or FORCE; DEBUG RELOAD replies ERR on a failed save', async () => {
    const dir = tmpdir();
    const a = await startServer({ log: false, config: { dir, save: '3600 1', 'enable-debug-command': 'yes' } });
    fs.mkdirSync(path.join(dir, 'dump.rdb')); // the rename onto it fails
    const c = await RawConn.connect(a.port);
    await c.call(['SET', 'a', '1']);
    assert.equal(str(await c.call(['SAVE'])), '-ERR\r\n');
    assert.equal(str(await c.call(['DEBUG', 'RELOAD'])), '-ERR\r\n');
    assert.equal(str(await c.call(['SHUTDOWN'])), '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
    assert.equal(str(await c.call(['PING'])), '+PONG\r\n');
    c.send(['SHUTDOWN', 'NOSAVE']);
    await c.waitClose();
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('SHUTDOWN saves when save points are set, SHUTDOWN SAVE without them', async () => {
    const dir = tmpdir();
    const a = await startServer({ log: false, config: { dir, save: '' } });
    const c = await RawConn.connect(a.port);
    await c.call(['SET', 'a', '1']);
    c.send(['SHUTDOWN', 'SAVE']);
    await c.waitClose();
    await a.close();
    assert.ok(fs.existsSync(path.join(dir, 'dump.rdb')));
    const b = await startServer({ log: false, config: { dir } });
    const d = await RawConn.connect(b.port);
    assert.equal(str(await d.call(['GET', 'a'])), '$1\r\n1\r\n');
    d.close();
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a corrupt dump.rdb at start-up is refused with Redis\'s log lines', async () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'dump.rdb'), 'REDIS0010\xfa\x09redis', 'latin1');
    await assert.rejects(startServer({ log: false, config: { dir } }), (e: Error) => e instanceof RdbLoadError && /Unexpected EOF reading RDB file/.test(e.message));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('CONFIG SET dir needs an existing directory and shows it absolute', async () => {
    const a = await startServer({ log: false, config: { 'enable-protected-configs': 'yes' } });
    const c = await RawConn.connect(a.port);
    assert.equal(
      str(await c.call(['CONFIG', 'SET', 'dir', '/nonexistent/redlua'])),
      "-ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory\r\n",
    );
    const d = tmpdir();
    assert.equal(str(await c.call(['CONFIG', 'SET', 'dir', d])), '+OK\r\n');
    assert.equal(str(await c.call(['CONFIG', 'GET', 'dir'])), `*2\r\n$3\r\ndir\r\n$${d.length}\r\n${d}\r\n`);
    c.close();
    await a.close();
    fs.rmSync(d, { recursive: true, force: true });
  });
});
