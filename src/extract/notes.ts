/**
 * Marginal notes (Ghi chú) as linked events: a correction, a change of name, a recognition of a parent,
 * a guardianship, a divorce, a death or a re-registration written on the entry later, with the field it
 * changes, the old and new value and the note's own date. The phrasings are the registers' standard ones ("Cải chính … thành … theo QĐ số …
 * ngày …", "Đã ly hôn theo Bản án số … ngày …"); a note that fits none is kept as kind `other` for a person.
 */
import levenshtein from 'fast-levenshtein';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { parseDateFigures } from './dates.ts';
import { foldDiacritics, normaliseSpaces } from '../text/normalise.ts';

export type ExtractedNote = ExtractedEntry['notes'][number];
/** What a note's reading needs of the entry's other fields: their values (the old value of a changed one). */
type NoteContext = Pick<ExtractedField, 'field' | 'value'>;

/** What a note says it changes, by the words after "Cải chính" / "Thay đổi" / "Bổ sung". */
const CHANGED_FIELDS: [RegExp, string][] = [
  [/^ngay,? thang,? nam sinh|^ngay sinh/, 'birthDate'],
  [/^ho,? chu dem,? ten|^ho va ten|^ho ten/, 'Name'],
  [/^noi sinh/, 'birthPlace'],
  [/^que quan/, 'hometown'],
  [/^dan toc/, 'ethnicity'],
  [/^gioi tinh/, 'sex'],
];

/** Whose field a change names after the field's words ("… tên của mẹ", "… tên người vợ"), folded. */
const QUALIFIER = /^(?:cua |cho )?(?:nguoi )?(cha|bo|me|vo|chong|ong|ba|anh|chi|em|nguoi giam ho|giam ho)\b/;
const PERSONS: Record<string, string> = { cha: 'father', bo: 'father', me: 'mother', vo: 'wife', chong: 'husband' };
/** A subject's field (CHANGED_FIELDS) as another person's: "Name" of the mother is motherName. */
const OF_PERSON: Record<string, string> = { Name: 'Name', birthDate: 'BirthDate', ethnicity: 'Ethnicity' };

/**
 * What a change says it does, from its words ("Cải chính họ, chữ đệm, tên", folded): the kind of event and the
 * field it changes (`Name` for whoever's name it is; null when the words name no field). Notes and the register
 * of changes (src/extract/changes.ts) say it alike. Words naming another person than the entry's subject ("… của
 * mẹ") make it that person's field (motherName), or none when the registers keep no such field of that person:
 * never the subject's.
 */
export function changeWords(folded: string): { kind: 'correction' | 'change_of_name' | 'addition'; field: string | null } | null {
  const verb = noteVerb(folded);
  if (!verb) return null;
  const what = folded.slice(verb.length).trim().replace(/^[,:;.\s]+/, '');
  let field: string | null = null;
  for (const [pattern, key] of CHANGED_FIELDS) {
    const words = pattern.exec(what);
    if (!words) continue;
    const qualifier = QUALIFIER.exec(what.slice(words[0].length).replace(/^[,:;.\s]+/, ''));
    const person = qualifier ? PERSONS[qualifier[1]!] : undefined;
    field = !qualifier ? key : person && OF_PERSON[key] ? `${person}${OF_PERSON[key]}` : null;
    break;
  }
  return { kind: verb.startsWith('thay') && field !== null && field.endsWith('Name') ? 'change_of_name' : verb.startsWith('bo') ? 'addition' : 'correction', field };
}

/**
 * The date a note is dated: the first "ngày …" in it (the death's in "Đã chết ngày 30/11/2024, khai tử số 103
 * ngày 6/12/2024", the decision's in "Cải chính … theo QĐ số 12 ngày 5/3/2018"). When that one is no date
 * ("50/11/2024", misread), none: a later one is another event's date (the registration of the death).
 */
function noteDate(text: string): string | null {
  const first = /ngày (\d{1,2}[/.-]\d{1,2}[/.-]\d{4})/.exec(text);
  return first ? (parseDateFigures(first[1]!)?.iso ?? null) : null;
}

