// The engine's differential corpus: Lua snippets run through EVAL on redis-server 7.0.15 (goldens) and through the WASM engine with the stub host.
export interface Snippet {
  script: string;
  keys?: string[];
  args?: string[];
  /** caller protocol (HELLO 3 on the oracle) */
  resp?: 2 | 3;
}

const S: Snippet[] = [];
const add = (script: string, extra: Omit<Snippet, 'script'> = {}) => S.push({ script, ...extra });
const ret = (expr: string) => add(`return ${expr}`);
const both = (script: string) => {
  add(script);
  add(script, { resp: 3 });
};

// ---- 8.5 number formatting and number facts --------------------------------------------------
for (const e of ['0/0', '-(0/0)', '1/0', '-1/0', '1e100', '2^53', '2^63', 'math.pi', '-0', '0.1', '1/3', '100', '1e15', '1e16', '123456789012345678',
  '-1.5', '2^-1074', '1.7976931348623157e308', '3.14159265358979', '0x10', '0xff', '0xffffffff', '0x7fffffffffffffff', '1e-5', '12.5e3', '5 % 3', '-5 % 3', '5 % -3', '5.5 % 2',
  '2^0.5', '(-8)^(1/3)', '10 / 4', '7 / 2', 'math.huge', '-math.huge', 'math.floor(-3.5)', 'math.ceil(-3.5)', 'math.fmod(7, 3)', 'math.fmod(-7, 3)', 'math.sqrt(2)', 'math.sqrt(-1)',
  'math.log(0)', 'math.log(-1)', 'math.exp(1)', 'math.sin(1)', 'math.cos(1)', 'math.tan(1)', 'math.atan2(1, 2)', 'math.log10(1000)', 'math.frexp(10)', 'math.ldexp(1, 10)', 'math.modf(3.7)', 'math.modf(-3.7)',
  'math.max(1, 5, 3)', 'math.min(1, 5, 3)', 'math.abs(-0.0)', 'math.deg(math.pi)', 'math.rad(180)', 'math.pow(2, 10)', 'math.mod(7, 3)', 'math.cosh(1)', 'math.sinh(1)', 'math.tanh(1)', 'math.asin(1)', 'math.acos(0)', 'math.atan(1)',
  '9007199254740993', '-9007199254740993', '4.9e-324', '2^1023 * 2', '1e308 * 10', '-1e308 * 10', '0.1 + 0.2', '1 - 0.9', '100000000000000', '1e14', '123456.789e3']) {
  ret(`tostring(${e})`);
}
for (const e of ['100.5', '-3.9', '-0.5', '9007199254740993', '1/0', '-1/0', '0/0', '1e30', '2^63', '-2^63', '2^63 - 1024', '-2^63 - 4096', 'math.huge', "cjson.decode('1e400')", '2^31', '-2^31', '2^32 + 0.5', '0.999', '-0']) {
  ret(e);
}
for (const f of ["'%d %d %x', 2^40, -3, 2^35", "'%5.2f|%g|%s|%q', 3.14159, 1e20, 1/0, 'a\\nb\\0c'", "'%d', 2^53", "'%d', -2^63", "'%d', 2^63", "'%d', 1/0", "'%d', 0/0", "'%d', 3.99", "'%d', -3.99",
  "'%x', -1", "'%X', 2^40 + 255", "'%o', 8^10", "'%u', -1", "'%u', 2^64", "'%x', 0/0", "'%i', 2^33", "'%c%c%c', 76, 117, 97", "'%e', 12345.6789", "'%E', 0.000123", "'%g', 0.0001", "'%g', 0.00001",
  "'%g', 1e15", "'%g', 1e16", "'%.3g', 2/3", "'%10.4f|', math.pi", "'%-10d|', 42", "'%+d', 5", "'% d', 5", "'%05d', -42", "'%#x', 255", "'%#o', 8", "'%.0f', 0.5", "'%.0f', 1.5", "'%.0f', 2.5", "'%.20f', 0.1",
  "'%s', 0/0", "'%s', -(0/0)", "'%f', 0/0", "'%f', -(0/0)", "'%f', 1/0", "'%.14g', 0/0", "'%g', -(0/0)", "'%a', 1", "'%q', '\\r\\n\\t\\1\\255'", "'%q', 1/3", "'%s %s', 1, 2", "'%%'", "'%5s|%-5s|', 'ab', 'cd'",
  "'%.2s', 'abcdef'", "'%d', '12'", "'%d', ' 0x10 '", "'%s', true", "'%d', 'x'", "'%z', 1", "'%10.123f', 1", "'%d'", "'%s'"]) {
  ret(`string.format(${f})`);
}

// ---- luaL_checkint / 64-bit lua_Integer hazards (8.5, 8.6) ------------------------------------
for (const e of ["#string.rep('x', 2^32 + 1)", "string.rep('ab', 3, 'x')", "#string.rep('x', 0)", "#string.rep('x', -1)", "string.sub('hello', 2^40)", "string.sub('hello', 2^32 + 2)", "string.sub('hello', -2^32)",
  "string.sub('hello', 2, 2^32 + 3)", "string.sub('hello', -3)", "string.sub('hello', 0)", "string.sub('hello', 2, -2)", "string.sub('hello', 2^31)", "string.sub('hello', -2^31)", "string.sub('hello', 2^63)",
  "{string.byte('hello', 2^32 + 1)}", "{string.byte('hello', 1, -1)}", "{string.byte('hello', -2^40, 2)}", "{string.byte('hello', 2^31 + 1)}", "string.find('hello', 'l', 2^32 + 1)", "string.find('hello', 'l', -2^32)",
  "string.find('hello', 'l', 2^31)", "string.char(65 + 2^32)", "string.char(256)", "{string.find('a.b', '.', 1, true)}", "{string.find('hello world', 'o w')}", "tostring(tonumber('0x7fffffff'))",
  "tostring(tonumber('0xffffffffff'))", "tostring(tonumber('ffffffffff', 16))", "tostring(tonumber('zz', 36))", "tostring(tonumber('11', 2))", "tostring(tonumber('777777777777777777777', 8))", "tostring(tonumber('1e1', 10))",
  "tostring(tonumber('0x'))", "tostring(tonumber('0x', 16))", "tostring(tonumber('0xg'))", "tostring(tonumber('inf'))", "tostring(tonumber('nan'))", "tostring(tonumber('-nan'))", "tostring(tonumber('infinity'))", "tostring(tonumber('0x1p4'))", "tostring(tonumber('0x1.8'))", "tostring(tonumber('1e'))", "tostring(tonumber('  0x1A  '))", "tostring(tonumber('-0x1A'))", "tostring(tonumber('0X1a', 16))", "tostring(tonumber('1', 36))", "tostring(tonumber('-ff', 16))", "tostring(tonumber('+12'))", "tostring(tonumber('.5'))", "tostring(tonumber('5.'))", "tostring(tonumber('0x.8'))", "tostring(tonumber(''))", "tostring(tonumber(' 10 '))", "tostring(tonumber('10', 99))", "tostring(tonumber('1e500'))", "tostring(tonumber('-0x10'))", "tostring(0x100000000)",
  "tostring(0xffffffffffffffff)", "table.concat({1, 2, 3}, ',', 2^32 + 1, 2^32 + 2)", "select('#', unpack({1, 2, 3}, 2^32 + 1, 2^32 + 2))", "math.random(2^32 + 5) >= 1", "select(-1, 1, 2, 3)", "select(2^32 + 1, 'a', 'b')"]) {
  ret(e);
}

