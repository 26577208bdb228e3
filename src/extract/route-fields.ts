import { listPendingFields, listUnreviewedConflicts } from '../db/entries.ts';
import type { Sql } from '../db/sql.ts';
import { decide, reviewPriority } from './routing.ts';

/** A re-run that disagrees with a verified value comes before any new field. */
const CONFLICT_PRIORITY = 20;

/**
 * Decides for every pending field of a page's entries whether a person must see it, queues review items for those
 * and marks entries with nothing left to review as verified. Returns how many fields go to a person. Run by the route
 * stage, and by the book checks for the fields of an entry continued onto a page placed anew (src/extract/page-place.ts).
 */
export async function routePageFields(sql: Sql, pageId: number, auditRate: number): Promise<number> {
  const templates = new Map((await sql.query<{ id: number; template: string | null }>(`select id, template from entry where page_id = $1 or $1 = any(page_ids)`, [pageId])).map((e) => [e.id, e.template]));
  let review = 0;
  for (const field of await listPendingFields(sql, pageId)) {
    const decision = decide(field, templates.get(field.entryId) ?? null, auditRate);
    if (decision.status === 'auto_accepted') {
      await sql.query(`update entry_field set status = 'auto_accepted', updated_at = now() where id = $1`, [field.id]);
      continue;
    }
    review++;
    await sql.query(`update entry_field set status = 'review', reasons = $2, audit_sample = $3, updated_at = now() where id = $1`, [field.id, decision.reasons, decision.auditSample]);
    await sql.query(
      `insert into review_item (kind, entry_id, field, priority) values ('field', $1, $2, $3) on conflict do nothing`,
      [field.entryId, field.field, reviewPriority(field.field)],
    );
  }
  for (const conflict of await listUnreviewedConflicts(sql, pageId)) {
    review++;
    await sql.query(`insert into review_item (kind, entry_id, field, priority) values ('field', $1, $2, $3) on conflict do nothing`,
      [conflict.entryId, conflict.field, CONFLICT_PRIORITY]);
  }
  await sql.query(
    `update entry e set status = case when exists (select 1 from entry_field f where f.entry_id = e.id and f.status = 'review') then 'needs_review' else 'verified' end,
            updated_at = now()
      where (e.page_id = $1 or $1 = any(e.page_ids)) and not e.struck`,
    [pageId],
  );
  return review;
}
