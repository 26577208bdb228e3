import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import { finishUpload, registerUpload } from '../../src/db/uploads.ts';
import type { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

// A file refused whole at ingest has no page: the book's problems must still name it, and files not yet read show as waiting.
describe('refused and waiting files on the book page', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let lan: Browser;
  let son: Browser;
  let bookId: number;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    const db = p.services.db;
    bookId = await ensureBook(db, { officeCode: 'HBT', registerType: 'birth', bookNo: 'R1', yearFrom: 1970 });
    const upload = (fileName: string, sha256: string) => registerUpload(db, { bookId, fileName, sha256, bytes: 10, uploadedBy: 'test' });
    const broken = await upload('so-r1-hong.pdf', 'a'.repeat(64));
    await finishUpload(db, broken.id, { status: 'rejected', reason: 'corrupt_file', detail: 'PDF could not be opened', pageCount: 0 });
    const empty = await upload('so-r1-rong.tif', 'b'.repeat(64));
    await finishUpload(db, empty.id, { status: 'rejected', reason: 'empty_file', detail: 'file is 0 bytes', pageCount: 0 });
    await upload('so-r1-cho.pdf', 'c'.repeat(64));
    await addAccount(db, 'lan', 'staff', ['HBT']);
    lan = (await signIn(app, 'lan')).session;
    await addAccount(db, 'son', 'supervisor', ['HBT']);
    son = (await signIn(app, 'son')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('names each refused file with its reason and what to do, and counts it among the book’s problems', async () => {
    const page = (await as(app, lan, { url: `/books/${bookId}` })).body;
    expect(page).not.toContain('Không phát hiện vấn đề.');
    expect(page).toContain('Tệp so-r1-hong.pdf không dùng được: Tệp bị hỏng, không đọc được nội dung ảnh. Hãy mở thử trên máy quét hoặc xuất lại tệp.');
    expect(page).toContain('Tệp so-r1-rong.tif không dùng được: Tệp rỗng (0 byte). Hãy xuất lại hoặc quét lại tệp rồi tải lên lần nữa.');
    const list = (await as(app, lan, { url: '/books' })).body;
    expect(list).toContain(`<a href="/books/${bookId}#issues" class="warn">2</a>`);
    expect((await as(app, lan, { url: '/books?action=1' })).body).toContain(`<a href="/books/${bookId}">Khai sinh · quyển R1</a>`);
  });

  it('offers the upload links only to people who may upload (a supervisor reads the problems without them)', async () => {
    const staff = (await as(app, lan, { url: `/books/${bookId}` })).body;
    expect(staff).toContain(`<a href="/upload?book=${bookId}" class="handle">Tải lên lại</a>`);
    expect(staff).toContain('class="upload-more"');
    const supervisor = (await as(app, son, { url: `/books/${bookId}` })).body;
    expect(supervisor).toContain('Tệp so-r1-hong.pdf không dùng được');
    expect(supervisor).not.toContain('/upload?book=');
  });

  it('shows files not yet read as waiting, not as a book without pages', async () => {
    const page = (await as(app, lan, { url: `/books/${bookId}` })).body;
    expect(page).toContain('0 trang (1 tệp đang chờ xử lý)');
    expect(page).toContain('Chưa có trang nào: 1 tệp đang chờ xử lý');
    expect(page).not.toContain('Sổ chưa có trang nào.');
  });

  it('keeps listing on the upload page, after a reload, the files the person sent that were refused or still wait', async () => {
    const db = p.services.db;
    const mine = await registerUpload(db, { bookId, fileName: 'so-r1-lan.pdf', sha256: 'e'.repeat(64), bytes: 10, uploadedBy: 'lan' });
    await finishUpload(db, mine.id, { status: 'rejected', reason: 'corrupt_file', detail: 'PDF could not be opened', pageCount: 0 });
    await registerUpload(db, { bookId, fileName: 'so-r1-lan-2.pdf', sha256: 'f'.repeat(64), bytes: 10, uploadedBy: 'lan' });
    const page = (await as(app, lan, { url: '/upload' })).body;
    expect(page).toContain(`so-r1-lan.pdf (<a href="/books/${bookId}">Khai sinh · quyển R1</a>): Tệp bị hỏng, không đọc được nội dung ảnh.`);
    expect(page).toContain(`so-r1-lan-2.pdf (<a href="/books/${bookId}">Khai sinh · quyển R1</a>): đang chờ xử lý`);
    // only the person's own files: another's upload of the same book is on the book's page
    expect(page).not.toContain('so-r1-hong.pdf');
  });

  it('drops a refused file from the problems once a file of the same name is delivered again', async () => {
    const db = p.services.db;
    await registerUpload(db, { bookId, fileName: 'so-r1-hong.pdf', sha256: 'd'.repeat(64), bytes: 10, uploadedBy: 'test' });
    const page = (await as(app, lan, { url: `/books/${bookId}` })).body;
    expect(page).not.toContain('Tệp so-r1-hong.pdf không dùng được');
    expect(page).toContain('Tệp so-r1-rong.tif không dùng được');
  });

  describe('repeats and marking handled', () => {
    let r2: number;
    const refuse = async (fileName: string, sha256: string) => {
      const u = await registerUpload(p.services.db, { bookId: r2, fileName, sha256, bytes: 10, uploadedBy: 'lan' });
      await finishUpload(p.services.db, u.id, { status: 'rejected', reason: 'corrupt_file', detail: 'PDF could not be opened', pageCount: 0 });
      return u.id;
    };
    const dismiss = (s: Browser, id: number) =>
      as(app, s, {
        method: 'POST', url: `/refused-files/${id}`, payload: new URLSearchParams({ _csrf: s.csrf! }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null,
      });
    let first: number;

    beforeAll(async () => {
      r2 = await ensureBook(p.services.db, { officeCode: 'HBT', registerType: 'birth', bookNo: 'R2', yearFrom: 1971 });
      first = await refuse('so-r2.pdf', '1'.repeat(64));
      await refuse('so-r2.pdf', '1'.repeat(64));
      // the same bytes under another name, then the first name with other bytes: both repeats of the one file
      await refuse('so-r2-ban-sao.pdf', '1'.repeat(64));
      await refuse('so-r2.pdf', '2'.repeat(64));
      await refuse('so-r2-khac.pdf', '3'.repeat(64));
    });

    it('shows a file refused several times as one problem with the count, and counts it once', async () => {
      const page = (await as(app, lan, { url: `/books/${r2}` })).body;
      expect(page.match(/class="refused-file"/g)).toHaveLength(2);
      expect(page).toContain(`Tệp so-r2.pdf (cùng nội dung: so-r2-ban-sao.pdf) (bị từ chối 4 lần) không dùng được: Tệp bị hỏng`);
      expect(page).toContain(`<a href="/refused-files/${first}" class="dismiss">Đánh dấu đã xử lý</a>`);
      expect((await as(app, lan, { url: '/books?bookNo=R2' })).body).toContain(`<a href="/books/${r2}#issues" class="warn">2</a>`);
    });

    it('marks a refused file handled with all its repeats, recorded with who and when, and stops counting it', async () => {
      expect((await as(app, lan, { url: `/refused-files/${first}` })).body).toContain('đã bị từ chối 4 lần');
      const response = await dismiss(lan, first);
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`/books/${r2}#issues`);
      const page = (await as(app, lan, { url: `/books/${r2}` })).body;
      expect(page.match(/class="refused-file"/g)).toHaveLength(1);
      // the handled list names every name the marked uploads had, not one of them
      expect(page).toMatch(/<li class="dismissed-file">Tệp so-r2-ban-sao\.pdf, so-r2\.pdf \(4 lần tải lên\) bị từ chối: đã đánh dấu đã xử lý · lan · /);
      expect((await as(app, lan, { url: '/books?bookNo=R2' })).body).toContain(`<a href="/books/${r2}#issues" class="warn">1</a>`);
      const audit = await p.services.db.query<{ actor: string; object_id: string; detail: { uploadIds: number[] } }>(
        `select actor, object_id, detail from audit_event where action = 'refused_file_dismissed'`);
      expect(audit).toHaveLength(1);
      expect(audit[0]!).toMatchObject({ actor: 'lan', object_id: String(first) });
      expect(audit[0]!.detail.uploadIds).toHaveLength(4);
    });

    it('refuses marking a problem already handled, and a book of another office', async () => {
      const again = await dismiss(son, first);
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('Vấn đề này đã được người khác xử lý.');
      await ensureBook(p.services.db, { officeCode: 'BD', registerType: 'birth', bookNo: '01', yearFrom: 1971 });
      await addAccount(p.services.db, 'tam', 'staff', ['BD']);
      const tam = (await signIn(app, 'tam')).session;
      const other = await refuse('so-r2-le.pdf', '4'.repeat(64));
      expect((await dismiss(tam, other)).statusCode).toBe(403);
      expect((await as(app, lan, { url: `/books/${r2}` })).body).toContain('Tệp so-r2-le.pdf không dùng được');
    });
  });

  // A name says little ("scan.pdf" from every scanner): files are one only by their bytes or as the same upload retried.
  describe('which refused uploads are one file', () => {
    let r3: number;
    const refuse = async (fileName: string, sha256: string, by: string, reason: 'corrupt_file' | 'empty_file' = 'corrupt_file', daysAgo = 0) => {
      const db = p.services.db;
      const u = await registerUpload(db, { bookId: r3, fileName, sha256, bytes: 10, uploadedBy: by });
      await finishUpload(db, u.id, { status: 'rejected', reason, detail: 'test', pageCount: 0 });
      if (daysAgo) await db.query(`update upload set created_at = now() - make_interval(days => $2) where id = $1`, [u.id, daysAgo]);
      return u.id;
    };
    const problems = async () => (await as(app, lan, { url: `/books/${r3}` })).body.match(/<li class="refused-file">[^<]*/g) ?? [];

    beforeAll(async () => {
      r3 = await ensureBook(p.services.db, { officeCode: 'HBT', registerType: 'birth', bookNo: 'R3', yearFrom: 1972 });
    });

    it('keeps unrelated files of one name apart: other bytes on another day, by another person, or refused otherwise', async () => {
      await refuse('scan.pdf', '5'.repeat(64), 'lan', 'corrupt_file', 3);
      await refuse('scan.pdf', '6'.repeat(64), 'lan');
      await refuse('scan.pdf', '7'.repeat(64), 'minh');
      await refuse('scan.pdf', '8'.repeat(64), 'lan', 'empty_file');
      expect(await problems()).toHaveLength(4);
      expect((await as(app, lan, { url: '/books?bookNo=R3' })).body).toContain(`<a href="/books/${r3}#issues" class="warn">4</a>`);
    });

    it('folds the same upload retried, and same bytes under any name, whatever order links them', async () => {
      // "a.pdf" then "b.pdf" (other bytes), then b.pdf's retry carrying a.pdf's bytes: one file, linked through the last
      const a = await refuse('a.pdf', '9'.repeat(64), 'minh');
      await refuse('b.pdf', 'a1'.repeat(32), 'minh');
      await refuse('b.pdf', '9'.repeat(64), 'minh');
      expect(await problems()).toHaveLength(5);
      expect((await as(app, lan, { url: `/books/${r3}` })).body).toContain('<li class="refused-file">Tệp a.pdf (cùng nội dung: b.pdf) (bị từ chối 3 lần) không dùng được: Tệp bị hỏng, không đọc được nội dung ảnh. Hãy mở thử trên máy quét hoặc xuất lại tệp.');
      expect((await as(app, lan, { url: '/books?bookNo=R3' })).body).toContain(`<a href="/books/${r3}#issues" class="warn">5</a>`);
      const dismissed = await as(app, lan, {
        method: 'POST', url: `/refused-files/${a}`, payload: new URLSearchParams({ _csrf: lan.csrf! }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null,
      });
      expect(dismissed.statusCode).toBe(303);
      const page = (await as(app, lan, { url: `/books/${r3}` })).body;
      expect(page).toMatch(/<li class="dismissed-file">Tệp a\.pdf, b\.pdf \(3 lần tải lên\) bị từ chối: đã đánh dấu đã xử lý · lan · /);
      expect(await problems()).toHaveLength(4);
    });
  });

  // A later upload can join two problems into one named by the earlier first upload; names joined by a retry are not copies.
  describe('problems joined by a later upload', () => {
    let r4: number;
    const refuse = async (fileName: string, sha256: string) => {
      const u = await registerUpload(p.services.db, { bookId: r4, fileName, sha256, bytes: 10, uploadedBy: 'minh' });
      await finishUpload(p.services.db, u.id, { status: 'rejected', reason: 'corrupt_file', detail: 'test', pageCount: 0 });
      return u.id;
    };
    const problems = async () => (await as(app, lan, { url: `/books/${r4}` })).body.match(/<li class="refused-file">[^<]*/g) ?? [];

    beforeAll(async () => {
      r4 = await ensureBook(p.services.db, { officeCode: 'HBT', registerType: 'birth', bookNo: 'R4', yearFrom: 1973 });
    });

    it('still reaches a joined problem by its old address, and marks it handled there', async () => {
      await refuse('c.pdf', 'c1'.repeat(32));
      const d = await refuse('d.pdf', 'd1'.repeat(32));
      expect((await as(app, lan, { url: `/refused-files/${d}` })).body).toContain('<h1>Tệp d.pdf bị từ chối</h1>');
      // d.pdf retried with c.pdf's bytes: one problem, now named by c.pdf's upload
      await refuse('d.pdf', 'c1'.repeat(32));
      expect(await problems()).toHaveLength(1);
      const page = (await as(app, lan, { url: `/refused-files/${d}` })).body;
      expect(page).toContain('<h1>Tệp c.pdf bị từ chối</h1>');
      expect(page).not.toContain('đã được đánh dấu đã xử lý');
      const marked = await as(app, lan, {
        method: 'POST', url: `/refused-files/${d}`, payload: new URLSearchParams({ _csrf: lan.csrf! }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null,
      });
      expect(marked.statusCode).toBe(303);
      expect(await problems()).toHaveLength(0);
    });

    it('refuses marking from a page that showed the problem before a later upload joined it', async () => {
      const f = await refuse('f.pdf', 'f1'.repeat(32));
      const shown = (await as(app, lan, { url: `/refused-files/${f}` })).body.match(/name="seen" value="([^"]*)"/)?.[1];
      expect(shown).toBe(String(f));
      await refuse('f.pdf', 'f1'.repeat(32));
      const post = (seen: string) => as(app, lan, {
        method: 'POST', url: `/refused-files/${f}`, payload: new URLSearchParams({ _csrf: lan.csrf!, seen }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null,
      });
      const stale = await post(shown!);
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('Vấn đề này đã thay đổi từ khi bạn mở trang');
      expect(await problems()).toHaveLength(1);
      const now = (await as(app, lan, { url: `/refused-files/${f}` })).body.match(/name="seen" value="([^"]*)"/)?.[1];
      expect((await post(now!)).statusCode).toBe(303);
      expect(await problems()).toHaveLength(0);
    });

    it('calls a name the same content only when it carries the file’s bytes, not when it joined through a retry', async () => {
      // x.pdf, its bytes as y.pdf, y.pdf retried with other bytes, those bytes as z.pdf: z.pdf is no copy of x.pdf
      const x = await refuse('x.pdf', 'e1'.repeat(32));
      await refuse('y.pdf', 'e1'.repeat(32));
      await refuse('y.pdf', 'e2'.repeat(32));
      await refuse('z.pdf', 'e2'.repeat(32));
      expect(await problems()).toEqual(['<li class="refused-file">Tệp x.pdf (cùng nội dung: y.pdf) (liên quan qua lần tải lại: z.pdf) (bị từ chối 4 lần) không dùng được: Tệp bị hỏng, không đọc được nội dung ảnh. Hãy mở thử trên máy quét hoặc xuất lại tệp. ']);
      const page = (await as(app, lan, { url: `/refused-files/${x}` })).body;
      expect(page).toContain('Cùng nội dung còn được tải lên với tên: y.pdf.');
      expect(page).toContain('Liên quan qua lần tải lại (nội dung khác): z.pdf.');
    });
  });

  // A refusal is settled by its retry being taken, not by any later file of its name (src/db/book-files.ts retryOf).
  describe('a refused file settled by its retry', () => {
    let r5: number;
    const send = async (fileName: string, sha256: string, by: string, hoursAgo: number, refused: boolean) => {
      const u = await registerUpload(p.services.db, { bookId: r5, fileName, sha256, bytes: 10, uploadedBy: by });
      if (refused) await finishUpload(p.services.db, u.id, { status: 'rejected', reason: 'corrupt_file', detail: 'test', pageCount: 0 });
      else if (u.status === 'received') await finishUpload(p.services.db, u.id, { status: 'ingested', pageCount: 1 });
      await p.services.db.query(`update upload set created_at = now() - make_interval(hours => $2) where id = $1`, [u.id, hoursAgo]);
    };
    const problems = async () => [...(await as(app, lan, { url: `/books/${r5}` })).body.matchAll(/<li class="refused-file">Tệp ([^ ]+)/g)].map((m) => m[1]).sort();

    beforeAll(async () => {
      r5 = await ensureBook(p.services.db, { officeCode: 'HBT', registerType: 'birth', bookNo: 'R5', yearFrom: 1974 });
    });

    it('stays a problem when a later file of its name is another person’s, days later, or its own bytes again', async () => {
      await send('other-day.pdf', '71'.repeat(32), 'lan', 72, true);
      await send('other-day.pdf', '72'.repeat(32), 'lan', 0, false);
      await send('colleague.pdf', '73'.repeat(32), 'lan', 2, true);
      await send('colleague.pdf', '74'.repeat(32), 'minh', 1, false);
      // the refused bytes sent again are read again and refused again: still one problem
      await send('same-bytes.pdf', '75'.repeat(32), 'lan', 2, true);
      await send('same-bytes.pdf', '75'.repeat(32), 'lan', 1, true);
      expect(await problems()).toEqual(['colleague.pdf', 'other-day.pdf', 'same-bytes.pdf']);
      expect((await as(app, lan, { url: '/books?bookNo=R5' })).body).toContain(`<a href="/books/${r5}#issues" class="warn">3</a>`);
    });

    it('is settled by the same person’s retry of its name taken within a day of it or of the refusals between', async () => {
      await send('retried.pdf', '76'.repeat(32), 'lan', 3, true);
      await send('retried.pdf', '7b'.repeat(32), 'lan', 1, false);
      // refused, refused again 20 hours later, taken 20 hours after that: one file retried without a day's pause
      await send('chain.pdf', '78'.repeat(32), 'lan', 40, true);
      await send('chain.pdf', '79'.repeat(32), 'lan', 20, true);
      await send('chain.pdf', '7a'.repeat(32), 'lan', 0, false);
      // the refused bytes themselves sent again (a limit since raised, a passing fault) are read, not a duplicate
      await send('limit-raised.pdf', '7c'.repeat(32), 'lan', 2, true);
      await send('limit-raised.pdf', '7c'.repeat(32), 'lan', 1, false);
      const [again] = await p.services.db.query<{ status: string }>(`select status from upload where file_name = 'limit-raised.pdf' order by id desc limit 1`);
      expect(again!.status).toBe('ingested');
      expect(await problems()).toEqual(['colleague.pdf', 'other-day.pdf', 'same-bytes.pdf']);
    });
  });
});
