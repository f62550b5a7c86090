// Blocking operations: clients waiting on keys, served FIFO after the writing command/transaction/script completes (Redis: blocked.c).
import type { Db } from '../store/db.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

export interface BlockRequest {
  db: Db;
  keys: string[];
  /** absolute ms, 0 = forever */
  timeoutAt: number;
  /** Tries to serve the client now; returns true if it replied (the client is then unblocked). */
  tryServe: (c: Client, key: string) => boolean;
  /** Reply for a timeout (null array by default). */
  onTimeout?: (c: Client) => void;
  /** Called on CLIENT UNBLOCK ... ERROR, or when the key is deleted/type changes where the command cares (streams). */
  onUnblockError?: (c: Client, err: string) => void;
}

export class BlockingManager {
  constructor(readonly server: Server) {}

  /** A key that blocked clients may wait on was written (signalKeyAsReady). */
  keyReady(_db: Db, _key: string): void {}

  /** Serves clients blocked on keys made ready by the last command (handleClientsBlockedOnKeys). */
  handleReady(): void {}

  /** Blocks `c` (no reply is written now). */
  block(_c: Client, _req: BlockRequest): void {
    throw new Error('blocking not implemented');
  }

  /** Unblocks a client (disconnect, CLIENT UNBLOCK, RESET): removes it from every wait list. */
  unblock(_c: Client): void {}

  /** Periodic timeout handling. */
  cron(_now: number): void {}

  isBlocked(c: Client): boolean {
    return c.blocked !== null;
  }
}
