// The multi-part AOF end to end through the redlua-server program: restart from the AOF directory, the manifest and
// file names, BGREWRITEAOF, truncated and corrupt files, CONFIG SET appendonly, DEBUG LOADAOF, timestamps, durability
// under kill -9 with appendfsync always, and interoperability with redis-server and redis-check-aof when installed.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawConn } from '../helpers/conn.js';
import { startServer } from '../../src/index.js';
import { redisServerAvailable, startRedis } from '../helpers/redis-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, '../../src/cli.js');

interface Proc {
  proc: ChildProcess;
  port: number;
  logs: string[];
  c: RawConn;
  exited: Promise<number | null>;
}

const AOF = ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no', '--enable-debug-command', 'yes', '--save', ''];

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-aof-'));
}

/** Starts redlua-server; resolves once it accepts connections (or rejects with its log if it exits first). */
function start(dir: string, extra: string[] = []): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, '--port', '0', '--dir', dir, ...AOF, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: string[] = [];
    let buf = '';
    let port = 0;
    const exited = new Promise<number | null>(res => proc.on('exit', code => res(code)));
    proc.stdout!.on('data', d => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        logs.push(line);
        // the port is in the "Running mode=standalone, port=N." line (or the logo), readiness in the last one
        const m = /Running mode=\w+, port=(\d+)\./.exec(line);
        if (m) port = Number(m[1]);
        if (line.endsWith('Ready to accept connections') && port > 0) {
          const p = port;
          void RawConn.connect(p).then(c => resolve({ proc, port: p, logs, c, exited }));
        }
      }
    });
    void exited.then(code => reject(Object.assign(new Error(`exited with ${code}`), { logs, code })));
  });
}

/** Runs redlua-server expecting it to fail at start-up: its exit code and log. */
async function startFails(dir: string, extra: string[] = []): Promise<{ code: number | null; log: string }> {
  try {
    const p = await start(dir, extra);
    await stop(p);
    return { code: 0, log: p.logs.join('\n') };
  } catch (e) {
    const err = e as { logs: string[]; code: number | null };
    return { code: err.code, log: err.logs.join('\n') };
  }
}

async function stop(p: Proc): Promise<void> {
  p.c.close();
  if (p.proc.exitCode === null) {
    p.proc.kill('SIGTERM');
    await p.exited;
  }
}

async function call(c: RawConn, ...args: string[]): Promise<string> {
  return (await c.call(args)).toString('latin1');
}

async function until(what: string, f: () => Promise<boolean>, ms = 20000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

async function rewriteDone(c: RawConn): Promise<void> {
  await until('the rewrite', async () => {
    const info = await call(c, 'INFO', 'persistence');
    return /aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info);
  });
}

const manifest = (dir: string) => fs.readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
const incr = (dir: string, n: number) => path.join(dir, 'appendonlydir', `appendonly.aof.${n}.incr.aof`);

