/**
 * Book checks: problems of a whole book found from its entries in page order, per year: entry numbers
 * skipped (an entry gap, or a missing page when many are skipped across a page break), repeated or out
 * of order, pages scanned twice (by their numbers, and by their pixels: src/imaging/fingerprint.ts), entries struck through (src/extract/struck.ts), and registration
 * dates outside the book's years; missing and doubled pages from the printed page numbers as well. Each becomes a
 * `book_issue` naming its page and entry. A page that was read but gave no entry (hand-writing OCR
 * cannot follow, a register type without a layout) is raised too, so that no page is left unkeyed
 * without anyone knowing. Run again whenever a page of the book settles; issues a
 * person dismissed stay dismissed.
 */
import type { BookIssueKind } from '../../schemas/entries.ts';
import type { Sql } from '../db/sql.ts';
import { CHANGE_FIELDS } from './change-judging.ts';
import { resolveChange, resolveChanges } from './changes.ts';
import { orphanContinuations } from './continued.ts';
import { findPageNumberIssues, withoutMisreads, type BookPage } from './page-numbers.ts';
import { compareBookPages, numberedApart, pagesWrittenAlike } from './rescans.ts';
import { reviewPriority } from './routing.ts';

export interface BookEntry {
  id: number;
  pageId: number;
  /** Delivery order of the page within the book. */
  pageOrder: number;
  /** The number printed on the page ("Trang 103"), when read. */
  printedPageNo: number | null;
  /** The last number printed on the image, when it shows two facing pages; else the same as printedPageNo. */
  printedPageLast?: number | null;
  year: number | null;
  entryNo: number | null;
  /** The number was accepted (machine sure, or confirmed by a person): only such numbers are judged. */
  numberSure: boolean;
  /** Only when accepted or verified: a misread year must not raise an issue. */
  registrationDate: string | null;
  /** Struck through by the clerk: not a record, but it used up its number. */
  struck: boolean;
  /** Keyed by a person (an entry extraction did not find): stored after the page's others. */
  keyed?: boolean;
}

export interface BookIssue {
  kind: BookIssueKind;
  year: number | null;
  pageId: number;
  entryId: number | null;
  detail: Record<string, unknown>;
}

/** Two pages sharing at least this share of their entry numbers are one page scanned twice. */
const SAME_PAGE_OVERLAP = 0.6;

/**
 * `unreadOnPage`: per page, entries it holds that extraction did not find (pageShortfalls): a number skipped
 * next to such a page is most likely that entry's, so no gap is claimed for it until a person keys it.
 */
