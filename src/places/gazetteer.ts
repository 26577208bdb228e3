/**
 * Place resolution through the dated gazetteer: a place as written on the day of registration ("P. Bạch Mai,
 * Q. Hai Bà Trưng, HN", "Tiểu khu Bạch Mai, Khu phố Hai Bà Trưng, Hà Nội", "Phường Bạch Mai, Thành phố Hà
 * Nội") → the unit it lies in today. The written form is always kept; this only says which places are the
 * same. The facts are in gazetteer-data.ts.
 */
import levenshtein from 'fast-levenshtein';
import { comparable, foldDiacritics } from '../text/normalise.ts';
import { DISTRICTS, PROVINCES, REFORM_2025, type DatedName, type DistrictData } from './gazetteer-data.ts';

/** What a written place resolved to, as precisely as the text and the gazetteer allow. */
export interface ResolvedPlace {
  /** Today's province, e.g. "Hà Nội". */
  province: string | null;
  /** The district it was in (abolished 2025; a stable id), when known. */
  district: string | null;
  /** Today's commune-level unit ("Phường Bạch Mai"), when known. */
  commune: string | null;
  /**
   * One key for "the same place today": province + commune when the commune is known, else province +
   * district, else the province; the provinces it may be in ("a or b") when its province's name of the
   * date covered several of today's; null when nothing was recognised.
   */
  key: string | null;
}

/** Kinds of unit as written, full or abbreviated, lower-cased and folded; the name follows them. */
const KINDS: readonly [RegExp, 'commune' | 'district' | 'province' | 'any'][] = [
  [/^(?:(?:phuong|xa|thi tran|tieu khu)\s+|(?:p|x|tt)\.\s*)/u, 'commune'],
  [/^(?:(?:quan|huyen|thi xa|khu pho)\s+|(?:q|h|tx)\.\s*)/u, 'district'],
  [/^(?:tinh\s+|t\.\s*)/u, 'province'],
  [/^(?:(?:thanh pho|tp)\s+|tp\.\s*)/u, 'any'],
];
export const ALIASES: Readonly<Record<string, string>> = { hn: 'ha noi', 'ha noi': 'ha noi', hcm: 'ho chi minh', tphcm: 'ho chi minh' };

/**
 * The ways a name joined from two ("Bà Rịa - Vũng Tàu", "Thừa Thiên - Huế") is written: with a hyphen or a dash,
 * spaced or not, or without it.
 */
function joinedNameSpellings(name: string): string[] {
  const halves = name.split(/\s*[-–]\s*/u);
  if (halves.length < 2) return [name];
  return [' - ', '-', ' – ', '–', ' '].map((joint) => halves.join(joint));
}
/** The kinds of `KINDS` as they are spelled (`comparable`), for `placeSpelledAsKnown`. */
export const KIND_SPELLINGS = new Set(
  ['phường', 'xã', 'thị trấn', 'tiểu khu', 'p.', 'x.', 'tt.', 'quận', 'huyện', 'thị xã', 'khu phố', 'q.', 'h.', 'tx.', 'tỉnh', 't.', 'thành phố', 'tp', 'tp.'].map(comparable),
);

/** A unit's kind at the start of a part, as `comparable` spells it, full or abbreviated. */
/** Units' kinds written out before a unit's name ("phường Bạch Mai", "thị xã Sơn Tây"). */
export const UNIT_KINDS_WRITTEN = ['phường', 'xã', 'thị trấn', 'tiểu khu', 'quận', 'huyện', 'thị xã', 'khu phố', 'tỉnh', 'thành phố'] as const;
export const KIND_WORDING = new RegExp(`^(?:(?:${[...UNIT_KINDS_WRITTEN, 'tp'].join('|')})\\s+|(?:p|x|tt|q|h|tx|t|tp)\\.\\s*)`, 'u');
const ALIAS_WORDING: Readonly<Record<string, string>> = { hn: 'hà nội', hcm: 'hồ chí minh', tphcm: 'hồ chí minh' };

