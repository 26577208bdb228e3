import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertExistingRecords } from '../../src/db/existing.ts';
import { activeMatchModel, listMatchModels, saveActiveMatchModel, setMatchThresholds } from '../../src/db/match-models.ts';
import { prepareRow } from '../../src/existing/import.ts';
import { activeModel, matchStage } from '../../src/match/stage.ts';
import { NotEnoughPairsError, trainMatchModel } from '../../src/match/train.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Khánh', 'Linh', 'Minh', 'Nam', 'Phúc', 'Quân'];
const MIDDLE = ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu'];
/** Person i (< 96 distinct names); `day` moves the birth day for a namesake born the same year. */
const person = (i: number, day = 0) => ({
  fullName: `${SURNAMES[Math.floor(i / 12) % 8]} ${MIDDLE[i % 5]} ${GIVEN[i % 12]}`,
  sex: 'male',
  birthDate: `19${60 + (i % 30)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 7 + day) % 28)).padStart(2, '0')}`,
  motherName: `${SURNAMES[(i + 3 + day) % 8]} Thị ${GIVEN[(i * 7 + day) % 12]}`,
  fatherName: `${SURNAMES[Math.floor(i / 12) % 8]} Văn ${GIVEN[(i * 11 + day) % 12]}`,
  registrationDate: `19${60 + (i % 30)}-12-28`,
});

describe('civreg match train', () => {
  it('refuses to train before matching has scored enough pairs', async () => {
    await expect(trainMatchModel(t.db)).rejects.toBeInstanceOf(NotEnoughPairsError);
  });

  it('estimates m/u from the candidate pairs, stores them as the active version, and the stage scores with it', async () => {
    // 80 people in the electronic database, 60 of them scanned again (a quarter with another mother's
    // name), and 30 namesakes born the same year to other parents
    const existing = [
      ...Array.from({ length: 80 }, (_, i) => ({ id: `R${i}`, registerType: 'birth', fields: person(i) })),
      ...Array.from({ length: 30 }, (_, i) => ({ id: `N${i}`, registerType: 'birth', fields: person(i, 5) })),
    ];
    const prepared = existing.map((r, i) => {
      const row = prepareRow(r);
      if ('reason' in row) throw new Error(row.reason);
      return { ...row, sourceFile: 't.jsonl', sourceRow: i + 1 };
    });
    await upsertExistingRecords(t.db, prepared);
    const [office] = await t.db.query<{ id: number }>(`insert into registry_office (code, name) values ('T', 'T') returning id`);
    const [book] = await t.db.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from) values ($1, 'birth', '01', 1960) returning id`, [office!.id]);
    const [upload] = await t.db.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'f', 'x', 1, 't') returning id`, [book!.id]);
    const [page] = await t.db.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, 0, 'p', 'extracted') returning id`, [book!.id, upload!.id]);
    for (let i = 0; i < 60; i++) {
      const fields = { ...person(i), ...(i % 4 === 0 ? { motherName: `${SURNAMES[(i + 4) % 8]} Thị Xuân` } : {}) };
      const [entry] = await t.db.query<{ id: number }>(
        `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, 1960, $5, 'birth') returning id`,
        [book!.id, page!.id, i, [page!.id], i + 1],
      );
      const keys = Object.keys(fields);
      await t.db.query(`insert into entry_field (entry_id, field, raw, value, confidence, status) select $1, f, v, v, 1, 'verified' from unnest($2::text[], $3::text[]) as u(f, v)`,
        [entry!.id, keys, keys.map((k) => (fields as Record<string, string>)[k])]);
    }
    await matchStage.run({ pageId: page!.id }, { instance: 'test', sql: t.db });
    const [{ n }] = (await t.db.query<{ n: number }>('select count(*)::int as n from match_candidate')) as [{ n: number }];
    expect(n).toBeGreaterThanOrEqual(60);

    const { model, report } = await trainMatchModel(t.db, { randomPairs: 3000 });
    expect(report.version).toMatch(/^em-[0-9a-f]{10}$/u);
    expect(report.estimate.uFixed).toBe(true);
    // the data's weights point the right way: agreement for, disagreement against
    expect(model.weight('fullName', 'name', 'exact')).toBeGreaterThan(3);
    expect(model.weight('motherName', 'name', 'different')).toBeLessThan(0);
    expect(report.estimate.levels.birthDate!.exact!.m).toBeGreaterThan(0.5);
    const stored = await listMatchModels(t.db);
    expect(stored.map((m) => [m.version, m.active])).toEqual([[report.version, true]]);

    // the stage now scores with the stored version, and each pair explains itself with its m and u
    await matchStage.run({ pageId: page!.id }, { instance: 'test', sql: t.db });
    const pairs = await t.db.query<{ model: string; explanation: { comparison: string; level: string; m: number; u: number; weight: number }[] }>('select model, explanation from match_candidate');
    expect(new Set(pairs.map((p) => p.model))).toEqual(new Set([report.version]));
    const name = pairs[0]!.explanation.find((c) => c.comparison === 'fullName')!;
    const [m, u] = stored[0]!.mu.fullName![name.level]!;
    expect(name.m).toBeCloseTo(m, 2);
    expect(name.weight).toBeCloseTo(Math.log2(m / u), 1);

    // training again on the same pairs gives the same version: nothing new is stored
    expect((await trainMatchModel(t.db, { randomPairs: 3000 })).report.version).toBe(report.version);
    expect(await listMatchModels(t.db)).toHaveLength(1);
  });

  it('keeps the previous version active when storing a new one fails half-way', async () => {
    const mu = { fullName: { exact: [0.9, 0.001] as const } };
    await saveActiveMatchModel(t.db, 'em-before', mu, { candidatePairs: 1 });
    // jsonb refuses a NUL character: the insert fails after the previous version was deactivated
    await expect(saveActiveMatchModel(t.db, 'em-broken', mu, { note: 'a\u0000b' })).rejects.toThrow();
    expect((await activeMatchModel(t.db))?.version).toBe('em-before');
    expect((await listMatchModels(t.db)).map((m) => m.version)).not.toContain('em-broken');
  });

  it('keeps the thresholds calibrated for a version with it, audited, and matches with them', async () => {
    await saveActiveMatchModel(t.db, 'em-thresholds', { fullName: { exact: [0.9, 0.001] as const } }, { candidatePairs: 1 });
    const defaults = (await activeModel(t.db)).thresholds;
    expect(await setMatchThresholds(t.db, { link: defaults.link + 2, review: defaults.review + 1 }, 'test')).toBe('em-thresholds');
    expect((await activeModel(t.db)).thresholds).toEqual({ link: defaults.link + 2, review: defaults.review + 1 });
    const [audit] = await t.db.query<{ detail: { previous: unknown } }>(`select detail from audit_event where action = 'match_thresholds_set' and object_id = 'em-thresholds'`);
    expect(audit!.detail.previous).toBeNull();
    // another version keeps its own (none set: the defaults)
    await saveActiveMatchModel(t.db, 'em-other', { fullName: { exact: [0.8, 0.002] as const } }, { candidatePairs: 1 });
    expect((await activeModel(t.db)).thresholds).toEqual(defaults);
    await expect(setMatchThresholds(t.db, { link: 9, review: 3 }, 'test', 'em-missing')).rejects.toThrow(/no model version/);
  });
});
