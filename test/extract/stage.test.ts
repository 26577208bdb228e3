import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVocabulary } from '../../src/extract/vocabulary.ts';
import { extractStage } from '../../src/extract/stage.ts';
import { routeStage } from '../../src/extract/route-stage.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { ocrWords } from './ocr-words.ts';

const entryLines = (no: number, name: string, confidence = 0.96) => [
  `Số: ${no} Quyển số: 01/2020`,
  { text: `Họ, chữ đệm, tên: ${name}`, confidence },
  'Ngày, tháng, năm sinh: 17/04/2020 Giới tính: Nam',
  'Ghi bằng chữ: Ngày mười bảy tháng tư năm hai nghìn không trăm hai mươi',
  'Dân tộc: Kinh Quốc tịch: Việt Nam',
  'Nơi sinh: Bệnh viện Xanh Pôn, Q. Ba Đình, Hà Nội',
  'Họ, chữ đệm, tên người mẹ: Nghiêm Thị Yến',
  'Ngày, tháng, năm đăng ký: 26/04/2020',
];

describe('extract and route stages', () => {
  let t: TestDatabase;
  let pageId: number;
  const run = async (stage: typeof extractStage | typeof routeStage, status: string) => {
    await t.db.query('update page set status = $2 where id = $1', [pageId, status]);
    return t.db.transaction((sql) => stage.run({ pageId }, { sql, instance: 'test:1', auditRate: 0, blobs: createLocalBlobStore('/nonexistent/no-clean-image') }));
  };
  const fields = () => t.db.query<{ entry_no: number; field: string; value: string; status: string; source: string; reasons: string[] }>(
    `select e.entry_no, f.field, f.value, f.status, f.source, f.reasons from entry_field f join entry e on e.id = f.entry_id order by e.entry_no, f.field`);

  beforeAll(async () => {
    t = await createTestDatabase();
    const [office] = await t.db.query<{ id: number }>(`insert into registry_office (code, name) values ('QH', 'Phường Quan Hoa') returning id`);
    const [book] = await t.db.query<{ id: number }>(
      `insert into book (office_id, register_type, book_no, year_from, year_to) values ($1, 'birth', '01', 2020, 2020) returning id`, [office!.id]);
    const [upload] = await t.db.query<{ id: number }>(
      `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'p.png', repeat('a', 64), 1, 'test') returning id`, [book!.id]);
    const [page] = await t.db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, label, status, clean_width, clean_height) values ($1, $2, 0, 'p.png', 'ocr_done', 2480, 3508) returning id`,
      [book!.id, upload!.id]);
    pageId = page!.id;
    // entry 204 is skipped: the book check must see the gap; the second name was read with low confidence
    const words = ocrWords([...entryLines(203, 'Nguyễn Khánh Bảo Long'), ...entryLines(205, 'Phạm Minh Dương', 0.62)]);
    await t.db.query(`insert into page_ocr (page_id, engine, text, mean_confidence, words, lines) values ($1, 'test', '', 0.9, $2, '[]')`, [pageId, JSON.stringify(words)]);
  });
  afterAll(() => t.drop());

  it('stores entries and typed fields, routes the unsure ones to review and flags the number gap', async () => {
    expect((await run(extractStage, 'ocr_done')).forward).toEqual([{ pageId }]);
    const extracted = await fields();
    expect(extracted.every((f) => f.status === 'pending' && f.source === 'machine')).toBe(true);
    expect(extracted.find((f) => f.entry_no === 203 && f.field === 'birthDate')?.value).toBe('2020-04-17');

    await run(routeStage, 'matched');
    const routed = await fields();
    expect(routed.find((f) => f.entry_no === 203 && f.field === 'fullName')).toMatchObject({ status: 'auto_accepted' });
    expect(routed.find((f) => f.entry_no === 205 && f.field === 'fullName')).toMatchObject({ status: 'review', reasons: ['low_confidence'] });
    // the numbers beside the gap: either may be misread (neither has a neighbour following on from it)
    expect(routed.filter((f) => f.field === 'entryNo').map((f) => [f.entry_no, f.status, f.reasons])).toEqual([[203, 'review', ['book_issue']], [205, 'review', ['book_issue']]]);
    const items = await t.db.query<{ field: string; priority: number }>(`select field, priority from review_item where status = 'open' order by id`);
    expect(items).toEqual([{ field: 'fullName', priority: 10 }, { field: 'entryNo', priority: 10 }, { field: 'entryNo', priority: 10 }]);
    // the book was received without an era: its year gives the layout
    // the book number each entry names is kept, for the check of pages filed into another book (src/extract/misfiled.ts)
    const entries = await t.db.query<{ entry_no: number; status: string; template: string; book_no_read: string }>(`select entry_no, status, template, book_no_read from entry order by entry_no`);
    expect(entries).toEqual([
      { entry_no: 203, status: 'needs_review', template: 'birth/2016-', book_no_read: '01/2020' },
      { entry_no: 205, status: 'needs_review', template: 'birth/2016-', book_no_read: '01/2020' },
    ]);
    const issues = await t.db.query<{ kind: string; detail: unknown }>(`select kind, detail from book_issue`);
    expect(issues).toEqual([{ kind: 'entry_gap', detail: { after: 203, missing: [204] } }]);
  });

  it('keeps a verifier’s value when extraction runs again, shows the disagreeing re-read, and raises each book issue once', async () => {
    await t.db.query(`update entry_field f set value = 'Phạm Minh Đương', source = 'verifier', status = 'verified', machine_value = f.value
                       from entry e where e.id = f.entry_id and e.entry_no = 205 and f.field = 'fullName'`);
    await t.db.query(`update review_item set status = 'done'`);
    // a routed page is extracted again, as `civreg rerun --stage extract` does
    expect((await run(extractStage, 'routed')).forward).toEqual([{ pageId }]);
    await run(routeStage, 'matched');
    const name = (await fields()).find((f) => f.entry_no === 205 && f.field === 'fullName');
    expect(name).toMatchObject({ value: 'Phạm Minh Đương', source: 'verifier', status: 'verified' });
    const [conflict] = await t.db.query(`select conflict_value from entry_field where value = 'Phạm Minh Đương'`);
    expect(conflict).toEqual({ conflict_value: 'Phạm Minh Dương' });
    // the conflict; and the numbers beside the gap, read again by the machine, go to a person again
    expect(await t.db.query(`select field, priority from review_item where status = 'open' order by field desc, id`)).toEqual([
      { field: 'fullName', priority: 20 }, { field: 'entryNo', priority: 10 }, { field: 'entryNo', priority: 10 }]);
    expect(await t.db.query(`select count(*)::int as n from entry`)).toEqual([{ n: 2 }]);
    expect(await t.db.query(`select count(*)::int as n from book_issue`)).toEqual([{ n: 1 }]);
    // the verified name now counts among the spellings names have; machine-accepted ones do not
    const names = (await loadVocabulary(t.db)).get('name')!;
    expect([names.count('Đương'), names.count('Dương'), names.count('Long')]).toEqual([1, 0, 0]);
  });

  it('raises a page that was read but gave no entry, so that it is keyed by hand and not forgotten', async () => {
    const [first] = await t.db.query<{ book_id: number; upload_id: number }>('select book_id, upload_id from page where id = $1', [pageId]);
    const [unread] = await t.db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, label, status, clean_width, clean_height) values ($1, $2, 1, 'p.png#2', 'ocr_done', 2480, 3508) returning id`,
      [first!.book_id, first!.upload_id]);
    // what OCR makes of a hand-written page it cannot follow
    await t.db.query(`insert into page_ocr (page_id, engine, text, mean_confidence, words, lines) values ($1, 'test', '', 0.3, $2, '[]')`,
      [unread!.id, JSON.stringify(ocrWords(['ưm nnn Ïl lưê', 'ĩm ơn 7i rr ưư'], 0.3))]);
    const other = pageId;
    pageId = unread!.id;
    try {
      await run(extractStage, 'ocr_done');
      await run(routeStage, 'matched');
    } finally {
      pageId = other;
    }
    expect(await t.db.query(`select count(*)::int as n from entry where page_id = $1`, [unread!.id])).toEqual([{ n: 0 }]);
    const issues = await t.db.query<{ kind: string; page_id: number }>(`select kind, page_id from book_issue where page_id = $1`, [unread!.id]);
    expect(issues).toEqual([{ kind: 'page_without_entries', page_id: unread!.id }]);
  });
});

