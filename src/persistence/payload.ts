// DUMP payloads: an object's RDB form + RDB version (2 bytes LE) + CRC64 (8 bytes LE) (Redis: cluster.c createDumpPayload, verifyDumpPayload; RESTORE's load).
import type { RObj } from '../store/db.js';
import type { Server } from '../server/server.js';
import { RdbWriter, RdbReader, RdbError, RDB_VERSION, rdbIsObjectType } from './rdb-io.js';
import { Crc64 } from './crc64.js';
import { rdbInternalError } from './rdb-file.js';
import { saveObjectType, saveObject, loadObject, type ObjectOpts } from './rdb-object.js';

/** The value-shaping configuration of a server, for saving and loading objects. */
export function serverObjectOpts(s: Server, deep = false): ObjectOpts {
  return { num: (n: string) => s.config.num(n), deep };
}

/** Appends the version and CRC64 footer to an RDB body. */
export function finishPayload(body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(body.length + 10);
  out.set(body, 0);
  out[body.length] = RDB_VERSION & 0xff;
  out[body.length + 1] = RDB_VERSION >> 8;
  new Crc64().update(out, 0, body.length + 2).writeLE(out, body.length + 2);
  return out;
}

/** createDumpPayload */
export function createDumpPayload(o: RObj, s: Server): Buffer {
  const w = new RdbWriter(s.config.bool('rdbcompression'));
  saveObjectType(w, o);
  saveObject(w, o, serverObjectOpts(s));
  return finishPayload(w.result());
}

/** verifyDumpPayload: at least the footer, a version this server reads, and (unless skipped) a matching CRC64. */
export function verifyDumpPayload(p: Buffer, skipChecksum: boolean): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const ver = p[footer] | (p[footer + 1] << 8);
  if (ver > RDB_VERSION) return false;
  if (skipChecksum) return true;
  const c = new Crc64().update(p, 0, p.length - 8);
  const want = Buffer.allocUnsafe(8);
  c.writeLE(want, 0);
  return want.equals(p.subarray(p.length - 8));
}

/** RdbErrors that Redis's loaders return as plain read failures, without rdbReportCorruptRDB. */
const READ_FAILURES = new Set(['Unexpected EOF reading RDB file', 'Error reading double value']);

/**
 * RESTORE's load: rdbLoadObjectType + rdbLoadObject over the payload (footer included, as Redis's rio sees it:
 * trailing bytes are not an error). null for anything Redis answers "Bad data format" to.
 */
export function loadDumpPayload(p: Buffer, opts: ObjectOpts, logVerbose?: (msg: string) => void): RObj | null {
  const r = new RdbReader(p);
  try {
    const type = r.loadType();
    if (!rdbIsObjectType(type)) return null;
    return loadObject(r, type, opts);
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    // rdbReportCorruptRDB in a RESTORE context logs at verbose and goes on; a short read or a bad double reports nothing
    if (logVerbose && !READ_FAILURES.has(e.message)) logVerbose(rdbInternalError(0, e.message));
    return null;
  }
}
