import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract.ts';
import { ocrWords } from './ocr-words.ts';

/** A 2016 marriage entry as OCR reads a clean printed form, the registrar's label as the book prints it. */
const entryLines = (registrar: string) => [
  'Số: 79 Quyển số: 01/2023',
  'Họ và tên chồng: Lê Văn Sơn',
  'Ngày, tháng, năm sinh: 18/02/1993 Dân tộc: Kinh Quốc tịch: Việt Nam',
  'Nơi cư trú: Số 12 ngõ 5 phố Định Công, P. Định Công, Q. Hoàng Mai, Hà Nội',
  'Số định danh cá nhân: 001093012345',
  'Họ và tên vợ: Nguyễn Thị Lan',
  'Ngày, tháng, năm sinh: 03/07/1995 Dân tộc: Kinh Quốc tịch: Việt Nam',
  'Nơi cư trú: Số 7 phố Kim Giang, P. Đại Kim, Q. Hoàng Mai, Hà Nội',
  'Số định danh cá nhân: 001195054321',
  'Ngày, tháng, năm đăng ký: 04/08/2023',
  `${registrar} Nguyễn Thu Hà`,
  'Chồng ký: Vợ ký:',
  'Ghi chú:',
];
const page = (lines: string[]) => ({
  id: 7, registerType: 'marriage' as const, era: '2016-' as const, yearFrom: 2023, yearTo: 2023, width: 2480, height: 3508, words: ocrWords(lines),
});

describe('marriage forms from 2016', () => {
  it('ends the registration date at the registrar\'s label, either title the book prints', () => {
    // seed 3342 b32 and every 2016 marriage book of the stored runs: "Cán bộ Tư pháp - Hộ tịch:" was no label of the
    // layout, so the date read "04/08/2023 Cán bộ Tư pháp - Hộ tịch: Ng…" and was never parsed
    for (const registrar of ['Công chức tư pháp - hộ tịch:', 'Cán bộ Tư pháp - Hộ tịch:']) {
      const [entry, ...rest] = extractPage(page(entryLines(registrar)));
      expect(rest).toHaveLength(0);
      const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
      expect(value('registrationDate')).toBe('2023-08-04');
      expect(value('registrarName')).toBe('Nguyễn Thu Hà');
      expect(value('wifeName')).toBe('Nguyễn Thị Lan');
    }
  });
});
