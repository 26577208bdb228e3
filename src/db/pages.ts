import type { StageName } from '../../schemas/jobs.ts';
import type { ReasonCode } from '../../schemas/reasons.ts';
import type { DecodedPage } from '../ingest/decode.ts';
import type { RescanReason, ScanQuality, ScanVerdict } from '../imaging/quality.ts';
import type { TableGrid } from '../imaging/rules.ts';
import type { Sql } from './sql.ts';

export type PageStatus =
  | 'ingested' | 'cleaned' | 'ocr_done' | 'extracted' | 'matched' | 'routed' | 'rejected' | 'duplicate' | 'failed'
  /** Set by the scan quality gate at ingest: never read, shown to staff. */
  | 'blank' | 'needs_rescan'
  /** A held page whose rescan is in the book (markPageReplaced): kept as history, no longer a problem. */
  | 'replaced';

export interface PageRow {
  id: number;
  bookId: number;
  uploadId: number;
  fileIndex: number;
  /** 0 for an image's page; 1 for the right page of a spread the clean stage split (migration 014). */
  part: number;
  label: string;
  status: PageStatus;
  reason: ReasonCode | null;
  originalSha256: string | null;
  cleanSha256: string | null;
  width: number | null;
  height: number | null;
  dpi: number | null;
}

const PAGE_COLUMNS = `id, book_id as "bookId", upload_id as "uploadId", file_index as "fileIndex", part, label, status, reason,
  original_sha256 as "originalSha256", clean_sha256 as "cleanSha256", width, height, dpi`;

/** A decoded page as stored: its image is in the blob store under `originalSha256`. */
export type IngestedPage = Omit<DecodedPage, 'index' | 'image'> & {
  bookId: number;
  uploadId: number;
  fileIndex: number;
  originalSha256: string;
  pixelSha256: string;
};

/**
 * Stores a decoded page, keyed by (upload, position in upload): ingesting the same upload again
 * replaces the machine data of the same rows and resets them to `ingested`. The right page of an
 * earlier split of the image stands aside (`joinSpread`) until cleanup splits the image again.
 */
export async function upsertIngestedPage(sql: Sql, page: IngestedPage): Promise<number> {
  const [row] = await sql.query<{ id: number }>(
    `insert into page (book_id, upload_id, file_index, label, status, original_sha256, format, width, height, dpi,
                       dpi_estimated, colour_mode, extraction, pixel_sha256)
     values ($1, $2, $3, $4, 'ingested', $5, $6, $7, $8, $9, $10, $11, $12, $13)
     on conflict (upload_id, file_index, part) do update set
       label = excluded.label, status = 'ingested', reason = null, detail = null, original_sha256 = excluded.original_sha256,
       format = excluded.format, width = excluded.width, height = excluded.height, dpi = excluded.dpi,
       dpi_estimated = excluded.dpi_estimated, colour_mode = excluded.colour_mode, extraction = excluded.extraction,
       pixel_sha256 = excluded.pixel_sha256, duplicate_of = null, last_error = null, quality = null, rescan_reasons = null,
       updated_at = now()
     returning id`,
    [page.bookId, page.uploadId, page.fileIndex, page.label, page.originalSha256, page.format, page.width, page.height,
     page.dpi, page.dpiEstimated, page.colourMode, page.extraction, page.pixelSha256],
  );
  await joinSpread(sql, row!.id);
  return row!.id;
}

/**
 * Stores the right page of a spread (two facing pages in one image) the clean stage split: a row of
 * its own after the image's row (same upload, file index and original blob, `part` 1), with the image's
 * scan facts and gate verdict, its own clean image and transform, status `cleaned`. Re-running replaces
 * the machine data of the same row. Returns its id.
 */
