// Sorted set value: a member → score map plus a skiplist with spans ordered by (score, member bytes) (Redis: t_zset.c zset/zskiplist).
// Members are latin1 strings (one char per byte), so JS string comparison is memcmp order.
// The OBJECT ENCODING name (listpack / skiplist) is tracked on the RObj (enc) by the command layer, switching at Redis's thresholds.

export const ZSKIPLIST_MAXLEVEL = 32;
const ZSKIPLIST_P = 0.25;

/**
 * Skiplist node. The forward pointer and span of levels 0-3 are fields of the node itself (99.6% of nodes have at
 * most 4 levels with p = 1/4), so visiting a node during a search touches one object, as Redis's zskiplistNode with
 * its inline level[] does; levels 4+ live in `up` as interleaved [forward, span] pairs. Walk the list with `next`
 * (level-0 forward) and `backward`.
 */
export class ZNode {
  score: number;
  ele: string;
  /** level-0 forward pointer and span */
  next: ZNode | null = null;
  s0 = 0;
  f1: ZNode | null = null;
  s1 = 0;
  f2: ZNode | null = null;
  s2 = 0;
  f3: ZNode | null = null;
  s3 = 0;
  /** levels >= 4: [forward4, span4, forward5, span5, ...], or null */
  up: (ZNode | null | number)[] | null;
  backward: ZNode | null = null;
  /** position in ZSet.nodes (O(1) random member, as dictGetFairRandomKey) */
  idx = -1;
  level: number;

  constructor(level: number, score: number, ele: string) {
    this.score = score;
    this.ele = ele;
    this.level = level;
    if (level > 4) {
      const up: (ZNode | null | number)[] = new Array(2 * (level - 4));
      for (let i = 0; i < up.length; i += 2) {
        up[i] = null;
        up[i + 1] = 0;
      }
      this.up = up;
    } else this.up = null;
  }

  /** Forward pointers by level (a copy; for tests and debugging, not for hot paths). */
  get fw(): (ZNode | null)[] {
    const out: (ZNode | null)[] = [];
    for (let i = 0; i < this.level; i++) out.push(fwAt(this, i));
    return out;
  }
}

function fwAt(x: ZNode, i: number): ZNode | null {
  switch (i) {
    case 0:
      return x.next;
    case 1:
      return x.f1;
    case 2:
      return x.f2;
    case 3:
      return x.f3;
    default:
      return x.up![2 * i - 8] as ZNode | null;
  }
}

function spanAt(x: ZNode, i: number): number {
  switch (i) {
    case 0:
      return x.s0;
    case 1:
      return x.s1;
    case 2:
      return x.s2;
    case 3:
      return x.s3;
    default:
      return x.up![2 * i - 7] as number;
  }
}

function setFw(x: ZNode, i: number, v: ZNode | null): void {
  switch (i) {
    case 0:
      x.next = v;
      break;
    case 1:
      x.f1 = v;
      break;
    case 2:
      x.f2 = v;
      break;
    case 3:
      x.f3 = v;
      break;
    default:
      x.up![2 * i - 8] = v;
  }
}

function setSpan(x: ZNode, i: number, v: number): void {
  switch (i) {
    case 0:
      x.s0 = v;
      break;
    case 1:
      x.s1 = v;
      break;
    case 2:
      x.s2 = v;
      break;
    case 3:
      x.s3 = v;
      break;
    default:
      x.up![2 * i - 7] = v;
  }
}

export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** Lexicographic bounds: a member string, or the special minimum / maximum strings ('-' and '+'). */
export const LEX_MIN: unique symbol = Symbol('lexmin');
export const LEX_MAX: unique symbol = Symbol('lexmax');
export type LexBound = string | typeof LEX_MIN | typeof LEX_MAX;
export interface LexRange {
  min: LexBound;
  max: LexBound;
  minex: boolean;
  maxex: boolean;
}

/** sdscmplex: compares bounds/values where LEX_MIN < every string < LEX_MAX. */
export function cmpLex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return (a as string) < (b as string) ? -1 : 1;
}

