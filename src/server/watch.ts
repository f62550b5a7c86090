// WATCH bookkeeping: which clients watch which keys, and invalidation on modification (Redis: multi.c touchWatchedKey & co).
import type { Db } from '../store/db.js';
import { CF, type Client } from './client.js';

export class WatchManager {
  /** "dbid\0key" → watching clients */
  private watchers = new Map<string, Set<Client>>();

  get size(): number {
    return this.watchers.size;
  }

  private k(db: Db, key: string): string {
    return db.id + '\0' + key;
  }

  watch(c: Client, db: Db, key: string): void {
    c.watched ??= [];
    if (c.watched.some(w => w.db === db && w.key === key)) return;
    c.watched.push({ db, key });
    const k = this.k(db, key);
    let s = this.watchers.get(k);
    if (!s) this.watchers.set(k, (s = new Set()));
    s.add(c);
  }

  unwatchAll(c: Client): void {
    if (!c.watched) return;
    for (const { db, key } of c.watched) {
      const k = this.k(db, key);
      const s = this.watchers.get(k);
      if (s) {
        s.delete(c);
        if (s.size === 0) this.watchers.delete(k);
      }
    }
    c.watched = null;
  }

  /** touchWatchedKey */
  touch(db: Db, key: string): void {
    if (this.watchers.size === 0) return;
    const s = this.watchers.get(this.k(db, key));
    if (s) for (const c of s) c.flags |= CF.DIRTY_CAS;
  }

  /** touchAllWatchedKeysInDb: after FLUSHDB/FLUSHALL/SWAPDB, every watched key that existed (or exists in `other`) is touched. */
  touchAllInDb(db: Db, other: Db | null = null): void {
    if (this.watchers.size === 0) return;
    const prefix = db.id + '\0';
    for (const [k, s] of this.watchers) {
      if (!k.startsWith(prefix)) continue;
      const key = k.slice(prefix.length);
      if (db.dict.has(key) || (other && other.dict.has(key))) for (const c of s) c.flags |= CF.DIRTY_CAS;
    }
  }
}
