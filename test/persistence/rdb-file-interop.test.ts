// RDB files both ways with redis-server 7.0.15: redlua → dump.rdb → redis-check-rdb and redis-server → dump.rdb → redlua,
// compared by DEBUG DIGEST and per key; Redis's own tests/assets/*.rdb; committed fixtures for runs without redis-server.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';
import { DATASET } from '../differential/cases/persistence.js';
import { cmdOf } from '../differential/harness.js';
import { RdbLoadError } from '../../src/persistence/rdb-file.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** fixtures live in the source tree (test/persistence/fixtures), also when running from dist/ */
const fixtures = path.resolve(here, '../../../test/persistence/fixtures');
const REDIS_ASSETS = '/work/src/redis-7.0.15/tests/assets';
const haveRedis = redisServerAvailable();
const str = (b: Buffer) => b.toString('latin1');

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-interop-'));
}

/** The interop dataset: the differential one plus functions, large values and a db with many keys. */
const EXTRA: (string | Buffer | number)[][] = [
  ['FUNCTION', 'LOAD', "#!lua name=lib1\nredis.register_function('f1', function(keys, args) return redis.call('get', keys[1]) end)"],
  [
    'FUNCTION',
    'LOAD',
    "#!lua name=lib2\nredis.register_function{function_name='f2', callback=function() return 2 end, flags={'no-writes'}, description='two'}",
  ],
  ['SET', 'big:string', 'q'.repeat(1 << 20)],
  ['SET', 'big:random', Buffer.from(Array.from({ length: 100000 }, (_, i) => (i * 7919) & 255))],
  ['RPUSH', 'big:list', ...Array.from({ length: 20000 }, (_, i) => `item:${i}`)],
  ['HSET', 'big:hash', ...Array.from({ length: 5000 }, (_, i) => [`f${i}`, 'v'.repeat(i % 100)]).flat()],
  ['ZADD', 'big:zset', ...Array.from({ length: 5000 }, (_, i) => [i * 1.5, `m${i}`]).flat()],
  ['SELECT', '9'],
  ...Array.from({ length: 500 }, (_, i) => ['SET', `db9:${i}`, String(i)]),
  ['SELECT', '0'],
];

async function load(c: RawConn): Promise<void> {
  for (const e of DATASET) await c.call(cmdOf(e).cmd);
  for (const e of EXTRA) await c.call(e);
}

/** A redis-server that finished loading its dump.rdb (it answers -LOADING meanwhile), or null if it exited (refused the file). */
async function startLoadedRedis(dir: string, extra: string[] = []): Promise<Oracle | null> {
  const r = await startRedis(['--dir', dir, ...extra]);
  for (let i = 0; i < 2000; i++) {
    if (r.proc.exitCode !== null) return null;
    try {
      const c = await RawConn.connect(r.port);
      const pong = str(await c.call(['PING']));
      c.close();
      if (pong === '+PONG\r\n') return r;
    } catch {
      /* not listening (any more) */
    }
    await new Promise(res => setTimeout(res, 10));
  }
  await stopRedis(r);
  throw new Error('redis-server did not finish loading');
}

async function stopRedis(r: Oracle): Promise<void> {
  if (r.proc.exitCode === null && r.proc.signalCode === null) await r.stop();
}

/** What each key looks like: type, encoding, digest, TTL presence, per db. */
async function snapshot(port: number): Promise<{ digest: string; keys: string[]; functions: string }> {
  const c = await RawConn.connect(port);
  const digest = str(await c.call(['DEBUG', 'DIGEST']));
  const keys: string[] = [];
  for (let db = 0; db < 16; db++) {
    await c.call(['SELECT', String(db)]);
    const v = await c.callValue(['KEYS', '*']);
    const names = v.t === '*' && v.a ? v.a.map(x => (x.t === '$' && x.b ? x.b : Buffer.alloc(0))) : [];
    names.sort(Buffer.compare);
    for (const k of names) {
      const parts = [
        db,
        k.toString('hex'),
        str(await c.call(['TYPE', k])),
        str(await c.call(['OBJECT', 'ENCODING', k])),
        str(await c.call(['DEBUG', 'DIGEST-VALUE', k])),
        str(await c.call(['PTTL', k])) === ':-1\r\n' ? 'persistent' : 'volatile',
      ];
      keys.push(parts.join(' '));
    }
  }
  // libraries sorted by name (FUNCTION LIST follows each server's dict order)
  const listing = str(await c.call(['FUNCTION', 'LIST']));
  const names = [...listing.matchAll(/library_name\r\n\$\d+\r\n([^\r]*)\r\n/g)].map(m => m[1]).sort();
  let functions = '';
  for (const n of names) functions += str(await c.call(['FUNCTION', 'LIST', 'LIBRARYNAME', n, 'WITHCODE']));
  c.close();
  return { digest, keys, functions };
}

