/**
 * Whether a page's values were typed on a typewriter, told from the boxes of the words OCR read in them.
 *
 * A typewriter advances the carriage by one fixed step for every character, whatever the letter: an "i" takes
 * the room of an "m", a full stop the room of a digit. So the width of a typed word is its number of characters
 * times the pitch, less the white at the sides of its first and last letter (under half a step in all). Hand-writing
 * and computer print are proportional: an "m" takes two or three times the room of an "i", so words of equal
 * length differ in width by whole characters, and a width is better foretold from the letters' usual widths
 * than from their number. The tell fits both (`fitWidths`) to the words of the values (not to the printed
 * labels of a form, which are proportional type on every page) and calls the page typed only when the count of
 * characters foretells widths closely, and much better than the letters' widths do.
 *
 * The costly mistake is a hand-filled page told typed (its values are read a second time and both readings
 * agree on the same misreading, src/extract/second-reading.ts), so too few words, too few word lengths, or a
 * fit that is only somewhat better leave the page `undecided`, which counts as not typed.
 */
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import type { OcrWord, PixelBox } from './words.ts';

export type Typing = 'typed' | 'not_typed' | 'undecided';

export interface TypingTell {
  typing: Typing;
  /** Words measured (at least two characters, read as one word). */
  words: number;
  /** Pixels per character of the fixed-pitch fit; null when no fit was made. */
  pitch: number | null;
  /** How far widths lie from the fixed-pitch fit (median, in characters). */
  fixedSpread: number | null;
  /** ... and from the proportional fit (median, in average characters). */
  proportionalSpread: number | null;
  /** Intercept of the fixed-pitch fit (pixels): minus the side white of a word's first and last letter. */
  offset: number | null;
}

/** Fewer measured words than this leave a page undecided: a handful of words fit anything. */
export const MIN_WORDS = 12;
/** ... and fewer different word lengths: a pitch is a slope, which one length cannot give. */
const MIN_LENGTHS = 3;
/**
 * Typed words lie within this of the fixed-pitch fit (median, in characters): only the side white of the end
 * letters and the box's edges vary. Proportional words of one length differ by about half a character.
 */
export const MAX_FIXED_SPREAD = 0.15;
/** The fixed-pitch fit must also be this much closer than the proportional one (ratio of the spreads). */
export const MAX_SPREAD_RATIO = 0.6;
/** A value's word further than this from its page's fixed-pitch fit (characters) was not typed with the page. */
export const MAX_WORD_MISFIT = 0.6;

/**
 * Usual advance widths of letters in proportional type (em): the proportions common to roman book faces and
 * to hand-writing alike (narrow i, l, t, f, r and stops, wide m and w, capitals wider than small letters).
 * Not any one font's: only their ordering and rough ratios matter to the fit.
 */
