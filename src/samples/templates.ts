/**
 * Register layouts as data, per register type and era: ruled books with one row per entry across printed
 * columns (1956–1998), and pre-printed or computer-printed forms of label + value rows (1999–). Column
 * order and label wording follow DOMAIN.md's field lists and are a plausible reconstruction, not copies of
 * real books: correct a label or column here, not in the renderer.
 */
import type { Era, FillMode, RegisterType } from './eras.ts';

/** What the page header says; filled from the book. */
export interface HeaderContext {
  authority: string;
  office: string;
  district?: string;
  province: string;
  year: number;
  bookNo: string;
  /** The number printed on the page of the book. */
  pageNo: number;
}

export type TextRole = 'title' | 'header' | 'label' | 'labelBold' | 'small';
export interface TitleLine {
  text: string;
  align: 'left' | 'center' | 'right';
  role: TextRole;
  yMm: number;
}

/** A cell of a form row: a printed label, then the item's value; x is a fraction of the content width. */
export interface FormCell {
  label?: string;
  item?: string;
  x: number;
  bold?: boolean;
}
export interface FormRow {
  cells: FormCell[];
  indentMm?: number;
  gapBeforeMm?: number;
  /** A row of signature places ("Người đi khai ký"): pen strokes, not text. */
  signatures?: boolean;
}

export interface FormTemplate {
  kind: 'form';
  pageMm: [number, number];
  marginMm: { left: number; right: number; top: number; bottom: number };
  /** Baseline to baseline. */
  pitchMm: number;
  entryGapMm: number;
  /** Printed dotted leaders after each label: pre-printed forms filled by hand or typewriter. */
  leaders: 'unless-printed' | 'never';
  labelPt: number;
  valuePt: number;
  titles: (h: HeaderContext) => TitleLine[];
  footer: (h: HeaderContext) => TitleLine;
  /** Where the first entry starts, below the titles. */
  bodyTopMm: number;
  rows: FormRow[];
}

export interface TableColumn {
  header: string;
  widthMm: number;
  items: string[];
}
export interface TableTemplate {
  kind: 'table';
  pageMm: [number, number];
  marginMm: { left: number; right: number; top: number; bottom: number };
  headerHeightMm: number;
  pitchMm: number;
  rowPadMm: number;
  headerPt: number;
  valuePt: number;
  titles: (h: HeaderContext) => TitleLine[];
  columns: TableColumn[];
  /** The registrar signs in the cell holding this item. */
  signatureAfter: string;
}

export type Template = FormTemplate | TableTemplate;

const upper = (s: string) => s.toLocaleUpperCase('vi');
const REGISTER_TITLES: Record<RegisterType, string> = { birth: 'SỔ ĐĂNG KÝ KHAI SINH', marriage: 'SỔ ĐĂNG KÝ KẾT HÔN', death: 'SỔ ĐĂNG KÝ KHAI TỬ', recognition: 'SỔ ĐĂNG KÝ NHẬN CHA, MẸ, CON', guardianship: 'SỔ ĐĂNG KÝ GIÁM HỘ', change: 'SỔ ĐĂNG KÝ THAY ĐỔI, CẢI CHÍNH HỘ TỊCH' };

const tableTitles = (type: RegisterType) => (h: HeaderContext): TitleLine[] => [
  { text: `${h.authority} ${h.office.replace(/^(Phường|Xã|Thị trấn|Tiểu khu|Khu phố) /, (k) => k.toLowerCase())}`, align: 'left', role: 'label', yMm: 13 },
  { text: REGISTER_TITLES[type], align: 'center', role: 'title', yMm: 16 },
  { text: `Năm ${h.year}`, align: 'right', role: 'label', yMm: 13 },
];

const formTitles = (type: RegisterType, era: Era) => (h: HeaderContext): TitleLine[] => [
  { text: upper(`UBND ${h.office}`), align: 'left', role: 'header', yMm: 14 },
  ...(h.district ? [{ text: upper(h.district), align: 'left' as const, role: 'header' as const, yMm: 19 }] : []),
  { text: era === '2016-' ? `${REGISTER_TITLES[type]} - NĂM ${h.year}` : REGISTER_TITLES[type], align: 'center', role: 'title', yMm: 28 },
  ...(era === '2016-' ? [] : [{ text: `Năm ${h.year}`, align: 'right' as const, role: 'label' as const, yMm: 19 }]),
];
const footer = (h: HeaderContext): TitleLine => ({ text: `Trang ${h.pageNo}`, align: 'center', role: 'small', yMm: 289 });

