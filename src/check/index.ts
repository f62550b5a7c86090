// redlua check: load EVAL scripts and FUNCTION libraries into a fresh in-process server and report what Redis 7.0.15 would reply (Redis counterpart: none; uses eval.c / function_lua.c through the real dispatcher).
import { Server } from '../server/server.js';
import { createLogger } from '../server/log.js';
import { LocalClient } from '../embed/local-client.js';
import type { RespValue } from '../protocol/resp-value.js';

export interface CheckCase {
  /** Shown in reports (a file name). */
  name: string;
  source: Buffer;
  /** 'auto' (default): a source whose "#!lua" first line has name= is a FUNCTION library, anything else an EVAL script. */
  kind?: 'auto' | 'eval' | 'function';
  /** Run the script (EVAL) with these KEYS/ARGV after loading it; for a library, FCALL `fcall` with them. */
  run?: { keys: string[]; args: string[]; fcall?: string };
  /** Commands to run first on the fresh server (fixtures). */
  setup?: string[][];
}

export interface CheckProblem {
  stage: 'setup' | 'load' | 'run';
  /** The error reply, exactly as Redis sends it (without the leading '-'). */
  error: string;
  /** Line in the script, when the error names one. */
  line?: number;
  /** Why, when the error looks like a Lua 5.2+ construct or a sandbox refusal. */
  hint?: string;
}

export interface CheckResult {
  name: string;
  kind: 'eval' | 'function';
  ok: boolean;
  /** EVAL: the script's sha1; function: the library name. */
  loaded?: string;
  /** The reply of the run, rendered as redis-cli --no-raw would print it. */
  reply?: string;
  problems: CheckProblem[];
}

/** Lua 5.2+ (and other engines') constructs that Redis's Lua 5.1 rejects, recognised in the source near an error. */
const PORTABILITY: { re: RegExp; hint: string }[] = [
  { re: /\bgoto\b|::\w+::/, hint: "'goto' and labels are Lua 5.2+: Redis runs Lua 5.1" },
  { re: /\/\//, hint: "'//' (floor division) is Lua 5.3+: use math.floor(a / b)" },
  { re: /<<|>>|[^~]~[^=]|&|\|/, hint: 'bitwise operators are Lua 5.3+: use the bit library (bit.band, bit.bor, bit.bxor, bit.lshift, ...)' },
  { re: /\butf8\./, hint: 'the utf8 library is Lua 5.3+: it does not exist in Redis' },
  { re: /\btable\.unpack\b/, hint: 'table.unpack is Lua 5.2+: use unpack' },
  { re: /\btable\.pack\b/, hint: 'table.pack is Lua 5.2+: use {...} and select("#", ...)' },
  { re: /\bmath\.tointeger\b|\bmath\.type\b|\bstring\.pack\b|\bstring\.unpack\b/, hint: 'Lua 5.3+ library function: not in Redis (struct.pack/struct.unpack exist)' },
  { re: /\b_ENV\b/, hint: '_ENV is Lua 5.2+: Redis scripts cannot change their environment' },
];

function hintFor(error: string, source: string): string | undefined {
  const m = /global variable '([^']+)'/.exec(error);
  if (m) {
    if (m[1] === 'utf8') return PORTABILITY[3].hint;
    return /nonexistent/.test(error)
      ? `Redis scripts cannot read undefined globals: declare '${m[1]}' local (or it is a library Redis does not load)`
      : `Redis scripts cannot create globals: declare '${m[1]}' local`;
  }
  if (/Attempt to modify a readonly table/.test(error)) return 'Redis protects its globals and libraries: they are read-only';
  if (/Error compiling|Error running script|user_script|user_function/.test(error)) {
    const line = lineOf(error);
    const text = line !== undefined ? source.split('\n')[line - 1] ?? '' : source;
    for (const p of PORTABILITY) if (p.re.test(text)) return p.hint;
  }
  if (/attempt to call field '(unpack|pack)'/.test(error)) return PORTABILITY[4].hint;
  return undefined;
}

function lineOf(error: string): number | undefined {
  const m = /(?:user_script|user_function):(\d+)[:.]/.exec(error);
  return m ? Number(m[1]) : undefined;
}

