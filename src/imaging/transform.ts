/**
 * The geometry between a delivered page image and its clean image, and the mapping of boxes
 * between them. "Original" is the page as displayed, i.e. after its EXIF orientation is applied.
 */

export type QuarterTurn = 0 | 90 | 180 | 270;

/** A box as `[x, y, width, height]` in pixels. */
export type Box = [number, number, number, number];

export interface Size {
  width: number;
  height: number;
}

/**
 * How clean-image pixels relate to the original. Cleanup turns the original by `rotate` and
 * straightens it by `-skewDeg` in one sharp `rotate` (the canvas grows to hold the turned image,
 * uncovered corners white), keeps `crop` of that, and resizes by `scale`.
 * All zero/identity when no geometry step ran: `crop` is then the whole original.
 */
export interface CleanTransform {
  /** Quarter turn applied to the original, degrees clockwise. */
  rotate: QuarterTurn;
  /**
   * Skew of the text lines after the quarter turn, degrees clockwise (positive: lines fall to the
   * right). Cleanup rotated the page by `-skewDeg` to straighten it.
   */
  skewDeg: number;
  /** Kept region `[x, y, width, height]`, in pixels of the turned and straightened page. */
  crop: Box;
  /** Clean pixels per pixel of the turned and straightened page; 1 when not resized. */
  scale: number;
  /**
   * Only in transforms stored by cleanup before `clean-6`, which stacked the two facing pages of a spread
   * in one clean image: each part is a region of `crop` (same coordinates), placed in the clean image with
   * its top-left corner at `at`. Since then a spread is two clean pages, each with its half as `crop`, and
   * this is absent; it is still read so that boxes on old clean images map back.
   */
  parts?: CleanPart[];
}

export interface CleanPart {
  /** `[x, y, width, height]` in pixels of the turned and straightened page, inside `crop`. */
  source: Box;
  /** Where the part's top-left corner lies in the clean image. */
  at: [number, number];
}

/**
 * The transform of a clean image that is the original itself.
 *
 * @example
 * identityTransform({ width: 2067, height: 2923 }); // { rotate: 0, skewDeg: 0, crop: [0, 0, 2067, 2923], scale: 1 }
 */
export function identityTransform(size: Size): CleanTransform {
  return { rotate: 0, skewDeg: 0, crop: [0, 0, size.width, size.height], scale: 1 };
}

/** Total clockwise rotation cleanup applied, in degrees. */
export function rotationDeg(transform: CleanTransform): number {
  return transform.rotate - transform.skewDeg;
}

/**
 * Size of the canvas sharp produces when it rotates a `size` image by `angleDeg` clockwise:
 * exact swaps for quarter turns, otherwise the rounded bounding box of the turned rectangle.
 *
 * @example
 * rotatedSize({ width: 400, height: 300 }, 90); // { width: 300, height: 400 }
 * rotatedSize({ width: 400, height: 300 }, 3);  // { width: 415, height: 321 }
 */
export function rotatedSize(size: Size, angleDeg: number): Size {
  const turns = quarterTurns(angleDeg);
  if (turns !== null) return turns % 2 === 0 ? { width: size.width, height: size.height } : { width: size.height, height: size.width };
  const { minX, minY, maxX, maxY } = turnedCorners(size, angleDeg);
  return { width: Math.round(maxX - minX), height: Math.round(maxY - minY) };
}

/** 0–3 when `angleDeg` is a whole number of quarter turns (sharp turns those exactly), else null. */
function quarterTurns(angleDeg: number): number | null {
  const normalised = ((angleDeg % 360) + 360) % 360;
  return normalised % 90 === 0 ? normalised / 90 : null;
}

