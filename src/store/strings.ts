// String values: shape, encodings and shared helpers (Redis: object.c createStringObject / tryObjectEncoding,
// t_string.c checkStringLength, expire.c checkAlreadyExpired).
//
// A string RObj is { type: 'string', value: Buffer, enc, lru }. `enc` is:
//   undefined  the value went through tryObjectEncoding (SET, MSET, GETSET, INCR…): its OBJECT ENCODING follows
//              from the bytes: "int" if it is a canonical int64 of at most 20 chars, else "embstr" up to 44 bytes,
//              else "raw". (Computed on demand so SET/GET pay nothing for it.)
//   'raw'      created or modified in place (APPEND on an existing key, SETRANGE, SETBIT, BITOP, PFADD…)
//   'embstr'   created by createStringObject without tryObjectEncoding (INCRBYFLOAT) and ≤ 44 bytes
//   'int'      explicitly int
// The Buffer is owned by the keyspace (never a view into a socket chunk). Modifying commands may replace o.value.
import { RObj } from './db.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { string2ll } from '../util/parse.js';

export const OBJ_ENCODING_EMBSTR_SIZE_LIMIT = 44;
export const OBJ_SHARED_INTEGERS = 10000;
export const OBJ_SHARED_REFCOUNT = 2147483647;

/** A new string object owning `value` (which must already be an owned copy). */
export function newString(value: Buffer, enc?: 'raw' | 'embstr' | 'int'): RObj {
  return new RObj('string', value, enc);
}

/** OBJECT ENCODING of a string object. */
export function stringEncoding(o: RObj): string {
  if (o.enc !== undefined) return o.enc;
  const b = o.value as Buffer;
  if (b.length <= 20 && string2ll(b) !== null) return 'int';
  return b.length <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/** True if the string object is one of Redis's shared integers 0..9999 (refcount INT_MAX in OBJECT REFCOUNT). */
export function isSharedInteger(c: Client, o: RObj): boolean {
  if (o.type !== 'string' || stringEncoding(o) !== 'int') return false;
  const v = string2ll(o.value as Buffer);
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
export function checkAlreadyExpired(whenMs: number): boolean {
  return whenMs <= Date.now();
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
 * Makes o.value writable in place with length max(current, newLen) (growth is zero-filled) and returns it.
 * Sets o.enc = 'raw' (dbUnshareStringValue / sdsgrowzero).
 */
export function unshareString(o: RObj, newLen: number): Buffer {
  const v = o.value as Buffer;
  const len = Math.max(v.length, newLen);
  o.enc = 'raw';
  const ab = v.buffer;
  if (v.byteOffset === 0 && OWNED.has(ab) && !EXPOSED.has(ab) && ab.byteLength >= len) {
    if (len === v.length) return v;
    const out = Buffer.from(ab, 0, len);
    out.fill(0, v.length, len);
    o.value = out;
    return out;
  }
  // greedy preallocation only once a string is grown (a fixed-size SETRANGE/SETBIT target stays tight)
  const cap = len > v.length ? (len < SDS_MAX_PREALLOC ? len * 2 : len + SDS_MAX_PREALLOC) : len;
  const ab2 = new ArrayBuffer(cap);
  OWNED.add(ab2);
  const out = Buffer.from(ab2, 0, len);
  v.copy(out, 0);
  if (len > v.length) out.fill(0, v.length, len);
  o.value = out;
  return out;
}

/** A new zero-filled modifiable string value of `len` bytes (SETBIT/SETRANGE on a missing key). */
export function newRawString(len: number): RObj {
  const ab = new ArrayBuffer(len);
  OWNED.add(ab);
  return new RObj('string', Buffer.from(ab, 0, len), 'raw');
}
