// Two runs of `civreg eval --entries-out` on one corpus, value by value: which truth values one run read right and
// the other wrong (or not at all), by field kind, with the values themselves (synthetic data only).
// Run: node test/eval/compare-runs.ts CORPUS_DIR BEFORE.entries.json AFTER.entries.json
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { criticalKind, pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';

const [dir, beforeFile, afterFile] = process.argv.slice(2);
if (!dir || !beforeFile || !afterFile) throw new Error('usage: compare-runs.ts CORPUS_DIR BEFORE.entries.json AFTER.entries.json');
const corpus = await loadCorpus(dir);
const books = corpus.books.map(({ book, truth }) => ({ id: book.id, truth }));
const paired = (file: string) => pairEntries(books, JSON.parse(readFileSync(file, 'utf8')) as StoredEntry[]);
const runs = [paired(beforeFile), paired(afterFile)];
const counts = new Map<string, number>();
for (const book of books) for (const entry of book.truth.entries) {
  if (entry.struck) continue;
  const key = `${book.id}/${entry.year}/${entry.entryNo}`;
  for (const [name, t] of Object.entries(entry.fields)) {
    const [b, a] = runs.map((run) => run.get(key)?.machine.fields[name]);
    const [rightBefore, rightAfter] = [b, a].map((f) => sameFieldValue(name, f?.value, t.value));
    const acceptedWrong = a?.status === 'auto_accepted' && !rightAfter;
    if (rightBefore === rightAfter && !acceptedWrong) continue;
    const change = rightBefore === rightAfter ? 'accepted wrong after' : rightAfter ? 'now right' : 'now wrong';
    const label = `${criticalKind(name) ?? 'other'}: ${change}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
    console.log(`${change.padEnd(20)} ${key} ${name} truth "${t.value}" before "${b?.value ?? '—'}" (${b?.status ?? 'not found'}) after "${a?.value ?? '—'}" (${a?.status ?? 'not found'})`);
  }
}
for (const [label, n] of [...counts].sort()) console.log(`${String(n).padStart(5)}  ${label}`);
