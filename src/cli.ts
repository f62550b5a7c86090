#!/usr/bin/env node
// redlua-server: the command line with redis-server's conventions, `redlua-server [config-file] [--directive value ...] [-]`
// (Redis: server.c main, config.c loadServerConfig). Errors in the configuration are reported exactly as redis-server does.
import { startListeners, ListenerError, signalReady } from './server/listeners.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server, REDLUA_VERSION, REDIS_VERSION, reprArg } from './server/server.js';
import { Config, ConfigError, errnoText } from './server/config.js';
import { createLogger, defaultLogFormat, formatLogLine, asciiLogo, logBugReport, LL_NOTICE, LL_WARNING, type LogFormat, type RedisLogLevel, type ServerLogger } from './server/log.js';
import { spawn } from 'node:child_process';
import { AclStartupError } from './acl/index.js';
import { launchedByNpm, watchLauncher } from './server/launcher.js';
import { warmUp } from './server/warmup.js';
import { RdbLoadError } from './persistence/rdb-file.js';
import { AofFatalError } from './persistence/aof-manifest.js';

function usage(): never {
  process.stderr.write(
    'Usage: ./redlua-server [/path/to/redis.conf] [options] [-]\n' +
      '       ./redlua-server - (read config from stdin)\n' +
      '       ./redlua-server -v or --version\n' +
      '       ./redlua-server -h or --help\n\n' +
      'Examples:\n' +
      '       ./redlua-server (run the server with default conf)\n' +
      "       echo 'maxmemory 128mb' | ./redlua-server -\n" +
      '       ./redlua-server /etc/redis/6379.conf\n' +
      '       ./redlua-server --port 7777\n' +
      '       ./redlua-server --port 7777 --requirepass secret\n' +
      '       ./redlua-server /etc/myredis.conf --loglevel verbose -\n' +
      '       ./redlua-server /etc/myredis.conf --loglevel verbose\n\n',
  );
  process.exit(1);
}

/** serverLog before the server exists (role C, stdout), for the messages Redis prints while reading its configuration. */
function rawLog(level: number, msg: string): void {
  process.stdout.write(formatLogLine(process.pid, 'C', level, msg) + '\n');
}

export interface ParsedArgs {
  configFile: string | null;
  fromStdin: boolean;
  /** the "--name value" options as redis.conf lines */
  options: string;
}

/**
 * main()'s argument handling: an optional config file first, "-" (first or last) for stdin, then "--name args…"
 * turned into config lines, each argument quoted with sdscatrepr so values round-trip exactly.
 */
export function parseArgs(argv: string[]): ParsedArgs {
  let j = 0;
  let configFile: string | null = null;
  let fromStdin = false;
  let options = '';
  if (argv.length && argv[0][0] !== '-') {
    configFile = path.resolve(argv[0]);
    j = 1;
  }
  let handledLast = true;
  for (; j < argv.length; j++) {
    const a = argv[j];
    if (a === '-' && (j === 0 || j === argv.length - 1)) {
      fromStdin = true;
    } else if (handledLast && a.startsWith('--')) {
      if (options.length) options += '\n';
      options += a.slice(2) + ' ';
      const parts = a.trim().split(/\s+/).filter(Boolean);
      if (parts.length === 1) {
        handledLast = false;
        const nextIsOption = j !== argv.length - 1 && argv[j + 1].startsWith('--');
        if (a.toLowerCase() === '--save' && (nextIsOption || j === argv.length - 1)) {
          // `--save` with no value means `save ""` (7.0.1 compatibility)
          options += '""';
          if (nextIsOption) handledLast = true;
        }
      } else handledLast = true;
    } else {
      options += reprArg(Buffer.from(a, 'utf8')) + ' ';
      handledLast = true;
    }
  }
  return { configFile, fromStdin, options };
}

