// The configuration table: every parameter of Redis 7.0.15 with its type, bounds, default, flags and whether redlua
// honours it (Redis: config.c static_configs). CONFIG GET/SET/REWRITE, redis.conf parsing and docs/CONFIG.md read it.
import fs from 'node:fs';
import path from 'node:path';
import { parseNotifyFlags, notifyFlagsToString } from './notify.js';
import { strtod } from '../util/parse.js';

export type Kind = 'bool' | 'int' | 'memory' | 'enum' | 'string' | 'special';

/** The C type a numeric parameter is stored in: decides whether negative input wraps (numericBoundaryCheck). */
export type CType = 'int' | 'uint' | 'long' | 'ulong' | 'longlong' | 'ulonglong' | 'size_t' | 'ssize_t' | 'off_t' | 'time_t';

/** What a special parameter's set function may consult. */
export interface SetContext {
  /** true while a redis.conf text is being read (loadServerConfigFromString's reading_config_file) */
  fromFile: boolean;
  /** save: whether a save line of the current file was already read (the first one resets the defaults) */
  saveLoaded: boolean;
}

export type SetResult = { ok: string } | { err: string };

export interface ConfigEntry {
  name: string;
  /** Redis has at most one alias per parameter (ALIAS_CONFIG) */
  aliases?: string[];
  kind: Kind;
  /** the default exactly as CONFIG GET prints it */
  default: string;
  /** numeric bounds (int and memory kinds), as Redis declares them */
  min?: bigint;
  max?: bigint;
  /** an unsigned C type checked as unsigned (unsigned int, unsigned long long, size_t): negative input wraps around */
  unsigned?: boolean;
  /** PERCENT_CONFIG: "N%" is accepted (stored negative) */
  percent?: boolean;
  /** OCTAL_CONFIG: read and printed in octal */
  octal?: boolean;
  /** accepted values outside this range are capped to it (hz: updateHZ) */
  cap?: [bigint, bigint];
  enumValues?: string[];
  /** enum values (default: the index); names sharing a value are synonyms, the first is printed */
  enumBits?: number[];
  /** IMMUTABLE_CONFIG: only at startup ("can't set immutable config") */
  immutable?: boolean;
  /** PROTECTED_CONFIG: CONFIG SET needs enable-protected-configs (yes, or local for a local client) */
  protected?: boolean;
  /** SENSITIVE_CONFIG: the value is redacted from SLOWLOG and MONITOR */
  sensitive?: boolean;
  /** HIDDEN_CONFIG: CONFIG GET answers it only when asked by its exact name */
  hidden?: boolean;
  /** DENY_LOADING_CONFIG: refused while loading a dataset */
  denyLoading?: boolean;
  /** DEBUG_CONFIG: listed in the crash report's config dump */
  debug?: boolean;
  /** MULTI_ARG_CONFIG: several arguments (CONFIG SET splits the value on spaces) */
  multiArg?: boolean;
  /** EMPTY_STRING_IS_NULL (string kind): an empty value is "not set" and CONFIG REWRITE drops its lines */
  emptyIsNull?: boolean;
  /** is_valid_fn: an extra check on the parsed value; returns Redis's reason when invalid */
  valid?: (v: string) => string | null;
  /** special kinds: validates the arguments and returns the new CONFIG GET value */
  set?: (args: string[], cur: string, ctx: SetContext) => SetResult;
  /** the name of the apply function run after CONFIG SET changed the value (deduplicated, as apply_fns) */
  apply?: string;
  /** the parameter is accepted and shown but has no effect in redlua, and why */
  inert?: string;
  /** honoured with a limitation worth knowing */
  note?: string;
}

const LLMAX = 9223372036854775807n; // LONG_MAX and LLONG_MAX
const ULLMAX = 18446744073709551615n;
const INTMAX = 2147483647n;
const INTMIN = -2147483648n;
const UINTMAX = 4294967295n;

// Reasons shared by the parameters of the areas other issues are building. The lead flips a section to honoured
// (deletes `inert`) as each branch lands.
const TLS = 'TLS is not implemented yet (#17)';
const CLUSTER = 'cluster mode is not implemented yet (#20)';
const DISKLESS_WAIT = 'a diskless full sync waits as in Redis; then each waiting replica gets its own snapshot (none is shared)';
const LAZYFREE = 'memory is reclaimed by the JavaScript garbage collector, so lazy freeing has no observable effect (#19)';
const DEFRAG = 'active defragmentation needs Redis\'s jemalloc; like a Redis built without it, activedefrag cannot be enabled';
const AFFINITY = 'redlua does not set CPU affinity';
const PROCTITLE = 'redlua does not change its process title';
const NO_JEMALLOC = 'redlua does not use jemalloc';
const NO_MODULES = 'MODULE LOAD is refused whatever its value: redlua loads no Redis modules';

