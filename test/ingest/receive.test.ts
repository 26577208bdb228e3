import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUpload } from '../../src/db/uploads.ts';
import { expandInputs, receiveFiles } from '../../src/ingest/receive.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/services.ts';

describe('receiving files', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false, env: { CIVREG_MAX_UPLOAD_BYTES: '1000' } });
  });
  afterAll(() => p.close());

  it('expands a folder in natural order and skips hidden files and truth files', async () => {
    const folder = join(p.dataDir, 'book');
    await mkdir(folder);
    for (const name of ['page10.jpg', 'page2.jpg', 'page1.jpg', '.DS_Store', 'truth.json']) await writeFile(join(folder, name), name);
    const files = await expandInputs([folder]);
    expect(files.map((f) => f.split('/').at(-1))).toEqual(['page1.jpg', 'page2.jpg', 'page10.jpg']);
  });

  it('numbers uploads in delivery order, refuses an oversized file before storing it, and audits each', async () => {
    const small = join(p.dataDir, 'small.png');
    const big = join(p.dataDir, 'big.tif');
    await writeFile(small, Buffer.alloc(10, 1));
    await writeFile(big, Buffer.alloc(5000, 2));
    const book = { officeCode: 'T1', registerType: 'birth' as const, bookNo: '7', yearFrom: 2001 };
    const results = await receiveFiles({ ...p.services, maxUploadBytes: p.config.CIVREG_MAX_UPLOAD_BYTES }, book, [small, big], 'staff-1');
    expect(results.map((r) => r.status)).toEqual(['queued', 'rejected']);
    expect(results[1]!.reason).toBe('file_too_large');
    const uploads = await Promise.all(results.map((r) => getUpload(p.services.db, r.uploadId)));
    expect(uploads.map((u) => u!.seq)).toEqual([1, 2]);
    const blobs = await p.services.db.query<{ sha256: string }>('select sha256 from blob');
    expect(blobs.map((b) => b.sha256)).toEqual([uploads[0]!.sha256]);
    const audit = await p.services.db.query<{ actor: string }>(`select actor from audit_event where action = 'upload.received'`);
    expect(audit.map((a) => a.actor)).toEqual(['staff-1', 'staff-1']);
    const [jobs] = await p.services.db.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'ingest'`);
    expect(jobs!.n).toBe(1);
  });

  // bookForFiles is where every way in (CLI, API, web form) matches or makes a book: a space typed around the number
  // on the command line is not part of it, and the same number without it is the same book.
  it('stores a book number without the spaces around it, and finds the book again by the bare number', async () => {
    const file = join(p.dataDir, 'spaced.png');
    await writeFile(file, Buffer.alloc(10, 3));
    const receive = (bookNo: string) => receiveFiles({ ...p.services, maxUploadBytes: p.config.CIVREG_MAX_UPLOAD_BYTES }, { officeCode: 'T2', registerType: 'death', bookNo, yearFrom: 2004 }, [file], 'staff-1');
    const [spaced] = await receive('4 ');
    const [bare] = await receive(' 4');
    const [inner] = await receive('4  A');
    const [innerAgain] = await receive('4 A');
    const books = await p.services.db.query<{ bookNo: string }>(
      `select b.book_no as "bookNo" from book b join registry_office o on o.id = b.office_id where o.code = 'T2' order by b.id`);
    expect(books.map((b) => b.bookNo)).toEqual(['4', '4 A']);
    const bookOf = async (uploadId: number) => (await getUpload(p.services.db, uploadId))!.bookId;
    expect(await bookOf(bare!.uploadId)).toBe(await bookOf(spaced!.uploadId));
    expect(await bookOf(innerAgain!.uploadId)).toBe(await bookOf(inner!.uploadId));
  });
});
