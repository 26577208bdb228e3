/**
 * Reading a ruled register column by column. On a 1956–1998 table page Tesseract's own layout analysis
 * takes a row of cells for one line of text: cells are filled at different heights (a heading of one
 * line beside one of three, an address of five lines beside a name of one), so the "line" it builds runs
 * across every column at no one baseline and is read as garbage ("số › ''Họ và tên hgười chết bìm
 * Ngài; háng)"), and a value typed up to the next column's is run into it ("18/12/1900Kinh"). Cleanup
 * finds the table's column rules (`TableGrid`, src/imaging/rules.ts); here each column is read on its
 * own, with the text above and below the table as whole-width strips, and the words are placed back
 * on the page. The entry numbers are the exception: they are taken from a reading of the whole page
 * (`recognizeByColumns`), which also fills the cells the column reading left empty (`wordsOfEmptyCells`).
 * Each column is read a little beyond its rules, so that a value typed over a rule ("23.10.1975" whose
 * last digit lies past it) is read whole, and each word is kept by the one column it starts in
 * (`ownWords`).
 */
import sharp from 'sharp';
import { localInk } from '../imaging/leaders.ts';
import type { GreyImage } from '../imaging/analysis.ts';
import { removeRules, type TableGrid } from '../imaging/rules.ts';
import type { OcrPool, OcrResult } from './pool.ts';
import { meanWordConfidence } from './words.ts';
import type { OcrWord, PixelBox } from './words.ts';

/** Strips narrower or lower than this (pixels) hold no text worth a call (a margin between two rules). */
const MIN_STRIP_PX = 12;
/**
 * A column strip is read this far (mm of paper) past its right rule, on the lines where writing crosses that
 * rule (`rowsAcrossRule`). Typed values run over the rule on their right by up to 5.6 mm on seed 2913 (a date
 * wider than its column cannot be wrapped); cut at the rule, "23.10.1975" was read "23.10.197" and its "5"
 * went to the next column. Nothing is read left of the left rule: writing starts after it.
 */
const OVERLAP_MM = 6;
/** A word starting this close (mm) before the column's right rule is already the next column's (hand-writing begun on the rule). */
const START_SLACK_MM = 1;
/** A word cut where it crosses a rule is never taken as surely read: below the ruled books' accept threshold. */
const CUT_CONFIDENCE = 0.9;

/**
 * The regions of a page to read one by one, in reading order: above the table, each column (between two
 * rules, and the margins left of the first and right of the last), below the table. `[x, y, width, height]`.
 *
 * @example
 * tableRegions({ columns: [100, 400, 900], top: 200, bottom: 1800 }, 1000, 2000);
 * // [[0,0,1000,200], [0,200,100,1600], [100,200,300,1600], [400,200,500,1600], [900,200,100,1600], [0,1800,1000,200]]
 */
export function tableRegions(grid: TableGrid, width: number, height: number): PixelBox[] {
  const top = Math.max(0, Math.min(height, grid.top));
  const bottom = Math.max(top, Math.min(height, grid.bottom));
  const xs = [0, ...grid.columns.filter((x) => x > 0 && x < width), width];
  const regions: PixelBox[] = [[0, 0, width, top]];
  for (let i = 0; i + 1 < xs.length; i++) regions.push([xs[i]!, top, xs[i + 1]! - xs[i]!, bottom - top]);
  regions.push([0, bottom, width, height - bottom]);
  return regions.filter(([, , w, h]) => w >= MIN_STRIP_PX && h >= MIN_STRIP_PX);
}

/**
 * Reads `image` (a clean page PNG, its rules still on it) with its rules painted out (`removeRules`),
 * region by region (`tableRegions`) through `pool`, and joins the results as one page's: boxes in page
 * pixels, lines and words in reading order, `ms` the sum of the recognition times. Each strip keeps the
 * page's resolution, so Tesseract judges text size as on the whole page.
 *
 * The entry-number column (the first between two rules) is the exception: its words come from a reading of
 * the whole page as it is, rules kept (`numberColumnWords`). A number alone on its line, as it is in its own
 * strip or once the rule beside it is painted out, is often misread or not read at all ("31" as "3I", "133"
 * as "1938", single digits dropped): Tesseract scales a line by its own height, and digits alone make a line
 * as tall as its capitals, while in the page's line the rule beside the number ("31 |") makes it as tall as a
 * line of writing. Measured on seed 2702 (BENCHMARKS.md "Entry numbers with the rules step"): numbers read
 * right 79 % whole page, 58 % painted or by columns.
 */
