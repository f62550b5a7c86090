// Resumable, byte-based request parser for multibulk and inline commands (Redis: networking.c processMultibulkBuffer/processInlineBuffer).
import { E } from '../errors.js';
import { splitArgs, string2ll } from '../util/parse.js';
import { bufView, markSole } from '../util/bufview.js';

export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;

export interface ParserLimits {
  /** proto-max-bulk-len, read for every bulk header: a plain data property (the server passes its hot config) */
  readonly protoMaxBulkLen: number;
}

const EMPTY = Buffer.alloc(0);

/** Arguments are views into the read chunk (util/bufview.ts: cheaper than Buffer#subarray on this hot path). */
const view = (buf: Buffer, start: number, end: number): Buffer => bufView(buf.buffer, buf.byteOffset + start, end - start);

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
  /** buf's ArrayBuffer and byte offset, cached for the argument views */
  private ab: ArrayBuffer = EMPTY.buffer as ArrayBuffer;
  private abOff = 0;
  private pos = 0;
  private multibulk = 0; // remaining arguments of the current multibulk command
  private bulklen = -1;
  private argv: Buffer[] = [];
  private argc = 0;
  // A large bulk argument being received: allocated at its exact size (payload and CRLF) when its header is read and
  // filled chunk by chunk, as Redis reads a big argument straight into an sds of that size. No chunk list, no
  // concatenation: a 512 MB value takes 512 MB, and becomes the argument itself.
  private big: Buffer | null = null;
  private bigHave = 0;
  /** `big` once complete, until next() takes it as the current argument */
  private bigArg: Buffer | null = null;

  /** `authRequired`: true while the connection must still authenticate (stricter lengths, as Redis). */
  constructor(
    private readonly limits: ParserLimits,
    private readonly authRequired: () => boolean = () => false,
  ) {}

  /** Bytes received but not yet consumed (client-query-buffer-limit accounting). */
  get buffered(): number {
    return this.buf.length - this.pos + this.bigHave;
  }

  /** The first `n` unconsumed bytes (for log messages). */
  peek(n: number): Buffer {
    if (this.big) return this.big.subarray(0, Math.min(n, this.bigHave));
    return this.buf.subarray(this.pos, Math.min(this.buf.length, this.pos + n));
  }

  /** True while a big argument is being received: feed() copies what arrives into it and keeps no view of it. */
  get receivingBig(): boolean {
    return this.big !== null;
  }

  /**
   * feed() of bytes whose memory the caller reuses once this returns (the socket's read buffer, handed over without
   * the copy into a slab while a big argument is being received): only the read that completes the argument is copied,
   * for what follows it in the pipeline.
   */
  feedTransient(chunk: Buffer): void {
    const big = this.big;
    if (big !== null && chunk.length < big.length - this.bigHave) this.feed(chunk);
    else this.feed(Buffer.from(chunk));
  }

  feed(chunk: Buffer): void {
    const big = this.big;
    if (big) {
      const need = big.length - this.bigHave;
      if (chunk.length < need) {
        chunk.copy(big, this.bigHave);
        this.bigHave += chunk.length;
        return;
      }
      chunk.copy(big, this.bigHave, 0, need);
      // Complete: next() takes it as the argument (the two bytes after the payload are skipped unchecked, as Redis
      // does); what follows in the chunk is parsed from the start of a fresh buffer.
      this.bigArg = big.subarray(0, this.bulklen);
      markSole(this.bigArg);
      this.big = null;
      this.bigHave = 0;
      this.setBuf(chunk.length > need ? chunk.subarray(need) : EMPTY);
      this.pos = 0;
      return;
    }
    if (this.pos >= this.buf.length) {
      this.setBuf(chunk);
    } else {
      this.setBuf(Buffer.concat([this.buf.subarray(this.pos), chunk]));
    }
    this.pos = 0;
  }

  private setBuf(b: Buffer): void {
    this.buf = b;
    this.ab = b.buffer as ArrayBuffer;
    this.abOff = b.byteOffset;
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
    if (this.error !== null || this.big !== null) return null;
    for (;;) {
      if (this.pos >= this.buf.length && this.bigArg === null) return null;
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
      // Fast path for "*<1-9 digits>\r\n" followed by at least one byte; the exact path below handles the rest.
      const p = this.pos;
      const end = buf.length;
      let ch = buf[p + 1];
      if (ch >= 49 && ch <= 57) {
        let ll = ch - 48;
        let i = p + 2;
        const stop = Math.min(end, p + 10);
        for (; i < stop; i++) {
          ch = buf[i];
          if (ch < 48 || ch > 57) break;
          ll = ll * 10 + (ch - 48);
        }
        if (ch === 13 && i + 2 < end && (ll <= 10 || !this.authRequired())) {
          this.pos = i + 2;
          this.multibulk = ll;
          this.argv = ll <= 1024 ? new Array(ll) : [];
          this.argc = 0;
        }
      }
    }
    if (this.multibulk === 0) {
      const cr = this.findByte(13, this.pos);
      if (cr < 0) {
        if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) return this.fail(E.PROTO_TOO_BIG_MBULK);
        return null;
      }
      if (cr > buf.length - 2) return null; // need the \n too
      const ll = string2ll(buf, this.pos + 1, cr);
      if (ll === null || ll > INT_MAX) return this.fail(E.PROTO_INVALID_MBULK);
      if (ll > 10 && this.authRequired()) return this.fail(E.PROTO_UNAUTH_MBULK);
      this.pos = cr + 2;
      if (ll <= 0) return [];
      this.multibulk = ll;
      this.argv = ll <= 1024 ? new Array(ll) : [];
      this.argc = 0;
    }
    const maxBulk = this.limits.protoMaxBulkLen;
    while (this.multibulk) {
      if (this.bigArg !== null) {
        this.argv[this.argc++] = this.bigArg;
        this.bigArg = null;
        this.bulklen = -1;
        this.multibulk--;
        continue;
      }
      if (this.bulklen === -1) {
        // Fast path for the usual "$<1-15 digits>\r\n" header with a byte after the CR; anything else (no digits,
        // a sign, leading zeros, NUL, huge numbers, a header cut short) takes the exact path below.
        const b = this.buf;
        const p = this.pos;
        const end = b.length;
        if (p + 3 < end && b[p] === 36 /* $ */) {
          let i = p + 1;
          let ch = b[i];
          if (ch >= 49 && ch <= 57) {
            let ll = ch - 48;
            const stop = Math.min(end, p + 16);
            for (i++; i < stop; i++) {
              ch = b[i];
              if (ch < 48 || ch > 57) break;
              ll = ll * 10 + (ch - 48);
            }
            if (ch === 13 && i + 1 < end && ll <= maxBulk && (ll <= 16384 || !this.authRequired())) {
              this.pos = i + 2;
              this.bulklen = ll;
            }
          } else if (ch === 48 /* 0 */ && b[p + 2] === 13) {
            this.pos = p + 4;
            this.bulklen = 0;
          }
        }
      }
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
        if (ll === null || ll < 0 || ll > maxBulk) return this.fail(E.PROTO_INVALID_BULK);
        if (ll > 16384 && this.authRequired()) return this.fail(E.PROTO_UNAUTH_BULK);
        this.pos = cr + 2;
        this.bulklen = ll;
      }
      const avail = this.buf.length - this.pos;
      if (avail < this.bulklen + 2) {
        if (this.bulklen >= 32 * 1024) {
          // PROTO_MBULK_BIG_ARG: receive the rest into a buffer of the argument's exact size.
          this.big = Buffer.allocUnsafeSlow(this.bulklen + 2);
          this.bigHave = this.buf.copy(this.big, 0, this.pos);
          this.setBuf(EMPTY);
          this.pos = 0;
        }
        return null;
      }
      // Like Redis, the two bytes after the payload are skipped without being checked.
      this.argv[this.argc++] = bufView(this.ab, this.abOff + this.pos, this.bulklen);
      this.pos += this.bulklen + 2;
      this.bulklen = -1;
      this.multibulk--;
    }
    const argv = this.argv;
    this.argv = [];
    return argv;
  }
}
