/**
 * Register pages made without the corpus generator, to check the stamp and signature steps on pages it
 * did not draw: text laid out by pdf-lib in DejaVu Serif (the generator uses Tinos on a @napi-rs/canvas),
 * rasterised by pdfjs-dist through civreg's own PDF ingest (`decodeUpload`), then a stamp and pen
 * signatures painted pixel by pixel from ink-density fields (the generator strokes canvas arcs and text in
 * "multiply"): rings with uneven pressure and a grainy ink texture, ring lettering as short radial strokes,
 * a filled star, signatures as a pen disc dragged along a random looping curve. Then a scanner: a small
 * turn, softness, grain and JPEG. These are still synthetic pages, not scans.
 */
import fontkit from '@pdf-lib/fontkit';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PDFDocument, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { pointTurner, type Box } from '../../src/imaging/transform.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';

const DEJAVU = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
const SERIF_FONT = join(DEJAVU, 'ttf', 'DejaVuSerif.ttf');
const SERIF_BOLD_FONT = join(DEJAVU, 'ttf', 'DejaVuSerif-Bold.ttf');
// DejaVu Sans Mono lacks Vietnamese letters with two marks (Ầ, ố) and the hook above (Ả): a typewriter's fixed pitch in DejaVu Sans.
const TYPED_FONT = join(DEJAVU, 'ttf', 'DejaVuSans.ttf');

const PT_PER_MM = 72 / 25.4;
/** A4 in points. */
const A4 = { width: 595.28, height: 841.89 };

export interface RenderedOptions {
  seed: number;
  /** Ink of the stamp, or null for none. */
  stamp: { colour: [number, number, number] } | null;
  /** How many of the page's three entries carry both spouses' pen signatures (beside "Chồng ký:" / "Vợ ký:"), 0–3. */
  signatures: number;
  /** Ink of the signatures. */
  pen?: [number, number, number];
  /** Deliver greyscale (the stamp's colour is gone) instead of colour. */
  grey?: boolean;
  /** Turn of the sheet on the scanner bed, degrees clockwise. */
  skewDeg?: number;
  /**
   * Values typed on a typewriter (DejaVu Sans at a fixed pitch, each strike its own grey, 0–`lightest`: a worn ribbon's
   * light strikes are as grey as a red stamp in greyscale) instead of printed in black.
   */
  typed?: { lightest: number };
}

export interface RenderedPage {
  /** The delivered scan (JPEG). */
  scan: Buffer;
  dpi: number;
  size: { width: number; height: number };
  /** Every printed line with its box on the scan. */
  lines: Array<{ text: string; box: Box }>;
  /** Lines the stamp covers in part (their boxes overlap the stamp's). */
  underStamp: string[];
  /** 1 where the stamp put ink (on the scan's grid before the turn), and where a signature did. */
  stampMask: Uint8Array;
  signatureMask: Uint8Array;
  /** 1 where the printed text is (before the turn): pixels darker than 128 on the unstamped page. */
  textMask: Uint8Array;
}

/** A small deterministic generator (mulberry32), so every page can be made again from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
const GIVEN = ['Thị Hoà', 'Văn Đức', 'Minh Tuấn', 'Thị Yến', 'Quốc Huy', 'Thu Hương', 'Đức Thắng', 'Thị Ngọc Ánh', 'Hữu Nghĩa', 'Phương Thảo'];
const PLACES = ['Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội', 'Xã Vân Hà, Huyện Đông Anh, Hà Nội', 'Phường Lê Lợi, Thành phố Vinh, Nghệ An', 'Xã Hải Bối, Huyện Đông Anh, Hà Nội', 'Phường 7, Quận 3, Thành phố Hồ Chí Minh'];

/** The printed lines of one marriage entry as a computer-printed register of the 2010s lays them out. */
function entryLines(r: () => number, no: number): Array<{ label: string; value: string }> {
  const pick = <T,>(items: readonly T[]) => items[Math.floor(r() * items.length)]!;
  const date = () => `${String(1 + Math.floor(r() * 28)).padStart(2, '0')}/${String(1 + Math.floor(r() * 12)).padStart(2, '0')}/${1960 + Math.floor(r() * 40)}`;
  return [
    { label: 'Số:', value: `${no}/2014` },
    { label: 'Họ, chữ đệm, tên người chồng:', value: `${pick(SURNAMES)} ${pick(GIVEN)}`.toLocaleUpperCase('vi') },
    { label: 'Ngày, tháng, năm sinh:', value: date() },
    { label: 'Nơi cư trú:', value: pick(PLACES) },
    { label: 'Họ, chữ đệm, tên người vợ:', value: `${pick(SURNAMES)} ${pick(GIVEN)}`.toLocaleUpperCase('vi') },
    { label: 'Ngày, tháng, năm sinh:', value: date() },
    { label: 'Nơi cư trú:', value: pick(PLACES) },
    { label: 'Ngày đăng ký:', value: date().replace(/\d{4}$/, '2014') },
  ];
}

