import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { seedEntry, seedPair } from './review-seed.ts';
import { addAccount, as, signIn, testServer, type Browser } from './web-helpers.ts';

describe('match review', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let hoa: Browser;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    await seedEntry(p.services.db, p.services.blobs, { entryNo: 1, fields: [{ field: 'fullName', value: 'x' }] }); // creates the office
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    hoa = (await signIn(app, 'hoa')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const next = () => as(app, hoa, { method: 'POST', url: '/matches/next', payload: {} });
  const decide = (itemId: number, decision: string) => as(app, hoa, { method: 'POST', url: `/matches/items/${itemId}`, payload: { decision, ms: 2500 } });

  it('shows both sides with differences marked and the score explained, and records a link kept by matching', async () => {
    const entry = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 7,
      fields: [{ field: 'fullName', value: 'Nguyễn Thị Hoà' }, { field: 'birthDate', value: '1962-03-05' }, { field: 'sex', value: 'female' },
        { field: 'birthPlace', value: 'P. Bạch Mai, Q. Hai Bà Trưng, HN' }, { field: 'residence', value: 'Phường Kim Liên, Quận Đống Đa, Hà Nội' }],
    });
    const pair = await seedPair(p.services.db, entry.entryId, 'E000123', {
      fullName: 'Nguyễn Thị Hòa', birthDate: '1962-05-03', sex: 'female', birthPlace: 'Phường Bạch Mai, Quận Hai Bà Trưng, Thành phố Hà Nội', residence: 'Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội',
    });
    const shown = (await next()).json().match;
    expect(shown).toMatchObject({ itemId: pair.itemId, otherTitle: 'Hồ sơ điện tử E000123 · Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội' });
    // the machine's probability is not shown before the person decides (match-undo.test.ts)
    expect(shown).not.toHaveProperty('probability');
    const row = (field: string) => shown.rows.find((r: { field: string }) => r.field === field);
    // Tone placement (Hoà / Hòa) is not a difference; the swapped day and month are.
    expect(row('fullName')).toEqual({ field: 'fullName', label: 'Họ, chữ đệm, tên', scanned: 'Nguyễn Thị Hoà', other: 'Nguyễn Thị Hòa', differs: false, missing: false });
    expect(row('birthDate')).toEqual({ field: 'birthDate', label: 'Ngày, tháng, năm sinh', scanned: '05/03/1962', other: '03/05/1962', differs: true, missing: false });
    expect(row('sex')).toEqual({ field: 'sex', label: 'Giới tính', scanned: 'Nữ', other: 'Nữ', differs: false, missing: false });
    // one place written two ways is not a difference; two wards are
    expect(row('birthPlace')).toMatchObject({ differs: false });
    expect(row('residence')).toMatchObject({ differs: true });
    expect(shown.rows).toHaveLength(5);
    expect(shown.explanation).toEqual([
      { label: 'Họ, chữ đệm, tên', level: 'biến thể (không dấu / họ vùng miền)', weight: 4.2 },
      { label: 'Ngày, tháng, năm sinh', level: 'đảo ngày và tháng', weight: -1.5 },
    ]);
    const image = await as(app, hoa, { url: `/matches/items/${pair.itemId}/image` });
    expect(image.headers['content-type']).toBe('image/png');

    expect((await decide(pair.itemId, 'same')).statusCode).toBe(200);
    const [candidate] = await p.services.db.query<{ person_decision: string; decided_by: string }>('select person_decision, decided_by from match_candidate where id = $1', [pair.candidateId]);
    expect(candidate).toEqual({ person_decision: 'same', decided_by: 'hoa' });
    const [audit] = await p.services.db.query<{ action: string }>(`select action from audit_event where object_type = 'match_candidate' and object_id = $1`, [String(pair.candidateId)]);
    expect(audit!.action).toBe('match_same');
    expect((await next()).json().match).toBeNull();
  });

  it('sends an unsure pair to a supervisor and refuses a decision without the lease', async () => {
    const entry = await seedEntry(p.services.db, p.services.blobs, { entryNo: 8, fields: [{ field: 'fullName', value: 'Lê Văn Tám' }] });
    const pair = await seedPair(p.services.db, entry.entryId, 'E000999', { fullName: 'Lê Văn Tâm' });
    expect((await decide(pair.itemId, 'same')).json()).toMatchObject({ error: 'lease_lost' });
    expect((await next()).json().match.itemId).toBe(pair.itemId);
    await decide(pair.itemId, 'unsure');
    const [item] = await p.services.db.query<{ status: string }>('select status from review_item where id = $1', [pair.itemId]);
    expect(item!.status).toBe('arbitration');
    // Another verifier does not get it; a supervisor does, first, and decides.
    await addAccount(p.services.db, 'minh', 'verifier', ['HBT']);
    await addAccount(p.services.db, 'thu', 'supervisor', ['HBT']);
    const minh = (await signIn(app, 'minh')).session;
    expect((await as(app, minh, { method: 'POST', url: '/matches/next', payload: {} })).json().match).toBeNull();
    const thu = (await signIn(app, 'thu')).session;
    expect((await as(app, thu, { method: 'POST', url: '/matches/next', payload: {} })).json().match.itemId).toBe(pair.itemId);
    expect((await as(app, thu, { method: 'POST', url: `/matches/items/${pair.itemId}`, payload: { decision: 'different', ms: 100 } })).statusCode).toBe(200);
    const [candidate] = await p.services.db.query<{ person_decision: string; decided_by: string }>('select person_decision, decided_by from match_candidate where id = $1', [pair.candidateId]);
    expect(candidate).toEqual({ person_decision: 'different', decided_by: 'thu' });
  });
});

