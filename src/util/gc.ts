// A full garbage collection on demand, for memory that only a major GC returns to the OS; Redis counterpart: none
// (jemalloc returns freed memory by itself).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | null | undefined;

/**
 * Schedules two full collections (the first finds the dropped objects dead, the second runs after their backing
 * stores were released): after the Lua engine is re-created, the old WebAssembly instance's linear memory, which can
 * be gigabytes after a spike, goes back now rather than at the next major GC, which an idle server may not reach for
 * a long time. The gc function comes from a fresh context (the process's global `gc` is left alone).
 */
export function collectSoon(): void {
  if (gcFn === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    } catch {
      gcFn = null;
    }
  }
  const gc = gcFn;
  if (!gc) return;
  setImmediate(() => {
    gc();
    setTimeout(gc, 50).unref();
  });
}
