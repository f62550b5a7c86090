// RDB files as a whole: header, AUX fields, function libraries, databases, EOF and the CRC64 trailer, written and
// read as Redis 7.0.15 does (Redis: rdb.c rdbSaveRio, rdbSaveDb, rdbSaveKeyValuePair, rdbLoadRioWithLoadingCtx).
// The object payloads themselves come from rdb-object.ts; this file only frames them.
import type { Server } from '../server/server.js';
import type { RObj } from '../store/db.js';
import { objectIdleMs } from '../store/db.js';
import type { Library, FunctionEntry } from '../scripting/index.js';
import { RdbWriter, RdbReader, RdbError, RDB_OPCODE, RDB_VERSION, rdbIsObjectType } from './rdb-io.js';
import { Crc64 } from './crc64.js';
import { saveObjectType, saveObject, loadObject, EmptyKeyError, type ObjectOpts } from './rdb-object.js';
import { serverObjectOpts } from './payload.js';
import { lfuDecrAndReturn, setLruOrLfu, lfuMinutes, LFU_INIT_VAL } from '../server/lfu.js';

export const REDIS_VERSION_TEXT = '7.0.15';

/** Which usage information a key carries (maxmemory-policy: LRU policies save IDLE, LFU policies FREQ). */
export const enum KeyMeta {
  NONE = 0,
  IDLE = 1,
  FREQ = 2,
}

export function keyMetaOf(s: Server): KeyMeta {
  const p = s.config.get('maxmemory-policy');
  return p.includes('lru') ? KeyMeta.IDLE : p.includes('lfu') ? KeyMeta.FREQ : KeyMeta.NONE;
}

/** rdbSaveKeyValuePair: EXPIRETIME_MS, IDLE or FREQ, then the type, the key and the value. */
export function saveKeyValue(w: RdbWriter, s: Server, key: string, o: RObj, expire: number | undefined, meta: KeyMeta, opts: ObjectOpts): void {
  if (expire !== undefined) {
    w.saveType(RDB_OPCODE.EXPIRETIME_MS);
    w.saveMillis(expire);
  }
  if (meta === KeyMeta.IDLE) {
    w.saveType(RDB_OPCODE.IDLE);
    w.saveLen(Math.floor(objectIdleMs(s, o) / 1000));
  } else if (meta === KeyMeta.FREQ) {
    w.saveType(RDB_OPCODE.FREQ);
    w.u8(lfuDecrAndReturn(s.hot, o.lru));
  }
  saveObjectType(w, o);
  w.saveString(key);
  saveObject(w, o, opts);
}

function auxField(w: RdbWriter, key: string, val: string): void {
  w.saveType(RDB_OPCODE.AUX);
  w.saveString(key);
  w.saveString(val);
}

/**
 * The magic, rdbSaveInfoAuxFields (a master without a replication backlog writes no repl-* fields, as
 * rdbPopulateSaveInfo returns NULL then) and rdbSaveFunctions.
 */
export function writeHeader(w: RdbWriter, s: Server, libraries: Iterable<Library>): void {
  w.raw(Buffer.from(`REDIS${String(RDB_VERSION).padStart(4, '0')}`, 'latin1'));
  auxField(w, 'redis-ver', REDIS_VERSION_TEXT);
  auxField(w, 'redis-bits', '64');
  auxField(w, 'ctime', String(Math.floor(Date.now() / 1000)));
  auxField(w, 'used-mem', String(s.memory.used()));
  auxField(w, 'aof-base', '0');
  for (const lib of libraries) {
    w.saveType(RDB_OPCODE.FUNCTION2);
    w.saveString(lib.code);
  }
}

/** SELECTDB + RESIZEDB, written before the first key of a non-empty database. */
export function writeDbHeader(w: RdbWriter, dbid: number, size: number, expires: number): void {
  w.saveType(RDB_OPCODE.SELECTDB);
  w.saveLen(dbid);
  w.saveType(RDB_OPCODE.RESIZEDB);
  w.saveLen(size);
  w.saveLen(expires);
}

/**
 * Bytes of an RDB file on their way out: the writer is drained into `sink` whenever it grows past `chunk`, the CRC64
 * is kept over everything written (rdbchecksum), and `finish` appends EOF and the trailer.
 */
export class RdbStream {
  readonly w: RdbWriter;
  readonly crc: Crc64 | null;
  written = 0;

