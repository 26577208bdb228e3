import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBookIssues, listProblemPages } from '../../src/db/book-dashboard.ts';
import { checkBook } from '../../src/extract/book-checks.ts';
import { pageBefore, rankReplacingPages, type NumberedPage } from '../../src/extract/page-place.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/** A page moved into its book from another (staff, src/review/move-page.ts) goes where its entry numbers do. */
const page = (pageId: number, ...numbers: number[]): NumberedPage => ({ pageId, numbers: numbers.map((entryNo) => ({ year: 1990, entryNo })) });

describe('where a moved page goes', () => {
  it('after the page before the gap its numbers fill, nowhere when they fill none', () => {
    const book = [page(1, 1, 2, 3), page(2, 7, 8, 9), page(3, 10, 11)];
    expect(pageBefore(book, page(9, 4, 5, 6))).toBe(1);
    // after every number of the book: it is last already
    expect(pageBefore(book, page(9, 12, 13))).toBeNull();
    // numbers the book has: a second copy of a page, not the one it misses
    expect(pageBefore(book, page(9, 6, 7, 8))).toBeNull();
    // no number read, or numbers of two years: not placed
    expect(pageBefore(book, { pageId: 9, numbers: [] })).toBeNull();
    expect(pageBefore(book, { pageId: 9, numbers: [{ year: 1990, entryNo: 4 }, { year: 1991, entryNo: 5 }] })).toBeNull();
  });
});

describe('which pages likely replaced a page held for a rescan', () => {
  const at = (late: boolean, pageId: number, ...numbers: number[]) => ({ ...page(pageId, ...numbers), late });
  // 1–2, 3–4, the held page (5–6 missing), 7–8, 9–10; then late: 5–6 placed beside the held page, 40–41, one unread
  const book = [at(false, 1, 1, 2), at(false, 2, 3, 4), at(true, 20, 5, 6), at(false, 3), at(false, 4, 7, 8), at(false, 5, 9, 10), at(true, 21, 40, 41), at(true, 22)];

  it('offers the pages whose numbers fall in its gap first, then the other late ones, the rest in book order', () => {
    expect(rankReplacingPages(book, 3, [1, 2, 20, 4, 5, 21, 22])).toEqual({
      likely: [{ pageId: 20, fillsGap: true, late: true }, { pageId: 21, fillsGap: false, late: true }, { pageId: 22, fillsGap: false, late: true }],
      others: [1, 2, 4, 5],
    });
  });

  it('bounds the gap by a year’s last and the next year’s first numbers, and offers only the candidates given', () => {
    const years = [{ pageId: 1, late: false, numbers: [{ year: 1990, entryNo: 88 }] }, { pageId: 2, late: false, numbers: [] },
      { pageId: 3, late: false, numbers: [{ year: 1991, entryNo: 3 }] }, { pageId: 9, late: true, numbers: [{ year: 1990, entryNo: 89 }, { year: 1991, entryNo: 1 }] }];
    expect(rankReplacingPages(years, 2, [1, 3, 9])).toEqual({ likely: [{ pageId: 9, fillsGap: true, late: true }], others: [1, 3] });
    expect(rankReplacingPages(years, 2, [1])).toEqual({ likely: [], others: [1] });
  });
});

