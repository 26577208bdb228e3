import sharp from 'sharp';
import type { Metadata, OutputInfo } from 'sharp';
import type { ReasonCode } from '../../schemas/reasons.ts';
import { histogramPercentile, type GreyImage } from './analysis.ts';
import { binarise, flattenBackground } from './background.ts';
import { paintFrameRemnants } from './crop.ts';
import { localInk, removeDottedLeaders } from './leaders.ts';
import { findTableGrid, type TableGrid } from './rules.ts';
import { removeSignatures } from './signatures.ts';
import { fadeGreyStamps, suppressRedStamps } from './stamps.ts';
import { fadeGutterShadow, findGutter, MIN_SHADOW } from './spread.ts';
import { planGeometry, type CleanStep, type GeometryFindings } from './geometry.ts';
import { rotatedSize, type CleanTransform } from './transform.ts';

export { CLEAN_STEPS, type CleanStep, type GeometryFindings } from './geometry.ts';
export { identityTransform, mapBoxToClean, mapBoxToOriginal, mapLineBoxToClean, mapPointToClean, mapPointToOriginal } from './transform.ts';
export type { Box, CleanPart, CleanTransform, QuarterTurn, Size } from './transform.ts';
export type { TableGrid } from './rules.ts';

/**
 * Identifies the cleanup algorithm in stored results; bump it whenever the output of
 * `cleanPage` changes for the same input, so old and new clean images can be told apart.
 */
export const CLEAN_VERSION = 'clean-9';

/** Pixel limit when the caller gives none: an A3 page at 600 dpi is ~70 MP. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/**
 * Steps that run unless the caller says otherwise: the ones the `civreg eval` ablation in
 * BENCHMARKS.md ("Cleanup ablation") shows helping OCR.
 */
export const DEFAULT_CLEAN_STEPS: Readonly<Record<CleanStep, boolean>> = {
  stamps: true,
  orient: true,
  deskew: true,
  crop: true,
  split: true,
  leaders: true,
  signatures: true,
  rules: true,
  background: true,
  normalise: false,
  binarise: false,
};

/** Resolution assumed for sizes in millimetres when the file records none. */
const DEFAULT_DPI = 300;

/**
 * The step switches for a list of steps to run (`CIVREG_CLEAN_STEPS`): listed ones on, the rest off;
 * no list, the defaults.
 *
 * @example
 * cleanStepsFrom(['orient', 'deskew']); // { orient: true, deskew: true, crop: false, … }
 */
export function cleanStepsFrom(list: readonly CleanStep[] | undefined): Record<CleanStep, boolean> {
  if (!list) return { ...DEFAULT_CLEAN_STEPS };
  return Object.fromEntries(Object.keys(DEFAULT_CLEAN_STEPS).map((step) => [step, list.includes(step as CleanStep)])) as Record<CleanStep, boolean>;
}

export interface CleanOptions {
  maxPixels?: number;
  /**
   * Resolution of the page as ingest settled it (recorded in the file, derived from a PDF page, or
   * estimated). Written into the clean PNG, so that Tesseract judges text size by the same figure
   * whatever the delivery format, and used for sizes in millimetres. Default: the file's own
   * density, else 300.
   */
  dpi?: number;
  /** Switches steps on or off; missing keys take `DEFAULT_CLEAN_STEPS`. */
  steps?: Partial<Record<CleanStep, boolean>>;
}

/** One clean page: a whole image, or one of the two facing pages of a spread. */
export interface CleanImage {
  /** PNG, 8-bit, one channel (greyscale). */
  image: Buffer;
  width: number;
  height: number;
  /**
   * Steps that changed this page, in order, e.g. ['greyscale', 'orient:180', 'deskew:-2.38', 'crop',
   * 'split:1504', 'leaders:412']; a step that ran without changing the page is in `findings` only.
   */
  steps: string[];
  /** Maps this page's clean pixels back onto the original image (for a spread's page, its half). */
  transform: CleanTransform;
  /** The column rules of a ruled table the `rules` step found on the page (OCR reads it column by column); absent otherwise. */
  table?: TableGrid;
}

/**
 * The cleaned image: one page, or two facing pages in reading order (`pages`). The fields of
 * `CleanImage` are those of the first page (`pages[0]`), so a caller that knows its image holds one
 * page reads the result directly.
 */