// ---- string library and patterns ---------------------------------------------------------------
for (const e of ["string.gsub('hello world', 'o', '0')", "{string.gsub('hello world', 'o', '0', 1)}", "string.gsub('abc', '%w', '%0%0')", "string.gsub('abc', '', '-')", "string.gsub('hello', 'l+', function(s) return #s end)",
  "string.gsub('$name is $age', '%$(%w+)', {name='bob', age=3})", "string.gsub('abc', '(b)', '%2')", "string.gsub('abc', '(', 'x')", "string.gsub('abc', '%', 'x')", "string.gsub('abc', '[a', 'x')", "string.match('key:123', '(%a+):(%d+)')",
  "{string.match('  trim  ', '^%s*(.-)%s*$')}", "string.match('2024-01-15', '(%d+)-(%d+)-(%d+)')", "string.match('hello', '()ll()')", "string.match('THE (quick) fox', '%((%a+)%)')", "string.match('f(a(b)c)', '%b()')",
  "string.match('THE END', '%f[%a]%a+')", "string.match('x = 10', '^(%w+)%s*=%s*(%d+)$')", "string.match('abc', '.-b')", "string.match('aaa', 'a-')", "string.match('aaa', 'a*')", "string.match('aaa', 'a+?')", "string.match('', '.*')",
  "string.match('hello', '[^aeiou]+')", "string.match('x1y2', '%d')", "string.match('A', '%u%l?')", "string.match('\\0a\\0', '%z(.)')", "string.match('abc', '[%a-z]+')", "string.match('a-b', '[a%-]+')", "string.match('hello', '(h)(e)(l)(l)(o)')",
  "string.match('abc', 'b', -1)", "string.match('abc', 'b', -10)", "string.rep('ab', 3)", "string.reverse('hello')", "string.upper('hello Wörld')", "string.lower('HELLO')", "string.len('\\0\\0')", "#'\\0abc'",
  "string.format('%s', string.char(0, 1, 2))", "table.concat({string.byte('\\255\\0\\128', 1, -1)}, ',')", "(function() local t = {} for w in string.gmatch('one two  three', '%a+') do t[#t + 1] = w end return t end)()",
  "(function() local t = {} for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do t[#t + 1] = k .. v end return t end)()", "(function() local n = 0 for _ in string.gfind('aaa', 'a') do n = n + 1 end return n end)()",
  "string.find('abc', 'b', 1, true)", "string.find('a+b', '+', 1, true)", "string.find('', '')", "string.find('abc', '', 10)", "string.find('abc', '', 4)", "{string.find('abc', '(b)(c)')}", "('x'):rep(3)", "('%d'):format(7)",
  "#string.format('%099d', 1)", "string.format('%100d', 1)", "tostring(nil) .. tostring(true)", "'a' .. 1 .. 2", "1 .. ''", "'10' + 5", "'0x10' + 0", "'1e2' * 1", "' 5 ' * 2", "'abc' + 1", "#{1, 2, 3, nil, 5}",
  "#{nil, nil, 3}", "#{n = 1}", "'abc' < 'abd'", "'Z' < 'a'", "'' < 'a'", "'a\\0b' < 'a\\0c'", "1 < 'x'", "{} < {}", "nil .. 'x'", "('abc'):len()", "string.len(123)", "string.byte('')"]) {
  ret(e);
}

// ---- table library ---------------------------------------------------------------------------------
for (const e of ["(function() local t = {3, 1, 2} table.sort(t) return t end)()", "(function() local t = {3, 1, 2} table.sort(t, function(a, b) return a > b end) return t end)()",
  "(function() local t = {'b', 'a', 'C'} table.sort(t) return t end)()", "(function() local t = {3, 'a', 1} table.sort(t) return t end)()", "(function() local t = {1, 2, 3, 4, 5} table.sort(t, function(a, b) return true end) return t end)()",
  "(function() local t = {} for i = 1, 100 do t[i] = (i * 37) % 101 end table.sort(t, function(a, b) return true end) return t end)()", "(function() local t = {{}, {}} table.sort(t) return #t end)()",
  "(function() local t = {1, nil, 3} table.sort(t) return t end)()", "(function() local t = {true, false} table.sort(t) return t end)()", "(function() local t = {} for i = 1, 200 do t[i] = (i * 7919) % 211 end table.sort(t) return t end)()",
  "(function() local t = {5, 2, 8} table.sort(t, function(a, b) return a.x < b.x end) return t end)()", "table.concat({1, 2, 3}, ', ')", "table.concat({1, {}, 3})", "table.concat({}, 'x')", "table.concat({1, 2, 3}, '', 3, 2)",
  "table.concat({'a', 'b'}, nil)", "(function() local t = {1, 2} table.insert(t, 3) table.insert(t, 1, 0) return t end)()", "(function() local t = {1, 2, 3} table.remove(t, 1) return t end)()", "table.remove({})", "table.maxn({1, 2, [10] = 3})",
  "table.getn({1, 2, 3})", "(function() local t = {} table.setn(t, 3) return 1 end)()", "table.insert({}, 1, 2, 3)", "(function() local s = 0 table.foreach({1, 2, 3}, function(k, v) s = s + v end) return s end)()",
  "(function() local s = 0 table.foreachi({1, 2, 3}, function(k, v) s = s + k * v end) return s end)()", "{unpack({1, 2, 3})}", "{unpack({1, 2, 3}, 2)}", "{unpack({1, 2, 3}, -1, 5)}", "select('#', unpack({1, 2, 3}, -1, 5))",
  "select('#', unpack({}, 1, -1))", "select('#', unpack({1,2,3}, -1, -2))", "unpack({1, 2, 3}, -2, 2147483647)", "unpack({1, 2, 3}, 0, 2147483647)", "unpack({1, 2, 3}, -2147483648, -2)", "select('#', unpack({}, 1, 7999))", "select('#', unpack({}, 1, 8000))",
  "select('#', unpack({}, 1, 1e6))", "(function() local t = {} for i = 1, 7999 do t[i] = i end return select('#', unpack(t)) end)()", "next({})", "type(next)", "rawlen", "rawequal('a', 'a')", "rawget({10}, 1)", "select('#')",
  "select('#', nil, nil)", "select(0, 1)", "select(-5, 1)", "ipairs({})", "(function() local n = 0 for i, v in ipairs({1, 2, nil, 4}) do n = n + 1 end return n end)()"]) {
  ret(e);
}

