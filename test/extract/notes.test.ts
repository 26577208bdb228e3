import { describe, expect, it } from 'vitest';
import type { ExtractedField } from '../../schemas/entries.ts';
import { parseNotes } from '../../src/extract/notes.ts';

const field = (name: string, value: string): ExtractedField => ({ field: name, raw: value, value, precision: null, pageId: 1, box: null, confidence: 0.9, reasons: [] });

describe('marginal notes', () => {
  it('reads a correction of the date of birth with the old value, the new one and the decision’s date', () => {
    const notes = parseNotes('Cải chính ngày sinh thành 15/03/1962 theo QĐ số 12/QĐ-UB ngày 5/6/1980', [field('birthDate', '1962-03-05')]);
    expect(notes).toEqual([{ kind: 'correction', field: 'birthDate', oldValue: '1962-03-05', newValue: '1962-03-15', date: '1980-06-05', raw: expect.any(String) }]);
  });

  it('reads a change of name, and on a marriage entry finds which spouse it is', () => {
    expect(parseNotes('Thay đổi họ tên thành Nguyễn Minh Anh theo QĐ số 80/QĐ-UBND ngày 2/9/2015', [field('fullName', 'Nguyễn Văn Tý')])[0])
      .toMatchObject({ kind: 'change_of_name', field: 'fullName', oldValue: 'Nguyễn Văn Tý', newValue: 'Nguyễn Minh Anh', date: '2015-09-02' });
    expect(parseNotes('Cải chính họ tên thành Lê Thị Hoà theo QĐ số 3/QĐ-UB ngày 1/2/1990', [field('husbandName', 'Trần Văn Nam'), field('wifeName', 'Lê Thị Hòa')])[0])
      .toMatchObject({ kind: 'correction', field: 'wifeName', oldValue: 'Lê Thị Hòa', newValue: 'Lê Thị Hoà' });
  });

  it('puts a change of a parent’s name on the parent, never on the child', () => {
    const fields = [field('fullName', 'Nguyễn Văn Tý'), field('motherName', 'Trần Thị Hoa')];
    expect(parseNotes('Cải chính họ, chữ đệm, tên của mẹ thành Trần Thị Hòa theo QĐ số 5/QĐ-UBND ngày 2/3/2012', fields)[0])
      .toMatchObject({ kind: 'correction', field: 'motherName', oldValue: 'Trần Thị Hoa', newValue: 'Trần Thị Hòa' });
    expect(parseNotes('Cải chính họ tên ông nội thành Trần Văn Hòa theo QĐ số 5/QĐ-UBND ngày 2/3/2012', fields)[0]).toMatchObject({ field: null });
  });

  it('reads divorces, deaths and re-registrations, and keeps anything else for a person', () => {
    expect(parseNotes('Đã ly hôn theo Bản án số 12/2001/HNGĐ-ST ngày 3/4/2001 của TAND quận Đống Đa', [])[0]).toMatchObject({ kind: 'divorce', date: '2001-04-03' });
    expect(parseNotes('Đã chết ngày 7/8/1999, khai tử số 41 ngày 9/8/1999', [])[0]).toMatchObject({ kind: 'death', date: '1999-08-07' });
    // the date of death misread: not the registration's date after it
    expect(parseNotes('Đã chết ngày 50/11/2024, khai tử số 105 ngày 6/12/2024', [])[0]).toMatchObject({ kind: 'death', date: null });
    expect(parseNotes('Đăng ký lại', [])[0]).toMatchObject({ kind: 're_registration', date: null });
    expect(parseNotes('Xem sổ phụ', [])[0]).toMatchObject({ kind: 'other' });
    expect(parseNotes('', [])).toEqual([]);
  });

  it('reads the recognition of a father the entry lacked, and a guardianship, with the name each gives', () => {
    expect(parseNotes('Nhận cha cho con: cha là Nguyễn Văn Hùng, số 12/2018 ngày 5/3/2018', [field('fullName', 'Lê Thị Mai')])[0])
      .toEqual({ kind: 'recognition', field: 'fatherName', oldValue: null, newValue: 'Nguyễn Văn Hùng', date: '2018-03-05', raw: expect.any(String) });
    expect(parseNotes('Đã đăng ký nhận mẹ cho con: mẹ là Trần Thị Lan, số 3/2020 ngày 1/2/2020', [field('motherName', 'Trần Thi Lan')])[0])
      .toMatchObject({ kind: 'recognition', field: 'motherName', oldValue: 'Trần Thi Lan', newValue: 'Trần Thị Lan' });
    expect(parseNotes('Đăng ký giám hộ: người giám hộ là Đỗ Thị Hằng, số 7/2010 ngày 3/4/2010', [])[0])
      .toEqual({ kind: 'guardianship', field: null, oldValue: null, newValue: 'Đỗ Thị Hằng', date: '2010-04-03', raw: expect.any(String) });
  });

  it('still knows the kind of a note whose opening words OCR glued or misread by a letter', () => {
    expect(parseNotes('Đã lyhôn theo Bản án số 254/2014/HNGĐ-ST ngày 27/7/2014', [])[0]).toMatchObject({ kind: 'divorce', date: '2014-07-27' });
    expect(parseNotes('Cỏi chính họ tên thành Nguyễn Minh Nam theo QĐ số 374/QĐ-UBND ngày 1/10/2023', [field('fullName', 'Nguyễn Minh Lam')])[0])
      .toMatchObject({ kind: 'correction', field: 'fullName', newValue: 'Nguyễn Minh Nam', date: '2023-10-01' });
    expect(parseNotes('Xem sổ phụ', [])[0]).toMatchObject({ kind: 'other' });
  });
});
