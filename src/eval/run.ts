import { join } from 'node:path';
import type { ManifestBook } from '../../schemas/corpus.ts';
import { mapBoxToOriginal, type CleanTransform, type Size } from '../imaging/transform.ts';
import { waitUntilSettled, type ProgressSink } from '../pipeline/settle.ts';
import { receiveFiles } from '../ingest/receive.ts';
import type { ScratchPipeline } from '../pipeline/scratch.ts';
import type { Corpus } from './corpus.ts';
import type { StoredIssue } from './metrics/book-checks.ts';
import type { StoredEntry } from './metrics/extraction.ts';
import type { Database } from '../db/sql.ts';
import { normalBookNo, type BookKey } from '../db/books.ts';
import { checkBook } from '../extract/book-checks.ts';

/** A stored OCR line or word (page_ocr.lines / page_ocr.words). */
export interface OcrText {
  text: string;
  confidence: number;
  box: [number, number, number, number];
}

/** What the pipeline made of one delivered image (a page of a file). */
export interface ProcessedPage {
  pageId: number;
  status: string;
  reason: string | null;
  originalSha256: string | null;
  /** OCR of this page, or of the page it duplicates, boxes on the delivered image; null when it was never read. */
  ocr: { lines: OcrText[]; words: OcrText[] } | null;
  /**
   * The same OCR words on the clean (upright) image, with the transform that maps the delivered
   * image onto it: a page turned 90° is compared in its reading direction, not sideways.
   */
  cleanFrame: { transform: CleanTransform; size: Size; words: OcrText[] } | null;
}

export interface CorpusRun {
  /**
   * Keyed by `<corpus-relative file>#<page within file>`, as truth pages name them; the right page of a
   * spread the pipeline split is `…#<page within file>/1` (`truthPageKeys` pairs truth pages with them).
   */
  pages: Map<string, ProcessedPage>;
  /** Pipeline wall time from the first file received to the last page settled. */
  seconds: number;
  pageCount: number;
  /** Per stage, the mean time a page spent in it (ms, page_result.ms): the OCR stage's, and extract's with its second readings. */
  stageMsPerPage?: Record<string, number>;
  /** Entries and book issues the pipeline stored, keyed to the corpus's books and delivered pages. */
  entries: StoredEntry[];
  issues: StoredIssue[];
  /**
   * A file received again with the same bytes (a scan delivered twice) → the file first received: civreg records
   * it as a duplicate upload and reads no page of it, so it has no rows in `pages` (`withSameFiles` gives it its twin's).
   */
  sameFiles?: Map<string, string>;
}

/**
 * `run.pages` with the pages of each file received twice (`run.sameFiles`) under its own name too, as the
 * pages it duplicates: the OCR of a scan delivered twice is its first copy's, as for a page found the same
 * scan as another (`duplicate_of`), not a page lost.
 *
 * @example
 * withSameFiles({ pages: new Map([['b23/page1.png#0', p]]), sameFiles: new Map([['b23/page4.png', 'b23/page1.png']]) }).get('b23/page4.png#0'); // p
 */
export function withSameFiles(run: Pick<CorpusRun, 'pages' | 'sameFiles'>): Map<string, ProcessedPage> {
  const pages = new Map(run.pages);
  for (const [file, first] of run.sameFiles ?? []) {
    for (const [key, page] of run.pages) if (key.startsWith(`${first}#`) && !pages.has(`${file}${key.slice(first.length)}`)) pages.set(`${file}${key.slice(first.length)}`, page);
  }
  return pages;
}

export const pageKey = (file: string, filePage: number, part = 0) => (part === 0 ? `${file}#${filePage}` : `${file}#${filePage}/${part}`);

/**
 * The processed page each truth page was read on. Two facing pages in one image are two truth pages on
 * one file page: when the pipeline split the image, the first (left) truth page is on the image's row
 * and the second on the right page's row; when it did not, both are on the image's row.
 *
 * @example
 * truthPageKeys(truth.pages, run.pages).get(truth.pages[3]); // 'b01/book.pdf#2/1'
 */
export function truthPageKeys<T extends { file: string; filePage: number; index: number }>(truthPages: readonly T[], pages: ReadonlyMap<string, unknown>): Map<T, string> {
  const keys = new Map<T, string>();
  const seen = new Map<string, number>();
  for (const page of [...truthPages].sort((a, b) => a.index - b.index)) {
    const image = pageKey(page.file, page.filePage);
    const part = seen.get(image) ?? 0;
    seen.set(image, part + 1);
    keys.set(page, pages.has(pageKey(page.file, page.filePage, part)) ? pageKey(page.file, page.filePage, part) : image);
  }
  return keys;
}

/**
 * Feeds every book of the corpus through the real pipeline, as staff would upload it (files in
 * page order, one book each), waits until every page is settled and collects what was read.
 */
