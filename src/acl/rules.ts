// ACL users and selectors: the rule parser (ACL SETUSER modifiers) and the describer that turns a user back into rules
// (Redis: acl.c ACLSetSelector, ACLSetUser, ACLDescribeSelectorCommandRules, ACLDescribeUser, ACLMergeSelectorArguments).
import { createHash } from 'node:crypto';
import { allCommands, commandTable, type CommandSpec } from '../commands/table.js';
import { splitArgs } from '../util/parse.js';

// ---------------------------------------------------------------------------------------------------------------
// The command universe: every command and subcommand of the generated table gets an id (ACLGetCommandID), the index
// into each selector's command bitmap; categories come from the table's ACL categories.

/** ACLCommandCategories, in Redis's order (ACL CAT and the describer's tie-breaking follow it). */
export const CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo', 'stream',
  'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];
const CATEGORY_INDEX = new Map(CATEGORIES.map((n, i) => [n, i]));

/** Every command in table order: a top-level command, then its subcommands (the describer walks them so). */
export const ALL_COMMANDS: CommandSpec[] = allCommands();
export const NCOMMANDS = ALL_COMMANDS.length;
ALL_COMMANDS.forEach((spec, i) => (spec.aclId = i));

/** Bit i set: the command is in CATEGORIES[i]. */
const catMask = new Uint32Array(NCOMMANDS);
for (const spec of ALL_COMMANDS) {
  for (const c of spec.aclCategories) {
    const i = CATEGORY_INDEX.get(c.replace(/^@/, '').toLowerCase());
    if (i !== undefined) catMask[spec.aclId] |= 1 << i;
  }
}
/** Per category: the ids whose bits +@cat / -@cat change (a container in the category takes its subcommands along). */
const categorySetIds: number[][] = CATEGORIES.map(() => []);
/** Per category: the ids of the commands in it (ACLCountCategoryBitsForCommands). */
const categoryIds: number[][] = CATEGORIES.map(() => []);
/** Per category: the commands directly in it (their first-args are reset by +@cat / -@cat). */
for (const spec of ALL_COMMANDS) {
  for (let k = 0; k < CATEGORIES.length; k++) {
    if (!(catMask[spec.aclId] & (1 << k))) continue;
    categoryIds[k].push(spec.aclId);
    categorySetIds[k].push(spec.aclId);
    if (spec.subcommands) for (const sub of spec.subcommands.values()) categorySetIds[k].push(sub.aclId);
  }
}

/** ACLGetCommandCategoryFlagByName: the category's index or -1 (case-insensitive). */
export function categoryIndex(name: string): number {
  return CATEGORY_INDEX.get(name.toLowerCase()) ?? -1;
}

/** The commands in a category, in table order (ACL CAT <category>). */
export function commandsInCategory(k: number): CommandSpec[] {
  return categoryIds[k].map(id => ALL_COMMANDS[id]);
}

/** lookupCommandBySdsLogic on the original table: "name" or "container|sub" (strictly one level), case-insensitive. */
export function lookupCommandByName(name: string): CommandSpec | undefined {
  const parts = name.split('|');
  if (parts.length < 1 || parts.length > 2) return undefined;
  const base = commandTable.get(parts[0].toLowerCase());
  if (!base || !base.subcommands || parts.length === 1) return parts.length === 1 ? base : undefined;
  return base.subcommands.get(parts[1].toLowerCase());
}

// ---------------------------------------------------------------------------------------------------------------
// Selectors

export const SEL = { ROOT: 1, ALLKEYS: 2, ALLCOMMANDS: 4, ALLCHANNELS: 8 } as const;
/** Key pattern permissions (ACL_READ_PERMISSION, ACL_WRITE_PERMISSION). */
export const PERM = { R: 1, W: 2, ALL: 3 } as const;

/** How a compiled key pattern matches: '*', a literal, a literal prefix then '*', or a general glob. */
export const enum MatchKind {
  ANY,
  EXACT,
  PREFIX,
  GLOB,
}

