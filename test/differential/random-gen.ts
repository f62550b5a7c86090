// A seeded generator of random command streams for the differential harness: a few keys shared by every type, so
// commands meet each other's values (WRONGTYPE, encodings converting, overwrites, expiry), with arguments drawn from
// pools of valid and invalid values. The same seed always yields the same stream, so its replies can be recorded as
// goldens. Commands whose reply is random or time-dependent are compared by a looser mode (see harness Mode).
import type { Cmd, Mode } from './harness.js';

type Arg = string | Buffer;

/** mulberry32: small, fast, and identical on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(readonly rnd: () => number) {}
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  /** 1..max items from make() */
  some(max: number, make: () => Arg[]): Arg[] {
    const out: Arg[] = [];
    for (let i = 1 + this.int(max); i > 0; i--) out.push(...make());
    return out;
  }
}

const KEYS = ['a', 'b', 'c', 'd'];
const MEMBERS = ['m1', 'm2', 'm3', 'm4', 'x', ''];
const INTS = ['0', '1', '2', '3', '-1', '-2', '10', '100', '7'];
const NUMS = [...INTS, '1.5', '-0.25', '3e2', '0.1', '+inf', '-inf', 'inf'];
const BAD_NUMS = ['abc', '', ' 1', '1 ', '0x10', 'nan', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '1e400', '1.0', '01'];
const VALUES: Arg[] = ['v', 'hello', '', '12', '-7', '3.5', 'foobar', '9223372036854775807', '1e3', 'x'.repeat(70), Buffer.from([0, 255, 13, 10, 128])];
const PATTERNS = ['*', 'm*', '?', '*1', '[mx]*', 'a', 'h[^e]llo', '\\*'];

export interface GenCmd {
  cmd: Arg[];
  mode?: Mode;
}

function key(g: Gen): string {
  return g.pick(KEYS);
}
function member(g: Gen): Arg {
  return g.chance(0.8) ? g.pick(MEMBERS) : g.pick(VALUES);
}
function intArg(g: Gen): string {
  return g.chance(0.92) ? g.pick(INTS) : g.pick(BAD_NUMS);
}
function numArg(g: Gen): string {
  return g.chance(0.92) ? g.pick(NUMS) : g.pick(BAD_NUMS);
}
function value(g: Gen): Arg {
  return g.chance(0.85) ? g.pick(VALUES) : g.pick(NUMS);
}
function scoreBound(g: Gen): string {
  const n = g.pick(['0', '1', '2', '1.5', '-inf', '+inf', '10', '-1', '3']);
  return g.chance(0.3) ? '(' + n : g.chance(0.05) ? g.pick(['x', '((1', '']) : n;
}
function lexBound(g: Gen): string {
  return g.pick(['-', '+', '[m1', '(m2', '[m', '(x', '[', 'm1', '[m4', '(']);
}
function streamId(g: Gen): string {
  return g.pick(['1-1', '1-2', '2-0', '3-5', '5', '0-1', '4-*', '-', '+', '0', '2', '(1-1', 'x', '18446744073709551615-18446744073709551615']);
}
function maybe(g: Gen, p: number, make: () => Arg[]): Arg[] {
  return g.chance(p) ? make() : [];
}

/** An expiry option: relative times far enough out that no key expires during a stream, or absolute ones in the past. */
function expiry(g: Gen): Arg[] {
  if (!g.chance(0.6)) return [g.pick(['EXAT', 'PXAT']), g.pick(['1', 'x'])];
  const unit = g.pick(['EX', 'PX']);
  const v = g.pick(['100', '100000', '0', '-5', 'x']);
  // PX 100 would expire within a stream on a loaded machine: 100 s in either unit
  return [unit, unit === 'PX' && v === '100' ? '100000' : v];
}

