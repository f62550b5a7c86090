// Scripting subsystem facade: EVAL script cache, FUNCTION libraries, busy-script state (Redis: eval.c, functions.c, script.c).
import type { Server } from '../server/server.js';
import type { CommandSpec } from '../commands/table.js';

export class Scripting {
  /** getCommandFlags for EVAL/FCALL (flags computed from the script's shebang/function flags); null = static flags. */
  commandFlags: ((spec: CommandSpec, argv: Buffer[]) => number) | null = null;

  constructor(readonly server: Server) {}

  /** True while a script runs past busy-reply-threshold and other clients must get -BUSY. */
  isTimedOut(): boolean {
    return false;
  }

  /** The BUSY error text for the running script kind. */
  busyError(): string {
    return '';
  }

  /** Script start time (ms) while a script runs, used to freeze expiry; 0 otherwise. */
  snapshotTime(): number {
    return 0;
  }

  /** INFO memory fields and MEMORY STATS entries. */
  info(): Record<string, string | number> {
    return {};
  }
}
