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
 *    writing (ink just beyond both edges of the stroke) and crosses writing or rules at least twice;
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
import type { PixelBox } from './words.ts';

/** Pixels per millimetre the analysis runs at (≈100 dpi): enough for a pen stroke, fast to scan. */
const WORK_PX_PER_MM = 4;

const RULES = {
  /** A strike runs across at least this share of the entry region's width… */
  minSpanShare: 0.4,
  /** …and at least this long, in mm. */
  minLengthMm: 30,
  /** Share of the stroke's length that must be ink (pen strokes are solid; text rows are not). */
  minCoverage: 0.85,
  /** Longest break in the ink along a stroke, in mm (a pen skipping, a faded spot). */
  maxGapMm: 1.5,
  /** Steepest stroke looked for, degrees from horizontal (table rules at 90° stay out). */
  maxAngleDeg: 60,
  /** How far beyond the stroke's edge "touching" writing is looked for, in mm. */
  besideMm: 1,
  /**
   * A line that moves less than this across the text over its length, in mm, against the page's
   * printed rules, lies along the text like a rule: a strike across lines of writing moves further.
   */
  alongTextDriftMm: 2,
  /** Along the text, share of the stroke's length where the writing continues on both sides of it. */
  minCrossingShare: 0.25,
  /** Slanted, places where it cuts through writing or printed rules (at least one through writing). */
  minCrossings: 2,
  /** Ink running on this far, in mm, straight above and below a crossing is a printed rule, not writing. */
  ruleMm: 5,
  /** Candidate lines checked per region, strongest first. */
  candidates: 12,
} as const;

/** Ink against its surroundings: darker than the local mean by this many grey levels and this share. */
const INK = { windowMm: 6, minContrast: 30, maxShare: 0.8 } as const;

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
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
 * nothing printed is, is a strike when it cuts through writing, and through writing or rules twice.
 */
function judge(line: SolidLine, ruleAngle: number): StrikeLine {
  const drift = line.lengthMm * Math.tan((Math.abs(line.angleDeg - ruleAngle) * Math.PI) / 180);
  const alongText = drift < RULES.alongTextDriftMm;
  const strike = alongText ? line.crossing >= RULES.minCrossingShare : line.cuts >= 1 && line.cuts + line.ruleCrossings >= RULES.minCrossings;
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
async function loadWorkImage(png: Buffer): Promise<{ page: GreyImage; scale: number; pxPerMm: number }> {
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
export function inkMask(page: GreyImage, pxPerMm: number, within?: PixelBox): Uint8Array {
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
      mask[at] = v < mean - INK.minContrast && v < mean * INK.maxShare ? 1 : 0;
    }
  }
  return mask;
}

interface Line {
  /** Direction angle in radians, y downwards. */
  theta: number;
  /** Signed distance of the line from the region's origin along its normal (-sin, cos). */
  rho: number;
}

interface SolidLine {
  from: [number, number];
  to: [number, number];
  angleDeg: number;
  /** Horizontal extent as a share of the region's width. */
  spanShare: number;
  lengthMm: number;
  coverage: number;
  crossing: number;
  cuts: number;
  ruleCrossings: number;
}

/**
 * The long, nearly solid straight lines within `region` of an ink mask (all in working pixels), with
 * what they cross: the candidates for a strike, and the printed rules.
 */
