import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import type { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry } from './review-seed.ts';
import { addAccount, as, signIn, startWebDesk, testServer, type Browser } from './web-helpers.ts';

describe('blind double keying and arbitration', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let hoa: Browser;
  let minh: Browser;
  let thu: Browser;

  beforeAll(async () => {
    ({ p, app, sessions: [hoa, minh, thu] } = await startWebDesk([['hoa', 'verifier', ['HBT']], ['minh', 'verifier', ['HBT']], ['thu', 'supervisor', ['HBT']]]));
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const next = (s: Browser) => as(app, s, { method: 'POST', url: '/review/next', payload: {} });
  const key = (s: Browser, itemId: number, input: string) => as(app, s, { method: 'POST', url: `/review/items/${itemId}`, payload: { action: 'correct', input, ms: 3000 } });
  const field = async (entryId: number, name: string) =>
    (await p.services.db.query<{ value: string | null; status: string; source: string; verified_by: string }>('select value, status, source, verified_by from entry_field where entry_id = $1 and field = $2', [entryId, name]))[0]!;

  it('hides the machine value, and verifies a hand-written field when two verifiers key the same', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 1, fields: [{ field: 'fullName', value: 'Nguyen Thi Hoa', reasons: ['handwritten'] }] });
    const first = (await next(hoa)).json();
    expect(first.entry.items[0]).toMatchObject({ blind: true, machine: '', corrected: null });
    expect(JSON.stringify(first)).not.toContain('Nguyen Thi Hoa');
    expect((await as(app, hoa, { method: 'POST', url: `/review/items/${seeded.items.fullName}`, payload: { action: 'accept', ms: 1 } })).json()).toMatchObject({ error: 'nothing_to_accept' });
    expect((await key(hoa, seeded.items.fullName!, 'nguyễn thị hoa')).json()).toMatchObject({ keyed: 'first', entryVerified: false });
    // The first keyer is not offered it again; the second keys blind too.
    expect((await next(hoa)).json().entry).toBeNull();
    const second = (await next(minh)).json();
    expect(JSON.stringify(second)).not.toContain('Hoa');
    expect((await key(minh, seeded.items.fullName!, 'Nguyễn Thị  Hoa')).json()).toMatchObject({ keyed: 'agreed', entryVerified: true });
    expect(await field(seeded.entryId, 'fullName')).toMatchObject({ value: 'Nguyễn Thị Hoa', status: 'verified', source: 'verifier' });
  });

  it('sends a disagreement to a supervisor, who sees both keyings and then the machine, and decides', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 2, fields: [{ field: 'fatherName', value: 'Tran Van Bay', reasons: ['handwritten'] }] });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    await key(hoa, seeded.items.fatherName!, 'Trần Văn Bảy');
    expect((await next(minh)).json().entry.entryId).toBe(seeded.entryId);
    expect((await key(minh, seeded.items.fatherName!, 'Trần Văn Bẩy')).json()).toMatchObject({ keyed: 'disagreed', entryVerified: false });
    const [item] = await p.services.db.query<{ status: string }>('select status from review_item where id = $1', [seeded.items.fatherName]);
    expect(item!.status).toBe('arbitration');
    // Verifiers cannot arbitrate.
    expect((await as(app, hoa, { method: 'POST', url: '/arbitration/next', payload: {} })).json()).toMatchObject({ error: 'forbidden_role' });

    const claimed = (await as(app, thu, { method: 'POST', url: '/arbitration/next', payload: {} })).json();
    expect(claimed.item).toMatchObject({
      itemId: seeded.items.fatherName,
      label: 'Họ, chữ đệm, tên (người cha)',
      options: [
        { choice: 'keying:0', who: 'Người nhập 1 (hoa)', value: 'Trần Văn Bảy' },
        { choice: 'keying:1', who: 'Người nhập 2 (minh)', value: 'Trần Văn Bẩy' },
        { choice: 'machine', who: 'Máy đọc', value: 'Tran Van Bay' },
      ],
    });
    const crop = await as(app, thu, { url: `/review/items/${seeded.items.fatherName}/image` });
    expect(crop.headers['content-type']).toBe('image/png');
    const resolved = await as(app, thu, { method: 'POST', url: `/arbitration/items/${seeded.items.fatherName}`, payload: { choice: 'keying:0' } });
    expect(resolved.json()).toMatchObject({ entryVerified: true });
    expect(await field(seeded.entryId, 'fatherName')).toMatchObject({ value: 'Trần Văn Bảy', status: 'verified', source: 'supervisor', verified_by: 'thu' });
    const [audit] = await p.services.db.query<{ detail: { chose: string } }>(`select detail from audit_event where action = 'arbitration_resolved'`);
    expect(audit!.detail.chose).toBe('keying:0');

    // Per-verifier figures: hoa agreed with the outcome, minh did not.
    const page = (await as(app, thu, { url: '/arbitration' })).body;
    expect(page).toMatch(/<td>hoa<\/td>.*?<td class="num">2<\/td><td class="num">100 %<\/td><td class="num">0<\/td>/s);
    expect(page).toMatch(/<td>minh<\/td>.*?<td class="num">2<\/td><td class="num">50 %<\/td><td class="num">1<\/td>/s);
  });
});

