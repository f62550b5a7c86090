// Public API of the Lua engine: real Lua 5.1.5 + cjson/cmsgpack/struct/bit in WASM with Redis's sandbox (Redis: script_lua.c, eval.c, function_lua.c engine halves).
/*
 * ============================================================================================
 * redlua engine: public surface (everything here is synchronous)
 * ============================================================================================
 *
 *   const engine = LuaEngine.load();                 // compiles wasm/redlua.wasm once per process (~ms)
 *   const vm = engine.createEvalVM(host, opts?);     // the EVAL lua_State (scriptingInit)
 *   const fvm = engine.createFunctionVM(host, opts?);// the FUNCTION lua_State (luaEngineInitEngine)
 *
 * ScriptHost (plain object of callbacks; the engine knows nothing about Redis commands):
 *   call(argv: Buffer[], resp: 2|3, isPcall: boolean): Uint8Array | { reject: string | Uint8Array }
 *       Run one redis.call/redis.pcall. Return the command's reply as RESP bytes, encoded in
 *       protocol `resp` (the script's redis.setresp, default 2). An error reply ("-ERR ...\r\n")
 *       is fine: C turns it into {err=..., ignore_error_stats_update=true} and, for redis.call,
 *       raises it. `{reject: text}` is a script-level rejection (unknown command, ACL, NOSCRIPT
 *       flag, OOM, ...): text is "-CODE msg" or "msg" (ERR is prepended), exactly like Redis's
 *       luaPushError(err). Invoked exactly once per redis.call/pcall; argv Buffers are copies the host
 *       may keep but must never write into (a position's copy is handed out again while the script
 *       passes the same Lua string).
 *   log(level: 0|1|2|3, message: Buffer): void        redis.log after its argument checks; filter by verbosity yourself.
 *   aclCheck(argv: Buffer[]): boolean | null          redis.acl_check_cmd: true allowed, false denied, null unknown command.
 *   busy(): 'continue' | 'kill'                       called by the count hook (every 100000 instructions) once
 *                                                     performance.now() >= deadline; serve other clients, then return.
 * Callbacks must not throw; if one does, call() becomes a rejection "-ERR <message>", aclCheck
 * becomes denied, log/busy are ignored. Callbacks never unwind through WASM.
 *
 * EvalVM
 *   compile(sha: string, body: Buffer): { ok: true } | { ok: false; error: Buffer }
 *       luaL_loadbuffer(body, "@user_script") stored as registry f_<sha>. Pass the body with the
 *       shebang line already cut (keep its "\n"). error is Lua's message, e.g.
 *       "user_script:1: '=' expected near 'end'"; Redis replies "ERR Error compiling script (new function): <error>".
 *   has(sha: string): boolean
 *   run(sha, keys: Buffer[], args: Buffer[], callerResp: 2|3, opts?: RunOptions): RunResult
 * FunctionVM
 *   loadLibrary(code: Buffer, timeoutMs: number): LoadResult
 *       code = library code from the "\n" that ends the shebang line. error texts are complete
 *       Redis messages without the "ERR " prefix ("Error compiling function: ...",
 *       "Error registering functions: ..."). Cross-library name clashes and "No functions
 *       registered" are the caller's job. On success, free the refs of a replaced library with freeLibrary.
 *   call(ref: number, keys, args, callerResp, opts?): RunResult
 *   freeLibrary(refs: number[]): void
 * Both VMs
 *   usedMemory(): number          lua_gc(LUA_GCCOUNT)*1024 (used_memory_lua / used_memory_vm_*)
 *   setMemoryLimit(bytes): void   0 = unlimited; beyond it Lua raises "not enough memory" (state stays usable)
 *   setDeadline(ms): void         change the busy deadline of the running script (performance.now() clock)
 *   requestKill(): void           kill flag in linear memory; the hook raises "Script killed by user with SCRIPT KILL..."
 *   replFlags: number             redis.set_repl value of the current run (3 = REPL_ALL at start)
 *   scriptResp: 2|3               redis.setresp value of the current run
 *   busyCalls: number             how many times busy() was called during the current/last run
 *   gc(): void                    full collection
 *   close(): void
 * RunOptions: { deadline?: number, replyView?: boolean }
 *   deadline: performance.now()-based ms; omitted/0 = no hook (busy-reply-threshold 0).
 *   replyView: the ok reply is a view into linear memory instead of a copy, valid only until the
 *   next call into the engine (any VM); copy it (or write it into a Reply, which copies) at once.
 * Hot path variants taking a slice of an argv without allocating keys/args arrays:
 *   EvalVM.runArgv(sha, argv, from, nkeys, callerResp, opts?)   keys = argv[from, from+nkeys), args = the rest
 *   FunctionVM.callArgv(ref, argv, from, nkeys, callerResp, opts?)
 * RunResult:
 *   { ok: true, reply: Buffer, errorCodes: string[] }
 *       reply: RESP bytes in the caller's protocol (luaReplyToRedisReply). errorCodes: codes of nested
 *       error replies to count in errorstats (those without ignore_error_stats_update), in order.
 *   { ok: false, kind: 'error', err: Buffer, source?: Buffer, line?: number, ignoreStats: boolean }
 *       the error table after __redis__err__handler. Reply "-<err> script: <name>, on <source>:<line>."
 *       (suffix only when source and line are present; map CR/LF to spaces). error({}) would crash
 *       Redis 7.0.15; here err is "ERR unknown error".
 *   { ok: false, kind: 'raw', err: Buffer, ignoreStats: false }
 *       a non-table error object (e.g. "not enough memory" from the memory cap): Redis replies
 *       "-ERR Error running script <name>, <first 100 chars>".
 *   { ok: false, kind: 'noscript', err: Buffer, ignoreStats: false }   no f_<sha> / no such ref.
 * Traps: a WASM trap (OOB, unreachable, stack exhaustion) throws LuaEngineTrap. The engine
 * instance is re-created and every VM of the old instance is re-created empty (scripts and
 * functions must be compiled/loaded again; vm.generation increments). The PRNG state is carried over.
 * ============================================================================================
 */