/** loadServerConfig: file, then stdin, then the options, as one redis.conf text. Exits like redis-server on errors. */
export function buildConfigText(p: ParsedArgs): string {
  let config = '';
  if (p.configFile !== null) {
    try {
      config += fs.readFileSync(p.configFile, 'utf8');
    } catch (ex) {
      rawLog(LL_WARNING, `Fatal error, can't open config file '${p.configFile}': ${errnoText(ex)}`);
      process.exit(1);
    }
  }
  if (p.fromStdin) {
    rawLog(LL_WARNING, 'Reading config from stdin');
    config += fs.readFileSync(0, 'utf8');
  }
  if (p.options) config += '\n' + p.options;
  return config;
}

/** redlua-only options, taken out before Redis's argument handling: `--log-format redis|json`. */
export function takeRedluaOptions(argv: string[]): { argv: string[]; logFormat: LogFormat | null; error?: string } {
  const out: string[] = [];
  let logFormat: LogFormat | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--log-format') {
      out.push(argv[i]);
      continue;
    }
    const v = argv[i + 1];
    if (v !== 'redis' && v !== 'json') return { argv: out, logFormat, error: "--log-format must be 'redis' or 'json'" };
    logFormat = v;
    i++;
  }
  return { argv: out, logFormat };
}

/** Set in the environment of the process that `daemonize yes` respawns: it is the daemon (server.c daemonize()). */
const DAEMON_CHILD_ENV = 'REDLUA_DAEMON_CHILD';

interface StartupConfig {
  text: string;
  /** argc == 1 in Redis: no config file and no options */
  bare: boolean;
  /** the config file given first, for CONFIG REWRITE and INFO's config_file */
  configFile: string | null;
}

/**
 * daemonize(): Node cannot fork, so the server respawns itself detached in a new session (setsid), stdio on /dev/null,
 * and receives the configuration already read (stdin cannot be read twice). The parent exits once the daemon listens,
 * or with the daemon's failure.
 */
function daemonize(cfg: StartupConfig, logFormat: LogFormat): void {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [DAEMON_CHILD_ENV]: '1', REDLUA_LOG_FORMAT: logFormat },
  });
  child.send(cfg);
  child.on('message', m => {
    if (m === 'ready') process.exit(0);
  });
  child.on('exit', code => {
    process.stderr.write(`redlua: the daemonized server (pid ${child.pid}) exited with ${code ?? 'a signal'} before accepting connections; see its logfile\n`);
    process.exit(code || 1);
  });
}

/** The daemon's side of daemonize(): the configuration comes from the parent over IPC. */
function receiveStartupConfig(): Promise<StartupConfig> {
  return new Promise(resolve => process.once('message', m => resolve(m as StartupConfig)));
}

function readStartupConfig(args: string[]): StartupConfig {
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=libc bits=64 build=redlua-${REDLUA_VERSION}\n`);
    process.exit(0);
  }
  if (args[0] === '--help' || args[0] === '-h') usage();
  const parsed = parseArgs(args);
  return { text: args.length ? buildConfigText(parsed) : '', bare: args.length === 0, configFile: parsed.configFile };
}

/** loadServerConfig's checks: a bad configuration is reported exactly as redis-server reports it, exit 1. */
function loadConfig(text: string): Config {
  const probe = new Config();
  try {
    probe.loadText(text);
    probe.checkLoaded();
  } catch (e) {
    if (e instanceof ConfigError) {
      if (e.message.startsWith('Fatal error')) rawLog(LL_WARNING, e.message);
      else process.stderr.write(e.message + '\n');
      process.exit(1);
    }
    throw e;
  }
  // the log file must open now: the server could not abort for it later
  const logfile = probe.get('logfile');
  if (logfile !== '') {
    try {
      fs.appendFileSync(logfile, '');
    } catch (e) {
      process.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\nCan't open the log file: ${errnoText(e)}\n`);
      process.exit(1);
    }
  }
  return probe;
}