function solidLines(ink: Uint8Array, width: number, height: number, region: PixelBox, pxPerMm: number): SolidLine[] {
  const x0 = Math.max(0, Math.floor(region[0]));
  const y0 = Math.max(0, Math.floor(region[1]));
  const x1 = Math.min(width, Math.ceil(region[0] + region[2]));
  const y1 = Math.min(height, Math.ceil(region[1] + region[3]));
  const w = x1 - x0;
  const h = y1 - y0;
  const minLength = Math.max(RULES.minSpanShare * w, RULES.minLengthMm * pxPerMm);
  if (w < minLength || h < 2) return [];
  const view: RegionView = { ink, width, x0, y0, w, h };

  // 1. Hough votes at half resolution (one vote per 2×2 block with ink), for the angles a strike
  //    spanning enough of the width can have
  const maxAngle = Math.min((RULES.maxAngleDeg * Math.PI) / 180, Math.atan2(h, RULES.minSpanShare * w));
  const step = (0.5 * Math.PI) / 180;
  const angles: number[] = [];
  for (let a = -Math.floor(maxAngle / step); a <= Math.floor(maxAngle / step); a++) angles.push(a * step);
  const hw = Math.ceil(w / 2);
  const hh = Math.ceil(h / 2);
  const blocks: number[] = [];
  for (let by = 0; by < hh; by++) {
    for (let bx = 0; bx < hw; bx++) {
      const at = (y0 + 2 * by) * width + x0 + 2 * bx;
      const right = 2 * bx + 1 < w;
      const below = 2 * by + 1 < h;
      if (ink[at] || (right && ink[at + 1]) || (below && ink[at + width]) || (right && below && ink[at + width + 1])) blocks.push(bx, by);
    }
  }
  const rhoMax = Math.ceil(Math.hypot(hw, hh));
  const bins = 2 * rhoMax + 1;
  const votes = new Uint16Array(angles.length * bins);
  for (let a = 0; a < angles.length; a++) {
    const sin = Math.sin(angles[a]!);
    const cos = Math.cos(angles[a]!);
    const base = a * bins + rhoMax + 0.5;
    for (let i = 0; i < blocks.length; i += 2) votes[Math.floor(base - blocks[i]! * sin + blocks[i + 1]! * cos)]!++;
  }

  // 2. the strongest distinct proposals (two neighbouring bins summed: a stroke straddles them)
  const floor = (minLength / 2) * 0.6;
  const proposals: Array<Line & { votes: number }> = [];
  for (let a = 0; a < angles.length; a++) {
    for (let r = 1; r < bins - 1; r++) {
      const v = votes[a * bins + r]! + Math.max(votes[a * bins + r - 1]!, votes[a * bins + r + 1]!);
      if (v >= floor) proposals.push({ theta: angles[a]!, rho: 2 * (r - rhoMax) + 0.5, votes: v });
    }
  }
  proposals.sort((p, q) => q.votes - p.votes);
  const chosen: Line[] = [];
  for (const p of proposals) {
    if (chosen.length >= RULES.candidates) break;
    if (chosen.some((c) => Math.abs(c.theta - p.theta) < 2 * step + 1e-9 && Math.abs(c.rho - p.rho) < 3 * pxPerMm)) continue;
    chosen.push(p);
  }

  // 3. refine each to the line that covers most ink; keep its longest solid stretch if long enough
  const lines: SolidLine[] = [];
  for (const proposal of chosen) {
    // a proposal whose line holds too little ink to become long enough is not worth refining
    if (trace(view, proposal).count < RULES.minCoverage * minLength * 0.5) continue;
    const line = refine(view, proposal);
    const stretch = solidStretch(view, line, pxPerMm);
    if (!stretch || stretch.span < minLength) continue;
    const crossed = crossings(view, line, stretch, pxPerMm);
    const [sx, sy] = pointAt(line, stretch.from);
    const [ex, ey] = pointAt(line, stretch.to);
    lines.push({
      from: [x0 + sx, y0 + sy], to: [x0 + ex, y0 + ey], angleDeg: (line.theta * 180) / Math.PI, spanShare: stretch.span / w,
      lengthMm: (stretch.to - stretch.from + 1) / pxPerMm,
      coverage: stretch.coverage, crossing: crossed.share, cuts: crossed.cuts, ruleCrossings: crossed.rules,
    });
  }
  return lines;
}