const A4: [number, number] = [210, 297];
const FORM_BASE = { kind: 'form' as const, pageMm: A4, marginMm: { left: 18, right: 14, top: 14, bottom: 16 }, entryGapMm: 6, labelPt: 12.5, valuePt: 13, bodyTopMm: 38, footer };

// ───────── ruled books, 1956–1998 ─────────

const TABLE_1956 = { kind: 'table' as const, pageMm: [300, 210] as [number, number], marginMm: { left: 12, right: 10, top: 14, bottom: 12 }, headerHeightMm: 17, pitchMm: 5.6, rowPadMm: 1.6, headerPt: 9.5, valuePt: 13 };
const TABLE_1961 = { kind: 'table' as const, pageMm: [330, 230] as [number, number], marginMm: { left: 13, right: 11, top: 14, bottom: 12 }, headerHeightMm: 20, pitchMm: 5.4, rowPadMm: 1.6, headerPt: 9.5, valuePt: 12.5 };

const BIRTH_TABLE_1956: TableTemplate = {
  ...TABLE_1956, titles: tableTitles('birth'), signatureAfter: 'registrationDate',
  columns: [
    { header: 'Số', widthMm: 9, items: ['entryNo'] },
    { header: 'Họ và tên', widthMm: 32, items: ['fullName'] },
    { header: 'Trai hay gái', widthMm: 12, items: ['sex'] },
    { header: 'Ngày, tháng, năm sinh', widthMm: 30, items: ['birthDate', 'birthDateWords'] },
    { header: 'Nơi sinh', widthMm: 30, items: ['birthPlace'] },
    { header: 'Họ tên, tuổi, chỗ ở của cha', widthMm: 40, items: ['fatherName', 'fatherAge', 'fatherResidence'] },
    { header: 'Họ tên, tuổi, chỗ ở của mẹ', widthMm: 40, items: ['motherName', 'motherAge', 'motherResidence'] },
    { header: 'Người khai', widthMm: 28, items: ['declarantName', 'declarantRelation'] },
    { header: 'Ngày đăng ký', widthMm: 24, items: ['registrationDate', 'registrarName'] },
    { header: 'Ghi chú', widthMm: 24, items: ['notes'] },
  ],
};

const BIRTH_TABLE_1961: TableTemplate = {
  ...TABLE_1961, titles: tableTitles('birth'), signatureAfter: 'registrationDate',
  columns: [
    { header: 'Số', widthMm: 8, items: ['entryNo'] },
    { header: 'Họ và tên', widthMm: 29, items: ['fullName'] },
    { header: 'Nam, nữ', widthMm: 10, items: ['sex'] },
    { header: 'Ngày, tháng, năm sinh', widthMm: 28, items: ['birthDate', 'birthDateWords'] },
    { header: 'Nơi sinh', widthMm: 28, items: ['birthPlace'] },
    { header: 'Dân tộc, Quốc tịch', widthMm: 16, items: ['ethnicity', 'nationality'] },
    { header: 'Quê quán', widthMm: 26, items: ['hometown'] },
    { header: 'Cha: họ tên, tuổi, dân tộc, quốc tịch, nơi thường trú', widthMm: 38, items: ['fatherName', 'fatherAge', 'fatherEthnicity', 'fatherNationality', 'fatherResidence'] },
    { header: 'Mẹ: họ tên, tuổi, dân tộc, quốc tịch, nơi thường trú', widthMm: 38, items: ['motherName', 'motherAge', 'motherEthnicity', 'motherNationality', 'motherResidence'] },
    { header: 'Người đi khai, quan hệ', widthMm: 25, items: ['declarantName', 'declarantRelation'] },
    { header: 'Ngày đăng ký, cán bộ hộ tịch', widthMm: 26, items: ['registrationDate', 'registrarName'] },
    { header: 'Ghi chú', widthMm: 24, items: ['notes'] },
  ],
};

