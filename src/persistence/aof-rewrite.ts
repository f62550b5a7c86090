// The AOF in RESP: a growable command writer (catAppendOnlyGenericCommand, rio bulk writers) and the dataset rewritten
// as per-key commands (Redis 7.0: aof.c rewriteAppendOnlyFileRio and rewrite{List,Set,SortedSet,Hash,Stream}Object).
import type { Server } from '../server/server.js';
import type { RObj } from '../store/db.js';
import { strBuf } from '../store/strings.js';
import { elemBuf, type Deque, type Elem } from '../store/list.js';
import type { HashValue } from '../store/hash.js';
import type { SetValue } from '../store/set.js';
import type { ZSet } from '../store/zset.js';
import type { Stream } from '../store/stream.js';
import { formatG } from '../protocol/numfmt.js';

/** AOF_REWRITE_ITEMS_PER_CMD */
export const AOF_REWRITE_ITEMS_PER_CMD = 64;

/** A byte buffer that grows by doubling; `take()` hands out what was written and starts over. */
export class RespWriter {
  buf: Buffer;
  len = 0;

  constructor(initial = 16384) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** latin1 text (headers, annotations) */
  text(s: string): void {
    this.room(s.length);
    this.len += this.buf.latin1Write(s, this.len);
  }

  bytes(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }

  /** rioWriteBulkCount('*', n) */
  count(n: number): void {
    this.text(`*${n}\r\n`);
  }

  /** rioWriteBulkString */
  bulk(b: Buffer): void {
    this.room(b.length + 24);
    this.len += this.buf.latin1Write(`$${b.length}\r\n`, this.len);
    b.copy(this.buf, this.len);
    this.len += b.length;
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** a latin1 string argument (keys, listpack strings) */
  bulkStr(s: string): void {
    this.room(s.length + 24);
    this.len += this.buf.latin1Write(`$${s.length}\r\n`, this.len);
    this.len += this.buf.latin1Write(s, this.len);
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** catAppendOnlyGenericCommand */
  command(argv: Buffer[]): void {
    this.count(argv.length);
    for (let i = 0; i < argv.length; i++) this.bulk(argv[i]);
  }

  /** The written bytes without copying (valid until the next write); for a writer used once. */
  view(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** The written bytes (a copy), then empty. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    if (this.buf.length > 1 << 20) this.buf = Buffer.allocUnsafe(16384);
    return out;
  }
}

function elem(w: RespWriter, v: Elem): void {
  if (typeof v === 'string') w.bulkStr(v);
  else w.bulk(elemBuf(v));
}

/** One command header per AOF_REWRITE_ITEMS_PER_CMD items: `*<2 + n*per>`, the command name, the key. */
function batched<T>(w: RespWriter, name: string, key: string, items: Iterable<T>, total: number, per: number, emit: (item: T) => void): void {
  let count = 0;
  let left = total;
  for (const it of items) {
    if (count === 0) {
      const n = left > AOF_REWRITE_ITEMS_PER_CMD ? AOF_REWRITE_ITEMS_PER_CMD : left;
      w.count(2 + n * per);
      w.bulkStr(name);
      w.bulkStr(key);
    }
    emit(it);
    if (++count === AOF_REWRITE_ITEMS_PER_CMD) count = 0;
    left--;
  }
}

function* zsetEntries(z: ZSet): Generator<[string, number]> {
  for (let n = z.first(); n !== 0; n = z.nextOf(n)) yield [z.eleOf(n), z.scoreOf(n)];
}

const sid = (ms: unknown, seq: unknown) => `${ms}-${seq}`;

function rewriteStream(w: RespWriter, key: string, s: Stream): void {
  if (s.length) {
    s.range(0, 0, 0xffffffffffffffffn, 0xffffffffffffffffn, false, e => {
      const fv = e.fv();
      w.count(3 + fv.length);
      w.bulkStr('XADD');
      w.bulkStr(key);
      w.bulkStr(e.id);
      for (const b of fv) w.bulk(b);
      return true;
    });
  } else {
    // an empty stream is recreated by an XADD trimmed to nothing
    w.count(7);
    for (const a of ['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']) w.bulkStr(a);
  }
  w.count(7);
  for (const a of ['XSETID', key, sid(s.lastMs, s.lastSeq), 'ENTRIESADDED', String(s.entriesAdded), 'MAXDELETEDID', sid(s.maxDelMs, s.maxDelSeq)]) w.bulkStr(a);
  if (!s.groups) return;
  for (const g of s.sortedGroups()) {
    w.count(7);
    for (const a of ['XGROUP', 'CREATE', key, g.name, sid(g.lastMs, g.lastSeq), 'ENTRIESREAD', String(g.entriesRead)]) w.bulkStr(a);
    for (const cons of g.sortedConsumers()) {
      const pel = cons.pel.toArray();
      if (pel.length === 0) {
        w.count(5);
        for (const a of ['XGROUP', 'CREATECONSUMER', key, g.name, cons.name]) w.bulkStr(a);
        continue;
      }
      for (const n of pel) {
        w.count(12);
        for (const a of ['XCLAIM', key, g.name, cons.name, '0', n.id, 'TIME', String(n.deliveryTime), 'RETRYCOUNT', String(n.deliveryCount), 'JUSTID', 'FORCE']) w.bulkStr(a);
      }
    }
  }
}

/** The commands that recreate one key (without its TTL). */
export function rewriteObject(w: RespWriter, key: string, o: RObj): void {
  switch (o.type) {
    case 'string':
      w.text('*3\r\n$3\r\nSET\r\n');
      w.bulkStr(key);
      w.bulk(strBuf(o.value));
      return;
    case 'list': {
      const l = o.value as Deque;
      batched(w, 'RPUSH', key, l, l.length, 1, v => elem(w, v as Elem));
      return;
    }
    case 'set': {
      const s = o.value as SetValue;
      batched(w, 'SADD', key, s, s.size, 1, m => w.bulkStr(m));
      return;
    }
    case 'zset': {
      const z = o.value as ZSet;
      batched(w, 'ZADD', key, zsetEntries(z), z.dict.size, 2, ([m, score]) => {
        w.bulkStr(formatG(score, 17));
        w.bulkStr(m);
      });
      return;
    }
    case 'hash': {
      const h = o.value as HashValue;
      batched(w, 'HMSET', key, h.map, h.map.size, 2, ([f, e]) => {
        w.bulkStr(f);
        elem(w, e.v);
      });
      return;
    }
    case 'stream':
      rewriteStream(w, key, o.value as Stream);
      return;
  }
}

/** rewriteAppendOnlyFileRio: functions, then every db's keys with their TTLs, as AOF commands. */
export function rewriteDataset(s: Server, w: RespWriter, timestamp: boolean): void {
  if (timestamp) w.text(`#TS:${Math.floor(Date.now() / 1000)}\r\n`);
  for (const lib of s.scripting.libraries.values()) {
    w.text('*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n');
    w.bulk(lib.code);
  }
  for (const db of s.dbs) {
    if (db.dict.size === 0) continue;
    w.text('*2\r\n$6\r\nSELECT\r\n');
    w.bulkStr(String(db.id));
    for (const [key, o] of db.dict) {
      rewriteObject(w, key, o);
      const when = db.expires.get(key);
      if (when !== undefined) {
        w.text('*3\r\n$9\r\nPEXPIREAT\r\n');
        w.bulkStr(key);
        w.bulkStr(String(when));
      }
    }
  }
}
