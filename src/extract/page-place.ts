/**
 * Where a page moved into its book from another (src/review/move-page.ts), or uploaded into it late (a rescan, a page
 * found later: an upload staff marked `place_by_numbers`, migration 059), goes among the book's pages. It is
 * delivered last, but it is most often the page the book misses: when its entry numbers fill a gap between the
 * numbers of two pages, it is placed after the first of them (`page.placed_after`, which `page_place` orders by), so
 * that the book checks read the book in its written order and the missing page is found. Placed again whenever the
 * book is checked: its numbers may change as people settle them. A page held for a rescan (`needs_rescan`) lying in the
 * gap such a page fills exactly (no number missing on either side of it) is the page it rescans: it is marked replaced
 * (heldPageIn), so that it leaves the book's problems; should the late page's place change as its numbers are settled,
 * the held page it took the place of waits for its rescan again. */
import { recordAudit } from '../db/audit.ts';
import { markPageReplaced, restoreReplacedBy } from '../db/pages.ts';
import type { Sql } from '../db/sql.ts';
import { joinContinuationsAround, lockBookEntries, READ_STATUSES } from './continued.ts';

export interface NumberedPage {
  pageId: number;
  /** The page's entry numbers with their years, in the order written (struck entries left out). */
  numbers: { year: number | null; entryNo: number }[];
}

/**
 * The page `moved` goes after in `book` (its other pages in book order), or null when its numbers fill no gap
 * (they come after every number of their year, before all of them, or among numbers the book already has).
 */
export function pageBefore(book: readonly NumberedPage[], moved: NumberedPage): number | null {
  const years = new Set(moved.numbers.map((n) => n.year));
  if (moved.numbers.length === 0 || years.size !== 1) return null;
  const year = moved.numbers[0]!.year;
  const own = moved.numbers.map((n) => n.entryNo);
  const [first, last] = [Math.min(...own), Math.max(...own)];
  const read = book.flatMap((p) => p.numbers.filter((n) => n.year === year).map((n) => ({ pageId: p.pageId, entryNo: n.entryNo })));
  const before = read.findLastIndex((n) => n.entryNo < first);
  if (before < 0 || before === read.length - 1) return null;
  // the numbers after the gap all come after the moved page's: it fills the gap, it does not repeat entries
  if (read.slice(before + 1).some((n) => n.entryNo <= last)) return null;
  return read[before]!.pageId;
}

/**
 * Whether `moved`'s numbers fill their gap in `book` exactly: the number before its first and the one after its last are
 * the book's neighbours of them. A late page filling part of a gap may be another page the book misses, not the rescan
 * of the held page there; staff mark such a page replaced by hand.
 */
export function fillsGapExactly(book: readonly NumberedPage[], moved: NumberedPage): boolean {
  const year = moved.numbers[0]?.year;
  const own = moved.numbers.map((n) => n.entryNo);
  const read = book.flatMap((p) => p.numbers.filter((n) => n.year === year).map((n) => n.entryNo));
  const [first, last] = [Math.min(...own), Math.max(...own)];
  return read.includes(first - 1) && read.includes(last + 1);
}

/**
 * The page held for a rescan that a page placed after `after` takes the place of: the first held page after `after`
 * among the book's delivered pages (in book order) before the next page with entry numbers, not in `taken`. Null when
 * the gap holds none.
 */
export function heldPageIn(delivered: ReadonlyArray<NumberedPage & { status: string }>, after: number, taken: ReadonlySet<number>): number | null {
  const at = delivered.findIndex((p) => p.pageId === after);
  if (at < 0) return null;
  for (const page of delivered.slice(at + 1)) {
    if (page.status === 'needs_rescan' && !taken.has(page.pageId)) return page.pageId;
    if (page.numbers.length) return null;
  }
  return null;
}

/**
 * Places the book's pages moved in by staff where their numbers go (pageBefore): by the extract stage before it joins
 * a page's continuation, and by the book checks. A continuation is joined onto the last entry of the page before it in
 * book order, so where a page's place changes its continuations are joined again: the page's own, those of the pages
 * after it in its new place, and that of the page that followed it before (src/extract/continued.ts). `stored` is the
 * page the extract stage has just stored, which it joins itself; a page not read yet is joined by its own extract job.
 * Returns the pages whose continuations were joined again. Takes the book's `lockBookEntries` when it has a moved page.
 */
