// WATCH bookkeeping: which clients watch which keys, and invalidation on modification (Redis: multi.c touchWatchedKey & co).
import type { Db } from '../store/db.js';
import { CF, type Client } from './client.js';

/** One watched key of one client (watchedKey). `expired`: the key was already logically expired when WATCHed. */
export interface WatchedKey {
  db: Db;
  key: string;
  client: Client;
  expired: boolean;
}

function keyIsExpired(db: Db, key: string): boolean {
  const when = db.expires.get(key);
  return when !== undefined && when <= db.server.expireNow();
}

export class WatchManager {
  /** per db id: key → watchers, in WATCH order */
  private watchers: Map<string, Set<WatchedKey>>[] = [];
  private count = 0;

  /** Number of distinct watched keys (INFO watching_keys... and tests). */
  get size(): number {
    let n = 0;
    for (const m of this.watchers) if (m) n += m.size;
    return n;
  }

  private map(db: Db): Map<string, Set<WatchedKey>> {
    let m = this.watchers[db.id];
    if (!m) this.watchers[db.id] = m = new Map();
    return m;
  }

  /** watchForKey */
  watch(c: Client, db: Db, key: string): void {
    const list = (c.watched ??= []) as WatchedKey[];
    for (const w of list) if (w.db === db && w.key === key) return;
    const wk: WatchedKey = { db, key, client: c, expired: keyIsExpired(db, key) };
    list.push(wk);
    const m = this.map(db);
    let s = m.get(key);
    if (!s) m.set(key, (s = new Set()));
    s.add(wk);
    this.count++;
  }

  /** unwatchAllKeys (clearing CF.DIRTY_CAS is up to the caller). */
  unwatchAll(c: Client): void {
    const list = c.watched as WatchedKey[] | null;
    if (!list) return;
    for (const wk of list) {
      const m = this.watchers[wk.db.id];
      const s = m?.get(wk.key);
      if (s) {
        s.delete(wk);
        this.count--;
        if (s.size === 0) m!.delete(wk.key);
      }
    }
    c.watched = null;
  }

  /** isWatchedKeyExpired: a watched key (not expired at WATCH time) has logically expired since. */
  watchedKeyExpired(c: Client): boolean {
    const list = c.watched as WatchedKey[] | null;
    if (!list) return false;
    for (const wk of list) {
      if (wk.expired) continue;
      if (keyIsExpired(wk.db, wk.key)) return true;
    }
    return false;
  }

  /** Number of keys `c` watches (CLIENT LIST watch=). */
  watchedBy(c: Client): number {
    return c.watched ? c.watched.length : 0;
  }

  /** touchWatchedKey */
  touch(db: Db, key: string): void {
    if (this.count === 0) return;
    const s = this.watchers[db.id]?.get(key);
    if (!s) return;
    for (const wk of [...s]) {
      if (!s.has(wk)) continue;
      if (wk.expired) {
        // The key was already expired when WATCHed: its deletion is no logical change.
        if (!db.dict.has(key)) {
          wk.expired = false;
          continue;
        }
        // (Redis breaks out of the loop here.)
        break;
      }
      wk.client.flags |= CF.DIRTY_CAS;
      // Dirty already: no need to keep watching anything.
      this.unwatchAll(wk.client);
    }
  }

  /** touchAllWatchedKeysInDb: after FLUSHDB/FLUSHALL/SWAPDB (call before the flush / swap; `other` is the db swapped in). */
  touchAllInDb(db: Db, other: Db | null = null): void {
    if (this.count === 0) return;
    const m = this.watchers[db.id];
    if (!m) return;
    for (const [key, s] of m) {
      const inEmptied = db.dict.has(key);
      const inOther = other !== null && other.dict.has(key);
      if (!inEmptied && !inOther) continue;
      for (const wk of s) {
        if (wk.expired) {
          if (!inOther) {
            wk.expired = false;
            continue;
          } else if (keyIsExpired(other!, key)) continue;
        } else if (!inEmptied && other !== null && keyIsExpired(other, key)) {
          wk.expired = true;
          continue;
        }
        wk.client.flags |= CF.DIRTY_CAS;
      }
    }
  }
}
