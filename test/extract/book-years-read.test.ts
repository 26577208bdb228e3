import { describe, expect, it } from 'vitest';
import { findBookIssues, type BookEntry } from '../../src/extract/numbering.ts';

/**
 * A book's stated years in doubt from few dates, or from dates nobody has confirmed yet (src/extract/book-years.ts):
 * one `book_years_in_doubt` for the book, not one `date_outside_book` per entry, and the numbering judged under the
 * years the dates show.
 */
let id = 7000;
const entry = (pageId: number, entryNo: number, year: number, over: Partial<BookEntry> = {}): BookEntry =>
  ({ id: ++id, pageId, pageOrder: pageId, printedPageNo: null, year, entryNo, numberSure: true, registrationDate: null, struck: false, ...over });
const kinds = (issues: { kind: string }[]) => issues.map((i) => i.kind);

describe('book years in doubt from few or unconfirmed dates', () => {
  it('raises one issue for a book of two entries whose accepted dates agree on another year', () => {
    const book = { yearFrom: 1999, yearTo: 1999 };
    const two = [entry(1, 25, 1999, { registrationDate: '2000-01-19' }), entry(2, 28, 1999, { registrationDate: '2000-01-19' })];
    const issues = findBookIssues(two, book).filter((i) => i.kind !== 'missing_page' && i.kind !== 'entry_gap');
    expect(issues).toEqual([expect.objectContaining({ kind: 'book_years_in_doubt', pageId: 1, detail: { yearFrom: 2000, yearTo: 2000 } })]);
    // two dates that do not agree are each an issue, as before
    const scattered = [entry(1, 25, 1999, { registrationDate: '2000-01-19' }), entry(1, 26, 1999, { registrationDate: '2004-05-02' })];
    expect(kinds(findBookIssues(scattered, book))).toEqual(['date_outside_book', 'date_outside_book']);
  });

  it('takes dates read but not confirmed on most entries, says so, and names a gap under the year they show', () => {
    const book = { yearFrom: 1955, yearTo: 1955 };
    // hand-written: numbers and dates read, none accepted; 71 never written; extraction filed every entry under 1955
    const read = [67, 68, 69, 70, 72, 73, 74].map((no, k) => entry(k < 4 ? 1 : 2, no, 1955, { numberSure: false, dateRead: `1965-09-${10 + k}` }));
    const issues = findBookIssues(read, book);
    expect(issues).toEqual([
      expect.objectContaining({ kind: 'book_years_in_doubt', pageId: 1, detail: { yearFrom: 1965, yearTo: 1965, datesUnsure: true } }),
      expect.objectContaining({ kind: 'entry_gap', year: 1965, pageId: 2, detail: { after: 70, missing: [71] } }),
    ]);
    // a date a person confirmed inside the stated years outweighs unconfirmed ones
    const confirmed = read.map((e, k) => (k === 2 ? { ...e, registrationDate: '1955-09-12' } : e));
    expect(kinds(findBookIssues(confirmed, book))).toEqual(['entry_gap']);
  });

  it('leaves the years alone when a hand misread alike only the dates it read at all', () => {
    const book = { yearFrom: 2013, yearTo: 2013 };
    // 2013 read 2015 on three entries of six, the others' dates not read (seed 3131 b23): no claim
    const six = [4, 5, 6, 7, 8, 9].map((no, k) => entry(1 + (k >> 1), no, 2013, { numberSure: false, dateRead: k < 3 ? `2015-01-${15 + k}` : null }));
    expect(findBookIssues(six, book)).toEqual([]);
    // the same dates read on every entry would put them in doubt
    const all = six.map((e, k) => ({ ...e, dateRead: `2015-01-${15 + k}` }));
    expect(kinds(findBookIssues(all, book))).toEqual(['book_years_in_doubt']);
  });
});
