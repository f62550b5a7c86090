// The ACL subsystem: the users, the default user and requirepass, authentication, the ACL log, the aclfile and the
// `user` directives of redis.conf, and the clients killed when their user goes away (Redis: acl.c).
import fs from 'node:fs';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { Server } from '../server/server.js';
import { CF, type Client } from '../server/client.js';
import type { CommandSpec } from '../commands/table.js';
import { clientInfoString } from '../commands/connection.js';
import { errnoText } from '../server/config.js';
import { E } from '../errors.js';
import { checkUserCommand, denied, Deny, channelAllowed } from './check.js';
import { hashPassword, hasSpaces, mergeSelectorArgs, ruleErrorText, ruleWarnings, RuleErr, SEL, UF, User, describeUser, type UserDirective } from './rules.js';


/** ACL_LOG_CTX_*: where a denial happened. */
export const enum LogCtx {
  TOPLEVEL = 0,
  LUA = 1,
  MULTI = 2,
  MODULE = 3,
}

export interface AclLogEntry {
  count: number;
  reason: Deny;
  context: LogCtx;
  object: string;
  username: string;
  /** ms of the last update */
  ctime: number;
  cinfo: string;
}

const LOG_GROUPING_MAX_TIME_DELTA = 60000;
/** The hash compared when AUTH names a user that does not exist, so the time taken does not tell. */
const DUMMY_HASH = Buffer.from(hashPassword('redlua: no such user'), 'latin1');

/** Thrown by the constructor when the ACLs of the configuration cannot be loaded (Redis exits with status 1). */
export class AclStartupError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

export class Acl {
  /** Users by name (latin1); listed in byte order as Redis's rax is. */
  readonly users = new Map<string, User>();
  readonly defaultUser: User;
  /** newest first */
  log: AclLogEntry[] = [];
  /** The default user asks for a password or is disabled (authRequired, less the client's own state). */
  defaultNeedsAuth = false;

  constructor(readonly server: Server) {
    ruleWarnings.log = msg => this.server.log.warning(msg);
    this.defaultUser = this.createDefaultUser();
    this.users.set('default', this.defaultUser);
    this.refreshDefault();
  }

  /** acl-pubsub-default as the selector flag new users and selectors start with. */
  get pubsubDefault(): number {
    return this.server.config.get('acl-pubsub-default') === 'allchannels' ? SEL.ALLCHANNELS : 0;
  }

