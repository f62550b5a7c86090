// The one list of commands that redlua answers as Redis does but that have no effect here ("no reply pretends": each
// is named with the reason, and docs/COMMANDS.md lists them apart from the implemented ones; see
// scripts/gen-command-list.mjs). Keys are command fullnames from the command table, or "debug <subcommand>" for the
// argument forms of DEBUG. A command that gets implemented must leave this list (test/server/command-coverage.test.ts).

export const INERT: Record<string, string> = {
  'memory|purge': "there is no allocator to purge: the heap belongs to V8's garbage collector",
  'debug change-repl-id': 'redlua has no replication IDs to change',
  'debug quicklist-packed-threshold': 'the value is validated but lists are not stored as quicklists of packed nodes',
  'debug leak': 'nothing is leaked',
  'debug replybuffer': 'reply buffers are not resized by redlua',
  'debug listpack': 'nothing is printed on stdout',
  'debug quicklist': 'nothing is printed on stdout',
};

/** The reason a command (fullname) answers without effect, or null. */
export function inertReason(fullname: string): string | null {
  return INERT[fullname] ?? null;
}
