/**
 * Which words of a ruled table's readings are whose (src/ocr/columns.ts reads the table column by column): a strip's
 * own words when it was read past its right rule, words cut where they cross a rule, the entry numbers and the empty
 * cells taken from the whole page's reading.
 */
import type { TableGrid } from '../imaging/rules.ts';
import type { OcrResult } from './pool.ts';
import { meanWordConfidence } from './words.ts';
import type { OcrWord, PixelBox } from './words.ts';

/** A word cut where it crosses a rule is never taken as surely read: below the ruled books' accept threshold. */
const CUT_CONFIDENCE = 0.9;

/** The entry-number column of a ruled table: the first column between two rules, null with fewer than two rules. */
export function numberColumn(grid: TableGrid): { from: number; to: number } | null {
  return grid.columns.length >= 2 ? { from: grid.columns[0]!, to: grid.columns[1]! } : null;
}

/**
 * The words of a whole-page reading that lie in the number column (their centre between its rules, within the
 * table), as a result of their own: one line per line of the page they came from, `ms` 0. A word that runs on
 * over the column's right rule with the rule read into it ("30|Ngô") keeps its part up to the rule when that holds a digit, the rule's
 * "|" included, so extraction takes the number and knows it was glued (src/extract/table.ts splitAtRules); the
 * rest of it is the name column's, read there. A number glued to the name with no rule read ("290Nguyễn": typed
 * figures run onto the rule, seed 3346 b04, 3306 b08) keeps its figures, at no more than `CUT_CONFIDENCE`; such a
 * word had kept nothing (no "|" to cut at), so no entry number of those books was read.
 */
export function numberColumnWords(whole: Pick<OcrResult, 'words' | 'lines' | 'digits'>, column: { from: number; to: number }, grid: Pick<TableGrid, 'top' | 'bottom'>): OcrResult {
  const result: OcrResult = { text: '', meanConfidence: 0, words: [], lines: [], digits: [], ms: 0 };
  const lineOf = new Map<number, number>();
  whole.words.forEach((word, w) => {
    const [x, y, width, height] = word.box;
    const middle = y + height / 2;
    if (middle < grid.top || middle >= grid.bottom) return;
    const centre = x + width / 2;
    const rule = word.text.indexOf('|');
    let kept = word;
    // a number glued to the name after it with no rule read between ("290Nguyễn", "205Lê": typed figures on the rule);
    // only where a name starts (a capital, then a small letter): "1O", "10O", "2l" are figures read as letters, which
    // entryNumberAlike reads whole (10, 100), not cut to a wrong number that would judge the book's sequence
    const glued = /^(\d{1,5})(?=\p{Lu}\p{Ll})/u.exec(word.text);
    const cut = (length: number) => ({ ...word, text: word.text.slice(0, length), box: [x, y, Math.max(1, Math.round((width * length) / word.text.length)), height] as PixelBox });
    if (centre < column.from || centre >= column.to) {
      // glued over the right rule: the part up to its "|", when that part starts in the column and holds a number
      if (!(x >= column.from && x < column.to && x + width > column.to)) return;
      if (rule >= 0 && /\d/.test(word.text.slice(0, rule))) kept = cut(rule + 1);
      else if (glued) kept = { ...cut(glued[1]!.length), confidence: Math.min(word.confidence, CUT_CONFIDENCE) };
      else return;
    } else if (glued && rule < 0) kept = { ...cut(glued[1]!.length), confidence: Math.min(word.confidence, CUT_CONFIDENCE) };
    let line = lineOf.get(word.line);
    if (line === undefined) {
      line = result.lines.length;
      lineOf.set(word.line, line);
      result.lines.push({ text: '', confidence: whole.lines[word.line]?.confidence ?? kept.confidence, box: kept.box });
    }
    const index = result.words.length;
    result.words.push({ ...kept, line });
    const right = kept.box[0] + kept.box[2];
    result.digits.push(...whole.digits.filter((d) => d.word === w && d.box[0] + d.box[2] / 2 <= right).map((d) => ({ ...d, word: index })));
  });
  return withLinesOfWords(result);
}

/**
 * The words of a column strip's reading (boxes in page pixels) that belong to the column between the rules
 * `own` (the strip read past its right rule where writing crosses it, `stripPixels`), as a result of their own.
 * A word is the column's when it starts before the right rule (`slack` pixels before it already count as
 * after): a value typed over the rule is kept whole, and the next column's words the strip also read are left
 * to that column. `overrun`: the boxes of the words of the column on the left that ran over the left rule; what
 * this strip read of them again (a piece on their line ending where they end) is left out. A word glued across a rule or an
 * overrun's end to the writing beyond it ("25/9/1944Kinh", "4Kinh") is first cut where digits turn to letters
 * (or a small letter to a capital) nearest that place. A piece cut so, or run over the rule (it may hold a
 * sliver of the next column's writing: "7/10/1949]", the bracket dropped), is at no more than `CUT_CONFIDENCE`.
 *
 * @example
 * // rules at x = 100 and 300; "25/9/1944Kinh" read from 120 to 380
 * ownWords(read, { from: 100, to: 300 }, [], 12).words.map((w) => w.text); // ['25/9/1944']
 */
