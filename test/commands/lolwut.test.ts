// LOLWUT drawings that use rand(): the shape of the reply (rows, cells per row, the shades used, the trailer) is
// Redis's, compared with redis-server when installed. The rand-free drawings are byte-exact differential cases.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawConn } from '../helpers/conn.js';
import { redisServerAvailable, startRedis, type Oracle } from '../helpers/redis-server.js';
import { Canvas, drawSkyline, renderShades } from '../../src/commands/lolwut.js';
import { CRand } from '../../src/util/crand.js';

async function lolwut(port: number, args: string[]): Promise<string> {
  const c = await RawConn.connect(port);
  try {
    const v = await c.callValue(['LOLWUT', ...args]);
    assert.equal(v.t, '$');
    return (v as { b: Buffer }).b.toString('utf8');
  } finally {
    c.close();
  }
}

const CELL = /\x1b\[(0;30;40m|0;90;100m|0;37;47m|0;97;107m) \x1b\[0m/g;
const V6_TRAILER =
  '\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15\n';
const V5_TRAILER = '\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n';

/** v6: rows × cells, every cell one of the four shades. */
function skylineShape(s: string): { rows: number; cells: number[] } {
  assert.ok(s.endsWith(V6_TRAILER), 'trailer');
  const rows = s.slice(0, -V6_TRAILER.length).split('\n');
  const cells = rows.map(r => {
    const n = r.match(CELL)?.length ?? 0;
    assert.equal(r.replace(CELL, ''), '', 'only shaded cells');
    return n;
  });
  return { rows: rows.length, cells };
}

/** v5: lines of braille characters. */
function schotterShape(s: string): number[] {
  assert.ok(s.endsWith(V5_TRAILER), 'trailer');
  const lines = s.slice(0, -V5_TRAILER.length).split('\n');
  for (const l of lines) assert.match(l, /^[\u2800-\u28ff]*$/u);
  return lines.map(l => [...l].length);
}

describe('LOLWUT random drawings', () => {
  let srv: RunningServer;
  let oracle: Oracle | null = null;
  before(async () => {
    srv = await startServer({ log: false });
    if (redisServerAvailable()) oracle = await startRedis();
  });
  after(async () => {
    await srv.close();
    await oracle?.stop();
  });

  for (const args of [['VERSION', '6'], ['VERSION', '6', '33', '7'], ['VERSION', '6', '1', '1'], ['VERSION', '6', '1000', '3']]) {
    test(`skyline LOLWUT ${args.join(' ')}`, async () => {
      const a = skylineShape(await lolwut(srv.port, args));
      const cols = Number(args[2] ?? 80);
      const rows = Number(args[3] ?? 20);
      assert.equal(a.rows, rows);
      assert.deepEqual(a.cells, Array(rows).fill(cols));
      if (oracle) assert.deepEqual(a, skylineShape(await lolwut(oracle.port, args)));
    });
  }

  for (const args of [['VERSION', '5'], ['VERSION', '5', '30', '4', '9'], ['VERSION', '5', '7', '3', '200']]) {
    test(`schotter LOLWUT ${args.join(' ')}`, async () => {
      const a = schotterShape(await lolwut(srv.port, args));
      if (oracle) assert.deepEqual(a, schotterShape(await lolwut(oracle.port, args)));
    });
  }

  test('the skyline draws buildings of three shades in front of a white sky', () => {
    const canvas = new Canvas(80, 20, 3);
    drawSkyline(canvas, new CRand(7));
    const shades = new Set(canvas.pixels);
    assert.deepEqual([...shades].sort(), [0, 1, 2, 3]);
    assert.equal(canvas.get(0, 0), 3, 'the sky above');
    assert.equal(renderShades(canvas).split('\n').length, 20);
  });
});
