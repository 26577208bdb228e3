/**
 * A small greyscale copy of the page on which geometry is estimated, and the two masks every
 * geometry step reads: what lies outside the page (scanner frame, dark margins) and which pixels
 * are ink.
 */
import sharp from 'sharp';
import { forEachComponent } from './components.ts';

/** One-channel 8-bit pixels, row by row. */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * The analysis copy is about 100 dpi for an A4 page at 250–300 dpi: x-height ~8 px, enough to
 * place text lines within a fraction of a degree, and ~1 MP, so every estimate costs milliseconds.
 */
export const ANALYSIS_LONG_SIDE = 1200;

/**
 * Downscales a greyscale image so its long side is at most `longSide`; `scale` is analysis pixels
 * per image pixel (1 when the image is already small).
 *
 * @example
 * const { image, scale } = await analysisCopy({ data, width: 2067, height: 2923 }); // 849×1200, scale ≈ 0.41
 */
export async function analysisCopy(image: GreyImage, longSide = ANALYSIS_LONG_SIDE): Promise<{ image: GreyImage; scale: number }> {
  return shrinkGrey(image, longSide / Math.max(image.width, image.height));
}

/** A greyscale copy shrunk by `scale` (never enlarged); `scale` is the exact width ratio obtained. */
export async function shrinkGrey(image: GreyImage, wanted: number): Promise<{ image: GreyImage; scale: number }> {
  const scale = Math.min(1, wanted);
  if (scale === 1) return { image, scale };
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .resize(width, height, { kernel: 'linear', fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return { image: { data, width, height }, scale: width / image.width };
}

/**
 * Grey level below which `fraction` of the pixels lie.
 *
 * @example
 * greyPercentile(Uint8Array.from([0, 10, 200, 250]), 0.5); // 200
 */
export function greyPercentile(data: Uint8Array, fraction: number): number {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) histogram[data[i]!]! += 1;
  return histogramPercentile(histogram, data.length, fraction);
}

// A frame is darker than the paper by at least this many grey levels at the image border;
// a page scanned edge to edge has paper (or faint shading) there instead.
const MIN_FRAME_CONTRAST = 40;

/**
 * Grey level of a dark frame around the page (scanner lid, book edge, black margins), or null
 * when the image border is paper. A frame makes at least one side of the border mostly dark:
 * the darkest side's median is compared with the paper level (a high percentile), so specks or
 * a stamp touching the border are not a frame.
 *
 * @example
 * frameLevel(scanOnDarkLid); // { frame: 38, paper: 226 }
 * frameLevel(pageScannedEdgeToEdge); // null
 */
export function frameLevel(image: GreyImage): { frame: number; paper: number } | null {
  const { data, width, height } = image;
  const paper = greyPercentile(data, 0.75);
  const sides: number[][] = [[], [], [], []];
  for (let x = 0; x < width; x++) {
    sides[0]!.push(data[x]!);
    sides[1]!.push(data[(height - 1) * width + x]!);
  }
  for (let y = 0; y < height; y++) {
    sides[2]!.push(data[y * width]!);
    sides[3]!.push(data[y * width + width - 1]!);
  }
  const medians = sides.map((side) => side.sort((a, b) => a - b)[Math.floor(side.length / 2)] ?? 255);
  const frame = Math.min(...medians);
  return paper - frame < MIN_FRAME_CONTRAST ? null : { frame, paper };
}

/**
 * Pixels outside the page (1): regions darker than midway between frame and paper that are
 * connected to the image border, such as the scanner lid, the book edge or black margins. A grey
 * lid on white paper and a black lid on yellowed paper are both found; ink is not reached unless
 * it touches such a region. All zero when `frameLevel` finds no frame.
 *
 * @example
 * const outside = outsidePageMask(analysis); // 1 on the lid around the page, 0 on the page
 */
export function outsidePageMask(image: GreyImage): Uint8Array {
  const { data, width, height } = image;
  const mask = new Uint8Array(width * height);
  const levels = frameLevel(image);
  if (!levels) return mask;
  const threshold = (levels.paper + levels.frame) / 2;

  const stack: number[] = [];
  const visit = (index: number): void => {
    if (mask[index] === 0 && data[index]! < threshold) {
      mask[index] = 1;
      stack.push(index);
    }
  };
  for (let x = 0; x < width; x++) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  while (stack.length > 0) {
    const index = stack.pop()!;
    const x = index % width;
    if (x > 0) visit(index - 1);
    if (x < width - 1) visit(index + 1);
    if (index >= width) visit(index - width);
    if (index < (height - 1) * width) visit(index + width);
  }
  return mask;
}

/** Gaussian sigma of the local mean: ~1.3 mm at analysis scale, wider than a stroke, narrower than the changes of the page light. */
const INK_MEAN_SIGMA = 5;
const INK_SMOOTH_SIGMA = 1;
// How far below the local mean a pixel must be to count as ink: a share of the page's paper-to-ink
// range, and well above the paper's own noise (so grain, JPEG ringing and speckle stay paper).
const INK_CONTRAST_FRACTION = 0.25;
const NOISE_MULTIPLE = 4;
const MIN_INK_CONTRAST = 12;
/** Ink this close to the page edge is the edge's shadow, not text. */
const EDGE_GUARD = 3;

/**
 * Ink pixels (1) inside the page: darker than their neighbourhood's mean by a share of the page's
 * contrast and by several times the paper noise (a local threshold, so uneven light and yellowed
 * paper do not turn into ink), and not within a few pixels of the outside-page mask.
 *
 * @example
 * const ink = await inkMask(analysis, outsidePageMask(analysis));
 */
export async function inkMask(image: GreyImage, outside: Uint8Array): Promise<Uint8Array> {
  const { data, width, height } = image;
  const page = Buffer.from(data);
  const histogram = new Uint32Array(256);
  let inside = 0;
  for (let i = 0; i < page.length; i++) {
    if (outside[i]) page[i] = 255;
    else {
      histogram[page[i]!]! += 1;
      inside++;
    }
  }
  if (inside === 0) return new Uint8Array(width * height);
  // The median is paper on any page that is mostly paper, even with white corners or a dark stain.
  const contrast = histogramPercentile(histogram, inside, 0.5) - histogramPercentile(histogram, inside, 0.005);
  const raw = { raw: { width, height, channels: 1 as const } };
  const mean = await sharp(page, raw).blur(INK_MEAN_SIGMA).toColourspace('b-w').raw().toBuffer();
  let levels: Uint8Array = page;
  let noise = paperNoise(levels, outside, width);
  // Grainy scans: a slight blur averages the grain out while strokes (several pixels long) keep
  // their darkness. Clean scans keep full detail, which tells the top of a line from its bottom.
  if (NOISE_MULTIPLE * noise > INK_CONTRAST_FRACTION * contrast) {
    levels = await sharp(page, raw).blur(INK_SMOOTH_SIGMA).toColourspace('b-w').raw().toBuffer();
    noise = paperNoise(levels, outside, width);
  }
  const delta = Math.max(MIN_INK_CONTRAST, INK_CONTRAST_FRACTION * contrast, NOISE_MULTIPLE * noise);

  const nearOutside = inside < page.length ? dilate(outside, width, height, EDGE_GUARD) : outside;
  const dark = new Uint8Array(width * height);
  for (let i = 0; i < page.length; i++) {
    if (levels[i]! < mean[i]! - delta && !nearOutside[i]) dark[i] = 1;
  }
  return withoutSpecks(dark, width, height);
}

// Connected ink longer than this share of the image's long side is a rule, a frame edge or a
// cursive run, and ink wider and taller than BLOB_SHARE is a stain, stamp or photo: neither says
// which way the text reads. A letter or a word is far smaller (~1 cm against 14 cm and 5 cm on A4).
const RULE_SHARE = 0.12;
const BLOB_SHARE = 0.04;

/**
 * The ink of letters only: connected ink components (8-neighbour) that are long (rules, table
 * grids, underlines) or large in both directions (stains, stamps) are dropped. The ruled columns
 * of a register table would otherwise outweigh its text when deciding which way the lines run.
 *
 * @example
 * const letters = textInk(ink, width, height); // the table grid removed, handwriting kept
 */
export function textInk(ink: Uint8Array, width: number, height: number): Uint8Array {
  const longSide = Math.max(width, height);
  const maxLength = RULE_SHARE * longSide;
  const maxBlob = BLOB_SHARE * longSide;
  const text = new Uint8Array(ink.length);
  forEachComponent(ink, width, height, (pixels, box) => {
    const w = box.right - box.left + 1;
    const h = box.bottom - box.top + 1;
    if (Math.max(w, h) > maxLength || Math.min(w, h) > maxBlob) return;
    for (const index of pixels) text[index] = 1;
  });
  return text;
}

/**
 * Drops dark pixels with fewer than two dark neighbours (of eight): grain and isolated JPEG
 * speckle, which would otherwise pass for ink on a blank page. Strokes of letters keep theirs.
 */
function withoutSpecks(dark: Uint8Array, width: number, height: number): Uint8Array {
  const ink = new Uint8Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!dark[i]) continue;
      const neighbours = dark[i - width - 1]! + dark[i - width]! + dark[i - width + 1]! + dark[i - 1]! + dark[i + 1]! + dark[i + width - 1]! + dark[i + width]! + dark[i + width + 1]!;
      if (neighbours >= 2) ink[i] = 1;
    }
  }
  return ink;
}

