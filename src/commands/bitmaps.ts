// Bitmap and bitfield commands (Redis: bitops.c).
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { keyStr, type RObj } from '../store/db.js';
import { E } from '../errors.js';
import { NOTIFY } from '../server/notify.js';
import { eqi, string2ll, string2llBig } from '../util/parse.js';
import { unshareString, newRawString, strBytes, strLen } from '../store/strings.js';

const POPCOUNT = new Uint8Array(256);
for (let i = 0; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

function popcount(p: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n += POPCOUNT[p[i]];
  return n;
}

/** redisBitpos: first `bit` in p[start, start+count) as a bit index; for bit 0 none found is count*8, for 1 it is -1. */
function bitpos(p: Uint8Array, start: number, count: number, bit: number): number {
  const skip = bit ? 0 : 0xff;
  let i = start;
  const end = start + count;
  while (i < end && p[i] === skip) i++;
  if (i === end) return bit ? -1 : count * 8;
  const b = p[i];
  for (let k = 0; k < 8; k++) {
    const v = (b >> (7 - k)) & 1;
    if (v === bit) return (i - start) * 8 + k;
  }
  return -1; // unreachable
}

/** getBitOffsetFromArgument. Returns the bit offset, or null after replying. */
function getBitOffset(c: Client, arg: Buffer, hash: boolean, bits: number): number | null {
  const useHash = hash && bits > 0 && arg.length > 0 && arg[0] === 35; /* # */
  const v = string2llBig(arg, useHash ? 1 : 0, arg.length);
  if (v === null) {
    c.reply.error(E.BIT_OFFSET);
    return null;
  }
  let off = v;
  if (useHash) off = BigInt.asIntN(64, off * BigInt(bits));
  if (off < 0n || off >> 3n >= BigInt(c.server.config.num('proto-max-bulk-len'))) {
    c.reply.error(E.BIT_OFFSET);
    return null;
  }
  return Number(off);
}

/** lookupStringForBitCommand: the string object, created or zero-padded to address `maxbit`; null after WRONGTYPE. */
function lookupStringForBit(c: Client, key: string, maxbit: number): { o: RObj; dirty: boolean } | null {
  const db = c.db;
  const byte = Math.floor(maxbit / 8);
  let o = db.lookupWrite(key);
  if (o !== undefined && o.type !== 'string') {
    c.reply.error(E.WRONGTYPE);
    return null;
  }
  if (o === undefined) {
    o = newRawString(byte + 1);
    db.add(key, o);
    return { o, dirty: true };
  }
  const old = strLen(o);
  const buf = unshareString(o, byte + 1);
  return { o, dirty: buf.length !== old };
}

export function setbitCommand(c: Client, argv: Buffer[]): void {
  const off = getBitOffset(c, argv[2], false, 0);
  if (off === null) return;
  const on = string2ll(argv[3]);
  if (on === null || (on !== 0 && on !== 1)) return c.reply.error(E.BIT_VALUE);
  const key = keyStr(argv[1]);
  const r = lookupStringForBit(c, key, off);
  if (r === null) return;
  const p = r.o.value as Buffer;
  const byte = Math.floor(off / 8);
  const bit = 7 - (off & 7);
  const byteval = p[byte];
  const bitval = (byteval >> bit) & 1;
  if (r.dirty || bitval !== on) {
    p[byte] = (byteval & ~(1 << bit)) | (on << bit);
    const s = c.server;
    s.keyModified(c.db, key);
    s.notify(c.db, 'setbit', key, NOTIFY.STRING);
    s.dirty++;
  }
  c.reply.int(bitval);
}

export function getbitCommand(c: Client, argv: Buffer[]): void {
  const off = getBitOffset(c, argv[2], false, 0);
  if (off === null) return;
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
  const p = strBytes(o);
  const byte = Math.floor(off / 8);
  if (byte >= p.length) return c.reply.int(0);
  c.reply.int((p[byte] >> (7 - (off & 7))) & 1);
}

export function bitopCommand(c: Client, argv: Buffer[]): void {
  const opname = argv[1];
  let op: number;
  if (eqi(opname, 'and')) op = 0;
  else if (eqi(opname, 'or')) op = 1;
  else if (eqi(opname, 'xor')) op = 2;
  else if (eqi(opname, 'not')) op = 3;
  else return c.reply.error(E.SYNTAX);
  if (op === 3 && argv.length !== 4) return c.reply.error(E.BITOP_NOT_ONE_KEY);
  const db = c.db;
  const n = argv.length - 3;
  const src: (Buffer | null)[] = [];
  let maxlen = 0;
  for (let j = 0; j < n; j++) {
    const o = db.lookupRead(keyStr(argv[j + 3]));
    if (o === undefined) {
      src.push(null);
      continue;
    }
    if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
    const b = strBytes(o);
    src.push(b);
    if (b.length > maxlen) maxlen = b.length;
  }
  const target = keyStr(argv[2]);
  const s = c.server;
  if (maxlen) {
    const res = newRawString(maxlen);
    const out = res.value as Buffer;
    const first = src[0];
    if (first) first.copy(out, 0);
    if (op === 3) {
      for (let i = 0; i < maxlen; i++) out[i] = ~out[i] & 0xff;
    } else {
      for (let j = 1; j < n; j++) {
        const b = src[j];
        const bl = b ? b.length : 0;
        if (op === 0) {
          for (let i = 0; i < bl; i++) out[i] &= b![i];
          out.fill(0, bl, maxlen);
        } else if (op === 1) {
          for (let i = 0; i < bl; i++) out[i] |= b![i];
        } else {
          for (let i = 0; i < bl; i++) out[i] ^= b![i];
        }
      }
    }
    db.setKey(target, res);
    s.notify(db, 'set', target, NOTIFY.STRING);
    s.dirty++;
  } else if (db.delete(target)) {
    s.keyModified(db, target);
    s.notify(db, 'del', target, NOTIFY.GENERIC);
    s.dirty++;
  }
  c.reply.int(maxlen);
}

/**
 * The byte range of BITCOUNT/BITPOS: `start`/`end` (negative from the end, in bits when `isbit`) clamped to a string
 * of `strlen` bytes; in BIT mode, `firstMask`/`lastMask` are the bits of the first/last byte outside the range.
 */
function byteRange(
  start: number,
  end: number,
  strlen: number,
  isbit: boolean,
): { start: number; end: number; firstMask: number; lastMask: number } {
  const totlen = isbit ? strlen * 8 : strlen;
  let firstMask = 0;
  let lastMask = 0;
  if (start < 0) start = totlen + start;
  if (end < 0) end = totlen + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= totlen) end = totlen - 1;
  if (isbit && start <= end) {
    firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
    lastMask = (1 << (7 - (end & 7))) - 1;
    start = Math.floor(start / 8);
    end = Math.floor(end / 8);
  }
  return { start, end, firstMask, lastMask };
}

