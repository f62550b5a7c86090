// Shutdown signals (SIGINT, SIGTERM) as Redis's sigShutdownHandler sees them: at any time, even while the main thread
// is inside a busy script.
//
// Node runs a signal's JS handler from the event loop, which cannot turn while a script runs in WASM. So once a script
// has gone past busy-reply-threshold, a small watcher thread also listens for the two signals (libuv delivers a signal
// to every handle registered for it, in every thread) and counts them in shared memory. The busy poll reads the counts
// and runs the handler for the signals the event loop has not delivered yet; when the loop later delivers them, they
// are not handled twice.
import { Worker } from 'node:worker_threads';

export type ShutdownSignal = 'SIGINT' | 'SIGTERM';
const SIGNALS: readonly ShutdownSignal[] = ['SIGINT', 'SIGTERM'];

const WATCHER_SRC = `
const { workerData } = require('node:worker_threads');
const counts = new Int32Array(workerData.sab);
// process.on() delivers no signal inside a worker; a signal handle of the worker's own loop does
process.noDeprecation = true;
const { Signal } = process.binding('signal_wrap');
[2, 15].forEach((signo, slot) => {
  const h = new Signal();
  h.onsignal = () => Atomics.add(counts, slot, 1);
  h.start(signo);
});
Atomics.store(counts, 2, 1);
Atomics.notify(counts, 2);
`;

export class SignalInbox {
  /** sigShutdownHandler; set by the CLI (an embedded server leaves the host's signals alone). */
  handler: ((sig: ShutdownSignal) => void) | null = null;
  /** deliveries by the event loop (process.on) */
  private readonly delivered_ = [0, 0];
  /** signals handled from the busy poll that the event loop has not delivered yet */
  private readonly early = [0, 0];
  /** watcher count minus the signals it saw that the event loop also delivered: pending = counts - base - delivered - early */
  private readonly base = [0, 0];
  private counts: Int32Array | null = null;
  private worker: Worker | null = null;
  private rebaseTimer: NodeJS.Timeout | null = null;

  /** The event loop's delivery of a signal (the process.on handler). */
  deliver(sig: ShutdownSignal): void {
    const i = SIGNALS.indexOf(sig);
    this.delivered_[i]++;
    if (this.early[i] > 0) {
      this.early[i]--;
      return;
    }
    this.handler?.(sig);
  }

  /** Starts the watcher thread (once, the first time a script is busy). */
  watch(onError: (msg: string) => void): void {
    if (this.counts || !this.handler) return;
    const sab = new SharedArrayBuffer(12);
    this.counts = new Int32Array(sab);
    for (let i = 0; i < SIGNALS.length; i++) this.base[i] = -this.delivered_[i] - this.early[i];
    try {
      this.worker = new Worker(WATCHER_SRC, { eval: true, workerData: { sab } });
      this.worker.unref();
      this.worker.on('error', e => onError(`signal watcher failed: ${e.message}`));
      // the thread starts on its own (the event loop is not needed): wait for its handles, briefly
      Atomics.wait(this.counts, 2, 0, 500);
    } catch (e) {
      onError(`signal watcher unavailable: ${(e as Error).message}`);
    }
  }

  /** From the busy poll: handles the signals the watcher saw and the event loop has not delivered. */
  catchUp(): void {
    const counts = this.counts;
    if (!counts || !this.handler) return;
    for (let i = 0; i < SIGNALS.length; i++) {
      let pending = Atomics.load(counts, i) - this.base[i] - this.delivered_[i] - this.early[i];
      while (pending-- > 0) {
        this.early[i]++;
        this.handler(SIGNALS[i]);
      }
    }
  }

  /**
   * After a busy script: once the event loop has delivered what arrived meanwhile, realign the counts (a signal that
   * reached the process before the watcher existed is delivered by the loop only).
   */
  settle(): void {
    if (!this.counts || this.rebaseTimer) return;
    this.rebaseTimer = setTimeout(() => {
      this.rebaseTimer = null;
      const counts = this.counts!;
      for (let i = 0; i < SIGNALS.length; i++) {
        const pending = Atomics.load(counts, i) - this.base[i] - this.delivered_[i] - this.early[i];
        if (pending < 0) this.base[i] += pending;
      }
    }, 50);
    this.rebaseTimer.unref();
  }

  /**
   * Stops the watcher thread; the promise settles once it is gone. A process.exit() while the thread is still being
   * torn down can abort the process (SIGABRT instead of exit 0), so the CLI waits for this before it exits.
   */
  close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    return w === null ? Promise.resolve() : w.terminate().then(() => undefined, () => undefined);
  }
}
