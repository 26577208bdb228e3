import { describe, expect, it } from 'vitest';
import { findBookIssues, type BookEntry } from '../../src/extract/numbering.ts';
import { findPageNumberIssues } from '../../src/extract/page-numbers.ts';
import { AUTO_ACCEPT_THRESHOLD, decide, inAuditSample } from '../../src/extract/routing.ts';

describe('routing', () => {
  const field = (over: Partial<Parameters<typeof decide>[0]> = {}) => ({ id: 1, value: 'Nguyễn Văn An', confidence: 0.96, reasons: [], ...over });

  it('auto-accepts only a clean, confident field and says why everything else goes to a person', () => {
    const notAudited = Array.from({ length: 200 }, (_, i) => i + 1).find((id) => !inAuditSample(id, 0.02))!;
    expect(decide(field({ id: notAudited }), 'birth/2016-', 0.02)).toEqual({ status: 'auto_accepted' });
    expect(decide(field({ id: notAudited, confidence: AUTO_ACCEPT_THRESHOLD.form - 0.01 }), 'birth/2016-', 0.02)).toMatchObject({ status: 'review', reasons: ['low_confidence'] });
    // the same confidence is not enough on a ruled (often hand-written) book
    expect(decide(field({ id: notAudited }), 'birth/1961-1998', 0.02)).toMatchObject({ status: 'review', reasons: ['low_confidence'] });
    expect(decide(field({ id: notAudited, reasons: ['words_disagree'], confidence: 0.99 }), 'birth/2016-', 0.02)).toMatchObject({ status: 'review', reasons: ['words_disagree'] });
    expect(decide(field({ id: notAudited, value: null }), 'birth/2016-', 0.02)).toMatchObject({ status: 'review', reasons: ['parse_failed'] });
  });

  it('draws a stable audit sample of about the configured share of accepted fields', () => {
    const drawn = Array.from({ length: 20_000 }, (_, i) => i + 1).filter((id) => inAuditSample(id, 0.02));
    expect(drawn.length / 20_000).toBeGreaterThan(0.015);
    expect(drawn.length / 20_000).toBeLessThan(0.025);
    expect(inAuditSample(drawn[0]!, 0.02)).toBe(true);
    expect(inAuditSample(drawn[0]!, 0)).toBe(false);
    expect(decide(field({ id: drawn[0]! }), 'birth/2016-', 0.02)).toEqual({ status: 'review', reasons: ['audit_sample'], auditSample: true });
  });
});

