/**
 * Book checks: problems of a whole book found from its entries in page order, per year: entry numbers
 * skipped (an entry gap, or a missing page when many are skipped across a page break), repeated or out
 * of order, pages scanned twice (by their numbers, and by their pixels: src/imaging/fingerprint.ts), entries struck through (src/extract/struck.ts), and registration
 * dates outside the book's years; missing and doubled pages from the printed page numbers as well. Each becomes a
 * `book_issue` naming its page and entry. A page that was read but gave no entry (hand-writing OCR
 * cannot follow, a register type without a layout) is raised too, so that no page is left unkeyed
 * without anyone knowing. Run again whenever a page of the book settles; issues a
 * person dismissed stay dismissed. The numbering itself is judged in src/extract/numbering.ts; this file reads the
 * book and stores what is found.
 */
import type { Sql } from '../db/sql.ts';
import { REPEATED_IN_BOOK, spelledOtherwise, type RepeatedValue } from './book-spelling.ts';
import { CHANGE_FIELDS } from './change-judging.ts';
import { resolveChange, resolveChanges } from './changes.ts';
import { misfiledPagesOf } from './misfiled.ts';
import { placeMovedPages } from './page-place.ts';
import { orphanContinuations } from './continued.ts';
import { routePageFields } from './route-fields.ts';
import {
  findBookIssues, judgedNumbers, numbersOutOfSequence, pageShortfalls, placeKeyedEntries, type BookEntry, type BookIssue, type PageCount,
} from './numbering.ts';
import { withYearsOfBook } from './book-years.ts';
import { struckEntryNumbers } from './struck-numbers.ts';
import { findPageNumberIssues, misreadAlikeBetween, type BookPage } from './page-numbers.ts';
import { compareBookPages, numberedApart, onPageSetAsideSql, pagesWrittenAlike } from './rescans.ts';
import { pagesNamedAlike } from './rescans-named.ts';
import { reviewPriority } from './routing.ts';
import { holdLinks } from '../db/matches.ts';
import { acceptBookTwins, withdrawBookTwins } from './book-twins.ts';
import { FREE_TEXT } from './value-twins.ts';
import { fieldKind } from './values.ts';
import type { Vocabulary } from './vocabulary.ts';

const issueKey = (i: { kind: string; pageId: number | null; entryId: number | null }) => `${i.kind}:${i.pageId}:${i.entryId}`;
/** An issue found (`i`) is a stored one (`b`) when it says the same thing of the same place. */
const SAME_ISSUE = `b.kind = i.kind and b.year is not distinct from i.year and b.page_id is not distinct from i.page_id
  and b.entry_id is not distinct from i.entry_id and b.detail = i.detail`;

/** Advisory lock class of the book checks (1: uploads of a book, 2: storing its entries, 4: keying a page's entries, 5: resolving changes). */
const BOOK_CHECK_LOCK = 3;
/** Fields the checks of the whole book read (the numbering, the dates against the book's years). */
const BOOK_FIELDS = new Set(['entryNo', 'registrationDate']);

/**
 * A value the checks judge as read (SQL on `entry_field f`): accepted, confirmed by a person, or sent back to a person
 * because of an issue of the book it raised (`book_issue`). Judged as before until the person decides, the issue
 * stays in sight while its value is under review: confirming the value keeps it, a correction closes it.
 */
const JUDGED_AS_READ = `(f.status in ('auto_accepted', 'verified') or (f.status = 'review' and 'book_issue' = any(f.reasons)))`;

/**
 * Runs the book checks again after a person decided `field` of an entry, when the checks read it: a gap
 * next to an entry number the machine was unsure of shows only once a person has confirmed the number. A field
 * only a change's reference reads judges that change again, not its whole register; a name the book repeats, that
 * name's spellings. A name or place decided otherwise takes back to review the copies accepted on its word (`withdrawBookTwins`).
 */
