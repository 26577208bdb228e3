import { ocrWords } from './ocr-words.ts';

/** A page of OCR lines (src/extract's input) of a 2016 (or 2006–2015) form of the given register. */
export const page = (lines: Parameters<typeof ocrWords>[0], era: '2016-' | '2006-2015' = '2016-', type: 'birth' | 'death' = 'birth') => ({
  id: 7, registerType: type, era, yearFrom: era === '2016-' ? 2020 : 2012, yearTo: era === '2016-' ? 2020 : 2012, width: 2480, height: 3508, words: ocrWords(lines),
});

/** A 2016 birth entry as OCR reads a clean printed form: the lines every form test changes one of. */
export const BIRTH_2016 = [
  'Số: 203 Quyển số: 01/2020',
  'Họ, chữ đệm, tên: Nguyễn Khánh Bảo Long',
  'Ngày, tháng, năm sinh: 17/04/2020 Giới tính: Nam',
  'Ghi bằng chữ: Ngày mười bảy tháng tư năm hai nghìn không trăm hai mươi',
  'Dân tộc: Kinh Quốc tịch: Việt Nam',
  'Nơi sinh: Bệnh viện Xanh Pôn, Q. Ba Đình, Hà Nội',
  'Quê quán: X. Yên Thắng, H. Ý Yên, T. Nam Định',
  'Số định danh cá nhân: 001220179131',
  'Họ, chữ đệm, tên người mẹ: Nghiêm Thị Yến',
  { text: 'Năm sinh: 1991 Dân tộc: Tày Quốc tịch: Việt Nam', x: 170 },
  { text: 'Nơi cư trú: Số 65 đường Xuân Thủy, P. Quan Hoa, Q. Cầu Giấy,', x: 170 },
  { text: 'Hà Nội', x: 200 },
  'Họ, chữ đệm, tên người cha: Nguyễn Hoàng Dũng',
  { text: 'Năm sinh: 1984 Dân tộc: Kinh Quốc tịch: Việt Nam', x: 170 },
  'Người đi khai: Nguyễn Hoàng Dũng Quan hệ với người được khai sinh: Cha',
  'Ngày, tháng, năm đăng ký: 26/04/2020',
  'Công chức tư pháp - hộ tịch: Vũ Thu Mai',
  'Ghi chú:',
];
