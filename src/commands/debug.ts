// DEBUG: the subset test suites use, with DIGEST/OBJECT/POPULATE/HTSTATS... bit-exact with Redis (Redis: debug.c).
import { createHash } from 'node:crypto';
import { sleepSync } from '../util/sleep.js';
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { E } from '../errors.js';
import { eqi } from '../util/parse.js';
import { formatG } from '../protocol/numfmt.js';
import { stringEncoding, isSharedInteger, OBJ_SHARED_REFCOUNT, newString, ownedStrValue, strBytes, strLen } from '../store/strings.js';
import { memtoull } from '../server/config.js';
import { rewriteConfigFile } from '../server/config-rewrite.js';
import { strerror } from '../server/config-table.js';
import { U64_MAX, type Stream } from '../store/stream.js';
import { objectEncoding } from './keys.js';
import { getLongLongOrReply, getPositiveLongOrReply } from './args.js';
import type { Db, RObj } from '../store/db.js';
import { keyStr, objectIdleMs } from '../store/db.js';
import { replyHelp, subcommandSyntaxError, stateOf, cstr, emptyDb } from './server-common.js';
import { elementsOf, lpEntrySize, jemallocSize, sdsAlloc } from './memory-cmd.js';
import { serializedLength } from '../persistence/rdb-object.js';
import { serverObjectOpts } from '../persistence/payload.js';

// ---------------------------------------------------------------------------------------------------------------
// DEBUG (the subset test suites use)

const DEBUG_HELP = [
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'MALLCTL <key> [<val>]',
  '    Get or set a malloc tuning integer.',
  'MALLCTL-STR <key> [<val>]',
  '    Get or set a malloc tuning string.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Enables or disables checksum checks for RDB files and RESTORE\'s payload.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different Redis core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
];

/** atoi: leading whitespace, optional sign, digits; anything else stops (0 if none). */
function atoi(b: Buffer): number {
  const m = /^\s*([+-]?\d+)/.exec(b.toString('latin1'));
  return m ? Number(m[1]) | 0 : 0;
}

/** A stable fake address per object, for "Value at:0x…". */
const addrs = new WeakMap<object, string>();
let nextAddr = 0x7f0000100000;
function objAddr(o: object): string {
  let a = addrs.get(o);
  if (!a) {
    a = '0x' + nextAddr.toString(16);
    nextAddr += 0x40;
    addrs.set(o, a);
  }
  return a;
}

// ---- DEBUG DIGEST / DIGEST-VALUE (debug.c xorDigest/mixDigest/xorObjectDigest, bit-exact) ----

function sha1(data: Uint8Array): Buffer {
  return createHash('sha1').update(data).digest();
}

function xorDigest(digest: Buffer, data: Uint8Array): void {
  const h = sha1(data);
  for (let j = 0; j < 20; j++) digest[j] ^= h[j];
}

function mixDigest(digest: Buffer, data: Uint8Array): void {
  xorDigest(digest, data);
  sha1(digest).copy(digest);
}

const TYPE_CODE: Record<string, number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 };
const EXPIRE_MARK = Buffer.from('!!expire!!');

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

const lat = (x: Buffer | string): Buffer => (typeof x === 'string' ? Buffer.from(x, 'latin1') : x);

function xorObjectDigest(db: Db, key: string, digest: Buffer, o: RObj): void {
  mixDigest(digest, u32be(TYPE_CODE[o.type] ?? 5));
  if (o.type === 'string') mixDigest(digest, strBytes(o));
  else if (o.type === 'list' || o.type === 'set') {
    const els = elementsOf(o);
    for (const e of els.sample(els.n)) (o.type === 'list' ? mixDigest : xorDigest)(digest, lat(e.a));
  } else if (o.type === 'zset' || o.type === 'hash') {
    const els = elementsOf(o);
    for (const e of els.sample(els.n)) {
      const ed = Buffer.alloc(20);
      mixDigest(ed, lat(e.a));
      mixDigest(ed, typeof e.b === 'number' ? Buffer.from(formatG(e.b, 17)) : lat(e.b as Buffer | string));
      xorDigest(digest, ed);
    }
  } else if (o.type === 'stream') {
    // every live entry in ID order: "ms.seq", then its fields and values
    (o.value as Stream).range(0, 0, U64_MAX, U64_MAX, false, e => {
      mixDigest(digest, Buffer.from(`${e.ms}.${e.seq}`));
      for (const f of e.fv()) mixDigest(digest, f);
      return true;
    });
  }
  if (db.expires.has(key)) xorDigest(digest, EXPIRE_MARK);
}

