/**
 * Two facing pages photographed as one image (a book lying open on the scanner): finding the gutter
 * between them and fading its shadow, so that each page is read on its own, left page first.
 */
import { analysisCopy, inkMask, outsidePageMask, textInk, type GreyImage } from './analysis.ts';
import type { PageAnalysis } from './geometry.ts';

/** What the spread detection found on the upright, straightened page. */
export type SpreadFinding =
  | { gutterX: number; shadow: number; emptyMm: number; inkShares: [number, number] }
  | { gutterX: null; reason: 'portrait' | 'no_gutter' | 'one_text_block' };

/**
 * A single page is at most about as wide as it is tall (A4 0.71); two facing A4 pages are 1.41 wide and two
 * facing landscape table pages 2.9. Landscape single pages (register tables, 1.43) pass this and are told
 * apart by the gutter, which table rules and text cross.
 */
const MIN_SPREAD_ASPECT = 1.15;
/** The gutter is searched in the middle of the image: a book lies open roughly centred on the bed. */
const SEARCH_FROM = 0.3;
const SEARCH_TO = 0.7;
/** Width of the band that must be free of ink at the gutter: the two inner margins are at least this wide together. */
const EMPTY_BAND_MM = 4;
/** Share of rows with ink in that band that still counts as empty (stains, punched holes, noise). */
const MAX_INKED_ROWS = 0.04;
/** Width of the empty stretch (band centres) that makes a gutter on its own, and with a clear shadow. */
const MIN_EMPTY_MM = 8;
const MIN_EMPTY_MM_WITH_SHADOW = 3;
const CLEAR_SHADOW = 10;
/** Each page of a spread holds at least this share of the text ink. */
const MIN_SIDE_INK = 0.2;
/** The paper must darken by this many grey levels towards the fold to be called a shadow and be faded. */
export const MIN_SHADOW = 6;
/** Shadow is looked for, and faded, this far either side of the fold. */
const SHADOW_REACH_MM = 25;

/**
 * Looks for the gutter of two facing pages in an upright, straightened page: an image clearly wider than
 * tall, with a vertical band near the middle that no ink crosses from top to bottom, and text on both
 * sides of it. The split is at the darkest paper of the band when the fold casts a shadow, otherwise in
 * the middle of the empty band. `gutterX` is in pixels of `page`. `analysed` is the page's analysis copy
 * and masks when the geometry step made them from these very pixels (they are then not made again).
 *
 * @example
 * const spread = await findGutter(page, 300);
 * if (spread.gutterX !== null) [left, right] = [crop(page, 0, spread.gutterX), crop(page, spread.gutterX, page.width)];
 */
