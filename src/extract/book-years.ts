/**
 * A book's years against its entries, without the database (src/extract/book-checks.ts reads the entries): the years
 * most of its dates show when they are not the book's stated ones (`book_years_in_doubt`), and the year of entries
 * whose date was not read, from their place in the numbering (src/extract/numbering.ts judges the numbering itself).
 */
import { eraOfYear } from '../../schemas/jobs.ts';
import type { BookEntry } from './numbering.ts';

/**
 * A book's stated years; `yearsConfirmed` when a person said they are right (a `book_years_in_doubt` dismissed);
 * `era`, the era of its printed form when given at upload.
 */
export interface BookYears {
  yearFrom: number | null;
  yearTo: number | null;
  yearsConfirmed?: boolean;
  era?: string | null;
}

/** Dated entries a book must have, and the share of them outside its years in one span, for its years to be in doubt. */
const YEARS_IN_DOUBT_MIN = 3;
const YEARS_IN_DOUBT_SHARE = 0.5;
/** Confirmed dates that must agree on other years when none is inside the book's years (a book of two entries). */
const YEARS_IN_DOUBT_MIN_FEW = 2;
/** Dates as read, none confirmed, that must agree on other years (and their share of all read) to put them in doubt alone. */
const YEARS_IN_DOUBT_MIN_READ = 5;
const YEARS_IN_DOUBT_SHARE_READ = 0.8;

/** The year of an entry's registration date, when read. */
export const yearOfDate = (e: BookEntry) => (e.registrationDate && /^\d{4}/.test(e.registrationDate) ? Number(e.registrationDate.slice(0, 4)) : null);
/** The year of an entry's registration date as the machine read it, confirmed or not. */
export const yearRead = (e: BookEntry) => yearOfDate(e) ?? (e.dateRead && /^\d{4}/.test(e.dateRead) ? Number(e.dateRead.slice(0, 4)) : null);

/**
 * The years a book's entries show when most of its dated entries (more than half, at least three) fall outside its
 * stated years in one span no wider than the book's own (a label or upload reading 2011 for a book of 2010): the
 * book's years are more likely wrong than every date. Misread dates scatter; they do not agree on another year.
 * Two such dates are enough when no confirmed date is inside the book's years: one issue for the book, not one per
 * date (a book of two entries dated 2000 stated 1999). Only confirmed dates (accepted or verified) count, and dates
 * as read when they agree with a confirmed one outside the book's years, or when they are many, nearly all agree and
 * keep to the era of the book's form (readAloneShowsYears).
 * Returns that span and the first page showing it, or null.
 */
export function yearsShownOtherwise(entries: readonly BookEntry[], book: BookYears): { yearFrom: number; yearTo: number; pageId: number } | null {
  if (book.yearFrom === null) return null;
  const [from, to] = [book.yearFrom, book.yearTo ?? book.yearFrom];
  const live = entries.filter((e) => !e.struck);
  const sure = spanOutside(live, yearOfDate, from, to, YEARS_IN_DOUBT_MIN);
  if (sure) return sure;
  const inside = (year: number | null) => year !== null && year >= from && year <= to;
  if (live.some((e) => inside(yearOfDate(e)))) return null;
  // two confirmed dates are enough when none is inside the book's years (a book of two entries). Dates not confirmed
  // are not taken alone: a hand the machine reads badly misreads a year's digit alike on every entry (seed 3271 b07,
  // b09: 1973 and 1978 read 1923 and 1928 throughout)
  const few = spanOutside(live, yearOfDate, from, to, YEARS_IN_DOUBT_MIN_FEW);
  if (few) return few;
  // one confirmed date outside them is one issue for the book when most dates as read (at least three) show its years:
  // the machine was sure of that one, and the others agree with it (a typed book of 2009 stated 2019, its other dates
  // sent to a person for their low confidence)
  const read = spanOutside(live, yearRead, from, to, YEARS_IN_DOUBT_MIN);
  const confirms = (e: BookEntry) => read !== null && yearOfDate(e) !== null && yearOfDate(e)! >= read.yearFrom && yearOfDate(e)! <= read.yearTo;
  if (read && live.some(confirms)) return read;
  return readAloneShowsYears(live, read, { from, to }, book.era ?? eraOfYear(from));
}

/**
 * Dates as read, none confirmed (a hand the machine is never sure of), show other years alone when they cannot be a
 * hand's misreading alike: many (five or more) and nearly all (four in five) in one span, none read inside the book's
 * years, and that span within the era of the book's printed form. A digit misread on every entry takes the year out of
 * the form's era (1973 read 1923: seed 3271 b07, b09); a cover or upload wrong by a year does not (seed 3301 b10: 21
 * dates of 1965, read right but unsure, in a book stated 1964). When the stated years are outside the form's era
 * themselves, three such dates are enough.
 */
function readAloneShowsYears(live: readonly BookEntry[], read: ReturnType<typeof spanOutside>, stated: { from: number; to: number }, era: string) {
  if (!read) return null;
  const dated = live.filter((e) => yearRead(e) !== null);
  const inSpan = dated.filter((e) => yearRead(e)! >= read.yearFrom && yearRead(e)! <= read.yearTo);
  // stated years no book of its form can hold (2002 on a 2006–2015 form: seed 3342 b15, four dates of 2012 read, a
  // fifth unparsed) are wrong already: the dates need only be as many as any years in doubt need (three)
  const statedOutsideEra = eraOfYear(stated.from) !== era && eraOfYear(stated.to) !== era;
  const fewest = statedOutsideEra ? YEARS_IN_DOUBT_MIN : YEARS_IN_DOUBT_MIN_READ;
  if (inSpan.length < fewest || inSpan.length < dated.length * YEARS_IN_DOUBT_SHARE_READ) return null;
  if (dated.some((e) => yearRead(e)! >= stated.from && yearRead(e)! <= stated.to)) return null;
  return eraOfYear(read.yearFrom) === era && eraOfYear(read.yearTo) === era ? read : null;
}

