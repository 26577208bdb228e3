/**
 * How fast a book's registrations come, from the registration dates read: the days between one entry number and the
 * next in a year, which tell a lost page of few entries from numbers a clerk skipped (src/extract/numbering.ts).
 */
import type { BookEntry } from './numbering.ts';

/**
 * Days between two entries, beyond which the time is that of entries lost between them rather than one interval
 * between two entries written one after the other: a few times the book's usual interval (registrations come
 * irregularly, days apart or the same day).
 */
export const LOST_ENTRIES_TIME = 2.5;
/** Dated entries a year needs before its usual interval is taken from them. */
const PACE_WITNESSES = 4;

/** How many dated entries ahead each one is paired with: near pairs tell the pace as all pairs do, in linear time. */
const PACE_REACH = 12;

/**
 * A year's days between one entry number and the next: the median over pairs of dated entries at least three numbers
 * apart, each paired with the PACE_REACH dated entries after it, of their days per number (a misread date spoils only
 * its own pairs); null with fewer than PACE_WITNESSES dated entries. `ordered`: entries whose numbers are judged, in
 * book order.
 */
export function daysPerNumber(ordered: readonly BookEntry[], year: number): number | null {
  const dated = ordered.flatMap((e) => {
    const day = e.year === year ? dayOf(e.registrationDate) : null;
    return day === null ? [] : [{ no: e.entryNo!, day }];
  });
  if (dated.length < PACE_WITNESSES) return null;
  const rates: number[] = [];
  for (let i = 0; i < dated.length; i++) {
    for (let j = i + 1; j < Math.min(dated.length, i + 1 + PACE_REACH); j++) {
      const numbers = dated[j]!.no - dated[i]!.no;
      if (numbers >= 3) rates.push((dated[j]!.day - dated[i]!.day) / numbers);
    }
  }
  return rates.length > 0 ? median(rates) : null;
}

/** The day number of a full date (yyyy-mm-dd), else null (a year or month alone tells no interval). */
function dayOf(date: string | null): number | null {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000 : null;
}

export function daysBetween(from: string | null, to: string | null): number | null {
  const [a, b] = [dayOf(from), dayOf(to)];
  return a === null || b === null ? null : b - a;
}

/** The middle value (the upper of the two middle ones), 0 for none. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
