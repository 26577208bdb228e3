import sharp from 'sharp';
import { eraOfYear, pageJobSchema, type PageJob, type Era } from '../../schemas/jobs.ts';
import type { CorpusRegisterType } from '../../schemas/corpus.ts';
import { saveExtractedEntries } from '../db/entries.ts';
import { getCleanTable, recordPageResult, setPageStatus } from '../db/pages.ts';
import type { RunContext, Stage } from '../pipeline/stage.ts';
import type { BlobStore } from '../store/blobs.ts';
import { encodeFingerprint, fingerprintPage } from '../imaging/fingerprint.ts';
import { joinContinuationsAround, lockBookEntries, saveContinuation } from './continued.ts';
import { EXTRACT_VERSION, extractPageParts, pageTrust } from './extract.ts';
import { LAYOUTS } from './templates.ts';
import { printedPageNumbers } from './form.ts';
import type { Vocabulary } from './vocabulary.ts';
import { findRuledRows } from './ruled.ts';
import { AUTO_ACCEPT_THRESHOLD } from './routing.ts';
import { readUnsureValuesAgain, type ReadLine } from './second-reading.ts';
import { confirmIdFigures, type ReadFigures } from './id-reading.ts';
import { markStruckEntries } from './struck.ts';
import { clearAlignedTwins, typewrittenValues } from './typewriter.ts';
import { confirmClosedListEntries } from './closed-vocabulary.ts';
import { confirmValueTwins } from './value-twins.ts';
import { markHandwritten } from './handwriting.ts';
import { expectedEntries } from './unread.ts';
import { otherRegisterOfPage } from './register-of-page.ts';
import { placeMovedPages } from './page-place.ts';
import { holdPartialFullDates, holdRepeatedNumbers, holdYearsBelowRowTop } from './page-doubts.ts';
import type { OcrWord } from './words.ts';

interface PageForExtraction {
  status: string;
  bookId: number;
  registerType: string;
  era: Era | null;
  yearFrom: number | null;
  yearTo: number | null;
  width: number | null;
  height: number | null;
  words: OcrWord[] | null;
  cleanSha256: string | null;
}

export interface ExtractDeps extends RunContext {
  /** The clean page image, where struck-through entries are looked for and the page's fingerprint taken. */
  blobs: BlobStore;
  /** How names and causes of death are spelled in verified and existing records (cached: `cachedVocabulary`). */
  vocabulary?: () => Promise<Vocabulary>;
  /** Reads one line image again (the OCR pool, one line): unsure values on forms are read twice (src/extract/second-reading.ts). */
  readLine?: ReadLine;
  /** Reads an ID number's figures again (the OCR pool, one line, figures only): src/extract/id-reading.ts. */
  readFigures?: ReadFigures;
  /**
   * Which values are read twice: those of pages told typewritten and fitting the page's pitch (`typed`,
   * src/extract/typewriter.ts), forms' and ruled tables' alike, or every form's (`every_form`, for an
   * ablation; ruled tables' still only typed ones).
   */
  readAgain?: 'typed' | 'every_form';
  /**
   * Whether typed values of ruled tables are read twice too (`CIVREG_SECOND_READING=typed_tables`, the default since the
   * eleventh session: with the page checks of cell-checks.ts none wrong of 1,404 accepted on fresh seed 3113; `typed` reads forms only).
   */
  readTables?: boolean;
}

const EXTRACTABLE = new Set(['ocr_done', 'extracted', 'matched', 'routed']);

