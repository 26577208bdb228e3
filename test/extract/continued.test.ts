import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBook } from '../../src/extract/book-checks.ts';
import { extractPageParts } from '../../src/extract/extract.ts';
import { routeStage } from '../../src/extract/route-stage.ts';
import { extractStage } from '../../src/extract/stage.ts';
import { fieldImageOf } from '../../src/review/queue.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { ocrWords } from './ocr-words.ts';

/** Entry 203 begun at the foot of page 1 (number, name, birth, place); its mother and registration rows at the top of page 2, then entry 204. */
const PAGE_1 = [
  'Số: 202 Quyển số: 01/2020',
  'Họ, chữ đệm, tên: Trần Thị Mai',
  'Ngày, tháng, năm sinh: 02/04/2020 Giới tính: Nữ',
  'Dân tộc: Kinh Quốc tịch: Việt Nam',
  'Nơi sinh: Bệnh viện Xanh Pôn, Q. Ba Đình, Hà Nội',
  'Họ, chữ đệm, tên người mẹ: Lê Thị Hoa',
  'Ngày, tháng, năm đăng ký: 20/04/2020',
  'Số: 203 Quyển số: 01/2020',
  'Họ, chữ đệm, tên: Nguyễn Khánh Bảo Long',
  'Ngày, tháng, năm sinh: 17/04/2020 Giới tính: Nam',
  'Dân tộc: Kinh Quốc tịch: Việt Nam',
  'Nơi sinh: Bệnh viện Xanh Pôn, Q. Ba Đình, Hà Nội',
];
const PAGE_2 = [
  'Họ, chữ đệm, tên người mẹ: Nghiêm Thị Yến',
  { text: 'Năm sinh: 1991 Dân tộc: Tày Quốc tịch: Việt Nam', x: 170 },
  'Ngày, tháng, năm đăng ký: 26/04/2020',
  'Số: 204 Quyển số: 01/2020',
  'Họ, chữ đệm, tên: Phạm Minh Dương',
  'Ngày, tháng, năm sinh: 20/04/2020 Giới tính: Nam',
  'Dân tộc: Kinh Quốc tịch: Việt Nam',
  'Nơi sinh: Bệnh viện Xanh Pôn, Q. Ba Đình, Hà Nội',
  'Họ, chữ đệm, tên người mẹ: Vũ Thị Lan',
  'Ngày, tháng, năm đăng ký: 28/04/2020',
];

/** The page after page 2: entries 205 and 206, the last without its mother and registration rows (they go on over the page). */
const PAGE_3 = [
  'Số: 205 Quyển số: 01/2020',
  'Họ, chữ đệm, tên: Đỗ Văn Hùng',
  'Ngày, tháng, năm sinh: 25/04/2020 Giới tính: Nam',
  'Dân tộc: Kinh Quốc tịch: Việt Nam',
  'Nơi sinh: Bệnh viện Xanh Pôn, Q. Ba Đình, Hà Nội',
  'Họ, chữ đệm, tên người mẹ: Hoàng Thị Thu',
  'Ngày, tháng, năm đăng ký: 29/04/2020',
  'Số: 206 Quyển số: 01/2020',
  'Họ, chữ đệm, tên: Bùi Minh Khoa',
  'Ngày, tháng, năm sinh: 26/04/2020 Giới tính: Nam',
];

