// Transcript-based differential runs. Multi-client streams: three connections take turns sending commands from a seeded generator, with
// blocking pops and stream reads (timeout 0), CLIENT UNBLOCK, WATCH/MULTI/EXEC, scripts and pub/sub between them.
// A run's transcript records, after every step, each message every connection received, so it shows which client a
// write served, in what order, and that serving happened after the writing command, transaction or script.
// runWithNotifications: a random single-connection stream watched by a keyspace-notification subscriber.
import { RawConn } from '../helpers/conn.js';
import { prng } from './random-gen.js';
import { cmdOf, normalize, type Cmd } from './harness.js';
import { parseReply } from '../../src/protocol/resp-value.js';

type Arg = string;
/** A generated step: the connection that sends it and the command ('@N' stands for connection N's CLIENT ID). */
export interface Step {
  conn: number;
  cmd: Arg[];
  /** may block: the runner waits for its reply or for the server to list the connection as blocked */
  blocking?: boolean;
}

export const CONNS = 3;
const LISTS = ['l1', 'l2'];
const CHANNELS = ['ch1', 'ch2', 'news.x'];

/** The steps of one seed. Which connections are blocked is not known here: the runner skips steps for them. */
export function multiClientSteps(seed: number, n: number): Step[] {
  const rnd = prng(seed);
  const int = (k: number) => Math.floor(rnd() * k);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  let nextId = 1;
  let val = 0;
  const v = () => 'v' + val++;
  const makers: [number, () => Omit<Step, 'conn'>][] = [
    // writers
    [6, () => ({ cmd: [pick(['LPUSH', 'RPUSH']), pick(LISTS), ...Array.from({ length: 1 + int(3) }, v)] })],
    [3, () => ({ cmd: ['ZADD', 'z1', String(int(5)), pick(['m1', 'm2', 'm3', 'm4'])] })],
    [4, () => ({ cmd: ['XADD', 's1', `${nextId++}-0`, 'f', v()] })],
    [1, () => ({ cmd: ['XADD', 's1', 'MAXLEN', '2', `${nextId++}-0`, 'f', v()] })],
    [1, () => ({ cmd: ['LMOVE', pick(LISTS), pick(LISTS), pick(['LEFT', 'RIGHT']), pick(['LEFT', 'RIGHT'])] })],
    [1, () => ({ cmd: ['DEL', pick([...LISTS, 'z1', 's1'])] })],
    [1, () => ({ cmd: ['SET', pick([...LISTS, 'z1', 's1']), 'str'] })],
    [1, () => ({ cmd: ['RENAME', pick(LISTS), pick(LISTS)] })],
    [1, () => ({ cmd: ['EVAL', "redis.call('rpush', KEYS[1], 'e1'); redis.call('lpush', KEYS[1], 'e2'); return redis.call('llen', KEYS[1])", '1', pick(LISTS)] })],
    [1, () => ({ cmd: ['EVAL', "return redis.call('blpop', KEYS[1], 0)", '1', pick(LISTS)] })],
    [1, () => ({ cmd: ['XGROUP', 'CREATE', 's1', 'g', pick(['$', '0']), 'MKSTREAM'] })],
    [1, () => ({ cmd: ['XGROUP', 'DESTROY', 's1', 'g'] })],
    [1, () => ({ cmd: ['XACK', 's1', 'g', `${1 + int(nextId)}-0`] })],
    [1, () => ({ cmd: ['XPENDING', 's1', 'g'] })],
    // readers
    [2, () => ({ cmd: ['LRANGE', pick(LISTS), '0', '-1'] })],
    [1, () => ({ cmd: ['ZRANGE', 'z1', '0', '-1', 'WITHSCORES'] })],
    [1, () => ({ cmd: ['XRANGE', 's1', '-', '+'] })],
    // blocking commands (timeout 0: a finite one would race the run's own timing)
    [3, () => ({ cmd: ['BLPOP', ...(int(2) ? LISTS : [pick(LISTS)]), '0'], blocking: true })],
    [2, () => ({ cmd: ['BRPOP', pick(LISTS), '0'], blocking: true })],
    [1, () => ({ cmd: ['BLMOVE', pick(LISTS), pick(LISTS), pick(['LEFT', 'RIGHT']), pick(['LEFT', 'RIGHT']), '0'], blocking: true })],
    [1, () => ({ cmd: ['BRPOPLPUSH', pick(LISTS), pick(LISTS), '0'], blocking: true })],
    [1, () => ({ cmd: ['BLMPOP', '0', '2', ...LISTS, pick(['LEFT', 'RIGHT']), 'COUNT', '2'], blocking: true })],
    [2, () => ({ cmd: [pick(['BZPOPMIN', 'BZPOPMAX']), 'z1', '0'], blocking: true })],
    [1, () => ({ cmd: ['BZMPOP', '0', '1', 'z1', pick(['MIN', 'MAX']), 'COUNT', '2'], blocking: true })],
    [2, () => ({ cmd: ['XREAD', ...(int(2) ? ['COUNT', '1'] : []), 'BLOCK', '0', 'STREAMS', 's1', '$'], blocking: true })],
    [2, () => ({ cmd: ['XREADGROUP', 'GROUP', 'g', pick(['c1', 'c2']), ...(int(3) ? [] : ['NOACK']), 'BLOCK', '0', 'STREAMS', 's1', '>'], blocking: true })],
    [2, () => ({ cmd: ['CLIENT', 'UNBLOCK', '@' + int(CONNS), ...(int(2) ? [pick(['TIMEOUT', 'ERROR'])] : [])] })],
    // transactions across clients
    [2, () => ({ cmd: ['WATCH', pick([...LISTS, 'z1'])] })],
    [2, () => ({ cmd: ['MULTI'] })],
    [2, () => ({ cmd: ['EXEC'] })],
    [1, () => ({ cmd: ['BLPOP', pick(LISTS), '0'], blocking: true })], // (among the transaction steps: queued inside MULTI)
    // pub/sub
    [2, () => ({ cmd: ['SUBSCRIBE', pick(CHANNELS)] })],
    [1, () => ({ cmd: ['PSUBSCRIBE', pick(['ch*', 'news.*'])] })],
    [1, () => ({ cmd: [pick(['UNSUBSCRIBE', 'PUNSUBSCRIBE'])] })],
    [3, () => ({ cmd: ['PUBLISH', pick(CHANNELS), v()] })],
    [1, () => ({ cmd: ['PUBSUB', pick(['NUMSUB', 'CHANNELS', 'NUMPAT']), ...(int(2) ? CHANNELS : [])] })],
    [1, () => ({ cmd: ['PING'] })],
  ];
  const total = makers.reduce((s, [w]) => s + w, 0);
  const steps: Step[] = [];
  while (steps.length < n) {
    let r = int(total);
    let i = 0;
    while (r >= makers[i][0]) r -= makers[i++][0];
    const conn = int(CONNS);
    steps.push({ conn, ...makers[i][1]() });
  }
  return steps;
}

