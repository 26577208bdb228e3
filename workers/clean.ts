import { cleanStepsFrom } from '../src/imaging/clean.ts';
import { cleanStage } from '../src/imaging/stage.ts';
import type { Services } from '../src/services.ts';
import type { WorkerBinding } from '../src/pipeline/workers.ts';

export const cleanWorker = (s: Services): WorkerBinding => ({
  stage: cleanStage,
  concurrency: Math.max(1, Math.ceil(s.config.CIVREG_OCR_WORKERS / 2)),
  deps: { blobs: s.blobs, maxPixels: s.config.CIVREG_MAX_PAGE_PIXELS, steps: cleanStepsFrom(s.config.CIVREG_CLEAN_STEPS), instance: s.instance },
});
