/**
 * The scan quality gate: measurements of a delivered page image taken before any OCR is spent, and
 * the verdict drawn from them (readable, blank, or to be scanned again and why).
 */
import sharp from 'sharp';
import type { ReasonCode } from '../../schemas/reasons.ts';
import { dilate, histogramPercentile, inkMask, outsidePageMask, shrinkGrey, textInk, type GreyImage } from './analysis.ts';

/** Reasons a page is sent back to be scanned again (schemas/reasons.ts holds what staff are told). */
export type RescanReason = Extract<ReasonCode, 'low_resolution' | 'blurred' | 'too_dark' | 'low_contrast' | 'cut_off'>;

/** What the gate measured on one page; stored on the page (`page.quality`) for staff and tuning. */
export interface ScanQuality {
  /** Resolution the page was judged at (the file's, or estimated from the page size). */
  dpi: number;
  /** Grey level of the paper, 0–255 (median of the page outside ink). */
  paper: number;
  /** Paper minus the level of dark ink (its 10th percentile), 0–255. */
  contrast: number;
  /** Share of the page covered by ink of letters (rules, stains and stamps left out). */
  letterInk: number;
  /**
   * Edge spread of the ink in millimetres: the width a sharp edge would need to have its slope.
   * About 0.15 mm for a sharp scan at 100–300 dpi; grows with focus blur. Null without enough ink.
   */
  blurMm: number | null;
  /** Sides of the image where letters run into the border (a page cut off by the scanner bed). */
  cutSides: Array<'top' | 'bottom' | 'left' | 'right'>;
}

export type ScanVerdict =
  | { status: 'ok' }
  | { status: 'blank' }
  | { status: 'needs_rescan'; reasons: RescanReason[] };

// Thresholds, calibrated with test/imaging/measure-quality.ts: first on generated corpora (profiles
// clean, typical and hard, seeds 3, 21 and 7: every page must pass, since OCR reads them all), then on
// corpus pages degraded step by step and read by OCR, to find where the CER breaks down. The figures
// are in BENCHMARKS.md ("Scan quality gate"). Tesseract binarises each page itself, so darkness and
// low contrast alone cost it almost nothing until 8-bit quantisation swallows the strokes: only
// extreme cases are flagged. Blur and resolution are what break it.
/** Below this the text's x-height is under ~8 px and Tesseract loses diacritics (100 dpi: CER ×1.5–2). */
export const MIN_DPI = 140;
/**
 * Corpus pages measure 0.18–0.26 mm (hard profile: Gaussian blur up to 1.5 px at 150 dpi); pages
 * blurred to 0.32–0.39 mm lost 40–97% of their characters, at 0.45 mm and more all of them.
 */
export const MAX_BLUR_MM = 0.32;
/** Paper darker than this (a photo without light): OCR still read paper at 25, a person cannot. */
export const MIN_PAPER_LEVEL = 32;
/** Corpus pages keep 55 levels or more; OCR read pages at 6–8 levels as well as before, and failed at 3–5. */
export const MIN_CONTRAST = 6;
/** Letter ink on the emptiest real page (a register's last page with a few lines) is over 0.3%. */
export const MAX_BLANK_LETTER_INK = 0.0005;
/** A side counts as cut off when this many separate pieces of letters touch it: several text lines run out of the image (a skewed page edge, a stain or a stamp at the edge make one or two). */
const MIN_CUT_PIECES = 6;

/** Analysis resolution: enough for ~2 mm letters (x-height ~8 px), ~1 MP for an A4 page. */
const ANALYSIS_DPI = 100;
/** Letters touching the border: in the first row or column where ink can be found. */
const BORDER_BAND = 1;

/**
 * Measures a page image (any format sharp reads, turned by its EXIF orientation) at ~100 dpi.
 *
 * @example
 * const quality = await measureScanQuality(jpegBytes, 300);
 * judgeScanQuality(quality); // { status: 'ok' }
 */
export async function measureScanQuality(image: Buffer, dpi: number, maxPixels = 120e6): Promise<ScanQuality> {
  const grey = await decodeForAnalysis(image, dpi, maxPixels);
  return measureGrey(grey.image, grey.dpi, dpi);
}

/**
 * The same from greyscale pixels already decoded (e.g. the viewing copy): `greyDpi` is their
 * resolution, `scanDpi` the delivered scan's, which the resolution check judges.
 *
 * @example
 * const view = await viewImage(scanBytes, maxPixels);
 * await measureGreyQuality(view.grey, page.dpi * view.scale, page.dpi);
 */
