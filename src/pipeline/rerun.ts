import type { PgBoss } from 'pg-boss';
import { isStageName } from './workers.ts';
import type { StageName } from '../../schemas/jobs.ts';
import { recordAudit } from '../db/audit.ts';
import type { Database } from '../db/sql.ts';
import { sendJob } from './queue.ts';

/**
 * Queues a stage again, deliberately: for a book's pages (after a model change: the new results
 * replace machine output and record their engine), or for pages and uploads that failed after all
 * retries (each at the stage where it failed). Returns how many jobs were queued.
 */
export async function rerunStage(
  services: { db: Database; boss: PgBoss },
  request: { stage?: StageName | undefined; bookId?: number | undefined; failedOnly: boolean; actor: string },
): Promise<number> {
  const { db, boss } = services;
  return db.transaction(async (sql) => {
    const targets: Array<{ stage: StageName; data: { pageId: number } | { uploadId: number } }> = [];
    if (request.failedOnly) {
      const pages = await sql.query<{ id: number; detail: string | null }>(
        `select id, detail from page where status = 'failed' and ($1::bigint is null or book_id = $1) order by id`,
        [request.bookId ?? null],
      );
      for (const p of pages) {
        const stage = request.stage ?? (p.detail && isStageName(p.detail) ? p.detail : 'clean');
        targets.push({ stage, data: { pageId: p.id } });
      }
      const uploads = await sql.query<{ id: number }>(
        `select id from upload where status = 'failed' and ($1::bigint is null or book_id = $1) order by id`,
        [request.bookId ?? null],
      );
      for (const u of uploads) targets.push({ stage: 'ingest', data: { uploadId: u.id } });
    } else if (request.stage === 'ingest') {
      const uploads = await sql.query<{ id: number }>(
        `select id from upload where book_id = $1 and status not in ('duplicate') and reason is distinct from 'file_too_large' order by seq`,
        [request.bookId],
      );
      for (const u of uploads) targets.push({ stage: 'ingest', data: { uploadId: u.id } });
    } else if (request.stage) {
      const pages = await sql.query<{ id: number }>(
        `select p.id from page p join upload u on u.id = p.upload_id
          where p.book_id = $1 and p.status not in ('rejected', 'duplicate') order by u.seq, p.file_index, p.part`,
        [request.bookId],
      );
      for (const p of pages) targets.push({ stage: request.stage, data: { pageId: p.id } });
    }
    let queued = 0;
    for (const target of targets) if ((await sendJob(boss, target.stage, target.data, sql)) !== null) queued += 1;
    await recordAudit(sql, {
      actor: request.actor,
      action: 'stage.rerun',
      objectType: request.bookId ? 'book' : 'pipeline',
      objectId: request.bookId ?? 'all',
      detail: { stage: request.stage ?? 'failed', failedOnly: request.failedOnly, queued },
    });
    return queued;
  });
}
