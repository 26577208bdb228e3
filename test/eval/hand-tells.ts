/**
 * The hand-writing tells (src/extract/handwriting.ts `handTells`) of every form entry on pages kept by
 * test/eval/dump-form-pages.ts, replayed on their OCR words and clean images without reading again: per entry its
 * lean and contrast against the labels and, when monoline alone, how its baselines stand (`alignment`); then how many
 * entries each test told, per era. No values are printed. Not a test.
 *
 * ALIGN_EVERY=1 measures the alignment of every entry (a leaning one too); QUIET=1 prints the counts alone.
 *
 *   [ALIGN_EVERY=1] [QUIET=1] node test/eval/hand-tells.ts DUMP_DIR
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { eraOfYear, type Era } from '../../schemas/jobs.ts';
import { extractPageParts } from '../../src/extract/extract.ts';
import { handTells } from '../../src/extract/handwriting.ts';
import { LAYOUTS } from '../../src/extract/templates.ts';
import type { OcrWord } from '../../src/extract/words.ts';
import type { CorpusRegisterType } from '../../schemas/corpus.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: hand-tells.ts DUMP_DIR');
interface Kept { id: number; book: string | null; registerType: CorpusRegisterType; era: Era | null; yearFrom: number | null; yearTo: number | null; width: number; height: number; words: OcrWord[] }
const pages = JSON.parse(await readFile(join(dir, 'pages.json'), 'utf8')) as Kept[];
const totals = new Map<string, number>();
const add = (key: string) => totals.set(key, (totals.get(key) ?? 0) + 1);
const f2 = (n: number | null | undefined) => (n == null ? '  -  ' : n.toFixed(3));
for (const page of pages) {
  const era = page.era ?? (page.yearFrom !== null ? eraOfYear(page.yearFrom) : null);
  const layout = era ? LAYOUTS[page.registerType]?.[era] : undefined;
  if (!era || layout?.kind !== 'form') continue;
  const { entries } = extractPageParts({ id: page.id, registerType: page.registerType, era, yearFrom: page.yearFrom, yearTo: page.yearTo, width: page.width, height: page.height, words: page.words });
  const { data, info } = await sharp(join(dir, `${page.id}.png`)).greyscale().raw().toBuffer({ resolveWithObject: true });
  const tells = handTells(entries, page.id, { data, width: info.width, height: info.height }, page.words, Boolean(process.env.ALIGN_EVERY));
  if (tells.length === 0 && entries.length > 0) add(`${era}\tpages unmeasured`);
  tells.forEach((t, i) => {
    if (t.fields.length === 0) return;
    add(`${era}\tentries`);
    if (t.leans) add(`${era}\t  leans`);
    if (t.monoline) add(`${era}\t  monoline`);
    if (t.monoline && !t.leans && !t.aligned) add(`${era}\t  monoline, not aligned${t.alignment && t.alignment.words < 4 ? ' (too few words)' : t.alignment ? '' : ' (unmeasured)'}`);
    if (t.told) add(`${era}\ttold hand-written`);
    if (!process.env.QUIET) {
      console.log(`${page.book ?? '?'} page ${page.id} entry ${i + 1}: fields ${String(t.fields.length).padStart(2)} lean ${f2(t.lean)} contrast ${f2(t.contrast)} spread ${f2(t.alignment?.spread)} over ${t.alignment?.words ?? '-'} words within ${f2(t.alignment?.within)}${t.told ? '  TOLD' : ''}`);
    }
  });
}
for (const [key, n] of [...totals].sort(([a], [b]) => a.localeCompare(b))) console.log(`${String(n).padStart(5)}  ${key}`);
