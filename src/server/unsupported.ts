// The commands of Redis 7.0.15's table that redlua deliberately does not implement, with the reason (used by the
// command coverage test and scripts/gen-command-list.mjs). Such commands are answered like unknown commands.

/** fullname or `family|*` pattern → reason */
export const NOT_IMPLEMENTED: Record<string, string> = {
  'acl|*': 'ACL users are not implemented: there is one default user, protected by requirepass',
  'cluster|*': 'cluster mode is not supported',
  asking: 'cluster mode is not supported',
  readonly: 'cluster mode is not supported',
  readwrite: 'cluster mode is not supported',
  'module|*': 'Redis modules (native shared objects) cannot be loaded',
  psync: 'replication is not supported',
  sync: 'replication is not supported',
  replconf: 'replication is not supported',
  replicaof: 'replication is not supported',
  slaveof: 'replication is not supported',
  failover: 'replication is not supported',
  wait: 'replication is not supported',
  dump: 'the RDB serialization format is not implemented',
  restore: 'the RDB serialization format is not implemented',
  'restore-asking': 'the RDB serialization format is not implemented',
  migrate: 'the RDB serialization format is not implemented',
  lolwut: 'art, not compatibility',
};

/** The reason a command is not implemented, or null if it is not listed. */
export function notImplementedReason(fullname: string): string | null {
  if (NOT_IMPLEMENTED[fullname] !== undefined) return NOT_IMPLEMENTED[fullname];
  const bar = fullname.indexOf('|');
  if (bar > 0) {
    const r = NOT_IMPLEMENTED[fullname.slice(0, bar) + '|*'];
    if (r !== undefined) return r;
  }
  return null;
}
