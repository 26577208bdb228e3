import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageCharacterErrors } from '../../src/eval/metrics/lines.ts';
import { cleanPage, mapLineBoxToClean } from '../../src/imaging/clean.ts';
import { createOcrPool } from '../../src/ocr/pool.ts';
import type { OcrPool } from '../../src/ocr/types.ts';
import { renderedRegisterPage } from './rendered-pages.ts';

/**
 * Typed values under an office stamp on a greyscale scan, cleaned and read as the pipeline does (real Tesseract):
 * a typewriter's light strikes are as grey as a red stamp, and the stamp step used to paper over every pixel of the
 * stamp's box lighter than halfway between black and the stamp's grey, taking the light letters typed inside the
 * ring with it. Pages from `rendered-pages.ts` (pdf-lib and pdfjs-dist, not the corpus generator).
 */
describe('typed lines under a stamp on a greyscale scan', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await createOcrPool({ size: 1, pageTimeoutMs: 120_000, recycleAfterPages: 100, model: 'best_int' });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('reads the typed lines the stamp covers', async () => {
    const totals = { errors: 0, length: 0 };
    for (const seed of [1, 3, 5]) {
      const page = await renderedRegisterPage({ seed, stamp: { colour: [200, 35, 45] }, signatures: 0, grey: true, typed: { lightest: 0.55 } });
      const clean = await cleanPage(page.scan, { dpi: page.dpi });
      expect(clean.steps).toContain('grey-stamps');
      // The lines with a value the stamp covers in part, read whole.
      const stamped = page.lines.filter((line) => page.underStamp.includes(line.text) && /:\s\S/u.test(line.text));
      expect(stamped.length).toBeGreaterThan(0);
      const onClean = stamped.map((line) => ({ ...line, box: mapLineBoxToClean(line.box, clean.transform, page.size) }));
      // Only the strip of the page holding those lines is read (a whole page takes Tesseract several seconds).
      const margin = Math.round(page.dpi / 4);
      const top = Math.max(0, Math.floor(Math.min(...onClean.map((l) => l.box[1])) - margin));
      const bottom = Math.min(clean.height, Math.ceil(Math.max(...onClean.map((l) => l.box[1] + l.box[3])) + margin));
      const strip = await sharp(clean.image).extract({ left: 0, top, width: clean.width, height: bottom - top }).withMetadata({ density: page.dpi }).png().toBuffer();
      const words = (await pool.recognize(strip)).words.map((w) => ({ ...w, box: [w.box[0], w.box[1] + top, w.box[2], w.box[3]] as typeof w.box }));
      const near = words.filter((w) => onClean.some((l) => w.box[1] < l.box[1] + l.box[3] && l.box[1] < w.box[1] + w.box[3]));
      const { errors, length } = pageCharacterErrors(onClean, near);
      totals.errors += errors;
      totals.length += length;
    }
    // 4.3 % when the stamp's whole box was faded from the halfway level (main before 408b302).
    expect(totals.errors / totals.length).toBeLessThan(0.03);
  }, 180_000);
});
