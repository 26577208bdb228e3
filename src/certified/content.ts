import type { ApiRecord } from '../../schemas/api.ts';
import { changeSourceText, NOTE_KINDS, type NoteKind } from '../../schemas/entries.ts';
import { FIELD_LABELS } from '../review/field-rules.js';
import { dateInWords, parseIso } from '../samples/vietnamese.ts';

/**
 * What a certified extract (trích lục) says, per register type, laid out after the official extract
 * forms (Circular 04/2020 and its amendments): a title, the entry's fields under their printed labels,
 * and the notes. Layouts are data: correct a label here, not in the PDF code. The seal hashes the same content's
 * values (sealedContent), so the verifier can tell when a record changed.
 */

type Format = 'text' | 'date' | 'dateWords' | 'sex' | 'time';
type Row = readonly [label: string, field: string, format?: Format];
interface Section {
  heading?: string;
  /** The section is a person's (a parent, a spouse): its rows are named after it ("Dân tộc (người mẹ)"). */
  person?: boolean;
  rows: readonly Row[];
}
interface Layout {
  title: string;
  book: string;
  /** After the extract's number ("Số: …/TLKS-BS"), which the office gives it from its register of copies issued. */
  numberSuffix: string;
  sections: readonly Section[];
}

const REGISTRATION: Section = {
  heading: 'Thông tin đăng ký',
  rows: [['Ngày đăng ký', 'registrationDate', 'date'], ['Người đi khai', 'declarantName'], ['Quan hệ với người được đăng ký', 'declarantRelation'], ['Người thực hiện', 'registrarName']],
};
const parent = (who: 'mother' | 'father', heading: string): Section => ({
  heading,
  person: true,
  rows: [['Họ, chữ đệm, tên', `${who}Name`], ['Năm sinh', `${who}BirthYear`], ['Dân tộc', `${who}Ethnicity`], ['Quốc tịch', `${who}Nationality`], ['Nơi cư trú', `${who}Residence`]],
});
const spouse = (who: 'husband' | 'wife', heading: string): Section => ({
  heading,
  person: true,
  rows: [['Họ, chữ đệm, tên', `${who}Name`], ['Ngày, tháng, năm sinh', `${who}BirthDate`, 'date'], ['Dân tộc', `${who}Ethnicity`], ['Quốc tịch', `${who}Nationality`], ['Nơi cư trú', `${who}Residence`], ['Số giấy tờ tùy thân', `${who}IdNumber`]],
});

export const LAYOUTS: Record<ApiRecord['registerType'], Layout> = {
  birth: {
    title: 'TRÍCH LỤC KHAI SINH',
    book: 'Sổ đăng ký khai sinh',
    numberSuffix: 'TLKS-BS',
    sections: [
      {
        rows: [
          ['Họ, chữ đệm, tên', 'fullName'], ['Ngày, tháng, năm sinh', 'birthDate', 'date'], ['Ghi bằng chữ', 'birthDate', 'dateWords'],
          ['Giới tính', 'sex', 'sex'], ['Dân tộc', 'ethnicity'], ['Quốc tịch', 'nationality'], ['Nơi sinh', 'birthPlace'], ['Quê quán', 'hometown'],
          ['Số định danh cá nhân', 'idNumber'],
        ],
      },
      parent('mother', 'Người mẹ'),
      parent('father', 'Người cha'),
      REGISTRATION,
    ],
  },
  marriage: {
    title: 'TRÍCH LỤC KẾT HÔN',
    book: 'Sổ đăng ký kết hôn',
    numberSuffix: 'TLKH-BS',
    sections: [spouse('husband', 'Bên chồng'), spouse('wife', 'Bên vợ'), { heading: 'Thông tin đăng ký', rows: [['Ngày đăng ký', 'registrationDate', 'date'], ['Người thực hiện', 'registrarName']] }],
  },
  death: {
    title: 'TRÍCH LỤC KHAI TỬ',
    book: 'Sổ đăng ký khai tử',
    numberSuffix: 'TLKT-BS',
    sections: [
      {
        rows: [
          ['Họ, chữ đệm, tên', 'fullName'], ['Ngày, tháng, năm sinh', 'birthDate', 'date'], ['Giới tính', 'sex', 'sex'], ['Dân tộc', 'ethnicity'],
          ['Quốc tịch', 'nationality'], ['Số định danh cá nhân', 'idNumber'], ['Nơi cư trú cuối cùng', 'residence'],
          ['Đã chết vào lúc', 'deathTime', 'time'], ['Ngày chết', 'deathDate', 'date'], ['Ghi bằng chữ', 'deathDate', 'dateWords'],
          ['Nơi chết', 'deathPlace'], ['Nguyên nhân chết', 'deathCause'], ['Giấy báo tử / giấy tờ thay thế', 'deathNoticeRef'],
        ],
      },
      REGISTRATION,
    ],
  },
};

/** Every field an extract of this type shows: a client needs all of them in its scope to obtain one. */
export const extractFields = (registerType: ApiRecord['registerType']): string[] => [
  ...new Set([...LAYOUTS[registerType].sections.flatMap((s) => s.rows.map((r) => r[1])), 'notes']),
];

