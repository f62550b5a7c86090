// Server configuration: the live values of the table in config-table.ts, CONFIG GET/SET semantics and redis.conf files (Redis: config.c).
import fs from 'node:fs';
import { splitArgs, stringMatch, string2llBig } from '../util/parse.js';
import { canonicalNotifyText } from './notify.js';
import { E } from '../errors.js';
import { validateUserDirective, type UserDirective } from '../acl/rules.js';
import { CONFIG_ENTRIES, memtoullBig, parseObuf, strerror, type ConfigEntry, type SetContext, type SetResult } from './config-table.js';

export { CONFIG_ENTRIES, memtoullBig, strtollWhole, type ConfigEntry, type Kind } from './config-table.js';

/** memtoull as a number (client-output-buffer-limit and the cached values of memory configs). */
export function memtoull(v: string): number | null {
  const n = memtoullBig(v);
  return n === null ? null : Number(n);
}

/** strerror text of a Node fs error. */
export const errnoText = strerror;

export class ConfigError extends Error {}

/** An apply function (config.c apply_fn): runs after CONFIG SET changed a value; returns Redis's reason on failure. */
export type ApplyFn = () => string | null;

const TLS_FAIL = 'Unable to update TLS configuration. Check server logs.';

/** Live configuration values (strings in CONFIG GET form) with typed accessors. */
export class Config {
  private values = new Map<string, string>();
  private byName = new Map<string, ConfigEntry>();
  /** Called after a successful CONFIG SET / startup parse with the canonical names changed. */
  onChange: ((names: string[]) => void) | null = null;
  private numCache = new Map<string, number>();
  /** The path of the config file the server was started with (CONFIG REWRITE target), null when none. */
  configFile: string | null = null;
  /** Warnings that Redis logs during CONFIG SET (the server forwards them to its log). */
  onWarning: ((msg: string) => void) | null = null;
  /**
   * The apply functions by name. The server registers the ones that touch it (port, bind...); the defaults here
   * answer for what redlua cannot do (TLS) and accept the rest.
   */
  readonly applyFns = new Map<string, ApplyFn>([
    ['applyTLSPort', () => TLS_FAIL],
    ['applyTlsCfg', () => (this.get('tls-port') !== '0' || this.bool('tls-replication') || this.bool('tls-cluster') ? TLS_FAIL : null)],
  ]);

  constructor() {
    for (const e of CONFIG_ENTRIES) {
      if (this.byName.has(e.name)) continue; // an entry appended twice by merged branches: the first one wins
      this.byName.set(e.name, e);
      for (const a of e.aliases ?? []) this.byName.set(a, e);
      this.values.set(e.name, e.default);
    }
  }

  entry(name: string): ConfigEntry | undefined {
    return this.byName.get(name.toLowerCase());
  }

  get(name: string): string {
    const e = this.entry(name);
    if (!e) throw new Error(`unknown config ${name}`);
    if (e.name === 'dir') return this.values.get('dir') || process.cwd();
    return this.values.get(e.name)!;
  }

  num(name: string): number {
    let n = this.numCache.get(name);
    if (n === undefined) {
      const e = this.entry(name)!;
      const v = this.values.get(e.name)!;
      n = e.kind === 'memory' ? (v.endsWith('%') ? -Number(v.slice(0, -1)) : memtoull(v)!) : Number(v);
      this.numCache.set(name, n);
    }
    return n;
  }

  bool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  requirepassSet(): boolean {
    return this.values.get('requirepass') !== '';
  }

  /** client-output-buffer-limit for a class: [hard, soft, seconds]. */
  outputLimit(cls: 'normal' | 'slave' | 'pubsub'): number[] {
    return (parseObuf(this.get('client-output-buffer-limit')).get(cls) ?? ['0', '0', '0']).map(Number);
  }

  /** Whether the value of `e` differs from its default (CONFIG REWRITE's force). */
  isDefault(e: ConfigEntry): boolean {
    return this.get(e.name) === e.default;
  }

