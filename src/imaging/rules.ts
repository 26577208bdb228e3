/**
 * Printed rules of ruled registers and forms: the grid of a 1956–1998 table (a vertical rule between
 * every two columns, a horizontal one under every row) and the line above each entry of a form. Values
 * written or typed into a narrow column run up to, touch or cross the rule beside them; Tesseract then
 * reads the rule as "|" or "l" and, worse, takes the cells on either side for one line of text
 * ("|Nam|27/2/1924Kinh"). Painting the rules out leaves the letters, including the parts of them that
 * touch or cross a rule.
 */
import type { GreyImage } from './analysis.ts';
import type { LocalInk } from './leaders.ts';

// Sizes in millimetres, so the same rules hold at 150 and at 400 dpi. A rule runs across a cell or the
// page: unbroken ink longer than any letter or word, which are separate pieces (a typed or printed word
// has a gap between its letters; a long Vietnamese word is under 20 mm).
const MIN_RULE_MM = 20;
/** A printed rule is at most this thick; a letter's stem or bowl that crosses it is taller (x-height ≥ 1.5 mm). */
const MAX_THICKNESS_MM = 0.6;
/** Single missing pixels (grain, a faded spot) do not break a rule. */
const MAX_GAP_PX = 1;
/** A column rule of a ruled register runs down most of the table: at least this share of the page's height. */
const MIN_COLUMN_RULE_SHARE = 0.3;
/** A table has at least this many column rules (two columns between three rules). */
const MIN_COLUMN_RULES = 3;

/**
 * The grid of a ruled table found on a page: the x of each column rule (left to right) and the rows
 * [top, bottom] the rules span, in pixels of the clean page. OCR reads such a page column by column.
 */
export interface TableGrid {
  columns: number[];
  top: number;
  bottom: number;
  /**
   * The y of each horizontal rule across at least half the table (top to bottom), kept on the clean page and
   * painted out of what OCR reads: extraction cuts the table into its rows by them (src/extract/ruled.ts). Absent on pages cleaned
   * before it was kept.
   */
  rows?: number[];
}

/**
 * Paints horizontal and vertical rules out of an upright greyscale page (a copy), with the local
 * paper level; returns the page and how many pixels were painted. A rule pixel is painted only where
 * the ink across the rule is no thicker than a rule: where a letter touches or crosses it, the
 * letter's ink (and the bit of rule inside it) stays.
 *
 * @example
 * const { image, painted } = removeRules(page, 300, await localInk(page, 300));
 */
export function removeRules(page: GreyImage, dpi: number, ink: LocalInk): { image: GreyImage; painted: number; table: TableGrid | null } {
  const { data, width, height } = page;
  const mm = dpi / 25.4;
  const minLength = Math.max(20, Math.round(MIN_RULE_MM * mm));
  const maxThickness = Math.max(2, Math.round(MAX_THICKNESS_MM * mm));
  const dark = ink.dark;
  const longest = new Int32Array(2 * width);
  // Stretches of rule as [line, from, to] triples: rows with their columns, columns with their rows.
  const rows = rowRuns(dark, width, height, minLength);
  const columns = columnRuns(dark, width, height, minLength, longest);
  if (rows.length === 0 && columns.length === 0) return { image: page, painted: 0, table: null };

  const out = Buffer.from(data);
  let painted = 0;
  const paint = (i: number, paper: number): void => {
    const level = Math.max(paper, ink.mean[i]!);
    if (out[i]! < level) {
      out[i] = level;
      painted++;
    }
  };
  // A horizontal rule's pixels: each column's run of ink through it, if no thicker than a rule (plus
  // the pixel either side, the rule's soft edge); likewise across vertical rules, row by row.
  paintThin(data, dark, rows, 1, width, height, maxThickness, paint);
  paintThin(data, dark, columns, width, 1, width, maxThickness, paint);
  // Where two rules cross, the ink is a rule's both ways and thick both ways: it goes too.
  const columnsAt = new Map<number, number[]>();
  for (let r = 0; r < columns.length; r += 3) columnsAt.set(columns[r]!, [...(columnsAt.get(columns[r]!) ?? []), columns[r + 1]!, columns[r + 2]!]);
  for (let r = 0; r < rows.length; r += 3) {
    const y = rows[r]!;
    for (let x = rows[r + 1]!; x <= rows[r + 2]!; x++) {
      const spans = columnsAt.get(x);
      if (!spans || dark[y * width + x] !== 1) continue;
      for (let k = 0; k < spans.length; k += 2) if (spans[k]! <= y && y <= spans[k + 1]!) paint(y * width + x, 0);
    }
  }
  const grid = tableGrid(longest, width, height, maxThickness);
  return { image: { data: out, width, height }, painted, table: grid ? { ...grid, rows: rowRules(rows, grid, maxThickness) } : null };
}

