// Server configuration: the directives redlua honours, their parsing, CONFIG GET/SET semantics and redis.conf files (Redis: config.c).
import fs from 'node:fs';
import { splitArgs, stringMatch, string2ll, string2llBig, parseDouble } from '../util/parse.js';
import { canonicalNotifyText } from './notify.js';
import { E } from '../errors.js';
import { parseOctalPerm } from './listeners.js';

type Kind = 'bool' | 'int' | 'memory' | 'enum' | 'string' | 'special';

export interface ConfigEntry {
  name: string;
  aliases?: string[];
  kind: Kind;
  default: string;
  /** numeric bounds (int and memory kinds), as Redis declares them */
  min?: bigint;
  max?: bigint;
  /** an unsigned C type (size_t, unsigned long, unsigned long long, unsigned int): negative input wraps around */
  unsigned?: boolean;
  /** accepted values outside this range are capped to it (hz: updateHZ) */
  cap?: [bigint, bigint];
  /** PROTECTED_CONFIG: CONFIG SET needs enable-protected-configs (yes, or local for a local client) */
  protected?: boolean;
  enumValues?: string[];
  immutable?: boolean;
  /** Validates and normalises a value for 'special' entries; returns [normalised] or an error string. */
  parse?: (v: string) => { ok: string } | { err: string };
}

const LLMAX = 9223372036854775807n; // LONG_MAX and LLONG_MAX
const ULLMAX = 18446744073709551615n;
const INTMAX = 2147483647n;

