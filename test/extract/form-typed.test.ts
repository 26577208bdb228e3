import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract.ts';
import { ocrWords } from './ocr-words.ts';

const page = (lines: Parameters<typeof ocrWords>[0], type: 'birth' | 'death' = 'birth') => ({
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
});
