// Whether a typed figure's twin can be found (src/ocr/glyphs.ts `digitTwins`) under other ways of comparing glyphs,
// and whether the misread figures stay without one. Reads every page of the corpus's books of one fill once and keeps
// the clean page and its OCR digits in CACHE_DIR (reading needs the CPU lock; later runs read the cache only). For each
// word of two figures or more shaped as a date in figures or an ID number: right (in the book's truth) or wrong, and
// its lowest twin score under each shape (`GLYPH_SHAPES`).
//   node test/eval/typed-twins.ts CORPUS_DIR CACHE_DIR [fill] [max books]   (SHAPES=ink,binary,skeleton SHIFTS=0,1,2 choose the comparisons;
//   FIGURES=0 compares the figures as Tesseract read them, without src/ocr/face-ones.ts)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { fieldKind } from '../../src/extract/values.ts';
import { cleanPage } from '../../src/imaging/clean.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { expandInputs } from '../../src/ingest/receive.ts';
import { digitRivals, digitTwins, TWIN, type ReadDigit } from '../../src/ocr/glyphs.ts';
import { GLYPH_SHAPES } from './glyph-variants.ts';
import { misreadOf } from './misread.ts';
import { createOcrPool, type OcrPool } from '../../src/ocr/pool.ts';
import { faceOnes, relabelFigures } from '../../src/ocr/face-ones.ts';
import type { GreyImage } from '../../src/imaging/analysis.ts';

