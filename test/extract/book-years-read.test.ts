import { describe, expect, it } from 'vitest';
import { findBookIssues, type BookEntry } from '../../src/extract/numbering.ts';

/**
 * A book's stated years in doubt from few dates (src/extract/book-years.ts): one `book_years_in_doubt` for the book,
 * not one `date_outside_book` per entry, and the numbering judged under the years the dates show; dates nobody has
 * confirmed are not taken.
 */
let id = 7000;
const entry = (pageId: number, entryNo: number, year: number, over: Partial<BookEntry> = {}): BookEntry =>
  ({ id: ++id, pageId, pageOrder: pageId, printedPageNo: null, year, entryNo, numberSure: true, registrationDate: null, struck: false, ...over });
const kinds = (issues: { kind: string }[]) => issues.map((i) => i.kind);

describe('book years in doubt from few dates', () => {
  it('raises one issue for a book of two entries whose accepted dates agree on another year', () => {
    const book = { yearFrom: 1999, yearTo: 1999 };
    const two = [entry(1, 25, 1999, { registrationDate: '2000-01-19' }), entry(2, 28, 1999, { registrationDate: '2000-01-19' })];
    const issues = findBookIssues(two, book).filter((i) => i.kind !== 'missing_page' && i.kind !== 'entry_gap');
    expect(issues).toEqual([expect.objectContaining({ kind: 'book_years_in_doubt', pageId: 1, detail: { yearFrom: 2000, yearTo: 2000 } })]);
    // two dates that do not agree are each an issue, as before
    const scattered = [entry(1, 25, 1999, { registrationDate: '2000-01-19' }), entry(1, 26, 1999, { registrationDate: '2004-05-02' })];
    expect(kinds(findBookIssues(scattered, book))).toEqual(['date_outside_book', 'date_outside_book']);
  });

  it('names a gap under the years the confirmed dates show while the book\'s years are in doubt', () => {
    const book = { yearFrom: 2008, yearTo: 2008 };
    // seed 3133 b22: dates of 2009 accepted, every entry filed under the stated 2008 by extraction; 99 never written
    const read = [97, 98, 100, 101].map((no, k) => entry(k < 3 ? 1 : 2, no, 2008, { registrationDate: `2009-09-${10 + k}` }));
    expect(findBookIssues(read, book)).toEqual([
      expect.objectContaining({ kind: 'book_years_in_doubt', pageId: 1, detail: { yearFrom: 2009, yearTo: 2009 } }),
      expect.objectContaining({ kind: 'entry_gap', year: 2009, pageId: 1, detail: { after: 98, missing: [99] } }),
    ]);
  });

  it('takes no date a person has not confirmed: a hand misreads a year\'s digit alike on every entry', () => {
    // seed 3271 b07: 1973 read 1923 on every row, none accepted: no claim before review
    const book = { yearFrom: 1973, yearTo: 1973 };
    const rows = [290, 291, 292, 293, 294, 295].map((no, k) => entry(1 + (k >> 1), no, 1973, { numberSure: false, dateRead: `1923-11-${10 + k}` }));
    expect(findBookIssues(rows, book)).toEqual([]);
  });

  it('takes dates not confirmed as agreeing with one the machine was sure of, outside the book\'s years', () => {
    // a typed book of 2009 stated 2019 (seed 3286 b24): one date accepted, five read alike but sent to a person; it raised
    // a date outside the book for the accepted one, and nothing for the book's years
    const book = { yearFrom: 2019, yearTo: 2019 };
    const rows = [14, 15, 16, 17, 18, 19].map((no, k) => entry(1 + (k >> 1), no, 2019, { dateRead: `2009-03-0${k + 1}`, ...(k === 5 ? { registrationDate: '2009-03-06' } : {}) }));
    expect(findBookIssues(rows, book)).toEqual([expect.objectContaining({ kind: 'book_years_in_doubt', detail: { yearFrom: 2009, yearTo: 2009 } })]);
    // the others read otherwise (scattered): the accepted date alone is a date outside the book, as before
    const scattered = rows.map((e, k) => (k < 5 ? { ...e, dateRead: `20${10 + k}-03-01` } : e));
    expect(kinds(findBookIssues(scattered, book))).toEqual(['date_outside_book']);
  });

  it('takes dates none confirmed when many agree, none is read inside the book\'s years, and they keep to its form\'s era', () => {
    // seed 3301 b10 (hand, 1961–1998 form): 21 dates of 1965 read right but unsure, the book stated 1964; its two
    // gaps were named under 1964
    const book = { yearFrom: 1964, yearTo: 1964, era: '1961-1998' };
    const numbers = [49, 50, 51, 52, 53, 54, 55, 57, 58, 59, 60, 61, 62, 63, 64, 66, 67, 68, 69, 70, 71];
    const rows = numbers.map((no, k) => entry(1 + Math.floor(k / 7), no, 1964, { numberSure: false, dateRead: `1965-08-${String(1 + k).padStart(2, '0')}` }));
    const issues = findBookIssues(rows, book);
    expect(issues[0]).toMatchObject({ kind: 'book_years_in_doubt', detail: { yearFrom: 1965, yearTo: 1965 } });
    expect(issues.filter((i) => i.kind === 'entry_gap').map((i) => [i.year, i.detail.after])).toEqual([[1965, 55], [1965, 64]]);
    // one date read inside the stated year: the hand may misread the year alike on the others, no claim
    const oneInside = rows.map((e, k) => (k === 3 ? { ...e, dateRead: '1964-08-04' } : e));
    expect(kinds(findBookIssues(oneInside, book))).not.toContain('book_years_in_doubt');
    // four dates only: no claim
    expect(kinds(findBookIssues(rows.slice(0, 4), book))).not.toContain('book_years_in_doubt');
    // years out of the form's era are a misread digit, not a wrong cover (1923 for a 1961–1998 book)
    const outOfEra = rows.map((e) => ({ ...e, year: 1974, dateRead: e.dateRead!.replace('1965', '1925') }));
    expect(kinds(findBookIssues(outOfEra, { ...book, yearFrom: 1974, yearTo: 1974 }))).not.toContain('book_years_in_doubt');
  });

  it('takes three dates none confirmed when the stated years are outside the era of the book\'s form', () => {
    // seed 3342 b15 (hand, 2006–2015 form) stated 2002: four dates of 2012 read unsure, a fifth not parsed
    const book = { yearFrom: 2002, yearTo: 2002, era: '2006-2015' };
    const rows = [416, 417, 418, 419, 420].map((no, k) => entry(1 + k, no, 2002, { numberSure: false, dateRead: k === 2 ? null : `2012-07-2${6 + k}` }));
    expect(findBookIssues(rows, book)[0]).toMatchObject({ kind: 'book_years_in_doubt', detail: { yearFrom: 2012, yearTo: 2012 } });
    expect(findBookIssues(rows.slice(0, 4), book)[0]).toMatchObject({ kind: 'book_years_in_doubt' });
    // the stated year within the form's era (2011): four dates are not enough, as before
    const inEra = rows.map((e) => ({ ...e, year: 2011 }));
    expect(kinds(findBookIssues(inEra, { ...book, yearFrom: 2011, yearTo: 2011 }))).not.toContain('book_years_in_doubt');
    // two dates are not enough either way
    expect(kinds(findBookIssues(rows.slice(0, 2), book))).not.toContain('book_years_in_doubt');
  });
});
