import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract.ts';
import { ocrWords } from './ocr-words.ts';

const page = (lines: Parameters<typeof ocrWords>[0], type: 'birth' | 'death' | 'marriage' = 'birth') => ({
  id: 7, registerType: type, era: '1999-2005' as const, yearFrom: 2002, yearTo: 2002, width: 2480, height: 3508, words: ocrWords(lines),
});

describe('typed values on forms read with marks between them', () => {
  it('finds a label glued to the value before it with a mark read as a small letter ("13/3/1983 pDântộc Hoa")', () => {
    const lines = [
      'Số: 181 Quyển số: 01/2002',
      'Họ và tên người chết: Đoàn Thị Trang Giới tính: Nữ',
      'Ngày, tháng, năm sinh: 13/3/1983 pDântộc Hoa Quốc tịch: Việt Nam', // the colon lost, a mark read "p"
      'Nơi cư trú cuối cùng: Số 41 ngõ 125 Hàng Gai, P. Tràng Tiền, Q. Hoàn Kiếm',
      'Ngày, tháng, năm đăng ký: 23/4/2002',
    ];
    const [entry] = extractPage(page(lines, 'death'));
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect(value('birthDate')).toBe('1983-03-13');
    expect(value('ethnicity')).toBe('Hoa');
  });

  it('keeps a value whose word has a small letter before a capital that is no label ("xQuận" stays in the place)', () => {
    const lines = [
      'Số: 181 Quyển số: 01/2002',
      'Họ và tên: Đoàn Khánh Bảo Trang Giới tính: Nữ',
      'Nơi sinh: Số 5 phố Huế, xQuận Hai Bà Trưng, Hà Nội',
      'Ngày đăng ký: 20/4/2002',
    ];
    const [entry] = extractPage(page(lines));
    expect(entry!.fields.find((f) => f.field === 'birthPlace')?.raw).toBe('Số 5 phố Huế, xQuận Hai Bà Trưng, Hà Nội');
  });

  it('finds a long label whose short first word OCR misread, by its colon ("Hgvàtênvợ:", "Hạ và tên vợ:")', () => {
    for (const label of ['Hgvàtênvợ:', 'Hạ và tên vợ:']) {
      const lines = [
        'Số: 12 Quyển số: 01/2002',
        'Họ và tên chồng: Lê Văn Sơn',
        'Ngày, tháng, năm sinh: 18/02/1973 Dân tộc: Kinh Quốc tịch: Việt Nam',
        'Nơi cư trú: Xóm 1, X. Vĩnh Quỳnh, H. Thanh Trì',
        `Số CMND: 014838511 ${label} Trần Thanh Vân`,
        'Ngày, tháng, năm sinh: 10/09/1982 Dân tộc: Kinh Quốc tịch: Việt Nam',
        'Ngày, tháng, năm đăng ký: 23/4/2002',
      ];
      const [entry] = extractPage(page(lines, 'marriage'));
      const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
      expect(value('husbandIdNumber'), label).toBe('014838511');
      expect(value('wifeName'), label).toBe('Trần Thanh Vân');
      expect(value('wifeBirthDate'), label).toBe('1982-09-10');
    }
  });

  it('does not take a value for a label with its short first word misread when no colon follows ("Hà và tên vợ" in a value)', () => {
    const lines = [
      'Số: 12 Quyển số: 01/2002',
      'Họ và tên chồng: Lê Văn Sơn',
      'Ngày, tháng, năm sinh: 18/02/1973 Dân tộc: Kinh Quốc tịch: Việt Nam',
      'Nơi cư trú: Thôn Hạ và tên vợ cũ, X. Vĩnh Quỳnh, H. Thanh Trì',
      'Ngày, tháng, năm đăng ký: 23/4/2002',
    ];
    const [entry] = extractPage(page(lines, 'marriage'));
    expect(entry!.fields.find((f) => f.field === 'husbandResidence')?.raw).toBe('Thôn Hạ và tên vợ cũ, X. Vĩnh Quỳnh, H. Thanh Trì');
  });

  it('finds a label whose words OCR gave out of order, by its colon ("Nơi cư cuối trú cùng:")', () => {
    const lines = [
      'Số: 56 Quyển số: 01/2002',
      'Họ và tên người chết: Nguyễn Thị Tý Giới tính: Nữ',
      'Ngày, tháng, năm sinh: 14/3/1919 Nơi cư cuối trú cùng: Thôn Siêu Quần, X. Ngọc Hồi, H. Thanh Trì, Hà Nội',
      'Ngày, tháng, năm đăng ký: 23/4/2002',
    ];
    const [entry] = extractPage(page(lines, 'death'));
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect(value('birthDate')).toBe('1919-03-14');
    expect(value('residence')).toBe('Thôn Siêu Quần, X. Ngọc Hồi, H. Thanh Trì, Hà Nội');
  });
});
