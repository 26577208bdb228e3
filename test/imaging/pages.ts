/**
 * Scanned-page scenarios for the geometry tests and measurements: printed Vietnamese text rendered
 * from SVG, then turned, skewed, framed by a dark scanner border and degraded by known amounts, so
 * every test knows the truth (angle, turn, where each marker is).
 */
import sharp from 'sharp';

export interface PageOptions {
  /** Page size in pixels; A4 at 250 dpi by default. */
  width?: number;
  height?: number;
  /** Number of text lines (a sparse page has few). */
  lines?: number;
  fontSize?: number;
  fontFamily?: string;
  /** Seeds which words are drawn, so pages differ but are reproducible. */
  seed?: number;
  ink?: string;
  paper?: string;
  /** Filled black squares at known positions (x, y, size), e.g. to check where a page ended up. */
  markers?: { x: number; y: number; size: number }[];
  /** Ruled like a register: a rule under every line and column rules, all in `ink`. */
  ruled?: boolean;
}

export interface RenderedPage {
  /** Greyscale PNG of the upright, straight page. */
  png: Buffer;
  /** The drawn text, one line per text line. */
  truth: string;
  width: number;
  height: number;
}

const WORDS = (
  'Họ và tên Nguyễn Thị Hoa Trần Văn Đức Lê Minh Tuấn Phạm Ngọc Ánh ngày sinh tháng năm nơi đăng ký khai sinh ' +
  'quê quán dân tộc Kinh quốc tịch Việt Nam cha mẹ xã phường huyện tỉnh Thái Bình Hưng Yên Nghệ An Quảng Ngãi ' +
  'giấy chứng nhận kết hôn người khai quan hệ với người được khai sinh cán bộ tư pháp hộ tịch Ủy ban nhân dân ' +
  'số quyển trang ghi chú nữ nam thường trú tạm trú bản chính bản sao'
).split(' ');

