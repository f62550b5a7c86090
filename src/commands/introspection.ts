// COMMAND (INFO/DOCS/LIST/GETKEYS...), SLOWLOG and LATENCY (Redis: server.c commandCommand, db.c *GetKeys, slowlog.c,
// latency.c).
import { commandTable, allCommands, lookupCommand, type CommandSpec, type Handler, F } from './table.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { eqi, stringMatch, string2ll } from '../util/parse.js';
import { arityOk } from '../server/dispatch.js';
import { replyHelp, subcommandSyntaxError, writeTree, lookupByName } from './server-common.js';

// ---------------------------------------------------------------------------------------------------------------
// COMMAND

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

function replyAllCommandInfo(c: Client): void {
  c.reply.arrayLen(commandTable.size);
  for (const spec of commandTable.values()) writeTree(c.reply, spec.info);
}

export function commandCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 1) return replyAllCommandInfo(c);
  subcommandSyntaxError(c, argv);
}

export function commandHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, COMMAND_HELP);
}

export function commandCountCommand(c: Client): void {
  c.reply.int(commandTable.size);
}

export function commandInfoCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 2) return replyAllCommandInfo(c);
  c.reply.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const spec = lookupByName(argv[i].toString('latin1'));
    if (spec) writeTree(c.reply, spec.info);
    else c.reply.null();
  }
}

function writeDocs(c: Client, spec: CommandSpec): void {
  c.reply.bulkStr(spec.fullname);
  if (spec.docs) writeTree(c.reply, spec.docs);
  else c.reply.mapLen(0);
}

export function commandDocsCommand(c: Client, argv: Buffer[]): void {
  if (argv.length === 2) {
    c.reply.mapLen(commandTable.size);
    for (const spec of commandTable.values()) writeDocs(c, spec);
    return;
  }
  const found: CommandSpec[] = [];
  for (let i = 2; i < argv.length; i++) {
    const spec = lookupByName(argv[i].toString('latin1'));
    if (spec) found.push(spec);
  }
  c.reply.mapLen(found.length);
  for (const spec of found) writeDocs(c, spec);
}

export function commandListCommand(c: Client, argv: Buffer[]): void {
  let filter: { type: 'module' | 'aclcat' | 'pattern'; arg: Buffer } | null = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (eqi(argv[i], 'filterby') && more === 2) {
      const t = argv[i + 1];
      let type: 'module' | 'aclcat' | 'pattern';
      if (eqi(t, 'module')) type = 'module';
      else if (eqi(t, 'aclcat')) type = 'aclcat';
      else if (eqi(t, 'pattern')) type = 'pattern';
      else {
        c.reply.error(E.SYNTAX);
        return;
      }
      filter = { type, arg: argv[i + 2] };
      i += 2;
    } else {
      c.reply.error(E.SYNTAX);
      return;
    }
  }
  const names: string[] = [];
  const cat = filter && filter.type === 'aclcat' ? '@' + filter.arg.toString('latin1').toLowerCase() : '';
  for (const spec of allCommands()) {
    if (filter) {
      if (filter.type === 'module') continue;
      if (filter.type === 'aclcat' && !spec.aclCategories.some(x => x.toLowerCase() === cat)) continue;
      if (filter.type === 'pattern' && !stringMatch(filter.arg, Buffer.from(spec.fullname, 'latin1'), true)) continue;
    }
    names.push(spec.fullname);
  }
  c.reply.arrayLen(names.length);
  for (const n of names) c.reply.bulkStr(n);
}

interface KeyRef {
  pos: number;
  flags: string[];
}

/**
 * getKeysFromCommandWithSpecs: key positions with the flags of the spec that found them, null when the specs are
 * invalid for these arguments (Redis then falls back to the command's getkeys_proc, which for the built-in commands
 * reports no keys for the same malformed inputs, e.g. a bad numkeys).
 */
