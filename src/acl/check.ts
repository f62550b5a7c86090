// The ACL permission check of a command: its bit in the selector's bitmap, its keys against the key patterns (with the
// read/write access of each key spec) and its channels against the channel patterns (Redis: acl.c ACLSelectorCheckCmd,
// ACLCheckAllUserCommandPerm; db.c getChannelsFromCommand).
import { F, type CommandSpec } from '../commands/table.js';
import { commandKeys } from '../commands/introspection.js';
import { stringMatch } from '../util/parse.js';
import { ALL_COMMANDS, MatchKind, NCOMMANDS, PERM, SEL, type KeyPattern, type Selector, type User } from './rules.js';

/** ACL_OK / ACL_DENIED_*: the larger value is the more relevant error when several selectors fail. */
export const enum Deny {
  OK = 0,
  CMD = 1,
  KEY = 2,
  AUTH = 3,
  CHANNEL = 4,
}

// Channel arguments (db.c commands_with_channels): only those checked by ACLs (publish and subscribe).
const CH_SUBSCRIBE = 1;
const CH_PATTERN = 2;
const CH_PUBLISH = 4;
const channelKind = new Uint8Array(NCOMMANDS);
for (const spec of ALL_COMMANDS) {
  const n = spec.fullname;
  if (n === 'subscribe' || n === 'ssubscribe') channelKind[spec.aclId] = CH_SUBSCRIBE;
  else if (n === 'psubscribe') channelKind[spec.aclId] = CH_SUBSCRIBE | CH_PATTERN;
  else if (n === 'publish' || n === 'spublish') channelKind[spec.aclId] = CH_PUBLISH;
}

/** doesCommandHaveKeys: a key spec that is not NOT_KEY, or a key finder of its own. */
const hasKeys = new Uint8Array(NCOMMANDS);
for (const spec of ALL_COMMANDS) {
  if (spec.keySpecs.some(k => !k.flags.includes('not_key')) || spec.has(F.movablekeys)) hasKeys[spec.aclId] = 1;
}

/** The permission a key spec's flags need: ACCESS reads, INSERT/DELETE/UPDATE write. */
function keyPerm(flags: string[]): number {
  let p = 0;
  for (const f of flags) {
    if (f === 'access') p |= PERM.R;
    else if (f === 'insert' || f === 'delete' || f === 'update') p |= PERM.W;
  }
  return p;
}

/** A key's position and the permission its access needs (getKeysResult with ACL flags), computed once per check. */
interface KeyAccess {
  pos: number[];
  perm: number[];
}

/**
 * The key specs of most commands are a begin index and a key range: their keys are checked straight from argv,
 * without building a key list (GET, SET, MSET, DEL…). Null for the others (keywords, numkeys, getkeys procs).
 */
interface RangeSpec {
  first: number;
  lastkey: number;
  step: number;
  limit: number;
  perm: number;
}
/** Commands whose key flags or keys come from their own key finder (introspection.ts specialGetKeys) or SET's GET. */
const OWN_KEY_FINDER = new Set(['sort', 'sort_ro', 'migrate', 'bitfield', 'set']);
const rangePlan: (RangeSpec[] | null)[] = ALL_COMMANDS.map(spec => {
  if (OWN_KEY_FINDER.has(spec.fullname)) return null;
  const plan: RangeSpec[] = [];
  for (const ks of spec.keySpecs) {
    if (ks.flags.includes('not_key')) continue;
    if (ks.begin.type !== 'index' || ks.find.type !== 'range' || ks.flags.includes('variable_flags')) return null;
    plan.push({ first: ks.begin.index, lastkey: ks.find.lastkey, step: ks.find.keystep, limit: ks.find.limit, perm: keyPerm(ks.flags) });
  }
  return plan;
});

