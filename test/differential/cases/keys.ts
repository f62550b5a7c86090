// Differential cases: keyspace and expiry commands (db.c, expire.c, OBJECT).
import type { Suite } from '../harness.js';

export const suite: Suite = {
  name: 'keys',
  cases: [
    { name: 'del exists unlink', cmds: [['MSET', 'a', '1', 'b', '2', 'c', '3'], ['EXISTS', 'a', 'a', 'b', 'z'], ['DEL', 'a', 'z', 'a'], ['EXISTS', 'a'], ['UNLINK', 'b', 'c', 'd'], ['DEL', 'nokey'], ['DEL'], ['EXISTS'], ['DBSIZE']] },
    { name: 'type', cmds: [['SET', 's', 'v'], ['LPUSH', 'l', 'a'], ['TYPE', 's'], ['TYPE', 'l'], ['TYPE', 'nokey'], ['type', Buffer.from([0, 255])]] },
    {
      name: 'rename',
      cmds: [
        ['RENAME', 'nokey', 'x'], ['SET', 'a', '1'], ['RENAME', 'a', 'a'], ['RENAME', 'a', 'b'], ['GET', 'b'], ['EXISTS', 'a'], ['SET', 'c', '3'], ['RENAME', 'b', 'c'], ['GET', 'c'],
        ['SET', 'e', 'v', 'EX', '100'], ['RENAME', 'e', 'f'], ['TTL', 'f'], ['SET', 'g', 'v'], ['RENAME', 'g', 'f'], ['TTL', 'f'], ['RENAMENX', 'f', 'c'], ['RENAMENX', 'f', 'f'], ['RENAMENX', 'f', 'new'], ['GET', 'new'],
        ['RENAMENX', 'nokey', 'x'], ['RENAMENX', 'nokey', 'nokey'], ['RENAME', 'nokey', 'nokey'], ['LPUSH', 'l', '1', '2'], ['RENAME', 'l', 'l2'], ['LRANGE', 'l2', '0', '-1'],
      ],
    },
    {
      name: 'move',
      cmds: [
        ['SET', 'a', '1'], ['MOVE', 'a', '1'], ['EXISTS', 'a'], ['SELECT', '1'], ['GET', 'a'], ['SELECT', '0'], ['SET', 'a', '2'], ['MOVE', 'a', '1'], ['MOVE', 'a', '0'], ['MOVE', 'a', '16'], ['MOVE', 'a', '-1'],
        ['MOVE', 'a', 'x'], ['MOVE', 'nokey', '1'], ['SET', 't', 'v', 'EX', '100'], ['MOVE', 't', '2'], ['SELECT', '2'], ['TTL', 't'], ['FLUSHALL'],
      ],
    },
    {
      name: 'copy',
      cmds: [
        ['SET', 'a', 'v'], ['COPY', 'a', 'b'], ['GET', 'b'], ['COPY', 'a', 'b'], ['COPY', 'a', 'b', 'REPLACE'], ['COPY', 'a', 'a'], ['COPY', 'a', 'a', 'DB', '1'], ['SELECT', '1'], ['GET', 'a'], ['SELECT', '0'],
        ['COPY', 'a', 'c', 'DB', '16'], ['COPY', 'a', 'c', 'DB', 'x'], ['COPY', 'a', 'c', 'FOO'], ['COPY', 'a', 'c', 'DB'], ['COPY', 'nokey', 'c'], ['SET', 't', 'v', 'EX', '100'], ['COPY', 't', 't2'], ['TTL', 't2'],
        ['RPUSH', 'l', '1', '2'], ['COPY', 'l', 'l2'], ['RPUSH', 'l2', '3'], ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'l2', '0', '-1'], ['SET', 'i', '5'], ['COPY', 'i', 'i2'], ['OBJECT', 'ENCODING', 'i2'], ['INCR', 'i2'], ['GET', 'i'],
        ['APPEND', 'r', 'x'], ['COPY', 'r', 'r2'], ['APPEND', 'r2', 'y'], ['GET', 'r'], ['GET', 'r2'], ['FLUSHALL'],
      ],
    },
    { name: 'keys glob', mode: 'sorted', cmds: [['MSET', 'hello', '1', 'hallo', '2', 'hxllo', '3', 'hllo', '4', 'heeeello', '5', 'a*b', '6', 'a[b', '7', 'h^llo', '8'], ['KEYS', '*'], ['KEYS', 'h?llo'], ['KEYS', 'h*llo'], ['KEYS', 'h[ae]llo'], ['KEYS', 'h[^e]llo'], ['KEYS', 'h[a-b]llo'], ['KEYS', 'a\\*b'], ['KEYS', 'a[\\[]b'], ['KEYS', 'h[^]llo'], ['KEYS', 'nomatch*'], ['KEYS', '']] },
    { name: 'keys expired hidden', mode: 'sorted', cmds: [['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SET', 'a', '1'], ['SET', 'b', '1', 'PX', '1'], ['DEBUG', 'SLEEP', '0.01'], ['KEYS', '*'], ['DBSIZE'], ['EXISTS', 'b'], ['DBSIZE'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']] },
    { name: 'randomkey', cmds: [['RANDOMKEY'], ['SET', 'only', '1'], ['RANDOMKEY'], ['MSET', 'a', '1', 'b', '2'], { cmd: ['RANDOMKEY'], mode: 'type' }] },
    {
      name: 'scan',
      cmds: [
        ['SCAN', '0'], ['SET', 'k1', 'v'], ['SCAN', '0'], ['SCAN', '0', 'COUNT', '0'], ['SCAN', '0', 'COUNT', '-1'], ['SCAN', '0', 'COUNT', 'x'], ['SCAN', '0', 'MATCH'], ['SCAN', '0', 'FOO', 'bar'],
        ['SCAN', 'x'], ['SCAN', '-1x'], ['SCAN', ' 0'], ['SCAN', '18446744073709551616'], ['SCAN', '0', 'MATCH', 'k*'], ['SCAN', '0', 'MATCH', 'z*'], ['SCAN', '0', 'TYPE', 'string'], ['SCAN', '0', 'TYPE', 'STRING'],
        ['SCAN', '0', 'TYPE', 'list'], ['SCAN', '0', 'TYPE', 'foo'], ['LPUSH', 'l1', 'a'], ['SCAN', '0', 'TYPE', 'list', 'COUNT', '100'], ['SCAN', '0', 'MATCH', '*', 'TYPE', 'list'], ['SCAN', '0', 'count', '1000', 'match', 'l*'],
      ],
    },
    {
      name: 'expire ttl persist',
      cmds: [
        ['EXPIRE', 'nokey', '10'], ['SET', 'k', 'v'], ['TTL', 'k'], ['PTTL', 'k'], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'], ['TTL', 'nokey'], ['PTTL', 'nokey'], ['EXPIRETIME', 'nokey'], ['PEXPIRETIME', 'nokey'],
        ['EXPIRE', 'k', '100'], ['TTL', 'k'], ['PEXPIRE', 'k', '200000'], ['TTL', 'k'], ['EXPIREAT', 'k', '4000000000'], ['EXPIRETIME', 'k'], ['PEXPIREAT', 'k', '4000000000555'], ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'k'],
        ['PERSIST', 'k'], ['PERSIST', 'k'], ['PERSIST', 'nokey'], ['TTL', 'k'], ['EXPIRE', 'k', 'x'], ['EXPIRE', 'k', '1.5'], ['EXPIRE', 'k', '10', 'FOO'], ['EXPIRE', 'k', '10', 'nx', 'xx'], ['EXPIRE', 'k', '10', 'gt', 'lt'],
        ['EXPIRE', 'k', '10', 'nx', 'gt'], ['EXPIRE', 'k', '10', 'lt', 'nx'], ['EXPIRE', 'k', '9223372036854775807'], ['EXPIRE', 'k', '-9223372036854775808'], ['PEXPIRE', 'k', '9223372036854775807'], ['EXPIREAT', 'k', '9223372036854775807'],
        ['PEXPIREAT', 'k', '9223372036854775807'], ['PEXPIRE', 'k', '-9223372036854775808'], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['EXPIRE', 'k', '-1'], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['EXPIREAT', 'k', '1'], ['EXISTS', 'k'],
        ['SET', 'k', 'v'], ['PEXPIRE', 'k', '0'], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['EXPIRE', 'k', '10', 'FOO\u0000bar'],
      ],
    },
    {
      name: 'expire nx xx gt lt',
      cmds: [
        ['SET', 'k', 'v'], ['EXPIRE', 'k', '100', 'XX'], ['EXPIRE', 'k', '100', 'GT'], ['EXPIRE', 'k', '100', 'LT'], ['TTL', 'k'], ['EXPIRE', 'k', '200', 'NX'], ['TTL', 'k'], ['EXPIRE', 'k', '300', 'NX'],
        ['EXPIRE', 'k', '50', 'GT'], ['EXPIRE', 'k', '500', 'GT'], ['TTL', 'k'], ['EXPIRE', 'k', '600', 'LT'], ['EXPIRE', 'k', '60', 'LT'], ['TTL', 'k'], ['EXPIRE', 'k', '70', 'XX'], ['TTL', 'k'], ['EXPIRE', 'k', '80', 'xx', 'gt'],
        ['TTL', 'k'], ['EXPIRE', 'k', '-1', 'LT'], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['EXPIRE', 'k', '-1', 'GT'], ['EXISTS', 'k'], ['EXPIRE', 'k', '-1', 'XX'], ['EXPIRE', 'k', '-1', 'NX'], ['EXISTS', 'k'],
      ],
    },
    {
      name: 'huge expire times',
      cmds: [
        ['SET', 'k', 'v'], ['PEXPIREAT', 'k', '9223372036854775807'], ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'k'], ['PEXPIREAT', 'k', '9223372036854775806', 'GT'], ['PEXPIREAT', 'k', '9223372036854775806', 'LT'], ['PEXPIRETIME', 'k'],
        ['RENAME', 'k', 'k2'], ['PEXPIRETIME', 'k2'], ['COPY', 'k2', 'k3'], ['PEXPIRETIME', 'k3'], ['EXPIREAT', 'k3', '9223372036854775'], ['PEXPIRETIME', 'k3'], ['EXPIRETIME', 'k3'],
        ['SET', 's', 'v', 'PXAT', '9223372036854775807'], ['PEXPIRETIME', 's'], ['SET', 's', 'v', 'EXAT', '9223372036854775'], ['PEXPIRETIME', 's'], ['GETEX', 's', 'PXAT', '9007199254740993'], ['PEXPIRETIME', 's'],
        ['PEXPIREAT', 's', '-9223372036854775808'], ['EXISTS', 's'],
      ],
    },
    {
      name: 'binary keys',
      mode: 'sorted',
      cmds: [
        ['SET', Buffer.from([0, 1, 2]), 'a'], ['SET', Buffer.from([255, 254]), 'b'], ['SET', 'k\r\nx', 'c'], ['SET', '', 'empty'], ['KEYS', '*'], ['KEYS', Buffer.from([255, 42])], ['KEYS', '?'], ['GET', ''],
        ['EXISTS', '', Buffer.from([0, 1, 2])], ['RENAME', Buffer.from([0, 1, 2]), Buffer.from([0])], ['GET', Buffer.from([0])], ['TYPE', Buffer.from([255, 254])], ['SCAN', '0', 'MATCH', 'k*'], ['DEL', '', Buffer.from([0])],
      ],
    },
    { name: 'touch', cmds: [['MSET', 'a', '1', 'b', '2'], ['TOUCH', 'a', 'b', 'c', 'a'], ['TOUCH', 'nokey']] },
    {
      name: 'object',
      cmds: [
        ['OBJECT', 'HELP'], ['OBJECT', 'ENCODING', 'nokey'], ['OBJECT', 'REFCOUNT', 'nokey'], ['OBJECT', 'IDLETIME', 'nokey'], ['OBJECT', 'FREQ', 'nokey'], ['SET', 'a', 'v'], ['OBJECT', 'IDLETIME', 'a'],
        ['OBJECT', 'FREQ', 'a'], ['OBJECT', 'ENCODING'], ['OBJECT', 'ENCODING', 'a', 'b'], ['OBJECT', 'FOO', 'a'], ['OBJECT', 'help', 'x'],
      ],
    },
  ],
};