export async function measureGreyQuality(grey: GreyImage, greyDpi: number, scanDpi: number): Promise<ScanQuality> {
  const analysis = await downscale(grey, greyDpi);
  return measureGrey(analysis.image, analysis.dpi, scanDpi);
}

/** The gate's verdict: blank first (a blank page is never a rescan), then every rescan reason found. */
export function judgeScanQuality(q: ScanQuality): ScanVerdict {
  const reasons: RescanReason[] = [];
  if (q.dpi < MIN_DPI) reasons.push('low_resolution');
  if (q.paper < MIN_PAPER_LEVEL) reasons.push('too_dark');
  if (q.letterInk < MAX_BLANK_LETTER_INK && reasons.length === 0) return { status: 'blank' };
  if (q.contrast < MIN_CONTRAST) reasons.push('low_contrast');
  if (q.blurMm !== null && q.blurMm > MAX_BLUR_MM) reasons.push('blurred');
  if (q.cutSides.length > 0) reasons.push('cut_off');
  return reasons.length > 0 ? { status: 'needs_rescan', reasons } : { status: 'ok' };
}

async function decodeForAnalysis(bytes: Buffer, dpi: number, maxPixels: number): Promise<{ image: GreyImage; dpi: number }> {
  const meta = await sharp(bytes, { limitInputPixels: maxPixels }).autoOrient().metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? 1;
  const height = (turned ? meta.width : meta.height) ?? 1;
  const scale = Math.min(1, ANALYSIS_DPI / dpi);
  const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels })
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { kernel: 'linear', fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image: { data, width: info.width, height: info.height }, dpi: dpi * (info.width / width) };
}

async function downscale(image: GreyImage, dpi: number): Promise<{ image: GreyImage; dpi: number }> {
  const copy = await shrinkGrey(image, ANALYSIS_DPI / dpi);
  return { image: copy.image, dpi: dpi * copy.scale };
}

/** Ink found after stretching a flat page to this range of grey levels is still ink (see `stretchFaintInk`). */
const STRETCHED_RANGE = 120;
const MAX_STRETCH = 8;

async function measureGrey(image: GreyImage, analysisDpi: number, dpi: number): Promise<ScanQuality> {
  const { data, width, height } = image;
  const outside = outsidePageMask(image);
  const ink = await inkMask(await stretchFaintInk(image, outside), outside);
  const letters = textInk(ink, width, height);

  const paperHistogram = new Uint32Array(256);
  const inkHistogram = new Uint32Array(256);
  let paperCount = 0;
  let inkCount = 0;
  let letterCount = 0;
  let inside = 0;
  for (let i = 0; i < data.length; i++) {
    if (outside[i]) continue;
    inside++;
    if (letters[i]) letterCount++;
    if (ink[i]) {
      inkHistogram[data[i]!]! += 1;
      inkCount++;
    } else {
      paperHistogram[data[i]!]! += 1;
      paperCount++;
    }
  }
  const paper = paperCount > 0 ? histogramPercentile(paperHistogram, paperCount, 0.5) : 0;
  const inkLevel = inkCount > 0 ? histogramPercentile(inkHistogram, inkCount, 0.1) : paper;
  const contrast = Math.max(0, paper - inkLevel);
  return {
    dpi,
    paper,
    contrast,
    letterInk: inside > 0 ? round(letterCount / inside, 5) : 0,
    blurMm: edgeSpreadMm(image, letters, contrast, analysisDpi),
    cutSides: cutSides(letters, outside, width, height),
  };
}

/**
 * A page whose darkest marks are only a few grey levels below the paper (text faded nearly away, a
 * scanner set far too light) is stretched around its paper level before ink is looked for, so that
 * faint text is found as text (and judged `low_contrast`), not taken for a blank page. The stretch
 * stops where the paper's grain (JPEG blocks included) would reach the ink threshold: a grainy
 * blank page stays blank.
 */
