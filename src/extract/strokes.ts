/**
 * The geometry of the struck-entry search (src/extract/struck.ts): long, nearly solid straight lines of
 * ink inside an entry region, refined to the ink, with what they cross. Works on an ink mask in the
 * analysis resolution; knows nothing of entries or pages.
 */
import type { PixelBox } from './words.ts';

/** What makes a line a candidate pen stroke, and how its crossings are judged. */
export const RULES = {
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
  /** Slanted, places where it cuts through writing or printed rules (at least one through writing)… */
  minCrossings: 2,
  /**
   * …or this many printed rules crossed, writing cut or not: a stroke slanted across three columns of a ruled
   * table may run between the lines of writing all the way, and nothing printed or written makes such a line.
   */
  minRuleCrossingsUncut: 3,
  /** Ink running on this far, in mm, straight above and below a crossing is a printed rule, not writing. */
  ruleMm: 5,
  /** Candidate lines checked per region, strongest first. */
  candidates: 12,
} as const;

interface Line {
  /** Direction angle in radians, y downwards. */
  theta: number;
  /** Signed distance of the line from the region's origin along its normal (-sin, cos). */
  rho: number;
}

export interface SolidLine {
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
export function solidLines(ink: Uint8Array, width: number, height: number, region: PixelBox, pxPerMm: number): SolidLine[] {
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
