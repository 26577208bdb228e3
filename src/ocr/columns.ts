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
 */
import sharp from 'sharp';
import { localInk } from '../imaging/leaders.ts';
import { removeRules, type TableGrid } from '../imaging/rules.ts';
import type { OcrPool, OcrResult } from './pool.ts';
import { meanWordConfidence } from './words.ts';
import type { OcrWord, PixelBox } from './words.ts';

/** Strips narrower or lower than this (pixels) hold no text worth a call (a margin between two rules). */
const MIN_STRIP_PX = 12;

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
  const data = removeRules(page, density ?? 300, await localInk(page, density ?? 300)).image.data;
  const regions = tableRegions(grid, info.width, info.height);
  const numbers = numberColumn(grid);
  const numberStrip = regions.findIndex(([x, y]) => numbers !== null && x === numbers.from && y === grid.top);
  const [whole, ...results] = await Promise.all([
    pool.recognize(image),
    ...regions.map(async ([left, top, width, height], r) => {
      if (r === numberStrip) return null;
      let strip = sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).extract({ left, top, width, height });
      if (density) strip = strip.withDensity(density);
      return pool.recognize(await strip.toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer());
    }),
  ]);
  const joined: OcrResult = { text: '', meanConfidence: 0, words: [], lines: [], digits: [], ms: whole?.ms ?? 0 };
  const shift = (box: PixelBox, dx: number, dy: number): PixelBox => [box[0] + dx, box[1] + dy, box[2], box[3]];
  const texts: string[] = [];
  results.forEach((read, r) => {
    const [dx, dy] = regions[r]!;
    const result = read ?? numberColumnWords(whole, numbers!, grid);
    const offset = read ? [dx, dy] : [0, 0];
    const lineBase = joined.lines.length;
    const wordBase = joined.words.length;
    joined.lines.push(...result.lines.map((line) => ({ ...line, box: shift(line.box, offset[0]!, offset[1]!) })));
    joined.words.push(...result.words.map((word) => ({ ...word, box: shift(word.box, offset[0]!, offset[1]!), line: word.line + lineBase })));
    joined.digits.push(...result.digits.map((digit) => ({ ...digit, word: digit.word + wordBase, box: shift(digit.box, offset[0]!, offset[1]!) })));
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
    let at = 0;
    for (const piece of word.text.split('|')) {
      const from = at;
      at += piece.length + 1;
      if (piece.trim() === '') continue;
      const box: PixelBox = [x + Math.round((width * from) / word.text.length), y, Math.max(1, Math.round((width * piece.length) / word.text.length)), height];
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
