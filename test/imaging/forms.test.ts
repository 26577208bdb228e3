import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../schemas/config.ts';
import type { GreyImage } from '../../src/imaging/analysis.ts';
import { binarise, flattenBackground } from '../../src/imaging/background.ts';
import { cleanPage, cleanStepsFrom, DEFAULT_CLEAN_STEPS } from '../../src/imaging/clean.ts';
import { removeDottedLeaders } from '../../src/imaging/leaders.ts';

const DPI = 300;
const WIDTH = 1800;
const HEIGHT = 500;

/** A pre-printed form line: label, a dotted leader drawn as dots 0.3 mm across every 1.2 mm, a fill-in over it. */
function formSvg(): Buffer {
  const dots: string[] = [];
  for (let x = 520; x < 1740; x += 14) dots.push(`<circle cx="${x}" cy="150" r="1.8" fill="#222"/>`);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="#fff"/>` +
      `<text x="60" y="150" font-family="DejaVu Serif" font-size="48" fill="#222">Họ và tên:</text>${dots.join('')}` +
      `<text x="700" y="140" font-family="DejaVu Sans" font-size="52" fill="#223">Nguyễn Thị Hoa</text>` +
      `<text x="60" y="350" font-family="DejaVu Serif" font-size="48" fill="#222">Ghi chú: ạ ậ ặ ... xong.</text></svg>`,
  );
}

async function grey(svg: Buffer): Promise<GreyImage> {
  const { data, info } = await sharp(svg).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Dark pixels (below 128) inside a box. */
function inkIn(image: GreyImage, [x0, y0, w, h]: [number, number, number, number]): number {
  let n = 0;
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) if (image.data[y * image.width + x]! < 128) n++;
  return n;
}

/** The darkest grey level inside a box. */
function darkest(image: GreyImage, [x0, y0, w, h]: [number, number, number, number]): number {
  let min = 255;
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) min = Math.min(min, image.data[y * image.width + x]!);
  return min;
}

describe('removeDottedLeaders', () => {
  it('paints out the dots of a leader and keeps the label, the fill-in, dots below letters and an ellipsis', async () => {
    const page = await grey(formSvg());
    const { image, dots } = await removeDottedLeaders(page, DPI);
    // 88 dots are drawn; those under the fill-in's letters touch them and stay.
    expect(dots).toBeGreaterThan(60);
    // Right of the fill-in, only leader dots were there: nothing is left.
    expect(inkIn(page, [1120, 140, 620, 20])).toBeGreaterThan(100);
    expect(inkIn(image, [1120, 140, 620, 20])).toBe(0);
    for (const box of [[60, 100, 260, 70], [700, 80, 400, 55], [60, 300, 700, 70]] as const) {
      expect(inkIn(image, [...box])).toBe(inkIn(page, [...box]));
    }
  });

  it('paints out the dots left between the words typed over a leader and keeps a colon before it', async () => {
    // "Nơi cư trú:" with a colon of leader-sized dots, the leader from x 300, and a typed value over it
    // whose words leave one or two dots free between them (a chain too short to be a leader by itself).
    const dots: string[] = [];
    for (let x = 300; x < 1740; x += 14) dots.push(`<circle cx="${x}" cy="150" r="1.8" fill="#222"/>`);
    const words = ['Số', '59', 'ngõ', '246'].map((w, i) => `<text x="${420 + i * 130}" y="150" font-family="DejaVu Sans Mono" font-size="40" fill="#333">${w}</text>`);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="#fff"/>` +
      `<text x="40" y="150" font-family="DejaVu Serif" font-size="40" fill="#222">Nơi cư trú</text><circle cx="282" cy="130" r="1.8" fill="#222"/><circle cx="282" cy="150" r="1.8" fill="#222"/>` +
      `${dots.join('')}${words.join('')}</svg>`;
    const page = await grey(Buffer.from(svg));
    const { image } = await removeDottedLeaders(page, DPI);
    // The colon's two dots stay.
    expect(inkIn(image, [276, 124, 12, 32])).toBe(inkIn(page, [276, 124, 12, 32]));
    // Between the typed words (each takes ~75 px of its 130), no dot is left on the line.
    for (const i of [0, 1, 2]) {
      const gap: [number, number, number, number] = [420 + i * 130 + 100, 143, 20, 14];
      expect(inkIn(page, gap)).toBeGreaterThan(0);
      expect(inkIn(image, gap)).toBe(0);
    }
  });

  it("paints out a leader's dots with a speck of a pixel split off above them, and keeps a colon of two dots", async () => {
    // a grey scan's leader (seed 3346): a pixel of a dot's soft edge comes apart above the dot, 4 px up; every
    // such dot was kept as a colon's lower dot and read as "." after the value
    const dots: string[] = [];
    for (let x = 300; x < 1740; x += 14) dots.push(`<rect x="${x - 2}" y="148" width="4" height="5" fill="#222"/>`);
    for (let x = 412; x < 1740; x += 70) dots.push(`<rect x="${x}" y="144" width="1" height="1" fill="#222"/>`);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="#fff"/>` +
      `<text x="40" y="150" font-family="DejaVu Serif" font-size="40" fill="#222">Nơi cư trú</text><rect x="280" y="128" width="4" height="5" fill="#222"/><rect x="280" y="148" width="4" height="5" fill="#222"/>` +
      `${dots.join('')}</svg>`;
    const page = await grey(Buffer.from(svg));
    const { image } = await removeDottedLeaders(page, DPI);
    expect(inkIn(page, [400, 146, 1340, 10])).toBeGreaterThan(400);
    expect(inkIn(image, [400, 146, 1340, 10])).toBe(0);
    // the colon's two dots stay
    expect(inkIn(image, [276, 124, 12, 32])).toBe(inkIn(page, [276, 124, 12, 32]));
  });

  it('paints out the dot inside a dotted zero and keeps the rings, marks below and beside letters, and a colon', async () => {
    // "2000" in a face with dotted zeros (the typewriter face of the corpus draws them; Tesseract read them as 9):
    // a ring 2.1 × 3.4 mm with a square dot 0.6 mm across in its counter, at 300 dpi.
    const zeros = [0, 1, 2].map((i) => `<ellipse cx="${300 + i * 40}" cy="120" rx="12" ry="20" stroke="#333" stroke-width="5" fill="none"/><rect x="${297 + i * 40}" y="117" width="7" height="7" fill="#333"/>`);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="200"><rect width="100%" height="100%" fill="#fff"/>${zeros.join('')}` +
      `<text x="440" y="135" font-size="40" font-family="DejaVu Sans">ạ ộ: i. o</text></svg>`;
    const page = await grey(Buffer.from(svg));
    const { image, counterDots } = await removeDottedLeaders(page, DPI);
    expect(counterDots).toBe(3);
    for (const i of [0, 1, 2]) {
      expect(inkIn(page, [297 + i * 40, 117, 7, 7])).toBeGreaterThan(30);
      expect(inkIn(image, [297 + i * 40, 117, 7, 7])).toBe(0);
      // painted with the counter's paper, not the local mean the ring darkens: no grey square is left
      expect(darkest(image, [296 + i * 40, 116, 9, 9])).toBeGreaterThanOrEqual(250);
      // the ring itself stays
      expect(inkIn(image, [284 + i * 40, 95, 32, 16])).toBe(inkIn(page, [284 + i * 40, 95, 32, 16]));
    }
    expect(inkIn(image, [430, 60, 400, 120])).toBe(inkIn(page, [430, 60, 400, 120]));
  });

  it('keeps the dot of an "i" and the marks of ruled text: a tall letter, a rule and a stem around a dot are no ring', async () => {
    // Vietnamese names written under ruled lines (300 dpi, 36–52 px): the dot of "i" and the dots below
    // "ệ"/"ậ" have ink within reach on every side, but from several pieces, none of which encloses them.
    const lines = [36, 42, 48, 52].map((size, i) => {
      const y = 70 + i * 90;
      const face = i % 2 === 0 ? 'DejaVu Sans' : 'DejaVu Serif';
      return `<line x1="20" y1="${y - size - 4}" x2="1180" y2="${y - size - 4}" stroke="#222" stroke-width="3"/>` +
        `<text x="40" y="${y}" font-family="${face}" font-size="${size}" fill="#222">Thiện Kiều Hiếu Hiền Diệp</text>`;
    });
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="420"><rect width="100%" height="100%" fill="#fff"/>${lines.join('')}</svg>`;
    const page = await grey(Buffer.from(svg));
    const { image, counterDots } = await removeDottedLeaders(page, DPI);
    expect(counterDots).toBe(0);
    expect(inkIn(image, [0, 0, 1200, 420])).toBe(inkIn(page, [0, 0, 1200, 420]));
  });

  it('leaves a page without leaders untouched', async () => {
    const page = await grey(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="900" height="200"><rect width="100%" height="100%" fill="#fff"/><text x="40" y="120" font-size="40" font-family="DejaVu Sans">Ngày đăng ký: 02/03/2010. Đã ký.</text></svg>`));
    const { image, dots } = await removeDottedLeaders(page, DPI);
    expect(dots).toBe(0);
    expect(image).toBe(page);
  });
});

