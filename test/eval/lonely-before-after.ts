// Values accepted with and without a routing reason's rule (default `lonely_digit`, src/ocr/glyphs.ts digitTwins,
// src/extract/fields.ts; or `handwritten`, src/extract/handwriting.ts), from one eval run of the code with the rule
// (`--entries-out`): "without" accepts as well every field held for that reason alone whose confidence reaches its
// layout's threshold (src/extract/routing.ts), which is what routing did before. Not exact for typed values held by
// `lonely_digit` (held, they are not read a second time, which might have confirmed or refused them) nor for the 2 %
// audit draw. Per fill and era of the book and critical kind: accepted and wrong.
//   npx node test/eval/lonely-before-after.ts CORPUS_DIR ENTRIES_JSON [REASON]
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { scoreExtraction, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { AUTO_ACCEPT_THRESHOLD } from '../../src/extract/routing.ts';

const [dir, entriesFile, reason = 'lonely_digit'] = [process.argv[2]!, process.argv[3]!, process.argv[4]];
const corpus = await loadCorpus(dir);
const after: StoredEntry[] = JSON.parse(readFileSync(entriesFile, 'utf8'));
const eraOf = new Map(corpus.books.map(({ book }) => [book.id, book.era]));
const threshold = (book: string) => (['1956-1960', '1961-1998'].includes(eraOf.get(book) ?? '') ? AUTO_ACCEPT_THRESHOLD.table : AUTO_ACCEPT_THRESHOLD.form);
let held = 0;
const before: StoredEntry[] = after.map((e) => ({
  ...e,
  fields: Object.fromEntries(Object.entries(e.fields).map(([name, f]) => {
    const only = f.status === 'review' && f.reasons?.length === 1 && f.reasons[0] === reason && (f.confidence ?? 0) >= threshold(e.book);
    if (only) held++;
    return [name, only ? { ...f, status: 'auto_accepted' } : f];
  })),
}));
console.log(`fields held for ${reason} alone that routing accepted before: ${held}`);
type Rates = { truth: number; autoAcceptRate: number | null; autoAcceptedErrorRate: number | null };
const count = (r: Rates) => {
  const accepted = Math.round(r.truth * (r.autoAcceptRate ?? 0));
  return { accepted, wrong: Math.round(accepted * (r.autoAcceptedErrorRate ?? 0)) };
};
const groupOf = (book: { fill?: string; era: string }) => `${book.fill ?? 'unknown'} ${book.era}`;
for (const fill of [...new Set(corpus.books.map(({ book }) => groupOf(book)))].sort()) {
  const books = corpus.books.filter(({ book }) => groupOf(book) === fill).map(({ book, truth }) => ({ id: book.id, era: book.era, fill: book.fill, truth }));
  const [b, a] = [scoreExtraction(books, before).fields, scoreExtraction(books, after).fields];
  const line = (label: string, rb: Rates, ra: Rates) => {
    const [cb, ca] = [count(rb), count(ra)];
    console.log(`${fill.padEnd(18)} ${label.padEnd(12)} values ${String(ra.truth).padStart(5)}  before ${cb.accepted} accepted, ${cb.wrong} wrong  after ${ca.accepted} accepted, ${ca.wrong} wrong`);
  };
  const total = (f: typeof a) => ({ truth: Object.values(f.byField).reduce((n, v) => n + v.truth, 0), autoAcceptRate: f.autoAcceptRate, autoAcceptedErrorRate: f.autoAcceptedErrorRate });
  line('all', total(b), total(a));
  for (const kind of Object.keys(a.byCriticalKind)) line(kind, b.byCriticalKind[kind]!, a.byCriticalKind[kind]!);
  const wrongBefore = b.acceptedWrong.filter((w) => !a.acceptedWrong.some((x) => x.entry === w.entry && x.field === w.field));
  for (const w of wrongBefore) console.log(`  accepted wrong before only: ${w.field} (${w.entry})`);
  for (const w of a.acceptedWrong) console.log(`  accepted wrong after: ${w.field} (${w.entry})`);
}
