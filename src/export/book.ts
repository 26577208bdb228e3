import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { FIELD_KEYS } from '../../schemas/corpus.ts';
import type { ApiRecord } from '../../schemas/api.ts';
import { loadRecords, RECORD_FROM, VERIFIED_ENTRY_SQL } from '../api/records.ts';
import { FIELD_LABELS, formatDate } from '../certified/content.ts';
import type { Sql } from '../db/sql.ts';
import type { BlobStore } from '../store/blobs.ts';
import { foldDiacritics } from '../text/normalise.ts';
import { compactScan } from './scan.ts';
import { ownRegionOfScan, type ScanGeometry } from '../imaging/transform.ts';
import { scanGeometrySql } from '../db/pages.ts';
import { searchableBookPdf } from './searchable.ts';
import { openZip } from './zip.ts';

/**
 * The archive export of one book, in the shape of the ministry's digitisation guidance: a spreadsheet
 * with one row per entry (the structured fields) and one compact colour PDF per entry (its page scans,
 * about 100 kB a page), named by book and entry, and the whole book as one searchable PDF (scans with an
 * invisible OCR text layer), in one zip. Only verified records are exported; the
 * entries left out are listed with why in the spreadsheet's second sheet.
 */
export interface BookExportResult {
  path: string;
  entries: number;
  skipped: number;
  pdfBytes: number;
  pages: number;
}

interface BookRow {
  id: number;
  officeCode: string;
  officeName: string;
  registerType: keyof typeof FIELD_KEYS | 'other';
  bookNo: string;
  yearFrom: number | null;
}

/** ASCII, no separators: safe in any archive tool and file system. */
const slug = (text: string) => foldDiacritics(text).replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'x';

export async function exportBook(
  deps: { db: Sql; blobs: BlobStore },
  bookId: number,
  outDir: string,
  progress: (done: number, total: number) => void = () => {},
): Promise<BookExportResult> {
  const [book] = await deps.db.query<BookRow>(
    `select b.id, o.code as "officeCode", o.name as "officeName", b.register_type as "registerType", b.book_no as "bookNo", b.year_from as "yearFrom"
       from book b join registry_office o on o.id = b.office_id where b.id = $1`,
    [bookId],
  );
  if (!book) throw new Error(`book ${bookId} does not exist`);
  if (book.registerType === 'other') throw new Error(`book ${bookId} has no export layout (register type "other")`);
  const entries = await deps.db.query<{ id: number; year: number | null; entryNo: number | null; pageIds: number[]; verified: boolean; struck: boolean }>(
    `select e.id, e.year, e.entry_no as "entryNo", case when cardinality(e.page_ids) > 0 then e.page_ids else array[e.page_id] end as "pageIds",
            ${VERIFIED_ENTRY_SQL} as verified, (e.struck or e.status = 'struck') as struck
       ${RECORD_FROM} where e.book_id = $1 order by e.year nulls last, e.entry_no nulls last, e.id`,
    [bookId],
  );
  // pg returns bigint[] as strings.
  for (const e of entries) e.pageIds = e.pageIds.map(Number);
  const verified = entries.filter((e) => e.verified);
  const records = new Map((await loadRecords(deps.db, verified.map((e) => e.id), () => true)).map((r, i) => [verified[i]!.id, r]));
  const prefix = `${slug(book.officeCode)}_${book.registerType}_${slug(book.bookNo)}${book.yearFrom ? `_${book.yearFrom}` : ''}`;
  const pageRows = await deps.db.query<{ id: number; sha256: string | null; label: string; fromOriginal: boolean } & ScanGeometry>(
    `select p.id, coalesce(p.original_sha256, p.clean_sha256) as sha256, p.label, p.original_sha256 is not null as "fromOriginal",
            ${scanGeometrySql('p')}
       from page p where p.book_id = $1`,
    [bookId],
  );
  const pages = new Map(pageRows.map((p) => [p.id, p]));

  const outPath = join(outDir, `${prefix}.zip`);
  const zip = openZip(outPath);
  let pdfBytes = 0;
  let pageCount = 0;
  const compactPages = new Map<number, Buffer>();
  try {
    for (const [i, entry] of verified.entries()) {
      const doc = await PDFDocument.create();
      for (const pageId of entry.pageIds) {
        const page = pages.get(pageId);
        if (!page?.sha256) continue;
        let jpeg = compactPages.get(pageId);
        if (!jpeg) {
          jpeg = await compactScan(await deps.blobs.get(page.sha256), (page.fromOriginal && ownRegionOfScan(page)) || undefined);
          compactPages.clear(); // consecutive entries share a page; older ones are not needed again
          compactPages.set(pageId, jpeg);
        }
        const image = await doc.embedJpg(jpeg);
        // A4 width, height by the scan's proportions.
        const width = 595.28;
        const height = (image.height / image.width) * width;
        doc.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
        pageCount++;
      }
      doc.setTitle(`${book.officeName} – ${book.bookNo} – ${entry.year ?? ''}/${entry.entryNo ?? ''}`);
      const bytes = await doc.save();
      pdfBytes += bytes.length;
      await zip.add(`${prefix}_${entry.year ?? 'x'}_${entry.entryNo ?? `e${entry.id}`}.pdf`, bytes);
      progress(i + 1, verified.length);
    }
    const bookPdf = await searchableBookPdf(deps, bookId, `${book.officeName} – ${book.bookNo}`);
    if (bookPdf) await zip.add(`${prefix}_book.pdf`, bookPdf);
    const skipped = entries.filter((e) => !e.verified).map((e) => ({ ...e, why: e.struck ? 'Mục bị gạch bỏ' : 'Chưa kiểm tra xong (còn trường chờ duyệt)' }));
    await zip.add(`${prefix}.xlsx`, await spreadsheet(book, verified.map((e) => ({ entry: e, record: records.get(e.id)!, pages })), skipped));
    await zip.close();
    return { path: outPath, entries: verified.length, skipped: skipped.length, pdfBytes, pages: pageCount };
  } catch (error) {
    await zip.close().catch(() => {});
    throw error;
  }
}

