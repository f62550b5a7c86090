// String values: shape, encodings and shared helpers (Redis: object.c createStringObject / tryObjectEncoding,
// t_string.c checkStringLength, expire.c checkAlreadyExpired).
//
// A string RObj is new RObj('string', value: StrValue, enc). The value has three shapes, for memory and speed:
//   string     up to SMALL_STRING (64) bytes, as SET, MSET, GETSET, INCR… store them: a latin1 JS string, one char per
//              byte, binary safe (like list elements and hash values, store/list.ts Elem). A short V8 string costs
//              16 bytes + its length (24 bytes for "v123456"), where a Buffer costs ~90 bytes of objects on top.
//   number     a safe integer stored by INCR/DECR/INCRBY/DECRBY (Redis's int encoding): no digits to parse or render
//              on the next increment, and no string on the heap. Its bytes are its canonical decimal text.
//   Buffer     longer values (kept off the V8 heap: not moved by compaction, not counted against the heap limit), and
//              every value modified in place: APPEND, SETRANGE, SETBIT, BITFIELD, PFADD… call unshareString, which
//              turns either shape into an owned, growable Buffer.
// Code must accept every shape (a short value may be a Buffer after SETRANGE, a counter a number). Read through the
// helpers: strLen(o), strBytes(o) (a Buffer: the value itself, or a copy of a short one or of a number's digits),
// replyStrValue (bulkStr for a string: GET converts nothing), strToLL; store an argument with toStrValue(arg).
// `enc` is:
//   undefined  the value went through tryObjectEncoding (SET, MSET, GETSET, INCR…): its OBJECT ENCODING follows
//              from the bytes: "int" if it is a canonical int64 of at most 20 chars, else "embstr" up to 44 bytes,
//              else "raw". (Computed on demand so SET/GET pay nothing for it.)
//   'raw'      created or modified in place (APPEND on an existing key, SETRANGE, SETBIT, BITOP, PFADD…)
//   'embstr'   created by createStringObject without tryObjectEncoding (INCRBYFLOAT) and ≤ 44 bytes
//   'int'      explicitly int
// A Buffer value is owned by the keyspace (never a view into a socket chunk). Modifying commands may replace o.value.
import { RObj, type ObjEnc } from './db.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { string2ll } from '../util/parse.js';
import { ownedBytes } from '../util/bufview.js';

/** A string value: a latin1 JS string (short values), a safe integer (counters) or a Buffer. */
export type StrValue = string | Buffer | number;

/**
 * Values up to this many bytes are stored as latin1 strings. SET/GET are as fast or faster with strings even for a few
 * KB, but the saving matters for small values, and big ones are better off the V8 heap (same cutoff as list/hash Elem).
 */
export const SMALL_STRING = 64;

export const OBJ_ENCODING_EMBSTR_SIZE_LIMIT = 44;
export const OBJ_SHARED_INTEGERS = 10000;
export const OBJ_SHARED_REFCOUNT = 2147483647;

/** A new string object owning `value` (a string, or a Buffer that must already be an owned copy). */
export function newString(value: StrValue, enc?: ObjEnc): RObj {
  return new RObj('string', value, enc);
}

/** The stored form of an argument (copied: arguments are views into socket buffers, but for a big one of its own). */
export function toStrValue(b: Buffer): StrValue {
  return b.length <= SMALL_STRING ? b.latin1Slice(0, b.length) : ownedBytes(b);
}

/** The stored form of bytes this module's caller already owns (results computed into a fresh Buffer). */
export function ownedStrValue(b: Buffer): StrValue {
  return b.length <= SMALL_STRING ? b.latin1Slice(0, b.length) : b;
}

/** The bytes of a string value: the Buffer itself, or a fresh copy of a short (string) value. Do not modify it. */
export function strBuf(v: StrValue): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'latin1') : typeof v === 'number' ? Buffer.from(String(v), 'latin1') : v;
}

/** The bytes of a string object (see strBuf). */
export function strBytes(o: RObj): Buffer {
  return strBuf(o.value as StrValue);
}

/** The length in bytes of a string object. */
export function strLen(o: RObj): number {
  const v = o.value as StrValue;
  return typeof v === 'number' ? String(v).length : v.length;
}

/** string2ll over a string value. */
export function strToLL(v: StrValue): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return string2ll(v);
  const len = v.length;
  if (len === 0 || len > 15) return len === 0 ? null : string2ll(Buffer.from(v, 'latin1'));
  if (len === 1 && v.charCodeAt(0) === 48) return 0;
  let p = 0;
  let neg = false;
  if (v.charCodeAt(0) === 45) {
    neg = true;
    p = 1;
    if (len === 1) return null;
  }
  const c0 = v.charCodeAt(p);
  if (c0 < 49 || c0 > 57) return null;
  let n = 0;
  for (; p < len; p++) {
    const d = v.charCodeAt(p) - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return neg ? -n : n;
}

/** Replies a string value (a short string as is, a Buffer through replyString). */
export function replyStrValue(c: Client, v: StrValue): void {
  if (typeof v === 'string') c.reply.bulkStr(v);
  else if (typeof v === 'number') c.reply.bulkStr(String(v));
  else replyString(c, v);
}

