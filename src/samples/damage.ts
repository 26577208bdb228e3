/**
 * Scanning damage as data (how often and how much, per profile) and the effects that apply it: aged paper
 * (yellowing, stains, bleed-through of the verso, punched holes, gutter shadow, red stamps), the scanner
 * (skew, rotation, blur, low contrast, sensor noise) and the encoder (JPEG artefacts). Every page records
 * which effects it got, so tests and evaluation can slice results by them.
 */
import sharp from 'sharp';
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import type { Profile } from '../../schemas/corpus.ts';
import type { Rng, Weighted } from './rng.ts';
import type { Affine, Rect, Sheet } from './render.ts';

export type DamageKind =
  | 'skew' | 'rotation' | 'blur' | 'noise' | 'low_contrast' | 'yellowed' | 'stains' | 'bleed_through' | 'stamp' | 'holes' | 'gutter_shadow' | 'jpeg_artefacts' | 'faded' | 'facing_pages';
export const DAMAGE_KINDS: readonly DamageKind[] = ['skew', 'rotation', 'blur', 'noise', 'low_contrast', 'yellowed', 'stains', 'bleed_through', 'stamp', 'holes', 'gutter_shadow', 'jpeg_artefacts', 'faded', 'facing_pages'];

export interface DamageProfile {
  /** Scan resolution of a book. */
  dpi: Weighted<number>;
  /** Share of pages with each effect, and its strength range. */
  skew: { share: number; maxDeg: number };
  rotation90: number;
  rotation180: number;
  /** Share of images that hold two facing pages. */
  facingPages: number;
  blur: { share: number; sigma: [number, number] };
  noise: { share: number; amplitude: [number, number] };
  lowContrast: { share: number; factor: [number, number] };
  yellowed: number;
  stains: { share: number; count: [number, number] };
  bleedThrough: { share: number; alpha: [number, number] };
  stamp: number;
  holes: number;
  gutter: { share: number; strength: [number, number] };
  /** Ink faded towards the paper: books written before 1990 get it this often. */
  fadedOld: number;
  /** JPEG quality of JPEG deliveries; below `artefactsBelow` the page counts as having JPEG artefacts. */
  jpegQuality: [number, number];
  /** Share of lossless deliveries that went through a scanner's JPEG stage first. */
  jpegBeforeLossless: number;
}

const ARTEFACTS_BELOW = 40;

export const DAMAGE_PROFILES: Record<Profile, DamageProfile> = {
  clean: {
    dpi: [[200, 1], [250, 2], [300, 2]],
    skew: { share: 0, maxDeg: 0 }, rotation90: 0, rotation180: 0, facingPages: 0,
    blur: { share: 0, sigma: [0.5, 0.5] }, noise: { share: 0, amplitude: [0, 0] }, lowContrast: { share: 0, factor: [1, 1] },
    yellowed: 0, stains: { share: 0, count: [0, 0] }, bleedThrough: { share: 0, alpha: [0, 0] }, stamp: 0, holes: 0,
    gutter: { share: 0, strength: [0, 0] }, fadedOld: 0, jpegQuality: [82, 90], jpegBeforeLossless: 0,
  },
  typical: {
    dpi: [[150, 1], [200, 3], [250, 3], [300, 3], [400, 1]],
    skew: { share: 0.6, maxDeg: 2.5 }, rotation90: 0.03, rotation180: 0.03, facingPages: 0.06,
    blur: { share: 0.15, sigma: [0.5, 1] }, noise: { share: 0.5, amplitude: [2, 6] }, lowContrast: { share: 0.15, factor: [0.7, 0.85] },
    yellowed: 0.35, stains: { share: 0.3, count: [1, 3] }, bleedThrough: { share: 0.2, alpha: [0.05, 0.1] }, stamp: 0.2, holes: 0.1,
    gutter: { share: 0.4, strength: [0.1, 0.25] }, fadedOld: 0.5, jpegQuality: [35, 70], jpegBeforeLossless: 0.1,
  },
  hard: {
    dpi: [[150, 2], [200, 3], [250, 2], [300, 2], [400, 1]],
    skew: { share: 0.9, maxDeg: 5 }, rotation90: 0.1, rotation180: 0.08, facingPages: 0.15,
    blur: { share: 0.35, sigma: [0.7, 1.5] }, noise: { share: 0.8, amplitude: [6, 16] }, lowContrast: { share: 0.35, factor: [0.45, 0.7] },
    yellowed: 0.6, stains: { share: 0.6, count: [2, 6] }, bleedThrough: { share: 0.45, alpha: [0.08, 0.18] }, stamp: 0.45, holes: 0.3,
    gutter: { share: 0.7, strength: [0.2, 0.45] }, fadedOld: 0.8, jpegQuality: [18, 55], jpegBeforeLossless: 0.3,
  },
};

