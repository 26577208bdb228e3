import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract.ts';
import { BIRTH_2016, page } from './birth-form.ts';
import { ocrWords } from './ocr-words.ts';

describe('printed page numbers', () => {
  it('reads the page number at the foot, and both of two facing pages in one image', async () => {
    const { printedPageNumbers } = await import('../../src/extract/form.ts');
    expect(printedPageNumbers(ocrWords(['Họ và tên: Nguyễn Văn An', 'Trang 49']))).toEqual({ first: 49, last: 49 });
    expect(printedPageNumbers(ocrWords(['Trang 110', 'Họ và tên: Nguyễn Văn An', 'Trang 111']))).toEqual({ first: 110, last: 111 });
    expect(printedPageNumbers(ocrWords(['Họ và tên: Nguyễn Văn An']))).toBeNull();
  });
});

describe('entry numbers', () => {
  it('fills a lost number only between neighbours that bracket it', () => {
    const entry = (no: string) => [`Số: ${no} Quyển số: 01/2020`, 'Họ, chữ đệm, tên: Nguyễn Văn An', 'Ngày, tháng, năm đăng ký: 26/04/2020'];
    const numbers = (...nos: string[]) => extractPage(page(nos.flatMap(entry))).map((e) => e.entryNo);
    expect(numbers('12', 'l?', '14')).toEqual([12, 13, 14]);
    expect(numbers('12', 'l?', '15')).toEqual([12, null, 15]);
    expect(numbers('12', 'l?')).toEqual([12, null]);
  });
});

describe('page trust', () => {
  it('believes OCR confidences on a page read confidently and scales them down where most words are unsure', async () => {
    const { pageTrust } = await import('../../src/extract/extract.ts');
    expect(pageTrust(ocrWords(['Họ và tên: Nguyễn Văn An'], 0.96))).toBe(1);
    const leaderPage = [...ocrWords(['Họ và tên: Nguyễn Thi Liên'], 0.93), ...ocrWords(['GGGG nnnnn ỒỒỒ II'], 0.3)];
    expect(pageTrust(leaderPage)).toBeCloseTo(6 / 10 / 0.9);
    // a word read glued and split into its syllables was one unsure reading, not four
    const glued = ocrWords(['Cán bộ hộ tịch:'], 0.5).map((w, i) => ({ ...w, piece: i }));
    expect(pageTrust([...ocrWords(['Họ và tên: Nguyễn Văn An'], 0.96), ...glued])).toBeCloseTo(6 / 7 / 0.9);
    const [entry] = extractPage({ ...page(BIRTH_2016), words: [...ocrWords(BIRTH_2016), ...ocrWords(Array(120).fill('GGGG nnnnn'), 0.3)] });
    // the same well-read name is no longer sure enough to pass without a person
    expect(entry!.fields.find((f) => f.field === 'fullName')!.confidence).toBeLessThan(0.9);
  });
});

describe('ruled books', () => {
  it('reads a typed row by its columns, turns a parent’s age into a birth year for a person to confirm, and boxes unread cells', () => {
    // birth/1961-1998: twelve columns whose printed widths add up to 296 units over a 2960 px table
    const widths = [8, 29, 10, 28, 28, 16, 26, 38, 38, 25, 26, 24];
    const x = (column: number) => 100 + widths.slice(0, column).reduce((a, b) => a + b, 0) * 10 + 10;
    const cell = (column: number, line: number, text: string, confidence = 0.97) =>
      ocrWords([{ text, x: x(column), confidence }]).map((w) => ({ ...w, box: [w.box[0], 1000 + line * 60, w.box[2], 40] as [number, number, number, number], line: column * 10 + line }));
    const words = [
      ...ocrWords([{ text: 'Ủy ban hành chính khu phố Hai Bà Trưng SỔ ĐĂNG KÝ KHAI SINH Năm 1975', x: 100 }]).map((w) => ({ ...w, box: [w.box[0], 200, w.box[2], 40] as [number, number, number, number] })),
      ...cell(0, 0, '57'), ...cell(1, 0, 'Trần Văn Bình'), ...cell(2, 0, 'Nam'), ...cell(3, 0, '12/3/1975'),
      ...cell(7, 0, 'Trần Văn Tư'), ...cell(7, 1, '34 tuổi'), ...cell(10, 0, '20/3/1975'),
      { text: 'x', confidence: 0.97, box: [100 + 296 * 10 - 5, 1400, 5, 40] as [number, number, number, number], line: 999 },
    ];
    const [entry, ...rest] = extractPage({ id: 3, registerType: 'birth', era: '1961-1998', yearFrom: 1975, yearTo: 1975, width: 3200, height: 2300, words });
    expect(rest).toHaveLength(0);
    const field = (name: string) => entry!.fields.find((f) => f.field === name);
    expect(entry!.entryNo).toBe(57);
    expect(field('fullName')?.value).toBe('Trần Văn Bình');
    expect(field('sex')?.value).toBe('male');
    expect(field('birthDate')?.value).toBe('1975-03-12');
    expect(field('fatherName')?.value).toBe('Trần Văn Tư');
    expect(field('fatherBirthYear')).toMatchObject({ value: '1941', precision: 'year', reasons: ['check_failed'] });
    expect(field('registrationDate')?.value).toBe('1975-03-20');
    // nothing was read for the place of birth: a person is asked, shown the right cell
    expect(field('birthPlace')).toMatchObject({ value: null, reasons: ['missing_required'] });
    expect(field('birthPlace')!.box![0]).toBeCloseTo(x(4) - 10, -1);
  });
});
