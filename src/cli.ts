#!/usr/bin/env node
// redlua-server: command-line entry point with redis-server's conventions: [config-file] [--directive value ...] (Redis: server.c main).
import fs from 'node:fs';
import { Server, REDLUA_VERSION, REDIS_VERSION } from './server/server.js';
import { Config, ConfigError } from './server/config.js';

function usage(): never {
  process.stderr.write(
    'Usage: redlua-server [/path/to/redis.conf] [options] [-]\n' +
      '       redlua-server - (read config from stdin)\n' +
      '       redlua-server -v or --version\n' +
      '       redlua-server -h or --help\n\n' +
      'Examples:\n' +
      '       redlua-server (run the server with default config)\n' +
      '       redlua-server /etc/redis/6379.conf\n' +
      '       redlua-server --port 7777\n' +
      '       redlua-server --port 7777 --requirepass secret\n' +
      '       redlua-server /etc/myredis.conf --loglevel verbose\n',
  );
  process.exit(1);
}

/** Builds redis.conf text from argv the way redis-server does: the file first, then "--name v1 v2" lines. */
export function buildConfigText(args: string[]): string {
  let text = '';
  let i = 0;
  if (args[0] && !args[0].startsWith('--')) {
    const file = args[0];
    text += (file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8')) + '\n';
    i = 1;
  }
  let line: string[] = [];
  for (; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--') && a.length > 2) {
      if (line.length) text += line.join(' ') + '\n';
      line = [a.slice(2)];
    } else if (a === '-') {
      text += fs.readFileSync(0, 'utf8') + '\n';
    } else {
      line.push(line.length ? quote(a) : a);
    }
  }
  if (line.length) text += line.join(' ') + '\n';
  return text;
}

function quote(v: string): string {
  return /^[^\s"'\\]+$/.test(v) ? v : '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=libc bits=64 build=redlua-${REDLUA_VERSION}\n`);
    return;
  }
  if (args[0] === '-h' || args[0] === '--help') usage();
  let text: string;
  try {
    text = buildConfigText(args);
    new Config().loadText(text); // validate first so errors look like redis-server's
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message.trimStart() + '\n');
      process.exit(1);
    }
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
  const server = new Server({ configText: text });
  server.log.notice(`oO0OoO0OoO0Oo redlua ${REDLUA_VERSION} (Redis ${REDIS_VERSION} compatible) is starting oO0OoO0OoO0Oo`);
  try {
    await server.listen();
  } catch (e) {
    server.log.warning(`Failed listening on port ${server.config.num('port')} (tcp), aborting: ${(e as Error).message}`);
    process.exit(1);
  }
  server.log.notice(`Server initialized; ready to accept connections tcp on port ${server.port}`);
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    server.log.warning(`Received ${sig} scheduling shutdown...`);
    void server.close().then(() => {
      server.log.warning('Redis is now ready to exit, bye bye...');
      setTimeout(() => process.exit(0), 10);
    });
  };
  // SHUTDOWN (src/commands/server.ts) calls this hook when set: from the CLI it ends the process.
  (server as unknown as { onShutdown?: () => void }).onShutdown = () => stop('SHUTDOWN');
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