export async function runCorpus(pipeline: ScratchPipeline, corpus: Corpus, progress: ProgressSink): Promise<CorpusRun> {
  const { services } = pipeline;
  const started = Date.now();
  const fileOfUpload = new Map<number, string>();
  const sameFiles = new Map<string, string>();
  const seenBookKeys: BookKey[] = [];
  for (const { book } of corpus.books) {
    const received = await receiveFiles(
      { ...services, maxUploadBytes: pipeline.config.CIVREG_MAX_UPLOAD_BYTES },
      bookKeyFor(book, seenBookKeys),
      book.files.map((file) => join(corpus.dir, file)),
      'eval',
    );
    received.forEach((r, i) => fileOfUpload.set(r.uploadId, book.files[i]!));
    for (const [i, r] of received.entries()) if (r.status === 'duplicate' && r.duplicateOf !== null && fileOfUpload.has(r.duplicateOf)) sameFiles.set(book.files[i]!, fileOfUpload.get(r.duplicateOf)!);
  }
  const uploadIds = [...fileOfUpload.keys()];
  await waitUntilSettled(services.db, uploadIds, progress);
  const seconds = (Date.now() - started) / 1000;

  const rows = await services.db.query<{
    upload_id: number;
    file_index: number;
    part: number;
    id: number;
    status: string;
    reason: string | null;
    original_sha256: string | null;
    width: number | null;
    height: number | null;
    transform: CleanTransform | null;
    lines: OcrText[] | null;
    words: OcrText[] | null;
  }>(
    `select p.upload_id, p.file_index, p.part, p.id, p.status, p.reason, p.original_sha256, p.width, p.height,
            read.clean_transform as transform, o.lines, o.words
       from page p
       left join page read on read.id = coalesce(p.duplicate_of, p.id)
       left join page_ocr o on o.page_id = read.id
      where p.upload_id = any($1)`,
    [uploadIds],
  );
  const pages = new Map<string, ProcessedPage>();
  for (const row of rows) {
    pages.set(pageKey(fileOfUpload.get(row.upload_id)!, row.file_index, row.part), {
      pageId: row.id,
      status: row.status,
      reason: row.reason,
      originalSha256: row.original_sha256,
      ocr: row.lines && row.words ? { lines: toOriginal(row.lines, row), words: toOriginal(row.words, row) } : null,
      cleanFrame: row.words && row.transform && row.width !== null && row.height !== null
        ? { transform: row.transform, size: { width: row.width, height: row.height }, words: row.words }
        : null,
    });
  }
  const stages = await services.db.query<{ stage: string; ms: number }>(
    `select stage, avg(ms)::float8 as ms from page_result where page_id = any($1) and ms is not null group by stage`,
    [rows.map((r) => r.id)],
  );
  const stageMsPerPage = Object.fromEntries(stages.map((s) => [s.stage, Math.round(s.ms)]));
  return { pages, seconds, pageCount: rows.length, stageMsPerPage, sameFiles, ...(await collectExtraction(services.db, corpus, pages)) };
}

/** OCR boxes are on the clean image; truth boxes on the delivered one: map through the clean transform. */
function toOriginal(items: OcrText[], page: { width: number | null; height: number | null; transform: CleanTransform | null }): OcrText[] {
  const { transform, width, height } = page;
  if (!transform || width === null || height === null) return items;
  return items.map((item) => ({ ...item, box: mapBoxToOriginal(item.box, transform, { width, height }) }));
}

/**
 * A corpus may hold two copies of one book (same office, type, number and year), or two books civreg would take for
 * one or ask about ("2" of 2000 and "02" of 2000 are one book; "2" with no year and "02" of 2000 only nearly match,
 * BookAmbiguousError): in civreg they would be one book or a question, so the later is told apart by its corpus id.
 * Numbers are compared as bookForFiles compares them (normalBookNo, a missing year meets any year).
 */
export function bookKeyFor(book: ManifestBook, seen: BookKey[]): BookKey {
  // the years on its cover, as staff would give them at upload, wrong ones included (a fault the checks should raise)
  const years = book.statedYears ?? book.years;
  const year = years[0] ?? null;
  const meets = (other: BookKey) => other.officeCode === book.office && other.registerType === book.registerType
    && normalBookNo(other.bookNo) === normalBookNo(book.bookNo) && (other.yearFrom == null || year === null || other.yearFrom === year);
  const bookNo = seen.some(meets) ? `${book.bookNo} (${book.id})` : book.bookNo;
  const key: BookKey = { officeCode: book.office, officeName: book.office, registerType: book.registerType, bookNo, yearFrom: year, yearTo: years.at(-1) ?? null, era: book.era };
  seen.push(key);
  return key;
}

/**
 * The book issues and entries once review is settled (src/eval/settle.ts, src/eval/keying.ts): the book checks
 * run again on every book, as a person's decision on an entry number or registration date makes them run
 * (recheckBookAfterDecision), and the entries are read back with those people keyed.
 */
