// Sorted set value: a member → score map plus a skiplist with spans ordered by (score, member bytes) (Redis: t_zset.c zset/zskiplist).
// Members are latin1 strings (one char per byte), so JS string comparison is memcmp order.
// The OBJECT ENCODING name (listpack / skiplist) is tracked on the RObj (enc) by the command layer, switching at Redis's thresholds.
//
// Layout. The skiplist's nodes are not JS objects but int32 indices into typed arrays, so a descent reads flat memory
// instead of chasing 136-byte heap objects (each non-integer score boxed separately):
//
//   rec   Int32Array, one 64-byte record (STRIDE int32 slots, cache-line sized) per node:
//           [0..1]  score, read and written through `f64` (a Float64Array view of the same buffer, slot FSTRIDE*n)
//           [2..9]  forward pointer and span of levels 0-3 (F(i) = 2 + 2i, S(i) = 3 + 2i): 99.6% of nodes have at
//                   most 4 levels with p = 1/4, so one step of a search touches one record, as Redis's node with its
//                   inline level[] does
//           [10]    backward pointer   [11] position in `live`   [12] level (0 once freed)
//   up    levels >= 4 out of line: up[n] = Int32Array [forward4, span4, forward5, span5, ...], null for short nodes
//   eles  the member strings, a plain JS array indexed by node
//   live  the live nodes, densely packed (rec[n*STRIDE + 11] is n's position): O(1) uniform random member
//
// Node 0 is the header (all 32 levels; levels 4-31 in up[0]) and is never anyone's successor, so 0 also serves as
// null: a forward pointer of 0 ends a level, the first node's backward is 0, first() / tail are 0 when empty.
// Callers walk with nextOf / prevOf and read nodes with scoreOf / eleOf. Freed records are chained through their
// level-0 forward slot and reused first; the arrays grow by doubling and, when the live count falls below a quarter
// of the capacity (or to zero), are rebuilt at a smaller size with the nodes renumbered in list order. Node indices
// are therefore only valid until the next delete: a caller must not hold one across delete / deleteRange*.

export const ZSKIPLIST_MAXLEVEL = 32;
const ZSKIPLIST_P = 0.25;

/** A node: an index into the ZSet's arrays (0 = the header, or null). Valid until the set's next delete. */
export type ZNode = number;

const STRIDE = 16; // int32 slots per record
const FSTRIDE = STRIDE / 2; // the same in float64 slots
const F0 = 2; // level-0 forward; level i's forward is at F0 + 2i and its span right after
const BACK = 10;
const POS = 11;
const LEVEL = 12;
const INLINE_LEVELS = 4;
const MIN_CAP = 8;

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

const updateScratch = new Int32Array(ZSKIPLIST_MAXLEVEL);
const rankScratch = new Float64Array(ZSKIPLIST_MAXLEVEL);
const oldScratch = new Int32Array(ZSKIPLIST_MAXLEVEL);

export class ZSet {
  readonly dict = new Map<string, number>();
  /** the header node */
  readonly header: ZNode = 0;
  /** last node, 0 if empty */
  tail: ZNode = 0;
  level = 1;
  private rec!: Int32Array;
  private f64!: Float64Array;
  private up!: (Int32Array | null)[];
  private eles!: string[];
  private live!: Int32Array;
  private cap = 0;
  /** records [0, hwm) have been handed out at least once */
  private hwm = 1;
  /** head of the free-record chain (0: none) */
  private freeHead = 0;

  constructor() {
    this.reset(MIN_CAP);
  }

  /** Fresh, empty arrays of `cap` records (just the header). */
  private reset(cap: number): void {
    this.cap = cap;
    const buf = new ArrayBuffer(cap * STRIDE * 4);
    this.rec = new Int32Array(buf);
    this.f64 = new Float64Array(buf);
    this.live = new Int32Array(cap);
    this.rec[LEVEL] = ZSKIPLIST_MAXLEVEL;
    this.up = [new Int32Array(2 * (ZSKIPLIST_MAXLEVEL - INLINE_LEVELS))];
    this.eles = [''];
    this.hwm = 1;
    this.freeHead = 0;
    this.tail = 0;
    this.level = 1;
  }

