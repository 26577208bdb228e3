/**
 * Family links across registers: a child's birth record ↔ the parents' marriage record, a birth
 * record ↔ the same person's death record, and a birth ↔ the recognition of that child's parent or the
 * guardianship of that child (registers of their own from 2006). They are candidates for a person to use (a family tree, a
 * check of a certificate), never merged: each is stored with its score and explanation (table
 * family_link) by the match stage, found by family keys (familyKeys) in the same GIN index as matching.
 */
import { compareDates } from '../text/normalise.ts';
import { compareNames, compareYears, type Comparison } from './compare.ts';
import type { Features, PlaceFeature } from './features.ts';
import type { MatchModel } from './model.ts';
import { comparePlaces } from '../places/gazetteer.ts';
import { UNSURE_WEIGHT_CAP } from './trust.ts';

export type FamilyKind = 'parents_marriage' | 'same_person_death' | 'recognised_child' | 'ward';

/** The registers about one person the birth is of, with the fields that name that person. */
const ABOUT_THE_CHILD = {
  death: { kind: 'same_person_death', name: 'fullName', birth: 'birthDate' },
  recognition: { kind: 'recognised_child', name: 'childName', birth: 'childBirthDate' },
  guardianship: { kind: 'ward', name: 'wardName', birth: 'wardBirthDate' },
} as const;

/** log2 prior odds that two records sharing a family key are so related (a couple's names, a name and birth year). */
const FAMILY_PRIOR = -10;
/** Links scoring below this (log2 odds) are not kept: even odds at least. */
export const FAMILY_KEEP_AT = 0;

/**
 * The family keys of a record, by what it is in a family: a birth is a couple's child ("c", the father's
 * and mother's names) and a person born in a year ("p", name and birth year); a marriage is a couple; a
 * death is a person born in a year. `own` are stored with the record; `sought` are the keys the related
 * register stores. Keys carry the register type, so a lookup never reads records of its own type (a
 * sibling's birth shares the couple) only to drop them.
 *
 * @example familyKeys(recordFeatures('marriage', { husbandName: 'Lê Văn Sơn', wifeName: 'Đỗ Thị Mai' }))
 * // { own: ['marriage:fc:le van son:do thi mai'], sought: ['birth:fc:le van son:do thi mai'] }
 */
export function familyKeys(f: Features): { own: string[]; sought: string[] } {
  const t = f.registerType;
  const couple = t === 'birth' ? [f.names.fatherName, f.names.motherName] : t === 'marriage' ? [f.names.husbandName, f.names.wifeName] : [];
  const coupleKey = couple[0] && couple[1] ? `fc:${couple[0].key}:${couple[1].key}` : null;
  const about = t === 'birth' ? { name: 'fullName', birth: 'birthDate' } : t === 'marriage' || t === 'change' ? null : ABOUT_THE_CHILD[t];
  const [name, birth] = about ? [f.names[about.name], f.dates[about.birth]] : [undefined, undefined];
  const personKey = name && birth ? `fp:${name.key}:${birth.slice(0, 4)}` : null;
  const own: string[] = [];
  const sought: string[] = [];
  if (coupleKey) {
    own.push(`${t}:${coupleKey}`);
    sought.push(`${t === 'birth' ? 'marriage' : 'birth'}:${coupleKey}`);
  }
  if (personKey) {
    own.push(`${t}:${personKey}`);
    if (t === 'birth') sought.push(...Object.keys(ABOUT_THE_CHILD).map((other) => `${other}:${personKey}`));
    else sought.push(`birth:${personKey}`);
  }
  return { own, sought };
}

/** The kind of family link two records of these types could have, with the birth record first. */
function orient(a: Features, b: Features): { kind: FamilyKind; birth: Features; other: Features } | null {
  const [birth, other] = a.registerType === 'birth' ? [a, b] : [b, a];
  if (birth.registerType !== 'birth') return null;
  if (other.registerType === 'marriage') return { kind: 'parents_marriage', birth, other };
  // a change is tied to the entry it changes by its reference (src/extract/changes.ts), not by family
  if (other.registerType === 'birth' || other.registerType === 'change') return null;
  return { kind: ABOUT_THE_CHILD[other.registerType].kind, birth, other };
}

/**
 * A shared address says little here: family members share one whoever they are. Its weight is capped
 * at this many bits (either sign).
 */
const PLACE_CAP = 2;