export function findBookIssues(entries: readonly BookEntry[], book: { yearFrom: number | null; yearTo: number | null }, unreadOnPage: ReadonlyMap<number, number> = new Map()): BookIssue[] {
  const issues: BookIssue[] = [];
  // a page's judged numbers tell a second scan of it, unsure ones read in a run too
  const pages = groupPages(entries, new Set(judgedNumbers(entries)));
  const rescans = new Set<number>();
  for (let i = 0; i < pages.length; i++) {
    for (let j = 0; j < i; j++) {
      if (rescans.has(pages[j]!.pageId)) continue;
      if (overlap(pages[i]!.keys, pages[j]!.keys) >= SAME_PAGE_OVERLAP) {
        rescans.add(pages[i]!.pageId);
        issues.push({ kind: 'duplicate_page', year: null, pageId: pages[i]!.pageId, entryId: null, detail: { of: pages[j]!.pageId } });
        break;
      }
    }
  }
  const kept = pages.filter((p) => !rescans.has(p.pageId));
  const unreadLeft = new Map(unreadOnPage);
  const perPage = median(kept.map((p) => p.entries.length));
  const reading = kept.flatMap((p) => p.entries);
  const ordered = inSequence(judgedNumbers(reading));
  for (let i = 1; i < ordered.length; i++) {
    const b = ordered[i]!;
    const restart = newYear(ordered[i - 1]!, b);
    if (ordered[i - 1]!.year !== b.year && !restart) continue;
    // numbering starts again at 1 each year: a year's first number read is judged against the 0 before it
    const a = restart ? { ...ordered[i - 1]!, year: b.year, entryNo: 0 } : ordered[i - 1]!;
    let skipped = b.entryNo! - a.entryNo! - 1;
    // a run of unsure numbers may share a misread digit (33, 34, 35 read 53, 54, 55): next to one, only a jump
    // a lost page or a clerk's skip can make is claimed, never a step back
    if (!(a.numberSure && b.numberSure) && (skipped < 0 || skipped > 2 * Math.max(perPage, CLERK_SKIPS))) continue;
    // A struck entry between them used up a number (its own, however it was read), or was written
    // again under the same number: neither is a gap nor a repeat.
    const between = reading.slice(reading.indexOf(ordered[i - 1]!) + 1, reading.indexOf(b));
    const struck = between.filter((e) => e.struck).length;
    if (struck > 0) {
      if (skipped === -1) continue;
      skipped = Math.max(0, skipped - struck);
    }
    // entries between them whose numbers were not read surely most likely hold the next numbers
    const unread = Math.min(Math.max(0, skipped), between.filter((e) => !e.struck).length);
    skipped -= unread;
    // entries not read at all on the pages from a's to b's hold the next numbers just as well; each explains one number once
    if (skipped > 0) skipped -= takeUnread(unreadLeft, pages, a, b, skipped);
    if (skipped > 0) {
      // at a new year across a page break the old year's last numbers are lost as well: a page, however few of the new year's
      const gaps = entryGaps(a, b, between, skipped, unread);
      // a lost page takes numbers in one run: numbers missing on both sides of an entry between are gaps
      if (a.pageId !== b.pageId && gaps.length === 1 && (restart || pageMissingBetween(a, b, skipped, perPage))) {
        issues.push({ kind: 'missing_page', year: b.year, pageId: b.pageId, entryId: b.id, detail: { after: a.entryNo, before: b.entryNo } });
      } else {
        issues.push(...gaps);
      }
    } else if (skipped === -1) {
      issues.push({ kind: 'entry_repeat', year: b.year, pageId: b.pageId, entryId: b.id, detail: { entryNo: b.entryNo } });
    } else if (skipped < -1) {
      issues.push({ kind: 'entry_order', year: b.year, pageId: b.pageId, entryId: b.id, detail: { after: a.entryNo, entryNo: b.entryNo } });
    }
  }
  for (const e of entries) {
    if (e.struck) {
      issues.push({ kind: 'struck_entry', year: e.year, pageId: e.pageId, entryId: e.id, detail: { entryNo: e.entryNo } });
      continue;
    }
    const y = e.registrationDate ? Number(e.registrationDate.slice(0, 4)) : null;
    if (y === null || book.yearFrom === null) continue;
    if (y < book.yearFrom || y > (book.yearTo ?? book.yearFrom)) {
      issues.push({ kind: 'date_outside_book', year: y, pageId: e.pageId, entryId: e.id, detail: { registrationDate: e.registrationDate } });
    }
  }
  return issues;
}

/**
 * Whether `b` is the first number of a new year after `a`: a later year, its number lower (the numbering
 * started again; a year misread on one entry shows no such step down).
 */
const newYear = (a: BookEntry, b: BookEntry) => a.year !== null && b.year !== null && b.year > a.year && b.entryNo! < a.entryNo!;

/**
 * The entry gaps between judged numbers `a` and `b`, `skipped` numbers in all. When the entries between them
 * (struck, or read unsurely) were all read in order within the room, their readings place the gap: each run
 * of numbers none of them holds is a gap, named on the entry after it (…28, 29 struck, 31, 32: 30 is missing,
 * before 31). Otherwise the `unread` entries between take the first numbers and the gap is named on `b`.
 */
