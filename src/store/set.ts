// The set value (Redis: t_set.c over intset.c / dict). Two encodings, as in 7.0:
// - "intset": every member is a canonical int64 and there are at most set-max-intset-entries of them; kept as a sorted
//   bigint array (iteration, SMEMBERS & co are in ascending order like Redis's intset);
// - "hashtable": members (latin1 strings) in an array plus a member → position map, for O(1) add/remove/lookup and
//   O(1) uniform random picks (SPOP, SRANDMEMBER).
// A set converts intset → hashtable when a non-integer is added or it grows past the limit; never back.
import { RObj } from './db.js';
import { registerCopier } from './copy.js';

const INT_RE = /^(?:0|-?[1-9][0-9]{0,18})$/;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** isSdsRepresentableAsLongLong (string2ll semantics) on a latin1 member: the int64 value, or null. */
export function memberToInt(m: string): bigint | null {
  if (m.length > 20 || !INT_RE.test(m)) return null;
  const v = BigInt(m);
  if (v < INT64_MIN || v > INT64_MAX) return null;
  return v;
}

export class SetValue {
  /** sorted members while intset-encoded, else null */
  ints: bigint[] | null = [];
  /** hashtable encoding: members by position, and member → position */
  members: string[] = [];
  index: Map<string, number> = new Map();

  get isIntset(): boolean {
    return this.ints !== null;
  }

  get size(): number {
    return this.ints !== null ? this.ints.length : this.members.length;
  }

  /** Position of v in ints, or -(insertion point) - 1. */
  private search(v: bigint): number {
    const a = this.ints!;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = a[mid];
      if (x < v) lo = mid + 1;
      else if (x > v) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  has(m: string): boolean {
    if (this.ints !== null) {
      const v = memberToInt(m);
      return v !== null && this.search(v) >= 0;
    }
    return this.index.has(m);
  }

  /** setTypeConvert to hashtable (members in intset order). */
  toHashtable(): void {
    if (this.ints === null) return;
    const ints = this.ints;
    this.ints = null;
    this.members = [];
    this.index = new Map();
    for (const v of ints) this.htAdd(v.toString());
  }

  private htAdd(m: string): boolean {
    if (this.index.has(m)) return false;
    this.index.set(m, this.members.length);
    this.members.push(m);
    return true;
  }

  /** setTypeAdd: returns true if added. `maxIntset` is set-max-intset-entries. */
  add(m: string, maxIntset: number): boolean {
    if (this.ints !== null) {
      const v = memberToInt(m);
      if (v !== null) {
        const p = this.search(v);
        if (p >= 0) return false;
        this.ints.splice(-p - 1, 0, v);
        const max = Math.min(maxIntset, 1 << 30);
        if (this.ints.length > max) this.toHashtable();
        return true;
      }
      this.toHashtable();
    }
    return this.htAdd(m);
  }

  remove(m: string): boolean {
    if (this.ints !== null) {
      const v = memberToInt(m);
      if (v === null) return false;
      const p = this.search(v);
      if (p < 0) return false;
      this.ints.splice(p, 1);
      return true;
    }
    const i = this.index.get(m);
    if (i === undefined) return false;
    this.index.delete(m);
    const last = this.members.pop()!;
    if (last !== m) {
      this.members[i] = last;
      this.index.set(last, i);
    }
    return true;
  }

  /** A uniformly random member (the set must not be empty). */
  random(): string {
    if (this.ints !== null) return this.ints[Math.floor(Math.random() * this.ints.length)].toString();
    return this.members[Math.floor(Math.random() * this.members.length)];
  }

  /** Members in iteration order (intset: ascending). */
  *[Symbol.iterator](): IterableIterator<string> {
    if (this.ints !== null) {
      for (const v of this.ints) yield v.toString();
    } else yield* this.members;
  }

  toArray(): string[] {
    return this.ints !== null ? this.ints.map(v => v.toString()) : this.members.slice();
  }

  clone(): SetValue {
    const s = new SetValue();
    if (this.ints !== null) s.ints = this.ints.slice();
    else {
      s.ints = null;
      s.members = this.members.slice();
      s.index = new Map(this.index);
    }
    return s;
  }
}

/** setTypeCreate: an intset if the first member is an integer, else a hashtable. */
export function newSetObject(firstMember: string): RObj {
  const s = new SetValue();
  if (memberToInt(firstMember) === null) s.ints = null;
  return new RObj('set', s, s.isIntset ? 'intset' : 'hashtable');
}

/** Keeps RObj.enc in step with the value after a mutation. */
export function syncSetEnc(o: RObj): void {
  o.enc = (o.value as SetValue).isIntset ? 'intset' : 'hashtable';
}

registerCopier('set', o => new RObj('set', (o.value as SetValue).clone(), o.enc));
