// ZSet skiplist against a sorted-array model: thousands of random inserts, score updates (in place and moving) and
// deletes over a few thousand members (so nodes of level > 4, kept out of line, are exercised), with ties, -0, ±inf,
// and members differing only in byte order. Checks order, backward links, every level's chain, every rank both ways
// (rankOf / byRank walk the spans at all levels), score and lex range lookups and counts, and rank/score/lex deletes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZSet, LEX_MIN, LEX_MAX, type ZNode, type ScoreRange, type LexRange } from '../../src/store/zset.js';

type Ent = [string, number];

function cmp(a: Ent, b: Ent): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function makeRng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return n => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 4294967296) * n);
  };
}

const SCORES = [-Infinity, Infinity, -0, 0, 1.5, -2.25, 1e300, -1e-300];

function randScore(rnd: (n: number) => number): number {
  const k = rnd(20);
  if (k === 0) return SCORES[rnd(SCORES.length)];
  if (k < 4) return rnd(5); // many ties
  if (k < 6) return rnd(1000) / 8;
  return rnd(100000);
}

function randMember(rnd: (n: number) => number, space: number): string {
  const i = rnd(space);
  // latin1 members, some sharing prefixes and some with high bytes
  return i % 7 === 0 ? 'm\xff' + i : i % 5 === 0 ? 'm' + String.fromCharCode(i % 256) + i : 'member:' + i;
}

function check(z: ZSet, model: Ent[], rnd: (n: number) => number, full: boolean): void {
  assert.equal(z.length, model.length);
  // level 0 order and backward links
  const got: Ent[] = [];
  // node 0 is the header and doubles as null
  let prev: ZNode = 0;
  for (let n = z.first(); n !== 0; n = z.nextOf(n)) {
    assert.equal(z.prevOf(n), prev);
    got.push([z.eleOf(n), z.scoreOf(n)]);
    prev = n;
  }
  assert.equal(z.tail, prev);
  assert.deepEqual(got, model);
  // every level's chain is the subsequence of nodes with level > i, in order
  const all: ZNode[] = [];
  for (let n = z.first(); n !== 0; n = z.nextOf(n)) all.push(n);
  for (let i = 1; i < z.level; i++) {
    const chain: ZNode[] = [];
    for (let n = z.forwardAt(z.header, i); n !== 0; n = z.forwardAt(n, i)) chain.push(n);
    assert.deepEqual(chain, all.filter(n => z.levelOf(n) > i));
  }
  for (let i = z.level; i < 32; i++) assert.equal(z.forwardAt(z.header, i), 0);
  if (z.length > 0) assert.ok(z.level === 1 || z.forwardAt(z.header, z.level - 1) !== 0);
  // random-pick index: every live node exactly once, each knowing its position
  const picked = new Set<ZNode>();
  for (let i = 0; i < model.length; i++) {
    const n = z.livePick(i);
    assert.equal(z.livePos(n), i);
    picked.add(n);
  }
  assert.deepEqual([...picked].sort((a, b) => a - b), [...all].sort((a, b) => a - b));
  // ranks through the spans
  const step = full ? 1 : Math.max(1, Math.floor(model.length / 50));
  for (let r = rnd(step); r < model.length; r += step) {
    assert.equal(z.rankOf(model[r][0]), r + 1);
    assert.equal(z.eleOf(z.byRank(r + 1)), model[r][0]);
  }
  assert.equal(z.byRank(0), 0);
  assert.equal(z.byRank(model.length + 1), 0);
  assert.equal(z.rankOf('absent'), 0);
}

function eleOrNull(z: ZSet, n: ZNode): string | null {
  return n === 0 ? null : z.eleOf(n);
}

function inScore(v: number, r: ScoreRange): boolean {
  return (r.minex ? v > r.min : v >= r.min) && (r.maxex ? v < r.max : v <= r.max);
}

