// Unit tests of the ACL rule parser and describer (src/acl/rules.ts) and the permission check (src/acl/check.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
// the server modules first: the command families import each other in the server's order
import '../../src/index.js';
import { User, RuleErr, describeUser, describeCommandRules, mergeSelectorArgs, validateUserDirective, SEL, UF, hashPassword, CATEGORIES } from '../../src/acl/rules.js';
import { checkUserCommand, Deny, denied } from '../../src/acl/check.js';
import { lookupCommand } from '../../src/commands/table.js';

function user(...ops: string[]): User {
  const u = new User('u', 0);
  for (const op of ops) assert.equal(u.set(op, 0), RuleErr.OK, op);
  u.refresh();
  return u;
}
const argv = (...a: string[]) => a.map(s => Buffer.from(s, 'latin1'));
const check = (u: User, ...a: string[]) => checkUserCommand(u, lookupCommand(argv(...a))!, argv(...a));

test('a new user is off with no permissions; reset adds sanitize-payload', () => {
  assert.equal(describeUser(user()), 'off resetchannels -@all');
  assert.equal(describeUser(user('reset')), 'off sanitize-payload resetchannels -@all');
});

test('flags, passwords and key/channel patterns are described in Redis order', () => {
  const u = user('on', '>p', '~a', '%R~b', '%W~c', '%RW~d', '&x', 'nopass', '>q', '+@all');
  assert.deepEqual(u.flagNames(), ['on']);
  assert.equal(describeUser(u), `on #${hashPassword('q')} ~a %R~b %W~c ~d resetchannels &x +@all`);
  // the same pattern twice keeps one entry whose permissions add up
  assert.equal(describeUser(user('%R~k', '%W~k')), 'off ~k resetchannels -@all');
});

test('rule errors carry the errno acl.c sets', () => {
  const u = new User('u', 0);
  assert.equal(u.set('bogus', 0), RuleErr.EINVAL);
  assert.equal(u.set('+nosuch', 0), RuleErr.ENOENT);
  assert.equal(u.set('+@nosuch', 0), RuleErr.ENOENT);
  assert.equal(u.set('+config|get|x', 0), RuleErr.ECHILD);
  assert.equal(u.set('+get|', 0), RuleErr.EINVAL);
  assert.equal(u.set('-select|0', 0), RuleErr.ENOENT);
  assert.equal(u.set('#abc', 0), RuleErr.EBADMSG);
  assert.equal(u.set('<nothere', 0), RuleErr.ENODEV);
  assert.equal(u.set('%~x', 0), RuleErr.EINVAL);
  assert.equal(u.set('~a b', 0), RuleErr.EINVAL);
  assert.equal(u.set('allkeys', 0), RuleErr.OK);
  assert.equal(u.set('~x', 0), RuleErr.EEXIST);
  assert.equal(u.set('allchannels', 0), RuleErr.OK);
  assert.equal(u.set('&x', 0), RuleErr.EISDIR);
  assert.equal(u.set('', 0), RuleErr.OK);
});

test('command rules compact into categories, then single commands and first-args', () => {
  assert.equal(describeCommandRules(user('+@all', '-client|kill').root), '+@all -client|kill');
  assert.equal(describeCommandRules(user('+@string').root), '-@all +@string');
  assert.equal(describeCommandRules(user('+memory|doctor').root), '-@all +memory|doctor');
  assert.equal(describeCommandRules(user('+memory|doctor', '+memory').root), '-@all +memory');
  assert.equal(describeCommandRules(user('+select|0', '+select|1', '+SELECT|0').root), '-@all +select|0 +select|1');
  assert.equal(describeCommandRules(user('+select|0', '+select').root), '-@all +select');
  assert.equal(describeCommandRules(user('+@all', '-@all').root), '-@all');
  // every category alone describes as itself
  for (const cat of CATEGORIES) assert.equal(describeCommandRules(user('+@' + cat).root), '-@all +@' + cat, cat);
});

test('describing then re-applying the rules gives the same bitmap', () => {
  const u = user('+@all', '-@dangerous', '+flushall', '-get', '+@read', '-config|set', '+debug|object');
  const again = new User('v', 0);
  for (const op of describeCommandRules(u.root).split(' ')) assert.equal(again.set(op, 0), RuleErr.OK);
  assert.deepEqual(again.root.allowed, u.root.allowed);
});

test('selectors: merged from several arguments, unmatched parenthesis reported', () => {
  assert.deepEqual(mergeSelectorArgs(['on', '(~x', '+get)', '>p']), ['on', '(~x +get)', '>p']);
  assert.deepEqual(mergeSelectorArgs(['(~x', '+get']), { unmatched: 0 });
  const u = user('(~x:* +get)', '(%R~y:* &c +@read)');
  assert.equal(describeUser(u), 'off resetchannels -@all (~x:* resetchannels -@all +get) (%R~y:* resetchannels &c -@all +@read)');
  assert.equal(u.set('clearselectors', 0), RuleErr.OK);
  assert.equal(u.selectors.length, 1);
});

