import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertExistingRecords } from '../../src/db/existing.ts';
import type { Sql } from '../../src/db/sql.ts';
import { prepareRow } from '../../src/existing/import.ts';
import { FAMILY_KEEP_AT, familyKeys, scoreFamily } from '../../src/match/family.ts';
import { recordFeatures } from '../../src/match/features.ts';
import { DEFAULT_MODEL } from '../../src/match/model.ts';
import { matchStage } from '../../src/match/stage.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const RESIDENCE = 'Số 5 phố Huế, Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội';
const child = {
  fullName: 'Lê Thị Ngọc Anh', sex: 'female', birthDate: '1990-05-17', fatherName: 'Lê Văn Sơn', fatherBirthYear: '1962',
  motherName: 'Đỗ Thị Mai', motherBirthYear: '1965', motherResidence: RESIDENCE, registrationDate: '1990-05-25',
};
const wedding = {
  husbandName: 'Lê Văn Sơn', husbandBirthDate: '1962-02-03', wifeName: 'Đỗ Thị Mai', wifeBirthDate: '1965-11-20',
  husbandResidence: RESIDENCE, wifeResidence: 'Xã Thanh Liệt, Huyện Thanh Trì, Hà Nội', registrationDate: '1988-09-10',
};
const death = { fullName: 'Lê Thị Ngọc Anh', sex: 'female', birthDate: '1990-05-17', deathDate: '2020-01-04', residence: RESIDENCE, registrationDate: '2020-01-06' };

describe('scoreFamily', () => {
  const birth = recordFeatures('birth', child);
  it('links a birth to its parents’ marriage and explains it, whichever record comes first', () => {
    const marriage = recordFeatures('marriage', wedding);
    expect(familyKeys(birth).sought).toContain(familyKeys(marriage).own[0]);
    expect(familyKeys(marriage).sought).toContain(familyKeys(birth).own[0]);
    const scored = scoreFamily(marriage, birth, DEFAULT_MODEL)!;
    expect(scored.kind).toBe('parents_marriage');
    expect(scored.score).toBeGreaterThan(FAMILY_KEEP_AT + 10);
    expect(scored.comparisons.map((c) => [c.comparison, c.level])).toEqual(expect.arrayContaining([
      ['fatherName~husbandName', 'exact'], ['motherName~wifeName', 'exact'], ['fatherBirthYear~husbandBirthDate', 'exact'], ['birthDate~registrationDate', 'plausible'],
    ]));
  });

  it('does not keep another couple, nor a wedding decades after the birth', () => {
    const other = scoreFamily(birth, recordFeatures('marriage', { ...wedding, husbandName: 'Trần Văn Sơn', wifeName: 'Phạm Thị Mai' }), DEFAULT_MODEL)!;
    expect(other.score).toBeLessThan(FAMILY_KEEP_AT);
    const late = scoreFamily(birth, recordFeatures('marriage', { ...wedding, registrationDate: '2024-01-01' }), DEFAULT_MODEL)!;
    expect(late.score).toBeLessThan(scoreFamily(birth, recordFeatures('marriage', wedding), DEFAULT_MODEL)!.score - 5);
  });

  it('links a birth to the same person’s death, never to a death before the birth', () => {
    const scored = scoreFamily(birth, recordFeatures('death', death), DEFAULT_MODEL)!;
    expect(scored).toMatchObject({ kind: 'same_person_death' });
    expect(scored.score).toBeGreaterThan(FAMILY_KEEP_AT);
    expect(scoreFamily(birth, recordFeatures('death', { ...death, deathDate: '1989-01-01' }), DEFAULT_MODEL)).toBeNull();
    expect(scoreFamily(birth, recordFeatures('death', { ...death, fullName: 'Lê Thị Ngọc Ánh', birthDate: '1990-08-01' }), DEFAULT_MODEL)?.score ?? -1).toBeLessThan(FAMILY_KEEP_AT);
    // two births are no family link (matching compares them)
    expect(scoreFamily(birth, birth, DEFAULT_MODEL)).toBeNull();
  });

  it('links a birth to the recognition of the child’s father and to the guardianship of the child, not of another child', () => {
    const recognition = recordFeatures('recognition', {
      parentName: 'Lê Văn Sơn', parentBirthDate: '1962-02-03', parentRelation: 'Cha', childName: 'Lê Thị Ngọc Anh', childBirthDate: '1990-05-17',
      childResidence: RESIDENCE, registrationDate: '2008-03-01',
    });
    const guardianship = recordFeatures('guardianship', {
      guardianName: 'Đỗ Thị Hoa', guardianBirthDate: '1940-01-09', guardianRelation: 'Bà ngoại', wardName: 'Lê Thị Ngọc Anh', wardBirthDate: '1990-05-17', registrationDate: '2006-09-01',
    });
    for (const [record, kind] of [[recognition, 'recognised_child'], [guardianship, 'ward']] as const) {
      expect(familyKeys(birth).sought).toContain(familyKeys(record).own[0]);
      expect(familyKeys(record).sought).toContain(familyKeys(birth).own.find((k) => k.includes(':fp:')));
      const scored = scoreFamily(record, birth, DEFAULT_MODEL)!;
      expect(scored.kind).toBe(kind);
      expect(scored.score).toBeGreaterThan(FAMILY_KEEP_AT);
    }
    const otherChild = recordFeatures('guardianship', { guardianName: 'Đỗ Thị Hoa', wardName: 'Lê Thị Ngọc Ánh', wardBirthDate: '1991-02-11', registrationDate: '2006-09-01' });
    expect(scoreFamily(birth, otherChild, DEFAULT_MODEL)?.score ?? -1).toBeLessThan(FAMILY_KEEP_AT);
  });
});

