// Values to and from their RDB form, every type and encoding Redis 7.0.15 writes plus the legacy ones it still loads (Redis: rdb.c rdbSaveObjectType, rdbSaveObject, rdbLoadObject).
//
// Shared with the RDB file layer (persist-file): saveObjectType(w, o) + saveObject(w, o, opts) write a value,
// loadObject(r, type, opts) reads one back into redlua's store types with the encodings 7.0 would pick.
import { RObj } from '../store/db.js';
import { Deque, type Elem, SMALL_ELEM } from '../store/list.js';
import { SetValue, memberToInt } from '../store/set.js';
import { HashValue } from '../store/hash.js';
import { ZSet } from '../store/zset.js';
import { Stream, StreamNode, StreamEntry, ConsumerGroup, Consumer, Nack, packEntry, lpIntSize, toBig, u64, idKey, cmpID, FLAG_DELETED, FLAG_SAMEFIELDS, type U64 } from '../store/stream.js';
import type { StrValue } from '../store/strings.js';
import { RdbWriter, RdbReader, RdbError, RDB_TYPE } from './rdb-io.js';
import { LpWriter, lpDecode, lpElemBuf, lpElemStr, type LpElem } from './listpack.js';
import { intsetEncode, intsetDecode } from './intset.js';
import { ziplistDecode, zipmapDecode } from './ziplist.js';
import { lzfCompress } from './lzf.js';
import { formatG } from '../protocol/numfmt.js';

/** The configuration a load or save depends on (server.config values, or test values). */
export interface ObjectOpts {
  /** config number lookup: list-max-listpack-size, list-compress-depth, hash-max-listpack-entries/value, zset-max-listpack-entries/value, set-max-intset-entries */
  num(name: string): number;
  /** deep integrity validation (sanitize-dump-payload); redlua decodes and validates every blob fully either way */
  deep?: boolean;
  /** called once per blob deeply sanitized, where Redis counts stat_dump_payload_sanitizations */
  onSanitize?: () => void;
}

/** stat_dump_payload_sanitizations++ when sanitizing deeply */
const sanitized = (opts: ObjectOpts): void => {
  if (opts.deep) opts.onSanitize?.();
};

const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
const QUICKLIST_NODE_CONTAINER_PACKED = 2;
/** packed_threshold: elements this large get a plain node of their own */
const PACKED_THRESHOLD = 1 << 30;
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;
/** LISTPACK_MAX_SAFETY_SIZE: lpSafeToAdd's bound */
const LISTPACK_MAX_SAFETY_SIZE = 1 << 30;

const corrupt = (msg: string): never => {
  throw new RdbError(msg);
};

// ---------------------------------------------------------------- save

/** rdbSaveObjectType */
export function saveObjectType(w: RdbWriter, o: RObj): void {
  w.saveType(objectRdbType(o));
}

export function objectRdbType(o: RObj): number {
  switch (o.type) {
    case 'string':
      return RDB_TYPE.STRING;
    case 'list':
      return RDB_TYPE.LIST_QUICKLIST_2;
    case 'set':
      return (o.value as SetValue).isIntset ? RDB_TYPE.SET_INTSET : RDB_TYPE.SET;
    case 'zset':
      return o.enc === 'listpack' ? RDB_TYPE.ZSET_LISTPACK : RDB_TYPE.ZSET_2;
    case 'hash':
      return o.enc === 'listpack' ? RDB_TYPE.HASH_LISTPACK : RDB_TYPE.HASH;
    case 'stream':
      return RDB_TYPE.STREAM_LISTPACKS_2;
  }
}

const elemBytes = (v: Elem): Uint8Array => (typeof v === 'string' ? Buffer.from(v, 'latin1') : v);

