// Loading one AOF file: its RESP commands replayed on a fake client, with Redis's truncation and format-error
// handling (Redis 7.0: aof.c loadSingleAppendOnlyFile, createAOFClient).
import fs from 'node:fs';
import { Client, CF } from '../server/client.js';
import type { Server } from '../server/server.js';
import { lookupCommand, commandTable } from '../commands/table.js';

export const AOF_OK = 0;
export const AOF_NOT_EXIST = 1;
export const AOF_EMPTY = 2;
export const AOF_OPEN_ERR = 3;
export const AOF_FAILED = 4;
export const AOF_TRUNCATED = 5;

/** AOF_ANNOTATION_LINE_MAX_LEN: fgets reads lines of at most 1023 bytes. */
const LINE_MAX = 1024;

/**
 * Loads the RDB at the start of `data` (a BASE file or an old-style preamble, "REDIS" signature) into the dataset;
 * set by the RDB module when present. Returns the bytes it consumed (an AOF tail may follow), or -1 on a load error.
 */
export type RdbBaseLoader = (s: Server, data: Buffer) => number;
let rdbBaseLoader: RdbBaseLoader | null = null;
export function setRdbBaseLoader(f: RdbBaseLoader): void {
  rdbBaseLoader = f;
}

const MULTI_SPEC = commandTable.get('multi');
const EXEC_SPEC = commandTable.get('exec');

/** strtol(buf+1, NULL, 10) over a line: leading spaces, sign, digits. */
function lineInt(line: Buffer): number {
  const m = /^\s*([+-]?\d+)/.exec(line.latin1Slice(1, line.length));
  return m ? Number(m[1]) : 0;
}

/**
 * loadSingleAppendOnlyFile. `filename` is relative to `dir` (the AOF directory) and names the file in log lines.
 * Returns one of the AOF_* codes; logs as Redis logs.
 */
export function loadSingleAppendOnlyFile(s: Server, dir: string, filename: string, loadTruncated: boolean, oldStyle: boolean): number {
  const filepath = `${dir}/${filename}`;
  let data: Buffer;
  try {
    data = fs.readFileSync(filepath);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'ENOENT') {
      s.log.warning(`Fatal error: can't open the append log file ${filename} for reading: ${err.message}`);
      return AOF_OPEN_ERR;
    }
    s.log.warning(`The append log file ${filename} doesn't exist: No such file or directory`);
    return AOF_NOT_EXIST;
  }
  if (data.length === 0) return AOF_EMPTY;

  const fake = new Client(s, null);
  fake.flags = CF.DENY_BLOCKING | CF.AOF;
  let pos = 0;
  if (data.length >= 5 && data.latin1Slice(0, 5) === 'REDIS') {
    s.log.notice(oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
    const used = rdbBaseLoader === null ? -1 : rdbBaseLoader(s, data);
    if (used < 0) {
      s.log.warning(
        oldStyle
          ? `Error reading the RDB preamble of the AOF file ${filename}, AOF loading aborted`
          : `Error reading the RDB base file ${filename}, AOF loading aborted`,
      );
      return AOF_FAILED;
    }
    pos = used;
    if (oldStyle) s.log.notice('Reading the remaining AOF tail...');
  }

  /** fgets: the next line of at most LINE_MAX-1 bytes, or null at EOF */
  const fgets = (): Buffer | null => {
    if (pos >= data.length) return null;
    const nl = data.indexOf(0x0a, pos);
    let end = nl < 0 ? data.length : nl + 1;
    if (end - pos > LINE_MAX - 1) end = pos + LINE_MAX - 1;
    const line = data.subarray(pos, end);
    pos = end;
    return line;
  };

  let validUpTo = 0;
  let validBeforeMulti = 0;
  type Outcome = 'ok' | 'uxeof' | 'fmterr' | 'failed';
  const run = (): Outcome => {
    for (;;) {
      const line = fgets();
      if (line === null) return 'ok';
      if (line[0] === 0x23) continue; // annotations (#TS:...)
      if (line[0] !== 0x2a) return 'fmterr';
      if (line.length === 1) return 'uxeof';
      const argc = lineInt(line);
      if (argc < 1) return 'fmterr';
      const argv: Buffer[] = new Array(argc);
      for (let j = 0; j < argc; j++) {
        const h = fgets();
        if (h === null) return 'uxeof';
        if (h[0] !== 0x24) return 'fmterr';
        const len = lineInt(h);
        if (len > 0 && pos + len > data.length) return 'uxeof';
        argv[j] = Buffer.from(data.subarray(pos, pos + Math.max(0, len)));
        pos += Math.max(0, len);
        if (pos + 2 > data.length) return 'uxeof';
        pos += 2;
      }
      const spec = lookupCommand(argv);
      if (!spec || !spec.handler) {
        s.log.warning(`Unknown command '${argv[0].latin1Slice(0, argv[0].length)}' reading the append only file ${filename}`);
        return 'failed';
      }
      if (spec === MULTI_SPEC) validBeforeMulti = validUpTo;
      fake.cmd = fake.lastCmd = spec;
      fake.argv = argv;
      if (fake.flags & CF.MULTI && spec !== EXEC_SPEC) {
        fake.mstate!.push({ spec, argv });
        fake.mstateFlags |= spec.flags;
      } else {
        // cmd->proc(fakeClient): no call() (no stats, no propagation); EXEC calls its commands through call()
        spec.handler(fake, argv);
      }
      fake.reply.take();
      if (loadTruncated) validUpTo = pos;
    }
  };

  let outcome = run();
  if (outcome === 'ok' && fake.flags & CF.MULTI) {
    s.log.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${filename}`);
    validUpTo = validBeforeMulti;
    outcome = 'uxeof';
  }
  if (outcome === 'ok') return AOF_OK;
  if (outcome === 'failed') return AOF_FAILED;
  if (outcome === 'uxeof') {
    if (loadTruncated) {
      s.log.warning(`!!! Warning: short read while loading the AOF file ${filename}!!!`);
      s.log.warning(`!!! Truncating the AOF ${filename} at offset ${validUpTo} !!!`);
      try {
        fs.truncateSync(filepath, validUpTo);
        s.log.warning(`AOF ${filename} loaded anyway because aof-load-truncated is enabled`);
        return AOF_TRUNCATED;
      } catch (e) {
        s.log.warning(`Error truncating the AOF file ${filename}: ${(e as Error).message}`);
      }
    }
    s.log.warning(
      `Unexpected end of file reading the append only file ${filename}. You can: ` +
        '1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. ' +
        "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
    );
    return AOF_FAILED;
  }
  s.log.warning(
    `Bad file format reading the append only file ${filename}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
  );
  return AOF_FAILED;
}
