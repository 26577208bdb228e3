import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook, listBookSummaries } from '../../src/db/books.ts';
import type { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry } from './review-seed.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

describe('a page held for a rescan, read anyway', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let lan: Browser;
  let minh: Browser;
  let seeded: Awaited<ReturnType<typeof seedEntry>>;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 3, fields: [{ field: 'fullName', value: 'Lê Thị Mai' }] });
    await p.services.db.query(`update page set status = 'needs_rescan', reason = 'low_resolution', rescan_reasons = '{low_resolution,blurred}' where id = $1`, [seeded.pageId]);
    await addAccount(p.services.db, 'lan', 'staff', ['HBT']);
    await ensureBook(p.services.db, { officeCode: 'BD', officeName: 'Quận Ba Đình', registerType: 'birth', bookNo: '07', yearFrom: 1970 });
    await addAccount(p.services.db, 'minh', 'staff', ['BD']);
    lan = (await signIn(app, 'lan')).session;
    minh = (await signIn(app, 'minh')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const send = (s: Browser, note: string) =>
    as(app, s, {
      method: 'POST', url: `/pages/${seeded.pageId}/read-anyway`, payload: new URLSearchParams({ _csrf: s.csrf!, note }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null,
    });
  const cleanJobs = async () =>
    (await p.services.db.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'clean' and (data->>'pageId')::bigint = $1`, [seeded.pageId]))[0]!.n;

  it('links the held page from its book to a page saying why it was held and what to do', async () => {
    const book = (await as(app, lan, { url: `/books/${seeded.bookId}` })).body;
    expect(book).toContain(`<a href="/pages/${seeded.pageId}/read-anyway" class="handle">Xử lý</a>`);
    const page = (await as(app, lan, { url: `/pages/${seeded.pageId}/read-anyway` })).body;
    expect(page).toContain('Hãy quét lại trang này ở 300 dpi');
    expect(page).toContain('Vẫn đọc trang này');
    // the better scan goes into this book, placed by its numbers (the upload page ticks that for ?book=)
    expect(page).toContain(`<a href="/upload?book=${seeded.bookId}">tải bản quét lại vào sổ này</a>`);
  });

  it('refuses another office and a missing note, changing nothing', async () => {
    expect((await send(minh, 'Sổ rách, không quét lại được')).statusCode).toBe(403);
    const refused = await send(lan, 'x');
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Hãy ghi chú vì sao không thể quét lại');
    const [page] = await p.services.db.query<{ status: string }>('select status from page where id = $1', [seeded.pageId]);
    expect(page!.status).toBe('needs_rescan');
    expect(await cleanJobs()).toBe(0);
  });

  it('sends the page on to cleanup once, audited with the note', async () => {
    const sent = await send(lan, 'Sổ rách, không quét lại được');
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/books/${seeded.bookId}#page-${seeded.pageId}`);
    const [page] = await p.services.db.query<{ status: string; reason: string | null }>('select status, reason from page where id = $1', [seeded.pageId]);
    expect(page).toEqual({ status: 'ingested', reason: null });
    expect(await cleanJobs()).toBe(1);
    const audit = await p.services.db.query<{ actor: string; detail: { note: string; reasons: string[] } }>(`select actor, detail from audit_event where action = 'page.read_anyway'`);
    expect(audit).toEqual([{ actor: 'lan', detail: { reasons: ['low_resolution', 'blurred'] } }]);
    const [waiver] = await p.services.db.query<{ w: { by: string; note: string } }>('select rescan_waiver as w from page where id = $1', [seeded.pageId]);
    expect(waiver!.w).toMatchObject({ by: 'lan', note: 'Sổ rách, không quét lại được' });
    // sent again (a second tab): the page is no longer held, nothing more happens
    expect((await send(lan, 'Sổ rách, không quét lại được')).statusCode).toBe(303);
    expect(await cleanJobs()).toBe(1);
    expect((await as(app, lan, { url: `/pages/${seeded.pageId}/read-anyway` })).body).toContain('Trang này không còn chờ quét lại.');
  });

  const holdPage = async (label: string) => (await p.services.db.query<{ id: number }>(
    `insert into page (book_id, upload_id, file_index, label, status, reason, rescan_reasons)
     select book_id, upload_id, ${label}, $2, 'needs_rescan', 'blurred', '{blurred}' from page where id = $1 returning id`, [seeded.pageId, label]))[0]!.id;
  const markReplaced = (s: Browser, pageId: number, form: Record<string, string>) => as(app, s, {
    method: 'POST', url: `/pages/${pageId}/replaced`, payload: new URLSearchParams({ _csrf: s.csrf!, ...form }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null,
  });
  const pageRow = (html: string, pageId: number) => html.match(new RegExp(`<tr id="page-${pageId}"[\\s\\S]*?</tr>`))?.[0] ?? '';
  const settledList = (html: string) => html.match(/<details class="settled"[\s\S]*?<\/details>/)?.[0] ?? '';

  it('marks a held page replaced by hand only with a note or the page that replaced it, then lists it as settled', async () => {
    const db = p.services.db;
    const held = await holdPage('14');
    const mark = (s: Browser, form: Record<string, string>) => markReplaced(s, held, form);
    const screen = (await as(app, lan, { url: `/pages/${held}/read-anyway` })).body;
    expect(screen).toContain('Đã thay bằng bản quét lại</button>');
    expect(screen).toContain(`<option value="${seeded.pageId}">`);
    expect((await as(app, lan, { url: `/books/${seeded.bookId}` })).body).toContain(`<a href="/pages/${held}/read-anyway" class="handle">Xử lý</a>`);
    expect((await mark(minh, { note: 'Bản quét lại là tệp so-07-bo-sung.pdf' })).statusCode).toBe(403);
    // neither a replacing page nor a note: refused, the page stays held
    const bare = await mark(lan, { replacedBy: '', note: '' });
    expect(bare.statusCode).toBe(400);
    expect(bare.body).toContain('Hãy chọn trang đã thay trang này, hoặc ghi chú bản quét lại ở đâu');
    expect((await db.query('select status from page where id = $1', [held]))).toEqual([{ status: 'needs_rescan' }]);
    const sent = await mark(lan, { replacedBy: '', note: 'Bản quét lại là tệp so-07-bo-sung.pdf' });
    expect(sent.statusCode).toBe(303);
    const [page] = await db.query<{ status: string; reason: string; replacement: { by: string; note: string } }>('select status, reason, replacement from page where id = $1', [held]);
    expect(page).toMatchObject({ status: 'replaced', reason: 'blurred', replacement: { by: 'lan', note: 'Bản quét lại là tệp so-07-bo-sung.pdf' } });
    // counted as replaced, no longer among the pages to rescan (dashboard and civreg status)
    expect((await listBookSummaries(db)).find((b) => b.id === seeded.bookId)).toMatchObject({ pagesReplaced: 1 });
    const book = (await as(app, lan, { url: `/books/${seeded.bookId}` })).body;
    expect(book).not.toContain(`<a href="/pages/${held}/read-anyway" class="handle">Xử lý</a>`);
    // its row says it was replaced and by what, no longer to scan it again
    const row = pageRow(book, held);
    expect(row).toContain('Đã thay bằng bản quét lại: Bản quét lại là tệp so-07-bo-sung.pdf');
    expect(row).not.toContain('Hãy quét lại');
    expect(settledList(book)).toContain(`<a href="#page-${held}">Trang 14</a>: cần quét lại`);
    expect(settledList(book)).toContain('Đã thay bằng bản quét lại: Bản quét lại là tệp so-07-bo-sung.pdf · lan');
    expect((await as(app, lan, { url: `/pages/${held}/read-anyway` })).body).toContain('Trang 14: đã thay bằng bản quét lại</h1>');
    expect((await db.query(`select actor from audit_event where action = 'page.replaced' and object_id = $1`, [String(held)]))).toEqual([{ actor: 'lan' }]);
    // marked again: nothing more happens
    expect((await mark(lan, { note: '' })).statusCode).toBe(303);
    expect((await db.query(`select 1 from audit_event where action = 'page.replaced' and object_id = $1`, [String(held)]))).toHaveLength(1);
  });

  it('marks a held page replaced by a page of its book that staff choose, refusing a page of another book', async () => {
    const db = p.services.db;
    const held = await holdPage('15');
    const [other] = await db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, label, status)
       select b.id, p.upload_id, 30, '30', 'routed' from page p, book b where p.id = $1 and b.book_no = '07' returning id`, [seeded.pageId]);
    const wrong = await markReplaced(lan, held, { replacedBy: String(other!.id) });
    expect(wrong.statusCode).toBe(400);
    expect((await db.query('select status from page where id = $1', [held]))).toEqual([{ status: 'needs_rescan' }]);
    expect((await markReplaced(lan, held, { replacedBy: String(seeded.pageId), note: '' })).statusCode).toBe(303);
    const [page] = await db.query<{ status: string; replaced_by: number }>('select status, replaced_by from page where id = $1', [held]);
    expect(page).toEqual({ status: 'replaced', replaced_by: seeded.pageId });
    const [{ label }] = await db.query<{ label: string }>('select label from page where id = $1', [seeded.pageId]) as [{ label: string }];
    const book = (await as(app, lan, { url: `/books/${seeded.bookId}` })).body;
    expect(pageRow(book, held)).toContain(`Đã thay bằng ${/^\d+$/.test(label) ? `trang ${label}` : label}`);
    expect(settledList(book)).toContain(`<a href="#page-${held}">Trang 15</a>`);
  });
  it('lists first the pages likely to have replaced a held page (numbers in its gap, then delivered after it), every other page after them', async () => {
    const db = p.services.db;
    const [b] = await db.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from) select id, 'birth', '31', 1990 from registry_office where code = 'HBT' returning id`);
    const upload = async (seq: number, late: boolean) => (await db.query<{ id: number }>(
      `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by, place_by_numbers) values ($1, $2, $3, $4, 1, 't', $5) returning id`,
      [b!.id, seq, `so-31-${seq}.pdf`, `sha-31-${seq}`, late]))[0]!.id;
    const addPage = async (uploadId: number, index: number, label: string, status: string, numbers: number[]) => {
      const [pg] = await db.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, $3, $4, $5) returning id`, [b!.id, uploadId, index, label, status]);
      for (const [seq, entryNo] of numbers.entries()) {
        await db.query(`insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, 1990, $5, 'birth')`, [b!.id, pg!.id, seq, [pg!.id], entryNo]);
      }
      return Number(pg!.id);
    };
    // the book as delivered: 20 pages of two entries each, the 8th (entries 15 and 16) held for a rescan
    const book = await upload(1, false);
    const delivered: number[] = [];
    let held = 0;
    for (let n = 1; n <= 20; n++) {
      if (n === 8) held = await addPage(book, n, String(n), 'needs_rescan', []);
      else delivered.push(await addPage(book, n, String(n), 'routed', [2 * n - 1, 2 * n]));
    }
    // later: a delivery with a page reading 15–16 and one reading 70–71, then a rescan not read yet
    const later = await upload(2, false);
    const other = await addPage(later, 0, '101', 'routed', [70, 71]);
    const gap = await addPage(later, 1, '102', 'routed', [15, 16]);
    const unread = await addPage(await upload(3, true), 0, '103', 'ocr_done', []);
    const screen = (await as(app, lan, { url: `/pages/${held}/read-anyway` })).body;
    const group = (label: string) => screen.match(new RegExp(`<optgroup label="${label}">([\\s\\S]*?)</optgroup>`))?.[1] ?? '';
    const values = (html: string) => [...html.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
    expect(values(group('Có thể là bản quét lại của trang này'))).toEqual([gap, other, unread]);
    expect(group('Có thể là bản quét lại của trang này')).toContain('>Trang 102 · số 15–16, đúng khoảng số còn thiếu quanh trang này · tải lên sau trang này</option>');
    expect(group('Có thể là bản quét lại của trang này')).toContain('>Trang 101 · tải lên sau trang này</option>');
    // the rest stay reachable, in book order
    expect(values(group('Các trang khác của sổ'))).toEqual(delivered);
    // any of them may be chosen
    expect((await markReplaced(lan, held, { replacedBy: String(gap), note: '' })).statusCode).toBe(303);
    expect(await db.query('select status, replaced_by as "replacedBy" from page where id = $1', [held])).toEqual([{ status: 'replaced', replacedBy: gap }]);
  });
});