describe('match-assisted keying', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  let hoa: Browser;
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
    await seedEntry(p.services.db, p.services.blobs, { entryNo: 1, fields: [{ field: 'fullName', value: 'x' }] });
    await addAccount(p.services.db, 'hoa', 'verifier', ['HBT']);
    hoa = (await signIn(app, 'hoa')).session;
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('offers a linked existing record’s value, confirmed with one key and recorded as its provenance; never on blind items', async () => {
    const entry = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 9,
      fields: [
        { field: 'birthPlace', value: 'Xa Dong Hoi', reasons: ['low_confidence'] },
        { field: 'fatherName', value: 'Tran Van Bay', reasons: ['handwritten'] },
      ],
    });
    const pair = await seedPair(p.services.db, entry.entryId, 'E000777', { birthPlace: 'Xã Đông Hội, Huyện Đông Anh', fatherName: 'Trần Văn Bảy' });
    await p.services.db.query(`update match_candidate set decision = 'link' where id = $1`, [pair.candidateId]);
    await p.services.db.query(`update review_item set status = 'cancelled' where id = $1`, [pair.itemId]);
    const claimed = (await as(app, hoa, { method: 'POST', url: '/review/next', payload: {} })).json();
    const [place, father] = claimed.entry.items;
    expect(place.suggestion).toEqual({ value: 'Xã Đông Hội, Huyện Đông Anh', sourceId: 'E000777' });
    expect(father).toMatchObject({ blind: true, suggestion: null });
    expect(JSON.stringify(claimed)).not.toContain('Trần Văn Bảy');
    const confirmed = await as(app, hoa, { method: 'POST', url: `/review/items/${entry.items.birthPlace}`, payload: { action: 'existing', ms: 800 } });
    expect(confirmed.statusCode).toBe(200);
    const [field] = await p.services.db.query<{ value: string; source: string; status: string; machine_value: string }>(
      `select value, source, status, machine_value from entry_field where entry_id = $1 and field = 'birthPlace'`,
      [entry.entryId],
    );
    expect(field).toEqual({ value: 'Xã Đông Hội, Huyện Đông Anh', source: 'existing_record', status: 'verified', machine_value: 'Xa Dong Hoi' });
    // Confirming from a record that is not there is refused.
    expect((await as(app, hoa, { method: 'POST', url: `/review/items/${entry.items.fatherName}`, payload: { action: 'existing', ms: 1 } })).json()).toMatchObject({ error: 'nothing_to_accept' });
  });
});