export async function extractionAfterReview(db: Database, corpus: Corpus, run: Pick<CorpusRun, 'pages'>): Promise<Pick<CorpusRun, 'entries' | 'issues'>> {
  const pageIds = [...run.pages.values()].map((p) => p.pageId);
  const books = await db.query<{ id: number }>('select distinct book_id as id from page where id = any($1)', [pageIds]);
  for (const { id } of books) await db.transaction((tx) => checkBook(tx, id));
  return collectExtraction(db, corpus, run.pages);
}

/**
 * Per book, a truth page's index → the index naming the processed page it was read on (the first truth page
 * read there, as collectExtraction names entries and issues): two facing pages the pipeline did not split are
 * one processed page.
 */
export function pageNaming(corpus: Corpus, pages: ReadonlyMap<string, ProcessedPage>): (book: string, index: number) => number {
  const naming = new Map<string, number>();
  for (const { book, truth } of corpus.books) {
    const keys = truthPageKeys(truth.pages, pages);
    const first = new Map<number, number>();
    for (const page of [...truth.pages].sort((a, b) => a.index - b.index)) {
      const pageId = pages.get(keys.get(page)!)?.pageId;
      if (pageId !== undefined && !first.has(pageId)) first.set(pageId, page.index);
      naming.set(`${book.id}#${page.index}`, pageId === undefined ? page.index : first.get(pageId)!);
    }
  }
  return (book, index) => naming.get(`${book}#${index}`) ?? index;
}

/** The corpus book each processed page came from (by the file it was read from). */
export function bookOfPages(corpus: Corpus, pages: ReadonlyMap<string, ProcessedPage>): Map<number, string> {
  const bookOfFile = new Map(corpus.books.flatMap(({ book }) => book.files.map((file) => [file, book.id] as const)));
  return new Map([...pages].flatMap(([key, page]) => {
    const book = bookOfFile.get(key.slice(0, key.lastIndexOf('#')));
    return book ? [[page.pageId, book] as const] : [];
  }));
}

/** Reads back the entries, fields and book issues of the corpus's pages. */
export async function collectExtraction(db: Database, corpus: Corpus, pages: Map<string, ProcessedPage>): Promise<Pick<CorpusRun, 'entries' | 'issues'>> {
  const where = new Map<number, { book: string; index: number }>();
  for (const { book, truth } of corpus.books) {
    const keys = truthPageKeys(truth.pages, pages);
    for (const page of truth.pages) {
      const processed = pages.get(keys.get(page)!);
      // a page delivered twice in one image file maps to the same row twice; the first index names it
      if (processed && !where.has(processed.pageId)) where.set(processed.pageId, { book: book.id, index: page.index });
    }
  }
  const pageIds = [...where.keys()];
  const rows = await db.query<{ id: string; page_id: number; page_ids: string[]; seq: number; year: number | null; entry_no: number | null; struck: boolean; fields: StoredEntry['fields'] | null; notes: StoredEntry['notes'] | null; changes: StoredEntry['changes'] | null; change_reason: string | null }>(
    `select e.id, e.page_id, e.page_ids, e.seq, e.year, e.entry_no, e.struck,
            (select jsonb_object_agg(f.field, jsonb_build_object('value', f.value, 'raw', f.raw, 'status', f.status, 'reasons', f.reasons, 'confidence', f.confidence)) from entry_field f where f.entry_id = e.id) as fields,
            (select jsonb_agg(jsonb_build_object('kind', n.kind, 'field', n.field, 'newValue', n.new_value, 'date', n.event_date)) from entry_event n where n.entry_id = e.id and n.source_entry_id is null) as notes,
            (select jsonb_agg(jsonb_build_object('target', c.entry_id, 'kind', c.kind, 'field', c.field, 'newValue', c.new_value, 'date', c.event_date)) from entry_event c where c.source_entry_id = e.id) as changes,
            (select r.reason from change_reference r where r.entry_id = e.id) as change_reason
       from entry e where e.page_id = any($1)`,
    [pageIds],
  );
  const issues = await db.query<{ page_id: number | null; kind: string; year: number | null; entry_no: number | null; detail: Record<string, unknown> }>(
    `select i.page_id, i.kind, i.year, e.entry_no, i.detail from book_issue i left join entry e on e.id = i.entry_id where i.page_id = any($1)`,
    [pageIds],
  );
  return {
    entries: rows.map((r) => ({
      id: Number(r.id), book: where.get(r.page_id)!.book, page: where.get(r.page_id)!.index, seq: r.seq, year: r.year, entryNo: r.entry_no, struck: r.struck, fields: r.fields ?? {}, notes: r.notes ?? [],
      ...(r.changes ? { changes: r.changes.map((c) => ({ ...c, target: Number(c.target) })) } : {}),
      ...(r.change_reason ? { changeReason: r.change_reason } : {}),
      pages: r.page_ids.map((id) => where.get(Number(id))?.index ?? -1),
    })),
    issues: issues.map((i) => ({ book: where.get(i.page_id!)!.book, kind: i.kind, year: i.year, page: where.get(i.page_id!)!.index, entryNo: i.entry_no, detail: i.detail })),
  };
}
