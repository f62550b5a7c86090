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
  let timedOut = false;
  // the DELs of one cycle go out unwrapped (propagate_no_multi), right after it
  server.propagation.batch(() => (timedOut = expireCycle(server, now, ((1000 / hz) * ACTIVE_EXPIRE_SLOW_TIME_PERC) / 100)));
  if (timedOut) scheduleFast(server);
}

function scheduleFast(server: Server): void {
  if (fastScheduled.has(server)) return;
  fastScheduled.add(server);
  const t = setTimeout(() => {
    fastScheduled.delete(server);
    if (!server.activeExpireEnabled || server.scripting.isTimedOut()) return;
    let timedOut = false;
    server.propagation.batch(() => (timedOut = expireCycle(server, Date.now(), ACTIVE_EXPIRE_FAST_DURATION_MS)));
    if (timedOut) scheduleFast(server);
  }, 2 * ACTIVE_EXPIRE_FAST_DURATION_MS);
  t.unref();
}

// ---------- exact expiry times beyond 2^53 ----------
//
// Db.expires holds JS numbers (exact up to 2^53 ms, year 285616). Redis accepts any int64 (PEXPIREAT k
// 9223372036854775807); to reply such times exactly (PEXPIRETIME, PTTL, TTL) the exact value is remembered next to
// the rounded one, and only used while the rounded number in Db.expires is still the same (no cleanup hooks needed).

const HUGE = 2 ** 53;
const exactTimes = new WeakMap<Map<string, number>, Map<string, { n: number; b: bigint }>>();

/** setExpire with an exact int64 time (ms). */
export function setExpireExact(db: { expires: Map<string, number>; setExpire(key: string, when: number): void }, key: string, when: bigint): void {
  const n = Number(when);
  db.setExpire(key, n);
  if (n >= HUGE || n <= -HUGE) {
    let m = exactTimes.get(db.expires);
    if (!m) exactTimes.set(db.expires, (m = new Map()));
    m.set(key, { n, b: when });
  }
}

/** The exact expiry time of a key (bigint beyond 2^53, else the number), or -1. */
export function getExpireExact(db: { expires: Map<string, number> }, key: string): number | bigint {
  const n = db.expires.get(key);
  if (n === undefined) return -1;
  if (n < HUGE && n > -HUGE) return n;
  const e = exactTimes.get(db.expires)?.get(key);
  return e && e.n === n ? e.b : n;
}
