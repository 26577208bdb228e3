import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBook } from '../../src/extract/book-checks.ts';
import { otherRegisterOfPage } from '../../src/extract/register-of-page.ts';
import { extractStage } from '../../src/extract/stage.ts';
import { createLocalBlobStore } from '../../src/store/blobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { ocrWords } from './ocr-words.ts';

const DEATH_2016 = [
  'Số: 56 Quyển số: 01/2020',
  'Họ, chữ đệm, tên người chết: Nguyễn Thị Tý Giới tính: Nữ',
  'Ngày, tháng, năm sinh: 20/9/1931 Dân tộc: Kinh Quốc tịch: Việt Nam',
  'Số định danh cá nhân: 001131045678',
  'Nơi cư trú cuối cùng: Số 41 ngõ 125 Hàng Gai, P. Tràng Tiền, Q. Hoàn Kiếm',
  'Đã chết vào lúc: 14 giờ 30 ngày 12/4/2020',
  'Nơi chết: Tại nhà',
  'Nguyên nhân chết: Già yếu',
  'Người đi khai tử: Nguyễn Văn Hải Quan hệ: Con',
  'Ngày, tháng, năm đăng ký: 23/4/2020',
];

const BIRTH_2016 = [
  'Số: 203 Quyển số: 01/2020',
  'Họ, chữ đệm, tên: Nguyễn Khánh Bảo Long',
  'Ngày, tháng, năm sinh: 17/04/2020 Giới tính: Nam',
  'Nơi sinh: Bệnh viện Xanh Pôn, Q. Ba Đình, Hà Nội',
  'Quê quán: X. Yên Thắng, H. Ý Yên, T. Nam Định',
  'Họ, chữ đệm, tên người mẹ: Nghiêm Thị Yến',
  'Họ, chữ đệm, tên người cha: Nguyễn Hoàng Dũng',
  'Ngày, tháng, năm đăng ký: 26/04/2020',
];

describe('pages of another register', () => {
  it("tells a death register's page in a birth book, and a birth register's in a death book", () => {
    expect(otherRegisterOfPage(ocrWords([...DEATH_2016, ...DEATH_2016]), 'birth', '2016-')).toBe('death');
    expect(otherRegisterOfPage(ocrWords([...BIRTH_2016, ...BIRTH_2016]), 'death', '2016-')).toBe('birth');
  });

  it("names nothing on the book's own pages, on a page too faint to tell, or in a ruled era", () => {
    expect(otherRegisterOfPage(ocrWords([...BIRTH_2016, ...BIRTH_2016]), 'birth', '2016-')).toBeNull();
    expect(otherRegisterOfPage(ocrWords([...DEATH_2016, ...DEATH_2016]), 'death', '2016-')).toBeNull();
    // one death label read on a birth page (a stray line) is not another register's page
    expect(otherRegisterOfPage(ocrWords([...BIRTH_2016, 'Nơi chết: Tại nhà']), 'birth', '2016-')).toBeNull();
    expect(otherRegisterOfPage(ocrWords(['Số: 56 Quyển số: 01/2020', 'Nơi chết: Tại nhà']), 'birth', '2016-')).toBeNull();
    expect(otherRegisterOfPage(ocrWords(DEATH_2016), 'birth', '1961-1998')).toBeNull();
  });

  describe('through the extract stage and the book checks', () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase();
    });
    afterAll(() => t.drop());

    it("raises a death register's page in a birth book once, and nothing else about it", async () => {
      const [office] = await t.db.query<{ id: number }>(`insert into registry_office (code, name) values ('QH', 'Phường Quan Hoa') returning id`);
      const [book] = await t.db.query<{ id: number }>(
        `insert into book (office_id, register_type, book_no, year_from, year_to) values ($1, 'birth', '01', 2020, 2020) returning id`, [office!.id]);
      const [upload] = await t.db.query<{ id: number }>(
        `insert into upload (book_id, seq, file_name, sha256, bytes, uploaded_by) values ($1, 1, 'so.pdf', repeat('a', 64), 1, 'test') returning id`, [book!.id]);
      const numbered = (lines: string[], no: number) => lines.map((line, i) => (i === 0 ? line.replace(/^Số: \d+/, `Số: ${no}`) : line));
      const pages = [[...numbered(BIRTH_2016, 1), ...numbered(BIRTH_2016, 2)], [...numbered(DEATH_2016, 7), ...numbered(DEATH_2016, 8)], [...numbered(BIRTH_2016, 3)]];
      const ids: number[] = [];
      for (const [i, lines] of pages.entries()) {
        const [page] = await t.db.query<{ id: number }>(
          `insert into page (book_id, upload_id, file_index, label, status, clean_width, clean_height) values ($1, $2, $3, $4, 'ocr_done', 2480, 3508) returning id`,
          [book!.id, upload!.id, i, String(i + 1)]);
        await t.db.query(`insert into page_ocr (page_id, engine, text, mean_confidence, words, lines) values ($1, 'test', '', 0.9, $2, '[]')`, [page!.id, JSON.stringify(ocrWords(lines))]);
        await t.db.transaction((sql) => extractStage.run({ pageId: page!.id }, { sql, instance: 'test:1', blobs: createLocalBlobStore('/nonexistent/no-clean-image') }));
        ids.push(page!.id);
      }
      expect(await t.db.query(`select id::int, register_read from page order by id`)).toEqual(ids.map((id, i) => ({ id, register_read: i === 1 ? 'death' : null })));
      await t.db.query(`update page set status = 'routed'`);
      await checkBook(t.db, book!.id);
      // its entries 7 and 8 are neither a gap after 2 nor a step back before 3, and nothing on it is to key here
      expect(await t.db.query(`select kind, page_id::int as "pageId", detail from book_issue`)).toEqual([{ kind: 'page_of_other_register', pageId: ids[1], detail: { registerType: 'death' } }]);
    });
  });
});