describe('the top of a page that continues the entry begun on the page before', () => {
  it('is read as the end of the layout, apart from the page’s own entries', () => {
    const { entries, continuation } = extractPageParts({ id: 8, registerType: 'birth', era: '2016-', yearFrom: 2020, yearTo: 2020, width: 2480, height: 3508, words: ocrWords(PAGE_2) });
    expect(entries.map((e) => e.entryNo)).toEqual([204]);
    expect(entries[0]!.seq).toBe(0);
    const value = (field: string) => continuation!.fields.find((f) => f.field === field)?.value;
    // "Dân tộc:" under the mother's name is the mother's, not the child's
    expect([value('motherName'), value('motherBirthYear'), value('motherEthnicity'), value('registrationDate')]).toEqual(['Nghiêm Thị Yến', '1991', 'Tày', '2020-04-26']);
    expect(value('ethnicity')).toBeUndefined();
    expect(continuation!.fields.some((f) => f.field === 'entryNo' || f.value === null)).toBe(false);
    expect(continuation!.fields.every((f) => f.pageId === 8)).toBe(true);
    expect(continuation!.region).toEqual([100, 200, expect.any(Number), 160]);
  });

  it('is not made of a page whose first entry only lost its number line', () => {
    const { entries, continuation } = extractPageParts({ id: 8, registerType: 'birth', era: '2016-', yearFrom: 2020, yearTo: 2020, width: 2480, height: 3508, words: ocrWords(PAGE_1.slice(1)) });
    expect(continuation).toBeNull();
    expect(entries.map((e) => e.entryNo)).toEqual([null, 203]);
  });
});

describe('the top of a ruled table page that continues the row begun on the page before', () => {
  // a 1961–1998 page at 10 px/mm: text block x 100–3160 (306 mm), the title's baseline at y 140, so the
  // column headings end at y 400 (26 mm below); row 85 starts at y 616
  let line = 0;
  const at = (x: number, y: number, text: string) => {
    line++;
    return text.split(' ').map((token, i, all) => ({ text: token, confidence: 0.95, line, box: [x + all.slice(0, i).join(' ').length * 20 + (i ? 20 : 0), y, token.length * 20, 40] as [number, number, number, number] }));
  };
  const page = (words: ReturnType<typeof at>) => ({ id: 9, registerType: 'birth' as const, era: '1961-1998' as const, yearFrom: 1980, yearTo: 1980, width: 3300, height: 2300, words });
  const head = () => [...at(100, 100, 'Uỷ ban hành chính xã Cổ Loa'), ...at(1358, 100, 'SỔ ĐĂNG KÝ KHAI SINH'), ...at(3000, 100, 'Năm 1980')];
  const row85 = () => [...at(110, 632, '85'), ...at(200, 623, 'Nguyễn Văn Tùng')];

  it('gives each cell’s lines to its column’s last items: an address wrapped over lines, a date and a name', () => {
    const words = [...head(), ...at(2002, 440, 'Xóm Đông, Cổ'), ...at(2002, 495, 'Loa, Đông Anh,'), ...at(2002, 550, 'Hà Nội'),
      ...at(2650, 440, '16/03/1979'), ...at(2650, 495, 'Trần Minh Bình'), ...row85()];
    const { entries, continuation } = extractPageParts(page(words));
    expect(entries.map((e) => e.entryNo)).toEqual([85]);
    expect(Object.fromEntries(continuation!.fields.map((f) => [f.field, f.value]))).toEqual({
      motherResidence: 'Xóm Đông, Cổ Loa, Đông Anh, Hà Nội', registrationDate: '1979-03-16', registrarName: 'Trần Minh Bình',
    });
    expect(continuation!.region![1]).toBeGreaterThan(400);
  });

  it('takes writing in the name column above the first number read for a row whose number went unread', () => {
    const { entries, continuation } = extractPageParts(page([...head(), ...at(200, 440, 'Lê Văn Bình'), ...at(2002, 440, 'Xóm Đông, Cổ Loa'), ...row85()]));
    expect(continuation).toBeNull();
    expect(entries.map((e) => e.entryNo)).toEqual([85]);
  });

  it('finds none on a page whose first row starts under the headings', () => {
    const { entries, continuation } = extractPageParts(page([...head(), ...at(600, 330, 'Họ và tên'), ...row85()]));
    expect(continuation).toBeNull();
    expect(entries.map((e) => e.entryNo)).toEqual([85]);
  });
});

