import { describe, expect, it } from 'vitest';
import { withYearsOfBook } from '../../src/extract/book-years.ts';
import { findBookIssues, numbersOutOfSequence, type BookEntry } from '../../src/extract/numbering.ts';
import { struckEntryNumbers } from '../../src/extract/struck-numbers.ts';

let id = 5000;
const entry = (pageId: number, entryNo: number | null, over: Partial<BookEntry> = {}): BookEntry =>
  ({ id: ++id, pageId, pageOrder: pageId, printedPageNo: null, year: 2023, entryNo, numberSure: true, registrationDate: null, struck: false, ...over });
const unsure = (pageId: number, entryNo: number) => entry(pageId, entryNo, { numberSure: false });
const book = { yearFrom: 2023, yearTo: 2023 };

describe('book checks before review', () => {
  it('raises a gap between runs of unsure numbers read in order, not beside numbers that agree only in pairs', () => {
    // hand-written numbers, none accepted: 20, 21, 22 | 25, 26, 27 read in order on both sides of the gap
    const read = [unsure(1, 20), unsure(1, 21), unsure(1, 22), unsure(2, 25), unsure(2, 26), unsure(2, 27)];
    expect(findBookIssues(read, book)).toEqual([expect.objectContaining({ kind: 'entry_gap', pageId: 2, detail: { after: 22, missing: [23, 24] } })]);
    // one unsure reading that agrees with nothing may be a misread digit: no claim
    expect(findBookIssues([unsure(1, 20), unsure(1, 24), unsure(2, 31), unsure(2, 35)], book)).toEqual([]);
    // the same digit misread in two neighbours (39, 40 read 59, 60) agrees with itself, but makes no run of three
    expect(findBookIssues([unsure(1, 37), unsure(1, 38), unsure(1, 59), unsure(2, 60), unsure(2, 41), unsure(2, 42)], book)).toEqual([]);
    // a run sharing a misread digit (33, 34, 35 read 53, 54, 55) claims no twenty lost numbers, nor a step back after it
    expect(findBookIssues([unsure(1, 30), unsure(1, 31), unsure(1, 32), unsure(2, 53), unsure(2, 54), unsure(2, 55), unsure(3, 36), unsure(3, 37), unsure(3, 38)], book)).toEqual([]);
    // a pair of unsure numbers that agree with each other and with the numbers read around them claims the few numbers a
    // clerk skips (seed 2931 b10: 157, struck 158, 159 | 162, 163), never more (152, 153 read 162, 163 alike)
    const struck = entry(1, 158, { numberSure: false, struck: true });
    expect(findBookIssues([unsure(1, 157), struck, unsure(1, 159), unsure(1, 162), unsure(1, 163)], book).filter((i) => i.kind === 'entry_gap'))
      .toEqual([expect.objectContaining({ pageId: 1, detail: { after: 159, missing: [160, 161] } })]);
    expect(findBookIssues([unsure(1, 149), unsure(1, 150), unsure(1, 151), unsure(1, 162), unsure(1, 163)], book)).toEqual([]);
    // nor do two numbers read in the wrong order
    expect(findBookIssues([unsure(1, 13), unsure(1, 15), unsure(1, 14), unsure(2, 19), unsure(2, 22)], book)).toEqual([]);
  });

  it('judges unsure numbers that agree with the rows between them, read or not (a ruled page\'s numbers half read)', () => {
    const row = (pageId: number) => entry(pageId, null, { numberSure: false });
    // 25 not read, 26 and 27 never written, 30 not read, 33 read 83: 28, 29 and 31 agree with the rows between; two of
    // 25–27 are missing beside the row not read (which two, a person reading it tells)
    const read = [unsure(1, 20), unsure(1, 21), unsure(1, 22), unsure(2, 23), unsure(2, 24), row(2), unsure(2, 28), unsure(2, 29), row(2),
      unsure(3, 31), unsure(3, 32), unsure(3, 83), row(3)];
    expect(findBookIssues(read, book)).toEqual([
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, entryId: read[6]!.id, detail: { after: 24, missing: [25, 26, 27], count: 2, notRead: 1 } }),
    ]);
    // two numbers that agree across a row, and nothing else: no run of three
    expect(findBookIssues([unsure(1, 20), unsure(1, 21), unsure(1, 22), row(2), unsure(2, 28), row(2), unsure(2, 30)], book)).toEqual([]);
  });

  it('places gaps by the unsure numbers read between, and names one beside a number not read among the numbers around it', () => {
    const row = (pageId: number) => entry(pageId, null, { numberSure: false });
    // typed numbers sent to a person: 112–113, 116–117 and 120–121 skipped by the clerk, 118 glued to the name
    const read = [unsure(1, 109), unsure(1, 110), unsure(1, 111), unsure(1, 114), unsure(1, 115), row(2), unsure(2, 119),
      unsure(2, 122), unsure(2, 123), unsure(2, 124), unsure(3, 125)];
    expect(findBookIssues(read, book)).toEqual([
      expect.objectContaining({ kind: 'entry_gap', pageId: 1, detail: { after: 111, missing: [112, 113] } }),
      // the row not read holds one of 116–118: two of them are missing, which two a person reading it tells
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, entryId: read[6]!.id, detail: { after: 115, missing: [116, 117, 118], count: 2, notRead: 1 } }),
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, detail: { after: 119, missing: [120, 121] } }),
    ]);
    // a person found that number unreadable (a torn corner): the gap beside it no longer waits, it is named after it
    const torn = read.map((e) => (e.entryNo === null ? { ...e, numberUnreadable: true } : e));
    expect(findBookIssues(torn, book)).toEqual([
      expect.objectContaining({ kind: 'entry_gap', pageId: 1, detail: { after: 111, missing: [112, 113] } }),
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, detail: { after: 116, missing: [117, 118] } }),
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, detail: { after: 119, missing: [120, 121] } }),
    ]);
  });

  it('places gaps by the readings between that agree, leaving out a misread one that fits nowhere', () => {
    const row = (pageId: number) => entry(pageId, null, { numberSure: false });
    // seed 3131 b12 (hand-written): 4 | 25, (row), 8, 9, 0, 7 | 12 with 7 never written: 25, 0 and 7 fit nowhere, so
    // one of 5–7 is missing beside the two rows not read, before 8; not "11 missing" before 12
    const b12 = [entry(1, 3), entry(1, 4), unsure(1, 25), row(2), unsure(2, 8), unsure(2, 9), unsure(2, 0), unsure(2, 7), entry(2, 12), entry(3, 13)];
    expect(findBookIssues(b12, book).filter((i) => i.kind === 'entry_gap'))
      .toEqual([expect.objectContaining({ entryId: b12[4]!.id, detail: { after: 4, missing: [5, 6, 7], count: 1, notRead: 2 } })]);
    // 6 never written: 5, 7, 8 agree, 0 (a 9 read wrong) fits nowhere; the gap is 6, before 7, not 9 before 10
    const read = [entry(1, 3), entry(1, 4), unsure(1, 5), unsure(1, 7), unsure(1, 8), unsure(1, 0), entry(1, 10), entry(1, 11)];
    expect(findBookIssues(read, book).filter((i) => i.kind === 'entry_gap')).toEqual([expect.objectContaining({ entryId: read[3]!.id, detail: { after: 5, missing: [6] } })]);
    // a lone reading that agrees with no neighbour places nothing: the gap is named on the number after, among the
    // numbers between those read around the rows not placed
    const lone = [entry(1, 3), entry(1, 4), unsure(1, 5), unsure(1, 0), unsure(1, 31), entry(1, 9), entry(1, 10)];
    expect(findBookIssues(lone, book).filter((i) => i.kind === 'entry_gap'))
      .toEqual([expect.objectContaining({ entryId: lone[5]!.id, detail: { after: 5, missing: [6, 7, 8], count: 1, notRead: 2 } })]);
  });

  it('takes numbers missing on both sides of a struck entry at a page break for two gaps, not a lost page', () => {
    const forms = [entry(1, 20), entry(1, 21), entry(2, 23, { struck: true }), entry(2, 25), entry(3, 26), entry(3, 27)];
    expect(findBookIssues(forms, book).filter((i) => i.kind !== 'struck_entry')).toEqual([
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, detail: { after: 21, missing: [22] } }),
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, detail: { after: 23, missing: [24] } }),
    ]);
  });

  it('places a gap beside a struck entry and an unsure number by their readings', () => {
    // 29 struck out, 30 never written, 31 read unsurely: the gap is 30, before 31
    const [a, struck, c, d] = [entry(1, 28), entry(1, 29, { struck: true }), unsure(1, 31), entry(1, 32)];
    const issues = findBookIssues([a!, struck!, c!, d!], book);
    expect(issues.filter((i) => i.kind === 'entry_gap')).toEqual([expect.objectContaining({ entryId: c!.id, pageId: 1, detail: { after: 29, missing: [30] } })]);
  });
});

