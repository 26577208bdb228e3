/**
 * Pages scanned twice, told by their pixels: the ink of a cleaned page at a coarse grid, compared within a
 * book after taking away the ink every page shares (the printed form, rules and headings). A second scan
 * is placed, skewed and lit differently, but once cleaned its written values sit where the first scan's
 * do; another page of the same book shares only the form. This finds rescans of hand-written pages, whose
 * entry and page numbers are not read surely enough for the number checks.
 */
import sharp from 'sharp';

/** Cells across the page: on A4 a cell is about 0.65 mm, a third of a line of text. */
const FINGERPRINT_WIDTH = 320;
/**
 * A cell holds ink when it is darker than the page's paper (its median cell) by this share of the page's contrast (the
 * paper against its darkest cells, INK_QUANTILE), and by INK_FLOOR grey levels at least (a blank page's noise). On a
 * white page of black writing that is about the 24 levels measured from white before; a faint or yellowed scan keeps
 * its writing (seed 3306 b08: paper 230, writing 46 levels darker, where 24 levels from white had made every cell ink).
 */
const INK_SHARE = 0.35;
const INK_FLOOR = 12;
const INK_QUANTILE = 0.03;
/** Dark ink: this share of the contrast. Writing on the back showing through (bleed-through) is fainter. */
const DARK_SHARE = 0.6;
/** Cells two scans of one page may be shifted by after cleanup's crop (about 5 mm on A4). */
const MAX_SHIFT = 8;
/** A cell inked on at least this share of a book's pages belongs to the form, not to what was written on it. */
const FORM_SHARE = 0.5;
/** Pages whose written ink meets each other's at least this much are one page scanned twice (see BENCHMARKS.md). */
export const RESCAN_SIMILARITY = 0.93;

export interface PageFingerprint {
  width: number;
  height: number;
  /** One bit per cell, row by row; each row starts a new 32-bit word. */
  bits: Uint32Array;
  /**
   * The cells of dark ink only (DARK_SHARE of the way from the paper to the page's ink), laid out as `bits`: what a
   * page's ink is counted by, where `bits` is what it may meet (bleed-through, a faint edge of a stroke shifted by
   * part of a cell). Absent in fingerprints stored before it (then `bits`).
   */
  strong?: Uint32Array;
}

const wordsPerRow = (width: number) => Math.ceil(width / 32);

/** The fingerprint of a cleaned page image (any format sharp reads). */
export async function fingerprintPage(image: Buffer): Promise<PageFingerprint> {
  const { data, info } = await sharp(image).greyscale().resize({ width: FINGERPRINT_WIDTH, kernel: 'linear' }).raw().toBuffer({ resolveWithObject: true });
  const perRow = wordsPerRow(info.width);
  const bits = new Uint32Array(perRow * info.height);
  const strong = new Uint32Array(perRow * info.height);
  const { paper, ink } = greysOf(data, info.channels);
  const faint = Math.max(INK_FLOOR, INK_SHARE * (paper - ink));
  const dark = Math.max(faint, DARK_SHARE * (paper - ink));
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const darkness = paper - data[(y * info.width + x) * info.channels]!;
      if (darkness >= faint) bits[y * perRow + (x >>> 5)]! |= 1 << (x & 31);
      if (darkness >= dark) strong[y * perRow + (x >>> 5)]! |= 1 << (x & 31);
    }
  }
  return { width: info.width, height: info.height, bits, strong };
}

/**
 * The paper's grey, the median of the page's cells (most of a page is paper), and its ink's, a low quantile. Cleanup
 * does not always bring a yellowed or faint scan's paper to white (seed 3306 b08, b10: paper at 214–233): measured
 * from white, every cell of such a page was ink and the page was left out, its second scan with it.
 */
