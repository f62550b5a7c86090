// Serving other clients while a script runs past busy-reply-threshold, from inside the Lua count hook (Redis: script.c scriptInterrupt → processEventsWhileBlocked).
//
// The main thread is inside WASM, so the event loop cannot run. Instead, on every hook call past the deadline:
// - bytes are read with fs.readSync from each client socket's (non-blocking) fd and fed to that client's parser,
//   and its complete commands go through the normal dispatcher, whose busy check answers -BUSY for anything that is
//   not ALLOW_BUSY (SCRIPT KILL, FUNCTION KILL, FUNCTION STATS, SHUTDOWN, AUTH, HELLO, QUIT, RESET, MULTI, ...);
// - replies go out through socket.write(), which libuv writes to the kernel at once when nothing is queued;
// - new connections are accepted by a helper worker thread listening on the same listening fd. It only runs while a
//   script is busy (it sleeps in Atomics.wait otherwise), accepts with pauseOnConnect and hands the fd numbers over in
//   shared memory; the main thread adopts them as ordinary net.Sockets.
// The caller of the script is not read (Redis "protects" it): its pipelined commands run after the script.
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { Worker } from 'node:worker_threads';
import type { Server } from '../server/server.js';
import type { Client } from '../server/client.js';

/** Minimum interval between two polls (the hook fires every 100 000 Lua instructions, well under a millisecond). */
const POLL_INTERVAL_MS = 1;
const READ_CHUNK = 64 * 1024;

// Shared control block with the accept worker: [0] busy flag, [1] fds written, [2] fds read, [3] worker ready, ring from 8.
const C_BUSY = 0;
const C_WRITE = 1;
const C_READ = 2;
const C_READY = 3;
const C_SLEEPING = 4;
const RING = 8;
const RING_SIZE = 1024;

const WORKER_SRC = `
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const ctl = new Int32Array(workerData.sab);
const keep = [];
const srv = net.createServer({ pauseOnConnect: true }, sock => {
  const fd = sock._handle && sock._handle.fd;
  if (typeof fd !== 'number' || fd < 0) { sock.destroy(); return; }
  // never closed here: the main thread owns the fd from now on
  keep.push(sock);
  const w = Atomics.load(ctl, ${C_WRITE});
  Atomics.store(ctl, ${RING} + (w % ${RING_SIZE}), fd);
  Atomics.store(ctl, ${C_WRITE}, w + 1);
});
srv.on('error', () => {});
srv.listen({ fd: workerData.fd }, () => Atomics.store(ctl, ${C_READY}, 1));
// Outside busy periods, sleep so that only the main thread accepts connections.
setInterval(() => {
  while (Atomics.load(ctl, ${C_BUSY}) === 0) {
    Atomics.store(ctl, ${C_SLEEPING}, 1);
    Atomics.wait(ctl, ${C_BUSY}, 0);
  }
  Atomics.store(ctl, ${C_SLEEPING}, 0);
}, 1);
`;

export class BusyService {
  private lastPoll = 0;
  private readonly buf = Buffer.allocUnsafe(READ_CHUNK);
  private ctl: Int32Array | null = null;
  private worker: Worker | null = null;
  private drainTimer: NodeJS.Timeout | null = null;

  constructor(readonly server: Server) {}

  /** True once SHUTDOWN (or close()) started: the script must be stopped. */
  serverClosing(): boolean {
    return (this.server as unknown as { closing: boolean }).closing === true;
  }

  /** One round of I/O for every client but the script's caller. */
  poll(caller: Client): void {
    const srv = this.server;
    const now = performance.now();
    // one non-blocking read per client per poll: with many clients, poll less often
    if (now - this.lastPoll < POLL_INTERVAL_MS * Math.max(1, Math.ceil(srv.clients.size / 500))) return;
    this.lastPoll = now;
    this.pollClients(caller);
  }

