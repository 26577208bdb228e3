/**
 * Dotted leaders of pre-printed forms ("Họ và tên: ........ Nguyễn Văn A"): rows of small dots after
 * each label, on which the clerk wrote. Tesseract reads each dot as "." or "…", so a form line comes
 * out as long runs of punctuation around the few letters of the value. Painting the dots out leaves
 * the label and the fill-in.
 */
import sharp from 'sharp';
import type { GreyImage } from './analysis.ts';
import { labelComponents, visitComponents, type Components } from './components.ts';

// Sizes in millimetres, so the same rules hold at 150 and at 400 dpi. A leader dot is 0.2–0.5 mm
// across and the dots repeat every 0.8–2 mm; a letter (x-height ≥ 1.5 mm) is larger, and the dot
// of an "i" or the dot below "ạ" does not repeat along the line.
const MAX_DOT_MM = 0.75;
const MAX_DOT_AREA_MM2 = 0.3;
const MIN_GAP_MM = 0.35;
const MAX_GAP_MM = 3;
/** Dots of one leader sit on one line: their centres differ by less than this vertically. */
const MAX_RISE_MM = 0.3;
/** A row of fewer dots is punctuation ("...") or chance. */
const MIN_LEADER_DOTS = 5;
/**
 * A stray dot on a leader's line is the leader's when its area is within this ratio of the leader's
 * dots (either way): a typed or printed full stop, or the dot under "ạ", is larger.
 */
const MIN_AREA_RATIO = 0.6;
/** The two dots of a colon are at most this far apart, centre to centre (x-height of large print). */
const COLON_MM = 3;
/**
 * A form has well under one leader dot per square millimetre (A4 with 4,000 dots: 0.07); a page
 * with more dot-sized specks than this is grain or speckle, whose chance rows are left alone.
 */
const MAX_DOTS_PER_MM2 = 1;
/** Local mean for the ink threshold: wider than a dot, narrower than shading changes. */
const MEAN_SIGMA_MM = 1.5;
const MIN_INK_CONTRAST = 25;

/** Ink of a page against its local paper level, and that level, for the steps that paint marks out. */
export interface LocalInk {
  /** Local mean grey (~1.5 mm Gaussian): the paper level a painted-out mark gets. */
  mean: Uint8Array;
  /** 1 where a pixel is clearly darker than its surroundings. */
  dark: Uint8Array;
  /** The connected pieces of `dark`, labelled once for both steps. */
  components: Components;
}

/**
 * Ink pixels against a local mean (wider than a dot or a pen stroke, narrower than shading changes),
 * computed once for leader and signature removal.
 */
export async function localInk(page: GreyImage, dpi: number): Promise<LocalInk> {
  const { data, width, height } = page;
  const mm = dpi / 25.4;
  const mean = await sharp(data, { raw: { width, height, channels: 1 } }).blur(Math.max(1, MEAN_SIGMA_MM * mm)).toColourspace('b-w').raw().toBuffer();
  const dark = new Uint8Array(width * height);
  for (let i = 0; i < dark.length; i++) if (data[i]! < mean[i]! - MIN_INK_CONTRAST) dark[i] = 1;
  return { mean, dark, components: labelComponents(dark, width, height) };
}

interface Dot {
  x: number;
  y: number;
  pixels: Int32Array;
  box: { left: number; right: number; top: number; bottom: number };
}

/**
 * A dot this close to one ring's ink on every side (8 directions) lies in a letter's counter: the dot of a dotted
 * zero (typewriter and monospaced faces: "2000" read as "2990") or a speck in an "o"; no Vietnamese letter
 * or mark sits inside another letter, and a counter of print is at most ~2 mm across.
 */
const COUNTER_MM = 1.3;
/** A counter's dot is at most this large (wider than a leader's dot, far smaller than a letter). */
const MAX_SPECK_MM = 1;
const MAX_SPECK_AREA_MM2 = 0.6;

/**
 * Paints dotted leader lines out of an upright greyscale page (in place on a copy), with the local
 * paper level, and the dots lying inside a letter's counter (`counterPaper`: a dotted zero); returns the
 * page and how many dots of each were removed. Dots touching a letter are part of that letter's ink and stay.
 *
 * @example
 * const { image, dots, counterDots } = await removeDottedLeaders(page, 300);
 */
