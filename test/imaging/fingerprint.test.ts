import { describe, expect, it } from 'vitest';
import { decodeFingerprint, encodeFingerprint, findRescannedPages, fingerprintPage } from '../../src/imaging/fingerprint.ts';
import { formPage } from './fingerprint-pages.ts';

const page = async (pageId: number, seed: number, move?: Parameters<typeof formPage>[1], batch = 1) => ({ pageId, batch, fingerprint: await fingerprintPage(await formPage(seed, move)) });

describe('pages scanned twice, told by their pixels', () => {
  it('finds a second scan of a page, moved and speckled, among other pages of the same form', async () => {
    const pages = [await page(1, 11), await page(2, 12), await page(3, 13), await page(4, 12, { dx: 9, dy: -7, speckle: 0.002 }), await page(5, 14)];
    const found = findRescannedPages(pages);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ pageId: 4, of: 2 });
  });

  it('does not take two different pages of one form for the same page', async () => {
    const pages = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => page(i, 100 + i)));
    const seen: number[] = [];
    expect(findRescannedPages(pages, (_a, _b, s) => seen.push(s))).toEqual([]);
    expect(seen).toHaveLength(15);
    expect(Math.max(...seen)).toBeLessThan(0.8);
  });

  it('says nothing with fewer than three pages of a size, where the form cannot be told from the writing', async () => {
    expect(findRescannedPages([await page(1, 21), await page(2, 21, { dx: 3, dy: 3, speckle: 0 })])).toEqual([]);
  });

  it('compares a page only with the pages just before it within one upload, and with every page of another upload', async () => {
    const first = await page(1, 31);
    const between = await Promise.all(Array.from({ length: 13 }, (_, i) => page(2 + i, 40 + i)));
    const sameUpload = await page(15, 31, { dx: 4, dy: 2, speckle: 0 });
    expect(findRescannedPages([first, ...between, sameUpload])).toEqual([]);
    const laterUpload = { ...sameUpload, batch: 2 };
    expect(findRescannedPages([first, ...between, laterUpload])).toMatchObject([{ pageId: 15, of: 1 }]);
  });

  it('survives its storage as bytes', async () => {
    const f = await fingerprintPage(await formPage(5));
    expect(decodeFingerprint(encodeFingerprint(f))).toEqual(f);
  });
});