/** rdbSaveObject: the value's body (no type byte). `opts` supplies list-max-listpack-size and list-compress-depth. */
export function saveObject(w: RdbWriter, o: RObj, opts: ObjectOpts): void {
  switch (o.type) {
    case 'string': {
      const v = o.value as StrValue;
      if (typeof v === 'number') w.saveLongLongAsString(v);
      else w.saveString(v);
      return;
    }
    case 'list':
      return saveQuicklist(w, o.value as Deque, opts);
    case 'set': {
      const s = o.value as SetValue;
      if (s.ints !== null) return w.saveString(intsetEncode(s.ints));
      w.saveLen(s.size);
      for (const m of s.members) w.saveString(m);
      return;
    }
    case 'zset': {
      const z = o.value as ZSet;
      if (o.enc === 'listpack') {
        const lp = new LpWriter(64);
        for (let n = z.first(); n !== 0; n = z.nextOf(n)) {
          lp.append(Buffer.from(z.eleOf(n), 'latin1'));
          appendScore(lp, z.scoreOf(n));
        }
        return w.saveString(lp.finish());
      }
      // from the greatest to the smallest, so that loading inserts at the head of the skiplist
      w.saveLen(z.length);
      for (let n = z.tail; n !== 0; n = z.prevOf(n)) {
        w.saveString(z.eleOf(n));
        w.saveBinaryDouble(z.scoreOf(n));
      }
      return;
    }
    case 'hash': {
      const h = o.value as HashValue;
      if (o.enc === 'listpack') {
        const lp = new LpWriter(64);
        for (const [f, e] of h.map) {
          lp.append(Buffer.from(f, 'latin1'));
          lp.append(elemBytes(e.v));
        }
        return w.saveString(lp.finish());
      }
      w.saveLen(h.size);
      for (const [f, e] of h.map) {
        w.saveString(f);
        w.saveString(elemBytes(e.v));
      }
      return;
    }
    case 'stream':
      return saveStream(w, o.value as Stream);
  }
}

/** zzlInsertAt's score element: an integer when the double is integral (double2ll), else d2string's text. */
function appendScore(lp: LpWriter, d: number): void {
  if (Number.isInteger(d) && d >= -4611686018427387904 && d <= 4611686018427387904) {
    lp.appendInt(Number.isSafeInteger(d) ? d : BigInt(d));
    return;
  }
  lp.append(Buffer.from(d === Infinity ? 'inf' : d === -Infinity ? '-inf' : formatG(d, 17), 'latin1'));
}

/** _quicklistNodeAllowInsert for a tail push of an element of `sz` bytes. */
function allowInsert(nodeSz: number, count: number, fill: number, sz: number): boolean {
  if (sz >= PACKED_THRESHOLD) return false;
  const newSz = nodeSz + sz + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const off = -fill - 1;
    if (off < OPTIMIZATION_LEVEL.length && newSz <= OPTIMIZATION_LEVEL[off]) return true;
  }
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

/**
 * The node layout of a list loaded from quicklist nodes (RESTORE, RDB load): Redis keeps such nodes as they were, so
 * a list saved again unchanged must be split the same way. Kept with a copy of the elements it describes: it applies
 * only while the list still holds exactly those elements.
 */
interface ListLayout {
  elems: Elem[];
  /** elements per node; a negative count is a plain node */
  nodes: number[];
}
const listLayouts = new WeakMap<Deque, ListLayout>();

const sameElem = (a: Elem, b: Elem): boolean =>
  typeof a === 'string' ? (typeof b === 'string' ? a === b : b.length === a.length && b.latin1Slice() === a) : typeof b === 'string' ? a.length === b.length && a.latin1Slice() === b : a.equals(b);

/** The recorded layout when the list is unchanged since it was loaded, else null. */
function loadedLayout(d: Deque): number[] | null {
  const l = listLayouts.get(d);
  if (l === undefined) return null;
  if (l.elems.length !== d.length) return null;
  let i = 0;
  for (const v of d) if (!sameElem(v, l.elems[i++])) return null;
  return l.nodes;
}

/**
 * The quicklist nodes of a list: the loaded layout of an unchanged restored list, else the nodes Redis would hold
 * after pushing every element at the tail (RPUSH, or loading a plain list). redlua keeps a list flat, so a list built
 * by other pushes may have had other node boundaries in Redis.
 */