function greysOf(data: Buffer, channels: number): { paper: number; ink: number } {
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < data.length; i += channels) counts[data[i]!]!++;
  const cells = data.length / channels;
  const quantile = (share: number) => {
    let seen = 0;
    for (let grey = 0; grey < 256; grey++) if ((seen += counts[grey]!) >= share * cells) return grey;
    return 255;
  };
  return { paper: quantile(0.5), ink: quantile(INK_QUANTILE) };
}

export function encodeFingerprint(f: PageFingerprint): Buffer {
  const strong = f.strong ?? f.bits;
  const out = Buffer.alloc(4 + f.bits.byteLength + strong.byteLength);
  out.writeUInt16LE(f.width, 0);
  out.writeUInt16LE(f.height, 2);
  Buffer.from(f.bits.buffer, f.bits.byteOffset, f.bits.byteLength).copy(out, 4);
  Buffer.from(strong.buffer, strong.byteOffset, strong.byteLength).copy(out, 4 + f.bits.byteLength);
  return out;
}

export function decodeFingerprint(buffer: Buffer): PageFingerprint {
  const width = buffer.readUInt16LE(0);
  const height = buffer.readUInt16LE(2);
  const bits = new Uint32Array(wordsPerRow(width) * height);
  Buffer.from(bits.buffer).set(buffer.subarray(4, 4 + bits.byteLength));
  // a fingerprint stored before the dark ink was kept has its one plane only
  if (buffer.length < 4 + 2 * bits.byteLength) return { width, height, bits };
  const strong = new Uint32Array(bits.length);
  Buffer.from(strong.buffer).set(buffer.subarray(4 + bits.byteLength, 4 + 2 * bits.byteLength));
  return { width, height, bits, strong };
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const bitAt = (f: PageFingerprint, x: number, y: number) => (f.bits[y * wordsPerRow(f.width) + (x >>> 5)]! >>> (x & 31)) & 1;

/** Each ink cell grown by one cell in every direction: a stroke one cell off still meets it. */
function grow(f: PageFingerprint): PageFingerprint {
  const perRow = wordsPerRow(f.width);
  const bits = new Uint32Array(f.bits.length);
  for (let y = 0; y < f.height; y++) {
    for (let w = 0; w < perRow; w++) {
      let v = 0;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(f.height - 1, y + 1); yy++) {
        const i = yy * perRow + w;
        const word = f.bits[i]!;
        v |= word | (word << 1) | (word >>> 1);
        if (w > 0) v |= f.bits[i - 1]! >>> 31;
        if (w + 1 < perRow) v |= f.bits[i + 1]! << 31;
      }
      bits[y * perRow + w] = v;
    }
  }
  return { ...f, bits };
}

/** 32 cells of row `y` starting at cell `x` (cells outside the page are blank). */
function wordAt(f: PageFingerprint, y: number, x: number): number {
  if (y < 0 || y >= f.height) return 0;
  const perRow = wordsPerRow(f.width);
  const start = y * perRow;
  const w = Math.floor(x / 32);
  const s = x - w * 32;
  const lo = w >= 0 && w < perRow ? f.bits[start + w]! : 0;
  if (s === 0) return lo;
  const hi = w + 1 >= 0 && w + 1 < perRow ? f.bits[start + w + 1]! : 0;
  return (lo >>> s) | (hi << (32 - s));
}

const inkOf = (f: PageFingerprint) => f.bits.reduce((n, word) => n + popcount(word), 0);

/** Ink cells of `a` that meet ink of `bGrown` when `b` is moved by (dx, dy). */
function covered(a: PageFingerprint, bGrown: PageFingerprint, dx: number, dy: number): number {
  const perRow = wordsPerRow(a.width);
  let hit = 0;
  for (let y = 0; y < a.height; y++) {
    for (let w = 0; w < perRow; w++) {
      const word = a.bits[y * perRow + w]!;
      if (word !== 0) hit += popcount(word & wordAt(bGrown, y - dy, w * 32 - dx));
    }
  }
  return hit;
}

