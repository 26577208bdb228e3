import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { buildServer } from '../../src/http/server.ts';
import { ensureBook } from '../../src/db/books.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry, storeViewCopy } from './review-seed.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

describe('book dashboard', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let lan: Browser;
  let seeded: Awaited<ReturnType<typeof seedEntry>>;
  let rescanPage: number;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    seeded = await seedEntry(p.services.db, p.services.blobs, {
      bookNo: '03',
      fields: [
        { field: 'fullName', value: 'Nguyễn Văn An', reasons: ['low_confidence'] },
        { field: 'birthDate', value: '1962-03-15' },
        { field: 'sex', value: 'male' },
        { field: 'ethnicity', value: 'Kinh' },
      ],
    });
    const db = p.services.db;
    const [upload] = await db.query<{ id: number }>('select upload_id as id from page where id = $1', [seeded.pageId]);
    const insertPage = (index: number, status: string, reason: string | null) =>
      db.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status, reason) values ($1, $2, $3, $4, $5, $6) returning id`, [seeded.bookId, upload!.id, index, String(index + 1), status, reason]);
    [{ id: rescanPage }] = (await insertPage(1, 'needs_rescan', 'blurred')) as [{ id: number }];
    await insertPage(2, 'blank', null);
    await insertPage(3, 'cleaned', null);
    await db.query(`insert into book_issue (book_id, kind, year, page_id, detail) values ($1, 'entry_gap', 1962, $2, '{"after": 14, "missing": [15, 16]}')`, [seeded.bookId, seeded.pageId]);
    await addAccount(db, 'lan', 'staff', ['HBT']);
    lan = (await signIn(app, 'lan')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('lists books with pages, progress, entries, share verified and problems', async () => {
    const body = (await as(app, lan, { url: '/books' })).body;
    expect(body).toContain(`<a href="/books/${seeded.bookId}">Khai sinh · quyển 03</a>`);
    // 4 pages: routed, needs_rescan and blank are settled, one is still being cleaned.
    expect(body).toContain('<progress max="4" value="3"></progress> 75 %');
    // 3 of 4 fields accepted by the machine, 1 awaiting review; 1 rescan + 1 book issue.
    expect(body).toMatch(/<td class="num">1<\/td><td class="num">75 %<\/td><td class="num">1<\/td>/);
    expect(body).toContain(`<a href="/books/${seeded.bookId}#issues" class="warn">2</a>`);
  });

  it('lists books a page at a time, filtered by office and register type, never beyond the person’s offices', async () => {
    const db = p.services.db;
    for (let n = 1; n <= 60; n++) await ensureBook(db, { officeCode: 'HBT', registerType: n % 3 === 0 ? 'death' : 'marriage', bookNo: `M${String(n).padStart(2, '0')}`, yearFrom: 1990 });
    await ensureBook(db, { officeCode: 'BD', officeName: 'Quận Ba Đình', registerType: 'death', bookNo: 'X1', yearFrom: 1990 });
    const [hbt, bd] = (await db.query<{ id: number }>(`select id from registry_office where code in ('HBT', 'BD') order by code = 'BD'`)).map((o) => o.id);
    const books = (html: string) => [...html.matchAll(/<a href="\/books\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);

    const first = (await as(app, lan, { url: '/books', headers: { accept: 'text/html' } })).body;
    expect(books(first)).toHaveLength(50);
    expect(first).toContain('Sổ 1–50 trong 61');
    expect(first).toContain('<a href="/books?page=2" rel="next">Trang sau ›</a>');
    // The live feed follows this page of the list.
    expect(first).toContain('data-source="/books/events"');
    const second = (await as(app, lan, { url: '/books?page=2', headers: { accept: 'text/html' } })).body;
    expect(books(second)).toHaveLength(11);
    expect(second).toContain('data-source="/books/events?page=2"');
    expect(new Set([...books(first), ...books(second)]).size).toBe(61);

    const deaths = (await as(app, lan, { url: `/books?office=${hbt}&type=death`, headers: { accept: 'text/html' } })).body;
    expect(books(deaths)).toEqual(Array.from({ length: 20 }, (_, i) => `Khai tử · quyển M${String(3 * (i + 1)).padStart(2, '0')}`));
    expect(deaths).toContain('<option value="death" selected>Khai tử</option>');
    // Ba Đình is not lan's office: it is neither offered nor listed when asked for.
    expect(deaths).not.toContain('Quận Ba Đình');
    const foreign = (await as(app, lan, { url: `/books?office=${bd}`, headers: { accept: 'text/html' } })).body;
    expect([books(foreign), foreign.includes('Không có sổ nào khớp bộ lọc.')]).toEqual([[], true]);
    // Nonsense in the query is ignored, not an error.
    expect((await as(app, lan, { url: '/books?page=-3&type=<script>&office=abc', headers: { accept: 'text/html' } })).body).toContain('Sổ 1–50 trong 61');
    expect((await as(app, lan, { url: '/books?type=toString', headers: { accept: 'text/html' } })).body).toContain('Sổ 1–50 trong 61');
  });

  it('shows a book’s problems, each linking to its page, with what to do', async () => {
    const body = (await as(app, lan, { url: `/books/${seeded.bookId}` })).body;
    expect(body).toContain('Cần quét lại: <b>1</b>');
    expect(body).toContain('Trang trắng: <b>1</b>');
    // The page read (its field waiting for review) is not called done, nor named like a settled book issue.
    expect(body).toContain('<li>Đã đọc xong: <b>1</b></li>');
    expect(body).toContain(`<tr id="page-${seeded.pageId}" class="status-routed"><td>Trang 1</td><td>trang.png</td>\n<td>Đã đọc xong</td>`);
    expect(body).not.toContain('Đã xử lý xong');
    expect(body).toContain(`<a href="#page-${rescanPage}">Trang 2</a>: Cần quét lại – Trang bị mờ`);
    expect(body).toContain(`<a href="#page-${seeded.pageId}">Trang 1</a>: Số thứ tự bị nhảy (thiếu số). Năm 1962. Thiếu số: 15, 16.`);
    expect(body).toContain(`<tr id="page-${rescanPage}" class="status-needs_rescan">`);
  });

  it('shows a page image to staff of the office, audited', async () => {
    const image = await as(app, lan, { url: `/pages/${seeded.pageId}/image` });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    // the scan as delivered is its stored viewing copy, sent as it is
    const viewCopy = await storeViewCopy(p.services.db, p.services.blobs, seeded.pageId);
    expect((await as(app, lan, { url: `/pages/${seeded.pageId}/image?original=1` })).rawPayload.equals(viewCopy)).toBe(true);
    const [audit] = await p.services.db.query<{ n: number }>(`select count(*)::int as n from audit_event where action = 'view_page' and actor = 'lan'`);
    expect(audit!.n).toBe(2);
  });

  it('shows of a scanned spread only the page’s own half, not the facing page and its entries', async () => {
    const db = p.services.db;
    // a 3000 x 2000 scan of two facing pages, its viewing copy 300 x 200: left page (x < 1800) white, right page dark
    const view = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } })
      .composite([{ input: { create: { width: 120, height: 200, channels: 3, background: '#203060' } }, left: 180, top: 0 }]).jpeg().toBuffer();
    const { sha256, bytes } = await p.services.blobs.put(view);
    await db.query(`insert into blob (sha256, bytes, media_type) values ($1, $2, 'image/jpeg') on conflict do nothing`, [sha256, bytes]);
    const [left] = await db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, part, label, status, original_sha256) select book_id, upload_id, 10, 0, 'trang 11', 'routed', original_sha256 from page where id = $1 returning id`, [seeded.pageId]);
    const [right] = await db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, part, label, status, original_sha256) select book_id, upload_id, 10, 1, 'trang 11 (bên phải)', 'routed', original_sha256 from page where id = $1 returning id`, [seeded.pageId]);
    for (const [pageId, crop] of [[left!.id, [0, 0, 1800, 2000]], [right!.id, [1800, 0, 1200, 2000]]] as const) {
      await db.query(
        `update page set view_sha256 = $2, view_width = 300, view_height = 200, width = 3000, height = 2000, clean_width = $3, clean_height = 2000, clean_transform = $4, clean_steps = '{greyscale,split:1800}' where id = $1`,
        [pageId, sha256, crop[2], JSON.stringify({ rotate: 0, skewDeg: 0, crop, scale: 1 })]);
    }
    const shown = async (pageId: number) => {
      const image = sharp((await as(app, lan, { url: `/pages/${pageId}/image?original=1` })).rawPayload);
      const { width, height } = await image.metadata();
      return { width, height, dark: (await image.stats()).channels[0]!.mean < 100 };
    };
    expect(await shown(left!.id)).toEqual({ width: 180, height: 200, dark: false });
    expect(await shown(right!.id)).toEqual({ width: 120, height: 200, dark: true });
  });
  it('sorts book numbers as numbers across pages, finds books needing action and books by number', async () => {
    const db = p.services.db;
    // Another office, so the counts of the tests above stay theirs.
    for (let n = 1; n <= 55; n++) await ensureBook(db, { officeCode: 'CG', officeName: 'Quận Cầu Giấy', registerType: 'death', bookNo: String(n), yearFrom: 1962 });
    for (const bookNo of ['007', 'A3']) await ensureBook(db, { officeCode: 'CG', registerType: 'death', bookNo, yearFrom: 1962 });
    // Book 12 has a field waiting for review, book 30 an open book issue, book 40 a page to scan again; book 41 only settled work.
    await seedEntry(db, p.services.blobs, { officeCode: 'CG', registerType: 'death', bookNo: '12', fields: [{ field: 'fullName', value: 'Trần Thị Bình', reasons: ['low_confidence'] }] });
    const rescan = await seedEntry(db, p.services.blobs, { officeCode: 'CG', registerType: 'death', bookNo: '40', fields: [{ field: 'fullName', value: 'Lê Văn Cường' }] });
    await db.query(`update page set status = 'needs_rescan', reason = 'blurred' where id = $1`, [rescan.pageId]);
    await seedEntry(db, p.services.blobs, { officeCode: 'CG', registerType: 'death', bookNo: '41', fields: [{ field: 'fullName', value: 'Phạm Thị Dung' }] });
    await db.query(`insert into book_issue (book_id, kind, year, detail) select id, 'entry_gap', 1962, '{"missing": [3]}' from book where book_no = '30' and office_id = (select id from registry_office where code = 'CG')`);
    await db.query(`insert into book_issue (book_id, kind, year, status, detail) select id, 'entry_gap', 1962, 'resolved', '{"missing": [4]}' from book where book_no = '41' and office_id = (select id from registry_office where code = 'CG')`);
    await addAccount(db, 'mai', 'staff', ['CG']);
    const mai = (await signIn(app, 'mai')).session;
    const page = async (query: string) => (await as(app, mai, { url: `/books${query}`, headers: { accept: 'text/html' } })).body;
    const numbers = (html: string) => [...html.matchAll(/<a href="\/books\/\d+">Khai tử · quyển ([^<]+)<\/a>/g)].map((m) => m[1]);

    // 1 … 49 (007 beside 7) on the first page, 50 … 55 and then A3 on the second: not 1, 10, 11, … as text sorts.
    const first = await page('');
    expect(numbers(first)).toEqual(['1', '2', '3', '4', '5', '6', '007', ...Array.from({ length: 43 }, (_, i) => String(i + 7))]);
    const second = await page('?page=2');
    expect(numbers(second)).toEqual(['50', '51', '52', '53', '54', '55', 'A3']);
    // The pager names its pages, above the list and again below it.
    expect(second.match(/<nav class="pages"[^>]*><a href="\/books" rel="prev">‹ Trang trước<\/a> <a href="\/books">1<\/a> <b aria-current="page">2<\/b><\/nav>/g)).toHaveLength(2);
    expect(second.indexOf('</table>')).toBeLessThan(second.lastIndexOf('<nav class="pages"'));

    // Needing action: an open issue, a field to review, a page to scan again; settled work alone is not.
    const action = await page('?action=1');
    expect(numbers(action)).toEqual(['12', '30', '40']);
    expect(action).toContain('<input type="checkbox" name="action" value="1" checked>');
    expect(action).toContain('Sổ 1–3 trong 3');
    expect(action).not.toContain('<nav class="pages"');

    // By number, leading zeros not counted either way; the filters stay in the pager's links.
    expect(numbers(await page('?no=7'))).toEqual(['007', '7']);
    expect(numbers(await page('?no=0005'))).toEqual(['5', '50', '51', '52', '53', '54', '55']);
    expect(numbers(await page('?no=a'))).toEqual(['A3']);
    expect(numbers(await page('?no=%25'))).toEqual([]);
    expect(numbers(await page('?no=4&action=1'))).toEqual(['40']);
    expect(await page('?no=4&action=1')).toContain('data-source="/books/events?action=1&amp;no=4"');
  });
  it('shows a big book’s pages and entries a hundred at a time, all or only those needing work', async () => {
    const db = p.services.db;
    const seeded = await seedEntry(db, p.services.blobs, { officeCode: 'TX', registerType: 'marriage', bookNo: '09', fields: [{ field: 'husbandName', value: 'Đỗ Văn Hải' }] });
    // 250 pages (the seeded one first), pages 120 and 230 to scan again; 150 entries, every tenth waiting for review.
    await db.query(
      `insert into page (book_id, upload_id, file_index, label, status, reason)
       select book_id, upload_id, n - 1, n::text, case when n in (120, 230) then 'needs_rescan' else 'routed' end, case when n in (120, 230) then 'blurred' end
         from page, generate_series(2, 250) n where page.id = $1`,
      [seeded.pageId],
    );
    await db.query(
      `insert into entry (book_id, page_id, year, entry_no, register_type, status, seq, page_ids)
       select $1, $2, 1962, n, 'marriage', 'extracted', n, array[$2::bigint] from generate_series(1, 149) n`,
      [seeded.bookId, seeded.pageId],
    );
    await db.query(
      `insert into entry_field (entry_id, field, value, status) select id, 'husbandName', 'x', case when entry_no % 10 = 0 then 'review' else 'auto_accepted' end from entry where book_id = $1 and entry_no <= 149 and seq > 0`,
      [seeded.bookId],
    );
    const [page230] = await db.query<{ id: number }>(`select id from page where book_id = $1 and label = '230'`, [seeded.bookId]);
    const [page120] = await db.query<{ id: number }>(`select id from page where book_id = $1 and label = '120'`, [seeded.bookId]);
    await db.query(`insert into book_issue (book_id, kind, year, page_id, detail) values ($1, 'entry_gap', 1962, $2, '{"missing": [7]}')`, [seeded.bookId, page230!.id]);
    await addAccount(db, 'tuan', 'staff', ['TX']);
    const tuan = (await signIn(app, 'tuan')).session;
    const dashboard = async (query: string) => (await as(app, tuan, { url: `/books/${seeded.bookId}${query}`, headers: { accept: 'text/html' } })).body;
    const pageRows = (html: string) => [...html.matchAll(/<tr id="page-\d+" class="[^"]+"><td>Trang (\d+)<\/td>/g)].map((m) => Number(m[1]));
    const entryRows = (html: string) => [...html.matchAll(/<a href="\/entries\/\d+">(\d+)<\/a>/g)].map((m) => Number(m[1]));

    const first = await dashboard('');
    expect(pageRows(first)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(first).toContain('1–100 trong 250 trang');
    expect(first).toContain(`<a href="/books/${seeded.bookId}?pp=3#pages">3</a>`);
    expect(entryRows(first)).toHaveLength(100);
    expect(first).toContain('1–100 trong 150 mục');
    // Problems on pages beyond this slice link to the slice that holds them.
    expect(first).toContain(`<a href="/books/${seeded.bookId}?at=${page120!.id}#page-${page120!.id}">Trang 120</a>: Cần quét lại`);
    expect(first).toContain(`<a href="/books/${seeded.bookId}?at=${page230!.id}#page-${page230!.id}">Trang 230</a>: Số thứ tự bị nhảy`);
    const at = await dashboard(`?at=${page230!.id}`);
    expect(pageRows(at)).toEqual(Array.from({ length: 50 }, (_, i) => i + 201));
    expect(at).toContain(`<a href="#page-${page230!.id}">Trang 230</a>: Số thứ tự bị nhảy`);
    // The live feed follows the slice shown.
    expect(at).toContain(`data-source="/books/${seeded.bookId}/events?pp=3"`);

    const problems = await dashboard('?pages=problems&entries=review&ep=1');
    expect(pageRows(problems)).toEqual([120, 230]);
    expect(problems).toContain('<b>Chỉ trang có vấn đề</b>');
    expect(entryRows(problems)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140]);
    expect(problems).toContain('1–14 trong 14 mục');
    expect(problems).toContain(`<a href="/books/${seeded.bookId}?pages=problems#entries">Tất cả các mục</a>`);
    const secondEntries = await dashboard('?ep=2');
    expect(entryRows(secondEntries)).toEqual(Array.from({ length: 50 }, (_, i) => i + 100));
  });
});
