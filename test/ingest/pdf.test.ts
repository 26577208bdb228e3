import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BLANK_AREA, DARK_MARK, RED_SEAL } from '../fixtures/fixture-layout.ts';
import { collect, decodeFixture, decodePages, expectRejected, fixture, inset, meanGrey, turnedClockwise } from './ingest-helpers.ts';

describe('decodeUpload (PDF)', () => {
  describe('pages that are one scanned image', () => {
    it('keeps each embedded JPEG byte for byte, at its native size and dpi', async () => {
      const pages = await decodePages('pdf-jpeg-scans-2-pages.pdf');
      expect(pages).toHaveLength(2);
      const [colour, grey] = pages;
      expect(colour).toMatchObject({ index: 0, label: 'trang 1', format: 'jpeg', width: 600, height: 840, dpi: 150, dpiEstimated: false, extraction: 'embedded', colourMode: 'colour' });
      expect(grey).toMatchObject({ index: 1, label: 'trang 2', format: 'jpeg', width: 600, height: 840, dpi: 150, colourMode: 'grey' });
      expect(colour!.image.equals(fixture('jpeg-colour-scan-150dpi.jpg'))).toBe(true);
      expect(grey!.image.equals(fixture('jpeg-grey-scan-150dpi.jpg'))).toBe(true);
    });

    it('reports the page as one image even with an invisible OCR text layer over it', async () => {
      const [page] = await decodePages('pdf-scan-with-invisible-ocr-text.pdf');
      expect(page).toMatchObject({ format: 'jpeg', extraction: 'embedded', dpi: 150 });
      expect(page!.image.equals(fixture('jpeg-grey-scan-150dpi.jpg'))).toBe(true);
    });

    it('encodes a Flate greyscale image as a lossless grey PNG', async () => {
      const [page] = await decodePages('pdf-flate-grey-200dpi.pdf');
      expect(page).toMatchObject({ format: 'png', width: 800, height: 600, dpi: 200, colourMode: 'grey', extraction: 'embedded' });
      const meta = await sharp(page!.image).metadata();
      expect(meta).toMatchObject({ format: 'png', channels: 1, density: 200 });
      expect(await meanGrey(page!.image, inset(DARK_MARK))).toBeLessThan(10);
      expect(await meanGrey(page!.image, BLANK_AREA)).toBeGreaterThan(245);
    });

    it('decodes a CCITT G4 bilevel image into black and white pixels in the right places', async () => {
      const [page] = await decodePages('pdf-ccitt-g4-bilevel-200dpi.pdf');
      expect(page).toMatchObject({ format: 'png', width: 1000, height: 800, dpi: 200, colourMode: 'bilevel', extraction: 'embedded' });
      expect(await meanGrey(page!.image, inset(DARK_MARK))).toBe(0);
      expect(await meanGrey(page!.image, BLANK_AREA)).toBe(255);
    });

    it('decodes a JBIG2 image with the same pixels as the CCITT one', async () => {
      const [jbig2] = await decodePages('pdf-jbig2-bilevel-200dpi.pdf');
      const [ccitt] = await decodePages('pdf-ccitt-g4-bilevel-200dpi.pdf');
      expect(jbig2).toMatchObject({ width: 1000, height: 800, dpi: 200, colourMode: 'bilevel', extraction: 'embedded' });
      const a = await sharp(jbig2!.image).raw().toBuffer();
      const b = await sharp(ccitt!.image).raw().toBuffer();
      expect(a.equals(b)).toBe(true);
      expect(await meanGrey(jbig2!.image, inset(DARK_MARK))).toBe(0);
    });

    it('decodes a JPEG 2000 image', async () => {
      const [page] = await decodePages('pdf-jpx-grey-150dpi.pdf');
      expect(page).toMatchObject({ format: 'png', width: 600, height: 450, dpi: 150, colourMode: 'grey', extraction: 'embedded' });
      expect(await meanGrey(page!.image, inset(DARK_MARK))).toBeLessThan(20);
      expect(await meanGrey(page!.image, BLANK_AREA)).toBeGreaterThan(240);
    });

    it('turns the image the way the page is displayed when the page is rotated', async () => {
      const [page] = await decodePages('pdf-rotated-90-jpeg-page.pdf');
      expect(page).toMatchObject({ format: 'png', width: 840, height: 600, dpi: 150, extraction: 'embedded' });
      expect(await meanGrey(page!.image, inset(turnedClockwise(DARK_MARK)))).toBeLessThan(20);
      expect(await meanGrey(page!.image, inset(DARK_MARK))).toBeGreaterThan(240);
    });

    it('reads an owner-password (restricted) PDF normally and warns about the restriction', async () => {
      const result = await decodeFixture('pdf-owner-password-restricted.pdf');
      expect(result).toMatchObject({ ok: true, kind: 'pdf', pageCount: 1, warnings: ['pdf_restricted'] });
      const [outcome] = await collect(result);
      // Encrypted streams cannot be copied out as they are; the decoded pixels are kept losslessly.
      expect(outcome).toMatchObject({ ok: true, page: { format: 'png', width: 600, height: 840, dpi: 150, extraction: 'embedded' } });
    });
  });

  describe('pages that must be rendered', () => {
    it('renders a text and vector page at the render dpi', async () => {
      const [page] = await decodePages('pdf-vector-text-only.pdf');
      expect(page).toMatchObject({ format: 'png', width: 1200, height: 900, dpi: 300, dpiEstimated: false, extraction: 'rendered' });
      expect(await meanGrey(page!.image, inset(DARK_MARK))).toBeLessThan(10);
      expect(await meanGrey(page!.image, BLANK_AREA)).toBe(255);
    });

    it('renders at the configured dpi', async () => {
      const [page] = await decodePages('pdf-vector-text-only.pdf', { renderDpi: 100 });
      expect(page).toMatchObject({ width: 400, height: 300, dpi: 100 });
    });

    it('renders a page that holds two images instead of taking one of them', async () => {
      const [page] = await decodePages('pdf-two-images-one-page.pdf', { renderDpi: 150 });
      expect(page).toMatchObject({ format: 'png', width: 600, height: 450, dpi: 150, extraction: 'rendered' });
    });
  });

  describe('bad input', () => {
    it('refuses a PDF that needs a password to open', async () => {
      await expectRejected('pdf-user-password.pdf', 'pdf_encrypted');
    });

    it('refuses a PDF without pages', async () => {
      await expectRejected('pdf-no-pages.pdf', 'pdf_no_pages');
    });

    it('refuses a PDF cut off before its end', async () => {
      await expectRejected('pdf-truncated.pdf', 'truncated_file');
    });

    it('reports an unreadable page and still delivers the pages around it', async () => {
      const outcomes = await collect(await decodeFixture('pdf-3-pages-middle-page-broken.pdf'));
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.reason))).toEqual(['ok', 'page_unreadable', 'ok']);
      expect(outcomes[1]).toMatchObject({ index: 1, label: 'trang 2' });
      expect(outcomes[2]).toMatchObject({ ok: true, page: { index: 2, colourMode: 'colour' } });
    });

    it('refuses a page whose image has more pixels than the limit, before decoding it', async () => {
      const outcomes = await collect(await decodeFixture('pdf-jpeg-scans-2-pages.pdf', { maxPixels: 400_000 }));
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.reason))).toEqual(['too_many_pixels', 'too_many_pixels']);
    });

    it('refuses a page that would exceed the pixel limit when rendered', async () => {
      const outcomes = await collect(await decodeFixture('pdf-vector-text-only.pdf', { maxPixels: 1_000_000 }));
      expect(outcomes).toMatchObject([{ ok: false, reason: 'too_many_pixels', index: 0 }]);
    });
  });

  it('delivers pages one at a time and can stop early and start again', async () => {
    const result = await decodeFixture('pdf-3-pages-middle-page-broken.pdf');
    if (!result.ok) throw new Error(result.reason);
    const seen: number[] = [];
    for await (const outcome of result.pages()) {
      seen.push(outcome.ok ? outcome.page.index : outcome.index);
      break;
    }
    expect(seen).toEqual([0]);
    expect((await collect(result)).length).toBe(3);
  });

  it('shows the red seal of a colour scan where it was drawn', async () => {
    const [colour] = await decodePages('pdf-jpeg-scans-2-pages.pdf');
    const { data, info } = await sharp(colour!.image).raw().toBuffer({ resolveWithObject: true });
    const x = Math.round(RED_SEAL.left * info.width) + 1;
    const y = Math.round(((RED_SEAL.top + RED_SEAL.bottom) / 2) * info.height);
    const at = (y * info.width + x) * info.channels;
    expect(data[at]! - data[at + 2]!).toBeGreaterThan(80);
  });
});
