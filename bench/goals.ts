// The performance goals of the issues, applied to benchmark rows, so that every run states which goals it met.
// A goal is a minimum ratio (redlua / Redis for throughput, Redis / redlua for costs) or, for start-up, a maximum
// time. Rows without a goal (baselines, costs in INCRs, the Lua engine, expiry timings) are informational.
import type { BenchRow } from './lib.js';

export interface Goal {
  issue: number;
  /** the ratio must be at least this */
  minRatio?: number;
  /** redlua's own value must be at most this (in the row's unit: ms, or bytes) */
  maxValue?: number;
  /** the unit of maxValue, for printing (default ms) */
  unit?: 'ms' | 'bytes';
}

const pipelined = (name: string) => /-P 16/.test(name);

/** Throughput goals of a family: `unpiped` without pipelining, 0.5 with -P 16 (every issue sets 0.5 there). */
const throughput = (issue: number, unpiped: number) => (row: BenchRow): Goal | null =>
  row.unit === 'req/s' ? { issue, minRatio: pipelined(row.name) ? 0.5 : unpiped } : null;

const rules: Record<string, (row: BenchRow) => Goal | null> = {
  // #3: ≥ 0.9× unpipelined, ≥ 0.5× with -P 16, RSS ≤ 2× Redis's (its start-up goal is in coldstart)
  core: throughput(3, 0.9),
  keyspace: throughput(3, 0.9),
  memory: row => (row.name.startsWith('RSS after') ? { issue: 3, minRatio: 0.5 } : null),
  // #5: ≥ 0.8× unpipelined, ≥ 0.5× with -P 16
  collections: throughput(5, 0.8),
  zsets: throughput(5, 0.8),
  // #6: EVALSHA and FCALL ≥ 0.9× unpipelined, ≥ 0.5× with -P 16; CPU-bound scripts take ≤ 1.5× Redis's time
  scripting: row => {
    if (row.name.startsWith('CPU-bound')) return { issue: 6, minRatio: 1 / 1.5 };
    if (row.unit !== 'req/s' || !/^(EVALSHA|FCALL)/.test(row.name)) return null;
    return { issue: 6, minRatio: pipelined(row.name) ? 0.5 : 0.9 };
  },
  // #7: ≥ 0.8× unpipelined, ≥ 0.5× with -P 16
  streams: throughput(7, 0.8),
  // #17: a restricted user's GET/SET ≥ 0.95× the default user's (redlua's rows; redis-server's are the reference)
  acl: row => (row.name.startsWith('redlua:') ? { issue: 17, minRatio: 0.95 } : null),
  // #22: CLI ≤ 100 ms and embedded ≤ 40 ms to the first PONG, first SCRIPT LOAD/EVAL ≤ 3 ms, the first 1000 mixed
  // commands within 2× of Redis's time, idle RSS ≤ 40 MB, a suite with a server per file ≤ 1.2× Redis's time
  // (#3's embedded ≤ 150 ms is the weaker goal of the same row)
  coldstart: row => {
    if (row.name.startsWith('start to first PONG (CLI')) return { issue: 22, maxValue: 100 };
    if (row.name.startsWith('start to first PONG (embedded')) return { issue: 22, maxValue: 40 };
    if (row.name.startsWith('first SCRIPT LOAD') || row.name.startsWith('first EVAL')) return { issue: 22, maxValue: 3 };
    if (row.name.startsWith('first 1000 mixed')) return { issue: 22, minRatio: 0.5 };
    if (row.name.startsWith('idle RSS')) return { issue: 22, maxValue: 40 * 1024 * 1024, unit: 'bytes' };
    if (row.name.startsWith('suite of')) return { issue: 22, minRatio: 1 / 1.2 };
    return null;
  },
  // #15: SAVE of 1M small keys ≤ 2× Redis's time; while BGSAVE writes 1M keys, p99 reply latency ≤ 50 ms under load
  persistence: row => {
    if (row.name.startsWith('SAVE of')) return { issue: 15, minRatio: 0.5 };
    if (row.name.endsWith('p99 reply latency')) return { issue: 15, maxValue: 50 };
    return null;
  },
  // #23: RSS within 2× of redis-server's 10 s after each spike ends (the peaks are informational)
  spikes: row => (/: RSS \d+(\.\d+)? s after$/.test(row.name) ? { issue: 23, minRatio: 0.5 } : null),
  // #23: p99.9 and max PING latency of a health client under background CPU load within 2× of redis-server's
  latency: row => (/PING (p99\.9|max)/.test(row.name) ? { issue: 23, minRatio: 0.5 } : null),
  // #16: unpipelined SET with appendfsync everysec ≥ 0.8× redlua without AOF
  aof: row => (row.name.startsWith('redlua SET everysec') ? { issue: 16, minRatio: 0.8 } : null),
};

/** The goal a row of `section` (core, memory, startup or a bench/<family> name) is held to, if any. */
export function goalFor(section: string, row: BenchRow): Goal | null {
  return rules[section]?.(row) ?? null;
}

export function goalMet(g: Goal, row: BenchRow): boolean {
  if (g.maxValue !== undefined) return row.redlua > 0 && row.redlua <= g.maxValue;
  return row.ratio >= (g.minRatio ?? 0);
}

/** "≥ 0.90", "≤ 150 ms" or "≤ 40 MB". */
function goalBound(g: Goal): string {
  if (g.maxValue === undefined) return `≥ ${g.minRatio!.toFixed(2)}`;
  return g.unit === 'bytes' ? `≤ ${g.maxValue / 2 ** 20} MB` : `≤ ${g.maxValue} ms`;
}

/** "≥ 0.90 #5" or "≤ 150 ms #3". */
export function goalText(g: Goal): string {
  return `${goalBound(g)} #${g.issue}`;
}

/** One line for the run's summary: "#5 zsets ZADD: 0.61 (goal ≥ 0.80)". */
export function goalLine(g: Goal, row: BenchRow, section: string): string {
  const value = g.maxValue === undefined ? row.ratio.toFixed(2) : g.unit === 'bytes' ? `${(row.redlua / 2 ** 20).toFixed(1)} MB` : `${row.redlua.toFixed(1)} ms`;
  return `#${g.issue} ${section} ${row.name}: ${value} (goal ${goalBound(g)})`;
}
