// Every typed (or other fill's) value of a stored eval run as one tab-separated row, for looking at held classes:
// run, book, era, register type, dpi, field, kind, status, reasons, confidence, verdict, raw, value, truth.
// Run: node test/eval/held-rows.ts CORPUS_DIR ENTRIES.json [fill]   (fill: typed by default)
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { fieldKind } from '../../src/extract/values.ts';

const [dir, entriesFile, fill = 'typed'] = process.argv.slice(2);
if (!dir || !entriesFile) throw new Error('usage: held-rows.ts CORPUS_DIR ENTRIES.json [fill]');
const corpus = await loadCorpus(dir);
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as StoredEntry[];
const books = corpus.books.filter(({ book }) => book.fill === fill);
const paired = pairEntries(books.map(({ book, truth }) => ({ id: book.id, truth })), stored);
const clean = (s: unknown) => String(s ?? '').replace(/[\t\n]/g, ' ');
for (const { book, truth } of books) for (const entry of truth.entries) {
  if (entry.struck) continue;
  const machine = paired.get(`${book.id}/${entry.year}/${entry.entryNo}`)?.machine;
  if (!machine) continue;
  for (const [name, t] of Object.entries(entry.fields)) {
    const f = machine.fields[name];
    if (!f) continue;
    const verdict = sameFieldValue(name, f.value, t.value) ? 'right' : 'WRONG';
    console.log([basename(dir), book.id, book.era, book.registerType, book.dpi, name, fieldKind(name), f.status, (f.reasons ?? []).slice().sort().join('+'),
      f.confidence ?? '', verdict, clean(f.raw), clean(f.value), clean(t.value)].join('\t'));
  }
}
