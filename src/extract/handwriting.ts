/**
 * Whether the values of an entry on a printed form were written in by hand, told from the lean of their strokes
 * against the lean of the form's printed labels on the same page.
 *
 * Print and typewriters set upright letters: the sides of the upright strokes (l, h, d, b, k, t, figures, capitals)
 * run square to the line, and what skew deskew left tilts labels and values alike. Hand-writing leans: a hand that
 * leans one way leans that way in every value it fills in, and one value is too short to measure surely (a
 * printed "Kinh" may seem to lean by its round letters), so an entry's values on a page are measured together
 * (the median of their words' leans) and compared with the median of the labels' words. Entries leaning otherwise
 * than their labels by `HAND_SLANT` or more were not printed with them: their values go to people (`handwritten`,
 * blind double keying, src/review/queue.ts), except words fitting a typed page's pitch (src/extract/typewriter.ts),
 * and entries told only by their monoline strokes whose words stand against the labels as print does, each on its
 * row's line at one offset (src/extract/print-alignment.ts): values a computer printed in a face other than the
 * labels' (a monoline sans-serif over the form's serif). An entry that leans stays told, aligned or not.
 *
 * Why it matters: OCR's confidence in one reading of hand-writing does not predict its errors (a hand-filled
 * form's date of birth "12/12/1939" for 17/12/1939 accepted at 0.94 on seed 3162), and the figures' look-alike
 * copies on the page (`lonely_digit`) cannot tell a hand from print when the hand repeats its shapes. Hand-written
 * values are a keying problem (PITFALLS.md). What it misses: a hand that writes upright (about one entry in five
 * on the generator's hands, which lean 0.02–0.24), and a value added by hand to a printed entry.
 */
import type { GreyImage } from '../imaging/analysis.ts';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { baselineSpread, rowSlope, standsAsPrint, type BaselineSpread } from './print-alignment.ts';
import { wordsWithin } from './typewriter.ts';
import type { OcrWord, PixelBox } from './words.ts';

/** A box lower than this (pixels) has too few rows for its slant to show. */
const MIN_HEIGHT = 12;
/**
 * An entry's values leaning at least this much more (or less) than their page's labels (tan of the angle, 2°) were
 * not set with them. On the truth boxes of seed 3162 (test/eval/hand-slant.ts, 229 form entries): hand-filled
 * entries lean 0.02–0.28 from their labels (median 0.10), 83 % of them at least 0.035; printed ones within 0.03.
 */
export const HAND_SLANT = 0.035;

/**
 * The lean of the upright strokes' sides in a box: every pixel whose brightness changes more across the line than
 * along it (a stroke's left or right side) adds its gradient across (|gx|) and along (gy, signed by the side), and
 * their ratio is the lean. Summed along an edge, the gradient gives its true slope even where a bilevel scan draws
 * the edge as a staircase (the steps carry the gy the flat runs lack); round letters add as much one way as the
 * other. Null for a box too small or without edges.
 */
export function leanSums(image: GreyImage, [bx, by, bw, bh]: PixelBox): { across: number; along: number } | null {
  const x0 = Math.max(1, Math.floor(bx)), y0 = Math.max(1, Math.floor(by));
  const x1 = Math.min(image.width - 1, Math.ceil(bx + bw)), y1 = Math.min(image.height - 1, Math.ceil(by + bh));
  if (y1 - y0 < MIN_HEIGHT || x1 - x0 < 4) return null;
  const d = image.data;
  const w = image.width;
  let across = 0;
  let along = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * w + x;
      // Sobel
      const gx = d[i - w + 1]! + 2 * d[i + 1]! + d[i + w + 1]! - d[i - w - 1]! - 2 * d[i - 1]! - d[i + w - 1]!;
      const gy = d[i + w - 1]! + 2 * d[i + w]! + d[i + w + 1]! - d[i - w - 1]! - 2 * d[i - w]! - d[i - w + 1]!;
      const ax = Math.abs(gx);
      if (ax < MIN_EDGE || Math.abs(gy) > ax) continue;
      across += ax;
      along += gx > 0 ? gy : -gy;
    }
  }
  return across > 0 ? { across, along } : null;
}

/** Sobel strength across the line (grey levels × 4) that makes a pixel a stroke's side, not paper grain. */
const MIN_EDGE = 160;

/**
 * The slant of the ink of some boxes together (tan of the angle, positive leaning right, as hands mostly do): the
 * median of the boxes' own leans. Null when no box could be measured.
 */
