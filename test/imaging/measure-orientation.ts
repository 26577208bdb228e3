/**
 * The orientation step on a corpus's pages against the truth's `rotation`: cleans every delivered page (no OCR) and
 * prints, per page, the turn the delivery needs back, the turn cleanup found, whether it was sure and its evidence
 * (`linesVsColumns`, `aboveVsBelow`), then how many pages were left turned. Not a test.
 *
 *   npx node test/imaging/measure-orientation.ts CORPUS_DIR …
 *
 * Only the steps orientation needs run (red stamps faded, then the turn), so a page costs a decode and the
 * ~100-dpi analysis. ONLY=b25 limits the pages to files whose path contains it; FILL=typed to books of that fill.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { cleanPage, cleanStepsFrom } from '../../src/imaging/clean.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';

let pages = 0;
let wrong = 0;
for (const dir of process.argv.slice(2)) {
  const corpus = await loadCorpus(dir);
  for (const { book, truth } of corpus.books) {
    if (process.env.FILL && book.fill !== process.env.FILL) continue;
    for (const file of book.files) {
      if (process.env.ONLY && !file.includes(process.env.ONLY)) continue;
      const decoded = await decodeUpload(await readFile(join(dir, file)), file, DEFAULT_LIMITS);
      if (!decoded.ok) continue;
      for await (const outcome of decoded.pages()) {
        if (!outcome.ok) continue;
        const page = truth.pages.find((p) => p.file === file && p.filePage === outcome.page.index) as { rotation?: number } | undefined;
        const cleaned = await cleanPage(outcome.page.image, { dpi: outcome.page.dpi, steps: cleanStepsFrom(['stamps', 'orient']) });
        const orient = cleaned.findings.orient;
        // the delivery turned the page by `rotation` clockwise; cleanup must turn it back by the rest of a full turn
        const needed = (360 - (page?.rotation ?? 0)) % 360;
        const found = orient?.turn ?? 0;
        pages += 1;
        if (found !== needed) wrong += 1;
        console.log(`${dir} ${book.fill ?? '-'} ${file}#${outcome.page.index} needs ${needed} found ${found}${found === needed ? '' : ' WRONG'} ${JSON.stringify(orient)}`);
      }
    }
  }
}
console.log(`${wrong} of ${pages} pages left turned`);
