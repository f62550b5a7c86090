// Pub/Sub channels and patterns, and keyspace notifications delivery (Redis: pubsub.c, notify.c).
// Messages are rendered once per PUBLISH and appended to every receiver's output (c.reply), which is then queued
// for flushing (batched per event-loop turn); the flush applies client-output-buffer-limit (pubsub class).
//
// API: publish(channel, message) / publishShard(...) → receivers; active() (anyone listening at all: server.notify
// skips building channel names otherwise); unsubscribeAll(c) (disconnect, RESET); numChannels(), numPatterns(),
// numShardChannels() (INFO); the per-client state is c.pubsub { channels, patterns, shardChannels } (CLIENT LIST).
import { CF, type Client } from './client.js';
import type { Server } from './server.js';
import { stringMatch } from '../util/parse.js';

type PubSubState = { channels: Set<string>; patterns: Set<string>; shardChannels: Set<string> };

const HDR2_3 = Buffer.from('*3\r\n');
const HDR3_3 = Buffer.from('>3\r\n');
const HDR2_4 = Buffer.from('*4\r\n');
const HDR3_4 = Buffer.from('>4\r\n');
const NULL2 = Buffer.from('$-1\r\n');
const NULL3 = Buffer.from('_\r\n');

function bulkHeader(len: number): string {
  return `$${len}\r\n`;
}

/** `$len\r\n<bytes>\r\n` for a latin1 string. */
function bulkOfStr(s: string): Buffer {
  const h = bulkHeader(s.length);
  const b = Buffer.allocUnsafe(h.length + s.length + 2);
  b.latin1Write(h, 0);
  b.latin1Write(s, h.length);
  b[h.length + s.length] = 13;
  b[h.length + s.length + 1] = 10;
  return b;
}

const KIND = {
  subscribe: bulkOfStr('subscribe'),
  unsubscribe: bulkOfStr('unsubscribe'),
  psubscribe: bulkOfStr('psubscribe'),
  punsubscribe: bulkOfStr('punsubscribe'),
  ssubscribe: bulkOfStr('ssubscribe'),
  sunsubscribe: bulkOfStr('sunsubscribe'),
  message: bulkOfStr('message'),
  pmessage: bulkOfStr('pmessage'),
  smessage: bulkOfStr('smessage'),
};

export class PubSub {
  /** channel → subscribers, in subscription order */
  readonly channels = new Map<string, Set<Client>>();
  /** pattern → subscribers */
  readonly patterns = new Map<string, Set<Client>>();
  /** pattern → pattern bytes (for matching without re-encoding) */
  private patternBytes = new Map<string, Buffer>();
  readonly shardChannels = new Map<string, Set<Client>>();
  /** Receivers with messages not yet queued for writing (see deliver). */
  private deferred = new Set<Client>();
  private scheduled = false;

  constructor(readonly server: Server) {}

