// numfmt: formatG/formatDouble against printf outputs of glibc (test/protocol/numfmt-glibc.json, generated with gcc),
// including exact half-way ties, which glibc rounds half to even on the exact binary value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDouble, formatG, signBit } from '../../src/protocol/numfmt.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rows = JSON.parse(fs.readFileSync(path.resolve(here, '../../../test/protocol/numfmt-glibc.json'), 'utf8')) as string[][];

function fromHex(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleLE(0);
}

test('formatDouble matches glibc %.17g on every vector', () => {
  assert.ok(rows.length > 5000);
  let bad = 0;
  for (const [hex, g17] of rows) {
    const d = fromHex(hex);
    if (formatDouble(d) !== g17) {
      bad++;
      assert.equal(formatDouble(d), g17, `%.17g of ${hex} (${d})`);
    }
  }
  assert.equal(bad, 0);
});

test('formatG matches glibc %.1g %.3g %.5g %.10g (ties to even)', () => {
  for (const [hex, , g1, g3, g5, g10] of rows) {
    const d = fromHex(hex);
    assert.equal(formatG(d, 1), g1, `%.1g of ${d}`);
    assert.equal(formatG(d, 3), g3, `%.3g of ${d}`);
    assert.equal(formatG(d, 5), g5, `%.5g of ${d}`);
    assert.equal(formatG(d, 10), g10, `%.10g of ${d}`);
  }
});

test('known half-way cases', () => {
  assert.equal(formatG(0.125, 2), '0.12');
  assert.equal(formatG(0.375, 2), '0.38');
  assert.equal(formatG(2.5, 1), '2');
  assert.equal(formatG(3.5, 1), '4');
  assert.equal(formatG(0.15, 1), '0.1'); // 0.15 is below the tie in binary
  assert.equal(formatG(0.25, 1), '0.2');
  assert.equal(formatDouble(0.1), '0.10000000000000001');
  assert.equal(formatDouble(1e22), '1e+22');
  assert.equal(formatDouble(123456789012345680), '1.2345678901234568e+17');
});

test('special values', () => {
  assert.equal(formatDouble(Infinity), 'inf');
  assert.equal(formatDouble(-Infinity), '-inf');
  assert.equal(formatDouble(NaN), 'nan');
  assert.equal(formatDouble(-0), '-0');
  assert.equal(formatDouble(0), '0');
  assert.equal(signBit(-0), true);
  assert.equal(signBit(0), false);
});
