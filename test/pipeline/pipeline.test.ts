import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFailedPages } from '../../src/db/pages.ts';
import { getUpload } from '../../src/db/uploads.ts';
import { receiveFiles } from '../../src/ingest/receive.ts';
import { rerunStage } from '../../src/pipeline/rerun.ts';
import { textPage } from '../helpers/images.ts';
import { startTestPipeline, waitFor, type TestPipeline } from '../helpers/services.ts';

const BOOK = { officeCode: 'HBT', officeName: 'Quận Hai Bà Trưng', registerType: 'birth' as const, bookNo: '01', yearFrom: 1999 };

describe('pipeline through the real queue', () => {
  let p: TestPipeline;
  let pagePng: string;
  const receive = (files: string[]) =>
    receiveFiles({ ...p.services, maxUploadBytes: p.config.CIVREG_MAX_UPLOAD_BYTES }, BOOK, files, 'tester');
  const pageStatus = async (uploadId: number) =>
    p.services.db.query<{ id: number; status: string; duplicate_of: number | null; reason: string | null }>(
      'select id, status, duplicate_of, reason from page where upload_id = $1 order by file_index',
      [uploadId],
    );

  beforeAll(async () => {
    p = await startTestPipeline({ workers: true });
    pagePng = join(p.dataDir, 'page-typed.png');
    await writeFile(pagePng, await textPage(['Họ và tên: Nguyễn Thị Hoa', 'Ngày sinh: 15/03/1962', 'Nơi sinh: Hà Nội']));
  });
  afterAll(() => p.close());

  it('takes a page from ingest to stored words, through every stage once', async () => {
    const [received] = await receive([pagePng]);
    expect(received!.status).toBe('queued');
    const [page] = await waitFor('page routed', async () => {
      const pages = await pageStatus(received!.uploadId);
      return pages[0]?.status === 'routed' ? pages : null;
    });
    const [ocr] = await p.services.db.query<{ text: string; words: Array<{ text: string; confidence: number; box: number[] }> }>(
      'select text, words from page_ocr where page_id = $1',
      [page!.id],
    );
    expect(ocr!.text).toContain('Nguyễn');
    expect(ocr!.words.length).toBeGreaterThan(5);
    for (const word of ocr!.words) {
      expect(word.confidence).toBeGreaterThanOrEqual(0);
      expect(word.confidence).toBeLessThanOrEqual(1);
      expect(word.box).toHaveLength(4);
    }
    const results = await p.services.db.query<{ stage: string; run_count: number; engine: string }>(
      'select stage, run_count, engine from page_result where page_id = $1 order by stage',
      [page!.id],
    );
    expect(results.map((r) => r.stage).sort()).toEqual(['clean', 'extract', 'match', 'ocr', 'route']);
    expect(results.every((r) => r.run_count === 1)).toBe(true);
    expect(results.find((r) => r.stage === 'ocr')!.engine).toMatch(/^tesseract\.js \S+ vie/);
    expect((await getUpload(p.services.db, received!.uploadId))!.status).toBe('ingested');
  });

  it('recognises the same bytes uploaded again before any OCR is spent', async () => {
    const [again] = await receive([pagePng]);
    expect(again!.status).toBe('duplicate');
    expect(again!.duplicateOf).not.toBeNull();
    expect(await pageStatus(again!.uploadId)).toEqual([]);
    const [jobs] = await p.services.db.query<{ n: number }>(
      `select count(*)::int as n from pgboss.job where name = 'ingest' and data->>'uploadId' = $1`,
      [String(again!.uploadId)],
    );
    expect(jobs!.n).toBe(0);
  });

  it('recognises the same page re-exported in another file and does not read it again', async () => {
    const tiff = join(p.dataDir, 'same-page-reexported.tiff');
    await sharp(await textPage(['Họ và tên: Nguyễn Thị Hoa', 'Ngày sinh: 15/03/1962', 'Nơi sinh: Hà Nội'])).tiff({ compression: 'lzw' }).toFile(tiff);
    const [received] = await receive([tiff]);
    expect(received!.status).toBe('queued');
    const [page] = await waitFor('re-exported page ingested', async () => {
      const pages = await pageStatus(received!.uploadId);
      return pages[0] && pages[0].status !== 'ingested' ? pages : null;
    });
    expect(page!.status).toBe('duplicate');
    expect(page!.duplicate_of).not.toBeNull();
    const ocr = await p.services.db.query('select 1 from page_ocr where page_id = $1', [page!.id]);
    expect(ocr).toHaveLength(0);
  });

  it('names on the book a file delivered again under another name, without reading it again', async () => {
    const copy = join(p.dataDir, 'page-typed-copy.png');
    await writeFile(copy, await readFile(pagePng));
    const [received] = await receive([copy]);
    expect(received!.status).toBe('duplicate');
    const issues = await p.services.db.query<{ kind: string; page_id: number; detail: Record<string, unknown> }>(`select kind, page_id, detail from book_issue where kind = 'file_delivered_twice'`);
    // the same name sent again (the test before) is a repeated upload, not a problem of the book
    expect(issues).toEqual([{ kind: 'file_delivered_twice', page_id: expect.any(Number), detail: { file: 'page-typed.png', copyFile: 'page-typed-copy.png', copyUpload: received!.uploadId } }]);
    const [original] = await p.services.db.query<{ file_name: string }>('select u.file_name from page p join upload u on u.id = p.upload_id where p.id = $1', [issues[0]!.page_id]);
    expect(original!.file_name).toBe('page-typed.png');
  });

  it('rejects a bad file with its reason while the rest of the book goes on', async () => {
    const empty = join(p.dataDir, 'empty.pdf');
    const good = join(p.dataDir, 'page-2.png');
    await writeFile(empty, Buffer.alloc(0));
    await writeFile(good, await textPage(['Số: 12', 'Quyển số: 01']));
    const [bad, ok] = await receive([empty, good]);
    const rejected = await waitFor('empty upload rejected', async () => {
      const upload = await getUpload(p.services.db, bad!.uploadId);
      return upload?.status === 'rejected' ? upload : null;
    });
    expect(rejected.reason).toBe('empty_file');
    await waitFor('good page routed', async () => (await pageStatus(ok!.uploadId))[0]?.status === 'routed');
  });

  it('marks a page failed after its retries, shows it, and can retry it', async () => {
    const file = join(p.dataDir, 'page-3.png');
    await writeFile(file, await textPage(['Quốc tịch: Việt Nam']));
    // Stop the clean stage from finding the stored original: a storage fault, retried, then dead-lettered.
    await p.services.boss.offWork('clean');
    const [received] = await receive([file]);
    const [page] = await waitFor('page ingested', async () => {
      const pages = await pageStatus(received!.uploadId);
      return pages[0]?.status === 'ingested' ? pages : null;
    });
    const [row] = await p.services.db.query<{ original_sha256: string }>('select original_sha256 from page where id = $1', [page!.id]);
    const sha = row!.original_sha256;
    const blobPath = join(p.dataDir, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);
    const bytes = await p.services.blobs.get(sha);
    await rm(blobPath);
    const { startStageWorkers } = await import('../../src/pipeline/workers.ts');
    const { cleanWorker } = await import('../../workers/clean.ts');
    await startStageWorkers(p.services.boss, p.services.db, [cleanWorker(p.services)], p.services.log);

    const [failedPage] = await waitFor('page failed', async () => {
      const pages = await pageStatus(received!.uploadId);
      return pages[0]?.status === 'failed' ? pages : null;
    }, 60_000);
    expect(failedPage!.reason).toBe('processing_failed');
    const failed = await listFailedPages(p.services.db);
    expect(failed.find((f) => f.id === page!.id)).toMatchObject({ stage: 'clean', lastError: expect.stringMatching(/missing/) });

    await p.services.blobs.put(bytes);
    expect(await rerunStage(p.services, { failedOnly: true, actor: 'tester' })).toBe(1);
    await waitFor('retried page routed', async () => (await pageStatus(received!.uploadId))[0]?.status === 'routed');
  });
});
