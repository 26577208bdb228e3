// What src/extract/closed-vocabulary.ts would confirm on stored eval runs (`civreg eval --entries-out`): typed values
// held for nothing but low confidence, readings that disagree or a case put right (`corrected`), read as exactly an
// entry of their closed list (`closedListEntry`), counted right and wrong by kind; and the run's typed acceptance
// before and after (accepted values of typed books over their truth fields; `civreg eval` counts entry numbers too).
// Run: node test/eval/vocabulary-held.ts CORPUS_DIR ENTRIES.json [CORPUS_DIR ENTRIES.json …]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadCorpus } from '../../src/eval/corpus.ts';
import { pairEntries, sameFieldValue, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { closedListEntry } from '../../src/extract/closed-vocabulary.ts';
import { fieldKind } from '../../src/extract/values.ts';

const CLEARABLE = new Set(['low_confidence', 'readings_disagree', 'corrected']);
const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) throw new Error('usage: vocabulary-held.ts CORPUS_DIR ENTRIES.json [CORPUS_DIR ENTRIES.json …]');
for (let i = 0; i < args.length; i += 2) {
  const corpus = await loadCorpus(args[i]!);
  const stored = JSON.parse(readFileSync(args[i + 1]!, 'utf8')) as StoredEntry[];
  const books = corpus.books.filter(({ book }) => book.fill === 'typed').map(({ book, truth }) => ({ id: book.id, truth }));
  const paired = pairEntries(books, stored);
  let values = 0;
  let accepted = 0;
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const book of books) for (const truth of book.truth.entries) {
    if (truth.struck) continue;
    const machine = paired.get(`${book.id}/${truth.year}/${truth.entryNo}`)?.machine;
    for (const [name, t] of Object.entries(truth.fields)) {
      values++;
      const f = machine?.fields[name];
      if (!f) continue;
      if (f.status === 'auto_accepted') accepted++;
      const reasons = f.reasons ?? [];
      if (f.status !== 'review' || reasons.length === 0 || !reasons.every((r) => CLEARABLE.has(r)) || f.value === null || !closedListEntry(name, f.raw ?? null)) continue;
      add(`${fieldKind(name)} ${sameFieldValue(name, f.value, t.value) ? 'right' : 'WRONG'}`);
    }
  }
  const confirmed = [...counts].filter(([k]) => k.endsWith('right')).reduce((n, [, v]) => n + v, 0);
  const wrong = [...counts].filter(([k]) => k.endsWith('WRONG')).reduce((n, [, v]) => n + v, 0);
  const pct = (n: number) => `${((100 * n) / values).toFixed(1)} %`;
  console.log(`${basename(args[i]!)}: typed ${values}, accepted ${accepted} (${pct(accepted)}) → ${accepted + confirmed + wrong} (${pct(accepted + confirmed + wrong)}); confirmed right ${confirmed}, wrong ${wrong}`);
  for (const [key, n] of [...counts].sort()) console.log(`  ${String(n).padStart(5)}  ${key}`);
}
