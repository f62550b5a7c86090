// The performance goals of the issues, applied to benchmark rows, so that every run states which goals it met.
// A goal is a minimum ratio (redlua / Redis for throughput, Redis / redlua for costs) or, for start-up, a maximum
// time. Rows without a goal (baselines, costs in INCRs, the Lua engine, expiry timings) are informational.
import type { BenchRow } from './lib.js';

export interface Goal {
  issue: number;
  /** the ratio must be at least this */
  minRatio?: number;
  /** redlua's own value must be at most this (ms) */
  maxValue?: number;
}

const pipelined = (name: string) => /-P 16/.test(name);

/** Throughput goals of a family: `unpiped` without pipelining, 0.5 with -P 16 (every issue sets 0.5 there). */
const throughput = (issue: number, unpiped: number) => (row: BenchRow): Goal | null =>
  row.unit === 'req/s' ? { issue, minRatio: pipelined(row.name) ? 0.5 : unpiped } : null;

const rules: Record<string, (row: BenchRow) => Goal | null> = {
  // #3: ≥ 0.9× unpipelined, ≥ 0.5× with -P 16, RSS ≤ 2× Redis's, start to first PONG (embedded) ≤ 150 ms
  core: throughput(3, 0.9),
  keyspace: throughput(3, 0.9),
  memory: row => (row.name.startsWith('RSS after') ? { issue: 3, minRatio: 0.5 } : null),
  startup: row => (row.name.includes('embedded') ? { issue: 3, maxValue: 150 } : null),
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
  // #16: unpipelined SET with appendfsync everysec ≥ 0.8× redlua without AOF
  aof: row => (row.name.startsWith('redlua SET everysec') ? { issue: 16, minRatio: 0.8 } : null),
  // #15: SAVE of 1M small keys ≤ 2× Redis's time; while BGSAVE writes 1M keys, p99 reply latency ≤ 50 ms under load
  persistence: row => {
    if (row.name.startsWith('SAVE of')) return { issue: 15, minRatio: 0.5 };
    if (row.name.endsWith('p99 reply latency')) return { issue: 15, maxValue: 50 };
    return null;
  },
};

/** The goal a row of `section` (core, memory, startup or a bench/<family> name) is held to, if any. */
export function goalFor(section: string, row: BenchRow): Goal | null {
  return rules[section]?.(row) ?? null;
}

export function goalMet(g: Goal, row: BenchRow): boolean {
  if (g.maxValue !== undefined) return row.redlua > 0 && row.redlua <= g.maxValue;
  return row.ratio >= (g.minRatio ?? 0);
}

/** "≥ 0.90" or "≤ 150 ms". */
function goalBound(g: Goal): string {
  return g.maxValue !== undefined ? `≤ ${g.maxValue} ms` : `≥ ${g.minRatio!.toFixed(2)}`;
}

/** "≥ 0.90 #5" or "≤ 150 ms #3". */
export function goalText(g: Goal): string {
  return `${goalBound(g)} #${g.issue}`;
}

/** One line for the run's summary: "#5 zsets ZADD: 0.61 (goal ≥ 0.80)". */
export function goalLine(g: Goal, row: BenchRow, section: string): string {
  const value = g.maxValue !== undefined ? `${row.redlua.toFixed(1)} ms` : row.ratio.toFixed(2);
  return `#${g.issue} ${section} ${row.name}: ${value} (goal ${goalBound(g)})`;
}
