import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import { createScratchDatabase, type ScratchDatabase } from '../db/scratch.ts';
import type { Logger } from '../log.ts';
import { openServices, type Services } from '../services.ts';
import { pipelineWorkers } from '../../workers/index.ts';
import { startStageWorkers } from './workers.ts';

export interface ScratchPipeline {
  services: Services;
  config: Config;
  scratch: ScratchDatabase;
  /** Temporary CIVREG_DATA_DIR (blob store), removed by close. */
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real pipeline (pg-boss queues, blob store, OCR pool, every stage's worker) on a fresh
 * database of its own and a temporary blob store, for `civreg eval`, `civreg bench` and tests:
 * measuring never touches the archive's data.
 */
export async function startScratchPipeline(
  serverUrl: string,
  baseConfig: Config,
  log: Logger,
  options: { workers: boolean; ocr?: boolean; prefix?: string; template?: string },
): Promise<ScratchPipeline> {
  const scratch = await createScratchDatabase(serverUrl, options.prefix ?? 'civreg_scratch', options.template);
  const dataDir = await mkdtemp(join(tmpdir(), 'civreg-data-'));
  const config: Config = { ...baseConfig, DATABASE_URL: scratch.url, CIVREG_DATA_DIR: dataDir };
  let services: Services;
  try {
    services = await openServices(config, log, { ocr: options.ocr ?? options.workers });
    if (options.workers) await startStageWorkers(services.boss, services.db, pipelineWorkers({ ...services, ocr: services.ocr! }), log);
  } catch (error) {
    await scratch.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    services,
    config,
    scratch,
    dataDir,
    async close() {
      await services.close();
      await scratch.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