export async function recheckBookAfterDecision(sql: Sql, entryId: number, field: string): Promise<void> {
  // a copy accepted on this value's word goes back to a person once the value no longer stands as it was
  // under the book's check lock: a twins pass holding it may be accepting a copy on this value's old word, which a
  // withdrawal taken before it commits would not see (the copy would stand on a corrected twin)
  if (FREE_TEXT.has(fieldKind(field))) {
    const [book] = await sql.query<{ bookId: number }>('select book_id as "bookId" from entry where id = $1', [entryId]);
    if (book) {
      await lockBookChecks(sql, book.bookId);
      await withdrawBookTwins(sql, book.bookId, new Set());
    }
  }
  const changeField = (CHANGE_FIELDS as readonly string[]).includes(field);
  const repeated = (REPEATED_IN_BOOK as readonly string[]).includes(field);
  if (!BOOK_FIELDS.has(field) && !changeField && !repeated) return;
  const [entry] = await sql.query<{ bookId: number; registerType: string }>('select book_id as "bookId", register_type as "registerType" from entry where id = $1', [entryId]);
  if (!entry) return;
  // a spelling a person confirmed is the book's: the entries that read it otherwise go to a person (a majority of
  // misreadings had outvoted it)
  if (repeated) return returnSpelledOtherwise(sql, entry.bookId);
  if (!BOOK_FIELDS.has(field)) {
    if (entry.registerType === 'change') await resolveChange(sql, entryId);
    return;
  }
  // the pages' pixels did not change: the rescans found when they were read stand
  await checkBook(sql, entry.bookId, { comparePages: false });
}

/** Serialises the checks of a book, and changes of its issues taken before them (until the transaction ends). */
export async function lockBookChecks(sql: Sql, bookId: number): Promise<void> {
  await sql.query('select pg_advisory_xact_lock($1, $2::int)', [BOOK_CHECK_LOCK, bookId]);
}

export interface BookCheckOptions {
  /** Compare the pages' pixels for pages scanned twice (not when only values changed). */
  comparePages: boolean;
  /**
   * Accept held values a sure twin elsewhere in the book confirms (src/extract/book-twins.ts), drawing the audit
   * sample at `auditRate`: the route stage's checks, once the book's pages are all read.
   */
  twins?: { auditRate: number; vocabulary: () => Promise<Vocabulary> };
}

/**
 * Recomputes a book's issues once none of its pages is still in the pipeline. Open issues found again are
 * kept, the others replaced; an issue a person dismissed is not raised again, one they marked put right is
 * raised again while it is still found.
 */
