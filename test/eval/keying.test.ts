import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Corpus } from '../../src/eval/corpus.ts';
import { keyEntriesOnRaisedPages } from '../../src/eval/keying.ts';
import { loadExisting } from '../../src/eval/match.ts';
import { scoreUnreadNotices, type StoredIssue } from '../../src/eval/metrics/book-checks.ts';
import { scoreExtraction, type StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { extractionAfterReview, type CorpusRun, type ProcessedPage } from '../../src/eval/run.ts';
import { seedBook, seedEntry } from '../api/seed.ts';
import { oneBookCorpus } from '../helpers/corpus.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const hoa = { fullName: 'Nguyễn Thị Hoà', sex: 'female', birthDate: '2018-03-15', registrationDate: '2018-03-20' };
const lan = { fullName: 'Vũ Thị Lan', sex: 'female', birthDate: '2018-04-02', motherName: 'Đỗ Thị Thu', registrationDate: '2018-04-10' };
const mai = { fullName: 'Lê Thị Mai', sex: 'female', birthDate: '2018-05-06', registrationDate: '2018-05-12' };

describe('keying after review (civreg eval)', () => {
  let t: TestDatabase;
  let corpus: Corpus;
  let run: CorpusRun;

  beforeAll(async () => {
    t = await createTestDatabase();
    corpus = oneBookCorpus([hoa, lan, mai], { existing: [{ id: 'E2', registerType: 'birth', fields: lan }], links: { sameEvent: [['scan:b01/2018/2', 'existing:E2']] } });
    // two delivered pages: entries 1 and 2 on the first, 3 on the second
    const truth = corpus.books[0]!.truth;
    truth.pages = [0, 1].map((index) => ({ index, file: 'b01/p.png', filePage: index, blank: false, lines: [] }));
    truth.entries[2]!.pages = [1];
    await loadExisting(t.db, corpus);
    const first = await seedBook(t.db, { officeCode: 'HBT', registerType: 'birth', bookNo: '01', yearFrom: 2018 });
    const [second] = await t.db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, label, status) select book_id, upload_id, 1, 'trang 13', 'routed' from page where id = $1 returning id`, [first.pageId]);
    // extraction found entry 1 only; the first page was raised as holding an entry not read, the second was not
    const { id } = await seedEntry(t.db, first, { year: 2018, entryNo: 1, registerType: 'birth', fields: { ...hoa, entryNo: '1' } });
    run = {
      pages: new Map([['b01/p.png#0', { pageId: first.pageId } as ProcessedPage], ['b01/p.png#1', { pageId: second!.id } as ProcessedPage]]), seconds: 0, pageCount: 2,
      entries: [{ id, book: 'b01', year: 2018, entryNo: 1, struck: false, page: 0, seq: 0, fields: {}, notes: [] }],
      issues: [{ book: 'b01', kind: 'entry_not_read', year: null, page: 0, entryNo: null, detail: {} }],
    };
  });
  afterAll(() => t.drop());

  it('keys the entries not found on raised pages only, through the keying screen’s path, and they are matched', async () => {
    expect(await keyEntriesOnRaisedPages(t.db, corpus, run)).toEqual({ pagesRaised: 1, missingOnRaised: 1, keyed: 1, refused: {} });
    const keyed = await t.db.query<{ entryNo: number; keyedBy: string; pageId: number }>(`select entry_no as "entryNo", keyed_by as "keyedBy", page_id as "pageId" from entry where keyed_by is not null`);
    expect(keyed).toEqual([{ entryNo: 2, keyedBy: 'eval', pageId: run.pages.get('b01/p.png#0')!.pageId }]);
    const [link] = await t.db.query<{ decision: string }>(
      `select c.decision from match_candidate c join existing_record r on r.id = c.existing_record_id join entry e on e.id = c.entry_id where e.entry_no = 2 and r.source_id = 'E2'`);
    expect(link).toEqual({ decision: 'link' });
    // entry 3, on a page nobody was told about, stays missing: recall after review 2 of 3
    const after = await extractionAfterReview(t.db, corpus, run);
    expect(scoreExtraction(corpus.books.map(({ book, truth }) => ({ id: book.id, era: book.era, truth })), after.entries).entries).toMatchObject({ found: 2, truth: 3 });
    // keying again changes nothing: the entry is found now
    expect(await keyEntriesOnRaisedPages(t.db, corpus, { ...run, entries: after.entries })).toMatchObject({ missingOnRaised: 0, keyed: 0 });
  });
});

describe('entry_not_read notices against the truth', () => {
  it('counts a notice on a page where every entry was found as a false alarm, and pages with entries not found left unraised', () => {
    const corpus = oneBookCorpus([hoa, lan, mai, hoa]);
    const truth = corpus.books[0]!.truth;
    truth.pages = [0, 1, 2].map((index) => ({ index, file: 'b01/p.png', filePage: index, blank: false, lines: [] }));
    // page 0: entries 1, 2 (one found); page 1: entry 3 (found); page 2: entry 4 (found)
    truth.entries[2]!.pages = [1];
    truth.entries[3]!.pages = [2];
    const stored = (entryNo: number, page: number): StoredEntry => ({ book: 'b01', year: 2018, entryNo, struck: false, page, fields: {}, notes: [] });
    const notice = (page: number): StoredIssue => ({ book: 'b01', kind: 'entry_not_read', year: null, page, entryNo: null, detail: {} });
    const books = corpus.books.map(({ book, truth }) => ({ id: book.id, truth }));
    expect(scoreUnreadNotices(books, [stored(1, 0), stored(3, 1), stored(4, 2)], [notice(0), notice(2)])).toMatchObject({
      pages: 3, raised: 2, right: 1, falseAlarms: 1, pagesShort: 1, pagesShortRaised: 1, falseAlarmList: [{ book: 'b01', page: 2 }],
    });
    expect(scoreUnreadNotices(books, [stored(1, 0), stored(3, 1), stored(4, 2)], [])).toMatchObject({ raised: 0, falseAlarms: 0, pagesShort: 1, pagesShortRaised: 0 });
    // pages 0 and 1 photographed as one image the pipeline did not split: one page of 3 entries, 2 found
    expect(scoreUnreadNotices(books, [stored(1, 0), stored(3, 0), stored(4, 2)], [notice(0)], (_book, index) => (index === 1 ? 0 : index))).toMatchObject({
      raised: 1, right: 1, falseAlarms: 0, pagesShort: 1,
    });
  });
});