describe('struck entries read under a wrong number', () => {
  it('files a struck entry under the one number its neighbours leave for it', () => {
    // its neighbours' numbers need not be sure: both readings leave room for one number between them
    const [a, struck, b, c] = [unsure(1, 50), entry(1, 57, { struck: true, numberSure: false }), unsure(2, 52), entry(2, 53)];
    expect(struckEntryNumbers([a!, struck!, b!, c!])).toEqual(new Map([[struck!.id, 51]]));
    // numbers skipped beside it as well: it holds one of 32–34, which one its place cannot tell (it was filed under 32)
    const [c1, s1, d1] = [unsure(1, 31), entry(1, 52, { struck: true, numberSure: false }), unsure(2, 35)];
    expect(struckEntryNumbers([c1!, s1!, d1!])).toEqual(new Map([[s1!.id, null]]));
    // a reading below the number read before it, rows not read between as well (seed 3281 b02 before review: "2" after 4)
    const s2 = entry(1, 2, { struck: true, numberSure: false });
    const row = () => entry(2, null, { numberSure: false });
    expect(struckEntryNumbers([unsure(1, 3), unsure(1, 4), s2, row(), row(), row(), unsure(3, 11)])).toEqual(new Map([[s2.id, null]]));
    // unless its reading fits between: it may be right
    expect(struckEntryNumbers([unsure(1, 31), entry(1, 33, { struck: true }), unsure(2, 35)])).toEqual(new Map());
    // written again under its own number, or read rightly: nothing to change
    expect(struckEntryNumbers([entry(1, 50), entry(1, 51, { struck: true }), entry(1, 52)])).toEqual(new Map());
    expect(struckEntryNumbers([entry(1, 50), entry(1, 51, { struck: true }), entry(1, 51), entry(1, 52)])).toEqual(new Map());
  });
});

