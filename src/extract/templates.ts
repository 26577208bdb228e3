/**
 * What the extractor knows of each register's printed layout, per register type × era, as data:
 * forms (1999–) are the printed labels in reading order with the item each introduces; ruled books
 * (1956–1998) are the columns left to right with their share of the table width and the items written
 * in them, one under the other. Labels follow DOMAIN.md's field lists; correct a label here, not in code.
 *
 * Items are EVALUATION.md field keys, plus `entryNo`, `bookNo` and `…Words` (a date written in words,
 * used to check the date in figures) and `…Age` (a parent's age in old books).
 */
import type { Era } from '../../schemas/jobs.ts';
import type { CorpusRegisterType } from '../../schemas/corpus.ts';

/** A printed label and the item whose value follows it; `null` for labels with no value (signatures). */
export type FormSlot = readonly [label: string, item: string | null];
export interface FormLayout {
  kind: 'form';
  id: string;
  /** In reading order; the first slot starts an entry. */
  slots: readonly FormSlot[];
}
export interface TableColumn {
  /** Share of the table width (the printed column widths, in any unit). */
  width: number;
  items: readonly string[];
}
export interface TableLayout {
  kind: 'table';
  id: string;
  columns: readonly TableColumn[];
  /**
   * The printed page in millimetres: the width from the left margin to the right one (the written text
   * block), and how far the column headings' lower rule lies below the baseline of the register's title.
   */
  printed: { textWidthMm: number; headingsBelowTitleMm: number };
}
export type Layout = FormLayout | TableLayout;

const HEAD: FormSlot[] = [['Số:', 'entryNo'], ['Quyển số:', 'bookNo']];
const NOTES: FormSlot = ['Ghi chú:', 'notes'];

const parent = (who: 'mother' | 'father', nameLabel: string): FormSlot[] => [
  [nameLabel, `${who}Name`], ['Năm sinh:', `${who}BirthYear`], ['Dân tộc:', `${who}Ethnicity`], ['Quốc tịch:', `${who}Nationality`], ['Nơi cư trú:', `${who}Residence`],
];
const party = (who: 'husband' | 'wife' | 'parent' | 'child' | 'guardian' | 'ward', nameLabel: string, idLabel: string): FormSlot[] => [
  [nameLabel, `${who}Name`], ['Ngày, tháng, năm sinh:', `${who}BirthDate`], ['Dân tộc:', `${who}Ethnicity`], ['Quốc tịch:', `${who}Nationality`],
  ['Nơi cư trú:', `${who}Residence`], [idLabel, `${who}IdNumber`],
];

const BIRTH_1999: FormSlot[] = [
  ...HEAD, ['Họ và tên:', 'fullName'], ['Ngày, tháng, năm sinh:', 'birthDate'], ['Giới tính:', 'sex'], ['Bằng chữ:', 'birthDateWords'],
  ['Dân tộc:', 'ethnicity'], ['Quốc tịch:', 'nationality'], ['Nơi sinh:', 'birthPlace'], ['Quê quán:', 'hometown'],
  ...parent('father', 'Họ và tên cha:'), ...parent('mother', 'Họ và tên mẹ:'),
  ['Người đi khai:', 'declarantName'], ['Quan hệ:', 'declarantRelation'], ['Ngày đăng ký:', 'registrationDate'], ['Cán bộ hộ tịch:', 'registrarName'], NOTES,
];
const BIRTH_2006: FormSlot[] = [
  ...HEAD, ['Họ và tên:', 'fullName'], ['Giới tính:', 'sex'], ['Ngày, tháng, năm sinh:', 'birthDate'], ['Ghi bằng chữ:', 'birthDateWords'],
  ['Nơi sinh:', 'birthPlace'], ['Dân tộc:', 'ethnicity'], ['Quốc tịch:', 'nationality'], ['Quê quán:', 'hometown'],
  ...parent('mother', 'Họ và tên mẹ:'), ...parent('father', 'Họ và tên cha:'),
  ['Họ và tên người đi khai sinh:', 'declarantName'], ['Quan hệ với người được khai sinh:', 'declarantRelation'],
  ['Ngày, tháng, năm đăng ký:', 'registrationDate'], ['Cán bộ Tư pháp - Hộ tịch:', 'registrarName'], NOTES,
];
const BIRTH_2016: FormSlot[] = [
  ...HEAD, ['Họ, chữ đệm, tên:', 'fullName'], ['Ngày, tháng, năm sinh:', 'birthDate'], ['Giới tính:', 'sex'], ['Ghi bằng chữ:', 'birthDateWords'],
  ['Dân tộc:', 'ethnicity'], ['Quốc tịch:', 'nationality'], ['Nơi sinh:', 'birthPlace'], ['Quê quán:', 'hometown'], ['Số định danh cá nhân:', 'idNumber'],
  ...parent('mother', 'Họ, chữ đệm, tên người mẹ:'), ...parent('father', 'Họ, chữ đệm, tên người cha:'),
  ['Người đi khai:', 'declarantName'], ['Quan hệ với người được khai sinh:', 'declarantRelation'],
  ['Ngày, tháng, năm đăng ký:', 'registrationDate'], ['Công chức tư pháp - hộ tịch:', 'registrarName'], NOTES,
];

