import { BOOK_NO_NORMAL, BOOK_NO_ORDER, normalBookNo } from './books.ts';
import { countRefusedFiles, REFUSED_FILE, WAITING_FILE } from './book-files.ts';
import type { Sql } from './sql.ts';

/** Which offices a query may see: every office, or the listed ones. */
export type OfficeScope = { all: true } | { all: false; officeIds: number[] };

export interface BookOverview {
  id: number;
  officeId: number;
  office: string;
  registerType: string;
  bookNo: string;
  yearFrom: number | null;
  yearTo: number | null;
  uploads: number;
  pages: number;
  /** Page counts by status (ingested, cleaned, ocr_done, …, needs_rescan, blank, rejected, failed). */
  pageStatus: Record<string, number>;
  entries: number;
  fields: number;
  fieldsVerified: number;
  fieldsToReview: number;
  openIssues: number;
  /** Files refused whole at ingest and not delivered again (src/db/book-files.ts), and files not yet split into pages. */
  refusedFiles: number;
  waitingFiles: number;
}

/** Books shown per page of the book list: a city's archive holds thousands. */
export const BOOKS_PER_PAGE = 50;

/**
 * Which books a list shows: one book, or a page (from 1) of the books matching the filters. `needsAction`
 * keeps books with open problems (book issues, pages to scan again or refused) or fields waiting for review;
 * `bookNo` keeps books whose number starts with it, leading zeros ignored ("2" finds 02, 2/2000 and 20).
 */
export type BookSelection = { bookId: number } | { officeId?: number; registerType?: string; needsAction?: boolean; bookNo?: string; page: number };

/** Page statuses that ask staff to act (scan again, look at a refusal or a failure): partial index page_problem. */
export const PAGE_PROBLEM_STATUSES = ['needs_rescan', 'rejected', 'failed'] as const;

/**
 * Books in the order staff look for them: office, register, then the book number's leading number as a
 * number (2 before 10 before 100; numbers without one after), then the rest of it, then the first year.
 */
const BOOK_ORDER = `o.name, b.register_type, ${BOOK_NO_ORDER}, b.year_from, b.id`;

/**
 * Per book: pages and their pipeline progress, entries, share of fields verified (by a person, or
 * accepted by the machine), open review work and open book problems, by offices. The page of books is chosen
 * first, so the counting (a book's fields can be 10^5 rows) is done for the books shown only; the filter on
 * books needing action reads each kind of problem once through its partial index (hashed, not per book).
 */
export async function listBookOverviews(sql: Sql, scope: OfficeScope, selection: BookSelection): Promise<{ books: BookOverview[]; total: number }> {
  const one = 'bookId' in selection;
  const list = one ? null : selection;
  const searched = list?.bookNo ? normalBookNo(list.bookNo).replace(/[\\%_]/g, (c) => `\\${c}`) : null;
  const params = [scope.all, scope.all ? [] : scope.officeIds, one ? selection.bookId : null, list?.officeId ?? null, list?.registerType ?? null, list?.needsAction === true, searched];
  const where = `($1 or b.office_id = any($2)) and ($3::bigint is null or b.id = $3) and ($4::bigint is null or b.office_id = $4) and ($5::text is null or b.register_type = $5)
    and (not $6 or b.id in (select i.book_id from book_issue i where i.status = 'open')
                or b.id in (select e.book_id from entry_field ef join entry e on e.id = ef.entry_id where ef.status = 'review')
                or b.id in (select p.book_id from page p where p.status in (${PAGE_PROBLEM_STATUSES.map((st) => `'${st}'`).join(', ')}))
                or b.id in (select u.book_id from upload u where ${REFUSED_FILE}))
    and ($7::text is null or ${BOOK_NO_NORMAL} like $7 || '%')`;
  const offset = one ? 0 : (Math.max(1, list!.page) - 1) * BOOKS_PER_PAGE;
  const [books, [count]] = await Promise.all([
    sql.query<BookOverview>(
      `with shown as materialized (
         select b.id, o.name as office, row_number() over (order by ${BOOK_ORDER}) as ord
           from book b join registry_office o on o.id = b.office_id
          where ${where}
          order by ord
          limit ${BOOKS_PER_PAGE} offset ${offset})
       select b.id, b.office_id as "officeId", s.office, b.register_type as "registerType", b.book_no as "bookNo",
              b.year_from as "yearFrom", b.year_to as "yearTo",
              (select count(*)::int from upload u where u.book_id = b.id) as uploads,
              (select count(*)::int from page p where p.book_id = b.id) as pages,
              coalesce((select jsonb_object_agg(status, n) from (select status, count(*)::int as n from page p where p.book_id = b.id group by status) s), '{}') as "pageStatus",
              (select count(*)::int from entry e where e.book_id = b.id) as entries,
              f.fields, f.verified as "fieldsVerified", f.review as "fieldsToReview",
              (select count(*)::int from book_issue i where i.book_id = b.id and i.status = 'open') as "openIssues",
              (select count(*)::int from upload u where u.book_id = b.id and ${WAITING_FILE}) as "waitingFiles"
         from shown s
         join book b on b.id = s.id
         cross join lateral (
           select count(*)::int as fields,
                  count(*) filter (where ef.status in ('verified', 'auto_accepted', 'unreadable'))::int as verified,
                  count(*) filter (where ef.status = 'review')::int as review
             from entry e join entry_field ef on ef.entry_id = e.id where e.book_id = b.id) f
        order by s.ord`,
      params,
    ),
    sql.query<{ n: number }>(`select count(*)::int as n from book b where ${where}`, params),
  ]);
  // a file refused several times is one problem: folded as the book's page lists them (groupRefused), for the books shown
  const refused = await countRefusedFiles(sql, books.map((b) => Number(b.id)));
  for (const book of books) book.refusedFiles = refused.get(Number(book.id)) ?? 0;
  return { books, total: count!.n };
}