import { compiledModule, instantiate, readExportList, type RlExports } from './wasm.js';
import { bufView } from '../util/bufview.js';
import { collectSoon } from '../util/gc.js';

/** Reply bytes the host has not materialized yet: copied straight into the engine's reply buffer. */
export interface ReplySource {
  readonly length: number;
  /** Copies all the bytes into dst at off and forgets them. */
  takeInto(dst: Uint8Array, off: number): void;
}

export interface ScriptHost {
  call(argv: Buffer[], resp: 2 | 3, isPcall: boolean): Uint8Array | ReplySource | { reject: string | Uint8Array };
  log(level: number, message: Buffer): void;
  aclCheck(argv: Buffer[]): boolean | null;
  busy(): 'continue' | 'kill';
  /** The debugger (LDB) session's I/O with its client: both block until done. */
  ldb?: LdbIO;
}

/** Blocking I/O with the debugging client of an LDB session (Redis: the session's connBlock'ed socket). */
export interface LdbIO {
  write(bytes: Buffer): void;
  /** Up to max bytes, waiting for at least one; null when the client went away. */
  read(max: number): Buffer | null;
}

export interface VMOptions {
  /** Per-state memory cap in bytes (0/undefined = none). */
  memoryLimit?: number;
  /** lua-enable-deprecated-api: keep newproxy/setfenv/getfenv. */
  enableDeprecatedApi?: boolean;
}

export interface RunOptions {
  /** performance.now() value after which the hook calls host.busy(); 0/undefined: no hook. */
  deadline?: number;
  /** The ok reply is a view into linear memory, valid until the next call into the engine (no copy). */
  replyView?: boolean;
}

const NO_OPTS: RunOptions = Object.freeze({});
/** Shared empty errorCodes of ok results (most runs have none). */
const NO_CODES: string[] = Object.freeze([]) as unknown as string[];
/** Arguments up to this size are copied byte by byte (cheaper than TypedArray.set's call overhead). */
const SMALL = 64;
/** argument positions whose copies readArgv reuses (see BaseVM.argCache) */
const ARG_CACHE = 4;

/**
 * Small argument copies for redis.call come from a private pool, as views (util/bufview.ts): the same memory
 * behaviour as Buffer.allocUnsafe's pool without its per-call checks and bookkeeping.
 */
const ARG_POOL = 16 * 1024;
let argPool = new ArrayBuffer(ARG_POOL);
let argPoolOff = 0;
function argCopy(n: number): Buffer {
  if (argPoolOff + n > ARG_POOL) {
    argPool = new ArrayBuffer(ARG_POOL);
    argPoolOff = 0;
  }
  const b = bufView(argPool, argPoolOff, n);
  argPoolOff += (n + 7) & ~7;
  return b;
}

export type RunResult =
  | { ok: true; reply: Buffer; errorCodes: string[] }
  | { ok: false; kind: 'error'; err: Buffer; source?: Buffer; line?: number; ignoreStats: boolean }
  | { ok: false; kind: 'raw' | 'noscript'; err: Buffer; ignoreStats: false };

export interface RegisteredFunction {
  name: string;
  description: Buffer | null;
  /** Flag names in Redis's fixed order (no-writes, allow-oom, allow-stale, no-cluster, allow-cross-slot-keys). */
  flags: string[];
  /** Redis SCRIPT_FLAG_* bits. */
  flagBits: number;
  ref: number;
}

export type LoadResult = { ok: true; functions: RegisteredFunction[] } | { ok: false; error: Buffer };

export const SCRIPT_FLAGS: ReadonlyArray<readonly [string, number]> = [
  ['no-writes', 1 << 0],
  ['allow-oom', 1 << 1],
  ['allow-stale', 1 << 2],
  ['no-cluster', 1 << 3],
  ['allow-cross-slot-keys', 1 << 5],
];

