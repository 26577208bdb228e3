import type { Account } from '../auth/accounts.ts';
import { recordAudit } from '../db/audit.ts';
import { ISSUE_COLUMNS, ISSUE_JOINS, type BookIssueRow } from '../db/book-dashboard.ts';
import type { Sql, Database } from '../db/sql.ts';
import { checkBook, lockBookChecks } from '../extract/book-checks.ts';
import { reviewPriority } from '../extract/routing.ts';
import { rematchEntry } from '../match/stage.ts';
import { fileUnderDateYear } from './settle.ts';

/** One book issue on its own page: as the dashboard lists it, with its book and what the person who settled it noted. */
export interface BookIssueView extends BookIssueRow {
  bookId: number;
  officeId: number;
  officeName: string;
  registerType: string;
  bookNo: string;
  createdAt: Date;
  handledNote: string | null;
}

export async function loadBookIssue(sql: Sql, issueId: number): Promise<BookIssueView | null> {
  const [issue] = await sql.query<BookIssueView>(
    `select ${ISSUE_COLUMNS}, i.book_id as "bookId", b.office_id as "officeId", ro.name as "officeName", b.register_type as "registerType",
            b.book_no as "bookNo", i.created_at as "createdAt", i.handled_note as "handledNote"
       from book_issue i join book b on b.id = i.book_id join registry_office ro on ro.id = b.office_id ${ISSUE_JOINS}
      where i.id = $1`,
    [issueId],
  );
  return issue ?? null;
}

export class IssueAlreadyHandledError extends Error {
  override name = 'IssueAlreadyHandledError';
}

/**
 * A person settles an open book issue: `resolved` when the problem was put right (the missing page scanned, the
 * struck entry noted), `dismissed` when it is not a problem of the book. The note says why; the audit trail names
 * the issue and the outcome, not the note (which may quote the book).
 */
export async function handleBookIssue(db: Database, account: Account, input: { issueId: number; outcome: 'resolved' | 'dismissed'; note: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const kind = await settleOpenIssue(tx, input.issueId, input.outcome, account, input.note);
    if (kind === null) throw new IssueAlreadyHandledError(`book issue ${input.issueId} is not open`);
    const toReview = kind === 'struck_entry' && input.outcome === 'dismissed' ? await restoreStruckEntry(tx, input.issueId) : null;
    await recordAudit(tx, { actor: account.name, action: `book_issue_${input.outcome}`, objectType: 'book_issue', objectId: input.issueId, detail: { kind, ...(toReview === null ? {} : { fieldsToReview: toReview }) } });
  });
}

/**
 * A `struck_entry` issue dismissed: the entry was not struck through after all (an ink blot, a line under its
 * neighbour), so it is an entry of the book again. Nothing of it was ever routed, so every field it has goes to
 * review as the machine read it; it is matched, and the book checked again (its number counts now). Returns how
 * many fields went to review, or null when the issue's entry was not struck (nothing to restore).
 */
async function restoreStruckEntry(tx: Sql, issueId: number): Promise<number | null> {
  const [entry] = await tx.query<{ id: number; bookId: number }>(
    `update entry e set struck = false, status = 'needs_review', updated_at = now()
       from book_issue i where i.id = $1 and e.id = i.entry_id and (e.struck or e.status = 'struck')
     returning e.id, e.book_id as "bookId"`, [issueId]);
  if (!entry) return null;
  const fields = await tx.query<{ field: string }>(
    `update entry_field set status = 'review', updated_at = now(),
            reasons = case when 'struck_dismissed' = any(reasons) then reasons else reasons || '{struck_dismissed}' end
      where entry_id = $1 and status in ('pending', 'auto_accepted') returning field`, [entry.id]);
  for (const { field } of fields) {
    await tx.query(`insert into review_item (kind, entry_id, field, priority) values ('field', $1, $2, $3) on conflict do nothing`, [entry.id, field, reviewPriority(field)]);
  }
  await tx.query(
    `update entry e set status = case when exists (select 1 from entry_field f where f.entry_id = e.id and f.status = 'review') then 'needs_review' else 'verified' end
      where id = $1`, [entry.id]);
  await rematchEntry(tx, entry.id);
  await checkBook(tx, entry.bookId);
  return fields.length;
}

