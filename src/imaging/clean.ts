import sharp from 'sharp';
import type { Metadata, OutputInfo } from 'sharp';
import type { ReasonCode } from '../../schemas/reasons.ts';

/**
 * Identifies the cleanup algorithm in stored results; bump it whenever the output of
 * `cleanPage` changes for the same input, so old and new clean images can be told apart.
 */
export const CLEAN_VERSION = 'clean-1';

/** Pixel limit when the caller gives none: an A3 page at 600 dpi is ~70 MP. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/**
 * How clean-image pixels relate to the original. Identity for now; deskew and crop will fill it
 * so that OCR boxes can be mapped back. "Original" means the page as displayed, i.e. after the
 * EXIF orientation has been applied.
 */
export interface CleanTransform {
  rotate: 0;
  skewDeg: 0;
  /** x, y, width, height in original pixels */
  crop: [number, number, number, number];
  scale: 1;
}

export interface CleanResult {
  /** PNG, 8-bit, one channel (greyscale). */
  image: Buffer;
  width: number;
  height: number;
  /** Steps that changed something, in order, e.g. ['greyscale', 'normalise']. */
  steps: string[];
  transform: CleanTransform;
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
 * Minimal page cleanup before OCR: EXIF auto-orientation, flattening transparency onto white,
 * 8-bit greyscale (also for 1-bit scans, which sharp would otherwise widen to three channels) and a
 * gentle contrast stretch. Dimensions are kept, so OCR boxes map 1:1 to the oriented original.
 *
 * Throws `ImageInputError` for images over `maxPixels` (reason `too_many_pixels`) or that cannot be
 * decoded (`corrupt_file`).
 *
 * @example
 * const clean = await cleanPage(await readFile(scanPath), { maxPixels: 100_000_000 });
 * clean.steps; // ['greyscale', 'normalise']
 * const ocr = await pool.recognize(clean.image);
 */
export async function cleanPage(image: Buffer, options: { maxPixels?: number } = {}): Promise<CleanResult> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
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

  let grey: { data: Buffer; info: OutputInfo };
  try {
    grey = await sharp(image, input)
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .greyscale()
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw asInputError(error);
  }
  const { width, height, channels } = grey.info;
  if (channels !== 1) throw new Error(`cleanPage: expected 1 channel after greyscale, got ${channels}`);

  const raw = { raw: { width, height, channels: 1 as const } };
  const stretch = contrastStretch(grey.data);
  let output = sharp(grey.data, raw);
  if (stretch) {
    steps.push('normalise');
    output = output.linear(stretch.gain, stretch.offset);
  }
  // Raw pixels carry no resolution; Tesseract uses it to judge text size, so keep the scan's.
  if (metadata.density) output = output.withDensity(metadata.density);
  // sharp writes sRGB (three channels) unless told otherwise, even from one-channel raw pixels.
  const png = await output.toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();

  return {
    image: png,
    width,
    height,
    steps,
    transform: { rotate: 0, skewDeg: 0, crop: [0, 0, width, height], scale: 1 },
  };
}

/**
 * Linear map `out = gain * in + offset` that puts the paper level at 255 and moves the darkest
 * ink towards 0, or null when the page is too uniform or already has good contrast.
 */
export function contrastStretch(greyPixels: Uint8Array): { gain: number; offset: number } | null {
  if (greyPixels.length === 0) return null;
  const histogram = new Uint32Array(256);
  for (const value of greyPixels) histogram[value]! += 1;
  const paper = percentile(histogram, greyPixels.length, PAPER_PERCENTILE);
  const ink = percentile(histogram, greyPixels.length, INK_PERCENTILE);
  const range = paper - ink;
  if (range < MIN_RANGE) return null;
  const gain = Math.min(255 / range, MAX_GAIN);
  if (gain < MIN_USEFUL_GAIN && paper >= 250) return null;
  return { gain, offset: 255 - paper * gain };
}

function percentile(histogram: Uint32Array, total: number, fraction: number): number {
  const target = fraction * total;
  let seen = 0;
  for (let value = 0; value < histogram.length; value++) {
    seen += histogram[value]!;
    if (seen > target) return value;
  }
  return histogram.length - 1;
}

function asInputError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new ImageInputError('too_many_pixels', message, { cause: error });
  return new ImageInputError('corrupt_file', `Image cannot be decoded: ${message}`, { cause: error });
}