describe('a struck entry beside numbers skipped', () => {
  it('names the gap among the numbers around a struck entry whose number is not known, not after a number it was given', () => {
    // 4, struck, 8 once review confirmed the numbers (seed 3281 b02): the struck entry's reading fits nowhere, so it holds
    // one of 5–7 and two of them are missing; it was filed under 5, which made "6, 7 missing after 5" of "5, 6 after 4"
    const struck = entry(2, 2, { struck: true, numberSure: false });
    const read = [entry(1, 2), entry(1, 3), entry(2, 4), struck, entry(3, 8), entry(3, 9), entry(3, 10), entry(4, 11), entry(4, 12), entry(4, 13)];
    const filed = read.map((e) => (struckEntryNumbers(read).has(e.id) ? { ...e, entryNo: struckEntryNumbers(read).get(e.id)! } : e));
    expect(findBookIssues(filed, book)).toEqual([
      expect.objectContaining({ kind: 'entry_gap', entryId: read[4]!.id, detail: { after: 4, missing: [5, 6, 7], count: 2, notRead: 1, struck: 1 } }),
      expect.objectContaining({ kind: 'struck_entry', entryId: struck.id, detail: { entryNo: null } }),
    ]);
    // with exactly one number free it is that number, and no gap
    const exact = [entry(1, 3), entry(2, 4), struck, entry(3, 6)];
    expect(struckEntryNumbers(exact)).toEqual(new Map([[struck.id, 5]]));
  });
});

