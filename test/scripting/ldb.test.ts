// LDB sessions (Redis: eval.c ldb*): the same debugger conversations against redlua and the recorded redis-server transcripts.
// The redlua server runs in a worker thread, since a paused session blocks its thread (as SYNC mode blocks Redis).
// REDLUA_RECORD=1 (with redis-server installed) re-records test/scripting/goldens/ldb.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawConn } from '../helpers/conn.js';
import { startServerInWorker, type WorkerServer } from './worker-server.js';
import { redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const goldenFile = path.resolve(here, '../../../test/scripting/goldens/ldb.json');
const record = process.env.REDLUA_RECORD === '1' && redisServerAvailable();

const SCRIPT = [
  'local a = 1',
  'local t = {1,2,"x",{y=true}}',
  "redis.call('set', KEYS[1], ARGV[1])",
  "redis.debug('hello', a, t)",
  "local v = redis.call('get', KEYS[1])",
  "local ok = redis.pcall('incr', 'nosuch', 'extra')",
  'redis.breakpoint()',
  "redis.call('lpush', KEYS[1], 1)",
  'return v',
].join('\n');

const LONG = "local s = string.rep('x', 300)\nredis.call('set', 'big', s)\nreturn redis.call('get', 'big')";

interface Session {
  mode: 'yes' | 'sync';
  script: string;
  keys: string[];
  args: string[];
  cmds: string[][];
  /** a command to run on a second connection after the session */
  after?: string[];
}

const SESSIONS: Record<string, Session> = {
  'step print list whole': { mode: 'sync', script: SCRIPT, keys: ['k1'], args: ['v1'], cmds: [['s'], ['p'], ['n'], ['p', 't'], ['p', 'KEYS'], ['p', 'nope'], ['l'], ['l', '3', '1'], ['w'], ['s'], ['s'], ['s'], ['c'], ['c']], after: ['get', 'k1'] },
  'breakpoints': { mode: 'sync', script: SCRIPT, keys: ['k2'], args: ['v2'], cmds: [['b'], ['b', '5'], ['b', '8'], ['b', '99'], ['b', 'x'], ['b'], ['b', '-8'], ['b', '-8'], ['c'], ['b', '0'], ['c'], ['c']] },
  'eval redis trace maxlen help unknown': { mode: 'sync', script: SCRIPT, keys: ['k3'], args: ['v3'], cmds: [['e', '1', '+', '1'], ['e', 'x('], ['e', 'error("boom")'], ['r', 'ping'], ['redis', 'set', 'a', 'b'], ['r'], ['t'], ['m'], ['m', '10'], ['m', '0'], ['h'], ['foo'], ['a']] },
  'maxlen trimming and hint': { mode: 'sync', script: LONG, keys: [], args: [], cmds: [['s'], ['s'], ['e', "string.rep('y', 400)"], ['m', '100'], ['s']] },
  'yes mode rolls back': { mode: 'yes', script: SCRIPT, keys: ['k4'], args: ['v4'], cmds: [['c'], ['c']], after: ['exists', 'k4'] },
  'abort keeps sync writes': { mode: 'sync', script: SCRIPT, keys: ['k5'], args: ['v5'], cmds: [['s'], ['s'], ['s'], ['a']], after: ['get', 'k5'] },
};

/** One session: the raw replies in order (logs multibulks, the EVAL reply), then whether the server closed, then `after`. */
async function runSession(port: number, s: Session): Promise<string[]> {
  const out: string[] = [];
  const c = await RawConn.connect(port);
  c.send(['script', 'debug', s.mode]);
  out.push((await c.readRaw()).raw.toString('latin1'));
  c.send(['eval', s.script, s.keys.length, ...s.keys, ...s.args]);
  let ended = false;
  const readStep = async () => {
    const r = (await c.readRaw(20000)).raw.toString('latin1');
    out.push(r);
    if (r.includes('+<endsession>\r\n')) {
      out.push((await c.readRaw(20000)).raw.toString('latin1'));
      ended = true;
    }
  };
  await readStep();
  for (const cmd of s.cmds) {
    if (ended) break;
    c.send(cmd);
    await readStep();
  }
  // Redis closes the connection after the session's final reply
  const deadline = Date.now() + 20000;
  while (!c.closed && Date.now() < deadline) await new Promise(r => setTimeout(r, 10));
  out.push(c.closed ? '(closed)' : '(open)');
  c.close();
  if (s.after) {
    const c2 = await RawConn.connect(port);
    c2.send(s.after);
    out.push((await c2.readRaw()).raw.toString('latin1'));
    c2.close();
  }
  return out;
}

let srv: WorkerServer;
let oracle: Oracle | null = null;
const goldens: Record<string, string[]> = fs.existsSync(goldenFile) ? JSON.parse(fs.readFileSync(goldenFile, 'utf8')) : {};

before(async () => {
  srv = await startServerInWorker({});
  if (record) oracle = await startRedis();
});
after(async () => {
  await srv.close();
  if (oracle) {
    fs.mkdirSync(path.dirname(goldenFile), { recursive: true });
    fs.writeFileSync(goldenFile, JSON.stringify(goldens, null, 1) + '\n');
    await oracle.stop();
  }
});

for (const [name, s] of Object.entries(SESSIONS)) {
  test(`ldb session: ${name}`, async () => {
    if (oracle) goldens[name] = await runSession(oracle.port, s);
    const want = goldens[name];
    assert.ok(want, `no golden for "${name}": record with REDLUA_RECORD=1`);
    assert.deepEqual(await runSession(srv.port, s), want);
  });
}

test('EVALSHA is refused while debugging; SCRIPT DEBUG usage error; NO clears the mode', async () => {
  const c = await RawConn.connect(srv.port);
  c.send(['script', 'debug', 'maybe']);
  assert.equal((await c.readRaw()).raw.toString('latin1'), '-ERR Use SCRIPT DEBUG YES/SYNC/NO\r\n');
  c.send(['script', 'debug', 'yes']);
  assert.equal((await c.readRaw()).raw.toString('latin1'), '+OK\r\n');
  c.send(['evalsha', 'a'.repeat(40), '0']);
  assert.equal((await c.readRaw()).raw.toString('latin1'), '-ERR Please use EVAL instead of EVALSHA for debugging\r\n');
  c.send(['script', 'debug', 'no']);
  assert.equal((await c.readRaw()).raw.toString('latin1'), '+OK\r\n');
  c.send(['eval', 'return redis.breakpoint()', '0']);
  assert.equal((await c.readRaw()).raw.toString('latin1'), '$-1\r\n');
  c.close();
});

test('debugger commands with NUL bytes are unknown commands (unit/scripting "debug protocol parsing")', async () => {
  const c = await RawConn.connect(srv.port);
  c.send(['script', 'debug', 'sync']);
  await c.readRaw();
  c.send(['eval', "return 'hello'", '0']);
  assert.match((await c.readRaw()).raw.toString('latin1'), /Stopped at 1/);
  for (const cmd of ['hello\0world', 'hello\0', '\0hello', '\0hello\0']) {
    c.send([cmd]);
    assert.equal((await c.readRaw()).raw.toString('latin1'), '*1\r\n+<error> Unknown Redis Lua debugger command or wrong number of arguments.\r\n');
  }
  // 100 arguments to 'redis': the Lua stack grows, the unknown command is reported (unit/scripting "lua stack overflow")
  c.send(['redis', ...Array(100).fill('test')]);
  assert.match((await c.readRaw()).raw.toString('latin1'), /<error> Unknown Redis command called from script/);
  c.send(['c']);
  assert.match((await c.readRaw()).raw.toString('latin1'), /<endsession>/);
  assert.equal((await c.readRaw()).raw.toString('latin1'), '$5\r\nhello\r\n');
  c.close();
  // the session is over: another client's script runs without the debugger
  const d = await RawConn.connect(srv.port);
  d.send(['eval', "return {redis.breakpoint(), 'plain'}", '0']);
  assert.equal((await d.readRaw()).raw.toString('latin1'), '*2\r\n$-1\r\n$5\r\nplain\r\n'); // false: not in a session
  d.close();
});

function redisCliAvailable(): boolean {
  return spawnSync('redis-cli', ['--version'], { encoding: 'latin1' }).status === 0;
}

// redis-cli --ldb / --ldb-sync-mode driven through its stdin, as a user's CI would; the transcript (with redis-cli's
// colours) must equal the one recorded against redis-server.
const CLI_SESSIONS: Record<string, { flags: string[]; stdin: string }> = {
  'redis-cli --ldb-sync-mode': { flags: ['--ldb-sync-mode'], stdin: 's\np\nb 5\nc\nr get k9\ne #KEYS\nt\nc\n' },
  'redis-cli --ldb': { flags: ['--ldb'], stdin: 's\ns\nw\nc\n' },
};
for (const [name, s] of Object.entries(CLI_SESSIONS)) {
  test(`ldb transcript: ${name}`, { skip: !redisCliAvailable() && 'redis-cli not installed' }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-ldb-'));
    const file = path.join(dir, 'script.lua');
    fs.writeFileSync(file, SCRIPT + '\n');
    const run = (port: number) =>
      spawnSync('redis-cli', ['-p', String(port), ...s.flags, '--eval', file, 'k9', ',', 'v9'], { input: s.stdin, encoding: 'latin1', timeout: 60000 }).stdout;
    const key = `${name}`;
    if (oracle) goldens[key] = [run(oracle.port)];
    assert.ok(goldens[key], `no golden for "${key}": record with REDLUA_RECORD=1`);
    // spawnSync blocks this thread: fine, the redlua server runs in a worker
    assert.equal(run(srv.port), goldens[key][0]);
    fs.rmSync(dir, { recursive: true });
  });
}
