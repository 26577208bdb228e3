/**
 * The "already electronic" records of a corpus (existing.jsonl) and which scanned entries they repeat
 * (truth-links.json): the national civil-status database as an export would deliver it. Most recent books
 * are in it (entered since ~2016), fewer old ones (typed in by hand); its text carries what a real database
 * carries (typing errors, the other tone placement, regional surname spellings, missing fields, dates cut to
 * the year or with day and month swapped, decomposed Unicode, old TCVN3/VNI imports), and ~30% of it are
 * events no scanned book holds, some of them deliberately close to a scanned one (a namesake born the same
 * year, a twin).
 */
import type { BookTruth, ExistingRecord, Profile, TruthEntry } from '../../schemas/corpus.ts';
import type { Era } from '../../schemas/jobs.ts';
import { encodeLegacy, type LegacyEncoding } from '../text/legacy-encodings.ts';
import { tonePlacementVariants } from '../text/normalise.ts';
import { drawName, fullName as joinName, SURNAME_VARIANTS } from './names.ts';
import { at, Rng, type Weighted } from './rng.ts';
import { addDays, isoDate, parseIso, type Sex } from './vietnamese.ts';

type Fields = Record<string, string>;

export interface ExistingSourceBook {
  id: string;
  registerType: 'birth' | 'marriage' | 'death';
  era: Era;
  office: string;
  truth: BookTruth;
}

/** Share of a book's entries the database also holds: registered in it since 2016, typed in before. */
export const COVERAGE_BY_ERA: Readonly<Record<Era, number>> = {
  '1956-1960': 0.08,
  '1961-1998': 0.15,
  '1999-2005': 0.45,
  '2006-2015': 0.75,
  '2016-': 0.92,
};

/** Share of all existing records that match no scanned entry. */
export const UNMATCHED_SHARE = 0.3;

/**
 * How often each kind of noise hits a record. `tonePlacement` and `surnameVariant` count among records
 * that have a syllable or surname with another spelling; `nfd` and `legacy` are whole records (an import
 * is in one form), never both.
 */
export interface NoiseRates {
  typo: number;
  tonePlacement: number;
  surnameVariant: number;
  missingField: number;
  yearOnly: number;
  dayMonthSwap: number;
  nfd: number;
  legacy: number;
}
export const EXISTING_NOISE: Readonly<Record<Profile, NoiseRates>> = {
  clean: { typo: 0, tonePlacement: 0.05, surnameVariant: 0, missingField: 0.05, yearOnly: 0.02, dayMonthSwap: 0, nfd: 0, legacy: 0 },
  typical: { typo: 0.06, tonePlacement: 0.2, surnameVariant: 0.1, missingField: 0.15, yearOnly: 0.05, dayMonthSwap: 0.03, nfd: 0.1, legacy: 0.05 },
  hard: { typo: 0.15, tonePlacement: 0.35, surnameVariant: 0.2, missingField: 0.3, yearOnly: 0.12, dayMonthSwap: 0.08, nfd: 0.25, legacy: 0.15 },
};

/** Which legacy encoding an old import used: the books are northern, where TCVN3 dominated. */
const LEGACY_SHARE: Weighted<LegacyEncoding> = [['tcvn3', 0.7], ['vni', 0.3]];

/** Kinds of database-only events: a plain other event, a namesake born the same year, a twin. */
type Unmatched = 'other' | 'namesake' | 'twin';
const UNMATCHED_KINDS: Readonly<Record<ExistingSourceBook['registerType'], Weighted<Unmatched>>> = {
  birth: [['other', 0.5], ['namesake', 0.35], ['twin', 0.15]],
  death: [['other', 0.6], ['namesake', 0.4]],
  marriage: [['other', 0.6], ['namesake', 0.4]],
};

const NAME_KEY = /Name$/;
const DATE_KEY = /Date$/;
const ID_KEY = /^idNumber$|IdNumber$/;
const PLACE_KEY = /Place$|Residence$|^residence$|^hometown$/;
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The name that identifies a record; never dropped, kept by a namesake. */
const PRIMARY_NAME = { birth: 'fullName', death: 'fullName', marriage: 'husbandName' } as const;

interface Source {
  book: ExistingSourceBook;
  entry: TruthEntry;
  fields: Fields;
}