/** Ink per row and per column. */
function profiles(f: PageFingerprint): { rows: Float64Array; cols: Float64Array } {
  const rows = new Float64Array(f.height);
  const cols = new Float64Array(f.width);
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      if (bitAt(f, x, y)) {
        rows[y]!++;
        cols[x]!++;
      }
    }
  }
  return { rows, cols };
}

/** The shift of `b` against `a` that lines their profiles up best, and how well (cosine, 0..1). */
function bestShift(a: Float64Array, b: Float64Array): { shift: number; cosine: number } {
  let best = { shift: 0, cosine: 0 };
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const na = norm(a);
  const nb = norm(b);
  if (na === 0 || nb === 0) return best;
  for (let d = -MAX_SHIFT; d <= MAX_SHIFT; d++) {
    let dot = 0;
    for (let i = Math.max(0, d); i < Math.min(a.length, b.length + d); i++) dot += a[i]! * b[i - d]!;
    if (dot / (na * nb) > best.cosine) best = { shift: d, cosine: dot / (na * nb) };
  }
  return best;
}

interface Written {
  ink: number;
  cells: PageFingerprint;
  grown: PageFingerprint;
  /** The dark ink's cells (`strong`), and how many: what is counted against the other page's grown ink. */
  dark: PageFingerprint;
  darkInk: number;
  profiles: { rows: Float64Array; cols: Float64Array };
}

/**
 * How alike two pages' written ink is, 0..1: the share of each page's dark ink cells that meet ink of the other
 * at the shift that lines them up, the smaller of the two (little ink must not pass for a page that has all of it).
 * Dark ink counted, any ink met: a stroke's faint edge a part of a cell away, or writing on the back showing
 * through one scan, does not count against a second scan (seed 3306 b08: 0.75 with bleed-through on one scan).
 */
function similarity(a: Written, b: Written): number {
  if (a.darkInk === 0 || b.darkInk === 0 || Math.min(a.ink, b.ink) / Math.max(a.ink, b.ink) < 0.6) return 0;
  const dy = bestShift(a.profiles.rows, b.profiles.rows);
  const dx = bestShift(a.profiles.cols, b.profiles.cols);
  // different writing on one form lines up poorly row by row; only a close pair is compared cell by cell
  if (dy.cosine < 0.7 || dx.cosine < 0.7) return 0;
  let best = 0;
  for (let ey = -1; ey <= 1; ey++) {
    for (let ex = -1; ex <= 1; ex++) {
      const sx = dx.shift + ex;
      const sy = dy.shift + ey;
      best = Math.max(best, Math.min(covered(a.dark, b.grown, sx, sy) / a.darkInk, covered(b.dark, a.grown, -sx, -sy) / b.darkInk));
    }
  }
  return best;
}

interface Placed {
  fingerprint: PageFingerprint;
  /** Where the page lies against the group's first page, in cells: its cell (x, y) is the first page's (x - dx, y - dy). */
  dx: number;
  dy: number;
}

/**
 * Cells inked on at least FORM_SHARE of the pages and on three at least, in the first page's place, grown
 * twice: each page is first lined up with the first by their whole ink, which the printed form dominates.
 */
function formInk(pages: readonly Placed[]): PageFingerprint {
  const first = pages[0]!.fingerprint;
  const counts = new Uint16Array(first.width * first.height);
  for (const { fingerprint: p, dx, dy } of pages) {
    for (let y = 0; y < first.height; y++) {
      for (let x = 0; x < first.width; x++) {
        const px = x + dx;
        const py = y + dy;
        if (px >= 0 && py >= 0 && px < p.width && py < p.height && bitAt(p, px, py)) counts[y * first.width + x]!++;
      }
    }
  }
  const perRow = wordsPerRow(first.width);
  const bits = new Uint32Array(perRow * first.height);
  for (let y = 0; y < first.height; y++) {
    for (let x = 0; x < first.width; x++) if (counts[y * first.width + x]! >= Math.max(3, FORM_SHARE * pages.length)) bits[y * perRow + (x >>> 5)]! |= 1 << (x & 31);
  }
  return grow(grow({ width: first.width, height: first.height, bits }));
}