/** The damage one delivered image gets (both pages of a facing pair share the scanner effects). */
export interface ImageDamage {
  paper: [number, number, number];
  stains: number;
  bleedAlpha: number;
  stamp: boolean;
  holes: boolean;
  gutter: number;
  skewDeg: number;
  rotation: 0 | 90 | 180 | 270;
  blurSigma: number;
  noise: number;
  contrast: number;
  jpegQuality: number;
  jpegBeforeLossless: boolean;
  applied: Set<DamageKind>;
}

export function drawImageDamage(r: Rng, p: DamageProfile, opts: { jpeg: boolean; lossless: boolean; faded: boolean }): ImageDamage {
  const applied = new Set<DamageKind>();
  const when = (share: number, kind: DamageKind): boolean => {
    const yes = r.chance(share);
    if (yes) applied.add(kind);
    return yes;
  };
  const yellowed = when(p.yellowed, 'yellowed');
  const tone = r.range(0, 1);
  const paper: [number, number, number] = yellowed
    ? [Math.round(236 - 10 * tone), Math.round(226 - 14 * tone), Math.round(196 - 26 * tone)]
    : [Math.round(248 - 5 * tone), Math.round(247 - 5 * tone), Math.round(242 - 6 * tone)];
  const skew = when(p.skew.share, 'skew') ? r.range(-p.skew.maxDeg, p.skew.maxDeg) : 0;
  const rotation = r.chance(p.rotation90) ? (r.chance(0.5) ? 90 : 270) : r.chance(p.rotation180) ? 180 : 0;
  if (rotation) applied.add('rotation');
  const jpegQuality = Math.round(r.range(p.jpegQuality[0], p.jpegQuality[1]));
  const jpegBeforeLossless = opts.lossless && r.chance(p.jpegBeforeLossless);
  if ((opts.jpeg && jpegQuality < ARTEFACTS_BELOW) || jpegBeforeLossless) applied.add('jpeg_artefacts');
  if (opts.faded) applied.add('faded');
  return {
    paper,
    stains: when(p.stains.share, 'stains') ? r.int(p.stains.count[0], p.stains.count[1]) : 0,
    bleedAlpha: when(p.bleedThrough.share, 'bleed_through') ? r.range(p.bleedThrough.alpha[0], p.bleedThrough.alpha[1]) : 0,
    stamp: when(p.stamp, 'stamp'),
    holes: when(p.holes, 'holes'),
    gutter: when(p.gutter.share, 'gutter_shadow') ? r.range(p.gutter.strength[0], p.gutter.strength[1]) : 0,
    skewDeg: Math.round(skew * 100) / 100,
    rotation,
    blurSigma: when(p.blur.share, 'blur') ? r.range(p.blur.sigma[0], p.blur.sigma[1]) : 0,
    noise: when(p.noise.share, 'noise') ? r.range(p.noise.amplitude[0], p.noise.amplitude[1]) : 0,
    contrast: when(p.lowContrast.share, 'low_contrast') ? r.range(p.lowContrast.factor[0], p.lowContrast.factor[1]) : 1,
    jpegQuality: opts.jpeg ? jpegQuality : Math.max(jpegQuality, 60),
    jpegBeforeLossless,
    applied,
  };
}

export const cssRgb = (c: [number, number, number], a = 1): string => `rgba(${c[0]},${c[1]},${c[2]},${a})`;