function entryGaps(a: BookEntry, b: BookEntry, between: readonly BookEntry[], skipped: number, unread: number): BookIssue[] {
  const read = between.map((e) => e.entryNo);
  const placed = read.every((n, i) => n !== null && n > a.entryNo! && n < b.entryNo! && (i === 0 || n > read[i - 1]!));
  const free = placed ? range(a.entryNo! + 1, b.entryNo! - 1).filter((n) => !read.includes(n)) : [];
  if (!placed || free.length !== skipped) {
    const missing = range(a.entryNo! + 1 + unread, a.entryNo! + unread + Math.min(skipped, 50));
    return [{ kind: 'entry_gap', year: b.year, pageId: b.pageId, entryId: b.id, detail: { after: a.entryNo, missing } }];
  }
  const issues: BookIssue[] = [];
  for (let k = 0; k < free.length; ) {
    let end = k;
    while (end + 1 < free.length && free[end + 1] === free[end]! + 1) end++;
    const next = between.find((e) => e.entryNo! > free[end]!) ?? b;
    issues.push({ kind: 'entry_gap', year: b.year, pageId: next.pageId, entryId: next.id, detail: { after: free[k]! - 1, missing: free.slice(k, Math.min(end + 1, k + 50)) } });
    k = end + 1;
  }
  return issues;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);

/**
 * Numbers of struck entries read wrongly: a struck entry is not routed to a person, so its number stays as
 * read. Between two numbers read with exactly as many entries between as numbers (…50, struck, 52…) each
 * entry holds the next number, and so do struck entries alone between numbers further apart when no reading of
 * theirs fits between; a struck one read otherwise (57) is filed under that. Returns entry id → number.
 */
export function struckEntryNumbers(entries: readonly BookEntry[]): Map<number, number> {
  const numbers = new Map<number, number>();
  // any number read is a witness here: two neighbours that leave room for exactly the entries between them agree
  const ordered = entries.filter((e) => e.entryNo !== null && e.year !== null && !e.struck);
  for (let i = 1; i < ordered.length; i++) {
    const [a, b] = [ordered[i - 1]!, ordered[i]!];
    if (a.year !== b.year) continue;
    const between = entries.slice(entries.indexOf(a) + 1, entries.indexOf(b));
    if (between.length === 0 || between.length > b.entryNo! - a.entryNo! - 1) continue;
    // with numbers skipped as well, struck entries none of whose readings fits between took the numbers right after `a`
    // (a clerk strikes an entry and writes the next at once); otherwise a reading that fits may be right
    const fits = (e: BookEntry) => e.entryNo !== null && e.entryNo > a.entryNo! && e.entryNo < b.entryNo!;
    if (between.length < b.entryNo! - a.entryNo! - 1 && !between.every((e) => e.struck && !fits(e))) continue;
    between.forEach((e, k) => {
      if (e.struck && e.entryNo !== a.entryNo! + 1 + k) numbers.set(e.id, a.entryNo! + 1 + k);
    });
  }
  return numbers;
}

/**
 * Takes up to `wanted` unread entries from the pages a's page to b's page (delivery order), and returns how
 * many it took. An entry between two others is on one of their pages or on a page between them.
 */
function takeUnread(left: Map<number, number>, pages: readonly { pageId: number }[], a: BookEntry, b: BookEntry, wanted: number): number {
  const [from, to] = [pages.findIndex((p) => p.pageId === a.pageId), pages.findIndex((p) => p.pageId === b.pageId)];
  let taken = 0;
  for (const page of pages.slice(Math.max(0, from), to + 1)) {
    if (taken >= wanted) break;
    const n = Math.min(left.get(page.pageId) ?? 0, wanted - taken);
    if (n > 0) left.set(page.pageId, (left.get(page.pageId) ?? 0) - n);
    taken += n;
  }
  return taken;
}

/** A page and the entries found starting on it, against how many its printed layout shows (src/extract/unread.ts). */
export interface PageCount {
  pageId: number;
  expected: number | null;
  found: number;
}

/**
 * Pages holding entries extraction did not find: more entry blocks by their printed labels (forms), or written
 * bands between their rules (ruled books), than entries found starting there (struck and hand-keyed entries count
 * as found). A page with no entry at all is
 * `page_without_entries` already. Returns per page how many are missing.
 */
export function pageShortfalls(pages: readonly PageCount[]): Map<number, number> {
  return new Map(pages.flatMap((p) => (p.expected !== null && p.found > 0 && p.expected > p.found ? [[p.pageId, p.expected - p.found] as const] : [])));
}

