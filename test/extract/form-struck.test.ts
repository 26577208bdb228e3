import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract.ts';
import { ocrWords } from './ocr-words.ts';

const page = (lines: Parameters<typeof ocrWords>[0]) => ({ id: 7, registerType: 'birth' as const, era: '2016-' as const, yearFrom: 2023, yearTo: 2023, width: 2480, height: 3508, words: ocrWords(lines) });

// an entry struck through with two strokes across the parents' rows (seed 3302 b34): where a stroke crosses a
// parent's label, OCR loses its last word and colon ("mẹ: Ng") or reads the colon as a dash ("cha-Nguyễn")
const STRUCK = [
  'Số: 348 Quyển số: 02/2023',
  'Họ, chữ đệm, tên: Nguyễn Hoàng Dương',
  'Ngày, tháng, năm sinh: 16/12/2017 Giới tính: Nam',
  'Dân tộc: Kinh Quốc tịch: Việt Nam',
  'Nơi sinh: Bệnh viện Đa khoa Đức Giang, Quận Long Biên, Thành phố Hà Nội',
  'Số định danh cá nhân: 001217115350',
  'Họ, chữ đệm, tên người uyễn Bích Hoà',
  { text: 'Năm sinh: 1987 Dân tộc: Kinh Quốc tịch: Việt Nam', x: 170 },
  { text: 'Nơi cư trú: Xóm 8, Xã Hà Hồi, Huyện Thường Tín, Thành phố Hà Nội', x: 170 },
  'Họ, chữ đệm, tên người cha-Nguyễn Việt Trung',
  { text: 'Năm sinh: 1988 Dân tộc: Kinh Quốc tịch: Việt Nam', x: 170 },
  'Người đi khai: Nguyễn Bích Hoà Quan hệ với người được khai sinh: Mẹ',
  'Ngày, tháng, năm đăng ký: 27/06/2023',
  'Công chức tư pháp - hộ tịch: Bùi Thu Hương',
];

describe('form extraction across a strike', () => {
  it('takes a parent’s label that lost its last word or colon under a stroke for that label, not for a new entry’s name', () => {
    const entries = extractPage(page(STRUCK));
    expect(entries).toHaveLength(1);
    const value = (field: string) => entries[0]!.fields.find((f) => f.field === field)?.value;
    expect(value('fullName')).toBe('Nguyễn Hoàng Dương');
    expect(value('registrationDate')).toBe('2023-06-27');
    expect(value('motherBirthYear')).toBe('1987');
    expect(value('fatherName')).toBe('Nguyễn Việt Trung');
    expect(value('fatherBirthYear')).toBe('1988');
  });

  it('still begins a new entry at a name label read without its colon when the number line was lost', () => {
    const whole = STRUCK.map((l) => (l === 'Họ, chữ đệm, tên người uyễn Bích Hoà' ? 'Họ, chữ đệm, tên người mẹ: Nguyễn Bích Hoà' : l === 'Họ, chữ đệm, tên người cha-Nguyễn Việt Trung' ? 'Họ, chữ đệm, tên người cha: Nguyễn Việt Trung' : l));
    for (const name of ['Trần Văn An', 'Ngư Thị Lan']) {
      // "Ngư" shares its first letters with "người" of the parents' labels: only the whole next word of a longer label
      // makes the name label that label's beginning
      const entries = extractPage(page([...whole, `Họ, chữ đệm, tên ${name}`, ...whole.slice(2)]));
      expect(entries, name).toHaveLength(2);
      expect(entries[1]!.fields.find((f) => f.field === 'fullName')?.value).toBe(name);
      expect(entries[0]!.fields.find((f) => f.field === 'fatherName')?.value).toBe('Nguyễn Việt Trung');
    }
  });

  // the dash is taken for a colon only at a label's end (after the label's word before its last), not in a value
  it('leaves a value’s own dashed words as read: a name, a province, a word that ends some label', () => {
    const dashed = STRUCK.map((l) => ({
      'Nơi sinh: Bệnh viện Đa khoa Đức Giang, Quận Long Biên, Thành phố Hà Nội': 'Nơi sinh: Nhà hộ sinh-Quận Long Biên, Thành phố Hà Nội',
      'Họ, chữ đệm, tên người uyễn Bích Hoà': 'Họ, chữ đệm, tên người mẹ: Nguyễn Thị Hồng-Nhung',
    } as Record<string, string>)[l as string] ?? l);
    const at = dashed.findIndex((l) => typeof l !== 'string' && l.text.startsWith('Nơi cư trú'));
    dashed[at] = { text: 'Nơi cư trú: Phường 7, Thành phố Vũng Tàu, Tỉnh Bà Rịa-Vũng Tàu', x: 170 };
    const entries = extractPage(page(dashed));
    expect(entries).toHaveLength(1);
    const value = (field: string) => entries[0]!.fields.find((f) => f.field === field)?.value;
    expect(value('birthPlace')).toBe('Nhà hộ sinh-Quận Long Biên, Thành phố Hà Nội');
    expect(value('motherName')).toBe('Nguyễn Thị Hồng-Nhung');
    expect(value('motherResidence')).toBe('Phường 7, Thành phố Vũng Tàu, Tỉnh Bà Rịa-Vũng Tàu');
    // the label's own end still is one
    expect(value('fatherName')).toBe('Nguyễn Việt Trung');
  });
});
