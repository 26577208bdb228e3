import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import { checkBook } from '../../src/extract/book-checks.ts';
import type { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

const SCAN = new URL('../fixtures/files/pdf-jpeg-scans-2-pages.pdf', import.meta.url);

/** A rescan or a page found late, uploaded into a book that has its pages: placed by its entry numbers, not last. */
describe('pages uploaded late into a book', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let lan: Browser;
  let book: number;
  let otherOffice: number;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    book = await ensureBook(p.services.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'death', bookNo: '07', yearFrom: 1990 });
    otherOffice = await ensureBook(p.services.db, { officeCode: 'BD', officeName: 'Quận Ba Đình', registerType: 'birth', bookNo: '03', yearFrom: 1990 });
    await addAccount(p.services.db, 'lan', 'staff', ['HBT']);
    lan = (await signIn(app, 'lan')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('are offered from the book page, which opens the upload form on that book with its pages placed by their numbers', async () => {
    const bookPage = await as(app, lan, { url: `/books/${book}` });
    expect(bookPage.body).toContain(`<a class="upload-more" href="/upload?book=${book}">Tải thêm trang vào sổ này</a>`);
    const form = (await as(app, lan, { url: `/upload?book=${book}` })).body;
    expect(form).toMatch(/<option value="HBT" selected>/);
    expect(form).toMatch(/<option value="death" selected>/);
    expect(form).toContain('name="bookNo" required size="6" list="known-books" autocomplete="off" value="07"');
    expect(form).toContain('value="1990"');
    expect(form).toMatch(/<input type="checkbox" name="placeByNumbers" checked> Trang quét lại hoặc trang bổ sung/);
    // without a book, or with one of an office the person does not work for, nothing is chosen
    for (const url of ['/upload', `/upload?book=${otherOffice}`, '/upload?book=x']) {
      const plain = (await as(app, lan, { url })).body;
      expect(plain, url).toMatch(/<input type="checkbox" name="placeByNumbers">/);
      expect(plain, url).not.toContain(' selected>');
      expect(plain, url).not.toContain('value="03"');
    }
  });

  it('records the choice with the upload, through a resumed transfer too', async () => {
    // a book of several years keeps its last year when files are delivered into it by its first
    await p.services.db.query('update book set year_to = 1992 where id = $1', [book]);
    const bytes = await readFile(SCAN);
    const target = { office: 'HBT', registerType: 'death', bookNo: '07', year: 1990, fileName: 'trang-quet-lai.pdf', bytes: bytes.length };
    const started = (await as(app, lan, { method: 'POST', url: '/upload/transfers', payload: { ...target, placeByNumbers: true } })).json();
    expect(started.bookId).toBe(book);
    await as(app, lan, { method: 'PUT', url: `/upload/transfers/${started.id}?offset=0`, payload: bytes as unknown as string, headers: { 'content-type': 'application/octet-stream' } });
    const done = (await as(app, lan, { method: 'POST', url: `/upload/transfers/${started.id}/finish`, payload: {} })).json();
    const [late] = await p.services.db.query<{ placeByNumbers: boolean }>(`select place_by_numbers as "placeByNumbers" from upload where id = $1`, [done.uploadId]);
    expect(late).toEqual({ placeByNumbers: true });
    // an ordinary delivery is not
    const plain = (await as(app, lan, { method: 'POST', url: '/upload/transfers', payload: { ...target, fileName: 'so.pdf', bytes: 3 } })).json();
    await as(app, lan, { method: 'PUT', url: `/upload/transfers/${plain.id}?offset=0`, payload: Buffer.from('abc') as unknown as string, headers: { 'content-type': 'application/octet-stream' } });
    const plainDone = (await as(app, lan, { method: 'POST', url: `/upload/transfers/${plain.id}/finish`, payload: {} })).json();
    const [ordinary] = await p.services.db.query<{ placeByNumbers: boolean }>(`select place_by_numbers as "placeByNumbers" from upload where id = $1`, [plainDone.uploadId]);
    expect(ordinary).toEqual({ placeByNumbers: false });
    expect(await p.services.db.query('select year_from as "from", year_to as "to" from book where id = $1', [book])).toEqual([{ from: 1990, to: 1992 }]);
  });

  it('are read where their entry numbers go: the page the book missed is found, a rescan of a page it has stays last', async () => {
    const sql = p.services.db;
    const [office] = await sql.query<{ id: number }>(`select id from registry_office where code = 'HBT'`);
    const [b] = await sql.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from) values ($1, 'birth', '21', 1990) returning id`, [office!.id]);
    const upload = async (seq: number, late: boolean) =>
      (await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by, place_by_numbers) values ($1, $2, $3, $4, 1, 't', $5) returning id`,
        [b!.id, seq, `tep-${seq}.pdf`, `sha-${seq}`, late]))[0]!.id;
    const pages: number[] = [];
    const addPage = async (uploadId: number, index: number, numbers: number[]) => {
      const [pg] = await sql.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, $3, $4, 'routed') returning id`, [b!.id, uploadId, index, `p${pages.length + 1}`]);
      pages.push(pg!.id);
      for (const [seq, entryNo] of numbers.entries()) {
        const [e] = await sql.query<{ id: number }>(
          `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, 1990, $5, 'birth') returning id`, [b!.id, pg!.id, seq, [pg!.id], entryNo]);
        await sql.query(`insert into entry_field (entry_id, field, raw, value, confidence, status) values ($1, 'entryNo', $2, $2, 0.99, 'auto_accepted')`, [e!.id, String(entryNo)]);
      }
    };
    // the book in one file, a page missing (5–8); then that page rescanned and uploaded late, and a second scan of page 1
    const file = await upload(1, false);
    await addPage(file, 0, [1, 2, 3, 4]);
    await addPage(file, 1, [9, 10, 11, 12]);
    const late = await upload(2, true);
    await addPage(late, 0, [5, 6, 7, 8]);
    await addPage(late, 1, [1, 2, 3, 4]);
    await checkBook(sql, b!.id);
    const order = await sql.query<{ id: number }>(`select id from page where book_id = $1 order by page_place(id)`, [b!.id]);
    expect(order.map((o) => o.id)).toEqual([pages[0], pages[2], pages[1], pages[3]]);
    const issues = await sql.query<{ kind: string }>(`select kind from book_issue where book_id = $1 and status = 'open'`, [b!.id]);
    expect(issues.map((i) => i.kind)).not.toContain('entry_gap');
  });
});
