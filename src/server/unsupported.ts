// The commands of Redis 7.0.15's table that redlua deliberately does not implement, with the reason (used by the
// command coverage test and scripts/gen-command-list.mjs). Such commands are answered like unknown commands.

/** fullname or `family|*` pattern → reason */
export const NOT_IMPLEMENTED: Record<string, string> = {
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
