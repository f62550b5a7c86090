// RESP2/RESP3 reply reader (the client side), used by tests, the differential harness and the command-table replay.
// Redis counterpart: resp_parser.c (used there for redis.call replies).

export type RespValue =
  | { t: '+'; s: string }
  | { t: '-'; s: string }
  | { t: ':'; n: bigint }
  | { t: '$'; b: Buffer | null }
  | { t: '*'; a: RespValue[] | null }
  | { t: '%'; a: RespValue[] } // flat key, value, key, value
  | { t: '~'; a: RespValue[] }
  | { t: '>'; a: RespValue[] }
  | { t: '|'; a: RespValue[] }
  | { t: '_' }
  | { t: '#'; v: boolean }
  | { t: ','; s: string }
  | { t: '('; s: string }
  | { t: '='; f: string; b: Buffer };

/** Parses one reply at `pos`; returns [value, nextPos] or null when the buffer is incomplete. Throws on garbage. */
export function parseReply(buf: Buffer, pos = 0): [RespValue, number] | null {
  if (pos >= buf.length) return null;
  const nl = buf.indexOf('\r\n', pos, 'latin1');
  if (nl < 0) return null;
  const type = buf[pos];
  const line = buf.toString('latin1', pos + 1, nl);
  let next = nl + 2;
  switch (type) {
    case 43: return [{ t: '+', s: line }, next];
    case 45: return [{ t: '-', s: line }, next];
    case 58: return [{ t: ':', n: BigInt(line) }, next];
    case 95: return [{ t: '_' }, next];
    case 35: return [{ t: '#', v: line === 't' }, next];
    case 44: return [{ t: ',', s: line }, next];
    case 40: return [{ t: '(', s: line }, next];
    case 36:
    case 61: {
      const n = Number(line);
      if (n < 0) return [{ t: '$', b: null }, next];
      if (buf.length < next + n + 2) return null;
      const b = Buffer.from(buf.subarray(next, next + n));
      next += n + 2;
      if (type === 61) return [{ t: '=', f: b.toString('latin1', 0, 3), b: b.subarray(4) }, next];
      return [{ t: '$', b }, next];
    }
    case 42:
    case 37:
    case 126:
    case 62:
    case 124: {
      let n = Number(line);
      if (type === 42 && n < 0) return [{ t: '*', a: null }, next];
      if (type === 37 || type === 124) n *= 2;
      const a: RespValue[] = [];
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, next);
        if (!r) return null;
        a.push(r[0]);
        next = r[1];
      }
      const t = String.fromCharCode(type) as '*' | '%' | '~' | '>' | '|';
      return [{ t, a } as RespValue, next];
    }
    default:
      throw new Error(`bad RESP type byte 0x${type.toString(16)} at ${pos}`);
  }
}

/** Parses every complete reply in `buf`. */
export function parseAll(buf: Buffer): RespValue[] {
  const out: RespValue[] = [];
  let pos = 0;
  for (;;) {
    const r = parseReply(buf, pos);
    if (!r) break;
    out.push(r[0]);
    pos = r[1];
  }
  return out;
}

/** A plain JS rendering for assertions: bulk → string (latin1), int → number|bigint, arrays → arrays, errors → Error. */
export function toJS(v: RespValue): unknown {
  switch (v.t) {
    case '+': return v.s;
    case '-': return new Error(v.s);
    case ':': return v.n >= BigInt(Number.MIN_SAFE_INTEGER) && v.n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v.n) : v.n;
    case '$': return v.b === null ? null : v.b.toString('latin1');
    case '*': return v.a === null ? null : v.a.map(toJS);
    case '~': case '>': case '|': return v.a.map(toJS);
    case '%': {
      const m = new Map<unknown, unknown>();
      for (let i = 0; i < v.a.length; i += 2) m.set(toJS(v.a[i]), toJS(v.a[i + 1]));
      return m;
    }
    case '_': return null;
    case '#': return v.v;
    case ',': return Number(v.s === 'inf' ? Infinity : v.s === '-inf' ? -Infinity : v.s);
    case '(': return BigInt(v.s);
    case '=': return v.b.toString('latin1');
  }
}

/** Encodes a command as a RESP multibulk request. */
export function encodeCommand(args: (string | Buffer | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}
