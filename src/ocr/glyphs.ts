/**
 * A second look at the digits tesseract read, independent of its language model. On a typed or printed
 * page one digit is one glyph: every "8" of the page has the same pixels. A digit whose pixels match
 * another digit of the page far better than any digit it was read as was most likely misread. Found on
 * printed pages where the LSTM reported 99% for a "6" whose pixels were the page's "8" ("1961" for
 * "1981", an ID number's serial): no check on the value can see such an error, since every digit
 * string is a valid year or serial. Hand-written digits differ from each other too much to match this
 * closely, so they are rarely doubted this way; their fields go to people for other reasons.
 */
import sharp from 'sharp';
import type { GreyImage } from '../imaging/analysis.ts';
import type { OcrWord, PixelBox } from './words.ts';

/** A digit as read, with its box on the page and the index of its word. */
export interface ReadDigit {
  word: number;
  digit: string;
  box: PixelBox;
}

const GRID_W = 12;
const GRID_H = 18;
/** Below this height (pixels) a glyph has too few pixels to compare. */
const MIN_GLYPH_HEIGHT = 8;
/** A rival glyph at least this similar (cosine, 1 = same pixels) is the same shape. */
const SAME_SHAPE = 0.85;
/** ... and it must beat the best glyph of the digit's own reading by this much. */
const MARGIN = 0.15;
/**
 * Glyphs this close to a glyph's best match are copies of that same glyph: on a printed page of seed 2601 copies
 * of an "8" met at 0.90–0.97, that "8" and the page's "6" at 0.62–0.69.
 */
const SAME_GLYPH = 0.1;
/** Copies of a doubted glyph read alike that outvote a doubted glyph's reading: fewer are doubted with it. */
const CLEAR_MAJORITY = 3;
/** Glyphs of one reading compared against, at most: keeps a dense page's check linear in its digits. */
const PER_DIGIT_SAMPLE = 40;

/**
 * `words` with `doubtfulDigit` set on each word holding a digit whose glyph looks like another digit
 * of the page, and `lonelyDigit` on each holding a digit with no copy read alike (`digitTwins`); `image` is the
 * page the words were read from.
 *
 * @example
 * const { words, digits } = await pool.recognize(clean.image);
 * const checked = await markDoubtfulDigits(clean.image, words, digits);
 */
export async function markDoubtfulDigits(image: Buffer, words: readonly OcrWord[], digits: readonly ReadDigit[]): Promise<OcrWord[]> {
  if (digits.length === 0) return [...words];
  return markDigits(await greyOf(image), words, digits);
}

