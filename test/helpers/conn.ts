// Test helper: a raw RESP connection that sends commands and reads complete replies as bytes and parsed values.
import net from 'node:net';
import { encodeCommand, parseReply, type RespValue } from '../../src/protocol/resp-value.js';

export class RawConn {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly sock: net.Socket) {
    sock.on('data', d => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    sock.on('close', () => {
      this.closed = true;
      this.wake();
    });
    sock.on('error', () => {});
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawConn> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host, () => resolve(new RawConn(s)));
      s.once('error', reject);
    });
  }

  write(data: Buffer | string): void {
    this.sock.write(data);
  }

  send(args: (string | Buffer | number)[]): void {
    this.sock.write(encodeCommand(args));
  }

  /** Reads exactly one reply; returns its raw bytes and parsed value. Rejects after `timeoutMs`. */
  async readRaw(timeoutMs = 5000): Promise<{ raw: Buffer; value: RespValue }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = parseReply(this.buf, 0);
      if (r) {
        const raw = this.buf.subarray(0, r[1]);
        this.buf = this.buf.subarray(r[1]);
        return { raw: Buffer.from(raw), value: r[0] };
      }
      if (this.closed) throw new Error('connection closed; pending bytes: ' + JSON.stringify(this.buf.toString('latin1')));
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout waiting for reply; pending bytes: ' + JSON.stringify(this.buf.toString('latin1')));
      await new Promise<void>(res => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  /** The next reply's raw bytes if one arrives within `ms`, else null (the connection stays usable). */
  async readWithin(ms: number): Promise<Buffer | null> {
    if (!parseReply(this.buf, 0) && this.closed) return null;
    try {
      return (await this.readRaw(ms)).raw;
    } catch (e) {
      if (this.closed || /^timeout/.test((e as Error).message)) return null;
      throw e;
    }
  }

  /** Sends a command and returns the raw reply bytes. */
  async call(args: (string | Buffer | number)[]): Promise<Buffer> {
    this.send(args);
    return (await this.readRaw()).raw;
  }

  async callValue(args: (string | Buffer | number)[]): Promise<RespValue> {
    this.send(args);
    return (await this.readRaw()).value;
  }

  /** Waits until the server closes the connection; returns whatever bytes were left unread. */
  async waitClose(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('server did not close the connection');
      await new Promise<void>(res => {
        const t = setTimeout(res, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
    return this.buf;
  }

  close(): void {
    this.sock.destroy();
  }
}
