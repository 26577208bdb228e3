import { existsSync } from 'node:fs';
import { mkdir, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import { sha256Hex } from '../../src/store/blobs.ts';
import type { buildServer } from '../../src/http/server.ts';
import { scheduleTransferSweep } from '../../src/ingest/transfer.ts';
import { startTestPipeline, waitFor, type TestPipeline } from '../helpers/services.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

const SCAN = new URL('../fixtures/files/pdf-jpeg-scans-2-pages.pdf', import.meta.url);
const BOOK = { office: 'HBT', registerType: 'birth', bookNo: '05', year: 1975 };

describe('upload in resumable chunks', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let lan: Browser;
  let bytes: Buffer;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p, 5 * 1024 * 1024);
    await ensureBook(p.services.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    await ensureBook(p.services.db, { officeCode: 'BD', officeName: 'Quận Ba Đình', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    await addAccount(p.services.db, 'lan', 'staff', ['HBT']);
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    lan = (await signIn(app, 'lan')).session;
    bytes = await readFile(SCAN);
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const start = (s: Browser, body: Record<string, unknown>) => as(app, s, { method: 'POST', url: '/upload/transfers', payload: { ...BOOK, ...body } });
  const put = (id: string, offset: number, chunk: Buffer) =>
    as(app, lan, { method: 'PUT', url: `/upload/transfers/${id}?offset=${offset}`, payload: chunk as unknown as string, headers: { 'content-type': 'application/octet-stream' } });

  it('receives a file in chunks, resumes after an interruption, and queues it like civreg ingest', async () => {
    const first = (await start(lan, { fileName: 'quyen05/so-1975.pdf', bytes: bytes.length })).json();
    expect(first).toMatchObject({ received: 0, bytes: bytes.length });
    const half = Math.floor(bytes.length / 2);
    expect((await put(first.id, 0, bytes.subarray(0, half))).json()).toEqual({ received: half });
    // A chunk at the wrong offset is refused with where to continue from.
    const wrong = await put(first.id, 10, bytes.subarray(10, 20));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json()).toMatchObject({ error: 'upload_offset', received: half });
    // Finishing early is refused.
    expect((await as(app, lan, { method: 'POST', url: `/upload/transfers/${first.id}/finish`, payload: {} })).json()).toMatchObject({ error: 'upload_incomplete' });
    // The page is reloaded and the same file offered again: the transfer resumes.
    const again = (await start(lan, { fileName: 'so-1975.pdf', bytes: bytes.length })).json();
    expect(again).toMatchObject({ id: first.id, received: half });
    expect((await put(first.id, half, bytes.subarray(half))).json()).toEqual({ received: bytes.length });
    const done = (await as(app, lan, { method: 'POST', url: `/upload/transfers/${first.id}/finish`, payload: {} })).json();
    expect(done).toMatchObject({ status: 'queued', reason: null, bookId: first.bookId });

    const [upload] = await p.services.db.query<{ file_name: string; sha256: string; uploaded_by: string; status: string; book_no: string }>(
      'select u.file_name, u.sha256, u.uploaded_by, u.status, b.book_no from upload u join book b on b.id = u.book_id where u.id = $1',
      [done.uploadId],
    );
    expect(upload).toEqual({ file_name: 'so-1975.pdf', sha256: sha256Hex(bytes), uploaded_by: 'lan', status: 'received', book_no: '05' });
    expect(await p.services.blobs.get(upload!.sha256)).toEqual(bytes);
    const [job] = await p.services.db.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'ingest' and data->>'uploadId' = $1`, [String(done.uploadId)]);
    expect(job!.n).toBe(1);
    const audit = await p.services.db.query<{ action: string }>(`select action from audit_event where actor = 'lan' and action like 'upload.%' order by id`);
    expect(audit.map((a) => a.action)).toEqual(['upload.transfer_started', 'upload.received']);

    // The same bytes again are a duplicate, not processed twice.
    const dup = (await start(lan, { fileName: 'copy.pdf', bytes: bytes.length })).json();
    await put(dup.id, 0, bytes);
    expect((await as(app, lan, { method: 'POST', url: `/upload/transfers/${dup.id}/finish`, payload: {} })).json()).toMatchObject({ status: 'duplicate', duplicateOf: done.uploadId });
  });

  it('follows uploads and pages with each rejection’s reason and what to do', async () => {
    const bookId = await ensureBook(p.services.db, { officeCode: 'HBT', registerType: 'birth', bookNo: '05', yearFrom: 1975 });
    const [bad] = await p.services.db.query<{ id: number }>(
      `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by, status, reason) values ($1, 99, 'hong.pdf', $2, 10, 'lan', 'rejected', 'pdf_encrypted') returning id`,
      [bookId, 'a'.repeat(64)],
    );
    const status = (await as(app, lan, { url: `/upload/status?ids=${bad!.id}` })).json();
    expect(status.uploads[0]).toMatchObject({ fileName: 'hong.pdf', status: 'rejected', statusName: 'Bị từ chối', reason: 'pdf_encrypted', message: expect.stringContaining('Hãy gỡ mật khẩu') });
  });

  it('refuses a file over the size limit before it is sent, another office, and other roles', async () => {
    const big = await start(lan, { fileName: 'lon.tif', bytes: 6 * 1024 * 1024 });
    expect(big.statusCode).toBe(400);
    expect(big.json()).toMatchObject({ error: 'file_too_large', message: expect.stringContaining('dung lượng') });
    expect((await start(lan, { office: 'BD', fileName: 'a.pdf', bytes: 10 })).json()).toMatchObject({ error: 'forbidden_office' });
    // a book field out of shape is named, so the page marks it in its form (which keeps what was typed)
    const badYear = await start(lan, { year: 1850, fileName: 'a.pdf', bytes: 10 });
    expect([badYear.statusCode, badYear.json()]).toEqual([400, { error: 'bad_request', message: 'Năm của sổ là số có 4 chữ số, từ 1900 đến 2100.', field: 'year' }]);
    const hoa = (await signIn(app, 'hoa')).session;
    expect((await start(hoa, { fileName: 'a.pdf', bytes: 10 })).json()).toMatchObject({ error: 'forbidden_role' });
    const page = await as(app, lan, { url: '/upload' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Kéo thả các tệp hoặc cả thư mục');
    expect(page.body).not.toContain('Quận Ba Đình');
  });

  it('sweeps abandoned transfers and stray chunk folders on a schedule, recorded; live ones stay', async () => {
    const dir = join(p.dataDir, 'incoming');
    const stale = (await start(lan, { fileName: 'bo-do.pdf', bytes: bytes.length })).json();
    await put(stale.id, 0, bytes.subarray(0, 1000));
    const live = (await start(lan, { fileName: 'dang-tai.pdf', bytes: bytes.length })).json();
    await put(live.id, 0, bytes.subarray(0, 1000));
    await p.services.db.query(`update upload_transfer set updated_at = now() - interval '25 hours' where id = $1`, [stale.id]);
    // a folder left by a crash (no row), old, and one just created
    const stray = join(dir, '0b8f3c9e-1d2a-4e5f-8a7b-6c5d4e3f2a1b');
    const fresh = join(dir, '1c9f3c9e-1d2a-4e5f-8a7b-6c5d4e3f2a1b');
    await mkdir(stray);
    await mkdir(fresh);
    const old = new Date(Date.now() - 30 * 3_600_000);
    await utimes(stray, old, old);

    const logged: object[] = [];
    const stop = scheduleTransferSweep({ sql: p.services.db, dir, maxAgeHours: 24, everyMs: 50, log: { info: (o) => logged.push(o), warn: (o) => logged.push(o) } });
    try {
      await waitFor('the sweep', async () => logged.length > 0, 10_000);
    } finally {
      stop();
    }
    expect(logged).toEqual([{ transfers: 1, folders: 2 }]);
    expect(existsSync(join(dir, stale.id))).toBe(false);
    expect(existsSync(stray)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(join(dir, live.id))).toBe(true);
    const rows = await p.services.db.query<{ id: string }>(`select id from upload_transfer where id = any($1::uuid[])`, [[stale.id, live.id]]);
    expect(rows).toEqual([{ id: live.id }]);
    const [event] = await p.services.db.query<{ actor: string; detail: unknown }>(`select actor, detail from audit_event where action = 'upload_abandoned' and object_id = $1`, [stale.id]);
    expect(event).toEqual({ actor: 'civreg', detail: { bookId: expect.any(Number), bytes: bytes.length, received: 1000, maxAgeHours: 24 } });
    // The person offering the file again starts afresh.
    expect((await start(lan, { fileName: 'bo-do.pdf', bytes: bytes.length })).json()).toMatchObject({ received: 0 });
    expect((await start(lan, { fileName: 'bo-do.pdf', bytes: bytes.length })).json().id).not.toBe(stale.id);
  });
  it('offers the office’s books, and names the existing book a number or year only nearly matches', async () => {
    const db = p.services.db;
    for (const [bookNo, yearFrom] of [['02', 2000], ['10', 2000], ['2', 1999], ['03', null]] as const) await ensureBook(db, { officeCode: 'HBT', registerType: 'birth', bookNo, yearFrom });
    await ensureBook(db, { officeCode: 'HBT', registerType: 'death', bookNo: '02', yearFrom: 2000 });
    const books = (await as(app, lan, { url: '/upload/books?office=HBT&type=birth' })).json().books as { bookNo: string; yearFrom: number | null; label: string }[];
    // in numeric order, other registers left out; the upload test above made 05
    expect(books.map((b) => b.label)).toEqual(['Khai sinh quyển 01 năm 1962', 'Khai sinh quyển 02 năm 2000', 'Khai sinh quyển 2 năm 1999', 'Khai sinh quyển 03 (không ghi năm)', 'Khai sinh quyển 05 năm 1975', 'Khai sinh quyển 10 năm 2000']);
    expect((await as(app, lan, { url: '/upload/books?office=BD&type=birth' })).json()).toMatchObject({ error: 'forbidden_office' });
    expect((await as(app, lan, { url: '/upload/books?office=HBT&type=nonsense' })).statusCode).toBe(400);

    const bookCheck = async (query: string) => (await as(app, lan, { url: `/upload/book-check?office=HBT&type=birth&${query}` })).json();
    // "2" in 2000 is 02 of 2000, leading zeros aside (2 of 1999 is another year's book).
    expect(await bookCheck('bookNo=2&year=2000')).toMatchObject({ exact: { bookNo: '02', yearFrom: 2000, label: 'Khai sinh quyển 02 năm 2000' }, similar: [] });
    // No year given: every book of the number, whatever its year.
    expect((await bookCheck('bookNo=002')).similar.map((b: { label: string }) => b.label)).toEqual(['Khai sinh quyển 2 năm 1999', 'Khai sinh quyển 02 năm 2000']);
    // A year given where the book has none.
    expect((await bookCheck('bookNo=3&year=1980')).similar.map((b: { question: string }) => b.question)).toEqual(['Đã có sổ Khai sinh quyển 03 (không ghi năm) — tải vào sổ đó?']);
    // The book itself, and a number no book nearly has, ask nothing.
    expect(await bookCheck('bookNo=02&year=2000')).toMatchObject({ exact: { bookNo: '02', yearFrom: 2000, label: 'Khai sinh quyển 02 năm 2000' }, similar: [] });
    expect(await bookCheck('bookNo=02&year=2001')).toMatchObject({ exact: null, similar: [] });
    expect(await bookCheck('bookNo=20&year=2000')).toMatchObject({ exact: null, similar: [] });
    expect((await as(app, lan, { url: '/upload/book-check?office=BD&type=birth&bookNo=01' })).json()).toMatchObject({ error: 'forbidden_office' });

    const page = (await as(app, lan, { url: '/upload' })).body;
    expect(page).toContain('<input name="bookNo" required size="6" list="known-books" autocomplete="off">');
  });

  it('sends files for "2" to the office’s book 02 of the year, and refuses a number only nearly matching books unless a new book is chosen', async () => {
    const db = p.services.db;
    const countBooks = async () => (await db.query<{ n: number }>(`select count(*)::int as n from book b join registry_office o on o.id = b.office_id where o.code = 'HBT' and b.register_type = 'birth'`))[0]!.n;
    const before = await countBooks();
    const [book02] = await db.query<{ id: number }>(`select b.id from book b join registry_office o on o.id = b.office_id where o.code = 'HBT' and b.register_type = 'birth' and b.book_no = '02' and b.year_from = 2000`);
    const zero = await start(lan, { bookNo: '2', year: 2000, fileName: 'quyen2.pdf', bytes: 10 });
    expect(zero.json()).toMatchObject({ bookId: Number(book02!.id) });
    // "002" with no year: 2 of 1999 or 02 of 2000? The person chooses; nothing is made meanwhile.
    const unsure = await start(lan, { bookNo: '002', year: null, fileName: 'quyen002.pdf', bytes: 10 });
    expect(unsure.statusCode).toBe(409);
    expect(unsure.json()).toMatchObject({ error: 'book_ambiguous', field: 'bookNo' });
    expect(unsure.json().message).toContain('Khai sinh quyển 2 năm 1999; Khai sinh quyển 02 năm 2000.');
    expect(await countBooks()).toBe(before);
    expect((await start(lan, { bookNo: '002', year: null, fileName: 'quyen002.pdf', bytes: 10, newBook: true })).statusCode).toBe(200);
    expect(await countBooks()).toBe(before + 1);
  });

  // The book was chosen when the transfer started: finishing it must not match the book's number again (a number the
  // command line stored with a space, «6 », would go to the office's «06» of the year).
  it('finishes a transfer into the book it was started for, by its id', async () => {
    const db = p.services.db;
    const spaced = await ensureBook(db, { officeCode: 'HBT', registerType: 'birth', bookNo: '6 ', yearFrom: 1976 });
    await ensureBook(db, { officeCode: 'HBT', registerType: 'birth', bookNo: '06', yearFrom: 1976 });
    const file = Buffer.from('so 6 nam 1976');
    const transfer = (await start(lan, { bookNo: '6', year: 1976, fileName: 'quyen6.pdf', bytes: file.length })).json();
    await db.query('update upload_transfer set book_id = $2 where id = $1', [transfer.id, spaced]);
    await put(transfer.id, 0, file);
    const done = (await as(app, lan, { method: 'POST', url: `/upload/transfers/${transfer.id}/finish`, payload: {} })).json();
    expect(done).toMatchObject({ bookId: spaced });
    const [upload] = await db.query<{ bookId: number }>('select book_id as "bookId" from upload where id = $1', [done.uploadId]);
    expect(upload!.bookId).toBe(spaced);
  });
});
