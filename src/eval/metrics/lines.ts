/**
 * Page-level OCR metrics: OCR lines are paired with truth lines by where they are on the page, not by
 * reading order (EVALUATION.md §2, CER and confidenceBands).
 */
import type { Box as CorpusBox } from '../../../schemas/corpus.ts';
import { ratio } from './counts.ts';
import { characterErrors, editScript, graphemes, normaliseText, splitWords, wordErrors } from './text.ts';

/**
 * [x, y, width, height] in pixels of the delivered image (the corpus format's box).
 *
 * @example
 * const box: Box = [120, 340, 900, 42];
 */
export type Box = CorpusBox;

/**
 * A line of text where it sits on the page: a truth line, an OCR line, or an OCR word.
 *
 * @example
 * const line: TextLine = { text: 'Họ và tên: Nguyễn Thị Hoa', box: [120, 340, 900, 42] };
 */
export interface TextLine {
  text: string;
  box: Box;
}

/**
 * A piece belongs to a truth line only if, on each axis, the shorter of the two extents lies at least
 * this much inside the longer one: same text row (vertical) and same stretch of it (horizontal).
 * Relative to the shorter extent rather than IoU, because truth ink boxes and OCR boxes differ in
 * height (accents, descenders, skew) and a half-line or a single word is much narrower than its line.
 */
const MIN_AXIS_CONTAINMENT = 0.5;

/** Overlap of [start, start+length) intervals. */
function overlap(startA: number, lengthA: number, startB: number, lengthB: number): number {
  return Math.max(0, Math.min(startA + lengthA, startB + lengthB) - Math.max(startA, startB));
}

/** Zero-size boxes (a dot, a rule) are treated as one pixel so they can still overlap something. */
function extents(line: TextLine): { x: number; y: number; w: number; h: number } {
  const [x, y, w, h] = line.box;
  if (![x, y, w, h].every(Number.isFinite) || w < 0 || h < 0) {
    throw new RangeError(`text line ${JSON.stringify(line.text)} has a bad box ${JSON.stringify(line.box)}: expected finite x, y and non-negative width, height`);
  }
  return { x, y, w: Math.max(w, 1), h: Math.max(h, 1) };
}

/**
 * How well `piece` (an OCR line or word) sits on `truth`: null when it is not on it (see
 * MIN_AXIS_CONTAINMENT), else vertical IoU × share of the piece's width inside the truth line, so a
 * piece goes to the row whose height matches it best and that covers most of it.
 */
function placement(truth: ReturnType<typeof extents>, piece: ReturnType<typeof extents>): number | null {
  const vertical = overlap(truth.y, truth.h, piece.y, piece.h);
  const horizontal = overlap(truth.x, truth.w, piece.x, piece.w);
  if (vertical < MIN_AXIS_CONTAINMENT * Math.min(truth.h, piece.h)) return null;
  if (horizontal < MIN_AXIS_CONTAINMENT * Math.min(truth.w, piece.w)) return null;
  const verticalIoU = vertical / (truth.h + piece.h - vertical);
  return verticalIoU * (horizontal / piece.w);
}

/**
 * Pairs OCR lines with truth lines by box overlap, so reading order does not matter.
 *
 * Choice: each OCR line goes to the one truth line it sits on best (see `placement`), and a truth line
 * takes every OCR line assigned to it, concatenated in x order. When both sides segment the page alike
 * this is one-to-one; when OCR splits a row in two, both halves land on that row. No Hungarian
 * matching is needed because OCR lines never compete for a truth line, and the work is
 * O(truth × OCR) per page.
 *
 * Limit: an OCR line that merges several truth lines (cells of one table row) goes whole to one of
 * them, the others stay unmatched, so their text counts twice (deleted there, inserted here). Pass OCR
 * *words* as the `ocr` lines to avoid that: each word is placed on its own and a truth line collects
 * its words in x order.
 *
 * Generic so callers get their own objects back (e.g. words carrying a confidence).
 *
 * @example
 * const truth = [{ text: 'Ngày sinh: 15/03/1962', box: [100, 200, 600, 40] }];
 * const ocr = [{ text: '15/03/1962', box: [400, 198, 290, 42] }, { text: 'Ngày sinh:', box: [102, 201, 250, 38] }];
 * pairLines(truth, ocr);
 * // { pairs: [{ truth: truth[0], ocr: [ocr[1], ocr[0]] }], unmatchedTruth: [], unmatchedOcr: [] }
 */
