/**
 * Judging a change of a register of changes against the archive's entries at its reference, without the database
 * (src/extract/changes.ts reads the entries and stores the outcome): the reference as read, whose entry it is, which
 * field it changes, and whether it is sure enough to become an event without a person.
 */
import { FIELD_KEYS } from '../../schemas/corpus.ts';
import type { ChangeReason, NoteKind } from '../../schemas/entries.ts';
import { SUBJECTS } from '../match/features.ts';
import { comparable, foldDiacritics } from '../text/normalise.ts';
import { changeWords } from './notes.ts';
import { parseField } from './values.ts';
import { bookNoKey } from '../text/book-no.ts';

/** How sure a resolution must be to make the event without a person. */
export const RESOLVE_AT = 0.9;
/** Agreement of a person's name that differs from the original's only in its diacritics (a tone mark misread). */
const NAME_FOLDED_AGREEMENT = 0.9;

/**
 * The change's fields that the reference and the event are made of: all must be trusted (the value before the change
 * only when the register gives one: left blank, the original's own value stands for it).
 */
export const CHANGE_FIELDS = ['personName', 'refType', 'refEntryNo', 'refBookNo', 'refDate', 'refOffice', 'changeContent', 'oldValue', 'newValue', 'registrationDate'] as const;
/** A change field the register may leave blank. */
const OPTIONAL_CHANGE_FIELDS: ReadonlySet<string> = new Set(['oldValue']);

const REF_TYPES: Record<string, 'birth' | 'marriage' | 'death'> = { 'khai sinh': 'birth', 'ket hon': 'marriage', 'khai tu': 'death' };

export interface Reference {
  type: 'birth' | 'marriage' | 'death' | null;
  /** The office's name folded, without the authority's ("Ủy ban nhân dân"). */
  office: string | null;
  bookNo: string | null;
  year: number | null;
  entryNo: number | null;
}

/** An office as written ("UBND Phường Kim Liên, Quận Đống Đa") or named in the archive, folded for comparing. */
export function officeKey(text: string): string {
  return foldDiacritics(text).replace(/^(uy ban (nhan dan|hanh chinh)|ubnd|ubhc)\b/, '').replace(/[^a-z0-9]/g, '');
}

export type ChangeFields = Record<string, { value: string | null; status: string; confidence: number } | undefined>;

/** The reference as the change's fields read it; a part that could not be read is null. */
export function parseReference(fields: ChangeFields): Reference {
  const value = (key: string) => fields[key]?.value ?? null;
  const type = value('refType');
  const entryNo = value('refEntryNo');
  const bookNo = value('refBookNo');
  const date = value('refDate');
  const office = value('refOffice');
  return {
    type: type ? (REF_TYPES[foldDiacritics(type).replace(/[.,]$/, '')] ?? null) : null,
    office: office ? officeKey(office) || null : null,
    bookNo: bookNo ? bookNoKey(bookNo) : null,
    year: date && /^\d{4}/.test(date) ? Number(date.slice(0, 4)) : null,
    entryNo: entryNo && /^\d{1,5}$/.test(entryNo) ? Number(entryNo) : null,
  };
}

export interface Candidate {
  entryId: number;
  registerType: 'birth' | 'marriage' | 'death';
  fields: Record<string, string | null>;
}

export interface ChangeEventValues {
  kind: NoteKind;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  date: string | null;
}

export type Resolution =
  | { status: 'resolved'; targetEntryId: number; confidence: number; event: ChangeEventValues }
  | { status: 'review'; reason: ChangeReason; targetEntryId: number | null; confidence: number };

/** How well the person's name agrees with a name of the original: 1 the same, less the diacritics only, 0 not. */
function nameAgreement(a: string, b: string): number {
  if (comparable(a) === comparable(b)) return 1;
  return foldDiacritics(a) === foldDiacritics(b) ? NAME_FOLDED_AGREEMENT : 0;
}

/** Two values of a field agree: names and text as written (tone placement aside), dates in normal form. */
const sameValue = (a: string, b: string) => comparable(a) === comparable(b);

/** The original's field a change's words name (changeWords), for one subject: a name or birth date is the subject's. */
export function changedField(described: string | null, subject: { name: string; birth: string }): string | null {
  return described === 'Name' ? subject.name : described === 'birthDate' ? subject.birth : described;
}