export async function recognizeByColumns(pool: OcrPool, image: Buffer, grid: TableGrid): Promise<OcrResult> {
  const decoded = sharp(image);
  const { density } = await decoded.metadata();
  const raw = await decoded.greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const { info } = raw;
  // The clean page keeps its rules; they are painted out of what is read (Tesseract reads a rule as "|").
  const page = { data: raw.data, width: info.width, height: info.height };
  const ink = await localInk(page, density ?? 300);
  const painted = removeRules(page, density ?? 300, ink).image;
  const data = painted.data;
  const regions = tableRegions(grid, info.width, info.height);
  const numbers = numberColumn(grid);
  const numberStrip = regions.findIndex(([x, y]) => numbers !== null && x === numbers.from && y === grid.top);
  // a column's strip (top and bottom at the table's) is read beyond its rules, the text above and below as it is
  const overlap = Math.round((OVERLAP_MM * (density ?? 300)) / 25.4);
  const [tableTop, tableBottom] = [Math.max(0, Math.min(info.height, grid.top)), Math.min(info.height, grid.bottom)];
  const inTable = ([, y, , h]: PixelBox) => y === tableTop && y + h === tableBottom;
  const reads = regions.map((region): PixelBox => {
    if (!inTable(region)) return region;
    const [x, y, w, h] = region;
    return [x, y, Math.min(info.width, x + w + overlap) - x, h];
  });
  const mm = (density ?? 300) / 25.4;
  const across = new Map(grid.columns.map((x) => [x, rowsAcrossRule(painted, page.data, ink.dark, x, { top: tableTop, bottom: tableBottom }, mm)]));
  const [whole, ...results] = await Promise.all([
    pool.recognize(image),
    ...reads.map(async ([, , width, height], r) => {
      if (r === numberStrip) return null;
      const [x, , w] = regions[r]!;
      const pixels = stripPixels(painted, ink.mean, reads[r]!, { from: x, to: x + w }, across);
      let strip = sharp(pixels, { raw: { width, height, channels: 1 } });
      if (density) strip = strip.withDensity(density);
      return pool.recognize(await strip.toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer());
    }),
  ]);
  const joined: OcrResult = { text: '', meanConfidence: 0, words: [], lines: [], digits: [], ms: whole?.ms ?? 0 };
  const shift = (box: PixelBox, dx: number, dy: number): PixelBox => [box[0] + dx, box[1] + dy, box[2], box[3]];
  const texts: string[] = [];
  const slack = Math.round((START_SLACK_MM * (density ?? 300)) / 25.4);
  // the words of the column on the left that run over its right rule: the next strip reads their ends again
  let overrun: PixelBox[] = [];
  results.forEach((read, r) => {
    const [dx, dy] = reads[r]!;
    let result = read ?? numberColumnWords(whole, numbers!, grid);
    if (read) {
      result = {
        ...read,
        lines: read.lines.map((line) => ({ ...line, box: shift(line.box, dx, dy) })),
        words: read.words.map((word) => ({ ...word, box: shift(word.box, dx, dy) })),
        digits: read.digits.map((digit) => ({ ...digit, box: shift(digit.box, dx, dy) })),
      };
      if (inTable(regions[r]!)) {
        const [x, , w] = regions[r]!;
        result = ownWords(result, { from: x, to: x + w }, overrun, slack);
        overrun = result.words.map((word) => word.box).filter(([bx, , bw]) => bx + bw > x + w);
      }
    } else overrun = [];
    const lineBase = joined.lines.length;
    const wordBase = joined.words.length;
    joined.lines.push(...result.lines);
    joined.words.push(...result.words.map((word) => ({ ...word, line: word.line + lineBase })));
    joined.digits.push(...result.digits.map((digit) => ({ ...digit, word: digit.word + wordBase })));
    if (result.text.trim()) texts.push(result.text.trim());
    joined.ms += result.ms;
  });
  const filled = wordsOfEmptyCells(joined.words, whole, grid);
  if (filled.words.length > 0) {
    const [lineBase, wordBase] = [joined.lines.length, joined.words.length];
    joined.lines.push(...filled.lines);
    joined.words.push(...filled.words.map((word) => ({ ...word, line: word.line + lineBase })));
    joined.digits.push(...filled.digits.map((digit) => ({ ...digit, word: digit.word + wordBase })));
    texts.push(filled.text);
  }
  joined.text = texts.join('\n\n');
  joined.meanConfidence = meanWordConfidence(joined.words);
  return joined;
}