const DEATH_TABLE_1956: TableTemplate = {
  ...TABLE_1956, titles: tableTitles('death'), signatureAfter: 'registrationDate',
  columns: [
    { header: 'Số', widthMm: 9, items: ['entryNo'] },
    { header: 'Họ và tên người chết', widthMm: 34, items: ['fullName'] },
    { header: 'Trai hay gái', widthMm: 12, items: ['sex'] },
    { header: 'Ngày sinh', widthMm: 20, items: ['birthDate'] },
    { header: 'Chỗ ở', widthMm: 34, items: ['residence'] },
    { header: 'Giờ, ngày chết', widthMm: 32, items: ['deathTime', 'deathDate', 'deathDateWords'] },
    { header: 'Nơi chết', widthMm: 28, items: ['deathPlace'] },
    { header: 'Vì bệnh gì', widthMm: 24, items: ['deathCause'] },
    { header: 'Người khai', widthMm: 28, items: ['declarantName', 'declarantRelation'] },
    { header: 'Ngày đăng ký', widthMm: 24, items: ['registrationDate', 'registrarName'] },
    { header: 'Ghi chú', widthMm: 24, items: ['notes'] },
  ],
};

const DEATH_TABLE_1961: TableTemplate = {
  ...TABLE_1961, titles: tableTitles('death'), signatureAfter: 'registrationDate',
  columns: [
    { header: 'Số', widthMm: 9, items: ['entryNo'] },
    { header: 'Họ và tên người chết', widthMm: 34, items: ['fullName'] },
    { header: 'Nam hay nữ', widthMm: 11, items: ['sex'] },
    { header: 'Ngày, tháng, năm sinh', widthMm: 21, items: ['birthDate'] },
    { header: 'Dân tộc, Quốc tịch', widthMm: 18, items: ['ethnicity', 'nationality'] },
    { header: 'Nơi thường trú', widthMm: 32, items: ['residence'] },
    { header: 'Giờ, ngày, tháng, năm chết', widthMm: 38, items: ['deathTime', 'deathDate', 'deathDateWords'] },
    { header: 'Nơi chết', widthMm: 28, items: ['deathPlace'] },
    { header: 'Nguyên nhân chết', widthMm: 24, items: ['deathCause'] },
    { header: 'Giấy báo tử', widthMm: 17, items: ['deathNoticeRef'] },
    { header: 'Họ tên người đi khai, quan hệ với người chết', widthMm: 28, items: ['declarantName', 'declarantRelation'] },
    { header: 'Ngày đăng ký, Cán bộ hộ tịch ký', widthMm: 25, items: ['registrationDate', 'registrarName'] },
    { header: 'Ghi chú', widthMm: 22, items: ['notes'] },
  ],
};

const MARRIAGE_TABLE_1956: TableTemplate = {
  ...TABLE_1956, titles: tableTitles('marriage'), signatureAfter: 'registrationDate',
  columns: [
    { header: 'Số', widthMm: 9, items: ['entryNo'] },
    { header: 'Họ và tên chồng', widthMm: 34, items: ['husbandName'] },
    { header: 'Ngày sinh', widthMm: 20, items: ['husbandBirthDate'] },
    { header: 'Chỗ ở của chồng', widthMm: 40, items: ['husbandResidence'] },
    { header: 'Họ và tên vợ', widthMm: 34, items: ['wifeName'] },
    { header: 'Ngày sinh', widthMm: 20, items: ['wifeBirthDate'] },
    { header: 'Chỗ ở của vợ', widthMm: 40, items: ['wifeResidence'] },
    { header: 'Ngày đăng ký', widthMm: 28, items: ['registrationDate', 'registrarName'] },
    { header: 'Ghi chú', widthMm: 30, items: ['notes'] },
  ],
};

const MARRIAGE_TABLE_1961: TableTemplate = {
  ...TABLE_1961, titles: tableTitles('marriage'), signatureAfter: 'registrationDate',
  columns: [
    { header: 'Số', widthMm: 9, items: ['entryNo'] },
    { header: 'Họ và tên chồng', widthMm: 30, items: ['husbandName'] },
    { header: 'Ngày, tháng, năm sinh', widthMm: 21, items: ['husbandBirthDate'] },
    { header: 'Dân tộc, Quốc tịch', widthMm: 17, items: ['husbandEthnicity', 'husbandNationality'] },
    { header: 'Nơi thường trú, Số CMND', widthMm: 38, items: ['husbandResidence', 'husbandIdNumber'] },
    { header: 'Họ và tên vợ', widthMm: 30, items: ['wifeName'] },
    { header: 'Ngày, tháng, năm sinh', widthMm: 21, items: ['wifeBirthDate'] },
    { header: 'Dân tộc, Quốc tịch', widthMm: 17, items: ['wifeEthnicity', 'wifeNationality'] },
    { header: 'Nơi thường trú, Số CMND', widthMm: 38, items: ['wifeResidence', 'wifeIdNumber'] },
    { header: 'Ngày đăng ký, Cán bộ hộ tịch ký', widthMm: 30, items: ['registrationDate', 'registrarName'] },
    { header: 'Ghi chú', widthMm: 26, items: ['notes'] },
  ],
};

