import { recheckBookAfterDecision } from '../extract/book-checks.ts';
import { fileUnderDecidedNumber, touchEntry } from './settle.ts';
import type { ApiRecord } from '../../schemas/api.ts';
import { FIELD_KEYS } from '../../schemas/corpus.ts';
import type { Account } from '../auth/accounts.ts';
import { recordAudit } from '../db/audit.ts';
import type { Database, Sql } from '../db/sql.ts';

export class NotCorrectableError extends Error {
  override name = 'NotCorrectableError';
}

/**
 * Changes a field's value after it was decided: the old and new value and the reason are kept in
 * `field_correction`, the field becomes a supervisor's value, and the audit trail names the correction
 * (not the values, which are personal data). A field of the register the entry does not have at all (the machine
 * read nothing there, a keyed entry left it out) is added the same way, its old value none.
 */
export async function correctField(
  db: Database,
  account: Account,
  input: { entryId: number; field: string; value: string | null; precision: string | null; reason: string },
): Promise<number> {
  return db.transaction(async (tx) => {
    const [current] = await tx.query<{ value: string | null }>(
      `select value from entry_field where entry_id = $1 and field = $2 and status in ('verified', 'auto_accepted', 'unreadable') for update`,
      [input.entryId, input.field],
    );
    if (!current && !(await addMissingField(tx, input.entryId, input.field))) throw new NotCorrectableError(`entry ${input.entryId} field ${input.field} has no decided value`);
    const [row] = await tx.query<{ id: number }>(
      `insert into field_correction (entry_id, field, old_value, new_value, reason, account_id) values ($1, $2, $3, $4, $5, $6) returning id`,
      [input.entryId, input.field, current?.value ?? null, input.value, input.reason, account.id],
    );
    // a re-read waiting beside the old value is settled by the correction: the supervisor decided with the image
    await tx.query(
      `update entry_field set machine_value = coalesce(conflict_value, case when source = 'machine' then value else machine_value end),
              value = $3, precision = $4, status = $5, source = 'supervisor', verified_by = $6, verified_at = now(), conflict_value = null, updated_at = now()
        where entry_id = $1 and field = $2`,
      [input.entryId, input.field, input.value, input.precision, input.value === null ? 'unreadable' : 'verified', account.name],
    );
    await tx.query(`update review_item set status = 'cancelled' where kind = 'field' and entry_id = $1 and field = $2 and status in ('open', 'claimed')`, [input.entryId, input.field]);
    await touchEntry(tx, input.entryId);
    await fileUnderDecidedNumber(tx, input.entryId);
    await recheckBookAfterDecision(tx, input.entryId, input.field);
    await recordAudit(tx, { actor: account.name, action: 'field_corrected', objectType: 'entry_field', objectId: `${input.entryId}:${input.field}`, detail: { correction: row!.id } });
    return row!.id;
  });
}

/** Adds an empty row for a field of the entry's register it lacks, for a correction to fill; false when the field is not the register's or the entry has it. */
async function addMissingField(tx: Sql, entryId: number, field: string): Promise<boolean> {
  const [entry] = await tx.query<{ registerType: string; pageId: number }>('select register_type as "registerType", page_id as "pageId" from entry where id = $1', [entryId]);
  const keys: readonly string[] | undefined = entry ? FIELD_KEYS[entry.registerType as keyof typeof FIELD_KEYS] : undefined;
  if (!entry || !keys?.includes(field)) return false;
  const added = await tx.query(
    `insert into entry_field (entry_id, field, raw, page_id, confidence, source, status) values ($1, $2, '', $3, 1, 'supervisor', 'verified')
     on conflict (entry_id, field) do nothing returning id`, [entryId, field, entry.pageId]);
  return added.length > 0;
}

/** The fields of the entry's register it has no row for (src/http/entry-routes.ts lists them for a supervisor to add). */
export function missingFields(entry: Pick<EntryView, 'registerType' | 'fields'>): string[] {
  const keys: readonly string[] = FIELD_KEYS[entry.registerType as keyof typeof FIELD_KEYS] ?? [];
  const stored = new Set(entry.fields.map((f) => f.field));
  return keys.filter((field) => !stored.has(field));
}

export interface EntryView {
  id: number;
  bookId: number;
  officeId: number;
  registerType: string;
  bookNo: string;
  year: number | null;
  entryNo: number | null;
  status: string;
  pageId: number;
  fields: { field: string; value: string | null; status: string; source: string; verifiedBy: string | null; machineValue: string | null; conflictValue: string | null }[];
  corrections: { field: string; oldValue: string | null; newValue: string | null; reason: string; by: string; at: Date }[];
  events: (ApiRecord['events'][number] & { sourceEntryId: number | null })[];
  changed: { entryId: number; officeId: number; registerType: string; bookNo: string; year: number | null; entryNo: number | null }[];
}

export async function loadEntry(sql: Sql, entryId: number): Promise<EntryView | null> {
  const [entry] = await sql.query<Omit<EntryView, 'fields' | 'corrections'>>(
    `select e.id, e.book_id as "bookId", b.office_id as "officeId", e.register_type as "registerType", b.book_no as "bookNo", e.year,
            e.entry_no as "entryNo", e.status, e.page_id as "pageId"
       from entry e join book b on b.id = e.book_id where e.id = $1`,
    [entryId],
  );
  if (!entry) return null;
  const fields = await sql.query<EntryView['fields'][number]>(
    `select field, value, status, source, verified_by as "verifiedBy", machine_value as "machineValue",
            conflict_value as "conflictValue" from entry_field where entry_id = $1 order by id`,
    [entryId],
  );
  const corrections = await sql.query<EntryView['corrections'][number]>(
    `select c.field, c.old_value as "oldValue", c.new_value as "newValue", c.reason, a.name as by, c.at
       from field_correction c join account a on a.id = c.account_id where c.entry_id = $1 order by c.id`,
    [entryId],
  );
  // the same event shape the lookup API serves, plus the entry a registered change came from, for a link
  const events = await sql.query<EntryView['events'][number]>(
    `select ev.kind, ev.field, ev.old_value as "oldValue", ev.new_value as "newValue", ev.event_date as date, ev.source_entry_id as "sourceEntryId",
            case when se.id is null then null
                 else jsonb_build_object('registerType', sb.register_type, 'bookNo', sb.book_no, 'year', se.year, 'entryNo', se.entry_no) end as source
       from entry_event ev left join entry se on se.id = ev.source_entry_id left join book sb on sb.id = se.book_id
      where ev.entry_id = $1 order by ev.event_date nulls first, ev.id`,
    [entryId],
  );
  // an entry of a register of changes: the entries its change was written onto
  const changed = await sql.query<EntryView['changed'][number]>(
    `select distinct te.id as "entryId", tb.office_id as "officeId", tb.register_type as "registerType", tb.book_no as "bookNo", te.year, te.entry_no as "entryNo"
       from entry_event ev join entry te on te.id = ev.entry_id join book tb on tb.id = te.book_id where ev.source_entry_id = $1 order by te.id`,
    [entryId],
  );
  return { ...entry, fields, corrections, events, changed };
}
