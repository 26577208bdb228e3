/**
 * Reading a ruled register column by column. On a 1956–1998 table page Tesseract's own layout analysis
 * takes a row of cells for one line of text: cells are filled at different heights (a heading of one
 * line beside one of three, an address of five lines beside a name of one), so the "line" it builds runs
 * across every column at no one baseline and is read as garbage ("số › ''Họ và tên hgười chết bìm
 * Ngài; háng)"), and a value typed up to the next column's is run into it ("18/12/1900Kinh"). Cleanup
 * finds the table's column rules (`TableGrid`, src/imaging/rules.ts); here each column is read on its
 * own, with the text above and below the table as whole-width strips, and the words are placed back
 * on the page.
 */
import sharp from 'sharp';
import { localInk } from '../imaging/leaders.ts';
import { removeRules, type TableGrid } from '../imaging/rules.ts';
import type { OcrPool, OcrResult } from './pool.ts';
import { meanWordConfidence } from './words.ts';
import type { PixelBox } from './words.ts';

/** Strips narrower or lower than this (pixels) hold no text worth a call (a margin between two rules). */
const MIN_STRIP_PX = 12;

/**
 * The regions of a page to read one by one, in reading order: above the table, each column (between two
 * rules, and the margins left of the first and right of the last), below the table. `[x, y, width, height]`.
 *
 * @example
 * tableRegions({ columns: [100, 400, 900], top: 200, bottom: 1800 }, 1000, 2000);
 * // [[0,0,1000,200], [0,200,100,1600], [100,200,300,1600], [400,200,500,1600], [900,200,100,1600], [0,1800,1000,200]]
 */
export function tableRegions(grid: TableGrid, width: number, height: number): PixelBox[] {
  const top = Math.max(0, Math.min(height, grid.top));
  const bottom = Math.max(top, Math.min(height, grid.bottom));
  const xs = [0, ...grid.columns.filter((x) => x > 0 && x < width), width];
  const regions: PixelBox[] = [[0, 0, width, top]];
  for (let i = 0; i + 1 < xs.length; i++) regions.push([xs[i]!, top, xs[i + 1]! - xs[i]!, bottom - top]);
  regions.push([0, bottom, width, height - bottom]);
  return regions.filter(([, , w, h]) => w >= MIN_STRIP_PX && h >= MIN_STRIP_PX);
}

/**
 * Reads `image` (a clean page PNG, its rules still on it) with its rules painted out (`removeRules`),
 * region by region (`tableRegions`) through `pool`, and joins the
 * results as one page's: boxes in page pixels, lines and words in reading order, `ms` the sum of the
 * regions' recognition time. Each strip keeps the page's resolution, so Tesseract judges text size as on
 * the whole page.
 */
export async function recognizeByColumns(pool: OcrPool, image: Buffer, grid: TableGrid): Promise<OcrResult> {
  const decoded = sharp(image);
  const { density } = await decoded.metadata();
  const raw = await decoded.greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const { info } = raw;
  // The clean page keeps its rules; they are painted out of what is read (Tesseract reads a rule as "|").
  const page = { data: raw.data, width: info.width, height: info.height };
  const data = removeRules(page, density ?? 300, await localInk(page, density ?? 300)).image.data;
  const regions = tableRegions(grid, info.width, info.height);
  const results = await Promise.all(
    regions.map(async ([left, top, width, height]) => {
      let strip = sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).extract({ left, top, width, height });
      if (density) strip = strip.withDensity(density);
      return pool.recognize(await strip.toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer());
    }),
  );
  const joined: OcrResult = { text: '', meanConfidence: 0, words: [], lines: [], digits: [], ms: 0 };
  const shift = (box: PixelBox, dx: number, dy: number): PixelBox => [box[0] + dx, box[1] + dy, box[2], box[3]];
  const texts: string[] = [];
  results.forEach((result, r) => {
    const [dx, dy] = regions[r]!;
    const lineBase = joined.lines.length;
    const wordBase = joined.words.length;
    joined.lines.push(...result.lines.map((line) => ({ ...line, box: shift(line.box, dx, dy) })));
    joined.words.push(...result.words.map((word) => ({ ...word, box: shift(word.box, dx, dy), line: word.line + lineBase })));
    joined.digits.push(...result.digits.map((digit) => ({ ...digit, word: digit.word + wordBase, box: shift(digit.box, dx, dy) })));
    if (result.text.trim()) texts.push(result.text.trim());
    joined.ms += result.ms;
  });
  joined.text = texts.join('\n\n');
  joined.meanConfidence = meanWordConfidence(joined.words);
  return joined;
}