/**
 * One computer-printed marriage register page (three entries, signature lines after each), through
 * pdf-lib, pdfjs-dist and civreg's PDF ingest at `dpi`, with a stamp and signatures painted on, scanned.
 *
 * @example
 * const page = await renderedRegisterPage({ seed: 3, stamp: { colour: [200, 35, 45] }, signatures: 2 });
 * const clean = await cleanPage(page.scan, { dpi: page.dpi });
 */
export async function renderedRegisterPage(options: RenderedOptions, dpi = 300): Promise<RenderedPage> {
  const r = random(options.seed);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(await readFile(SERIF_FONT), { subset: true });
  const mono = options.typed ? await pdf.embedFont(await readFile(TYPED_FONT), { subset: true }) : null;
  const bold = await pdf.embedFont(await readFile(SERIF_BOLD_FONT), { subset: true });
  const pdfPage = pdf.addPage([A4.width, A4.height]);
  const size = 11;
  const left = 20 * PT_PER_MM;
  const lines: Array<{ text: string; x: number; baseline: number; width: number; size: number }> = [];
  let y = A4.height - 22 * PT_PER_MM;
  const write = (text: string, x: number, font: typeof regular, pt: number) => {
    pdfPage.drawText(text, { x, y, size: pt, font, color: rgb(0, 0, 0) });
    return font.widthOfTextAtSize(text, pt);
  };
  // A typewriter: one strike per character at a fixed pitch, each with its own pressure.
  const strikes = random(options.seed * 31 + 7);
  const typeOn = (text: string, x: number, font: typeof regular, pt: number) => {
    const pitch = 0.72 * pt;
    [...text].forEach((ch, k) => {
      const g = strikes() * (options.typed?.lightest ?? 0);
      if (ch !== ' ') pdfPage.drawText(ch, { x: x + k * pitch, y, size: pt, font, color: rgb(g, g, g) });
    });
    return pitch * [...text].length;
  };
  const title = 'SỔ ĐĂNG KÝ KẾT HÔN';
  const titleWidth = bold.widthOfTextAtSize(title, 15);
  write(title, (A4.width - titleWidth) / 2, bold, 15);
  lines.push({ text: title, x: (A4.width - titleWidth) / 2, baseline: y, width: titleWidth, size: 15 });
  y -= 12 * PT_PER_MM;
  const signatureSpots: Array<{ x: number; y: number }> = [];
  for (let e = 0; e < 3; e++) {
    for (const { label, value } of entryLines(r, 40 + Math.floor(r() * 300))) {
      const labelWidth = write(label, left, bold, size);
      const valueWidth = mono ? typeOn(value, left + labelWidth + 6, mono, size) : write(value, left + labelWidth + 6, regular, size);
      lines.push({ text: `${label} ${value}`, x: left, baseline: y, width: labelWidth + 6 + valueWidth, size });
      y -= 7.2 * PT_PER_MM;
    }
    const husband = write('Chồng ký:', left, bold, size);
    const wifeX = left + 95 * PT_PER_MM;
    const wife = write('Vợ ký:', wifeX, bold, size);
    lines.push({ text: 'Chồng ký:', x: left, baseline: y, width: husband, size });
    lines.push({ text: 'Vợ ký:', x: wifeX, baseline: y, width: wife, size });
    signatureSpots.push({ x: left + husband + 4 * PT_PER_MM, y }, { x: wifeX + wife + 4 * PT_PER_MM, y });
    y -= 13 * PT_PER_MM;
  }

  const decoded = await decodeUpload(Buffer.from(await pdf.save()), 'rendered.pdf', { ...DEFAULT_LIMITS, renderDpi: dpi });
  if (!decoded.ok) throw new Error(decoded.detail);
  let rendered: Buffer | null = null;
  for await (const outcome of decoded.pages()) if (outcome.ok) rendered = outcome.page.image;
  const { data: grey, info } = await sharp(rendered!).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const px = dpi / 72;
  const mm = dpi / 25.4;
  const textMask = new Uint8Array(width * height);
  for (let i = 0; i < textMask.length; i++) if (grey[i]! < 128) textMask[i] = 1;
  // Paper: a faint warm tone, so the page is not pure white.
  const rgbPixels = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const v = grey[i]! / 255;
    rgbPixels[3 * i] = 250 * v;
    rgbPixels[3 * i + 1] = 246 * v;
    rgbPixels[3 * i + 2] = 236 * v;
  }
  const paint = (mask: Uint8Array, x: number, y: number, density: number, colour: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= width || y >= height || density <= 0) return;
    const i = y * width + x;
    if (density > 0.15) mask[i] = 1;
    // Subtractive: the ink takes away what it absorbs, darker ink under it stays darker.
    for (let c = 0; c < 3; c++) rgbPixels[3 * i + c] = rgbPixels[3 * i + c]! * (1 - density * (1 - colour[c]! / 255));
  };

  const stampMask = new Uint8Array(width * height);
  const underStamp: string[] = [];
  const toPixels = (line: (typeof lines)[number]): Box => [line.x * px, (A4.height - line.baseline - line.size * 0.95) * px, line.width * px, line.size * 1.25 * px];
  if (options.stamp) {
    // Over the last lines of an entry and its signature line, as offices stamp beside the registrar's signature.
    const spot = signatureSpots[1 + 2 * Math.floor(r() * 2)]!;
    const cx = (spot.x + (r() - 0.5) * 40) * px;
    const cy = (A4.height - spot.y - 14 * PT_PER_MM + (r() - 0.5) * 20) * px;
    const radius = (16 + r() * 4) * mm;
    const ring = 0.6 * mm;
    const turn = r() * Math.PI * 2;
    // Pressure: stronger on one side (the stamp pressed unevenly); grain: the ink takes to the paper in spots.
    const pressureAngle = r() * Math.PI * 2;
    const grain = random(options.seed * 7 + 1);
    const star = Array.from({ length: 10 }, (_, k) => {
      const a = -Math.PI / 2 + turn + (k * Math.PI) / 5;
      const rr = (k % 2 === 0 ? 0.3 : 0.12) * radius;
      return [cx + Math.cos(a) * rr, cy + Math.sin(a) * rr] as const;
    });
    const inStar = (x: number, y: number) => {
      let inside = false;
      for (let k = 0, j = star.length - 1; k < star.length; j = k++) {
        const [xi, yi] = star[k]!;
        const [xj, yj] = star[j]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    };
    const letters = 26 + Math.floor(r() * 10);
    for (let y = Math.floor(cy - radius - ring * 3); y <= cy + radius + ring * 3; y++) {
      for (let x = Math.floor(cx - radius - ring * 3); x <= cx + radius + ring * 3; x++) {
        const dx = x - cx;
        const dy = y - cy;
        const d = Math.hypot(dx, dy);
        const angle = Math.atan2(dy, dx);
        let density = 0;
        // Two rings, soft-edged.
        for (const [k, w] of [[1, ring * 1.3], [0.78, ring]] as const) density = Math.max(density, Math.min(1, Math.max(0, 1 - (Math.abs(d - k * radius) - w / 2) / (0.5 * mm))));
        // Lettering between the rings: short radial strokes in letter groups.
        const slot = (((angle - turn) / (2 * Math.PI)) * letters * 3 + 3 * letters) % (3 * letters);
        if (d > 0.82 * radius && d < 0.95 * radius && slot % 3 < 1.6 && Math.floor(slot / 3) % 9 !== 8) density = Math.max(density, 0.9);
        if (inStar(x, y)) density = 1;
        if (density === 0) continue;
        const pressure = 0.6 + 0.35 * Math.cos(angle - pressureAngle);
        paint(stampMask, x, y, density * pressure * (0.75 + 0.25 * grain()), options.stamp.colour);
      }
    }
    const stampBox: Box = [cx - radius, cy - radius, 2 * radius, 2 * radius];
    for (const line of lines) {
      const [lx, ly, lw, lh] = toPixels(line);
      if (lx < stampBox[0] + stampBox[2] && lx + lw > stampBox[0] && ly < stampBox[1] + stampBox[3] && ly + lh > stampBox[1]) underStamp.push(line.text);
    }
  }

  const signatureMask = new Uint8Array(width * height);
  const pen = options.pen ?? [30, 45, 150];
  for (const spot of signatureSpots.slice(0, 2 * options.signatures)) {
    // A pen dragged along a looping curve: a wave with loops, 25–40 mm long, 5–9 mm tall, stroke 0.35–0.5 mm.
    const length = (25 + r() * 15) * mm;
    const tall = (5 + r() * 4) * mm;
    const x0 = spot.x * px;
    const y0 = (A4.height - spot.y) * px - 0.4 * tall;
    const loops = 3 + Math.floor(r() * 3);
    const phase = r() * Math.PI;
    const radius = (0.18 + r() * 0.07) * mm;
    for (let t = 0; t <= 1; t += 0.25 / length) {
      const x = x0 + t * length + Math.sin(t * loops * 2 * Math.PI + phase) * 0.12 * length / loops;
      const y = y0 + Math.cos(t * loops * 2 * Math.PI + phase) * tall * 0.5 * (1 - 0.5 * t) + Math.sin(t * 7) * 0.15 * tall;
      for (let yy = Math.floor(y - radius - 1); yy <= y + radius + 1; yy++) {
        for (let xx = Math.floor(x - radius - 1); xx <= x + radius + 1; xx++) {
          const cover = Math.min(1, Math.max(0, radius + 0.5 - Math.hypot(xx - x, yy - y)));
          if (cover > 0) paint(signatureMask, xx, yy, cover * 0.9, pen);
        }
      }
    }
  }

  // The scanner: a small turn on the bed, softness, grain, JPEG.
  const bytes = Buffer.alloc(width * height * 3);
  const noise = random(options.seed * 13 + 5);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.max(0, Math.min(255, Math.round(rgbPixels[i]! + (noise() - 0.5) * 10)));
  const skewDeg = options.skewDeg ?? 0;
  let scan = sharp(bytes, { raw: { width, height, channels: 3 } }).rotate(skewDeg, { background: '#f8f4ea' }).blur(0.6);
  if (options.grey) scan = scan.greyscale();
  const jpeg = await scan.jpeg({ quality: 85 }).withMetadata({ density: dpi }).toBuffer();
  const turner = pointTurner({ width, height }, skewDeg);
  const onScan = (box: Box): Box => {
    const corners = [[box[0], box[1]], [box[0] + box[2], box[1]], [box[0], box[1] + box[3]], [box[0] + box[2], box[1] + box[3]]].map(([x, y]) => turner.forward(x!, y!));
    const xs = corners.map((c) => c[0]);
    const ys = corners.map((c) => c[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
  };
  const scanned = await sharp(jpeg).metadata();
  return {
    scan: jpeg,
    dpi,
    size: { width: scanned.width!, height: scanned.height! },
    lines: lines.map((line) => ({ text: line.text, box: onScan(toPixels(line)) })),
    underStamp,
    stampMask,
    signatureMask,
    textMask,
  };
}

/** Mean clean grey (0–255) of `png` where `where` holds, and over how many pixels. */
export async function meanGreyWhere(png: Buffer, where: (i: number) => boolean): Promise<{ mean: number; count: number }> {
  const data = await sharp(png).greyscale().toColourspace('b-w').raw().toBuffer();
  let sum = 0;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    if (!where(i)) continue;
    sum += data[i]!;
    count++;
  }
  return { mean: count === 0 ? Number.NaN : sum / count, count };
}
