import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../schemas/config.ts';
import { createLogger } from '../../src/log.ts';
import { startStageWorkers } from '../../src/pipeline/workers.ts';
import { openServices, type Services } from '../../src/services.ts';
import { pipelineWorkers } from '../../workers/index.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

/** Settings that make a test pipeline react in seconds instead of minutes. */
export const FAST_QUEUE_ENV = {
  CIVREG_SUPERVISE_SECONDS: '1',
  CIVREG_JOB_HEARTBEAT_SECONDS: '10',
  CIVREG_JOB_RETRIES: '1',
  CIVREG_JOB_RETRY_DELAY_SECONDS: '1',
  CIVREG_LOG_LEVEL: 'silent',
};

export interface TestPipeline {
  t: TestDatabase;
  config: Config;
  services: Services;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A real pipeline on a fresh database: pg-boss, blob store in a temp folder and, with
 * `workers: true`, every stage's worker with a real tesseract.js pool (`ocr: true` for the pool alone).
 */
export async function startTestPipeline(options: { workers: boolean; ocr?: boolean; env?: Record<string, string> }): Promise<TestPipeline> {
  const t = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'civreg-data-'));
  const config = parseConfig({ ...FAST_QUEUE_ENV, CIVREG_OCR_WORKERS: '1', ...options.env, DATABASE_URL: t.url, CIVREG_DATA_DIR: dataDir });
  const log = createLogger(config.CIVREG_LOG_LEVEL);
  const services = await openServices(config, log, { ocr: options.ocr ?? options.workers });
  if (options.workers) await startStageWorkers(services.boss, services.db, pipelineWorkers({ ...services, ocr: services.ocr! }), log);
  return {
    t,
    config,
    services,
    dataDir,
    async close() {
      await services.close();
      await t.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits for a condition on the data (not a fixed sleep), failing with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