/**
 * A written place as its words once units' kinds and their abbreviations are set aside ("P. Bạch Mai, Q. Hai Bà Trưng,
 * HN" and "Phường Bạch Mai, Quận Hai Bà Trưng, Thành phố Hà Nội" are written alike), marks kept (tone placement
 * unified); house lines, streets and institutions stay word for word. Two places written alike are one place; two that
 * resolve to one unit today need not be (two houses of one ward, two provinces merged in 2025).
 */
export function placeWording(written: string): string {
  return written.split(/[,;]/u).map((raw) => {
    const name = comparable(raw).replace(KIND_WORDING, '').trim();
    return ALIAS_WORDING[name] ?? name;
  }).filter(Boolean).join(', ');
}

export interface Part {
  kind: 'commune' | 'district' | 'province' | 'any' | null;
  name: string;
  /** The whole part, for names that begin like a kind ("Phương Liên" folds to "phuong lien"). */
  whole: string;
}

/** The comma-separated parts of a written place, each with its kind (if written) and folded name. */
export function splitPlace(written: string): Part[] {
  return written.split(/[,;]/u).flatMap((raw) => {
    let part = partCache.get(raw);
    if (part === undefined) {
      part = parsePart(foldDiacritics(raw));
      // Unit names repeat endlessly across a million records, house lines rarely: a bounded memo is enough.
      if (partCache.size > 200_000) partCache.clear();
      partCache.set(raw, part);
    }
    return part ? [part] : [];
  });
}

const partCache = new Map<string, Part | null>();


function parsePart(text: string): Part | null {
  if (!text) return null;
  for (const [re, kind] of KINDS) {
    const m = re.exec(text);
    if (m && text.length > m[0].length) return { kind, name: ALIASES[text.slice(m[0].length)] ?? text.slice(m[0].length), whole: text };
  }
  return { kind: null, name: ALIASES[text] ?? text, whole: text };
}

const inSpan = (iso: string | undefined, s: { from?: string; to?: string }): boolean => !iso || ((!s.from || iso >= s.from) && (!s.to || iso < s.to));
const key = (...parts: (string | null)[]) => parts.filter(Boolean).map((p) => foldDiacritics(p!)).join('|');

export interface Index {
  /** Every unit name, folded → as spelled (comparable: lower case, tone placement unified). */
  spellings: Map<string, string[]>;
  provinces: Map<string, { today: string; names: DatedName[] }[]>;
  districts: Map<string, DistrictData[]>;
  communes: Map<string, { district: DistrictData; kind: string; today: string }[]>;
  todayCommunes: Map<string, { district: DistrictData; today: string }[]>;
}

let index: Index | null = null;
/** The gazetteer's names indexed, built on first use (also for the checks of written places, written-place.ts). */
export const gazetteerIndex = (): Index => (index ??= buildIndex());
function buildIndex(): Index {
  const add = <T>(map: Map<string, T[]>, k: string, v: T) => (map.get(k) ?? map.set(k, []).get(k)!).push(v);
  const built: Index = { spellings: new Map(), provinces: new Map(), districts: new Map(), communes: new Map(), todayCommunes: new Map() };
  for (const p of PROVINCES) {
    for (const n of p.names) for (const spelled of joinedNameSpellings(n.name)) add(built.provinces, foldDiacritics(spelled), { today: p.today, names: [n] });
    add(built.provinces, foldDiacritics(p.today), { today: p.today, names: [{ kind: '', name: p.today, from: REFORM_2025 }] });
  }
  for (const d of DISTRICTS) {
    for (const n of d.names) if (!(built.districts.get(foldDiacritics(n.name)) ?? []).includes(d)) add(built.districts, foldDiacritics(n.name), d);
    for (const [kind, name, today] of d.communes) {
      add(built.communes, foldDiacritics(name), { district: d, kind, today });
      if (today) add(built.todayCommunes, foldDiacritics(today.replace(/^(Phường|Xã|Đặc khu) /u, '')), { district: d, today });
    }
  }
  const names = [
    ...PROVINCES.flatMap((p) => [...p.names.flatMap((n) => joinedNameSpellings(n.name)), p.today]),
    ...DISTRICTS.flatMap((d) => [...d.names.map((n) => n.name), ...d.communes.flatMap(([, name, today]) => [name, today.replace(/^(Phường|Xã|Đặc khu) /u, '')])]),
  ];
  for (const name of new Set(names.filter(Boolean))) add(built.spellings, foldDiacritics(name), comparable(name));
  return built;
}

