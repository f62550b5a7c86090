// Server statistics: totals, errorstats and per-command stats for INFO (Redis: server.h stat_* fields, server.c genRedisInfoString).
import { errorCode } from '../errors.js';

export class Stats {
  startTime = Date.now();
  totalConnections = 0;
  rejectedConnections = 0;
  totalCommands = 0;
  netInput = 0;
  netOutput = 0;
  expiredKeys = 0;
  evictedKeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  totalErrorReplies = 0;
  unexpectedErrorReplies = 0;
  errors = new Map<string, number>();
  expiredStalePerc = 0;
  expireCycleCpuMs = 0;
  /** RESTORE payloads deeply sanitized (INFO dump_payload_sanitizations) */
  dumpPayloadSanitizations = 0;
  /** Incremented by every error reply written to a client (including the script client), as afterErrorReply does. */
  errorHook = (text: string): void => {
    this.totalErrorReplies++;
    const code = errorCode(text);
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  };

  reset(): void {
    this.totalConnections = this.rejectedConnections = this.totalCommands = 0;
    this.netInput = this.netOutput = this.expiredKeys = this.evictedKeys = 0;
    this.keyspaceHits = this.keyspaceMisses = this.totalErrorReplies = 0;
    this.errors.clear();
    this.dumpPayloadSanitizations = 0;
  }
}
