// The append-only file, multi-part as in Redis 7.0: the manifest, the BASE file, INCR files and HISTORY cleanup, the
// write/fsync policy, background rewrites, start-up loading and turning AOF on and off at run time (Redis: aof.c
// feedAppendOnlyFile, flushAppendOnlyFile, rewriteAppendOnlyFileBackground, backgroundRewriteDoneHandler,
// loadAppendOnlyFiles, aofOpenIfNeededOnServerStart, startAppendOnly/stopAppendOnly; server.c serverCron's AOF part).
//
// Writes are buffered per command (feed) and written with one write(2) before the replies of the event-loop turn
// go out (Server.flush calls flush()), as Redis writes aof_buf in beforeSleep: with `appendfsync always` the fsync
// happens there too, so no reply leaves before its write is on disk; `everysec` fsyncs at most once per second on
// libuv's thread pool (fs.fdatasync), never blocking the event loop.
//
// Rewrites run without fork: the dataset is serialized at the moment BGREWRITEAOF starts (the point-in-time snapshot
// a fork gives), new writes already go to a fresh INCR file, and the BASE is written to disk asynchronously; the
// manifest switches over when that write completes (the done handler).
import fs from 'node:fs';
import path from 'node:path';
import { sleepSync } from '../util/sleep.js';
import type { Server } from '../server/server.js';
import type { PropagationSink } from '../replication/propagate.js';
import { AofManifest, AofFatalError, parseManifest, writeManifest, fsyncDir } from './aof-manifest.js';
import { RespWriter, rewriteDataset } from './aof-rewrite.js';
import { loadSingleAppendOnlyFile, AOF_OK, AOF_NOT_EXIST, AOF_EMPTY, AOF_OPEN_ERR, AOF_FAILED, AOF_TRUNCATED } from './aof-load.js';

export const AOF_OFF = 0;
export const AOF_ON = 1;
export const AOF_WAIT_REWRITE = 2;

/** Writes the dataset as an RDB (for `aof-use-rdb-preamble yes`); set by the RDB module when present. */
export type RdbBaseWriter = (s: Server) => Buffer;
let rdbBaseWriter: RdbBaseWriter | null = null;
export function setRdbBaseWriter(f: RdbBaseWriter): void {
  rdbBaseWriter = f;
}

const unixtime = () => Math.floor(Date.now() / 1000);

interface RewriteJob {
  /** the temp base file being written (temp-rewriteaof-bg-<pid>.aof in `dir`) */
  tmp: string;
  cancelled: boolean;
  rdb: boolean;
}

export class Aof implements PropagationSink {
  state = AOF_OFF;
  manifest = new AofManifest();
  private fd = -1;
  private selectedDb = -1;
  private readonly w = new RespWriter();
  private curTimestamp = 0;
  currentSize = 0;
  rewriteBaseSize = 0;
  private lastIncrSize = 0;
  private lastIncrFsyncOffset = 0;
  private lastFsync = unixtime();
  /** background fsyncs not finished yet (aof_pending_bio_fsync) */
  pendingFsync = 0;
  delayedFsync = 0;
  lastWriteOk = true;
  /** strerror of the last failed write (aof_last_write_errno) */
  private lastWriteError = '';
  /** strerror of a failed background fsync (aof_bio_fsync_status / aof_bio_fsync_errno), '' when fine */
  private fsyncError = '';
  // rewrite bookkeeping (INFO persistence)
  private job: RewriteJob | null = null;
  rewriteScheduled = false;
  private rewriteTimeStart = -1;
  rewriteTimeLast = -1;
  lastRewriteOk = true;
  consecutiveFailures = 0;
  rewrites = 0;
  /** server.in_exec: inside EXEC (the only nesting BGREWRITEAOF and CONFIG SET can run in), rewrites are only scheduled */
  private get inExec(): boolean {
    return this.s.propagation.depth > 1;
  }
  private started = false;

  constructor(private readonly s: Server) {}

  // ---------------------------------------------------------------- configuration