export async function saveSpreadRightPage(
  sql: Sql,
  leftPageId: number,
  clean: { sha256: string; width: number; height: number; steps: string[]; transform: unknown },
): Promise<number> {
  const [row] = await sql.query<{ id: number }>(
    `insert into page (book_id, upload_id, file_index, part, label, status, original_sha256, format, width, height, dpi,
                       dpi_estimated, colour_mode, extraction, quality, view_sha256, view_width, view_height,
                       clean_sha256, clean_width, clean_height, clean_steps, clean_transform)
     select book_id, upload_id, file_index, 1, label || $2, 'cleaned', original_sha256, format, width, height, dpi,
            dpi_estimated, colour_mode, extraction, quality, view_sha256, view_width, view_height, $3, $4, $5, $6, $7
       from page where id = $1
     on conflict (upload_id, file_index, part) do update set
       label = excluded.label, status = 'cleaned', reason = null, detail = null, original_sha256 = excluded.original_sha256,
       format = excluded.format, width = excluded.width, height = excluded.height, dpi = excluded.dpi,
       dpi_estimated = excluded.dpi_estimated, colour_mode = excluded.colour_mode, extraction = excluded.extraction,
       quality = excluded.quality, view_sha256 = excluded.view_sha256, view_width = excluded.view_width,
       view_height = excluded.view_height, duplicate_of = null, last_error = null, clean_sha256 = excluded.clean_sha256,
       clean_width = excluded.clean_width, clean_height = excluded.clean_height, clean_steps = excluded.clean_steps,
       clean_transform = excluded.clean_transform, updated_at = now()
     returning id`,
    [leftPageId, RIGHT_PAGE_LABEL, clean.sha256, clean.width, clean.height, clean.steps, JSON.stringify(clean.transform)],
  );
  return row!.id;
}

/** Appended to the image's label for the right page of a spread ("trang 3" → "trang 3 (bên phải)"). */
export const RIGHT_PAGE_LABEL = ' (bên phải)';

/**
 * The image of `pageId` is read as one page again (re-ingested, or cleanup no longer splits it): the
 * right page of an earlier split, if any, becomes a duplicate of the image's row, which every later
 * stage, the book checks and re-runs pass over; its entries and history stay.
 */
export async function joinSpread(sql: Sql, pageId: number): Promise<void> {
  await sql.query(
    `update page r set status = 'duplicate', duplicate_of = l.id, updated_at = now()
       from page l where l.id = $1 and r.upload_id = l.upload_id and r.file_index = l.file_index and r.part > 0 and r.status <> 'duplicate'`,
    [pageId],
  );
}

/** Records a page of an upload that could not be decoded; the rest of the upload goes on. */
export async function upsertRejectedPage(
  sql: Sql,
  page: { bookId: number; uploadId: number; fileIndex: number; label: string; reason: ReasonCode; detail: string },
): Promise<number> {
  const [row] = await sql.query<{ id: number }>(
    `insert into page (book_id, upload_id, file_index, label, status, reason, detail)
     values ($1, $2, $3, $4, 'rejected', $5, $6)
     on conflict (upload_id, file_index, part) do update set status = 'rejected', reason = excluded.reason,
       detail = excluded.detail, label = excluded.label, updated_at = now()
     returning id`,
    [page.bookId, page.uploadId, page.fileIndex, page.label, page.reason, page.detail],
  );
  await joinSpread(sql, row!.id);
  return row!.id;
}

/** The first other page with exactly the same decoded pixels: the same scan delivered again in another file. */
export async function findSamePixels(sql: Sql, pageId: number, pixelSha256: string): Promise<number | null> {
  const [row] = await sql.query<{ id: number }>(
    `select id from page where pixel_sha256 = $1 and status <> 'duplicate' and id <> $2 order by id limit 1`,
    [pixelSha256, pageId],
  );
  return row?.id ?? null;
}

export async function markDuplicatePage(sql: Sql, pageId: number, duplicateOf: number): Promise<void> {
  await sql.query(`update page set status = 'duplicate', duplicate_of = $2, updated_at = now() where id = $1`, [pageId, duplicateOf]);
}

export async function getPage(sql: Sql, id: number): Promise<PageRow | null> {
  const [row] = await sql.query<PageRow>(`select ${PAGE_COLUMNS} from page where id = $1`, [id]);
  return row ?? null;
}

/** The ruled table cleanup found on the page's clean image (stored beside its transform), or null: OCR reads such a page column by column. */
export async function getCleanTable(sql: Sql, id: number): Promise<TableGrid | null> {
  const [row] = await sql.query<{ table: TableGrid | null }>(`select clean_transform->'table' as table from page where id = $1`, [id]);
  return row?.table ?? null;
}