/**
 * Entries whose accepted number fits neither neighbour (a misread digit, 163 between 182 and 184, the
 * neighbours read surely or not): the "entry number in sequence" check. Their number is not trusted, and
 * goes back to a person.
 */
export function numbersOutOfSequence(entries: readonly BookEntry[]): BookEntry[] {
  // every number read is a witness here, sure or not: at worst a sure number goes to a person once more
  const read = entries.filter((e) => e.entryNo !== null && e.year !== null && !e.struck);
  const kept = new Set(inSequence(read));
  return read.filter((e) => e.numberSure && !kept.has(e));
}

/**
 * Entries whose number is judged: of a known year, not struck, and read surely (or confirmed), or read
 * unsurely within a run of at least three numbers read one after another (41, 42, 43). One misread digit, or the
 * same digit misread in neighbouring entries, seldom makes such a run; without them a book whose numbers are
 * hand-written would show no gap until a person confirmed every number.
 */
export function judgedNumbers(entries: readonly BookEntry[]): BookEntry[] {
  const numbered = entries.filter((e) => e.entryNo !== null && e.year !== null && !e.struck);
  const follows = (a: BookEntry | undefined, b: BookEntry | undefined) => a !== undefined && b !== undefined && a.year === b.year && b.entryNo! - a.entryNo! === 1;
  const inRun = new Set<BookEntry>();
  for (let i = 0; i + 2 < numbered.length; i++) {
    const [a, b, c] = [numbered[i], numbered[i + 1], numbered[i + 2]];
    if (follows(a, b) && follows(b, c)) [a!, b!, c!].forEach((e) => inRun.add(e));
  }
  return numbered.filter((e) => e.numberSure || inRun.has(e));
}

/** Entry numbers without the misread ones, each year its own sequence. */
const inSequence = (sure: readonly BookEntry[]) => withoutMisreads(sure, (e) => e.entryNo!, (a, b) => a.year === b.year);

/** Numbers a clerk skips at most by mistake: more at a page break, on pages of more rows than that, is a page lost. */
const CLERK_SKIPS = 2;

/**
 * Whether numbers skipped at a page break are a missing page: the printed page numbers say so when both
 * were read; otherwise half a page's worth of numbers or more is more likely a page than skipped numbers,
 * except on pages of more than CLERK_SKIPS entries (a ruled book's 3–7 rows), where a lost page takes more
 * than half a page and more than the number or two a clerk skips.
 */
function pageMissingBetween(a: BookEntry, b: BookEntry, skipped: number, perPage: number): boolean {
  if (a.printedPageNo !== null && b.printedPageNo !== null) return b.printedPageNo - (a.printedPageLast ?? a.printedPageNo) > 1;
  if (perPage > CLERK_SKIPS) return skipped > Math.max(CLERK_SKIPS, perPage / 2);
  return skipped >= Math.max(1, Math.round(perPage / 2));
}

function groupPages(entries: readonly BookEntry[], judged: ReadonlySet<BookEntry>) {
  const pages = new Map<number, { pageId: number; order: number; entries: BookEntry[]; keys: Set<string> }>();
  for (const e of entries) {
    const page = pages.get(e.pageId) ?? { pageId: e.pageId, order: e.pageOrder, entries: [], keys: new Set<string>() };
    page.entries.push(e);
    if (e.entryNo !== null && (e.numberSure || judged.has(e))) page.keys.add(`${e.year}/${e.entryNo}`);
    pages.set(e.pageId, page);
  }
  return [...pages.values()].sort((a, b) => a.order - b.order);
}

function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const key of a) if (b.has(key)) shared++;
  return shared / Math.min(a.size, b.size);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const issueKey = (i: { kind: string; pageId: number | null; entryId: number | null }) => `${i.kind}:${i.pageId}:${i.entryId}`;
/** An issue found (`i`) is a stored one (`b`) when it says the same thing of the same place. */
const SAME_ISSUE = `b.kind = i.kind and b.year is not distinct from i.year and b.page_id is not distinct from i.page_id
  and b.entry_id is not distinct from i.entry_id and b.detail = i.detail`;

