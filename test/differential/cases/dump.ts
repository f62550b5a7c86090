// Differential cases: DUMP payloads byte for byte, RESTORE of Redis and legacy payloads, and every RESTORE/MIGRATE error (cluster.c, rdb.c).
import type { Suite, Cmd } from '../harness.js';
import { payload, blob, buildZiplist, buildZipmap } from '../../persistence/builders.js';
import { RDB_TYPE } from '../../../src/persistence/rdb-io.js';
import { streamNodeListpack } from '../../../src/persistence/rdb-object.js';
import { Stream, idKey } from '../../../src/store/stream.js';

const many = (n: number, f: (i: number) => string[]): string[] => Array.from({ length: n }, (_, i) => f(i)).flat();

/** DUMP k, RESTORE it as k2, and read both back */
const roundTrip = (reads: Cmd[]): Cmd[] => [['DUMP', 'k'], ['OBJECT', 'ENCODING', 'k'], ...reads];

// legacy payloads (types 7.0 no longer writes), as older Redis versions wrote them
const zipmapHash = payload(RDB_TYPE.HASH_ZIPMAP, blob(buildZipmap([['f1', 'v1'], ['name', 'redis'], ['n', '42']])));
const ziplistList = payload(RDB_TYPE.LIST_ZIPLIST, blob(buildZiplist(['a', 1, 'hello', 300, -5, 'x'.repeat(70)])));
const ziplistZset = payload(RDB_TYPE.ZSET_ZIPLIST, blob(buildZiplist(['a', 1, 'b', '2.5', 'c', 3])));
const ziplistHash = payload(RDB_TYPE.HASH_ZIPLIST, blob(buildZiplist(['f', 'v', 'n', 7, 'long', 'y'.repeat(100)])));
const quicklistV1 = payload(RDB_TYPE.LIST_QUICKLIST, w => {
  w.saveLen(2);
  w.saveString(buildZiplist(['a', 'b', 1]));
  w.saveString(buildZiplist([2, 'c']));
});
const listV0 = payload(RDB_TYPE.LIST, w => {
  w.saveLen(3);
  for (const s of ['x', '12', 'zz']) w.saveString(s);
});
const zsetV1 = payload(RDB_TYPE.ZSET, w => {
  w.saveLen(3);
  w.saveString('a');
  w.saveDoubleValue(1.5);
  w.saveString('b');
  w.saveDoubleValue(-Infinity);
  w.saveString('c');
  w.saveDoubleValue(10);
});
const setV0 = payload(RDB_TYPE.SET, w => {
  w.saveLen(3);
  for (const s of ['3', '1', '2']) w.saveString(s);
});
const setMixed = payload(RDB_TYPE.SET, w => {
  w.saveLen(2);
  for (const s of ['1', 'a']) w.saveString(s);
});
const hashV0 = payload(RDB_TYPE.HASH, w => {
  w.saveLen(2);
  for (const s of ['f1', 'v1', 'f2', '2']) w.saveString(s);
});
/** STREAM_LISTPACKS (RDB 9, Redis 5-6): no first/max-deleted IDs, no entries_added, no group offsets. */
const streamV1 = (() => {
  const st = new Stream();
  for (let i = 1; i <= 4; i++) st.append(100 + i, 0, [Buffer.from('f'), Buffer.from('v' + i)], 100, 4096);
  st.delete(102, 0);
  return payload(RDB_TYPE.STREAM_LISTPACKS, w => {
    w.saveLen(1);
    w.saveString(idKey(101, 0));
    w.saveString(streamNodeListpack(st.nodes[0]));
    w.saveLen(3);
    w.saveLen(104);
    w.saveLen(0);
    w.saveLen(1); // one group
    w.saveString('grp');
    w.saveLen(103);
    w.saveLen(0);
    w.saveLen(1); // its PEL
    w.raw(idKey(103, 0));
    w.saveMillis(1600000000000);
    w.saveLen(3);
    w.saveLen(1); // one consumer
    w.saveString('alice');
    w.saveMillis(1600000000123);
    w.saveLen(1);
    w.raw(idKey(103, 0));
  });
})();

/** DUMP of LPUSH k a1 … a10 from redis-server 7.0.15 with list-max-listpack-size 3: a partial head node, then full ones */
const lpushPayload = Buffer.from('1204020c0c00000001008361313004ff0213130000000300826139038261380382613703ff0213130000000300826136038261350382613403ff0213130000000300826133038261320382613103ff0a00cc8eeee54b411054', 'hex');

