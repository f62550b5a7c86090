// The configuration table and its semantics: the 7.0.15 names, CONFIG SET atomicity with apply rollback, CONFIG GET
// patterns, redis.conf parsing and CONFIG REWRITE, and docs/CONFIG.md generated from the table (Redis: config.c).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config, CONFIG_ENTRIES, ConfigError } from '../../src/server/config.js';
import { rewriteConfigText } from '../../src/server/config-rewrite.js';

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');

describe('config table', () => {
  test('holds exactly the 192 names CONFIG GET * lists on 7.0.15, plus the hidden ones, without duplicates', () => {
    const want = fs.readFileSync(path.join(root, 'test/server/goldens/config-names-7.0.15.txt'), 'utf8').trim().split('\n').sort();
    assert.equal(want.length, 192);
    const all: string[] = [];
    for (const e of CONFIG_ENTRIES) all.push(e.name, ...(e.aliases ?? []));
    assert.equal(new Set(all).size, all.length, 'a name or alias appears twice');
    const visible = CONFIG_ENTRIES.filter(e => !e.hidden).flatMap(e => [e.name, ...(e.aliases ?? [])]).sort();
    assert.deepEqual(visible, want);
    const hidden = CONFIG_ENTRIES.filter(e => e.hidden).map(e => e.name).sort();
    assert.deepEqual(hidden, ['key-load-delay', 'loading-process-events-interval-bytes', 'lua-enable-deprecated-api', 'rdb-key-save-delay', 'use-exit-on-panic', 'watchdog-period']);
  });

  test('every inert parameter says why', () => {
    for (const e of CONFIG_ENTRIES) if ('inert' in e) assert.ok(e.inert && e.inert.length > 10, e.name);
  });

  test('CONFIG GET * lists every visible name once, hidden ones only by exact name', () => {
    const c = new Config();
    const names = c.getMatching(['*']).map(([k]) => k);
    assert.equal(names.length, 192);
    assert.ok(!names.includes('key-load-delay'));
    assert.deepEqual(c.getMatching(['key-load-delay']), [['key-load-delay', '0']]);
    const multi = c.getMatching(['maxmemory', 'maxmemory*', 'bind', '*of', 'MAXMEMORY']).map(([k]) => k);
    assert.equal(new Set(multi).size, multi.length);
    for (const n of ['slaveof', 'replicaof', 'maxmemory', 'maxmemory-samples', 'maxmemory-clients', 'bind']) assert.ok(multi.includes(n), n);
  });

  test('docs/CONFIG.md is what scripts/gen-config-doc.mjs generates from the table', async () => {
    const { renderConfigDoc } = (await import(path.join(root, 'scripts/gen-config-doc.mjs'))) as { renderConfigDoc: () => Promise<string> };
    assert.equal(fs.readFileSync(path.join(root, 'docs/CONFIG.md'), 'utf8'), await renderConfigDoc(), 'run npm run build && npm run config-doc');
  });
});

