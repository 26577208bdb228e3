import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertExistingRecords } from '../../src/db/existing.ts';
import type { Sql } from '../../src/db/sql.ts';
import { prepareRow } from '../../src/existing/import.ts';
import { checkBook } from '../../src/extract/book-checks.ts';
import { matchStage } from '../../src/match/stage.ts';
import { settleEntry } from '../../src/review/settle.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * Values of the machine an issue of the book rests on (numbers beside numbers skipped, a registration date outside
 * the book's years) go to a person, the issue staying in sight until they decide: confirmed, it stays; corrected, it goes.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const WARD = 'Số 12 phố Huế, Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội';
const person = (given: string, day: number): Record<string, string> => ({
  fullName: `Nguyễn Văn ${given}`, sex: 'male', birthDate: `1962-03-${String(day).padStart(2, '0')}`, birthPlace: 'Bệnh viện Bạch Mai', motherName: `Trần Thị ${given === 'Hùng' ? 'Hoà' : 'Lan'}`,
  motherBirthYear: '1940', fatherName: `Nguyễn Văn Tâm ${given}`.split(' ').slice(0, 4).join(' '), fatherBirthYear: '1938', motherResidence: WARD, registrationDate: `1962-03-${String(day + 5).padStart(2, '0')}`,
});

let books = 0;
/** One page of a new book of 1962 holding entries numbered `numbers` (every value accepted by the machine). */
async function bookWith(sql: Sql, entries: { entryNo: number; fields: Record<string, string> }[]): Promise<{ bookId: number; pageId: number; ids: number[] }> {
  const [office] = await sql.query<{ id: number }>(`insert into registry_office (code, name) values ('HBT', 'HBT') on conflict (code) do update set name = excluded.name returning id`);
  const [book] = await sql.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from) values ($1, 'birth', $2, 1962) returning id`, [office!.id, `B${++books}`]);
  const [upload] = await sql.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'f.pdf', 'x', 1, 'test') returning id`, [book!.id]);
  const [page] = await sql.query<{ id: number }>(`insert into page (book_id, upload_id, file_index, label, status) values ($1, $2, 0, 'p1', 'extracted') returning id`, [book!.id, upload!.id]);
  const ids: number[] = [];
  for (const [i, { entryNo, fields }] of entries.entries()) {
    const [entry] = await sql.query<{ id: number }>(
      `insert into entry (book_id, page_id, seq, page_ids, year, entry_no, register_type) values ($1, $2, $3, $4, 1962, $5, 'birth') returning id`,
      [book!.id, page!.id, i, [page!.id], entryNo],
    );
    for (const [field, value] of Object.entries({ ...fields, entryNo: String(entryNo) })) {
      await sql.query(`insert into entry_field (entry_id, field, raw, value, confidence, status) values ($1, $2, $3, $3, 0.99, 'auto_accepted')`, [entry!.id, field, value]);
    }
    ids.push(entry!.id);
  }
  return { bookId: book!.id, pageId: page!.id, ids };
}

const routed = (pageId: number) => t.db.query(`update page set status = 'routed' where id = $1`, [pageId]);
const issuesOf = (bookId: number) => t.db.query<{ kind: string; entryId: number; detail: Record<string, unknown> }>(
  `select kind, entry_id as "entryId", detail from book_issue where book_id = $1 and status = 'open' order by entry_id, id`, [bookId]);
const fieldOf = async (entryId: number, field: string) => {
  const [row] = await t.db.query<{ value: string; status: string; reasons: string[]; items: number }>(
    `select f.value, f.status, f.reasons, (select count(*)::int from review_item r where r.entry_id = f.entry_id and r.field = f.field and r.status = 'open') as items
       from entry_field f where f.entry_id = $1 and f.field = $2`, [entryId, field]);
  return row!;
};
/** A person's decision on a field, as the review screen makes it. */
const decide = (entryId: number, field: string, value: string) => t.db.transaction(async (tx) => {
  await tx.query(`update entry_field set value = $3, status = 'verified', source = 'verifier' where entry_id = $1 and field = $2`, [entryId, field, value]);
  await tx.query(`update review_item set status = 'done' where entry_id = $1 and field = $2`, [entryId, field]);
  await settleEntry(tx, entryId, field);
});

