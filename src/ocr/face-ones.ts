/**
 * A typewriter face's figure 1 that Tesseract reads as 4 (or 7), and repeats so across the page ("30/5/4990",
 * "48/09/4986"): issue 5. A typewriter strikes one glyph per key, so the page's figures read "4" are one shape or
 * two: the face's 4, and its 1 misread. Those two shapes are told apart by their pixels alone (`glyphShape`), and
 * the group that is the 1 is named by the page's own evidence: its glyphs match the page's figures read "1", or
 * they stand where a 4 cannot (a year 4986, a month 42, a day 47). A group that splits off from the page's other
 * "4"s but that no such evidence names is doubted, never relabelled.
 */
import type { GreyImage } from '../imaging/analysis.ts';
import { digitTwins, dot, glyphShape, greyOf, markDigits, TWIN, unitVector, type ReadDigit } from './glyphs.ts';
import type { OcrLine, OcrWord } from './words.ts';

/** Figures Tesseract takes the face's 1 for. */
const TAKEN_FOR_ONE = ['4', '7'];
/** The page's figures read 1 are one glyph (a typewriter's or a printer's) when half of them are this alike to their mean. */
const ONE_FACE = 0.85;
/**
 * Share of the page's figures with a twin (`digitTwins`) for the page to be a face's at all: a typewriter or a printer
 * repeats its glyphs (typed pages of seeds 3301 and 3303: 0.67–0.97 of their figures), a hand does not, and the hand's
 * 1s and 4s are no face's.
 */
const MIN_TWINNED = 0.5;
/** Figures read 1 needed to know the face's 1. */
const MIN_ONES = 2;
/**
 * A glyph read 4 or 7 this alike to the face's 1 is a 1 ... On the typed corpora of seeds 3301 and 3303 the face's
 * 1s read 4 met the mean 1 at 0.71–0.99, the figures read 4 or 7 right at 0.36 at most.
 */
const LIKE_ONE = 0.75;
/** ... unless it is more than this alike to a glyph of its reading that is unlike the 1 (the face's own 4 or 7). */
const LIKE_OWN = 0.5;
/** A glyph of its reading at most this alike to the face's 1 is the face's own 4 or 7. */
const UNLIKE_ONE = 0.5;
/** A glyph read 4 or 7 this alike to the face's 1, and more alike to it than to the face's own 4 or 7, is doubted. */
const DOUBT_ONE = 0.5;

export interface FaceOnes {
  /** Index into `digits` → the figure it was (always "1"). */
  relabel: Map<number, string>;
  /** Indexes into `digits` of figures read 4 or 7 that may be the face's 1. */
  doubted: Set<number>;
  /** Per figure read 4 or 7: how alike it is to the face's 1 and to the face's own 4 or 7 (for measuring). */
  scores: Map<number, [number, number]>;
}

/**
 * Which of the page's figures read 4 or 7 are the face's 1 (`relabel`), and which may be (`doubted`). The face's 1
 * is the mean glyph of the figures read 1, when they are one glyph; a figure read 4 is a 1 when it is alike to
 * that and to no figure read 4 that is unlike it. `texts` (the words' texts by index) give the places where a 4
 * cannot stand (`forcedNotRead`): a figure there that is not relabelled is doubted.
 *
 * @example
 * const { relabel, doubted } = faceOnes(grey, digits, words.map((w) => w.text));
 */
