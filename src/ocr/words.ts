import type Tesseract from 'tesseract.js';
import { LAYOUTS } from '../extract/templates.ts';
import { isVietnameseSyllable } from '../text/legacy-encodings.ts';
import { lettersForOnes } from './context.ts';
import { printedLabels, printedTitle } from './labels.ts';
import type { ReadDigit } from './glyphs.ts';

/** A box in image pixels: left, top, width, height. */
export type PixelBox = [number, number, number, number];

/** One recognised word; `line` indexes the `lines` array of the same result. */
export interface OcrWord {
  text: string;
  /** 0..1 */
  confidence: number;
  box: PixelBox;
  line: number;
  /** A digit of the word looks like another digit of the page (src/ocr/glyphs.ts); absent when not. */
  doubtfulDigit?: true;
  /**
   * A digit of the word has no copy on the page read as the same digit (src/ocr/glyphs.ts `digitTwins`): hand-writing,
   * or a glyph damaged out of its printed shape; absent when every digit has one.
   */
  lonelyDigit?: true;
  /**
   * ... and still none with its box moved up to a pixel to meet a copy's (`ALIGN`): set only with `lonelyDigit`. A
   * typed value's figures are trusted without it (src/extract/typewriter.ts `clearAlignedTwins`).
   */
  lonelyAligned?: true;
  /**
   * Every figure of the word was compared (it has a symbol box) and has a copy on the page read as the same figure, at
   * most `ALIGN` pixels off (src/ocr/glyphs.ts `markDigits`): positive evidence, where no `lonelyDigit` may only mean a
   * figure was never compared.
   */
  twinnedDigits?: true;
  /**
   * Which syllable of a word OCR read glued it is (0, 1, …; `splitGluedSyllables`); absent on a word read as
   * one. Tesseract gave the glued word one confidence: counted once, not once per syllable (`pageTrust`).
   */
  piece?: number;
}

/** One recognised text line, in reading order. */
export interface OcrLine {
  text: string;
  /** 0..1 */
  confidence: number;
  box: PixelBox;
}

/**
 * Flattens tesseract.js `blocks` output (blocks → paragraphs → lines → words) into reading-order
 * arrays, with the box of every digit read (for `markDoubtfulDigits`). Confidences become 0..1, text is NFC (downstream matching compares NFC strings), and
 * whitespace-only words, scribbles (`isScribble`: signatures, stamps and strokes read as letters)
 * and lines without words are dropped so every line has at least one word, a word glued from several
 * syllables is split (`splitGluedSyllables`); a line that lost a scribble or had a word split is its words
 * joined by spaces.
 *
 * @example
 * const { data } = await worker.recognize(png, {}, { blocks: true });
 * const { words, lines } = flattenBlocks(data.blocks);
 * lines[words[0].line].text; // the line the first word sits on
 */
