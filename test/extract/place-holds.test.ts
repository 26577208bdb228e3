import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract.ts';
import { ocrWords } from './ocr-words.ts';

/** A 2016 birth form whose birth place carries a house number, its figure marked lonely by OCR. */
function formWith(hometown: string, birthPlace: string) {
  const words = ocrWords([
    'Số: 203 Quyển số: 01/2020',
    'Họ, chữ đệm, tên: Nguyễn Khánh Bảo Long',
    'Ngày, tháng, năm sinh: 17/04/2020 Giới tính: Nam',
    'Dân tộc: Kinh Quốc tịch: Việt Nam',
    `Nơi sinh: ${birthPlace}`,
    `Quê quán: ${hometown}`,
  ]);
  for (const word of words) if (/^\d+,?$/.test(word.text) && word.line >= 4) word.lonelyDigit = true;
  return { id: 7, registerType: 'birth' as const, era: '2016-' as const, yearFrom: 2020, yearTo: 2020, width: 2480, height: 3508, words };
}

describe('place holds that judge the words alone (run-on, case, not placed by the gazetteer)', () => {
  // a lonely figure's reason is cleared later when its twins line up (clearAlignedTwins): the value's own doubt
  // must already be there, or the place is accepted on its confidence
  it('are given to a place that already has another reason', () => {
    const [entry] = extractPage(formWith('xã Yết Kiêu, huyện Gia Lộc, Hải Dương', 'Số 5, Hai Bà Trưng, Hà Nội Tân Hòa, Vũ Thư, Thái Bình'));
    expect(entry!.fields.find((f) => f.field === 'birthPlace')!.reasons).toEqual(['lonely_digit', 'place_run_on']);
    // a place the gazetteer cannot place (a province of 1976–1991 on a 2020 form), likewise
    const [unknown] = extractPage(formWith('xã Yết Kiêu, huyện Gia Lộc, Hải Dương', 'Số 5, xã Phú Lãm, huyện Thanh Oai, tỉnh Hà Sơn Bình'));
    expect(unknown!.fields.find((f) => f.field === 'birthPlace')!.reasons).toEqual(['lonely_digit', 'not_in_dictionary']);
  });

  it('leave a place with a lonely figure and nothing else in doubt with that reason alone', () => {
    const [entry] = extractPage(formWith('xã Yết Kiêu, huyện Gia Lộc, Hải Dương', 'Số 5, Hai Bà Trưng, Hà Nội'));
    expect(entry!.fields.find((f) => f.field === 'birthPlace')!.reasons).toEqual(['lonely_digit']);
  });
});
