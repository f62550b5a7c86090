// FUNCTION (LOAD, LIST, DELETE, FLUSH, KILL, STATS, DUMP, RESTORE, HELP), FCALL and FCALL_RO (Redis: functions.c).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { eqi, stringMatch } from '../util/parse.js';
import { Scripting, type Library, type FunctionEntry } from '../scripting/index.js';
import { parseNumKeys, replyHelp } from './scripting.js';
import { RDB_OPCODE_FUNCTION, RDB_OPCODE_FUNCTION2, RdbReader, dumpPayload, saveRawString, verifyPayload } from '../scripting/rdb.js';
import { E } from '../errors.js';

/** FUNCTION LOAD's Lua timeout (LOAD_TIMEOUT_MS). */
const LOAD_TIMEOUT_MS = 500;

function fcallGeneric(c: Client, argv: Buffer[], ro: boolean): void {
  const s = c.server;
  if (s.monitors.size) s.feedMonitors(c, argv, c.db.id);
  const f = s.scripting.lookupFunction(argv[1]);
  if (!f) return c.reply.error(E.FUNCTION_NOT_FOUND);
  const numkeys = parseNumKeys(c, argv, E.FUNCTION_BAD_NUMKEYS);
  if (numkeys === null) return;
  s.scripting.runFunction(c, f, argv, 3, numkeys, ro);
}

export function fcallCommand(c: Client, argv: Buffer[]): void {
  fcallGeneric(c, argv, false);
}
export function fcallRoCommand(c: Client, argv: Buffer[]): void {
  fcallGeneric(c, argv, true);
}

export function functionLoadCommand(c: Client, argv: Buffer[]): void {
  if (c.server.scripting.refuseNested(c)) return;
  let replace = false;
  for (let i = 2; i < argv.length - 1; i++) {
    if (!eqi(argv[i], 'replace')) return c.reply.errorSafe(E.functionUnknownOption(cstr(argv[i])));
    replace = true;
  }
  const sc = c.server.scripting;
  const r = sc.createLibrary(argv[argv.length - 1], replace, sc, LOAD_TIMEOUT_MS);
  if (!r.ok) return c.reply.errorSafe(r.error);
  c.server.dirty++;
  c.reply.bulkStr(r.name);
}

export function functionDeleteCommand(c: Client, argv: Buffer[]): void {
  if (c.server.scripting.refuseNested(c)) return;
  const sc = c.server.scripting;
  const lib = sc.libraries.get(argv[2].latin1Slice(0, argv[2].length));
  if (!lib) return c.reply.error(E.LIBRARY_NOT_FOUND);
  sc.unlink(sc, lib);
  sc.freeLibraries([lib]);
  c.server.dirty++;
  c.reply.ok();
}

export function functionFlushCommand(c: Client, argv: Buffer[]): void {
  if (c.server.scripting.refuseNested(c)) return;
  if (argv.length > 3) return c.reply.errorSafe(E.unknownSubcommandOrArity(cstr(argv[1]), 'FUNCTION'));
  if (argv.length === 3 && !eqi(argv[2], 'sync') && !eqi(argv[2], 'async'))
    return c.reply.error(E.FUNCTION_FLUSH_OPTION);
  c.server.scripting.flushFunctions();
  c.server.dirty++;
  c.reply.ok();
}

export function functionKillCommand(c: Client): void {
  c.server.scripting.kill(c, false);
}

export function functionStatsCommand(c: Client): void {
  const sc = c.server.scripting;
  if (sc.isRunning() && sc.isEval()) return c.reply.error(sc.busyError());
  const r = c.reply;
  r.mapLen(2);
  r.bulkStr('running_script');
  const run = sc.run;
  if (!run) r.null();
  else {
    r.mapLen(3);
    r.bulkStr('name');
    r.bulkStr(run.name);
    r.bulkStr('command');
    r.bulkArray(run.caller.argv);
    r.bulkStr('duration_ms');
    r.int(Math.floor(performance.now() - run.start));
  }
  r.bulkStr('engines');
  r.mapLen(1);
  r.bulkStr('LUA');
  r.mapLen(2);
  const n = sc.functionCounts();
  r.bulkStr('libraries_count');
  r.int(n.libraries);
  r.bulkStr('functions_count');
  r.int(n.functions);
}

function replyFunction(c: Client, f: FunctionEntry): void {
  const r = c.reply;
  r.mapLen(3);
  r.bulkStr('name');
  r.bulkStr(f.name);
  r.bulkStr('description');
  if (f.description) r.bulk(f.description);
  else r.null();
  r.bulkStr('flags');
  const names = Scripting.flagNames(f.flags);
  r.setLen(names.length);
  for (const n of names) r.simple(n);
}

export function functionListCommand(c: Client, argv: Buffer[]): void {
  let withCode = false;
  let pattern: Buffer | null = null;
  for (let i = 2; i < argv.length; i++) {
    if (!withCode && eqi(argv[i], 'withcode')) {
      withCode = true;
      continue;
    }
    if (!pattern && eqi(argv[i], 'libraryname')) {
      if (i >= argv.length - 1) return c.reply.error(E.FUNCTION_LIST_NO_LIBRARY_NAME);
      pattern = argv[++i];
      continue;
    }
    return c.reply.errorSafe(E.functionUnknownArgument(cstr(argv[i])));
  }
  const libs: Library[] = [];
  for (const l of c.server.scripting.libraries.values()) {
    if (pattern && !stringMatch(pattern, Buffer.from(l.name, 'latin1'), true)) continue;
    libs.push(l);
  }
  const r = c.reply;
  r.arrayLen(libs.length);
  for (const l of libs) {
    r.mapLen(withCode ? 4 : 3);
    r.bulkStr('library_name');
    r.bulkStr(l.name);
    r.bulkStr('engine');
    r.bulkStr('LUA');
    r.bulkStr('functions');
    r.arrayLen(l.functions.size);
    for (const f of l.functions.values()) replyFunction(c, f);
    if (withCode) {
      r.bulkStr('library_code');
      r.bulk(l.code);
    }
  }
}

