// Test helpers for the engine: a stub ScriptHost (tiny in-memory command set), EVAL-style reply formatting, and a raw RESP client for the redis-server oracle.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { LuaEngine, type EvalVM, type RunResult, type ScriptHost, type FunctionVM } from '../../src/engine/index.js';

export const sha1 = (b: Buffer | string): string => createHash('sha1').update(b).digest('hex');

// ---------------------------------------------------------------------------------------------
// RESP encoding helpers (the server's reply writer does this in production)
// ---------------------------------------------------------------------------------------------
export const R = {
  bulk: (s: Buffer | string) => {
    const b = Buffer.isBuffer(s) ? s : Buffer.from(s, 'latin1');
    return Buffer.concat([Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n')]);
  },
  int: (n: number | bigint) => Buffer.from(`:${n}\r\n`),
  status: (s: string) => Buffer.from(`+${s}\r\n`, 'latin1'),
  err: (s: string) => Buffer.from(`-${s}\r\n`, 'latin1'),
  null: (resp: 2 | 3) => Buffer.from(resp === 2 ? '$-1\r\n' : '_\r\n'),
  arr: (items: Buffer[]) => Buffer.concat([Buffer.from(`*${items.length}\r\n`), ...items]),
  map: (resp: 2 | 3, pairs: [Buffer, Buffer][]) =>
    Buffer.concat([Buffer.from(resp === 3 ? `%${pairs.length}\r\n` : `*${pairs.length * 2}\r\n`), ...pairs.flat()]),
  set: (resp: 2 | 3, items: Buffer[]) => Buffer.concat([Buffer.from(resp === 3 ? `~${items.length}\r\n` : `*${items.length}\r\n`), ...items]),
  bool: (resp: 2 | 3, v: boolean) => Buffer.from(resp === 3 ? (v ? '#t\r\n' : '#f\r\n') : v ? ':1\r\n' : ':0\r\n'),
  double: (resp: 2 | 3, text: string) => (resp === 3 ? Buffer.from(`,${text}\r\n`) : R.bulk(text)),
};

/**
 * A stub host implementing the handful of commands the differential snippets use, with the
 * exact replies Redis 7.0.15 gives (both protocols). It is deliberately tiny: the engine must not
 * know about commands, so everything command-specific lives here.
 */
export class StubHost implements ScriptHost {
  strings = new Map<string, Buffer>();
  hashes = new Map<string, Map<string, Buffer>>();
  lists = new Map<string, Buffer[]>();
  logs: { level: number; message: Buffer }[] = [];
  calls: { argv: Buffer[]; resp: 2 | 3; isPcall: boolean }[] = [];
  busyCount = 0;
  busyAnswer: () => 'continue' | 'kill' = () => 'continue';
  acl: (argv: Buffer[]) => boolean | null = (argv) => {
    const c = argv[0].toString('latin1').toLowerCase();
    if (!KNOWN.has(c)) return null;
    return true;
  };

  reset(): void {
    this.strings.clear();
    this.hashes.clear();
    this.lists.clear();
    this.logs = [];
    this.calls = [];
  }

  log(level: number, message: Buffer): void {
    this.logs.push({ level, message });
  }
  aclCheck(argv: Buffer[]): boolean | null {
    return this.acl(argv);
  }
  busy(): 'continue' | 'kill' {
    this.busyCount++;
    return this.busyAnswer();
  }

  call(argv: Buffer[], resp: 2 | 3, isPcall: boolean): Uint8Array | { reject: string } {
    this.calls.push({ argv, resp, isPcall });
    const name = argv[0].toString('latin1').toLowerCase();
    const a = argv.map((b) => b.toString('latin1'));
    const arity = ARITY[name];
    if (arity === undefined) return { reject: 'Unknown Redis command called from script' };
    if ((arity >= 0 && argv.length !== arity) || (arity < 0 && argv.length < -arity))
      return { reject: 'Wrong number of args calling Redis command from script' };
    const wrongType = (k: string, want: string) => {
      const t = this.typeOf(k);
      return t !== 'none' && t !== want;
    };
    switch (name) {
      case 'ping':
        return argv.length > 1 ? R.bulk(argv[1]) : R.status('PONG');
      case 'echo':
        return R.bulk(argv[1]);
      case 'set':
        this.del(a[1]);
        this.strings.set(a[1], argv[2]);
        return R.status('OK');
      case 'get': {
        if (wrongType(a[1], 'string')) return R.err('WRONGTYPE Operation against a key holding the wrong kind of value');
        const v = this.strings.get(a[1]);
        return v ? R.bulk(v) : R.null(resp);
      }
      case 'mget':
        return R.arr(a.slice(1).map((k) => (this.strings.has(k) ? R.bulk(this.strings.get(k)!) : R.null(resp))));
      case 'del': {
        let n = 0;
        for (const k of a.slice(1)) n += this.del(k) ? 1 : 0;
        return R.int(n);
      }
      case 'exists':
        return R.int(a.slice(1).filter((k) => this.typeOf(k) !== 'none').length);
      case 'incr':
      case 'incrby': {
        if (wrongType(a[1], 'string')) return R.err('WRONGTYPE Operation against a key holding the wrong kind of value');
        const by = name === 'incr' ? 1n : toBig(a[2]);
        if (by === null) return R.err('ERR value is not an integer or out of range');
        const cur = this.strings.has(a[1]) ? toBig(a[1] && this.strings.get(a[1])!.toString('latin1')) : 0n;
        if (cur === null) return R.err('ERR value is not an integer or out of range');
        const n = cur + by;
        this.strings.set(a[1], Buffer.from(String(n)));
        return R.int(n);
      }
      case 'hset': {
        if (wrongType(a[1], 'hash')) return R.err('WRONGTYPE Operation against a key holding the wrong kind of value');
        if ((argv.length - 2) % 2 !== 0) return R.err("ERR wrong number of arguments for 'hset' command");
        let h = this.hashes.get(a[1]);
        if (!h) this.hashes.set(a[1], (h = new Map()));
        let added = 0;
        for (let i = 2; i < argv.length; i += 2) {
          if (!h.has(a[i])) added++;
          h.set(a[i], argv[i + 1]);
        }
        return R.int(added);
      }
      case 'hgetall': {
        if (wrongType(a[1], 'hash')) return R.err('WRONGTYPE Operation against a key holding the wrong kind of value');
        const h = this.hashes.get(a[1]) ?? new Map<string, Buffer>();
        return R.map(resp, [...h].map(([k, v]) => [R.bulk(k), R.bulk(v)] as [Buffer, Buffer]));
      }
      case 'rpush': {
        if (wrongType(a[1], 'list')) return R.err('WRONGTYPE Operation against a key holding the wrong kind of value');
        let l = this.lists.get(a[1]);
        if (!l) this.lists.set(a[1], (l = []));
        l.push(...argv.slice(2));
        return R.int(l.length);
      }
      case 'lrange': {
        if (wrongType(a[1], 'list')) return R.err('WRONGTYPE Operation against a key holding the wrong kind of value');
        const l = this.lists.get(a[1]) ?? [];
        let s = Number(a[2]), e = Number(a[3]);
        if (s < 0) s = Math.max(0, l.length + s);
        if (e < 0) e = l.length + e;
        return R.arr(l.slice(s, e + 1).map((b) => R.bulk(b)));
      }
      case 'type':
        return R.status(this.typeOf(a[1]));
      case 'debug': {
        if (a[1]?.toLowerCase() !== 'protocol') return R.err('ERR unsupported DEBUG subcommand in stub');
        return debugProtocol(a[2].toLowerCase(), resp);
      }
    }
    return { reject: 'Unknown Redis command called from script' };
  }

  private typeOf(k: string): string {
    if (this.strings.has(k)) return 'string';
    if (this.hashes.has(k)) return 'hash';
    if (this.lists.has(k)) return 'list';
    return 'none';
  }
  private del(k: string): boolean {
    return this.strings.delete(k) || this.hashes.delete(k) || this.lists.delete(k);
  }
}

const ARITY: Record<string, number> = {
  ping: -1, echo: 2, set: -3, get: 2, mget: -2, del: -2, exists: -2, incr: 2, incrby: 3, hset: -4, hgetall: 2,
  rpush: -3, lrange: 4, type: 2, debug: -2,
};
const KNOWN = new Set(Object.keys(ARITY));

function toBig(s: string | undefined): bigint | null {
  if (s === undefined || !/^-?\d+$/.test(s) || s.length > 20) return null;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return null;
  return n;
}

function debugProtocol(name: string, resp: 2 | 3): Buffer {
  switch (name) {
    case 'string': return R.bulk('Hello World');
    case 'integer': return R.int(12345);
    case 'double': return R.double(resp, '3.141');
    case 'bignum': return resp === 3 ? Buffer.from('(1234567999999999999999999999999999999\r\n') : R.bulk('1234567999999999999999999999999999999');
    case 'null': return R.null(resp);
    case 'array': return R.arr([R.int(0), R.int(1), R.int(2)]);
    case 'set': return R.set(resp, [R.int(0), R.int(1), R.int(2)]);
    case 'map': return R.map(resp, [0, 1, 2].map((j) => [R.int(j), R.bool(resp, j === 1)] as [Buffer, Buffer]));
    case 'attrib':
      return Buffer.concat([
        resp === 3 ? Buffer.from('|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n') : Buffer.alloc(0),
        R.bulk('Some real reply following the attribute'),
      ]);
    case 'true': return R.bool(resp, true);
    case 'false': return R.bool(resp, false);
    case 'verbatim': return resp === 3 ? Buffer.from('=29\r\ntxt:This is a verbatim\nstring\r\n') : R.bulk('This is a verbatim\nstring');
  }
  return R.err('ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false');
}

// ---------------------------------------------------------------------------------------------
// EVAL emulation on top of the engine (what src/scripting does in production)
// ---------------------------------------------------------------------------------------------

/** Formats a failed run as Redis's luaCallFunction does (spec 3.4). */
export function formatRunError(r: Exclude<RunResult, { ok: true }>, name: string): Buffer {
  let s: Buffer;
  if (r.kind === 'raw') {
    let msg = r.err.subarray(0, 100);
    s = Buffer.concat([Buffer.from(`-ERR Error running script ${name}, `), msg]);
    // addReplyErrorFormat: trailing "\n" trimmed, inner CR/LF become spaces
  } else if (r.kind === 'noscript') {
    s = Buffer.from('-NOSCRIPT No matching script. Please use EVAL.');
  } else if (r.kind === 'error') {
    const parts = [Buffer.from('-'), r.err];
    if (r.source !== undefined && r.line !== undefined) parts.push(Buffer.from(` script: ${name}, on `), r.source, Buffer.from(`:${r.line}.`));
    s = Buffer.concat(parts);
  } else {
    throw new Error('unreachable');
  }
  let end = s.length;
  while (end > 0 && (s[end - 1] === 0x0d || s[end - 1] === 0x0a)) end--;
  const out = Buffer.from(s.subarray(0, end));
  for (let i = 0; i < out.length; i++) if (out[i] === 0x0d || out[i] === 0x0a) out[i] = 0x20;
  return Buffer.concat([out, Buffer.from('\r\n')]);
}

export function evalOn(vm: EvalVM, script: string | Buffer, keys: (string | Buffer)[] = [], args: (string | Buffer)[] = [], resp: 2 | 3 = 2, deadline?: number): Buffer {
  const body = Buffer.isBuffer(script) ? script : Buffer.from(script, 'latin1');
  const sha = sha1(body);
  if (!vm.has(sha)) {
    const c = vm.compile(sha, body);
    if (!c.ok) {
      const msg = Buffer.concat([Buffer.from('-ERR Error compiling script (new function): '), c.error]);
      for (let i = 0; i < msg.length; i++) if (msg[i] === 0x0d || msg[i] === 0x0a) msg[i] = 0x20;
      return Buffer.concat([msg, Buffer.from('\r\n')]);
    }
  }
  const toB = (x: string | Buffer) => (Buffer.isBuffer(x) ? x : Buffer.from(x, 'latin1'));
  const r = vm.run(sha, keys.map(toB), args.map(toB), resp, deadline ? { deadline } : {});
  return r.ok ? r.reply : formatRunError(r, sha);
}

export function newEval(host: ScriptHost = new StubHost()): { engine: LuaEngine; vm: EvalVM; host: ScriptHost } {
  const engine = LuaEngine.createIsolated();
  return { engine, vm: engine.createEvalVM(host), host };
}

export function newFunctionVM(host: ScriptHost = new StubHost()): { engine: LuaEngine; vm: FunctionVM; host: ScriptHost } {
  const engine = LuaEngine.createIsolated();
  return { engine, vm: engine.createFunctionVM(host), host };
}

// ---------------------------------------------------------------------------------------------
// Oracle: a private redis-server and a minimal raw RESP client
// ---------------------------------------------------------------------------------------------

export function redisAvailable(): boolean {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /v=7\.0\./.test(r.stdout);
}

/** Length of the first complete RESP reply in buf, or -1 (iterative: replies may nest 8000 deep). */
export function replyLength(buf: Buffer, off = 0): number {
  let p = off;
  let pending = 1; // values still to read at this point
  const stack: number[] = [];
  while (pending > 0 || stack.length) {
    if (pending === 0) {
      pending = stack.pop()!;
      continue;
    }
    if (p >= buf.length) return -1;
    const nl = buf.indexOf('\r\n', p);
    if (nl < 0) return -1;
    const t = String.fromCharCode(buf[p]);
    const head = buf.toString('latin1', p + 1, nl);
    p = nl + 2;
    pending--;
    switch (t) {
      case '+': case '-': case ':': case '_': case '#': case ',': case '(':
        break;
      case '$': case '=': case '!': {
        const n = Number(head);
        if (n >= 0) {
          if (buf.length < p + n + 2) return -1;
          p += n + 2;
        }
        break;
      }
      case '*': case '~': case '>': case '%': case '|': {
        let n = Number(head);
        if (n < 0) break;
        if (t === '%' || t === '|') n *= 2;
        if (t === '|') n += 1; // the attribute is followed by the real reply
        stack.push(pending);
        pending = n;
        break;
      }
      default:
        throw new Error('bad RESP type byte ' + t);
    }
  }
  return p - off;
}

export function encodeCommand(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(a, 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class OracleConn {
  private buf = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      const w = this.wake;
      this.wake = null;
      w?.();
    });
    sock.on('error', () => {});
  }
  static connect(port: number): Promise<OracleConn> {
    return new Promise((res, rej) => {
      const s = net.connect(port, '127.0.0.1', () => res(new OracleConn(s)));
      s.once('error', rej);
    });
  }
  async command(args: (string | Buffer)[], timeoutMs = 20000): Promise<Buffer> {
    this.sock.write(encodeCommand(args));
    const until = Date.now() + timeoutMs;
    for (;;) {
      const n = replyLength(this.buf);
      if (n >= 0) {
        const r = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        return Buffer.from(r);
      }
      if (Date.now() > until) throw new Error('oracle timeout; have ' + JSON.stringify(this.buf.toString('latin1').slice(0, 200)));
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }
  close(): void {
    this.sock.destroy();
  }
}

export async function startOracle(): Promise<{ port: number; proc: ChildProcess; stop: () => Promise<void> }> {
  const port = await new Promise<number>((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => res(p));
    });
    s.once('error', rej);
  });
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    proc,
    stop: () =>
      new Promise<void>((r) => {
        if (proc.exitCode !== null) return r();
        proc.once('exit', () => r());
        proc.kill('SIGKILL');
      }),
  };
}
