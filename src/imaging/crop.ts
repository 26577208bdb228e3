/**
 * Finding the page inside a scanner frame (the lid, the book edge or black margins around it),
 * and painting out what is left of the frame inside the crop.
 */
import type { GreyImage } from './analysis.ts';
import type { InkPoints } from './deskew.ts';
import type { Box, Size } from './transform.ts';

/** Rows (columns) count as page when at least this share of them is inside the page. */
const PAGE_COVERAGE = 0.5;
/** Ink is never closer than this to the crop edge, in analysis pixels (~1.5 mm at analysis scale). */
const INK_MARGIN = 6;
/** The page edge itself is often a shadow or a torn line: the crop stays this far inside it. */
const EDGE_INSET = 2;
/** Frame left inside the crop is painted out this far beyond its edge (its shadow), in analysis pixels… */
const PAINT_GROWTH = 2;
/** …but never within this distance of ink. */
const PAINT_INK_CLEARANCE = 2;

/** A mask on the analysis grid: 1 for pixels outside the page. */
export interface OutsideMask extends Size {
  mask: Uint8Array;
}

export interface PageCrop {
  /** `[x, y, width, height]` in analysis pixels. */
  box: Box;
  /** Share of the image the crop removes, 0..1. */
  removed: number;
  /**
   * Analysis pixels inside `box` where frame is left: wedges beside a page that is not quite
   * rectangular or not quite straight, and the page edge's shadow. OCR reads their edges as "."
   * and "_", so they are painted with the paper's grey. Indexes into the analysis grid.
   */
  remnants: number[];
}

/**
 * The page rectangle, on the analysis grid of a page already turned and straightened, from its
 * outside-page mask (corners uncovered by straightening count as outside), or null when nothing
 * is outside the page. The rectangle holds the rows and columns that are mostly page, stays just
 * inside the page edge, and then grows as far as needed to keep every ink pixel (`ink`, same
 * grid) `INK_MARGIN` away from its edge: cropping never cuts text.
 *
 * @example
 * const crop = findPageCrop(turnedOutside, turnedInk);
 * if (crop) image = image.extract(toImagePixels(crop.box));
 */
export function findPageCrop(outside: OutsideMask, ink: InkPoints): PageCrop | null {
  const { mask, width, height } = outside;
  let outsideCount = 0;
  for (let i = 0; i < mask.length; i++) outsideCount += mask[i]!;
  if (outsideCount === 0) return null;

  const rowFill = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    let inside = 0;
    for (let x = 0, i = y * width; x < width; x++, i++) inside += 1 - mask[i]!;
    rowFill[y] = inside / width;
  }
  const rows = coveredSpan(rowFill);
  if (!rows) return null;
  const columnFill = new Float64Array(width);
  for (let y = rows.first; y <= rows.last; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) columnFill[x] = columnFill[x]! + 1 - mask[i]!;
  }
  for (let x = 0; x < width; x++) columnFill[x] = columnFill[x]! / (rows.last - rows.first + 1);
  const columns = coveredSpan(columnFill);
  if (!columns) return null;

  let left = Math.min(columns.first + EDGE_INSET, columns.last);
  let top = Math.min(rows.first + EDGE_INSET, rows.last);
  let right = Math.max(columns.last + 1 - EDGE_INSET, left + 1);
  let bottom = Math.max(rows.last + 1 - EDGE_INSET, top + 1);
  for (let i = 0; i < ink.count; i++) {
    const x = ink.xy[2 * i]!;
    const y = ink.xy[2 * i + 1]!;
    left = Math.min(left, Math.floor(x - INK_MARGIN));
    top = Math.min(top, Math.floor(y - INK_MARGIN));
    right = Math.max(right, Math.ceil(x + 1 + INK_MARGIN));
    bottom = Math.max(bottom, Math.ceil(y + 1 + INK_MARGIN));
  }
  left = Math.max(0, left);
  top = Math.max(0, top);
  right = Math.min(width, right);
  bottom = Math.min(height, bottom);
  const box: Box = [left, top, right - left, bottom - top];
  return { box, removed: 1 - (box[2] * box[3]) / (width * height), remnants: frameRemnants(outside, ink, box) };
}