/** redisIsSupervised: a supervisor is detected from its environment (upstart's UPSTART_JOB, systemd's NOTIFY_SOCKET). */
function supervised(mode: string): boolean {
  const upstart = !!process.env.UPSTART_JOB;
  const systemd = !!process.env.NOTIFY_SOCKET;
  return mode === 'upstart' ? upstart : mode === 'systemd' ? systemd : mode === 'auto' ? upstart || systemd : false;
}

async function main(): Promise<void> {
  const daemonChild = process.env[DAEMON_CHILD_ENV] === '1';
  if (process.argv[2] === '--ping') process.exit(await (await import('./ping.js')).pingMain(process.argv.slice(3)));
  const taken = takeRedluaOptions(process.argv.slice(2));
  if (taken.error) {
    process.stderr.write(taken.error + '\n');
    process.exit(1);
  }
  const logFormat: LogFormat = taken.logFormat ?? defaultLogFormat();
  const cfg = daemonChild ? await receiveStartupConfig() : readStartupConfig(taken.argv);
  const probe = loadConfig(cfg.text);
  if (probe.bool('syslog-enabled')) {
    // Redis writes to syslog(3), i.e. the /dev/log datagram socket, which Node.js cannot open
    process.stderr.write('redlua: syslog-enabled yes is not supported (Node.js has no unix datagram sockets for /dev/log); use logfile, or run under a supervisor that collects stdout\n');
    process.exit(1);
  }
  const background = probe.bool('daemonize') && !supervised(probe.get('supervised'));
  if (background && !daemonChild) return daemonize(cfg, logFormat);

  const log: ServerLogger = createLogger({ level: probe.get('loglevel') as RedisLogLevel, file: probe.get('logfile'), format: logFormat, role: 'C' });
  log.warning('oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log.warning(`Redis version=${REDIS_VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`);
  if (cfg.bare) {
    log.warning('Warning: no config file specified, using the default config. In order to specify a config file use redlua-server /path/to/redis.conf');
  } else log.warning('Configuration loaded');

  // initServer
  let server: Server;
  try {
    server = new Server({ configText: cfg.text, configFile: cfg.configFile, logger: log });
  } catch (e) {
    // ACLLoadUsersAtStartup: the users of the configuration could not be loaded
    if (e instanceof AclStartupError) {
      for (const line of e.lines) log.warning(line);
      log.flush();
      process.exit(1);
    }
    throw e;
  }
  log.role = 'M';
  const pidfile = server.config.get('pidfile') || (background ? '/var/run/redis.pid' : '');
  // setupSignalHandlers (initServer): installed before anything can announce readiness
  let stopping = false;
  /** The end of finishShutdown: listeners and clients closed, the pid file removed, the process exits. */
  const exitNow = () => {
    stopping = true;
    void server.close().then(() => {
      if (pidfile) {
        log.notice('Removing the pid file.');
        try {
          fs.unlinkSync(pidfile);
        } catch {
          /* already gone */
        }
      }
      log.warning('Redis is now ready to exit, bye bye...');
      log.flush();
      process.exit(0);
    });
  };
  /** The cron's shutdown after a signal: shutdown-on-sigint / shutdown-on-sigterm choose the flags. */
  server.onSignalShutdown = (sig: 'SIGTERM' | 'SIGINT') => {
    server.shutdownAsap = null;
    stopping = true;
    const words = server.config.get(sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm').split(' ');
    const flags = { save: words.includes('save'), nosave: words.includes('nosave'), now: words.includes('now'), force: words.includes('force') };
    if (server.shutdown.prepare(flags) === 'failed') stopping = false;
  };
  server.onShutdownCancelled = () => {
    stopping = false;
  };
  /**
   * sigShutdownHandler: only records the request (the cron acts on it); a second SIGINT exits at once. So does a second
   * SIGTERM while a script is busy: the cron cannot run before the script ends, and a service manager's stop would
   * otherwise wait for its SIGKILL.
   */
  const onSignal = (sig: 'SIGTERM' | 'SIGINT') => {
    if ((server.shutdownAsap !== null || stopping) && (sig === 'SIGINT' || server.scripting.isTimedOut())) {
      log.fromHandler(LL_WARNING, 'You insist... exiting now.');
      server.persistence.removeTempFiles();
      log.flush();
      process.exit(1);
    }
    log.fromHandler(LL_WARNING, server.persistence.loading ? 'Received shutdown signal during loading, scheduling shutdown.' : `Received ${sig} scheduling shutdown...`);
    server.shutdownAsap = sig;
  };
  // The SHUTDOWN command (src/commands/server.ts) ends the process through this hook once it has saved.
  server.onShutdown = exitNow;
  // explicit handlers: as a container's PID 1, node gets no default action for these signals
  // (through server.signals: while a script is busy, a watcher thread sees them before the event loop can)
  server.signals.handler = onSignal;
  process.on('SIGTERM', () => server.signals.deliver('SIGTERM'));
  process.on('SIGINT', () => server.signals.deliver('SIGINT'));
  // under npx / npm start, npm's SIGTERM reaches only the `sh -c` between us: stop when that launcher goes
  if (launchedByNpm()) watchLauncher(() => onSignal('SIGTERM'));
  // setupSigSegvAction: a crash report, then the signal's default action (core, exit status 128+signo)
  for (const [sig, signo] of [['SIGSEGV', 11], ['SIGBUS', 7], ['SIGFPE', 8], ['SIGILL', 4], ['SIGABRT', 6]] as const) {
    process.on(sig, () => {
      logBugReport(log, signo);
      if (background && pidfile) fs.rmSync(pidfile, { force: true });
      process.removeAllListeners(sig);
      process.kill(process.pid, sig);
    });
  }
  // main() order: initServer (listeners, pidfile), the logo, "Server initialized", then loadDataFromDisk
  server.loadAfterListen = true;
  // initListeners: TCP (every bind address), tls-port and unixsocket; what cannot be honoured stops the start
  try {
    await startListeners(server);
  } catch (e) {
    if (!(e instanceof ListenerError)) throw e;
    for (const line of e.log) log.warning(line);
    log.flush();
    process.exit(1);
  }
  // createPidFile: best effort, as in Redis (no message when it cannot be written); the default path when daemonized
  if (pidfile) {
    try {
      fs.writeFileSync(pidfile, `${process.pid}\n`);
    } catch {
      /* Redis ignores it too */
    }
  }
  // the Lua engine compiles in the background while the first commands are served
  warmUp(server);
  // redisAsciiArt: the logo when forced, or on a terminal when logging to stdout
  const mode = server.config.bool('cluster-enabled') ? 'cluster' : 'standalone';
  if (server.config.bool('always-show-logo') || (server.config.get('logfile') === '' && process.stdout.isTTY)) log.raw(LL_NOTICE, asciiLogo(server.port, mode));
  else log.notice(`Running mode=${mode}, port=${server.port}.`);
  log.warning('Server initialized');
  // loadDataFromDisk: the AOF when appendonly is on, else dir/dbfilename if it exists; a file that cannot be read or loaded is fatal
  try {
    server.loadDataFromDisk();
    if (server.aof.state === 0) server.persistence.loadAtStartup();
  } catch (e) {
    if (e instanceof AofFatalError) {
      for (const line of e.lines) log.warning(line);
    } else if (e instanceof RdbLoadError) {
      log.warning('Terminating server after rdb file reading failure.');
    } else throw e;
    log.flush();
    process.exit(1);
  }
  log.notice('Ready to accept connections');
  if (server.listeners.unix) log.notice(`The server is now ready to accept connections at ${server.listeners.unixPath}`);
  signalReady(server);
  if (daemonChild) {
    process.send?.('ready');
    process.disconnect?.();
  }
}

/** Runs only as the program itself (also through npm's bin symlink), not when imported by tests. */
function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) void main();
