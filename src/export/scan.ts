import sharp from 'sharp';
import type { Box } from '../imaging/transform.ts';

/** Target size of one page in an entry's PDF (DOMAIN.md: roughly 100 kB a page). */
export const PAGE_TARGET_BYTES = 100_000;

/**
 * A colour scan at ~150 dpi on A4 as JPEG, quality lowered until the page is about 100 kB. `region`: the part of
 * the scan (as displayed, EXIF orientation applied) to keep, e.g. one page of a two-page spread.
 */
export async function compactScan(original: Buffer, region?: Box): Promise<Buffer> {
  const upright = sharp(original).rotate();
  if (region) upright.extract({ left: region[0], top: region[1], width: region[2], height: region[3] });
  const resized = upright.resize({ width: 1240, height: 1754, fit: 'inside', withoutEnlargement: true });
  let out = Buffer.alloc(0);
  for (const quality of [70, 55, 42, 32]) {
    out = await resized.clone().jpeg({ quality, mozjpeg: true }).toBuffer();
    if (out.length <= PAGE_TARGET_BYTES * 1.1) break;
  }
  return out;
}
