import type { PgBoss } from 'pg-boss';
import type { Account } from '../auth/accounts.ts';
import { recordAudit } from '../db/audit.ts';
import type { Database } from '../db/sql.ts';
import { checkBook } from '../extract/book-checks.ts';
import { sendJob } from '../pipeline/queue.ts';
import { settleOpenIssue } from './book-issues.ts';

/** The book issues that name a page filed into the wrong book: staff move that page to its own book. */
export const MOVABLE_ISSUE_KINDS = ['page_of_other_book', 'page_of_other_register'] as const;

export class MoveRefusedError extends Error {
  override name = 'MoveRefusedError';
  readonly code: 'issue_already_handled' | 'not_movable' | 'same_book' | 'book_not_found';
  constructor(code: MoveRefusedError['code']) {
    super(code);
    this.code = code;
  }
}

/**
 * Moves the page a `page_of_other_book` or `page_of_other_register` issue names into the book it belongs to, as
 * if staff had uploaded it there again: it becomes that book's latest delivery (a one-page upload of the page's own
 * image, not the file it came in), placed by the book checks where its entry numbers go when they fill a gap
 * (src/extract/page-place.ts), and is extracted again with that book's form, the machine's entries of it made
 * anew (those a person set values of are kept, now the new book's). The issue is resolved with the note; the book
 * it leaves is checked again at once, the book it joins when the page has been read again. Returns both books' ids.
 */
export async function movePage(
  services: { db: Database; boss: PgBoss },
  account: Account,
  input: { issueId: number; targetBookId: number; note: string },
): Promise<{ from: number; to: number; pageId: number }> {
  return services.db.transaction(async (tx) => {
    const [issue] = await tx.query<{ kind: string; status: string; bookId: number; pageId: number | null }>(
      `select kind, status, book_id as "bookId", page_id as "pageId" from book_issue where id = $1 for update`, [input.issueId]);
    if (!issue || issue.pageId === null || !(MOVABLE_ISSUE_KINDS as readonly string[]).includes(issue.kind)) throw new MoveRefusedError('not_movable');
    if (issue.status !== 'open') throw new MoveRefusedError('issue_already_handled');
    if (input.targetBookId === issue.bookId) throw new MoveRefusedError('same_book');
    const [target] = await tx.query<{ registerType: string }>(`select register_type as "registerType" from book where id = $1`, [input.targetBookId]);
    if (!target) throw new MoveRefusedError('book_not_found');
    // deliveries to one book are serialised as uploads are (src/db/uploads.ts), so no two take one sequence number
    await tx.query('select pg_advisory_xact_lock(1, $1::int)', [input.targetBookId]);
    const [page] = await tx.query<{ label: string; fileName: string; sha256: string | null; bytes: number | null; format: string | null }>(
      `select p.label, u.file_name as "fileName", coalesce(p.original_sha256, p.clean_sha256) as sha256, bl.bytes, p.format
         from page p join upload u on u.id = p.upload_id left join blob bl on bl.sha256 = coalesce(p.original_sha256, p.clean_sha256)
        where p.id = $1 and p.book_id = $2`,
      [issue.pageId, issue.bookId],
    );
    if (!page?.sha256) throw new MoveRefusedError('not_movable');
    const [upload] = await tx.query<{ id: number }>(
      `insert into upload (book_id, seq, file_name, sha256, bytes, kind, uploaded_by, status, page_count)
       values ($1, (select coalesce(max(seq), 0) + 1 from upload where book_id = $1), $2, $3, $4, $5, $6, 'ingested', 1) returning id`,
      [input.targetBookId, `${page.fileName} – ${page.label}`, page.sha256, page.bytes ?? 0, page.format, account.name],
    );
    // read, not yet extracted for its new book: the book checks wait for it (its rescan comparison and continuation
    // were with the pages of the book it leaves; they are found again there)
    await tx.query(
      `update page set book_id = $2, upload_id = $3, file_index = 0, part = 0, status = 'ocr_done', rescan_of = null, rescan_similarity = null,
              placed_after = null, place_by_numbers = true, updated_at = now()
        where id = $1`,
      [issue.pageId, input.targetBookId, upload!.id]);
    // it is most often the page its new book misses: the book checks place it where its numbers go (src/extract/page-place.ts);
    // a page of the book it leaves placed after it goes back to its delivery
    await tx.query(`update page set placed_after = null where placed_after = $1`, [issue.pageId]);
    // its entries were read with the other book's form: the machine's go (extraction makes them again, with its new
    // book's form); an entry a person has set a value of stays, now the new book's
    await tx.query(
      `delete from entry e where e.page_id = $1
          and not exists (select 1 from entry_field f where f.entry_id = e.id and (f.source <> 'machine' or f.status in ('verified', 'unreadable')))`,
      [issue.pageId]);
    await tx.query(`update entry set book_id = $2, register_type = $3, updated_at = now() where page_id = $1`, [issue.pageId, input.targetBookId, target.registerType]);
    await tx.query(`delete from page_continuation where page_id = $1`, [issue.pageId]);
    await settleOpenIssue(tx, input.issueId, 'resolved', account, input.note);
    await checkBook(tx, issue.bookId);
    await recordAudit(tx, { actor: account.name, action: 'page_moved', objectType: 'page', objectId: issue.pageId, detail: { from: issue.bookId, to: input.targetBookId, issue: input.issueId } });
    await sendJob(services.boss, 'extract', { pageId: issue.pageId }, tx);
    return { from: issue.bookId, to: input.targetBookId, pageId: issue.pageId };
  });
}