function bool(name: string, def: boolean, o: Partial<ConfigEntry> = {}): ConfigEntry {
  return { name, kind: 'bool', default: def ? 'yes' : 'no', ...o };
}
function str(name: string, def: string, o: Partial<ConfigEntry> = {}): ConfigEntry {
  return { name, kind: 'string', default: def, ...o };
}
function enm(name: string, def: string, values: string[], o: Partial<ConfigEntry> = {}): ConfigEntry {
  return { name, kind: 'enum', default: def, enumValues: values, ...o };
}
const UNSIGNED_CHECK: CType[] = ['uint', 'ulonglong', 'size_t'];
function num(name: string, ctype: CType, min: bigint, max: bigint, def: bigint, o: Partial<ConfigEntry> = {}): ConfigEntry {
  return { name, kind: 'int', default: String(def), min, max, ...(UNSIGNED_CHECK.includes(ctype) ? { unsigned: true } : {}), ...o };
}
function mem(name: string, ctype: CType, min: bigint, max: bigint, def: bigint, o: Partial<ConfigEntry> = {}): ConfigEntry {
  return { ...num(name, ctype, min, max, def, o), kind: 'memory' };
}
function special(name: string, def: string, set: ConfigEntry['set'], o: Partial<ConfigEntry> = {}): ConfigEntry {
  return { name, kind: 'special', default: def, set, ...o };
}

// ---- validators (is_valid_fn) ----

function baseName(what: string, kind: string): (v: string) => string | null {
  return v => (v.includes('/') ? `${what} can't be a path, just a ${kind}` : null);
}
function nonEmptyBaseName(what: string, kind: string): (v: string) => string | null {
  return v => (v === '' ? `${what} can't be empty` : baseName(what, kind)(v));
}

/** isValidAnnouncedHostname. */
function validHostname(v: string): string | null {
  if (v.length >= 256) return 'Hostnames must be less than 256 characters';
  return /^[A-Za-z0-9.-]*$/.test(v) ? null : 'Hostnames may only contain alphanumeric characters, hyphens or dots';
}

/** validateProcTitleTemplate: sdstemplate with the known variables, and something left once trimmed. */
function validProcTitle(v: string): string | null {
  const bad = 'template format is invalid or contains unknown variables';
  const vars: Record<string, string> = { title: '', 'listen-addr': '*:0', 'server-mode': '', 'config-file': '-', port: '0', 'tls-port': '0', unixsocket: '' };
  let out = '';
  let p = 0;
  while (p < v.length) {
    const sv = v.indexOf('{', p);
    if (sv < 0) {
      out += v.slice(p);
      break;
    }
    out += v.slice(p, sv);
    if (sv + 1 >= v.length) return bad;
    if (v[sv + 1] === '{') {
      out += '{';
      p = sv + 2;
      continue;
    }
    const ev = v.indexOf('}', sv + 1);
    if (ev < 0) return bad;
    const val = vars[v.slice(sv + 1, ev)];
    if (val === undefined) return bad;
    out += val;
    p = ev + 1;
  }
  return out.replace(/^ +| +$/g, '') === '' ? bad : null;
}

// ---- set functions of the special parameters ----

/** C strtoll over the whole text: leading whitespace and a sign allowed; null if anything is left over. */
export function strtollWhole(s: string): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)(.*)$/s.exec(s)!;
  if (m[3] !== '') return null;
  if (m[2] === '') return s === '' ? 0n : null; // nothing parsed: endptr is the start, which is '\0' only for ""
  let v = BigInt(m[2]);
  if (m[1] === '-') v = -v;
  if (v > LLMAX) v = LLMAX;
  if (v < -LLMAX - 1n) v = -LLMAX - 1n;
  return v;
}