  /**
   * Queues a receiver's output for writing. Writes to subscribers are batched until the end of the current I/O phase
   * (setImmediate), so that the messages of several publishers read in the same event-loop turn reach each subscriber
   * in one write, as Redis's beforeSleep does; the receiver's own commands still flush everything in order.
   */
  private deliver(c: Client): void {
    if (this.server.obufLimitReached(c)) return;
    this.deferred.add(c);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushDeferred);
    }
  }

  private readonly flushDeferred = (): void => {
    this.scheduled = false;
    for (const c of this.deferred) c.wake();
    this.deferred.clear();
    this.server.flush();
  };

  /** True if anyone listens at all (lets notifications skip building channel names). */
  active(): boolean {
    return this.channels.size !== 0 || this.patterns.size !== 0;
  }

  private state(c: Client): PubSubState {
    return (c.pubsub ??= { channels: new Set(), patterns: new Set(), shardChannels: new Set() });
  }

  /** clientSubscriptionsCount: channels + patterns. */
  static count(c: Client): number {
    return c.pubsub ? c.pubsub.channels.size + c.pubsub.patterns.size : 0;
  }

  static shardCount(c: Client): number {
    return c.pubsub ? c.pubsub.shardChannels.size : 0;
  }

  static totalCount(c: Client): number {
    return c.pubsub ? c.pubsub.channels.size + c.pubsub.patterns.size + c.pubsub.shardChannels.size : 0;
  }

  /** addReplyPubsub(Un)Subscribed: a push, so it passes CLIENT REPLY OFF/SKIP (CLIENT_PUSHING). */
  private confirm(c: Client, kind: Buffer, name: Buffer | string | null, count: number): void {
    const r = c.reply.pushSink();
    r.raw(c.resp === 3 ? HDR3_3 : HDR2_3);
    r.raw(kind);
    if (name === null) r.raw(c.resp === 3 ? NULL3 : NULL2);
    else if (typeof name === 'string') r.bulkStr(name);
    else r.bulk(name);
    r.int(count);
  }

  // ---------- channels (global and shard) ----------

  subscribe(c: Client, ch: Buffer, shard = false): void {
    const st = this.state(c);
    const key = ch.latin1Slice(0, ch.length);
    const mine = shard ? st.shardChannels : st.channels;
    if (!mine.has(key)) {
      mine.add(key);
      const table = shard ? this.shardChannels : this.channels;
      let set = table.get(key);
      if (!set) table.set(key, (set = new Set()));
      set.add(c);
    }
    this.confirm(c, shard ? KIND.ssubscribe : KIND.subscribe, key, shard ? PubSub.shardCount(c) : PubSub.count(c));
  }

  /** pubsubUnsubscribeChannel; returns true if the client was subscribed. */
  unsubscribe(c: Client, key: string, notify: boolean, shard = false): boolean {
    let removed = false;
    const st = c.pubsub;
    const mine = st ? (shard ? st.shardChannels : st.channels) : null;
    if (mine && mine.delete(key)) {
      removed = true;
      const table = shard ? this.shardChannels : this.channels;
      const set = table.get(key);
      if (set) {
        set.delete(c);
        if (set.size === 0) table.delete(key);
      }
    }
    if (notify) this.confirm(c, shard ? KIND.sunsubscribe : KIND.unsubscribe, key, shard ? PubSub.shardCount(c) : PubSub.count(c));
    return removed;
  }

  unsubscribeAllChannels(c: Client, notify: boolean, shard = false): number {
    let count = 0;
    const st = c.pubsub;
    const mine = st ? (shard ? st.shardChannels : st.channels) : null;
    if (mine && mine.size) {
      for (const key of [...mine]) if (this.unsubscribe(c, key, notify, shard)) count++;
    }
    if (notify && count === 0) this.confirm(c, shard ? KIND.sunsubscribe : KIND.unsubscribe, null, shard ? PubSub.shardCount(c) : PubSub.count(c));
    return count;
  }

  // ---------- patterns ----------

  psubscribe(c: Client, pat: Buffer): void {
    const st = this.state(c);
    const key = pat.latin1Slice(0, pat.length);
    if (!st.patterns.has(key)) {
      st.patterns.add(key);
      let set = this.patterns.get(key);
      if (!set) {
        this.patterns.set(key, (set = new Set()));
        this.patternBytes.set(key, Buffer.from(pat));
      }
      set.add(c);
    }
    this.confirm(c, KIND.psubscribe, key, PubSub.count(c));
  }

  punsubscribe(c: Client, key: string, notify: boolean): boolean {
    let removed = false;
    if (c.pubsub && c.pubsub.patterns.delete(key)) {
      removed = true;
      const set = this.patterns.get(key);
      if (set) {
        set.delete(c);
        if (set.size === 0) {
          this.patterns.delete(key);
          this.patternBytes.delete(key);
        }
      }
    }
    if (notify) this.confirm(c, KIND.punsubscribe, key, PubSub.count(c));
    return removed;
  }

  unsubscribeAllPatterns(c: Client, notify: boolean): number {
    let count = 0;
    if (c.pubsub && c.pubsub.patterns.size) {
      for (const key of [...c.pubsub.patterns]) if (this.punsubscribe(c, key, notify)) count++;
    }
    if (notify && count === 0) this.confirm(c, KIND.punsubscribe, null, PubSub.count(c));
    return count;
  }

  /** Leaves subscribed mode when nothing is left (the commands call it after (un)subscribing). */
  updateFlag(c: Client): void {
    if (PubSub.totalCount(c) === 0) c.flags &= ~CF.PUBSUB;
  }

  // ---------- publishing ----------

  /** PUBLISH: returns the number of receivers. */
  publish(channel: Buffer, message: Buffer): number {
    let receivers = 0;
    const key = channel.latin1Slice(0, channel.length);
    const subs = this.channels.get(key);
    if (subs !== undefined && subs.size) {
      const body = messageBody(KIND.message, null, channel, message);
      for (const c of subs) {
        const r = c.reply.pushSink();
        r.raw(c.resp === 3 ? HDR3_3 : HDR2_3);
        r.raw(body);
        this.deliver(c);
        receivers++;
      }
    }
    if (this.patterns.size) {
      for (const [pkey, set] of this.patterns) {
        const pat = this.patternBytes.get(pkey)!;
        if (!stringMatch(pat, channel)) continue;
        const body = messageBody(KIND.pmessage, pat, channel, message);
        for (const c of set) {
          const r = c.reply.pushSink();
          r.raw(c.resp === 3 ? HDR3_4 : HDR2_4);
          r.raw(body);
          this.deliver(c);
          receivers++;
        }
      }
    }
    return receivers;
  }

  /** SPUBLISH: shard channels ignore patterns. */
  publishShard(channel: Buffer, message: Buffer): number {
    const subs = this.shardChannels.get(channel.latin1Slice(0, channel.length));
    if (subs === undefined || subs.size === 0) return 0;
    const body = messageBody(KIND.smessage, null, channel, message);
    for (const c of subs) {
      const r = c.reply.pushSink();
      r.raw(c.resp === 3 ? HDR3_3 : HDR2_3);
      r.raw(body);
      this.deliver(c);
    }
    return subs.size;
  }

  /** Removes every subscription of a client (disconnect / RESET), without replies. */
  unsubscribeAll(c: Client): void {
    if (c.pubsub) {
      this.unsubscribeAllChannels(c, false);
      this.unsubscribeAllChannels(c, false, true);
      this.unsubscribeAllPatterns(c, false);
    }
    c.flags &= ~CF.PUBSUB;
  }

  numPatterns(): number {
    return this.patterns.size;
  }

  numChannels(): number {
    return this.channels.size;
  }

  numShardChannels(): number {
    return this.shardChannels.size;
  }
}

/** Renders `<kind> [pattern] channel message` (everything after the array header) once for all receivers. */
function messageBody(kind: Buffer, pattern: Buffer | null, channel: Buffer, message: Buffer): Buffer {
  const hc = bulkHeader(channel.length);
  const hm = bulkHeader(message.length);
  const hp = pattern ? bulkHeader(pattern.length) : '';
  const size = kind.length + (pattern ? hp.length + pattern.length + 2 : 0) + hc.length + channel.length + 2 + hm.length + message.length + 2;
  const b = Buffer.allocUnsafe(size);
  let p = kind.copy(b, 0);
  if (pattern) {
    p += b.latin1Write(hp, p);
    p += pattern.copy(b, p);
    b[p++] = 13;
    b[p++] = 10;
  }
  p += b.latin1Write(hc, p);
  p += channel.copy(b, p);
  b[p++] = 13;
  b[p++] = 10;
  p += b.latin1Write(hm, p);
  p += message.copy(b, p);
  b[p++] = 13;
  b[p++] = 10;
  return b;
}