  constructor(
    compress: boolean,
    checksum: boolean,
    private readonly sink: (b: Buffer) => void,
    private readonly chunk = 1 << 20,
  ) {
    this.w = new RdbWriter(compress, chunk + (chunk >> 2));
    this.crc = checksum ? new Crc64() : null;
  }

  /** Hands the buffered bytes to the sink once there are enough of them (`force`: whatever there is). */
  drain(force = false): void {
    const w = this.w;
    if (w.length === 0 || (!force && w.length < this.chunk)) return;
    const out = Buffer.from(w.result());
    this.crc?.update(out);
    this.written += out.length;
    w.reset();
    this.sink(out);
  }

  /** EOF opcode and the CRC64 trailer (zero with rdbchecksum no). */
  finish(): void {
    this.w.saveType(RDB_OPCODE.EOF);
    this.drain(true);
    const t = Buffer.alloc(8);
    this.crc?.writeLE(t, 0);
    this.written += 8;
    this.sink(t);
  }
}

/** The whole dataset, synchronously (rdbSaveRio): what SAVE, SHUTDOWN and DEBUG RELOAD write. */
export function saveDataset(s: Server, out: RdbStream, keyDelay: () => void): number {
  const w = out.w;
  writeHeader(w, s, s.scripting.libraries.values());
  const meta = keyMetaOf(s);
  const opts = serverObjectOpts(s);
  let keys = 0;
  for (const db of s.dbs) {
    if (db.dict.size === 0) continue;
    writeDbHeader(w, db.id, db.dict.size, db.expires.size);
    const expires = db.expires;
    const anyExpires = expires.size !== 0;
    for (const [key, o] of db.dict) {
      saveKeyValue(w, s, key, o, anyExpires ? expires.get(key) : undefined, meta, opts);
      keys++;
      if (w.length >= 1 << 20) out.drain();
      keyDelay();
    }
  }
  out.finish();
  return keys;
}

// ---------------------------------------------------------------------------------------------------------------
// Loading

/** A load that failed: the log lines Redis writes, and whether Redis would exit the process (it always does from a file). */
export class RdbLoadError extends Error {
  constructor(
    message: string,
    readonly logLines: string[],
  ) {
    super(message);
    this.name = 'RdbLoadError';
  }
}

export interface LoadedDb {
  dict: Map<string, RObj>;
  expires: Map<string, number>;
}

export interface LoadResult {
  dbs: LoadedDb[];
  libraries: { libraries: Map<string, Library>; functions: Map<string, FunctionEntry> };
  keysLoaded: number;
  keysExpired: number;
  emptyKeysSkipped: number;
  /** the used-mem AUX field, 0 when absent */
  usedMem: number;
}

export interface LoadOptions {
  /** RDBFLAGS_ALLOW_DUP (DEBUG RELOAD MERGE): a key appearing twice keeps the later value */
  allowDup?: boolean;
  /** drop keys whose TTL has passed (a master loading from disk) */
  expireOnLoad?: boolean;
  /** per-key delay hook (key-load-delay) */
  keyDelay?: () => void;
}

const ModuleTypeNameCharSet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** moduleTypeNameByID: the 9-character module type name encoded in the top 54 bits of a module id. */
export function moduleTypeNameByID(id: bigint): string {
  let m = id >> 10n;
  let name = '';
  for (let j = 0; j < 9; j++) {
    name = ModuleTypeNameCharSet[Number(m & 63n)] + name;
    m >>= 6n;
  }
  return name;
}

/** rdbReportError's line (the C line number is rdb.c's; redlua reports 0). */
export function rdbInternalError(offset: number, reason: string): string {
  return `Internal error in RDB reading offset ${offset}, function at rdb.c:0 -> ${reason}`;
}

/**
 * rdbLoadRioWithLoadingCtx over a whole file held in memory, into fresh databases and a fresh function registry: the
 * caller swaps them in only when everything loaded, so a bad file never half-loads. Throws RdbLoadError with Redis's
 * log lines. `log` receives the notice lines of a successful load (AUX fields).
 */
