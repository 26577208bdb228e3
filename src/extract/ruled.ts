/**
 * The ruled rows of a register page of 1956–1998, found on the clean image rather than in the OCR text: the
 * table's horizontal rules cut it into bands, one entry per band, and a band's ink per column says whether
 * something is written there. OCR often loses a hand-written entry number (read "2O", glued to the column's
 * rule as "119|Nguyễn", or not read at all), and a row that starts only at a number read would then vanish
 * into the row above; the rules do not depend on reading anything.
 *
 * 1. ink by local contrast (src/extract/struck.ts inkMask), at about 4 pixels per millimetre;
 * 2. a horizontal rule is a pixel row (± a small drift for a page left slightly turned) inked over most of the
 *    page's width; neighbouring rule rows are one rule;
 * 3. the table spans its outermost vertical rules (pixel columns inked over most of the table's height);
 * 4. the first band, between the table's top rule and the rule under the printed column headings, is the
 *    headings, every page of a ruled book has them; each band below is a row, empty or written;
 * 5. per band and column (the layout's printed widths in proportion), the ink inside it in mm², the band's
 *    rules and the vertical rules left out.
 *
 * Sizes are in millimetres of paper, so any resolution reads alike.
 */
import type { GreyImage } from '../imaging/analysis.ts';
import type { PixelBox } from './words.ts';
import { inkMask, loadWorkImage } from './struck.ts';

/** A row band of the table, in the clean image's pixels, with the ink in each column. */
export interface RuledBand {
  from: number;
  to: number;
  /** Ink per column in mm² of paper (the columns given to findRuledRows, left to right). */
  ink: number[];
}

export interface RuledRows {
  /** The table's left and right edges (its outermost vertical rules), in the clean image's pixels. */
  left: number;
  right: number;
  /** Row bands below the column headings, top to bottom. */
  bands: RuledBand[];
}

const RULE = {
  /** A horizontal rule runs unbroken over at least this share of the page's width… */
  minWidthShare: 0.5,
  /** …a break in it up to this long bridged (faded print)… */
  maxBreakMm: 2,
  /** …allowing this drift up or down along it (a page deskewed to within a few tenths of a degree). */
  driftMm: 0.5,
  /** Rule rows closer than this are one rule (a thick or doubled rule). */
  mergeMm: 1.5,
  /** A vertical rule is inked over at least this share of the table's height. */
  minHeightShare: 0.7,
  /** Ink this close to a rule is the rule's own (its edge, its anti-aliasing), not writing. */
  clearMm: 0.6,
  /** Ink of a rule: this many grey levels darker than the mean around it, whatever share of it. */
  inkContrast: { minContrast: 30, maxShare: 1 },
  /** Bands lower than this are the gap of a doubled rule, not a row. */
  minBandMm: 3,
} as const;

/**
 * The rules cleanup found and painted out of a ruled page (src/imaging/rules.ts `TableGrid`), in the clean
 * image's pixels: its horizontal rules, and its outer column rules.
 */
export interface FoundRules {
  rows: readonly number[];
  columns: readonly number[];
}

/**
 * Finds the table's rules and row bands on a clean page (PNG). `columns`: the columns' shares of the table
 * width (any unit), as the layout prints them. `painted`: the rules cleanup found before painting them out
 * of the clean image (then they are not looked for). Null when fewer than three horizontal rules are found
 * (no ruled table, or rules too faint to trust): extraction then starts rows at the entry numbers read.
 *
 * @example
 * const ruled = await findRuledRows(cleanPng, layout.columns.map((c) => c.width), await getCleanTable(sql, pageId));
 * ruled?.bands.filter((b) => b.ink[0]! + b.ink[1]! > 2).length; // rows with a number or name written
 */
