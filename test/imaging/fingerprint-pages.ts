/**
 * Synthetic pages of one printed form for the rescan tests: the same labels and leaders on every page, value
 * "words" of widths drawn from the page's seed, and a second scan as the same page moved, with speckle.
 */
import sharp from 'sharp';
import { Rng } from '../../src/samples/rng.ts';

const WIDTH = 1240;
const HEIGHT = 1754;

/** How a scan of a page differs from another scan of it: moved, speckled, its paper grey, cropped taller, ink showing through. */
export interface ScanOf {
  dx: number;
  dy: number;
  speckle: number;
  /** The paper's grey (255, white, unless given: a yellowed or faint scan cleanup left grey). */
  paper?: number;
  /** Rows of paper more at the foot (cleanup crops each scan a little differently). */
  taller?: number;
  /** The seed of the writing on the back of the leaf, showing through faintly (bleed-through). */
  bleed?: number;
}

/** A page of the form with `seed`'s values, scanned as `move` says. */
export async function formPage(seed: number, move: ScanOf = { dx: 0, dy: 0, speckle: 0 }): Promise<Buffer> {
  const height = HEIGHT + (move.taller ?? 0);
  const data = Buffer.alloc(WIDTH * height, move.paper ?? 255);
  let grey = 20;
  const block = (x: number, y: number, w: number, h: number) => {
    for (let yy = Math.max(0, y + move.dy); yy < Math.min(height, y + h + move.dy); yy++) {
      for (let xx = Math.max(0, x + move.dx); xx < Math.min(WIDTH, x + w + move.dx); xx++) data[yy * WIDTH + xx] = Math.min(data[yy * WIDTH + xx]!, grey);
    }
  };
  if (move.bleed !== undefined) {
    // the back's writing, mirrored, 40 grey levels under the paper
    grey = (move.paper ?? 255) - 40;
    const back = new Rng(move.bleed);
    for (let row = 0; row < 24; row++) {
      for (let x = 1100; x > 140 && back.next() > 0.12; ) {
        const w = 30 + Math.floor(back.next() * 110);
        block(x - w, 120 + row * 62 + Math.floor(back.next() * 6), w, 26);
        x -= w + 18 + Math.floor(back.next() * 20);
      }
    }
    grey = 20;
  }
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
  for (let i = 0; i < data.length; i++) if (noise() < move.speckle) data[i] = data[i]! > 128 ? 40 : (move.paper ?? 255);
  return sharp(data, { raw: { width: WIDTH, height, channels: 1 } }).png().toBuffer();
}
