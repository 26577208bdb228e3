import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cleanPage } from '../../src/imaging/clean.ts';
import { meanGreyWhere, renderTextPage } from './pages.ts';

/** A5 at 200 dpi (7.9 px/mm), as the geometry tests use. */
const PAGE = { width: 1165, height: 1654, fontSize: 30, lines: 26 };
const STILL = { orient: false, deskew: false, crop: false, split: false, background: false };

/** A pen signature as signed in a register: connected loops ~22 mm long, ~4 mm tall, 2 px pen. */
function signature(x: number, y: number): string {
  const loops = [0, 1, 2, 3].map((i) => `C ${x + 20 + i * 43} ${y - 38}, ${x + 5 + i * 43} ${y + 12}, ${x + 43 + (i + 1) * 43 - 43} ${y - 4}`).join(' ');
  return `<path d="M ${x} ${y} ${loops} Q ${x + 190} ${y + 14}, ${x + 30} ${y + 6}" fill="none" stroke="#1c2a63" stroke-width="2"/>`;
}

/** Grey pixels of `svg` (drawn alone on white) that are ink: where to look on the clean page. */
async function inkOf(svg: string): Promise<Uint8Array> {
  const doc = `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE.width}" height="${PAGE.height}"><rect width="100%" height="100%" fill="#fff"/>${svg}</svg>`;
  return sharp(Buffer.from(doc)).greyscale().toColourspace('b-w').raw().toBuffer();
}

async function drawOn(base: Buffer, svg: string): Promise<Buffer> {
  const doc = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE.width}" height="${PAGE.height}">${svg}</svg>`);
  return sharp(base).composite([{ input: doc, blend: 'multiply' }]).greyscale().toColourspace('b-w').png().toBuffer();
}

/** Mean clean grey over the ink of `mask` (a drawing from `inkOf`). */
async function meanWhere(png: Buffer, mask: Uint8Array): Promise<number> {
  const { mean, pixels } = await meanGreyWhere(png, (i) => mask[i]! < 100);
  expect(pixels).toBeGreaterThan(100);
  return mean;
}

describe('signature removal', () => {
  it('paints signatures out of a printed page and keeps its letters and a strike-out', async () => {
    const page = await renderTextPage({ ...PAGE, seed: 7 });
    const text = await sharp(page.png).greyscale().toColourspace('b-w').raw().toBuffer();
    const labels = `<text x="120" y="1480" font-family="DejaVu Serif" font-size="30">Chồng ký:</text><text x="620" y="1480" font-family="DejaVu Serif" font-size="30">Vợ ký:</text>`;
    const signatures = signature(330, 1478) + signature(760, 1476);
    const strike = '<line x1="150" y1="300" x2="1000" y2="420" stroke="#1c2a63" stroke-width="3"/>';
    const scan = await drawOn(page.png, labels + signatures + strike);
    const clean = await cleanPage(scan, { dpi: 200, steps: STILL });
    expect(clean.steps).toContain('signatures:2');
    expect(await meanWhere(clean.image, await inkOf(signatures))).toBeGreaterThan(200);
    expect(await meanWhere(clean.image, await inkOf(labels))).toBeLessThan(100);
    expect(await meanWhere(clean.image, text)).toBeLessThan(100);
    expect(await meanWhere(clean.image, await inkOf(strike))).toBeLessThan(100);
    const kept = await cleanPage(scan, { dpi: 200, steps: { ...STILL, signatures: false } });
    expect(await meanWhere(kept.image, await inkOf(signatures))).toBeLessThan(100);
  });

  it('leaves a page of connected hand-writing alone', async () => {
    const blank = await renderTextPage({ ...PAGE, lines: 0 });
    let writing = '';
    for (let row = 0; row < 12; row++) for (let col = 0; col < 4; col++) writing += signature(100 + col * 250, 200 + row * 100);
    const clean = await cleanPage(await drawOn(blank.png, writing), { dpi: 200, steps: STILL });
    expect(clean.steps.some((s) => s.startsWith('signatures'))).toBe(false);
    expect(await meanWhere(clean.image, await inkOf(writing))).toBeLessThan(100);
  });
});