/** setConfigSaveOption: pairs of <seconds >= 1> <changes >= 0>; "" alone for none. In a file, save lines add up. */
function setSave(args: string[], cur: string, ctx: SetContext): SetResult {
  if (args.length === 1 && args[0] === '') args = [];
  if (args.length & 1) return { err: 'Invalid save parameters' };
  const vals: bigint[] = [];
  for (let j = 0; j < args.length; j++) {
    const v = strtollWhole(args[j]);
    if (v === null || (j % 2 === 0 && v < 1n) || (j % 2 === 1 && v < 0n)) return { err: 'Invalid save parameters' };
    vals.push(j % 2 === 1 ? BigInt.asIntN(32, v) : v);
  }
  let base: string[] = [];
  if (ctx.fromFile && ctx.saveLoaded) base = cur === '' ? [] : cur.split(' ');
  ctx.saveLoaded = true;
  return { ok: [...base, ...vals.map(String)].join(' ') };
}

const OBUF_CLASSES = ['normal', 'slave', 'pubsub'];

/** updateClientOutputBufferLimit: <class> <hard> <soft> <seconds> groups, all checked before any is applied. */
function setOutputBufferLimit(args: string[], cur: string): SetResult {
  if (args.length % 4) return { err: 'Wrong number of arguments in buffer limit configuration.' };
  const out = parseObuf(cur);
  const upd = new Map<string, string[]>();
  for (let j = 0; j < args.length; j += 4) {
    let cls = args[j].toLowerCase();
    if (cls === 'replica') cls = 'slave';
    if (!OBUF_CLASSES.includes(cls)) return { err: 'Invalid client class specified in buffer limit configuration.' };
    const hard = memtoullBig(args[j + 1]);
    const soft = memtoullBig(args[j + 2]);
    const secs = strtollWhole(args[j + 3]);
    // soft_seconds is an int: strtoll's result is truncated before the sign check
    const secs32 = secs === null ? -1n : BigInt.asIntN(32, secs);
    if (hard === null || soft === null || secs32 < 0n) {
      return { err: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    upd.set(cls, [String(hard), String(soft), String(secs32)]);
  }
  for (const [cls, v] of upd) out.set(cls, v);
  return { ok: formatObuf(out) };
}

export function parseObuf(v: string): Map<string, string[]> {
  const a = v.split(' ');
  const m = new Map<string, string[]>();
  for (let i = 0; i + 3 < a.length; i += 4) m.set(a[i], a.slice(i + 1, i + 4));
  return m;
}
function formatObuf(m: Map<string, string[]>): string {
  return OBUF_CLASSES.map(c => `${c} ${(m.get(c) ?? ['0', '0', '0']).join(' ')}`).join(' ');
}

function setOomValues(args: string[]): SetResult {
  if (args.length !== 3) return { err: 'wrong number of arguments' };
  const vals: bigint[] = [];
  for (const a of args) {
    const v = strtollWhole(a);
    if (v === null || v < -2000n || v > 2000n) return { err: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
    vals.push(v);
  }
  return { ok: vals.join(' ') };
}

function setNotify(args: string[]): SetResult {
  if (args.length !== 1) return { err: 'wrong number of arguments' };
  const f = parseNotifyFlags(args[0]);
  if (f < 0) return { err: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
  return { ok: notifyFlagsToString(f) };
}

function setBind(args: string[]): SetResult {
  if (args.length > 16) return { err: 'Too many bind addresses specified.' };
  if (args.length === 1 && args[0] === '') args = [];
  return { ok: args.join(' ') };
}

function setReplicaOf(args: string[]): SetResult {
  if (args.length !== 2) return { err: 'wrong number of arguments' };
  if (args[0].toLowerCase() === 'no' && args[1].toLowerCase() === 'one') return { ok: '' };
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(args[1]);
  const port = m ? Number(m[1]) : NaN;
  if (!m || port < 0 || port > 65535) return { err: 'Invalid master port' };
  return { ok: `${args[0]} ${port}` };
}

/** %f then trimDoubleString: 99.9 -> "99.9", 50 -> "50". */
function formatPercentile(d: number): string {
  let s = d.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

function setPercentiles(args: string[]): SetResult {
  if (args.length === 1 && args[0] === '') args = [];
  const out: string[] = [];
  for (const a of args) {
    const c0 = a.charCodeAt(0);
    const d = a.length === 0 || c0 === 32 || (c0 >= 9 && c0 <= 13) ? null : strtod(a);
    if (d === null || Number.isNaN(d)) return { err: 'Invalid latency-tracking-info-percentiles parameters' };
    if (d > 100 || d < 0) return { err: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    out.push(formatPercentile(d));
  }
  return { ok: out.join(' ') };
}

/**
 * setConfigDirOption: the directory must exist (chdir's errors); CONFIG GET shows it absolute (getcwd). redlua keeps it
 * per server instead of changing the process's directory (an embedded server shares its process): files of this
 * server (RDB, AOF, aclfile) resolve against it.
 */
function setDir(args: string[]): SetResult {
  if (args.length !== 1) return { err: 'wrong number of arguments' };
  const abs = path.resolve(args[0]);
  try {
    if (!fs.statSync(abs).isDirectory()) return { err: 'Not a directory' };
  } catch (ex) {
    return { err: strerror(ex) };
  }
  return { ok: abs };
}

/** strerror text of a Node system error. */
export function strerror(ex: unknown): string {
  switch ((ex as NodeJS.ErrnoException).code) {
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'EISDIR': return 'Is a directory';
    case 'ENOTDIR': return 'Not a directory';
    case 'ENAMETOOLONG': return 'File name too long';
    case 'ELOOP': return 'Too many levels of symbolic links';
    case 'EEXIST': return 'File exists';
    case 'EROFS': return 'Read-only file system';
    case 'ENOSPC': return 'No space left on device';
    default: return (ex as Error).message;
  }
}

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

const SHUTDOWN_FLAGS = ['default', 'save', 'nosave', 'now', 'force'];

/**
 * The table, grouped by area. Each area owned by another open issue carries that reason in `inert`; the
 * lead deletes the field as the area lands. Within a group the order follows config.c.
 */
export const CONFIG_ENTRIES: ConfigEntry[] = [
  // --- server, process and logging ---
  num('databases', 'int', 1n, INTMAX, 16n, { immutable: true }),
  bool('daemonize', false, { immutable: true, note: 'Node.js cannot fork: yes respawns the server detached, and the first process exits once the second accepts connections' }),
  bool('always-show-logo', false, { immutable: true }),
  bool('set-proc-title', true, { immutable: true, inert: PROCTITLE }),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', { valid: validProcTitle, apply: 'updateProcTitleTemplate', inert: PROCTITLE }),
  enm('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], { immutable: true, inert: 'systemd and upstart supervision are not implemented' }),
  str('pidfile', '', { immutable: true, emptyIsNull: true }),
  str('logfile', '', { immutable: true }),
  enm('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning']),
  bool('syslog-enabled', false, { immutable: true, inert: 'logging to syslog is not implemented (#18)' }),
  str('syslog-ident', 'redis', { immutable: true, inert: 'logging to syslog is not implemented (#18)' }),
  enm('syslog-facility', 'local0', ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], {
    immutable: true,
    inert: 'logging to syslog is not implemented (#18)',
  }),
  bool('crash-log-enabled', true, { apply: 'updateSighandlerEnabled', inert: 'redlua writes no Redis-style crash report' }),
  bool('crash-memcheck-enabled', true, { inert: 'redlua runs no memory test after a crash' }),
  bool('disable-thp', true, { immutable: true, inert: 'transparent huge pages are not managed by the Node.js process' }),
  bool('jemalloc-bg-thread', true, { apply: 'updateJemallocBgThread', inert: NO_JEMALLOC }),
  num('io-threads', 'int', 1n, 128n, 1n, { immutable: true, debug: true, inert: 'redlua serves every client on one event loop' }),
  bool('io-threads-do-reads', false, { immutable: true, debug: true, inert: 'redlua serves every client on one event loop' }),
  str('server_cpulist', '', { immutable: true, emptyIsNull: true, inert: AFFINITY }),
  str('bio_cpulist', '', { immutable: true, emptyIsNull: true, inert: AFFINITY }),
  str('aof_rewrite_cpulist', '', { immutable: true, emptyIsNull: true, inert: AFFINITY }),
  str('bgsave_cpulist', '', { immutable: true, emptyIsNull: true, inert: AFFINITY }),
  enm('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute'], { enumBits: [0, 1, 1, 2], apply: 'updateOOMScoreAdj', inert: 'redlua does not write /proc/self/oom_score_adj' }),
  special('oom-score-adj-values', '0 200 800', setOomValues, { multiArg: true, apply: 'updateOOMScoreAdj', inert: 'redlua does not write /proc/self/oom_score_adj' }),
  str('ignore-warnings', '', { inert: 'redlua emits none of the startup warnings this silences' }),
  enm('shutdown-on-sigint', 'default', SHUTDOWN_FLAGS, {
    enumBits: [0, 1, 2, 4, 8],
    multiArg: true,
    valid: shutdownFlagsValid,
  }),
  enm('shutdown-on-sigterm', 'default', SHUTDOWN_FLAGS, {
    enumBits: [0, 1, 2, 4, 8],
    multiArg: true,
    valid: shutdownFlagsValid,
  }),
  num('shutdown-timeout', 'int', 0n, INTMAX, 10n),
  num('hz', 'int', 0n, INTMAX, 10n, { cap: [1n, 500n], apply: 'updateHZ' }),
  bool('dynamic-hz', true, { inert: 'the server cron runs at hz; it is not scaled up with the number of clients' }),
  bool('activerehashing', true, { inert: 'redlua\'s keyspaces are JavaScript Maps, which have no incremental rehashing' }),
  num('active-expire-effort', 'int', 1n, 10n, 1n, { inert: 'the active expire cycle samples a fixed number of keys per run' }),
  enm('enable-debug-command', 'no', ['no', 'yes', 'local'], { immutable: true }),
  enm('enable-protected-configs', 'no', ['no', 'yes', 'local'], { immutable: true }),
  enm('enable-module-command', 'no', ['no', 'yes', 'local'], { immutable: true, inert: NO_MODULES }),

  // --- networking ---
  num('port', 'int', 0n, 65535n, 6379n, { apply: 'updatePort' }),
  special('bind', '* -::*', setBind, { multiArg: true, apply: 'applyBind', note: 'every address is listened on at start-up; CONFIG SET bind moves the main listener to the first address only' }),
  bool('protected-mode', true),
  num('tcp-backlog', 'int', 0n, INTMAX, 511n, { immutable: true }),
  num('tcp-keepalive', 'int', 0n, INTMAX, 300n),
  num('timeout', 'int', 0n, INTMAX, 0n),
  num('socket-mark-id', 'uint', 0n, UINTMAX, 0n, { immutable: true, inert: 'Node.js sockets cannot set SO_MARK' }),

  // --- clients and limits ---
  num('maxclients', 'uint', 1n, UINTMAX, 10000n, { apply: 'updateMaxclients' }),
  mem('proto-max-bulk-len', 'longlong', 1048576n, LLMAX, 536870912n, { debug: true }),
  mem('client-query-buffer-limit', 'size_t', 1048576n, LLMAX, 1073741824n, { debug: true }),
  special('client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', setOutputBufferLimit, { multiArg: true }),
  str('requirepass', '', { sensitive: true, emptyIsNull: true, apply: 'updateRequirePass' }),

  // --- scripting ---
  num('busy-reply-threshold', 'longlong', 0n, LLMAX, 5000n, { aliases: ['lua-time-limit'] }),
  bool('lua-enable-deprecated-api', false, { immutable: true, hidden: true }),

  // --- keyspace events and the slow log ---
  special('notify-keyspace-events', '', setNotify),
  num('slowlog-log-slower-than', 'longlong', -1n, LLMAX, 10000n),
  num('slowlog-max-len', 'ulong', 0n, LLMAX, 128n),

  // --- data structure encodings ---
  num('hash-max-listpack-entries', 'size_t', 0n, LLMAX, 512n, { aliases: ['hash-max-ziplist-entries'] }),
  mem('hash-max-listpack-value', 'size_t', 0n, LLMAX, 64n, { aliases: ['hash-max-ziplist-value'] }),
  num('list-max-listpack-size', 'int', INTMIN, INTMAX, -2n, { aliases: ['list-max-ziplist-size'], note: 'shapes the quicklist nodes DEBUG reports and DUMP writes' }),
  num('list-compress-depth', 'int', 0n, INTMAX, 0n, { debug: true, note: 'reported by DEBUG and written by DUMP; redlua does not LZF-compress list nodes in memory' }),
  num('set-max-intset-entries', 'size_t', 0n, LLMAX, 512n),
  num('zset-max-listpack-entries', 'size_t', 0n, LLMAX, 128n, { aliases: ['zset-max-ziplist-entries'] }),
  mem('zset-max-listpack-value', 'size_t', 0n, LLMAX, 64n, { aliases: ['zset-max-ziplist-value'] }),
  mem('stream-node-max-bytes', 'size_t', 0n, LLMAX, 4096n),
  num('stream-node-max-entries', 'longlong', 0n, LLMAX, 100n),
  mem('hll-sparse-max-bytes', 'size_t', 0n, LLMAX, 3000n),

  // --- active defragmentation (no jemalloc) ---
  bool('activedefrag', false, { debug: true, valid: v => (v === 'yes' ? 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution' : null), inert: DEFRAG }),
  num('active-defrag-cycle-min', 'int', 1n, 99n, 1n, { inert: DEFRAG }),
  num('active-defrag-cycle-max', 'int', 1n, 99n, 25n, { inert: DEFRAG }),
  num('active-defrag-threshold-lower', 'int', 0n, 1000n, 10n, { inert: DEFRAG }),
  num('active-defrag-threshold-upper', 'int', 0n, 1000n, 100n, { inert: DEFRAG }),
  num('active-defrag-max-scan-fields', 'ulong', 1n, LLMAX, 1000n, { inert: DEFRAG }),
  mem('active-defrag-ignore-bytes', 'size_t', 1n, LLMAX, 104857600n, { inert: DEFRAG }),

  // --- persistence (#15) ---
  special('dir', '', setDir, { protected: true, denyLoading: true, note: 'kept per server (files resolve against it) rather than by changing the process\'s working directory' }),
  str('dbfilename', 'dump.rdb', { protected: true, valid: baseName('dbfilename', 'filename') }),
  special('save', '3600 1 300 100 60 10000', setSave, { multiArg: true, note: 'an embedded server (startServer) has no save points unless save, dir or dbfilename is given' }),
  bool('rdbcompression', true),
  bool('rdbchecksum', true, { immutable: true }),
  bool('rdb-del-sync-files', false, { inert: 'redlua has no replica-only sync files to delete (no diskless sync from disk)' }),
  bool('rdb-save-incremental-fsync', true),
  bool('stop-writes-on-bgsave-error', true),
  enm('sanitize-dump-payload', 'no', ['no', 'yes', 'clients'], { debug: true, note: 'counts sanitizations as Redis does, but payloads are always validated in full' }),
  num('rdb-key-save-delay', 'int', INTMIN, INTMAX, 0n, { hidden: true }),
  num('key-load-delay', 'int', INTMIN, INTMAX, 0n, { hidden: true }),
  num('loading-process-events-interval-bytes', 'off_t', 1024n, INTMAX, 2097152n, { hidden: true, inert: 'loading is synchronous: no clients are served while a file loads' }),

  // --- append-only file (#16) ---
  bool('appendonly', false, { denyLoading: true, apply: 'updateAppendonly' }),
  str('appendfilename', 'appendonly.aof', { immutable: true, valid: nonEmptyBaseName('appendfilename', 'filename') }),
  str('appenddirname', 'appendonlydir', { immutable: true, valid: nonEmptyBaseName('appenddirname', 'dirname') }),
  enm('appendfsync', 'everysec', ['everysec', 'always', 'no']),
  bool('no-appendfsync-on-rewrite', false),
  bool('aof-rewrite-incremental-fsync', true, { inert: 'the AOF BASE is written with one write and one fsync' }),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  bool('aof-disable-auto-gc', false, { apply: 'updateAofAutoGCEnabled' }),
  num('auto-aof-rewrite-percentage', 'int', 0n, INTMAX, 100n),
  mem('auto-aof-rewrite-min-size', 'off_t', 0n, LLMAX, 67108864n),
  enm('propagation-error-behavior', 'ignore', ['ignore', 'panic', 'panic-on-replicas'], { inert: 'a command from the master link or the AOF that fails is always ignored, as with ignore; the panic modes are not applied (#16)' }),

  // --- replication (#16) ---
  special('replicaof', '', setReplicaOf, { aliases: ['slaveof'], immutable: true, multiArg: true }),
  str('masteruser', '', { sensitive: true, emptyIsNull: true }),
  str('masterauth', '', { sensitive: true, emptyIsNull: true }),
  bool('replica-read-only', true, { aliases: ['slave-read-only'], debug: true }),
  bool('replica-serve-stale-data', true, { aliases: ['slave-serve-stale-data'] }),
  bool('replica-lazy-flush', false, { aliases: ['slave-lazy-flush'], inert: LAZYFREE }),
  bool('replica-ignore-maxmemory', true, { aliases: ['slave-ignore-maxmemory'], note: 'a replica neither evicts nor answers OOM' }),
  bool('replica-announced', true, { note: 'reported in INFO (replica_announced); redlua has no Sentinel to read it' }),
  bool('replica-ignore-disk-write-errors', false, { inert: 'a replica whose RDB or AOF write fails goes on applying the master\'s stream, as with yes: it is never stopped for it (#16)' }),
  str('replica-announce-ip', '', { aliases: ['slave-announce-ip'], emptyIsNull: true, inert: 'a replica does not send REPLCONF ip-address: the master lists it by its connection address (#16)' }),
  num('replica-announce-port', 'int', 0n, 65535n, 0n, { aliases: ['slave-announce-port'] }),
  num('replica-priority', 'int', 0n, INTMAX, 100n, { aliases: ['slave-priority'], note: 'reported in INFO (slave_priority); redlua has no Sentinel to read it' }),
  str('bind-source-addr', '', { emptyIsNull: true, inert: 'the connection to the master is made from the address the OS picks (#16)' }),
  bool('repl-disable-tcp-nodelay', false, { inert: 'Node.js sockets keep TCP_NODELAY on; the replication stream is not batched (#16)' }),
  bool('repl-diskless-sync', true, { debug: true, note: 'yes sends an EOF-marked RDB to replicas that announce capa eof, no the $<len> form; the RDB is built in memory either way' }),
  num('repl-diskless-sync-delay', 'int', 0n, INTMAX, 5n, { note: DISKLESS_WAIT }),
  num('repl-diskless-sync-max-replicas', 'int', 0n, INTMAX, 0n, { note: DISKLESS_WAIT }),
  enm('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb'], { debug: true, denyLoading: true, inert: 'a replica always receives the whole RDB in memory, then loads it (#16)' }),
  num('repl-timeout', 'int', 1n, INTMAX, 60n),
  num('repl-ping-replica-period', 'int', 1n, INTMAX, 10n, { aliases: ['repl-ping-slave-period'] }),
  mem('repl-backlog-size', 'longlong', 1n, LLMAX, 1048576n, { cap: [16384n, LLMAX], apply: 'updateReplBacklogSize' }),
  num('repl-backlog-ttl', 'time_t', 0n, LLMAX, 3600n),
  num('min-replicas-to-write', 'int', 0n, INTMAX, 0n, { aliases: ['min-slaves-to-write'], apply: 'updateGoodSlaves' }),
  num('min-replicas-max-lag', 'int', 0n, INTMAX, 10n, { aliases: ['min-slaves-max-lag'], apply: 'updateGoodSlaves' }),

  // --- ACL, TLS and Unix sockets (#17) ---
  str('aclfile', '', { immutable: true }),
  num('acllog-max-len', 'ulong', 0n, LLMAX, 128n),
  enm('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels'], { enumBits: [1, 0] }),
  str('unixsocket', '', { immutable: true, emptyIsNull: true }),
  num('unixsocketperm', 'uint', 0n, 0o777n, 0n, { immutable: true, octal: true }),
  num('tls-port', 'int', 0n, 65535n, 0n, { apply: 'applyTLSPort' }),
  num('tls-session-cache-size', 'int', 0n, INTMAX, 20480n, { apply: 'applyTlsCfg', inert: 'node:tls does not expose the session cache size' }),
  num('tls-session-cache-timeout', 'int', 0n, INTMAX, 300n, { apply: 'applyTlsCfg' }),
  bool('tls-cluster', false, { apply: 'applyTlsCfg', note: 'yes is refused: redlua has no cluster bus (#20)' }),
  bool('tls-replication', false, { apply: 'applyTlsCfg', note: 'yes is refused: replication links are plain TCP in redlua' }),
  enm('tls-auth-clients', 'yes', ['no', 'yes', 'optional']),
  bool('tls-prefer-server-ciphers', false, { apply: 'applyTlsCfg' }),
  bool('tls-session-caching', true, { apply: 'applyTlsCfg' }),
  ...['tls-cert-file', 'tls-key-file', 'tls-key-file-pass', 'tls-client-cert-file', 'tls-client-key-file', 'tls-client-key-file-pass', 'tls-dh-params-file', 'tls-ca-cert-file', 'tls-ca-cert-dir', 'tls-protocols', 'tls-ciphers', 'tls-ciphersuites'].map(n =>
    str(n, '', { emptyIsNull: true, apply: 'applyTlsCfg', ...(n.startsWith('tls-client-') ? { inert: 'redlua makes no outgoing TLS connections' } : {}) }),
  ),

  // --- memory, eviction, lazy freeing and client-side caching (#19) ---
  mem('maxmemory', 'ulonglong', 0n, ULLMAX, 0n, { apply: 'updateMaxmemory', note: 'used_memory is a model of Redis\'s own allocations (docs/MEMORY.md), not the V8 heap' }),
  enm('maxmemory-policy', 'noeviction', ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'], {
    note: 'the sampled eviction pool of evict.c; samples are taken in turn from each db\'s key order rather than at random (docs/MEMORY.md)',
  }),
  num('maxmemory-samples', 'int', 1n, INTMAX, 5n),
  num('maxmemory-eviction-tenacity', 'int', 0n, 100n, 10n),
  mem('maxmemory-clients', 'ssize_t', -100n, LLMAX, 0n, { percent: true, apply: 'applyClientMaxMemoryUsage', note: 'the client using the most memory is closed first (Redis evicts by memory buckets)' }),
  num('lfu-log-factor', 'int', 0n, INTMAX, 10n),
  num('lfu-decay-time', 'int', 0n, INTMAX, 1n),
  bool('lazyfree-lazy-eviction', false, { debug: true, note: 'chooses DEL or UNLINK in the propagated stream; memory is freed at once either way' }),
  bool('lazyfree-lazy-expire', false, { debug: true, note: 'chooses DEL or UNLINK in the propagated stream; memory is freed at once either way' }),
  bool('lazyfree-lazy-server-del', false, { debug: true, inert: LAZYFREE }),
  bool('lazyfree-lazy-user-del', false, { debug: true, note: 'chooses DEL or UNLINK in the propagated stream; memory is freed at once either way' }),
  bool('lazyfree-lazy-user-flush', false, { debug: true, inert: LAZYFREE }),
  num('tracking-table-max-keys', 'size_t', 0n, LLMAX, 1000000n, { note: 'over the limit the oldest tracked keys are forgotten first (Redis walks its table at random)' }),

  // --- latency monitor and tracking (#18) ---
  num('latency-monitor-threshold', 'longlong', 0n, LLMAX, 0n),
  bool('latency-tracking', true, { note: 'INFO latencystats follows it' }),
  special('latency-tracking-info-percentiles', '50 99 99.9', setPercentiles, { multiArg: true }),
  num('watchdog-period', 'int', 0n, INTMAX, 0n, { hidden: true, apply: 'updateWatchdogPeriod', inert: 'redlua has no software watchdog' }),
  bool('use-exit-on-panic', false, { hidden: true, inert: 'redlua has no Redis-style panic' }),

  // --- cluster (#20) ---
  bool('cluster-enabled', false, { immutable: true, inert: CLUSTER }),
  str('cluster-config-file', 'nodes.conf', { immutable: true, inert: CLUSTER }),
  num('cluster-port', 'int', 0n, 65535n, 0n, { immutable: true, inert: CLUSTER }),
  str('cluster-announce-ip', '', { emptyIsNull: true, apply: 'updateClusterIp', inert: CLUSTER }),
  str('cluster-announce-hostname', '', { emptyIsNull: true, valid: validHostname, apply: 'updateClusterHostname', inert: CLUSTER }),
  num('cluster-announce-port', 'int', 0n, 65535n, 0n, { apply: 'updateClusterAnnouncedPort', inert: CLUSTER }),
  num('cluster-announce-bus-port', 'int', 0n, 65535n, 0n, { apply: 'updateClusterAnnouncedPort', inert: CLUSTER }),
  num('cluster-announce-tls-port', 'int', 0n, 65535n, 0n, { apply: 'updateClusterAnnouncedPort', inert: CLUSTER }),
  enm('cluster-preferred-endpoint-type', 'ip', ['ip', 'hostname', 'unknown-endpoint'], { inert: CLUSTER }),
  bool('cluster-require-full-coverage', true, { inert: CLUSTER }),
  bool('cluster-replica-no-failover', false, { aliases: ['cluster-slave-no-failover'], apply: 'updateClusterFlags', inert: CLUSTER }),
  num('cluster-replica-validity-factor', 'int', 0n, INTMAX, 10n, { aliases: ['cluster-slave-validity-factor'], inert: CLUSTER }),
  bool('cluster-allow-reads-when-down', false, { inert: CLUSTER }),
  bool('cluster-allow-pubsubshard-when-down', true, { inert: CLUSTER }),
  bool('cluster-allow-replica-migration', true, { inert: CLUSTER }),
  num('cluster-migration-barrier', 'int', 0n, INTMAX, 1n, { inert: CLUSTER }),
  num('cluster-node-timeout', 'longlong', 0n, LLMAX, 15000n, { inert: CLUSTER }),
  mem('cluster-link-sendbuf-limit', 'ulonglong', 0n, ULLMAX, 0n, { inert: CLUSTER }),
];

function shutdownFlagsValid(v: string): string | null {
  const f = v.split(' ');
  return f.includes('save') && f.includes('nosave') ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null;
}
