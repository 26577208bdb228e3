import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { resolveDpi } from '../../src/ingest/raster.ts';
import { BLANK_AREA, DARK_MARK } from '../fixtures/fixture-layout.ts';
import { collect, decodeFixture, decodePages, expectRejected, fixture, inset, meanGrey } from './ingest-helpers.ts';

describe('decodeUpload (TIFF, JPEG, PNG)', () => {
  describe('happy path', () => {
    it('reads a 3-page TIFF page by page with each page’s colour mode', async () => {
      const result = await decodeFixture('tiff-multipage-3-pages.tif');
      expect(result).toMatchObject({ ok: true, kind: 'tiff', pageCount: 3, warnings: [] });
      const pages = await decodePages('tiff-multipage-3-pages.tif');
      expect(pages.map((p) => [p.label, p.format, p.width, p.height, p.dpi, p.colourMode, p.extraction])).toEqual([
        ['trang 1', 'png', 600, 450, 150, 'grey', 'image'],
        ['trang 2', 'png', 600, 450, 150, 'colour', 'image'],
        ['trang 3', 'png', 600, 450, 150, 'bilevel', 'image'],
      ]);
      expect(pages.map((p) => p.index)).toEqual([0, 1, 2]);
    });

    it('reads a CCITT G4 bilevel TIFF into a one-channel PNG with the mark in place', async () => {
      const [page] = await decodePages('tiff-ccitt-g4-bilevel-300dpi.tif');
      expect(page).toMatchObject({ format: 'png', width: 1200, height: 1600, dpi: 300, dpiEstimated: false, colourMode: 'bilevel' });
      expect((await sharp(page!.image).metadata()).channels).toBe(1);
      expect(await meanGrey(page!.image, inset(DARK_MARK))).toBe(0);
      expect(await meanGrey(page!.image, BLANK_AREA)).toBe(255);
    });

    it('keeps a JPEG byte for byte with the dpi it records', async () => {
      const result = await decodeFixture('jpeg-colour-scan-150dpi.jpg');
      expect(result).toMatchObject({ ok: true, kind: 'jpeg', pageCount: 1, warnings: [] });
      const [outcome] = await collect(result);
      expect(outcome).toMatchObject({ ok: true, page: { format: 'jpeg', width: 600, height: 840, dpi: 150, dpiEstimated: false, colourMode: 'colour', extraction: 'image' } });
      if (outcome?.ok) expect(outcome.page.image.equals(fixture('jpeg-colour-scan-150dpi.jpg'))).toBe(true);
    });

    it('tells a grey JPEG from a colour one', async () => {
      const [page] = await decodePages('jpeg-grey-scan-150dpi.jpg');
      expect(page).toMatchObject({ format: 'jpeg', colourMode: 'grey' });
    });

    it('estimates the dpi of a PNG that records none, and warns', async () => {
      const result = await decodeFixture('png-no-dpi.png');
      expect(result).toMatchObject({ ok: true, kind: 'png', warnings: ['dpi_estimated'] });
      const [outcome] = await collect(result);
      // 1754 px long side read as an A4 page.
      expect(outcome).toMatchObject({ ok: true, page: { format: 'png', width: 1240, height: 1754, dpi: 150, dpiEstimated: true, colourMode: 'grey' } });
    });

    it('turns a JPEG with an EXIF orientation upright, as a lossless PNG', async () => {
      const jpeg = await sharp(fixture('jpeg-grey-scan-150dpi.jpg')).withMetadata({ orientation: 6, density: 150 }).jpeg().toBuffer();
      const result = await decodeUpload(jpeg, 'phone.jpg', DEFAULT_LIMITS);
      const [outcome] = await collect(result);
      expect(outcome).toMatchObject({ ok: true, page: { format: 'png', width: 840, height: 600 } });
    });
  });

  describe('bad input', () => {
    it('refuses a PNG whose header claims 100000 × 100000 pixels without decoding it', async () => {
      const started = performance.now();
      await expectRejected('png-header-claims-huge-size.png', 'too_many_pixels');
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('refuses a JPEG cut off in the middle as truncated', async () => {
      await expectRejected('jpeg-truncated.jpg', 'truncated_file');
    });

    it('refuses a PNG cut off in the middle as truncated', async () => {
      const png = fixture('png-no-dpi.png');
      const result = await decodeUpload(png.subarray(0, png.length >> 1), 'cut.png', DEFAULT_LIMITS);
      expect(result).toMatchObject({ ok: false, reason: 'truncated_file' });
    });

    it('refuses an image over the pixel limit', async () => {
      await expectRejected('tiff-ccitt-g4-bilevel-300dpi.tif', 'too_many_pixels', { maxPixels: 1_000_000 });
    });

    it('refuses an image whose recorded size is not a page', async () => {
      const stamp = await sharp({ create: { width: 150, height: 150, channels: 3, background: '#fff' } }).withDensity(300).png().toBuffer();
      const result = await decodeUpload(stamp, 'stamp.png', DEFAULT_LIMITS);
      expect(result).toMatchObject({ ok: false, reason: 'page_size_absurd' });
    });

    it('reports a broken TIFF page and still delivers the others', async () => {
      const outcomes = await collect(await decodeFixture('tiff-3-pages-page2-broken.tif'));
      expect(outcomes.map((o) => (o.ok ? o.page.colourMode : o.reason))).toEqual(['grey', 'page_unreadable', 'bilevel']);
      expect(outcomes[1]).toMatchObject({ index: 1, label: 'trang 2' });
    });
  });
});

describe('resolveDpi', () => {
  it('uses a recorded density', () => {
    expect(resolveDpi(200, 1654, 2339)).toEqual({ dpi: 200, estimated: false });
  });

  it('assumes 300 dpi for an image the size of a 300-dpi page', () => {
    expect(resolveDpi(undefined, 2480, 3508)).toEqual({ dpi: 300, estimated: true });
  });

  it('reads other sizes as an A4 page', () => {
    expect(resolveDpi(undefined, 1240, 1754)).toEqual({ dpi: 150, estimated: true });
  });

  it('distrusts a 72 dpi placeholder on a large scan', () => {
    expect(resolveDpi(72, 2480, 3508)).toEqual({ dpi: 300, estimated: true });
    expect(resolveDpi(72, 600, 800)).toEqual({ dpi: 72, estimated: false });
  });
});
