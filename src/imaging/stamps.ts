/**
 * Red office stamps ("con dấu") pressed over the last lines of an entry: in plain greyscale their
 * red is as dark as the text under them, so Tesseract reads the ring and the star as letters and
 * loses the words beneath. On a colour scan the red channel sees red ink as nearly paper while black
 * and blue ink stay dark (what a scanner's red drop-out filter does), so red pixels take the red
 * channel's level instead of the luminance and the stamp fades to a light imprint.
 *
 * Only red: a blue stamp has the colour of the blue and blue-black pens that fill in the registers,
 * so it cannot be told from the writing by colour. Violet ("mực tím") and brown-black inks are not
 * red enough to be touched.
 *
 * Greyscale deliveries carry no colour, but a red stamp is still told apart by its grey: mid-grey
 * (red ink is ~100–160 on paper ~240) where printed text is near black, and shaped as a ring 3–4 cm
 * across. Inside a ring found that way, every pixel lighter than halfway between the text's black and
 * the stamp's grey becomes paper: the stamp goes, the black letters under it stay.
 */
import { histogramPercentile, type GreyImage } from './analysis.ts';
import { forEachComponent } from './components.ts';

/** Redness (red minus the larger of green and blue) at which a pixel starts to count as stamp ink. */
const MIN_REDNESS = 30;
/** Redness from which a pixel takes the red channel's level entirely (a stamp's edge is between). */
const FULL_REDNESS = 70;
/** Fewer red pixels than this share is no stamp (a red speck, a coloured rule): the page is left as it is. */
const MIN_RED_SHARE = 0.0005;

/**
 * Fades red ink out of the greyscale of a colour page: each pixel of `grey` (the luminance of
 * `rgb`, same size) that is clearly red moves towards its red channel's level. Null when the page
 * has (almost) no red. `share` is the part of the page that was red.
 *
 * @example
 * const faded = suppressRedStamps(rgbPixels, greyPixels);
 * const grey = faded?.image ?? greyPixels;
 */
export function suppressRedStamps(rgb: { data: Uint8Array; channels: number }, grey: GreyImage): { image: GreyImage; share: number } | null {
  const { data, channels } = rgb;
  const pixels = grey.width * grey.height;
  if (channels < 3 || data.length < pixels * channels) throw new RangeError(`suppressRedStamps: expected ${pixels} pixels of 3 or more channels`);
  const out = new Uint8Array(grey.data);
  let red = 0;
  for (let i = 0, j = 0; i < pixels; i++, j += channels) {
    const r = data[j]!;
    const redness = r - Math.max(data[j + 1]!, data[j + 2]!);
    if (redness <= MIN_REDNESS) continue;
    red++;
    const level = out[i]!;
    if (r <= level) continue;
    const weight = Math.min(1, (redness - MIN_REDNESS) / (FULL_REDNESS - MIN_REDNESS));
    out[i] = Math.round(level + weight * (r - level));
  }
  if (red < MIN_RED_SHARE * pixels) return null;
  return { image: { data: out, width: grey.width, height: grey.height }, share: red / pixels };
}

/**
 * A stamp's ring is 25–40 mm across (generous bounds: stamps differ and skew widens the box); the
 * signature it is pressed over often touches it and widens the piece on one side.
 */
const STAMP_MIN_MM = 20;
const STAMP_MAX_MM = 50;
const STAMP_MAX_WIDTH_MM = 75;
const STAMP_MAX_ASPECT = 2;
/** Grey that is neither paper (within this of the paper level) nor black ink (within this of the darkest ink). */
const PAPER_MARGIN = 40;
const INK_MARGIN = 35;
/**
 * Rings are looked for on a grid of blocks about a third of a millimetre wide (4 px at 300 dpi): a block
 * with a quarter of its pixels mid-grey is part of a mark. Blocks bridge the gaps where letters cross a
 * ring, and the grid is 16 times smaller than the page, so the search costs a few milliseconds.
 */
const BLOCK_MM = 0.33;
/** A ring's blocks (with its lettering and star) fill well under half of its box; a stain or a photo fills it. */
const STAMP_MAX_FILL = 0.5;
/**
 * A straight run of mid-grey blocks this long, across or down the page, is a printed rule's anti-aliased
 * edge (a dark rule on a JPEG has a grey fringe one pixel wide): no stretch of a ring runs straight so far
 * (the chord where a 2 mm band of the largest stamp meets a grid row is under 20 mm). Left in, a table's
 * rules close a box around a cell, which was taken for a ring and had its hand-writing faded out.
 */
const RULE_RUN_MM = 20;

/**
 * Fades red stamps out of a greyscale page by grey level (see the module comment): returns the page
 * and how many stamps were faded (0, page unchanged, when none was found).
 *
 * @example
 * const { image, stamps } = fadeGreyStamps(page, 300);
 */