describe('book checks', () => {
  let id = 0;
  const page = (pageId: number, numbers: (number | null)[], year = 1990): BookEntry[] =>
    numbers.map((entryNo) => ({ id: ++id, pageId, pageOrder: pageId, printedPageNo: null, year, entryNo, numberSure: true, registrationDate: `${year}-05-01`, struck: false }));

  it('finds nothing wrong in a clean book', () => {
    expect(findBookIssues([...page(1, [1, 2, 3, 4]), ...page(2, [5, 6, 7, 8]), ...page(3, [9, 10])], { yearFrom: 1990, yearTo: 1990 })).toEqual([]);
  });

  it('tells a skipped number from a missing page, and names the page after them', () => {
    const issues = findBookIssues([...page(1, [1, 2, 3, 4]), ...page(2, [5, 7, 8, 9]), ...page(3, [14, 15, 16, 17])], { yearFrom: 1990, yearTo: 1990 });
    expect(issues).toEqual([
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, detail: { after: 5, missing: [6] } }),
      expect.objectContaining({ kind: 'missing_page', pageId: 3, detail: { after: 9, before: 14 } }),
    ]);
  });

  it('takes two numbers skipped at the break between pages of three or four entries for a gap, three for a missing page', () => {
    const book = { yearFrom: 1990, yearTo: 1990 };
    expect(findBookIssues([...page(1, [1, 2, 3, 4]), ...page(2, [7, 8, 9, 10]), ...page(3, [11, 12, 13, 14])], book)).toEqual([
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, detail: { after: 4, missing: [5, 6] } }),
    ]);
    expect(findBookIssues([...page(1, [1, 2, 3, 4]), ...page(2, [8, 9, 10, 11]), ...page(3, [12, 13, 14, 15])], book)).toEqual([
      expect.objectContaining({ kind: 'missing_page', pageId: 2, detail: { after: 4, before: 8 } }),
    ]);
    // pages of three: two skipped are a gap still, three a page
    expect(findBookIssues([...page(1, [1, 2, 3]), ...page(2, [6, 7, 8]), ...page(3, [9, 10, 11])], book).map((i) => i.kind)).toEqual(['entry_gap']);
    expect(findBookIssues([...page(1, [1, 2, 3]), ...page(2, [7, 8, 9]), ...page(3, [10, 11, 12])], book).map((i) => i.kind)).toEqual(['missing_page']);
    // pages of two entries (forms): one number skipped at the break is still a page
    expect(findBookIssues([...page(1, [1, 2]), ...page(2, [4, 5]), ...page(3, [6, 7])], book).map((i) => i.kind)).toEqual(['missing_page']);
  });

  it('recognises a page scanned twice and does not count its numbers as repeats', () => {
    const issues = findBookIssues([...page(1, [1, 2, 3]), ...page(2, [4, 5, 6]), ...page(3, [4, 5, 6]), ...page(4, [7, 8])], { yearFrom: 1990, yearTo: 1990 });
    expect(issues).toEqual([expect.objectContaining({ kind: 'duplicate_page', pageId: 3, detail: { of: 2 } })]);
  });

  it('reports repeated and out-of-order numbers, dates outside the book, and restarts numbering each year', () => {
    const entries = [...page(1, [10, 10, 9]), ...page(2, [1, 2], 1991)];
    entries[0]!.registrationDate = '1985-02-01';
    const kinds = findBookIssues(entries, { yearFrom: 1990, yearTo: 1991 }).map((i) => i.kind).sort();
    expect(kinds).toEqual(['date_outside_book', 'entry_order', 'entry_repeat']);
  });
});

describe('book checks on repeats and swaps among neighbours', () => {
  let id = 3000;
  const entry = (entryNo: number): BookEntry => ({ id: ++id, pageId: 1, pageOrder: 1, printedPageNo: null, year: 1990, entryNo, numberSure: true, registrationDate: null, struck: false });
  const kinds = (...numbers: number[]) => findBookIssues(numbers.map(entry), { yearFrom: 1990, yearTo: 1990 }).map((i) => i.kind);

  it('reports a number written twice or two numbers swapped, which a misread digit cannot explain', () => {
    expect(kinds(40, 41, 41, 42, 43)).toEqual(['entry_repeat']);
    expect(kinds(40, 41, 43, 42, 44)).toContain('entry_order');
    // 47 between 41 and 43 is 42 misread: nothing to report
    expect(kinds(40, 41, 47, 43, 44)).toEqual([]);
  });
});

describe('book checks on unsure numbers', () => {
  let id = 1000;
  const entry = (pageId: number, entryNo: number, numberSure = true): BookEntry => ({ id: ++id, pageId, pageOrder: pageId, printedPageNo: null, year: 1970, entryNo, numberSure, registrationDate: null, struck: false });

  it('judges the numbering only on accepted numbers, and drops one misread digit between fitting neighbours', () => {
    // the unsure "7" between 2 and 4 is most likely 3: no gap, no disorder
    const unsure = [entry(1, 1), entry(1, 2), entry(1, 7, false), entry(1, 4)];
    expect(findBookIssues(unsure, { yearFrom: 1970, yearTo: 1970 })).toEqual([]);
    expect(findBookIssues([entry(1, 1), entry(1, 2), entry(1, 5)], { yearFrom: 1970, yearTo: 1970 })).toEqual([expect.objectContaining({ kind: 'entry_gap', detail: { after: 2, missing: [3, 4] } })]);
    // 42 read as 47 between 41 and 43
    const misread = [entry(2, 41), entry(2, 47), entry(2, 43), entry(2, 44)];
    expect(findBookIssues(misread, { yearFrom: 1970, yearTo: 1970 })).toEqual([]);
  });
});

