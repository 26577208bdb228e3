import { fileURLToPath } from 'node:url';
import { seedEntry } from '../http/review-seed.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPipeline } from '../helpers/services.ts';
import { PASSWORD } from '../http/web-helpers.ts';
import { signInPage, startWorkbench } from './harness.ts';

/** The machine is shared: give the browser time, poll often. */
const UNTIL = { timeout: 20_000, interval: 50 };
const SAMPLE_PAGE = fileURLToPath(new URL('../../samples/b02/page1.jpg', import.meta.url));

// Staff's screens: the book list and dashboard live, uploading through the pipeline (workers run real OCR), book
// issues, accounts, and a role kept off a screen it may not open.
describe('staff screens in a real browser', () => {
  let p: TestPipeline;
  let base: string;
  let newPage: Awaited<ReturnType<typeof startWorkbench>>['newPage'];
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ p, base, newPage, close } = await startWorkbench({ workers: true }));
  });
  afterAll(async () => {
    await close?.();
  });

  it('refuses a role the page it may not open', async () => {
    const page = await newPage();
    await signInPage(page, base, 'lan', PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/books');
    const response = await page.goto(`${base}/review`);
    expect(response!.status()).toBe(403);
    expect(await page.locator('[role="alert"]').textContent()).toContain('Vai trò của bạn không được mở trang này.');
    await page.context().close();
  });

  it('the book list and the book dashboard show a page processed without reloading', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { bookNo: '07', fields: [{ field: 'fullName', value: 'Lý Văn Phúc' }] });
    await p.services.db.query(`update page set status = 'cleaned' where id = $1`, [seeded.pageId]);
    const page = await newPage();
    await signInPage(page, base, 'lan', PASSWORD);
    const list = await page.context().newPage();
    await list.goto(`${base}/books`);
    const progress = list.locator('tr', { has: list.locator(`a[href="/books/${seeded.bookId}"]`) }).locator('progress');
    expect(await progress.evaluate((el: HTMLProgressElement) => el.value)).toBe(0);
    await page.goto(`${base}/books/${seeded.bookId}`);
    const row = page.locator(`#page-${seeded.pageId}`);
    expect(await row.locator('td').nth(2).textContent()).toBe('Đã làm sạch ảnh');
    for (const tab of [page, list]) {
      await expect.poll(() => tab.locator('#book-live').getAttribute('data-live'), UNTIL).toBe('on');
      await tab.evaluate(() => Object.assign(window, { loadedOnce: true }));
    }
    await p.services.db.query(`update page set status = 'routed', updated_at = now() where id = $1`, [seeded.pageId]);
    await expect.poll(() => row.locator('td').nth(2).textContent(), UNTIL).toBe('Đã đọc xong');
    await expect.poll(() => progress.evaluate((el: HTMLProgressElement) => el.value), UNTIL).toBe(1);
    for (const tab of [page, list]) expect(await tab.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    // A hidden tab lets its stream go and takes it up again when shown.
    const setHidden = (hidden: boolean) => list.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { value: h, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    await setHidden(true);
    expect(await list.locator('#book-live').getAttribute('data-live')).toBe('paused');
    await setHidden(false);
    await expect.poll(() => list.locator('#book-live').getAttribute('data-live'), UNTIL).toBe('on');
    await page.context().close();
  });

  it('a live update of a long book keeps the person’s place and what they opened', async () => {
    const db = p.services.db;
    const seeded = await seedEntry(db, p.services.blobs, { bookNo: '08', fields: [{ field: 'fullName', value: 'Hồ Thị Lan' }] });
    await db.query(
      `insert into page (book_id, upload_id, file_index, label, status) select book_id, upload_id, n - 1, n::text, 'routed' from page, generate_series(2, 90) n where page.id = $1`,
      [seeded.pageId],
    );
    await db.query(`insert into book_issue (book_id, kind, year, status, detail) values ($1, 'entry_gap', 1962, 'resolved', '{"missing": [3]}')`, [seeded.bookId]);
    const [last] = await db.query<{ id: number }>(`select id from page where book_id = $1 and label = '90'`, [seeded.bookId]);
    const page = await newPage();
    await signInPage(page, base, 'lan', PASSWORD);
    await page.goto(`${base}/books/${seeded.bookId}`);
    await expect.poll(() => page.locator('#book-live').getAttribute('data-live'), UNTIL).toBe('on');
    // A new stream's first look at the book sends it once (book-feed.ts); under load that can come after the
    // place below is taken and would count as a second update.
    await expect.poll(() => page.locator('#book-live').getAttribute('data-updated'), UNTIL).toBe('1');
    await page.locator('#settled-issues summary').click();
    await page.locator(`#page-${last!.id}`).scrollIntoViewIfNeeded();
    const place = await page.evaluate(() => {
      Object.assign(document.getElementById('book-summary')!, { kept: true });
      return { y: window.scrollY, updated: Number(document.getElementById('book-live')!.dataset.updated ?? 0) };
    });
    expect(place.y).toBeGreaterThan(1000);
    await db.query(`update page set reason = 'blurred', updated_at = now() where id = $1`, [last!.id]);
    await expect.poll(() => page.locator(`#page-${last!.id} td`).nth(3).textContent(), UNTIL).toMatch(/^Trang bị mờ/);
    expect(await page.evaluate(() => ({
      open: (document.getElementById('settled-issues') as HTMLDetailsElement).open,
      y: window.scrollY,
      summaryKept: (document.getElementById('book-summary') as unknown as { kept?: boolean }).kept,
      updated: Number(document.getElementById('book-live')!.dataset.updated),
    }))).toEqual({ open: true, y: place.y, summaryKept: true, updated: place.updated + 1 });
    await page.context().close();
  });

  it('a supervisor creates an account in the form and sees its one-time password once', async () => {
    const page = await newPage();
    await signInPage(page, base, 'thu', PASSWORD);
    await page.goto(`${base}/accounts`);
    await page.getByLabel('Tên đăng nhập').fill('ngoc');
    await page.getByLabel('Vai trò').selectOption('staff');
    await page.getByLabel('HBT – Quận Hai Bà Trưng').check();
    await Promise.all([page.waitForURL(`${base}/accounts`), page.keyboard.press('Enter')]);
    const password = await page.locator('#one-time code.password').textContent();
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(await page.locator('[data-account="ngoc"] td').nth(1).textContent()).toBe('Cán bộ lưu trữ');
    if (process.env.CIVREG_SCREENSHOTS) await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/accounts.png` });
    // shown once: reloading the answer does not send the form again (no second account, no new password) …
    await page.reload();
    expect(await page.locator('#one-time').count()).toBe(0);
    expect(await page.locator('.error').count()).toBe(0);
    // … and the screen opened again does not show it
    await page.goto(`${base}/accounts`);
    expect(await page.locator('#one-time').count()).toBe(0);
    await page.context().close();
    const ngoc = await newPage();
    await signInPage(ngoc, base, 'ngoc', password!);
    // the one-time password is replaced by one of her own before anything else
    expect(new URL(ngoc.url()).pathname).toBe('/password');
    await ngoc.getByLabel('Mật khẩu hiện tại').fill(password!);
    await ngoc.getByLabel('Mật khẩu mới', { exact: true }).fill('sổ hộ tịch của Ngọc');
    await ngoc.getByLabel('Nhập lại mật khẩu mới').fill('sổ hộ tịch của Ngọc');
    await Promise.all([ngoc.waitForURL(`${base}/password?changed=1`), ngoc.keyboard.press('Enter')]);
    await ngoc.goto(`${base}/books`);
    expect(new URL(ngoc.url()).pathname).toBe('/books');
    await ngoc.context().close();
    // a password reset answered at its own address: reloading shows the account list, and resets nothing again
    const again = await newPage();
    await signInPage(again, base, 'thu', PASSWORD);
    await again.goto(`${base}/accounts`);
    await again.locator('[data-account="ngoc"]').getByRole('button', { name: 'Đặt lại mật khẩu' }).click();
    await expect.poll(() => again.locator('#one-time').count(), UNTIL).toBe(1);
    const resets = () => p.services.db.query(`select 1 from audit_event where action = 'account_password_reset'`);
    expect(await resets()).toHaveLength(1);
    // the answer's page has put its own address in place of the POST's (post-result.js) before the person reloads
    await expect.poll(() => new URL(again.url()).pathname, UNTIL).toBe('/accounts');
    await again.reload();
    expect(new URL(again.url()).pathname).toBe('/accounts');
    expect(await again.locator('[data-account="ngoc"]').count()).toBe(1);
    expect(await again.locator('#one-time').count()).toBe(0);
    expect(await resets()).toHaveLength(1);
    await again.context().close();
  });

  it('staff upload a sample book page and watch it through the pipeline', async () => {
    const page = await newPage();
    await signInPage(page, base, 'lan', PASSWORD);
    await page.goto(`${base}/upload`);
    // The office's books are offered as the number is typed.
    await expect.poll(() => page.locator('#known-books option').evaluateAll((options: HTMLOptionElement[]) => options.map((o) => o.label)), UNTIL).toContain('Khai sinh quyển 01 năm 1962');
    await page.getByLabel('Quyển số').fill('02');
    await page.getByLabel('Năm').fill('2000');
    expect(await page.locator('#book-known').textContent()).toBe('Sổ này chưa có: sổ mới sẽ được tạo khi tải lên.');
    await page.locator('#pick-files').setInputFiles(SAMPLE_PAGE);
    const row = page.locator('.file').first();
    await expect.poll(() => row.locator('progress').evaluate((el: HTMLProgressElement) => el.value), UNTIL).toBe(1);
    // The page's verdict appears as the pipeline reaches it; the file settles when every page has one.
    await expect.poll(() => row.locator('.state').textContent(), { timeout: 90_000, interval: 500 }).toMatch(/^Đã đọc xong 1 trang\.$|^Đã có kết quả 1 trang: 0 trang đã đọc, 1 trang cần xem bên dưới\.$/);
    expect(await row.locator('.pages').textContent()).toMatch(/^Trang 1: /);
    const [upload] = await p.services.db.query<{ uploaded_by: string; book_no: string; year_from: number }>(
      `select u.uploaded_by, b.book_no, b.year_from from upload u join book b on b.id = u.book_id where u.file_name = 'page1.jpg'`,
    );
    expect(upload).toEqual({ uploaded_by: 'lan', book_no: '02', year_from: 2000 });
    const [book02] = await p.services.db.query<{ id: number }>(`select id from book where book_no = '02' and year_from = 2000`);
    expect(await row.locator('a.book-link').getAttribute('href')).toBe(`/books/${book02!.id}`);
    expect(await page.locator('#upload-message a.book-link').getAttribute('href')).toBe(`/books/${book02!.id}`);

    // "2" of 2000 is 02 of 2000, leading zeros aside, and the page says so before anything is sent …
    await page.getByLabel('Quyển số').fill('2');
    expect(await page.locator('#book-known').textContent()).toBe('Tải vào sổ có sẵn: Khai sinh quyển 02 năm 2000.');
    // … while "2" without a year is asked about before a new book is made; the person sends it to 02 of 2000.
    await page.getByLabel('Năm').fill('');
    await page.locator('#pick-files').setInputFiles(SAMPLE_PAGE);
    const question = page.locator('#book-check-question');
    await expect.poll(() => question.textContent(), UNTIL).toBe('Đã có sổ Khai sinh quyển 02 năm 2000 — tải vào sổ đó?');
    expect(await page.locator('.file').count()).toBe(1);
    await page.getByRole('button', { name: 'Tải vào sổ Khai sinh quyển 02 năm 2000' }).click();
    const second = page.locator('.file').nth(1);
    await expect.poll(() => second.locator('.state').textContent(), UNTIL).toBe('Tệp này đã được tải lên trước đó; không xử lý lại.');
    expect(await page.getByLabel('Quyển số').inputValue()).toBe('02');
    expect(await second.locator('a.book-link').getAttribute('href')).toBe(`/books/${book02!.id}`);
    const sent = await p.services.db.query<{ book_no: string }>(`select b.book_no from upload u join book b on b.id = u.book_id where u.file_name = 'page1.jpg' order by u.id`);
    expect(sent.map((u) => u.book_no)).toEqual(['02', '02']);
    expect(await p.services.db.query(`select id from book where book_no = '2'`)).toEqual([]);
    if (process.env.CIVREG_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/upload.png` });
      await page.goto(`${base}/books`);
      await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/books.png` });
      await page.locator('a', { hasText: 'quyển 02' }).click();
      await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/book.png`, fullPage: true });
    }
    await page.context().close();
  }, 120_000);

  it('staff settle a book issue from the book page with a note, and it leaves the list of problems', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { bookNo: '31', entryNo: 8, fields: [{ field: 'fullName', value: 'Phạm Văn Tú' }] });
    await p.services.db.query(`update entry set struck = true, status = 'struck' where id = $1`, [seeded.entryId]);
    await p.services.db.query(`update entry_field set status = 'pending' where entry_id = $1`, [seeded.entryId]);
    const [{ id }] = (await p.services.db.query<{ id: number }>(
      `insert into book_issue (book_id, kind, year, page_id, entry_id) values ($1, 'struck_entry', 1962, $2, $3) returning id`,
      [seeded.bookId, seeded.pageId, seeded.entryId])) as [{ id: number }];
    const page = await newPage();
    await signInPage(page, base, 'lan', PASSWORD);
    await page.goto(`${base}/books/${seeded.bookId}`);
    await page.locator(`a[href="/book-issues/${id}"]`).click();
    await page.getByLabel(/Ghi chú/).fill('Vết mực loang, mục không bị gạch');
    if (process.env.CIVREG_SCREENSHOTS) await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/book-issue.png` });
    // the entry is not struck after all: the page says what became of it
    await Promise.all([page.waitForURL(`${base}/book-issues/${id}`), page.getByRole('button', { name: 'Không phải lỗi của sổ' }).click()]);
    expect(await page.locator('#entry-restored').textContent()).toContain('không còn bị coi là gạch bỏ: mục được giữ lại trong sổ và 1 trường');
    await page.getByRole('link', { name: 'Về sổ' }).click();
    await expect.poll(() => page.locator(`a.handle[href="/book-issues/${id}"]`).count(), UNTIL).toBe(0);
    expect(await page.locator('details.settled').textContent()).toContain('Vấn đề đã xử lý (1)');
    expect(await p.services.db.query(`select status, handled_note from book_issue where id = $1`, [id])).toEqual([{ status: 'dismissed', handled_note: 'Vết mực loang, mục không bị gạch' }]);
    await page.context().close();
  });
});
