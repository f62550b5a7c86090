// Active expiry (Redis: expire.c activeExpireCycle, slow and fast cycles).
//
// activeExpireCycle(server, now) is called by the server cron (hz times per second). Per database it samples keys
// with a TTL, ACTIVE_EXPIRE_KEYS_PER_LOOP at a time, continuing from where the previous cycle stopped (a live Map
// iterator over db.expires, which survives inserts and deletes), deleting the expired ones (with the `expired`
// notification, WATCH invalidation and stats of Db.deleteExpired). It repeats while more than 10% of a sample was
// stale, within 25% of the cron period. It never scans the whole keyspace in one go.
//
// When a slow cycle runs out of time (keys expire faster than it reclaims them), fast cycles are scheduled, as Redis
// runs them from beforeSleep: at most 1 ms each, at most every 2 ms, until a cycle finishes below the stale
// threshold. Clients are served between fast cycles, so a burst of expiring keys never stalls them for more than
// about a millisecond, and reclaiming keeps up with expiry rates far above what the cron alone could do.
import type { Server } from '../server/server.js';

export const ACTIVE_EXPIRE_KEYS_PER_LOOP = 20;
/** percentage of stale keys in a sample above which the cycle goes on */
export const ACTIVE_EXPIRE_ACCEPTABLE_STALE = 10;
export const ACTIVE_EXPIRE_SLOW_TIME_PERC = 25;
export const ACTIVE_EXPIRE_FAST_DURATION_MS = 1;

const fastScheduled = new WeakSet<Server>();

/**
 * One expiry pass over every database within `budgetMs`. Returns true if it stopped because of the time limit
 * (more stale keys are probably left).
 */
export function expireCycle(server: Server, now: number, budgetMs: number): boolean {
  const start = performance.now();
  for (const db of server.dbs) {
    const expires = db.expires;
    if (expires.size === 0) continue;
    for (;;) {
      let sampled = 0;
      let expired = 0;
      let it = db.expireCursor;
      if (it === null) it = db.expireCursor = expires.keys();
      while (sampled < ACTIVE_EXPIRE_KEYS_PER_LOOP) {
        const n = it.next();
        if (n.done) {
          db.expireCursor = null;
          break;
        }
        sampled++;
        const key = n.value;
        const when = expires.get(key);
        if (when !== undefined && when <= now) {
          db.deleteExpired(key);
          expired++;
        }
      }
      if (sampled === 0 || expired * 100 <= sampled * ACTIVE_EXPIRE_ACCEPTABLE_STALE) break;
      if (performance.now() - start > budgetMs) return true;
    }
  }
  return false;
}

/** The cron's slow cycle; schedules fast cycles when it could not keep up. */
export function activeExpireCycle(server: Server, now: number): void {
  const hz = Math.max(1, server.config.num('hz'));
  const timedOut = expireCycle(server, now, ((1000 / hz) * ACTIVE_EXPIRE_SLOW_TIME_PERC) / 100);
  if (timedOut) scheduleFast(server);
}

function scheduleFast(server: Server): void {
  if (fastScheduled.has(server)) return;
  fastScheduled.add(server);
  const t = setTimeout(() => {
    fastScheduled.delete(server);
    if (!server.activeExpireEnabled || server.scripting.isTimedOut()) return;
    if (expireCycle(server, Date.now(), ACTIVE_EXPIRE_FAST_DURATION_MS)) scheduleFast(server);
  }, 2 * ACTIVE_EXPIRE_FAST_DURATION_MS);
  t.unref();
}
