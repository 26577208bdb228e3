import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedYearText, sealedContent } from '../../src/certified/content.ts';
import { issueExtract, sealRecord, verifyExtract } from '../../src/certified/extract.ts';
import { setIssuer } from '../../src/certified/issuer.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { apiApp, newClient } from './app.ts';
import { seedBook, seedEntry } from './seed.ts';

const BIRTH = { fullName: 'Vũ Thị Lan', sex: 'female', birthDate: '1975-06-02', registrationDate: '1975-06-10', motherName: 'Đinh Thị Mai', fatherName: 'Vũ Văn Toàn' };

/** A 1975 birth book asked the parents' ages: the birth years worked out from them are printed as such. */
describe('certified extract: a parent’s birth year from the age the book states', () => {
  let t: TestDatabase;
  let keys: string;
  let fromAge: number;
  let yearSet: number;
  let modern: number;

  /** An entry whose parents' birth-year lines hold `raw` as read (extraction and keying keep it) and `value` as stored. */
  const withRaw = async (entryId: number, field: string, raw: string) =>
    t.db.query('update entry_field set raw = $3 where entry_id = $1 and field = $2', [entryId, field, raw]);
  const rowOf = async (entryId: number, field: 'motherBirthYear' | 'fatherBirthYear') => {
    const { content } = await sealRecord(t.db, keys, entryId);
    const section = content.sections.find((s) => s.heading === (field === 'motherBirthYear' ? 'Người mẹ' : 'Người cha'))!;
    return section.rows.find((r) => r.label === 'Năm sinh');
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    keys = join(await mkdtemp(join(tmpdir(), 'civreg-keys-')), 'keys');
    const old = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '03', yearFrom: 1975 });
    fromAge = (await seedEntry(t.db, old, { year: 1975, entryNo: 21, registerType: 'birth', fields: { ...BIRTH, motherBirthYear: { value: '1945', precision: 'year' }, fatherBirthYear: '1940' } })).id;
    await withRaw(fromAge, 'motherBirthYear', '30 tuổi');
    yearSet = (await seedEntry(t.db, old, { year: 1975, entryNo: 22, registerType: 'birth', fields: { ...BIRTH, motherBirthYear: { value: '1943', precision: 'year' } } })).id;
    await withRaw(yearSet, 'motherBirthYear', '30');
    const recent = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '09', yearFrom: 2016 });
    modern = (await seedEntry(t.db, recent, { year: 2016, entryNo: 4, registerType: 'birth', fields: { ...BIRTH, birthDate: '2016-01-05', registrationDate: '2016-01-09', motherBirthYear: '1990' } })).id;
    await setIssuer(t.db, { office: 'HBT', superior: null, heading: ['ỦY BAN NHÂN DÂN', 'PHƯỜNG BẠCH MAI'], place: 'Bạch Mai' }, 'test');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('prints a year worked out from an age as about that year, with the age the book states', async () => {
    expect(await rowOf(fromAge, 'motherBirthYear')).toEqual({ label: 'Năm sinh', value: 'khoảng năm 1945 (sổ ghi 30 tuổi)', sealedValue: '1945' });
    // a clerk who wrote the year on the age line: the book's own year, printed as written
    expect(await rowOf(fromAge, 'fatherBirthYear')).toEqual({ label: 'Năm sinh', value: '1940' });
    // a book since 1999 asks the year: as written
    expect(await rowOf(modern, 'motherBirthYear')).toEqual({ label: 'Năm sinh', value: '1990' });
  });

  it('says a year a person set from the age is worked out, without an age the stored year no longer follows from', async () => {
    // 1975 − 30 is 1945, not 1943: the verifier read the age otherwise; the age read is not printed as the book's
    expect(await rowOf(yearSet, 'motherBirthYear')).toEqual({ label: 'Năm sinh', value: derivedYearText('1943', null), sealedValue: '1943' });
    expect(derivedYearText('1943', null)).toBe('khoảng năm 1943 (tính từ tuổi sổ ghi)');
  });

  it('tells a procedure service, in the lookup API, which birth years are worked out from an age, and the age', async () => {
    const app = await apiApp({ db: t.db });
    const all = await newClient(t.db, 'motcua');
    const noBirthDate = await newClient(t.db, 'thongke', { fields: ['fullName', 'motherBirthYear', 'fatherBirthYear'] });
    const recordOf = async (entryId: number, headers: Record<string, string>) => {
      const [row] = await t.db.query<{ public_id: string }>('select public_id from entry where id = $1', [entryId]);
      const response = await app.inject({ method: 'GET', url: `/api/v1/records/${row!.public_id}`, headers });
      expect(response.statusCode).toBe(200);
      return response.json().fields as Record<string, { value: string; precision: string | null; derivation: unknown }>;
    };
    const old = await recordOf(fromAge, all.headers);
    expect(old.motherBirthYear).toMatchObject({ value: '1945', precision: 'year', derivation: { from: 'stated_age', age: 30 } });
    expect(old.fatherBirthYear).toMatchObject({ value: '1940', derivation: null });
    expect(old.fullName!.derivation).toBeNull();
    expect((await recordOf(yearSet, all.headers)).motherBirthYear!.derivation).toEqual({ from: 'stated_age', age: null });
    expect((await recordOf(modern, all.headers)).motherBirthYear).toMatchObject({ value: '1990', derivation: null });
    // the age with the year would tell the child's birth year to a client that may not see it
    expect((await recordOf(fromAge, noBirthDate.headers)).motherBirthYear!.derivation).toEqual({ from: 'stated_age', age: null });
    const openApi = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).body;
    expect(openApi).toContain('tính từ tuổi sổ ghi');
    await app.close();
  });

  it('prints a year taken from an electronic record as that record gives it', async () => {
    await t.db.query(`update entry_field set source = 'existing_record' where entry_id = $1 and field = 'motherBirthYear'`, [yearSet]);
    expect(await rowOf(yearSet, 'motherBirthYear')).toEqual({ label: 'Năm sinh', value: '1943' });
  });

  it('seals the year itself, so an extract issued before the wording stays genuine', async () => {
    const { content, seal } = await issueExtract(t.db, keys, fromAge, 'http://x');
    expect(sealedContent(content)).toContain('"value":"1945"');
    expect(sealedContent(content)).not.toContain('tuổi');
    expect((await verifyExtract(t.db, seal)).verdict).toBe('genuine');
  });
});
