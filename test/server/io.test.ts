// Socket I/O over the libuv handle fast path of src/server/io.ts (the default on Node 20+).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ioMode } from '../../src/server/io.js';
import { ioCases } from './io-cases.js';

test('the handle fast path is in use on this Node', () => {
  assert.equal(ioMode, 'handle');
});

ioCases();
