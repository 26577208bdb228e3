// Held typed names and places whose value equals a value of the same kind read surely (accepted, no reason) on
// another entry of the same book: the class a book-wide src/extract/value-twins.ts would reach, counted right and
// wrong on a stored eval (`civreg eval --entries-out`) by where the sure copy is (same page or another page of the
// book), whether it is the same field, and the held value's reasons. The replay cannot apply value-twins' other
// conditions (typewriter tell, `attested` spelling, boxes apart), so its right counts are an upper bound; its wrong
// counts are too, and any wrong one here is a case the rule would have to exclude.
// Run: node test/eval/book-twins.ts CORPUS_DIR ENTRIES.json [fill]   (fill: typed by default)
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { fieldKind } from '../../src/extract/values.ts';
const [dir, entriesFile, fill = 'typed'] = process.argv.slice(2);
if (!dir || !entriesFile) throw new Error('usage: book-twins.ts CORPUS_DIR ENTRIES.json [fill]');
const corpus = await loadCorpus(dir);
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as StoredEntry[];
const books = corpus.books.filter(({ book }) => book.fill === fill).map(({ book, truth }) => ({ id: book.id, truth }));
const paired = pairEntries(books, stored);
const free = (n: string) => ['name', 'place'].includes(fieldKind(n));
const sure = new Map<string, { e: StoredEntry; n: string }[]>();
for (const e of stored) if (!e.struck) for (const [n, f] of Object.entries(e.fields)) if (free(n) && f.status === 'auto_accepted' && f.value != null && (f.reasons ?? []).length === 0) {
  const k = `${e.book}|${fieldKind(n)}|${f.value}`; sure.set(k, [...(sure.get(k) ?? []), { e, n }]); }
const c = new Map<string, number>(); const add = (k: string) => c.set(k, (c.get(k) ?? 0) + 1);
for (const book of books) for (const truth of book.truth.entries) {
  if (truth.struck) continue;
  const m = paired.get(`${book.id}/${truth.year}/${truth.entryNo}`)?.machine; if (!m || m.struck) continue;
  for (const [name, t] of Object.entries(truth.fields)) { const f = m.fields[name]; if (!f || !free(name) || f.status !== 'review' || f.value == null) continue;
    const rs = f.reasons ?? []; const v = sameFieldValue(name, f.value, t.value) ? 'right' : 'WRONG';
    add(`held ${v}`);
    const tw = (sure.get(`${m.book}|${fieldKind(name)}|${f.value}`) ?? []).filter((x) => x.e !== m);
    if (!tw.length) continue;
    const where = tw.some((x) => x.e.page === m.page) ? 'page' : 'book';
    const sameField = tw.some((x) => x.n === name) ? 'sameField' : 'otherField';
    add(`${where} ${sameField} ${rs.join('+')} ${v}`);
  }
}
for (const [k, n] of [...c].sort()) console.log(n, k);
