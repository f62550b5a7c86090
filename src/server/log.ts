// The server log in Redis's own line format, `pid:role dd Mon yyyy hh:mm:ss.mmm <level-char> msg`, with loglevel
// filtering and logfile ('' = stdout); pino JSON lines behind a switch (Redis: server.c serverLogRaw, serverLogFromHandler).
// pino is loaded lazily, only for the JSON format: an embedded silent server never pays for it.
import { createRequire } from 'node:module';
import fs from 'node:fs';

export type RedisLogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
export type LogFormat = 'redis' | 'json';

/** Redis's LL_* levels; serverLog(level, msg) takes these (and redis.log's 0..3 are the same numbers). */
export const LL_DEBUG = 0;
export const LL_VERBOSE = 1;
export const LL_NOTICE = 2;
export const LL_WARNING = 3;

const LEVEL_NAMES: readonly RedisLogLevel[] = ['debug', 'verbose', 'notice', 'warning'];
/** the level characters of serverLogRaw: debug '.', verbose '-', notice '*', warning '#' */
const LEVEL_CHARS = '.-*#';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface LogOptions {
  level: RedisLogLevel;
  /** '' = stdout, a path = append to that file, 'silent' = no output */
  file: string;
  /** 'redis' (the default): Redis's line format; 'json': one pino JSON object per line */
  format?: LogFormat;
  /** the role character: 'C' until the server is initialised (as redis-server prints its first lines), then 'M' */
  role?: string;
  /** JSON lines go to this function instead of a file or stdout (embedding: startServer({ onLog })) */
  sink?: (line: string) => void;
}

export interface ServerLogger {
  /** the current minimum level ('silent' drops everything and cannot be changed by CONFIG SET loglevel) */
  level: RedisLogLevel | 'silent';
  /** M master, S replica, C child / not yet initialised, X sentinel */
  role: string;
  debug(msg: string): void;
  verbose(msg: string): void;
  notice(msg: string): void;
  warning(msg: string): void;
  /** serverLog(level, msg) with a Redis LL_* level */
  log(level: number, msg: string): void;
  /** serverLogRaw(level|LL_RAW, text): the text as is, no prefix (the ASCII logo) */
  raw(level: number, text: string): void;
  /** serverLogFromHandler: `pid:signal-handler (unixtime) msg`, as signal handlers log in Redis */
  fromHandler(level: number, msg: string): void;
  /** waits for queued output (JSON to a file is asynchronous); the Redis format writes synchronously */
  flush(): void;
}

/** `07 Dec 2026 01:10:59.368` in local time: strftime("%d %b %Y %H:%M:%S.") plus milliseconds. */
export function logTimestamp(d: Date): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** One line exactly as serverLogRaw writes it (without the newline). */
export function formatLogLine(pid: number, role: string, level: number, msg: string, d = new Date()): string {
  return `${pid}:${role} ${logTimestamp(d)} ${LEVEL_CHARS[level]} ${msg}`;
}

function levelNumber(l: RedisLogLevel | 'silent'): number {
  const i = LEVEL_NAMES.indexOf(l as RedisLogLevel);
  return i < 0 ? Infinity : i;
}

const require = createRequire(import.meta.url);

abstract class BaseLogger implements ServerLogger {
  private min: number;
  private name: RedisLogLevel | 'silent';
  role: string;

  constructor(level: RedisLogLevel | 'silent', role: string) {
    this.name = level;
    this.min = levelNumber(level);
    this.role = role;
  }

  get level(): RedisLogLevel | 'silent' {
    return this.name;
  }

  set level(l: RedisLogLevel | 'silent') {
    this.name = l;
    this.min = levelNumber(l);
  }

  protected abstract emit(level: number, msg: string): void;
  protected abstract emitRaw(text: string): void;

  log(level: number, msg: string): void {
    const l = Math.max(LL_DEBUG, Math.min(LL_WARNING, level | 0));
    if (l >= this.min) this.emit(l, msg);
  }
  raw(level: number, text: string): void {
    if (level >= this.min) this.emitRaw(text);
  }
  fromHandler(level: number, msg: string): void {
    if (level >= this.min) this.emitRaw(`${process.pid}:signal-handler (${Math.floor(Date.now() / 1000)}) ${msg}\n`);
  }
  debug(msg: string): void {
    this.log(LL_DEBUG, msg);
  }
  verbose(msg: string): void {
    this.log(LL_VERBOSE, msg);
  }
  notice(msg: string): void {
    this.log(LL_NOTICE, msg);
  }
  warning(msg: string): void {
    this.log(LL_WARNING, msg);
  }
  flush(): void {}
}

/** Redis's format: each line written synchronously, a logfile opened in append mode per line as Redis does (logrotate-safe). */
class RedisFormatLogger extends BaseLogger {
  constructor(
    level: RedisLogLevel,
    role: string,
    private readonly file: string,
  ) {
    super(level, role);
  }
  protected emit(level: number, msg: string): void {
    this.emitRaw(formatLogLine(process.pid, this.role, level, msg) + '\n');
  }
  protected emitRaw(text: string): void {
    try {
      if (this.file === '') fs.writeSync(1, text);
      else fs.appendFileSync(this.file, text);
    } catch {
      // Redis drops the line when the log cannot be opened (fopen failing) and goes on serving
    }
  }
}

