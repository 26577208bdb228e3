/**
 * Registers of changes and corrections (sổ đăng ký thay đổi, cải chính hộ tịch) as books of their own: each entry
 * refers to an entry of another book (a birth, marriage or death: which register, its number, book, registration
 * date and office) and changes one of its fields. Resolving the reference makes the change an `entry_event` on
 * that entry, of the same shape as a marginal note's (changed field, old and new value, the change's own date),
 * with the change entry as its source; the lookup API and certified extracts show it as they show notes.
 *
 * A reference is resolved only when it is sure: the change's fields trusted (accepted or verified, as matching
 * trusts them), exactly one entry of the archive at that office, register, book, year and number, the person's
 * name agreeing with that entry's, the values before and after the change readable as the field's values, and the
 * value before agreeing with the entry's (left blank, the entry's stands for it). Otherwise the change waits for a
 * person with a reason (CHANGE_REASONS) as a `change_unresolved` book issue of the register of changes (one a
 * person dismissed is not raised again). Either book may arrive first: the book checks of a book of that register
 * run (src/extract/book-checks.ts) judge again the changes waiting for an entry of its office, number and years,
 * and those tied to its entries (a re-run of extraction may have renumbered them); a change held because it
 * disagreed with its original is judged again when a person settles the original's fields (src/review/queue.ts).
 * Judging again to the same outcome changes nothing.
 */
import { changeSourceText } from '../../schemas/entries.ts';
import type { Sql } from '../db/sql.ts';
import type { BookIssue } from './numbering.ts';
import { bookNoKey, bookNoKeySql } from '../text/book-no.ts';
import { judgeChange, officeKey, parseReference, type Candidate, type ChangeFields, type Resolution } from './change-judging.ts';
import { onPageSetAsideSql } from './rescans.ts';

/**
 * Advisory lock (with key 0): a register of changes resolves its entries holding it alone, so that the checks of a
 * book they refer to, running at the same time, see its waiting changes once it commits (and it sees their entries).
 * Those checks share it with each other, and lock the change rows they resolve again.
 */
const CHANGE_LOCK = 5;
/** Takes the lock alone: resolving a register of changes, or one change (a verifier's decision, a supervisor's tie). */
export const lockChanges = (sql: Sql) => sql.query('select pg_advisory_xact_lock($1, 0)', [CHANGE_LOCK]);
interface ChangeEntry {
  id: number;
  bookId: number;
  pageId: number;
  year: number | null;
  struck: boolean;
  /** Read from a page the book checks set aside (a second scan, another book's or register's page). */
  setAside: boolean;
  /** Tied to its original by a supervisor (src/review/change-ties.ts), and the tie still holds: not judged again. */
  manual: boolean;
  /** A supervisor had tied it and a re-run undid that tie (now, or earlier and nobody tied it again). */
  tieUndone: boolean;
  fields: ChangeFields;
  bookNo: string;
  entryNo: number | null;
}


/**
 * A supervisor's tie of change `e` that still holds: the change not struck nor a second scan and still the number it
 * had, its original still at the reference the supervisor gave (a re-run of extraction may have moved either).
 */
const TIE_HOLDS = `exists (select 1 from change_reference r join entry t on t.id = r.target_entry_id join book tb on tb.id = t.book_id
   where r.entry_id = e.id and r.manual and not e.struck and not ${onPageSetAsideSql('e')} and r.change_entry_no is not distinct from e.entry_no
     and not t.struck and tb.register_type = r.ref_type and tb.office_id = r.ref_office_id and ${bookNoKeySql('tb.book_no')} = r.ref_book_no
     and t.year = r.ref_year and t.entry_no = r.ref_entry_no)`;

const CHANGE_ENTRY_SELECT = `
  select e.id, e.book_id as "bookId", e.page_id as "pageId", e.year, e.struck, e.entry_no as "entryNo", b.book_no as "bookNo",
         ${onPageSetAsideSql('e')} as "setAside", ${TIE_HOLDS} as manual,
         coalesce((select r.manual or r.tie_undone_at is not null from change_reference r where r.entry_id = e.id), false) as "tieUndone",
         coalesce((select jsonb_object_agg(f.field, jsonb_build_object('value', f.value, 'status', f.status, 'confidence', f.confidence))
                     from entry_field f where f.entry_id = e.id), '{}') as fields
    from entry e join book b on b.id = e.book_id`;