const place = (a: PlaceFeature, b: PlaceFeature): string => {
  const level = comparePlaces(a, b);
  return level === 'missing' ? 'different' : level;
};
const days = (iso: string) => Date.parse(iso.padEnd(10, '-01').slice(0, 10)) / 86_400_000;

/**
 * Scores a possible family link between two records (either order), or null when their types allow
 * none or a date rules it out (a death before the birth). Weights are the matching model's for names,
 * years, dates and places; the order of events has weights of its own.
 */
export function scoreFamily(a: Features, b: Features, model: MatchModel): { kind: FamilyKind; score: number; comparisons: Comparison[] } | null {
  const o = orient(a, b);
  if (!o) return null;
  const { birth, other } = o;
  const comparisons: Comparison[] = [];
  const add = (comparison: string, kind: Comparison['kind'], level: string, fields: [string, string], full = model.weight(fields[0], kind, level)) => {
    const weight = kind === 'place' ? Math.max(-PLACE_CAP, Math.min(PLACE_CAP, full)) : full;
    const unsure = birth.unsure.has(fields[0]) || other.unsure.has(fields[1]);
    const w = unsure ? Math.max(-UNSURE_WEIGHT_CAP, Math.min(UNSURE_WEIGHT_CAP, weight)) : weight;
    comparisons.push({ comparison, kind, level, weight: Math.round(w * 100) / 100, ...(unsure ? { unsure: true as const } : {}) });
  };
  if (o.kind === 'parents_marriage') {
    for (const [parent, spouse, year, spouseBirth, residence] of [
      ['fatherName', 'husbandName', 'fatherBirthYear', 'husbandBirthDate', 'husbandResidence'],
      ['motherName', 'wifeName', 'motherBirthYear', 'wifeBirthDate', 'wifeResidence'],
    ] as const) {
      const [p, s] = [birth.names[parent], other.names[spouse]];
      if (p && s) add(`${parent}~${spouse}`, 'name', compareNames(p, s), [parent, spouse]);
      const [y, d] = [birth.codes[year], other.dates[spouseBirth]];
      if (y && d) add(`${year}~${spouseBirth}`, 'year', compareYears(y, d.slice(0, 4)), [year, spouseBirth]);
      const [home, spouseHome] = [birth.places.motherResidence ?? birth.places.fatherResidence, other.places[residence]];
      if (home && spouseHome && parent === 'motherName') add(`parentResidence~${residence}`, 'place', place(home, spouseHome), ['motherResidence', residence]);
    }
    // a child is born after the wedding is registered, or a little before it (registered late), within a fertile span
    const [born, wed] = [birth.dates.birthDate, other.dates.registrationDate];
    if (born && wed) {
      const gap = (days(born) - days(wed)) / 365.25;
      const level = gap >= -2 && gap <= 30 ? 'plausible' : 'implausible';
      add('birthDate~registrationDate', 'date', level, ['birthDate', 'registrationDate'], level === 'plausible' ? 1 : -6);
    }
  } else {
    // the same person: the one born, and the one who died, was recognised or is a ward
    const about = ABOUT_THE_CHILD[other.registerType as keyof typeof ABOUT_THE_CHILD];
    const [n1, n2] = [birth.names.fullName, other.names[about.name]];
    if (n1 && n2) add('fullName', 'name', compareNames(n1, n2), ['fullName', about.name]);
    const [b1, b2] = [birth.dates.birthDate, other.dates[about.birth]];
    if (b1 && b2) add('birthDate', 'date', compareDates(b1, b2), ['birthDate', about.birth]);
    const [s1, s2] = [birth.codes.sex, other.codes.sex];
    if (s1 && s2) add('sex', 'code', s1 === s2 ? 'exact' : 'different', ['sex', 'sex']);
    const died = other.dates.deathDate;
    if (b1 && died && died.length === 10 && b1.length === 10 && died < b1) return null;
    const home = birth.places.motherResidence ?? birth.places.fatherResidence;
    const theirs = other.places.residence ?? other.places.childResidence ?? other.places.wardResidence;
    if (home && theirs) add('parentResidence~residence', 'place', place(home, theirs), ['motherResidence', 'residence']);
  }
  if (!comparisons.length) return null;
  const score = FAMILY_PRIOR + comparisons.reduce((sum, c) => sum + c.weight, 0);
  return { kind: o.kind, score: Math.round(score * 100) / 100, comparisons };
}
