import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { apiApp, newClient } from './app.ts';
import { seedBook, seedEntry } from './seed.ts';

describe('lookup API', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase();
    app = await apiApp({ db: t.db });
    ({ headers } = await newClient(t.db, 'mot-cua-hai-ba-trung'));
    const births = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    ids.ha = (await seedEntry(t.db, births, {
      year: 1962, entryNo: 12, registerType: 'birth',
      fields: {
        fullName: 'Nguyễn Thị Thu Hà', sex: 'female', birthDate: { value: '1962-03-15', precision: 'day' },
        birthPlace: 'Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội', idNumber: '001162012345', motherName: 'Trần Thị Hoà',
        registrationDate: { value: '1962-03-20', status: 'auto_accepted', source: 'machine' },
      },
      events: [{ kind: 'correction', field: 'fullName', oldValue: 'Nguyễn Thị Hà', newValue: 'Nguyễn Thị Thu Hà', date: '1980-05-02', raw: 'Cải chính họ tên theo QĐ số 12 ngày 2/5/1980' }],
    })).publicId;
    // Same person, later: her marriage (same ID number).
    const marriages = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'marriage', bookNo: '03', yearFrom: 1985 });
    ids.marriage = (await seedEntry(t.db, marriages, {
      year: 1985, entryNo: 4, registerType: 'marriage',
      fields: { husbandName: 'Lê Văn Nam', husbandBirthDate: '1960-01-02', wifeName: 'Nguyễn Thị Thu Hà', wifeBirthDate: '1962-03-15', wifeResidence: 'Hà Nội', wifeIdNumber: '001162012345' },
    })).publicId;
    // Tone mark on another vowel, a place under its former province.
    const haTay = await seedBook(t.db, { officeCode: 'HD', officeName: 'Thị xã Hà Đông', registerType: 'birth', bookNo: '02', yearFrom: 1975 });
    ids.thuy = (await seedEntry(t.db, haTay, {
      year: 1975, entryNo: 7, registerType: 'birth',
      fields: { fullName: 'Phạm Thuỷ Hoà', birthDate: '1975-06-01', birthPlace: 'Thị xã Hà Đông, Hà Tây' },
    })).publicId;
    // Two people with the same name, date and place of birth and no ID number.
    for (const entryNo of [30, 31]) {
      await seedEntry(t.db, births, { year: 1962, entryNo, registerType: 'birth', fields: { fullName: 'Trần Văn An', birthDate: '1962-07-07', birthPlace: 'Hà Nội' } });
    }
    // Not verified records: a field still in review, a struck entry.
    await seedEntry(t.db, births, { year: 1962, entryNo: 40, registerType: 'birth', fields: { fullName: 'Đỗ Văn Bình', birthDate: '1962-01-01', birthPlace: 'Hà Nội', idNumber: '001062099999', sex: { value: 'male', status: 'review', source: 'machine' } } });
    await seedEntry(t.db, births, { year: 1962, entryNo: 41, registerType: 'birth', struck: true, fields: { fullName: 'Đỗ Văn Cường', birthDate: '1962-01-02', birthPlace: 'Hà Nội', idNumber: '001062088888' } });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const searchFor = (body: unknown, h = headers) => app.inject({ method: 'POST', url: '/api/v1/records/search', headers: h, payload: body as object });

  describe('by personal ID number', () => {
    it('returns every verified record of the person, each field with provenance and history', async () => {
      const response = await searchFor({ by: 'idNumber', idNumber: '001162012345' });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ status: 'found', persons: 1, total: 2, page: 1 });
      expect(body.records.map((r: { id: string }) => r.id)).toEqual([ids.ha, ids.marriage]);
      const birth = body.records[0];
      expect(birth).toMatchObject({ registerType: 'birth', year: 1962, entryNo: 12, book: { bookNo: '01', office: { code: 'HBT', name: 'Quận Hai Bà Trưng' } } });
      expect(birth.fields.fullName).toMatchObject({
        value: 'Nguyễn Thị Thu Hà',
        status: 'verified',
        provenance: { page: 'trang 12', source: 'verifier', at: '2026-11-20T08:00:00.000Z' },
        history: [{ kind: 'correction', oldValue: 'Nguyễn Thị Hà', newValue: 'Nguyễn Thị Thu Hà', date: '1980-05-02' }],
      });
      expect(birth.fields.birthDate).toMatchObject({ value: '1962-03-15', precision: 'day' });
      expect(birth.fields.registrationDate.provenance.source).toBe('machine');
      expect(birth.events).toHaveLength(1);
    });

    it('pages through the records', async () => {
      const second = (await searchFor({ by: 'idNumber', idNumber: '001162012345', page: 2, pageSize: 1 })).json();
      expect(second).toMatchObject({ status: 'found', total: 2, page: 2, pageSize: 1 });
      expect(second.records.map((r: { id: string }) => r.id)).toEqual([ids.marriage]);
    });

    it('serves no entry that still has a field in review, and no struck entry', async () => {
      expect((await searchFor({ by: 'idNumber', idNumber: '001062099999' })).json()).toMatchObject({ status: 'none', records: [] });
      expect((await searchFor({ by: 'idNumber', idNumber: '001062088888' })).json()).toMatchObject({ status: 'none', records: [] });
    });
  });

  describe('by name, date of birth and place', () => {
    it('finds a name typed without diacritics, in any case', async () => {
      const body = (await searchFor({ by: 'person', fullName: 'nguyen thi THU ha', birthDate: '1962-03-15', place: 'Hai Bà Trưng' })).json();
      expect(body).toMatchObject({ status: 'found', persons: 1 });
      expect(body.records[0].id).toBe(ids.ha);
    });

    it('treats tone-mark placement as equal but other diacritics as different', async () => {
      const ok = (await searchFor({ by: 'person', fullName: 'Phạm Thủy Hòa', birthDate: '1975-06-01', place: 'Hà Tây' })).json();
      expect(ok).toMatchObject({ status: 'found' });
      expect(ok.records[0].id).toBe(ids.thuy);
      const otherName = (await searchFor({ by: 'person', fullName: 'Nguyễn Thị Thu Hạ', birthDate: '1962-03-15', place: 'Hà Nội' })).json();
      expect(otherName).toMatchObject({ status: 'none', records: [] });
    });

    it('finds a place under the unit it belongs to today (Hà Tây is now Hà Nội) and by its abbreviation', async () => {
      expect((await searchFor({ by: 'person', fullName: 'Phạm Thuỷ Hoà', birthDate: '1975-06-01', place: 'Hà Nội' })).json()).toMatchObject({ status: 'found' });
      expect((await searchFor({ by: 'person', fullName: 'Phạm Thuỷ Hoà', birthDate: '1975-06-01', place: 'TX. Hà Đông' })).json()).toMatchObject({ status: 'found' });
      expect((await searchFor({ by: 'person', fullName: 'Phạm Thuỷ Hoà', birthDate: '1975-06-01', place: 'Hải Phòng' })).json()).toMatchObject({ status: 'none' });
    });

    it('needs the date of birth to agree exactly', async () => {
      expect((await searchFor({ by: 'person', fullName: 'Nguyễn Thị Thu Hà', birthDate: '1962-03-16', place: 'Hà Nội' })).json()).toMatchObject({ status: 'none' });
      expect((await searchFor({ by: 'person', fullName: 'Nguyễn Thị Thu Hà', birthDate: '1962', place: 'Hà Nội' })).json()).toMatchObject({ status: 'none' });
    });

    it('requires all three of name, date and place', async () => {
      const response = await searchFor({ by: 'person', fullName: 'Nguyễn Thị Thu Hà', birthDate: '1962-03-15' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: { code: 'invalid_query', field: 'place', message: expect.stringContaining('thiếu trường "place" — cần địa danh') } });
    });

    it('names the faulty field of a malformed request and the format it takes, never the value typed', async () => {
      const date = (await searchFor({ by: 'person', fullName: 'Nguyễn Thị Thu Hà', birthDate: '15/03/1962', place: 'Hà Nội' })).json();
      expect(date).toEqual({
        error: { code: 'invalid_query', field: 'birthDate', message: 'Yêu cầu tra cứu không hợp lệ: sai trường "birthDate" — cần ngày theo dạng YYYY-MM-DD (ví dụ 1962-03-15); YYYY-MM hoặc YYYY khi sổ chỉ ghi tháng hoặc năm.' },
      });
      expect(JSON.stringify(date)).not.toContain('15/03/1962');
      const year = (await searchFor({ by: 'entry', office: 'HBT', registerType: 'birth', bookNo: '01', year: '1962', entryNo: 12 })).json();
      expect(year.error).toMatchObject({ field: 'year', message: expect.stringContaining('số nguyên từ 1900 đến 2100') });
      expect((await searchFor({ by: 'name' })).json().error).toMatchObject({ field: 'by', message: expect.stringContaining('"idNumber", "person", "entry"') });
      expect((await searchFor({ by: 'idNumber', idNumber: '001062000001', fields: ['fullName', 'tên'] })).json().error.field).toBe('fields.1');
      expect((await searchFor({ by: 'idNumber', idNumber: '001062000001', debug: true })).json().error).toMatchObject({ field: 'debug', message: expect.stringContaining('không được hỗ trợ') });
    });

    it('takes two copies of one entry linked as the same event for one person, unless a person said otherwise', async () => {
      const copies = await seedBook(t.db, { officeCode: 'HN', officeName: 'Sở Tư pháp Hà Nội', registerType: 'birth', bookNo: '01-BS', yearFrom: 1970 });
      const original = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '09', yearFrom: 1970 });
      const fields = { fullName: 'Hoàng Văn Sơn', birthDate: '1970-02-02', birthPlace: 'Hà Nội' };
      const a = await seedEntry(t.db, original, { year: 1970, entryNo: 8, registerType: 'birth', fields });
      const b = await seedEntry(t.db, copies, { year: 1970, entryNo: 8, registerType: 'birth', fields });
      const query = { by: 'person', fullName: 'Hoàng Văn Sơn', birthDate: '1970-02-02', place: 'Hà Nội' };
      expect((await searchFor(query)).json()).toMatchObject({ status: 'ambiguous', persons: 2, records: [] });
      const [link] = await t.db.query<{ id: number }>(
        `insert into match_candidate (entry_id, other_entry_id, score, probability, explanation, decision, model) values ($1, $2, 20, 0.999, '[]', 'link', 'test') returning id`,
        [Math.min(a.id, b.id), Math.max(a.id, b.id)],
      );
      const linked = (await searchFor(query)).json();
      expect(linked).toMatchObject({ status: 'found', persons: 1, total: 2 });
      expect(linked.records.map((r: { id: string }) => r.id).sort()).toEqual([a.publicId, b.publicId].sort());
      await t.db.query(`update match_candidate set person_decision = 'different' where id = $1`, [link!.id]);
      expect((await searchFor(query)).json()).toMatchObject({ status: 'ambiguous', persons: 2 });
    });

    it('does not answer when another record with the name and date has a place it cannot read', async () => {
      const at = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '11', yearFrom: 1966 });
      await seedEntry(t.db, at, { year: 1966, entryNo: 1, registerType: 'birth', fields: { fullName: 'Lý Thị Nga', birthDate: '1966-04-04', birthPlace: 'Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội' } });
      const query = { by: 'person', fullName: 'Lý Thị Nga', birthDate: '1966-04-04', place: 'Hà Nội' };
      expect((await searchFor(query)).json()).toMatchObject({ status: 'found' });
      await seedEntry(t.db, at, { year: 1966, entryNo: 2, registerType: 'birth', fields: { fullName: 'Lý Thị Nga', birthDate: '1966-04-04', birthPlace: 'Tại nhà' } });
      expect((await searchFor(query)).json()).toMatchObject({ status: 'ambiguous', persons: 2, records: [] });
      await seedEntry(t.db, at, { year: 1966, entryNo: 3, registerType: 'birth', fields: { fullName: 'Lý Thị Nga', birthDate: '1966-04-04', birthPlace: 'Xã Đông La, Huyện Đông Hưng, Tỉnh Thái Bình' } });
      expect((await searchFor({ ...query, place: 'Thái Bình' })).json()).toMatchObject({ status: 'ambiguous', persons: 2 });
    });

    it('says when two people fit and returns nothing about either', async () => {
      const response = await searchFor({ by: 'person', fullName: 'Trần Văn An', birthDate: '1962-07-07', place: 'Hà Nội' });
      expect(response.json()).toEqual({ status: 'ambiguous', persons: 2, total: 0, page: 1, pageSize: 10, records: [] });
      expect(response.body).not.toContain('Trần');
    });
  });

  describe('by book and entry number', () => {
    it('finds the entry', async () => {
      const body = (await searchFor({ by: 'entry', office: 'HBT', registerType: 'birth', bookNo: '01', year: 1962, entryNo: 12 })).json();
      expect(body).toMatchObject({ status: 'found', total: 1 });
      expect(body.records[0].id).toBe(ids.ha);
      expect((await searchFor({ by: 'entry', office: 'HBT', registerType: 'birth', bookNo: '01', year: 1962, entryNo: 13 })).json()).toMatchObject({ status: 'none' });
    });

    it('takes the book number as a desk types it: without leading zeros, year or register mark', async () => {
      for (const bookNo of ['1', '001', '01/1962', '1/KS', '01 / ks']) {
        const body = (await searchFor({ by: 'entry', office: 'HBT', registerType: 'birth', bookNo, year: 1962, entryNo: 12 })).json();
        expect(body, bookNo).toMatchObject({ status: 'found', total: 1 });
        expect(body.records[0].id, bookNo).toBe(ids.ha);
      }
      for (const bookNo of ['2', '10', '01-BS']) {
        expect((await searchFor({ by: 'entry', office: 'HBT', registerType: 'birth', bookNo, year: 1962, entryNo: 12 })).json(), bookNo).toMatchObject({ status: 'none' });
      }
    });

    it('answers ambiguous when two books of the office share the number typed, unless one is written exactly so', async () => {
      const first = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '07/1980', yearFrom: 1980 });
      const second = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '07/1981', yearFrom: 1980 });
      const a = await seedEntry(t.db, first, { year: 1980, entryNo: 3, registerType: 'birth', fields: { fullName: 'Đặng Văn Bảy', birthDate: '1980-01-01' } });
      await seedEntry(t.db, second, { year: 1980, entryNo: 3, registerType: 'birth', fields: { fullName: 'Đặng Thị Tư', birthDate: '1980-02-02' } });
      const both = (await searchFor({ by: 'entry', office: 'HBT', registerType: 'birth', bookNo: '7', year: 1980, entryNo: 3 })).json();
      expect(both).toEqual({ status: 'ambiguous', persons: 2, total: 0, page: 1, pageSize: 10, records: [] });
      const exact = (await searchFor({ by: 'entry', office: 'HBT', registerType: 'birth', bookNo: '07/1980', year: 1980, entryNo: 3 })).json();
      expect(exact).toMatchObject({ status: 'found', total: 1 });
      expect(exact.records[0].id).toBe(a.publicId);
    });
  });

  describe('scope', () => {
    it('shows only the fields the client may see, and only the books of its offices and register types', async () => {
      const narrow = await newClient(t.db, 'narrow', { fields: ['fullName', 'birthDate'], offices: ['HBT'], registerTypes: ['birth'] });
      const body = (await searchFor({ by: 'idNumber', idNumber: '001162012345' }, narrow.headers)).json();
      expect(body.records).toHaveLength(1);
      expect(Object.keys(body.records[0].fields).sort()).toEqual(['birthDate', 'fullName']);
      expect(body.records[0].fields.fullName.history).toHaveLength(1);
      const elsewhere = (await searchFor({ by: 'person', fullName: 'Phạm Thuỷ Hoà', birthDate: '1975-06-01', place: 'Hà Tây' }, narrow.headers)).json();
      expect(elsewhere).toMatchObject({ status: 'none' });
    });

    it('narrows to the fields asked for', async () => {
      const body = (await searchFor({ by: 'idNumber', idNumber: '001162012345', fields: ['sex'] })).json();
      expect(Object.keys(body.records[0].fields)).toEqual(['sex']);
      expect(body.records[0].events).toEqual([]);
    });
  });

  describe('record by id', () => {
    it('returns one record by its random id', async () => {
      const response = await app.inject({ method: 'GET', url: `/api/v1/records/${ids.thuy}?fields=fullName,birthPlace`, headers });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: ids.thuy, fields: { fullName: { value: 'Phạm Thuỷ Hoà' }, birthPlace: { value: 'Thị xã Hà Đông, Hà Tây' } } });
    });
  });

  describe('lookup log', () => {
    it('records client, purpose, query and the ids returned', async () => {
      const { client, headers: h } = await newClient(t.db, 'logged');
      await searchFor({ by: 'idNumber', idNumber: '001162012345', pageSize: 1 }, h);
      const rows = await t.db.query<Record<string, unknown>>('select * from lookup_log where client_id = $1', [client.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        procedure_code: '1.001193', case_ref: 'HS-2026/000123', route: 'POST /api/v1/records/search',
        query: { by: 'idNumber', idNumber: '001162012345', pageSize: 1 }, outcome: 'found', status: 200, code: null, record_ids: [ids.ha],
      });
    });
  });

  describe('OpenAPI document', () => {
    it('is served without a token and describes the search from the zod schemas', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      expect(response.statusCode).toBe(200);
      const doc = response.json();
      expect(doc.openapi).toBe('3.0.3');
      expect(JSON.stringify(doc.paths['/records/search'].post.responses['401'])).toContain('token_missing');
      // Every reference resolves inside the document.
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(3);
      for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
      expect(JSON.stringify(doc)).not.toMatch(/"\$ref":"#\/(definitions|\$defs)\//);
      expect(JSON.stringify(doc.components.schemas.SearchRequest)).toContain('"idNumber"');
    });
  });
});