const SANITIZATIONS = "return string.match(redis.call('INFO', 'stats'), 'dump_payload_sanitizations:%d+')";

// corrupt payloads with a valid footer
const dupSet = payload(RDB_TYPE.SET, w => {
  w.saveLen(2);
  w.saveString('1');
  w.saveString('1');
});
const dupHash = payload(RDB_TYPE.HASH, w => {
  w.saveLen(2);
  for (const s of ['f', 'a', 'f', 'b']) w.saveString(s);
});
const nanZset = payload(RDB_TYPE.ZSET_2, w => {
  w.saveLen(1);
  w.saveString('a');
  w.saveBinaryDouble(NaN);
});
const emptyList = payload(RDB_TYPE.LIST, w => w.saveLen(0));
const truncated = payload(RDB_TYPE.STRING, w => w.raw(Buffer.from([10, 65, 66])));
const badType = payload(8, w => w.saveString('x'));
const moduleType = payload(RDB_TYPE.MODULE_2, w => w.saveLen(12345));
const badZiplist = payload(RDB_TYPE.LIST_ZIPLIST, blob(Buffer.from('0b000000ffffffff0000ff', 'hex')));
const oddPairs = payload(RDB_TYPE.HASH_ZIPLIST, blob(buildZiplist(['f', 'v', 'x'])));
const futureVersion = payload(RDB_TYPE.STRING, w => w.saveString('v'), 11);
const olderVersion = payload(RDB_TYPE.STRING, w => w.saveString('v'), 9);
const strPayload = payload(RDB_TYPE.STRING, w => w.saveString('value'));
const badCrc = Buffer.from(strPayload);
badCrc[badCrc.length - 1] ^= 1;

