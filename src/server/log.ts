// Logging through pino at Redis's levels (debug, verbose, notice, warning); JSON by default, readable on a TTY (Redis: serverLog).
// pino is loaded lazily, only when something is actually logged somewhere: an embedded silent server never pays for it.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Logger } from 'pino';

export type RedisLogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

const LEVELS = { debug: 20, verbose: 25, notice: 30, warning: 40 } as const;

export interface LogOptions {
  level: RedisLogLevel;
  /** '' = stdout, a path = append to that file, 'silent' = no output */
  file: string;
  /** Each JSON log line goes to this function instead of a file or stdout (embedding: startServer({ onLog })). */
  sink?: (line: string) => void;
  pretty?: boolean;
}

export type ServerLogger = Logger<'verbose' | 'notice' | 'warning'>;

const require = createRequire(import.meta.url);

/** A logger that drops everything, with pino's surface (level can be read and set, child loggers, flush). */
function silentLogger(): ServerLogger {
  const noop = (): void => {};
  const l = {
    level: 'silent',
    levels: { values: { ...LEVELS, silent: Infinity }, labels: {} },
    debug: noop,
    verbose: noop,
    notice: noop,
    warning: noop,
    info: noop,
    warn: noop,
    error: noop,
    fatal: noop,
    trace: noop,
    silent: noop,
    flush: noop,
    isLevelEnabled: () => false,
    child: () => l,
    bindings: () => ({}),
  };
  return l as unknown as ServerLogger;
}

export function createLogger(opts: LogOptions): ServerLogger {
  if (opts.file === 'silent') return silentLogger();
  const pino = require('pino') as typeof import('pino').default;
  const options = {
    level: opts.level,
    customLevels: LEVELS,
    base: { pid: process.pid, role: 'master' },
  };
  const sink = opts.sink;
  if (sink) return pino(options, { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) }) as ServerLogger;
  if (opts.file) return pino(options, pino.destination({ dest: opts.file, append: true, sync: false })) as ServerLogger;
  if (opts.pretty ?? process.stdout.isTTY) {
    // A small synchronous pretty printer in Redis's own log line style, to avoid a worker-thread transport.
    const marks: Record<number, string> = { 20: '.', 25: '-', 30: '*', 40: '#' };
    const stream = {
      write(line: string) {
        const o = JSON.parse(line) as { time: number; level: number; msg: string; pid: number };
        const d = new Date(o.time);
        const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
        const ts = `${d.getUTCDate()} ${mon} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`;
        fs.writeSync(1, `${o.pid}:M ${ts} ${marks[o.level] ?? '*'} ${o.msg}\n`);
      },
    };
    return pino(options, stream) as ServerLogger;
  }
  return pino(options, pino.destination({ dest: 1, sync: false })) as ServerLogger;
}

/** Maps a Redis log level number (redis.log: 0..3) to the logger method. */
export function logAt(log: ServerLogger, level: number, msg: string): void {
  if (level <= 0) log.debug(msg);
  else if (level === 1) log.verbose(msg);
  else if (level === 2) log.notice(msg);
  else log.warning(msg);
}
