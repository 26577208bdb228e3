import { pageJobSchema, type PageJob } from '../../schemas/jobs.ts';
import { recordPageResult, setPageStatus } from '../db/pages.ts';
import type { RunContext, Stage } from '../pipeline/stage.ts';
import { checkBook } from './book-checks.ts';
import { routePageFields } from './route-fields.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface RouteDeps extends RunContext {
  auditRate: number;
  /** How names and streets are spelled in verified and existing records: held values a sure twin in the book confirms must be spelt so (src/extract/book-twins.ts). */
  vocabulary?: () => Promise<Vocabulary>;
}

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
    const review = await routePageFields(sql, pageId, deps.auditRate);
    await setPageStatus(sql, pageId, 'routed');
    const vocabulary = deps.vocabulary;
    await checkBook(sql, page.bookId, { comparePages: true, ...(vocabulary ? { twins: { auditRate: deps.auditRate, vocabulary } } : {}) });
    await recordPageResult(sql, { pageId, stage: 'route', engine: 'route-1', outcome: review > 0 ? 'needs_review' : 'done', producedBy: deps.instance, ms: Date.now() - started });
    return { outcome: 'done', forward: [] };
  },
};