export function functionDumpCommand(c: Client): void {
  const parts: Buffer[] = [];
  const compression = c.server.config.bool('rdbcompression');
  for (const l of c.server.scripting.libraries.values()) {
    parts.push(Buffer.from([RDB_OPCODE_FUNCTION2]));
    saveRawString(parts, l.code, compression);
  }
  c.reply.bulk(dumpPayload(parts));
}

export function functionRestoreCommand(c: Client, argv: Buffer[]): void {
  if (c.server.scripting.refuseNested(c)) return;
  if (argv.length > 4) return c.reply.errorSafe(E.unknownSubcommandOrArity(cstr(argv[1]), 'FUNCTION'));
  let policy: 'append' | 'replace' | 'flush' = 'append';
  if (argv.length === 4) {
    if (eqi(argv[3], 'append')) policy = 'append';
    else if (eqi(argv[3], 'replace')) policy = 'replace';
    else if (eqi(argv[3], 'flush')) policy = 'flush';
    else return c.reply.error(E.FUNCTION_RESTORE_POLICY);
  }
  const data = argv[2];
  const s = c.server;
  if (!verifyPayload(data, s.skipChecksumValidation)) return c.reply.error(E.DUMP_PAYLOAD);
  const sc = s.scripting;
  const tmp = { libraries: new Map<string, Library>(), functions: new Map<string, FunctionEntry>() };
  const rd = new RdbReader(data);
  let err: string | null = null;
  while (data.length - rd.pos > 10) {
    const type = rd.type();
    if (type === null) {
      err = E.FUNCTION_RESTORE_TYPE;
      break;
    }
    if (type !== RDB_OPCODE_FUNCTION && type !== RDB_OPCODE_FUNCTION2) {
      err = E.FUNCTION_RESTORE_NOT_FUNCTION;
      break;
    }
    let code: Buffer | null;
    if (type === RDB_OPCODE_FUNCTION) {
      const old = loadOldFormat(rd);
      if (typeof old === 'string') {
        err = old;
        break;
      }
      code = old;
    } else {
      code = rd.string();
      if (!code) {
        err = E.FUNCTION_LOAD_PAYLOAD;
        break;
      }
    }
    const r = sc.createLibrary(code!, false, tmp, 0);
    if (!r.ok) {
      err = r.error;
      break;
    }
  }
  if (err === null) {
    if (policy === 'flush') {
      sc.flushFunctions();
      sc.libraries = tmp.libraries;
      sc.functions = tmp.functions;
      tmp.libraries = new Map();
    } else {
      err = join(sc, tmp, policy === 'replace');
      if (err === null) tmp.libraries = new Map();
    }
  }
  sc.freeLibraries(tmp.libraries.values());
  if (err !== null) return c.reply.errorSafe(err);
  s.dirty++;
  c.reply.ok();
}

/** RDB_OPCODE_FUNCTION (7.0-rc): name, engine, optional description, code body. Returns the code or an error text. */
function loadOldFormat(rd: RdbReader): Buffer | string {
  const name = rd.string();
  if (!name) return E.FUNCTION_LOAD_NAME;
  const engine = rd.string();
  if (!engine) return E.FUNCTION_LOAD_ENGINE;
  const hasDesc = rd.len();
  if (!hasDesc) return E.FUNCTION_LOAD_DESC_INDICATOR;
  if (hasDesc.len && !rd.string()) return E.FUNCTION_LOAD_DESC;
  const blob = rd.string();
  if (!blob) return E.FUNCTION_LOAD_BLOB;
  return Buffer.concat([Buffer.from(`#!${cstr(engine)} name=${cstr(name)}\n`, 'latin1'), blob]);
}

/** libraryJoin: moves the restored libraries into the current set; an error text leaves everything as it was. */
function join(
  sc: Scripting,
  src: { libraries: Map<string, Library>; functions: Map<string, FunctionEntry> },
  replace: boolean,
): string | null {
  const old: Library[] = [];
  const restore = () => {
    for (const l of old) sc.link(sc, l);
  };
  for (const l of src.libraries.values()) {
    const o = sc.libraries.get(l.name);
    if (o) {
      if (!replace) {
        restore();
        return E.libraryJoinExists(l.name);
      }
      sc.unlink(sc, o);
      old.push(o);
    }
  }
  for (const f of src.functions.values()) {
    if (sc.functions.has(f.name.toLowerCase())) {
      restore();
      return E.functionExists(f.name);
    }
  }
  for (const l of src.libraries.values()) sc.link(sc, l);
  sc.freeLibraries(old);
  return null;
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

export function functionHelpCommand(c: Client): void {
  replyHelp(c, FUNCTION_HELP);
}

/** A C string view (%s stops at NUL). */
function cstr(b: Buffer): string {
  const z = b.indexOf(0);
  return b.latin1Slice(0, z < 0 ? b.length : z);
}

export const handlers: Record<string, Handler> = {
  fcall: fcallCommand,
  fcall_ro: fcallRoCommand,
  'function|load': functionLoadCommand,
  'function|delete': functionDeleteCommand,
  'function|flush': functionFlushCommand,
  'function|kill': functionKillCommand,
  'function|stats': functionStatsCommand,
  'function|list': functionListCommand,
  'function|dump': functionDumpCommand,
  'function|restore': functionRestoreCommand,
  'function|help': functionHelpCommand,
};