/** The one table of field names (src/review/field-rules.js), for exports and screens. */
export { FIELD_LABELS };

/** Each field's row label, followed by its section's heading where `headed` says the section names it. */
function fieldNames(headed: (section: Section) => boolean): Record<string, string> {
  return Object.fromEntries(Object.values(LAYOUTS).flatMap((l) => l.sections.flatMap((s) => s.rows.filter((r) => r[2] !== 'dateWords')
    .map((r) => [r[1], s.heading && headed(s) ? `${r[0]} (${s.heading.toLowerCase()})` : r[0]]))));
}

/**
 * The name of each field an extract prints, as its row and section say it ("Dân tộc" under "Người mẹ": "Dân tộc (người
 * mẹ)"): FIELD_LABELS says the same (test/api/extract-labels.test.ts), so that a field has one name everywhere.
 */
export const LAYOUT_FIELD_NAMES: Record<string, string> = fieldNames((s) => s.person === true);

/**
 * How a change in the notes names its field: frozen as the first layouts worded it (every headed section's name
 * after the label), since seals hash the notes (sealedContent); a rewording would turn extracts already issued to
 * "changed". Not a label table for anything else.
 */
export const NOTE_FIELD_NAMES: Record<string, string> = { ...fieldNames(() => true), notes: 'Ghi chú' };

/** dd/mm/yyyy for a full date; "tháng mm/yyyy" or "năm yyyy" when the book gives less (never invent a day). */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return d ? `${d}/${m}/${y}` : m ? `tháng ${m}/${y}` : `năm ${y}`;
}

function formatValue(value: string, format: Format): string {
  switch (format) {
    case 'date':
      return formatDate(value);
    case 'dateWords': {
      const parts = value.split('-');
      const { y, m, d } = parseIso(`${parts[0]}-${parts[1] ?? '01'}-${parts[2] ?? '01'}`);
      const words = dateInWords({ y, m, d }, undefined, parts.length === 3 ? 'day' : parts.length === 2 ? 'month' : 'year');
      return words.charAt(0).toUpperCase() + words.slice(1);
    }
    case 'sex':
      return value === 'male' ? 'Nam' : value === 'female' ? 'Nữ' : value;
    case 'time': {
      const [h, min] = value.split(':');
      return `${Number(h)} giờ ${Number(min)} phút`;
    }
    default:
      return value;
  }
}

/**
 * Why a row of the extract has no value from the book, and what it prints instead: a row is never left blank (a
 * blank on a paper someone will sign invites a hand to fill it in), and a row the book's form never had is not
 * mistaken for one the clerk left empty. An officer copying an old book by hand writes the same.
 */
export const MISSING_TEXT = {
  /** The register's form of the entry's era had no such line (an ID number in 1975, parents' ethnicity in 1958). */
  not_in_book: 'Không có trong sổ gốc',
  /** The form had the line and a person saw it empty in the book (a verified field without a value). */
  not_written: 'Sổ gốc không ghi',
  /** Written, but no one could read it (a verifier said so). */
  unreadable: 'Không đọc được trong sổ gốc',
  /**
   * No one has said what the book has there: the machine read nothing (extraction stores no field then), or a
   * value left out. Not "Sổ gốc không ghi", which only a person who looked may say.
   */
  not_checked: 'Chưa đối chiếu',
} as const;
export type Missing = keyof typeof MISSING_TEXT;

export interface ExtractContent {
  layoutVersion: 3;
  recordId: string;
  registerType: ApiRecord['registerType'];
  title: string;
  office: { code: string; name: string };
  source: string;
  /**
   * `value` is what the row prints: the book's value, or for `missing` its MISSING_TEXT; `sealedValue` the stored
   * value the seal hashes where the row words it otherwise (a birth year worked out from an age, derivedYearText).
   */
  sections: Array<{ heading: string | null; rows: Array<{ label: string; value: string; missing?: Missing; sealedValue?: string }> }>;
  notes: string[];
}

/** One event on an entry (a marginal note or a registered change) as the extract and the entry page word it. */
export function eventText(ev: ApiRecord['events'][number]): string {
  const changed = ev.field && ['correction', 'change_of_name', 'addition'].includes(ev.kind) ? (NOTE_FIELD_NAMES[ev.field] ?? ev.field).toLowerCase() : null;
  const what = [NOTE_KINDS[ev.kind as NoteKind] ?? ev.kind, changed].filter(Boolean).join(' ');
  const change = ev.oldValue && ev.newValue ? ` từ ${ev.oldValue} thành ${ev.newValue}` : ev.newValue ? `: ${ev.newValue}` : '';
  // a change registered in a register of changes names its entry there, as the margin note would
  const source = ev.source ? ` (${changeSourceText(ev.source)})` : '';
  return `${ev.date ? `${formatDate(ev.date)}: ` : ''}${what}${change}${source}`;
}

