// Compares core-language results of the engine with Debian's stock lua5.1 binary (LP64 x86-64) when it is installed; skips cleanly otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { StubHost, evalOn, newEval } from './helpers.js';

const haveLua = spawnSync('lua5.1', ['-v'], { encoding: 'utf8' }).status === 0;

// Expressions whose results do not depend on Redis's changes (sandbox, readonly tables, PRNG,
// unpack CVE fix, string hash of long keys) and so must equal stock Lua 5.1.5 on x86-64.
const EXPRS = [
  '0/0', '-(0/0)', '1/0', '-1/0', '1e100', '2^53', '2^63', 'math.pi', '0.1', '1/3', '-0', '1e15', '1e16', '2^-1074', '123456789012345678', '5 % -3', '-5 % 3', '5.5 % 2', '2^0.5',
  'math.sqrt(-1)', 'math.log(-1)', 'math.log(0)', 'math.fmod(-7, 3)', 'math.floor(-3.5)', 'math.ceil(-3.5)', 'math.exp(1)', 'math.sin(1)', 'math.cos(1)', 'math.tan(1)', 'math.atan2(1, 2)', 'math.asin(1)', 'math.cosh(1)', 'math.tanh(0.5)',
  'math.frexp(10)', 'math.ldexp(1, 10)', 'math.modf(-3.7)', 'math.huge', 'math.max(3, 7.5, -1)', 'math.pow(2, 0.5)', 'math.log10(2)', 'math.deg(1)',
  "string.format('%d %d %x', 2^40, -3, 2^35)", "string.format('%d', 2^63)", "string.format('%d', -2^63)", "string.format('%d', 0/0)", "string.format('%x', -1)", "string.format('%u', -1)", "string.format('%o', 2^40)",
  "string.format('%5.2f|%g|%s|%q', 3.14159, 1e20, 1/0, 'a\\nb\\0c')", "string.format('%e', 12345.6789)", "string.format('%.20f', 0.1)", "string.format('%g', 1e-5)", "string.format('%a', 1)", "string.format('%.0f', 2.5)", "string.format('%5s|%-5s|', 'a', 'b')",
  "string.format('%q', '\\r\\t\\1\\255')", "string.format('%c', 65)", "string.format('%i', 2^33)", "string.format('%.3g', 2/3)", "string.format('%#x', 255)", "string.format('%+.3e', -0.0001234)",
  "#string.rep('x', 2^32 + 1)", "string.sub('hello', 2^40)", "string.sub('hello', 2^32 + 2)", "string.sub('hello', -2^32)", "string.byte('hello', 2^32 + 1)", "string.find('hello', 'l', 2^32 + 1)", "string.char(65 + 2^32)",
  "tonumber('0x')", "tonumber('0xffffffffff')", "tonumber('ffffffffff', 16)", "tonumber('-nan')", "tonumber('nan')", "tonumber('inf')", "tonumber('0x1p4')", "tonumber(' 10 ')", "tonumber('zz', 36)", "tonumber('777777777777777777777', 8)",
  "select(2, string.gsub('hello world', 'o', '0'))", "string.gsub('abc', '', '-')", "string.match('key:123', '(%a+):(%d+)')", "string.match('f(a(b)c)', '%b()')", "string.match('THE END', '%f[%a]%a+')", "string.match('  trim  ', '^%s*(.-)%s*$')",
  "string.gsub('abc', '(', 'x')", "string.gsub('abc', '%', 'x')", "string.rep('ab', 3)", "string.reverse('hello')", "string.upper('abc')", "('x'):rep(3)", "#'\\0abc'", "'10' + 5", "'0x10' + 0", "'abc' + 1", "1 < 'x'", "{} < {}", "#nil",
  "(function() local t = {3, 'a', 1} table.sort(t) return t[1] end)()", "(function() local t = {} for i = 1, 100 do t[i] = (i * 37) % 101 end table.sort(t, function(a, b) return true end) return t[1] end)()",
  "(function() local t = {5, 2, 8} table.sort(t, function(a, b) return a.x < b.x end) return 1 end)()", "(function() local t = {1, nil, 3} table.sort(t) return t[1] end)()", "table.concat({1, {}, 3})", "table.concat({1, 2, 3}, ', ', 2)",
  "table.maxn({1, 2, [10] = 3})", "select('#', unpack({1, 2, 3}, -1, 5))", "select(-1, 1, 2, 3)", "select(-5, 1)", "bit",
  "loadstring('return 1 +')", "select(2, loadstring('x = '))", "select(2, loadstring('return [['))", "select(2, loadstring('return 0x'))", "select(2, loadstring('local 1 = 2'))", "select(2, loadstring('goto x'))",
  "select(2, pcall(error))", "select(2, pcall(error, 'x', 0))", "select(2, pcall(error, 123))", "select(2, pcall(function() local t = nil return t.x end))", "select(2, pcall(function() return 1 + {} end))",
  "select(2, pcall(function() return ('x')() end))", "select(2, pcall(string.rep))", "select(2, pcall(setmetatable, 1, {}))", "select(2, pcall(function() for i = 1, 'x' do end end))",
  "select(2, pcall(function() local function r(n) return 1 + r(n + 1) end return r(1) end))", "select(2, coroutine.resume(coroutine.create(function() error('co err') end)))", "select(2, pcall(coroutine.yield))",
  "(function() local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return y end)()",
  "select(2, pcall(function() local t = {} t[0/0] = 1 end))", "select(2, pcall(function() local t = {} t[nil] = 1 end))", "string.format('%s', 1e300 * 1e10)", "2^1023 * 2", "math.abs(-0.0)", "-(0)", "0 * -1",
  "select(2, pcall(string.format, '%d', 'x'))", "select(2, pcall(string.format, '%z', 1))", "select(2, pcall(string.format, '%10.123f', 1))", "select(2, pcall(string.char, 256))", "select(2, pcall(('x').rep, 'x', -1))",
  "string.format('%5.1s|', 'abc')", "tostring(1e308 * 10 - 1e308 * 10)", "math.floor(2^53 + 1)", "2^63 == 2^63 + 1", "9007199254740993", "0.1 + 0.2 == 0.3", "1e309", "-1e309",
];

