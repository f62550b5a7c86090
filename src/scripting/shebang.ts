// Script metadata: EVAL shebang flags and FUNCTION library metadata lines (Redis: eval.c evalExtractShebangFlags, functions.c functionExtractLibMetaData).
import { splitArgs } from '../util/parse.js';
import { E } from '../errors.js';

// Script flags (server.h SCRIPT_FLAG_*), shared by EVAL shebangs and register_function.
export const SF = {
  NO_WRITES: 1 << 0,
  ALLOW_OOM: 1 << 1,
  ALLOW_STALE: 1 << 2,
  NO_CLUSTER: 1 << 3,
  EVAL_COMPAT_MODE: 1 << 4,
  ALLOW_CROSS_SLOT: 1 << 5,
} as const;

/** scripts_flags_def, in Redis's order (also FUNCTION LIST's order). */
export const FLAG_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['no-writes', SF.NO_WRITES],
  ['allow-oom', SF.ALLOW_OOM],
  ['allow-stale', SF.ALLOW_STALE],
  ['no-cluster', SF.NO_CLUSTER],
  ['allow-cross-slot-keys', SF.ALLOW_CROSS_SLOT],
];

/** A C string view of an sds part: stops at the first NUL, as strcmp/%s do. */
function cstr(b: Buffer): string {
  const z = b.indexOf(0);
  return b.latin1Slice(0, z < 0 ? b.length : z);
}

export type ShebangResult = { ok: true; flags: number; shebangLen: number } | { ok: false; error: string };

/**
 * evalExtractShebangFlags: flags of an EVAL body (EVAL_COMPAT_MODE when there is no shebang) and the length of the
 * shebang line (its "\n" excluded, so line numbers are kept when it is cut). Errors are full texts with "ERR ".
 */
export function parseShebang(body: Buffer): ShebangResult {
  if (body.length < 2 || body[0] !== 0x23 || body[1] !== 0x21) return { ok: true, flags: SF.EVAL_COMPAT_MODE, shebangLen: 0 };
  // strchr stops at a NUL byte too
  let end = -1;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === 10) {
      end = i;
      break;
    }
    if (body[i] === 0) break;
  }
  if (end < 0) return { ok: false, error: E.SHEBANG_INVALID };
  const parts = splitArgs(body.subarray(0, end));
  if (!parts || parts.length === 0) return { ok: false, error: E.SHEBANG_INVALID_ENGINE };
  if (cstr(parts[0]) !== '#!lua') return { ok: false, error: E.shebangUnexpectedEngine(cstr(parts[0])) };
  let flags = 0;
  for (let j = 1; j < parts.length; j++) {
    const p = cstr(parts[j]);
    if (!p.startsWith('flags=')) return { ok: false, error: E.shebangUnknownOption(p) };
    const list = parts[j].subarray(6);
    if (list.length === 0) continue;
    for (const f of list.latin1Slice(0, list.length).split(',')) {
      const name = cstr(Buffer.from(f, 'latin1'));
      const def = FLAG_NAMES.find(([n]) => n === name);
      if (!def) return { ok: false, error: E.shebangUnexpectedFlag(name) };
      flags |= def[1];
    }
  }
  return { ok: true, flags, shebangLen: end };
}

export type LibMetaResult = { ok: true; engine: string; name: string; codeStart: number } | { ok: false; error: string };

/** functionExtractLibMetaData + the name check of functionsCreateWithLibraryCtx. */
export function parseLibraryMeta(code: Buffer): LibMetaResult {
  if (code.length < 2 || code[0] !== 0x23 || code[1] !== 0x21) return { ok: false, error: E.LIBRARY_NO_METADATA };
  let end = -1;
  for (let i = 0; i < code.length; i++) {
    if (code[i] === 10) {
      end = i;
      break;
    }
    if (code[i] === 0) break;
  }
  if (end < 0) return { ok: false, error: E.LIBRARY_INVALID_METADATA };
  const parts = splitArgs(code.subarray(0, end));
  if (!parts || parts.length === 0) return { ok: false, error: E.LIBRARY_INVALID_METADATA };
  const engine = cstr(parts[0]).slice(2);
  let name: string | null = null;
  for (let i = 1; i < parts.length; i++) {
    const p = cstr(parts[i]);
    if (p.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return { ok: false, error: E.LIBRARY_NAME_TWICE };
      name = parts[i].latin1Slice(5, parts[i].length);
      continue;
    }
    return { ok: false, error: E.libraryInvalidMetadataValue(p) };
  }
  if (name === null) return { ok: false, error: E.LIBRARY_NO_NAME };
  if (!validName(name)) return { ok: false, error: E.LIBRARY_NAME_INVALID };
  return { ok: true, engine, name, codeStart: end };
}

/** functionsVerifyName */
export function validName(s: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(s);
}
