// The one reply vocabulary (Redis: networking.c addReply*): RESP3 when the client speaks it, degraded to RESP2 as Redis does.
// Sockets, MULTI/EXEC, redis.call and tests all write through this class; handlers never format RESP themselves.
import { formatDouble } from './numfmt.js';
import { decimalDigits, writeDecimal } from '../util/digits.js';

const SLAB = 64 * 1024;
const BIG = 16 * 1024;
/**
 * Once a reply batch holds this much, it continues in HUGE_SLAB slabs: glibc serves a block above its largest mmap
 * threshold (32 MB on 64-bit) with a mapping of its own, which goes back to the OS when freed. 64 KB slabs come from
 * the heap, and hundreds of MB of them stay resident after a big output buffer is gone (free() does not trim the
 * middle of the heap).
 */
const BIG_OUTPUT = 8 << 20;
const HUGE_SLAB = 33 << 20;

// Pre-rendered headers for small lengths/integers, the way Redis shares its "*N\r\n"/"$N\r\n" objects.
const SHARED = 512;
function table(prefix: string): Buffer[] {
  // one buffer sliced 512 ways: 512 separate Buffer.from calls cost several ms of every start-up
  let text = '';
  for (let i = 0; i < SHARED; i++) text += `${prefix}${i}\r\n`;
  const all = Buffer.from(text, 'latin1');
  const t: Buffer[] = [];
  for (let i = 0, o = 0; i < SHARED; i++) {
    const n = prefix.length + decimalDigits(i) + 2;
    t.push(all.subarray(o, o + n));
    o += n;
  }
  return t;
}
const BULK_HDR = table('$');
const ARRAY_HDR = table('*');
const INT_HDR = table(':');
const MAP_HDR = table('%');
const SET_HDR = table('~');
const PUSH_HDR = table('>');

const OK = Buffer.from('+OK\r\n');
const NULL_BULK = Buffer.from('$-1\r\n');
const NULL_ARRAY = Buffer.from('*-1\r\n');
const NULL3 = Buffer.from('_\r\n');
const EMPTY_ARRAY = Buffer.from('*0\r\n');

export type ErrorHook = (text: string) => void;

export class Reply {
  resp: 2 | 3 = 2;
  /** Called for every error reply written (errorstats, failed_calls); null for none. */
  errorHook: ErrorHook | null = null;
  /**
   * Where push replies go while this Reply stands in for a silenced one (CLIENT REPLY OFF/SKIP): Redis's
   * CLIENT_PUSHING lets pub/sub pushes through prepareClientToWrite's silencing. null: pushes are written here.
   */
  pushTarget: Reply | null = null;

  private slab: Buffer = Buffer.allocUnsafe(SLAB);
  private start = 0; // start of the not-yet-taken segment in slab
  private pos = 0;
  private chunks: Buffer[] = [];
  private pending = 0; // bytes in chunks

  constructor(resp: 2 | 3 = 2) {
    this.resp = resp;
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.pending + (this.pos - this.start);
  }

