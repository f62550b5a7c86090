// Loads wasm/redlua.wasm synchronously and wires its imports (no emscripten JS glue); Redis counterpart: none (this is the process boundary of deps/lua).
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

/** The rl_* functions exported by the module (names come from native/exports.txt). */
export interface RlExports {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  rl_abi_version(): number;
  rl_rand_state(): number;
  rl_vm_new(kind: number, hostId: number, flags: number, memLimit: number): number;
  rl_vm_close(vm: number): void;
  rl_vm_ctl(vm: number): number;
  rl_result_ptr(vm: number): number;
  rl_vm_mem_used(vm: number): number;
  rl_vm_mem_bytes(vm: number): number;
  rl_vm_set_mem_limit(vm: number, limit: number): void;
  rl_vm_gc(vm: number): void;
  rl_iobuf(vm: number, n: number): number;
  rl_reply_alloc(vm: number, n: number): number;
  rl_eval_compile(vm: number, sha: number, body: number, len: number): number;
  rl_eval_has(vm: number, sha: number): number;
  rl_eval_run(vm: number, sha: number, items: number, nkeys: number, nargs: number, callerResp: number, deadline: number): number;
  rl_fn_call(vm: number, ref: number, items: number, nkeys: number, nargs: number, callerResp: number, deadline: number): number;
  rl_fn_free(vm: number, ref: number): void;
  rl_fn_load(vm: number, code: number, len: number, timeoutMs: number): number;
  rl_ldb_begin(vm: number, src: number, len: number, timelimitMs: number): number;
  rl_ldb_end(vm: number): void;
}

/** What the instance needs from the VM layer: one dispatcher per host import. */
export interface ImportHandlers {
  call(hostId: number, argvPtr: number, argc: number, resp: number, isPcall: number): number;
  acl(hostId: number, argvPtr: number, argc: number): number;
  log(hostId: number, level: number, ptr: number, len: number): void;
  busy(hostId: number): number;
  ldbWrite(hostId: number, ptr: number, len: number): void;
  ldbRead(hostId: number, ptr: number, cap: number): number;
  memoryGrew(): void;
}

function findRoot(): string {
  // Works from src/engine (tsx/ts-node) and from dist/src/engine (tsc output).
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'wasm', 'redlua.wasm'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('redlua: cannot locate wasm/redlua.wasm above ' + fileURLToPath(import.meta.url));
}

let cached: { module: WebAssembly.Module; exportNames: string[] } | null = null;

/** The one export list, shared with scripts/build-wasm.sh. */
export function readExportList(root = findRoot()): string[] {
  const candidates = [join(root, 'native', 'exports.txt'), join(root, 'wasm', 'exports.txt')];
  for (const p of candidates) {
    if (existsSync(p)) {
      return readFileSync(p, 'latin1')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
    }
  }
  throw new Error('redlua: native/exports.txt not found');
}

/** Checks a compiled module against the export list and keeps it for the process. */
function adopt(module: WebAssembly.Module, root: string): { module: WebAssembly.Module; exportNames: string[] } {
  const exportNames = readExportList(root);
  const have = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = exportNames.filter((n) => !have.has(n));
  if (missing.length) throw new Error('redlua: wasm/redlua.wasm lacks exports: ' + missing.join(', ') + ' (rebuild with scripts/build-wasm.sh)');
  cached = { module, exportNames };
  return cached;
}

/** Compiles the module once per process (synchronous: new WebAssembly.Module on the bytes read with fs). */
export function compiledModule(): { module: WebAssembly.Module; exportNames: string[] } {
  if (cached) return cached;
  const root = findRoot();
  return adopt(new WebAssembly.Module(readFileSync(join(root, 'wasm', 'redlua.wasm'))), root);
}

let precompiling: Promise<void> | null = null;

/**
 * Starts compiling the module on V8's background threads (WebAssembly.compile) and keeps it once done, so that the
 * first script finds it compiled instead of compiling it synchronously on the main thread (~7 ms). Called when a
 * server starts listening; a script that comes first still compiles synchronously. Node 20 has no way to cache
 * compiled WebAssembly across processes (no code cache for WASM, no Module serialization).
 */
export function precompileModule(): Promise<void> {
  if (cached) return Promise.resolve();
  return (precompiling ??= (async () => {
    try {
      const root = findRoot();
      const module = await WebAssembly.compile(readFileSync(join(root, 'wasm', 'redlua.wasm')));
      if (!cached) adopt(module, root);
    } catch {
      // reported by the synchronous compile of the first script
    }
  })());
}