/**
 * Horizontal rules across the table: stretches of rule on neighbouring rows (a rule is a few pixels thick,
 * and drifts by a pixel or two across the page where the deskew left it slightly turned) taken together,
 * kept when they cover at least half the width between the outer column rules; each at its mean row.
 */
function rowRules(rows: readonly number[], grid: TableGrid, maxThickness: number): number[] {
  const [left, right] = [grid.columns[0]!, grid.columns.at(-1)!];
  const found: number[] = [];
  let group = { last: -Infinity, length: 0, weighted: 0 };
  const close = () => {
    if (group.length >= (right - left) / 2) found.push(Math.round(group.weighted / group.length));
  };
  for (let r = 0; r < rows.length; r += 3) {
    const y = rows[r]!;
    const length = Math.max(0, Math.min(right, rows[r + 2]!) - Math.max(left, rows[r + 1]!) + 1);
    if (length === 0) continue;
    if (y - group.last > maxThickness + 2) {
      close();
      group = { last: y, length: 0, weighted: 0 };
    }
    group.last = y;
    group.length += length;
    group.weighted += length * y;
  }
  close();
  return found;
}

/**
 * The grid of a ruled table on the page, or null (fewer than `MIN_COLUMN_RULES` column rules): found on
 * the page's ink without painting anything, so the clean image keeps its rules (extraction finds a ruled
 * page's rows between them, src/extract/ruled.ts) and OCR paints them out of what it reads (src/ocr/columns.ts).
 */
export function findTableGrid(page: GreyImage, dpi: number, ink: LocalInk): TableGrid | null {
  const minLength = Math.max(20, Math.round((MIN_RULE_MM * dpi) / 25.4));
  const maxThickness = Math.max(2, Math.round((MAX_THICKNESS_MM * dpi) / 25.4));
  const longest = new Int32Array(2 * page.width);
  columnRuns(ink.dark, page.width, page.height, minLength, longest);
  const grid = tableGrid(longest, page.width, page.height, maxThickness);
  return grid ? { ...grid, rows: rowRules(rowRuns(ink.dark, page.width, page.height, minLength), grid, maxThickness) } : null;
}

/**
 * Column rules from each pixel column's longest vertical rule (`longest`: start and end per column):
 * neighbouring columns with a rule running down at least `MIN_COLUMN_RULE_SHARE` of the page are one
 * rule; null unless there are `MIN_COLUMN_RULES` of them.
 */
function tableGrid(longest: Int32Array, width: number, height: number, maxThickness: number): TableGrid | null {
  const minLength = MIN_COLUMN_RULE_SHARE * height;
  const rules: Array<{ from: number; to: number; top: number; bottom: number }> = [];
  for (let x = 0; x < width; x++) {
    const top = longest[2 * x]!;
    const bottom = longest[2 * x + 1]!;
    if (bottom - top + 1 < minLength) continue;
    const last = rules.at(-1);
    if (last && x - last.to <= maxThickness) {
      last.to = x;
      last.top = Math.min(last.top, top);
      last.bottom = Math.max(last.bottom, bottom);
    } else rules.push({ from: x, to: x, top, bottom });
  }
  if (rules.length < MIN_COLUMN_RULES) return null;
  const tops = rules.map((r) => r.top).sort((a, b) => a - b);
  const bottoms = rules.map((r) => r.bottom).sort((a, b) => a - b);
  // most rules run from the table's top rule to its bottom one; a rule cut short by a stain or a fold does not narrow it
  return { columns: rules.map((r) => Math.round((r.from + r.to) / 2)), top: tops[tops.length >> 1]!, bottom: bottoms[bottoms.length >> 1]! };
}

