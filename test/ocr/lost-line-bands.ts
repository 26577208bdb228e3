/**
 * What the lost-line pass (`readLostLines`, src/ocr/lost-lines.ts) does on given pages: the bands of letters no word
 * of the whole-page reading covers (`unreadBands`), and what reading each band again adds, with the time it took.
 * Not a test.
 *
 *   node test/ocr/lost-line-bands.ts PAGE_FILE[#FILE_PAGE_INDEX] …
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { cleanPage } from '../../src/imaging/clean.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { readLostLines, unreadBands } from '../../src/ocr/lost-lines.ts';
import { createOcrPool } from '../../src/ocr/pool.ts';

const pool = await createOcrPool({ size: 1, pageTimeoutMs: 180_000, recycleAfterPages: 200, model: 'best_int', psm: 3 });
for (const arg of process.argv.slice(2)) {
  const [file, index] = arg.split('#') as [string, string | undefined];
  const decoded = await decodeUpload(await readFile(file), file, DEFAULT_LIMITS);
  if (!decoded.ok) throw new Error(file);
  for await (const outcome of decoded.pages()) {
    if (!outcome.ok || outcome.page.index !== Number(index ?? 0)) continue;
    const clean = (await cleanPage(outcome.page.image, { dpi: outcome.page.dpi })).pages[0]!;
    if (clean.table) {
      console.log(`${arg}: a ruled table, read by columns (no pass)`);
      continue;
    }
    const whole = await pool.recognize(clean.image);
    const { data, info } = await sharp(clean.image).greyscale().raw().toBuffer({ resolveWithObject: true });
    const bands = unreadBands({ data: new Uint8Array(data), width: info.width, height: info.height }, whole.words.map((w) => w.box), outcome.page.dpi ?? 300);
    const again = await readLostLines(pool, clean.image, whole);
    const added = again.lines.filter((line) => !whole.lines.includes(line));
    console.log(`${arg}: page read in ${Math.round(whole.ms)} ms, ${bands.length} bands ${JSON.stringify(bands)}, read again in ${Math.round(again.ms - whole.ms)} ms, lines added: ${JSON.stringify(added.map((l) => l.text))}`);
  }
}
await pool.close();