export async function setPageStatus(sql: Sql, id: number, status: PageStatus, reason: ReasonCode | null = null, detail: string | null = null): Promise<void> {
  await sql.query('update page set status = $2, reason = $3, detail = $4, updated_at = now() where id = $1', [id, status, reason, detail]);
}

/**
 * Records the scan quality gate's measurements and verdict: a blank page becomes `blank`, an
 * unreadable one `needs_rescan` with its first reason in `reason` and all of them in `rescan_reasons`,
 * unless staff had it read anyway (`rescan_waiver`); a page replaced by its rescan stays so. Returns whether the page
 * goes on to cleanup.
 */
export async function saveScanQuality(sql: Sql, id: number, quality: ScanQuality, verdict: ScanVerdict): Promise<boolean> {
  const reasons = verdict.status === 'needs_rescan' ? verdict.reasons : null;
  const [row] = await sql.query<{ goesOn: boolean }>(
    `update page set quality = $2, rescan_reasons = $3,
       status = case when status = 'replaced' then status when $4::text = 'ok' or ($4::text = 'needs_rescan' and rescan_waiver is not null) then status else $4::text end,
       reason = case when $4::text = 'needs_rescan' and rescan_waiver is null then $5 else reason end, updated_at = now()
     where id = $1
     returning status <> 'replaced' and ($4::text = 'ok' or ($4::text = 'needs_rescan' and rescan_waiver is not null)) as "goesOn"`,
    [id, JSON.stringify({ ...quality, verdict: verdict.status }), reasons, verdict.status, reasons?.[0] ?? null],
  );
  return row?.goesOn ?? false;
}

/**
 * Marks a page held for a rescan as replaced: by the page that took its place (`replacedBy`, placed by its entry
 * numbers), or by hand (`replacedBy` null: the rescan is in the book but not placed by numbers, e.g. it has none).
 * Only a page still held; returns whether it was. Its reasons, quality and image stay as its history.
 */
export async function markPageReplaced(sql: Sql, pageId: number, replacedBy: number | null, by: { actor: string; note?: string }): Promise<boolean> {
  const replacement = { by: by.actor, at: new Date().toISOString(), ...(by.note ? { note: by.note } : {}) };
  const [row] = await sql.query(
    `update page set status = 'replaced', replaced_by = $2, replacement = $3, updated_at = now() where id = $1 and status = 'needs_rescan' returning id`,
    [pageId, replacedBy, JSON.stringify(replacement)],
  );
  return row !== undefined;
}

/**
 * Puts the pages `actor` marked replaced by `replacedBy` back to waiting for their rescan (needs_rescan, their reasons
 * kept); returns their ids. Only `actor`'s marks: a page staff marked replaced by hand stays so.
 */
export async function restoreReplacedBy(sql: Sql, replacedBy: number, actor: string): Promise<number[]> {
  const rows = await sql.query<{ id: string }>(
    `update page set status = 'needs_rescan', replaced_by = null, replacement = null, updated_at = now()
      where replaced_by = $1 and status = 'replaced' and replacement->>'by' = $2 returning id`,
    [replacedBy, actor],
  );
  return rows.map((r) => Number(r.id));
}

/** The downsized JPEG staff see in the browser (src/imaging/view.ts). */
export async function saveViewImage(sql: Sql, id: number, view: { sha256: string; width: number; height: number }): Promise<void> {
  await sql.query('update page set view_sha256 = $2, view_width = $3, view_height = $4, updated_at = now() where id = $1', [id, view.sha256, view.width, view.height]);
}

/** Pages the quality gate sent back to be scanned again, with the reason staff are shown. */
export async function listRescanPages(sql: Sql, bookId?: number): Promise<Array<{ id: number; bookId: number; label: string; reason: RescanReason; reasons: RescanReason[] }>> {
  return sql.query(
    `select p.id, p.book_id as "bookId", p.label, p.reason, p.rescan_reasons as reasons
       from page p join upload u on u.id = p.upload_id
      where p.status = 'needs_rescan' and ($1::bigint is null or p.book_id = $1)
      order by p.book_id, u.seq, p.file_index, p.part`,
    [bookId ?? null],
  );
}

