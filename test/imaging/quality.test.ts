import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeScanQuality, measureScanQuality, type ScanQuality } from '../../src/imaging/quality.ts';
import { viewImage, VIEW_LONG_SIDE } from '../../src/imaging/view.ts';
import { renderTextPage, scanPage } from './pages.ts';

// An A4 page at 150 dpi keeps every scenario small (the gate analyses at ~100 dpi anyway).
const DPI = 150;
const A4 = { width: 1240, height: 1754, fontSize: 22, lines: 34 };
const mm = (millimetres: number, dpi = DPI) => (millimetres * dpi) / 25.4;

describe('scan quality gate', () => {
  let page: Buffer;
  const judge = async (image: Buffer, dpi = DPI): Promise<{ q: ScanQuality; verdict: ReturnType<typeof judgeScanQuality> }> => {
    const q = await measureScanQuality(image, dpi);
    return { q, verdict: judgeScanQuality(q) };
  };

  beforeAll(async () => {
    page = (await renderTextPage({ ...A4, seed: 3 })).png;
  });

  it('passes a normal page, and a damaged one that OCR still reads (skew, yellowed, soft, grainy JPEG)', async () => {
    expect((await judge(await scanPage(page, { dpi: DPI }))).verdict).toEqual({ status: 'ok' });
    const damaged = await scanPage(page, { dpi: DPI, skewDeg: 2, contrast: [70, 215], blur: 1, noise: 12, jpegQuality: 40, frame: [30, 40, 50, 20] });
    const { q, verdict } = await judge(damaged);
    expect(verdict).toEqual({ status: 'ok' });
    expect(q.blurMm).toBeLessThan(0.3);
  });

  it('flags an out-of-focus page as blurred', async () => {
    const { q, verdict } = await judge(await scanPage(page, { dpi: DPI, blur: mm(0.6) }));
    expect(q.blurMm).toBeGreaterThan(0.45);
    expect(verdict).toEqual({ status: 'needs_rescan', reasons: ['blurred'] });
  });

  it('flags a page scanned at 100 dpi as low resolution', async () => {
    const small = await sharp(page).resize(Math.round((A4.width * 100) / DPI)).png().toBuffer();
    expect((await judge(small, 100)).verdict).toEqual({ status: 'needs_rescan', reasons: ['low_resolution'] });
  });

  it('flags a page scanned far too dark, and one with the text barely darker than the paper', async () => {
    expect((await judge(await scanPage(page, { dpi: DPI, contrast: [0, 25] }))).verdict).toEqual({ status: 'needs_rescan', reasons: ['too_dark'] });
    expect((await judge(await scanPage(page, { dpi: DPI, contrast: [209, 213] }))).verdict).toEqual({ status: 'needs_rescan', reasons: ['low_contrast'] });
  });

  it('passes dark and flat pages that OCR still reads (Tesseract binarises them itself)', async () => {
    expect((await judge(await scanPage(page, { dpi: DPI, contrast: [0, 90] }))).verdict).toEqual({ status: 'ok' });
    expect((await judge(await scanPage(page, { dpi: DPI, contrast: [180, 215] }))).verdict).toEqual({ status: 'ok' });
  });

  it('flags a page whose text runs off the image edge as cut off, and not a page inside a scanner frame', async () => {
    const cut = await sharp(page).extract({ left: 200, top: 0, width: A4.width - 200, height: A4.height }).png().toBuffer();
    const { q, verdict } = await judge(cut);
    expect(q.cutSides).toEqual(['left']);
    expect(verdict).toEqual({ status: 'needs_rescan', reasons: ['cut_off'] });
    expect((await judge(await scanPage(page, { dpi: DPI, frame: [60, 60, 60, 60], frameGrey: 30 }))).verdict).toEqual({ status: 'ok' });
  });

  it('recognises blank pages as blank, not as needing a rescan: white, yellowed and grainy, inside a frame', async () => {
    const blank = (await renderTextPage({ ...A4, lines: 0 })).png;
    expect((await judge(await scanPage(blank, { dpi: DPI }))).verdict).toEqual({ status: 'blank' });
    const aged = await scanPage(blank, { dpi: DPI, contrast: [60, 222], noise: 14, jpegQuality: 45, skewDeg: 1.5, frame: [40, 30, 40, 30] });
    const { q, verdict } = await judge(aged);
    expect(verdict).toEqual({ status: 'blank' });
    expect(q.letterInk).toBeLessThan(0.0005);
  });

  it('still reads a half-empty last page (three lines) as a page, not as blank', async () => {
    const sparse = (await renderTextPage({ ...A4, lines: 3, seed: 9 })).png;
    expect((await judge(await scanPage(sparse, { dpi: DPI, noise: 8 }))).verdict).toEqual({ status: 'ok' });
  });
});

describe('viewImage', () => {
  it('downsizes a large scan to a JPEG with a long side of 2000 px, keeping colour and proportions', async () => {
    const big = await sharp({ create: { width: 4960, height: 7016, channels: 3, background: { r: 240, g: 230, b: 200 } } })
      .composite([{ input: Buffer.from('<svg width="400" height="400"><circle cx="200" cy="200" r="180" fill="#c00"/></svg>'), left: 2000, top: 3000 }])
      .jpeg({ quality: 70 })
      .toBuffer();
    const view = await viewImage(big, 120e6);
    const meta = await sharp(view.jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1414, height: VIEW_LONG_SIDE, channels: 3 });
    expect(view).toMatchObject({ width: 1414, height: 2000 });
    expect(view.scale).toBeCloseTo(1414 / 4960, 4);
    expect(view.jpeg.length).toBeLessThan(big.length / 4);
    // The red stamp is still red where the scale puts it.
    const [x, y] = [Math.round(2200 * view.scale), Math.round(3200 * view.scale)];
    const { data } = await sharp(view.jpeg).extract({ left: x - 2, top: y - 2, width: 4, height: 4 }).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(150);
    expect(data[1]).toBeLessThan(80);
  });

  it('keeps a small image at its size and turns it upright by its EXIF orientation', async () => {
    const sideways = await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 200, g: 200, b: 200 } } }).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const view = await viewImage(sideways, 120e6);
    expect(view).toMatchObject({ width: 400, height: 600, scale: 1 });
    expect(view.grey).toMatchObject({ width: 400, height: 600 });
  });
});