function saveQuicklist(w: RdbWriter, d: Deque, opts: ObjectOpts): void {
  const fill = opts.num('list-max-listpack-size');
  const depth = opts.num('list-compress-depth');
  type Node = { plain: Uint8Array | null; lp: LpWriter | null };
  const nodes: Node[] = [];
  const layout = loadedLayout(d);
  let cur: LpWriter | null = null;
  let ni = 0;
  let left = layout ? layout[0] : 0;
  for (const v of d) {
    const b = elemBytes(v);
    if (layout) {
      if (left === 0) left = layout[++ni];
      if (left < 0) {
        nodes.push({ plain: b, lp: null });
        left = 0;
        continue;
      }
      if (left === layout[ni]) nodes.push({ plain: null, lp: (cur = new LpWriter(64)) });
      cur!.append(b);
      left--;
      continue;
    }
    if (b.length >= PACKED_THRESHOLD) {
      nodes.push({ plain: b, lp: null });
      cur = null;
      continue;
    }
    if (cur === null || !allowInsert(cur.bytes, cur.count, fill, b.length)) {
      cur = new LpWriter(Math.min(8192, b.length + 16));
      nodes.push({ plain: null, lp: cur });
    }
    cur.append(b);
  }
  w.saveLen(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.plain) {
      w.saveLen(QUICKLIST_NODE_CONTAINER_PLAIN);
      w.saveString(n.plain);
      continue;
    }
    w.saveLen(QUICKLIST_NODE_CONTAINER_PACKED);
    const lp = n.lp!.finish();
    // list-compress-depth: interior nodes are kept LZF-compressed in memory and saved as that blob
    if (depth > 0 && i >= depth && i < nodes.length - depth && lp.length >= MIN_COMPRESS_BYTES) {
      const out = Buffer.allocUnsafe(lp.length);
      const clen = lzfCompress(lp, out, lp.length);
      if (clen !== 0 && clen + MIN_COMPRESS_IMPROVE < lp.length) {
        w.saveLzfBlob(out.subarray(0, clen), lp.length);
        continue;
      }
    }
    w.saveString(lp);
  }
}

/** An ID delta as lpAppendInteger stores it (int64 wrap-around). */
function idDelta(a: U64, b: U64): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const d = BigInt.asIntN(64, toBig(a) - toBig(b));
  return d >= -9007199254740991n && d <= 9007199254740991n ? Number(d) : d;
}

/** A stream node as the listpack Redis holds for it (t_stream.c streamAppendItem's layout). */
export function streamNodeListpack(n: StreamNode): Buffer {
  const lp = new LpWriter(n.bytes + 16);
  lp.appendInt(n.live);
  lp.appendInt(n.deleted);
  lp.appendInt(n.fields.length);
  for (const f of n.fields) lp.append(f);
  lp.appendInt(0);
  for (const e of n.entries) {
    const fv = e.fv();
    const nf = fv.length >> 1;
    let same = nf === n.fields.length;
    for (let i = 0; same && i < nf; i++) if (!fv[i * 2].equals(n.fields[i])) same = false;
    lp.appendInt((e.deleted ? FLAG_DELETED : 0) | (same ? FLAG_SAMEFIELDS : 0));
    lp.appendInt(idDelta(e.ms, n.masterMs));
    lp.appendInt(idDelta(e.seq, n.masterSeq));
    if (same) {
      for (let i = 1; i < fv.length; i += 2) lp.append(fv[i]);
      lp.appendInt(nf + 3);
    } else {
      lp.appendInt(nf);
      for (const x of fv) lp.append(x);
      lp.appendInt(nf * 2 + 4);
    }
  }
  return lp.finish();
}

function saveStream(w: RdbWriter, s: Stream): void {
  w.saveLen(s.nodes.length);
  for (const n of s.nodes) {
    w.saveString(idKey(n.masterMs, n.masterSeq));
    w.saveString(streamNodeListpack(n));
  }
  w.saveLen(s.length);
  w.saveLen(s.lastMs);
  w.saveLen(s.lastSeq);
  w.saveLen(s.firstMs);
  w.saveLen(s.firstSeq);
  w.saveLen(s.maxDelMs);
  w.saveLen(s.maxDelSeq);
  w.saveLen(s.entriesAdded);
  const groups = s.sortedGroups();
  w.saveLen(groups.length);
  for (const g of groups) {
    w.saveString(g.name);
    w.saveLen(g.lastMs);
    w.saveLen(g.lastSeq);
    w.saveLen(g.entriesRead < 0 ? BigInt.asUintN(64, BigInt(g.entriesRead)) : g.entriesRead);
    const pel = g.pel.toArray();
    w.saveLen(pel.length);
    for (const nack of pel) {
      w.raw(idKey(nack.ms, nack.seq));
      w.saveMillis(nack.deliveryTime);
      w.saveLen(nack.deliveryCount);
    }
    const consumers = g.sortedConsumers();
    w.saveLen(consumers.length);
    for (const c of consumers) {
      w.saveString(c.name);
      w.saveMillis(c.seenTime);
      const cp = c.pel.toArray();
      w.saveLen(cp.length);
      for (const nack of cp) w.raw(idKey(nack.ms, nack.seq));
    }
  }
}

/** rdbSavedObjectLen: the bytes saveObject writes (DEBUG OBJECT's serializedlength). */
export function serializedLength(o: RObj, opts: ObjectOpts & { compress: boolean }): number {
  const w = new RdbWriter(opts.compress);
  saveObject(w, o, opts);
  return w.length;
}