/** A dataset of every type, with TTLs, in two dbs, and a function library. */
async function fill(c: RawConn): Promise<void> {
  await call(c, 'SET', 'str', 'value');
  await call(c, 'SET', 'int', '12345');
  await call(c, 'SET', 'ttl', 'v', 'EX', '1000');
  await call(c, 'RPUSH', 'list', ...Array.from({ length: 150 }, (_, i) => `e${i}`));
  await call(c, 'SADD', 'intset', '1', '2', '3');
  await call(c, 'SADD', 'set', ...Array.from({ length: 100 }, (_, i) => `m${i}`));
  await call(c, 'ZADD', 'zset', '1.5', 'a', '-2', 'b', 'inf', 'c');
  await call(c, 'HSET', 'hash', 'f1', 'v1', 'f2', '2');
  await call(c, 'XADD', 'stream', '1-1', 'f', 'v');
  await call(c, 'XADD', 'stream', '2-1', 'g', 'w');
  await call(c, 'XGROUP', 'CREATE', 'stream', 'grp', '0');
  await call(c, 'XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '1', 'STREAMS', 'stream', '>');
  await call(c, 'XGROUP', 'CREATECONSUMER', 'stream', 'grp', 'bob');
  await call(c, 'XADD', 'empty', 'MAXLEN', '0', '5-5', 'x', 'y');
  await call(c, 'FUNCTION', 'LOAD', "#!lua name=mylib\nredis.register_function('myfn', function() return 1 end)");
  await call(c, 'SELECT', '9');
  await call(c, 'SET', 'in9', 'x');
  await call(c, 'SELECT', '0');
}

/** What the dataset looks like through commands (independent of encodings and iteration orders). */
async function snapshot(c: RawConn): Promise<string> {
  const out: string[] = [];
  for (const db of ['0', '9']) {
    await call(c, 'SELECT', db);
    const keys = (await c.call(['KEYS', '*'])).toString('latin1').split('\r\n').filter((l, i) => i > 0 && i % 2 === 0).sort();
    for (const k of keys) {
      const type = (await call(c, 'TYPE', k)).trim();
      const ttl = Number((await call(c, 'PTTL', k)).slice(1)) > 0 ? 'ttl' : 'no-ttl';
      let v = '';
      if (type === '+string') v = await call(c, 'GET', k);
      else if (type === '+list') v = await call(c, 'LRANGE', k, '0', '-1');
      else if (type === '+set') v = (await call(c, 'SMEMBERS', k)).split('\r\n').sort().join(',');
      else if (type === '+zset') v = await call(c, 'ZRANGE', k, '0', '-1', 'WITHSCORES');
      else if (type === '+hash') v = (await call(c, 'HGETALL', k)).split('\r\n').sort().join(',');
      else if (type === '+stream') {
        v = (await call(c, 'XRANGE', k, '-', '+')) + (await call(c, 'XINFO', 'STREAM', k, 'FULL')).replace(/:\d{13}\r\n/g, ':T\r\n')
          // a group's read counter is not in the AOF (XCLAIM LASTID moves the ID only): nil after a reload, in Redis too
          .replace(/(entries-read|lag)\r\n(:\d+|\$-1)\r\n/g, '');
      }
      out.push(`${db} ${k} ${type} ${ttl} ${v}`);
    }
  }
  await call(c, 'SELECT', '0');
  out.push(await call(c, 'FUNCTION', 'LIST', 'WITHCODE'));
  return out.join('\n');
}

describe('AOF', () => {
  test('start-up creates BASE, INCR and the manifest; a restart loads every type back', async () => {
    const dir = tmpdir();
    let p = await start(dir);
    assert.equal(manifest(dir), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    assert.ok(p.logs.some(l => l.includes('Creating AOF base file appendonly.aof.1.base.aof on server start')));
    await fill(p.c);
    const before = await snapshot(p.c);
    await stop(p);
    p = await start(dir);
    assert.ok(p.logs.some(l => l.includes('DB loaded from incr file appendonly.aof.1.incr.aof')));
    assert.ok(p.logs.some(l => l.includes('Opening AOF incr file appendonly.aof.1.incr.aof on server start')));
    assert.equal(await snapshot(p.c), before);
    await stop(p);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('XADD MAXLEN ~ with LIMIT is logged as MAXLEN = <length>, and DEBUG LOADAOF replays it without LIMIT', async () => {
    const dir = tmpdir();
    const s = await startServer({ log: false, config: { dir, save: '', appendonly: 'yes', 'enable-debug-command': 'yes', 'stream-node-max-entries': '10' } });
    const c = await RawConn.connect(s.port);
    try {
      for (let j = 0; j < 100; j++) await c.call(['XADD', 'mystream', '*', 'xitem', 'v']);
      await c.call(['XADD', 'mystream', 'MAXLEN', '~', '55', 'LIMIT', '30', '*', 'xitem', 'v']);
      assert.equal(String(await c.call(['XLEN', 'mystream'])), ':71\r\n');
      await c.call(['CONFIG', 'SET', 'stream-node-max-entries', '1']);
      assert.equal(String(await c.call(['DEBUG', 'LOADAOF'])), '+OK\r\n');
      assert.equal(String(await c.call(['XLEN', 'mystream'])), ':71\r\n', 'the replayed trim is exact, not limited again');
      await c.call(['XADD', 'mystream', '*', 'xitem', 'v']);
      assert.equal(String(await c.call(['XLEN', 'mystream'])), ':72\r\n');
      // a client's LIMIT without ~ is still refused
      assert.equal(String(await c.call(['XADD', 'mystream', 'MAXLEN', '=', '5', 'LIMIT', '3', '*', 'a', 'b'])), '-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n');
    } finally {
      c.close();
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('DEBUG RELOAD NOFLUSH with a library already loaded fails the load; NOFLUSH MERGE replaces it', async () => {
    const dir = tmpdir();
    const s = await startServer({ log: false, config: { dir, save: '', 'enable-debug-command': 'yes' } });
    const c = await RawConn.connect(s.port);
    try {
      await c.call(['FUNCTION', 'LOAD', "#!lua name=test\nredis.register_function('test', function() return 'hello' end)"]);
      assert.equal(String(await c.call(['DEBUG', 'RELOAD'])), '+OK\r\n');
      assert.equal(String(await c.call(['DEBUG', 'RELOAD', 'NOFLUSH'])), '-ERR Error trying to load the RDB dump\r\n');
      assert.equal(String(await c.call(['DEBUG', 'RELOAD', 'NOFLUSH', 'MERGE'])), '+OK\r\n');
      assert.equal(String(await c.call(['FCALL', 'test', '0'])), '$5\r\nhello\r\n');
    } finally {
      c.close();
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('CONFIG SET appendonly yes fails, and appendonly stays no, when the AOF rewrite cannot start', async () => {
    const dir = tmpdir();
    const s = await startServer({ log: false, config: { dir, save: '' } });
    const c = await RawConn.connect(s.port);
    try {
      // a file where the AOF directory must be created: the first rewrite cannot start
      fs.writeFileSync(path.join(dir, 'appendonlydir'), 'not a directory');
      assert.equal(String(await c.call(['CONFIG', 'SET', 'appendonly', 'yes'])), "-ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.\r\n");
      assert.equal(String(await c.call(['CONFIG', 'GET', 'appendonly'])), '*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n');
      assert.match(String(await c.call(['INFO', 'persistence'])), /aof_enabled:0\r\n/);
      // once the directory can be made, it turns on
      fs.rmSync(path.join(dir, 'appendonlydir'));
      assert.equal(String(await c.call(['CONFIG', 'SET', 'appendonly', 'yes'])), '+OK\r\n');
      assert.match(String(await c.call(['INFO', 'persistence'])), /aof_enabled:1\r\n/);
    } finally {
      c.close();
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('BGREWRITEAOF: new BASE from the dataset, writes during and after it go to the new INCR, history removed', async () => {
    const dir = tmpdir();
    let p = await start(dir);
    await fill(p.c);
    assert.equal(await call(p.c, 'BGREWRITEAOF'), '+Background append only file rewriting started\r\n');
    await call(p.c, 'SET', 'after', 'rewrite');
    await rewriteDone(p.c);
    assert.equal(manifest(dir), 'file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    assert.ok(!fs.existsSync(incr(dir, 1)), 'the old INCR file is deleted');
    const base = fs.readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.2.base.aof'), 'latin1');
    assert.match(base, /^\*3\r\n\$8\r\nFUNCTION\r\n\$4\r\nLOAD\r\n/);
    assert.match(base, /\$9\r\nPEXPIREAT\r\n\$3\r\nttl\r\n/);
    assert.match(base, /\$5\r\nRPUSH\r\n\$4\r\nlist\r\n/);
    assert.equal(base.split('$5\r\nRPUSH\r\n').length - 1, 3, 'a 150-element list is written as 64 + 64 + 22');
    assert.match(base, /\$5\r\nHMSET\r\n/);
    assert.match(base, /\$6\r\nXSETID\r\n\$6\r\nstream\r\n\$3\r\n2-1\r\n\$12\r\nENTRIESADDED\r\n\$1\r\n2\r\n\$12\r\nMAXDELETEDID\r\n\$3\r\n0-0\r\n/);
    assert.match(base, /\$6\r\nXCLAIM\r\n\$6\r\nstream\r\n\$3\r\ngrp\r\n\$5\r\nalice\r\n/);
    assert.match(base, /\$14\r\nCREATECONSUMER\r\n\$6\r\nstream\r\n\$3\r\ngrp\r\n\$3\r\nbob\r\n/);
    assert.match(fs.readFileSync(incr(dir, 2), 'latin1'), /after\r\n\$7\r\nrewrite/);
    assert.match(await call(p.c, 'INFO', 'persistence'), /aof_rewrites:1\r\n/);
    const before = await snapshot(p.c);
    await stop(p);
    p = await start(dir);
    assert.equal(await snapshot(p.c), before);
    await stop(p);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a truncated INCR file: loaded and cut with aof-load-truncated yes, refused with no', async () => {
    const dir = tmpdir();
    let p = await start(dir);
    await call(p.c, 'SET', 'a', '1');
    await call(p.c, 'SET', 'b', '2');
    await stop(p);
    const file = incr(dir, 1);
    const good = fs.statSync(file).size;
    fs.appendFileSync(file, '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1');
    const r = await startFails(dir, ['--aof-load-truncated', 'no']);
    assert.equal(r.code, 1);
    assert.match(r.log, /Unexpected end of file reading the append only file appendonly\.aof\.1\.incr\.aof\. You can: 1\) Make a backup/);
    p = await start(dir);
    assert.match(p.logs.join('\n'), /!!! Truncating the AOF appendonly\.aof\.1\.incr\.aof at offset \d+ !!!/);
    assert.match(p.logs.join('\n'), /AOF appendonly\.aof\.1\.incr\.aof loaded anyway because aof-load-truncated is enabled/);
    assert.equal(await call(p.c, 'MGET', 'a', 'b', 'c'), '*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n');
    await stop(p);
    assert.equal(fs.statSync(file).size, good);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a PEXPIREAT in the past while loading keeps the key with its TTL (no DEL): the later RPUSH appends to it, then it expires', async () => {
    const dir = tmpdir();
    let p = await start(dir);
    await call(p.c, 'SET', 'other', 'x');
    await stop(p);
    const cmd = (...a: string[]) => `*${a.length}\r\n` + a.map(x => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('');
    fs.appendFileSync(incr(dir, 1), cmd('RPUSH', 'list', 'foo') + cmd('PEXPIREAT', 'list', '1000') + cmd('RPUSH', 'list', 'bar'));
    p = await start(dir);
    // checkAlreadyExpired is false while loading: had the PEXPIREAT deleted it, 'bar' would be a fresh list without TTL
    assert.equal(await call(p.c, 'LLEN', 'list'), ':0\r\n');
    assert.equal(await call(p.c, 'EXISTS', 'list'), ':0\r\n');
    assert.equal(await call(p.c, 'GET', 'other'), '$1\r\nx\r\n');
    await stop(p);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an unfinished MULTI at the end is reverted; a corrupt file is refused with Bad file format', async () => {
    const dir = tmpdir();
    let p = await start(dir);
    await call(p.c, 'SET', 'a', '1');
    await stop(p);
    const file = incr(dir, 1);
    fs.appendFileSync(file, '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n');
    p = await start(dir);
    assert.match(p.logs.join('\n'), /Revert incomplete MULTI\/EXEC transaction in AOF file appendonly\.aof\.1\.incr\.aof/);
    assert.equal(await call(p.c, 'MGET', 'a', 'b'), '*2\r\n$1\r\n1\r\n$-1\r\n');
    await stop(p);
    fs.appendFileSync(file, 'garbage\r\n');
    const r = await startFails(dir);
    assert.equal(r.code, 1);
    assert.match(r.log, /Bad file format reading the append only file appendonly\.aof\.1\.incr\.aof: make a backup of your AOF file, then use \.\/redis-check-aof --fix <filename\.manifest>/);
    fs.writeFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file x seq 1 type q\n');
    const m = await startFails(dir);
    assert.equal(m.code, 1);
    assert.match(m.log, /Unknown AOF file type/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('CONFIG SET appendonly yes rewrites the dataset first; no closes the file; DEBUG LOADAOF reloads', async () => {
    const dir = tmpdir();
    const p = await start(dir, ['--appendonly', 'no']);
    assert.match(await call(p.c, 'INFO', 'persistence'), /aof_enabled:0\r\n/);
    assert.ok(!fs.existsSync(path.join(dir, 'appendonlydir')));
    await call(p.c, 'SET', 'before', '1');
    assert.equal(await call(p.c, 'CONFIG', 'SET', 'appendonly', 'yes'), '+OK\r\n');
    await rewriteDone(p.c);
    assert.equal(manifest(dir), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    assert.match(fs.readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.base.aof'), 'latin1'), /before/);
    await call(p.c, 'SET', 'after', '2');
    assert.match(fs.readFileSync(incr(dir, 1), 'latin1'), /after/);
    assert.match(await call(p.c, 'INFO', 'persistence'), /aof_enabled:1\r\n[^]*aof_current_size:\d+\r\naof_base_size:\d+\r\n/);
    await call(p.c, 'SET', 'volatile', 'gone');
    // what only the AOF holds comes back with DEBUG LOADAOF
    await call(p.c, 'FLUSHALL');
    await call(p.c, 'SET', 'x', 'y');
    assert.equal(await call(p.c, 'DEBUG', 'LOADAOF'), '+OK\r\n');
    assert.equal(await call(p.c, 'GET', 'x'), '$1\r\ny\r\n');
    assert.equal(await call(p.c, 'CONFIG', 'SET', 'appendonly', 'no'), '+OK\r\n');
    const size = fs.statSync(incr(dir, 1)).size;
    await call(p.c, 'SET', 'not', 'logged');
    assert.equal(fs.statSync(incr(dir, 1)).size, size);
    assert.match(await call(p.c, 'INFO', 'persistence'), /aof_enabled:0\r\n/);
    await stop(p);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a failing AOF write refuses writes and PING with MISCONF, reads go on', { skip: !fs.existsSync('/dev/full') }, async () => {
    const dir = tmpdir();
    const adir = path.join(dir, 'appendonlydir');
    fs.mkdirSync(adir);
    fs.writeFileSync(path.join(adir, 'appendonly.aof.1.base.aof'), '');
    // every write to /dev/full fails with ENOSPC
    fs.symlinkSync('/dev/full', path.join(adir, 'appendonly.aof.1.incr.aof'));
    fs.writeFileSync(path.join(adir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    const p = await start(dir);
    assert.equal(await call(p.c, 'SET', 'a', '1'), '+OK\r\n');
    await until('the write error', async () => /aof_last_write_status:err/.test(await call(p.c, 'INFO', 'persistence')));
    assert.equal(await call(p.c, 'SET', 'b', '2'), '-MISCONF Errors writing to the AOF file: No space left on device\r\n');
    assert.equal(await call(p.c, 'PING'), '-MISCONF Errors writing to the AOF file: No space left on device\r\n');
    assert.equal(await call(p.c, 'GET', 'a'), '$1\r\n1\r\n');
    p.proc.kill('SIGKILL');
    await p.exited;
    p.c.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('aof-timestamp-enabled writes #TS: annotations, which loading skips', async () => {
    const dir = tmpdir();
    let p = await start(dir, ['--aof-timestamp-enabled', 'yes']);
    await call(p.c, 'SET', 'a', '1');
    await stop(p);
    assert.match(fs.readFileSync(incr(dir, 1), 'latin1'), /^#TS:\d+\r\n\*2\r\n\$6\r\nSELECT/);
    p = await start(dir, ['--aof-timestamp-enabled', 'yes']);
    assert.equal(await call(p.c, 'GET', 'a'), '$1\r\n1\r\n');
    await stop(p);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('appendfsync always: kill -9 under write load loses no acknowledged write', async () => {
    const dir = tmpdir();
    let p = await start(dir, ['--appendfsync', 'always']);
    const acked: string[] = [];
    const writers: Promise<void>[] = [];
    let killed = false;
    for (let w = 0; w < 4; w++) {
      writers.push(
        (async () => {
          const c = await RawConn.connect(p.port);
          for (let i = 0; !killed; i++) {
            const key = `w${w}:${i}`;
            c.send(['SET', key, String(i)]);
            try {
              const r = await c.readRaw(20000);
              if (r.raw.toString('latin1') === '+OK\r\n') acked.push(key);
            } catch {
              break; // the server is gone
            }
          }
          c.close();
        })(),
      );
    }
    await until('enough acknowledged writes', async () => acked.length >= 400);
    killed = true;
    p.proc.kill('SIGKILL');
    await p.exited;
    await Promise.all(writers);
    p = await start(dir);
    const missing: string[] = [];
    for (let i = 0; i < acked.length; i += 200) {
      const batch = acked.slice(i, i + 200);
      const r = (await p.c.call(['EXISTS', ...batch])).toString('latin1');
      if (r !== `:${batch.length}\r\n`) {
        for (const k of batch) if ((await call(p.c, 'EXISTS', k)) !== ':1\r\n') missing.push(k);
      }
    }
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged writes lost`);
    await stop(p);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('aof-use-rdb-preamble yes: an RDB BASE that redis-check-aof and redis-server accept, and redlua reads redis-server\'s', { skip: !redisServerAvailable() }, async () => {
    const dir = tmpdir();
    let p = await start(dir, ['--aof-use-rdb-preamble', 'yes']);
    await fill(p.c);
    await call(p.c, 'BGREWRITEAOF');
    await rewriteDone(p.c);
    assert.equal(manifest(dir), 'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    assert.equal(fs.readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.2.base.rdb')).latin1Slice(0, 9), 'REDIS0010');
    await call(p.c, 'SET', 'incr-part', '1');
    const mine = await snapshot(p.c);
    await stop(p);
    p = await start(dir, ['--aof-use-rdb-preamble', 'yes']);
    assert.ok(p.logs.some(l => l.includes('Reading RDB base file on AOF loading...')));
    assert.equal(await snapshot(p.c), mine);
    await stop(p);
    const check = spawnSync('redis-check-aof', [path.join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const o = await startRedis(['--dir', dir, '--appendonly', 'yes', '--aof-use-rdb-preamble', 'yes']);
    const rc = await RawConn.connect(o.port);
    await until('redis-server loaded', async () => /loading:0/.test(await call(rc, 'INFO', 'persistence')));
    assert.equal(await snapshot(rc), mine);
    await call(rc, 'BGREWRITEAOF');
    await rewriteDone(rc);
    await call(rc, 'SET', 'from-redis', '1');
    const theirs = await snapshot(rc);
    rc.close();
    await o.stop();
    p = await start(dir, ['--aof-use-rdb-preamble', 'yes']);
    assert.equal(await snapshot(p.c), theirs);
    await stop(p);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('interoperability: redis-check-aof and redis-server read redlua\'s directory, redlua reads redis-server\'s', { skip: !redisServerAvailable() }, async () => {
    const dir = tmpdir();
    let p = await start(dir);
    await fill(p.c);
    await call(p.c, 'BGREWRITEAOF');
    await rewriteDone(p.c);
    await call(p.c, 'SET', 'incr-part', '1');
    const mine = await snapshot(p.c);
    await stop(p);
    const check = spawnSync('redis-check-aof', [path.join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /is valid/);
    // redis-server starts from redlua's directory
    const o = await startRedis(['--dir', dir, '--appendonly', 'yes', '--aof-use-rdb-preamble', 'no']);
    const rc = await RawConn.connect(o.port);
    await until('redis-server loaded', async () => /loading:0/.test(await call(rc, 'INFO', 'persistence')));
    assert.equal(await snapshot(rc), mine);
    // and redlua from redis-server's, after redis-server rewrote it and appended to it
    await call(rc, 'BGREWRITEAOF');
    await rewriteDone(rc);
    await call(rc, 'SET', 'from-redis', '1');
    const theirs = await snapshot(rc);
    rc.close();
    await o.stop();
    p = await start(dir);
    assert.equal(await snapshot(p.c), theirs);
    await stop(p);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
