// Raw protocol fixtures: redlua must reply exactly what redis-server 7.0.15 replies and close exactly when it closes.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/index.js';
import { WIRE_FIXTURES, type WireFixture } from './wire-fixtures.js';
import { liveMode, redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const goldenFile = path.resolve(here, '../../../test/server/goldens/wire.json');

interface Outcome {
  reply: string;
  closed: boolean;
}

/** Long replies are stored as their length and SHA-1 to keep the goldens readable. */
function digest(o: Outcome): Outcome {
  if (o.reply.length <= 400) return o;
  const h = createHash('sha1').update(Buffer.from(o.reply, 'latin1')).digest('hex');
  return { reply: `<${o.reply.length} bytes sha1 ${h}>`, closed: o.closed };
}

/** Sends a fixture and collects the reply until the server closes or stays quiet for `quietMs`. */
export function runFixture(port: number, f: WireFixture, quietMs = 1500): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | null = null;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      sock.destroy();
      resolve(digest({ reply: Buffer.concat(chunks).toString('latin1'), closed }));
    };
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => finish(false), quietMs);
    };
    const sock = net.connect(port, '127.0.0.1', async () => {
      const parts = Array.isArray(f.send) ? f.send : [f.send];
      for (const p of parts) {
        sock.write(typeof p === 'string' ? Buffer.from(p, 'latin1') : p);
        if (parts.length > 1) await new Promise(r => setTimeout(r, f.gap ?? 2));
      }
      arm();
    });
    sock.on('data', d => {
      chunks.push(d);
      arm();
    });
    sock.on('close', () => finish(true));
    sock.on('error', e => (done ? undefined : chunks.length ? finish(true) : reject(e)));
  });
}

const live = liveMode();
const record = process.env.REDLUA_RECORD === '1';

describe('wire protocol fixtures', () => {
  let plain: RunningServer;
  let auth: RunningServer;
  let oracle: Oracle | null = null;
  let oracleAuth: Oracle | null = null;
  const recorded: Record<string, Outcome> = {};
  const goldens: Record<string, Outcome> = fs.existsSync(goldenFile) ? JSON.parse(fs.readFileSync(goldenFile, 'utf8')) : {};

  before(async () => {
    plain = await startServer({ log: false });
    auth = await startServer({ log: false, config: { requirepass: 'pw' } });
    if (live) {
      if (!redisServerAvailable()) throw new Error('REDLUA_LIVE=1 but redis-server 7.0 is not installed');
      oracle = await startRedis();
      oracleAuth = await startRedis(['--requirepass', 'pw']);
    }
  });
  after(async () => {
    await plain.close();
    await auth.close();
    await oracle?.stop();
    await oracleAuth?.stop();
    if (record) {
      const sorted: Record<string, Outcome> = {};
      for (const k of Object.keys(recorded).sort()) sorted[k] = recorded[k];
      fs.writeFileSync(goldenFile, JSON.stringify(sorted, null, 1) + '\n');
    }
  });

  test('every fixture matches redis-server', async () => {
    const results = await Promise.all(
      WIRE_FIXTURES.map(async f => {
        const ours = await runFixture((f.auth ? auth : plain).port, f);
        let expected: Outcome | undefined;
        if (oracle) {
          expected = await runFixture((f.auth ? oracleAuth! : oracle).port, f);
          recorded[f.name] = expected;
        } else expected = goldens[f.name];
        return { f, ours, expected };
      }),
    );
    for (const { f, ours, expected } of results) {
      assert.ok(expected, `no golden for wire fixture '${f.name}': record with REDLUA_RECORD=1`);
      assert.deepEqual(ours, expected, `wire fixture '${f.name}'`);
    }
  });

  test('a protocol error closes only the offending connection', async () => {
    const other = net.connect(plain.port, '127.0.0.1');
    await new Promise(r => other.once('connect', r));
    const bad = await runFixture(plain.port, { name: 'bad', send: '*abc\r\n' });
    assert.equal(bad.closed, true);
    const pong = await new Promise<string>(res => {
      other.once('data', d => res(d.toString()));
      other.write('PING\r\n');
    });
    assert.equal(pong, '+PONG\r\n');
    other.destroy();
  });
});
