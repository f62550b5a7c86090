// SAVE, BGSAVE without fork (a key-level copy-on-write snapshot written in time slices), save points, start-up load
// and DEBUG RELOAD's load, with Redis's bookkeeping and log lines (Redis: rdb.c rdbSave/rdbSaveBackground/rdbLoad,
// server.c serverCron save points, loadDataFromDisk).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleepSync } from '../util/sleep.js';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from '../server/server.js';
import type { Db, RObj } from '../store/db.js';
import { keyStr } from '../store/db.js';
import { errnoText } from '../server/config.js';
import { getKeyPositions, type CommandSpec } from '../commands/table.js';
import { RdbWriter } from './rdb-io.js';
import type { ObjectOpts } from './rdb-object.js';
import { serverObjectOpts } from './payload.js';
import type { Library } from '../scripting/index.js';
import { RdbStream, saveDataset, writeHeader, writeDbHeader, saveKeyValue, keyMetaOf, loadRdb, RdbLoadError, type KeyMeta, type LoadResult } from './rdb-file.js';

/** CONFIG_BGSAVE_RETRY_DELAY: seconds before a failed BGSAVE is retried by the save points. */
const BGSAVE_RETRY_DELAY = 5;
/** A slice of BGSAVE serialization runs at most this long before yielding to the event loop. */
const SLICE_MS = 4;
const SIGUSR1 = 10;
/** REDIS_AUTOSYNC_BYTES: rdb-save-incremental-fsync's period */
const AUTOSYNC_BYTES = 32 * 1024 * 1024;

/** A process that only waits to be killed (`sleep`), or null where none can be started. Never keeps Node running. */
function spawnStandIn(): ChildProcess | null {
  try {
    const p = spawn('sleep', ['2147483647'], { stdio: 'ignore' });
    p.on('error', () => {});
    if (p.pid === undefined) return null;
    p.unref();
    return p;
  } catch {
    return null;
  }
}

/** The snapshot state of one database during BGSAVE (its maps as they were when the save started). */
interface DbSnap {
  id: number;
  dict: Map<string, RObj>;
  expires: Map<string, number>;
  size: number;
  expiresSize: number;
  /** keys already written, or created after the snapshot (never to be written) */
  seen: Set<string>;
  /** records of keys written out of turn (touched before the iterator reached them) while this db was not current */
  early: Buffer[];
  started: boolean;
  done: boolean;
}

/**
 * A BGSAVE in progress. Node cannot fork, so the snapshot is kept point-in-time by copy-on-write at key level: before
 * any write reaches a key the iterator has not written yet, `touch` serializes the key's old value first (and marks
 * keys created meanwhile so they are skipped). The iterator runs in slices of a few milliseconds between which
 * clients are served; the file is written with asynchronous fs calls.
 */
export class BgSave {
  readonly snaps: DbSnap[] = [];
  private readonly byDict = new Map<Map<string, RObj>, DbSnap>();
  private readonly out: RdbStream;
  private readonly meta: KeyMeta;
  private readonly opts: ObjectOpts;
  private readonly libs: Library[];
  private cur = -1;
  private iter: IterableIterator<[string, RObj]> | null = null;
  keysProcessed = 0;
  readonly keysTotal: number;
  aborted = false;
  /** the save ended (written, failed or aborted): the stand-in child's exit means nothing any more */
  finished = false;
  /** the stand-in child process (Redis's fork child), if one could be started */
  child: ChildProcess | null = null;
  /** the signal that killed the stand-in child, 0 if none */
  killedBy = 0;
  /** this save's copy-on-write: bytes of old values serialized ahead of the saver because a write was about to change them */
  cowBytes = 0;
  cowUpdated = 0;
  private readonly chunks: Buffer[] = [];
  private unsynced = 0;
  private fd: fs.promises.FileHandle | null = null;
  readonly done: Promise<boolean>;

  constructor(
    private readonly p: Persistence,
    readonly tmpfile: string,
    readonly filename: string,
  ) {
    const s = p.s;
    this.meta = keyMetaOf(s);
    this.opts = serverObjectOpts(s);
    this.libs = [...s.scripting.libraries.values()];
    let total = 0;
    for (const db of s.dbs) {
      const snap: DbSnap = {
        id: db.id,
        dict: db.dict,
        expires: db.expires,
        size: db.dict.size,
        expiresSize: db.expires.size,
        seen: new Set(),
        early: [],
        started: false,
        done: db.dict.size === 0,
      };
      total += snap.size;
      this.snaps.push(snap);
      this.byDict.set(db.dict, snap);
    }
    this.keysTotal = total;
    this.out = new RdbStream(s.config.bool('rdbcompression'), s.config.bool('rdbchecksum'), b => this.chunks.push(b));
    writeHeader(this.out.w, s, this.libs);
    this.done = this.run();
  }