export interface CleanResult extends CleanImage {
  /** Every page the image holds, left page first: one, or two for a spread split at its gutter. */
  pages: CleanImage[];
  findings: GeometryFindings;
}

/** An image that cannot be cleaned: a result for the caller to record, never worth a retry. */
export class ImageInputError extends Error {
  override name = 'ImageInputError';
  readonly reason: Extract<ReasonCode, 'too_many_pixels' | 'corrupt_file'>;

  constructor(reason: ImageInputError['reason'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

// Contrast normalisation anchors the paper (a high percentile) at white and stretches towards the
// darkest ink. The gain is capped so faint scanner noise is never blown up into speckle, and nearly
// uniform pages (blank or empty margins) are left alone.
const PAPER_PERCENTILE = 0.99;
const INK_PERCENTILE = 0.001;
const MAX_GAIN = 2.5;
const MIN_RANGE = 48;
const MIN_USEFUL_GAIN = 1.05;

/**
 * Page cleanup before OCR. Always: EXIF auto-orientation, flattening transparency onto white and
 * 8-bit greyscale (also for 1-bit scans, which sharp would otherwise widen to three channels).
 * Then, as `options.steps` says (default `DEFAULT_CLEAN_STEPS`): `stamps` fades red stamps out of a
 * colour scan's greyscale (keeping black and blue ink), `orient` turns a sideways or
 * upside-down page upright (0 when unsure), `deskew` straightens text lines skewed up to ±10°,
 * `crop` cuts off a dark scanner frame around the page without cutting text, `split` cuts two facing
 * pages photographed as one image apart at the gutter (fading its shadow) into two clean pages, left
 * first (`pages`; each page's transform crops its half), `leaders` paints out
 * the dotted leader lines of pre-printed forms, `signatures` paints pen signatures out of printed pages,
 * `background` divides out uneven paper (stains,
 * gutter shadow), `normalise` stretches the contrast gently and `binarise` thresholds adaptively
 * (Sauvola). `transform` maps clean pixels back onto the original (`mapBoxToOriginal`), and
 * `findings` says what each geometry step found.
 *
 * Throws `ImageInputError` for images over `maxPixels` (reason `too_many_pixels`) or that cannot be
 * decoded (`corrupt_file`).
 *
 * @example
 * const clean = await cleanPage(await readFile(scanPath), { maxPixels: 100_000_000 });
 * clean.steps; // ['greyscale', 'orient:90', 'deskew:1.7', 'crop', 'leaders:412', 'normalise']
 * const ocr = await pool.recognize(clean.image);
 * const onScan = mapBoxToOriginal(ocr.words[0]!.box, clean.transform, originalSize);
 */
export async function cleanPage(image: Buffer, options: CleanOptions = {}): Promise<CleanResult> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const enabled = { ...DEFAULT_CLEAN_STEPS, ...options.steps };
  const input = { limitInputPixels: maxPixels };

  let metadata: Metadata;
  try {
    metadata = await sharp(image, input).metadata();
  } catch (error) {
    throw asInputError(error);
  }
  // The header is enough to refuse a decompression bomb before any pixel is decoded.
  const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
  if (pixels > maxPixels) {
    throw new ImageInputError('too_many_pixels', `Image has ${metadata.width}×${metadata.height} = ${pixels} pixels, over the limit of ${maxPixels}`);
  }

  const steps: string[] = [];
  if ((metadata.orientation ?? 1) > 1) steps.push('auto-orient');
  if (metadata.hasAlpha) steps.push('flatten');
  steps.push('greyscale');

  // A colour scan is decoded once to RGB, for the stamp step, and its greyscale taken from those pixels.
  const colour = enabled.stamps && (metadata.channels ?? 1) >= 3;
  let grey: { data: Buffer; info: OutputInfo };
  let rgb: { data: Buffer; info: OutputInfo } | null = null;
  try {
    const upright = sharp(image, input).autoOrient().flatten({ background: '#ffffff' });
    if (colour) {
      rgb = await upright.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
      const { width, height, channels } = rgb.info;
      grey = await sharp(rgb.data, { raw: { width, height, channels } }).greyscale().toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    } else {
      grey = await upright.greyscale().toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    }
  } catch (error) {
    throw asInputError(error);
  }
  const { width, height, channels } = grey.info;
  if (channels !== 1) throw new Error(`cleanPage: expected 1 channel after greyscale, got ${channels}`);
  let original: GreyImage = { data: grey.data, width, height };
  if (rgb) {
    const faded = suppressRedStamps({ data: rgb.data, channels: rgb.info.channels }, original);
    if (faded) {
      original = faded.image;
      steps.push('stamps');
    }
  }

  const { transform, findings, paperLevel, crop, analysis } = await planGeometry(original, enabled);
  const angle = transform.rotate - transform.skewDeg;
  if (transform.rotate !== 0) steps.push(`orient:${transform.rotate}`);
  if (transform.skewDeg !== 0) steps.push(`deskew:${transform.skewDeg}`);

  // Turn, straighten and crop in one resampling of the full image.
  let page = original;
  const [cropX, cropY, cropWidth, cropHeight] = transform.crop;
  const cropped = cropX !== 0 || cropY !== 0 || cropWidth !== rotatedSize(original, angle).width || cropHeight !== rotatedSize(original, angle).height;
  if (cropped) steps.push('crop');
  if (angle !== 0 || cropped) {
    let pipeline = sharp(page.data, { raw: { width: page.width, height: page.height, channels: 1 } });
    // Corners uncovered by the turn get the paper's grey, so they neither look like ink nor
    // push the contrast stretch's paper level to white.
    const fill = { r: paperLevel, g: paperLevel, b: paperLevel };
    if (angle !== 0) pipeline = pipeline.rotate(angle, { background: fill });
    if (cropped) pipeline = pipeline.extract({ left: cropX, top: cropY, width: cropWidth, height: cropHeight });
    const turned = await pipeline.toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    page = { data: turned.data, width: turned.info.width, height: turned.info.height };
  }
  const painted = crop !== null && Boolean(findings.crop?.box);
  if (crop && findings.crop?.box) {
    findings.crop.paintedShare = Math.round(paintFrameRemnants(page, crop.found, crop.analysisWidth, paperLevel) * 1000) / 1000;
  }

  const dpi = options.dpi ?? (metadata.density && metadata.density > 50 ? metadata.density : DEFAULT_DPI);
  // Two facing pages become two clean pages, left first, each with the transform of its own half.
  let halves: Array<{ image: GreyImage; transform: CleanTransform }> = [{ image: page, transform }];
  if (enabled.split) {
    // A page that was neither turned, cropped nor painted has the pixels geometry analysed: reuse that.
    const spread = await findGutter(page, dpi, page === original && !painted ? (analysis ?? undefined) : undefined);
    findings.split = spread;
    if (spread.gutterX !== null) {
      const gutter = spread.gutterX;
      let left = subImage(page, 0, gutter);
      let right = subImage(page, gutter, page.width - gutter);
      if (spread.shadow >= MIN_SHADOW) {
        left = fadeGutterShadow(left, 'right', dpi);
        right = fadeGutterShadow(right, 'left', dpi);
      }
      const [cropLeft, cropTop] = transform.crop;
      halves = [
        { image: left, transform: { ...transform, crop: [cropLeft, cropTop, gutter, page.height] } },
        { image: right, transform: { ...transform, crop: [cropLeft + gutter, cropTop, page.width - gutter, page.height] } },
      ];
      steps.push(`split:${gutter}`);
    }
  }

  // Form and paper steps run on each upright, cropped page at full resolution.
  const pages: CleanImage[] = [];
  for (const half of halves) {
    const finished = await paperSteps(half.image, enabled, dpi);
    const pageSteps = [...steps];
    if (finished.dots > 0) pageSteps.push(`leaders:${finished.dots}`);
    if (finished.counterDots > 0) pageSteps.push(`counter-dots:${finished.counterDots}`);
    if (finished.signatures > 0) pageSteps.push(`signatures:${finished.signatures}`);
    pageSteps.push(...finished.applied);
    const work = finished.image;
    let output = sharp(work.data, { raw: { width: work.width, height: work.height, channels: 1 } });
    // Raw pixels carry no resolution, and Tesseract judges text size by it (without one it guesses
    // from the letters): every clean page records the one resolution cleanup worked with.
    output = output.withDensity(dpi);
    // sharp writes sRGB (three channels) unless told otherwise, even from one-channel raw pixels.
    // Level 3: a third faster than the default 6 for ~7% more bytes, and the same pixels.
    const png = await output.toColourspace('b-w').png({ compressionLevel: 3 }).toBuffer();
    pages.push({ image: png, width: work.width, height: work.height, steps: pageSteps, transform: half.transform, ...(finished.table ? { table: finished.table } : {}) });
  }
  return { ...pages[0]!, pages, findings };
}

/** Leader and signature removal, background flattening, contrast stretch and binarisation of one page, as enabled. */
async function paperSteps(page: GreyImage, enabled: Record<CleanStep, boolean>, dpi: number): Promise<{ image: GreyImage; dots: number; counterDots: number; signatures: number; applied: string[]; table: TableGrid | null }> {
  let work = page;
  let table: TableGrid | null = null;
  let dots = 0;
  let counterDots = 0;
  let signatures = 0;
  const applied: string[] = [];
  if (enabled.stamps) {
    const faded = fadeGreyStamps(work, dpi);
    if (faded.stamps > 0) applied.push('grey-stamps');
    work = faded.image;
  }
  // Leaders and signatures are judged on the same ink (before either is painted out), computed once.
  const ink = enabled.leaders || enabled.signatures || enabled.rules ? await localInk(work, dpi) : null;
  if (ink && enabled.leaders) {
    const removed = await removeDottedLeaders(work, dpi, ink);
    dots = removed.dots;
    counterDots = removed.counterDots;
    work = removed.image;
  }
  if (ink && enabled.signatures) {
    const removed = removeSignatures(work, dpi, ink);
    signatures = removed.signatures;
    work = removed.image;
  }
  if (ink && enabled.rules) {
    // The rules stay on the clean page (extraction finds a ruled page's rows between them); OCR paints them out.
    table = findTableGrid(work, dpi, ink);
    if (table) applied.push(`rules:${table.columns.length}`);
  }
  const flat = enabled.background ? await flattenBackground(work) : null;
  if (flat) {
    work = flat;
    applied.push('background');
  }
  const stretch = enabled.normalise ? contrastStretch(work.data) : null;
  if (stretch) {
    applied.push('normalise');
    // One table of 256 levels: ~20× faster than the arithmetic per pixel (200 ms on a 5 MP page).
    const levels = new Uint8Array(256);
    for (let v = 0; v < 256; v++) levels[v] = Math.max(0, Math.min(255, Math.round(stretch.gain * v + stretch.offset)));
    const out = new Uint8Array(work.data.length);
    for (let i = 0; i < out.length; i++) out[i] = levels[work.data[i]!]!;
    work = { ...work, data: out };
  }
  if (enabled.binarise) {
    work = await binarise(work, dpi);
    applied.push('binarise');
  }
  return { image: work, dots, counterDots, signatures, applied, table };
}

/** Columns `left`…`left + width` of a page. */
function subImage(page: GreyImage, left: number, width: number): GreyImage {
  const data = new Uint8Array(width * page.height);
  for (let y = 0; y < page.height; y++) data.set(page.data.subarray(y * page.width + left, y * page.width + left + width), y * width);
  return { data, width, height: page.height };
}

/**
 * Linear map `out = gain * in + offset` that puts the paper level at 255 and moves the darkest
 * ink towards 0, or null when the page is too uniform or already has good contrast.
 */
export function contrastStretch(greyPixels: Uint8Array): { gain: number; offset: number } | null {
  if (greyPixels.length === 0) return null;
  const histogram = new Uint32Array(256);
  for (const value of greyPixels) histogram[value]! += 1;
  const paper = histogramPercentile(histogram, greyPixels.length, PAPER_PERCENTILE);
  const ink = histogramPercentile(histogram, greyPixels.length, INK_PERCENTILE);
  const range = paper - ink;
  if (range < MIN_RANGE) return null;
  const gain = Math.min(255 / range, MAX_GAIN);
  if (gain < MIN_USEFUL_GAIN && paper >= 250) return null;
  return { gain, offset: 255 - paper * gain };
}


function asInputError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new ImageInputError('too_many_pixels', message, { cause: error });
  return new ImageInputError('corrupt_file', `Image cannot be decoded: ${message}`, { cause: error });
}
