// The list value: a growable ring buffer with O(1) push/pop at both ends and O(1) index access
// (Redis: quicklist.c; OBJECT ENCODING reports "quicklist" for every list in 7.0).
// Elements are `Elem`: short ones (up to SMALL_ELEM bytes) are kept as latin1 strings (one char per byte; a fraction
// of a Buffer's memory), longer ones as Buffers. Readers must accept both (see elemBuf / replyElem / elemEquals).
import { RObj } from './db.js';
import type { Reply } from '../protocol/reply.js';
import { registerCopier } from './copy.js';
import { ownedBytes } from '../util/bufview.js';

export type Elem = Buffer | string;

export const SMALL_ELEM = 64;

/** The stored form of an argument (copied: arguments are views into socket buffers, but for a big one of its own). */
export function toElem(b: Buffer): Elem {
  return b.length <= SMALL_ELEM ? b.latin1Slice(0, b.length) : ownedBytes(b);
}

/** The bytes of an element. */
export function elemBuf(v: Elem): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'latin1') : v;
}

export function replyElem(r: Reply, v: Elem): void {
  if (typeof v === 'string') r.bulkStr(v);
  else r.bulk(v);
}

/** An argument prepared for comparisons against elements (both representations, computed once). */
export interface ElemKey {
  s: string | null;
  b: Buffer;
}

export function elemKey(b: Buffer): ElemKey {
  return { s: b.length <= SMALL_ELEM ? b.latin1Slice(0, b.length) : null, b };
}

export function elemEquals(v: Elem, k: ElemKey): boolean {
  if (typeof v === 'string') return k.s !== null && v === k.s;
  return v.equals(k.b);
}

export class Deque {
  private buf: (Elem | undefined)[];
  private head = 0; // index of the first element
  private mask: number;
  length = 0;

  constructor(capacity = 8) {
    let cap = 8;
    while (cap < capacity) cap <<= 1;
    this.buf = new Array(cap);
    this.mask = cap - 1;
  }

  private grow(): void {
    const old = this.buf;
    const cap = old.length * 2;
    const nb: (Elem | undefined)[] = new Array(cap);
    for (let i = 0; i < this.length; i++) nb[i] = old[(this.head + i) & this.mask];
    this.buf = nb;
    this.head = 0;
    this.mask = cap - 1;
  }

  private shrinkIfSparse(): void {
    const cap = this.buf.length;
    if (cap > 64 && this.length < cap >> 2) {
      const ncap = cap >> 1;
      const nb: (Elem | undefined)[] = new Array(ncap);
      for (let i = 0; i < this.length; i++) nb[i] = this.buf[(this.head + i) & this.mask];
      this.buf = nb;
      this.head = 0;
      this.mask = ncap - 1;
    }
  }

  pushTail(v: Elem): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & this.mask] = v;
    this.length++;
  }

  pushHead(v: Elem): void {
    if (this.length === this.buf.length) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = v;
    this.length++;
  }

  popHead(): Elem | undefined {
    if (this.length === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.length--;
    this.shrinkIfSparse();
    return v;
  }

  popTail(): Elem | undefined {
    if (this.length === 0) return undefined;
    const i = (this.head + this.length - 1) & this.mask;
    const v = this.buf[i];
    this.buf[i] = undefined;
    this.length--;
    this.shrinkIfSparse();
    return v;
  }

  /** Element at a 0-based index (no bounds check beyond returning undefined). */
  get(i: number): Elem | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return this.buf[(this.head + i) & this.mask];
  }

  set(i: number, v: Elem): void {
    this.buf[(this.head + i) & this.mask] = v;
  }

  /** Inserts before index i (0..length), moving the shorter side. */
  insert(i: number, v: Elem): void {
    if (i <= 0) return this.pushHead(v);
    if (i >= this.length) return this.pushTail(v);
    if (this.length === this.buf.length) this.grow();
    if (i < this.length >> 1) {
      this.head = (this.head - 1) & this.mask;
      for (let j = 0; j < i; j++) this.buf[(this.head + j) & this.mask] = this.buf[(this.head + j + 1) & this.mask];
    } else {
      for (let j = this.length; j > i; j--) this.buf[(this.head + j) & this.mask] = this.buf[(this.head + j - 1) & this.mask];
    }
    this.buf[(this.head + i) & this.mask] = v;
    this.length++;
  }

  /** Keeps only the elements for which keep() is true (in order); returns how many were removed. */
  filter(keep: (v: Elem, i: number) => boolean): number {
    let w = 0;
    const n = this.length;
    for (let r = 0; r < n; r++) {
      const v = this.buf[(this.head + r) & this.mask]!;
      if (keep(v, r)) {
        if (w !== r) this.buf[(this.head + w) & this.mask] = v;
        w++;
      }
    }
    for (let r = w; r < n; r++) this.buf[(this.head + r) & this.mask] = undefined;
    this.length = w;
    this.shrinkIfSparse();
    return n - w;
  }

  /** Removes `n` elements from the head. */
  dropHead(n: number): void {
    for (let i = 0; i < n && this.length; i++) {
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) & this.mask;
      this.length--;
    }
    this.shrinkIfSparse();
  }

  /** Removes `n` elements from the tail. */
  dropTail(n: number): void {
    for (let i = 0; i < n && this.length; i++) {
      const j = (this.head + this.length - 1) & this.mask;
      this.buf[j] = undefined;
      this.length--;
    }
    this.shrinkIfSparse();
  }

  *[Symbol.iterator](): IterableIterator<Elem> {
    for (let i = 0; i < this.length; i++) yield this.buf[(this.head + i) & this.mask]!;
  }

  clone(): Deque {
    const d = new Deque(this.length);
    for (let i = 0; i < this.length; i++) {
      const v = this.buf[(this.head + i) & this.mask]!;
      d.pushTail(typeof v === 'string' ? v : Buffer.from(v));
    }
    return d;
  }
}

export function newListObject(): RObj {
  return new RObj('list', new Deque(), 'quicklist');
}

registerCopier('list', o => new RObj('list', (o.value as Deque).clone(), 'quicklist'));
