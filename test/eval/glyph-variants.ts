// Other ways of comparing a figure's glyph with its twins than src/ocr/glyphs.ts `glyphShape` (the ink on a grid),
// measured by test/eval/typed-twins.ts: the strokes cut at half their darkest ink (`binary`), and thinned to one pixel
// then thickened by a fixed width (`skeleton`), so that a light and a heavy strike of one typewriter key compare alike.
import type { GreyImage } from '../../src/imaging/analysis.ts';
import { glyphShape, unitVector, type GlyphShapeOf } from '../../src/ocr/glyphs.ts';
import type { PixelBox } from '../../src/ocr/words.ts';

const GRID_W = 12;
const GRID_H = 18;
const MIN_GLYPH_HEIGHT = 8;

/** Ways of turning a glyph's box into a vector compared by cosine . */
export const GLYPH_SHAPES: Record<string, GlyphShapeOf> = {
  ink: (image: GreyImage, box: PixelBox) => glyphShape(image, box),
  binary: (image: GreyImage, box: PixelBox) => strokeShape(image, box, false),
  skeleton: (image: GreyImage, box: PixelBox) => strokeShape(image, box, true),
};

/**
 * The glyph's strokes on the grid whatever their weight: the box's ink cut at half its darkest strokes (a light
 * strike of a typewriter as dark as a heavy one), then, with `thin`, thinned to one pixel and thickened again by
 * a fixed width (a heavy strike as thin as a light one).
 */
function strokeShape(image: GreyImage, [x, y, w, h]: PixelBox, thin: boolean): Float64Array | null {
  if (h < MIN_GLYPH_HEIGHT || w < 1) return null;
  const width = Math.max(w, (h * GRID_W) / GRID_H);
  const left = Math.floor(x + w / 2 - width / 2);
  const cw = Math.ceil(width) + 2;
  const ch = h + 2;
  const ink = new Uint8Array(cw * ch);
  let darkest = 0;
  for (let py = 0; py < ch; py++) for (let px = 0; px < cw; px++) {
    const ix = left - 1 + px, iy = y - 1 + py;
    const v = ix >= 0 && iy >= 0 && ix < image.width && iy < image.height ? 255 - image.data[iy * image.width + ix]! : 0;
    ink[py * cw + px] = v;
    darkest = Math.max(darkest, v);
  }
  if (darkest < 40) return null;
  let on: Uint8Array = new Uint8Array(cw * ch);
  for (let k = 0; k < on.length; k++) on[k] = ink[k]! >= darkest / 2 ? 1 : 0;
  if (thin) on = dilate(zhangSuen(on, cw, ch), cw, ch, Math.max(1, Math.round(h / 12)));
  const cells = new Float64Array(GRID_W * GRID_H);
  for (let row = 0; row < GRID_H; row++) {
    for (let col = 0; col < GRID_W; col++) {
      const x0 = Math.floor(1 + (col * width) / GRID_W), x1 = Math.max(x0 + 1, Math.ceil(1 + ((col + 1) * width) / GRID_W));
      const y0 = Math.floor(1 + (row * h) / GRID_H), y1 = Math.max(y0 + 1, Math.ceil(1 + ((row + 1) * h) / GRID_H));
      let sum = 0;
      for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) sum += px < cw && py < ch ? on[py * cw + px]! : 0;
      cells[row * GRID_W + col] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return unitVector(cells);
}

/** Zhang–Suen thinning of a 0/1 mask (one pixel wide strokes). */
function zhangSuen(mask: Uint8Array, w: number, h: number): Uint8Array {
  const m = Uint8Array.from(mask);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= w || y >= h ? 0 : m[y * w + x]!);
  for (let changed = true; changed; ) {
    changed = false;
    for (const pass of [0, 1]) {
      const clear: number[] = [];
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        if (!m[y * w + x]) continue;
        const p = [at(x, y - 1), at(x + 1, y - 1), at(x + 1, y), at(x + 1, y + 1), at(x, y + 1), at(x - 1, y + 1), at(x - 1, y), at(x - 1, y - 1)];
        const b = p.reduce((s, v) => s + v, 0);
        if (b < 2 || b > 6) continue;
        let a = 0;
        for (let k = 0; k < 8; k++) if (!p[k] && p[(k + 1) % 8]) a++;
        if (a !== 1) continue;
        if (pass === 0 ? p[0]! * p[2]! * p[4]! || p[2]! * p[4]! * p[6]! : p[0]! * p[2]! * p[6]! || p[0]! * p[4]! * p[6]!) continue;
        clear.push(y * w + x);
      }
      for (const k of clear) m[k] = 0;
      if (clear.length) changed = true;
    }
  }
  return m;
}

function dilate(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (!mask[y * w + x]) continue;
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
      const nx = x + dx, ny = y + dy;
      if (nx >= 0 && ny >= 0 && nx < w && ny < h && dx * dx + dy * dy <= r * r) out[ny * w + nx] = 1;
    }
  }
  return out;
}
