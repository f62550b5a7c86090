// Differential cases: the whole configuration surface of 7.0.15 (CONFIG GET of every parameter, an invalid CONFIG SET
// of each, SET/GET round trips, multi-parameter atomicity, GET with several patterns).
import type { Cmd, DiffCase, Suite } from '../harness.js';
import { CONFIG_ENTRIES, type ConfigEntry } from '../../../src/server/config.js';

/** The last bulk of a reply (a value that depends on the host: the working directory, the port). */
const LAST_BULK = /\$\d+\r\n[^\r]*\r\n$/;
/** Parameters whose value depends on how each server was started (the oracle runs with --save ''). */
const HOST_SPECIFIC = new Set(['dir', 'port', 'save']);

const get = (e: ConfigEntry): Cmd => (HOST_SPECIFIC.has(e.name) ? { cmd: ['CONFIG', 'GET', e.name], mask: LAST_BULK } : ['CONFIG', 'GET', e.name]);

/** A value CONFIG SET refuses for this parameter (null when every value is valid). */
function invalidValue(e: ConfigEntry): string | null {
  switch (e.kind) {
    case 'bool': return 'maybe';
    case 'enum': return 'nosuch';
    case 'int': return e.octal ? '9' : 'abc';
    case 'memory': return '12xb';
    case 'string':
      if (e.immutable || e.protected) return 'x';
      return { 'proc-title-template': '{nosuch}', 'cluster-announce-hostname': 'a_b' }[e.name] ?? null;
    case 'special':
      return {
        save: '1', 'client-output-buffer-limit': 'master 0 0 0', 'oom-score-adj-values': '1 2 3000', 'notify-keyspace-events': 'Q',
        bind: Array.from({ length: 17 }, (_, i) => `127.0.0.${i + 1}`).join(' '), replicaof: 'no one', dir: '/nonexistent',
        'latency-tracking-info-percentiles': '50 101',
      }[e.name] ?? null;
  }
}

const primaries = CONFIG_ENTRIES.filter((e, i) => CONFIG_ENTRIES.findIndex(x => x.name === e.name) === i);
// strings that take any value: a round trip instead (requirepass would lock out the other cases' connections)
const anyValue = primaries.filter(e => invalidValue(e) === null && e.name !== 'requirepass');

