import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBook } from '../../src/extract/book-checks.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { apiApp, newClient } from './app.ts';
import { seedBook, seedEntry, type SeedField } from './seed.ts';

const PEOPLE = [
  { fullName: 'Nguyễn Văn Ba', birthDate: '1918-11-27', idNumber: '001018000110' },
  { fullName: 'Nguyễn Bảo Anh', birthDate: '2002-03-25', idNumber: '001302000111' },
  { fullName: 'Trần Thị Lành', birthDate: '1938-09-16', idNumber: '001138000112' },
];

/** The same page read twice (delivered, then delivered again as a rescan), every value accepted by the machine. */
describe('a page delivered twice', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  let bookId: number;
  const original: string[] = [];
  const rescan: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await apiApp({ db: t.db });
    ({ headers } = await newClient(t.db, 'mot-cua'));
    const book = { officeCode: 'TH', officeName: 'Quận Tây Hồ', registerType: 'birth' as const, bookNo: '05', yearFrom: 2011 };
    const first = await seedBook(t.db, book);
    const second = await seedBook(t.db, book);
    bookId = first.bookId;
    const machine = (value: string): SeedField => ({ value, status: 'auto_accepted', source: 'machine' });
    for (const [at, ids] of [[first, original], [second, rescan]] as const) {
      for (const [i, p] of PEOPLE.entries()) {
        const fields = { entryNo: machine(String(110 + i)), fullName: machine(p.fullName), birthDate: machine(p.birthDate), birthPlace: machine('Phường Thụy Khuê, Quận Tây Hồ, Hà Nội'), idNumber: machine(p.idNumber) };
        ids.push((await seedEntry(t.db, at, { year: 2011, entryNo: 110 + i, registerType: 'birth', fields })).publicId);
      }
    }
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const search = async (body: object) => (await app.inject({ method: 'POST', url: '/api/v1/records/search', headers, payload: body })).json();
  const byId = () => search({ by: 'idNumber', idNumber: PEOPLE[0]!.idNumber });

  it('serves both copies while the book checks have not named the second scan', async () => {
    expect((await byId()).records.map((r: { id: string }) => r.id)).toEqual([original[0], rescan[0]]);
  });

  it('serves only the first copy once the book checks name the second scan, by every kind of search', async () => {
    const issues = await checkBook(t.db, bookId);
    expect(issues).toContainEqual(expect.objectContaining({ kind: 'duplicate_page' }));
    expect(await byId()).toMatchObject({ status: 'found', persons: 1, total: 1, records: [{ id: original[0], entryNo: 110 }] });
    const person = await search({ by: 'person', fullName: 'nguyen bao anh', birthDate: '2002-03-25', place: 'Hà Nội' });
    expect(person).toMatchObject({ status: 'found', total: 1, records: [{ id: original[1] }] });
    const entry = await search({ by: 'entry', office: 'TH', registerType: 'birth', bookNo: '05', year: 2011, entryNo: 112 });
    expect(entry).toMatchObject({ status: 'found', total: 1, records: [{ id: original[2] }] });
    // the second scan's record is not served by its own id either
    const direct = await app.inject({ method: 'GET', url: `/api/v1/records/${rescan[0]}`, headers });
    expect(direct.statusCode).toBe(404);
  });

  it('serves the second scan again when a person dismisses the issue (not the same page after all)', async () => {
    await t.db.query(`update book_issue set status = 'dismissed' where book_id = $1 and kind = 'duplicate_page'`, [bookId]);
    expect((await byId()).records.map((r: { id: string }) => r.id)).toEqual([original[0], rescan[0]]);
    // a re-run of the checks keeps a dismissed issue dismissed
    await checkBook(t.db, bookId);
    expect((await byId()).total).toBe(2);
  });
});
