/**
 * TIFF, JPEG and PNG pages with sharp. Headers are read without a pixel limit (reading a header
 * decodes nothing); every decode passes `limitInputPixels` so a hostile header is refused before
 * any pixel is allocated.
 */
import sharp from 'sharp';
import type { ReasonCode } from '../../schemas/reasons.ts';
import {
  absurdPageSize,
  classifyColour,
  describeError,
  encodeLosslessPage,
  isPixelLimitError,
  looksTruncated,
  tooManyPixels,
  type PageResult,
} from './pixels.ts';

export type RasterKind = 'tiff' | 'jpeg' | 'png';

export interface RasterFile {
  kind: RasterKind;
  pageCount: number;
  /** The first page has no usable resolution, so its dpi is estimated. */
  firstPageDpiEstimated: boolean;
  /** Decodes one page (0-based). Never throws; page-level problems come back as results. */
  decodePage(pageIndex: number): Promise<PageResult>;
}

export type OpenRasterResult = { ok: true; file: RasterFile } | { ok: false; reason: ReasonCode; detail: string };

/** Long side, in pixels, of a page scanned at 300 dpi: A5 (8.27 in) to A3 (16.54 in), with slack. */
const PAGE_AT_300_DPI = { min: 2400, max: 5100 };
const A4_LONG_SIDE_INCHES = 11.69;
/** Scanner software writes 72 or 96 dpi when it knows nothing; trust them only for plausible pages. */
const PLACEHOLDER_DENSITIES = new Set([72, 96]);
const MAX_PLAUSIBLE_PAGE_INCHES = 17.5;
const VALIDATION_THUMBNAIL = 1024;

/**
 * Resolution of an image page: the recorded density when it is believable, otherwise 300 dpi for
 * an image the size of a 300-dpi page, otherwise the dpi that would make its long side an A4 page.
 *
 * @example
 * resolveDpi(undefined, 2480, 3508); // { dpi: 300, estimated: true }
 */
export function resolveDpi(density: number | undefined, width: number, height: number): { dpi: number; estimated: boolean } {
  const longSide = Math.max(width, height);
  if (density !== undefined && Number.isFinite(density) && density >= 50 && density <= 4800) {
    const rounded = Math.round(density);
    const placeholder = PLACEHOLDER_DENSITIES.has(rounded) && longSide / rounded > MAX_PLAUSIBLE_PAGE_INCHES;
    if (!placeholder) return { dpi: rounded, estimated: false };
  }
  if (longSide >= PAGE_AT_300_DPI.min && longSide <= PAGE_AT_300_DPI.max) return { dpi: 300, estimated: true };
  const fromA4 = Math.round(longSide / A4_LONG_SIDE_INCHES);
  return { dpi: Math.min(1200, Math.max(50, fromA4)), estimated: true };
}

interface PageHeader {
  width: number;
  height: number;
  density: number | undefined;
  channels: number;
  space: string | undefined;
  bitsPerSample: number | undefined;
  hasAlpha: boolean;
  orientation: number | undefined;
  pages: number;
}

async function readHeader(bytes: Buffer, page: number): Promise<PageHeader> {
  const meta = await sharp(bytes, { page, limitInputPixels: false, failOn: 'none' }).metadata();
  if (!meta.width || !meta.height) throw new Error('image header has no dimensions');
  return {
    width: meta.width,
    height: meta.height,
    density: meta.density,
    channels: meta.channels ?? 3,
    space: meta.space,
    bitsPerSample: meta.bitsPerSample,
    hasAlpha: meta.hasAlpha ?? false,
    orientation: meta.orientation,
    pages: meta.pages ?? 1,
  };
}

function hasTailMarker(bytes: Buffer, marker: Buffer): boolean {
  return bytes.subarray(Math.max(0, bytes.length - 256)).includes(marker);
}

const PNG_END = Buffer.from('IEND', 'latin1');
const JPEG_END = Buffer.from([0xff, 0xd9]);

/** Reason for a file whose only page failed to decode: cut-off data reads as truncated. */
function fileReasonFor(kind: RasterKind, bytes: Buffer, error: unknown): { reason: ReasonCode; detail: string } {
  if (isPixelLimitError(error)) return { reason: 'too_many_pixels', detail: describeError(error) };
  const endMissing =
    (kind === 'png' && !hasTailMarker(bytes, PNG_END)) || (kind === 'jpeg' && !hasTailMarker(bytes, JPEG_END));
  if (looksTruncated(error) || endMissing) return { reason: 'truncated_file', detail: `${kind} data ends early: ${describeError(error)}` };
  return { reason: 'corrupt_file', detail: `${kind} could not be decoded: ${describeError(error)}` };
}

