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
  // 1 = on a horizontal rule, 2 = on a vertical one, 3 = both (where two rules cross)
  const on = new Uint8Array(width * height);
  let found = false;
  found = markRuns(dark, on, width, height, 1, width, height, minLength, 1) || found;
  const longest = new Int32Array(2 * width);
  found = markRuns(dark, on, width, height, width, 1, width, minLength, 2, longest) || found;
  if (!found) return { image: page, painted: 0, table: null };

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
  paintThin(data, dark, on, width, height, 1, width, 1, maxThickness, paint);
  paintThin(data, dark, on, width, height, 2, 1, width, maxThickness, paint);
  for (let i = 0; i < on.length; i++) if (on[i] === 3) paint(i, 0);
  return { image: { data: out, width, height }, painted, table: tableGrid(longest, width, height, maxThickness) };
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

/**
 * Marks with `flag` every ink pixel on a run of at least `minLength` along lines of the page: rows
 * (`step` 1, `lineStep` width, `lines` height) or columns (`step` width, `lineStep` 1, `lines` width).
 * `longest` receives each line's longest run (start, end), left at 0, 0 where none was long enough.
 */
function markRuns(dark: Uint8Array, on: Uint8Array, width: number, height: number, step: number, lineStep: number, lines: number, minLength: number, flag: number, longest?: Int32Array): boolean {
  const length = step === 1 ? width : height;
  let found = false;
  for (let line = 0; line < lines; line++) {
    const base = line * lineStep;
    let start = -1;
    let last = -1;
    const close = (): void => {
      if (start < 0 || last - start + 1 < minLength) return;
      found = true;
      if (longest && last - start > longest[2 * line + 1]! - longest[2 * line]!) {
        longest[2 * line] = start;
        longest[2 * line + 1] = last;
      }
      for (let j = start; j <= last; j++) on[base + j * step]! |= flag;
    };
    for (let k = 0; k < length; k++) {
      if (dark[base + k * step] !== 1) continue;
      if (start < 0 || k - last - 1 > MAX_GAP_PX) {
        close();
        start = k;
      }
      last = k;
    }
    close();
  }
  return found;
}

/**
 * For pixels marked `flag`, looks across the rule (columns for a horizontal rule: `across` = width,
 * `along` = 1; rows for a vertical one: `across` = 1, `along` = width) and paints the run of ink there
 * with the paper beside it when it is no thicker than the page's rules: their usual thickness plus a
 * third (a letter's stroke that runs along a rule, as a "2" or a "/" typed over it does, thickens it there
 * and stays), never more than `maxThickness`.
 */
function paintThin(data: Uint8Array, dark: Uint8Array, on: Uint8Array, width: number, height: number, flag: number, across: number, along: number, maxThickness: number, paint: (i: number, paper: number) => void): void {
  const acrossLength = across === width ? height : width;
  const alongLength = along === 1 ? width : height;
  const runs: number[] = [];
  const counts = new Uint32Array(maxThickness + 1);
  for (let a = 0; a < alongLength; a++) {
    let k = 0;
    while (k < acrossLength) {
      if (!(on[a * along + k * across]! & flag)) {
        k++;
        continue;
      }
      // the run of ink across the rule through this pixel
      let from = k;
      while (from > 0 && dark[a * along + (from - 1) * across] === 1) from--;
      let to = k;
      while (to + 1 < acrossLength && dark[a * along + (to + 1) * across] === 1) to++;
      if (to - from + 1 <= maxThickness) {
        runs.push(a, from, to);
        counts[to - from + 1]!++;
      }
      k = to + 1;
    }
  }
  if (runs.length === 0) return;
  let seen = 0;
  let usual = 1;
  while (usual < maxThickness && (seen += counts[usual]!) * 2 < runs.length / 3) usual++;
  const thickest = Math.min(maxThickness, usual + Math.max(1, Math.round(usual / 3)));
  for (let r = 0; r < runs.length; r += 3) {
    const [a, from, to] = [runs[r]!, runs[r + 1]!, runs[r + 2]!];
    if (to - from + 1 > thickest) continue;
    // the paper just beyond the rule's soft edge, on its lighter side (the local mean is darkened by the rule itself)
    const before = from - 3 >= 0 ? data[a * along + (from - 3) * across]! : 0;
    const after = to + 3 < acrossLength ? data[a * along + (to + 3) * across]! : 0;
    const paper = Math.max(before, after);
    for (let j = Math.max(0, from - 1); j <= Math.min(acrossLength - 1, to + 1); j++) paint(a * along + j * across, paper);
  }
}
