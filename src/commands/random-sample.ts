// Shared count rules of SRANDMEMBER and HRANDFIELD (t_set.c srandmemberWithCountCommand, t_hash.c
// hrandfieldWithCountCommand): the four cases and the output-size guard, over any collection of string members.
import { CF, type Client } from '../server/client.js';

/** A collection to sample from (a SetValue is one): iterates its members in the order CASE 2 replies them. */
export interface SampleSource extends Iterable<string> {
  readonly size: number;
  /** a uniformly random member */
  random(): string;
  /** a fresh array of every member (CASE 3 shuffles it) */
  toArray(): string[];
}

/** A random sample of `count` distinct members of `all` (count < all.length), by partial Fisher-Yates; reuses `all`. */
export function sampleDistinct(all: string[], count: number): string[] {
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (all.length - i));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  all.length = count;
  return all;
}

/**
 * Replies `count` random members of `src` (`uniq` false: repetitions allowed, from a negative count), each through
 * `emit`; `perItem` is how many array slots one member takes (2 for RESP2 WITHVALUES, else 1).
 */
export function replyRandomMembers(
  c: Client,
  src: SampleSource,
  count: number,
  uniq: boolean,
  perItem: number,
  emit: (m: string) => void,
): void {
  if (count === 0) return c.reply.emptyArray();
  const r = c.reply;
  // CASE 1: repetitions allowed (or a single element).
  if (!uniq || count === 1) {
    r.arrayLen(count * perItem);
    for (let i = 1; i <= count; i++) {
      emit(src.random());
      if (c.closed) break;
      // A pathological count (e.g. -1e12) would exhaust memory: give up on the client past 1 GB of output, as the
      // output buffer limits would.
      if ((i & 0xfff) === 0 && r.length > 1 << 30) {
        c.flags |= CF.CLOSE_AFTER_REPLY;
        break;
      }
    }
    return;
  }
  const size = src.size;
  r.arrayLen((count < size ? count : size) * perItem);
  // CASE 2: the whole collection, in its order.
  if (count >= size) {
    for (const m of src) emit(m);
    return;
  }
  // CASE 3/4: distinct random members.
  if (count * 3 > size || size <= 1024) {
    for (const m of sampleDistinct(src.toArray(), count)) emit(m);
    return;
  }
  const seen = new Set<string>();
  while (seen.size < count) {
    const m = src.random();
    if (seen.has(m)) continue;
    seen.add(m);
    emit(m);
  }
}
