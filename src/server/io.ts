// Socket I/O for client connections (Redis: networking.c readQueryFromClient / writeToClient).
//
// The fast path talks to the socket's libuv stream handle directly, the way Node's own net.Socket does underneath:
// the handle's `onread` callback receives each chunk, and replies go out through `handle.writeBuffer`, which writes to
// the kernel at once when nothing is queued. This skips the Readable/Writable stream machinery (buffering, 'data'
// events, write callbacks and their nextTick per write) that cost more per request than redlua's whole command path.
// It relies on Node's stream_wrap binding (`process.binding('stream_wrap')`, stable since Node 12). When that is not
// available, or REDLUA_IO=stream is set, the plain stream API is used instead, with the same behaviour.
import type net from 'node:net';
import { bufView } from '../util/bufview.js';

/** What the server needs from a connection. */
export interface Connection {
  /** Writes bytes (queued by the OS or libuv if the peer is slow). */
  write(buf: Buffer): void;
  /** Writes several buffers in one go (one writev), without concatenating them; optional. */
  writev?(bufs: Buffer[]): void;
  /** Bytes accepted by write() but not yet handed to the kernel (the reply list of a slow reader). */
  pending(): number;
  /** pending(), or once closed what was pending at the close (the memory the close released); optional. */
  held?(): number;
  /** Closes once everything written so far has been sent (CLOSE_AFTER_REPLY). */
  closeAfterWrites(): void;
  /** Closes now, dropping unsent output. */
  destroy(): void;
}

export interface ConnectionEvents {
  /** Bytes read. `transient`: the memory is reused for the next read once this returns (see direct). */
  data(chunk: Buffer, transient?: boolean): void;
  /** True when the next read may be handed over as a transient view of the read buffer (no copy into a slab). */
  direct?(): boolean;
  /** The peer closed or the connection failed. Called once. */
  closed(): void;
}

interface WriteReq {
  handle: unknown;
  oncomplete: (this: WriteReq, status: number) => void;
  async: boolean;
  /** what libuv holds while the write is asynchronous (a Buffer, or the list a writev took) */
  buffer: Buffer | Buffer[] | null;
  /** its bytes */
  bytes: number;
  conn: HandleConnection | null;
}

interface StreamHandle {
  onread: (this: StreamHandle, ab: ArrayBuffer | undefined) => void;
  useUserBuffer?(buf: Uint8Array): void;
  writeBuffer(req: WriteReq, buf: Buffer): number;
  writev(req: WriteReq, chunks: Buffer[], allBuffers: true): number;
  readonly writeQueueSize: number;
}

interface StreamWrapBinding {
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
  WriteWrap: new () => WriteReq;
}

function loadBinding(): StreamWrapBinding | null {
  if (process.env.REDLUA_IO === 'stream') return null;
  try {
    const b = (process as unknown as { binding(name: string): StreamWrapBinding }).binding('stream_wrap');
    if (
      b.streamBaseState instanceof Int32Array &&
      typeof b.kReadBytesOrError === 'number' &&
      typeof b.kArrayBufferOffset === 'number' &&
      typeof b.kLastWriteWasAsync === 'number' &&
      typeof b.WriteWrap === 'function'
    ) {
      return b;
    }
  } catch {
    // not available in this Node: streams
  }
  return null;
}

const binding = loadBinding();

/** 'handle' when the fast path is in use, 'stream' otherwise (INFO and tests report it). */
export const ioMode: 'handle' | 'stream' = binding ? 'handle' : 'stream';


/** Takes over a socket's I/O. `sock` must be freshly accepted (or adopted) with no 'data' listener. */
export function attachConnection(sock: net.Socket, ev: ConnectionEvents, streamOnly = false): Connection {
  const handle = (sock as unknown as { _handle?: StreamHandle | null })._handle;
  // a TLS socket's handle carries cleartext only through the stream API
  if (!streamOnly && binding !== null && handle && typeof handle.writeBuffer === 'function' && 'onread' in handle) {
    return new HandleConnection(sock, handle, binding, ev);
  }
  return new StreamConnection(sock, ev);
}

function onWriteComplete(this: WriteReq, status: number): void {
  const conn = this.conn;
  const n = this.bytes;
  this.buffer = null;
  this.bytes = 0;
  this.conn = null;
  if (conn !== null) conn.writeDone(status, n);
}

// Reads land in one buffer shared by every connection (the handle's user buffer, as net.Socket's `onread` option
// uses it: libuv reads into it, without Node allocating, shrinking and wrapping a fresh ArrayBuffer per read, ~10%
// of an unpipelined request's user CPU), and each chunk is copied at once into a slab, so the views the parser hands
// out stay valid after the next read. A slab is replaced when a chunk no longer fits; an old one lives as long as a
// view into it does (stored values are copies, see store/strings.ts toStrValue; an argument of 32 KB or more is received
// into a buffer of its own and stored as it is). While such an argument is being received, reads skip the slab: the
// parser copies each one into the argument at once (ConnectionEvents.direct), so a 512 MB value leaves no 512 MB of
// dead slabs behind for the GC.
const READ_BUF = new Uint8Array(64 * 1024);
const SLAB_SIZE = READ_BUF.length; // so a whole read always fits a fresh slab
let slab = new Uint8Array(SLAB_SIZE);
let slabUsed = 0;