describe('family links in the match stage', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  async function pageWith(sql: Sql, registerType: string, fields: Record<string, string>, bookNo: string): Promise<{ pageId: number; entryId: number }> {
    const [office] = await sql.query<{ id: number }>(`insert into registry_office (code, name) values ('F', 'F') on conflict (code) do update set name = excluded.name returning id`);
    const [book] = await sql.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from) values ($1, $2, $3, 1990) returning id`, [office!.id, registerType, bookNo]);
    const [upload] = await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'f', 'x', 1, 't') returning id`, [book!.id]);
    const [page] = await sql.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, 0, 'p', 'extracted') returning id`, [book!.id, upload!.id]);
    const [entry] = await sql.query<{ id: number }>(
      `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, 0, $3, 1990, 1, $4) returning id`,
      [book!.id, page!.id, [page!.id], registerType],
    );
    const keys = Object.keys(fields);
    await sql.query(`insert into entry_field (entry_id, field, raw, value, confidence, status) select $1, f, v, v, 1, 'verified' from unnest($2::text[], $3::text[]) as u(f, v)`,
      [entry!.id, keys, keys.map((k) => fields[k])]);
    return { pageId: page!.id, entryId: entry!.id };
  }

  it('stores a birth entry’s links to the parents’ marriage record and to a later death entry, with score and explanation', async () => {
    const rows = [{ id: 'M1', registerType: 'marriage', fields: wedding }, { id: 'M2', registerType: 'marriage', fields: { ...wedding, husbandName: 'Trần Văn Sơn', wifeName: 'Phạm Thị Mai' } }].map((r, i) => {
      const p = prepareRow(r);
      if ('reason' in p) throw new Error(p.reason);
      return { ...p, sourceFile: 't.jsonl', sourceRow: i + 1 };
    });
    await upsertExistingRecords(t.db, rows);
    const born = await pageWith(t.db, 'birth', child, '01');
    await matchStage.run({ pageId: born.pageId }, { instance: 'test', sql: t.db });
    const died = await pageWith(t.db, 'death', death, '02');
    await matchStage.run({ pageId: died.pageId }, { instance: 'test', sql: t.db });

    const links = await t.db.query<{ kind: string; entry_id: number; other_entry_id: number | null; source_id: string | null; score: number; explanation: { comparison: string }[]; model: string }>(
      `select l.kind, l.entry_id, l.other_entry_id, r.source_id, l.score, l.explanation, l.model from family_link l left join existing_record r on r.id = l.existing_record_id order by l.id`,
    );
    expect(links.map((l) => [l.kind, l.source_id, l.entry_id, l.other_entry_id])).toEqual([
      ['parents_marriage', 'M1', born.entryId, null],
      ['same_person_death', null, born.entryId, died.entryId],
    ]);
    expect(links[0]!.explanation.length).toBeGreaterThan(3);
    expect(links.every((l) => l.score >= FAMILY_KEEP_AT && l.model === DEFAULT_MODEL.name)).toBe(true);
    // no same-event pair between the types: family keys never make match candidates
    expect(await t.db.query('select 1 from match_candidate')).toEqual([]);

    // matching again replaces, not adds
    await matchStage.run({ pageId: born.pageId }, { instance: 'test', sql: t.db });
    await matchStage.run({ pageId: died.pageId }, { instance: 'test', sql: t.db });
    expect(await t.db.query('select count(*)::int as n from family_link')).toEqual([{ n: 2 }]);
  });

  it('stores the link from a recognition register’s entry to the child’s birth entry', async () => {
    const [born] = await t.db.query<{ id: number }>(`select id from entry where register_type = 'birth'`);
    const recognised = await pageWith(t.db, 'recognition', {
      parentName: 'Lê Văn Sơn', parentBirthDate: '1962-02-03', parentRelation: 'Cha', childName: 'Lê Thị Ngọc Anh', childBirthDate: '1990-05-17', registrationDate: '2008-03-01',
    }, '03');
    await matchStage.run({ pageId: recognised.pageId }, { instance: 'test', sql: t.db });
    const links = await t.db.query<{ kind: string; entryId: number; otherEntryId: number }>(
      `select kind, entry_id::int as "entryId", other_entry_id::int as "otherEntryId" from family_link where kind = 'recognised_child'`);
    expect(links).toEqual([{ kind: 'recognised_child', entryId: born!.id, otherEntryId: recognised.entryId }]);
  });
});
