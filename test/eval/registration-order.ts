// Held registration dates beside their neighbours in the book: a register is kept in order of registration, so an
// entry's date lies between the previous and next entries' dates (and equals both when they are one day). Counts,
// on a stored eval (`civreg eval --entries-out`), held dates whose neighbours (the entries before and after it in
// the book, not struck) were both accepted, right and wrong, by whether the held value equals both, lies between,
// lies outside or equals one; prints each such date's gap in days (and a wrong one's values); and counts truth dates
// out of order within a year (the corpus's own order).
// Run: node test/eval/registration-order.ts CORPUS_DIR ENTRIES.json [fill]   (fill: typed by default)
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
const [dir, entriesFile, fill = 'typed'] = process.argv.slice(2);
if (!dir || !entriesFile) throw new Error('usage: registration-order.ts CORPUS_DIR ENTRIES.json [fill]');
const corpus = await loadCorpus(dir);
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as StoredEntry[];
const books = corpus.books.filter(({ book }) => book.fill === fill).map(({ book, truth }) => ({ id: book.id, truth }));
const paired = pairEntries(books, stored);
const order = stored.filter((e) => !e.struck).sort((a, b) => a.book.localeCompare(b.book) || (a.page ?? 0) - (b.page ?? 0) || (a.seq ?? 0) - (b.seq ?? 0));
const idx = new Map(order.map((e, i) => [e, i]));
const F = 'registrationDate';
const sure = (e: StoredEntry | undefined, book: string) => e && e.book === book && e.fields[F]?.status === 'auto_accepted' ? e.fields[F]!.value : null;
const c = new Map<string, number>();
const add = (k: string) => c.set(k, (c.get(k) ?? 0) + 1);
for (const book of books) for (const truth of book.truth.entries) {
  if (truth.struck) continue;
  const m = paired.get(`${book.id}/${truth.year}/${truth.entryNo}`)?.machine; if (!m || m.struck) continue;
  const f = m.fields[F]; const t = truth.fields[F]; if (!f || !t || f.status !== 'review' || f.value == null) continue;
  const v = sameFieldValue(F, f.value, t.value) ? 'right' : 'WRONG';
  const i = idx.get(m)!; const p = sure(order[i - 1], m.book), n = sure(order[i + 1], m.book);
  const r = (f.reasons ?? []).join('+');
  add(`all ${v}`);
  const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 864e5;
  if (p && n) add(`  ${v} ${r}: neighbours ${days(p, n)} days apart, value ${p <= f.value && f.value <= n ? 'between' : 'outside'}${v === 'WRONG' ? `, read ${days(String(t.value), f.value)} days off` : ''}`);
  if (p && n && p === f.value && n === f.value) add(`equal-both ${r} ${v}`);
  else if (p && n && p <= f.value && f.value <= n) add(`between ${r} ${v}`);
  else if (p && n) add(`outside ${r} ${v}`);
  else if ((p && p === f.value) || (n && n === f.value)) add(`equal-one ${r} ${v}`);
}
let breaks = 0, pairs = 0;
for (const book of books) {
  const dated = book.truth.entries.filter((e) => !e.struck && e.fields[F]?.value);
  for (let i = 1; i < dated.length; i++) {
    if (dated[i]!.year !== dated[i - 1]!.year) continue;
    pairs++;
    if (String(dated[i]!.fields[F]!.value) < String(dated[i - 1]!.fields[F]!.value)) breaks++;
  }
}
for (const [k, n] of [...c].sort()) console.log(n, k);
console.log('truth order breaks', breaks, '/', pairs);
