// The stream type (Redis: t_stream.c, stream.h): entries grouped in nodes that mirror Redis's rax-of-listpacks
// layout (same node boundaries: stream-node-max-entries / stream-node-max-bytes, with listpack byte sizes computed
// as listpack.c would), so that approximate trimming removes exactly the entries Redis removes.
// IDs are pairs of uint64 (numbers, or bigints above 2^53); entries pack their fields and values in one buffer.
//
// API for other modules: RObj { type: 'stream', value: Stream, enc: 'stream' }; Stream.length, range(startMs, startSeq,
// endMs, endSeq, rev, cb) over live entries (StreamEntry: ms, seq, id, fv()), nodes (radix-tree keys), groups;
// dupStream (registered as the COPY copier by commands/streams.ts).
import { decimalDigits, writeDecimal } from '../util/digits.js';

/**
 * A uint64 ID component in canonical form: a JS number when <= 2^53-1 (every realistic ID), a bigint above. Equal values
 * always have the same representation, so `===` is exact; `<`/`>` compare numbers and bigints exactly.
 * Keeping IDs as numbers avoids two heap objects per entry (millions of entries stay cheap for the GC).
 */
export type U64 = number | bigint;
const SAFE = 9007199254740991;
export const U64_MAX: U64 = 0xffffffffffffffffn;
export const INVALID_ENTRIES_READ = -1;

/** Canonical form of a bigint in [0, 2^64). */
export function u64(b: bigint): U64 {
  return b <= 9007199254740991n ? Number(b) : b;
}

export function toBig(v: U64): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

function plus1(v: U64): U64 {
  return typeof v === 'number' ? (v < SAFE ? v + 1 : 9007199254740992n) : v + 1n;
}

function minus1(v: U64): U64 {
  return typeof v === 'number' ? v - 1 : u64(v - 1n);
}

/** a - b as listpack stores it (int64 wrap-around of the uint64 difference). */
function delta(a: U64, b: U64): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return BigInt.asIntN(64, toBig(a) - toBig(b));
}

/** A stream ID (streamID). */
export interface SID {
  ms: U64;
  seq: U64;
}

export function cmpID(ams: U64, aseq: U64, bms: U64, bseq: U64): number {
  if (ams !== bms) return ams < bms ? -1 : 1;
  if (aseq !== bseq) return aseq < bseq ? -1 : 1;
  return 0;
}

export function idText(ms: U64, seq: U64): string {
  return `${ms}-${seq}`;
}

/** streamIncrID: null when the ID is the maximum (overflow). */
export function incrID(id: SID): SID | null {
  if (id.seq === U64_MAX) {
    if (id.ms === U64_MAX) return null;
    return { ms: plus1(id.ms), seq: 0 };
  }
  return { ms: id.ms, seq: plus1(id.seq) };
}

/** streamDecrID: null when the ID is 0-0. */
export function decrID(id: SID): SID | null {
  if (id.seq === 0) {
    if (id.ms === 0) return null;
    return { ms: minus1(id.ms), seq: U64_MAX };
  }
  return { ms: id.ms, seq: minus1(id.seq) };
}

// ---------- listpack size model (listpack.c) ----------

function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

