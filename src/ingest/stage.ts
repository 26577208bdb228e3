import { uploadJobSchema, type PageJob, type UploadJob } from '../../schemas/jobs.ts';
import { recordAudit } from '../db/audit.ts';
import { recordBlob } from '../db/blobs.ts';
import { findSamePixels, markDuplicatePage, saveScanQuality, saveViewImage, upsertIngestedPage, upsertRejectedPage } from '../db/pages.ts';
import { finishUpload, getUpload } from '../db/uploads.ts';
import { pixelHash } from '../imaging/pixel-hash.ts';
import { judgeScanQuality, measureGreyQuality } from '../imaging/quality.ts';
import { viewImage } from '../imaging/view.ts';
import type { RunContext, Stage } from '../pipeline/stage.ts';
import type { BlobStore } from '../store/blobs.ts';
import { decodeUpload, type DecodeLimits } from './decode.ts';

export interface IngestDeps extends RunContext {
  blobs: BlobStore;
  limits: DecodeLimits;
}

/**
 * Splits one stored upload into pages: each decoded page image is stored as a blob and a page row,
 * with a downsized viewing JPEG beside it. A page whose pixels were already delivered is marked
 * `duplicate`, a page that cannot be decoded is `rejected` with its reason, and the scan quality gate
 * marks the rest `blank` or `needs_rescan` (with its reasons) or sends them on to `clean`. A file
 * that cannot be read at all rejects the upload with its reason; nothing else is affected.
 */
export const ingestStage: Stage<UploadJob, IngestDeps, PageJob> = {
  name: 'ingest',
  input: uploadJobSchema,
  async run({ uploadId }, deps) {
    const { sql, blobs } = deps;
    const upload = await getUpload(sql, uploadId);
    // Duplicates and uploads refused before storing never reach a decoder.
    if (!upload || upload.status === 'duplicate' || (upload.status === 'rejected' && upload.reason === 'file_too_large')) {
      return { outcome: 'done', forward: [] };
    }

    const bytes = await blobs.get(upload.sha256);
    const decoded = await decodeUpload(bytes, upload.fileName, deps.limits);
    if (!decoded.ok) {
      await finishUpload(sql, uploadId, { status: 'rejected', reason: decoded.reason, detail: decoded.detail, pageCount: 0 });
      await recordAudit(sql, { actor: deps.instance, action: 'upload.rejected', objectType: 'upload', objectId: uploadId, detail: { reason: decoded.reason } });
      return { outcome: 'rejected', reason: decoded.reason, forward: [] };
    }

    const forward: PageJob[] = [];
    let pages = 0;
    let rejected = 0;
    for await (const outcome of decoded.pages()) {
      pages += 1;
      const where = { bookId: upload.bookId, uploadId };
      if (!outcome.ok) {
        rejected += 1;
        await upsertRejectedPage(sql, { ...where, fileIndex: outcome.index, label: outcome.label, reason: outcome.reason, detail: outcome.detail });
        continue;
      }
      const { index, image, ...page } = outcome.page;
      const stored = await blobs.put(image);
      await recordBlob(sql, { ...stored, mediaType: page.format === 'jpeg' ? 'image/jpeg' : 'image/png' });
      const pixelSha256 = await pixelHash(image, deps.limits.maxPixels);
      const pageId = await upsertIngestedPage(sql, { ...page, ...where, fileIndex: index, originalSha256: stored.sha256, pixelSha256 });
      const view = await viewImage(image, deps.limits.maxPixels);
      const viewBlob = await blobs.put(view.jpeg);
      await recordBlob(sql, { ...viewBlob, mediaType: 'image/jpeg' });
      await saveViewImage(sql, pageId, { sha256: viewBlob.sha256, width: view.width, height: view.height });
      const sameAs = await findSamePixels(sql, pageId, pixelSha256);
      if (sameAs !== null) {
        await markDuplicatePage(sql, pageId, sameAs);
        continue;
      }
      // The gate reads the viewing copy's pixels: the scan is not decoded a third time.
      const quality = await measureGreyQuality(view.grey, page.dpi * view.scale, page.dpi);
      const verdict = judgeScanQuality(quality);
      if (await saveScanQuality(sql, pageId, quality, verdict)) forward.push({ pageId });
    }

    const status = pages > 0 && rejected === pages ? 'rejected' : rejected > 0 ? 'partial' : 'ingested';
    await finishUpload(sql, uploadId, {
      status,
      kind: decoded.kind,
      warnings: decoded.warnings,
      pageCount: pages,
      reason: status === 'rejected' ? 'page_unreadable' : null,
    });
    await recordAudit(sql, { actor: deps.instance, action: 'upload.ingested', objectType: 'upload', objectId: uploadId, detail: { pages, rejected } });
    return { outcome: status === 'rejected' ? 'rejected' : 'done', forward };
  },
};
