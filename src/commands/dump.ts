// DUMP, RESTORE, RESTORE-ASKING and MIGRATE (Redis: cluster.c dumpCommand, restoreCommand, migrateCommand); the serialization is src/persistence.
import { rewriteArgv, llArg } from '../replication/propagate.js';
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { keyStr } from '../store/db.js';
import { E } from '../errors.js';
import { NOTIFY } from '../server/notify.js';
import { eqi, string2ll } from '../util/parse.js';
import { checkAlreadyExpired } from '../store/strings.js';
import { setExpireExact } from '../store/expire.js';
import { createDumpPayload, verifyDumpPayload, loadDumpPayload, serverObjectOpts } from '../persistence/payload.js';
import { setLruOrLfu } from '../server/lfu.js';
import { migrateCommand } from './migrate.js';

export function dumpCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.null();
  c.reply.bulk(createDumpPayload(o, c.server));
}

/** Whether RESTORE from this client sanitizes deeply (sanitize-dump-payload; "clients": every client, no replication or ACL skip flag in redlua). */
function deepSanitize(c: Client): boolean {
  const v = c.server.config.get('sanitize-dump-payload');
  return v === 'yes' || v === 'clients';
}

export function restoreCommand(c: Client, argv: Buffer[]): void {
  let replace = false;
  let absttl = false;
  let lfuFreq = -1;
  let lruIdle = -1;
  for (let j = 4; j < argv.length; j++) {
    const more = argv.length - j - 1;
    if (eqi(argv[j], 'replace')) replace = true;
    else if (eqi(argv[j], 'absttl')) absttl = true;
    else if (eqi(argv[j], 'idletime') && more >= 1 && lfuFreq === -1) {
      const v = string2ll(argv[j + 1]);
      if (v === null) return c.reply.error(E.NOT_INTEGER);
      if (v < 0) return c.reply.error(E.RESTORE_IDLETIME);
      lruIdle = v;
      j++;
    } else if (eqi(argv[j], 'freq') && more >= 1 && lruIdle === -1) {
      const v = string2ll(argv[j + 1]);
      if (v === null) return c.reply.error(E.NOT_INTEGER);
      if (v < 0 || v > 255) return c.reply.error(E.RESTORE_FREQ);
      lfuFreq = v;
      j++;
    } else return c.reply.error(E.SYNTAX);
  }
  const db = c.db;
  const key = keyStr(argv[1]);
  if (!replace && db.lookupWrite(key) !== undefined) return c.reply.error(E.BUSYKEY);
  const ttlArg = string2ll(argv[2]);
  if (ttlArg === null) return c.reply.error(E.NOT_INTEGER);
  if (ttlArg < 0) return c.reply.error(E.RESTORE_TTL);
  const s = c.server;
  const payload = argv[3];
  if (!verifyDumpPayload(payload, s.skipChecksumValidation)) return c.reply.error(E.DUMP_PAYLOAD);
  const opts = serverObjectOpts(s, deepSanitize(c));
  opts.onSanitize = () => s.stats.dumpPayloadSanitizations++;
  const o = loadDumpPayload(payload, opts, msg => s.log.verbose(msg));
  if (o === null) return c.reply.error(E.BAD_DATA_FORMAT);
  const deleted = replace && db.delete(key);
  let ttl: number | bigint = ttlArg;
  if (ttl && !absttl) ttl = BigInt(ttl) + BigInt(s.commandTimeMs(c));
  if (ttl && checkAlreadyExpired(Number(ttl), s)) {
    if (deleted) {
      // propagated as the deletion it amounts to
      rewriteArgv(c, [s.config.bool('lazyfree-lazy-server-del') ? 'UNLINK' : 'DEL', argv[1]]);
      s.keyModified(db, key);
      s.notify(db, 'del', key, NOTIFY.GENERIC);
      s.dirty++;
    }
    return c.reply.ok();
  }
  db.add(key, o);
  if (ttl) {
    if (typeof ttl === 'bigint' && ttl > 9007199254740991n) setExpireExact(db, key, ttl);
    else db.setExpire(key, Number(ttl));
    // a relative TTL is propagated as an absolute one
    if (!absttl) rewriteArgv(c, [...argv.slice(0, 2), llArg(ttl), ...argv.slice(3), 'ABSTTL']);
  }
  setLruOrLfu(s, o, lfuFreq, lruIdle);
  s.keyModified(db, key);
  s.notify(db, 'restore', key, NOTIFY.GENERIC);
  c.reply.ok();
  s.dirty++;
}

export const handlers: Record<string, Handler> = {
  dump: dumpCommand,
  restore: restoreCommand,
  'restore-asking': restoreCommand,
  migrate: migrateCommand,
};
