import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERIFIED_ENTRY_SQL } from '../../src/api/records.ts';
import { checkBook } from '../../src/extract/book-checks.ts';
import { findMisfiledPages } from '../../src/extract/misfiled.ts';
import { bookNumberKey } from '../../src/text/book-no.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { seedEntry } from '../http/review-seed.ts';

const page = (pageId: number, ...read: (string | null)[]) => read.map((bookNoRead) => ({ pageId, bookNoRead }));

describe('pages of another book', () => {
  it('names a page whose entries all read one other book number', () => {
    const readings = [...page(1, '01/2008', '01/2008'), ...page(2, '02/2008', '02/2008', null), ...page(3, '01/2008', '1/2008')];
    expect(findMisfiledPages(readings, '01')).toEqual([{ pageId: 2, read: '02/2008' }]);
    // the archive's own form of the number: leading zeros, a year or a register's letters after it
    expect(findMisfiledPages(readings, '1/KS')).toEqual([{ pageId: 2, read: '02/2008' }]);
    expect([bookNumberKey('007/2010'), bookNumberKey(' 12'), bookNumberKey('KS/01'), bookNumberKey(null)]).toEqual(['7', '12', null, null]);
  });

  it('names no page for one misread entry, a page that also reads its own book, or a number misread on every page', () => {
    expect(findMisfiledPages([...page(1, '01', '01'), ...page(2, '07', '01'), ...page(3, '07')], '01')).toEqual([]);
    // a typewriter's 1 read as 4 everywhere: the book's own number is not what its pages say most, so nothing is named
    expect(findMisfiledPages([...page(1, '04', '04'), ...page(2, '04', '04'), ...page(3, '01', '01')], '01')).toEqual([]);
    expect(findMisfiledPages(page(1, '02', '02'), 'quyển A')).toEqual([]);
  });

  describe('in the book checks', () => {
    let t: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      t = await createTestDatabase();
      dir = await mkdtemp(join(tmpdir(), 'civreg-misfiled-'));
    });
    afterAll(async () => {
      await t.drop();
      await rm(dir, { recursive: true, force: true });
    });

    it("raises the page of another book, and keeps its entries out of this book's numbering", async () => {
      const blobs = createLocalBlobStore(dir);
      // book 05, two entries a page; the third page is book 06's, its entries numbered 41 and 42
      const layout = [[1, 2, '05/2009'], [3, 4, '05/2009'], [41, 42, '06/2009'], [5, 6, '05/2009']] as const;
      const pages: number[] = [];
      for (const [first, second, read] of layout) {
        const seed = (entryNo: number) => seedEntry(t.db, blobs, { bookNo: '05', entryNo, fields: [{ field: 'entryNo', value: String(entryNo) }] });
        const one = await seed(first);
        const two = await seed(second);
        // the second entry moves onto the first one's page
        await t.db.query('update entry set page_id = $2, page_ids = array[$2::bigint], seq = 1 where id = $1', [two.entryId, one.pageId]);
        await t.db.query('update entry_field set page_id = $2 where entry_id = $1', [two.entryId, one.pageId]);
        await t.db.query('delete from page where id = $1', [two.pageId]);
        await t.db.query('update entry set book_no_read = $2 where id = any($1)', [[one.entryId, two.entryId], read]);
        pages.push(one.pageId);
      }
      const bookId = (await t.db.query<{ id: number }>(`select id from book where book_no = '05'`))[0]!.id;
      await checkBook(t.db, bookId);
      const issues = await t.db.query<{ kind: string; pageId: number; detail: Record<string, unknown> }>(`select kind, page_id::int as "pageId", detail from book_issue order by id`);
      expect(issues).toEqual([{ kind: 'page_of_other_book', pageId: pages[2], detail: { read: '06/2009' } }]);
      // its entries are not served as this book's records until a person says the page is this book's
      const served = () => t.db.query<{ n: number }>(`select e.entry_no as n from entry e where e.book_id = $1 and ${VERIFIED_ENTRY_SQL} order by e.entry_no`, [bookId]);
      expect((await served()).map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6]);
      await t.db.query(`update book_issue set status = 'dismissed' where kind = 'page_of_other_book'`);
      expect((await served()).map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 41, 42]);
    });
  });
});