export function commandKeys(spec: CommandSpec, argv: Buffer[]): KeyRef[] | null {
  const special = specialGetKeys(spec.fullname, argv);
  if (special) return special;
  const out: KeyRef[] = [];
  const argc = argv.length;
  let incomplete = false;
  for (const ks of spec.keySpecs) {
    if (ks.flags.includes('not_key')) continue;
    let first = 0;
    if (ks.begin.type === 'index') first = ks.begin.index;
    else if (ks.begin.type === 'keyword') {
      const kw = ks.begin.keyword;
      const start = ks.begin.startfrom > 0 ? ks.begin.startfrom : argc + ks.begin.startfrom;
      const end = ks.begin.startfrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i].toString('latin1').toLowerCase() === kw.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      // the loop above stops before end_index (as Redis's does)
      if (!first) continue;
    } else return null;
    let last: number;
    let step: number;
    if (ks.find.type === 'range') {
      step = ks.find.keystep;
      if (ks.find.lastkey >= 0) last = first + ks.find.lastkey;
      else if (!ks.find.limit) last = argc + ks.find.lastkey;
      else last = first + (Math.floor((argc - first) / ks.find.limit) + ks.find.lastkey);
    } else if (ks.find.type === 'keynum') {
      step = ks.find.keystep;
      const idx = first + ks.find.keynumidx;
      if (idx >= argc) return null;
      const n = string2ll(argv[idx]);
      if (n === null || n < 0) return null;
      first += ks.find.firstkey;
      last = first + n - 1;
    } else return null;
    if (last >= argc || last < first || first >= argc) {
      if (last < first && ks.find.type === 'keynum') continue; // numkeys 0
      return null;
    }
    let flags = ks.flags.filter(f => f !== 'variable_flags');
    if (spec.fullname === 'set') {
      // setGetKeys: OW+UPDATE, or RW+ACCESS+UPDATE with GET
      let get = false;
      for (let i = 3; i < argc; i++) if (eqi(argv[i], 'get')) get = true;
      flags = get ? ['RW', 'access', 'update'] : ['OW', 'update'];
    }
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags });
    if (ks.flags.includes('incomplete')) incomplete = true;
  }
  if (incomplete && spec.has(F.movablekeys)) {
    // Incomplete specs: Redis uses the command's own key finder; key positions found so far are still right for
    // the built-in commands, so keep them.
  }
  return out;
}

/** The getkeys_proc of the commands whose key specs are incomplete or have variable flags (db.c *GetKeys). */
function specialGetKeys(name: string, argv: Buffer[]): KeyRef[] | null {
  const argc = argv.length;
  switch (name) {
    case 'sort_ro':
      return [{ pos: 1, flags: ['RO', 'access'] }];
    case 'sort': {
      const out: KeyRef[] = [{ pos: 1, flags: ['RO', 'access'] }];
      let store = 0;
      for (let i = 2; i < argc; i++) {
        if (eqi(argv[i], 'limit')) i += 2;
        else if (eqi(argv[i], 'get') || eqi(argv[i], 'by')) i += 1;
        else if (eqi(argv[i], 'store') && i + 1 < argc) store = i + 1;
      }
      if (store) out.push({ pos: store, flags: ['OW', 'update'] });
      return out;
    }
    case 'migrate': {
      let first = 3;
      let num = 1;
      if (argc > 6) {
        for (let i = 6; i < argc; i++) {
          if (eqi(argv[i], 'keys')) {
            if (argv[3].length > 0) num = 0;
            else {
              first = i + 1;
              num = argc - first;
            }
            break;
          }
          if (eqi(argv[i], 'auth')) i += 1;
          else if (eqi(argv[i], 'auth2')) i += 2;
        }
      }
      const out: KeyRef[] = [];
      for (let i = 0; i < num; i++) out.push({ pos: first + i, flags: ['RW', 'access', 'delete'] });
      return out;
    }
    case 'bitfield': {
      let readonly = true;
      for (let i = 2; i < argc; i++) {
        const rem = argc - i - 1;
        if (eqi(argv[i], 'get') && rem >= 2) i += 2;
        else if ((eqi(argv[i], 'set') || eqi(argv[i], 'incrby')) && rem >= 3) {
          readonly = false;
          break;
        } else if (eqi(argv[i], 'overflow') && rem >= 1) i += 1;
        else {
          readonly = false;
          break;
        }
      }
      return [{ pos: 1, flags: readonly ? ['RO', 'access'] : ['RW', 'access', 'update'] }];
    }
  }
  return null;
}