/** pino JSON lines: {"level":30,"time":…,"pid":…,"role":"master","msg":"…"} with Redis's levels as pino custom levels. */
class JsonLogger extends BaseLogger {
  private readonly pino: import('pino').Logger<RedisLogLevel>;
  private static readonly PINO_LEVELS = { debug: 20, verbose: 25, notice: 30, warning: 40 };

  constructor(level: RedisLogLevel, role: string, file: string, sink?: (line: string) => void) {
    super(level, role);
    const pino = require('pino') as typeof import('pino').default;
    const options = { level: 'debug', customLevels: JsonLogger.PINO_LEVELS, base: { pid: process.pid } };
    const dest = sink
      ? { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) }
      : file
        ? pino.destination({ dest: file, append: true, sync: false })
        : pino.destination({ dest: 1, sync: true });
    this.pino = pino(options, dest) as import('pino').Logger<RedisLogLevel>;
  }
  override flush(): void {
    const d = (this.pino as unknown as { flush?: () => void }).flush;
    if (d) this.pino.flush();
  }
  private roleName(): string {
    return { M: 'master', S: 'replica', C: 'child', X: 'sentinel' }[this.role] ?? this.role;
  }
  protected emit(level: number, msg: string): void {
    this.pino[LEVEL_NAMES[level]]({ role: this.roleName() }, msg);
  }
  protected emitRaw(text: string): void {
    this.pino.notice({ role: this.roleName(), raw: true }, text.replace(/\n+$/, ''));
  }
}

class SilentLogger extends BaseLogger {
  constructor() {
    super('silent', 'M');
  }
  override set level(_l: RedisLogLevel | 'silent') {
    /* stays silent */
  }
  override get level(): RedisLogLevel | 'silent' {
    return 'silent';
  }
  protected emit(): void {}
  protected emitRaw(): void {}
}

/** The log format chosen by the environment: REDLUA_LOG_FORMAT=json selects pino JSON (the CLI's --log-format sets it too). */
export function defaultLogFormat(): LogFormat {
  return process.env.REDLUA_LOG_FORMAT === 'json' ? 'json' : 'redis';
}

export function createLogger(opts: LogOptions): ServerLogger {
  if (opts.file === 'silent') return new SilentLogger();
  const role = opts.role ?? 'M';
  return (opts.format ?? defaultLogFormat()) === 'json' ? new JsonLogger(opts.level, role, opts.file, opts.sink) : new RedisFormatLogger(opts.level, role, opts.file);
}

/** serverLog(level, msg) for a subsystem holding the server's logger: LL_DEBUG..LL_WARNING (redis.log's 0..3 too). */
export function serverLog(log: ServerLogger, level: number, msg: string): void {
  log.log(level, msg);
}

/** The name scripting uses for serverLog. */
export const logAt = serverLog;

/** The ASCII logo of redisAsciiArt, filled in as Redis does (version, sha/dirty, bits, mode, port, pid). */
export function asciiLogo(port: number, mode = 'standalone', pid = process.pid): string {
  return [
    '                _._                                                  ',
    "           _.-``__ ''-._                                             ",
    `      _.-\`\`    \`.  \`_.  ''-._           Redis 7.0.15 (00000000/0) 64 bit`,
    "  .-`` .-```.  ```\\/    _.,_ ''-._                                  ",
    ` (    '      ,       .-\`  | \`,    )     Running in ${mode} mode`,
    ` |\`-._\`-...-\` __...-.\`\`-._|'\` _.-'|     Port: ${port}`,
    ` |    \`-._   \`._    /     _.-'    |     PID: ${pid}`,
    "  `-._    `-._  `-./  _.-'    _.-'                                   ",
    " |`-._`-._    `-.__.-'    _.-'_.-'|                                  ",
    " |    `-._`-._        _.-'_.-'    |           https://redis.io       ",
    "  `-._    `-._`-.__.-'_.-'    _.-'                                   ",
    " |`-._`-._    `-.__.-'    _.-'_.-'|                                  ",
    " |    `-._`-._        _.-'_.-'    |                                  ",
    "  `-._    `-._`-.__.-'_.-'    _.-'                                   ",
    "      `-._    `-.__.-'    _.-'                                       ",
    "          `-._        _.-'                                           ",
    "              `-.__.-'                                               ",
    '',
    '',
  ].join('\n');
}

/**
 * sigsegvHandler's report, for the fatal signals a process can still catch from JavaScript (kill -SIGABRT, DEBUG
 * SEGFAULT): Redis's START line, the "crashed by signal" line and the END text (no stack trace: there is no C stack to walk).
 */
export function logBugReport(log: ServerLogger, signo: number, lines: string[] = []): void {
  log.raw(LL_WARNING, '\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n');
  log.warning(`Redis 7.0.15 crashed by signal: ${signo}, si_code: 0`);
  for (const l of lines) log.warning(l);
  log.raw(
    LL_WARNING,
    '\n=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n\n' +
      '       Please report the crash by opening an issue on github:\n\n' +
      '           http://github.com/redis/redis/issues\n\n' +
      "  If a Redis module was involved, please open in the module's repo instead.\n\n" +
      '  Suspect RAM error? Use redis-server --test-memory to verify it.\n\n' +
      '  Some other issues could be detected by redis-server --check-system\n',
  );
}