export function flattenBlocks(blocks: readonly Tesseract.Block[] | null | undefined): {
  words: OcrWord[];
  lines: OcrLine[];
  digits: ReadDigit[];
  /** Whether a word was corrected by its context (`src/ocr/context.ts`): Tesseract's page text then lacks it. */
  corrected: boolean;
} {
  const words: OcrWord[] = [];
  const lines: OcrLine[] = [];
  const digits: ReadDigit[] = [];
  let corrected = false;
  for (const block of blocks ?? []) {
    for (const paragraph of block.paragraphs ?? []) {
      for (const line of paragraph.lines ?? []) {
        const lineWords = (line.words ?? [])
          .map((word) => {
            const read = normaliseText(word.text);
            const text = lettersForOnes(read);
            const symbols = word.symbols ?? [];
            return {
              text,
              confidence: normaliseConfidence(word.confidence),
              box: toPixelBox(word.bbox),
              // a 1 read as a letter is no figure of the page
              symbols: text === read ? symbols : symbols.filter((symbol) => symbol.text !== '1'),
              changed: text !== read,
            };
          })
          .filter((word) => word.text !== '');
        // a form's printed label misread beside a typed value, a register's title misread, are given back as printed
        const unscribbled = printedTitle(printedLabels(lineWords.filter((word) => !isScribble(word)))).map((word) => (lineWords.includes(word) ? word : { ...word, symbols: [] }));
        const kept = unscribbled.flatMap((word) => splitGluedSyllables(word.text).map((_, i, all) => (all.length === 1 ? word : { ...word, ...pieceOf(word, all, i), piece: i, symbols: [] })));
        if (kept.length === 0) continue;
        const lineIndex = lines.length;
        const asRead = unscribbled.every((word) => lineWords.includes(word)) && unscribbled.length === lineWords.length && kept.length === unscribbled.length && !kept.some((word) => word.changed);
        lines.push({
          text: asRead ? normaliseText(line.text) : kept.map((word) => word.text).join(' '),
          confidence: normaliseConfidence(line.confidence),
          box: toPixelBox(line.bbox),
        });
        corrected ||= kept.some((word) => word.changed);
        for (const { symbols, changed: _, ...word } of kept) {
          for (const symbol of symbols) if (/^\d$/.test(symbol.text)) digits.push({ word: words.length, digit: symbol.text, box: toPixelBox(symbol.bbox) });
          words.push({ ...word, line: lineIndex });
        }
      }
    }
  }
  return { words, lines, digits, corrected };
}

/**
 * The printed labels of the forms (src/extract/templates.ts) as runs of their words, lower case, without
 * punctuation: "Giới tính:" gives ["giới", "tính"]; a glued word is split only into one of these.
 */
const LABEL_WORDS: readonly (readonly string[])[] = [
  ...new Set(
    Object.values(LAYOUTS).flatMap((byEra) => Object.values(byEra))
      .flatMap((layout) => (layout.kind === 'form' ? layout.slots.map(([label]) => label) : []))
      .map((label) => label.normalize('NFC').toLowerCase().replace(/[^\p{L}\s]+/gu, ' ').trim()),
  ),
].map((label) => label.split(/\s+/u));

/**
 * Vietnamese writes every syllable as a word of its own, and a printed label beside a typed value riding above
 * its baseline came out of OCR without its spaces: "Giớitính", "Cánbộhộtịch", "Nơicưtrú:". Such a word is split
 * where it starts with two or more consecutive words of a form's label (punctuation stays with the first and
 * last piece); what follows them, if anything, stays one word and must start with a capital (the typed value:
 * "GiớitínhNam"). Any other word is left as read: splitting every glued word into syllables hid misreads
 * ("Hưong" → "Hư ong") and split foreign names (Campuchia, Maria) written as one word.
 *
 * @example
 * splitGluedSyllables('Giớitính:'); // ['Giới', 'tính:']
 * splitGluedSyllables('Campuchia'); // ['Campuchia']
 */
export function splitGluedSyllables(text: string): string[] {
  const m = /^([^\p{L}\p{N}]*)(\p{L}+)([^\p{L}\p{N}]*)$/u.exec(text.normalize('NFC'));
  if (!m) return [text];
  const [, before, core, after] = m as unknown as [string, string, string, string];
  const letters = [...core];
  if (letters.length < 4 || isVietnameseSyllable(core)) return [text];
  const lower = [...core.toLowerCase()];
  // the longest run of a label's words the word starts with (same letters one for one: NFC, lower case)
  let lengths: number[] = [];
  for (const label of LABEL_WORDS) {
    for (let first = 0; first < label.length - 1; first++) {
      let at = 0;
      const run: number[] = [];
      for (let i = first; i < label.length; i++) {
        const word = [...label[i]!];
        if (word.some((letter, k) => lower[at + k] !== letter)) break;
        at += word.length;
        run.push(word.length);
        const rest = letters.slice(at).join('');
        if (run.length >= 2 && run.length > lengths.length && (rest === '' || /^\p{Lu}/u.test(rest))) lengths = [...run];
      }
    }
  }
  if (lengths.length === 0) return [text];
  const pieces: string[] = [];
  let at = 0;
  for (const length of lengths) pieces.push(letters.slice(at, (at += length)).join(''));
  if (at < letters.length) pieces.push(letters.slice(at).join(''));
  pieces[0] = before + pieces[0];
  pieces[pieces.length - 1] += after;
  return pieces;
}