function getKeysSubcommand(c: Client, argv: Buffer[], withFlags: boolean): void {
  const cmdArgv = argv.slice(2);
  const spec = lookupCommand(cmdArgv);
  if (!spec) {
    c.reply.error(E.COMMAND_INVALID);
    return;
  }
  const hasKeys = spec.has(F.movablekeys) || spec.keySpecs.some(k => !k.flags.includes('not_key'));
  if (!hasKeys) {
    c.reply.error(E.COMMAND_NO_KEYS);
    return;
  }
  if (!arityOk(spec, cmdArgv.length)) {
    c.reply.error(E.COMMAND_BAD_ARITY);
    return;
  }
  const keys = commandKeys(spec, cmdArgv);
  if (keys === null || keys.length === 0) {
    if (spec.has(F.no_mandatory_keys)) c.reply.arrayLen(0);
    else c.reply.error(E.COMMAND_BAD_ARGS);
    return;
  }
  c.reply.arrayLen(keys.length);
  for (const k of keys) {
    if (withFlags) {
      c.reply.arrayLen(2);
      c.reply.bulk(cmdArgv[k.pos]);
      c.reply.setLen(k.flags.length);
      for (const f of k.flags) c.reply.simple(f);
    } else c.reply.bulk(cmdArgv[k.pos]);
  }
}

export function commandGetkeysCommand(c: Client, argv: Buffer[]): void {
  getKeysSubcommand(c, argv, false);
}

export function commandGetkeysandflagsCommand(c: Client, argv: Buffer[]): void {
  getKeysSubcommand(c, argv, true);
}

// ---------------------------------------------------------------------------------------------------------------
// SLOWLOG

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

export function slowlogHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, SLOWLOG_HELP);
}

export function slowlogGetCommand(c: Client, argv: Buffer[]): void {
  const s = c.server;
  let count = 10;
  if (argv.length === 3) {
    const v = string2ll(argv[2]);
    if (v === null || v < -1) {
      c.reply.error(E.COUNT_GE_MINUS1);
      return;
    }
    count = v === -1 ? s.slowlog.length : v;
  } else if (argv.length > 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  const n = Math.min(count, s.slowlog.length);
  const r = c.reply;
  r.arrayLen(n);
  for (let i = 0; i < n; i++) {
    const e = s.slowlog[i];
    r.arrayLen(6);
    r.int(e.id);
    r.int(e.time);
    r.int(e.usec);
    r.arrayLen(e.argv.length);
    for (const a of e.argv) r.bulk(a);
    r.bulkStr(e.addr);
    r.bulkStr(e.name);
  }
}

export function slowlogLenCommand(c: Client): void {
  c.reply.int(c.server.slowlog.length);
}

export function slowlogResetCommand(c: Client): void {
  c.server.slowlog = [];
  c.reply.ok();
}


export const handlers: Record<string, Handler> = {
  command: commandCommand,
  'command|help': commandHelpCommand,
  'command|count': commandCountCommand,
  'command|info': commandInfoCommand,
  'command|docs': commandDocsCommand,
  'command|list': commandListCommand,
  'command|getkeys': commandGetkeysCommand,
  'command|getkeysandflags': commandGetkeysandflagsCommand,
  'slowlog|help': slowlogHelpCommand,
  'slowlog|get': slowlogGetCommand,
  'slowlog|len': slowlogLenCommand,
  'slowlog|reset': slowlogResetCommand,
};