export async function findRuledRows(cleanPng: Buffer, columns: readonly number[], painted: FoundRules | null = null): Promise<RuledRows | null> {
  const { page, scale, pxPerMm } = await loadWorkImage(cleanPng);
  const { width } = page;
  const ink = inkMask(page, pxPerMm);
  const drift = Math.max(1, Math.round(RULE.driftMm * pxPerMm));
  const found = painted && painted.rows.length >= 3 && painted.columns.length >= 2
    ? { rules: painted.rows.map((y) => Math.round(y * scale)), verticals: painted.columns.map((x) => Math.round(x * scale)) }
    : findRules(page, pxPerMm, drift);
  if (!found) return null;
  const { rules, verticals } = found;
  const left = verticals[0]!;
  const right = verticals.at(-1)!;
  const clear = Math.max(1, Math.round(RULE.clearMm * pxPerMm)) + drift;
  const onVertical = new Uint8Array(width);
  for (const x of verticals) for (let dx = -clear; dx <= clear; dx++) if (x + dx >= 0 && x + dx < width) onVertical[x + dx] = 1;
  const total = columns.reduce((sum, c) => sum + c, 0);
  const edges = [left];
  for (const c of columns) edges.push(edges.at(-1)! + ((right - left) * c) / total);
  const mm2 = 1 / (pxPerMm * pxPerMm);
  const bands: RuledBand[] = [];
  // the first band is the printed column headings
  for (let i = 1; i + 1 < rules.length; i++) {
    const [from, to] = [rules[i]!, rules[i + 1]!];
    if (to - from < RULE.minBandMm * pxPerMm) continue;
    const perColumn = columns.map((_, ci) => {
      let n = 0;
      const [x0, x1] = [Math.ceil(edges[ci]!), Math.floor(edges[ci + 1]!)];
      for (let y = from + clear; y < to - clear; y++) for (let x = x0; x < x1; x++) if (!onVertical[x] && ink[y * width + x]) n++;
      return Math.round(n * mm2 * 10) / 10;
    });
    bands.push({ from: from / scale, to: to / scale, ink: perColumn });
  }
  return { left: left / scale, right: right / scale, bands };
}

/** The rules still on the page (cleanup left them): horizontal ones top to bottom, vertical ones left to right; null when too few. */
function findRules(page: GreyImage, pxPerMm: number, drift: number): { rules: number[]; verticals: number[] } | null {
  const { width, height } = page;
  // a grey printed rule next to dense writing is not much darker than the mean around it in proportion: the
  // rules are looked for by contrast alone (their length keeps writing and stains out)
  const ruleInk = inkMask(page, pxPerMm, undefined, RULE.inkContrast);
  // a pixel row's longest straight run of ink, each column counted when inked within the drift above or
  // below, small breaks bridged (a faded stretch of print): a printed rule runs from one edge of the table to
  // the other, while writing, and a clerk's slanted strike-through, make only short runs in any one row
  const gap = Math.round(RULE.maxBreakMm * pxPerMm);
  const rowRun = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    let [best, start, lastInk] = [0, -1, -Infinity];
    for (let x = 0; x < width; x++) {
      let inked = false;
      for (let dy = -drift; dy <= drift && !inked; dy++) {
        const yy = y + dy;
        inked = yy >= 0 && yy < height && ruleInk[yy * width + x] === 1;
      }
      if (!inked) continue;
      if (x - lastInk > gap + 1) start = x;
      lastInk = x;
      best = Math.max(best, x - start + 1);
    }
    rowRun[y] = best;
  }
  const rules = ruleCentres(rowRun, width * RULE.minWidthShare, RULE.mergeMm * pxPerMm);
  if (rules.length < 3) return null;
  const verticals = verticalRules(ruleInk, width, rules[0]!, rules.at(-1)!, RULE.minHeightShare);
  return verticals.length < 2 ? null : { rules, verticals };
}

/** The centre rows of runs of pixel rows with an ink run of at least `minInk` pixels; runs closer than `merge` are one. */
function ruleCentres(rowInk: Float64Array, minInk: number, merge: number): number[] {
  const runs: { from: number; to: number }[] = [];
  for (let y = 0; y < rowInk.length; y++) {
    if (rowInk[y]! < minInk) continue;
    const last = runs.at(-1);
    if (last && y - last.to <= merge) last.to = y;
    else runs.push({ from: y, to: y });
  }
  return runs.map((r) => Math.round((r.from + r.to) / 2));
}

/** Centres of the pixel columns inked over `minShare` of the rows from `top` to `bottom` (neighbours merged). */
function verticalRules(ink: Uint8Array, width: number, top: number, bottom: number, minShare: number): number[] {
  const need = (bottom - top) * minShare;
  const columns: number[] = [];
  for (let x = 0; x < width; x++) {
    let n = 0;
    for (let y = top; y <= bottom; y++) if (ink[y * width + x] || (x + 1 < width && ink[y * width + x + 1])) n++;
    if (n >= need) columns.push(x);
  }
  const centres: number[] = [];
  let run: number[] = [];
  for (const x of columns) {
    if (run.length > 0 && x - run.at(-1)! > 2) {
      centres.push(Math.round((run[0]! + run.at(-1)!) / 2));
      run = [];
    }
    run.push(x);
  }
  if (run.length > 0) centres.push(Math.round((run[0]! + run.at(-1)!) / 2));
  return centres;
}

/** A band's region on the page: the table's width, the band's height. */
export const bandBox = (rows: RuledRows, band: RuledBand): PixelBox => [rows.left, band.from, rows.right - rows.left, band.to - band.from];
