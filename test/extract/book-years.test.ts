import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type Account } from '../../src/auth/accounts.ts';
import type { Sql } from '../../src/db/sql.ts';
import { checkBook } from '../../src/extract/book-checks.ts';
import { settleBookYears } from '../../src/review/book-issues.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * A book whose stated years are wrong (its label read 1963 for a book of 1962): one issue for the book, "Năm của sổ có
 * thể sai", not every date sent to a person; a person who says which years the book holds settles it.
 */
let t: TestDatabase;
let account: Account;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.query(`insert into registry_office (code, name) values ('HBT', 'HBT')`);
  account = await createAccount(t.db, { name: 'sup', role: 'supervisor', officeCodes: 'all', passwordHash: 'x' });
});
afterAll(async () => {
  await t.drop();
});

let books = 0;
/** One routed page of a new book stated as `year`, entries numbered 1… dated `dates`, every value accepted. */
async function bookWith(sql: Sql, year: number, dates: string[]): Promise<{ bookId: number; ids: number[] }> {
  const [office] = await sql.query<{ id: number }>(`select id from registry_office where code = 'HBT'`);
  const [book] = await sql.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from, year_to) values ($1, 'birth', $2, $3, $3) returning id`, [office!.id, `Y${++books}`, year]);
  const [upload] = await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'f.pdf', 'x', 1, 'test') returning id`, [book!.id]);
  const [page] = await sql.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, 0, 'p1', 'routed') returning id`, [book!.id, upload!.id]);
  const ids: number[] = [];
  for (const [i, date] of dates.entries()) {
    // extraction gives an entry dated outside the book's years the book's only year (src/extract/extract.ts)
    const [entry] = await sql.query<{ id: number }>(
      `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, $5, $6, 'birth') returning id`,
      [book!.id, page!.id, i, [page!.id], year, i + 1],
    );
    for (const [field, value] of Object.entries({ registrationDate: date, fullName: `Nguyễn Văn ${String.fromCharCode(65 + i)}`, entryNo: String(i + 1) })) {
      await sql.query(`insert into entry_field (entry_id, field, raw, value, confidence, status) values ($1, $2, $3, $3, 0.99, 'auto_accepted')`, [entry!.id, field, value]);
    }
    ids.push(entry!.id);
  }
  return { bookId: book!.id, ids };
}

const issuesOf = (bookId: number) => t.db.query<{ id: number; kind: string; entryId: number | null; detail: Record<string, unknown> }>(
  `select id, kind, entry_id as "entryId", detail from book_issue where book_id = $1 and status = 'open' order by kind, entry_id`, [bookId]);
const datesInReview = (ids: number[]) => t.db.query<{ n: number }>(
  `select count(*)::int as n from entry_field where entry_id = any($1) and field = 'registrationDate' and status = 'review'`, [ids]).then((r) => r[0]!.n);

describe('book years in doubt', () => {
  it('raises one issue when most dates agree on another year, and sends no date to a person for it', async () => {
    const { bookId, ids } = await bookWith(t.db, 1963, ['1962-01-05', '1962-01-09', '1962-02-11', '1962-02-20', '1968-03-01']);
    await checkBook(t.db, bookId);
    // 1968 is neither the book's stated year nor the year the others show: a date issue of its own
    expect((await issuesOf(bookId)).map((i) => [i.kind, i.entryId, i.detail])).toEqual([
      ['book_years_in_doubt', null, { yearFrom: 1962, yearTo: 1962 }],
      ['date_outside_book', ids[4], { registrationDate: '1968-03-01' }],
    ]);
    expect(await datesInReview(ids.slice(0, 4))).toBe(0);
  });

  it('keeps dates outside the years one by one when they scatter', async () => {
    const { bookId, ids } = await bookWith(t.db, 1962, ['1962-01-05', '1968-01-09', '1971-02-11', '1962-02-20']);
    await checkBook(t.db, bookId);
    expect((await issuesOf(bookId)).map((i) => [i.kind, i.entryId])).toEqual([['date_outside_book', ids[1]], ['date_outside_book', ids[2]]]);
  });

  it('takes the years a person confirms: the book’s new years judge its dates again', async () => {
    const { bookId, ids } = await bookWith(t.db, 1963, ['1962-01-05', '1962-01-09', '1962-02-11', '1962-02-20']);
    await checkBook(t.db, bookId);
    const [issue] = await issuesOf(bookId);
    expect(await settleBookYears(t.db, account, { issueId: issue!.id, yearFrom: 1962, yearTo: 1962, note: 'Bìa sổ ghi năm 1962.' })).toBe('resolved');
    expect(await issuesOf(bookId)).toEqual([]);
    const [book] = await t.db.query<{ yearFrom: number; yearTo: number }>(`select year_from as "yearFrom", year_to as "yearTo" from book where id = $1`, [bookId]);
    expect(book).toEqual({ yearFrom: 1962, yearTo: 1962 });
    const years = await t.db.query<{ year: number }>(`select year from entry where id = any($1) order by id`, [ids]);
    expect(years.map((y) => y.year)).toEqual([1962, 1962, 1962, 1962]);
  });

  it('leaves an undated entry no year outside the book’s new years, for the checks to give it its place’s', async () => {
    const { bookId, ids } = await bookWith(t.db, 1963, ['1962-01-05', '1962-01-09', 'ngày', '1962-02-11', '1962-02-20']);
    await checkBook(t.db, bookId);
    const [issue] = await issuesOf(bookId);
    expect(await settleBookYears(t.db, account, { issueId: issue!.id, yearFrom: 1961, yearTo: 1962, note: 'Bìa sổ ghi 1961–1962.' })).toBe('resolved');
    const years = await t.db.query<{ year: number | null }>(`select year from entry where id = any($1) order by id`, [ids]);
    expect(years.map((y) => y.year)).toEqual([1962, 1962, null, 1962, 1962]);
  });

  it('refuses the years of another book of that number, with its own code', async () => {
    const { bookId } = await bookWith(t.db, 1963, ['1962-01-05', '1962-01-09', '1962-02-11', '1962-02-20']);
    await checkBook(t.db, bookId);
    const [issue] = await issuesOf(bookId);
    await t.db.query(`insert into book (office_id, register_type, book_no, year_from, year_to) select office_id, register_type, book_no, 1962, 1962 from book where id = $1`, [bookId]);
    await expect(settleBookYears(t.db, account, { issueId: issue!.id, yearFrom: 1962, yearTo: 1962, note: 'Bìa sổ ghi năm 1962.' })).rejects.toMatchObject({ code: 'other_book_of_years' });
  });

  it('takes the book checks’ lock before it locks the issue or changes the entries', async () => {
    const { bookId } = await bookWith(t.db, 1963, ['1962-01-05', '1962-01-09', '1962-02-11', '1962-02-20']);
    await checkBook(t.db, bookId);
    const [issue] = await issuesOf(bookId);
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => { locked = resolve; });
    // a check of the book under way holds its lock
    const check = t.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(3, $1::int)', [bookId]);
      locked();
      await held;
    });
    await lockTaken;
    const settling = settleBookYears(t.db, account, { issueId: issue!.id, yearFrom: 1962, yearTo: 1962, note: 'Bìa sổ ghi năm 1962.' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // the issue is not held meanwhile (the check waiting on it while the settling waits on the check would deadlock)
    const free = await t.db.transaction((tx) => tx.query('select id from book_issue where id = $1 for update nowait', [issue!.id])).then(() => true, () => false);
    release();
    await check;
    expect(await settling).toBe('resolved');
    expect(free).toBe(true);
  });

  it('sends each date to a person once the book’s stated years are confirmed', async () => {
    const { bookId, ids } = await bookWith(t.db, 1963, ['1962-01-05', '1962-01-09', '1962-02-11', '1963-02-20']);
    await checkBook(t.db, bookId);
    const [issue] = await issuesOf(bookId);
    expect(issue!.kind).toBe('book_years_in_doubt');
    expect(await settleBookYears(t.db, account, { issueId: issue!.id, yearFrom: 1963, yearTo: 1963, note: 'Bìa sổ ghi năm 1963.' })).toBe('dismissed');
    expect((await issuesOf(bookId)).map((i) => [i.kind, i.entryId])).toEqual(ids.slice(0, 3).map((id) => ['date_outside_book', id]));
    expect(await datesInReview(ids)).toBe(3);
  });
});
