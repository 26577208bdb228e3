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

  // A Ctrl+Z must never take back a decision older than the one the verifier means: not while they retype the machine's
  // value in the next field, nor when pressed right after Enter, before the server has stored the decision.
  it('Ctrl+Z in a field retyped to the machine’s value undoes the typing, and right after Enter takes back that decision', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 32,
      fields: [
        { field: 'hometown', value: 'Xã Đông La', reasons: ['low_confidence'] },
        { field: 'fullName', value: 'Lê Thị Mai', reasons: ['low_confidence'] },
        { field: 'fatherName', value: 'Lê Văn Hải', reasons: ['low_confidence'] },
      ],
    });
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await signInPage(page, base, 'hoa', PASSWORD);
    const input = (field: string) => page.locator(`#f-${seeded.items[field]}`);
    const focused = (field: string) => expect.poll(() => input(field).evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    const status = async (field: string) => (await p.services.db.query<{ status: string }>('select status from entry_field where entry_id = $1 and field = $2', [seeded.entryId, field]))[0]!.status;
    const undoButton = (field: keyof typeof FIELD_LABELS) => expect.poll(() => page.locator('#undo').textContent(), UNTIL).toBe(`Hoàn tác «${FIELD_LABELS[field]}» (Ctrl+Z)`);
    const undone = async () => (await p.services.db.query<{ n: number }>(`select count(*)::int as n from audit_event where action = 'review_undo' and object_id like $1`, [`${seeded.entryId}:%`]))[0]!.n;

    await focused('hometown');
    await page.keyboard.press('Enter');
    await undoButton('hometown');
    await focused('fullName');
    // the machine's value typed again: Ctrl+Z is the typing's, the decision on «Quê quán» stays
    await page.keyboard.type('Lê Thị Mai');
    await page.keyboard.press('Control+z');
    // still offered, not taken back (an undo withdraws the offer as it starts)
    expect(await page.locator('#undo').textContent()).toBe(`Hoàn tác «${FIELD_LABELS.hometown}» (Ctrl+Z)`);
    await focused('fullName');
    await page.keyboard.press('Escape');
    expect(await input('fullName').inputValue()).toBe('Lê Thị Mai');
    await page.keyboard.press('Enter');
    await undoButton('fullName');
    expect(await status('hometown')).toBe('verified');
    expect(await undone()).toBe(0);

    // Enter on the last field with its save held back by the network, then Ctrl+Z at once: that decision is taken back
    await focused('fatherName');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/review/items/${seeded.items.fatherName}`, async (route) => {
      await held;
      await route.continue();
    });
    await page.keyboard.press('Enter');
    await undoButton('fatherName');
    await page.keyboard.press('Control+z');
    release();
    await expect.poll(() => page.locator('#message').textContent(), UNTIL).toBe(`Đã hoàn tác: trường «${FIELD_LABELS.fatherName}» lại chờ bạn quyết định.`);
    await focused('fatherName');
    expect(await status('fatherName')).toBe('review');
    expect(await status('fullName')).toBe('verified');
    expect(await undone()).toBe(1);
    // decided again, it stays: the queue is left empty for the next walk-through
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('empty');
    expect(await status('fatherName')).toBe('verified');
    await page.context().close();
  }, 90_000);

  // A save that failed stored nothing: the field is open again, and Ctrl+Z takes back the decision before, the last one
  // that stands, whatever the failed one was (a skip offers no undo of its own, so it used to leave none at all).
  it('Ctrl+Z after a failed save takes back the decision before it, a skip’s as any other', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 33,
      fields: [
        { field: 'hometown', value: 'Xã Đông La', reasons: ['low_confidence'] },
        { field: 'fullName', value: 'Nguyễn Thị Hồng', reasons: ['low_confidence'] },
      ],
    });
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await signInPage(page, base, 'hoa', PASSWORD);
    const input = (field: string) => page.locator(`#f-${seeded.items[field]}`);
    const focused = (field: string) => expect.poll(() => input(field).evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    const status = async (field: string) => (await p.services.db.query<{ status: string }>('select status from entry_field where entry_id = $1 and field = $2', [seeded.entryId, field]))[0]!.status;

    await focused('hometown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#undo').textContent(), UNTIL).toBe(`Hoàn tác «${FIELD_LABELS.hometown}» (Ctrl+Z)`);
    await expect.poll(() => status('hometown'), UNTIL).toBe('verified');
    await focused('fullName');
    // the skip's save refused by the server: nothing stored, the field open again with the focus
    await page.route(`**/review/items/${seeded.items.fullName}`, (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'internal_error', message: 'Lỗi hệ thống. Hãy thử lại; nếu vẫn lỗi, báo quản trị viên.' }) }));
    await page.keyboard.press('F4');
    await expect.poll(() => page.locator('#message').textContent(), UNTIL).toBe('Lỗi hệ thống. Hãy thử lại; nếu vẫn lỗi, báo quản trị viên.');
    await focused('fullName');
    expect(await page.locator('#undo').allTextContents()).toEqual([`Hoàn tác «${FIELD_LABELS.hometown}» (Ctrl+Z)`]);
    await page.unroute(`**/review/items/${seeded.items.fullName}`);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('#message').textContent(), UNTIL).toBe(`Đã hoàn tác: trường «${FIELD_LABELS.hometown}» lại chờ bạn quyết định.`);
    await focused('hometown');
    expect(await status('hometown')).toBe('review');
    expect(await status('fullName')).toBe('review');
    await page.context().close();
  }, 90_000);
});
