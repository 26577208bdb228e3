/**
 * Runs the pipeline on a corpus (or some of its books) as `civreg eval` does and keeps, for every page read, what
 * extraction starts from: its OCR words in the clean frame, its clean image and its book's register type, era and
 * years (OUT/pages.json, OUT/<page>.png), so that a change of extraction or routing can be replayed on the same OCR
 * without reading again (test/eval/hand-tells.ts). Not a test. Runs OCR: hold the CPU lock.
 *
 *   CIVREG_DATA_DIR=/tmp/X-data [BOOKS=b01,b02] node test/eval/dump-form-pages.ts CORPUS_DIR OUT_DIR
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '../../schemas/config.ts';
import { connectServer } from '../../src/db/server.ts';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { bookOfPages, runCorpus } from '../../src/eval/run.ts';
import { createLogger } from '../../src/log.ts';
import { SILENT_PROGRESS } from '../../src/pipeline/settle.ts';
import { startScratchPipeline } from '../../src/pipeline/scratch.ts';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: dump-form-pages.ts CORPUS_DIR OUT_DIR');
const only = process.env.BOOKS?.split(',');
const full = await loadCorpus(dir);
const corpus = { ...full, books: full.books.filter(({ book }) => !only || only.includes(book.id)) };
const config = parseConfig({ ...process.env, CIVREG_LOG_LEVEL: 'silent' });
const log = createLogger('silent');
const server = await connectServer(config, log);
try {
  const pipeline = await startScratchPipeline(server.url, config, log, { workers: true, prefix: 'civreg_dump' });
  try {
    const run = await runCorpus(pipeline, corpus, SILENT_PROGRESS);
    const bookOf = bookOfPages(corpus, run.pages);
    const rows = await pipeline.services.db.query<{ id: number; registerType: string; era: string | null; yearFrom: number | null; yearTo: number | null; width: number; height: number; words: unknown; cleanSha256: string | null }>(
      `select p.id, b.register_type as "registerType", b.era, b.year_from as "yearFrom", b.year_to as "yearTo",
              p.clean_width as width, p.clean_height as height, o.words, p.clean_sha256 as "cleanSha256"
         from page p join book b on b.id = p.book_id join page_ocr o on o.page_id = p.id order by p.id`);
    await mkdir(out, { recursive: true });
    const pages = [];
    for (const row of rows) {
      if (!row.cleanSha256) continue;
      await writeFile(join(out, `${row.id}.png`), await pipeline.services.blobs.get(row.cleanSha256));
      const { cleanSha256: _, ...page } = row;
      pages.push({ ...page, book: bookOf.get(row.id) ?? null });
    }
    await writeFile(join(out, 'pages.json'), JSON.stringify(pages));
    console.log(`${pages.length} pages kept in ${out}`);
  } finally {
    await pipeline.close();
  }
} finally {
  await server.stop();
}