/**
 * Analysis pixels inside `box` within `PAINT_GROWTH` of the outside mask and not within
 * `PAINT_INK_CLEARANCE` of ink. Visits only the neighbourhoods of outside pixels in the box, which
 * are few once the frame is cropped away.
 */
function frameRemnants({ mask, width, height }: OutsideMask, ink: InkPoints, [left, top, boxWidth, boxHeight]: Box): number[] {
  const right = left + boxWidth;
  const bottom = top + boxHeight;
  const nearInk = new Uint8Array(width * height);
  for (let i = 0; i < ink.count; i++) {
    const x = Math.round(ink.xy[2 * i]!);
    const y = Math.round(ink.xy[2 * i + 1]!);
    for (let dy = -PAINT_INK_CLEARANCE; dy <= PAINT_INK_CLEARANCE; dy++) {
      for (let dx = -PAINT_INK_CLEARANCE; dx <= PAINT_INK_CLEARANCE; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= 0 && nx < width && ny >= 0 && ny < height) nearInk[ny * width + nx] = 1;
      }
    }
  }
  const paint = new Uint8Array(width * height);
  const remnants: number[] = [];
  // Outside pixels just beyond the box still shade the pixels just inside it.
  for (let y = Math.max(0, top - PAINT_GROWTH); y < Math.min(height, bottom + PAINT_GROWTH); y++) {
    for (let x = Math.max(0, left - PAINT_GROWTH); x < Math.min(width, right + PAINT_GROWTH); x++) {
      if (!mask[y * width + x]) continue;
      for (let ny = Math.max(top, y - PAINT_GROWTH); ny <= Math.min(bottom - 1, y + PAINT_GROWTH); ny++) {
        for (let nx = Math.max(left, x - PAINT_GROWTH); nx <= Math.min(right - 1, x + PAINT_GROWTH); nx++) {
          const index = ny * width + nx;
          if (paint[index] || nearInk[index]) continue;
          paint[index] = 1;
          remnants.push(index);
        }
      }
    }
  }
  return remnants;
}

/**
 * Paints the frame remnants of `crop` onto the cropped full-resolution page (in place) with the
 * paper's grey: each remnant analysis pixel covers a small block of page pixels. `analysisWidth`
 * is the width of the analysis grid the crop was found on. Returns the share of pixels painted.
 *
 * @example
 * const share = paintFrameRemnants(croppedPage, crop, turnedAnalysisWidth, 231);
 */
export function paintFrameRemnants(page: GreyImage, crop: PageCrop, analysisWidth: number, paperLevel: number): number {
  const [left, top, boxWidth, boxHeight] = crop.box;
  const scaleX = page.width / boxWidth;
  const scaleY = page.height / boxHeight;
  let painted = 0;
  for (const index of crop.remnants) {
    const ax = (index % analysisWidth) - left;
    const ay = Math.floor(index / analysisWidth) - top;
    const x1 = Math.min(page.width, Math.ceil((ax + 1) * scaleX));
    const y1 = Math.min(page.height, Math.ceil((ay + 1) * scaleY));
    for (let y = Math.max(0, Math.floor(ay * scaleY)); y < y1; y++) {
      for (let x = Math.max(0, Math.floor(ax * scaleX)); x < x1; x++) {
        const i = y * page.width + x;
        if (page.data[i] !== paperLevel) {
          page.data[i] = paperLevel;
          painted++;
        }
      }
    }
  }
  return painted / page.data.length;
}

/** First and last index whose fill reaches `PAGE_COVERAGE` of the fullest; null if none is filled. */
function coveredSpan(fill: Float64Array): { first: number; last: number } | null {
  let max = 0;
  for (const value of fill) max = Math.max(max, value);
  if (max === 0) return null;
  const threshold = Math.max(PAGE_COVERAGE * max, 0.05);
  let first = -1;
  let last = -1;
  for (let i = 0; i < fill.length; i++) {
    if (fill[i]! >= threshold) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? null : { first, last };
}