const LUA_NUMBERS = ['0', '1', '-3', '100.5', '-3.9', '-0.5', '9007199254740993', '1e30', '2^63', '-2^63', '1/0', '-1/0', '0/0', 'math.huge', '0.1', '1e-300'];
const LUA_STRINGS = ['"x"', '"hello world"', '""', '"a\\r\\nb"', '"\\0z"', '"12"', '"E1 bad thing"', '"markdown"'];
const LUA_CALLS = [
  // (not HGETALL or SMEMBERS: a hashtable's order is its dict's; XINFO STREAM is a map and SINTER of nothing a set in RESP3)
  'redis.call("ZSCORE", KEYS[1] or "a", "m1")', 'redis.pcall("XINFO", "STREAM", "a")', 'redis.pcall("SINTER", "nokey")', 'redis.pcall("GET", "c")',
  'redis.pcall("INCRBYFLOAT", "d", "0.5")', 'redis.pcall("ZRANGE", "a", 0, -1, "WITHSCORES")', 'redis.pcall("LRANGE", "b", 0, 3)',
  'redis.pcall("MGET", "a", "b", "nokey", "c")', 'redis.pcall("XRANGE", "c", "-", "+")', 'redis.pcall("PING")', 'redis.pcall("TYPE", "d")',
  'redis.pcall("HRANDFIELD", "nokey", 2)', 'redis.pcall("LPOS", "b", "m1")', 'redis.pcall("NOSUCH")', 'redis.pcall("SET", "d")',
  'redis.pcall("ZMSCORE", "a", "m1", "m2")', 'redis.pcall("DEBUG", "PROTOCOL", "bignum")',
];

/** A random Lua expression for a script to return: numbers, strings, booleans, nil, nested tables and the special tables. */
function luaValue(g: Gen, depth: number): string {
  const leaf = () => g.pick([() => g.pick(LUA_NUMBERS), () => g.pick(LUA_STRINGS), () => g.pick(['true', 'false', 'nil', 'cjson.null'])])();
  if (depth >= 3) return leaf();
  const v = () => luaValue(g, depth + 1);
  const str = () => g.pick(LUA_STRINGS);
  switch (g.int(14)) {
    case 0: case 1: case 2: return leaf();
    case 3: case 4: return '{' + Array.from({ length: g.int(5) }, v).join(', ') + '}';
    case 5: return g.pick([`{err=${str()}}`, `{ok=${str()}}`, `redis.error_reply(${str()})`, `redis.status_reply(${str()})`, '{ok=5}', '{err=5}', `{err=${str()}, ok=${str()}}`]);
    case 6: return g.pick([`{double=${g.pick(LUA_NUMBERS)}}`, '{double="3.5"}', `{big_number=${str()}}`, '{big_number=123}']);
    case 7: return g.pick([`{verbatim_string={format=${str()}, string=${str()}}}`, '{verbatim_string={format="txt"}}']);
    case 8: return `{map={k1=${v()}, k2=${v()}, [${g.pick(['1', 'true', '2.5', '"z"'])}]=${v()}}}`;
    case 9: return `{set={a=true, b=false, [${g.pick(['1', '"c"', '3.5'])}]=${v()}}}`;
    case 10: return g.pick([`{1, x=${v()}}`, `{x=${v()}}`, `{${v()}, nil, ${v()}}`, `{[1]=${v()}, [3]=${v()}}`]);
    case 11: return g.pick(['cjson.decode(\'[1,2.5,{"a":[true,null]},"s"]\')', 'cmsgpack.unpack(cmsgpack.pack({1, 2.5, "x", {y=1}}))', 'struct.unpack(">i4", struct.pack(">i4", -5))', 'bit.band(0xff, -1)', 'string.format("%5.2f|%d|%s", 3.14159, 42, "z")', 'tostring(1e15)', 'tostring(2^63)', 'table.concat({1, 2.5, "x"}, ",")']);
    default: return g.pick(LUA_CALLS);
  }
}

/** Encoding thresholds a stream may change, with their defaults first. */
const CONFIGS: Record<string, string[]> = {
  'hash-max-listpack-entries': ['512', '0', '1', '2', '3'],
  'hash-max-listpack-value': ['64', '0', '1', '3'],
  'zset-max-listpack-entries': ['128', '0', '1', '2', '3'],
  'zset-max-listpack-value': ['64', '0', '1', '3'],
  'set-max-intset-entries': ['512', '0', '1', '2', '3'],
  'list-max-listpack-size': ['-2', '1', '2', '-1', '3'],
  'list-compress-depth': ['0', '1', '2'],
  'stream-node-max-entries': ['100', '1', '2', '3', '0'],
  'stream-node-max-bytes': ['4096', '0', '10', '100'],
};

