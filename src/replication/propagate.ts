// The propagation layer: what each executed write sends to the AOF and to replicas (Redis: server.c alsoPropagate,
// propagatePendingCommands, propagateNow, forceCommandPropagation, preventCommandPropagation; the argv rewrites of
// networking.c rewriteClientCommandVector).
//
// API for command handlers (all cheap no-ops while nothing listens: no AOF, no replica):
//   rewriteArgv(c, argv)        the command propagates as `argv` instead of what the client sent (EXPIRE → PEXPIREAT…)
//   alsoPropagate(s, dbid, argv, target?)  queue one more command (SPOP with count → SREM…, XREADGROUP → XCLAIM…)
//   preventPropagation(c, target?)  the command itself is not propagated (what it alsoPropagate'd still is)
//   forcePropagation(c, target?)    propagated even though it changed nothing (FLUSHALL of an empty server, PUBLISH)
//   propagating(s)              true when anything listens (skip building argvs otherwise)
// The dispatcher's call() brackets every handler with enter()/leave(): a command that made server.dirty move is queued
// (rewritten or as is) after whatever it queued itself; when the outermost call() ends, the queue goes to the sinks,
// wrapped in MULTI/EXEC when it holds more than one command (EXEC, scripts, lazy expiry before a write).
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import type { CommandSpec } from '../commands/table.js';

export const PROPAGATE_NONE = 0;
export const PROPAGATE_AOF = 1;
export const PROPAGATE_REPL = 2;
export const PROPAGATE_ALL = 3;

/** Where propagated commands go (the AOF, the replication stream). Each sink keeps its own selected db. */
export interface PropagationSink {
  /** Whether this sink takes commands now (aof_state != OFF; replicas or a backlog exist). */
  readonly accepting: boolean;
  feed(dbid: number, argv: Buffer[]): void;
}

interface PendingOp {
  dbid: number;
  argv: Buffer[];
  target: number;
}

const MULTI = [Buffer.from('MULTI')];
const EXEC = [Buffer.from('EXEC')];

/** Per-client propagation state of the running command, saved and restored around nested call()s. */
export interface CallPropState {
  argv: Buffer[] | null;
  force: number;
  prevent: number;
}

export class Propagation {
  aof: PropagationSink | null = null;
  repl: PropagationSink | null = null;
  private ops: PendingOp[] = [];
  /** call() nesting (server.in_nested_call + 1 while a top-level command runs) */
  depth = 0;
  /** server.propagate_no_multi: active expiry and eviction propagate their DELs unwrapped */
  noMulti = false;
  /** server.loading: nothing propagates while the AOF is loaded */
  loading = false;
  /** Commands fed to the sinks since start (tests and INFO use it). */
  fed = 0;

  constructor(private readonly server: Server) {}

  /** shouldPropagate(target) */
  accepts(target: number): boolean {
    if (this.loading || target === PROPAGATE_NONE) return false;
    if (target & PROPAGATE_AOF && this.aof !== null && this.aof.accepting) return true;
    if (target & PROPAGATE_REPL && this.repl !== null && this.repl.accepting) return true;
    return false;
  }

  get active(): boolean {
    return this.accepts(PROPAGATE_ALL);
  }

  /** alsoPropagate: argv is copied (arguments may be views into socket buffers). */
  also(dbid: number, argv: Buffer[], target = PROPAGATE_ALL): void {
    if (!this.accepts(target)) return;
    const copy = new Array<Buffer>(argv.length);
    for (let i = 0; i < argv.length; i++) copy[i] = Buffer.from(argv[i]);
    this.ops.push({ dbid, argv: copy, target });
  }

  /** call() before the handler: returns the caller's state to hand back to leave(). */
  enter(c: Client): CallPropState | null {
    this.depth++;
    const st = c.prop;
    if (st.argv === null && st.force === 0 && st.prevent === 0) return null;
    const saved = { argv: st.argv, force: st.force, prevent: st.prevent };
    st.argv = null;
    st.force = st.prevent = 0;
    return saved;
  }

