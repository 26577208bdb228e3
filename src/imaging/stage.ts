import { pageJobSchema, type PageJob } from '../../schemas/jobs.ts';
import { recordBlob } from '../db/blobs.ts';
import type { Sql } from '../db/sql.ts';
import { getPage, joinSpread, recordPageResult, saveCleanPage, saveSpreadRightPage, setPageStatus } from '../db/pages.ts';
import type { RunContext, Stage } from '../pipeline/stage.ts';
import type { BlobStore } from '../store/blobs.ts';
import { CLEAN_VERSION, cleanPage, ImageInputError, type CleanImage, type CleanStep, type GeometryFindings } from './clean.ts';

export interface CleanDeps extends RunContext {
  blobs: BlobStore;
  maxPixels: number;
  /** Which cleanup steps run (`CIVREG_CLEAN_STEPS`); default `DEFAULT_CLEAN_STEPS`. */
  steps?: Record<CleanStep, boolean>;
}

/** Pages that a stage after ingest leaves alone: refused, already delivered, blank, to be scanned again or replaced. */
export function isSettled(status: string): boolean {
  return status === 'rejected' || status === 'duplicate' || status === 'blank' || status === 'needs_rescan' || status === 'replaced';
}

/**
 * Cleans a page's original image and stores the clean image beside it (the original stays untouched).
 * An image of two facing pages becomes two page rows: the left page stays on the image's row, the right
 * page gets a row of its own right after it (`saveSpreadRightPage`), both sent on to OCR. The right page's
 * row is made and re-made by cleaning its image's row; a job for it alone has nothing to do.
 */
export const cleanStage: Stage<PageJob, CleanDeps> = {
  name: 'clean',
  input: pageJobSchema,
  async run({ pageId }, deps) {
    const { sql, blobs } = deps;
    const page = await getPage(sql, pageId);
    if (!page || page.part !== 0 || isSettled(page.status) || !page.originalSha256) return { outcome: 'done', forward: [] };
    const started = Date.now();
    const original = await blobs.get(page.originalSha256);
    let clean;
    try {
      clean = await cleanPage(original, { maxPixels: deps.maxPixels, ...(page.dpi ? { dpi: page.dpi } : {}), ...(deps.steps ? { steps: deps.steps } : {}) });
    } catch (error) {
      // Bad image data is a result; anything else (memory, disk) is transient and retried.
      if (!(error instanceof ImageInputError)) throw error;
      await setPageStatus(sql, pageId, 'rejected', error.reason, `clean: ${error.message.slice(0, 200)}`);
      await joinSpread(sql, pageId);
      await recordPageResult(sql, { pageId, stage: 'clean', engine: CLEAN_VERSION, outcome: 'rejected', reason: error.reason, producedBy: deps.instance, ms: Date.now() - started });
      return { outcome: 'rejected', reason: error.reason, forward: [] };
    }
    const [left, right] = clean.pages;
    await saveCleanPage(sql, pageId, await storeClean(deps, left!, clean.findings));
    const forward = [{ pageId }];
    if (right) forward.push({ pageId: await saveSpreadRightPage(sql, pageId, await storeClean(deps, right, clean.findings)) });
    else await joinSpread(sql, pageId);
    const ms = Date.now() - started;
    for (const [i, part] of clean.pages.entries()) {
      await recordPageResult(sql, { pageId: forward[i]!.pageId, stage: 'clean', engine: `${CLEAN_VERSION} ${part.steps.join('+')}`, outcome: 'done', producedBy: deps.instance, ms });
    }
    return { outcome: 'done', forward };
  },
};

/** Stores one clean page's PNG as a blob; returns what its page row records. */
async function storeClean(deps: CleanDeps & { sql: Sql }, part: CleanImage, findings: GeometryFindings) {
  const stored = await deps.blobs.put(part.image);
  await recordBlob(deps.sql, { ...stored, mediaType: 'image/png' });
  // What each geometry step found (e.g. an orientation it was not sure of) is stored beside the
  // transform; the box mapping reads only the transform's own fields.
  // A ruled table's grid goes with them: the OCR stage reads such a page column by column.
  return { sha256: stored.sha256, width: part.width, height: part.height, steps: part.steps, transform: { ...part.transform, findings, ...(part.table ? { table: part.table } : {}) } };
}
