/**
 * Whether the values of an entry on a printed form were printed by a machine, told from where their letters stand
 * against the form's printed labels on the same rows.
 *
 * A printer (or a typesetter) puts every word of every value on a line parallel to the labels', at one distance
 * from them, fixed by where the sheet met the printer: measured against the label beside it, each value word's
 * baseline sits at the same offset, to a pixel. A hand puts each value where it lands (above the dotted leader,
 * across it) and each word a little higher or lower than the one before. A word processor's face other than the
 * labels' (a monoline sans-serif over the form's serif) has the even strokes of a pen and sometimes the seeming
 * lean of its own shapes, but stands like print: `src/extract/handwriting.ts` does not call such an entry
 * hand-written. A typewriter's strikes and its platen's turns move the words too: typed values are not aligned,
 * and are left to the typewriter's tell as before.
 */
import type { GreyImage } from '../imaging/analysis.ts';
import type { PixelBox } from './words.ts';
import { median } from './typewriter.ts';

/**
 * The baseline of some boxes' ink (a y between two rows, in page pixels): the row boundary where most strokes end
 * going down (the brightening from each row to the next under a column of ink at least `MIN_STROKE` of the box's
 * height tall, summed over the boxes). Most letters and every figure stand on the baseline; descenders and marks
 * under vowels end lower but are few, and the dots of a form's leader, which stand on the labels' baseline, are
 * too short to count. Null without an edge.
 */
export function baselineOf(image: GreyImage, boxes: readonly PixelBox[]): number | null {
  if (boxes.length === 0) return null;
  const top = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b[1]))));
  const bottom = Math.min(image.height - 1, Math.ceil(Math.max(...boxes.map((b) => b[1] + b[3]))) + 1);
  if (bottom - top < 4) return null;
  const profile = new Float64Array(bottom - top);
  const edges: { at: number; weight: number }[] = [];
  const d = image.data;
  const w = image.width;
  for (const [bx, by, bw, bh] of boxes) {
    const x0 = Math.max(0, Math.floor(bx)), x1 = Math.min(w, Math.ceil(bx + bw));
    const y0 = Math.max(top, Math.floor(by)), y1 = Math.min(bottom, Math.ceil(by + bh) + 1);
    let lo = 255, hi = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
      const v = d[y * w + x]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo < 40) continue;
    const middle = (hi + lo) / 2;
    const minRun = Math.max(3, Math.round(MIN_STROKE * bh));
    for (let x = x0; x < x1; x++) {
      let run = 0;
      for (let y = y0; y < y1; y++) {
        if (d[y * w + x]! < middle) {
          run++;
          continue;
        }
        if (run >= minRun) {
          const above = d[(y - 1) * w + x]!, below = d[y * w + x]!;
          profile[y - 1 - top] = profile[y - 1 - top]! + below - above;
          // where the brightness crosses halfway, between the last row of ink and the first of paper
          edges.push({ at: y - 0.5 + (middle - above) / (below - above), weight: below - above });
        }
        run = 0;
      }
    }
  }
  let peak = 0;
  for (let i = 1; i < profile.length; i++) if (profile[i]! > profile[peak]!) peak = i;
  if (!(profile[peak]! > 0)) return null;
  // the strokes' ends at the peak row and its neighbours, each where its brightness crosses halfway
  const near = edges.filter((e) => Math.abs(e.at - (top + peak + 0.5)) <= 1.5);
  const weight = near.reduce((sum, e) => sum + e.weight, 0);
  return near.reduce((sum, e) => sum + e.at * e.weight, 0) / weight;
}

/** Ink above a stroke's lower end, as a share of its box's height: a leader's dot is shorter. */
const MIN_STROKE = 0.12;
/** A value word and a label stand on one row when their spans of height overlap by this share of the lower one. */
const ROW_OVERLAP = 0.5;
/** Value words measured against a label beside them: fewer leave the entry unjudged (not aligned). */
export const MIN_ALIGNED_WORDS = 4;
/**
 * Value words whose baselines' offsets from their labels spread by at most this share of the labels' height (median
 * absolute deviation from their median) were printed with one another. A printer puts every row at one offset, but
 * the estimate of a row's offset moves by a pixel with the letters of its label and of its values (round letters
 * overshoot the baseline; JPEG and blur): printed-sans entries read by the pipeline on seed 3359 spread 0.002–0.024
 * (43 entries). A hand puts each value where it lands, millimetres apart (0.05–0.35 on the truth boxes of seed 3333),
 * but a neat upright hand may not: at 0.03, 7 of 20 such hands drawn with the generator's least wobble passed as
 * print (review), at 0.015 one. Print a scan moved by a pixel is held as hand-written: a person's time, not an error.
 */
