// SYNC, PSYNC and REPLCONF: replicas attaching to this master (src/replication/master.ts) (Redis: replication.c
// syncCommand, replconfCommand).
import type { Handler } from './table.js';
import { CF, type Client } from '../server/client.js';
import { E } from '../errors.js';

/** SYNC / PSYNC <replid> <offset> */
export function syncCommand(c: Client, argv: Buffer[]): void {
  // "SYNC and PSYNC are invalid with pending output": anything not yet sent would mix with the RDB
  if (c.reply.length !== 0) return c.reply.error(E.SYNC_PENDING_OUTPUT);
  // a replica serves its own replicas only while its link to its master is up
  const rep = c.server.replica;
  if (rep.host !== null && !rep.linkUp) return c.reply.error(E.NOMASTERLINK);
  c.server.repl.sync(c, argv);
}

/** REPLCONF <option> <value> ... */
export function replconfCommand(c: Client, argv: Buffer[]): void {
  if (argv.length % 2 === 0) return c.reply.error(E.SYNTAX);
  // REPLCONF GETACK from our master: the ACK goes out at once (replicationSendAck), past the discarded replies
  if (c.flags & CF.MASTER) {
    if (argv[1].latin1Slice().toLowerCase() === 'getack') c.server.replica.sendAck();
    return;
  }
  const r = c.server.repl.replconf(c, argv);
  if (r === null) c.reply.ok();
  else if (r !== 'noreply') c.reply.error(r);
}

export const handlers: Record<string, Handler> = {
  sync: syncCommand,
  psync: syncCommand,
  replconf: replconfCommand,
};
