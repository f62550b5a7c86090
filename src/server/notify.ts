// Keyspace event classes and the notify-keyspace-events flag parsing (Redis: notify.c).

export const NOTIFY = {
  KEYSPACE: 1 << 0, // K
  KEYEVENT: 1 << 1, // E
  GENERIC: 1 << 2, // g
  STRING: 1 << 3, // $
  LIST: 1 << 4, // l
  SET: 1 << 5, // s
  HASH: 1 << 6, // h
  ZSET: 1 << 7, // z
  EXPIRED: 1 << 8, // x
  EVICTED: 1 << 9, // e
  STREAM: 1 << 10, // t
  KEY_MISS: 1 << 11, // m
  LOADED: 1 << 12, // module only
  MODULE: 1 << 13, // d
  NEW: 1 << 14, // n
} as const;

export const NOTIFY_ALL =
  NOTIFY.GENERIC | NOTIFY.STRING | NOTIFY.LIST | NOTIFY.SET | NOTIFY.HASH | NOTIFY.ZSET | NOTIFY.EXPIRED | NOTIFY.EVICTED | NOTIFY.STREAM | NOTIFY.MODULE;

/** keyspaceEventsStringToFlags; -1 on an invalid character. */
export function parseNotifyFlags(s: string): number {
  let f = 0;
  for (const c of s) {
    switch (c) {
      case 'A': f |= NOTIFY_ALL; break;
      case 'g': f |= NOTIFY.GENERIC; break;
      case '$': f |= NOTIFY.STRING; break;
      case 'l': f |= NOTIFY.LIST; break;
      case 's': f |= NOTIFY.SET; break;
      case 'h': f |= NOTIFY.HASH; break;
      case 'z': f |= NOTIFY.ZSET; break;
      case 'x': f |= NOTIFY.EXPIRED; break;
      case 'e': f |= NOTIFY.EVICTED; break;
      case 'K': f |= NOTIFY.KEYSPACE; break;
      case 'E': f |= NOTIFY.KEYEVENT; break;
      case 't': f |= NOTIFY.STREAM; break;
      case 'm': f |= NOTIFY.KEY_MISS; break;
      case 'd': f |= NOTIFY.MODULE; break;
      case 'n': f |= NOTIFY.NEW; break;
      default: return -1;
    }
  }
  return f;
}

/** keyspaceEventsFlagsToString: the canonical CONFIG GET form of the flags. */
export function notifyFlagsToString(flags: number): string {
  let res = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) res += 'A';
  else {
    if (flags & NOTIFY.GENERIC) res += 'g';
    if (flags & NOTIFY.STRING) res += '$';
    if (flags & NOTIFY.LIST) res += 'l';
    if (flags & NOTIFY.SET) res += 's';
    if (flags & NOTIFY.HASH) res += 'h';
    if (flags & NOTIFY.ZSET) res += 'z';
    if (flags & NOTIFY.EXPIRED) res += 'x';
    if (flags & NOTIFY.EVICTED) res += 'e';
    if (flags & NOTIFY.STREAM) res += 't';
    if (flags & NOTIFY.MODULE) res += 'd';
    if (flags & NOTIFY.NEW) res += 'n';
  }
  if (flags & NOTIFY.KEYSPACE) res += 'K';
  if (flags & NOTIFY.KEYEVENT) res += 'E';
  if (flags & NOTIFY.KEY_MISS) res += 'm';
  return res;
}

/** Canonical form of a flags text (empty for an invalid one, which config validation rejects first). */
export function canonicalNotifyText(v: string): string {
  const f = parseNotifyFlags(v);
  return f < 0 ? '' : notifyFlagsToString(f);
}
