import { ocrStage } from '../src/ocr/stage.ts';
import type { Services } from '../src/services.ts';
import type { WorkerBinding } from '../src/pipeline/workers.ts';

/** One OCR job per pool worker: more would only queue inside the pool while holding a claim. */
export const ocrWorker = (s: Services & { ocr: NonNullable<Services['ocr']> }): WorkerBinding => ({
  stage: ocrStage,
  concurrency: s.config.CIVREG_OCR_WORKERS,
  deps: { blobs: s.blobs, ocr: s.ocr, instance: s.instance },
});
