import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPipeline } from '../helpers/services.ts';
import { seedEntry } from '../http/review-seed.ts';
import { as, PASSWORD, signIn } from '../http/web-helpers.ts';
import { signInPage, startBrowserDesk } from './harness.ts';

const UNTIL = { timeout: 20_000, interval: 50 };

describe('review screen F6, in a real browser', () => {
  let p: TestPipeline;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ p, app, browser, base, close } = await startBrowserDesk([
      ['hoa', 'verifier', ['HBT']], ['minh', 'verifier', ['HBT']], ['an', 'verifier', ['HBT']], ['binh', 'verifier', ['HBT']], ['thu', 'supervisor', ['HBT']],
    ] as const));
  });
  afterAll(async () => {
    await close?.();
  });

  /** An entry with two flagged fields (hometown, fullName) open on hoa's review screen. */
  const openEntry = async (entryNo: number) => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      entryNo,
      fields: [
        { field: 'hometown', value: 'Xã Đông La', reasons: ['low_confidence'] },
        { field: 'fullName', value: 'Phạm Văn Tú', reasons: ['low_confidence'] },
      ],
    });
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await signInPage(page, base, 'hoa', PASSWORD);
    return { seeded, page };
  };

  it('F6 says the book’s line is empty, as on the keying screen, and moves on', async () => {
    const { seeded, page } = await openEntry(14);
    const hometown = page.locator(`#f-${seeded.items.hometown}`);
    await expect.poll(() => hometown.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    await page.keyboard.press('F6');
    const name = page.locator(`#f-${seeded.items.fullName}`);
    await expect.poll(() => name.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    await expect.poll(() => hometown.getAttribute('placeholder'), UNTIL).toBe('Sổ để trống');
    expect(await hometown.inputValue()).toBe('');
    // the hint under it says what was stored, not «Giữ giá trị máy đọc» any more
    await expect.poll(() => page.locator(`[data-index="0"] .check`).textContent(), UNTIL).toBe('Đã lưu: Sổ để trống.');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('empty');
    const fields = await p.services.db.query<{ field: string; value: string | null; status: string }>(
      'select field, value, status from entry_field where entry_id = $1 order by id', [seeded.entryId]);
    expect(fields).toEqual([{ field: 'hometown', value: null, status: 'verified' }, { field: 'fullName', value: 'Phạm Văn Tú', status: 'verified' }]);
    await page.context().close();
  }, 60_000);

  it('keeps Shift+Tab and Tab within the fields: never on to «Đăng xuất»', async () => {
    const { seeded, page } = await openEntry(15);
    const first = page.locator(`#f-${seeded.items.hometown}`);
    const last = page.locator(`#f-${seeded.items.fullName}`);
    await expect.poll(() => first.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await expect.poll(() => last.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    await page.keyboard.press('Tab');
    await expect.poll(() => first.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    // Enter saved the field focused, and the verifier is still signed in
    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('ready');
    await expect.poll(async () => (await p.services.db.query<{ status: string }>(`select status from entry_field where entry_id = $1 and field = 'fullName'`, [seeded.entryId]))[0]!.status, UNTIL).toBe('verified');
    expect(page.url()).toContain('/review');
    await page.context().close();
  }, 60_000);

  it('shows the age the book states beside a parent’s birth year worked out from it', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 16, fields: [{ field: 'motherBirthYear', value: '1932', reasons: ['low_confidence'] }] });
    await p.services.db.query(`update entry_field set raw = '30 tuổi' where entry_id = $1`, [seeded.entryId]);
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    // another verifier: hoa still holds the entry the test above left half done
    await signInPage(page, base, 'minh', PASSWORD);
    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('ready');
    expect(await page.locator('[data-index="0"] .machine').textContent()).toBe('Máy đọc: 1932 (sổ ghi 30 tuổi; năm sinh tính từ tuổi)');
    await page.context().close();
  }, 60_000);

  it('F6 on the arbitration screen says the book’s line is empty, as on the review screen', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 17, fields: [{ field: 'fatherName', value: 'Ngo Van', reasons: ['handwritten'] }] });
    // two blind keyings that disagree (an and binh hold nothing else), so the field waits for a supervisor
    for (const [name, input] of [['an', 'Ngô Văn Tâm'], ['binh', 'Ngô Văn Tám']] as const) {
      const { session } = await signIn(app, name);
      expect((await as(app, session, { method: 'POST', url: '/review/next', payload: {} })).json().entry.entryId).toBe(seeded.entryId);
      await as(app, session, { method: 'POST', url: `/review/items/${seeded.items.fatherName}`, payload: { action: 'correct', input, ms: 1500 } });
    }
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await signInPage(page, base, 'thu', PASSWORD);
    await page.goto(`${base}/arbitration`);
    await expect.poll(() => page.locator('#arbitration').getAttribute('data-state'), UNTIL).toBe('ready');
    await page.keyboard.press('F6');
    await expect.poll(() => page.locator('#arbitration').getAttribute('data-state'), UNTIL).toBe('empty');
    expect(await page.locator('#message').textContent()).toBe('Đã phân xử; mục đã được kiểm tra xong.');
    const [stored] = await p.services.db.query<Record<string, unknown>>(`select value, status, source from entry_field where entry_id = $1 and field = 'fatherName'`, [seeded.entryId]);
    expect(stored).toEqual({ value: null, status: 'verified', source: 'supervisor' });
    await page.context().close();
  }, 60_000);
});