export const suite: Suite = {
  name: 'dump',
  cases: [
    { name: 'dump missing and strings', cmds: [['DUMP', 'nokey'], ['SET', 'k', 'hello'], ['DUMP', 'k'], ['SET', 'k', '12'], ['DUMP', 'k'], ['SET', 'k', '-32768'], ['DUMP', 'k'], ['SET', 'k', '4294967296'], ['DUMP', 'k'], ['INCRBY', 'k', '5'], ['DUMP', 'k'], ['SET', 'k', '007'], ['DUMP', 'k'], ['SET', 'k', 'a'.repeat(200)], ['DUMP', 'k'], ['SET', 'k', ''], ['DUMP', 'k'], ['DUMP'], ['DUMP', 'a', 'b']] },
    { name: 'dump rdbcompression no', resp: [2], cmds: [['CONFIG', 'SET', 'rdbcompression', 'no'], ['SET', 'k', 'a'.repeat(200)], ['DUMP', 'k'], ['RPUSH', 'l', ...many(50, i => ['item' + i])], ['DUMP', 'l'], ['CONFIG', 'SET', 'rdbcompression', 'yes']] },
    { name: 'dump list', resp: [2], cmds: [['RPUSH', 'k', 'a', 'b', '1', '-1', '300', '70000', 'x'.repeat(100)], ...roundTrip([['LRANGE', 'k', '0', '-1']]), ['DEL', 'k'], ['RPUSH', 'k', ...many(2000, i => ['element:' + i])], ['DUMP', 'k']] },
    { name: 'restored list keeps its nodes', cmds: [['RESTORE', 'k', '0', lpushPayload], ['DUMP', 'k'], ['LRANGE', 'k', '0', '-1'], ['RPUSH', 'k', 'z'], ['RPOP', 'k'], { cmd: ['DUMP', 'k'], mode: 'type' }] },
    { name: 'dump list fill by count', cmds: [['CONFIG', 'SET', 'list-max-listpack-size', '4'], ['RPUSH', 'k', ...many(11, i => ['e' + i])], ['DUMP', 'k'], ['CONFIG', 'SET', 'list-max-listpack-size', '-2']] },
    { name: 'dump list compressed nodes', resp: [2], cmds: [['CONFIG', 'SET', 'list-compress-depth', '1'], ['RPUSH', 'k', ...many(3000, i => ['value-' + i])], ['DUMP', 'k'], ['CONFIG', 'SET', 'list-compress-depth', '0']] },
    { name: 'dump sets', cmds: [['SADD', 'k', '5', '1', '-3', '100000'], ...roundTrip([['SMEMBERS', 'k']]), ['SADD', 'k', '9223372036854775807'], ['DUMP', 'k'], ['SADD', 's', 'only'], ['DUMP', 's']] },
    { name: 'dump zsets', cmds: [['ZADD', 'k', '1', 'a', '2.5', 'b', '-3', 'c', 'inf', 'd', '-inf', 'e', '0.1', 'f', '1e100', 'g', '-0', 'h'], ...roundTrip([['ZRANGE', 'k', '0', '-1', 'WITHSCORES']]), ['ZADD', 'z', ...many(200, i => [String(i / 4), 'member' + i])], ['DUMP', 'z'], ['OBJECT', 'ENCODING', 'z']] },
    { name: 'dump hashes', cmds: [['HSET', 'k', 'f1', 'v1', 'n', '12', 'big', 'z'.repeat(60)], ['HDEL', 'k', 'n'], ['HSET', 'k', 'n2', '-7'], ...roundTrip([['HGETALL', 'k']])] },
    {
      name: 'dump streams',
      cmds: [
        ['XADD', 'k', '1-1', 'a', '1', 'b', 'two'], ['XADD', 'k', '1-2', 'a', '3', 'b', '4'], ['XADD', 'k', '5-0', 'c', 'x'.repeat(80)], ['XDEL', 'k', '1-2'], ['DUMP', 'k'],
        ['XGROUP', 'CREATE', 'k', 'g1', '0'], ['XGROUP', 'CREATE', 'k', 'g0', '$', 'ENTRIESREAD', '2'], ['DUMP', 'k'],
        ['CONFIG', 'SET', 'stream-node-max-entries', '2'],
        ['XADD', 's', '1-0', 'f', 'v'], ['XADD', 's', '2-0', 'f', 'v'], ['XADD', 's', '3-0', 'g', 'v'], ['XADD', 's', '4-0', 'f', 'v'], ['XADD', 's', '5-0', 'f', 'v'], ['XTRIM', 's', 'MAXLEN', '2'], ['DUMP', 's'],
        ['CONFIG', 'SET', 'stream-node-max-entries', '100'], ['XADD', 'e', '1-1', 'a', 'b'], ['XDEL', 'e', '1-1'], ['DUMP', 'e'],
      ],
    },
    {
      name: 'restore round trips',
      cmds: [
        ['RPUSH', 'l', 'a', 'b'], ['SADD', 's', 'x', 'y'], ['ZADD', 'z', '1', 'm'], ['HSET', 'h', 'f', 'v'], ['XADD', 'x', '1-1', 'f', 'v'], ['SET', 'str', 'v'],
        ['EVAL', "for _, k in ipairs(KEYS) do redis.call('RESTORE', k .. ':copy', 0, redis.call('DUMP', k)) end return redis.call('DBSIZE')", '6', 'l', 's', 'z', 'h', 'x', 'str'],
        ['LRANGE', 'l:copy', '0', '-1'], { cmd: ['SMEMBERS', 's:copy'], mode: 'sorted' }, ['ZRANGE', 'z:copy', '0', '-1', 'WITHSCORES'], ['HGETALL', 'h:copy'], ['XRANGE', 'x:copy', '-', '+'], ['GET', 'str:copy'],
        ['OBJECT', 'ENCODING', 's:copy'], ['TYPE', 'x:copy'],
      ],
    },
    {
      name: 'restore options and errors',
      cmds: [
        ['RESTORE', 'k', '0', strPayload], ['GET', 'k'], ['RESTORE', 'k', '0', strPayload], ['RESTORE', 'k', '0', strPayload, 'REPLACE'], ['RESTORE', 'k', 'x', strPayload, 'REPLACE'], ['RESTORE', 'k', '-1', strPayload, 'REPLACE'],
        ['RESTORE', 'n', '-1', strPayload], ['RESTORE', 'n', '1.5', strPayload], ['RESTORE', 'n', '0', badCrc], ['RESTORE', 'n', '0', 'short'], ['RESTORE', 'n', '0', ''], ['RESTORE', 'n', '0', futureVersion], ['RESTORE', 'n', '0', olderVersion], ['GET', 'n'],
        ['RESTORE', 'n2', '0', strPayload, 'FOO'], ['RESTORE', 'n2', '0', strPayload, 'IDLETIME'], ['RESTORE', 'n2', '0', strPayload, 'IDLETIME', '-1'], ['RESTORE', 'n2', '0', strPayload, 'IDLETIME', 'x'], ['RESTORE', 'n2', '0', strPayload, 'FREQ', '256'], ['RESTORE', 'n2', '0', strPayload, 'FREQ', '-1'], ['RESTORE', 'n2', '0', strPayload, 'FREQ', 'x'],
        ['RESTORE', 'n2', '0', strPayload, 'FREQ', '1', 'IDLETIME', '1'], ['RESTORE', 'n2', '0', strPayload, 'IDLETIME', '1', 'FREQ', '1'], ['RESTORE', 'k', '0', strPayload, 'FREQ', '256'], ['RESTORE', 'k', 'x', badCrc], ['EXISTS', 'n2'],
        ['RESTORE', 't', '100000', strPayload], { cmd: ['PTTL', 't'], mode: 'type' }, ['RESTORE', 't2', '4102444800000', strPayload, 'ABSTTL'], ['PEXPIRETIME', 't2'], ['RESTORE', 't3', '1000', strPayload, 'ABSTTL'], ['EXISTS', 't3'],
        ['RESTORE', 'k', '1000', strPayload, 'ABSTTL', 'REPLACE'], ['EXISTS', 'k'], ['RESTORE', 'i', '0', strPayload, 'IDLETIME', '1000'], ['OBJECT', 'IDLETIME', 'i'], ['RESTORE', 'i', '0', strPayload, 'idletime', '5', 'replace', 'absttl'], ['OBJECT', 'IDLETIME', 'i'],
        ['RESTORE'], ['RESTORE', 'k', '0'], ['RESTORE-ASKING', 'ra', '0', strPayload], ['GET', 'ra'],
      ],
    },
    {
      name: 'restore freq under lfu',
      cmds: [
        ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['RESTORE', 'k', '0', strPayload, 'FREQ', '100'], ['OBJECT', 'FREQ', 'k'], ['RESTORE', 'k2', '0', strPayload], ['OBJECT', 'FREQ', 'k2'], ['RESTORE', 'k3', '0', strPayload, 'IDLETIME', '10'], ['OBJECT', 'FREQ', 'k3'],
        ['OBJECT', 'IDLETIME', 'k'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['RESTORE', 'k4', '0', strPayload, 'FREQ', '7'], ['OBJECT', 'FREQ', 'k4'],
      ],
    },
    {
      name: 'restore legacy encodings',
      cmds: [
        ['RESTORE', 'zm', '0', zipmapHash], ['HGETALL', 'zm'], ['OBJECT', 'ENCODING', 'zm'], ['DUMP', 'zm'],
        ['RESTORE', 'zl', '0', ziplistList], ['LRANGE', 'zl', '0', '-1'], ['DUMP', 'zl'],
        ['RESTORE', 'zz', '0', ziplistZset], ['ZRANGE', 'zz', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'zz'], ['DUMP', 'zz'],
        ['RESTORE', 'zh', '0', ziplistHash], ['HGETALL', 'zh'], ['OBJECT', 'ENCODING', 'zh'], ['DUMP', 'zh'],
        // Redis keeps a loaded quicklist's nodes as they were: so does DUMP while the list is unchanged, not after a push
        ['RESTORE', 'ql', '0', quicklistV1], ['LRANGE', 'ql', '0', '-1'], ['DUMP', 'ql'], ['LSET', 'ql', '0', 'a'], ['DUMP', 'ql'],
        ['RESTORE', 'l0', '0', listV0], ['LRANGE', 'l0', '0', '-1'], ['DUMP', 'l0'],
        ['RESTORE', 'z1', '0', zsetV1], ['ZRANGE', 'z1', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'z1'], ['DUMP', 'z1'],
        ['RESTORE', 's0', '0', setV0], ['SMEMBERS', 's0'], ['OBJECT', 'ENCODING', 's0'], ['DUMP', 's0'],
        ['RESTORE', 'sm', '0', setMixed], ['OBJECT', 'ENCODING', 'sm'], { cmd: ['SMEMBERS', 'sm'], mode: 'sorted' },
        ['RESTORE', 'h0', '0', hashV0], ['HGETALL', 'h0'], ['OBJECT', 'ENCODING', 'h0'], ['DUMP', 'h0'],
        ['RESTORE', 'sv1', '0', streamV1], ['XRANGE', 'sv1', '-', '+'], ['XINFO', 'GROUPS', 'sv1'], ['XPENDING', 'sv1', 'grp'], ['XINFO', 'STREAM', 'sv1'], ['DUMP', 'sv1'],
      ],
    },
    {
      name: 'restore applies load thresholds',
      cmds: [
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'], ['CONFIG', 'SET', 'set-max-intset-entries', '2'],
        ['RESTORE', 'zh', '0', ziplistHash], ['OBJECT', 'ENCODING', 'zh'], ['RESTORE', 'zz', '0', ziplistZset], ['OBJECT', 'ENCODING', 'zz'], ['RESTORE', 's0', '0', setV0], ['OBJECT', 'ENCODING', 's0'], ['RESTORE', 'zm', '0', zipmapHash], ['OBJECT', 'ENCODING', 'zm'],
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'], ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
        ['CONFIG', 'SET', 'hash-max-listpack-value', '10'], ['RESTORE', 'zh2', '0', ziplistHash], ['OBJECT', 'ENCODING', 'zh2'], ['RESTORE', 'h02', '0', payload(RDB_TYPE.HASH, w => { w.saveLen(1); w.saveString('f'); w.saveString('v'.repeat(11)); })], ['OBJECT', 'ENCODING', 'h02'], ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
      ],
    },
    {
      name: 'restore bad data',
      cmds: [
        ['RESTORE', 'b', '0', dupSet], ['CONFIG', 'SET', 'sanitize-dump-payload', 'yes'], ['RESTORE', 'b', '0', dupHash], ['CONFIG', 'SET', 'sanitize-dump-payload', 'no'], ['RESTORE', 'b', '0', nanZset], ['RESTORE', 'b', '0', emptyList], ['RESTORE', 'b', '0', truncated], ['RESTORE', 'b', '0', badType],
        ['RESTORE', 'b', '0', moduleType], ['RESTORE', 'b', '0', badZiplist], ['RESTORE', 'b', '0', oddPairs], ['EXISTS', 'b'], ['DBSIZE'],
      ],
    },
    {
      name: 'sanitize-dump-payload counts dump_payload_sanitizations per validated blob',
      cmds: [
        ['CONFIG', 'RESETSTAT'], ['CONFIG', 'SET', 'sanitize-dump-payload', 'yes'], ['HSET', 'h', 'f', 'v'], ['SADD', 's', '1', '2'], ['ZADD', 'z', '1', 'a'], ['XADD', 'x', '1-1', 'f', 'v'], ['SET', 'str', 'v'], ['RPUSH', 'l', 'a', 'b'],
        ['EVAL', "for _, k in ipairs(KEYS) do redis.call('RESTORE', k .. ':c', 0, redis.call('DUMP', k)) end", '6', 'h', 's', 'z', 'x', 'str', 'l'],
        ['RESTORE', 'lp', '0', lpushPayload], ['RESTORE', 'zl', '0', ziplistList], ['EVAL', SANITIZATIONS, '0'],
        ['CONFIG', 'SET', 'sanitize-dump-payload', 'no'], ['RESTORE', 'lp2', '0', lpushPayload], ['EVAL', SANITIZATIONS, '0'],
        ['CONFIG', 'SET', 'sanitize-dump-payload', 'clients'], ['RESTORE', 'lp3', '0', lpushPayload], ['EVAL', SANITIZATIONS, '0'], ['CONFIG', 'SET', 'sanitize-dump-payload', 'no'],
      ],
    },
    {
      name: 'migrate argument errors',
      cmds: [
        ['MIGRATE', '127.0.0.1', '1', 'nokey', '0', '1000'], ['MIGRATE', '127.0.0.1', '1', '', '0', '1000', 'KEYS', 'a', 'b'], ['SET', 'a', '1'], ['MIGRATE', '127.0.0.1', '1', 'a', '0', '1000', 'KEYS', 'a'],
        ['MIGRATE', '127.0.0.1', '1', 'a', '0', '1000', 'FOO'], ['MIGRATE', '127.0.0.1', '1', 'a', '0', '1000', 'AUTH'], ['MIGRATE', '127.0.0.1', '1', 'a', '0', '1000', 'AUTH2', 'u'], ['MIGRATE', '127.0.0.1', '1', 'a', 'x', '1000'],
        ['MIGRATE', '127.0.0.1', '1', 'a', '0', 'x'], ['MIGRATE', '127.0.0.1', '1', 'a'],
      ],
    },
  ],
};