export class LuaEngineTrap extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'LuaEngineTrap';
  }
}

// Layouts of the C structs rl_result and rl_ctl (native/shim/redlua.c).
const RES = { status: 0, outPtr: 4, outLen: 8, codesPtr: 12, codesLen: 16, errPtr: 20, errLen: 24, srcPtr: 28, srcLen: 32, line: 36, hasSrcLine: 40, ignore: 44 } as const;
const CTL = { deadline: 0, kill: 8, busyCalls: 12, replFlags: 16, scriptResp: 20, replyPtr: 24, replyCap: 28, ioPtr: 32, ioCap: 36 } as const;
const ST_OK = 0, ST_TABLE = 1, ST_NOTFOUND = 4; // 2: raw error, 3: compile error
const CALL_REJECTED = -2;
/** rl_host_call: rl_reply_alloc failed, the engine's memory is exhausted; C raises Lua's "not enough memory" */
const CALL_NOMEM = -1;
/** rl_host_call: the host threw (a redlua bug) */
const CALL_HOST_FAILED = -3;
const KIND_EVAL = 0, KIND_FUNC = 1;

/** rand.c's initial x[] (X0 = 0x330E, X1 = 0xABCD, X2 = 0x1234) as the 48-bit state of rl_rand_x. */
export const RAND_INIT = 0x1234abcd330en;

/** Something that owns a math.random state (one per server). */
export interface RandOwner {
  rand: bigint;
}

export class LuaEngine {
  private randOwner: RandOwner | null = null;
  private static instance: LuaEngine | null = null;
  /** @internal */ ex!: RlExports;
  private u8cache: Uint8Array = new Uint8Array(0);
  private dvcache: DataView = new DataView(new ArrayBuffer(0));
  /** A Buffer over the whole linear memory (reply views); re-created with the other views. */
  private bufcache: Buffer = Buffer.alloc(0);
  private readonly vms = new Map<number, BaseVM>();
  /** The same VMs indexed by host id, for the host imports (no Map lookup per redis.call). */
  private byId: (BaseVM | undefined)[] = [];
  private nextHostId = 1;
  /** Number of times the WASM instance was re-created after a trap. */
  resets = 0;
  /** Number of times the WASM instance was re-created to give memory back (compact). */
  compactions = 0;

  /** Bytes of the instance's linear memory (it grows, never shrinks). */
  memoryBytes(): number {
    return this.ex.memory.buffer.byteLength;
  }

  /**
   * Gives back the memory of a spike (a Lua memory bomb, a huge reply): WebAssembly memory can grow but not shrink,
   * so when the linear memory is at least `minBytes` and more than `ratio` times what the VMs still use after a full
   * GC, the instance is re-created and every VM with it, exactly as after a trap (generation increments, the PRNG
   * state is carried over; the callers compile scripts and load libraries again). Only between runs. True if done.
   */
  compact(minBytes = 256 << 20, ratio = 4): boolean {
    const bytes = this.memoryBytes();
    if (bytes < minBytes) return false;
    for (const vm of this.vms.values()) if (vm.isRunning()) return false;
    let live = 0;
    for (const vm of this.vms.values()) {
      vm.gc();
      live += vm.usedMemory();
    }
    if (bytes <= ratio * (live + (16 << 20))) return false;
    this.compactions++;
    this.boot();
    for (const vm of this.vms.values()) vm.rebuild();
    collectSoon();
    return true;
  }

  private constructor() {
    this.boot();
  }

  /** Loads (once per process) and returns the shared engine. Synchronous. */
  static load(): LuaEngine {
    if (!LuaEngine.instance) LuaEngine.instance = new LuaEngine();
    return LuaEngine.instance;
  }

  /** A private engine with its own WASM instance (own PRNG state); mostly for tests. */
  static createIsolated(): LuaEngine {
    return new LuaEngine();
  }

  /**
   * Makes `owner`'s math.random state the engine's (the C PRNG is one per WASM instance, shared by every VM): the
   * previous owner's state is saved first. Free when the same owner runs again, so one server pays nothing.
   */
  swapRand(owner: RandOwner): void {
    if (this.randOwner === owner) return;
    const p = this.ex.rl_rand_state();
    if (this.randOwner) this.randOwner.rand = this.dv.getBigUint64(p, true);
    this.dv.setBigUint64(p, owner.rand, true);
    this.randOwner = owner;
  }

  /** Names from native/exports.txt, verified against the module. */
  static exportList(): string[] {
    compiledModule();
    return readExportList();
  }

  createEvalVM(host: ScriptHost, opts: VMOptions = {}): EvalVM {
    return new EvalVM(this, host, opts);
  }

  createFunctionVM(host: ScriptHost, opts: VMOptions = {}): FunctionVM {
    return new FunctionVM(this, host, opts);
  }

