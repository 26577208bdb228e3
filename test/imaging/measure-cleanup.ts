/**
 * Quick tuning loop for cleanup steps: cleans every page of a corpus with each step configuration,
 * reads it with tesseract.js and prints CER per era (truth boxes mapped onto the clean page, as
 * `civreg eval` does). Much faster than `civreg eval` (no database, no queue), so use it to tune on
 * one seed; the figures that count are `civreg eval`'s on another seed (BENCHMARKS.md). Not a test.
 *
 *   npx node test/imaging/measure-cleanup.ts CORPUS_DIR [config …]
 *
 * A config is a comma-separated step list as for CIVREG_CLEAN_STEPS, or `default`. ONLY=b03 limits the
 * pages to files whose path contains it; DELIVERY=colour only books whose delivery (manifest) contains
 * it; DAMAGE=stamp only pages whose truth lists that damage; VERBOSE=1 prints every page; PSM sets
 * Tesseract's page segmentation mode (default 3, as the pipeline). A page where
 * the `rules` step found a ruled table is read column by column, as the OCR stage does (COLUMNS=0: whole).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLEAN_STEPS, type CleanStep } from '../../schemas/config.ts';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pageCharacterErrors } from '../../src/eval/metrics/lines.ts';
import { cleanPage, cleanStepsFrom, mapLineBoxToClean } from '../../src/imaging/clean.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';
import { recognizeByColumns } from '../../src/ocr/columns.ts';
import { createOcrPool } from '../../src/ocr/pool.ts';

const [dir, ...configArgs] = process.argv.slice(2);
if (!dir) throw new Error('usage: measure-cleanup.ts CORPUS_DIR [steps …]');
const configs = (configArgs.length ? configArgs : ['default']).map((c) => ({
  name: c,
  steps: cleanStepsFrom(c === 'default' ? undefined : c === 'none' ? [] : (c.split(',') as CleanStep[])),
}));
for (const c of configs) for (const s of Object.keys(c.steps)) if (!(CLEAN_STEPS as readonly string[]).includes(s)) throw new Error(s);

const corpus = await loadCorpus(dir);
const pool = await createOcrPool({ size: 2, pageTimeoutMs: 180_000, recycleAfterPages: 200, model: 'best_int', psm: Number(process.env.PSM ?? 3) });
type Tally = { errors: number; length: number; cleanMs: number; pages: number };
const totals = new Map<string, Map<string, Tally>>();
const add = (config: string, key: string, e: { errors: number; length: number }, ms: number) => {
  const byKey = totals.get(config) ?? new Map<string, Tally>();
  const t = byKey.get(key) ?? { errors: 0, length: 0, cleanMs: 0, pages: 0 };
  byKey.set(key, { errors: t.errors + e.errors, length: t.length + e.length, cleanMs: t.cleanMs + ms, pages: t.pages + 1 });
  totals.set(config, byKey);
};
const jobs: Promise<void>[] = [];
const readings = new Map<string, ReturnType<typeof pool.recognize>>();
for (const { book, truth } of corpus.books) {
  for (const file of book.files) {
    if (process.env.ONLY && !file.includes(process.env.ONLY)) continue;
    const { delivery } = book as { delivery?: string };
    if (process.env.DELIVERY && !delivery?.includes(process.env.DELIVERY)) continue;
    const decoded = await decodeUpload(await readFile(join(corpus.dir, file)), file, DEFAULT_LIMITS);
    if (!decoded.ok) throw new Error(file);
    for await (const outcome of decoded.pages()) {
      if (!outcome.ok) continue;
      const page = outcome.page;
      const truthPages = truth.pages.filter((p) => p.file === file && p.filePage === page.index);
      const damage = process.env.DAMAGE;
      if (damage && !truthPages.some((p) => (p as { damage?: string[] }).damage?.includes(damage))) continue;
      const truthLines = truthPages.flatMap((p) => p.lines);
      for (const config of configs) {
        const started = performance.now();
        const clean = await cleanPage(page.image, { dpi: page.dpi, steps: config.steps });
        const ms = performance.now() - started;
        // A split spread is two clean pages, each judged against its own truth page (left first), as civreg eval does.
        const sorted = [...truthPages].sort((a, b) => a.index - b.index);
        for (const [k, part] of clean.pages.entries()) {
          const lines = clean.pages.length === 1 ? truthLines : sorted[k]?.lines ?? [];
          // A step that changed nothing on this page gives the same image: read it once.
          const key = createHash('sha1').update(part.image).update(JSON.stringify(part.table ?? null)).digest('hex');
          // A ruled table is read column by column, as the OCR stage does.
          const reading = readings.get(key) ?? (part.table && process.env.COLUMNS !== '0' ? recognizeByColumns(pool, part.image, part.table) : pool.recognize(part.image));
          readings.set(key, reading);
          jobs.push(
            reading.then((ocr) => {
              // As civreg eval does: truth boxes mapped onto the clean page, OCR words as read.
              const size = { width: page.width, height: page.height };
              const truthOnClean = lines.map((line) => ({ ...line, box: mapLineBoxToClean(line.box, part.transform, size) }));
              const e = pageCharacterErrors(truthOnClean, ocr.words);
              // The cleanup time counts once per image.
              const share = k === 0 ? ms : 0;
              add(config.name, book.era, e, share);
              add(config.name, 'all', e, share);
              if (process.env.VERBOSE) console.log(`${file}#${page.index}${k ? '/1' : ''} ${config.name}: CER ${((100 * e.errors) / Math.max(1, e.length)).toFixed(1)}% steps ${part.steps.join(' ')}`);
            }),
          );
        }
      }
    }
  }
}
await Promise.all(jobs);
await pool.close();
const keys = [...new Set([...totals.values()].flatMap((m) => [...m.keys()]))].sort();
console.log(['config'.padEnd(48), ...keys.map((k) => k.padStart(10)), '  clean ms/page'].join(''));
for (const config of configs) {
  const byKey = totals.get(config.name)!;
  const cells = keys.map((k) => {
    const t = byKey.get(k);
    return (t ? `${((100 * t.errors) / Math.max(1, t.length)).toFixed(1)}%` : '-').padStart(10);
  });
  const all = byKey.get('all')!;
  console.log([config.name.padEnd(48), ...cells, `  ${Math.round(all.cleanMs / all.pages)}`].join(''));
}