export function bitcountCommand(c: Client, argv: Buffer[]): void {
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(0);
  if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
  const p = strBytes(o);
  const strlen = p.length;
  let start: number;
  let end: number;
  let firstMask = 0;
  let lastMask = 0;
  const argc = argv.length;
  if (argc === 4 || argc === 5) {
    const s0 = string2ll(argv[2]);
    if (s0 === null) return c.reply.error(E.NOT_INTEGER);
    const e0 = string2ll(argv[3]);
    if (e0 === null) return c.reply.error(E.NOT_INTEGER);
    start = s0;
    end = e0;
    if (start < 0 && end < 0 && start > end) return c.reply.int(0);
    let isbit = false;
    if (argc === 5) {
      if (eqi(argv[4], 'bit')) isbit = true;
      else if (!eqi(argv[4], 'byte')) return c.reply.error(E.SYNTAX);
    }
    ({ start, end, firstMask, lastMask } = byteRange(start, end, strlen, isbit));
  } else if (argc === 2) {
    start = 0;
    end = strlen - 1;
  } else return c.reply.error(E.SYNTAX);
  if (start > end) return c.reply.int(0);
  let count = popcount(p, start, end + 1);
  if (firstMask) count -= POPCOUNT[p[start] & firstMask];
  if (lastMask) count -= POPCOUNT[p[end] & lastMask];
  c.reply.int(count);
}