export function valueGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}
export function valueLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}
export function lexGteMin(v: string, r: LexRange): boolean {
  const c = cmpLex(v, r.min);
  return r.minex ? c > 0 : c >= 0;
}
export function lexLteMax(v: string, r: LexRange): boolean {
  const c = cmpLex(v, r.max);
  return r.maxex ? c < 0 : c <= 0;
}

function randomLevel(): number {
  let level = 1;
  while (level < ZSKIPLIST_MAXLEVEL && Math.random() < ZSKIPLIST_P) level++;
  return level;
}

/** (score, ele) strictly before (s2, e2) */
function before(score: number, ele: string, s2: number, e2: string): boolean {
  return score < s2 || (score === s2 && ele < e2);
}

const updateScratch: ZNode[] = new Array(ZSKIPLIST_MAXLEVEL);
const rankScratch: number[] = new Array(ZSKIPLIST_MAXLEVEL);
const oldScratch: ZNode[] = new Array(ZSKIPLIST_MAXLEVEL);

export class ZSet {
  readonly dict = new Map<string, number>();
  readonly header: ZNode = new ZNode(ZSKIPLIST_MAXLEVEL, 0, '');
  /** every node, in no particular order, for uniform random picks */
  readonly nodes: ZNode[] = [];
  tail: ZNode | null = null;
  level = 1;

  get length(): number {
    return this.dict.size;
  }

  first(): ZNode | null {
    return this.header.next;
  }

  score(ele: string): number | undefined {
    return this.dict.get(ele);
  }

