/**
 * Which unsure entry numbers a book's numbering may be judged by before a person confirms them (src/extract/numbering.ts):
 * numbers in runs that agree with the rows between them, pairs that agree with the numbers around them, and lone
 * numbers beside a run.
 */
import type { BookEntry } from './numbering.ts';

/** Numbers a clerk skips at most by mistake: more at a page break, on pages of more rows than that, is a page lost. */
export const CLERK_SKIPS = 2;

/**
 * Entries whose number is judged: of a known year, not struck, and read surely (or confirmed), or read
 * unsurely within a run of at least three numbers that agree with the entries between them (41, 42, 43; or
 * 28, 29, an entry whose number was not read, 31: each entry, struck or not, holds one number). One misread
 * digit, or the same digit misread in neighbouring entries, seldom makes such a run; without them a book whose
 * numbers are hand-written would show no gap until a person confirmed every number. An entry not found, or
 * found where there is none, breaks the agreement: the run is then shorter, never wrong.
 */
export function judgedNumbers(entries: readonly BookEntry[]): BookEntry[] {
  const numbered = entries.filter((e) => e.entryNo !== null && e.year !== null && !e.struck);
  const at = new Map(entries.map((e, i) => [e, i]));
  const follows = (a: BookEntry | undefined, b: BookEntry | undefined) =>
    a !== undefined && b !== undefined && a.year === b.year && b.entryNo! - a.entryNo! === at.get(b)! - at.get(a)!;
  const inRun = new Set<BookEntry>();
  for (let i = 0; i + 2 < numbered.length; i++) {
    const [a, b, c] = [numbered[i], numbered[i + 1], numbered[i + 2]];
    if (follows(a, b) && follows(b, c)) [a!, b!, c!].forEach((e) => inRun.add(e));
  }
  // a year's numbering starts at 1: the first row of a year after the year before, read 1, agrees with that start
  // as a third number would (a small book's pages of two or three entries seldom give three in a row)
  for (let i = 0; i + 1 < numbered.length; i++) {
    const [first, next] = [numbered[i]!, numbered[i + 1]!];
    if (first.entryNo !== 1 || !follows(first, next)) continue;
    const before = entries.slice(0, at.get(first));
    const startsYear = before.some((e) => e.year !== null && e.year < first.year!) && !before.some((e) => e.year === first.year);
    if (startsYear) [first, next].forEach((e) => inRun.add(e));
  }
  return numbered.filter((e) => e.numberSure || inRun.has(e));
}

/**
 * Unsure numbers read as a pair that agrees with the rows between (162, 163; or 157, a struck row, 159) and with the
 * numbers read next to it: the number read before is lower, the one after higher (a pair misread alike, 39, 40 read
 * 59, 60, steps back to 41). Hand-written books often give no run of three on a page (judgedNumbers); such pairs
 * judge only a skip of the few numbers a clerk skips (findBookIssues), so a gap beside them is not left for review
 * to find. Entries in book order.
 */
export function numbersInPairs(entries: readonly BookEntry[]): BookEntry[] {
  const numbered = entries.filter((e) => e.entryNo !== null && e.year !== null && !e.struck);
  const at = new Map(entries.map((e, i) => [e, i]));
  const paired = new Set<BookEntry>();
  for (let i = 0; i + 1 < numbered.length; i++) {
    const [a, b] = [numbered[i]!, numbered[i + 1]!];
    if (a.year !== b.year || b.entryNo! - a.entryNo! !== at.get(b)! - at.get(a)!) continue;
    const [before, after] = [numbered[i - 1], numbered[i + 2]];
    if (before && before.year === a.year && before.entryNo! >= a.entryNo!) continue;
    if (after && after.year === b.year && after.entryNo! <= b.entryNo!) continue;
    paired.add(a).add(b);
  }
  return numbered.filter((e) => paired.has(e));
}

