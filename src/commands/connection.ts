// Connection commands: PING, ECHO, QUIT, RESET, SELECT, AUTH, HELLO and CLIENT (Redis: server.c, networking.c, acl.c).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { CF } from '../server/client.js';
import { E } from '../errors.js';
import { eqi } from '../util/parse.js';
import { getIntOrReply, getLongLongOrReply } from './args.js';
import { REDIS_VERSION } from '../server/server.js';

const PONG = Buffer.from('+PONG\r\n');

export function pingCommand(c: Client, argv: Buffer[]): void {
  if (argv.length > 2) {
    c.reply.error(E.wrongArity('ping'));
    return;
  }
  if (c.has(CF.PUBSUB) && c.resp === 2) {
    c.reply.arrayLen(2);
    c.reply.bulkStr('pong');
    c.reply.bulk(argv.length === 1 ? Buffer.alloc(0) : argv[1]);
  } else if (argv.length === 1) c.reply.raw(PONG);
  else c.reply.bulk(argv[1]);
}

export function echoCommand(c: Client, argv: Buffer[]): void {
  c.reply.bulk(argv[1]);
}

export function quitCommand(c: Client): void {
  c.reply.ok();
  c.flags |= CF.CLOSE_AFTER_REPLY;
}

export function selectCommand(c: Client, argv: Buffer[]): void {
  const id = getIntOrReply(c, argv[1]);
  if (id === null) return;
  if (id < 0 || id >= c.server.dbs.length) {
    c.reply.error(E.INVALID_DB);
    return;
  }
  c.db = c.server.dbs[id];
  c.reply.ok();
}

function checkPassword(c: Client, user: Buffer, pass: Buffer): boolean {
  const required = c.server.config.get('requirepass');
  if (user.toString('latin1') !== 'default') return false;
  if (required === '') return true; // nopass: any password works
  return pass.toString('latin1') === required;
}

export function authCommand(c: Client, argv: Buffer[]): void {
  if (argv.length > 3) {
    c.reply.error(E.SYNTAX);
    return;
  }
  let user: Buffer = Buffer.from('default');
  let pass = argv[1];
  if (argv.length === 2) {
    if (!c.server.config.requirepassSet()) {
      c.reply.error(E.AUTH_NOPASS);
      return;
    }
  } else {
    user = argv[1];
    pass = argv[2];
  }
  if (checkPassword(c, user, pass)) {
    c.authenticated = true;
    c.user = 'default';
    c.reply.ok();
  } else {
    c.reply.error(E.AUTH_WRONGPASS);
  }
}

/** clientSetNameOrReply: names cannot contain spaces, newlines or special characters. */
export function setClientName(c: Client, name: Buffer): boolean {
  for (const b of name) {
    if (b < 33 || b > 126) {
      c.reply.error(E.CLIENT_NAME_SPACES);
      return false;
    }
  }
  c.name = name.length ? Buffer.from(name) : null;
  return true;
}

export function helloCommand(c: Client, argv: Buffer[]): void {
  let ver = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = getLongLongOrReply(c, argv[next++], E.PROTO_VERSION_NOT_INT);
    if (v === null) return;
    if (v < 2 || v > 3) {
      c.reply.error(E.HELLO_NOPROTO);
      return;
    }
    ver = v;
  }
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (eqi(argv[j], 'auth') && more >= 2) {
      if (!checkPassword(c, argv[j + 1], argv[j + 2])) {
        c.reply.error(E.AUTH_WRONGPASS);
        return;
      }
      c.authenticated = true;
      j += 2;
    } else if (eqi(argv[j], 'setname') && more) {
      if (!setClientName(c, argv[j + 1])) return;
      j++;
    } else {
      c.reply.error(`ERR Syntax error in HELLO option '${argv[j].toString('latin1')}'`);
      return;
    }
  }
  if (!c.authenticated) {
    c.reply.error(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
    return;
  }
  if (ver) c.resp = ver as 2 | 3;
  const r = c.reply;
  r.mapLen(7);
  r.bulkStr('server');
  r.bulkStr('redis');
  r.bulkStr('version');
  r.bulkStr(REDIS_VERSION);
  r.bulkStr('proto');
  r.int(c.resp);
  r.bulkStr('id');
  r.int(c.id);
  r.bulkStr('mode');
  r.bulkStr('standalone');
  r.bulkStr('role');
  r.bulkStr('master');
  r.bulkStr('modules');
  r.arrayLen(0);
}

export const handlers: Record<string, Handler> = {
  ping: pingCommand,
  echo: echoCommand,
  quit: quitCommand,
  select: selectCommand,
  auth: authCommand,
  hello: helloCommand,
};