/** The page's ink outside the form, the form moved to where the page lies. */
function written({ fingerprint: f, dx, dy }: Placed, form: PageFingerprint): Written {
  const perRow = wordsPerRow(f.width);
  const bits = new Uint32Array(f.bits.length);
  const strong = f.strong ?? f.bits;
  const darkBits = new Uint32Array(f.bits.length);
  for (let y = 0; y < f.height; y++) {
    for (let w = 0; w < perRow; w++) {
      const notForm = ~wordAt(form, y - dy, w * 32 - dx);
      bits[y * perRow + w] = f.bits[y * perRow + w]! & notForm;
      darkBits[y * perRow + w] = strong[y * perRow + w]! & notForm;
    }
  }
  const cells = { width: f.width, height: f.height, bits };
  const dark = { width: f.width, height: f.height, bits: darkBits };
  return { ink: inkOf(cells), cells, grown: grow(cells), dark, darkInk: inkOf(dark), profiles: profiles(cells) };
}

export interface FingerprintedPage {
  pageId: number;
  /** The upload it came in: within one, a page is compared only with the RESCAN_WINDOW pages before it. */
  batch: number;
  fingerprint: PageFingerprint;
}

/**
 * Pages whose heights (at the same width) differ by at most this share are pages of one size: cleanup crops each scan
 * a little differently (seed 3306 b08: 223 to 234 cells), where a spread or a page turned differs by half or more.
 * Rounding heights to 20 cells had put a rescan and its first scan in a group of two, never compared.
 */
const SAME_SIZE = 0.06;

/** A page rescanned in the same upload follows its first scan within this many pages. */
const RESCAN_WINDOW = 12;

/**
 * Of a book's pages in delivery order, each page whose written ink repeats an earlier page's, with that page
 * and the similarity. Pages are compared with pages of the same size only (a spread is not a single page),
 * and only where three pages or more of that size show what their form is.
 */
export function findRescannedPages(
  pages: readonly FingerprintedPage[],
  /** Sees every pair compared (calibration). */
  onPair?: (earlier: number, later: number, similarity: number) => void,
): { pageId: number; of: number; similarity: number }[] {
  const found: { pageId: number; of: number; similarity: number }[] = [];
  const bySize: FingerprintedPage[][] = [];
  for (const p of pages) {
    // a page more than half dark was not cleaned into a readable page: it says nothing of the form
    if (inkOf(p.fingerprint) > 0.5 * p.fingerprint.width * p.fingerprint.height) continue;
    const size = bySize.find(([first]) => first!.fingerprint.width === p.fingerprint.width && Math.abs(first!.fingerprint.height - p.fingerprint.height) <= SAME_SIZE * first!.fingerprint.height);
    if (size) size.push(p);
    else bySize.push([p]);
  }
  for (const group of bySize) {
    // without the form taken away, any two pages of one printed form look alike
    if (group.length < 3) continue;
    const reference = profiles(group[0]!.fingerprint);
    const placed = group.map(({ fingerprint }): Placed => {
      const own = profiles(fingerprint);
      return { fingerprint, dx: bestShift(own.cols, reference.cols).shift, dy: bestShift(own.rows, reference.rows).shift };
    });
    const form = formInk(placed);
    const ink = placed.map((p) => written(p, form));
    const rescans = new Set<number>();
    for (let j = 1; j < group.length; j++) {
      for (let i = 0; i < j; i++) {
        if (rescans.has(i) || (group[i]!.batch === group[j]!.batch && j - i > RESCAN_WINDOW)) continue;
        const s = similarity(ink[i]!, ink[j]!);
        onPair?.(group[i]!.pageId, group[j]!.pageId, s);
        if (s >= RESCAN_SIMILARITY) {
          found.push({ pageId: group[j]!.pageId, of: group[i]!.pageId, similarity: s });
          rescans.add(j);
          break;
        }
      }
    }
  }
  return found;
}