  /**
   * The type interface's set: validates `args` for `e` and returns the new CONFIG GET text, or Redis's reason.
   * `args` are the directive's arguments (one, except for multi-argument parameters).
   */
  parse(e: ConfigEntry, args: string[], ctx: SetContext = { fromFile: false, saveLoaded: false }): SetResult {
    const cur = this.get(e.name);
    const checked = (v: string): SetResult => {
      const why = e.valid?.(v);
      return why ? { err: why } : { ok: v };
    };
    switch (e.kind) {
      case 'bool': {
        const l = args[0].toLowerCase();
        if (l !== 'yes' && l !== 'no') return { err: "argument must be 'yes' or 'no'" };
        return checked(l);
      }
      case 'enum': {
        const bits = e.enumBits ?? e.enumValues!.map((_, i) => i);
        const err = { err: `argument(s) must be one of the following: ${e.enumValues!.join(', ')}`.slice(0, 255) };
        if (args.length === 0 || (!e.multiArg && args.length !== 1)) return err;
        let val = 0;
        for (const a of args) {
          const i = e.enumValues!.indexOf(a.toLowerCase());
          if (i < 0) return err;
          val |= bits[i];
        }
        return checked(enumName(e, bits, val));
      }
      case 'int':
      case 'memory':
        return this.parseNumeric(e, args[0]);
      case 'string':
        return checked(args[0]);
      case 'special':
        return e.set!(args, cur, ctx);
    }
  }

  /** numericParseString, numericBoundaryCheck and numericConfigGet. */
  private parseNumeric(e: ConfigEntry, value: string): SetResult {
    let ll: bigint | null = null;
    if (e.kind === 'memory') {
      const m = memtoullBig(value);
      if (m !== null) ll = BigInt.asIntN(64, m);
    }
    if (ll === null && e.percent && value.length > 1 && value.endsWith('%')) {
      const p = string2llBig(Buffer.from(value.slice(0, -1), 'latin1'));
      if (p !== null && p >= 0n) ll = -p;
    }
    if (ll === null && e.octal) {
      const m = /^[ \t\n\v\f\r]*([+-]?)([0-7]*)$/.exec(value);
      if (m && (m[2] !== '' || value === '')) ll = (m[1] === '-' ? -1n : 1n) * BigInt('0o' + (m[2] || '0'));
    }
    if (ll === null && e.kind === 'int' && !e.octal) ll = string2llBig(Buffer.from(value, 'latin1'));
    if (ll === null) {
      if (e.kind === 'memory') return { err: e.percent ? 'argument must be a memory or percent value' : 'argument must be a memory value' };
      return { err: e.octal ? "argument couldn't be parsed as an octal number" : "argument couldn't be parsed into an integer" };
    }
    const min = e.min!;
    const max = e.max!;
    if (e.unsigned) {
      const u = BigInt.asUintN(64, ll);
      if (u > max || u < min) {
        const f = (n: bigint) => (e.octal ? n.toString(8) : String(n));
        return { err: `argument must be between ${f(min)} and ${f(max)} inclusive` };
      }
    } else if (e.percent && ll < 0n) {
      if (ll < min) return { err: `percentage argument must be less or equal to ${-min}` };
    } else if (ll > max || ll < min) {
      return { err: `argument must be between ${min} and ${max} inclusive` };
    }
    if (e.cap) ll = ll < e.cap[0] ? e.cap[0] : ll > e.cap[1] ? e.cap[1] : ll;
    const text =
      e.percent && ll < 0n ? `${-ll}%` : e.kind === 'memory' ? String(BigInt.asUintN(64, ll)) : e.octal ? ll.toString(8) : String(ll);
    const why = e.valid?.(text);
    return why ? { err: why } : { ok: text };
  }

  /** Sets a value at startup (config file / command line): immutability does not apply. */
  setStartup(name: string, value: string): void {
    const e = this.entry(name);
    if (!e) throw new ConfigError('Bad directive or wrong number of arguments');
    const args = e.multiArg ? (value === '' ? [''] : (splitArgs(Buffer.from(value, 'latin1')) ?? [Buffer.from(value, 'latin1')]).map(b => b.toString('latin1'))) : [value];
    this.store(e, this.parse(e, args));
  }

  private store(e: ConfigEntry, r: SetResult): void {
    if ('err' in r) throw new ConfigError(r.err);
    this.values.set(e.name, r.ok);
    this.numCache.clear();
  }

  /** performInterfaceSet: a multi-argument value is split on single spaces (an empty value is no argument). */
  private setValue(e: ConfigEntry, value: string): { res: SetResult; changed: boolean } {
    const args = e.multiArg ? (value === '' ? [] : value.split(' ')) : [value];
    const before = this.get(e.name);
    const res = this.parse(e, args);
    if ('ok' in res) {
      this.values.set(e.name, res.ok);
      this.numCache.clear();
    }
    // the special set functions report a change even for the same value (except oom-score-adj-values), as in Redis
    const changed = 'ok' in res && (e.kind === 'special' ? e.name !== 'oom-score-adj-values' || before !== res.ok : before !== res.ok);
    return { res, changed };
  }