/** Advisory lock class of the book checks (1: uploads of a book, 2: storing its entries, 4: keying a page's entries, 5: resolving changes). */
const BOOK_CHECK_LOCK = 3;
/** Fields the book checks read: a person deciding one can change what they find. */
/** Fields the checks of the whole book read (the numbering, the dates against the book's years). */
const BOOK_FIELDS = new Set(['entryNo', 'registrationDate']);

/**
 * Runs the book checks again after a person decided `field` of an entry, when the checks read it: a gap
 * next to an entry number the machine was unsure of shows only once a person has confirmed the number. A field
 * only a change's reference reads judges that change again, not its whole register.
 */
export async function recheckBookAfterDecision(sql: Sql, entryId: number, field: string): Promise<void> {
  const changeField = (CHANGE_FIELDS as readonly string[]).includes(field);
  if (!BOOK_FIELDS.has(field) && !changeField) return;
  const [entry] = await sql.query<{ bookId: number; registerType: string }>('select book_id as "bookId", register_type as "registerType" from entry where id = $1', [entryId]);
  if (!entry) return;
  if (!BOOK_FIELDS.has(field)) {
    if (entry.registerType === 'change') await resolveChange(sql, entryId);
    return;
  }
  // the pages' pixels did not change: the rescans found when they were read stand
  await checkBook(sql, entry.bookId, { comparePages: false });
}

/**
 * Recomputes a book's issues once none of its pages is still in the pipeline. Open issues found again are
 * kept, the others replaced; an issue a person dismissed is not raised again, one they marked put right is
 * raised again while it is still found.
 */
