// redlua check (src/check): load and run scripts on a fresh in-process server, report Redis's replies, lines and hints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, formatHuman } from '../../src/check/index.js';

const b = (s: string) => Buffer.from(s, 'latin1');

test('compile errors carry Redis text, the line and a Lua 5.2+ hint', async () => {
  const [r] = await check([{ name: 'a.lua', source: b('local x = 1\nlocal y = 5 // 2\nreturn y\n') }]);
  assert.equal(r.ok, false);
  assert.equal(r.kind, 'eval');
  assert.deepEqual(r.problems, [
    {
      stage: 'load',
      error: "ERR Error compiling script (new function): user_script:2: unexpected symbol near '/'",
      line: 2,
      hint: "'//' (floor division) is Lua 5.3+: use math.floor(a / b)",
    },
  ]);
});

test('goto, bitwise operators: hints', async () => {
  const rs = await check([
    { name: 'g.lua', source: b('for i=1,3 do\n  goto continue\n  ::continue::\nend\n') },
    { name: 'x.lua', source: b('return 1 & 2\n') },
  ]);
  assert.match(rs[0].problems[0].hint!, /goto/);
  assert.match(rs[1].problems[0].hint!, /bitwise operators are Lua 5.3\+/);
});

test('undeclared globals and the readonly sandbox, found by running', async () => {
  const rs = await check([
    { name: 'r.lua', source: b('return y'), run: { keys: [], args: [] } },
    { name: 'w.lua', source: b('z = 1 return z'), run: { keys: [], args: [] } },
    { name: 'u.lua', source: b('return utf8.char(72)'), run: { keys: [], args: [] } },
  ]);
  assert.equal(rs[0].problems[0].error, "ERR user_script:1: Script attempted to access nonexistent global variable 'y' script: 8e1e2fd1bf04ca3f8ae0e9a1f2e0a1b0a5a1ca7b, on @user_script:1.".replace(/script: \w+/, `script: ${rs[0].loaded}`));
  assert.equal(rs[0].problems[0].stage, 'run');
  assert.equal(rs[0].problems[0].line, 1);
  assert.equal(rs[1].problems[0].error, `ERR user_script:1: Attempt to modify a readonly table script: ${rs[1].loaded}, on @user_script:1.`);
  assert.match(rs[1].problems[0].hint!, /read-only/);
  assert.match(rs[2].problems[0].hint!, /utf8 library is Lua 5.3\+/);
});

test('shebang flags and FUNCTION LOAD errors exactly as Redis replies', async () => {
  const rs = await check([
    { name: 'f.lua', source: b('#!lua flags=no-writes,bogus\nreturn 1') },
    { name: 'lib.lua', source: b('#!lua name=mylib\nredis.register_function("f", 1)') },
    { name: 'noname.lua', source: b('#!lua\nredis.register_function("f", function() return 1 end)'), kind: 'function' },
    { name: 'ok.lua', source: b('#!lua name=good\nredis.register_function("hi", function(k, a) return "hi " .. a[1] end)'), run: { keys: [], args: ['bob'], fcall: 'hi' } },
  ]);
  assert.equal(rs[0].problems[0].error, 'ERR Unexpected flag in script shebang: bogus');
  assert.equal(rs[1].kind, 'function');
  assert.equal(rs[1].problems[0].error, 'ERR Error registering functions: ERR second argument to redis.register_function must be a function');
  assert.equal(rs[2].problems[0].error, 'ERR Library name was not given');
  assert.equal(rs[3].ok, true);
  assert.equal(rs[3].loaded, 'good');
  assert.equal(rs[3].reply, '"hi bob"');
});

test('setup commands, replies rendered as redis-cli does; each case gets a fresh server', async () => {
  const rs = await check([
    { name: 'a.lua', source: b("return {redis.call('get', KEYS[1]), 7, redis.call('exists', 'other')}"), setup: [['SET', 'k', 'v'], ['SET', 'other', '1']], run: { keys: ['k'], args: [] } },
    { name: 'b.lua', source: b("return redis.call('exists', 'other')"), run: { keys: [], args: [] } },
  ]);
  assert.equal(rs[0].reply, '1) "v"\n2) (integer) 7\n3) (integer) 1');
  assert.equal(rs[1].reply, '(integer) 0');
  assert.equal(formatHuman(rs.slice(1)), `b.lua: OK (sha ${rs[1].loaded})\n  reply: (integer) 0\n`);
});

test('the CLI: exit status 0 / 1 / 2, --json', () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const cli = path.resolve(here, '../../src/check/cli.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-check-'));
  fs.writeFileSync(path.join(dir, 'good.lua'), 'return 1\n');
  fs.writeFileSync(path.join(dir, 'bad.lua'), 'return 1 +\n');
  const run = (...a: string[]) => spawnSync(process.execPath, [cli, 'check', ...a], { encoding: 'latin1' });
  const ok = run('--run', path.join(dir, 'good.lua'));
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /good\.lua: OK \(sha 48df9b519ca145c867b895f740b37bd891e887af\)\n  reply: \(integer\) 1\n/);
  const bad = run('--json', path.join(dir, 'bad.lua'));
  assert.equal(bad.status, 1);
  assert.equal(JSON.parse(bad.stdout)[0].problems[0].error, "ERR Error compiling script (new function): user_script:2: unexpected symbol near '<eof>'");
  assert.equal(run().status, 2);
  assert.equal(run('--bogus', 'x').status, 2);
  fs.rmSync(dir, { recursive: true });
});