  /** Inserts a member that must not exist. */
  insert(score: number, ele: string): ZNode {
    const update = updateScratch;
    const rank = rankScratch;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let n = fwAt(x, i);
      while (n !== null && before(n.score, n.ele, score, ele)) {
        rank[i] += spanAt(x, i);
        x = n;
        n = fwAt(x, i);
      }
      update[i] = x;
    }
    return this.insertAt(score, ele);
  }

  /** Links a new node after updateScratch[i] at each level i, rankScratch[i] being that node's rank (zslInsert's second half). */
  private insertAt(score: number, ele: string): ZNode {
    const update = updateScratch;
    const rank = rankScratch;
    const level = randomLevel();
    const len = this.dict.size; // dict not yet updated
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        setSpan(update[i], i, len);
      }
      this.level = level;
    }
    const node = new ZNode(level, score, ele);
    for (let i = 0; i < level; i++) {
      const u = update[i];
      setFw(node, i, fwAt(u, i));
      setFw(u, i, node);
      setSpan(node, i, spanAt(u, i) - (rank[0] - rank[i]));
      setSpan(u, i, rank[0] - rank[i] + 1);
    }
    for (let i = level; i < this.level; i++) setSpan(update[i], i, spanAt(update[i], i) + 1);
    node.backward = update[0] === this.header ? null : update[0];
    if (node.next !== null) node.next.backward = node;
    else this.tail = node;
    this.dict.set(ele, score);
    node.idx = this.nodes.length;
    this.nodes.push(node);
    return node;
  }

  private unlinkNode(x: ZNode, update: ZNode[]): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (fwAt(u, i) === x) {
        setSpan(u, i, spanAt(u, i) + spanAt(x, i) - 1);
        setFw(u, i, fwAt(x, i));
      } else {
        setSpan(u, i, spanAt(u, i) - 1);
      }
    }
    if (x.next !== null) x.next.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && fwAt(this.header, this.level - 1) === null) this.level--;
    const last = this.nodes.pop()!;
    if (last !== x) {
      this.nodes[x.idx] = last;
      last.idx = x.idx;
    }
  }

  private findUpdate(score: number, ele: string): ZNode {
    const update = updateScratch;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = fwAt(x, i);
      while (n !== null && before(n.score, n.ele, score, ele)) {
        x = n;
        n = fwAt(x, i);
      }
      update[i] = x;
    }
    return x;
  }

  /** Removes a member; returns false if it was not there. */
  delete(ele: string): boolean {
    const score = this.dict.get(ele);
    if (score === undefined) return false;
    const x = this.findUpdate(score, ele).next!;
    this.unlinkNode(x, updateScratch);
    this.dict.delete(ele);
    return true;
  }

  /**
   * Changes the score of an existing member (zslUpdateScore). One descent finds both the member's predecessors
   * (oldScratch) and the new position's predecessors and ranks (updateScratch / rankScratch), stepping the two
   * searches in lockstep so their cache misses overlap; the new position is then corrected for the unlinked node.
   */
  updateScore(ele: string, newscore: number): void {
    const cur = this.dict.get(ele)!;
    const old = oldScratch;
    const update = updateScratch;
    const rank = rankScratch;
    const header = this.header;
    const top = this.level;
    let x = header;
    let y = header;
    for (let i = top - 1; i >= 0; i--) {
      let r = i === top - 1 ? 0 : rank[i + 1];
      let n = fwAt(x, i);
      let m = fwAt(y, i);
      for (;;) {
        const an = n !== null && before(n.score, n.ele, cur, ele);
        const am = m !== null && before(m.score, m.ele, newscore, ele);
        if (an) {
          x = n!;
          n = fwAt(x, i);
        }
        if (am) {
          r += spanAt(y, i);
          y = m!;
          m = fwAt(y, i);
        }
        if (!an && !am) break;
      }
      old[i] = x;
      update[i] = y;
      rank[i] = r;
    }
    const t = x.next!;
    // Position unchanged: update in place.
    if (
      (t.backward === null || t.backward.score < newscore || (t.backward.score === newscore && t.backward.ele < ele)) &&
      (t.next === null || t.next.score > newscore || (t.next.score === newscore && t.next.ele > ele))
    ) {
      t.score = newscore;
      this.dict.set(ele, newscore);
      return;
    }
    // Re-express the new position as if t were already gone: t itself is replaced by its predecessor at that level
    // (whose rank is t's minus the span that reached t), and every rank at or after t drops by one.
    for (let i = 0; i < top; i++) {
      const u = update[i];
      if (u === t) {
        update[i] = old[i];
        rank[i] -= spanAt(old[i], i);
      } else if (u !== header && before(cur, ele, u.score, u.ele)) {
        rank[i] -= 1;
      }
    }
    this.unlinkNode(t, old);
    this.dict.delete(ele);
    this.insertAt(newscore, ele);
  }

  /** A uniformly random node (the set must not be empty). */
  random(): ZNode {
    return this.nodes[Math.floor(Math.random() * this.nodes.length)];
  }

  /** 1-based rank of a member (0 if absent). */
  rankOf(ele: string): number {
    const score = this.dict.get(ele);
    if (score === undefined) return 0;
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = fwAt(x, i);
      while (n !== null && (before(n.score, n.ele, score, ele) || (n.score === score && n.ele === ele))) {
        rank += spanAt(x, i);
        x = n;
        n = fwAt(x, i);
      }
      if (x !== this.header && x.ele === ele) return rank;
    }
    return 0;
  }

  /** Node at 1-based rank, or null. */
  byRank(rank: number): ZNode | null {
    if (rank < 1 || rank > this.dict.size) return null;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (fwAt(x, i) !== null && traversed + spanAt(x, i) <= rank) {
        traversed += spanAt(x, i);
        x = fwAt(x, i)!;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  isInRange(r: ScoreRange): boolean {
    if (r.min > r.max || (r.min === r.max && (r.minex || r.maxex))) return false;
    const t = this.tail;
    if (t === null || !valueGteMin(t.score, r)) return false;
    const f = this.header.next;
    if (f === null || !valueLteMax(f.score, r)) return false;
    return true;
  }

  firstInRange(r: ScoreRange): ZNode | null {
    if (!this.isInRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = fwAt(x, i);
      while (n !== null && !valueGteMin(n.score, r)) {
        x = n;
        n = fwAt(x, i);
      }
    }
    const n = x.next;
    if (n === null || !valueLteMax(n.score, r)) return null;
    return n;
  }

  lastInRange(r: ScoreRange): ZNode | null {
    if (!this.isInRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = fwAt(x, i);
      while (n !== null && valueLteMax(n.score, r)) {
        x = n;
        n = fwAt(x, i);
      }
    }
    if (x === this.header || !valueGteMin(x.score, r)) return null;
    return x;
  }

  isInLexRange(r: LexRange): boolean {
    const c = cmpLex(r.min, r.max);
    if (c > 0 || (c === 0 && (r.minex || r.maxex))) return false;
    const t = this.tail;
    if (t === null || !lexGteMin(t.ele, r)) return false;
    const f = this.header.next;
    if (f === null || !lexLteMax(f.ele, r)) return false;
    return true;
  }

  firstInLexRange(r: LexRange): ZNode | null {
    if (!this.isInLexRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = fwAt(x, i);
      while (n !== null && !lexGteMin(n.ele, r)) {
        x = n;
        n = fwAt(x, i);
      }
    }
    const n = x.next;
    if (n === null || !lexLteMax(n.ele, r)) return null;
    return n;
  }

  lastInLexRange(r: LexRange): ZNode | null {
    if (!this.isInLexRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = fwAt(x, i);
      while (n !== null && lexLteMax(n.ele, r)) {
        x = n;
        n = fwAt(x, i);
      }
    }
    if (x === this.header || !lexGteMin(x.ele, r)) return null;
    return x;
  }

  /** Number of members with score in range, O(log n). */
  countInRange(r: ScoreRange): number {
    const f = this.firstInRange(r);
    if (f === null) return 0;
    const l = this.lastInRange(r)!;
    return this.rankOf(l.ele) - this.rankOf(f.ele) + 1;
  }

  countInLexRange(r: LexRange): number {
    const f = this.firstInLexRange(r);
    if (f === null) return 0;
    const l = this.lastInLexRange(r)!;
    return this.rankOf(l.ele) - this.rankOf(f.ele) + 1;
  }

  /** Deletes the nodes from `x` (inclusive) going forward while `keep(x)` says it is in range. */
  private deleteFrom(x: ZNode | null, inRange: (n: ZNode) => boolean, limit = Infinity): number {
    const update = updateScratch;
    let removed = 0;
    while (x !== null && removed < limit && inRange(x)) {
      const next = x.next;
      this.unlinkNode(x, update);
      this.dict.delete(x.ele);
      removed++;
      x = next;
    }
    return removed;
  }

  deleteRangeByScore(r: ScoreRange): number {
    const update = updateScratch;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = fwAt(x, i);
      while (n !== null && !valueGteMin(n.score, r)) {
        x = n;
        n = fwAt(x, i);
      }
      update[i] = x;
    }
    return this.deleteFrom(x.next, n => valueLteMax(n.score, r));
  }

  deleteRangeByLex(r: LexRange): number {
    const update = updateScratch;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = fwAt(x, i);
      while (n !== null && !lexGteMin(n.ele, r)) {
        x = n;
        n = fwAt(x, i);
      }
      update[i] = x;
    }
    return this.deleteFrom(x.next, n => lexLteMax(n.ele, r));
  }

  /** Deletes 1-based ranks [start, end]. */
  deleteRangeByRank(start: number, end: number): number {
    const update = updateScratch;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (fwAt(x, i) !== null && traversed + spanAt(x, i) < start) {
        traversed += spanAt(x, i);
        x = fwAt(x, i)!;
      }
      update[i] = x;
    }
    return this.deleteFrom(x.next, () => true, end - start + 1);
  }

  /** Copy (zsetDup). */
  clone(): ZSet {
    const z = new ZSet();
    // Insert in reverse order so each insertion is at the head: O(n) overall.
    for (let n = this.tail; n !== null; n = n.backward) z.insert(n.score, n.ele);
    return z;
  }

  /** Largest member length in bytes and the sum of lengths. */
  eleLengths(): { max: number; total: number } {
    let max = 0;
    let total = 0;
    for (const k of this.dict.keys()) {
      if (k.length > max) max = k.length;
      total += k.length;
    }
    return { max, total };
  }
}

/** Score text (%.17g): the shared formatter, which has the fast path for common scores. */
export { formatDouble as fmtScore } from '../protocol/numfmt.js';
