/**
 * Checks on a ruled table's value against its page, for the second reading (src/extract/second-reading.ts). Two
 * readings of one cell confirm whatever extraction put in the value: a value that lost its first line (a date typed
 * "03/05/" over "1960", an address's "xã Lê Hồ," over "huyện Kim Bảng, Hà Nam Ninh"), or took a line of the row
 * beside it, reads the same twice. These look at the page around the value's lines instead: what lies above the
 * first line in the cell, and whether the lines keep within the entry's row.
 */
import type { GreyImage } from '../imaging/analysis.ts';
import type { TableGrid } from '../imaging/rules.ts';
import { splitAtRules } from './table.ts';
import type { OcrWord, PixelBox } from './words.ts';

/** A pixel darker than this is ink. */
const INK = 128;
/** Unread ink above a value's first line, in its line height squared: about two typed letters. */
const UNREAD_INK = 0.25;
/** White kept clear of the lines above and below, in line heights: marks reach past the boxes OCR gives. */
const CLEAR = 0.2;
/** How far a line may reach past its row's rules (in line heights) and still be the row's: a descender, a mark. */
const PAST_ROW = 0.35;
/** What ends a line whose value goes on at the next one: a comma (an address), a slash, dot or dash (a date, a number). */
const GOES_ON = /[,/.-]$/;

/** The column rules around a line of a cell (painted out), or a line height beside it where none was found. */
export function cellSpan([x, , w, h]: PixelBox, grid: TableGrid | null): [number, number] {
  const start = x + h / 2;
  const columns = grid?.columns ?? [];
  return [columns.filter((c) => c <= start).at(-1) ?? x - h, columns.find((c) => c > start) ?? x + w + h];
}

/**
 * Whether a value's first line (`first`) is not where the value starts in its cell: the nearest line above it in
 * the cell, within the row (`rowTop`), ends as a value that goes on (a comma, a slash), or between that line (or the
 * row's top) and this one there is ink OCR read no word of. Either way a line of the value was lost or went to
 * another item, and the value read is its tail ("1960" for 03/05/1960; "1984" for 20/7/1984, seed 3014).
 *
 * @example
 * lostAbove([500, 700, 120, 26], grid, words, page, 600); // true when "03/05/" lies unread above "1960"
 */
export function lostAbove(first: PixelBox, grid: TableGrid | null, words: readonly OcrWord[], page: GreyImage, rowTop: number): boolean {
  const [x, y, w, h] = first;
  const [left, right] = cellSpan(first, grid);
  const above = splitAtRules(words).filter(({ box: [wx, wy, ww, wh] }) => {
    const [cx, cy] = [wx + ww / 2, wy + wh / 2];
    return cx > left && cx < right && cy > rowTop && cy < y && wy + wh < y + h / 2 && !(cx >= x && cx <= x + w && cy >= y);
  });
  let from = rowTop;
  if (above.length > 0) {
    const lowest = above.reduce((a, b) => (b.box[1] + b.box[3] > a.box[1] + a.box[3] ? b : a));
    const level = lowest.box[1] + lowest.box[3] / 2;
    // the nearest line above: its words level with the lowest one, read left to right
    const line = above.filter((a) => Math.abs(a.box[1] + a.box[3] / 2 - level) < h / 2 || a === lowest).sort((a, b) => a.box[0] - b.box[0]);
    if (GOES_ON.test(line.at(-1)!.text)) return true;
    from = lowest.box[1] + lowest.box[3];
  }
  const region: PixelBox = [Math.ceil(left + h * CLEAR), Math.ceil(from + h * CLEAR), Math.floor(right - left - 2 * h * CLEAR), Math.floor(y - h * CLEAR - from - h * CLEAR)];
  return inkIn(page, region) >= UNREAD_INK * h * h;
}

/**
 * Whether a line of a value reaches past its entry's row (`row`: the band between the row's rules) by more than a
 * descender or a mark: a line typed across a row's rule belongs to either row, and a value holding one is a value
 * whose rows may be mixed (seed 3014: a residence with the next entry's address run on).
 */
export function pastRow(lines: readonly PixelBox[], [, top, , height]: PixelBox): boolean {
  return lines.some(([, y, , h]) => y < top - h * PAST_ROW || y + h > top + height + h * PAST_ROW);
}

/** Dark pixels of `page` inside `box` (clipped to the page; none when empty). */
export function inkIn(page: GreyImage, [x, y, w, h]: PixelBox): number {
  const [x0, y0] = [Math.max(0, Math.round(x)), Math.max(0, Math.round(y))];
  const [x1, y1] = [Math.min(page.width, Math.round(x + w)), Math.min(page.height, Math.round(y + h))];
  let ink = 0;
  for (let row = y0; row < y1; row++) for (let col = x0; col < x1; col++) if (page.data[row * page.width + col]! < INK) ink++;
  return ink;
}
