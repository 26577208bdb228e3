/**
 * The sha1 of every clean page of a corpus, one line per scanned page (file#page, dpi, the stamp steps that ran,
 * the hashes of its clean pages): run it with two copies of the code and `diff` the outputs to find the pages a
 * cleanup change alters, so that only those need reading again. Not a test.
 *
 *   npx node test/imaging/clean-page-hashes.ts CODE_ROOT CORPUS_DIR
 *
 * CODE_ROOT is the checkout whose `src/imaging/clean.ts` is used (this worktree, or a copy of main exported beside it).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const [root, dir] = process.argv.slice(2);
if (!root || !dir) throw new Error('usage: clean-page-hashes.ts CODE_ROOT CORPUS_DIR');
const { cleanPage } = (await import(resolve(root, 'src/imaging/clean.ts'))) as typeof import('../../src/imaging/clean.ts');
const { decodeUpload, DEFAULT_LIMITS } = (await import(resolve(root, 'src/ingest/decode.ts'))) as typeof import('../../src/ingest/decode.ts');
const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { books: Array<{ files: string[]; dpi?: number }> };
for (const book of manifest.books) {
  for (const file of book.files) {
    const decoded = await decodeUpload(await readFile(join(dir, file)), file, DEFAULT_LIMITS);
    if (!decoded.ok) throw new Error(`${file}: not decoded`);
    for await (const outcome of decoded.pages()) {
      if (!outcome.ok) continue;
      const clean = await cleanPage(outcome.page.image, { dpi: outcome.page.dpi });
      const hashes = clean.pages.map((p) => createHash('sha1').update(p.image).digest('hex').slice(0, 12));
      console.log(`${file}#${outcome.page.index}`, book.dpi, clean.steps.filter((s) => s.includes('stamp')).join(' '), hashes.join(','));
    }
  }
}
