import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cleanPage, contrastStretch, ImageInputError } from '../../src/imaging/clean.ts';
import type { CleanResult } from '../../src/imaging/clean.ts';

const WIDTH = 900;
const HEIGHT = 300;

/** Text on paper as an SVG; colours let a test make low-contrast or coloured pages. */
function pageSvg({ ink = '#000', paper = '#fff', width = WIDTH, height = HEIGHT } = {}): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="100%" height="100%" fill="${paper}"/>` +
      `<text x="40" y="120" font-family="DejaVu Sans, sans-serif" font-size="32" fill="${ink}">Họ và tên: Nguyễn Thị Hoa</text>` +
      `<text x="40" y="220" font-family="DejaVu Sans, sans-serif" font-size="32" fill="${ink}">Ngày sinh: 15/03/1962</text>` +
      `</svg>`,
  );
}

async function expectSingleChannelPng(result: CleanResult, width: number, height: number): Promise<void> {
  const metadata = await sharp(result.image).metadata();
  expect(metadata).toMatchObject({ format: 'png', channels: 1, depth: 'uchar', hasAlpha: false, width, height });
  expect(result).toMatchObject({ width, height });
  expect(result.transform).toEqual({ rotate: 0, skewDeg: 0, crop: [0, 0, width, height], scale: 1 });
}

async function greyStats(png: Buffer): Promise<{ min: number; max: number }> {
  const { channels } = await sharp(png).stats();
  return { min: channels[0]!.min, max: channels[0]!.max };
}

describe('cleanPage', () => {
  describe('greyscale output', () => {
    it('turns a colour page with transparency into one 8-bit channel of the same size', async () => {
      const colour = await sharp(pageSvg({ ink: '#1a237e', paper: '#fff8e1' })).png().toBuffer();
      expect((await sharp(colour).metadata()).channels).toBe(4);
      const result = await cleanPage(colour);
      await expectSingleChannelPng(result, WIDTH, HEIGHT);
      expect(result.steps).toEqual(['flatten', 'greyscale']);
    });

    it('turns a 1-bit CCITT G4 TIFF into one 8-bit channel', async () => {
      const bilevel = await sharp(pageSvg()).flatten({ background: '#fff' }).greyscale().threshold(128)
        .toColourspace('b-w')
        .tiff({ compression: 'ccittfax4', bitdepth: 1 })
        .toBuffer();
      const input = await sharp(bilevel).metadata();
      expect(input).toMatchObject({ format: 'tiff', bitsPerSample: 1 });
      const result = await cleanPage(bilevel);
      await expectSingleChannelPng(result, WIDTH, HEIGHT);
      expect(result.steps).toEqual(['greyscale']);
      // Black ink and white paper survive: the page was not inverted or washed out.
      expect(await greyStats(result.image)).toEqual({ min: 0, max: 255 });
    });

    it('turns a 1-bit palette PNG and a 16-bit greyscale PNG into 8-bit greyscale', async () => {
      const onebit = await sharp(pageSvg()).flatten({ background: '#fff' }).png({ palette: true, colours: 2 }).toBuffer();
      const sixteen = await sharp(pageSvg()).flatten({ background: '#fff' }).greyscale().toColourspace('grey16').png().toBuffer();
      expect((await sharp(sixteen).metadata()).depth).toBe('ushort');
      for (const input of [onebit, sixteen]) await expectSingleChannelPng(await cleanPage(input), WIDTH, HEIGHT);
    });

    it('applies the EXIF orientation so the page is upright', async () => {
      // Orientation 6: stored landscape, displayed rotated 90° clockwise.
      const rotated = await sharp(pageSvg()).flatten({ background: '#fff' }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
      const result = await cleanPage(rotated);
      await expectSingleChannelPng(result, HEIGHT, WIDTH);
      expect(result.steps[0]).toBe('auto-orient');
      expect([undefined, 1]).toContain((await sharp(result.image).metadata()).orientation);
    });

    it('keeps the scan resolution so OCR can judge text size', async () => {
      const scan = await sharp(pageSvg()).flatten({ background: '#fff' }).withDensity(300).png().toBuffer();
      const metadata = await sharp((await cleanPage(scan)).image).metadata();
      expect(Math.round(metadata.density ?? 0)).toBe(300);
    });

    it('records the resolution ingest settled on, whatever the file says, and 300 dpi for a file that says none', async () => {
      const density = async (image: Buffer, dpi?: number) => Math.round((await sharp((await cleanPage(image, dpi ? { dpi } : {})).image).metadata()).density ?? 0);
      // An embedded PDF image or a camera JPEG often claims 72 dpi; ingest knows the page's real resolution.
      const jpeg72 = await sharp(pageSvg()).flatten({ background: '#fff' }).withDensity(72).jpeg().toBuffer();
      expect(await density(jpeg72, 250)).toBe(250);
      const pixels = await sharp(pageSvg()).flatten({ background: '#fff' }).raw().toBuffer({ resolveWithObject: true });
      const bare = await sharp(pixels.data, { raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels } }).png().toBuffer();
      expect((await sharp(bare).metadata()).density).toBeUndefined();
      expect(await density(bare)).toBe(300);
    });
  });

  describe('contrast', () => {
    it('stretches a faded page: paper to white, ink darker', async () => {
      const faded = await sharp(pageSvg({ ink: '#8c8c8c', paper: '#c8c8c8' })).flatten({ background: '#fff' }).greyscale().png().toBuffer();
      const before = await greyStats(faded);
      // The stretch is off by default (BENCHMARKS.md, cleanup ablation); this checks the step itself.
      const result = await cleanPage(faded, { steps: { normalise: true } });
      expect(result.steps).toEqual(['greyscale', 'normalise']);
      const after = await greyStats(result.image);
      expect(before).toEqual({ min: 140, max: 200 });
      expect(after.max).toBe(255);
      expect(after.min).toBeLessThan(before.min - 10);
      expect(after.max - after.min).toBeGreaterThan(2 * (before.max - before.min));
    });

    it('leaves a crisp black-on-white page unchanged', async () => {
      const crisp = await sharp(pageSvg()).flatten({ background: '#fff' }).greyscale().png().toBuffer();
      const result = await cleanPage(crisp);
      expect(result.steps).toEqual(['greyscale']);
      const [a, b] = await Promise.all([crisp, result.image].map((png) => sharp(png).raw().toBuffer()));
      expect(Buffer.compare(a!, b!)).toBe(0);
    });

    it('does not amplify the noise of a blank page', async () => {
      const noise = Buffer.alloc(WIDTH * HEIGHT);
      for (let i = 0; i < noise.length; i++) noise[i] = 228 + ((i * 2654435761) >>> 27);
      const blank = await sharp(noise, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } }).png().toBuffer();
      const result = await cleanPage(blank);
      expect(result.steps).toEqual(['greyscale']);
      expect(await greyStats(result.image)).toEqual(await greyStats(blank));
    });

    it('caps the gain and anchors the paper level at white', () => {
      const pixels = new Uint8Array(10_000).fill(200);
      pixels.fill(150, 0, 500);
      const stretch = contrastStretch(pixels);
      expect(stretch).not.toBeNull();
      expect(stretch!.gain).toBeLessThanOrEqual(2.5);
      expect(stretch!.gain * 200 + stretch!.offset).toBeCloseTo(255);
      expect(contrastStretch(new Uint8Array(100).fill(255))).toBeNull();
      expect(contrastStretch(new Uint8Array(0))).toBeNull();
    });
  });

  describe('bad input', () => {
    it('refuses an image over maxPixels as too_many_pixels', async () => {
      const png = await sharp(pageSvg()).png().toBuffer();
      const error = await cleanPage(png, { maxPixels: WIDTH * HEIGHT - 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageInputError);
      expect(error).toMatchObject({ reason: 'too_many_pixels' });
      await expect(cleanPage(png, { maxPixels: WIDTH * HEIGHT })).resolves.toMatchObject({ width: WIDTH });
    });

    it('refuses bytes that are not an image as corrupt_file', async () => {
      const error = await cleanPage(Buffer.from('%PDF-1.7 not really')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageInputError);
      expect(error).toMatchObject({ reason: 'corrupt_file' });
    });

    it('refuses a truncated PNG as corrupt_file', async () => {
      const png = await sharp(pageSvg()).png().toBuffer();
      const error = await cleanPage(png.subarray(0, Math.floor(png.length / 2))).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ImageInputError', reason: 'corrupt_file' });
    });
  });
});
