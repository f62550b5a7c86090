// Differential cases: geo commands (geo.c, geohash.c, geohash_helper.c).
import type { Suite, Cmd } from '../harness.js';

const sicily: Cmd = ['GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania', '12.758489', '38.788135', 'edge1', '17.241510', '38.222244', 'edge2'];

// A deterministic pseudo-random cloud of points around the globe.
function cloud(n: number, seed: number): Cmd {
  let x = seed;
  const rnd = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const args: string[] = ['GEOADD', 'cloud'];
  for (let i = 0; i < n; i++) {
    const lon = (rnd() * 360 - 180).toFixed(6);
    const lat = (rnd() * 170 - 85).toFixed(6);
    args.push(lon, lat, `p${i}`);
  }
  return args;
}

function cluster(n: number): Cmd {
  const args: string[] = ['GEOADD', 'rome'];
  for (let i = 0; i < n; i++) {
    const lon = (12.4 + ((i * 37) % 100) / 500).toFixed(5);
    const lat = (41.8 + ((i * 53) % 100) / 500).toFixed(5);
    args.push(lon, lat, `r${i}`);
  }
  return args;
}

export const suite: Suite = {
  name: 'geo',
  cases: [
    {
      name: 'geoadd and geopos',
      cmds: [
        sicily,
        ['GEOPOS', 'Sicily', 'Palermo', 'Catania', 'nosuch', 'edge1', 'edge2'],
        ['GEOPOS', 'nokey', 'a', 'b'],
        ['GEOADD', 'Sicily', 'NX', '13', '38', 'Palermo', '14', '39', 'new'],
        ['GEOADD', 'Sicily', 'XX', 'CH', '13', '38', 'Palermo', '14', '39', 'new2'],
        ['GEOADD', 'Sicily', 'CH', '13', '38', 'Palermo'],
        ['GEOPOS', 'Sicily', 'Palermo', 'new', 'new2'],
        ['ZSCORE', 'Sicily', 'Catania'],
        ['ZRANGE', 'Sicily', '0', '-1', 'WITHSCORES'],
        ['GEOADD', 'Sicily', 'NX', 'XX', '13', '38', 'x'],
        ['GEOADD', 'Sicily', '13', '38'],
        ['GEOADD', 'Sicily', 'GT', '13', '38', 'x'],
        ['GEOADD', 'Sicily', 'x', '38', 'x'],
        ['GEOADD', 'Sicily', '13', 'y', 'x'],
        ['GEOADD', 'Sicily', '200', '38', 'x'],
        ['GEOADD', 'Sicily', '13', '86', 'x'],
        ['GEOADD', 'Sicily', '-180.0078125', '100.5', 'x'],
        ['GEOADD', 'Sicily', 'inf', '0', 'x'],
        ['GEOADD', 'edges', '180', '85.05112878', 'ne', '-180', '-85.05112878', 'sw', '0', '0', 'zero', '180', '0', 'e', '-180', '0', 'w'],
        ['GEOPOS', 'edges', 'ne', 'sw', 'zero', 'e', 'w'],
        ['GEOHASH', 'edges', 'ne', 'sw', 'zero', 'e', 'w'],
        ['ZRANGE', 'edges', '0', '-1', 'WITHSCORES'],
        ['SET', 's', 'x'],
        ['GEOADD', 's', '1', '1', 'a'],
        ['GEOPOS', 's', 'a'],
      ],
    },
    {
      name: 'geopos of plain zset members',
      cmds: [
        ['ZADD', 'z', '0', 'zero', '1', 'one', '-1', 'neg', '1.5', 'frac', '4503599627370496', 'big', '1e300', 'huge', 'inf', 'inf'],
        ['GEOPOS', 'z', 'zero', 'one', 'neg', 'frac', 'big', 'huge', 'inf'],
        ['GEOHASH', 'z', 'zero', 'one', 'neg', 'frac', 'big'],
      ],
    },
    {
      name: 'geohash and geodist',
      cmds: [
        sicily,
        ['GEOHASH', 'Sicily', 'Palermo', 'Catania', 'nosuch'],
        ['GEOHASH', 'nokey', 'a'],
        ['GEODIST', 'Sicily', 'Palermo', 'Catania'],
        ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km'],
        ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'MI'],
        ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'ft'],
        ['GEODIST', 'Sicily', 'Palermo', 'Palermo'],
        ['GEODIST', 'Sicily', 'Palermo', 'nosuch'],
        ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'yd'],
        ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km', 'x'],
        ['GEODIST', 'nokey', 'a', 'b'],
        ['GEODIST', 'nokey', 'a', 'b', 'yd'],
        ['GEODIST', 'Sicily', 'edge1', 'edge2', 'm'],
      ],
    },
    {
      name: 'georadius',
      cmds: [
        sicily,
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHCOORD'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH', 'ASC'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'DESC'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '1'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '1', 'DESC', 'WITHDIST'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '1', 'ANY'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'ANY'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '0'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', 'x'],
        ['GEORADIUS', 'Sicily', '15', '37', '-1', 'km'],
        ['GEORADIUS', 'Sicily', '15', '37', 'x', 'km'],
        ['GEORADIUS', 'Sicily', '15', '37', '1', 'yd'],
        ['GEORADIUS', 'Sicily', '15', '37', '1', 'km', 'FOO'],
        ['GEORADIUS', 'Sicily', '15', '37', '0', 'km'],
        ['GEORADIUS', 'Sicily', '15', '37', '100000', 'km', 'ASC'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'mi', 'STORE', 'dst'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STOREDIST', 'dst2'],
        ['ZRANGE', 'dst2', '0', '-1', 'WITHSCORES'],
        ['OBJECT', 'ENCODING', 'dst2'],
        ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'dst', 'WITHDIST'],
        ['GEORADIUS', 'Sicily', '0', '0', '1', 'km', 'STORE', 'dst'],
        ['EXISTS', 'dst'],
        ['GEORADIUS', 'nokey', '15', '37', '200', 'km'],
        ['GEORADIUS', 'nokey', '15', '37', '200', 'km', 'STORE', 'dst2'],
        ['EXISTS', 'dst2'],
        ['GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km', 'WITHDIST'],
        ['GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km', 'STORE', 'x'],
        ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '200', 'km', 'WITHDIST', 'WITHCOORD'],
        ['GEORADIUSBYMEMBER', 'Sicily', 'nosuch', '200', 'km'],
        ['GEORADIUSBYMEMBER', 'nokey', 'nosuch', '200', 'km'],
        ['GEORADIUSBYMEMBER', 'nokey', 'nosuch', '200', 'yd'],
        ['GEORADIUSBYMEMBER_RO', 'Sicily', 'Catania', '100', 'mi', 'WITHHASH'],
        ['GEORADIUS', 'Sicily', '200', '37', '1', 'km'],
        ['SET', 's', 'x'],
        ['GEORADIUS', 's', '15', '37', '200', 'km'],
      ],
    },
    {
      name: 'geosearch',
      cmds: [
        sicily,
        ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC', 'WITHDIST', 'WITHCOORD', 'WITHHASH'],
        ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '400', '400', 'km', 'ASC', 'WITHDIST'],
        ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km', 'DESC', 'WITHDIST'],
        ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '100', '500', 'mi', 'COUNT', '2'],
        ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '1', 'ANY'],
        ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37'],
        ['GEOSEARCH', 'Sicily', 'BYRADIUS', '200', 'km'],
        ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km'],
        ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km'],
        ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km', 'BYBOX', '1', '1', 'km'],
        ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'nosuch', 'BYRADIUS', '1', 'km'],
        ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '-1', '1', 'km'],
        ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', 'x', '1', 'km'],
        ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', 'x', 'km'],
        ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km', 'STORE', 'x'],
        ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km', 'STOREDIST'],
        ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km'],
        ['GEOSEARCH', 'nokey', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km'],
        ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'ANY'],
        ['geosearch', 'Sicily', 'FROMLONLAT', '15', '37'],
        ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC', 'COUNT', '3'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'],
        ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
        ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'WITHDIST'],
        ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
        ['EXISTS', 'dst'],
        ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STORE', 'x'],
      ],
    },
    {
      // WITHHASH replies the score as (long long): fractional scores truncate toward zero, -inf is LLONG_MIN
      name: 'withhash of plain zset scores',
      cmds: [
        ['ZADD', 'z', '1.5', 'a', '2.9', 'b', '0', 'c', '-inf', 'd', '3.5e15', 'e'],
        ['GEOSEARCH', 'z', 'FROMMEMBER', 'a', 'BYBOX', '400', '400', 'km', 'ASC', 'WITHHASH'],
        ['GEORADIUS', 'z', '-180', '-85', '500', 'km', 'WITHHASH', 'ASC'],
        ['GEOSEARCH', 'z', 'FROMMEMBER', 'd', 'BYRADIUS', '1', 'km', 'WITHHASH'],
      ],
    },
    {
      name: 'many points',
      cmds: [
        cloud(300, 7),
        ['ZCARD', 'cloud'],
        ['GEOSEARCH', 'cloud', 'FROMLONLAT', '10', '45', 'BYRADIUS', '3000', 'km', 'ASC', 'WITHDIST', 'WITHCOORD', 'WITHHASH'],
        ['GEOSEARCH', 'cloud', 'FROMLONLAT', '-100', '-60', 'BYBOX', '5000', '2000', 'km', 'DESC', 'WITHDIST'],
        ['GEOSEARCH', 'cloud', 'FROMLONLAT', '179', '80', 'BYRADIUS', '2000', 'km', 'ASC', 'WITHDIST'],
        ['GEOSEARCH', 'cloud', 'FROMLONLAT', '-179.5', '0', 'BYRADIUS', '1500', 'km', 'ASC', 'WITHDIST'],
        ['GEOSEARCH', 'cloud', 'FROMMEMBER', 'p17', 'BYRADIUS', '4000', 'km', 'ASC', 'COUNT', '5', 'WITHDIST'],
        ['GEOSEARCH', 'cloud', 'FROMMEMBER', 'p42', 'BYBOX', '8000', '3000', 'mi', 'ASC', 'WITHCOORD'],
        ['GEORADIUS', 'cloud', '0', '0', '5000', 'km', 'WITHDIST', 'ASC'],
        ['GEORADIUS', 'cloud', '0', '0', '20000', 'km', 'COUNT', '10', 'DESC'],
        ['GEOPOS', 'cloud', 'p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'],
        ['GEOHASH', 'cloud', 'p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'],
        ['GEODIST', 'cloud', 'p0', 'p1', 'km'],
        ['GEODIST', 'cloud', 'p2', 'p3', 'mi'],
        ['GEODIST', 'cloud', 'p4', 'p5', 'ft'],
        ['GEODIST', 'cloud', 'p6', 'p7'],
        cluster(200),
        ['GEOSEARCH', 'rome', 'FROMLONLAT', '12.5', '41.9', 'BYRADIUS', '5', 'km', 'ASC', 'WITHDIST'],
        ['GEOSEARCH', 'rome', 'FROMLONLAT', '12.5', '41.9', 'BYBOX', '6', '4', 'km', 'ASC', 'WITHDIST', 'WITHCOORD'],
        ['GEOSEARCH', 'rome', 'FROMLONLAT', '12.5', '41.9', 'BYRADIUS', '500', 'm', 'ASC', 'WITHDIST'],
        ['GEOSEARCH', 'rome', 'FROMMEMBER', 'r10', 'BYRADIUS', '3', 'km', 'DESC', 'COUNT', '7', 'WITHDIST'],
        ['GEOSEARCHSTORE', 'rdst', 'rome', 'FROMMEMBER', 'r10', 'BYRADIUS', '30', 'km', 'STOREDIST'],
        ['ZRANGE', 'rdst', '0', '9', 'WITHSCORES'],
        ['OBJECT', 'ENCODING', 'rdst'],
      ],
    },
  ],
};
