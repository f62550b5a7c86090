// Differential cases: the dispatcher's own errors (unknown command/subcommand, arity), which come before any handler runs.
import type { Suite, Cmd } from '../harness.js';

// One wrong-arity call per command family (arity is checked before the handler, so this holds for every command).
const arity: Cmd[] = [
  ['GET'], ['GET', 'a', 'b'], ['SET', 'k'], ['MSET'], ['INCR'], ['DEL'], ['EXISTS'], ['EXPIRE', 'k'], ['TTL'],
  ['LPUSH', 'l'], ['LRANGE', 'l', '0'], ['HSET', 'h'], ['HGET', 'h'], ['SADD', 's'], ['ZADD', 'z', '1'], ['XADD', 's'],
  ['PFADD'], ['SETBIT', 'k', '1'], ['GEOADD', 'g', '1'], ['SORT'], ['MULTI', 'x'], ['EXEC', 'x'], ['WATCH'],
  ['PUBLISH', 'c'], ['EVAL'], ['FCALL', 'f'], ['SELECT'], ['PING', 'a', 'b'], ['ECHO'], ['DBSIZE', 'x'],
  ['KEYS'], ['TYPE'], ['RENAME', 'a'], ['BLPOP', 'l'], ['SUBSCRIBE'],
];

export const suite: Suite = {
  name: 'dispatch',
  cases: [
    { name: 'wrong arity by family', cmds: arity },
    {
      name: 'container commands',
      cmds: [
        ['CONFIG'], ['CONFIG', 'GET'], ['config', 'nosuch'], ['CONFIG', 'nosuch', 'a', 'b'], ['Client', 'nosuch'],
        ['OBJECT'], ['OBJECT', 'encoding'], ['XINFO'], ['SCRIPT', 'x'], ['FUNCTION', 'nosuch'], ['MEMORY'],
        ['CLIENT', 'x'.repeat(200)], ['CLIENT', 'a\r\nb'], ['CLIENT', Buffer.from('ab\0cd')], ['COMMAND', 'nosuch'],
      ],
    },
    {
      name: 'unknown commands',
      cmds: [
        [''], ['nosuch'], ['NoSuch', 'a', ''], ['x'.repeat(300)], ['nosuch', ...Array(50).fill('abcdef')],
        ['nosuch', 'y'.repeat(127), 'z'], ['nosuch', 'y'.repeat(126), 'z'], [Buffer.from([0xff, 0xfe]), Buffer.from([0xc3, 0xa9])],
        ['get|set'], ['config|get', 'x'], ['  ping'],
      ],
    },
    { name: 'case insensitive names', cmds: [['PiNg'], ['ping'], ['ECHO', 'x'], ['eChO', 'y']] },
  ],
};
