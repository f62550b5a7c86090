// LZF compression as Redis bundles it (Redis: lzf_c.c, lzf_d.c with lzfP.h: HLOG 16, VERY_FAST, CHECK_INPUT).

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** hash slot → input offset + 1 (0 = empty), reset per call: Redis leaves it uninitialised (INIT_HTAB 0); see below */
const htab = new Int32Array(HSIZE);
/** Refuse to allocate more than this for one decompressed string (Redis's ztrymalloc failing likewise fails the load). */
const MAX_DECOMPRESSED = 512 * 1024 * 1024;

const idx = (h: number): number => ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);

/**
 * lzf_compress: writes at most `outLen` bytes into `out`, returning the compressed length, or 0 when the result does
 * not fit. The output is byte-identical to liblzf's for a clean hash table. (Redis never clears its stack hash table;
 * stale slots from an earlier call can only add back-references, so Redis's own output is deterministic only when
 * its table is clean — a fresh process, or data whose 3-byte hashes did not meet earlier strings'.) The match
 * extension follows lzf_c.c's 16-step unrolled loop exactly, since near the end of the input it may extend a match
 * past `maxlen` where a plain loop would stop.
 */
export function lzfCompress(input: Uint8Array, out: Uint8Array, outLen: number): number {
  const inLen = input.length;
  if (!inLen || !outLen) return 0;
  htab.fill(0);
  let ip = 0;
  let op = 0;
  const inEnd = inLen;
  const outEnd = outLen;
  let lit = 0;
  op++; // start run
  let hval = (input[0] << 8) | input[1];
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) & 0xffffff;
    const slot = idx(hval);
    const ref = htab[slot] - 1; // -1: empty
    htab[slot] = ip + 1;
    let off = 0;
    if (ref > 0 && ref < ip && (off = ip - ref - 1) < MAX_OFF && input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      maxlen = maxlen > MAX_REF ? MAX_REF : maxlen;
      if (op + 3 + 1 >= outEnd) if (op - (lit ? 0 : 1) + 3 + 1 >= outEnd) return 0;
      out[op - lit - 1] = lit - 1; // stop run
      op -= lit ? 0 : 1; // undo run if length is zero
      let done = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            done = true;
            break;
          }
        }
      }
      if (!done) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // len is now #octets - 1
      ip++;
      if (len < 7) out[op++] = ((off >> 8) + (len << 5)) & 0xff;
      else {
        out[op++] = ((off >> 8) + (7 << 5)) & 0xff;
        out[op++] = (len - 7) & 0xff;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      ip -= 2;
      hval = (input[ip] << 8) | input[ip + 1];
      hval = ((hval << 8) | input[ip + 2]) & 0xffffff;
      htab[idx(hval)] = ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) & 0xffffff;
      htab[idx(hval)] = ip + 1;
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1; // stop run
        lit = 0;
        op++; // start run
      }
    }
  }
  if (op + 3 > outEnd) return 0;
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  op -= lit ? 0 : 1;
  return op;
}

/** lzf_decompress into exactly `outLen` bytes: null on corrupt input or when the output is not exactly that long. */
export function lzfDecompress(input: Uint8Array, outLen: number): Buffer | null {
  // A hostile length must not allocate gigabytes: one input byte never expands past 264 output bytes.
  if (outLen > MAX_DECOMPRESSED || outLen > input.length * 264 + 64) return null;
  const out = Buffer.allocUnsafe(outLen);
  let ip = 0;
  let op = 0;
  const inEnd = input.length;
  while (ip < inEnd) {
    let ctrl = input[ip++];
    if (ctrl < 1 << 5) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > inEnd) return null;
      for (let i = 0; i < ctrl; i++) out[op++] = input[ip++];
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inEnd) return null;
      if (len === 7) {
        len += input[ip++];
        if (ip >= inEnd) return null;
      }
      ref -= input[ip++];
      if (op + len + 2 > outLen || ref < 0) return null;
      len += 2;
      for (let i = 0; i < len; i++) out[op++] = out[ref++];
    }
  }
  return op === outLen ? out : null;
}