/**
 * `registrars`: the registrar's label as the era's forms print it, any of them. Marriage registers from 2016 are
 * printed with the older title ("Cán bộ Tư pháp - Hộ tịch:", src/samples/templates.ts marriageForm) as well as the
 * 2016 one: a label the layout lacks left the registration date running on into it, every date unparsed.
 */
const marriage = (idLabel: string, ...registrars: string[]): FormSlot[] => [
  ...HEAD, ...party('husband', 'Họ và tên chồng:', idLabel), ...party('wife', 'Họ và tên vợ:', idLabel),
  ['Ngày, tháng, năm đăng ký:', 'registrationDate'], ...registrars.map((label): FormSlot => [label, 'registrarName']), ['Chồng ký:', null], ['Vợ ký:', null], NOTES,
];

const death = (era: Era): FormSlot[] => [
  ...HEAD, [era === '2016-' ? 'Họ, chữ đệm, tên người chết:' : 'Họ và tên người chết:', 'fullName'], ['Giới tính:', 'sex'],
  ['Ngày, tháng, năm sinh:', 'birthDate'], ['Dân tộc:', 'ethnicity'], ['Quốc tịch:', 'nationality'],
  ...(era === '2016-' ? [['Số định danh cá nhân:', 'idNumber'] as FormSlot] : []),
  ['Nơi cư trú cuối cùng:', 'residence'], ['Đã chết vào lúc:', 'deathTime'], ['ngày', 'deathDate'], ['Ghi bằng chữ:', 'deathDateWords'],
  ['Nơi chết:', 'deathPlace'], ['Nguyên nhân chết:', 'deathCause'], ['Giấy báo tử/Giấy tờ thay thế:', 'deathNoticeRef'],
  ['Người đi khai tử:', 'declarantName'], ['Quan hệ:', 'declarantRelation'], ['Ngày, tháng, năm đăng ký:', 'registrationDate'],
  [era === '1999-2005' ? 'Cán bộ hộ tịch:' : 'Công chức tư pháp - hộ tịch:', 'registrarName'], NOTES,
];

/**
 * Registers of their own from 2006 with two parties (src/samples/templates.ts TWO_PARTIES): recognition of
 * parentage (the parent who recognises, as Cha or Mẹ, then the child) and guardianship (the guardian, then the ward).
 */
