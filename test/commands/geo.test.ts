// Geo: geohash helpers against values printed by redis-server 7.0.15, number formatting (glibc %f, %.17Lf human,
// llrint 4-decimal distances), pqsort partial ordering, and random points compared with a live redis-server when
// REDLUA_LIVE=1.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeWGS84,
  align52,
  decodeScore,
  geohashString,
  cFixed,
  humanDouble,
  fixed4,
  pqsort,
  distance,
  estimateStepsByRadius,
  interleave,
  deinterleave,
} from '../../src/util/geohash.js';
import { RawConn } from '../helpers/conn.js';
import { useRedluaAndOracle } from '../helpers/server.js';
import { liveMode } from '../helpers/redis-server.js';

describe('geohash helpers', () => {
  test('encode/decode Palermo as Redis does', () => {
    const h = encodeWGS84(13.361389, 38.115556, 26)!;
    assert.equal(align52(h), 3479099956230698);
    const [lon, lat] = decodeScore(3479099956230698);
    assert.equal(humanDouble(lon), '13.36138933897018433');
    assert.equal(humanDouble(lat), '38.11555639549629859');
    assert.equal(geohashString(3479099956230698), 'sqc8b49rny0');
  });

  test('interleave round trip', () => {
    for (const [x, y] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [0x3ffffff, 0x3ffffff],
      [12345678, 54321],
      [1 << 26, 3],
    ]) {
      const b = interleave(x, y);
      assert.deepEqual(deinterleave(b), [x, y]);
    }
  });

  test('distances and steps', () => {
    assert.equal(fixed4(distance(13.36138933897018433, 38.11555639549629859, 15.08726745843887329, 37.50266842333162032)), '166274.1516');
    assert.equal(estimateStepsByRadius(0, 0), 26);
    assert.equal(estimateStepsByRadius(200000, 0), 6);
    assert.equal(estimateStepsByRadius(200000, 70), 5);
    assert.equal(estimateStepsByRadius(200000, 85), 4);
    assert.equal(estimateStepsByRadius(1, 0), 24);
    assert.equal(estimateStepsByRadius(0.001, 0), 26);
  });

  test('C-style number formatting', () => {
    assert.equal(cFixed(0.0078125, 6), '0.007812'); // exact tie: half to even
    assert.equal(cFixed(0.0234375, 6), '0.023438');
    assert.equal(cFixed(-200, 6), '-200.000000');
    assert.equal(cFixed(Infinity, 6), 'inf');
    assert.equal(cFixed(1e22, 2), '10000000000000000000000.00');
    assert.equal(humanDouble(-0), '0');
    assert.equal(humanDouble(180), '180');
    assert.equal(humanDouble(0.1), '0.10000000000000001');
    assert.equal(fixed4(0), '0.0000');
    assert.equal(fixed4(0.00004), '0.0000');
    assert.equal(fixed4(1.23456), '1.2346');
    assert.equal(fixed4(0.00125), '0.0012'); // llrint(12.5) = 12
    assert.equal(fixed4(-3.5), '-3.5000');
  });

  test('pqsort puts the requested range in final order', () => {
    let seed = 99;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % 1000;
    };
    for (let round = 0; round < 50; round++) {
      const n = 1 + (round * 13) % 200;
      const arr = Array.from({ length: n }, rnd);
      const sorted = [...arr].sort((a, b) => a - b);
      const k = Math.max(1, Math.floor(n / 3));
      pqsort(arr, (a, b) => a - b, 0, k - 1);
      assert.deepEqual(arr.slice(0, k), sorted.slice(0, k));
      assert.deepEqual([...arr].sort((a, b) => a - b), sorted);
    }
  });
});

const env = useRedluaAndOracle();

describe('geo commands', () => {
  test('GEOADD/GEOPOS/GEODIST/GEOSEARCH shapes', async () => {
    const c = await RawConn.connect(env.redlua.port);
    await c.call(['FLUSHALL']);
    assert.equal((await c.call(['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'])).toString(), ':2\r\n');
    assert.equal((await c.call(['GEODIST', 'g', 'Palermo', 'Catania', 'km'])).toString(), '$8\r\n166.2742\r\n');
    assert.equal(
      (await c.call(['GEOPOS', 'g', 'Palermo'])).toString(),
      '*1\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n',
    );
    assert.equal(
      (await c.call(['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC'])).toString(),
      '*2\r\n$7\r\nCatania\r\n$7\r\nPalermo\r\n',
    );
    await c.call(['HELLO', '3']);
    assert.equal(
      (await c.call(['GEORADIUS', 'g', '15', '37', '200', 'km', 'WITHCOORD', 'COUNT', '1'])).toString(),
      '*1\r\n*2\r\n$7\r\nCatania\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n',
    );
    c.close();
  });

  test('random points match redis-server (live only)', { skip: !liveMode() }, async () => {
    const a = await RawConn.connect(env.redlua.port);
    const b = await RawConn.connect(env.oracle!.port);
    let seed = 4242;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const cmds: (string | number)[][] = [['FLUSHALL']];
    const add: string[] = ['GEOADD', 'pts'];
    for (let i = 0; i < 2000; i++) add.push((rnd() * 360 - 180).toFixed(7), (rnd() * 170 - 85).toFixed(7), 'p' + i);
    cmds.push(add);
    for (let i = 0; i < 40; i++) {
      const lon = (rnd() * 360 - 180).toFixed(3);
      const lat = (rnd() * 170 - 85).toFixed(3);
      const r = Math.floor(rnd() * 3000) + 1;
      cmds.push(['GEOSEARCH', 'pts', 'FROMLONLAT', lon, lat, 'BYRADIUS', r, 'km', 'ASC', 'WITHDIST', 'WITHCOORD', 'WITHHASH']);
      cmds.push(['GEOSEARCH', 'pts', 'FROMLONLAT', lon, lat, 'BYBOX', r * 2, r, 'mi', 'DESC', 'WITHDIST']);
      cmds.push(['GEODIST', 'pts', 'p' + i, 'p' + (i + 1), 'ft']);
      cmds.push(['GEOPOS', 'pts', 'p' + i]);
      cmds.push(['GEOHASH', 'pts', 'p' + i]);
    }
    for (const cmd of cmds) {
      const x = (await a.call(cmd)).toString('latin1');
      const y = (await b.call(cmd)).toString('latin1');
      assert.equal(x, y, JSON.stringify(cmd));
    }
    a.close();
    b.close();
  });
});