export function slantOf(image: GreyImage, boxes: readonly PixelBox[]): number | null {
  const leans = boxes.map((box) => leanSums(image, box)).filter((s) => s !== null).map((s) => s.along / s.across).sort((a, b) => a - b);
  if (leans.length === 0) return null;
  const mid = leans.length >> 1;
  // image y runs down: along the side of a stroke leaning right, brightness changes across (gx) and down (gy) alike
  return (leans.length % 2 ? leans[mid]! : (leans[mid - 1]! + leans[mid]!) / 2) || 0;
}

/**
 * An entry's values whose strokes' contrast (`strokeContrast`) is at most this share of their labels' were drawn
 * with a pen, not set in the labels' type. Seed 3162's truth boxes: hand-filled entries 0.49–0.85 of their labels'
 * (median 0.61), printed ones 0.87–1.56 (5 % and 95 %); typed values are monoline too (0.59–0.86) and are left to
 * the typewriter's tell.
 */
export const HAND_CONTRAST = 0.8;

/** A label word measured: read surely, of letters, at least this many. */
const LABEL_MIN_LETTERS = 3;
const LABEL_MIN_CONFIDENCE = 0.85;
/** Fewer label words than this leave the page unmeasured (nothing is told hand-written on it). */
const MIN_LABELS = 5;

/**
 * The slant of a form page's printed labels: the page's words outside every value (`isValueWord`), read surely
 * and of several letters. Null when too few are left.
 */
export function labelSlant(image: GreyImage, words: readonly OcrWord[], isValueWord: (word: OcrWord) => boolean): number | null {
  const labels = labelWords(words, isValueWord);
  return labels.length < MIN_LABELS ? null : slantOf(image, labels.map((w) => w.box));
}

const labelWords = (words: readonly OcrWord[], isValueWord: (word: OcrWord) => boolean): OcrWord[] =>
  words.filter((w) => !isValueWord(w) && w.confidence >= LABEL_MIN_CONFIDENCE && (w.text.match(/\p{L}/gu)?.length ?? 0) >= LABEL_MIN_LETTERS);

/**
 * Fields written into an entry later than its other values: the notes (Ghi chú), where a change, a correction or a
 * re-registration is noted, often years later and by another hand or machine. How they were written says nothing
 * of how the entry was filled in, and the other way round: a printed entry with a note added by hand is not
 * hand-filled (seed 3359: 5 of the 11 printed-sans entries told hand-written were told by their hand-written notes).
 */
const LATER_FIELDS: ReadonlySet<string> = new Set(['notes']);

/** What an entry's values on a page tell of a hand (`handTells`): each test's measure, and the verdict. */
export interface EntryTells {
  fields: ExtractedField[];
  /** The values' slant less the labels' (null: not measured). */
  lean: number | null;
  /** The values' stroke contrast over the labels' (null: not measured). */
  contrast: number | null;
  leans: boolean;
  monoline: boolean;
  /** How the values' baselines stand against their labels' (`baselineSpread`; measured for entries told monoline alone). */
  alignment: BaselineSpread | null;
  aligned: boolean;
  /** Told hand-written: the values lean, or are monoline and do not stand as print. */
  told: boolean;
}

/**
 * The hand-writing tells of every entry's values on page `pageId` (see the module comment); empty when the page
 * has too few labels to measure against. `alignEvery` measures the alignment of every entry, not only of those
 * told monoline alone (for measuring; the verdict is the same).
 */
