// Differential cases: string commands (t_string.c).
import type { Suite } from '../harness.js';

const big = 'x'.repeat(20000);

export const suite: Suite = {
  name: 'strings',
  cases: [
    { name: 'get set basic', cmds: [['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'nokey'], ['SET', 'k', ''], ['GET', 'k'], ['STRLEN', 'k'], ['set', Buffer.from([0, 255, 10]), Buffer.from([1, 0, 13, 10])], ['get', Buffer.from([0, 255, 10])]] },
    { name: 'get wrongtype', cmds: [['LPUSH', 'l', 'a'], ['GET', 'l'], ['SET', 'l', 'x'], ['GET', 'l'], ['LPUSH', 'h', 'v'], ['STRLEN', 'h'], ['APPEND', 'h', 'x'], ['INCR', 'h'], ['GETRANGE', 'h', '0', '1'], ['SETRANGE', 'h', '0', 'x'], ['GETDEL', 'h'], ['GETEX', 'h'], ['GETSET', 'h', 'v'], ['INCRBYFLOAT', 'h', '1']] },
    {
      name: 'set options',
      cmds: [
        ['SET', 'k', 'v', 'NX'], ['SET', 'k', 'w', 'NX'], ['GET', 'k'], ['SET', 'k', 'w', 'XX'], ['SET', 'nk', 'w', 'XX'], ['GET', 'nk'],
        ['SET', 'k', 'a', 'NX', 'XX'], ['SET', 'k', 'a', 'XX', 'NX'], ['SET', 'k', 'a', 'EX', '10', 'PX', '100'], ['SET', 'k', 'a', 'EX'],
        ['SET', 'k', 'a', 'KEEPTTL', 'EX', '10'], ['SET', 'k', 'a', 'EX', '10', 'KEEPTTL'], ['SET', 'k', 'a', 'FOO'], ['SET', 'k', 'a', 'EXAT', '1', 'PXAT', '1'],
        ['SET', 'k', 'a', 'PERSIST'], ['SET', 'k', 'a', 'nx', 'nx'], ['SET', 'k', 'b', 'GET'], ['SET', 'k', 'c', 'GET', 'GET'], ['SET', 'nokey2', 'c', 'GET'],
        ['SET', 'k', 'z', 'NX', 'GET'], ['SET', 'k2', 'z', 'XX', 'GET'], ['GET', 'k2'], ['LPUSH', 'lst', 'x'], ['SET', 'lst', 'v', 'GET'], ['TYPE', 'lst'],
      ],
    },
    {
      name: 'set expire errors',
      cmds: [
        ['SET', 'k', 'v', 'EX', '0'], ['SET', 'k', 'v', 'EX', '-1'], ['SET', 'k', 'v', 'PX', '0'], ['SET', 'k', 'v', 'EX', 'abc'], ['SET', 'k', 'v', 'EX', '1.5'],
        ['SET', 'k', 'v', 'EX', '9223372036854775807'], ['SET', 'k', 'v', 'EX', '9223372036854775'], ['SET', 'k', 'v', 'PX', '9223372036854775807'],
        ['SET', 'k', 'v', 'EXAT', '9223372036854776'], ['SET', 'k', 'v', 'EX', '9223372036854775808'], ['SETEX', 'k', '0', 'v'], ['SETEX', 'k', '-5', 'v'], ['PSETEX', 'k', '0', 'v'],
        ['SETEX', 'k', 'x', 'v'], ['GETEX', 'k', 'EX', '0'], ['SET', 'k', 'v'], ['GETEX', 'k', 'EX', '0'], ['GETEX', 'k', 'PX', '-1'], ['GETEX', 'k', 'EX', 'x'], ['EXISTS', 'k'],
      ],
    },
    {
      name: 'set expire ttl',
      cmds: [
        ['SET', 'k', 'v', 'EX', '100'], ['TTL', 'k'], ['SET', 'k', 'v', 'PX', '100000'], ['TTL', 'k'], ['SET', 'k', 'v2', 'KEEPTTL'], ['TTL', 'k'], ['SET', 'k', 'v3'], ['TTL', 'k'],
        ['SET', 'k', 'v', 'EXAT', '4000000000'], ['EXPIRETIME', 'k'], ['SET', 'k', 'v', 'PXAT', '4000000000123'], ['PEXPIRETIME', 'k'], ['SET', 'k', 'v', 'EXAT', '1'], ['EXISTS', 'k'],
        ['SETEX', 'k', '100', 'v'], ['TTL', 'k'], ['PSETEX', 'k', '100000', 'v'], ['TTL', 'k'], ['GET', 'k'], ['SET', 'k', 'v', 'PXAT', '1', 'GET'], ['GET', 'k'],
      ],
    },
    {
      name: 'getex',
      cmds: [
        ['GETEX', 'nokey'], ['GETEX', 'nokey', 'EX', '10'], ['SET', 'k', 'v'], ['GETEX', 'k'], ['TTL', 'k'], ['GETEX', 'k', 'EX', '100'], ['TTL', 'k'], ['GETEX', 'k', 'PERSIST'], ['TTL', 'k'],
        ['GETEX', 'k', 'PX', '100000'], ['TTL', 'k'], ['GETEX', 'k', 'EXAT', '4000000000'], ['EXPIRETIME', 'k'], ['GETEX', 'k', 'PXAT', '4000000000000'], ['PEXPIRETIME', 'k'],
        ['GETEX', 'k', 'EX', '10', 'PERSIST'], ['GETEX', 'k', 'PERSIST', 'EX', '10'], ['GETEX', 'k', 'KEEPTTL'], ['GETEX', 'k', 'NX'], ['GETEX', 'k', 'EX'], ['GETEX', 'k', 'EXAT', '1'], ['EXISTS', 'k'],
      ],
    },
    { name: 'setnx getset getdel', cmds: [['SETNX', 'k', 'a'], ['SETNX', 'k', 'b'], ['GET', 'k'], ['GETSET', 'k', 'c'], ['GETSET', 'new', 'd'], ['GET', 'new'], ['GETDEL', 'k'], ['GETDEL', 'k'], ['EXISTS', 'k'], ['SET', 'e', 'v', 'EX', '100'], ['GETSET', 'e', 'x'], ['TTL', 'e']] },
    {
      name: 'mget mset msetnx',
      cmds: [
        ['MSET', 'a', '1', 'b', '2'], ['MGET', 'a', 'b', 'c'], ['MSET', 'a'], ['MSET', 'a', '1', 'b'], ['MSETNX', 'a', '1', 'z', '2'], ['MSETNX', 'x', '1', 'y', '2'], ['MGET', 'x', 'y', 'z'],
        ['MSETNX', 'x'], ['MSETNX', 'q', '1', 'q'], ['LPUSH', 'l', 'a'], ['MGET', 'l', 'a'], ['MSET', 'a', '3', 'a', '4'], ['GET', 'a'], ['MSETNX', 'm', '1', 'm', '2'], ['GET', 'm'],
      ],
    },
    {
      name: 'append strlen',
      cmds: [['APPEND', 'k', 'ab'], ['APPEND', 'k', 'cd'], ['GET', 'k'], ['APPEND', 'k', ''], ['STRLEN', 'k'], ['STRLEN', 'nokey'], ['SET', 'n', '12'], ['APPEND', 'n', '34'], ['GET', 'n'], ['OBJECT', 'ENCODING', 'n'], ['APPEND', 'big', big], ['STRLEN', 'big'], ['APPEND', 'big', 'y'], ['GETRANGE', 'big', '-3', '-1']],
    },
    {
      name: 'getrange',
      cmds: [
        ['SET', 'k', 'Hello World'], ['GETRANGE', 'k', '0', '4'], ['GETRANGE', 'k', '-5', '-1'], ['GETRANGE', 'k', '-1', '-5'], ['GETRANGE', 'k', '5', '3'], ['GETRANGE', 'k', '0', '-1'],
        ['GETRANGE', 'k', '0', '1000'], ['GETRANGE', 'k', '-1000', '1000'], ['GETRANGE', 'k', '-1000', '-900'], ['GETRANGE', 'k', '100', '200'], ['GETRANGE', 'nokey', '0', '-1'],
        ['GETRANGE', 'k', 'a', '1'], ['GETRANGE', 'k', '0', 'b'], ['SUBSTR', 'k', '1', '3'], ['SET', 'e', ''], ['GETRANGE', 'e', '0', '-1'], ['GETRANGE', 'e', '0', '0'], ['SET', 'i', '12345'], ['GETRANGE', 'i', '1', '2'],
        ['GETRANGE', 'k', '9223372036854775807', '-9223372036854775808'], ['GETRANGE', 'k', '-9223372036854775808', '9223372036854775807'],
      ],
    },
    {
      name: 'setrange',
      cmds: [
        ['SETRANGE', 'k', '0', 'abc'], ['SETRANGE', 'k', '5', 'xy'], ['GET', 'k'], ['SETRANGE', 'k', '1', ''], ['SETRANGE', 'nokey', '10', ''], ['EXISTS', 'nokey'], ['SETRANGE', 'k', '-1', 'x'],
        ['SETRANGE', 'k', 'x', 'x'], ['SETRANGE', 'k', '536870911', 'x'], ['SETRANGE', 'k', '536870912', 'x'], ['SETRANGE', 'k', '536870911', 'xy'], ['SET', 'i', '123'], ['SETRANGE', 'i', '1', '9'], ['GET', 'i'], ['OBJECT', 'ENCODING', 'i'],
        ['SET', 'ttl', 'v', 'EX', '100'], ['SETRANGE', 'ttl', '0', 'w'], ['TTL', 'ttl'], ['SETRANGE', 'n2', '3', 'z'], ['GET', 'n2'],
      ],
    },
    {
      name: 'incr decr',
      cmds: [
        ['INCR', 'n'], ['INCR', 'n'], ['DECR', 'n'], ['INCRBY', 'n', '10'], ['DECRBY', 'n', '-5'], ['DECRBY', 'n', '100'], ['GET', 'n'], ['INCRBY', 'n', 'x'], ['INCRBY', 'n', '1.5'], ['INCRBY', 'n', ' 1'], ['INCRBY', 'n', '01'], ['INCRBY', 'n', '+1'],
        ['SET', 'm', '9223372036854775806'], ['INCR', 'm'], ['INCR', 'm'], ['SET', 'm', '-9223372036854775807'], ['DECR', 'm'], ['DECR', 'm'], ['DECRBY', 'm', '-9223372036854775808'], ['DECRBY', 'z', '-9223372036854775808'],
        ['INCRBY', 'z', '9223372036854775807'], ['INCRBY', 'z', '-9223372036854775808'], ['INCRBY', 'z', '9223372036854775808'],
        ['SET', 's', 'abc'], ['INCR', 's'], ['SET', 's', ' 1'], ['INCR', 's'], ['SET', 's', '1 '], ['INCR', 's'], ['SET', 's', '01'], ['INCR', 's'], ['SET', 's', '+1'], ['INCR', 's'], ['SET', 's', '-0'], ['INCR', 's'],
        ['SET', 's', '99999999999999999999'], ['INCR', 's'], ['SET', 's', '1.0'], ['INCR', 's'], ['SET', 's', ''], ['INCR', 's'],
        ['SET', 't', '5', 'EX', '100'], ['INCR', 't'], ['TTL', 't'], ['SET', 'b', '4503599627370495'], ['INCRBY', 'b', '4503599627370497'], ['INCRBY', 'b', '-9007199254740992'], ['INCRBY', 'b', '-1'],
      ],
    },
    {
      name: 'incrbyfloat',
      cmds: [
        ['SET', 'f', '10.5'], ['INCRBYFLOAT', 'f', '0.1'], ['INCRBYFLOAT', 'f', '-5'], ['INCRBYFLOAT', 'n', '3.0e3'], ['INCRBYFLOAT', 'n', '2.0e-1'], ['INCRBYFLOAT', 'x', '0.1'], ['INCRBYFLOAT', 'x', '0.2'],
        ['INCRBYFLOAT', 'f', 'abc'], ['INCRBYFLOAT', 'f', ''], ['INCRBYFLOAT', 'f', ' 1'], ['INCRBYFLOAT', 'f', '1 '], ['INCRBYFLOAT', 'f', 'inf'], ['INCRBYFLOAT', 'f', 'nan'], ['INCRBYFLOAT', 'f', '1e5000'],
        ['INCRBYFLOAT', 'f', '0x10'], ['SET', 'z', Buffer.from('\x0012')], ['INCRBYFLOAT', 'z', '1'], ['SET', 'z', Buffer.from('1\x00')], ['INCRBYFLOAT', 'z', '1'],
        ['INCRBYFLOAT', 'f', Buffer.from('1\x00')], ['INCRBYFLOAT', 'f', Buffer.from('\x00')], ['SET', 's', 'str'], ['INCRBYFLOAT', 's', '1'], ['SET', 'i', '5'], ['INCRBYFLOAT', 'i', '1.5'], ['INCRBYFLOAT', 'i', '-6.5'], ['GET', 'i'], ['OBJECT', 'ENCODING', 'i'],
        ['SET', 'h', '1e300'], ['INCRBYFLOAT', 'h', '1e300'], ['INCRBYFLOAT', 'y', '1.23456789012345678901234567890'], ['INCRBYFLOAT', 'y', '-1.2'], ['INCRBYFLOAT', 'z', '-0.0'], ['INCRBYFLOAT', 'w', '1e-30'],
        ['SET', 'e', '5', 'EX', '100'], ['INCRBYFLOAT', 'e', '1'], ['TTL', 'e'], ['INCRBYFLOAT', 'v', '5.0000000000000000001'],
      ],
    },
    {
      name: 'lcs',
      cmds: [
        ['MSET', 'a', 'ohmytext', 'b', 'mynewtext'], ['LCS', 'a', 'b'], ['LCS', 'a', 'b', 'LEN'], ['LCS', 'a', 'b', 'IDX'], ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4'], ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'],
        ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'], ['LCS', 'a', 'b', 'LEN', 'IDX'], ['LCS', 'a', 'b', 'FOO'], ['LCS', 'a', 'b', 'MINMATCHLEN'], ['LCS', 'a', 'b', 'MINMATCHLEN', 'x'],
        ['LCS', 'a', 'nokey'], ['LCS', 'nokey', 'nokey2', 'IDX'], ['LPUSH', 'l', 'x'], ['LCS', 'a', 'l'], ['LCS', 'a', 'a', 'IDX', 'MINMATCHLEN', '-5', 'WITHMATCHLEN'], ['LCS', 'a', 'b', 'len'],
      ],
    },
    {
      name: 'string encodings',
      cmds: [
        ['SET', 'a', '123'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', '-123'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', '0123'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', 'x'.repeat(44)], ['OBJECT', 'ENCODING', 'a'],
        ['SET', 'a', 'x'.repeat(45)], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', '9223372036854775807'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', '9223372036854775808'], ['OBJECT', 'ENCODING', 'a'],
        ['SET', 'a', '100'], ['OBJECT', 'REFCOUNT', 'a'], ['SET', 'a', '10000'], ['OBJECT', 'REFCOUNT', 'a'], ['SET', 'a', 'foo'], ['OBJECT', 'REFCOUNT', 'a'], ['INCR', 'c'], ['OBJECT', 'ENCODING', 'c'], ['OBJECT', 'REFCOUNT', 'c'],
        ['SETRANGE', 'r', '0', 'a'], ['OBJECT', 'ENCODING', 'r'], ['APPEND', 'ap', 'a'], ['OBJECT', 'ENCODING', 'ap'], ['APPEND', 'ap', 'b'], ['OBJECT', 'ENCODING', 'ap'], ['SET', 'a', ''], ['OBJECT', 'ENCODING', 'a'],
        ['MSET', 'm', '1'], ['OBJECT', 'ENCODING', 'm'], ['SET', 'a', '-9223372036854775808'], ['OBJECT', 'ENCODING', 'a'], ['OBJECT', 'REFCOUNT', 'a'],
      ],
    },
    { name: 'arity', cmds: [['GET'], ['SET', 'k'], ['GETRANGE', 'k', '0'], ['MGET'], ['INCRBY', 'k'], ['LCS', 'a'], ['GETEX'], ['STRLEN', 'a', 'b']] },
    {
      name: 'a counter (int encoding) read and modified by every string command',
      cmds: [
        ['INCR', 'n'], ['INCRBY', 'n', '41'], ['GET', 'n'], ['STRLEN', 'n'], ['OBJECT', 'ENCODING', 'n'], ['OBJECT', 'REFCOUNT', 'n'],
        ['GETRANGE', 'n', '0', '0'], ['GETRANGE', 'n', '-1', '-1'], ['MGET', 'n', 'nokey', 'n'], ['LCS', 'n', 'n'],
        ['BITCOUNT', 'n'], ['GETBIT', 'n', '2'], ['BITPOS', 'n', '1'], ['BITFIELD_RO', 'n', 'GET', 'u8', '0'],
        ['COPY', 'n', 'n2'], ['INCR', 'n2'], ['GET', 'n'], ['GET', 'n2'], ['DEBUG', 'DIGEST-VALUE', 'n'],
        ['DECRBY', 'n', '100'], ['GET', 'n'], ['OBJECT', 'ENCODING', 'n'], ['INCRBYFLOAT', 'n', '0.5'], ['GET', 'n'], ['OBJECT', 'ENCODING', 'n'],
        ['SET', 'm', '10'], ['INCR', 'm'], ['APPEND', 'm', '7'], ['GET', 'm'], ['INCR', 'm'], ['OBJECT', 'ENCODING', 'm'],
        ['INCR', 'r'], ['SETRANGE', 'r', '1', 'x'], ['GET', 'r'], ['INCR', 'r'],
        ['INCR', 'b'], ['SETBIT', 'b', '1', '1'], ['GET', 'b'],
        ['INCRBY', 'g', '7'], ['GETSET', 'g', 'v'], ['GET', 'g'], ['INCR', 'g2'], ['GETDEL', 'g2'], ['EXISTS', 'g2'],
        ['INCR', 'e'], ['GETEX', 'e', 'PX', '100000'], ['PERSIST', 'e'], ['INCR', 'e'], ['GET', 'e'],
        ['INCR', 'h'], ['PFADD', 'h', 'a'], ['PFCOUNT', 'h'],
        ['INCRBY', 'big', '9007199254740990'], ['INCR', 'big'], ['INCR', 'big'], ['INCR', 'big'], ['GET', 'big'], ['DECRBY', 'big', '10'], ['GET', 'big'],
        ['INCRBY', 'neg', '-12345678901'], ['GET', 'neg'], ['STRLEN', 'neg'], ['OBJECT', 'ENCODING', 'neg'],
        ['RPUSH', 'ids', '3', '1', '2'], ['INCRBY', 'w_1', '30'], ['INCRBY', 'w_2', '10'], ['INCRBY', 'w_3', '20'],
        ['SORT', 'ids', 'BY', 'w_*', 'GET', 'w_*'],
        { cmd: ['EVAL', "redis.call('incr', KEYS[1]) return {redis.call('get', KEYS[1]), redis.call('strlen', KEYS[1]), redis.call('incrby', KEYS[1], 5)}", '1', 'lua'] },
        ['MEMORY', 'USAGE', 'n2'],
      ],
    },
  ],
};
