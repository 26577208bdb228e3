/**
 * Pages scanned twice, told by their pixels, for the book checks (src/extract/book-checks.ts): the page
 * fingerprints the extract stage keeps are compared once a book is read (src/imaging/fingerprint.ts), and
 * what was found is kept on the page, so that a verifier's decision runs the checks without comparing again.
 */
import type { Sql } from '../db/sql.ts';
import { decodeFingerprint, findRescannedPages } from '../imaging/fingerprint.ts';
import type { BookEntry } from './numbering.ts';

/**
 * SQL condition on an `entry` row aliased `alias`: the book checks of its book set its page aside (a book issue a
 * person has not dismissed): a second scan of a page already read (`duplicate_page`), whose entries repeat the first
 * scan's, or a page of another book or register filed here (`page_of_other_book`, `page_of_other_register`), whose
 * entries are not this book's. Such an entry is not served as a record, changes nothing, and no verifier is asked
 * to check it. A page moved to its own book (src/review/move-page.ts) leaves its issue behind in the book it left.
 */
export const onPageSetAsideSql = (alias: string) =>
  `exists (select 1 from book_issue vi where vi.page_id = ${alias}.page_id and vi.book_id = ${alias}.book_id and vi.status <> 'dismissed'
             and vi.kind in ('duplicate_page', 'page_of_other_book', 'page_of_other_register'))`;

/** The pages found to repeat an earlier page's writing, less those their entry numbers tell apart. */
export async function pagesWrittenAlike(sql: Sql, bookId: number, entries: readonly BookEntry[]): Promise<{ pageId: number; of: number; similarity: number }[]> {
  const alike = await sql.query<{ pageId: number; of: number; similarity: number }>(
    `select id as "pageId", rescan_of as "of", rescan_similarity as similarity from page where book_id = $1 and rescan_of is not null`, [bookId]);
  // two pages whose entry numbers were read surely and differ are two pages, however alike their ink
  return alike.filter((r) => !numberedApart(entries, r.pageId, r.of));
}

/**
 * Both pages have entry numbers that were accepted, and none of one page's is the other's; or each has at least two
 * numbers read, sure or not, and none is the other's. A second scan is read as its first was, near enough that some
 * number comes out alike; two pages of one printed form can be as alike in ink as a rescan (0.95 on seed 3302), and
 * a page whose numbers were held (a lonely figure, a hand) had no veto: its entries were set aside as a rescan's,
 * never put to a verifier, so that no verified number could ever arrive to tell the pages apart.
 */
export function numberedApart(entries: readonly BookEntry[], a: number, b: number): boolean {
  const numbers = (pageId: number, sureOnly: boolean) => new Set(entries
    .filter((e) => e.pageId === pageId && e.entryNo !== null && (e.numberSure || !sureOnly))
    .map((e) => (sureOnly ? `${e.year}/${e.entryNo}` : `${e.entryNo}`)));
  const apart = (x: Set<string>, y: Set<string>, least: number) => x.size >= least && y.size >= least && ![...x].some((n) => y.has(n));
  return apart(numbers(a, true), numbers(b, true), 1) || apart(numbers(a, false), numbers(b, false), 2);
}

/**
 * Compares the fingerprints of a book's read pages (src/imaging/fingerprint.ts) and stores, per page, the
 * earlier page it is a second scan of. Within one upload a page is compared with the pages just before it
 * (a page is rescanned at once, or a few pages on); a later upload is compared with the whole book.
 */
export async function compareBookPages(sql: Sql, bookId: number): Promise<void> {
  const rows = await sql.query<{ pageId: number; uploadId: number; fingerprint: Buffer }>(
    `select p.id as "pageId", p.upload_id as "uploadId", p.fingerprint from page p join upload u on u.id = p.upload_id
      where p.book_id = $1 and p.status <> 'duplicate' and p.fingerprint is not null order by page_place(p.id)`,
    [bookId],
  );
  const found = findRescannedPages(rows.map((r) => ({ pageId: r.pageId, batch: r.uploadId, fingerprint: decodeFingerprint(r.fingerprint) })));
  await sql.query(
    `update page p set rescan_of = f.first_scan, rescan_similarity = f.similarity
       from (select p2.id, r.first_scan, r.similarity from page p2 left join jsonb_to_recordset($2::jsonb) as r(page_id bigint, first_scan bigint, similarity real) on r.page_id = p2.id
              where p2.book_id = $1) f
      where p.id = f.id and (p.rescan_of is distinct from f.first_scan or p.rescan_similarity is distinct from f.similarity)`,
    [bookId, JSON.stringify(found.map((f) => ({ page_id: f.pageId, first_scan: f.of, similarity: f.similarity })))],
  );
}