/** Today's province of a district on a date (the last one when the date is unknown or after its end). */
function provinceOfDistrict(d: DistrictData, iso?: string): string | null {
  const span = d.province.find((p) => inSpan(iso, p)) ?? d.province.at(-1);
  return PROVINCES.find((p) => p.id === span?.id)?.today ?? null;
}

/**
 * Resolves a written place to today's unit. `date` (ISO, any precision) is the day it was written (the
 * registration date): it decides between units that bore the same name at different times. A commune name
 * that several districts have is only taken when a district or province written beside it, or the date,
 * singles one out.
 *
 * @example
 * resolvePlace('Số 12 phố Huế, P. Bạch Mai, Q. Hai Bà Trưng, HN', '1999-04-02');
 * // { province: 'Hà Nội', district: 'hai-ba-trung', commune: 'Phường Bạch Mai', key: 'ha noi|phuong bach mai' }
 */
export function resolvePlace(written: string | null | undefined, date?: string | null): ResolvedPlace {
  const none: ResolvedPlace = { province: null, district: null, commune: null, key: null };
  if (!written) return none;
  index ??= buildIndex();
  const iso = date && /^\d{4}/u.test(date) ? date : undefined;
  // Only parts naming a known unit count (not the house or hamlet line), and a date only through the
  // period between two name changes it falls in: places written alike in one period resolve alike.
  const parts = splitPlace(written).filter((p) => isKnown(index!, p.name) || isKnown(index!, p.whole));
  const memoKey = `${parts.map((p) => p.whole).join(',')}@${iso === undefined ? -1 : periodOf(iso)}`;
  let resolved = resolvedCache.get(memoKey);
  if (!resolved) {
    resolved = resolveParts(parts, iso);
    if (resolvedCache.size > 100_000) resolvedCache.clear();
    resolvedCache.set(memoKey, resolved);
  }
  return resolved;
}

const resolvedCache = new Map<string, ResolvedPlace>();

/** Whether a folded name is some unit's, of any level and time. */
export const isKnown = (ix: Index, name: string) =>
  ix.provinces.has(name) || ix.districts.has(name) || ix.communes.has(name) || ix.todayCommunes.has(name);

/** Every date a name or a membership changed on, sorted: between two of them, nothing changes. */
let boundaries: string[] | null = null;
function periodOf(iso: string): number {
  boundaries ??= [
    ...new Set([
      REFORM_2025,
      ...PROVINCES.flatMap((p) => p.names.flatMap((n) => [n.from, n.to])),
      ...DISTRICTS.flatMap((d) => [...d.names, ...d.province].flatMap((n) => [n.from, n.to])),
    ].filter((d): d is string => d !== undefined)),
  ].sort();
  let period = 0;
  while (period < boundaries.length && iso >= boundaries[period]!) period++;
  return period;
}

