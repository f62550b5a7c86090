// Differential cases: HyperLogLog (hyperloglog.c), compared byte for byte including the stored representation.
import type { Suite } from '../harness.js';

const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

export const suite: Suite = {
  name: 'hyperloglog',
  cases: [
    { name: 'pfadd pfcount basic', cmds: [['PFADD', 'h', 'a', 'b', 'c'], ['PFCOUNT', 'h'], ['PFADD', 'h', 'a'], ['PFADD', 'h'], ['PFADD', 'new'], ['PFCOUNT', 'new'], ['GET', 'h'], ['GET', 'new'], ['PFCOUNT', 'nokey'], ['PFDEBUG', 'ENCODING', 'h'], ['PFDEBUG', 'DECODE', 'h'], ['GET', 'h']] },
    { name: 'pfadd sparse growth', cmds: [['PFADD', 'h', ...many('e', 200)], ['PFCOUNT', 'h'], ['PFDEBUG', 'ENCODING', 'h'], ['GET', 'h'], ['PFADD', 'h', ...many('f', 1000)], ['PFDEBUG', 'ENCODING', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'], ['STRLEN', 'h']] },
    { name: 'pfadd dense', cmds: [['PFADD', 'h', ...many('x', 5000)], ['PFCOUNT', 'h'], ['PFDEBUG', 'ENCODING', 'h'], ['GET', 'h'], ['PFADD', 'h', ...many('y', 5000)], ['PFCOUNT', 'h'], ['GET', 'h'], ['PFCOUNT', 'h']] },
    {
      name: 'pfcount multi and pfmerge',
      cmds: [
        ['PFADD', 'a', ...many('a', 300)], ['PFADD', 'b', ...many('b', 100)], ['PFADD', 'c', ...many('c', 3000)], ['PFCOUNT', 'a', 'b'], ['PFCOUNT', 'a', 'b', 'c', 'nokey'], ['PFMERGE', 'd', 'a', 'b'], ['PFCOUNT', 'd'], ['GET', 'd'],
        ['PFDEBUG', 'ENCODING', 'd'], ['PFMERGE', 'e', 'a', 'c'], ['PFDEBUG', 'ENCODING', 'e'], ['GET', 'e'], ['PFMERGE', 'f'], ['GET', 'f'], ['PFMERGE', 'a', 'b'], ['GET', 'a'], ['PFMERGE', 'g', 'nokey'], ['PFCOUNT', 'g'],
      ],
    },
    {
      name: 'hll errors',
      cmds: [
        ['SET', 's', 'notanhll'], ['PFADD', 's', 'a'], ['PFCOUNT', 's'], ['PFCOUNT', 's', 'x'], ['PFMERGE', 'd', 's'], ['LPUSH', 'l', 'x'], ['PFADD', 'l', 'a'], ['PFCOUNT', 'l'], ['PFMERGE', 'l', 'nokey'],
        ['SET', 'bad', 'HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f'], ['PFCOUNT', 'bad'], ['PFADD', 'bad', 'a'], ['PFCOUNT', 'bad', 'bad'], ['PFMERGE', 'x', 'bad'],
        ['SET', 'd2', 'HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80'], ['PFCOUNT', 'd2'], ['SET', 'e2', 'HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80'], ['PFCOUNT', 'e2'],
        ['SET', 'c2', 'HYLL\x01\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x7f\xff'], ['PFCOUNT', 'c2'], ['SET', 'z2', 'HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff'], ['PFCOUNT', 'z2'], ['PFADD', 'z2', 'q'],
        ['PFDEBUG', 'GETREG', 'nokey'], ['PFDEBUG', 'FOO', 'h'], ['PFADD', 'h', 'a'], ['PFDEBUG', 'FOO', 'h'], ['PFDEBUG', 'DECODE', 'h', 'x'], ['PFDEBUG', 'TODENSE', 'h'], ['PFDEBUG', 'TODENSE', 'h'], ['PFDEBUG', 'DECODE', 'h'], ['PFDEBUG', 'ENCODING', 'h'],
        ['PFDEBUG', 'ENCODING', 's'], ['PFSELFTEST', 'x'],
      ],
    },
    { name: 'pfdebug getreg', cmds: [['PFADD', 'h', 'a', 'b', 'c', 'd'], { cmd: ['PFDEBUG', 'GETREG', 'h'] }, ['PFDEBUG', 'ENCODING', 'h'], ['GET', 'h']] },
    { name: 'hll sparse max bytes', cmds: [['CONFIG', 'SET', 'hll-sparse-max-bytes', '30'], ['PFADD', 'h', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], ['PFDEBUG', 'ENCODING', 'h'], ['PFCOUNT', 'h'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']] },
  ],
};
