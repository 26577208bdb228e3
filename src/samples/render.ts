/**
 * Drawing on one register page with @napi-rs/canvas, keeping the true ink box of every run of text (from
 * the renderer's own glyph metrics, through the slant and rotation it was drawn with). Printed text is
 * drawn as is; typed text strike by strike with uneven pressure; hand-writing word by word with slant,
 * size and baseline drift.
 */
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { nfc } from './vietnamese.ts';
import type { Rng } from './rng.ts';

export type Box = [number, number, number, number];
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
/** Canvas affine [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Affine = [number, number, number, number, number, number];

export const EMPTY_RECT: Rect = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
export const unionRect = (a: Rect, b: Rect): Rect => ({ x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) });
export function rectToBox(r: Rect): Box {
  const x = Math.floor(r.x0);
  const y = Math.floor(r.y0);
  return [x, y, Math.ceil(r.x1) - x, Math.ceil(r.y1) - y];
}
export const boxToRect = (b: Box): Rect => ({ x0: b[0], y0: b[1], x1: b[0] + b[2], y1: b[1] + b[3] });
export const applyAffine = (m: Affine, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
/** m·n: first n, then m. */
export const composeAffine = (m: Affine, n: Affine): Affine => [
  m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1], m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3], m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5],
];
export const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];
/** The axis-aligned bounding rectangle of a rectangle's four corners after `m`. */
export function rectThrough(m: Affine, r: Rect): Rect {
  const pts = [applyAffine(m, r.x0, r.y0), applyAffine(m, r.x1, r.y0), applyAffine(m, r.x0, r.y1), applyAffine(m, r.x1, r.y1)];
  return { x0: Math.min(...pts.map((p) => p[0])), y0: Math.min(...pts.map((p) => p[1])), x1: Math.max(...pts.map((p) => p[0])), y1: Math.max(...pts.map((p) => p[1])) };
}

/** How values or labels are put on paper. Sizes in points; the sheet turns them into pixels at its dpi. */
export interface Pen {
  mode: 'print' | 'typed' | 'hand';
  family: string;
  sizePt: number;
  bold?: boolean;
  colour: string;
  /** Hand: forward slant (shear), word-level size and baseline jitter (fractions of the size), stroke. */
  slant?: number;
  sizeJitter?: number;
  baselineJitter?: number;
  /** Ink coverage range per word (hand) or strike (typed): pressure and ribbon wear. */
  alpha?: [number, number];
  /** Extra stroke around glyphs, in points: a heavier pen or a fresh ribbon. */
  strokePt?: number;
}

export interface TruthLine {
  text: string;
  rect: Rect;
}
export interface Segment {
  text: string;
  rect: Rect;
}

export class Sheet {
  readonly canvas: Canvas;
  readonly ctx: SKRSContext2D;
  readonly lines: TruthLine[] = [];
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  readonly rng: Rng;

  constructor(widthMm: number, heightMm: number, dpi: number, rng: Rng, paper: string) {
    this.dpi = dpi;
    this.width = Math.round((widthMm / 25.4) * dpi);
    this.height = Math.round((heightMm / 25.4) * dpi);
    this.rng = rng;
    this.canvas = createCanvas(this.width, this.height);
    this.ctx = this.canvas.getContext('2d');
    this.ctx.fillStyle = paper;
    this.ctx.fillRect(0, 0, this.width, this.height);
  }

  px(mm: number): number {
    return (mm / 25.4) * this.dpi;
  }

  font(pen: Pen, scale = 1): string {
    return `${pen.bold ? 'bold ' : ''}${(((pen.sizePt * this.dpi) / 72) * scale).toFixed(2)}px "${pen.family}"`;
  }

  /** Advance width of `text` with the pen (hand-writing runs wider than this through its spacing). */
  measure(text: string, pen: Pen): number {
    this.ctx.font = this.font(pen);
    return this.ctx.measureText(text).width * (pen.mode === 'hand' ? 1.12 : 1);
  }

