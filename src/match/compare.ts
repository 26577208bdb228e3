/**
 * Fellegi–Sunter comparison of two records: each comparison (a name, a date, a place, …) gives an agreement
 * level; each level has a weight log2(m/u), where m is how often two records of the same event show that
 * level and u how often two records of different events do. The weights add up to the pair's match weight;
 * the explanation keeps every comparison's level and weight, so a person (and an audit) sees why.
 */
import levenshtein from 'fast-levenshtein';
import { comparePlaces } from '../places/gazetteer.ts';
import { compareDates, type DateAgreement } from '../text/normalise.ts';
import type { Features, NameFeature, PlaceFeature } from './features.ts';
import type { MatchModel } from './model.ts';
import { UNSURE_WEIGHT_CAP } from './trust.ts';

export type NameAgreement = 'exact' | 'variant' | 'typo_elsewhere' | 'typo_given' | 'different';
export type YearAgreement = 'exact' | 'near' | 'different';
export type CodeAgreement = 'exact' | 'different';
export type PlaceLevel = 'exact' | 'same_unit' | 'same_province' | 'different';

/** Every comparison matching makes, with the kind of level it gives. */
export type ComparisonKind = 'name' | 'date' | 'year' | 'code' | 'place';

export interface Comparison {
  /** Which comparison ("fullName", "birthDate", "parentName", …). */
  comparison: string;
  kind: ComparisonKind;
  level: string;
  weight: number;
  /** The m and u the weight came from (weight = log2(m/u), before any cap). */
  m?: number;
  u?: number;
  /** Set when a field compared may be misread: its weight is capped (UNSURE_WEIGHT_CAP) and it vouches for nothing. */
  unsure?: true;
}

/**
 * How two names agree: `exact` (same once case, spacing, Unicode form and tone placement are set aside),
 * `variant` (same without diacritics, regional surname variants merged), `typo_elsewhere` (the given names
 * agree and the rest is a typo or a dropped middle name away), `typo_given` (a typo away, but in the given
 * name: as close as twins' names can be), `different`.
 */
export function compareNames(a: NameFeature, b: NameFeature): NameAgreement {
  if (a.comparable === b.comparable) return 'exact';
  if (a.key === b.key) return 'variant';
  const distance = levenshtein.get(a.key, b.key);
  if (a.given === b.given && a.given !== '' && (distance <= 2 || (a.surname === b.surname && a.surname !== ''))) return 'typo_elsewhere';
  if (distance <= 2 && a.given.length + b.given.length > 0 && a.given[0] === b.given[0] && a.surname === b.surname) return 'typo_given';
  return 'different';
}

export const compareYears = (a: string, b: string): YearAgreement => (a === b ? 'exact' : Math.abs(Number(a) - Number(b)) <= 1 ? 'near' : 'different');

const placeLevel = (a: PlaceFeature, b: PlaceFeature): PlaceLevel => {
  const level = comparePlaces(a, b);
  return level === 'missing' ? 'different' : level;
};

/**
 * The comparisons of each register type: which fields, compared how. A comparison is made only when both
 * records have the field (a missing value is neither for nor against). Parents' residences are one
 * comparison, not two, since they are mostly the same address.
 */
interface ComparisonSpec {
  comparison: string;
  kind: ComparisonKind;
  /** Field keys, tried in order: the first both records have is compared. */
  fields: string[];
}

const spec = (comparison: string, kind: ComparisonKind, fields: string[] = [comparison]): ComparisonSpec => ({ comparison, kind, fields });

