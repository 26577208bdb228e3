/**
 * Paper background flattening and adaptive binarisation: yellowed paper, stains, gutter shadow and
 * uneven light vary the paper's grey across the page, which a single global threshold (Tesseract's
 * Otsu) cannot follow.
 */
import sharp from 'sharp';
import type { GreyImage } from './analysis.ts';

/** The background is estimated on a copy this many times smaller (~35 dpi for a 300-dpi scan). */
const BACKGROUND_SHRINK = 8;
/** Max filter radius on that copy: wider than any stroke (~3 mm), so ink vanishes from the estimate. */
const BACKGROUND_MAX_RADIUS = 3;

/** Paper that varies less than this across the page is even: the global contrast stretch serves it. */
const MIN_UNEVENNESS = 16;

/**
 * Divides the page by its paper background (a max-filtered small copy, enlarged bilinearly): the paper becomes
 * white everywhere, and ink keeps its darkness relative to the paper around it, so a stain or a
 * gutter shadow fades while the text in it stays. Null when the paper is even already.
 *
 * @example
 * const flat = (await flattenBackground(page)) ?? page;
 */
export async function flattenBackground(page: GreyImage): Promise<GreyImage | null> {
  const { data, width, height } = page;
  const raw = { raw: { width, height, channels: 1 as const } };
  const smallWidth = Math.max(1, Math.round(width / BACKGROUND_SHRINK));
  const smallHeight = Math.max(1, Math.round(height / BACKGROUND_SHRINK));
  const small = await sharp(data, raw).resize(smallWidth, smallHeight, { kernel: 'linear', fit: 'fill' }).toColourspace('b-w').raw().toBuffer();
  const paper = maxFilter({ data: small, width: smallWidth, height: smallHeight }, BACKGROUND_MAX_RADIUS);
  let lightest = 0;
  let darkest = 255;
  for (const level of paper) {
    if (level > lightest) lightest = level;
    if (level < darkest) darkest = level;
  }
  if (lightest - darkest < MIN_UNEVENNESS) return null;
  const background = paper;
  // The paper level at full size is interpolated (bilinear, as sharp's linear enlargement placed it) row by
  // row inside the division loop: a full-size enlarged copy cost a third of the step. (The earlier code
  // asked sharp to blur that copy by 2 px, which sharp did after enlarging, i.e. at full size: too little
  // to matter on a bilinear surface, so it is left out.)
  const columns = interpolationSteps(width, smallWidth);
  const levels = new Float32Array(smallWidth);
  // 255·value/level for every pair, looked up: a division per pixel costs more than the rest of the step.
  const out = new Uint8Array(data.length);
  const quotients = divisionTable();
  for (let y = 0; y < height; y++) {
    const [above, below, down] = interpolationStep(y, height, smallHeight);
    for (let x = 0; x < smallWidth; x++) levels[x] = background[above * smallWidth + x]! * (1 - down) + background[below * smallWidth + x]! * down;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const left = levels[columns.left[x]!]!;
      const level = Math.round(left + (levels[columns.right[x]!]! - left) * columns.across[x]!);
      out[i] = quotients[(level << 8) | data[i]!]!;
    }
  }
  return { data: out, width, height };
}

/**
 * Where full-size position `i` (of `size`) falls between two pixels of a copy `small` long, as sharp's
 * linear enlargement places it: the two indices and the weight of the second.
 */
function interpolationStep(i: number, size: number, small: number): [number, number, number] {
  const at = Math.min(small - 1, Math.max(0, (i * small) / size - 0.5));
  const from = Math.floor(at);
  return [from, Math.min(small - 1, from + 1), at - from];
}

/** `interpolationStep` of every column, computed once per page. */
function interpolationSteps(size: number, small: number): { left: Int32Array; right: Int32Array; across: Float32Array } {
  const left = new Int32Array(size);
  const right = new Int32Array(size);
  const across = new Float32Array(size);
  for (let i = 0; i < size; i++) [left[i], right[i], across[i]] = interpolationStep(i, size, small);
  return { left, right, across };
}

let divisions: Uint8Array | null = null;

/** `min(255, round(255 · value / max(level, 1)))` at index `level · 256 + value`. */
function divisionTable(): Uint8Array {
  if (divisions) return divisions;
  divisions = new Uint8Array(256 * 256);
  for (let level = 0; level < 256; level++) {
    for (let value = 0; value < 256; value++) divisions[(level << 8) | value] = Math.min(255, Math.round((255 * value) / Math.max(level, 1)));
  }
  return divisions;
}

/** Separable square max filter (grey-level dilation). */
function maxFilter(image: GreyImage, radius: number): Uint8Array {
  const { data, width, height } = image;
  const rows = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let best = 0;
      for (let k = Math.max(0, x - radius); k <= Math.min(width - 1, x + radius); k++) best = Math.max(best, data[y * width + k]!);
      rows[y * width + x] = best;
    }
  }
  const out = new Uint8Array(data.length);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      let best = 0;
      for (let k = Math.max(0, y - radius); k <= Math.min(height - 1, y + radius); k++) best = Math.max(best, rows[k * width + x]!);
      out[y * width + x] = best;
    }
  }
  return out;
}

const BINARISE_SIGMA_MM = 4;
/** Sauvola's k and dynamic range: a pixel is ink when darker than mean × (1 + k (sd / R − 1)). */
const SAUVOLA_K = 0.2;
const SAUVOLA_R = 128;

/**
 * Sauvola adaptive binarisation: each pixel is compared with the mean and spread of its
 * neighbourhood (Gaussian, ~4 mm), so faint ink on dark paper and dark ink on light paper both
 * become black on white.
 *
 * @example
 * const bw = await binarise(page, 300); // 0 or 255 only
 */
export async function binarise(page: GreyImage, dpi: number): Promise<GreyImage> {
  const { data, width, height } = page;
  const raw = { raw: { width, height, channels: 1 as const } };
  const sigma = Math.max(2, (BINARISE_SIGMA_MM * dpi) / 25.4);
  const squares = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) squares[i] = data[i]! * data[i]!;
  const mean = await sharp(data, raw).blur(sigma).toColourspace('b-w').raw().toBuffer();
  // The mean of squares needs more than 8 bits: blur it as float pixels.
  const meanSquares = await sharp(Buffer.from(squares.buffer), { raw: { width, height, channels: 1 } })
    .blur(sigma)
    .raw({ depth: 'float' })
    .toBuffer();
  const ms = new Float32Array(meanSquares.buffer, meanSquares.byteOffset, data.length);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const m = mean[i]!;
    const sd = Math.sqrt(Math.max(0, ms[i]! - m * m));
    out[i] = data[i]! > m * (1 + SAUVOLA_K * (sd / SAUVOLA_R - 1)) ? 255 : 0;
  }
  return { data: out, width, height };
}