describe('RDB files with redis-server 7.0.15', { skip: !haveRedis && 'redis-server 7.0 is not installed' }, () => {
  let dirA: string;
  let dirB: string;
  before(() => {
    dirA = tmpdir();
    dirB = tmpdir();
  });
  after(() => {
    fs.rmSync(dirA, { recursive: true, force: true });
    fs.rmSync(dirB, { recursive: true, force: true });
  });

  test('redlua → dump.rdb → redis-check-rdb and redis-server → dump.rdb → redlua, unchanged', async () => {
    const a = await startServer({ log: false, config: { dir: dirA, 'enable-debug-command': 'yes' } });
    const c = await RawConn.connect(a.port);
    await load(c);
    const before = await snapshot(a.port);
    assert.equal(str(await c.call(['SAVE'])), '+OK\r\n');
    c.close();
    await a.close();

    const check = spawnSync('redis-check-rdb', [path.join(dirA, 'dump.rdb')], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /RDB looks OK/);
    assert.match(check.stdout, /Checksum OK/);

    const r = (await startLoadedRedis(dirA))!;
    try {
      const theirs = await snapshot(r.port);
      assert.deepEqual(theirs.keys, before.keys);
      assert.equal(theirs.digest, before.digest);
      assert.equal(theirs.functions, before.functions);
      const rc = await RawConn.connect(r.port);
      const ours = fs.readFileSync(path.join(dirA, 'dump.rdb'));
      assert.equal(str(await rc.call(['SAVE'])), '+OK\r\n');
      rc.close();
      const redisFile = fs.readFileSync(path.join(dirA, 'dump.rdb'));
      assert.ok(!redisFile.equals(ours), 'redis-server rewrote dump.rdb');
      fs.writeFileSync(path.join(dirB, 'dump.rdb'), redisFile);
    } finally {
      await stopRedis(r);
    }

    const b = await startServer({ log: false, config: { dir: dirB, 'enable-debug-command': 'yes' } });
    try {
      const after = await snapshot(b.port);
      assert.deepEqual(after.keys, before.keys);
      assert.equal(after.digest, before.digest);
      assert.equal(after.functions, before.functions);
    } finally {
      await b.close();
    }
  });

  test('a BGSAVE file is accepted by redis-check-rdb and redis-server', async () => {
    const dir = tmpdir();
    const a = await startServer({ log: false, config: { dir, 'enable-debug-command': 'yes', 'maxmemory-policy': 'allkeys-lru' } });
    const c = await RawConn.connect(a.port);
    await load(c);
    const digest = str(await c.call(['DEBUG', 'DIGEST']));
    assert.equal(str(await c.call(['BGSAVE'])), '+Background saving started\r\n');
    for (let i = 0; i < 200; i++) await c.call(['SET', `during:${i}`, 'x']);
    for (;;) {
      const info = str(await c.call(['INFO', 'persistence']));
      if (info.includes('rdb_bgsave_in_progress:0')) break;
      await new Promise(r => setTimeout(r, 10));
    }
    c.close();
    await a.close();
    const check = spawnSync('redis-check-rdb', [path.join(dir, 'dump.rdb')], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout);
    const r = (await startLoadedRedis(dir))!;
    try {
      const rc = await RawConn.connect(r.port);
      assert.equal(str(await rc.call(['DEBUG', 'DIGEST'])), digest);
      rc.close();
    } finally {
      await stopRedis(r);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const assets = fs.existsSync(REDIS_ASSETS) ? fs.readdirSync(REDIS_ASSETS).filter(f => f.endsWith('.rdb')) : [];
  for (const f of assets) {
    test(`Redis's tests/assets/${f}: redlua loads what redis-server loads, the same way`, async () => {
      const dir = tmpdir();
      fs.copyFileSync(path.join(REDIS_ASSETS, f), path.join(dir, 'dump.rdb'));
      const r = await startLoadedRedis(dir);
      let theirs: Awaited<ReturnType<typeof snapshot>> | null = null;
      if (r !== null) {
        try {
          theirs = await snapshot(r.port);
        } finally {
          await stopRedis(r);
        }
      }
      let ours: Awaited<ReturnType<typeof snapshot>> | null = null;
      let srv: RunningServer | null = null;
      try {
        srv = await startServer({ log: false, config: { dir, 'enable-debug-command': 'yes' } });
        ours = await snapshot(srv.port);
      } catch (e) {
        if (!(e instanceof RdbLoadError)) throw e;
      } finally {
        await srv?.close();
      }
      if (theirs === null) assert.equal(ours, null, 'redis-server refuses this file');
      else {
        assert.ok(ours, 'redlua loads it');
        assert.deepEqual(ours.keys, theirs.keys);
        assert.equal(ours.digest, theirs.digest);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
});

describe('committed fixtures (no redis-server needed)', () => {
  const list = fs.existsSync(fixtures) ? fs.readdirSync(fixtures).filter(f => f.endsWith('.rdb')) : [];
  const expected = fs.existsSync(path.join(fixtures, 'digests.json'))
    ? (JSON.parse(fs.readFileSync(path.join(fixtures, 'digests.json'), 'utf8')) as Record<string, string>)
    : {};
  for (const f of list) {
    test(`${f} written by redis-server 7.0.15 loads with its digest`, async () => {
      const dir = tmpdir();
      fs.copyFileSync(path.join(fixtures, f), path.join(dir, 'dump.rdb'));
      const srv = await startServer({ log: false, config: { dir, 'enable-debug-command': 'yes' } });
      try {
        const c = await RawConn.connect(srv.port);
        assert.equal(str(await c.call(['DEBUG', 'DIGEST'])), expected[f]);
        c.close();
      } finally {
        await srv.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
