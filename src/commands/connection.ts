// Connection commands: PING, ECHO, QUIT, RESET, SELECT, HELLO and CLIENT (Redis: server.c, networking.c, tracking.c).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { CF } from '../server/client.js';
import type { User } from '../acl/rules.js';
import { TR } from '../server/tracking.js';
import { E } from '../errors.js';
import { eqi } from '../util/parse.js';
import { getIntOrReply, getLongLongOrReply, getRangeLongOrReply, LONG_MAX } from './args.js';
import { REDIS_VERSION } from '../server/server.js';
import { replyHelp, subcommandSyntaxError, unblockWait } from './server.js';

const PONG = Buffer.from('+PONG\r\n');
const REDACTED = Buffer.from('(redacted)');

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
      const user = argv[j + 1];
      const pass = argv[j + 2];
      argv[j + 1] = REDACTED;
      argv[j + 2] = REDACTED;
      if (!c.server.acl.authenticate(c, user, pass)) {
        c.reply.error(E.AUTH_WRONGPASS);
        return;
      }
      j += 2;
    } else if (eqi(argv[j], 'setname') && more) {
      if (!setClientName(c, argv[j + 1])) return;
      j++;
    } else {
      c.reply.error(E.helloSyntax(argv[j].toString('latin1')));
      return;
    }
  }
  if (!c.authenticated) {
    c.reply.error(E.HELLO_NOAUTH);
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

// ---------------------------------------------------------------------------------------------------------------
// Client tracking: the state and the invalidations are src/server/tracking.ts's; CLIENT TRACKING, TRACKINGINFO,
// GETREDIR and CACHING are here.

function trackingRedirect(c: Client): number {
  return c.tracking?.redirect ?? -1;
}

/** RESET: clearClientConnectionState, then +RESET. */
export function resetCommand(c: Client): void {
  const s = c.server;
  if (c.has(CF.MONITOR)) {
    s.monitors.delete(c);
    c.flags &= ~CF.MONITOR;
  }
  s.tracking.disable(c);
  c.db = s.dbs[0];
  c.resp = 2;
  s.acl.setDefaultAuth(c);
  s.discardTransaction(c);
  s.pubsub.unsubscribeAll(c);
  c.name = null;
  // NO_EVICT survives RESET in 7.0 (only ASKING/READONLY/PUBSUB/REPLY_OFF/REPLY_SKIP_NEXT are cleared).
  c.flags &= ~(CF.PUBSUB | CF.REPLY_OFF | CF.REPLY_SKIP_NEXT);
  c.reply.simple('RESET');
}

// ---------------------------------------------------------------------------------------------------------------
// CLIENT

const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

type ClientType = 'normal' | 'slave' | 'pubsub' | 'master';

/** getClientTypeByName */
function clientTypeByName(b: Buffer): ClientType | null {
  const s = b.toString('latin1').toLowerCase();
  if (s === 'normal' || s === 'pubsub' || s === 'master' || s === 'slave') return s;
  if (s === 'replica') return 'slave';
  return null;
}

/** getClientType: MONITOR clients count as normal. */
function clientType(c: Client): ClientType {
  if (c.has(CF.MASTER)) return 'master';
  if (c.has(CF.REPLICA)) return 'slave';
  return c.has(CF.PUBSUB) ? 'pubsub' : 'normal';
}

/** Bytes of argv as a RESP multibulk (what Redis's query buffer holds while the command runs). */
export function multibulkLen(argv: Buffer[]): number {
  let n = 3 + String(argv.length).length;
  for (const a of argv) n += 5 + String(a.length).length + a.length;
  return n;
}

/**
 * getClientMemoryUsage as CLIENT LIST reports it: the query buffer (holding the command being executed, when
 * `current`), argv, the MULTI queue, the pending output, and 37632 bytes that 7.0.15 reports for an idle connection
 * (query buffer 20474 + reply buffer 16384 + the client struct). totMem is also the client's share of used_memory.
 */
export function clientMemory(c: Client, current = false): { qbuf: number; argvMem: number; multiMem: number; omem: number; totMem: number } {
  const buffered = c.parser.buffered;
  const qbuf = current ? multibulkLen(c.argv) + buffered : buffered;
  let argvMem = 0;
  if (current) for (const a of c.argv) argvMem += a.length;
  // queueMultiCommand accounts the argument bytes plus one robj pointer per argument
  let multiMem = 0;
  if (c.mstate) for (const q of c.mstate) for (const a of q.argv) multiMem += a.length + 8;
  const omem = c.outputPending();
  const totMem = 37632 + (argvMem ? argvMem + 16 : 0) + (multiMem ? multiMem + 48 : 0) + omem + Math.max(0, qbuf - 20474);
  return { qbuf, argvMem, multiMem, omem, totMem };
}

/**
 * catClientInfoString: the CLIENT LIST / CLIENT INFO line, in Redis 7.0's field order. `fd`, `qbuf-free`, `rbs`, `rbp`
 * and the memory fields are implementation specific: they are computed to be plausible (the query buffer holds the
 * command being executed, like Redis's; the reply buffer is a 16k block; tot-mem adds a fixed per-client overhead).
 */
export function clientInfoString(self: Client, c: Client): string {
  let flags = '';
  if (c.has(CF.REPLICA)) flags += c.has(CF.MONITOR) ? 'O' : 'S';
  else if (c.has(CF.MONITOR)) flags += 'O';
  if (c.has(CF.MASTER)) flags += 'M';
  if (c.has(CF.PUBSUB)) flags += 'P';
  if (c.has(CF.MULTI)) flags += 'x';
  if (c.blocked !== null) flags += 'b';
  const tr = c.tracking;
  if (tr) flags += 't';
  if (tr && tr.flags & TR.BROKEN_REDIR) flags += 'R';
  if (tr && tr.flags & TR.BCAST) flags += 'B';
  if (c.has(CF.DIRTY_CAS)) flags += 'd';
  if (c.has(CF.CLOSE_AFTER_REPLY)) flags += 'c';
  if (c.has(CF.CLOSE_ASAP)) flags += 'A';
  if (c.has(CF.UNIX_SOCKET)) flags += 'U';
  if (c.has(CF.NO_EVICT)) flags += 'e';
  if (flags === '') flags = 'N';
  const now = Math.floor(Date.now() / 1000);
  const current = c === self && c.has(CF.EXECUTING);
  const { qbuf, argvMem, multiMem, omem, totMem } = clientMemory(c, current);
  const qbufFree = qbuf <= 20474 ? 20474 - qbuf : 0;
  const pending = omem;
  const obl = 0;
  const oll = pending ? 1 : 0;
  const events = c.socket ? (pending ? 'rw' : 'r') : '';
  const fd = (c.socket as unknown as { _handle?: { fd?: number } } | null)?._handle?.fd ?? -1;
  const cmd = c.lastCmd ? c.lastCmd.fullname : 'NULL';
  const ps = c.pubsub;
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${fd} name=${c.name ? c.name.toString('latin1') : ''}` +
    ` age=${now - Math.floor(c.createdAt / 1000)} idle=${current ? 0 : now - Math.floor(c.lastInteraction / 1000)}` +
    ` flags=${flags} db=${c.db.id} sub=${ps ? ps.channels.size : 0} psub=${ps ? ps.patterns.size : 0}` +
    ` ssub=${ps ? ps.shardChannels.size : 0} multi=${c.has(CF.MULTI) && c.mstate ? c.mstate.length : -1}` +
    ` qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=${multiMem} rbs=16384 rbp=16384` +
    ` obl=${obl} oll=${oll} omem=${omem} tot-mem=${totMem} events=${events} cmd=${cmd} user=${c.user.name}` +
    ` redir=${tr ? tr.redirect : -1} resp=${c.resp}`
  );
}

function clientList(c: Client, argv: Buffer[]): void {
  let type: ClientType | null = null;
  let out: string | null = null;
  if (argv.length === 4 && eqi(argv[2], 'type')) {
    type = clientTypeByName(argv[3]);
    if (type === null) {
      c.reply.error(E.unknownClientType(cstr(argv[3])));
      return;
    }
  } else if (argv.length > 3 && eqi(argv[2], 'id')) {
    out = '';
    for (let j = 3; j < argv.length; j++) {
      const id = getLongLongOrReply(c, argv[j], E.CLIENT_INVALID_ID);
      if (id === null) return;
      const t = c.server.clients.get(id);
      if (t) out += clientInfoString(c, t) + '\n';
    }
  } else if (argv.length !== 2) {
    c.reply.error(E.SYNTAX);
    return;
  }
  if (out === null) {
    out = '';
    for (const t of c.server.clients.values()) {
      if (type !== null && clientType(t) !== type) continue;
      out += clientInfoString(c, t) + '\n';
    }
  }
  c.reply.verbatim(Buffer.from(out, 'latin1'));
}

/** A C string view of an argument (stops at the first NUL, as %s does). */
function cstr(b: Buffer): string {
  const z = b.indexOf(0);
  return b.latin1Slice(0, z < 0 ? b.length : z);
}

function clientKill(c: Client, argv: Buffer[]): void {
  let addr: string | null = null;
  let laddr: string | null = null;
  let userFilter: User | null = null;
  let type: ClientType | null = null;
  let id = 0;
  let skipme = true;
  if (argv.length === 3) {
    addr = cstr(argv[2]);
    skipme = false; // with the old form you can kill yourself
  } else if (argv.length > 3) {
    for (let i = 2; i < argv.length; i += 2) {
      const more = argv.length > i + 1;
      const opt = argv[i];
      if (eqi(opt, 'id') && more) {
        const v = getRangeLongOrReply(c, argv[i + 1], 1, LONG_MAX, E.CLIENT_ID_GT0);
        if (v === null) return;
        id = v;
      } else if (eqi(opt, 'type') && more) {
        type = clientTypeByName(argv[i + 1]);
        if (type === null) {
          c.reply.error(E.unknownClientType(cstr(argv[i + 1])));
          return;
        }
      } else if (eqi(opt, 'addr') && more) {
        addr = cstr(argv[i + 1]);
      } else if (eqi(opt, 'laddr') && more) {
        laddr = cstr(argv[i + 1]);
      } else if (eqi(opt, 'user') && more) {
        const u = c.server.acl.getUser(argv[i + 1].toString('latin1'));
        if (u === undefined) {
          c.reply.errorSafe(E.noSuchUser(cstr(argv[i + 1])));
          return;
        }
        userFilter = u;
      } else if (eqi(opt, 'skipme') && more) {
        if (eqi(argv[i + 1], 'yes')) skipme = true;
        else if (eqi(argv[i + 1], 'no')) skipme = false;
        else {
          c.reply.error(E.SYNTAX);
          return;
        }
      } else {
        c.reply.error(E.SYNTAX);
        return;
      }
    }
  } else {
    c.reply.error(E.SYNTAX);
    return;
  }
  let killed = 0;
  let closeSelf = false;
  for (const t of [...c.server.clients.values()]) {
    if (addr !== null && t.addr !== addr) continue;
    if (laddr !== null && t.laddr !== laddr) continue;
    if (type !== null && clientType(t) !== type) continue;
    if (id !== 0 && t.id !== id) continue;
    if (userFilter !== null && t.user !== userFilter) continue;
    if (t === c && skipme) continue;
    if (t === c) closeSelf = true;
    else c.server.freeClient(t);
    killed++;
  }
  if (argv.length === 3) {
    if (killed === 0) c.reply.error(E.NO_SUCH_CLIENT);
    else c.reply.ok();
  } else c.reply.int(killed);
  if (closeSelf) c.flags |= CF.CLOSE_AFTER_REPLY;
}

function clientUnblock(c: Client, argv: Buffer[]): void {
  let error = false;
  if (argv.length === 4) {
    if (eqi(argv[3], 'timeout')) error = false;
    else if (eqi(argv[3], 'error')) error = true;
    else {
      c.reply.error(E.CLIENT_UNBLOCK_REASON);
      return;
    }
  }
  const id = getLongLongOrReply(c, argv[2]);
  if (id === null) return;
  const t = c.server.clients.get(id);
  // Clients blocked on keys or in WAIT can be unblocked (a client postponed by CLIENT PAUSE is not).
  const done = t !== undefined && t.blocked !== null && (unblockWait(t, error) || c.server.blocking.unblock(t, error ? 'error' : 'timeout'));
  c.reply.int(done ? 1 : 0);
}

function clientPause(c: Client, argv: Buffer[]): void {
  let type: 'write' | 'all' = 'all';
  if (argv.length === 4) {
    if (eqi(argv[3], 'write')) type = 'write';
    else if (eqi(argv[3], 'all')) type = 'all';
    else {
      c.reply.error(E.CLIENT_PAUSE_MODE);
      return;
    }
  }
  const end = getTimeoutMsOrReply(c, argv[2]);
  if (end === null) return;
  c.server.pause.pause(type, end);
  c.reply.ok();
}

/**
 * getTimeoutFromObjectOrReply with UNIT_MILLISECONDS: absolute ms, 0 stays 0. As in 7.0.15 there is no overflow check:
 * a sum past LLONG_MAX wraps to a negative deadline, i.e. a pause that is already over.
 */
export function getTimeoutMsOrReply(c: Client, arg: Buffer): number | null {
  const v = getLongLongOrReply(c, arg, E.TIMEOUT_NOT_INTEGER);
  if (v === null) return null;
  if (v < 0) {
    c.reply.error(E.TIMEOUT_NEGATIVE);
    return null;
  }
  if (v === 0) return 0;
  const now = Date.now();
  return v > LONG_MAX - now ? -1 : v + now;
}

/** stringCheckPrefix: one is a prefix of the other. */
function overlaps(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n) === b.slice(0, n);
}

function clientTracking(c: Client, argv: Buffer[]): void {
  let redir = 0;
  let options = 0;
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const a = argv[j];
    if (eqi(a, 'redirect') && more) {
      j++;
      if (redir !== 0) {
        c.reply.error(E.TRACKING_ONE_REDIRECT);
        return;
      }
      const v = getLongLongOrReply(c, argv[j]);
      if (v === null) return;
      redir = v;
      if (!c.server.clients.has(redir)) {
        c.reply.error(E.TRACKING_REDIRECT_MISSING);
        return;
      }
    } else if (eqi(a, 'bcast')) options |= TR.BCAST;
    else if (eqi(a, 'optin')) options |= TR.OPTIN;
    else if (eqi(a, 'optout')) options |= TR.OPTOUT;
    else if (eqi(a, 'noloop')) options |= TR.NOLOOP;
    else if (eqi(a, 'prefix') && more) {
      j++;
      prefixes.push(argv[j].toString('latin1'));
    } else {
      c.reply.error(E.SYNTAX);
      return;
    }
  }
  const cur = c.tracking;
  if (eqi(argv[2], 'on')) {
    if (!(options & TR.BCAST) && prefixes.length) {
      c.reply.error(E.TRACKING_PREFIX_WITHOUT_BCAST);
      return;
    }
    if (cur && !!(cur.flags & TR.BCAST) !== !!(options & TR.BCAST)) {
      c.reply.error(E.TRACKING_SWITCH_BCAST);
      return;
    }
    if (options & TR.BCAST && options & (TR.OPTIN | TR.OPTOUT)) {
      c.reply.error(E.TRACKING_OPTIN_BCAST);
      return;
    }
    if (options & TR.OPTIN && options & TR.OPTOUT) {
      c.reply.error(E.TRACKING_OPTIN_AND_OPTOUT);
      return;
    }
    if (cur && ((options & TR.OPTIN && cur.flags & TR.OPTOUT) || (options & TR.OPTOUT && cur.flags & TR.OPTIN))) {
      c.reply.error(E.TRACKING_SWITCH_OPTIN);
      return;
    }
    if (options & TR.BCAST) {
      // checkPrefixCollisionsOrReply (including its quirk: a collision found for i > 0 still enables tracking)
      for (let i = 0; i < prefixes.length; i++) {
        for (const e of cur?.prefixes ?? []) {
          if (overlaps(e, prefixes[i])) {
            c.reply.error(E.trackingPrefixOverlapsExisting(prefixes[i], e));
            return;
          }
        }
        let bad = false;
        for (let j = i + 1; j < prefixes.length; j++) {
          if (overlaps(prefixes[i], prefixes[j])) {
            c.reply.error(E.trackingPrefixOverlapsProvided(prefixes[i], prefixes[j]));
            if (i === 0) return;
            bad = true;
            break;
          }
        }
        if (bad) break;
      }
    }
    c.server.tracking.enable(c, redir, options, prefixes);
  } else if (eqi(argv[2], 'off')) {
    c.server.tracking.disable(c);
  } else {
    c.reply.error(E.SYNTAX);
    return;
  }
  c.reply.ok();
}

function clientCaching(c: Client, argv: Buffer[]): void {
  const st = c.tracking;
  if (!st) {
    c.reply.error(E.CACHING_NOT_OPT);
    return;
  }
  if (eqi(argv[2], 'yes')) {
    if (!(st.flags & TR.OPTIN)) {
      c.reply.error(E.CACHING_YES_NOT_OPTIN);
      return;
    }
  } else if (eqi(argv[2], 'no')) {
    if (!(st.flags & TR.OPTOUT)) {
      c.reply.error(E.CACHING_NO_NOT_OPTOUT);
      return;
    }
  } else {
    c.reply.error(E.SYNTAX);
    return;
  }
  st.flags |= TR.CACHING;
  c.reply.ok();
}

function clientTrackingInfo(c: Client): void {
  const r = c.reply;
  const st = c.tracking;
  r.mapLen(3);
  r.bulkStr('flags');
  const fl: string[] = [st ? 'on' : 'off'];
  if (st) {
    if (st.flags & TR.BCAST) fl.push('bcast');
    if (st.flags & TR.OPTIN) {
      fl.push('optin');
      if (st.flags & TR.CACHING) fl.push('caching-yes');
    }
    if (st.flags & TR.OPTOUT) {
      fl.push('optout');
      if (st.flags & TR.CACHING) fl.push('caching-no');
    }
    if (st.flags & TR.NOLOOP) fl.push('noloop');
    if (st.flags & TR.BROKEN_REDIR) fl.push('broken_redirect');
  }
  r.setLen(fl.length);
  for (const f of fl) r.bulkStr(f);
  r.bulkStr('redirect');
  r.int(st ? st.redirect : -1);
  r.bulkStr('prefixes');
  const pre = st && st.flags & TR.BCAST ? st.prefixes : [];
  r.arrayLen(pre.length);
  for (const p of pre) r.bulkStr(p);
}

export function clientCommand(c: Client, argv: Buffer[]): void {
  const sub = argv[1].toString('latin1').toLowerCase();
  const n = argv.length;
  switch (sub) {
    case 'help':
      if (n === 2) return replyHelp(c, argv, CLIENT_HELP);
      break;
    case 'id':
      if (n === 2) return c.reply.int(c.id);
      break;
    case 'info':
      if (n === 2) return c.reply.verbatim(Buffer.from(clientInfoString(c, c) + '\n', 'latin1'));
      break;
    case 'list':
      return clientList(c, argv);
    case 'reply':
      if (n === 3) {
        if (eqi(argv[2], 'on')) {
          c.flags &= ~(CF.REPLY_SKIP | CF.REPLY_OFF);
          c.reply.ok();
        } else if (eqi(argv[2], 'off')) c.flags |= CF.REPLY_OFF;
        else if (eqi(argv[2], 'skip')) {
          if (!c.has(CF.REPLY_OFF)) c.flags |= CF.REPLY_SKIP_NEXT;
        } else c.reply.error(E.SYNTAX);
        return;
      }
      break;
    case 'no-evict':
      if (n === 3) {
        if (eqi(argv[2], 'on')) c.flags |= CF.NO_EVICT;
        else if (eqi(argv[2], 'off')) c.flags &= ~CF.NO_EVICT;
        else return c.reply.error(E.SYNTAX);
        return c.reply.ok();
      }
      break;
    case 'kill':
      return clientKill(c, argv);
    case 'unblock':
      if (n === 3 || n === 4) return clientUnblock(c, argv);
      break;
    case 'setname':
      if (n === 3) {
        if (setClientName(c, argv[2])) c.reply.ok();
        return;
      }
      break;
    case 'getname':
      if (n === 2) return c.name ? c.reply.bulk(c.name) : c.reply.null();
      break;
    case 'unpause':
      if (n === 2) {
        c.server.pause.unpause();
        return c.reply.ok();
      }
      break;
    case 'pause':
      if (n === 3 || n === 4) return clientPause(c, argv);
      break;
    case 'tracking':
      if (n >= 3) return clientTracking(c, argv);
      break;
    case 'caching':
      if (n >= 3) return clientCaching(c, argv);
      break;
    case 'getredir':
      if (n === 2) return c.reply.int(trackingRedirect(c));
      break;
    case 'trackinginfo':
      if (n === 2) return clientTrackingInfo(c);
      break;
  }
  subcommandSyntaxError(c, argv);
}

export const handlers: Record<string, Handler> = {
  ping: pingCommand,
  echo: echoCommand,
  quit: quitCommand,
  select: selectCommand,
  hello: helloCommand,
  reset: resetCommand,
  'client|help': clientCommand,
  'client|id': clientCommand,
  'client|info': clientCommand,
  'client|list': clientCommand,
  'client|reply': clientCommand,
  'client|no-evict': clientCommand,
  'client|kill': clientCommand,
  'client|unblock': clientCommand,
  'client|setname': clientCommand,
  'client|getname': clientCommand,
  'client|unpause': clientCommand,
  'client|pause': clientCommand,
  'client|tracking': clientCommand,
  'client|caching': clientCommand,
  'client|getredir': clientCommand,
  'client|trackinginfo': clientCommand,
};