export interface KeyPattern {
  /** the pattern as given (latin1: one char per byte) */
  text: string;
  bytes: Buffer;
  flags: number;
  kind: MatchKind;
  /** EXACT: the literal; PREFIX: the bytes before the final '*' */
  lit: Buffer;
}

function hasGlobChars(s: string): boolean {
  return /[*?[\\]/.test(s);
}

export function compilePattern(text: string, flags: number): KeyPattern {
  const bytes = Buffer.from(text, 'latin1');
  let kind = MatchKind.GLOB;
  let lit = bytes;
  if (text === '*') kind = MatchKind.ANY;
  else if (!hasGlobChars(text)) kind = MatchKind.EXACT;
  else if (text.length > 1 && text.endsWith('*') && !hasGlobChars(text.slice(0, -1))) {
    kind = MatchKind.PREFIX;
    lit = bytes.subarray(0, bytes.length - 1);
  }
  return { text, bytes, flags, kind, lit };
}

export class Selector {
  flags: number;
  /** allowed[id] = 1: the command may run (ACLGetSelectorCommandBit) */
  allowed = new Uint8Array(NCOMMANDS);
  /** the reserved bit only +@all / allcommands set: the selector also allows future commands */
  future = false;
  /** first-args allowed for an otherwise denied command without subcommands (+select|0), by command id */
  firstArgs: Map<number, string[]> | null = null;
  patterns: KeyPattern[] = [];
  /** channel patterns (latin1) */
  channels: string[] = [];
  channelBytes: Buffer[] = [];

  constructor(flags: number) {
    this.flags = flags;
  }

  copy(): Selector {
    const s = new Selector(this.flags);
    s.allowed.set(this.allowed);
    s.future = this.future;
    if (this.firstArgs) s.firstArgs = new Map([...this.firstArgs].map(([k, v]) => [k, [...v]]));
    s.patterns = this.patterns.map(p => ({ ...p }));
    s.channels = [...this.channels];
    s.channelBytes = [...this.channelBytes];
    return s;
  }

  /** ACLSetSelectorCommandBit */
  private setBit(id: number, value: boolean): void {
    this.allowed[id] = value ? 1 : 0;
    if (!value) this.flags &= ~SEL.ALLCOMMANDS;
  }

  /** ACLChangeSelectorPerm: a container takes its subcommands along. */
  changePerm(cmd: CommandSpec, allow: boolean): void {
    this.setBit(cmd.aclId, allow);
    this.firstArgs?.delete(cmd.aclId);
    if (cmd.subcommands) for (const sub of cmd.subcommands.values()) this.setBit(sub.aclId, allow);
  }

  setCategory(k: number, allow: boolean): void {
    for (const id of categorySetIds[k]) this.setBit(id, allow);
    if (this.firstArgs) for (const id of categoryIds[k]) this.firstArgs.delete(id);
  }

  /** ACLAddAllowedFirstArg: case-insensitively unique, in the order added. */
  addFirstArg(id: number, sub: string): void {
    if (!this.firstArgs) this.firstArgs = new Map();
    let list = this.firstArgs.get(id);
    if (!list) this.firstArgs.set(id, (list = []));
    const low = sub.toLowerCase();
    if (list.some(x => x.toLowerCase() === low)) return;
    list.push(sub);
  }

  setAllCommands(allow: boolean): void {
    this.allowed.fill(allow ? 1 : 0);
    this.future = allow;
    if (allow) this.flags |= SEL.ALLCOMMANDS;
    else this.flags &= ~SEL.ALLCOMMANDS;
    this.firstArgs = null;
  }

  addChannel(ch: string): void {
    if (!this.channels.includes(ch)) {
      this.channels.push(ch);
      this.channelBytes.push(Buffer.from(ch, 'latin1'));
    }
  }

  clearChannels(): void {
    this.channels = [];
    this.channelBytes = [];
  }
}

/** ACLSetSelector / ACLSetUser failure reasons (the errno values acl.c sets), mapped to texts by ruleErrorText. */
export const enum RuleErr {
  OK,
  EINVAL,
  ENOENT,
  EEXIST,
  EISDIR,
  ENODEV,
  EBADMSG,
  ECHILD,
  EALREADY,
}

/** ACLSetUserStringError */
export function ruleErrorText(e: RuleErr): string {
  switch (e) {
    case RuleErr.ENOENT:
      return 'Unknown command or category name in ACL';
    case RuleErr.EINVAL:
      return 'Syntax error';
    case RuleErr.EEXIST:
      return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case RuleErr.EISDIR:
      return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    case RuleErr.ENODEV:
      return 'The password you are trying to remove from the user does not exist';
    case RuleErr.EBADMSG:
      return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    case RuleErr.EALREADY:
      return 'Duplicate user found. A user can only be defined once in config files';
    case RuleErr.ECHILD:
      return 'Allowing first-arg of a subcommand is not supported';
    default:
      return 'Wrong format';
  }
}

/** ACLStringHasSpaces: isspace() or NUL anywhere. */
export function hasSpaces(s: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(s);
}

/** The warning ACLSetSelector logs for +cmd|firstarg (set by the owner of the ACL subsystem). */
export const ruleWarnings = { log: (_msg: string): void => {} };

/** ACLSetSelector: one modifier (latin1 string) applied to a selector. */
export function setSelector(sel: Selector, op: string): RuleErr {
  const low = op.toLowerCase();
  if (low === 'allkeys' || op === '~*') {
    sel.flags |= SEL.ALLKEYS;
    sel.patterns = [];
  } else if (low === 'resetkeys') {
    sel.flags &= ~SEL.ALLKEYS;
    sel.patterns = [];
  } else if (low === 'allchannels' || op === '&*') {
    sel.flags |= SEL.ALLCHANNELS;
    sel.clearChannels();
  } else if (low === 'resetchannels') {
    sel.flags &= ~SEL.ALLCHANNELS;
    sel.clearChannels();
  } else if (low === 'allcommands' || low === '+@all') {
    sel.setAllCommands(true);
  } else if (low === 'nocommands' || low === '-@all') {
    sel.setAllCommands(false);
  } else if (op[0] === '~' || op[0] === '%') {
    if (sel.flags & SEL.ALLKEYS) return RuleErr.EEXIST;
    let flags = 0;
    let offset = 1;
    if (op[0] === '%') {
      let ok = true;
      for (; offset < op.length; offset++) {
        const ch = op[offset].toUpperCase();
        if (ch === 'R' && !(flags & PERM.R)) flags |= PERM.R;
        else if (ch === 'W' && !(flags & PERM.W)) flags |= PERM.W;
        else if (op[offset] === '~') {
          offset++;
          break;
        } else {
          ok = false;
          break;
        }
      }
      if (!flags || !ok) return RuleErr.EINVAL;
    } else flags = PERM.ALL;
    const text = op.slice(offset);
    if (hasSpaces(text)) return RuleErr.EINVAL;
    const existing = sel.patterns.find(p => p.text === text);
    if (existing) existing.flags |= flags;
    else sel.patterns.push(compilePattern(text, flags));
    sel.flags &= ~SEL.ALLKEYS;
  } else if (op[0] === '&') {
    if (sel.flags & SEL.ALLCHANNELS) return RuleErr.EISDIR;
    const text = op.slice(1);
    if (hasSpaces(text)) return RuleErr.EINVAL;
    sel.addChannel(text);
    sel.flags &= ~SEL.ALLCHANNELS;
  } else if (op[0] === '+' && op[1] !== '@') {
    const bar = op.lastIndexOf('|');
    if (bar < 0) {
      const cmd = lookupCommandByName(op.slice(1));
      if (!cmd) return RuleErr.ENOENT;
      sel.changePerm(cmd, true);
    } else {
      const base = lookupCommandByName(op.slice(1, bar));
      if (!base) return RuleErr.ENOENT;
      if (base.parent) return RuleErr.ECHILD;
      const sub = op.slice(bar + 1);
      if (sub.length === 0) return RuleErr.EINVAL;
      if (base.subcommands) {
        const cmd = lookupCommandByName(op.slice(1));
        if (!cmd) return RuleErr.ENOENT;
        sel.changePerm(cmd, true);
      } else {
        ruleWarnings.log(
          `Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: ${op.slice(1)})`,
        );
        sel.addFirstArg(base.aclId, sub);
      }
    }
  } else if (op[0] === '-' && op[1] !== '@') {
    const cmd = lookupCommandByName(op.slice(1));
    if (!cmd) return RuleErr.ENOENT;
    sel.changePerm(cmd, false);
  } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
    const k = categoryIndex(op.slice(2));
    if (k < 0) return RuleErr.ENOENT;
    sel.setCategory(k, op[0] === '+');
  } else return RuleErr.EINVAL;
  return RuleErr.OK;
}

