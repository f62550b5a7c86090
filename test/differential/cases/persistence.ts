// Differential cases for RDB persistence: DEBUG DIGEST over every type and encoding, SAVE/BGSAVE/LASTSAVE/DEBUG RELOAD replies, persistence configs.
import type { Suite, Cmd } from '../harness.js';

const many = (prefix: string, n: number, f: (i: number) => (string | number)[]): (string | number)[] => {
  const out: (string | number)[] = [];
  for (let i = 0; i < n; i++) out.push(...f(i).map(x => (typeof x === 'string' ? x.replace('$', prefix) : x)));
  return out;
};

/** A dataset with every type in every encoding 7.0 has, expiries, binary keys and several dbs. */
export const DATASET: Cmd[] = [
  ['SET', 'str:int', '12345'],
  ['SET', 'str:neg', '-9223372036854775808'],
  ['SET', 'str:embstr', 'hello world'],
  ['SET', 'str:raw', 'x'.repeat(200)],
  ['SET', 'str:compressible', 'abc'.repeat(1000)],
  ['SET', Buffer.from([0, 1, 2, 255, 0x0d, 0x0a]), Buffer.from([255, 0, 254, 1])],
  ['SET', 'str:ttl', 'v', 'PXAT', '32503680000000'],
  ['RPUSH', 'list:small', 'a', 'b', '1', '-2', '300000', 'x'.repeat(70)],
  ['RPUSH', 'list:big', ...many('l', 600, i => [`element-${i}`])],
  ['SADD', 'set:intset', '1', '2', '-3', '4000000000', '70000'],
  ['SADD', 'set:hashtable', 'a', 'bb', 'ccc', '1'],
  ['SADD', 'set:bigint', ...many('s', 600, i => [String(i * 7)])],
  ['ZADD', 'zset:listpack', '1', 'a', '2.5', 'b', '-3', 'c', '1e100', 'd', 'inf', 'e', '-inf', 'f', '0', '12'],
  ['ZADD', 'zset:skiplist', ...many('z', 200, i => [i / 3, `member-${i}`])],
  ['HSET', 'hash:listpack', 'a', 'b', 'c', '12345678901', 'n', '-1'],
  ['HSET', 'hash:hashtable', ...many('h', 600, i => [`field-${i}`, `value-${i}`])],
  ['HSET', 'hash:bigvalue', 'f', 'v'.repeat(100)],
  ['XADD', 'stream', '1-1', 'a', 'b'],
  ['XADD', 'stream', '2-5', 'c', 'd', 'e', 'f'],
  ['XADD', 'stream', '3-0', 'a', 'b'],
  ['XADD', 'stream', '4-0', 'g', '1'],
  ['XDEL', 'stream', '3-0'],
  ['XGROUP', 'CREATE', 'stream', 'g1', '0'],
  ['XGROUP', 'CREATE', 'stream', 'g2', '$'],
  ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '1', 'STREAMS', 'stream', '>'],
  ['XGROUP', 'CREATECONSUMER', 'stream', 'g1', 'bob'],
  ['XADD', 'stream:empty', 'MAXLEN', '0', '5-0', 'a', 'b'],
  ['EXPIREAT', 'hash:listpack', '32503680000'],
  ['SELECT', '5'],
  ['SET', 'other-db', 'v'],
  ['RPUSH', 'list', 'a'],
  ['SELECT', '0'],
];

export const suite: Suite = {
  name: 'persistence',
  cases: [
    {
      name: 'digest of every type and encoding',
      cmds: [
        ...DATASET,
        ['DEBUG', 'DIGEST'],
        [
          'DEBUG', 'DIGEST-VALUE', 'str:int', 'str:neg', 'str:embstr', 'str:raw', 'str:compressible', 'str:ttl', 'list:small', 'list:big',
          'set:intset', 'set:hashtable', 'set:bigint', 'zset:listpack', 'zset:skiplist', 'hash:listpack', 'hash:hashtable',
          'hash:bigvalue', 'stream', 'stream:empty',
        ],
        ['DEBUG', 'DIGEST-VALUE', Buffer.from([0, 1, 2, 255, 0x0d, 0x0a])],
      ],
    },
    {
      name: 'debug reload keeps the digest',
      cmds: [
        ...DATASET,
        { cmd: ['DEBUG', 'DIGEST'], mode: 'type' },
        ['DEBUG', 'RELOAD'],
        ['DEBUG', 'DIGEST'],
        ['DEBUG', 'RELOAD', 'NOSAVE'],
        ['DEBUG', 'DIGEST'],
        ['SET', 'new', 'key'],
        ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'],
        ['DEBUG', 'DIGEST'],
        ['GET', 'new'],
        ['OBJECT', 'ENCODING', 'list:small'],
        ['OBJECT', 'ENCODING', 'set:intset'],
        ['OBJECT', 'ENCODING', 'zset:skiplist'],
        ['OBJECT', 'ENCODING', 'hash:hashtable'],
        ['OBJECT', 'ENCODING', 'str:int'],
        ['XINFO', 'GROUPS', 'stream'],
        ['DEBUG', 'RELOAD', 'bad'],
      ],
    },
    {
      name: 'save lastsave and scheduled bgsave',
      cmds: [
        ['SET', 'a', '1'],
        ['SAVE'],
        { cmd: ['LASTSAVE'], mode: 'type' },
        ['SAVE', 'x'],
        ['BGSAVE', 'SCHEDULE', 'x'],
        ['BGSAVE', 'x'],
        ['CONFIG', 'GET', 'dbfilename'],
      ],
    },
    {
      name: 'persistence configs',
      cmds: [
        ['CONFIG', 'GET', 'rdbchecksum'],
        ['CONFIG', 'GET', 'rdbcompression'],
        ['CONFIG', 'GET', 'stop-writes-on-bgsave-error'],
        ['CONFIG', 'GET', 'rdb-del-sync-files'],
        ['CONFIG', 'GET', 'rdb-key-save-delay'],
        ['CONFIG', 'GET', 'rdb-save-incremental-fsync'],
        { cmd: ['CONFIG', 'GET', 'shutdown-on-sig*'], mode: 'sortedpairs' },
        ['CONFIG', 'GET', 'shutdown-timeout'],
        ['CONFIG', 'SET', 'rdbchecksum', 'no'],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', 'save', 'nosave'],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', 'bogus'],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', 'nosave now'],
        ['CONFIG', 'GET', 'shutdown-on-sigterm'],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', 'force save'],
        ['CONFIG', 'GET', 'shutdown-on-sigterm'],
        ['CONFIG', 'SET', 'shutdown-on-sigterm', 'default'],
        ['CONFIG', 'GET', 'shutdown-on-sigterm'],
        ['CONFIG', 'SET', 'rdb-key-save-delay', '-5'],
        ['CONFIG', 'GET', 'rdb-key-save-delay'],
        ['CONFIG', 'SET', 'rdb-key-save-delay', '0'],
        ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'maybe'],
      ],
    },
    {
      // last, and once: the scheduled BGSAVE then runs from the cron, and a SAVE meanwhile would race with it
      name: 'bgsave inside a transaction is scheduled',
      resp: [3],
      cmds: [['SET', 'a', '1'], ['MULTI'], ['BGSAVE'], ['EXEC']],
    },
  ],
};