describe('values an issue of the book rests on', () => {
  it('sends the numbers beside a gap to a person, keeps the gap while they look, and closes it when one is corrected', async () => {
    // the year's first entry on the book's pages is 288, read 268: 269–288 look skipped before 289
    const { bookId, pageId, ids } = await bookWith(t.db, [{ entryNo: 268, fields: person('Hùng', 1) }, { entryNo: 289, fields: person('Minh', 2) }, { entryNo: 290, fields: person('Long', 3) }]);
    await routed(pageId);
    await checkBook(t.db, bookId);
    const gap = { kind: 'entry_gap', entryId: ids[1], detail: expect.objectContaining({ after: 268 }) };
    expect(await issuesOf(bookId)).toEqual([gap]);
    expect(await fieldOf(ids[0]!, 'entryNo')).toMatchObject({ status: 'review', reasons: ['book_issue'], items: 1 });
    // 290 follows on from 289: no one misread digit makes the gap on that side
    for (const id of [ids[1]!, ids[2]!]) expect((await fieldOf(id, 'entryNo')).status).toBe('auto_accepted');
    // the checks run again (another page settles): the gap stays in sight while its number is under review
    await checkBook(t.db, bookId);
    expect(await issuesOf(bookId)).toEqual([gap]);
    // 268 corrected to 288: nothing is skipped
    await decide(ids[0]!, 'entryNo', '288');
    expect(await issuesOf(bookId)).toEqual([]);
    const [entry] = await t.db.query<{ entryNo: number }>(`select entry_no as "entryNo" from entry where id = $1`, [ids[0]]);
    expect(entry!.entryNo).toBe(288);
  });

  it('sends the edges of a gap a run misread alike may make to a person, though their neighbours follow on', async () => {
    // 212, 213, 214 read 272, 273, 274 (the tens digit of each): 212–271 look skipped after 211
    const { bookId, pageId, ids } = await bookWith(t.db, [209, 210, 211, 272, 273, 274].map((entryNo, i) => ({ entryNo, fields: person('Hùng', i + 1) })));
    await routed(pageId);
    await checkBook(t.db, bookId);
    expect((await issuesOf(bookId)).map((i) => [i.kind, i.entryId])).toEqual([['entry_gap', ids[3]]]);
    // 272 may be 212 and 211 may be 271: both go to a person; the rest stay accepted
    expect(await Promise.all(ids.map(async (id) => (await fieldOf(id, 'entryNo')).status))).toEqual(['auto_accepted', 'auto_accepted', 'review', 'review', 'auto_accepted', 'auto_accepted']);
  });

  it('keeps a gap a person confirmed, and leaves numbers the gap cannot be blamed on as accepted', async () => {
    const { bookId, pageId, ids } = await bookWith(t.db, [
      { entryNo: 5, fields: person('Hùng', 1) }, { entryNo: 6, fields: person('Minh', 2) }, { entryNo: 9, fields: person('Long', 3) },
      { entryNo: 11, fields: person('Nam', 4) }, { entryNo: 12, fields: person('Quân', 5) }]);
    await routed(pageId);
    await checkBook(t.db, bookId);
    const gaps = [{ kind: 'entry_gap', entryId: ids[2], detail: { after: 6, missing: [7, 8] } }, { kind: 'entry_gap', entryId: ids[3], detail: { after: 9, missing: [10] } }];
    expect(await issuesOf(bookId)).toEqual(gaps);
    // 6 follows on from 5 and 11 goes on to 12; 9, between two gaps, may be 7, 8 or 10 misread
    expect(await Promise.all(ids.map(async (id) => (await fieldOf(id, 'entryNo')).status))).toEqual(['auto_accepted', 'auto_accepted', 'review', 'auto_accepted', 'auto_accepted']);
    await decide(ids[2]!, 'entryNo', '9');
    expect(await issuesOf(bookId)).toEqual(gaps);
  });

  it('sends a registration date outside the book’s years to a person; confirmed it stays an issue, corrected it goes', async () => {
    const { bookId, pageId, ids } = await bookWith(t.db, [
      { entryNo: 16, fields: person('Hùng', 1) }, { entryNo: 17, fields: { ...person('Minh', 2), registrationDate: '1968-03-07' } }, { entryNo: 18, fields: { ...person('Long', 3), registrationDate: '1971-03-08' } },
    ]);
    await routed(pageId);
    await checkBook(t.db, bookId);
    expect((await issuesOf(bookId)).map((i) => [i.kind, i.entryId])).toEqual([['date_outside_book', ids[1]], ['date_outside_book', ids[2]]]);
    for (const id of [ids[1]!, ids[2]!]) expect(await fieldOf(id, 'registrationDate')).toMatchObject({ status: 'review', reasons: ['book_issue'], items: 1 });
    await checkBook(t.db, bookId);
    expect(await issuesOf(bookId)).toHaveLength(2);
    // 1968 was 1962 misread; 1971 is what the book says (a late registration)
    await decide(ids[1]!, 'registrationDate', '1962-03-07');
    await decide(ids[2]!, 'registrationDate', '1971-03-08');
    expect((await issuesOf(bookId)).map((i) => [i.kind, i.entryId])).toEqual([['date_outside_book', ids[2]]]);
  });

  it('sends a registrar’s name read with other marks than the book’s other entries give it to a person', async () => {
    const signed = (registrarName: string, day: number) => ({ ...person('Hùng', day), registrarName });
    const { bookId, pageId, ids } = await bookWith(t.db, [
      { entryNo: 1, fields: signed('Bùi Thị Hoà', 1) }, { entryNo: 2, fields: signed('Bùi Thị Hoa', 2) }, { entryNo: 3, fields: signed('Bùi Thị Hòa', 3) }, { entryNo: 4, fields: signed('Lê Văn Nam', 4) },
    ]);
    await routed(pageId);
    await checkBook(t.db, bookId);
    expect(await fieldOf(ids[1]!, 'registrarName')).toMatchObject({ status: 'review', reasons: ['spelled_otherwise'], items: 1 });
    for (const i of [0, 2, 3]) expect((await fieldOf(ids[i]!, 'registrarName')).status).toBe('auto_accepted');
    // the person reads "Hoà": nothing more to doubt
    await decide(ids[1]!, 'registrarName', 'Bùi Thị Hoà');
    for (const i of [0, 1, 2]) expect((await fieldOf(ids[i]!, 'registrarName')).status).not.toBe('review');
  });

  it('sends the majority’s spelling to a person once a person confirmed the minority’s', async () => {
    const signed = (registrarName: string, day: number) => ({ ...person('Hùng', day), registrarName });
    // a faint grave accent lost on most pages: three "Hoa" outvote the one "Hoà"
    const { bookId, pageId, ids } = await bookWith(t.db, [1, 2, 3, 4].map((n) => ({ entryNo: n, fields: signed(n === 2 ? 'Bùi Thị Hoà' : 'Bùi Thị Hoa', n) })));
    await routed(pageId);
    await checkBook(t.db, bookId);
    expect(await fieldOf(ids[1]!, 'registrarName')).toMatchObject({ status: 'review', reasons: ['spelled_otherwise'] });
    // the person reads "Hoà" on the page: the three "Hoa" are now the book's odd spelling
    await decide(ids[1]!, 'registrarName', 'Bùi Thị Hoà');
    for (const i of [0, 2, 3]) expect(await fieldOf(ids[i]!, 'registrarName')).toMatchObject({ status: 'review', reasons: ['spelled_otherwise'], items: 1 });
  });

  it('does not keep a link that rests on an entry whose number went to a person', async () => {
    const hung = person('Hùng', 1);
    // the archive holds entry 268 of this person: the misread number names the wrong entry, the values still agree
    const prepared = prepareRow({ id: 'E268', registerType: 'birth', fields: hung });
    if ('reason' in prepared) throw new Error(prepared.reason);
    await upsertExistingRecords(t.db, [{ ...prepared, sourceFile: 'existing.jsonl', sourceRow: 1 }]);
    const { bookId, pageId, ids } = await bookWith(t.db, [{ entryNo: 268, fields: hung }, { entryNo: 289, fields: person('Minh', 2) }, { entryNo: 290, fields: person('Long', 3) }]);
    await matchStage.run({ pageId }, { instance: 'test', sql: t.db });
    const decisions = () => t.db.query<{ decision: string; guard: string | null }>(
      `select c.decision, c.guard from match_candidate c join existing_record r on r.id = c.existing_record_id where c.entry_id = $1 and r.source_id = 'E268'`, [ids[0]]);
    expect(await decisions()).toEqual([{ decision: 'link', guard: null }]);
    await routed(pageId);
    await checkBook(t.db, bookId);
    expect(await decisions()).toEqual([{ decision: 'review', guard: 'unsure_fields' }]);
    const items = await t.db.query(`select 1 from review_item where kind = 'match' and entry_id = $1 and status = 'open'`, [ids[0]]);
    expect(items).toHaveLength(1);
  });
});