async function spreadsheet(
  book: BookRow,
  rows: Array<{ entry: { id: number; year: number | null; entryNo: number | null; pageIds: number[] }; record: ApiRecord; pages: Map<number, { label: string }> }>,
  skipped: Array<{ year: number | null; entryNo: number | null; why: string }>,
): Promise<Buffer> {
  const keys = FIELD_KEYS[book.registerType as keyof typeof FIELD_KEYS];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'civreg';
  const sheet = workbook.addWorksheet('Sổ');
  sheet.columns = [
    { header: 'Năm', key: 'year', width: 8 },
    { header: 'Số', key: 'entryNo', width: 8 },
    { header: 'Quyển số', key: 'bookNo', width: 10 },
    { header: 'Trang', key: 'pages', width: 12 },
    ...keys.map((k) => ({ header: FIELD_LABELS[k] ?? k, key: k, width: 24 })),
    { header: 'Ghi chú bên lề', key: 'events', width: 40 },
    { header: 'Mã hồ sơ', key: 'recordId', width: 38 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const { entry, record, pages } of rows) {
    sheet.addRow({
      year: entry.year,
      entryNo: entry.entryNo,
      bookNo: book.bookNo,
      pages: entry.pageIds.map((id) => pages.get(id)?.label ?? '').join(', '),
      ...Object.fromEntries(keys.map((k) => [k, record.fields[k]?.value ?? ''])),
      events: record.events.map((ev) => `${ev.date ? `${formatDate(ev.date)}: ` : ''}${ev.kind}${ev.field ? ` ${ev.field}` : ''}${ev.newValue ? ` → ${ev.newValue}` : ''}`).join('; '),
      recordId: record.id,
    });
  }
  const left = workbook.addWorksheet('Không xuất');
  left.columns = [{ header: 'Năm', key: 'year', width: 8 }, { header: 'Số', key: 'entryNo', width: 8 }, { header: 'Lý do', key: 'why', width: 50 }];
  left.getRow(1).font = { bold: true };
  for (const s of skipped) left.addRow(s);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
