/**
 * Page orientation (0/90/180/270°) from the shape of text lines, without OCR.
 *
 * Lines or columns: straightened text lines make a peaked row profile, while the column profile
 * of the same ink stays flat, so the direction with the more peaked profile is the reading
 * direction. Upright or upside down: Vietnamese (and Latin) lines carry much more ink above the
 * x-height band (capitals, ascenders, and most of all the tone and vowel marks) than below the
 * baseline (descenders and the dot of "nặng"), so the side with the heavier fringe is the top.
 */
import { estimateSkew, profilePeakiness, straightenedProfile, turnPointsClockwise, type InkPoints, type SkewEstimate } from './deskew.ts';
import type { QuarterTurn } from './transform.ts';

export interface OrientationEstimate {
  /** Quarter turn, clockwise, that makes the page upright; 0 when unsure. */
  turn: QuarterTurn;
  /** Skew of the text lines, degrees clockwise (the same before and after the turn). */
  skew: SkewEstimate;
  /** Why the turn was chosen or refused, for the stored step detail. */
  evidence: {
    /** Peakiness of row profile / column profile, each straightened. */
    linesVsColumns: number;
    /** Ink above the x-height band / ink below the baseline, over all lines, after the turn. */
    aboveVsBelow: number;
    lines: number;
  };
  /** False when the evidence was too weak and `turn` fell back to 0. */
  sure: boolean;
}

// Measured on 96 scans of rendered pages (serif, sans, mono, small type, ruled registers; 3–60
// lines; clean, faded, blurred, grainy JPEG; 150–250 dpi; all four turns) and 97 pages of a
// generated 'hard' corpus (printed forms and hand-written register tables, stains, stamps, facing
// pages; 15 turned): no turn wrong; the weakest right answers had lines/columns 1.30 and
// above/below 1.37; hand-written tables sometimes fall below (1.19–1.29) and keep their
// orientation. Blank and grain-only pages have too little ink or fewer than 3 lines.
const MIN_LINES_VS_COLUMNS = 1.3;
export const MIN_ABOVE_VS_BELOW = 1.3;
/**
 * Typed register tables (many narrow ruled columns of short lines, each cell typed on its own so its lines
 * do not line up with the next cell's) fall under the lines/columns bound while their lines still run across.
 * Measured with test/imaging/measure-orientation.ts on 443 pages of seeds 3291, 3292, 3296, 3321 and 3322 (all
 * fills): 11 fell at 1.15–1.29, the upright ones with above/below at least 1.51, and one page delivered upside
 * down (1.29, above/below 0.52) was left so, its OCR lost whole; over all 443 no page read below 1.39 the right
 * way round. There a strong up/down alone decides between upright and upside down; a quarter turn still needs
 * the axis to be sure, since turning an upright page sideways costs all of it.
 */
export const MIN_LINES_VS_COLUMNS_UPSIDE_DOWN = 1.1;
const STRONG_ABOVE_VS_BELOW = 1.6;
export const MIN_LINES = 3;
/** Width of the bands profiles are taken in: ~2.5 cm on A4, a few words of one column. */
const BAND_SHARE = 0.1;
/** Bands with less ink than this (a stray mark) do not vote. */
const MIN_BAND_INK = 50;

/**
 * Skew of the text lines whichever way they run: rows and columns are both searched, and the
 * more peaked one holds the lines (measured band by band, so that the columns of a table do not
 * pass for lines). Turning by a quarter does not change a skew, so the angle straightens a
 * sideways page too. Null without enough ink.
 *
 * @example
 * const lines = estimateLineSkew(inkPoints(ink, width, height));
 * lines?.skew.angleDeg; // rotate by minus this to straighten
 */
export function estimateLineSkew(points: InkPoints, maxSkewDeg = 10): { skew: SkewEstimate; sideways: boolean; linesVsColumns: number } | null {
  const turned = turnPointsClockwise(points);
  const rows = estimateSkew(points, maxSkewDeg);
  const columns = estimateSkew(turned, maxSkewDeg);
  if (!rows || !columns) return null;
  // Rules and text share the page's one physical skew; the stronger structure measures it best.
  const angle = rows.peakiness >= columns.peakiness ? rows.angleDeg : columns.angleDeg;
  const whole = rows.peakiness / columns.peakiness;
  const banded = bandedPeakiness(points, angle) / bandedPeakiness(turned, angle);
  // The whole-page profiles are sharpest for running text, the banded ones are not fooled by
  // table columns: the weaker of the two counts, and none when they disagree.
  const linesVsColumns = whole > 1 !== banded > 1 ? 1 : Math.abs(Math.log(whole)) < Math.abs(Math.log(banded)) ? whole : banded;
  const sideways = linesVsColumns < 1;
  return { skew: sideways ? columns : rows, sideways, linesVsColumns };
}

/**
 * Estimates which quarter turn makes the page upright from its ink points (analysis pixels).
 * Returns null without ink; a result with `sure: false` and turn 0 when the evidence is weak.
 *
 * @example
 * const orientation = estimateOrientation(inkPoints(ink, width, height));
 * if (orientation?.sure) rotateBy(orientation.turn);
 */
