/**
 * One page's entries: picks the layout of the book's register type and era, finds the entries with
 * the form or table extractor, types their fields and works out each entry's year.
 */
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import type { CorpusRegisterType } from '../../schemas/corpus.ts';
import type { Era } from '../../schemas/jobs.ts';
import { typeEntry } from './fields.ts';
import type { Vocabulary } from './vocabulary.ts';
import { parseNotes } from './notes.ts';
import { extractFormEntries } from './form.ts';
import type { RuledRows } from './ruled.ts';
import { extractTableEntries } from './table.ts';
import { LAYOUTS } from './templates.ts';
import type { OcrWord, PixelBox } from './words.ts';

/** Stored beside every entry: bump when extraction changes so re-runs can be told apart. */
export const EXTRACT_VERSION = 'extract-9';

export interface PageToExtract {
  id: number;
  registerType: CorpusRegisterType;
  era: Era;
  /** The book's years (an entry's year falls back to them when its own dates are unread). */
  yearFrom: number | null;
  yearTo: number | null;
  width: number;
  height: number;
  words: readonly OcrWord[];
  /** A ruled page's rules and row bands found on its clean image (src/extract/ruled.ts); rows start at the numbers read without them. */
  ruled?: RuledRows | null;
}

/**
 * The top of a page that continues the entry begun at the foot of the previous page: its fields (each with
 * this page and its box) and its region. Joined onto that entry once both pages are read (src/extract/continued.ts).
 */
export interface PageContinuation {
  region: PixelBox | null;
  fields: ExtractedField[];
}

export function extractPage(page: PageToExtract, vocabulary?: Vocabulary): ExtractedEntry[] {
  return extractPageParts(page, vocabulary).entries;
}

/** A page's entries, and the continuation of the previous page's last entry at its top, if any. */
export function extractPageParts(page: PageToExtract, vocabulary?: Vocabulary): { entries: ExtractedEntry[]; continuation: PageContinuation | null } {
  const layout = LAYOUTS[page.registerType][page.era];
  // a register the era did not keep: its pages are raised for keying by hand (page_without_entries)
  if (!layout) return { entries: [], continuation: null };
  const all = layout.kind === 'form' ? extractFormEntries(page.words, layout) : extractTableEntries(page.words, layout, page, page.ruled ?? null);
  const trust = pageTrust(page.words);
  const top = all[0]?.continuation ? all[0] : null;
  const found = top ? all.slice(1) : all;
  const continuation = top ? { region: top.region, fields: continuationFields(typeEntry(top, page.registerType, page.id, trust, vocabulary).fields) } : null;
  const entries = found.map((entry, seq) => {
    const typed = typeEntry(entry, page.registerType, page.id, trust, vocabulary);
    const notes = parseNotes(typed.fields.find((f) => f.field === 'notes')?.raw ?? '', typed.fields);
    // a field a note corrects or changes holds what the clerk wrote, often a slip ("Hẳng" corrected to Hằng):
    // OCR, whose language model leans to the common spelling, reads such a slip as the corrected value
    for (const field of typed.fields) {
      if (notes.some((note) => note.field === field.field) && !field.reasons.includes('changed_by_note')) field.reasons.push('changed_by_note');
    }
    return {
      year: entryYear(typed.fields.find((f) => f.field === 'registrationDate')?.value ?? null, typed.bookNo, page),
      entryNo: typed.entryNo,
      entryNoConfidence: typed.entryNoConfidence,
      seq,
      pageIds: [page.id],
      region: entry.region ? [{ pageId: page.id, box: entry.region }] : [],
      struck: false,
      template: layout.id,
      bookNoRead: typed.bookNoSure ? typed.bookNo : null,
      fields: typed.fields,
      notes,
    };
  });
  fillBracketedNumbers(entries);
  return { entries, continuation };
}

/**
 * What a continuation gives its entry: the values read, not the number (it has none) nor the placeholders
 * typing adds for required fields it does not hold (those are on the entry's first page).
 */
function continuationFields(fields: readonly ExtractedField[]): ExtractedField[] {
  return fields.filter((f) => f.field !== 'entryNo' && !(f.raw === '' && f.reasons.includes('missing_required')));
}

/**
 * An entry whose number OCR lost, between neighbours numbered n and n + 2 of the same year, is n + 1:
 * numbers run in order on a page. Nothing is guessed from one side only (a skipped number would make
 * the guess wrong, and the entry's fields would then belong to another entry).
 */
function fillBracketedNumbers(entries: ExtractedEntry[]): void {
  for (let i = 1; i + 1 < entries.length; i++) {
    const [before, entry, after] = [entries[i - 1]!, entries[i]!, entries[i + 1]!];
    if (entry.entryNo !== null || before.entryNo === null || after.entryNo !== before.entryNo + 2) continue;
    if (before.year === after.year && (entry.year === null || entry.year === before.year)) {
      entry.entryNo = before.entryNo + 1;
      entry.entryNoConfidence = Math.min(before.entryNoConfidence, after.entryNoConfidence);
      // the field shows the deduced number to the person who confirms it
      const field = entry.fields.find((f) => f.field === 'entryNo');
      if (field) Object.assign(field, { value: String(entry.entryNo), reasons: ['check_failed'], confidence: 0 });
      entry.year = before.year;
    }
  }
}

/** Share of a page's words read with confidence ≥ 0.9 at and above which the OCR's confidences are taken as they are. */
const TRUSTED_PAGE_SHARE = 0.9;

/**
 * How far a page's OCR confidences can be believed. On computer-printed pages nearly every word is read
 * at ≥ 0.9, and a word's confidence predicts its errors; on hand-filled forms with dotted leaders only
 * 40–60% are, and there the OCR is wrong even at 0.93 ("Thi" for "Thị"), so every confidence is scaled
 * down in proportion (development corpus: printed pages 0.94–0.99, the others 0.41–0.58).
 */
export function pageTrust(words: readonly OcrWord[]): number {
  // a word OCR read glued and cleanup split (`OcrWord.piece`) was one reading, with one confidence: counted once
  const read = words.filter((w) => (w.piece ?? 0) === 0);
  if (read.length === 0) return 0;
  const share = read.filter((w) => w.confidence >= 0.9).length / read.length;
  return Math.min(1, share / TRUSTED_PAGE_SHARE);
}

/**
 * Entry numbers restart every year, so the year is part of an entry's identity: the registration
 * date's year, else the year in "Quyển số 01/2020", else the book's only year.
 */
function entryYear(registration: string | null, bookNo: string | null, page: PageToExtract): number | null {
  const inRange = (y: number) => (page.yearFrom === null || y >= page.yearFrom) && (page.yearTo === null || y <= page.yearTo);
  const fromDate = registration ? Number(registration.slice(0, 4)) : NaN;
  if (Number.isInteger(fromDate) && inRange(fromDate)) return fromDate;
  const fromBookNo = bookNo ? Number(/\/(\d{4})$/.exec(bookNo)?.[1]) : NaN;
  if (Number.isInteger(fromBookNo) && inRange(fromBookNo)) return fromBookNo;
  return page.yearFrom !== null && page.yearFrom === page.yearTo ? page.yearFrom : null;
}
