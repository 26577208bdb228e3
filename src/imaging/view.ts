import sharp from 'sharp';
import type { GreyImage } from './analysis.ts';

/** Long side of the viewing image: sharp on a full-HD screen, ~0.3–1 MB as JPEG whatever the scan's size. */
export const VIEW_LONG_SIDE = 2000;
const VIEW_JPEG_QUALITY = 80;

export interface ViewImage {
  /** JPEG, colour kept (a stamp stays red), turned upright by the file's EXIF orientation. */
  jpeg: Buffer;
  width: number;
  height: number;
  /** Viewing pixels per pixel of the delivered image (1 when it was already small). */
  scale: number;
  /** The same pixels in greyscale, for the quality gate (so the scan is decoded once for both). */
  grey: GreyImage;
}

/**
 * A downsized copy of a delivered page for the browser: a 60-megapixel scan becomes a JPEG with a
 * long side of at most `VIEW_LONG_SIDE`. A box on the delivered image maps onto it by `scale`.
 *
 * @example
 * const view = await viewImage(scanBytes, 120e6);
 * view.width; // 1414 for a 7016×9921 A4 scan at 600 dpi
 */
export async function viewImage(image: Buffer, maxPixels: number): Promise<ViewImage> {
  const { data, info } = await sharp(image, { limitInputPixels: maxPixels })
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .resize({ width: VIEW_LONG_SIDE, height: VIEW_LONG_SIDE, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const jpeg = await sharp(data, raw).jpeg({ quality: VIEW_JPEG_QUALITY, mozjpeg: false }).toBuffer();
  const grey = info.channels === 1 ? data : await sharp(data, raw).greyscale().toColourspace('b-w').raw().toBuffer();
  const meta = await sharp(image, { limitInputPixels: maxPixels }).metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const deliveredWidth = (turned ? meta.height : meta.width) ?? info.width;
  return { jpeg, width: info.width, height: info.height, scale: info.width / deliveredWidth, grey: { data: grey, width: info.width, height: info.height } };
}