const cases: DiffCase[] = [
  { name: 'config get every parameter', resp: [2], cmds: primaries.map(get) },
  { name: 'config get every alias', resp: [2], cmds: primaries.flatMap(e => (e.aliases ?? []).map(a => ['CONFIG', 'GET', a])) },
  {
    name: 'config set an invalid value of every parameter',
    resp: [2],
    cmds: primaries.flatMap(e => {
      const v = invalidValue(e);
      return v === null ? [] : [['CONFIG', 'SET', e.name, v], get(e)];
    }),
  },
  {
    name: 'config set strings that take any value',
    resp: [2],
    cmds: anyValue.flatMap(e => [['CONFIG', 'SET', e.name, 'some-value'], ['CONFIG', 'GET', e.name], ['CONFIG', 'SET', e.name, e.default], ['CONFIG', 'GET', e.name]]),
  },
  {
    name: 'config set round trips',
    cmds: [
      ...([
        ['maxmemory', '1gb', '0'], ['maxmemory', '3000k', '0'], ['maxmemory-clients', '10%', '0'], ['maxmemory-clients', '1mb', '0'],
        ['hz', '100000', '10'], ['repl-backlog-size', '100', '1mb'], ['lua-time-limit', '100', '5000'], ['slave-read-only', 'NO', 'yes'],
        ['maxmemory-policy', 'ALLKEYS-LRU', 'noeviction'], ['oom-score-adj', 'relative', 'no'], ['shutdown-on-sigint', 'force NOW nosave', 'default'],
        ['client-output-buffer-limit', 'pubsub 64mb 16mb 90 replica 1gb 1k 0', 'pubsub 32mb 8mb 60 replica 256mb 64mb 60'],
        ['oom-score-adj-values', '-5 0 2000', '0 200 800'], ['notify-keyspace-events', 'KEA', ''], ['notify-keyspace-events', 'gx$K', ''],
        ['latency-tracking-info-percentiles', '1.5 0x10 1e1 100', '50 99 99.9'], ['latency-tracking-info-percentiles', '', '50 99 99.9'],
        ['slowlog-max-len', '0', '128'], ['list-max-ziplist-size', '-2147483648', '-2'], ['tls-port', '0', '0'], ['activedefrag', 'no', 'no'],
        ['proc-title-template', '{{ {port} {title}', '{title} {listen-addr} {server-mode}'],
      ] as const).flatMap(([n, v, back]) => [['CONFIG', 'SET', n, v], ['CONFIG', 'GET', n], ['CONFIG', 'SET', n, back]]),
      ['CONFIG', 'SET', 'save', '1 0 2 3 4'], ['CONFIG', 'SET', 'save', '0 1'], ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 1'],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 1 -1'], ['CONFIG', 'SET', 'activedefrag', 'yes'], ['CONFIG', 'SET', 'tls-replication', 'yes'],
      ['CONFIG', 'SET', 'maxmemory-clients', '101%'], ['CONFIG', 'SET', 'maxmemory-clients', '-1'], ['CONFIG', 'SET', 'maxclients', '-1'],
      ['CONFIG', 'SET', 'maxmemory', '99999999999999999999999'], ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'SET', 'maxmemory', '0'],
      ['CONFIG', 'SET', 'shutdown-on-sigterm', 'save nosave'], ['CONFIG', 'SET', 'shutdown-on-sigterm', ''], ['CONFIG', 'SET', 'oom-score-adj-values', '1 2'],
      ['CONFIG', 'SET', 'proto-max-bulk-len', '1k'], ['CONFIG', 'SET', 'unixsocketperm', '777'], ['CONFIG', 'SET', 'dir', '/nonexistent'],
    ],
  },
  {
    name: 'config set several parameters: all or nothing',
    cmds: [
      ['CONFIG', 'SET', 'maxmemory', '10mb', 'hz', 'abc'], ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '10mb', 'tls-port', '1', 'timeout', '7'], ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'timeout'],
      ['CONFIG', 'SET', 'maxmemory', '10mb', 'nosuch', '1', 'daemonize', 'yes'], ['CONFIG', 'SET', 'daemonize', 'yes', 'nosuch', '1'],
      ['CONFIG', 'SET', 'maxmemory', '10mb', 'MAXMEMORY', '1'], ['CONFIG', 'SET', 'lua-time-limit', '1', 'busy-reply-threshold', '2'], ['CONFIG', 'GET', 'lua-time-limit'], ['CONFIG', 'SET', 'lua-time-limit', '5000'],
      ['CONFIG', 'SET', 'Lua-Time-Limit', 'x'], ['CONFIG', 'SET', 'HZ', 'x'],
      ['CONFIG', 'SET', 'maxmemory', '10mb', 'maxmemory-policy', 'allkeys-lru', 'timeout', '7'],
      { cmd: ['CONFIG', 'GET', 'maxmemory', 'maxmemory-policy', 'timeout'], mode: 'sortedpairs' },
      ['CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction', 'timeout', '0'],
    ],
  },
  {
    name: 'config get several patterns',
    cmds: [
      { cmd: ['CONFIG', 'GET', 'maxmemory', 'maxmemory*', 'bind', '*of'], mode: 'sortedpairs' },
      { cmd: ['CONFIG', 'GET', '*ziplist*', 'list*', 'LIST*'], mode: 'sortedpairs' },
      { cmd: ['CONFIG', 'GET', 'hz', 'HZ', 'h?', '[h]z'], mode: 'sortedpairs' },
      { cmd: ['CONFIG', 'GET', 'tls-*'], mode: 'sortedpairs' },
      { cmd: ['CONFIG', 'GET', '*repl*'], mode: 'sortedpairs' },
      ['CONFIG', 'GET', 'key-load-delay'], ['CONFIG', 'GET', 'key-load-*'], ['CONFIG', 'GET', 'watchdog-period', 'nosuch'],
      ['CONFIG', 'SET', 'key-load-delay', '5'], ['CONFIG', 'GET', 'key-load-delay'], ['CONFIG', 'SET', 'key-load-delay', '0'],
    ],
  },
];

export const suite: Suite = { name: 'config', cases };
