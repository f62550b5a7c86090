// The hash value: field → value with insertion order (listpack order) and O(1) random field access
// (Redis: t_hash.c over listpack / dict). OBJECT ENCODING: "listpack" until hash-max-listpack-entries/value are
// exceeded, then "hashtable" (never converted back).
import { RObj } from './db.js';
import { registerCopier } from './copy.js';
import type { Elem } from './list.js';

export interface HEntry {
  /** the value: a latin1 string when short, else a Buffer (see Elem in list.ts) */
  v: Elem;
  /** position in HashValue.keys */
  i: number;
}

export class HashValue {
  /** field (latin1 string) → entry, in insertion order */
  readonly map = new Map<string, HEntry>();
  /** fields by position, for O(1) random picks (swap-remove on delete) */
  private keys: string[] = [];

  get size(): number {
    return this.map.size;
  }

  get(field: string): Elem | undefined {
    return this.map.get(field)?.v;
  }

  has(field: string): boolean {
    return this.map.has(field);
  }

  /** Sets a field; returns true when the field is new. */
  set(field: string, v: Elem): boolean {
    const e = this.map.get(field);
    if (e !== undefined) {
      e.v = v;
      return false;
    }
    this.map.set(field, { v, i: this.keys.length });
    this.keys.push(field);
    return true;
  }

  delete(field: string): boolean {
    const e = this.map.get(field);
    if (e === undefined) return false;
    this.map.delete(field);
    const last = this.keys.pop()!;
    if (last !== field) {
      this.keys[e.i] = last;
      this.map.get(last)!.i = e.i;
    }
    return true;
  }

  /** A uniformly random field (the hash must not be empty). */
  randomField(): string {
    return this.keys[Math.floor(Math.random() * this.keys.length)];
  }

  clone(): HashValue {
    const h = new HashValue();
    for (const [k, e] of this.map) h.set(k, typeof e.v === 'string' ? e.v : Buffer.from(e.v));
    return h;
  }
}

export function newHashObject(): RObj {
  return new RObj('hash', new HashValue(), 'listpack');
}

registerCopier('hash', o => new RObj('hash', (o.value as HashValue).clone(), o.enc));