/** Turns a page's OCR words into register entries with typed fields (src/extract). */
export const extractStage: Stage<PageJob, ExtractDeps> = {
  name: 'extract',
  input: pageJobSchema,
  async run({ pageId }, deps) {
    const { sql } = deps;
    const [page] = await sql.query<PageForExtraction>(
      `select p.status, p.book_id as "bookId", b.register_type as "registerType", b.era, b.year_from as "yearFrom", b.year_to as "yearTo",
              p.clean_width as width, p.clean_height as height, o.words, p.clean_sha256 as "cleanSha256"
         from page p join book b on b.id = p.book_id left join page_ocr o on o.page_id = p.id
        where p.id = $1`,
      [pageId],
    );
    // any page that was read may be extracted again (`civreg rerun --stage extract` after a template change)
    if (!page || !page.words || !EXTRACTABLE.has(page.status)) return { outcome: 'done', forward: [] };
    const started = Date.now();
    // a book with no era given takes its years' era; a book of another register type, or with neither,
    // has no layout, and its pages go on without entries
    const era = page.era ?? (page.yearFrom !== null ? eraOfYear(page.yearFrom) : null);
    const layout = era !== null && page.registerType in LAYOUTS ? LAYOUTS[page.registerType as CorpusRegisterType][era] : undefined;
    const layoutKnown = layout !== undefined;
    const clean = page.cleanSha256 ? await deps.blobs.get(page.cleanSha256) : null;
    // a ruled page's rows are the bands between its printed rules, found whether or not OCR read the entry numbers
    // (where cleanup's rules step found the table, the rules it found are taken)
    const painted = layout?.kind === 'table' ? await getCleanTable(sql, pageId) : null;
    const ruled = clean && layout?.kind === 'table' ? await findRuledRows(clean, layout.columns.map((c) => c.width), painted?.rows ? { rows: painted.rows, columns: painted.columns } : null) : null;
    const vocabulary = await deps.vocabulary?.();
    const { entries, continuation } = layoutKnown
      ? extractPageParts({
          id: pageId, registerType: page.registerType as CorpusRegisterType, era: era!, yearFrom: page.yearFrom, yearTo: page.yearTo,
          width: page.width ?? 0, height: page.height ?? 0, words: page.words, ruled,
        }, vocabulary)
      : { entries: [], continuation: null };
    const { typed } = typewrittenValues(page.words, entries);
    // a typed value's figures with copies once their boxes meet are no longer lonely (before the second reading, which takes only values with no reason left)
    clearAlignedTwins(entries, page.words, typed);
    // a typed value read as exactly an entry of its closed list (sex, ethnicity, nationality, relation) needs no second reading
    // (the fields of an entry continued from the page before too: they join it later, src/extract/continued.ts)
    const continued = continuation ? [{ fields: continuation.fields, struck: false }] : [];
    if (layout) confirmClosedListEntries([...entries, ...continued], typed, AUTO_ACCEPT_THRESHOLD[layout.kind]);
    if (continuation && continued[0]) continuation.fields = continued[0].fields;
    // values OCR was unsure of are read a second time, only of typewritten pages: on hand-filled ones both
    // readings agree on the same misreadings; a ruled table's cell by cell, its rules painted out
    if (clean && layout && deps.readLine && (layout.kind === 'form' || deps.readTables)) {
      const everyForm = deps.readAgain === 'every_form' && layout.kind === 'form';
      const glyphs = { words: page.words, trust: pageTrust(page.words) };
      const options = layout.kind === 'table' ? { threshold: AUTO_ACCEPT_THRESHOLD.table, table: { words: page.words }, glyphs } : { threshold: AUTO_ACCEPT_THRESHOLD.form, glyphs };
      await readUnsureValuesAgain(entries, clean, deps.readLine, vocabulary, everyForm ? () => true : typed, options);
    }
    // values a hand wrote into a printed form go to people whatever one reading's confidence (src/extract/handwriting.ts)
    if (clean && layout?.kind === 'form' && entries.length > 0) {
      const { data, info } = await sharp(clean).greyscale().raw().toBuffer({ resolveWithObject: true });
      markHandwritten(entries, pageId, { data, width: info.width, height: info.height }, page.words, typewrittenValues(page.words, entries).typed);
    }
    // an ID number held only for a figure with no copy on the page, its figures read alike a second time (figures
    // only): a form's values not told hand-written, a ruled table's typed ones
    if (clean && layout && deps.readFigures) await confirmIdFigures(entries, clean, deps.readFigures, layout.kind === 'form' ? () => true : typed);
    if (clean && entries.length > 0) await markStruckEntries(entries, pageId, clean);
    // a typed name or place read surely once on the page confirms its unsure copies typed elsewhere on it (struck
    // entries known first: they vouch for nothing)
    if (layout) confirmValueTwins(entries, typed, AUTO_ACCEPT_THRESHOLD[layout.kind], vocabulary);
    // values the page's other entries put in doubt: a number read for two entries, a year-only date below its row's first line
    holdRepeatedNumbers(entries);
    if (layout) holdYearsBelowRowTop(entries, layout);
    holdPartialFullDates(entries);
    // the book check compares it with the book's other pages to find a page scanned twice
    if (clean) await sql.query('update page set fingerprint = $2 where id = $1', [pageId, encodeFingerprint(await fingerprintPage(clean))]);
    // the book's pages store their entries one at a time, so that the later of two pages joins an entry
    // that continues from one to the other, whichever is read first (src/extract/continued.ts)
    await lockBookEntries(sql, page.bookId);
    await saveExtractedEntries(sql, { id: pageId, bookId: page.bookId, registerType: page.registerType, era }, entries, EXTRACT_VERSION);
    await saveContinuation(sql, { id: pageId, bookId: page.bookId }, continuation);
    // a page moved in from another book is delivered last: it goes where its numbers do before its continuation is
    // joined onto the entry of the page before it (and a page placed anew by these numbers has its own joined again)
    await placeMovedPages(sql, page.bookId, pageId);
    await joinContinuationsAround(sql, page.bookId, pageId);
    const printed = page.words ? printedPageNumbers(page.words) : null;
    // how many entries the page's printed labels show, for the book checks' `entry_not_read` (src/extract/unread.ts)
    const expected = layoutKnown ? expectedEntries(page.words, page.registerType, era, ruled) : null;
    // a page printed for another register's form, filed into this book by mistake (src/extract/register-of-page.ts)
    const registerRead = layout?.kind === 'form' ? otherRegisterOfPage(page.words, page.registerType as CorpusRegisterType, era!) : null;
    await sql.query('update page set printed_page_no = $2, printed_page_last = $3, entries_expected = $4, register_read = $5 where id = $1',
      [pageId, printed?.first ?? null, printed?.last ?? null, expected, registerRead]);
    await setPageStatus(sql, pageId, 'extracted');
    await recordPageResult(sql, { pageId, stage: 'extract', engine: `${EXTRACT_VERSION} ${entries[0]?.template ?? 'none'}`, outcome: 'done', producedBy: deps.instance, ms: Date.now() - started });
    return { outcome: 'done', forward: [{ pageId }] };
  },
};