export interface BookIssueRow {
  id: number;
  kind: string;
  status: 'open' | 'resolved' | 'dismissed';
  year: number | null;
  pageId: number | null;
  pageLabel: string | null;
  entryId: number | null;
  entryNo: number | null;
  /** The entry's place on its page (0 first): it names the entry when its number was not read. */
  entrySeq?: number | null;
  detail: Record<string, unknown>;
  /** The page a second scan repeats (`duplicate_page`'s `detail.of`), by its label. */
  ofPageLabel: string | null;
  /** Who settled it and when (src/review/book-issues.ts); null while open. */
  handledBy: string | null;
  handledAt: Date | null;
}

/**
 * The columns of a `book_issue` row aliased `i` as a `BookIssueRow`, with its page `p`, entry `e`, the account `a`
 * that settled it and the page it repeats `o` joined (see `ISSUE_JOINS`).
 */
export const ISSUE_COLUMNS = `i.id, i.kind, i.status, i.year, i.page_id as "pageId", p.label as "pageLabel", i.entry_id as "entryId", e.entry_no as "entryNo", e.seq as "entrySeq",
            i.detail, o.label as "ofPageLabel", a.name as "handledBy", i.handled_at as "handledAt"`;
export const ISSUE_JOINS = `left join page p on p.id = i.page_id left join entry e on e.id = i.entry_id left join account a on a.id = i.handled_by
       left join page o on i.kind = 'duplicate_page' and o.id = (i.detail->>'of')::bigint`;

/** A book's issues, open and settled, in the order of the book's pages (issues of no page first), then of years. */
export async function listBookIssues(sql: Sql, bookId: number): Promise<BookIssueRow[]> {
  return sql.query<BookIssueRow>(
    `select ${ISSUE_COLUMNS}
       from book_issue i ${ISSUE_JOINS}
      where i.book_id = $1 order by page_place(p.id) nulls first, i.year nulls first, e.entry_no, i.id`,
    [bookId],
  );
}

export interface PageOverview {
  id: number;
  label: string;
  status: string;
  reason: string | null;
  uploadFile: string;
  entries: number;
  /** A page replaced by its rescan: the label of the page that took its place (placed by its numbers, or chosen by staff). */
  replacedBy?: string | null;
  /** A page replaced by its rescan: who marked it ('civreg' when its rescan was placed by its numbers), when, and why. */
  replacement?: { by: string; at: string; note?: string } | null;
}

/** Rows per page of a book's pages and entries tables: a city book has 250 pages and 500 entries. */
export const ROWS_PER_PAGE = 100;

/** A slice of a book's table: its rows, how many rows match in all, and which page (from 1) of them this is. */
export interface TablePage<T> {
  rows: T[];
  total: number;
  page: number;
}

/** Book order: delivery order, a page moved in placed where its entry numbers go (migrations/050_page_place.sql). */
const PAGE_ORDER = 'page_place(p.id)';