export function ownWords(read: Pick<OcrResult, 'words' | 'lines' | 'digits' | 'ms'>, own: { from: number; to: number }, overrun: readonly PixelBox[], slack: number): OcrResult {
  const result: OcrResult = { text: '', meanConfidence: 0, words: [], lines: [], digits: [], ms: read.ms };
  const lineOf = new Map<number, number>();
  read.words.forEach((word, w) => {
    const digits = read.digits.filter((d) => d.word === w);
    const [, y, , h] = word.box;
    const onLine = overrun.filter(([, oy, , oh]) => Math.min(y + h, oy + oh) - Math.max(y, oy) >= 0.5 * Math.min(h, oh));
    for (const piece of cutAt(word, [own.to, ...onLine.map(([ox, , ow]) => ox + ow)], digits)) {
      const [x, , width] = piece.box;
      if (x + Math.min(slack, width / 2) >= own.to) continue;
      // read twice: it ends where the word run over the rule ends (give or take half a letter); a word of this
      // column that was overprinted by it runs on past it ("Văn" under the end of "265/GBT")
      const readTwice = onLine.some(([ox, , ow]) => x < ox + ow && x + width <= ox + ow + piece.box[3] / 2);
      if (readTwice) continue;
      let line = lineOf.get(word.line);
      if (line === undefined) {
        line = result.lines.length;
        lineOf.set(word.line, line);
        result.lines.push({ ...read.lines[word.line]! });
      }
      const index = result.words.length;
      // run over the rule, it may hold a sliver of the next column's first letter, read as a bracket
      const over = x + width > own.to;
      const text = over ? piece.text.replace(/(?<=.)[\]|}]+$/u, '') : piece.text;
      result.words.push({ ...piece, text, line, ...(over ? { confidence: Math.min(piece.confidence, CUT_CONFIDENCE) } : {}) });
      const [left, right] = [piece.box[0], piece.box[0] + piece.box[2]];
      result.digits.push(...digits.filter((d) => d.box[0] + d.box[2] / 2 >= left && d.box[0] + d.box[2] / 2 < right).map((d) => ({ ...d, word: index })));
    }
  });
  return withLinesOfWords(result);
}

/** Where one kind of writing meets another in a word: digits and letters, a small letter and a capital. */
const KIND_CHANGE = /(?<=\p{N})(?=\p{L})|(?<=\p{L})(?=\p{N})|(?<=\p{Ll})(?=\p{Lu})/gu;

/**
 * A word that spans one of the places `at` (a rule, the end of a word read over it) cut in two where its kind
 * of writing changes nearest that place (within two letters' widths of it), each piece its share of the box by
 * letters (the digits' own boxes, when read, place a cut after a digit); the word as it is when it spans none
 * or has no such change there.
 */
function cutAt(word: OcrWord, at: readonly number[], digits: readonly { box: PixelBox }[]): OcrWord[] {
  const [x, y, width, height] = word.box;
  const places = at.filter((place) => x < place && x + width > place);
  const letters = [...word.text];
  if (places.length === 0 || letters.length < 2) return [word];
  const letterWidth = width / letters.length;
  const digitCount = letters.filter((l) => /\d/.test(l)).length;
  let best: { at: number; edge: number; off: number } | null = null;
  for (const match of word.text.matchAll(KIND_CHANGE)) {
    const cut = [...word.text.slice(0, match.index)].length;
    // after a digit whose box was read (one box per digit of the word), the cut is at that digit's right edge
    const digit = digits.length === digitCount && /\d/.test(letters[cut - 1]!) ? digits[letters.slice(0, cut).filter((l) => /\d/.test(l)).length - 1] : undefined;
    const edge = digit ? digit.box[0] + digit.box[2] : x + cut * letterWidth;
    const off = Math.min(...places.map((place) => Math.abs(edge - place)));
    if (off <= 2 * letterWidth && (!best || off < best.off)) best = { at: cut, edge, off };
  }
  if (!best) return [word];
  const edge = Math.round(best.edge);
  const confidence = Math.min(word.confidence, CUT_CONFIDENCE);
  return [
    { ...word, text: letters.slice(0, best.at).join(''), box: [x, y, Math.max(1, edge - x), height], confidence },
    { ...word, text: letters.slice(best.at).join(''), box: [edge, y, Math.max(1, x + width - edge), height], confidence },
  ];
}

/** Whole-page words less sure than this are not taken into an empty cell (a rule's edge read as "l", a speck). */
const MIN_FILL_CONFIDENCE = 0.5;

/**
 * Words of the whole-page reading (rules kept) for the table's cells that `read` (the column reading) has no
 * word in, as a result of their own (one line per line of the page they came from, `ms` 0). A cell lies between
 * two column rules and two row rules (the table's top and bottom without row rules). Read alone in its narrow
 * strip, Tesseract drops whole cells of a column: on seed 2811 a sex column kept "Nam" and lost every "Nữ",
 * and names, causes of death and dates went missing beside cells it read ("sex" right 36 → 17 of 64 with the
 * `rules` step). On the whole page the same cells are read inside their row's line. The rule glued to a
 * word ("|Nữ", "34|Nguyễn") is cut off: each piece between rules goes to the cell its middle lies in.
 */
