// The warm-up after listen (src/server/warmup.ts): the Lua engine is compiled in the background and the EVAL VM
// created once the server answers, so the first script does not pay for them; a server closed first never does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';

/** the Scripting's EVAL VM, once created (a private field: the warm-up is invisible on the wire by design) */
const evalVM = (srv: Awaited<ReturnType<typeof startServer>>) => (srv.server.scripting as unknown as { evalVM_: unknown }).evalVM_ ?? null;

async function waitFor(what: string, cond: () => boolean, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

test('a started server creates its EVAL VM in the background, and scripts then use it', async () => {
  const srv = await startServer({ log: false });
  try {
    assert.equal(evalVM(srv), null, 'startServer does not wait for the engine');
    await waitFor('the warm-up', () => evalVM(srv) !== null);
    const vm = evalVM(srv);
    const c = await RawConn.connect(srv.port);
    assert.equal(String(await c.call(['EVAL', 'return 7', '0'])), ':7\r\n');
    assert.equal(String(await c.call(['SCRIPT', 'LOAD', 'return 1'])), '$40\r\ne0e1f9fabfc9d4800c877a703b823ac0578ff8db\r\n');
    c.close();
    assert.equal(evalVM(srv), vm, 'the warmed VM is the one scripts run on');
  } finally {
    await srv.close();
  }
});

test('a server closed before the warm-up ran never creates the VM', async () => {
  const srv = await startServer({ log: false });
  await srv.close();
  // the compile finishes in the background; give it every chance to (wrongly) go on
  const { precompileModule } = await import('../../src/engine/wasm.js');
  await precompileModule();
  await new Promise(r => setImmediate(r));
  await new Promise(r => setImmediate(r));
  assert.equal(evalVM(srv), null);
});