  /** Before a write reaches `key` of `db`: the key's snapshot value is written first if it is still due. */
  touch(db: Db, key: string): void {
    const snap = this.byDict.get(db.dict);
    if (snap === undefined || snap.done || snap.seen.has(key)) return;
    snap.seen.add(key);
    const o = snap.dict.get(key);
    if (o === undefined) return; // created after the snapshot: never written
    const w = this.out.w;
    if (snap.id === this.cur) {
      const before = w.length;
      saveKeyValue(w, this.p.s, key, o, snap.expires.get(key), this.meta, this.opts);
      this.cowBytes += w.length - before;
    } else {
      // another database's section: kept aside until that database is written
      const tw = new RdbWriter(w.compress);
      saveKeyValue(tw, this.p.s, key, o, snap.expires.get(key), this.meta, this.opts);
      snap.early.push(Buffer.from(tw.result()));
      this.cowBytes += tw.length;
    }
    this.cowUpdated = Date.now();
    this.keysProcessed++;
  }

  /** touch() for every key a write command names (its key specs), before it runs. */
  touchKeys(db: Db, spec: CommandSpec, argv: Buffer[]): void {
    if (spec.keySpecs.length === 0) return;
    for (const i of getKeyPositions(spec, argv)) this.touch(db, keyStr(argv[i]));
  }

  private async run(): Promise<boolean> {
    const s = this.p.s;
    try {
      this.fd = await fs.promises.open(this.tmpfile, 'w');
    } catch (e) {
      this.p.s.log.warning(`Failed opening the temp RDB file ${this.tmpfile} (in server root dir ${process.cwd()}) for saving: ${errnoText(e)}`);
      return false;
    }
    if (this.aborted) {
      // aborted while the open was on its way: abort() found no file to remove, so it goes now, before anything else
      fs.rmSync(this.tmpfile, { force: true });
      await this.fd.close().catch(() => {});
      this.fd = null;
      return false;
    }
    try {
      let delayUs = 0;
      for (;;) {
        if (this.aborted) throw new Error('aborted');
        const t0 = performance.now();
        const finished = this.slice(t0, d => (delayUs += d));
        await this.flushChunks(finished);
        if (finished) break;
        if (delayUs >= 1000) {
          const ms = Math.floor(delayUs / 1000);
          delayUs -= ms * 1000;
          await new Promise(r => setTimeout(r, ms));
        } else await new Promise(r => setImmediate(r));
      }
      if (this.aborted) throw new Error('aborted');
      await this.fd.sync();
      await this.fd.close();
      this.fd = null;
      if (this.aborted) throw new Error('aborted');
      await fs.promises.rename(this.tmpfile, this.filename);
      return true;
    } catch (e) {
      if (!this.aborted) s.log.warning(`Write error saving DB on disk: ${errnoText(e)}`);
      if (this.fd) await this.fd.close().catch(() => {});
      this.fd = null;
      await fs.promises.unlink(this.tmpfile).catch(() => {});
      return false;
    }
  }

  private async flushChunks(all: boolean): Promise<void> {
    if (all) this.out.finish();
    else this.out.drain();
    if (this.chunks.length === 0) return;
    const bufs = this.chunks.splice(0);
    await this.fd!.writev(bufs);
    for (const b of bufs) this.unsynced += b.length;
    if (this.unsynced >= AUTOSYNC_BYTES && this.p.s.config.bool('rdb-save-incremental-fsync')) {
      this.unsynced = 0;
      await this.fd!.datasync();
    }
  }

