/**
 * Page numbers printed at the pages' foot, for the book checks (src/extract/book-checks.ts): missing and doubled
 * pages of books whose entries cannot tell, and the filter that passes over a misread number in any sequence of
 * numbers (page numbers here, entry numbers there).
 */
import type { BookIssue } from './numbering.ts';

export interface BookPage {
  pageId: number;
  /** The number printed at the page's foot ("Trang 103"), when read. */
  printedPageNo: number | null;
  /** The last number printed on the image, when it shows two facing pages. */
  printedPageLast?: number | null;
}

/** A jump in page numbers larger than this is more likely a misread than that many lost pages. */
const MAX_PAGE_JUMP = 20;

/**
 * Missing and doubled pages from the page numbers printed at their foot, for books whose entries cannot
 * tell (numbers hand-written or unread): a jump that the delivered pages between (their numbers unread)
 * cannot fill is a missing page; a number seen before is a page scanned twice (next to it or later); a
 * misread number is passed over (`withoutMisreads`). `pages` in delivery order.
 */
export function findPageNumberIssues(pages: readonly BookPage[]): BookIssue[] {
  const numbered = pages.flatMap((p, position) => (p.printedPageNo === null ? [] : [{ ...p, no: p.printedPageNo, last: p.printedPageLast ?? p.printedPageNo, position }]));
  const sure = withoutMisreads(numbered, (p) => p.no);
  const issues: BookIssue[] = [];
  const firstWith = new Map<number, (typeof sure)[number]>();
  let previous: (typeof sure)[number] | null = null;
  let rescansSince = 0;
  for (const page of sure) {
    // a number seen before is that page scanned again, next to it or anywhere later: not part of the sequence
    const original = firstWith.get(page.no);
    if (original) {
      issues.push({ kind: 'duplicate_page', year: null, pageId: page.pageId, entryId: null, detail: { of: original.pageId, printedPageNo: page.no } });
      rescansSince++;
      continue;
    }
    for (let no = page.no; no <= page.last; no++) firstWith.set(no, page);
    if (previous) {
      const unreadBetween = page.position - previous.position - 1 - rescansSince;
      const step = page.no - previous.last;
      if (step > 1 + unreadBetween && step <= MAX_PAGE_JUMP) {
        issues.push({ kind: 'missing_page', year: null, pageId: page.pageId, entryId: null, detail: { afterPage: previous.no, beforePage: page.no } });
      }
    }
    previous = page;
    rescansSince = 0;
  }
  return issues;
}

/**
 * Drops a number that fits neither neighbour while the neighbours leave room between them for the number
 * it should have been (…, 41, 47, 43, … or 41, 12, 43): one misread digit, not a gap followed by a step
 * back. A number equal to a neighbour is a repeat and one between neighbours one apart is out of order:
 * both are kept, to be reported. `sameRun`: whether two neighbours are numbered in one sequence.
 */
export function withoutMisreads<T>(items: readonly T[], numberOf: (item: T) => number, sameRun: (a: T, b: T) => boolean = () => true): T[] {
  return items.filter((item, i) => {
    const [before, after] = [items[i - 1], items[i + 1]];
    if (before === undefined || after === undefined || !sameRun(before, item) || !sameRun(item, after)) return true;
    const [b, x, a] = [numberOf(before), numberOf(item), numberOf(after)];
    const roomBetween = a - b >= 2 && a - b <= 3;
    return !(roomBetween && (x < b || x > a));
  });
}

/**
 * Whether a digit of `no` other than its units, the same in its neighbour `next` (so both may have been misread
 * alike), read otherwise would put `no` strictly between `lo` and `hi`.
 */
export function misreadAlikeBetween(no: number, next: number, lo: number, hi: number): boolean {
  for (let unit = 10; unit <= Math.max(no, next); unit *= 10) {
    const digit = Math.floor(no / unit) % 10;
    if (digit !== Math.floor(next / unit) % 10) continue;
    for (let d = 0; d <= 9; d++) {
      const n = no + (d - digit) * unit;
      if (d !== digit && n > lo && n < hi) return true;
    }
  }
  return false;
}
