import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract.ts';
import { BIRTH_2016, page } from './birth-form.ts';
import { ocrWords } from './ocr-words.ts';

describe('form extraction', () => {
  it('reads every field of a printed entry, telling the child’s, mother’s and father’s labels apart', () => {
    const [entry, ...rest] = extractPage(page(BIRTH_2016));
    expect(rest).toHaveLength(0);
    // the book the entry names, kept for the check of pages filed into the wrong book (src/extract/misfiled.ts)
    expect(entry).toMatchObject({ entryNo: 203, year: 2020, template: 'birth/2016-', bookNoRead: '01/2020' });
    // the region spans the entry's lines, labels included (ocrWords puts line i at y = 200 + 60 i, 40 high)
    expect(entry!.region).toEqual([{ pageId: 7, box: [100, 200, expect.any(Number), 60 * (BIRTH_2016.length - 1) + 40] }]);
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect(value('fullName')).toBe('Nguyễn Khánh Bảo Long');
    expect(value('birthDate')).toBe('2020-04-17');
    expect(value('sex')).toBe('male');
    expect(value('ethnicity')).toBe('Kinh');
    expect(value('motherEthnicity')).toBe('Tày');
    expect(value('fatherEthnicity')).toBe('Kinh');
    expect(value('motherBirthYear')).toBe('1991');
    expect(value('hometown')).toBe('X. Yên Thắng, H. Ý Yên, T. Nam Định'); // "Nam Định" is not the label "Năm sinh:"
    expect(value('motherResidence')).toBe('Số 65 đường Xuân Thủy, P. Quan Hoa, Q. Cầu Giấy, Hà Nội'); // wrapped line joined
    expect(value('declarantName')).toBe('Nguyễn Hoàng Dũng'); // the next label does not take the name's last word
    expect(value('declarantRelation')).toBe('Cha');
    expect(value('idNumber')).toBe('001220179131');
    // figures and words agree: the date is as sure as it gets; nothing is wrong with the name
    expect(entry!.fields.find((f) => f.field === 'birthDate')!.confidence).toBeGreaterThan(0.99);
    expect(entry!.fields.find((f) => f.field === 'fullName')!.reasons).toEqual([]);
  });

  it('does not take the mother’s label with the first word of her name for the father’s label', () => {
    // "mẹ: Hà" is two edits from "cha:": the father's longer label used to win and swallow the name
    const lines = BIRTH_2016.map((line) => (line === 'Họ, chữ đệm, tên người mẹ: Nghiêm Thị Yến' ? 'Họ, chữ đệm, tên người mẹ: Hà Phương Nhung' : line));
    const [entry] = extractPage(page(lines));
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect(value('motherName')).toBe('Hà Phương Nhung');
    expect(value('motherBirthYear')).toBe('1991');
    expect(value('fatherName')).toBe('Nguyễn Hoàng Dũng');
    expect(value('fatherBirthYear')).toBe('1984');
  });

  it('gives an agreeing date in figures and words no more certainty than two unsure readings can', () => {
    // printed labels read surely, the date's figures and words (hand-written) unsurely
    const unsure = BIRTH_2016.map((line) => (typeof line === 'string' && /^(Ngày, tháng, năm sinh|Ghi bằng chữ)/.test(line) ? { text: line, confidence: 0.6 } : line));
    const [entry] = extractPage(page(unsure));
    const date = entry!.fields.find((f) => f.field === 'birthDate')!;
    expect(date.value).toBe('2020-04-17');
    expect(date.reasons).toEqual([]);
    expect(date.confidence).toBeGreaterThan(0.6 * 0.8); // more than either reading alone…
    expect(date.confidence).toBeLessThan(0.9); // …but under the form threshold: a person checks it
  });

  it('does not run a note on into the heading of the next page below it (a spread stacked by cleanup)', () => {
    const lines = [...BIRTH_2016.slice(0, -1), 'Ghi chú: Đăng ký lại', 'UBND PHƯỜNG MINH KHAI', 'QUẬN HAI BÀ TRƯNG', 'SỐ ĐĂNG KÝ KHAI SINH - NĂM 2020'];
    const [entry] = extractPage(page(lines));
    expect(entry!.fields.find((f) => f.field === 'notes')?.value).toBe('Đăng ký lại');
  });

  it('sends every marginal note to a person: its dates and numbers are free text nothing checks', () => {
    const lines = [...BIRTH_2016.slice(0, -1), 'Ghi chú: Đã chết ngày 30/11/2024, khai tử số 103 ngày 6/12/2024'];
    const [entry] = extractPage(page(lines));
    expect(entry!.fields.find((f) => f.field === 'notes')?.reasons).toEqual(['marginal_note']);
    expect(entry!.fields.find((f) => f.field === 'fullName')?.reasons).toEqual([]);
  });

  it('sends a field a note corrects to a person: what the clerk wrote is a slip OCR tends to read as the corrected value', () => {
    const lines = [...BIRTH_2016.slice(0, -1), 'Ghi chú: Cải chính họ tên thành Nguyễn Khánh Bảo Lâm theo QĐ số 12/QĐ-UBND ngày 5/3/2021'];
    const [entry] = extractPage(page(lines));
    expect(entry!.notes).toMatchObject([{ kind: 'correction', field: 'fullName' }]);
    expect(entry!.fields.find((f) => f.field === 'fullName')?.reasons).toEqual(['changed_by_note']);
    expect(entry!.fields.find((f) => f.field === 'motherName')?.reasons).toEqual([]);
  });

  it('sends a mother more than 50 years older than her child to a person, not a father of that age', () => {
    const years = (mother: string, father: string) => BIRTH_2016.map((line) => typeof line === 'string' ? line : { ...line, text: line.text.replace('1991', mother).replace('1984', father) });
    const [entry] = extractPage(page(years('1961', '1961')));
    const field = (name: string) => entry!.fields.find((f) => f.field === name)!;
    expect(field('motherBirthYear').reasons).toContain('check_failed');
    expect(field('fatherBirthYear').reasons).toEqual([]);
  });

  it('sends a value and an entry number whose digit looks like another digit of the page to a person', () => {
    const input = page(BIRTH_2016);
    const doubt = (text: string) => {
      const word = input.words.find((w) => w.text === text)!;
      word.doubtfulDigit = true;
    };
    doubt('001220179131');
    doubt('1991');
    doubt('203');
    const [entry] = extractPage(input);
    const field = (name: string) => entry!.fields.find((f) => f.field === name)!;
    for (const name of ['idNumber', 'motherBirthYear', 'entryNo']) {
      expect(field(name).reasons).toContain('digit_doubt');
      expect(field(name).confidence).toBeLessThanOrEqual(0.3);
    }
    // the book checks take the number as unsure; the other parent's year is untouched
    expect(entry!.entryNoConfidence).toBeLessThanOrEqual(0.3);
    expect(field('fatherBirthYear').reasons).toEqual([]);
  });

  it('sends a value with a figure no other glyph of the page confirms to a person, unless the date in words agrees', () => {
    const input = page(BIRTH_2016);
    const lonely = (text: string) => {
      input.words.find((w) => w.text === text)!.lonelyDigit = true;
    };
    lonely('001220179131');
    lonely('65'); // the house number of the mother's residence
    lonely('17/04/2020'); // the birth date, also written in words that agree
    lonely('26/04/2020'); // the registration date, written only in figures
    const [entry] = extractPage(input);
    const field = (name: string) => entry!.fields.find((f) => f.field === name)!;
    for (const name of ['idNumber', 'motherResidence', 'registrationDate']) expect(field(name).reasons).toContain('lonely_digit');
    // the words are a reading of their own: the date is confirmed as before
    expect(field('birthDate').reasons).toEqual([]);
    expect(field('birthDate').confidence).toBeGreaterThanOrEqual(0.9);
    // a value without figures is untouched
    expect(field('fullName').reasons).toEqual([]);
  });

  it('finds labels whose colon OCR read as a quote or full stop, or whose words it glued together', () => {
    const lines = [
      'Số: 562 Quyển số: 02/2012',
      'Họovàtên Cao Trung Thịnh Giớitínhh Nam', // glued labels, colons lost
      'Ngày, tháng, năm sinh: 25/10/2012',
      "Nơisinh'Bệnh viện E, Quận Cầu Giấy, Thành phố Hà Nội", // the colon read as a quote, glued to the value
      'Dân tộc: Kinh Quốc tịch: Việt Nam',
      'Họ và tên mẹ: Nguyễn Thị Huyền Năm sinh: 1969',
      'Nơi cư trú. Thôn Đình Thôn, Xã Xuân Phương', // a full stop for the colon, after a three-word label
      'Họ và tên cha: Cao Văn Quang Năm sinh: 1969',
      'Ngày, tháng, năm đăng ký: 29/10/2012',
    ];
    const [entry] = extractPage(page(lines, '2006-2015'));
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect(value('fullName')).toBe('Cao Trung Thịnh');
    expect(value('sex')).toBe('male');
    expect(value('birthPlace')).toBe('Bệnh viện E, Quận Cầu Giấy, Thành phố Hà Nội');
    expect(value('motherResidence')).toBe('Thôn Đình Thôn, Xã Xuân Phương');
    // a two-word label in a value, with a full stop, is still not a label: "Nam Định." stays a place
    const [other] = extractPage(page(lines.map((l) => (l.startsWith('Nơi cư trú') ? 'Nơi cư trú: Xã Yên Thắng, Tỉnh Nam Định.' : l)), '2006-2015'));
    expect(other!.fields.find((f) => f.field === 'motherResidence')?.value).toBe('Xã Yên Thắng, Tỉnh Nam Định');
  });

  it('starts a new entry at the book-number label when OCR lost the entry number', () => {
    const lines = [...BIRTH_2016, ...BIRTH_2016.map((l) => (l === 'Số: 203 Quyển số: 01/2020' ? 'rị Ư Quyển số: 01/2020' : l))];
    const entries = extractPage(page(lines));
    expect(entries).toHaveLength(2);
    expect(entries[1]!.entryNo).toBeNull();
    expect(entries[1]!.fields.find((f) => f.field === 'fullName')?.value).toBe('Nguyễn Khánh Bảo Long');
  });

  it('starts a new entry at the name label when OCR lost the whole number line, instead of running it into the notes above', () => {
    const second = BIRTH_2016.filter((l) => l !== 'Số: 203 Quyển số: 01/2020').map((l) => (l === 'Họ, chữ đệm, tên: Nguyễn Khánh Bảo Long' ? 'Họ, chữ đệm, tên: Trần Thị Mai' : l));
    const entries = extractPage(page([...BIRTH_2016, ...second]));
    expect(entries).toHaveLength(2);
    expect(entries[0]!.fields.find((f) => f.field === 'notes')).toBeUndefined();
    expect(entries[1]!.entryNo).toBeNull();
    expect(entries[1]!.fields.find((f) => f.field === 'fullName')?.value).toBe('Trần Thị Mai');
  });

  it('reads a register of recognition of parentage: the parent who recognises, as father or mother, and the child', () => {
    const lines = [
      'Số: 49 Quyển số: 01/2016',
      'Họ và tên người nhận: Trần Thành Hùng',
      { text: 'Ngày, tháng, năm sinh: 27/01/1993 Dân tộc: Kinh Quốc tịch: Việt Nam', x: 170 },
      { text: 'Nơi cư trú: Đội 9, X. Đa Tốn, H. Gia Lâm, Hà Nội', x: 170 },
      { text: 'Số định danh cá nhân: 001093483265', x: 170 },
      { text: 'Nhận là: Cha', x: 170 },
      'Họ và tên người được nhận là con: Trần Gia Hà Lam',
      { text: 'Ngày, tháng, năm sinh: 05/04/2014 Dân tộc: Kinh Quốc tịch: Việt Nam', x: 170 },
      { text: 'Nơi cư trú: Đội 9, X. Đa Tốn, H. Gia Lâm, Hà Nội', x: 170 },
      { text: 'Số định danh cá nhân: 001314847703', x: 170 },
      'Ngày, tháng, năm đăng ký: 16/09/2016',
      'Công chức tư pháp - hộ tịch: Nguyễn Thị Nhung',
      'Ghi chú:',
    ];
    const [entry, ...rest] = extractPage({ ...page(lines), registerType: 'recognition', yearFrom: 2016, yearTo: 2016 });
    expect(rest).toHaveLength(0);
    expect(entry).toMatchObject({ entryNo: 49, year: 2016, template: 'recognition/2016-' });
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect([value('parentName'), value('parentBirthDate'), value('parentRelation'), value('parentIdNumber')]).toEqual(['Trần Thành Hùng', '1993-01-27', 'Cha', '001093483265']);
    expect([value('childName'), value('childBirthDate'), value('childResidence'), value('childIdNumber')]).toEqual(['Trần Gia Hà Lam', '2014-04-05', 'Đội 9, X. Đa Tốn, H. Gia Lâm, Hà Nội', '001314847703']);
    // a register the era did not keep has no layout: no entry is made up
    expect(extractPage({ ...page(lines), registerType: 'recognition', era: '1999-2005' as never })).toEqual([]);
  });

  it('checks every personal number against its holder’s birth year, and a spouse’s against the sex the role implies', () => {
    const party = (who: string, name: string, born: string, id: string) => [
      `Họ và tên ${who}: ${name}`, { text: `Ngày, tháng, năm sinh: ${born} Dân tộc: Kinh Quốc tịch: Việt Nam`, x: 170 },
      { text: 'Nơi cư trú: Đội 9, X. Đa Tốn, H. Gia Lâm, Hà Nội', x: 170 }, { text: `Số định danh cá nhân: ${id}`, x: 170 },
    ];
    const marriage = (husbandId: string, wifeId: string) => extractPage({
      ...page(['Số: 12 Quyển số: 01/2017', ...party('chồng', 'Trần Thành Hùng', '27/01/1993', husbandId), ...party('vợ', 'Lê Thị Lan', '05/04/1995', wifeId),
        'Ngày, tháng, năm đăng ký: 16/09/2017', 'Công chức tư pháp - hộ tịch: Nguyễn Thị Nhung', 'Ghi chú:']),
      registerType: 'marriage', yearFrom: 2017, yearTo: 2017,
    })[0]!;
    const reasons = (entry: ReturnType<typeof marriage>, name: string) => entry.fields.find((f) => f.field === name)!.reasons;
    const agreeing = marriage('001093483265', '001195314847');
    expect(['husbandIdNumber', 'wifeIdNumber'].map((name) => reasons(agreeing, name).includes('check_failed'))).toEqual([false, false]);
    // a wife's number with a man's code (0: a man born in the 1900s), a husband's with another birth year (83 for 1993)
    const contradicting = marriage('001083483265', '001095314847');
    expect(['husbandIdNumber', 'wifeIdNumber'].map((name) => reasons(contradicting, name).includes('check_failed'))).toEqual([true, true]);
  });

  it('reads a register of guardianship: the guardian, how related, and the ward', () => {
    const lines = [
      'Số: 11 Quyển số: 01/2013',
      'Họ và tên người giám hộ: Trần Đức Lộc',
      { text: 'Ngày, tháng, năm sinh: 15/04/1943 Dân tộc: Kinh Quốc tịch: Việt Nam', x: 170 },
      { text: 'Nơi cư trú: Thôn Tả Thanh Oai, X. Tả Thanh Oai, H. Thanh Trì, Hà Nội', x: 170 },
      { text: 'Số Giấy CMND/Hộ chiếu: 011527959', x: 170 },
      { text: 'Quan hệ với người được giám hộ: Ông nội', x: 170 },
      'Họ và tên người được giám hộ: Trần Minh Khôi',
      { text: 'Ngày, tháng, năm sinh: 02/03/2008 Dân tộc: Kinh Quốc tịch: Việt Nam', x: 170 },
      { text: 'Nơi cư trú: Thôn Tả Thanh Oai, X. Tả Thanh Oai, H. Thanh Trì, Hà Nội', x: 170 },
      { text: 'Số Giấy CMND/Hộ chiếu:', x: 170 },
      'Ngày, tháng, năm đăng ký: 05/04/2013',
      'Cán bộ Tư pháp - Hộ tịch: Lý Minh Anh',
      'Ghi chú:',
    ];
    const [entry] = extractPage({ ...page(lines, '2006-2015'), registerType: 'guardianship', yearFrom: 2013, yearTo: 2013 });
    expect(entry).toMatchObject({ entryNo: 11, year: 2013, template: 'guardianship/2006-2015' });
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect([value('guardianName'), value('guardianBirthDate'), value('guardianIdNumber'), value('guardianRelation')]).toEqual(['Trần Đức Lộc', '1943-04-15', '011527959', 'Ông nội']);
    expect([value('wardName'), value('wardBirthDate'), value('wardIdNumber') ?? null]).toEqual(['Trần Minh Khôi', '2008-03-02', null]);
  });

  it('reads a register of changes: the person, the entry of another book it changes, and the change', () => {
    const lines = [
      'Số: 46 Quyển số: 03/2020',
      'Họ và tên người được thay đổi, cải chính: Bùi Văn Dũng',
      { text: 'Ngày, tháng, năm sinh: 13/12/1955', x: 170 },
      'Việc hộ tịch đã đăng ký: Khai tử Số đăng ký: 104 Quyển: 02',
      { text: 'Ngày đăng ký: 24/12/1956', x: 170 },
      { text: 'Nơi đăng ký: Phường Lê Lợi, Thị xã Sơn Tây', x: 170 },
      'Nội dung thay đổi, cải chính: Cải chính họ, chữ đệm, tên',
      { text: 'Trước khi thay đổi, cải chính: Bùi Văn Dũng', x: 170 },
      { text: 'Sau khi thay đổi, cải chính: Bùi Văn Dúng', x: 170 },
      'Căn cứ: Tờ khai ngày 3/9/2020',
      'Họ và tên người yêu cầu: Bùi Văn Dũng Quan hệ: Bản thân',
      'Ngày, tháng, năm đăng ký: 03/09/2020',
      'Công chức tư pháp - hộ tịch: Nguyễn Hữu Hải',
      'Ghi chú:',
    ];
    const [entry, ...others] = extractPage({ ...page(lines), registerType: 'change' });
    // the reference's "Số đăng ký:" and "Quyển:" do not start another entry
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ entryNo: 46, year: 2020, template: 'change/2016-' });
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect(['personName', 'personBirthDate', 'refType', 'refEntryNo', 'refBookNo', 'refDate', 'refOffice', 'changeContent', 'oldValue', 'newValue', 'basis', 'declarantRelation', 'registrationDate'].map(value)).toEqual([
      'Bùi Văn Dũng', '1955-12-13', 'Khai tử', '104', '02', '1956-12-24', 'Phường Lê Lợi, Thị xã Sơn Tây', 'Cải chính họ, chữ đệm, tên', 'Bùi Văn Dũng', 'Bùi Văn Dúng',
      'Tờ khai ngày 3/9/2020', 'Bản thân', '2020-09-03',
    ]);
  });

  it('flags a date whose words disagree, an ID that contradicts sex and birth year, and a missing required field', () => {
    const lines = BIRTH_2016.map((l) =>
      typeof l !== 'string' ? l
      : l.startsWith('Ghi bằng chữ') ? 'Ghi bằng chữ: Ngày mười tám tháng tư năm hai nghìn không trăm hai mươi'
      : l.startsWith('Số định danh') ? 'Số định danh cá nhân: 001119179131'
      : l.startsWith('Nơi sinh') ? 'Nơi sinh:' : l);
    const [entry] = extractPage(page(lines));
    const field = (name: string) => entry!.fields.find((f) => f.field === name)!;
    expect(field('birthDate').reasons).toContain('words_disagree');
    expect(field('birthDate').confidence).toBeLessThanOrEqual(0.3);
    expect(field('idNumber').reasons).toContain('check_failed');
    expect(field('birthPlace').reasons).toEqual(['missing_required']);
  });

  it('sends a birth place that runs on past its province into the next line to a person (its label lost, seed 3301)', () => {
    const lines = BIRTH_2016.map((l) =>
      typeof l !== 'string' ? l
      : l.startsWith('Nơi sinh') ? 'Nơi sinh: Bệnh viện Thanh Nhàn, Hai Bà Trưng, Hà Nội'
      : l.startsWith('Quê quán') ? { text: 'Tân Hòa, Vũ Thư, Thái Bình', x: 300 } : l);
    const [entry] = extractPage(page(lines));
    const field = (name: string) => entry!.fields.find((f) => f.field === name);
    expect(field('birthPlace')).toMatchObject({ value: 'Bệnh viện Thanh Nhàn, Hai Bà Trưng, Hà Nội Tân Hòa, Vũ Thư, Thái Bình', reasons: ['place_run_on'] });
    // with its label, each line is its own place and neither is held for it
    const [whole] = extractPage(page(BIRTH_2016.map((l) => (typeof l === 'string' && l.startsWith('Nơi sinh') ? 'Nơi sinh: Bệnh viện Thanh Nhàn, Hai Bà Trưng, Hà Nội' : l))));
    expect(whole!.fields.find((f) => f.field === 'birthPlace')!.reasons).not.toContain('place_run_on');
  });

  it('sends a place whose opening unit word’s case no reading can tell to a person (seed 3306)', () => {
    const lines = BIRTH_2016.map((l) => (typeof l === 'string' && l.startsWith('Quê quán') ? 'Quê quán: Xã Yết Kiêu, huyện Gia Lộc, Hải Dương' : l));
    const [entry] = extractPage(page(lines));
    expect(entry!.fields.find((f) => f.field === 'hometown')!.reasons).toEqual(['case_in_doubt']);
    const capitals = BIRTH_2016.map((l) => (typeof l === 'string' && l.startsWith('Quê quán') ? 'Quê quán: Xã Yết Kiêu, Huyện Gia Lộc, Tỉnh Hải Dương' : l));
    expect(extractPage(page(capitals))[0]!.fields.find((f) => f.field === 'hometown')!.reasons).toEqual([]);
  });

  it('keeps a damaged name as read but marks it as not having a name’s shape', () => {
    const lines = BIRTH_2016.map((l) => (typeof l === 'string' && l.startsWith('Họ, chữ đệm, tên:') ? 'Họ, chữ đệm, tên: Ñg uyệ ñVăn Hiếu GGGG' : l));
    const [entry] = extractPage(page(lines));
    const name = entry!.fields.find((f) => f.field === 'fullName')!;
    expect(name.raw).toContain('Hiếu');
    expect(name.reasons).toContain('parse_failed');
  });

  it('finds a label whose colon OCR read as a letter glued on, or lost beside a typed value', () => {
    const lines = [
      'Số: 56 Quyển số: 01/2010',
      'Họ và tên người chết: Nguyễn Thị Tý Giới tính: Nữ',
      'Ngày, tháng, năm sinh: 20/9/1931 Dân tộcc Kinh Quốc tịch: Việt Nam', // the colon read as "c"
      'Nơi cư trú cuối cùng Số 41 ngõ 125 Hàng Gai, P. Tràng Tiền, Q. Hoàn Kiếm', // the colon lost
      'Ngày, tháng, năm đăng ký: 23/4/2010',
    ];
    const [entry] = extractPage(page(lines, '2006-2015', 'death'));
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect(value('birthDate')).toBe('1931-09-20');
    expect(value('ethnicity')).toBe('Kinh');
    expect(value('nationality')).toBe('Việt Nam');
    expect(value('residence')).toBe('Số 41 ngõ 125 Hàng Gai, P. Tràng Tiền, Q. Hoàn Kiếm');
  });

  it('finds the label the form prints next when its colon is lost beside a typed value, and only that one (seed 3151)', () => {
    const lines = [
      'Số: 181 Quyển số: 01/2002',
      'Họ và tên: Đoàn Khánh Bảo Trang Giới tính: Nữ',
      'Họ và tên mẹ: Lê Minh Dung Năm sinh 1973', // "Năm sinh:" read without its colon
      'Dân tộc: Kinh Quốc tịch: Việt Nam',
      'Nơi cư trú: Xóm Năm sinh, Xã Yên Thắng, Huyện Ý Yên, Tỉnh Nam Định', // "Năm sinh" in a value: not the next label
      'Người đi khai: Lê Văn Quang Quan hệ Cha',
      'Ngày đăng ký: 20/4/2002',
    ];
    const [entry] = extractPage({ ...page(lines, '2006-2015'), era: '1999-2005', yearFrom: 2002, yearTo: 2002 });
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect(value('motherName')).toBe('Lê Minh Dung');
    expect(value('motherBirthYear')).toBe('1973');
    expect(value('motherResidence')).toBe('Xóm Năm sinh, Xã Yên Thắng, Huyện Ý Yên, Tỉnh Nam Định');
    expect(value('declarantName')).toBe('Lê Văn Quang');
    expect(value('declarantRelation')).toBe('Cha');
  });

  it('reads an address that wraps onto a line starting "Quận Hai": not the label "Quan hệ:" with its colon read as a letter (seed 2962)', () => {
    const lines = [
      'Số: 5 Quyển số: 02/2012',
      'Họ và tên người chết: Hoàng Thị Lụa Giới tính: Nữ',
      'Nơi cư trú cuối cùng: Số 13 phố Trần Khát Chân, Phường Quỳnh Lôi,',
      { text: 'Quân Hai Bà Trưng, Thành phố Hà Nội', x: 170 }, // "Quận" read "Quân": "Quân Ha" + "i" is one edit from "Quan hệ" + colon
      'Nơi chết: Tại nhà, Tổ 38, Phường Quỳnh Lôi, Quận Hai Bà Trưng,',
      { text: 'Thành phố Hà Nội', x: 170 },
      'Người đi khai tử: Phan Thị Giang Quan hệ: con gái',
      'Ngày, tháng, năm đăng ký: 15/01/2012',
    ];
    const [entry] = extractPage(page(lines, '2006-2015', 'death'));
    const field = (name: string) => entry!.fields.find((f) => f.field === name);
    expect(field('residence')).toMatchObject({ raw: 'Số 13 phố Trần Khát Chân, Phường Quỳnh Lôi, Quân Hai Bà Trưng, Thành phố Hà Nội' });
    expect(field('deathPlace')?.value).toBe('Tại nhà, Tổ 38, Phường Quỳnh Lôi, Quận Hai Bà Trưng, Thành phố Hà Nội');
    expect(field('declarantRelation')?.value).toBe('Con gái');
  });

  it('sends a place that stops at its ward to a person, however sure its words (an address’s last line lost)', () => {
    const lines = ['Số: 5 Quyển số: 02/2012', 'Họ và tên người chết: Hoàng Thị Lụa Giới tính: Nữ', 'Nơi cư trú cuối cùng: Số 13 phố Trần Khát Chân, Phường Quỳnh Lôi',
      'Nơi chết: Tại nhà, Số 13 phố Trần Khát Chân, Phường Quỳnh Lôi, Quận Hai Bà Trưng, Thành phố Hà Nội', 'Ngày, tháng, năm đăng ký: 15/01/2012'];
    const [entry] = extractPage(page(lines, '2006-2015', 'death'));
    const field = (name: string) => entry!.fields.find((f) => f.field === name);
    expect(field('residence')).toMatchObject({ value: 'Số 13 phố Trần Khát Chân, Phường Quỳnh Lôi', reasons: ['place_incomplete'] });
    expect(field('residence')!.confidence).toBeLessThan(0.9);
    expect(field('deathPlace')).toMatchObject({ reasons: [] });
  });

  it('reads a label OCR put in a block of its own, beside a typed value at its height, on the value’s line', () => {
    // "ngày" sits between the typed time and date; Tesseract read it after the whole entry, as its own line
    const words = ocrWords(['Số: 55 Quyển số: 01/2010', 'Họ và tên người chết: Nguyễn Ngọc Mai Giới tính: Nữ', 'Đã chết vào lúc: 14 giờ 30', 'Ngày, tháng, năm đăng ký: 20/4/2010', 'Ghi chú: Đăng ký lại']);
    const onTime = words.filter((w) => w.line === 2);
    const y = onTime[0]!.box[1];
    words.push({ text: '6/9/2010', confidence: 0.96, box: [1000, y - 6, 160, 40], line: 2 });
    words.push({ text: 'ngày', confidence: 0.96, box: [880, y + 8, 80, 36], line: 5 });
    const [entry, ...rest] = extractPage({ ...page([], '2006-2015', 'death'), words });
    expect(rest).toHaveLength(0);
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect(value('deathTime')).toBe('14:30');
    expect(value('deathDate')).toBe('2010-09-06');
    expect(value('notes')).toBe('Đăng ký lại');
  });

  it('sends a value the parser put right to a person, showing the corrected value', () => {
    const lines = BIRTH_2016.map((l) => (l === 'Họ, chữ đệm, tên: Nguyễn Khánh Bảo Long' ? 'Họ, chữ đệm, tên: Nguyên Khánh Bảo Long' : l));
    const [entry] = extractPage(page(lines));
    expect(entry!.fields.find((f) => f.field === 'fullName')).toMatchObject({ value: 'Nguyễn Khánh Bảo Long', raw: 'Nguyên Khánh Bảo Long', reasons: ['corrected'] });
  });

  it('splits the time and the date of death on one line', () => {
    const [entry] = extractPage(page(['Số: 84 Quyển số: 03/2012', 'Họ và tên người chết: Trần Văn Hùng Giới tính: Nam', 'Đã chết vào lúc: 16 giờ ngày 01/11/2012',
      'Ghi bằng chữ: Mười sáu giờ, ngày một tháng mười một năm hai ngàn không trăm mười hai', 'Ngày, tháng, năm đăng ký: 01/11/2012'], '2006-2015', 'death'));
    const value = (field: string) => entry!.fields.find((f) => f.field === field)?.value;
    expect(value('deathTime')).toBe('16:00');
    expect(value('deathDate')).toBe('2012-11-01');
    expect(entry!.year).toBe(2012);
  });
});
