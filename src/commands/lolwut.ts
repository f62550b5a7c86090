// LOLWUT: the version-dependent computer art (Redis: lolwut.c, lolwut5.c Schotter, lolwut6.c skyline).
// Drawn as Redis draws it: the same integer line algorithm, the same float (32-bit) arithmetic, the same glibc rand().
import type { Handler } from './table.js';
import type { Client } from '../server/client.js';
import { REDIS_VERSION } from '../server/server.js';
import { getBigIntOrReply, getLongLongOrReply } from './args.js';
import { eqi } from '../util/parse.js';
import { processRand, RAND_MAX, type CRand } from '../util/crand.js';

const f32 = Math.fround;

/** C's round(): halfway cases away from zero (Math.round rounds -2.5 to -2). */
function cRound(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/** lwCanvas: one byte per pixel, the colour. */
export class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    bg: number,
  ) {
    this.pixels = new Uint8Array(width * height).fill(bg);
  }

  draw(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }

  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width];
  }

  /** lwDrawLine: Bresenham. */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.draw(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }

  /** lwDrawSquare: `size` and `angle` are C floats; the corner math is double, as in C. */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    size = f32(size / 1.4142135623);
    size = f32(cRound(size));
    const px: number[] = [];
    const py: number[] = [];
    let k = f32(Math.PI / 4 + angle);
    for (let j = 0; j < 4; j++) {
      px.push(cRound(Math.sin(k) * size + x));
      py.push(cRound(Math.cos(k) * size + y));
      k = f32(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) this.line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
  }
}

// ---------- version 5: Georg Nees's Schotter, in braille ----------