  /**
   * call() after the handler: queue the command per its effects, restore the caller's state, and at the outermost
   * level propagate what was queued. `mask` is the call's CMD_CALL_PROPAGATE_* (a script's redis.set_repl).
   */
  leave(c: Client, spec: CommandSpec, argv: Buffer[], dirty: number, saved: CallPropState | null, isExec: boolean): void {
    const st = c.prop;
    // cheapest tests first: most commands write nothing, or nothing listens
    if ((dirty > 0 || st.force !== 0) && !isExec && (st.prevent & PROPAGATE_ALL) !== PROPAGATE_ALL && this.active) {
      let target = dirty > 0 ? PROPAGATE_ALL : PROPAGATE_NONE;
      target |= st.force;
      target &= ~st.prevent & c.propMask;
      if (target !== PROPAGATE_NONE) this.also(c.db.id, st.argv ?? argv, target);
    }
    if (saved === null) {
      st.argv = null;
      st.force = st.prevent = 0;
    } else {
      st.argv = saved.argv;
      st.force = saved.force;
      st.prevent = saved.prevent;
    }
    if (--this.depth === 0 && this.ops.length !== 0) {
      // CMD_TOUCHES_ARBITRARY_KEYS (a hidden flag of SCAN and RANDOMKEY): their lazy-expiry DELs are not wrapped
      if (spec.fullname === 'scan' || spec.fullname === 'randomkey') {
        this.noMulti = true;
        this.flush();
        this.noMulti = false;
      } else this.flush();
      if (this.repl !== null) c.woff = this.replOffset();
    }
  }

  /** master_repl_offset (the replication sink's) */
  replOffset: () => number = () => 0;

  /** propagatePendingCommands */
  flush(): void {
    const ops = this.ops;
    if (ops.length === 0) return;
    this.ops = [];
    const transaction = ops.length > 1 && !this.noMulti;
    if (transaction) this.now(ops[0].dbid, MULTI, PROPAGATE_ALL);
    for (const op of ops) this.now(op.dbid, op.argv, op.target);
    if (transaction) this.now(ops[ops.length - 1].dbid, EXEC, PROPAGATE_ALL);
  }

  /** propagateNow */
  private now(dbid: number, argv: Buffer[], target: number): void {
    if (!this.accepts(target)) return;
    this.fed++;
    if (target & PROPAGATE_AOF && this.aof !== null && this.aof.accepting) this.aof.feed(dbid, argv);
    if (target & PROPAGATE_REPL && this.repl !== null && this.repl.accepting) this.repl.feed(dbid, argv);
  }

  /** Runs `fn` (active expiry, eviction) so that its DELs go out unwrapped, as soon as it ends (outside any call). */
  batch(fn: () => void): void {
    const prev = this.noMulti;
    this.noMulti = true;
    try {
      fn();
    } finally {
      if (this.depth === 0) this.flush();
      this.noMulti = prev;
    }
  }

  /** Outside call(): what a lazy expiry queued (blocked clients served, the cron) goes out now. */
  flushIdle(): void {
    if (this.depth === 0 && this.ops.length !== 0) this.flush();
  }
}

/** true when something listens: commands may skip building propagation argvs otherwise. */
export function propagating(s: Server): boolean {
  return s.propagation.active;
}

/** rewriteClientCommandVector / replaceClientCommandVector: `argv` is what the running command propagates. */
export function rewriteArgv(c: Client, argv: (Buffer | string)[]): void {
  if (!c.server.propagation.active) return;
  c.prop.argv = argv.map(a => (typeof a === 'string' ? Buffer.from(a, 'latin1') : a));
}

/** alsoPropagate */
export function alsoPropagate(s: Server, dbid: number, argv: (Buffer | string)[], target = PROPAGATE_ALL): void {
  const p = s.propagation;
  if (!p.accepts(target)) return;
  p.also(dbid, argv.map(a => (typeof a === 'string' ? Buffer.from(a, 'latin1') : a)), target);
}

/** preventCommandPropagation (PROPAGATE_ALL), preventCommandAOF, preventCommandReplication */
export function preventPropagation(c: Client, target = PROPAGATE_ALL): void {
  c.prop.prevent |= target;
}

/** forceCommandPropagation */
export function forcePropagation(c: Client, target = PROPAGATE_ALL): void {
  c.prop.force |= target;
}

/** propagateDeletion: an expired (or evicted) key goes out as DEL, or UNLINK when freed lazily. */
export function propagateDeletion(s: Server, dbid: number, key: string, lazy: boolean): void {
  if (!s.propagation.active) return;
  alsoPropagate(s, dbid, [lazy ? 'UNLINK' : 'DEL', Buffer.from(key, 'latin1')]);
}

/** A string argument in the decimal form Redis builds with createStringObjectFromLongLong. */
export function llArg(n: number | bigint): Buffer {
  return Buffer.from(String(n), 'latin1');
}