  get length(): number {
    return this.dict.size;
  }

  first(): ZNode {
    return this.rec[F0];
  }

  score(ele: string): number | undefined {
    return this.dict.get(ele);
  }

  // ---- node accessors (n: a live node; 0 for "none") ----

  scoreOf(n: ZNode): number {
    return this.f64[n * FSTRIDE];
  }
  eleOf(n: ZNode): string {
    return this.eles[n];
  }
  /** level-0 successor, 0 at the end */
  nextOf(n: ZNode): ZNode {
    return this.rec[n * STRIDE + F0];
  }
  /** predecessor, 0 for the first node */
  prevOf(n: ZNode): ZNode {
    return this.rec[n * STRIDE + BACK];
  }
  levelOf(n: ZNode): number {
    return this.rec[n * STRIDE + LEVEL];
  }
  /** Forward pointer of `n` at `level` (0 = none). For tests and debugging; the header answers for all 32 levels. */
  forwardAt(n: ZNode, level: number): ZNode {
    return this.fw(n, level);
  }
  /** The i-th entry of the random-pick array and a node's position in it (tests). */
  livePick(i: number): ZNode {
    return this.live[i];
  }
  livePos(n: ZNode): number {
    return this.rec[n * STRIDE + POS];
  }
  /**
   * Overwrites a node's score where the ordering cannot change (e.g. -0 → 0 when converting to listpack); the caller
   * keeps `dict` in step.
   */
  setScoreInPlace(n: ZNode, score: number): void {
    this.f64[n * FSTRIDE] = score;
  }

  private fw(x: ZNode, i: number): ZNode {
    return i < INLINE_LEVELS ? this.rec[x * STRIDE + F0 + 2 * i] : this.up[x]![2 * i - 2 * INLINE_LEVELS];
  }
  private span(x: ZNode, i: number): number {
    return i < INLINE_LEVELS ? this.rec[x * STRIDE + F0 + 1 + 2 * i] : this.up[x]![2 * i - 2 * INLINE_LEVELS + 1];
  }
  private setFw(x: ZNode, i: number, v: ZNode): void {
    if (i < INLINE_LEVELS) this.rec[x * STRIDE + F0 + 2 * i] = v;
    else this.up[x]![2 * i - 2 * INLINE_LEVELS] = v;
  }
  private setSpan(x: ZNode, i: number, v: number): void {
    if (i < INLINE_LEVELS) this.rec[x * STRIDE + F0 + 1 + 2 * i] = v;
    else this.up[x]![2 * i - 2 * INLINE_LEVELS + 1] = v;
  }

  /** A record for a new node (links unset): a freed one if any, else the next unused one, growing the arrays. */
  private allocNode(level: number, score: number, ele: string, pos: number): ZNode {
    let n = this.freeHead;
    if (n !== 0) {
      this.freeHead = this.rec[n * STRIDE + F0];
      this.eles[n] = ele;
      this.up[n] = level > INLINE_LEVELS ? new Int32Array(2 * (level - INLINE_LEVELS)) : null;
    } else {
      if (this.hwm === this.cap) this.grow();
      n = this.hwm++;
      this.eles.push(ele);
      this.up.push(level > INLINE_LEVELS ? new Int32Array(2 * (level - INLINE_LEVELS)) : null);
    }
    const rec = this.rec;
    const b = n * STRIDE;
    for (let i = F0; i < STRIDE; i++) rec[i + b] = 0;
    this.f64[n * FSTRIDE] = score;
    rec[b + LEVEL] = level;
    rec[b + POS] = pos; // the number of live nodes before this one
    this.live[pos] = n;
    return n;
  }

  /** Returns a record to the free chain and drops it from the random-pick array. */
  private freeNode(x: ZNode): void {
    const rec = this.rec;
    const b = x * STRIDE;
    const pos = rec[b + POS];
    const lastPos = this.dict.size - 1; // the caller deletes from dict afterwards
    const last = this.live[lastPos];
    this.live[pos] = last;
    rec[last * STRIDE + POS] = pos;
    rec[b + LEVEL] = 0;
    rec[b + F0] = this.freeHead;
    this.freeHead = x;
    this.eles[x] = '';
    this.up[x] = null;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const buf = new ArrayBuffer(cap * STRIDE * 4);
    const rec = new Int32Array(buf);
    rec.set(this.rec);
    this.rec = rec;
    this.f64 = new Float64Array(buf);
    const live = new Int32Array(cap);
    live.set(this.live);
    this.live = live;
    this.cap = cap;
  }