// ---------------------------------------------------------------- load

const toElem = (b: Buffer): Elem => (b.length <= SMALL_ELEM ? b.latin1Slice(0, b.length) : b);
const elemOf = (e: LpElem): Elem => (typeof e === 'object' ? toElem(e) : String(e));
const strValueOf = (b: Buffer): StrValue => (b.length <= 64 ? b.latin1Slice(0, b.length) : b);

/** Empty keys are refused (rdbLoadObject's emptykey: RESTORE says "Bad data format"). */
class EmptyKeyError extends RdbError {
  constructor() {
    super('Empty keys skipped');
  }
}
export { EmptyKeyError };

/**
 * rdbLoadObject: one value of RDB type `type` (already read). Throws RdbError on short or corrupt input (and for an
 * empty value, EmptyKeyError). Encodings follow 7.0's thresholds as rdbLoadObject applies them.
 */
export function loadObject(r: RdbReader, type: number, opts: ObjectOpts): RObj {
  switch (type) {
    case RDB_TYPE.STRING: {
      const v = r.loadStringOrInt();
      return new RObj('string', typeof v === 'number' ? strValueOf(Buffer.from(String(v), 'latin1')) : strValueOf(v));
    }
    case RDB_TYPE.LIST: {
      const len = r.loadLen();
      if (len === 0) throw new EmptyKeyError();
      const d = new Deque();
      for (let i = 0; i < len; i++) d.pushTail(toElem(r.loadString()));
      return new RObj('list', d, 'quicklist');
    }
    case RDB_TYPE.SET:
      return loadSet(r, opts);
    case RDB_TYPE.ZSET:
    case RDB_TYPE.ZSET_2:
      return loadZset(r, type, opts);
    case RDB_TYPE.HASH:
      return loadHash(r, opts);
    case RDB_TYPE.LIST_QUICKLIST:
    case RDB_TYPE.LIST_QUICKLIST_2:
      return loadQuicklist(r, type, opts);
    case RDB_TYPE.HASH_ZIPMAP:
    case RDB_TYPE.LIST_ZIPLIST:
    case RDB_TYPE.SET_INTSET:
    case RDB_TYPE.ZSET_ZIPLIST:
    case RDB_TYPE.ZSET_LISTPACK:
    case RDB_TYPE.HASH_ZIPLIST:
    case RDB_TYPE.HASH_LISTPACK:
      return loadEncoded(r.loadString(), type, opts);
    case RDB_TYPE.STREAM_LISTPACKS:
    case RDB_TYPE.STREAM_LISTPACKS_2:
      return loadStream(r, type, opts);
    case RDB_TYPE.MODULE:
    case RDB_TYPE.MODULE_2: {
      const id = r.loadLenBig();
      return corrupt(`The RDB file contains module data I can't load: no matching module type '${moduleTypeName(id)}'`);
    }
    default:
      return corrupt(`Unknown RDB encoding type ${type}`);
  }
}

const MODULE_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** moduleTypeNameByID */
function moduleTypeName(id: bigint): string {
  let name = '';
  id >>= 10n;
  for (let j = 0; j < 9; j++) {
    name = MODULE_CHARSET[Number(id & 63n)] + name;
    id >>= 6n;
  }
  return name;
}

function loadSet(r: RdbReader, opts: ObjectOpts): RObj {
  const len = r.loadLen();
  if (len === 0) throw new EmptyKeyError();
  let maxEntries = opts.num('set-max-intset-entries');
  if (maxEntries >= 1 << 30) maxEntries = 1 << 30;
  const s = new SetValue();
  if (len > r.remaining) corrupt('Unexpected EOF reading RDB file'); // every member takes at least one byte
  // intsetAdd one by one is quadratic: collect the integers and sort them once (duplicates found then)
  let ints: bigint[] | null = len > maxEntries ? null : [];
  const sortedInts = (a: bigint[]): bigint[] => {
    a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    for (let i = 1; i < a.length; i++) if (a[i] === a[i - 1]) corrupt('Duplicate set members detected');
    return a;
  };
  if (ints === null) s.ints = null;
  for (let i = 0; i < len; i++) {
    const m = r.loadString().latin1Slice();
    if (ints !== null) {
      const v = memberToInt(m);
      if (v !== null) {
        ints.push(v);
        continue;
      }
      s.ints = sortedInts(ints); // setTypeConvert: the integers so far become members
      s.toHashtable();
      ints = null;
    }
    if (s.index.has(m)) corrupt('Duplicate set members detected');
    s.index.set(m, s.members.length);
    s.members.push(m);
  }
  if (ints !== null) s.ints = sortedInts(ints);
  return new RObj('set', s, s.isIntset ? 'intset' : 'hashtable');
}