export function loadRdb(s: Server, buf: Buffer, opts: LoadOptions, log: (level: 'notice' | 'warning' | 'debug', msg: string) => void): LoadResult {
  const r = new RdbReader(buf);
  const fail = (lines: string[]): never => {
    throw new RdbLoadError(lines[lines.length - 1], lines);
  };
  const eof = (reason = 'Unexpected EOF reading RDB file'): never =>
    fail(['Short read or OOM loading DB. Unrecoverable error, aborting now.', rdbInternalError(r.pos, reason)]);
  if (buf.length < 9) eof();
  if (buf.latin1Slice(0, 5) !== 'REDIS') fail(['Wrong signature trying to load DB from file']);
  const verText = /^[ \t\n\v\f\r]*[+-]?\d+/.exec(buf.latin1Slice(5, 9));
  const rdbver = verText ? Number(verText[0]) : 0;
  if (rdbver < 1 || rdbver > RDB_VERSION) fail([`Can't handle RDB format version ${rdbver}`]);
  r.pos = 9;

  const ndbs = s.dbs.length;
  const dbs: LoadedDb[] = [];
  for (let i = 0; i < ndbs; i++) dbs.push({ dict: new Map(), expires: new Map() });
  const libraries = { libraries: new Map<string, Library>(), functions: new Map<string, FunctionEntry>() };
  const res: LoadResult = { dbs, libraries, keysLoaded: 0, keysExpired: 0, emptyKeysSkipped: 0, usedMem: 0 };
  let db = dbs[0];
  let dbid = 0;
  let expiretime = -1;
  let lfuFreq = -1;
  let lruIdle = -1;
  const now = Date.now();
  // sanitize-dump-payload yes also deep-checks files (rdbLoadObject's deep_integrity_validation)
  const loadCtx = serverObjectOpts(s, s.config.get('sanitize-dump-payload') === 'yes');

  try {
    for (;;) {
      const type = r.loadType();
      if (type === RDB_OPCODE.EXPIRETIME) {
        expiretime = r.loadTime() * 1000;
        continue;
      } else if (type === RDB_OPCODE.EXPIRETIME_MS) {
        expiretime = r.loadMillis();
        continue;
      } else if (type === RDB_OPCODE.FREQ) {
        lfuFreq = r.u8();
        continue;
      } else if (type === RDB_OPCODE.IDLE) {
        lruIdle = r.loadLen();
        continue;
      } else if (type === RDB_OPCODE.EOF) {
        break;
      } else if (type === RDB_OPCODE.SELECTDB) {
        dbid = r.loadLen();
        if (dbid >= ndbs) {
          fail([`FATAL: Data file was created with a Redis server configured to handle more than ${ndbs} databases. Exiting\n`]);
        }
        db = dbs[dbid];
        continue;
      } else if (type === RDB_OPCODE.RESIZEDB) {
        r.loadLen();
        r.loadLen();
        continue;
      } else if (type === RDB_OPCODE.AUX) {
        const k = r.loadString().toString('latin1');
        const v = r.loadString().toString('latin1');
        auxField2Log(k, v, res, log);
        continue;
      } else if (type === RDB_OPCODE.MODULE_AUX) {
        const id = r.loadLenBig();
        const whenOp = r.loadLen();
        r.loadLen();
        if (whenOp !== 2 /* RDB_MODULE_OPCODE_UINT */) eof('bad when_opcode');
        fail([`The RDB file contains AUX module data I can't load: no matching module '${moduleTypeNameByID(id)}'`]);
      } else if (type === RDB_OPCODE.FUNCTION || type === RDB_OPCODE.FUNCTION2) {
        const err = loadFunction(s, r, type, libraries, opts.allowDup === true);
        if (err !== null) fail([`Failed loading library, ${err}`, 'Short read or OOM loading DB. Unrecoverable error, aborting now.', rdbInternalError(r.pos, 'Unexpected EOF reading RDB file')]);
        continue;
      }
      if (!rdbIsObjectType(type)) fail([rdbInternalError(r.pos, `Unknown RDB encoding type ${type}`)]);
      const key = r.loadString().toString('latin1');
      let val: RObj | null;
      try {
        val = loadObject(r, type, loadCtx);
      } catch (e) {
        if (!(e instanceof EmptyKeyError)) throw e;
        val = null;
      }
      if (val === null) {
        // an empty key (issue #8453): skipped, not fatal
        if (res.emptyKeysSkipped++ < 10) log('warning', `rdbLoadObject skipping empty key: ${key}`);
      } else if (opts.expireOnLoad !== false && expiretime !== -1 && expiretime < now) {
        res.keysExpired++;
      } else {
        res.keysLoaded++;
        if (db.dict.has(key) && !opts.allowDup) {
          fail([`RDB has duplicated key '${key}' in DB ${dbid}`, 'Duplicated key found in RDB file']);
        }
        db.dict.delete(key);
        db.expires.delete(key);
        db.dict.set(key, val);
        if (expiretime !== -1) db.expires.set(key, expiretime);
        // objectSetLRUOrLFU: the saved idle time or frequency, else a fresh object
        val.lru = s.hot.lfu ? (lfuMinutes() << 8) | LFU_INIT_VAL : s.clock.lru;
        setLruOrLfu(s, val, lfuFreq, lruIdle);
      }
      opts.keyDelay?.();
      expiretime = -1;
      lfuFreq = -1;
      lruIdle = -1;
    }
  } catch (e) {
    if (e instanceof RdbLoadError) throw e;
    if (e instanceof RdbError) {
      if (/^Unexpected EOF/.test(e.message)) eof();
      fail([rdbInternalError(r.pos, e.message), 'Short read or OOM loading DB. Unrecoverable error, aborting now.']);
    }
    throw e;
  }
  if (rdbver >= 5) {
    if (r.remaining < 8) eof();
    const expected = new Crc64().update(buf, 0, r.pos);
    const got = buf.readBigUInt64LE(r.pos);
    r.pos += 8;
    if (s.config.bool('rdbchecksum') && !s.skipChecksumValidation) {
      if (got === 0n) log('warning', 'RDB file was saved with checksum disabled: no check performed.');
      else if (got !== expected.value) {
        fail([
          `Wrong RDB checksum expected: (${expected.value.toString(16)}) but got (${got.toString(16)}). Aborting now.`,
          rdbInternalError(r.pos, 'RDB CRC error'),
        ]);
      }
    }
  }
  return res;
}

