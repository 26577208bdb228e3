import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import type { PgBoss } from 'pg-boss';
import { ensureBook } from '../../src/db/books.ts';
import { exportBook } from '../../src/export/book.ts';
import { buildServer } from '../../src/http/server.ts';
import { addAccount, as, signIn } from '../http/web-helpers.ts';
import { createLocalBlobStore, type BlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { FAST_QUEUE_ENV } from '../helpers/services.ts';
import { seedBook, seedEntry } from './seed.ts';

const CLI = fileURLToPath(new URL('../../bin/civreg.js', import.meta.url));

/** Every member of a zip file, by name. */
async function readZip(path: string): Promise<Map<string, Buffer>> {
  const zip = await promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open)(path, { lazyEntries: true });
  const members = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => (members.set(entry.fileName, Buffer.concat(chunks)), zip.readEntry()));
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return members;
}

/** A colour A4 scan at 300 dpi: yellowed paper, ruled lines and text. */
async function colourScan(): Promise<Buffer> {
  const lines = Array.from({ length: 30 }, (_, i) => `<text x="150" y="${250 + i * 100}" font-size="48" fill="#203060">Họ và tên: Nguyễn Thị Thu Hà ${i}</text><line x1="120" x2="2360" y1="${265 + i * 100}" y2="${265 + i * 100}" stroke="#888"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2480" height="3508"><rect width="100%" height="100%" fill="#f3e9c8"/>${lines}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toBuffer();
}

describe('civreg export', () => {
  let t: TestDatabase;
  let dir: string;
  let blobs: BlobStore;
  let bookId: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'civreg-export-'));
    blobs = createLocalBlobStore(join(dir, 'blobs'));
    const scan = await colourScan();
    const { sha256, bytes } = await blobs.put(scan);
    await t.db.query(`insert into blob (sha256, bytes, media_type) values ($1, $2, 'image/jpeg')`, [sha256, bytes]);
    const at = await seedBook(t.db, { officeCode: 'Phường Bạch Mai', registerType: 'birth', bookNo: '01/KS', yearFrom: 1962 });
    bookId = at.bookId;
    await t.db.query(`update page set original_sha256 = $1, clean_sha256 = $1, format = 'jpeg' where id = $2`, [sha256, at.pageId]);
    // OCR words on the cleaned page, in its pixels (the scan's first text line is at y≈250).
    const words = [
      { text: 'Họ', confidence: 0.9, box: [150, 205, 70, 55], line: 0 }, { text: 'và', confidence: 0.9, box: [230, 205, 60, 55], line: 0 },
      { text: 'tên:', confidence: 0.9, box: [300, 205, 90, 55], line: 0 }, { text: 'Nguyễn', confidence: 0.9, box: [400, 205, 170, 55], line: 0 },
      { text: 'Thị', confidence: 0.9, box: [580, 205, 80, 55], line: 0 }, { text: 'Thu', confidence: 0.9, box: [670, 205, 90, 55], line: 0 },
      { text: 'Hà', confidence: 0.9, box: [770, 205, 60, 55], line: 0 },
    ];
    await t.db.query(`insert into page_ocr (page_id, engine, text, mean_confidence, words, lines) values ($1, 'test', 'x', 0.9, $2, '[]')`, [at.pageId, JSON.stringify(words)]);
    await seedEntry(t.db, at, { year: 1962, entryNo: 1, registerType: 'birth', fields: { fullName: 'Nguyễn Thị Thu Hà', birthDate: '1962-03-15', sex: 'female' } });
    await seedEntry(t.db, at, { year: 1962, entryNo: 2, registerType: 'birth', fields: { fullName: 'Trần Văn Bình', birthDate: '1962-03-16' },
      events: [{ kind: 'correction', field: 'fullName', oldValue: 'Trần Văn Binh', newValue: 'Trần Văn Bình', date: '1970-01-01', raw: 'x' }] });
    await seedEntry(t.db, at, { year: 1962, entryNo: 3, registerType: 'birth', fields: { fullName: { value: 'Lê Văn ?', status: 'review', source: 'machine' } } });
    await seedEntry(t.db, at, { year: 1962, entryNo: 4, registerType: 'birth', struck: true, fields: { fullName: 'Gạch Bỏ' } });
  });
  afterAll(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('zips a spreadsheet with one row per verified entry and one compact PDF per entry, named by book and entry', async () => {
    const out = join(dir, 'out');
    await (await import('node:fs/promises')).mkdir(out);
    const result = await exportBook({ db: t.db, blobs }, bookId, out);
    expect(result).toMatchObject({ entries: 2, skipped: 2, pages: 2 });
    expect(result.path).toBe(join(out, 'phuong-bach-mai_birth_01-ks_1962.zip'));
    const members = await readZip(result.path);
    expect([...members.keys()].sort()).toEqual([
      'phuong-bach-mai_birth_01-ks_1962.xlsx', 'phuong-bach-mai_birth_01-ks_1962_1962_1.pdf', 'phuong-bach-mai_birth_01-ks_1962_1962_2.pdf', 'phuong-bach-mai_birth_01-ks_1962_book.pdf',
    ]);

    // The whole book: the scan with its OCR words as an invisible, extractable text layer.
    const book = members.get('phuong-bach-mai_birth_01-ks_1962_book.pdf')!;
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const task = pdfjs.getDocument({ data: new Uint8Array(book) });
    const bookDoc = await task.promise;
    expect(bookDoc.numPages).toBe(1);
    const items = (await (await bookDoc.getPage(1)).getTextContent()).items.flatMap((i) => ('str' in i ? [i] : []));
    await task.destroy();
    expect(items.map((i) => i.str).join('').replace(/\s+/g, ' ')).toContain('Họ và tên: Nguyễn Thị Thu Hà');
    // Placed where the word is on the image: "Nguyễn" starts at 400 px of 2480 across an A4 width.
    const nguyen = items.find((i) => i.str.startsWith('Nguy'))!;
    expect(nguyen.transform[4]).toBeCloseTo((400 / 2480) * 595.28, 0);

    const pdf = members.get('phuong-bach-mai_birth_01-ks_1962_1962_1.pdf')!;
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
    expect(pdf.length).toBeLessThan(130_000);
    expect(pdf.length).toBeGreaterThan(30_000);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(members.get('phuong-bach-mai_birth_01-ks_1962.xlsx')! as never);
    const sheet = workbook.getWorksheet('Sổ')!;
    expect(sheet.rowCount).toBe(3);
    const header = sheet.getRow(1).values as string[];
    expect(header).toContain('Họ, chữ đệm, tên');
    expect(header).toContain('Ngày, tháng, năm sinh');
    const first = sheet.getRow(2).values as unknown[];
    expect(first).toContain('Nguyễn Thị Thu Hà');
    expect(first).toContain('1962-03-15');
    expect(first).toContain('trang 12');
    expect(String((sheet.getRow(3).values as unknown[]).find((v) => String(v).includes('correction')))).toContain('Trần Văn Bình');
    const left = workbook.getWorksheet('Không xuất')!;
    expect(left.rowCount).toBe(3);
    expect(String(left.getRow(3).values)).toContain('gạch bỏ');
  });

  it("shows in an entry's PDF only its own page of a scanned spread, not the facing page", async () => {
    // a 2000 x 1400 scan of two facing pages, the gutter at x = 1200: cleanup kept each page's half as its crop
    const spread = await sharp({ create: { width: 2000, height: 1400, channels: 3, background: '#f3e9c8' } }).jpeg().toBuffer();
    const { sha256, bytes } = await blobs.put(spread);
    await t.db.query(`insert into blob (sha256, bytes, media_type) values ($1, $2, 'image/jpeg') on conflict do nothing`, [sha256, bytes]);
    const at = await seedBook(t.db, { officeCode: 'Phường Bạch Mai', registerType: 'death', bookNo: '07', yearFrom: 2008 });
    const halves = [[0, 0, 1200, 1400], [1200, 0, 800, 1400]];
    const [right] = await t.db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, part, label, status) select book_id, upload_id, file_index, 1, 'trang 13', 'routed' from page where id = $1 returning id`, [at.pageId]);
    for (const [i, pageId] of [at.pageId, right!.id].entries()) {
      const [, , w, h] = halves[i]!;
      await t.db.query(
        `update page set original_sha256 = $2, clean_sha256 = $2, format = 'jpeg', width = 2000, height = 1400, clean_width = $3, clean_height = $4, clean_transform = $5, clean_steps = '{greyscale,split:1200}' where id = $1`,
        [pageId, sha256, w, h, JSON.stringify({ rotate: 0, skewDeg: 0, crop: halves[i], scale: 1 })]);
    }
    await seedEntry(t.db, { bookId: at.bookId, pageId: right!.id }, { year: 2008, entryNo: 5, registerType: 'death', fields: { fullName: 'Đỗ Văn Hải', deathDate: '2008-04-02' } });
    const out = join(dir, 'spread');
    await (await import('node:fs/promises')).mkdir(out);
    const members = await readZip((await exportBook({ db: t.db, blobs }, at.bookId, out)).path);
    const pdf = [...members].find(([name]) => name.endsWith('_2008_5.pdf'))![1];
    // A4 wide, as tall as the right-hand page's proportions (800 x 1400), not the spread's (2000 x 1400)
    const [page] = (await PDFDocument.load(pdf)).getPages();
    expect(page!.getWidth()).toBeCloseTo(595.28, 1);
    expect(page!.getHeight()).toBeCloseTo((1400 / 800) * 595.28, 0);
  });

  it('is a download for signed-in staff of the book\'s office, audited', async () => {
    const app = buildServer({ db: t.db, boss: {} as PgBoss, blobs, uploadDir: join(dir, 'incoming'), maxUploadBytes: 1, ocr: null, workersRunning: () => false });
    await ensureBook(t.db, { officeCode: 'Xã Khác', registerType: 'birth', bookNo: '09' });
    await addAccount(t.db, 'can-bo', 'staff', ['Phường Bạch Mai']);
    await addAccount(t.db, 'can-bo-khac', 'staff', ['Xã Khác']);
    await addAccount(t.db, 'kiem-tra', 'verifier', ['Phường Bạch Mai']);
    try {
      const { session } = await signIn(app, 'can-bo');
      const page = await as(app, session, { url: `/books/${bookId}` });
      expect(page.body).toContain(`<a class="export" href="/books/${bookId}/export.zip" download>Tải bản xuất lưu trữ</a>`);
      const response = await as(app, session, { url: `/books/${bookId}/export.zip` });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/zip');
      expect(response.headers['content-disposition']).toContain('phuong-bach-mai_birth_01-ks_1962.zip');
      expect(response.rawPayload.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
      const [audit] = await t.db.query<{ actor: string; detail: unknown }>(`select actor, detail from audit_event where action = 'export_book'`);
      expect(audit).toMatchObject({ actor: 'can-bo', detail: { entries: 2, skipped: 2 } });
      expect((await as(app, (await signIn(app, 'can-bo-khac')).session, { url: `/books/${bookId}/export.zip` })).statusCode).toBe(403);
      expect((await as(app, (await signIn(app, 'kiem-tra')).session, { url: `/books/${bookId}/export.zip` })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: `/books/${bookId}/export.zip` })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('runs from the command line', async () => {
    const out = join(dir, 'cli');
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'export', '--book', String(bookId), '--out', out, '--json'], {
      env: { ...process.env, ...FAST_QUEUE_ENV, DATABASE_URL: t.url, CIVREG_DATA_DIR: dir },
    });
    expect(JSON.parse(stdout)).toMatchObject({ entries: 2, skipped: 2 });
    expect(await readdir(out)).toEqual(['phuong-bach-mai_birth_01-ks_1962.zip']);
    const [audit] = await t.db.query<{ actor: string; detail: unknown }>(`select actor, detail from audit_event where action = 'export_book' and detail->>'via' = 'cli'`);
    expect(audit).toMatchObject({ actor: expect.stringMatching(/^cli:/), detail: { entries: 2, skipped: 2 } });
    await expect(promisify(execFile)(process.execPath, [CLI, 'export', '--book', '999999'], { env: { ...process.env, ...FAST_QUEUE_ENV, DATABASE_URL: t.url, CIVREG_DATA_DIR: dir } })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('civreg: not_found') });
  });
});
