import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry } from '../http/review-seed.ts';
import { addAccount, PASSWORD, testServer } from '../http/web-helpers.ts';
import { launchBrowser, signInPage } from './harness.ts';

describe('workbench in a real browser', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    [p, browser] = await Promise.all([startTestPipeline({ workers: false }), launchBrowser()]);
    app = testServer(p);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await ensureBook(p.services.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    await addAccount(p.services.db, 'lan', 'staff', ['HBT']);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await p?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    // Nothing may leave the machine: every request goes to civreg itself.
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) throw new Error(`external request: ${request.url()}`);
    });
    return page;
  }

  it('a verifier reviews an entry by keyboard only until it is verified', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 12,
      fields: [
        { field: 'fullName', value: 'Nguyễn Thị Hoà', reasons: ['low_confidence'], priority: 5 },
        { field: 'birthDate', value: '1962-08-15', reasons: ['words_disagree'], priority: 5 },
        { field: 'fatherName', value: null, reasons: ['parse_failed'], priority: 5 },
        { field: 'ethnicity', value: 'Kinh' },
      ],
    });
    const page = await newPage();
    await signInPage(page, base, 'hoa', PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/review');
    const name = page.locator(`#f-${seeded.items.fullName}`);
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await name.inputValue()).toBe('Nguyễn Thị Hoà');
    await expect.poll(() => page.locator('#crop img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
    if (process.env.CIVREG_SCREENSHOTS) await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/review.png` });
    await page.keyboard.press('Enter'); // accept the machine's value

    const date = page.locator(`#f-${seeded.items.birthDate}`);
    await expect.poll(() => date.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await date.inputValue()).toBe('15/08/1962');
    await page.keyboard.type('15/3/62'); // typing replaces the selected machine value
    await expect.poll(() => page.locator(`[data-index="1"] .check`).textContent()).toBe('→ 15/03/1962');
    await page.keyboard.press('Enter');

    const father = page.locator(`#f-${seeded.items.fatherName}`);
    await expect.poll(() => father.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('F2'); // unreadable

    await expect.poll(() => page.locator('#review').getAttribute('data-state')).toBe('empty');
    const fields = await p.services.db.query<{ field: string; value: string | null; status: string; source: string }>(
      'select field, value, status, source from entry_field where entry_id = $1 order by id',
      [seeded.entryId],
    );
    expect(fields).toEqual([
      { field: 'fullName', value: 'Nguyễn Thị Hoà', status: 'verified', source: 'verifier' },
      { field: 'birthDate', value: '1962-03-15', status: 'verified', source: 'verifier' },
      { field: 'fatherName', value: null, status: 'unreadable', source: 'verifier' },
      { field: 'ethnicity', value: 'Kinh', status: 'auto_accepted', source: 'machine' },
    ]);
    const [entry] = await p.services.db.query<{ status: string }>('select status from entry where id = $1', [seeded.entryId]);
    expect(entry!.status).toBe('verified');
    expect(await page.locator('#stats').textContent()).toContain('Hôm nay: 3 trường');
    await page.context().close();
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
});
