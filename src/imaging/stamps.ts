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
 * across. Inside a ring found that way, pixels as light as the stamp's own ink become paper (from the
 * foot of its grey's peak, never darker than halfway between the text's black and the stamp's grey),
 * and only where the stamp puts ink: the band of its rings and lettering and the emblem at its centre
 * (the circle is fitted to the mid-grey). The rest of the disc is left alone. A typewriter's light
 * strikes are as grey as a red stamp: when the whole box was faded from the halfway level, the letters
 * typed inside the ring went with it (BENCHMARKS.md, "Typed eras: lines under stamps"). The stamp's own grain
 * darker than its peak's foot (noise, uneven pressure) is left as specks in the band; they are cleared as marks
 * too small for any letter, or Tesseract drops the lines they speckle whole (BENCHMARKS.md, "Typed eras: stamps,
 * eleventh→twelfth session").
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
    const circle = fitCircle(grid, gridWidth, ring, block, minSide / 2, maxSide / 2);
    // Where the stamp puts ink: its band and centre when a circle fits, else (a stamp of another shape) the whole box.
    const inStamp = circle ? stampZones(circle, mm) : () => true;
    // The stamp's grey: the median of the mid-grey pixels where it puts ink.
    const levels = new Uint32Array(256);
    let count = 0;
    for (let y = ring.top; y <= ring.bottom; y++) {
      for (let x = ring.left, i = y * width + x; x <= ring.right; x++, i++) {
        const v = data[i]!;
        if (v <= low || v >= high || !inStamp(x, y)) continue;
        levels[v]! += 1;
        count++;
      }
    }
    const stampGrey = histogramPercentile(levels, count, 0.5);
    const halfway = (ink + stampGrey) / 2;
    const keepBelow = Math.max(halfway, stampInkFrom(levels));
    for (let y = ring.top; y <= ring.bottom; y++) {
      for (let x = ring.left, i = y * width + x; x <= ring.right; x++, i++) if (data[i]! > keepBelow && inStamp(x, y)) out[i] = Math.max(data[i]!, paper);
    }
    if (keepBelow > halfway) clearSpeckle(out, width, ring, inStamp, halfway, keepBelow, paper, Math.max(4, Math.round(MIN_MARK_MM2 * mm * mm)), dpi >= THREADS_FROM_DPI);
  }
  return { image: { data: out, width, height }, stamps: rings.length };
}

/**
 * A mark smaller than this (in mm², 14 px at 300 dpi) left in a stamp's zones between the halfway level and the
 * stamp's peak is the stamp's own grain (a noisy or unevenly pressed stamp has pixels darker than its peak's foot),
 * not a letter: a typed letter's stroke, even a dot or a tone mark, is larger. Left in, the grain speckles the
 * lines crossing the stamp and Tesseract drops them whole.
 */
const MIN_MARK_MM2 = 0.1;
/** A mark left there with fewer pixels than this share in its strokes' core is a thread of the stamp's grain. */
const MIN_CORE_SHARE = 0.125;
/**
 * Threads are told by pixels, so only where a letter's thinnest stroke (0.25 mm) is about three pixels wide and has a
 * core: from 300 dpi, the resolution it was measured at (BENCHMARKS, "Typed eras: stamps"). Below, a light letter's
 * stroke may be two pixels wide, and is kept.
 */
const THREADS_FROM_DPI = 300;

/**
 * Papers over the marks of `out` inside `box` that are lighter than `halfway` (darker pixels stay whatever their
 * size), lie where the stamp puts ink and are part of a connected mark (pixels at or below `keepBelow`) smaller
 * than `minArea` pixels or (`threads`) of threads too thin for a letter's stroke.
 */
function clearSpeckle(out: Uint8Array, width: number, box: { left: number; right: number; top: number; bottom: number }, inStamp: (x: number, y: number) => boolean, halfway: number, keepBelow: number, paper: number, minArea: number, threads: boolean): void {
  const w = box.right - box.left + 1;
  const h = box.bottom - box.top + 1;
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = (box.top + y) * width + box.left; x < w; x++, i++) if (out[i]! <= keepBelow) mask[y * w + x] = 1;
  }
  forEachComponent(mask, w, h, (pixels) => {
    if (pixels.length >= minArea) {
      if (!threads) return;
      // A stroke's core: pixels whose four neighbours are ink too. A letter's stroke (0.25 mm and wider) has one;
      // the grain along the edges of a stamp's rings and letters runs in threads one or two pixels wide.
      let core = 0;
      for (const p of pixels) if (p % w > 0 && p % w < w - 1 && mask[p - 1] && mask[p + 1] && mask[p - w] && mask[p + w]) core++;
      if (core >= pixels.length * MIN_CORE_SHARE) return;
    }
    for (const p of pixels) {
      const x = box.left + (p % w);
      const y = box.top + Math.floor(p / w);
      const i = y * width + x;
      if (out[i]! > halfway && inStamp(x, y)) {
        out[i] = Math.max(out[i]!, paper);
      }
    }
  });
}

/** Where a stamp's grey is counted as falling off: a quarter of its most frequent level's count. */
const PEAK_FOOT = 0.25;