export async function checkBook(sql: Sql, bookId: number, options: { comparePages: boolean } = { comparePages: true }): Promise<BookIssue[] | null> {
  // two checks of one book (the route stage, a verifier's decision) would each replace the other's issues
  await sql.query('select pg_advisory_xact_lock($1, $2::int)', [BOOK_CHECK_LOCK, bookId]);
  const [busy] = await sql.query<{ n: number }>(
    `select count(*)::int as n from page where book_id = $1 and status in ('ingested', 'cleaned', 'ocr_done', 'extracted', 'matched')`,
    [bookId],
  );
  if (busy!.n > 0) return null;
  const [book] = await sql.query<{ yearFrom: number | null; yearTo: number | null }>(`select year_from as "yearFrom", year_to as "yearTo" from book where id = $1`, [bookId]);
  if (options.comparePages) await compareBookPages(sql, bookId);
  const allEntries = await sql.query<BookEntry & { keyed: boolean }>(
    `select e.id, e.page_id as "pageId", row_number() over (order by u.seq, p.file_index, p.part)::int as "pageOrder", p.printed_page_no as "printedPageNo", p.printed_page_last as "printedPageLast", e.year,
            coalesce(n.value::int, e.entry_no) as "entryNo", coalesce(n.status in ('auto_accepted', 'verified'), false) as "numberSure",
            (select f.value from entry_field f where f.entry_id = e.id and f.field = 'registrationDate' and f.status in ('auto_accepted', 'verified')) as "registrationDate",
            e.struck, e.keyed_by is not null as keyed
       from entry e join page p on p.id = e.page_id join upload u on u.id = p.upload_id
       left join entry_field n on n.entry_id = e.id and n.field = 'entryNo' and n.value ~ '^[0-9]{1,6}$'
      where e.book_id = $1
      order by u.seq, p.file_index, p.part, e.seq`,
    [bookId],
  );
  const pages = await sql.query<BookPage>(
    `select p.id as "pageId", p.printed_page_no as "printedPageNo", p.printed_page_last as "printedPageLast" from page p join upload u on u.id = p.upload_id
      where p.book_id = $1 and p.status <> 'duplicate' order by u.seq, p.file_index, p.part`,
    [bookId],
  );
  const fromPageNumbers = findPageNumberIssues(pages);
  const rescanned = await pagesWrittenAlike(sql, bookId, allEntries);
  // a page whose printed number repeats an earlier page's is a second scan too, unless their entry numbers tell them apart
  const numberedTwice = fromPageNumbers.filter((i) => i.kind === 'duplicate_page' && !numberedApart(allEntries, i.pageId, i.detail.of as number));
  const rescannedIds = new Set([...rescanned, ...numberedTwice].map((r) => r.pageId));
  // a second scan's entries repeat the first scan's: they are that page's issue, not repeats in the numbering
  const entries = allEntries.filter((e) => !rescannedIds.has(e.pageId));
  // pages whose pixels repeat an earlier page were never read: they are page rescans all the same
  const sameImage = await sql.query<{ pageId: number; of: number }>(`select id as "pageId", duplicate_of as "of" from page where book_id = $1 and status = 'duplicate'`, [bookId]);
  // a file of this book delivered again under another name is not read twice (src/db/uploads.ts), but the copy
  // may stand where another page's scan was meant to go: named on the first page of the file it repeats
  const copiedFiles = await sql.query<{ pageId: number; file: string; copyFile: string; copyUpload: number }>(
    `select distinct on (d.id) p.id as "pageId", o.file_name as file, d.file_name as "copyFile", d.id as "copyUpload"
       from upload d join upload o on o.id = d.duplicate_of join page p on p.upload_id = o.id
      where d.book_id = $1 and d.status = 'duplicate' and o.book_id = d.book_id and d.file_name <> o.file_name
      order by d.id, p.file_index, p.part`,
    [bookId],
  );
  const unextracted = await sql.query<{ pageId: number }>(
    `select p.id as "pageId" from page p where p.book_id = $1 and p.status = 'routed' and not exists (select 1 from entry e where e.page_id = p.id)`, [bookId]);
  const orphans = await orphanContinuations(sql, bookId);
  const counts = await sql.query<PageCount>(
    `select p.id as "pageId", p.entries_expected as expected, (select count(*)::int from entry e where e.page_id = p.id) as found
       from page p where p.book_id = $1 and p.status = 'routed' and p.entries_expected is not null`, [bookId]);
  const shortfalls = pageShortfalls(counts);
  const inBookOrder = await fileStruckEntries(sql, placeKeyedEntries(entries));
  const fromEntries = findBookIssues(inBookOrder, book ?? { yearFrom: null, yearTo: null }, shortfalls);
  // the page numbers add what the entries could not show; a page already named for the same problem is not named twice
  const named = new Set(fromEntries.map((i) => `${i.kind}:${i.pageId}`));
  const issues = [
    ...fromEntries,
    ...fromPageNumbers.filter((i) => !named.has(`${i.kind}:${i.pageId}`)),
    ...sameImage.map((d): BookIssue => ({ kind: 'duplicate_page', year: null, pageId: d.pageId, entryId: null, detail: { of: d.of, identicalImage: true } })),
    ...rescanned
      .filter((r) => !named.has(`duplicate_page:${r.pageId}`))
      .map((r): BookIssue => ({ kind: 'duplicate_page', year: null, pageId: r.pageId, entryId: null, detail: { of: r.of, similarImage: Math.round(r.similarity * 1000) / 1000 } })),
    ...unextracted.map((p): BookIssue => ({ kind: 'page_without_entries', year: null, pageId: p.pageId, entryId: null, detail: {} })),
    ...copiedFiles.map(({ pageId, ...detail }): BookIssue => ({ kind: 'file_delivered_twice', year: null, pageId, entryId: null, detail })),
  ];
  // the top of a page that continues an entry nobody found: a person places it (a second scan's is that scan's issue)
  const rescans = new Set(issues.filter((i) => i.kind === 'duplicate_page').map((i) => i.pageId));
  issues.push(...orphans.filter((o) => !rescans.has(o.pageId)).map((o): BookIssue => ({ kind: 'orphan_continuation', year: null, pageId: o.pageId, entryId: null, detail: { fields: o.fields } })));
  // entries not read on a page: a person keys them (src/review/keying.ts); on a second scan they are the first scan's
  for (const [pageId, missing] of shortfalls) {
    if (rescans.has(pageId)) continue;
    const count = counts.find((c) => c.pageId === pageId)!;
    issues.push({ kind: 'entry_not_read', year: null, pageId, entryId: null, detail: { expected: count.expected, found: count.found, missing } });
  }
  // a register of changes ties its entries to the entries they change; a register they refer to lets them find it
  issues.push(...(await resolveChanges(sql, bookId)));
  await returnNumbersToReview(sql, numbersOutOfSequence(inBookOrder).map((e) => e.id));
  // a person said it is no problem of the book: not raised again (one put right that is still found comes back)
  const dismissed = await sql.query<{ kind: string; pageId: number | null; entryId: number | null }>(
    `select kind, page_id as "pageId", entry_id as "entryId" from book_issue where book_id = $1 and status = 'dismissed'`, [bookId]);
  const decided = new Set(dismissed.map(issueKey));
  const fresh = issues.filter((i) => !decided.has(issueKey(i)));
  // open issues found again keep their row (and id: a person may have its page open), the others go, new ones come
  await sql.query(
    `with found as (select * from jsonb_to_recordset($2::jsonb) as i(kind text, year int, page_id bigint, entry_id bigint, detail jsonb)),
          gone as (delete from book_issue b where b.book_id = $1 and b.status = 'open' and not exists (select 1 from found i where ${SAME_ISSUE}))
     insert into book_issue (book_id, kind, year, page_id, entry_id, detail)
     select $1, i.kind, i.year, i.page_id, i.entry_id, i.detail from found i
      where not exists (select 1 from book_issue b where b.book_id = $1 and b.status = 'open' and ${SAME_ISSUE})`,
    [bookId, JSON.stringify(fresh.map((i) => ({ kind: i.kind, year: i.year, page_id: i.pageId, entry_id: i.entryId, detail: i.detail })))],
  );
  return fresh;
}

