import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountForLogin } from '../../src/auth/accounts.ts';
import { upsertExistingRecords } from '../../src/db/existing.ts';
import { prepareRow } from '../../src/existing/import.ts';
import { rematchEntry } from '../../src/match/stage.ts';
import { correctField } from '../../src/review/corrections.ts';
import { UNDO_MINUTES } from '../../src/review/matches.ts';
import type { TestPipeline } from '../helpers/services.ts';
import { seedEntry } from './review-seed.ts';
import { as, startWebDesk, type Browser } from './web-helpers.ts';

/** A verifier takes back a field decision made on the wrong field (Ctrl+Z, «Hoàn tác»), as the match desk's undo. */
describe('review screen: undo of a field decision', () => {
  let p: TestPipeline;
  let app: FastifyInstance;
  let hoa: Browser;
  let minh: Browser;

  beforeAll(async () => {
    ({ p, app, sessions: [hoa, minh] } = await startWebDesk([['hoa', 'verifier', ['HBT']], ['minh', 'verifier', ['HBT']]]));
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const next = (s: Browser) => as(app, s, { method: 'POST', url: '/review/next', payload: {} });
  const decide = (s: Browser, itemId: number, body: Record<string, unknown>) => as(app, s, { method: 'POST', url: `/review/items/${itemId}`, payload: { ms: 1500, ...body } });
  const undo = (s: Browser, itemId: number) => as(app, s, { method: 'POST', url: `/review/items/${itemId}/undo`, payload: {} });
  const field = async (entryId: number, name: string) => (await p.services.db.query<Record<string, unknown>>(
    `select value, precision, status, source, machine_value as "machineValue", verified_by as "verifiedBy", verified_at as "verifiedAt"
       from entry_field where entry_id = $1 and field = $2`, [entryId, name]))[0];
  const item = async (itemId: number) => (await p.services.db.query<{ status: string; claimedBy: string | null; live: boolean }>(
    `select status, claimed_by as "claimedBy", coalesce(claimed_until > now(), false) as live from review_item where id = $1`, [itemId]))[0];
  const entryState = async (entryId: number) => (await p.services.db.query<{ status: string; entryNo: number | null }>(
    'select status, entry_no as "entryNo" from entry where id = $1', [entryId]))[0];

  it('names Ctrl+Z on the screen’s legend with the match desk’s words and window', async () => {
    const screen = (await as(app, hoa, { url: '/review', headers: { accept: 'text/html' } })).body;
    expect(screen).toContain(`<kbd>Ctrl</kbd>+<kbd>Z</kbd> hoàn tác quyết định vừa rồi (trong ${UNDO_MINUTES} phút, khi chưa ai xử lý tiếp trường đó)`);
    expect(screen).toContain('<p id="undo-line"></p>');
  });

  it('takes back an accept: the field is the machine’s reading in review again, held by the person, the undo audited without values', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 1, fields: [{ field: 'fullName', value: 'Nguyễn Thị Hoà', reasons: ['low_confidence'] }, { field: 'birthPlace', value: 'Bệnh viện Bạch Mai', reasons: ['low_confidence'] }] });
    const before = await field(seeded.entryId, 'fullName');
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    expect((await decide(hoa, seeded.items.fullName!, { action: 'accept' })).statusCode).toBe(200);
    expect(await field(seeded.entryId, 'fullName')).toMatchObject({ status: 'verified', verifiedBy: 'hoa' });
    const undone = await undo(hoa, seeded.items.fullName!);
    expect(undone.statusCode).toBe(200);
    // the entry comes back to the screen with the field open again
    expect(undone.json()).toMatchObject({ itemId: seeded.items.fullName, entry: { entryId: seeded.entryId } });
    expect(undone.json().entry.items.map((i: { field: string }) => i.field)).toEqual(['fullName', 'birthPlace']);
    expect(await field(seeded.entryId, 'fullName')).toEqual(before);
    expect(await item(seeded.items.fullName!)).toEqual({ status: 'claimed', claimedBy: 'hoa', live: true });
    const decisions = await p.services.db.query('select 1 from review_decision where review_item_id = $1', [seeded.items.fullName]);
    expect(decisions).toEqual([]);
    const audit = await p.services.db.query<{ action: string; detail: Record<string, unknown> }>(
      `select action, detail from audit_event where object_type = 'entry_field' and object_id = $1 order by id`, [`${seeded.entryId}:fullName`]);
    expect(audit.map((a) => a.action)).toEqual(['review_accept', 'review_undo']);
    expect(audit[1]!.detail).toEqual({ reviewItem: seeded.items.fullName, undone: 'accept' });
    expect(JSON.stringify(audit)).not.toContain('Hoà');
    // decided again, the way it was meant
    expect((await decide(hoa, seeded.items.fullName!, { action: 'correct', input: 'Nguyễn Thị Hòa' })).statusCode).toBe(200);
    expect(await field(seeded.entryId, 'fullName')).toMatchObject({ value: 'Nguyễn Thị Hòa', status: 'verified', machineValue: 'Nguyễn Thị Hoà' });
    // a skip hands the field back by itself: nothing to take back
    expect((await decide(hoa, seeded.items.birthPlace!, { action: 'skip' })).statusCode).toBe(200);
    expect((await undo(hoa, seeded.items.birthPlace!)).json()).toMatchObject({ error: 'undo_nothing' });
  });

  it('takes back a correction and an empty line (F6): value, precision and source as they were', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 2, fields: [{ field: 'birthDate', value: '1962-03-05', reasons: ['low_confidence'] }, { field: 'birthPlace', value: 'Bệnh viện Bạch Mai', reasons: ['low_confidence'] }] });
    const date = await field(seeded.entryId, 'birthDate');
    const place = await field(seeded.entryId, 'birthPlace');
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    expect((await decide(hoa, seeded.items.birthDate!, { action: 'correct', input: '3/1962' })).statusCode).toBe(200);
    expect(await field(seeded.entryId, 'birthDate')).toMatchObject({ value: '1962-03', precision: 'month', machineValue: '1962-03-05' });
    expect((await undo(hoa, seeded.items.birthDate!)).statusCode).toBe(200);
    expect(await field(seeded.entryId, 'birthDate')).toEqual(date);
    expect((await decide(hoa, seeded.items.birthPlace!, { action: 'blank' })).statusCode).toBe(200);
    expect(await field(seeded.entryId, 'birthPlace')).toMatchObject({ value: null, status: 'verified' });
    expect((await undo(hoa, seeded.items.birthPlace!)).statusCode).toBe(200);
    expect(await field(seeded.entryId, 'birthPlace')).toEqual(place);
    const held = (await next(hoa)).json().entry;
    expect(held.entryId).toBe(seeded.entryId);
    expect(held.items.map((i: { machine: string }) => i.machine)).toEqual(['05/03/1962', 'Bệnh viện Bạch Mai']);
    for (const f of ['birthDate', 'birthPlace']) await decide(hoa, seeded.items[f]!, { action: 'accept' });
  });

  it('takes back the entry’s last field: no longer verified, number as read, matched again with the field unsure, the next entry handed back', async () => {
    const thu = { fullName: 'Đặng Minh Thư', sex: 'female', birthDate: '1991-12-05', motherName: 'Hồ Thị Xuân', fatherName: 'Đặng Văn Khoa', registrationDate: '1991-12-12' };
    const prepared = prepareRow({ registerType: 'birth', id: 'THU-1', fields: thu });
    if ('reason' in prepared) throw new Error(prepared.reason);
    await upsertExistingRecords(p.services.db, [{ ...prepared, sourceFile: 'test.jsonl', sourceRow: 1 }]);
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      bookNo: '07', year: 1991, entryNo: 21,
      fields: [...Object.entries(thu).map(([f, value]) => ({ field: f, value })), { field: 'entryNo', value: '21', reasons: ['low_confidence'] }],
    });
    const other = await seedEntry(p.services.db, p.services.blobs, { bookNo: '08', entryNo: 3, fields: [{ field: 'fullName', value: 'Lê Văn Tám', reasons: ['low_confidence'] }] });
    await rematchEntry(p.services.db, seeded.entryId);
    const pair = async () => (await p.services.db.query<{ decision: string; guard: string | null; open: boolean }>(
      `select c.decision, c.guard, exists (select 1 from review_item ri where ri.match_candidate_id = c.id and ri.status in ('open', 'claimed')) as open
         from match_candidate c where c.entry_id = $1`, [seeded.entryId]))[0];
    expect(await pair()).toEqual({ decision: 'review', guard: 'unsure_fields', open: true });

    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    expect((await decide(hoa, seeded.items.entryNo!, { action: 'correct', input: '12' })).json()).toMatchObject({ entryVerified: true });
    expect(await entryState(seeded.entryId)).toEqual({ status: 'verified', entryNo: 12 });
    expect(await pair()).toEqual({ decision: 'link', guard: null, open: false });
    // the screen moved on to the next entry
    expect((await next(hoa)).json().entry.entryId).toBe(other.entryId);

    expect((await undo(hoa, seeded.items.entryNo!)).statusCode).toBe(200);
    expect(await entryState(seeded.entryId)).toEqual({ status: 'needs_review', entryNo: 21 });
    expect(await pair()).toEqual({ decision: 'review', guard: 'unsure_fields', open: true });
    expect(await item(other.items.fullName!)).toMatchObject({ status: 'open', claimedBy: null });
    const [audit] = await p.services.db.query<{ detail: Record<string, unknown> }>(`select detail from audit_event where action = 'review_undo' order by id desc limit 1`);
    expect(audit!.detail).toEqual({ reviewItem: seeded.items.entryNo, undone: 'correct', handedBack: [other.items.fullName] });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    expect((await decide(hoa, seeded.items.entryNo!, { action: 'accept' })).json()).toMatchObject({ entryVerified: true });
    expect(await entryState(seeded.entryId)).toEqual({ status: 'verified', entryNo: 21 });
    expect(await pair()).toEqual({ decision: 'link', guard: null, open: false });
    expect((await next(hoa)).json().entry.entryId).toBe(other.entryId);
    await decide(hoa, other.items.fullName!, { action: 'accept' });
  });

  it(`refuses after ${UNDO_MINUTES} minutes, after someone else acted on the field, and another person’s decision`, async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 4, fields: [{ field: 'fullName', value: 'Phạm Văn Đồng', reasons: ['low_confidence'] }, { field: 'fatherName', value: 'Phạm Văn Ba', reasons: ['low_confidence'] }] });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    await decide(hoa, seeded.items.fullName!, { action: 'accept' });
    await p.services.db.query(`update review_decision set at = at - make_interval(mins => $2) where review_item_id = $1`, [seeded.items.fullName, UNDO_MINUTES + 1]);
    const late = await undo(hoa, seeded.items.fullName!);
    expect([late.statusCode, late.json().error]).toEqual([409, 'undo_expired']);
    expect(late.json().message).toBe(`Không hoàn tác được: quyết định đã quá ${UNDO_MINUTES} phút.`);
    expect(await field(seeded.entryId, 'fullName')).toMatchObject({ status: 'verified', verifiedBy: 'hoa' });

    await decide(hoa, seeded.items.fatherName!, { action: 'accept' });
    // the person's next decision drops the snapshot the undo can no longer use, and keeps its own
    const snapshots = await p.services.db.query<{ item: number; kept: boolean }>(
      'select review_item_id as item, field_before is not null as kept from review_decision where review_item_id = any($1) order by id',
      [[seeded.items.fullName, seeded.items.fatherName]],
    );
    expect(snapshots.map((d) => [Number(d.item), d.kept])).toEqual([[seeded.items.fullName, false], [seeded.items.fatherName, true]]);
    // a supervisor corrects the verified value meanwhile
    const supervisor = await findAccountForLogin(p.services.db, 'minh');
    await correctField(p.services.db, { ...supervisor!, role: 'supervisor' }, { entryId: seeded.entryId, field: 'fatherName', value: 'Phạm Văn Bá', precision: null, reason: 'Đối chiếu sổ gốc' });
    expect((await undo(hoa, seeded.items.fatherName!)).json()).toMatchObject({ error: 'undo_superseded', message: 'Không hoàn tác được: đã có người xử lý tiếp trường này sau bạn.' });
    expect(await field(seeded.entryId, 'fatherName')).toMatchObject({ value: 'Phạm Văn Bá' });
    // the decision is hoa's: minh cannot take it back
    const third = await seedEntry(p.services.db, p.services.blobs, { entryNo: 5, fields: [{ field: 'fullName', value: 'Vũ Thị Lan', reasons: ['low_confidence'] }] });
    expect((await next(hoa)).json().entry.entryId).toBe(third.entryId);
    await decide(hoa, third.items.fullName!, { action: 'accept' });
    expect((await undo(minh, third.items.fullName!)).json()).toMatchObject({ error: 'undo_superseded' });
  });

  it('takes back a blind first keying while it waits for the second, not once the second verifier holds or keyed it', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 6, fields: [{ field: 'motherName', value: 'Tran Thi Bich', reasons: ['handwritten'], priority: 50 }] });
    const keying = () => p.services.db.query<{ account: string }>('select a.name as account from review_keying k join account a on a.id = k.account_id where k.review_item_id = $1 order by k.id', [seeded.items.motherName]);
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    expect((await decide(hoa, seeded.items.motherName!, { action: 'correct', input: 'Trần Thị Bích' })).json()).toMatchObject({ keyed: 'first' });
    const undone = await undo(hoa, seeded.items.motherName!);
    expect(undone.statusCode).toBe(200);
    expect(undone.json().entry.items[0]).toMatchObject({ itemId: seeded.items.motherName, blind: true, machine: '' });
    expect(await keying()).toEqual([]);
    expect(await item(seeded.items.motherName!)).toEqual({ status: 'claimed', claimedBy: 'hoa', live: true });
    const [audit] = await p.services.db.query<{ detail: Record<string, unknown> }>(`select detail from audit_event where action = 'review_undo' order by id desc limit 1`);
    expect(audit!.detail).toEqual({ reviewItem: seeded.items.motherName, undone: 'correct', keyed: 'first' });

    // keyed again; once the second verifier holds it, it is theirs
    await decide(hoa, seeded.items.motherName!, { action: 'correct', input: 'Trần Thị Bích' });
    expect((await next(minh)).json().entry.entryId).toBe(seeded.entryId);
    expect((await undo(hoa, seeded.items.motherName!)).json()).toMatchObject({ error: 'undo_superseded' });
    expect((await decide(minh, seeded.items.motherName!, { action: 'correct', input: 'Trần Thị Bính' })).json()).toMatchObject({ keyed: 'disagreed' });
    // sent to arbitration: neither keying is taken back; the second verifier is told the two were compared
    expect((await undo(hoa, seeded.items.motherName!)).json()).toMatchObject({ error: 'undo_superseded' });
    expect((await undo(minh, seeded.items.motherName!)).json()).toMatchObject({ error: 'undo_compared', message: 'Không hoàn tác được: hai lần nhập mù của trường này đã được so với nhau.' });
    expect((await keying()).map((k) => k.account)).toEqual(['hoa', 'minh']);
    expect((await item(seeded.items.motherName!))!.status).toBe('arbitration');
  });
});