  /** Serializes keys until the slice's time is up. Returns true once everything was written. */
  private slice(t0: number, addDelay: (us: number) => void): boolean {
    const s = this.p.s;
    const w = this.out.w;
    const delay = s.config.num('rdb-key-save-delay');
    let n = 0;
    for (;;) {
      if (this.iter === null) {
        const next = this.snaps.findIndex(x => !x.done);
        if (next < 0) return true;
        const snap = this.snaps[next];
        this.cur = snap.id;
        snap.started = true;
        writeDbHeader(w, snap.id, snap.size, snap.expiresSize);
        for (const b of snap.early) w.raw(b);
        snap.early = [];
        this.iter = snap.dict.entries();
      }
      const snap = this.snaps[this.cur];
      const anyExp = snap.expires.size !== 0;
      for (;;) {
        const it = this.iter.next();
        if (it.done) {
          snap.done = true;
          snap.seen = new Set();
          this.iter = null;
          break;
        }
        const [key, o] = it.value;
        if (snap.seen.has(key)) continue;
        snap.seen.add(key);
        saveKeyValue(w, s, key, o, anyExp ? snap.expires.get(key) : undefined, this.meta, this.opts);
        this.keysProcessed++;
        if (delay !== 0) {
          // debugDelay: a negative value sleeps 1 µs once every -delay keys on average
          addDelay(delay > 0 ? delay : Math.floor(Math.random() * -delay) === 0 ? 1 : 0);
          if (delay > 0) return false;
        }
        if ((++n & 63) === 0) {
          if (w.length >= 1 << 20) return false;
          if (performance.now() - t0 >= SLICE_MS) return false;
        }
      }
    }
  }

  /** killRDBChild: stops writing; the temp file is removed at once (rdbRemoveTempFile), the writer stops at its next step. */
  abort(): void {
    this.aborted = true;
    if (!this.finished) {
      this.finished = true;
      this.child?.kill('SIGKILL');
    }
    fs.rmSync(this.tmpfile, { force: true });
  }
}

export class Persistence {
  lastBgsaveStatus: 'ok' | 'err' = 'ok';
  lastBgsaveTry = 0;
  rdbSaveTimeLast = -1;
  rdbSaveTimeStart = 0;
  statRdbSaves = 0;
  dirtyBeforeBgsave = 0;
  bgsave: BgSave | null = null;
  bgsaveScheduled = false;
  private bgsaveSeq = 0;
  lastLoadKeysLoaded = 0;
  /** rdb_last_cow_size: the copy-on-write bytes of the last successful BGSAVE */
  lastCowSize = 0;
  lastLoadKeysExpired = 0;
  /** loading state (INFO loading_*) */
  loading = false;

  constructor(readonly s: Server) {}

  /** dir/dbfilename (dir is the process's working directory in Redis; redlua resolves against the dir config). */
  rdbFilename(): string {
    return path.resolve(this.s.config.get('dir'), this.s.config.get('dbfilename'));
  }

  tmpFilename(): string {
    return path.resolve(this.s.config.get('dir'), `temp-${process.pid}.rdb`);
  }

  saveParamsSet(): boolean {
    return this.s.config.get('save').trim() !== '';
  }

  /** writeCommandsDeniedByDiskError: the MISCONF condition. */
  writesDenied(): boolean {
    return this.lastBgsaveStatus === 'err' && this.s.config.bool('stop-writes-on-bgsave-error') && this.saveParamsSet();
  }

  /** The per-key delay of a synchronous save (debugDelay: usleep, or 1 µs once every -n keys). */
  private syncKeyDelay(): () => void {
    const d = this.s.config.num('rdb-key-save-delay');
    if (d === 0) return () => {};
    let acc = 0;
    return () => {
      acc += d > 0 ? d : Math.floor(Math.random() * -d) === 0 ? 1 : 0;
      if (acc >= 1000) {
        sleepSync(Math.floor(acc / 1000));
        acc %= 1000;
      }
    };
  }

