/**
 * Struck-through entries: a clerk who wrote an entry wrongly strikes it out with one or two pen
 * strokes (diagonal or horizontal) and writes it again under the next number. Such an entry is not a
 * record. Found on the clean page image, within each entry's region:
 *
 * 1. a Hough accumulation over the region's ink pixels proposes long straight lines at any angle
 *    up to steep diagonals (vertical table rules are out of range);
 * 2. each proposal is refined to the line that covers most ink and must be nearly solid ink over a
 *    long stretch (a pen stroke; a line of text or a dotted leader has gaps);
 * 3. it must cross the writing. Ink is first told from stains and shading by local contrast. A line
 *    slanted against the page's printed rules (nothing printed is) is a strike when it cuts through
 *    writing (ink just beyond both edges of the stroke) and crosses writing or rules at least twice, or
 *    when it crosses three printed rules (across a ruled table it may run between the lines of writing);
 *    a line along the text, where rules, leaders and underlines lie, only when it runs through the
 *    writing over a good share of its length (a rule lies in the white between lines, an underline
 *    has writing on one side only);
 * 4. a stroke seen in two overlapping regions strikes only the entry it runs furthest in.
 *
 * All sizes are in millimetres of paper (from the image's resolution), not pixels, and nothing
 * depends on the stroke's colour, so a real pen stroke on a real scan is found the same way.
 */
import sharp from 'sharp';
import type { ExtractedEntry } from '../../schemas/entries.ts';
import type { GreyImage } from '../imaging/analysis.ts';
import type { PixelBox } from './words.ts';
import { RULES, solidLines, type SolidLine } from './strokes.ts';

/** Pixels per millimetre the analysis runs at (≈100 dpi): enough for a pen stroke, fast to scan. */
const WORK_PX_PER_MM = 4;

/** Ink against its surroundings: darker than the local mean by this many grey levels and this share. */
const INK = { windowMm: 6, minContrast: 30, maxShare: 0.8 } as const;
/** How much darker than the paper around it a pixel must be to be ink: grey levels, and a share of that paper. */
export interface InkContrast {
  minContrast: number;
  maxShare: number;
}

/** The strongest pen stroke found across an entry, in the page's (clean image's) pixels. */
export interface StrikeLine {
  from: [number, number];
  to: [number, number];
  /** Degrees from horizontal, positive when falling to the right. */
  angleDeg: number;
  lengthMm: number;
  /** Whether it runs along the text, like the page's printed rules. */
  alongText: boolean;
  /** Share of the stroke's length that is ink. */
  coverage: number;
  /** Share of the stroke's length where writing is cut through (ink on both sides). */
  crossing: number;
  /** Separate places where the stroke cuts through writing (printed rules crossed not counted). */
  cuts: number;
  /** Printed rules it crosses. */
  ruleCrossings: number;
  /** Whether the line is judged a strike-through. */
  strike: boolean;
}

export interface StrikeFinding {
  struck: boolean;
  /** The best solid line across the region (also when it is not a strike), for review and tuning. */
  line: StrikeLine | null;
}

/**
 * Looks for strike-through strokes in each region of a clean page image (PNG, the extract stage's
 * input). Regions are `[x, y, width, height]` in the image's pixels; one finding per region, in order.
 *
 * @example
 * const findings = await findStruckRegions(await blobs.get(page.cleanSha256), entries.map((e) => e.region[0]!.box));
 * findings[2]!.struck; // true: the third entry was struck out
 */