/** Bounding box of the image rectangle rotated about the origin, as libvips computes it. */
function turnedCorners(size: Size, angleDeg: number): { minX: number; minY: number; maxX: number; maxY: number } {
  const radians = (angleDeg * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const xs = [0, size.width * cos, -size.height * sin, size.width * cos - size.height * sin];
  const ys = [0, size.width * sin, size.height * cos, size.width * sin + size.height * cos];
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

/** Moves points between a `size` image and the canvas of its rotation by `angleDeg` clockwise. */
export interface PointTurner {
  forward(x: number, y: number): [number, number];
  inverse(x: number, y: number): [number, number];
}

/**
 * Where sharp's rotation by `angleDeg` clockwise puts each point (continuous pixel coordinates:
 * pixel `i` spans `i`…`i + 1`) of a `size` image, and back. Quarter turns are exact pixel moves;
 * other angles are libvips' affine rotation about the origin of pixel-centre coordinates, shifted
 * so that the rounded bounding box starts at 0 (checked against sharp 0.35 / libvips 8.18: within
 * 0.1 px at 3°, −7.3°, 86°, 182.4°, 266°, −95°).
 *
 * @example
 * const turner = pointTurner({ width: 400, height: 300 }, 90);
 * turner.forward(0, 0); // [300, 0]: the top-left corner goes to the top right
 */
export function pointTurner(size: Size, angleDeg: number): PointTurner {
  const { width, height } = size;
  switch (quarterTurns(angleDeg)) {
    case 0:
      return { forward: (x, y) => [x, y], inverse: (x, y) => [x, y] };
    case 1:
      return { forward: (x, y) => [height - y, x], inverse: (x, y) => [y, height - x] };
    case 2:
      return { forward: (x, y) => [width - x, height - y], inverse: (x, y) => [width - x, height - y] };
    case 3:
      return { forward: (x, y) => [y, width - x], inverse: (x, y) => [width - y, x] };
  }
  const radians = (angleDeg * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const corners = turnedCorners(size, angleDeg);
  // Output pixel centres are libvips' rotated input pixel centres, less the rounded corner offset.
  const shiftX = Math.round(corners.minX) - 0.5;
  const shiftY = Math.round(corners.minY) - 0.5;
  return {
    forward(x, y) {
      const cx = x - 0.5;
      const cy = y - 0.5;
      return [cx * cos - cy * sin - shiftX, cx * sin + cy * cos - shiftY];
    },
    inverse(x, y) {
      const cx = x + shiftX;
      const cy = y + shiftY;
      return [cx * cos + cy * sin + 0.5, -cx * sin + cy * cos + 0.5];
    },
  };
}

/**
 * Maps a point of the original image onto the clean image. On a split spread the point goes into
 * the part (page) it lies in, or the nearest one.
 *
 * @example
 * mapPointToClean([120, 40], transform, { width: 2067, height: 2923 }); // [x, y] on the clean image
 */
export function mapPointToClean(point: [number, number], transform: CleanTransform, originalSize: Size): [number, number] {
  const turner = pointTurner(originalSize, rotationDeg(transform));
  const turned = turner.forward(point[0], point[1]);
  return turnedToClean(turned, partOfTurned(transform, turned), transform.scale);
}

/**
 * Maps a point of the clean image back onto the original image; the inverse of `mapPointToClean`.
 *
 * @example
 * mapPointToOriginal(mapPointToClean([120, 40], t, size), t, size); // ≈ [120, 40]
 */
export function mapPointToOriginal(point: [number, number], transform: CleanTransform, originalSize: Size): [number, number] {
  const turned = cleanToTurned(point, partOfClean(transform, point), transform.scale);
  return pointTurner(originalSize, rotationDeg(transform)).inverse(turned[0], turned[1]);
}

/**
 * Maps a box on the clean image (e.g. an OCR word) onto the original delivered image: the
 * axis-aligned bounding box of its four mapped corners. After a deskew the box grows by about
 * `sin|skewDeg|` of its other side, because a straight box is slanted on the original. On a split
 * spread the box's centre says which page it is on.
 *
 * @example
 * const clean = await cleanPage(scan);
 * const { width, height } = await sharp(scan).rotate().metadata(); // displayed size of the original
 * const onScan = mapBoxToOriginal(word.box, clean.transform, { width, height });
 */
export function mapBoxToOriginal(box: Box, transform: CleanTransform, originalSize: Size): Box {
  const part = partOfClean(transform, [box[0] + box[2] / 2, box[1] + box[3] / 2]);
  const turner = pointTurner(originalSize, rotationDeg(transform));
  return boundingBox(corners(box).map((corner) => turner.inverse(...cleanToTurned(corner, part, transform.scale))));
}

/**
 * Maps a box on the original image (e.g. a truth box of the eval) onto the clean image: the
 * axis-aligned bounding box of its four mapped corners; the inverse of `mapBoxToOriginal` up to
 * that growth.
 *
 * @example
 * const onClean = mapBoxToClean([412, 880, 300, 48], clean.transform, { width: 2067, height: 2923 });
 */
export function mapBoxToClean(box: Box, transform: CleanTransform, originalSize: Size): Box {
  const turner = pointTurner(originalSize, rotationDeg(transform));
  const turned = corners(box).map(([x, y]) => turner.forward(x, y));
  const centre: [number, number] = [turned.reduce((sum, p) => sum + p[0], 0) / 4, turned.reduce((sum, p) => sum + p[1], 0) / 4];
  const part = partOfTurned(transform, centre);
  return boundingBox(turned.map((point) => turnedToClean(point, part, transform.scale)));
}

function turnedToClean([x, y]: [number, number], part: CleanPart, scale: number): [number, number] {
  return [(x - part.source[0]) * scale + part.at[0], (y - part.source[1]) * scale + part.at[1]];
}

function cleanToTurned([x, y]: [number, number], part: CleanPart, scale: number): [number, number] {
  return [(x - part.at[0]) / scale + part.source[0], (y - part.at[1]) / scale + part.source[1]];
}

/** The part holding (or nearest to) a point of the turned page; the whole crop for a single page. */
function partOfTurned(transform: CleanTransform, [x, y]: [number, number]): CleanPart {
  return nearestPart(transform, (part) => distanceToBox(x, y, part.source));
}

/** The part holding (or nearest to) a point of the clean image. */
function partOfClean(transform: CleanTransform, [x, y]: [number, number]): CleanPart {
  const { scale } = transform;
  return nearestPart(transform, ({ source, at }) => distanceToBox(x, y, [at[0], at[1], source[2] * scale, source[3] * scale]));
}

function nearestPart(transform: CleanTransform, distance: (part: CleanPart) => number): CleanPart {
  if (!transform.parts || transform.parts.length === 0) return { source: transform.crop, at: [0, 0] };
  let best = transform.parts[0]!;
  let bestDistance = distance(best);
  for (const part of transform.parts.slice(1)) {
    const d = distance(part);
    if (d < bestDistance) {
      best = part;
      bestDistance = d;
    }
  }
  return best;
}

/** 0 inside the box (its edges included), else the distance to it. */
function distanceToBox(x: number, y: number, [left, top, width, height]: Box): number {
  const dx = Math.max(left - x, 0, x - (left + width));
  const dy = Math.max(top - y, 0, y - (top + height));
  return Math.hypot(dx, dy);
}

function corners([x, y, w, h]: Box): [number, number][] {
  return [
    [x, y],
    [x + w, y],
    [x, y + h],
    [x + w, y + h],
  ];
}

function boundingBox(points: [number, number][]): Box {
  const xs = points.map((point) => point[0]);
  const ys = points.map((point) => point[1]);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return [left, top, Math.max(...xs) - left, Math.max(...ys) - top];
}

/**
 * Maps onto the clean image a box that is the axis-aligned bounding box of a rectangle lying along
 * the original's text lines (as a truth line of a skewed scan is given): the rectangle's own size is
 * recovered by undoing the bounding-box growth of the transform's skew, and placed straight around the
 * mapped centre. `mapBoxToClean` would grow such a box a second time, so on a 2° skew a long line's box
 * would cover its neighbours. Falls back to `mapBoxToClean` when the box cannot be such a rectangle.
 *
 * @example
 * // A 3000×60 line skewed by 2.3°: its bounding box on the scan is ~3000×180.
 * mapLineBoxToClean([100, 400, 2999, 180], { rotate: 0, skewDeg: 2.3, crop, scale: 1 }, size); // ≈ 3000×60
 */
export function mapLineBoxToClean(box: Box, transform: CleanTransform, originalSize: Size): Box {
  const radians = (Math.abs(transform.skewDeg) * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const determinant = cos * cos - sin * sin;
  const [, , width, height] = box;
  // Bounding box of an a×b rectangle turned by θ: (a cos + b sin) × (a sin + b cos); solved for a and b.
  const alongX = (width * cos - height * sin) / determinant;
  const alongY = (height * cos - width * sin) / determinant;
  if (radians === 0 || !(alongX > 0 && alongY > 0)) return mapBoxToClean(box, transform, originalSize);
  const [cx, cy] = mapPointToClean([box[0] + width / 2, box[1] + height / 2], transform, originalSize);
  const sideways = transform.rotate === 90 || transform.rotate === 270;
  const w = (sideways ? alongY : alongX) * transform.scale;
  const h = (sideways ? alongX : alongY) * transform.scale;
  return [cx - w / 2, cy - h / 2, w, h];
}

/** A page's scan and clean image sizes, its clean transform, and whether its scan holds the facing page too. */
export interface ScanGeometry {
  halfOfSpread: boolean;
  transform: CleanTransform | null;
  width: number | null;
  height: number | null;
  cleanWidth: number | null;
  cleanHeight: number | null;
}

/**
 * The page's own part of its scan when the scan holds a spread of two pages (cleanup split it: each page keeps its
 * half as its transform's crop), so that neither an entry's PDF nor a person's view of the scan shows the facing
 * page and its entries. Null: the whole scan is the page.
 */
export function ownRegionOfScan(page: ScanGeometry): Box | null {
  const { transform, width, height, cleanWidth, cleanHeight } = page;
  if (!page.halfOfSpread || !transform || !width || !height || !cleanWidth || !cleanHeight) return null;
  const [x, y, w, h] = mapBoxToOriginal([0, 0, cleanWidth, cleanHeight], transform, { width, height });
  const left = Math.max(0, Math.floor(x));
  const top = Math.max(0, Math.floor(y));
  const right = Math.min(width, Math.ceil(x + w));
  const bottom = Math.min(height, Math.ceil(y + h));
  return right - left > 0 && bottom - top > 0 ? [left, top, right - left, bottom - top] : null;
}