  /** After deletes: rebuild smaller once the live nodes fill less than a quarter of the records. */
  private maybeShrink(): void {
    const n = this.dict.size;
    if (n === 0) {
      if (this.cap > MIN_CAP) this.reset(MIN_CAP);
      else if (this.hwm > 1) {
        // small: just forget the freed records
        this.reset(this.cap);
      }
      return;
    }
    if (this.cap > MIN_CAP && n + 1 < this.cap / 4) {
      let cap = MIN_CAP;
      while (cap < 2 * (n + 1)) cap *= 2;
      this.compact(cap);
    }
  }

  /** Copies the live nodes into fresh arrays of `cap` records, renumbered 1..n in list order (header stays 0). */
  private compact(cap: number): void {
    const orec = this.rec;
    const of64 = this.f64;
    const oup = this.up;
    const oeles = this.eles;
    const map = new Int32Array(this.hwm);
    let k = 0;
    for (let n = orec[F0]; n !== 0; n = orec[n * STRIDE + F0]) map[n] = ++k;
    const buf = new ArrayBuffer(cap * STRIDE * 4);
    const rec = new Int32Array(buf);
    const f64 = new Float64Array(buf);
    const live = new Int32Array(cap);
    const up: (Int32Array | null)[] = new Array(k + 1);
    const eles: string[] = new Array(k + 1);
    for (let n = 0, nn = 0; ; ) {
      const ob = n * STRIDE;
      const nb = nn * STRIDE;
      f64[nn * FSTRIDE] = of64[n * FSTRIDE];
      for (let i = 0; i < INLINE_LEVELS; i++) {
        rec[nb + F0 + 2 * i] = map[orec[ob + F0 + 2 * i]];
        rec[nb + F0 + 2 * i + 1] = orec[ob + F0 + 2 * i + 1];
      }
      rec[nb + BACK] = map[orec[ob + BACK]];
      rec[nb + LEVEL] = orec[ob + LEVEL];
      if (nn > 0) {
        rec[nb + POS] = nn - 1;
        live[nn - 1] = nn;
      }
      const ou = oup[n];
      if (ou !== null) {
        const u = new Int32Array(ou.length);
        for (let j = 0; j < ou.length; j += 2) {
          u[j] = map[ou[j]];
          u[j + 1] = ou[j + 1];
        }
        up[nn] = u;
      } else up[nn] = null;
      eles[nn] = oeles[n];
      n = orec[ob + F0];
      if (n === 0) break;
      nn = map[n];
    }
    this.rec = rec;
    this.f64 = f64;
    this.live = live;
    this.up = up;
    this.eles = eles;
    this.cap = cap;
    this.hwm = k + 1;
    this.freeHead = 0;
    this.tail = map[this.tail];
  }

