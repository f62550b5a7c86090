// x87 long double emulation: vectors checked against glibc strtold / %.17Lf on x86-64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { incrByFloat, parseLongDouble, formatLDHuman, addLD, ldFromBigInt } from '../../src/util/longdouble.js';

const add = (a: string, b: string) => {
  const r = incrByFloat(Buffer.from(a), Buffer.from(b));
  return typeof r === 'string' ? r : r.toString('latin1');
};

test('INCRBYFLOAT arithmetic matches 80-bit long double', () => {
  assert.equal(add('10.5', '0.1'), '10.6');
  assert.equal(add('3.0e3', '1.0e3'), '4000');
  assert.equal(add('5.0e3', '2.0e-1'), '5000.20000000000000018');
  assert.equal(add('0.1', '0.2'), '0.3');
  assert.equal(add('-1.5', '1.5'), '0');
  assert.equal(add('1.23456789012345678901234', '1e-20'), '1.23456789012345679');
  assert.equal(add('0x1p-3', '7'), '7.125');
  assert.equal(add('-0.0000000000000000001', '0'), '0');
  assert.equal(add('1e308', '1e308'), '199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096');
});

test('incrByFloat errors', () => {
  assert.equal(incrByFloat(Buffer.from('abc'), Buffer.from('1')), 'value');
  assert.equal(incrByFloat(Buffer.from('1'), Buffer.from(' 1')), 'incr');
  assert.equal(incrByFloat(Buffer.from('1'), Buffer.from('1 ')), 'incr');
  assert.equal(incrByFloat(Buffer.from('1'), Buffer.from('')), 'incr');
  assert.equal(incrByFloat(Buffer.from('1'), Buffer.from('nan')), 'incr');
  assert.equal(incrByFloat(Buffer.from('1'), Buffer.from('1e5000')), 'incr'); // ERANGE overflow
  assert.equal(incrByFloat(Buffer.from('1'), Buffer.from('1e-5000')), 'incr'); // ERANGE underflow to 0
  assert.equal(incrByFloat(Buffer.from('1'), Buffer.from('inf')), 'nan');
  assert.equal(incrByFloat(Buffer.from('1e4932'), Buffer.from('1e4932')), 'nan');
  assert.equal(incrByFloat(null, Buffer.from('2.5'))?.toString(), '2.5');
});

test('parseLongDouble: embedded NULs and syntax', () => {
  // string2ld requires strtold to consume all slen bytes: it stops at an embedded NUL, so any NUL is invalid
  assert.equal(parseLongDouble(Buffer.from('1.5\0junk')), null);
  assert.equal(parseLongDouble(Buffer.from('\0x')), null);
  assert.equal(parseLongDouble(Buffer.from('1.5\0')), null);
  assert.equal(parseLongDouble(Buffer.from('1e')), null);
  assert.equal(parseLongDouble(Buffer.from('.')), null);
  assert.equal(formatLDHuman(parseLongDouble(Buffer.from('.5'))!), '0.5');
  assert.equal(formatLDHuman(parseLongDouble(Buffer.from('1.'))!), '1');
  assert.equal(formatLDHuman(parseLongDouble(Buffer.from('-INFINITY'))!), '-inf');
});

test('int64 values are exact', () => {
  const v = ldFromBigInt(9223372036854775807n);
  assert.equal(formatLDHuman(v), '9223372036854775807');
  assert.equal(formatLDHuman(addLD(v, parseLongDouble(Buffer.from('1'))!)), '9223372036854775808');
});
