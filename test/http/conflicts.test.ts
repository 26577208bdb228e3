import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractedEntry } from '../../schemas/entries.ts';
import { saveExtractedEntries } from '../../src/db/entries.ts';
import { routeStage } from '../../src/extract/route-stage.ts';
import type { TestPipeline } from '../helpers/services.ts';
import { seedEntry, type SeededEntry } from './review-seed.ts';
import { as, signIn, startWebDesk, type Browser } from './web-helpers.ts';

/** The page's entry read again by extraction, with `values` per field, then routed again. */
async function rerun(p: TestPipeline, seeded: SeededEntry, values: Record<string, string>) {
  const entry: ExtractedEntry = {
    year: 1962, entryNo: 12, entryNoConfidence: 1, seq: 0, pageIds: [seeded.pageId], region: [], struck: false, template: 'test', notes: [],
    fields: Object.entries(values).map(([field, value]) => ({ field, raw: value, value, precision: null, pageId: seeded.pageId, box: null, confidence: 0.99, reasons: [] })),
  };
  await p.services.db.transaction(async (sql) => {
    await saveExtractedEntries(sql, { id: seeded.pageId, bookId: seeded.bookId, registerType: 'birth', era: null }, [entry], 'rerun-test');
    await routeStage.run({ pageId: seeded.pageId }, { sql, instance: 'test:1', auditRate: 0 });
  });
}

