import { describe, expect, it } from 'vitest';
import { decodeFingerprint, encodeFingerprint, findRescannedPages, fingerprintPage } from '../../src/imaging/fingerprint.ts';
import { formPage, type ScanOf } from './fingerprint-pages.ts';

const page = async (pageId: number, seed: number, move?: ScanOf, batch = 1) => ({ pageId, batch, fingerprint: await fingerprintPage(await formPage(seed, move)) });

describe('pages scanned twice, told by their pixels', () => {
  it('finds a second scan of a page, moved and speckled, among other pages of the same form', async () => {
    const pages = [await page(1, 11), await page(2, 12), await page(3, 13), await page(4, 12, { dx: 9, dy: -7, speckle: 0.002 }), await page(5, 14)];
    const found = findRescannedPages(pages);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ pageId: 4, of: 2 });
  });

  it('finds a second scan whose paper cleanup left grey, and the first scan on grey paper as well', async () => {
    // measured from white, every cell of a page on paper of grey 214 was ink: the page was left out
    const pages = [await page(1, 11), await page(2, 12, { dx: 0, dy: 0, speckle: 0, paper: 224 }), await page(3, 13), await page(4, 12, { dx: 6, dy: -5, speckle: 0.002, paper: 214 }), await page(5, 14)];
    expect(findRescannedPages(pages)).toMatchObject([{ pageId: 4, of: 2 }]);
  });

  it('compares pages whose cleanup cropped them a little taller or shorter', async () => {
    // 100 rows more (5.7 %) put a page in another size when heights were rounded to 20 cells: the rescan and its first
    // scan each in a group of two, never compared (seed 3306 b08)
    const taller = { dx: 0, dy: 0, speckle: 0, taller: 100 };
    const pages = [await page(1, 11), await page(2, 12), await page(3, 13, taller), await page(4, 12, { ...taller, dx: 5, dy: 4 }), await page(5, 14, taller)];
    expect(findRescannedPages(pages)).toMatchObject([{ pageId: 4, of: 2 }]);
  });

  it('does not take the writing on the back of the leaf, showing through, for the page\'s own', async () => {
    // seed 3306 b08: the first scan with bleed-through scored 0.75 against its rescan without
    const pages = [await page(1, 11), await page(2, 12, { dx: 0, dy: 0, speckle: 0, bleed: 77 }), await page(3, 13), await page(4, 12, { dx: 4, dy: -3, speckle: 0.002 }), await page(5, 14)];
    expect(findRescannedPages(pages)).toMatchObject([{ pageId: 4, of: 2 }]);
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
    // stored before the dark ink was kept: one plane, read as both
    const old = encodeFingerprint(f).subarray(0, 4 + f.bits.byteLength);
    expect(decodeFingerprint(old)).toEqual({ width: f.width, height: f.height, bits: f.bits });
  });
});
