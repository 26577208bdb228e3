import { listBookSummaries } from '../db/books.ts';
import type { Sql } from '../db/sql.ts';

/** The summary printed by `civreg start`: books, pages, words, entries and review work, rejections and why, and time taken. */
export async function printSummary(sql: Sql, elapsedMs: number): Promise<void> {
  const books = await listBookSummaries(sql);
  const reasons = await sql.query<{ reason: string; n: number }>(
    `select reason, count(*)::int as n from (
       select reason from page where status in ('rejected', 'failed', 'needs_rescan')
       union all select reason from upload where status in ('rejected', 'failed')) r
     group by reason order by n desc`,
  );
  const total = (key: 'pages' | 'pagesDone' | 'words' | 'pagesRejected' | 'pagesDuplicate' | 'pagesFailed' | 'pagesBlank' | 'pagesNeedRescan' | 'pagesReplaced' | 'entries' | 'fieldsAccepted' | 'fieldsToReview' | 'bookIssues') =>
    books.reduce((sum, b) => sum + b[key], 0);
  console.log(`\nBooks: ${books.length}   pages: ${total('pages')}   read: ${total('pagesDone')}   words: ${total('words')}`);
  console.log(`Pages rejected: ${total('pagesRejected')}   duplicate: ${total('pagesDuplicate')}   failed: ${total('pagesFailed')}`);
  console.log(`Entries: ${total('entries')}   fields accepted: ${total('fieldsAccepted')}   to review: ${total('fieldsToReview')}   book issues: ${total('bookIssues')}`);
  console.log(`Pages blank: ${total('pagesBlank')}   to rescan: ${total('pagesNeedRescan')}   replaced by a rescan: ${total('pagesReplaced')} (see civreg status)`);
  for (const r of reasons) console.log(`  ${r.reason}: ${r.n}`);
  console.log(`Time: ${(elapsedMs / 1000).toFixed(1)} s`);
}
