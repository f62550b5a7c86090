// Shared by the replication tests: a command as RESP text, waiting for a condition, an INFO field.
import { RawConn } from '../helpers/conn.js';

export async function call(c: RawConn, ...args: string[]): Promise<string> {
  return (await c.call(args)).toString('latin1');
}

/** Polls `f` until it holds (generous deadline: the tests run under load). */
export async function until(what: string, f: () => Promise<boolean>, ms = 30000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

export const field = (info: string, name: string) => new RegExp(`\\r\\n${name}:([^\\r]*)`).exec(info)?.[1] ?? '';
