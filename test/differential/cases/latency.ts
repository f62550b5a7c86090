// Differential cases: LATENCY's replies that do not depend on timing (no spike reaches a 1-second threshold here),
// latency-monitor-threshold and latency-tracking-info-percentiles in CONFIG, and the subcommand errors.
import type { Suite } from '../harness.js';

export const suite: Suite = {
  name: 'latency',
  cases: [
    {
      name: 'monitor disabled',
      cmds: [
        ['LATENCY', 'HELP'],
        ['LATENCY', 'LATEST'],
        ['LATENCY', 'HISTORY', 'command'],
        ['LATENCY', 'RESET'],
        ['LATENCY', 'RESET', 'command', 'fast-command'],
        ['LATENCY', 'GRAPH', 'command'],
        ['LATENCY', 'DOCTOR'],
        ['LATENCY', 'HISTOGRAM', 'nosuchcommand'],
        ['LATENCY', 'HISTOGRAM', 'nosuchcommand', 'config|nosuch'],
      ],
    },
    {
      name: 'monitor enabled without spikes',
      cmds: [
        ['CONFIG', 'SET', 'latency-monitor-threshold', '100000'],
        ['CONFIG', 'GET', 'latency-monitor-threshold'],
        ['LATENCY', 'DOCTOR'],
        ['LATENCY', 'LATEST'],
        ['CONFIG', 'SET', 'latency-monitor-threshold', '0'],
      ],
    },
    {
      name: 'config validation',
      cmds: [
        ['CONFIG', 'SET', 'latency-monitor-threshold', '-1'],
        ['CONFIG', 'SET', 'latency-monitor-threshold', 'abc'],
        ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50.0 99.990 100'],
        ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '101'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '-1'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', 'x'],
        ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', ''],
        ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
        ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9'],
        ['CONFIG', 'GET', 'latency-tracking'],
      ],
    },
    {
      name: 'subcommand errors',
      cmds: [
        ['LATENCY'],
        ['LATENCY', 'nope'],
        ['LATENCY', 'HISTORY'],
        ['LATENCY', 'GRAPH'],
        ['LATENCY', 'LATEST', 'x'],
        ['LATENCY', 'DOCTOR', 'x'],
        ['LATENCY', 'HELP', 'x'],
        ['LATENCY', 'HISTORY', 'a', 'b'],
      ],
    },
    {
      name: 'histogram reply shape after calls',
      cmds: [['CONFIG', 'RESETSTAT'], ['SET', 'k', 'v'], ['SET', 'k', 'v'], { cmd: ['LATENCY', 'HISTOGRAM', 'set'], mode: 'len' }],
    },
  ],
};
