import type { ReasonCode } from '../../schemas/reasons.ts';
import { recordAudit } from './audit.ts';
import type { Database, Sql } from './sql.ts';

/** A retry of a refused file is sent again within this long (the same person, the same name, the same refusal). */
const RETRY_HOURS = 24;

/** Upload `v` was taken: read or waiting to be read, or the same bytes as an upload that was (not a refused one sent again). */
const takenUpload = (v: string) => `(${v}.status in ('received', 'ingested', 'partial')
  or (${v}.status = 'duplicate' and exists (select 1 from upload ${v}d where ${v}d.id = ${v}.duplicate_of and ${v}d.status in ('received', 'ingested', 'partial'))))`;

/**
 * Upload `v` of `a`'s book is `a` retried: the same name sent by the same person after it, with no day's pause between
 * `a`, the refusals of that name and person since, and `v` (groupRefused's retry, sameFile, carried to the upload that
 * was taken; the reason cannot be compared, a taken upload has none). A name alone proves nothing ("scan.pdf" every
 * day, or a colleague's file of the same name). The same bytes sent again are never taken (registerUpload makes them a
 * duplicate of the refused upload), so the bytes cannot settle a refusal.
 */
const retryOf = (a: string, v: string) => `${v}.book_id = ${a}.book_id and ${v}.file_name = ${a}.file_name and ${v}.uploaded_by = ${a}.uploaded_by and ${v}.seq > ${a}.seq
  and not exists (select 1 from upload ${v}g where ${v}g.book_id = ${a}.book_id and ${v}g.file_name = ${a}.file_name and ${v}g.uploaded_by = ${a}.uploaded_by
                   and ${v}g.seq > ${a}.seq and ${v}g.seq <= ${v}.seq and (${v}g.id = ${v}.id or ${v}g.status in ('rejected', 'failed'))
                   and not exists (select 1 from upload ${v}h where ${v}h.book_id = ${a}.book_id and ${v}h.file_name = ${a}.file_name and ${v}h.uploaded_by = ${a}.uploaded_by
                                    and ${v}h.seq >= ${a}.seq and ${v}h.seq < ${v}g.seq and ${v}h.status in ('rejected', 'failed')
                                    and ${v}g.created_at <= ${v}h.created_at + interval '${RETRY_HOURS} hours'))`;

/**
 * An upload (table alias `a`) refused as a whole (or failed) before any page came of it: a problem of its book until
 * its retry (retryOf) was taken, or staff marked it handled (dismissed). Refused pages of a file that was read are page
 * problems instead.
 */
const refusedFileOf = (a: string) => `${a}.status in ('rejected', 'failed') and ${a}.dismissed_at is null
  and not exists (select 1 from page ${a}p where ${a}p.upload_id = ${a}.id)
  and not exists (select 1 from upload ${a}v where ${retryOf(a, `${a}v`)} and ${takenUpload(`${a}v`)})`;

/** An upload `u` refused as a whole and still waiting for staff (see refusedFileOf). */
export const REFUSED_FILE = refusedFileOf('u');

/** An upload `u` received and not yet split into pages. */
export const WAITING_FILE = `u.status = 'received'`;

export interface RefusedFile {
  /** The first upload of the file: the problem's id (the address staff mark it handled at). */
  id: number;
  /**
   * The name it was first delivered under, and every other name its uploads had: `otherNames` carry the bytes of an
   * upload under `fileName` (the file renamed); `linkedNames` are joined only through a retry (see sameFile) that brought
   * other bytes, so they are not the same content as any delivery named `fileName`.
   */
  fileName: string;
  otherNames: string[];
  linkedNames: string[];
  reason: ReasonCode | null;
  uploadedBy: string;
  at: Date;
  /** How many times the file was delivered and refused (see groupRefused); `uploadIds` are those uploads. */
  times: number;
  uploadIds: number[];
}

export interface RefusedRow { id: number; fileName: string; sha256: string; reason: ReasonCode | null; uploadedBy: string; at: Date }

/** Two refused uploads of one book are one file delivered twice: the same bytes, or the same upload retried. */
function sameFile(a: RefusedRow, b: RefusedRow): boolean {
  if (a.sha256 === b.sha256) return true;
  // a name alone proves nothing ("scan.pdf" every day): only the same person sending it again, refused alike, soon after
  return a.fileName === b.fileName && a.reason === b.reason && a.uploadedBy === b.uploadedBy
    && Math.abs(new Date(a.at).getTime() - new Date(b.at).getTime()) <= RETRY_HOURS * 3600_000;
}

/**
 * Refused uploads of one book (in delivery order) folded into problems, one per file: uploads linked by sameFile,
 * directly or through others (so the grouping does not depend on the order it is read in), each problem named by
 * its first upload and told by its latest refusal.
 */
