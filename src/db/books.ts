import type { RegisterType } from '../../schemas/jobs.ts';
import type { Sql } from './sql.ts';

export interface BookKey {
  officeCode: string;
  officeName?: string;
  registerType: RegisterType;
  bookNo: string;
  yearFrom?: number | null;
  yearTo?: number | null;
  era?: string | null;
}

/**
 * A book number as staff mean it: lower case, its leading number without leading zeros ("02/A" → "2/a"),
 * so "2", "02" and "002" are one number. BOOK_NO_NORMAL is the same in SQL over `b.book_no`.
 */
export function normalBookNo(text: string): string {
  return bookNoAsWritten(text).toLowerCase().replace(/^0+(?=\d)/, '');
}
/**
 * A book number as it is stored: NFC, no space around it, one space where it had several ("4 " and "4" are one book,
 * "1 A" and "1  A" too). bookForFiles stores every number so, whichever way it came in (CLI, API, web form).
 *
 * @example bookNoAsWritten(' 04 /A '); // '04 /A'
 */
export function bookNoAsWritten(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ');
}
export const BOOK_NO_NORMAL = `regexp_replace(lower(b.book_no), '^0+([0-9])', '\\1')`;
/** Book numbers in the order staff count them: the leading number as a number (2, 10, 100; none last), then the rest. */
export const BOOK_NO_ORDER = `substring(b.book_no from '^[0-9]+')::numeric nulls last, substring(b.book_no from '^[0-9]*(.*)$'), b.book_no`;

export interface KnownBook {
  id: number;
  bookNo: string;
  yearFrom: number | null;
  yearTo: number | null;
}

/**
 * Books of one office and register type, for the upload form to offer (at most `limit`, numbers in
 * numeric order, newest years first within a number).
 */
export async function listOfficeBooks(sql: Sql, officeId: number, registerType: string, limit = 1000): Promise<KnownBook[]> {
  return sql.query<KnownBook>(
    `select b.id, b.book_no as "bookNo", b.year_from as "yearFrom", b.year_to as "yearTo" from book b
      where b.office_id = $1 and b.register_type = $2
      order by ${BOOK_NO_ORDER}, b.year_from desc nulls last
      limit $3`,
    [officeId, registerType, limit],
  );
}

/**
 * Where an upload for a book number and year would go: the book itself when it exists (as typed, or the one book of
 * that year whose number differs only by leading zeros or case: "2" of 2000 is "02" of 2000), and otherwise the
 * books it is most likely a mistyped version of, for the person to choose among — same number but for leading zeros
 * or case, and one of the two years not given ("2" and no year vs "02" of 2000), or two books of the year that
 * both normalise to the number. A different given year is another book (registers restart their numbering each
 * year), not a near miss.
 */
export async function findBookFor(sql: Sql, officeId: number, registerType: string, bookNo: string, year: number | null): Promise<{ exact: KnownBook | null; similar: KnownBook[] }> {
  const rows = await sql.query<KnownBook>(
    `select b.id, b.book_no as "bookNo", b.year_from as "yearFrom", b.year_to as "yearTo" from book b
      where b.office_id = $1 and b.register_type = $2 and ${BOOK_NO_NORMAL} = $3
        and (b.year_from is not distinct from $4::int or b.year_from is null or $4::int is null)
      order by b.year_from nulls last, b.book_no`,
    [officeId, registerType, normalBookNo(bookNo), year],
  );
  const sameYear = rows.filter((b) => b.yearFrom === year);
  const exact = sameYear.find((b) => b.bookNo === bookNoAsWritten(bookNo)) ?? (sameYear.length === 1 ? sameYear[0]! : null);
  return { exact, similar: exact ? [] : rows };
}

/** Files named for a number that only nearly matches existing books (findBookFor's `similar`): a person must choose. */
export class BookAmbiguousError extends Error {
  readonly similar: KnownBook[];
  constructor(similar: KnownBook[]) {
    super(`book number matches ${similar.length} existing book(s) only nearly`);
    this.similar = similar;
  }
}

/** A book number of spaces only names no book. */
export class BookNoEmptyError extends Error {
  constructor() {
    super('a book number is required');
  }
}

/**
 * The book files named by `key` go into, made if new: one matching for every way files come in (the web upload,
 * `civreg ingest`, samples, receiveFiles' callers). A number that differs from the one book of that year only by
 * leading zeros or case is that book ("2" of 2000 goes to "02", findBookFor); a number that only nearly matches
 * books is refused (BookAmbiguousError) unless `newBook` says the person chose a new book. The number is taken as
bookNoAsWritten writes it (a space typed after it on the command line is not part of the book's number).
 *
 * @example const bookId = await bookForFiles(tx, { officeCode: 'HBT', registerType: 'birth', bookNo: '2', yearFrom: 2000 });
 */
