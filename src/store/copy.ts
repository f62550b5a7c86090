// Deep copies of values for COPY (Redis: db.c copyCommand, object.c dupStringObject / t_*.c *TypeDup).
//
// Convention: each type family owns the shape of RObj.value for its type, so each family registers how to deep-copy
// it, once, at module load:
//
//   import { registerCopier } from '../store/copy.js';
//   registerCopier('hash', o => new RObj('hash', cloneMyHash(o.value), o.enc));
//
// The copier returns a NEW RObj whose value shares nothing mutable with the source (the source and the copy are then
// modified independently). `lru` is reset by the Db when the copy is added. Types without a registered copier fall
// back to `deepClone` of the value (Buffers, typed arrays, Maps, Sets, arrays and plain objects are copied recursively,
// primitives shared; instances of other classes keep their prototype and get their own fields cloned, which is right
// for plain data classes; register a copier if yours holds anything else). Strings (a latin1 string or a Buffer) are handled here.
//
// RENAME and MOVE never copy: they move the same RObj to the new key / database.
import { RObj, type ObjType } from './db.js';

export type Copier = (o: RObj) => RObj;

const copiers = new Map<ObjType, Copier>();

/** Registers the deep-copy function of a type (call once at module load of the family). */
export function registerCopier(type: ObjType, fn: Copier): void {
  copiers.set(type, fn);
}

/** A deep copy of `o` (dupStringObject / listTypeDup / setTypeDup / zsetDup / hashTypeDup / streamDup). */
export function copyObject(o: RObj): RObj {
  const fn = copiers.get(o.type);
  if (fn) return fn(o);
  if (o.type === 'string') {
    const v = o.value as string | number | Buffer; // see store/strings.ts: strings and numbers are immutable
    return new RObj('string', typeof v === 'string' || typeof v === 'number' ? v : Buffer.from(v), o.enc);
  }
  return new RObj(o.type, deepClone(o.value), o.enc);
}

/** Recursive copy of plain data: Buffer, typed arrays, Map, Set, Array, objects (prototype kept); primitives as is. */
export function deepClone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Buffer.isBuffer(v)) return Buffer.from(v) as unknown as T;
  if (ArrayBuffer.isView(v)) return (v as unknown as { slice(): unknown }).slice() as T;
  if (v instanceof Map) {
    const m = new Map();
    for (const [k, x] of v) m.set(deepClone(k), deepClone(x));
    return m as unknown as T;
  }
  if (v instanceof Set) {
    const s = new Set();
    for (const x of v) s.add(deepClone(x));
    return s as unknown as T;
  }
  if (Array.isArray(v)) return v.map(deepClone) as unknown as T;
  const out = Object.create(Object.getPrototypeOf(v)) as Record<string, unknown>;
  for (const k of Object.keys(v)) out[k] = deepClone((v as Record<string, unknown>)[k]);
  return out as T;
}
