// The ACL subsystem in a running server: user directives, aclfile SAVE/LOAD, start-up errors, requirepass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../src/index.js';
import { AclStartupError } from '../../src/acl/index.js';
import { RawConn } from '../helpers/conn.js';

const str = (b: Buffer) => b.toString('latin1');

test('user directives of redis.conf create the users; the default user can be redefined', async () => {
  const srv = await startServer({ log: false, configText: 'user alice on >pw ~a:* +get\nuser default on nopass ~* &* +@all -flushall\n' });
  const c = await RawConn.connect(srv.port);
  try {
    assert.equal(str(await c.call(['ACL', 'LIST'])).split('\r\n').filter(l => l.startsWith('user ')).join('|'),
      `user alice on #${'30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4'} ~a:* resetchannels -@all +get|user default on nopass sanitize-payload ~* &* +@all -flushall`);
    assert.equal(str(await c.call(['FLUSHALL'])), "-NOPERM this user has no permissions to run the 'flushall' command\r\n");
    assert.equal(str(await c.call(['AUTH', 'alice', 'pw'])), '+OK\r\n');
  } finally {
    c.close();
    await srv.close();
  }
});

test('a bad user directive is a fatal configuration error; user directives and aclfile exclude each other', async () => {
  await assert.rejects(startServer({ log: false, configText: 'user alice on bogus\n' }), /Error in user declaration 'alice': Syntax error/);
  await assert.rejects(startServer({ log: false, configText: 'user alice on\nuser alice off\n' }), /Duplicate user found/);
  await assert.rejects(startServer({ log: false, configText: 'user alice on\naclfile /nonexistent/users.acl\n' }), (e: unknown) => {
    assert.ok(e instanceof AclStartupError);
    assert.match(e.message, /please define either an ACL file or declare users directly in your redis.conf, but not both/);
    return true;
  });
  await assert.rejects(startServer({ log: false, config: { aclfile: '/nonexistent/users.acl' } }), /Aborting Redis startup because of ACL errors: Error loading ACLs, opening file '\/nonexistent\/users.acl': No such file or directory/);
});

test('ACL SAVE and ACL LOAD with aclfile; LOAD is all or nothing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-acl-'));
  const file = path.join(dir, 'users.acl');
  fs.writeFileSync(file, 'user bob on nopass ~* &* +@all\n');
  const srv = await startServer({ log: false, config: { aclfile: file } });
  const c = await RawConn.connect(srv.port);
  try {
    assert.match(str(await c.call(['ACL', 'USERS'])), /bob/);
    assert.equal(str(await c.call(['ACL', 'SETUSER', 'carol', 'on', '>x', '~c:*', '+get'])), '+OK\r\n');
    assert.equal(str(await c.call(['ACL', 'SAVE'])), '+OK\r\n');
    const saved = fs.readFileSync(file, 'latin1');
    assert.match(saved, /^user bob on nopass ~\* &\* \+@all\nuser carol on #[0-9a-f]{64} ~c:\* resetchannels -@all \+get\nuser default on nopass ~\* &\* \+@all\n$/);
    fs.writeFileSync(file, saved + 'user broken on +nosuch bogus\nnot a user line\n');
    const err = str(await c.call(['ACL', 'LOAD']));
    assert.ok(err.startsWith(`-ERR ${file}:4: Error in applying operation '+nosuch': Unknown command or category name in ACL. ${file}:4: Syntax error. ${file}:5 should start with user keyword followed by the username. WARNING: ACL errors detected`), err);
    fs.writeFileSync(file, 'user dave on nopass ~* +@all\n');
    const other = await RawConn.connect(srv.port);
    assert.equal(str(await other.call(['AUTH', 'bob', 'x'])), '+OK\r\n');
    assert.equal(str(await c.call(['ACL', 'LOAD'])), '+OK\r\n');
    // bob's connection went with the users the file replaced
    await other.waitClose();
    assert.equal(str(await c.call(['ACL', 'USERS'])), '*2\r\n$4\r\ndave\r\n$7\r\ndefault\r\n');
  } finally {
    c.close();
    await srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('requirepass is the default password: CONFIG SET updates it, new connections need AUTH', async () => {
  const srv = await startServer({ log: false, config: { requirepass: 'pw' } });
  const c = await RawConn.connect(srv.port);
  try {
    assert.equal(str(await c.call(['GET', 'x'])), '-NOAUTH Authentication required.\r\n');
    assert.equal(str(await c.call(['AUTH', 'nope'])), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    assert.equal(str(await c.call(['AUTH', 'pw'])), '+OK\r\n');
    assert.equal(str(await c.call(['CONFIG', 'SET', 'requirepass', 'new'])), '+OK\r\n');
    const d = await RawConn.connect(srv.port);
    assert.equal(str(await d.call(['AUTH', 'pw'])), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    assert.equal(str(await d.call(['AUTH', 'default', 'new'])), '+OK\r\n');
    d.close();
    assert.equal(str(await c.call(['CONFIG', 'SET', 'requirepass', ''])), '+OK\r\n');
    const e = await RawConn.connect(srv.port);
    assert.equal(str(await e.call(['GET', 'x'])), '$-1\r\n');
    e.close();
    // every failed AUTH is in the log, the unknown user's too
    assert.match(str(await c.call(['ACL', 'LOG', '1'])), /reason\r\n\$4\r\nauth\r\n.*object\r\n\$4\r\nAUTH\r\n\$8\r\nusername\r\n\$7\r\ndefault/s);
  } finally {
    c.close();
    await srv.close();
  }
});

test('a subscriber whose channel permission is revoked is disconnected; one that keeps it stays', async () => {
  const srv = await startServer({ log: false });
  const admin = await RawConn.connect(srv.port);
  const sub = await RawConn.connect(srv.port);
  const keep = await RawConn.connect(srv.port);
  try {
    assert.equal(str(await admin.call(['ACL', 'SETUSER', 'psub', 'on', 'nopass', '+@all', '&foo', '&bar'])), '+OK\r\n');
    for (const c of [sub, keep]) assert.equal(str(await c.call(['AUTH', 'psub', 'x'])), '+OK\r\n');
    assert.match(str(await sub.call(['SUBSCRIBE', 'foo'])), /subscribe/);
    assert.match(str(await keep.call(['SUBSCRIBE', 'bar'])), /subscribe/);
    // adding a channel keeps everyone
    assert.equal(str(await admin.call(['ACL', 'SETUSER', 'psub', '&baz'])), '+OK\r\n');
    assert.equal(str(await admin.call(['ACL', 'SETUSER', 'psub', 'resetchannels', '&bar', '&baz'])), '+OK\r\n');
    await sub.waitClose();
    assert.equal(str(await admin.call(['PUBLISH', 'bar', 'm'])), ':1\r\n');
  } finally {
    for (const c of [admin, sub, keep]) c.close();
    await srv.close();
  }
});
