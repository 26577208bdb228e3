// What two confirmation rules could reach on a stored eval (`civreg eval --entries-out`), before running them: typed
// values held now, counted right and wrong, in each rule's class.
//   dates: a date to the day held for nothing but its confidence (no lonely_digit or digit_doubt: its figures
//          twinned), the class src/extract/second-reading.ts `twinnedDayDate` confirms once read alike twice;
//   twins: a name or place held for nothing but low_confidence, readings_disagree or corrected, equal to a value of
//          the same kind accepted on another field of the same page (src/extract/value-twins.ts).
// The book's fill stands for the pipeline's own typewriter tell, and routing's verdicts for the extract stage's.
// Run: node test/eval/held-classes.ts CORPUS_DIR ENTRIES.json [fill]   (fill: typed by default)
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { fieldKind } from '../../src/extract/values.ts';

const [dir, entriesFile, fill = 'typed'] = process.argv.slice(2);
if (!dir || !entriesFile) throw new Error('usage: held-classes.ts CORPUS_DIR ENTRIES.json [fill]');
const corpus = await loadCorpus(dir);
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as StoredEntry[];
const books = corpus.books.filter(({ book }) => book.fill === fill).map(({ book, truth }) => ({ id: book.id, truth }));
const paired = pairEntries(books, stored);

const free = (name: string) => ['name', 'place'].includes(fieldKind(name));
const acceptedOnPage = new Map<string, { entry: StoredEntry; name: string; value: string }[]>();
for (const entry of stored) for (const [name, f] of Object.entries(entry.fields)) {
  if (!free(name) || f.status !== 'auto_accepted' || f.value == null) continue;
  const page = `${entry.book}/${entry.page}/${fieldKind(name)}`;
  acceptedOnPage.set(page, [...(acceptedOnPage.get(page) ?? []), { entry, name, value: f.value }]);
}

const counts = new Map<string, number>();
const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
for (const book of books) for (const truth of book.truth.entries) {
  if (truth.struck) continue;
  const machine = paired.get(`${book.id}/${truth.year}/${truth.entryNo}`)?.machine;
  if (!machine) continue;
  for (const [name, t] of Object.entries(truth.fields)) {
    const f = machine.fields[name];
    if (!f || f.status !== 'review' || f.value == null) continue;
    const verdict = sameFieldValue(name, f.value, t.value) ? 'right' : 'WRONG';
    const reasons = f.reasons ?? [];
    if (fieldKind(name) === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(f.value) && reasons.length === 1 && reasons[0] === 'low_confidence') add(`dates ${verdict}`);
    const clearable = reasons.length > 0 && reasons.every((r) => ['low_confidence', 'readings_disagree', 'corrected'].includes(r));
    const twin = (acceptedOnPage.get(`${machine.book}/${machine.page}/${fieldKind(name)}`) ?? [])
      .some((a) => a.value === f.value && !(a.entry === machine && a.name === name));
    if (free(name) && clearable && twin) add(`twins ${verdict}`);
  }
}
for (const [key, n] of [...counts].sort()) console.log(`${String(n).padStart(6)}  ${key}`);
