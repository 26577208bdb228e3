/**
 * What the OCR stage reads in one region of one page: cleans the page (default steps), reads it as the OCR
 * stage does (a ruled table column by column, `recognizeByColumns`, then `readFigures`) and prints the words
 * whose box meets the region (clean-page pixels), with their confidences. With STRIP=1 it also reads the region
 * alone, cut out of the clean page, to tell a reading problem from a layout one. Not a test.
 *
 *   node test/ocr/read-region.ts PAGE_FILE FILE_PAGE_INDEX X,Y,W,H
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { cleanPage } from '../../src/imaging/clean.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { recognizeByColumns } from '../../src/ocr/columns.ts';
import { readFigures } from '../../src/ocr/face-ones.ts';
import { createOcrPool } from '../../src/ocr/pool.ts';

const [file, index, boxText] = process.argv.slice(2);
if (!file || !boxText) throw new Error('usage: read-region.ts PAGE_FILE FILE_PAGE_INDEX X,Y,W,H');
const [rx, ry, rw, rh] = boxText.split(',').map(Number) as [number, number, number, number];
const decoded = await decodeUpload(await readFile(file), file, DEFAULT_LIMITS);
if (!decoded.ok) throw new Error('decode');
const pool = await createOcrPool({ size: 1, pageTimeoutMs: 180_000, recycleAfterPages: 200, model: 'best_int', psm: 3 });
for await (const outcome of decoded.pages()) {
  if (!outcome.ok || outcome.page.index !== Number(index ?? 0)) continue;
  const cleaned = await cleanPage(outcome.page.image, { dpi: outcome.page.dpi });
  const clean = cleaned.pages[0]!;
  const started = performance.now();
  const read = clean.table ? await recognizeByColumns(pool, clean.image, clean.table) : await pool.recognize(clean.image);
  const ocr = { ...read, ...(await readFigures(clean.image, read)) };
  console.log(`page read in ${Math.round(performance.now() - started)} ms (${clean.table ? 'by columns' : 'whole'}), steps ${cleaned.steps.join(' ')}`);
  for (const word of ocr.words) {
    const [x, y, w, h] = word.box;
    if (x < rx + rw && x + w > rx && y < ry + rh && y + h > ry) console.log(`  ${JSON.stringify(word.text)} conf ${word.confidence.toFixed(2)} at ${word.box.join(',')} line ${word.line}`);
  }
  if (process.env.STRIP) {
    const strip = await sharp(clean.image).extract({ left: rx, top: ry, width: rw, height: rh }).withDensity(outcome.page.dpi ?? 300).png().toBuffer();
    const alone = await pool.recognize(strip);
    console.log('region alone:', alone.words.map((w) => `${w.text}(${w.confidence.toFixed(2)})`).join(' '));
  }
}
await pool.close();