export const CONFIG_ENTRIES: ConfigEntry[] = [
  { name: 'port', kind: 'int', default: '6379', min: 0n, max: 65535n, immutable: false },
  { name: 'bind', kind: 'string', default: '* -::*' },
  { name: 'protected-mode', kind: 'bool', default: 'yes' },
  { name: 'requirepass', kind: 'string', default: '' },
  { name: 'databases', kind: 'int', default: '16', min: 1n, max: INTMAX, immutable: true },
  { name: 'maxclients', kind: 'int', default: '10000', min: 1n, max: 4294967295n, unsigned: true },
  { name: 'timeout', kind: 'int', default: '0', min: 0n, max: INTMAX },
  { name: 'tcp-keepalive', kind: 'int', default: '300', min: 0n, max: INTMAX },
  { name: 'tcp-backlog', kind: 'int', default: '511', min: 0n, max: INTMAX, immutable: true },
  { name: 'loglevel', kind: 'enum', default: 'notice', enumValues: ['debug', 'verbose', 'notice', 'warning'] },
  { name: 'logfile', kind: 'string', default: '', immutable: true },
  { name: 'daemonize', kind: 'bool', default: 'no', immutable: true },
  { name: 'busy-reply-threshold', aliases: ['lua-time-limit'], kind: 'int', default: '5000', min: 0n, max: LLMAX },
  { name: 'maxmemory', kind: 'memory', default: '0', min: 0n, max: ULLMAX, unsigned: true },
  {
    name: 'maxmemory-policy',
    kind: 'enum',
    default: 'noeviction',
    enumValues: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'],
  },
  { name: 'maxmemory-samples', kind: 'int', default: '5', min: 1n, max: INTMAX },
  { name: 'enable-debug-command', kind: 'enum', default: 'no', enumValues: ['no', 'yes', 'local'], immutable: true },
  { name: 'enable-protected-configs', kind: 'enum', default: 'no', enumValues: ['no', 'yes', 'local'], immutable: true },
  { name: 'proto-max-bulk-len', kind: 'memory', default: '536870912', min: 1048576n, max: LLMAX },
  { name: 'client-query-buffer-limit', kind: 'memory', default: '1073741824', min: 1048576n, max: LLMAX, unsigned: true },
  {
    name: 'client-output-buffer-limit',
    kind: 'special',
    default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    parse: parseOutputBufferLimit,
  },
  { name: 'notify-keyspace-events', kind: 'special', default: '', parse: parseNotifyFlags },
  { name: 'hz', kind: 'int', default: '10', min: 0n, max: INTMAX, cap: [1n, 500n] },
  { name: 'dynamic-hz', kind: 'bool', default: 'yes' },
  { name: 'save', kind: 'special', default: '3600 1 300 100 60 10000', parse: parseSave },
  { name: 'appendonly', kind: 'bool', default: 'no' },
  { name: 'dir', kind: 'special', default: process.cwd(), parse: v => ({ ok: v }), protected: true },
  { name: 'dbfilename', kind: 'string', default: 'dump.rdb', protected: true },
  { name: 'rdbcompression', kind: 'bool', default: 'yes' },
  { name: 'lazyfree-lazy-user-flush', kind: 'bool', default: 'no' },
  { name: 'lazyfree-lazy-user-del', kind: 'bool', default: 'no' },
  { name: 'hash-max-listpack-entries', aliases: ['hash-max-ziplist-entries'], kind: 'int', default: '512', min: 0n, max: LLMAX, unsigned: true },
  { name: 'hash-max-listpack-value', aliases: ['hash-max-ziplist-value'], kind: 'memory', default: '64', min: 0n, max: LLMAX, unsigned: true },
  { name: 'list-max-listpack-size', aliases: ['list-max-ziplist-size'], kind: 'int', default: '-2', min: -2147483648n, max: INTMAX },
  { name: 'list-compress-depth', kind: 'int', default: '0', min: 0n, max: INTMAX },
  { name: 'set-max-intset-entries', kind: 'int', default: '512', min: 0n, max: LLMAX, unsigned: true },
  { name: 'zset-max-listpack-entries', aliases: ['zset-max-ziplist-entries'], kind: 'int', default: '128', min: 0n, max: LLMAX, unsigned: true },
  { name: 'zset-max-listpack-value', aliases: ['zset-max-ziplist-value'], kind: 'memory', default: '64', min: 0n, max: LLMAX, unsigned: true },
  { name: 'stream-node-max-bytes', kind: 'memory', default: '4096', min: 0n, max: LLMAX, unsigned: true },
  { name: 'stream-node-max-entries', kind: 'int', default: '100', min: 0n, max: LLMAX },
  { name: 'hll-sparse-max-bytes', kind: 'memory', default: '3000', min: 0n, max: LLMAX, unsigned: true },
  { name: 'slowlog-log-slower-than', kind: 'int', default: '10000', min: -1n, max: LLMAX },
  { name: 'slowlog-max-len', kind: 'int', default: '128', min: 0n, max: LLMAX, unsigned: true },
  { name: 'lfu-log-factor', kind: 'int', default: '10', min: 0n, max: INTMAX },
  { name: 'lfu-decay-time', kind: 'int', default: '1', min: 0n, max: INTMAX },
  { name: 'active-expire-effort', kind: 'int', default: '1', min: 1n, max: 10n },
  { name: 'replica-read-only', aliases: ['slave-read-only'], kind: 'bool', default: 'yes' },
  { name: 'min-replicas-to-write', aliases: ['min-slaves-to-write'], kind: 'int', default: '0', min: 0n, max: INTMAX },
  { name: 'min-replicas-max-lag', aliases: ['min-slaves-max-lag'], kind: 'int', default: '10', min: 0n, max: INTMAX },
  { name: 'appendfsync', kind: 'enum', default: 'everysec', enumValues: ['everysec', 'always', 'no'] },
  { name: 'sanitize-dump-payload', kind: 'enum', default: 'no', enumValues: ['no', 'yes', 'clients'] },
  { name: 'lua-enable-deprecated-api', kind: 'bool', default: 'no', immutable: true },
  { name: 'latency-tracking', kind: 'bool', default: 'yes' },
  { name: 'io-threads', kind: 'int', default: '1', min: 1n, max: 128n, immutable: true },
  { name: 'cluster-enabled', kind: 'bool', default: 'no', immutable: true },
  { name: 'pidfile', kind: 'string', default: '', immutable: true },
  { name: 'unixsocket', kind: 'string', default: '', immutable: true },
  { name: 'supervised', kind: 'enum', default: 'no', enumValues: ['upstart', 'systemd', 'auto', 'no'], immutable: true },
  { name: 'always-show-logo', kind: 'bool', default: 'no', immutable: true },
  { name: 'activerehashing', kind: 'bool', default: 'yes' },
  { name: 'lazyfree-lazy-expire', kind: 'bool', default: 'no' },
  { name: 'lazyfree-lazy-eviction', kind: 'bool', default: 'no' },
  { name: 'lazyfree-lazy-server-del', kind: 'bool', default: 'no' },
  { name: 'replica-serve-stale-data', aliases: ['slave-serve-stale-data'], kind: 'bool', default: 'yes' },
  // --- tls/unixsocket/latency ---
  { name: 'latency-monitor-threshold', kind: 'int', default: '0', min: 0n, max: LLMAX },
  { name: 'latency-tracking-info-percentiles', kind: 'special', default: '50 99 99.9', parse: parsePercentiles },
  { name: 'unixsocketperm', kind: 'special', default: '0', parse: parseOctalPerm, immutable: true },
  { name: 'tls-port', kind: 'int', default: '0', min: 0n, max: 65535n },
  { name: 'tls-session-cache-size', kind: 'int', default: '20480', min: 0n, max: INTMAX },
  { name: 'tls-session-cache-timeout', kind: 'int', default: '300', min: 0n, max: INTMAX },
  { name: 'tls-cluster', kind: 'bool', default: 'no' },
  { name: 'tls-replication', kind: 'bool', default: 'no' },
  { name: 'tls-auth-clients', kind: 'enum', default: 'yes', enumValues: ['no', 'yes', 'optional'] },
  { name: 'tls-prefer-server-ciphers', kind: 'bool', default: 'no' },
  { name: 'tls-session-caching', kind: 'bool', default: 'yes' },
  ...[
    'tls-cert-file', 'tls-key-file', 'tls-key-file-pass', 'tls-client-cert-file', 'tls-client-key-file', 'tls-client-key-file-pass',
    'tls-dh-params-file', 'tls-ca-cert-file', 'tls-ca-cert-dir', 'tls-protocols', 'tls-ciphers', 'tls-ciphersuites',
  ].map((name): ConfigEntry => ({ name, kind: 'string', default: '' })),
];

