// CLIENT PAUSE / UNPAUSE: postponing commands of paused clients until the pause ends (Redis: networking.c pauseClients, blocked.c BLOCKED_POSTPONE).
import { F, type CommandSpec } from '../commands/table.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

export class PauseManager {
  /** 'none' | 'write' | 'all' */
  type: 'none' | 'write' | 'all' = 'none';
  endAt = 0;
  /** a CLIENT PAUSE is set or a shutdown's pause is on (the dispatcher's cheap test before shouldPostpone) */
  engaged = false;
  private postponed: Client[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** PAUSE_DURING_SHUTDOWN: writes wait while a shutdown waits for lagging replicas (src/server/shutdown.ts) */
  private duringShutdown = false;

  constructor(readonly server: Server) {}

  pause(type: 'write' | 'all', untilMs: number): void {
    // A new pause never shortens or weakens an existing one (pauseClients).
    if (this.type === 'all' && type === 'write' && this.endAt > Date.now()) {
      this.endAt = Math.max(this.endAt, untilMs);
    } else {
      this.type = type;
      this.endAt = this.type === type ? Math.max(untilMs, this.endAt) : untilMs;
    }
    this.engaged = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.unpause(), Math.max(0, this.endAt - Date.now()));
    this.timer.unref?.();
  }

  unpause(): void {
    this.type = 'none';
    this.endAt = 0;
    this.engaged = this.duringShutdown;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const list = this.postponed;
    this.postponed = [];
    for (const c of list) {
      c.blocked = null;
      this.server.resumeClient(c);
    }
  }

  /** areClientsPaused: a CLIENT PAUSE or a shutdown's pause is in effect. */
  active(): boolean {
    return this.duringShutdown || (this.type !== 'none' && this.endAt > Date.now());
  }

  /** The shutdown's write pause, on until the shutdown completes or is called off (it has no time limit). */
  pauseForShutdown(on: boolean): void {
    if (this.duringShutdown === on) return;
    this.duringShutdown = on;
    this.engaged = on || this.type !== 'none';
    if (on || this.postponed.length === 0) return;
    // the postponed run again; those a CLIENT PAUSE still holds are postponed again
    const list = this.postponed;
    this.postponed = [];
    for (const c of list) {
      c.blocked = null;
      this.server.resumeClient(c);
    }
  }

  shouldPostpone(c: Client, spec: CommandSpec, argv: Buffer[]): boolean {
    if (this.type !== 'none' && this.endAt <= Date.now()) this.unpause();
    if (this.type === 'none' && !this.duringShutdown) return false;
    // Under PAUSE ALL every command waits, CLIENT UNPAUSE included (processCommand in 7.0.15 has no exception).
    if (this.type === 'all') return true;
    let flags = this.server.commandFlags(spec, argv);
    // EXEC counts as a write when it has queued writes (is_may_replicate_command).
    if (spec.fullname === 'exec') flags |= c.mstateFlags;
    return (flags & (F.write | F.may_replicate)) !== 0;
  }

  /** the clients whose command waits for the pause to end (BLOCKED_POSTPONE) */
  get postponedCount(): number {
    return this.postponed.length;
  }

  postpone(c: Client): void {
    c.blocked = { postponed: true };
    this.postponed.push(c);
  }

  remove(c: Client): void {
    this.postponed = this.postponed.filter(x => x !== c);
  }
}
