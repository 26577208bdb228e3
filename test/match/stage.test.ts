import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertExistingRecords } from '../../src/db/existing.ts';
import { decideCandidate } from '../../src/db/matches.ts';
import type { Sql } from '../../src/db/sql.ts';
import { prepareRow } from '../../src/existing/import.ts';
import { matchStage } from '../../src/match/stage.ts';
import { settleEntry } from '../../src/review/settle.ts';
import { encodeLegacy } from '../../src/text/legacy-encodings.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const WARD = 'Số 12 phố Huế, Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội';
/** A birth entry's fields as extraction writes them (normal forms). */
const hung = {
  fullName: 'Nguyễn Văn Hùng', sex: 'male', birthDate: '1962-03-15', birthPlace: 'Bệnh viện Bạch Mai', motherName: 'Trần Thị Hoà',
  motherBirthYear: '1940', fatherName: 'Nguyễn Văn Tâm', fatherBirthYear: '1938', motherResidence: WARD, registrationDate: '1962-03-20',
};

let seq = 0;
/** A page of a book with entries (fields as extraction stores them); returns the page id and entry ids. */
async function pageWith(sql: Sql, bookNo: string, entries: Record<string, string>[], registerType = 'birth'): Promise<{ pageId: number; entryIds: number[] }> {
  const n = ++seq;
  const [office] = await sql.query<{ id: number }>(`insert into registry_office (code, name) values ($1, $1) on conflict (code) do update set name = excluded.name returning id`, ['HBT']);
  const [book] = await sql.query<{ id: number }>(
    `insert into book (office_id, register_type, book_no, year_from) values ($1, $2, $3, 1962)
     on conflict (office_id, register_type, book_no, year_from) do update set era = book.era returning id`,
    [office!.id, registerType, bookNo],
  );
  const [upload] = await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, $2, 'f.pdf', 'x', 1, 'test') returning id`, [book!.id, n]);
  const [page] = await sql.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, 0, 'p1', 'extracted') returning id`, [book!.id, upload!.id]);
  const entryIds: number[] = [];
  for (const [i, fields] of entries.entries()) {
    const [entry] = await sql.query<{ id: number }>(
      `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, 1962, $5, $6) returning id`,
      [book!.id, page!.id, i, [page!.id], i + 1, registerType],
    );
    for (const [field, value] of Object.entries(fields)) {
      await sql.query(`insert into entry_field (entry_id, field, raw, value, confidence, status) values ($1, $2, $3, $3, 0.99, 'auto_accepted')`, [entry!.id, field, value]);
    }
    entryIds.push(entry!.id);
  }
  return { pageId: page!.id, entryIds };
}

async function importRecords(sql: Sql, records: { id: string; fields: Record<string, string>; registerType?: string }[]) {
  const rows = records.map((r, i) => {
    const prepared = prepareRow({ registerType: 'birth', ...r });
    if ('reason' in prepared) throw new Error(prepared.reason);
    return { ...prepared, sourceFile: 'test.jsonl', sourceRow: i + 1 };
  });
  await upsertExistingRecords(sql, rows);
}

const run = (pageId: number) => matchStage.run({ pageId }, { instance: 'test', sql: t.db });

interface PairRow { id: number; entry_id: number; other_entry_id: number | null; source_id: string | null; decision: string; guard: string | null; person_decision: string | null; score: number; explanation: { comparison: string; level: string; weight: number; unsure?: boolean }[] }
async function pairsOf(entryId: number): Promise<PairRow[]> {
  return t.db.query<PairRow>(
    `select c.id, c.entry_id, c.other_entry_id, r.source_id, c.decision, c.guard, c.person_decision, c.score, c.explanation
       from match_candidate c left join existing_record r on r.id = c.existing_record_id
      where c.entry_id = $1 or c.other_entry_id = $1 order by c.id`,
    [entryId],
  );
}
const withSource = (pairs: PairRow[], sourceId: string) => pairs.find((p) => p.source_id === sourceId);

