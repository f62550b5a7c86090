// Differential cases: MULTI/EXEC/DISCARD/WATCH/UNWATCH (multi.c) as seen from a single connection.
import type { Suite } from '../harness.js';

export const suite: Suite = {
  name: 'transactions',
  cases: [
    {
      name: 'basic exec',
      cmds: [
        ['MULTI'],
        ['RPUSH', 'l', 'a', 'b'],
        ['LRANGE', 'l', '0', '-1'],
        ['LPOP', 'l'],
        ['HSET', 'h', 'f', 'v'],
        ['SADD', 's', '1'],
        ['EXEC'],
        ['LRANGE', 'l', '0', '-1'],
      ],
    },
    { name: 'empty exec', cmds: [['MULTI'], ['EXEC'], ['EXEC'], ['DISCARD']] },
    {
      name: 'errors at exec time are per command',
      cmds: [['SET', 'k', 'v'], ['MULTI'], ['LPUSH', 'k', 'a'], ['RPUSH', 'l', 'x'], ['LPOP', 'l', 'bad'], ['EXEC'], ['LRANGE', 'l', '0', '-1']],
    },
    {
      name: 'queue errors abort',
      cmds: [['MULTI'], ['RPUSH', 'l', 'a'], ['NOSUCHCMD'], ['LPUSH', 'l'], ['RPUSH', 'l', 'b'], ['EXEC'], ['LRANGE', 'l', '0', '-1'], ['EXEC']],
    },
    {
      name: 'discard',
      cmds: [['MULTI'], ['RPUSH', 'l', 'a'], ['DISCARD'], ['LRANGE', 'l', '0', '-1'], ['DISCARD'], ['MULTI'], ['NOSUCH'], ['DISCARD'], ['EXEC']],
    },
    {
      name: 'nested multi and watch inside multi',
      cmds: [['MULTI'], ['MULTI'], ['WATCH', 'x'], ['RPUSH', 'l', 'a'], ['EXEC'], ['LRANGE', 'l', '0', '-1']],
    },
    {
      name: 'no-multi commands',
      cmds: [['MULTI'], ['RPUSH', 'l', 'a'], ['SUBSCRIBE', 'ch'], ['EXEC'], ['LRANGE', 'l', '0', '-1']],
    },
    {
      name: 'watch own modification',
      cmds: [['WATCH', 'l'], ['RPUSH', 'l', 'a'], ['MULTI'], ['RPUSH', 'l', 'b'], ['EXEC'], ['LRANGE', 'l', '0', '-1']],
    },
    {
      name: 'watch untouched',
      cmds: [['RPUSH', 'l', 'a'], ['WATCH', 'l', 'other', 'l'], ['LRANGE', 'l', '0', '-1'], ['MULTI'], ['RPUSH', 'l', 'b'], ['EXEC'], ['LRANGE', 'l', '0', '-1']],
    },
    {
      name: 'unwatch',
      cmds: [['WATCH', 'l'], ['RPUSH', 'l', 'a'], ['UNWATCH'], ['MULTI'], ['RPUSH', 'l', 'b'], ['EXEC'], ['UNWATCH']],
    },
    {
      name: 'watch then discard',
      cmds: [['WATCH', 'l'], ['MULTI'], ['DISCARD'], ['RPUSH', 'l', 'x'], ['MULTI'], ['RPUSH', 'l', 'b'], ['EXEC']],
    },
    {
      name: 'watch failed noop modification',
      cmds: [['WATCH', 'l'], ['LPOP', 'l'], ['LREM', 'l', '0', 'x'], ['MULTI'], ['RPUSH', 'l', 'b'], ['EXEC']],
    },
    {
      name: 'watch flushall',
      cmds: [['RPUSH', 'l', 'a'], ['WATCH', 'l'], ['FLUSHALL'], ['MULTI'], ['RPUSH', 'l', 'b'], ['EXEC']],
    },
    {
      name: 'watch flushall of missing key',
      cmds: [['WATCH', 'l'], ['FLUSHALL'], ['MULTI'], ['RPUSH', 'l', 'b'], ['EXEC']],
    },
    {
      name: 'watch expired key',
      cmds: [
        ['RPUSH', 'l', 'a'],
        ['PEXPIRE', 'l', '1'],
        ['DEBUG', 'SLEEP', '0.01'],
        ['WATCH', 'l'],
        ['MULTI'],
        ['RPUSH', 'l2', 'b'],
        ['EXEC'],
      ],
    },
    {
      name: 'watch key that expires before exec',
      cmds: [['RPUSH', 'l', 'a'], ['PEXPIRE', 'l', '20'], ['WATCH', 'l'], ['DEBUG', 'SLEEP', '0.05'], ['MULTI'], ['RPUSH', 'l2', 'b'], ['EXEC']],
    },
    {
      name: 'exec without multi',
      cmds: [['EXEC'], ['DISCARD'], ['UNWATCH'], ['WATCH']],
    },
    {
      name: 'multi arity errors',
      cmds: [['MULTI', 'x'], ['MULTI'], ['EXEC', 'x'], ['DISCARD', 'x'], ['EXEC']],
    },
  ],
};
