/**
 * What the remaining OCR errors on printed pages are: cleans and reads every page of the given eras
 * (default: typed and computer-printed books scanned at 300 dpi or more), pairs OCR words with truth lines as `civreg eval` does, and sorts
 * every grapheme error into a class: a lost or wrong tone/vowel mark on the right letter (diacritic),
 * case, digit, punctuation, space, other letter, and whole lines missed or read where there is no
 * truth line. Prints the totals per class and the worst lines. Not a test.
 *
 *   [ERAS=…] [FILLS=typed,printed] [MIN_DPI=300] [STEPS=default] [RAW=1] npx node test/ocr/measure-printed-errors.ts CORPUS_DIR
 *
 * RAW=1 reads the decoded original instead of the clean page; DPI=keep|strip|300 rewrites the resolution
 * recorded in the PNG handed to tesseract.js (strip: none, a number: that value). EXCLUDE leaves out
 * damage classes, comma-separated: `stamped` skips pages that carry an office stamp (on a greyscale
 * delivery the lines under it cannot be recovered), `notes` skips the lines of hand-written margin notes
 * ("Ghi chú" written later by hand: hand-writing, not print) and the OCR words placed on them.
 * PAGES=1 prints the CER of each page, BOXES=1 the clean-page box of each line missed or word read off any line. ONLY=stamped reads the stamped pages alone, FILES (comma-separated, as in the manifest) only the pages of those files.
 * PSM sets Tesseract's page segmentation mode, PARAMS further Tesseract parameters (`name=value,…`);
 * a page where cleanup found a ruled table is read column by column as the OCR stage does, unless COLUMNS=0; its figures are
 * checked as the OCR stage does (`readFigures`: a typewriter face's 1 read 4 read 1), unless FIGURES=0; any other page's lines
 * the whole-page reading left out are read again as the OCR stage does (`readLostLines`), unless LOST=0.
 *
 * Besides the damage classes, every truth line is given a kind and CER is printed per kind: `hand`
 * (a margin note's line, as for EXCLUDE=notes), `fill` (a line holding an entry's typed or printed
 * value, with the form label before it on forms) and `printed` (the form's own text: titles, column
 * headings, labels alone); OCR words on no truth line count against `printed`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { CleanStep } from '../../schemas/config.ts';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairLines } from '../../src/eval/metrics/lines.ts';
import { editScript, graphemes, normaliseText } from '../../src/eval/metrics/text.ts';
import { cleanPage, cleanStepsFrom, identityTransform, mapLineBoxToClean } from '../../src/imaging/clean.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { recognizeByColumns } from '../../src/ocr/columns.ts';
import { readFigures } from '../../src/ocr/face-ones.ts';
import { readLostLines } from '../../src/ocr/lost-lines.ts';
import { createOcrPool } from '../../src/ocr/pool.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: measure-printed-errors.ts CORPUS_DIR');
const eras = (process.env.ERAS ?? '1961-1998,1999-2005,2006-2015,2016-').split(',');
const fills = (process.env.FILLS ?? 'typed,printed').split(',');
const minDpi = Number(process.env.MIN_DPI ?? 300);
const exclude = new Set((process.env.EXCLUDE ?? '').split(',').filter(Boolean));
const steps = process.env.STEPS ? cleanStepsFrom(process.env.STEPS === 'none' ? [] : (process.env.STEPS.split(',') as CleanStep[])) : undefined;

const base = (g: string) => g.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'));
function classOf(truth: string | undefined, ocr: string | undefined): string {
  const unit = truth ?? ocr ?? '';
  if (truth !== undefined && ocr !== undefined) {
    if (base(truth) === base(ocr)) return 'diacritic';
    if (truth.toLowerCase() === ocr.toLowerCase() || base(truth).toLowerCase() === base(ocr).toLowerCase()) return 'case';
  }
  if (/^\s$/u.test(unit)) return truth === undefined ? 'space inserted' : ocr === undefined ? 'space deleted' : 'space substituted';
  if (/^\p{N}$/u.test(unit)) return 'digit';
  if (/^\p{P}|\p{S}$/u.test(unit)) return 'punctuation';
  return 'letter';
}

const corpus = await loadCorpus(dir);
const parameters = Object.fromEntries((process.env.PARAMS ?? '').split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
const pool = await createOcrPool({ size: 2, pageTimeoutMs: 180_000, recycleAfterPages: 200, model: 'best_int', psm: Number(process.env.PSM ?? 3), parameters });
const classes = new Map<string, number>();
const count = (name: string, n = 1) => classes.set(name, (classes.get(name) ?? 0) + n);
const worst: Array<{ errors: number; truth: string; ocr: string; page: string; box?: readonly number[] }> = [];
const confusions = new Map<string, number>();
let length = 0;
/** CER over all text and without each damage class, whatever EXCLUDE says (one OCR pass for all four). */
const subsets = new Map<string, { errors: number; length: number }>();
/** CER page by page (PAGES=1 prints it): a change that helps a pool of pages may still hurt one. */
const pageTotals = new Map<string, { errors: number; length: number }>();
let pageName = '';
function tally(errors: number, graphemeCount: number, stamped: boolean, note: boolean, era: string): void {
  const page = pageTotals.get(pageName) ?? { errors: 0, length: 0 };
  pageTotals.set(pageName, { errors: page.errors + errors, length: page.length + graphemeCount });
  const names = ['all text', ...(stamped ? [] : ['without stamped pages']), ...(note ? [] : ['without hand-written notes', `${era} without notes`]), ...(stamped || note ? [] : ['without either'])];
  for (const name of names) {
    const t = subsets.get(name) ?? { errors: 0, length: 0 };
    subsets.set(name, { errors: t.errors + errors, length: t.length + graphemeCount });
  }
}
type LineKind = 'hand' | 'fill' | 'printed';
const kinds = new Map<LineKind, { errors: number; length: number }>();
function tallyKind(kind: LineKind, errors: number, graphemeCount: number): void {
  const t = kinds.get(kind) ?? { errors: 0, length: 0 };
  kinds.set(kind, { errors: t.errors + errors, length: t.length + graphemeCount });
}
const jobs: Promise<void>[] = [];
for (const { book, truth } of corpus.books) {
  const { fill, dpi } = book as { fill?: string; dpi?: number };
  if (!eras.includes(book.era) || !fills.includes(fill ?? '') || (dpi ?? 0) < minDpi) continue;
  for (const file of book.files) {
    if (process.env.FILES && !process.env.FILES.split(',').includes(file)) continue;
    const decoded = await decodeUpload(await readFile(join(corpus.dir, file)), file, DEFAULT_LIMITS);
    if (!decoded.ok) throw new Error(file);
    for await (const outcome of decoded.pages()) {
      if (!outcome.ok) continue;
      const page = outcome.page;
      const truthPages = truth.pages.filter((p) => p.file === file && p.filePage === page.index);
      const stamped = truthPages.some((p) => (p as { damage?: string[] }).damage?.includes('stamp'));
      if ((exclude.has('stamped') && stamped) || (process.env.ONLY === 'stamped' && !stamped)) continue;
      const indexes = new Set(truthPages.map((p) => p.index));
      const noteBoxes = truth.entries.flatMap((e) => Object.entries(e.fields)).filter(([key, f]) => key === 'notes' && f.box && indexes.has(f.page)).map(([, f]) => f.box!);
      // A line is a note's when it shares at least half its height with a note's box (the printed "Ghi chú:" goes with it).
      const isNote = (box: [number, number, number, number]) =>
        noteBoxes.some((n) => Math.min(box[1] + box[3], n[1] + n[3]) - Math.max(box[1], n[1]) >= 0.5 * box[3] && Math.min(box[0] + box[2], n[0] + n[2]) > Math.max(box[0], n[0]));
      const fillBoxes = truth.entries.flatMap((e) => Object.entries(e.fields)).filter(([key, f]) => key !== 'notes' && f.box && indexes.has(f.page)).map(([, f]) => f.box!);
      // A line holds a fill when a value's box lies mostly inside it (a value's box is one line's segment or a union of lines).
      const isFill = (box: [number, number, number, number]) =>
        fillBoxes.some((f) => Math.min(box[1] + box[3], f[1] + f[3]) - Math.max(box[1], f[1]) >= 0.5 * Math.min(box[3], f[3]) && Math.min(box[0] + box[2], f[0] + f[2]) - Math.max(box[0], f[0]) >= 0.5 * Math.min(box[2], f[2]));
      const kindOf = (box: [number, number, number, number]): LineKind => (isNote(box) ? 'hand' : isFill(box) ? 'fill' : 'printed');
      const allLines = truthPages.flatMap((p) => p.lines).map((line) => ({ ...line, note: isNote(line.box), kind: kindOf(line.box) }));
      const size = { width: page.width, height: page.height };
      const cleaned = process.env.RAW ? { pages: [{ image: page.image, transform: identityTransform(size), table: undefined }] } : await cleanPage(page.image, { dpi: page.dpi, ...(steps ? { steps } : {}) });
      // A split spread is two clean pages, each judged against its own truth page (left first), as civreg eval does.
      const sorted = [...truthPages].sort((x, y) => x.index - y.index);
      for (const [k, clean] of cleaned.pages.entries()) {
        const truthLines = cleaned.pages.length === 1 ? allLines : sorted[k]!.lines.map((line) => ({ ...line, note: isNote(line.box), kind: kindOf(line.box) }));
        let image = clean.image;
        const dpiMode = process.env.DPI ?? 'keep';
        if (dpiMode === 'strip') image = await sharp(image).png().toBuffer();
        else if (dpiMode !== 'keep') image = await sharp(image).withMetadata({ density: Number(dpiMode) }).png().toBuffer();
        const name = `${file}#${page.index}${k ? '/1' : ''} (${book.era}, ${truth.pages.find((p) => p.file === file)?.dpi} dpi)`;
        jobs.push(
          (clean.table && process.env.COLUMNS !== '0' ? recognizeByColumns(pool, image, clean.table) : pool.recognize(image).then((whole) => (process.env.LOST === '0' ? whole : readLostLines(pool, image, whole)))).then(async (read) => {
            // the figures as the OCR stage stores them (a typewriter face's 1 read 4 read right), unless FIGURES=0
            const ocr = process.env.FIGURES === '0' ? read : { ...read, ...(await readFigures(image, read)) };
            pageName = name;
            const onClean = truthLines.map((line) => ({ ...line, box: mapLineBoxToClean(line.box, clean.transform, size) }));
            const { pairs, unmatchedTruth, unmatchedOcr } = pairLines(onClean, ocr.words);
            for (const line of unmatchedTruth) {
              const n = graphemes(normaliseText(line.text)).length;
              tally(n, n, stamped, line.note, book.era);
              tallyKind(line.kind, n, n);
              if (line.note && exclude.has('notes')) continue;
              length += n;
              count('line missed', n);
              worst.push({ errors: n, truth: line.text, ocr: '', page: name, box: line.box });
            }
            for (const word of unmatchedOcr) {
              tally(graphemes(normaliseText(word.text)).length, 0, stamped, false, book.era);
              tallyKind('printed', graphemes(normaliseText(word.text)).length, 0);
              count('read off any line', graphemes(normaliseText(word.text)).length);
              worst.push({ errors: graphemes(word.text).length, truth: '', ocr: word.text, page: name, box: word.box });
            }
            for (const pair of pairs) {
              const t = graphemes(normaliseText(pair.truth.text));
              const o = graphemes(normaliseText(pair.ocr.map((w) => normaliseText(w.text)).filter(Boolean).join(' ')));
              const script = editScript(t, o);
              tally(script.filter((step) => step.op !== 'match').length, t.length, stamped, pair.truth.note, book.era);
              tallyKind(pair.truth.kind, script.filter((step) => step.op !== 'match').length, t.length);
              if (pair.truth.note && exclude.has('notes')) continue;
              length += t.length;
              let errors = 0;
              for (const step of script) {
                if (step.op === 'match') continue;
                errors++;
                const a = step.op === 'insert' ? undefined : t[step.a];
                const b = step.op === 'delete' ? undefined : o[step.b];
                count(classOf(a, b));
                const key = `${a ?? '∅'}→${b ?? '∅'}`;
                confusions.set(key, (confusions.get(key) ?? 0) + 1);
              }
              if (errors > 0) worst.push({ errors, truth: t.join(''), ocr: o.join(''), page: name });
            }
          }),
        );
      }
    }
  }
}
await Promise.all(jobs);
await pool.close();
const total = [...classes.values()].reduce((s, n) => s + n, 0);
console.log(`${dir} eras ${eras.join(',')}: ${total} errors in ${length} graphemes, CER ${((100 * total) / Math.max(1, length)).toFixed(2)}%`);
for (const [name, t] of subsets) console.log(`  ${name.padEnd(28)} ${t.errors} errors in ${t.length} graphemes, CER ${((100 * t.errors) / Math.max(1, t.length)).toFixed(2)}%`);
for (const [name, t] of [...kinds].sort()) console.log(`  lines of kind ${name.padEnd(14)} ${t.errors} errors in ${t.length} graphemes, CER ${((100 * t.errors) / Math.max(1, t.length)).toFixed(2)}%`);
if (process.env.PAGES) for (const [name, t] of [...pageTotals].sort()) console.log(`  page ${name.padEnd(40)} ${t.errors} errors in ${t.length} graphemes, CER ${((100 * t.errors) / Math.max(1, t.length)).toFixed(2)}%`);
console.log('error classes:');
for (const [name, n] of [...classes].sort((a, b) => b[1] - a[1])) console.log(`  ${name.padEnd(20)} ${String(n).padStart(5)}  ${((100 * n) / Math.max(1, length)).toFixed(2)} points`);
console.log('most frequent confusions:', [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, n]) => `${k} ×${n}`).join(', '));
console.log('worst lines:');
for (const w of worst.sort((a, b) => b.errors - a.errors).slice(0, Number(process.env.WORST ?? 25))) console.log(`  [${w.errors}] ${w.page}${process.env.BOXES && w.box ? ` at ${w.box.map(Math.round).join(',')}` : ''}\n     truth: ${w.truth}\n     ocr:   ${w.ocr}`);