const twoParties = (type: 'recognition' | 'guardianship', idLabel: string, registrar: string): FormSlot[] => {
  const [first, firstLabel, relationLabel, second, secondLabel] = type === 'recognition'
    ? (['parent', 'Họ và tên người nhận:', 'Nhận là:', 'child', 'Họ và tên người được nhận là con:'] as const)
    : (['guardian', 'Họ và tên người giám hộ:', 'Quan hệ với người được giám hộ:', 'ward', 'Họ và tên người được giám hộ:'] as const);
  return [
    ...HEAD, ...party(first, firstLabel, idLabel), [relationLabel, `${first}Relation`], ...party(second, secondLabel, idLabel),
    ['Ngày, tháng, năm đăng ký:', 'registrationDate'], [registrar, 'registrarName'], NOTES,
  ];
};

/**
 * Changes and corrections (thay đổi, cải chính, bổ sung hộ tịch) in a register of their own (from 1999): the
 * person, the entry of another book that is changed (which register, its number, book and registration date,
 * where it was registered), what is changed, the value before and after, and what the change rests on. The
 * reference's labels never end in "Số:" or "Quyển số:", which start an entry.
 */
const change = (registrar: string): FormSlot[] => [
  ...HEAD, ['Họ và tên người được thay đổi, cải chính:', 'personName'], ['Ngày, tháng, năm sinh:', 'personBirthDate'],
  ['Việc hộ tịch đã đăng ký:', 'refType'], ['Số đăng ký:', 'refEntryNo'], ['Quyển:', 'refBookNo'], ['Ngày đăng ký:', 'refDate'], ['Nơi đăng ký:', 'refOffice'],
  ['Nội dung thay đổi, cải chính:', 'changeContent'], ['Trước khi thay đổi, cải chính:', 'oldValue'], ['Sau khi thay đổi, cải chính:', 'newValue'],
  ['Căn cứ:', 'basis'], ['Họ và tên người yêu cầu:', 'declarantName'], ['Quan hệ:', 'declarantRelation'],
  ['Ngày, tháng, năm đăng ký:', 'registrationDate'], [registrar, 'registrarName'], NOTES,
];

const form = (id: string, slots: FormSlot[]): FormLayout => ({ kind: 'form', id, slots });
/** Ruled books of 1956–1960 (300 × 210 mm) and 1961–1998 (330 × 230 mm), as the generator prints them (src/samples/templates.ts). */
const PRINTED_1956 = { textWidthMm: 278, headingsBelowTitleMm: 23 };
const PRINTED_1961 = { textWidthMm: 306, headingsBelowTitleMm: 26 };
const table = (id: string, columns: [number, string[]][]): TableLayout =>
  ({ kind: 'table', id, columns: columns.map(([width, items]) => ({ width, items })), printed: id.endsWith('1956-1960') ? PRINTED_1956 : PRINTED_1961 });

