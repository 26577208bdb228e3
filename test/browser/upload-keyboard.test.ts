import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInPage, startBrowserDesk } from './harness.ts';
import { PASSWORD } from '../http/web-helpers.ts';

const UNTIL = { timeout: 20_000, interval: 50 };
const SAMPLE_PAGE = fileURLToPath(new URL('../../samples/b02/page1.jpg', import.meta.url));

describe('upload page by keyboard, in a real browser', () => {
  let browser: Browser;
  let base: string;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // no workers: what is checked is the page, not the pipeline behind it
    ({ browser, base, close } = await startBrowserDesk([['lan', 'staff', ['HBT']]] as const));
  });
  afterAll(async () => {
    await close?.();
  });

  /** Presses Tab until the focus is on an element matching `selector`, returning the stops passed on the way. */
  async function tabTo(page: Page, selector: string, most = 30): Promise<string[]> {
    const passed: string[] = [];
    for (let i = 0; i < most; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return passed;
      passed.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || ''));
    }
    throw new Error(`Tab never reached ${selector}; passed ${passed.join(', ')}`);
  }

  it('reaches both file pickers with Tab, each named by its label, and opens the chooser with the keyboard', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    await signInPage(page, base, 'lan', PASSWORD);
    await page.goto(`${base}/upload`);
    await page.getByLabel('Quyển số').fill('05');
    await page.getByLabel('Năm').focus();
    await tabTo(page, '#pick-files');
    // its accessible name is its label's text, what a screen reader says on reaching it
    expect(await page.getByRole('button', { name: 'chọn tệp' }).evaluate((el) => el.id)).toBe('pick-files');
    // the focus shows on the label around it
    const outline = await page.locator('label:has(#pick-files)').evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
    if (process.env.CIVREG_SCREENSHOTS) await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/upload-focus.png` });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 10_000 }), page.keyboard.press('Space')]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles(SAMPLE_PAGE);
    await expect.poll(() => page.locator('.file').count(), UNTIL).toBe(1);
    await expect.poll(() => page.locator('.file progress').evaluate((el: HTMLProgressElement) => el.value), UNTIL).toBe(1);
    // the next stop is the folder picker
    await page.locator('#pick-files').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pick-folder');
    expect(await page.getByRole('button', { name: 'chọn thư mục' }).evaluate((el) => el.id)).toBe('pick-folder');
    await context.close();
  }, 60_000);
});