export const COMPARISONS: Readonly<Record<Features['registerType'], readonly ComparisonSpec[]>> = {
  birth: [
    spec('fullName', 'name'), spec('birthDate', 'date'), spec('sex', 'code'), spec('idNumber', 'code'),
    spec('motherName', 'name'), spec('fatherName', 'name'), spec('motherBirthYear', 'year'), spec('fatherBirthYear', 'year'),
    spec('birthPlace', 'place'), spec('parentResidence', 'place', ['motherResidence', 'fatherResidence']), spec('registrationDate', 'date'),
  ],
  death: [
    spec('fullName', 'name'), spec('birthDate', 'date'), spec('sex', 'code'), spec('idNumber', 'code'), spec('deathDate', 'date'),
    spec('deathPlace', 'place'), spec('residence', 'place'), spec('registrationDate', 'date'),
  ],
  marriage: [
    spec('husbandName', 'name'), spec('husbandBirthDate', 'date'), spec('wifeName', 'name'), spec('wifeBirthDate', 'date'),
    spec('husbandIdNumber', 'code'), spec('wifeIdNumber', 'code'), spec('husbandResidence', 'place'), spec('wifeResidence', 'place'),
    spec('registrationDate', 'date'),
  ],
  recognition: [
    spec('childName', 'name'), spec('childBirthDate', 'date'), spec('parentName', 'name'), spec('parentBirthDate', 'date'),
    spec('childIdNumber', 'code'), spec('parentIdNumber', 'code'), spec('childResidence', 'place'), spec('parentResidence', 'place'),
    spec('registrationDate', 'date'),
  ],
  guardianship: [
    spec('wardName', 'name'), spec('wardBirthDate', 'date'), spec('guardianName', 'name'), spec('guardianBirthDate', 'date'),
    spec('wardIdNumber', 'code'), spec('guardianIdNumber', 'code'), spec('wardResidence', 'place'), spec('guardianResidence', 'place'),
    spec('registrationDate', 'date'),
  ],
  // a change registered twice (a second copy of the book): the person, the entry it changes, when
  change: [spec('personName', 'name'), spec('personBirthDate', 'date'), spec('refEntryNo', 'code'), spec('refDate', 'date'), spec('registrationDate', 'date')],
};

/** The level of one comparison and the field it compared, or null when a record lacks the field. */
function levelOf(s: ComparisonSpec, a: Features, b: Features): { level: string; field: string } | null {
  for (const field of s.fields) {
    let level: string | null = null;
    if (s.kind === 'name') {
      const [x, y] = [a.names[field], b.names[field]];
      if (x && y) level = compareNames(x, y);
    } else if (s.kind === 'date') {
      const [x, y] = [a.dates[field], b.dates[field]];
      if (x && y) level = field === 'registrationDate' ? registrationLevel(compareDates(x, y), x, y) : compareDates(x, y);
    } else if (s.kind === 'place') {
      const [x, y] = [a.places[field], b.places[field]];
      if (x && y) level = placeLevel(x, y);
    } else {
      const [x, y] = [a.codes[field], b.codes[field]];
      if (x && y) level = s.kind === 'year' ? compareYears(x, y) : x === y ? 'exact' : 'different';
    }
    if (level !== null) return { level, field };
  }
  return null;
}

/** Registration dates: the same day (the same entry, or its second copy), within a season, or later (a re-registration). */
function registrationLevel(level: DateAgreement, a: string, b: string): string {
  if (level === 'exact' || level === 'compatible') return 'exact';
  const days = Math.abs(Date.parse(a.padEnd(10, '-01').slice(0, 10)) - Date.parse(b.padEnd(10, '-01').slice(0, 10))) / 86_400_000;
  return days <= 90 ? 'near' : 'different';
}

/** A comparison's level between two records, before weighing; `unsure` when either side may be misread. */
export interface Compared {
  comparison: string;
  kind: ComparisonKind;
  level: string;
  unsure: boolean;
}

/** Every comparison two records of one register type allow, with its level. */
export function compareRecords(a: Features, b: Features): Compared[] {
  const out: Compared[] = [];
  for (const s of COMPARISONS[a.registerType]) {
    const compared = levelOf(s, a, b);
    if (compared !== null) out.push({ comparison: s.comparison, kind: s.kind, level: compared.level, unsure: a.unsure.has(compared.field) || b.unsure.has(compared.field) });
  }
  return out;
}

const significant = (x: number) => Number(x.toPrecision(3));

/**
 * Compares two records and weighs each comparison with `model`.
 * @example scorePair(a, b, DEFAULT_MODEL) // { score: 31.2, comparisons: [{ comparison: 'fullName', level: 'exact', weight: 8.6, m: 0.8, u: 0.002 }, …] }
 */
export function scorePair(a: Features, b: Features, model: MatchModel): { score: number; comparisons: Comparison[] } {
  const comparisons: Comparison[] = compareRecords(a, b).map(({ comparison, kind, level, unsure }) => {
    const [m, u] = model.mu(comparison, kind, level);
    const full = Math.log2(m / u);
    const weight = unsure ? Math.max(-UNSURE_WEIGHT_CAP, Math.min(UNSURE_WEIGHT_CAP, full)) : full;
    return { comparison, kind, level, weight: Math.round(weight * 100) / 100, m: significant(m), u: significant(u), ...(unsure ? { unsure: true as const } : {}) };
  });
  const score = model.prior + comparisons.reduce((sum, c) => sum + c.weight, 0);
  return { score: Math.round(score * 100) / 100, comparisons };
}
