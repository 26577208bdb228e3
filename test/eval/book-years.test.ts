import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookTruthSchema, manifestBookSchema } from '../../schemas/corpus.ts';
import type { Sql } from '../../src/db/sql.ts';
import { checkBook } from '../../src/extract/book-checks.ts';
import { settleBookYearsToTruth } from '../../src/eval/book-years.ts';
import type { Corpus } from '../../src/eval/corpus.ts';
import { measureAfterReview } from '../../src/eval/match.ts';
import { collectExtraction, type ProcessedPage } from '../../src/eval/run.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * The eval's simulated verifier on a book whose stated years are wrong (the corpus fault `book_years_in_doubt`):
 * it gives the years the book's entries hold, so the entries are filed under their own year before the review
 * steps pair them with the truth by year.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.query(`insert into registry_office (code, name) values ('HBT', 'HBT')`);
});
afterAll(async () => {
  await t.drop();
});

/** One routed page of a book stated as `stated`, entries 1… dated `dates` and filed under `stated` (extraction's fallback). */
async function bookWith(sql: Sql, bookNo: string, stated: number, dates: string[], status = 'auto_accepted'): Promise<number> {
  const [office] = await sql.query<{ id: number }>(`select id from registry_office where code = 'HBT'`);
  const [book] = await sql.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from, year_to) values ($1, 'birth', $2, $3, $3) returning id`, [office!.id, bookNo, stated]);
  const [upload] = await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'p.png', $2, 1, 'test') returning id`, [book!.id, bookNo]);
  const [page] = await sql.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, 0, 'p1', 'routed') returning id`, [book!.id, upload!.id]);
  for (const [i, date] of dates.entries()) {
    const [entry] = await sql.query<{ id: number }>(
      `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, $5, $6, 'birth') returning id`,
      [book!.id, page!.id, i, [page!.id], stated, i + 1],
    );
    for (const [field, value] of Object.entries({ registrationDate: date, entryNo: String(i + 1) })) {
      await sql.query(`insert into entry_field (entry_id, field, raw, value, confidence, status) values ($1, $2, $3, $3, 0.99, $4)`, [entry!.id, field, value, field === 'entryNo' ? 'auto_accepted' : status]);
    }
  }
  await checkBook(sql, book!.id);
  return page!.id;
}

const corpusBook = (id: string, years: number[], statedYears: number[] | undefined, dates: string[]) => ({
  book: manifestBookSchema.parse({ id, registerType: 'birth', era: '2006-2015', office: 'HBT', bookNo: id, years, ...(statedYears ? { statedYears } : {}), files: [`${id}/p.png`] }),
  truth: bookTruthSchema.parse({
    pages: [{ index: 0, file: `${id}/p.png`, filePage: 0, lines: [] }],
    entries: dates.map((date, i) => ({ key: `${id}/${years[0]}/${i + 1}`, year: years[0], entryNo: i + 1, pages: [0], fields: { registrationDate: { value: date, page: 0, box: [0, 0, 1, 1] } } })),
    faults: statedYears ? [{ kind: 'book_years_in_doubt', years, stated: statedYears }] : [],
  }),
});

describe('settleBookYearsToTruth', () => {
  it('gives a book whose stated years are wrong the years its entries hold, and its entries their year', async () => {
    const dates = ['2010-01-05', '2010-02-09', '2010-03-11', '2010-04-20'];
    const wrongPage = await bookWith(t.db, 'W1', 2011, dates);
    const rightPage = await bookWith(t.db, 'R1', 2010, dates);
    const corpus: Corpus = {
      dir: '/nowhere', manifest: { version: 1, books: [] }, existing: [], links: { sameEvent: [] },
      books: [corpusBook('W1', [2010], [2011], dates), corpusBook('R1', [2010], undefined, dates)],
    };
    const pages = new Map([['W1/p.png#0', { pageId: wrongPage } as ProcessedPage], ['R1/p.png#0', { pageId: rightPage } as ProcessedPage]]);
    const before = await collectExtraction(t.db, corpus, pages);
    expect(before.issues.map((i) => [i.book, i.kind, i.detail])).toEqual([['W1', 'book_years_in_doubt', { yearFrom: 2010, yearTo: 2010 }]]);
    expect(new Set(before.entries.filter((e) => e.book === 'W1').map((e) => e.year))).toEqual(new Set([2011]));

    expect(await settleBookYearsToTruth(t.db, corpus, { pages })).toEqual({ resolved: 1, dismissed: 0, refused: {} });
    const after = await collectExtraction(t.db, corpus, pages);
    expect(new Set(after.entries.map((e) => e.year))).toEqual(new Set([2010]));
    // the settled issue stays on record (the fault it names was flagged), and nothing is left open to settle
    const statuses = await t.db.query<{ status: string }>(`select status from book_issue where kind = 'book_years_in_doubt'`);
    expect(statuses).toEqual([{ status: 'resolved' }]);
    expect(await settleBookYearsToTruth(t.db, corpus, { pages })).toEqual({ resolved: 0, dismissed: 0, refused: {} });
  });

  it('settles a book whose dates put its years in doubt only once review settled them (hand-written dates), before its links are named', async () => {
    const dates = ['1965-01-05', '1965-02-09', '1965-03-11', '1965-04-20'];
    const page = await bookWith(t.db, 'H1', 1955, dates, 'review');
    const corpus: Corpus = { dir: '/nowhere', manifest: { version: 1, books: [] }, existing: [], links: { sameEvent: [] }, books: [corpusBook('H1', [1965], [1955], dates)] };
    const pages = new Map([['H1/p.png#0', { pageId: page } as ProcessedPage]]);
    const before = await collectExtraction(t.db, corpus, pages);
    // the dates were not accepted: nothing tells the book's years are wrong before review
    expect(before.issues).toEqual([]);
    await measureAfterReview(t.db, corpus, { pages, seconds: 0, pageCount: 1, ...before });
    const after = await collectExtraction(t.db, corpus, pages);
    expect(new Set(after.entries.map((e) => e.year))).toEqual(new Set([1965]));
    expect(after.issues.map((i) => [i.kind, i.detail])).toEqual([['book_years_in_doubt', { yearFrom: 1965, yearTo: 1965 }]]);
  });
});