/** For a name change on a marriage entry: the spouse whose name is closest to the new one. */
function nameField(fields: readonly NoteContext[], newValue: string): string {
  const names = fields.filter((f) => /Name$/.test(f.field) && f.field !== 'declarantName' && f.field !== 'registrarName' && f.value);
  if (names.some((f) => f.field === 'fullName')) return 'fullName';
  const closest = names.map((f) => ({ f, d: levenshtein.get(foldDiacritics(f.value!), foldDiacritics(newValue)) })).sort((a, b) => a.d - b.d)[0];
  return closest?.f.field ?? 'fullName';
}

/**
 * The name a note gives after `marker` (folded, e.g. " cha la "), up to the comma before the
 * registration number, with its diacritics; null when the note has no such words.
 */
function namedAfter(raw: string, folded: string, marker: string): string | null {
  // folding keeps one character per character, so positions in `folded` are positions in `raw`
  const at = folded.indexOf(marker);
  if (at < 0) return null;
  const name = raw.slice(at + marker.length).split(',')[0]!.trim();
  return name || null;
}

const VERBS = ['cai chinh', 'thay doi', 'bo sung'];

/** The note's opening verb as written (folded), when it is one of VERBS read with at most one wrong letter ("Cỏi chính"). */
function noteVerb(folded: string): string | null {
  const opening = folded.split(' ').slice(0, 2).join(' ');
  return VERBS.some((v) => levenshtein.get(opening, v) <= 1) ? opening : null;
}

export function parseNotes(text: string, fields: readonly NoteContext[]): ExtractedNote[] {
  const raw = normaliseSpaces(text);
  if (!raw) return [];
  const folded = foldDiacritics(raw);
  const date = noteDate(raw);
  const verb = noteVerb(folded);
  const change = verb ? / (.+?) thanh (.+?)(?: theo |$)/.exec(folded.slice(verb.length)) : null;
  if (verb && change) {
    const [, what] = change;
    // the new value keeps its diacritics: cut it from the original text at the same positions
    const start = folded.indexOf(' thanh ') + ' thanh '.length;
    const end = folded.indexOf(' theo ', start);
    const newText = raw.slice(start, end < 0 ? undefined : end).trim();
    const { kind, field: mapped } = changeWords(`${verb} ${what}`)!;
    const field = mapped === 'Name' ? nameField(fields, newText) : mapped;
    const newValue = field && /Date$/.test(field) ? (parseDateFigures(newText)?.iso ?? null) : newText;
    const oldValue = field ? (fields.find((f) => f.field === field)?.value ?? null) : null;
    return [{ kind, field, oldValue, newValue, date, raw }];
  }
  // OCR glues and splits the few words that say what the note is ("Đã lyhôn"): compare them without spaces
  const compact = folded.replace(/\s+/g, '');
  if (/^(da)?lyhon/.test(compact)) return [{ kind: 'divorce', field: null, oldValue: null, newValue: null, date, raw }];
  if (/^(da)?chet|^damat/.test(compact)) return [{ kind: 'death', field: null, oldValue: null, newValue: null, date, raw }];
  if (/^dangkylai/.test(compact)) return [{ kind: 're_registration', field: null, oldValue: null, newValue: null, date, raw }];
  // "Nhận cha cho con: cha là Nguyễn Văn Hùng, số 12/2018 ngày 5/3/2018": the parent the entry lacked
  const recognised = /^(?:da)?(?:dangky)?nhan(cha|me)/.exec(compact);
  if (recognised) {
    const field = recognised[1] === 'cha' ? 'fatherName' : 'motherName';
    const newValue = namedAfter(raw, folded, recognised[1] === 'cha' ? ' cha la ' : ' me la ');
    const oldValue = fields.find((f) => f.field === field)?.value ?? null;
    return [{ kind: 'recognition', field, oldValue, newValue, date, raw }];
  }
  // "Đăng ký giám hộ: người giám hộ là Trần Thị Lan, số 7/2010 ngày 3/4/2010"
  if (/^(?:da)?(?:dangky)?giamho/.test(compact)) return [{ kind: 'guardianship', field: null, oldValue: null, newValue: namedAfter(raw, folded, ' giam ho la '), date, raw }];
  return [{ kind: 'other', field: null, oldValue: null, newValue: null, date, raw }];
}