export async function checkBook(sql: Sql, bookId: number, options: BookCheckOptions = { comparePages: true }): Promise<BookIssue[] | null> {
  // two checks of one book (the route stage, a verifier's decision) would each replace the other's issues
  await lockBookChecks(sql, bookId);
  const [busy] = await sql.query<{ n: number }>(
    `select count(*)::int as n from page where book_id = $1 and status in ('ingested', 'cleaned', 'ocr_done', 'extracted', 'matched')`,
    [bookId],
  );
  if (busy!.n > 0) return null;
  // a page moved in from another book goes where its entry numbers do before the book is read in order (its numbers
  // may have changed since it was read); an entry continued onto a page placed anew has the fields joined onto it
  // decided as the route stage does (no audit sample: they were read with their page, which was)
  if ((await placeMovedPages(sql, bookId)).length > 0) {
    const pending = await sql.query<{ pageId: number }>(
      `select distinct e.page_id as "pageId" from entry_field f join entry e on e.id = f.entry_id where e.book_id = $1 and f.status = 'pending'`, [bookId]);
    for (const { pageId } of pending) await routePageFields(sql, pageId, 0);
  }
  // a person who dismissed a `book_years_in_doubt` said the book's years are right: its dates outside them are each an issue
  const [book] = await sql.query<{ yearFrom: number | null; yearTo: number | null; bookNo: string; yearsConfirmed: boolean; era: string | null }>(
    `select year_from as "yearFrom", year_to as "yearTo", book_no as "bookNo", era,
            exists (select 1 from book_issue i where i.book_id = b.id and i.kind = 'book_years_in_doubt' and i.status = 'dismissed') as "yearsConfirmed"
       from book b where id = $1`, [bookId]);
  if (options.comparePages) await compareBookPages(sql, bookId);
  const allEntries = await sql.query<BookEntry & { keyed: boolean; names: Record<string, string | null> | null }>(
    `select e.id, e.page_id as "pageId", row_number() over (order by page_place(p.id))::int as "pageOrder", p.printed_page_no as "printedPageNo", p.printed_page_last as "printedPageLast", e.year,
            coalesce(n.value::int, e.entry_no) as "entryNo", coalesce(${JUDGED_AS_READ.replaceAll('f.', 'n.')}, false) as "numberSure", coalesce(n.status = 'verified', false) as "numberVerified",
            coalesce(n.status <> 'verified' and 'digit_doubt' = any(n.reasons), false) as "numberDoubted",
            (select f.value from entry_field f where f.entry_id = e.id and f.field = 'registrationDate' and ${JUDGED_AS_READ}) as "registrationDate",
            (select f.value from entry_field f where f.entry_id = e.id and f.field = 'registrationDate' and f.value ~ '^[0-9]{4}-') as "dateRead",
            e.struck, e.keyed_by is not null as keyed,
            (select jsonb_object_agg(f.field, f.value) from entry_field f where f.entry_id = e.id and f.field like '%Name' and f.value is not null) as names,
            exists (select 1 from entry_field u where u.entry_id = e.id and u.field = 'entryNo' and (u.status = 'unreadable' or (u.status = 'verified' and u.value is null))) as "numberUnreadable"
       from entry e join page p on p.id = e.page_id join upload u on u.id = p.upload_id
       left join entry_field n on n.entry_id = e.id and n.field = 'entryNo' and n.value ~ '^[0-9]{1,6}$'
      where e.book_id = $1
      order by page_place(p.id), e.seq`,
    [bookId],
  );
  const pages = await sql.query<BookPage>(
    `select p.id as "pageId", p.printed_page_no as "printedPageNo", p.printed_page_last as "printedPageLast" from page p join upload u on u.id = p.upload_id
      where p.book_id = $1 and p.status <> 'duplicate' order by page_place(p.id)`,
    [bookId],
  );
  const fromPageNumbers = findPageNumberIssues(pages);
  const rescanned = await pagesWrittenAlike(sql, bookId, allEntries);
  // a page whose printed number repeats an earlier page's is a second scan too, unless their entry numbers tell them apart
  const numberedTwice = fromPageNumbers.filter((i) => i.kind === 'duplicate_page' && !numberedApart(allEntries, i.pageId, i.detail.of as number));
  // a page whose entries name the same people as an earlier page's is a second scan too (where its pixels could not tell)
  const namedTwice = pagesNamedAlike(allEntries.map((e) => ({ id: e.id, pageId: e.pageId, pageOrder: e.pageOrder, names: e.names ?? {} })))
    .filter((r) => !rescanned.some((x) => x.pageId === r.pageId) && !numberedApart(allEntries, r.pageId, r.of));
  const rescannedIds = new Set([...rescanned, ...numberedTwice, ...namedTwice].map((r) => r.pageId));
  const misfiled = book ? await misfiledPagesOf(sql, bookId, book.bookNo) : [];
  // a page printed for another register's form (src/extract/register-of-page.ts)
  const otherRegister = await sql.query<{ pageId: number; registerType: string }>(
    `select id as "pageId", register_read as "registerType" from page where book_id = $1 and register_read is not null and status <> 'duplicate'`, [bookId]);
  // a second scan's entries repeat the first scan's, a page of another book or register numbers that book's
  // entries: they are that page's issue, not repeats or gaps in this book's numbering
  const foreign = new Set([...misfiled, ...otherRegister].map((p) => p.pageId));
  const outOfNumbering = new Set([...rescannedIds, ...foreign]);
  const entries = allEntries.filter((e) => !outOfNumbering.has(e.pageId));
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
  // entries whose dates were not read take the year their place in the numbering gives
  const inBookOrder = await fileStruckEntries(sql, withYearsOfBook(placeKeyedEntries(entries), book ?? { yearFrom: null, yearTo: null }));
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
    ...namedTwice
      .filter((r) => !named.has(`duplicate_page:${r.pageId}`))
      .map((r): BookIssue => ({ kind: 'duplicate_page', year: null, pageId: r.pageId, entryId: null, detail: { of: r.of, sameNames: r.entries } })),
    // a page of another book or register is that page's one issue: nothing on it is for a person to key here
    ...unextracted.filter((p) => !foreign.has(p.pageId)).map((p): BookIssue => ({ kind: 'page_without_entries', year: null, pageId: p.pageId, entryId: null, detail: {} })),
    ...copiedFiles.map(({ pageId, ...detail }): BookIssue => ({ kind: 'file_delivered_twice', year: null, pageId, entryId: null, detail })),
    ...misfiled.map(({ pageId, read }): BookIssue => ({ kind: 'page_of_other_book', year: null, pageId, entryId: null, detail: { read } })),
    ...otherRegister.map(({ pageId, registerType }): BookIssue => ({ kind: 'page_of_other_register', year: null, pageId, entryId: null, detail: { registerType } })),
  ];
  // the top of a page that continues an entry nobody found: a person places it (a second scan's is that scan's issue)
  const rescans = new Set(issues.filter((i) => i.kind === 'duplicate_page').map((i) => i.pageId));
  issues.push(...orphans.filter((o) => !rescans.has(o.pageId) && !foreign.has(o.pageId)).map((o): BookIssue => ({ kind: 'orphan_continuation', year: null, pageId: o.pageId, entryId: null, detail: { fields: o.fields } })));
  // entries not read on a page: a person keys them (src/review/keying.ts); on a second scan they are the first scan's
  for (const [pageId, missing] of shortfalls) {
    if (rescans.has(pageId) || foreign.has(pageId)) continue;
    const count = counts.find((c) => c.pageId === pageId)!;
    issues.push({ kind: 'entry_not_read', year: null, pageId, entryId: null, detail: { expected: count.expected, found: count.found, missing } });
  }
  // a register of changes ties its entries to the entries they change; a register they refer to lets them find it
  issues.push(...(await resolveChanges(sql, bookId)));
  const doubtedPages = pagesNumberedBackwards(inBookOrder);
  // held copies of a value read surely elsewhere in the book, before the checks send values back (their pages' and
  // rescans' values vouch for nothing: a page whose entries may be mixed up, the same ink read twice)
  // copies accepted on a twin whose page is now set aside go back on every run, not only a twins pass: an entry
  // number decided, the book's years, a page keyed, moved or an entry restored may set a twin's page aside
  const rescanOf = await sql.query<{ pageId: number; of: number }>(`select id as "pageId", rescan_of as of from page where book_id = $1 and rescan_of is not null`, [bookId]);
  const setAside = new Set([...outOfNumbering, ...doubtedPages, ...[...rescanOf, ...namedTwice].flatMap((r) => [r.pageId, r.of])]);
  if (options.twins) await acceptBookTwins(sql, bookId, setAside, options.twins.auditRate, await options.twins.vocabulary());
  else await withdrawBookTwins(sql, bookId, setAside);
  await returnToReview(sql, numbersOutOfSequence(inBookOrder).map((e) => e.id), 'entryNo', 'check_failed');
  // a person said it is no problem of the book: not raised again (one put right that is still found comes back)
  const dismissed = await sql.query<{ kind: string; pageId: number | null; entryId: number | null }>(
    `select kind, page_id as "pageId", entry_id as "entryId" from book_issue where book_id = $1 and status = 'dismissed'`, [bookId]);
  const decided = new Set(dismissed.map(issueKey));
  const fresh = issues.filter((i) => !decided.has(issueKey(i)));
  await returnToReview(sql, entries.filter((e) => doubtedPages.has(e.pageId)).map((e) => e.id), null, 'number_in_doubt');
  const raisedBy = valuesRaisingIssues(fresh, inBookOrder);
  await returnToReview(sql, raisedBy.entryNo, 'entryNo', 'book_issue');
  await returnToReview(sql, raisedBy.registrationDate, 'registrationDate', 'book_issue');
  await returnSpelledOtherwise(sql, bookId);
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

