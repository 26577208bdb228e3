/**
 * Marginal notes (Ghi chú) as linked events: a correction, a change of name, a divorce, a death or a
 * re-registration written on the entry later, with the field it changes, the old and new value and the
 * note's own date. The phrasings are the registers' standard ones ("Cải chính … thành … theo QĐ số …
 * ngày …", "Đã ly hôn theo Bản án số … ngày …"); a note that fits none is kept as kind `other` for a person.
 */
import levenshtein from 'fast-levenshtein';
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { parseDateFigures } from './dates.ts';
import { foldDiacritics, normaliseSpaces } from '../text/normalise.ts';

export type ExtractedNote = ExtractedEntry['notes'][number];

/** What a note says it changes, by the words after "Cải chính" / "Thay đổi" / "Bổ sung". */
const CHANGED_FIELDS: [RegExp, string][] = [
  [/^ngay,? thang,? nam sinh|^ngay sinh/, 'birthDate'],
  [/^ho,? chu dem,? ten|^ho va ten|^ho ten/, 'Name'],
  [/^noi sinh/, 'birthPlace'],
  [/^que quan/, 'hometown'],
  [/^dan toc/, 'ethnicity'],
  [/^gioi tinh/, 'sex'],
];

/** The date a note is dated: the decision's or judgment's date ("… ngày 5/3/1980"), else the first date in it. */
function noteDate(text: string): string | null {
  const dates = [...text.matchAll(/ngày (\d{1,2}[/.-]\d{1,2}[/.-]\d{4})/g)].map((m) => parseDateFigures(m[1]!)?.iso ?? null).filter(Boolean);
  return dates[0] ?? null;
}

/** For a name change on a marriage entry: the spouse whose name is closest to the new one. */
function nameField(fields: readonly ExtractedField[], newValue: string): string {
  const names = fields.filter((f) => /Name$/.test(f.field) && f.field !== 'declarantName' && f.field !== 'registrarName' && f.value);
  if (names.some((f) => f.field === 'fullName')) return 'fullName';
  const closest = names.map((f) => ({ f, d: levenshtein.get(foldDiacritics(f.value!), foldDiacritics(newValue)) })).sort((a, b) => a.d - b.d)[0];
  return closest?.f.field ?? 'fullName';
}

export function parseNotes(text: string, fields: readonly ExtractedField[]): ExtractedNote[] {
  const raw = normaliseSpaces(text);
  if (!raw) return [];
  const folded = foldDiacritics(raw);
  const date = noteDate(raw);
  const change = /^(cai chinh|thay doi|bo sung) (.+?) thanh (.+?)(?: theo |$)/.exec(folded);
  if (change) {
    const [, verb, what] = change;
    // the new value keeps its diacritics: cut it from the original text at the same positions
    const start = folded.indexOf(' thanh ') + ' thanh '.length;
    const end = folded.indexOf(' theo ', start);
    const newText = raw.slice(start, end < 0 ? undefined : end).trim();
    const mapped = CHANGED_FIELDS.find(([pattern]) => pattern.test(what!))?.[1] ?? null;
    const field = mapped === 'Name' ? nameField(fields, newText) : mapped;
    const newValue = field && /Date$/.test(field) ? (parseDateFigures(newText)?.iso ?? null) : newText;
    const oldValue = field ? (fields.find((f) => f.field === field)?.value ?? null) : null;
    const kind = verb === 'thay doi' && mapped === 'Name' ? 'change_of_name' : verb === 'bo sung' ? 'addition' : 'correction';
    return [{ kind, field, oldValue, newValue, date, raw }];
  }
  if (/^(da )?ly hon/.test(folded)) return [{ kind: 'divorce', field: null, oldValue: null, newValue: null, date, raw }];
  if (/^(da )?chet|^da mat/.test(folded)) return [{ kind: 'death', field: null, oldValue: null, newValue: null, date, raw }];
  if (/^dang ky lai/.test(folded)) return [{ kind: 're_registration', field: null, oldValue: null, newValue: null, date, raw }];
  return [{ kind: 'other', field: null, oldValue: null, newValue: null, date, raw }];
}
