import { describe, expect, it } from 'vitest';
import { cleanPage, cleanStepsFrom } from '../../src/imaging/clean.ts';
import { meanGreyWhere, renderedRegisterPage } from './rendered-pages.ts';

const ALL = cleanStepsFrom(undefined);
/** Geometry off, so the masks of the drawn page sit on the clean pixels. */
const STILL = { orient: false, deskew: false, crop: false, split: false };

/** Mean clean grey where `where` holds, over enough pixels to mean something. */
async function meanWhere(png: Buffer, where: (i: number) => boolean): Promise<number> {
  const { mean, count } = await meanGreyWhere(png, where);
  expect(count).toBeGreaterThan(500);
  return mean;
}

/**
 * The stamp and signature steps on a register page the corpus generator did not make: pdf-lib text in
 * DejaVu Serif rasterised by pdfjs-dist through the PDF ingest, a stamp and blue pen signatures painted
 * from ink-density fields (rendered-pages.ts). A synthetic page still, but drawn by other means.
 */
describe('stamps and signatures on a page drawn without the corpus generator', () => {
  it.each([
    ['colour', 1, false],
    ['greyscale', 2, true],
  ] as const)('fades the stamp and paints the signatures out of a %s scan, keeping the text under and beside them', async (_, seed, grey) => {
    const page = await renderedRegisterPage({ seed, stamp: { colour: [200, 35, 45] }, signatures: 3, grey });
    const on = await cleanPage(page.scan, { dpi: page.dpi, steps: { ...ALL, ...STILL } });
    const off = await cleanPage(page.scan, { dpi: page.dpi, steps: { ...ALL, ...STILL, stamps: false, signatures: false } });
    const { stampMask, signatureMask, textMask } = page;
    const stampOnly = (i: number) => stampMask[i] === 1 && textMask[i] === 0 && signatureMask[i] === 0;
    const textUnderStamp = (i: number) => stampMask[i] === 1 && textMask[i] === 1;
    const signatureOnly = (i: number) => signatureMask[i] === 1 && textMask[i] === 0 && stampMask[i] === 0;
    const text = (i: number) => textMask[i] === 1 && stampMask[i] === 0;
    expect(await meanWhere(off.image, stampOnly)).toBeLessThan(190);
    expect(await meanWhere(on.image, stampOnly)).toBeGreaterThan(215);
    expect(await meanWhere(on.image, textUnderStamp)).toBeLessThan(60);
    expect(await meanWhere(off.image, signatureOnly)).toBeLessThan(50);
    expect(await meanWhere(on.image, signatureOnly)).toBeGreaterThan(190);
    expect(Math.abs((await meanWhere(on.image, text)) - (await meanWhere(off.image, text)))).toBeLessThan(5);
  }, 60_000);
});

/**
 * A typewriter's strikes differ in pressure, and its light ones are as grey as a red stamp in greyscale: the letters
 * typed inside the ring, off the stamp's ink, must stay as dark as on the page cleaned without the stamp step (they
 * were papered over with the stamp's box, BENCHMARKS.md "Typed eras: lines under stamps").
 */
describe('typed letters inside a stamp on a greyscale scan', () => {
  it.each([1, 3])('keeps them while the stamp fades (seed %i)', async (seed) => {
    const page = await renderedRegisterPage({ seed, stamp: { colour: [200, 35, 45] }, signatures: 0, grey: true, typed: { lightest: 0.55 } });
    const on = await cleanPage(page.scan, { dpi: page.dpi, steps: { ...ALL, ...STILL } });
    const off = await cleanPage(page.scan, { dpi: page.dpi, steps: { ...ALL, ...STILL, stamps: false } });
    const width = page.size.width;
    const box = { left: Infinity, right: -1, top: Infinity, bottom: -1 };
    page.stampMask.forEach((v, i) => {
      if (!v) return;
      const x = i % width;
      const y = Math.floor(i / width);
      Object.assign(box, { left: Math.min(box.left, x), right: Math.max(box.right, x), top: Math.min(box.top, y), bottom: Math.max(box.bottom, y) });
    });
    const inBox = (i: number) => i % width >= box.left && i % width <= box.right && Math.floor(i / width) >= box.top && Math.floor(i / width) <= box.bottom;
    const typedOffInk = (i: number) => page.textMask[i] === 1 && page.stampMask[i] === 0 && inBox(i);
    const stampOnly = (i: number) => page.stampMask[i] === 1 && page.textMask[i] === 0;
    expect(await meanWhere(on.image, stampOnly)).toBeGreaterThan(215);
    expect(await meanWhere(on.image, typedOffInk)).toBeLessThan((await meanWhere(off.image, typedOffInk)) + 15);
  }, 60_000);
});