function resolveParts(parts: Part[], iso: string | undefined): ResolvedPlace {
  const none: ResolvedPlace = { province: null, district: null, commune: null, key: null };
  const named = (kinds: Part['kind'][]) => [...new Set(parts.flatMap((p) => (kinds.includes(p.kind) ? [p.name, p.whole] : [p.whole])))];

  // A province name that two provinces bore at different times names the one of the date; a name written
  // after its end (an old birthplace) still names the unit that bore it
  const provinceHits = named(['province', 'any']).flatMap((n) => index!.provinces.get(n) ?? []);
  // (undated, the names still borne: "Tỉnh Đắk Lắk" asked of the API is today's Đắk Lắk)
  const provinceHitsOfDate = provinceHits.filter((p) => p.names.some((n) => (iso === undefined ? n.to === undefined : inSpan(iso, n))));
  const provinceNames = new Set((provinceHitsOfDate.length ? provinceHitsOfDate : provinceHits).map((p) => p.today));
  const districts = new Set(named(['district', 'any']).flatMap((n) => index!.districts.get(n) ?? []));
  const fitsDistrict = (d: DistrictData) => (districts.size === 0 || districts.has(d)) && (provinceNames.size === 0 || provinceNames.has(provinceOfDistrict(d, iso) ?? ''));

  // Historical commune names with their district, then the merged units' own names (written after 2025).
  // Addresses run from the smallest unit to the largest: the first part naming a commune is the commune
  // ("Bồ Đề, Long Biên, Hà Nội": Long Biên is also a ward's name, but here the district's).
  const communeNames = (p: Part) => (p.kind === 'commune' ? [p.name, p.whole] : [p.whole]);
  const communeHits =
    parts
      .map((p) => communeNames(p).flatMap((n) => (index!.communes.get(n) ?? []).filter((c) => fitsDistrict(c.district))))
      .find((hits) => hits.length > 0) ?? [];
  const dated = communeHits.filter((c) => c.district.names.some((n) => inSpan(iso, n)) || (iso !== undefined && iso >= REFORM_2025));
  const communes = dated.length ? dated : communeHits;
  const distinct = (values: (string | null)[]) => [...new Set(values)];
  if (communes.length && distinct(communes.map((c) => `${provinceOfDistrict(c.district, iso)}|${c.today || c.district.id}`)).length === 1) {
    const c = communes[0]!;
    const province = provinceOfDistrict(c.district, iso);
    const district = distinct(communes.map((x) => x.district.id)).length === 1 ? c.district.id : null;
    return { province, district, commune: c.today || null, key: c.today ? key(province, c.today) : key(province, c.district.id) };
  }
  const todayHits = named(['commune']).flatMap((n) => index!.todayCommunes.get(n) ?? []).filter((c) => provinceNames.size === 0 || provinceNames.has(provinceOfDistrict(c.district) ?? ''));
  if (!communes.length && todayHits.length && distinct(todayHits.map((c) => c.today)).length === 1) {
    const province = provinceOfDistrict(todayHits[0]!.district);
    return { province, district: null, commune: todayHits[0]!.today, key: key(province, todayHits[0]!.today) };
  }
  const fitting = [...districts].filter(fitsDistrict);
  if (fitting.length === 1) {
    const province = provinceOfDistrict(fitting[0]!, iso);
    return { province, district: fitting[0]!.id, commune: null, key: key(province, fitting[0]!.id) };
  }
  if (provinceNames.size === 1) {
    const [province] = provinceNames;
    return { province: province!, district: null, commune: null, key: key(province!) };
  }
  // a province's name that covered several of today's ("Nghệ Tĩnh" in 1985, "Lai Châu" before 2004): a known
  // place, whose province today only its smaller units could tell
  if (provinceNames.size > 1 && districts.size === 0) return { ...none, key: [...provinceNames].map((p) => key(p)).sort().join(' or ') };
  return none;
}

/**
 * How two written places agree: `exact` (same text once normalised), `same_unit` (same commune, or same
 * district when a side names no commune), `same_province`, `different`, or `missing`.
 */
export type PlaceAgreement = 'exact' | 'same_unit' | 'same_province' | 'different' | 'missing';

export function comparePlaces(a: ResolvedPlace & { text: string }, b: ResolvedPlace & { text: string }): PlaceAgreement {
  if (!a.text || !b.text) return 'missing';
  if (foldDiacritics(a.text) === foldDiacritics(b.text)) return 'exact';
  if (!a.province || !b.province) {
    // "Nghệ Tĩnh" (1976–1991) is today's Nghệ An or Hà Tĩnh: the same province as either, as far as it tells
    const other = possibleProvinces(b);
    return possibleProvinces(a).some((p) => other.includes(p)) ? 'same_province' : 'different';
  }
  if (a.province !== b.province) return 'different';
  if (a.commune && b.commune) return a.commune === b.commune ? 'same_unit' : 'same_province';
  if (a.district && b.district) return a.district === b.district ? 'same_unit' : 'same_province';
  return 'same_province';
}

/** Today's provinces a place may be in (folded): its province, or those its key names when it names several. */
const possibleProvinces = (p: ResolvedPlace): string[] => (p.province ? [key(p.province)] : (p.key?.split(' or ') ?? []));