/**
 * The existing records for a corpus's books and the `sameEvent` pairs linking them to scanned entries.
 * Deterministic for a seed; ids ("E000123") are assigned in a shuffled order, so they say nothing about
 * which book a record repeats. Struck entries are never in the database.
 *
 * @example
 * const { existing, sameEvent } = makeExistingRecords({ books, seed: 42, profile: 'typical' });
 * // sameEvent: [["scan:b01/1962/12", "existing:E000017"], …]
 */
export function makeExistingRecords(input: { books: ExistingSourceBook[]; seed: number; profile: Profile }): {
  existing: ExistingRecord[];
  sameEvent: Array<[string, string]>;
} {
  const root = new Rng(input.seed).fork('existing');
  const rates = EXISTING_NOISE[input.profile];
  const sources = input.books.flatMap((book) => {
    const struck = new Set(book.truth.faults.flatMap((f) => (f.kind === 'struck_entry' ? [f.key] : [])));
    return book.truth.entries
      .filter((entry) => !entry.struck && !struck.has(entry.key))
      .map((entry) => ({ book, entry, fields: Object.fromEntries(Object.entries(entry.fields).map(([k, f]) => [k, f.value])) }));
  });

  const drafts: { record: DraftRecord; scanKey?: string }[] = [];
  for (const book of input.books) {
    const r = root.fork(`book:${book.id}`);
    for (const s of sources.filter((x) => x.book === book)) {
      if (!r.chance(COVERAGE_BY_ERA[book.era])) continue;
      drafts.push({ record: withNoise(book.registerType, s.fields, book.office, r, rates), scanKey: s.entry.key });
    }
  }

  const r = root.fork('unmatched');
  const unmatched = sources.length ? Math.round((drafts.length * UNMATCHED_SHARE) / (1 - UNMATCHED_SHARE)) : 0;
  for (let i = 0; i < unmatched; i++) {
    const s = r.pick(sources);
    const kind = r.weighted(UNMATCHED_KINDS[s.book.registerType]);
    const fields = databaseOnlyEvent(s, kind, sources, r);
    drafts.push({ record: withNoise(s.book.registerType, fields, s.book.office, r, rates) });
  }

  const existing: ExistingRecord[] = [];
  const sameEvent: Array<[string, string]> = [];
  root.fork('ids').shuffle(drafts).forEach((d, i) => {
    const id = `E${String(i + 1).padStart(6, '0')}`;
    existing.push({ id, ...d.record });
    if (d.scanKey) sameEvent.push([`scan:${d.scanKey}`, `existing:${id}`]);
  });
  return { existing, sameEvent };
}

// ───────── noise ─────────

interface DraftRecord {
  registerType: ExistingSourceBook['registerType'];
  fields: Fields;
  registeredAt: string;
}

function withNoise(registerType: DraftRecord['registerType'], truth: Fields, office: string, r: Rng, rates: NoiseRates): DraftRecord {
  const fields = { ...truth };
  const touched = new Set<string>();
  if (r.chance(rates.missingField)) dropFields(fields, PRIMARY_NAME[registerType], r);
  if (r.chance(rates.typo)) typo(fields, touched, r);
  // drawn for every record, applied where a spelling variant exists, so the rate holds among those
  if (r.chance(rates.tonePlacement)) changeOne(fields, touched, r, (k, v) => (NAME_KEY.test(k) || PLACE_KEY.test(k) ? tonePlacementVariants(v) : []));
  if (r.chance(rates.surnameVariant)) changeOne(fields, touched, r, (k, v) => (NAME_KEY.test(k) ? surnameVariants(v) : []));
  if (r.chance(rates.yearOnly)) changeOne(fields, touched, r, (k, v) => (DATE_KEY.test(k) && k !== 'registrationDate' && FULL_DATE.test(v) ? [v.slice(0, 4)] : []));
  if (r.chance(rates.dayMonthSwap)) changeOne(fields, touched, r, (k, v) => (DATE_KEY.test(k) ? dayMonthSwapped(v) : []));

  const form = r.next();
  const legacy = form < rates.legacy ? r.weighted(LEGACY_SHARE) : undefined;
  const nfd = !legacy && form < rates.legacy + rates.nfd;
  const write = (s: string): string => (legacy ? encodeLegacy(s, legacy) : nfd ? s.normalize('NFD') : s);
  return {
    registerType,
    fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, write(v)])),
    registeredAt: write(office),
  };
}

/** Replaces one not yet changed field by one of its variants, if any field has one. */
function changeOne(fields: Fields, touched: Set<string>, r: Rng, variants: (key: string, value: string) => string[]): void {
  const options = Object.entries(fields).flatMap(([k, v]) => (touched.has(k) ? [] : variants(k, v).map((nv) => [k, nv] as const)));
  if (!options.length) return;
  const [key, value] = r.pick(options);
  fields[key] = value;
  touched.add(key);
}