  private get filename(): string {
    return this.s.config.get('appendfilename');
  }
  /** `dir` (Redis chdir()s into it; redlua resolves paths against it) */
  private get dir(): string {
    return path.resolve(this.s.config.get('dir'));
  }
  get dirname(): string {
    return path.join(this.dir, this.s.config.get('appenddirname'));
  }
  /** appendfsync, aof-timestamp-enabled, no-appendfsync-on-rewrite: read per write, cached by applyConfig() */
  private fsyncPolicy = 'everysec';
  private timestamps = false;
  private noFsyncOnRewrite = false
  private get useRdb(): boolean {
    return this.s.config.bool('aof-use-rdb-preamble') && rdbBaseWriter !== null;
  }

  get rewriteInProgress(): boolean {
    return this.job !== null;
  }
  get currentRewriteTime(): number {
    return this.job === null ? -1 : unixtime() - this.rewriteTimeStart;
  }
  get bufferLength(): number {
    return this.w.len;
  }

  // ---------------------------------------------------------------- PropagationSink

  get accepting(): boolean {
    return this.state !== AOF_OFF;
  }

  /** feedAppendOnlyFile */
  feed(dbid: number, argv: Buffer[]): void {
    if (!(this.state === AOF_ON || (this.state === AOF_WAIT_REWRITE && this.job !== null))) return;
    const w = this.w;
    if (this.timestamps) {
      const now = unixtime();
      if (this.curTimestamp < now) {
        this.curTimestamp = now;
        w.text(`#TS:${now}\r\n`);
      }
    }
    if (dbid !== this.selectedDb) {
      const id = String(dbid);
      w.text(`*2\r\n$6\r\nSELECT\r\n$${id.length}\r\n${id}\r\n`);
      this.selectedDb = dbid;
    }
    w.command(argv);
  }

  // ---------------------------------------------------------------- writing

  /** DEBUG AOF-FLUSH-SLEEP: microseconds slept before each write of a non-empty buffer (server.aof_flush_sleep) */
  flushSleepUs = 0;

  /** flushAppendOnlyFile: write aof_buf, then fsync per appendfsync. */
  flush(force = false): void {
    void force;
    if (this.fd === -1) return;
    const policy = this.fsyncPolicy;
    const w = this.w;
    if (w.len === 0) {
      if (this.lastIncrFsyncOffset === this.lastIncrSize) return;
      if (policy === 'everysec' && !(unixtime() > this.lastFsync && this.pendingFsync === 0)) return;
      if (policy === 'no') return;
    } else {
      if (this.flushSleepUs > 0) sleepSync(this.flushSleepUs / 1000);
      let written = 0;
      try {
        while (written < w.len) written += fs.writeSync(this.fd, w.buf, written, w.len - written);
      } catch (e) {
        this.writeError(e as Error, written);
        return;
      }
      if (!this.lastWriteOk) {
        this.s.log.warning('AOF write error looks solved, Redis can write again.');
        this.lastWriteOk = true;
      }
      this.currentSize += written;
      this.lastIncrSize += written;
      w.len = 0;
    }
    // try_fsync
    if (this.noFsyncOnRewrite && this.job !== null) return;
    if (policy === 'always') {
      try {
        fs.fdatasyncSync(this.fd);
      } catch (e) {
        this.s.log.warning(`Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${(e as Error).message}. Exiting...`);
        this.s.fatalExit();
        return;
      }
      this.lastIncrFsyncOffset = this.lastIncrSize;
      this.lastFsync = unixtime();
    } else if (policy === 'everysec' && unixtime() > this.lastFsync) {
      if (this.pendingFsync === 0) this.backgroundFsync(this.fd, false);
      this.lastIncrFsyncOffset = this.lastIncrSize;
      this.lastFsync = unixtime();
    }
  }

  /**
   * writeCommandsDeniedByDiskError for the AOF: the strerror text write commands (and PING) are refused with, as
   * "MISCONF Errors writing to the AOF file: <text>", or null when writes are fine.
   */
  diskError(): string | null {
    if (this.state === AOF_OFF) return null;
    if (!this.lastWriteOk) return this.lastWriteError;
    return this.fsyncError === '' ? null : this.fsyncError;
  }

  private writeError(e: Error, written: number): void {
    this.lastWriteError = strerror(e);
    this.s.log.warning(`Error writing to the AOF file: ${this.lastWriteError}`);
    if (written > 0) {
      // a short write: drop it so the file stays a sequence of whole commands
      try {
        fs.ftruncateSync(this.fd, this.lastIncrSize);
      } catch {
        /* logged below by the next attempt */
      }
    }
    if (this.fsyncPolicy === 'always') {
      this.s.log.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      this.s.fatalExit();
      return;
    }
    this.lastWriteOk = false;
  }

