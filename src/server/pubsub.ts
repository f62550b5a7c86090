// Pub/Sub channels and patterns, and keyspace notifications delivery (Redis: pubsub.c, notify.c).
import type { Client } from './client.js';
import type { Server } from './server.js';

export class PubSub {
  constructor(readonly server: Server) {}

  /** PUBLISH: returns the number of receivers. */
  publish(_channel: Buffer, _message: Buffer): number {
    return 0;
  }

  /** Removes every subscription of a client (disconnect / RESET). */
  unsubscribeAll(_c: Client): void {}

  numPatterns(): number {
    return 0;
  }

  numChannels(): number {
    return 0;
  }
}
