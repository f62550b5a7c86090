// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD over sorted sets and plain sets (Redis: t_zset.c zunionInterDiffGenericCommand).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { keyStr, RObj } from '../store/db.js';
import { ZSet, fmtScore } from '../store/zset.js';
import type { SetValue } from '../store/set.js';
import { eqi } from '../util/parse.js';
import { getLongLongOrReply, getDoubleOrReply, getPositiveLongOrReply } from './args.js';
import { ENC_SKIPLIST, zsetConvertToListpackIfNeeded, storeZsetResult } from './zsets.js';

const SUM = 1;
const MIN = 2;
const MAX = 3;

/** An input of the set operations: a sorted set, or a plain set (every score 1). */
interface OpSrc {
  obj: RObj | null;
  weight: number;
  size: number;
}

function srcSize(o: RObj | null): number {
  if (o === null) return 0;
  return o.type === 'zset' ? (o.value as ZSet).length : (o.value as SetValue).size;
}

function srcFind(src: OpSrc, ele: string): number | undefined {
  const o = src.obj;
  if (o === null) return undefined;
  if (o.type === 'zset') return (o.value as ZSet).dict.get(ele);
  return (o.value as SetValue).has(ele) ? 1 : undefined;
}

function srcForEach(src: OpSrc, fn: (ele: string, score: number) => boolean | void): void {
  const o = src.obj;
  if (o === null) return;
  if (o.type === 'zset') {
    const z = o.value as ZSet;
    for (let n = z.first(); n !== 0; n = z.nextOf(n)) if (fn(z.eleOf(n), z.scoreOf(n)) === false) return;
  } else {
    for (const m of o.value as SetValue) if (fn(m, 1) === false) return;
  }
}

function aggregate(target: number, val: number, agg: number): number {
  if (agg === SUM) {
    const r = target + val;
    return r !== r ? 0 : r;
  }
  if (agg === MIN) return val < target ? val : target;
  return val > target ? val : target;
}

const OP_UNION = 0;
const OP_INTER = 1;
const OP_DIFF = 2;