function loadZset(r: RdbReader, type: number, opts: ObjectOpts): RObj {
  const len = r.loadLen();
  if (len === 0) throw new EmptyKeyError();
  if (len > r.remaining) corrupt('Unexpected EOF reading RDB file');
  const z = new ZSet();
  let maxelelen = 0;
  let totelelen = 0;
  for (let i = 0; i < len; i++) {
    const ele = r.loadString();
    const score = type === RDB_TYPE.ZSET_2 ? r.loadBinaryDouble() : r.loadDoubleValue();
    if (score !== score) corrupt('Zset with NAN score detected');
    if (ele.length > maxelelen) maxelelen = ele.length;
    totelelen += ele.length;
    const m = ele.latin1Slice();
    if (z.dict.has(m)) corrupt('Duplicate zset fields detected');
    z.insert(score, m);
  }
  const lp = z.length <= opts.num('zset-max-listpack-entries') && maxelelen <= opts.num('zset-max-listpack-value') && totelelen <= LISTPACK_MAX_SAFETY_SIZE;
  if (lp) normalizeListpackZeros(z);
  return new RObj('zset', z, lp ? 'listpack' : 'skiplist');
}

/** A listpack stores an integral score as an integer, so a -0 score reads back as 0 (zsetConvert to listpack). */
function normalizeListpackZeros(z: ZSet): void {
  for (let n = z.first(); n !== 0; n = z.nextOf(n)) {
    if (z.scoreOf(n) === 0) {
      z.setScoreInPlace(n, 0);
      z.dict.set(z.eleOf(n), 0);
    }
  }
}

function loadHash(r: RdbReader, opts: ObjectOpts): RObj {
  const len = r.loadLen();
  if (len === 0) throw new EmptyKeyError();
  if (len > r.remaining) corrupt('Unexpected EOF reading RDB file');
  const maxEntries = opts.num('hash-max-listpack-entries');
  const maxValue = opts.num('hash-max-listpack-value');
  let listpack = len <= maxEntries;
  let lpBytes = 7;
  const h = new HashValue();
  for (let i = 0; i < len; i++) {
    const f = r.loadString();
    const v = r.loadString();
    if (listpack && (f.length > maxValue || v.length > maxValue || lpBytes + f.length + v.length > LISTPACK_MAX_SAFETY_SIZE)) listpack = false;
    lpBytes += f.length + v.length + 4;
    if (!h.set(f.latin1Slice(), toElem(v))) corrupt(listpack ? 'Hash with dup elements' : 'Duplicate hash fields detected');
  }
  return new RObj('hash', h, listpack ? 'listpack' : 'hashtable');
}

function loadQuicklist(r: RdbReader, type: number, opts: ObjectOpts): RObj {
  const len = r.loadLen();
  if (len === 0) throw new EmptyKeyError();
  const d = new Deque();
  const nodes: number[] = [];
  for (let i = 0; i < len; i++) {
    let container = QUICKLIST_NODE_CONTAINER_PACKED;
    if (type === RDB_TYPE.LIST_QUICKLIST_2) {
      container = r.loadLen();
      if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) corrupt('Quicklist integrity check failed.');
    }
    const data = r.loadString();
    if (data.length === 0) corrupt('Unexpected EOF reading RDB file');
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      d.pushTail(toElem(data));
      nodes.push(-1);
      continue;
    }
    let els: LpElem[];
    if (type === RDB_TYPE.LIST_QUICKLIST_2) sanitized(opts);
    try {
      els = type === RDB_TYPE.LIST_QUICKLIST_2 ? lpDecode(data) : ziplistDecode(data);
    } catch {
      return corrupt(type === RDB_TYPE.LIST_QUICKLIST_2 ? 'Listpack integrity check failed.' : 'Ziplist integrity check failed.');
    }
    for (const e of els) d.pushTail(elemOf(e));
    if (els.length) nodes.push(els.length); // empty nodes are skipped, as quicklistAppendListpack's caller does
  }
  if (d.length === 0) throw new EmptyKeyError();
  listLayouts.set(d, { elems: [...d], nodes });
  return new RObj('list', d, 'quicklist');
}

