import sharp from 'sharp';
import { mapBoxToOriginal, type Box, type CleanTransform } from '../imaging/transform.ts';

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


/** A page's scan and clean image sizes, its clean transform, and whether its scan holds the facing page too. */
export interface ScanGeometry {
  halfOfSpread: boolean;
  transform: CleanTransform | null;
  width: number | null;
  height: number | null;
  cleanWidth: number | null;
  cleanHeight: number | null;
}

/**
 * The page's own part of its scan when the scan holds a spread of two pages (cleanup split it: each page keeps its
 * half as its transform's crop), so that an entry's PDF does not show the facing page and its entries. Null: the
 * whole scan is the page.
 */
export function ownRegionOfScan(page: ScanGeometry): Box | null {
  const { transform, width, height, cleanWidth, cleanHeight } = page;
  if (!page.halfOfSpread || !transform || !width || !height || !cleanWidth || !cleanHeight) return null;
  const [x, y, w, h] = mapBoxToOriginal([0, 0, cleanWidth, cleanHeight], transform, { width, height });
  const left = Math.max(0, Math.floor(x));
  const top = Math.max(0, Math.floor(y));
  const right = Math.min(width, Math.ceil(x + w));
  const bottom = Math.min(height, Math.ceil(y + h));
  return right - left > 0 && bottom - top > 0 ? [left, top, right - left, bottom - top] : null;
}