  private flushSegment(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.slab.subarray(this.start, this.pos));
      this.pending += this.pos - this.start;
      this.start = this.pos;
    }
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.slab.length) return;
    this.flushSegment();
    this.slab = Buffer.allocUnsafe(Math.max(this.pending >= BIG_OUTPUT ? HUGE_SLAB : SLAB, n));
    this.start = this.pos = 0;
  }

  /** After a take: a huge slab is not kept for the small replies that follow. */
  private shrinkSlab(): void {
    if (this.slab.length > SLAB) {
      this.slab = Buffer.allocUnsafe(SLAB);
      this.start = this.pos = 0;
    }
  }

  private putBuf(b: Buffer | Uint8Array): void {
    const n = b.length;
    if (n >= BIG) {
      // Large payloads are not copied: they become their own chunk.
      this.flushSegment();
      this.chunks.push(Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      this.pending += n;
      return;
    }
    this.ensure(n);
    const slab = this.slab;
    let pos = this.pos;
    if (n <= 16) {
      // headers and small values: a byte loop beats the native TypedArray#set call
      for (let i = 0; i < n; i++) slab[pos++] = b[i];
    } else {
      slab.set(b, pos);
      pos += n;
    }
    this.pos = pos;
  }

  private putStr(s: string): void {
    const n = s.length;
    this.ensure(n);
    if (n <= 32) {
      // short strings (status lines, numbers, small values): a char loop beats the native latin1Write call
      const slab = this.slab;
      let pos = this.pos;
      for (let i = 0; i < n; i++) slab[pos++] = s.charCodeAt(i);
      this.pos = pos;
    } else this.pos += this.slab.latin1Write(s, this.pos);
  }

  /** <prefix><n>\r\n for a safe integer n, digits written straight into the slab (no number-to-string). */
  private putIntLine(prefix: number, n: number): void {
    this.ensure(24);
    const slab = this.slab;
    let pos = this.pos;
    slab[pos++] = prefix;
    if (n < 0) {
      slab[pos++] = 0x2d;
      n = -n;
    }
    let end = writeDecimal(slab, pos, n, decimalDigits(n));
    slab[end++] = 0x0d;
    slab[end++] = 0x0a;
    this.pos = end;
  }

  private crlf(): void {
    this.ensure(2);
    const slab = this.slab;
    slab[this.pos] = 13;
    slab[this.pos + 1] = 10;
    this.pos += 2;
  }

  /** "$<n>\r\n" for n < 100 at pos; returns the new position (the caller has ensured the room). */
  private static shortBulkHeader(slab: Buffer, pos: number, n: number): number {
    slab[pos++] = 36; // $
    if (n >= 10) {
      const t = (n / 10) | 0;
      slab[pos++] = 48 + t;
      slab[pos++] = 48 + (n - t * 10);
    } else slab[pos++] = 48 + n;
    slab[pos++] = 13;
    slab[pos++] = 10;
    return pos;
  }

  private header(prefix: string, shared: Buffer[], n: number): void {
    if (n >= 0 && n < SHARED) this.putBuf(shared[n]);
    else if (Number.isSafeInteger(n)) this.putIntLine(prefix.charCodeAt(0), n);
    else this.putStr(`${prefix}${n}\r\n`);
  }

  /** Whether what is written so far spans several chunks (take() would concatenate them into a copy). */
  get chunked(): boolean {
    return this.chunks.length !== 0;
  }

  /** Removes and returns everything written so far. */
  take(): Buffer {
    if (this.chunks.length === 0) {
      const out = this.slab.subarray(this.start, this.pos);
      this.start = this.pos;
      return out;
    }
    this.flushSegment();
    const out = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.pending);
    this.chunks = [];
    this.pending = 0;
    this.shrinkSlab();
    return out;
  }

  /** take() as the list of its chunks: a big reply goes out without being concatenated into one more copy. */
  takeChunks(): Buffer[] {
    this.flushSegment();
    const out = this.chunks;
    this.chunks = [];
    this.pending = 0;
    this.shrinkSlab();
    return out;
  }

  /** Drops everything written and not yet taken (a client closed for its output buffer limits). */
  discard(): void {
    this.chunks = [];
    this.pending = 0;
    this.start = this.pos;
    this.shrinkSlab();
  }

  /** Like take(), but copies everything written so far into `dst` at `off` (no intermediate Buffer). */
  takeInto(dst: Uint8Array, off: number): void {
    const chunks = this.chunks;
    if (chunks.length !== 0) {
      for (let i = 0; i < chunks.length; i++) {
        dst.set(chunks[i], off);
        off += chunks[i].length;
      }
      this.chunks = [];
      this.pending = 0;
    }
    const slab = this.slab;
    const end = this.pos;
    let i = this.start;
    if (end - i <= 64) while (i < end) dst[off++] = slab[i++];
    else dst.set(slab.subarray(i, end), off);
    this.start = end;
  }

  /** Pre-formatted protocol bytes (addReplyProto). */
  raw(b: Buffer | Uint8Array | string): void {
    if (typeof b === 'string') this.putStr(b);
    else this.putBuf(b);
  }

  /** Raw bytes: the latin1 characters s[from, to) (a slice of a pre-rendered reply, without making the substring). */
  rawLatin1(s: string, from: number, to: number): void {
    const n = to - from;
    if (n > 64) return this.putStr(s.slice(from, to));
    this.ensure(n);
    const slab = this.slab;
    let pos = this.pos;
    for (let i = from; i < to; i++) slab[pos++] = s.charCodeAt(i);
    this.pos = pos;
  }

  ok(): void {
    this.putBuf(OK);
  }

  /** +status. CR/LF inside are the caller's responsibility (see statusSafe). */
  simple(s: string): void {
    this.putStr('+' + s + '\r\n');
  }

  /** addReplyStatusSafe: CR/LF become spaces. */
  statusSafe(s: string): void {
    this.simple(s.replace(/[\r\n]/g, ' '));
  }

  /** -error. `text` is e.g. "ERR foo" (a leading '-' is tolerated, as addReplyError does). */
  error(text: string): void {
    if (text.charCodeAt(0) === 45 /* - */) text = text.slice(1);
    this.putStr('-' + text + '\r\n');
    if (this.errorHook) this.errorHook(text);
  }

  /** An error reply that is not counted in errorstats (ERR_REPLY_FLAG_NO_STATS_UPDATE). */
  errorNoStats(text: string): void {
    if (text.charCodeAt(0) === 45 /* - */) text = text.slice(1);
    this.putStr('-' + text + '\r\n');
  }

  /** addReplyErrorFormat-style: CR/LF inside become spaces. */
  errorSafe(text: string): void {
    this.error(text.replace(/[\r\n]/g, ' '));
  }

  bulk(b: Buffer | Uint8Array): void {
    const n = b.length;
    if (n <= 32) {
      // short values (members, fields, small strings): header, bytes and CRLF in one pass
      this.ensure(n + 7);
      const slab = this.slab;
      let pos = Reply.shortBulkHeader(slab, this.pos, n);
      for (let i = 0; i < n; i++) slab[pos++] = b[i];
      slab[pos++] = 13;
      slab[pos++] = 10;
      this.pos = pos;
      return;
    }
    this.header('$', BULK_HDR, n);
    this.putBuf(b);
    this.crlf();
  }

  /** Bulk of a JS string whose characters are bytes (latin1) or plain ASCII. */
  bulkStr(s: string): void {
    const n = s.length;
    if (n <= 32) {
      this.ensure(n + 7);
      const slab = this.slab;
      let pos = Reply.shortBulkHeader(slab, this.pos, n);
      for (let i = 0; i < n; i++) slab[pos++] = s.charCodeAt(i);
      slab[pos++] = 13;
      slab[pos++] = 10;
      this.pos = pos;
      return;
    }
    this.header('$', BULK_HDR, n);
    this.putStr(s);
    this.crlf();
  }

  /** Bulk of a UTF-8 text (help texts, INFO). */
  bulkUtf8(s: string): void {
    this.bulk(Buffer.from(s, 'utf8'));
  }

  int(n: number | bigint): void {
    if (typeof n === 'number' && n >= 0 && n < SHARED && Number.isInteger(n)) this.putBuf(INT_HDR[n]);
    else if (typeof n === 'number' && Number.isSafeInteger(n)) this.putIntLine(0x3a, n);
    else this.putStr(':' + (typeof n === 'number' ? n.toFixed(0) : n.toString()) + '\r\n');
  }

  /** addReplyDouble: RESP3 ",<%.17g>", RESP2 bulk of the same text. */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.resp === 3) this.putStr(',' + s + '\r\n');
    else this.bulkStr(s);
  }

  /** addReplyHumanLongDouble-style: a pre-formatted number text, RESP3 double, RESP2 bulk. */
  doubleText(s: string): void {
    if (this.resp === 3) this.putStr(',' + s + '\r\n');
    else this.bulkStr(s);
  }

  bool(b: boolean): void {
    if (this.resp === 3) this.putStr(b ? '#t\r\n' : '#f\r\n');
    else this.putBuf(INT_HDR[b ? 1 : 0]);
  }

  /** addReplyNull: RESP2 null bulk, RESP3 null. */
  null(): void {
    this.putBuf(this.resp === 3 ? NULL3 : NULL_BULK);
  }

  /** addReplyNullArray: RESP2 null array, RESP3 null. */
  nullArray(): void {
    this.putBuf(this.resp === 3 ? NULL3 : NULL_ARRAY);
  }

  emptyArray(): void {
    this.putBuf(EMPTY_ARRAY);
  }

  arrayLen(n: number): void {
    this.header('*', ARRAY_HDR, n);
  }

  /** addReplyMapLen: RESP3 %n, RESP2 *2n. */
  mapLen(n: number): void {
    if (this.resp === 3) this.header('%', MAP_HDR, n);
    else this.header('*', ARRAY_HDR, n * 2);
  }

  /** addReplySetLen: RESP3 ~n, RESP2 *n. */
  setLen(n: number): void {
    if (this.resp === 3) this.header('~', SET_HDR, n);
    else this.header('*', ARRAY_HDR, n);
  }

  /** The Reply a push (a whole pub/sub message or confirmation) is written to: past any silencing stand-in. */
  pushSink(): Reply {
    let r: Reply = this;
    while (r.pushTarget !== null) r = r.pushTarget;
    return r;
  }

  /** addReplyPushLen: RESP3 >n, RESP2 *n. */
  pushLen(n: number): void {
    if (this.resp === 3) this.header('>', PUSH_HDR, n);
    else this.header('*', ARRAY_HDR, n);
  }

  /** addReplyAttributeLen (RESP3 only; callers skip it for RESP2). */
  attributeLen(n: number): void {
    this.putStr(`|${n}\r\n`);
  }

  /** addReplyVerbatim: RESP3 =len\r\nfmt:text, RESP2 plain bulk. `fmt` is exactly 3 bytes. */
  verbatim(text: Buffer | string, fmt = 'txt'): void {
    const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    if (this.resp === 3) {
      this.putStr(`=${b.length + 4}\r\n${fmt}:`);
      this.putBuf(b);
      this.crlf();
    } else this.bulk(b);
  }

  /** addReplyBigNum: RESP3 (digits, RESP2 bulk. */
  bigNumber(s: string): void {
    if (this.resp === 3) this.putStr('(' + s + '\r\n');
    else this.bulkStr(s);
  }

  /** Array of bulk strings. */
  bulkArray(items: (Buffer | Uint8Array)[]): void {
    this.arrayLen(items.length);
    for (const b of items) this.bulk(b);
  }

  /** Reserves a length header to be filled in later (addReplyDeferredLen). */
  deferLen(): number {
    this.flushSegment();
    this.chunks.push(EMPTY);
    return this.chunks.length - 1;
  }

  private setDeferred(h: number, s: string): void {
    const b = Buffer.from(s, 'latin1');
    this.chunks[h] = b;
    this.pending += b.length;
  }

  setDeferredArrayLen(h: number, n: number): void {
    this.setDeferred(h, `*${n}\r\n`);
  }

  setDeferredMapLen(h: number, n: number): void {
    this.setDeferred(h, this.resp === 3 ? `%${n}\r\n` : `*${n * 2}\r\n`);
  }

  setDeferredSetLen(h: number, n: number): void {
    this.setDeferred(h, this.resp === 3 ? `~${n}\r\n` : `*${n}\r\n`);
  }
}

const EMPTY = Buffer.alloc(0);
