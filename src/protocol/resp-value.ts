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
  // Iterative (explicit stack): replies can nest thousands of levels deep (e.g. a self-referencing Lua table).
  type Frame = { t: '*' | '%' | '~' | '>' | '|'; a: RespValue[]; left: number };
  const stack: Frame[] = [];
  let next = pos;
  for (;;) {
    if (next >= buf.length) return null;
    const nl = buf.indexOf('\r\n', next, 'latin1');
    if (nl < 0) return null;
    const type = buf[next];
    const line = buf.toString('latin1', next + 1, nl);
    next = nl + 2;
    let value: RespValue | null = null;
    switch (type) {
      case 43: value = { t: '+', s: line }; break;
      case 45: value = { t: '-', s: line }; break;
      case 58: value = { t: ':', n: BigInt(line) }; break;
      case 95: value = { t: '_' }; break;
      case 35: value = { t: '#', v: line === 't' }; break;
      case 44: value = { t: ',', s: line }; break;
      case 40: value = { t: '(', s: line }; break;
      case 36:
      case 61: {
        const n = Number(line);
        if (n < 0) {
          value = { t: '$', b: null };
          break;
        }
        if (buf.length < next + n + 2) return null;
        const b = Buffer.from(buf.subarray(next, next + n));
        next += n + 2;
        value = type === 61 ? { t: '=', f: b.toString('latin1', 0, 3), b: b.subarray(4) } : { t: '$', b };
        break;
      }
      case 42:
      case 37:
      case 126:
      case 62:
      case 124: {
        let n = Number(line);
        if (type === 42 && n < 0) {
          value = { t: '*', a: null };
          break;
        }
        if (type === 37 || type === 124) n *= 2;
        const t = String.fromCharCode(type) as Frame['t'];
        if (n === 0) value = { t, a: [] } as RespValue;
        else stack.push({ t, a: [], left: n });
        break;
      }
      default:
        throw new Error(`bad RESP type byte 0x${type.toString(16)} at ${next}`);
    }
    while (value !== null) {
      const top = stack[stack.length - 1];
      if (!top) return [value, next];
      top.a.push(value);
      if (--top.left > 0) break;
      stack.pop();
      value = { t: top.t, a: top.a } as RespValue;
    }
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
