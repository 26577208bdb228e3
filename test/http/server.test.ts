import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBook } from '../../src/db/books.ts';
import { buildServer } from '../../src/http/server.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { addAccount, as, signIn, testServer } from './web-helpers.ts';

describe('web server', () => {
  let p: TestPipeline;
  let app: ReturnType<typeof buildServer>;
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    app = testServer(p);
  });
  afterAll(async () => {
    await app.close();
    await p.close();
  });

  it('reports database, queue and workers on /healthz', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ status: 'ok', database: 'ok', queue: { status: 'ok' }, workers: { status: 'none' } });
    expect(Object.keys(body.queue.queues).sort()).toEqual(['clean', 'extract', 'ingest', 'match', 'ocr', 'route']);
  });

  it('answers 503 when the database is unreachable', async () => {
    const broken = buildServer({
      db: { ...p.services.db, query: () => Promise.reject(new Error('down')) },
      boss: p.services.boss,
      blobs: p.services.blobs,
      uploadDir: join(p.dataDir, 'incoming'),
      maxUploadBytes: 1024 ** 3,
      ocr: null,
      workersRunning: () => false,
    });
    const response = await broken.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'degraded', database: 'down' });
  });

  it('lists books in Vietnamese to staff of their office, escaping what staff typed', async () => {
    await ensureBook(p.services.db, { officeCode: 'X<1>', officeName: 'Phường <Bạch Mai>', registerType: 'death', bookNo: '02', yearFrom: 1975 });
    await ensureBook(p.services.db, { officeCode: 'OTHER', officeName: 'Xã Khác Hẳn', registerType: 'birth', bookNo: '09', yearFrom: 1980 });
    await addAccount(p.services.db, 'lan', 'staff', ['X<1>']);
    const { session } = await signIn(app, 'lan');
    const response = await as(app, session, { url: '/books' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.body).toContain('Sổ hộ tịch');
    expect(response.body).toContain('Khai tử');
    expect(response.body).toContain('Phường &lt;Bạch Mai&gt;');
    expect(response.body).not.toContain('<Bạch Mai>');
    expect(response.body).not.toContain('Xã Khác Hẳn');
  });

  it('serves its own CSS (no CDN) to anyone', async () => {
    const response = await app.inject({ method: 'GET', url: '/assets/app.css' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/css');
    expect((await app.inject({ method: 'GET', url: '/assets/..%2Fserver.ts' })).statusCode).toBe(404);
  });
});
