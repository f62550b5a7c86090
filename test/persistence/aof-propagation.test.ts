// The propagation layer proven byte for byte: the same command sequences run on redlua and on redis-server 7.0.15
// (appendonly yes, aof-use-rdb-preamble no, aof-timestamp-enabled no) and the INCR AOF files they write are compared.
// Goldens (test/persistence/goldens/aof-propagation.json) are recorded from redis-server with REDLUA_RECORD=1, so the
// test runs without it; REDLUA_LIVE=1 also compares against a live redis-server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { liveMode, redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';
import { AOF_CASES, type Step } from './aof-cases.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOLDEN = path.resolve(here, '../../../test/persistence/goldens/aof-propagation.json');
const record = process.env.REDLUA_RECORD === '1';

const AOF_CONFIG = ['appendonly', 'yes', 'aof-use-rdb-preamble', 'no', 'aof-timestamp-enabled', 'no', 'appendfsync', 'always'];

interface Target {
  name: string;
  port: number;
  dir: string;
  conns: RawConn[];
  stop(): Promise<void>;
}

async function until(what: string, f: () => Promise<boolean>, ms = 20000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 5));
  }
}

async function info(c: RawConn, field: string): Promise<string> {
  const text = (await c.call(['INFO', 'all'])).toString('latin1');
  return new RegExp(`\\r\\n${field}:([^\\r]*)`).exec(text)?.[1] ?? '';
}

/** The INCR file currently written (the manifest's last `type i` line). */
function currentIncr(dir: string): string {
  const m = fs.readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
  const incr = m.split('\n').filter(l => l.endsWith(' type i'));
  return path.join(dir, 'appendonlydir', incr[incr.length - 1].split(' ')[1]);
}

/** Millisecond timestamps (PEXPIREAT / PXAT / XCLAIM TIME / stream IDs made of the clock) differ between runs. */
function normalise(aof: string): string {
  return aof.replace(/(?<![0-9])1[6-9][0-9]{11}(?![0-9])/g, 'T'.repeat(13));
}

/** One line per command (for readable diffs); the byte comparison follows. */
function render(aof: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < aof.length) {
    const nl = aof.indexOf('\r\n', i);
    if (nl < 0) break;
    const line = aof.slice(i, nl);
    i = nl + 2;
    if (line[0] !== '*') {
      out.push(line);
      continue;
    }
    const args: string[] = [];
    for (let n = Number(line.slice(1)); n > 0; n--) {
      const h = aof.indexOf('\r\n', i);
      const len = Number(aof.slice(i + 1, h));
      args.push(JSON.stringify(aof.slice(h + 2, h + 2 + len)));
      i = h + 2 + len + 2;
    }
    out.push(args.join(' '));
  }
  return out.join('\n');
}

function same(actual: string, expected: string, msg?: string): void {
  assert.equal(render(actual), render(expected), msg);
  assert.equal(actual, expected, msg);
}

async function runCase(t: Target, steps: Step[]): Promise<string> {
  const c0 = t.conns[0];
  // a fresh INCR file per case: BGREWRITEAOF also resets the selected db, so each case starts with SELECT
  await c0.call(['FLUSHALL']);
  await c0.call(['SELECT', '0']);
  await c0.call(['BGREWRITEAOF']);
  await until('the rewrite', async () => (await info(c0, 'aof_rewrite_in_progress')) === '0' && (await info(c0, 'aof_rewrite_scheduled')) === '0');
  const file = currentIncr(t.dir);
  for (const st of steps) {
    if (Array.isArray(st)) {
      await c0.call(st);
    } else if ('send' in st) {
      t.conns[st.c].send(st.send);
    } else if ('read' in st) {
      await t.conns[st.c].readRaw(20000);
    } else if ('blocked' in st) {
      await until('blocked clients', async () => (await info(c0, 'blocked_clients')) === String(st.blocked));
    } else if ('emptied' in st) {
      await until('active expiry', async () => (await c0.call(['DBSIZE'])).toString('latin1') === ':0\r\n');
    } else {
      await new Promise(r => setTimeout(r, st.pause));
    }
  }
  // appendfsync always: every acknowledged write is in the file
  await c0.call(['PING']);
  return normalise(fs.readFileSync(file, 'latin1'));
}

async function redluaTarget(): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-aofprop-'));
  const config: Record<string, string> = { dir, 'enable-debug-command': 'yes' };
  for (let i = 0; i < AOF_CONFIG.length; i += 2) config[AOF_CONFIG[i]] = AOF_CONFIG[i + 1];
  const srv: RunningServer = await startServer({ log: false, config });
  const conns = [await RawConn.connect(srv.port), await RawConn.connect(srv.port)];
  return {
    name: 'redlua',
    port: srv.port,
    dir,
    conns,
    stop: async () => {
      conns.forEach(c => c.close());
      await srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function redisTarget(): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-aofprop-'));
  const o: Oracle = await startRedis(['--dir', dir, ...AOF_CONFIG.map((a, i) => (i % 2 === 0 ? `--${a}` : a))]);
  const conns = [await RawConn.connect(o.port), await RawConn.connect(o.port)];
  return {
    name: 'redis-server',
    port: o.port,
    dir,
    conns,
    stop: async () => {
      conns.forEach(c => c.close());
      await o.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const live = (liveMode() || record) && redisServerAvailable();
let goldens: Record<string, string> = {};
let redlua: Target;
let oracle: Target | null = null;

before(async () => {
  if (fs.existsSync(GOLDEN)) goldens = JSON.parse(fs.readFileSync(GOLDEN, 'utf8'));
  redlua = await redluaTarget();
  if (live) oracle = await redisTarget();
});

after(async () => {
  await redlua.stop();
  if (oracle) await oracle.stop();
  if (record && oracle) fs.writeFileSync(GOLDEN, JSON.stringify(goldens, null, 1) + '\n');
});

for (const c of AOF_CASES) {
  test(`aof propagation: ${c.name}`, async () => {
    if (oracle) {
      const expected = await runCase(oracle, c.steps);
      if (record) goldens[c.name] = expected;
      else same(await runCase(redlua, c.steps), expected, 'against the live redis-server');
    }
    if (record) return;
    const golden = goldens[c.name];
    assert.ok(golden !== undefined, `no golden for '${c.name}': run with REDLUA_RECORD=1 and redis-server installed`);
    same(await runCase(redlua, c.steps), golden);
  });
}