/** lwDrawSchotter */
export function drawSchotter(cols: number, perRow: number, perCol: number, rand: CRand): Canvas {
  const width = cols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f32(f32(width - padding * 2) / f32(perRow));
  const height = Math.trunc(f32(f32(side * f32(perCol)) + padding * 2));
  const canvas = new Canvas(width, height, 0);
  const half = f32(side / 2);
  const rnd = (y: number) => f32(f32(f32(f32(rand.next()) / f32(RAND_MAX)) / f32(perCol)) * y);
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f32(f32(f32(x * side) + half) + padding));
      let sy = Math.trunc(f32(f32(f32(y * side) + half) + padding));
      let angle = 0;
      if (y > 1) {
        let r1 = rnd(y);
        let r2 = rnd(y);
        let r3 = rnd(y);
        if (rand.next() % 2) r1 = -r1;
        if (rand.next() % 2) r2 = -r2;
        if (rand.next() % 2) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f32(sx + f32(f32(r2 * side) / 3)));
        sy = Math.trunc(f32(sy + f32(f32(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** renderCanvas (lolwut5.c): 2x4 pixels per braille character U+2800 + bits, UTF-8 encoded. */
export function renderBraille(canvas: Canvas): Buffer {
  const out: number[] = [];
  for (let y = 0; y < canvas.height; y += 4) {
    for (let x = 0; x < canvas.width; x += 2) {
      let byte = 0;
      if (canvas.get(x, y)) byte |= 1 << 0;
      if (canvas.get(x, y + 1)) byte |= 1 << 1;
      if (canvas.get(x, y + 2)) byte |= 1 << 2;
      if (canvas.get(x + 1, y)) byte |= 1 << 3;
      if (canvas.get(x + 1, y + 1)) byte |= 1 << 4;
      if (canvas.get(x + 1, y + 2)) byte |= 1 << 5;
      if (canvas.get(x, y + 3)) byte |= 1 << 6;
      if (canvas.get(x + 1, y + 3)) byte |= 1 << 7;
      const code = 0x2800 + byte;
      out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
    if (y !== canvas.height - 1) out.push(10);
  }
  return Buffer.from(out);
}

/** lolwut5Command's limits: each argument clamped to [1, max]. */
function clamp(v: number, max: number): number {
  return v < 1 ? 1 : v > max ? max : v;
}

/** Parses the optional numeric arguments (getLongFromObjectOrReply each); null after replying an error. */
function numericArgs(c: Client, args: Buffer[], defaults: number[]): number[] | null {
  const out = defaults.slice();
  for (let i = 0; i < defaults.length && i < args.length; i++) {
    const v = getLongLongOrReply(c, args[i]);
    if (v === null) return null;
    out[i] = v;
  }
  return out;
}

function lolwut5(c: Client, args: Buffer[]): void {
  const n = numericArgs(c, args, [66, 8, 12]);
  if (n === null) return;
  const canvas = drawSchotter(clamp(n[0], 1000), clamp(n[1], 200), clamp(n[2], 200), processRand);
  const trailer = `\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${REDIS_VERSION}\n`;
  c.reply.verbatim(Buffer.concat([renderBraille(canvas), Buffer.from(trailer, 'latin1')]));
}

// ---------- version 6: a city skyline in four shades ----------

interface Skyscraper {
  xoff: number;
  width: number;
  height: number;
  windows: boolean;
  color: number;
}

/** generateSkyscraper */
function skyscraper(canvas: Canvas, si: Skyscraper, rand: CRand): void {
  const starty = canvas.height - 1;
  const endy = starty - si.height + 1;
  for (let y = starty; y >= endy; y--) {
    for (let x = si.xoff; x < si.xoff + si.width; x++) {
      // the roof is four pixels narrower
      if (y === endy && (x <= si.xoff + 1 || x >= si.xoff + si.width - 2)) continue;
      let color = si.color;
      if (si.windows && x > si.xoff + 1 && x < si.xoff + si.width - 2 && y > endy + 1 && y < starty - 1) {
        const relx = x - (si.xoff + 1);
        const rely = y - (endy + 1);
        // windows two pixels wide, one tall; both pixels of a window share its colour
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          do color = 1 + (rand.next() % 2);
          while (color === si.color);
          if (relx % 2) color = canvas.get(x - 1, y);
        }
      }
      canvas.draw(x, y, color);
    }
  }
}

/** generateSkyline: two background passes without windows (lighter behind), then the foreground with windows. */
export function drawSkyline(canvas: Canvas, rand: CRand): void {
  const h = canvas.height;
  const si: Skyscraper = { xoff: 0, width: 0, height: 0, windows: false, color: 0 };
  for (let color = 2; color >= 1; color--) {
    si.color = color;
    for (let offset = -10; offset < canvas.width; ) {
      offset += rand.next() % 8;
      si.xoff = offset;
      si.width = 10 + (rand.next() % 9);
      if (color === 2) si.height = Math.trunc(h / 2) + Math.trunc((rand.next() % h) / 2);
      else si.height = Math.trunc(h / 2) + Math.trunc((rand.next() % h) / 3);
      si.windows = false;
      skyscraper(canvas, si, rand);
      offset += color === 2 ? Math.trunc(si.width / 2) : si.width + 1;
    }
  }
  si.color = 0;
  for (let offset = -10; offset < canvas.width; ) {
    offset += rand.next() % 8;
    si.xoff = offset;
    si.width = 5 + (rand.next() % 14);
    if (si.width % 4) si.width += si.width % 3;
    si.height = Math.trunc(h / 3) + Math.trunc((rand.next() % h) / 2);
    si.windows = true;
    skyscraper(canvas, si, rand);
    offset += si.width + 5;
  }
}

const SHADES = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];

/** renderCanvas (lolwut6.c): one space per pixel with foreground and background set to its shade. */
export function renderShades(canvas: Canvas): string {
  let text = '';
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += `\x1b[${SHADES[canvas.get(x, y)] ?? SHADES[0]} \x1b[0m`;
    if (y !== canvas.height - 1) text += '\n';
  }
  return text;
}

function lolwut6(c: Client, args: Buffer[]): void {
  const n = numericArgs(c, args, [80, 20]);
  if (n === null) return;
  const canvas = new Canvas(clamp(n[0], 1000), clamp(n[1], 1000), 3);
  drawSkyline(canvas, processRand);
  const text =
    renderShades(canvas) +
    '\nDedicated to the 8 bit game developers of past and present.\n' +
    `Original 8 bit image from Plaguemon by hikikomori. Redis ver. ${REDIS_VERSION}\n`;
  c.reply.verbatim(Buffer.from(text, 'latin1'));
}

/**
 * lolwutCommand: VERSION <v> picks the art by the version string "<(unsigned)v>.0.0" exactly as Redis compares it
 * (5.x but 5.9 → Schotter, 6.x or 5.9 → skyline, anything else → the version line); the remaining arguments go to it.
 */
function lolwutCommand(c: Client, argv: Buffer[]): void {
  let v = REDIS_VERSION;
  let args = argv.slice(1);
  if (argv.length >= 3 && eqi(argv[1], 'version')) {
    const ver = getBigIntOrReply(c, argv[2]);
    if (ver === null) return;
    v = `${BigInt.asUintN(32, ver)}.0.0`;
    args = argv.slice(3);
  }
  if ((v[0] === '5' && v[1] === '.' && v[2] !== '9') || (v[0] === '4' && v[1] === '.' && v[2] === '9')) lolwut5(c, args);
  else if ((v[0] === '6' && v[1] === '.' && v[2] !== '9') || (v[0] === '5' && v[1] === '.' && v[2] === '9')) lolwut6(c, args);
  else c.reply.verbatim(Buffer.from(`Redis ver. ${REDIS_VERSION}\n`, 'latin1'));
}

export const handlers: Record<string, Handler> = {
  lolwut: lolwutCommand,
};