interface RegionView {
  ink: Uint8Array;
  width: number;
  x0: number;
  y0: number;
  w: number;
  h: number;
}

const inkAt = (v: RegionView, x: number, y: number): boolean => {
  const xi = Math.round(x);
  const yi = Math.round(y);
  return xi >= 0 && yi >= 0 && xi < v.w && yi < v.h && v.ink[(v.y0 + yi) * v.width + v.x0 + xi] === 1;
};

/** Point at parameter `t` along the line (t = x for the line's foot on the normal through the origin). */
function pointAt(line: Line, t: number): [number, number] {
  const c = Math.cos(line.theta);
  const s = Math.sin(line.theta);
  return [-line.rho * s + t * c, line.rho * c + t * s];
}

/** Parameter range of the line inside the region. */
function chord(v: RegionView, line: Line): [number, number] {
  let lo = -Infinity;
  let hi = Infinity;
  const [px, py] = pointAt(line, 0);
  const c = Math.cos(line.theta);
  const s = Math.sin(line.theta);
  for (const [p, d, max] of [[px, c, v.w - 1], [py, s, v.h - 1]] as const) {
    if (Math.abs(d) < 1e-9) {
      if (p < 0 || p > max) return [0, -1];
      continue;
    }
    const a = (0 - p) / d;
    const b = (max - p) / d;
    lo = Math.max(lo, Math.min(a, b));
    hi = Math.min(hi, Math.max(a, b));
  }
  return [Math.ceil(lo), Math.floor(hi)];
}

/**
 * Ink along the line, one sample per pixel of length, allowing the stroke a pixel either side; into
 * `out` when given (else only counted). The hot loop of the search: no allocation per sample.
 */
function trace(v: RegionView, line: Line, out?: Uint8Array): { from: number; n: number; count: number } {
  const [from, to] = chord(v, line);
  const n = Math.max(0, to - from + 1);
  const c = Math.cos(line.theta);
  const s = Math.sin(line.theta);
  const { ink, width, x0, y0, w, h } = v;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const t = from + i;
    const x = -line.rho * s + t * c;
    const y = line.rho * c + t * s;
    let hit = 0;
    for (let k = -1; k <= 1 && hit === 0; k++) {
      const xi = Math.round(x - k * s);
      const yi = Math.round(y + k * c);
      if (xi >= 0 && yi >= 0 && xi < w && yi < h && ink[(y0 + yi) * width + x0 + xi] === 1) hit = 1;
    }
    count += hit;
    if (out) out[i] = hit;
  }
  return { from, n, count };
}

/** The line near `start` along which most ink lies: angle and offset adjusted in turn, then finer. */
function refine(v: RegionView, start: Line): Line {
  let best = start;
  let bestInk = trace(v, start).count;
  const degree = Math.PI / 180;
  for (const [angleStep, rhoStep, steps] of [[0.1, 0.5, 4], [0.05, 0.25, 1]] as const) {
    const around = best;
    for (let k = -steps; k <= steps; k++) {
      if (k === 0) continue;
      const line = { theta: around.theta + k * angleStep * degree, rho: around.rho };
      const count = trace(v, line).count;
      if (count > bestInk) [best, bestInk] = [line, count];
    }
    const turned = best;
    for (let k = -steps; k <= steps; k++) {
      if (k === 0) continue;
      const line = { theta: turned.theta, rho: turned.rho + k * rhoStep };
      const count = trace(v, line).count;
      if (count > bestInk) [best, bestInk] = [line, count];
    }
  }
  return best;
}

