/**
 * Calibration of the rescan check by pixels (src/imaging/fingerprint.ts): cleans every delivered page of a
 * corpus, fingerprints it, and compares the pages of each book as the book check does, printing the
 * similarity of every second scan the truth names and the highest similarities of pages that are not one.
 * The cleaned pages are cached (800 px wide) in CACHE, so that a threshold can be tried again at once. Not a test.
 *
 *   npx node test/imaging/measure-rescans.ts CORPUS_DIR [CACHE.json] [BOOK…]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { cleanPage } from '../../src/imaging/clean.ts';
import { findRescannedPages, fingerprintPage, RESCAN_SIMILARITY } from '../../src/imaging/fingerprint.ts';
import { decodeUpload, DEFAULT_LIMITS } from '../../src/ingest/decode.ts';

const [dir, cache, ...only] = process.argv.slice(2);
if (!dir) throw new Error('usage: measure-rescans.ts CORPUS_DIR [CACHE.json] [BOOK…]');
const corpus = await loadCorpus(dir);
const store: Record<string, string> = cache && existsSync(cache) ? JSON.parse(readFileSync(cache, 'utf8')) : {};

async function cleanThumbnail(file: string, filePage: number, dpi: number | undefined): Promise<Buffer | null> {
  const decoded = await decodeUpload(readFileSync(join(dir!, file)), file, DEFAULT_LIMITS);
  if (!decoded.ok) return null;
  for await (const out of decoded.pages()) {
    if (!out.ok || out.page.index !== filePage) continue;
    const clean = await cleanPage(out.page.image, { dpi });
    return sharp(clean.image).greyscale().resize({ width: 800, kernel: 'linear' }).png().toBuffer();
  }
  return null;
}

const rescans: string[] = [];
const others: { similarity: number; pair: string }[] = [];
let missed = 0;
let falseAlarms = 0;
for (const { book, truth } of corpus.books) {
  if (only.length > 0 && !only.includes(book.id)) continue;
  const pages: { pageId: number; batch: number; fingerprint: Awaited<ReturnType<typeof fingerprintPage>> }[] = [];
  const rescanOf = new Map<number, number>();
  const images = new Set<string>();
  for (const page of truth.pages) {
    const key = `${book.id}:${page.file}#${page.filePage}`;
    // two facing pages in one image are one fingerprint here
    if (images.has(key)) continue;
    images.add(key);
    if (!store[key]) {
      const thumbnail = await cleanThumbnail(page.file, page.filePage, (page as { dpi?: number }).dpi);
      if (!thumbnail) continue;
      store[key] = thumbnail.toString('base64');
    }
    pages.push({ pageId: page.index, batch: 0, fingerprint: await fingerprintPage(Buffer.from(store[key]!, 'base64')) });
    const of = (page as { rescanOf?: number }).rescanOf;
    if (of !== undefined) rescanOf.set(page.index, of);
  }
  const found = findRescannedPages(pages, (earlier, later, similarity) => {
    const pair = `${book.id} ${book.era} ${book.fill ?? ''} page ${earlier}~${later}`;
    if (rescanOf.get(later) === earlier) rescans.push(`${pair} ${similarity.toFixed(3)}`);
    else others.push({ similarity, pair });
  });
  for (const [later, earlier] of rescanOf) if (!found.some((f) => f.pageId === later && f.of === earlier)) missed++;
  falseAlarms += found.filter((f) => rescanOf.get(f.pageId) !== f.of).length;
}
if (cache) writeFileSync(cache, JSON.stringify(store));
others.sort((a, b) => b.similarity - a.similarity);
console.log(`second scans compared (threshold ${RESCAN_SIMILARITY}):\n  ${rescans.join('\n  ')}`);
console.log(`highest other pairs:\n  ${others.slice(0, 8).map((o) => `${o.pair} ${o.similarity.toFixed(3)}`).join('\n  ')}`);
console.log(`second scans missed: ${missed}; pages taken for a second scan wrongly (before the entry-number veto): ${falseAlarms}; pairs compared: ${rescans.length + others.length}`);