describe('a run of numbers misread alike', () => {
  it('raises nothing for numbers read away from the room their neighbours leave, and sends the accepted ones to a person', () => {
    // typed 86–90 read as years off another column (seed 3286 b04: 1944, 1955, 1957, two not read) between 85 and 91,
    // which leave room for exactly the five rows: a lost page, a gap and a step back were raised, five alarms in all
    const row = () => entry(2, null, { numberSure: false });
    const [y1, y2, y3] = [entry(2, 1944), unsure(2, 1955), entry(2, 1957)];
    const read = [81, 82, 83, 84, 85].map((n) => entry(1, n)).concat([y1, y2, y3, row(), row()], [91, 92, 93, 94, 95].map((n) => entry(3, n)));
    expect(findBookIssues(read, book)).toEqual([]);
    expect(numbersOutOfSequence(read)).toEqual([y1, y3]);
    // with more room than rows the numbers skipped after 85 are still raised (with the misread run's own alarms)
    const lost = read.filter((e) => e.entryNo !== 91 && e.entryNo !== 92);
    expect(findBookIssues(lost, book)[0]).toMatchObject({ kind: 'missing_page', detail: { after: 85 } });
  });
});

describe('a number read away from its room', () => {
  it('counts as a row not read, so the numbers around it judge the numbering (a lost page after it)', () => {
    // seed 3281 b04 (hand-written): 102, 103 read "1035", 104, 105 | 110, 111, 112: without "1035" 102, 104, 105 agree as a
    // run, and four numbers skipped at the page break of pages of three or four rows are a page lost
    const read = [unsure(1, 102), unsure(1, 1035), unsure(1, 104), unsure(1, 105), unsure(2, 110), unsure(2, 111), unsure(2, 112)];
    expect(findBookIssues(read, book)).toEqual([expect.objectContaining({ kind: 'missing_page', pageId: 2, entryId: read[4]!.id, detail: { after: 105, before: 110 } })]);
  });
});

describe('book checks across a new year and on second scans read unsurely', () => {
  it('takes a new year whose first number read is above 1, across a page break, for a page lost with the year\'s end', () => {
    const years = [entry(1, 106, { year: 1957 }), entry(1, 107, { year: 1957 }), entry(1, 108, { year: 1957 }), entry(2, 2, { year: 1958 }), entry(2, 3, { year: 1958 }), entry(2, 4, { year: 1958 })];
    expect(findBookIssues(years, { yearFrom: 1957, yearTo: 1958 })).toEqual([expect.objectContaining({ kind: 'missing_page', pageId: 2, year: 1958, detail: { after: 0, before: 2 } })]);
    // the new year's 1 read "4" after the old year's last number (seed 3286 b02: 99, two rows not read, "4", 2, 3): the row
    // filed under the old year for its number holds the new year's 1, no number is missing
    const restartMisread = [...years.slice(0, 3), entry(2, 4, { year: 1957, numberSure: false }), entry(2, 2, { year: 1958, numberSure: false }), entry(2, 3, { year: 1958, numberSure: false }), entry(3, 4, { year: 1958 })];
    expect(findBookIssues(restartMisread, { yearFrom: 1957, yearTo: 1958 })).toEqual([]);
    // starting again at 1 is no fault; nor is a year misread on one entry whose number runs on
    expect(findBookIssues([...years.slice(0, 3), entry(2, 1, { year: 1958 }), entry(2, 2, { year: 1958 })], { yearFrom: 1957, yearTo: 1958 })).toEqual([]);
    expect(findBookIssues([...years.slice(0, 3), entry(2, 109, { year: 1958 }), entry(2, 110, { year: 1957 })], { yearFrom: 1957, yearTo: 1958 })).toEqual([]);
  });

  it('tells a second scan by numbers read unsurely in a run, and does not take them for a step back', () => {
    const read = [entry(1, 48), entry(1, 49), entry(1, 50), entry(2, 51), entry(2, 52), entry(2, 53), unsure(3, 51), unsure(3, 52), unsure(3, 53)];
    expect(findBookIssues(read, book)).toEqual([expect.objectContaining({ kind: 'duplicate_page', pageId: 3, detail: { of: 2 } })]);
  });
});