// ---- errors and positions -------------------------------------------------------------------------
for (const s of ["return a", "error('boom')", "error('x', 0)", "error()", "error(nil)", "error(123)", "error({err='FOO bar'})", "error({err='x'}, 2)", "\n\nerror('line3')", "local function f()\n error('in f')\nend\nf()", "error('a\\nb')",
  "error(redis.error_reply('X\\r\\n+INJECTED'))", "return 1 + {}", "return #nil", "return nil .. 1", "local t = nil; return t.x", "return ('x')()", "return math.floor('a')", "return string.rep()", "return string.sub()", "return tostring()",
  "return setmetatable(1, {})", "return ipairs()", "return (nil)()", "local x = 1 x()", "return 1 < 'a'", "return {} < 1", "return -{}", "return #5", "return 2^'x'", "for i = 1, 'x' do end", "for i = 1, 10, 0 do return i end",
  "return xpcall(function() error('E') end, function(e) return 'handled: ' .. e end)", "return xpcall(function() error({err='T'}) end, function(e) return type(e) end)", "return pcall(error)", "return {pcall(error, 'x')}", "return {pcall(error, {err='X y'})}",
  "return {pcall(error, {a=1})}", "return {pcall(redis.call)}", "return {pcall(function() return a end)}", "return select(2, pcall(error, 'msg', 2))", "return {pcall(string.rep)}", "return assert(false)", "return assert(nil, 'custom')",
  "return assert(1, 2, 3)", "return {assert(1, 2, 3)}", "return assert(false, {err='T table'})", "return error", "local t = setmetatable({}, {__index = function(t, k) error('idx ' .. k) end}) return t.foo", "return string.format('%d', {})",
  "return coroutine.wrap(function() error('in co') end)()", "return {coroutine.resume(coroutine.create(function() error('co err') end))}", "return {coroutine.resume(coroutine.create(function() return 1, 2 end))}",
  "local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return {x, y, coroutine.status(co)}",
  "return coroutine.status(coroutine.create(function() end))", "return coroutine.running()", "return {coroutine.resume(coroutine.running())}", "return coroutine.yield()", "local function r(n) if n > 0 then return r(n - 1) end return 'tail ok' end return r(100000)",
  "local function r(n) return 1 + r(n + 1) end return r(1)", "return loadstring('return 1 +')", "return {loadstring('x = ')}", "return loadstring('return 42')()", "return loadstring(string.dump(function() return 1 end))()", "return {loadstring(string.dump(function() return 1 end))}",
  "return loadstring('x = 1')()", "return load(function() return nil end)", "return {load('return 1')}", "return string.dump(function() end) ~= nil", "return 'unfinished", "return [[", "x = = 1", "return 1 2", "local 1 = 2", "goto x", "return ...", "return select('#', ...)",
  "return 'hello' --trailing comment", "return {1, 2} --[[ block ]]", "return [==[long\nstring]==]", "return [=[a]]b]=]", "return '\\65\\066\\x41'", "return '\\z'", "return '\\300'", "return 0x", "return 1e", "return 3..2", "return 1 .. 2",
  "local a <const> = 1", "return #arg", "return _VERSION", "return math.random(0)", "return math.random(2, 1)", "return math.random(1, 2, 3)", "return math.randomseed('x')", "return tostring(nil == false)", "break", "return function() end == nil",
  "while true do break end return 'ok'", "repeat local x = 1 until x == 1 return 'ok'", "local t = {} t[nil] = 1", "local t = {} t[0/0] = 1", "return {[1]=1, [1.5]=2}", "return #('x'):rep(100)"]) {
  if (s) add(s);
}

