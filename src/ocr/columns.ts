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
import { forEachComponent } from '../imaging/components.ts';
import { localInk } from '../imaging/leaders.ts';
import type { GreyImage } from '../imaging/analysis.ts';
import { removeRules, type TableGrid } from '../imaging/rules.ts';
import type { OcrPool, OcrResult } from './pool.ts';
import { numberColumn, numberColumnWords, ownWords, wordsOfEmptyCells } from './column-words.ts';
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
/**
 * A strip holds writing when a piece of ink in it, rules painted out, is at least this long (mm) and this large
 * (mm²): a letter of the smallest typed face (2 mm high), not a speck of grain. A strip without is not read:
 * Tesseract thresholds a strip by its own histogram, so on a blank margin it takes the paper's grain for ink
 * and reads it as words ("nsggopu", "NHGnG"; 630 such graphemes on one page of seed 3306).
 */
const WRITING_MM = 1;
const WRITING_AREA_MM2 = 0.1;

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
      if (!holdsWriting(painted, page.data, ink.dark, regions[r]!, mm)) return EMPTY_READ;
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

const EMPTY_READ: OcrResult = { text: '', meanConfidence: 0, words: [], lines: [], digits: [], ms: 0 };

/**
 * Whether the box of the page holds writing (`WRITING_MM`): a piece of ink (`dark`, the page's ink mask) left
 * where the rules were not painted out (`painted` against `original`) at least a small letter's length and size.
 */
export function holdsWriting(painted: GreyImage, original: Uint8Array, dark: Uint8Array, box: PixelBox, mm: number): boolean {
  const [left, top, w, h] = box;
  const mask = new Uint8Array(w * h);
  let any = false;
  for (let y = 0; y < h; y++) {
    const row = (top + y) * painted.width + left;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      if (!dark[i] || painted.data[i] !== original[i]) continue;
      mask[y * w + x] = 1;
      any = true;
    }
  }
  if (!any) return false;
  const [length, area] = [WRITING_MM * mm, WRITING_AREA_MM2 * mm * mm];
  let found = false;
  forEachComponent(mask, w, h, (pixels, b) => {
    if (!found && pixels.length >= area && Math.max(b.right - b.left + 1, b.bottom - b.top + 1) >= length) found = true;
  });
  return found;
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
