/**
 * Entries of a ruled register page (1956–1998): one row per entry across printed columns. The rows are
 * the bands between the table's printed rules, found on the image (src/extract/ruled.ts): a band with
 * writing is an entry, whether or not OCR read its number. Without the rules (too faint to find), the table
 * spans the text block and a row starts at an entry number read in the first column. The columns are the
 * layout's printed widths in proportion. Within a cell the items are written one under the other, so
 * the cell's lines go to the column's items in order (the last item takes what is left).
 *
 * Hand-written cells are often unreadable to OCR; a field is still produced with the cell's box, so
 * the verifier sees the right crop even when no word was read.
 */
import type { TableLayout } from './templates.ts';
import { foldDiacritics } from '../text/normalise.ts';
import type { RuledBand, RuledRows } from './ruled.ts';
import { parseField } from './values.ts';
import { unionBox, wordLines, type FoundEntry, type OcrWord, type PixelBox } from './words.ts';

/** OCR lines taller than this share of the page, or less sure than this, are noise (rules, stains). */
const NOISE = { maxHeightShare: 0.05, minConfidence: 0.5 };

interface Span {
  from: number;
  to: number;
}

/**
 * A band's writing, in mm² of ink: a band with less is empty (specks, a rule's ragged edge); a row's first
 * page holds its number or name, so a first band with less there is the end of a row begun on the page before.
 */
const WRITTEN = { bandMm2: 8, openingMm2: 3 } as const;

/** Rows the ruled bands show: the written bands, the first one a continuation when nothing opens it. */
export function writtenBands(ruled: RuledRows): { band: RuledBand; continuation: boolean }[] {
  return ruled.bands.flatMap((band, i) => {
    if (band.ink.reduce((sum, v) => sum + v, 0) < WRITTEN.bandMm2) return [];
    const opens = (band.ink[0] ?? 0) + (band.ink[1] ?? 0) >= WRITTEN.openingMm2;
    return [{ band, continuation: i === 0 && !opens }];
  });
}

/**
 * The entries of a ruled page. `ruled`: the page's rules and bands (src/extract/ruled.ts), null when not
 * found; a written band where OCR read no word at all is not an entry (nothing to show a person but the
 * image): `expectedTableEntries` counts it, and the page is raised for keying (`entry_not_read`).
 */
export function extractTableEntries(rawWords: readonly OcrWord[], layout: TableLayout, page: { width: number; height: number }, ruled: RuledRows | null = null): FoundEntry[] {
  const words = splitAtRules(rawWords);
  const usable = words.filter((w) => w.box[3] < page.height * NOISE.maxHeightShare && w.confidence >= NOISE.minConfidence);
  const bands = ruled ? writtenBands(ruled) : [];
  const block: PixelBox | null = ruled && bands.length > 0 ? [ruled.left, 0, ruled.right - ruled.left, page.height] : unionBox(usable.map((w) => w.box));
  if (!block) return [];
  const columns = columnSpans(layout, block[0], block[0] + block[2]);
  const readRow = (row: Span, continuation: boolean): FoundEntry => {
    const found: FoundEntry = { items: new Map(), region: [block[0], row.from, block[2], row.to - row.from], ...(continuation ? { continuation } : {}) };
    layout.columns.forEach((column, ci) => {
      const span = columns[ci]!;
      const cellWords = words.filter((w) => inside(w.box, span, row));
      const lines = wordLines(cellWords);
      const cell: PixelBox = [span.from, row.from, span.to - span.from, row.to - row.from];
      if (continuation) {
        for (const [item, own] of continuedCell(lines, column.items)) found.items.set(item, { item, words: own });
        return;
      }
      splitCell(lines, column.items).forEach((own, ii) => {
        const item = column.items[ii]!;
        found.items.set(item, { item, words: own, ...(own.length === 0 ? { cell } : {}) });
      });
    });
    return found;
  };
  if (bands.length > 0) {
    return bands
      .filter(({ band }) => words.some((w) => inside(w.box, { from: block[0], to: block[0] + block[2] }, band)))
      .map(({ band, continuation }) => readRow(band, continuation));
  }
  const rows = rowSpans(usable, columns[0]!, page.height);
  // a row is begun with its number and name on its first page: writing in those columns above the first
  // number read is a row whose number went unread, not a continuation
  const top = continuedRow(usable, layout, block, rows[0]);
  const opensRow = top && usable.some((w) => inside(w.box, columns[0]!, top) || inside(w.box, columns[1]!, top));
  return [...(top && !opensRow ? [readRow(top, true)] : []), ...rows.map((row) => readRow(row, false))];
}

/** Entries a ruled page holds by its written bands (a continuation is the page before's), or null without its rules. */
export function expectedTableEntries(ruled: RuledRows | null): number | null {
  if (!ruled) return null;
  const bands = writtenBands(ruled);
  return bands.length === 0 ? null : bands.filter((b) => !b.continuation).length;
}

