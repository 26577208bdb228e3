// How often a digit OCR read has a copy on its page read as the same digit (src/ocr/glyphs.ts `digitTwins`), by the
// book's fill, and for words of an ID number's shape (9 or 12 figures) whether the truth of the book holds them:
// and likewise dates in figures (dd/mm/yyyy): what the `lonely_digit` rule's threshold was chosen by, and whether the
// misread ones have a figure without a copy. Cleans and reads the first page of each book, or all (CPU lock!).
//   npx node test/eval/digit-twins.ts CORPUS_DIR [MAX_BOOKS] [all]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { fieldKind } from '../../src/extract/values.ts';
import { cleanPage } from '../../src/imaging/clean.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { expandInputs } from '../../src/ingest/receive.ts';
import { digitTwins } from '../../src/ocr/glyphs.ts';
import { createOcrPool } from '../../src/ocr/pool.ts';
import { misreadOf } from './misread.ts';

const [dir, max, everyPage] = [process.argv[2]!, Number(process.argv[3] ?? 1e9), process.argv[4] === 'all'];
const corpus = await loadCorpus(dir);
const pool = await createOcrPool({ size: 1, pageTimeoutMs: 120_000, recycleAfterPages: 50, model: "best_int" });
const CUTS = [0.8, 0.85, 0.9, 0.93];
const stats = new Map<string, { digits: number; twinned: number[]; figureWords: number; allTwinned: number[] }>();
const ids: { fill: string; right: boolean; minTwin: number; text: string; misread: string }[] = [];
try {
  for (const { book, truth } of corpus.books.slice(0, max)) {
    const fill = book.fill ?? 'unknown';
    const values = (kind: string) => truth.entries.flatMap((e) => Object.entries(e.fields).filter(([k]) => fieldKind(k) === kind).map(([, v]) => v.value));
    const truthIds = new Set(values('idNumber'));
    const truthDates = new Set(values('date').map((iso) => iso.split('-').reverse().join('/')));
    const images: Buffer[] = [];
    for (const file of await expandInputs((everyPage ? book.files : book.files.slice(0, 1)).map((f) => join(dir, f)))) {
      const decoded = await decodeUpload(await readFile(file), file, DEFAULT_LIMITS);
      if (!decoded.ok) continue;
      for await (const outcome of decoded.pages()) if (outcome.ok && (everyPage || images.length === 0)) images.push(outcome.page.image);
    }
    for (const image of images) for (const page of (await cleanPage(image)).pages) {
      const read = await pool.recognize(page.image);
      const { data, info } = await sharp(page.image).greyscale().raw().toBuffer({ resolveWithObject: true });
      const twins = digitTwins({ data, width: info.width, height: info.height }, read.digits, read.words.map((w) => w.text));
      const s = stats.get(fill) ?? { digits: 0, twinned: CUTS.map(() => 0), figureWords: 0, allTwinned: CUTS.map(() => 0) };
      stats.set(fill, s);
      s.digits += twins.length;
      CUTS.forEach((cut, k) => (s.twinned[k]! += twins.filter((t) => t >= cut).length));
      const byWord = new Map<number, number>();
      read.digits.forEach((d, i) => byWord.set(d.word, Math.min(byWord.get(d.word) ?? 1, twins[i]!)));
      for (const [w, minTwin] of byWord) {
        const text = (read.words[w]?.text ?? '').replace(/^\D+|\D+$/g, '');
        if ((text.match(/\d/g) ?? []).length < 2) continue;
        s.figureWords++;
        CUTS.forEach((cut, k) => (s.allTwinned[k]! += minTwin >= cut ? 1 : 0));
        if (/^\d{9}$|^\d{12}$/.test(text)) ids.push({ fill: `${fill} ID`, right: truthIds.has(text), minTwin, text, misread: misreadOf(text, truthIds) });
        if (/^\d{2}\/\d{2}\/\d{4}$/.test(text)) ids.push({ fill: `${fill} date`, right: truthDates.has(text), minTwin, text, misread: misreadOf(text, truthDates) });
      }
    }
  }
} finally {
  await pool.close();
}
for (const [fill, s] of stats) {
  console.log(`${fill}: ${s.digits} digits, twinned ${CUTS.map((c, k) => `≥${c} ${((100 * s.twinned[k]!) / s.digits).toFixed(1)}%`).join(', ')}; ` +
    `${s.figureWords} words of 2+ figures, all twinned ${CUTS.map((c, k) => `≥${c} ${((100 * s.allTwinned[k]!) / s.figureWords).toFixed(1)}%`).join(', ')}`);
}
for (const fill of new Set(ids.map((i) => i.fill))) {
  const of = ids.filter((i) => i.fill === fill);
  console.log(`${fill}s read: ${of.length}, right ${of.filter((i) => i.right).length}; twinned ≥0.9: right ${of.filter((i) => i.right && i.minTwin >= 0.9).length}, wrong ${of.filter((i) => !i.right && i.minTwin >= 0.9).length}`);
  for (const i of of.filter((x) => !x.right)) console.log(`  read wrong (min twin ${i.minTwin.toFixed(3)}): ${i.misread}`);
}
