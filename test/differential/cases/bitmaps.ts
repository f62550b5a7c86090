// Differential cases: bitmaps and bitfields (bitops.c).
import type { Suite } from '../harness.js';

export const suite: Suite = {
  name: 'bitmaps',
  cases: [
    {
      name: 'setbit getbit',
      cmds: [
        ['SETBIT', 'k', '7', '1'], ['GET', 'k'], ['SETBIT', 'k', '7', '1'], ['SETBIT', 'k', '7', '0'], ['SETBIT', 'k', '100', '1'], ['STRLEN', 'k'], ['GETBIT', 'k', '100'], ['GETBIT', 'k', '99'], ['GETBIT', 'k', '100000'],
        ['GETBIT', 'nokey', '5'], ['SETBIT', 'k', '-1', '1'], ['SETBIT', 'k', 'x', '1'], ['SETBIT', 'k', '1', '2'], ['SETBIT', 'k', '1', '-1'], ['SETBIT', 'k', '1', 'x'], ['SETBIT', 'k', '4294967296', '1'],
        ['SETBIT', 'k', '4294967295', '0'], ['GETBIT', 'k', '4294967296'], ['GETBIT', 'k', '-1'], ['LPUSH', 'l', 'x'], ['SETBIT', 'l', '0', '1'], ['GETBIT', 'l', '0'], ['SET', 'i', '1'], ['GETBIT', 'i', '2'], ['GETBIT', 'i', '7'],
        ['SETBIT', 'i', '6', '1'], ['GET', 'i'], ['OBJECT', 'ENCODING', 'i'], ['SET', 'e', '12', 'EX', '100'], ['SETBIT', 'e', '0', '1'], ['TTL', 'e'],
      ],
    },
    {
      name: 'bitcount',
      cmds: [
        ['SET', 'k', 'foobar'], ['BITCOUNT', 'k'], ['BITCOUNT', 'k', '0', '0'], ['BITCOUNT', 'k', '1', '1'], ['BITCOUNT', 'k', '1', '1', 'BYTE'], ['BITCOUNT', 'k', '5', '30', 'BIT'], ['BITCOUNT', 'k', '-2', '-1'],
        ['BITCOUNT', 'k', '-1', '-2'], ['BITCOUNT', 'k', '0'], ['BITCOUNT', 'k', '0', '1', 'FOO'], ['BITCOUNT', 'k', 'a', '1'], ['BITCOUNT', 'k', '0', '-1', 'bit'], ['BITCOUNT', 'k', '1', '6', 'bit'], ['BITCOUNT', 'k', '3', '3', 'bit'],
        ['BITCOUNT', 'k', '-100', '100'], ['BITCOUNT', 'nokey'], ['BITCOUNT', 'nokey', '0', 'x'], ['BITCOUNT', 'k', '0', '1', 'BIT', 'x'], ['SET', 'i', '1234'], ['BITCOUNT', 'i'], ['BITCOUNT', 'k', '10', '5'],
      ],
    },
    {
      name: 'bitpos',
      cmds: [
        ['SET', 'k', '\xff\xf0\x00'], ['BITPOS', 'k', '0'], ['BITPOS', 'k', '1'], ['BITPOS', 'k', '1', '2'], ['BITPOS', 'k', '1', '2', '-1', 'BYTE'], ['BITPOS', 'k', '1', '7', '15', 'BIT'], ['BITPOS', 'k', '0', '7', '15', 'BIT'],
        ['BITPOS', 'k', '2'], ['BITPOS', 'k', 'x'], ['BITPOS', 'nokey', '0'], ['BITPOS', 'nokey', '1'], ['SET', 'f', '\xff\xff\xff'], ['BITPOS', 'f', '0'], ['BITPOS', 'f', '0', '0'], ['BITPOS', 'f', '0', '0', '-1'],
        ['BITPOS', 'f', '0', '0', '-1', 'BIT'], ['SET', 'z', '\x00\x00'], ['BITPOS', 'z', '1'], ['BITPOS', 'z', '1', '0', '-1', 'bit'], ['BITPOS', 'k', '1', '0', '-1', 'FOO'], ['BITPOS', 'k', '1', 'a'], ['BITPOS', 'k', '1', '0', 'b'],
        ['BITPOS', 'k', '0', '3', '2'], ['BITPOS', 'k', '1', '9', '11', 'BIT'], ['BITPOS', 'k', '0', '3', '5', 'BIT'], ['BITPOS', 'k', '0', '8', '11', 'BIT'], ['BITPOS', 'k', '1', '12', '23', 'BIT'], ['BITPOS', 'k', '0', '1', '1'],
        ['SET', 'e', ''], ['BITPOS', 'e', '0'], ['BITPOS', 'e', '1'], ['BITPOS', 'k', '0', '-100', '100', 'bit'], ['BITPOS', 'k', '1', '5', '9', 'bit'],
      ],
    },
    {
      name: 'bitop',
      cmds: [
        ['SET', 'a', 'foobar'], ['SET', 'b', 'abcdef'], ['BITOP', 'AND', 'd', 'a', 'b'], ['GET', 'd'], ['BITOP', 'OR', 'd', 'a', 'b'], ['GET', 'd'], ['BITOP', 'XOR', 'd', 'a', 'b'], ['GET', 'd'], ['BITOP', 'NOT', 'd', 'a'], ['GET', 'd'],
        ['BITOP', 'NOT', 'd', 'a', 'b'], ['BITOP', 'FOO', 'd', 'a'], ['BITOP', 'AND', 'd', 'nokey', 'nokey2'], ['EXISTS', 'd'], ['SET', 's', 'x'], ['BITOP', 'OR', 'd', 's', 'a', 'nokey'], ['GET', 'd'], ['BITOP', 'AND', 'd', 'a', 'nokey'], ['GET', 'd'],
        ['LPUSH', 'l', 'x'], ['BITOP', 'AND', 'd', 'a', 'l'], ['BITOP', 'and', 'l', 'a'], ['TYPE', 'l'], ['SET', 'x', 'v', 'EX', '100'], ['BITOP', 'OR', 'x', 'a'], ['TTL', 'x'], ['SET', 'long', 'x'.repeat(100)], ['BITOP', 'XOR', 'd', 'long', 'a', 'b'], ['GET', 'd'],
      ],
    },
    {
      name: 'bitfield',
      cmds: [
        ['BITFIELD', 'k', 'SET', 'i8', '0', '100', 'GET', 'i8', '0'], ['BITFIELD', 'k', 'INCRBY', 'i8', '0', '100'], ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '0', '100'], ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', '0', '100'],
        ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '0', '-1000'], ['BITFIELD', 'k', 'SET', 'u8', '#1', '255', 'GET', 'u8', '8', 'INCRBY', 'u8', '#1', '10'], ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '8', '300', 'INCRBY', 'u8', '8', '-300'],
        ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '8', '-300', 'GET', 'u8', '8'], ['BITFIELD', 'k', 'GET', 'u63', '0', 'GET', 'i64', '0', 'GET', 'u1', '3', 'GET', 'i1', '0'], ['BITFIELD', 'k', 'GET', 'u64', '0'], ['BITFIELD', 'k', 'GET', 'i65', '0'],
        ['BITFIELD', 'k', 'GET', 'x8', '0'], ['BITFIELD', 'k', 'GET', 'u0', '0'], ['BITFIELD', 'k', 'GET', 'i8', '-1'], ['BITFIELD', 'k', 'GET', 'i8', '#-1'], ['BITFIELD', 'k', 'GET', 'i8', 'x'], ['BITFIELD', 'k', 'OVERFLOW', 'FOO'], ['BITFIELD', 'k', 'FOO'],
        ['BITFIELD', 'k', 'GET', 'i8'], ['BITFIELD', 'k', 'SET', 'i8', '0'], ['BITFIELD', 'k', 'SET', 'i8', '0', 'x'], ['BITFIELD', 'k'], ['BITFIELD', 'nokey', 'GET', 'i8', '0'], ['EXISTS', 'nokey'], ['BITFIELD', 'k', 'SET', 'i64', '0', '-9223372036854775808'],
        ['BITFIELD', 'k', 'INCRBY', 'i64', '0', '-1'], ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '-1', 'INCRBY', 'i64', '0', '9223372036854775807', 'INCRBY', 'i64', '0', '9223372036854775807'],
        ['BITFIELD', 'k', 'SET', 'u63', '0', '-1', 'GET', 'u63', '0'], ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'u4', '0', '100', 'SET', 'i4', '0', '-100', 'GET', 'i4', '0', 'OVERFLOW', 'WRAP', 'SET', 'i4', '0', '9', 'GET', 'i4', '0'],
        ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'i63', '0', '-9223372036854775808'], ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'i63', '0', '-9223372036854775808'], ['BITFIELD', 'k', 'INCRBY', 'u3', '100', '13', 'GET', 'u3', '100'],
        ['BITFIELD_RO', 'k', 'GET', 'i8', '0'], ['BITFIELD_RO', 'k', 'SET', 'i8', '0', '1'], ['BITFIELD_RO', 'k', 'INCRBY', 'i8', '0', '1'], ['LPUSH', 'l', 'x'], ['BITFIELD', 'l', 'GET', 'i8', '0'], ['BITFIELD', 'l', 'SET', 'i8', '0', '1'],
        ['BITFIELD', 'k', 'GET', 'i8', '4294967296'], ['BITFIELD', 'k', 'GET', 'i8', '#536870912'], ['BITFIELD', 'k', 'GET', 'u8', '1000000'], ['STRLEN', 'k'], ['BITFIELD', 'k', 'get', 'i5', '3', 'overflow', 'wrap', 'incrby', 'i5', '3', '-40'],
        ['BITFIELD', 'k', 'OVERFLOW', 'WRAP', 'INCRBY', 'u2', '0', '-9223372036854775808', 'INCRBY', 'i2', '0', '9223372036854775807'],
      ],
    },
  ],
};