/** What OCR reads a column's vertical rule as, glued to the writing beside it ("119|Nguyễn"). */
const RULE_GLYPH = '|';
/** A number against a rule read with a bracket for it ("125]", "220)"). */
const BRACKETED_NUMBER = /^[[(]?(\d{1,5})[\])]?$/;
/** A word cut at a rule is never taken as surely read: below the ruled books' accept threshold. */
const SPLIT_CONFIDENCE = 0.9;

/**
 * Words with a column rule glued on split at it, the rule dropped, each part its share of the box (as
 * `splitAtColons` does for labels), so an entry number glued to the name ("119|Nguyễn") is the first
 * column's number and the second column's name; a number with a bracket for the rule loses the bracket.
 */
export function splitAtRules(words: readonly OcrWord[]): OcrWord[] {
  return words.flatMap((word) => {
    const bracketed = BRACKETED_NUMBER.exec(word.text);
    const cut = word.text.includes(RULE_GLYPH) && word.text.length > 1;
    if (!cut && !(bracketed && bracketed[1] !== word.text)) return [word];
    const [x, y, w, h] = word.box;
    const parts: OcrWord[] = [];
    let at = 0;
    for (const piece of word.text.split(RULE_GLYPH)) {
      const from = at;
      at += piece.length + 1;
      const part = BRACKETED_NUMBER.exec(piece)?.[1] ?? piece;
      if (part === '') continue;
      const left = Math.round((w * from) / word.text.length);
      const width = Math.round((w * piece.length) / word.text.length);
      parts.push({ ...word, text: part, box: [x + left, y, Math.max(1, width), h], confidence: Math.min(word.confidence, SPLIT_CONFIDENCE) });
    }
    return parts;
  });
}

/**
 * The top of the table above its first entry number, below the printed column headings: the last lines
 * of a row begun at the foot of the page before. The headings end a fixed distance below the register's
 * title ("SỔ ĐĂNG KÝ …", printed at the top of every page), which the page's scale turns into pixels:
 * printed headings are often unreadable to OCR, the title is large and is read. Null when the title was
 * not read or nothing is written there.
 */
function continuedRow(words: readonly OcrWord[], layout: TableLayout, block: PixelBox, first: Span | undefined): Span | null {
  if (!first) return null;
  const title = words.find((w, i) => foldDiacritics(w.text) === 'dang' && foldDiacritics(words[i + 1]?.text ?? '') === 'ky' && /^s[oô]$/.test(foldDiacritics(words[i - 1]?.text ?? '')));
  if (!title) return null;
  const pxPerMm = block[2] / layout.printed.textWidthMm;
  const headingsEnd = title.box[1] + title.box[3] + layout.printed.headingsBelowTitleMm * pxPerMm;
  const written = words.filter((w) => w.box[1] + w.box[3] / 2 > headingsEnd && w.box[1] + w.box[3] / 2 < first.from);
  if (written.length === 0) return null;
  return { from: Math.min(...written.map((w) => w.box[1])) - 2, to: first.from };
}

/**
 * A continued row's cell holds its column's last items: the last m items, all but the last one line each
 * (names, ages, dates, ethnicity fit a line), the last one the lines left (an address or a date in words
 * wraps). The m whose values parse best wins, the fewest items on a tie.
 */
function continuedCell(lines: readonly OcrWord[][], items: readonly string[]): [string, OcrWord[]][] {
  let best: { score: number; cells: [string, OcrWord[]][] } | null = null;
  for (let m = 1; m <= Math.min(items.length, lines.length); m++) {
    const own = items.slice(items.length - m);
    const cells = own.map((item, i): [string, OcrWord[]] => [item, i < m - 1 ? [...lines[i]!] : lines.slice(m - 1).flat()]);
    const score = cells.filter(([item, words]) => {
      const parsed = parseField(item, text(words));
      return parsed.parsed && parsed.value !== null && parsed.known !== false;
    }).length;
    if (!best || score > best.score) best = { score, cells };
  }
  return best?.cells ?? [];
}

function columnSpans(layout: TableLayout, left: number, right: number): Span[] {
  const total = layout.columns.reduce((sum, c) => sum + c.width, 0);
  const spans: Span[] = [];
  let x = left;
  for (const column of layout.columns) {
    const w = ((right - left) * column.width) / total;
    spans.push({ from: x, to: x + w });
    x += w;
  }
  return spans;
}

/** Rows start at an entry number read in the first column and end where the next one starts. */
function rowSpans(words: readonly OcrWord[], first: Span, pageHeight: number): Span[] {
  const numbers = words
    .filter((w) => /^\d{1,5}\.?$/.test(w.text) && w.box[0] + w.box[2] / 2 >= first.from && w.box[0] + w.box[2] / 2 <= first.to)
    .sort((a, b) => a.box[1] - b.box[1]);
  const bottom = Math.max(...words.map((w) => w.box[1] + w.box[3]), 0);
  return numbers.map((n, i) => {
    const from = n.box[1] - n.box[3] * 0.5;
    const next = numbers[i + 1];
    return { from, to: next ? next.box[1] - next.box[3] * 0.5 : Math.min(pageHeight, bottom + n.box[3]) };
  });
}