// ---- parsing helpers for the special kinds ----

/**
 * util.c memtoull: digits with an optional unit (b, k, kb, m, mb, g, gb), case-insensitive, as an unsigned 64-bit value:
 * no digits read as 0 ("kb" is 0), too many saturate (strtoull), and the unit's product wraps around; null for "ERR
 * argument must be a memory value" (a sign, another unit, 128 digits or more).
 */
export function memtoullBig(v: string): bigint | null {
  const m = /^(\d*)(.*)$/s.exec(v)!;
  if (v.startsWith('-')) return null;
  const units: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };
  const mul = units[m[2].toLowerCase()];
  if (mul === undefined || m[1].length >= 128) return null;
  let val = m[1] === '' ? 0n : BigInt(m[1]);
  if (val > ULLMAX) val = ULLMAX;
  return BigInt.asUintN(64, val * mul);
}

/** memtoull as a number (client-output-buffer-limit and the cached values of memory configs). */
export function memtoull(v: string): number | null {
  const n = memtoullBig(v);
  return n === null ? null : Number(n);
}

function parseOutputBufferLimit(v: string): { ok: string } | { err: string } {
  const args = v.split(/\s+/).filter(Boolean);
  if (args.length % 4 !== 0) return { err: 'Wrong number of arguments in buffer limit configuration.' };
  const cur = new Map<string, number[]>();
  for (const cls of ['normal', 'slave', 'pubsub']) cur.set(cls, []);
  for (let i = 0; i < args.length; i += 4) {
    let cls = args[i].toLowerCase();
    if (cls === 'replica') cls = 'slave';
    if (!cur.has(cls)) return { err: 'Invalid client class specified in buffer limit configuration.' };
    const hard = memtoull(args[i + 1]);
    const soft = memtoull(args[i + 2]);
    const secs = string2ll(Buffer.from(args[i + 3]));
    if (hard === null || soft === null || secs === null || secs < 0) return { err: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    cur.set(cls, [hard, soft, secs]);
  }
  return { ok: JSON.stringify(Object.fromEntries(cur)) };
}

/** setConfigSaveOption: pairs of <seconds >= 1> <changes >= 0>, or "" for none. */
function parseSave(v: string): { ok: string } | { err: string } {
  const args = v.split(/\s+/).filter(Boolean);
  if (args.length % 2 === 1) return { err: 'Invalid save parameters' };
  for (let j = 0; j < args.length; j++) {
    const m = /^[ \t\n\v\f\r]*[+-]?\d+$/.exec(args[j]);
    const n = m ? Number(args[j]) : NaN;
    if (!m || (j % 2 === 0 && n < 1) || (j % 2 === 1 && n < 0)) return { err: 'Invalid save parameters' };
  }
  return { ok: args.join(' ') };
}

/** setConfigLatencyTrackingInfoPercentilesOutputOption: doubles in [0, 100], stored as "%f" trimmed. */
function parsePercentiles(v: string): { ok: string } | { err: string } {
  const out: string[] = [];
  for (const a of v.split(/\s+/).filter(Boolean)) {
    const p = parseDouble(Buffer.from(a));
    if (p === null) return { err: 'Invalid latency-tracking-info-percentiles parameters' };
    if (p > 100 || p < 0) return { err: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    const f = p.toFixed(6);
    out.push(f.replace(/0+$/, '').replace(/\.$/, ''));
  }
  return { ok: out.join(' ') };
}

const NOTIFY_CLASSES = 'gKE$lshzxetmdn';
function parseNotifyFlags(v: string): { ok: string } | { err: string } {
  for (const ch of v) if (!(NOTIFY_CLASSES + 'A').includes(ch)) return { err: 'Invalid event class character. Use \'Ag$lshzxeKEtmdn\'.' };
  return { ok: v };
}

export class ConfigError extends Error {}

/** Live configuration values (strings in CONFIG GET form) with typed accessors. */
export class Config {
  private values = new Map<string, string>();
  private byName = new Map<string, ConfigEntry>();
  /** Called after a successful CONFIG SET / startup parse with the canonical names changed. */
  onChange: ((names: string[]) => void) | null = null;
  /** Runs after CONFIG SET stored new values; returns [name, reason] to undo them (Redis's failing apply_fn). */
  applyHook: ((names: string[]) => [string, string] | null) | null = null;
  private numCache = new Map<string, number>();

  constructor() {
    for (const e of CONFIG_ENTRIES) {
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
    return this.values.get(e.name)!;
  }

  num(name: string): number {
    let n = this.numCache.get(name);
    if (n === undefined) {
      const e = this.entry(name)!;
      const v = this.values.get(e.name)!;
      n = e.kind === 'memory' ? memtoull(v)! : Number(v);
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
    const v = this.get('client-output-buffer-limit');
    const parsed = parseOutputBufferLimit(v);
    return 'ok' in parsed ? JSON.parse(parsed.ok)[cls] : [0, 0, 0];
  }

  /** Validates `value` for `e`; returns the normalised stored text or throws ConfigError with Redis's reason. */
  private validate(e: ConfigEntry, value: string): string {
    switch (e.kind) {
      case 'bool': {
        const l = value.toLowerCase();
        if (l !== 'yes' && l !== 'no') throw new ConfigError("argument must be 'yes' or 'no'");
        return l;
      }
      case 'enum': {
        const l = value.toLowerCase();
        if (!e.enumValues!.includes(l)) throw new ConfigError(`argument(s) must be one of the following: ${e.enumValues!.join(', ')}`);
        return l;
      }
      case 'int':
      case 'memory': {
        // numericParseString then numericBoundaryCheck: the parsed value is a long long, which unsigned types read
        // as unsigned (so -1 is 18446744073709551615, out of bounds) and signed ones as is
        const parsed = e.kind === 'int' ? string2llBig(Buffer.from(value)) : memtoullBig(value);
        if (parsed === null) throw new ConfigError(e.kind === 'int' ? "argument couldn't be parsed into an integer" : 'argument must be a memory value');
        const n = e.unsigned ? BigInt.asUintN(64, parsed) : BigInt.asIntN(64, parsed);
        if (n < e.min! || n > e.max!) throw new ConfigError(`argument must be between ${e.min} and ${e.max} inclusive`);
        if (e.cap) return String(n < e.cap[0] ? e.cap[0] : n > e.cap[1] ? e.cap[1] : n);
        return String(n);
      }
      case 'string':
        return value;
      case 'special': {
        const r = e.parse!(value);
        if ('err' in r) throw new ConfigError(r.err);
        return e.name === 'client-output-buffer-limit' ? mergeOutputLimits(this.values.get(e.name)!, r.ok) : r.ok;
      }
    }
  }

  /** Sets a value at startup (config file / command line): immutability does not apply. */
  setStartup(name: string, value: string): void {
    const e = this.entry(name);
    if (!e) throw new ConfigError('Bad directive or wrong number of arguments');
    this.values.set(e.name, this.validate(e, value));
    this.numCache.clear();
  }

  /**
   * CONFIG SET name value [name value ...]: all or nothing. Returns null on success or the full Redis error text.
   */
  setMany(pairs: [string, string][], allowProtected = false): string | null {
    const seen = new Set<ConfigEntry>();
    const entries: ConfigEntry[] = [];
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
      else if (seen.has(e)) err = [name, 'duplicate parameter'];
      seen.add(e);
      entries.push(e);
    }
    if (unknown !== null) return E.configUnknown(unknown);
    if (err) return E.configSetFailed(err[0], err[1]);
    const old = new Map(this.values);
    try {
      pairs.forEach(([, value], i) => this.values.set(entries[i].name, this.validate(entries[i], value)));
    } catch (ex) {
      const idx = pairs.findIndex(([, value], i) => {
        try {
          this.validate(entries[i], value);
          return false;
        } catch {
          return true;
        }
      });
      this.values = old;
      return E.configSetFailed(entries[idx].name, (ex as Error).message);
    }
    this.numCache.clear();
    // apply functions that can fail (the TLS context): the previous values come back, as restoreBackupConfig does
    const failed = this.applyHook?.(entries.map(e => e.name)) ?? null;
    if (failed) {
      this.values = old;
      this.numCache.clear();
      return E.configSetFailed(failed[0], failed[1]);
    }
    this.onChange?.(entries.map(e => e.name));
    return null;
  }

  /** CONFIG GET patterns: [name, value] pairs, exact names answered under the name asked, globs matched on names and aliases. */
  getMatching(patterns: string[]): [string, string][] {
    const out = new Map<string, string>();
    for (const p of patterns) {
      const lp = p.toLowerCase();
      const isGlob = /[*?[]/.test(lp);
      if (!isGlob) {
        const e = this.byName.get(lp);
        if (e) out.set(lp, this.display(e));
        continue;
      }
      const pb = Buffer.from(lp);
      for (const e of CONFIG_ENTRIES) {
        if (stringMatch(pb, Buffer.from(e.name), true)) out.set(e.name, this.display(e));
        for (const a of e.aliases ?? []) if (stringMatch(pb, Buffer.from(a), true)) out.set(a, this.display(e));
      }
    }
    return [...out];
  }

  private display(e: ConfigEntry): string {
    const v = this.values.get(e.name)!;
    if (e.name === 'client-output-buffer-limit') {
      const r = parseOutputBufferLimit(v);
      if ('ok' in r) {
        const o = JSON.parse(r.ok) as Record<string, number[]>;
        return ['normal', 'slave', 'pubsub'].map(c => `${c} ${o[c].join(' ')}`).join(' ');
      }
    }
    if (e.name === 'notify-keyspace-events') return canonicalNotifyFlags(v);
    return v;
  }

  /** Directives of redis.conf that were accepted but are not implemented by redlua (reported once at startup). */
  ignoredDirectives: string[] = [];

  /**
   * loadServerConfigFromString: parses redis.conf text (lines trimmed, '#' comments, sdssplitargs quoting). Throws
   * ConfigError carrying redis-server's fatal report (printed to stderr by the CLI).
   */
  loadText(text: string): void {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line === '' || line[0] === '#') continue;
      const fail = (msg: string): never => {
        throw new ConfigError(
          `\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line ${i + 1}\n>>> '${line}'\n${msg}`,
        );
      };
      const argv = splitArgs(Buffer.from(line, 'utf8'));
      if (argv === null) fail('Unbalanced quotes in configuration line');
      const args = argv!.map(b => b.toString('utf8'));
      if (args.length === 0) continue;
      const name = args[0].toLowerCase();
      // deprecated directives that Redis silently skips
      if ((name === 'list-max-ziplist-entries' || name === 'list-max-ziplist-value' || name === 'lua-replicate-commands') && args.length === 2) continue;
      const e = this.entry(name);
      if (e) {
        const multi = MULTI_ARG.has(e.name);
        if (!multi && args.length !== 2) fail('wrong number of arguments');
        let values = args.slice(1);
        // A multi-argument directive given as one string is split again ("save '900 1 300 10'").
        if (multi && values.length === 1 && values[0] !== '') values = (splitArgs(Buffer.from(values[0], 'utf8')) ?? []).map(b => b.toString('utf8'));
        try {
          this.setStartup(name, values.join(' '));
        } catch (ex) {
          fail((ex as Error).message);
        }
        continue;
      }
      if (name === 'include' && args.length === 2) {
        let sub: string;
        try {
          sub = fs.readFileSync(args[1], 'utf8');
        } catch (ex) {
          throw new ConfigError(`Fatal error, can't open config file '${args[1]}': ${errnoText(ex)}`);
        }
        this.loadText(sub);
        continue;
      }
      if (REDIS_ONLY_DIRECTIVES.has(name) || ((name === 'rename-command' || name === 'user' || name === 'loadmodule') && args.length >= 2)) {
        this.ignoredDirectives.push(name);
        continue;
      }
      fail('Bad directive or wrong number of arguments');
    }
  }
}

/** Directives that take several arguments (MULTI_ARG_CONFIG). */
const MULTI_ARG = new Set(['save', 'client-output-buffer-limit', 'bind', 'oom-score-adj-values', 'replicaof', 'latency-tracking-info-percentiles']);

/** strerror text of a Node fs error. */
export function errnoText(ex: unknown): string {
  const code = (ex as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'EISDIR': return 'Is a directory';
    case 'ENOTDIR': return 'Not a directory';
    default: return (ex as Error).message;
  }
}

/** Redis 7.0.15 directives that redlua accepts in redis.conf but does not implement (no effect). */
const REDIS_ONLY_DIRECTIVES = new Set(
  (
    'acl-pubsub-default aclfile acllog-max-len active-defrag-cycle-max active-defrag-cycle-min active-defrag-ignore-bytes ' +
    'active-defrag-max-scan-fields active-defrag-threshold-lower active-defrag-threshold-upper activedefrag ' +
    'aof-disable-auto-gc aof-load-truncated aof-rewrite-incremental-fsync aof-timestamp-enabled aof-use-rdb-preamble ' +
    'aof_rewrite_cpulist appenddirname appendfilename auto-aof-rewrite-min-size auto-aof-rewrite-percentage bgsave_cpulist ' +
    'bind-source-addr bio_cpulist cluster-allow-pubsubshard-when-down cluster-allow-reads-when-down cluster-allow-replica-migration ' +
    'cluster-announce-bus-port cluster-announce-hostname cluster-announce-ip cluster-announce-port cluster-announce-tls-port ' +
    'cluster-config-file cluster-link-sendbuf-limit cluster-migration-barrier cluster-node-timeout cluster-port ' +
    'cluster-preferred-endpoint-type cluster-replica-no-failover cluster-replica-validity-factor cluster-require-full-coverage ' +
    'cluster-slave-no-failover cluster-slave-validity-factor crash-log-enabled crash-memcheck-enabled disable-thp ' +
    'enable-module-command ignore-warnings io-threads-do-reads jemalloc-bg-thread ' +
    'masterauth masteruser maxmemory-clients maxmemory-eviction-tenacity ' +
    'no-appendfsync-on-rewrite oom-score-adj oom-score-adj-values proc-title-template propagation-error-behavior ' +
    'rdb-del-sync-files rdb-save-incremental-fsync rdbchecksum repl-backlog-size repl-backlog-ttl repl-disable-tcp-nodelay ' +
    'repl-diskless-load repl-diskless-sync repl-diskless-sync-delay repl-diskless-sync-max-replicas repl-ping-replica-period ' +
    'repl-ping-slave-period repl-timeout replica-announce-ip replica-announce-port replica-announced ' +
    'replica-ignore-disk-write-errors replica-ignore-maxmemory replica-lazy-flush replica-priority replicaof ' +
    'server_cpulist set-proc-title shutdown-on-sigint shutdown-on-sigterm shutdown-timeout slave-announce-ip ' +
    'slave-announce-port slave-ignore-maxmemory slave-lazy-flush slave-priority slaveof socket-mark-id ' +
    'stop-writes-on-bgsave-error syslog-enabled syslog-facility syslog-ident tracking-table-max-keys'
  ).split(' '),
);

function mergeOutputLimits(oldText: string, newJson: string): string {
  const o = parseOutputBufferLimit(oldText);
  const base = 'ok' in o ? (JSON.parse(o.ok) as Record<string, number[]>) : {};
  const upd = JSON.parse(newJson) as Record<string, number[]>;
  for (const [k, v] of Object.entries(upd)) if (v.length) base[k] = v;
  return ['normal', 'slave', 'pubsub'].map(c => `${c} ${(base[c] ?? [0, 0, 0]).join(' ')}`).join(' ');
}

/** notify.c keyspaceEventsFlagsToString ordering. */
export function canonicalNotifyFlags(v: string): string {
  return canonicalNotifyText(v); // streams/pubsub team: notify.c keyspaceEventsFlagsToString
}