/** The page image (PNG or any format sharp reads) as grey pixels. */
export async function greyOf(image: Buffer): Promise<GreyImage> {
  const { data, info } = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** `markDoubtfulDigits` on the page's grey pixels. */
export function markDigits(grey: GreyImage, words: readonly OcrWord[], digits: readonly ReadDigit[]): OcrWord[] {
  if (digits.length === 0) return [...words];
  const doubted = doubtfulDigits(grey, digits);
  const doubtedWords = new Set([...doubted].map((i) => digits[i]!.word));
  const texts = words.map((w) => w.text);
  const twins = digitTwins(grey, digits, texts);
  const lonely = new Set(digits.flatMap((_, i) => (twins[i]! < TWIN ? [i] : [])));
  const lonelyWords = new Set([...lonely].map((i) => digits[i]!.word));
  // the lonely ones again, each box moved up to a pixel to meet its twin's (`lonelyAligned`)
  const aligned = digitTwins(grey, digits, texts, glyphShape, ALIGN, lonely);
  const unalignedWords = new Set([...lonely].filter((i) => aligned[i]! < TWIN).map((i) => digits[i]!.word));
  const twinnedWords = wordsAllTwinned(digits, texts, (i) => twins[i]! >= TWIN || aligned[i]! >= TWIN);
  return words.map((word, i) => {
    if (!doubtedWords.has(i) && !lonelyWords.has(i) && !twinnedWords.has(i)) return word;
    return {
      ...word, ...(doubtedWords.has(i) ? { doubtfulDigit: true as const } : {}), ...(lonelyWords.has(i) ? { lonelyDigit: true as const } : {}),
      ...(unalignedWords.has(i) ? { lonelyAligned: true as const } : {}), ...(twinnedWords.has(i) ? { twinnedDigits: true as const } : {}),
    };
  });
}

/**
 * Indexes of the words (`texts`) each of whose figures is a digit of `digits` that `twinned` vouches for: as many of
 * the word's digits twinned as its text has figures. A figure Tesseract gave no symbol box for (a word split or put
 * right after reading, src/ocr/words.ts) was never compared, and its word is not counted.
 */
function wordsAllTwinned(digits: readonly ReadDigit[], texts: readonly string[], twinned: (i: number) => boolean): Set<number> {
  const count = new Map<number, number>();
  digits.forEach((d, i) => { if (twinned(i)) count.set(d.word, (count.get(d.word) ?? 0) + 1); });
  return new Set([...count].filter(([w, n]) => n === figuresOf(texts[w]).length).map(([w]) => w));
}

/**
 * A digit's glyph with a copy elsewhere on the page read as the same digit (cosine at least this): print or a
 * typewriter repeats one glyph, so the copy's reading stands beside its own. Copies of one printed glyph meet at
 * 0.90–0.97 (seed 2601); no hand writes a figure twice alike.
 */
export const TWIN = 0.9;
/**
 * Pixels a lonely figure's box is moved to meet a twin's for `lonelyAligned`: a typewriter's strike lands a pixel off
 * where print does not (typed forms of seed 3251: 14 more right dates twinned at 1 px, BENCHMARKS.md).
 */
export const ALIGN = 1;
/** Glyphs of one reading a digit is compared with for its twin, at most (a dense page's check stays bounded). */
const TWIN_SAMPLE = 200;

/**
 * For each digit, how closely its glyph matches the most alike other glyph of the page read as the same digit
 * (cosine, 1 = same pixels; -1 when there is none, or the glyph is too small to compare), in a word read otherwise
 * (`texts`, by word index): a value the clerk copied into two fields ("Số 158" in a residence and a place of death)
 * is read alike twice, its two copies of a misread figure twins of each other and of nothing else.
 *
 * @example
 * digitTwins(grey, digits, words.map((w) => w.text)).map((s) => s >= TWIN); // which digits have a printed copy read alike
 *
 * `shapeOf` and `shift` (pixels a glyph's box is moved to meet its twin's) are for measuring other comparisons
 * (test/eval/typed-twins.ts); the pipeline uses the default shape, with no shift and with `ALIGN`. With `only`, only
 * those digits (indexes) are scored, the others -1.
 */
export function digitTwins(image: GreyImage, digits: readonly ReadDigit[], texts: readonly string[], shapeOf: GlyphShapeOf = glyphShape, shift = 0, only?: ReadonlySet<number>): number[] {
  const shapes = digits.map((d) => shapeOf(image, d.box));
  const byDigit = new Map<string, number[]>();
  shapes.forEach((shape, i) => {
    if (!shape) return;
    const sample = byDigit.get(digits[i]!.digit) ?? [];
    if (sample.length < TWIN_SAMPLE) sample.push(i);
    byDigit.set(digits[i]!.digit, sample);
  });
  const offsets: [number, number][] = [];
  for (let dy = -shift; dy <= shift; dy++) for (let dx = -shift; dx <= shift; dx++) offsets.push([dx, dy]);
  return shapes.map((own, i) => {
    if (!own || (only && !only.has(i))) return -1;
    const [x, y, w, h] = digits[i]!.box;
    const moved = shift === 0 ? [own] : offsets.map(([dx, dy]) => shapeOf(image, [x + dx, y + dy, w, h])).filter((m) => m !== null);
    let best = -1;
    const figures = figuresOf(texts[digits[i]!.word]);
    for (const j of byDigit.get(digits[i]!.digit) ?? []) {
      if (figuresOf(texts[digits[j]!.word]) === figures) continue;
      for (const m of moved) best = Math.max(best, dot(m, shapes[j]!));
    }
    return best;
  });
}

/** A glyph's box on the page as a vector compared by cosine. */
export type GlyphShapeOf = (image: GreyImage, box: PixelBox) => Float64Array | null;

/**
 * For each digit, how closely its glyph matches the most alike glyph of the page read as another digit (cosine; -1
 * when there is none or the glyph is too small): a figure misread looks like the figure it is.
 *
 * @example
 * digitRivals(grey, digits).map((s) => s < 0.5); // which digits look like no other figure of the page (test/eval/typed-twins.ts)
 */
export function digitRivals(image: GreyImage, digits: readonly ReadDigit[]): number[] {
  const shapes = digits.map((d) => glyphShape(image, d.box));
  return shapes.map((own, i) => {
    if (!own) return -1;
    let best = -1;
    shapes.forEach((other, j) => {
      if (other && digits[j]!.digit !== digits[i]!.digit) best = Math.max(best, dot(own, other));
    });
    return best;
  });
}

/**
 * Indexes into `digits` of the digits whose glyph looks like another digit of the page rather than
 * the one read.
 *
 * @example
 * const doubted = doubtfulDigits(grey, [{ word: 3, digit: '6', box: [410, 1116, 11, 18] }, ...]);
 */
export function doubtfulDigits(image: GreyImage, digits: readonly ReadDigit[]): Set<number> {
  const shapes = digits.map((d) => glyphShape(image, d.box));
  const byDigit = new Map<string, number[]>();
  shapes.forEach((shape, i) => {
    if (!shape) return;
    const digit = digits[i]!.digit;
    if (!byDigit.has(digit)) byDigit.set(digit, []);
    const sample = byDigit.get(digit)!;
    if (sample.length < PER_DIGIT_SAMPLE) sample.push(i);
  });
  const doubted = new Set<number>();
  shapes.forEach((shape, i) => {
    if (!shape) return;
    let own = -1;
    let rival = -1;
    for (const [digit, sample] of byDigit) {
      for (const j of sample) {
        if (j === i) continue;
        const similarity = dot(shape, shapes[j]!);
        if (digit === digits[i]!.digit) own = Math.max(own, similarity);
        else rival = Math.max(rival, similarity);
      }
    }
    if (rival < SAME_SHAPE || rival - own < MARGIN) return;
    doubted.add(i);
    // One shape read as two digits: one of the readings is wrong. The majority tells which only when it is
    // clear; tesseract repeats its mistake on a page ("561" and "1961" for 581 and 1981, beside a "582" read
    // right), and then the few glyphs the doubted one looks like are as likely the misread ones.
    const alike = [...byDigit].filter(([digit]) => digit !== digits[i]!.digit).flatMap(([, sample]) => sample).filter((j) => {
      const similarity = dot(shape, shapes[j]!);
      return similarity >= rival - SAME_GLYPH && similarity - own >= MARGIN;
    });
    if (alike.length < CLEAR_MAJORITY) for (const j of alike) doubted.add(j);
  });
  return doubted;
}

/** The cells less their mean, scaled to length 1 (null when all alike). */
export function unitVector(cells: Float64Array): Float64Array | null {
  const mean = cells.reduce((sum, v) => sum + v, 0) / cells.length;
  let norm = 0;
  for (let k = 0; k < cells.length; k++) {
    cells[k] = cells[k]! - mean;
    norm += cells[k]! ** 2;
  }
  if (norm === 0) return null;
  norm = Math.sqrt(norm);
  for (let k = 0; k < cells.length; k++) cells[k] = cells[k]! / norm;
  return cells;
}

/**
 * The glyph's ink on a fixed grid, zero mean and unit length, so that two glyphs compare by a dot
 * product whatever their size and contrast. The box is widened to a common aspect ratio first, so a
 * narrow "1" stays narrow instead of being stretched into a block.
 */
export function glyphShape(image: GreyImage, [x, y, w, h]: PixelBox): Float64Array | null {
  if (h < MIN_GLYPH_HEIGHT || w < 1) return null;
  const width = Math.max(w, (h * GRID_W) / GRID_H);
  const left = x + w / 2 - width / 2;
  const cells = new Float64Array(GRID_W * GRID_H);
  for (let row = 0; row < GRID_H; row++) {
    for (let col = 0; col < GRID_W; col++) {
      cells[row * GRID_W + col] = meanInk(image, left + (col * width) / GRID_W, y + (row * h) / GRID_H, width / GRID_W, h / GRID_H);
    }
  }
  return unitVector(cells);
}

/** Mean darkness (0 white .. 255 black) of a rectangle, pixels outside the image counted as white. */
function meanInk(image: GreyImage, x: number, y: number, w: number, h: number): number {
  const x0 = Math.floor(x), x1 = Math.max(x0 + 1, Math.ceil(x + w));
  const y0 = Math.floor(y), y1 = Math.max(y0 + 1, Math.ceil(y + h));
  let sum = 0;
  for (let py = y0; py < y1; py++) {
    for (let px = x0; px < x1; px++) {
      const inside = px >= 0 && py >= 0 && px < image.width && py < image.height;
      sum += inside ? 255 - image.data[py * image.width + px]! : 0;
    }
  }
  return sum / ((x1 - x0) * (y1 - y0));
}

const figuresOf = (text: string | undefined) => (text ?? '').replace(/\D/g, '');

/** The likeness of two glyph shapes (`glyphShape`, unit vectors): their dot product. */
export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k]! * b[k]!;
  return sum;
}
