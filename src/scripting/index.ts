// Scripting subsystem facade: EVAL script cache, FUNCTION libraries, the run context, redis.call's rules and busy-script state (Redis: eval.c, functions.c, script.c).
import { createHash } from 'node:crypto';
import type { Server } from '../server/server.js';
import { F, lookupCommand, type CommandSpec } from '../commands/table.js';
import { Client, CF, mustObeyClient } from '../server/client.js';
import { call, errMark } from '../server/dispatch.js';
import { preventPropagation } from '../replication/propagate.js';
import { logAt } from '../server/log.js';
import { E } from '../errors.js';
import type { Reply } from '../protocol/reply.js';
import { LuaEngine, LuaEngineTrap, type EvalVM, type FunctionVM, type RunResult, type RunOptions, type ScriptHost, type RegisteredFunction } from '../engine/index.js';
import { SF, parseShebang, parseLibraryMeta, FLAG_NAMES } from './shebang.js';
import { BusyService } from './busy.js';
import { RAND_INIT } from '../engine/index.js';
import { LdbSocketIO, copyDataset, restoreDataset } from './ldb.js';
import { lowerHex } from '../commands/scripting.js';
import { checkUserCommand, Deny } from '../acl/check.js';

// scriptRunCtx flags (script.h SCRIPT_*)
export const RUN = {
  WRITE_DIRTY: 1 << 0,
  KILLED: 1 << 3,
  READ_ONLY: 1 << 4,
  ALLOW_OOM: 1 << 5,
  EVAL_MODE: 1 << 6,
  TIMEDOUT: 1 << 7,
  SHUTDOWN: 1 << 8,
} as const;

export interface EvalScript {
  sha: string;
  body: Buffer;
  flags: number;
  /** the sha's 40 bytes (lowercase hex), for the one-entry lookup cache of EVALSHA */
  shaBytes?: Buffer;
}

export interface FunctionEntry {
  name: string;
  description: Buffer | null;
  flags: number;
  ref: number;
  lib: Library;
}

export interface Library {
  name: string;
  code: Buffer;
  functions: Map<string, FunctionEntry>; // case-sensitive, in registration order
}

export interface RunCtx {
  caller: Client;
  name: string;
  flags: number;
  start: number;
  snapshot: number;
}

/** CMD_MAY_REPLICATE is not printed by COMMAND INFO, so the generated table lacks it (commands.c in 7.0.15). */
const MAY_REPLICATE = new Set(['pfcount', 'publish', 'spublish', 'eval', 'evalsha', 'fcall']);

/** lua_gc(LUA_GCCOUNT)*1024 of a fresh EVAL / FUNCTION VM (measured on the engine), for INFO before the engine loads. */
const FRESH_EVAL_VM = 23552;
const FRESH_FUNCTION_VM = 24576;

const EVAL_FAMILY = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro']);
const FCALL_FAMILY = new Set(['fcall', 'fcall_ro']);

export const sha1hex = (b: Buffer | string): string => createHash('sha1').update(b).digest('hex');

/** scriptFlagsToCmdFlags */
export function scriptFlagsToCmdFlags(cmdFlags: number, scriptFlags: number): number {
  cmdFlags &= ~(F.stale | F.denyoom | F.write);
  if (!(scriptFlags & (SF.ALLOW_OOM | SF.NO_WRITES))) cmdFlags |= F.denyoom;
  if (!(scriptFlags & SF.NO_WRITES)) cmdFlags |= F.write;
  if (scriptFlags & SF.ALLOW_STALE) cmdFlags |= F.stale;
  return cmdFlags & ~F.may_replicate;
}