export function bitposCommand(c: Client, argv: Buffer[]): void {
  const bit = string2ll(argv[2]);
  if (bit === null) return c.reply.error(E.NOT_INTEGER);
  if (bit !== 0 && bit !== 1) return c.reply.error(E.BITPOS_BIT);
  const o = c.db.lookupRead(keyStr(argv[1]));
  if (o === undefined) return c.reply.int(bit ? -1 : 0);
  if (o.type !== 'string') return c.reply.error(E.WRONGTYPE);
  const p = strBytes(o);
  const strlen = p.length;
  const argc = argv.length;
  let start: number;
  let end: number;
  let endGiven = false;
  let firstMask = 0;
  let lastMask = 0;
  if (argc === 4 || argc === 5 || argc === 6) {
    const s0 = string2ll(argv[3]);
    if (s0 === null) return c.reply.error(E.NOT_INTEGER);
    start = s0;
    let isbit = false;
    if (argc === 6) {
      if (eqi(argv[5], 'bit')) isbit = true;
      else if (!eqi(argv[5], 'byte')) return c.reply.error(E.SYNTAX);
    }
    if (argc >= 5) {
      const e0 = string2ll(argv[4]);
      if (e0 === null) return c.reply.error(E.NOT_INTEGER);
      end = e0;
      endGiven = true;
    } else end = isbit ? strlen * 8 + 7 : strlen - 1;
    ({ start, end, firstMask, lastMask } = byteRange(start, end, strlen, isbit));
  } else if (argc === 3) {
    start = 0;
    end = strlen - 1;
  } else return c.reply.error(E.SYNTAX);
  if (start > end) return c.reply.int(-1);
  let bytes = end - start + 1;
  let pos = -1;
  const tmp = new Uint8Array(1);
  compute: {
    if (firstMask) {
      let t = bit ? p[start] & ~firstMask : p[start] | firstMask;
      if (lastMask && bytes === 1) t = bit ? t & ~lastMask : t | lastMask;
      tmp[0] = t;
      pos = bitpos(tmp, 0, 1, bit);
      if (bytes === 1 || (pos !== -1 && pos !== 8)) break compute;
      start++;
      bytes--;
    }
    const cur = bytes - (lastMask ? 1 : 0);
    if (cur > 0) {
      pos = bitpos(p, start, cur, bit);
      if (bytes === cur || (pos !== -1 && pos !== cur * 8)) break compute;
      start += cur;
      bytes -= cur;
    }
    tmp[0] = bit ? p[end] & ~lastMask : p[end] | lastMask;
    pos = bitpos(tmp, 0, 1, bit);
  }
  if (endGiven && bit === 0 && pos === bytes * 8) return c.reply.int(-1);
  if (pos !== -1) pos += start * 8;
  c.reply.int(pos!);
}

// ---------------------------------------------------------------- BITFIELD

const BF_WRAP = 0;
const BF_SAT = 1;
const BF_FAIL = 2;
const OP_GET = 0;
const OP_SET = 1;
const OP_INCRBY = 2;
const U64 = (1n << 64n) - 1n;

interface BfOp {
  offset: number;
  i64: bigint;
  opcode: number;
  owtype: number;
  bits: number;
  sign: boolean;
}

function getUnsigned(p: Uint8Array, offset: number, bits: number): bigint {
  let v = 0n;
  for (let j = 0; j < bits; j++) {
    const o = offset + j;
    const byte = Math.floor(o / 8);
    const bit = 7 - (o & 7);
    const bv = byte < p.length ? (p[byte] >> bit) & 1 : 0;
    v = (v << 1n) | BigInt(bv);
  }
  return v;
}

