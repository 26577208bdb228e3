import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Corpus } from '../../src/eval/corpus.ts';
import { loadExisting, measureAfterReview, measurePipelineMatch } from '../../src/eval/match.ts';
import type { StoredEntry } from '../../src/eval/metrics/extraction.ts';
import type { CorpusRun, ProcessedPage } from '../../src/eval/run.ts';
import { matchStage } from '../../src/match/stage.ts';
import { seedBook, seedEntry, type SeedField } from '../api/seed.ts';
import { oneBookCorpus } from '../helpers/corpus.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const hoa = { fullName: 'Nguyễn Thị Hoà', sex: 'female', birthDate: '2018-03-15', motherName: 'Trần Thị Mai', registrationDate: '2018-03-20' };
const lan = { fullName: 'Vũ Thị Lan', sex: 'female', birthDate: '2018-04-02', registrationDate: '2018-04-10' };

describe('matching after review (civreg eval)', () => {
  let t: TestDatabase;
  let corpus: Corpus;
  let run: CorpusRun;

  beforeAll(async () => {
    t = await createTestDatabase();
    corpus = oneBookCorpus([hoa, lan], { existing: [{ id: 'E1', registerType: 'birth', fields: hoa }], links: { sameEvent: [['scan:b01/2018/1', 'existing:E1']] } });
    await loadExisting(t.db, corpus);
    const at = await seedBook(t.db, { officeCode: 'HBT', registerType: 'birth', bookNo: '01', yearFrom: 2018 });
    // The name and the birth date were misread and sent to review: no blocking key meets the record's.
    const fields: Record<string, SeedField> = {
      fullName: { value: 'Nguyễn Thị Hòn', status: 'review' }, birthDate: { value: '2016-08-15', status: 'review' },
      sex: { value: 'female', status: 'auto_accepted' }, registrationDate: { value: '2018-03-20', status: 'auto_accepted' },
    };
    const { id } = await seedEntry(t.db, at, { year: 2018, entryNo: 1, registerType: 'birth', fields });
    const stored: StoredEntry = { id, book: 'b01', year: 2018, entryNo: 1, struck: false, page: 0, seq: 0, fields: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, { value: f.value, status: f.status! }])), notes: [] };
    // Entry 2's number was misread as 9 and sent to review: paired with truth by its place on the page, it is
    // settled as a verifier types it, and filed under 2.
    const misnumbered = { entryNo: { value: '9', status: 'review' as const }, fullName: { value: 'Vũ Thị Lam', status: 'review' as const } };
    const other = await seedEntry(t.db, at, { year: 2018, entryNo: 9, registerType: 'birth', fields: misnumbered });
    const stored9: StoredEntry = { id: other.id, book: 'b01', year: 2018, entryNo: 9, struck: false, page: 0, seq: 1, fields: { entryNo: { value: '9', status: 'review' }, fullName: { value: 'Vũ Thị Lam', status: 'review' } }, notes: [] };
    run = { pages: new Map([['b01/p.png#0', { pageId: at.pageId } as ProcessedPage]]), seconds: 0, pageCount: 1, entries: [stored, stored9], issues: [] };
    await t.db.query(`update page set status = 'extracted' where id = $1`, [at.pageId]);
    await matchStage.run({ pageId: at.pageId }, { instance: 'test', sql: t.db });
  });
  afterAll(() => t.drop());

  it('counts the pair the misread fields hid as missed by the pipeline, and found once review settles them and the entry is matched again', async () => {
    const before = await measurePipelineMatch(t.db, corpus, run);
    expect(before).toMatchObject({ truePairs: 1, recall: 0 });
    expect(before.lost).toMatchObject({ found: 0, pairsWithEntries: 1, lost: { not_compared_unsure: 1 } });

    const after = await measureAfterReview(t.db, corpus, run);
    expect(after.entriesSettled).toBe(2);
    expect(after).toMatchObject({ truePairs: 1, recall: 1, precision: 1, autoLinks: 1, autoLinkPrecision: 1 });
    expect(after.lost).toMatchObject({ found: 1, recallWithEntries: 1 });
    const names = await t.db.query<{ value: string; status: string }>(`select value, status from entry_field where field = 'fullName' order by entry_id`);
    expect(names).toEqual([{ value: 'Nguyễn Thị Hoà', status: 'verified' }, { value: 'Vũ Thị Lan', status: 'verified' }]);
    const numbers = await t.db.query<{ entryNo: number }>(`select entry_no as "entryNo" from entry order by id`);
    expect(numbers).toEqual([{ entryNo: 1 }, { entryNo: 2 }]);
  });
});

describe('matching an entry filed under a wrong year (civreg eval)', () => {
  let t: TestDatabase;
  afterAll(() => t.drop());

  it('judges the link by who it joins: the entry is the truth entry its place pairs it with, its year an error of its own', async () => {
    t = await createTestDatabase();
    const corpus = oneBookCorpus([hoa], { existing: [{ id: 'E1', registerType: 'birth', fields: hoa }], links: { sameEvent: [['scan:b01/2018/1', 'existing:E1']] } });
    await loadExisting(t.db, corpus);
    // the book states 2028 (its cover misread, or wrong): its entry is filed under that year, every field read right
    const at = await seedBook(t.db, { officeCode: 'HBT', registerType: 'birth', bookNo: '01', yearFrom: 2028 });
    const fields = Object.fromEntries(Object.entries(hoa).map(([k, v]) => [k, { value: v, status: 'auto_accepted' as const }]));
    const { id } = await seedEntry(t.db, at, { year: 2028, entryNo: 1, registerType: 'birth', fields });
    const stored: StoredEntry = { id, book: 'b01', year: 2028, entryNo: 1, struck: false, page: 0, seq: 0, fields, notes: [] };
    const run: CorpusRun = { pages: new Map([['b01/p.png#0', { pageId: at.pageId } as ProcessedPage]]), seconds: 0, pageCount: 1, entries: [stored], issues: [] };
    await t.db.query(`update page set status = 'extracted' where id = $1`, [at.pageId]);
    await matchStage.run({ pageId: at.pageId }, { instance: 'test', sql: t.db });
    // named by its read year it would be 'scan:b01/2028/1', a record truth does not have, and the right link wrong
    expect(await measurePipelineMatch(t.db, corpus, run)).toMatchObject({ truePairs: 1, autoLinks: 1, autoLinkPrecision: 1, recall: 1, wrongAutoLinks: [] });
  });
});
