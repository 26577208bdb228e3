/**
 * Review settled to the truth, for the report's figures of what the archive holds once review is done (as
 * `fields.accuracy` assumes: the reviewer is right): every stored entry paired with a truth entry has its
 * fields still waiting for a person verified with the truth's value; machine-accepted fields stay as the
 * machine read them. Used by the lookup section and by matching after review.
 */
import type { Sql } from '../db/sql.ts';
import type { Corpus } from './corpus.ts';
import { pairEntries } from './metrics/extraction.ts';
import type { CorpusRun } from './run.ts';

/**
 * Settles the review fields of the paired entries (see the module comment), those paired only by their place
 * on the page too (their number was misread and sent to a person, who types the right one: settling files the
 * entry under it, src/review/queue.ts fileUnderDecidedNumber); idempotent. Returns the truth key
 * (`<book>/<year>/<entryNo>`) of every paired stored entry, and the entries that had fields settled now.
 */
export async function settleReviewToTruth(sql: Sql, corpus: Corpus, run: Pick<CorpusRun, 'entries'>): Promise<{ keyOfEntry: Map<number, string>; settled: number[] }> {
  const paired = pairEntries(corpus.books.map(({ book, truth }) => ({ id: book.id, truth })), run.entries);
  const truthByKey = new Map(corpus.books.flatMap(({ book, truth }) => truth.entries.map((e) => [`${book.id}/${e.year}/${e.entryNo}` as string, e] as const)));
  const settle = { ids: [] as number[], fields: [] as string[], values: [] as (string | null)[] };
  const keyOfEntry = new Map<number, string>();
  for (const [key, { machine }] of paired) {
    if (machine.id === undefined) continue;
    keyOfEntry.set(machine.id, key);
    const truth = truthByKey.get(key)!;
    for (const [field, stored] of Object.entries(machine.fields)) {
      if (stored.status !== 'review') continue;
      settle.ids.push(machine.id);
      settle.fields.push(field);
      // the entry number is the truth entry's own number, not one of its fields
      settle.values.push(field === 'entryNo' ? String(truth.entryNo) : (truth.fields[field]?.value ?? null));
    }
  }
  const settled = await sql.query<{ entry_id: number }>(
    `update entry_field f set value = v.value, status = 'verified', source = 'verifier', verified_by = 'eval', verified_at = now()
       from unnest($1::bigint[], $2::text[], $3::text[]) as v(entry_id, field, value)
      where f.entry_id = v.entry_id and f.field = v.field and f.status = 'review'
      returning f.entry_id`,
    [settle.ids, settle.fields, settle.values],
  );
  return { keyOfEntry, settled: [...new Set(settled.map((r) => Number(r.entry_id)))].sort((a, b) => a - b) };
}
