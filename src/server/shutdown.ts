// The shutdown sequence shared by SHUTDOWN and the signals (Redis: server.c prepareForShutdown, isReadyToShutdown,
// finishShutdown, abortShutdown; blocked.c replyToClientsBlockedOnShutdown).
//
// With replicas whose acknowledged offset is behind the stream, and shutdown-timeout above 0 (unless NOW), the
// shutdown waits: writes are paused, the replicas are asked for an ACK, and the cron finishes the shutdown as soon as
// every replica is in sync or the timeout passes. Meanwhile INFO shows shutdown_in_milliseconds, the SHUTDOWN
// client stays blocked, and SHUTDOWN ABORT calls it off.
import type { Server } from './server.js';
import type { Client } from './client.js';
import { E } from '../errors.js';

export interface ShutdownFlags {
  save?: boolean;
  nosave?: boolean;
  now?: boolean;
  force?: boolean;
}

/** c.blocked of a client waiting in SHUTDOWN (BLOCKED_SHUTDOWN). */
export const SHUTDOWN_BLOCK = { shutdown: true } as const;

export class Shutdown {
  /** shutdown_mstime: when a waiting shutdown gives up on the replicas (0: no shutdown is waiting) */
  deadline = 0;
  private flags: ShutdownFlags = {};
  /** the clients blocked in SHUTDOWN */
  private readonly waiting = new Set<Client>();

  constructor(private readonly s: Server) {}

  get initiated(): boolean {
    return this.deadline !== 0;
  }

  /** the clients blocked in SHUTDOWN (INFO blocked_clients) */
  get blockedCount(): number {
    return this.waiting.size;
  }

  /** Blocks a SHUTDOWN client until the shutdown completes (no reply) or fails (an error). */
  block(c: Client): void {
    c.blocked = SHUTDOWN_BLOCK;
    this.waiting.add(c);
  }

  /** A blocked SHUTDOWN client went away. */
  forget(c: Client): void {
    this.waiting.delete(c);
  }

  /**
   * prepareForShutdown: 'done' when the server is stopping now, 'waiting' while lagging replicas are given time,
   * 'failed' when the final save failed (logged; the server goes on).
   */
  prepare(flags: ShutdownFlags): 'done' | 'waiting' | 'failed' {
    const s = this.s;
    if (this.initiated) return 'failed';
    // a dataset being loaded is never saved over the file it comes from
    this.flags = s.persistence.loading ? { ...flags, save: false, nosave: true } : flags;
    s.log.warning('User requested shutdown...');
    if (!flags.now && s.config.num('shutdown-timeout') !== 0 && !this.ready()) {
      this.deadline = Date.now() + s.config.num('shutdown-timeout') * 1000;
      if (!s.pause.active()) s.repl.requestAcks();
      s.pause.pauseForShutdown(true);
      s.log.notice('Waiting for replicas before shutting down.');
      return 'waiting';
    }
    return this.finish() ? 'done' : 'failed';
  }

  /** isReadyToShutdown: every replica has acknowledged the whole stream. */
  ready(): boolean {
    const repl = this.s.repl;
    for (const r of repl.replicas.values()) if (r.ackOffset !== repl.offset) return false;
    return true;
  }

  /** serverCron: a waiting shutdown completes once the replicas are in sync or its time is up. */
  cron(now: number): void {
    if (this.initiated && (now >= this.deadline || this.ready())) this.finish();
  }

  /** abortShutdown: false when no shutdown was waiting or requested by a signal. */
  abort(): boolean {
    const s = this.s;
    if (this.initiated) this.cancel();
    else if (s.shutdownAsap !== null) s.shutdownAsap = null;
    else return false;
    s.log.notice('Shutdown manually aborted.');
    return true;
  }

  /** finishShutdown: the lagging replicas logged, the final save, then the server stops. False if the save failed. */
  private finish(): boolean {
    const s = this.s;
    const repl = s.repl;
    let n = 0;
    let lagging = 0;
    const now = Date.now();
    for (const r of repl.replicas.values()) {
      n++;
      if (r.ackOffset === repl.offset) continue;
      lagging++;
      const lag = Math.floor((now - r.ackTime) / 1000);
      s.log.warning(`Lagging replica ${r.ip}:${r.port} reported offset ${repl.offset - r.ackOffset} behind master, lag=${lag}, state=online.`);
    }
    if (n > 0) s.log.notice(`${n - lagging} of ${n} replicas are in sync when shutting down.`);
    // a BGSAVE is stopped, the AOF flushed (a rewrite killed, unless it writes the first AOF), then the final snapshot
    // (unless NOSAVE); a failure keeps the server running, unless FORCE
    s.persistence.killForShutdown();
    if (!s.aof.shutdown(this.flags.force === true) || !s.persistence.shutdownSave(this.flags)) {
      s.log.warning('Errors trying to shut down the server. Check the logs for more information.');
      this.cancel();
      return false;
    }
    this.deadline = 0;
    // no reply to the SHUTDOWN clients: their connections close as the server stops; new ones are refused from now
    s.stopListening();
    const hook = s.onShutdown;
    setImmediate(() => {
      if (hook) hook();
      else void s.close();
    });
    return true;
  }

  /** cancelShutdown: the blocked SHUTDOWN clients get the error, writes resume. */
  private cancel(): void {
    const s = this.s;
    s.shutdownAsap = null;
    this.deadline = 0;
    this.flags = {};
    s.onShutdownCancelled?.();
    for (const c of this.waiting) {
      c.blocked = null;
      c.reply.error(E.SHUTDOWN_ERRORS);
      c.wake();
      // what the client sent meanwhile runs after this turn (the SHUTDOWN client may be the one running now)
      setImmediate(() => s.resumeClient(c));
    }
    this.waiting.clear();
    s.pause.pauseForShutdown(false);
  }
}