/** The exports that return a pointer (wasm i32, signed in JS). */
const POINTER_RESULTS = ['rl_rand_state', 'rl_vm_new', 'rl_vm_ctl', 'rl_result_ptr', 'rl_iobuf', 'rl_reply_alloc'] as const;

const WASI_EBADF = 8;
const WASI_ENOSYS = 52;

/** Instantiates a fresh instance. Every import returns a status; none throws into WASM (except proc_exit, which only libc abort paths reach). */
export function instantiate(h: ImportHandlers): RlExports {
  const { module } = compiledModule();
  let tempRet0 = 0;
  // Linear memory reaches 4 GiB, and wasm passes i32 as signed: every pointer is made unsigned
  // (>>> 0) where it crosses, here for the imports and below for the exports.
  const env = {
    rl_host_call: (id: number, argv: number, argc: number, resp: number, isPcall: number) => h.call(id, argv >>> 0, argc, resp, isPcall),
    rl_host_acl: (id: number, argv: number, argc: number) => h.acl(id, argv >>> 0, argc),
    rl_host_log: (id: number, level: number, ptr: number, len: number) => h.log(id, level, ptr >>> 0, len >>> 0),
    rl_host_busy: h.busy,
    rl_host_ldb_write: (id: number, ptr: number, len: number) => h.ldbWrite(id, ptr >>> 0, len >>> 0),
    rl_host_ldb_read: (id: number, ptr: number, cap: number) => h.ldbRead(id, ptr >>> 0, cap >>> 0),
    rl_host_now: () => performance.now(),
    emscripten_notify_memory_growth: () => h.memoryGrew(),
    __syscall_dup3: () => -WASI_ENOSYS,
    // emscripten's wasm setjmp/longjmp passes the setjmp table size through this "tempRet0"
    // register (saveSetjmp sets it, the caller reads it right after), so it must be a real cell.
    getTempRet0: () => tempRet0,
    setTempRet0: (v: number) => {
      tempRet0 = v;
    },
  };
  const wasi = {
    fd_write: () => WASI_ENOSYS,
    fd_read: () => WASI_EBADF,
    fd_close: () => WASI_EBADF,
    fd_seek: () => WASI_EBADF,
    proc_exit: (code: number) => {
      throw new Error('redlua: wasm called proc_exit(' + code + ')');
    },
  };
  // Only for the js-sjlj build variant (benchmarked, not shipped): emscripten's JS setjmp/longjmp
  // trampolines. A longjmp throws Infinity through JS; the trampoline restores the stack pointer.
  let ex: RlExports & { stackSave(): number; stackRestore(sp: number): void; setThrew(a: number, b: number): void; __indirect_function_table: WebAssembly.Table };
  const envAny = env as Record<string, unknown>;
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module === 'env' && imp.name.startsWith('invoke_')) {
      envAny[imp.name] = (idx: number, ...args: unknown[]) => {
        const sp = ex.stackSave();
        try {
          return (ex.__indirect_function_table.get(idx) as (...a: unknown[]) => unknown)(...args);
        } catch (e) {
          ex.stackRestore(sp);
          if (e !== Infinity) throw e;
          ex.setThrew(1, 0);
          return undefined;
        }
      };
    } else if (imp.module === 'env' && imp.name === '_emscripten_throw_longjmp') {
      envAny[imp.name] = () => {
        throw Infinity;
      };
    }
  }
  const imports: WebAssembly.Imports = { env, wasi_snapshot_preview1: wasi };
  // Only provide what the module asks for, so a rebuilt module with fewer imports still links.
  const instance = new WebAssembly.Instance(module, imports);
  ex = instance.exports as unknown as typeof ex;
  if (typeof ex._initialize === 'function') ex._initialize(); // runs C constructors (reactor module)
  const raw = ex as unknown as Record<string, (...a: number[]) => number>;
  const unsignedResults: Record<string, (...a: number[]) => number> = {};
  for (const name of POINTER_RESULTS) {
    const f = raw[name];
    unsignedResults[name] = (a: number, b: number, c: number, d: number) => f(a, b, c, d) >>> 0; // at most four arguments (rl_vm_new)
  }
  ex = Object.assign(Object.create(null), instance.exports, unsignedResults) as typeof ex;
  if (ex.rl_abi_version() !== 1) throw new Error('redlua: unexpected ABI version ' + ex.rl_abi_version());
  return ex;
}