function intEncSize(v: number | bigint): number {
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** Bytes of an integer element (encoding + backlen). */
export function lpIntSize(v: number | bigint): number {
  const e = intEncSize(v);
  return e + backlenSize(e);
}

const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;

/** lpStringToInt64: the value when the string is a canonical int64, else null. */
function lpStringToInt(b: Buffer): bigint | null {
  const n = b.length;
  if (n === 0 || n >= 21) return null;
  if (n === 1 && b[0] === 48) return 0n;
  let i = 0;
  if (b[0] === 45) {
    i = 1;
    if (n === 1) return null;
  }
  if (b[i] < 49 || b[i] > 57) return null;
  for (let j = i + 1; j < n; j++) if (b[j] < 48 || b[j] > 57) return null;
  if (n - i < 16) return BigInt(Number(b.latin1Slice(0, n)));
  const v = BigInt(b.latin1Slice(0, n));
  if (v > I64_MAX || v < I64_MIN) return null;
  return v;
}

/** Bytes of a string element as listpack stores it (as an integer when it is one). */
export function lpStrSize(b: Buffer): number {
  const n = b.length;
  // fast path: anything not starting with a digit or '-' is a string
  const c = n ? b[0] : 0;
  if (n > 0 && n < 21 && ((c >= 49 && c <= 57) || c === 45 || (n === 1 && c === 48))) {
    const v = lpStringToInt(b);
    if (v !== null) return lpIntSize(v);
  }
  const e = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return e + backlenSize(e);
}

// ---------- entries and nodes ----------

export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;

/**
 * An entry. `data` holds the entry exactly as replies render it: the ID as a bulk string followed by the array of
 * fields and values (`$<n>\r\n<id>\r\n*<2k>\r\n$<n>\r\n<field>\r\n…`), so range replies copy one string per
 * entry and no per-field objects are kept. It is a latin1 string (one char per byte): a single heap object, where a
 * Buffer would add a typed-array object and pin a pool slab, which made XADD-heavy workloads GC-bound.
 */
export class StreamEntry {
  deleted = false;
  constructor(
    readonly ms: U64,
    readonly seq: U64,
    readonly data: string,
    /** number of fields + values */
    readonly nfv: number,
    /** offset of the fields/values array in `data` */
    readonly fvOff: number,
  ) {}

  /** "ms-seq" */
  get id(): string {
    return `${this.ms}-${this.seq}`;
  }

  /** The fields and values as new Buffers (field, value, field, value, …). */
  fv(): Buffer[] {
    const out: Buffer[] = new Array(this.nfv);
    const d = this.data;
    let p = d.indexOf('\n', this.fvOff) + 1; // past "*<n>\r\n"
    for (let i = 0; i < this.nfv; i++) {
      let len = 0;
      let q = p + 1; // past '$'
      while (d.charCodeAt(q) !== 13) len = len * 10 + (d.charCodeAt(q++) - 48);
      q += 2;
      out[i] = Buffer.from(d.slice(q, q + len), 'latin1');
      p = q + len + 2;
    }
    return out;
  }
}

/** a.equals(b), without the native call for the short field names entries usually have. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  if (n > 32) return a.equals(b);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The last millisecond part rendered by packEntry and its digits: entries added in the same ms share it. */
let lastMs = -1;
let lastMsDigits = 0;
const lastMsText = Buffer.alloc(20);

/** Renders an entry's reply form (see StreamEntry). */
export function packEntry(ms: U64, seq: U64, fv: Buffer[], from: number): StreamEntry {
  const nfv = fv.length - from;
  const fast = typeof ms === 'number' && typeof seq === 'number';
  const msText = fast ? '' : String(ms);
  const seqText = fast ? '' : String(seq);
  const msDigits = fast ? (ms === lastMs ? lastMsDigits : decimalDigits(ms as number)) : msText.length;
  const seqDigits = fast ? decimalDigits(seq as number) : seqText.length;
  const idLen = msDigits + 1 + seqDigits;
  const idLenDigits = decimalDigits(idLen);
  const fvOff = 1 + idLenDigits + 2 + idLen + 2;
  let total = fvOff + 1 + decimalDigits(nfv) + 2;
  for (let i = from; i < fv.length; i++) {
    const n = fv[i].length;
    total += 1 + decimalDigits(n) + 2 + n + 2;
  }
  // the scratch grows up to 1 MB; bigger entries get a one-off buffer
  if (total > packScratch.length && total <= 1 << 20) packScratch = Buffer.allocUnsafe(Math.max(total, packScratch.length * 2));
  const d = total <= packScratch.length ? packScratch : Buffer.allocUnsafe(total);
  d[0] = 36; // $
  let p = writeDecimal(d, 1, idLen, idLenDigits);
  d[p++] = 13;
  d[p++] = 10;
  if (fast) {
    if (ms !== lastMs) {
      lastMs = ms as number;
      lastMsDigits = msDigits;
      writeDecimal(lastMsText, 0, lastMs, msDigits);
    }
    for (let k = 0; k < msDigits; k++) d[p + k] = lastMsText[k];
    p += msDigits;
  } else p += d.latin1Write(msText, p);
  d[p++] = 45; // -
  if (fast) p = writeDecimal(d, p, seq as number, seqDigits);
  else p += d.latin1Write(seqText, p);
  d[p++] = 13;
  d[p++] = 10;
  d[p++] = 42; // *
  p = writeDecimal(d, p, nfv, decimalDigits(nfv));
  d[p++] = 13;
  d[p++] = 10;
  for (let i = from; i < fv.length; i++) {
    const b = fv[i];
    const n = b.length;
    d[p++] = 36; // $
    p = writeDecimal(d, p, n, decimalDigits(n));
    d[p++] = 13;
    d[p++] = 10;
    if (n < 64) for (let k = 0; k < n; k++) d[p + k] = b[k];
    else b.copy(d, p);
    p += n;
    d[p++] = 13;
    d[p++] = 10;
  }
  return new StreamEntry(ms, seq, d.latin1Slice(0, total), nfv, fvOff);
}

/** packEntry renders into this buffer, then takes the bytes as one latin1 string. */
let packScratch = Buffer.allocUnsafe(4096);

export class StreamNode {
  entries: StreamEntry[] = [];
  live = 0;
  deleted = 0;
  /** bytes of everything but the master count/deleted integers */
  fixedBytes: number;
  /**
   * For MEMORY USAGE: the capacity XADD gave the node's listpack (lpNew(min(4096, stream-node-max-bytes))) while it
   * is the node appended to; 0 once a newer node closed it (lpShrinkToFit) and for copies (streamDup allocates
   * exactly). The listpack's allocation is then the larger of the two size classes (it grows by reallocation).
   */
  prealloc = 0;
  constructor(
    readonly masterMs: U64,
    readonly masterSeq: U64,
    /** master entry fields (owned copies) */
    readonly fields: Buffer[],
  ) {
    // listpack header (6) + end byte (1) + num-fields + fields + the master terminator "0"
    let b = 7 + lpIntSize(fields.length) + lpIntSize(0);
    for (const f of fields) b += lpStrSize(f);
    this.fixedBytes = b;
  }

  /** lpBytes of the node's listpack. */
  get bytes(): number {
    return this.fixedBytes + lpIntSize(this.live) + lpIntSize(this.deleted);
  }

  addEntryBytes(n: number): void {
    this.fixedBytes += n;
  }

  /** Index of the first entry with ID >= (ms, seq) (entries.length if none). */
  lowerBound(ms: U64, seq: U64): number {
    const a = this.entries;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = a[mid];
      if (e.ms < ms || (e.ms === ms && e.seq < seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

// ---------- consumer groups ----------

export class Nack {
  constructor(
    readonly ms: U64,
    readonly seq: U64,
    public deliveryTime: number,
    public deliveryCount: number,
    public consumer: Consumer | null,
  ) {}

  get id(): string {
    return `${this.ms}-${this.seq}`;
  }
}

const PEL_BLOCK = 128;
/** STREAM_LISTPACK_MAX_PRE_ALLOCATE */
const LP_PREALLOC = 4096;

function nackLess(n: Nack, ms: U64, seq: U64): boolean {
  return n.ms < ms || (n.ms === ms && n.seq < seq);
}

/**
 * A pending entries list (rax of streamNACK): NACKs sorted by ID in blocks of at most 2*PEL_BLOCK, so that inserts and
 * removals anywhere (acks arrive in any order, claims move entries between consumers) stay cheap for large PELs.
 */
export class Pel {
  private blocks: Nack[][] = [];
  size = 0;

  /** Index of the block that holds (or would hold) the ID: the last block whose first element is <= it (0 if none). */
  private blockIndex(ms: U64, seq: U64): number {
    const b = this.blocks;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const f = b[mid][0];
      if (f.ms < ms || (f.ms === ms && f.seq <= seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : lo - 1;
  }

  private static lower(a: Nack[], ms: U64, seq: U64): number {
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nackLess(a[mid], ms, seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(ms: U64, seq: U64): Nack | undefined {
    if (this.size === 0) return undefined;
    const a = this.blocks[this.blockIndex(ms, seq)];
    const n = a[Pel.lower(a, ms, seq)];
    return n !== undefined && n.ms === ms && n.seq === seq ? n : undefined;
  }

  /** raxTryInsert: false if the ID is already there. */
  insert(n: Nack): boolean {
    const b = this.blocks;
    if (b.length === 0) {
      b.push([n]);
      this.size = 1;
      return true;
    }
    const lastBlock = b[b.length - 1];
    const last = lastBlock[lastBlock.length - 1];
    let bi: number;
    let i: number;
    if (nackLess(last, n.ms, n.seq)) {
      bi = b.length - 1;
      i = lastBlock.length;
    } else {
      bi = this.blockIndex(n.ms, n.seq);
      i = Pel.lower(b[bi], n.ms, n.seq);
      const cur = b[bi][i];
      if (cur !== undefined && cur.ms === n.ms && cur.seq === n.seq) return false;
    }
    const a = b[bi];
    if (i === a.length) a.push(n);
    else a.splice(i, 0, n);
    this.size++;
    if (a.length > 2 * PEL_BLOCK) b.splice(bi + 1, 0, a.splice(PEL_BLOCK));
    return true;
  }

  /** Appends a NACK known to be greater than every other (copies). */
  push(n: Nack): void {
    const b = this.blocks;
    const a = b[b.length - 1];
    if (a === undefined || a.length >= 2 * PEL_BLOCK) b.push([n]);
    else a.push(n);
    this.size++;
  }

  remove(ms: U64, seq: U64): Nack | undefined {
    if (this.size === 0) return undefined;
    const bi = this.blockIndex(ms, seq);
    const a = this.blocks[bi];
    const i = Pel.lower(a, ms, seq);
    const n = a[i];
    if (n === undefined || n.ms !== ms || n.seq !== seq) return undefined;
    if (i === 0) a.shift();
    else if (i === a.length - 1) a.pop();
    else a.splice(i, 1);
    if (a.length === 0) this.blocks.splice(bi, 1);
    this.size--;
    return n;
  }

  first(): Nack | undefined {
    return this.size ? this.blocks[0][0] : undefined;
  }

  last(): Nack | undefined {
    if (!this.size) return undefined;
    const a = this.blocks[this.blocks.length - 1];
    return a[a.length - 1];
  }

  /** The first NACK with ID >= (ms, seq). */
  ceil(ms: U64, seq: U64): Nack | undefined {
    if (this.size === 0) return undefined;
    let bi = this.blockIndex(ms, seq);
    let i = Pel.lower(this.blocks[bi], ms, seq);
    if (i === this.blocks[bi].length) {
      bi++;
      i = 0;
    }
    return bi < this.blocks.length ? this.blocks[bi][i] : undefined;
  }

  /** Visits the NACKs with ID >= (ms, seq) in order until `cb` returns false. The PEL must not change meanwhile. */
  forEachFrom(ms: U64, seq: U64, cb: (n: Nack) => boolean): void {
    if (this.size === 0) return;
    const b = this.blocks;
    let bi = this.blockIndex(ms, seq);
    let i = Pel.lower(b[bi], ms, seq);
    for (; bi < b.length; bi++, i = 0) {
      const a = b[bi];
      for (; i < a.length; i++) if (!cb(a[i])) return;
    }
  }

  /** Every NACK in order (a copy). */
  toArray(): Nack[] {
    const out: Nack[] = [];
    for (const a of this.blocks) for (const n of a) out.push(n);
    return out;
  }
}

export class Consumer {
  readonly pel = new Pel();
  constructor(
    readonly name: string,
    public seenTime: number,
  ) {}
}

export class ConsumerGroup {
  readonly pel = new Pel();
  readonly consumers = new Map<string, Consumer>();
  constructor(
    readonly name: string,
    public lastMs: U64,
    public lastSeq: U64,
    public entriesRead: number,
  ) {}

  /** Consumers in rax (byte) order. */
  sortedConsumers(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

export interface TrimArgs {
  strategy: 'none' | 'maxlen' | 'minid';
  approx: boolean;
  limit: number;
  maxlen: number;
  minid: SID;
}

// ---------- the stream ----------

export class Stream {
  nodes: StreamNode[] = [];
  length = 0;
  lastMs: U64 = 0;
  lastSeq: U64 = 0;
  firstMs: U64 = 0;
  firstSeq: U64 = 0;
  maxDelMs: U64 = 0;
  maxDelSeq: U64 = 0;
  entriesAdded = 0;
  groups: Map<string, ConsumerGroup> | null = null;

  /** Index of the node that would hold (ms, seq): the last node whose master ID <= id, or -1. */
  nodeIndexFor(ms: U64, seq: U64): number {
    const a = this.nodes;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const n = a[mid];
      if (n.masterMs < ms || (n.masterMs === ms && n.masterSeq <= seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /**
   * streamAppendItem (after ID validation): appends an entry whose ID is greater than last_id.
   * `fv` (field, value, …) may be views into request buffers: the entry copies them.
   */
  append(ms: U64, seq: U64, fv: Buffer[], maxEntries: number, maxBytes: number, from = 0): StreamEntry {
    const nfv = fv.length - from;
    let totelelen = 0;
    for (let i = from; i < fv.length; i++) totelelen += fv[i].length;
    let node: StreamNode | undefined = this.nodes[this.nodes.length - 1];
    if (node !== undefined) {
      let nodeMax = maxBytes;
      if (nodeMax === 0 || nodeMax > 1 << 30) nodeMax = 1 << 30;
      if (node.bytes + totelelen >= nodeMax) node = undefined;
      else if (maxEntries && node.live + node.deleted >= maxEntries) node = undefined;
    }
    const numfields = nfv >> 1;
    if (node === undefined) {
      const fields: Buffer[] = new Array(numfields);
      for (let i = 0; i < numfields; i++) fields[i] = Buffer.from(fv[from + i * 2]);
      const prev = this.nodes[this.nodes.length - 1];
      if (prev !== undefined) prev.prealloc = 0; // lpShrinkToFit when a node is full
      node = new StreamNode(ms, seq, fields);
      node.prealloc = maxBytes > 0 && maxBytes < LP_PREALLOC ? maxBytes : LP_PREALLOC;
      this.nodes.push(node);
    }
    // Same fields as the master entry?
    let same = node.fields.length === numfields;
    if (same) {
      const mf = node.fields;
      for (let i = 0; i < numfields; i++) {
        if (!sameBytes(mf[i], fv[from + i * 2])) {
          same = false;
          break;
        }
      }
    }
    let bytes = lpIntSize(same ? FLAG_SAMEFIELDS : 0);
    bytes += lpIntSize(delta(ms, node.masterMs));
    bytes += lpIntSize(delta(seq, node.masterSeq));
    if (same) {
      for (let i = from + 1; i < fv.length; i += 2) bytes += lpStrSize(fv[i]);
      bytes += lpIntSize(numfields + 3);
    } else {
      bytes += lpIntSize(numfields);
      for (let i = from; i < fv.length; i++) bytes += lpStrSize(fv[i]);
      bytes += lpIntSize(numfields * 2 + 4);
    }
    node.addEntryBytes(bytes);
    const e = packEntry(ms, seq, fv, from);
    node.entries.push(e);
    node.live++;
    this.length++;
    this.entriesAdded++;
    this.lastMs = ms;
    this.lastSeq = seq;
    if (this.length === 1) {
      this.firstMs = ms;
      this.firstSeq = seq;
    }
    return e;
  }

  /**
   * Visits the live entries with start <= ID <= end, ascending (or descending when rev), until `cb` returns false.
   */
  range(sms: U64, sseq: U64, ems: U64, eseq: U64, rev: boolean, cb: (e: StreamEntry) => boolean): void {
    if (this.length === 0 || cmpID(sms, sseq, ems, eseq) > 0) return;
    const nodes = this.nodes;
    if (!rev) {
      let ni = this.nodeIndexFor(sms, sseq);
      if (ni < 0) ni = 0;
      let first = true;
      for (; ni < nodes.length; ni++) {
        const node = nodes[ni];
        if (node.masterMs > ems || (node.masterMs === ems && node.masterSeq > eseq)) return;
        const ents = node.entries;
        let i = first ? node.lowerBound(sms, sseq) : 0;
        first = false;
        for (; i < ents.length; i++) {
          const e = ents[i];
          if (e.ms > ems || (e.ms === ems && e.seq > eseq)) return;
          if (e.deleted) continue;
          if (!cb(e)) return;
        }
      }
    } else {
      let ni = this.nodeIndexFor(ems, eseq);
      let first = true;
      for (; ni >= 0; ni--) {
        const node = nodes[ni];
        const ents = node.entries;
        let i: number;
        if (first) {
          // last entry with ID <= end
          i = node.lowerBound(ems, eseq);
          const at = ents[i];
          if (at === undefined || at.ms !== ems || at.seq !== eseq) i--;
          first = false;
        } else i = ents.length - 1;
        for (; i >= 0; i--) {
          const e = ents[i];
          if (e.ms < sms || (e.ms === sms && e.seq < sseq)) return;
          if (e.deleted) continue;
          if (!cb(e)) return;
        }
      }
    }
  }

  /** The live entry with exactly this ID. */
  get(ms: U64, seq: U64): StreamEntry | undefined {
    const ni = this.nodeIndexFor(ms, seq);
    if (ni < 0) return undefined;
    const node = this.nodes[ni];
    const i = node.lowerBound(ms, seq);
    const e = node.entries[i];
    return e !== undefined && !e.deleted && e.ms === ms && e.seq === seq ? e : undefined;
  }

  /** streamDeleteItem: true if a live entry was deleted. */
  delete(ms: U64, seq: U64): boolean {
    const ni = this.nodeIndexFor(ms, seq);
    if (ni < 0) return false;
    const node = this.nodes[ni];
    const i = node.lowerBound(ms, seq);
    const e = node.entries[i];
    if (e === undefined || e.deleted || e.ms !== ms || e.seq !== seq) return false;
    if (node.live === 1) {
      this.nodes.splice(ni, 1);
    } else {
      e.deleted = true;
      node.live--;
      node.deleted++;
    }
    this.length--;
    return true;
  }

  /** streamGetEdgeID with tombstones skipped: first (or last) live entry. */
  edge(first: boolean): StreamEntry | undefined {
    let found: StreamEntry | undefined;
    if (first) this.range(0, 0, U64_MAX, U64_MAX, false, e => ((found = e), false));
    else this.range(0, 0, U64_MAX, U64_MAX, true, e => ((found = e), false));
    return found;
  }

  /** Refreshes first_id after removals. */
  updateFirstId(): void {
    if (this.length === 0) {
      this.firstMs = 0;
      this.firstSeq = 0;
    } else {
      const e = this.edge(true)!;
      this.firstMs = e.ms;
      this.firstSeq = e.seq;
    }
  }

  /** streamTrim: returns the number of entries removed. */
  trim(args: TrimArgs): number {
    if (args.strategy === 'none') return 0;
    const maxlen = args.maxlen;
    const limit = args.limit;
    let deleted = 0;
    while (this.nodes.length) {
      if (args.strategy === 'maxlen' && this.length <= maxlen) break;
      const node = this.nodes[0];
      const entries = node.live;
      if (limit && deleted + entries > limit) break;
      let removeNode: boolean;
      if (args.strategy === 'maxlen') removeNode = this.length - entries >= maxlen;
      else {
        const last = node.entries[node.entries.length - 1];
        removeNode = cmpID(last.ms, last.seq, args.minid.ms, args.minid.seq) < 0;
      }
      if (removeNode) {
        this.nodes.shift();
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (args.approx) break;
      let fromLp = 0;
      for (const e of node.entries) {
        const stop =
          args.strategy === 'maxlen' ? this.length <= maxlen : cmpID(e.ms, e.seq, args.minid.ms, args.minid.seq) >= 0;
        if (stop) break;
        if (!e.deleted) {
          e.deleted = true;
          fromLp++;
          this.length--;
        }
      }
      node.live -= fromLp;
      node.deleted += fromLp;
      deleted += fromLp;
      break;
    }
    if (deleted) this.updateFirstId();
    return deleted;
  }

  /** streamLastValidID */
  lastValid(): SID {
    const e = this.edge(false);
    return e ? { ms: e.ms, seq: e.seq } : { ms: 0, seq: 0 };
  }

  /** streamRangeHasTombstones (start inclusive; end = +inf when null). */
  rangeHasTombstones(sms: U64, sseq: U64): boolean {
    if (this.length === 0 || (this.maxDelMs === 0 && this.maxDelSeq === 0)) return false;
    if (cmpID(this.firstMs, this.firstSeq, this.maxDelMs, this.maxDelSeq) > 0) return false;
    return cmpID(sms, sseq, this.maxDelMs, this.maxDelSeq) <= 0;
  }

  /** streamEstimateDistanceFromFirstEverEntry */
  estimateDistance(ms: U64, seq: U64): number {
    if (!this.entriesAdded) return 0;
    if (!this.length && cmpID(ms, seq, this.lastMs, this.lastSeq) < 1) return this.entriesAdded;
    const cmpLast = cmpID(ms, seq, this.lastMs, this.lastSeq);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    const cmpFirst = cmpID(ms, seq, this.firstMs, this.firstSeq);
    const cmpXdelFirst = cmpID(this.maxDelMs, this.maxDelSeq, this.firstMs, this.firstSeq);
    if ((this.maxDelMs === 0 && this.maxDelSeq === 0) || cmpXdelFirst < 0) {
      if (cmpFirst < 0) return this.entriesAdded - this.length;
      if (cmpFirst === 0) return this.entriesAdded - this.length + 1;
    }
    return INVALID_ENTRIES_READ;
  }

  /** Lag of a group (streamReplyWithCGLag); null when not computable. */
  groupLag(g: ConsumerGroup): number | null {
    if (!this.entriesAdded) return 0;
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(g.lastMs, g.lastSeq)) {
      return this.entriesAdded - g.entriesRead;
    }
    const er = this.estimateDistance(g.lastMs, g.lastSeq);
    if (er !== INVALID_ENTRIES_READ) return this.entriesAdded - er;
    return null;
  }

  /** Groups in rax (byte) order. */
  sortedGroups(): ConsumerGroup[] {
    if (!this.groups) return [];
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Number of rax nodes (XINFO radix-tree-nodes) of the node keys (16-byte big-endian master IDs). */
  raxNodes(): number {
    return raxNodeCount(this.nodes.map(n => idKey(n.masterMs, n.masterSeq)));
  }
}

/** A stream ID as its 16-byte big-endian radix-tree key (streamEncodeID). */
export function idKey(ms: U64, seq: U64): Buffer {
  const b = Buffer.allocUnsafe(16);
  b.writeBigUInt64BE(toBig(ms), 0);
  b.writeBigUInt64BE(toBig(seq), 8);
  return b;
}

/**
 * The number of nodes of a rax holding these distinct, sorted, equally long keys, counted on the canonical compressed
 * radix tree: the head, then one node per run of bytes without a branch (a compressed node), one per branching
 * point and one leaf per key.
 */
export function raxNodeCount(keys: Buffer[]): number {
  const n = keys.length;
  if (n === 0) return 1; // the empty head
  const width = keys[0].length;
  // keys are sorted; count recursively over [lo, hi) sharing a prefix of length d
  const count = (lo: number, hi: number, d: number): number => {
    if (d === width) return 1;
    // compressed run: all keys share the next bytes
    let e = d;
    while (e < width && keys[lo][e] === keys[hi - 1][e]) e++;
    if (e > d) return 1 + count(lo, hi, e);
    let total = 1;
    let i = lo;
    while (i < hi) {
      let j = i + 1;
      while (j < hi && keys[j][d] === keys[i][d]) j++;
      total += count(i, j, d + 1);
      i = j;
    }
    return total;
  };
  return count(0, n, 0);
}

/** streamDup (COPY): a deep copy sharing only the immutable field/value buffers. */
export function dupStream(s: Stream): Stream {
  const d = new Stream();
  for (const n of s.nodes) {
    const m = new StreamNode(n.masterMs, n.masterSeq, n.fields);
    m.fixedBytes = n.fixedBytes;
    m.live = n.live;
    m.deleted = n.deleted;
    for (const e of n.entries) {
      const f = new StreamEntry(e.ms, e.seq, e.data, e.nfv, e.fvOff);
      f.deleted = e.deleted;
      m.entries.push(f);
    }
    d.nodes.push(m);
  }
  d.length = s.length;
  d.lastMs = s.lastMs;
  d.lastSeq = s.lastSeq;
  d.firstMs = s.firstMs;
  d.firstSeq = s.firstSeq;
  d.maxDelMs = s.maxDelMs;
  d.maxDelSeq = s.maxDelSeq;
  d.entriesAdded = s.entriesAdded;
  if (s.groups) {
    d.groups = new Map();
    for (const g of s.groups.values()) {
      const h = new ConsumerGroup(g.name, g.lastMs, g.lastSeq, g.entriesRead);
      const consMap = new Map<Consumer, Consumer>();
      for (const c of g.consumers.values()) {
        const k = new Consumer(c.name, c.seenTime);
        consMap.set(c, k);
        h.consumers.set(k.name, k);
      }
      for (const nack of g.pel.toArray()) {
        const owner = nack.consumer ? consMap.get(nack.consumer) ?? null : null;
        const copy = new Nack(nack.ms, nack.seq, nack.deliveryTime, nack.deliveryCount, owner);
        h.pel.push(copy);
        if (owner) owner.pel.push(copy);
      }
      d.groups.set(h.name, h);
    }
  }
  return d;
}
