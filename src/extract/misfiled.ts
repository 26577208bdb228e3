/**
 * Pages filed into the wrong book. On the forms of 1999 onwards every entry names its book ("Quyển số: 02/2008"),
 * and an office keeps several books of one register a year that look alike page for page: a page of book 02
 * uploaded into book 01 shows up as entries out of order, or as nothing at all. The entries' own words say which
 * book they belong to, so the page is named for a person to move (`page_of_other_book`).
 */
import type { Sql } from '../db/sql.ts';
import { bookNumberKey } from '../text/book-no.ts';

export interface BookNoReading {
  pageId: number;
  /** "Quyển số" as read on one entry of the page; null where nothing was read. */
  bookNoRead: string | null;
}

/** A page whose entries name another book, and the number they name (as read on the first of them). */
export interface MisfiledPage {
  pageId: number;
  read: string;
}


/**
 * Pages where two entries or more read one and the same other book number and none reads the book's own, in a book
 * whose readings name its own number more often than any other: a reading that is always wrong the same way (a
 * typewriter's 1 read as 4 on every page) names no page, and neither does one misread entry.
 *
 * @example
 * findMisfiledPages([{ pageId: 1, bookNoRead: '01/2008' }, { pageId: 1, bookNoRead: '01/2008' },
 *                    { pageId: 2, bookNoRead: '02/2008' }, { pageId: 2, bookNoRead: '02/2008' }], '01'); // [{ pageId: 2, read: '02/2008' }]
 */
export function findMisfiledPages(readings: readonly BookNoReading[], ownBookNo: string): MisfiledPage[] {
  const own = bookNumberKey(ownBookNo);
  if (own === null) return [];
  const counts = new Map<string, number>();
  const byPage = new Map<number, { key: string; text: string }[]>();
  for (const { pageId, bookNoRead } of readings) {
    const key = bookNumberKey(bookNoRead);
    if (key === null) continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    byPage.set(pageId, [...(byPage.get(pageId) ?? []), { key, text: bookNoRead!.trim() }]);
  }
  const ownCount = counts.get(own) ?? 0;
  if ([...counts].some(([key, n]) => key !== own && n >= ownCount)) return [];
  const misfiled: MisfiledPage[] = [];
  for (const [pageId, read] of byPage) {
    const other = read[0]!.key;
    if (other !== own && read.length >= 2 && read.every((r) => r.key === other)) misfiled.push({ pageId, read: read[0]!.text });
  }
  return misfiled;
}

/** The book's pages whose entries name another book (findMisfiledPages), from the entries' stored readings. */
export async function misfiledPagesOf(sql: Sql, bookId: number, ownBookNo: string): Promise<MisfiledPage[]> {
  const readings = await sql.query<BookNoReading>(
    `select e.page_id as "pageId", e.book_no_read as "bookNoRead" from entry e join page p on p.id = e.page_id
      where e.book_id = $1 and not e.struck and p.status <> 'duplicate' and e.book_no_read is not null order by e.page_id, e.seq`,
    [bookId],
  );
  return findMisfiledPages(readings, ownBookNo);
}