/**
 * Paper noise: the median difference between horizontal neighbours inside the page. Most
 * neighbours are both paper, so letter edges do not move the median, but grain does.
 */
function paperNoise(levels: Uint8Array, outside: Uint8Array, width: number): number {
  const differences = new Uint32Array(256);
  let count = 0;
  for (let i = 0; i < levels.length - 1; i++) {
    if (outside[i] || outside[i + 1] || (i + 1) % width === 0) continue;
    differences[Math.abs(levels[i]! - levels[i + 1]!)]! += 1;
    count++;
  }
  return count === 0 ? 0 : histogramPercentile(differences, count, 0.5);
}

/** The smallest value below which more than `fraction` of a histogram's `total` lies. */
export function histogramPercentile(histogram: Uint32Array, total: number, fraction: number): number {
  const target = fraction * total;
  let seen = 0;
  for (let value = 0; value < histogram.length; value++) {
    seen += histogram[value]!;
    if (seen > target) return value;
  }
  return histogram.length - 1;
}

/**
 * Square dilation by `radius` pixels (separable max filter).
 *
 * @example
 * dilate(Uint8Array.from([0, 0, 1, 0, 0]), 5, 1, 1); // [0, 1, 1, 1, 0]
 */
export function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    let last = -Infinity;
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x]) last = x;
      if (x - last <= radius) rows[y * width + x] = 1;
    }
    last = Infinity;
    for (let x = width - 1; x >= 0; x--) {
      if (mask[y * width + x]) last = x;
      if (last - x <= radius) rows[y * width + x] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height; y++) {
      if (rows[y * width + x]) last = y;
      if (y - last <= radius) out[y * width + x] = 1;
    }
    last = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      if (rows[y * width + x]) last = y;
      if (last - y <= radius) out[y * width + x] = 1;
    }
  }
  return out;
}