// ───────── pre-printed and computer-printed forms, 1999– ─────────

const numberRow = (bold = true): FormRow => ({ cells: [{ label: 'Số:', item: 'entryNo', x: 0, bold }, { label: 'Quyển số:', item: 'bookNo', x: 0.6, bold }] });
const notesRow: FormRow = { cells: [{ label: 'Ghi chú:', item: 'notes', x: 0 }], gapBeforeMm: 1 };

const parentRows = (who: 'father' | 'mother', nameLabel: string): FormRow[] => [
  { cells: [{ label: nameLabel, item: `${who}Name`, x: 0 }, { label: 'Năm sinh:', item: `${who}BirthYear`, x: 0.66 }] },
  { cells: [{ label: 'Dân tộc:', item: `${who}Ethnicity`, x: 0 }, { label: 'Quốc tịch:', item: `${who}Nationality`, x: 0.46 }], indentMm: 8 },
  { cells: [{ label: 'Nơi cư trú:', item: `${who}Residence`, x: 0 }], indentMm: 8 },
];

const BIRTH_FORM_1999: FormTemplate = {
  ...FORM_BASE, pitchMm: 6.45, leaders: 'unless-printed', titles: formTitles('birth', '1999-2005'),
  rows: [
    numberRow(),
    { cells: [{ label: 'Họ và tên:', item: 'fullName', x: 0 }] },
    { cells: [{ label: 'Ngày, tháng, năm sinh:', item: 'birthDate', x: 0 }, { label: 'Giới tính:', item: 'sex', x: 0.64 }] },
    { cells: [{ label: 'Bằng chữ:', item: 'birthDateWords', x: 0 }], indentMm: 8 },
    { cells: [{ label: 'Dân tộc:', item: 'ethnicity', x: 0 }, { label: 'Quốc tịch:', item: 'nationality', x: 0.46 }] },
    { cells: [{ label: 'Nơi sinh:', item: 'birthPlace', x: 0 }] },
    { cells: [{ label: 'Quê quán:', item: 'hometown', x: 0 }] },
    ...parentRows('father', 'Họ và tên cha:'),
    ...parentRows('mother', 'Họ và tên mẹ:'),
    { cells: [{ label: 'Người đi khai:', item: 'declarantName', x: 0 }, { label: 'Quan hệ:', item: 'declarantRelation', x: 0.62 }] },
    { cells: [{ label: 'Ngày đăng ký:', item: 'registrationDate', x: 0 }, { label: 'Cán bộ hộ tịch:', item: 'registrarName', x: 0.45 }] },
    notesRow,
  ],
};

const BIRTH_FORM_2006: FormTemplate = {
  ...FORM_BASE, pitchMm: 6.5, leaders: 'unless-printed', titles: formTitles('birth', '2006-2015'),
  rows: [
    numberRow(),
    { cells: [{ label: 'Họ và tên:', item: 'fullName', x: 0 }, { label: 'Giới tính:', item: 'sex', x: 0.68 }] },
    { cells: [{ label: 'Ngày, tháng, năm sinh:', item: 'birthDate', x: 0 }] },
    { cells: [{ label: 'Ghi bằng chữ:', item: 'birthDateWords', x: 0 }], indentMm: 8 },
    { cells: [{ label: 'Nơi sinh:', item: 'birthPlace', x: 0 }] },
    { cells: [{ label: 'Dân tộc:', item: 'ethnicity', x: 0 }, { label: 'Quốc tịch:', item: 'nationality', x: 0.46 }] },
    { cells: [{ label: 'Quê quán:', item: 'hometown', x: 0 }] },
    ...parentRows('mother', 'Họ và tên mẹ:'),
    ...parentRows('father', 'Họ và tên cha:'),
    { cells: [{ label: 'Họ và tên người đi khai sinh:', item: 'declarantName', x: 0 }] },
    { cells: [{ label: 'Quan hệ với người được khai sinh:', item: 'declarantRelation', x: 0 }], indentMm: 8 },
    { cells: [{ label: 'Ngày, tháng, năm đăng ký:', item: 'registrationDate', x: 0 }] },
    { cells: [{ label: 'Cán bộ Tư pháp - Hộ tịch:', item: 'registrarName', x: 0 }] },
    notesRow,
  ],
};

