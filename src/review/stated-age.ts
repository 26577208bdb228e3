import type { AgeDerivation } from '../../schemas/api.ts';
import type { CorpusRegisterType } from '../../schemas/corpus.ts';
import { eraOfYear, ERAS, type Era } from '../../schemas/jobs.ts';
import { yearFromAge } from './keying.ts';

/** The fields a book's form may have asked as a parent's age (src/review/keying.ts AGE_LINES). */
export const PARENT_YEARS = ['motherBirthYear', 'fatherBirthYear'] as const;

/** The era of an entry's form: its book's, else the one of the entry's year (or the book's first year). */
export function entryEra(bookEra: string | null, year: number | null): Era | null {
  return (ERAS as readonly string[]).includes(bookEra ?? '') ? (bookEra as Era) : year ? eraOfYear(year) : null;
}

/**
 * The age a parent's birth-year line states, as read or keyed ("30 tuổi", "30"; extraction and keying keep it as the
 * field's raw text); null for a year written on the line ("1940") or anything else.
 *
 * @example statedAge('30 tuổi') // 30
 */
export function statedAge(raw: string | null): number | null {
  const text = (raw ?? '').normalize('NFC').trim().replace(/[.,]$/, '');
  const age = /^(\d{1,3})(?:\s*tuổi)?$/u.exec(text);
  return age ? Number(age[1]) : null;
}

/**
 * How a parent's birth year was come by, when the book's form asked the parent's age (keying.ts yearFromAge): worked
 * out from that age, with the age while the stored year still follows from it and the child's birth year (a year a
 * person set otherwise: age null). Null when the value is as the book wrote it: a form asking the year, a year written
 * on the age line ("1940"), or a year taken from an electronic record (that record's).
 *
 * @example ageDerivation({ registerType: 'birth', era: '1961-1998', field: 'motherBirthYear', value: '1945', raw: '30 tuổi', source: 'verifier', childYear: 1975 })
 * // { from: 'stated_age', age: 30 }
 */
export function ageDerivation(input: {
  registerType: string;
  era: Era | null;
  field: string;
  value: string | null;
  raw: string | null;
  source: string;
  childYear: number | null;
}): AgeDerivation | null {
  if (!input.value || !input.era || !(PARENT_YEARS as readonly string[]).includes(input.field)) return null;
  if (!yearFromAge(input.registerType as CorpusRegisterType, input.era, input.field)) return null;
  if (input.source === 'existing_record' || /^\d{4}$/.test((input.raw ?? '').trim().replace(/[.,]$/, ''))) return null;
  const age = statedAge(input.raw);
  const follows = age !== null && input.childYear !== null && input.childYear - age === Number(input.value);
  return { from: 'stated_age', age: follows ? age : null };
}
