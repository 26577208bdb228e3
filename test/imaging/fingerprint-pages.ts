/**
 * Synthetic pages of one printed form for the rescan tests: the same labels and leaders on every page, value
 * "words" of widths drawn from the page's seed, and a second scan as the same page moved, with speckle.
 */
import sharp from 'sharp';
import { Rng } from '../../src/samples/rng.ts';

const WIDTH = 1240;
const HEIGHT = 1754;

/** A page of the form with `seed`'s values, moved by (dx, dy) pixels, with `speckle` of its pixels flipped. */
export async function formPage(seed: number, move: { dx: number; dy: number; speckle: number } = { dx: 0, dy: 0, speckle: 0 }): Promise<Buffer> {
  const data = Buffer.alloc(WIDTH * HEIGHT, 255);
  const block = (x: number, y: number, w: number, h: number) => {
    for (let yy = Math.max(0, y + move.dy); yy < Math.min(HEIGHT, y + h + move.dy); yy++) {
      for (let xx = Math.max(0, x + move.dx); xx < Math.min(WIDTH, x + w + move.dx); xx++) data[yy * WIDTH + xx] = 20;
    }
  };
  const rng = new Rng(seed);
  const values = () => rng.next();
  for (let row = 0; row < 24; row++) {
    const y = 120 + row * 62;
    // the printed label and the dotted leader the value is written on: the same on every page
    block(80, y, 260 + ((row * 37) % 120), 22);
    for (let x = 400; x < 1160; x += 12) block(x, y + 30, 6, 3);
    // the written value: words of the page's own widths and gaps
    let x = 420;
    while (x < 1100 && values() > 0.12) {
      const w = 30 + Math.floor(values() * 110);
      block(x, y - 4 + Math.floor(values() * 6), w, 26);
      x += w + 18 + Math.floor(values() * 20);
    }
  }
  const noiseRng = new Rng(seed * 7919 + 1);
  const noise = () => noiseRng.next();
  for (let i = 0; i < data.length; i++) if (noise() < move.speckle) data[i] = data[i]! > 128 ? 40 : 255;
  return sharp(data, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } }).png().toBuffer();
}