describe('entry number in sequence', () => {
  let t: TestDatabase;
  afterAll(() => t?.drop());

  it('sends an accepted entry number that fits neither neighbour back to a person', async () => {
    t = await createTestDatabase();
    const [office] = await t.db.query<{ id: number }>(`insert into registry_office (code, name) values ('QH', 'Phường Quan Hoa') returning id`);
    const [book] = await t.db.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from, year_to) values ($1, 'birth', '01', 2020, 2020) returning id`, [office!.id]);
    const [upload] = await t.db.query<{ id: number }>(
      `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'p.png', repeat('b', 64), 1, 'test') returning id`, [book!.id]);
    const [page] = await t.db.query<{ id: number }>(
      `insert into page (book_id, upload_id, file_index, label, status, clean_width, clean_height) values ($1, $2, 0, 'p.png', 'ocr_done', 2480, 3508) returning id`,
      [book!.id, upload!.id]);
    // 302 read as 362, every digit sure: only its neighbours give it away
    const words = ocrWords([...entryLines(301, 'Nguyễn Văn An'), ...entryLines(362, 'Trần Thị Bình'), ...entryLines(303, 'Lê Văn Cường')]);
    await t.db.query(`insert into page_ocr (page_id, engine, text, mean_confidence, words, lines) values ($1, 'test', '', 0.9, $2, '[]')`, [page!.id, JSON.stringify(words)]);
    const deps = { instance: 'test:1', auditRate: 0, blobs: createLocalBlobStore('/nonexistent/no-clean-image') };
    await t.db.transaction((sql) => extractStage.run({ pageId: page!.id }, { ...deps, sql }));
    await t.db.query(`update page set status = 'matched' where id = $1`, [page!.id]);
    await t.db.transaction((sql) => routeStage.run({ pageId: page!.id }, { ...deps, sql }));
    const numbers = await t.db.query<{ entry_no: number; status: string; reasons: string[] }>(
      `select e.entry_no, f.status, f.reasons from entry_field f join entry e on e.id = f.entry_id where f.field = 'entryNo' order by e.seq`);
    expect(numbers).toEqual([
      { entry_no: 301, status: 'auto_accepted', reasons: [] },
      { entry_no: 362, status: 'review', reasons: ['check_failed'] },
      { entry_no: 303, status: 'auto_accepted', reasons: [] },
    ]);
    expect(await t.db.query(`select i.field, e.entry_no, e.status from review_item i join entry e on e.id = i.entry_id where i.status = 'open'`))
      .toEqual([{ field: 'entryNo', entry_no: 362, status: 'needs_review' }]);
    // and no gap is raised for it
    expect(await t.db.query(`select kind from book_issue`)).toEqual([]);
  });

  it('judges an accepted number against neighbours that were themselves read unsurely', async () => {
    const { numbersOutOfSequence } = await import('../../src/extract/numbering.ts');
    const entry = (id: number, entryNo: number, numberSure: boolean) => ({ id, pageId: id, pageOrder: id, printedPageNo: null, year: 2015, entryNo, numberSure, registrationDate: null, struck: false });
    expect(numbersOutOfSequence([entry(1, 180, false), entry(2, 161, true), entry(3, 182, false)]).map((e) => e.id)).toEqual([2]);
    // an unsure number that does not fit is no accepted value to send back
    expect(numbersOutOfSequence([entry(1, 180, true), entry(2, 161, false), entry(3, 182, true)])).toEqual([]);
  });
});
