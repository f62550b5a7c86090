// Memory accounting for INFO and maxmemory enforcement with the eviction policies (Redis: evict.c performEvictions, zmalloc used_memory).
import type { Server } from './server.js';
import { keyBuf } from '../store/db.js';

export class MemoryManager {
  private cachedUsed = 0;
  private cachedAt = 0;
  peak = 0;

  constructor(readonly server: Server) {}

  /** Approximate used memory: V8 heap in use plus external buffers, refreshed at most every 100 ms. */
  used(): number {
    const now = Date.now();
    if (now - this.cachedAt > 100) {
      const m = process.memoryUsage();
      this.cachedUsed = m.heapUsed + m.external;
      this.cachedAt = now;
      if (this.cachedUsed > this.peak) this.peak = this.cachedUsed;
    }
    return this.cachedUsed;
  }

  /** Forget the cached reading (after large frees). */
  invalidate(): void {
    this.cachedAt = 0;
  }

  /**
   * performEvictions: evicts keys per maxmemory-policy until under maxmemory. Returns false when still over the
   * limit (noeviction, or nothing left to evict), i.e. deny-oom commands must be refused.
   */
  freeMemoryIfNeeded(): boolean {
    const max = this.server.config.num('maxmemory');
    if (!max) return true;
    if (this.used() <= max) return true;
    const policy = this.server.config.get('maxmemory-policy');
    if (policy === 'noeviction') return false;
    const volatile = policy.startsWith('volatile');
    let evicted = 0;
    const lm = this.server.latency;
    const cycleStart = lm.threshold !== 0 ? performance.now() : 0;
    // Evict in batches; the heap reading only changes after GC, so evict a bounded amount per call.
    for (const db of this.server.dbs) {
      const source = volatile ? db.expires.keys() : db.dict.keys();
      const victims: string[] = [];
      for (const k of source) {
        victims.push(k);
        if (victims.length >= 16) break;
      }
      for (const k of victims) {
        const t = lm.threshold !== 0 ? performance.now() : 0;
        db.delete(k);
        if (t !== 0) lm.addIfNeeded('eviction-del', Math.trunc(performance.now() - t));
        this.server.stats.evictedKeys++;
        this.server.notify(db, 'evicted', k);
        this.server.keyModified(db, k);
        evicted++;
      }
      if (evicted) break;
    }
    if (cycleStart !== 0) lm.addIfNeeded('eviction-cycle', Math.trunc(performance.now() - cycleStart));
    this.invalidate();
    void keyBuf;
    return evicted > 0 || this.used() <= max;
  }
}