/** The longest stretch along the line that is nearly solid ink, with its horizontal span. */
function solidStretch(v: RegionView, line: Line, pxPerMm: number): { from: number; to: number; span: number; coverage: number } | null {
  const inked = new Uint8Array(v.w + v.h);
  const { from, n } = trace(v, line, inked);
  const maxGap = Math.max(2, Math.round(RULES.maxGapMm * pxPerMm));
  let best: { from: number; to: number; span: number; coverage: number } | null = null;
  let start = -1;
  let last = -1;
  let count = 0;
  const close = () => {
    if (start < 0) return;
    const length = last - start + 1;
    const coverage = count / length;
    const span = length * Math.abs(Math.cos(line.theta));
    if (coverage >= RULES.minCoverage && (!best || span > best.span)) best = { from: from + start, to: from + last, span, coverage };
  };
  for (let i = 0; i < n; i++) {
    if (!inked[i]) continue;
    if (start >= 0 && i - last > maxGap) {
      close();
      start = -1;
    }
    if (start < 0) {
      start = i;
      count = 0;
    }
    count++;
    last = i;
  }
  close();
  return best;
}

/**
 * Where the stroke cuts through writing: ink just beyond both edges of the stroke. The stroke's width
 * is measured first (median across its length) so a thick pen is not mistaken for writing around a
 * thin one. A printed rule crossed (ink running on far above and below, straight up) is not writing.
 */
function crossings(v: RegionView, line: Line, stretch: { from: number; to: number }, pxPerMm: number): { share: number; cuts: number; rules: number } {
  const nx = -Math.sin(line.theta);
  const ny = Math.cos(line.theta);
  const reach = Math.ceil(3 * pxPerMm);
  const halfWidths: number[] = [];
  for (let t = stretch.from; t <= stretch.to; t += 2) {
    const [x, y] = pointAt(line, t);
    if (!inkAt(v, x, y)) continue;
    let up = 0;
    while (up < reach && inkAt(v, x + nx * (up + 1), y + ny * (up + 1))) up++;
    let down = 0;
    while (down < reach && inkAt(v, x - nx * (down + 1), y - ny * (down + 1))) down++;
    halfWidths.push(Math.max(up, down));
  }
  if (halfWidths.length === 0) return { share: 0, cuts: 0, rules: 0 };
  halfWidths.sort((a, b) => a - b);
  const edge = halfWidths[Math.floor(halfWidths.length / 2)]! + 1;
  const beside = Math.max(2, Math.round(RULES.besideMm * pxPerMm));
  const sideInked = (x: number, y: number, sign: 1 | -1) => {
    for (let d = edge + 1; d <= edge + beside; d++) if (inkAt(v, x + sign * nx * d, y + sign * ny * d)) return true;
    return false;
  };
  const ruleReach = Math.round(RULES.ruleMm * pxPerMm);
  const verticalRun = (x: number, y: number, dir: 1 | -1) => {
    let run = 0;
    let miss = 0;
    for (let d = edge + 1; d <= edge + ruleReach && miss <= 1; d++) {
      if (inkAt(v, x, y + dir * d) || inkAt(v, x - 1, y + dir * d) || inkAt(v, x + 1, y + dir * d)) {
        run = d;
        miss = 0;
      } else miss++;
    }
    return run;
  };
  const mergeGap = Math.max(2, Math.round(pxPerMm));
  let both = 0;
  let cuts = 0;
  let rules = 0;
  let eventStart = -1;
  let eventEnd = -Infinity;
  const closeEvent = () => {
    if (eventStart < 0) return;
    const [x, y] = pointAt(line, Math.round((eventStart + eventEnd) / 2));
    if (verticalRun(x, y, 1) >= ruleReach - 1 && verticalRun(x, y, -1) >= ruleReach - 1) rules++;
    else cuts++;
  };
  for (let t = stretch.from; t <= stretch.to; t++) {
    const [x, y] = pointAt(line, t);
    if (!(sideInked(x, y, 1) && sideInked(x, y, -1))) continue;
    both++;
    if (t - eventEnd > mergeGap) {
      closeEvent();
      eventStart = t;
    }
    eventEnd = t;
  }
  closeEvent();
  return { share: both / (stretch.to - stretch.from + 1), cuts, rules };
}
