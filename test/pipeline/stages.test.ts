import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUpload } from '../../src/db/uploads.ts';
import { cleanStage } from '../../src/imaging/stage.ts';
import { receiveFiles } from '../../src/ingest/receive.ts';
import { ingestStage } from '../../src/ingest/stage.ts';
import { ocrStage } from '../../src/ocr/stage.ts';
import { rerunStage } from '../../src/pipeline/rerun.ts';
import { textPage } from '../helpers/images.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/files/', import.meta.url));
const BOOK = { officeCode: 'CG', registerType: 'marriage' as const, bookNo: '04', yearFrom: 2010 };

/**
 * Stages called directly, each in its own transaction as the worker runs it: normal input, a file
 * with a bad page, a refused file, and re-runs that must replace, never duplicate.
 */
describe('stages run directly', () => {
  let p: TestPipeline;
  const deps = () => ({ blobs: p.services.blobs, limits: p.services.decodeLimits, maxPixels: p.config.CIVREG_MAX_PAGE_PIXELS, ocr: p.services.ocr!, instance: 'test:1' });
  const inTransaction = <T>(work: (sql: Parameters<Parameters<typeof p.services.db.transaction>[0]>[0]) => Promise<T>) => p.services.db.transaction(work);
  const receiveFixture = async (name: string) => {
    const path = join(p.dataDir, name);
    await copyFile(join(FIXTURES, name), path);
    const [received] = await receiveFiles({ ...p.services, maxUploadBytes: p.config.CIVREG_MAX_UPLOAD_BYTES }, BOOK, [path], 'tester');
    return received!.uploadId;
  };
  const pages = (uploadId: number) =>
    p.services.db.query<{ id: number; file_index: number; status: string; reason: string | null }>(
      'select id, file_index, status, reason from page where upload_id = $1 order by file_index',
      [uploadId],
    );

  // Workers are not started: this file drives the stages itself. The OCR pool is still real.
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false, ocr: true });
  });
  afterAll(() => p.close());

  it('ingest: stores each page and forwards them; run again, it replaces the same rows', async () => {
    const uploadId = await receiveFixture('pdf-jpeg-scans-2-pages.pdf');
    const first = await inTransaction((sql) => ingestStage.run({ uploadId }, { ...deps(), sql }));
    expect(first.outcome).toBe('done');
    const before = await pages(uploadId);
    expect(before.map((row) => row.status)).toEqual(['ingested', 'ingested']);
    expect(first.forward).toEqual(before.map((row) => ({ pageId: row.id })));

    const second = await inTransaction((sql) => ingestStage.run({ uploadId }, { ...deps(), sql }));
    expect(second.forward).toEqual(first.forward);
    expect(await pages(uploadId)).toEqual(before);
    expect((await getUpload(p.services.db, uploadId))).toMatchObject({ status: 'ingested', kind: 'pdf', pageCount: 2 });
  });

  it('ingest: a broken page is rejected with its reason, the others go on and the upload is partial', async () => {
    const uploadId = await receiveFixture('tiff-3-pages-page2-broken.tif');
    const result = await inTransaction((sql) => ingestStage.run({ uploadId }, { ...deps(), sql }));
    const rows = await pages(uploadId);
    expect(rows.map((row) => [row.status, row.reason])).toEqual([
      ['ingested', null],
      ['rejected', 'page_unreadable'],
      ['ingested', null],
    ]);
    expect(result.forward).toEqual([{ pageId: rows[0]!.id }, { pageId: rows[2]!.id }]);
    expect((await getUpload(p.services.db, uploadId))!.status).toBe('partial');
  });

  it('ingest: a refused file rejects the upload with its reason and creates no page', async () => {
    const uploadId = await receiveFixture('zip-path-traversal.zip');
    const result = await inTransaction((sql) => ingestStage.run({ uploadId }, { ...deps(), sql }));
    expect(result).toEqual({ outcome: 'rejected', reason: 'archive_unsafe_path', forward: [] });
    expect(await getUpload(p.services.db, uploadId)).toMatchObject({ status: 'rejected', reason: 'archive_unsafe_path' });
    expect(await pages(uploadId)).toEqual([]);
  });

  it('clean and ocr: run twice, leave one result each, with the run counted and the engine recorded', async () => {
    const path = join(p.dataDir, 'typed-page.png');
    await writeFile(path, await textPage(['Họ và tên chồng: Lê Văn Nam', 'Ngày đăng ký: 02/03/2010']));
    const [received] = await receiveFiles({ ...p.services, maxUploadBytes: p.config.CIVREG_MAX_UPLOAD_BYTES }, BOOK, [path], 'tester');
    const { forward } = await inTransaction((sql) => ingestStage.run({ uploadId: received!.uploadId }, { ...deps(), sql }));
    const pageId = forward[0]!.pageId;
    for (let run = 0; run < 2; run++) {
      expect((await inTransaction((sql) => cleanStage.run({ pageId }, { ...deps(), sql }))).forward).toEqual([{ pageId }]);
      expect((await inTransaction((sql) => ocrStage.run({ pageId }, { ...deps(), sql }))).forward).toEqual([{ pageId }]);
    }
    const ocrRows = await p.services.db.query<{ n: number }>('select count(*)::int as n from page_ocr where page_id = $1', [pageId]);
    expect(ocrRows).toEqual([{ n: 1 }]);
    const results = await p.services.db.query<{ stage: string; run_count: number; engine: string }>(
      `select stage, run_count, engine from page_result where page_id = $1 order by stage`,
      [pageId],
    );
    expect(results.map((r) => [r.stage, r.run_count])).toEqual([['clean', 2], ['ocr', 2]]);
    expect(results[1]!.engine).toMatch(/^tesseract\.js \d+\.\d+\.\d+ vie 4\.0\.0_best_int psm 3$/);
  });

  it('clean: a page over the pixel limit is rejected with too_many_pixels and not forwarded', async () => {
    const path = join(p.dataDir, 'big-page.png');
    await writeFile(path, await textPage(['Số: 5']));
    const [received] = await receiveFiles({ ...p.services, maxUploadBytes: p.config.CIVREG_MAX_UPLOAD_BYTES }, BOOK, [path], 'tester');
    const { forward } = await inTransaction((sql) => ingestStage.run({ uploadId: received!.uploadId }, { ...deps(), sql }));
    const pageId = forward[0]!.pageId;
    const result = await inTransaction((sql) => cleanStage.run({ pageId }, { ...deps(), maxPixels: 1000, sql }));
    expect(result).toEqual({ outcome: 'rejected', reason: 'too_many_pixels', forward: [] });
    expect((await pages(received!.uploadId))[0]).toMatchObject({ status: 'rejected', reason: 'too_many_pixels' });
  });

  it('clean and ocr: leave rejected and duplicate pages alone', async () => {
    // The single JPEG is the same scan as the PDF's first page: same pixels, so a duplicate page.
    const uploadId = await receiveFixture('jpeg-grey-scan-150dpi.jpg');
    await inTransaction((sql) => ingestStage.run({ uploadId }, { ...deps(), sql }));
    const [duplicate] = await pages(uploadId);
    expect(duplicate!.status).toBe('duplicate');
    const [rejected] = await p.services.db.query<{ id: number }>(`select id from page where status = 'rejected'`);
    for (const pageId of [duplicate!.id, rejected!.id]) {
      expect(await inTransaction((sql) => cleanStage.run({ pageId }, { ...deps(), sql }))).toEqual({ outcome: 'done', forward: [] });
      expect(await inTransaction((sql) => ocrStage.run({ pageId }, { ...deps(), sql }))).toEqual({ outcome: 'done', forward: [] });
    }
  });

  it('rerun: queues a stage for every usable page of a book, once, and audits the request', async () => {
    const [book] = await p.services.db.query<{ id: number }>('select id from book');
    const usable = await p.services.db.query<{ n: number }>(`select count(*)::int as n from page where book_id = $1 and status not in ('rejected', 'duplicate')`, [book!.id]);
    const queued = await rerunStage(p.services, { stage: 'ocr', bookId: book!.id, failedOnly: false, actor: 'tester' });
    expect(queued).toBe(usable[0]!.n);
    // Asked again while the same jobs still wait: nothing is queued twice.
    expect(await rerunStage(p.services, { stage: 'ocr', bookId: book!.id, failedOnly: false, actor: 'tester' })).toBe(0);
    const audit = await p.services.db.query(`select 1 from audit_event where action = 'stage.rerun'`);
    expect(audit).toHaveLength(2);
  });
});
