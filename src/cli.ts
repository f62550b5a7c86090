#!/usr/bin/env node
// redlua-server: the command line with redis-server's conventions, `redlua-server [config-file] [--directive value ...] [-]`
// (Redis: server.c main, config.c loadServerConfig). Errors in the configuration are reported exactly as redis-server does.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server, REDLUA_VERSION, REDIS_VERSION, reprArg } from './server/server.js';
import { Config, ConfigError, errnoText } from './server/config.js';
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

/** A log line in redis-server's own format, for the messages printed before the logger exists. */
function rawLog(mark: string, msg: string): void {
  const d = new Date();
  const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const ts = `${String(d.getUTCDate()).padStart(2, '0')} ${mon} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`;
  process.stdout.write(`${process.pid}:C ${ts} ${mark} ${msg}\n`);
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
      rawLog('#', `Fatal error, can't open config file '${p.configFile}': ${errnoText(ex)}`);
      process.exit(1);
    }
  }
  if (p.fromStdin) {
    rawLog('#', 'Reading config from stdin');
    config += fs.readFileSync(0, 'utf8');
  }
  if (p.options) config += '\n' + p.options;
  return config;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=libc bits=64 build=redlua-${REDLUA_VERSION}\n`);
    process.exit(0);
  }
  if (args[0] === '--help' || args[0] === '-h') usage();
  if (args[0] === '--ping') process.exit(await (await import('./ping.js')).pingMain(args.slice(1)));
  const parsed = parseArgs(args);
  const text = args.length ? buildConfigText(parsed) : '';
  const probe = new Config();
  try {
    probe.loadText(text);
    probe.checkLoaded();
  } catch (e) {
    if (e instanceof ConfigError) {
      if (e.message.startsWith('Fatal error')) rawLog('#', e.message);
      else process.stderr.write(e.message + '\n');
      process.exit(1);
    }
    throw e;
  }
  let server: Server;
  try {
    server = new Server({ configText: text, configFile: parsed.configFile });
  } catch (e) {
    // ACLLoadUsersAtStartup: the users of the configuration could not be loaded
    if (e instanceof AclStartupError) {
      for (const line of e.lines) rawLog('#', line);
      process.exit(1);
    }
    throw e;
  }
  const log = server.log;
  log.warning('oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log.warning(`Redis version=${REDIS_VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started (redlua ${REDLUA_VERSION})`);
  if (args.length === 0) {
    log.warning('Warning: no config file specified, using the default config. In order to specify a config file use redlua-server /path/to/redis.conf');
  } else log.warning('Configuration loaded');
  if (server.config.bool('daemonize')) log.warning('daemonize is not supported by redlua: running in the foreground');

  try {
    server.loadDataFromDisk();
  } catch (e) {
    if (!(e instanceof AofFatalError)) throw e;
    for (const line of e.lines) log.warning(line);
    log.flush?.();
    await new Promise(r => setTimeout(r, 50));
    process.exit(1);
  }
  const port = server.config.num('port');
  try {
    await server.listen(port);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const bind = server.config.get('bind').split(/\s+/)[0] || '*';
    log.warning(`Warning: Could not create server TCP listening socket ${bind.replace(/^-/, '')}:${port}: bind: ${err.code === 'EADDRINUSE' ? 'Address already in use' : err.message}`);
    log.warning(`Failed listening on port ${port} (TCP), aborting.`);
    await new Promise(r => setTimeout(r, 50));
    process.exit(1);
  }
  const pidfile = server.config.get('pidfile');
  if (pidfile) {
    try {
      fs.writeFileSync(pidfile, `${process.pid}\n`);
    } catch {
      log.warning(`Failed to write PID file: ${pidfile}`);
    }
  }
  // the Lua engine compiles in the background while the first commands are served
  warmUp(server);
  log.notice('Server initialized');
  // loadDataFromDisk: dir/dbfilename, if it exists; a file that cannot be read or loaded is fatal
  try {
    if (server.aof.state === 0) server.persistence.loadAtStartup(); // with appendonly yes the AOF was loaded instead
  } catch (e) {
    if (!(e instanceof RdbLoadError)) throw e;
    log.warning('Terminating server after rdb file reading failure.');
    log.flush?.();
    await new Promise(r => setTimeout(r, 50));
    process.exit(1);
  }
  log.notice(`Ready to accept connections tcp on port ${server.port}`);

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
      // let the asynchronous log destination drain
      log.flush?.();
      setTimeout(() => process.exit(0), 20);
    });
  };
  /** The cron's shutdown after a signal: shutdown-on-sigint / shutdown-on-sigterm choose the flags. */
  server.onSignalShutdown = (sig: 'SIGTERM' | 'SIGINT') => {
    server.shutdownAsap = null;
    stopping = true;
    const words = server.config.get(sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm').split(' ');
    log.warning('User requested shutdown...');
    const ok = server.persistence.shutdownSave({ save: words.includes('save'), nosave: words.includes('nosave'), force: words.includes('force') });
    if (!ok) {
      log.warning('Errors trying to shut down the server. Check the logs for more information.');
      stopping = false;
      return;
    }
    exitNow();
  };
  /** sigShutdownHandler: only records the request (the cron acts on it); a second SIGINT exits at once. */
  const onSignal = (sig: 'SIGTERM' | 'SIGINT') => {
    if ((server.shutdownAsap !== null || stopping) && sig === 'SIGINT') {
      log.warning('You insist... exiting now.');
      server.persistence.removeTempFiles();
      log.flush?.();
      process.exit(1);
    }
    log.warning(server.persistence.loading ? 'Received shutdown signal during loading, scheduling shutdown.' : `Received ${sig} scheduling shutdown...`);
    server.shutdownAsap = sig;
  };
  // The SHUTDOWN command (src/commands/server.ts) ends the process through this hook once it has saved.
  server.onShutdown = exitNow;
  // explicit handlers: as a container's PID 1, node gets no default action for these signals
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  // under npx / npm start, npm's SIGTERM reaches only the `sh -c` between us: stop when that launcher goes
  if (launchedByNpm()) watchLauncher(() => onSignal('SIGTERM'));
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
