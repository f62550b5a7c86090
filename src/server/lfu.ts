// The LFU counter in the 24-bit lru field under an LFU maxmemory-policy: 16-bit minutes + 8-bit logarithmic counter (Redis: evict.c LFUGetTimeInMinutes, LFULogIncr, LFUDecrAndReturn; db.c updateLFU; object.c objectSetLRUOrLFU).
import type { RObj } from '../store/db.js';
import type { Server, HotConfig } from './server.js';

export const LFU_INIT_VAL = 5;
const LRU_CLOCK_MAX = (1 << 24) - 1;

/** LFUGetTimeInMinutes */
export function lfuMinutes(): number {
  return Math.floor(Date.now() / 60000) & 65535;
}

/** LFUTimeElapsed */
function lfuElapsed(ldt: number): number {
  const now = lfuMinutes();
  return now >= ldt ? now - ldt : 65535 - ldt + now;
}

/** LFULogIncr: increments with probability 1/((counter - LFU_INIT_VAL) * lfu-log-factor + 1). */
export function lfuLogIncr(counter: number, logFactor: number): number {
  if (counter === 255) return 255;
  const r = Math.random();
  let base = counter - LFU_INIT_VAL;
  if (base < 0) base = 0;
  const p = 1 / (base * logFactor + 1);
  return r < p ? counter + 1 : counter;
}

/** LFUDecrAndReturn: the counter after lfu-decay-time decay (the object is not updated). */
export function lfuDecrAndReturn(h: HotConfig, lru: number): number {
  const ldt = lru >>> 8;
  const counter = lru & 255;
  const periods = h.lfuDecayTime ? Math.floor(lfuElapsed(ldt) / h.lfuDecayTime) : 0;
  return periods ? (periods > counter ? 0 : counter - periods) : counter;
}

/** updateLFU: on access, decay then a logarithmic increment, stamped with the current minute. */
export function updateLFU(h: HotConfig, o: RObj): void {
  const counter = lfuLogIncr(lfuDecrAndReturn(h, o.lru), h.lfuLogFactor);
  o.lru = (lfuMinutes() << 8) | counter;
}

/** objectSetLRUOrLFU (RESTORE's FREQ / IDLETIME, RDB's FREQ / IDLE opcodes; idle in seconds); -1 = not given. */
export function setLruOrLfu(s: Server, o: RObj, freq: number, idleSec: number): boolean {
  if (s.hot.lfu) {
    if (freq >= 0) {
      o.lru = (lfuMinutes() << 8) | freq;
      return true;
    }
  } else if (idleSec >= 0) {
    let abs = s.clock.lru - idleSec;
    if (abs < 0) abs += LRU_CLOCK_MAX;
    o.lru = abs;
    return true;
  }
  return false;
}