describe('joining an entry that continues on the next page', () => {
  let t: TestDatabase;
  const blobs = createLocalBlobStore('/nonexistent/no-clean-image');
  const stage = (pageId: number, which: typeof extractStage | typeof routeStage = extractStage) =>
    t.db.transaction((sql) => which.run({ pageId }, { sql, instance: 'test:1', auditRate: 0, blobs }));

  /** A book of pages with the given OCR lines, in upload order; `null` for a page that could not be read. */
  async function book(pages: (Parameters<typeof ocrWords>[0] | null)[]): Promise<number[]> {
    const [office] = await t.db.query<{ id: number }>(`insert into registry_office (code, name) values ('QH' || nextval('book_id_seq'), 'Phường Quan Hoa') returning id`);
    const [b] = await t.db.query<{ id: number }>(`insert into book (office_id, register_type, book_no, year_from, year_to) values ($1, 'birth', '01', 2020, 2020) returning id`, [office!.id]);
    const [upload] = await t.db.query<{ id: number }>(`insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'b.pdf', repeat('a', 64), 1, 'test') returning id`, [b!.id]);
    const ids: number[] = [];
    for (const [i, lines] of pages.entries()) {
      const [page] = await t.db.query<{ id: number }>(
        `insert into page (book_id, upload_id, file_index, label, status, clean_width, clean_height) values ($1, $2, $3, 'b.pdf', $4, 2480, 3508) returning id`,
        [b!.id, upload!.id, i, lines ? 'ocr_done' : 'failed']);
      if (lines) await t.db.query(`insert into page_ocr (page_id, engine, text, mean_confidence, words, lines) values ($1, 'test', '', 0.9, $2, '[]')`, [page!.id, JSON.stringify(ocrWords(lines))]);
      ids.push(page!.id);
    }
    return ids;
  }
  /** Entry 203's pages, region pages and fields with the page each was read on. */
  async function entry203(bookPages: number[]) {
    const [entry] = await t.db.query<{ id: number; pageIds: number[]; region: { pageId: number }[] }>(
      `select e.id, e.page_ids::int[] as "pageIds", e.region from entry e where e.page_id = any($1) and e.entry_no = 203`, [bookPages]);
    const fields = await t.db.query<{ field: string; value: string | null; pageId: number; status: string; source: string }>(
      `select field, value, page_id as "pageId", status, source from entry_field where entry_id = $1 order by field`, [entry!.id]);
    return { ...entry!, regionPages: entry!.region.map((r) => r.pageId), field: Object.fromEntries(fields.map((f) => [f.field, f])) };
  }

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  for (const order of ['page 1 first', 'page 2 first', 'both at once'] as const) {
    it(`joins the continuation onto the entry whichever page is read first (${order})`, async () => {
      const [p1, p2] = await book([PAGE_1, PAGE_2]);
      if (order === 'both at once') await Promise.all([stage(p1!), stage(p2!)]);
      else for (const id of order === 'page 1 first' ? [p1!, p2!] : [p2!, p1!]) await stage(id);
      const joined = await entry203([p1!, p2!]);
      expect(joined.pageIds).toEqual([p1, p2]);
      expect(joined.regionPages).toEqual([p1, p2]);
      expect(joined.field.fullName).toMatchObject({ value: 'Nguyễn Khánh Bảo Long', pageId: p1 });
      // the placeholder for the missing mother and registration date is filled from page 2, each field on its page
      expect(joined.field.motherName).toMatchObject({ value: 'Nghiêm Thị Yến', pageId: p2 });
      expect(joined.field.motherEthnicity).toMatchObject({ value: 'Tày', pageId: p2 });
      expect(joined.field.registrationDate).toMatchObject({ value: '2020-04-26', pageId: p2 });
      expect(await t.db.query(`select entry_no from entry where page_id = any($1) order by page_id, seq`, [[p1, p2]])).toEqual([{ entry_no: 202 }, { entry_no: 203 }, { entry_no: 204 }]);
    });
  }

  it('routes the continuation’s fields with its page, and keeps the join and a verified value when either page is read again', async () => {
    const [p1, p2] = await book([PAGE_1, PAGE_2]);
    await stage(p1!);
    await t.db.query(`update page set status = 'matched' where id = $1`, [p1]);
    await stage(p1!, routeStage);
    await stage(p2!);
    await t.db.query(`update page set status = 'matched' where id = $1`, [p2]);
    await stage(p2!, routeStage);
    const routed = await entry203([p1!, p2!]);
    // page 1 was routed before the join: page 2's routing decides the joined fields
    expect(Object.values(routed.field).filter((f) => f.status === 'pending')).toEqual([]);
    const { id } = routed;
    await t.db.query(`update entry_field set value = 'Nghiêm Thị Yên', source = 'verifier', status = 'verified' where entry_id = $1 and field = 'motherName'`, [id]);
    const before = await t.db.query(`select count(*)::int as n from entry_field f join entry e on e.id = f.entry_id where e.page_id = any($1)`, [[p1, p2]]);
    for (const pageId of [p1!, p2!, p1!]) {
      await t.db.query(`update page set status = 'routed' where id = $1`, [pageId]);
      await stage(pageId);
    }
    const again = await entry203([p1!, p2!]);
    expect(again.id).toBe(id);
    expect(again.pageIds).toEqual([p1, p2]);
    expect(again.regionPages).toEqual([p1, p2]);
    expect(again.field.motherName).toMatchObject({ value: 'Nghiêm Thị Yên', source: 'verifier', status: 'verified', pageId: p2 });
    expect(again.field.registrationDate).toMatchObject({ value: '2020-04-26', pageId: p2 });
    expect(await t.db.query(`select count(*)::int as n from entry_field f join entry e on e.id = f.entry_id where e.page_id = any($1)`, [[p1, p2]])).toEqual(before);
    expect(await t.db.query(`select count(*)::int as n from entry where page_id = any($1)`, [[p1, p2]])).toEqual([{ n: 3 }]);
  });

  it('passes over a second scan of the page before, and keeps the join when that page is read again', async () => {
    const [p1, rescan, p2] = await book([PAGE_1, PAGE_1, PAGE_2]);
    for (const pageId of [p2!, rescan!, p1!]) await stage(pageId);
    const joined = await t.db.query<{ pageId: number; pageIds: number[] }>(
      `select page_id as "pageId", page_ids::int[] as "pageIds" from entry where entry_no = 203 and page_id = any($1) order by page_id`, [[p1, rescan]]);
    expect(joined).toEqual([{ pageId: p1, pageIds: [p1, p2] }, { pageId: rescan, pageIds: [rescan] }]);
    await t.db.query(`update page set status = 'routed' where id = $1`, [p1]);
    await stage(p1!);
    expect((await entry203([p1!])).pageIds).toEqual([p1, p2]);
  });

  it('shows a person the continued field on its own page, with the entry’s part on that page', async () => {
    const [p1, p2] = await book([PAGE_1, PAGE_2]);
    for (const pageId of [p2!, p1!]) await stage(pageId);
    await t.db.query(`insert into blob (sha256, bytes, media_type) select lpad(to_hex(id), 64, '0'), 1, 'image/png' from page where id = any($1)`, [[p1, p2]]);
    await t.db.query(`update page set clean_sha256 = lpad(to_hex(id), 64, '0') where id = any($1)`, [[p1, p2]]);
    const { id } = await entry203([p1!, p2!]);
    const [item] = await t.db.query<{ id: number }>(
      `insert into review_item (kind, entry_id, field, status, claimed_by, claimed_until) values ('field', $1, 'motherName', 'claimed', 'vien', now() + interval '5 minutes') returning id`, [id]);
    const [page2] = await t.db.query<{ sha: string }>('select clean_sha256 as sha from page where id = $1', [p2]);
    const [part] = await t.db.query<{ region: number[] }>('select region from page_continuation where page_id = $1', [p2]);
    expect(await fieldImageOf(t.db, item!.id, 'vien')).toMatchObject({ cleanSha256: page2!.sha, entryBox: part!.region });
  });

  /** Page 2 filed into another book and moved back by staff (src/review/move-page.ts): delivered after page 3. */
  async function movedBack(placeByNumbers = true) {
    const [p1, p3, p2] = await book([PAGE_1, PAGE_3, PAGE_2]);
    await t.db.query('update page set place_by_numbers = $2 where id = $1', [p2, placeByNumbers]);
    const entry = async (entryNo: number) => (await t.db.query<{ pageIds: number[]; mother: string | null }>(
      `select e.page_ids::int[] as "pageIds", (select value from entry_field f where f.entry_id = e.id and f.field = 'motherName') as mother
         from entry e where e.page_id = any($1) and e.entry_no = $2`, [[p1, p2, p3], entryNo]))[0]!;
    return { p1: p1!, p2: p2!, p3: p3!, entry };
  }

  for (const order of [[0, 1, 2], [1, 2, 0], [2, 1, 0]] as const) {
    it(`joins the top of a page moved back onto the entry of the page before its place, not the book's last (${order.join(', ')})`, async () => {
      const { p1, p2, p3, entry } = await movedBack();
      for (const i of order) await stage([p1, p3, p2][i]!);
      expect(await entry(203)).toEqual({ pageIds: [p1, p2], mother: 'Nghiêm Thị Yến' });
      expect(await entry(206)).toEqual({ pageIds: [p3], mother: null });
      const [placed] = await t.db.query<{ after: number }>('select placed_after::int as after from page where id = $1', [p2]);
      expect(placed!.after).toBe(p1);
    });
  }

  it('joins the top of a page the book checks place anew again, its fields decided as the route stage does', async () => {
    const { p1, p2, p3, entry } = await movedBack(false);
    for (const pageId of [p1, p3, p2]) await stage(pageId);
    expect((await entry(206)).pageIds).toEqual([p3, p2]);
    for (const pageId of [p1, p3, p2]) {
      await t.db.query(`update page set status = 'matched' where id = $1`, [pageId]);
      await stage(pageId, routeStage);
    }
    // as if moved in: the book checks place it by its numbers (run again when a person decides a number)
    await t.db.query('update page set place_by_numbers = true where id = $1', [p2]);
    const [{ bookId }] = await t.db.query<{ bookId: number }>('select book_id as "bookId" from page where id = $1', [p2]) as [{ bookId: number }];
    await t.db.transaction((sql) => checkBook(sql, bookId));
    expect(await entry(203)).toEqual({ pageIds: [p1, p2], mother: 'Nghiêm Thị Yến' });
    expect(await entry(206)).toEqual({ pageIds: [p3], mother: null });
    expect(await t.db.query(`select f.field from entry_field f join entry e on e.id = f.entry_id where e.page_id = any($1) and f.status = 'pending'`, [[p1, p2, p3]])).toEqual([]);
  });

  it('leaves a continuation whose page before could not be read unjoined, and raises it for a person once the book settles', async () => {
    const [p0, p1, p2] = await book([PAGE_1.slice(0, 7), null, PAGE_2]);
    for (const pageId of [p0!, p2!]) {
      await stage(pageId);
      await t.db.query(`update page set status = 'matched' where id = $1`, [pageId]);
      await stage(pageId, routeStage);
    }
    const [part] = await t.db.query<{ entry_id: number | null; n: number }>(`select entry_id, jsonb_array_length(fields)::int as n from page_continuation where page_id = $1`, [p2]);
    expect(part).toEqual({ entry_id: null, n: 5 });
    // entry 202 on page 0 is complete and not the continuation's: the unread page 1 lies between
    expect(await t.db.query(`select page_ids::int[] as "pageIds" from entry where page_id = $1`, [p0])).toEqual([{ pageIds: [p0] }]);
    const issues = await t.db.query<{ kind: string; pageId: number }>(`select kind, page_id as "pageId" from book_issue where page_id = any($1) order by kind`, [[p0, p1, p2]]);
    expect(issues).toContainEqual({ kind: 'orphan_continuation', pageId: p2 });
  });
});
