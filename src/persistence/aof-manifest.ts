// The multi-part AOF manifest: its in-memory form, its text format and its file (Redis 7.0: aof.c aofInfo*,
// getAofManifestAsString, aofLoadManifestFromFile, writeAofManifestFile, getNewBaseFileNameAndMarkPreAsHistory…).
import fs from 'node:fs';
import path from 'node:path';
import { splitArgs } from '../util/parse.js';
import { reprArg } from '../server/server.js';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

/** A fatal start-up error (Redis logs it and exits 1): `lines` are the warnings to log, in order. */
export class AofFatalError extends Error {
  constructor(readonly lines: string[]) {
    super(lines[lines.length - 1]);
  }
}

export class AofManifest {
  base: AofInfo | null = null;
  history: AofInfo[] = [];
  incr: AofInfo[] = [];
  curBaseSeq = 0;
  curIncrSeq = 0;
  dirty = false;

  dup(): AofManifest {
    const m = new AofManifest();
    m.base = this.base && { ...this.base };
    m.history = this.history.map(i => ({ ...i }));
    m.incr = this.incr.map(i => ({ ...i }));
    m.curBaseSeq = this.curBaseSeq;
    m.curIncrSeq = this.curIncrSeq;
    m.dirty = this.dirty;
    return m;
  }

  /** getAofManifestAsString: base, then history, then incr files, one "file <name> seq <n> type <t>\n" line each. */
  toString(): string {
    let out = '';
    const line = (ai: AofInfo) => {
      const b = Buffer.from(ai.name, 'latin1');
      const name = needsRepr(b) ? reprArg(b) : ai.name;
      out += `file ${name} seq ${ai.seq} type ${ai.type}\n`;
    };
    if (this.base) line(this.base);
    this.history.forEach(line);
    this.incr.forEach(line);
    return out;
  }

  /** getNewBaseFileNameAndMarkPreAsHistory */
  newBase(filename: string, rdb: boolean): string {
    if (this.base) {
      this.base.type = 'h';
      this.history.unshift(this.base);
    }
    const name = `${filename}.${++this.curBaseSeq}.base.${rdb ? 'rdb' : 'aof'}`;
    this.base = { name, seq: this.curBaseSeq, type: 'b' };
    this.dirty = true;
    return name;
  }

  /** getNewIncrAofName */
  newIncr(filename: string): string {
    const name = `${filename}.${++this.curIncrSeq}.incr.aof`;
    this.incr.push({ name, seq: this.curIncrSeq, type: 'i' });
    this.dirty = true;
    return name;
  }

  /** getLastIncrAofName */
  lastIncr(filename: string): string {
    return this.incr.length ? this.incr[this.incr.length - 1].name : this.newIncr(filename);
  }

  /** markRewrittenIncrAofAsHistory: every INCR file but the one being written (when AOF is on) becomes HISTORY. */
  markRewrittenIncrAsHistory(keepLast: boolean): void {
    if (this.incr.length === 0) return;
    const keep = keepLast ? this.incr.splice(this.incr.length - 1, 1) : [];
    for (let i = this.incr.length - 1; i >= 0; i--) this.history.unshift({ ...this.incr[i], type: 'h' });
    this.incr = keep;
    this.dirty = true;
  }
}

/** sdsneedsrepr */
function needsRepr(b: Buffer): boolean {
  for (const c of b) {
    if (c === 0x5c || c === 0x22 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x07 || c === 0x08 || c < 0x20 || c > 0x7e || c === 0x20) return true;
  }
  return false;
}

/** aofLoadManifestFromFile: strict parsing, any error is fatal. */
export function parseManifest(text: Buffer): AofManifest {
  const am = new AofManifest();
  let maxSeq = 0;
  let linenum = 0;
  let pos = 0;
  const fail = (err: string, line: string | null): never => {
    const lines = ['\n*** FATAL AOF MANIFEST FILE ERROR ***\n'];
    if (line !== null) lines.push(`Reading the manifest file, at line ${linenum}\n`, `>>> '${line}'\n`);
    lines.push(`${err}\n`);
    throw new AofFatalError(lines);
  };
  for (;;) {
    if (pos >= text.length) {
      if (linenum === 0) fail('Found an empty AOF manifest', null);
      break;
    }
    // fgets(buf, MANIFEST_MAX_LINE+1): at most 1024 bytes per read
    let nl = text.indexOf(0x0a, pos);
    let end = nl < 0 ? text.length : nl + 1;
    if (end - pos > 1024) {
      end = pos + 1024;
      nl = -1;
    }
    const raw = text.subarray(pos, end);
    pos = end;
    linenum++;
    if (raw[0] === 0x23) continue; // '#'
    if (raw.indexOf(0x0a) < 0) fail('The AOF manifest file contains too long line', null);
    const line = raw.latin1Slice(0, raw.length).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line.length === 0) fail('Invalid AOF manifest file format', line);
    const argv = splitArgs(Buffer.from(line, 'latin1'));
    if (argv === null || argv.length < 6 || argv.length % 2) fail('Invalid AOF manifest file format', line);
    let name: string | null = null;
    let seq = 0;
    let type = '';
    for (let i = 0; i < argv!.length; i += 2) {
      const k = argv![i].latin1Slice(0, argv![i].length).toLowerCase();
      const v = argv![i + 1].latin1Slice(0, argv![i + 1].length);
      if (k === 'file') {
        name = v;
        if (v.includes('/') || v.includes('\\')) fail("File can't be a path, just a filename", line);
      } else if (k === 'seq') seq = atoll(v);
      else if (k === 'type') type = v.charAt(0);
    }
    if (!name || !seq || !type) fail('Invalid AOF manifest file format', line);
    const ai: AofInfo = { name: name!, seq, type: type as AofFileType };
    if (type === 'b') {
      if (am.base) fail('Found duplicate base file information', line);
      am.base = ai;
      am.curBaseSeq = seq;
    } else if (type === 'h') am.history.push(ai);
    else if (type === 'i') {
      if (seq <= maxSeq) fail('Found a non-monotonic sequence number', line);
      am.incr.push(ai);
      am.curIncrSeq = seq;
      maxSeq = seq;
    } else fail('Unknown AOF file type', line);
  }
  return am;
}

/** atoll: leading whitespace, sign, digits; 0 when none. */
function atoll(v: string): number {
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m ? Number(m[1]) : 0;
}

/** writeAofManifestFile: a temp file, fsync, rename over the manifest, fsync the directory. Throws on error. */
export function writeManifest(dir: string, filename: string, am: AofManifest): void {
  const name = `${filename}.manifest`;
  const tmp = path.join(dir, `temp-${name}`);
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    fs.writeSync(fd, am.toString());
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, name));
  fsyncDir(dir);
  am.dirty = false;
}

/** fsyncFileDir */
export function fsyncDir(dir: string): void {
  try {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    /* some file systems refuse fsync on a directory */
  }
}