  private createDefaultUser(): User {
    const u = new User('default', 0);
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) u.set(op, 0);
    u.refresh();
    return u;
  }

  refreshDefault(): void {
    const f = this.defaultUser.flags;
    this.defaultNeedsAuth = !(f & UF.NOPASS) || (f & UF.DISABLED) !== 0;
  }

  /** authRequired */
  authRequired(c: Client): boolean {
    return this.defaultNeedsAuth && !c.authenticated;
  }

  /** clientSetDefaultAuth */
  setDefaultAuth(c: Client): void {
    c.user = this.defaultUser;
    const f = this.defaultUser.flags;
    c.authenticated = (f & UF.NOPASS) !== 0 && !(f & UF.DISABLED);
  }

  /** The default user has no password (protected mode refuses non-local clients then). */
  defaultIsNopass(): boolean {
    return (this.defaultUser.flags & UF.NOPASS) !== 0;
  }

  getUser(name: string): User | undefined {
    return this.users.get(name);
  }

  sortedUsers(): User[] {
    return [...this.users.keys()].sort().map(n => this.users.get(n)!);
  }

  /** ACLUpdateDefaultUserPassword: requirepass is the default user's only password (empty: nopass). */
  updateDefaultPassword(pass: string): void {
    const u = this.defaultUser;
    u.set('resetpass', 0);
    u.set(pass === '' ? 'nopass' : '>' + pass, 0);
    u.refresh();
    this.refreshDefault();
  }

  /**
   * ACLStringSetUser: every rule is tried on a copy first; null on success, else the error text. Pub/sub clients
   * of the user that lose a channel are disconnected.
   */
  setUser(name: string, args: string[]): string | null {
    const merged = mergeSelectorArgs(args);
    if (!Array.isArray(merged)) return E.aclUnmatchedParenthesis(args[merged.unmatched]);
    const existing = this.users.get(name);
    const pd = this.pubsubDefault;
    const temp = new User(name, pd);
    if (existing) temp.copyFrom(existing);
    for (const op of merged) {
      const e = temp.set(op, pd);
      if (e !== RuleErr.OK) return E.aclSetUserModifier(cstr(op), ruleErrorText(e));
    }
    temp.refresh();
    if (existing) {
      this.killPubsubClientsIfNeeded(temp, existing);
      existing.copyFrom(temp);
      if (existing === this.defaultUser) this.refreshDefault();
    } else {
      const u = new User(name, pd);
      u.copyFrom(temp);
      this.users.set(name, u);
    }
    return null;
  }

  /** ACL DELUSER of one user (never 'default'): its clients are disconnected (ACLFreeUserAndKillClients). */
  deleteUser(name: string, current: Client): boolean {
    const u = this.users.get(name);
    if (!u) return false;
    this.users.delete(name);
    this.killClientsOf(u, current);
    return true;
  }

  private killClientsOf(u: User, current: Client | null): void {
    const s = this.server;
    for (const c of [...s.clients.values()]) {
      if (c.user !== u) continue;
      c.user = this.defaultUser;
      c.authenticated = false;
      // the current client still gets its reply: it is closed once that is written
      if (c === current) c.flags |= CF.CLOSE_AFTER_REPLY;
      else s.freeClient(c);
    }
  }

  /** ACLKillPubsubClientsIfNeeded: the subscribed clients of `original` whose channels `updated` no longer allows. */
  private killPubsubClientsIfNeeded(updated: User, original: User): void {
    if (updated.selectors.some(s => s.flags & SEL.ALLCHANNELS)) return;
    const upcoming: Buffer[] = [];
    const upcomingText = new Set<string>();
    for (const s of updated.selectors) {
      s.channelBytes.forEach((b, i) => {
        upcoming.push(b);
        upcomingText.add(s.channels[i]);
      });
    }
    let match = true;
    for (const s of original.selectors) {
      if (s.flags & SEL.ALLCHANNELS || s.channels.some(ch => !upcomingText.has(ch))) {
        match = false;
        break;
      }
    }
    if (match) return;
    const s = this.server;
    for (const c of [...s.clients.values()]) {
      const ps = c.pubsub;
      if (c.user !== original || !(c.flags & CF.PUBSUB) || ps === null) continue;
      const bad = (names: Iterable<string>, isPattern: boolean) => {
        for (const n of names) if (!channelAllowed(upcoming, Buffer.from(n, 'latin1'), isPattern)) return true;
        return false;
      };
      if (bad(ps.patterns, true) || bad(ps.channels, false) || bad(ps.shardChannels, false)) s.freeClient(c);
    }
  }

  // ---------------------------------------------------------------- authentication

  /**
   * ACLCheckUserCredentials. Every path hashes the password and compares it in constant time (against a dummy hash
   * when the user does not exist or is disabled), so the time taken does not tell which case failed.
   */
  checkCredentials(name: string, pass: Buffer): User | null {
    const u = this.users.get(name);
    const hashed = Buffer.from(hashPassword(pass), 'latin1');
    let ok = false;
    if (u === undefined || u.flags & UF.DISABLED) timingSafeEqual(hashed, DUMMY_HASH);
    else if (u.flags & UF.NOPASS) ok = true;
    else for (const p of u.passwords) if (timingSafeEqual(hashed, Buffer.from(p, 'latin1'))) ok = true;
    return ok ? u! : null;
  }

  /** ACLAuthenticateUser: on failure an "auth" entry goes to the ACL log. */
  authenticate(c: Client, name: Buffer, pass: Buffer): boolean {
    const uname = name.latin1Slice(0, name.length);
    const u = this.checkCredentials(uname, pass);
    if (u !== null) {
      c.authenticated = true;
      c.user = u;
      return true;
    }
    this.addLogEntry(c, Deny.AUTH, c.flags & CF.MULTI ? LogCtx.MULTI : LogCtx.TOPLEVEL, 0, uname, null);
    return false;
  }

  // ---------------------------------------------------------------- permission checks

  /** ACLCheckAllPerm for a command of this client; the denied argument's index is left in `denied.idx`. */
  check(c: Client, spec: CommandSpec, argv: Buffer[]): Deny {
    return checkUserCommand(c.user, spec, argv);
  }

  /** The NOPERM error of a command refused by processCommand, logged in the ACL log. */
  rejectText(c: Client, spec: CommandSpec, argv: Buffer[], r: Deny): string {
    this.addLogEntry(c, r, c.flags & CF.MULTI ? LogCtx.MULTI : LogCtx.TOPLEVEL, denied.idx, null, null, spec, argv);
    if (r === Deny.CMD) return E.nopermCommand(spec.fullname);
    if (r === Deny.KEY) return E.NOPERM_KEY;
    return E.NOPERM_CHANNEL;
  }

  /** execCommand: a queued command the ACLs no longer allow gets this error in EXEC's reply, and a log entry. */
  rejectQueued(c: Client, spec: CommandSpec, argv: Buffer[], r: Deny): void {
    const reason =
      r === Deny.CMD
        ? 'no permission to execute the command or subcommand'
        : r === Deny.KEY
          ? 'no permission to touch the specified keys'
          : 'no permission to access one of the channels used as arguments';
    this.addLogEntry(c, r, LogCtx.MULTI, denied.idx, null, null, spec, argv);
    c.reply.errorSafe(E.nopermExec(reason));
  }

  /** scriptVerifyACL: the text a redis.call the user may not run fails with, logged with the "lua" context. */
  scriptDenied(c: Client, spec: CommandSpec, argv: Buffer[]): string | null {
    if (c.user.unrestricted) return null;
    const r = checkUserCommand(c.user, spec, argv);
    if (r === Deny.OK) return null;
    this.addLogEntry(c, r, LogCtx.LUA, denied.idx, null, null, spec, argv);
    const what =
      r === Deny.CMD
        ? "can't run this command or subcommand"
        : r === Deny.KEY
          ? "can't access at least one of the keys mentioned in the command arguments"
          : "can't publish to the channel mentioned in the command";
    return `The user executing the script ${what}`;
  }

  // ---------------------------------------------------------------- the ACL log

  /**
   * addACLLogEntry: a similar entry among the last ten (same reason, context, object and user, within a minute) is
   * updated and moved to the head; else a new entry is added and the log trimmed to acllog-max-len.
   */
  addLogEntry(c: Client, reason: Deny, context: LogCtx, argpos: number, username: string | null, object: string | null, spec = c.cmd, argv = c.argv): void {
    if (object === null) {
      if (reason === Deny.CMD) object = spec?.fullname ?? '';
      else if (reason === Deny.KEY || reason === Deny.CHANNEL || reason === Deny.AUTH) {
        const a = argv[reason === Deny.AUTH ? 0 : argpos];
        object = a ? a.latin1Slice(0, a.length) : '';
      } else object = '';
    }
    const real = c.flags & CF.SCRIPT && this.server.scripting.run ? this.server.scripting.run.caller : c;
    const entry: AclLogEntry = {
      count: 1,
      reason,
      context,
      object,
      username: username ?? c.user.name,
      ctime: Date.now(),
      cinfo: this.clientInfo(real),
    };
    const n = Math.min(10, this.log.length);
    for (let i = 0; i < n; i++) {
      const cur = this.log[i];
      if (
        cur.reason === entry.reason &&
        cur.context === entry.context &&
        Math.abs(cur.ctime - entry.ctime) <= LOG_GROUPING_MAX_TIME_DELTA &&
        cur.object === entry.object &&
        cur.username === entry.username
      ) {
        this.log.splice(i, 1);
        this.log.unshift(cur);
        cur.cinfo = entry.cinfo;
        cur.ctime = entry.ctime;
        cur.count++;
        return;
      }
    }
    this.log.unshift(entry);
    const max = this.server.config.num('acllog-max-len');
    if (this.log.length > max) this.log.length = max;
  }

  // ---------------------------------------------------------------- loading and saving

  /** catClientInfoString of the client as Redis sees it while it runs the command (its query counted in qbuf). */
  private clientInfo(c: Client): string {
    const was = c.flags & CF.EXECUTING;
    c.flags |= CF.EXECUTING;
    try {
      return clientInfoString(c, c);
    } finally {
      if (!was) c.flags &= ~CF.EXECUTING;
    }
  }

  get filename(): string {
    return this.server.config.get('aclfile');
  }

  /** Where the aclfile is: Redis chdir()s to `dir` while loading its configuration, so a relative path starts there. */
  private filePath(): string {
    return path.resolve(this.server.config.get('dir'), this.filename);
  }

  /** ACLLoadUsersAtStartup: requirepass first, then the `user` directives or the aclfile (not both). */
  loadAtStartup(directives: UserDirective[]): void {
    this.updateDefaultPassword(this.server.config.get('requirepass'));
    const file = this.filename;
    if (file !== '' && directives.length) {
      throw new AclStartupError([
        'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
      ]);
    }
    for (const d of directives) {
      if (hasSpaces(d.name)) throw new AclStartupError(['Spaces not allowed in ACL usernames', 'Critical error while loading ACLs. Exiting.']);
      let u = this.users.get(d.name);
      const pd = this.pubsubDefault;
      if (!u) {
        u = new User(d.name, pd);
        this.users.set(d.name, u);
      } else u.set('reset', pd);
      for (const op of d.rules) {
        const e = u.set(op, pd);
        if (e !== RuleErr.OK) {
          throw new AclStartupError([
            `Error loading ACL rule '${op}' for the user named '${d.name}': ${ruleErrorText(e)}`,
            'Critical error while loading ACLs. Exiting.',
          ]);
        }
      }
      u.refresh();
      if (u.flags & UF.DISABLED) {
        this.server.log.notice(
          `The user '${d.name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`,
        );
      }
    }
    this.refreshDefault();
    if (file !== '') {
      const errors = this.loadFile(null);
      if (errors !== null) throw new AclStartupError([`Aborting Redis startup because of ACL errors: ${errors}`]);
    }
  }

  /**
   * ACLLoadFromFile: all or nothing; null on success, else every problem found on one line. On success the old
   * users are replaced (their clients disconnected) and the default user takes the file's rules.
   */
  loadFile(current: Client | null): string | null {
    const file = this.filename;
    let text: string;
    try {
      text = fs.readFileSync(this.filePath(), 'latin1');
    } catch (ex) {
      return `Error loading ACLs, opening file '${file}': ${errnoText(ex)}`;
    }
    let errors = '';
    const fresh = new Map<string, User>();
    const pd = this.pubsubDefault;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const linenum = i + 1;
      const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line === '') continue;
      const argv = line.split(' ');
      if (argv[0] !== 'user' || argv.length < 2) {
        errors += `${file}:${linenum} should start with user keyword followed by the username. `;
        continue;
      }
      if (hasSpaces(argv[1])) {
        errors += `'${file}:${linenum}: username '${argv[1]}' contains invalid characters. `;
        continue;
      }
      if (fresh.has(argv[1])) {
        errors += `WARNING: Duplicate user '${argv[1]}' found on line ${linenum}. `;
        continue;
      }
      const u = new User(argv[1], pd);
      fresh.set(argv[1], u);
      const merged = mergeSelectorArgs(argv.slice(2));
      if (!Array.isArray(merged)) {
        errors += `${file}:${linenum}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      let syntaxError = false;
      for (const raw of merged) {
        const op = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
        const e = u.set(op, pd);
        if (e === RuleErr.OK) continue;
        if (e === RuleErr.ENOENT) errors += `${file}:${linenum}: Error in applying operation '${op}': ${ruleErrorText(e)}. `;
        else if (!syntaxError) {
          errors += `${file}:${linenum}: ${ruleErrorText(e)}. `;
          syntaxError = true;
        }
      }
      u.refresh();
    }
    if (errors !== '') return errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';
    const newDefault = fresh.get('default') ?? this.createDefaultUser();
    const old = [...this.users.values()].filter(u => u !== this.defaultUser);
    this.defaultUser.copyFrom(newDefault);
    this.users.clear();
    for (const [n, u] of fresh) this.users.set(n, n === 'default' ? this.defaultUser : u);
    this.users.set('default', this.defaultUser);
    for (const u of old) this.killClientsOf(u, current);
    this.refreshDefault();
    return null;
  }

  /** Every user in ACL LIST form (the aclfile's lines, and CONFIG REWRITE's user lines). */
  userLines(): string[] {
    return this.sortedUsers().map(u => `user ${u.name} ${describeUser(u)}`);
  }

  /** ACLSaveToFile: every user in ACL LIST form, written to a temporary file renamed over the aclfile. */
  saveFile(): boolean {
    let text = '';
    for (const l of this.userLines()) text += l + '\n';
    const tmp = `${this.filePath()}.tmp-${process.pid}-${Date.now()}`;
    try {
      fs.writeFileSync(tmp, Buffer.from(text, 'latin1'), { mode: 0o644 });
      fs.renameSync(tmp, this.filePath());
      return true;
    } catch (ex) {
      this.server.log.warning(`Writing ACL file for ACL SAVE: ${errnoText(ex)}`);
      try {
        fs.unlinkSync(tmp);
      } catch {
        // the temporary file was never created
      }
      return false;
    }
  }
}

/** %s of a C string: up to the first NUL. */
function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}