/** Field/value pairs of a pairs blob: even count and, when asked, no duplicate fields. */
function pairs(els: LpElem[], what: string, checkDups: boolean): LpElem[] {
  if (els.length % 2) corrupt(`${what} integrity check failed.`);
  if (checkDups) {
    const seen = new Set<string>();
    for (let i = 0; i < els.length; i += 2) {
      const k = lpElemStr(els[i]);
      if (seen.has(k)) corrupt(`${what} integrity check failed.`);
      seen.add(k);
    }
  }
  return els;
}

function decodeOr(what: string, f: () => LpElem[]): LpElem[] {
  try {
    return f();
  } catch {
    return corrupt(`${what} integrity check failed.`);
  }
}

function loadEncoded(blob: Buffer, type: number, opts: ObjectOpts): RObj {
  // every blob is decoded (and so validated) in full; duplicates are always refused: the store cannot hold them
  switch (type) {
    case RDB_TYPE.HASH_ZIPMAP: {
      let kv: Buffer[];
      try {
        kv = zipmapDecode(blob);
      } catch {
        return corrupt('Zipmap integrity check failed.');
      }
      const h = new HashValue();
      let maxlen = 0;
      for (let i = 0; i < kv.length; i += 2) {
        maxlen = Math.max(maxlen, kv[i].length, kv[i + 1].length);
        if (!h.set(kv[i].latin1Slice(), toElem(kv[i + 1]))) corrupt(`Hash zipmap with dup elements, or big length (${kv[i].length})`);
      }
      const lp = h.size <= opts.num('hash-max-listpack-entries') && maxlen <= opts.num('hash-max-listpack-value');
      return new RObj('hash', h, lp ? 'listpack' : 'hashtable');
    }
    case RDB_TYPE.LIST_ZIPLIST: {
      const els = decodeOr('List ziplist', () => ziplistDecode(blob));
      if (els.length === 0) throw new EmptyKeyError();
      const d = new Deque(els.length);
      for (const e of els) d.pushTail(elemOf(e));
      return new RObj('list', d, 'quicklist');
    }
    case RDB_TYPE.SET_INTSET: {
      sanitized(opts);
      let ints: bigint[];
      try {
        ints = intsetDecode(blob, true);
      } catch {
        return corrupt('Intset integrity check failed.');
      }
      const s = new SetValue();
      s.ints = ints;
      if (ints.length > opts.num('set-max-intset-entries')) s.toHashtable();
      return new RObj('set', s, s.isIntset ? 'intset' : 'hashtable');
    }
    case RDB_TYPE.ZSET_ZIPLIST:
    case RDB_TYPE.ZSET_LISTPACK: {
      const what = type === RDB_TYPE.ZSET_ZIPLIST ? 'Zset ziplist' : 'Zset listpack';
      if (type === RDB_TYPE.ZSET_LISTPACK) sanitized(opts);
      const els = pairs(
        decodeOr(what, () => (type === RDB_TYPE.ZSET_ZIPLIST ? ziplistDecode(blob) : lpDecode(blob))),
        what,
        true,
      );
      if (els.length === 0) throw new EmptyKeyError();
      const z = new ZSet();
      for (let i = 0; i < els.length; i += 2) {
        const s = els[i + 1];
        const score = typeof s === 'object' ? zzlStrtod(s) : Number(s);
        z.insert(score, lpElemStr(els[i]));
      }
      const lp = z.length <= opts.num('zset-max-listpack-entries');
      if (lp) normalizeListpackZeros(z);
      return new RObj('zset', z, lp ? 'listpack' : 'skiplist');
    }
    case RDB_TYPE.HASH_ZIPLIST:
    case RDB_TYPE.HASH_LISTPACK: {
      const what = type === RDB_TYPE.HASH_ZIPLIST ? 'Hash ziplist' : 'Hash listpack';
      if (type === RDB_TYPE.HASH_LISTPACK) sanitized(opts);
      const els = pairs(
        decodeOr(what, () => (type === RDB_TYPE.HASH_ZIPLIST ? ziplistDecode(blob) : lpDecode(blob))),
        what,
        true,
      );
      if (els.length === 0) throw new EmptyKeyError();
      const h = new HashValue();
      for (let i = 0; i < els.length; i += 2) h.set(lpElemStr(els[i]), elemOf(els[i + 1]));
      const lp = h.size <= opts.num('hash-max-listpack-entries');
      return new RObj('hash', h, lp ? 'listpack' : 'hashtable');
    }
  }
  return corrupt(`Unknown RDB encoding type ${type}`);
}

