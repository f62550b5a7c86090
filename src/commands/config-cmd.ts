// CONFIG HELP/GET/SET/RESETSTAT/REWRITE over src/server/config.ts (Redis: config.c configCommand & co).
import { allCommands, type Handler } from './table.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { replyHelp, stateOf } from './server-common.js';
import { rewriteConfigFile } from '../server/config-rewrite.js';
import { strerror } from '../server/config-table.js';

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
  const matches = c.server.config.getMatching(argv.slice(2).map(a => a.toString('latin1')));
  c.reply.mapLen(matches.length);
  for (const [k, v] of matches) {
    c.reply.bulk(Buffer.from(k, 'latin1'));
    c.reply.bulk(Buffer.from(v, 'latin1'));
  }
}

const REDACTED = Buffer.from('(redacted)');

export function configSetCommand(c: Client, argv: Buffer[]): void {
  if (argv.length & 1) {
    c.reply.error(E.SYNTAX);
    return;
  }
  const config = c.server.config;
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) {
    pairs.push([argv[i].toString('latin1'), argv[i + 1].toString('latin1')]);
    // redactClientCommandArgument: SLOWLOG and MONITOR, which read argv after the handler, never see a secret
    if (config.entry(pairs[pairs.length - 1][0])?.sensitive) argv[i + 1] = REDACTED;
  }
  const err = config.setMany(pairs, c.server.allowProtectedAction('enable-protected-configs', c));
  if (err !== null) c.reply.error(err);
  else c.reply.ok();
}

/** CONFIG RESETSTAT: resetServerStats, resetCommandTableStats and resetErrorTableStats (not the slowlog). */
export function configResetstatCommand(c: Client): void {
  c.server.stats.reset();
  for (const spec of allCommands()) {
    spec.stats.calls = spec.stats.usec = spec.stats.rejected = spec.stats.failed = 0;
  }
  const st = stateOf(c.server);
  st.samples.length = 0;
  c.server.aof.rewrites = 0;
  c.server.persistence.statRdbSaves = 0;
  c.reply.ok();
}

/** CONFIG REWRITE: the file redlua was started with, rewritten as rewriteConfig does. */
export function configRewriteCommand(c: Client): void {
  const file = c.server.config.configFile;
  if (file === null) {
    c.reply.error(E.CONFIG_NO_FILE);
    return;
  }
  try {
    rewriteConfigFile(c.server.config, file);
  } catch (ex) {
    const why = strerror(ex);
    c.server.log.warning(`CONFIG REWRITE failed: ${why}`);
    c.reply.error(E.configRewriteFailed(why));
    return;
  }
  c.server.log.warning('CONFIG REWRITE executed with success.');
  c.reply.ok();
}

export const handlers: Record<string, Handler> = {
  'config|help': configHelpCommand,
  'config|get': configGetCommand,
  'config|set': configSetCommand,
  'config|resetstat': configResetstatCommand,
  'config|rewrite': configRewriteCommand,
};