  /** rdbSave: the whole dataset into temp-<pid>.rdb, fsynced and renamed onto dir/dbfilename. */
  saveSync(): boolean {
    const s = this.s;
    const tmp = this.tmpFilename();
    let fd: number;
    try {
      fd = fs.openSync(tmp, 'w');
    } catch (e) {
      s.log.warning(`Failed opening the temp RDB file temp-${process.pid}.rdb (in server root dir ${s.config.get('dir')}) for saving: ${errnoText(e)}`);
      return false;
    }
    let op = 'rdbSaveRio';
    try {
      // rdb-save-incremental-fsync: an fsync every 32 MB written (REDIS_AUTOSYNC_BYTES)
      const autosync = s.config.bool('rdb-save-incremental-fsync');
      let unsynced = 0;
      const out = new RdbStream(s.config.bool('rdbcompression'), s.config.bool('rdbchecksum'), b => {
        let off = 0;
        while (off < b.length) off += fs.writeSync(fd, b, off);
        unsynced += b.length;
        if (autosync && unsynced >= AUTOSYNC_BYTES) {
          fs.fdatasyncSync(fd);
          unsynced = 0;
        }
      });
      saveDataset(s, out, this.syncKeyDelay());
      op = 'fsync';
      fs.fsyncSync(fd);
      op = 'fclose';
      fs.closeSync(fd);
      fd = -1;
    } catch (e) {
      s.log.warning(`Write error saving DB on disk(${op}): ${errnoText(e)}`);
      if (fd >= 0) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      return false;
    }
    try {
      fs.renameSync(tmp, this.rdbFilename());
    } catch (e) {
      s.log.warning(
        `Error moving temp DB file temp-${process.pid}.rdb on the final destination ${s.config.get('dbfilename')} (in server root dir ${s.config.get('dir')}): ${errnoText(e)}`,
      );
      fs.rmSync(tmp, { force: true });
      return false;
    }
    fsyncDir(this.rdbFilename());
    s.log.notice('DB saved on disk');
    s.dirty = 0;
    s.lastSave = Math.floor(Date.now() / 1000);
    this.lastBgsaveStatus = 'ok';
    return true;
  }

  /** rdbSaveBackground. False if a save is already running. */
  startBgsave(): boolean {
    if (this.bgsave) return false;
    const s = this.s;
    this.statRdbSaves++;
    this.dirtyBeforeBgsave = s.dirty;
    this.lastBgsaveTry = Math.floor(Date.now() / 1000);
    // The save runs in this process; a stand-in child process stands for Redis's fork child: its pid names the temp
    // file (temp-<childpid>.rdb, so a SAVE meanwhile never collides with it) and killing it aborts the save as
    // killing Redis's child does (by SIGUSR1 quietly, by any other signal as an error).
    const child = spawnStandIn();
    const name = child ? `temp-${child.pid}.rdb` : `temp-${process.pid}-${++this.bgsaveSeq}.rdb`;
    const job = new BgSave(this, path.resolve(s.config.get('dir'), name), this.rdbFilename());
    this.bgsave = job;
    this.rdbSaveTimeStart = Math.floor(Date.now() / 1000);
    s.log.notice(`Background saving started by pid ${child ? child.pid : process.pid}`);
    if (child) {
      job.child = child;
      child.once('exit', (_code, signal) => {
        if (this.bgsave !== job || job.finished) return;
        job.killedBy = signal ? (os.constants.signals[signal] ?? 9) : 9;
        job.abort();
        this.bgsaveDone(job, false);
      });
    }
    void job.done.then(ok => {
      job.finished = true;
      job.child?.kill('SIGKILL');
      this.bgsaveDone(job, ok);
    });
    return true;
  }

  /** backgroundSaveDoneHandlerDisk */
  private bgsaveDone(job: BgSave, ok: boolean): void {
    if (this.bgsave !== job) return;
    this.bgsave = null;
    const s = this.s;
    const now = Math.floor(Date.now() / 1000);
    if (job.aborted) {
      const sig = job.killedBy || SIGUSR1;
      s.log.warning(`Background saving terminated by signal ${sig}`);
      if (sig !== SIGUSR1) this.lastBgsaveStatus = 'err';
    } else if (ok) {
      s.log.notice('Background saving terminated with success');
      this.lastCowSize = job.cowBytes;
      s.dirty = s.dirty - this.dirtyBeforeBgsave;
      s.lastSave = now;
      this.lastBgsaveStatus = 'ok';
    } else {
      s.log.warning('Background saving error');
      this.lastBgsaveStatus = 'err';
    }
    this.rdbSaveTimeLast = now - this.rdbSaveTimeStart;
    this.rdbSaveTimeStart = -1;
  }

  /** killRDBChild (FLUSHALL, SHUTDOWN): the save stops, its temp file is removed, the status is not an error. */
  killBgsave(): void {
    const job = this.bgsave;
    if (!job) return;
    job.abort();
    this.bgsaveDone(job, false);
  }

  /** Before a write command touches `key` in `db` (and before the store deletes or replaces it). */
  touch(db: Db, key: string): void {
    this.bgsave?.touch(db, key);
  }