const SET_ID = ALL_COMMANDS.find(s => s.fullname === 'set')!.aclId;
function hasGetOption(argv: Buffer[]): boolean {
  for (let i = 3; i < argv.length; i++) {
    const a = argv[i];
    if (a.length === 3 && (a[0] | 32) === 103 && (a[1] | 32) === 101 && (a[2] | 32) === 116) return true;
  }
  return false;
}

/** The last key index of a range spec for argc arguments, -1 when the spec does not fit (commandKeys then finds none). */
function rangeLast(r: RangeSpec, argc: number): number {
  const first = r.first;
  if (first >= argc) return -1;
  const last = r.lastkey >= 0 ? first + r.lastkey : !r.limit ? argc + r.lastkey : first + (Math.floor((argc - first) / r.limit) + r.lastkey);
  return last >= argc || last < first ? -1 : last;
}

/** The keys of a range-spec command against one selector; false with `denied.idx` set at the first refused key. */
function rangeKeysAllowed(sel: Selector, plan: RangeSpec[], argv: Buffer[]): boolean {
  const argc = argv.length;
  if (plan.length > 1) for (const r of plan) if (rangeLast(r, argc) < 0) return true; // invalid for these arguments: no keys
  for (let k = 0; k < plan.length; k++) {
    const r = plan[k];
    const last = rangeLast(r, argc);
    if (last < 0) return true;
    for (let i = r.first; i <= last; i += r.step) {
      if (!selectorCheckKey(sel, argv[i], r.perm)) {
        denied.idx = i;
        return false;
      }
    }
  }
  return true;
}

function keysOf(spec: CommandSpec, argv: Buffer[]): KeyAccess {
  const refs = commandKeys(spec, argv) ?? [];
  return { pos: refs.map(r => r.pos), perm: refs.map(r => keyPerm(r.flags)) };
}

/** Byte comparison of a literal with the start of a key, in JS (shorter than a call into Buffer.compare for keys). */
function startsWith(key: Buffer, lit: Buffer): boolean {
  const n = lit.length;
  if (key.length < n) return false;
  for (let i = 0; i < n; i++) if (key[i] !== lit[i]) return false;
  return true;
}

function matchPattern(p: KeyPattern, key: Buffer): boolean {
  switch (p.kind) {
    case MatchKind.ANY:
      return true;
    case MatchKind.EXACT:
      return key.length === p.lit.length && startsWith(key, p.lit);
    case MatchKind.PREFIX:
      return startsWith(key, p.lit);
    default:
      return stringMatch(p.bytes, key);
  }
}

/** ACLSelectorCheckKey */
export function selectorCheckKey(sel: Selector, key: Buffer, perm: number): boolean {
  if (sel.flags & SEL.ALLKEYS) return true;
  const pats = sel.patterns;
  for (let i = 0; i < pats.length; i++) {
    const p = pats[i];
    if ((p.flags & perm) === perm && matchPattern(p, key)) return true;
  }
  return false;
}

/** ACLSelectorHasUnrestrictedKeyAccess: a '*' pattern with the permissions asked (or allkeys). */
export function selectorHasUnrestrictedKeyAccess(sel: Selector, perm: number): boolean {
  if (sel.flags & SEL.ALLKEYS) return true;
  return sel.patterns.some(p => (p.flags & perm) === perm && p.text === '*');
}

/** ACLCheckChannelAgainstList: a pattern argument (PSUBSCRIBE) must equal an ACL pattern; a channel is matched by it. */
export function channelAllowed(list: Buffer[], channel: Buffer, isPattern: boolean): boolean {
  for (const p of list) {
    if (isPattern ? p.equals(channel) : stringMatch(p, channel)) return true;
  }
  return false;
}

/** Where the last denial happened (the argv index of the key or channel), set by the check functions. */
export const denied = { idx: 0 };

/** The keys of the command being checked, once computed by a selector for the next ones (aclKeyResultCache). */
const cache: { keys: KeyAccess | null } = { keys: null };

