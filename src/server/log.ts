// Logging through pino at Redis's levels (debug, verbose, notice, warning); JSON by default, readable on a TTY (Redis: serverLog).
import pino, { type Logger } from 'pino';
import fs from 'node:fs';

export type RedisLogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

const LEVELS = { debug: 20, verbose: 25, notice: 30, warning: 40 } as const;

export interface LogOptions {
  level: RedisLogLevel;
  /** '' = stdout, a path = append to that file, 'silent' = no output */
  file: string;
  pretty?: boolean;
}

export type ServerLogger = Logger<'verbose' | 'notice' | 'warning'>;

export function createLogger(opts: LogOptions): ServerLogger {
  if (opts.file === 'silent') {
    return pino({ level: 'silent', customLevels: LEVELS, useOnlyCustomLevels: false }) as ServerLogger;
  }
  const options = {
    level: opts.level,
    customLevels: LEVELS,
    base: { pid: process.pid, role: 'master' },
  };
  if (opts.file) return pino(options, pino.destination({ dest: opts.file, append: true, sync: false })) as ServerLogger;
  if (opts.pretty ?? process.stdout.isTTY) {
    // A small synchronous pretty printer in Redis's own log line style, to avoid a worker-thread transport.
    const marks: Record<number, string> = { 20: '.', 25: '-', 30: '*', 40: '#' };
    const stream = {
      write(line: string) {
        const o = JSON.parse(line) as { time: number; level: number; msg: string; pid: number };
        const d = new Date(o.time);
        const ts = d.toUTCString().slice(5, 25) + '.' + String(d.getUTCMilliseconds()).padStart(3, '0');
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