describe('a lost page of few entries told from numbers a clerk skipped', () => {
  const dated = (pageId: number, entryNo: number, date: string) => entry(pageId, entryNo, { year: 1957, registrationDate: date });
  // four long entries a page; the lost page held only two (101, 102): as few numbers as a clerk skips
  const before = [dated(1, 97, '1957-11-06'), dated(1, 98, '1957-11-11'), dated(1, 99, '1957-11-13'), dated(1, 100, '1957-11-14')];
  const after = (first: string) => [dated(2, 103, first), dated(2, 104, '1957-11-30'), dated(2, 105, '1957-11-30'), dated(2, 106, '1957-12-04'),
    dated(3, 107, '1957-12-10'), dated(3, 108, '1957-12-10'), dated(3, 109, '1957-12-13')];
  const year = { yearFrom: 1957, yearTo: 1957 };

  it('takes two numbers skipped at a page break for a lost page when the dates jump by several entries\' time', () => {
    // eleven days from 100 to 103 where an entry comes about every three: the time of the two entries lost with the page
    expect(findBookIssues([...before, ...after('1957-11-25')], year)).toEqual([expect.objectContaining({ kind: 'missing_page', pageId: 2, detail: { after: 100, before: 103 } })]);
  });

  it('keeps them a clerk\'s skip when the dates run on as usual, or are not known', () => {
    expect(findBookIssues([...before, ...after('1957-11-16')], year)).toEqual([expect.objectContaining({ kind: 'entry_gap', pageId: 2, detail: { after: 100, missing: [101, 102] } })]);
    const undated = [...before, ...after('1957-11-25')].map((e) => ({ ...e, registrationDate: null }));
    expect(findBookIssues(undated, year)).toEqual([expect.objectContaining({ kind: 'entry_gap', pageId: 2, detail: { after: 100, missing: [101, 102] } })]);
  });
});