export async function findGutter(page: GreyImage, dpi: number, analysed?: PageAnalysis): Promise<SpreadFinding> {
  if (page.width / page.height < MIN_SPREAD_ASPECT) return { gutterX: null, reason: 'portrait' };
  const { image, scale, outside, ink } = analysed ?? (await analysePage(page));
  const { width, height, data } = image;
  const pxPerMm = (dpi * scale) / 25.4;

  // Rows in which a band of EMPTY_BAND_MM around each column holds ink (rules and text cross it; a gutter does not).
  const half = Math.max(1, Math.round((EMPTY_BAND_MM * pxPerMm) / 2));
  const inkedRows = new Float64Array(width);
  let insideRows = 0;
  // Prefix sums of ink along a row make each band's test O(1); one array serves every row.
  const prefix = new Int32Array(width + 1);
  for (let y = 0; y < height; y++) {
    let rowInside = false;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      prefix[x + 1] = prefix[x]! + ink[row + x]!;
      if (!outside[row + x]) rowInside = true;
    }
    if (!rowInside) continue;
    insideRows++;
    for (let x = 0; x < width; x++) {
      const from = Math.max(0, x - half);
      const to = Math.min(width, x + half + 1);
      if (prefix[to]! - prefix[from]! > 0) inkedRows[x]! += 1;
    }
  }
  if (insideRows === 0) return { gutterX: null, reason: 'no_gutter' };
  const from = Math.floor(width * SEARCH_FROM);
  const to = Math.ceil(width * SEARCH_TO);
  let best = from;
  for (let x = from; x < to; x++) if (inkedRows[x]! < inkedRows[best]!) best = x;
  if (inkedRows[best]! / insideRows > MAX_INKED_ROWS) return { gutterX: null, reason: 'no_gutter' };
  // The empty stretch: the inner margins of both pages, the widest run of columns about as empty as the
  // emptiest. Punched holes or a stain in the gutter cut it into runs, and the first of them may be narrow.
  const limit = inkedRows[best]! + Math.max(1, 0.01 * insideRows);
  let [left, right] = [best, best];
  for (let x = from; x < to; x++) {
    if (inkedRows[x]! > limit) continue;
    let end = x;
    while (end < to - 1 && inkedRows[end + 1]! <= limit) end++;
    if (end - x > right - left) [left, right] = [x, end];
    x = end;
  }

  // Both sides carry text: a landscape page with text on one side only is not a spread.
  const letters = textInk(ink, width, height);
  let leftInk = 0;
  let rightInk = 0;
  for (let i = 0; i < letters.length; i++) {
    if (!letters[i]) continue;
    if (i % width < left) leftInk++;
    else if (i % width > right) rightInk++;
  }
  const total = leftInk + rightInk;
  const inkShares: [number, number] = total === 0 ? [0, 0] : [round3(leftInk / total), round3(rightInk / total)];
  if (total === 0 || Math.min(...inkShares) < MIN_SIDE_INK) return { gutterX: null, reason: 'one_text_block' };

  // The fold: the darkest paper of the stretch when the fold casts a shadow (paper brighter on both
  // sides), else the step between two papers of different tone, else the middle of the stretch.
  const paper = paperProfile(data, outside, width, height);
  const reach = Math.round(SHADOW_REACH_MM * pxPerMm);
  // The shadow is darkest at the fold, which punched holes or a tight binding may keep out of the
  // empty stretch: look a little beyond it, over columns that are still nearly free of ink.
  let darkest = left;
  for (let x = Math.max(from, left - reach); x <= Math.min(to - 1, right + reach); x++) {
    if (inkedRows[x]! <= MAX_INKED_ROWS * insideRows && paper[x]! < paper[darkest]!) darkest = x;
  }
  const brightest = (a: number, b: number) => Math.max(...paper.slice(Math.max(0, a), Math.min(width, b)));
  const shadow = Math.max(0, Math.round(Math.min(brightest(darkest - reach, darkest), brightest(darkest + 1, darkest + 1 + reach)) - paper[darkest]!));
  const stepWidth = Math.max(1, Math.round(2 * pxPerMm));
  let step = 0;
  let stepAt = -1;
  for (let x = left + stepWidth; x <= right - stepWidth; x++) {
    const change = Math.abs(paper[x + stepWidth]! - paper[x - stepWidth]!);
    if (change > step) {
      step = change;
      stepAt = x;
    }
  }
  const emptyMm = Math.round(((right - left + 1) / pxPerMm) * 10) / 10;
  // A narrow empty stretch alone is a blank table column or a gap between words; with a fold shadow it is a tight binding.
  if (emptyMm < MIN_EMPTY_MM && !(emptyMm >= MIN_EMPTY_MM_WITH_SHADOW && shadow >= CLEAR_SHADOW)) return { gutterX: null, reason: 'no_gutter' };
  const gutter = shadow >= MIN_SHADOW ? darkest + 0.5 : step >= MIN_SHADOW ? stepAt + 0.5 : (left + right + 1) / 2;
  return { gutterX: Math.round(gutter / scale), shadow, emptyMm, inkShares };
}

async function analysePage(page: GreyImage): Promise<PageAnalysis> {
  const { image, scale } = await analysisCopy(page);
  const outside = outsidePageMask(image);
  return { image, scale, outside, ink: await inkMask(image, outside) };
}

/**
 * Fades a gutter shadow: every column within `SHADOW_REACH_MM` of the fold edge is brightened so
 * that its paper level (a high percentile down the column, above the ink) matches the paper beyond the
 * shadow. A fold shadow runs along the whole height, so a per-column gain undoes it while the ink keeps
 * its contrast to the paper. `foldSide` is the edge of `page` that lay at the fold.
 */
export function fadeGutterShadow(page: GreyImage, foldSide: 'left' | 'right', dpi: number): GreyImage {
  const { data, width, height } = page;
  const reach = Math.min(width, Math.round((SHADOW_REACH_MM / 25.4) * dpi));
  const levels = paperProfile(data, new Uint8Array(0), width, height);
  const beyond: number[] = [];
  for (let k = reach; k < Math.min(width, reach * 2); k++) beyond.push(levels[foldSide === 'left' ? k : width - 1 - k]!);
  if (beyond.length === 0) return page;
  beyond.sort((a, b) => a - b);
  const target = beyond[Math.floor(beyond.length / 2)]!;
  const out = new Uint8Array(data);
  for (let k = 0; k < reach; k++) {
    const x = foldSide === 'left' ? k : width - 1 - k;
    const level = levels[x]!;
    if (level >= target || level < 1) continue;
    const gain = target / level;
    for (let y = 0; y < height; y++) {
      const i = y * width + x;
      out[i] = Math.min(255, Math.round(data[i]! * gain));
    }
  }
  return { data: out, width, height };
}

/** Paper level of each column: the 80th percentile of its pixels, above letters and rules. */
function paperProfile(data: Uint8Array, outside: Uint8Array, width: number, height: number): Float64Array {
  const profile = new Float64Array(width);
  const histogram = new Uint32Array(256);
  for (let x = 0; x < width; x++) {
    histogram.fill(0);
    let count = 0;
    for (let y = 0; y < height; y++) {
      const i = y * width + x;
      if (outside[i]) continue;
      histogram[data[i]!]! += 1;
      count++;
    }
    let seen = 0;
    let level = 255;
    for (let v = 0; v < 256; v++) {
      seen += histogram[v]!;
      if (seen > 0.8 * count) {
        level = v;
        break;
      }
    }
    profile[x] = count === 0 ? 255 : level;
  }
  return profile;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