test('acl-pubsub-default allchannels: new users and reset start with &*', () => {
  const u = new User('u', SEL.ALLCHANNELS);
  assert.equal(describeUser(u), 'off &* -@all');
  assert.equal(u.set('resetchannels', SEL.ALLCHANNELS), RuleErr.OK);
  assert.equal(u.set('reset', SEL.ALLCHANNELS), RuleErr.OK);
  assert.equal(describeUser(u), 'off sanitize-payload &* -@all');
  assert.ok(u.flags & UF.DISABLED);
});

test('the permission check: commands, keys with read/write access, channels, selectors', () => {
  const u = user('~foo:*', '%R~ro:*', '%W~wo:*', '&news.*', '+@all', '-flushall');
  assert.equal(check(u, 'get', 'foo:1'), Deny.OK);
  assert.equal(check(u, 'flushall'), Deny.CMD);
  assert.equal(check(u, 'get', 'bar'), Deny.KEY);
  assert.equal(denied.idx, 1);
  assert.equal(check(u, 'get', 'ro:1'), Deny.OK);
  assert.equal(check(u, 'set', 'ro:1', 'v'), Deny.KEY);
  assert.equal(check(u, 'set', 'wo:1', 'v'), Deny.OK);
  assert.equal(check(u, 'set', 'wo:1', 'v', 'GET'), Deny.KEY);
  assert.equal(check(u, 'mset', 'foo:1', 'a', 'bar', 'b'), Deny.KEY);
  assert.equal(denied.idx, 3);
  assert.equal(check(u, 'publish', 'news.x', 'm'), Deny.OK);
  assert.equal(check(u, 'publish', 'other', 'm'), Deny.CHANNEL);
  assert.equal(check(u, 'psubscribe', 'news.*'), Deny.OK);
  assert.equal(check(u, 'psubscribe', 'news.a*'), Deny.CHANNEL);
  assert.equal(check(u, 'unsubscribe', 'other'), Deny.OK);
  // AUTH and HELLO (no-auth commands) are never denied by the command bitmap
  assert.equal(check(user(), 'auth', 'x'), Deny.OK);
  const s = user('(~x +get)', '(~y +set)');
  assert.equal(check(s, 'get', 'x'), Deny.OK);
  assert.equal(check(s, 'set', 'y', 'v'), Deny.OK);
  assert.equal(check(s, 'get', 'y'), Deny.KEY);
  assert.equal(check(user('+select|0'), 'select', '0'), Deny.OK);
  assert.equal(check(user('+select|0'), 'select', '1'), Deny.CMD);
});

test('the default user allows everything with one flag', () => {
  const d = user('+@all', '~*', '&*', 'on', 'nopass');
  assert.ok(d.unrestricted);
  assert.ok(!user('+@all', '~a*', '&*').unrestricted);
});

test('redis.conf user directives are validated as ACLAppendUserForLoading does', () => {
  assert.ok('ok' in validateUserDirective(['user', 'a', 'on', '+get'], new Set()));
  assert.ok('ok' in validateUserDirective(['user', 'a', '+nosuchcommand'], new Set()), 'unknown commands wait for the modules');
  assert.deepEqual(validateUserDirective(['user', 'a', 'on'], new Set(['a'])), {
    err: "Error in user declaration 'a': Duplicate user found. A user can only be defined once in config files",
  });
  // acl.c names argv[j], an index into the merged rules used on the whole line
  assert.deepEqual(validateUserDirective(['user', 'a', 'on', 'bogus'], new Set()), { err: "Error in user declaration 'a': Syntax error" });
});

test('the straight-from-argv key check agrees with the key specs (commandKeys) for every command', async () => {
  const { commandKeys } = await import('../../src/commands/introspection.js');
  const { ALL_COMMANDS } = await import('../../src/acl/rules.js');
  const { selectorCheckKey } = await import('../../src/acl/check.js');
  const u = user('~a*', '%R~r*', '%W~w*', '+@all', '&*');
  const words = ['a1', 'b2', 'r3', 'w4', 'a5', 'x6', 'r7', 'a8', 'w9', 'a10', 'b11'];
  for (const spec of ALL_COMMANDS) {
    if (spec.subcommands) continue;
    const min = Math.abs(spec.arity);
    for (let argc = Math.max(1, min); argc <= min + 5; argc++) {
      if (spec.arity > 0 && argc !== spec.arity) continue;
      const args = [Buffer.from(spec.parent ? spec.parent.name : spec.name)];
      if (spec.parent) args.push(Buffer.from(spec.name));
      while (args.length < argc) args.push(Buffer.from(words[args.length % words.length]));
      const refs = commandKeys(spec, args) ?? [];
      const perm = (f: string[]) => (f.includes('access') ? 1 : 0) | (f.some(x => x === 'insert' || x === 'delete' || x === 'update') ? 2 : 0);
      const expected = refs.every(r => selectorCheckKey(u.root, args[r.pos], perm(r.flags))) ? Deny.OK : Deny.KEY;
      assert.equal(checkUserCommand(u, spec, args), expected, `${spec.fullname} ${args.map(String).join(' ')}`);
    }
  }
});
