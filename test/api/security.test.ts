import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeClient } from '../../src/api/clients.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { apiApp, newClient } from './app.ts';
import { seedBook, seedEntry } from './seed.ts';

const SEARCH = '/api/v1/records/search';

describe('lookup API security', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let headers: Record<string, string>;
  let publicId: string;
  let entryId: number;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    const sink = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
    app = await apiApp({ db: t.db, log: pino({ level: 'info' }, sink) });
    ({ headers } = await newClient(t.db, 'desk'));
    const at = await seedBook(t.db, { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth', bookNo: '01', yearFrom: 1962 });
    ({ publicId, id: entryId } = await seedEntry(t.db, at, {
      year: 1962, entryNo: 1, registerType: 'birth',
      fields: { fullName: 'Nguyễn Văn Tuấn', birthDate: '1962-01-05', birthPlace: 'Hà Nội', idNumber: '001062000001', motherName: 'Lê Thị Lan' },
    }));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const byId = { by: 'idNumber', idNumber: '001062000001' };
  const post = (payload: unknown, h: Record<string, string> = headers) => app.inject({ method: 'POST', url: SEARCH, headers: h, payload: payload as object });
  const lastLog = async () => (await t.db.query<Record<string, unknown>>('select * from lookup_log order by id desc limit 1'))[0]!;
  const refused = async (response: { statusCode: number; json(): unknown; body: string }, status: number, code: string) => {
    expect(response.statusCode).toBe(status);
    const { error } = response.json() as { error: Record<string, unknown> };
    expect(error).toMatchObject({ code, message: expect.any(String) });
    expect(Object.keys(error).filter((k) => !['code', 'message', 'field', 'fields'].includes(k))).toEqual([]);
    expect(response.body).not.toContain('Nguyễn');
    expect(await lastLog()).toMatchObject({ outcome: 'refused', status, code });
  };

  describe('tokens', () => {
    it('refuses a request without a token', async () => {
      await refused(await post(byId, { 'x-purpose-procedure': 'P1', 'x-purpose-case': 'C1' }), 401, 'token_missing');
      expect(await lastLog()).toMatchObject({ client_id: null });
    });

    it('refuses a wrong, a malformed and a non-bearer token', async () => {
      const wrong = `cvr_${'A'.repeat(43)}`;
      await refused(await post(byId, { ...headers, authorization: `Bearer ${wrong}` }), 401, 'token_invalid');
      await refused(await post(byId, { ...headers, authorization: 'Bearer x\' or 1=1 --' }), 401, 'token_invalid');
      await refused(await post(byId, { ...headers, authorization: `Basic ${headers.authorization!.slice(7)}` }), 401, 'token_invalid');
    });

    it('refuses a revoked token and logs which client it was', async () => {
      const revoked = await newClient(t.db, 'revoked');
      expect((await post(byId, revoked.headers)).statusCode).toBe(200);
      await revokeClient(t.db, 'revoked');
      await refused(await post(byId, revoked.headers), 401, 'token_revoked');
      expect(await lastLog()).toMatchObject({ client_id: revoked.client.id });
    });

    it('refuses an expired token', async () => {
      const expired = await newClient(t.db, 'expired', { expiresAt: new Date(Date.now() - 1000) });
      await refused(await post(byId, expired.headers), 401, 'token_expired');
    });

    it('stores only a hash of the token', async () => {
      const { token, client } = await newClient(t.db, 'hashed');
      const [row] = await t.db.query<Record<string, unknown>>('select * from api_client where id = $1', [client.id]);
      expect(JSON.stringify(row)).not.toContain(token.slice(10));
      expect(row!.token_sha256).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('purpose', () => {
    it('refuses a lookup that states no purpose, or half of one', async () => {
      const { 'x-purpose-procedure': _, 'x-purpose-case': __, ...noPurpose } = headers;
      await refused(await post(byId, noPurpose), 400, 'purpose_required');
      await refused(await post(byId, { ...noPurpose, 'x-purpose-procedure': '1.001193' }), 400, 'purpose_required');
    });

    it('refuses a purpose that is not a code', async () => {
      await refused(await post(byId, { ...headers, 'x-purpose-case': "HS'; drop table entry; --" }), 400, 'purpose_invalid');
      await refused(await post(byId, { ...headers, 'x-purpose-procedure': 'x'.repeat(41) }), 400, 'purpose_invalid');
    });
  });

  describe('scope', () => {
    it('refuses a field outside the scope, an office and a register type outside it', async () => {
      const narrow = await newClient(t.db, 'narrow', { fields: ['fullName'], offices: ['HBT'], registerTypes: ['birth'] });
      await refused(await post({ ...byId, fields: ['fullName', 'motherName'] }, narrow.headers), 403, 'scope_field');
      await refused(await app.inject({ method: 'GET', url: `/api/v1/records/${publicId}?fields=idNumber`, headers: narrow.headers }), 403, 'scope_field');
      await refused(await post({ by: 'entry', office: 'DD', registerType: 'birth', bookNo: '01', year: 1962, entryNo: 1 }, narrow.headers), 403, 'scope_office');
      await refused(await post({ by: 'person', fullName: 'Nguyễn Văn Tuấn', birthDate: '1962-01-05', place: 'Hà Nội', registerType: 'death' }, narrow.headers), 403, 'scope_register_type');
      const allowed = (await post(byId, narrow.headers)).json();
      expect(Object.keys(allowed.records[0].fields)).toEqual(['fullName']);
    });
  });

  describe('enumeration', () => {
    it('refuses sequential ids and does not find a record by its internal number', async () => {
      for (const id of [String(entryId), '1', '2', '00000000-0000-0000-0000-000000000001']) {
        const response = await app.inject({ method: 'GET', url: `/api/v1/records/${id}`, headers });
        expect([400, 404]).toContain(response.statusCode);
        expect(response.json().error.code).toMatch(/^(invalid_id|not_found)$/);
      }
      expect((await lastLog()).outcome).toBe('refused');
    });

    it('gives records random version-4 ids', async () => {
      expect(publicId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ok = await app.inject({ method: 'GET', url: `/api/v1/records/${publicId}`, headers });
      expect(ok.statusCode).toBe(200);
    });
  });

  describe('injection', () => {
    const PAYLOADS = ["' or '1'='1", "1; drop table entry; --", '%', '_', '*', "\\' union select token_sha256 from api_client --", '{"$ne":null}', '\u0000', '<script>alert(1)</script>', '../../etc/passwd', '1962-01-05\' or 1=1--'];
    const bodies: Array<[string, (p: string) => Record<string, unknown>]> = [
      ['idNumber', (p) => ({ by: 'idNumber', idNumber: p })],
      ['fullName', (p) => ({ by: 'person', fullName: p, birthDate: '1962-01-05', place: 'Hà Nội' })],
      ['birthDate', (p) => ({ by: 'person', fullName: 'Nguyễn Văn Tuấn', birthDate: p, place: 'Hà Nội' })],
      ['place', (p) => ({ by: 'person', fullName: 'Nguyễn Văn Tuấn', birthDate: '1962-01-05', place: p })],
      ['office', (p) => ({ by: 'entry', office: p, registerType: 'birth', bookNo: '01', year: 1962, entryNo: 1 })],
      ['bookNo', (p) => ({ by: 'entry', office: 'HBT', registerType: 'birth', bookNo: p, year: 1962, entryNo: 1 })],
      ['registerType', (p) => ({ by: 'entry', office: 'HBT', registerType: p, bookNo: '01', year: 1962, entryNo: 1 })],
      ['year', (p) => ({ by: 'entry', office: 'HBT', registerType: 'birth', bookNo: '01', year: p, entryNo: 1 })],
      ['entryNo', (p) => ({ by: 'entry', office: 'HBT', registerType: 'birth', bookNo: '01', year: 1962, entryNo: p })],
      ['by', (p) => ({ by: p, idNumber: '001062000001' })],
      ['fields', (p) => ({ ...byId, fields: [p] })],
      ['page', (p) => ({ ...byId, page: p })],
    ];

    it.each(bodies)('refuses injection attempts in %s, or treats them as plain text that matches nothing', async (_name, body) => {
      for (const payload of PAYLOADS) {
        const response = await post(body(payload));
        expect(response.statusCode, payload).not.toBe(500);
        if (response.statusCode === 200) expect(response.json(), payload).toMatchObject({ status: 'none', records: [] });
        else expect(response.json().error.code, payload).toBe('invalid_query');
      }
    });

    it('refuses injection in the record id, its query string and the headers', async () => {
      for (const payload of ["1' or '1'='1", '1;select 1', '%27%20or%201=1--']) {
        const response = await app.inject({ method: 'GET', url: `/api/v1/records/${encodeURIComponent(payload)}`, headers });
        expect(response.json().error.code).toBe('invalid_id');
      }
      const fields = await app.inject({ method: 'GET', url: `/api/v1/records/${publicId}?fields=${encodeURIComponent("fullName' or 1=1")}`, headers });
      expect(fields.json().error.code).toBe('invalid_query');
      const repeated = await app.inject({ method: 'GET', url: `/api/v1/records/${publicId}?fields=fullName&fields=idNumber`, headers });
      expect(repeated.json().error.code).toBe('invalid_query');
      const extra = await app.inject({ method: 'GET', url: `/api/v1/records/${publicId}?debug=1`, headers });
      expect(extra.json().error.code).toBe('invalid_query');
      const [{ n }] = (await t.db.query<{ n: number }>('select count(*)::int as n from entry')) as [{ n: number }];
      expect(n).toBe(1);
    });

    it('refuses unknown keys, a body that is not JSON, and prototype pollution', async () => {
      await refused(await post({ ...byId, admin: true }), 400, 'invalid_query');
      await refused(await app.inject({ method: 'POST', url: SEARCH, headers: { ...headers, 'content-type': 'application/json' }, payload: '{"by":' }), 400, 'invalid_query');
      await refused(await app.inject({ method: 'POST', url: SEARCH, headers: { ...headers, 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1},"by":"idNumber","idNumber":"001062000001"}' }), 400, 'invalid_query');
      await refused(await app.inject({ method: 'POST', url: SEARCH, headers: { ...headers, 'content-type': 'text/plain' }, payload: 'by=idNumber' }), 400, 'invalid_query');
    });
  });

  describe('oversized queries', () => {
    it('refuses a body, a URL, a name and a page size beyond their bounds', async () => {
      await refused(await post({ ...byId, padding: 'x'.repeat(5000) }), 413, 'query_too_large');
      await refused(await app.inject({ method: 'GET', url: `/api/v1/records/${publicId}?fields=${'fullName,'.repeat(300)}`, headers }), 413, 'query_too_large');
      const longName = await post({ by: 'person', fullName: 'Nguyễn '.repeat(20), birthDate: '1962-01-05', place: 'Hà Nội' });
      await refused(longName, 400, 'invalid_query');
      expect(longName.json().error.field).toBe('fullName');
      await refused(await post({ ...byId, pageSize: 1000 }), 400, 'invalid_query');
    });
  });

  describe('rate limit', () => {
    it('refuses requests beyond the client budget per minute', async () => {
      const slow = await newClient(t.db, 'slow', { ratePerMinute: 3 });
      for (let i = 0; i < 3; i++) expect((await post(byId, slow.headers)).statusCode).toBe(200);
      const response = await post(byId, slow.headers);
      await refused(response, 429, 'rate_limited');
      expect((response as unknown as { headers: Record<string, string> }).headers['retry-after']).toBe('60');
    });

    it('holds across two server instances sharing the database (the budget is not per process)', async () => {
      const other = await apiApp({ db: t.db });
      try {
        const shared = await newClient(t.db, 'shared', { ratePerMinute: 4 });
        const via = (i: number) => (i % 2 ? other : app).inject({ method: 'POST', url: SEARCH, headers: shared.headers, payload: byId });
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push((await via(i)).statusCode);
        expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
        // Concurrent requests through both instances: no more than the budget gets through.
        const burst = await newClient(t.db, 'burst', { ratePerMinute: 5 });
        const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? other : app).inject({ method: 'POST', url: SEARCH, headers: burst.headers, payload: byId })));
        expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(5);
        expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(7);
      } finally {
        await other.close();
      }
    });

    it('does not spend the budget on a request refused for its token or its purpose', async () => {
      const careful = await newClient(t.db, 'careful', { ratePerMinute: 1 });
      await refused(await post(byId, { authorization: careful.headers.authorization! }), 400, 'purpose_required');
      expect((await post(byId, careful.headers)).statusCode).toBe(200);
    });
  });

  describe('application logs', () => {
    it('carry outcome codes and ids, never names, dates of birth, ID numbers or tokens', async () => {
      await post({ by: 'person', fullName: 'Nguyễn Văn Tuấn', birthDate: '1962-01-05', place: 'Hà Nội' });
      await post(byId);
      const text = logLines.join('');
      expect(text).toContain('"outcome":"found"');
      for (const secret of ['Nguyễn', 'Tuấn', 'Nguy', '1962-01-05', '001062000001', 'Lê Thị Lan', headers.authorization!.slice(7)]) expect(text).not.toContain(secret);
    });
  });
});
