/**
 * Skew of text lines by projection profiles: ink pixels are projected onto the normal of a
 * candidate line direction, and the direction whose profile is most peaked (sum of squared bin
 * counts) is the one along which text lines run.
 */

/** Ink pixel coordinates, x and y interleaved, in analysis pixels. */
export interface InkPoints {
  xy: Float32Array;
  count: number;
  width: number;
  height: number;
}

export interface SkewEstimate {
  /** Clockwise skew of the text lines, degrees: positive when lines fall to the right. */
  angleDeg: number;
  /**
   * How concentrated the straightened profile is: mean number of ink pixels sharing a pixel's
   * row, divided by the same for a profile with every row equally full. ~1 for no line structure.
   */
  peakiness: number;
}

/** Enough ink pixels for a stable estimate; more only costs time. */
const MAX_POINTS = 60_000;
/** Fewer ink pixels than this (about one short word at analysis scale) give no estimate. */
export const MIN_POINTS = 300;
const COARSE_STEP = 0.25;
const FINE_STEP = 0.02;
/** The coarse scan reads every 4th point: enough to find the right quarter degree. */
const COARSE_STRIDE = 4;

/**
 * Ink pixels of a mask as points, evenly thinned to at most `maxPoints` (every k-th pixel in
 * raster order, which keeps every line represented).
 *
 * @example
 * inkPoints(Uint8Array.from([0, 1, 1, 0]), 2, 2); // { xy: [1, 0, 0, 1], count: 2, width: 2, height: 2 }
 */
export function inkPoints(ink: Uint8Array, width: number, height: number, maxPoints = MAX_POINTS): InkPoints {
  let total = 0;
  for (let i = 0; i < ink.length; i++) total += ink[i]!;
  const stride = Math.max(1, Math.ceil(total / maxPoints));
  const xy = new Float32Array(2 * Math.ceil(total / stride));
  let seen = 0;
  let count = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (!ink[i] || seen++ % stride !== 0) continue;
      xy[2 * count] = x;
      xy[2 * count + 1] = y;
      count++;
    }
  }
  return { xy, count, width, height };
}

/**
 * The same points on the image turned a quarter clockwise (x' = height − 1 − y, y' = x).
 *
 * @example
 * const columnsAsRows = estimateSkew(turnPointsClockwise(points));
 */
export function turnPointsClockwise(points: InkPoints): InkPoints {
  const xy = new Float32Array(points.xy.length);
  for (let i = 0; i < points.count; i++) {
    xy[2 * i] = points.height - 1 - points.xy[2 * i + 1]!;
    xy[2 * i + 1] = points.xy[2 * i]!;
  }
  return { xy, count: points.count, width: points.height, height: points.width };
}

/**
 * Row profile of the points after straightening a clockwise skew of `angleDeg`, reading every
 * `stride`-th point: bin `i` counts the points at distance `i − offset` from the top, measured
 * across the lines (the point turned back by the skew, then its y).
 *
 * @example
 * const { bins } = straightenedProfile(points, 2.4); // one peak per text line
 */
export function straightenedProfile(points: InkPoints, angleDeg: number, stride = 1): { bins: Float64Array; offset: number } {
  const radians = (angleDeg * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const offset = Math.ceil(Math.abs(sin) * points.width) + 1;
  const bins = new Float64Array(Math.ceil(points.height + 2 * offset + 2));
  const { xy, count } = points;
  // Non-negative by construction of `offset`, so truncation rounds to the nearest bin.
  const shift = offset + 0.5;
  for (let i = 0; i < count; i += stride) bins[(-xy[2 * i]! * sin + xy[2 * i + 1]! * cos + shift) | 0]! += 1;
  return { bins, offset };
}

function profileScore(points: InkPoints, angleDeg: number, stride: number): number {
  const { bins } = straightenedProfile(points, angleDeg, stride);
  let sum = 0;
  for (let i = 0; i < bins.length; i++) sum += bins[i]! * bins[i]!;
  return sum;
}

/** The angle from `from` to `to` (every `step`) with the most peaked profile. */
function bestAngle(points: InkPoints, from: number, to: number, step: number, stride: number): number {
  let best = from;
  let bestScore = -1;
  for (let angle = from; angle <= to + 1e-9; angle += step) {
    const score = profileScore(points, angle, stride);
    if (score > bestScore) {
      bestScore = score;
      best = angle;
    }
  }
  return best;
}

/**
 * The clockwise skew in `[-maxDeg, maxDeg]` along which the points line up best: a coarse scan
 * every 0.25° on a quarter of the points, then a fine scan every 0.02° on all of them around the
 * best coarse angle. Null with too little ink (under `MIN_POINTS`).
 *
 * @example
 * const skew = estimateSkew(inkPoints(ink, width, height));
 * skew?.angleDeg; // e.g. 2.38: rotate by -2.38° to straighten
 */
export function estimateSkew(points: InkPoints, maxDeg = 10): SkewEstimate | null {
  if (points.count < MIN_POINTS) return null;
  // Half a step past the range, so an angle at the limit is still bracketed.
  const coarse = bestAngle(points, -maxDeg - COARSE_STEP, maxDeg + COARSE_STEP, COARSE_STEP, COARSE_STRIDE);
  const fine = bestAngle(points, coarse - COARSE_STEP, coarse + COARSE_STEP, FINE_STEP, 1);
  const angleDeg = Math.max(-maxDeg, Math.min(maxDeg, Math.round(fine * 100) / 100));
  return { angleDeg, peakiness: peakiness(points, angleDeg) };
}

/**
 * Mean row fill seen by an ink pixel, relative to a profile whose rows are all equally full over
 * the span holding the middle 98% of the ink (so a stray speck far away does not count).
 *
 * @example
 * peakiness(points, skew.angleDeg); // ~2 for printed lines, ~1 for noise or a photo
 */
export function peakiness(points: InkPoints, angleDeg: number): number {
  return profilePeakiness(straightenedProfile(points, angleDeg).bins, points.count);
}

/** `peakiness` of one row profile holding `count` ink pixels; 0 for an empty profile. */
export function profilePeakiness(bins: ArrayLike<number>, count: number): number {
  if (count === 0) return 0;
  let sum = 0;
  let seen = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < bins.length; i++) {
    sum += bins[i]! * bins[i]!;
    seen += bins[i]!;
    if (first < 0 && seen > 0.01 * count) first = i;
    if (last < 0 && seen >= 0.99 * count) last = i;
  }
  return sum / count / (count / (last - first + 1));
}