/** bytesToHuman */
export function bytesToHuman(n: number): string {
  const u = ['B', 'K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let i = 0;
  let d = n;
  while (d >= 1024 && i < u.length - 1) {
    d /= 1024;
    i++;
  }
  return `${d.toFixed(2)}${u[i]}`;
}

/** Every CR/LF becomes a space (addReplyErrorSdsExSafe / addReplyErrorFormat). */
const safe = (s: string) => s.replace(/[\r\n]/g, ' ');

export class Scripting {
  /** getCommandFlags for EVAL/FCALL (flags computed from the script's shebang/function flags). */
  commandFlags: ((spec: CommandSpec, argv: Buffer[]) => number) | null;

  private engine: LuaEngine | null = null;
  private evalVM_: EvalVM | null = null;
  private fnVM_: FunctionVM | null = null;
  private fnGeneration = 0;
  readonly scripts = new Map<string, EvalScript>();
  /** Libraries by (case-sensitive) name. */
  libraries = new Map<string, Library>();
  /** Functions by lowercase name (the case-insensitive global dict). */
  functions = new Map<string, FunctionEntry>();
  run: RunCtx | null = null;
  private scriptClient_: Client | null = null;
  private busy_: BusyService | null = null;
  private readonly host: ScriptHost;
  /** sha1 of the last EVAL body seen by commandFlags, to not hash it twice per command. */
  private lastBody: Buffer | null = null;
  private lastSha = '';
  /** Bytes held by cached script bodies (used_memory_scripts_eval). */
  private scriptsMem = 0;
  /** The script of the last EVALSHA lookup (EVALSHA of the same sha repeats constantly). */
  private lastScript: EvalScript | null = null;
  /** The command of the last redis.call (no subcommands), with its argv[0] bytes as typed. */
  private lastCallName: Buffer | null = null;
  private lastCallCmd: CommandSpec | null = null;
  /** The function of the last FCALL lookup, its lowercase name and argv[1] as typed. */
  private lastFn: FunctionEntry | null = null;
  private lastFnKey = '';
  private lastFnArg: Buffer | null = null;
  /** This server's math.random state (Redis: rand.c's x[], per process): each server starts as a fresh redis-server. */
  rand = RAND_INIT;
  /** Reused options of every run: the deadline changes per run; the reply is a view copied into the caller's Reply at once. */
  private readonly runOpts: RunOptions = { deadline: 0, replyView: true };

  constructor(readonly server: Server) {
    this.commandFlags = (spec, argv) => this.getCommandFlags(spec, argv);
    this.host = {
      call: (argv, resp) => this.scriptCall(argv, resp),
      log: (level, msg) => logAt(this.server.log, level, msg.toString('latin1')),
      aclCheck: argv => {
        // redis.acl_check_cmd: the permissions of the user running the script
        const spec = lookupCommand(argv);
        if (!spec) return null;
        return checkUserCommand(this.run ? this.run.caller.user : this.server.acl.defaultUser, spec, argv) === Deny.OK;
      },
      busy: () => this.onBusy(),
    };
  }

  // ---------------------------------------------------------------- engine and VMs (loaded lazily)

  private loadEngine(): LuaEngine {
    if (!this.engine) this.engine = LuaEngine.load();
    return this.engine;
  }

  private vmOptions() {
    return { enableDeprecatedApi: this.server.config.bool('lua-enable-deprecated-api') };
  }

  get evalVM(): EvalVM {
    if (!this.evalVM_) this.evalVM_ = this.loadEngine().createEvalVM(this.host, this.vmOptions());
    return this.evalVM_;
  }

  get fnVM(): FunctionVM {
    if (!this.fnVM_) {
      this.fnVM_ = this.loadEngine().createFunctionVM(this.host, this.vmOptions());
      this.fnGeneration = this.fnVM_.generation;
    }
    return this.fnVM_;
  }

  get scriptClient(): Client {
    if (!this.scriptClient_) {
      this.scriptClient_ = new Client(this.server, null);
      this.scriptClient_.flags |= CF.SCRIPT | CF.DENY_BLOCKING;
    }
    return this.scriptClient_;
  }

  // ---------------------------------------------------------------- facade used by the server

  isTimedOut(): boolean {
    return this.run !== null && (this.run.flags & RUN.TIMEDOUT) !== 0;
  }

  isRunning(): boolean {
    return this.run !== null;
  }

  isEval(): boolean {
    return this.run !== null && (this.run.flags & RUN.EVAL_MODE) !== 0;
  }

  busyError(): string {
    return this.isEval() ? E.BUSY_SCRIPT : E.BUSY_FUNCTION;
  }

  /** server.script_caller: the client whose EVAL/FCALL is running, or null. */
  scriptCaller(): Client | null {
    return this.run !== null ? this.run.caller : null;
  }

  snapshotTime(): number {
    return this.run ? this.run.snapshot : 0;
  }

  info(): Record<string, string | number> {
    // Before the first script the engine is not loaded: report what a fresh VM uses (Redis always has both VMs).
    const lua = this.evalVM_ ? this.evalVM_.usedMemory() : FRESH_EVAL_VM;
    const fn = this.fnVM_ ? this.fnVM_.usedMemory() : FRESH_FUNCTION_VM;
    const evalScripts = this.scriptsMem + this.scripts.size * 104;
    let fnMem = 0;
    let nfun = 0;
    for (const l of this.libraries.values()) {
      fnMem += l.code.length + l.name.length + 96;
      for (const f of l.functions.values()) {
        fnMem += f.name.length + (f.description?.length ?? 0) + 80;
        nfun++;
      }
    }
    return {
      used_memory_lua: lua,
      used_memory_vm_eval: lua,
      used_memory_lua_human: bytesToHuman(lua),
      used_memory_scripts_eval: evalScripts,
      number_of_cached_scripts: this.scripts.size,
      number_of_functions: nfun,
      number_of_libraries: this.libraries.size,
      used_memory_vm_functions: fn,
      used_memory_vm_total: lua + fn,
      used_memory_vm_total_human: bytesToHuman(lua + fn),
      used_memory_functions: fnMem,
      used_memory_scripts: evalScripts + fnMem,
      used_memory_scripts_human: bytesToHuman(evalScripts + fnMem),
      // MEMORY STATS
      'lua.caches': evalScripts,
      'functions.caches': fnMem,
    };
  }

  // ---------------------------------------------------------------- dynamic command flags

  /** getCommandFlags → evalGetCommandFlags / fcallGetCommandFlags */
  private getCommandFlags(spec: CommandSpec, argv: Buffer[]): number {
    const name = spec.fullname;
    if (EVAL_FAMILY.has(name)) {
      const base = MAY_REPLICATE.has(name) ? spec.flags | F.may_replicate : spec.flags;
      if (argv.length < 2) return base;
      const evalsha = name === 'evalsha' || name === 'evalsha_ro';
      let flags: number;
      if (evalsha) {
        const s = this.lookupSha(argv[1]);
        if (!s) return base;
        flags = s.flags;
      } else {
        const s = this.scripts.get(this.shaOf(argv[1]));
        if (s) flags = s.flags;
        else {
          const r = parseShebang(argv[1]);
          if (!r.ok) return base;
          flags = r.flags;
        }
      }
      if (flags & SF.EVAL_COMPAT_MODE) return base;
      return scriptFlagsToCmdFlags(base, flags);
    }
    if (FCALL_FAMILY.has(name)) {
      const base = MAY_REPLICATE.has(name) ? spec.flags | F.may_replicate : spec.flags;
      if (argv.length < 2) return base;
      const f = this.lookupFunction(argv[1]);
      if (!f) return base;
      return scriptFlagsToCmdFlags(base, f.flags);
    }
    return spec.flags;
  }

  /** sha1hex of an EVAL body, memoised for the command being processed. */
  shaOf(body: Buffer): string {
    if (this.lastBody === body) return this.lastSha;
    this.lastSha = sha1hex(body);
    this.lastBody = body;
    return this.lastSha;
  }

  /**
   * The function named `arg` (case-insensitive), or undefined. The last function found is checked first by
   * bytes, then confirmed in the registry by its (already hashed) key, so deletes and replaces are seen.
   */
  lookupFunction(arg: Buffer): FunctionEntry | undefined {
    const last = this.lastFn;
    const lastArg = this.lastFnArg;
    if (last !== null && lastArg !== null && arg.length === lastArg.length) {
      let i = 0;
      while (i < arg.length && arg[i] === lastArg[i]) i++;
      if (i === arg.length && this.functions.get(this.lastFnKey) === last) return last;
    }
    const key = arg.latin1Slice(0, arg.length).toLowerCase();
    const f = this.functions.get(key);
    if (f !== undefined) {
      this.lastFn = f;
      this.lastFnKey = key;
      this.lastFnArg = Buffer.from(arg);
    }
    return f;
  }

  // ---------------------------------------------------------------- EVAL script cache

  /**
   * The cached script whose sha is `arg` (40 hex characters, any case), or undefined. Checks the
   * last script found first, by bytes, which skips making and hashing a string per EVALSHA.
   */
  lookupSha(arg: Buffer): EvalScript | undefined {
    if (arg.length !== 40) return undefined;
    const last = this.lastScript;
    if (last !== null) {
      const b = last.shaBytes!;
      let i = 0;
      while (i < 40 && arg[i] === b[i]) i++;
      if (i === 40) return last;
    }
    const s = this.scripts.get(lowerHex(arg));
    if (s !== undefined) {
      if (s.shaBytes === undefined) s.shaBytes = Buffer.from(s.sha, 'latin1');
      this.lastScript = s;
    }
    return s;
  }

  /** luaCreateFunction: returns the cached script, or null after replying the error to `c`. */
  createScript(c: Client, body: Buffer, sha = this.shaOf(body)): EvalScript | null {
    const cached = this.scripts.get(sha);
    if (cached) return cached;
    const sb = parseShebang(body);
    if (!sb.ok) {
      c.reply.errorSafe(sb.error);
      return null;
    }
    let r: { ok: true } | { ok: false; error: Buffer };
    try {
      r = this.evalVM.compile(sha, body.subarray(sb.shebangLen));
    } catch (e) {
      c.reply.errorSafe(E.scriptCompile((e as Error).message));
      return null;
    }
    if (!r.ok) {
      c.reply.errorSafe(E.scriptCompile(r.error.toString('latin1')));
      return null;
    }
    const s: EvalScript = { sha, body: Buffer.from(body), flags: sb.flags };
    this.scripts.set(sha, s);
    this.scriptsMem += body.length + 40;
    return s;
  }

  /** SCRIPT FLUSH: a new EVAL VM and an empty cache (the PRNG state lives in the engine and survives). */
  flushScripts(): void {
    this.scripts.clear();
    this.lastScript = null;
    this.scriptsMem = 0;
    if (this.evalVM_) {
      this.evalVM_.close();
      this.evalVM_ = null;
    }
  }

  // ---------------------------------------------------------------- running scripts

  /** scriptPrepareForRun: the flag checks against the server state; replies and returns null on rejection. */
  private prepare(c: Client, name: string, scriptFlags: number, ro: boolean, evalMode: boolean): RunCtx | null {
    const s = this.server;
    if (!(scriptFlags & SF.EVAL_COMPAT_MODE)) {
      if (!(scriptFlags & SF.NO_WRITES)) {
        if (s.persistence.writesDenied()) {
          c.reply.error(E.MISCONF_SCRIPT);
          return null;
        }
        if (ro) {
          c.reply.error(E.SCRIPT_WRITE_FROM_RO);
          return null;
        }
      }
      if (s.preCommandOOM && s.hot.maxmemory && !(scriptFlags & (SF.ALLOW_OOM | SF.NO_WRITES))) {
        c.reply.error(E.SCRIPT_OOM);
        return null;
      }
    }
    let flags = evalMode ? RUN.EVAL_MODE : 0;
    if (ro || (!(scriptFlags & SF.EVAL_COMPAT_MODE) && scriptFlags & SF.NO_WRITES)) flags |= RUN.READ_ONLY;
    if (!(scriptFlags & SF.EVAL_COMPAT_MODE) && scriptFlags & SF.ALLOW_OOM) flags |= RUN.ALLOW_OOM;
    const sc = this.scriptClient;
    sc.db = c.db;
    sc.user = c.user;
    sc.resp = 2;
    if (c.has(CF.MULTI)) sc.flags |= CF.MULTI;
    else sc.flags &= ~CF.MULTI;
    // start is read only by the busy hook and FUNCTION STATS while busy: no clock read without a threshold
    const start = s.hot.busyReplyThreshold > 0 ? performance.now() : 0;
    // The time snapshot (scriptTimeSnapshot) is the wall clock at the script's start.
    const snapshot = s.commandTimeMs(c);
    return { caller: c, name, flags, start, snapshot };
  }

  /** The run options with the busy deadline of a run started at `start` (config.num is cached until CONFIG SET). */
  private options(start: number): RunOptions {
    const threshold = this.server.hot.busyReplyThreshold;
    this.runOpts.deadline = threshold > 0 ? start + threshold : 0;
    return this.runOpts;
  }

  /** evalGenericCommand after the lookup: prepare, run, reply. KEYS are argv[from, from + nkeys), ARGV the rest. */
  runEval(c: Client, script: EvalScript, argv: Buffer[], from: number, nkeys: number, ro: boolean): void {
    if (this.refuseNested(c)) return;
    const ctx = this.prepare(c, script.sha, script.flags, ro, true);
    if (!ctx) return;
    const vm = this.evalVM;
    this.engine!.swapRand(this);
    this.run = ctx;
    let res: RunResult;
    try {
      res = vm.runArgv(script.sha, argv, from, nkeys, c.resp, this.options(ctx.start));
      if (!res.ok && res.kind === 'noscript') {
        // the VM was re-created after an engine trap: compile again from the cached body
        const sb = parseShebang(script.body);
        const body = sb.ok ? script.body.subarray(sb.shebangLen) : script.body;
        const r = vm.compile(script.sha, body);
        if (r.ok) res = vm.runArgv(script.sha, argv, from, nkeys, c.resp, this.options(ctx.start));
      }
    } catch (e) {
      this.endRun();
      this.replyTrap(c, e);
      return;
    }
    this.endRun();
    this.replyResult(c, ctx, res);
    this.giveMemoryBack();
  }

  /**
   * evalGenericCommandWithDebugging: an EVAL of a client after SCRIPT DEBUG YES|SYNC runs as a debugging session
   * over its socket (scripting/ldb.ts), then the reply is sent and the connection closed, as Redis ends a session.
   */
  runEvalDebug(c: Client, script: EvalScript, argv: Buffer[], from: number, nkeys: number, ro: boolean): void {
    const s = this.server;
    const sync = c.has(CF.LUA_DEBUG_SYNC);
    c.flags &= ~(CF.LUA_DEBUG | CF.LUA_DEBUG_SYNC);
    const io = new LdbSocketIO(c.socket);
    if (!io.usable) return c.reply.error(E.LDB_NO_SOCKET);
    // earlier replies go out before the session's direct writes
    if (c.reply.length) io.write(c.reply.take());
    const copy = sync ? null : copyDataset(s);
    s.log.warning(sync ? 'Redis synchronous debugging eval session started' : 'Redis forked for debugging eval');
    const threshold = s.hot.busyReplyThreshold;
    const vm = this.evalVM;
    this.host.ldb = io;
    let ended = false;
    try {
      vm.ldbBegin(argv[1], threshold > 0 ? threshold : 5000);
      this.runEval(c, script, argv, from, nkeys, ro);
      vm.ldbEnd();
      ended = true;
    } finally {
      // whatever happened, no later run of this VM may stay in debugging mode
      if (!ended) this.evalVM_?.ldbEnd();
      this.host.ldb = undefined;
      if (copy) restoreDataset(s, copy);
    }
    s.log.warning(sync ? 'Redis synchronous debugging eval session ended' : 'Lua debugging session child exiting');
    c.flags |= CF.CLOSE_AFTER_REPLY;
  }

  /** fcallCommandGeneric after the argument checks. KEYS are argv[from, from + nkeys), ARGV the rest. */
  runFunction(c: Client, f: FunctionEntry, argv: Buffer[], from: number, nkeys: number, ro: boolean): void {
    if (this.refuseNested(c)) return;
    const ctx = this.prepare(c, f.name, f.flags, ro, false);
    if (!ctx) return;
    const vm = this.fnVM;
    this.engine!.swapRand(this);
    this.run = ctx;
    let res: RunResult;
    try {
      if (vm.generation !== this.fnGeneration) this.reloadLibraries();
      res = vm.callArgv(f.ref, argv, from, nkeys, c.resp, this.options(ctx.start));
    } catch (e) {
      this.endRun();
      this.replyTrap(c, e);
      return;
    }
    this.endRun();
    this.replyResult(c, ctx, res);
    this.giveMemoryBack();
  }

  /**
   * A script (or FUNCTION/SCRIPT management) reached from inside a running script, which only
   * `DEBUG set-disable-deny-scripts 1` allows: Redis asserts and dies there; redlua refuses it.
   */
  refuseNested(c: Client): boolean {
    if (!this.run) return false;
    c.reply.error(E.NOT_ALLOWED_FROM_SCRIPT);
    return true;
  }

  private endRun(): void {
    const ctx = this.run;
    this.run = null;
    if (ctx && ctx.flags & RUN.TIMEDOUT) {
      this.busy_?.afterScript(ctx.caller);
      this.server.signals.settle();
    }
    // scriptResetRun: EVAL/FCALL never propagate themselves, only the effects of the commands they ran
    if (ctx) preventPropagation(ctx.caller);
    const sc = this.scriptClient_;
    if (sc) {
      sc.flags &= ~CF.MULTI;
      if (sc.reply.length !== 0) sc.reply.take();
    }
  }

  /**
   * After a run: a spike that grew the engine's linear memory far past its live use (a memory bomb, a huge reply)
   * is given back by re-creating the engine (LuaEngine.compact); scripts compile again from their cached bodies
   * and libraries load again, as after a trap.
   */
  private giveMemoryBack(): void {
    const engine = this.engine!;
    const before = engine.memoryBytes();
    if (!engine.compact()) return;
    this.server.log.verbose(`Lua engine re-created to give memory back: ${bytesToHuman(before)} -> ${bytesToHuman(engine.memoryBytes())}`);
  }

  private replyTrap(c: Client, e: unknown): void {
    if (e instanceof LuaEngineTrap) {
      this.server.log.warning(e.message);
      c.reply.error(E.scriptRunError(safe(e.message)));
      return;
    }
    throw e;
  }

  /** luaCallFunction's reply part: the converted value, or the formatted error. */
  private replyResult(c: Client, ctx: RunCtx, res: RunResult): void {
    if (ctx.flags & RUN.SHUTDOWN) return; // the server is going away, as redis-server exits mid-script
    const spec = c.cmd;
    if (res.ok) {
      // res.reply is a view into the engine's memory (runOpts.replyView): Reply copies small payloads into its
      // slab but keeps large ones (>= 16 KB) by reference, so those are copied here.
      c.reply.raw(res.reply.length < 1024 ? res.reply : Buffer.from(res.reply));
      const hook = this.server.stats.errorHook;
      for (const code of res.errorCodes) if (code) hook(code + ' ');
      // an error reply that was already counted when the inner command replied: only the failed call is counted
      if (res.reply[0] === 0x2d && res.errorCodes.length === 0 && spec) spec.stats.failed++;
      return;
    }
    if (res.kind === 'error') {
      let msg = res.err.toString('latin1');
      if (res.source !== undefined && res.line !== undefined) msg += ` script: ${ctx.name}, on ${res.source.toString('latin1')}:${res.line}.`;
      msg = safe(msg);
      if (msg.charCodeAt(0) !== 0x2d) msg = '-' + msg;
      if (res.ignoreStats) {
        c.reply.errorNoStats(msg);
        if (spec) spec.stats.failed++;
      } else c.reply.error(msg);
      return;
    }
    // a non-table error object
    let m = res.err.toString('latin1').slice(0, 100);
    m = m.replace(/[\r\n]+$/, '');
    c.reply.error(safe(E.scriptRunErrorObject(ctx.name, m)));
  }

  // ---------------------------------------------------------------- redis.call (scriptCall)

  /** The host side of redis.call/pcall: the script checks in Redis's order, then call() on the script client. */
  private scriptCall(argv: Buffer[], resp: 2 | 3): Reply | { reject: string } {
    const ctx = this.run;
    if (!ctx) return { reject: 'redis.call/pcall can only be called inside a script invocation' };
    const s = this.server;
    const sc = this.scriptClient;
    sc.resp = resp;
    sc.argv = argv;
    const cmd = this.lookupCall(argv);
    sc.cmd = cmd;
    const err = this.verifyCall(ctx, cmd, argv);
    if (err !== null) {
      // afterErrorReply + incrCommandStatsOnError(cmd, ERROR_COMMAND_REJECTED)
      s.stats.errorHook(err.charCodeAt(0) === 0x2d ? err.slice(1) : E.err(err));
      if (cmd) cmd.stats.rejected++;
      errMark.prev = s.stats.totalErrorReplies;
      return { reject: err };
    }
    if (cmd!.has(F.write)) ctx.flags |= RUN.WRITE_DIRTY;
    // scriptCall's call_flags: redis.set_repl decides where the command's effects go
    sc.propMask = (ctx.flags & RUN.EVAL_MODE ? this.evalVM : this.fnVM).replFlags;
    call(s, sc, cmd!, argv);
    return sc.reply; // the engine copies the reply bytes straight into its buffer (Reply.takeInto)
  }

  /** lookupCommand, remembering the last command without subcommands by its name's bytes (scripts repeat them). */
  private lookupCall(argv: Buffer[]): CommandSpec | null {
    const name = argv[0];
    const last = this.lastCallName;
    if (last !== null && name.length === last.length) {
      let i = 0;
      while (i < name.length && name[i] === last[i]) i++;
      if (i === name.length) return this.lastCallCmd;
    }
    const cmd = lookupCommand(argv) ?? null;
    if (cmd !== null && cmd.parent === null && cmd.subcommands === null) {
      this.lastCallName = Buffer.from(name);
      this.lastCallCmd = cmd;
    }
    return cmd;
  }

  /** scriptVerify*: the first failing rule's text, or null. */
  private verifyCall(ctx: RunCtx, cmd: CommandSpec | null, argv: Buffer[]): string | null {
    if (!cmd) return 'Unknown Redis command called from script';
    if (cmd.arity > 0 ? cmd.arity !== argv.length : argv.length < -cmd.arity) return 'Wrong number of args calling Redis command from script';
    if (!this.server.disableDenyScripts && cmd.has(F.noscript)) return 'This Redis command is not allowed from script';
    const aclDenied = this.server.acl.scriptDenied(this.scriptClient, cmd, argv);
    if (aclDenied !== null) return aclDenied;
    if (ctx.flags & RUN.READ_ONLY && (cmd.flags & F.write || MAY_REPLICATE.has(cmd.fullname))) return 'Write commands are not allowed from read-only scripts.';
    // scriptVerifyWriteCommandAllow, before the script's first write: a read-only replica refuses it unless its master
    // runs the script, then a failed persistence (MISCONF), then too few good replicas (checkGoodReplicasStatus)
    const srv = this.server;
    if (cmd.flags & F.write && !(ctx.flags & RUN.WRITE_DIRTY)) {
      if (srv.replica.host !== null && srv.config.bool('replica-read-only') && !mustObeyClient(ctx.caller)) return '-' + E.READONLY;
      if (srv.persistence.writesDenied()) return '-' + E.MISCONF;
      if (!srv.repl.enoughGoodReplicas()) return '-' + E.NOREPLICAS;
    }
    if (
      !(ctx.flags & RUN.ALLOW_OOM) &&
      this.server.hot.maxmemory &&
      !(ctx.flags & RUN.WRITE_DIRTY) &&
      this.server.preCommandOOM &&
      cmd.has(F.denyoom)
    )
      return '-' + E.OOM;
    if (!cmd.handler) return 'Unknown Redis command called from script'; // in the table, not implemented by redlua
    return null;
  }

  // ---------------------------------------------------------------- busy scripts

  /** The count hook's callback once the script is past busy-reply-threshold. */
  private onBusy(): 'continue' | 'kill' {
    const ctx = this.run;
    if (!ctx) return 'continue';
    if (!(ctx.flags & RUN.TIMEDOUT)) {
      ctx.flags |= RUN.TIMEDOUT;
      const elapsed = Math.round(performance.now() - ctx.start);
      this.server.log.warning(
        `Slow script detected: still in execution after ${elapsed} milliseconds. You can try killing the script using the ${
          ctx.flags & RUN.EVAL_MODE ? 'SCRIPT KILL' : 'FUNCTION KILL'
        } command. Script name is: ${ctx.name}.`,
      );
    }
    // a shutdown signal is handled now (a second one exits), not when the script ends
    this.server.signals.watch(msg => this.server.log.warning(msg));
    this.server.signals.catchUp();
    if (!(ctx.flags & RUN.KILLED)) {
      if (!this.busy_) this.busy_ = new BusyService(this.server);
      this.busy_.poll(ctx.caller);
    }
    if (this.busy_?.serverClosing()) ctx.flags |= RUN.KILLED;
    if (ctx.flags & RUN.KILLED) {
      if (!(ctx.flags & RUN.SHUTDOWN)) this.server.log.warning('Lua script killed by user with SCRIPT KILL.');
      return 'kill';
    }
    return 'continue';
  }

  /** SHUTDOWN NOSAVE while a script is timed out: the script is stopped (even after writes) and its caller gets no reply. */
  requestShutdown(): void {
    if (this.run) this.run.flags |= RUN.KILLED | RUN.SHUTDOWN;
  }

  /** scriptKill: SCRIPT KILL (isEval) and FUNCTION KILL. */
  kill(c: Client, isEval: boolean): void {
    const ctx = this.run;
    if (!ctx) return c.reply.error(E.NOTBUSY);
    if (ctx.flags & RUN.WRITE_DIRTY)
      return c.reply.error(E.UNKILLABLE);
    if (isEval && !(ctx.flags & RUN.EVAL_MODE)) return c.reply.error(E.BUSY_FUNCTION);
    if (!isEval && ctx.flags & RUN.EVAL_MODE) return c.reply.error(E.BUSY_SCRIPT);
    ctx.flags |= RUN.KILLED;
    c.reply.ok();
  }

  // ---------------------------------------------------------------- functions

  /**
   * functionsCreateWithLibraryCtx over a target registry. Returns the library name, or an error text (with "ERR ").
   * `timeout` is the FUNCTION LOAD timeout (0 for RESTORE).
   */
  createLibrary(
    code: Buffer,
    replace: boolean,
    reg: { libraries: Map<string, Library>; functions: Map<string, FunctionEntry> },
    timeout: number,
  ): { ok: true; name: string } | { ok: false; error: string } {
    const md = parseLibraryMeta(code);
    if (!md.ok) return md;
    if (md.engine.toLowerCase() !== 'lua') return { ok: false, error: E.engineNotFound(md.engine) };
    const old = reg.libraries.get(md.name);
    if (old && !replace) return { ok: false, error: E.libraryExists(md.name) };
    if (old) this.unlink(reg, old);
    const vm = this.fnVM;
    if (vm.generation !== this.fnGeneration) this.reloadLibraries();
    let r;
    try {
      r = vm.loadLibrary(code.subarray(md.codeStart), timeout);
    } catch (e) {
      if (old) this.link(reg, old);
      return { ok: false, error: E.registerFunctions((e as Error).message) };
    }
    if (!r.ok) {
      if (old) this.link(reg, old);
      return { ok: false, error: E.err(r.error.toString('latin1')) };
    }
    const fail = (error: string) => {
      vm.freeLibrary(r.functions.map(f => f.ref));
      if (old) this.link(reg, old);
      return { ok: false as const, error };
    };
    if (r.functions.length === 0) return fail(E.NO_FUNCTIONS_REGISTERED);
    for (const f of r.functions) if (reg.functions.has(f.name.toLowerCase())) return fail(E.functionExists(f.name));
    const lib = this.makeLibrary(md.name, code, r.functions);
    this.link(reg, lib);
    if (old) vm.freeLibrary([...old.functions.values()].map(f => f.ref));
    return { ok: true, name: md.name };
  }

  private makeLibrary(name: string, code: Buffer, fns: RegisteredFunction[]): Library {
    const lib: Library = { name, code: Buffer.from(code), functions: new Map() };
    for (const f of fns) lib.functions.set(f.name, { name: f.name, description: f.description, flags: f.flagBits, ref: f.ref, lib });
    return lib;
  }

  link(reg: { libraries: Map<string, Library>; functions: Map<string, FunctionEntry> }, lib: Library): void {
    reg.libraries.set(lib.name, lib);
    for (const f of lib.functions.values()) reg.functions.set(f.name.toLowerCase(), f);
  }

  unlink(reg: { libraries: Map<string, Library>; functions: Map<string, FunctionEntry> }, lib: Library): void {
    reg.libraries.delete(lib.name);
    for (const f of lib.functions.values()) reg.functions.delete(f.name.toLowerCase());
  }

  freeLibraries(libs: Iterable<Library>): void {
    if (!this.fnVM_) return;
    const refs: number[] = [];
    for (const l of libs) for (const f of l.functions.values()) refs.push(f.ref);
    if (refs.length) this.fnVM_.freeLibrary(refs);
  }

  /** After an engine trap re-created the FUNCTION VM: load every library again and refresh the refs. */
  private reloadLibraries(): void {
    const vm = this.fnVM_!;
    this.fnGeneration = vm.generation;
    for (const lib of this.libraries.values()) {
      const md = parseLibraryMeta(lib.code);
      if (!md.ok) continue;
      const r = vm.loadLibrary(lib.code.subarray(md.codeStart), 0);
      if (!r.ok) continue;
      for (const f of r.functions) {
        const e = lib.functions.get(f.name);
        if (e) e.ref = f.ref;
      }
    }
  }

  /** FUNCTION FLUSH */
  flushFunctions(): void {
    this.freeLibraries(this.libraries.values());
    this.libraries = new Map();
    this.functions = new Map();
  }

  /** FUNCTION STATS counts */
  functionCounts(): { libraries: number; functions: number } {
    let n = 0;
    for (const l of this.libraries.values()) n += l.functions.size;
    return { libraries: this.libraries.size, functions: n };
  }

  /** The flag names of a function, in FUNCTION LIST order. */
  static flagNames(flags: number): string[] {
    return FLAG_NAMES.filter(([, b]) => (flags & b) !== 0).map(([n]) => n);
  }
}
