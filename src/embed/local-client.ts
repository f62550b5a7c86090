// A socketless in-process client: commands go to the server's dispatcher without TCP, replies come back parsed (Redis counterpart: none; the client side of a connection).
import type { Server } from '../server/server.js';
import type { Connection } from '../server/io.js';
import { encodeCommand, parseReply, toJS, type RespValue } from '../protocol/resp-value.js';

export type CommandArg = string | Buffer | number;

/** Where a LocalClient's request bytes go. */
export interface LocalTransport {
  feed(chunk: Buffer): void;
  close(): void;
}
/** Where its reply bytes come from. */
export interface LocalSink {
  data(chunk: Buffer): void;
  closed(): void;
}

/** Thrown by LocalClient.call for an error reply; `message` is the error text without the leading '-'. */
export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}

/**
 * One in-process connection to a Server: the same parser, dispatcher, ACL, MULTI and reply writer as a TCP client
 * (it is a Client whose Connection is this object), so replies are byte-for-byte those a socket client reads.
 * Replies arrive in order; out-of-band RESP3 pushes and pub/sub messages without a pending call go to onPush.
 */
export class LocalClient {
  private buf: Buffer = Buffer.alloc(0);
  private readonly waiting: { resolve(v: RespValue): void; reject(e: Error): void }[] = [];
  private readonly handle: LocalTransport;
  closed = false;
  /** Replies with no pending call (pub/sub messages, RESP3 pushes, CLIENT TRACKING invalidations). */
  onPush: ((v: RespValue) => void) | null = null;

  /** On a Server of this thread, or over a transport (a worker-thread server's MessagePort, src/embed/worker.ts). */
  constructor(server: Server | ((sink: LocalSink) => LocalTransport)) {
    const sink: LocalSink = { data: b => this.received(b), closed: () => this.ended() };
    if (typeof server === 'function') {
      this.handle = server(sink);
    } else {
      const conn: Connection = {
        write: b => sink.data(b),
        pending: () => 0,
        closeAfterWrites: () => sink.closed(),
        destroy: () => sink.closed(),
      };
      this.handle = server.connectLocal(conn);
    }
  }

  /** Sends one command; resolves with its reply as a RespValue (error replies resolve too, as { t: '-' }). */
  send(...args: CommandArg[]): Promise<RespValue> {
    if (this.closed) return Promise.reject(new Error('redlua: the local connection is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.handle.feed(encodeCommand(args));
    });
  }

  /** Sends one command; resolves with the reply as plain JS values (toJS), rejects with ReplyError on an error reply. */
  async call(...args: CommandArg[]): Promise<unknown> {
    const v = await this.send(...args);
    if (v.t === '-') throw new ReplyError(v.s);
    return toJS(v);
  }

  /** Closes the connection (as the peer closing its socket). */
  close(): void {
    if (this.closed) return;
    this.handle.close();
    this.ended();
  }

  private received(b: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, b]) : b;
    let pos = 0;
    for (;;) {
      const r = parseReply(this.buf, pos);
      if (!r) break;
      pos = r[1];
      const w = r[0].t === '>' ? undefined : this.waiting.shift();
      if (w) w.resolve(r[0]);
      else this.onPush?.(r[0]);
    }
    this.buf = pos === this.buf.length ? Buffer.alloc(0) : Buffer.from(this.buf.subarray(pos));
  }

  private ended(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error('redlua: connection closed by the server'));
  }
}
