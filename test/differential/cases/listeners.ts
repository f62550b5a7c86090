// Differential cases: the tls-* and unixsocket* directives in CONFIG GET/SET on a server without TLS configured
// (tls-port 0: Redis only builds the TLS context when TLS is in use, so context directives are accepted as is).
import type { Suite } from '../harness.js';

export const suite: Suite = {
  name: 'listeners',
  cases: [
    {
      name: 'config get of the tls and unix socket directives',
      cmds: [
        { cmd: ['CONFIG', 'GET', 'tls-*'], mode: 'sortedpairs' },
        { cmd: ['CONFIG', 'GET', 'unixsocket*'], mode: 'sortedpairs' },
        ['CONFIG', 'GET', 'tls-auth-clients'],
        ['CONFIG', 'GET', 'tls-session-cache-size'],
      ],
    },
    {
      name: 'config set validation',
      cmds: [
        ['CONFIG', 'SET', 'tls-port', '70000'],
        ['CONFIG', 'SET', 'tls-port', 'x'],
        ['CONFIG', 'SET', 'tls-auth-clients', 'maybe'],
        ['CONFIG', 'SET', 'tls-session-caching', 'x'],
        ['CONFIG', 'SET', 'tls-session-cache-size', '-1'],
        ['CONFIG', 'SET', 'tls-session-cache-timeout', '2147483648'],
        ['CONFIG', 'SET', 'unixsocketperm', '700'],
        ['CONFIG', 'SET', 'unixsocket', '/tmp/x.sock'],
        ['CONFIG', 'SET', 'tls-auth-clients', 'OPTIONAL'],
        ['CONFIG', 'GET', 'tls-auth-clients'],
        ['CONFIG', 'SET', 'tls-auth-clients', 'yes'],
        ['CONFIG', 'SET', 'tls-protocols', 'TLSv1.2 TLSv1.3', 'tls-ciphers', 'DEFAULT'],
        ['CONFIG', 'GET', 'tls-protocols'],
        ['CONFIG', 'SET', 'tls-protocols', '', 'tls-ciphers', ''],
        ['CONFIG', 'SET', 'tls-prefer-server-ciphers', 'yes'],
        ['CONFIG', 'SET', 'tls-prefer-server-ciphers', 'no'],
      ],
    },
  ],
};
