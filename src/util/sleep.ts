// A synchronous sleep that stops the whole server, as Redis's usleep/nanosleep do (DEBUG SLEEP, rdb-key-save-delay,
// DEBUG AOF-FLUSH-SLEEP): no other client is served meanwhile.
const cell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` milliseconds (fractions allowed). */
export function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(cell, 0, 0, ms);
}