export async function saveCleanPage(
  sql: Sql,
  id: number,
  clean: { sha256: string; width: number; height: number; steps: string[]; transform: unknown },
): Promise<void> {
  await sql.query(
    `update page set status = 'cleaned', clean_sha256 = $2, clean_width = $3, clean_height = $4, clean_steps = $5,
       clean_transform = $6, updated_at = now() where id = $1`,
    [id, clean.sha256, clean.width, clean.height, clean.steps, JSON.stringify(clean.transform)],
  );
}

export async function savePageOcr(
  sql: Sql,
  pageId: number,
  ocr: { engine: string; text: string; meanConfidence: number; words: unknown[]; lines: unknown[] },
): Promise<void> {
  await sql.query(
    `insert into page_ocr (page_id, engine, text, mean_confidence, words, lines) values ($1, $2, $3, $4, $5, $6)
     on conflict (page_id) do update set engine = excluded.engine, text = excluded.text,
       mean_confidence = excluded.mean_confidence, words = excluded.words, lines = excluded.lines, updated_at = now()`,
    [pageId, ocr.engine, ocr.text, ocr.meanConfidence, JSON.stringify(ocr.words), JSON.stringify(ocr.lines)],
  );
  await sql.query(`update page set status = 'ocr_done', updated_at = now() where id = $1`, [pageId]);
}

/** One row per (page, stage), replaced by every committed run; `run_count` shows how many there were. */
export async function recordPageResult(
  sql: Sql,
  result: { pageId: number; stage: StageName; engine: string; outcome: 'done' | 'needs_review' | 'rejected'; reason?: ReasonCode | null; producedBy: string; ms: number },
): Promise<void> {
  await sql.query(
    `insert into page_result (page_id, stage, engine, outcome, reason, produced_by, ms) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (page_id, stage) do update set engine = excluded.engine, outcome = excluded.outcome, reason = excluded.reason,
       produced_by = excluded.produced_by, ms = excluded.ms, run_count = page_result.run_count + 1, updated_at = now()`,
    [result.pageId, result.stage, result.engine, result.outcome, result.reason ?? null, result.producedBy, result.ms],
  );
}

/** Remembers the last transient error outside the job's transaction (which rolls back). */
export async function recordPageError(sql: Sql, id: number, error: string): Promise<void> {
  await sql.query('update page set last_error = $2, updated_at = now() where id = $1', [id, error.slice(0, 2000)]);
}

export async function listPageIds(sql: Sql, filter: { bookId?: number; status?: PageStatus[] }): Promise<number[]> {
  const rows = await sql.query<{ id: number }>(
    `select p.id from page p join upload u on u.id = p.upload_id
      where ($1::bigint is null or p.book_id = $1) and ($2::text[] is null or p.status = any($2))
      order by p.book_id, u.seq, p.file_index, p.part`,
    [filter.bookId ?? null, filter.status ?? null],
  );
  return rows.map((r) => r.id);
}

export interface FailedPage {
  id: number;
  bookId: number;
  label: string;
  stage: string | null;
  lastError: string | null;
}

export async function listFailedPages(sql: Sql): Promise<FailedPage[]> {
  return sql.query<FailedPage>(
    `select id, book_id as "bookId", label, detail as stage, last_error as "lastError" from page where status = 'failed' order by id`,
  );
}

/**
 * The columns of a `page` row aliased `alias` that make its `ScanGeometry` (src/imaging/transform.ts): sizes, clean
 * transform, and whether cleanup cut it from a spread (its `split` step: known from the page alone, also once the
 * page was moved into another book, src/review/move-page.ts).
 */
export const scanGeometrySql = (alias: string) =>
  `${alias}.width, ${alias}.height, ${alias}.clean_width as "cleanWidth", ${alias}.clean_height as "cleanHeight", ${alias}.clean_transform as transform,
   coalesce(exists (select 1 from unnest(${alias}.clean_steps) step where step like 'split:%'), false) as "halfOfSpread"`;
