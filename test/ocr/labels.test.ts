import { describe, expect, it } from 'vitest';
import { labelAt, printedLabels, printedTitle } from '../../src/ocr/labels.ts';
import { flattenBlocks } from '../../src/ocr/words.ts';

const words = (...texts: string[]) => texts.map((text, i) => ({ text, confidence: 0.8, box: [i * 100, 10, 90, 30] as [number, number, number, number] }));
const read = (...texts: string[]) => printedLabels(words(...texts)).map((word) => word.text).join(' ');

describe('printed form labels misread beside typed values', () => {
  it('gives back a label read glued, its colon read as a letter', () => {
    expect(read('Quốctịchh:', 'Việt', 'Nam')).toBe('Quốc tịch: Việt Nam');
    expect(read('Dântộcc', 'Kinh')).toBe('Dân tộc: Kinh');
    expect(read('Dântộc:c', 'Kinh')).toBe('Dân tộc: Kinh');
    expect(read('Nơicưtrúc', 'Xóm', 'Trại,')).toBe('Nơi cư trú: Xóm Trại,');
    expect(read('Đãchếtvàolúcc:.', '23h30')).toBe('Đã chết vào lúc: 23h30');
    // a letter of the label doubled and one lost: within one edit in six letters
    expect(read('Họovàtênngườichế:', 'Nguyễn')).toBe('Họ và tên người chết: Nguyễn');
    expect(read('Công', 'chức', 'tưpháp-hộtịch:', 'Nguyễn')).toBe('Công chức tư pháp - hộ tịch: Nguyễn');
  });

  it('gives back a label glued whole with its second letter misread, its colon lost, or read as a mark (seed 3346, typed 1999–2015 forms)', () => {
    expect(read('Hgvàtênchồng:', 'Nguyễn', 'Văn', 'Sơn')).toBe('Họ và tên chồng: Nguyễn Văn Sơn');
    expect(read('Hgvàtênvợ:', 'Hoàng')).toBe('Họ và tên vợ: Hoàng');
    expect(read('Họovàtên', 'Nguyễn', 'Thị', 'Thư')).toBe('Họ và tên: Nguyễn Thị Thư');
    expect(read('Họovàtêncha', 'Hoàng')).toBe('Họ và tên cha: Hoàng');
    // a letter added inside the label and the colon read as a letter
    expect(read('Họovàtênchồngd', 'Phạm')).toBe('Họ và tên chồng: Phạm');
    expect(read('Nơicưtrtúc.', 'Số', '30')).toBe('Nơi cư trú: Số 30');
    expect(read('Quốctịchh:›', 'Việt', 'Nam')).toBe('Quốc tịch: Việt Nam');
    // the label's words read right, its colon read as a full stop
    expect(read('Nơi', 'cư', 'trú.', 'TỔ', '22')).toBe('Nơi cư trú: TỔ 22');
  });

  it("gives back a label's word read with another tone mark, and the entry's number label read in small letters (seed 3346)", () => {
    expect(read('số:', '65', 'Quyến', 'số:', '03')).toBe('Số: 65 Quyển số: 03');
    // "số:" not first on its line, or before no figure: left as read
    expect(read('theo', 'số:', '65')).toBe('theo số: 65');
    expect(read('số:', 'hai')).toBe('số: hai');
  });

  it('leaves runs that only look like a glued label alone', () => {
    // the label's own last letter lost: the letter after is no colon
    expect(read('Dântộ', 'Kinh')).toBe('Dântộ Kinh');
    // glued without a colon and nothing after it: no value beside, not taken
    expect(read('Họovàtên')).toBe('Họovàtên');
    // a full stop after the words in a sentence (small first letter), or with nothing after
    expect(read('thay', 'đổi', 'nơi', 'cư', 'trú.', 'Theo')).toBe('thay đổi nơi cư trú. Theo');
    expect(read('Nơi', 'cư', 'trú.')).toBe('Nơi cư trú.');
  });

  it("gives back a label's lost comma", () => {
    expect(read('Ngày,', 'tháng', 'năm', 'sinh:', '31/7/1971')).toBe('Ngày, tháng, năm sinh: 31/7/1971');
  });

  it('takes the longest label that fits, and leaves labels read right, headings, values and other words alone', () => {
    expect(read('Nơicưtrúcuốicùng:', 'Xóm')).toBe('Nơi cư trú cuối cùng: Xóm');
    expect(labelAt(['Nơi', 'cư', 'trú:', 'Xóm'], 0)).toEqual({ label: 'Nơi cư trú:', words: 3 });
    // a label read right is not looked into for a shorter one ("năm sinh:" is not "Năm sinh:" here)
    expect(read('Ngày,', 'tháng,', 'năm', 'sinh:', '10/12/1948')).toBe('Ngày, tháng, năm sinh: 10/12/1948');
    // a run from the label's second word on is not the label
    expect(read('Họ', 'và', 'tên', 'chồng:', 'Trần')).toBe('Họ và tên chồng: Trần');
    expect(read('Đã', 'chết', 'vào', 'lúc:', '1h30')).toBe('Đã chết vào lúc: 1h30');
    // a ruled table's heading: a comma, not a colon
    expect(read('Dân', 'tộc,', 'Quốc', 'tịch')).toBe('Dân tộc, Quốc tịch');
    // a value glued on, or words that are not a label
    expect(read('Dântộc:kinh')).toBe('Dântộc:kinh');
    expect(read('10/12/1948Dântộcc', 'Kinh')).toBe('10/12/1948Dântộcc Kinh');
    expect(read('GiớitínhNam')).toBe('GiớitínhNam');
    expect(read('Nguyễn', 'Thị', 'Hoa')).toBe('Nguyễn Thị Hoa');
    // another label read word for word (a form the templates lack): "vợ" is a word, not "mẹ" misread, and it decides
    // which field the value beside it is (a page drawn with pdf-lib, test/imaging/stamped-typed.test.ts)
    expect(read('Họ,', 'chữ', 'đệm,', 'tên', 'người', 'vợ:', 'HOÀNG')).toBe('Họ, chữ đệm, tên người vợ: HOÀNG');
    // glued, one letter off: the label; two letters of seven off: left as read
    expect(read('Nămsính:', '1950')).toBe('Năm sinh: 1950');
    expect(read('Nắmsính:', '1950')).toBe('Nắmsính: 1950');
  });

  it('splits the run box among the label words and keeps the lowest confidence', () => {
    const [dan, toc, kinh] = printedLabels([
      { text: 'Dântộcc', confidence: 0.7, box: [100, 10, 80, 30] },
      { text: 'Kinh', confidence: 0.9, box: [200, 12, 50, 28] },
    ]);
    expect(dan).toMatchObject({ text: 'Dân', confidence: 0.7, changed: true, piece: 0, box: [100, 10, 34, 30] });
    expect(toc).toMatchObject({ text: 'tộc:', piece: 1, box: [134, 10, 46, 30] });
    expect(kinh).toEqual({ text: 'Kinh', confidence: 0.9, box: [200, 12, 50, 28] });
  });

  it('is applied to the words and lines Tesseract gives (flattenBlocks)', () => {
    const word = (text: string, x0: number) => ({ text, confidence: 85, bbox: { x0, y0: 10, x1: x0 + 60, y1: 40 }, symbols: [] });
    const blocks = [{ paragraphs: [{ lines: [{ text: 'Quốctịchh: Việt Nam', confidence: 85, bbox: { x0: 0, y0: 10, x1: 300, y1: 40 }, words: [word('Quốctịchh:', 0), word('Việt', 120), word('Nam', 200)] }] }] }];
    const { words: out, lines } = flattenBlocks(blocks as never);
    expect(out.map((w) => w.text)).toEqual(['Quốc', 'tịch:', 'Việt', 'Nam']);
    expect(lines[0]!.text).toBe('Quốc tịch: Việt Nam');
  });

  it("gives back a register's title read with Ố for the capital Ổ, and leaves other lines in capitals alone", () => {
    const title = (...texts: string[]) => printedTitle(words(...texts)).map((word) => word.text).join(' ');
    expect(title('SỐ', 'ĐĂNG', 'KÝ', 'KẾT', 'HỒN')).toBe('SỔ ĐĂNG KÝ KẾT HÔN');
    expect(title('SỐ', 'ĐĂNG', 'KÝ', 'KHAI', 'SINH')).toBe('SỔ ĐĂNG KÝ KHAI SINH');
    expect(title('Số', 'đăng', 'ký:', '125')).toBe('Số đăng ký: 125');
    expect(title('SỐ', 'ĐĂNG', 'KÝ', 'KHAI', 'SINH', '1975')).toBe('SỐ ĐĂNG KÝ KHAI SINH 1975');
    expect(title('CỘNG', 'HÒA', 'XÃ', 'HỘI', 'CHỦ', 'NGHĨA', 'VIỆT', 'NAM')).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  });
});