async function stretchFaintInk(image: GreyImage, outside: Uint8Array): Promise<GreyImage> {
  const histogram = new Uint32Array(256);
  let inside = 0;
  for (let i = 0; i < image.data.length; i++) {
    if (outside[i]) continue;
    histogram[image.data[i]!]! += 1;
    inside++;
  }
  if (inside === 0) return image;
  const paper = histogramPercentile(histogram, inside, 0.5);
  const range = paper - histogramPercentile(histogram, inside, 0.001);
  if (range <= 0 || range >= STRETCHED_RANGE) return image;
  const grain = await grainSigma(image, outside);
  const gain = Math.min(MAX_STRETCH, STRETCHED_RANGE / range, GRAIN_CEILING / Math.max(grain, 0.5));
  if (gain <= 1) return image;
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(paper - (paper - image.data[i]!) * gain)));
  return { ...image, data };
}

/** Stretched grain stays below this sigma, a third of inkMask's least ink contrast (12 levels). */
const GRAIN_CEILING = 4;

/**
 * Sigma of the paper's grain: the robust spread (1.4826 × median absolute deviation) of each pixel
 * from its local mean. Unlike neighbour differences it also sees grain that JPEG smoothed into blocks.
 */
async function grainSigma(image: GreyImage, outside: Uint8Array): Promise<number> {
  const mean = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } }).blur(2).toColourspace('b-w').raw().toBuffer();
  const deviations = new Uint32Array(256);
  let count = 0;
  for (let i = 0; i < image.data.length; i++) {
    if (outside[i]) continue;
    deviations[Math.abs(image.data[i]! - mean[i]!)]! += 1;
    count++;
  }
  return count === 0 ? 0 : 1.4826 * histogramPercentile(deviations, count, 0.5);
}

/** Fewest edge pixels for a blur estimate (a few words' worth). */
const MIN_EDGE_PIXELS = 200;

/**
 * For a step of contrast C blurred by a Gaussian of sigma s, the steepest slope is C / (s·√(2π)):
 * the strongest slopes at the edges of letters (their 90th percentile, so noise and the odd sharp
 * speck do not decide) give s, in millimetres. Contrast-independent, so faded pages are not "blurred".
 */
function edgeSpreadMm(image: GreyImage, letters: Uint8Array, contrast: number, analysisDpi: number): number | null {
  const { data, width, height } = image;
  if (contrast <= 0) return null;
  const near = dilate(letters, width, height, 1);
  const slopes: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!near[i] || (letters[i] === 1 && isInterior(letters, i, width))) continue;
      const gx = (data[i + 1]! - data[i - 1]!) / 2;
      const gy = (data[i + width]! - data[i - width]!) / 2;
      slopes.push(Math.hypot(gx, gy));
    }
  }
  if (slopes.length < MIN_EDGE_PIXELS) return null;
  slopes.sort((a, b) => a - b);
  const steepest = slopes[Math.floor(slopes.length * 0.9)]!;
  if (steepest <= 0) return null;
  const sigmaPixels = contrast / (steepest * Math.sqrt(2 * Math.PI));
  return round((sigmaPixels * 25.4) / analysisDpi, 3);
}

function isInterior(mask: Uint8Array, i: number, width: number): boolean {
  return mask[i - 1] === 1 && mask[i + 1] === 1 && mask[i - width] === 1 && mask[i + width] === 1;
}

/**
 * Sides where separate pieces of letter ink reach the image border. A page scanned with a margin
 * (or inside a scanner frame, whose edge `inkMask` never takes for ink) has none.
 */
function cutSides(letters: Uint8Array, outside: Uint8Array, width: number, height: number): ScanQuality['cutSides'] {
  const sides: ScanQuality['cutSides'] = [];
  const pieces = (at: (k: number) => number, length: number): number => {
    let count = 0;
    let inPiece = false;
    for (let k = 0; k < length; k++) {
      const i = at(k);
      const hit = letters[i] === 1 && outside[i] === 0;
      if (hit && !inPiece) count++;
      inPiece = hit;
    }
    return count;
  };
  const band = (side: 'top' | 'bottom' | 'left' | 'right'): number => {
    let best = 0;
    // Row and column 0 never hold ink (inkMask needs neighbours on all sides).
    for (let d = 1; d <= BORDER_BAND; d++) {
      const n =
        side === 'top' ? pieces((k) => d * width + k, width)
        : side === 'bottom' ? pieces((k) => (height - 1 - d) * width + k, width)
        : side === 'left' ? pieces((k) => k * width + d, height)
        : pieces((k) => k * width + width - 1 - d, height);
      best = Math.max(best, n);
    }
    return best;
  };
  for (const side of ['top', 'bottom', 'left', 'right'] as const) if (band(side) >= MIN_CUT_PIECES) sides.push(side);
  return sides;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
