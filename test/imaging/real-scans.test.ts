import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanPage } from '../../src/imaging/clean.ts';
import { judgeScanQuality, measureScanQuality } from '../../src/imaging/quality.ts';

/**
 * Cleanup on two real scans the sample generator did not make (test/fixtures/real-scans/SOURCES.md): a printed
 * brochure page and a typewritten page. Their own skew is not known, so a turn is measured against the page's
 * own estimate: a real scan turned by a known angle must be found turned by that angle more.
 */
const FIXTURES = new URL('../fixtures/real-scans/', import.meta.url);
/** Both are brought to 200 dpi, the least the registers are scanned at, to keep the tests fast. */
const DPI = 200;
const WHITE = { r: 255, g: 255, b: 255 };

/** The brochure (300 dpi) and the typewritten page (about 840 dpi: ten characters to the inch) at `DPI`. */
async function scanAt(file: string, scannedDpi: number): Promise<Buffer> {
  const bytes = await readFile(new URL(file, FIXTURES));
  const { width } = await sharp(bytes).metadata();
  return sharp(bytes).resize(Math.round((width! * DPI) / scannedDpi)).png().toBuffer();
}

describe('cleanup on real scans', () => {
  let brochure: Buffer;
  let typed: Buffer;
  const ownSkew = new Map<Buffer, number>();

  beforeAll(async () => {
    brochure = await scanAt('linn.png', 300);
    typed = await scanAt('typewriter.png', 840);
    for (const page of [brochure, typed]) ownSkew.set(page, (await cleanPage(page, { dpi: DPI })).transform.skewDeg);
  }, 60_000);

  it.each([
    ['brochure', -7.5], ['brochure', 3.4], ['brochure', 9.2], ['typewritten page', -2.2], ['typewritten page', 5.7],
  ] as const)('finds the %s turned by %f° more to within 0.3°', async (which, angle) => {
    const page = which === 'brochure' ? brochure : typed;
    const turned = await sharp(page).rotate(angle, { background: WHITE }).png().toBuffer();
    const clean = await cleanPage(turned, { dpi: DPI });
    expect(Math.abs(clean.transform.skewDeg - (ownSkew.get(page)! + angle))).toBeLessThanOrEqual(0.3);
  }, 30_000);

  it.each([90, 180, 270] as const)('turns the brochure delivered turned by %i° upright', async (turn) => {
    const clean = await cleanPage(await sharp(brochure).rotate(turn).png().toBuffer(), { dpi: DPI });
    expect(clean.transform.rotate).toBe((360 - turn) % 360);
    expect(clean.findings.orient).toMatchObject({ sure: true });
  }, 30_000);

  it('turns the typewritten page delivered upside down upright', async () => {
    const clean = await cleanPage(await sharp(typed).rotate(180).png().toBuffer(), { dpi: DPI });
    expect(clean.transform.rotate).toBe(180);
  }, 30_000);

  it('lets both scans through the quality gate; a copy at 100 dpi or out of focus needs scanning again', async () => {
    for (const page of [brochure, typed]) expect(judgeScanQuality(await measureScanQuality(page, DPI))).toEqual({ status: 'ok' });
    const { width } = await sharp(brochure).metadata();
    const coarse = await sharp(brochure).resize(Math.round(width! / 2)).png().toBuffer();
    expect(judgeScanQuality(await measureScanQuality(coarse, DPI / 2))).toMatchObject({ status: 'needs_rescan', reasons: ['low_resolution'] });
    const blurred = await sharp(brochure).blur(4).png().toBuffer();
    expect(judgeScanQuality(await measureScanQuality(blurred, DPI))).toMatchObject({ status: 'needs_rescan', reasons: ['blurred'] });
  }, 30_000);
});
