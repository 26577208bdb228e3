import sharp from 'sharp';
import { ensureBook } from '../../src/db/books.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry } from './review-seed.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

describe('entry page and logged corrections', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let thu: Browser;
  let lan: Browser;
  let seeded: Awaited<ReturnType<typeof seedEntry>>;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 21, fields: [{ field: 'fullName', value: 'Lê Thị Mai' }, { field: 'birthDate', value: '1962-04-02' }] });
    await p.services.db.query(`update entry_field set status = 'verified', source = 'verifier', verified_by = 'hoa' where entry_id = $1 and field = 'birthDate'`, [seeded.entryId]);
    await addAccount(p.services.db, 'thu', 'supervisor', ['HBT']);
    await addAccount(p.services.db, 'lan', 'staff', ['HBT']);
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    thu = (await signIn(app, 'thu')).session;
    lan = (await signIn(app, 'lan')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const correct = (s: Browser, field: string, form: Record<string, string>, csrf = s.csrf!) =>
    as(app, s, { method: 'POST', url: `/entries/${seeded.entryId}/fields/${field}/correction`, payload: new URLSearchParams({ _csrf: csrf, ...form }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, csrf: null });

  it('shows the entry as written, its crop of the page, beside its values; the crop is audited and only for the office', async () => {
    await p.services.db.query(`update entry set region = $2 where id = $1`, [seeded.entryId, JSON.stringify([{ pageId: seeded.pageId, box: [400, 40, 300, 60] }])]);
    const page = (await as(app, lan, { url: `/entries/${seeded.entryId}` })).body;
    expect(page).toMatch(new RegExp(`<div class="entry-view">\\s*<section class="crop entry-crop" id="entry-image"><figure><a [^>]*><img src="/entries/${seeded.entryId}/image\\?part=0" alt="Ảnh mục số 21"></a></figure></section>\\s*<section><table`));
    const image = await as(app, lan, { url: `/entries/${seeded.entryId}/image?part=0` });
    expect([image.statusCode, image.headers['content-type']]).toEqual([200, 'image/png']);
    // the region with a margin of 48 pixels around it (cut at the page's top edge), not the whole page
    expect(await sharp(image.rawPayload).metadata()).toMatchObject({ width: 396, height: 148 });
    expect((await as(app, lan, { url: `/entries/${seeded.entryId}/image?part=1` })).statusCode).toBe(404);
    const [event] = await p.services.db.query(`select actor, object_type, detail from audit_event where action = 'view_entry_image' order by id desc limit 1`);
    expect(event).toEqual({ actor: 'lan', object_type: 'entry', detail: { part: 0 } });
    await ensureBook(p.services.db, { officeCode: 'BD', officeName: 'Quận Ba Đình', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    await addAccount(p.services.db, 'xuan', 'staff', ['BD']);
    const xuan = (await signIn(app, 'xuan')).session;
    expect((await as(app, xuan, { url: `/entries/${seeded.entryId}/image?part=0` })).statusCode).toBe(403);
    // an entry with no region (keyed by hand): its whole page
    await p.services.db.query(`update entry set region = '[]' where id = $1`, [seeded.entryId]);
    expect(await sharp((await as(app, lan, { url: `/entries/${seeded.entryId}/image` })).rawPayload).metadata()).toMatchObject({ width: 1200 });
  });

  it('lets a supervisor correct a verified value only with a reason, keeping the old value and the reason', async () => {
    const page = (await as(app, thu, { url: `/entries/${seeded.entryId}` })).body;
    expect(page).toContain('Sửa (có ghi lý do)');
    expect(page).toContain('02/04/1962');
    const noReason = await correct(thu, 'birthDate', { value: '4/2/62', reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('lý do sửa');
    const badValue = await correct(thu, 'birthDate', { value: '31/2/62', reason: 'Đối chiếu bản gốc' });
    expect(badValue.statusCode).toBe(400);
    // the entry's page again, the refused form as typed, the refusal beside the value (the other fields' forms empty)
    expect(badValue.body).toContain('<h1>Khai sinh');
    expect(badValue.body).toMatch(/name="value" aria-label="Giá trị mới" placeholder="Giá trị mới" value="31\/2\/62" aria-invalid="true"[^>]*><small class="field-error" id="refusal-value" data-code="bad_value" data-field="value">/);
    expect(badValue.body).toContain('value="Đối chiếu bản gốc"');
    expect(badValue.body.match(/value="31\/2\/62"/g)).toHaveLength(1);
    expect(noReason.body).toMatch(/name="reason"[^>]*value=""[^>]*aria-invalid="true"[^>]*><small class="field-error"[^>]*data-code="bad_request" data-field="reason">Hãy ghi lý do sửa/);
    expect(noReason.body).toContain('value="4/2/62"');
    const done = await correct(thu, 'birthDate', { value: '4/2/62', reason: 'Đối chiếu bản gốc: ngày và tháng bị đảo' });
    expect(done.statusCode).toBe(303);
    const [field] = await p.services.db.query<{ value: string; source: string; verified_by: string; machine_value: string }>(`select value, source, verified_by, machine_value from entry_field where entry_id = $1 and field = 'birthDate'`, [seeded.entryId]);
    expect(field).toEqual({ value: '1962-02-04', source: 'supervisor', verified_by: 'thu', machine_value: null });
    const [correction] = await p.services.db.query<{ old_value: string; new_value: string; reason: string }>('select old_value, new_value, reason from field_correction where entry_id = $1', [seeded.entryId]);
    expect(correction).toEqual({ old_value: '1962-04-02', new_value: '1962-02-04', reason: 'Đối chiếu bản gốc: ngày và tháng bị đảo' });
    const [audit] = await p.services.db.query<{ detail: Record<string, unknown> }>(`select detail from audit_event where action = 'field_corrected'`);
    expect(JSON.stringify(audit!.detail)).not.toContain('1962');
    const after = (await as(app, thu, { url: `/entries/${seeded.entryId}` })).body;
    expect(after).toContain('«02/04/1962» → «04/02/1962». Lý do: Đối chiếu bản gốc: ngày và tháng bị đảo');
  });

  it('lists the register’s fields the entry lacks, and a supervisor adds one with a reason, as a correction', async () => {
    const page = (await as(app, thu, { url: `/entries/${seeded.entryId}` })).body;
    expect(page).toMatch(new RegExp(`<tr><td>Họ, chữ đệm, tên \\(người mẹ\\)</td><td></td>\\s*<td>Chưa có trong mục</td>.*action="/entries/${seeded.entryId}/fields/motherName/correction".*?<button type="submit">Thêm</button>`, 's'));
    expect((await correct(thu, 'deathCause', { value: 'Già yếu', reason: 'Không thuộc sổ khai sinh' })).statusCode).toBe(404);
    // a unit cut short is refused to a supervisor too, with the review screen's words
    const cut = await correct(thu, 'motherResidence', { value: 'Phường Bạch, Quận Hai Bà Trưng, Hà Nội', reason: 'Đối chiếu ảnh trang sổ' });
    expect(cut.statusCode).toBe(400);
    expect(cut.body).toContain('«Phường Bạch» không phải tên một đơn vị hành chính mà chỉ là phần đầu của tên «Bạch Mai»');
    expect(await p.services.db.query(`select 1 from entry_field where entry_id = $1 and field = 'motherResidence' and value like 'Phường Bạch,%'`, [seeded.entryId])).toEqual([]);
    const added = await correct(thu, 'motherName', { value: 'trần thị hoà', reason: 'Máy không đọc được dòng này; đối chiếu ảnh' });
    expect(added.statusCode).toBe(303);
    expect(await p.services.db.query(`select value, status, source, verified_by from entry_field where entry_id = $1 and field = 'motherName'`, [seeded.entryId]))
      .toEqual([{ value: 'Trần Thị Hoà', status: 'verified', source: 'supervisor', verified_by: 'thu' }]);
    expect(await p.services.db.query(`select old_value, new_value from field_correction where entry_id = $1 and field = 'motherName'`, [seeded.entryId]))
      .toEqual([{ old_value: null, new_value: 'Trần Thị Hoà' }]);
    expect((await as(app, thu, { url: `/entries/${seeded.entryId}` })).body).toMatch(/<tr><td>Họ, chữ đệm, tên \(người mẹ\)<\/td><td>Trần Thị Hoà<\/td>\s*<td>Đã kiểm tra<\/td><td>giám sát viên \(thu\)<\/td>/);
  });

  it('settles a re-read waiting beside the value when a supervisor corrects it', async () => {
    await p.services.db.query(`update entry_field set conflict_value = 'Lê Thị Mại', status = 'verified' where entry_id = $1 and field = 'fullName'`, [seeded.entryId]);
    await p.services.db.query(`insert into review_item (kind, entry_id, field, priority) values ('field', $1, 'fullName', 20)`, [seeded.entryId]);
    expect((await correct(thu, 'fullName', { value: 'Lê Thị Mai', reason: 'Đối chiếu bản gốc' })).statusCode).toBe(303);
    const [field] = await p.services.db.query(`select conflict_value, machine_value from entry_field where entry_id = $1 and field = 'fullName'`, [seeded.entryId]);
    expect(field).toEqual({ conflict_value: null, machine_value: 'Lê Thị Mại' });
    expect(await p.services.db.query(`select status from review_item where entry_id = $1 and field = 'fullName'`, [seeded.entryId])).toEqual([{ status: 'cancelled' }]);
  });

  it('records who viewed an entry, by ids only, and not a refused view', async () => {
    const count = async () => Number((await p.services.db.query<{ n: string }>(`select count(*) as n from audit_event where action = 'view_entry'`))[0]!.n);
    const before = await count();
    expect((await as(app, lan, { url: `/entries/${seeded.entryId}` })).statusCode).toBe(200);
    const [row] = await p.services.db.query<{ actor: string; object_type: string; object_id: string; detail: unknown }>(
      `select actor, object_type, object_id, detail from audit_event where action = 'view_entry' order by id desc limit 1`,
    );
    expect(row).toEqual({ actor: 'lan', object_type: 'entry', object_id: String(seeded.entryId), detail: {} });
    const hoa = (await signIn(app, 'hoa')).session;
    expect((await as(app, hoa, { url: `/entries/${seeded.entryId}` })).statusCode).toBe(403);
    expect(await count()).toBe(before + 1);
  });

  it('shows the entry to staff without correction forms, refuses their correction and a verifier’s view', async () => {
    const page = (await as(app, lan, { url: `/entries/${seeded.entryId}` })).body;
    expect(page).toContain('Lê Thị Mai');
    expect(page).not.toContain('Lý do sửa');
    expect((await correct(lan, 'fullName', { value: 'Lê Thị Mây', reason: 'thử sửa' })).statusCode).toBe(403);
    const hoa = (await signIn(app, 'hoa')).session;
    expect((await as(app, hoa, { url: `/entries/${seeded.entryId}` })).statusCode).toBe(403);
  });

  it('lists the entry’s marginal notes and registered changes, linking a change to its own entry', async () => {
    const change = await seedEntry(p.services.db, p.services.blobs, { bookNo: 'TĐ-01', year: 2003, entryNo: 7, fields: [{ field: 'fullName', value: 'Lê Thị Mai' }] });
    await p.services.db.query(
      `insert into entry_event (entry_id, kind, field, old_value, new_value, event_date, raw, source_entry_id) values
         ($1, 'divorce', null, null, null, '1990-05-12', 'Đã ly hôn theo bản án', null),
         ($1, 'change_of_name', 'fullName', 'Lê Thị Mai', 'Lê Thị Mây', '2003-06-01', 'Thay đổi họ tên', $2)`,
      [seeded.entryId, change.entryId],
    );
    const page = (await as(app, lan, { url: `/entries/${seeded.entryId}` })).body;
    expect(page).toContain('12/05/1990: Ly hôn');
    expect(page).toMatch(/01\/06\/2003: Thay đổi họ, chữ đệm, tên từ Lê Thị Mai thành Lê Thị Mây \([^)]*số 7[^)]*\) · <a href="\/entries\/\d+">xem mục thay đổi<\/a>/);
    expect(page).toContain(`href="/entries/${change.entryId}"`);
    const plain = (await as(app, lan, { url: `/entries/${change.entryId}` })).body;
    expect(plain).toContain('Chưa có ghi chú hay thay đổi nào.');
    expect(plain).toMatch(new RegExp(`Thay đổi ở mục này đã được ghi vào:</p><ul class="events"><li><a href="/entries/${seeded.entryId}">[^<]*quyển 01 · năm 1962 · số 21</a>`));
  });
});