/** Ageing of the sheet itself, drawn over the finished page: the verso showing through, stains, binding shade, holes. */
export function agePaper(sheet: Sheet, d: ImageDamage, binding: 'left' | 'right', verso: Canvas | undefined): void {
  const ctx = sheet.ctx;
  const r = sheet.rng;
  const { width: w, height: h } = sheet;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalCompositeOperation = 'multiply';
  if (d.bleedAlpha > 0 && verso) {
    // the other side of the leaf, mirrored, seen through thin paper
    ctx.globalAlpha = d.bleedAlpha;
    ctx.setTransform(-1, 0, 0, 1, w, r.range(-sheet.px(3), sheet.px(3)));
    ctx.drawImage(verso, 0, 0, w, h);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }
  for (let i = 0; i < d.stains; i++) {
    // a water or foxing stain: overlapping soft blobs, brownish, darker at the tide line
    const cx = r.range(0, w);
    const cy = r.range(0, h);
    const radius = r.range(w * 0.03, w * 0.11);
    const strength = r.range(0.1, 0.28);
    for (let k = 0; k < 4; k++) {
      const bx = cx + r.gauss() * radius * 0.25;
      const by = cy + r.gauss() * radius * 0.25;
      const br = radius * r.range(0.6, 1);
      const g = ctx.createRadialGradient(bx, by, 0, bx, by, br);
      g.addColorStop(0, `rgba(150,110,60,${(strength * 0.5).toFixed(3)})`);
      g.addColorStop(0.85, `rgba(140,100,50,${strength.toFixed(3)})`);
      g.addColorStop(1, 'rgba(140,100,50,0)');
      ctx.globalAlpha = 0.6;
      ctx.fillStyle = g;
      ctx.fillRect(bx - br, by - br, 2 * br, 2 * br);
    }
  }
  ctx.globalAlpha = 1;
  if (d.gutter > 0) {
    const gw = w * 0.08;
    const x0 = binding === 'left' ? 0 : w;
    const g = ctx.createLinearGradient(x0, 0, binding === 'left' ? gw : w - gw, 0);
    g.addColorStop(0, `rgba(60,50,40,${d.gutter.toFixed(3)})`);
    g.addColorStop(1, 'rgba(60,50,40,0)');
    ctx.fillStyle = g;
    ctx.fillRect(binding === 'left' ? 0 : w - gw, 0, gw, h);
  }
  ctx.globalCompositeOperation = 'source-over';
  if (d.holes) {
    // punched holes on the binding side show the scanner lid through them
    const n = r.chance(0.5) ? 2 : 3;
    const x = binding === 'left' ? sheet.px(7) : w - sheet.px(7);
    const radius = sheet.px(2.6);
    for (let i = 0; i < n; i++) {
      const y = h / 2 + (i - (n - 1) / 2) * sheet.px(80);
      ctx.fillStyle = 'rgba(70,70,70,0.7)';
      ctx.beginPath();
      ctx.arc(x + 1.5, y + 1.5, radius + 1, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = '#f6f6f4';
      ctx.beginPath();
      ctx.arc(x, y, radius, 0, Math.PI * 2);
      ctx.fill();
    }
  }
}

/** A round red office stamp pressed over `target` (usually the registrar's name and signature). */
export function stampOver(sheet: Sheet, target: Rect, ringText: string): void {
  const ctx = sheet.ctx;
  const r = sheet.rng;
  const radius = sheet.px(r.range(15, 19));
  const cx = (target.x0 + target.x1) / 2 + r.gauss() * radius * 0.2;
  const cy = (target.y0 + target.y1) / 2 + r.gauss() * radius * 0.2;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.translate(cx, cy);
  ctx.rotate(r.range(-0.6, 0.6));
  ctx.globalCompositeOperation = 'multiply';
  ctx.globalAlpha = r.range(0.55, 0.85);
  const red = r.pick(['#c8232c', '#d0343a', '#b81d3a']);
  ctx.strokeStyle = red;
  ctx.fillStyle = red;
  ctx.lineWidth = sheet.px(0.7);
  for (const k of [1, 0.8]) {
    ctx.beginPath();
    ctx.arc(0, 0, radius * k, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.font = `bold ${sheet.px(2.6).toFixed(1)}px "Tinos"`;
  const chars = [...ringText];
  chars.forEach((ch, i) => {
    ctx.save();
    ctx.rotate(-Math.PI * 0.85 + (i / Math.max(1, chars.length - 1)) * Math.PI * 1.7);
    ctx.fillText(ch, -sheet.px(0.8), -radius * 0.84);
    ctx.restore();
  });
  ctx.beginPath();
  for (let i = 0; i < 5; i++) {
    const a = -Math.PI / 2 + (i * 4 * Math.PI) / 5;
    const x = Math.cos(a) * radius * 0.3;
    const y = Math.sin(a) * radius * 0.3;
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

/**
 * The scanner: the sheet (or two facing sheets) lying rotated by `skewDeg` (+ a 90/180° turn) on a bed
 * large enough to hold it. Returns the scanned canvas and the transform from sheet to scan pixels.
 */
export function placeOnScanner(src: Canvas, d: ImageDamage, bed: string): { canvas: Canvas; m: Affine } {
  if (d.skewDeg === 0 && d.rotation === 0) return { canvas: src, m: [1, 0, 0, 1, 0, 0] };
  const phi = ((d.skewDeg + d.rotation) * Math.PI) / 180;
  const exact = (v: number) => (Math.abs(v) < 1e-12 ? 0 : Math.abs(Math.abs(v) - 1) < 1e-12 ? Math.sign(v) : v);
  const c = exact(Math.cos(phi));
  const s = exact(Math.sin(phi));
  const W = Math.ceil(Math.abs(src.width * c) + Math.abs(src.height * s));
  const H = Math.ceil(Math.abs(src.width * s) + Math.abs(src.height * c));
  // T(W/2, H/2) · R(phi) · T(-w/2, -h/2)
  const m: Affine = [c, s, -s, c, W / 2 - c * (src.width / 2) + s * (src.height / 2), H / 2 - s * (src.width / 2) - c * (src.height / 2)];
  const out = createCanvas(W, H);
  const ctx = out.getContext('2d');
  ctx.fillStyle = bed;
  ctx.fillRect(0, 0, W, H);
  ctx.imageSmoothingEnabled = d.skewDeg !== 0;
  ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
  ctx.drawImage(src, 0, 0);
  return { canvas: out, m };
}

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3;
}

/** Scanner optics and sensor on the scanned canvas: blur, compressed tonal range, noise. */
export async function scanPixels(canvas: Canvas, d: ImageDamage, colour: boolean, r: Rng): Promise<RawImage> {
  const { width, height } = canvas;
  const rgba = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  let img = sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } }).removeAlpha();
  if (!colour) img = img.greyscale();
  if (d.blurSigma >= 0.3) img = img.blur(d.blurSigma);
  // low contrast: black lifted and white lowered, as a tired lamp and a dark lid give
  if (d.contrast < 1) img = img.linear(d.contrast, 255 * (1 - d.contrast) * 0.7);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (d.noise > 0) addNoise(data, d.noise, r);
  let out: RawImage = { data, width: info.width, height: info.height, channels: info.channels === 1 ? 1 : 3 };
  if (d.jpegBeforeLossless) {
    const grey = out.channels === 1;
    const encoder = sharp(out.data, { raw: { width, height, channels: out.channels } });
    const jpeg = await (grey ? encoder.toColourspace('b-w') : encoder).jpeg({ quality: 30 }).toBuffer();
    // a decoded JPEG may come back with three channels even when it holds grey: keep the page's own
    const decoder = sharp(jpeg);
    out = { ...out, data: await (grey ? decoder.extractChannel(0) : decoder.removeAlpha()).raw().toBuffer() };
    if (out.data.length !== width * height * out.channels) throw new Error('scanner JPEG stage changed the page size');
  }
  return out;
}

/** Sensor noise: a seeded table of offsets, indexed by a multiplicative hash so no pattern repeats visibly. */
function addNoise(data: Buffer, amplitude: number, r: Rng): void {
  const table = new Int8Array(65536);
  for (let i = 0; i < table.length; i++) table[i] = Math.round(r.gauss() * amplitude * 0.6);
  const salt = r.int(0, 0x7fffffff);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]! + table[(Math.imul(i ^ salt, 0x9e3779b1) >>> 16) & 0xffff]!;
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
}
