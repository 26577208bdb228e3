// The place doubts of src/extract/fields.ts replayed on stored evals (`civreg eval --entries-out`): `place_run_on`
// (src/places/written-place.ts placeRunsOn), `case_in_doubt` (src/extract/letter-case.ts caseInDoubt) and a full stop
// after a number before a word (src/extract/place-misreads.ts STOP_AFTER_NUMBER, which leaves the value unparsed) applied to
// every place value as stored, judged against the truth: how many accepted values each would newly hold, right and
// wrong, and how many values already held for other reasons it would also mark; and, in a run made with the rules, the
// values holding either reason, right and wrong, and those holding it alone (`conf≥0.97`: the first reading sure
// enough to be accepted without it, over the ruled pages' threshold). Entries paired as the eval pairs them.
// Run: node test/eval/place-doubts.ts CORPUS_DIR ENTRIES.json [CORPUS_DIR ENTRIES.json …]
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { caseInDoubt } from '../../src/extract/letter-case.ts';
import { AUTO_ACCEPT_THRESHOLD } from '../../src/extract/routing.ts';
import { fieldKind } from '../../src/extract/values.ts';
import { placeRunsOn } from '../../src/places/written-place.ts';
import { STOP_AFTER_NUMBER } from '../../src/extract/place-misreads.ts';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) throw new Error('usage: place-doubts.ts CORPUS_DIR ENTRIES.json […]');
const count = new Map<string, number>();
const add = (key: string) => count.set(key, (count.get(key) ?? 0) + 1);
const RULES: [string, (value: string) => boolean][] = [['place_run_on', placeRunsOn], ['case_in_doubt', caseInDoubt], ['stop_after_number', (v) => STOP_AFTER_NUMBER.test(v)]];
for (let a = 0; a < args.length; a += 2) {
  const corpus = await loadCorpus(args[a]!);
  const stored = JSON.parse(readFileSync(args[a + 1]!, 'utf8')) as StoredEntry[];
  const books = corpus.books.map(({ book, truth }) => ({ id: book.id, truth }));
  const paired = pairEntries(books, stored);
  for (const book of books) for (const entry of book.truth.entries) {
    if (entry.struck) continue;
    const machine = paired.get(`${book.id}/${entry.year}/${entry.entryNo}`)?.machine;
    for (const [name, field] of Object.entries(machine?.fields ?? {})) {
      if (fieldKind(name) !== 'place' || !field.value) continue;
      const truth = entry.fields[name]?.value;
      const verdict = truth !== undefined && sameFieldValue(name, field.value, truth) ? 'right' : 'WRONG';
      const accepted = field.status === 'auto_accepted';
      add(`place values ${accepted ? 'accepted' : 'held'} ${verdict}`);
      for (const [rule, holds] of RULES) {
        if (field.reasons?.includes(rule)) {
          add(`run ${rule}: held ${verdict}`);
          if (field.reasons.length === 1) add(`run ${rule}: held by it alone ${verdict}${(field.confidence ?? 0) >= AUTO_ACCEPT_THRESHOLD.table ? ' conf≥0.97' : ''}`);
          continue;
        }
        if (!holds(field.value)) continue;
        add(`${rule}: ${accepted ? 'accepted, newly held' : 'held already'} ${verdict}`);
        if (accepted && verdict === 'WRONG') console.log(`${rule} catches ${book.id} ${entry.year}/${entry.entryNo} ${name}`);
      }
    }
  }
}
for (const [key, n] of [...count].sort(([a], [b]) => a.localeCompare(b))) console.log(`${String(n).padStart(6)}  ${key}`);