  private pollClients(caller: Client): void {
    this.startAcceptor();
    this.adoptConnections();
    const srv = this.server;
    for (const c of [...srv.clients.values()]) {
      if (c === caller || c.closed || !c.socket) continue;
      // a TLS client's fd carries ciphertext: it is served when the script ends (OpenSSL cannot run from here)
      if (c.socket instanceof tls.TLSSocket) continue;
      const fd = socketFd(c.socket);
      if (fd < 0) continue;
      for (let rounds = 0; rounds < 16 && !c.closed; rounds++) {
        let n: number;
        // EAGAIN is the common answer; without a stack trace the thrown error is cheap
        const stackLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
          n = fs.readSync(fd, this.buf, 0, READ_CHUNK, null);
        } catch (e) {
          Error.stackTraceLimit = stackLimit;
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') srv.freeClient(c);
          break;
        }
        Error.stackTraceLimit = stackLimit;
        if (n === 0) {
          srv.freeClient(c);
          break;
        }
        // onData: accounting, parser, processInput and flush, exactly as for socket data
        (srv as unknown as { onData(c: Client, chunk: Buffer): void }).onData(c, Buffer.from(this.buf.subarray(0, n)));
        if (n < READ_CHUNK) break;
      }
      if (this.serverClosing()) return;
    }
    srv.flush();
  }

  /** Called when a timed-out script ended: stop accepting in the worker and adopt what it accepted meanwhile. */
  afterScript(caller: Client): void {
    void caller;
    if (this.ctl) {
      Atomics.store(this.ctl, C_BUSY, 0);
      this.adoptConnections();
      // the worker may still accept until it goes back to sleep: keep adopting until it does
      if (!this.drainTimer) {
        this.drainTimer = setInterval(() => {
          const ctl = this.ctl!;
          const asleep = Atomics.load(ctl, C_SLEEPING) === 1 || Atomics.load(ctl, C_BUSY) === 1;
          this.adoptConnections();
          if (asleep && this.drainTimer) {
            clearInterval(this.drainTimer);
            this.drainTimer = null;
          }
        }, 2);
        this.drainTimer.unref();
      }
    }
  }

  private startAcceptor(): void {
    if (this.ctl) {
      if (Atomics.load(this.ctl, C_BUSY) === 0) {
        Atomics.store(this.ctl, C_BUSY, 1);
        Atomics.notify(this.ctl, C_BUSY);
      }
      return;
    }
    const ns = (this.server as unknown as { netServer: net.Server | null }).netServer;
    const fd = ns ? socketFd(ns) : -1;
    if (fd < 0) return;
    const sab = new SharedArrayBuffer(4 * (RING + RING_SIZE));
    this.ctl = new Int32Array(sab);
    Atomics.store(this.ctl, C_BUSY, 1);
    try {
      this.worker = new Worker(WORKER_SRC, { eval: true, workerData: { sab, fd } });
      this.worker.unref();
      this.worker.on('error', e => this.server.log.warning(`busy-script acceptor failed: ${e.message}`));
    } catch (e) {
      this.server.log.warning(`busy-script acceptor unavailable: ${(e as Error).message}`);
    }
  }

  /** Turns the fds accepted by the worker into clients. */
  private adoptConnections(): void {
    const ctl = this.ctl;
    if (!ctl) return;
    for (;;) {
      const r = Atomics.load(ctl, C_READ);
      if (r === Atomics.load(ctl, C_WRITE)) return;
      const fd = Atomics.load(ctl, RING + (r % RING_SIZE));
      Atomics.store(ctl, C_READ, r + 1);
      try {
        const sock = new net.Socket({ fd, readable: true, writable: true });
        this.server.acceptConnection(sock, 'tcp');
      } catch (e) {
        this.server.log.warning(`cannot adopt connection accepted during a busy script: ${(e as Error).message}`);
      }
    }
  }
}

/** The OS fd behind a socket or server handle, or -1. */
export function socketFd(h: net.Socket | net.Server): number {
  const handle = (h as unknown as { _handle?: { fd?: number } })._handle;
  return handle && typeof handle.fd === 'number' ? handle.fd : -1;
}
