/**
 * Book checks against the truth (EVALUATION.md "book"): the faults injected into a book that its issues name, the
 * issues raised on nothing, and the notices asking a person to key entries extraction did not find.
 */
import { basename } from 'node:path';
import type { BookTruth, Fault } from '../../../schemas/corpus.ts';
import { MAX_LISTED, type StoredEntry } from './extraction.ts';

export interface StoredIssue {
  book: string;
  kind: string;
  year: number | null;
  /** Delivered page index within the corpus book, when the issue names a page. */
  page: number | null;
  entryNo: number | null;
  detail: Record<string, unknown>;
}

/**
 * Whether a book issue names the fault: same kind, and its page (page faults), its gap (entry gaps), its
 * entry (struck entries) or years its entries hold (a book whose stated years are wrong). A struck entry's number is often misread, the stroke crossing it: an issue on
 * the struck entry's page whose number is no other entry's of the book names it too.
 */
function flags(issue: StoredIssue, fault: Fault, book: BookTruth & { id: string }): boolean {
  if (issue.book !== book.id) return false;
  // a second scan delivered as the very same file under another name is named by that file
  if (fault.kind === 'duplicate_page' && issue.kind === 'file_delivered_twice') {
    const copy = book.pages.find((p) => p.index === fault.page);
    return copy !== undefined && basename(copy.file) === issue.detail.copyFile;
  }
  if (issue.kind !== fault.kind) return false;
  switch (fault.kind) {
    case 'missing_page':
    case 'duplicate_page':
      return issue.page === fault.page;
    case 'entry_gap':
      return issue.year === fault.year && (issue.detail.after === fault.after || issue.entryNo === fault.after + fault.missing.length + 1);
    case 'struck_entry': {
      if (`${book.id}/${issue.year}/${issue.entryNo}` === fault.key) return true;
      const struck = book.entries.find((e) => e.key === fault.key);
      // an issue naming another entry of the book (another struck one too) is that entry's
      const namesAnother = book.entries.some((e) => e.key !== fault.key && e.year === issue.year && e.entryNo === issue.entryNo);
      return struck !== undefined && struck.pages.includes(issue.page ?? -1) && !namesAnother;
    }
    case 'book_years_in_doubt': {
      // the years the issue says the entries show must be (some of) the book's true years, not the stated ones
      const [from, to] = [Number(issue.detail.yearFrom), Number(issue.detail.yearTo ?? issue.detail.yearFrom)];
      return fault.years.some((y) => y >= from && y <= to);
    }
  }
}

export function scoreBookChecks(books: readonly { id: string; truth: BookTruth }[], issues: readonly StoredIssue[]) {
  const byKind: Record<string, { injected: number; flagged: number }> = {};
  const used = new Set<StoredIssue>();
  let injected = 0;
  let flagged = 0;
  const missed: ({ book: string } & Fault)[] = [];
  for (const book of books) {
    for (const fault of book.truth.faults) {
      injected++;
      const kind = (byKind[fault.kind] ??= { injected: 0, flagged: 0 });
      kind.injected++;
      const hits = issues.filter((issue) => !used.has(issue) && flags(issue, fault, { ...book.truth, id: book.id }));
      if (hits.length > 0) {
        flagged++;
        kind.flagged++;
        hits.forEach((h) => used.add(h));
      } else missed.push({ book: book.id, ...fault });
    }
  }
  // a page that gave no entry, or a page top continuing an entry nobody found, is a notice for a person
  // to key by hand, not a claim about the book: counted apart
  const notices = issues.filter((i) => i.kind === 'page_without_entries');
  const orphanNotices = issues.filter((i) => i.kind === 'orphan_continuation');
  // entries not read on a page: a notice to key them too, judged by scoreUnreadNotices
  const claims = issues.filter((i) => !NOTICE_KINDS.has(i.kind));
  const falseAlarms = claims.filter((i) => !used.has(i));
  // a continuation whose entry began on a missing page (truth `orphanParts`) should be raised on its page
  const orphans = books.flatMap((book) => (book.truth.orphanParts ?? []).map((part) => ({ book: book.id, page: part.page })));
  const orphanContinuations = {
    truth: orphans.length,
    flagged: orphans.filter((o) => orphanNotices.some((i) => i.book === o.book && i.page === o.page)).length,
    raised: orphanNotices.length,
  };
  return {
    faultsInjected: injected, faultsFlagged: flagged, falseAlarms: falseAlarms.length, pagesWithoutEntries: notices.length, orphanContinuations, byKind,
    /** What was raised on nothing injected (at most 50): what a check change must fix. */
    falseAlarmList: falseAlarms.slice(0, MAX_LISTED).map(({ book, kind, page, year, entryNo, detail }) => ({ book, kind, page, year, entryNo, detail })),
    /** Injected faults nothing flagged (at most 50): what a check change must find. */
    missedList: missed.slice(0, MAX_LISTED),
  };
}

/** Book issues that ask a person to key or place something rather than claim a fault of the book. */
// a change held for a person is judged by scoreChanges, not as a book fault
const NOTICE_KINDS = new Set(['page_without_entries', 'orphan_continuation', 'entry_not_read', 'change_unresolved']);

/**
 * The `entry_not_read` notices against the truth: a page holds entries extraction did not find when fewer
 * stored entries start on it than truth entries (struck ones included: extraction finds those too). A
 * notice on a page where every entry was found is a false alarm; a page with entries not found (and at
 * least one found: none found is `page_without_entries`) that got no notice is missed.
 */
export function scoreUnreadNotices(books: readonly { id: string; truth: BookTruth }[], stored: readonly StoredEntry[], issues: readonly StoredIssue[], naming: (book: string, index: number) => number = (_book, index) => index) {
  const storedOn = new Map<string, number>();
  for (const e of stored) if (e.page != null) storedOn.set(`${e.book}#${e.page}`, (storedOn.get(`${e.book}#${e.page}`) ?? 0) + 1);
  const short = new Set<string>();
  let pages = 0;
  for (const book of books) {
    pages += book.truth.pages.length;
    // two facing pages the pipeline read as one are one page, named by the first (src/eval/run.ts pageNaming)
    const truthOn = new Map<number, number>();
    for (const entry of book.truth.entries) {
      const page = naming(book.id, entry.pages[0]!);
      truthOn.set(page, (truthOn.get(page) ?? 0) + 1);
    }
    for (const [page, n] of truthOn) {
      const found = storedOn.get(`${book.id}#${page}`) ?? 0;
      if (found > 0 && found < n) short.add(`${book.id}#${page}`);
    }
  }
  const raised = issues.filter((i) => i.kind === 'entry_not_read');
  const right = raised.filter((i) => short.has(`${i.book}#${i.page}`));
  const wrong = raised.filter((i) => !short.has(`${i.book}#${i.page}`));
  return {
    pages, raised: raised.length, right: right.length, falseAlarms: wrong.length,
    /** Pages with entries not found (some found): how many were raised. */
    pagesShort: short.size, pagesShortRaised: new Set(right.map((i) => `${i.book}#${i.page}`)).size,
    falseAlarmList: wrong.slice(0, MAX_LISTED).map(({ book, page, detail }) => ({ book, page, detail })),
  };
}
