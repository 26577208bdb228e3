/**
 * Values a page's other entries put in doubt, though each reads well on its own:
 *
 * - `number_repeated`: an entry number read for two or more entries of one page. Numbers run one by one; on seed
 *   3296 three rows read "27" (one was 278, its last figure lost at the column rule) and the one read surely was
 *   accepted. Which copy is right (if any) the page cannot tell, so every copy goes to a person. A struck entry's
 *   number is the clerk's to write again under it, and does not count.
 * - `day_month_lost`: on a ruled page, a year-only date that starts a line or more below its row's first line. A
 *   date typed wider than its column wraps ("03/04/" over "1948"); when OCR loses the first line, the year alone reads
 *   as a valid year-only date (seed 3296: a wife's birth date, accepted wrong). A year-only date written as such
 *   stands on the row's first line with the row's other values. Only a date that is the first item of its column is
 *   judged: another item starts wherever the items above it end.
 *   And anywhere, forms included, a date never written without its day (`holdPartialFullDates`) read to the year
 *   or month only.
 */
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { fullDateField } from './second-reading.ts';
import type { Layout } from './templates.ts';
import { fieldKind } from './values.ts';

/**
 * Several entries of one page with the same number read in the same year: each copy's number goes to a person.
 * Numbering starts again each year, so a page holding a year's last entries and the next year's first (a commune's
 * small register) may read "1" twice rightly; an entry whose year is not known may be of either.
 */
export function holdRepeatedNumbers(entries: readonly Pick<ExtractedEntry, 'year' | 'struck' | 'fields'>[]): void {
  const byNumber = new Map<string, { year: number | null; field: ExtractedField }[]>();
  for (const entry of entries) {
    if (entry.struck) continue;
    const field = entry.fields.find((f) => f.field === 'entryNo');
    if (!field?.value) continue;
    byNumber.set(field.value, [...(byNumber.get(field.value) ?? []), { year: entry.year, field }]);
  }
  const sameYear = (a: number | null, b: number | null) => a === null || b === null || a === b;
  for (const copies of byNumber.values()) {
    for (const copy of copies) {
      const repeated = copies.some((other) => other !== copy && sameYear(other.year, copy.year));
      if (repeated && !copy.field.reasons.includes('number_repeated')) copy.field.reasons.push('number_repeated');
    }
  }
}

/**
 * How far below its row's first line (in the date's own line heights) a year-only date must start to count as a
 * wrapped date's second line. A typed row's values share their first line within a third of a line (capitals and
 * figures against small letters); the next line is about 1.5 line heights down.
 */
export const LOST_LINE_DROP = 0.8;
/** The row's first line is taken from this many values nearest the date across the row (a skew left after deskewing tilts a row). */
const NEIGHBOURS = 3;

/** Year-only dates standing below their ruled row's first line go to a person: their day and month may have been lost. */
export function holdYearsBelowRowTop(entries: readonly Pick<ExtractedEntry, 'fields'>[], layout: Layout): void {
  if (layout.kind !== 'table') return;
  const firstItems = new Set(layout.columns.map((c) => c.items[0]!));
  for (const entry of entries) {
    // values read from words (a missing value's box is its cell's) that open their column's cell
    const opening = entry.fields.filter((f) => firstItems.has(f.field) && f.box !== null && f.raw !== '');
    for (const date of opening) {
      if (fieldKind(date.field) !== 'date' || date.precision !== 'year' || date.reasons.includes('day_month_lost')) continue;
      const [x, top, w] = date.box!;
      const height = date.lines?.[0]?.[3] ?? date.box![3];
      const centre = (b: readonly number[]) => b[0]! + b[2]! / 2;
      const near = opening.filter((f) => f !== date).sort((a, b) => Math.abs(centre(a.box!) - (x + w / 2)) - Math.abs(centre(b.box!) - (x + w / 2))).slice(0, NEIGHBOURS);
      if (near.length === 0) continue;
      const tops = near.map((f) => f.box![1]).sort((a, b) => a - b);
      const rowTop = tops[Math.floor((tops.length - 1) / 2)]!;
      if (top - rowTop >= LOST_LINE_DROP * height) date.reasons.push('day_month_lost');
    }
  }
}

/**
 * A date that is never written without its day (a registration date, a death date, a birth in a birth register:
 * `fullDateField`) read to the year or the month only goes to a person wherever it stands, forms included: it is
 * what is left of a date whose first line or figures were lost ("03/" over "04/1948" read as April 1948).
 */
export function holdPartialFullDates(entries: readonly Pick<ExtractedEntry, 'struck' | 'template' | 'fields'>[]): void {
  for (const entry of entries) {
    if (entry.struck) continue;
    for (const field of entry.fields) {
      const partial = field.value !== null && (field.precision === 'year' || field.precision === 'month');
      if (partial && fullDateField(field.field, entry.template) && !field.reasons.includes('day_month_lost')) field.reasons.push('day_month_lost');
    }
  }
}
