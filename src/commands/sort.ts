// SORT and SORT_RO over lists, sets and sorted sets (Redis: sort.c).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { CF } from '../server/client.js';
import { E } from '../errors.js';
import { keyStr, type Db, type RObj } from '../store/db.js';
import type { ZSet } from '../store/zset.js';
import { NOTIFY } from '../server/notify.js';
import { eqi, strtod } from '../util/parse.js';
import { getLongLongOrReply } from './args.js';
import { ENC_SKIPLIST } from './zsets.js';
import type { SetValue } from '../store/set.js';
import { pqsort } from '../util/geohash.js';
import { userCheckCmdWithUnrestrictedKeyAccess } from '../acl/check.js';
import { PERM } from '../acl/rules.js';
import { newListObject } from '../store/list.js';

interface SortItem {
  /** the element, latin1 */
  obj: string;
  score: number;
  /** BY value for ALPHA sorting (latin1), null when the key/field is missing */
  cmpobj: string | null;
}

const asLatin1 = (v: unknown): string =>
  typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.latin1Slice(0, v.length) : v instanceof Uint8Array ? Buffer.from(v).latin1Slice(0, v.length) : String(v);

/** lookupKeyByPattern: '#' is the element itself; 'pre*post' a string key; 'pre*post->field' a hash field. */
function lookupByPattern(db: Db, pattern: string, subst: string): string | null {
  // C string semantics: the pattern ends at a NUL byte for '#', '*' and '->' detection.
  const nul = pattern.indexOf('\0');
  const cpat = nul < 0 ? pattern : pattern.slice(0, nul);
  if (cpat === '#') return subst;
  const p = cpat.indexOf('*');
  if (p < 0) return null;
  const f = cpat.indexOf('->', p + 1);
  let field: string | null = null;
  let postEnd = pattern.length;
  if (f >= 0 && f + 2 < cpat.length) {
    field = pattern.slice(f + 2);
    postEnd = f;
  }
  const key = pattern.slice(0, p) + subst + pattern.slice(p + 1, postEnd);
  const o = db.lookupRead(key);
  if (o === undefined) return null;
  if (field !== null) {
    if (o.type !== 'hash') return null;
    const v = (o.value as { get(f: string): unknown }).get(field);
    return v === undefined || v === null ? null : asLatin1(v);
  }
  if (o.type !== 'string') return null;
  return asLatin1(o.value);
}

function cmpBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * strtod as SORT uses it: leading spaces allowed, the whole C string consumed (it ends at the first NUL byte: "" and
 * "7\0x" are 0 and 7), no ERANGE, no NaN.
 */
function sortScore(text: string): number | null {
  const nul = text.indexOf('\0');
  const s = nul < 0 ? text : text.slice(0, nul);
  let i = 0;
  while (i < s.length) {
    const ch = s.charCodeAt(i);
    if (ch === 32 || (ch >= 9 && ch <= 13)) i++;
    else break;
  }
  if (i === s.length) return i === 0 ? 0 : null;
  const body = s.slice(i);
  const d = strtod(body);
  if (d === null || d !== d) return null;
  if (d === Infinity || d === -Infinity) {
    if (!/^[+-]?inf/i.test(body)) return null; // overflow: ERANGE
  } else if (d === 0 || Math.abs(d) < 2.2250738585072014e-308) {
    if (/[1-9]/.test(body.replace(/[eEpP].*$/, '').replace(/^[+-]?0[xX]/, ''))) return null; // underflow: ERANGE
  }
  return d;
}

function listItems(o: RObj): string[] {
  const out: string[] = [];
  for (const b of o.value as Iterable<unknown>) out.push(asLatin1(b));
  return out;
}


/** BY patterns and GET read keys the ACLs cannot see: they need read access to every key (sort.c user_has_full_key_access). */
function fullKeyAccess(c: Client, argv: Buffer[]): boolean {
  return c.user.unrestricted || userCheckCmdWithUnrestrictedKeyAccess(c.user, c.cmd!, argv, PERM.R);
}

