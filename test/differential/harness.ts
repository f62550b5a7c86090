// Differential harness: sends the same commands to redlua and to a real redis-server 7.0.15 and compares raw reply bytes.
// Without redis-server it compares redlua against recorded goldens (test/differential/goldens/<suite>.json).
// REDLUA_LIVE=1 runs against a live redis-server too; REDLUA_RECORD=1 re-records the goldens from redis-server.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawConn } from '../helpers/conn.js';
import { parseReply, type RespValue } from '../../src/protocol/resp-value.js';

/**
 * How two replies are compared:
 * - exact: byte for byte (the default)
 * - sorted: top-level array/set elements sorted first (unordered replies such as SMEMBERS, KEYS)
 * - sortedpairs: a flat map/array of pairs sorted by pair (HGETALL)
 * - rounded: numbers compared to 10 significant digits (float noise)
 * - errprefix: for errors only the error code must match
 * - type: only the reply type must match (random replies)
 * - len: the type and element count must match (random members)
 * - scan: a [cursor, elements] reply of a SCAN-family command over a hashtable, whose cursors and batches depend on the
 *   dict's seeded hash: a finished scan (cursor 0) compares its elements as a sorted list of pairs, an unfinished one
 *   only that it is unfinished
 */
export type Mode = 'exact' | 'sorted' | 'sortedpairs' | 'rounded' | 'errprefix' | 'type' | 'len' | 'scan';

export type Cmd = (string | Buffer | number)[] | { cmd: (string | Buffer | number)[]; mode?: Mode; mask?: RegExp };

export interface DiffCase {
  name: string;
  cmds: Cmd[];
  /** default compare mode of every command in the case */
  mode?: Mode;
  /** protocols to run the case under (default both) */
  resp?: (2 | 3)[];
  /** run without FLUSHALL first */
  noFlush?: boolean;
}

export interface Suite {
  name: string;
  cases: DiffCase[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** goldens live in the source tree (test/differential/goldens), also when running from dist/ */
export const goldenDir = path.resolve(here, '../../../test/differential/goldens');

export function cmdOf(c: Cmd): { cmd: (string | Buffer | number)[]; mode?: Mode; mask?: RegExp } {
  return Array.isArray(c) ? { cmd: c } : c;
}

/** Runs a case on a fresh connection; returns the raw reply bytes of each command. */
export async function runCase(port: number, c: DiffCase, resp: 2 | 3): Promise<Buffer[]> {
  const conn = await RawConn.connect(port);
  try {
    if (resp === 3) await conn.call(['HELLO', '3']);
    if (!c.noFlush) {
      await conn.call(['FLUSHALL']);
    }
    const out: Buffer[] = [];
    for (const entry of c.cmds) {
      out.push(await conn.call(cmdOf(entry).cmd));
    }
    return out;
  } finally {
    conn.close();
  }
}

function encode(v: RespValue): string {
  switch (v.t) {
    case '+': case '-': case ',': case '(': return v.t + v.s;
    case ':': return ':' + v.n;
    case '#': return '#' + (v.v ? 't' : 'f');
    case '_': return '_';
    case '$': return v.b === null ? '$-1' : '$' + v.b.toString('latin1');
    case '=': return '=' + v.f + ':' + v.b.toString('latin1');
    case '*': return v.a === null ? '*-1' : '*[' + v.a.map(encode).join('\u0000') + ']';
    default: return v.t + '[' + v.a.map(encode).join('\u0000') + ']';
  }
}

function round(v: RespValue): RespValue {
  const r = (s: string) => {
    const n = Number(s);
    return s.trim() !== '' && Number.isFinite(n) ? String(Number(n.toPrecision(10))) : s;
  };
  switch (v.t) {
    case '$': return v.b === null ? v : { t: '$', b: Buffer.from(r(v.b.toString('latin1'))) };
    case ',': return { t: ',', s: r(v.s) };
    case '*': return v.a === null ? v : { t: '*', a: v.a.map(round) };
    case '%': case '~': case '>': case '|': return { t: v.t, a: v.a.map(round) } as RespValue;
    default: return v;
  }
}

/** The comparable form of a reply under a mode. */
export function normalize(raw: Buffer, mode: Mode = 'exact', mask?: RegExp): string {
  let text = raw.toString('latin1');
  if (mask) text = text.replace(mask, '<masked>');
  if (mode === 'exact') return text;
  const parsed = parseReply(Buffer.from(text, 'latin1'), 0);
  if (!parsed) return text;
  const v = parsed[0];
  switch (mode) {
    case 'errprefix':
      return v.t === '-' ? '-' + v.s.split(' ')[0] : text;
    case 'type':
      return v.t;
    case 'len':
      return v.t + ('a' in v && v.a ? ':' + v.a.length : '');
    case 'rounded':
      return encode(round(v));
    case 'sorted': {
      if ('a' in v && v.a) return v.t + '[' + v.a.map(encode).sort().join('\u0000') + ']';
      return encode(v);
    }
    case 'sortedpairs':
      return sortedPairs(v);
    case 'scan':
      if (v.t === '*' && v.a && v.a.length === 2) return encode(v.a[0]) === '$0' ? '*[$0\u0000' + sortedPairs(v.a[1]) + ']' : 'unfinished scan';
      return encode(v);
  }
}

function sortedPairs(v: RespValue): string {
  if (!('a' in v) || !v.a) return encode(v);
  const pairs: string[] = [];
  for (let i = 0; i < v.a.length; i += 2) pairs.push(encode(v.a[i]) + '\u0001' + (i + 1 < v.a.length ? encode(v.a[i + 1]) : ''));
  return v.t + '[' + pairs.sort().join('\u0000') + ']';
}

export type Goldens = Record<string, { resp2?: string[]; resp3?: string[] }>;

export function loadGoldens(suite: string): Goldens {
  const f = path.join(goldenDir, suite + '.json');
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as Goldens) : {};
}

export function saveGoldens(suite: string, g: Goldens): void {
  fs.mkdirSync(goldenDir, { recursive: true });
  const sorted: Goldens = {};
  for (const k of Object.keys(g).sort()) sorted[k] = g[k];
  fs.writeFileSync(path.join(goldenDir, suite + '.json'), JSON.stringify(sorted, null, 1) + '\n');
}