/** Registers kept only in some eras (recognition of parentage and guardianship from 2006, changes from 1999) have no layout for the others. */
export const LAYOUTS: Record<CorpusRegisterType, Partial<Record<Era, Layout>>> = {
  birth: {
    '1956-1960': table('birth/1956-1960', [[9, ['entryNo']], [32, ['fullName']], [12, ['sex']], [30, ['birthDate', 'birthDateWords']], [30, ['birthPlace']],
      [40, ['fatherName', 'fatherAge', 'fatherResidence']], [40, ['motherName', 'motherAge', 'motherResidence']], [28, ['declarantName', 'declarantRelation']],
      [24, ['registrationDate', 'registrarName']], [24, ['notes']]]),
    '1961-1998': table('birth/1961-1998', [[8, ['entryNo']], [29, ['fullName']], [10, ['sex']], [28, ['birthDate', 'birthDateWords']], [28, ['birthPlace']],
      [16, ['ethnicity', 'nationality']], [26, ['hometown']], [38, ['fatherName', 'fatherAge', 'fatherEthnicity', 'fatherNationality', 'fatherResidence']],
      [38, ['motherName', 'motherAge', 'motherEthnicity', 'motherNationality', 'motherResidence']], [25, ['declarantName', 'declarantRelation']],
      [26, ['registrationDate', 'registrarName']], [24, ['notes']]]),
    '1999-2005': form('birth/1999-2005', BIRTH_1999),
    '2006-2015': form('birth/2006-2015', BIRTH_2006),
    '2016-': form('birth/2016-', BIRTH_2016),
  },
  death: {
    '1956-1960': table('death/1956-1960', [[9, ['entryNo']], [34, ['fullName']], [12, ['sex']], [20, ['birthDate']], [34, ['residence']],
      [32, ['deathTime', 'deathDate', 'deathDateWords']], [28, ['deathPlace']], [24, ['deathCause']], [28, ['declarantName', 'declarantRelation']],
      [24, ['registrationDate', 'registrarName']], [24, ['notes']]]),
    '1961-1998': table('death/1961-1998', [[9, ['entryNo']], [34, ['fullName']], [11, ['sex']], [21, ['birthDate']], [18, ['ethnicity', 'nationality']],
      [32, ['residence']], [38, ['deathTime', 'deathDate', 'deathDateWords']], [28, ['deathPlace']], [24, ['deathCause']], [17, ['deathNoticeRef']],
      [28, ['declarantName', 'declarantRelation']], [25, ['registrationDate', 'registrarName']], [22, ['notes']]]),
    '1999-2005': form('death/1999-2005', death('1999-2005')),
    '2006-2015': form('death/2006-2015', death('2006-2015')),
    '2016-': form('death/2016-', death('2016-')),
  },
  marriage: {
    '1956-1960': table('marriage/1956-1960', [[9, ['entryNo']], [34, ['husbandName']], [20, ['husbandBirthDate']], [40, ['husbandResidence']], [34, ['wifeName']],
      [20, ['wifeBirthDate']], [40, ['wifeResidence']], [28, ['registrationDate', 'registrarName']], [30, ['notes']]]),
    '1961-1998': table('marriage/1961-1998', [[9, ['entryNo']], [30, ['husbandName']], [21, ['husbandBirthDate']], [17, ['husbandEthnicity', 'husbandNationality']],
      [38, ['husbandResidence', 'husbandIdNumber']], [30, ['wifeName']], [21, ['wifeBirthDate']], [17, ['wifeEthnicity', 'wifeNationality']],
      [38, ['wifeResidence', 'wifeIdNumber']], [30, ['registrationDate', 'registrarName']], [26, ['notes']]]),
    '1999-2005': form('marriage/1999-2005', marriage('Số CMND:', 'Cán bộ hộ tịch:')),
    '2006-2015': form('marriage/2006-2015', marriage('Số Giấy CMND/Hộ chiếu:', 'Cán bộ Tư pháp - Hộ tịch:')),
    '2016-': form('marriage/2016-', marriage('Số định danh cá nhân:', 'Công chức tư pháp - hộ tịch:', 'Cán bộ Tư pháp - Hộ tịch:')),
  },
  recognition: {
    '2006-2015': form('recognition/2006-2015', twoParties('recognition', 'Số Giấy CMND/Hộ chiếu:', 'Cán bộ Tư pháp - Hộ tịch:')),
    '2016-': form('recognition/2016-', twoParties('recognition', 'Số định danh cá nhân:', 'Công chức tư pháp - hộ tịch:')),
  },
  guardianship: {
    '2006-2015': form('guardianship/2006-2015', twoParties('guardianship', 'Số Giấy CMND/Hộ chiếu:', 'Cán bộ Tư pháp - Hộ tịch:')),
    '2016-': form('guardianship/2016-', twoParties('guardianship', 'Số định danh cá nhân:', 'Công chức tư pháp - hộ tịch:')),
  },
  change: {
    '1999-2005': form('change/1999-2005', change('Cán bộ hộ tịch:')),
    '2006-2015': form('change/2006-2015', change('Cán bộ Tư pháp - Hộ tịch:')),
    '2016-': form('change/2016-', change('Công chức tư pháp - hộ tịch:')),
  },
};
