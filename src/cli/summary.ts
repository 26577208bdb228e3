import { listBookSummaries } from '../db/books.ts';
import type { Sql } from '../db/sql.ts';
import type { createProgress } from './progress.ts';

/** Pages that no stage will touch again without a new request. */
const SETTLED = `p.status in ('routed', 'rejected', 'duplicate', 'failed')`;

/**
 * Waits until every page of these uploads is settled, showing progress. Polls the data (not the
 * queue), once a second: this is a user-facing progress display, not a test synchronisation.
 */
export async function waitUntilSettled(sql: Sql, uploadIds: number[], progress: ReturnType<typeof createProgress>): Promise<void> {
  if (uploadIds.length === 0) return;
  for (;;) {
    const [row] = await sql.query<{ uploads_open: number; pages: number; settled: number }>(
      `select (select count(*)::int from upload where id = any($1) and status = 'received') as uploads_open,
              count(p.id)::int as pages, count(p.id) filter (where ${SETTLED})::int as settled
         from page p where p.upload_id = any($1)`,
      [uploadIds],
    );
    const { uploads_open, pages, settled } = row!;
    progress.update(settled, pages, uploads_open > 0 ? `(splitting ${uploads_open} file(s))` : 'pages');
    if (uploads_open === 0 && settled === pages) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  progress.finish();
}

/** The summary printed by `civreg start`: books, pages, words, rejections and why, and time taken. */
export async function printSummary(sql: Sql, elapsedMs: number): Promise<void> {
  const books = await listBookSummaries(sql);
  const reasons = await sql.query<{ reason: string; n: number }>(
    `select reason, count(*)::int as n from (
       select reason from page where status in ('rejected', 'failed')
       union all select reason from upload where status in ('rejected', 'failed')) r
     group by reason order by n desc`,
  );
  const total = (key: 'pages' | 'pagesDone' | 'words' | 'pagesRejected' | 'pagesDuplicate' | 'pagesFailed') => books.reduce((sum, b) => sum + b[key], 0);
  console.log(`\nBooks: ${books.length}   pages: ${total('pages')}   read: ${total('pagesDone')}   words: ${total('words')}`);
  console.log(`Pages rejected: ${total('pagesRejected')}   duplicate: ${total('pagesDuplicate')}   failed: ${total('pagesFailed')}`);
  for (const r of reasons) console.log(`  ${r.reason}: ${r.n}`);
  console.log(`Time: ${(elapsedMs / 1000).toFixed(1)} s`);
}