test('core-language results match stock lua5.1', { skip: haveLua ? false : 'lua5.1 is not installed' }, () => {
  // One lua5.1 process evaluates every expression; results are separated by NUL bytes.
  const strip = (s: string) => s.replace(/^[^\n]*?:\d+: /, 'POS: ');
  const prog = EXPRS.map((e) => `do local ok, v = pcall(function() return ${e} end) io.write(ok and tostring(v) or ('ERR:' .. tostring(v)), '\\0') end`).join('\n');
  const r = spawnSync('lua5.1', ['-'], { input: prog, encoding: 'latin1' });
  assert.equal(r.status, 0, r.stderr);
  const theirs = r.stdout.split('\0').slice(0, -1);
  assert.equal(theirs.length, EXPRS.length);
  const { vm } = newEval(new StubHost());
  const diffs: string[] = [];
  EXPRS.forEach((e, i) => {
    const reply = evalOn(vm, `local ok, v = pcall(function() return ${e} end) return ok and tostring(v) or ('ERR:' .. tostring(v))`).toString('latin1');
    const m = /^\$(\d+)\r\n/.exec(reply);
    assert.ok(m, reply);
    const mine = reply.slice(m[0].length, m[0].length + Number(m[1]));
    if (strip(mine) !== strip(theirs[i]) && !/^(bit|0x7fff)/.test(e)) diffs.push(`${e}: engine ${JSON.stringify(mine)} lua5.1 ${JSON.stringify(theirs[i])}`);
  });
  assert.deepEqual(diffs, []);
});

test('lua5.1 differs where Redis changed Lua (bytecode refused, readonly sandbox)', { skip: haveLua ? false : 'lua5.1 is not installed' }, () => {
  const r = spawnSync('lua5.1', ['-e', 'io.write(tostring(loadstring(string.dump(function() return 1 end))()))'], { encoding: 'latin1' });
  assert.equal(r.stdout, '1');
  const { vm } = newEval(new StubHost());
  assert.match(evalOn(vm, 'return select(2, loadstring(string.dump(function() return 1 end)))').toString('latin1'), /unexpected symbol near 'char\(27\)'/);
});