function computeDatasetDigest(s: Server): Buffer {
  const final = Buffer.alloc(20);
  for (const db of s.dbs) {
    if (db.dict.size === 0) continue;
    mixDigest(final, u32be(db.id));
    for (const [key, o] of db.dict) {
      const d = Buffer.alloc(20);
      mixDigest(d, Buffer.from(key, 'latin1'));
      xorObjectDigest(db, key, d, o);
      xorDigest(final, d);
    }
  }
  return final;
}

function debugObject(c: Client, argv: Buffer[]): void {
  const o = c.db.dict.get(keyStr(argv[2]));
  if (o === undefined) {
    c.reply.error(E.NOKEY);
    return;
  }
  const enc = objectEncoding(o);
  const refcount = isSharedInteger(c, o) ? OBJ_SHARED_REFCOUNT : 1;
  let extra = '';
  if (enc === 'quicklist') {
    const els = elementsOf(o);
    let bytes = 0;
    for (const e of els.sample(els.n)) bytes += lpEntrySize(e.a);
    const nodes = Math.max(1, Math.ceil(bytes / 8192));
    const cfg = c.server.config;
    extra =
      ` ql_nodes:${nodes} ql_avg_node:${(els.n / nodes).toFixed(2)} ql_listpack_max:${cfg.num('list-max-listpack-size')}` +
      ` ql_compressed:${cfg.num('list-compress-depth') !== 0 ? 1 : 0} ql_uncompressed_size:${Math.round(6 + bytes / nodes + 1) * nodes}`;
  }
  const lru = o.lru;
  const idle = Math.floor(objectIdleMs(c.server, o) / 1000);
  c.reply.simple(
    `Value at:${objAddr(o)} refcount:${refcount} encoding:${enc} serializedlength:${serializedLength(o, { ...serverObjectOpts(c.server), compress: c.server.config.bool('rdbcompression') })} lru:${lru} lru_seconds_idle:${idle}${extra}`,
  );
}

function debugProtocol(c: Client, argv: Buffer[]): void {
  const r = c.reply;
  const name = argv[2].toString('latin1').toLowerCase();
  switch (name) {
    case 'string':
      return r.bulkStr('Hello World');
    case 'integer':
      return r.int(12345);
    case 'double':
      return r.double(3.141);
    case 'bignum':
      return r.bigNumber('1234567999999999999999999999999999999');
    case 'null':
      return r.null();
    case 'array':
      r.arrayLen(3);
      for (let j = 0; j < 3; j++) r.int(j);
      return;
    case 'set':
      r.setLen(3);
      for (let j = 0; j < 3; j++) r.int(j);
      return;
    case 'map':
      r.mapLen(3);
      for (let j = 0; j < 3; j++) {
        r.int(j);
        r.bool(j === 1);
      }
      return;
    case 'attrib':
      if (c.resp >= 3) {
        r.attributeLen(1);
        r.bulkStr('key-popularity');
        r.arrayLen(2);
        r.bulkStr('key:123');
        r.int(90);
      }
      return r.bulkStr('Some real reply following the attribute');
    case 'push':
      if (c.resp < 3) return r.error(E.DEBUG_RESP2);
      {
        const p = r.pushSink(); // CLIENT_PUSHING: the push passes CLIENT REPLY OFF
        p.pushLen(2);
        p.bulkStr('server-cpu-usage');
        p.int(42);
      }
      return r.bulkStr('Some real reply following the push reply');
    case 'true':
      return r.bool(true);
    case 'false':
      return r.bool(false);
    case 'verbatim':
      return r.verbatim('This is a verbatim\nstring');
  }
  r.error(E.DEBUG_PROTOCOL_TYPE);
}

const CRLF = Buffer.from('\r\n');