  private boot(): void {
    // Carry the drand48 state over from a trapped instance: its memory is still readable.
    let rand: bigint | null = null;
    if (this.ex) {
      try {
        rand = new DataView(this.ex.memory.buffer).getBigUint64(this.ex.rl_rand_state(), true);
      } catch {
        rand = null;
      }
    }
    this.ex = instantiate({
      call: (id, argv, argc, resp, isPcall) => this.vmFor(id).onCall(argv, argc, resp, isPcall),
      acl: (id, argv, argc) => this.vmFor(id).onAcl(argv, argc),
      log: (id, level, ptr, len) => this.vmFor(id).onLog(level, ptr, len),
      busy: (id) => this.vmFor(id).onBusy(),
      ldbWrite: (id, ptr, len) => this.vmFor(id).onLdbWrite(ptr, len),
      ldbRead: (id, ptr, cap) => this.vmFor(id).onLdbRead(ptr, cap),
      memoryGrew: () => this.refreshViews(),
    });
    this.refreshViews();
    if (rand !== null) this.dv.setBigUint64(this.ex.rl_rand_state(), rand, true);
  }

  private vmFor(id: number): BaseVM {
    const vm = this.byId[id];
    if (!vm) throw new Error('redlua: host import for unknown vm ' + id);
    return vm;
  }

  /** @internal */ register(vm: BaseVM): number {
    const id = this.nextHostId++;
    this.vms.set(id, vm);
    this.byId[id] = vm;
    return id;
  }
  /** @internal */ unregister(id: number): void {
    this.vms.delete(id);
    this.byId[id] = undefined;
  }

  // Memory growth detaches ArrayBuffers; every accessor re-checks the buffer identity.
  private refreshViews(): void {
    const buf = this.ex.memory.buffer;
    this.u8cache = new Uint8Array(buf);
    this.dvcache = new DataView(buf);
    this.bufcache = Buffer.from(buf);
  }
  // The module reports growth through emscripten_notify_memory_growth (refreshViews); a detached
  // view (byteLength 0) is the cheap fallback check, avoiding the memory.buffer getter per access.
  /** @internal */ get u8(): Uint8Array {
    if (this.u8cache.byteLength === 0) this.refreshViews();
    return this.u8cache;
  }
  /** @internal */ get dv(): DataView {
    if (this.u8cache.byteLength === 0) this.refreshViews();
    return this.dvcache;
  }
  /** @internal */ get buf(): Buffer {
    if (this.u8cache.byteLength === 0) this.refreshViews();
    return this.bufcache;
  }

  /**
   * @internal Runs fn (which calls into WASM); a trap re-creates the instance and every VM.
   * RangeError covers V8's "Maximum call stack size exceeded" raised inside wasm frames.
   */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.trapped(e);
    }
  }

  /** @internal What to throw for an exception out of WASM: on a trap, re-create the instance and every VM. */
  trapped(e: unknown): unknown {
    if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError || (e instanceof Error && /proc_exit/.test(e.message))) {
      this.resets++;
      this.boot();
      for (const vm of this.vms.values()) vm.rebuild();
      collectSoon();
      return new LuaEngineTrap('redlua: WASM trap (' + (e as Error).message + '); the Lua engine was re-created and its VMs reset', e);
    }
    return e;
  }
}

const EMPTY_VIEW = Buffer.alloc(0);

abstract class BaseVM {
  protected ptr = 0;
  protected ctl = 0;
  protected res = 0;
  protected readonly hostId: number;
  protected closed = false;
  protected running = 0;
  /** Increments every time the VM is re-created after a trap. */
  generation = 0;

  constructor(protected readonly engine: LuaEngine, protected readonly host: ScriptHost, protected readonly opts: VMOptions, private readonly kind: number) {
    this.hostId = engine.register(this);
    this.create();
  }

  private create(): void {
    const flags = this.opts.enableDeprecatedApi ? 1 : 0;
    const p = this.engine.ex.rl_vm_new(this.kind, this.hostId, flags, Math.max(0, Math.min(this.opts.memoryLimit ?? 0, 0xffffffff)) >>> 0);
    if (!p) throw new Error('redlua: cannot create Lua state');
    this.ptr = p;
    this.ctl = this.engine.ex.rl_vm_ctl(p);
    this.res = this.engine.ex.rl_result_ptr(p);
  }

  /** @internal after a trap: the old instance is gone, start from a fresh state. */
  rebuild(): void {
    if (this.closed) return;
    this.running = 0;
    this.generation++;
    // The cached reply views are over the old instance's memory: they would keep all of it alive, and one matching a
    // new reply's pointer and length would hand out the old bytes.
    this.lastView = this.prevView = EMPTY_VIEW;
    this.create();
  }

  protected check(): void {
    if (this.closed) throw new Error('redlua: VM is closed');
  }