export function estimateOrientation(points: InkPoints, maxSkewDeg = 10): OrientationEstimate | null {
  const lines = estimateLineSkew(points, maxSkewDeg);
  if (!lines) return null;
  const { skew, sideways, linesVsColumns } = lines;
  const upright = sideways ? turnPointsClockwise(points) : points;
  const { above, below } = fringeInk(upright, skew.angleDeg);
  const lineCount = lineRuns(straightenedProfile(upright, skew.angleDeg).bins).length;
  const aboveVsBelow = below === 0 ? (above === 0 ? 1 : Infinity) : above / below;
  const axisSure = Math.max(linesVsColumns, 1 / linesVsColumns) >= MIN_LINES_VS_COLUMNS;
  const upSure = Math.max(aboveVsBelow, 1 / aboveVsBelow) >= MIN_ABOVE_VS_BELOW;
  // Lines running across, not quite surely, with a strong up/down: only upright or upside down is decided.
  const acrossLikely = !sideways && linesVsColumns >= MIN_LINES_VS_COLUMNS_UPSIDE_DOWN;
  const upStrong = Math.max(aboveVsBelow, 1 / aboveVsBelow) >= STRONG_ABOVE_VS_BELOW;
  const sure = ((axisSure && upSure) || (acrossLikely && upStrong)) && lineCount >= MIN_LINES;
  const evidence = { linesVsColumns: round(linesVsColumns), aboveVsBelow: round(aboveVsBelow), lines: lineCount };
  // Unsure: no turn, but the skew still straightens the lines, whichever way they run.
  if (!sure) return { turn: 0, skew, evidence, sure: false };
  const upsideDown = aboveVsBelow < 1;
  const turn: QuarterTurn = sideways ? (upsideDown ? 270 : 90) : upsideDown ? 180 : 0;
  return { turn, skew, evidence, sure: true };
}

/**
 * The points straightened by `angleDeg` and cut into bands along the lines, each band `BAND_SHARE`
 * of the image's long side wide: the row profile of every band (bins across the lines). Lines of
 * one table column or text column line up within a band even when neighbouring columns do not.
 */
function bandProfiles(points: InkPoints, angleDeg: number): Float64Array[] {
  const radians = (angleDeg * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const offset = Math.ceil(Math.abs(sin) * points.width) + 1;
  const rows = Math.ceil(points.height + 2 * offset + 2);
  const bandWidth = Math.max(8, Math.round(BAND_SHARE * Math.max(points.width, points.height)));
  const bands = new Map<number, Float64Array>();
  for (let i = 0; i < points.count; i++) {
    const x = points.xy[2 * i]!;
    const y = points.xy[2 * i + 1]!;
    const along = x * cos + y * sin + offset;
    const across = (-x * sin + y * cos + offset + 0.5) | 0;
    const band = Math.floor(along / bandWidth);
    let bins = bands.get(band);
    if (!bins) bands.set(band, (bins = new Float64Array(rows)));
    bins[across]! += 1;
  }
  return [...bands.values()];
}

/** Peakiness (see `peakiness`) of the band profiles, averaged with each band weighted by its ink. */
function bandedPeakiness(points: InkPoints, angleDeg: number): number {
  let weighted = 0;
  let total = 0;
  for (const bins of bandProfiles(points, angleDeg)) {
    let count = 0;
    for (let i = 0; i < bins.length; i++) count += bins[i]!;
    if (count < MIN_BAND_INK) continue;
    weighted += count * profilePeakiness(bins, count);
    total += count;
  }
  return total === 0 ? 1 : weighted / total;
}

/**
 * Ink just above and just below the x-height band of every text line, band by band (see
 * `bandProfiles`). The x-height band of a line is its run of rows at least half as full as its
 * fullest row; the fringe on each side is as tall as that and stops at the neighbouring line.
 *
 * @example
 * const { above, below } = fringeInk(points, skew.angleDeg); // above > below: upright
 */
export function fringeInk(points: InkPoints, angleDeg: number): { above: number; below: number } {
  let above = 0;
  let below = 0;
  for (const bins of bandProfiles(points, angleDeg)) {
    const lines = lineRuns(bins);
    for (const [index, line] of lines.entries()) {
      let peak = 0;
      for (let i = line.start; i < line.end; i++) peak = Math.max(peak, bins[i]!);
      let coreStart = line.start;
      while (bins[coreStart]! < peak / 2) coreStart++;
      let coreEnd = line.end;
      while (bins[coreEnd - 1]! < peak / 2) coreEnd--;
      const coreHeight = coreEnd - coreStart;
      if (coreHeight < 2) continue;
      const top = Math.max(coreStart - coreHeight, lines[index - 1]?.end ?? 0, line.start);
      const bottom = Math.min(coreEnd + coreHeight, lines[index + 1]?.start ?? bins.length, line.end);
      for (let i = top; i < coreStart; i++) above += bins[i]!;
      for (let i = coreEnd; i < bottom; i++) below += bins[i]!;
    }
  }
  return { above, below };
}

/**
 * Text lines as runs of rows holding ink, split at rows that are nearly empty (under 2% of the
 * fullest row), which separates lines even when a mark or two bridges the gap.
 */
function lineRuns(bins: Float64Array): { start: number; end: number }[] {
  let max = 0;
  for (const value of bins) max = Math.max(max, value);
  const floor = max * 0.02;
  const runs: { start: number; end: number }[] = [];
  let start = -1;
  for (let i = 0; i <= bins.length; i++) {
    const full = i < bins.length && bins[i]! > floor;
    if (full && start < 0) start = i;
    if (!full && start >= 0) {
      runs.push({ start, end: i });
      start = -1;
    }
  }
  return runs;
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : value;
}