function proportionalWidth(ch: string): number {
  if (/[iljI.,:;'’!|]/u.test(ch)) return 0.28;
  if (/[ftr/()\-1]/u.test(ch)) return 0.36;
  if (/[mwMW]/u.test(ch)) return 0.8;
  if (/[A-Z]/u.test(ch)) return 0.68;
  return 0.5;
}

/** A word's characters without their tone and vowel marks (which take no room of their own), đ as d. */
function baseCharacters(text: string): string[] {
  return [...text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')];
}

interface Measured {
  chars: number;
  letters: number;
  width: number;
}

/**
 * A word worth measuring: two characters or more, its box OCR's own (a glued word's pieces share one box), a
 * letter or figure at each end. A stop or comma at a word's end is a speck in the middle of its step, and OCR's
 * box takes it or not ("Nội." a whole step short of four): its width says nothing of the pitch.
 */
function measure(word: OcrWord): Measured | null {
  if (word.piece !== undefined) return null;
  const chars = baseCharacters(word.text);
  if (chars.length < 2 || word.box[2] <= 0 || !/^[\p{L}\p{N}]$/u.test(chars[0]!) || !/^[\p{L}\p{N}]$/u.test(chars.at(-1)!)) return null;
  return { chars: chars.length, letters: chars.reduce((sum, ch) => sum + proportionalWidth(ch), 0), width: word.box[2] };
}

/** The middle value, or the mean of the two middle ones. */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * A robust straight line width = slope·x + offset (Theil–Sen: the median of the slopes between all pairs, so
 * a word OCR glued to its neighbour or a label's colon does not bend it), and the median distance of the
 * widths from it, in units of `unit`·slope.
 */
function fitWidths(points: readonly { x: number; width: number }[], unit: number): { slope: number; offset: number; spread: number } | null {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.x - points[i]!.x;
      if (Math.abs(dx) > 1e-9) slopes.push((points[j]!.width - points[i]!.width) / dx);
    }
  }
  if (slopes.length === 0) return null;
  const slope = median(slopes);
  if (!(slope > 0)) return null;
  const offset = median(points.map((p) => p.width - slope * p.x));
  const spread = median(points.map((p) => Math.abs(p.width - slope * p.x - offset))) / (slope * unit);
  return { slope, offset, spread };
}

/**
 * Tells from the words of a page's values whether they were typed on a typewriter.
 *
 * @example
 * tellTyping(valueWords(page.words, entries)); // { typing: 'typed', words: 64, pitch: 25.1, fixedSpread: 0.09, … }
 */
export function tellTyping(words: readonly OcrWord[]): TypingTell {
  const measured = words.map(measure).filter((m): m is Measured => m !== null);
  const none = { words: measured.length, pitch: null, fixedSpread: null, proportionalSpread: null, offset: null };
  if (measured.length < MIN_WORDS || new Set(measured.map((m) => m.chars)).size < MIN_LENGTHS) return { typing: 'undecided', ...none };
  const fixed = fitWidths(measured.map((m) => ({ x: m.chars, width: m.width })), 1);
  // the proportional fit's spread is in average characters, as the fixed one's is in characters
  const averageLetter = measured.reduce((s, m) => s + m.letters, 0) / measured.reduce((s, m) => s + m.chars, 0);
  const proportional = fitWidths(measured.map((m) => ({ x: m.letters, width: m.width })), averageLetter);
  if (!fixed || !proportional) return { typing: 'undecided', ...none };
  const typed = fixed.spread <= MAX_FIXED_SPREAD && fixed.spread <= MAX_SPREAD_RATIO * proportional.spread;
  return {
    typing: typed ? 'typed' : 'not_typed',
    words: measured.length, pitch: fixed.slope, fixedSpread: fixed.spread, proportionalSpread: proportional.spread, offset: fixed.offset,
  };
}

/**
 * Whether every measurable word of one value fits its page's pitch: a value written in by hand on a typed page
 * (a later addition) is proportional, and is not trusted as typed. A value with no measurable word goes with
 * its page.
 */
export function fitsPitch(words: readonly OcrWord[], tell: TypingTell): boolean {
  if (tell.typing !== 'typed' || tell.pitch === null || tell.offset === null) return false;
  const { pitch, offset } = tell;
  return words.map(measure).every((m) => m === null || Math.abs(m.width - pitch * m.chars - offset) <= MAX_WORD_MISFIT * pitch);
}

/** The page's words whose middle lies in one of the boxes (the lines of the values read). */
export function wordsWithin(words: readonly OcrWord[], boxes: readonly PixelBox[]): OcrWord[] {
  return words.filter(({ box: [x, y, w, h] }) => {
    const cx = x + w / 2;
    const cy = y + h / 2;
    return boxes.some(([bx, by, bw, bh]) => cx >= bx && cx <= bx + bw && cy >= by && cy <= by + bh);
  });
}

/**
 * The tell of a form page from the words of its values (the lines of its entries' fields, not the printed
 * labels), and which of its values count as typed: those of a page told typed whose words fit its pitch.
 *
 * @example
 * const { tell, typed } = typewrittenValues(page.words, entries);
 * entries[0].fields.filter(typed); // the values read a second time
 */
export function typewrittenValues(words: readonly OcrWord[], entries: readonly ExtractedEntry[]): { tell: TypingTell; typed: (field: ExtractedField) => boolean } {
  const tell = tellTyping(wordsWithin(words, entries.flatMap((e) => e.fields.flatMap((f) => f.lines ?? []))));
  return { tell, typed: (field) => fitsPitch(wordsWithin(words, field.lines ?? []), tell) };
}

/**
 * `typewrittenValues` for stored values, whose lines are not kept: each value's box (the union of its words) stands
 * for its lines. Whether each box's value counts as typed.
 */
export function typewrittenBoxes(words: readonly OcrWord[], boxes: readonly (PixelBox | null)[]): boolean[] {
  const tell = tellTyping(wordsWithin(words, boxes.filter((b): b is PixelBox => b !== null)));
  return boxes.map((box) => box !== null && fitsPitch(wordsWithin(words, [box]), tell));
}

/**
 * Takes `lonely_digit` off the typed values (`typed`) whose figures all have a copy read alike once their boxes are
 * moved up to a pixel to meet it (no word `lonelyAligned`, src/ocr/glyphs.ts): a typewriter strikes a key's one
 * glyph a pixel higher or lower than the last time, print does not. Only typed values: a hand repeats no figure
 * alike, aligned or not. Returns how many values it cleared.
 *
 * @example
 * clearAlignedTwins(entries, page.words, typewrittenValues(page.words, entries).typed);
 */
export function clearAlignedTwins(entries: readonly ExtractedEntry[], words: readonly OcrWord[], typed: (field: ExtractedField) => boolean): number {
  let cleared = 0;
  for (const field of entries.flatMap((e) => e.fields)) {
    if (!field.reasons.includes('lonely_digit') || !typed(field)) continue;
    const own = wordsWithin(words, field.lines ?? []);
    if (!own.some((w) => w.lonelyDigit) || own.some((w) => w.lonelyAligned)) continue;
    field.reasons = field.reasons.filter((r) => r !== 'lonely_digit');
    cleared++;
  }
  return cleared;
}