  private inkRect(text: string, x: number, y: number): Rect {
    const m = this.ctx.measureText(text);
    return { x0: x - m.actualBoundingBoxLeft, y0: y - m.actualBoundingBoxAscent, x1: x + m.actualBoundingBoxRight, y1: y + m.actualBoundingBoxDescent };
  }

  /** Draws `text` with its baseline at y; returns the ink rectangle and where the pen ended. */
  draw(text: string, x: number, y: number, pen: Pen): { rect: Rect; end: number } {
    const ctx = this.ctx;
    const r = this.rng;
    const ptPx = this.dpi / 72;
    ctx.fillStyle = pen.colour;
    ctx.strokeStyle = pen.colour;
    ctx.lineJoin = 'round';
    let rect = EMPTY_RECT;
    let pen0 = x;
    const [alphaLo, alphaHi] = pen.alpha ?? [1, 1];
    if (pen.mode === 'print') {
      ctx.font = this.font(pen);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.globalAlpha = r.range(alphaLo, alphaHi);
      ctx.fillText(text, x, y);
      rect = this.inkRect(text, x, y);
      pen0 = x + ctx.measureText(text).width;
    } else if (pen.mode === 'typed') {
      // a typewriter: fixed pitch, each strike with its own pressure and a little vertical play
      ctx.font = this.font(pen);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.lineWidth = (pen.strokePt ?? 0.3) * ptPx;
      const pad = ctx.lineWidth / 2 + 0.5;
      for (const ch of text) {
        const w = ctx.measureText(ch).width;
        if (ch !== ' ') {
          const dy = r.gauss() * 0.025 * pen.sizePt * ptPx;
          const dx = r.gauss() * 0.012 * pen.sizePt * ptPx;
          ctx.globalAlpha = Math.min(1, r.range(alphaLo, alphaHi));
          ctx.fillText(ch, pen0 + dx, y + dy);
          if (ctx.lineWidth > 0) ctx.strokeText(ch, pen0 + dx, y + dy);
          const cr = this.inkRect(ch, pen0 + dx, y + dy);
          rect = unionRect(rect, { x0: cr.x0 - pad, y0: cr.y0 - pad, x1: cr.x1 + pad, y1: cr.y1 + pad });
        }
        pen0 += w;
      }
    } else {
      // hand-writing: word by word, slanted, with drifting size and baseline
      const sizePx = pen.sizePt * ptPx;
      let base = y;
      ctx.lineWidth = (pen.strokePt ?? 0.2) * ptPx;
      const pad = ctx.lineWidth / 2 + 0.6;
      for (const word of text.split(' ')) {
        const scale = 1 + r.gauss() * (pen.sizeJitter ?? 0.03);
        ctx.font = this.font(pen, scale);
        const slant = (pen.slant ?? 0.1) + r.gauss() * 0.015;
        const rot = r.gauss() * 0.012;
        base += r.gauss() * (pen.baselineJitter ?? 0.04) * sizePx;
        base = Math.max(y - 0.12 * sizePx, Math.min(y + 0.12 * sizePx, base));
        const cos = Math.cos(rot);
        const sin = Math.sin(rot);
        // M = T(pen, base) · R(rot) · Shear(slant): glyph space (u, v) → page
        const m: Affine = [cos, sin, -cos * slant - sin, -sin * slant + cos, pen0, base];
        ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
        ctx.globalAlpha = Math.min(1, r.range(alphaLo, alphaHi));
        ctx.fillText(word, 0, 0);
        if (ctx.lineWidth > 0) ctx.strokeText(word, 0, 0);
        const local = this.inkRect(word, 0, 0);
        rect = unionRect(rect, rectThrough(m, { x0: local.x0 - pad, y0: local.y0 - pad, x1: local.x1 + pad, y1: local.y1 + pad }));
        const advance = ctx.measureText(word).width;
        ctx.font = this.font(pen);
        pen0 += (advance + ctx.measureText(' ').width * r.range(0.95, 1.5)) * cos;
        base += advance * sin;
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    ctx.globalAlpha = 1;
    return { rect, end: pen0 };
  }

  /** Records one truth line: its segments' text joined by single spaces, and their union box. */
  addLine(segments: Segment[]): void {
    const s = segments.filter((x) => x.text.length > 0 && Number.isFinite(x.rect.x0));
    if (s.length === 0) return;
    this.lines.push({ text: nfc(s.map((x) => x.text).join(' ')), rect: s.reduce((a, x) => unionRect(a, x.rect), EMPTY_RECT) });
  }

  rule(x0: number, y0: number, x1: number, y1: number, width: number, colour: string): void {
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  }

  /** A printed dotted leader from x0 to x1 on baseline y. */
  leader(x0: number, x1: number, y: number, colour: string): void {
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = colour;
    const step = this.px(1.05);
    const radius = Math.max(0.6, this.px(0.14));
    ctx.beginPath();
    for (let x = x0 + step / 2; x < x1; x += step) {
      ctx.moveTo(x + radius, y - radius);
      ctx.arc(x, y - radius, radius, 0, Math.PI * 2);
    }
    ctx.fill();
  }

  /** A pen signature: a few connected loops; not text, so never a truth line. */
  signature(x: number, y: number, w: number, colour: string): void {
    const ctx = this.ctx;
    const r = this.rng;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.strokeStyle = colour;
    ctx.globalAlpha = r.range(0.75, 1);
    ctx.lineWidth = Math.max(1.2, this.dpi / 150);
    ctx.beginPath();
    let cx = x;
    let cy = y;
    ctx.moveTo(cx, cy);
    const n = r.int(3, 5);
    const h = this.px(3.2);
    for (let i = 0; i < n; i++) {
      const nx = cx + w / n;
      ctx.bezierCurveTo(cx + r.range(0.1, 0.6) * (w / n), cy - h * r.range(0.6, 1.2), nx - r.range(0.5, 1.3) * (w / n), cy + h * r.range(0.1, 0.6), nx, cy - h * r.range(-0.2, 0.3));
      cx = nx;
      cy = y + r.gauss() * 2;
    }
    ctx.quadraticCurveTo(cx + w * 0.1, cy + h * 0.5, x + w * 0.15, cy + h * 0.2);
    ctx.stroke();
    ctx.globalAlpha = 1;
  }

  /** Strikes an entry out with a pen line (and sometimes a cross) over `area`; returns the main stroke. */
  strike(area: Rect, colour: string): [number, number, number, number] {
    const ctx = this.ctx;
    const r = this.rng;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.strokeStyle = colour;
    ctx.globalAlpha = 0.95;
    ctx.lineWidth = Math.max(2.5, this.dpi / 80);
    ctx.lineCap = 'round';
    const line: [number, number, number, number] = [area.x0, area.y0 + (area.y1 - area.y0) * r.range(0.2, 0.4), area.x1, area.y1 - (area.y1 - area.y0) * r.range(0.2, 0.4)];
    ctx.beginPath();
    ctx.moveTo(line[0], line[1]);
    ctx.lineTo(line[2], line[3]);
    if (r.chance(0.5)) {
      ctx.moveTo(area.x0, line[3]);
      ctx.lineTo(area.x1, line[1]);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    return line;
  }
}

/** Splits `text` at spaces into lines no wider than `first` (first line) and `rest` (the others). */
export function wrapWords(text: string, first: number, rest: number, width: (s: string) => number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const trial = current ? `${current} ${word}` : word;
    if (current && width(trial) > (out.length === 0 ? first : rest)) {
      out.push(current);
      current = word;
    } else current = trial;
  }
  if (current) out.push(current);
  return out;
}
