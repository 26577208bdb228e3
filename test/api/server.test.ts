import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealRecord } from '../../src/certified/extract.ts';
import { buildServer } from '../../src/http/server.ts';
import type { BlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { newClient } from './app.ts';
import { seedBook, seedEntry } from './seed.ts';

describe('lookup API in the web server', () => {
  let t: TestDatabase;
  let app: ReturnType<typeof buildServer>;
  beforeAll(async () => {
    t = await createTestDatabase();
    // The API and /verify use neither the queue nor the blob store.
    app = buildServer({ db: t.db, boss: {} as PgBoss, blobs: {} as BlobStore, uploadDir: '/nonexistent', maxUploadBytes: 1, ocr: null, workersRunning: () => false });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('serves the API with client tokens and /verify publicly, outside the workbench sign-in', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).statusCode).toBe(200);
    const { headers } = await newClient(t.db, 'desk');
    const at = await seedBook(t.db, { officeCode: 'HBT', registerType: 'birth', bookNo: '01', yearFrom: 1990 });
    const entry = await seedEntry(t.db, at, { year: 1990, entryNo: 3, registerType: 'birth', fields: { fullName: 'Vũ Thị Mai', birthDate: '1990-02-01', idNumber: '001190000003' } });
    const found = await app.inject({ method: 'POST', url: '/api/v1/records/search', headers, payload: { by: 'idNumber', idNumber: '001190000003' } });
    expect(found.json()).toMatchObject({ status: 'found', records: [{ id: entry.publicId }] });
    expect((await app.inject({ method: 'POST', url: '/api/v1/records/search', payload: { by: 'idNumber', idNumber: '001190000003' } })).json()).toMatchObject({ error: { code: 'token_missing' } });
    const { seal } = await sealRecord(t.db, join(await mkdtemp(join(tmpdir(), 'civreg-keys-')), 'keys'), entry.id);
    const verify = await app.inject({ method: 'GET', url: `/verify/${seal}`, headers: { accept: 'application/json' } });
    expect(verify.json()).toMatchObject({ verdict: 'genuine' });
  });
});
