// The latency monitor's bookkeeping and rendering (Redis: latency.c, sparkline.c) and the HDR histogram of
// latency-tracking (deps/hdr_histogram): the histogram numbers below are what Redis's own hdr_histogram.c prints for
// the same recorded values (log iterator from 1024 ns, base 2; hdr_value_at_percentile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram, LatencyMonitor } from '../../src/server/latency.js';

test('histogram: LATENCY HISTOGRAM buckets and percentiles as hdr_histogram computes them', () => {
  const h = new Histogram();
  for (const v of [1, 500, 1024, 1500, 2047, 2048, 999999, 1000000, 123456789, 1000000000, 5, 5, 5]) h.record(v);
  assert.deepEqual(h.cdf(), [[1, 6], [2, 9], [1056, 11], [135266, 12], [1073741, 13]]);
  assert.deepEqual([0, 50, 99, 99.9, 100, 12.5].map(p => h.valueAtPercentile(p)), [1, 1503, 1002438655, 1002438655, 1002438655, 5]);
  const g = new Histogram();
  for (const v of [3000, 3000, 3000, 70000, 2500000]) g.record(v);
  assert.deepEqual(g.cdf(), [[4, 3], [132, 4], [4227, 5]]);
  assert.deepEqual([0, 50, 99, 99.9, 100, 12.5].map(p => g.valueAtPercentile(p)), [2992, 3007, 2506751, 2506751, 2506751, 3007]);
  // out of range values are clamped to [1 ns, 1 s]
  const z = new Histogram();
  z.record(0);
  z.record(5e9);
  assert.deepEqual(z.cdf(), [[1, 1], [1073741, 2]]);
});

test('monitor: one sample per second (the highest), threshold, reset by name case-insensitively', () => {
  const m = new LatencyMonitor();
  m.addIfNeeded('command', 500);
  assert.equal(m.events.size, 0, 'threshold 0 disables the monitor');
  m.threshold = 10;
  m.addIfNeeded('command', 9);
  assert.equal(m.events.size, 0);
  m.add('command', 12, 1000);
  m.add('command', 30, 1000);
  m.add('command', 20, 1000);
  m.add('command', 15, 1003);
  const ts = m.events.get('command')!;
  assert.deepEqual(m.samples(ts), [{ time: 1000, latency: 30 }, { time: 1003, latency: 15 }]);
  assert.equal(ts.max, 30);
  assert.deepEqual(m.latest(ts), { time: 1003, latency: 15 });
  assert.deepEqual(m.analyze('command', 1010), { allTimeHigh: 30, avg: 22, min: 15, max: 30, mad: 7, samples: 2, period: 10 });
  // 160 slots: the oldest are overwritten
  for (let t = 2000; t < 2200; t++) m.add('fast-command', t - 1990, t);
  const f = m.events.get('fast-command')!;
  assert.equal(m.samples(f).length, 160);
  assert.equal(m.samples(f)[0].time, 2040);
  assert.equal(m.reset('COMMAND'), 1);
  assert.equal(m.reset(null), 1);
  assert.equal(m.events.size, 0);
});

test('monitor: LATENCY GRAPH sparkline with its labels', () => {
  const m = new LatencyMonitor();
  m.add('command', 8, 100);
  m.add('command', 256, 140);
  const g = m.graph('command', m.events.get('command')!, 140);
  assert.equal(
    g,
    'command - high 256 ms, low 8 ms (all time high 256 ms)\n' + '-'.repeat(80) + '\n' + ' #\n |\n |\n_|\n  \n40\n0s\ns \n',
  );
  const m2 = new LatencyMonitor();
  for (let i = 0; i < 5; i++) m2.add('expire-cycle', [10, 20, 30, 40, 20][i], 1000 + i * 100);
  assert.equal(
    m2.graph('expire-cycle', m2.events.get('expire-cycle')!, 1000 + 4 * 100 + 3600 * 2),
    'expire-cycle - high 40 ms, low 10 ms (all time high 40 ms)\n' +
      '-'.repeat(80) + '\n' +
      '   # \n  #| \n o||o\n_||||\n     \n22222\nhhhhh\n',
  );
});

test('monitor: LATENCY DOCTOR texts', () => {
  const m = new LatencyMonitor();
  const ctx = { threshold: 0, slowlogSlowerThan: 10000, hz: 10, appendfsyncAlways: false };
  assert.match(m.report(ctx), /^I'm sorry, Dave, I can't do that\. Latency monitoring is disabled/);
  assert.match(m.report({ ...ctx, threshold: 100 }), /^Dave, no latency spike was observed/);
  m.add('expire-cycle', 120, 50);
  m.add('fast-command', 120, 50);
  const r = m.report({ ...ctx, threshold: 100 }, 60);
  assert.equal(
    r.split('\n').slice(0, 5).join('\n'),
    "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n" +
      '1. expire-cycle: 1 latency spikes (average 120ms, mean deviation 0ms, period 10.00 sec). Worst all time event 120ms.\n' +
      '2. fast-command: 1 latency spikes (average 120ms, mean deviation 0ms, period 10.00 sec). Worst all time event 120ms.\n',
  );
  assert.match(r, /\nI have a few advices for you:\n\n- The system is slow to execute Redis code paths/);
  assert.match(r, /- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100/);
  assert.match(r, /- Deleting, expiring or evicting \(because of maxmemory policy\) large objects is a blocking operation\./);
  m.reset(null);
  m.add('something-else', 5, 1);
  assert.match(m.report({ ...ctx, threshold: 1 }, 2), /\nWhile there are latency events logged, I'm not able to suggest any easy fix\./);
});
