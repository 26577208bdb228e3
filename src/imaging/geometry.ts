/**
 * Page geometry for cleanup: which quarter turn, skew and crop to apply, decided on a small copy
 * of the page so that the full image is resampled once.
 */
import sharp from 'sharp';
import { analysisCopy, greyPercentile, inkMask, outsidePageMask, textInk, type GreyImage } from './analysis.ts';
import { findPageCrop, type OutsideMask, type PageCrop } from './crop.ts';
import { inkPoints, type InkPoints, type SkewEstimate } from './deskew.ts';
import { estimateLineSkew, estimateOrientation, MIN_ABOVE_VS_BELOW, MIN_LINES, MIN_LINES_VS_COLUMNS_UPSIDE_DOWN } from './orientation.ts';
import { osdTurn } from './osd.ts';
import { identityTransform, pointTurner, rotatedSize, type Box, type CleanTransform, type QuarterTurn, type Size } from './transform.ts';
import type { CleanStep } from '../../schemas/config.ts';
import type { SpreadFinding } from './spread.ts';

export { CLEAN_STEPS, type CleanStep } from '../../schemas/config.ts';

/** What each geometry step that ran found, including "nothing to do" and "not sure". */
export interface GeometryFindings {
  orient?:
    | { turn: QuarterTurn; sure: boolean; linesVsColumns: number; aboveVsBelow: number; lines: number; osd?: { turn: QuarterTurn; confidence: number } | null }
    | { turn: 0; sure: false; reason: 'too_little_text' };
  deskew?: { skewDeg: number; peakiness: number } | { skewDeg: 0; reason: 'too_little_text' | 'no_text_lines' | 'below_minimum' };
  /** `paintedShare`: frame left inside the crop and painted with the paper's grey. */
  crop?: { box: Box; removedShare: number; paintedShare?: number } | { box: null; reason: 'no_frame' };
  /** Two facing pages in one image: where the gutter was found, or why the image is one page. */
  split?: SpreadFinding;
}

export interface GeometryPlan {
  transform: CleanTransform;
  findings: GeometryFindings;
  /** Grey level of the paper (255 when not measured), for the corners a turn uncovers. */
  paperLevel: number;
  /** The crop on the turned analysis copy, with the frame remnants to paint out; null without a crop. */
  crop: { found: PageCrop; analysisWidth: number } | null;
  /**
   * The analysis copy of the page as given and its masks, for a later step that looks at the same
   * pixels (the spread search, when the page is neither turned nor cropped); null when no geometry step ran.
   */
  analysis: PageAnalysis | null;
}

/** A page's ~100-dpi analysis copy (`scale`: copy pixels per page pixel), what lies outside it, and its ink. */
export interface PageAnalysis {
  image: GreyImage;
  scale: number;
  outside: Uint8Array;
  ink: Uint8Array;
}

/**
 * OSD's orientation confidence from which its turn is taken on a page the geometric measure is unsure of.
 * Measured (lock-free, on the unsure and sideways pages of seeds 3296, 3308, 3322): right turns 6.8–10.5,
 * a typed page it could not tell 0.68.
 */
const MIN_OSD_CONFIDENCE = 3;
/**
 * OSD's turn for a page the geometric measure is unsure of, or null when it is not to be taken: too unsure itself,
 * across the axis the lines fairly clearly run along (0/180 across, 90/270 sideways), or upside down where the ink
 * above and below the lines clearly leans upright, or the reverse. Turning an upright page over loses all of it, and
 * OSD reads letters Tesseract knows: a hand-written table (lines/columns 1.19–1.29, orientation.ts) is no such page.
 */
export function osdTurnTaken(evidence: { linesVsColumns: number; aboveVsBelow: number }, osd: { turn: QuarterTurn; confidence: number }): QuarterTurn | null {
  const { linesVsColumns, aboveVsBelow } = evidence;
  if (osd.confidence < MIN_OSD_CONFIDENCE) return null;
  const axisLikely = Math.max(linesVsColumns, 1 / linesVsColumns) >= MIN_LINES_VS_COLUMNS_UPSIDE_DOWN;
  if (axisLikely && (osd.turn % 180 === 90) !== linesVsColumns < 1) return null;
  const across = linesVsColumns >= 1 && osd.turn % 180 === 0;
  const lean = aboveVsBelow >= MIN_ABOVE_VS_BELOW ? 0 : aboveVsBelow <= 1 / MIN_ABOVE_VS_BELOW ? 180 : null;
  if (across && lean !== null && lean !== osd.turn) return null;
  return osd.turn;
}

/** Skews smaller than this are left alone: resampling would cost more sharpness than it gains. */
const MIN_SKEW_DEG = 0.1;
/** Deskew trusts an angle only when the straightened rows show text lines (blank and photo pages stay near 1). */
const MIN_LINE_PEAKINESS = 1.3;

/**
 * Decides the turn, the skew and the crop of a greyscale page for the enabled steps, from a
 * ~100 dpi copy; the transform is the identity when none of orient, deskew and crop is enabled.
 *
 * @example
 * const { transform, findings } = await planGeometry(grey, { orient: true, deskew: true, crop: true, normalise: true });
 * transform.rotate; // 0, 90, 180 or 270
 */