  /** serverCron's persistence part: save points and a scheduled BGSAVE. */
  cron(): void {
    if (this.bgsave) return;
    const s = this.s;
    const now = Math.floor(Date.now() / 1000);
    const params = s.config.get('save').trim().split(/\s+/).filter(Boolean).map(Number);
    for (let j = 0; j + 1 < params.length; j += 2) {
      const seconds = params[j];
      const changes = params[j + 1];
      if (s.dirty >= changes && now - s.lastSave > seconds && (now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveStatus === 'ok')) {
        s.log.notice(`${changes} changes in ${seconds} seconds. Saving...`);
        this.startBgsave();
        return;
      }
    }
    if (this.bgsaveScheduled && (now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveStatus === 'ok')) {
      if (this.startBgsave()) this.bgsaveScheduled = false;
    }
  }

  /**
   * rdbLoad from dir/dbfilename into fresh databases, swapped in on success. Returns 'ok', 'missing' (no file: ENOENT)
   * or throws RdbLoadError (with Redis's log lines already written).
   */
  loadFile(opts: { merge?: boolean; flush?: boolean } = {}): 'ok' | 'missing' {
    const s = this.s;
    const file = this.rdbFilename();
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      const line = `Fatal error loading the DB: ${errnoText(e)}. Exiting.`;
      s.log.warning(line);
      throw new RdbLoadError(line, [line]);
    }
    this.loadBuffer(buf, opts);
    return 'ok';
  }

  /** rdbLoad of an RDB held in memory (a file's bytes, or what a master sent for a full resync). */
  loadBuffer(buf: Buffer, opts: { merge?: boolean; flush?: boolean } = {}): void {
    const s = this.s;
    this.loading = true;
    this.lastLoadKeysLoaded = 0;
    this.lastLoadKeysExpired = 0;
    const loadDelay = s.config.num('key-load-delay');
    let res: LoadResult;
    try {
      res = loadRdb(
        s,
        buf,
        {
          allowDup: opts.merge === true,
          keyDelay: loadDelay > 0 ? () => sleepSync(loadDelay / 1000) : undefined,
        },
        (level, msg) => (level === 'debug' ? s.log.debug(msg) : level === 'notice' ? s.log.notice(msg) : s.log.warning(msg)),
      );
    } catch (e) {
      this.loading = false;
      if (e instanceof RdbLoadError) for (const l of e.logLines) s.log.warning(l);
      throw e;
    }
    this.loading = false;
    try {
      this.install(res, opts.flush !== false, opts.merge === true);
    } catch (e) {
      if (e instanceof RdbLoadError) for (const l of e.logLines) s.log.warning(l);
      throw e;
    }
    this.lastLoadKeysLoaded = res.keysLoaded;
    this.lastLoadKeysExpired = res.keysExpired;
    if (res.emptyKeysSkipped) {
      s.log.warning(`Done loading RDB, keys loaded: ${res.keysLoaded}, keys expired: ${res.keysExpired}, empty keys skipped: ${res.emptyKeysSkipped}.`);
    } else s.log.notice(`Done loading RDB, keys loaded: ${res.keysLoaded}, keys expired: ${res.keysExpired}.`);
  }

  /** Puts a loaded dataset in place: replaces every db (flush) or merges into the current ones. */
  private install(res: LoadResult, flush: boolean, merge: boolean): void {
    const s = this.s;
    const sc = s.scripting;
    // without MERGE a library that is already loaded fails the load (functionsCreateWithLibraryCtx), before anything
    // of the file is put in place
    if (!flush && !merge) {
      for (const name of res.libraries.libraries.keys()) {
        if (sc.libraries.has(name)) throw new RdbLoadError(`Library ${name} already exists`, [`Failed loading library, Library ${name} already exists`]);
      }
    }
    for (let i = 0; i < s.dbs.length; i++) {
      const db = s.dbs[i];
      const src = res.dbs[i];
      if (flush || db.dict.size === 0) {
        db.flush();
        db.dict = src.dict;
        db.expires = src.expires;
      } else {
        for (const [k, o] of src.dict) {
          if (db.dict.has(k) && !merge) throw new RdbLoadError('Duplicated key found in RDB file', [`RDB has duplicated key '${k}' in DB ${i}`]);
          db.dict.set(k, o);
          const e = src.expires.get(k);
          if (e !== undefined) db.expires.set(k, e);
          else db.expires.delete(k);
        }
      }
    }
    if (flush) {
      sc.flushFunctions();
      sc.libraries = res.libraries.libraries;
      sc.functions = res.libraries.functions;
    } else {
      for (const lib of res.libraries.libraries.values()) {
        const old = sc.libraries.get(lib.name);
        if (old) {
          sc.unlink(sc, old);
          sc.freeLibraries([old]);
        }
        sc.link(sc, lib);
      }
    }
  }

  /** finishShutdown's first step: a BGSAVE in progress is stopped (its snapshot would race the final save). */
  killForShutdown(): void {
    const job = this.bgsave;
    if (job) {
      this.s.log.warning('There is a child saving an .rdb. Killing it!');
      job.abort();
      this.bgsave = null;
    }
  }

  /**
   * finishShutdown's persistence part: a BGSAVE in progress is killed, then the final snapshot is written when save
   * points are set (unless NOSAVE) or SAVE was asked. False when the save failed and FORCE was not given.
   */
  shutdownSave(flags: { save?: boolean; nosave?: boolean; force?: boolean }): boolean {
    const s = this.s;
    if (this.loading) flags = { ...flags, save: false, nosave: true };
    this.killForShutdown();
    if ((this.saveParamsSet() && !flags.nosave) || flags.save) {
      s.log.notice('Saving the final RDB snapshot before exiting.');
      if (!this.saveSync()) {
        if (flags.force) s.log.warning('Error trying to save the DB. Exit anyway.');
        else {
          s.log.warning("Error trying to save the DB, can't exit.");
          return false;
        }
      }
    }
    return true;
  }

  /** rdbRemoveTempFile for an exit in a hurry: a BGSAVE's temp file and the synchronous save's. */
  removeTempFiles(): void {
    this.bgsave?.abort();
    fs.rmSync(this.tmpFilename(), { force: true });
  }

  /** loadDataFromDisk at start-up: logs as Redis does; a bad file is fatal (thrown). */
  loadAtStartup(): void {
    const s = this.s;
    const t0 = performance.now();
    const r = this.loadFile();
    if (r === 'ok') s.log.notice(`DB loaded from disk: ${((performance.now() - t0) / 1000).toFixed(3)} seconds`);
  }
}