describe('flattenBackground and binarise', () => {
  /** Text on paper that darkens from white on the left to a brown-grey shadow on the right. */
  async function shadedPage(): Promise<GreyImage> {
    const svg = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><defs><linearGradient id="g"><stop offset="0" stop-color="#f4f4f4"/><stop offset="1" stop-color="#7a7a7a"/></linearGradient></defs>` +
        `<rect width="100%" height="100%" fill="url(#g)"/>` +
        `<text x="60" y="200" font-family="DejaVu Sans" font-size="48" fill="#101010">Nguyễn Thị Hoa sinh ngày 15/03/1962 tại Hà Nội</text></svg>`,
    );
    return grey(svg);
  }

  it('makes shaded paper white everywhere while text stays dark', async () => {
    const flat = (await flattenBackground(await shadedPage()))!;
    expect(flat).not.toBeNull();
    const paperLeft = flat.data[400 * WIDTH + 100]!;
    const paperRight = flat.data[400 * WIDTH + 1700]!;
    expect(paperLeft).toBeGreaterThan(235);
    expect(paperRight).toBeGreaterThan(235);
    expect(inkIn(flat, [60, 150, 1600, 60])).toBeGreaterThan(3000);
  });

  it('leaves even paper alone (the contrast stretch serves it)', async () => {
    const even = await grey(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300"><rect width="100%" height="100%" fill="#d8d0c0"/><text x="40" y="150" font-size="40">Nguyễn Thị Hoa</text></svg>`));
    expect(await flattenBackground(even)).toBeNull();
  });

  it('binarises to black text on white paper, also in the shadow, with nothing but 0 and 255', async () => {
    const bw = await binarise(await shadedPage(), DPI);
    expect(new Set(bw.data)).toEqual(new Set([0, 255]));
    // Paper in the darkest shadow is white, and the words there are still black.
    expect(inkIn(bw, [1500, 300, 250, 150])).toBe(0);
    expect(inkIn(bw, [1000, 150, 250, 60])).toBeGreaterThan(500);
  });
});