export function pairLines<T extends TextLine, O extends TextLine>(
  truth: readonly T[],
  ocr: readonly O[],
): { pairs: Array<{ truth: T; ocr: O[] }>; unmatchedTruth: T[]; unmatchedOcr: O[] } {
  const truthExtents = truth.map(extents);
  const assigned: O[][] = truth.map(() => []);
  const unmatchedOcr: O[] = [];
  for (const piece of ocr) {
    const pieceExtent = extents(piece);
    let best = -1;
    let bestScore = -1;
    truthExtents.forEach((truthExtent, index) => {
      const score = placement(truthExtent, pieceExtent);
      if (score !== null && score > bestScore) [best, bestScore] = [index, score];
    });
    if (best < 0) unmatchedOcr.push(piece);
    else assigned[best]!.push(piece);
  }

  const pairs: Array<{ truth: T; ocr: O[] }> = [];
  const unmatchedTruth: T[] = [];
  truth.forEach((line, index) => {
    const pieces = assigned[index]!;
    if (pieces.length === 0) unmatchedTruth.push(line);
    else pairs.push({ truth: line, ocr: pieces.sort((p, q) => p.box[0] - q.box[0] || p.box[1] - q.box[1]) });
  });
  return { pairs, unmatchedTruth, unmatchedOcr };
}

/** The OCR text of a pair: its pieces' normalised texts joined by single spaces. */
function joinText(lines: readonly TextLine[]): string {
  return lines.map((line) => normaliseText(line.text)).filter((text) => text !== '').join(' ');
}

/**
 * Character and word error counts of one page (add them up over a corpus, then divide: CER =
 * errors / length, WER = wordErrors / words). Paired lines count by `characterErrors`/`wordErrors` of
 * the truth text against the OCR pieces joined in x order; an unmatched truth line has all its
 * graphemes (words) deleted; an unmatched OCR line has all its graphemes (words) inserted, which adds
 * errors and nothing to the length. `ocr` may be lines or words (see `pairLines`).
 *
 * @example
 * pageCharacterErrors(
 *   [{ text: 'Nơi sinh: Hà Nội', box: [100, 300, 500, 40] }],
 *   [{ text: 'Nơi sinh: Hà Nộ', box: [105, 302, 480, 36] }, { text: '~~', box: [1000, 500, 60, 20] }],
 * ); // { errors: 3, length: 16, wordErrors: 2, words: 4 }
 */
export function pageCharacterErrors(truth: TextLine[], ocr: TextLine[]): { errors: number; length: number; wordErrors: number; words: number } {
  const { pairs, unmatchedTruth, unmatchedOcr } = pairLines(truth, ocr);
  const totals = { errors: 0, length: 0, wordErrors: 0, words: 0 };
  for (const pair of pairs) {
    const ocrText = joinText(pair.ocr);
    const characters = characterErrors(pair.truth.text, ocrText);
    const lineWords = wordErrors(pair.truth.text, ocrText);
    totals.errors += characters.errors;
    totals.length += characters.length;
    totals.wordErrors += lineWords.errors;
    totals.words += lineWords.length;
  }
  for (const line of unmatchedTruth) {
    const characters = graphemes(normaliseText(line.text)).length;
    const lineWords = splitWords(line.text).length;
    totals.errors += characters;
    totals.length += characters;
    totals.wordErrors += lineWords;
    totals.words += lineWords;
  }
  for (const line of unmatchedOcr) {
    totals.errors += graphemes(normaliseText(line.text)).length;
    totals.wordErrors += splitWords(line.text).length;
  }
  return totals;
}