function pageFailure(reason: ReasonCode, detail: string): PageResult {
  return { ok: false, reason, detail };
}

/** Grey-only sources are reduced to one channel before anything else (sharp widens 1-bit to RGB). */
function isGreySource(header: PageHeader): boolean {
  return header.space === 'b-w' || header.space === 'grey16' || header.channels <= 2;
}

async function decodeFullPage(bytes: Buffer, pageIndex: number, header: PageHeader, maxPixels: number, autoOrient: boolean): Promise<PageResult> {
  const { dpi, estimated } = resolveDpi(header.density, header.width, header.height);
  let image = sharp(bytes, { page: pageIndex, limitInputPixels: maxPixels, failOn: 'error', autoOrient });
  if (header.hasAlpha) image = image.flatten({ background: '#ffffff' });
  const grey = isGreySource(header);
  image = grey ? image.toColourspace('b-w') : image.toColourspace('srgb');
  const { data, info } = await image.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const channels = info.channels === 1 || info.channels === 3 || info.channels === 4 ? info.channels : undefined;
  if (!channels) return pageFailure('page_unreadable', `unexpected ${info.channels}-channel image`);
  const knownMode = header.bitsPerSample === 1 ? 'bilevel' : undefined;
  const page = await encodeLosslessPage(
    { data, width: info.width, height: info.height, channels },
    { dpi, dpiEstimated: estimated, extraction: 'image', knownMode },
  );
  return { ok: true, image: page };
}

/** A JPEG is delivered as its own bytes when they can be used as they are (no EXIF turn, no CMYK). */
async function decodeJpeg(bytes: Buffer, header: PageHeader, maxPixels: number): Promise<PageResult> {
  const keepsBytes = (header.orientation ?? 1) === 1 && (header.space === 'srgb' || header.space === 'b-w');
  if (!keepsBytes) return decodeFullPage(bytes, 0, header, maxPixels, true);
  const grey = header.space === 'b-w';
  // Decoding a shrunk copy reads the whole entropy stream (so truncation is caught) at a fraction
  // of the cost, and is plenty to tell a colour page from a grey one.
  const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
    .resize(VALIDATION_THUMBNAIL, VALIDATION_THUMBNAIL, { fit: 'inside', withoutEnlargement: true })
    .toColourspace(grey ? 'b-w' : 'srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const colourMode = grey ? 'grey' : classifyColour({ data, width: info.width, height: info.height, channels: 3 });
  const { dpi, estimated } = resolveDpi(header.density, header.width, header.height);
  return {
    ok: true,
    image: {
      image: bytes,
      format: 'jpeg',
      width: header.width,
      height: header.height,
      dpi,
      dpiEstimated: estimated,
      colourMode,
      extraction: 'image',
    },
  };
}

/**
 * Opens a TIFF, JPEG or PNG held in memory. File-level problems (no readable header, page count)
 * are returned here; everything about one page comes from `decodePage`.
 *
 * @example
 * const opened = await openRaster(bytes, 'tiff', { maxPixels: 120e6 });
 * if (opened.ok) for (let i = 0; i < opened.file.pageCount; i++) await opened.file.decodePage(i);
 */
export async function openRaster(bytes: Buffer, kind: RasterKind, limits: { maxPixels: number }): Promise<OpenRasterResult> {
  let first: PageHeader;
  try {
    first = await readHeader(bytes, 0);
  } catch (error) {
    return { ok: false, ...fileReasonFor(kind, bytes, error) };
  }
  const pageCount = kind === 'tiff' ? Math.max(1, first.pages) : 1;

  async function decodePage(pageIndex: number): Promise<PageResult> {
    try {
      const header = pageIndex === 0 ? first : await readHeader(bytes, pageIndex);
      const oversized = tooManyPixels(header.width, header.height, limits.maxPixels);
      if (oversized) return oversized;
      const { dpi, estimated } = resolveDpi(header.density, header.width, header.height);
      if (!estimated) {
        const absurd = absurdPageSize(header.width / dpi, header.height / dpi);
        if (absurd) return absurd;
      }
      return kind === 'jpeg' ? await decodeJpeg(bytes, header, limits.maxPixels) : await decodeFullPage(bytes, pageIndex, header, limits.maxPixels, false);
    } catch (error) {
      if (isPixelLimitError(error)) return pageFailure('too_many_pixels', describeError(error));
      if (pageCount === 1) return { ok: false, ...fileReasonFor(kind, bytes, error) };
      return pageFailure('page_unreadable', `${kind} page ${pageIndex + 1} could not be decoded: ${describeError(error)}`);
    }
  }

  return {
    ok: true,
    file: {
      kind,
      pageCount,
      firstPageDpiEstimated: resolveDpi(first.density, first.width, first.height).estimated,
      decodePage,
    },
  };
}
