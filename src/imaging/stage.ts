import { pageJobSchema, type PageJob } from '../../schemas/jobs.ts';
import { recordBlob } from '../db/blobs.ts';
import { getPage, recordPageResult, saveCleanPage, setPageStatus } from '../db/pages.ts';
import type { RunContext, Stage } from '../pipeline/stage.ts';
import type { BlobStore } from '../store/blobs.ts';
import { CLEAN_VERSION, cleanPage, ImageInputError, type CleanStep } from './clean.ts';

export interface CleanDeps extends RunContext {
  blobs: BlobStore;
  maxPixels: number;
  /** Which cleanup steps run (`CIVREG_CLEAN_STEPS`); default `DEFAULT_CLEAN_STEPS`. */
  steps?: Record<CleanStep, boolean>;
}

/** Pages that a stage after ingest leaves alone: refused, already delivered, blank or to be scanned again. */
export function isSettled(status: string): boolean {
  return status === 'rejected' || status === 'duplicate' || status === 'blank' || status === 'needs_rescan';
}

/** Cleans a page's original image and stores the clean image beside it (the original stays untouched). */
export const cleanStage: Stage<PageJob, CleanDeps> = {
  name: 'clean',
  input: pageJobSchema,
  async run({ pageId }, deps) {
    const { sql, blobs } = deps;
    const page = await getPage(sql, pageId);
    if (!page || isSettled(page.status) || !page.originalSha256) return { outcome: 'done', forward: [] };
    const started = Date.now();
    const original = await blobs.get(page.originalSha256);
    let clean;
    try {
      clean = await cleanPage(original, { maxPixels: deps.maxPixels, ...(page.dpi ? { dpi: page.dpi } : {}), ...(deps.steps ? { steps: deps.steps } : {}) });
    } catch (error) {
      // Bad image data is a result; anything else (memory, disk) is transient and retried.
      if (!(error instanceof ImageInputError)) throw error;
      await setPageStatus(sql, pageId, 'rejected', error.reason, `clean: ${error.message.slice(0, 200)}`);
      await recordPageResult(sql, { pageId, stage: 'clean', engine: CLEAN_VERSION, outcome: 'rejected', reason: error.reason, producedBy: deps.instance, ms: Date.now() - started });
      return { outcome: 'rejected', reason: error.reason, forward: [] };
    }
    const stored = await blobs.put(clean.image);
    await recordBlob(sql, { ...stored, mediaType: 'image/png' });
    // What each geometry step found (e.g. an orientation it was not sure of) is stored beside the
    // transform; the box mapping reads only the transform's own fields.
    const transform = { ...clean.transform, findings: clean.findings };
    await saveCleanPage(sql, pageId, { sha256: stored.sha256, width: clean.width, height: clean.height, steps: clean.steps, transform });
    await recordPageResult(sql, { pageId, stage: 'clean', engine: `${CLEAN_VERSION} ${clean.steps.join('+')}`, outcome: 'done', producedBy: deps.instance, ms: Date.now() - started });
    return { outcome: 'done', forward: [{ pageId }] };
  },
};