describe('cleanup step configuration', () => {
  it('CIVREG_CLEAN_STEPS lists the steps to run; unset means the defaults; a bad name is refused', () => {
    expect(cleanStepsFrom(parseConfig({ CIVREG_CLEAN_STEPS: 'deskew,leaders' }).CIVREG_CLEAN_STEPS)).toEqual({
      stamps: false, orient: false, deskew: true, crop: false, split: false, leaders: true, signatures: false, rules: false, background: false, normalise: false, binarise: false,
    });
    expect(cleanStepsFrom(parseConfig({ CIVREG_CLEAN_STEPS: 'none' }).CIVREG_CLEAN_STEPS)).toEqual(Object.fromEntries(Object.keys(DEFAULT_CLEAN_STEPS).map((k) => [k, false])));
    expect(cleanStepsFrom(parseConfig({}).CIVREG_CLEAN_STEPS)).toEqual(DEFAULT_CLEAN_STEPS);
    expect(() => parseConfig({ CIVREG_CLEAN_STEPS: 'deskew,sharpen' })).toThrow(/CIVREG_CLEAN_STEPS: takes a comma-separated list/);
  });

  it('records the steps that ran on the page', async () => {
    const png = await sharp(formSvg()).flatten().greyscale().withMetadata({ density: DPI }).png().toBuffer();
    const clean = await cleanPage(png, { steps: { ...cleanStepsFrom([]), leaders: true, binarise: true } });
    expect(clean.steps).toEqual(['greyscale', expect.stringMatching(/^leaders:\d+$/), 'binarise']);
  });
});
