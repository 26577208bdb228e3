import { describe, expect, it } from 'vitest';
import { bookTruthSchema } from '../../schemas/corpus.ts';
import { scoreBookChecks } from '../../src/eval/metrics/book-checks.ts';
import { pairEntries, scoreExtraction, type StoredEntry } from '../../src/eval/metrics/extraction.ts';

const truth = bookTruthSchema.parse({
  pages: [],
  entries: [
    { key: 'b01/1990/1', year: 1990, entryNo: 1, pages: [0], fields: { fullName: { value: 'Nguyễn Văn An', page: 0, box: [0, 0, 1, 1] }, birthDate: { value: '1990-01-02', page: 0, box: [0, 0, 1, 1] } },
      notes: [{ kind: 'death', date: '2001-02-03' }] },
    { key: 'b01/1990/2', year: 1990, entryNo: 2, pages: [0], fields: { fullName: { value: 'Lê Thị Bình', page: 0, box: [0, 0, 1, 1] } } },
    { key: 'b01/1990/3', year: 1990, entryNo: 3, pages: [1], struck: true, fields: { fullName: { value: 'X', page: 1, box: [0, 0, 1, 1] } } },
  ],
  faults: [{ kind: 'missing_page', page: 1 }, { kind: 'entry_gap', year: 1990, after: 2, missing: [3] }],
});
const books = [{ id: 'b01', era: '1961-1998', fill: 'typed', truth }];
const stored = (over: Partial<StoredEntry>): StoredEntry => ({ book: 'b01', year: 1990, entryNo: 1, struck: false, fields: {}, notes: [], ...over });

