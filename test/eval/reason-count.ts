// How many stored values carry a routing reason, by the book's fill and era (`civreg eval --entries-out`).
// Run: node test/eval/reason-count.ts CORPUS_DIR ENTRIES.json REASON
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import type { StoredEntry } from '../../src/eval/metrics/extraction.ts';

const [dir, entriesFile, reason] = process.argv.slice(2);
if (!dir || !entriesFile || !reason) throw new Error('usage: reason-count.ts CORPUS_DIR ENTRIES.json REASON');
const corpus = await loadCorpus(dir);
const group = new Map(corpus.books.map(({ book }) => [book.id, `${book.fill ?? 'unknown'} ${book.era}`]));
const counts = new Map<string, [number, number]>();
for (const entry of JSON.parse(readFileSync(entriesFile, 'utf8')) as StoredEntry[]) {
  for (const field of Object.values(entry.fields)) {
    if (field.value === null || field.value === undefined) continue;
    const key = group.get(entry.book) ?? 'unknown';
    const [n, r] = counts.get(key) ?? [0, 0];
    counts.set(key, [n + 1, r + ((field.reasons ?? []).includes(reason) ? 1 : 0)]);
  }
}
for (const [key, [n, r]] of [...counts].sort()) console.log(`${key.padEnd(20)} values read ${String(n).padStart(5)}  with ${reason} ${String(r).padStart(5)} (${((100 * r) / n).toFixed(1)} %)`);
