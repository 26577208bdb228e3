// What src/extract/book-twins.ts `bookTwins` would accept on a stored eval (`civreg eval --entries-out`), counted
// right and wrong against the corpus's truth, per field kind and per the held value's reasons. The replay cannot see
// what the stored entries leave out, and errs on the side of accepting more wrong values, not fewer: every value of a
// book of the given fill counts as typewritten (the pass tells each value by its words' pitch), no page is set aside
// (the pass leaves out second scans and pages numbered backwards), and boxes are unknown (a twin on the same page is
// not counted: the pass takes one whose box does not meet the held value's). The vocabulary is the corpus's existing
// records, as the eval's database holds before review.
// Run: node test/eval/book-value-twins.ts CORPUS_DIR ENTRIES.json [fill]   (fill: typed by default; VERBOSE=1 lists the wrong ones;
//   ALSO=readings_disagree,… counts the values the pass would accept were these holds lifted too)
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { bookTwins, type BookValue } from '../../src/extract/book-twins.ts';
import { fieldKind } from '../../src/extract/values.ts';
import { streetName, wordsFrom, type Vocabulary } from '../../src/extract/vocabulary.ts';

const [dir, entriesFile, fill = 'typed'] = process.argv.slice(2);
if (!dir || !entriesFile) throw new Error('usage: book-value-twins.ts CORPUS_DIR ENTRIES.json [fill]');
const corpus = await loadCorpus(dir);
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as StoredEntry[];
const books = corpus.books.filter(({ book }) => book.fill === fill).map(({ book, truth }) => ({ id: book.id, truth }));
const bookIds = new Set(books.map((b) => b.id));
const also = process.env.ALSO?.split(',') ?? [];

// the words of names and streets of the existing records (src/extract/vocabulary.ts loadVocabulary, without verified values)
const counts = { name: new Map<string, number>(), street: new Map<string, number>() };
const count = (group: keyof typeof counts, text: string) => {
  for (const word of text.split(/[\s,.;()]+/u).filter((w) => w !== '')) counts[group].set(word, (counts[group].get(word) ?? 0) + 1);
};
for (const record of corpus.existing) {
  for (const [key, value] of Object.entries(record.fields as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    if (fieldKind(key) === 'name') count('name', value);
    else if (fieldKind(key) === 'place') {
      const street = streetName(value);
      if (street) count('street', street);
    }
  }
}
const vocabulary: Vocabulary = new Map([
  ['name', wordsFrom([...counts.name].map(([word, n]) => ({ word, n })))],
  ['street', wordsFrom([...counts.street].map(([word, n]) => ({ word, n })))],
]);

let nextId = 0;
const pageIds = new Map<string, number>();
const byId = new Map<number, { entry: StoredEntry; name: string }>();
const values = new Map<string, BookValue[]>();
for (const entry of stored) {
  if (!bookIds.has(entry.book) || entry.struck) continue;
  const pageKey = `${entry.book}/${entry.page}`;
  const pageId = pageIds.get(pageKey) ?? pageIds.set(pageKey, pageIds.size + 1).get(pageKey)!;
  for (const [name, f] of Object.entries(entry.fields)) {
    if (f.value === null) continue;
    const id = ++nextId;
    byId.set(id, { entry, name });
    const list = values.get(entry.book) ?? values.set(entry.book, []).get(entry.book)!;
    list.push({ id, entryId: entry.id ?? -id, pageId, field: name, value: f.value, status: f.status, source: 'machine', reasons: (f.reasons ?? []).map((r) => (also.includes(r) ? 'low_confidence' : r)), box: null,
      typed: true, claimed: false, year: entry.year, entryNo: entry.entryNo });
  }
}
const paired = pairEntries(books, stored);
const truthOf = new Map<StoredEntry, Record<string, { value: string }>>();
for (const book of books) for (const truth of book.truth.entries) {
  const machine = paired.get(`${book.id}/${truth.year}/${truth.entryNo}`)?.machine;
  if (machine) truthOf.set(machine, truth.fields);
}
const tally = new Map<string, number>();
const add = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
let typedValues = 0;
for (const entry of stored) if (bookIds.has(entry.book)) typedValues += Object.keys(entry.fields).length;
for (const [, list] of values) {
  for (const { id } of bookTwins(list, new Set(), vocabulary)) {
    const { entry, name } = byId.get(id)!;
    const f = entry.fields[name]!;
    const truth = truthOf.get(entry)?.[name];
    const verdict = truth === undefined ? 'unpaired' : sameFieldValue(name, f.value, truth.value) ? 'right' : 'WRONG';
    add(`${fieldKind(name)} ${(f.reasons ?? []).join('+')} ${verdict}`);
    add(`all ${verdict}`);
    if (verdict === 'WRONG' && process.env.VERBOSE) console.log(`WRONG ${entry.book} p${entry.page} ${name}: ${f.value} (truth ${truth!.value})`);
  }
}
for (const [key, n] of [...tally].sort()) console.log(n, key);
console.log(`${typedValues} values in ${fill} books; accepted ${((100 * ((tally.get('all right') ?? 0) + (tally.get('all WRONG') ?? 0))) / typedValues).toFixed(2)} points more`);