function zsetOpGeneric(c: Client, argv: Buffer[], dstkey: string | null, numkeysIndex: number, op: number, cardOnly: boolean): void {
  const setnum = getLongLongOrReply(c, argv[numkeysIndex]);
  if (setnum === null) return;
  if (setnum < 1) return c.reply.error(E.zAtLeastOneKey(c.cmd ? c.cmd.fullname : String(argv[0]).toLowerCase()));
  if (setnum > argv.length - (numkeysIndex + 1)) return c.reply.error(E.SYNTAX);
  const src: OpSrc[] = new Array(setnum);
  let j = numkeysIndex + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const o = c.db.lookupRead(keyStr(argv[j]));
    if (o !== undefined && o.type !== 'zset' && o.type !== 'set') return c.reply.error(E.WRONGTYPE);
    src[i] = { obj: o ?? null, weight: 1, size: 0 };
  }
  let agg = SUM;
  let withscores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining) {
    const a = argv[j];
    if (op !== OP_DIFF && !cardOnly && remaining >= setnum + 1 && eqi(a, 'weights')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = getDoubleOrReply(c, argv[j], E.ZWEIGHT_NOT_FLOAT);
        if (w === null) return;
        src[i].weight = w;
      }
    } else if (op !== OP_DIFF && !cardOnly && remaining >= 2 && eqi(a, 'aggregate')) {
      j++;
      remaining--;
      const v = argv[j];
      if (eqi(v, 'sum')) agg = SUM;
      else if (eqi(v, 'min')) agg = MIN;
      else if (eqi(v, 'max')) agg = MAX;
      else return c.reply.error(E.SYNTAX);
      j++;
      remaining--;
    } else if (remaining >= 1 && dstkey === null && !cardOnly && eqi(a, 'withscores')) {
      j++;
      remaining--;
      withscores = true;
    } else if (cardOnly && remaining >= 2 && eqi(a, 'limit')) {
      j++;
      remaining--;
      const l = getPositiveLongOrReply(c, argv[j], E.LIMIT_NEGATIVE);
      if (l === null) return;
      limit = l;
      j++;
      remaining--;
    } else return c.reply.error(E.SYNTAX);
  }
  for (const s of src) s.size = srcSize(s.obj);
  // Stable sort by cardinality (qsort is not stable, but only the order of equal-sized inputs differs, which can
  // only change float rounding of SUM; keep the given order among equals).
  if (op !== OP_DIFF) src.sort((a, b) => a.size - b.size);

  const dst = new ZSet();
  let maxelelen = 0;
  let cardinality = 0;
  if (op === OP_INTER) {
    if (src[0].size > 0) {
      srcForEach(src[0], (ele, sc) => {
        let score = src[0].weight * sc;
        if (score !== score) score = 0;
        let k = 1;
        for (; k < setnum; k++) {
          let value: number | undefined;
          if (src[k].obj === src[0].obj) value = sc * src[k].weight;
          else {
            value = srcFind(src[k], ele);
            if (value === undefined) break;
            value *= src[k].weight;
          }
          score = aggregate(score, value, agg);
        }
        if (k === setnum) {
          if (cardOnly) {
            cardinality++;
            if (limit && cardinality >= limit) return false;
          } else {
            dst.insert(score, ele);
            if (ele.length > maxelelen) maxelelen = ele.length;
          }
        }
        return true;
      });
    }
  } else if (op === OP_UNION) {
    const acc = new Map<string, number>();
    for (let i = 0; i < setnum; i++) {
      if (src[i].size === 0) continue;
      const w = src[i].weight;
      srcForEach(src[i], (ele, sc) => {
        let score = w * sc;
        if (score !== score) score = 0;
        const ex = acc.get(ele);
        if (ex === undefined) {
          acc.set(ele, score);
          if (ele.length > maxelelen) maxelelen = ele.length;
        } else acc.set(ele, aggregate(ex, score, agg));
      });
    }
    for (const [ele, score] of acc) dst.insert(score, ele);
  } else {
    // DIFF: same result whichever of Redis's two algorithms it picks.
    if (src[0].size > 0) {
      let same = false;
      for (let i = 1; i < setnum; i++) if (src[i].obj === src[0].obj) same = true;
      if (!same) {
        srcForEach(src[0], (ele, sc) => {
          for (let i = 1; i < setnum; i++) if (srcFind(src[i], ele) !== undefined) return;
          dst.insert(sc, ele);
          if (ele.length > maxelelen) maxelelen = ele.length;
        });
      }
    }
  }

  if (dstkey !== null) {
    const dobj = new RObj('zset', dst, ENC_SKIPLIST);
    if (dst.length) zsetConvertToListpackIfNeeded(c.server, dobj, maxelelen);
    storeZsetResult(c, dstkey, dobj, dst.length, op === OP_UNION ? 'zunionstore' : op === OP_INTER ? 'zinterstore' : 'zdiffstore');
  } else if (cardOnly) {
    c.reply.int(cardinality);
  } else {
    const len = dst.length;
    const r = c.reply;
    r.arrayLen(withscores && c.resp === 2 ? len * 2 : len);
    const nested = withscores && c.resp > 2;
    for (let n = dst.first(); n !== 0; n = dst.nextOf(n)) {
      if (nested) r.arrayLen(2);
      r.bulkStr(dst.eleOf(n));
      if (withscores) r.doubleText(fmtScore(dst.scoreOf(n)));
    }
  }
}

export const zunionstoreCommand: Handler = (c, argv) => zsetOpGeneric(c, argv, keyStr(argv[1]), 2, OP_UNION, false);
export const zinterstoreCommand: Handler = (c, argv) => zsetOpGeneric(c, argv, keyStr(argv[1]), 2, OP_INTER, false);
export const zdiffstoreCommand: Handler = (c, argv) => zsetOpGeneric(c, argv, keyStr(argv[1]), 2, OP_DIFF, false);
export const zunionCommand: Handler = (c, argv) => zsetOpGeneric(c, argv, null, 1, OP_UNION, false);
export const zinterCommand: Handler = (c, argv) => zsetOpGeneric(c, argv, null, 1, OP_INTER, false);
export const zintercardCommand: Handler = (c, argv) => zsetOpGeneric(c, argv, null, 1, OP_INTER, true);
export const zdiffCommand: Handler = (c, argv) => zsetOpGeneric(c, argv, null, 1, OP_DIFF, false);

export const handlers: Record<string, Handler> = {
  zunionstore: zunionstoreCommand,
  zinterstore: zinterstoreCommand,
  zdiffstore: zdiffstoreCommand,
  zunion: zunionCommand,
  zinter: zinterCommand,
  zintercard: zintercardCommand,
  zdiff: zdiffCommand,
};
