// MULTI / EXEC / DISCARD / WATCH / UNWATCH (Redis: multi.c). Queueing itself is done by the dispatcher (dispatch.ts).
import type { Handler } from './table.js';
import { CF, type Client } from '../server/client.js';
import { keyStr } from '../store/db.js';
import { E } from '../errors.js';
import { call } from '../server/dispatch.js';
import { Deny } from '../acl/check.js';

function multiCommand(c: Client): void {
  if (c.has(CF.MULTI)) return c.reply.error(E.MULTI_NESTED);
  c.flags |= CF.MULTI;
  c.mstate = [];
  c.mstateFlags = 0;
  c.reply.ok();
}

function discardCommand(c: Client): void {
  if (!c.has(CF.MULTI)) return c.reply.error(E.DISCARD_WITHOUT_MULTI);
  c.server.discardTransaction(c);
  c.reply.ok();
}

function execCommand(c: Client): void {
  const server = c.server;
  if (!c.has(CF.MULTI)) return c.reply.error(E.EXEC_WITHOUT_MULTI);
  // EXEC with an expired watched key is refused.
  if (server.watch.watchedKeyExpired(c)) c.flags |= CF.DIRTY_CAS;
  if (c.flags & (CF.DIRTY_CAS | CF.DIRTY_EXEC)) {
    if (c.has(CF.DIRTY_EXEC)) c.reply.error(E.EXECABORT);
    else c.reply.nullArray();
    server.discardTransaction(c);
    return;
  }
  const oldFlags = c.flags;
  // No blocking inside a transaction.
  c.flags |= CF.DENY_BLOCKING;
  server.watch.unwatchAll(c);
  const queue = c.mstate ?? [];
  const origArgv = c.argv;
  const origCmd = c.cmd;
  // Keys expire against a fixed time during the whole transaction.
  const prevFixed = server.fixedTimeExpire;
  if (!prevFixed) server.fixedTimeExpire = Date.now();
  try {
    c.reply.arrayLen(queue.length);
    for (const q of queue) {
      c.argv = q.argv;
      c.cmd = q.spec;
      // ACLs are checked again: they may have changed since the command was queued
      const denied = c.user.unrestricted ? Deny.OK : server.acl.check(c, q.spec, q.argv);
      if (denied !== Deny.OK) server.acl.rejectQueued(c, q.spec, q.argv, denied);
      else call(server, c, q.spec, q.argv);
    }
  } finally {
    server.fixedTimeExpire = prevFixed;
    if (!(oldFlags & CF.DENY_BLOCKING)) c.flags &= ~CF.DENY_BLOCKING;
    c.argv = origArgv;
    c.cmd = origCmd;
    server.discardTransaction(c);
  }
}

function watchCommand(c: Client, argv: Buffer[]): void {
  if (c.has(CF.MULTI)) return c.reply.error(E.WATCH_IN_MULTI);
  // No point in watching if the client is already dirty.
  if (c.has(CF.DIRTY_CAS)) return c.reply.ok();
  for (let j = 1; j < argv.length; j++) c.server.watch.watch(c, c.db, keyStr(argv[j]));
  c.reply.ok();
}

function unwatchCommand(c: Client): void {
  c.server.watch.unwatchAll(c);
  c.flags &= ~CF.DIRTY_CAS;
  c.reply.ok();
}

export const handlers: Record<string, Handler> = {
  multi: multiCommand,
  exec: execCommand,
  discard: discardCommand,
  watch: watchCommand,
  unwatch: unwatchCommand,
};