/** Files struck entries read under a wrong number under the number their place gives, or none when it cannot tell (struckEntryNumbers). */
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

/**
 * Pages on which judged numbers (judgedNumbers) step back or repeat from one entry to the next: the page's entries
 * may have been read into each other (an unsplit spread read across both pages filed one page's names under the
 * other's numbers), so none of their values is taken on the machine's word. Across a page break a step back is
 * pages delivered out of order, and a plain gap is a number skipped: the entries around them read whole.
 */
function pagesNumberedBackwards(inBookOrder: readonly BookEntry[]): Set<number> {
  // a lone number that fits neither neighbour is one misread number (numbersOutOfSequence), not entries mixed up
  const outliers = new Set(numbersOutOfSequence(inBookOrder));
  const judged = judgedNumbers(inBookOrder).filter((e) => !outliers.has(e));
  const pages = new Set<number>();
  for (let i = 1; i < judged.length; i++) {
    const [a, b] = [judged[i - 1]!, judged[i]!];
    if (a.pageId === b.pageId && a.year === b.year && b.entryNo! <= a.entryNo!) pages.add(b.pageId);
  }
  return pages;
}

/**
 * The machine's values an issue of the book rests on, which may be misread rather than the book wrong: a number on
 * either side of numbers skipped (268 read for 288 makes 269–287 look missing before 289, and links the entry as
 * 268), unless the number next to it on its other side follows on from it (…202, 203 | 205, 206…: one misread digit
 * cannot make that gap; a number misread within it is out of sequence and a person has it already); and a
 * registration date outside the book's years (2018 read for 2010). Entry ids per field.
 */
