import type { FastifyInstance } from 'fastify';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealRecord } from '../../src/certified/extract.ts';
import { MISSING_TEXT } from '../../src/certified/content.ts';
import { FIELD_LABELS } from '../../src/review/field-rules.js';
import { KEYED_MARKS, KEYING_REFUSALS } from '../../src/review/keying.ts';
import type { TestPipeline } from '../helpers/services.ts';
import { seedEntry } from './review-seed.ts';
import { as, startWebDesk, type Browser } from './web-helpers.ts';

/** F6 on the review screen: the book's line is empty («Sổ để trống»), stored, audited and printed as keying's. */
describe('review screen: the book’s empty line', () => {
  let p: TestPipeline;
  let app: FastifyInstance;
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
  const decide = (s: Browser, itemId: number, body: Record<string, unknown>) => as(app, s, { method: 'POST', url: `/review/items/${itemId}`, payload: { ms: 1800, ...body } });
  const field = async (entryId: number, name: string) => (await p.services.db.query<Record<string, unknown>>(
    'select value, precision, status, source, verified_by as "verifiedBy", machine_value as "machineValue" from entry_field where entry_id = $1 and field = $2', [entryId, name]))[0];

  it('names F6 on the screen’s legend with the keying screen’s words', async () => {
    expect((await as(app, hoa, { url: '/review', headers: { accept: 'text/html' } })).body).toContain('<kbd>F6</kbd> sổ để trống');
  });

  it('stores the empty line as keying does (verified, no value), audits it, and the extract prints it as the book’s empty line', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 7,
      fields: [
        { field: 'fullName', value: 'Đỗ Văn Hải' }, { field: 'birthDate', value: '1962-02-11' },
        { field: 'birthPlace', value: 'Phường Bạch Mai', reasons: ['low_confidence'] },
      ],
    });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    expect((await decide(hoa, seeded.items.birthPlace!, { action: 'blank' })).json()).toMatchObject({ entryVerified: true });
    // as keyMissingEntry stores «Sổ để trống»: verified by the verifier, no value; the machine's reading kept aside
    expect(await field(seeded.entryId, 'birthPlace')).toEqual({ value: null, precision: null, status: 'verified', source: 'verifier', verifiedBy: 'hoa', machineValue: 'Phường Bạch Mai' });
    const audit = await p.services.db.query<{ action: string; detail: Record<string, unknown> }>(
      `select action, detail from audit_event where object_type = 'entry_field' and object_id = $1`, [`${seeded.entryId}:birthPlace`]);
    expect(audit).toEqual([{ action: 'review_blank', detail: { reviewItem: seeded.items.birthPlace, ms: 1800, entryVerified: true } }]);
    const { content } = await sealRecord(p.services.db, await mkdtemp(join(tmpdir(), 'civreg-keys-')), seeded.entryId);
    const row = content.sections.flatMap((s) => s.rows).find((r) => r.label === FIELD_LABELS.birthPlace);
    expect(row).toEqual({ label: FIELD_LABELS.birthPlace, value: MISSING_TEXT.not_written, missing: 'not_written' });
  });

  it('shows a field verified empty on the entry page as «Sổ để trống», not as an empty value', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 10, fields: [{ field: 'hometown', value: 'Xã Đông La', reasons: ['low_confidence'] }] });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    await decide(hoa, seeded.items.hometown!, { action: 'blank' });
    const page = (await as(app, thu, { url: `/entries/${seeded.entryId}`, headers: { accept: 'text/html' } })).body;
    const row = page.split('<tr>').find((r) => r.includes(`<td>${FIELD_LABELS.hometown}</td>`));
    expect(row).toContain(`<td>${KEYED_MARKS.blank}</td>`);
  });

  it('refuses «Sổ để trống» on a field no record lacks (the entry number, the person’s name), and leaves it to decide', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, {
      entryNo: 1040,
      fields: [{ field: 'entryNo', value: '1040', reasons: ['low_confidence'] }, { field: 'fullName', value: 'Lê Thị Hà', reasons: ['low_confidence'] }, { field: 'motherName', value: 'Lê Thị Lan', reasons: ['low_confidence'] }],
    });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    // someone not holding the entry learns nothing of its fields (not even which rule refuses): the lease is not theirs
    expect((await decide(minh, seeded.items.fullName!, { action: 'blank' })).json().error).toBe('lease_lost');
    for (const name of ['entryNo', 'fullName']) {
      const refused = await decide(hoa, seeded.items[name]!, { action: 'blank' });
      expect(refused.statusCode, name).toBe(400);
      expect(refused.json(), name).toEqual({ error: 'blank_refused', message: KEYING_REFUSALS.blank_refused });
      expect(await field(seeded.entryId, name), name).toMatchObject({ status: 'review', verifiedBy: null });
    }
    // a foundling's birth is registered without the mother's name: the book's empty line is taken there
    expect((await decide(hoa, seeded.items.motherName!, { action: 'blank' })).statusCode).toBe(200);
    expect(await field(seeded.entryId, 'motherName')).toMatchObject({ value: null, status: 'verified' });
    for (const name of ['entryNo', 'fullName']) expect((await decide(hoa, seeded.items[name]!, { action: 'accept' })).statusCode).toBe(200);
  });

  it('leaves an entry whose number line is unreadable without the machine’s reading of it', async () => {
    const entryNoOf = async (entryId: number) => (await p.services.db.query<{ n: number | null }>('select entry_no as n from entry where id = $1', [entryId]))[0]!.n;
    for (const [action, misread] of [['unreadable', 1036]] as const) {
      const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: misread, fields: [{ field: 'entryNo', value: String(misread), reasons: ['low_confidence'] }] });
      expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
      await decide(hoa, seeded.items.entryNo!, { action });
      // "1035" would go on naming the entry on searches and extracts, and judging the book's numbering
      expect(await entryNoOf(seeded.entryId), action).toBeNull();
    }
  });

  it('counts two blind keyings of the empty line as agreeing, and shows a supervisor «Sổ để trống» against a value', async () => {
    const agreed = await seedEntry(p.services.db, p.services.blobs, { entryNo: 8, fields: [{ field: 'motherName', value: 'Ngo Thi', reasons: ['handwritten'] }] });
    expect((await next(hoa)).json().entry.entryId).toBe(agreed.entryId);
    expect((await decide(hoa, agreed.items.motherName!, { action: 'blank' })).json()).toMatchObject({ keyed: 'first' });
    expect((await next(minh)).json().entry.entryId).toBe(agreed.entryId);
    expect((await decide(minh, agreed.items.motherName!, { action: 'blank' })).json()).toMatchObject({ keyed: 'agreed' });
    expect(await field(agreed.entryId, 'motherName')).toMatchObject({ value: null, status: 'verified', source: 'verifier' });

    const split = await seedEntry(p.services.db, p.services.blobs, { entryNo: 9, fields: [{ field: 'fatherName', value: 'Ngo Van', reasons: ['handwritten'] }] });
    expect((await next(hoa)).json().entry.entryId).toBe(split.entryId);
    await decide(hoa, split.items.fatherName!, { action: 'blank' });
    expect((await next(minh)).json().entry.entryId).toBe(split.entryId);
    expect((await decide(minh, split.items.fatherName!, { action: 'correct', input: 'Ngô Văn Tâm' })).json()).toMatchObject({ keyed: 'disagreed' });
    const arbitration = (await as(app, thu, { method: 'POST', url: '/arbitration/next', payload: {} })).json();
    expect(JSON.stringify(arbitration)).toContain('"value":"Sổ để trống"');
  });

  it('lets a supervisor arbitrate with F6 «Sổ để trống», stored as review stores it, refused on the person’s name', async () => {
    const arbitrate = (body: Record<string, unknown>, itemId: number) => as(app, thu, { method: 'POST', url: `/arbitration/items/${itemId}`, payload: body });
    expect((await as(app, thu, { url: '/arbitration', headers: { accept: 'text/html' } })).body).toContain('<kbd>F6</kbd> sổ để trống');
    // the split keying of the test above waits for thu: one keying said empty, the other typed a name
    const split = (await as(app, thu, { method: 'POST', url: '/arbitration/next', payload: {} })).json().item;
    expect(split.field).toBe('fatherName');
    expect((await arbitrate({ choice: 'blank' }, split.itemId)).json()).toMatchObject({ entryVerified: true });
    const [stored] = await p.services.db.query<Record<string, unknown>>(
      `select f.value, f.status, f.source from entry_field f join review_item ri on ri.entry_id = f.entry_id and ri.field = f.field where ri.id = $1`, [split.itemId]);
    expect(stored).toEqual({ value: null, status: 'verified', source: 'supervisor' });

    const named = await seedEntry(p.services.db, p.services.blobs, { entryNo: 10, fields: [{ field: 'fullName', value: 'Ngo Van', reasons: ['handwritten'] }] });
    expect((await next(hoa)).json().entry.entryId).toBe(named.entryId);
    await decide(hoa, named.items.fullName!, { action: 'correct', input: 'Ngô Văn Tâm' });
    expect((await next(minh)).json().entry.entryId).toBe(named.entryId);
    await decide(minh, named.items.fullName!, { action: 'correct', input: 'Ngô Văn Tám' });
    expect((await as(app, thu, { method: 'POST', url: '/arbitration/next', payload: {} })).json().item.itemId).toBe(named.items.fullName);
    const refused = await arbitrate({ choice: 'blank' }, named.items.fullName!);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'blank_refused', message: KEYING_REFUSALS.blank_refused });
    expect(await field(named.entryId, 'fullName')).toMatchObject({ status: 'review' });
  });
});
