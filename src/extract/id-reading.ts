/**
 * A second reading of an ID number's figures, independent of the first in what it is shown and what it may answer:
 * the number's crop of the clean page, enlarged three times (the page reading sees it at scan size, the second
 * reading of values twice) and made black and white at its own Otsu threshold (the page reading sees grey), read as
 * one line with only figures allowed (the OCR pool's `figures`, Tesseract's whitelist; the page reading chooses among all Vietnamese letters).
 */
import sharp from 'sharp';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import type { OcrPool } from '../ocr/types.ts';
import { readLineWith } from './second-reading.ts';
import { fieldKind } from './values.ts';
import type { PixelBox } from './words.ts';

/** How much the crop is enlarged before it is read. */
const SCALE = 3;
/** White kept around the number, left and right (share of its height). */
const MARGIN_X = 0.3;
/** ... and above and below. */
const MARGIN_Y = 0.35;
/** White border added around the enlarged crop (pixels): Tesseract loses marks touching the edge. */
const BORDER = 24;

/** A grey crop of a page. */
export interface GreyCrop {
  data: Buffer;
  width: number;
  height: number;
  /** The page's resolution (dpi), kept so that Tesseract judges the figures' size as on the page. */
  density: number;
}

/** A clean page that does not say its resolution was scanned at about this (dpi). */
const DEFAULT_DPI = 300;

/**
 * The number's box with a margin, cut out of the clean page (PNG or raw grey) as grey pixels; null when the box
 * leaves nothing on the page.
 */
export async function idCrop(page: Buffer | GreyCrop, [x, y, w, h]: PixelBox): Promise<GreyCrop | null> {
  const image = Buffer.isBuffer(page) ? sharp(page) : sharp(page.data, { raw: { width: page.width, height: page.height, channels: 1 } });
  const { width, height, density } = Buffer.isBuffer(page) ? await image.metadata() : page;
  if (!width || !height) return null;
  const left = Math.max(0, Math.floor(x - h * MARGIN_X));
  const top = Math.max(0, Math.floor(y - h * MARGIN_Y));
  const right = Math.min(width, Math.ceil(x + w + h * MARGIN_X));
  const bottom = Math.min(height, Math.ceil(y + h + h * MARGIN_Y));
  if (right - left < 2 || bottom - top < 2) return null;
  const { data, info } = await image.extract({ left, top, width: right - left, height: bottom - top }).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, density: density ?? DEFAULT_DPI };
}

/** The threshold (0..255) that best splits the pixels into two classes (Otsu). */
export function otsuThreshold(data: Uint8Array): number {
  const histogram = new Array<number>(256).fill(0);
  for (const v of data) histogram[v]!++;
  const total = data.length;
  let sum = 0;
  for (let v = 0; v < 256; v++) sum += v * histogram[v]!;
  let below = 0, sumBelow = 0, best = 0, threshold = 128;
  for (let v = 0; v < 256; v++) {
    below += histogram[v]!;
    if (below === 0) continue;
    const above = total - below;
    if (above === 0) break;
    sumBelow += v * histogram[v]!;
    const between = below * above * (sumBelow / below - (sum - sumBelow) / above) ** 2;
    if (between > best) [best, threshold] = [between, v];
  }
  return threshold;
}

/** The crop enlarged, black and white at its Otsu threshold, on a white border: the PNG the figures-only reading reads. */
export async function idReadingImage(crop: GreyCrop): Promise<Buffer> {
  const enlarged = await sharp(crop.data, { raw: { width: crop.width, height: crop.height, channels: 1 } })
    .resize({ width: crop.width * SCALE, kernel: 'cubic' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  const threshold = otsuThreshold(enlarged.data);
  const bw = Buffer.from(enlarged.data.map((v) => (v > threshold ? 255 : 0)));
  return sharp(bw, { raw: { width: enlarged.info.width, height: enlarged.info.height, channels: 1 } })
    .extend({ top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, background: '#ffffff' })
    .withMetadata({ density: crop.density * SCALE })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/** What the figures-only reading gives: the figures read and its least sure word's confidence (0 when none read). */
export interface FiguresReading {
  figures: string;
  confidence: number;
}

/** Reads one image of figures again (in the pipeline the OCR pool, one line, figures only: `readFiguresWith`). */
export type ReadFigures = (png: Buffer) => Promise<FiguresReading>;

/**
 * Least confidence of a figures-only reading that confirms. Two readings of one engine share misreadings: on seed
 * 3296's stored run a typed 6 read 8 was read 8 again at 0.00 (held only for `lonely_digit`), on seed 3343's a printed 5
 * read 3 was read 3 again at 0.90 (held for `digit_doubt` too); hand-written IDs were read again at 0.00. The right
 * typed IDs of seed 3346 read alike were read at 0.94-0.96 (BENCHMARKS.md, sixteenth session).
 */
export const FIGURES_SURE = 0.93;

/**
 * A figures reader over the OCR pool: the line's figures, read with page segmentation 7 and only figures allowed.
 *
 * @example
 * const readFigures = readFiguresWith(services.ocr);
 * await readFigures(png); // { figures: '001089012345', confidence: 0.93 }
 */
export function readFiguresWith(pool: Pick<OcrPool, 'recognize'>): ReadFigures {
  const readLine = readLineWith(pool, { figures: true });
  return async (png) => {
    const { text, confidence } = await readLine(png);
    return { figures: text.replace(/\D/g, ''), confidence };
  };
}

/**
 * Takes `lonely_digit` off the ID numbers held for it alone whose figures a second reading (`idReadingImage` of the
 * number's one line, figures only) reads exactly so, at least `FIGURES_SURE`; returns how many it cleared. A printed or typed ID's serial (its
 * last six figures) is free: no check of the number sees a figure of it, and a figure appearing once on its page
 * has no copy to be twinned with (`lonely_digit`, src/ocr/glyphs.ts), so such IDs went to people read right. Only
 * fields `eligible` lets through (in the pipeline: not told hand-written, and on a ruled table typed): two readings of
 * one hand by one engine agree on the same misreading. A number on more lines than one, or with another reason to be
 * held, is left as it is.
 *
 * @example
 * await confirmIdFigures(entries, clean, readFiguresWith(services.ocr), typed);
 */
export async function confirmIdFigures(entries: readonly ExtractedEntry[], clean: Buffer, readFigures: ReadFigures, eligible: (field: ExtractedField) => boolean = () => true): Promise<number> {
  const wanted = entries.flatMap((e) => e.fields).filter((f) => fieldKind(f.field) === 'idNumber' && f.value !== null && f.lines?.length === 1
    && f.reasons.length === 1 && f.reasons[0] === 'lonely_digit' && eligible(f));
  if (wanted.length === 0) return 0;
  const { data, info } = await sharp(clean).greyscale().raw().toBuffer({ resolveWithObject: true });
  const { density } = await sharp(clean).metadata();
  const page: GreyCrop = { data, width: info.width, height: info.height, density: density ?? DEFAULT_DPI };
  let cleared = 0;
  for (const field of wanted) {
    const crop = await idCrop(page, field.lines![0]!);
    if (!crop) continue;
    const second = await readFigures(await idReadingImage(crop));
    if (second.figures !== field.value!.replace(/\D/g, '') || second.confidence < FIGURES_SURE) continue;
    field.reasons = [];
    cleared++;
  }
  return cleared;
}