describe('CONFIG SET', () => {
  test('a multi-parameter SET is all or nothing: a bad value restores the ones set before it', () => {
    const c = new Config();
    assert.equal(c.setMany([['maxmemory', '10mb'], ['lua-time-limit', 'abc']]), "ERR CONFIG SET failed (possibly related to argument 'lua-time-limit') - argument couldn't be parsed into an integer");
    assert.equal(c.get('maxmemory'), '0');
    assert.equal(c.setMany([['maxmemory', '10mb'], ['HZ', '1000']]), null);
    assert.equal(c.get('maxmemory'), '10485760');
    assert.equal(c.get('hz'), '500');
  });

  test('a failing apply function rolls back every value of the command, including applied ones', () => {
    const c = new Config();
    const applied: string[] = [];
    c.applyFns.set('updateMaxmemory', () => (applied.push(c.get('maxmemory')), null));
    assert.equal(c.setMany([['maxmemory', '1mb'], ['tls-port', '6380'], ['timeout', '5']]), "ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to update TLS configuration. Check server logs.");
    assert.deepEqual([c.get('maxmemory'), c.get('tls-port'), c.get('timeout')], ['0', '0', '0']);
    assert.deepEqual(applied, ['1048576', '0'], 'applied with the new value, then again with the restored one');
  });

  test('unknown, immutable, protected and duplicate parameters: the first problem is reported', () => {
    const c = new Config();
    assert.equal(c.setMany([['nosuch', '1'], ['daemonize', 'yes']]), "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    assert.equal(c.setMany([['daemonize', 'yes'], ['nosuch', '1']]), "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config");
    assert.equal(c.setMany([['dir', '/tmp']]), "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
    assert.equal(c.setMany([['maxmemory', '1'], ['MAXMEMORY', '2']]), "ERR CONFIG SET failed (possibly related to argument 'MAXMEMORY') - duplicate parameter");
  });

  test('numeric parsing: memory units, percent, octal and unsigned wrap-around', () => {
    const c = new Config();
    const set = (n: string, v: string) => c.setMany([[n, v]]);
    assert.equal(set('maxmemory-clients', '5%'), null);
    assert.equal(c.get('maxmemory-clients'), '5%');
    assert.match(set('maxmemory-clients', '101%')!, /percentage argument must be less or equal to 100$/);
    assert.match(set('maxmemory', '-1')!, /argument must be a memory value$/);
    assert.match(set('maxclients', '-1')!, /argument must be between 1 and 4294967295 inclusive$/);
    assert.equal(set('shutdown-on-sigint', 'force NOW nosave'), null);
    assert.equal(c.get('shutdown-on-sigint'), 'nosave now force');
    assert.equal(set('save', '10 '), null, 'an empty changes count reads as 0, as strtoll does');
    assert.equal(c.get('save'), '10 0');
  });

  test('dir is kept per server, absolute, and fails like chdir; the process keeps its working directory', () => {
    const c = new Config();
    const before = process.cwd();
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-dir-')));
    try {
      assert.equal(c.get('dir'), before);
      assert.equal(c.setMany([['dir', tmp]], true), null);
      assert.equal(c.get('dir'), tmp);
      assert.equal(process.cwd(), before);
      assert.equal(c.setMany([['dir', '/nonexistent/x']], true), "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory");
      assert.equal(c.get('dir'), tmp);
      fs.writeFileSync(path.join(tmp, 'f'), '');
      assert.equal(c.setMany([['dir', path.join(tmp, 'f')]], true), "ERR CONFIG SET failed (possibly related to argument 'dir') - Not a directory");
    } finally {
      fs.rmSync(tmp, { recursive: true });
    }
  });
});

describe('redis.conf', () => {
  const fatal = (c: Config, text: string) => {
    try {
      c.loadText(text);
    } catch (ex) {
      assert.ok(ex instanceof ConfigError);
      return ex.message;
    }
    return null;
  };

  test('save lines of a file add up; the first one replaces the defaults', () => {
    const c = new Config();
    c.loadText('save 900 1\nsave "300 10"\n');
    assert.equal(c.get('save'), '900 1 300 10');
  });

  test('include, quoting, aliases and multi-argument values given as one string', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-conf-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.conf'), 'slave-read-only no\n');
      fs.writeFileSync(path.join(dir, 'b.conf'), 'notify-keyspace-events "KEA"\n');
      const c = new Config();
      c.loadText(`include ${dir}/*.conf\nclient-output-buffer-limit "pubsub 64mb 16mb 90"\nproc-title-template 'x {port}'\n`);
      assert.equal(c.get('replica-read-only'), 'no');
      assert.equal(c.get('notify-keyspace-events'), 'AKE');
      assert.equal(c.get('client-output-buffer-limit'), 'normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 90');
      assert.equal(c.get('proc-title-template'), 'x {port}');
      assert.equal(fatal(new Config(), `include ${dir}/nope.conf`), `Fatal error, can't open config file '${dir}/nope.conf': No such file or directory`);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('bad lines get redis-server\'s fatal report; what redlua cannot do is refused, not ignored', () => {
    const head = '\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n';
    assert.equal(fatal(new Config(), 'port 1\nhz abc'), `${head}Reading the configuration file, at line 2\n>>> 'hz abc'\nargument couldn't be parsed into an integer`);
    assert.equal(fatal(new Config(), 'maxmemory 1 2'), `${head}Reading the configuration file, at line 1\n>>> 'maxmemory 1 2'\nwrong number of arguments`);
    assert.equal(fatal(new Config(), 'port "1'), `${head}Reading the configuration file, at line 1\n>>> 'port "1'\nUnbalanced quotes in configuration line`);
    assert.match(fatal(new Config(), 'rename-command FLUSHALL ""')!, /rename-command is not supported by redlua$/);
    assert.equal(fatal(new Config(), 'list-max-ziplist-entries 5\nlua-replicate-commands yes'), null, 'deprecated directives are skipped');
    // user directives are validated as they are read (the ACL subsystem loads them at startup)
    const users = new Config();
    users.loadText('user default on #2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae ~* &* +@all\nuser alice on >pw ~k* +get');
    assert.deepEqual(users.userDirectives.map(d => d.name), ['default', 'alice']);
    assert.match(fatal(new Config(), 'user alice on\nuser alice off')!, /Error in user declaration 'alice': /);
    // an unknown command is the ACL loader's error at startup, as in Redis (test/acl), not the file parser's
    assert.equal(fatal(new Config(), 'user bob +nosuchcommand'), null);
    // TLS is honoured now: the file parser takes tls-port, and the listeners refuse it at start-up without a certificate
    const c = new Config();
    c.loadText('tls-port 6380');
    assert.doesNotThrow(() => c.checkLoaded());
    assert.equal(c.get('tls-port'), '6380');
  });

  test("Debian's /etc/redis/redis.conf loads, with the values redis-server reads from it", { skip: !readable('/etc/redis/redis.conf') }, () => {
    const c = new Config();
    const before = process.cwd();
    try {
      c.loadText(fs.readFileSync('/etc/redis/redis.conf', 'latin1').replace(/^dir .*$/m, ''));
    } finally {
      process.chdir(before);
    }
    assert.equal(c.get('bind'), '127.0.0.1 -::1');
    assert.equal(c.get('daemonize'), 'yes');
    assert.equal(c.get('client-output-buffer-limit'), 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
  });
});

function readable(f: string): boolean {
  try {
    fs.accessSync(f, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

describe('CONFIG REWRITE', () => {
  // The file and the CONFIG SET sequence below, run on redis-server 7.0.15 (CONFIG SET requirepass foo, then hz 10
  // maxmemory-policy allkeys-lru client-output-buffer-limit "pubsub 64mb 16mb 90" notify-keyspace-events Ex save ""
  // maxmemory-clients 10%, then CONFIG REWRITE), gave this file. Redis appends new lines in its dict's hash order,
  // so the lines after the signature are compared as a set.
  const OLD = 'port 24001\n# comment\nsave 900 1\nsave 300 10\nslave-read-only no\nhz 20\nmaxmemory 100mb\n\n\n\nappendonly no\nbind 127.0.0.1\nclient-output-buffer-limit normal 0 0 0\ninclude /dev/null\n';
  const REDIS = [
    'port 24001', '# comment', 'save ""', '', 'replica-read-only no', 'hz 10', 'maxmemory 100mb', '', 'appendonly no', 'bind 127.0.0.1',
    'client-output-buffer-limit normal 0 0 0', 'include /dev/null', '', '# Generated by CONFIG REWRITE',
  ];
  const APPENDED = [
    'maxmemory-clients 10%', 'latency-tracking-info-percentiles 50 99 99.9', 'client-output-buffer-limit pubsub 64mb 16mb 90',
    'maxmemory-policy allkeys-lru', 'dir "<cwd>"', 'requirepass "foo"', 'notify-keyspace-events "xE"',
    'user default on #2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae ~* &* +@all',
  ];

  test('keeps the file, replaces lines in place, blanks orphaned ones and appends the rest after the signature', () => {
    const c = new Config();
    c.loadText(OLD);
    assert.equal(c.setMany([['requirepass', 'foo']]), null);
    assert.equal(c.setMany([['hz', '10'], ['maxmemory-policy', 'allkeys-lru'], ['client-output-buffer-limit', 'pubsub 64mb 16mb 90'], ['notify-keyspace-events', 'Ex'], ['save', ''], ['maxmemory-clients', '10%']]), null);
    const lines = rewriteConfigText(c, OLD).split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(lines.slice(0, REDIS.length), REDIS);
    assert.deepEqual(lines.slice(REDIS.length).sort(), APPENDED.map(l => l.replace('<cwd>', process.cwd())).sort());
  });

  test('a file at the defaults keeps only what it had; unknown lines become "# ???" comments', () => {
    const c = new Config();
    c.loadText('hz 10\n');
    const out = rewriteConfigText(c, 'hz 10\nnosuch 1\n\n\n# x\n');
    // the old file's final newline leaves an empty last line, so the signature follows a blank line (as in Redis)
    const appended = out.split('# Generated by CONFIG REWRITE\n');
    assert.equal(appended[0], 'hz 10\n# ??? nosuch 1\n\n# x\n\n');
    const want = ['latency-tracking-info-percentiles 50 99 99.9', `dir ${JSON.stringify(process.cwd())}`, 'save 3600 1', 'save 300 100', 'save 60 10000', 'user default on nopass ~* &* +@all'];
    assert.deepEqual(appended[1].trim().split('\n').sort(), want.sort());
  });
});
