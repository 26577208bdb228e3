/**
 * The numbers struck entries hold in a book's numbering (src/extract/numbering.ts judges the numbering; book-checks.ts
 * files struck entries under these numbers).
 */
import type { BookEntry } from './numbering.ts';

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
