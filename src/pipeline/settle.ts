import type { Sql } from '../db/sql.ts';

export interface ProgressSink {
  update(done: number, total: number, note?: string): void;
  finish(): void;
}

export const SILENT_PROGRESS: ProgressSink = { update() {}, finish() {} };

/** Pages that no stage will touch again without a new request. */
const SETTLED = `p.status in ('routed', 'rejected', 'duplicate', 'failed', 'blank', 'needs_rescan', 'replaced')`;

/**
 * Waits until every page of these uploads is settled, showing progress. Polls the data (not the
 * queue), once a second: this is a user-facing progress display, not a test synchronisation.
 */
export async function waitUntilSettled(sql: Sql, uploadIds: number[], progress: ProgressSink): Promise<void> {
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