  /** @internal inside a call into WASM (a script, a debugger session) */
  isRunning(): boolean {
    return this.running !== 0;
  }

  protected enter<T>(fn: () => T): T {
    this.begin();
    try {
      return this.engine.guard(fn);
    } finally {
      this.running = 0;
    }
  }

  /** enter()'s checks, for the hot paths that inline the try/finally instead of taking a closure. */
  protected begin(): void {
    this.check();
    // Re-entering the same lua_State from a host callback would clobber its result/io buffers.
    if (this.running) throw new Error('redlua: re-entrant call into a running Lua VM');
    this.running++;
  }

  usedMemory(): number {
    this.check();
    return this.engine.ex.rl_vm_mem_used(this.ptr);
  }
  setMemoryLimit(bytes: number): void {
    this.check();
    this.opts.memoryLimit = bytes;
    this.engine.ex.rl_vm_set_mem_limit(this.ptr, Math.max(0, Math.min(bytes, 0xffffffff)) >>> 0);
  }
  gc(): void {
    this.enter(() => this.engine.ex.rl_vm_gc(this.ptr));
  }
  setDeadline(ms: number): void {
    this.check();
    this.engine.dv.setFloat64(this.ctl + CTL.deadline, ms, true);
  }
  requestKill(): void {
    this.check();
    this.engine.dv.setInt32(this.ctl + CTL.kill, 1, true);
  }
  get replFlags(): number {
    return this.engine.dv.getInt32(this.ctl + CTL.replFlags, true);
  }
  get scriptResp(): 2 | 3 {
    return this.engine.dv.getInt32(this.ctl + CTL.scriptResp, true) as 2 | 3;
  }
  get busyCalls(): number {
    return this.engine.dv.getInt32(this.ctl + CTL.busyCalls, true);
  }
  close(): void {
    if (this.closed) return;
    if (this.running) throw new Error('redlua: cannot close a running VM');
    this.closed = true;
    try {
      this.engine.guard(() => this.engine.ex.rl_vm_close(this.ptr));
    } catch {
      /* a trap here already re-created the instance; nothing left to free */
    }
    this.engine.unregister(this.hostId);
  }

  // ---- inputs --------------------------------------------------------------------------------

  /**
   * Copies [prefix][u32 len][bytes]... into the VM's io buffer, the items being a[aFrom, aEnd) then
   * b[bFrom, bEnd); returns its address.
   */
  protected writeItems(prefix: Uint8Array | null, a: Buffer[], aFrom: number, aEnd: number, b: Buffer[], bFrom: number, bEnd: number): number {
    let size = prefix ? prefix.length : 0;
    for (let i = aFrom; i < aEnd; i++) size += 4 + a[i].length;
    for (let i = bFrom; i < bEnd; i++) size += 4 + b[i].length;
    const p = this.publishedBuffer(CTL.ioPtr, CTL.ioCap, size) || this.engine.ex.rl_iobuf(this.ptr, size);
    if (!p) throw new Error('redlua: out of memory for script arguments');
    const u8 = this.engine.u8; // fetched after rl_iobuf, which may have grown memory
    let o = p;
    if (prefix) {
      u8.set(prefix, o);
      o += prefix.length;
    }
    for (let i = aFrom; i < aEnd; i++) o = putItem(u8, o, a[i]);
    for (let i = bFrom; i < bEnd; i++) o = putItem(u8, o, b[i]);
    return p;
  }

  /**
   * The address of the C buffer the ctl block publishes at ptrOff/capOff when it holds n bytes, else 0 (the caller
   * then grows it with rl_iobuf / rl_reply_alloc, one call into WASM).
   */
  private publishedBuffer(ptrOff: number, capOff: number, n: number): number {
    const dv = this.engine.dv;
    return n <= dv.getUint32(this.ctl + capOff, true) ? dv.getUint32(this.ctl + ptrOff, true) : 0;
  }

  // ---- results -------------------------------------------------------------------------------

  protected bytesAt(ptr: number, len: number): Buffer {
    // Copy out: the C buffers are reused by the next call.
    return Buffer.from(this.engine.u8.subarray(ptr, ptr + len));
  }

  private lastView: Buffer = EMPTY_VIEW;
  private prevView: Buffer = EMPTY_VIEW;
  /**
   * A view of the reply in linear memory. The C side alternates between two output buffers (a reply without aggregate
   * headers is handed over by swapping buffers), which rarely move: one of the last two views usually fits again.
   */
  private replyView(ptr: number, len: number): Buffer {
    const v = this.lastView;
    if (v.byteOffset === ptr && v.length === len && len !== 0) return v;
    const w = this.prevView;
    this.prevView = v;
    if (w.byteOffset === ptr && w.length === len && len !== 0) return (this.lastView = w);
    return (this.lastView = this.engine.buf.subarray(ptr, ptr + len));
  }

