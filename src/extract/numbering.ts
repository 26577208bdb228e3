/**
 * The numbering of a book's entries, without the database (src/extract/book-checks.ts reads the entries and stores
 * the issues): entry numbers skipped (an entry gap, or a missing page when many are skipped across a page break),
 * repeated or out of order, struck entries filed under the numbers their place gives, pages whose entries were not
 * all read, and registration dates outside the book's years (the book's years themselves: src/extract/book-years.ts).
 */
import type { BookIssueKind } from '../../schemas/entries.ts';
import { misreadAlikeBetween, withoutMisreads } from './page-numbers.ts';
import { daysBetween, daysPerNumber, LOST_ENTRIES_TIME, median } from './registration-pace.ts';
import { inYearsShown, yearOfDate, yearsShownOtherwise, type BookYears } from './book-years.ts';
import { CLERK_SKIPS, judgedNumbers, numbersBesideRuns, numbersInPairs, readAwayFromRoom } from './judged-numbers.ts';

export { judgedNumbers, numbersInPairs };

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
  /** A person confirmed or typed the number: it is what the book says, never set aside as a misreading. */
  numberVerified?: boolean;
  /** OCR doubted a digit of the number (or read a figure as a letter), and no person has confirmed it. */
  numberDoubted?: boolean;
  /** Only when accepted or verified: a misread year must not raise an issue. */
  registrationDate: string | null;
  /** The registration date as read, confirmed or not (ISO): files an entry under the year it was read in while the book's years are in doubt (book-years.ts inYearsShown). */
  dateRead?: string | null;
  /** Struck through by the clerk: not a record, but it used up its number. */
  struck: boolean;
  /** Keyed by a person (an entry extraction did not find): stored after the page's others. */
  keyed?: boolean;
  /** A person found the number unreadable, or the clerk wrote none (F6): it will never be read, so no gap waits for it. */
  numberUnreadable?: boolean;
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
export function findBookIssues(entriesAsFiled: readonly BookEntry[], book: BookYears, unreadOnPage: ReadonlyMap<number, number> = new Map()): BookIssue[] {
  const issues: BookIssue[] = [];
  // the book's years themselves may be wrong (its label, or the years given at upload): one issue for the book, not
  // one per date, unless a person said the book's years are right
  const shown = book.yearsConfirmed ? null : yearsShownOtherwise(entriesAsFiled, book);
  if (shown) issues.push({ kind: 'book_years_in_doubt', year: null, pageId: shown.pageId, entryId: null, detail: { yearFrom: shown.yearFrom, yearTo: shown.yearTo } });
  // while they are in doubt its numbering is judged under the years its dates show (extraction filed entries dated
  // outside the stated years under the book's only year): a gap in 2009 is named in 2009, not 2008
  const entries = shown ? entriesAsFiled.map((e) => inYearsShown(e, shown, book)) : entriesAsFiled;
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
  const asRead = kept.flatMap((p) => p.entries);
  // a number read away from the room its neighbours leave (readAwayFromRoom: 102, "1035", 104), sure or not, is a row
  // whose number was not read: it judges nothing, and the numbers around it agree across it
  const away = readAwayFromRoom(asRead.filter((e) => e.entryNo !== null && e.year !== null && !e.struck), asRead);
  const reading = asRead.map((e) => (away.has(e) ? { ...e, entryNo: null, numberSure: false, numberUnreadable: false } : e));
  const judged = new Set(judgedNumbers(reading));
  const pairOnly = new Set(numbersInPairs(reading).filter((e) => !judged.has(e)));
  const lone = numbersBesideRuns(reading, judged, pairOnly);
  const ordered = inSequence(reading.filter((e) => judged.has(e) || pairOnly.has(e)), reading);
  // each row's place, looked up once: a book of 10^4 entries searched row by row took seconds after every decision
  const rowAt = new Map(reading.map((e, k) => [e, k]));
  // asked for only at a short skip across a page break of long entries, so found then, once per year
  const paces = new Map<number, number | null>();
  const paceOf = (year: number) => (paces.has(year) ? paces.get(year)! : paces.set(year, daysPerNumber(ordered, year)).get(year)!);
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
    // at a new year, the old year's last entries (their numbers read unsurely) hold none of the new year's numbers, unless
    // read below the old year's last number: a low number is the new year's misread (99, then "4" for 1, then 2, 3)
    const oldYears = (e: BookEntry) => e.year !== null && e.year < b.year! && !(e.entryNo !== null && e.entryNo < ordered[i - 1]!.entryNo! && nearerNewYear(e.entryNo, ordered[i - 1]!.entryNo!, b.entryNo!));
    const between = reading.slice(rowAt.get(ordered[i - 1]!)! + 1, rowAt.get(b)!).filter((e) => !(restart && oldYears(e)));
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
      // a number judged only as a pair claims no more than the few numbers a clerk skips next to it, unless its pair is
      // two rows next to each other and no digit of it but its units, read otherwise, would put it inside the skip
      // (152, 153 read 162, 163 alike make a jump of ten; 85, 86 | 91, 92 cannot be made so)
      const [pairBefore, pairAfter] = [pairOnly.has(ordered[i - 1]!), pairOnly.has(b)];
      const rowNo = (e: BookEntry, step: number) => reading[rowAt.get(e)! + step]?.entryNo;
      const alike = (e: BookEntry, step: number) => rowNo(e, step) !== e.entryNo! + step || misreadAlikeBetween(e.entryNo!, e.entryNo! + step, a.entryNo!, b.entryNo!);
      const claimable = (gap: BookIssue) => gapSize(gap) <= CLERK_SKIPS
        || !((pairBefore && gap.detail.after === a.entryNo && alike(a, -1)) || (pairAfter && gap.entryId === b.id && alike(b, 1)));
      const gaps = entryGaps(a, b, between, skipped, unread).filter(claimable);
      // at a new year across a page break the old year's last numbers are lost as well: a page, however few of the new year's
      // a lost page takes numbers in one run: numbers missing on both sides of an entry between are gaps
      const gap = gaps.length === 1 && gapSize(gaps[0]!) === Math.min(skipped, 50) ? gaps[0]! : null;
      // the page lost is the one before the gap's entry (…49 | 54, 55, 57 read 52 | 58: the page of 54), or, among rows
      // not read, the page of `b`
      const at = gap && gap.detail.notRead === undefined ? reading.findIndex((e) => e.id === gap.entryId) : -1;
      const [before, after] = at > 0 ? [reading[at - 1]!, reading[at]!] : [a, b];
      if (gap && before.pageId !== after.pageId && (restart || pageMissingBetween(before, after, skipped, perPage, () => paceOf(b.year!)))) {
        issues.push({ kind: 'missing_page', year: b.year, pageId: after.pageId, entryId: after.id, detail: { after: gap.detail.after, before: after.entryNo } });
      } else {
        issues.push(...gaps);
      }
    } else if (skipped === -1) {
      issues.push({ kind: 'entry_repeat', year: b.year, pageId: b.pageId, entryId: b.id, detail: { entryNo: b.entryNo } });
    } else if (skipped < -1) {
      issues.push({ kind: 'entry_order', year: b.year, pageId: b.pageId, entryId: b.id, detail: { after: a.entryNo, entryNo: b.entryNo } });
    }
  }
  // a lone number judges only the skip between it and the run it stands beside, when no issue names those numbers yet
  for (const [e, edge] of lone) {
    const [x, y] = e.entryNo! < edge.entryNo! ? [e, edge] : [edge, e];
    const missing = range(x.entryNo! + 1, y.entryNo! - 1);
    const named = issues.some((i) => (i.kind === 'entry_gap' || i.kind === 'missing_page') && i.year === y.year
      && ((i.detail.missing as number[] | undefined)?.some((n) => missing.includes(n)) || ((i.detail.after as number) <= x.entryNo! && (i.detail.before as number) >= y.entryNo!)));
    if (named) continue;
    if (x.pageId !== y.pageId && pageMissingBetween(x, y, missing.length, perPage, () => paceOf(y.year!))) {
      issues.push({ kind: 'missing_page', year: y.year, pageId: y.pageId, entryId: y.id, detail: { after: x.entryNo, before: y.entryNo, numberUnsure: true } });
    } else issues.push({ kind: 'entry_gap', year: y.year, pageId: y.pageId, entryId: y.id, detail: { after: x.entryNo, missing, numberUnsure: true } });
  }
  for (const e of entries) {
    if (e.struck) {
      issues.push({ kind: 'struck_entry', year: e.year, pageId: e.pageId, entryId: e.id, detail: { entryNo: e.entryNo } });
      continue;
    }
    const y = yearOfDate(e);
    if (y === null || book.yearFrom === null) continue;
    if (shown && y >= shown.yearFrom && y <= shown.yearTo) continue;
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
 * The entry gaps between judged numbers `a` and `b`, `skipped` numbers in all. When the numbers read between
 * them (struck entries, or read unsurely) are in order within the room, they place the gaps: between two numbers
 * with no entry between them, the numbers neither holds are a gap, named on the entry after it (…28, 29 struck,
 * 31, 32: 30 is missing, before 31); numbers skipped beside entries whose numbers were not read are named between
 * the numbers read around them with how many are missing (`count`) and how many rows were not read (`notRead`): which
 * side of those rows they are, and whether the rows were read at all, a person tells; one a person found unreadable
 * holds the next number. Otherwise the gap is named on `b`, among the numbers between `a` and `b` when rows between
 * were not placed.
 */
function entryGaps(a: BookEntry, b: BookEntry, between: readonly BookEntry[], skipped: number, unread: number): BookIssue[] {
  const kept = anchorsInOrder(a, b, between);
  const placed = kept.size > 0;
  // a reading left out (a misread digit: 25 or 0 among 8, 9 between 4 and 12) counts as a row whose number was not read
  const rows = between.map((e) => (e.entryNo === null || kept.has(e) ? e : { ...e, entryNo: null, numberUnreadable: false }));
  const issues: BookIssue[] = [];
  // struck rows among those not read: their number is unknown too (struckEntryNumbers), and the desk says they are struck
  const struckOf = (n: number) => (n > 0 ? { struck: n } : {});
  let [previous, notRead, struckNotRead, fits] = [a, 0, 0, placed];
  for (const e of placed ? [...rows, b] : []) {
    if (e !== b && e.entryNo === null) {
      // a number a person could not read either will never tell: it is taken to hold the next number (a clerk writes
      // entries in turn), and numbers skipped after it are a gap after it
      if (e.numberUnreadable && notRead === 0) previous = { ...e, entryNo: previous.entryNo! + 1 };
      else [notRead, struckNotRead] = [notRead + 1, struckNotRead + (e.struck ? 1 : 0)];
      continue;
    }
    const free = e.entryNo! - previous.entryNo! - 1;
    if (free < notRead) fits = false;
    const missing = range(previous.entryNo! + 1, Math.min(e.entryNo! - 1, previous.entryNo! + 50));
    if (free > 0 && notRead === 0) issues.push({ kind: 'entry_gap', year: b.year, pageId: e.pageId, entryId: e.id, detail: { after: previous.entryNo, missing } });
    // more numbers than rows not read between: some are missing, on which side of those rows a person reading them tells
    else if (free > notRead) issues.push({ kind: 'entry_gap', year: b.year, pageId: e.pageId, entryId: e.id, detail: { after: previous.entryNo, missing, count: free - notRead, notRead, ...struckOf(struckNotRead) } });
    [previous, notRead, struckNotRead] = [e, 0, 0];
  }
  if (fits) return issues;
  // struck rows whose number is unknown hold one of the numbers between, which one nobody can tell from their place
  const struckUnknown = between.filter((e) => e.struck && e.entryNo === null).length;
  if (unread + struckUnknown === 0) {
    return [{ kind: 'entry_gap', year: b.year, pageId: b.pageId, entryId: b.id, detail: { after: a.entryNo, missing: range(a.entryNo! + 1, a.entryNo! + Math.min(skipped, 50)) } }];
  }
  // rows between whose numbers were not read (or not placed) may stand on either side of the numbers skipped: the gap is
  // named between the two numbers read, `count` of the numbers between them missing, and says the rows may be misread
  return [{ kind: 'entry_gap', year: b.year, pageId: b.pageId, entryId: b.id, detail: { after: a.entryNo, missing: range(a.entryNo! + 1, Math.min(b.entryNo! - 1, a.entryNo! + 50)), count: skipped, notRead: unread + struckUnknown, ...struckOf(struckUnknown) } }];
}

/**
 * Whether a number read below the old year's last, at a new year, is nearer the new year's first number read than
 * the old year's last: a misread digit mostly keeps a number's size, so "4" before 2, 3 is the new year's 1 misread,
 * while "96" after 99 is the old year's 100 misread, and a new year's number missing before 2 is still a gap.
 */
const nearerNewYear = (n: number, oldLast: number, newFirst: number) => Math.abs(n - newFirst) < Math.abs(oldLast - n);

/** How many numbers a gap says are missing: its `count` when it is named among rows not read, else its numbers. */
const gapSize = (gap: BookIssue) => (typeof gap.detail.count === 'number' ? gap.detail.count : (gap.detail.missing as number[]).length);

/**
 * The numbers read between `a` and `b` that may place the gaps: all of them when they are in order within the room;
 * else, when one or more readings fit nowhere (outside the room, or out of order), the longest run of readings in
 * order with room for the rows between them, only if it holds two neighbouring rows read as consecutive numbers (a
 * pair agreeing with itself outweighs a lone misread digit). Empty when nothing places them.
 */
function anchorsInOrder(a: BookEntry, b: BookEntry, between: readonly BookEntry[]): Set<BookEntry> {
  const rows = [a, ...between, b];
  const read = rows.map((e, i) => ({ e, i })).filter(({ e, i }) => i > 0 && i < rows.length - 1 && e.entryNo !== null);
  const inRoom = read.filter(({ e }) => e.entryNo! > a.entryNo! && e.entryNo! < b.entryNo!);
  const ordered = inRoom.length === read.length && inRoom.every((r, k) => k === 0 || r.e.entryNo! > inRoom[k - 1]!.e.entryNo!);
  if (ordered) return new Set(read.map((r) => r.e));
  // longest chain from a to b in which each number leaves room for the rows before it (each row holds a number)
  const fitsAfter = (x: { e: BookEntry; i: number }, y: { e: BookEntry; i: number }) => y.e.entryNo! - x.e.entryNo! >= y.i - x.i;
  const start = { e: a, i: 0 };
  const end = { e: b, i: rows.length - 1 };
  const chain = inRoom.map(() => ({ length: 0, from: -1 }));
  inRoom.forEach((r, k) => {
    if (!fitsAfter(start, r)) return;
    chain[k] = { length: 1, from: -1 };
    for (let j = 0; j < k; j++) if (chain[j]!.length > 0 && fitsAfter(inRoom[j]!, r) && chain[j]!.length + 1 > chain[k]!.length) chain[k] = { length: chain[j]!.length + 1, from: j };
  });
  let best = -1;
  inRoom.forEach((r, k) => {
    if (chain[k]!.length > 0 && fitsAfter(r, end) && (best < 0 || chain[k]!.length > chain[best]!.length)) best = k;
  });
  const kept: { e: BookEntry; i: number }[] = [];
  for (let k = best; k >= 0; k = chain[k]!.from) kept.unshift(inRoom[k]!);
  const agreeing = kept.some((r, k) => k > 0 && r.i - kept[k - 1]!.i === 1 && r.e.entryNo! - kept[k - 1]!.e.entryNo! === 1);
  return agreeing ? new Set(kept.map((r) => r.e)) : new Set();
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);

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
  const kept = new Set(inSequence(read, entries));
  return read.filter((e) => e.numberSure && !kept.has(e));
}