export function wordsOfEmptyCells(read: readonly OcrWord[], whole: Pick<OcrResult, 'words' | 'lines' | 'digits'>, grid: TableGrid): OcrResult {
  const result: OcrResult = { text: '', meanConfidence: 0, words: [], lines: [], digits: [], ms: 0 };
  const xs = [...grid.columns].sort((a, b) => a - b);
  const ys = [grid.top, ...(grid.rows ?? []).filter((y) => y > grid.top && y < grid.bottom), grid.bottom].sort((a, b) => a - b);
  const cellOf = (box: PixelBox): number | null => {
    const [cx, cy] = [box[0] + box[2] / 2, box[1] + box[3] / 2];
    const column = xs.findIndex((x, i) => i + 1 < xs.length && cx >= x && cx < xs[i + 1]!);
    const row = ys.findIndex((y, i) => i + 1 < ys.length && cy >= y && cy < ys[i + 1]!);
    return column < 0 || row < 0 ? null : row * xs.length + column;
  };
  const taken = new Set(read.map((word) => cellOf(word.box)));
  const lineOf = new Map<number, number>();
  whole.words.forEach((word, w) => {
    if (word.confidence < MIN_FILL_CONFIDENCE) return;
    const [x, y, width, height] = word.box;
    for (const { text: piece, from, length } of piecesAtRules(word.text)) {
      if (piece.trim() === '') continue;
      const box: PixelBox = [x + Math.round((width * from) / word.text.length), y, Math.max(1, Math.round((width * length) / word.text.length)), height];
      const cell = cellOf(box);
      if (cell === null || taken.has(cell)) continue;
      let line = lineOf.get(word.line);
      if (line === undefined) {
        line = result.lines.length;
        lineOf.set(word.line, line);
        result.lines.push({ text: '', confidence: whole.lines[word.line]?.confidence ?? word.confidence, box });
      }
      const index = result.words.length;
      result.words.push({ ...word, text: piece, box, line });
      result.digits.push(...whole.digits.filter((d) => d.word === w && d.box[0] + d.box[2] / 2 >= box[0] && d.box[0] + d.box[2] / 2 < box[0] + box[2]).map((d) => ({ ...d, word: index })));
    }
  });
  return withLinesOfWords(result);
}

/**
 * A whole-page word cut at the column rules read into it ("|"), the rules dropped: `from` and `length` its
 * piece's place in the word (rules counted), for its share of the box. A rule between two values glued
 * together ("34|Nguyễn", "Nam|năm") parts them; the last digits of a date or number typed over a rule
 * ("23.10.197|5": at most `MAX_OVERRUN` digits after a digit or a date's separator) go back to it.
 *
 * @example
 * piecesAtRules('23.10.197|5Kinh').map((p) => p.text); // ['23.10.1975', 'Kinh']
 */
export function piecesAtRules(text: string): { text: string; from: number; length: number }[] {
  const pieces: { text: string; from: number; length: number }[] = [];
  let at = 0;
  for (const part of text.split('|')) {
    const last = pieces.at(-1);
    const head = part.slice(0, KIND_CHANGE_FIRST.exec(part)?.index ?? part.length);
    if (last && /[\d./-]$/.test(last.text) && /^\d/.test(head) && [...head].length <= MAX_OVERRUN) {
      Object.assign(last, { text: last.text + head, length: last.length + 1 + head.length });
      if (head.length < part.length) pieces.push({ text: part.slice(head.length), from: at + head.length, length: part.length - head.length });
    } else pieces.push({ text: part, from: at, length: part.length });
    at += part.length + 1;
  }
  return pieces;
}

/** A value typed over a column rule runs at most this many letters past it (5.6 mm of typewriter type on seed 2913). */
const MAX_OVERRUN = 3;
/** The first place in a word where its writing changes kind (`KIND_CHANGE`). */
const KIND_CHANGE_FIRST = /(?<=\p{N})(?=\p{L})|(?<=\p{L})(?=\p{N})|(?<=\p{Ll})(?=\p{Lu})/u;

/** A reading made of words taken from another: each line's text and box from its words, the text, the mean confidence. */
function withLinesOfWords(result: OcrResult): OcrResult {
  result.lines.forEach((line, l) => {
    const own = result.words.filter((w) => w.line === l);
    const [left, top] = [Math.min(...own.map((w) => w.box[0])), Math.min(...own.map((w) => w.box[1]))];
    const [right, bottom] = [Math.max(...own.map((w) => w.box[0] + w.box[2])), Math.max(...own.map((w) => w.box[1] + w.box[3]))];
    Object.assign(line, { text: own.map((w) => w.text).join(' '), box: [left, top, right - left, bottom - top] });
  });
  result.text = result.lines.map((l) => l.text).join('\n');
  result.meanConfidence = meanWordConfidence(result.words);
  return result;
}