/**
 * Entries keyed by hand are stored after a page's extracted ones (src/review/keying.ts); in the numbering
 * each goes where its number puts it on its page: before the first entry of its page numbered higher.
 */
export function placeKeyedEntries<T extends BookEntry & { keyed?: boolean }>(entries: readonly T[]): T[] {
  const placed: T[] = entries.filter((e) => !e.keyed);
  for (const keyed of entries.filter((e) => e.keyed)) {
    const samePage = placed.filter((e) => e.pageId === keyed.pageId);
    const after = samePage.find((e) => e.entryNo !== null && keyed.entryNo !== null && e.year === keyed.year && e.entryNo > keyed.entryNo);
    const at = after ? placed.indexOf(after) : samePage.length ? placed.indexOf(samePage.at(-1)!) + 1 : placed.length;
    placed.splice(at, 0, keyed);
  }
  return placed;
}

/** Files struck entries read under a wrong number under the number their place gives (struckEntryNumbers). */
async function fileStruckEntries<T extends BookEntry>(sql: Sql, entries: T[]): Promise<T[]> {
  const numbers = struckEntryNumbers(entries);
  if (numbers.size === 0) return entries;
  await sql.query(
    `update entry e set entry_no = n.no, updated_at = now() from jsonb_to_recordset($1::jsonb) as n(id bigint, no int)
      where e.id = n.id and e.struck and e.entry_no is distinct from n.no
        and not exists (select 1 from entry_field f where f.entry_id = e.id and f.field = 'entryNo' and f.status = 'verified')`,
    [JSON.stringify([...numbers].map(([id, no]) => ({ id, no })))],
  );
  return entries.map((e) => (numbers.has(e.id) ? { ...e, entryNo: numbers.get(e.id)! } : e));
}

/** Sends machine-accepted entry numbers back to review (a number a person confirmed stays). */
async function returnNumbersToReview(sql: Sql, entryIds: number[]): Promise<void> {
  if (entryIds.length === 0) return;
  const returned = await sql.query<{ entryId: number }>(
    `update entry_field set status = 'review', reasons = array['check_failed'], updated_at = now()
      where entry_id = any($1) and field = 'entryNo' and status = 'auto_accepted' returning entry_id as "entryId"`,
    [entryIds],
  );
  for (const { entryId } of returned) {
    await sql.query(`insert into review_item (kind, entry_id, field, priority) values ('field', $1, 'entryNo', $2) on conflict do nothing`, [entryId, reviewPriority('entryNo')]);
    await sql.query(`update entry set status = 'needs_review', updated_at = now() where id = $1 and status = 'verified'`, [entryId]);
  }
}