/**
 * Decides for each OCR word (same order as given) whether it was read right: the words are placed on
 * truth lines with `pairLines` (each word on its own, so split and merged lines do not matter), each
 * truth line's words are aligned with its OCR words in x order by `editScript`, and a word is correct
 * when the alignment matches it to an equal (NFC) truth word. A word on no truth line, an inserted or
 * substituted word, and an empty word are wrong. An OCR "word" holding a space is correct only if all
 * its parts match.
 *
 * @example
 * judgeOcrWords([{ text: 'Nguyễn Thị Hoa', box: [100, 100, 400, 40] }], [
 *   { text: 'Hoa', confidence: 0.9, box: [400, 100, 100, 40] },
 *   { text: 'Nguyen', confidence: 0.4, box: [100, 100, 180, 40] },
 *   { text: 'Thị', confidence: 0.8, box: [300, 100, 80, 40] },
 * ]); // [{ confidence: 0.9, correct: true }, { confidence: 0.4, correct: false }, { confidence: 0.8, correct: true }]
 */
export function judgeOcrWords(truth: TextLine[], ocrWords: Array<{ text: string; confidence: number; box: Box }>): Array<{ confidence: number; correct: boolean }> {
  const correct = ocrWords.map(() => false);
  const pieces = ocrWords.map((word, index) => ({ text: word.text, box: word.box, index }));
  for (const pair of pairLines(truth, pieces).pairs) {
    const tokens: Array<{ text: string; piece: number }> = [];
    for (const piece of pair.ocr) for (const text of splitWords(piece.text)) tokens.push({ text, piece: piece.index });
    const tokenMatched = tokens.map(() => false);
    for (const step of editScript(splitWords(pair.truth.text), tokens.map((token) => token.text))) {
      if (step.op === 'match') tokenMatched[step.b] = true;
    }
    // A piece with no tokens (empty text) is never set, so it stays wrong.
    const allMatched = new Map<number, boolean>();
    tokens.forEach((token, at) => allMatched.set(token.piece, (allMatched.get(token.piece) ?? true) && tokenMatched[at]!));
    for (const [index, matched] of allMatched) correct[index] = matched;
  }
  return ocrWords.map((word, index) => ({ confidence: word.confidence, correct: correct[index]! }));
}

/**
 * Word error rate per OCR-confidence band: bands [0, w), [w, 2w), … with the last one closed at 1
 * ([0.9, 1] for the default w = 0.1). A band with no words has `errorRate: null`. Band edges are
 * rounded to 10 decimals so 0.3 falls in [0.3, 0.4), not in [0.2, 0.3) by floating-point error.
 * A confidence outside 0..1 is a caller bug and throws RangeError.
 *
 * @example
 * confidenceBands([{ confidence: 0.05, correct: false }, { confidence: 1, correct: true }], 0.5);
 * // [{ from: 0, to: 0.5, words: 1, errorRate: 1 }, { from: 0.5, to: 1, words: 1, errorRate: 0 }]
 */
export function confidenceBands(
  words: Array<{ confidence: number; correct: boolean }>,
  bandWidth = 0.1,
): Array<{ from: number; to: number; words: number; errorRate: number | null }> {
  if (!(bandWidth > 0 && bandWidth <= 1)) throw new RangeError(`band width must be in (0, 1], got ${bandWidth}`);
  const round = (value: number) => Math.round(value * 1e10) / 1e10;
  const count = Math.ceil(round(1 / bandWidth));
  const edges = Array.from({ length: count + 1 }, (_, index) => Math.min(1, round(index * bandWidth)));
  const totals = Array.from({ length: count }, () => ({ words: 0, wrong: 0 }));
  for (const word of words) {
    const { confidence } = word;
    if (!(confidence >= 0 && confidence <= 1)) throw new RangeError(`word confidence must be in 0..1, got ${confidence}`);
    let band = Math.min(count - 1, Math.floor(confidence / bandWidth));
    if (band > 0 && confidence < edges[band]!) band--;
    if (band < count - 1 && confidence >= edges[band + 1]!) band++;
    totals[band]!.words++;
    if (!word.correct) totals[band]!.wrong++;
  }
  return totals.map((total, index) => ({
    from: edges[index]!,
    to: edges[index + 1]!,
    words: total.words,
    errorRate: ratio(total.wrong, total.words),
  }));
}