  protected readRun(view: boolean | undefined): RunResult {
    const dv = this.engine.dv;
    const r = this.res;
    const st = dv.getInt32(r + RES.status, true);
    if (st === ST_OK) {
      const outPtr = dv.getUint32(r + RES.outPtr, true);
      const outLen = dv.getUint32(r + RES.outLen, true);
      const reply = view ? this.replyView(outPtr, outLen) : this.bytesAt(outPtr, outLen);
      const codesLen = dv.getUint32(r + RES.codesLen, true);
      const errorCodes = codesLen ? this.engine.buf.latin1Slice(dv.getUint32(r + RES.codesPtr, true), dv.getUint32(r + RES.codesPtr, true) + codesLen).split('\n') : NO_CODES;
      return { ok: true, reply, errorCodes };
    }
    const err = this.bytesAt(dv.getUint32(r + RES.errPtr, true), dv.getUint32(r + RES.errLen, true));
    if (st === ST_TABLE) {
      const ignoreStats = dv.getInt32(r + RES.ignore, true) !== 0;
      if (dv.getInt32(r + RES.hasSrcLine, true)) {
        const source = this.bytesAt(dv.getUint32(r + RES.srcPtr, true), dv.getUint32(r + RES.srcLen, true));
        return { ok: false, kind: 'error', err, source, line: dv.getInt32(r + RES.line, true), ignoreStats };
      }
      return { ok: false, kind: 'error', err, ignoreStats };
    }
    return { ok: false, kind: st === ST_NOTFOUND ? 'noscript' : 'raw', err, ignoreStats: false };
  }

  // ---- host imports (called from inside WASM; must never throw) ------------------------------

  /**
   * The copies handed out for the first ARG_CACHE argument positions and the Lua string each came from. A script
   * calling redis.call('incr', KEYS[1]) in a loop passes the same (interned, immutable) Lua strings every time, so
   * the previous copy is handed out again when the address and the bytes match. Safe because nothing ever writes
   * into an argument Buffer: an argument the host keeps is identical to what it would get from a fresh copy.
   */
  private readonly argCache: (Buffer | undefined)[] = new Array(ARG_CACHE);
  private readonly argFrom = new Int32Array(ARG_CACHE);

  private readArgv(argvPtr: number, argc: number): Buffer[] {
    const dv = this.engine.dv;
    const u8 = this.engine.u8;
    const out: Buffer[] = new Array(argc);
    const cache = this.argCache;
    for (let i = 0; i < argc; i++) {
      const p = dv.getUint32(argvPtr + i * 8, true);
      const n = dv.getUint32(argvPtr + i * 8 + 4, true);
      // Copy: the host may keep the Buffer, and the Lua strings die after the call.
      if (n <= SMALL) {
        if (i < ARG_CACHE) {
          const cb = cache[i];
          if (cb !== undefined && this.argFrom[i] === p && cb.length === n) {
            let j = 0;
            while (j < n && cb[j] === u8[p + j]) j++;
            if (j === n) {
              out[i] = cb;
              continue;
            }
          }
        }
        const b = argCopy(n);
        for (let j = 0; j < n; j++) b[j] = u8[p + j];
        out[i] = b;
        if (i < ARG_CACHE) {
          cache[i] = b;
          this.argFrom[i] = p;
        }
      } else out[i] = Buffer.from(u8.subarray(p, p + n));
    }
    return out;
  }

  /** Copies reply bytes into the C reply buffer (rl_reply_alloc may grow memory). */
  private putReply(bytes: Uint8Array): number {
    const n = bytes.length;
    const p = this.engine.ex.rl_reply_alloc(this.ptr, n);
    if (!p) return -1;
    const u8 = this.engine.u8;
    if (n <= SMALL) for (let j = 0; j < n; j++) u8[p + j] = bytes[j];
    else u8.set(bytes, p);
    return n;
  }