export function valuesRaisingIssues(issues: readonly BookIssue[], inBookOrder: readonly BookEntry[]): { entryNo: number[]; registrationDate: number[] } {
  const numbered = inBookOrder.filter((e) => e.entryNo !== null && !e.struck);
  const entryNo = new Set<number>();
  const registrationDate = new Set<number>();
  for (const issue of issues) {
    if (issue.entryId === null) continue;
    if (issue.kind === 'date_outside_book') registrationDate.add(issue.entryId);
    if (issue.kind !== 'entry_gap' && issue.kind !== 'missing_page') continue;
    const at = numbered.findIndex((e) => e.id === issue.entryId);
    if (at < 0) continue;
    const after = numbered[at]!;
    // the number the skip is counted from: the last entry before, of the same year, read so (none at a year's start)
    const from = numbered.slice(0, at).findLastIndex((e) => e.year === issue.year && e.entryNo === issue.detail.after);
    const followsOn = (e: BookEntry | undefined, no: number) => e !== undefined && e.year === issue.year && e.entryNo === no;
    // a run misread alike (212, 213, 214 read 272, 273, 274: the tens digit of each) follows on all the same: when a
    // digit the edge shares with its neighbour, read otherwise, would close the gap, the neighbour vouches for nothing
    const alike = (no: number, next: number) => misreadAlikeBetween(no, next, issue.detail.after as number, after.entryNo!);
    if (!followsOn(numbered[at + 1], after.entryNo! + 1) || alike(after.entryNo!, after.entryNo! + 1)) entryNo.add(after.id);
    if (from >= 0) {
      const edge = numbered[from]!.entryNo!;
      if (!followsOn(numbered[from - 1], edge - 1) || alike(edge, edge - 1)) entryNo.add(numbered[from]!.id);
    }
  }
  return { entryNo: [...entryNo], registrationDate: [...registrationDate] };
}

/** Sends back a name the book repeats (the registrar's) read with other marks than its other entries give it (src/extract/book-spelling.ts). */
async function returnSpelledOtherwise(sql: Sql, bookId: number): Promise<void> {
  for (const field of REPEATED_IN_BOOK) {
    const values = await sql.query<RepeatedValue>(
      `select e.id, f.value, f.status = 'verified' as verified from entry e join entry_field f on f.entry_id = e.id
        where e.book_id = $1 and not e.struck and f.field = $2 and f.value is not null and f.status in ('auto_accepted', 'verified')
          and not ${onPageSetAsideSql('e')}`,
      [bookId, field],
    );
    await returnToReview(sql, spelledOtherwise(values), field, 'spelled_otherwise');
  }
}

/**
 * Sends machine-accepted values of entries back to review with `reason`: only `field` when given, else every
 * field (a value a person confirmed stays). The machine's links of an entry whose number went back wait for a person
 * too: the number names the entry (holdLinks); the entry is matched again once a person has settled it (src/review/settle.ts).
 */
async function returnToReview(sql: Sql, entryIds: number[], field: string | null, reason: 'check_failed' | 'number_in_doubt' | 'book_issue' | 'spelled_otherwise'): Promise<void> {
  if (entryIds.length === 0) return;
  const returned = await sql.query<{ entryId: number; field: string }>(
    `update entry_field set status = 'review', reasons = array[$3::text], updated_at = now()
      where entry_id = any($1) and ($2::text is null or field = $2) and status = 'auto_accepted' returning entry_id as "entryId", field`,
    [entryIds, field, reason],
  );
  for (const { entryId, field: returnedField } of returned) {
    await sql.query(`insert into review_item (kind, entry_id, field, priority) values ('field', $1, $2, $3) on conflict do nothing`, [entryId, returnedField, reviewPriority(returnedField)]);
  }
  const entries = [...new Set(returned.map((r) => r.entryId))];
  await sql.query(`update entry set status = 'needs_review', updated_at = now() where id = any($1) and status = 'verified'`, [entries]);
  await holdLinks(sql, [...new Set(returned.filter((r) => r.field === 'entryNo').map((r) => r.entryId))]);
}
