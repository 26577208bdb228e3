import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import { checkBook } from '../../src/extract/book-checks.ts';
import { issueText as issueTextFor } from '../../src/http/books-page.ts';
import type { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry, seedUnreadPage } from './review-seed.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

/** An issue's text as a person who may key entries reads it. */
const issueText = (issue: Parameters<typeof issueTextFor>[0]) => issueTextFor(issue, true);

describe('settling a book issue', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let lan: Browser;
  let issueId: number;
  let seeded: Awaited<ReturnType<typeof seedEntry>>;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 12, fields: [{ field: 'fullName', value: 'Lê Thị Mai' }] });
    [{ id: issueId }] = await p.services.db.query<{ id: number }>(
      `insert into book_issue (book_id, kind, year, page_id, entry_id, detail) values ($1, 'struck_entry', 1962, $2, $3, '{}') returning id`,
      [seeded.bookId, seeded.pageId, seeded.entryId],
    ) as [{ id: number }];
    await addAccount(p.services.db, 'lan', 'staff', ['HBT']);
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    await ensureBook(p.services.db, { officeCode: 'BD', officeName: 'Quận Ba Đình', registerType: 'birth', bookNo: '07', yearFrom: 1970 });
    await addAccount(p.services.db, 'minh', 'staff', ['BD']);
    lan = (await signIn(app, 'lan')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const settle = (s: Browser, form: Record<string, string>) =>
    as(app, s, { method: 'POST', url: `/book-issues/${issueId}`, payload: new URLSearchParams({ _csrf: s.csrf!, ...form }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null });

  it('links each open issue of the dashboard to its own page with the settling form', async () => {
    const book = (await as(app, lan, { url: `/books/${seeded.bookId}` })).body;
    expect(book).toContain(`<a href="/book-issues/${issueId}" class="handle">Xử lý</a>`);
    const page = (await as(app, lan, { url: `/book-issues/${issueId}` })).body;
    expect(page).toContain('Mục bị gạch bỏ. Năm 1962. Mục số 12.');
    expect(page).toContain(`href="/entries/${seeded.entryId}"`);
    expect(page).toContain('name="outcome" value="dismissed"');
    // which book, in full, and the page itself beside the issue
    expect(page).toContain('<h1>Vấn đề của sổ Khai sinh · quyển 01 · Quận Hai Bà Trưng</h1>');
    expect(page).toContain(`<img src="/pages/${seeded.pageId}/image"`);
  });

  it('says what each issue found: the page a second scan repeats, where a page was lost, the date read', () => {
    const at = { year: 2012, pageId: 7, entryNo: 40, ofPageLabel: null };
    expect(issueText({ ...at, kind: 'duplicate_page', year: null, entryNo: null, detail: { of: 3 }, ofPageLabel: 'trang 3' })).toBe('Trang được quét hai lần. Trùng với trang 3.');
    expect(issueText({ ...at, kind: 'missing_page', detail: { after: 31, before: 40 } })).toBe('Có thể thiếu trang. Năm 2012. Mục số 40. Giữa mục số 31 và mục số 40.');
    expect(issueText({ ...at, kind: 'missing_page', year: null, entryNo: null, detail: { afterPage: 14, beforePage: 16 } })).toBe('Có thể thiếu trang. Số trang in nhảy từ 14 đến 16.');
    expect(issueText({ ...at, kind: 'entry_order', detail: { after: 52, entryNo: 40 } })).toContain('Đứng sau mục số 52.');
    expect(issueText({ ...at, kind: 'date_outside_book', detail: { registrationDate: '2018-01-21' } })).toContain('Ngày đăng ký đọc được: 21/01/2018.');
    expect(issueText({ ...at, kind: 'book_years_in_doubt', year: null, entryNo: null, detail: { yearFrom: 2010, yearTo: 2011 } })).toMatch(/^Năm của sổ có thể sai.*Các mục ghi năm 2010–2011\.$/);
    // an entry whose number was not read is named by its place on its page
    expect(issueText({ ...at, kind: 'struck_entry', entryNo: null, entrySeq: 2, detail: { entryNo: null } })).toBe('Mục bị gạch bỏ. Năm 2012. Mục thứ 3 trên trang (chưa đọc được số thứ tự).');
    // numbers missing beside rows whose numbers were not read: how many, among which, and that it may be a misreading
    expect(issueText({ ...at, kind: 'entry_gap', entryNo: 279, detail: { after: 275, missing: [276, 277, 278], count: 2, notRead: 1 } })).toBe(
      'Số thứ tự bị nhảy (thiếu số). Năm 2012. Mục số 279. Thiếu 2 số trong các số 276, 277, 278, sau mục số 275: 1 mục ở giữa máy chưa đọc được số thứ tự, có thể máy đọc sai chứ không phải sổ thiếu số. Hãy đọc số của các mục đó trên trang.');
    // a struck entry among them, its number read where it cannot be (4, struck "2", 8): one of 5–7 is its, which one
    // unknown, but the count missing is sure: nothing to read again
    expect(issueText({ ...at, kind: 'entry_gap', entryNo: 8, detail: { after: 4, missing: [5, 6, 7], count: 2, notRead: 1, struck: 1 } })).toContain(
      'Thiếu 2 số trong các số 5, 6, 7, sau mục số 4: 1 mục ở giữa bị gạch bỏ, không biết mục đó mang số nào trong các số này.');
    // beside a struck row and one not read, a person reads the numbers
    expect(issueText({ ...at, kind: 'entry_gap', entryNo: 9, detail: { after: 4, missing: [5, 6, 7, 8], count: 2, notRead: 2, struck: 1 } })).toContain(
      '2 mục ở giữa máy chưa đọc được số thứ tự (1 mục bị gạch bỏ), có thể máy đọc sai');
    expect(issueText({ ...at, kind: 'entry_gap', entryNo: 44, detail: { after: 41, missing: [42, 43] } })).toBe('Số thứ tự bị nhảy (thiếu số). Năm 2012. Mục số 44. Thiếu số: 42, 43.');
    expect(issueText({ ...at, kind: 'entry_gap', entryNo: 38, detail: { after: 35, missing: [36, 37], numberUnsure: true } })).toBe(
      'Số thứ tự bị nhảy (thiếu số). Năm 2012. Mục số 38. Thiếu số: 36, 37. Số thứ tự bên cạnh chỗ nhảy số do máy đọc chưa chắc chắn: có thể máy đọc sai chứ không phải sổ thiếu số.');
    expect(issueText({ ...at, kind: 'missing_page', entryNo: 28, detail: { after: 25, before: 28, numberUnsure: true } })).toContain('Giữa mục số 25 và mục số 28. Số thứ tự bên cạnh chỗ nhảy số do máy đọc chưa chắc chắn');
  });

  it('refuses people of other offices or roles, and a settling without a note', async () => {
    const minh = (await signIn(app, 'minh')).session;
    expect((await as(app, minh, { url: `/book-issues/${issueId}` })).statusCode).toBe(403);
    expect((await settle(minh, { outcome: 'dismissed', note: 'không phải lỗi' })).statusCode).toBe(403);
    const hoa = (await signIn(app, 'hoa')).session;
    expect((await settle(hoa, { outcome: 'dismissed', note: 'không phải lỗi' })).statusCode).toBe(403);
    const noNote = await settle(lan, { outcome: 'dismissed', note: '  ' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toContain('Hãy ghi chú');
    // the issue's page again, not a bare error page: what was typed is kept, the refusal beside the note
    expect(noNote.body).toContain('Mục bị gạch bỏ. Năm 1962. Mục số 12.');
    expect(noNote.body).toMatch(/<textarea name="note"[^>]*aria-invalid="true"[^>]*>  <\/textarea><small class="field-error"[^>]*data-field="note">Hãy ghi chú/);
    expect(noNote.body).toContain('<p class="error" role="alert" id="refusal" data-code="bad_request">');
    const badOutcome = await settle(lan, { outcome: 'deleted', note: 'xóa vấn đề này' });
    expect(badOutcome.body).toContain('>xóa vấn đề này</textarea>');
    expect((await settle(lan, { outcome: 'deleted', note: 'xóa vấn đề này' })).statusCode).toBe(400);
    const [issue] = await p.services.db.query(`select status from book_issue where id = $1`, [issueId]);
    expect(issue).toEqual({ status: 'open' });
  });

  it('shows the book-years form again as typed when its years are refused', async () => {
    const [years] = await p.services.db.query<{ id: number }>(
      `insert into book_issue (book_id, kind, detail) values ($1, 'book_years_in_doubt', '{"yearFrom": 2010, "yearTo": 2011}') returning id`, [seeded.bookId]);
    const refused = await as(app, lan, {
      method: 'POST', url: `/book-issues/${years!.id}/years`, csrf: null,
      payload: new URLSearchParams({ _csrf: lan.csrf!, yearFrom: '2012', yearTo: '2011', note: 'Bìa sổ ghi 2011–2012' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toMatch(/name="yearFrom" required inputmode="numeric" value="2012" aria-invalid="true"[^>]*><small class="field-error"[^>]*data-field="yearFrom">Năm của sổ nằm trong khoảng/);
    expect(refused.body).toContain('>Bìa sổ ghi 2011–2012</textarea>');
    await p.services.db.query('delete from book_issue where id = $1', [years!.id]);
  });

  it('tells staff to settle a book’s years themselves, and refuses years another book of that number starts with', async () => {
    const db = p.services.db;
    const [years] = await db.query<{ id: number }>(
      `insert into book_issue (book_id, kind, detail) values ($1, 'book_years_in_doubt', '{"yearFrom": 1960, "yearTo": 1961}') returning id`, [seeded.bookId]);
    const page = (await as(app, lan, { url: `/book-issues/${years!.id}` })).body;
    expect(page).not.toContain('Giám sát viên xử lý vấn đề này.');
    expect(page).toContain('Xem bìa sổ rồi xác nhận năm của sổ ở mẫu dưới đây.');
    // the office's other book 01 starts in 1960: this one cannot take its years
    await ensureBook(db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1960 });
    const refused = await as(app, lan, {
      method: 'POST', url: `/book-issues/${years!.id}/years`, csrf: null,
      payload: new URLSearchParams({ _csrf: lan.csrf!, yearFrom: '1960', yearTo: '1961', note: 'Bìa sổ ghi 1960–1961' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Cơ quan đã có một sổ cùng loại, cùng quyển số bắt đầu từ năm này');
    expect(refused.body).toContain('>Bìa sổ ghi 1960–1961</textarea>');
    const json = await as(app, lan, {
      method: 'POST', url: `/book-issues/${years!.id}/years`, csrf: null,
      payload: new URLSearchParams({ _csrf: lan.csrf!, yearFrom: '1960', yearTo: '1961', note: 'Bìa sổ ghi 1960–1961' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    });
    expect(json.json()).toMatchObject({ error: 'book_of_years_exists' });
    expect((await db.query(`select status from book_issue where id = $1`, [years!.id]))[0]).toEqual({ status: 'open' });
    await db.query('delete from book_issue where id = $1', [years!.id]);
  });

  it('dismisses it with the note and who did it, audited without the note, once', async () => {
    const done = await settle(lan, { outcome: 'dismissed', note: 'Vết mực loang, mục không bị gạch' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/book-issues/${issueId}`);
    const [issue] = await p.services.db.query<{ status: string; handled_note: string; name: string }>(
      `select i.status, i.handled_note, a.name from book_issue i join account a on a.id = i.handled_by where i.id = $1`, [issueId]);
    expect(issue).toEqual({ status: 'dismissed', handled_note: 'Vết mực loang, mục không bị gạch', name: 'lan' });
    const audit = await p.services.db.query<{ actor: string; detail: Record<string, unknown> }>(`select actor, detail from audit_event where action = 'book_issue_dismissed'`);
    expect(audit).toEqual([{ actor: 'lan', detail: { kind: 'struck_entry' } }]);
    expect((await settle(lan, { outcome: 'resolved', note: 'bấm lại lần nữa' })).statusCode).toBe(409);
    const book = (await as(app, lan, { url: `/books/${seeded.bookId}` })).body;
    expect(book).not.toContain(`<a href="/book-issues/${issueId}" class="handle">`);
    expect(book).toMatch(new RegExp(`<summary>Vấn đề đã xử lý \\(1\\)</summary>.*Mục bị gạch bỏ\\. Năm 1962\\. Mục số 12\\. <a href="/book-issues/${issueId}">Không phải lỗi của sổ</a> · lan · \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d`, 's'));
    const page = (await as(app, lan, { url: `/book-issues/${issueId}` })).body;
    expect(page).toContain('Không phải lỗi của sổ · lan');
    expect(page).toContain('Ghi chú: Vết mực loang, mục không bị gạch');
    expect(page).not.toContain('<form method="post" action="/book-issues');
  });

  it('dismissing a struck-entry issue makes the entry an entry again, its fields sent to review, and says so', async () => {
    const db = p.services.db;
    const struck = await seedEntry(db, p.services.blobs, { bookNo: '55', entryNo: 4, fields: [{ field: 'fullName', value: 'Trần Văn Bình' }, { field: 'birthDate', value: '1962-01-02' }] });
    await db.query(`update entry set struck = true, status = 'struck' where id = $1`, [struck.entryId]);
    await db.query(`update entry_field set status = 'pending' where entry_id = $1`, [struck.entryId]);
    const [{ id }] = await db.query<{ id: number }>(
      `insert into book_issue (book_id, kind, year, page_id, entry_id, detail) values ($1, 'struck_entry', 1962, $2, $3, '{}') returning id`,
      [struck.bookId, struck.pageId, struck.entryId]) as [{ id: number }];
    const done = await as(app, lan, { method: 'POST', url: `/book-issues/${id}`, csrf: null,
      payload: new URLSearchParams({ _csrf: lan.csrf!, outcome: 'dismissed', note: 'Vết mực loang, mục không bị gạch' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
    expect([done.statusCode, done.headers.location]).toEqual([303, `/book-issues/${id}`]);
    expect(await db.query(`select struck, status from entry where id = $1`, [struck.entryId])).toEqual([{ struck: false, status: 'needs_review' }]);
    expect(await db.query(`select field, status, reasons from entry_field where entry_id = $1 order by field`, [struck.entryId])).toEqual([
      { field: 'birthDate', status: 'review', reasons: ['struck_dismissed'] },
      { field: 'fullName', status: 'review', reasons: ['struck_dismissed'] },
    ]);
    expect(await db.query(`select field from review_item where entry_id = $1 and status = 'open' order by field`, [struck.entryId])).toEqual([{ field: 'birthDate' }, { field: 'fullName' }]);
    const audit = await db.query(`select detail from audit_event where action = 'book_issue_dismissed' and object_id = $1`, [String(id)]);
    expect(audit).toEqual([{ detail: { kind: 'struck_entry', fieldsToReview: 2 } }]);
    const page = (await as(app, lan, { url: `/book-issues/${id}` })).body;
    expect(page).toContain('<p class="ok" id="entry-restored">Mục đăng ký này không còn bị coi là gạch bỏ: mục được giữ lại trong sổ và 2 trường của mục đang chờ người kiểm tra đối chiếu với ảnh (giá trị máy đọc).</p>');
  });

  it('keeps an open issue’s id across checks of the book; put right but still found, it comes back; dismissed, it does not', async () => {
    const { bookId } = await seedUnreadPage(p.services.db, p.services.blobs, { bookNo: '40' });
    const check = () => p.services.db.transaction((tx) => checkBook(tx, bookId));
    const open = () => p.services.db.query<{ id: number; kind: string }>(`select id, kind from book_issue where book_id = $1 and status = 'open' order by id`, [bookId]);
    await check();
    const first = await open();
    expect(first.length).toBeGreaterThan(0);
    await check();
    expect(await open()).toEqual(first);
    const [issue] = first;
    const settleThis = (outcome: string) => as(app, lan, {
      method: 'POST', url: `/book-issues/${issue!.id}`, payload: new URLSearchParams({ _csrf: lan.csrf!, outcome, note: 'Đã quét lại trang' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null });
    expect((await settleThis('resolved')).statusCode).toBe(303);
    await check();
    const again = await open();
    expect(again.map((i) => i.kind)).toEqual(first.map((i) => i.kind));
    expect(again.map((i) => i.id)).not.toContain(issue!.id);
    const [back] = again.filter((i) => i.kind === issue!.kind);
    await p.services.db.query(`update book_issue set status = 'dismissed' where id = $1`, [back!.id]);
    await check();
    expect((await open()).map((i) => i.kind)).toEqual(first.slice(1).map((i) => i.kind));
  });

  it('names an entry whose number was not read by its place on its page in the book’s entries table, not by its id', async () => {
    const { bookId, pageIds } = await seedUnreadPage(p.services.db, p.services.blobs, { bookNo: '41' });
    const [unread] = await p.services.db.query<{ id: number }>(
      `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type, era, template, status)
       values ($1, $2, 2, array[$2::bigint], 2012, null, 'birth', '2006-2015', 'birth/2006-2015', 'needs_review') returning id`, [bookId, pageIds[0]]);
    const book = (await as(app, lan, { url: `/books/${bookId}` })).body;
    const table = book.match(/<section id="book-entries">[\s\S]*?<\/section>/)?.[0] ?? '';
    const cell = table.match(new RegExp(`<a href="/entries/${unread!.id}">(.*?)</a>`))?.[1] ?? '';
    expect(cell).toContain('— (mục 3, trang 1)');
    expect(cell).toContain('title="Mục thứ 3 trên trang 1 (chưa đọc được số thứ tự)"');
    expect(table).not.toContain(`#${unread!.id}`);
    // entries whose numbers were read keep them
    expect(table).toMatch(/<a href="\/entries\/\d+">5<\/a>/);
  });
});
