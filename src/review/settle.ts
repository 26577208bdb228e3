/**
 * What follows a person's decision on an entry: the entry filed under the number and year they decided, the book
 * checks run again, the entry matched again once no field awaits review, and marked verified when nothing does.
 * Used by the review queue, arbitration, corrections and the eval's simulated review.
 */
import type { Sql } from '../db/sql.ts';
import { insertNoteEvents } from '../db/entries.ts';
import { recheckBookAfterDecision } from '../extract/book-checks.ts';
import { parseNotes } from '../extract/notes.ts';
import { resolveChangesAbout } from '../extract/changes.ts';
import { rematchEntry } from '../match/stage.ts';

/**
 * Marks the entry verified when none of its fields awaits a person; returns whether it is. Once no field
 * awaits review the entry is matched again (rematchEntry): matching now trusts the fields people settled,
 * so a pair held back by them can link, or go to a person if it still needs one. `decided`: the field a
 * person just decided; the book checks run again when they read it (recheckBookAfterDecision).
 */
export async function settleEntry(tx: Sql, entryId: number, decided?: string): Promise<boolean> {
  await touchEntry(tx, entryId);
  await fileUnderDecidedNumber(tx, entryId);
  await eventsFromVerifiedNote(tx, entryId);
  if (decided) await recheckBookAfterDecision(tx, entryId, decided);
  const [fields] = await tx.query<{ n: number }>(`select count(*)::int as n from entry_field where entry_id = $1 and status = 'review'`, [entryId]);
  if (fields!.n === 0) {
    await rematchEntry(tx, entryId);
    // a change of another register held because it disagreed with this entry is judged on the settled values
    await resolveChangesAbout(tx, entryId);
  }
  const [left] = await tx.query<{ n: number }>(
    `select ((select count(*) from entry_field where entry_id = $1 and status = 'review')
           + (select count(*) from review_item where entry_id = $1 and status in ('open', 'claimed', 'arbitration')))::int as n`,
    [entryId],
  );
  const verified = left!.n === 0;
  if (verified) await tx.query(`update entry set status = 'verified', updated_at = now() where id = $1 and status <> 'verified'`, [entryId]);
  return verified;
}

/**
 * A person's decision changed the entry (a field's value or status): its book's live dashboard, which watches
 * its entries' `updated_at` (src/http/book-feed.ts), shows it. One row written per decision, so dashboards of
 * other books are not rendered again.
 */
export async function touchEntry(tx: Sql, entryId: number): Promise<void> {
  await tx.query('update entry set updated_at = now() where id = $1', [entryId]);
}

/**
 * A note a person read replaces the events the machine made of its own reading: a date or decision number
 * misread there ("50/11/2024", "số 105") would otherwise stay in the entry's events. Events a person or a
 * register of changes made (source other than machine) are kept.
 */
async function eventsFromVerifiedNote(tx: Sql, entryId: number): Promise<void> {
  const fields = await tx.query<{ field: string; value: string | null; status: string }>(`select field, value, status from entry_field where entry_id = $1`, [entryId]);
  const note = fields.find((f) => f.field === 'notes' && f.status === 'verified');
  if (!note) return;
  const notes = parseNotes(note.value ?? '', fields);
  const machine = await tx.query<{ raw: string }>(`select raw from entry_event where entry_id = $1 and source = 'machine' and source_entry_id is null`, [entryId]);
  if (machine.map((e) => e.raw).sort().join('\n') === notes.map((n) => n.raw).sort().join('\n')) return;
  await tx.query(`delete from entry_event where entry_id = $1 and source = 'machine' and source_entry_id is null`, [entryId]);
  await insertNoteEvents(tx, entryId, notes);
}

/** An entry number field (alias `f`) a person decided: a number, unreadable, or the book's line empty (verified, no value). */
export const NUMBER_DECIDED = `(f.status = 'unreadable' or (f.status = 'verified' and (f.value is null or f.value ~ '^[0-9]{1,6}$')))`;

/**
 * Files an entry under the number and year a person decided: searches by book and number, records served,
 * extracts, exports and matching name an entry by `entry.entry_no` and `entry.year`, which extraction set from
 * its reading ("51" for 41; no year where a book of several years had the registration date unread). The year
 * is the verified registration date's, when it falls within the book's years (as extraction takes it).
 */
export async function fileUnderDecidedNumber(tx: Sql, entryId: number): Promise<void> {
  // a number a person found unreadable, or a line the clerk left empty (F6), leaves the entry without a number:
  // the machine's reading of it ("1035") must not go on naming the entry and judging the book's numbering
  await tx.query(
    `update entry e set entry_no = case when f.status = 'verified' and f.value ~ '^[0-9]{1,6}$' then f.value::int end, updated_at = now()
       from entry_field f
      where e.id = $1 and f.entry_id = e.id and f.field = 'entryNo' and ${NUMBER_DECIDED}
        and e.entry_no is distinct from (case when f.status = 'verified' and f.value ~ '^[0-9]{1,6}$' then f.value::int end)`,
    [entryId],
  );
  await fileUnderDateYear(tx, { entryId });
}

/**
 * Entries take the year of their registration date when it falls within their book's years, as extraction takes it
 * (numbers restart each year): one entry by the date a person verified, or a whole book's, whose years a person
 * has just said, by the dates as they stand.
 */
export async function fileUnderDateYear(tx: Sql, scope: { entryId: number } | { bookId: number }): Promise<void> {
  const [which, id, verified] = 'entryId' in scope ? ['e.id', scope.entryId, `and f.status = 'verified'`] : ['e.book_id', scope.bookId, ''];
  await tx.query(
    `update entry e set year = left(f.value, 4)::int, updated_at = now()
       from entry_field f, book b
      where ${which} = $1 and f.entry_id = e.id and b.id = e.book_id and f.field = 'registrationDate' ${verified} and f.value ~ '^[0-9]{4}'
        and left(f.value, 4)::int between coalesce(b.year_from, 0) and coalesce(b.year_to, 9999) and e.year is distinct from left(f.value, 4)::int`,
    [id],
  );
}