export function fadeGreyStamps(page: GreyImage, dpi: number): { image: GreyImage; stamps: number } {
  const { data, width, height } = page;
  const mm = dpi / 25.4;
  // Every row: taken from every fourth row, the levels moved by a grey level or two, enough to make a ring of
  // hand-writing on one hard-profile page pass for a stamp (BENCHMARKS.md, fourth round).
  const histogram = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) histogram[data[i]!]! += 1;
  const paper = histogramPercentile(histogram, data.length, 0.9);
  const ink = histogramPercentile(histogram, data.length, 0.005);
  if (paper - ink < PAPER_MARGIN + INK_MARGIN + 20) return { image: page, stamps: 0 };
  const low = ink + INK_MARGIN;
  const high = paper - PAPER_MARGIN;

  const block = Math.max(2, Math.round(BLOCK_MM * mm));
  const gridWidth = Math.ceil(width / block);
  const gridHeight = Math.ceil(height / block);
  const midCount = new Uint16Array(gridWidth * gridHeight);
  const isMid = new Uint8Array(256);
  for (let v = low + 1; v < high; v++) isMid[v] = 1;
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / block) * gridWidth;
    // Counted block by block along the row, looked up rather than compared: one pass over the page.
    for (let bx = 0, i = y * width; bx < gridWidth; bx++) {
      const end = Math.min(width, (bx + 1) * block) + y * width;
      let mids = 0;
      for (; i < end; i++) mids += isMid[data[i]!]!;
      midCount[row + bx]! += mids;
    }
  }
  const grid = new Uint8Array(midCount.length);
  const enough = (block * block) / 4;
  for (let i = 0; i < grid.length; i++) if (midCount[i]! >= enough) grid[i] = 1;
  clearStraightRuns(grid, gridWidth, gridHeight, Math.round((RULE_RUN_MM * mm) / block));

  const rings: { left: number; right: number; top: number; bottom: number }[] = [];
  const minSide = (STAMP_MIN_MM * mm) / block;
  const maxSide = (STAMP_MAX_MM * mm) / block;
  const maxWidth = (STAMP_MAX_WIDTH_MM * mm) / block;
  forEachComponent(grid, gridWidth, gridHeight, (blocks, box) => {
    const w = box.right - box.left + 1;
    const h = box.bottom - box.top + 1;
    if (w < minSide || h < minSide || w > maxWidth || h > maxSide) return;
    if (Math.max(w, h) > STAMP_MAX_ASPECT * Math.min(w, h)) return;
    if (blocks.length > STAMP_MAX_FILL * w * h) return;
    rings.push({ left: box.left * block, right: Math.min(width - 1, (box.right + 1) * block - 1), top: box.top * block, bottom: Math.min(height - 1, (box.bottom + 1) * block - 1) });
  });
  if (rings.length === 0) return { image: page, stamps: 0 };

  const out = Uint8Array.from(data);
  for (const ring of rings) {
    // The stamp's grey: the median of the mid-grey pixels in its box.
    const levels = new Uint32Array(256);
    let count = 0;
    for (let y = ring.top; y <= ring.bottom; y++) {
      for (let x = ring.left, i = y * width + x; x <= ring.right; x++, i++) {
        const v = data[i]!;
        if (v <= low || v >= high) continue;
        levels[v]! += 1;
        count++;
      }
    }
    const stampGrey = histogramPercentile(levels, count, 0.5);
    const keepBelow = (ink + stampGrey) / 2;
    for (let y = ring.top; y <= ring.bottom; y++) {
      for (let x = ring.left, i = y * width + x; x <= ring.right; x++, i++) if (data[i]! > keepBelow) out[i] = Math.max(data[i]!, paper);
    }
  }
  return { image: { data: out, width, height }, stamps: rings.length };
}

/**
 * Clears every horizontal or vertical run of at least `minRun` set blocks (found on the grid as given), except
 * where set blocks lie on both sides of the run within two blocks: a stamp pressed across a rule stays whole.
 */
function clearStraightRuns(grid: Uint8Array, width: number, height: number, minRun: number): void {
  const cleared: { i: number; step: number }[] = [];
  const scan = (lines: number, length: number, at: (line: number, k: number) => number, step: number) => {
    for (let line = 0; line < lines; line++) {
      for (let k = 0; k < length; ) {
        if (!grid[at(line, k)]) {
          k++;
          continue;
        }
        let end = k;
        while (end + 1 < length && grid[at(line, end + 1)]) end++;
        if (end - k + 1 >= minRun) for (let j = k; j <= end; j++) cleared.push({ i: at(line, j), step });
        k = end + 1;
      }
    }
  };
  // `step`: from a block to its neighbour across the run
  scan(height, width, (y, x) => y * width + x, width);
  scan(width, height, (x, y) => y * width + x, 1);
  for (const { i } of cleared) grid[i] = 0;
  const set = (i: number) => i >= 0 && i < grid.length && grid[i] === 1;
  const crossed = cleared.filter(({ i, step }) => (set(i - step) || set(i - 2 * step)) && (set(i + step) || set(i + 2 * step)));
  for (const { i } of crossed) grid[i] = 1;
}