// ---- sandbox and redis.* texts (spec 1.3, 1.4) -----------------------------------------------------
for (const s of ["return _G", "local t = {} for k in pairs(_G) do t[#t + 1] = k end table.sort(t) return t", "local t = {} for k in pairs(redis) do t[#t + 1] = k end table.sort(t) return t",
  "local t = {} for k in pairs(string) do t[#t + 1] = k end table.sort(t) return t", "local t = {} for k in pairs(math) do t[#t + 1] = k end table.sort(t) return t", "local t = {} for k in pairs(table) do t[#t + 1] = k end table.sort(t) return t",
  "local t = {} for k in pairs(cjson) do t[#t + 1] = k end table.sort(t) return t", "local t = {} for k in pairs(cmsgpack) do t[#t + 1] = k end table.sort(t) return t", "local t = {} for k in pairs(struct) do t[#t + 1] = k end table.sort(t) return t",
  "local t = {} for k in pairs(bit) do t[#t + 1] = k end table.sort(t) return t", "local t = {} for k in pairs(coroutine) do t[#t + 1] = k end table.sort(t) return t", "return {cjson._NAME, cjson._VERSION, cmsgpack._NAME, cmsgpack._VERSION, _VERSION}",
  "return print", "return dofile", "return loadfile", "return require", "return module", "return package", "return os", "return io", "return debug", "return newproxy", "return setfenv", "return getfenv", "return cmsgpack_safe", "return KEYS", "return ARGV",
  "return _G.x", "return rawget(_G, 'x')", "return redis.nosuch", "return string.nosuch", "a = 1", "_G.x = 1", "function foo() end", "redis = {}", "_G = {}", "setmetatable(_G, {})", "getmetatable(_G).__index = {}", "redis.call = nil",
  "cjson.encode = nil", "cmsgpack.pack = nil", "bit.lshift = nil", "getmetatable('').__index = {}", "rawset(string, 'x', 1)", "table.insert(redis, 1)", "rawset(_G, 'x', 1)", "string.x = 1", "math.pi = 3", "local t = getmetatable('') t.x = 1",
  "getmetatable(1).x = 1", "getmetatable(nil).x = 1", "local f = function() end getmetatable(f).x = 1", "return getmetatable('').__index == string", "return rawequal(getmetatable(''), getmetatable('x'))", "return type(getmetatable(_G).__index)",
  "return getmetatable(_G).__newindex", "local t = {} setmetatable(t, {__newindex = function() end}) t.x = 1 return 'ok'", "KEYS[1] = 'x' return KEYS", "table.insert(ARGV, 'x') return ARGV", "return _G['f_' .. redis.sha1hex('x')]",
  "return __redis__err__handler ~= nil", "return type(__redis__err__handler)", "return __redis__err__handler('msg')", "return __redis__err__handler({err='E'})", "return _G == _G._G",
  "return redis.REDIS_VERSION", "return redis.REDIS_VERSION_NUM", "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}", "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}",
  "return redis.sha1hex('Pizza & Mandolino')", "return redis.sha1hex(123)", "return redis.sha1hex(nil)", "return redis.sha1hex({})", "return redis.sha1hex()", "return redis.sha1hex(1, 2)", "return redis.sha1hex('')", "return redis.sha1hex(string.rep('a', 1000))",
  "return redis.error_reply('MyError')", "return redis.error_reply('My Error')", "return redis.error_reply('')", "return redis.error_reply('-X y')", "return redis.error_reply(1)", "return redis.error_reply()", "return redis.error_reply('a', 'b')",
  "return redis.status_reply('fine')", "return redis.status_reply(1)", "return redis.status_reply()", "return redis.status_reply('x\\r\\ny')", "return {redis.error_reply('E1').err}", "return redis.error_reply('ERR x\\ny')",
  "return redis.log()", "return redis.log(1)", "return redis.log('x', 'y')", "return redis.log(5, 'y')", "return redis.log(-1, 'y')", "return redis.log('2', 'msg')", "return redis.log(redis.LOG_WARNING, 'a', 1, {}, 'b')",
  "return redis.setresp()", "return redis.setresp(4)", "return redis.setresp('x')", "return redis.setresp(2, 3)", "redis.setresp('3') return true", "redis.setresp(3.7) return false", "redis.setresp(2) return true",
  "return redis.set_repl()", "return redis.set_repl(4)", "return redis.set_repl(redis.REPL_ALL)", "return redis.set_repl('x')", "return redis.set_repl(-1)", "return redis.replicate_commands()", "return redis.breakpoint()", "return redis.debug('x')",
  "return redis.call()", "return redis.pcall()", "return redis.call({})", "return redis.call('ping', {})", "return redis.call('ping', true)", "return redis.call('ping', nil)", "return redis.pcall('ping', {})", "return redis.call('nosuchcommand')",
  "return redis.pcall('nosuchcommand')", "return redis.call('get')", "return redis.pcall('get')", "return {pcall(redis.call, 'nosuchcommand')}", "return redis.acl_check_cmd()", "return redis.acl_check_cmd('nosuch')", "return redis.acl_check_cmd('get', 'x')",
  "return redis.acl_check_cmd({})", "return type(redis.register_function)", "return math.random ~= nil", "return {math.random(), math.random()}", "return math.random(100)", "return math.random(5, 10)", "return tostring(math.random())",
  "math.randomseed(0) return {tostring(math.random()), tostring(math.random())}", "math.randomseed(1) return {tostring(math.random()), math.random(10)}", "math.randomseed(2^32 + 5) local a = math.random() math.randomseed(5) return a == math.random()",
  "math.randomseed(-1) return tostring(math.random())", "math.randomseed(0x12345678) return math.random(1000000)", "return math.random(-10, -5)", "return math.random(2^31)", "return math.random(0, 2^31 - 1) >= 0", "return collectgarbage('count') > 0",
  "return collectgarbage('step')", "return type(gcinfo())", "return type(load)", "return select('#', ...)"]) {
  add(s);
}