function takeChunk(n: number): Buffer {
  if (SLAB_SIZE - slabUsed < n) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const at = slabUsed;
  slab.set(n === READ_BUF.length ? READ_BUF : READ_BUF.subarray(0, n), at);
  slabUsed = (at + n + 7) & ~7;
  return bufView(slab.buffer, at, n);
}

class HandleConnection implements Connection {
  private done = false;
  private pendingAtClose = 0;
  /** bytes of the asynchronous writes libuv still holds (its write queue, as the requests will report it) */
  private queued = 0;
  private closing = false;
  /** A request object for the next write: reused until a write goes asynchronous and libuv keeps it. */
  private req: WriteReq | null = null;

  constructor(
    private readonly sock: net.Socket,
    private readonly handle: StreamHandle,
    private readonly b: StreamWrapBinding,
    private readonly ev: ConnectionEvents,
  ) {
    const state = b.streamBaseState;
    const kRead = b.kReadBytesOrError;
    const kOff = b.kArrayBufferOffset;
    const user = typeof handle.useUserBuffer === 'function';
    if (user) handle.useUserBuffer!(READ_BUF);
    handle.onread = (ab: ArrayBuffer | undefined) => {
      const n = state[kRead];
      if (n > 0) {
        if (this.done) return;
        if (!user) ev.data(bufView(ab!, state[kOff], n));
        else if (ev.direct !== undefined && ev.direct()) ev.data(bufView(READ_BUF.buffer, 0, n), true);
        else ev.data(takeChunk(n));
      } else if (n < 0) {
        // UV_EOF or a read error: the client is gone
        this.finish();
      }
    };
    sock.on('close', () => this.finish());
  }

  write(buf: Buffer): void {
    if (this.done || buf.length === 0) return;
    const req = this.request();
    this.sent(req, this.handle.writeBuffer(req, buf), buf, buf.length);
  }

  writev(bufs: Buffer[]): void {
    if (this.done) return;
    let n = 0;
    for (const b of bufs) n += b.length;
    if (n === 0) return;
    const req = this.request();
    this.sent(req, this.handle.writev(req, bufs, true), bufs, n);
  }

  /** A request object for the next write (the one kept from a write that completed at once, or a new one). */
  private request(): WriteReq {
    const req = this.req;
    if (req !== null) return req;
    const r = new this.b.WriteWrap();
    r.handle = this.handle;
    r.oncomplete = onWriteComplete;
    r.async = false;
    r.buffer = null;
    r.bytes = 0;
    r.conn = null;
    return r;
  }

  private sent(req: WriteReq, err: number, held: Buffer | Buffer[], n: number): void {
    if (err !== 0) {
      this.finish();
      return;
    }
    if (this.b.streamBaseState[this.b.kLastWriteWasAsync]) {
      // libuv holds the request (and must hold the bytes) until the kernel takes them
      req.async = true;
      req.buffer = held;
      req.bytes = n;
      req.conn = this;
      this.req = null;
      this.queued += n;
    } else this.req = req;
  }

  /** An asynchronous write finished. */
  writeDone(status: number, n: number): void {
    this.queued -= n;
    if (status < 0) this.finish();
    else if (this.closing && this.handle.writeQueueSize === 0) this.destroy();
  }

  pending(): number {
    return this.done ? 0 : this.handle.writeQueueSize;
  }

  held(): number {
    return this.done ? this.pendingAtClose : this.handle.writeQueueSize;
  }

  closeAfterWrites(): void {
    if (this.done) return;
    if (this.handle.writeQueueSize === 0) this.destroy();
    else this.closing = true;
  }

  destroy(): void {
    if (!this.sock.destroyed) this.sock.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    // what the socket still held, for freeClient's account of the memory the close releases
    this.pendingAtClose = Math.max(this.queued, this.handle.writeQueueSize);
    this.done = true;
    if (!this.sock.destroyed) this.sock.destroy();
    this.ev.closed();
  }
}

class StreamConnection implements Connection {
  private done = false;
  private pendingAtClose = 0;

  constructor(
    private readonly sock: net.Socket,
    private readonly ev: ConnectionEvents,
  ) {
    sock.on('data', chunk => {
      if (!this.done) ev.data(chunk);
    });
    sock.on('error', () => this.finish());
    sock.on('close', () => this.finish());
  }

  write(buf: Buffer): void {
    if (!this.done && buf.length) this.sock.write(buf);
  }

  writev(bufs: Buffer[]): void {
    if (this.done) return;
    this.sock.cork();
    for (const b of bufs) if (b.length) this.sock.write(b);
    this.sock.uncork();
  }

  pending(): number {
    return this.done ? 0 : this.sock.writableLength;
  }

  held(): number {
    return this.done ? this.pendingAtClose : this.sock.writableLength;
  }

  closeAfterWrites(): void {
    if (this.done) return;
    this.sock.end(() => this.destroy());
  }

  destroy(): void {
    if (!this.sock.destroyed) this.sock.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.pendingAtClose = this.sock.writableLength;
    this.done = true;
    this.ev.closed();
  }
}
