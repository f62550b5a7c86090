// The dispatcher: every rule that applies to a command before it runs, each a small named check, then call() (Redis: server.c processCommand/call).
import { E } from '../errors.js';
import { F, lookupCommand, commandTable, lowerAscii, type CommandSpec } from '../commands/table.js';
import { CF, type Client } from './client.js';
import type { Server } from './server.js';
import { Reply } from '../protocol/reply.js';

/** Result of a check: null to go on, or the error text to reject with. */
type Check = (s: Server, c: Client, spec: CommandSpec, argv: Buffer[]) => string | null;

/** commandCheckExistence: the text of the unknown command / unknown subcommand error. */
export function unknownCommandError(argv: Buffer[]): string {
  const cstr = (b: Buffer, max: number) => {
    const z = b.indexOf(0);
    return b.latin1Slice(0, Math.min(z < 0 ? b.length : z, max));
  };
  const base = commandTable.get(lowerAscii(argv[0]));
  let err: string;
  if (base?.subcommands && argv.length >= 2) {
    err = E.unknownSubcommand(cstr(argv[1], 128), cstr(argv[0], Infinity).toUpperCase());
  } else {
    let args = '';
    for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${cstr(argv[i], 128 - args.length)}' `;
    err = E.unknownCommand(cstr(argv[0], 128), args);
  }
  return err.replace(/[\r\n]/g, ' ');
}

export function arityOk(spec: CommandSpec, argc: number): boolean {
  return spec.arity > 0 ? spec.arity === argc : argc >= -spec.arity;
}

const checkProtected: Check = (s, c, spec) => {
  if (!spec.has(F.protected)) return null;
  const mode = s.config.get('enable-debug-command');
  if (mode === 'yes' || (mode === 'local' && s.isLocalClient(c))) return null;
  return E.DEBUG_DISABLED;
};

const checkAuth: Check = (_s, c, spec) => (!c.authenticated && !spec.has(F.no_auth) ? E.NO_AUTH : null);

const checkNoMulti: Check = (_s, c, spec) =>
  c.has(CF.MULTI) && spec.has(F.no_multi) ? 'ERR Command not allowed inside a transaction' : null;

const checkOOM: Check = (s, c, spec) => {
  if (!s.config.num('maxmemory')) return null;
  const oom = !s.memory.freeMemoryIfNeeded();
  s.preCommandOOM = oom;
  if (!oom) return null;
  const name = spec.fullname;
  let reject = s.commandFlags(spec, c.argv) & F.denyoom;
  if (c.has(CF.MULTI) && name !== 'exec' && name !== 'discard' && name !== 'quit' && name !== 'reset') reject = 1;
  return reject ? E.OOM : null;
};

const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
const checkPubSubContext: Check = (_s, c, spec) =>
  c.has(CF.PUBSUB) && c.resp === 2 && !PUBSUB_ALLOWED.has(spec.fullname) ? E.subscribeContext(spec.fullname) : null;

const checkBusyScript: Check = (s, _c, spec) =>
  s.scripting.isTimedOut() && !spec.has(F.allow_busy) ? s.scripting.busyError() : null;

/** The checks of processCommand, in Redis's order (after existence and arity). */
const CHECKS: Check[] = [checkProtected, checkAuth, checkNoMulti, checkOOM, checkPubSubContext, checkBusyScript];

/** rejectCommand: flags the transaction, counts a rejected call, replies the error (EXEC aborts instead). */
export function reject(c: Client, spec: CommandSpec | null, err: string): void {
  if (c.has(CF.MULTI)) c.flags |= CF.DIRTY_EXEC;
  if (spec) spec.stats.rejected++;
  if (spec && spec.fullname === 'exec') {
    // execCommandAbort
    c.reply.error(`EXECABORT Transaction discarded because of: ${err.startsWith('-') ? err.slice(1) : err}`);
    c.server.discardTransaction(c);
    return;
  }
  c.reply.error(err);
}

