import type { ApiRecord } from '../../schemas/api.ts';
import { changeSourceText, NOTE_KINDS, type NoteKind } from '../../schemas/entries.ts';
import { dateInWords, parseIso } from '../samples/vietnamese.ts';

/**
 * What a certified extract (trích lục) says, per register type, laid out after the official extract
 * forms (Circular 04/2020 and its amendments): a title, the entry's fields under their printed labels,
 * and the notes. Layouts are data: correct a label here, not in the PDF code. The same content is what
 * the extract's seal hashes (src/certified/signing.ts), so the verifier can tell when a record changed.
 */

type Format = 'text' | 'date' | 'dateWords' | 'sex' | 'time';
type Row = readonly [label: string, field: string, format?: Format];
interface Section {
  heading?: string;
  rows: readonly Row[];
}
interface Layout {
  title: string;
  book: string;
  sections: readonly Section[];
}

const REGISTRATION: Section = {
  heading: 'Thông tin đăng ký',
  rows: [['Ngày đăng ký', 'registrationDate', 'date'], ['Người đi khai', 'declarantName'], ['Quan hệ với người được đăng ký', 'declarantRelation'], ['Người thực hiện', 'registrarName']],
};
const parent = (who: 'mother' | 'father', heading: string): Section => ({
  heading,
  rows: [['Họ, chữ đệm, tên', `${who}Name`], ['Năm sinh', `${who}BirthYear`], ['Dân tộc', `${who}Ethnicity`], ['Quốc tịch', `${who}Nationality`], ['Nơi cư trú', `${who}Residence`]],
});
const spouse = (who: 'husband' | 'wife', heading: string): Section => ({
  heading,
  rows: [['Họ, chữ đệm, tên', `${who}Name`], ['Ngày, tháng, năm sinh', `${who}BirthDate`, 'date'], ['Dân tộc', `${who}Ethnicity`], ['Quốc tịch', `${who}Nationality`], ['Nơi cư trú', `${who}Residence`], ['Số giấy tờ tùy thân', `${who}IdNumber`]],
});

export const LAYOUTS: Record<ApiRecord['registerType'], Layout> = {
  birth: {
    title: 'TRÍCH LỤC KHAI SINH',
    book: 'Sổ đăng ký khai sinh',
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
    sections: [spouse('husband', 'Bên chồng'), spouse('wife', 'Bên vợ'), { heading: 'Thông tin đăng ký', rows: [['Ngày đăng ký', 'registrationDate', 'date'], ['Người thực hiện', 'registrarName']] }],
  },
  death: {
    title: 'TRÍCH LỤC KHAI TỬ',
    book: 'Sổ đăng ký khai tử',
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

/** Printed label of each field (with its section for parents and spouses), for notes and exports. */
export const FIELD_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.values(LAYOUTS).flatMap((l) => l.sections.flatMap((s) => s.rows.filter((r) => r[2] !== 'dateWords').map((r) => [r[1], s.heading ? `${r[0]} (${s.heading.toLowerCase()})` : r[0]])))),
  notes: 'Ghi chú',
};

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

export interface ExtractContent {
  layoutVersion: 1;
  recordId: string;
  registerType: ApiRecord['registerType'];
  title: string;
  office: { code: string; name: string };
  source: string;
  sections: Array<{ heading: string | null; rows: Array<{ label: string; value: string }> }>;
  notes: string[];
}

/** One event on an entry (a marginal note or a registered change) as the extract and the entry page word it. */
export function eventText(ev: ApiRecord['events'][number]): string {
  const changed = ev.field && ['correction', 'change_of_name', 'addition'].includes(ev.kind) ? (FIELD_LABELS[ev.field] ?? ev.field).toLowerCase() : null;
  const what = [NOTE_KINDS[ev.kind as NoteKind] ?? ev.kind, changed].filter(Boolean).join(' ');
  const change = ev.oldValue && ev.newValue ? ` từ ${ev.oldValue} thành ${ev.newValue}` : ev.newValue ? `: ${ev.newValue}` : '';
  // a change registered in a register of changes names its entry there, as the margin note would
  const source = ev.source ? ` (${changeSourceText(ev.source)})` : '';
  return `${ev.date ? `${formatDate(ev.date)}: ` : ''}${what}${change}${source}`;
}

/** The extract's content for a record (with every field of its layout loaded). */
export function extractContent(record: ApiRecord): ExtractContent {
  const layout = LAYOUTS[record.registerType];
  const value = (field: string, format: Format = 'text') => {
    const v = record.fields[field]?.value;
    return v ? formatValue(v, format) : '';
  };
  const notes = [
    ...(value('notes') ? [value('notes')] : []),
    ...record.events.map(eventText),
  ];
  return {
    layoutVersion: 1,
    recordId: record.id,
    registerType: record.registerType,
    title: layout.title,
    office: record.book.office,
    source: `Trích từ ${layout.book} quyển số ${record.book.bookNo}${record.year ? `, năm ${record.year}` : ''}${record.entryNo ? `, số ${record.entryNo}` : ''}, ${record.book.office.name}.`,
    sections: layout.sections.map((s) => ({ heading: s.heading ?? null, rows: s.rows.map(([label, field, format]) => ({ label, value: value(field, format) })) })),
    notes,
  };
}

/** What a receiving officer compares between the paper and the verify page: who the extract is about. */
const CROSS_CHECK: Record<ApiRecord['registerType'], readonly string[]> = {
  birth: ['fullName', 'birthDate'],
  death: ['fullName', 'deathDate'],
  marriage: ['husbandName', 'wifeName'],
};

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

/** The byte-stable form the seal hashes. */
export const canonicalContent = (content: ExtractContent): string => JSON.stringify(content);