/** Horizontal runs of ink at least `minLength` long, as [row, first column, last column] triples in row order. */
function rowRuns(dark: Uint8Array, width: number, height: number, minLength: number): number[] {
  const runs: number[] = [];
  for (let y = 0; y < height; y++) {
    const base = y * width;
    let start = -1;
    let last = -1;
    for (let x = 0; x <= width; x++) {
      if (x < width && dark[base + x] !== 1) continue;
      if (x === width || start < 0 || x - last - 1 > MAX_GAP_PX) {
        if (start >= 0 && last - start + 1 >= minLength) runs.push(y, start, last);
        start = x;
      }
      last = x;
    }
  }
  return runs;
}

/**
 * Vertical runs of ink at least `minLength` long, as [column, first row, last row] triples in column
 * order, found row by row (each column's run kept open as the rows go by: the page is read in memory
 * order); `longest` receives each column's longest run (start row, end row), left at 0, 0 where none was long enough.
 */
function columnRuns(dark: Uint8Array, width: number, height: number, minLength: number, longest: Int32Array): number[] {
  const found: Array<[number, number, number]> = [];
  const start = new Int32Array(width).fill(-1);
  const last = new Int32Array(width).fill(-1);
  const close = (x: number): void => {
    const from = start[x]!;
    const to = last[x]!;
    if (from < 0 || to - from + 1 < minLength) return;
    found.push([x, from, to]);
    if (to - from > longest[2 * x + 1]! - longest[2 * x]!) {
      longest[2 * x] = from;
      longest[2 * x + 1] = to;
    }
  };
  for (let y = 0; y < height; y++) {
    const base = y * width;
    for (let x = 0; x < width; x++) {
      if (dark[base + x] !== 1) continue;
      if (start[x]! < 0 || y - last[x]! - 1 > MAX_GAP_PX) {
        close(x);
        start[x] = y;
      }
      last[x] = y;
    }
  }
  for (let x = 0; x < width; x++) close(x);
  return found.sort((a, b) => a[0] - b[0] || a[1] - b[1]).flat();
}

/**
 * For each stretch of rule (`runs`: [line, from, to] triples, lines in order; `along` = 1 and `across`
 * = width for horizontal rules, whose lines are rows; `along` = width and `across` = 1 for vertical ones),
 * looks across the rule at each of its ink pixels and paints the run of ink there with the paper beside
 * it when it is no thicker than the page's rules: their usual thickness plus a third (a letter's stroke
 * that runs along a rule, as a "2" or a "/" typed over it does, thickens it there and stays), never more
 * than `maxThickness`. `acrossLength` is the page's extent across the rules (height for horizontal ones).
 */
function paintThin(data: Uint8Array, dark: Uint8Array, runs: number[], along: number, across: number, acrossLength: number, maxThickness: number, paint: (i: number, paper: number) => void): void {
  const thin: number[] = [];
  const counts = new Uint32Array(maxThickness + 1);
  // each position along the rules is measured across once: the rule's next line down (or right) lies inside the run already measured
  const doneUntil = new Map<number, number>();
  for (let r = 0; r < runs.length; r += 3) {
    const line = runs[r]!;
    for (let a = runs[r + 1]!; a <= runs[r + 2]!; a++) {
      if (dark[line * across + a * along] !== 1 || (doneUntil.get(a) ?? -1) >= line) continue;
      let from = line;
      while (from > 0 && dark[(from - 1) * across + a * along] === 1) from--;
      let to = line;
      while (to + 1 < acrossLength && dark[(to + 1) * across + a * along] === 1) to++;
      doneUntil.set(a, to);
      if (to - from + 1 <= maxThickness) {
        thin.push(a, from, to);
        counts[to - from + 1]!++;
      }
    }
  }
  if (thin.length === 0) return;
  let seen = 0;
  let usual = 1;
  while (usual < maxThickness && (seen += counts[usual]!) * 2 < thin.length / 3) usual++;
  const thickest = Math.min(maxThickness, usual + Math.max(1, Math.round(usual / 3)));
  for (let r = 0; r < thin.length; r += 3) {
    const [a, from, to] = [thin[r]!, thin[r + 1]!, thin[r + 2]!];
    if (to - from + 1 > thickest) continue;
    // the paper just beyond the rule's soft edge, on its lighter side (the local mean is darkened by the rule itself)
    const before = from - 3 >= 0 ? data[(from - 3) * across + a * along]! : 0;
    const after = to + 3 < acrossLength ? data[(to + 3) * across + a * along]! : 0;
    const paper = Math.max(before, after);
    for (let j = Math.max(0, from - 1); j <= Math.min(acrossLength - 1, to + 1); j++) paint(j * across + a * along, paper);
  }
}
