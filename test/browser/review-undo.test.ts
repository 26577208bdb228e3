import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_LABELS } from '../../src/review/field-rules.js';
import type { TestPipeline } from '../helpers/services.ts';
import { seedEntry } from '../http/review-seed.ts';
import { PASSWORD } from '../http/web-helpers.ts';
import { signInPage, startBrowserDesk } from './harness.ts';

const UNTIL = { timeout: 20_000, interval: 50 };

describe('review screen undo, in a real browser', () => {
  let p: TestPipeline;
  let browser: Browser;
  let base: string;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ p, browser, base, close } = await startBrowserDesk([['hoa', 'verifier', ['HBT']]] as const));
  });
  afterAll(async () => {
    await close?.();
  });

  it('Ctrl+Z brings back the field decided by mistake, open and with the focus, on the entry shown and after the entry was done', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 31,
      fields: [
        { field: 'hometown', value: 'Xã Đông La', reasons: ['low_confidence'] },
        { field: 'fullName', value: 'Phạm Văn Tú', reasons: ['low_confidence'] },
      ],
    });
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await signInPage(page, base, 'hoa', PASSWORD);
    const hometown = page.locator(`#f-${seeded.items.hometown}`);
    const name = page.locator(`#f-${seeded.items.fullName}`);
    const focused = (input: typeof hometown) => expect.poll(() => input.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    const status = async (field: string) => (await p.services.db.query<{ status: string }>('select status from entry_field where entry_id = $1 and field = $2', [seeded.entryId, field]))[0]!.status;
    await focused(hometown);

    // F6 pressed on the wrong field: the screen names it on the undo button
    await page.keyboard.press('F6');
    await focused(name);
    await expect.poll(() => page.locator('#undo').textContent(), UNTIL).toBe(`Hoàn tác «${FIELD_LABELS.hometown}» (Ctrl+Z)`);
    await page.keyboard.press('Control+z');
    await focused(hometown);
    expect(await hometown.inputValue()).toBe('Xã Đông La');
    expect(await hometown.isDisabled()).toBe(false);
    expect(await page.locator('#message').textContent()).toBe(`Đã hoàn tác: trường «${FIELD_LABELS.hometown}» lại chờ bạn quyết định.`);
    expect(await status('hometown')).toBe('review');

    // the entry's last field: the screen had moved on (queue empty); Ctrl+Z brings the entry back
    await page.keyboard.press('Enter');
    await focused(name);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('empty');
    const [verified] = await p.services.db.query<{ status: string }>('select status from entry where id = $1', [seeded.entryId]);
    expect(verified!.status).toBe('verified');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('ready');
    await focused(name);
    expect(await name.inputValue()).toBe('Phạm Văn Tú');
    expect(await status('fullName')).toBe('review');
    const [entry] = await p.services.db.query<{ status: string }>('select status from entry where id = $1', [seeded.entryId]);
    expect(entry!.status).toBe('needs_review');
    // decided again, it stays
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('empty');
    expect(await status('fullName')).toBe('verified');
    await page.context().close();
  }, 90_000);
});
