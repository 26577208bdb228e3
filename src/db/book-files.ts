import type { ReasonCode } from '../../schemas/reasons.ts';
import { recordAudit } from './audit.ts';
import type { Database, Sql } from './sql.ts';

/**
 * An upload (table alias `a`) refused as a whole (or failed) before any page came of it: a problem of its book until a
 * later upload of the book under the same file name was taken, or staff marked it handled (dismissed). Refused pages
 * of a file that was read are page problems instead.
 */
const refusedFileOf = (a: string) => `${a}.status in ('rejected', 'failed') and ${a}.dismissed_at is null
  and not exists (select 1 from page ${a}p where ${a}p.upload_id = ${a}.id)
  and not exists (select 1 from upload ${a}v where ${a}v.book_id = ${a}.book_id and ${a}v.file_name = ${a}.file_name and ${a}v.seq > ${a}.seq
                   and ${a}v.status in ('received', 'ingested', 'partial', 'duplicate'))`;

/** An upload `u` refused as a whole and still waiting for staff (see refusedFileOf). */
export const REFUSED_FILE = refusedFileOf('u');

/**
 * A refused upload `u` that is a problem of its own: no earlier refused upload of its book has the same bytes or the
 * same file name. A file delivered and refused three times is one problem (listRefusedFiles counts the repeats).
 */
export const REFUSED_PROBLEM = `${REFUSED_FILE} and not exists (select 1 from upload w where w.book_id = u.book_id and w.seq < u.seq
  and (w.sha256 = u.sha256 or w.file_name = u.file_name) and ${refusedFileOf('w')})`;

/** An upload `u` received and not yet split into pages. */
export const WAITING_FILE = `u.status = 'received'`;

export interface RefusedFile {
  /** The first upload of the file: the problem's id (the address staff mark it handled at). */
  id: number;
  fileName: string;
  reason: ReasonCode | null;
  uploadedBy: string;
  at: Date;
  /** How many times the file (same bytes or same name) was delivered and refused; `uploadIds` are those uploads. */
  times: number;
  uploadIds: number[];
}

interface RefusedRow { id: number; fileName: string; sha256: string; reason: ReasonCode | null; uploadedBy: string; at: Date }

/**
 * A book's refused files still waiting for staff (see REFUSED_FILE), in delivery order, repeats of one file (same
 * bytes or same name as an earlier refused upload) folded into the problem of the earliest: as REFUSED_PROBLEM counts.
 */
export async function listRefusedFiles(sql: Sql, bookId: number): Promise<RefusedFile[]> {
  const rows = await sql.query<RefusedRow>(
    `select u.id, u.file_name as "fileName", u.sha256, u.reason, u.uploaded_by as "uploadedBy", u.created_at as at
       from upload u where u.book_id = $1 and ${REFUSED_FILE} order by u.seq`,
    [bookId],
  );
  const problems: RefusedFile[] = [];
  const problemOf = new Map<number, RefusedFile>();
  for (const row of rows) {
    const earlier = rows.find((r) => r !== row && problemOf.has(r.id) && (r.sha256 === row.sha256 || r.fileName === row.fileName));
    const problem = earlier ? problemOf.get(earlier.id)! : { id: row.id, fileName: row.fileName, reason: row.reason, uploadedBy: row.uploadedBy, at: row.at, times: 0, uploadIds: [] };
    if (!earlier) problems.push(problem);
    problem.times += 1;
    problem.uploadIds.push(row.id);
    // the latest refusal says what is wrong now
    problem.reason = row.reason;
    problem.at = row.at;
    problemOf.set(row.id, problem);
  }
  return problems;
}

export interface DismissedFile {
  fileName: string;
  times: number;
  dismissedBy: string;
  dismissedAt: Date;
}

/** A book's refused files staff marked handled, one row per marking (a problem's repeats are marked together), latest first. */
export async function listDismissedFiles(sql: Sql, bookId: number): Promise<DismissedFile[]> {
  return sql.query<DismissedFile>(
    `select min(u.file_name) as "fileName", count(*)::int as times, u.dismissed_by as "dismissedBy", u.dismissed_at as "dismissedAt"
       from upload u where u.book_id = $1 and u.dismissed_at is not null
      group by u.dismissed_by, u.dismissed_at order by u.dismissed_at desc limit 50`,
    [bookId],
  );
}

/**
 * Marks a refused-file problem of a book handled (its first upload `problemId` and every repeat), recorded in the audit
 * trail. Returns the uploads marked, or null when the book has no such problem any more (handled by someone else, or
 * the file was delivered again).
 *
 * @example
 * const marked = await dismissRefusedFile(db, 'lan', { bookId: 7, problemId: 31 });
 */
export async function dismissRefusedFile(db: Database, actor: string, input: { bookId: number; problemId: number }): Promise<number[] | null> {
  return db.transaction(async (tx) => {
    // one marking at a time per book: two people marking repeats of one file must not both succeed
    await tx.query('select id from book where id = $1 for update', [input.bookId]);
    const problem = (await listRefusedFiles(tx, input.bookId)).find((p) => p.id === input.problemId);
    if (!problem) return null;
    await tx.query('update upload set dismissed_by = $2, dismissed_at = now(), updated_at = now() where id = any($1)', [problem.uploadIds, actor]);
    await recordAudit(tx, { actor, action: 'refused_file_dismissed', objectType: 'upload', objectId: problem.id, detail: { bookId: input.bookId, uploadIds: problem.uploadIds, reason: problem.reason } });
    return problem.uploadIds;
  });
}
