// An RDB BASE for the AOF (aof-use-rdb-preamble yes) and its loading: the whole-file frame (header, AUX fields,
// FUNCTION2, SELECTDB/RESIZEDB, EXPIRETIME_MS, EOF, CRC64) around the per-object serializer of rdb-object.ts
// (Redis: rdb.c rdbSaveRio / rdbLoadRio with RDBFLAGS_AOF_PREAMBLE).
// Stopgap until the whole-file RDB module (rdb-file.ts) lands: it then registers its own writer and loader through
// setRdbBaseWriter / setRdbBaseLoader and this file goes away.
import type { Server } from '../server/server.js';
import { REDIS_VERSION } from '../server/server.js';
import { RdbWriter, RdbReader, RDB_OPCODE, RDB_VERSION, rdbIsObjectType, RdbError } from './rdb-io.js';
import { saveObjectType, saveObject, loadObject } from './rdb-object.js';
import { serverObjectOpts } from './payload.js';
import { Crc64 } from './crc64.js';
import { keyBuf } from '../store/db.js';
import { setRdbBaseWriter } from './aof.js';
import { setRdbBaseLoader } from './aof-load.js';

function aux(w: RdbWriter, key: string, value: string): void {
  w.u8(RDB_OPCODE.AUX);
  w.saveString(key);
  w.saveString(value);
}

/** rdbSaveRio: the dataset as an RDB; `aofBase` adds the aof-base AUX field (a BASE file, not a full resync). */
export function rdbSnapshot(s: Server, aofBase = true): Buffer {
  const w = new RdbWriter(s.config.bool('rdbcompression'), 1 << 16);
  w.raw(Buffer.from(`REDIS${String(RDB_VERSION).padStart(4, '0')}`, 'latin1'));
  aux(w, 'redis-ver', REDIS_VERSION);
  aux(w, 'redis-bits', '64');
  aux(w, 'ctime', String(Math.floor(Date.now() / 1000)));
  aux(w, 'used-mem', String(process.memoryUsage().rss));
  if (aofBase) aux(w, 'aof-base', '1');
  for (const lib of s.scripting.libraries.values()) {
    w.u8(RDB_OPCODE.FUNCTION2);
    w.saveString(lib.code);
  }
  const opts = serverObjectOpts(s);
  for (const db of s.dbs) {
    if (db.dict.size === 0) continue;
    w.u8(RDB_OPCODE.SELECTDB);
    w.saveLen(db.id);
    w.u8(RDB_OPCODE.RESIZEDB);
    w.saveLen(db.dict.size);
    w.saveLen(db.expires.size);
    for (const [key, o] of db.dict) {
      const when = db.expires.get(key);
      if (when !== undefined) {
        w.u8(RDB_OPCODE.EXPIRETIME_MS);
        w.saveMillis(when);
      }
      saveObjectType(w, o);
      w.saveString(keyBuf(key));
      saveObject(w, o, opts);
    }
  }
  w.u8(RDB_OPCODE.EOF);
  const body = w.result();
  const out = Buffer.allocUnsafe(body.length + 8);
  body.copy(out, 0);
  new Crc64().update(out, 0, body.length).writeLE(out, body.length);
  return out;
}

/** rdbLoadRio(RDBFLAGS_AOF_PREAMBLE): loads the RDB at the start of `data`; the bytes it used, or -1 (logged). */
export function rdbLoadBase(s: Server, data: Buffer): number {
  const r = new RdbReader(data);
  try {
    const sig = r.raw(9).latin1Slice(0, 9);
    const ver = Number(sig.slice(5));
    if (!/^REDIS\d{4}$/.test(sig) || ver < 1 || ver > RDB_VERSION) {
      s.log.warning(`Can't handle RDB format version ${sig.slice(5)}`);
      return -1;
    }
    const opts = serverObjectOpts(s);
    let db = s.dbs[0];
    let expire = -1;
    for (;;) {
      const type = r.loadType();
      if (type === RDB_OPCODE.EXPIRETIME_MS) expire = r.loadMillis();
      else if (type === RDB_OPCODE.EXPIRETIME) expire = r.loadTime() * 1000;
      else if (type === RDB_OPCODE.FREQ) r.u8();
      else if (type === RDB_OPCODE.IDLE) r.loadLen();
      else if (type === RDB_OPCODE.EOF) break;
      else if (type === RDB_OPCODE.SELECTDB) {
        const id = r.loadLen();
        if (id >= s.dbs.length) throw new RdbError(`FATAL: Data file was created with a Redis server configured to handle more than ${s.dbs.length} databases. Exiting\n`);
        db = s.dbs[id];
      } else if (type === RDB_OPCODE.RESIZEDB) {
        r.loadLen();
        r.loadLen();
      } else if (type === RDB_OPCODE.AUX) {
        r.loadString();
        r.loadString();
      } else if (type === RDB_OPCODE.FUNCTION2) {
        const res = s.scripting.createLibrary(r.loadString(), false, s.scripting, 0);
        if (!res.ok) throw new RdbError(`Failed loading library: ${res.error}`);
      } else if (rdbIsObjectType(type)) {
        const key = r.loadString().latin1Slice();
        const o = loadObject(r, type, opts);
        db.add(key, o);
        if (expire !== -1) db.setExpire(key, expire);
        expire = -1;
      } else throw new RdbError(`Unknown RDB encoding type ${type}`);
    }
    if (ver >= 5) {
      const end = r.pos;
      const stored = r.raw(8);
      const zero = stored.every(b => b === 0);
      if (!zero && !s.skipChecksumValidation) {
        const calc = Buffer.allocUnsafe(8);
        new Crc64().update(data, 0, end).writeLE(calc, 0);
        if (!calc.equals(stored)) {
          s.log.warning('Wrong RDB checksum. Aborting now.');
          return -1;
        }
      }
    }
    return r.pos;
  } catch (e) {
    s.log.warning(`Short read or OOM loading DB. Unrecoverable error, aborting now. (${(e as Error).message})`);
    return -1;
  }
}

setRdbBaseWriter(s => rdbSnapshot(s, true));
setRdbBaseLoader(rdbLoadBase);
