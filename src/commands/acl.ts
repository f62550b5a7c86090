// ACL and AUTH: the thin command layer over src/acl/ (Redis: acl.c aclCommand, authCommand).
import { randomBytes } from 'node:crypto';
import { lookupCommand, type Handler } from './table.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { eqi } from '../util/parse.js';
import { getLongLongOrReply } from './args.js';
import { arityOk } from '../server/dispatch.js';
import { cstr, replyHelp, subcommandSyntaxError } from './server-common.js';
import { CATEGORIES, categoryIndex, commandsInCategory, describeChannels, describeCommandRules, describeKeys, describeUser, hasSpaces, type Selector } from '../acl/rules.js';
import { checkUserCommand, denied, Deny } from '../acl/check.js';

const REDACTED = Buffer.from('(redacted)');
const DEFAULT_USER = Buffer.from('default');

/** The latin1 text of an argument. */
const str = (b: Buffer) => b.latin1Slice(0, b.length);

const ACL_HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

function aclHelpCommand(c: Client, argv: Buffer[]): void {
  replyHelp(c, argv, ACL_HELP);
}

/** ACL SETUSER: every argument is redacted at once (MONITOR and SLOWLOG never see passwords). */
function aclSetuserCommand(c: Client, argv: Buffer[]): void {
  const name = str(argv[2]);
  const args: string[] = [];
  for (let j = 3; j < argv.length; j++) args.push(str(argv[j]));
  for (let j = 2; j < argv.length; j++) argv[j] = REDACTED;
  if (hasSpaces(name)) return c.reply.error(E.ACL_USERNAME_SPACES);
  const err = c.server.acl.setUser(name, args);
  if (err === null) c.reply.ok();
  else c.reply.errorSafe(err);
}

function aclDeluserCommand(c: Client, argv: Buffer[]): void {
  for (let j = 2; j < argv.length; j++) if (cstr(argv[j]) === 'default') return c.reply.error(E.ACL_DELETE_DEFAULT);
  let deleted = 0;
  for (let j = 2; j < argv.length; j++) if (c.server.acl.deleteUser(str(argv[j]), c)) deleted++;
  c.reply.int(deleted);
}

/** aclAddReplySelectorDescription: commands, keys and channels of one selector. */
function replySelector(c: Client, s: Selector): void {
  const r = c.reply;
  r.bulkStr('commands');
  r.bulk(Buffer.from(describeCommandRules(s), 'latin1'));
  r.bulkStr('keys');
  r.bulk(Buffer.from(describeKeys(s), 'latin1'));
  r.bulkStr('channels');
  r.bulk(Buffer.from(describeChannels(s), 'latin1'));
}

function aclGetuserCommand(c: Client, argv: Buffer[]): void {
  const u = c.server.acl.getUser(str(argv[2]));
  const r = c.reply;
  if (!u) return r.null();
  r.mapLen(6);
  r.bulkStr('flags');
  const flags = u.flagNames();
  r.setLen(flags.length);
  for (const f of flags) r.bulkStr(f);
  r.bulkStr('passwords');
  r.arrayLen(u.passwords.length);
  for (const p of u.passwords) r.bulkStr(p);
  replySelector(c, u.root);
  r.bulkStr('selectors');
  r.arrayLen(u.selectors.length - 1);
  for (let i = 1; i < u.selectors.length; i++) {
    r.mapLen(3);
    replySelector(c, u.selectors[i]);
  }
}

function aclListCommand(c: Client): void {
  const users = c.server.acl.sortedUsers();
  c.reply.arrayLen(users.length);
  for (const u of users) c.reply.bulk(Buffer.from(`user ${u.name} ${describeUser(u)}`, 'latin1'));
}

function aclUsersCommand(c: Client): void {
  const users = c.server.acl.sortedUsers();
  c.reply.arrayLen(users.length);
  for (const u of users) c.reply.bulk(Buffer.from(u.name, 'latin1'));
}

function aclWhoamiCommand(c: Client): void {
  c.reply.bulk(Buffer.from(c.user.name, 'latin1'));
}

function aclLoadCommand(c: Client): void {
  const acl = c.server.acl;
  if (acl.filename === '') return c.reply.error(E.ACL_NO_FILE);
  const errors = acl.loadFile(c);
  if (errors === null) c.reply.ok();
  else c.reply.errorSafe(E.aclLoadFailed(errors));
}

function aclSaveCommand(c: Client): void {
  const acl = c.server.acl;
  if (acl.filename === '') return c.reply.error(E.ACL_NO_FILE);
  if (acl.saveFile()) c.reply.ok();
  else c.reply.error(E.ACL_SAVE_FAILED);
}