describe('entries whose dates were not read, in a book of two years', () => {
  const years = { yearFrom: 1969, yearTo: 1970 };
  const row = (pageId: number, entryNo: number, year: number | null = null) => entry(pageId, entryNo, { numberSure: false, year });

  it('takes their year from the restart of the numbering, and a year begun at 1 for a third number agreeing', () => {
    // a small typed book: 65 of 1969, then 1, 2 of 1970; a page lost (3–7); 8–11. Only two dates were read
    const read = [row(1, 65), row(1, 1, 1970), row(1, 2), row(2, 8), row(2, 9, 1970), row(2, 10, 1970), row(2, 11)];
    expect(withYearsOfBook(read, years).map((e) => e.year)).toEqual([1969, 1970, 1970, 1970, 1970, 1970, 1970]);
    expect(findBookIssues(withYearsOfBook(read, years), years)).toEqual([expect.objectContaining({ kind: 'missing_page', pageId: 2, year: 1970, detail: { after: 2, before: 8 } })]);
    // the same numbers with their years unknown are not judged: nothing is claimed
    expect(findBookIssues(read.map((e) => ({ ...e, year: null })), years)).toEqual([]);
  });

  it('with no year read at all, only when the restarts read are the book\'s years', () => {
    const read = [row(1, 88), row(1, 89), row(1, 90), row(1, 1), row(2, 2), row(2, 3), row(2, 4), row(3, 5), row(3, 6), row(3, 8), row(3, 9), row(3, 10)];
    expect(withYearsOfBook(read, years).map((e) => e.year)).toEqual([1969, 1969, 1969, ...Array(9).fill(1970)]);
    expect(findBookIssues(withYearsOfBook(read, years), years)).toEqual([expect.objectContaining({ kind: 'entry_gap', year: 1970, pageId: 3, detail: { after: 6, missing: [7] } })]);
    expect(findBookIssues(read, years)).toEqual([]);
    // 11 read "1" (a digit lost) at the end: nothing read after it continues it, so it starts no year
    expect(withYearsOfBook([...read, row(3, 1)], years).map((e) => e.year)).toEqual([1969, 1969, 1969, ...Array(10).fill(1970)]);
    // seed 2931 b10 (hand-written, 1990–1991, no date read): the page with 164… and 1 lost, 11 read "1"
    const b10 = [row(1, 157), row(1, 158), row(1, 159), row(1, 162), row(1, 163), row(2, 2), row(2, 3), row(2, 4), row(2, 5), entry(2, null, { numberSure: false, year: null }),
      entry(3, null, { numberSure: false, year: null }), row(3, 8), row(3, 9), row(3, 10), row(3, 1)];
    const twoYears = { yearFrom: 1990, yearTo: 1991 };
    // 160–161 skipped before a pair read unsurely (162, 163, the page's last rows): a gap a clerk's skip makes, claimed
    expect(findBookIssues(withYearsOfBook(b10, twoYears), twoYears)).toEqual([
      expect.objectContaining({ kind: 'entry_gap', pageId: 1, year: 1990, detail: { after: 159, missing: [160, 161] } }),
      expect.objectContaining({ kind: 'missing_page', pageId: 2, year: 1991 }),
    ]);
    // a misread low number that something read after seems to continue: two "restarts" for one change of year, no year taken
    const misread = [...read.slice(0, 5), row(2, 1), row(2, 2), row(2, 4)];
    expect(withYearsOfBook(misread, years).every((e) => e.year === null)).toBe(true);
    // a year known on both sides that the restarts read between do not join: the entries between stay without a year
    const torn = [row(1, 40, 1969), row(1, 1), row(1, 2), row(1, 3, 1969)];
    expect(withYearsOfBook(torn, years).map((e) => e.year)).toEqual([1969, null, null, 1969]);
    // a lone low number between two of one year is a misread, not a year: it keeps theirs
    expect(withYearsOfBook([row(1, 40, 1970), row(1, 1), row(1, 42, 1970)], years).map((e) => e.year)).toEqual([1970, 1970, 1970]);
  });
});