/**
 * Unsure numbers in no run or pair read on the row next to a judged number (judgedNumbers), the few numbers a clerk
 * skips away from it, with the row on their other side the book's end or a number on beyond them (19 judged, 21 the
 * last row: 20 skipped; not 35, 38, 37, where 38 is more likely 36 misread): otherwise it judges nothing. Each is mapped to the judged number it stands beside, and
 * judges only that skip, said to rest on a number read unsurely.
 */
export function numbersBesideRuns(reading: readonly BookEntry[], judged: ReadonlySet<BookEntry>, paired: ReadonlySet<BookEntry>): Map<BookEntry, BookEntry> {
  const lone = new Map<BookEntry, BookEntry>();
  const numbered = (e: BookEntry | undefined) => e !== undefined && e.entryNo !== null && !e.struck;
  reading.forEach((e, k) => {
    // a digit OCR itself doubted is no witness alone (103, then 104 read "105" with a doubted 5: seed 3341 b20)
    if (!numbered(e) || e.year === null || judged.has(e) || paired.has(e) || e.numberDoubted) return;
    const [before, after] = [reading[k - 1], reading[k + 1]];
    const skip = (x: BookEntry, y: BookEntry) => x.year === y.year && y.entryNo! - x.entryNo! - 1 >= 1 && y.entryNo! - x.entryNo! - 1 <= CLERK_SKIPS;
    // after it, the book's end or a higher number, not a row not read (223 read 225, then a row not read) nor a lower
    // one (226 read 228, then 227 read 223: seed 3272 b01)
    if (before && judged.has(before) && skip(before, e) && (after === undefined || (numbered(after) && after.entryNo! > e.entryNo!))) lone.set(e, before);
    else if (after && judged.has(after) && skip(e, after) && (before === undefined || (numbered(before) && before.entryNo! < e.entryNo!))) lone.set(e, after);
  });
  return lone;
}

/** The longest stretch of numbers readAwayFromRoom takes for one misreading (about two pages of a ruled book). */
const AWAY_AT_MOST = 12;

/**
 * Numbers read between two numbers that leave exactly room for the rows between them, none of them inside that room
 * (85, then five rows read 1944, 1955, 1957 and two not read, then 91: numbers taken from another column): one
 * misreading of a run, not a lost page, a gap and a step back. Such numbers, sure or not, judge nothing and fit no
 * sequence (numbersOutOfSequence sends the accepted ones to a person). `items`: numbers in book order, of the year
 * they were filed under; `rows`: every entry of the book in order (rows not read and struck ones hold a number too).
 */
export function readAwayFromRoom(items: readonly BookEntry[], rows: readonly BookEntry[]): Set<BookEntry> {
  const at = new Map(rows.map((e, i) => [e, i]));
  const away = new Set<BookEntry>();
  for (let i = 0; i < items.length; i++) {
    const a = items[i]!;
    // a next number that fits after `a` (above it, within the rows between) is inside any room `a` leaves: the usual case
    const next = items[i + 1];
    if (!next || !at.has(a) || (next.year === a.year && next.entryNo! > a.entryNo! && next.entryNo! - a.entryNo! <= at.get(next)! - at.get(a)!)) continue;
    for (let j = i + 2; j < Math.min(items.length, i + 2 + AWAY_AT_MOST); j++) {
      const c = items[j]!;
      if (c.year !== a.year || !at.has(a) || !at.has(c)) break;
      const between = items.slice(i + 1, j);
      const inRoom = between.some((e) => e.year === a.year && e.entryNo! > a.entryNo! && e.entryNo! < c.entryNo!);
      // a number a person confirmed is the book's (a clerk's repeat or step back), never a misreading of the run
      if (inRoom || between.some((e) => e.numberVerified) || c.entryNo! - a.entryNo! !== at.get(c)! - at.get(a)!) continue;
      between.forEach((e) => away.add(e));
      i = j - 1;
      break;
    }
  }
  return away;
}