export async function findStruckRegions(cleanPng: Buffer, regions: readonly PixelBox[]): Promise<StrikeFinding[]> {
  if (regions.length === 0) return [];
  const { page, scale, pxPerMm } = await loadWorkImage(cleanPng);
  const scaled = regions.map((r): PixelBox => [r[0] * scale, r[1] * scale, r[2] * scale, r[3] * scale]);
  const x0 = Math.min(...scaled.map((r) => r[0]));
  const y0 = Math.min(...scaled.map((r) => r[1]));
  const covered: PixelBox = [x0, y0, Math.max(...scaled.map((r) => r[0] + r[2])) - x0, Math.max(...scaled.map((r) => r[1] + r[3])) - y0];
  const ink = inkMask(page, pxPerMm, covered);
  const perRegion = scaled.map((region) => solidLines(ink, page.width, page.height, region, pxPerMm));
  const ruleAngle = printedRuleAngle(perRegion.flat());
  const judged = perRegion.map((lines) => lines.map((line) => judge(line, ruleAngle)));
  // Regions may overlap (a tall entry reaching into the next): a stroke seen in two of them strikes
  // the one it runs furthest in, not both.
  judged.forEach((lines, i) => {
    for (const line of lines) {
      if (!line.strike) continue;
      const longer = judged.some((other, j) => j !== i && other.some((o) => o.strike && sameStroke(line, o, pxPerMm) && o.lengthMm > line.lengthMm));
      if (longer) line.strike = false;
    }
  });
  return judged.map((lines) => {
    const best = lines.sort((a, b) => rank(b) - rank(a))[0];
    if (!best) return { struck: false, line: null };
    const line: StrikeLine = { ...best, from: [Math.round(best.from[0] / scale), Math.round(best.from[1] / scale)], to: [Math.round(best.to[0] / scale), Math.round(best.to[1] / scale)] };
    return { struck: line.strike, line };
  });
}

/** Whether two found lines are parts of one stroke: nearly parallel, one's middle on the other's line. */
function sameStroke(a: StrikeLine, b: StrikeLine, pxPerMm: number): boolean {
  if (Math.abs(a.angleDeg - b.angleDeg) > 1) return false;
  const [mx, my] = [(a.from[0] + a.to[0]) / 2, (a.from[1] + a.to[1]) / 2];
  const [dx, dy] = [b.to[0] - b.from[0], b.to[1] - b.from[1]];
  const distance = Math.abs((mx - b.from[0]) * dy - (my - b.from[1]) * dx) / Math.max(1, Math.hypot(dx, dy));
  return distance <= 1.5 * pxPerMm;
}

/**
 * The page's printed rules run at this angle (degrees; the median of the long solid lines that cut
 * no writing and span most of their region), or 0, the text's own angle after deskew, when there are none.
 * Lines at that angle lie along the text even when the deskew left the page slightly turned.
 */
function printedRuleAngle(lines: readonly SolidLine[]): number {
  const rules = lines.filter((l) => l.cuts === 0 && l.spanShare >= 0.7);
  // the longest say it best: a tenth of a degree is a pixel's drift over their length
  const longest = rules.filter((l) => l.spanShare >= 0.9);
  const angles = (longest.length > 0 ? longest : rules).map((l) => l.angleDeg).sort((a, b) => a - b);
  return angles.length === 0 ? 0 : angles[Math.floor(angles.length / 2)]!;
}

/**
 * A line along the text (within a fraction of a degree of the printed rules) is where rules and
 * underlines lie: it is a strike only when it runs through the writing itself. A slanted one, which
 * nothing printed is, is a strike when it cuts through writing, and through writing or rules twice, or
 * when it crosses three printed rules.
 */
function judge(line: SolidLine, ruleAngle: number): StrikeLine {
  const drift = line.lengthMm * Math.tan((Math.abs(line.angleDeg - ruleAngle) * Math.PI) / 180);
  const alongText = drift < RULES.alongTextDriftMm;
  const strike = alongText
    ? line.crossing >= RULES.minCrossingShare
    : (line.cuts >= 1 && line.cuts + line.ruleCrossings >= RULES.minCrossings) || line.ruleCrossings >= RULES.minRuleCrossingsUncut;
  return { from: line.from, to: line.to, angleDeg: line.angleDeg, lengthMm: line.lengthMm, alongText, coverage: line.coverage, crossing: line.crossing, cuts: line.cuts, ruleCrossings: line.ruleCrossings, strike };
}

