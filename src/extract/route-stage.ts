import { pageJobSchema, type PageJob } from '../../schemas/jobs.ts';
import { listPendingFields, listUnreviewedConflicts } from '../db/entries.ts';
import { recordPageResult, setPageStatus } from '../db/pages.ts';
import type { RunContext, Stage } from '../pipeline/stage.ts';
import { checkBook } from './book-checks.ts';
import { decide, reviewPriority } from './routing.ts';

export interface RouteDeps extends RunContext {
  auditRate: number;
}

/** A re-run that disagrees with a verified value comes before any new field. */
const CONFLICT_PRIORITY = 20;

/**
 * Decides for every extracted field of a page whether a person must see it, queues review items for
 * those, marks entries with nothing left to review as verified, and runs the book checks once the
 * whole book has settled.
 */
export const routeStage: Stage<PageJob, RouteDeps> = {
  name: 'route',
  input: pageJobSchema,
  async run({ pageId }, deps) {
    const { sql } = deps;
    const [page] = await sql.query<{ status: string; bookId: number }>(`select status, book_id as "bookId" from page where id = $1`, [pageId]);
    // 'routed' too: `civreg rerun --stage route` decides again after a threshold change
    if (!page || !['matched', 'routed'].includes(page.status)) return { outcome: 'done', forward: [] };
    const started = Date.now();
    const templates = new Map((await sql.query<{ id: number; template: string | null }>(`select id, template from entry where page_id = $1 or $1 = any(page_ids)`, [pageId])).map((e) => [e.id, e.template]));
    let review = 0;
    for (const field of await listPendingFields(sql, pageId)) {
      const decision = decide(field, templates.get(field.entryId) ?? null, deps.auditRate);
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
    await setPageStatus(sql, pageId, 'routed');
    await checkBook(sql, page.bookId);
    await recordPageResult(sql, { pageId, stage: 'route', engine: 'route-1', outcome: review > 0 ? 'needs_review' : 'done', producedBy: deps.instance, ms: Date.now() - started });
    return { outcome: 'done', forward: [] };
  },
};
