import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import { onPageSetAsideSql } from '../../src/extract/rescans.ts';
import type { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry } from './review-seed.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

/** A page whose entries read another book's number is moved, from its issue's page, into the book it belongs to. */
describe('moving a page filed into the wrong book', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let lan: Browser;
  let issueId: number;
  let ownBook: number;
  let otherOffice: number;
  let seeded: Awaited<ReturnType<typeof seedEntry>>;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    const db = p.services.db;
    seeded = await seedEntry(db, p.services.blobs, { bookNo: '01', entryNo: 12, fields: [{ field: 'fullName', value: 'Lê Thị Mai' }] });
    await ensureBook(db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'death', bookNo: '03', yearFrom: 1962 });
    ownBook = await ensureBook(db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '03', yearFrom: 1962 });
    otherOffice = await ensureBook(db, { officeCode: 'BD', officeName: 'Quận Ba Đình', registerType: 'birth', bookNo: '03', yearFrom: 1962 });
    [{ id: issueId }] = await db.query<{ id: number }>(
      `insert into book_issue (book_id, kind, page_id, detail) values ($1, 'page_of_other_book', $2, '{"read": "03/1962"}') returning id`,
      [seeded.bookId, seeded.pageId],
    ) as [{ id: number }];
    await addAccount(db, 'lan', 'staff', ['HBT']);
    lan = (await signIn(app, 'lan')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const move = (form: Record<string, string>) =>
    as(app, lan, { method: 'POST', url: `/book-issues/${issueId}/move`, payload: new URLSearchParams({ _csrf: lan.csrf!, ...form }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null });
  const setAside = async () => (await p.services.db.query<{ aside: boolean }>(`select ${onPageSetAsideSql('e')} as aside from entry e where e.id = $1`, [seeded.entryId]))[0]!.aside;

  it('offers the office’s book whose number the page reads, of the same register, first and chosen', async () => {
    const page = (await as(app, lan, { url: `/book-issues/${issueId}` })).body;
    expect(page).toContain(`action="/book-issues/${issueId}/move"`);
    expect(page).toMatch(new RegExp(`<select name="targetBookId" required><option value="">— chọn sổ —</option><optgroup label="Khai sinh"><option value="${ownBook}" selected>quyển 03 \\(1962\\)</option></optgroup><optgroup label="Khai tử"><option value="\\d+">quyển 03 \\(1962\\)</option></optgroup></select>`));
    expect(page).not.toContain(`value="${otherOffice}"`);
    // moving is how it is put right: no "put right" button that would leave the page's entries set aside
    expect(page).toContain('name="outcome" value="dismissed"');
    expect(page).not.toContain('name="outcome" value="resolved"');
    expect(await setAside()).toBe(true);
  });

  it('chooses no book when none has the number the page reads, and says which was looked for', async () => {
    const [other] = await p.services.db.query<{ id: number }>(
      `insert into book_issue (book_id, kind, page_id, detail) values ($1, 'page_of_other_book', $2, '{"read": "07"}') returning id`, [seeded.bookId, seeded.pageId]);
    const page = (await as(app, lan, { url: `/book-issues/${other!.id}` })).body;
    expect(page).toContain('Cơ quan chưa có quyển 07 của loại sổ này');
    expect(page).toContain('<option value="" selected>— chọn sổ —</option>');
    expect(page).not.toMatch(/<option value="\d+" selected>/);
    await p.services.db.query('delete from book_issue where id = $1', [other!.id]);
  });

  it('refuses a book of an office the person does not cover, and a move without a note', async () => {
    expect((await move({ targetBookId: String(otherOffice), note: 'trang của quyển 03' })).statusCode).toBe(403);
    const noNote = await move({ targetBookId: String(ownBook), note: ' ' });
    expect(noNote.statusCode).toBe(400);
    // the form again: the book chosen stays chosen, the refusal is beside the note
    expect(noNote.body).toContain(`<option value="${ownBook}" selected>`);
    expect(noNote.body).toMatch(/<textarea name="note"[^>]*aria-invalid="true"[^>]*> <\/textarea><small class="field-error"[^>]*data-field="note">Hãy ghi chú vì sao chuyển trang/);
    const sameBook = await move({ targetBookId: String(seeded.bookId), note: 'trang của quyển 03' });
    expect(sameBook.statusCode).toBe(400);
    expect(sameBook.body).toContain('>trang của quyển 03</textarea>');
    expect(sameBook.body).toContain('data-field="targetBookId"');
    const [page] = await p.services.db.query<{ bookId: number }>('select book_id as "bookId" from page where id = $1', [seeded.pageId]);
    expect(page!.bookId).toBe(seeded.bookId);
  });

  it('moves the page and its entries into that book as its latest delivery, to be read again there, and resolves the issue', async () => {
    const db = p.services.db;
    // a person confirmed a value of the seeded entry; a second entry of the page is the machine's alone
    await db.query(`update entry_field set status = 'verified', source = 'verifier' where entry_id = $1`, [seeded.entryId]);
    const [{ id: machineOnly }] = (await db.query<{ id: number }>(
      `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type, status) select book_id, page_id, 1, page_ids, year, 13, register_type, 'extracted' from entry where id = $1 returning id`,
      [seeded.entryId])) as [{ id: number }];
    const done = await move({ targetBookId: String(ownBook), note: 'Trang của quyển 03 bị tải nhầm' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/books/${ownBook}?at=${seeded.pageId}#page-${seeded.pageId}`);
    const [page] = await db.query<{ bookId: number; uploadBook: number; seq: number; pageCount: number; uploadedBy: string }>(
      `select p.book_id as "bookId", u.book_id as "uploadBook", u.seq, u.page_count as "pageCount", u.uploaded_by as "uploadedBy"
         from page p join upload u on u.id = p.upload_id where p.id = $1`, [seeded.pageId]);
    expect(page).toEqual({ bookId: ownBook, uploadBook: ownBook, seq: 1, pageCount: 1, uploadedBy: 'lan' });
    // read again with its new book's form: the machine's entries go, an entry a person set a value of stays, now the
    // new book's and no longer set aside (its issue stays in the book it left); the checks wait for the page
    expect(await db.query('select 1 from entry where id = $1', [machineOnly])).toEqual([]);
    const [entry] = await db.query<{ bookId: number; registerType: string }>('select book_id as "bookId", register_type as "registerType" from entry where id = $1', [seeded.entryId]);
    expect(entry).toEqual({ bookId: ownBook, registerType: 'birth' });
    expect(await setAside()).toBe(false);
    const [status] = await db.query<{ status: string; placeByNumbers: boolean }>('select status, place_by_numbers as "placeByNumbers" from page where id = $1', [seeded.pageId]);
    // the book checks place it where its entry numbers go once it is read again (test/extract/page-place.test.ts)
    expect(status).toEqual({ status: 'ocr_done', placeByNumbers: true });
    const [issue] = await db.query<{ status: string; note: string }>('select status, handled_note as note from book_issue where id = $1', [issueId]);
    expect(issue).toEqual({ status: 'resolved', note: 'Trang của quyển 03 bị tải nhầm' });
    const jobs = await db.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'extract' and (data->>'pageId')::bigint = $1`, [seeded.pageId]);
    expect(jobs[0]!.n).toBe(1);
    const audit = await db.query<{ actor: string; detail: Record<string, unknown> }>(`select actor, detail from audit_event where action = 'page_moved'`);
    expect(audit).toEqual([{ actor: 'lan', detail: { from: seeded.bookId, to: ownBook, issue: issueId } }]);
    // once moved, the issue is settled: no second move
    expect((await move({ targetBookId: String(ownBook), note: 'bấm lại lần nữa' })).statusCode).toBe(409);
  });
});
