// scanMap: every element present for the whole iteration is returned, despite inserts and deletes in between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanMap } from '../../src/store/scan.js';

function fullScan(m: Map<string, number>, count: number, between: (round: number) => void): Set<string> {
  const seen = new Set<string>();
  let cursor = '0';
  let round = 0;
  do {
    cursor = scanMap(m, cursor, count, k => {
      seen.add(k);
    });
    between(round++);
  } while (cursor !== '0');
  return seen;
}

test('scan returns everything once when nothing changes, cursor 0 at the end', () => {
  const m = new Map<string, number>();
  for (let i = 0; i < 1000; i++) m.set('k' + i, i);
  let visits = 0;
  let cursor = '0';
  do {
    cursor = scanMap(m, cursor, 7, () => visits++);
  } while (cursor !== '0');
  assert.equal(visits, 1000);
  // a map that fits in one call ends at once
  assert.equal(scanMap(m, '0', 1000, () => {}), '0');
});

test('scan guarantee under concurrent inserts and deletes', () => {
  const m = new Map<string, number>();
  for (let i = 0; i < 5000; i++) m.set('stable' + i, i);
  for (let i = 0; i < 5000; i++) m.set('churn' + i, i);
  let next = 0;
  const seen = fullScan(m, 10, round => {
    // delete and re-add churn keys, add new keys, all while scanning
    for (let j = 0; j < 20; j++) {
      m.delete('churn' + ((round * 20 + j) % 5000));
      m.set('new' + next++, 0);
    }
    if (round % 3 === 0) m.set('churn' + (round % 5000), 1);
  });
  for (let i = 0; i < 5000; i++) assert.ok(seen.has('stable' + i), 'stable' + i);
});

test('replaying an old cursor or an unknown one never skips elements', () => {
  const m = new Map<string, number>();
  for (let i = 0; i < 100; i++) m.set('k' + i, i);
  const c1 = scanMap(m, '0', 10, () => {});
  const a: string[] = [];
  const c2 = scanMap(m, c1, 10, k => a.push(k));
  assert.deepEqual(a, Array.from({ length: 10 }, (_, i) => 'k' + (10 + i)));
  // c1 again: it was consumed, so the scan restarts from the beginning (duplicates allowed, nothing skipped)
  const b: string[] = [];
  scanMap(m, c1, 10, k => b.push(k));
  assert.equal(b[0], 'k0');
  assert.notEqual(c2, '0');
  const d: string[] = [];
  scanMap(m, '123456789', 5, k => d.push(k));
  assert.equal(d[0], 'k0');
});