  /**
   * CONFIG SET name value [name value ...] (configSetCommand): all or nothing. Values are set first, then the apply
   * functions run once each; any failure restores every old value and re-applies. Returns null or the Redis error.
   */
  setMany(pairs: [string, string][], allowProtected = false): string | null {
    const entries: ConfigEntry[] = [];
    const typed: string[] = [];
    let unknown: string | null = null;
    let err: [string, string] | null = null;
    for (const [name] of pairs) {
      const e = this.entry(name);
      if (!e) {
        if (unknown === null && err === null) unknown = name;
        continue;
      }
      if (unknown !== null || err !== null) continue;
      if (e.immutable) err = [name, "can't set immutable config"];
      else if (e.protected && !allowProtected) err = [name, "can't set protected config"];
      // an alias and its primary are distinct dict entries in Redis: both may be set (the last one wins)
      else if (typed.includes(name.toLowerCase())) err = [name, 'duplicate parameter'];
      entries.push(e);
      typed.push(name.toLowerCase());
    }
    if (unknown !== null) return E.configUnknown(unknown);
    if (err) return E.configSetFailed(err[0], err[1]);
    // the name a value error is reported under: the alias if one was typed, else the primary name (config->name)
    const shown = pairs.map(([name]) => {
      const l = name.toLowerCase();
      return entries.find(e => e.aliases?.includes(l)) ? l : this.entry(l)!.name;
    });
    const old = entries.map(e => this.get(e.name));
    const restore = (count: number) => {
      for (let i = 0; i < count; i++) {
        const r = this.setValue(entries[i], old[i]).res;
        if ('err' in r) this.onWarning?.(`Failed restoring failed CONFIG SET command. Error setting ${entries[i].name} to '${old[i]}': ${r.err}`);
      }
    };
    const applies: [string, number][] = [];
    for (let i = 0; i < entries.length; i++) {
      const { res, changed } = this.setValue(entries[i], pairs[i][1]);
      if ('err' in res) {
        restore(i + 1);
        return E.configSetFailed(shown[i], res.err);
      }
      const a = entries[i].apply;
      if (changed && a && !applies.some(([n]) => n === a)) applies.push([a, i]);
    }
    for (const [a, i] of applies) {
      const why = this.applyFns.get(a)?.() ?? null;
      if (why !== null) {
        this.onWarning?.(`Failed applying new configuration. Possibly related to new ${entries[i].name} setting. Restoring previous settings.`);
        restore(entries.length);
        for (const [b] of applies) {
          const again = this.applyFns.get(b)?.() ?? null;
          if (again !== null) this.onWarning?.(`Failed applying restored failed CONFIG SET command: ${again}`);
        }
        this.numCache.clear();
        this.onChange?.(entries.map(e => e.name));
        return E.configSetFailed(shown[i], why);
      }
    }
    this.onChange?.(entries.map(e => e.name));
    return null;
  }