// ---- cjson (8.1) -----------------------------------------------------------------------------------
for (const e of ["cjson.encode({1, 2, 3, {a=1}, 'x/y', 0.1, 1e20, 3.0, -0, true, cjson.null})", "cjson.encode({})", "cjson.encode({[1]=1, [3]=3})", "cjson.encode({1, 2, 3, nil, 5})", "cjson.encode({[1]=1, [20]=3})",
  "cjson.encode({a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8})", "cjson.encode(0/0)", "cjson.encode(1/0)", "cjson.encode({[true]=1})", "cjson.encode({[false]=1})", "cjson.encode(function() end)", "cjson.encode('\\1\\127\\128\\255\"\\\\/')",
  "cjson.encode(12345678901234567890)", "cjson.encode(0.1)", "cjson.encode(-0)", "cjson.encode(1e-7)", "cjson.encode(2^53)", "cjson.encode(123456789012)", "cjson.encode({['1']=1, [2]=2})", "cjson.encode({[1.5]=1})",
  "cjson.encode(string.rep('x', 3))", "cjson.encode('\\0')", "cjson.encode('\\n\\r\\t\\b\\f')", "cjson.encode(nil)", "cjson.encode()", "cjson.encode(1, 2)", "cjson.encode({{{{{{{{{{1}}}}}}}}}})",
  "cjson.decode('[1,2,3]')", "cjson.decode('{\"a\":1}').a", "cjson.decode('null') == cjson.null", "type(cjson.decode('null'))", "tostring(cjson.decode('1e400'))", "cjson.decode('0x10')", "tostring(cjson.decode('NaN'))",
  "tostring(cjson.decode('-Infinity'))", "cjson.decode('\"\\\\ud83d\\\\ude00\"')", "cjson.decode('\"\\\\u00e9\"')", "cjson.decode('\"\\\\u0000\"')", "cjson.decode(123)", "cjson.decode('{1:2}')", "cjson.decode('[1,2')", "cjson.decode('{\"a\":')",
  "cjson.decode('[1,]')", "cjson.decode('{\"a\":1,}')", "cjson.decode()", "cjson.decode('')", "cjson.decode('tru')", "cjson.decode('\"abc')", "cjson.decode('[\"\\\\x\"]')", "cjson.decode('1 2')", "cjson.decode(' [ ] ')",
  "table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')", "cjson.decode('{\"a\":[1,{\"b\":null}]}').a[2].b == cjson.null", "cjson.decode('-0')", "tostring(cjson.decode('-0'))", "cjson.decode('1.5e2')",
  "cjson.decode('9007199254740993')", "tostring(cjson.decode('123456789012345678901234567890'))", "cjson.decode('\"\\\\ud800\"')", "cjson.decode('[' .. string.rep('[', 1100) .. ']')", "cjson.encode(cjson.decode('{\"x\":[1,2,{\"y\":\"z\"}]}'))",
  "cjson.encode_keep_buffer()", "cjson.encode_max_depth(0)", "cjson.encode_number_precision(16)", "cjson.encode_number_precision(0)", "cjson.encode_invalid_numbers('x')", "cjson.encode_sparse_array(true, 'x')", "cjson.decode_max_depth('a')",
  "type(cjson.new)", "type(cjson.new())", "cjson.new().encode({1})", "cjson.encode_number_precision()", "{cjson.encode_sparse_array()}", "cjson.encode_max_depth()", "cjson.decode_max_depth()", "cjson.decode_invalid_numbers()", "cjson.encode_invalid_numbers()"]) {
  ret(e);
}
add("cjson.encode_max_depth(2) local ok, e = pcall(cjson.encode, {{{1}}}) cjson.encode_max_depth(1000) return {tostring(ok), e}");
add("cjson.decode_max_depth(1) local ok = pcall(cjson.decode, '[[1]]') cjson.decode_max_depth(1000) return tostring(ok)");
add("cjson.encode_invalid_numbers(true) local a = cjson.encode(0/0) local b = cjson.encode(1/0) cjson.encode_invalid_numbers('null') local c = cjson.encode(0/0) cjson.encode_invalid_numbers(false) return {a, b, c}");
add("cjson.encode_number_precision(3) local a = cjson.encode(math.pi) cjson.encode_number_precision(14) return a");
add("cjson.encode_sparse_array(true) local a = cjson.encode({[1]=1, [20]=3}) cjson.encode_sparse_array(false, 2, 10) return a");
add("cjson.decode_invalid_numbers(false) local ok, e = pcall(cjson.decode, 'NaN') cjson.decode_invalid_numbers(true) return {tostring(ok), e}");
add("local t = {} for i = 1, 40 do t['key_number_' .. i .. '_with_a_long_suffix_to_exceed_32_bytes'] = i end return cjson.encode(t)");
add("local t = {} for i = 1, 20 do t['k' .. i] = i end return cjson.encode(t)");
add("local t = {} t.a = t local ok, e = pcall(cjson.encode, t) return {tostring(ok), e}");
add("return cjson.encode(string.rep('a', 100000)):len()");

// ---- cmsgpack (8.2) -------------------------------------------------------------------------------
const hex = (e: string) => `(function(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end)(${e})`;
for (const e of ['0.1', '-1099511627776', '1.5', '2^63', '2^64', '1/0', '-1/0', '0/0', '-(0/0)', '-1', '127', '128', '-33', '-32', '255', '256', '65535', '65536', '2^32', '2^32 - 1', '-2^31', '-2^31 - 1', '-2^63', '2^53',
  "'ab'", "''", "string.rep('x', 32)", "string.rep('x', 256)", '{}', 'cjson.null', '{1, 2, nil, 4}', '{1, 2, 3}', "{a = 1}", 'true', 'false', '3.14159', '-0.0', '1e300', '1e-300', '2^31', '4294967296.5', "{{{{{{{{{{{{{{{{{{1}}}}}}}}}}}}}}}}}}",
  "1, 2, 'x'", "string.rep('y', 70000)"]) {
  ret(hex(`cmsgpack.pack(${e})`));
}
ret('cmsgpack.pack()');
add("local t = {} t.x = t t.y = 5 return " + hex('cmsgpack.pack(t)'));
for (const h of ['cfffffffffffffffff', 'ceffffffff', 'd38000000000000000', 'd3ffffffffffffffff', 'cf0000000100000000', 'cb3fb999999999999a', 'ca3fc00000', 'cbfff8000000000000', '93010203', '82a161 01a162 02', 'c0', 'c2', 'c3',
  'a3616263', 'd9036162', 'c1', '', 'cc', 'cd01', 'dc000201 02', 'de0001a17801', '7f', 'ff', 'e0', 'd000', 'd1ff00', 'd2ffffff00', 'c4026162', 'd40100', '92c0c0']) {
  const lit = h.replace(/ /g, '');
  const bytes = `(('${lit}'):gsub('..', function(x) return string.char(tonumber(x, 16)) end))`;
  add(`local s = ${bytes} local t = {pcall(cmsgpack.unpack, s)} for i = 1, #t do if type(t[i]) == 'number' then t[i] = tostring(t[i]) elseif type(t[i]) == 'boolean' then t[i] = tostring(t[i]) elseif t[i] == cjson.null then t[i] = 'null' end end return t`);
}
add("local s = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_one(s)}");
add("local s = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_one(s, 2)}");
add("local s = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_limit(s, 2)}");
add("local s = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_limit(s, 5, 1)}");
add("local s = cmsgpack.pack(1, 2, 3) return {cmsgpack.unpack_one(s, 3)}");
add("return {cmsgpack.unpack(cmsgpack.pack({a = {1, 2}, b = 'x'}))}");
add("local t = cmsgpack.unpack(cmsgpack.pack({1, 2, nil, 4})) local r = {} for k, v in pairs(t) do r[#r + 1] = k .. '=' .. v end table.sort(r) return r");
add("return cmsgpack.unpack()");

