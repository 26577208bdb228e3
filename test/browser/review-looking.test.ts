import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPipeline } from '../helpers/services.ts';
import { seedEntry } from '../http/review-seed.ts';
import { PASSWORD } from '../http/web-helpers.ts';
import { signInPage, startBrowserDesk } from './harness.ts';

const UNTIL = { timeout: 20_000, interval: 50 };

// A supervisor looking at the review screen must not hold an entry from the verifiers for the lease's 10 minutes.
describe('review screen opened by a supervisor, in a real browser', () => {
  let p: TestPipeline;
  let browser: Browser;
  let base: string;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ p, browser, base, close } = await startBrowserDesk([['son', 'supervisor', ['HBT']]] as const));
  });
  afterAll(async () => {
    await close?.();
  });

  it('holds nothing until the supervisor chooses to start, then holds the next entry as for a verifier', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 41, fields: [{ field: 'fullName', value: 'Trần Văn Bình', reasons: ['low_confidence'] }] });
    const held = async () => (await p.services.db.query<{ claimedBy: string | null }>('select claimed_by as "claimedBy" from review_item where id = $1', [seeded.items.fullName]))[0]!.claimedBy;
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await signInPage(page, base, 'son', PASSWORD);
    await page.goto(`${base}/review`);
    await expect.poll(() => page.locator('#start-review').evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    expect(await page.locator('#crop').textContent()).toContain('Còn 1 trường chờ kiểm tra. Bạn đang mở màn hình với vai trò giám sát viên: chưa giữ mục nào');
    // the page has loaded its script and settled: still nothing held
    await page.waitForLoadState('networkidle');
    expect(await page.locator('#review').getAttribute('data-state')).toBe('looking');
    expect(await held()).toBeNull();

    // Enter on «Bắt đầu kiểm tra»: the entry is the supervisor's now, with the focus on its field
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('ready');
    await expect.poll(() => page.locator(`#f-${seeded.items.fullName}`).evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    expect(await held()).toBe('son');
    await page.context().close();
  }, 90_000);
});
