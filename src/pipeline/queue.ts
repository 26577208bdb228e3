import { PgBoss } from 'pg-boss';
import type { Config } from '../../schemas/config.ts';
import { STAGES, type StageName } from '../../schemas/jobs.ts';
import type { Sql } from '../db/sql.ts';
import { deadLetterQueue } from './order.ts';

/**
 * How long one job of each stage may run before it counts as lost. Heartbeats catch a killed worker
 * much sooner; these bound a worker that is alive but stuck.
 */
function expireSeconds(stage: StageName, config: Config): number {
  if (stage === 'ingest') return 3600; // a 500-page PDF is split in one job
  if (stage === 'ocr') return Math.ceil((config.CIVREG_OCR_TIMEOUT_MS / 1000) * 2) + 60;
  return 600;
}

/** Starts pg-boss in its own schema and makes sure every stage queue and its dead-letter queue exist. */
export async function startQueue(url: string, config: Config, onError: (error: Error) => void): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    application_name: 'civreg-queue',
    superviseIntervalSeconds: config.CIVREG_SUPERVISE_SECONDS,
    monitorIntervalSeconds: config.CIVREG_SUPERVISE_SECONDS,
    useListenNotify: true,
    // Queue stats drive burst fetching (see startStageWorkers); keep them fresh.
    queueCacheIntervalSeconds: 2,
  });
  boss.on('error', onError);
  await boss.start();
  await ensureQueues(boss, config);
  return boss;
}

/**
 * `createQueue` ignores options of an existing queue, so existing ones are updated: a changed
 * retry or expiry setting takes effect at the next start.
 */
async function ensureQueues(boss: PgBoss, config: Config): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  for (const stage of STAGES) {
    const dead = deadLetterQueue(stage);
    if (!existing.has(dead)) await boss.createQueue(dead, { retentionSeconds: 30 * 24 * 3600 });
    const options = {
      retryLimit: config.CIVREG_JOB_RETRIES,
      retryDelay: config.CIVREG_JOB_RETRY_DELAY_SECONDS,
      retryBackoff: true,
      retryDelayMax: 600,
      expireInSeconds: expireSeconds(stage, config),
      heartbeatSeconds: config.CIVREG_JOB_HEARTBEAT_SECONDS,
      deadLetter: dead,
      notify: true,
    };
    // 'stately': at most one queued and one running job per key, so a re-run requested while the
    // page is already waiting is not queued twice.
    if (existing.has(stage)) await boss.updateQueue(stage, options);
    else await boss.createQueue(stage, { ...options, policy: 'stately' });
  }
}

/** The key that makes a page's (or upload's) job unique while queued. */
export function jobKey(data: { pageId?: number; uploadId?: number }): string {
  return data.pageId !== undefined ? `page:${data.pageId}` : `upload:${data.uploadId}`;
}

/**
 * Sends a job, inside `sql`'s transaction when given. A null id from pg-boss means the same job is
 * already waiting (stately policy); queues are created at start-up, so it cannot mean "no queue".
 */
export async function sendJob(boss: PgBoss, stage: StageName, data: { pageId: number } | { uploadId: number }, sql?: Sql): Promise<string | null> {
  const db = sql ? { executeSql: async (text: string, values?: unknown[]) => ({ rows: await sql.query(text, values) }) } : undefined;
  return boss.send(stage, data, { singletonKey: jobKey(data), ...(db ? { db } : {}) });
}