// ---- struct (8.3) -------------------------------------------------------------------------------------
for (const e of ["'l', 1", "'L', 1", "'T', 1", "'i', 1", "'I', 1", "'>l', 2^40", "'<l', -2", "'>L', 2^63", "'>L', 2^64", "'>L', -1", "'>L', 0/0", "'>l', 0/0", "'>l', 1/0", "'>i', 2^31", "'>i', -2^31 - 1", "'>I', -1",
  "'>i3', 2^23", "'>I8', 2^64 - 2048", "'>i16', -1", "'>I32', 1", "'b', 255", "'B', -1", "'h', 65535", "'>H', 0x1234", "'<H', 0x1234", "'f', 1.5", "'d', 0.1", "'>d', 0/0", "'>f', 1/0", "'s', 'abc'", "'c3', 'abcdef'", "'c0', 'abc'", "'>!4 b i', 1, 2",
  "'>x b', 1", "'>i33', 1", "'z', 1", "'>c5', 'ab'", "'>d', 'x'", "'i'"]) {
  ret(hex(`struct.pack(${e})`));
}
for (const e of ["'>I2', 'ab'", "'<I2', 'ab'", "'>i2', '\\255\\254'", "'>l', '\\255\\255\\255\\255\\255\\255\\255\\254'", "'>L', '\\255\\255\\255\\255\\255\\255\\255\\255'", "'>L', '\\128\\0\\0\\0\\0\\0\\0\\0'", "'>i8', '\\128\\0\\0\\0\\0\\0\\0\\1'",
  "'>I4', 'abc'", "'>b', 'ab', 2", "'>b', 'ab', 3", "'>b', 'ab', 0", "'>b', 'ab', -1", "'>b', 'ab', 2^32 + 1", "'s', 'abc\\0def'", "'c2 c1', 'abc'", "'>d', '\\63\\240\\0\\0\\0\\0\\0\\0'", "'>f', '\\63\\192\\0\\0'",
  "'>i16', string.rep('\\255', 16)", "'>I9', string.rep('\\1', 9)", "'T', string.rep('\\0', 8)", "'>!8 b d', '\\1' .. string.rep('\\0', 7) .. '\\63\\240\\0\\0\\0\\0\\0\\0'", "'>x b', 'ab'"]) {
  add(`local t = {pcall(struct.unpack, ${e})} for i = 1, #t do t[i] = tostring(t[i]) end return t`);
}
for (const e of ["'>I2bd'", "'l'", "'L'", "'T'", "'i'", "'!8 b d'", "'c10'", "'s'", "'c0'", "'i40'", "'>!4 b h b i'"]) ret(`{pcall(struct.size, ${e})}`);

// ---- bit (8.4) -----------------------------------------------------------------------------------------
for (const e of ['bit.tohex(-1)', 'bit.tohex(255, 4)', 'bit.tohex(255, -4)', 'bit.tohex(65535, -2147483648)', 'bit.tohex(1, 0)', 'bit.tohex(1, 9)', 'bit.tohex(2^32 + 0xab)', 'bit.tobit(2^32 + 5)', 'bit.tobit(2^53)', 'bit.tobit(1/0)',
  'bit.tobit(0/0)', 'bit.tobit(-1/0)', 'bit.tobit(2^31)', 'bit.tobit(-2^31 - 1)', 'bit.tobit(1.5)', 'bit.tobit(2.5)', 'bit.tobit(-1.5)', 'bit.tobit(0xffffffff)', 'bit.bnot(0)', 'bit.lshift(1, 31)', 'bit.lshift(1, 32)', 'bit.lshift(1, 33)',
  'bit.rshift(-1, 28)', 'bit.arshift(-256, 4)', 'bit.rol(1, 33)', 'bit.ror(1, 1)', 'bit.bswap(0x12345678)', 'bit.band(1)', 'bit.bxor(1, 2)', 'bit.bor(1, 2, 4, 8, 16, 32, 64, 128)', 'bit.band(0xff, 0x0f, 0x3)', 'bit.bor()', "bit.band('3', 1)",
  "bit.band('x', 1)", 'bit.tobit(1) == 1', '0xffffffff == -1 or 0xffffffff == 2^32 - 1', 'bit.tobit(-0)', 'bit.tohex(0x7fffffff, -8)', 'bit.arshift(2^31, 1)', 'bit.rshift(2^31, 31)', 'bit.tobit(4294967296 * 3 + 7)']) {
  ret(e);
}

// ---- conversions Lua -> RESP (spec 2.2), both caller protocols -----------------------------------------
for (const s of ["return 'str'", "return ''", "return '\\0\\1\\255'", "return 42", "return 100.5", "return -3.9", "return true", "return false", "return nil", "return", "return {}", "return {1, 2, 3}", "return {1, 2, nil, 4}", "return {1, false, 3}",
  "return {1, x=2}", "return {x=2}", "return {1, {2, {3}}}", "return {err='my error'}", "return {err='x\\r\\ny\\n'}", "return {err=''}", "return {err='-CODE msg'}", "return {err=5}", "return {ok='fine'}", "return {ok='x\\r\\ny'}", "return {ok=5}", "return {ok=''}",
  "return {double=3.5}", "return {double=0.1}", "return {double=1e300 * 10}", "return {double=-1/0}", "return {double=0/0}", "return {double=-(0/0)}", "return {double=100}", "return {double=1.0000000000000001e+300}", "return {double='3.5'}", "return {double=-0}",
  "return {big_number='123'}", "return {big_number='123\\r\\n123'}", "return {big_number=123}", "return {verbatim_string={format='txt', string='hello'}}", "return {verbatim_string={format='markdown', string='x'}}", "return {verbatim_string={format='a', string='x'}}",
  "return {verbatim_string={format='', string='x'}}", "return {verbatim_string={format=1, string='x'}}", "return {verbatim_string={string='x'}}", "return {verbatim_string='x'}", "return {map={a=1}}", "return {map={[true]=false}}", "return {map={}}",
  "return {map={a={1, 2}, b={map={c='d'}}}}", "return {set={a=true, b=false}}", "return {set={}}", "return {set={1}}", "return {map=5}", "return {set='x'}", "return {1, {err='x y'}, {ok='fine'}, redis.error_reply('E1'), {double=1.5}}",
  "return {err='e', ok='o'}", "return {ok='o', double=1}", "return {double=1, map={a=1}}", "return {map={a=1}, set={b=true}}", "return {1, 2, err='no'}", "return cjson.null", "return {cjson.null}", "return print", "return {function() end, 1}",
  "return coroutine.create(function() end)", "return _G", "return {_G}", "local t = {} t[1] = t return t", "local t = {} t[1] = {} t[1][1] = {} return t", "local t = setmetatable({}, {__index = function() return 1 end}) return t",
  "local t = setmetatable({1}, {__index = function(t, k) return 'meta' end}) return t", "return {1e15, 1e16, -1e16, 2^62}", "return {0.5, -0.5, 1.5}", "return {'a', 'b', {'c', {'d'}}}", "redis.setresp(3) return true", "redis.setresp(3) return false",
  "redis.setresp(3) return {true, false}", "redis.setresp(3) return nil", "redis.setresp(3) return {1, false, 3}", "redis.setresp(2) return {true, false}", "return {true, false, true}",
  "local t = {} for i = 1, 50 do t['some_long_key_name_exceeding_32_chars_' .. i] = i end return {map = t}", "local t = {} for i = 1, 30 do t['k' .. i] = true end return {set = t}",
  "local t = {} for i = 1, 100 do t[i] = i * i end return t"]) {
  both(s);
}

