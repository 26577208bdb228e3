// What the page doubts (src/extract/page-doubts.ts) hold, judged against the truth, on a stored eval
// (`civreg eval --entries-out`):
// - replay: `number_repeated` applied to a run made before it (entries.json keeps every entry's number, page and
//   status): how many accepted numbers it newly holds, right and wrong, and the wrong accepted numbers it misses;
// - counted: in a run made with both rules, the values holding `number_repeated` or `day_month_lost`, right and
//   wrong, and those holding that reason alone (each would otherwise be accepted when its confidence reaches the
//   threshold: `conf≥0.97` counts those over the ruled pages' threshold, the higher one).
// `day_month_lost` needs the values' boxes, which entries.json does not keep: it can only be counted in a new run.
// Run: node test/eval/page-doubts.ts CORPUS_DIR ENTRIES.json
import { readFileSync } from 'node:fs';
import type { ExtractedField } from '../../schemas/entries.ts';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { holdRepeatedNumbers } from '../../src/extract/page-doubts.ts';
import { AUTO_ACCEPT_THRESHOLD } from '../../src/extract/routing.ts';

const [dir, entriesFile] = process.argv.slice(2);
if (!dir || !entriesFile) throw new Error('usage: page-doubts.ts CORPUS_DIR ENTRIES.json');
const corpus = await loadCorpus(dir);
const stored = JSON.parse(readFileSync(entriesFile, 'utf8')) as StoredEntry[];
const books = corpus.books.map(({ book, truth }) => ({ id: book.id, truth }));
const paired = pairEntries(books, stored);
const truthOf = new Map<StoredEntry, { entryNo: number; fields: Record<string, { value: string }> }>();
for (const book of books) for (const entry of book.truth.entries) {
  const machine = paired.get(`${book.id}/${entry.year}/${entry.entryNo}`)?.machine;
  if (machine && !entry.struck) truthOf.set(machine, entry);
}
/** Right, wrong, or unknown (an entry paired with no truth entry) for a stored value. */
function judged(entry: StoredEntry, name: string): 'right' | 'WRONG' | 'unpaired' {
  const truth = truthOf.get(entry);
  const value = entry.fields[name]?.value;
  if (!truth) return 'unpaired';
  const expected = name === 'entryNo' ? String(truth.entryNo) : truth.fields[name]?.value;
  if (expected === undefined) return value == null ? 'right' : 'WRONG';
  return sameFieldValue(name, value, expected) ? 'right' : 'WRONG';
}

const count = new Map<string, number>();
const add = (key: string) => count.set(key, (count.get(key) ?? 0) + 1);

// replay of number_repeated on the run as stored
const pages = new Map<string, StoredEntry[]>();
for (const e of stored) if (e.page != null) pages.set(`${e.book}#${e.page}`, [...(pages.get(`${e.book}#${e.page}`) ?? []), e]);
for (const onPage of pages.values()) {
  const replayed = onPage.map((e) => ({
    stored: e,
    year: e.year ?? null,
    struck: e.struck,
    fields: e.fields.entryNo ? [{ field: 'entryNo', value: e.fields.entryNo.value, reasons: [...(e.fields.entryNo.reasons ?? [])] } as ExtractedField] : [],
  }));
  holdRepeatedNumbers(replayed);
  for (const { stored: e, fields } of replayed) {
    if (e.fields.entryNo?.status !== 'auto_accepted') continue;
    const verdict = judged(e, 'entryNo');
    const held = fields[0]!.reasons.includes('number_repeated');
    add(`replay number_repeated: accepted number ${held ? 'newly held' : 'still accepted'} ${verdict}`);
  }
}

// values a run made with the rules holds for them
for (const e of stored) for (const [name, field] of Object.entries(e.fields)) {
  for (const reason of ['number_repeated', 'day_month_lost']) {
    if (!(field.reasons ?? []).includes(reason)) continue;
    const verdict = judged(e, name);
    add(`run ${reason}: held ${verdict}`);
    if (field.reasons!.length === 1) add(`run ${reason}: held by it alone ${verdict}${(field.confidence ?? 0) >= AUTO_ACCEPT_THRESHOLD.table ? ' conf≥0.97' : ''}`);
  }
}
for (const [key, n] of [...count].sort(([a], [b]) => a.localeCompare(b))) console.log(`${String(n).padStart(6)}  ${key}`);