export async function removeDottedLeaders(page: GreyImage, dpi: number, ink?: LocalInk): Promise<{ image: GreyImage; dots: number; counterDots: number }> {
  const { data, width, height } = page;
  const mm = dpi / 25.4;
  const { mean, dark, components } = ink ?? (await localInk(page, dpi));

  const maxSide = Math.max(1, Math.round(MAX_DOT_MM * mm));
  const maxArea = Math.max(2, Math.round(MAX_DOT_AREA_MM2 * mm * mm));
  const dots: Dot[] = [];
  /** Larger pieces that may be a counter's dot (a dotted zero's is ~0.35 mm² at 12 pt). */
  const specks: Dot[] = [];
  const maxSpeckSide = Math.max(1, Math.round(MAX_SPECK_MM * mm));
  const maxSpeckArea = Math.max(2, Math.round(MAX_SPECK_AREA_MM2 * mm * mm));
  visitComponents(components, (pixels, box) => {
    const w = box.right - box.left + 1;
    const h = box.bottom - box.top + 1;
    if (pixels.length > maxSpeckArea || w > maxSpeckSide || h > maxSpeckSide) return;
    const dot = { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2, pixels: pixels.slice(), box: { ...box } };
    if (pixels.length <= maxArea && w <= maxSide && h <= maxSide) dots.push(dot);
    else specks.push(dot);
  });

  if (dots.length > (MAX_DOTS_PER_MM2 * width * height) / (mm * mm)) return { image: page, dots: 0, counterDots: 0 };
  const leaderDots = findLeaders(dots, mm);
  const inLeader = new Set(leaderDots);
  // a counter's dot is painted with the counter's own paper, the brightest pixel between it and the ring: the
  // local mean there is darkened by the ring, and a grey square left in an "0" was still read as "9"
  const candidates = [...dots, ...specks].filter((dot) => !inLeader.has(dot));
  const labels = candidates.length > 0 ? componentLabels(components, width * height) : new Int32Array(0);
  const counterDots = candidates.flatMap((dot) => {
    const paper = counterPaper(dot, data, labels, components, width, height, COUNTER_MM * mm);
    return paper === null ? [] : [{ dot, paper }];
  });
  if (leaderDots.length === 0 && counterDots.length === 0) return { image: page, dots: 0, counterDots: 0 };
  const out = Buffer.from(data);
  for (const dot of leaderDots) for (const index of dot.pixels) out[index] = Math.max(out[index]!, mean[index]!);
  for (const { dot, paper } of counterDots) {
    // its box and a pixel around it (the dot's soft edge), but never the ring's ink
    const own = new Set(dot.pixels);
    const { left, right, top, bottom } = dot.box;
    for (let y = Math.max(0, top - 1); y <= Math.min(height - 1, bottom + 1); y++) {
      for (let x = Math.max(0, left - 1); x <= Math.min(width - 1, right + 1); x++) {
        const i = y * width + x;
        if (!dark[i] || own.has(i)) out[i] = Math.max(out[i]!, paper);
      }
    }
  }
  return { image: { data: out, width, height }, dots: leaderDots.length, counterDots: counterDots.length };
}

const DIRECTIONS: readonly [number, number][] = [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]];

/** Each pixel's component index in `components`, -1 for paper. */
function componentLabels(components: Components, size: number): Int32Array {
  const labels = new Int32Array(size).fill(-1);
  for (let k = 0; k + 1 < components.starts.length; k++) {
    for (let p = components.starts[k]!; p < components.starts[k + 1]!; p++) labels[components.pixels[p]!] = k;
  }
  return labels;
}

/**
 * The counter's paper level (its brightest pixel between the dot and the ring) when the dot is inside a ring;
 * null when it is not. Inside a ring means: all 8 rays from the dot's box meet ink within `reach` pixels, all
 * of ONE component (the ring), whose box encloses the dot's. Ink near on every side is not enough: an i's dot
 * has a tall letter beside it, a ruled line above and its own stem below, each a different piece.
 */
function counterPaper(dot: Dot, grey: Uint8Array, labels: Int32Array, components: Components, width: number, height: number, reach: number): number | null {
  const { left, right, top, bottom } = dot.box;
  let paper = 0;
  let ring = -1;
  for (const [dx, dy] of DIRECTIONS) {
    // start just outside the dot's box on that side (its corner for a diagonal)
    let x = dx > 0 ? right + 1 : dx < 0 ? left - 1 : Math.round(dot.x);
    let y = dy > 0 ? bottom + 1 : dy < 0 ? top - 1 : Math.round(dot.y);
    let hit = -1;
    for (let step = 0; step <= reach; step++, x += dx, y += dy) {
      if (x < 0 || y < 0 || x >= width || y >= height) return null;
      const label = labels[y * width + x]!;
      if (label >= 0) {
        hit = label;
        break;
      }
      paper = Math.max(paper, grey[y * width + x]!);
    }
    if (hit < 0 || (ring >= 0 && hit !== ring)) return null;
    ring = hit;
  }
  const box = components.boxes[ring]!;
  if (box.left >= left || box.right <= right || box.top >= top || box.bottom <= bottom) return null;
  return paper;
}