  /** aof_background_fsync (and _and_close): fdatasync on the thread pool. */
  private backgroundFsync(fd: number, close: boolean): void {
    this.pendingFsync++;
    fs.fdatasync(fd, err => {
      this.pendingFsync--;
      this.fsyncError = err ? strerror(err) : '';
      if (close) fs.close(fd, () => undefined);
    });
  }

  // ---------------------------------------------------------------- start-up

  /** aofLoadManifestFromDisk */
  private loadManifestFromDisk(): void {
    this.manifest = new AofManifest();
    const file = path.join(this.dirname, `${this.filename}.manifest`);
    if (!fs.existsSync(this.dirname) || !fs.existsSync(file)) return;
    let text: Buffer;
    try {
      text = fs.readFileSync(file);
    } catch (e) {
      throw new AofFatalError([`Fatal error: can't open the AOF manifest file ${file} for reading: ${(e as Error).message}`]);
    }
    this.manifest = parseManifest(text);
  }

  /**
   * Server start: load the manifest and the files (loadDataFromDisk's AOF branch), open the INCR file
   * (aofOpenIfNeededOnServerStart) and remove HISTORY files. Throws AofFatalError where Redis exits.
   * Returns true if the dataset came from the AOF.
   */
  startup(): boolean {
    if (this.started) return false;
    this.configChanged();
    this.started = true;
    this.state = this.s.config.bool('appendonly') ? AOF_ON : AOF_OFF;
    this.loadManifestFromDisk();
    let loaded = false;
    if (this.state === AOF_ON) {
      const start = performance.now();
      const ret = this.loadFiles();
      if (ret === AOF_FAILED || ret === AOF_OPEN_ERR) throw new AofFatalError([]);
      if (ret !== AOF_NOT_EXIST) {
        this.s.log.notice(`DB loaded from append only file: ${((performance.now() - start) / 1000).toFixed(3)} seconds`);
        loaded = true;
      }
      this.openOnServerStart();
    }
    this.delHistoryFiles();
    return loaded;
  }