/** The span of the book's width holding most dates (by `yearOf`, at least `min`) when they are outside its years. */
function spanOutside(entries: readonly BookEntry[], yearOf: (e: BookEntry) => number | null, from: number, to: number, min: number) {
  const dated = entries.filter((e) => yearOf(e) !== null);
  const outside = dated.filter((e) => yearOf(e)! < from || yearOf(e)! > to);
  if (dated.length < min || outside.length <= dated.length * YEARS_IN_DOUBT_SHARE) return null;
  let best: BookEntry[] = [];
  for (const start of new Set(outside.map(yearOf))) {
    const within = outside.filter((e) => yearOf(e)! >= start! && yearOf(e)! <= start! + (to - from));
    if (within.length > best.length) best = within;
  }
  if (best.length < min || best.length <= dated.length * YEARS_IN_DOUBT_SHARE) return null;
  const years = best.map((e) => yearOf(e)!);
  return { yearFrom: Math.min(...years), yearTo: Math.max(...years), pageId: best[0]!.pageId };
}

/**
 * An entry filed outside the years its book's dates show (`shown`), under the year its date was read in when that is
 * one of them, or under the one year shown when the book states one year and the entry was filed under it.
 */
export function inYearsShown(e: BookEntry, shown: { yearFrom: number; yearTo: number }, book: BookYears): BookEntry {
  const within = (y: number | null) => y !== null && y >= shown.yearFrom && y <= shown.yearTo;
  if (e.year === null || within(e.year)) return e;
  const read = yearRead(e);
  if (within(read)) return { ...e, year: read };
  const oneYear = shown.yearFrom === shown.yearTo && book.yearFrom !== null && (book.yearTo ?? book.yearFrom) === book.yearFrom;
  return oneYear && e.year === book.yearFrom ? { ...e, year: shown.yearFrom } : e;
}

/** The highest number a year's first entry read after the year before may have for a restart to be seen in it. */
const YEAR_START = 3;

/**
 * The year of entries whose registration date was not read (hand-written dates before review) in a book of more
 * than one year: numbering starts again at 1 each year, so an entry's year is that of the nearest entry of known
 * year before or after it, plus or minus the restarts read between (…, 89, 90, 1, 2: 1 begins the next year; a low
 * number the next one read does not continue is no restart).
 * Taken only when both sides agree and the year is the book's; with no year known at all, only when the restarts
 * read are exactly the book's years. A misread that looks like a restart then leaves the years unknown, as before.
 * `entries` in book order.
 */
export function withYearsOfBook<T extends BookEntry>(entries: readonly T[], book: { yearFrom: number | null; yearTo: number | null }): T[] {
  const yearFrom = book.yearFrom;
  if (yearFrom === null || entries.every((e) => e.year !== null)) return [...entries];
  const yearTo = book.yearTo ?? yearFrom;
  const read = entries.flatMap((e, i) => (e.entryNo !== null && !e.struck ? [{ no: e.entryNo, i }] : []));
  // a restart is a low number after a higher one that the next number read continues (1, 2 or 1, a row unread, 3):
  // a lone low number is as likely a number read without its first digit (11 read "1")
  const restartAt = new Set(read.flatMap((r, k) => {
    const [before, next] = [read[k - 1], read[k + 1]];
    return before && next && r.no < before.no && r.no <= YEAR_START && next.no - r.no === next.i - r.i ? [r.i] : [];
  }));
  const restartsUpTo: number[] = [];
  let restarts = 0;
  entries.forEach((_, i) => restartsUpTo.push(restartAt.has(i) ? ++restarts : restarts));
  // the nearest entry of known year before and after each entry, found in one pass each way
  const knownBefore: ({ year: number; i: number } | undefined)[] = [];
  const knownAfter: ({ year: number; i: number } | undefined)[] = new Array(entries.length);
  for (let i = 0, k: { year: number; i: number } | undefined; i < entries.length; i++) {
    knownBefore.push(k);
    if (entries[i]!.year !== null) k = { year: entries[i]!.year!, i };
  }
  for (let i = entries.length - 1, k: { year: number; i: number } | undefined; i >= 0; i--) {
    knownAfter[i] = k;
    if (entries[i]!.year !== null) k = { year: entries[i]!.year!, i };
  }
  const anyKnown = entries.some((e) => e.year !== null);
  return entries.map((e, i) => {
    if (e.year !== null) return e;
    const [before, after] = [knownBefore[i], knownAfter[i]];
    const guesses: number[] = [];
    if (before) guesses.push(before.year + restartsUpTo[i]! - restartsUpTo[before.i]!);
    if (after) guesses.push(after.year - (restartsUpTo[after.i]! - restartsUpTo[i]!));
    if (!anyKnown && restarts === yearTo - yearFrom) guesses.push(yearFrom + restartsUpTo[i]!);
    const year = guesses[0];
    if (year === undefined || guesses.some((g) => g !== year) || year < yearFrom || year > yearTo) return e;
    return { ...e, year };
  });
}