export async function placeMovedPages(sql: Sql, bookId: number, stored: number | null = null): Promise<number[]> {
  const pages = await sql.query<{ pageId: number; status: string; placeByNumbers: boolean; placedAfter: number | null }>(
    `select p.id as "pageId", p.status, p.place_by_numbers or u.place_by_numbers as "placeByNumbers", p.placed_after as "placedAfter"
       from page p join upload u on u.id = p.upload_id
      where p.book_id = $1 and p.status <> 'duplicate' order by page_place(p.id)`, [bookId]);
  if (!pages.some((p) => p.placeByNumbers)) return [];
  // the entries it reads and the joins it makes are the extract jobs' (the extract stage holds this lock already)
  await lockBookEntries(sql, bookId);
  const entries = await sql.query<{ pageId: number; year: number | null; entryNo: number }>(
    `select e.page_id as "pageId", e.year, e.entry_no as "entryNo" from entry e join page p on p.id = e.page_id
      where e.book_id = $1 and not e.struck and e.entry_no is not null order by page_place(p.id), e.seq`, [bookId]);
  const numbered = (pageId: number): NumberedPage => ({ pageId, numbers: entries.filter((e) => e.pageId === pageId) });
  const delivered = pages.filter((p) => !p.placeByNumbers).map((p) => ({ ...numbered(p.pageId), status: p.status }));
  // a placed page takes the place of one held page at most: those that have taken one already
  const replacing = new Set((await sql.query<{ by: number }>(
    `select distinct r.replaced_by as by from page r where r.book_id = $1 and r.replaced_by is not null`, [bookId])).map((r) => Number(r.by)));
  const again = new Set<number>();
  const taken = new Set<number>();
  for (const [at, page] of pages.entries()) {
    if (!page.placeByNumbers) continue;
    const after = pageBefore(delivered, numbered(page.pageId));
    if (after !== page.placedAfter && replacing.has(page.pageId)) {
      // placed elsewhere now (its numbers were corrected): the held page it was taken for is not its rescan after all
      for (const restored of await restoreReplacedBy(sql, page.pageId, 'civreg')) {
        await recordAudit(sql, { actor: 'civreg', action: 'page.replacement_undone', objectType: 'page', objectId: restored, detail: { replacedBy: page.pageId } });
        replacing.delete(page.pageId);
      }
    }
    const fills = after !== null && !replacing.has(page.pageId) && fillsGapExactly(delivered, numbered(page.pageId));
    const held = fills ? heldPageIn(delivered, after, taken) : null;
    if (held !== null && await markPageReplaced(sql, held, page.pageId, { actor: 'civreg' })) {
      taken.add(held);
      await recordAudit(sql, { actor: 'civreg', action: 'page.replaced', objectType: 'page', objectId: held, detail: { replacedBy: page.pageId } });
    }
    if (after === page.placedAfter) continue;
    await sql.query(`update page set placed_after = $2, updated_at = now() where id = $1`, [page.pageId, after]);
    again.add(page.pageId);
    if (pages[at + 1]) again.add(pages[at + 1]!.pageId);
  }
  const status = new Map(pages.map((p) => [p.pageId, p.status]));
  const joined = [...again].filter((id) => id !== stored && READ_STATUSES.has(status.get(id)!));
  for (const pageId of joined) await joinContinuationsAround(sql, bookId, pageId);
  return joined;
}

/** A page of a book as the held page's screen weighs it: its numbers, and whether it came after the held page's delivery. */
export interface BookPage extends NumberedPage {
  /** Uploaded after the held page (a later delivery, or one staff marked `place_by_numbers`): a rescan comes late. */
  late: boolean;
}

/** Why a page is offered first as the held page's replacement. */
export interface LikelyReplacement {
  pageId: number;
  /** Its entry numbers all lie between the numbers of the delivered pages either side of the held page. */
  fillsGap: boolean;
  late: boolean;
}

/**
 * Which of `candidates` most likely replaced the held page `held`, in `book` (every page, in book order): those whose
 * numbers fall in the held page's gap first, then the other late ones, each group in book order; the rest in book
 * order after them. The gap is bounded by the nearest numbered pages either side of the held page that were not
 * delivered late (a late page placed beside it does not close its own gap); a page without a number read yet is
 * judged by its delivery only.
 *
 * @example rankReplacingPages(book, 12, [3, 4, 40]) // { likely: [{ pageId: 40, fillsGap: true, late: true }], others: [3, 4] }
 */
export function rankReplacingPages(book: readonly BookPage[], held: number, candidates: readonly number[]): { likely: LikelyReplacement[]; others: number[] } {
  const at = book.findIndex((p) => p.pageId === held);
  const delivered = (pages: readonly BookPage[]) => pages.filter((p) => !p.late && p.numbers.length > 0);
  const before = at < 0 ? undefined : delivered(book.slice(0, at)).at(-1)?.numbers.at(-1);
  const after = at < 0 ? undefined : delivered(book.slice(at + 1))[0]?.numbers[0];
  // years compared only where both are known (a book of one year often leaves them unread)
  const order = (a: NumberedPage['numbers'][number], b: NumberedPage['numbers'][number]) =>
    a.year !== null && b.year !== null && a.year !== b.year ? a.year - b.year : a.entryNo - b.entryNo;
  const inGap = (n: NumberedPage['numbers'][number]) => (!before || order(n, before) > 0) && (!after || order(n, after) < 0);
  const offered = new Set(candidates);
  const ranked = book.filter((p) => offered.has(p.pageId)).map((p) => ({
    pageId: p.pageId, late: p.late, fillsGap: (before !== undefined || after !== undefined) && p.numbers.length > 0 && p.numbers.every(inGap),
  }));
  return {
    likely: [...ranked.filter((p) => p.fillsGap), ...ranked.filter((p) => !p.fillsGap && p.late)],
    others: ranked.filter((p) => !p.fillsGap && !p.late).map((p) => p.pageId),
  };
}
