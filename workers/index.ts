import type { Services } from '../src/services.ts';
import type { WorkerBinding } from '../src/pipeline/workers.ts';
import { cleanWorker } from './clean.ts';
import { ingestWorker } from './ingest.ts';
import { extractWorker, matchWorker, routeWorker } from './later.ts';
import { ocrWorker } from './ocr.ts';

/** Every stage's worker, in pipeline order (schemas/jobs.ts STAGES). */
export function pipelineWorkers(services: Services & { ocr: NonNullable<Services['ocr']> }): WorkerBinding[] {
  return [ingestWorker, cleanWorker, ocrWorker, extractWorker, matchWorker, routeWorker].map((bind) => bind(services));
}