test('skiplist matches a sorted-array model through random inserts, updates and deletes', () => {
  const rnd = makeRng(20240601);
  const z = new ZSet();
  const map = new Map<string, number>();
  let model: Ent[] = [];
  const resort = () => {
    model = [...map].sort(cmp);
  };
  const SPACE = 3000;
  for (let step = 0; step < 12000; step++) {
    const op = rnd(100);
    const m = randMember(rnd, SPACE);
    if (op < 45) {
      const s = randScore(rnd);
      if (map.has(m)) z.updateScore(m, s);
      else z.insert(s, m);
      map.set(m, s);
    } else if (op < 60) {
      // small score nudge: often stays in place
      const cur = map.get(m);
      if (cur !== undefined && Number.isFinite(cur)) {
        const s = cur + (rnd(3) - 1) * 0.5;
        z.updateScore(m, s);
        map.set(m, s);
      }
    } else if (op < 80) {
      assert.equal(z.delete(m), map.delete(m));
    } else if (op < 90) {
      resort();
      // score range lookups
      const a = randScore(rnd);
      const b = randScore(rnd);
      const r: ScoreRange = { min: Math.min(a, b), max: Math.max(a, b), minex: rnd(2) === 1, maxex: rnd(2) === 1 };
      const inr = model.filter(e => inScore(e[1], r));
      assert.equal(z.countInRange(r), inr.length);
      assert.equal(eleOrNull(z, z.firstInRange(r)), inr.length ? inr[0][0] : null);
      assert.equal(eleOrNull(z, z.lastInRange(r)), inr.length ? inr[inr.length - 1][0] : null);
    } else if (op < 93) {
      resort();
      if (model.length > 2) {
        const a = rnd(model.length);
        const b = Math.min(model.length - 1, a + rnd(8));
        assert.equal(z.deleteRangeByRank(a + 1, b + 1), b - a + 1);
        for (let i = a; i <= b; i++) map.delete(model[i][0]);
      }
    } else if (op < 95) {
      resort();
      const lo = randScore(rnd);
      const r: ScoreRange = { min: lo, max: lo + rnd(3), minex: rnd(2) === 1, maxex: rnd(2) === 1 };
      const inr = model.filter(e => inScore(e[1], r));
      assert.equal(z.deleteRangeByScore(r), inr.length);
      for (const e of inr) map.delete(e[0]);
    } else {
      // lex ranges over an all-equal-score set are checked separately; here: lookups by rank on the live set
      resort();
      if (model.length) {
        const r = 1 + rnd(model.length);
        assert.equal(z.scoreOf(z.byRank(r)), model[r - 1][1]);
      }
    }
    if (step % 499 === 0 || step === 11999) {
      resort();
      check(z, model, rnd, step % 2995 === 0 || step === 11999);
    }
  }
  resort();
  check(z, model, rnd, true);
  // clone is equal and independent
  const c = z.clone();
  check(c, model, rnd, true);
  if (model.length) {
    c.delete(model[0][0]);
    check(z, model, rnd, false);
  }
  // drain
  for (const [m] of [...map]) {
    assert.equal(z.delete(m), true);
    map.delete(m);
  }
  check(z, [], rnd, true);
  assert.equal(z.level, 1);
  assert.equal(z.first(), 0);
  assert.equal(z.tail, 0);
});

test('lex ranges over equal scores match the model', () => {
  const rnd = makeRng(7);
  const z = new ZSet();
  const set = new Set<string>();
  for (let i = 0; i < 3000; i++) {
    const m = randMember(rnd, 5000);
    if (!set.has(m)) {
      z.insert(0, m);
      set.add(m);
    }
  }
  let model = [...set].sort();
  const bound = () => {
    const k = rnd(12);
    return k === 0 ? LEX_MIN : k === 1 ? LEX_MAX : k < 6 ? model[rnd(model.length)] : randMember(rnd, 5000);
  };
  const lexIn = (v: string, r: LexRange) => {
    const gmin = r.min === LEX_MIN ? true : r.min === LEX_MAX ? false : r.minex ? v > r.min : v >= r.min;
    const lmax = r.max === LEX_MAX ? true : r.max === LEX_MIN ? false : r.maxex ? v < r.max : v <= r.max;
    return gmin && lmax;
  };
  for (let i = 0; i < 400; i++) {
    const r: LexRange = { min: bound(), max: bound(), minex: rnd(2) === 1, maxex: rnd(2) === 1 };
    const inr = model.filter(v => lexIn(v, r));
    assert.equal(z.countInLexRange(r), inr.length);
    assert.equal(eleOrNull(z, z.firstInLexRange(r)), inr.length ? inr[0] : null);
    assert.equal(eleOrNull(z, z.lastInLexRange(r)), inr.length ? inr[inr.length - 1] : null);
    if (i % 10 === 0) {
      assert.equal(z.deleteRangeByLex(r), inr.length);
      for (const v of inr) set.delete(v);
      model = [...set].sort();
      check(z, model.map(v => [v, 0] as Ent), rnd, false);
    }
  }
});

test('short score moves (new position just past a taller neighbour) keep ranks and spans right', () => {
  const rnd = makeRng(99);
  const z = new ZSet();
  const map = new Map<string, number>();
  for (let i = 0; i < 2000; i++) {
    z.insert(i, 'e' + i);
    map.set('e' + i, i);
  }
  for (let step = 0; step < 20000; step++) {
    const m = 'e' + rnd(2000);
    const s = map.get(m)! + (rnd(13) - 6) * 0.75;
    z.updateScore(m, s);
    map.set(m, s);
    if (step % 1999 === 0) check(z, [...map].sort(cmp), rnd, step % 5997 === 0);
  }
  check(z, [...map].sort(cmp), rnd, true);
});