describe('match stage', () => {
  it('links an exact duplicate and a near duplicate with typos, encodings and spelling variants, explaining each', async () => {
    await importRecords(t.db, [
      { id: 'EXACT', fields: { ...hung } },
      // typo in the middle name, the other tone placement, decomposed Unicode, year-only birth date
      { id: 'NEAR', fields: { ...hung, fullName: 'Nguyễn Vănn Hùng'.normalize('NFD'), motherName: 'Trần Thị Hòa', birthDate: '1962' } },
      // an old TCVN3 import with the regional surname variant of the father
      { id: 'LEGACY', fields: Object.fromEntries(Object.entries({ ...hung, fatherName: 'Nguyễn Văn Tâm', fullName: 'Nguyễn Văn Hùng' }).map(([k, v]) => [k, encodeLegacy(v, 'tcvn3')])) },
    ]);
    const { pageId, entryIds } = await pageWith(t.db, '01', [hung]);
    const result = await run(pageId);
    expect(result).toEqual({ outcome: 'done', forward: [{ pageId }] });
    const pairs = await pairsOf(entryIds[0]!);
    for (const id of ['EXACT', 'NEAR', 'LEGACY']) expect(withSource(pairs, id)?.decision, id).toBe('link');
    const near = withSource(pairs, 'NEAR')!;
    expect(near.explanation).toEqual(expect.arrayContaining([
      expect.objectContaining({ comparison: 'fullName', level: 'typo_elsewhere' }),
      expect.objectContaining({ comparison: 'birthDate', level: 'compatible' }),
      expect.objectContaining({ comparison: 'motherName', level: 'exact' }),
    ]));
    expect(withSource(pairs, 'EXACT')!.score).toBeGreaterThan(near.score);
    const [page] = await t.db.query<{ status: string }>('select status from page where id = $1', [pageId]);
    expect(page!.status).toBe('matched');
  });

  it('never auto-links two different people with the same common name and birth year in the same ward', async () => {
    const lan = { fullName: 'Nguyễn Thị Lan', sex: 'female', birthDate: '1975-06-02', motherName: 'Phạm Thị Nga', fatherName: 'Nguyễn Văn Bình', motherResidence: WARD, registrationDate: '1975-06-10' };
    await importRecords(t.db, [
      // another Nguyễn Thị Lan of 1975 in the same ward, recorded with the year only and without parents
      { id: 'NAMESAKE_YEAR', fields: { fullName: 'Nguyễn Thị Lan', sex: 'female', birthDate: '1975', motherResidence: WARD } },
      // and one born another day of that year, with other parents
      { id: 'NAMESAKE_DAY', fields: { ...lan, birthDate: '1975-11-23', motherName: 'Lê Thị Hằng', fatherName: 'Nguyễn Văn Quang', registrationDate: '1975-12-01' } },
    ]);
    const { pageId, entryIds } = await pageWith(t.db, '02', [lan]);
    expect((await run(pageId)).outcome).toBe('needs_review');
    const pairs = await pairsOf(entryIds[0]!);
    expect(withSource(pairs, 'NAMESAKE_YEAR')?.decision).toBe('review');
    expect(withSource(pairs, 'NAMESAKE_DAY')?.decision ?? 'new').toBe('new');
    expect(pairs.every((p) => p.decision !== 'link')).toBe(true);
    const items = await t.db.query<{ match_candidate_id: number }>(`select match_candidate_id from review_item where kind = 'match' and entry_id = $1 and status = 'open'`, [entryIds[0]]);
    expect(items.map((i) => i.match_candidate_id)).toEqual([withSource(pairs, 'NAMESAKE_YEAR')!.id]);
  });

  it('does not auto-link twins: same parents and day, given names one letter apart', async () => {
    const twinA = { ...hung, fullName: 'Lê Văn Hà', motherName: 'Đỗ Thị Mai', fatherName: 'Lê Văn Sơn', birthDate: '1980-02-02', registrationDate: '1980-02-10' };
    await importRecords(t.db, [{ id: 'TWIN', fields: { ...twinA, fullName: 'Lê Văn Hải' } }]);
    const { pageId, entryIds } = await pageWith(t.db, '03', [twinA]);
    await run(pageId);
    expect(withSource(await pairsOf(entryIds[0]!), 'TWIN')?.decision ?? 'new').not.toBe('link');
  });

  it('links a second book copy and a re-registration among the scans', async () => {
    const binh = { ...hung, fullName: 'Phạm Thị Thuý', sex: 'female', birthDate: '1984-09-09', motherName: 'Vũ Thị Hoà', fatherName: 'Phạm Văn Long', registrationDate: '1984-09-15' };
    const original = await pageWith(t.db, '04', [binh]);
    await run(original.pageId);
    const copy = await pageWith(t.db, '04-copy', [binh]);
    await run(copy.pageId);
    // re-registered in 1999 with other spellings: the other tone placement, the regional surname variant
    const again = await pageWith(t.db, '05', [{ ...binh, fullName: 'Phạm Thị Thúy', motherName: 'Võ Thị Hòa', registrationDate: '1999-04-01' }]);
    await run(again.pageId);
    const pairs = await pairsOf(original.entryIds[0]!);
    const copyPair = pairs.find((p) => p.other_entry_id === copy.entryIds[0] || p.entry_id === copy.entryIds[0]);
    const reregPair = pairs.find((p) => p.other_entry_id === again.entryIds[0] || p.entry_id === again.entryIds[0]);
    expect(copyPair?.decision).toBe('link');
    expect(reregPair?.decision).toBe('link');
    expect(reregPair!.explanation).toEqual(expect.arrayContaining([expect.objectContaining({ comparison: 'registrationDate', level: 'different' })]));
  });

  it('links a second copy of a recognition and of a guardianship book, but not a ward’s later guardian', async () => {
    const recognition = { childName: 'Đinh Thị Ngọc', childBirthDate: '2007-05-06', parentName: 'Đinh Văn Toàn', parentBirthDate: '1979-01-30', parentRelation: 'Cha', childResidence: WARD, parentResidence: WARD, registrationDate: '2008-02-11' };
    const guardianship = { wardName: 'Lò Văn Khánh', wardBirthDate: '2010-10-10', guardianName: 'Lò Thị Xuân', guardianBirthDate: '1975-04-04', guardianRelation: 'Cô', wardResidence: WARD, guardianResidence: WARD, registrationDate: '2012-07-01' };
    const decisions: string[] = [];
    for (const [type, fields, later] of [
      ['recognition', recognition, null],
      ['guardianship', guardianship, { ...guardianship, guardianName: 'Lò Văn Dũng', guardianBirthDate: '1970-12-12', guardianRelation: 'Chú', registrationDate: '2015-03-03' }],
    ] as const) {
      const original = await pageWith(t.db, `${type}-1`, [fields], type);
      await run(original.pageId);
      const copy = await pageWith(t.db, `${type}-copy`, [fields], type);
      await run(copy.pageId);
      const pairs = await pairsOf(original.entryIds[0]!);
      decisions.push(pairs.find((p) => p.other_entry_id === copy.entryIds[0] || p.entry_id === copy.entryIds[0])?.decision ?? 'new');
      if (later) {
        const next = await pageWith(t.db, `${type}-later`, [later], type);
        await run(next.pageId);
        decisions.push((await pairsOf(next.entryIds[0]!)).find((p) => p.decision === 'link')?.decision ?? 'not linked');
      }
    }
    expect(decisions).toEqual(['link', 'link', 'not linked']);
  });

  it('keeps a person’s decision when matching runs again, and replaces only the machine’s view', async () => {
    const [entry] = await t.db.query<{ id: number; page_id: number }>(`select e.id, e.page_id from entry e join entry_field f on f.entry_id = e.id where f.field = 'fullName' and f.value = 'Nguyễn Thị Lan'`);
    const review = withSource(await pairsOf(entry!.id), 'NAMESAKE_YEAR')!;
    await decideCandidate(t.db, review.id, 'different', 'verifier-1');
    const exactEntry = (await t.db.query<{ id: number; page_id: number }>(`select e.id, e.page_id from entry e join book b on b.id = e.book_id where b.book_no = '01'`))[0]!;
    const exact = withSource(await pairsOf(exactEntry.id), 'EXACT')!;
    await decideCandidate(t.db, exact.id, 'different', 'verifier-2');

    const before = await t.db.query('select count(*)::int as n from match_candidate');
    expect((await run(entry!.page_id)).outcome).toBe('done');
    await run(exactEntry.page_id);
    expect(await t.db.query('select count(*)::int as n from match_candidate')).toEqual(before);
    const kept = withSource(await pairsOf(entry!.id), 'NAMESAKE_YEAR')!;
    expect(kept).toMatchObject({ id: review.id, person_decision: 'different', decision: 'review' });
    expect(withSource(await pairsOf(exactEntry.id), 'EXACT')).toMatchObject({ id: exact.id, person_decision: 'different', decision: 'link' });
    const open = await t.db.query(`select 1 from review_item where kind = 'match' and match_candidate_id = $1 and status = 'open'`, [review.id]);
    expect(open).toEqual([]);
  });

  it('links only on fields routing would accept or a person verified, and only an entry whose number is sure', async () => {
    const thu = { ...hung, fullName: 'Đặng Minh Thư', sex: 'female', birthDate: '1991-12-05', motherName: 'Hồ Thị Xuân', fatherName: 'Đặng Văn Khoa', registrationDate: '1991-12-12' };
    await importRecords(t.db, [{ id: 'THU', fields: thu }]);
    const { pageId, entryIds } = await pageWith(t.db, '08', [thu]);
    const entryId = entryIds[0]!;
    const setFields = (status: string, confidence: number, only?: string) =>
      t.db.query(`update entry_field set status = $2, confidence = $3 where entry_id = $1 and ($4::text is null or field = $4)`, [entryId, status, confidence, only ?? null]);

    // machine-read, not yet routed, below the acceptance threshold: every agreement is capped, a person decides
    await setFields('pending', 0.6);
    await run(pageId);
    let pair = withSource(await pairsOf(entryId), 'THU')!;
    expect(pair.decision).toBe('review');
    expect(pair.explanation.find((c) => c.comparison === 'birthDate')).toMatchObject({ level: 'exact', unsure: true });
    expect(Math.max(...pair.explanation.map((c) => c.weight))).toBeLessThanOrEqual(2);

    // the same reading at a confidence routing accepts: linked
    await setFields('pending', 0.99);
    await run(pageId);
    expect(withSource(await pairsOf(entryId), 'THU')).toMatchObject({ decision: 'link', guard: null });

    // but an entry number read unsurely: the link could name the wrong entry of the book
    await t.db.query(`insert into entry_field (entry_id, field, raw, value, confidence, status) values ($1, 'entryNo', '1', '1', 0.4, 'pending')`, [entryId]);
    await run(pageId);
    pair = withSource(await pairsOf(entryId), 'THU')!;
    expect(pair).toMatchObject({ decision: 'review', guard: 'unsure_fields' });
    // a field in review is unsure whatever its confidence, until a person verifies it
    await setFields('review', 0.99, 'entryNo');
    await run(pageId);
    expect(withSource(await pairsOf(entryId), 'THU')!.guard).toBe('unsure_fields');
    await setFields('verified', 0.4, 'entryNo');
    await run(pageId);
    expect(withSource(await pairsOf(entryId), 'THU')).toMatchObject({ decision: 'link', guard: null });
    // a verified birth date alone does not carry a link whose subject name is unsure
    await setFields('pending', 0.5, 'fullName');
    await run(pageId);
    expect(withSource(await pairsOf(entryId), 'THU')!.guard).toBe('unsure_fields');
  });

  it('sends to a person a pair that only its fields in review keep below the review threshold, and matches the entry again once they are verified', async () => {
    const lan = { fullName: 'Kiều Thị Lan', birthDate: '1984-09-21', motherName: 'Lò Thị Mai' };
    await importRecords(t.db, [{ id: 'LAN', fields: { ...lan, sex: 'female', registrationDate: '1984-10-01' } }]);
    const { pageId, entryIds } = await pageWith(t.db, '09', [lan]);
    const entryId = entryIds[0]!;
    await t.db.query(`update entry_field set status = 'review', confidence = 0.6 where entry_id = $1`, [entryId]);
    await run(pageId);
    // capped at ±2 bits each, three agreeing fields leave the pair far below −4; read as written it is a likely match
    let pair = withSource(await pairsOf(entryId), 'LAN')!;
    expect(pair.score).toBeLessThan(-4);
    expect(pair).toMatchObject({ decision: 'review', guard: 'unsure_fields' });
    const [item] = await t.db.query<{ n: number }>(`select count(*)::int as n from review_item where kind = 'match' and entry_id = $1 and status = 'open'`, [entryId]);
    expect(item!.n).toBe(1);

    // one field verified: the others still await a person, nothing is matched again
    await t.db.query(`update entry_field set status = 'verified' where entry_id = $1 and field = 'fullName'`, [entryId]);
    await settleEntry(t.db, entryId);
    expect(withSource(await pairsOf(entryId), 'LAN')!.decision).toBe('review');
    // all verified (the review screen settles the entry after each decision): matched again, trusted, linked
    await t.db.query(`update entry_field set status = 'verified' where entry_id = $1`, [entryId]);
    await settleEntry(t.db, entryId);
    pair = withSource(await pairsOf(entryId), 'LAN')!;
    expect(pair).toMatchObject({ decision: 'link', guard: null });
    expect(pair.explanation.some((c) => c.unsure)).toBe(false);
    const [open] = await t.db.query<{ n: number }>(`select count(*)::int as n from review_item where kind = 'match' and entry_id = $1 and status = 'open'`, [entryId]);
    expect(open!.n).toBe(0);
  });

  it('matched again, an entry rescores a pair only the other entry’s lookup had found, rather than dropping it', async () => {
    const minh = { ...hung, fullName: 'Tạ Quang Minh', birthDate: '1975-04-02', motherName: 'Vi Thị Hằng', fatherName: 'Tạ Văn Dũng', registrationDate: '1975-04-10' };
    const first = await pageWith(t.db, '11', [minh]);
    const second = await pageWith(t.db, '12', [minh]);
    await run(first.pageId);
    await run(second.pageId);
    const [a, b] = [first.entryIds[0]!, second.entryIds[0]!];
    expect((await pairsOf(a)).map((p) => [p.entry_id, p.other_entry_id, p.decision])).toEqual([[a, b, 'link']]);
    // the second entry's stored keys no longer meet the first's lookup (as when they were stored from other readings)
    await t.db.query(`update entry_match_key set block_keys = '{}' where entry_id = $1`, [b]);
    await settleEntry(t.db, a);
    expect((await pairsOf(a)).map((p) => [p.entry_id, p.other_entry_id, p.decision])).toEqual([[a, b, 'link']]);
  });

  it('pairs two entries of the same page (an entry written twice), matched in one batch', async () => {
    const twice = { ...hung, fullName: 'Cao Văn Lực', birthDate: '1970-07-07', motherName: 'Mạc Thị Tơ', fatherName: 'Cao Văn Bảy', registrationDate: '1970-07-20' };
    const { pageId, entryIds } = await pageWith(t.db, '09', [twice, twice]);
    await run(pageId);
    const pairs = await pairsOf(entryIds[0]!);
    expect(pairs.map((p) => [p.entry_id, p.other_entry_id, p.decision])).toEqual([[entryIds[0], entryIds[1], 'link']]);
    await run(pageId);
    expect(await pairsOf(entryIds[1]!)).toHaveLength(1);
  });

  it('matches nothing on an empty page and leaves struck entries out', async () => {
    const empty = await pageWith(t.db, '06', []);
    expect(await run(empty.pageId)).toEqual({ outcome: 'done', forward: [{ pageId: empty.pageId }] });
    const struck = await pageWith(t.db, '07', [hung]);
    await t.db.query('update entry set struck = true where id = $1', [struck.entryIds[0]]);
    await run(struck.pageId);
    expect(await pairsOf(struck.entryIds[0]!)).toEqual([]);
    expect(await t.db.query('select 1 from entry_match_key where entry_id = $1', [struck.entryIds[0]])).toEqual([]);
  });
});
