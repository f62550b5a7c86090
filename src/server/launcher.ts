// Stopping with the launcher: `npx redlua-server` and `npm start` run the server under `sh -c`, and on SIGTERM npm
// signals only that shell, which dies and leaves node orphaned (no Redis counterpart: redis-server is exec'd directly).
// When npm started us, a change of parent process means the launcher is gone, and the server shuts down as on SIGTERM.

/** true when npm (`npm exec`/`npx`, `npm start`, `npm run …`) launched this process */
export function launchedByNpm(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.npm_lifecycle_event || env.npm_command);
}

/**
 * Calls `onGone` once when the parent process that launched us has exited (we were reparented). Polls
 * process.ppid (a live getppid()) every `intervalMs`; the timer never keeps the process alive. Returns a stop function.
 */
export function watchLauncher(onGone: () => void, intervalMs = 250): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