function aclCatCommand(c: Client, argv: Buffer[]): void {
  const r = c.reply;
  if (argv.length === 2) {
    r.arrayLen(CATEGORIES.length);
    for (const cat of CATEGORIES) r.bulkStr(cat);
    return;
  }
  if (argv.length !== 3) return subcommandSyntaxError(c, argv);
  const k = categoryIndex(cstr(argv[2]));
  if (k < 0) return r.errorSafe(E.aclUnknownCategory(cstr(argv[2]).slice(0, 128)));
  const cmds = commandsInCategory(k);
  r.arrayLen(cmds.length);
  for (const spec of cmds) r.bulkStr(spec.fullname);
}

function aclGenpassCommand(c: Client, argv: Buffer[]): void {
  if (argv.length > 3) return subcommandSyntaxError(c, argv);
  let bits = 256;
  if (argv.length === 3) {
    const v = getLongLongOrReply(c, argv[2]);
    if (v === null) return;
    bits = v;
  }
  if (bits <= 0 || bits > 4096) return c.reply.error(E.ACL_GENPASS_BITS);
  const chars = Math.floor((bits + 3) / 4);
  c.reply.bulkStr(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
}

const REASONS = ['', 'command', 'key', 'auth', 'channel'];
const CONTEXTS = ['toplevel', 'lua', 'multi', 'module'];

function aclLogCommand(c: Client, argv: Buffer[]): void {
  if (argv.length > 3) return subcommandSyntaxError(c, argv);
  const acl = c.server.acl;
  let count = 10;
  if (argv.length === 3) {
    if (eqi(argv[2], 'reset')) {
      acl.log = [];
      return c.reply.ok();
    }
    const v = getLongLongOrReply(c, argv[2]);
    if (v === null) return;
    count = Math.max(0, v);
  }
  count = Math.min(count, acl.log.length);
  const r = c.reply;
  r.arrayLen(count);
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const le = acl.log[i];
    r.mapLen(7);
    r.bulkStr('count');
    r.int(le.count);
    r.bulkStr('reason');
    r.bulkStr(REASONS[le.reason] || 'unknown');
    r.bulkStr('context');
    r.bulkStr(CONTEXTS[le.context] ?? 'unknown');
    r.bulkStr('object');
    r.bulk(Buffer.from(le.object, 'latin1'));
    r.bulkStr('username');
    r.bulk(Buffer.from(le.username, 'latin1'));
    r.bulkStr('age-seconds');
    r.double((now - le.ctime) / 1000);
    r.bulkStr('client-info');
    r.bulk(Buffer.from(le.cinfo, 'latin1'));
  }
}

function aclDryrunCommand(c: Client, argv: Buffer[]): void {
  const u = c.server.acl.getUser(str(argv[2]));
  if (!u) return c.reply.errorSafe(E.aclUserNotFound(cstr(argv[2])));
  const cmdArgv = argv.slice(3);
  const spec = lookupCommand(cmdArgv);
  if (!spec) return c.reply.errorSafe(E.aclCommandNotFound(cstr(argv[3])));
  if (!arityOk(spec, cmdArgv.length)) return c.reply.errorSafe(E.wrongArity(spec.fullname));
  const res = checkUserCommand(u, spec, cmdArgv);
  if (res === Deny.OK) return c.reply.ok();
  const at = cmdArgv[denied.idx];
  const text = res === Deny.CMD ? E.dryrunCommand(spec.fullname) : res === Deny.KEY ? E.dryrunKey(str(at)) : E.dryrunChannel(str(at));
  c.reply.bulk(Buffer.from(text, 'latin1'));
}

/**
 * AUTH [user] pass. The password (and user) arguments are redacted in place, so that MONITOR and SLOWLOG, which
 * read argv after the handler ran, show "(redacted)" exactly as Redis's original_argv does.
 */
export function authCommand(c: Client, argv: Buffer[]): void {
  if (argv.length > 3) return c.reply.error(E.SYNTAX);
  let user: Buffer;
  let pass: Buffer;
  if (argv.length === 2) {
    pass = argv[1];
    argv[1] = REDACTED;
    if (c.server.acl.defaultIsNopass()) return c.reply.error(E.AUTH_NOPASS);
    user = DEFAULT_USER;
  } else {
    user = argv[1];
    pass = argv[2];
    argv[1] = REDACTED;
    argv[2] = REDACTED;
  }
  if (c.server.acl.authenticate(c, user, pass)) c.reply.ok();
  else c.reply.error(E.AUTH_WRONGPASS);
}

export const handlers: Record<string, Handler> = {
  auth: authCommand,
  'acl|help': aclHelpCommand,
  'acl|setuser': aclSetuserCommand,
  'acl|deluser': aclDeluserCommand,
  'acl|getuser': aclGetuserCommand,
  'acl|list': aclListCommand,
  'acl|users': aclUsersCommand,
  'acl|whoami': aclWhoamiCommand,
  'acl|load': aclLoadCommand,
  'acl|save': aclSaveCommand,
  'acl|cat': aclCatCommand,
  'acl|genpass': aclGenpassCommand,
  'acl|log': aclLogCommand,
  'acl|dryrun': aclDryrunCommand,
};