type Make = (g: Gen) => Arg[] | GenCmd;

/** [weight, generator]: each returns one command (or one with its compare mode). */
const COMMANDS: [number, Make][] = [
  // ---- strings
  [6, g => ['SET', key(g), value(g), ...maybe(g, 0.3, () => [g.pick(['NX', 'XX', 'GET', 'KEEPTTL'])]), ...maybe(g, 0.2, () => expiry(g))]],
  [4, g => ['GET', key(g)]],
  [2, g => ['GETSET', key(g), value(g)]],
  [2, g => ['GETDEL', key(g)]],
  [2, g => ['GETEX', key(g), ...maybe(g, 0.7, () => g.pick([['PERSIST'], ['EX', '100'], ['PX', '0'], ['EXAT', '1'], ['EX', 'x'], ['FOO']]))]],
  [2, g => ['SETNX', key(g), value(g)]],
  [1, g => ['SETEX', key(g), g.pick(['100', '0', '-1', 'x']), value(g)]],
  [1, g => ['PSETEX', key(g), g.pick(['100000', '0', 'x']), value(g)]],
  [2, g => ['MSET', ...g.some(3, () => [key(g), value(g)])]],
  [1, g => ['MSETNX', ...g.some(3, () => [key(g), value(g)])]],
  [2, g => ['MGET', ...g.some(3, () => [key(g)])]],
  [3, g => ['APPEND', key(g), value(g)]],
  [2, g => ['STRLEN', key(g)]],
  [3, g => [g.pick(['INCR', 'DECR']), key(g)]],
  [3, g => [g.pick(['INCRBY', 'DECRBY']), key(g), intArg(g)]],
  [3, g => ['INCRBYFLOAT', key(g), numArg(g)]],
  [2, g => [g.pick(['GETRANGE', 'SUBSTR']), key(g), intArg(g), intArg(g)]],
  [2, g => ['SETRANGE', key(g), g.pick(['0', '1', '3', '-1', '10']), value(g)]],
  [1, g => ['LCS', key(g), key(g), ...maybe(g, 0.6, () => [g.pick(['LEN', 'IDX'])]), ...maybe(g, 0.3, () => ['MINMATCHLEN', intArg(g)]), ...maybe(g, 0.3, () => ['WITHMATCHLEN'])]],
  // ---- bitmaps and hyperloglog
  [2, g => ['SETBIT', key(g), g.pick(['0', '7', '13', '100', '-1']), g.pick(['0', '1', '2'])]],
  [1, g => ['GETBIT', key(g), g.pick(['0', '7', '13', '100'])]],
  [2, g => ['BITCOUNT', key(g), ...maybe(g, 0.5, () => [intArg(g), intArg(g), ...maybe(g, 0.5, () => [g.pick(['BIT', 'BYTE'])])])]],
  [1, g => ['BITPOS', key(g), g.pick(['0', '1']), ...maybe(g, 0.5, () => [intArg(g), ...maybe(g, 0.5, () => [intArg(g)])])]],
  [1, g => ['BITOP', g.pick(['AND', 'OR', 'XOR', 'NOT']), key(g), ...g.some(2, () => [key(g)])]],
  [1, g => ['BITFIELD', key(g), ...g.some(2, () => g.pick([
    ['GET', g.pick(['u8', 'i5', 'u63', 'i64', 'x']), g.pick(['0', '#1', '3'])],
    ['SET', g.pick(['u8', 'i5']), g.pick(['0', '#1']), intArg(g)],
    ['INCRBY', g.pick(['u2', 'i8']), '0', intArg(g)],
    ['OVERFLOW', g.pick(['SAT', 'FAIL', 'WRAP'])],
  ]))]],
  [1, g => ['PFADD', key(g), ...g.some(3, () => [member(g)])]],
  [1, g => ['PFCOUNT', ...g.some(2, () => [key(g)])]],
  // ---- keys
  [2, g => ['DEL', ...g.some(2, () => [key(g)])]],
  [2, g => ['EXISTS', ...g.some(3, () => [key(g)])]],
  [2, g => ['TYPE', key(g)]],
  [1, g => ['OBJECT', 'ENCODING', key(g)]],
  [1, g => ['RENAME', key(g), key(g)]],
  [1, g => ['RENAMENX', key(g), key(g)]],
  [1, g => ['COPY', key(g), key(g), ...maybe(g, 0.5, () => ['REPLACE'])]],
  [2, g => {
    const cmd = ['EXPIRE', key(g), g.pick(['100', '1000', '0', '-1', 'x']), ...maybe(g, 0.4, () => [g.pick(['NX', 'XX', 'GT', 'LT'])])];
    // GT/LT against a TTL set by the same seconds a moment ago depends on whether the millisecond changed in between
    return cmd.length === 4 && (cmd[3] === 'GT' || cmd[3] === 'LT') && (cmd[2] === '100' || cmd[2] === '1000') ? { cmd, mode: 'type' } : cmd;
  }],
  [1, g => ['PEXPIREAT', key(g), g.pick(['1', '0', 'x'])]],
  [2, g => ['TTL', key(g)]],
  [1, g => ['PERSIST', key(g)]],
  [1, g => ({ cmd: ['KEYS', g.pick(PATTERNS)], mode: 'sorted' })],
  [1, g => ['DBSIZE']],
  [1, g => ['SELECT', g.pick(['0', '0', '1'])]],
  [1, g => ['MOVE', key(g), g.pick(['0', '1'])]],
  [1, g => ({ cmd: ['RANDOMKEY'], mode: 'type' })],
  // ---- hashes
  [5, g => ['HSET', key(g), ...g.some(3, () => [member(g), value(g)])]],
  [1, g => ['HSETNX', key(g), member(g), value(g)]],
  [3, g => ['HGET', key(g), member(g)]],
  [2, g => ['HMGET', key(g), ...g.some(3, () => [member(g)])]],
  [2, g => ['HDEL', key(g), ...g.some(2, () => [member(g)])]],
  [1, g => ['HLEN', key(g)]],
  // a hash with a value over 64 bytes is a hashtable, whose order is the dict's: compared unordered
  [1, g => ({ cmd: [g.pick(['HKEYS', 'HVALS']), key(g)], mode: 'sorted' })],
  [1, g => ({ cmd: ['HGETALL', key(g)], mode: 'sortedpairs' })],
  [1, g => ['HEXISTS', key(g), member(g)]],
  [1, g => ['HSTRLEN', key(g), member(g)]],
  [2, g => ['HINCRBY', key(g), member(g), intArg(g)]],
  [2, g => ['HINCRBYFLOAT', key(g), member(g), numArg(g)]],
  [1, g => ({ cmd: ['HSCAN', key(g), '0', ...maybe(g, 0.5, () => ['MATCH', g.pick(PATTERNS)]), ...maybe(g, 0.3, () => ['COUNT', g.pick(['10', '0', 'x'])])], mode: 'scan' })],
  [1, g => ({ cmd: ['HRANDFIELD', key(g), ...maybe(g, 0.7, () => [g.pick(['5', '10', '0', '-2', 'x']), ...maybe(g, 0.5, () => ['WITHVALUES'])])], mode: 'len' })],
  // ---- lists
  [5, g => [g.pick(['LPUSH', 'RPUSH']), key(g), ...g.some(3, () => [member(g)])]],
  [1, g => [g.pick(['LPUSHX', 'RPUSHX']), key(g), member(g)]],
  [3, g => [g.pick(['LPOP', 'RPOP']), key(g), ...maybe(g, 0.4, () => [intArg(g)])]],
  [3, g => ['LRANGE', key(g), intArg(g), intArg(g)]],
  [1, g => ['LLEN', key(g)]],
  [1, g => ['LINDEX', key(g), intArg(g)]],
  [1, g => ['LSET', key(g), intArg(g), member(g)]],
  [1, g => ['LINSERT', key(g), g.pick(['BEFORE', 'AFTER', 'x']), member(g), member(g)]],
  [1, g => ['LREM', key(g), intArg(g), member(g)]],
  [1, g => ['LTRIM', key(g), intArg(g), intArg(g)]],
  [1, g => ['LPOS', key(g), member(g), ...maybe(g, 0.4, () => ['RANK', intArg(g)]), ...maybe(g, 0.4, () => ['COUNT', intArg(g)]), ...maybe(g, 0.2, () => ['MAXLEN', intArg(g)])]],
  [1, g => ['LMOVE', key(g), key(g), g.pick(['LEFT', 'RIGHT']), g.pick(['LEFT', 'RIGHT', 'UP'])]],
  [1, g => ['RPOPLPUSH', key(g), key(g)]],
  [1, g => ['LMPOP', g.pick(['1', '2', '0']), key(g), key(g), g.pick(['LEFT', 'RIGHT']), ...maybe(g, 0.4, () => ['COUNT', intArg(g)])]],
  [1, g => [g.pick(['BLPOP', 'BRPOP']), key(g), key(g), g.pick(['0.01', '-1', 'x'])]],
  // ---- sets
  [5, g => ['SADD', key(g), ...g.some(3, () => [g.chance(0.5) ? g.pick(INTS) : member(g)])]],
  [2, g => ['SREM', key(g), ...g.some(2, () => [member(g)])]],
  [2, g => ({ cmd: ['SMEMBERS', key(g)], mode: 'sorted' })],
  [2, g => ['SISMEMBER', key(g), member(g)]],
  [1, g => ['SMISMEMBER', key(g), ...g.some(3, () => [member(g)])]],
  [1, g => ['SCARD', key(g)]],
  [1, g => ['SMOVE', key(g), key(g), member(g)]],
  [2, g => ({ cmd: [g.pick(['SINTER', 'SUNION', 'SDIFF']), ...g.some(3, () => [key(g)])], mode: 'sorted' })],
  [1, g => [g.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), key(g), ...g.some(3, () => [key(g)])]],
  [1, g => ['SINTERCARD', g.pick(['1', '2', '3', '0']), key(g), key(g), ...maybe(g, 0.3, () => ['LIMIT', intArg(g)])]],
  // (no SPOP: which members it removes is random, and the streams would diverge after it)
  [1, g => ({ cmd: ['SRANDMEMBER', key(g), ...maybe(g, 0.6, () => [g.pick(['0', '1', '10', '-3'])])], mode: 'len' })],
  // ---- sorted sets
  [6, g => ['ZADD', key(g), ...maybe(g, 0.3, () => [g.pick(['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'])]), ...maybe(g, 0.15, () => [g.pick(['NX', 'XX', 'GT', 'CH'])]), ...g.some(3, () => [numArg(g), member(g)])]],
  [2, g => ['ZINCRBY', key(g), numArg(g), member(g)]],
  [2, g => ['ZREM', key(g), ...g.some(2, () => [member(g)])]],
  [2, g => ['ZSCORE', key(g), member(g)]],
  [1, g => ['ZMSCORE', key(g), ...g.some(3, () => [member(g)])]],
  [1, g => ['ZCARD', key(g)]],
  [2, g => [g.pick(['ZRANK', 'ZREVRANK']), key(g), member(g)]],
  [1, g => ['ZCOUNT', key(g), scoreBound(g), scoreBound(g)]],
  // lex ranges are only defined when all scores are equal (else a skiplist's answer depends on its random levels):
  // they go to their own key 'z', whose members all score 0
  [2, g => ['ZADD', 'z', ...g.some(3, () => ['0', member(g)])]],
  [1, g => ['ZLEXCOUNT', 'z', lexBound(g), lexBound(g)]],
  [3, g => [...g.pick([
    () => ['ZRANGE', key(g), intArg(g), intArg(g)],
    () => ['ZRANGE', key(g), scoreBound(g), scoreBound(g), 'BYSCORE'],
    () => ['ZRANGE', 'z', lexBound(g), lexBound(g), 'BYLEX'],
  ])(), ...maybe(g, 0.3, () => ['REV']), ...maybe(g, 0.3, () => ['LIMIT', intArg(g), intArg(g)]), ...maybe(g, 0.4, () => ['WITHSCORES'])]],
  [1, g => [g.pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']), key(g), scoreBound(g), scoreBound(g), ...maybe(g, 0.4, () => ['WITHSCORES']), ...maybe(g, 0.3, () => ['LIMIT', intArg(g), intArg(g)])]],
  [1, g => [g.pick(['ZRANGEBYLEX', 'ZREVRANGEBYLEX']), 'z', lexBound(g), lexBound(g), ...maybe(g, 0.3, () => ['LIMIT', intArg(g), intArg(g)])]],
  [1, g => ['ZRANGESTORE', key(g), key(g), intArg(g), intArg(g)]],
  [1, g => g.pick([() => ['ZREMRANGEBYRANK', key(g), intArg(g), intArg(g)], () => ['ZREMRANGEBYSCORE', key(g), scoreBound(g), scoreBound(g)], () => ['ZREMRANGEBYLEX', 'z', lexBound(g), lexBound(g)]])()],
  [2, g => [g.pick(['ZPOPMIN', 'ZPOPMAX']), key(g), ...maybe(g, 0.4, () => [intArg(g)])]],
  [1, g => ['ZMPOP', g.pick(['1', '2']), key(g), key(g), g.pick(['MIN', 'MAX']), ...maybe(g, 0.4, () => ['COUNT', intArg(g)])]],
  [1, g => [g.pick(['BZPOPMIN', 'BZPOPMAX']), key(g), g.pick(['0.01', 'x'])]],
  [2, g => [g.pick(['ZUNION', 'ZINTER', 'ZDIFF']), g.pick(['1', '2']), key(g), key(g), ...maybe(g, 0.3, () => ['WEIGHTS', numArg(g), numArg(g)]), ...maybe(g, 0.3, () => ['AGGREGATE', g.pick(['SUM', 'MIN', 'MAX'])]), ...maybe(g, 0.5, () => ['WITHSCORES'])]],
  [1, g => [g.pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']), key(g), g.pick(['1', '2']), key(g), key(g), ...maybe(g, 0.3, () => ['WEIGHTS', numArg(g), numArg(g)])]],
  [1, g => ['ZINTERCARD', g.pick(['1', '2']), key(g), key(g)]],
  [1, g => ({ cmd: ['ZSCAN', key(g), '0', ...maybe(g, 0.5, () => ['MATCH', g.pick(PATTERNS)])], mode: 'scan' })],
  [1, g => ({ cmd: ['ZRANDMEMBER', key(g), ...maybe(g, 0.6, () => [g.pick(['1', '10', '-3', '0']), ...maybe(g, 0.5, () => ['WITHSCORES'])])], mode: 'len' })],
  // ---- geo
  [1, g => ['GEOADD', key(g), ...maybe(g, 0.2, () => [g.pick(['NX', 'XX', 'CH'])]), ...g.some(2, () => [g.pick(['13.361389', '15.087269', '-122.27652', '200', 'x']), g.pick(['38.115556', '37.502669', '37.805186', '86']), member(g)])]],
  [1, g => ['GEOPOS', key(g), ...g.some(2, () => [member(g)])]],
  [1, g => ['GEODIST', key(g), member(g), member(g), ...maybe(g, 0.5, () => [g.pick(['m', 'km', 'mi', 'ft', 'x'])])]],
  [1, g => ['GEOHASH', key(g), ...g.some(2, () => [member(g)])]],
  [1, g => ['GEOSEARCH', key(g), ...g.pick([['FROMMEMBER', member(g)], ['FROMLONLAT', '15', '37']]), ...g.pick([['BYRADIUS', g.pick(['200', '1000', '0']), 'km'], ['BYBOX', '400', '400', 'km']]), ...maybe(g, 0.5, () => [g.pick(['ASC', 'DESC'])]), ...maybe(g, 0.4, () => ['WITHCOORD', 'WITHDIST', 'WITHHASH']), ...maybe(g, 0.3, () => ['COUNT', g.pick(['1', '2', '0'])])]],
  // ---- streams (explicit IDs only: auto IDs depend on the clock)
  [4, g => ['XADD', key(g), ...maybe(g, 0.2, () => ['NOMKSTREAM']), ...maybe(g, 0.2, () => [g.pick(['MAXLEN', 'MINID']), g.pick(['=', '~', '2', '0']), g.pick(['2', '1-1', '0', 'x'])]), g.pick(['1-1', '1-2', '2-0', '3-5', '4-*', '5', '0-0', '6-1', 'x']), ...g.some(2, () => [member(g), value(g)])]],
  [2, g => [g.pick(['XRANGE', 'XREVRANGE']), key(g), streamId(g), streamId(g), ...maybe(g, 0.3, () => ['COUNT', intArg(g)])]],
  [1, g => ['XLEN', key(g)]],
  [1, g => ['XDEL', key(g), ...g.some(2, () => [streamId(g)])]],
  [1, g => ['XTRIM', key(g), g.pick(['MAXLEN', 'MINID', 'x']), ...maybe(g, 0.3, () => [g.pick(['=', '~'])]), g.pick(['1', '0', '2-0', 'x'])]],
  [1, g => ['XREAD', ...maybe(g, 0.3, () => ['COUNT', intArg(g)]), 'STREAMS', key(g), g.pick(['0', '1-1', '$', 'x'])]],
  [1, g => ['XGROUP', 'CREATE', key(g), g.pick(['g1', 'g2']), g.pick(['0', '$', '1-1', 'x']), ...maybe(g, 0.4, () => ['MKSTREAM']), ...maybe(g, 0.2, () => ['ENTRIESREAD', intArg(g)])]],
  [1, g => ['XGROUP', g.pick(['DESTROY', 'CREATECONSUMER', 'DELCONSUMER', 'SETID']), key(g), g.pick(['g1', 'g2']), g.pick(['c1', '0', '$'])]],
  [2, g => ['XREADGROUP', 'GROUP', g.pick(['g1', 'g2']), g.pick(['c1', 'c2']), ...maybe(g, 0.3, () => ['COUNT', g.pick(['1', '2'])]), ...maybe(g, 0.2, () => ['NOACK']), 'STREAMS', key(g), g.pick(['>', '>', '0', '1-1'])]],
  [1, g => ['XACK', key(g), g.pick(['g1', 'g2']), ...g.some(2, () => [streamId(g)])]],
  [1, g => ['XPENDING', key(g), g.pick(['g1', 'g2'])]],
  [1, g => ['XCLAIM', key(g), g.pick(['g1', 'g2']), g.pick(['c1', 'c2']), '0', ...g.some(2, () => [streamId(g)]), ...maybe(g, 0.5, () => ['JUSTID'])]],
  [1, g => ['XAUTOCLAIM', key(g), g.pick(['g1', 'g2']), g.pick(['c1', 'c2']), '0', g.pick(['0', '1-1', '-']), ...maybe(g, 0.3, () => ['COUNT', g.pick(['1', '5'])]), ...maybe(g, 0.3, () => ['JUSTID'])]],
  [1, g => ['XINFO', 'STREAM', key(g)]],
  [1, g => ['XINFO', 'GROUPS', key(g)]],
  [1, g => ['XSETID', key(g), g.pick(['10-0', '1-1', '0-0', 'x']), ...maybe(g, 0.3, () => ['ENTRIESADDED', g.pick(['10', '0'])])]],
  // ---- sort
  [2, g => {
    const by = maybe(g, 0.3, () => ['BY', g.pick(['nosort', 'w_*', 'h*->f', 'x'])]);
    const cmd = ['SORT', key(g), ...by, ...maybe(g, 0.3, () => ['LIMIT', intArg(g), intArg(g)]), ...maybe(g, 0.3, () => ['GET', g.pick(['#', 'w_*', 'h*->f'])]), ...maybe(g, 0.3, () => [g.pick(['ASC', 'DESC'])]), ...maybe(g, 0.4, () => ['ALPHA'])];
    // Not sorting (BY a constant) returns a set in dict order; ALPHA BY a pattern leaves ties (every w_* and h*->f is
    // missing) in input order, which for sets and sorted sets is dict order too. Only the count is compared then.
    return by.length && (!String(by[1]).includes('*') || cmd.includes('ALPHA')) ? { cmd, mode: 'len' } : [...cmd, ...maybe(g, 0.2, () => ['STORE', key(g)])];
  }],
  // ---- scripting: any generated command through redis.pcall, and a few conversions
  [4, g => ['EVAL', 'return redis.pcall(unpack(ARGV))', '0', ...gen1(g, true)]],
  [1, g => ['EVAL', g.pick([
    'return {1, 2.5, "x", true, false, nil, {err="e"}}',
    'redis.setresp(3); return redis.pcall(unpack(ARGV))',
    'return redis.call(unpack(ARGV))',
    'return type(redis.pcall(unpack(ARGV)))',
    'local r = redis.pcall(unpack(ARGV)); if type(r) == "table" then return cjson.encode(r) end; return r',
  ]), '0', ...gen1(g, true)]],
  // ---- big collections: past the listpack/intset limits, so encodings convert (and OBJECT ENCODING shows it)
  [1, g => {
    const n = g.pick([100, 130, 200, 520]);
    const ints = (i: number) => String(i * 3 - 50);
    const mems = (i: number) => (g.chance(0.5) ? 'm' : 'n') + (i % 300);
    switch (g.int(4)) {
      case 0: return ['RPUSH', key(g), ...Array.from({ length: n }, (_, i) => mems(i))];
      case 1: return ['SADD', key(g), ...Array.from({ length: n }, (_, i) => (g.chance(0.9) ? ints(i) : mems(i)))];
      case 2: return ['ZADD', key(g), ...Array.from({ length: n }, (_, i) => [String(i % 17), mems(i)]).flat()];
      default: return ['HSET', key(g), ...Array.from({ length: n }, (_, i) => [mems(i), ints(i)]).flat()];
    }
  }],
  [2, g => ['OBJECT', 'ENCODING', key(g)]],
  // ---- Lua values converted to replies (spec 2.2), and redis.call replies converted to Lua and back (2.1)
  [3, g => ['EVAL', (g.chance(0.3) ? 'redis.setresp(3); ' : '') + 'return ' + luaValue(g, 0), '0']],
  // ---- key extraction from the command table's key specs
  [1, g => ['COMMAND', 'GETKEYS', ...gen1(g, true)]],
  // ---- encoding thresholds (randomCommands restores every one a stream changed)
  [1, g => {
    const [name, values] = g.pick(Object.entries(CONFIGS));
    return ['CONFIG', 'SET', name, g.pick(values)];
  }],
  [1, g => ['XINFO', 'STREAM', key(g), 'FULL', ...maybe(g, 0.5, () => ['COUNT', g.pick(['1', '0', '2'])])]],
  // ---- transactions
  [1, () => ['MULTI']],
  [1, () => ['EXEC']],
  [1, () => ['DISCARD']],
  [1, g => ['WATCH', key(g)]],
  [1, () => ['FLUSHDB']],
];

const TOTAL = COMMANDS.reduce((s, [w]) => s + w, 0);
/** commands whose arguments can leave a connection in a state the rest of the stream does not expect */
const NOT_IN_SCRIPTS = new Set(['MULTI', 'EXEC', 'DISCARD', 'WATCH', 'SELECT', 'EVAL', 'BLPOP', 'BRPOP', 'BZPOPMIN', 'BZPOPMAX']);

function gen1(g: Gen, forScript = false): Arg[] {
  for (;;) {
    let r = g.int(TOTAL);
    let i = 0;
    while (r >= COMMANDS[i][0]) r -= COMMANDS[i++][0];
    const out = COMMANDS[i][1](g);
    const cmd = Array.isArray(out) ? out : out.cmd;
    if (forScript && (NOT_IN_SCRIPTS.has(String(cmd[0])) || !Array.isArray(out))) continue;
    return cmd;
  }
}

/** The command stream of one seed. */
export function randomCommands(seed: number, n: number): Cmd[] {
  const g = new Gen(prng(seed));
  const out: Cmd[] = [];
  let inMulti = false;
  while (out.length < n) {
    let r = g.int(TOTAL);
    let i = 0;
    while (r >= COMMANDS[i][0]) r -= COMMANDS[i++][0];
    const c = COMMANDS[i][1](g);
    const name = String((Array.isArray(c) ? c : c.cmd)[0]);
    // EXEC replies every queued reply: a queued command must be one compared exactly
    if (inMulti && !Array.isArray(c)) continue;
    if (name === 'MULTI') inMulti = true;
    else if (name === 'EXEC' || name === 'DISCARD') inMulti = false;
    out.push(Array.isArray(c) ? c : { cmd: c.cmd, mode: c.mode });
  }
  // leave the server as it was: the next stream (or case) runs on the same server
  const touched = new Set(out.map(c => (Array.isArray(c) ? c : c.cmd)).filter(c => c[0] === 'CONFIG').map(c => String(c[2])));
  if (touched.size) out.push(...(inMulti ? [['DISCARD']] : []), ...[...touched].map(name => ['CONFIG', 'SET', name, CONFIGS[name][0]]));
  return out;
}
