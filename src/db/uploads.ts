import type { ReasonCode, WarningCode } from '../../schemas/reasons.ts';
import type { Sql } from './sql.ts';

export type UploadStatus = 'received' | 'ingested' | 'partial' | 'rejected' | 'duplicate' | 'failed';

export interface UploadRow {
  id: number;
  bookId: number;
  seq: number;
  fileName: string;
  sha256: string;
  bytes: number;
  kind: string | null;
  status: UploadStatus;
  reason: ReasonCode | null;
  detail: string | null;
  warnings: WarningCode[];
  duplicateOf: number | null;
  pageCount: number | null;
}

const UPLOAD_COLUMNS = `id, book_id as "bookId", seq, file_name as "fileName", sha256, bytes, kind, status, reason, detail,
  warnings, duplicate_of as "duplicateOf", page_count as "pageCount"`;

/**
 * Records a received file at the end of its book's delivery order. The same bytes received before
 * (in any book) make this a `duplicate` of the first upload, decided here, before any OCR is spent; bytes that
 * were refused or failed before were never read, so sending them again reads them again (a limit since raised, a
 * passing fault) and a second refusal joins the first as one problem (groupRefused).
 */
export async function registerUpload(
  sql: Sql,
  upload: { bookId: number; fileName: string; sha256: string; bytes: number; uploadedBy: string; rejection?: { reason: ReasonCode; detail: string }; placeByNumbers?: boolean },
): Promise<UploadRow> {
  // Serialise deliveries to one book so their sequence numbers are gap-free and unique.
  await sql.query('select pg_advisory_xact_lock(1, $1::int)', [upload.bookId]);
  const [first] = await sql.query<{ id: number }>(
    `select id from upload where sha256 = $1 and status not in ('duplicate', 'rejected', 'failed') order by id limit 1`,
    [upload.sha256],
  );
  const status: UploadStatus = upload.rejection ? 'rejected' : first ? 'duplicate' : 'received';
  const [row] = await sql.query<UploadRow>(
    `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by, status, reason, detail, duplicate_of, place_by_numbers)
     values ($1, (select coalesce(max(seq), 0) + 1 from upload where book_id = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10)
     returning ${UPLOAD_COLUMNS}`,
    [
      upload.bookId,
      upload.fileName,
      upload.sha256,
      upload.bytes,
      upload.uploadedBy,
      status,
      upload.rejection?.reason ?? null,
      upload.rejection?.detail ?? null,
      status === 'duplicate' ? first!.id : null,
      upload.placeByNumbers ?? false,
    ],
  );
  return row!;
}

export async function getUpload(sql: Sql, id: number): Promise<UploadRow | null> {
  const [row] = await sql.query<UploadRow>(`select ${UPLOAD_COLUMNS} from upload where id = $1`, [id]);
  return row ?? null;
}

export async function finishUpload(
  sql: Sql,
  id: number,
  result: { status: UploadStatus; kind?: string | null; reason?: ReasonCode | null; detail?: string | null; warnings?: WarningCode[]; pageCount?: number | null },
): Promise<void> {
  await sql.query(
    `update upload set status = $2, kind = coalesce($3, kind), reason = $4, detail = $5, warnings = $6, page_count = $7, updated_at = now()
     where id = $1`,
    [id, result.status, result.kind ?? null, result.reason ?? null, result.detail ?? null, result.warnings ?? [], result.pageCount ?? null],
  );
}

export interface UploadProblem {
  id: number;
  bookId: number;
  fileName: string;
  status: UploadStatus;
  reason: ReasonCode | null;
  duplicateOf: number | null;
}

/** Uploads that did not become pages, with their reason, for status output and the summary. */
export async function listUploadProblems(sql: Sql): Promise<UploadProblem[]> {
  return sql.query<UploadProblem>(
    `select id, book_id as "bookId", file_name as "fileName", status, reason, duplicate_of as "duplicateOf"
       from upload where status in ('rejected', 'duplicate', 'failed', 'partial') order by id`,
  );
}
