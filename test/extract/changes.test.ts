import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractContent } from '../../src/certified/content.ts';
import { checkBook } from '../../src/extract/book-checks.ts';
import { judgeChange } from '../../src/extract/change-judging.ts';
import { settleEntry } from '../../src/review/settle.ts';
import { apiApp, newClient } from '../api/app.ts';
import { seedBook, seedEntry, type SeedField } from '../api/seed.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const OFFICE = { officeCode: 'KL', officeName: 'Phường Kim Liên, Quận Đống Đa' };

/** A change entry's fields as a register of changes writes them, every one accepted unless overridden. */
const changeFields = (over: Record<string, string | SeedField> = {}): Record<string, string | SeedField> => ({
  personName: 'Nguyễn Văn Bình', personBirthDate: '1999-02-20', refType: 'Khai sinh', refEntryNo: '45', refBookNo: '01', refDate: '1999-03-10',
  refOffice: 'Phường Kim Liên, Quận Đống Đa', changeContent: 'Cải chính họ, chữ đệm, tên', oldValue: 'Nguyễn Văn Bình', newValue: 'Nguyễn Văn Bính',
  basis: 'Quyết định số 12/QĐ-UBND ngày 2/5/2012', registrationDate: '2012-05-02', ...over,
});

describe('registers of changes: references to entries of other books', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    app = await apiApp({ db: t.db });
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const events = (entryId: number) =>
    t.db.query<{ kind: string; field: string; oldValue: string; newValue: string; date: string; source: number }>(
      `select kind, field, old_value as "oldValue", new_value as "newValue", event_date as date, source_entry_id as source from entry_event where entry_id = $1`, [entryId]);
  const reference = async (entryId: number) =>
    (await t.db.query<{ status: string; reason: string | null; target: number | null; confidence: number }>(
      `select status, reason, target_entry_id as target, confidence from change_reference where entry_id = $1`, [entryId]))[0];
  const openIssues = (entryId: number) =>
    t.db.query<{ detail: { reason: string } }>(`select detail from book_issue where entry_id = $1 and kind = 'change_unresolved' and status = 'open'`, [entryId]);

  it('waits for the original book when the change book comes first, then makes the event on the original entry', async () => {
    const changes = await seedBook(t.db, { ...OFFICE, registerType: 'change', bookNo: '02', yearFrom: 2012 });
    const change = await seedEntry(t.db, changes, { year: 2012, entryNo: 7, registerType: 'change', fields: changeFields() });
    await t.db.transaction((tx) => checkBook(tx, changes.bookId));
    expect(await reference(change.id)).toMatchObject({ status: 'review', reason: 'original_not_found', target: null });
    expect(await openIssues(change.id)).toEqual([{ detail: { reason: 'original_not_found' } }]);

    // the birth book is scanned later: its checks find the change waiting for its entry 45 of 1999
    const births = await seedBook(t.db, { ...OFFICE, registerType: 'birth', bookNo: '01', yearFrom: 1999 });
    const original = await seedEntry(t.db, births, {
      year: 1999, entryNo: 45, registerType: 'birth',
      fields: { fullName: 'Nguyễn Văn Bình', sex: 'male', birthDate: { value: '1999-02-20', precision: 'day' }, birthPlace: 'Hà Nội', registrationDate: '1999-03-10' },
    });
    await t.db.transaction((tx) => checkBook(tx, births.bookId));
    expect(await events(original.id)).toEqual([
      { kind: 'correction', field: 'fullName', oldValue: 'Nguyễn Văn Bình', newValue: 'Nguyễn Văn Bính', date: '2012-05-02', source: change.id },
    ]);
    expect(await reference(change.id)).toMatchObject({ status: 'resolved', reason: null, target: original.id, confidence: 1 });
    expect(await openIssues(change.id)).toEqual([]);

    // the change book's own checks again (a verifier's decision) keep one event, not two
    await t.db.transaction((tx) => checkBook(tx, changes.bookId));
    expect(await events(original.id)).toHaveLength(1);
    expect(await openIssues(change.id)).toEqual([]);

    // the lookup API serves it in the record's history, naming the change's entry; the certified extract notes it
    const { headers } = await newClient(t.db, 'mot-cua-kim-lien');
    const response = await app.inject({
      method: 'POST', url: '/api/v1/records/search', headers,
      payload: { by: 'entry', office: 'KL', registerType: 'birth', bookNo: '01', year: 1999, entryNo: 45 },
    });
    expect(response.statusCode).toBe(200);
    const [record] = response.json().records;
    const event = { kind: 'correction', field: 'fullName', oldValue: 'Nguyễn Văn Bình', newValue: 'Nguyễn Văn Bính', date: '2012-05-02', source: { registerType: 'change', bookNo: '02', year: 2012, entryNo: 7 } };
    expect(record.fields.fullName.history).toEqual([event]);
    expect(record.events).toEqual([event]);
    expect(extractContent(record, null).notes).toContain('02/05/2012: Cải chính họ, chữ đệm, tên từ Nguyễn Văn Bình thành Nguyễn Văn Bính (Sổ đăng ký thay đổi, cải chính hộ tịch quyển số 02, số 7/2012)');
  });

  it('sends a change whose person is not the original entry’s to a person, and makes no event', async () => {
    const births = await seedBook(t.db, { ...OFFICE, registerType: 'birth', bookNo: '03', yearFrom: 2001 });
    const original = await seedEntry(t.db, births, { year: 2001, entryNo: 12, registerType: 'birth', fields: { fullName: 'Trần Thị Lan', birthDate: '2001-01-05' } });
    const changes = await seedBook(t.db, { ...OFFICE, registerType: 'change', bookNo: '04', yearFrom: 2014 });
    const change = await seedEntry(t.db, changes, {
      year: 2014, entryNo: 3, registerType: 'change',
      fields: changeFields({ personName: 'Lê Thị Hoa', refEntryNo: '12', refBookNo: '03', refDate: '2001-01-20', oldValue: 'Lê Thị Hoa', newValue: 'Lê Thị Hòa', registrationDate: '2014-06-01' }),
    });
    await t.db.transaction((tx) => checkBook(tx, changes.bookId));
    expect(await reference(change.id)).toMatchObject({ status: 'review', reason: 'name_disagrees', target: original.id });
    expect(await openIssues(change.id)).toEqual([{ detail: { reason: 'name_disagrees', target: original.id } }]);
    expect(await events(original.id)).toEqual([]);

    // the original's name had been misread: once a verifier settles it, the change is judged again and made
    await t.db.transaction(async (tx) => {
      await tx.query(`update entry_field set value = 'Lê Thị Hoa', status = 'verified', source = 'verifier' where entry_id = $1 and field = 'fullName'`, [original.id]);
      await settleEntry(tx, original.id, 'fullName');
    });
    expect(await events(original.id)).toMatchObject([{ kind: 'correction', field: 'fullName', oldValue: 'Lê Thị Hoa', newValue: 'Lê Thị Hòa', source: change.id }]);
    expect(await openIssues(change.id)).toEqual([]);
  });

  it('holds a change whose reference a person has still to check, and resolves it once they have', async () => {
    const births = await seedBook(t.db, { ...OFFICE, registerType: 'birth', bookNo: '05', yearFrom: 2003 });
    const original = await seedEntry(t.db, births, { year: 2003, entryNo: 88, registerType: 'birth', fields: { fullName: 'Phạm Minh Đức', birthDate: '2003-04-14' } });
    const changes = await seedBook(t.db, { ...OFFICE, registerType: 'change', bookNo: '06', yearFrom: 2015 });
    const change = await seedEntry(t.db, changes, {
      year: 2015, entryNo: 9, registerType: 'change',
      fields: changeFields({
        personName: 'Phạm Minh Đức', personBirthDate: '2003-04-14', refEntryNo: { value: '88', status: 'review', source: 'machine' }, refBookNo: '05', refDate: '2003-04-20',
        changeContent: 'Cải chính ngày, tháng, năm sinh', oldValue: '14/04/2003', newValue: '04/04/2003', registrationDate: '2015-09-09',
      }),
    });
    await t.db.transaction((tx) => checkBook(tx, changes.bookId));
    expect(await reference(change.id)).toMatchObject({ status: 'review', reason: 'change_fields_unsure', target: original.id });
    expect(await events(original.id)).toEqual([]);

    await t.db.transaction(async (tx) => {
      await tx.query(`update entry_field set status = 'verified', source = 'verifier' where entry_id = $1 and field = 'refEntryNo'`, [change.id]);
      await settleEntry(tx, change.id, 'refEntryNo');
    });
    // the corrected date is stored in its normal form, as a note's is
    expect(await events(original.id)).toEqual([{ kind: 'correction', field: 'birthDate', oldValue: '2003-04-14', newValue: '2003-04-04', date: '2015-09-09', source: change.id }]);
    expect(await openIssues(change.id)).toEqual([]);
  });

  it('finds the original again when a re-run of extraction replaced the entry it had been tied to', async () => {
    const deaths = await seedBook(t.db, { ...OFFICE, registerType: 'death', bookNo: '07', yearFrom: 2004 });
    const fields = { fullName: 'Hoàng Văn Tư', birthDate: '1930', registrationDate: '2004-08-08' };
    const first = await seedEntry(t.db, deaths, { year: 2004, entryNo: 5, registerType: 'death', fields });
    const changes = await seedBook(t.db, { ...OFFICE, registerType: 'change', bookNo: '08', yearFrom: 2016 });
    const change = await seedEntry(t.db, changes, {
      year: 2016, entryNo: 2, registerType: 'change',
      fields: changeFields({ personName: 'Hoàng Văn Tư', refType: 'Khai tử', refEntryNo: '5', refBookNo: '07', refDate: '2004-08-08', oldValue: 'Hoàng Văn Tư', newValue: 'Huỳnh Văn Tư', registrationDate: '2016-03-01' }),
    });
    await t.db.transaction((tx) => checkBook(tx, changes.bookId));
    expect(await events(first.id)).toHaveLength(1);

    await t.db.query('delete from entry where id = $1', [first.id]);
    const again = await seedEntry(t.db, deaths, { year: 2004, entryNo: 5, registerType: 'death', fields });
    await t.db.transaction((tx) => checkBook(tx, deaths.bookId));
    expect(await events(again.id)).toMatchObject([{ field: 'fullName', newValue: 'Huỳnh Văn Tư', source: change.id }]);
    expect(await reference(change.id)).toMatchObject({ status: 'resolved', target: again.id });
  });

  it('trusts the value before the change like the others: unsure, unreadable or wrong holds the change; a verifier correcting it resolves it', async () => {
    const accepted = (value: string) => ({ value, status: 'auto_accepted', confidence: 0.95 });
    const fields = Object.fromEntries(Object.entries(changeFields({ changeContent: 'Cải chính ngày, tháng, năm sinh', oldValue: '20/02/1999', newValue: '02/02/1999' }))
      .map(([k, v]) => [k, accepted(typeof v === 'string' ? v : v.value!)]));
    const birth = { entryId: 9, registerType: 'birth' as const, fields: { fullName: 'Nguyễn Văn Bình', birthDate: '1999-02-20' } };
    expect(judgeChange(fields, [birth])).toMatchObject({ status: 'resolved', event: { field: 'birthDate', oldValue: '1999-02-20', newValue: '1999-02-02' } });
    // a value before the change the machine is unsure of is not compared as if it were read right
    expect(judgeChange({ ...fields, oldValue: { value: '20/02/1999', status: 'review', confidence: 0.6 } }, [birth])).toMatchObject({ status: 'review', reason: 'change_fields_unsure' });
    // written but not a date: not replaced by the original's own value
    expect(judgeChange({ ...fields, oldValue: accepted('2O/O2/1999') }, [birth])).toMatchObject({ status: 'review', reason: 'value_unparsed' });
    // a new value that is no date is no event
    expect(judgeChange({ ...fields, newValue: accepted('O2/O2/1999') }, [birth])).toMatchObject({ status: 'review', reason: 'value_unparsed' });
    // left blank: the original's value is the value before
    const { oldValue: _, ...blank } = fields;
    expect(judgeChange(blank, [birth])).toMatchObject({ status: 'resolved', event: { oldValue: '1999-02-20', newValue: '1999-02-02' } });
    expect(judgeChange({ ...fields, oldValue: { value: null, status: 'review', confidence: 0 } }, [birth])).toMatchObject({ status: 'resolved', event: { oldValue: '1999-02-20' } });

    const births = await seedBook(t.db, { ...OFFICE, registerType: 'birth', bookNo: '11', yearFrom: 2005 });
    const original = await seedEntry(t.db, births, { year: 2005, entryNo: 31, registerType: 'birth', fields: { fullName: 'Vũ Thị Hằng', birthDate: '2005-06-01' } });
    const changes = await seedBook(t.db, { ...OFFICE, registerType: 'change', bookNo: '12', yearFrom: 2017 });
    const change = await seedEntry(t.db, changes, {
      year: 2017, entryNo: 4, registerType: 'change',
      fields: changeFields({ personName: 'Vũ Thị Hằng', refEntryNo: '31', refBookNo: '11', refDate: '2005-06-10', changeContent: 'Cải chính ngày, tháng, năm sinh',
        oldValue: '07/06/2005', newValue: '01/07/2005', registrationDate: '2017-02-02' }),
    });
    await t.db.transaction((tx) => checkBook(tx, changes.bookId));
    expect(await reference(change.id)).toMatchObject({ status: 'review', reason: 'old_value_differs', target: original.id });
    // the value before had been misread: a verifier's correction judges the change again
    await t.db.transaction(async (tx) => {
      await tx.query(`update entry_field set value = '01/06/2005', status = 'verified', source = 'verifier' where entry_id = $1 and field = 'oldValue'`, [change.id]);
      await settleEntry(tx, change.id, 'oldValue');
    });
    expect(await events(original.id)).toEqual([{ kind: 'correction', field: 'birthDate', oldValue: '2005-06-01', newValue: '2005-07-01', date: '2017-02-02', source: change.id }]);
    expect(await openIssues(change.id)).toEqual([]);
  });

  it('moves a change to the entry now at its number when a re-run of extraction renumbers the book, and leaves an unchanged one as it was', async () => {
    const births = await seedBook(t.db, { ...OFFICE, registerType: 'birth', bookNo: '13', yearFrom: 2006 });
    const a = await seedEntry(t.db, births, { year: 2006, entryNo: 20, registerType: 'birth', fields: { fullName: 'Đặng Văn Hùng', birthDate: '2006-01-02' } });
    const b = await seedEntry(t.db, births, { year: 2006, entryNo: 21, registerType: 'birth', fields: { fullName: 'Ngô Thị Thu', birthDate: '2006-01-03' } });
    const changes = await seedBook(t.db, { ...OFFICE, registerType: 'change', bookNo: '14', yearFrom: 2018 });
    const change = await seedEntry(t.db, changes, {
      year: 2018, entryNo: 1, registerType: 'change',
      fields: changeFields({ personName: 'Ngô Thị Thu', refEntryNo: '21', refBookNo: '13', refDate: '2006-01-10', oldValue: 'Ngô Thị Thu', newValue: 'Ngô Thị Thư', registrationDate: '2018-04-04' }),
    });
    await t.db.transaction((tx) => checkBook(tx, changes.bookId));
    const state = async () => ({
      events: await t.db.query<{ id: number; entryId: number; raw: string }>(`select id, entry_id as "entryId", raw from entry_event where source_entry_id = $1`, [change.id]),
      reference: await t.db.query<{ updatedAt: Date }>(`select updated_at as "updatedAt" from change_reference where entry_id = $1`, [change.id]),
    });
    const first = await state();
    expect(first.events).toEqual([{ id: expect.anything(), entryId: b.id, raw: 'Sổ đăng ký thay đổi, cải chính hộ tịch quyển số 14, số 1/2018' }]);
    // the original book checked again: the same resolution changes nothing
    await t.db.transaction((tx) => checkBook(tx, births.bookId));
    expect(await state()).toEqual(first);

    // read again with the rows shifted: the ids stay with the places on the page, the numbers and names move
    await t.db.transaction(async (tx) => {
      await tx.query(`update entry set entry_no = entry_no + 1 where id = any($1)`, [[a.id, b.id]]);
      await tx.query(`update entry_field set value = case entry_id when $1 then 'Ngô Thị Thu' else 'Lý Văn Nam' end where entry_id = any($2) and field = 'fullName'`, [a.id, [a.id, b.id]]);
    });
    await t.db.transaction((tx) => checkBook(tx, births.bookId));
    expect(await events(b.id)).toEqual([]);
    expect(await events(a.id)).toMatchObject([{ field: 'fullName', oldValue: 'Ngô Thị Thu', newValue: 'Ngô Thị Thư', source: change.id }]);
    expect(await reference(change.id)).toMatchObject({ status: 'resolved', target: a.id });
  });

  it('does not raise again a held change a person dismissed when a book of its number is checked', async () => {
    const births = await seedBook(t.db, { ...OFFICE, registerType: 'birth', bookNo: '15', yearFrom: 2007 });
    const original = await seedEntry(t.db, births, { year: 2007, entryNo: 3, registerType: 'birth', fields: { fullName: 'Mai Văn Long', birthDate: '2007-03-03' } });
    const changes = await seedBook(t.db, { ...OFFICE, registerType: 'change', bookNo: '16', yearFrom: 2019 });
    const change = await seedEntry(t.db, changes, {
      year: 2019, entryNo: 5, registerType: 'change',
      fields: changeFields({ personName: 'Mai Thị Lan', refEntryNo: '3', refBookNo: '15', refDate: '2007-03-09', oldValue: 'Mai Thị Lan', newValue: 'Mai Thị Lân', registrationDate: '2019-01-01' }),
    });
    await t.db.transaction((tx) => checkBook(tx, changes.bookId));
    expect(await reference(change.id)).toMatchObject({ status: 'review', reason: 'name_disagrees', target: original.id });
    await t.db.query(`update book_issue set status = 'dismissed' where entry_id = $1 and kind = 'change_unresolved'`, [change.id]);
    await t.db.transaction((tx) => checkBook(tx, births.bookId));
    expect(await openIssues(change.id)).toEqual([]);
    await t.db.transaction((tx) => checkBook(tx, changes.bookId));
    expect(await openIssues(change.id)).toEqual([]);
  });

  it('judges a held change again when its original is settled while the register of changes is being resolved', async () => {
    const births = await seedBook(t.db, { ...OFFICE, registerType: 'birth', bookNo: '17', yearFrom: 2008 });
    const original = await seedEntry(t.db, births, { year: 2008, entryNo: 8, registerType: 'birth', fields: { fullName: 'Lò Văn Sáu', birthDate: '2008-08-08' } });
    const changes = await seedBook(t.db, { ...OFFICE, registerType: 'change', bookNo: '18', yearFrom: 2020 });
    const change = await seedEntry(t.db, changes, {
      year: 2020, entryNo: 6, registerType: 'change',
      fields: changeFields({ personName: 'Lò Văn Sấu', refEntryNo: '8', refBookNo: '17', refDate: '2008-08-20', oldValue: 'Lò Văn Sấu', newValue: 'Lò Văn Sâu', registrationDate: '2020-02-02' }),
    });
    // the register of changes holds the change (the original misread) but has not committed when a verifier settles the original's name
    let release!: () => void;
    let resolved!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const held = new Promise<void>((r) => { resolved = r; });
    const changeBook = t.db.transaction(async (tx) => {
      await checkBook(tx, changes.bookId);
      resolved();
      await gate;
    });
    await held;
    const verifier = t.db.transaction(async (tx) => {
      await tx.query(`update entry_field set value = 'Lò Văn Sấu', status = 'verified', source = 'verifier' where entry_id = $1 and field = 'fullName'`, [original.id]);
      await settleEntry(tx, original.id, 'fullName');
    });
    await new Promise((r) => setTimeout(r, 300));
    release();
    await Promise.all([changeBook, verifier]);
    expect(await reference(change.id)).toMatchObject({ status: 'resolved', target: original.id });
    expect(await events(original.id)).toMatchObject([{ field: 'fullName', oldValue: 'Lò Văn Sấu', newValue: 'Lò Văn Sâu', source: change.id }]);
  });

  it('holds a change whose value before or after reading put right (capitals, a surname’s marks) for a person', () => {
    const accepted = (value: string) => ({ value, status: 'auto_accepted', confidence: 0.95 });
    const fields = Object.fromEntries(Object.entries(changeFields()).map(([k, v]) => [k, accepted(typeof v === 'string' ? v : v.value!)]));
    const birth = { entryId: 9, registerType: 'birth' as const, fields: { fullName: 'Nguyễn Văn Bình', birthDate: '1999-02-20' } };
    expect(judgeChange(fields, [birth])).toMatchObject({ status: 'resolved', event: { newValue: 'Nguyễn Văn Bính' } });
    expect(judgeChange({ ...fields, newValue: accepted('NGuyễn Văn Bính') }, [birth])).toMatchObject({ status: 'review', reason: 'value_corrected', targetEntryId: 9 });
    expect(judgeChange({ ...fields, oldValue: accepted('NGuyễn Văn Bình') }, [birth])).toMatchObject({ status: 'review', reason: 'value_corrected' });
  });

  it('never puts a change of a parent’s or spouse’s name on the entry’s subject', () => {
    const accepted = (value: string) => ({ value, status: 'auto_accepted', confidence: 0.95 });
    const fields = Object.fromEntries(Object.entries(changeFields({ changeContent: 'Cải chính họ, chữ đệm, tên của mẹ', oldValue: 'Trần Thị Hoa', newValue: 'Trần Thị Hòa' }))
      .map(([k, v]) => [k, accepted(typeof v === 'string' ? v : v.value!)]));
    const birth = { entryId: 9, registerType: 'birth' as const, fields: { fullName: 'Nguyễn Văn Bình', birthDate: '1999-02-20', motherName: 'Trần Thị Hoa' } };
    expect(judgeChange(fields, [birth])).toMatchObject({ status: 'resolved', event: { field: 'motherName', oldValue: 'Trần Thị Hoa', newValue: 'Trần Thị Hòa' } });
    expect(judgeChange({ ...fields, changeContent: accepted('Cải chính họ tên người cha') }, [{ ...birth, fields: { ...birth.fields, fatherName: 'Trần Thị Hoa' } }]))
      .toMatchObject({ status: 'resolved', event: { field: 'fatherName' } });
    // a person the register keeps no name of: a person decides
    expect(judgeChange({ ...fields, changeContent: accepted('Cải chính họ, chữ đệm, tên của người giám hộ') }, [birth])).toMatchObject({ status: 'review', reason: 'field_unknown' });
    const marriage = { entryId: 5, registerType: 'marriage' as const, fields: { husbandName: 'Nguyễn Văn Bình', wifeName: 'Trần Thị Hoa' } };
    expect(judgeChange({ ...fields, changeContent: accepted('Cải chính họ, chữ đệm, tên của vợ'), refType: accepted('Kết hôn') }, [marriage]))
      .toMatchObject({ status: 'resolved', event: { field: 'wifeName', newValue: 'Trần Thị Hòa' } });
    // the mother's name on a death entry, which has none: not the deceased's
    const death = { entryId: 7, registerType: 'death' as const, fields: { fullName: 'Nguyễn Văn Bình', birthDate: '1999-02-20' } };
    expect(judgeChange({ ...fields, refType: accepted('Khai tử') }, [death])).toMatchObject({ status: 'review', reason: 'field_unknown' });
  });

  it('finds the original by its office (name or code) and its book number however it is written, not another office’s', async () => {
    const here = await seedBook(t.db, { ...OFFICE, registerType: 'birth', bookNo: '0019/2009', yearFrom: 2009 });
    const mine = await seedEntry(t.db, here, { year: 2009, entryNo: 4, registerType: 'birth', fields: { fullName: 'Phan Văn Tâm', birthDate: '2009-01-01' } });
    const there = await seedBook(t.db, { officeCode: 'DV', officeName: 'Phường Dịch Vọng, Quận Cầu Giấy', registerType: 'birth', bookNo: '19', yearFrom: 2009 });
    const theirs = await seedEntry(t.db, there, { year: 2009, entryNo: 4, registerType: 'birth', fields: { fullName: 'Phan Văn Tâm', birthDate: '2009-01-01' } });
    await seedEntry(t.db, there, { year: 2009, entryNo: 4, registerType: 'birth', struck: true, fields: { fullName: 'Phan Văn Tâm', birthDate: '2009-01-01' } });
    const changes = await seedBook(t.db, { ...OFFICE, registerType: 'change', bookNo: '20', yearFrom: 2021 });
    const refer = (entryNo: number, refOffice: string) => seedEntry(t.db, changes, {
      year: 2021, entryNo, registerType: 'change',
      fields: changeFields({ personName: 'Phan Văn Tâm', refEntryNo: '4', refBookNo: '19', refDate: '2009-01-05', refOffice, oldValue: 'Phan Văn Tâm', newValue: 'Phan Văn Tầm', registrationDate: '2021-01-01' }),
    });
    const toMine = await refer(1, 'UBND Phường Kim Liên, Quận Đống Đa');
    const toTheirs = await refer(2, 'DV');
    const nowhere = await refer(3, 'Phường Láng Hạ, Quận Đống Đa');
    await t.db.transaction((tx) => checkBook(tx, changes.bookId));
    expect(await reference(toMine.id)).toMatchObject({ status: 'resolved', target: mine.id });
    expect(await reference(toTheirs.id)).toMatchObject({ status: 'resolved', target: theirs.id });
    expect(await reference(nowhere.id)).toMatchObject({ status: 'review', reason: 'original_not_found' });
  });

  it('judges a marriage change by the spouse it names, and an old value that disagrees as a reason for a person', () => {
    const accepted = (value: string) => ({ value, status: 'auto_accepted', confidence: 0.95 });
    const fields = Object.fromEntries(Object.entries(changeFields({ personName: 'Đỗ Thị Mai', refType: 'Kết hôn', oldValue: 'Đỗ Thị Mai', newValue: 'Đỗ Thị Mải' }))
      .map(([k, v]) => [k, accepted(typeof v === 'string' ? v : v.value!)]));
    const marriage = { entryId: 5, registerType: 'marriage' as const, fields: { husbandName: 'Lê Văn Sơn', wifeName: 'Đỗ Thị Mai', wifeBirthDate: '1990-01-01' } };
    expect(judgeChange(fields, [marriage])).toMatchObject({ status: 'resolved', event: { kind: 'correction', field: 'wifeName', oldValue: 'Đỗ Thị Mai', newValue: 'Đỗ Thị Mải' } });
    expect(judgeChange({ ...fields, oldValue: accepted('Đỗ Thị Hoa') }, [marriage])).toMatchObject({ status: 'review', reason: 'old_value_differs' });
    expect(judgeChange(fields, [marriage, { ...marriage, entryId: 6 }])).toMatchObject({ status: 'review', reason: 'original_ambiguous' });
    expect(judgeChange({ ...fields, refEntryNo: accepted('4S') }, [])).toMatchObject({ status: 'review', reason: 'reference_unreadable' });
    // the person written under the name the change gives: the name before it is the original's
    const renamed = { ...fields, personName: accepted('Đỗ Thị Thu Mai'), newValue: accepted('Đỗ Thị Thu Mai') };
    expect(judgeChange(renamed, [marriage])).toMatchObject({ status: 'resolved', event: { field: 'wifeName', newValue: 'Đỗ Thị Thu Mai' } });
    expect(judgeChange({ ...renamed, oldValue: accepted('Đỗ Thị Hoa') }, [marriage])).toMatchObject({ status: 'review', reason: 'name_disagrees' });
  });
});
