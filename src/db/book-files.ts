import type { ReasonCode } from '../../schemas/reasons.ts';
import type { Sql } from './sql.ts';

/**
 * An upload `u` refused as a whole (or failed) before any page came of it: a problem of its book until a later upload
 * of the book under the same file name was taken. Refused pages of a file that was read are page problems instead.
 */
export const REFUSED_FILE = `u.status in ('rejected', 'failed') and not exists (select 1 from page rp where rp.upload_id = u.id)
  and not exists (select 1 from upload v where v.book_id = u.book_id and v.file_name = u.file_name and v.seq > u.seq
                   and v.status in ('received', 'ingested', 'partial', 'duplicate'))`;

/** An upload `u` received and not yet split into pages. */
export const WAITING_FILE = `u.status = 'received'`;

export interface RefusedFile {
  id: number;
  fileName: string;
  reason: ReasonCode | null;
  uploadedBy: string;
  at: Date;
}

/** A book's refused files still waiting for staff (see REFUSED_FILE), in delivery order. */
export async function listRefusedFiles(sql: Sql, bookId: number): Promise<RefusedFile[]> {
  return sql.query<RefusedFile>(
    `select u.id, u.file_name as "fileName", u.reason, u.uploaded_by as "uploadedBy", u.created_at as at
       from upload u where u.book_id = $1 and ${REFUSED_FILE} order by u.seq`,
    [bookId],
  );
}