/**
 * Dots that belong to a row of at least `MIN_LEADER_DOTS` evenly placed dots on one line, and the
 * dots of that row's size on its line between the words written over it.
 */
function findLeaders(dots: Dot[], mm: number): Dot[] {
  const minGap = MIN_GAP_MM * mm;
  const maxGap = MAX_GAP_MM * mm;
  const maxRise = MAX_RISE_MM * mm;
  const order = dots.map((_, i) => i).sort((a, b) => dots[a]!.x - dots[b]!.x);
  // Each dot links to its nearest dot to the right on the same line; chains of links are leaders.
  const next = new Int32Array(dots.length).fill(-1);
  const hasPrevious = new Uint8Array(dots.length);
  // Dots bucketed by line band, so the nearest right neighbour is found among few candidates.
  const band = Math.max(1, maxRise);
  const buckets = new Map<number, number[]>();
  for (const i of order) {
    const key = Math.floor(dots[i]!.y / band);
    const list = buckets.get(key) ?? [];
    list.push(i);
    buckets.set(key, list);
  }
  for (const i of order) {
    const dot = dots[i]!;
    const key = Math.floor(dot.y / band);
    let best = -1;
    let bestDx = Infinity;
    for (const k of [key - 1, key, key + 1]) {
      for (const j of buckets.get(k) ?? []) {
        const other = dots[j]!;
        const dx = other.x - dot.x;
        if (dx < minGap || dx > maxGap || Math.abs(other.y - dot.y) > maxRise) continue;
        if (dx < bestDx) {
          bestDx = dx;
          best = j;
        }
      }
    }
    if (best >= 0 && !hasPrevious[best]) {
      next[i] = best;
      hasPrevious[best] = 1;
    }
  }
  const chains: number[][] = [];
  for (let i = 0; i < dots.length; i++) {
    if (hasPrevious[i]) continue;
    const chain: number[] = [];
    for (let j = i; j >= 0; j = next[j]!) chain.push(j);
    if (chain.length >= MIN_LEADER_DOTS) chains.push(chain);
  }
  const inLeader = new Uint8Array(dots.length);
  for (const chain of chains) for (const j of chain) inLeader[j] = 1;
  // A value typed or written across a leader breaks it into short stretches: the dots between two words
  // (one to four of them) form no chain of their own, and Tesseract reads them as ".." inside the value.
  // A dot on a leader's line, of the leader's own size, is one of its dots wherever it lies along the line.
  const lines = chains.map((chain) => {
    const areas = chain.map((j) => dots[j]!.pixels.length).sort((a, b) => a - b);
    return { y: chain.reduce((sum, j) => sum + dots[j]!.y, 0) / chain.length, area: areas[areas.length >> 1]! };
  });
  for (let i = 0; i < dots.length; i++) {
    if (inLeader[i]) continue;
    const dot = dots[i]!;
    const area = dot.pixels.length;
    if (lines.some((l) => Math.abs(l.y - dot.y) <= maxRise / 2 && area >= l.area * MIN_AREA_RATIO && area <= l.area / MIN_AREA_RATIO)) inLeader[i] = 1;
  }
  // The lower dot of a label's colon sits on the leader's line, often right before its first dot: a dot
  // with another dot of its size right above it is a colon's (or a semicolon's) and stays. A speck of a pixel
  // or two split off a leader dot's soft edge (a grey scan's noise) is no colon's dot: taken for one, it kept
  // every fifth dot of seed 3346's leaders, read as ". . ." after the values.
  const colonBands = Math.ceil((COLON_MM * mm) / band);
  const hasDotAbove = (dot: Dot): boolean => {
    const key = Math.floor(dot.y / band);
    for (let k = key - colonBands; k <= key; k++) {
      for (const j of buckets.get(k) ?? []) {
        const rise = dot.y - dots[j]!.y;
        const sized = dots[j]!.pixels.length >= dot.pixels.length * MIN_AREA_RATIO;
        if (sized && Math.abs(dots[j]!.x - dot.x) <= maxRise && rise >= maxRise && rise <= COLON_MM * mm) return true;
      }
    }
    return false;
  };
  for (let i = 0; i < dots.length; i++) if (inLeader[i] && hasDotAbove(dots[i]!)) inLeader[i] = 0;
  return dots.filter((_, i) => inLeader[i] === 1);
}