  /** @internal */ onCall(argvPtr: number, argc: number, resp: number, isPcall: number): number {
    // Nothing may escape from here: a JS exception unwinding through the Lua frames would leave
    // the lua_State half-way through a call (wasm SjLj only catches longjmps).
    try {
      let reply: Uint8Array | ReplySource | { reject: string | Uint8Array };
      try {
        reply = this.host.call(this.readArgv(argvPtr, argc), resp === 3 ? 3 : 2, isPcall !== 0);
      } catch (e) {
        reply = { reject: '-ERR ' + (e instanceof Error ? e.message : String(e)) };
      }
      if (reply instanceof Uint8Array) return this.putReply(reply);
      if (reply && typeof reply === 'object' && 'takeInto' in reply) {
        const n = reply.length;
        // In place when it fits (C takes the length from our return value), else grown through rl_reply_alloc.
        const p = this.publishedBuffer(CTL.replyPtr, CTL.replyCap, n) || this.engine.ex.rl_reply_alloc(this.ptr, n);
        if (!p) return CALL_NOMEM;
        reply.takeInto(this.engine.u8, p); // u8 fetched after rl_reply_alloc, which may grow memory
        return n;
      }
      if (reply && typeof reply === 'object' && 'reject' in reply) {
        const text = typeof reply.reject === 'string' ? Buffer.from(reply.reject, 'latin1') : Buffer.from(reply.reject);
        return this.putReply(text) < 0 ? CALL_NOMEM : CALL_REJECTED;
      }
      return this.putReply(Buffer.from('-ERR redlua host.call returned neither bytes nor {reject}', 'latin1')) < 0 ? CALL_NOMEM : CALL_REJECTED;
    } catch {
      // a redlua bug: C reports "ERR redlua host failed to produce a reply" (rl_reply_alloc failing is CALL_NOMEM)
      return CALL_HOST_FAILED;
    }
  }
  /** @internal */ onAcl(argvPtr: number, argc: number): number {
    try {
      const r = this.host.aclCheck(this.readArgv(argvPtr, argc));
      return r === null ? -1 : r ? 1 : 0;
    } catch {
      return 0;
    }
  }
  /** @internal */ onLog(level: number, ptr: number, len: number): void {
    try {
      this.host.log(level, this.bytesAt(ptr, len));
    } catch {
      /* logging must not break the script */
    }
  }
  /** @internal */ onLdbWrite(ptr: number, len: number): void {
    try {
      this.host.ldb?.write(Buffer.from(this.bytesAt(ptr, len)));
    } catch {
      /* the next read reports the broken connection */
    }
  }
  /** @internal */ onLdbRead(ptr: number, cap: number): number {
    try {
      const b = this.host.ldb?.read(cap);
      if (!b || b.length === 0) return 0;
      const n = Math.min(b.length, cap);
      this.engine.u8.set(b.subarray(0, n), ptr);
      return n;
    } catch {
      return 0;
    }
  }
  /** @internal */ onBusy(): number {
    try {
      return this.host.busy() === 'kill' ? 1 : 0;
    } catch {
      return 0;
    }
  }
}

/** Writes one [u32 len][bytes] item at o; returns the next offset. */
function putItem(u8: Uint8Array, o: number, b: Buffer): number {
  const n = b.length;
  u8[o] = n & 0xff;
  u8[o + 1] = (n >>> 8) & 0xff;
  u8[o + 2] = (n >>> 16) & 0xff;
  u8[o + 3] = n >>> 24;
  o += 4;
  if (n <= SMALL) for (let j = 0; j < n; j++) u8[o + j] = b[j];
  else u8.set(b, o);
  return o + n;
}

const SHA_RE = /^[0-9a-fA-F]{40}$/;

export class EvalVM extends BaseVM {
  /** The last sha run and its lowercase bytes: callers pass the same string object run after run. */
  private lastSha = '';
  private lastShaBytes: Buffer = Buffer.alloc(40);

  constructor(engine: LuaEngine, host: ScriptHost, opts: VMOptions) {
    super(engine, host, opts, KIND_EVAL);
  }

  private shaBytes(sha: string): Buffer {
    if (sha === this.lastSha) return this.lastShaBytes;
    if (!SHA_RE.test(sha)) throw new Error('redlua: sha must be 40 hex characters');
    this.lastShaBytes = Buffer.from(sha.toLowerCase(), 'latin1');
    this.lastSha = sha;
    return this.lastShaBytes;
  }

  compile(sha: string, body: Buffer): { ok: true } | { ok: false; error: Buffer } {
    if (!SHA_RE.test(sha)) throw new Error('redlua: sha must be 40 hex characters');
    return this.enter(() => {
      const shaBytes = Buffer.from(sha.toLowerCase(), 'latin1');
      const p = this.engine.ex.rl_iobuf(this.ptr, 40 + body.length);
      if (!p) throw new Error('redlua: out of memory for script body');
      const u8 = this.engine.u8;
      u8.set(shaBytes, p);
      u8.set(body, p + 40);
      const st = this.engine.ex.rl_eval_compile(this.ptr, p, p + 40, body.length);
      if (st === ST_OK) return { ok: true as const };
      const dv = this.engine.dv;
      return { ok: false as const, error: this.bytesAt(dv.getUint32(this.res + RES.errPtr, true), dv.getUint32(this.res + RES.errLen, true)) };
    });
  }

  has(sha: string): boolean {
    if (!SHA_RE.test(sha)) return false;
    return this.enter(() => {
      const p = this.engine.ex.rl_iobuf(this.ptr, 40);
      this.engine.u8.set(Buffer.from(sha.toLowerCase(), 'latin1'), p);
      return this.engine.ex.rl_eval_has(this.ptr, p) !== 0;
    });
  }

  run(sha: string, keys: Buffer[], args: Buffer[], callerResp: 2 | 3, opts: RunOptions = NO_OPTS): RunResult {
    return this.runItems(sha, keys, 0, keys.length, args, 0, args.length, callerResp, opts);
  }