/**
 * A book's pages in book order, `ROWS_PER_PAGE` at a time. `problemsOnly` keeps pages to scan again, refused
 * or failed, and pages an open book issue is on. `at` asks for the page of the table that holds that page
 * (of all pages), e.g. for a link from a book issue.
 */
export async function listBookPages(sql: Sql, bookId: number, view: { problemsOnly?: boolean; page?: number; at?: number } = {}): Promise<TablePage<PageOverview>> {
  const problemsOnly = view.problemsOnly === true && view.at === undefined;
  let page = Math.max(1, view.page ?? 1);
  if (view.at !== undefined) {
    const [row] = await sql.query<{ n: number }>(
      `select n from (select p.id, row_number() over (order by ${PAGE_ORDER})::int as n from page p join upload u on u.id = p.upload_id where p.book_id = $1) x where id = $2`,
      [bookId, view.at],
    );
    if (row) page = Math.ceil(row.n / ROWS_PER_PAGE);
  }
  const where = `p.book_id = $1 and (not $2 or p.status in (${PAGE_PROBLEM_STATUSES.map((st) => `'${st}'`).join(', ')})
    or p.id in (select i.page_id from book_issue i where i.book_id = $1 and i.status = 'open' and i.page_id is not null))`;
  const [rows, [count]] = await Promise.all([
    sql.query<PageOverview>(
      `select p.id, p.label, p.status, p.reason, u.file_name as "uploadFile",
              (select count(*)::int from entry e where e.page_id = p.id) as entries,
              (select r.label from page r where r.id = p.replaced_by) as "replacedBy", p.replacement
         from page p join upload u on u.id = p.upload_id where ${where} order by ${PAGE_ORDER}
        limit ${ROWS_PER_PAGE} offset ${(page - 1) * ROWS_PER_PAGE}`,
      [bookId, problemsOnly],
    ),
    sql.query<{ n: number }>(`select count(*)::int as n from page p where ${where}`, [bookId, problemsOnly]),
  ]);
  return { rows, total: count!.n, page };
}

/**
 * A book's pages to scan again, refused or failed, in book order: the book's problems name each. Pages replaced by
 * their rescan come too, as problems settled (with what replaced them).
 */
export async function listProblemPages(sql: Sql, bookId: number): Promise<PageOverview[]> {
  return sql.query<PageOverview>(
    `select p.id, p.label, p.status, p.reason, u.file_name as "uploadFile", 0 as entries,
            (select r.label from page r where r.id = p.replaced_by) as "replacedBy", p.replacement
       from page p join upload u on u.id = p.upload_id
      where p.book_id = $1 and p.status in (${[...PAGE_PROBLEM_STATUSES, 'replaced'].map((st) => `'${st}'`).join(', ')}) order by ${PAGE_ORDER}`,
    [bookId],
  );
}

export interface EntryOverview {
  id: number;
  year: number | null;
  entryNo: number | null;
  status: string;
  pageId: number;
  /** The entry's place on its page (from 0) and the page's label: how an entry whose number was not read is named. */
  seq: number;
  pageLabel: string;
  toReview: number;
}

/** A book's entries by year and number, `ROWS_PER_PAGE` at a time; `toReviewOnly` keeps entries with fields waiting for review. */
export async function listBookEntries(sql: Sql, bookId: number, view: { toReviewOnly?: boolean; page?: number } = {}): Promise<TablePage<EntryOverview>> {
  const page = Math.max(1, view.page ?? 1);
  const where = `e.book_id = $1 and (not $2 or exists (select 1 from entry_field f where f.entry_id = e.id and f.status = 'review'))`;
  const params = [bookId, view.toReviewOnly === true];
  const [rows, [count]] = await Promise.all([
    sql.query<EntryOverview>(
      `select e.id, e.year, e.entry_no as "entryNo", e.status, e.page_id as "pageId", e.seq, p.label as "pageLabel",
              (select count(*)::int from entry_field f where f.entry_id = e.id and f.status = 'review') as "toReview"
         from entry e join page p on p.id = e.page_id where ${where} order by e.year nulls first, e.entry_no nulls last, e.id
        limit ${ROWS_PER_PAGE} offset ${(page - 1) * ROWS_PER_PAGE}`,
      params,
    ),
    sql.query<{ n: number }>(`select count(*)::int as n from entry e where ${where}`, params),
  ]);
  return { rows, total: count!.n, page };
}