function auxField2Log(k: string, v: string, res: LoadResult, log: (level: 'notice' | 'warning' | 'debug', msg: string) => void): void {
  const key = k.toLowerCase();
  if (k.startsWith('%')) log('notice', `RDB '${k}': ${v}`);
  else if (key === 'redis-ver') log('notice', `Loading RDB produced by version ${v}`);
  else if (key === 'ctime') {
    const age = Math.max(0, Math.floor(Date.now() / 1000) - (parseInt(v, 10) || 0));
    log('notice', `RDB age ${age} seconds`);
  } else if (key === 'used-mem') {
    const used = parseInt(v, 10) || 0;
    res.usedMem = used;
    log('notice', `RDB memory usage when created ${(used / (1024 * 1024)).toFixed(2)} Mb`);
  } else if (key === 'aof-preamble') {
    if (parseInt(v, 10)) log('notice', 'RDB has an AOF tail');
  } else if (key === 'aof-base') {
    if (parseInt(v, 10)) log('notice', 'RDB is base AOF');
  } else if (key === 'repl-stream-db' || key === 'repl-id' || key === 'repl-offset' || key === 'lua' || key === 'redis-bits') {
    /* replication info has no use without replication; old "lua" scripts are not loaded back (as in 7.0) */
  } else log('debug', `Unrecognized RDB AUX field: '${k}'`);
}

/** rdbFunctionLoad into the loading registry. Returns null, or the error text (without "ERR "). */
function loadFunction(
  s: Server,
  r: RdbReader,
  type: number,
  reg: { libraries: Map<string, Library>; functions: Map<string, FunctionEntry> },
  allowDup: boolean,
): string | null {
  let code: Buffer;
  if (type === RDB_OPCODE.FUNCTION) {
    // 7.0-rc1/rc2: name, engine, optional description, then the body
    const name = tryString(r);
    if (name === null) return 'Failed loading library name';
    const engine = tryString(r);
    if (engine === null) return 'Failed loading engine name';
    let hasDesc: number;
    try {
      hasDesc = r.loadLen();
    } catch {
      return 'Failed loading library description indicator';
    }
    if (hasDesc && tryString(r) === null) return 'Failed loading library description';
    const blob = tryString(r);
    if (blob === null) return 'Failed loading library blob';
    code = Buffer.concat([Buffer.from(`#!${engine.toString('latin1')} name=${name.toString('latin1')}\n`, 'latin1'), blob]);
  } else {
    const c = tryString(r);
    if (c === null) return 'Failed loading library payload';
    code = c;
  }
  const res = s.scripting.createLibrary(code, allowDup, reg, 0);
  if (!res.ok) return res.error.replace(/^ERR /, '');
  return null;
}

function tryString(r: RdbReader): Buffer | null {
  try {
    return r.loadString();
  } catch {
    return null;
  }
}
