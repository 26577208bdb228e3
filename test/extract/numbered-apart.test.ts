import { describe, expect, it } from 'vitest';
import type { BookEntry } from '../../src/extract/numbering.ts';
import { numberedApart } from '../../src/extract/rescans.ts';

const entry = (pageId: number, entryNo: number | null, numberSure: boolean): BookEntry =>
  ({ id: pageId * 100 + (entryNo ?? 0), pageId, pageOrder: pageId, printedPageNo: null, year: 2012, entryNo, numberSure, registrationDate: null } as BookEntry);

describe('numberedApart: two pages alike in ink that their entry numbers tell apart', () => {
  it('tells pages apart by numbers accepted on both', () => {
    expect(numberedApart([entry(1, 66, true), entry(2, 70, true)], 1, 2)).toBe(true);
    expect(numberedApart([entry(1, 66, true), entry(2, 66, true)], 1, 2)).toBe(false);
  });

  it('tells pages apart by numbers read but held, two or more on each page, none shared', () => {
    const held = [entry(1, 12, false), entry(1, 13, false), entry(2, 16, false), entry(2, 17, false)];
    expect(numberedApart(held, 1, 2)).toBe(true);
  });

  it('keeps a second scan whose held numbers read partly alike, or too few numbers to judge, as a rescan', () => {
    // a hand's numbers misread differently on the two scans, one alike: the same page
    expect(numberedApart([entry(1, 93, false), entry(1, 94, false), entry(2, 95, false), entry(2, 94, false)], 1, 2)).toBe(false);
    expect(numberedApart([entry(1, 12, false), entry(2, 16, false), entry(2, 17, false)], 1, 2)).toBe(false);
    expect(numberedApart([entry(1, null, false), entry(1, null, false), entry(2, 16, false), entry(2, 17, false)], 1, 2)).toBe(false);
  });
});
