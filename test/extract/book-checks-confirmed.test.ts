import { describe, expect, it } from 'vitest';
import { findBookIssues, type BookEntry } from '../../src/extract/numbering.ts';
import { struckEntryNumbers } from '../../src/extract/struck-numbers.ts';

let id = 9000;
const entry = (pageId: number, entryNo: number | null, over: Partial<BookEntry> = {}): BookEntry =>
  ({ id: ++id, pageId, pageOrder: pageId, printedPageNo: null, year: 2023, entryNo, numberSure: true, registrationDate: null, struck: false, ...over });
const confirmed = (pageId: number, entryNo: number) => entry(pageId, entryNo, { numberVerified: true });
const book = { yearFrom: 2023, yearTo: 2023 };
const kinds = (issues: { kind: string }[]) => issues.map((i) => i.kind).sort();

/** What the book checks must still raise once people confirmed the numbers (review findings on readAwayFromRoom and the new year). */
describe('book checks on numbers a person confirmed', () => {
  it('raises a clerk\'s repeat and the number skipped after it, however far from its room the repeat reads', () => {
    // 81…86, 86 again, 88: the second 86 fits no room, but a person read it so in the book
    const read = [81, 82, 83, 84, 85, 86, 86, 88].map((n, k) => confirmed(1 + (k >> 2), n));
    expect(kinds(findBookIssues(read, book))).toEqual(['entry_gap', 'entry_repeat']);
  });

  it('raises a clerk\'s jump ahead and step back', () => {
    const read = [85, 91, 92, 93, 89, 90].map((n) => confirmed(1, n));
    expect(kinds(findBookIssues(read, book))).toContain('entry_order');
  });

  it('keeps a number lost at a new year when an unsure row below the old year\'s last reads near its end', () => {
    // 1970 ends 97, 98, 99, then "96" (its 100 misread); 1971 starts at 2: 1971's 1 is missing
    const book7071 = { yearFrom: 1970, yearTo: 1971 };
    const rows = [entry(1, 97, { year: 1970 }), entry(1, 98, { year: 1970 }), entry(1, 99, { year: 1970 }), entry(1, 96, { year: 1970, numberSure: false }),
      entry(2, 2, { year: 1971 }), entry(2, 3, { year: 1971 }), entry(2, 4, { year: 1971 })];
    // across the page break the lost number is a lost page's (the old year's end and the new year's start)
    expect(findBookIssues(rows, book7071)).toEqual([expect.objectContaining({ kind: 'missing_page', year: 1971, pageId: 2, detail: { after: 0, before: 2 } })]);
    // on one page, a gap before 2
    const onePage = rows.map((e) => ({ ...e, pageId: 1, pageOrder: 1 }));
    expect(findBookIssues(onePage, book7071)).toEqual([expect.objectContaining({ kind: 'entry_gap', year: 1971, detail: expect.objectContaining({ missing: [1] }) })]);
  });

  it('files a struck entry whose number was not read under the one number its neighbours leave', () => {
    const struck = entry(1, null, { struck: true, numberSure: false });
    expect(struckEntryNumbers([entry(1, 50), struck, entry(1, 52)])).toEqual(new Map([[struck.id, 51]]));
  });
});