const QUEUED = Buffer.from('+QUEUED\r\n');
const MULTI_PASSTHROUGH = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/**
 * processCommand: returns false when the client must stop processing input now (blocked, paused, closing).
 */
export function processCommand(s: Server, c: Client, argv: Buffer[]): boolean {
  c.argv = argv;
  const spec = lookupCommand(argv);
  if (!spec) {
    reject(c, null, unknownCommandError(argv));
    return true;
  }
  c.cmd = spec;
  if (!arityOk(spec, argv.length)) {
    reject(c, spec, E.wrongArity(spec.fullname));
    return true;
  }
  if (!spec.handler) {
    // In the table but not implemented by redlua: answer as Redis does for a command it does not know.
    reject(c, null, unknownCommandError(argv));
    return true;
  }
  for (let i = 0; i < CHECKS.length; i++) {
    const err = CHECKS[i](s, c, spec, argv);
    if (err !== null) {
      reject(c, spec, err);
      return true;
    }
  }
  // CLIENT PAUSE: postpone the command (blockClient BLOCKED_POSTPONE).
  if (s.pause.shouldPostpone(c, spec, argv)) {
    c.pending.unshift(argv);
    s.pause.postpone(c);
    return false;
  }
  if (c.has(CF.MULTI) && !MULTI_PASSTHROUGH.has(spec.fullname)) {
    c.mstate!.push({ spec, argv: argv.map(a => Buffer.from(a)) });
    c.mstateFlags |= s.commandFlags(spec, argv);
    c.reply.raw(QUEUED);
    return true;
  }
  call(s, c, spec, argv);
  s.afterCommand();
  return !c.has(CF.CLOSE_AFTER_REPLY) && c.blocked === null;
}

const scratch = new Reply();

/** call(): runs the handler with stats, failed-call accounting, MONITOR, slowlog and CLIENT REPLY suppression. */
export function call(s: Server, c: Client, spec: CommandSpec, argv: Buffer[]): void {
  const handler = spec.handler!;
  const realReply = c.reply;
  const suppress = (c.flags & (CF.REPLY_OFF | CF.REPLY_SKIP)) !== 0;
  if (suppress) {
    scratch.resp = c.resp;
    scratch.errorHook = realReply.errorHook;
    c.reply = scratch;
  }
  const errBefore = s.stats.totalErrorReplies;
  const dirtyBefore = s.dirty;
  s.clock.now = Date.now();
  const t0 = performance.now();
  const prevCmd = c.cmd;
  c.cmd = spec;
  c.flags |= CF.EXECUTING;
  try {
    handler(c, argv);
  } catch (e) {
    // A handler bug must never take the server down: answer like Redis would for an internal error and log it.
    s.log.warning(`Internal error running '${spec.fullname}': ${(e as Error).stack ?? e}`);
    c.reply.error(`ERR internal error: ${(e as Error).message}`);
  } finally {
    c.flags &= ~CF.EXECUTING;
  }
  const usec = Math.round((performance.now() - t0) * 1000);
  if (suppress) {
    scratch.take();
    c.reply = realReply;
  }
  if (c.has(CF.REPLY_SKIP)) c.flags &= ~CF.REPLY_SKIP;
  if (c.has(CF.REPLY_SKIP_NEXT)) {
    c.flags &= ~CF.REPLY_SKIP_NEXT;
    c.flags |= CF.REPLY_SKIP;
  }
  c.lastCmd = spec;
  c.cmd = prevCmd === spec ? spec : prevCmd ?? spec;
  c.cmdsProcessed++;
  const st = spec.stats;
  st.calls++;
  st.usec += usec;
  if (s.stats.totalErrorReplies !== errBefore) st.failed++;
  s.stats.totalCommands++;
  if (s.monitors.size && !spec.has(F.skip_monitor) && !spec.has(F.admin)) s.feedMonitors(c, argv, c.db.id);
  if (!spec.has(F.skip_slowlog)) s.slowlogPush(c, argv, usec);
  void dirtyBefore;
}