/** Ink this close (mm) to a column rule, on it or either side, once the rule is painted out, is writing that touches or crosses it. */
const AT_RULE_MM = 0.4;
/** A row with writing at a rule stands for the line of writing around it: this far (mm) above and below. */
const LINE_HALF_MM = 2;

/**
 * The rows (1 each, `height` long) where writing touches or crosses the column rule at `x`: ink left on the
 * rule, or within `AT_RULE_MM` of it, once the rule is painted out (`painted`: the page after `removeRules`,
 * `original` before, `dark` its ink mask), widened by `LINE_HALF_MM` up and down to the line it is on.
 */
export function rowsAcrossRule(painted: GreyImage, original: Uint8Array, dark: Uint8Array, x: number, rows: { top: number; bottom: number }, mm: number): Uint8Array {
  const { width, height } = painted;
  const reach = Math.max(1, Math.round(AT_RULE_MM * mm));
  const half = Math.round(LINE_HALF_MM * mm);
  const out = new Uint8Array(height);
  for (let y = Math.max(0, rows.top); y < Math.min(height, rows.bottom); y++) {
    for (let xx = Math.max(0, x - reach); xx <= Math.min(width - 1, x + reach); xx++) {
      const i = y * width + xx;
      if (!dark[i] || painted.data[i] !== original[i]) continue;
      for (let yy = Math.max(0, y - half); yy <= Math.min(height - 1, y + half); yy++) out[yy] = 1;
      break;
    }
  }
  return out;
}

/**
 * The pixels of one strip to read (`read`, a box of the painted page) for the column between the rules
 * `own`: beyond each rule only the lines with writing across that rule (`across`, per rule's x) are kept, the
 * rest painted with the paper's level (`paper`). So a value typed over a rule is read whole by the column it
 * starts in, while the neighbour's words, cut at the strip's edge, are not there to be glued to this
 * column's ("¡Nguyễn" read with a sliver of the number column before it).
 */
export function stripPixels(painted: GreyImage, paper: Uint8Array, read: PixelBox, own: { from: number; to: number }, across: ReadonlyMap<number, Uint8Array>): Buffer {
  const [left, top, w, h] = read;
  const out = Buffer.alloc(w * h);
  const [before, after] = [across.get(own.from), across.get(own.to)];
  for (let y = 0; y < h; y++) {
    const row = (top + y) * painted.width;
    for (let x = 0; x < w; x++) {
      const px = left + x;
      const beyond = px < own.from ? before : px >= own.to ? after : undefined;
      const outside = (px < own.from || px >= own.to) && !beyond?.[top + y];
      out[y * w + x] = outside ? Math.max(paper[row + px]!, painted.data[row + px]!) : painted.data[row + px]!;
    }
  }
  return out;
}

/** The entry-number column of a ruled table: the first column between two rules, null with fewer than two rules. */
export function numberColumn(grid: TableGrid): { from: number; to: number } | null {
  return grid.columns.length >= 2 ? { from: grid.columns[0]!, to: grid.columns[1]! } : null;
}

/**
 * The words of a whole-page reading that lie in the number column (their centre between its rules, within the
 * table), as a result of their own: one line per line of the page they came from, `ms` 0. A word that runs on
 * over the column's right rule with the rule read into it ("30|Ngô") keeps its part up to the rule when that holds a digit, the rule's
 * "|" included, so extraction takes the number and knows it was glued (src/extract/table.ts splitAtRules); the
 * rest of it is the name column's, read there.
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
    if (centre < column.from || centre >= column.to) {
      // glued over the right rule: the part up to its "|", when that part starts in the column and holds a number
      if (!(x >= column.from && x < column.to && x + width > column.to && /\d/.test(word.text.slice(0, rule)))) return;
      const share = (rule + 1) / word.text.length;
      kept = { ...word, text: word.text.slice(0, rule + 1), box: [x, y, Math.max(1, Math.round(width * share)), height] };
    }
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