const BIRTH_FORM_2016: FormTemplate = {
  ...FORM_BASE, pitchMm: 5.5, labelPt: 11.5, valuePt: 12, entryGapMm: 5, leaders: 'never', titles: formTitles('birth', '2016-'), bodyTopMm: 33,
  rows: [
    numberRow(),
    { cells: [{ label: 'Họ, chữ đệm, tên:', item: 'fullName', x: 0 }] },
    { cells: [{ label: 'Ngày, tháng, năm sinh:', item: 'birthDate', x: 0 }, { label: 'Giới tính:', item: 'sex', x: 0.6 }] },
    { cells: [{ label: 'Ghi bằng chữ:', item: 'birthDateWords', x: 0 }] },
    { cells: [{ label: 'Dân tộc:', item: 'ethnicity', x: 0 }, { label: 'Quốc tịch:', item: 'nationality', x: 0.35 }] },
    { cells: [{ label: 'Nơi sinh:', item: 'birthPlace', x: 0 }] },
    { cells: [{ label: 'Quê quán:', item: 'hometown', x: 0 }] },
    { cells: [{ label: 'Số định danh cá nhân:', item: 'idNumber', x: 0 }] },
    { cells: [{ label: 'Họ, chữ đệm, tên người mẹ:', item: 'motherName', x: 0 }] },
    { cells: [{ label: 'Năm sinh:', item: 'motherBirthYear', x: 0 }, { label: 'Dân tộc:', item: 'motherEthnicity', x: 0.3 }, { label: 'Quốc tịch:', item: 'motherNationality', x: 0.56 }], indentMm: 6 },
    { cells: [{ label: 'Nơi cư trú:', item: 'motherResidence', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Họ, chữ đệm, tên người cha:', item: 'fatherName', x: 0 }] },
    { cells: [{ label: 'Năm sinh:', item: 'fatherBirthYear', x: 0 }, { label: 'Dân tộc:', item: 'fatherEthnicity', x: 0.3 }, { label: 'Quốc tịch:', item: 'fatherNationality', x: 0.56 }], indentMm: 6 },
    { cells: [{ label: 'Nơi cư trú:', item: 'fatherResidence', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Người đi khai:', item: 'declarantName', x: 0 }, { label: 'Quan hệ với người được khai sinh:', item: 'declarantRelation', x: 0.43 }] },
    { cells: [{ label: 'Ngày, tháng, năm đăng ký:', item: 'registrationDate', x: 0 }] },
    { cells: [{ label: 'Công chức tư pháp - hộ tịch:', item: 'registrarName', x: 0 }] },
    notesRow,
  ],
};

/** A spouse, or a party to a recognition of parentage or a guardianship. */
const partyRows = (who: 'husband' | 'wife' | 'parent' | 'child' | 'guardian' | 'ward', title: string, idLabel: string): FormRow[] => [
  { cells: [{ label: title, item: `${who}Name`, x: 0, bold: true }] },
  { cells: [{ label: 'Ngày, tháng, năm sinh:', item: `${who}BirthDate`, x: 0 }, { label: 'Dân tộc:', item: `${who}Ethnicity`, x: 0.46 }, { label: 'Quốc tịch:', item: `${who}Nationality`, x: 0.7 }], indentMm: 6 },
  { cells: [{ label: 'Nơi cư trú:', item: `${who}Residence`, x: 0 }], indentMm: 6 },
  { cells: [{ label: idLabel, item: `${who}IdNumber`, x: 0 }], indentMm: 6 },
];

const marriageForm = (era: Era, idLabel: string, leaders: FormTemplate['leaders']): FormTemplate => ({
  ...FORM_BASE, pitchMm: 6.7, entryGapMm: 9, leaders, titles: formTitles('marriage', era),
  rows: [
    numberRow(),
    ...partyRows('husband', 'Họ và tên chồng:', idLabel),
    ...partyRows('wife', 'Họ và tên vợ:', idLabel),
    { cells: [{ label: 'Ngày, tháng, năm đăng ký:', item: 'registrationDate', x: 0 }] },
    { cells: [{ label: era === '1999-2005' ? 'Cán bộ hộ tịch:' : 'Cán bộ Tư pháp - Hộ tịch:', item: 'registrarName', x: 0 }] },
    { cells: [{ label: 'Chồng ký:', x: 0 }, { label: 'Vợ ký:', x: 0.5 }], signatures: true, gapBeforeMm: 1 },
    { ...notesRow, gapBeforeMm: 4 },
  ],
});

/**
 * Registers of their own from 2006 with two parties, each with a relation to the other: recognition of
 * parentage (the parent who recognises, then the child) and guardianship (the guardian, then the ward).
 */
const TWO_PARTIES = {
  recognition: { first: 'parent', firstTitle: 'Họ và tên người nhận:', relation: 'Nhận là:', second: 'child', secondTitle: 'Họ và tên người được nhận là con:' },
  guardianship: { first: 'guardian', firstTitle: 'Họ và tên người giám hộ:', relation: 'Quan hệ với người được giám hộ:', second: 'ward', secondTitle: 'Họ và tên người được giám hộ:' },
} as const;

const twoPartyForm = (type: keyof typeof TWO_PARTIES, era: Era, idLabel: string, leaders: FormTemplate['leaders']): FormTemplate => {
  const p = TWO_PARTIES[type];
  return {
    ...FORM_BASE, pitchMm: 6.7, entryGapMm: 9, leaders, titles: formTitles(type, era),
    rows: [
      numberRow(),
      ...partyRows(p.first, p.firstTitle, idLabel),
      { cells: [{ label: p.relation, item: `${p.first}Relation`, x: 0 }], indentMm: 6 },
      ...partyRows(p.second, p.secondTitle, idLabel),
      { cells: [{ label: 'Ngày, tháng, năm đăng ký:', item: 'registrationDate', x: 0 }] },
      { cells: [{ label: era === '2016-' ? 'Công chức tư pháp - hộ tịch:' : 'Cán bộ Tư pháp - Hộ tịch:', item: 'registrarName', x: 0 }] },
      { ...notesRow, gapBeforeMm: 2 },
    ],
  };
};

/**
 * Changes and corrections, a register of their own from 1999: the person, the entry of another book that is
 * changed (which register, number, book, date and office), what changes from what to what, and the basis.
 */
const changeForm = (era: Era, leaders: FormTemplate['leaders']): FormTemplate => ({
  ...FORM_BASE, pitchMm: 6.7, entryGapMm: 9, leaders, titles: formTitles('change', era),
  rows: [
    numberRow(),
    { cells: [{ label: 'Họ và tên người được thay đổi, cải chính:', item: 'personName', x: 0, bold: true }] },
    { cells: [{ label: 'Ngày, tháng, năm sinh:', item: 'personBirthDate', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Việc hộ tịch đã đăng ký:', item: 'refType', x: 0 }, { label: 'Số đăng ký:', item: 'refEntryNo', x: 0.52 }, { label: 'Quyển:', item: 'refBookNo', x: 0.78 }] },
    { cells: [{ label: 'Ngày đăng ký:', item: 'refDate', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Nơi đăng ký:', item: 'refOffice', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Nội dung thay đổi, cải chính:', item: 'changeContent', x: 0 }] },
    { cells: [{ label: 'Trước khi thay đổi, cải chính:', item: 'oldValue', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Sau khi thay đổi, cải chính:', item: 'newValue', x: 0 }], indentMm: 6 },
    { cells: [{ label: 'Căn cứ:', item: 'basis', x: 0 }] },
    { cells: [{ label: 'Họ và tên người yêu cầu:', item: 'declarantName', x: 0 }, { label: 'Quan hệ:', item: 'declarantRelation', x: 0.64 }] },
    { cells: [{ label: 'Ngày, tháng, năm đăng ký:', item: 'registrationDate', x: 0 }] },
    { cells: [{ label: era === '1999-2005' ? 'Cán bộ hộ tịch:' : era === '2016-' ? 'Công chức tư pháp - hộ tịch:' : 'Cán bộ Tư pháp - Hộ tịch:', item: 'registrarName', x: 0 }] },
    { ...notesRow, gapBeforeMm: 2 },
  ],
});

const deathForm = (era: Era, leaders: FormTemplate['leaders']): FormTemplate => ({
  ...FORM_BASE, ...(era === '2016-' ? { pitchMm: 5.8, labelPt: 11.5, valuePt: 12, bodyTopMm: 33 } : { pitchMm: 6.45 }), leaders, titles: formTitles('death', era),
  rows: [
    numberRow(),
    { cells: [{ label: era === '2016-' ? 'Họ, chữ đệm, tên người chết:' : 'Họ và tên người chết:', item: 'fullName', x: 0 }, { label: 'Giới tính:', item: 'sex', x: 0.7 }] },
    { cells: [{ label: 'Ngày, tháng, năm sinh:', item: 'birthDate', x: 0 }, { label: 'Dân tộc:', item: 'ethnicity', x: 0.46 }, { label: 'Quốc tịch:', item: 'nationality', x: 0.7 }] },
    ...(era === '2016-' ? [{ cells: [{ label: 'Số định danh cá nhân:', item: 'idNumber', x: 0 }] }] : []),
    { cells: [{ label: 'Nơi cư trú cuối cùng:', item: 'residence', x: 0 }] },
    { cells: [{ label: 'Đã chết vào lúc:', item: 'deathTime', x: 0 }, { label: 'ngày', item: 'deathDate', x: 0.42 }] },
    { cells: [{ label: 'Ghi bằng chữ:', item: 'deathDateWords', x: 0 }], indentMm: 8 },
    { cells: [{ label: 'Nơi chết:', item: 'deathPlace', x: 0 }] },
    { cells: [{ label: 'Nguyên nhân chết:', item: 'deathCause', x: 0 }] },
    { cells: [{ label: 'Giấy báo tử/Giấy tờ thay thế:', item: 'deathNoticeRef', x: 0 }] },
    { cells: [{ label: 'Người đi khai tử:', item: 'declarantName', x: 0 }, { label: 'Quan hệ:', item: 'declarantRelation', x: 0.62 }] },
    { cells: [{ label: 'Ngày, tháng, năm đăng ký:', item: 'registrationDate', x: 0 }] },
    { cells: [{ label: era === '1999-2005' ? 'Cán bộ hộ tịch:' : 'Công chức tư pháp - hộ tịch:', item: 'registrarName', x: 0 }] },
    notesRow,
  ],
});

/** Registers kept only in some eras (recognition of parentage and guardianship from 2006, `REGISTER_ERAS`) have no template for the others. */
export const TEMPLATES: Record<RegisterType, Partial<Record<Era, Template>>> = {
  birth: { '1956-1960': BIRTH_TABLE_1956, '1961-1998': BIRTH_TABLE_1961, '1999-2005': BIRTH_FORM_1999, '2006-2015': BIRTH_FORM_2006, '2016-': BIRTH_FORM_2016 },
  death: { '1956-1960': DEATH_TABLE_1956, '1961-1998': DEATH_TABLE_1961, '1999-2005': deathForm('1999-2005', 'unless-printed'), '2006-2015': deathForm('2006-2015', 'unless-printed'), '2016-': deathForm('2016-', 'never') },
  marriage: {
    '1956-1960': MARRIAGE_TABLE_1956, '1961-1998': MARRIAGE_TABLE_1961, '1999-2005': marriageForm('1999-2005', 'Số CMND:', 'unless-printed'),
    '2006-2015': marriageForm('2006-2015', 'Số Giấy CMND/Hộ chiếu:', 'unless-printed'), '2016-': marriageForm('2016-', 'Số định danh cá nhân:', 'never'),
  },
  recognition: {
    '2006-2015': twoPartyForm('recognition', '2006-2015', 'Số Giấy CMND/Hộ chiếu:', 'unless-printed'), '2016-': twoPartyForm('recognition', '2016-', 'Số định danh cá nhân:', 'never'),
  },
  guardianship: {
    '2006-2015': twoPartyForm('guardianship', '2006-2015', 'Số Giấy CMND/Hộ chiếu:', 'unless-printed'), '2016-': twoPartyForm('guardianship', '2016-', 'Số định danh cá nhân:', 'never'),
  },
  change: { '1999-2005': changeForm('1999-2005', 'unless-printed'), '2006-2015': changeForm('2006-2015', 'unless-printed'), '2016-': changeForm('2016-', 'never') },
};

/** Pre-printed forms get dotted leaders unless the values were printed by the registration software. */
export const hasLeaders = (t: FormTemplate, fill: FillMode): boolean => t.leaders === 'unless-printed' && fill !== 'printed';