describe('extraction scores', () => {
  it('pairs a number read twice (a page delivered twice) with the copy on the page the truth names', () => {
    const onPage = (page: number, name: string) => stored({ page, seq: 0, fields: { fullName: { value: name, status: 'auto_accepted' } } });
    // the second scan (delivered page 2) listed first, as the database may return it
    for (const entries of [[onPage(2, 'Nguyễn Văn Ân'), onPage(0, 'Nguyễn Văn An')], [onPage(0, 'Nguyễn Văn An'), onPage(2, 'Nguyễn Văn Ân')]]) {
      const paired = pairEntries(books, entries);
      expect(paired.get('b01/1990/1')?.machine.page).toBe(0);
    }
  });

  it('pairs a number read on two entries of the truth’s page with the one whose number was accepted, else the one at its place', () => {
    const entry = (seq: number, name: string, status: 'auto_accepted' | 'review') =>
      stored({ page: 0, seq, entryNo: 2, fields: { entryNo: { value: '2', status }, fullName: { value: name, status: 'auto_accepted' } } });
    // entry 1 read "2" (unsure) beside the real entry 2
    expect(pairEntries(books, [entry(0, 'Nguyễn Văn An', 'review'), entry(1, 'Lê Thị Bình', 'auto_accepted')]).get('b01/1990/2')?.machine.fields.fullName?.value).toBe('Lê Thị Bình');
    // both unsure: the one at the truth entry's place (second on the page)
    const paired = pairEntries(books, [entry(0, 'Nguyễn Văn An', 'review'), entry(1, 'Lê Thị Bình', 'review')]);
    expect(paired.get('b01/1990/2')?.machine.fields.fullName?.value).toBe('Lê Thị Bình');
    // and the other is paired with entry 1 by its place
    expect(paired.get('b01/1990/1')).toMatchObject({ byNumber: false, machine: { seq: 0 } });
  });

  it('pairs an unsure number read on another page than the truth\'s by its place, not by that number', () => {
    // 5 read "9" on the first page and 9 read "5" on the third: a person reading each entry types its own number
    const twoPages = bookTruthSchema.parse({
      pages: [],
      entries: [5, 9].map((n, i) => ({ key: `b02/2014/${n}`, year: 2014, entryNo: n, pages: [2 * i], fields: {} })),
      faults: [],
    });
    const read = (page: number, entryNo: number, status: 'review' | 'auto_accepted') =>
      stored({ book: 'b02', year: 2014, page, seq: 0, entryNo, fields: { entryNo: { value: String(entryNo), status } } });
    const paired = pairEntries([{ id: 'b02', truth: twoPages }], [read(0, 9, 'review'), read(2, 5, 'review')]);
    expect(paired.get('b02/2014/5')).toMatchObject({ byNumber: false, machine: { page: 0 } });
    expect(paired.get('b02/2014/9')).toMatchObject({ byNumber: false, machine: { page: 2 } });
    // a number the machine accepted stays as read: nobody looks at it
    expect(pairEntries([{ id: 'b02', truth: twoPages }], [read(0, 9, 'auto_accepted'), read(2, 5, 'review')]).get('b02/2014/9'))
      .toMatchObject({ byNumber: true, machine: { page: 0 } });
  });

  it('pairs entries whose numbers were not read by their place between the entries paired by number', () => {
    // 23 not found, 25 and 30 read without a number: 25 lies between 24 and 28, 30 after 29; 23 pairs with nothing
    const page = bookTruthSchema.parse({
      pages: [],
      entries: [23, 24, 25, 28, 29, 30].map((n) => ({ key: `b03/1993/${n}`, year: 1993, entryNo: n, pages: [2], fields: {} })),
      faults: [],
    });
    const found = [24, null, 28, 29, null].map((entryNo, seq) => stored({ book: 'b03', year: 1993, page: 2, seq, entryNo }));
    const paired = pairEntries([{ id: 'b03', truth: page }], found);
    expect(paired.get('b03/1993/25')).toMatchObject({ byNumber: false, machine: { seq: 1 } });
    expect(paired.get('b03/1993/30')).toMatchObject({ byNumber: false, machine: { seq: 4 } });
    expect(paired.has('b03/1993/23')).toBe(false);
  });

  it('pairs an unsure number by number only where its place on the page agrees with the pairs around it', () => {
    // seed 2931 b08: rows 34–37 read as a row without a number, "35", "34" (for 36) and a row without a number, all
    // unsure: a person types 36 on the third row, so it pairs with 36, and 34 is the first row
    const page = bookTruthSchema.parse({
      pages: [],
      entries: [34, 35, 36, 37].map((n) => ({ key: `b08/1961/${n}`, year: 1961, entryNo: n, pages: [0], fields: {} })),
      faults: [],
    });
    const found = [null, 35, 34, null].map((entryNo, seq) => stored({ book: 'b08', year: 1961, page: 0, seq, entryNo, fields: entryNo ? { entryNo: { value: String(entryNo), status: 'review' } } : {} }));
    const paired = pairEntries([{ id: 'b08', truth: page }], found);
    expect([34, 35, 36, 37].map((n) => paired.get(`b08/1961/${n}`)?.machine.seq)).toEqual([0, 1, 2, 3]);
    expect(paired.get('b08/1961/35')?.byNumber).toBe(true);
    // an unsure number at another place than its truth's, in order with the rest (a row above not found), pairs by number
    const shifted = [24, 25, 28].map((entryNo, seq) => stored({ book: 'b03', year: 1993, page: 2, seq, entryNo, fields: { entryNo: { value: String(entryNo), status: 'review' } } }));
    const fewer = bookTruthSchema.parse({ pages: [], entries: [23, 24, 25, 28].map((n) => ({ key: `b03/1993/${n}`, year: 1993, entryNo: n, pages: [2], fields: {} })), faults: [] });
    expect(pairEntries([{ id: 'b03', truth: fewer }], shifted).get('b03/1993/24')).toMatchObject({ byNumber: true, machine: { seq: 0 } });
  });

  it('counts found entries, machine accuracy, auto-accepted errors (the entry number too), review and invented fields', () => {
    const report = scoreExtraction(books, [
      stored({ page: 0, seq: 0, fields: { entryNo: { value: '1', status: 'auto_accepted' }, fullName: { value: 'Nguyễn  Văn An', status: 'auto_accepted' }, birthDate: { value: '1990-01-03', status: 'auto_accepted' } },
        notes: [{ kind: 'death', field: null, newValue: null, date: '2001-02-03' }] }),
      // entry 2 with its number misread as 9: paired by its place on the page, its wrong number counts as an accepted error
      stored({ page: 0, seq: 1, entryNo: 9, fields: { entryNo: { value: '9', status: 'auto_accepted' }, fullName: { value: 'Ai Đó', status: 'review' } } }),
      // an entry read where the truth has none: its fields were invented
      stored({ page: 1, seq: 0, entryNo: 7, fields: { fullName: { value: 'Không Có', status: 'review' } } }),
    ]);
    expect(report.entries).toEqual({ truth: 2, found: 1, precision: 1 / 3, recall: 0.5, continued: { truth: 0, joined: 0 } });
    expect(report.notes).toEqual({ truth: 1, read: 1, recall: 1 });
    // five truth values: two entry numbers, two names, one date
    expect(report.fields).toMatchObject({ machineAccuracy: 2 / 5, autoAcceptRate: 4 / 5, autoAcceptedErrorRate: 0.5, reviewRate: 1 / 5, invented: 1 });
    // what the archive ends with: the accepted right values and the reviewed one
    expect(report.fields.accuracy).toBeCloseTo(3 / 5);
    expect(report.fields.byField.birthDate).toMatchObject({ truth: 1, autoAcceptedErrorRate: 1 });
    expect(report.fields.acceptedWrong).toEqual([
      { entry: 'b01/1990/1', field: 'birthDate', machine: '1990-01-03', truth: '1990-01-02' },
      { entry: 'b01/1990/2', field: 'entryNo', machine: '9', truth: '2' },
    ]);
    expect(report.fields.autoAcceptedErrorUpper95).toBeGreaterThan(0.5);
    // each critical kind on its own: the wrong date and the wrong number are not diluted by the right names
    expect(report.fields.byCriticalKind).toMatchObject({
      names: { truth: 2, autoAcceptedErrorRate: 0 },
      dates: { truth: 1, autoAcceptedErrorRate: 1 },
      entryNumbers: { truth: 2, autoAcceptedErrorRate: 0.5 },
    });
    expect(report.fields.byCriticalKind.names!.autoAcceptedErrorUpper95).toBeGreaterThan(0.5); // one accepted name proves little
    // by how the book was filled in: all five values are typed here
    expect(report.fields.byFill).toEqual({ typed: expect.objectContaining({ truth: 5, autoAcceptRate: 4 / 5, autoAcceptedErrorRate: 0.5 }) });
    expect(scoreExtraction([{ ...books[0]!, fill: undefined }], []).fields.byFill).toEqual({});
  });

  it('compares a relation, a closed vocabulary stored in one spelling, whatever the case it was written in', () => {
    const relation = bookTruthSchema.parse({ pages: [], faults: [], entries: [
      { key: 'b01/2008/1', year: 2008, entryNo: 1, pages: [0], fields: { declarantRelation: { value: 'cháu', page: 0, box: [0, 0, 1, 1] }, declarantName: { value: 'lê văn an', page: 0, box: [0, 0, 1, 1] } } },
    ] });
    const report = scoreExtraction([{ id: 'b01', era: '2006-2015', truth: relation }], [
      stored({ year: 2008, page: 0, seq: 0, fields: { declarantRelation: { value: 'Cháu', status: 'auto_accepted' }, declarantName: { value: 'Lê Văn An', status: 'auto_accepted' } } }),
    ]);
    // a name's case is part of how it is written: only the relation is compared without it
    expect(report.fields.acceptedWrong).toEqual([{ entry: 'b01/2008/1', field: 'declarantName', machine: 'Lê Văn An', truth: 'lê văn an' }]);
    // a relation stored outside the vocabulary's spellings is compared as written
    const odd = bookTruthSchema.parse({ pages: [], faults: [], entries: [
      { key: 'b01/2008/1', year: 2008, entryNo: 1, pages: [0], fields: { declarantRelation: { value: 'cháu họ', page: 0, box: [0, 0, 1, 1] } } },
    ] });
    const oddReport = scoreExtraction([{ id: 'b01', era: '2006-2015', truth: odd }], [
      stored({ year: 2008, page: 0, seq: 0, fields: { declarantRelation: { value: 'Cháu họ', status: 'auto_accepted' } } }),
    ]);
    expect(oddReport.fields.acceptedWrong).toEqual([{ entry: 'b01/2008/1', field: 'declarantRelation', machine: 'Cháu họ', truth: 'cháu họ' }]);
  });

  it('credits a fault only to an issue of its kind that names its page or gap, and counts the rest as false alarms or notices', () => {
    const scored = scoreBookChecks(books, [
      { book: 'b01', kind: 'missing_page', year: 1990, page: 1, entryNo: null, detail: {} },
      { book: 'b01', kind: 'entry_gap', year: 1990, page: 1, entryNo: 4, detail: { after: 2, missing: [3] } },
      { book: 'b01', kind: 'duplicate_page', year: null, page: 0, entryNo: null, detail: {} },
      // a notice that a page gave no entry claims nothing about the book: not a false alarm
      { book: 'b01', kind: 'page_without_entries', year: null, page: 2, entryNo: null, detail: {} },
    ]);
    expect(scored).toEqual({
      faultsInjected: 2, faultsFlagged: 2, falseAlarms: 1, pagesWithoutEntries: 1, orphanContinuations: { truth: 0, flagged: 0, raised: 0 }, byKind: { missing_page: { injected: 1, flagged: 1 }, entry_gap: { injected: 1, flagged: 1 } },
      falseAlarmList: [{ book: 'b01', kind: 'duplicate_page', page: 0, year: null, entryNo: null, detail: {} }],
      missedList: [],
    });
    // without the gap's issue the fault is listed as missed
    expect(scoreBookChecks(books, []).missedList).toEqual([expect.objectContaining({ book: 'b01', kind: 'missing_page' }), expect.objectContaining({ book: 'b01', kind: 'entry_gap' })]);
  });

  it('credits a book whose stated years are wrong to a book_years_in_doubt naming years its entries hold, and counts dates outside the book as false alarms', () => {
    const wrongYears = bookTruthSchema.parse({ pages: [], entries: [], faults: [{ kind: 'book_years_in_doubt', years: [2010], stated: [2011] }] });
    const three = [{ id: 'b03', era: '2006-2015', truth: wrongYears }];
    const doubt = (yearFrom: number) => ({ book: 'b03', kind: 'book_years_in_doubt', year: null, page: 0, entryNo: null, detail: { yearFrom, yearTo: yearFrom } });
    const outside = { book: 'b03', kind: 'date_outside_book', year: 2010, page: 0, entryNo: 4, detail: { registrationDate: '2010-03-02' } };
    expect(scoreBookChecks(three, [doubt(2010)])).toMatchObject({ faultsFlagged: 1, falseAlarms: 0, byKind: { book_years_in_doubt: { injected: 1, flagged: 1 } } });
    // an issue naming other years than the entries' does not name the fault; a date outside the stated years is raised on nothing
    expect(scoreBookChecks(three, [doubt(2012), outside])).toMatchObject({ faultsFlagged: 0, falseAlarms: 2, missedList: [expect.objectContaining({ kind: 'book_years_in_doubt' })] });
  });

  it('pairs an entry spanning two pages with its truth, counts the fields of both parts, and counts it joined only with both pages', () => {
    const spanning = bookTruthSchema.parse({
      pages: [],
      entries: [
        { key: 'b02/2001/5', year: 2001, entryNo: 5, pages: [0, 1], continued: true, parts: [{ page: 0, box: [0, 900, 10, 100] }, { page: 1, box: [0, 50, 10, 100] }],
          fields: { fullName: { value: 'Trần Văn Nam', page: 0, box: [0, 900, 1, 1] }, motherName: { value: 'Lê Thị Hà', page: 1, box: [0, 60, 1, 1] } } },
        { key: 'b02/2001/6', year: 2001, entryNo: 6, pages: [1, 2], continued: true, parts: [{ page: 1, box: [0, 900, 10, 100] }, { page: 2, box: [0, 50, 10, 100] }],
          fields: { fullName: { value: 'Trần Văn Bắc', page: 1, box: [0, 900, 1, 1] }, motherName: { value: 'Vũ Thị Thu', page: 2, box: [0, 60, 1, 1] } } },
      ],
      orphanParts: [{ key: 'b02/2001/9', page: 4, box: [0, 50, 10, 100], fields: { motherName: { value: 'Hồ Thị Lan', page: 4, box: [0, 60, 1, 1] } } }],
      faults: [{ kind: 'missing_page', page: 4 }],
    });
    const two = [{ id: 'b02', era: '1999-2005', truth: spanning }];
    const entry = (entryNo: number, pages: number[], fields: StoredEntry['fields']) => stored({ book: 'b02', year: 2001, entryNo, page: pages[0], seq: 0, pages, fields });
    const report = scoreExtraction(two, [
      entry(5, [0, 1], { entryNo: { value: '5', status: 'auto_accepted' }, fullName: { value: 'Trần Văn Nam', status: 'auto_accepted' }, motherName: { value: 'Lê Thị Hà', status: 'auto_accepted' } }),
      // entry 6 found, but its continuation was not joined: its mother's name is missing, and it is not counted joined
      entry(6, [1], { entryNo: { value: '6', status: 'auto_accepted' }, fullName: { value: 'Trần Văn Bắc', status: 'auto_accepted' } }),
    ]);
    expect(report.entries).toMatchObject({ truth: 2, found: 2, continued: { truth: 2, joined: 1 } });
    expect(report.fields.byField.motherName).toMatchObject({ truth: 2, machineAccuracy: 0.5 });
    const book = scoreBookChecks(two, [
      { book: 'b02', kind: 'missing_page', year: null, page: 4, entryNo: null, detail: {} },
      // raised on the page whose top continues the entry of the missing page: a notice, not a false alarm
      { book: 'b02', kind: 'orphan_continuation', year: null, page: 4, entryNo: null, detail: {} },
    ]);
    expect(book).toMatchObject({ faultsFlagged: 1, falseAlarms: 0, orphanContinuations: { truth: 1, flagged: 1, raised: 1 } });
  });

  it('credits a second scan delivered as the same file under another name to the issue naming that file', () => {
    const page = (index: number) => ({ index, file: `b03/page${index + 1}.png`, filePage: 0, lines: [] });
    const copied = bookTruthSchema.parse({ ...truth, pages: [page(0), page(1), page(2)], faults: [{ kind: 'duplicate_page', page: 2, of: 1 }] });
    const score = (copyFile: string) =>
      scoreBookChecks([{ id: 'b03', truth: copied }], [{ book: 'b03', kind: 'file_delivered_twice', year: null, page: 1, entryNo: null, detail: { file: 'page2.png', copyFile } }]);
    expect(score('page3.png')).toMatchObject({ faultsFlagged: 1, falseAlarms: 0 });
    expect(score('page1.png')).toMatchObject({ faultsFlagged: 0, falseAlarms: 1 });
  });

  it('credits a struck entry to an issue on its page whose number was misread, not to one naming another entry', () => {
    const struck = bookTruthSchema.parse({ ...truth, faults: [{ kind: 'struck_entry', key: 'b01/1990/3' }] });
    const score = (issue: { page: number; entryNo: number | null }) =>
      scoreBookChecks([{ id: 'b01', truth: struck }], [{ book: 'b01', kind: 'struck_entry', year: 1990, detail: {}, ...issue }]);
    expect(score({ page: 1, entryNo: 3 })).toMatchObject({ faultsFlagged: 1, falseAlarms: 0 });
    expect(score({ page: 1, entryNo: null })).toMatchObject({ faultsFlagged: 1, falseAlarms: 0 }); // its number lost under the stroke
    expect(score({ page: 1, entryNo: 2 })).toMatchObject({ faultsFlagged: 0, falseAlarms: 1 }); // names a live entry
    expect(score({ page: 0, entryNo: null })).toMatchObject({ faultsFlagged: 0, falseAlarms: 1 }); // another page
    // two struck entries on one page: each issue naming one is that one's, not both the first's
    const entries = truth.entries.map((e) => (e.entryNo === 2 || e.entryNo === 3 ? { ...e, struck: true } : e));
    const two = bookTruthSchema.parse({ ...truth, entries, faults: [{ kind: 'struck_entry', key: 'b01/1990/2' }, { kind: 'struck_entry', key: 'b01/1990/3' }] });
    const page = entries.find((e) => e.entryNo === 2)!.pages[0]!;
    const issues = [2, 3].map((entryNo) => ({ book: 'b01', kind: 'struck_entry', year: 1990, page, entryNo, detail: {} }));
    expect(scoreBookChecks([{ id: 'b01', truth: two }], issues)).toMatchObject({ faultsFlagged: 2, falseAlarms: 0 });
  });
});
