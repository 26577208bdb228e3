import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveFiles } from '../../src/ingest/receive.ts';
import { textPage } from '../helpers/images.ts';
import { startTestPipeline, waitFor, type TestPipeline } from '../helpers/services.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.ts';

const BOOK = { officeCode: 'BD', registerType: 'death' as const, bookNo: '03', yearFrom: 1975 };

/** Lines enough that one OCR run lasts long enough to be interrupted. */
const denseLines = (n: number) => Array.from({ length: 40 }, (_, i) => `Số ${n * 100 + i}: Trần Văn Hùng, sinh năm 1950, cư trú tại Phường Bạch Mai`);

describe('workers in separate processes', () => {
  let p: TestPipeline;
  const workers: WorkerProcess[] = [];
  const spawnWorker = () => {
    const w = startWorkerProcess(p.t.url, p.dataDir);
    workers.push(w);
    return w;
  };
  const receive = (files: string[]) => receiveFiles({ ...p.services, maxUploadBytes: p.config.CIVREG_MAX_UPLOAD_BYTES }, BOOK, files, 'tester');
  const ocrResults = (pageIds: number[]) =>
    p.services.db.query<{ page_id: number; run_count: number; produced_by: string }>(
      `select page_id, run_count, produced_by from page_result where stage = 'ocr' and page_id = any($1) order by page_id`,
      [pageIds],
    );
  const pagesOf = async (uploadIds: number[]) =>
    p.services.db.query<{ id: number; status: string }>('select id, status from page where upload_id = any($1) order by id', [uploadIds]);

  beforeAll(async () => {
    // This process only receives files and inspects data; the workers are other processes.
    p = await startTestPipeline({ workers: false });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    await p.close();
  });

  it('retries a page whose worker was killed mid-OCR; the page ends with exactly one result', async () => {
    const first = spawnWorker();
    await first.ready;
    const file = join(p.dataDir, 'dense-page.png');
    await writeFile(file, await textPage(denseLines(1), { width: 2400, height: 3400, fontSize: 44 }));
    const [received] = await receive([file]);

    // Kill the worker while its OCR job is running, as a crash or a pulled plug would.
    await waitFor('OCR job active', async () => {
      const [row] = await p.services.db.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'ocr' and state = 'active'`);
      return row!.n > 0;
    });
    await first.kill('SIGKILL');
    const [pageRow] = await pagesOf([received!.uploadId]);
    expect(pageRow!.status).not.toBe('routed');
    expect(await ocrResults([pageRow!.id])).toEqual([]);

    const second = spawnWorker();
    await second.ready;
    await waitFor('page routed after retry', async () => (await pagesOf([received!.uploadId]))[0]?.status === 'routed', 90_000);
    const results = await ocrResults([pageRow!.id]);
    expect(results).toHaveLength(1);
    expect(results[0]!.run_count).toBe(1);
    expect(results[0]!.produced_by).toContain(String(second.child.pid));
    const [words] = await p.services.db.query<{ n: number }>('select count(*)::int as n from page_ocr where page_id = $1', [pageRow!.id]);
    expect(words!.n).toBe(1);
    await second.kill();
  });

  it('lets two worker processes share a book without processing any page twice', async () => {
    const a = spawnWorker();
    const b = spawnWorker();
    await Promise.all([a.ready, b.ready]);
    const files = [];
    for (let i = 0; i < 6; i++) {
      const file = join(p.dataDir, `shared-${i}.png`);
      await writeFile(file, await textPage(denseLines(i + 10).slice(0, 12), { width: 1800, height: 1400, fontSize: 36 }));
      files.push(file);
    }
    const received = await receive(files);
    const uploadIds = received.map((r) => r.uploadId);
    await waitFor('all pages routed', async () => {
      const pages = await pagesOf(uploadIds);
      return pages.length === 6 && pages.every((page) => page.status === 'routed');
    }, 120_000);
    const pages = await pagesOf(uploadIds);
    const results = await ocrResults(pages.map((page) => page.id));
    expect(results).toHaveLength(6);
    expect(results.every((r) => r.run_count === 1)).toBe(true);
    const producers = new Set(results.map((r) => r.produced_by.split(':').at(-1)));
    expect(producers).toEqual(new Set([String(a.child.pid), String(b.child.pid)]));
    await Promise.all([a.kill(), b.kill()]);
  });
});
