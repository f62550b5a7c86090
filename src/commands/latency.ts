// LATENCY LATEST/HISTORY/RESET/GRAPH/DOCTOR/HISTOGRAM/HELP (Redis: latency.c latencyCommand); the data is
// src/server/latency.ts, fed by the dispatcher (command, fast-command), expiry and eviction.
import { allCommands, type CommandSpec, type Handler } from './table.js';
import type { Client } from '../server/client.js';
import type { Reply } from '../protocol/reply.js';
import { E } from '../errors.js';
import { replyHelp, lookupByName } from './server-common.js';
import type { Histogram } from '../server/latency.js';

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

function latencyHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, LATENCY_HELP);
}

/** latencyCommandReplyWithLatestEvents: [event, time, latency, all-time max] per event. */
function latencyLatestCommand(c: Client): void {
  const lm = c.server.latency;
  c.reply.arrayLen(lm.events.size);
  for (const [event, ts] of lm.events) {
    const last = lm.latest(ts);
    c.reply.arrayLen(4);
    c.reply.bulkStr(event);
    c.reply.int(last.time);
    c.reply.int(last.latency);
    c.reply.int(ts.max);
  }
}

/** latencyCommandReplyWithSamples: [time, latency] pairs, oldest first. Event names are case-sensitive here. */
function latencyHistoryCommand(c: Client, argv: Buffer[]): void {
  const lm = c.server.latency;
  const ts = lm.events.get(argv[2].toString('latin1'));
  if (ts === undefined) return c.reply.arrayLen(0);
  const samples = lm.samples(ts);
  c.reply.arrayLen(samples.length);
  for (const s of samples) {
    c.reply.arrayLen(2);
    c.reply.int(s.time);
    c.reply.int(s.latency);
  }
}

function latencyResetCommand(c: Client, argv: Buffer[]): void {
  const lm = c.server.latency;
  if (argv.length === 2) return c.reply.int(lm.reset(null));
  let n = 0;
  for (let j = 2; j < argv.length; j++) n += lm.reset(argv[j].toString('latin1'));
  c.reply.int(n);
}

function latencyGraphCommand(c: Client, argv: Buffer[]): void {
  const event = argv[2].toString('latin1');
  const ts = c.server.latency.events.get(event);
  if (ts === undefined) return c.reply.errorSafe(E.latencyNoSamples(event));
  c.reply.verbatim(Buffer.from(c.server.latency.graph(event, ts), 'latin1'));
}

function latencyDoctorCommand(c: Client): void {
  const s = c.server;
  const report = s.latency.report({
    threshold: s.latency.threshold,
    slowlogSlowerThan: s.config.num('slowlog-log-slower-than'),
    hz: s.config.entry('hz') ? s.config.num('hz') : 10,
    appendfsyncAlways: s.config.get('appendfsync') === 'always',
  });
  c.reply.verbatim(Buffer.from(report, 'latin1'));
}

/** fillCommandCDF: {calls, histogram_usec: {usec: cumulative count, …}} */
function writeCdf(r: Reply, name: string, h: Histogram): void {
  r.bulkStr(name);
  r.mapLen(2);
  r.bulkStr('calls');
  r.int(h.total);
  r.bulkStr('histogram_usec');
  const cdf = h.cdf();
  r.mapLen(cdf.length);
  for (const [usec, count] of cdf) {
    r.int(usec);
    r.int(count);
  }
}

/** LATENCY HISTOGRAM [command ...]: every command with a histogram, or the named ones (and their subcommands). */
function latencyHistogramCommand(c: Client, argv: Buffer[]): void {
  const list: CommandSpec[] = [];
  if (argv.length === 2) {
    for (const spec of allCommands()) if (spec.stats.histogram) list.push(spec);
  } else {
    for (let i = 2; i < argv.length; i++) {
      const spec = lookupByName(argv[i].toString('latin1'));
      if (!spec) continue;
      if (spec.stats.histogram) list.push(spec);
      if (spec.subcommands) for (const sub of spec.subcommands.values()) if (sub.stats.histogram) list.push(sub);
    }
  }
  c.reply.mapLen(list.length);
  for (const spec of list) writeCdf(c.reply, spec.fullname, spec.stats.histogram!);
}

/** fillPercentileDistributionLatencies: one INFO latencystats line. */
export function latencyPercentilesLine(name: string, h: Histogram, percentiles: number[]): string {
  const parts = percentiles.map(p => `p${trimDouble(p)}=${(h.valueAtPercentile(p) / 1000).toFixed(3)}`);
  return `latency_percentiles_usec_${name}:${parts.join(',')}\r\n`;
}

/** sprintf("%f") then trimDoubleString: trailing zeros and a trailing point removed. */
export function trimDouble(p: number): string {
  const s = p.toFixed(6);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

export const handlers: Record<string, Handler> = {
  'latency|help': latencyHelpCommand,
  'latency|latest': latencyLatestCommand,
  'latency|history': latencyHistoryCommand,
  'latency|reset': latencyResetCommand,
  'latency|graph': latencyGraphCommand,
  'latency|doctor': latencyDoctorCommand,
  'latency|histogram': latencyHistogramCommand,
};
