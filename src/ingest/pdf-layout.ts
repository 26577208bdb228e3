/**
 * Reads a page's pdfjs operator list to decide whether the page *is* one scanned image (then we
 * take that image at its native resolution) or has other visible content (then we render it).
 */
import type { Orientation } from './pixels.ts';

/** PDF matrix [a b c d e f]: (x, y) → (a·x + c·y + e, b·x + d·y + f). */
export type Matrix = readonly [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `outer ∘ inner`: apply inner first, as `cm` does to the current transformation. */
export function compose(outer: Matrix, inner: Matrix): Matrix {
  const [a, b, c, d, e, f] = outer;
  const [a2, b2, c2, d2, e2, f2] = inner;
  return [a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** The pdfjs operator codes this module looks at (a subset of pdfjs's `OPS`). */
export interface OperatorCodes {
  save: number;
  restore: number;
  transform: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
  setTextRenderingMode: number;
  showText: number;
  showSpacedText: number;
  nextLineShowText: number;
  nextLineSetSpacingShowText: number;
  constructPath: number;
  rawFillPath: number;
  stroke: number;
  closeStroke: number;
  fill: number;
  eoFill: number;
  fillStroke: number;
  eoFillStroke: number;
  closeFillStroke: number;
  closeEOFillStroke: number;
  shadingFill: number;
  paintImageXObject: number;
  paintInlineImageXObject: number;
  paintImageXObjectRepeat: number;
  paintInlineImageXObjectGroup: number;
  paintImageMaskXObject: number;
  paintImageMaskXObjectGroup: number;
  paintImageMaskXObjectRepeat: number;
  paintSolidColorImageMask: number;
}

export interface PlacedImage {
  /** pdfjs object id for an XObject image; absent for an inline image. */
  objId?: string;
  /** pdfjs image data for an inline image. */
  inline?: unknown;
  width: number;
  height: number;
  /** Maps the image's unit square into user space. */
  ctm: Matrix;
}

export interface PageContent {
  images: PlacedImage[];
  /** Drawing other than images: visible text, filled or stroked paths, shadings, stencil masks. */
  drawsAfterLastImage: boolean;
  drawsOtherThanImages: boolean;
}

/** Text render modes 3 (invisible) and 7 (clip only) put nothing on the page: an OCR text layer. */
const INVISIBLE_TEXT_MODES = new Set([3, 7]);

/**
 * Walks an operator list, tracking the current transformation, and collects painted images and
 * whether anything else visible is drawn (and when).
 */
export function readPageContent(fnArray: readonly number[], argsArray: readonly unknown[], ops: OperatorCodes): PageContent {
  const images: PlacedImage[] = [];
  let ctm: Matrix = IDENTITY;
  let textMode = 0;
  const stack: Array<{ ctm: Matrix; textMode: number }> = [];
  let drawsAfterLastImage = false;
  let drawsOtherThanImages = false;
  const paintOps = new Set([ops.stroke, ops.closeStroke, ops.fill, ops.eoFill, ops.fillStroke, ops.eoFillStroke, ops.closeFillStroke, ops.closeEOFillStroke]);
  const textOps = new Set([ops.showText, ops.showSpacedText, ops.nextLineShowText, ops.nextLineSetSpacingShowText]);
  const otherVisibleOps = new Set([
    ops.rawFillPath,
    ops.shadingFill,
    ops.paintImageMaskXObject,
    ops.paintImageMaskXObjectGroup,
    ops.paintImageMaskXObjectRepeat,
    ops.paintSolidColorImageMask,
    ops.paintImageXObjectRepeat,
    ops.paintInlineImageXObjectGroup,
  ]);

  const draws = (): void => {
    drawsOtherThanImages = true;
    if (images.length > 0) drawsAfterLastImage = true;
  };

  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = (argsArray[i] ?? []) as unknown[];
    if (fn === ops.save) {
      stack.push({ ctm, textMode });
    } else if (fn === ops.restore) {
      const state = stack.pop();
      if (state) ({ ctm, textMode } = state);
    } else if (fn === ops.transform) {
      ctm = compose(ctm, args as unknown as Matrix);
    } else if (fn === ops.paintFormXObjectBegin) {
      stack.push({ ctm, textMode });
      const matrix = args[0];
      if (Array.isArray(matrix) && matrix.length === 6) ctm = compose(ctm, matrix as unknown as Matrix);
    } else if (fn === ops.paintFormXObjectEnd) {
      const state = stack.pop();
      if (state) ({ ctm, textMode } = state);
    } else if (fn === ops.setTextRenderingMode) {
      textMode = Number(args[0]);
    } else if (textOps.has(fn!)) {
      if (!INVISIBLE_TEXT_MODES.has(textMode)) draws();
    } else if (fn === ops.constructPath) {
      if (paintOps.has(Number(args[0]))) draws();
    } else if (paintOps.has(fn!) || otherVisibleOps.has(fn!)) {
      draws();
    } else if (fn === ops.paintImageXObject) {
      images.push({ objId: String(args[0]), width: Number(args[1]), height: Number(args[2]), ctm });
      drawsAfterLastImage = false;
    } else if (fn === ops.paintInlineImageXObject) {
      const data = args[0] as { width?: number; height?: number } | undefined;
      images.push({ inline: data, width: Number(data?.width), height: Number(data?.height), ctm });
      drawsAfterLastImage = false;
    }
  }
  return { images, drawsAfterLastImage, drawsOtherThanImages };
}

export interface FullPagePlacement {
  /** Pixels per inch along the image's width and height. */
  dpi: number;
  /** How to turn the stored pixels so they appear as on the displayed page. */
  orientation: Orientation;
}

/** The image must cover at least this share of the page, and lie mostly on it, to be "the page". */
const MIN_COVERAGE = 0.9;
/** Placements within this share of the length of an axis count as axis-aligned. */
const ALIGNMENT_TOLERANCE = 0.01;

/**
 * Decides whether one placed image is the whole displayed page, and if so at what resolution and
 * turned which way. `viewTransform` is pdfjs's viewport transform at scale 1 (user space → page
 * points, y down, page rotation and user unit applied); the page is `pageWidth × pageHeight` points.
 */
export function fullPagePlacement(image: PlacedImage, viewTransform: Matrix, pageWidth: number, pageHeight: number): FullPagePlacement | undefined {
  const m = compose(viewTransform, image.ctm);
  const corners = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)];
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const imageArea = (maxX - minX) * (maxY - minY);
  const overlapX = Math.max(0, Math.min(maxX, pageWidth) - Math.max(minX, 0));
  const overlapY = Math.max(0, Math.min(maxY, pageHeight) - Math.max(minY, 0));
  const overlap = overlapX * overlapY;
  if (imageArea <= 0 || overlap < MIN_COVERAGE * pageWidth * pageHeight || overlap < MIN_COVERAGE * imageArea) return undefined;

  // Image x runs along (a, b); image rows run top to bottom along -(c, d), since row 0 is at y = 1.
  const across: [number, number] = [m[0], m[1]];
  const down: [number, number] = [-m[2], -m[3]];
  const orientation = orientationOf(across, down);
  if (!orientation) return undefined;
  const widthPoints = Math.hypot(...across);
  const heightPoints = Math.hypot(...down);
  const dpi = (image.width / (widthPoints / 72) + image.height / (heightPoints / 72)) / 2;
  return { dpi: Math.round(dpi), orientation };
}

type Axis = '+x' | '-x' | '+y' | '-y';

function axisOf([x, y]: [number, number]): Axis | undefined {
  const length = Math.hypot(x, y);
  if (Math.abs(y) <= ALIGNMENT_TOLERANCE * length) return x > 0 ? '+x' : '-x';
  if (Math.abs(x) <= ALIGNMENT_TOLERANCE * length) return y > 0 ? '+y' : '-y';
  return undefined;
}

/** Where the image's "across" and "down" directions point on the page (y down) → sharp operations. */
const ORIENTATIONS: Record<string, Orientation> = {
  '+x+y': { mirror: false, rotate: 0 },
  '-x+y': { mirror: true, rotate: 0 },
  '+x-y': { mirror: true, rotate: 180 },
  '-x-y': { mirror: false, rotate: 180 },
  '+y-x': { mirror: false, rotate: 90 },
  '-y+x': { mirror: false, rotate: 270 },
  '+y+x': { mirror: true, rotate: 270 },
  '-y-x': { mirror: true, rotate: 90 },
};

function orientationOf(across: [number, number], down: [number, number]): Orientation | undefined {
  const a = axisOf(across);
  const d = axisOf(down);
  if (!a || !d) return undefined;
  return ORIENTATIONS[a + d];
}