  /**
   * CONFIG GET patterns (configGetCommand): an exact name is answered under the name asked; a glob matches names and
   * aliases, skipping hidden parameters; a parameter already answered (under any name) is not repeated.
   */
  getMatching(patterns: string[]): [string, string][] {
    const out = new Map<string, [string, string]>(); // key: the lowercased reply name
    for (const p of patterns) {
      if (!/[*?[]/.test(p)) {
        if (out.has(p.toLowerCase())) continue;
        const e = this.entry(p);
        if (e) out.set(p.toLowerCase(), [p, this.get(e.name)]);
        continue;
      }
      const pb = Buffer.from(p, 'latin1');
      for (const e of this.entries()) {
        if (e.hidden) continue;
        for (const n of [e.name, ...(e.aliases ?? [])]) {
          if (out.has(n) || !stringMatch(pb, Buffer.from(n), true)) continue;
          out.set(n, [n, this.get(e.name)]);
        }
      }
    }
    return [...out.values()];
  }

  /** The primary entries (one per parameter). */
  entries(): ConfigEntry[] {
    return [...new Set(this.byName.values())];
  }

  /**
   * loadServerConfigFromString: parses redis.conf text (lines trimmed, '#' comments, sdssplitargs quoting). Throws
   * ConfigError carrying redis-server's fatal report (printed to stderr by the CLI).
   */
  loadText(text: string, ctx: SetContext = { fromFile: true, saveLoaded: false }): void {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line === '' || line[0] === '#') continue;
      const fail = (msg: string): never => {
        throw new ConfigError(`\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line ${i + 1}\n>>> '${line}'\n${msg}`);
      };
      const argv = splitArgs(Buffer.from(line, 'latin1'));
      if (argv === null) fail('Unbalanced quotes in configuration line');
      const args = argv!.map(b => b.toString('latin1'));
      if (args.length === 0) continue;
      const name = args[0].toLowerCase();
      const e = this.entry(name);
      if (e) {
        if (!e.multiArg && args.length !== 2) fail('wrong number of arguments');
        let values = args.slice(1);
        // A multi-argument directive given as one string is split again ("save '900 1 300 10'").
        if (e.multiArg && values.length === 1 && values[0] !== '') values = (splitArgs(Buffer.from(values[0], 'latin1')) ?? []).map(b => b.toString('latin1'));
        try {
          this.store(e, this.parse(e, values, ctx));
        } catch (ex) {
          fail((ex as Error).message);
        }
        continue;
      }
      // deprecated directives that Redis silently skips
      if (DEPRECATED.has(name) && args.length === 2) continue;
      if (name === 'include' && args.length === 2) {
        this.loadText(readConfigFile(args[1]), ctx);
        continue;
      }
      if (name === 'rename-command' && args.length === 3) fail('rename-command is not supported by redlua');
      if (name === 'user' && args.length >= 2) {
        const r = validateUserDirective(args, new Set(this.userDirectives.map(d => d.name)));
        if ('err' in r) fail(r.err);
        else this.userDirectives.push(r.ok);
        continue;
      }
      if (name === 'loadmodule' && args.length >= 2) fail('loadmodule is not supported by redlua (no Redis modules)');
      if (name.includes('.')) {
        if (args.length < 2) fail('Module config specified without value');
        fail('module configs are not supported by redlua (no Redis modules)');
      }
      if (name === 'sentinel') {
        if (args.length !== 1) fail('sentinel directive while not in sentinel mode');
        continue;
      }
      fail('Bad directive or wrong number of arguments');
    }
  }

  /** The `user` directives, validated as ACLAppendUserForLoading does, loaded by the ACL subsystem at startup. */
  userDirectives: UserDirective[] = [];
  /** The ACL users as `user` lines (rewriteConfigUserOption), provided by the ACL subsystem. */
  aclUserLines: (() => string[]) | null = null;

  /** The checks loadServerConfigFromString runs after the last line, plus what redlua refuses to pretend. */
  checkLoaded(): void {
    const fatal = (msg: string): never => {
      throw new ConfigError(`\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n${msg}`);
    };
    const logfile = this.get('logfile');
    if (logfile !== '') {
      try {
        fs.closeSync(fs.openSync(logfile, 'a'));
      } catch (ex) {
        fatal(`Can't open the log file: ${strerror(ex)}`);
      }
    }
    if (this.bool('cluster-enabled') && this.get('replicaof') !== '') fatal('replicaof directive not allowed in cluster mode');
  }
}

const DEPRECATED = new Set(['list-max-ziplist-entries', 'list-max-ziplist-value', 'lua-replicate-commands']);

/** configEnumGetName: the name of a value, or for bit flags the names of its bits (from the table's end). */
function enumName(e: ConfigEntry, bits: number[], val: number): string {
  const names = e.enumValues!;
  const exact = bits.indexOf(val);
  if (exact >= 0) return names[exact];
  if (!e.multiArg) return 'unknown';
  const out: string[] = [];
  let unmatched = val;
  for (let i = 0; i < names.length; i++) {
    if (bits[i] && (unmatched & bits[i]) === bits[i]) {
      out.push(names[i]);
      unmatched &= ~bits[i];
    }
  }
  return out.length && !unmatched ? out.join(' ') : 'unknown';
}

/** loadServerConfig's file reading: a glob includes every match (none is fine), a plain path must open. */
export function readConfigFile(file: string): string {
  const paths = /[*?[]/.test(file) ? globFiles(file) : [file];
  let text = '';
  for (const p of paths) {
    try {
      text += fs.readFileSync(p, 'latin1');
    } catch (ex) {
      throw new ConfigError(`Fatal error, can't open config file '${p}': ${strerror(ex)}`);
    }
  }
  return text;
}

function globFiles(pattern: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const dir = slash < 0 ? '.' : pattern.slice(0, slash) || '/';
  const base = Buffer.from(pattern.slice(slash + 1));
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter(n => !n.startsWith('.') && stringMatch(base, Buffer.from(n)))
    .sort()
    .map(n => (slash < 0 ? n : `${pattern.slice(0, slash)}/${n}`));
}

/** notify.c keyspaceEventsFlagsToString ordering. */
export function canonicalNotifyFlags(v: string): string {
  return canonicalNotifyText(v);
}