function sortGeneric(c: Client, argv: Buffer[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const gets: string[] = [];
  let j = 2;
  while (j < argv.length) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (eqi(a, 'asc')) desc = false;
    else if (eqi(a, 'desc')) desc = true;
    else if (eqi(a, 'alpha')) alpha = true;
    else if (eqi(a, 'limit') && left >= 2) {
      const s = getLongLongOrReply(c, argv[j + 1]);
      if (s === null) return;
      const n = getLongLongOrReply(c, argv[j + 2]);
      if (n === null) return;
      limitStart = s;
      limitCount = n;
      j += 2;
    } else if (!readonly && eqi(a, 'store') && left >= 1) {
      storekey = keyStr(argv[j + 1]);
      j++;
    } else if (eqi(a, 'by') && left >= 1) {
      sortby = keyStr(argv[j + 1]);
      const nul = sortby.indexOf('\0');
      if ((nul < 0 ? sortby : sortby.slice(0, nul)).indexOf('*') < 0) dontsort = true;
      else if (!fullKeyAccess(c, argv)) return c.reply.error(E.SORT_BY_DENIED);
      j++;
    } else if (eqi(a, 'get') && left >= 1) {
      if (!fullKeyAccess(c, argv)) return c.reply.error(E.SORT_GET_DENIED);
      gets.push(keyStr(argv[j + 1]));
      j++;
    } else return c.reply.error(E.SYNTAX);
    j++;
  }
  const db = c.db;
  const sortval = db.lookupRead(keyStr(argv[1]));
  if (sortval !== undefined && sortval.type !== 'set' && sortval.type !== 'list' && sortval.type !== 'zset') {
    return c.reply.error(E.WRONGTYPE);
  }
  const type = sortval === undefined ? 'list' : sortval.type;
  if (dontsort && type === 'set' && (storekey !== null || c.has(CF.SCRIPT))) {
    // Sets have no order: in scripts and for STORE, sort lexicographically to be deterministic.
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  if (sortval !== undefined && type === 'zset') sortval.enc = ENC_SKIPLIST; // zsetConvert(..., SKIPLIST)
  let vectorlen: number;
  if (sortval === undefined) vectorlen = 0;
  else if (type === 'list') vectorlen = (sortval.value as { length: number }).length;
  else if (type === 'set') vectorlen = (sortval.value as { size: number }).size;
  else vectorlen = (sortval.value as ZSet).length;

  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  limitCount = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = limitCount < 0 ? vectorlen - 1 : start + limitCount - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;
  if ((type === 'zset' || type === 'list') && dontsort && (start !== 0 || end !== vectorlen - 1)) {
    vectorlen = end - start + 1;
  }

  const vector: SortItem[] = [];
  const item = (s: string): SortItem => ({ obj: s, score: 0, cmpobj: null });
  if (sortval === undefined) {
    // empty
  } else if (type === 'list' && dontsort) {
    if (end >= start) {
      const all = listItems(sortval);
      const len = all.length;
      if (desc) for (let i = len - start - 1; i >= 0 && vector.length < vectorlen; i--) vector.push(item(all[i]));
      else for (let i = start; i < len && vector.length < vectorlen; i++) vector.push(item(all[i]));
      end -= start;
      start = 0;
    }
  } else if (type === 'list') {
    for (const s of listItems(sortval)) vector.push(item(s));
  } else if (type === 'set') {
    for (const m of sortval.value as SetValue) vector.push(item(m));
  } else if (dontsort) {
    const z = sortval.value as ZSet;
    let rangelen = vectorlen;
    let ln = desc ? (start > 0 ? z.byRank(z.length - start) : z.tail) : start > 0 ? z.byRank(start + 1) : z.first();
    while (rangelen-- > 0 && ln !== 0) {
      vector.push(item(z.eleOf(ln)));
      ln = desc ? z.prevOf(ln) : z.nextOf(ln);
    }
    end -= start;
    start = 0;
  } else {
    for (const m of (sortval.value as ZSet).dict.keys()) vector.push(item(m));
  }
  vectorlen = vector.length;

  let convError = false;
  if (!dontsort) {
    for (let i = 0; i < vectorlen; i++) {
      let byval: string | null;
      if (sortby !== null) {
        byval = lookupByPattern(db, sortby, vector[i].obj);
        if (byval === null) continue;
      } else byval = vector[i].obj;
      if (alpha) {
        if (sortby !== null) vector[i].cmpobj = byval;
      } else {
        const d = sortScore(byval);
        if (d === null) convError = true;
        else vector[i].score = d;
      }
    }
    const bypattern = sortby !== null;
    const cmp = (a: SortItem, b: SortItem): number => {
      let r: number;
      if (!alpha) {
        if (a.score > b.score) r = 1;
        else if (a.score < b.score) r = -1;
        else r = cmpBytes(a.obj, b.obj);
      } else if (bypattern) {
        if (a.cmpobj === null || b.cmpobj === null) {
          if (a.cmpobj === b.cmpobj) r = 0;
          else if (a.cmpobj === null) r = -1;
          else r = 1;
        } else r = cmpBytes(a.cmpobj, b.cmpobj);
      } else r = cmpBytes(a.obj, b.obj);
      return desc ? -r : r;
    };
    if (sortby !== null && (start !== 0 || end !== vectorlen - 1)) pqsort(vector, cmp, start, end);
    else vector.sort(cmp);
  }

  const outputlen = gets.length ? gets.length * (end - start + 1) : end - start + 1;
  if (convError) return c.reply.error(E.SORT_NOT_DOUBLE);
  const s = c.server;
  if (storekey === null) {
    const r = c.reply;
    r.arrayLen(outputlen);
    for (let i = start; i <= end; i++) {
      if (!gets.length) r.bulkStr(vector[i].obj);
      for (const g of gets) {
        const v = lookupByPattern(db, g, vector[i].obj);
        if (v === null) r.null();
        else r.bulkStr(v);
      }
    }
    return;
  }
  const lobj = newListObject();
  const list = lobj.value as { pushTail(b: Buffer): void };
  for (let i = start; i <= end; i++) {
    if (!gets.length) list.pushTail(Buffer.from(vector[i].obj, 'latin1'));
    else {
      for (const g of gets) {
        const v = lookupByPattern(db, g, vector[i].obj);
        list.pushTail(Buffer.from(v ?? '', 'latin1'));
      }
    }
  }
  if (outputlen) {
    db.setKey(storekey, lobj);
    s.notify(db, 'sortstore', storekey, NOTIFY.LIST);
    s.dirty += outputlen;
  } else if (db.delete(storekey)) {
    s.keyModified(db, storekey);
    s.notify(db, 'del', storekey, NOTIFY.GENERIC);
    s.dirty++;
  }
  c.reply.int(outputlen);
}

export const sortCommand: Handler = (c, argv) => sortGeneric(c, argv, false);
export const sortRoCommand: Handler = (c, argv) => sortGeneric(c, argv, true);

export const handlers: Record<string, Handler> = {
  sort: sortCommand,
  sort_ro: sortRoCommand,
};