// ---------------------------------------------------------------------------------------------------------------
// Users

export const UF = { ENABLED: 1, DISABLED: 2, NOPASS: 4, SANITIZE_PAYLOAD_SKIP: 8, SANITIZE_PAYLOAD: 16 } as const;
/** ACLUserFlags: the order ACL GETUSER and the describer emit them in. */
const USER_FLAGS: [string, number][] = [
  ['on', UF.ENABLED],
  ['off', UF.DISABLED],
  ['nopass', UF.NOPASS],
  ['skip-sanitize-payload', UF.SANITIZE_PAYLOAD_SKIP],
  ['sanitize-payload', UF.SANITIZE_PAYLOAD],
];

/** ACLHashPassword: SHA-256, lowercase hex. */
export function hashPassword(pass: Buffer | string): string {
  return createHash('sha256').update(typeof pass === 'string' ? Buffer.from(pass, 'latin1') : pass).digest('hex');
}

function validHash(h: string): boolean {
  return /^[0-9a-f]{64}$/.test(h);
}

export class User {
  flags: number = UF.DISABLED;
  /** SHA-256 hex of each password, in the order added */
  passwords: string[] = [];
  /** selectors[0] is the root selector */
  selectors: Selector[];
  /** Some selector allows every command, key and channel: the permission check is a single flag test. */
  unrestricted = false;

