// Argument parsing helpers that reply Redis's errors themselves (Redis: object.c get*FromObjectOrReply).
import type { Client } from '../server/client.js';
import { E } from '../errors.js';
import { parseDouble, string2ll, string2llBig } from '../util/parse.js';

const LONG_MAX = 9223372036854775807;
const LONG_MIN = -9223372036854775808;

/** getLongLongFromObjectOrReply: a number (exact to 2^53), or null after replying `msg` (default: not an integer). */
export function getLongLongOrReply(c: Client, arg: Buffer, msg?: string): number | null {
  const v = string2ll(arg);
  if (v === null) {
    c.reply.error(msg ?? E.NOT_INTEGER);
    return null;
  }
  return v;
}

/** Exact int64 as bigint, or null after replying. */
export function getBigIntOrReply(c: Client, arg: Buffer, msg?: string): bigint | null {
  const v = string2llBig(arg);
  if (v === null) {
    c.reply.error(msg ?? E.NOT_INTEGER);
    return null;
  }
  return v;
}

/** getRangeLongFromObjectOrReply */
export function getRangeLongOrReply(c: Client, arg: Buffer, min: number, max: number, msg?: string): number | null {
  const v = string2ll(arg);
  if (v === null) {
    c.reply.error(msg ? msg : E.NOT_INTEGER);
    return null;
  }
  if (v < min || v > max) {
    c.reply.error(msg ? msg : E.valueOutOfRangeBetween(min, max));
    return null;
  }
  return v;
}

/** getPositiveLongFromObjectOrReply */
export function getPositiveLongOrReply(c: Client, arg: Buffer, msg?: string): number | null {
  return getRangeLongOrReply(c, arg, 0, LONG_MAX, msg ?? E.MUST_BE_POSITIVE);
}

/** getIntFromObjectOrReply */
export function getIntOrReply(c: Client, arg: Buffer, msg?: string): number | null {
  return getRangeLongOrReply(c, arg, -2147483648, 2147483647, msg);
}

/** getDoubleFromObjectOrReply */
export function getDoubleOrReply(c: Client, arg: Buffer, msg?: string): number | null {
  const v = parseDouble(arg);
  if (v === null) {
    c.reply.error(msg ?? E.NOT_FLOAT);
    return null;
  }
  return v;
}

export { LONG_MAX, LONG_MIN };