/** Marks an open issue settled by `account` with its note; returns the issue's kind, or null when it was not open. */
export async function settleOpenIssue(sql: Sql, issueId: number, outcome: 'resolved' | 'dismissed', account: Account, note: string): Promise<string | null> {
  const [row] = await sql.query<{ kind: string }>(
    `update book_issue set status = $2, handled_by = $3, handled_at = now(), handled_note = $4 where id = $1 and status = 'open' returning kind`,
    [issueId, outcome, account.id, note],
  );
  return row?.kind ?? null;
}

export class BookYearsRefusedError extends Error {
  override name = 'BookYearsRefusedError';
  readonly code: 'issue_already_handled' | 'not_book_years' | 'bad_years' | 'other_book_of_years';
  constructor(code: BookYearsRefusedError['code']) {
    super(code);
    this.code = code;
  }
}

/**
 * A person settles a `book_years_in_doubt` issue by saying which years the book holds (from its cover). The book's
 * own years: the issue is dismissed, and each date outside them is an issue of its entry again (the dates are read
 * wrong, or are late registrations). Other years: they become the book's, entries dated within them take their year
 * from the date, and the issue is resolved. Either way the book is checked again at once.
 */
export async function settleBookYears(db: Database, account: Account, input: { issueId: number; yearFrom: number; yearTo: number; note: string }): Promise<'resolved' | 'dismissed'> {
  if (!Number.isInteger(input.yearFrom) || !Number.isInteger(input.yearTo) || input.yearFrom > input.yearTo || input.yearFrom < 1900 || input.yearTo > 2100) {
    throw new BookYearsRefusedError('bad_years');
  }
  return db.transaction(async (tx) => {
    // the book checks' lock first, as every other change of the book's entries and issues takes it (checkBook below)
    const [of] = await tx.query<{ bookId: number }>('select book_id as "bookId" from book_issue where id = $1', [input.issueId]);
    if (!of) throw new BookYearsRefusedError('not_book_years');
    await lockBookChecks(tx, of.bookId);
    const [issue] = await tx.query<{ kind: string; status: string; bookId: number; yearFrom: number | null; yearTo: number | null }>(
      `select i.kind, i.status, i.book_id as "bookId", b.year_from as "yearFrom", b.year_to as "yearTo"
         from book_issue i join book b on b.id = i.book_id where i.id = $1 for update of i`, [input.issueId]);
    if (!issue || issue.kind !== 'book_years_in_doubt') throw new BookYearsRefusedError('not_book_years');
    if (issue.status !== 'open') throw new BookYearsRefusedError('issue_already_handled');
    const stands = issue.yearFrom === input.yearFrom && (issue.yearTo ?? issue.yearFrom) === input.yearTo;
    if (!stands) {
      try {
        await tx.query(`update book set year_from = $2, year_to = $3 where id = $1`, [issue.bookId, input.yearFrom, input.yearTo]);
      } catch (error) {
        // the office has its book of that number starting that year: the pages are that book's, to be moved there
        if ((error as { code?: string }).code === '23505') throw new BookYearsRefusedError('other_book_of_years');
        throw error;
      }
      // extraction gave entries dated outside the old years the book's only year (src/extract/extract.ts entryYear):
      // numbers restart each year, so the date's year is the entry's again
      await fileUnderDateYear(tx, { bookId: issue.bookId });
      // an undated entry's old year is no longer the book's: a one-year book's year, or none, for the book checks to
      // give it the year its place in the numbering gives (withYearsOfBook)
      await tx.query(
        `update entry e set year = case when $2::int = $3::int then $2::int end, updated_at = now()
          where e.book_id = $1 and (e.year is null or e.year not between $2 and $3) and e.year is distinct from case when $2::int = $3::int then $2::int end
            and not exists (select 1 from entry_field f where f.entry_id = e.id and f.field = 'registrationDate' and f.value ~ '^[0-9]{4}')`,
        [issue.bookId, input.yearFrom, input.yearTo]);
    }
    const outcome = stands ? 'dismissed' : 'resolved';
    await settleOpenIssue(tx, input.issueId, outcome, account, input.note);
    await recordAudit(tx, { actor: account.name, action: `book_issue_${outcome}`, objectType: 'book_issue', objectId: input.issueId,
      detail: { kind: issue.kind, yearFrom: input.yearFrom, yearTo: input.yearTo } });
    await checkBook(tx, issue.bookId, { comparePages: false });
    return outcome;
  });
}
