import { FIELD_KEYS } from '../../schemas/corpus.ts';
import { changeSourceText } from '../../schemas/entries.ts';
import type { Account } from '../auth/accounts.ts';
import { recordAudit } from '../db/audit.ts';
import { settleOpenIssue } from './book-issues.ts';
import type { Database, Sql } from '../db/sql.ts';
import { bookNoKey } from '../text/book-no.ts';
import { entriesAtReferences, lockChanges } from '../extract/changes.ts';

/** Kinds of change a person may record by hand, as the register of changes names them. */
export const TIE_KINDS = { correction: 'Cải chính', change_of_name: 'Thay đổi', addition: 'Bổ sung' } as const;
export type TieKind = keyof typeof TIE_KINDS;
export type TieRegister = 'birth' | 'marriage' | 'death';

export interface ChangeTie {
  /** The `change_unresolved` issue being settled, and the entry of the register of changes it holds. */
  issueId: number;
  changeEntryId: number;
  /** The original as the supervisor read it off the change and found it: register, office, book, year, number. */
  target: { registerType: TieRegister; officeId: number; bookNo: string; year: number; entryNo: number };
  kind: TieKind;
  field: string;
  /** In the field's normal form; null: the original's value before the change stands. */
  oldValue: string | null;
  newValue: string | null;
  date: string | null;
  note: string;
}

export class TieRefusedError extends Error {
  override name = 'TieRefusedError';
  readonly code: 'issue_already_handled' | 'not_a_change' | 'original_not_found' | 'original_ambiguous' | 'field_unknown';
  constructor(code: TieRefusedError['code']) {
    super(code);
    this.code = code;
  }
}

/** The change entry a book issue is about, with the book it is in (for the event's source text). */
async function changeEntry(sql: Sql, entryId: number): Promise<{ id: number; bookId: number; bookNo: string; year: number | null; entryNo: number | null } | null> {
  const [row] = await sql.query<{ id: number; bookId: number; bookNo: string; year: number | null; entryNo: number | null }>(
    `select e.id, e.book_id as "bookId", b.book_no as "bookNo", e.year, e.entry_no as "entryNo"
       from entry e join book b on b.id = e.book_id where e.id = $1 and b.register_type = 'change'`,
    [entryId],
  );
  return row ?? null;
}

/**
 * A supervisor ties a change the machine held (a `change_unresolved` issue) to its original by hand: the event is
 * written on the original as a resolved change's would be, the reference is marked manual so that the machine does
 * not judge it again while the tie holds, and the issue is settled with the supervisor's note. Returns the original's
 * entry id.
 */
export async function tieChange(db: Database, account: Account, tie: ChangeTie): Promise<number> {
  if (!(FIELD_KEYS[tie.target.registerType] as readonly string[]).includes(tie.field)) throw new TieRefusedError('field_unknown');
  return db.transaction(async (tx) => {
    // alone against the machine judging changes, and against another person settling the same issue
    await lockChanges(tx);
    const [issue] = await tx.query(`select 1 from book_issue where id = $1 and entry_id = $2 and status = 'open' for update`, [tie.issueId, tie.changeEntryId]);
    if (!issue) throw new TieRefusedError('issue_already_handled');
    const change = await changeEntry(tx, tie.changeEntryId);
    if (!change) throw new TieRefusedError('not_a_change');
    const [originals] = await entriesAtReferences(tx, [{ ...tie.target, officeIds: [tie.target.officeId], bookNo: bookNoKey(tie.target.bookNo) }]);
    if (!originals?.length) throw new TieRefusedError('original_not_found');
    if (originals.length > 1) throw new TieRefusedError('original_ambiguous');
    const original = originals[0]!;
    const oldValue = tie.oldValue ?? original.fields[tie.field] ?? null;
    await tx.query('delete from entry_event where source_entry_id = $1', [change.id]);
    await tx.query(
      `insert into entry_event (source_entry_id, entry_id, kind, field, old_value, new_value, event_date, raw, source) values ($1, $2, $3, $4, $5, $6, $7, $8, 'supervisor')`,
      [change.id, original.entryId, tie.kind, tie.field, oldValue, tie.newValue, tie.date, changeSourceText(change)],
    );
    // the reference as the supervisor found it: the tie holds while the original is still there (src/extract/changes.ts)
    const ref = [tie.target.registerType, tie.target.officeId, bookNoKey(tie.target.bookNo), tie.target.year, tie.target.entryNo, change.entryNo];
    await tx.query(
      `insert into change_reference (entry_id, status, target_entry_id, confidence, manual, ref_type, ref_office_id, ref_book_no, ref_year, ref_entry_no, change_entry_no)
       values ($1, 'resolved', $2, 1, true, $3, $4, $5, $6, $7, $8)
       on conflict (entry_id) do update set status = 'resolved', reason = null, target_entry_id = $2, confidence = 1, manual = true, ref_type = $3,
         ref_office = null, ref_office_id = $4, ref_book_no = $5, ref_year = $6, ref_entry_no = $7, change_entry_no = $8, tie_undone_at = null,
         updated_at = now()`,
      [change.id, original.entryId, ...ref],
    );
    await settleOpenIssue(tx, tie.issueId, 'resolved', account, tie.note);
    await recordAudit(tx, { actor: account.name, action: 'change_tied', objectType: 'entry', objectId: change.id, detail: { original: original.entryId, field: tie.field, issue: tie.issueId } });
    return original.entryId;
  });
}
