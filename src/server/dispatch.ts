// The dispatcher: every rule that applies to a command before it runs, in processCommand's order, then call()
// (Redis: server.c processCommand/call). It alone enforces existence, arity, protected commands, auth, no-multi,
// ACL permissions, OOM, min-replicas, the pub/sub context, busy scripts, CLIENT PAUSE and MULTI queueing; handlers never re-check.
import { Histogram } from './latency.js';
import { E } from '../errors.js';
import { F, lookupCommand, commandTable, lowerAscii, type CommandSpec } from '../commands/table.js';
import { CF, type Client } from './client.js';
import { TR } from './tracking.js';
import { lruClock, type Server } from './server.js';
import { Reply } from '../protocol/reply.js';
import { Deny } from '../acl/check.js';
// the module's own binding: the `performance` global is a lazy getter, slower on this per-command path
import { performance } from 'node:perf_hooks';

/** commandCheckExistence: the text of the unknown command / unknown subcommand error. */
export function unknownCommandError(argv: Buffer[]): string {
  // %s stops at a NUL byte, %.128s at 128 bytes
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

/** "host:" and "post" (any case): cross-protocol scripting attempts (securityWarningCommand). */
function isSecurityAttack(name: Buffer): boolean {
  const n = name.length;
  if (n !== 4 && n !== 5) return false;
  const s = name.latin1Slice(0, n).toLowerCase();
  return s === 'host:' || s === 'post';
}

let securityLoggedAt = 0;
function securityWarning(s: Server, c: Client): void {
  const now = Date.now();
  if (Math.abs(now - securityLoggedAt) > 60000) {
    s.log.warning(
      'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.',
    );
    securityLoggedAt = now;
  }
  // freeClientAsync: the connection goes away with whatever replies were still pending.
  c.reply.take();
  s.freeClient(c);
}

/**
 * rejectCommand / rejectCommandSds: flags the transaction, counts a rejected call and replies the error; a rejected
 * EXEC aborts the transaction instead (execCommandAbort), quoting the error without its '-' or 'ERR ' prefix.
 */
export function reject(c: Client, spec: CommandSpec | null, err: string): void {
  if (c.flags & CF.MULTI) c.flags |= CF.DIRTY_EXEC;
  if (spec !== null) {
    spec.stats.rejected++;
    if (spec === EXEC_SPEC) {
      let why = err.charCodeAt(0) === 45 /* - */ ? err.slice(1) : err;
      if (why.startsWith('ERR ')) why = why.slice(4);
      c.server.discardTransaction(c);
      c.reply.error(E.execAbort(why));
      const s = c.server;
      if (s.monitors.size) s.feedMonitors(c, c.argv, c.db.id);
      return;
    }
  }
  c.reply.error(err);
}

const QUEUED = Buffer.from('+QUEUED\r\n');

const specsOf = (names: string[]) => new Set(names.map(n => commandTable.get(n)).filter((x): x is CommandSpec => x !== undefined));
const EXEC_SPEC = commandTable.get('exec');
const PING_SPEC = commandTable.get('ping');
/** Commands allowed in the RESP2 pub/sub context. */
const PUBSUB_ALLOWED = specsOf(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
/** Commands that run instead of being queued inside MULTI. */
const MULTI_PASSTHROUGH = specsOf(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** Read-only script commands: only the reads their scripts do remember keys. */
const NOT_TRACKED = specsOf(['eval_ro', 'evalsha_ro', 'fcall_ro']);
/** Commands still accepted inside MULTI when out of memory (besides EXEC). */
const MULTI_OOM_EXEMPT = specsOf(['discard', 'quit', 'reset']);

/** Effective flags of the command, with EXEC's queued commands folded in (is_write_command & co). */
function effectiveFlags(s: Server, c: Client, spec: CommandSpec, argv: Buffer[]): number {
  let flags = s.commandFlags(spec, argv);
  if (spec === EXEC_SPEC) flags |= c.mstateFlags;
  return flags;
}

/**
 * lookupCommand with a cache for command names of up to 8 bytes (GET, SET, INCR, LPUSH, EVALSHA, HGETALL…): each
 * byte of [A-Za-z0-9_-] maps to a 6-bit code (letters case-folded), so the name is an exact integer key below 2^48
 * and no string is built per command. Other names take lookupCommand.
 */
const shortNames = new Map<number, CommandSpec>();
const NAME_CODE = new Uint8Array(256);
{
  let code = 1;
  for (let ch = 97; ch <= 122; ch++) NAME_CODE[ch] = NAME_CODE[ch - 32] = code++;
  for (let ch = 48; ch <= 57; ch++) NAME_CODE[ch] = code++;
  NAME_CODE[95] = code++; // _
  NAME_CODE[45] = code++; // -
}
function fastLookup(argv: Buffer[]): CommandSpec | undefined {
  const name = argv[0];
  const n = name.length;
  if (n === 0 || n > 8) return lookupCommand(argv);
  let key = 0;
  for (let i = 0; i < n; i++) {
    const code = NAME_CODE[name[i]];
    if (code === 0) return lookupCommand(argv);
    key = key * 64 + code;
  }
  const hit = shortNames.get(key);
  if (hit !== undefined) return hit;
  const spec = lookupCommand(argv);
  // container commands (CONFIG, CLIENT…) depend on argv[1]: never cached
  if (spec !== undefined && spec.subcommands === null && spec.parent === null) shortNames.set(key, spec);
  return spec;
}

const REPLY_FLAGS = CF.REPLY_OFF | CF.REPLY_SKIP | CF.REPLY_SKIP_NEXT;

/**
 * processCommand: returns false when the client must stop processing its input now (blocked, paused, closing).
 */
export function processCommand(s: Server, c: Client, argv: Buffer[]): boolean {
  const prevCurrent = s.currentClient;
  s.currentClient = c;
  let more: boolean;
  if ((c.flags & REPLY_FLAGS) === 0) {
    more = processCommandInner(s, c, argv);
    // CLIENT REPLY SKIP just ran: the next command is the skipped one
    if (c.flags & CF.REPLY_SKIP_NEXT && c.blocked === null) c.flags = (c.flags & ~CF.REPLY_SKIP_NEXT) | CF.REPLY_SKIP;
  } else more = processCommandReplyControlled(s, c, argv);
  s.currentClient = prevCurrent;
  // resetClient: CLIENT CACHING lasts for the next command or transaction only
  const tr = c.tracking;
  if (tr !== null && tr.flags & TR.CACHING && !(c.flags & CF.MULTI) && c.blocked === null && c.lastCmd?.parent?.name !== 'client') {
    tr.flags &= ~TR.CACHING;
  }
  return more;
}

const suppressed = new Reply();

/**
 * CLIENT REPLY OFF/SKIP: every reply of the command is dropped, rejections and +QUEUED included (prepareClientToWrite
 * refuses to write); CLIENT REPLY ON / RESET clear the suppression and their own reply goes out. Then resetClient's
 * rotation: SKIP lasts one command, SKIP_NEXT (set by CLIENT REPLY SKIP) becomes SKIP. A command that was postponed
 * or blocked is not done yet.
 */
function processCommandReplyControlled(s: Server, c: Client, argv: Buffer[]): boolean {
  const real = c.reply;
  const suppress = (c.flags & (CF.REPLY_OFF | CF.REPLY_SKIP)) !== 0;
  if (suppress) {
    suppressed.resp = c.resp;
    suppressed.errorHook = real.errorHook;
    suppressed.pushTarget = real;
    c.reply = suppressed;
  }
  let more: boolean;
  try {
    more = processCommandInner(s, c, argv);
  } finally {
    if (suppress) {
      const out = suppressed.take();
      suppressed.pushTarget = null;
      if (c.reply === suppressed) c.reply = real;
      if ((c.flags & (CF.REPLY_OFF | CF.REPLY_SKIP)) === 0 && out.length) real.raw(Buffer.from(out));
      real.resp = suppressed.resp;
    }
  }
  if (c.blocked === null) {
    c.flags &= ~CF.REPLY_SKIP;
    if (c.flags & CF.REPLY_SKIP_NEXT) {
      c.flags &= ~CF.REPLY_SKIP_NEXT;
      c.flags |= CF.REPLY_SKIP;
    }
  }
  return more;
}

function processCommandInner(s: Server, c: Client, argv: Buffer[]): boolean {
  c.argv = argv;
  const spec = fastLookup(argv);
  // c->lastcmd is set at lookup, also for commands then rejected or queued (CLIENT LIST cmd=; NULL when unknown).
  c.lastCmd = spec ?? null;
  if (spec === undefined) {
    if (isSecurityAttack(argv[0])) {
      securityWarning(s, c);
      return false;
    }
    reject(c, null, unknownCommandError(argv));
    return true;
  }
  c.cmd = spec;
  const arity = spec.arity;
  if (arity > 0 ? arity !== argv.length : argv.length < -arity) {
    reject(c, spec, E.wrongArity(spec.fullname));
    return true;
  }
  if (spec.handler === null) {
    // In Redis's table but not implemented by redlua: answered as Redis answers a command it does not know.
    reject(c, null, unknownCommandError(argv));
    return true;
  }
  const sflags = spec.flags;
  if (sflags & F.protected) {
    if (!s.allowProtectedAction('enable-debug-command', c)) {
      reject(c, spec, E.DEBUG_DISABLED);
      return true;
    }
  }
  if (!c.authenticated && !(sflags & F.no_auth) && s.acl.defaultNeedsAuth) {
    reject(c, spec, E.NO_AUTH);
    return true;
  }
  const inMulti = (c.flags & CF.MULTI) !== 0;
  if (inMulti && sflags & F.no_multi) {
    reject(c, spec, E.notAllowedInMulti(spec.fullname));
    return true;
  }
  // ACLCheckAllPerm: a user allowed every command, key and channel costs one flag test
  if (!c.user.unrestricted && !(c.flags & CF.MASTER)) {
    const denied = s.acl.check(c, spec, argv);
    if (denied !== Deny.OK) {
      reject(c, spec, s.acl.rejectText(c, spec, argv, denied));
      return true;
    }
  }
  const hot = s.hot;
  // evictClients: before key eviction, after the last command grew some client's buffers
  if (hot.maxmemoryClients) {
    s.memory.evictClients();
    if (c.closed) return false;
  }
  if (hot.maxmemory !== 0) {
    const oom = !s.memory.freeMemoryIfNeeded();
    if (c.closed) return false;
    let rejectOnOOM = (effectiveFlags(s, c, spec, argv) & F.denyoom) !== 0;
    if (inMulti && spec !== EXEC_SPEC && !MULTI_OOM_EXEMPT.has(spec)) rejectOnOOM = true;
    if (oom && rejectOnOOM) {
      reject(c, spec, E.OOM);
      return true;
    }
    s.preCommandOOM = oom;
  }
  // writeCommandsDeniedByDiskError: a failed BGSAVE with stop-writes-on-bgsave-error refuses writes (and PING). The
  // master's stream is obeyed regardless (Redis: obey_client; it then stops the replica unless
  // replica-ignore-disk-write-errors is yes, and redlua goes on as with yes rather than drop the master's writes).
  const obey = (c.flags & CF.MASTER) !== 0;
  if (!obey && s.persistence.lastBgsaveStatus === 'err' && s.persistence.writesDenied()) {
    const w = effectiveFlags(s, c, spec, argv) & F.write || (spec === EXEC_SPEC && c.mstateFlags & F.write) || spec.fullname === 'ping';
    if (w) {
      reject(c, spec, E.MISCONF);
      return true;
    }
  }
  // writeCommandsDeniedByDiskError (the AOF part): writes and PING are refused while the AOF cannot be written
  if (!obey && s.aof.state !== 0) {
    const diskErr = s.aof.diskError();
    if (diskErr !== null && (spec === PING_SPEC || effectiveFlags(s, c, spec, argv) & F.write)) {
      reject(c, spec, E.aofMisconf(diskErr));
      return true;
    }
  }
  if (hot.minReplicasToWrite !== 0 && hot.minReplicasMaxLag !== 0 && effectiveFlags(s, c, spec, argv) & F.write && !s.repl.enoughGoodReplicas()) {
    reject(c, spec, E.NOREPLICAS);
    return true;
  }
  const rep = s.replica;
  if (rep.host !== null && !(c.flags & CF.MASTER)) {
    // a read-only replica refuses writes of its clients (the master's stream is obeyed)
    if (effectiveFlags(s, c, spec, argv) & F.write && s.config.bool('replica-read-only')) {
      reject(c, spec, E.READONLY);
      return true;
    }
  }
  if (c.flags & CF.PUBSUB && c.resp === 2 && !PUBSUB_ALLOWED.has(spec)) {
    reject(c, spec, E.subscribeContext(spec.fullname));
    return true;
  }
  // replica-serve-stale-data no: while the link is down only the commands flagged stale run
  if (rep.host !== null && !rep.linkUp && (!(sflags & F.stale) || (spec === EXEC_SPEC && c.mstateInvFlags & F.stale)) && !s.config.bool('replica-serve-stale-data')) {
    reject(c, spec, E.MASTERDOWN);
    return true;
  }
  // loading: only commands flagged loading (seen while a slow script of the AOF serves other clients)
  if (s.loading && (!(sflags & F.loading) || (spec === EXEC_SPEC && c.mstateInvFlags & F.loading))) {
    reject(c, spec, E.LOADING);
    return true;
  }
  if (!(sflags & F.allow_busy) && s.scripting.isTimedOut()) {
    reject(c, spec, s.scripting.busyError());
    return true;
  }
  // CLIENT PAUSE, or a shutdown waiting for replicas: postpone the command (blockClient BLOCKED_POSTPONE).
  if (s.pause.engaged && s.pause.shouldPostpone(c, spec, argv)) {
    c.pending.unshift(argv);
    s.pause.postpone(c);
    return false;
  }
  // client side caching metadata stays within tracking-table-max-keys
  if (s.tracking.clients !== 0) s.tracking.limitUsedSlots(s.config.num('tracking-table-max-keys'));
  if (inMulti && !MULTI_PASSTHROUGH.has(spec)) {
    // queueMultiCommand: an already aborted transaction does not keep what it is sent.
    if (!(c.flags & (CF.DIRTY_CAS | CF.DIRTY_EXEC))) {
      const copy: Buffer[] = new Array(argv.length);
      for (let i = 0; i < argv.length; i++) copy[i] = Buffer.from(argv[i]);
      c.mstate!.push({ spec, argv: copy });
      const f = s.commandFlags(spec, argv);
      c.mstateFlags |= f;
      c.mstateInvFlags |= ~f;
    }
    c.reply.raw(QUEUED);
    return true;
  }
  const end = call(s, c, spec, argv);
  s.afterCommand();
  s.chainT = end;
  return (c.flags & CF.CLOSE_AFTER_REPLY) === 0 && c.blocked === null && !c.closed;
}

const scratch = new Reply();

/**
 * incrCommandStatsOnError's static prev_err_count: call() counts a failed call only for errors replied since the
 * last call() ended, so errors of commands run inside a script (nested call()) do not fail the EVAL itself.
 */
export const errMark = { prev: 0 };

/**
 * call(): runs the handler with stats, failed-call accounting, slowlog, MONITOR and CLIENT REPLY suppression.
 * Returns performance.now() at the end of the handler.
 */
export function call(s: Server, c: Client, spec: CommandSpec, argv: Buffer[]): number {
  const handler = spec.handler!;
  const realReply = c.reply;
  const suppress = (c.flags & (CF.REPLY_OFF | CF.REPLY_SKIP)) !== 0;
  if (suppress) {
    scratch.resp = c.resp;
    scratch.errorHook = realReply.errorHook;
    scratch.pushTarget = realReply;
    c.reply = scratch;
  }
  const stats = s.stats;
  errMark.prev = stats.totalErrorReplies;
  // One monotonic clock read serves the duration and the wall clock (server.ts keeps their offset in sync). Within a
  // pipeline, the end of the previous command is the start of this one (s.chainT), so a command costs one clock read.
  const t0 = s.chainT >= 0 ? s.chainT : performance.now();
  s.chainT = -1; // nested calls (EXEC, scripts) read the clock themselves
  const clock = s.clock;
  const now = Math.floor(clock.base + t0);
  if (now !== clock.now) {
    clock.now = now;
    clock.lru = lruClock(now);
  }
  // The expiry clock is frozen for the duration of a command (server.fixed_time_expire).
  const outerFixed = s.fixedTimeExpire;
  if (outerFixed === 0) s.fixedTimeExpire = now;
  const prevCmd = c.cmd;
  c.cmd = spec;
  c.flags |= CF.EXECUTING;
  const prevExecuting = s.executingClient;
  s.executingClient = c;
  // BGSAVE's copy-on-write: the keys a write command names keep their snapshot value (persistence/save.ts)
  const snap = s.persistence.bgsave;
  if (snap !== null && spec.flags & F.write) snap.touchKeys(c.db, spec, argv);
  const dirty0 = s.dirty;
  const prop = s.propagation;
  const propSaved = prop.enter(c);
  try {
    handler(c, argv);
  } catch (e) {
    // A handler bug must never take the server down: answer with an error and log it.
    s.log.warning(`Internal error running '${spec.fullname}': ${(e as Error).stack ?? e}`);
    c.reply.error(E.internalError((e as Error).message));
  } finally {
    c.flags &= ~CF.EXECUTING;
    s.executingClient = prevExecuting;
    if (outerFixed === 0) s.fixedTimeExpire = 0;
    prop.leave(c, spec, argv, s.dirty - dirty0, propSaved, spec === EXEC_SPEC);
  }
  const t1 = performance.now();
  const usec = Math.round((t1 - t0) * 1000);
  if (suppress) {
    const out = scratch.take();
    scratch.pushTarget = null;
    c.reply = realReply;
    // CLIENT REPLY ON (or RESET) cleared the suppression during the call: its own reply goes out, as in Redis.
    if ((c.flags & (CF.REPLY_OFF | CF.REPLY_SKIP)) === 0) realReply.raw(Buffer.from(out));
  }
  c.lastCmd = spec;
  c.cmd = prevCmd ?? spec;
  c.cmdsProcessed++;
  const st = spec.stats;
  if (stats.totalErrorReplies !== errMark.prev) st.failed++;
  errMark.prev = stats.totalErrorReplies;
  const blocked = c.blocked !== null;
  if (!blocked && !(spec.flags & F.skip_slowlog) && s.hot.slowlogSlowerThan >= 0 && usec >= s.hot.slowlogSlowerThan) {
    s.slowlogPush(c, argv, usec);
  }
  if (s.monitors.size !== 0 && !(spec.flags & (F.skip_monitor | F.admin))) s.feedMonitors(c, argv, c.db.id);
  // client side caching: remember the keys a read-only command fetched (a script's reads: its caller's keys)
  if (spec.flags & F.readonly && s.tracking.clients !== 0 && !NOT_TRACKED.has(spec)) s.tracking.afterReadCommand(c, spec, argv);
  st.calls++;
  st.usec += usec;
  // the latency monitor's command events and the latency-tracking histogram (blocked: recorded when served)
  if (s.latency.threshold !== 0) s.latency.addIfNeeded(spec.flags & F.fast ? 'fast-command' : 'command', Math.trunc(usec / 1000));
  if (s.hot.latencyTracking && !blocked) (st.histogram ??= new Histogram()).record(usec * 1000);
  stats.totalCommands++;
  return t1;
}