/** how long to wait for messages a step caused on other connections (written in the same server turn as its reply) */
/**
 * Waits until the server has surely sent whatever the last step caused: a PING round trip on a fourth connection that
 * is not part of the transcript (the server answers it after the step, whose effects it wrote in the same turn), then
 * a short pause for those bytes to be read on this side.
 */
async function barrier(observer: RawConn): Promise<void> {
  await observer.call(['PING']);
  await new Promise(r => setTimeout(r, 2));
}

/**
 * After a command that may block: its reply, or null once the server lists the connection as blocked (flags b), or
 * once it is still silent after 100 round trips (a command that neither replies nor blocks would be a bug anyway).
 */
async function replyOrBlocked(conn: RawConn, observer: RawConn, id: string): Promise<Buffer | null> {
  for (let i = 0; i < 100; i++) {
    const reply = await conn.readWithin(i === 0 ? 1 : 0);
    if (reply !== null) return reply;
    const info = (await observer.call(['CLIENT', 'LIST', 'ID', id])).toString('latin1');
    if (/ flags=\S*b/.test(info)) return conn.readWithin(0); // (it may have replied meanwhile: then it is not blocked)
    await new Promise(r => setTimeout(r, 1));
  }
  return null;
}

/** A transcript line whose message is a flat array of bulk strings, with the elements sorted (a dict's order). */
function sortedArrayLine(line: string): string {
  const at = line.indexOf(' *');
  const v = at < 0 ? null : parseReply(Buffer.from(line.slice(at + 1), 'latin1'), 0);
  if (v === null || v[0].t !== '*' || v[0].a === null) return line;
  const names = v[0].a.map(e => (e.t === '$' && e.b ? e.b.toString('latin1') : '?')).sort();
  return line.slice(0, at + 1) + `*${names.length}\r\n` + names.map(n => `$${n.length}\r\n${n}\r\n`).join('');
}

/** Replaces the channel names of a connection's (p)unsubscribe messages from `start` on by '?', then lists them sorted. */
function unorderedNames(out: string[], start: number, prefix: string): void {
  const names: string[] = [];
  for (let i = start; i < out.length; i++) {
    if (!out[i].startsWith(prefix)) continue;
    out[i] = out[i].replace(/^(.*unsubscribe\r\n)\$\d+\r\n([^\r]*)\r\n/s, (_m, a: string, n: string) => {
      names.push(n);
      return a + '?\r\n';
    });
  }
  out.push(prefix + 'names ' + names.sort().join(','));
}