export async function planGeometry(original: GreyImage, enabled: Record<CleanStep, boolean>): Promise<GeometryPlan> {
  const transform = identityTransform(original);
  const findings: GeometryFindings = {};
  if (!enabled.orient && !enabled.deskew && !enabled.crop) return { transform, findings, paperLevel: 255, crop: null, analysis: null };

  const analysis = await analysisCopy(original);
  const { width, height } = analysis.image;
  const paperLevel = greyPercentile(analysis.image.data, 0.75);
  const outside = outsidePageMask(analysis.image);
  const ink = await inkMask(analysis.image, outside);

  // Orientation and skew read the letters only; the crop keeps clear of all ink, rules included.
  const letters = enabled.orient || enabled.deskew ? inkPoints(textInk(ink, width, height), width, height) : null;
  let skew: SkewEstimate | null = null;
  if (enabled.orient && letters) {
    const orientation = estimateOrientation(letters);
    if (!orientation) findings.orient = { turn: 0, sure: false, reason: 'too_little_text' };
    else {
      findings.orient = { turn: orientation.turn, sure: orientation.sure, ...orientation.evidence };
      transform.rotate = orientation.turn;
      skew = orientation.skew;
      if (!orientation.sure && orientation.evidence.lines >= MIN_LINES) {
        // Unsure but with text lines: Tesseract's OSD reads the letters (see osd.ts).
        const osd = await osdTurn(original);
        const turn = osd && osdTurnTaken(orientation.evidence, osd);
        findings.orient = { ...findings.orient, osd, ...(turn !== null ? { turn, sure: true } : {}) };
        if (turn !== null) transform.rotate = turn;
      }
    }
  } else if (enabled.deskew && letters) {
    skew = estimateLineSkew(letters)?.skew ?? null;
  }
  if (enabled.deskew) {
    if (!skew) findings.deskew = { skewDeg: 0, reason: 'too_little_text' };
    else if (skew.peakiness < MIN_LINE_PEAKINESS) findings.deskew = { skewDeg: 0, reason: 'no_text_lines' };
    else if (Math.abs(skew.angleDeg) < MIN_SKEW_DEG) findings.deskew = { skewDeg: 0, reason: 'below_minimum' };
    else {
      findings.deskew = { skewDeg: skew.angleDeg, peakiness: Math.round(skew.peakiness * 100) / 100 };
      transform.skewDeg = skew.angleDeg;
    }
  }

  const angle = transform.rotate - transform.skewDeg;
  const turnedSize = rotatedSize(original, angle);
  transform.crop = [0, 0, turnedSize.width, turnedSize.height];
  let pageCrop: GeometryPlan['crop'] = null;
  if (enabled.crop) {
    let frameFound = false;
    for (let i = 0; i < outside.length && !frameFound; i++) frameFound = outside[i] === 1;
    if (!frameFound) findings.crop = { box: null, reason: 'no_frame' };
    else {
      const turned = await turnOutsideMask(outside, analysis.image, angle);
      const allInk = turnPoints(inkPoints(ink, width, height, Number.POSITIVE_INFINITY), angle, turned);
      const crop = findPageCrop(turned, allInk);
      if (!crop) findings.crop = { box: null, reason: 'no_frame' };
      else {
        transform.crop = toImageBox(crop.box, analysis.scale, turned, turnedSize);
        findings.crop = { box: transform.crop, removedShare: Math.round(crop.removed * 1000) / 1000 };
        pageCrop = { found: crop, analysisWidth: turned.width };
      }
    }
  }
  return { transform, findings, paperLevel, crop: pageCrop, analysis: { image: analysis.image, scale: analysis.scale, outside, ink } };
}

/**
 * The outside-page mask turned like the page will be; corners that turning uncovers are outside
 * too, so the crop sees one surround.
 */
async function turnOutsideMask(outside: Uint8Array, size: Size, angle: number): Promise<OutsideMask> {
  if (angle === 0) return { mask: outside, ...size };
  const image = Buffer.alloc(outside.length);
  for (let i = 0; i < outside.length; i++) image[i] = outside[i]! * 255;
  const { data, info } = await sharp(image, { raw: { ...size, channels: 1 } })
    .rotate(angle, { background: { r: 255, g: 255, b: 255 } })
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) mask[i] = data[i]! > 127 ? 1 : 0;
  return { mask, width: info.width, height: info.height };
}

/** Points of the analysis copy, carried through a clockwise turn by `angle` onto the `turned` grid. */
function turnPoints(points: InkPoints, angle: number, turned: Size): InkPoints {
  const turner = pointTurner({ width: points.width, height: points.height }, angle);
  const xy = new Float32Array(points.count * 2);
  for (let i = 0; i < points.count; i++) {
    // Pixel centres, so that a quarter turn lands on pixel centres again.
    const [x, y] = turner.forward(points.xy[2 * i]! + 0.5, points.xy[2 * i + 1]! + 0.5);
    xy[2 * i] = x - 0.5;
    xy[2 * i + 1] = y - 0.5;
  }
  return { xy, count: points.count, width: turned.width, height: turned.height };
}

/** A box on the turned analysis copy, as whole pixels of the turned full image (rounded outwards). */
function toImageBox(box: Box, scale: number, analysisSize: Size, imageSize: Size): Box {
  const toX = (x: number) => (x - analysisSize.width / 2) / scale + imageSize.width / 2;
  const toY = (y: number) => (y - analysisSize.height / 2) / scale + imageSize.height / 2;
  const left = Math.max(0, Math.floor(toX(box[0])));
  const top = Math.max(0, Math.floor(toY(box[1])));
  const right = Math.min(imageSize.width, Math.ceil(toX(box[0] + box[2])));
  const bottom = Math.min(imageSize.height, Math.ceil(toY(box[1] + box[3])));
  return [left, top, right - left, bottom - top];
}