/** Piece `i` of a word split into `pieces`: its text, and its share of the word's box by characters. */
function pieceOf(word: { box: PixelBox }, pieces: readonly string[], i: number): { text: string; box: PixelBox } {
  const [x, y, w, h] = word.box;
  const total = pieces.reduce((sum, p) => sum + [...p].length, 0);
  const start = pieces.slice(0, i).reduce((sum, p) => sum + [...p].length, 0);
  const left = x + Math.round((w * start) / total);
  const right = x + Math.round((w * (start + [...pieces[i]!].length)) / total);
  return { text: pieces[i]!, box: [left, y, right - left, h] };
}

/** Below this confidence a word may be a scribble; real words read this badly are kept when they look like words. */
const SCRIBBLE_CONFIDENCE = 0.45;
/** Latin letters the Vietnamese alphabet does not use: in an unsure word they point at a scribble. */
const NOT_VIETNAMESE = /[fjwzFJWZ]/u;

/**
 * A word Tesseract made out of a signature, a stamp's ring or pen strokes: read with low confidence
 * and not shaped like Vietnamese text, i.e. holding a letter Vietnamese never uses (f, j, w, z) or
 * more symbols than letters and digits. (Dropping every near-zero-confidence word as well was
 * measured too: it lost more hand-written text than it removed noise.) On printed registers these were the main source of invented
 * characters (the signature lines of 2016– books; measured in BENCHMARKS.md).
 *
 * @example
 * isScribble({ text: 'Z22X-C', confidence: 0.16 }); // true
 * isScribble({ text: 'Quyến', confidence: 0.3 });    // false: a misread word is still a word
 */
export function isScribble(word: { text: string; confidence: number }): boolean {
  if (word.confidence >= SCRIBBLE_CONFIDENCE) return false;
  const characters = [...word.text];
  const wordLike = characters.filter((c) => /[\p{L}\p{N}]/u.test(c)).length;
  return NOT_VIETNAMESE.test(word.text) || wordLike * 2 < characters.length;
}

/** Mean of word confidences, 0 when there are no words (a blank page is not "confident"). */
export function meanWordConfidence(words: readonly OcrWord[]): number {
  if (words.length === 0) return 0;
  return words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
}

/**
 * Look-alikes Tesseract's Vietnamese model puts out for characters of Vietnamese text: the Icelandic
 * eth "Ð/ð" (U+00D0/U+00F0) for "Đ/đ" (U+0110/U+0111) and the fraction slash "⁄" for "/" in dates.
 * Vietnamese never uses the look-alikes, and a search for "Đức" or "15/03/1962" must find the word.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = { '\u00d0': '\u0110', '\u00f0': '\u0111', '\u2044': '/' };
const LOOK_ALIKE = /[\u00d0\u00f0\u2044]/gu;

/**
 * NFC, trimmed, look-alikes replaced (see `LOOK_ALIKES`).
 *
 * @example
 * normaliseText(' Ðức 5⁄10/2025 '); // 'Đức 5/10/2025'
 */
export function normaliseText(text: string | null | undefined): string {
  return (text ?? '').normalize('NFC').trim().replace(LOOK_ALIKE, (c) => LOOK_ALIKES[c]!);
}

/** Tesseract reports 0..100 (and -1 for "no value"); we store 0..1. */
export function normaliseConfidence(confidence: number | null | undefined): number {
  if (typeof confidence !== 'number' || !Number.isFinite(confidence)) return 0;
  return Math.min(1, Math.max(0, confidence / 100));
}

function toPixelBox(bbox: Tesseract.Bbox): PixelBox {
  return [bbox.x0, bbox.y0, Math.max(0, bbox.x1 - bbox.x0), Math.max(0, bbox.y1 - bbox.y0)];
}
