/**
 * Pixel helpers shared by the PDF, raster and zip readers: colour classification, lossless page
 * encoding, and turning decoder errors into reason codes.
 */
import sharp, { type Sharp } from 'sharp';
import type { ReasonCode } from '../../schemas/reasons.ts';
import type { DecodedPage } from './decode.ts';

/** A decoded page before it gets its place (index, label) in the upload. */
export type PageImage = Omit<DecodedPage, 'index' | 'label'>;

export type PageResult = { ok: true; image: PageImage } | { ok: false; reason: ReasonCode; detail: string };

export interface RawPixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** 1 grey, 3 RGB, 4 RGBA. */
  channels: 1 | 3 | 4;
}

export type ColourMode = DecodedPage['colourMode'];

/** 90° steps clockwise, applied after an optional left-right mirror (sharp's order). */
export interface Orientation {
  mirror: boolean;
  rotate: 0 | 90 | 180 | 270;
}

export const UPRIGHT: Orientation = { mirror: false, rotate: 0 };

/** Enough samples to see a red seal or blue ink on a page without reading every pixel. */
const COLOUR_SAMPLES = 400_000;
/** JPEG chroma noise on a grey scan stays below this channel spread. */
const CHROMA_TOLERANCE = 28;
/** Share of sampled pixels that must be clearly coloured to call the page colour. */
const COLOUR_SHARE = 0.0005;

/**
 * Classifies pixels as bilevel (only pure black and white), grey, or colour. Samples a regular grid
 * so a 100-megapixel page costs the same as a small one.
 */
export function classifyColour(pixels: RawPixels): ColourMode {
  const { data, channels } = pixels;
  const count = pixels.width * pixels.height;
  const step = Math.max(1, Math.floor(count / COLOUR_SAMPLES));
  let sampled = 0;
  let coloured = 0;
  let onlyBlackAndWhite = true;
  for (let p = 0; p < count; p += step) {
    const at = p * channels;
    sampled++;
    if (channels === 1) {
      const v = data[at]!;
      if (v !== 0 && v !== 255) onlyBlackAndWhite = false;
      continue;
    }
    const r = data[at]!;
    const g = data[at + 1]!;
    const b = data[at + 2]!;
    const spread = Math.max(r, g, b) - Math.min(r, g, b);
    if (spread > CHROMA_TOLERANCE) coloured++;
    if (onlyBlackAndWhite && (r !== g || g !== b || (r !== 0 && r !== 255))) onlyBlackAndWhite = false;
  }
  if (coloured > sampled * COLOUR_SHARE) return 'colour';
  return onlyBlackAndWhite ? 'bilevel' : 'grey';
}

/** Expands 1-bit rows (most significant bit first, 1 = white) into 8-bit grey. */
export function unpackBilevel(packed: Uint8Array | Uint8ClampedArray, width: number, height: number): Uint8Array {
  const rowBytes = (width + 7) >> 3;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    const outRow = y * width;
    for (let x = 0; x < width; x++) {
      out[outRow + x] = (packed[row + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
    }
  }
  return out;
}

function rawInput(pixels: RawPixels): Sharp {
  return sharp(pixels.data, {
    raw: { width: pixels.width, height: pixels.height, channels: pixels.channels },
    limitInputPixels: false,
  });
}

/**
 * Encodes decoded pixels as a lossless PNG page: alpha flattened onto white, grey and bilevel pages
 * as one 8-bit grey channel, colour as RGB; the dpi is written into the PNG too.
 */
export async function encodeLosslessPage(
  pixels: RawPixels,
  options: { dpi: number; dpiEstimated: boolean; extraction: DecodedPage['extraction']; knownMode?: ColourMode; orientation?: Orientation },
): Promise<PageImage> {
  let source = pixels;
  if (source.channels === 4) {
    const flat = await rawInput(source).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer();
    source = { ...source, data: flat, channels: 3 };
  }
  const colourMode = options.knownMode ?? classifyColour(source);
  let image = rawInput(source);
  image = colourMode === 'colour' ? image.toColourspace('srgb') : image.toColourspace('b-w');
  const orientation = options.orientation ?? UPRIGHT;
  if (orientation.mirror) image = image.flop();
  if (orientation.rotate !== 0) image = image.rotate(orientation.rotate);
  const { data, info } = await image.withDensity(options.dpi).png().toBuffer({ resolveWithObject: true });
  return {
    image: data,
    format: 'png',
    width: info.width,
    height: info.height,
    dpi: options.dpi,
    dpiEstimated: options.dpiEstimated,
    colourMode,
    extraction: options.extraction,
  };
}

const MIN_PAGE_INCHES = 1;
/** 2 m: no register page is larger; anything bigger is a wrong setting or a hostile file. */
const MAX_PAGE_INCHES = 2000 / 25.4;

/** Returns a rejection when a page's physical size cannot be a register page. */
export function absurdPageSize(widthInches: number, heightInches: number): PageResult | undefined {
  const sides = [widthInches, heightInches];
  if (sides.some((side) => !Number.isFinite(side) || side < MIN_PAGE_INCHES || side > MAX_PAGE_INCHES)) {
    return {
      ok: false,
      reason: 'page_size_absurd',
      detail: `page is ${widthInches.toFixed(2)} x ${heightInches.toFixed(2)} inches; expected 1 inch to 2 m per side`,
    };
  }
  return undefined;
}

export function tooManyPixels(width: number, height: number, maxPixels: number): PageResult | undefined {
  if (width * height > maxPixels) {
    return {
      ok: false,
      reason: 'too_many_pixels',
      detail: `page is ${width} x ${height} pixels; limit is ${Math.round(maxPixels / 1e6)} megapixels`,
    };
  }
  return undefined;
}

/**
 * A decoder's message reduced to something safe for an operator log: first line, quoted parts
 * (which may echo names or bytes from the file) removed, plain characters only, short.
 */
export function describeError(error: unknown): string {
  const raw = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  const firstLine = raw.split('\n')[0] ?? '';
  return firstLine
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
    .replace(/[^A-Za-z0-9 .,:;()_\-…/]/g, '')
    .slice(0, 120)
    .trim();
}

export function isPixelLimitError(error: unknown): boolean {
  return error instanceof Error && /exceeds pixel limit/i.test(error.message);
}

/** Messages libjpeg, libpng and libtiff give when the data simply stops. */
export function looksTruncated(error: unknown): boolean {
  return error instanceof Error && /premature end|truncated|unexpected end|end of (file|stream|data)|short read|not enough (data|bytes)/i.test(error.message);
}