function inside(box: PixelBox, column: Span, row: Span): boolean {
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  return cx >= column.from && cx < column.to && cy >= row.from && cy < row.to;
}

const text = (line: readonly OcrWord[]) => line.map((w) => w.text).join(' ');
/** Items recognisable by their own shape, wherever they fall in the cell. */
const SHAPES: [RegExp, RegExp][] = [
  [/Age$/, /^\d{1,3}( tuổi)?\.?$/],
  [/IdNumber$/, /^\d{9,12}$/],
];

/**
 * Gives a cell's lines to its items: in order (`splitCellInOrder`), unless another cut of the lines into the
 * items, one run of lines each, fits the items better (`fitOfItems`). A value wrapped onto the cell's next line
 * without a comma ("Nguyễn Văn / Việt", "Việt / Nam", "Xóm 2, X. Ngọc / Hồi, H. Thanh Trì") gave its next line to
 * the next item in order: on seed 2911 (typed), a father's name lost its last word and his ethnicity was that
 * word, "Việt Nam" went to the residence below it, residences kept their first line only.
 */
function splitCell(lines: readonly OcrWord[][], items: readonly string[]): OcrWord[][] {
  const inOrder = splitCellInOrder(lines, items);
  if (items.length < 2 || lines.length < 2 || lines.length > MAX_CUT_LINES) return inOrder;
  const fitOf = new Map<string, ItemFit>();
  const fitAt = (item: number, from: number, to: number): ItemFit => {
    const key = `${item} ${from} ${to}`;
    if (!fitOf.has(key)) fitOf.set(key, fitOfItem(items[item]!, lines.slice(from, to).flat()));
    return fitOf.get(key)!;
  };
  // every cut of the lines into one run per item (a run may be empty), the last item taking the rest
  let best: { fit: ItemFit; cuts: number[] } | null = null;
  const visit = (item: number, from: number, cuts: number[], fit: ItemFit): void => {
    if (item === items.length - 1) {
      const total = addFit(fit, fitAt(item, from, lines.length));
      if (!best || betterFit(total, best.fit)) best = { fit: total, cuts: [...cuts, from] };
      return;
    }
    for (let to = from; to <= lines.length; to++) visit(item + 1, to, [...cuts, from], addFit(fit, fitAt(item, from, to)));
  };
  visit(0, 0, [], [0, 0]);
  const found = best as { fit: ItemFit; cuts: number[] } | null;
  if (!found || !betterFit(found.fit, fitOfItems(inOrder, items))) return inOrder;
  return items.map((_, i) => lines.slice(found.cuts[i]!, found.cuts[i + 1] ?? lines.length).flat());
}

/** Cells with more lines than this keep the lines in order (the cuts to try grow fast with the lines). */
const MAX_CUT_LINES = 12;

/** How well texts fit their items: [fitting items (2 when also in their dictionary) less those that do not fit, less the words of those]. */
type ItemFit = [number, number];
const addFit = (a: ItemFit, b: ItemFit): ItemFit => [a[0] + b[0], a[1] + b[1]];
const betterFit = (a: ItemFit, b: ItemFit): boolean => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

/** An item's words' fit: nothing when empty; its shape when it has one (an age, an ID number), else whether its value parses and is not unknown to its dictionary. */
function fitOfItem(item: string, words: readonly OcrWord[]): ItemFit {
  if (words.length === 0) return [0, 0];
  const value = text(words);
  const shape = SHAPES.find(([key]) => key.test(item));
  if (shape) return shape[1].test(value) ? [1, 0] : [-1, -words.length];
  const parsed = parseField(item, value);
  if (!parsed.parsed || parsed.value === null || parsed.known === false) return [-1, -words.length];
  return [parsed.known === true ? 2 : 1, 0];
}

function fitOfItems(split: readonly OcrWord[][], items: readonly string[]): ItemFit {
  return split.reduce<ItemFit>((sum, words, i) => addFit(sum, fitOfItem(items[i]!, words)), [0, 0]);
}

/**
 * Gives a cell's lines to its items in order: a line ending in a comma goes on with the same item (a
 * wrapped address), an item with a shape of its own (an age, an ID number) takes the line that has it,
 * and the last item takes what is left.
 */
function splitCellInOrder(lines: readonly OcrWord[][], items: readonly string[]): OcrWord[][] {
  const out: OcrWord[][] = items.map(() => []);
  const shaped = new Map<number, number>();
  lines.forEach((line, li) => {
    const at = items.findIndex((item) => SHAPES.some(([key, shape]) => key.test(item) && shape.test(text(line))));
    if (at >= 0) shaped.set(li, at);
  });
  let item = 0;
  lines.forEach((line, li) => {
    const fixed = shaped.get(li);
    if (fixed !== undefined) {
      out[fixed]!.push(...line);
      item = Math.max(item, fixed + 1);
      return;
    }
    while (item < items.length - 1 && [...shaped.values()].includes(item)) item++;
    out[Math.min(item, items.length - 1)]!.push(...line);
    if (!text(line).trim().endsWith(',') && item < items.length - 1) item++;
  });
  return out;
}
