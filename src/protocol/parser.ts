// Resumable, byte-based request parser for multibulk and inline commands (Redis: networking.c processMultibulkBuffer/processInlineBuffer).
import { E } from '../errors.js';
import { splitArgs, string2ll } from '../util/parse.js';

export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** true while the connection must still authenticate (stricter lengths, as Redis) */
  authRequired: () => boolean;
}

const EMPTY = Buffer.alloc(0);

/**
 * Argument views are created as instances of a Uint8Array subclass whose prototype is Buffer.prototype: they are real
 * Buffers (instanceof Buffer, every Buffer method) but built with the plain typed-array constructor, several times
 * cheaper than Buffer#subarray on this hot path.
 */
class ArgView extends Uint8Array {}
Object.setPrototypeOf(ArgView.prototype, Buffer.prototype);
const view = (buf: Buffer, start: number, end: number): Buffer =>
  new ArgView(buf.buffer as ArrayBuffer, buf.byteOffset + start, end - start) as unknown as Buffer;

/**
 * sdssplitargs for the common inline line without quotes, NUL, \v or \f: tokens separated by space, tab, CR or LF,
 * as views into the buffer. null when the line needs the full splitter.
 */
function simpleSplit(buf: Buffer, start: number, end: number): Buffer[] | null {
  const out: Buffer[] = [];
  let i = start;
  while (i < end) {
    let ch = buf[i];
    if (ch === 32 || ch === 9 || ch === 13 || ch === 10) {
      i++;
      continue;
    }
    const from = i;
    while (i < end) {
      ch = buf[i];
      if (ch === 32 || ch === 9 || ch === 13 || ch === 10) break;
      if (ch === 34 || ch === 39 || ch === 0 || ch === 11 || ch === 12) return null;
      i++;
    }
    out.push(view(buf, from, i));
  }
  return out;
}

/**
 * Feed bytes with `feed`, then call `next()` until it returns null. A protocol error sets `error` (the exact
 * Redis error text) and `next()` keeps returning null: the server replies with the error and closes the connection.
 */
export class RequestParser {
  error: string | null = null;
  private buf: Buffer = EMPTY;
  private pos = 0;
  private multibulk = 0; // remaining arguments of the current multibulk command
  private bulklen = -1;
  private argv: Buffer[] = [];
  // Pending chunks of a large bulk argument, so big values are not re-concatenated per TCP chunk.
  private bigParts: Buffer[] | null = null;
  private bigHave = 0;

  constructor(private limits: ParserLimits) {}

  /** Bytes received but not yet consumed (client-query-buffer-limit accounting). */
  get buffered(): number {
    return this.buf.length - this.pos + this.bigHave;
  }

  /** The first `n` unconsumed bytes (for log messages). */
  peek(n: number): Buffer {
    if (this.bigParts) return Buffer.concat(this.bigParts).subarray(0, n);
    return this.buf.subarray(this.pos, Math.min(this.buf.length, this.pos + n));
  }

  feed(chunk: Buffer): void {
    if (this.bigParts) {
      this.bigParts.push(chunk);
      this.bigHave += chunk.length;
      if (this.bigHave >= this.bulklen + 2) {
        this.buf = Buffer.concat(this.bigParts, this.bigHave);
        this.pos = 0;
        this.bigParts = null;
        this.bigHave = 0;
      }
      return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  /** Position of the first CR (or LF for inline) at/after `from`, treating a NUL before it as "not found" like strchr. */
  private findByte(byte: number, from: number): number {
    const i = this.buf.indexOf(byte, from);
    if (i < 0) return -1;
    for (let j = from; j < i; j++) if (this.buf[j] === 0) return -1;
    return i;
  }

  /** Returns the next complete command (possibly empty for a blank inline line), or null when more bytes are needed. */
  next(): Buffer[] | null {
    if (this.error !== null || this.bigParts) return null;
    for (;;) {
      if (this.pos >= this.buf.length) return null;
      if (this.multibulk === 0 && this.buf[this.pos] !== 42 /* * */) {
        const r = this.inline();
        if (r === null) return null;
        if (r.length === 0) continue; // empty line: nothing to run
        return r;
      }
      const r = this.multibulkCmd();
      if (r === null) return null;
      if (r.length === 0) continue; // *0 or *-1: ignored
      return r;
    }
  }

  private fail(msg: string): null {
    this.error = msg;
    return null;
  }

  private inline(): Buffer[] | null {
    const buf = this.buf;
    let nl = this.findByte(10, this.pos);
    if (nl < 0) {
      if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail(E.PROTO_TOO_BIG_INLINE);
      return null;
    }
    let lineEnd = nl;
    if (nl !== this.pos && buf[nl - 1] === 13) lineEnd = nl - 1;
    const args = simpleSplit(buf, this.pos, lineEnd) ?? splitArgs(buf.subarray(this.pos, lineEnd));
    if (args === null) return this.fail(E.PROTO_UNBALANCED_QUOTES);
    this.pos = nl + 1;
    return args;
  }

  private multibulkCmd(): Buffer[] | null {
    const buf = this.buf;
    if (this.multibulk === 0) {
      const cr = this.findByte(13, this.pos);
      if (cr < 0) {
        if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail(E.PROTO_TOO_BIG_MBULK);
        return null;
      }
      if (cr > buf.length - 2) return null; // need the \n too
      const ll = string2ll(buf, this.pos + 1, cr);
      if (ll === null || ll > INT_MAX) return this.fail(E.PROTO_INVALID_MBULK);
      if (ll > 10 && this.limits.authRequired()) return this.fail(E.PROTO_UNAUTH_MBULK);
      this.pos = cr + 2;
      if (ll <= 0) return [];
      this.multibulk = ll;
      this.argv = [];
    }
    while (this.multibulk) {
      if (this.bulklen === -1) {
        const cr = this.findByte(13, this.pos);
        if (cr < 0) {
          if (this.buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail(E.PROTO_TOO_BIG_BULK);
          return null;
        }
        if (cr > this.buf.length - 2) return null;
        if (this.buf[this.pos] !== 36 /* $ */) {
          // addReplyErrorFormat turns CR/LF into spaces.
          const ch = this.buf[this.pos];
          return this.fail(E.protoExpectedDollar(ch === 13 || ch === 10 ? ' ' : String.fromCharCode(ch)));
        }
        const ll = string2ll(this.buf, this.pos + 1, cr);
        if (ll === null || ll < 0 || ll > this.limits.maxBulkLen) return this.fail(E.PROTO_INVALID_BULK);
        if (ll > 16384 && this.limits.authRequired()) return this.fail(E.PROTO_UNAUTH_BULK);
        this.pos = cr + 2;
        this.bulklen = ll;
      }
      const avail = this.buf.length - this.pos;
      if (avail < this.bulklen + 2) {
        if (this.bulklen >= 32 * 1024) {
          // Collect the rest of a big argument chunk by chunk (no quadratic re-concatenation).
          this.bigParts = [this.buf.subarray(this.pos)];
          this.bigHave = avail;
          this.buf = EMPTY;
          this.pos = 0;
        }
        return null;
      }
      // Like Redis, the two bytes after the payload are skipped without being checked.
      this.argv.push(view(this.buf, this.pos, this.pos + this.bulklen));
      this.pos += this.bulklen + 2;
      this.bulklen = -1;
      this.multibulk--;
    }
    const argv = this.argv;
    this.argv = [];
    return argv;
  }
}