export const MAX_BASELINE_SPREAD = 0.015;
/**
 * Within one row (the words measured against one label) a printer's words stand on one line, to the estimate's own
 * error: 0.002–0.009 on seed 3359; a hand's words each a little off the last (a neat upright hand writing one long
 * note on its line, drawn: 0.023). Both this and `MAX_BASELINE_SPREAD` must hold.
 */
export const MAX_WORD_SPREAD = 0.015;

/** Whether two boxes stand on one row (their spans of height overlap by `ROW_OVERLAP` of the lower one). */
const sameRow = (a: PixelBox, b: PixelBox) => Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]) >= ROW_OVERLAP * Math.min(a[3], b[3]);
const centreX = (b: PixelBox) => b[0] + b[2] / 2;

/**
 * The slope of the page's rows (what deskew left, and a scan's own tilt): the median, over pairs of labels on one
 * row at least four of their heights apart, of the rise of their baselines over the distance. 0 without such pairs.
 */
export function rowSlope(image: GreyImage, labels: readonly PixelBox[]): number {
  const base = labels.map((l) => baselineOf(image, [l]));
  const slopes: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i]!, b = labels[j]!, ya = base[i], yb = base[j];
      const dx = centreX(b) - centreX(a);
      if (ya == null || yb == null || Math.abs(dx) < 4 * Math.max(a[3], b[3]) || !sameRow(a, b)) continue;
      slopes.push((yb - ya) / dx);
    }
  }
  return slopes.length ? median(slopes) : 0;
}

/**
 * How the baselines of value words stand against the labels on their rows: for each value word with a label word
 * on its row, its baseline's offset from the baseline of the nearest one or two such labels, less the page's row
 * slope over the distance between them; the spread of those offsets (median absolute deviation, over the median
 * height of the labels), and how many words were measured.
 */
export function baselineSpread(image: GreyImage, values: readonly PixelBox[], labels: readonly PixelBox[], slope = rowSlope(image, labels)): BaselineSpread | null {
  const offsets: number[] = [];
  const rowOf: PixelBox[] = [];
  const heights: number[] = [];
  for (const value of values) {
    const row = labels.filter((l) => sameRow(l, value));
    if (row.length === 0) continue;
    const gap = (l: PixelBox) => Math.max(l[0] - (value[0] + value[2]), value[0] - (l[0] + l[2]), 0);
    const nearest = row.sort((a, b) => gap(a) - gap(b)).slice(0, 2);
    const own = baselineOf(image, [value]);
    const theirs = baselineOf(image, nearest);
    if (own === null || theirs === null) continue;
    const at = nearest.reduce((sum, l) => sum + centreX(l), 0) / nearest.length;
    offsets.push(own - theirs - slope * (centreX(value) - at));
    rowOf.push(nearest[0]!);
    heights.push(...nearest.map((l) => l[3]));
  }
  if (offsets.length === 0) return null;
  const mid = median(offsets);
  // within a row: each word's offset from the median offset of the words measured against the same nearest label
  const within: number[] = [];
  for (const label of new Set(rowOf)) {
    const row = offsets.filter((_, i) => rowOf[i] === label);
    if (row.length < 2) continue;
    const m = median(row);
    within.push(...row.map((o) => Math.abs(o - m)));
  }
  const height = median(heights);
  return { spread: median(offsets.map((o) => Math.abs(o - mid))) / height, within: within.length ? median(within) / height : null, words: offsets.length };
}

/** Whether value words stand as print does against their labels (`baselineSpread`), on enough words to say so. */
export function printedAlong(image: GreyImage, values: readonly PixelBox[], labels: readonly PixelBox[], slope?: number): boolean {
  const s = baselineSpread(image, values, labels, slope);
  return s !== null && standsAsPrint(s);
}

/** How value words' baselines stand against their labels' (`baselineSpread`), as shares of the labels' height. */
export interface BaselineSpread {
  /** Median absolute deviation of the words' offsets from their median, over all rows. */
  spread: number;
  /** The same within rows: each word's offset from its row's median (null: no row with two words measured). */
  within: number | null;
  words: number;
}

/** Whether a measured spread (`baselineSpread`) is print's, on enough words to say so. */
export const standsAsPrint = (s: BaselineSpread): boolean =>
  s.words >= MIN_ALIGNED_WORDS && s.spread <= MAX_BASELINE_SPREAD && s.within !== null && s.within <= MAX_WORD_SPREAD;
