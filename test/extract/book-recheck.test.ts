import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBook } from '../../src/extract/book-checks.ts';
import { settleEntry } from '../../src/review/settle.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { seedEntry } from '../http/review-seed.ts';

describe('book checks after a person decides an entry number', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'civreg-recheck-'));
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('judges the numbers skipped after one the machine was unsure of again once a verifier typed it', async () => {
    const blobs = createLocalBlobStore(dir);
    const entry = (entryNo: number, unsure = false) =>
      seedEntry(t.db, blobs, { entryNo, fields: [{ field: 'entryNo', value: String(entryNo), ...(unsure ? { reasons: ['low_confidence'] } : {}) }, { field: 'fullName', value: 'Trần Văn An' }] });
    const first = await entry(10);
    const unsure = await entry(11, true);
    await entry(14);
    // each seeded entry is on a page of its own, so the numbers skipped fall at a page break: a missing page
    const issues = () => t.db.query<{ kind: string; detail: unknown }>(`select kind, detail from book_issue`);

    await checkBook(t.db, first.bookId);
    // the unsure 11 agrees with the 10 before it and the 14 after it (src/extract/numbering.ts numbersInPairs): 12 and 13 are missing
    expect(await issues()).toContainEqual({ kind: 'missing_page', detail: { after: 11, before: 14 } });

    // the person reads 12 there: 11 is missing, and 13
    await t.db.transaction(async (tx) => {
      await tx.query(`update entry_field set value = '12', status = 'verified', source = 'verifier' where entry_id = $1 and field = 'entryNo'`, [unsure.entryId]);
      await tx.query(`update review_item set status = 'done' where id = $1`, [unsure.items.entryNo]);
      await settleEntry(tx, unsure.entryId, 'entryNo');
    });
    expect(await issues()).toContainEqual({ kind: 'missing_page', detail: { after: 12, before: 14 } });
    expect(await issues()).not.toContainEqual(expect.objectContaining({ detail: expect.objectContaining({ after: 11 }) }));
  });

  it('holds every value of the entries of a page whose numbers run out of order or repeat, not of a page with a plain gap', async () => {
    const blobs = createLocalBlobStore(dir);
    const entry = (entryNo: number) => seedEntry(t.db, blobs, { bookNo: '21', entryNo, fields: [{ field: 'entryNo', value: String(entryNo) }, { field: 'fullName', value: 'Trần Văn An' }, { field: 'birthDate', value: '1962-03-01' }] });
    // pages: [10] [11] [13, 12] [14, 16] [17, 17] [20] [18]; seeded entries each get a page, so three are moved onto the page before
    const seeded: Awaited<ReturnType<typeof entry>>[] = [];
    for (const no of [10, 11, 13, 12, 14, 16, 17, 17, 20, 18]) seeded.push(await entry(no));
    for (const [moved, onto] of [[3, 2], [5, 4], [7, 6]] as const) {
      await t.db.query(`update entry set page_id = $2, page_ids = array[$2::bigint], seq = 1 where id = $1`, [seeded[moved]!.entryId, seeded[onto]!.pageId]);
      await t.db.query(`update entry_field set page_id = $2 where entry_id = $1`, [seeded[moved]!.entryId, seeded[onto]!.pageId]);
      await t.db.query(`delete from page where id = $1`, [seeded[moved]!.pageId]);
    }
    // a value a person verified stays as they left it
    await t.db.query(`update entry_field set status = 'verified', source = 'verifier' where entry_id = $1 and field = 'birthDate'`, [seeded[2]!.entryId]);
    const issues = await checkBook(t.db, seeded[0]!.bookId);
    // (two entries a page are few: the steps at page breaks read as pages lost)
    expect(issues?.map((i) => i.kind)).toEqual(expect.arrayContaining(['entry_gap', 'entry_order', 'entry_repeat']));
    const fields = await t.db.query<{ entryId: number; field: string; status: string; reasons: string[]; item: boolean }>(
      `select f.entry_id as "entryId", f.field, f.status, f.reasons, exists (select 1 from review_item r where r.entry_id = f.entry_id and r.field = f.field) as item
         from entry_field f where f.entry_id = any($1) order by f.entry_id, f.field`, [seeded.map((s) => s.entryId)]);
    const of = (i: number) => fields.filter((f) => f.entryId === seeded[i]!.entryId && f.field !== 'entryNo');
    // 13 and 12 (one page) and both 17s: their names and dates may be another entry's
    for (const i of [2, 3, 6, 7]) {
      for (const f of of(i)) {
        if (i === 2 && f.field === 'birthDate') expect(f.status).toBe('verified');
        else expect(f, `${i} ${f.field}`).toMatchObject({ status: 'review', reasons: ['number_in_doubt'], item: true });
      }
    }
    // 10, 11, and 14, 16 (a number skipped, which clerks do; a page lost), and 20 then 18 on the next page (a step back
    // across a page break: pages delivered out of order): left as they were
    expect(issues).toContainEqual(expect.objectContaining({ kind: 'entry_order', pageId: seeded[9]!.pageId }));
    for (const i of [0, 1, 4, 5, 8, 9]) expect(of(i).map((f) => f.status)).toEqual(['auto_accepted', 'auto_accepted']);
  });

  it('sends back a copy accepted on a twin whose page a decided number leaves numbered backwards', async () => {
    const blobs = createLocalBlobStore(dir);
    const entry = (entryNo: number) => seedEntry(t.db, blobs, { bookNo: '22', entryNo, fields: [{ field: 'entryNo', value: String(entryNo) }, { field: 'registrarName', value: 'Vũ Văn Nam' }] });
    // pages: [10] [11] [12, 13] [14] [15]; the registrar of 15 accepted on the word of 12's (book-twins.ts)
    const seeded: Awaited<ReturnType<typeof entry>>[] = [];
    for (const no of [10, 11, 12, 13, 14, 15]) seeded.push(await entry(no));
    await t.db.query(`update entry set page_id = $2, page_ids = array[$2::bigint], seq = 1 where id = $1`, [seeded[3]!.entryId, seeded[2]!.pageId]);
    await t.db.query(`update entry_field set page_id = $2 where entry_id = $1`, [seeded[3]!.entryId, seeded[2]!.pageId]);
    await t.db.query(`delete from page where id = $1`, [seeded[3]!.pageId]);
    await t.db.query(
      `update entry_field set reasons = '{twin_in_book}', twin_field_id = (select id from entry_field where entry_id = $2 and field = 'registrarName')
        where entry_id = $1 and field = 'registrarName'`, [seeded[5]!.entryId, seeded[2]!.entryId]);
    const copy = async () => (await t.db.query<{ status: string; reasons: string[] }>(`select status, reasons from entry_field where entry_id = $1 and field = 'registrarName'`, [seeded[5]!.entryId]))[0];
    await checkBook(t.db, seeded[0]!.bookId);
    expect(await copy()).toEqual({ status: 'auto_accepted', reasons: ['twin_in_book'] });
    // a person reads the second number of the twin's page 12: the page repeats a number, its entries may be mixed up
    await t.db.transaction(async (tx) => {
      await tx.query(`update entry_field set value = '12', status = 'verified', source = 'verifier' where entry_id = $1 and field = 'entryNo'`, [seeded[3]!.entryId]);
      await settleEntry(tx, seeded[3]!.entryId, 'entryNo');
    });
    expect((await t.db.query<{ reasons: string[] }>(`select reasons from entry_field where entry_id = $1 and field = 'registrarName'`, [seeded[2]!.entryId]))[0]!.reasons).toEqual(['number_in_doubt']);
    expect(await copy()).toEqual({ status: 'review', reasons: ['twin_withdrawn'] });
  });

  it('files the entry under the number the verifier typed, which searches, extracts and matching name it by', async () => {
    const blobs = createLocalBlobStore(dir);
    // OCR read 51 for 41 and was unsure of it
    const misread = await seedEntry(t.db, blobs, { bookNo: '09', entryNo: 51, fields: [{ field: 'entryNo', value: '51', reasons: ['low_confidence'] }, { field: 'fullName', value: 'Trần Văn An' }] });
    await t.db.transaction(async (tx) => {
      await tx.query(`update entry_field set value = '41', status = 'verified', source = 'verifier' where entry_id = $1 and field = 'entryNo'`, [misread.entryId]);
      await tx.query(`update review_item set status = 'done' where id = $1`, [misread.items.entryNo]);
      await settleEntry(tx, misread.entryId, 'entryNo');
    });
    const [entry] = await t.db.query<{ entryNo: number }>('select entry_no as "entryNo" from entry where id = $1', [misread.entryId]);
    expect(entry!.entryNo).toBe(41);
  });

  it('files the entry under the year of the registration date the verifier typed, within the book’s years', async () => {
    const blobs = createLocalBlobStore(dir);
    // a book of 1962–1963 whose entry's registration date was unread: extraction could not tell its year
    const unread = () => seedEntry(t.db, blobs, { bookNo: '11', entryNo: 7, fields: [{ field: 'registrationDate', value: null, reasons: ['missing_required'] }, { field: 'fullName', value: 'Trần Văn An' }] });
    const [first, second] = [await unread(), await unread()];
    await t.db.query(`update book set year_to = 1963 where id = $1`, [first.bookId]);
    await t.db.query(`update entry set year = null where id = any($1)`, [[first.entryId, second.entryId]]);
    const decide = (seeded: typeof first, date: string) => t.db.transaction(async (tx) => {
      await tx.query(`update entry_field set value = $2, status = 'verified', source = 'verifier' where entry_id = $1 and field = 'registrationDate'`, [seeded.entryId, date]);
      await tx.query(`update review_item set status = 'done' where id = $1`, [seeded.items.registrationDate]);
      await settleEntry(tx, seeded.entryId, 'registrationDate');
    });
    await decide(first, '1963-02-14');
    // a date outside the book's years files nothing: the book checks name it (date_outside_book)
    await decide(second, '1971-02-14');
    const years = await t.db.query<{ id: number; year: number | null }>('select id, year from entry where id = any($1) order by id', [[first.entryId, second.entryId]]);
    expect(years).toEqual([{ id: first.entryId, year: 1963 }, { id: second.entryId, year: null }]);
  });

  it('files a struck entry whose reading fits nowhere beside numbers skipped under no number, and names the gap around it', async () => {
    const blobs = createLocalBlobStore(dir);
    const entry = (entryNo: number) => seedEntry(t.db, blobs, { bookNo: '31', entryNo, fields: [{ field: 'entryNo', value: String(entryNo) }, { field: 'fullName', value: 'Trần Văn An' }] });
    // 3, 4, struck read "2", 8, 9, 10, 11, 12, 13 (each seeded entry on a page of its own)
    const seeded: Awaited<ReturnType<typeof entry>>[] = [];
    for (const no of [3, 4, 2, 8, 9, 10, 11, 12, 13]) seeded.push(await entry(no));
    const struck = seeded[2]!;
    await t.db.query(`update entry set struck = true, status = 'struck' where id = $1`, [struck.entryId]);
    await t.db.query(`update entry_field set status = 'pending' where entry_id = $1`, [struck.entryId]);
    await checkBook(t.db, struck.bookId);
    const [filed] = await t.db.query<{ entryNo: number | null }>('select entry_no as "entryNo" from entry where id = $1', [struck.entryId]);
    expect(filed!.entryNo).toBeNull();
    const issues = await t.db.query<{ kind: string; entryId: number; detail: Record<string, unknown> }>(
      `select kind, entry_id as "entryId", detail from book_issue where book_id = $1 and kind in ('struck_entry', 'entry_gap', 'missing_page') order by kind`, [struck.bookId]);
    expect(issues).toEqual([
      // pages of one entry each: the skip is a lost page, counted from 4 (not from a 5 given to the struck entry)
      { kind: 'missing_page', entryId: seeded[3]!.entryId, detail: { after: 4, before: 8 } },
      { kind: 'struck_entry', entryId: struck.entryId, detail: { entryNo: null } },
    ]);
  });

  it('lets a number whose digit OCR doubted claim no skip, and one a person confirmed claim it (the SQL of numberDoubted)', async () => {
    const blobs = createLocalBlobStore(dir);
    // seed 3341 b20: 100–103 read unsure in a run, then 104 read "105" with its 5 doubted, the book's last row
    const entry = (entryNo: number, reasons: string[]) =>
      seedEntry(t.db, blobs, { bookNo: '77', entryNo, fields: [{ field: 'entryNo', value: String(entryNo), reasons }, { field: 'fullName', value: 'Trần Văn An' }] });
    const first = await entry(100, ['low_confidence']);
    for (const no of [101, 102, 103]) await entry(no, ['low_confidence']);
    const doubted = await entry(105, ['digit_doubt']);
    const gaps = async () => (await checkBook(t.db, first.bookId))!.filter((i) => i.kind === 'missing_page' || i.kind === 'entry_gap');
    expect(await gaps()).toEqual([]);
    // a person confirmed 105, the doubt it was sent with still among its reasons: the skip is claimed
    await t.db.query(`update entry_field set status = 'verified', source = 'verifier' where entry_id = $1 and field = 'entryNo'`, [doubted.entryId]);
    expect(await gaps()).toEqual([expect.objectContaining({ kind: 'missing_page', detail: expect.objectContaining({ after: 103, before: 105 }) })]);
  });
});