export function faceOnes(image: GreyImage, digits: readonly ReadDigit[], texts: readonly string[]): FaceOnes {
  const shapes = digits.map((d) => glyphShape(image, d.box));
  const out: FaceOnes = { relabel: new Map(), doubted: new Set(), scores: new Map() };
  const forced = forcedNotRead(digits, texts);
  for (const i of forced) out.doubted.add(i);
  const twins = digitTwins(image, digits, texts).filter((t) => t > -1);
  if (twins.filter((t) => t >= TWIN).length < MIN_TWINNED * twins.length) return out;
  const one = faceGlyph(digits.flatMap((d, i) => (d.digit === '1' && shapes[i] ? [shapes[i]!] : [])));
  if (!one) return out;
  for (const reading of TAKEN_FOR_ONE) {
    const read = digits.flatMap((d, i) => (d.digit === reading && shapes[i] ? [i] : []));
    const own = read.filter((i) => dot(shapes[i]!, one) <= UNLIKE_ONE);
    for (const i of read) {
      const like = dot(shapes[i]!, one);
      const likeOwn = Math.max(-1, ...own.map((j) => dot(shapes[i]!, shapes[j]!)));
      out.scores.set(i, [like, likeOwn]);
      if (like >= LIKE_ONE && likeOwn <= LIKE_OWN) {
        out.relabel.set(i, '1');
        out.doubted.delete(i);
      } else if (like >= DOUBT_ONE && like > likeOwn) out.doubted.add(i);
    }
  }
  return out;
}

/** The mean glyph of `shapes` when they are one glyph (half of them alike to it at `ONE_FACE`), else null. */
function faceGlyph(shapes: readonly Float64Array[]): Float64Array | null {
  if (shapes.length < MIN_ONES) return null;
  const face = mean(shapes);
  const alike = shapes.filter((s) => dot(s, face) >= ONE_FACE).length;
  return alike * 2 >= shapes.length ? face : null;
}

/** A 4-figure year of a civil register starts with 1 or 2. */
const DATE = /^(\D*)(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4})(\D*)$/u;

/**
 * Indexes into `digits` of figures read 4 or 7 that stand where that figure cannot: the first figure of a date's
 * year (years of civil registers are 1xxx or 2xxx), of a two-figure month (≤ 12) or of a two-figure day (≤ 31).
 */
export function forcedNotRead(digits: readonly ReadDigit[], texts: readonly string[]): Set<number> {
  const byWord = digitsByWord(digits);
  const forced = new Set<number>();
  for (const [word, indexes] of byWord) {
    const m = DATE.exec(texts[word] ?? '');
    if (!m) continue;
    const [, , day, , month, , year] = m as unknown as string[];
    if (indexes.length !== day!.length + month!.length + year!.length) continue;
    const starts = [0, day!.length, day!.length + month!.length];
    const impossible = [day!.length === 2 && Number(day) > 31, month!.length === 2 && Number(month) > 12, !/^[12]/.test(year!)];
    starts.forEach((start, part) => {
      const i = indexes[start]!;
      if (impossible[part] && TAKEN_FOR_ONE.includes(digits[i]!.digit)) forced.add(i);
    });
  }
  return forced;
}

function mean(shapes: readonly Float64Array[]): Float64Array {
  const sum = new Float64Array(shapes[0]!.length);
  for (const s of shapes) for (let k = 0; k < s.length; k++) sum[k]! += s[k]!;
  return unitVector(sum) ?? sum;
}


/** Per word, the indexes of its digits in `digits`, in order. */
function digitsByWord(digits: readonly ReadDigit[]): Map<number, number[]> {
  const byWord = new Map<number, number[]>();
  digits.forEach((d, i) => byWord.set(d.word, [...(byWord.get(d.word) ?? []), i]));
  return byWord;
}

/**
 * The words and digits with the figures `relabel` names read as what they were: the k-th figure of a word is its
 * k-th digit (`flattenBlocks` keeps a word's digits in order; a word whose figures and digits differ in number is
 * left as read).
 *
 * @example
 * relabelFigures(words, digits, new Map([[2, '1']])); // "19/9/4980" → "19/9/1980" when digit 2 is its 4
 */
