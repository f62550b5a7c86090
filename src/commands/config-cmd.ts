// CONFIG HELP/GET/SET/RESETSTAT/REWRITE over src/server/config.ts (Redis: config.c configCommand & co).
import { allCommands, type Handler } from './table.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { replyHelp, stateOf } from './server-common.js';

// ---------------------------------------------------------------------------------------------------------------
// CONFIG

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

export function configHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, CONFIG_HELP);
}

export function configGetCommand(c: Client, argv: Buffer[]): void {
  // Matches are keyed case-insensitively; an exact name is answered as typed, first spelling wins (configGetCommand).
  const matches = new Map<string, [string, string]>();
  for (let i = 2; i < argv.length; i++) {
    const p = argv[i].toString('latin1');
    const exact = !/[*?[]/.test(p);
    for (const [k, v] of c.server.config.getMatching([p])) {
      const low = k.toLowerCase();
      if (!matches.has(low)) matches.set(low, [exact ? p : k, v]);
    }
  }
  c.reply.mapLen(matches.size);
  for (const [k, v] of matches.values()) {
    c.reply.bulk(Buffer.from(k, 'latin1'));
    c.reply.bulk(Buffer.from(v, 'latin1'));
  }
}

export function configSetCommand(c: Client, argv: Buffer[]): void {
  if (argv.length & 1) {
    c.reply.error(E.SYNTAX);
    return;
  }
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i].toString('latin1'), argv[i + 1].toString('latin1')]);
  const err = c.server.config.setMany(pairs, c.server.allowProtectedAction('enable-protected-configs', c));
  if (err !== null) c.reply.error(err);
  else c.reply.ok();
}

/** CONFIG RESETSTAT: server stats, command stats and error stats (not the slowlog), as resetServerStats & co. */
export function configResetstatCommand(c: Client): void {
  c.server.stats.reset();
  for (const spec of allCommands()) {
    spec.stats.calls = spec.stats.usec = spec.stats.rejected = spec.stats.failed = 0;
    spec.stats.histogram = null;
  }
  stateOf(c.server).samples.length = 0;
  c.reply.ok();
}

/** redlua does not keep the path of the file it was started with, so it answers as a server without config file. */
export function configRewriteCommand(c: Client): void {
  c.reply.error(E.CONFIG_NO_FILE);
}

export const handlers: Record<string, Handler> = {
  'config|help': configHelpCommand,
  'config|get': configGetCommand,
  'config|set': configSetCommand,
  'config|resetstat': configResetstatCommand,
  'config|rewrite': configRewriteCommand,
};
