import { checkBook } from '../../src/extract/book-checks.ts';
import { seedEntry, seedPair, seedUnreadPage } from '../http/review-seed.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPipeline } from '../helpers/services.ts';
import { PASSWORD } from '../http/web-helpers.ts';
import { signInPage, startWorkbench } from './harness.ts';

/** The machine is shared: give the browser time, poll often. */
const UNTIL = { timeout: 20_000, interval: 50 };

// The review, arbitration, match and keying screens, driven by keyboard as verifiers and supervisors use them.
describe('verifier and supervisor screens in a real browser', () => {
  let p: TestPipeline;
  let base: string;
  let newPage: Awaited<ReturnType<typeof startWorkbench>>['newPage'];
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ p, base, newPage, close } = await startWorkbench({ workers: false }));
  });
  afterAll(async () => {
    await close?.();
  });

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
    await expect.poll(() => name.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    expect(await name.inputValue()).toBe('Nguyễn Thị Hoà');
    await expect.poll(() => page.locator('#crop img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), UNTIL).toBeGreaterThan(100);
    if (process.env.CIVREG_SCREENSHOTS) await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/review.png` });
    const date = page.locator(`#f-${seeded.items.birthDate}`);
    expect(await date.inputValue()).toBe('15/08/1962');
    // Accept the machine's value and type on at once, as a fast keyer does: the keys land in the next field,
    // replacing its selected machine value.
    await page.keyboard.press('Enter');
    await page.keyboard.type('15/3/62');
    expect(await name.inputValue()).toBe('Nguyễn Thị Hoà');
    expect(await date.inputValue()).toBe('15/3/62');
    await expect.poll(() => page.locator(`[data-index="1"] .check`).textContent(), UNTIL).toBe('→ 15/03/1962');
    await page.keyboard.press('Enter');

    const father = page.locator(`#f-${seeded.items.fatherName}`);
    await expect.poll(() => father.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    await page.keyboard.press('F2'); // unreadable

    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('empty');
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

  it('shows a re-run\'s conflicting reading beside the verified value, and F3 takes it', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 20, fields: [{ field: 'fullName', value: 'Phạm Minh Đương', reasons: ['low_confidence'], priority: 20 }] });
    await p.services.db.query(`update entry_field set status = 'verified', source = 'verifier', verified_by = 'minh', conflict_value = 'Phạm Minh Dương' where entry_id = $1`, [seeded.entryId]);
    const page = await newPage();
    await signInPage(page, base, 'hoa', PASSWORD);
    const name = page.locator(`#f-${seeded.items.fullName}`);
    await expect.poll(() => name.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    expect(await name.inputValue()).toBe('Phạm Minh Đương');
    const box = page.locator('[data-index="0"]');
    expect(await box.locator('.machine').textContent()).toBe('Giá trị đã xác minh (bởi minh): Phạm Minh Đương');
    expect(await box.locator('.conflict').textContent()).toContain('Lần đọc lại của máy: Phạm Minh Dương. Giá trị này khác với giá trị đã xác minh');
    await page.keyboard.press('F3');
    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('empty');
    const [field] = await p.services.db.query<{ value: string; conflict_value: string | null }>('select value, conflict_value from entry_field where entry_id = $1', [seeded.entryId]);
    expect(field).toEqual({ value: 'Phạm Minh Dương', conflict_value: null });
    await page.context().close();
  });

  it('warns of a place cut short beside the field, and takes it on a second Enter', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 21, fields: [{ field: 'birthPlace', value: 'Phường Bạch, Quận Hai Bà Trưng, Hà Nội', reasons: ['low_confidence'], priority: 20 }] });
    const page = await newPage();
    await signInPage(page, base, 'hoa', PASSWORD);
    const place = page.locator(`#f-${seeded.items.birthPlace}`);
    await expect.poll(() => place.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    await page.keyboard.press('Enter');
    const check = page.locator('[data-index="0"] .check');
    await expect.poll(() => check.textContent(), UNTIL).toContain('«Phường Bạch» không phải tên một đơn vị hành chính');
    expect(await check.getAttribute('class')).toBe('check bad');
    await expect.poll(() => place.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
    const [held] = await p.services.db.query<{ status: string }>('select status from entry_field where entry_id = $1', [seeded.entryId]);
    expect(held!.status).toBe('review');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('empty');
    const [field] = await p.services.db.query<{ status: string; value: string }>('select status, value from entry_field where entry_id = $1', [seeded.entryId]);
    expect(field).toEqual({ status: 'verified', value: 'Phường Bạch, Quận Hai Bà Trưng, Hà Nội' });
    await page.context().close();
  });

  it('two verifiers key a hand-written field blind, disagree, and a supervisor decides by keyboard', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 30, fields: [{ field: 'fatherName', value: 'Tran Van Bay', reasons: ['handwritten'], priority: 9 }] });
    for (const [name, typed] of [['hoa', 'trần văn bảy'], ['minh', 'Trần Văn Bẩy']] as const) {
      const page = await newPage();
      await signInPage(page, base, name, PASSWORD);
      const input = page.locator(`#f-${seeded.items.fatherName}`);
      await expect.poll(() => input.evaluate((el) => el === document.activeElement), UNTIL).toBe(true);
      expect(await input.inputValue()).toBe(''); // blind: no machine value
      await page.keyboard.type(typed);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#review').getAttribute('data-state'), UNTIL).toBe('empty');
      await page.context().close();
    }
    const supervisor = await newPage();
    await signInPage(supervisor, base, 'thu', PASSWORD);
    await supervisor.goto(`${base}/arbitration`);
    await expect.poll(() => supervisor.locator('#arbitration').getAttribute('data-state'), UNTIL).toBe('ready');
    expect(await supervisor.locator('#options').textContent()).toContain('Trần Văn Bảy');
    if (process.env.CIVREG_SCREENSHOTS) await supervisor.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/arbitration.png` });
    // in the value field a figure is typed (a date or ID begins with one), not taken for the first opinion
    await supervisor.keyboard.press('Tab');
    await supervisor.keyboard.type('1');
    expect(await supervisor.locator('#typed').inputValue()).toBe('1');
    expect(await supervisor.locator('#arbitration').getAttribute('data-state')).toBe('ready');
    // Esc gives the typed value up (a later Enter must not send it) and goes back to the opinions
    await supervisor.keyboard.press('Escape');
    expect(await supervisor.locator('#typed').inputValue()).toBe('');
    await supervisor.keyboard.press('1');
    await expect.poll(() => supervisor.locator('#arbitration').getAttribute('data-state'), UNTIL).toBe('empty');
    const [field] = await p.services.db.query<{ value: string; source: string }>(`select value, source from entry_field where entry_id = $1 and field = 'fatherName'`, [seeded.entryId]);
    expect(field).toEqual({ value: 'Trần Văn Bảy', source: 'supervisor' });
    await supervisor.context().close();
  });

  it('a verifier links a scanned entry to an existing record with one key', async () => {
    const entry = await seedEntry(p.services.db, p.services.blobs, { entryNo: 40, fields: [{ field: 'fullName', value: 'Nguyễn Thị Hoà' }, { field: 'birthDate', value: '1962-03-05' }] });
    const pair = await seedPair(p.services.db, entry.entryId, 'E000123', { fullName: 'Nguyễn Thị Hòa', birthDate: '1962-05-03' });
    const page = await newPage();
    await signInPage(page, base, 'hoa', PASSWORD);
    await page.goto(`${base}/matches`);
    await expect.poll(() => page.locator('#matches').getAttribute('data-state'), UNTIL).toBe('ready');
    expect(await page.locator('#compare tr.differs').count()).toBe(1);
    if (process.env.CIVREG_SCREENSHOTS) await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/matches.png` });
    await page.keyboard.press('l');
    await expect.poll(() => page.locator('#matches').getAttribute('data-state'), UNTIL).toBe('empty');
    const [candidate] = await p.services.db.query<{ person_decision: string }>('select person_decision from match_candidate where id = $1', [pair.candidateId]);
    expect(candidate!.person_decision).toBe('same');
    await page.context().close();
  });

  it('a verifier keys an entry extraction did not find, beside the page image, and the book issue closes', async () => {
    const { bookId, pageIds: [first] } = await seedUnreadPage(p.services.db, p.services.blobs);
    await p.services.db.transaction((tx) => checkBook(tx, bookId));
    const page = await newPage();
    await signInPage(page, base, 'hoa', PASSWORD);
    await page.getByRole('link', { name: 'Nhập tay' }).click();
    await page.locator(`#keying-pages a[href="/pages/${first}/key-entry"]`).click();
    await expect.poll(() => page.locator('#page-issues').textContent(), UNTIL).toContain('cần nhập tay mục còn thiếu');
    // the page image is beside the form
    await expect.poll(() => page.locator('.crop img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), UNTIL).toBeGreaterThan(0);
    // labels in one column, inputs lined up in the next, all of one width: not ragged after each label's text
    const boxes = await page.locator('#keying-form > label').evaluateAll((labels) => labels.map((label) => {
      const input = label.querySelector('input')!.getBoundingClientRect();
      return { left: Math.round(input.left), width: Math.round(input.width), labelLeft: Math.round(label.getBoundingClientRect().left), top: input.top, labelTop: label.getBoundingClientRect().top };
    }));
    expect(boxes.length).toBeGreaterThan(5);
    expect(new Set(boxes.map((b) => b.left)).size).toBe(1);
    expect(new Set(boxes.map((b) => b.width)).size).toBe(1);
    expect(new Set(boxes.map((b) => b.labelLeft)).size).toBe(1);
    // each input on its label's line, to the label's right
    for (const b of boxes) expect(b.left).toBeGreaterThan(b.labelLeft + 80);
    if (process.env.CIVREG_SCREENSHOTS) await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/keying-form.png`, fullPage: true });
    const field = (name: string) => page.locator(`#keying-form input[name="${name}"]`);
    const check = (name: string) => page.locator(`#keying-form label:has(input[name="${name}"]) .check`);
    await field('entryNo').fill('3');
    await field('f_fullName').fill('lê văn cường');
    await field('f_registrationDate').fill('10/5/2012');
    // checked live with the review screen's rules
    await expect.poll(() => check('f_registrationDate').textContent(), UNTIL).toBe('→ 10/05/2012');
    await expect.poll(() => check('f_fullName').textContent(), UNTIL).toBe('→ Lê Văn Cường');
    await field('f_birthDate').fill('31/2/2012');
    await expect.poll(() => check('f_birthDate').textContent(), UNTIL).toContain('không có trong lịch');
    await field('f_birthDate').fill('2/4/2012');
    // Enter moves to the next field, as on the review screen: it never saves half an entry
    await field('entryNo').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name')), UNTIL).toBe('f_fullName');
    expect(page.url()).toBe(`${base}/pages/${first}/key-entry`);
    // Ctrl+Enter saves: half an entry is refused, shown again as typed, the first required field left empty named
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('#refusal').getAttribute('data-code'), UNTIL).toBe('required_field_empty');
    expect(await field('f_fullName').inputValue()).toBe('lê văn cường');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name')), UNTIL).toBe('f_sex');
    // F3 (the offered value on the review screen) does nothing here: a hand used to review loses nothing typed
    await field('f_sex').fill('nam');
    await page.keyboard.press('F3');
    expect([await field('f_sex').inputValue(), await page.locator('select[name="m_sex"]').inputValue()]).toEqual(['nam', '']);
    // F6: the book's line is empty; F2: it cannot be read (each then moves on)
    await page.keyboard.press('F6');
    expect([await field('f_sex').inputValue(), await page.locator('select[name="m_sex"]').inputValue()]).toEqual(['', 'blank']);
    await field('f_birthPlace').focus();
    await page.keyboard.press('F2');
    expect(await page.locator('select[name="m_birthPlace"]').inputValue()).toBe('unreadable');
    await field('f_motherName').fill('Phạm Thị Hạnh');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('#saved').textContent(), UNTIL).toBe('Đã lưu mục số 3. Sổ đã được kiểm tra lại.');
    await expect.poll(() => page.locator('#page-issues').textContent(), UNTIL).toBe('Trang không còn vấn đề nào cần nhập tay.');
    if (process.env.CIVREG_SCREENSHOTS) await page.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/keying.png` });
    if (process.env.CIVREG_SCREENSHOTS) {
      // the keyed entry's page: its values beside the page it is on
      const [keyed] = await p.services.db.query<{ id: number }>(`select id from entry where page_id = $1 and keyed_by = 'hoa'`, [first]);
      const staff = await newPage();
      await signInPage(staff, base, 'lan', PASSWORD);
      await staff.goto(`${base}/entries/${keyed!.id}`);
      await expect.poll(() => staff.locator('#entry-image img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), UNTIL).toBeGreaterThan(0);
      await staff.screenshot({ path: `${process.env.CIVREG_SCREENSHOTS}/entry.png` });
      await staff.context().close();
    }
    const fields = await p.services.db.query<{ field: string; value: string | null; status: string }>(
      `select f.field, f.value, f.status from entry_field f join entry e on e.id = f.entry_id where e.page_id = $1 and e.keyed_by = 'hoa' and f.source = 'verifier' order by f.field`, [first]);
    expect(fields).toEqual([
      { field: 'birthDate', value: '2012-04-02', status: 'verified' },
      { field: 'birthPlace', value: null, status: 'unreadable' },
      { field: 'entryNo', value: '3', status: 'verified' },
      { field: 'fullName', value: 'Lê Văn Cường', status: 'verified' },
      { field: 'motherName', value: 'Phạm Thị Hạnh', status: 'verified' },
      { field: 'registrationDate', value: '2012-05-10', status: 'verified' },
      { field: 'sex', value: null, status: 'verified' },
    ]);
    expect(await p.services.db.query(`select kind from book_issue where book_id = $1 and status = 'open'`, [bookId])).toEqual([]);
    await page.context().close();
  });
});