  constructor(
    readonly name: string,
    pubsubDefault: number,
  ) {
    this.selectors = [new Selector(SEL.ROOT | pubsubDefault)];
  }

  get root(): Selector {
    return this.selectors[0];
  }

  /** ACLCopyUser: the rules of src (the name stays). */
  copyFrom(src: User): void {
    this.flags = src.flags;
    this.passwords = [...src.passwords];
    this.selectors = src.selectors.map(s => s.copy());
    this.refresh();
  }

  /** Recomputes what the permission check precomputes from the rules. */
  refresh(): void {
    const all = SEL.ALLKEYS | SEL.ALLCOMMANDS | SEL.ALLCHANNELS;
    this.unrestricted = this.selectors.some(s => (s.flags & all) === all);
  }

  /** ACLSetUser: one modifier (latin1), RuleErr.OK or the reason it was refused. The caller refreshes. */
  set(op: string, pubsubDefault: number): RuleErr {
    if (op.length === 0) return RuleErr.OK;
    const low = op.toLowerCase();
    switch (low) {
      case 'on':
        this.flags = (this.flags | UF.ENABLED) & ~UF.DISABLED;
        return RuleErr.OK;
      case 'off':
        this.flags = (this.flags | UF.DISABLED) & ~UF.ENABLED;
        return RuleErr.OK;
      case 'skip-sanitize-payload':
        this.flags = (this.flags | UF.SANITIZE_PAYLOAD_SKIP) & ~UF.SANITIZE_PAYLOAD;
        return RuleErr.OK;
      case 'sanitize-payload':
        this.flags = (this.flags | UF.SANITIZE_PAYLOAD) & ~UF.SANITIZE_PAYLOAD_SKIP;
        return RuleErr.OK;
      case 'nopass':
        this.flags |= UF.NOPASS;
        this.passwords = [];
        return RuleErr.OK;
      case 'resetpass':
        this.flags &= ~UF.NOPASS;
        this.passwords = [];
        return RuleErr.OK;
    }
    const c0 = op[0];
    if (c0 === '>' || c0 === '#') {
      let h: string;
      if (c0 === '>') h = hashPassword(op.slice(1));
      else {
        h = op.slice(1);
        if (!validHash(h)) return RuleErr.EBADMSG;
      }
      if (!this.passwords.includes(h)) this.passwords.push(h);
      this.flags &= ~UF.NOPASS;
      return RuleErr.OK;
    }
    if (c0 === '<' || c0 === '!') {
      let h: string;
      if (c0 === '<') h = hashPassword(op.slice(1));
      else {
        h = op.slice(1);
        if (!validHash(h)) return RuleErr.EBADMSG;
      }
      const i = this.passwords.indexOf(h);
      if (i < 0) return RuleErr.ENODEV;
      this.passwords.splice(i, 1);
      return RuleErr.OK;
    }
    if (c0 === '(' && op[op.length - 1] === ')') {
      const sel = new Selector(pubsubDefault);
      const args = splitArgs(Buffer.from(op.slice(1, -1), 'latin1')) ?? [];
      for (const a of args) {
        const e = setSelector(sel, a.latin1Slice(0, a.length));
        if (e !== RuleErr.OK) return e;
      }
      this.selectors.push(sel);
      return RuleErr.OK;
    }
    if (low === 'clearselectors') {
      this.selectors.length = 1;
      return RuleErr.OK;
    }
    if (low === 'reset') {
      this.set('resetpass', pubsubDefault);
      this.set('resetkeys', pubsubDefault);
      this.set('resetchannels', pubsubDefault);
      if (pubsubDefault & SEL.ALLCHANNELS) this.set('allchannels', pubsubDefault);
      this.set('off', pubsubDefault);
      this.set('sanitize-payload', pubsubDefault);
      this.set('clearselectors', pubsubDefault);
      this.set('-@all', pubsubDefault);
      return RuleErr.OK;
    }
    return setSelector(this.root, op);
  }

