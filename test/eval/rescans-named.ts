/**
 * Second scans told by the names entries read (src/extract/rescans-named.ts pagesNamedAlike) on eval runs' stored
 * entries (`civreg eval --entries-out`) against the corpora's truth: each truth `duplicate_page` found or not, and
 * pairs found that are no second scan. Pages set aside before extraction (identical files) have no entries here.
 * Not a test.
 *
 *   npx node test/eval/rescans-named.ts ENTRIES.json CORPUS_DIR [ENTRIES.json CORPUS_DIR …]
 */
import { readFileSync } from 'node:fs';
import { NAME_FIELDS_SET_ASIDE, pagesNamedAlike } from '../../src/extract/rescans-named.ts';

interface Stored { id: number; book: string; page: number; fields: Record<string, { value: string | null } | undefined> }
const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) throw new Error('usage: rescans-named.ts ENTRIES CORPUS [ENTRIES CORPUS …]');
const totals = { secondScans: 0, found: 0, falsePairs: 0 };
for (let k = 0; k < args.length; k += 2) {
  const stored = JSON.parse(readFileSync(args[k]!, 'utf8')) as Stored[];
  const corpus = args[k + 1]!;
  const manifest = JSON.parse(readFileSync(`${corpus}/manifest.json`, 'utf8')) as { books: { id: string }[] };
  const run = { secondScans: 0, found: 0, falsePairs: 0 };
  for (const book of manifest.books) {
    const truth = JSON.parse(readFileSync(`${corpus}/${book.id}/truth.json`, 'utf8')) as { faults: { kind: string; page?: number; of?: number }[] };
    const twice = truth.faults.filter((f) => f.kind === 'duplicate_page');
    const entries = stored.filter((e) => e.book === book.id).map((e) => ({
      id: e.id, pageId: e.page, pageOrder: e.page,
      names: Object.fromEntries(Object.entries(e.fields).filter(([f]) => f.endsWith('Name') && !NAME_FIELDS_SET_ASIDE.has(f)).map(([f, v]) => [f, v?.value ?? null])),
    }));
    const found = pagesNamedAlike(entries);
    run.secondScans += twice.length;
    for (const f of found) {
      if (twice.some((t) => t.page === f.pageId)) {
        run.found++;
        console.log(`  found ${corpus} ${book.id}: page ${f.pageId} of ${f.of} (${f.entries} entries)`);
      }
      else {
        run.falsePairs++;
        console.log(`  false ${corpus} ${book.id}: page ${f.pageId} of ${f.of} (${f.entries} entries)`);
      }
    }
    for (const t of twice) if (!found.some((f) => f.pageId === t.page)) console.log(`  missed ${corpus} ${book.id}: page ${t.page} of ${t.of} (${entries.filter((e) => e.pageId === t.page).length} entries read)`);
  }
  console.log(`${corpus}: ${run.found} of ${run.secondScans} second scans found, ${run.falsePairs} false`);
  totals.secondScans += run.secondScans;
  totals.found += run.found;
  totals.falsePairs += run.falsePairs;
}
console.log(`all: ${totals.found} of ${totals.secondScans} second scans found by names, ${totals.falsePairs} false`);
