import { describe, expect, it } from 'vitest';
import { findBookIssues, type BookEntry } from '../../src/extract/numbering.ts';

/**
 * The book checks run inside every verifier decision on an entry number or registration date: a city ward's book
 * of 2,000 entries a year must be checked in well under a second (a pairing of every two dated entries of a year
 * took 8.8 s on this book).
 */
describe('book checks at a city book’s size', () => {
  it('checks five years of 2,000 entries each, with a short skip at a page break, in under two seconds', () => {
    const entries: BookEntry[] = [];
    for (let year = 2010; year < 2015; year++) {
      for (let n = 1; n <= 2000; n++) {
        if (n === 1001 || n === 1002) continue; // two numbers skipped where a page of four long entries ends
        const page = Math.floor(entries.length / 4);
        const registrationDate = new Date(Date.UTC(year, 0, 1) + Math.floor(n * 0.17) * 86_400_000).toISOString().slice(0, 10);
        entries.push({ id: entries.length + 1, pageId: page, pageOrder: page, printedPageNo: null, year, entryNo: n, numberSure: true, registrationDate, struck: false });
      }
    }
    const started = performance.now();
    const issues = findBookIssues(entries, { yearFrom: 2010, yearTo: 2014 });
    expect(performance.now() - started).toBeLessThan(2000);
    // the skip took no time (the dates run on): numbers a clerk skipped, not a lost page
    expect(issues.map((i) => [i.kind, i.year])).toEqual([2010, 2011, 2012, 2013, 2014].map((y) => ['entry_gap', y]));
  });
});