describe('the book checks of a book a page was moved into', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('read the moved page where its numbers go: the missing page it was is found, and no step back', async () => {
    const sql = t.db;
    const [office] = await sql.query<{ id: number }>(`insert into registry_office (code, name) values ('HBT', 'HBT') returning id`);
    const [book] = await sql.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from) values ($1, 'birth', '01', 1990) returning id`, [office!.id]);
    const pages: number[] = [];
    // two pages delivered in one file, then the page moved in from another book as a delivery of its own (read again)
    const [file] = await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'so.pdf', 'a', 1, 't') returning id`, [book!.id]);
    const [moved] = await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 2, 'khac.pdf – trang 3', 'b', 1, 't') returning id`, [book!.id]);
    for (const [upload, index, numbers] of [[file!.id, 0, [1, 2, 3, 4]], [file!.id, 1, [9, 10, 11, 12]], [moved!.id, 0, [5, 6, 7, 8]]] as const) {
      const [p] = await sql.query<{ id: number }>(
        `insert into page (book_id, upload_id, file_index, label, status, place_by_numbers) values ($1, $2, $3, $4, 'routed', $5) returning id`,
        [book!.id, upload, index, `p${pages.length + 1}`, upload === moved!.id]);
      pages.push(p!.id);
      for (const [seq, entryNo] of numbers.entries()) {
        const [e] = await sql.query<{ id: number }>(
          `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, 1990, $5, 'birth') returning id`,
          [book!.id, p!.id, seq, [p!.id], entryNo]);
        await sql.query(`insert into entry_field (entry_id, field, raw, value, confidence, status) values ($1, 'entryNo', $2, $2, 0.99, 'auto_accepted')`, [e!.id, String(entryNo)]);
      }
    }
    const issues = await checkBook(sql, book!.id);
    expect(issues).toEqual([]);
    const [placed] = await sql.query<{ placedAfter: number }>(`select placed_after as "placedAfter" from page where id = $1`, [pages[2]]);
    expect(placed!.placedAfter).toBe(pages[0]);
    // the book's pages list in that order too
    const order = await sql.query<{ id: number }>(`select id from page where book_id = $1 order by page_place(id)`, [book!.id]);
    expect(order.map((o) => o.id)).toEqual([pages[0], pages[2], pages[1]]);
    // and so do their issues
    for (const pageId of [pages[1], pages[2]]) await sql.query(`insert into book_issue (book_id, kind, page_id) values ($1, 'page_without_entries', $2)`, [book!.id, pageId]);
    expect((await listBookIssues(sql, book!.id)).map((i) => i.pageId)).toEqual([pages[2], pages[1]]);
  });

  it('orders pages placed after another whatever their ids, past those an int holds', async () => {
    const sql = t.db;
    const [book] = await sql.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from) select id, 'birth', '02', 1990 from registry_office limit 1 returning id`);
    const [file] = await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'so.pdf', 'a', 1, 't') returning id`, [book!.id]);
    await sql.query(`select setval(pg_get_serial_sequence('page', 'id'), 3000000000)`);
    const ids: number[] = [];
    for (const index of [0, 1]) {
      const [p] = await sql.query<{ id: string }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, $3, 'p', 'routed') returning id`, [book!.id, file!.id, index]);
      ids.push(Number(p!.id));
    }
    await sql.query('update page set placed_after = $1 where id = $2', [ids[0], ids[1]]);
    const order = await sql.query<{ id: string }>(`select id from page where book_id = $1 order by page_place(id)`, [book!.id]);
    expect(order.map((o) => Number(o.id))).toEqual(ids);
  });

  /**
   * A book `bookNo` of 1990 with pages delivered in one file, in order, then a late upload (placed by its numbers):
   * each page `[late, status, entry numbers]`. Returns the book and the pages' ids in that order.
   */
  async function bookWithLatePages(bookNo: string, pages: ReadonlyArray<readonly [late: boolean, status: string, numbers: readonly number[]]>) {
    const sql = t.db;
    const [book] = await sql.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from) select id, 'birth', $1, 1990 from registry_office limit 1 returning id`, [bookNo]);
    const [file] = await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'so.pdf', 'a', 1, 't') returning id`, [book!.id]);
    const [late] = await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by, place_by_numbers) values ($1, 2, 'quet-lai.pdf', 'b', 1, 't', true) returning id`, [book!.id]);
    const ids: number[] = [];
    const counts = { file: 0, late: 0 };
    for (const [isLate, status, numbers] of pages) {
      const index = isLate ? counts.late++ : counts.file++;
      const [p] = await sql.query<{ id: number }>(
        `insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, $3, $4, $5) returning id`, [book!.id, isLate ? late!.id : file!.id, index, `p${index}`, status]);
      ids.push(Number(p!.id));
      for (const [seq, entryNo] of numbers.entries()) {
        await sql.query(`insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, 1990, $5, 'birth')`, [book!.id, p!.id, seq, [p!.id], entryNo]);
      }
    }
    return { bookId: book!.id, ids };
  }

  it('marks the page held for a rescan in the gap a late page fills as replaced by it, and only that one', async () => {
    const sql = t.db;
    // delivered: 1–4, a page held for a rescan, 9–12, another held page at the end; then the rescan of the first, 5–8
    const { bookId, ids } = await bookWithLatePages('03', [[false, 'routed', [1, 2, 3, 4]], [false, 'needs_rescan', []], [false, 'routed', [9, 10, 11, 12]],
      [false, 'needs_rescan', []], [true, 'routed', [5, 6, 7, 8]]]);
    const book = { id: bookId };
    await checkBook(sql, book!.id);
    const pages = await sql.query<{ id: string; status: string; replacedBy: string | null }>(`select id, status, replaced_by as "replacedBy" from page where book_id = $1 order by page_place(id)`, [book!.id]);
    expect(pages.map((p) => [Number(p.id), p.status, p.replacedBy && Number(p.replacedBy)])).toEqual([
      [ids[0], 'routed', null], [ids[4], 'routed', null], [ids[1], 'replaced', ids[4]], [ids[2], 'routed', null], [ids[3], 'needs_rescan', null],
    ]);
    // the replaced page stays among the book's problems only as one settled, with the page that replaced it
    expect((await listProblemPages(sql, book!.id)).map((p) => [Number(p.id), p.status, p.replacedBy ?? null])).toEqual([[ids[1], 'replaced', 'p0'], [ids[3], 'needs_rescan', null]]);
    // checked again: nothing changes, the late page replaces no second page
    await checkBook(sql, book!.id);
    expect((await sql.query(`select id from page where book_id = $1 and status = 'replaced'`, [book!.id])).map((p) => Number(p.id))).toEqual([ids[1]]);
  });

  it('marks no held page for a late page filling part of a gap, and puts a held page back when its late page moves', async () => {
    const sql = t.db;
    // 1–4, a held page, 13–16; the late page reads 5–8: 9–12 are missing too, so it need not be the held page's rescan
    const { bookId, ids } = await bookWithLatePages('04', [[false, 'routed', [1, 2, 3, 4]], [false, 'needs_rescan', []], [false, 'routed', [13, 14, 15, 16]],
      [true, 'routed', [5, 6, 7, 8]]]);
    const book = { id: bookId };
    const status = async () => (await sql.query<{ status: string }>(`select status from page where id = $1`, [ids[1]]))[0]!.status;
    await checkBook(sql, book!.id);
    expect(await status()).toBe('needs_rescan');
    // the page after the gap read 9–12 (a person corrected its numbers): the late page fills the gap exactly
    await sql.query(`update entry set entry_no = entry_no - 4 where page_id = $1`, [ids[2]]);
    await checkBook(sql, book!.id);
    expect(await status()).toBe('replaced');
    // and the late page's own numbers corrected to 17–20: it goes last, and the held page waits for its rescan again
    await sql.query(`update entry set entry_no = entry_no + 12 where page_id = $1`, [ids[3]]);
    await checkBook(sql, book!.id);
    expect(await status()).toBe('needs_rescan');
    expect(await sql.query(`select actor, detail from audit_event where action = 'page.replacement_undone' and object_id = $1`, [String(ids[1])]))
      .toEqual([{ actor: 'civreg', detail: { replacedBy: ids[3] } }]);
  });
});
