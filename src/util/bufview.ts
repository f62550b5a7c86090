// Buffers made with the plain typed-array constructor, for hot paths (socket chunks, parser arguments, redis.call
// argument copies): a Uint8Array subclass whose prototype is Buffer.prototype, so its instances are real Buffers
// (instanceof Buffer, every Buffer method) yet several times cheaper to create than Buffer#subarray or Buffer.from.
class BufView extends Uint8Array {}
Object.setPrototypeOf(BufView.prototype, Buffer.prototype);

/** A Buffer over `length` bytes of `ab` from `offset` (no copy). */
export function bufView(ab: ArrayBufferLike, offset: number, length: number): Buffer {
  return new BufView(ab as ArrayBuffer, offset, length) as unknown as Buffer;
}

// Arguments the parser received into a buffer of their own (PROTO_MBULK_BIG_ARG, 32 KB and more): nothing else views
// that memory and the parser never writes it again, so storing such an argument needs no copy (Redis likewise keeps
// the big argument's sds as the value).
const SOLE = new WeakSet<ArrayBufferLike>();

/** Marks `b` as the only view of its memory (it was received into a buffer of its own). */
export function markSole(b: Uint8Array): void {
  SOLE.add(b.buffer);
}

/** `b` itself when it is the only view of its memory (see markSole), else an owned copy of it. */
export function ownedBytes(b: Buffer): Buffer {
  if (b.byteOffset === 0 && SOLE.has(b.buffer)) {
    SOLE.delete(b.buffer); // taken once: a second store of the same argument gets its own copy
    return b;
  }
  return Buffer.from(b);
}
