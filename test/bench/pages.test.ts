import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { denseA4Page } from '../../src/bench/pages.ts';

describe('the memory bench page', () => {
  it('is an A4 page at the asked resolution, covered in lines of text', async () => {
    const png = await denseA4Page(150, 1);
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([1241, 1754, 1]);
    expect((await sharp(png).metadata()).density).toBe(150);
    // dark pixels per pixel row: text rows alternate with white space, from the top margin to the bottom one
    const inkRows = Array.from({ length: info.height }, (_, y) => data.subarray(y * info.width, (y + 1) * info.width).some((v) => v < 128));
    const lines = inkRows.filter((ink, y) => ink && !inkRows[y - 1]).length;
    expect(lines).toBeGreaterThanOrEqual(40);
    expect(inkRows.slice(0, 40).some(Boolean)).toBe(false);
  });
});