describe('audit-sample items', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    await ensureBook(p.services.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    await addAccount(p.services.db, 'thu', 'supervisor', ['HBT']);
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  /** Every key path of a JSON value, with the type of what is there (not the value). */
  function shapeOf(value: unknown, path = ''): string[] {
    if (value === null || typeof value !== 'object') return [`${path}:${value === null ? 'null' : typeof value}`];
    if (Array.isArray(value)) return value.flatMap((v) => shapeOf(v, `${path}[]`));
    return Object.entries(value).flatMap(([k, v]) => shapeOf(v, `${path}.${k}`)).sort();
  }

  it('cannot be told from an ordinary item by the verifier', async () => {
    const db = p.services.db;
    const hoa = (await signIn(app, 'hoa')).session;
    const claim = async () => (await as(app, hoa, { method: 'POST', url: '/review/next', payload: {} })).json();
    const ordinary = await seedEntry(db, p.services.blobs, { entryNo: 50, fields: [{ field: 'fullName', value: 'Đặng Văn Lộc', reasons: ['low_confidence'], confidence: 0.62, priority: 10 }] });
    const audited = await seedEntry(db, p.services.blobs, { entryNo: 51, fields: [{ field: 'fullName', value: 'Đặng Thị Mai', reasons: ['audit_sample'], confidence: 0.99, priority: 10 }] });
    await db.query(`update entry_field set audit_sample = true where entry_id = $1`, [audited.entryId]);

    const first = await claim();
    expect(first.entry.entryId).toBe(ordinary.entryId);
    const firstAnswer = await as(app, hoa, { method: 'POST', url: `/review/items/${ordinary.items.fullName}`, payload: { action: 'accept', ms: 800 } });
    const second = await claim();
    expect(second.entry.entryId).toBe(audited.entryId);
    const secondAnswer = await as(app, hoa, { method: 'POST', url: `/review/items/${audited.items.fullName}`, payload: { action: 'accept', ms: 800 } });

    // Same keys and types everywhere, the same reason shown, and nothing that names the audit.
    expect(shapeOf(second.entry)).toEqual(shapeOf(first.entry));
    expect(shapeOf(secondAnswer.json())).toEqual(shapeOf(firstAnswer.json()));
    const [a, b] = [first.entry.items[0], second.entry.items[0]];
    expect(b.reasons).toEqual(a.reasons);
    expect(a.reasons).toEqual(['Cần đối chiếu giá trị máy đọc với ảnh.']);
    for (const text of [JSON.stringify(second), secondAnswer.body]) {
      expect(text).not.toMatch(/audit|mẫu kiểm tra|0\.99/i);
    }
    // The screen itself is the same page for every item.
    const html = (await as(app, hoa, { url: '/review', headers: { accept: 'text/html' } })).body;
    expect(html).not.toMatch(/audit|mẫu kiểm tra/i);
  });

  it('shows supervisors the error rate of auto-accepted fields per era and field and warns over the budget', async () => {
    const db = p.services.db;
    const seeded = await seedEntry(db, p.services.blobs, { fields: [{ field: 'fullName', value: 'Lê Văn A', reasons: ['audit_sample'] }, { field: 'ethnicity', value: 'Kinh', reasons: ['audit_sample'] }] });
    await db.query(`update entry set era = '1961-1998' where id = $1`, [seeded.entryId]);
    await db.query(`update entry_field set audit_sample = true where entry_id = $1`, [seeded.entryId]);
    const hoa = (await signIn(app, 'hoa')).session;
    const claimed = (await as(app, hoa, { method: 'POST', url: '/review/next', payload: {} })).json();
    expect(claimed.entry.items.map((i: { reasons: string[] }) => i.reasons)).toEqual([['Cần đối chiếu giá trị máy đọc với ảnh.'], ['Cần đối chiếu giá trị máy đọc với ảnh.']]);
    await as(app, hoa, { method: 'POST', url: `/review/items/${seeded.items.fullName}`, payload: { action: 'correct', input: 'Lê Văn Ân', ms: 1000 } });
    await as(app, hoa, { method: 'POST', url: `/review/items/${seeded.items.ethnicity}`, payload: { action: 'accept', ms: 1000 } });
    const thu = (await signIn(app, 'thu')).session;
    const page = (await as(app, thu, { url: '/arbitration' })).body;
    expect(page).toContain('1 trường vượt ngưỡng lỗi cho phép');
    expect(page).toMatch(/<tr class="over-budget"><td>1961-1998<\/td><td>Họ, chữ đệm, tên<\/td><td class="num">1<\/td>\s*<td class="num">1<\/td><td class="num">100 %<\/td>/);
    expect(page).toMatch(/<tr><td>1961-1998<\/td><td>Dân tộc<\/td><td class="num">1<\/td>\s*<td class="num">0<\/td><td class="num">0 %<\/td>/);
  });
});