// ---- redis.call bridge (spec 2.1, 2.4) through the stub host ---------------------------------------
for (const s of ["return redis.call('ping')", "return redis.call('echo', 'x\\0y')", "return redis.call('echo', 0.1)", "return redis.call('echo', 1e20)", "return redis.call('echo', 3)", "return redis.call('echo', -0)", "return redis.call('echo', 2^53 + 1)",
  "return redis.call('echo', 1/0)", "return redis.call('echo', -1/0)", "return redis.call('echo', 0/0)", "return redis.call('echo', -(0/0))", "return redis.call('echo', '12039611435714932082')", "return redis.call('echo', 1/3)", "return redis.call('echo', 1e-320)",
  "return redis.call('set', 'foo', 9007199254740991) and redis.call('get', 'foo')", "return redis.call('get', 'nokey')", "return type(redis.call('get', 'nokey'))", "return redis.call('set', 'k', 'v')", "return type(redis.call('set', 'k', 'v'))",
  "return redis.call('set', 'k', 'v').ok", "redis.call('set', 'k', 'v') return redis.call('get', 'k')", "return redis.call('incr', 'nokey')", "redis.call('set', 'x', 'a') return redis.call('incr', 'x')", "redis.call('set', 'x', 'a') return redis.pcall('incr', 'x')",
  "redis.call('set', 'x', 'a') local r = redis.pcall('incr', 'x') return {r.err, tostring(r.ignore_error_stats_update)}", "redis.call('set', 'x', 'a') return {pcall(redis.call, 'incr', 'x')}", "redis.call('set', 'x', 'a') return type(select(2, pcall(redis.call, 'incr', 'x')))",
  "redis.call('set', 'x', 'a') return {xpcall(function() return redis.call('incr', 'x') end, function(e) return type(e) .. ':' .. e.err end)}", "redis.call('rpush', 'l', 'a') return redis.call('get', 'l')", "redis.call('rpush', 'l', 'a') return redis.pcall('get', 'l')",
  "return tostring(redis.call('incrby', 'n', '9007199254740993'))", "return redis.call('incrby', 'n', '9007199254740993')", "return redis.call('incrby', 'n', 'x')", "return redis.pcall('incrby', 'n')", "return redis.call('del', 'a', 'b')",
  "redis.call('hset', 'h', 'f', 'v', 'g', 'w') return redis.call('hgetall', 'h')", "redis.setresp(3) redis.call('hset', 'h', 'f', 'v') return redis.call('hgetall', 'h').map.f", "redis.setresp(3) redis.call('hset', 'h', 'f', 'v') return redis.call('hgetall', 'h')",
  "redis.call('set', 'a', '1') return redis.call('mget', 'a', 'nokey', 'a')", "redis.setresp(3) redis.call('set', 'a', '1') return redis.call('mget', 'a', 'nokey', 'a')", "redis.setresp(3) return redis.call('get', 'nokey')",
  "redis.setresp(3) return type(redis.call('get', 'nokey'))", "redis.call('rpush', 'l', 'a', 'b', 'c') return redis.call('lrange', 'l', 0, -1)", "return redis.call('type', 'nokey')", "return redis.call('type', 'nokey').ok",
  "for i = 1, 3 do redis.call('set', 'k' .. i, i) end return redis.call('mget', 'k1', 'k2', 'k3')", "local t = {} for i = 1, 100 do t[i] = 'a' .. i end return redis.call('del', unpack(t))",
  "local t = {} for i = 1, 7999 do t[i] = 'x' end return redis.call('rpush', 'big', unpack(t))", "local t = {} for i = 1, 8000 do t[i] = 'x' end return redis.call('rpush', 'big', unpack(t))",
  "return redis.call('get', 'a', 'b')", "return redis.pcall('get', 'a', 'b')", "return redis.call('nosuch', 'a')", "return {pcall(redis.call, 'nosuch')}", "local ok, e = pcall(redis.call, 'nosuch') return e", "return redis.pcall('nosuch').err",
  "return redis.call('echo', KEYS[1], ARGV[1])", "return redis.call('set', KEYS[1], ARGV[1])", "return redis.acl_check_cmd('get', 'x')", "return redis.acl_check_cmd('set', 'x', 1)", "return redis.acl_check_cmd('nosuch')", "return redis.acl_check_cmd()",
  "local co = coroutine.wrap(function() return redis.call('ping') end) return co()", "return redis.pcall('echo')", "error(redis.pcall('nosuch'))", "error(redis.error_reply('FOO bar'))", "return redis.call('echo', string.rep('z', 100000)):len()"]) {
  both(s);
}
for (const t of ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'true', 'false', 'verbatim']) {
  for (const lua of [2, 3]) {
    const set = lua === 3 ? 'redis.setresp(3) ' : '';
    both(`${set}return redis.call('debug', 'protocol', '${t}')`);
    add(`${set}local r = redis.call('debug', 'protocol', '${t}') if type(r) == 'table' then return cjson.encode(r) end return type(r) .. ':' .. tostring(r)`);
  }
}