export function relabelFigures(words: readonly OcrWord[], digits: readonly ReadDigit[], relabel: ReadonlyMap<number, string>): { words: OcrWord[]; digits: ReadDigit[] } {
  const byWord = digitsByWord(digits);
  const outWords = [...words];
  const outDigits = [...digits];
  for (const [w, indexes] of byWord) {
    if (!indexes.some((i) => relabel.has(i))) continue;
    const chars = [...words[w]!.text];
    const at = chars.flatMap((c, k) => (/^\d$/u.test(c) ? [k] : []));
    if (at.length !== indexes.length || indexes.some((i, k) => chars[at[k]!] !== digits[i]!.digit)) continue;
    indexes.forEach((i, k) => {
      const figure = relabel.get(i);
      if (figure === undefined) return;
      chars[at[k]!] = figure;
      outDigits[i] = { ...digits[i]!, digit: figure };
    });
    outWords[w] = { ...words[w]!, text: chars.join('') };
  }
  return { words: outWords, digits: outDigits };
}

/**
 * `lines` with the text of each word `after` changed from `before` put in its line, at the word's own place there (a
 * line's text is its words joined, as `flattenBlocks` reads it): a line "4984 1984 4984" whose last word alone was
 * relabelled must not have its first changed.
 */
export function relabelLines(lines: readonly OcrLine[], before: readonly OcrWord[], after: readonly OcrWord[]): OcrLine[] {
  const out = [...lines];
  const wordsSeen = new Map<number, number>();
  before.forEach((word, i) => {
    const place = wordsSeen.get(word.line) ?? 0;
    wordsSeen.set(word.line, place + 1);
    const now = after[i]!.text;
    const line = out[word.line];
    if (now === word.text || !line) return;
    // the line's words and the spaces between them as Tesseract spaced them
    const parts = line.text.split(/(\s+)/u).filter((part) => part !== '');
    const tokens = parts.flatMap((part, i) => (/^\s+$/u.test(part) ? [] : [i]));
    // where the line's text and its words disagree in number, the first word read alike
    const at = parts[tokens[place] ?? -1] === word.text ? tokens[place]! : parts.indexOf(word.text);
    if (at < 0) return;
    parts[at] = now;
    out[word.line] = { ...line, text: parts.join('') };
  });
  return out;
}

/**
 * The page's words and lines with the face's 1 read right (`faceOnes`), the words' digits then checked against
 * each other (`markDigits`: `doubtfulDigit`, `lonelyDigit`), and the words of figures that may be the face's 1
 * marked `doubtfulDigit` too. What the OCR stage stores.
 *
 * @example
 * const { words, lines } = await readFigures(clean.image, await pool.recognize(clean.image));
 */
export async function readFigures(image: Buffer, read: { text: string; words: readonly OcrWord[]; lines: readonly OcrLine[]; digits: readonly ReadDigit[] }): Promise<{ text: string; words: OcrWord[]; lines: OcrLine[] }> {
  if (read.digits.length === 0) return { text: read.text, words: [...read.words], lines: [...read.lines] };
  const grey = await greyOf(image);
  const texts = read.words.map((w) => w.text);
  const { relabel, doubted } = faceOnes(grey, read.digits, texts);
  const relabelled = relabelFigures(read.words, read.digits, relabel);
  // a relabelled figure is the machine's guess from pixels (a worn 4 missing its diagonal looks like the face's 1):
  // its word goes to a person unless the date itself forbade the figure read (a year 4990), and so does a word whose
  // relabel could not be applied (its figures and digits differ in number), which keeps the doubt it had
  const forced = forcedNotRead(read.digits, texts);
  for (const i of relabel.keys()) if (!forced.has(i) || relabelled.digits[i]!.digit !== relabel.get(i)) doubted.add(i);
  const doubtedWords = new Set([...doubted].map((i) => read.digits[i]!.word));
  const words = markDigits(grey, relabelled.words, relabelled.digits).map((w, i) => (doubtedWords.has(i) ? { ...w, doubtfulDigit: true as const } : w));
  const lines = relabelLines(read.lines, read.words, words);
  // the page's text as its lines read now, as the OCR pool joins a page whose words were corrected (pool.ts)
  const changed = words.some((w, i) => w.text !== read.words[i]!.text);
  return { text: changed ? lines.map((line) => line.text).join('\n') : read.text, words, lines };
}