const [dir, cache, fill = 'typed', max = '1e9'] = process.argv.slice(2);
if (!dir || !cache) throw new Error('usage: typed-twins.ts CORPUS_DIR CACHE_DIR [fill] [max books]');
mkdirSync(cache, { recursive: true });
const corpus = await loadCorpus(dir);
let pool: OcrPool | null = null;
interface Cached { texts: string[]; digits: ReadDigit[] }
const CUTS = [0.85, 0.9, 0.93];
const RIVAL_CUTS = [0.4, 0.5, 0.6, 0.7];
/** The comparisons measured: a glyph shape, and how far (pixels) a glyph's box is moved to meet its twin's. */
const CONFIGS = (process.env.SHAPES?.split(',') ?? Object.keys(GLYPH_SHAPES)).flatMap((kind) => (process.env.SHIFTS ?? '0,1,2').split(',').map(Number).map((shift) => [`${kind} shift ${shift}`, kind, shift] as const));
const rows: { shape: string; kind: string; right: boolean; min: number; text: string; misread: string }[] = [];
const figureWords = new Map<string, number[]>();
try {
  for (const { book, truth } of corpus.books.filter(({ book }) => book.fill === fill).slice(0, Number(max))) {
    const values = (kind: string) => truth.entries.flatMap((e) => Object.entries(e.fields).filter(([k]) => fieldKind(k) === kind).map(([, v]) => v.value));
    const truthIds = new Set(values('idNumber'));
    const truthDates = new Set(values('date').flatMap((iso) => {
      const [y, m, d] = iso.split('-');
      return d ? [`${d}/${m}/${y}`, `${Number(d)}/${Number(m)}/${y}`] : [];
    }));
    let pageNo = 0;
    for (const file of await expandInputs(book.files.map((f) => join(dir, f)))) {
      const decoded = await decodeUpload(await readFile(file), file, DEFAULT_LIMITS);
      if (!decoded.ok) continue;
      for await (const outcome of decoded.pages()) {
        if (!outcome.ok) continue;
        const base = join(cache, `${book.id}-${pageNo++}`);
        if (!existsSync(`${base}.json`)) {
          const clean = (await cleanPage(outcome.page.image)).pages[0]!;
          pool ??= await createOcrPool({ size: 1, pageTimeoutMs: 120_000, recycleAfterPages: 50, model: 'best_int' });
          const read = await pool.recognize(clean.image);
          writeFileSync(`${base}.png`, clean.image);
          writeFileSync(`${base}.json`, JSON.stringify({ texts: read.words.map((w) => w.text), digits: read.digits } satisfies Cached));
        }
        const cached = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Cached;
        const { data, info } = await sharp(readFileSync(`${base}.png`)).greyscale().raw().toBuffer({ resolveWithObject: true });
        const grey = { data, width: info.width, height: info.height };
        // the figures as the OCR stage keeps them (src/ocr/face-ones.ts: the face's 1 read 4 read 1, the words of figures
        // that may be it doubted and so held whatever their twins: left out), unless FIGURES=0
        const { texts, digits } = process.env.FIGURES === '0' ? cached : faceOnesRead(grey, cached);
        const rivals = digitRivals(grey, digits);
        const plain = digitTwins(grey, digits, texts);
        for (const cut of RIVAL_CUTS) {
          const byWord = new Map<number, number>();
          // a word's figures all twinned, or lonely but like no other figure of the page: its lowest margin under the cut
          digits.forEach((d, i) => byWord.set(d.word, Math.min(byWord.get(d.word) ?? 1, plain[i]! >= TWIN || rivals[i]! < cut ? 1 : 0)));
          for (const [w, ok] of byWord) {
            const text = (texts[w] ?? '').replace(/^\D+|\D+$/g, '');
            const shape = `lonely unlike others < ${cut}`;
            if (/^\d{9}$|^\d{12}$/.test(text)) rows.push({ shape, kind: 'ID', right: truthIds.has(text), min: ok ? 1 : 0, text, misread: misreadOf(text, truthIds) });
            else if (/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(text)) rows.push({ shape, kind: 'date', right: truthDates.has(text), min: ok ? 1 : 0, text, misread: misreadOf(text, truthDates) });
          }
        }
        for (const [shape, kind, shift] of CONFIGS) {
          const twins = digitTwins(grey, digits, texts, GLYPH_SHAPES[kind], shift);
          const byWord = new Map<number, number>();
          digits.forEach((d, i) => byWord.set(d.word, Math.min(byWord.get(d.word) ?? 1, twins[i]!)));
          for (const [w, min] of byWord) {
            const text = (texts[w] ?? '').replace(/^\D+|\D+$/g, '');
            if ((text.match(/\d/g) ?? []).length < 2) continue;
            const all = figureWords.get(shape) ?? CUTS.map(() => 0).concat(0);
            CUTS.forEach((cut, k) => (all[k]! += min >= cut ? 1 : 0));
            all[CUTS.length]!++;
            figureWords.set(shape, all);
            if (/^\d{9}$|^\d{12}$/.test(text)) rows.push({ shape, kind: 'ID', right: truthIds.has(text), min, text, misread: misreadOf(text, truthIds) });
            else if (/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(text)) rows.push({ shape, kind: 'date', right: truthDates.has(text), min, text, misread: misreadOf(text, truthDates) });
          }
        }
      }
    }
  }
} finally {
  await pool?.close();
}
/** The page's words and digits with the face's 1 relabelled, the words doubted by `faceOnes` emptied (no row). */
function faceOnesRead(grey: GreyImage, { texts, digits }: Cached): Cached {
  const { relabel, doubted } = faceOnes(grey, digits, texts);
  const words = relabelFigures(texts.map((text) => ({ text, confidence: 1, box: [0, 0, 1, 1], line: 0 })), digits, relabel);
  const held = new Set([...doubted].map((i) => digits[i]!.word));
  return { texts: words.words.map((w, i) => (held.has(i) ? '' : w.text)), digits: words.digits };
}
/** Counts of scores by bin: no copy read alike at all (-1), then tenths, then ≥0.9 by hundredths. */
function histogram(scores: number[]): string {
  const bins = ['none', '<0.5', '0.5', '0.6', '0.7', '0.8', '0.85', '0.9+'];
  const binOf = (s: number) => (s < -0.5 ? 0 : s < 0.5 ? 1 : s < 0.6 ? 2 : s < 0.7 ? 3 : s < 0.8 ? 4 : s < 0.85 ? 5 : s < 0.9 ? 6 : 7);
  const counts = bins.map(() => 0);
  for (const s of scores) counts[binOf(s)]!++;
  return bins.map((b, k) => `${b}:${counts[k]}`).join(' ');
}
for (const shape of new Set(rows.map((r) => r.shape))) {
  const all = figureWords.get(shape);
  // the rival rule's rows hold 1 (cleared) or 0 (held) in `min`: read "twinned" as cleared
  if (!all) console.log(`${shape} (a figure without a twin cleared when like no other figure of the page):`);
  else console.log(`${shape}: ${all.at(-1)} words of 2+ figures, every figure twinned ${CUTS.map((c, k) => `≥${c} ${((100 * all[k]!) / all.at(-1)!).toFixed(1)}%`).join(', ')}`);
  for (const kind of ['date', 'ID']) {
    const of = rows.filter((r) => r.shape === shape && r.kind === kind);
    const right = of.filter((r) => r.right);
    const wrong = of.filter((r) => !r.right);
    console.log(`  ${kind}s: right ${right.length}, twinned ${CUTS.map((c) => `≥${c} ${right.filter((r) => r.min >= c).length}`).join(' ')}; ` +
      `right mins ${histogram(right.map((r) => r.min))}; wrong ${wrong.length}, twinned ${CUTS.map((c) => `≥${c} ${wrong.filter((r) => r.min >= c).length}`).join(' ')}; wrong ${wrong.map((r) => `${r.min.toFixed(2)} (${r.misread})`).join(', ')}`);
  }
}