function getSigned(p: Uint8Array, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsigned(p, offset, bits));
}

function setBits(p: Uint8Array, offset: number, bits: number, value: bigint): void {
  const v = BigInt.asUintN(64, value);
  for (let j = 0; j < bits; j++) {
    const bv = Number((v >> BigInt(bits - 1 - j)) & 1n);
    const o = offset + j;
    const byte = Math.floor(o / 8);
    const bit = 7 - (o & 7);
    if (bv) p[byte] |= 1 << bit;
    else p[byte] &= ~(1 << bit);
  }
}

const i64 = (x: bigint) => BigInt.asIntN(64, x);

/** checkUnsignedBitfieldOverflow: [overflow (0, 1, -1), limit]. */
function checkUnsigned(value: bigint, incr: bigint, bits: number, owtype: number): [number, bigint] {
  const max = bits === 64 ? U64 : (1n << BigInt(bits)) - 1n;
  const maxincr = i64(max - value);
  const minincr = i64(-value);
  const wrap = (): bigint => BigInt.asUintN(64, value + incr) & max;
  if (value > max || (incr > 0n && incr > maxincr)) {
    return [1, owtype === BF_WRAP ? wrap() : owtype === BF_SAT ? max : 0n];
  } else if (incr < 0n && incr < minincr) {
    return [-1, owtype === BF_WRAP ? wrap() : 0n];
  }
  return [0, 0n];
}

/** checkSignedBitfieldOverflow: [overflow (0, 1, -1), limit]. */
function checkSigned(value: bigint, incr: bigint, bits: number, owtype: number): [number, bigint] {
  const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = i64(BigInt.asUintN(64, max) - BigInt.asUintN(64, value));
  const minincr = i64(min - value);
  const wrap = (): bigint => {
    let cc = BigInt.asUintN(64, value + incr);
    if (bits < 64) {
      const msb = 1n << BigInt(bits - 1);
      const mask = BigInt.asUintN(64, U64 << BigInt(bits));
      if (cc & msb) cc |= mask;
      else cc &= ~mask & U64;
    }
    return i64(cc);
  };
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    return [1, owtype === BF_WRAP ? wrap() : max];
  } else if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    return [-1, owtype === BF_WRAP ? wrap() : min];
  }
  return [0, 0n];
}

