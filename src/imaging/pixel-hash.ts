import { createHash } from 'node:crypto';
import sharp from 'sharp';

/**
 * SHA-256 of a page's decoded 8-bit greyscale pixels and size. The same scan re-exported in another
 * container (TIFF page → PNG, PDF → image, lossless re-save) hashes the same, so it is recognised
 * before any OCR is spent, although its file bytes differ.
 */
export async function pixelHash(image: Buffer, maxPixels: number): Promise<string> {
  const { data, info } = await sharp(image, { limitInputPixels: maxPixels }).greyscale().raw().toBuffer({ resolveWithObject: true });
  return createHash('sha256').update(`${info.width}x${info.height}:`).update(data).digest('hex');
}
