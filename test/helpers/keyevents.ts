// Test helper: the keyspace notifications a sequence of commands produces, as "event key" lines.
import { RawConn } from './conn.js';
import type { RespValue } from '../../src/protocol/resp-value.js';

/** Keyspace events (keyevent channel, "event key") produced by running `cmds` on a fresh connection. */
export async function keyEvents(port: number, cmds: string[][]): Promise<string[]> {
  const sub = await RawConn.connect(port);
  const w = await RawConn.connect(port);
  await w.call(['FLUSHALL']);
  await w.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
  try {
    await sub.call(['PSUBSCRIBE', '__keyevent@0__:*']);
    for (const c of cmds) await w.call(c);
    await w.call(['PING']);
    const out: string[] = [];
    for (;;) {
      let v: RespValue;
      try {
        v = (await sub.readRaw(80)).value;
      } catch {
        break;
      }
      const a = (v as { a: { b: Buffer }[] }).a;
      out.push(a[2].b.toString().replace('__keyevent@0__:', '') + ' ' + a[3].b.toString());
    }
    return out;
  } finally {
    await w.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    sub.close();
    w.close();
  }
}