/** Deterministic word stream (xorshift), so a seed always gives the same page. */
function wordStream(seed: number): () => string {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return WORDS[state % WORDS.length]!;
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A straight, upright page of printed Vietnamese text lines (register-like wording, with dates and
 * numbers). Lines are filled to roughly the text width for the font size.
 */
export async function renderTextPage(options: PageOptions = {}): Promise<RenderedPage> {
  const width = options.width ?? 2067;
  const height = options.height ?? 2923;
  const fontSize = options.fontSize ?? 42;
  const lineCount = options.lines ?? 40;
  const fontFamily = options.fontFamily ?? 'DejaVu Serif';
  const next = wordStream(options.seed ?? 1);
  const marginX = Math.round(width * 0.1);
  const top = Math.round(height * 0.08);
  const pitch = Math.min(fontSize * 1.6, (height * 0.84) / Math.max(lineCount, 1));
  // Average advance of a serif font is ~0.5 em; stop a little short of the right margin.
  const charsPerLine = Math.floor((width - 2 * marginX) / (fontSize * 0.52));
  const lines: string[] = [];
  for (let row = 0; row < lineCount; row++) {
    let line = row % 5 === 2 ? `${(row * 7) % 28 + 1}/${(row % 12) + 1}/19${60 + row}` : '';
    while (line.length < charsPerLine - 8) line = line === '' ? next() : `${line} ${next()}`;
    lines.push(row === 0 ? line.charAt(0).toUpperCase() + line.slice(1) : line);
  }
  const ink = options.ink ?? '#000';
  const text = lines
    .map((line, row) => `<text x="${marginX}" y="${Math.round(top + fontSize + row * pitch)}" font-family="${fontFamily}" font-size="${fontSize}" fill="${ink}">${escapeXml(line)}</text>`)
    .join('');
  const rules: string[] = [];
  if (options.ruled) {
    const bottom = Math.round(top + fontSize + (lineCount - 1) * pitch + fontSize * 0.45);
    for (let row = 0; row < lineCount; row++) {
      const y = Math.round(top + fontSize + row * pitch + fontSize * 0.45);
      rules.push(`<line x1="${marginX - 20}" y1="${y}" x2="${width - marginX + 20}" y2="${y}" stroke="${ink}" stroke-width="3"/>`);
    }
    for (const x of [marginX - 20, Math.round(width * 0.35), Math.round(width * 0.62), width - marginX + 20]) {
      rules.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="${ink}" stroke-width="3"/>`);
    }
  }
  const markers = (options.markers ?? []).map(({ x, y, size }) => `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="#000"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${options.paper ?? '#fff'}"/>${rules.join('')}${text}${markers}</svg>`;
  const png = await sharp(Buffer.from(svg)).flatten({ background: '#fff' }).greyscale().toColourspace('b-w').png().toBuffer();
  return { png, truth: lines.join('\n'), width, height };
}

/**
 * A typed register table on a landscape page, as the 1961–1998 books are: many narrow ruled columns, a few entries
 * each typed as short stacked lines in every cell (name, date, place, parents), printed headings above. Its
 * column rules and the ragged columns of short lines make the column profile nearly as peaked as the row profile,
 * which is where the orientation step's lines-or-columns measure is weakest.
 */
export async function renderTablePage(options: { seed?: number; entries?: number; width?: number; height?: number; fontSize?: number } = {}): Promise<RenderedPage> {
  const width = options.width ?? 2400;
  const height = options.height ?? 1700;
  const fontSize = options.fontSize ?? 28;
  const next = wordStream(options.seed ?? 1);
  const left = 100;
  const right = width - 80;
  const top = 230;
  const bottom = height - 120;
  // Column widths as shares of the table (number, name, sex, date, place, nation, home, father, mother, informant, registered, note).
  const shares = [0.03, 0.09, 0.035, 0.08, 0.09, 0.055, 0.08, 0.13, 0.13, 0.08, 0.09, 0.08];
  const sum = shares.reduce((a, b) => a + b, 0);
  const xs = [left];
  for (const share of shares) xs.push(xs.at(-1)! + ((right - left) * share) / sum);
  const headingBottom = top + 2.6 * fontSize;
  const entries = options.entries ?? 3;
  const rowHeight = (bottom - headingBottom) / (entries + 0.4);
  const pitch = fontSize * 1.25;
  const parts: string[] = [];
  const text = (x: number, y: number, value: string, size = fontSize, family = 'DejaVu Sans Mono') =>
    parts.push(`<text x="${Math.round(x)}" y="${Math.round(y)}" font-family="${family}" font-size="${size}" fill="#222">${escapeXml(value)}</text>`);
  text(left, 90, 'Ủy ban hành chính xã Đức Thượng', fontSize * 0.9, 'DejaVu Serif');
  text(width / 2 - 6 * fontSize, 150, 'SỔ ĐĂNG KÝ KHAI SINH', fontSize * 1.2, 'DejaVu Serif');
  for (let c = 0; c < shares.length; c++) text(xs[c]! + 8, top + 1.6 * fontSize, next().slice(0, 8), fontSize * 0.7, 'DejaVu Serif');
  const rule = (x1: number, y1: number, x2: number, y2: number) => parts.push(`<line x1="${Math.round(x1)}" y1="${Math.round(y1)}" x2="${Math.round(x2)}" y2="${Math.round(y2)}" stroke="#222" stroke-width="2"/>`);
  for (const x of xs) rule(x, top, x, bottom);
  rule(left, top, right, top);
  rule(left, headingBottom, right, headingBottom);
  rule(left, bottom, right, bottom);
  for (let e = 0; e < entries; e++) {
    const y0 = headingBottom + e * rowHeight;
    rule(left, y0 + rowHeight, right, y0 + rowHeight);
    text(xs[0]! + 4, y0 + fontSize * 1.2, String(244 + e));
    for (let c = 1; c < shares.length - 1; c++) {
      const chars = Math.max(3, Math.floor((xs[c + 1]! - xs[c]! - 12) / (fontSize * 0.6)));
      const lines = c === 2 || c === 5 ? 1 + (e % 2) : c === 7 || c === 8 ? 6 : 3;
      // Each cell was typed on its own: its lines start anywhere within a line pitch of the row's top.
      const drop = ((next().length * 7 + c * 13 + e * 5) % 10) / 10 * pitch;
      for (let l = 0; l < lines; l++) {
        let line = '';
        while (line.length < chars - 4) line = line === '' ? next() : `${line} ${next()}`;
        text(xs[c]! + 6, y0 + fontSize * 1.2 + drop + l * pitch, line.slice(0, chars));
      }
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`;
  const png = await sharp(Buffer.from(svg)).flatten({ background: '#fff' }).greyscale().toColourspace('b-w').png().toBuffer();
  return { png, truth: '', width, height };
}

export interface ScanOptions {
  /** Skew in degrees, clockwise positive (as sharp rotates). */
  skewDeg?: number;
  /** Dark scanner frame: width of the border on each side in pixels (left, top, right, bottom). */
  frame?: [number, number, number, number];
  frameGrey?: number;
  /** Stripes in the frame, as the stacked page edges of a bound book show beside the page. */
  frameStripes?: boolean;
  /** Quarter turns clockwise applied last, as a scanner operator would feed the page. */
  turn?: 0 | 90 | 180 | 270;
  /** Gaussian blur sigma (out-of-focus scan). */
  blur?: number;
  /** Peak amplitude of pixel noise, in grey levels. */
  noise?: number;
  /** Maps black..white to [low, high]: faded ink on yellowed paper. */
  contrast?: [number, number];
  /** JPEG quality for the delivered file; PNG when omitted. */
  jpegQuality?: number;
  /** Resolution written into the file, as a scanner does (250 unless given). */
  dpi?: number;
}

/**
 * Turns a straight page into a delivered scan: skew (the page rotated on the glass, the scanner
 * frame around it), frame, fading, blur, noise, then a quarter turn. Returns greyscale PNG or JPEG.
 */
export async function scanPage(page: Buffer, options: ScanOptions = {}): Promise<Buffer> {
  const frameGrey = options.frameGrey ?? 40;
  let image = sharp(page).greyscale();
  if (options.contrast) {
    const [low, high] = options.contrast;
    image = image.linear((high - low) / 255, low);
  }
  let pixels = await image.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (options.skewDeg) {
    // The page turns on the glass: the corners it uncovers show the scanner lid, not white paper.
    const background = options.frame ? frameGrey : 255;
    pixels = await sharp(pixels.data, { raw: { width: pixels.info.width, height: pixels.info.height, channels: 1 } })
      .rotate(options.skewDeg, { background: { r: background, g: background, b: background } })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
  }
  let next = sharp(pixels.data, { raw: { width: pixels.info.width, height: pixels.info.height, channels: 1 } });
  if (options.frame) {
    const [left, top, right, bottom] = options.frame;
    next = next.extend({ left, top, right, bottom, background: { r: frameGrey, g: frameGrey, b: frameGrey } });
  }
  if (options.frame && options.frameStripes) {
    const framed = await next.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const [left, top, right, bottom] = options.frame;
    const { width, height } = framed.info;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const side = x < left ? left - x : x >= width - right ? x - (width - right) : 0;
        const end = y < top ? top - y : y >= height - bottom ? y - (height - bottom) : 0;
        if (side === 0 && end === 0) continue;
        const phase = side >= end ? side : end;
        framed.data[y * width + x] = Math.max(0, Math.min(255, frameGrey + 70 * Math.sin((2 * Math.PI * phase) / 7)));
      }
    }
    next = sharp(framed.data, { raw: { width, height, channels: 1 } });
  }
  if (options.blur) next = next.blur(options.blur);
  let data = await next.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (options.noise) {
    const noisy = Buffer.from(data.data);
    let state = 12345;
    for (let i = 0; i < noisy.length; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      noisy[i] = Math.max(0, Math.min(255, noisy[i]! + ((state >>> 16) / 65536 - 0.5) * 2 * options.noise));
    }
    data = { data: noisy, info: data.info };
  }
  let out = sharp(data.data, { raw: { width: data.info.width, height: data.info.height, channels: 1 } });
  if (options.turn) out = out.rotate(options.turn);
  out = out.toColourspace('b-w').withDensity(options.dpi ?? 250);
  return options.jpegQuality ? out.jpeg({ quality: options.jpegQuality }).toBuffer() : out.png().toBuffer();
}

/** Mean grey level (0 black … 255 white) inside a box of a greyscale image. */
export async function meanGrey(png: Buffer, [x, y, w, h]: [number, number, number, number]): Promise<number> {
  const { data, info } = await sharp(png).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(info.width, Math.round(x + w));
  const y1 = Math.min(info.height, Math.round(y + h));
  let sum = 0;
  let count = 0;
  for (let row = y0; row < y1; row++) {
    for (let col = x0; col < x1; col++) {
      sum += data[row * info.width + col]!;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Mean grey level of a greyscale image over the pixels (row-major indexes) for which `where` holds, and
 * how many there were.
 */
export async function meanGreyWhere(png: Buffer, where: (index: number) => boolean): Promise<{ mean: number; pixels: number }> {
  const data = await sharp(png).greyscale().toColourspace('b-w').raw().toBuffer();
  let sum = 0;
  let pixels = 0;
  for (let i = 0; i < data.length; i++) {
    if (!where(i)) continue;
    sum += data[i]!;
    pixels++;
  }
  return { mean: pixels === 0 ? Number.NaN : sum / pixels, pixels };
}

/** A filled dark square found on an image: its bounding box and centre, in image pixels. */
export interface FoundMarker {
  box: [number, number, number, number];
  centre: [number, number];
}

/**
 * Filled dark squares of about `size` pixels, found as connected dark components: area within
 * ±25% of a square's, and filling at least 65% of their bounding box (a square turned by 10°
 * fills 73%), so letters, lines and the frame never qualify. Sorted top to bottom, then left to right.
 */
export async function findMarkers(image: Buffer, size: number): Promise<FoundMarker[]> {
  const { data, info } = await sharp(image).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const seen = new Uint8Array(width * height);
  const found: FoundMarker[] = [];
  const stack: number[] = [];
  for (let start = 0; start < data.length; start++) {
    if (seen[start] || data[start]! >= 110) continue;
    seen[start] = 1;
    stack.push(start);
    let count = 0;
    let sumX = 0;
    let sumY = 0;
    let left = width;
    let top = height;
    let right = -1;
    let bottom = -1;
    while (stack.length > 0) {
      const index = stack.pop()!;
      const x = index % width;
      const y = (index - x) / width;
      count++;
      sumX += x + 0.5;
      sumY += y + 0.5;
      left = Math.min(left, x);
      top = Math.min(top, y);
      right = Math.max(right, x);
      bottom = Math.max(bottom, y);
      for (const next of [x > 0 ? index - 1 : -1, x < width - 1 ? index + 1 : -1, index - width, index + width]) {
        if (next >= 0 && next < data.length && !seen[next] && data[next]! < 110) {
          seen[next] = 1;
          stack.push(next);
        }
      }
    }
    const w = right - left + 1;
    const h = bottom - top + 1;
    const side = Math.sqrt(count);
    if (side < size * 0.87 || side > size * 1.12 || count < 0.65 * w * h || Math.max(w, h) > size * 1.45) continue;
    found.push({ box: [left, top, w, h], centre: [sumX / count, sumY / count] });
  }
  return found.sort((a, b) => a.centre[1] - b.centre[1] || a.centre[0] - b.centre[0]);
}
