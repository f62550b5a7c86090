// The I/O cases, the networking limits and the wire fixtures again over the stream fallback of src/server/io.ts
// (REDLUA_IO=stream), which Node versions without the stream_wrap binding use.
import { test } from 'node:test';
import assert from 'node:assert/strict';

process.env.REDLUA_IO = 'stream';
const { ioMode } = await import('../../src/server/io.js');

test('REDLUA_IO=stream selects the stream fallback', () => {
  assert.equal(ioMode, 'stream');
});

const { ioCases } = await import('./io-cases.js');
ioCases();
await import('./network.test.js');
await import('./wire.test.js');