/** ACLSelectorCheckCmd */
function selectorCheckCmd(sel: Selector, spec: CommandSpec, argv: Buffer[]): Deny {
  const id = spec.aclId;
  if (!(sel.flags & SEL.ALLCOMMANDS) && !(spec.flags & F.no_auth) && sel.allowed[id] === 0) {
    // the command may still be allowed with this first argument (+select|0)
    const fa = sel.firstArgs?.get(id);
    if (argv.length < 2 || fa === undefined) return Deny.CMD;
    const arg = argv[spec.parent ? 2 : 1];
    if (arg === undefined) return Deny.CMD;
    const low = arg.latin1Slice(0, arg.length).toLowerCase();
    if (!fa.some(x => x.toLowerCase() === low)) return Deny.CMD;
  }
  if (!(sel.flags & SEL.ALLKEYS) && hasKeys[id]) {
    const plan = rangePlan[id];
    if (id === SET_ID) {
      // setGetKeys: the key is overwritten, and also read with GET
      if (!selectorCheckKey(sel, argv[1], argv.length > 3 && hasGetOption(argv) ? PERM.R | PERM.W : PERM.W)) {
        denied.idx = 1;
        return Deny.KEY;
      }
    } else if (plan !== null) {
      if (!rangeKeysAllowed(sel, plan, argv)) return Deny.KEY;
    } else {
        const keys = cache.keys ?? (cache.keys = keysOf(spec, argv));
      for (let j = 0; j < keys.pos.length; j++) {
        if (!selectorCheckKey(sel, argv[keys.pos[j]], keys.perm[j])) {
          denied.idx = keys.pos[j];
          return Deny.KEY;
        }
      }
    }
  }
  const ck = channelKind[id];
  if (!(sel.flags & SEL.ALLCHANNELS) && ck !== 0) {
    const last = ck & CH_PUBLISH ? Math.min(1, argv.length - 1) : argv.length - 1;
    for (let j = 1; j <= last; j++) {
      if (!channelAllowed(sel.channelBytes, argv[j], (ck & CH_PATTERN) !== 0)) {
        denied.idx = j;
        return Deny.CHANNEL;
      }
    }
  }
  return Deny.OK;
}

/**
 * ACLCheckAllUserCommandPerm: OK if any selector allows the command; otherwise the most relevant denial (a channel
 * over a key over the command, then the later argument), its argv index left in `denied.idx`.
 */
export function checkUserCommand(u: User, spec: CommandSpec, argv: Buffer[]): Deny {
  if (u.unrestricted) return Deny.OK;
  let relevant = Deny.CMD;
  let lastIdx = 0;
  cache.keys = null;
  const sels = u.selectors;
  for (let i = 0; i < sels.length; i++) {
    denied.idx = 0;
    const r = selectorCheckCmd(sels[i], spec, argv);
    if (r === Deny.OK) return Deny.OK;
    if (r > relevant || (r === relevant && denied.idx > lastIdx)) {
      relevant = r;
      lastIdx = denied.idx;
    }
  }
  denied.idx = lastIdx;
  return relevant;
}

/** ACLUserCheckKeyPerm */
export function userCheckKey(u: User, key: Buffer, perm: number): boolean {
  return u.selectors.some(s => selectorCheckKey(s, key, perm));
}

/** ACLUserCheckChannelPerm */
export function userCheckChannel(u: User, channel: Buffer, isPattern: boolean): boolean {
  return u.selectors.some(s => s.flags & SEL.ALLCHANNELS || channelAllowed(s.channelBytes, channel, isPattern));
}

/** ACLUserCheckCmdWithUnrestrictedKeyAccess */
export function userCheckCmdWithUnrestrictedKeyAccess(u: User, spec: CommandSpec, argv: Buffer[], perm: number): boolean {
  cache.keys = null;
  return u.selectors.some(s => selectorCheckCmd(s, spec, argv) === Deny.OK && selectorHasUnrestrictedKeyAccess(s, perm));
}
