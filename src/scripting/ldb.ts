// The server side of a Lua debugger session: the debugging client's blocking socket I/O and YES mode's rollback (Redis: eval.c ldbStartSession/ldbEndSession, the forked session).
//
// The session itself (hook, REPL, commands, log lines) runs in C (native/shim/ldb.c). While the script is stopped
// the main thread is inside WASM, so this file talks to the client's socket with fs.readSync/fs.writeSync on its
// non-blocking fd, waiting with Atomics.wait between attempts: the server is blocked, as Redis's is in SYNC mode.
//
// YES mode: Redis forks and the child runs the session on a copy of the dataset, which is thrown away. Node cannot
// fork: redlua copies the dataset (copyObject on every key) before the session and puts the copy back after it, so
// the script's writes are discarded too. The differences from Redis: other clients wait while the session is paused
// (as in SYNC mode) instead of being served by the parent, and the copy costs time and memory proportional to the
// dataset.
import fs from 'node:fs';
import type { Socket } from 'node:net';
import type { LdbIO } from '../engine/index.js';
import type { Server } from '../server/server.js';
import type { RObj } from '../store/db.js';
import { copyObject } from '../store/copy.js';
import { socketFd } from './busy.js';

const WAIT = new Int32Array(new SharedArrayBuffer(4));
/** Redis: connSendTimeout(ldb.conn, 5000) */
const SEND_TIMEOUT_MS = 5000;

function isAgain(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** Blocking reads and writes on a socket's fd (connBlock'ed connection). */
export class LdbSocketIO implements LdbIO {
  private readonly fd: number;
  closed = false;

  constructor(sock: Socket | null) {
    this.fd = sock ? socketFd(sock) : -1;
    if (this.fd < 0) this.closed = true;
  }

  get usable(): boolean {
    return this.fd >= 0;
  }

  write(bytes: Buffer): void {
    let off = 0;
    const deadline = performance.now() + SEND_TIMEOUT_MS;
    while (off < bytes.length && !this.closed) {
      try {
        off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
      } catch (e) {
        if (!isAgain(e) || performance.now() > deadline) {
          this.closed = true;
          return;
        }
        Atomics.wait(WAIT, 0, 0, 1);
      }
    }
  }

  read(max: number): Buffer | null {
    if (this.closed) return null;
    const buf = Buffer.allocUnsafe(max);
    for (;;) {
      try {
        const n = fs.readSync(this.fd, buf, 0, max, null);
        if (n === 0) {
          this.closed = true;
          return null;
        }
        return buf.subarray(0, n);
      } catch (e) {
        if (!isAgain(e)) {
          this.closed = true;
          return null;
        }
        Atomics.wait(WAIT, 0, 0, 2);
      }
    }
  }
}

/** A copy of every database, to put back after a YES-mode session (what the forked child's exit amounts to). */
export interface DatasetCopy {
  dbs: { dict: Map<string, RObj>; expires: Map<string, number>; memTotal: number }[];
}

export function copyDataset(server: Server): DatasetCopy {
  return {
    dbs: server.dbs.map(db => {
      const dict = new Map<string, RObj>();
      for (const [k, o] of db.dict) {
        const c = copyObject(o);
        c.mem = o.mem;
        dict.set(k, c);
      }
      return { dict, expires: new Map(db.expires), memTotal: db.memTotal };
    }),
  };
}

export function restoreDataset(server: Server, copy: DatasetCopy): void {
  copy.dbs.forEach((saved, i) => {
    const db = server.dbs[i];
    db.dict = saved.dict;
    db.expires = saved.expires;
    db.memTotal = saved.memTotal;
    db.memDirty = new Set();
    db.expireCursor = null;
  });
}
