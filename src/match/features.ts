/**
 * What matching knows about one record, scanned entry or existing record alike: the fields it compares in
 * their comparison forms, and the blocking keys that find its candidates with an index. Computed once per
 * record (stored with existing records at import, with entries by the match stage), so comparing is cheap.
 */
import type { CorpusRegisterType } from '../../schemas/corpus.ts';
import { resolvePlace } from '../places/gazetteer.ts';
import { comparable, foldDiacritics, nameKey, parsePreciseDate, splitName, surnameKey } from '../text/normalise.ts';

export type Fields = Readonly<Record<string, string | undefined>>;

/** One person's name in every form a comparison needs. */
export interface NameFeature {
  text: string;
  /** Lower case, one tone placement. */
  comparable: string;
  /** Folded, regional surname variants merged. */
  key: string;
  surname: string;
  given: string;
}

export interface PlaceFeature {
  text: string;
  /** Today's unit (gazetteer), or null when it did not resolve. */
  province: string | null;
  district: string | null;
  commune: string | null;
  /** The gazetteer's key; it names the provinces a place may be in when its old province covered several. */
  key: string | null;
}

/** The comparison forms of one record; absent fields are absent. */
export interface Features {
  registerType: CorpusRegisterType;
  names: Record<string, NameFeature>;
  dates: Record<string, string>;
  places: Record<string, PlaceFeature>;
  /** Exact-compare fields: sex, ID numbers, parents' birth years, death time. */
  codes: Record<string, string>;
  /** Fields that may be misread (src/match/trust.ts); `entryNo` there means the record's identity is unsure. */
  unsure: ReadonlySet<string>;
}

/** Whose name and birth date identify a record of each type (a marriage has two people). */
export const SUBJECTS: Readonly<Record<CorpusRegisterType, readonly { name: string; birth: string; event?: string }[]>> = {
  birth: [{ name: 'fullName', birth: 'birthDate' }],
  death: [{ name: 'fullName', birth: 'birthDate', event: 'deathDate' }],
  marriage: [
    { name: 'husbandName', birth: 'husbandBirthDate' },
    { name: 'wifeName', birth: 'wifeBirthDate' },
  ],
  recognition: [
    { name: 'childName', birth: 'childBirthDate' },
    { name: 'parentName', birth: 'parentBirthDate' },
  ],
  guardianship: [
    { name: 'wardName', birth: 'wardBirthDate' },
    { name: 'guardianName', birth: 'guardianBirthDate' },
  ],
  change: [{ name: 'personName', birth: 'personBirthDate' }],
};

const NAME = /Name$/u;
const DATE = /Date$/u;
const PLACE = /(Place|Residence|^residence|^hometown)$/u;
const CODE = /^(sex|idNumber|deathTime)$|(IdNumber|BirthYear)$/u;
/** Fields that say nothing about who the record is about (the clerk, free notes). */
const IGNORED = new Set(['registrarName', 'notes', 'declarantRelation', 'deathCause', 'deathNoticeRef', 'ethnicity', 'nationality']);

export function nameFeature(text: string): NameFeature {
  const parts = splitName(text);
  return { text, comparable: comparable(text), key: nameKey(text), surname: parts.surname ? surnameKey(parts.surname) : '', given: foldDiacritics(parts.given) };
}

/**
 * Places as resolved before (stored with the record): field → [province, district, commune, key]; rows
 * stored before the key was kept have three.
 */
export type ResolvedPlaces = Record<string, [string | null, string | null, string | null, (string | null)?]>;

/**
 * The comparison forms of a record's fields (already NFC; imports repair them first). Places are resolved
 * at the record's registration date, when they were written, unless `resolved` already holds them.
 */
export function recordFeatures(registerType: CorpusRegisterType, fields: Fields, resolved?: ResolvedPlaces, unsure: Iterable<string> = []): Features {
  const features: Features = { registerType, names: {}, dates: {}, places: {}, codes: {}, unsure: new Set(unsure) };
  const writtenOn = fields.registrationDate;
  for (const [key, raw] of Object.entries(fields)) {
    const value = raw?.trim();
    if (!value || IGNORED.has(key) || /(Ethnicity|Nationality)$/u.test(key)) continue;
    if (NAME.test(key)) features.names[key] = nameFeature(value);
    else if (DATE.test(key)) {
      if (parsePreciseDate(value)) features.dates[key] = value;
    } else if (PLACE.test(key)) {
      const known = resolved?.[key];
      features.places[key] = known ? { text: value, province: known[0], district: known[1], commune: known[2], key: known[3] ?? null } : { text: value, ...pick(resolvePlace(value, writtenOn)) };
    }
    else if (CODE.test(key)) features.codes[key] = key === 'sex' ? value.toLowerCase() : value.replace(/\D/gu, '') || value;
  }
  return features;
}