/** The change entries `tail` (joins, where, order, locks after CHANGE_ENTRY_SELECT) selects, ids as numbers. */
async function loadChanges(sql: Sql, tail: string, values: unknown[]): Promise<ChangeEntry[]> {
  const rows = await sql.query<ChangeEntry>(`${CHANGE_ENTRY_SELECT} ${tail}`, values);
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** Judges each change against its candidates (read for all of them at once) and files its issue. */
async function resolveAndFileAll(sql: Sql, changes: readonly ChangeEntry[]): Promise<void> {
  const candidates = await candidatesOf(sql, changes);
  for (const [i, change] of changes.entries()) await resolveAndFile(sql, change, candidates[i]!);
}

/** A reference to look up: a register, the offices it may be at, a book (in bookNoKey's form), a year and a number. */
export interface ReferenceTarget {
  registerType: 'birth' | 'marriage' | 'death';
  officeIds: readonly number[];
  bookNo: string;
  year: number;
  entryNo: number;
}

/**
 * The archive's entries each target names, with their fields, in one query for them all: not struck, not read from a
 * page's second scan. What changes' references name, read by the machine or by a person.
 */
export async function entriesAtReferences(sql: Sql, targets: readonly ReferenceTarget[]): Promise<Candidate[][]> {
  const found: Candidate[][] = targets.map(() => []);
  if (targets.length === 0) return found;
  const rows = await sql.query<Candidate & { i: number }>(
    `select w.i, e.id as "entryId", b.register_type as "registerType",
            coalesce((select jsonb_object_agg(f.field, f.value) from entry_field f where f.entry_id = e.id), '{}') as fields
       from jsonb_to_recordset($1::jsonb) as w(i int, register_type text, office_ids bigint[], book_no text, year int, entry_no int)
       join book b on b.register_type = w.register_type and b.office_id = any(w.office_ids) and ${bookNoKeySql('b.book_no')} = w.book_no
       join entry e on e.book_id = b.id and e.year = w.year and e.entry_no = w.entry_no
      where not e.struck and not ${onPageSetAsideSql('e')}
      order by w.i, e.id`,
    [JSON.stringify(targets.map((t, i) => ({ i, register_type: t.registerType, office_ids: t.officeIds, book_no: t.bookNo, year: t.year, entry_no: t.entryNo })))],
  );
  for (const { i, entryId, registerType, fields } of rows) found[i]!.push({ entryId: Number(entryId), registerType, fields });
  return found;
}

/** The candidates of each change at its reference as read; an incomplete reference, or an unknown office, has none. */
async function candidatesOf(sql: Sql, changes: readonly ChangeEntry[]): Promise<Candidate[][]> {
  // an office is named as written (diacritics, the authority's words), which SQL cannot fold: the offices are few
  const offices = await sql.query<{ id: number; code: string; name: string }>('select id, code, name from registry_office');
  const officeIds = (key: string) => offices.filter((o) => officeKey(o.name) === key || officeKey(o.code) === key).map((o) => Number(o.id));
  const targets: ReferenceTarget[] = [];
  const targetOf = changes.map((change) => {
    const ref = parseReference(change.fields);
    if (ref.type === null || ref.office === null || ref.bookNo === null || ref.year === null || ref.entryNo === null) return -1;
    const ids = officeIds(ref.office);
    if (ids.length === 0) return -1;
    return targets.push({ registerType: ref.type, officeIds: ids, bookNo: ref.bookNo, year: ref.year, entryNo: ref.entryNo }) - 1;
  });
  const found = await entriesAtReferences(sql, targets);
  return targetOf.map((t) => (t < 0 ? [] : found[t]!));
}

/**
 * Resolves one change entry and stores the outcome: its event on the original (replacing an earlier one) and its
 * reference row. Judging again to the same outcome leaves both as they were (the event keeps its id).
 */
async function resolveEntry(sql: Sql, change: ChangeEntry, candidates: readonly Candidate[]): Promise<Resolution | null> {
  // a supervisor's tie stands: the event and the reference are theirs, not the machine's to judge again
  if (change.manual) return null;
  // a struck change, or one read from a page set aside (a second scan, another book's page), changes nothing
  if (change.struck || change.setAside) {
    await sql.query('delete from entry_event where source_entry_id = $1', [change.id]);
    await sql.query('delete from change_reference where entry_id = $1', [change.id]);
    return null;
  }
  const ref = parseReference(change.fields);
  const resolution = judgeChange(change.fields, candidates);
  if (resolution.status === 'resolved') {
    const e = resolution.event;
    const row = [change.id, resolution.targetEntryId, e.kind, e.field, e.oldValue, e.newValue, e.date, changeSourceText(change)];
    await sql.query(
      `delete from entry_event where source_entry_id = $1
          and (entry_id, kind, field, old_value, new_value, event_date, raw) is distinct from ($2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text)`,
      row,
    );
    await sql.query(
      `insert into entry_event (source_entry_id, entry_id, kind, field, old_value, new_value, event_date, raw, source)
       select $1, $2, $3, $4, $5, $6, $7, $8, 'machine' where not exists (select 1 from entry_event where source_entry_id = $1)`,
      row,
    );
  } else {
    await sql.query('delete from entry_event where source_entry_id = $1', [change.id]);
  }
  await sql.query(
    `insert into change_reference (entry_id, ref_type, ref_office, ref_book_no, ref_year, ref_entry_no, status, reason, target_entry_id, confidence)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (entry_id) do update set ref_type = excluded.ref_type, ref_office = excluded.ref_office, ref_book_no = excluded.ref_book_no,
       ref_year = excluded.ref_year, ref_entry_no = excluded.ref_entry_no, status = excluded.status, reason = excluded.reason,
       target_entry_id = excluded.target_entry_id, confidence = excluded.confidence, manual = false, ref_office_id = null, change_entry_no = null,
       tie_undone_at = case when change_reference.manual then now() when excluded.status = 'resolved' then null else change_reference.tie_undone_at end,
       updated_at = now()
     where change_reference.manual or (change_reference.ref_type, change_reference.ref_office, change_reference.ref_book_no, change_reference.ref_year, change_reference.ref_entry_no,
            change_reference.status, change_reference.reason, change_reference.target_entry_id, change_reference.confidence)
       is distinct from (excluded.ref_type, excluded.ref_office, excluded.ref_book_no, excluded.ref_year, excluded.ref_entry_no,
            excluded.status, excluded.reason, excluded.target_entry_id, excluded.confidence)`,
    [change.id, ref.type, ref.office, ref.bookNo, ref.year, ref.entryNo, resolution.status, resolution.status === 'review' ? resolution.reason : null,
     resolution.targetEntryId, resolution.confidence],
  );
  return resolution;
}

const issueOf = (change: ChangeEntry, r: Resolution): BookIssue | null =>
  r.status === 'review'
    ? { kind: 'change_unresolved', year: change.year, pageId: change.pageId, entryId: change.id,
        detail: { reason: r.reason, ...(r.targetEntryId ? { target: r.targetEntryId } : {}), ...(change.tieUndone ? { tieUndone: true } : {}) } }
    : null;

/**
 * Run by the book checks of a book whose pages are all read. A register of changes: every entry is resolved, and
 * the changes held for a person are returned as that book's issues. A register of births, marriages or deaths: the
 * changes of other books still waiting for an entry of this register and book number are resolved again, and
 * their books' issues follow.
 */
export async function resolveChanges(sql: Sql, bookId: number): Promise<BookIssue[]> {
  const [book] = await sql.query<{ registerType: string; bookNo: string }>('select register_type as "registerType", book_no as "bookNo" from book where id = $1', [bookId]);
  if (!book) return [];
  if (book.registerType === 'change') {
    await lockChanges(sql);
    const changes = await loadChanges(sql, 'where e.book_id = $1 order by e.id', [bookId]);
    const candidates = await candidatesOf(sql, changes);
    const issues: BookIssue[] = [];
    for (const [i, change] of changes.entries()) {
      const r = await resolveEntry(sql, change, candidates[i]!);
      const issue = r && issueOf(change, r);
      if (issue) issues.push(issue);
    }
    return issues;
  }
  if (!['birth', 'marriage', 'death'].includes(book.registerType)) return [];
  await sql.query('select pg_advisory_xact_lock_shared($1, 0)', [CHANGE_LOCK]);
  // the reference's office as a change may write it: this book's office by its name or its code
  const [office] = await sql.query<{ code: string; name: string }>(
    'select o.code, o.name from registry_office o join book b on b.office_id = o.id where b.id = $1', [bookId]);
  const offices = office ? [officeKey(office.name), officeKey(office.code)] : [];
  // a re-run of extraction may have removed an entry a change was tied to, or given its id to another entry
  // (entries are kept by their place on the page): the changes tied to this book's entries are judged again too;
  // those without a target only when they name this book's register, number, office and one of its entries' years
  const waiting = await loadChanges(sql,
    `join change_reference c on c.entry_id = e.id
      where c.target_entry_id in (select t.id from entry t where t.book_id = $3)
         or c.target_entry_id is null and c.ref_type = $1 and c.ref_book_no = $2 and c.ref_office = any($4::text[])
            and c.ref_year in (select distinct t.year from entry t where t.book_id = $3)
            and (c.status = 'resolved' or c.reason not in ('reference_unreadable', 'change_fields_unsure'))
      order by e.id for update of c`,
    [book.registerType, bookNoKey(book.bookNo), bookId, offices],
  );
  await resolveAndFileAll(sql, waiting);
  return [];
}

/**
 * The changes naming this entry judged again on its values as they stand. `held` (src/review/settle.ts settleEntry,
 * once a person has settled the entry's fields): those held because they disagreed with it (its name, the value
 * before the change). `all` (src/review/undo.ts, a decision taken back): every change naming it, held or resolved,
 * so that none stays tied to it by the value taken back.
 */
export async function resolveChangesAbout(sql: Sql, entryId: number, which: 'held' | 'all' = 'held'): Promise<void> {
  // the lock first: a register of changes resolving now (holding it alone) may be holding a change for this entry;
  // once it commits, the changes held are seen here and judged on this entry's settled values
  await sql.query('select pg_advisory_xact_lock_shared($1, 0)', [CHANGE_LOCK]);
  const held = which === 'held' ? ` and c.status = 'review'` : '';
  const changes = await loadChanges(sql, `join change_reference c on c.entry_id = e.id where c.target_entry_id = $1${held} order by e.id for update of c`, [entryId]);
  await resolveAndFileAll(sql, changes);
}

/**
 * Run when a person decided a field of a change entry: that change alone is judged again (not its whole register,
 * which may hold thousands), and its issue follows.
 */
export async function resolveChange(sql: Sql, changeEntryId: number): Promise<void> {
  // as when its register resolves: alone, so that a book it refers to checked now sees the outcome once committed
  await lockChanges(sql);
  await resolveAndFileAll(sql, await loadChanges(sql, `where e.id = $1 and e.register_type = 'change'`, [changeEntryId]));
}

/**
 * Resolves a change of another book than the one being checked; its register's issue for it follows its new state.
 * As in checkBook, an issue a person dismissed is not raised again.
 */
async function resolveAndFile(sql: Sql, change: ChangeEntry, candidates: readonly Candidate[]): Promise<void> {
  const r = await resolveEntry(sql, change, candidates);
  const issue = r && issueOf(change, r);
  const [settled] = await sql.query<{ n: number }>(
    `select count(*)::int as n from book_issue where book_id = $1 and kind = 'change_unresolved' and entry_id = $2 and status = 'dismissed'`, [change.bookId, change.id]);
  if (!issue || settled!.n > 0) {
    await sql.query(`delete from book_issue where book_id = $1 and kind = 'change_unresolved' and entry_id = $2 and status = 'open'`, [change.bookId, change.id]);
    return;
  }
  const updated = await sql.query(
    `update book_issue set year = $3, page_id = $4, detail = $5 where book_id = $1 and kind = 'change_unresolved' and entry_id = $2 and status = 'open' returning id`,
    [change.bookId, change.id, issue.year, issue.pageId, JSON.stringify(issue.detail)]);
  if (updated.length === 0) {
    await sql.query(`insert into book_issue (book_id, kind, year, page_id, entry_id, detail) values ($1, $2, $3, $4, $5, $6)`,
      [change.bookId, issue.kind, issue.year, issue.pageId, issue.entryId, JSON.stringify(issue.detail)]);
  }
}