  /** run() with keys = argv[from, from + nkeys) and args = argv[from + nkeys, end). */
  runArgv(sha: string, argv: Buffer[], from: number, nkeys: number, callerResp: 2 | 3, opts: RunOptions = NO_OPTS): RunResult {
    return this.runItems(sha, argv, from, from + nkeys, argv, from + nkeys, argv.length, callerResp, opts);
  }

  ldbBegin(src: Buffer, timelimitMs: number): void {
    this.enter(() => {
      const p = this.engine.ex.rl_iobuf(this.ptr, src.length);
      if (!p && src.length) throw new Error('redlua: out of memory for script body');
      this.engine.u8.set(src, p);
      this.engine.ex.rl_ldb_begin(this.ptr, p, src.length, timelimitMs);
    });
  }

  ldbEnd(): void {
    this.enter(() => this.engine.ex.rl_ldb_end(this.ptr));
  }

  private runItems(sha: string, a: Buffer[], aFrom: number, aEnd: number, b: Buffer[], bFrom: number, bEnd: number, callerResp: 2 | 3, opts: RunOptions): RunResult {
    const shaBytes = this.shaBytes(sha);
    this.begin();
    try {
      const p = this.writeItems(shaBytes, a, aFrom, aEnd, b, bFrom, bEnd);
      this.engine.ex.rl_eval_run(this.ptr, p, p + 40, aEnd - aFrom, bEnd - bFrom, callerResp, opts.deadline ?? 0);
      return this.readRun(opts.replyView);
    } catch (e) {
      throw this.engine.trapped(e);
    } finally {
      this.running = 0;
    }
  }
}

export class FunctionVM extends BaseVM {
  constructor(engine: LuaEngine, host: ScriptHost, opts: VMOptions) {
    super(engine, host, opts, KIND_FUNC);
  }

  loadLibrary(code: Buffer, timeoutMs: number): LoadResult {
    return this.enter(() => {
      const p = this.engine.ex.rl_iobuf(this.ptr, code.length);
      if (!p) throw new Error('redlua: out of memory for library code');
      this.engine.u8.set(code, p);
      const st = this.engine.ex.rl_fn_load(this.ptr, p, code.length, timeoutMs);
      const dv = this.engine.dv;
      const r = this.res;
      if (st !== ST_OK) {
        return { ok: false as const, error: this.bytesAt(dv.getUint32(r + RES.errPtr, true), dv.getUint32(r + RES.errLen, true)) };
      }
      const n = dv.getInt32(r + RES.line, true);
      let o = dv.getUint32(r + RES.outPtr, true);
      const functions: RegisteredFunction[] = [];
      for (let i = 0; i < n; i++) {
        const ref = dv.getUint32(o, true);
        const flagBits = dv.getUint32(o + 4, true);
        const nameLen = dv.getUint32(o + 8, true);
        const name = this.bytesAt(o + 12, nameLen).toString('latin1'); // validated [A-Za-z0-9_]+
        o += 12 + nameLen;
        const descLen = dv.getInt32(o, true);
        o += 4;
        let description: Buffer | null = null;
        if (descLen >= 0) {
          description = this.bytesAt(o, descLen);
          o += descLen;
        }
        const flags = SCRIPT_FLAGS.filter(([, bit]) => (flagBits & bit) !== 0).map(([nm]) => nm);
        functions.push({ name, description, flags, flagBits, ref });
      }
      return { ok: true as const, functions };
    });
  }

  call(ref: number, keys: Buffer[], args: Buffer[], callerResp: 2 | 3, opts: RunOptions = NO_OPTS): RunResult {
    return this.callItems(ref, keys, 0, keys.length, args, 0, args.length, callerResp, opts);
  }

  /** call() with keys = argv[from, from + nkeys) and args = argv[from + nkeys, end). */
  callArgv(ref: number, argv: Buffer[], from: number, nkeys: number, callerResp: 2 | 3, opts: RunOptions = NO_OPTS): RunResult {
    return this.callItems(ref, argv, from, from + nkeys, argv, from + nkeys, argv.length, callerResp, opts);
  }

  private callItems(ref: number, a: Buffer[], aFrom: number, aEnd: number, b: Buffer[], bFrom: number, bEnd: number, callerResp: 2 | 3, opts: RunOptions): RunResult {
    this.begin();
    try {
      const p = this.writeItems(null, a, aFrom, aEnd, b, bFrom, bEnd);
      this.engine.ex.rl_fn_call(this.ptr, ref, p, aEnd - aFrom, bEnd - bFrom, callerResp, opts.deadline ?? 0);
      return this.readRun(opts.replyView);
    } catch (e) {
      throw this.engine.trapped(e);
    } finally {
      this.running = 0;
    }
  }

  freeLibrary(refs: number[]): void {
    this.enter(() => {
      for (const r of refs) this.engine.ex.rl_fn_free(this.ptr, r);
    });
  }
}