/** Entry numbers without the misread ones (a stretch read away from its room too), each year its own sequence; `rows`: all entries in book order. */
function inSequence(sure: readonly BookEntry[], rows: readonly BookEntry[]): BookEntry[] {
  const away = readAwayFromRoom(sure, rows);
  return withoutMisreads(sure.filter((e) => !away.has(e)), (e) => e.entryNo!, (a, b) => a.year === b.year);
}


/**
 * Whether numbers skipped at a page break are a missing page: the printed page numbers say so when both
 * were read; otherwise half a page's worth of numbers or more is more likely a page than skipped numbers,
 * except on pages of more than CLERK_SKIPS entries (a ruled book's 3–7 rows), where a lost page takes more
 * than half a page and more than the number or two a clerk skips, or fewer when the registration dates jump by
 * the time of the entries skipped (`daysPerEntry`: the year's usual interval, daysPerNumber).
 */
function pageMissingBetween(a: BookEntry, b: BookEntry, skipped: number, perPage: number, daysPerEntry: () => number | null): boolean {
  if (a.printedPageNo !== null && b.printedPageNo !== null) return b.printedPageNo - (a.printedPageLast ?? a.printedPageNo) > 1;
  if (perPage > CLERK_SKIPS) {
    if (skipped > Math.max(CLERK_SKIPS, perPage / 2)) return true;
    // as few numbers as a clerk skips, on a page of few entries (long ones): the registration dates tell. Numbers a
    // clerk skipped took no time, entries on a lost page did: a jump of several entries' time is those entries
    const days = daysBetween(a.registrationDate, b.registrationDate);
    if (days === null) return false;
    const pace = daysPerEntry();
    return pace !== null && days > LOST_ENTRIES_TIME * pace;
  }
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