describe('a re-run that reads a verified field differently', () => {
  let p: TestPipeline;
  let app: Awaited<ReturnType<typeof startWebDesk>>['app'];
  let hoa: Browser;
  let minh: Browser;

  beforeAll(async () => {
    ({ p, app, sessions: [hoa, minh] } = await startWebDesk([['hoa', 'verifier', ['HBT']], ['minh', 'verifier', ['HBT']], ['thu', 'supervisor', ['HBT']]]));
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  const next = (s: Browser) => as(app, s, { method: 'POST', url: '/review/next', payload: {} });
  const decide = (s: Browser, itemId: number, body: Record<string, unknown>) => as(app, s, { method: 'POST', url: `/review/items/${itemId}`, payload: { ms: 900, ...body } });

  it('queues the conflict first, shows the re-read beside the verified value, and each way of settling it clears it and is audited', async () => {
    const names = { fullName: 'Phạm Minh Đương', fatherName: 'Phạm Văn Tư', motherName: 'Lê Thị Hồng' };
    const seeded = await seedEntry(p.services.db, p.services.blobs, { fields: Object.entries(names).map(([field, value]) => ({ field, value, reasons: ['low_confidence'] })) });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    for (const itemId of Object.values(seeded.items)) expect((await decide(hoa, itemId, { action: 'accept' })).statusCode).toBe(200);

    // The same reading again is no conflict; a different one is kept beside the verified value, not applied.
    await rerun(p, seeded, names);
    expect(await p.services.db.query(`select id from review_item where entry_id = $1 and status = 'open'`, [seeded.entryId])).toEqual([]);
    await rerun(p, seeded, { fullName: 'Phạm Minh Dương', fatherName: 'Phạm Văn Từ', motherName: 'Lê Thị Hông' });
    const fields = await p.services.db.query<{ field: string; value: string; conflict_value: string; status: string }>(
      'select field, value, conflict_value, status from entry_field where entry_id = $1 order by id',
      [seeded.entryId],
    );
    expect(fields).toEqual([
      { field: 'fullName', value: 'Phạm Minh Đương', conflict_value: 'Phạm Minh Dương', status: 'verified' },
      { field: 'fatherName', value: 'Phạm Văn Tư', conflict_value: 'Phạm Văn Từ', status: 'verified' },
      { field: 'motherName', value: 'Lê Thị Hồng', conflict_value: 'Lê Thị Hông', status: 'verified' },
    ]);
    const queued = await p.services.db.query<{ id: number; field: string; priority: number }>(
      `select id, field, priority from review_item where entry_id = $1 and status = 'open' order by field`,
      [seeded.entryId],
    );
    expect(queued.map((q) => [q.field, q.priority])).toEqual([['fatherName', 20], ['fullName', 20], ['motherName', 20]]);
    const item = Object.fromEntries(queued.map((q) => [q.field, q.id]));
    // The entry's page shows the waiting re-read too.
    const thu = (await signIn(app, 'thu')).session;
    const entryPage = async () => (await as(app, thu, { url: `/entries/${seeded.entryId}`, headers: { accept: 'text/html' } })).body;
    expect(await entryPage()).toContain('Lần đọc lại: Phạm Minh Dương (khác giá trị đã xác minh, chờ người kiểm tra)');

    // Minh sees the verified value as the one Enter keeps, the re-read beside it, and why.
    const claimed = (await next(minh)).json().entry;
    expect(claimed.entryId).toBe(seeded.entryId);
    expect(claimed.items[0]).toMatchObject({
      field: 'fullName',
      blind: false,
      machine: 'Phạm Minh Đương',
      conflict: { reread: 'Phạm Minh Dương', verifiedBy: 'hoa' },
      reasons: ['Lần đọc lại cho giá trị khác với giá trị đã xác minh.'],
    });

    expect((await decide(minh, item.fullName!, { action: 'accept' })).statusCode).toBe(200);
    expect((await decide(minh, item.fatherName!, { action: 'rerun' })).statusCode).toBe(200);
    expect((await decide(minh, item.motherName!, { action: 'correct', input: 'lê thị hòng' })).json()).toMatchObject({ entryVerified: true });

    const settled = await p.services.db.query<{ field: string; value: string; conflict_value: string | null; machine_value: string; source: string; verified_by: string }>(
      'select field, value, conflict_value, machine_value, source, verified_by from entry_field where entry_id = $1 order by id',
      [seeded.entryId],
    );
    expect(settled).toEqual([
      { field: 'fullName', value: 'Phạm Minh Đương', conflict_value: null, machine_value: 'Phạm Minh Dương', source: 'verifier', verified_by: 'minh' },
      { field: 'fatherName', value: 'Phạm Văn Từ', conflict_value: null, machine_value: 'Phạm Văn Từ', source: 'verifier', verified_by: 'minh' },
      { field: 'motherName', value: 'Lê Thị Hòng', conflict_value: null, machine_value: 'Lê Thị Hông', source: 'verifier', verified_by: 'minh' },
    ]);
    const audit = await p.services.db.query<{ actor: string; action: string; object_id: string; detail: { rerunConflict?: string } }>(
      `select actor, action, object_id, detail from audit_event where object_type = 'entry_field' and actor = 'minh' order by id`,
    );
    expect(audit.map((a) => [a.action, a.object_id, a.detail.rerunConflict])).toEqual([
      ['review_accept', `${seeded.entryId}:fullName`, 'kept_verified'],
      ['review_rerun', `${seeded.entryId}:fatherName`, 'took_reread'],
      ['review_correct', `${seeded.entryId}:motherName`, 'typed'],
    ]);
    expect(JSON.stringify(audit)).not.toContain('Phạm');
    const [decision] = await p.services.db.query<{ action: string }>('select action from review_decision where review_item_id = $1', [item.fatherName]);
    expect(decision!.action).toBe('rerun');
    expect(await entryPage()).not.toContain('Lần đọc lại');

    // Settled: a further re-run reading what was decided raises nothing again.
    await rerun(p, seeded, { fullName: 'Phạm Minh Đương', fatherName: 'Phạm Văn Từ', motherName: 'Lê Thị Hòng' });
    expect(await p.services.db.query(`select id from review_item where entry_id = $1 and status = 'open'`, [seeded.entryId])).toEqual([]);
  });

  it('refuses taking a re-read on an item that has none', async () => {
    const seeded = await seedEntry(p.services.db, p.services.blobs, { entryNo: 13, fields: [{ field: 'fullName', value: 'Vũ Văn Khải', reasons: ['low_confidence'] }] });
    expect((await next(hoa)).json().entry.entryId).toBe(seeded.entryId);
    expect((await decide(hoa, seeded.items.fullName!, { action: 'rerun' })).json()).toMatchObject({ error: 'nothing_to_accept' });
    const [field] = await p.services.db.query<{ status: string }>(`select status from entry_field where entry_id = $1`, [seeded.entryId]);
    expect(field!.status).toBe('review');
  });
});
