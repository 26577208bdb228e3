import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASONS } from '../../schemas/reasons.ts';
import { listBookSummaries } from '../../src/db/books.ts';
import { listRescanPages } from '../../src/db/pages.ts';
import { cleanStage } from '../../src/imaging/stage.ts';
import { receiveFiles } from '../../src/ingest/receive.ts';
import { ingestStage } from '../../src/ingest/stage.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';
import { renderTextPage, scanPage } from '../imaging/pages.ts';

const BOOK = { officeCode: 'QG', registerType: 'death' as const, bookNo: '07', yearFrom: 1994 };
const A4_150 = { width: 1240, height: 1754, fontSize: 22, lines: 30 };

/** The gate at ingest: what each page becomes, what is stored, what goes on to cleanup. */
describe('ingest: scan quality gate and viewing image', () => {
  let p: TestPipeline;
  let bookId: number;
  let rows: Array<{ id: number; label: string; status: string; reason: string | null; rescan_reasons: string[] | null; quality: { verdict: string; blurMm: number | null; dpi: number } | null; view_sha256: string | null; view_width: number | null; view_height: number | null }>;
  let forward: Array<{ pageId: number }>;

  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
    const text = (await renderTextPage({ ...A4_150, seed: 5 })).png;
    const blankPaper = (await renderTextPage({ ...A4_150, lines: 0 })).png;
    const files: Array<[string, Buffer]> = [
      ['p1-normal.jpg', await scanPage(text, { dpi: 150, skewDeg: 1, noise: 6, jpegQuality: 70 })],
      ['p2-blank.jpg', await scanPage(blankPaper, { dpi: 150, contrast: [50, 230], noise: 10, jpegQuality: 60 })],
      ['p3-blurred.png', await scanPage(text, { dpi: 150, blur: 4 })],
      ['p4-100dpi.png', await sharp(await scanPage(text, { dpi: 150 })).resize(827).withDensity(100).png().toBuffer()],
    ];
    const paths = [];
    for (const [name, bytes] of files) {
      paths.push(join(p.dataDir, name));
      await writeFile(paths.at(-1)!, bytes);
    }
    const received = await receiveFiles({ ...p.services, maxUploadBytes: p.config.CIVREG_MAX_UPLOAD_BYTES }, BOOK, paths, 'tester');
    forward = [];
    const deps = { blobs: p.services.blobs, limits: p.services.decodeLimits, instance: 'test:1' };
    for (const { uploadId } of received) {
      const result = await p.services.db.transaction((sql) => ingestStage.run({ uploadId }, { ...deps, sql }));
      forward.push(...result.forward);
    }
    rows = await p.services.db.query(
      `select p.id, p.label, p.status, p.reason, p.rescan_reasons, p.quality, p.view_sha256, p.view_width, p.view_height, p.book_id
         from page p join upload u on u.id = p.upload_id where u.id = any($1) order by u.seq`,
      [received.map((r) => r.uploadId)],
    );
    bookId = (rows[0] as unknown as { book_id: number }).book_id;
  });
  afterAll(() => p.close());

  it('sends a normal page on to cleanup with its measurements stored', () => {
    expect(rows[0]).toMatchObject({ status: 'ingested', reason: null, rescan_reasons: null, quality: { verdict: 'ok', dpi: 150 } });
    expect(forward).toEqual([{ pageId: rows[0]!.id }]);
  });

  it('marks a blank page blank: not an error, not read', () => {
    expect(rows[1]).toMatchObject({ status: 'blank', reason: null, quality: { verdict: 'blank' } });
  });

  it('marks a blurred page and a 100-dpi page needs_rescan with their reason codes', async () => {
    expect(rows[2]).toMatchObject({ status: 'needs_rescan', reason: 'blurred', rescan_reasons: ['blurred'] });
    expect(rows[3]).toMatchObject({ status: 'needs_rescan', reason: 'low_resolution', rescan_reasons: ['low_resolution'], quality: { dpi: 100 } });
    expect(REASONS.low_resolution).toContain('300 dpi');
    const listed = await listRescanPages(p.services.db, bookId);
    expect(listed.map((r) => [r.id, r.reasons])).toEqual([[rows[2]!.id, ['blurred']], [rows[3]!.id, ['low_resolution']]]);
  });

  it('counts blank and to-rescan pages in the book summary', async () => {
    const book = (await listBookSummaries(p.services.db)).find((b) => b.id === bookId);
    expect(book).toMatchObject({ pages: 4, pagesBlank: 1, pagesNeedRescan: 1 + 1, pagesRejected: 0 });
  });

  it('stores a viewing JPEG for every page, and cleanup leaves gated pages alone', async () => {
    for (const row of rows) {
      expect(row.view_sha256).toMatch(/^[0-9a-f]{64}$/);
      const meta = await sharp(await p.services.blobs.get(row.view_sha256!)).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: row.view_width, height: row.view_height });
    }
    const cleaned = await p.services.db.transaction((sql) => cleanStage.run({ pageId: rows[2]!.id }, { blobs: p.services.blobs, maxPixels: 1e8, instance: 'test:1', sql }));
    expect(cleaned.forward).toEqual([]);
    const [after] = await p.services.db.query<{ status: string; clean_sha256: string | null }>('select status, clean_sha256 from page where id = $1', [rows[2]!.id]);
    expect(after).toEqual({ status: 'needs_rescan', clean_sha256: null });
  });

  it('lets a page staff had read anyway go on when its delivery is ingested again, and holds the others back again', async () => {
    const blurred = rows[2]!.id;
    await p.services.db.query(`update page set status = 'ingested', reason = null, rescan_waiver = '{"by":"lan"}' where id = $1`, [blurred]);
    const [upload] = await p.services.db.query<{ id: number }>('select upload_id as id from page where id = $1', [blurred]);
    const deps = { blobs: p.services.blobs, limits: p.services.decodeLimits, instance: 'test:1' };
    const again = await p.services.db.transaction((sql) => ingestStage.run({ uploadId: upload!.id }, { ...deps, sql }));
    expect(again.forward).toEqual([{ pageId: blurred }]);
    const [page] = await p.services.db.query<{ status: string; reason: string | null; rescan_reasons: string[] }>('select status, reason, rescan_reasons from page where id = $1', [blurred]);
    expect(page).toEqual({ status: 'ingested', reason: null, rescan_reasons: ['blurred'] });
    const [other] = await p.services.db.query<{ status: string }>('select status from page where id = $1', [rows[3]!.id]);
    expect(other!.status).toBe('needs_rescan');
  });
});
