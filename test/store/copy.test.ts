// COPY registry: deep copies share nothing mutable with the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyObject, deepClone, registerCopier } from '../../src/store/copy.js';
import { RObj } from '../../src/store/db.js';

test('strings and plain structures are deep-copied', () => {
  const s: RObj = new RObj('string', Buffer.from('abc'), 'raw');
  const c = copyObject(s);
  (c.value as Buffer)[0] = 0x7a;
  assert.equal((s.value as Buffer).toString(), 'abc');
  assert.equal(c.enc, 'raw');
  const m = new Map([['f', Buffer.from('v')]]);
  const m2 = deepClone(m);
  m2.get('f')![0] = 0x78;
  assert.equal(m.get('f')!.toString(), 'v');
  assert.ok(Buffer.isBuffer(m2.get('f')));
});

test('registered copiers win', () => {
  registerCopier('stream', o => new RObj('stream', { copied: o.value }));
  const c = copyObject(new RObj('stream', 1));
  assert.deepEqual(c.value, { copied: 1 });
});