describe('gaps beside numbers not read, before review', () => {
  const row = (pageId: number) => entry(pageId, null, { numberSure: false });

  it('names numbers missing beside a row not read between the numbers read around it, saying how many', () => {
    // seed 3134 b02 (hand-written): 274, 275, 278 not read | 279, 280 …: two of 276–278 are missing; not "277, 278"
    const read = [unsure(1, 274), unsure(1, 275), row(1), unsure(2, 279), unsure(2, 280), row(2), unsure(3, 282), unsure(3, 283), unsure(3, 284), unsure(3, 285)];
    expect(findBookIssues(read, book)).toEqual([
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, entryId: read[3]!.id, detail: { after: 275, missing: [276, 277, 278], count: 2, notRead: 1 } }),
    ]);
  });

  it('names a lost page on the page after it, not where a misread number after it ends the run', () => {
    // seed 3132 b04: 46–49 | 54, 55, 56 struck, 57 read 52 | 58–61: 50–53 were on a lost page before 54
    const read = [46, 47, 48, 49].map((n) => unsure(1, n)).concat([unsure(2, 54), unsure(2, 55), entry(2, 56, { struck: true, numberSure: false }), unsure(2, 52)],
      [58, 59, 60, 61].map((n) => unsure(3, n)));
    expect(findBookIssues(read, book).filter((i) => i.kind !== 'struck_entry')).toEqual([
      expect.objectContaining({ kind: 'missing_page', pageId: 2, entryId: read[4]!.id, detail: { after: 49, before: 54 } }),
    ]);
  });

  it('lets two pairs of neighbouring rows claim a lost page when no digit misread alike could close it', () => {
    // seed 3133 b04: 85, 86 | (90 not read), 91, 92 | …: 87–89 lost with a page; no tens digit of 86 or 91 misread makes it
    const read = [unsure(1, 85), unsure(1, 86), row(2), unsure(2, 91), unsure(2, 92), row(3), row(3)];
    expect(findBookIssues(read, book)).toEqual([
      expect.objectContaining({ kind: 'missing_page', pageId: 2, entryId: read[3]!.id, detail: { after: 86, before: 91 } }),
    ]);
    // a pair across a row not read is weaker: no claim beyond the numbers a clerk skips (as before)
    expect(findBookIssues([unsure(1, 85), unsure(1, 86), row(2), unsure(2, 91), row(2), unsure(2, 93), row(3)], book)).toEqual([]);
  });

  it('lets a lone unsure number next to a run claim the numbers a clerk skips, saying it rests on that number', () => {
    // 32–35 read in a run, then 38 and a higher number after it: 36 and 37 skipped
    const run = [unsure(1, 30), unsure(1, 37), unsure(1, 32), unsure(2, 33), unsure(2, 34), unsure(2, 35), unsure(2, 38), unsure(3, 49)];
    expect(findBookIssues(run, book)).toEqual([
      expect.objectContaining({ kind: 'entry_gap', pageId: 2, entryId: run[6]!.id, detail: { after: 35, missing: [36, 37], numberUnsure: true } }),
    ]);
    // a wild number after it vouches for nothing (seed 3272 b01: 226 read 228, then 227 read 223)
    expect(findBookIssues([unsure(1, 222), unsure(1, 223), unsure(1, 224), unsure(1, 225), unsure(2, 228), unsure(2, 223), unsure(2, 235)], book)).toEqual([]);
    // seed 3133 b11: the row after 38 read "29" (39), then 40: 38 and 40 leave room for that row alone, so "29" is a row
    // not read and 38, 40 agree across it as a pair; the pair claims the two numbers skipped before it (the true gap)
    const b11 = [unsure(1, 30), unsure(1, 37), unsure(1, 32), unsure(2, 33), unsure(2, 34), unsure(2, 35), unsure(2, 38), unsure(3, 29), unsure(3, 40), unsure(3, 47)];
    expect(findBookIssues(b11, book)).toEqual([expect.objectContaining({ kind: 'entry_gap', entryId: b11[6]!.id, detail: { after: 35, missing: [36, 37] } })]);
    // seed 3134 b08: the book's last row, 21 after 17, 18, 19
    const b08 = [unsure(1, 16), unsure(1, 17), unsure(1, 18), unsure(1, 19), unsure(1, 21)];
    expect(findBookIssues(b08, book)).toEqual([expect.objectContaining({ kind: 'entry_gap', entryId: b08[4]!.id, detail: { after: 19, missing: [20], numberUnsure: true } })]);
    // seed 3131 b15: 220–222, then 223 read "225" before a row not read (224) and 225 struck: nothing tells 225 from a misread 223
    const b15 = [unsure(1, 220), unsure(1, 221), unsure(2, 222), unsure(2, 225), row(3), entry(3, 225, { struck: true, numberSure: false }), unsure(4, 226), unsure(4, 227)];
    expect(findBookIssues(b15, book).filter((i) => i.kind !== 'struck_entry')).toEqual([]);
    // nor a number the row after it falls short of (38 then 37: 38 is more likely 36 misread)
    expect(findBookIssues([unsure(1, 33), unsure(1, 34), unsure(1, 35), unsure(1, 38), unsure(2, 37), unsure(2, 47)], book)).toEqual([]);
  });

  it('lets no lone number claim a skip when OCR doubted one of its digits', () => {
    // seed 3341 b20: 100–103 read in a run, then 104 read "105" with its 5 doubted, the book's last row
    const rows = [unsure(1, 100), unsure(1, 101), unsure(2, 102), unsure(2, 103), entry(3, 105, { numberSure: false, numberDoubted: true })];
    expect(findBookIssues(rows, book)).toEqual([]);
    // the same number read without a doubt claims the skip, as before (across a page break of two rows: a lost page)
    expect(findBookIssues(rows.map((e) => ({ ...e, numberDoubted: false })), book)).toEqual([expect.objectContaining({ kind: 'missing_page', detail: { after: 103, before: 105, numberUnsure: true } })]);
  });
});