describe('book checks with printed page numbers', () => {
  let id = 2000;
  const entries = (pageId: number, printedPageNo: number, numbers: number[]): BookEntry[] =>
    numbers.map((entryNo) => ({ id: ++id, pageId, pageOrder: pageId, printedPageNo, year: 2016, entryNo, numberSure: true, registrationDate: null, struck: false }));

  it('trusts the page numbers over the count of skipped entries', () => {
    const book = { yearFrom: 2016, yearTo: 2016 };
    // one number skipped between consecutive pages 11 and 12: an entry gap, though it falls at a page break
    expect(findBookIssues([...entries(1, 11, [209]), ...entries(2, 12, [211, 212])], book).map((i) => i.kind)).toEqual(['entry_gap']);
    // pages 12 and 14 with one number skipped: page 13 is missing
    expect(findBookIssues([...entries(1, 12, [209]), ...entries(2, 14, [211, 212])], book).map((i) => i.kind)).toEqual(['missing_page']);
  });
});

describe('book checks from printed page numbers alone', () => {
  const pages = (...numbers: (number | null)[]) => numbers.map((printedPageNo, i) => ({ pageId: i + 1, printedPageNo }));
  const found = (...numbers: (number | null)[]) => findPageNumberIssues(pages(...numbers)).map((i) => `${i.kind}@${i.pageId}`);

  it('finds a page missing between two read page numbers, unless a page whose number was not read fills the gap', () => {
    expect(found(48, 49, 50, 51)).toEqual([]);
    expect(found(48, 49, 51, 52)).toEqual(['missing_page@3']);
    expect(found(48, null, 50, 51)).toEqual([]);
    expect(found(48, null, 51, 52)).toEqual(['missing_page@3']);
  });

  it('finds a page scanned twice by its repeated number, next to it or later, and keeps it out of the sequence', () => {
    expect(found(48, 49, 49, 50)).toEqual(['duplicate_page@3']);
    expect(found(33, 34, 35, 33, 36)).toEqual(['duplicate_page@4']);
    expect(found(33, 34, 35, 33, 36, 38)).toEqual(['duplicate_page@4', 'missing_page@6']);
  });

  it('takes two facing pages in one image for the two page numbers they show', () => {
    const spread = (first: number, last: number, pageId: number) => ({ pageId, printedPageNo: first, printedPageLast: last });
    expect(findPageNumberIssues([{ pageId: 1, printedPageNo: 109 }, spread(110, 111, 2), { pageId: 3, printedPageNo: 112 }])).toEqual([]);
    expect(findPageNumberIssues([spread(110, 111, 1), { pageId: 2, printedPageNo: 113 }]).map((i) => i.kind)).toEqual(['missing_page']);
  });

  it('passes over a page number misread between neighbours that agree', () => {
    expect(found(48, 19, 50, 51)).toEqual([]);
    expect(found(48, 49, 80, 51)).toEqual([]);
  });
});

describe('book checks around unread numbers', () => {
  it('counts an entry whose number was not read as holding one of the numbers between its neighbours', () => {
    const entry = (id: number, entryNo: number | null, numberSure: boolean): BookEntry => ({ id, pageId: 1, pageOrder: 1, printedPageNo: null, year: 2012, entryNo, numberSure, struck: false, registrationDate: null });
    const book = { yearFrom: 2012, yearTo: 2012 };
    expect(findBookIssues([entry(1, 17, true), entry(2, null, false), entry(3, 19, true)], book)).toEqual([]);
    expect(findBookIssues([entry(1, 17, true), entry(2, 18, false), entry(3, 20, true)], book)).toEqual([expect.objectContaining({ kind: 'entry_gap', detail: { after: 18, missing: [19] } })]);
  });
});