/**
 * A parent's birth year the book did not write but gave as an age at the birth (books before 1999): printed so that
 * the reader knows it is worked out, a year either way, and from what the book states. `age` is the age as the book
 * states it, or null when the stored year no longer follows from the age read (a person set the year).
 *
 * @example derivedYearText('1932', 30) // 'khoảng năm 1932 (sổ ghi 30 tuổi)'
 * @example derivedYearText('1932', null) // 'khoảng năm 1932 (tính từ tuổi sổ ghi)'
 */
export const derivedYearText = (year: string, age: number | null): string =>
  `khoảng năm ${year} (${age === null ? 'tính từ tuổi sổ ghi' : `sổ ghi ${age} tuổi`})`;

/**
 * The extract's content for a record (with every field of its layout loaded). `bookFields`: the fields the form of
 * the entry's book had (src/review/keying.ts bookLines for its register and era); null when the era is unknown.
 * `fromAge`: the parents' birth-year fields the book gave as an age, each with the age it states (null: unknown),
 * printed with derivedYearText.
 */
export function extractContent(record: ApiRecord, bookFields: ReadonlySet<string> | null, fromAge: Readonly<Record<string, number | null>> = {}): ExtractContent {
  const layout = LAYOUTS[record.registerType];
  const value = (field: string, format: Format = 'text') => {
    const v = record.fields[field]?.value;
    return v ? formatValue(v, format) : '';
  };
  const row = (label: string, field: string, format?: Format) => {
    const shown = value(field, format);
    if (shown && Object.hasOwn(fromAge, field)) return { label, value: derivedYearText(shown, fromAge[field]!), sealedValue: shown };
    if (shown) return { label, value: shown };
    const stored = record.fields[field];
    const missing: Missing = stored?.status === 'unreadable' ? 'unreadable'
      : bookFields && !bookFields.has(field) ? 'not_in_book'
      : stored?.status === 'verified' ? 'not_written'
      : 'not_checked';
    return { label, value: MISSING_TEXT[missing], missing };
  };
  const notes = [
    ...(value('notes') ? [value('notes')] : []),
    ...record.events.map(eventText),
  ];
  return {
    layoutVersion: 3,
    recordId: record.id,
    registerType: record.registerType,
    title: layout.title,
    office: record.book.office,
    source: `Trích từ ${layout.book} quyển số ${record.book.bookNo}${record.year ? `, năm ${record.year}` : ''}${record.entryNo ? `, số ${record.entryNo}` : ''}, ${record.book.office.name}.`,
    sections: layout.sections.map((s) => ({ heading: s.heading ?? null, rows: s.rows.map(([label, field, format]) => row(label, field, format)) })),
    notes,
  };
}

/**
 * The byte-stable form the seal hashes (src/certified/extract.ts): the record's values only, every row without one
 * blank, exactly as the first layout (layoutVersion 1) wrote the whole content. What an empty row says (MISSING_TEXT)
 * is left out on purpose: it follows from the book's form, its era and who checked the row, so a change of wording
 * or a book's era settled later would otherwise turn every extract already issued from genuine to changed although
 * the record says the same. Keep this byte for byte: test/api/extract.test.ts holds a digest the first layout made.
 */
export function sealedContent(content: ExtractContent): string {
  return JSON.stringify({
    layoutVersion: 1,
    recordId: content.recordId,
    registerType: content.registerType,
    title: content.title,
    office: content.office,
    source: content.source,
    sections: content.sections.map((s) => ({ heading: s.heading, rows: s.rows.map((r) => ({ label: r.label, value: r.missing ? '' : (r.sealedValue ?? r.value) })) })),
    notes: content.notes,
  });
}

/** What a receiving officer compares between the paper and the verify page: who the extract is about. */
const CROSS_CHECK: Record<ApiRecord['registerType'], readonly string[]> = {
  birth: ['fullName', 'birthDate'],
  death: ['fullName', 'deathDate'],
  marriage: ['husbandName', 'wifeName'],
};

/**
 * The fields of who the extract is about (CROSS_CHECK) that have no value from the book: an officer does not certify
 * an entry without its subject's name or date, so no extract is issued while one is missing (src/certified/extract.ts).
 */
export function missingSubjectFields(record: ApiRecord): string[] {
  return CROSS_CHECK[record.registerType].filter((field) => !record.fields[field]?.value);
}

/**
 * The rows of the signed content that identify its subject (name and date of birth; for a death the name and
 * date of death; for a marriage both names), with their section's heading. Read from the content by the layout's
 * positions, so they are exactly what the extract prints, never a value from elsewhere.
 */
export function crossCheckRows(content: ExtractContent): Array<{ label: string; value: string }> {
  const layout = LAYOUTS[content.registerType];
  return CROSS_CHECK[content.registerType].flatMap((field) => {
    for (const [si, section] of layout.sections.entries()) {
      const ri = section.rows.findIndex((r) => r[1] === field && r[2] !== 'dateWords');
      const row = ri < 0 ? undefined : content.sections[si]?.rows[ri];
      if (row) return [{ label: section.heading ? `${row.label} (${section.heading.toLowerCase()})` : row.label, value: row.value }];
    }
    return [];
  });
}