const rank = (l: StrikeLine) => (l.strike ? 1e6 : 0) + l.cuts + l.crossing;

/**
 * Sets `struck` on the entries of a page that a pen stroke strikes through, from their regions on
 * `pageId`'s clean image. Entries without a region there are left as they are.
 *
 * @example
 * const entries = extractPage(page);
 * await markStruckEntries(entries, page.id, await blobs.get(cleanSha256));
 */
export async function markStruckEntries(entries: ExtractedEntry[], pageId: number, cleanPng: Buffer): Promise<void> {
  const located = entries.flatMap((entry) => {
    const region = entry.region.find((r) => r.pageId === pageId);
    return region ? [{ entry, box: region.box as PixelBox }] : [];
  });
  const findings = await findStruckRegions(cleanPng, located.map((l) => l.box));
  located.forEach(({ entry }, i) => {
    if (findings[i]!.struck) entry.struck = true;
  });
}

/** The page at about `WORK_PX_PER_MM`, greyscale; resolution from the PNG, else an A4 short side guessed. */
export async function loadWorkImage(png: Buffer): Promise<{ page: GreyImage; scale: number; pxPerMm: number }> {
  const meta = await sharp(png).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const pxPerMm = meta.density && meta.density >= 50 ? meta.density / 25.4 : Math.min(width, height) / 210;
  const scale = Math.min(1, WORK_PX_PER_MM / pxPerMm);
  const { data, info } = await sharp(png)
    .greyscale()
    .resize({ width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const page = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  return { page, scale: info.width / Math.max(1, width), pxPerMm: pxPerMm * (info.width / Math.max(1, width)) };
}

/**
 * 1 where a pixel is ink: clearly darker than the paper around it (a mean over a few millimetres), so a
 * stain or a shadow, dark but smooth, is paper while writing on it is still ink.
 */
export function inkMask(page: GreyImage, pxPerMm: number, within?: PixelBox, contrast: InkContrast = INK): Uint8Array {
  const { data, width, height } = page;
  const r = Math.max(2, Math.round((INK.windowMm * pxPerMm) / 2));
  // only the part of the page the regions cover (plus the averaging window) is looked at
  const [ax, ay] = within ? [Math.max(0, Math.floor(within[0]) - r), Math.max(0, Math.floor(within[1]) - r)] : [0, 0];
  const [bx, by] = within ? [Math.min(width, Math.ceil(within[0] + within[2]) + r), Math.min(height, Math.ceil(within[1] + within[3]) + r)] : [width, height];
  const mask = new Uint8Array(data.length);
  const cw = bx - ax;
  const ch = by - ay;
  if (cw <= 0 || ch <= 0) return mask;
  const stride = cw + 1;
  const integral = new Float64Array(stride * (ch + 1));
  for (let y = 0; y < ch; y++) {
    let row = 0;
    for (let x = 0; x < cw; x++) {
      row += data[(ay + y) * width + ax + x]!;
      integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1]! + row;
    }
  }
  for (let y = 0; y < ch; y++) {
    const ya = Math.max(0, y - r);
    const yb = Math.min(ch, y + r + 1);
    for (let x = 0; x < cw; x++) {
      const xa = Math.max(0, x - r);
      const xb = Math.min(cw, x + r + 1);
      const sum = integral[yb * stride + xb]! - integral[ya * stride + xb]! - integral[yb * stride + xa]! + integral[ya * stride + xa]!;
      const mean = sum / ((yb - ya) * (xb - xa));
      const at = (ay + y) * width + ax + x;
      const v = data[at]!;
      mask[at] = v < mean - contrast.minContrast && v < mean * contrast.maxShare ? 1 : 0;
    }
  }
  return mask;
}