/** DEBUG POPULATE count [prefix] [size]: "prefix:N" = "value:N" (padded with NULs / cut to size), existing keys kept. */
function debugPopulate(c: Client, argv: Buffer[]): void {
  const count = getPositiveLongOrReply(c, argv[2]);
  if (count === null) return;
  let size = 0;
  if (argv.length === 5) {
    const v = getPositiveLongOrReply(c, argv[4]);
    if (v === null) return;
    size = v;
  }
  const prefix = argv.length >= 4 ? cstr(argv[3]) : 'key';
  const db = c.db;
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`;
    if (db.lookupWrite(key) !== undefined) continue;
    const text = Buffer.from(`value:${j}`);
    let value: Buffer;
    if (size === 0) value = text;
    else {
      value = Buffer.alloc(size);
      text.copy(value, 0, 0, Math.min(size, text.length));
    }
    db.add(key, newString(ownedStrValue(value)));
    c.server.keyModified(db, key);
  }
  c.reply.ok();
}

/** DEBUG SDSLEN: the sds sizes of a key and its string value, with the allocation model of MEMORY USAGE. */
function debugSdslen(c: Client, argv: Buffer[]): void {
  const key = keyStr(argv[2]);
  const o = c.db.dict.get(key);
  if (!o) return c.reply.error(E.NOKEY);
  if (o.type !== 'string' || stringEncoding(o) === 'int') return c.reply.error(E.DEBUG_NOT_SDS);
  const len = strLen(o);
  const enc = stringEncoding(o);
  let avail = 0;
  let used: number;
  if (enc === 'embstr') used = jemallocSize(16 + 3 + len + 1) - 16;
  else {
    const cap = o.enc === 'raw' ? (len < 1024 * 1024 ? len * 2 : len + 1024 * 1024) : len;
    used = sdsAlloc(cap);
    const hdr = cap < 256 ? 3 : cap < 65536 ? 5 : 9;
    avail = used - hdr - 1 - len;
  }
  c.reply.simple(
    `key_sds_len:${key.length}, key_sds_avail:0, key_zmalloc: ${sdsAlloc(key.length, true)}, ` +
      `val_sds_len:${len}, val_sds_avail:${avail}, val_zmalloc: ${used}`,
  );
}

/**
 * dictGetStats for a dict of `keys` (DEBUG HTSTATS / HTSTATS-KEY). redlua's Maps have no buckets: the report is for
 * the table Redis would have (DICT_HT_INITIAL_SIZE 4, doubling when full), with keys placed by an FNV-1a hash standing
 * in for the seeded siphash, so slot counts and chain lengths are plausible, not Redis's.
 */
function dictStats(keys: Iterable<string>, n: number): string {
  if (n === 0) return 'Hash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n';
  let size = 4;
  while (size < n) size *= 2;
  const chains = new Uint32Array(size);
  for (const k of keys) {
    let h = 0x811c9dc5;
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
    chains[(h >>> 0) & (size - 1)]++;
  }
  const vec = new Array<number>(50).fill(0);
  let slots = 0;
  let maxChain = 0;
  let tot = 0;
  for (const len of chains) {
    if (len === 0) {
      vec[0]++;
      continue;
    }
    slots++;
    vec[Math.min(len, 49)]++;
    if (len > maxChain) maxChain = len;
    tot += len;
  }
  let out =
    `Hash table 0 stats (main hash table):\n table size: ${size}\n number of elements: ${n}\n different slots: ${slots}\n` +
    ` max chain length: ${maxChain}\n avg chain length (counted): ${(tot / slots).toFixed(2)}\n` +
    ` avg chain length (computed): ${(n / slots).toFixed(2)}\n Chain length distribution:\n`;
  for (let i = 0; i < 49; i++) if (vec[i]) out += `   ${i}: ${vec[i]} (${((vec[i] / size) * 100).toFixed(2)}%)\n`;
  return out.length > 4095 ? out.slice(0, 4095) : out;
}

function debugHtstats(c: Client, argv: Buffer[]): void {
  const id = getLongLongOrReply(c, argv[2]);
  if (id === null) return;
  if (id < 0 || id >= c.server.dbs.length) return c.reply.error(E.DEBUG_DB_RANGE);
  const db = c.server.dbs[id];
  c.reply.verbatim(
    Buffer.from(`[Dictionary HT]\n${dictStats(db.dict.keys(), db.dict.size)}[Expires HT]\n${dictStats(db.expires.keys(), db.expires.size)}`, 'latin1'),
  );
}

function debugHtstatsKey(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[2]));
  if (!o) return c.reply.error(E.NOKEY);
  const enc = objectEncoding(o);
  if (enc !== 'hashtable' && enc !== 'skiplist') {
    return c.reply.error(E.DEBUG_NOT_HASHTABLE);
  }
  const els = elementsOf(o);
  const keys = els.sample(els.n).map(e => (typeof e.a === 'string' ? e.a : e.a.toString('latin1')));
  c.reply.verbatim(Buffer.from(dictStats(keys, els.n), 'latin1'));
}

export function debugCommand(c: Client, argv: Buffer[]): void {
  const s = c.server;
  const sub = argv[1].toString('latin1').toLowerCase();
  const n = argv.length;
  switch (sub) {
    case 'help':
      if (n === 2) return replyHelp(c, argv, DEBUG_HELP);
      break;
    case 'object':
      if (n === 3) return debugObject(c, argv);
      break;
    case 'protocol':
      if (n === 3) return debugProtocol(c, argv);
      break;
    case 'digest':
      if (n === 2) return c.reply.simple(computeDatasetDigest(s).toString('hex'));
      break;
    case 'digest-value': {
      // like Redis, no lookupKey: logically expired keys are digested too
      c.reply.arrayLen(n - 2);
      for (let j = 2; j < n; j++) {
        const d = Buffer.alloc(20);
        const key = keyStr(argv[j]);
        const o = c.db.dict.get(key);
        if (o) xorObjectDigest(c.db, key, d, o);
        c.reply.simple(d.toString('hex'));
      }
      return;
    }
    case 'sleep':
      if (n === 3) {
        // Like Redis's nanosleep: the whole server stops (no other client is served meanwhile).
        const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(argv[2].toString('latin1'));
        const secs = m ? Number(m[0]) : 0;
        const ms = Math.floor(secs * 1e6) / 1000;
        sleepSync(ms);
        return c.reply.ok();
      }
      break;
    case 'config-rewrite-force-all':
      if (n !== 2) break;
      if (s.config.configFile === null) return c.reply.error(E.CONFIG_NO_FILE);
      try {
        rewriteConfigFile(s.config, s.config.configFile, true);
      } catch (ex) {
        return c.reply.error(E.debugRewriteFailed(strerror(ex)));
      }
      return c.reply.ok();
    case 'set-active-expire':
      if (n === 3) {
        s.activeExpireEnabled = atoi(argv[2]) !== 0;
        return c.reply.ok();
      }
      break;
    case 'set-disable-deny-scripts':
      if (n === 3) {
        s.disableDenyScripts = atoi(argv[2]) !== 0;
        return c.reply.ok();
      }
      break;
    case 'reload': {
      // save (unless NOSAVE), empty the dataset (unless NOFLUSH), load dir/dbfilename back (MERGE: loaded keys win)
      let save = true;
      let flush = true;
      let merge = false;
      for (let j = 2; j < n; j++) {
        const opt = argv[j];
        if (eqi(opt, 'merge')) merge = true;
        else if (eqi(opt, 'noflush')) flush = false;
        else if (eqi(opt, 'nosave')) save = false;
        else return c.reply.error(E.DEBUG_RELOAD_OPTIONS);
      }
      const p = s.persistence;
      if (save && !p.saveSync()) return c.reply.error(E.GENERIC_ERR);
      let r: 'ok' | 'missing';
      try {
        r = p.loadFile({ merge, flush });
      } catch {
        return c.reply.error(E.DEBUG_RELOAD_LOAD);
      }
      if (r === 'missing') return c.reply.error(E.DEBUG_RELOAD_LOAD);
      if (flush) for (const db of s.dbs) s.watch.touchAllInDb(db);
      s.log.warning('DB reloaded by DEBUG RELOAD');
      return c.reply.ok();
    }
    case 'loadaof': {
      // flush the AOF, empty the dataset and load it back from the AOF directory (src/persistence/aof.ts)
      if (s.aof.state !== 0) s.aof.flush(true);
      for (const db of s.dbs) emptyDb(s, db);
      if (!s.aof.debugLoad()) {
        s.log.warning('Loading the append only file failed by DEBUG LOADAOF');
        s.fatalExit();
        return c.reply.error(E.AOF_LOAD_FAILED);
      }
      s.dirty = 0;
      s.log.warning('Append Only File loaded by DEBUG LOADAOF');
      return c.reply.ok();
    }
    case 'change-repl-id':
      if (n === 2) {
        s.log.warning('Changing replication IDs after receiving DEBUG change-repl-id');
        return c.reply.ok();
      }
      break;
    case 'aof-flush-sleep':
      if (n === 3) {
        // flushAppendOnlyFile sleeps this long before each write of a non-empty buffer
        s.aof.flushSleepUs = atoi(argv[2]);
        return c.reply.ok();
      }
      break;
    case 'set-skip-checksum-validation':
      if (n === 3) {
        s.skipChecksumValidation = atoi(argv[2]) !== 0;
        return c.reply.ok();
      }
      break;
    case 'log':
      if (n === 3) {
        s.log.warning(`DEBUG LOG: ${argv[2].toString('latin1')}`);
        return c.reply.ok();
      }
      break;
    case 'error':
      // written raw: "-" + the text (CR/LF mapped to spaces), not counted as an error reply
      if (n === 3) return c.reply.raw(Buffer.concat([Buffer.from('-'), Buffer.from(argv[2].toString('latin1').replace(/[\r\n]/g, ' '), 'latin1'), CRLF]));
      break;
    case 'quicklist-packed-threshold':
      if (n === 3) {
        const v = memtoull(argv[2].toString('latin1'));
        if (v === null || v > 2 ** 32 - 2 ** 20) return c.reply.error(E.DEBUG_MEMORY_VALUE);
        return c.reply.ok();
      }
      break;
    case 'pause-cron':
      if (n === 3) {
        s.cronPaused = atoi(argv[2]) !== 0;
        return c.reply.ok();
      }
      break;
    case 'leak':
      if (n === 3) return c.reply.ok();
      break;
    case 'replybuffer':
      if (n === 4) {
        if (eqi(argv[2], 'peak-reset-time') || eqi(argv[2], 'resizing')) return c.reply.ok();
        return subcommandSyntaxError(c, argv);
      }
      break;
    case 'segfault':
      // "Crash the server with sigsegv": the CLI's handler logs Redis's crash report, then the process dies by SIGSEGV
      if (n === 2) return void process.kill(process.pid, 'SIGSEGV');
      break;
    case 'stringmatch-test':
      if (n === 2) return c.reply.simple('Apparently Redis did not crash: test passed');
      break;
    case 'htstats':
      if (n === 3) return debugHtstats(c, argv);
      break;
    case 'htstats-key':
      if (n === 3) return debugHtstatsKey(c, argv);
      break;
    case 'structsize':
      if (n === 2) return c.reply.bulkStr('bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 ');
      break;
    case 'populate':
      if (n >= 3 && n <= 5) return debugPopulate(c, argv);
      break;
    case 'sdslen':
      if (n === 3) return debugSdslen(c, argv);
      break;
    case 'listpack':
    case 'quicklist': {
      if (n === 3 || (sub === 'quicklist' && n === 4)) {
        const o = c.db.lookupRead(keyStr(argv[2]));
        if (!o) return c.reply.error(E.NOKEY);
        const enc = objectEncoding(o);
        if (sub === 'listpack') {
          if (enc !== 'listpack') return c.reply.error(E.DEBUG_NOT_LISTPACK);
          return c.reply.simple('Listpack structure printed on stdout');
        }
        if (enc !== 'quicklist') return c.reply.error(E.DEBUG_NOT_QUICKLIST);
        return c.reply.simple('Quicklist structure printed on stdout');
      }
      break;
    }
  }
  subcommandSyntaxError(c, argv);
}

export const handlers: Record<string, Handler> = {
  debug: debugCommand,
};
