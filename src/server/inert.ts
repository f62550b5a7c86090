// The one list of commands that redlua answers as Redis does but that have no effect here ("no reply pretends": each
// is named with the reason, and docs/COMMANDS.md lists them apart from the implemented ones; see
// scripts/gen-command-list.mjs). Keys are command fullnames from the command table, or "debug <subcommand>" for the
// argument forms of DEBUG. A command that gets implemented must leave this list (test/server/command-coverage.test.ts).

export const INERT: Record<string, string> = {
  'client|tracking':
    'the tracking mode is stored and reported (CLIENT TRACKINGINFO, CLIENT LIST), but no invalidation message is ever sent: client-side caching is issue #19',
  'client|caching': 'stored for OPTIN/OPTOUT tracking, which sends no invalidations (see CLIENT TRACKING)',
  'client|no-evict': 'the flag is stored and shown in CLIENT LIST, but redlua never evicts clients (maxmemory-clients is not implemented)',
  save: 'no RDB file is written (persistence is not implemented); LASTSAVE and INFO persistence advance as after a save',
  bgsave: 'no RDB file is written (persistence is not implemented); LASTSAVE and INFO persistence advance as after a save',
  bgrewriteaof: 'no AOF is written (persistence is not implemented)',
  'acl|log': 'no entry is ever logged: ACL LOG needs ACL users and their checks (issue #17 part 1)',
  'memory|purge': "there is no allocator to purge: the heap belongs to V8's garbage collector",
  'debug change-repl-id': 'redlua has no replication IDs to change',
  'debug quicklist-packed-threshold': 'the value is validated but lists are not stored as quicklists of packed nodes',
  'debug pause-cron': 'the cron is not paused',
  'debug leak': 'nothing is leaked',
  'debug replybuffer': 'reply buffers are not resized by redlua',
  'debug listpack': 'nothing is printed on stdout',
  'debug quicklist': 'nothing is printed on stdout',
};

/** The reason a command (fullname) answers without effect, or null. */
export function inertReason(fullname: string): string | null {
  return INERT[fullname] ?? null;
}