/**
 * Judges one change against the archive's entries at its reference (pure: the database part is `resolveChanges`).
 * The first reason that holds is given; a resolution's confidence is the name's agreement times the least trust
 * of the change's fields.
 */
export function judgeChange(fields: ChangeFields, candidates: readonly Candidate[]): Resolution {
  const ref = parseReference(fields);
  if (ref.type === null || ref.office === null || ref.bookNo === null || ref.year === null || ref.entryNo === null || !fields.personName?.value) {
    return { status: 'review', reason: 'reference_unreadable', targetEntryId: null, confidence: 0 };
  }
  if (candidates.length === 0) return { status: 'review', reason: 'original_not_found', targetEntryId: null, confidence: 0 };
  if (candidates.length > 1) return { status: 'review', reason: 'original_ambiguous', targetEntryId: null, confidence: 0 };
  const target = candidates[0]!;
  const trust = Math.min(...CHANGE_FIELDS.map((key) => {
    const f = fields[key];
    if (!f?.value) return OPTIONAL_CHANGE_FIELDS.has(key) ? 1 : 0;
    return f.status === 'verified' || f.status === 'auto_accepted' ? 1 : Math.min(f.confidence, RESOLVE_AT - 0.01);
  }));
  // whose entry it is: the subject (a marriage has two) whose name agrees best with the person's
  const person = fields.personName.value;
  const described = fields.changeContent?.value ? changeWords(foldDiacritics(fields.changeContent.value)) : null;
  // the register may name the person by the name the change gives them: then the name before it is the original's
  const before = described?.field === 'Name' && fields.oldValue?.value && fields.newValue?.value && nameAgreement(person, fields.newValue.value) > 0 ? fields.oldValue.value : null;
  const agreement = (name: string) => Math.max(nameAgreement(person, name), before ? nameAgreement(before, name) : 0);
  const subjects = SUBJECTS[target.registerType]
    .map((s) => ({ ...s, agreement: target.fields[s.name] ? agreement(target.fields[s.name]!) : 0 }))
    .sort((a, b) => b.agreement - a.agreement);
  const subject = subjects[0]!;
  const review = (reason: ChangeReason, confidence: number): Resolution => ({ status: 'review', reason, targetEntryId: target.entryId, confidence });
  if (subject.agreement === 0) return review('name_disagrees', 0);
  const mapped = described ? changedField(described.field, subject) : null;
  if (!described || !mapped || !(FIELD_KEYS[target.registerType] as readonly string[]).includes(mapped)) return review('field_unknown', 0);
  // the values in the field's normal form (a date in figures becomes ISO), as the original's are stored
  const parsedNew = fields.newValue?.value ? parseField(mapped, fields.newValue.value) : null;
  const newValue = parsedNew?.value ?? null;
  const current = target.fields[mapped] ?? null;
  // only a value before the change the register left blank is the original's own; one written but not readable
  // as the field's value is no evidence the change starts from what the entry says
  const oldWritten = fields.oldValue?.value || null;
  const parsedOld = oldWritten ? parseField(mapped, oldWritten) : null;
  const oldValue = oldWritten ? (parsedOld?.value ?? null) : current;
  // trust is 1 or below RESOLVE_AT; the name agrees at least NAME_FOLDED_AGREEMENT (= RESOLVE_AT) once trusted
  const confidence = subject.agreement * trust;
  if (trust < 1) return review('change_fields_unsure', confidence);
  // read as one value and normalised to another (a surname's or unit's marks, capitals): a person compares them
  if (parsedNew?.corrected || parsedOld?.corrected) return review('value_corrected', confidence * 0.5);
  if ((newValue === null && described.kind !== 'addition') || (oldWritten && oldValue === null)) return review('value_unparsed', confidence * 0.5);
  // an addition fills a field the entry lacked; a correction or change must start from what the entry says
  if (described.kind !== 'addition' && current && oldValue && !sameValue(oldValue, current)) return review('old_value_differs', confidence * 0.5);
  return {
    status: 'resolved', targetEntryId: target.entryId, confidence,
    event: { kind: described.kind, field: mapped, oldValue, newValue, date: fields.registrationDate?.value ?? null },
  };
}