function bitfieldGeneric(c: Client, argv: Buffer[], ro: boolean): void {
  const ops: BfOp[] = [];
  let owtype = BF_WRAP;
  let readonly = true;
  let highest = 0;
  for (let j = 2; j < argv.length; j++) {
    const rem = argv.length - j - 1;
    const sub = argv[j];
    let opcode: number;
    if (eqi(sub, 'get') && rem >= 2) opcode = OP_GET;
    else if (eqi(sub, 'set') && rem >= 3) opcode = OP_SET;
    else if (eqi(sub, 'incrby') && rem >= 3) opcode = OP_INCRBY;
    else if (eqi(sub, 'overflow') && rem >= 1) {
      const t = argv[++j];
      if (eqi(t, 'wrap')) owtype = BF_WRAP;
      else if (eqi(t, 'sat')) owtype = BF_SAT;
      else if (eqi(t, 'fail')) owtype = BF_FAIL;
      else return c.reply.error(E.BITFIELD_OVERFLOW);
      continue;
    } else return c.reply.error(E.SYNTAX);
    // type: [iu]<bits> (parsed as a C string: stops at a NUL)
    const t = argv[j + 1];
    let sign: boolean;
    if (t.length > 0 && t[0] === 105) sign = true;
    else if (t.length > 0 && t[0] === 117) sign = false;
    else return c.reply.error(E.BITFIELD_TYPE);
    let tend = t.indexOf(0, 1);
    if (tend < 0) tend = t.length;
    const bits = string2ll(t, 1, tend);
    if (bits === null || bits < 1 || (sign && bits > 64) || (!sign && bits > 63)) return c.reply.error(E.BITFIELD_TYPE);
    const offset = getBitOffset(c, argv[j + 2], true, bits);
    if (offset === null) return;
    let v = 0n;
    if (opcode !== OP_GET) {
      readonly = false;
      if (highest < offset + bits - 1) highest = offset + bits - 1;
      const x = string2llBig(argv[j + 3]);
      if (x === null) return c.reply.error(E.NOT_INTEGER);
      v = x;
    }
    ops.push({ offset, i64: v, opcode, owtype, bits, sign });
    j += opcode === OP_GET ? 2 : 3;
  }
  const db = c.db;
  const key = keyStr(argv[1]);
  let o: RObj | undefined;
  let dirty = false;
  if (readonly) {
    o = db.lookupRead(key);
    if (o !== undefined && o.type !== 'string') return c.reply.error(E.WRONGTYPE);
  } else {
    if (ro) return c.reply.error(E.BITFIELD_RO_GET_ONLY);
    const r = lookupStringForBit(c, key, highest);
    if (r === null) return;
    o = r.o;
    dirty = r.dirty;
  }
  c.reply.arrayLen(ops.length);
  let changes = 0;
  for (const op of ops) {
    if (op.opcode === OP_GET) {
      const p = o === undefined ? EMPTY : strBytes(o);
      c.reply.int(op.sign ? getSigned(p, op.offset, op.bits) : getUnsigned(p, op.offset, op.bits));
      continue;
    }
    const p = o!.value as Buffer;
    let oldval: bigint;
    let newval: bigint;
    let retval: bigint;
    let overflow: number;
    let limit: bigint;
    if (op.sign) {
      oldval = getSigned(p, op.offset, op.bits);
      if (op.opcode === OP_INCRBY) {
        [overflow, limit] = checkSigned(oldval, op.i64, op.bits, op.owtype);
        newval = overflow ? limit : oldval + op.i64;
        retval = newval;
      } else {
        newval = op.i64;
        [overflow, limit] = checkSigned(newval, 0n, op.bits, op.owtype);
        if (overflow) newval = limit;
        retval = oldval;
      }
    } else {
      oldval = getUnsigned(p, op.offset, op.bits);
      if (op.opcode === OP_INCRBY) {
        newval = BigInt.asUintN(64, oldval + op.i64);
        [overflow, limit] = checkUnsigned(oldval, op.i64, op.bits, op.owtype);
        if (overflow) newval = limit;
        retval = newval;
      } else {
        newval = BigInt.asUintN(64, op.i64);
        [overflow, limit] = checkUnsigned(newval, 0n, op.bits, op.owtype);
        if (overflow) newval = limit;
        retval = oldval;
      }
    }
    if (!(overflow && op.owtype === BF_FAIL)) {
      c.reply.int(op.sign ? retval : BigInt.asIntN(64, retval));
      setBits(p, op.offset, op.bits, newval);
      if (dirty || oldval !== newval) changes++;
    } else c.reply.null();
  }
  if (changes) {
    const s = c.server;
    s.keyModified(db, key);
    s.notify(db, 'setbit', key, NOTIFY.STRING);
    s.dirty += changes;
  }
}

const EMPTY = Buffer.alloc(0);

export function bitfieldCommand(c: Client, argv: Buffer[]): void {
  bitfieldGeneric(c, argv, false);
}

export function bitfieldRoCommand(c: Client, argv: Buffer[]): void {
  bitfieldGeneric(c, argv, true);
}

export const handlers: Record<string, Handler> = {
  setbit: setbitCommand,
  getbit: getbitCommand,
  bitop: bitopCommand,
  bitcount: bitcountCommand,
  bitpos: bitposCommand,
  bitfield: bitfieldCommand,
  bitfield_ro: bitfieldRoCommand,
};