/** OBJECT ENCODING of a string object. */
export function stringEncoding(o: RObj): string {
  if (o.enc !== undefined) return o.enc;
  const v = o.value as StrValue;
  if (typeof v === 'number') return 'int';
  if (v.length <= 20 && strToLL(v) !== null) return 'int';
  return v.length <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/** True if the string object is one of Redis's shared integers 0..9999 (refcount INT_MAX in OBJECT REFCOUNT). */
export function isSharedInteger(c: Client, o: RObj): boolean {
  if (o.type !== 'string' || stringEncoding(o) !== 'int') return false;
  const v = strToLL(o.value as StrValue);
  if (v === null || v < 0 || v >= OBJ_SHARED_INTEGERS) return false;
  const s = c.server;
  if (s.config.num('maxmemory') === 0) return true;
  const pol = s.config.get('maxmemory-policy');
  return !(pol.includes('lru') || pol.includes('lfu'));
}

/** checkStringLength: replies the proto-max-bulk-len error and returns false when size + append is too big. */
export function checkStringLength(c: Client, size: number, append: number): boolean {
  const total = size + append;
  if (total > c.server.config.num('proto-max-bulk-len')) {
    c.reply.error(E.MAX_STRING);
    return false;
  }
  return true;
}

/** expire.c checkAlreadyExpired (no replicas or loading in redlua). */
export function checkAlreadyExpired(whenMs: number, s: { loading: boolean; replica: { host: string | null } }): boolean {
  // never a DEL while the AOF loads or on a replica: the key is kept with its past TTL until the master's DEL
  return whenMs <= Date.now() && !s.loading && s.replica.host === null;
}

// ---------- growable, in-place-modifiable string buffers (sds-like) ----------
//
// APPEND, SETRANGE, SETBIT and BITFIELD modify strings in place, as Redis does, instead of copying the whole value on
// each call. A modifiable value is a view at offset 0 of an ArrayBuffer this module allocated (OWNED), with spare
// capacity after the end (sds greedy growth). Reply.bulk does not copy payloads of 16 KB or more until the output is
// taken, so a value handed to a reply is marked EXPOSED (replyString) and copied before its next in-place write.

const OWNED = new WeakSet<ArrayBufferLike>();
const EXPOSED = new WeakSet<ArrayBufferLike>();
const REPLY_NOCOPY_MIN = 16 * 1024;
const SDS_MAX_PREALLOC = 1024 * 1024;

/** Replies a string value (or a slice of one) as a bulk, remembering that its memory may be referenced until flushed. */
export function replyString(c: Client, b: Buffer): void {
  if (b.length >= REPLY_NOCOPY_MIN) EXPOSED.add(b.buffer);
  c.reply.bulk(b);
}

/** Marks a value's memory as referenced elsewhere (callers that keep or reply a big value without copying). */
export function exposeString(b: Buffer): void {
  if (b.length >= REPLY_NOCOPY_MIN) EXPOSED.add(b.buffer);
}

/**
 * Makes o.value writable in place (an owned Buffer, converted from a short string value if need be) with length
 * max(current, newLen) (growth is zero-filled) and returns it. Sets o.enc = 'raw' (dbUnshareStringValue / sdsgrowzero).
 */
export function unshareString(o: RObj, newLen: number): Buffer {
  const sv = o.value as StrValue;
  const v = typeof sv === 'number' ? String(sv) : sv;
  const len = Math.max(v.length, newLen);
  o.enc = 'raw';
  if (typeof v !== 'string') {
    const ab = v.buffer;
    if (v.byteOffset === 0 && OWNED.has(ab) && !EXPOSED.has(ab) && ab.byteLength >= len) {
      if (len === v.length) return v;
      const out = Buffer.from(ab, 0, len);
      out.fill(0, v.length, len);
      o.value = out;
      return out;
    }
  }
  // greedy preallocation only once a string is grown (a fixed-size SETRANGE/SETBIT target stays tight)
  const cap = len > v.length ? (len < SDS_MAX_PREALLOC ? len * 2 : len + SDS_MAX_PREALLOC) : len;
  const ab2 = new ArrayBuffer(cap);
  OWNED.add(ab2);
  const out = Buffer.from(ab2, 0, len);
  if (typeof v === 'string') out.latin1Write(v, 0);
  else v.copy(out, 0);
  if (len > v.length) out.fill(0, v.length, len);
  o.value = out;
  return out;
}

/** A new zero-filled modifiable string value of `len` bytes (SETBIT/SETRANGE on a missing key). */
/**
 * The sds allocation behind a string modified in place (enc 'raw'): the owned buffer's capacity, which follows
 * sdsMakeRoomFor's greedy growth; a string whose buffer is not owned is sized as greedily grown.
 */
export function rawCapacity(o: RObj): number {
  const v = o.value as StrValue;
  if (typeof v !== 'number' && typeof v !== 'string' && v.byteOffset === 0 && OWNED.has(v.buffer)) return v.buffer.byteLength;
  const len = strLen(o);
  return len < SDS_MAX_PREALLOC ? len * 2 : len + SDS_MAX_PREALLOC;
}

export function newRawString(len: number): RObj {
  const ab = new ArrayBuffer(len);
  OWNED.add(ab);
  return new RObj('string', Buffer.from(ab, 0, len), 'raw');
}