  flagNames(): string[] {
    return USER_FLAGS.filter(([, f]) => this.flags & f).map(([n]) => n);
  }
}

/**
 * ACLMergeSelectorArguments: a selector spread over several arguments ("(~x" "+get)") is joined with spaces. Returns
 * the merged list, or the index of the argument that opened an unmatched parenthesis.
 */
export function mergeSelectorArgs(args: string[]): string[] | { unmatched: number } {
  const out: string[] = [];
  let open = -1;
  let sel = '';
  for (let j = 0; j < args.length; j++) {
    const op = args[j];
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      sel = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      sel += ' ' + op;
      if (op[op.length - 1] === ')') {
        open = -1;
        out.push(sel);
      }
      continue;
    }
    out.push(op);
  }
  if (open !== -1) return { unmatched: open };
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Describing a user as rules

function countCategory(bits: Uint8Array, k: number): [number, number] {
  let on = 0;
  let off = 0;
  for (const id of categoryIds[k]) {
    if (bits[id]) on++;
    else off++;
  }
  return [on, off];
}

function setCategoryBits(bits: Uint8Array, k: number, value: number): void {
  for (const id of categorySetIds[k]) bits[id] = value;
}

/** ACLChangeSelectorPerm on a bare bitmap. */
function changeBits(bits: Uint8Array, cmd: CommandSpec, value: number): void {
  bits[cmd.aclId] = value;
  if (cmd.subcommands) for (const sub of cmd.subcommands.values()) bits[sub.aclId] = value;
}

/**
 * ACLDescribeSelectorCommandRules: +@all or -@all, then the categories that best fit the bitmap (applied to a fake
 * selector as they are chosen), then the single commands that still differ and the allowed first-args.
 */
