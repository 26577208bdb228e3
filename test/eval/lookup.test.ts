import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/auth/accounts.ts';
import type { Corpus } from '../../src/eval/corpus.ts';
import { measureLookup, type EvalLookup } from '../../src/eval/lookup.ts';
import type { CorpusRun, ProcessedPage } from '../../src/eval/run.ts';
import { keyMissingEntry } from '../../src/review/keying.ts';
import type { StoredEntry } from '../../src/eval/metrics/extraction.ts';
import { seedBook, seedEntry, type SeedField } from '../api/seed.ts';
import { oneBookCorpus } from '../helpers/corpus.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const PLACE = 'Phường Bạch Mai, Quận Hai Bà Trưng, Hà Nội';
const person = (name: string, birthDate: string, idNumber: string) => ({ fullName: name, birthDate, birthPlace: PLACE, idNumber, registrationDate: birthDate });

/** The truth of one birth book: five people, entries 1–5 of 2018. */
const TRUTH = [
  person('Nguyễn Thị Hoà', '2018-03-15', '001318000001'),
  person('Trần Văn Nam', '2018-04-02', '001218000002'),
  person('Lê Thị Mai', '2018-05-01', '001318000003'),
  person('Đỗ Văn Hùng', '2018-06-09', '001218000004'),
  person('Phạm Văn Long', '2018-07-20', '001218000005'),
];

describe('lookup on the corpus (civreg eval)', () => {
  let t: TestDatabase;
  let report: EvalLookup;
  let corpus: Corpus;
  let run: Pick<CorpusRun, 'entries' | 'pages'>;
  let pageId: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    const at = await seedBook(t.db, { officeCode: 'HBT', registerType: 'birth', bookNo: '01', yearFrom: 2018 });
    const stored: StoredEntry[] = [];
    const store = async (entryNo: number, fields: Record<string, SeedField>) => {
      const { id } = await seedEntry(t.db, at, { year: 2018, entryNo, registerType: 'birth', fields });
      stored.push({ id, book: 'b01', year: 2018, entryNo, struck: false, page: 0, seq: stored.length, fields: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, { value: f.value, status: f.status! }])), notes: [] });
    };
    const auto = (values: Record<string, string>): Record<string, SeedField> => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, status: 'auto_accepted' }]));
    await store(1, auto(TRUTH[0]!));
    await store(2, auto(TRUTH[1]!));
    // Entry 3 was never read. Entry 4's name went to review misread: review settles it to the truth.
    await store(4, { ...auto(TRUTH[3]!), fullName: { value: 'Đỗ Văn Hùg', status: 'review' } });
    // Entry 5's name and date were misread as entry 3's and accepted by the machine: asking for the person of
    // entry 3 finds entry 5, the wrong person.
    await store(5, auto({ ...TRUTH[4]!, fullName: 'Lê Thị Mai', birthDate: '2018-05-01' }));

    corpus = oneBookCorpus(TRUTH);
    run = { entries: stored, pages: new Map([['b01/p.png#0', { pageId: at.pageId } as ProcessedPage]]) };
    pageId = at.pageId;
    report = await measureLookup(t.db, corpus, run);
  });
  afterAll(() => t.drop());

  it('serves the entries once review is settled to the truth, and asks for every truth entry in three ways', async () => {
    expect(report.served).toBe(4);
    const [hung] = await t.db.query<{ value: string; status: string }>(`select value, status from entry_field where field = 'fullName' and value like 'Đỗ%'`);
    expect(hung).toEqual({ value: 'Đỗ Văn Hùng', status: 'verified' });
    expect(report.byKind.entry.queries).toBe(5);
    expect(report.byKind.idNumber.queries).toBe(5);
    expect(report.byKind.person.queries).toBe(5);
    expect(report.queries).toBe(15);
    // Every query went through the API and its lookup log.
    const [logged] = await t.db.query<{ n: number }>(`select count(*)::int as n from lookup_log where procedure_code = 'EVAL'`);
    expect(logged!.n).toBe(15);
  });

  it('counts the record of another person as a wrong person, and names it', () => {
    expect(report.byKind.person).toMatchObject({ found: 4, wrongPerson: 1, none: 1, ambiguous: 0 });
    expect(report.wrongList).toEqual([{ kind: 'person', asked: 'b01/2018/3', query: expect.objectContaining({ birthDate: '2018-05-01' }), returned: ['b01/2018/5'], says: [expect.objectContaining({ entryNo: 5, fullName: 'Lê Thị Mai' })] }]);
    // By ID number and by entry number nothing is wrong: entry 3's are in no stored entry.
    expect(report.byKind.idNumber).toMatchObject({ found: 4, wrongPerson: 0, none: 1 });
    expect(report.byKind.entry).toMatchObject({ found: 4, wrongPerson: 0, none: 1 });
    expect(report.wrongPerson).toBe(1);
  });

  it('knows an entry a person keyed (the eval keys those of raised pages) as the truth entry of its number', async () => {
    const verifier = { id: 0, name: 'eval', role: 'verifier', allOffices: true, officeIds: [], mustChangePassword: false } as Account;
    await t.db.query(`update page set status = 'routed' where id = $1`, [pageId]);
    await keyMissingEntry(t.db, verifier, { pageId, entryNo: '3', fields: { fullName: 'Lê Thị Mai', birthDate: '2018-05-01', birthPlace: PLACE, idNumber: '001318000003', registrationDate: '2018-05-01' }, marks: { sex: 'blank', motherName: 'blank' } });
    const again = await measureLookup(t.db, corpus, run);
    expect(again.byKind.entry).toMatchObject({ found: 5, wrongPerson: 0, none: 0 });
    expect(again.byKind.idNumber).toMatchObject({ found: 5, wrongPerson: 0 });
  });
});