/** redis-cli's (non-raw) rendering of a reply, enough for reports. */
export function renderReply(v: RespValue, indent = ''): string {
  switch (v.t) {
    case '+': return v.s;
    case '-': return `(error) ${v.s}`;
    case ':': return `(integer) ${v.n}`;
    case '$': return v.b === null ? '(nil)' : JSON.stringify(v.b.toString('latin1'));
    case '_': return '(nil)';
    case '#': return v.v ? '(true)' : '(false)';
    case ',': return `(double) ${v.s}`;
    case '(': return `(integer) ${v.s}`;
    case '=': return JSON.stringify(v.b.toString('latin1'));
    case '*': case '~': case '>': case '|': case '%': {
      const a = v.a;
      if (a === null) return '(nil)';
      if (a.length === 0) return '(empty array)';
      return a.map((x, i) => `${i ? indent : ''}${i + 1}) ${renderReply(x, indent + '   ')}`).join('\n');
    }
  }
}

/** A "#!lua ... name=..." first line: a FUNCTION library (an EVAL shebang carries flags= only). */
function isFunctionLibrary(src: Buffer): boolean {
  const nl = src.indexOf(0x0a);
  const first = src.subarray(0, nl < 0 ? src.length : nl).toString('latin1');
  return /^#!lua(\s|$)/.test(first) && /\sname=/.test(first);
}

/** Checks each case on its own fresh server (its own keyspace, script cache and function libraries). */
export async function check(cases: CheckCase[]): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const cs of cases) out.push(await checkOne(cs));
  return out;
}

async function checkOne(cs: CheckCase): Promise<CheckResult> {
  const server = new Server({ config: {}, logger: createLogger({ level: 'warning', file: 'silent' }) });
  const c = new LocalClient(server);
  const src = cs.source.toString('latin1');
  const kind = cs.kind === 'eval' || cs.kind === 'function' ? cs.kind : isFunctionLibrary(cs.source) ? 'function' : 'eval';
  const res: CheckResult = { name: cs.name, kind, ok: true, problems: [] };
  const problem = (stage: CheckProblem['stage'], error: string) => {
    const p: CheckProblem = { stage, error };
    const line = lineOf(error);
    if (line !== undefined) p.line = line;
    const hint = hintFor(error, src);
    if (hint) p.hint = hint;
    res.problems.push(p);
    res.ok = false;
  };
  try {
    for (const cmd of cs.setup ?? []) {
      const r = await c.send(...cmd);
      if (r.t === '-') problem('setup', r.s);
    }
    let sha: string | null = null;
    if (kind === 'function') {
      const r = await c.send('FUNCTION', 'LOAD', cs.source);
      if (r.t === '-') problem('load', r.s);
      else if (r.t === '$' && r.b) res.loaded = r.b.toString('latin1');
    } else {
      const r = await c.send('SCRIPT', 'LOAD', cs.source);
      if (r.t === '-') problem('load', r.s);
      else if (r.t === '$' && r.b) res.loaded = sha = r.b.toString('latin1');
    }
    if (cs.run && res.ok) {
      const { keys, args } = cs.run;
      let r: RespValue;
      if (kind === 'function') {
        if (!cs.run.fcall) throw new Error(`${cs.name}: running a library needs the function name to FCALL`);
        r = await c.send('FCALL', cs.run.fcall, keys.length, ...keys, ...args);
      } else {
        r = await c.send('EVALSHA', sha!, keys.length, ...keys, ...args);
      }
      if (r.t === '-') problem('run', r.s);
      else res.reply = renderReply(r);
    }
  } finally {
    c.close();
    await server.close();
  }
  return res;
}

/** Human report lines (file:line: error, then the hint). */
export function formatHuman(results: CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.ok) {
      lines.push(`${r.name}: OK (${r.kind === 'function' ? 'library ' : 'sha '}${r.loaded ?? '?'})`);
      if (r.reply !== undefined) lines.push(`  reply: ${r.reply.replace(/\n/g, '\n         ')}`);
      continue;
    }
    for (const p of r.problems) {
      lines.push(`${r.name}${p.line !== undefined ? ':' + p.line : ''}: ${p.stage} error: ${p.error}`);
      if (p.hint) lines.push(`  hint: ${p.hint}`);
    }
  }
  return lines.join('\n') + '\n';
}