/**
 * Runs a seed against a server; returns its transcript. Connection i speaks RESP resp[i]. A step addressed to a
 * connection that is blocked goes to the next unblocked one (all blocked: the step is skipped and noted).
 */
export async function runMultiClient(port: number, steps: Step[], resp: number[]): Promise<string[]> {
  const conns: RawConn[] = [];
  const ids: string[] = [];
  const observer = await RawConn.connect(port);
  try {
    for (let i = 0; i < CONNS; i++) {
      const c = await RawConn.connect(port);
      conns.push(c);
      if (i === 0) await c.call(['FLUSHALL']);
      if (resp[i] === 3) await c.call(['HELLO', '3']);
      const id = await c.callValue(['CLIENT', 'ID']);
      ids.push(id.t === ':' ? String(id.n) : '0');
    }
    const blocked = new Array<boolean>(CONNS).fill(false);
    const out: string[] = [];
    const drain = async (step: number) => {
      await barrier(observer);
      for (let i = 0; i < CONNS; i++) {
        for (let m = await conns[i].readWithin(0); m !== null; m = await conns[i].readWithin(0)) {
          out.push(`${step} c${i} ${m.toString('latin1')}`);
          blocked[i] = false;
        }
      }
    };
    for (let k = 0; k < steps.length; k++) {
      let conn = steps[k].conn;
      for (let t = 0; t < CONNS && blocked[conn]; t++) conn = (conn + 1) % CONNS;
      if (blocked[conn]) {
        out.push(`${k} all blocked`);
        continue;
      }
      const cmd = steps[k].cmd.map(a => (a.startsWith('@') ? ids[Number(a.slice(1))] : a));
      out.push(`${k} c${conn} > ${steps[k].cmd.join(' ')}`);
      conns[conn].send(cmd);
      const reply = steps[k].blocking ? await replyOrBlocked(conns[conn], observer, ids[conn]) : await conns[conn].readWithin(5000);
      if (reply === null) {
        if (!steps[k].blocking) throw new Error(`no reply to ${cmd.join(' ')}`);
        blocked[conn] = true;
        out.push(`${k} c${conn} blocked`);
      } else out.push(`${k} c${conn} ${reply.toString('latin1')}`);
      const name = steps[k].cmd[0];
      if (name === 'PUBSUB' && steps[k].cmd[1] === 'CHANNELS') out[out.length - 1] = sortedArrayLine(out[out.length - 1]);
      const from = out.length;
      await drain(k);
      // UNSUBSCRIBE/PUNSUBSCRIBE without arguments walk the client's channels in dict order: compare the names as a set
      if ((name === 'UNSUBSCRIBE' || name === 'PUNSUBSCRIBE') && steps[k].cmd.length === 1) unorderedNames(out, from - 1, `${k} c${conn} `);
    }
    return out;
  } finally {
    for (const c of conns) c.close();
    observer.close();
  }
}

/**
 * A single-connection random stream (random-gen.ts) with a second connection subscribed to every keyspace and keyevent
 * channel (notify-keyspace-events KEA, active expiry off so expiry events come from lookups only): the transcript has
 * each command's reply, compared by its mode, and the events it caused, in order.
 */
export async function runWithNotifications(port: number, cmds: Cmd[], resp: 2 | 3): Promise<string[]> {
  const a = await RawConn.connect(port);
  const sub = await RawConn.connect(port);
  const observer = await RawConn.connect(port);
  try {
    await a.call(['FLUSHALL']);
    if (resp === 3) await a.call(['HELLO', '3']);
    await observer.call(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    await observer.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    await sub.call(['PSUBSCRIBE', '__key*__:*']);
    const out: string[] = [];
    for (let k = 0; k < cmds.length; k++) {
      const { cmd, mode } = cmdOf(cmds[k]);
      out.push(`${k} ${normalize(await a.call(cmd), mode ?? 'exact')}`);
      await barrier(observer);
      for (let m = await sub.readWithin(0); m !== null; m = await sub.readWithin(0)) {
        const v = parseReply(m, 0)?.[0];
        // [pmessage, pattern, channel, payload]: the channel and its payload
        if (v?.t === '*' && v.a?.length === 4) out.push(`${k} event ${v.a.slice(2).map(e => (e.t === '$' && e.b ? e.b.toString('latin1') : '?')).join(' ')}`);
      }
    }
    return out;
  } finally {
    await observer.call(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    await observer.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    for (const c of [a, sub, observer]) c.close();
  }
}
