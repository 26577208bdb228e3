import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_QUEUE_ENV, startTestPipeline, type TestPipeline } from './helpers/services.ts';

const CLI = fileURLToPath(new URL('../bin/civreg.js', import.meta.url));

describe('civreg command line', () => {
  let p: TestPipeline;
  const run = async (args: string[], env: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
        env: { ...process.env, ...FAST_QUEUE_ENV, DATABASE_URL: p.t.url, CIVREG_DATA_DIR: p.dataDir, ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  beforeAll(async () => {
    p = await startTestPipeline({ workers: false });
  });
  afterAll(() => p.close());

  it('refuses bad arguments and bad configuration with a reason code and exit code 2', async () => {
    expect(await run(['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('civreg: unknown_command') });
    expect(await run(['ingest', 'x.pdf', '--type', 'divorce', '--office', 'A', '--book', '1'])).toMatchObject({ code: 2, stderr: expect.stringContaining('bad_arguments') });
    expect(await run(['ingest', 'x.pdf', '--type', 'birth', '--office', 'A', '--book', '  '])).toMatchObject({ code: 2, stderr: expect.stringContaining('bad_arguments') });
    expect(await run(['ingest', '/no/such/file.pdf', '--type', 'birth', '--office', 'A', '--book', '1'])).toMatchObject({ code: 2, stderr: expect.stringContaining('not_found') });
    expect(await run(['status', '--bogus'])).toMatchObject({ code: 2, stderr: expect.stringContaining('bad_arguments') });
    const badConfig = await run(['status'], { PORT: 'eighty', CIVREG_OCR_WORKERS: '-1' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('invalid_config');
    expect(badConfig.stderr).toContain('PORT');
    expect(badConfig.stderr).toContain('CIVREG_OCR_WORKERS');
  });

  it('ingests files, reports duplicates, and shows them in status --json', async () => {
    const file = join(p.dataDir, 'scan.png');
    const { textPage } = await import('./helpers/images.ts');
    await writeFile(file, await textPage(['Số: 1']));
    const args = ['ingest', file, '--office', 'HBT', '--type', 'birth', '--book', '01', '--year', '1999', '--json'];
    const first = await run(args);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).files[0]).toMatchObject({ status: 'queued' });
    const second = await run(args);
    expect(JSON.parse(second.stdout).files[0]).toMatchObject({ status: 'duplicate', duplicateOf: JSON.parse(first.stdout).files[0].uploadId });

    const status = await run(['status', '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.books).toHaveLength(1);
    expect(report.books[0]).toMatchObject({ registerType: 'birth', bookNo: '01', uploads: 2 });
    expect(report.uploadProblems).toEqual([expect.objectContaining({ status: 'duplicate' })]);
    expect(report.queues.ingest.queued).toBe(1);
  });

  it('ingests late pages into a book already ingested, by its key or its id, placed by their numbers', async () => {
    const { textPage } = await import('./helpers/images.ts');
    const [book] = await p.services.db.query<{ id: string }>(
      `insert into book (office_id, register_type, book_no, year_from, year_to)
       select id, 'birth', '07', 1999, 2001 from registry_office where code = 'HBT' returning id`);
    const late = async (name: string, args: string[]) => {
      const file = join(p.dataDir, name);
      await writeFile(file, await textPage([`Số: ${name.length}`, name]));
      return run(['ingest', file, '--late', '--json', ...args]);
    };
    // a book that does not exist yet gets no late pages (a typo would start a new book)
    const missing = await late('late-0.png', ['--office', 'HBT', '--type', 'birth', '--book', '08', '--year', '1999']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('civreg: book_not_found')]);
    expect((await late('late-00.png', ['--book-id', '999999'])).stderr).toContain('book_not_found');
    expect((await late('late-000.png', ['--book-id', book!.id, '--office', 'HBT'])).stderr).toContain('bad_arguments');
    const byKey = await late('late-1.png', ['--office', 'HBT', '--type', 'birth', '--book', '07', '--year', '1999']);
    expect(byKey.code).toBe(0);
    const byId = await late('late-22.png', ['--book-id', book!.id]);
    expect(byId.code).toBe(0);
    const ids = [byKey, byId].map((r) => JSON.parse(r.stdout).files[0].uploadId);
    const uploads = await p.services.db.query<{ bookId: string; placeByNumbers: boolean }>(
      `select book_id as "bookId", place_by_numbers as "placeByNumbers" from upload where id = any($1) order by id`, [ids]);
    expect(uploads).toEqual([{ bookId: book!.id, placeByNumbers: true }, { bookId: book!.id, placeByNumbers: true }]);
    // the book keeps its years
    const [years] = await p.services.db.query('select year_from as "from", year_to as "to" from book where id = $1', [book!.id]);
    expect(years).toEqual({ from: 1999, to: 2001 });
    // without --late, files are delivered in order, at the end of the book
    const first = JSON.parse((await run(['ingest', join(p.dataDir, 'scan.png'), '--book-id', book!.id, '--json'])).stdout).files[0];
    const [plain] = await p.services.db.query<{ placeByNumbers: boolean }>('select place_by_numbers as "placeByNumbers" from upload where id = $1', [first.uploadId]);
    expect(plain!.placeByNumbers).toBe(false);
  });

  it('finds the book of late pages by its number when no year is given, naming the candidates when several match', async () => {
    const { textPage } = await import('./helpers/images.ts');
    const addBook = async (bookNo: string, year: number) => (await p.services.db.query<{ id: string }>(
      `insert into book (office_id, register_type, book_no, year_from, year_to)
       select id, 'death', $1, $2, $2 from registry_office where code = 'HBT' returning id`, [bookNo, year]))[0]!.id;
    const late = async (name: string, args: string[]) => {
      const file = join(p.dataDir, name);
      await writeFile(file, await textPage([`Số: ${name.length}`, name]));
      return run(['ingest', file, '--late', '--json', ...args]);
    };
    const nameless = await late('late-none.png', []);
    expect([nameless.code, nameless.stderr]).toEqual([2, expect.stringContaining('--office/--type/--book or --book-id')]);
    const book = await addBook('02', 2010);
    const noYear = await late('late-noyear.png', ['--office', 'HBT', '--type', 'death', '--book', '02']);
    expect(noYear.code).toBe(0);
    // the number as staff write it, as the web upload matches it
    const bare = await late('late-bare.png', ['--office', 'HBT', '--type', 'death', '--book', '2']);
    expect(bare.code).toBe(0);
    const ids = [noYear, bare].map((r) => JSON.parse(r.stdout).files[0].uploadId);
    const books = await p.services.db.query<{ bookId: string }>('select book_id as "bookId" from upload where id = any($1)', [ids]);
    expect(books).toEqual([{ bookId: book }, { bookId: book }]);
    expect((await p.services.db.query('select count(*)::int as n from book where register_type = \'death\'')).at(0)).toEqual({ n: 1 });
    // a second book 02: which one is asked, each named with what picks it
    const other = await addBook('02', 2011);
    const ambiguous = await late('late-which.png', ['--office', 'HBT', '--type', 'death', '--book', '02']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('civreg: book_ambiguous');
    expect(ambiguous.stderr).toContain(`#${book} death 02 (2010): add --year 2010 or --book-id ${book}`);
    expect(ambiguous.stderr).toContain(`#${other} death 02 (2011): add --year 2011 or --book-id ${other}`);
    expect((await late('late-year.png', ['--office', 'HBT', '--type', 'death', '--book', '02', '--year', '2011'])).code).toBe(0);
  });

  // `civreg ingest` matches a book as the web upload does (bookForFiles): «2» of a year is the office's «02» of that year.
  it('ingests into the office’s book 02 when given 2, and asks on a near miss unless --new-book', async () => {
    const { textPage } = await import('./helpers/images.ts');
    const [book] = await p.services.db.query<{ id: string }>(
      `insert into book (office_id, register_type, book_no, year_from, year_to)
       select id, 'marriage', '02', 2000, 2000 from registry_office where code = 'HBT' returning id`);
    const ingest = async (name: string, args: string[]) => {
      const file = join(p.dataDir, name);
      await writeFile(file, await textPage([`Số: ${name.length}`, name]));
      return run(['ingest', file, '--office', 'HBT', '--type', 'marriage', '--json', ...args]);
    };
    const bare = await ingest('m-bare.png', ['--book', '2', '--year', '2000']);
    expect(bare.code).toBe(0);
    const [upload] = await p.services.db.query<{ bookId: string }>('select book_id as "bookId" from upload where id = $1', [JSON.parse(bare.stdout).files[0].uploadId]);
    expect(upload!.bookId).toBe(book!.id);
    const marriageBooks = async () => (await p.services.db.query<{ n: number }>(`select count(*)::int as n from book where register_type = 'marriage'`))[0]!.n;
    expect(await marriageBooks()).toBe(1);
    // no year where the book has 2000: asked, nothing stored; --new-book makes the new book the person means
    const noYear = await ingest('m-noyear.png', ['--book', '2']);
    expect([noYear.code, noYear.stderr]).toEqual([2, expect.stringContaining('civreg: book_ambiguous')]);
    expect(noYear.stderr).toContain(`#${book!.id} marriage 02 (2000): add --year 2000 or --book-id ${book!.id}`);
    expect(await marriageBooks()).toBe(1);
    expect((await ingest('m-new.png', ['--book', '2', '--new-book'])).code).toBe(0);
    expect(await marriageBooks()).toBe(2);
  });

  // A book named by its id is that book: not turned back into its number and matched again (a number stored with a
  // space, from before numbers were matched, would go to the office's «04» of the year).
  it('ingests into the book --book-id names, whatever other book its number would match', async () => {
    const { textPage } = await import('./helpers/images.ts');
    const { ensureBook } = await import('../src/db/books.ts');
    const spaced = { id: String(await ensureBook(p.services.db, { officeCode: 'HBT', registerType: 'death', bookNo: '4 ', yearFrom: 2004 })) };
    await ensureBook(p.services.db, { officeCode: 'HBT', registerType: 'death', bookNo: '04', yearFrom: 2004 });
    const file = join(p.dataDir, 'by-id.png');
    await writeFile(file, await textPage(['Số: 4', 'by id']));
    const byId = await run(['ingest', file, '--book-id', spaced.id, '--json']);
    expect(byId.code).toBe(0);
    const [upload] = await p.services.db.query<{ bookId: string }>('select book_id as "bookId" from upload where id = $1', [JSON.parse(byId.stdout).files[0].uploadId]);
    expect(String(upload!.bookId)).toBe(spaced.id);
  });

  it('exits 1 from fixity when a blob has gone', async () => {
    const ok = await run(['fixity', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ problems: [] });
    const [blob] = await p.services.db.query<{ sha256: string }>('select sha256 from blob limit 1');
    const { rm } = await import('node:fs/promises');
    await rm(join(p.dataDir, 'blobs', blob!.sha256.slice(0, 2), blob!.sha256.slice(2, 4), blob!.sha256));
    const broken = await run(['fixity', '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).problems).toEqual([{ sha256: blob!.sha256, status: 'missing' }]);
  });
});