/** fsyncFileDir: makes the rename durable. */
function fsyncDir(file: string): void {
  try {
    const fd = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* not supported everywhere */
  }
}

/** INFO persistence, the RDB part (loading … rdb_last_load_keys_loaded), as genRedisInfoString prints it. */
export function persistenceFields(s: Server): string {
  const p = s.persistence;
  const job = p.bgsave;
  const now = Math.floor(Date.now() / 1000);
  return (
    `loading:${p.loading ? 1 : 0}\r\nasync_loading:0\r\n` +
    // no fork and no copied pages: the snapshot's copy-on-write is the old values serialized ahead of the saver
    `current_cow_peak:${job ? job.cowBytes : 0}\r\ncurrent_cow_size:${job ? job.cowBytes : 0}\r\n` +
    `current_cow_size_age:${job && job.cowUpdated ? Math.floor((Date.now() - job.cowUpdated) / 1000) : 0}\r\n` +
    `current_fork_perc:${job && job.keysTotal ? ((job.keysProcessed / job.keysTotal) * 100).toFixed(2) : '0.00'}\r\n` +
    `current_save_keys_processed:${job ? job.keysProcessed : 0}\r\ncurrent_save_keys_total:${job ? job.keysTotal : 0}\r\n` +
    `rdb_changes_since_last_save:${s.dirty}\r\n` +
    `rdb_bgsave_in_progress:${job ? 1 : 0}\r\n` +
    `rdb_last_save_time:${s.lastSave}\r\n` +
    `rdb_last_bgsave_status:${p.lastBgsaveStatus}\r\n` +
    `rdb_last_bgsave_time_sec:${p.rdbSaveTimeLast}\r\n` +
    `rdb_current_bgsave_time_sec:${job ? now - p.rdbSaveTimeStart : -1}\r\n` +
    `rdb_saves:${p.statRdbSaves}\r\n` +
    `rdb_last_cow_size:${p.lastCowSize}\r\n` +
    `rdb_last_load_keys_expired:${p.lastLoadKeysExpired}\r\nrdb_last_load_keys_loaded:${p.lastLoadKeysLoaded}\r\n`
  );
}