export async function bookForFiles(sql: Sql, key: BookKey, options: { newBook?: boolean } = {}): Promise<number> {
  const bookNo = bookNoAsWritten(key.bookNo);
  if (bookNo === '') throw new BookNoEmptyError();
  const [office] = await sql.query<{ id: number }>('select id from registry_office where code = $1', [key.officeCode]);
  const { exact, similar } = office ? await findBookFor(sql, Number(office.id), key.registerType, bookNo, key.yearFrom ?? null) : { exact: null, similar: [] };
  if (!exact && similar.length > 0 && !options.newBook) throw new BookAmbiguousError(similar);
  return ensureBook(sql, { ...key, bookNo: exact?.bookNo ?? bookNo });
}

/** Finds or creates the office and the book; the book is identified by office, type, number and first year. */
export async function ensureBook(sql: Sql, key: BookKey): Promise<number> {
  const [office] = await sql.query<{ id: number }>(
    `insert into registry_office (code, name) values ($1, $2)
     on conflict (code) do update set name = case when $3 then excluded.name else registry_office.name end
     returning id`,
    [key.officeCode, key.officeName ?? key.officeCode, key.officeName !== undefined],
  );
  const [book] = await sql.query<{ id: number }>(
    `insert into book (office_id, register_type, book_no, year_from, year_to, era) values ($1, $2, $3, $4, $5, $6)
     on conflict (office_id, register_type, book_no, year_from) do update set
       year_to = coalesce($7::int, book.year_to), era = coalesce(excluded.era, book.era)
     returning id`,
    // an existing book keeps its last year unless the key names one: files named by the first year alone (a later
    // delivery, a late page) must not shorten a book of several years to one
    [office!.id, key.registerType, key.bookNo, key.yearFrom ?? null, key.yearTo ?? key.yearFrom ?? null, key.era ?? null, key.yearTo ?? null],
  );
  return book!.id;
}

export async function countBooks(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ n: number }>('select count(*)::int as n from book');
  return row!.n;
}

export interface BookSummary {
  id: number;
  office: string;
  registerType: RegisterType;
  bookNo: string;
  yearFrom: number | null;
  uploads: number;
  pages: number;
  pagesDone: number;
  pagesRejected: number;
  pagesFailed: number;
  pagesDuplicate: number;
  /** Found blank by the scan quality gate (not read). */
  pagesBlank: number;
  /** Sent back by the scan quality gate to be scanned again. */
  pagesNeedRescan: number;
  /** Held for a rescan, then replaced by the rescan placed in the book (src/extract/page-place.ts) or by staff. */
  pagesReplaced: number;
  words: number;
  /** Register entries extracted (struck ones not counted). */
  entries: number;
  /** Fields a person still has to check, and fields accepted (by the machine or a person). */
  fieldsToReview: number;
  fieldsAccepted: number;
  /** Open problems found by the book checks. */
  bookIssues: number;
}

/** Per-book progress for the dashboard and `civreg status`. */
export async function listBookSummaries(sql: Sql): Promise<BookSummary[]> {
  return sql.query<BookSummary>(
    `select b.id, o.name as office, b.register_type as "registerType", b.book_no as "bookNo", b.year_from as "yearFrom",
            (select count(*)::int from upload u where u.book_id = b.id) as uploads,
            count(p.id)::int as pages,
            count(p.id) filter (where p.status in ('ocr_done', 'extracted', 'matched', 'routed'))::int as "pagesDone",
            count(p.id) filter (where p.status = 'rejected')::int as "pagesRejected",
            count(p.id) filter (where p.status = 'failed')::int as "pagesFailed",
            count(p.id) filter (where p.status = 'duplicate')::int as "pagesDuplicate",
            count(p.id) filter (where p.status = 'blank')::int as "pagesBlank",
            count(p.id) filter (where p.status = 'needs_rescan')::int as "pagesNeedRescan",
            count(p.id) filter (where p.status = 'replaced')::int as "pagesReplaced",
            coalesce(sum(jsonb_array_length(o2.words)), 0)::int as words,
            (select count(*)::int from entry e where e.book_id = b.id and not e.struck) as entries,
            (select count(*)::int from entry_field f join entry e on e.id = f.entry_id where e.book_id = b.id and f.status = 'review') as "fieldsToReview",
            (select count(*)::int from entry_field f join entry e on e.id = f.entry_id where e.book_id = b.id and f.status in ('auto_accepted', 'verified')) as "fieldsAccepted",
            (select count(*)::int from book_issue i where i.book_id = b.id and i.status = 'open') as "bookIssues"
       from book b
       join registry_office o on o.id = b.office_id
       left join page p on p.book_id = b.id
       left join page_ocr o2 on o2.page_id = p.id
      group by b.id, o.name
      order by b.id`,
  );
}