/**
 * The darkest grey the stamp's own ink takes: below its most frequent level (smoothed over five levels), the
 * level where the count falls to PEAK_FOOT of that level's. A stamp pressed evenly is one narrow peak, and
 * letters lighter than the text's black but darker than the stamp (a typewriter's light strikes) lie below it;
 * a stamp of uneven pressure and grainy ink spreads wide, and the caller's halfway level applies.
 */
function stampInkFrom(levels: Uint32Array): number {
  const smooth = (v: number) => {
    let sum = 0;
    for (let k = Math.max(0, v - 2); k <= Math.min(255, v + 2); k++) sum += levels[k]!;
    return sum;
  };
  let mode = 0;
  for (let v = 1; v < 256; v++) if (smooth(v) > smooth(mode)) mode = v;
  const foot = PEAK_FOOT * smooth(mode);
  let v = mode;
  while (v > 0 && smooth(v - 1) >= foot) v--;
  return v - 2;
}

/** A round stamp's outer ring: centre and radius in pixels. */
interface Circle {
  x: number;
  y: number;
  radius: number;
}

/** A ring is a circle along which at least this share of the grid's blocks (widened by one) are mid-grey. */
const MIN_RING_HITS = 0.6;
/** Circles scoring within this share of the best are the same stamp's rings; the widest is the outer one. */
const SAME_STAMP_SCORE = 0.85;
/**
 * A Vietnamese office stamp puts its ink in a band inside its outer ring (a second ring at about 0.8 of the
 * radius, the office's name lettered between the two) and on an emblem at its centre (a star, or the
 * national emblem, within about 0.4 of the radius); between them the disc is empty.
 */
const BAND_INNER = 0.7;
const CENTRE = 0.4;
/** Slack around the band and centre for the ring's line width, pressure and a little skew. */
const ZONE_SLACK_MM = 1;

/**
 * The circle that best fits the mid-grey blocks of a candidate ring's box (block coordinates in `box`,
 * radii in blocks), returned in pixels: null when no circle has MIN_RING_HITS of its circumference on
 * mid-grey. A box widened by a signature or a line of text touching the ring keeps its circle.
 */
function fitCircle(grid: Uint8Array, gridWidth: number, box: { left: number; right: number; top: number; bottom: number }, block: number, minRadius: number, maxRadius: number): Circle | null {
  const left = box.left / block;
  const top = box.top / block;
  const right = Math.floor(box.right / block);
  const bottom = Math.floor(box.bottom / block);
  const w = right - left + 1;
  const h = bottom - top + 1;
  // Widened by one block, so a ring falling between two grid rows or thinned by uneven pressure still counts.
  const wide = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!grid[(top + y) * gridWidth + left + x]) continue;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (y + dy >= 0 && y + dy < h && x + dx >= 0 && x + dx < w) wide[(y + dy) * w + x + dx] = 1;
    }
  }
  const found: Array<{ x: number; y: number; radius: number; score: number }> = [];
  for (let radius = Math.ceil(minRadius); radius <= Math.floor(maxRadius); radius++) {
    const n = Math.max(24, Math.round(2 * Math.PI * radius));
    const offsets = Array.from({ length: n }, (_, k) => [Math.round(radius * Math.cos((2 * Math.PI * k) / n)), Math.round(radius * Math.sin((2 * Math.PI * k) / n))] as const);
    let best = { x: 0, y: 0, radius, score: 0 };
    for (let cy = Math.max(0, radius - 2); cy <= Math.min(h - 1, h - 1 - radius + 2); cy++) {
      for (let cx = Math.max(0, radius - 2); cx <= Math.min(w - 1, w - 1 - radius + 2); cx++) {
        let hits = 0;
        for (const [ox, oy] of offsets) {
          const x = cx + ox;
          const y = cy + oy;
          if (x >= 0 && x < w && y >= 0 && y < h && wide[y * w + x]) hits++;
        }
        if (hits > best.score * n) best = { x: cx, y: cy, radius, score: hits / n };
      }
    }
    found.push(best);
  }
  const top1 = Math.max(0, ...found.map((c) => c.score));
  if (top1 < MIN_RING_HITS) return null;
  const outer = found.filter((c) => c.score >= SAME_STAMP_SCORE * top1).reduce((a, b) => (b.radius > a.radius ? b : a));
  return { x: (left + outer.x + 0.5) * block, y: (top + outer.y + 0.5) * block, radius: (outer.radius + 0.5) * block };
}

/** Whether a pixel lies where a round stamp of outer ring `circle` puts ink: its band of rings and lettering, or its centre. */
function stampZones(circle: Circle, mm: number): (x: number, y: number) => boolean {
  const slack = ZONE_SLACK_MM * mm;
  const bandInner = (BAND_INNER * circle.radius - slack) ** 2;
  const bandOuter = (circle.radius + slack) ** 2;
  const centre = (CENTRE * circle.radius + slack) ** 2;
  return (x, y) => {
    const d = (x - circle.x) ** 2 + (y - circle.y) ** 2;
    return d <= centre || (d >= bandInner && d <= bandOuter);
  };
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