export function groupRefused(rows: RefusedRow[]): RefusedFile[] {
  const parent = rows.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < i; j++) {
      if (sameFile(rows[i]!, rows[j]!)) parent[Math.max(root(i), root(j))] = Math.min(root(i), root(j));
    }
  }
  const groups = new Map<number, RefusedRow[]>();
  rows.forEach((row, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), row]));
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const latest = group[group.length - 1]!;
    // the bytes the file was delivered with under its own name: another name carrying them is the file renamed
    const ownBytes = new Set(group.filter((r) => r.fileName === first.fileName).map((r) => r.sha256));
    const names = [...new Set(group.map((r) => r.fileName))].filter((name) => name !== first.fileName);
    const renamed = (name: string) => group.some((r) => r.fileName === name && ownBytes.has(r.sha256));
    const otherNames = names.filter(renamed);
    const linkedNames = names.filter((name) => !renamed(name));
    // the latest refusal says what is wrong now
    return {
      id: first.id, fileName: first.fileName, otherNames, linkedNames, reason: latest.reason, uploadedBy: first.uploadedBy, at: latest.at,
      times: group.length, uploadIds: group.map((r) => r.id),
    };
  });
}

const REFUSED_ROW = `u.id, u.file_name as "fileName", u.sha256, u.reason, u.uploaded_by as "uploadedBy", u.created_at as at`;

/** A book's refused files still waiting for staff (see REFUSED_FILE), in delivery order, repeats folded (groupRefused). */
export async function listRefusedFiles(sql: Sql, bookId: number): Promise<RefusedFile[]> {
  return groupRefused(await sql.query<RefusedRow>(`select ${REFUSED_ROW} from upload u where u.book_id = $1 and ${REFUSED_FILE} order by u.seq`, [bookId]));
}

/** How many refused-file problems each of the books has (as listRefusedFiles folds them); books without any are left out. */
export async function countRefusedFiles(sql: Sql, bookIds: number[]): Promise<Map<number, number>> {
  const rows = await sql.query<RefusedRow & { bookId: number }>(
    `select u.book_id as "bookId", ${REFUSED_ROW} from upload u where u.book_id = any($1) and ${REFUSED_FILE} order by u.book_id, u.seq`,
    [bookIds],
  );
  const byBook = new Map<number, RefusedRow[]>();
  for (const row of rows) byBook.set(Number(row.bookId), [...(byBook.get(Number(row.bookId)) ?? []), row]);
  return new Map([...byBook].map(([book, list]) => [book, groupRefused(list).length]));
}

export interface DismissedFile {
  /** The names of the uploads marked (one file may have come under several names). */
  fileNames: string[];
  times: number;
  dismissedBy: string;
  dismissedAt: Date;
}

/** A book's refused files staff marked handled, one row per marking (a problem's repeats are marked together), latest first. */
export async function listDismissedFiles(sql: Sql, bookId: number): Promise<DismissedFile[]> {
  return sql.query<DismissedFile>(
    `select array_agg(distinct u.file_name order by u.file_name) as "fileNames", count(*)::int as times, u.dismissed_by as "dismissedBy", u.dismissed_at as "dismissedAt"
       from upload u where u.book_id = $1 and u.dismissed_at is not null
      group by u.dismissed_by, u.dismissed_at order by u.dismissed_at desc limit 50`,
    [bookId],
  );
}

/**
 * Marks a refused-file problem of a book handled (the one holding upload `uploadId`, with every repeat), recorded in
 * the audit trail. Any of its uploads names it: a later upload may join two problems, and the joined one's old address
 * (its first upload) must still reach it. Returns the uploads marked, null when the book has no such problem any more
 * (handled by someone else, or the file was delivered again), or 'changed' when `seen` (the uploads the person was
 * shown) lacks one the problem holds now: a later upload joined it, and nobody saw that one to judge it.
 *
 * @example
 * const marked = await dismissRefusedFile(db, 'lan', { bookId: 7, uploadId: 31, seen: [31, 33] });
 */
export async function dismissRefusedFile(db: Database, actor: string, input: { bookId: number; uploadId: number; seen?: readonly number[] }): Promise<number[] | null | 'changed'> {
  return db.transaction(async (tx) => {
    // one marking at a time per book: two people marking repeats of one file must not both succeed
    await tx.query('select id from book where id = $1 for update', [input.bookId]);
    const problem = (await listRefusedFiles(tx, input.bookId)).find((p) => p.uploadIds.includes(input.uploadId));
    if (!problem) return null;
    if (input.seen && problem.uploadIds.some((id) => !input.seen!.includes(id))) return 'changed';
    await tx.query('update upload set dismissed_by = $2, dismissed_at = now(), updated_at = now() where id = any($1)', [problem.uploadIds, actor]);
    await recordAudit(tx, { actor, action: 'refused_file_dismissed', objectType: 'upload', objectId: problem.id, detail: { bookId: input.bookId, uploadIds: problem.uploadIds, reason: problem.reason } });
    return problem.uploadIds;
  });
}