export function handTells(entries: readonly ExtractedEntry[], pageId: number, image: GreyImage, words: readonly OcrWord[], alignEvery = false): EntryTells[] {
  const valueWords = new Set<OcrWord>();
  // an entry's values filled in with it, and its notes written in later (`LATER_FIELDS`), each judged on their own
  const byEntry = entries.flatMap((entry) => {
    const onPage = entry.fields.filter((f) => f.pageId === pageId && f.field !== 'entryNo');
    return [onPage.filter((f) => !LATER_FIELDS.has(f.field)), onPage.filter((f) => LATER_FIELDS.has(f.field))].map((fields) => {
      const own = fields.flatMap((f) => wordsWithin(words, f.lines ?? []));
      for (const w of own) valueWords.add(w);
      return { fields, own };
    });
  });
  const labels = labelWords(words, (w) => valueWords.has(w));
  if (labels.length < MIN_LABELS) return [];
  const labelBoxes = labels.map((w) => w.box);
  const page = slantOf(image, labelBoxes);
  const pageContrast = strokeContrast(image, labelBoxes);
  let slope: number | undefined;
  return byEntry.map(({ fields, own }) => {
    const boxes = own.filter((w) => (w.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 2).map((w) => w.box);
    const slant = slantOf(image, boxes);
    const contrast = strokeContrast(image, boxes);
    const lean = slant !== null && page !== null ? slant - page : null;
    const ratio = contrast !== null && pageContrast ? contrast / pageContrast : null;
    const leans = lean !== null && Math.abs(lean) >= HAND_SLANT;
    const monoline = ratio !== null && ratio <= HAND_CONTRAST;
    // a face other than the labels' is monoline, but a machine printed it on the row's line; a lean is never cleared
    // so (a hand that writes neatly on the line still leans, and a lean entry may mix a hand's value with print)
    const alignment = alignEvery || (!leans && monoline) ? baselineSpread(image, boxes, labelBoxes, (slope ??= rowSlope(image, labelBoxes))) : null;
    const aligned = alignment !== null && standsAsPrint(alignment);
    return { fields, lean, contrast: ratio, leans, monoline, alignment, aligned, told: leans || (monoline && !aligned) };
  });
}

/**
 * Adds `handwritten` to the fields on page `pageId` of every entry whose values there lean otherwise than the
 * page's labels (see the module comment), except fields `typed` says were typed with the page. Returns how many
 * entries were told hand-written.
 *
 * @example
 * const { typed } = typewrittenValues(page.words, entries);
 * markHandwritten(entries, pageId, grey, page.words, typed);
 */
export function markHandwritten(entries: readonly ExtractedEntry[], pageId: number, image: GreyImage, words: readonly OcrWord[], typed: (field: ExtractedField) => boolean): number {
  let told = 0;
  for (const { fields, told: hand } of handTells(entries, pageId, image, words)) {
    if (!hand) continue;
    told++;
    for (const field of fields) if (!typed(field) && !field.reasons.includes('handwritten')) field.reasons.push('handwritten');
  }
  return told;
}

/**
 * Runs of ink along rows and along columns in a box (ink: darker than halfway between the box's paper and its
 * darkest ink): their medians, in pixels. Across an upright stroke a row's run is the stroke's width; across a
 * horizontal stroke a column's run is its thickness.
 */
export function inkRuns(image: GreyImage, [bx, by, bw, bh]: PixelBox): { rows: number[]; columns: number[] } | null {
  const x0 = Math.max(0, Math.floor(bx)), y0 = Math.max(0, Math.floor(by));
  const x1 = Math.min(image.width, Math.ceil(bx + bw)), y1 = Math.min(image.height, Math.ceil(by + bh));
  if (y1 - y0 < MIN_HEIGHT || x1 - x0 < 4) return null;
  let lo = 255, hi = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const v = image.data[y * image.width + x]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi - lo < 40) return null;
  const middle = (hi + lo) / 2;
  const ink = (x: number, y: number) => image.data[y * image.width + x]! < middle;
  const rows: number[] = [];
  const columns: number[] = [];
  for (let y = y0; y < y1; y++) {
    let run = 0;
    for (let x = x0; x <= x1; x++) {
      if (x < x1 && ink(x, y)) run++;
      else if (run > 0) (rows.push(run), (run = 0));
    }
  }
  for (let x = x0; x < x1; x++) {
    let run = 0;
    for (let y = y0; y <= y1; y++) {
      if (y < y1 && ink(x, y)) run++;
      else if (run > 0) (columns.push(run), (run = 0));
    }
  }
  return { rows, columns };
}

/**
 * How much thicker a box's upright strokes are than its horizontal ones: the median run of ink along rows (an
 * upright stroke's width) over the mean of the shorter half of the runs along columns (a horizontal stroke's
 * thickness). Book and form type sets stems thick and hairlines thin; a pen draws both alike. Null without ink.
 */
export function strokeContrast(image: GreyImage, boxes: readonly PixelBox[]): number | null {
  const runs = boxes.map((box) => inkRuns(image, box)).filter((r) => r !== null);
  const rows = runs.flatMap((r) => r.rows).sort((a, b) => a - b);
  const columns = runs.flatMap((r) => r.columns).sort((a, b) => a - b);
  if (rows.length < 20 || columns.length < 20) return null;
  const shorter = columns.slice(0, columns.length >> 1);
  return rows[rows.length >> 1]! / (shorter.reduce((a, b) => a + b, 0) / shorter.length);
}
