// Differential cases: connection commands and dispatcher errors.
import type { Suite } from '../harness.js';

export const suite: Suite = {
  name: 'connection',
  cases: [
    { name: 'ping', cmds: [['PING'], ['PING', 'hello'], ['ping', ''], ['PING', 'a', 'b']] },
    { name: 'echo', cmds: [['ECHO', 'x'], ['ECHO', Buffer.from([0, 1, 255, 13, 10])], ['ECHO'], ['echo', 'a', 'b']] },
    {
      name: 'unknown command',
      cmds: [['NOSUCH'], ['nosuch', 'a', 'b'], ['nosuch', 'x'.repeat(200)], ['nosuch', 'a\r\nb'], ['nosuch', Buffer.from('ab\0cd')]],
    },
    { name: 'unknown subcommand', cmds: [['CONFIG', 'nosuch'], ['client', 'foo', 'bar'], ['OBJECT']] },
    { name: 'select', cmds: [['SELECT', '0'], ['SELECT', '15'], ['SELECT', '16'], ['SELECT', '-1'], ['SELECT', 'x'], ['SELECT', '01'], ['SELECT', '1.5']] },
    { name: 'hello errors', cmds: [['HELLO', '4'], ['HELLO', 'x'], ['HELLO', '1'], ['HELLO', '2', 'FOO'], ['HELLO', '2', 'SETNAME', 'a b']] },
    { name: 'auth without password', cmds: [['AUTH', 'x'], ['AUTH', 'default', 'x'], ['AUTH', 'a', 'b', 'c']] },
  ],
};
