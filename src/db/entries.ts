import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import type { Sql } from './sql.ts';

/**
 * Stores the entries extracted from one page, keyed by (first page, position on it). A re-run
 * replaces the machine's values but never a value a person set (source other than machine, or
 * verified): those rows are left as they are. Entries the new run no longer finds are removed
 * unless a person has touched them.
 */
export async function saveExtractedEntries(
  sql: Sql,
  page: { id: number; bookId: number; registerType: string; era: string | null },
  entries: readonly ExtractedEntry[],
  extractVersion: string,
): Promise<number[]> {
  const ids: number[] = [];
  for (const entry of entries) {
    const [row] = await sql.query<{ id: number }>(
      `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type, era, struck, template, extract_version, region, status, entry_no_confidence, book_no_read)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, case when $9 then 'struck' else 'extracted' end, $13, $14)
       on conflict (page_id, seq) do update set page_ids = excluded.page_ids, year = excluded.year, entry_no = excluded.entry_no,
         entry_no_confidence = excluded.entry_no_confidence, book_no_read = excluded.book_no_read,
         era = excluded.era, struck = excluded.struck, template = excluded.template, extract_version = excluded.extract_version,
         region = excluded.region, updated_at = now(),
         status = case when excluded.struck then 'struck' when entry.status = 'struck' then 'extracted' else entry.status end
       returning id`,
      [page.bookId, page.id, entry.seq, entry.pageIds, entry.year, entry.entryNo, page.registerType, page.era, entry.struck, entry.template,
       extractVersion, JSON.stringify(entry.region), entry.entryNoConfidence, entry.bookNoRead ?? null],
    );
    const entryId = row!.id;
    ids.push(entryId);
    for (const f of entry.fields) await upsertMachineField(sql, entryId, f);
    // fields read on the next page (a continuation, src/extract/continued.ts) are that page's to replace
    await sql.query(
      `delete from entry_field where entry_id = $1 and source = 'machine' and status not in ('verified', 'unreadable') and not (field = any($2))
          and (page_id is null or page_id = $3)`,
      [entryId, entry.fields.map((f) => f.field), page.id],
    );
    // once a person read the note, its events are theirs (src/review/settle.ts), not a new reading's
    await insertNoteEvents(sql, entryId, entry.notes, true);
  }
  await sql.query(
    `delete from entry e where e.page_id = $1 and e.seq >= $2
        and not exists (select 1 from entry_field f where f.entry_id = e.id and (f.source <> 'machine' or f.status in ('verified', 'unreadable')))`,
    [page.id, entries.length],
  );
  return ids;
}

/**
 * Stores a machine reading of one field: replaces the machine's earlier reading, never a value a person
 * set (a differing reading is kept beside it as a conflict for a person to see). A placeholder for a
 * field this page lacks does not replace a value read on the entry's other page.
 */
export async function upsertMachineField(sql: Sql, entryId: number, f: ExtractedField): Promise<void> {
  await sql.query(
    `insert into entry_field (entry_id, field, raw, value, precision, page_id, box, confidence, status, reasons, confirmed_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10)
     on conflict (entry_id, field) do update set raw = excluded.raw, value = excluded.value, precision = excluded.precision,
       page_id = excluded.page_id, box = excluded.box, confidence = excluded.confidence, status = 'pending', reasons = excluded.reasons,
       audit_sample = false, confirmed_by = excluded.confirmed_by, twin_field_id = null, updated_at = now()
     where entry_field.source = 'machine' and entry_field.status not in ('verified', 'unreadable')
       and not (excluded.value is null and entry_field.value is not null and entry_field.page_id is distinct from excluded.page_id)`,
    [entryId, f.field, f.raw, f.value, f.precision, f.pageId, f.box ? JSON.stringify(f.box) : null, f.confidence, f.reasons, f.confirmedBy ?? null],
  );
  // a value a person set stays; a re-run that reads something else is kept beside it for a person to see
  await sql.query(
    `update entry_field set conflict_value = case when value is distinct from $3 then $3 end
      where entry_id = $1 and field = $2 and (source <> 'machine' or status in ('verified', 'unreadable'))`,
    [entryId, f.field, f.value],
  );
}

export interface StoredField {
  id: number;
  entryId: number;
  field: string;
  value: string | null;
  confidence: number;
  reasons: string[];
  status: string;
}

/**
 * Machine fields of the entries starting on a page, and of the page's continuation of an entry begun on the
 * page before, that the route stage has not decided yet.
 */
export async function listPendingFields(sql: Sql, pageId: number): Promise<StoredField[]> {
  return sql.query<StoredField>(
    `select f.id, f.entry_id as "entryId", f.field, f.value, f.confidence, f.reasons, f.status
       from entry_field f join entry e on e.id = f.entry_id
      where (e.page_id = $1 or f.page_id = $1) and f.status = 'pending' and not e.struck order by f.id`,
    [pageId],
  );
}

/** Verified fields of a page's entries that a re-run read differently, with no open review item yet. */
export async function listUnreviewedConflicts(sql: Sql, pageId: number): Promise<{ entryId: number; field: string }[]> {
  return sql.query(
    `select f.entry_id as "entryId", f.field from entry_field f join entry e on e.id = f.entry_id
      where (e.page_id = $1 or f.page_id = $1) and f.conflict_value is not null
        and not exists (select 1 from review_item r where r.entry_id = f.entry_id and r.field = f.field and r.status in ('open', 'claimed', 'arbitration'))`,
    [pageId],
  );
}

/**
 * The events of an entry's marginal notes (src/extract/notes.ts), each note once (by its text). `machineReading`:
 * notes as OCR read them, not added once a person verified the entry's note.
 */
export async function insertNoteEvents(sql: Sql, entryId: number, notes: ExtractedEntry['notes'], machineReading = false): Promise<void> {
  await sql.query(`insert into entry_event (entry_id, kind, field, old_value, new_value, event_date, raw)
                   select $1, n.kind, n.field, n.old_value, n.new_value, n.event_date, n.raw
                     from jsonb_to_recordset($2::jsonb) as n(kind text, field text, old_value text, new_value text, event_date text, raw text)
                    where not exists (select 1 from entry_event e where e.entry_id = $1 and e.raw = n.raw)
                      and not ($3 and exists (select 1 from entry_field f where f.entry_id = $1 and f.field = 'notes' and f.status = 'verified'))`,
    [entryId, JSON.stringify(notes.map((n) => ({ kind: n.kind, field: n.field, old_value: n.oldValue, new_value: n.newValue, event_date: n.date, raw: n.raw }))), machineReading]);
}
