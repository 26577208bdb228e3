import { ingestStage } from '../src/ingest/stage.ts';
import type { Services } from '../src/services.ts';
import type { WorkerBinding } from '../src/pipeline/workers.ts';

/** Splitting files is I/O and decode work: two at a time keeps the OCR workers fed. */
export const ingestWorker = (s: Services): WorkerBinding => ({
  stage: ingestStage,
  concurrency: 2,
  deps: { blobs: s.blobs, limits: s.decodeLimits, instance: s.instance },
});