// ---- metatables, deep recursion through C, GC, misc core behaviour -------------------------------------
for (const s of ["local function f() return pcall(f) end return {f()}", "local function f(n) if n == 0 then return 0 end return 1 + select(2, pcall(f, n - 1)) end return f(150)",
  "local co co = coroutine.wrap(function(n) return n end) local t = {} for i = 1, 250 do t[i] = co end return 1", "local function f(n) if n == 0 then return 'bottom' end local co = coroutine.create(f) local _, r = coroutine.resume(co, n - 1) return r end return f(190)",
  "local function f(n) if n == 0 then return 'bottom' end local co = coroutine.create(f) local ok, r = coroutine.resume(co, n - 1) return r end return f(300)",
  "return tostring(setmetatable({}, {__tostring = function() return 'X' end}))", "local mt = {__eq = function() return true end} return setmetatable({}, mt) == setmetatable({}, mt)", "local mt = {__lt = function(a, b) return true end} return setmetatable({}, mt) < setmetatable({}, mt)",
  "local mt = {__concat = function(a, b) return 'cat' end} return setmetatable({}, mt) .. 'x'", "local t = setmetatable({}, {__call = function(self, a) return a * 2 end}) return t(21)", "local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) return t.hi",
  "local a = {} setmetatable(a, {__index = a}) return a.x", "local a, b = {}, {} setmetatable(a, {__index = b}) setmetatable(b, {__index = a}) return a.x", "local t = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 2) end}) t.x = 5 return t.x",
  "local t = setmetatable({}, {__unm = function() return 'neg' end}) return -t", "local t = setmetatable({}, {__add = function(a, b) return 99 end}) return t + 1", "local t = setmetatable({}, {__len = function() return 5 end}) return #t",
  "local t = setmetatable({}, {__mode = 'k'}) t[{}] = 1 collectgarbage() local n = 0 for _ in pairs(t) do n = n + 1 end return n", "return collectgarbage('collect')", "return collectgarbage('nosuch')", "return type(collectgarbage('count'))",
  "return getmetatable(setmetatable({}, {__metatable = 'locked'}))", "return setmetatable(setmetatable({}, {__metatable = 'locked'}), {})", "return string.find(string.rep('a', 2000), string.rep('a?', 2000))",
  "return #string.format('%s', string.rep('ab', 50000))", "return {string.byte(string.rep('x', 100), 1, -1)}", "local t = {} for i = 1, 300 do t[i] = i end return string.char(unpack(t, 1, 10))", "return {string.byte(string.rep('x', 10000), 1, -1)} ~= nil",
  "return string.rep('x', 3, 4)", "return ('%s=%s'):format('a', 1):upper()", "local s = '' for i = 1, 1000 do s = s .. i end return #s", "return tostring(2^31) .. tostring(-2^31)", "return 2^31 % 7", "return -2^63 % 3", "return math.floor(-0.0)",
  "return 1e300 * 1e300 == math.huge", "return -(0/0) ~= -(0/0)", "local t = {} t[1.0] = 'a' t[2^53] = 'b' return {t[1], t[2^53]}", "local t = {10, 20, 30, nil} return #t", "local t = {n = 0} for i = 1, 10 do t[i] = i end t[5] = nil return #t",
  "return next({}, nil)", "return pcall(next, {}, 'nokey')", "return select(2, pcall(next, {}, 'nokey'))", "local t = {a = 1} for k, v in pairs(t) do t.b = 2 end return 'ok'", "return rawequal({}, {})", "return rawget(setmetatable({}, {__index = function() return 1 end}), 'x')",
  "return tostring(tonumber('  12  ')) .. type(tonumber('12a'))", "return (' x '):rep(2):gsub(' ', '_')", "return string.format('%q', string.char(0, 10, 13, 34, 92, 200))", "return {string.find('aXb', '%u')}", "return string.gsub('hello world', '(%w+) (%w+)', '%2 %1')",
  "return string.gsub('abc', '%w', {a = 1, b = true, c = false})", "return string.gsub('abc', '%w', function(c) if c == 'b' then return nil end return c:upper() end)", "return pcall(string.gsub, 'abc', '%w', 1)", "return string.gsub('a.b.c', '%.', '%%')", "return pcall(string.gsub, 'abc', 'b', '%9')",
  "return string.find('a\\0b', '\\0', 1, true)", "return loadstring('return ...')(1, 2)", "return select('#', loadstring('return ...')(nil, nil))", "local f = loadstring('local a = ... return a * 2') return f(21)", "return loadstring(('x = 1 '):rep(1))",
  "local t = {} for i = 1, 200 do t[#t + 1] = 'local v' .. i .. ' = ' .. i end return select(2, loadstring(table.concat(t, '\\n')))", "local t = {'return '} for i = 1, 300 do t[#t + 1] = '(' end t[#t + 1] = '1' for i = 1, 300 do t[#t + 1] = ')' end return select(2, loadstring(table.concat(t)))",
  "return select(2, loadstring(('a = {'):rep(300)))", "return #string.dump(loadstring('return 1')) > 0"]) {
  add(s);
}

// ---- KEYS / ARGV ---------------------------------------------------------------------------------------------
add('return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}', { keys: ['k1', 'k2'], args: ['a1', 'a2'] });
add('return {#KEYS, #ARGV}', { keys: [], args: ['x'] });
add('return ARGV', { args: ['\0bin\xff', ''] });
add('return KEYS', { keys: ['a'] });
add("return ARGV[1] + 1", { args: ['41'] });
add("return tonumber(ARGV[1])", { args: ['1e3'] });
add("return cjson.decode(ARGV[1])", { args: ['{"a":[1,2]}'] });
add('return redis.call("set", KEYS[1], ARGV[1])', { keys: ['key'], args: ['value'] });

export const SNIPPETS: Snippet[] = S;

export function snippetId(s: Snippet): string {
  return JSON.stringify([s.resp ?? 2, s.script, s.keys ?? [], s.args ?? []]);
}