const pick = (p: ReturnType<typeof resolvePlace>) => ({ province: p.province, district: p.district, commune: p.commune, key: p.key });

/** The resolved places of `f`, to store beside the record. */
export const resolvedPlaces = (f: Features): ResolvedPlaces =>
  Object.fromEntries(Object.entries(f.places).map(([k, p]) => [k, [p.province, p.district, p.commune, p.key]]));

/**
 * The blocking keys of a record: two records become candidates when one looks up a key the other stores.
 * Each key alone is selective (a name with a birth year; a full birth date with the given name or the
 * surname, which survives a typo in the other part; the name with the mother's or spouse's; the mother's
 * name with the birth year; an ID number), and together they tolerate one fault anywhere. Keys carry the
 * register type, so types never meet.
 *
 * Keys made of a name and a year (`n`, `r`, `m`) are shared by every namesake of that year: at 10^6
 * records a common name brings a hundred candidates. Two records that both have a full birth date meet
 * through the date keys (`g`, `s`) or the parents' (`p`) instead, so those name-and-year keys are only
 * needed when a side lacks the full date. Every record stores them; a record without a full birth date
 * also stores them marked `~` (`n~`, …). A record looks up the plain ones when it lacks the full date
 * itself (it must meet everyone), and only the marked ones when it has it (it meets the records that
 * lack theirs). `lookup` is what a record searches with, `stored` what it is found by.
 *
 * @example blockingKeys(recordFeatures('birth', { fullName: 'Huỳnh Thị Hoà', birthDate: '1962-03-15' }))
 * // { stored: ['birth:n:hoang thi hoa:1962', 'birth:g:1962-03-15:hoa', 'birth:s:1962-03-15:hoang'],
 * //   lookup: ['birth:n~:hoang thi hoa:1962', 'birth:g:1962-03-15:hoa', 'birth:s:1962-03-15:hoang'] }
 */
export function blockingKeys(f: Features): { stored: string[]; lookup: string[] } {
  const t = f.registerType;
  const plain = new Set<string>();
  const byName = new Set<string>();
  for (const subject of SUBJECTS[t]) {
    const name = f.names[subject.name];
    const birth = f.dates[subject.birth];
    const year = birth?.slice(0, 4) ?? '?';
    if (name) {
      byName.add(`n:${name.key}:${year}`);
      if (subject.event && f.dates[subject.event]) plain.add(`${t}:e:${name.key}:${f.dates[subject.event]!.slice(0, 4)}`);
    }
    // A full date with one part of the name survives a typo in the other part.
    for (const date of [birth, subject.event ? f.dates[subject.event] : undefined]) {
      if (!name || !date || date.length !== 10) continue;
      if (name.given) plain.add(`${t}:g:${date}:${name.given}`);
      if (name.surname) plain.add(`${t}:s:${date}:${name.surname}`);
    }
  }
  // The subject's name with the mother's (a spouse's): selective without any date, for records whose
  // dates were left out; and the mother's name with the birth year, for a typo in the subject's name.
  const subject = f.names[SUBJECTS[t][0]!.name];
  const second = t === 'birth' ? (f.names.motherName ?? f.names.fatherName) : t === 'marriage' ? f.names.wifeName : t === 'recognition' ? f.names.parentName : t === 'guardianship' ? f.names.guardianName : undefined;
  const subjectBirth = f.dates[SUBJECTS[t][0]!.birth];
  if (second && subject) plain.add(`${t}:p:${subject.key}:${second.key}`);
  // The name with the registration year: for records that lost every date of the person.
  if (subject && f.dates.registrationDate) byName.add(`r:${subject.key}:${f.dates.registrationDate.slice(0, 4)}`);
  if (second && subjectBirth && t === 'birth') byName.add(`m:${second.key}:${subjectBirth.slice(0, 4)}`);
  for (const [key, value] of Object.entries(f.codes)) if (/idNumber$|IdNumber$/u.test(key) && value.length >= 9) plain.add(`${t}:i:${value}`);
  // Full birth date of every subject (a marriage has two): the record meets namesakes through dates.
  const dated = SUBJECTS[t].every((s) => f.dates[s.birth]?.length === 10);
  const marked = [...byName].map((k) => `${t}:${k.replace(':', '~:')}`);
  const unmarked = [...byName].map((k) => `${t}:${k}`);
  return { stored: [...unmarked, ...plain, ...(dated ? [] : marked)], lookup: [...(dated ? marked : unmarked), ...plain] };
}

/** The folded name key and birth year of the record's (first) subject, for display and simple search. */
export function subjectKey(f: Features): { nameKey: string | null; birthYear: number | null } {
  const subject = SUBJECTS[f.registerType][0]!;
  const birth = f.dates[subject.birth];
  return { nameKey: f.names[subject.name]?.key ?? null, birthYear: birth ? Number(birth.slice(0, 4)) : null };
}
