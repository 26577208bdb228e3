import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { GreyImage } from '../../src/imaging/analysis.ts';
import { cleanPage, cleanStepsFrom } from '../../src/imaging/clean.ts';
import { localInk } from '../../src/imaging/leaders.ts';
import { removeRules } from '../../src/imaging/rules.ts';

const DPI = 300;
const WIDTH = 1600;
const HEIGHT = 700;

/**
 * A ruled register at 300 dpi: rules 3 px thick (0.25 mm) round three columns and under the heading,
 * typed values in the cells, one of them ("16/3/1912") run over the column rule as typists did, and a
 * short dash ("—", 5 mm) that is no rule.
 */
function tableSvg(withRules: boolean, withText = true): Buffer {
  const rules = withRules
    ? [60, 560, 1060, 1540].map((x) => `<rect x="${x}" y="60" width="3" height="600" fill="#222"/>`).join('') +
      [60, 200, 657].map((y) => `<rect x="60" y="${y}" width="1483" height="3" fill="#222"/>`).join('')
    : '';
  const text = withText
    ? `<text x="120" y="150" font-family="DejaVu Serif" font-weight="bold" font-size="40" fill="#222">Họ và tên</text>` +
      `<text x="80" y="290" font-family="DejaVu Sans Mono" font-size="44" fill="#333">Nguyễn Văn An</text>` +
      `<text x="330" y="400" font-family="DejaVu Sans Mono" font-size="44" fill="#333">16/3/1912Kinh</text>` +
      `<text x="1100" y="290" font-family="DejaVu Sans Mono" font-size="44" fill="#333">Tai nạn — xe</text>`
    : '';
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="#f2f0ea"/>${rules}${text}</svg>`);
}

async function grey(svg: Buffer): Promise<GreyImage> {
  const { data, info } = await sharp(svg).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Dark pixels (below 128) inside a box, optionally only where `only` is dark too. */
function inkIn(image: GreyImage, [x0, y0, w, h]: [number, number, number, number], only?: GreyImage): number {
  let n = 0;
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) if (image.data[y * image.width + x]! < 128 && (!only || only.data[y * image.width + x]! < 128)) n++;
  }
  return n;
}

describe('removeRules', () => {
  it('paints out the rules of a ruled table and keeps every letter, also one run over a rule', async () => {
    const page = await grey(tableSvg(true));
    const letters = await grey(tableSvg(false));
    const { image, painted } = removeRules(page, DPI, await localInk(page, DPI));
    expect(painted).toBeGreaterThan(10_000);
    // The rules away from the text: nothing left (the whole frame, every row rule, the column rules below the text).
    expect(inkIn(page, [0, 0, WIDTH, 70])).toBeGreaterThan(4000);
    expect(inkIn(image, [0, 0, WIDTH, 70])).toBe(0);
    expect(inkIn(image, [0, 640, WIDTH, 60])).toBe(0);
    expect(inkIn(image, [1050, 420, 20, 230])).toBe(0);
    expect(inkIn(image, [50, 190, WIDTH - 100, 20])).toBe(0);
    // The letters keep their ink, the dash included; where "1912Kinh" crosses the rule at x 560, only the few
    // pixels of the "2" that lie inside the rule itself (and cannot be told from it) go with it.
    expect(inkIn(image, [0, 0, WIDTH, HEIGHT], letters)).toBeGreaterThan(0.995 * inkIn(letters, [0, 0, WIDTH, HEIGHT]));
    expect(inkIn(image, [0, 0, 540, HEIGHT], letters)).toBe(inkIn(letters, [0, 0, 540, HEIGHT]));
    expect(inkIn(image, [580, 0, WIDTH - 580, HEIGHT], letters)).toBe(inkIn(letters, [580, 0, WIDTH - 580, HEIGHT]));
    expect(inkIn(image, [540, 340, 40, 70], letters)).toBeGreaterThan(0.8 * inkIn(letters, [540, 340, 40, 70]));
  });

  it('leaves a page without rules untouched', async () => {
    const page = await grey(tableSvg(false));
    const { image, painted } = removeRules(page, DPI, await localInk(page, DPI));
    expect(painted).toBe(0);
    expect(image).toBe(page);
  });

  it('runs as the cleanup step `rules`: the table grid is recorded, the rules stay on the clean page', async () => {
    const png = await sharp(tableSvg(true)).flatten().greyscale().withMetadata({ density: DPI }).png().toBuffer();
    const clean = await cleanPage(png, { steps: { ...cleanStepsFrom([]), rules: true } });
    // four column rules found: the page is a ruled table, which OCR reads column by column
    expect(clean.steps).toEqual(['greyscale', 'rules:4']);
    // and the three horizontal rules, by which extraction cuts the table into rows
    expect(clean.table).toEqual({ columns: [61, 561, 1061, 1541], top: 60, bottom: 659, rows: [61, 201, 658] });
    // the clean page keeps its rules (OCR paints them out of what it reads)
    const cleaned = await grey(await sharp(clean.image).png().toBuffer());
    expect(inkIn(cleaned, [0, 55, WIDTH, 15])).toBeGreaterThan(4000);
    const off = await cleanPage(png, { steps: cleanStepsFrom([]) });
    expect(off.steps).toEqual(['greyscale']);
    expect(off.table).toBeUndefined();
  });
});