/** zzlStrtod: strtod over at most 127 bytes of a string score (garbage reads as the numeric prefix, or 0). */
function zzlStrtod(b: Buffer): number {
  const s = b.latin1Slice(0, Math.min(b.length, 127));
  const m = /^[ \t\n\v\f\r]*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan))/i.exec(s);
  if (!m) return 0;
  const body = m[1].toLowerCase().replace(/^[+-]/, '');
  if (body.startsWith('inf')) return m[1][0] === '-' ? -Infinity : Infinity;
  if (body === 'nan') return NaN;
  return Number(m[1]);
}

/** An integer element of a stream listpack (lpGetIntegerIfValid: integers, or strings that parse as one). */
function lpInt(e: LpElem | undefined): number | bigint {
  if (e === undefined) return corrupt('Stream listpack integrity check failed.');
  if (typeof e !== 'object') return e;
  const s = e.latin1Slice();
  if (!/^(?:0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return corrupt('Stream listpack integrity check failed.');
  const v = BigInt(s);
  if (v < -(2n ** 63n) || v >= 2n ** 63n) return corrupt('Stream listpack integrity check failed.');
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

const addU64 = (base: U64, delta: number | bigint): U64 => {
  if (typeof base === 'number' && typeof delta === 'number') {
    const r = base + delta;
    if (r >= 0 && r <= 9007199254740991) return r;
  }
  return u64(BigInt.asUintN(64, toBig(base) + BigInt(delta)));
};

const num = (v: number | bigint): number => (typeof v === 'number' ? v : Number(v));

/** A stream node's listpack decoded into redlua's StreamNode (streamValidateListpackIntegrity's checks). */
function loadStreamNode(lp: Buffer, masterMs: U64, masterSeq: U64): StreamNode {
  const bad = (): never => corrupt('Stream listpack integrity check failed.');
  let els: LpElem[];
  try {
    els = lpDecode(lp);
  } catch {
    return bad();
  }
  if (els.length === 0) corrupt('Empty listpack inside stream');
  let p = 0;
  const count = num(lpInt(els[p++]));
  const deleted = num(lpInt(els[p++]));
  const nfields = num(lpInt(els[p++]));
  if (count < 0 || deleted < 0 || nfields < 0 || nfields > els.length) bad();
  const fields: Buffer[] = [];
  for (let i = 0; i < nfields; i++) {
    if (p >= els.length) bad();
    fields.push(lpElemBuf(els[p++]));
  }
  if (lpInt(els[p++]) !== 0) bad();
  const node = new StreamNode(masterMs, masterSeq, fields);
  let live = 0;
  let dead = 0;
  let prevMs: U64 = -1;
  let prevSeq: U64 = 0;
  for (let k = 0; k < count + deleted; k++) {
    if (p >= els.length) bad();
    const flags = num(lpInt(els[p++]));
    const ms = addU64(masterMs, lpInt(els[p++]));
    const seq = addU64(masterSeq, lpInt(els[p++]));
    let nf = nfields;
    let lpCount = nf + 3;
    const fv: Buffer[] = [];
    if (!(flags & FLAG_SAMEFIELDS)) {
      nf = num(lpInt(els[p++]));
      if (nf < 0 || p + nf * 2 > els.length) bad();
      for (let i = 0; i < nf * 2; i++) fv.push(lpElemBuf(els[p++]));
      lpCount = nf * 2 + 4;
    } else {
      if (p + nf > els.length) bad();
      for (let i = 0; i < nf; i++) fv.push(fields[i], lpElemBuf(els[p++]));
    }
    if (num(lpInt(els[p++])) !== lpCount) bad();
    if (prevMs !== -1 && cmpID(ms, seq, prevMs, prevSeq) <= 0) bad();
    if (cmpID(ms, seq, masterMs, masterSeq) < 0) bad();
    prevMs = ms;
    prevSeq = seq;
    const e: StreamEntry = packEntry(ms, seq, fv, 0);
    if (flags & FLAG_DELETED) {
      e.deleted = true;
      dead++;
    } else live++;
    node.entries.push(e);
  }
  if (p !== els.length) bad();
  if (live !== count || dead !== deleted) bad();
  node.live = live;
  node.deleted = dead;
  // redlua's node size model: everything but the two master counters
  node.fixedBytes = lp.length - lpIntSize(live) - lpIntSize(dead);
  return node;
}

function loadStream(r: RdbReader, type: number, opts: ObjectOpts): RObj {
  const s = new Stream();
  const listpacks = r.loadLen();
  for (let i = 0; i < listpacks; i++) {
    const key = r.loadString();
    if (key.length !== 16) corrupt('Stream node key entry is not the size of a stream ID');
    const ms = u64(key.readBigUInt64BE(0));
    const seq = u64(key.readBigUInt64BE(8));
    const lp = r.loadString();
    sanitized(opts);
    const node = loadStreamNode(lp, ms, seq);
    const prev = s.nodes[s.nodes.length - 1];
    if (prev !== undefined) {
      const c = cmpID(ms, seq, prev.masterMs, prev.masterSeq);
      if (c === 0) corrupt('Listpack re-added with existing key');
      const last = prev.entries[prev.entries.length - 1];
      if (c < 0 || (last && cmpID(ms, seq, last.ms, last.seq) <= 0)) corrupt('Stream listpack integrity check failed.');
    }
    s.nodes.push(node);
  }
  s.length = r.loadLen();
  s.lastMs = u64(r.loadLenBig());
  s.lastSeq = u64(r.loadLenBig());
  if (type === RDB_TYPE.STREAM_LISTPACKS_2) {
    s.firstMs = u64(r.loadLenBig());
    s.firstSeq = u64(r.loadLenBig());
    s.maxDelMs = u64(r.loadLenBig());
    s.maxDelSeq = u64(r.loadLenBig());
    s.entriesAdded = r.loadLen();
  } else {
    s.entriesAdded = s.length;
    const first = s.edge(true);
    s.firstMs = first ? first.ms : 0;
    s.firstSeq = first ? first.seq : 0;
  }
  if (s.length && !s.nodes.length) corrupt('Stream length inconsistent with rax entries');
  const ngroups = r.loadLen();
  for (let gi = 0; gi < ngroups; gi++) {
    const name = r.loadString().latin1Slice();
    const lastMs = u64(r.loadLenBig());
    const lastSeq = u64(r.loadLenBig());
    let entriesRead: number;
    if (type === RDB_TYPE.STREAM_LISTPACKS_2) {
      const off = r.loadLenBig();
      entriesRead = Number(BigInt.asIntN(64, off));
    } else entriesRead = s.estimateDistance(lastMs, lastSeq);
    if (!s.groups) s.groups = new Map();
    if (s.groups.has(name)) corrupt(`Duplicated consumer group name ${name}`);
    const g = new ConsumerGroup(name, lastMs, lastSeq, entriesRead);
    s.groups.set(name, g);
    const pelSize = r.loadLen();
    if (pelSize > r.remaining) corrupt('Stream PEL size loading failed.');
    const byId = new Map<string, Nack>();
    for (let i = 0; i < pelSize; i++) {
      const raw = r.raw(16);
      const ms = u64(raw.readBigUInt64BE(0));
      const seq = u64(raw.readBigUInt64BE(8));
      const when = r.loadMillis();
      const cnt = r.loadLen();
      const nack = new Nack(ms, seq, when, cnt, null);
      if (!g.pel.insert(nack)) corrupt('Duplicated global PEL entry loading stream consumer group');
      byId.set(raw.latin1Slice(), nack);
    }
    const ncons = r.loadLen();
    for (let ci = 0; ci < ncons; ci++) {
      const cname = r.loadString().latin1Slice();
      if (g.consumers.has(cname)) corrupt('Duplicate stream consumer detected.');
      const cons = new Consumer(cname, 0);
      g.consumers.set(cname, cons);
      cons.seenTime = r.loadMillis();
      const n = r.loadLen();
      if (n > r.remaining) corrupt('Stream consumer PEL num loading failed.');
      for (let i = 0; i < n; i++) {
        const raw = r.raw(16);
        const nack = byId.get(raw.latin1Slice());
        if (nack === undefined) corrupt('Consumer entry not found in group global PEL');
        if (nack!.consumer !== null) corrupt('Stream consumer PEL entry already has a consumer assigned');
        nack!.consumer = cons;
        if (!cons.pel.insert(nack!)) corrupt('Duplicated consumer PEL entry  loading a stream consumer group');
      }
    }
    // a NACK without a consumer would break XCLAIM/XPENDING: always refused (Redis checks it when sanitizing)
    for (const nack of byId.values()) if (nack.consumer === null) corrupt('Stream CG PEL entry without consumer');
  }
  return new RObj('stream', s, 'stream');
}
