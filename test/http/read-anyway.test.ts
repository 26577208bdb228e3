import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
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

  it('marks a held page replaced by hand: it leaves the book’s problems and keeps its history', async () => {
    const db = p.services.db;
    const [held] = await db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, label, status, reason, rescan_reasons)
       select book_id, upload_id, 9, '14', 'needs_rescan', 'blurred', '{blurred}' from page where id = $1 returning id`, [seeded.pageId]);
    const mark = (s: Browser, note: string) => as(app, s, {
      method: 'POST', url: `/pages/${held!.id}/replaced`, payload: new URLSearchParams({ _csrf: s.csrf!, note }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null,
    });
    expect((await as(app, lan, { url: `/pages/${held!.id}/read-anyway` })).body).toContain('Đã thay bằng bản quét lại</button>');
    expect((await as(app, lan, { url: `/books/${seeded.bookId}` })).body).toContain(`<a href="/pages/${held!.id}/read-anyway" class="handle">Xử lý</a>`);
    expect((await mark(minh, '')).statusCode).toBe(403);
    const sent = await mark(lan, 'Bản quét lại là tệp so-07-bo-sung.pdf');
    expect(sent.statusCode).toBe(303);
    const [page] = await db.query<{ status: string; reason: string; replacement: { by: string; note: string } }>('select status, reason, replacement from page where id = $1', [held!.id]);
    expect(page).toMatchObject({ status: 'replaced', reason: 'blurred', replacement: { by: 'lan', note: 'Bản quét lại là tệp so-07-bo-sung.pdf' } });
    const book = (await as(app, lan, { url: `/books/${seeded.bookId}` })).body;
    expect(book).not.toContain(`<a href="/pages/${held!.id}/read-anyway" class="handle">Xử lý</a>`);
    expect(book).toContain('Đã thay bằng bản quét lại');
    expect((await db.query(`select actor from audit_event where action = 'page.replaced' and object_id = $1`, [String(held!.id)]))).toEqual([{ actor: 'lan' }]);
    // marked again: nothing more happens
    expect((await mark(lan, '')).statusCode).toBe(303);
    expect((await db.query(`select 1 from audit_event where action = 'page.replaced'`))).toHaveLength(1);
  });
});
