/**
 * The numbers struck entries hold in a book's numbering (src/extract/numbering.ts judges the numbering; book-checks.ts
 * files struck entries under these numbers).
 */
import type { BookEntry } from './numbering.ts';

/**
 * Numbers of struck entries read wrongly: a struck entry is not routed to a person, so its number stays as
 * read. Between two numbers read with exactly as many entries between as numbers (…50, struck, 52…) each
 * entry holds the next number; a struck one read otherwise (57) is filed under that. A struck entry whose reading
 * fits neither that nor its place (not above the number read before it and at most the number read after it: "2"
 * between 4 and 8) holds one of the numbers between them, but which one its place cannot tell when numbers were
 * skipped there as well (4, struck, 8: 5, 6, 7 are a struck entry's and two skipped, in any order): its number is
 * unknown (null), and the numbering names the gap beside it among the numbers around it. Returns entry id → number.
 */
export function struckEntryNumbers(entries: readonly BookEntry[]): Map<number, number | null> {
  const numbers = new Map<number, number | null>();
  // any number read is a witness here: two neighbours that leave room for exactly the entries between them agree
  const ordered = entries.filter((e) => e.entryNo !== null && e.year !== null && !e.struck);
  const at = new Map(entries.map((e, i) => [e, i]));
  for (let i = 1; i < ordered.length; i++) {
    const [a, b] = [ordered[i - 1]!, ordered[i]!];
    if (a.year !== b.year) continue;
    const between = entries.slice(at.get(a)! + 1, at.get(b)!);
    const room = b.entryNo! - a.entryNo! - 1;
    if (between.length === 0 || between.length > room) continue;
    between.forEach((e, k) => {
      if (!e.struck) return;
      // exactly as many entries as numbers: each holds the next, its number read or not (50, struck unread, 52: 51)
      if (between.length === room) {
        if (e.entryNo !== a.entryNo! + 1 + k) numbers.set(e.id, a.entryNo! + 1 + k);
      } else if (e.entryNo !== null && (e.entryNo <= a.entryNo! || e.entryNo > b.entryNo!)) numbers.set(e.id, null);
    });
  }
  return numbers;
}
