// Why values went to a person: every truth value of a corpus beside the machine's (`civreg eval --entries-out`),
// counted by field kind as accepted (right, wrong) or held (right, wrong), held right values by their reasons.
// Run: node test/eval/held-values.ts CORPUS_DIR ENTRIES.json [fill]   (fill: printed | typed | hand, optional)
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { criticalKind, pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';

const [dir, entriesFile, fill] = process.argv.slice(2);
if (!dir || !entriesFile) throw new Error('usage: held-values.ts CORPUS_DIR ENTRIES.json [fill]');
const corpus = await loadCorpus(dir);
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as StoredEntry[];
const books = corpus.books.filter(({ book }) => !fill || book.fill === fill).map(({ book, truth }) => ({ id: book.id, era: book.era, truth }));
const paired = pairEntries(books, stored);

const count = new Map<string, number>();
const add = (key: string) => count.set(key, (count.get(key) ?? 0) + 1);
for (const book of books) for (const entry of book.truth.entries) {
  if (entry.struck) continue;
  const machine = paired.get(`${book.id}/${entry.year}/${entry.entryNo}`)?.machine;
  for (const [name, t] of Object.entries(entry.fields)) {
    const kind = criticalKind(name) ?? 'other';
    const field = machine?.fields[name];
    const right = sameFieldValue(name, field?.value, t.value);
    const era = `${book.era} ${kind}`;
    add(`${era}\tvalues`);
    if (!field) add(`${era}\tnot found`);
    else if (field.status === 'auto_accepted') add(`${era}\taccepted ${right ? 'right' : 'WRONG'}`);
    else {
      add(`${era}\theld ${right ? 'right' : 'wrong'}`);
      if (right) add(`${era}\t  held right: ${(field.reasons ?? []).slice().sort().join('+') || '(no reason)'}`);
    }
  }
}
for (const [key, n] of [...count].sort(([a], [b]) => a.localeCompare(b))) console.log(`${String(n).padStart(6)}  ${key}`);