  /** Inserts a member that must not exist. */
  insert(score: number, ele: string): ZNode {
    const update = updateScratch;
    const rank = rankScratch;
    const f64 = this.f64;
    const eles = this.eles;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let r = i === this.level - 1 ? 0 : rank[i + 1];
      let n = this.fw(x, i);
      while (n !== 0) {
        const s = f64[n * FSTRIDE];
        if (!(s < score || (s === score && eles[n] < ele))) break;
        r += this.span(x, i);
        x = n;
        n = this.fw(x, i);
      }
      rank[i] = r;
      update[i] = x;
    }
    return this.insertAt(score, ele, this.dict.size);
  }

  /** Links a new node after updateScratch[i] at each level i, rankScratch[i] being that node's rank (zslInsert's second half). */
  private insertAt(score: number, ele: string, len: number): ZNode {
    // len: the number of nodes in the list before this one is linked
    const update = updateScratch;
    const rank = rankScratch;
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = 0;
        this.setSpan(0, i, len);
      }
      this.level = level;
    }
    const node = this.allocNode(level, score, ele, len);
    const r0 = rank[0];
    for (let i = 0; i < level; i++) {
      const u = update[i];
      this.setFw(node, i, this.fw(u, i));
      this.setFw(u, i, node);
      this.setSpan(node, i, this.span(u, i) - (r0 - rank[i]));
      this.setSpan(u, i, r0 - rank[i] + 1);
    }
    for (let i = level; i < this.level; i++) this.setSpan(update[i], i, this.span(update[i], i) + 1);
    const rec = this.rec;
    rec[node * STRIDE + BACK] = update[0]; // the header (0) reads as null
    const nx = rec[node * STRIDE + F0];
    if (nx !== 0) rec[nx * STRIDE + BACK] = node;
    else this.tail = node;
    this.dict.set(ele, score);
    return node;
  }

  /** Unlinks x given its predecessors at every level and frees its record (the caller then deletes it from dict). */
  private unlinkNode(x: ZNode, update: Int32Array): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (this.fw(u, i) === x) {
        this.setSpan(u, i, this.span(u, i) + this.span(x, i) - 1);
        this.setFw(u, i, this.fw(x, i));
      } else {
        this.setSpan(u, i, this.span(u, i) - 1);
      }
    }
    const rec = this.rec;
    const nx = rec[x * STRIDE + F0];
    const bk = rec[x * STRIDE + BACK];
    if (nx !== 0) rec[nx * STRIDE + BACK] = bk;
    else this.tail = bk;
    while (this.level > 1 && this.fw(0, this.level - 1) === 0) this.level--;
    this.freeNode(x);
  }

  private findUpdate(score: number, ele: string): ZNode {
    const update = updateScratch;
    const f64 = this.f64;
    const eles = this.eles;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = this.fw(x, i);
      while (n !== 0) {
        const s = f64[n * FSTRIDE];
        if (!(s < score || (s === score && eles[n] < ele))) break;
        x = n;
        n = this.fw(x, i);
      }
      update[i] = x;
    }
    return x;
  }

  /** Removes a member; returns false if it was not there. */
  delete(ele: string): boolean {
    const score = this.dict.get(ele);
    if (score === undefined) return false;
    const x = this.nextOf(this.findUpdate(score, ele));
    this.unlinkNode(x, updateScratch);
    this.dict.delete(ele);
    this.maybeShrink();
    return true;
  }

  /**
   * Changes the score of an existing member (zslUpdateScore). One descent finds both the member's predecessors
   * (oldScratch) and the new position's predecessors and ranks (updateScratch / rankScratch), stepping the two
   * searches in lockstep so their cache misses overlap; the new position is then corrected for the unlinked node.
   * A moved member is relinked in the record it just freed.
   */
  updateScore(ele: string, newscore: number, cur: number = this.dict.get(ele)!): void {
    const old = oldScratch;
    const update = updateScratch;
    const rank = rankScratch;
    const rec = this.rec;
    const f64 = this.f64;
    const eles = this.eles;
    const top = this.level;
    let x = 0;
    let y = 0;
    for (let i = top - 1; i >= 0; i--) {
      let r = i === top - 1 ? 0 : rank[i + 1];
      if (i < INLINE_LEVELS) {
        const fo = F0 + 2 * i;
        let n = rec[x * STRIDE + fo];
        let m = rec[y * STRIDE + fo];
        for (;;) {
          let an = false;
          if (n !== 0) {
            const s = f64[n * FSTRIDE];
            an = s < cur || (s === cur && eles[n] < ele);
          }
          let am = false;
          if (m !== 0) {
            const s = f64[m * FSTRIDE];
            am = s < newscore || (s === newscore && eles[m] < ele);
          }
          if (an) {
            x = n;
            n = rec[x * STRIDE + fo];
          }
          if (am) {
            r += rec[y * STRIDE + fo + 1];
            y = m;
            m = rec[y * STRIDE + fo];
          }
          if (!an && !am) break;
        }
      } else {
        let n = this.fw(x, i);
        let m = this.fw(y, i);
        for (;;) {
          const an = n !== 0 && (f64[n * FSTRIDE] < cur || (f64[n * FSTRIDE] === cur && eles[n] < ele));
          const am = m !== 0 && (f64[m * FSTRIDE] < newscore || (f64[m * FSTRIDE] === newscore && eles[m] < ele));
          if (an) {
            x = n;
            n = this.fw(x, i);
          }
          if (am) {
            r += this.span(y, i);
            y = m;
            m = this.fw(y, i);
          }
          if (!an && !am) break;
        }
      }
      old[i] = x;
      update[i] = y;
      rank[i] = r;
    }
    const t = rec[x * STRIDE + F0];
    const tb = rec[t * STRIDE + BACK];
    const tn = rec[t * STRIDE + F0];
    // Position unchanged: update in place.
    if (
      (tb === 0 || f64[tb * FSTRIDE] < newscore || (f64[tb * FSTRIDE] === newscore && eles[tb] < ele)) &&
      (tn === 0 || f64[tn * FSTRIDE] > newscore || (f64[tn * FSTRIDE] === newscore && eles[tn] > ele))
    ) {
      f64[t * FSTRIDE] = newscore;
      this.dict.set(ele, newscore);
      return;
    }
    // Re-express the new position as if t were already gone: t itself is replaced by its predecessor at that level
    // (whose rank is t's minus the span that reached t), and every rank at or after t drops by one.
    for (let i = 0; i < top; i++) {
      const u = update[i];
      if (u === t) {
        update[i] = old[i];
        rank[i] -= this.span(old[i], i);
      } else if (u !== 0) {
        const us = f64[u * FSTRIDE];
        if (cur < us || (cur === us && ele < eles[u])) rank[i] -= 1;
      }
    }
    this.unlinkNode(t, old);
    // the member stays in dict: insertAt's set only updates its score (one Map operation instead of delete + set)
    this.insertAt(newscore, ele, this.dict.size - 1);
  }

  /** A uniformly random node (the set must not be empty). */
  random(): ZNode {
    return this.live[Math.floor(Math.random() * this.dict.size)];
  }

  /** 1-based rank of a member (0 if absent). */
  rankOf(ele: string): number {
    const score = this.dict.get(ele);
    if (score === undefined) return 0;
    const f64 = this.f64;
    const eles = this.eles;
    let rank = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = this.fw(x, i);
      while (n !== 0) {
        const s = f64[n * FSTRIDE];
        if (!(s < score || (s === score && eles[n] <= ele))) break;
        rank += this.span(x, i);
        x = n;
        n = this.fw(x, i);
      }
      if (x !== 0 && eles[x] === ele) return rank;
    }
    return 0;
  }

  /** Node at 1-based rank, or 0. */
  byRank(rank: number): ZNode {
    if (rank < 1 || rank > this.dict.size) return 0;
    let traversed = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      while (this.fw(x, i) !== 0 && traversed + this.span(x, i) <= rank) {
        traversed += this.span(x, i);
        x = this.fw(x, i);
      }
      if (traversed === rank) return x;
    }
    return 0;
  }

  isInRange(r: ScoreRange): boolean {
    if (r.min > r.max || (r.min === r.max && (r.minex || r.maxex))) return false;
    const t = this.tail;
    if (t === 0 || !valueGteMin(this.scoreOf(t), r)) return false;
    const f = this.first();
    if (f === 0 || !valueLteMax(this.scoreOf(f), r)) return false;
    return true;
  }

  /** Last node before the score range (the header if none), filling updateScratch with every level's predecessor. */
  private beforeScoreRange(r: ScoreRange): ZNode {
    const update = updateScratch;
    const f64 = this.f64;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = this.fw(x, i);
      while (n !== 0 && !valueGteMin(f64[n * FSTRIDE], r)) {
        x = n;
        n = this.fw(x, i);
      }
      update[i] = x;
    }
    return x;
  }

  private beforeLexRange(r: LexRange): ZNode {
    const update = updateScratch;
    const eles = this.eles;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = this.fw(x, i);
      while (n !== 0 && !lexGteMin(eles[n], r)) {
        x = n;
        n = this.fw(x, i);
      }
      update[i] = x;
    }
    return x;
  }

  firstInRange(r: ScoreRange): ZNode {
    if (!this.isInRange(r)) return 0;
    const n = this.nextOf(this.beforeScoreRange(r));
    if (n === 0 || !valueLteMax(this.scoreOf(n), r)) return 0;
    return n;
  }

  lastInRange(r: ScoreRange): ZNode {
    if (!this.isInRange(r)) return 0;
    const f64 = this.f64;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = this.fw(x, i);
      while (n !== 0 && valueLteMax(f64[n * FSTRIDE], r)) {
        x = n;
        n = this.fw(x, i);
      }
    }
    if (x === 0 || !valueGteMin(f64[x * FSTRIDE], r)) return 0;
    return x;
  }

  isInLexRange(r: LexRange): boolean {
    const c = cmpLex(r.min, r.max);
    if (c > 0 || (c === 0 && (r.minex || r.maxex))) return false;
    const t = this.tail;
    if (t === 0 || !lexGteMin(this.eles[t], r)) return false;
    const f = this.first();
    if (f === 0 || !lexLteMax(this.eles[f], r)) return false;
    return true;
  }

  firstInLexRange(r: LexRange): ZNode {
    if (!this.isInLexRange(r)) return 0;
    const n = this.nextOf(this.beforeLexRange(r));
    if (n === 0 || !lexLteMax(this.eles[n], r)) return 0;
    return n;
  }

  lastInLexRange(r: LexRange): ZNode {
    if (!this.isInLexRange(r)) return 0;
    const eles = this.eles;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = this.fw(x, i);
      while (n !== 0 && lexLteMax(eles[n], r)) {
        x = n;
        n = this.fw(x, i);
      }
    }
    if (x === 0 || !lexGteMin(eles[x], r)) return 0;
    return x;
  }

  /** Number of members with score in range, O(log n). */
  countInRange(r: ScoreRange): number {
    const f = this.firstInRange(r);
    if (f === 0) return 0;
    const l = this.lastInRange(r);
    return this.rankOf(this.eles[l]) - this.rankOf(this.eles[f]) + 1;
  }

  countInLexRange(r: LexRange): number {
    const f = this.firstInLexRange(r);
    if (f === 0) return 0;
    const l = this.lastInLexRange(r);
    return this.rankOf(this.eles[l]) - this.rankOf(this.eles[f]) + 1;
  }

  /** Deletes the nodes from `x` (inclusive) going forward while `inRange(x)`, updateScratch holding x's predecessors. */
  private deleteFrom(x: ZNode, inRange: (n: ZNode) => boolean, limit = Infinity): number {
    const update = updateScratch;
    let removed = 0;
    while (x !== 0 && removed < limit && inRange(x)) {
      const next = this.nextOf(x);
      const ele = this.eles[x];
      this.unlinkNode(x, update);
      this.dict.delete(ele);
      removed++;
      x = next;
    }
    this.maybeShrink();
    return removed;
  }

  deleteRangeByScore(r: ScoreRange): number {
    const x = this.beforeScoreRange(r);
    return this.deleteFrom(this.nextOf(x), n => valueLteMax(this.f64[n * FSTRIDE], r));
  }

  deleteRangeByLex(r: LexRange): number {
    const x = this.beforeLexRange(r);
    return this.deleteFrom(this.nextOf(x), n => lexLteMax(this.eles[n], r));
  }

  /** Deletes 1-based ranks [start, end]. */
  deleteRangeByRank(start: number, end: number): number {
    const update = updateScratch;
    let traversed = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      while (this.fw(x, i) !== 0 && traversed + this.span(x, i) < start) {
        traversed += this.span(x, i);
        x = this.fw(x, i);
      }
      update[i] = x;
    }
    return this.deleteFrom(this.nextOf(x), () => true, end - start + 1);
  }

  /** Copy (zsetDup). */
  clone(): ZSet {
    const z = new ZSet();
    // Insert in reverse order so each insertion is at the head: O(n) overall.
    for (let n = this.tail; n !== 0; n = this.prevOf(n)) z.insert(this.scoreOf(n), this.eles[n]);
    return z;
  }
}

/** Score text (%.17g): the shared formatter, which has the fast path for common scores. */
export { formatDouble as fmtScore } from '../protocol/numfmt.js';
