// Warm-up off the critical path: once a server listens, the Lua engine compiles on V8's background threads, and
// when that is done the EVAL VM is created in a later turn of the event loop (Redis: scriptingInit runs in
// initServer, before the first client; here it waits until the server already answers, so start-up is not delayed).
import { precompileModule } from '../engine/wasm.js';
import type { Server } from './server.js';

/** how long after the engine compiled the VM is created */
const WARM_DELAY_MS = 20;

/** Starts the warm-up; the returned function cancels what has not run yet (call it when the server closes). */
export function warmUp(server: Server): () => void {
  let cancelled = false;
  void precompileModule().then(() => {
    if (cancelled) return;
    // Creating the VM runs the engine's first code, which V8 compiles lazily function by function on this thread
    // (~15-30 ms here; 6 ms with --no-wasm-lazy-compilation, which cannot be set per module or after start-up).
    // A client connecting at start-up (a first PING) gets its reply first.
    setTimeout(() => {
      if (cancelled) return;
      try {
        void server.scripting.evalVM;
      } catch {
        // the first script reports what failed
      }
    }, WARM_DELAY_MS).unref();
  });
  return () => {
    cancelled = true;
  };
}