  /** loadAppendOnlyFiles */
  loadFiles(): number {
    const am = this.manifest;
    const fn = this.filename;
    const oldPath = path.join(this.dir, fn);
    if (fs.existsSync(oldPath) && fs.statSync(oldPath).isFile()) {
      if (
        !fs.existsSync(this.dirname) ||
        (am.base === null && am.incr.length === 0) ||
        (am.base !== null && am.incr.length === 0 && am.base.name === fn && !fs.existsSync(path.join(this.dirname, fn)))
      ) {
        this.upgradePrepare(oldPath);
      }
    }
    if (am.base === null && am.incr.length === 0) return AOF_NOT_EXIST;
    const files = [...(am.base ? [am.base] : []), ...am.incr];
    let total = 0;
    for (const f of files) {
      try {
        total += fs.statSync(path.join(this.dirname, f.name)).size;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        this.s.log.warning(`Unable to obtain the AOF file ${f.name} length. stat: ${code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
        return code === 'ENOENT' ? AOF_FAILED : AOF_OPEN_ERR;
      }
    }
    if (total === 0) return AOF_EMPTY;
    const s = this.s;
    const truncatedOk = s.config.bool('aof-load-truncated');
    s.loading = true;
    s.propagation.loading = true;
    let ret = AOF_OK;
    let baseSize = 0;
    try {
      for (let i = 0; i < files.length; i++) {
        const f = files[i];
        const isBase = f === am.base;
        const last = i === files.length - 1;
        const t0 = performance.now();
        if (isBase) baseSize = fs.statSync(path.join(this.dirname, f.name)).size;
        ret = loadSingleAppendOnlyFile(s, this.dirname, f.name, truncatedOk, f.name === fn);
        if (ret === AOF_OK || (ret === AOF_TRUNCATED && last)) {
          s.log.notice(`DB loaded from ${isBase ? 'base' : 'incr'} file ${f.name}: ${((performance.now() - t0) / 1000).toFixed(3)} seconds`);
        }
        if (!isBase && ret === AOF_EMPTY) ret = AOF_OK;
        if (ret === AOF_TRUNCATED && !last) {
          ret = AOF_FAILED;
          s.log.warning('Fatal error: the truncated file is not the last file');
        }
        if (ret === AOF_OPEN_ERR || ret === AOF_FAILED) return ret;
      }
    } finally {
      s.loading = false;
      s.propagation.loading = false;
    }
    this.currentSize = total;
    this.rewriteBaseSize = baseSize;
    return ret;
  }

  /** aofUpgradePrepare: an old single-file appendonly.aof moves into the AOF directory as the BASE. */
  private upgradePrepare(oldPath: string): void {
    fs.mkdirSync(this.dirname, { recursive: true });
    const am = this.manifest;
    am.base = { name: this.filename, seq: 1, type: 'b' };
    am.curBaseSeq = 1;
    am.dirty = true;
    this.persistManifest(am);
    fs.renameSync(oldPath, path.join(this.dirname, this.filename));
    this.s.log.notice(`Successfully migrated an old-style AOF file (${this.filename}) into the AOF directory (${this.s.config.get('appenddirname')}).`);
  }

  /** aofOpenIfNeededOnServerStart */
  private openOnServerStart(): void {
    const am = this.manifest;
    fs.mkdirSync(this.dirname, { recursive: true });
    const incrCount = am.incr.length;
    if (am.base === null && incrCount === 0) {
      const rdb = this.useRdb;
      const baseName = am.newBase(this.filename, rdb);
      this.rewriteSync(path.join(this.dirname, baseName), rdb);
      this.s.log.notice(`Creating AOF base file ${baseName} on server start`);
    }
    const name = am.lastIncr(this.filename);
    const file = path.join(this.dirname, name);
    try {
      this.fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o644);
    } catch (e) {
      throw new AofFatalError([`Can't open the append-only file ${name}: ${(e as Error).message}`]);
    }
    this.persistManifest(am);
    this.lastIncrSize = fs.fstatSync(this.fd).size;
    this.lastIncrFsyncOffset = this.lastIncrSize;
    this.s.log.notice(`${incrCount ? 'Opening' : 'Creating'} AOF incr file ${name} on server start`);
  }

  private persistManifest(am: AofManifest): void {
    if (!am.dirty) return;
    writeManifest(this.dirname, this.filename, am);
  }

  /** aofDelHistoryFiles */
  delHistoryFiles(): void {
    const am = this.manifest;
    if (this.s.config.bool('aof-disable-auto-gc') || am.history.length === 0) return;
    for (const h of am.history) {
      this.s.log.notice(`Removing the history file ${h.name} in the background`);
      fs.unlink(path.join(this.dirname, h.name), () => undefined);
    }
    am.history = [];
    am.dirty = true;
    try {
      this.persistManifest(am);
    } catch (e) {
      this.s.log.warning(`Can't persist the AOF manifest: ${(e as Error).message}`);
    }
  }

  // ---------------------------------------------------------------- rewrites

  /** The dataset as BASE file contents: an RDB (aof-use-rdb-preamble with the RDB module) or AOF commands. */
  private snapshot(rdb: boolean): Buffer {
    if (rdb) return rdbBaseWriter!(this.s);
    const w = new RespWriter(1 << 16);
    rewriteDataset(this.s, w, this.s.config.bool('aof-timestamp-enabled'));
    return w.view();
  }

  /** rewriteAppendOnlyFile (synchronous): temp-rewriteaof-<pid>.aof, fsync, rename over `target`. */
  private rewriteSync(target: string, rdb: boolean): void {
    const tmp = path.join(this.dir, `temp-rewriteaof-${process.pid}.aof`);
    const data = this.snapshot(rdb);
    const fd = fs.openSync(tmp, 'w', 0o644);
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  }

  /** openNewIncrAofForAppend */
  private openNewIncr(): boolean {
    if (this.state === AOF_OFF) return true;
    let am: AofManifest | null = null;
    let name: string;
    if (this.state === AOF_WAIT_REWRITE) name = `temp-${this.filename}.incr`;
    else {
      am = this.manifest.dup();
      name = am.newIncr(this.filename);
    }
    let fd: number;
    try {
      // O_APPEND: after a short write is truncated away, the next write lands at the end again
      fd = fs.openSync(path.join(this.dirname, name), fs.constants.O_WRONLY | fs.constants.O_TRUNC | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o644);
    } catch (e) {
      this.s.log.warning(`Can't open the append-only file ${name}: ${(e as Error).message}`);
      return false;
    }
    if (am !== null) {
      try {
        this.persistManifest(am);
      } catch (e) {
        this.s.log.warning(`Can't persist the AOF manifest: ${(e as Error).message}`);
        fs.closeSync(fd);
        return false;
      }
    }
    this.s.log.notice(`Creating AOF incr file ${name} on background rewrite`);
    if (this.fd !== -1) {
      this.backgroundFsync(this.fd, true);
      this.lastFsync = unixtime();
    }
    this.fd = fd;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    if (am !== null) this.manifest = am;
    return true;
  }

  /** rewriteAppendOnlyFileBackground: false on failure (logged). */
  rewriteBackground(): boolean {
    if (this.job !== null) return false;
    try {
      fs.mkdirSync(this.dirname, { recursive: true });
    } catch (e) {
      this.s.log.warning(`Can't open or create append-only dir ${this.s.config.get('appenddirname')}: ${(e as Error).message}`);
      this.lastRewriteOk = false;
      return false;
    }
    this.selectedDb = -1;
    this.flush(true);
    if (!this.openNewIncr()) {
      this.lastRewriteOk = false;
      return false;
    }
    this.rewrites++;
    const rdb = this.useRdb;
    const job: RewriteJob = { tmp: path.join(this.dir, `temp-rewriteaof-bg-${process.pid}.aof`), cancelled: false, rdb };
    // the fork: a point-in-time copy of the dataset, written out while the server goes on
    const data = this.snapshot(rdb);
    this.job = job;
    this.rewriteScheduled = false;
    this.rewriteTimeStart = unixtime();
    this.s.log.notice(`Background append only file rewriting started by pid ${process.pid}`);
    // rdb-key-save-delay: Redis's child sleeps that many µs per key it writes; the job takes as long here
    const perKey = this.s.config.num('rdb-key-save-delay');
    let keys = 0;
    if (perKey > 0) for (const db of this.s.dbs) keys += db.dict.size;
    const readyAt = Date.now() + (keys * perKey) / 1000;
    const done = (err: Error | null) => {
      if (job.cancelled) {
        fs.unlink(job.tmp, () => undefined);
        return;
      }
      if (err === null) this.s.log.notice(`Successfully created the temporary AOF base file ${path.basename(job.tmp)}`);
      this.rewriteDone(job, err);
    };
    writeFileDurably(job.tmp, data, err => {
      const wait = readyAt - Date.now();
      if (wait <= 0 || job.cancelled) done(err);
      else setTimeout(() => done(err), Math.min(wait, 2 ** 31 - 1)).unref();
    });
    return true;
  }

  /** backgroundRewriteDoneHandler */
  private rewriteDone(job: RewriteJob, err: Error | null): void {
    this.job = null;
    const log = this.s.log;
    const fail = () => {
      this.lastRewriteOk = false;
      this.consecutiveFailures++;
    };
    if (err !== null) {
      fail();
      log.warning('Background AOF rewrite terminated with error');
    } else {
      log.notice('Background AOF rewrite terminated with success');
      const am = this.manifest.dup();
      const baseName = am.newBase(this.filename, job.rdb);
      const basePath = path.join(this.dirname, baseName);
      let ok = true;
      try {
        fs.renameSync(job.tmp, basePath);
        log.notice(`Successfully renamed the temporary AOF base file ${path.basename(job.tmp)} into ${baseName}`);
      } catch (e) {
        log.warning(`Error trying to rename the temporary AOF base file ${path.basename(job.tmp)} into ${basePath}: ${(e as Error).message}`);
        ok = false;
      }
      let incrPath: string | null = null;
      if (ok && this.state === AOF_WAIT_REWRITE) {
        const tempIncr = `temp-${this.filename}.incr`;
        const incrName = am.newIncr(this.filename);
        incrPath = path.join(this.dirname, incrName);
        try {
          fs.renameSync(path.join(this.dirname, tempIncr), incrPath);
          log.notice(`Successfully renamed the temporary AOF incr file ${tempIncr} into ${incrName}`);
        } catch (e) {
          log.warning(`Error trying to rename the temporary AOF incr file ${tempIncr} into ${incrPath}: ${(e as Error).message}`);
          fs.unlink(basePath, () => undefined);
          ok = false;
        }
      }
      if (ok) {
        am.markRewrittenIncrAsHistory(this.fd !== -1);
        try {
          writeManifest(this.dirname, this.filename, am);
        } catch (e) {
          log.warning(`Can't persist the AOF manifest: ${(e as Error).message}`);
          fs.unlink(basePath, () => undefined);
          if (incrPath) fs.unlink(incrPath, () => undefined);
          ok = false;
        }
      }
      if (!ok) fail();
      else {
        this.manifest = am;
        if (this.state !== AOF_OFF) {
          this.currentSize = fs.statSync(basePath).size + this.lastIncrSize;
          this.rewriteBaseSize = this.currentSize;
        }
        this.delHistoryFiles();
        this.lastRewriteOk = true;
        this.consecutiveFailures = 0;
        log.notice('Background AOF rewrite finished successfully');
        if (this.state === AOF_WAIT_REWRITE) this.state = AOF_ON;
      }
    }
    fs.unlink(job.tmp, () => undefined);
    if (this.state === AOF_WAIT_REWRITE) {
      // the rewrite failed while turning AOF on: what accumulated is dropped, the next attempt starts over
      this.w.len = 0;
      this.dropTempIncr();
    }
    this.rewriteTimeLast = unixtime() - this.rewriteTimeStart;
    this.rewriteTimeStart = -1;
    if (this.state === AOF_WAIT_REWRITE) this.rewriteScheduled = true;
  }

  private dropTempIncr(): void {
    const name = `temp-${this.filename}.incr`;
    this.s.log.notice(`Removing the temp incr aof file ${name} in the background`);
    if (this.fd !== -1 && this.state === AOF_WAIT_REWRITE) {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
    fs.unlink(path.join(this.dirname, name), () => undefined);
  }

  /**
   * finishShutdown's AOF part: a rewrite in progress is killed, unless it writes the initial AOF (then the shutdown
   * fails without FORCE: the dataset is not on disk yet), and the AOF is flushed and fsynced. False: cannot exit.
   */
  shutdown(force: boolean): boolean {
    const log = this.s.log;
    if (this.job !== null) {
      if (this.state === AOF_WAIT_REWRITE) {
        if (!force) {
          log.warning("Writing initial AOF, can't exit.");
          return false;
        }
        log.warning('Writing initial AOF. Exit anyway.');
      }
      log.warning('There is a child rewriting the AOF. Killing it!');
      this.killRewrite();
    }
    if (this.state !== AOF_OFF && this.fd !== -1) {
      log.notice('Calling fsync() on the AOF file.');
      this.flush(true);
      try {
        fs.fsyncSync(this.fd);
      } catch (e) {
        log.warning(`Fail to fsync the AOF file: ${strerror(e as Error)}.`);
      }
    }
    return true;
  }

  /** killAppendOnlyChild */
  private killRewrite(): void {
    const job = this.job;
    if (job === null) return;
    this.s.log.notice(`Killing running AOF rewrite child: ${process.pid}`);
    job.cancelled = true;
    this.job = null;
    this.rewriteTimeStart = -1;
    if (this.state === AOF_WAIT_REWRITE) this.dropTempIncr();
  }

  /** BGREWRITEAOF */
  bgrewriteaof(): 'in-progress' | 'scheduled' | 'started' | 'failed' {
    if (this.job !== null) return 'in-progress';
    if (this.inExec) {
      this.rewriteScheduled = true;
      this.consecutiveFailures = 0;
      return 'scheduled';
    }
    return this.rewriteBackground() ? 'started' : 'failed';
  }

  /** startAppendOnly (CONFIG SET appendonly yes): false if the rewrite could not start. */
  start(): boolean {
    if (this.state !== AOF_OFF) return true;
    this.state = AOF_WAIT_REWRITE;
    if (this.inExec) {
      this.rewriteScheduled = true;
      this.s.log.warning('AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    } else {
      if (this.job !== null) {
        this.s.log.warning('AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
        this.killRewrite();
      }
      if (!this.rewriteBackground()) {
        this.state = AOF_OFF;
        this.s.log.warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.");
        return false;
      }
    }
    this.lastFsync = unixtime();
    if (!this.lastWriteOk) {
      this.s.log.warning('AOF reopen, just ignore the last error.');
      this.lastWriteOk = true;
    }
    return true;
  }

  /** stopAppendOnly (CONFIG SET appendonly no) */
  stop(): void {
    if (this.state === AOF_OFF) return;
    if (this.fd !== -1) {
      this.flush(true);
      try {
        fs.fsyncSync(this.fd);
      } catch {
        /* as Redis: redis_fsync's result is ignored here */
      }
    }
    this.lastFsync = unixtime();
    if (this.job !== null) this.killRewrite();
    if (this.fd !== -1) fs.closeSync(this.fd);
    this.fd = -1;
    this.selectedDb = -1;
    this.state = AOF_OFF;
    this.rewriteScheduled = false;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    this.w.len = 0;
  }

  /**
   * updateAppendonly, CONFIG SET's apply function: turns the AOF on or off now, false when it could not be turned on
   * (the rewrite did not start), and CONFIG SET then fails and restores `appendonly no`.
   */
  applyAppendonly(): boolean {
    if (!this.started) return true;
    const want = this.s.config.bool('appendonly');
    if (!want && this.state !== AOF_OFF) this.stop();
    else if (want && this.state === AOF_OFF) return this.start();
    return true;
  }

  /** The configuration changed: appendonly turned on or off (updateAppendonly), cached settings. */
  configChanged(): void {
    const cfg = this.s.config;
    this.fsyncPolicy = cfg.get('appendfsync');
    this.timestamps = cfg.bool('aof-timestamp-enabled');
    this.noFsyncOnRewrite = cfg.bool('no-appendfsync-on-rewrite');
    if (!this.started) return;
    const want = this.s.config.bool('appendonly');
    if (want && this.state === AOF_OFF) this.start();
    else if (!want && this.state !== AOF_OFF) this.stop();
  }

  /** serverCron's AOF part: scheduled and automatic rewrites, fsync of an idle everysec file, write-error retries. */
  cron(): void {
    if (this.job === null && this.rewriteScheduled && !this.inExec) this.rewriteBackground();
    if (this.state === AOF_ON && this.job === null) {
      const perc = this.s.config.num('auto-aof-rewrite-percentage');
      const minSize = this.s.config.num('auto-aof-rewrite-min-size');
      if (perc && this.currentSize > minSize) {
        const base = this.rewriteBaseSize || 1;
        const growth = Math.floor((this.currentSize * 100) / base) - 100;
        if (growth >= perc) {
          this.s.log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
          this.rewriteBackground();
        }
      }
    }
    if (this.state !== AOF_OFF) this.flush(false);
  }

  /** DEBUG LOADAOF: false if loading failed (Redis exits). */
  debugLoad(): boolean {
    if (this.state !== AOF_OFF) this.flush(true);
    this.loadManifestFromDisk();
    this.delHistoryFiles();
    const ret = this.loadFiles();
    return ret === AOF_OK || ret === AOF_EMPTY;
  }

  /** Shutdown: what is buffered is written and fsynced (prepareForShutdown). */
  close(): void {
    if (this.fd === -1) return;
    this.flush(true);
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
    } catch {
      /* closing anyway */
    }
    this.fd = -1;
    if (this.job !== null) this.killRewrite();
  }
}

/** strerror(errno) of a Node fs error */
function strerror(e: Error): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOSPC': return 'No space left on device';
    case 'EIO': return 'Input/output error';
    case 'EDQUOT': return 'Disk quota exceeded';
    case 'EBADF': return 'Bad file descriptor';
    case 'EROFS': return 'Read-only file system';
    case 'EFBIG': return 'File too large';
    default: return e.message;
  }
}

/** write + fsync + close on the thread pool, then `done(err)`. */
function writeFileDurably(file: string, data: Buffer, done: (err: Error | null) => void): void {
  fs.open(file, 'w', 0o644, (err, fd) => {
    if (err) return done(err);
    fs.write(fd, data, 0, data.length, null, werr => {
      if (werr) return fs.close(fd, () => done(werr));
      fs.fsync(fd, ferr => fs.close(fd, () => done(ferr ?? null)));
    });
  });
}

export { fsyncDir };