export function describeCommandRules(sel: Selector): string {
  const additive = !sel.future;
  const rules: string[] = [additive ? '-@all' : '+@all'];
  const fake = new Uint8Array(NCOMMANDS).fill(additive ? 0 : 1);
  const temp = new Uint8Array(sel.allowed);
  const applied = new Array<boolean>(CATEGORIES.length).fill(false);
  for (;;) {
    let best = -1;
    let mindiff = Number.MAX_SAFE_INTEGER;
    let maxsame = 0;
    for (let k = 0; k < CATEGORIES.length; k++) {
      if (applied[k]) continue;
      const [on, off] = countCategory(temp, k);
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < mindiff || (diff === mindiff && same > maxsame))) {
        best = k;
        mindiff = diff;
        maxsame = same;
      }
    }
    if (best === -1) break;
    rules.push((additive ? '+@' : '-@') + CATEGORIES[best]);
    setCategoryBits(fake, best, additive ? 1 : 0);
    setCategoryBits(temp, best, additive ? 0 : 1);
    applied[best] = true;
  }
  const single = (cmds: Iterable<CommandSpec>) => {
    for (const cmd of cmds) {
      const userbit = sel.allowed[cmd.aclId];
      if (userbit !== fake[cmd.aclId]) {
        rules.push((userbit ? '+' : '-') + cmd.fullname);
        changeBits(fake, cmd, userbit);
      }
      if (cmd.subcommands) single(cmd.subcommands.values());
      if (userbit === 0) {
        const fa = sel.firstArgs?.get(cmd.aclId);
        if (fa) for (const a of fa) rules.push(`+${cmd.fullname}|${a}`);
      }
    }
  };
  single(commandTable.values());
  return rules.join(' ');
}

function patternString(p: KeyPattern): string {
  return (p.flags === PERM.ALL ? '~' : p.flags === PERM.R ? '%R~' : '%W~') + p.text;
}

/** The "keys" field of ACL GETUSER. */
export function describeKeys(sel: Selector): string {
  return sel.flags & SEL.ALLKEYS ? '~*' : sel.patterns.map(patternString).join(' ');
}

/** The "channels" field of ACL GETUSER. */
export function describeChannels(sel: Selector): string {
  return sel.flags & SEL.ALLCHANNELS ? '&*' : sel.channels.map(c => '&' + c).join(' ');
}

/** ACLDescribeSelector */
export function describeSelector(sel: Selector): string {
  let res = '';
  if (sel.flags & SEL.ALLKEYS) res += '~* ';
  else for (const p of sel.patterns) res += patternString(p) + ' ';
  if (sel.flags & SEL.ALLCHANNELS) res += '&* ';
  else {
    res += 'resetchannels ';
    for (const c of sel.channels) res += '&' + c + ' ';
  }
  return res + describeCommandRules(sel);
}

/** ACLDescribeUser: flags, password hashes, the root selector, then each other selector in parentheses. */
export function describeUser(u: User): string {
  let res = '';
  for (const f of u.flagNames()) res += f + ' ';
  for (const p of u.passwords) res += '#' + p + ' ';
  u.selectors.forEach((s, i) => {
    res += i === 0 ? describeSelector(s) : ` (${describeSelector(s)})`;
  });
  return res;
}

/** A `user` line of redis.conf (ACLAppendUserForLoading validates it): the username and its merged rules. */
export interface UserDirective {
  name: string;
  rules: string[];
}

/**
 * ACLAppendUserForLoading's check of a `user` directive: null if valid, else redis-server's fatal config message.
 * `args` is the whole line ("user", name, rules...); `seen` the names of the lines before.
 */
export function validateUserDirective(args: string[], seen: Set<string>): { ok: UserDirective } | { err: string } {
  const fail = (idx: number, e: RuleErr) => ({ err: `Error in user declaration '${args[idx] ?? ''}': ${ruleErrorText(e)}` });
  if (seen.has(args[1])) return fail(1, RuleErr.EALREADY);
  const merged = mergeSelectorArgs(args.slice(2));
  if (!Array.isArray(merged)) return fail(merged.unmatched, RuleErr.EINVAL);
  const fake = new User('__fakeuser__', 0);
  for (let j = 0; j < merged.length; j++) {
    const e = fake.set(merged[j], 0);
    // acl.c reports argv[j] (an index into the merged rules used on the whole line) and tolerates unknown commands
    if (e !== RuleErr.OK && e !== RuleErr.ENOENT) return fail(j, e);
  }
  return { ok: { name: args[1], rules: merged } };
}

