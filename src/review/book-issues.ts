import type { Account } from '../auth/accounts.ts';
import { recordAudit } from '../db/audit.ts';
import { ISSUE_COLUMNS, ISSUE_JOINS, type BookIssueRow } from '../db/book-dashboard.ts';
import type { Sql, Database } from '../db/sql.ts';

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
    await recordAudit(tx, { actor: account.name, action: `book_issue_${input.outcome}`, objectType: 'book_issue', objectId: input.issueId, detail: { kind } });
  });
}

/** Marks an open issue settled by `account` with its note; returns the issue's kind, or null when it was not open. */
export async function settleOpenIssue(sql: Sql, issueId: number, outcome: 'resolved' | 'dismissed', account: Account, note: string): Promise<string | null> {
  const [row] = await sql.query<{ kind: string }>(
    `update book_issue set status = $2, handled_by = $3, handled_at = now(), handled_note = $4 where id = $1 and status = 'open' returning kind`,
    [issueId, outcome, account.id, note],
  );
  return row?.kind ?? null;
}
