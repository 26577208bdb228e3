import { inject } from 'vitest';
import { parseConfig } from '../../schemas/config.ts';
import { createLogger } from '../../src/log.ts';
import { startScratchPipeline, type ScratchPipeline } from '../../src/pipeline/scratch.ts';

/** Settings that make a test pipeline react in seconds instead of minutes. */
export const FAST_QUEUE_ENV = {
  CIVREG_SUPERVISE_SECONDS: '1',
  CIVREG_JOB_HEARTBEAT_SECONDS: '10',
  CIVREG_JOB_RETRIES: '1',
  CIVREG_JOB_RETRY_DELAY_SECONDS: '1',
  CIVREG_LOG_LEVEL: 'silent',
};

export type TestPipeline = ScratchPipeline & { t: { url: string } };

/**
 * A real pipeline on a fresh database: pg-boss, blob store in a temp folder and, with
 * `workers: true`, every stage's worker with a real tesseract.js pool (`ocr: true` for the pool alone).
 */
export async function startTestPipeline(options: { workers: boolean; ocr?: boolean; env?: Record<string, string> }): Promise<TestPipeline> {
  const config = parseConfig({ ...FAST_QUEUE_ENV, CIVREG_OCR_WORKERS: '1', ...options.env });
  const pipeline = await startScratchPipeline(inject('serverUrl'), config, createLogger(config.CIVREG_LOG_LEVEL), { ...options, prefix: 'civreg_test', template: inject('templateDb') });
  return { ...pipeline, t: { url: pipeline.scratch.url } };
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
