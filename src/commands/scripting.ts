// EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (Redis: eval.c evalGenericCommand, scriptCommand).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { CF } from '../server/client.js';
import { eqi } from '../util/parse.js';
import { string2ll } from '../util/parse.js';

/** addReplyHelp: the header names the command as typed (uppercased), then the lines, then HELP. */
export function replyHelp(c: Client, lines: string[]): void {
  const cmd = c.argv[0].latin1Slice(0, c.argv[0].length).toUpperCase();
  c.reply.arrayLen(lines.length + 3);
  c.reply.simple(`${cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.reply.simple(l);
  c.reply.simple('HELP');
  c.reply.simple('    Prints this help.');
}

/** ASCII-only lowercase (C tolower in the "C" locale). */
export function lowerHex(b: Buffer): string {
  // SHA keys are lowercase hex: a byte >= 0x80 lowercased by JS stays a non-hex character, so it cannot match either
  const s = b.latin1Slice(0, b.length);
  for (let i = 0; i < b.length; i++) if (b[i] >= 65 && b[i] <= 90) return s.toLowerCase();
  return s;
}

/** numkeys checks shared by EVAL and FCALL; returns null after replying. */
export function parseNumKeys(c: Client, argv: Buffer[], notIntErr: string): number | null {
  const n = string2ll(argv[2]);
  if (n === null) {
    c.reply.error(notIntErr);
    return null;
  }
  if (n > argv.length - 3) {
    c.reply.error(E.NUMKEYS_GT_ARGS);
    return null;
  }
  if (n < 0) {
    c.reply.error(E.NUMKEYS_NEGATIVE);
    return null;
  }
  return n;
}

function evalGeneric(c: Client, argv: Buffer[], evalsha: boolean, ro: boolean): void {
  const s = c.server;
  // EVAL is SKIP_MONITOR: feed it explicitly so that the script's commands come after it
  if (s.monitors.size) s.feedMonitors(c, argv, c.db.id);
  if (s.scripting.refuseNested(c)) return;
  if (evalsha && argv[1].length !== 40) return c.reply.error(E.NOSCRIPT);
  if (evalsha && c.has(CF.LUA_DEBUG)) return c.reply.error(E.LDB_EVALSHA);
  const numkeys = parseNumKeys(c, argv, E.NOT_INTEGER);
  if (numkeys === null) return;
  const sc = s.scripting;
  let script;
  if (evalsha) {
    script = sc.lookupSha(argv[1]);
    if (!script) return c.reply.error(E.NOSCRIPT);
  } else {
    script = sc.createScript(c, argv[1]);
    if (!script) return;
  }
  if (c.has(CF.LUA_DEBUG)) sc.runEvalDebug(c, script, argv, 3, numkeys, ro);
  else sc.runEval(c, script, argv, 3, numkeys, ro);
}

export function evalCommand(c: Client, argv: Buffer[]): void {
  evalGeneric(c, argv, false, false);
}
export function evalRoCommand(c: Client, argv: Buffer[]): void {
  evalGeneric(c, argv, false, true);
}
export function evalShaCommand(c: Client, argv: Buffer[]): void {
  evalGeneric(c, argv, true, false);
}
export function evalShaRoCommand(c: Client, argv: Buffer[]): void {
  evalGeneric(c, argv, true, true);
}

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

export function scriptHelpCommand(c: Client): void {
  replyHelp(c, SCRIPT_HELP);
}

export function scriptFlushCommand(c: Client, argv: Buffer[]): void {
  if (c.server.scripting.refuseNested(c)) return;
  if (!(argv.length === 2 || (argv.length === 3 && (eqi(argv[2], 'sync') || eqi(argv[2], 'async'))))) {
    return c.reply.error(E.SCRIPT_FLUSH_OPTION);
  }
  c.server.scripting.flushScripts();
  c.reply.ok();
}

export function scriptExistsCommand(c: Client, argv: Buffer[]): void {
  const scripts = c.server.scripting.scripts;
  c.reply.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.reply.int(argv[j].length === 40 && scripts.has(lowerHex(argv[j])) ? 1 : 0);
}

export function scriptLoadCommand(c: Client, argv: Buffer[]): void {
  if (c.server.scripting.refuseNested(c)) return;
  const script = c.server.scripting.createScript(c, argv[2]);
  if (script) c.reply.bulkStr(script.sha);
}

export function scriptKillCommand(c: Client): void {
  c.server.scripting.kill(c, true);
}

/** SCRIPT DEBUG YES|SYNC|NO: ldbEnable / ldbDisable for the next EVAL of this client. */
export function scriptDebugCommand(c: Client, argv: Buffer[]): void {
  // clientHasPendingReplies: the replies of earlier pipelined commands are still unsent
  if (c.reply.length !== 0 || c.outputPending() !== 0) return c.reply.error(E.SCRIPT_DEBUG_PIPELINE);
  if (eqi(argv[2], 'no')) {
    c.flags &= ~(CF.LUA_DEBUG | CF.LUA_DEBUG_SYNC);
    return c.reply.ok();
  }
  if (eqi(argv[2], 'yes')) {
    c.flags = (c.flags | CF.LUA_DEBUG) & ~CF.LUA_DEBUG_SYNC;
    return c.reply.ok();
  }
  if (eqi(argv[2], 'sync')) {
    c.flags |= CF.LUA_DEBUG | CF.LUA_DEBUG_SYNC;
    return c.reply.ok();
  }
  c.reply.error(E.SCRIPT_DEBUG_USAGE);
}

export const handlers: Record<string, Handler> = {
  eval: evalCommand,
  eval_ro: evalRoCommand,
  evalsha: evalShaCommand,
  evalsha_ro: evalShaRoCommand,
  'script|help': scriptHelpCommand,
  'script|flush': scriptFlushCommand,
  'script|exists': scriptExistsCommand,
  'script|load': scriptLoadCommand,
  'script|kill': scriptKillCommand,
  'script|debug': scriptDebugCommand,
};