function dropFields(fields: Fields, keep: string, r: Rng): void {
  const droppable = Object.keys(fields).filter((k) => k !== keep && k !== 'wifeName');
  for (const k of r.sample(droppable, r.int(1, Math.min(3, droppable.length)))) delete fields[k];
}

/** A swapped, dropped or doubled letter in one word of a name (never its first letter: that is seen). */
function typo(fields: Fields, touched: Set<string>, r: Rng): void {
  changeOne(fields, touched, r, (k, v) => {
    if (!NAME_KEY.test(k)) return [];
    const words = v.split(' ');
    return words.flatMap((w, i) => {
      const cs = [...w];
      if (cs.length < 2) return [];
      const j = r.int(1, cs.length - 1);
      const edits = [[...cs.slice(0, j + 1), ...cs.slice(j)]];
      if (cs.length > 2) edits.push([...cs.slice(0, j), ...cs.slice(j + 1)]);
      if (j + 1 < cs.length && cs[j] !== cs[j + 1]) edits.push([...cs.slice(0, j), at(cs, j + 1), at(cs, j), ...cs.slice(j + 2)]);
      return [[...words.slice(0, i), r.pick(edits).join(''), ...words.slice(i + 1)].join(' ')];
    });
  });
}

function surnameVariants(name: string): string[] {
  const [surname, ...rest] = name.split(' ');
  const variant = surname === undefined ? undefined : SURNAME_VARIANTS[surname];
  return variant ? [[variant, ...rest].join(' ')] : [];
}

function dayMonthSwapped(value: string): string[] {
  const m = FULL_DATE.exec(value);
  if (!m) return [];
  const [, y, mm, dd] = m;
  return dd !== mm && Number(dd) <= 12 ? [`${y}-${dd}-${mm}`] : [];
}

// ───────── events only in the database ─────────

/**
 * An event the database holds and no scanned book does, made from a scanned entry `s`:
 * - other: a different person altogether (new names, dates, times, identity numbers and notice numbers;
 *   places from other entries);
 * - namesake: the same name and birth year, but other parents or spouse, other dates and places;
 * - twin: same parents, birth date and places, another given name (and perhaps sex).
 */
function databaseOnlyEvent(s: Source, kind: Unmatched, sources: readonly Source[], r: Rng): Fields {
  const f = { ...s.fields };
  const primary = PRIMARY_NAME[s.book.registerType];
  if (kind === 'twin') return twinOf(f, r);

  const keepName = (k: string) => k === 'registrarName' || (kind === 'namesake' && k === primary);
  const subjectBirthKey = primary === 'husbandName' ? 'husbandBirthDate' : 'birthDate';
  if (kind === 'other' && f.sex && r.chance(0.5)) f.sex = f.sex === 'male' ? 'female' : 'male';
  for (const k of Object.keys(f)) {
    const v = f[k] ?? '';
    if (DATE_KEY.test(k)) f[k] = k === subjectBirthKey && kind === 'namesake' ? otherDaySameYear(v, r) : shiftedDate(v, r);
    else if (/BirthYear$/.test(k) && /^\d{4}$/.test(v)) f[k] = String(Number(v) + r.pick([-3, -2, -1, 1, 2, 3]));
    else if (ID_KEY.test(k)) f[k] = otherIdNumber(v, r);
    else if (PLACE_KEY.test(k)) f[k] = otherValue(k, v, sources, r);
    else if (/Ref$/.test(k)) f[k] = v.replace(/\d+/gu, (n) => String(r.int(1, 10 ** n.length - 1)));
    else if (/Time$/.test(k) && /^\d{2}:\d{2}$/.test(v)) f[k] = `${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(0, 11) * 5).padStart(2, '0')}`;
  }
  // names after dates, so a name fits its owner's generation
  const childSurname = kind === 'namesake' && primary === 'fullName' ? f.fullName?.split(' ')[0] : undefined;
  for (const k of Object.keys(f)) {
    if (!NAME_KEY.test(k) || keepName(k)) continue;
    const surname = k === 'fatherName' ? childSurname : undefined;
    f[k] = joinName(drawName(r, sexOf(k, f, r), birthYearOf(k, f), surname));
  }
  if (kind === 'other' && f.fatherName && f.fullName) f.fullName = [f.fatherName.split(' ')[0], ...f.fullName.split(' ').slice(1)].join(' ');
  const declaredBy = DECLARANT_BY_RELATION[(f.declarantRelation ?? '').toLowerCase()];
  const declarant = declaredBy && f[declaredBy];
  if (f.declarantName && declarant) f.declarantName = declarant;
  keepRegistrationAfterEvent(f, r);
  return f;
}

