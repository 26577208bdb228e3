import type { Job, PgBoss } from 'pg-boss';
import { STAGES, type StageName } from '../../schemas/jobs.ts';
import { recordAudit } from '../db/audit.ts';
import { recordPageError, setPageStatus } from '../db/pages.ts';
import { bossSql, type Database } from '../db/sql.ts';
import { finishUpload } from '../db/uploads.ts';
import type { Logger } from '../log.ts';
import { deadLetterQueue, nextStage } from './order.ts';
import { sendJob } from './queue.ts';
import type { Stage } from './stage.ts';

/** A stage bound to its dependencies and how many of its jobs one process runs at once. */
export interface WorkerBinding {
  // Stages differ in payload and deps; the binding fixes both, so the runner needs neither type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  stage: Stage<any, any, any>;
  deps: object;
  concurrency: number;
}

type Payload = { pageId?: number; uploadId?: number };

/**
 * Runs each stage's jobs in a pg-boss transactional worker: the stage's result, the next stage's
 * jobs and the job's completion commit together, so a crash at any point leaves either all of
 * them or none (the job is then retried and the stage, being idempotent, runs again).
 */
export async function startStageWorkers(boss: PgBoss, db: Database, bindings: WorkerBinding[], log: Logger): Promise<void> {
  for (const binding of bindings) {
    const { stage } = binding;
    await boss.work(
      stage.name,
      {
        transactional: true,
        batchSize: 1,
        localConcurrency: binding.concurrency,
        // pg_notify collapses the identical notifications of one transaction (an ingest that
        // forwards 40 pages wakes a worker once), so a worker that finished a job fetches again at
        // once while the queue has work, and otherwise polls often: a poll is one indexed query.
        burstWhenReadyExceeds: 1,
        pollingIntervalSeconds: 0.5,
        notifyPollingIntervalSeconds: 0.5,
      },
      async ([job]: Job<Payload>[], tx) => {
        if (!job) return;
        const parsed = stage.input.safeParse(job.data);
        if (!parsed.success) {
          // A malformed payload never becomes valid: complete it and say so, don't retry it.
          log.error({ stage: stage.name, jobId: job.id }, 'job payload does not match the stage schema; dropped');
          return;
        }
        const sql = bossSql(tx);
        const started = Date.now();
        try {
          const result = await stage.run(parsed.data, { ...binding.deps, sql });
          const next = nextStage(stage.name);
          if (next) for (const payload of result.forward) await sendJob(boss, next, payload, sql);
          log.debug({ stage: stage.name, job: job.data, outcome: result.outcome, ms: Date.now() - started }, 'stage done');
        } catch (error) {
          const message = (error as Error).message ?? String(error);
          log.warn({ stage: stage.name, job: job.data, attempt: job.retryCount, err: message }, 'stage failed; will retry');
          // Outside the job's transaction, which is about to roll back.
          if (job.data.pageId) await recordPageError(db, job.data.pageId, `${stage.name}: ${message}`).catch(() => {});
          throw error;
        }
      },
    );
    await startDeadLetterWorker(boss, db, stage.name, log);
  }
}

/** Jobs that used up their retries land here: the page (or upload) is marked failed, visibly. */
async function startDeadLetterWorker(boss: PgBoss, db: Database, stage: StageName, log: Logger): Promise<void> {
  await boss.work<Payload>(deadLetterQueue(stage), { batchSize: 10, pollingIntervalSeconds: 2 }, async (jobs) => {
    for (const job of jobs) {
      log.error({ stage, job: job.data }, 'job failed after all retries');
      await db.transaction(async (sql) => {
        if (job.data.pageId) await setPageStatus(sql, job.data.pageId, 'failed', 'processing_failed', stage);
        if (job.data.uploadId) await finishUpload(sql, job.data.uploadId, { status: 'failed', reason: 'processing_failed', detail: stage });
        await recordAudit(sql, {
          actor: 'system',
          action: 'job.dead_lettered',
          objectType: job.data.pageId ? 'page' : 'upload',
          objectId: job.data.pageId ?? job.data.uploadId ?? 0,
          detail: { stage },
        });
      });
    }
  });
}

export function isStageName(value: string): value is StageName {
  return (STAGES as readonly string[]).includes(value);
}