/** The parent whose name a declarant of this relation gives (truth relations are written as on the page). */
const DECLARANT_BY_RELATION: Readonly<Record<string, string>> = { mẹ: 'motherName', 'mẹ đẻ': 'motherName', cha: 'fatherName', bố: 'fatherName', 'cha đẻ': 'fatherName', 'bố đẻ': 'fatherName' };

function twinOf(f: Fields, r: Rng): Fields {
  const words = (f.fullName ?? '').split(' ');
  const sex: Sex = f.sex === 'male' || f.sex === 'female' ? (r.chance(0.4) ? (f.sex === 'male' ? 'female' : 'male') : f.sex) : 'female';
  let given = words.at(-1) ?? '';
  for (let k = 0; k < 20 && given === words.at(-1); k++) given = drawName(r, sex, birthYearOf('fullName', f)).given;
  const middle = words.slice(1, -1).map((w) => (sex === 'female' && w === 'Văn' ? 'Thị' : sex === 'male' && w === 'Thị' ? 'Văn' : w));
  return {
    ...f,
    ...(f.sex ? { sex } : {}),
    fullName: [words[0] ?? '', ...middle, given].filter(Boolean).join(' '),
    ...(f.idNumber ? { idNumber: otherIdNumber(f.idNumber, r) } : {}),
  };
}

function sexOf(key: string, f: Fields, r: Rng): Sex {
  if (/^(mother|wife)/.test(key)) return 'female';
  if (/^(father|husband)/.test(key)) return 'male';
  if (key === 'fullName' && (f.sex === 'male' || f.sex === 'female')) return f.sex;
  return r.chance(0.5) ? 'male' : 'female';
}

function birthYearOf(key: string, f: Fields): number {
  const year = (v: string | undefined) => (v && /^\d{4}/.test(v) ? Number(v.slice(0, 4)) : undefined);
  const who = key.replace(/Name$/, '');
  return (
    (key === 'fullName' ? year(f.birthDate) : year(f[`${who}BirthYear`]) ?? year(f[`${who}BirthDate`])) ??
    (year(f.registrationDate) ?? 1990) - 30
  );
}

/** Another date of the same precision within a year or so. */
function shiftedDate(value: string, r: Rng): string {
  if (/^\d{4}$/.test(value)) return String(Number(value) + r.pick([-1, 1]));
  const full = FULL_DATE.test(value);
  const shifted = isoDate(addDays(parseIso(full ? value : `${value}-15`), r.pick([-1, 1]) * r.int(20, 400)));
  return full ? shifted : shifted.slice(0, value.length);
}

/** Another day of the same year (a year-only date stays as it is). */
function otherDaySameYear(value: string, r: Rng): string {
  if (!FULL_DATE.test(value)) return value;
  const d = parseIso(value);
  for (let k = 0; k < 10; k++) {
    const next = isoDate({ y: d.y, m: r.int(1, 12), d: r.int(1, 28) });
    if (next !== value) return next;
  }
  return value;
}

function keepRegistrationAfterEvent(f: Fields, r: Rng): void {
  const event = f.deathDate ?? f.birthDate;
  const reg = f.registrationDate;
  if (!event || !reg || !FULL_DATE.test(event) || !FULL_DATE.test(reg) || reg >= event) return;
  f.registrationDate = isoDate(addDays(parseIso(event), r.int(3, 60)));
}

/** The same kind of number (length, province and century/sex/year prefix of a 12-digit one), other digits. */
function otherIdNumber(value: string, r: Rng): string {
  if (!/^\d+$/.test(value)) return value;
  const keep = value.length === 12 ? 6 : Math.max(0, value.length - 6);
  let next = value;
  for (let k = 0; k < 10 && next === value; k++) next = value.slice(0, keep) + r.digits(value.length - keep);
  return next;
}

/** The value another entry has for `key`, if one differs. */
function otherValue(key: string, value: string, sources: readonly Source[], r: Rng): string {
  const others = [...new Set(sources.flatMap((s) => (s.fields[key] !== undefined && s.fields[key] !== value ? [s.fields[key]] : [])))];
  return others.length ? r.pick(others) : value;
}
