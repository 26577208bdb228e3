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
const ALIASES: Readonly<Record<string, string>> = { hn: 'ha noi', 'ha noi': 'ha noi', hcm: 'ho chi minh', tphcm: 'ho chi minh' };

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
const KIND_SPELLINGS = new Set(
  ['phường', 'xã', 'thị trấn', 'tiểu khu', 'p.', 'x.', 'tt.', 'quận', 'huyện', 'thị xã', 'khu phố', 'q.', 'h.', 'tx.', 'tỉnh', 't.', 'thành phố', 'tp', 'tp.'].map(comparable),
);

/** A unit's kind at the start of a part, as `comparable` spells it, full or abbreviated. */
const KIND_WORDING = /^(?:(?:phường|xã|thị trấn|tiểu khu|quận|huyện|thị xã|khu phố|tỉnh|thành phố|tp)\s+|(?:p|x|tt|q|h|tx|t|tp)\.\s*)/u;
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

interface Part {
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

interface Index {
  /** Every unit name, folded → as spelled (comparable: lower case, tone placement unified). */
  spellings: Map<string, string[]>;
  provinces: Map<string, { today: string; names: DatedName[] }[]>;
  districts: Map<string, DistrictData[]>;
  communes: Map<string, { district: DistrictData; kind: string; today: string }[]>;
  todayCommunes: Map<string, { district: DistrictData; today: string }[]>;
}

let index: Index | null = null;
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

/** What a hamlet line starts with; the name after it is often a commune's old name ("Thôn Kiêu Kỵ"). */
const HAMLET = /^(?:thon|xom|ap|lang|ban|doi|to|khu|cum)\s+/u;

/**
 * Whether every part of a written place that names a known unit spells it as the gazetteer does, with
 * its diacritics: places resolve without diacritics (old books and typists drop them), so "Xã Kiêu Ky"
 * resolves like "Xã Kiêu Kỵ"; a value read with a tone mark OCR lost or added must not pass as right.
 * A hamlet named after a unit is checked the same way, and a unit whose name is one letter away from a
 * known unit's ("Xã Vên Phong" for Yên Phong) or a known name cut short ("Thành phố Hà") is a misread, not
 * a unit the gazetteer lacks.
 */
export function placeSpelledAsKnown(written: string): boolean {
  index ??= buildIndex();
  const ix = index;
  return written.split(/[,;]/u).every((raw) => {
    const part = splitPlace(raw)[0];
    if (!part) return true;
    const spelled = comparable(raw);
    // the unit's kind too: "Tĩnh Nam Định" resolves like "Tỉnh Nam Định" (unless the whole is a name, "Phương Liên")
    const kind = spelled.slice(0, spelled.length - part.name.length).trim();
    if (part.kind !== null && !ix.spellings.has(part.whole) && !KIND_SPELLINGS.has(kind)) return false;
    if (ALIASES[part.name] !== undefined) return true;
    const names = [part.name, part.whole, part.whole.replace(HAMLET, '')];
    const known = names.flatMap((n) => ix.spellings.get(n) ?? []);
    if (known.length > 0) return known.some((name) => spelled === name || spelled.endsWith(` ${name}`) || spelled.endsWith(`.${name}`));
    if (part.kind === null) return !endsInMisspelledUnit(ix, spelled);
    return !misreadKnownName(ix, part.name);
  });
}

/**
 * Whether a part that is no unit ends in a unit's name spelled with other marks: a hospital or health station
 * named after its district or commune ("Bệnh viện Đa khoa Hà Dông" for Hà Đông, seed 2921). Its last two or three
 * words are compared (unit names are of two or three words; one word is too often a word of another sense).
 */
function endsInMisspelledUnit(ix: Index, spelled: string): boolean {
  const words = spelled.split(' ').filter(Boolean);
  return [2, 3].some((n) => {
    if (words.length <= n) return false;
    const tail = words.slice(-n).join(' ');
    if (!/^[\p{L} ]+$/u.test(tail)) return false;
    const known = ix.spellings.get(foldDiacritics(tail));
    return known !== undefined && !known.includes(tail);
  });
}

/** A unit's name as the gazetteer spells it, each word capitalised as a unit's name is. */
const capitalised = (name: string) => name.replace(/(^|\s)(\p{L})/gu, (_m, space: string, letter: string) => space + letter.toUpperCase());

/**
 * The unit of a written place whose name is no unit's but the start of some, cut short by OCR losing a line's end or
 * by a hand, which a person must not confirm, nor a second reading accept, without a second look:
 * - the first part written with a unit's kind whose name only begins known names ("Phường Bạch" of Phường Bạch Đằng,
 *   Phường Bạch Mai…, "Quận Hai Bà" of Hai Bà Trưng, also cut within a word or without its marks);
 * - the last part of a place of two parts or more, written without a kind (a province as old registers give it:
 *   "Nghệ An", "Hà Nam Ninh"), that is the first word or words of a province's or district's name ("…, Nam Đàn, Nghệ":
 *   the last word wrapped onto a line the value lost).
 * A house line or a hamlet's name may be anything, and names of one letter are not judged. `known`: the names it may
 * be the start of, as the gazetteer spells them (at most five). Null when no unit is cut short.
 *
 * @example
 * placeCutShort('Số 4, Phường Bạch, Quận Hai Bà Trưng, Hà Nội'); // { unit: 'Phường Bạch', known: ['Bạch Mai'] }
 * placeCutShort('xã Xuân Hòa, huyện Nam Đàn, Nghệ'); // { unit: 'Nghệ', known: ['Nghệ An'] }
 * placeCutShort('xã Xuân Hòa, huyện Nam Đàn, Nghệ An'); // null
 */
export function placeCutShort(written: string): { unit: string; known: string[] } | null {
  index ??= buildIndex();
  const ix = index;
  const found = (unit: string, names: string[]) => ({ unit: unit.trim(), known: [...new Set(names)].map(capitalised).sort((a, b) => a.localeCompare(b, 'vi')).slice(0, 5) });
  const parts = written.split(/[,;]/u);
  for (const raw of parts) {
    const part = splitPlace(raw)[0];
    if (!part || part.kind === null || part.name.length < 2 || ALIASES[part.name] !== undefined) continue;
    if (isKnown(ix, part.name) || ix.spellings.has(part.name)) continue;
    // names it begins with its marks ("Bạch": Bạch Mai, not Bách Khoa); without them when the marks were lost
    const folded = [...ix.spellings.keys()].filter((name) => name.startsWith(part.name) && name.length > part.name.length).flatMap((name) => ix.spellings.get(name)!);
    if (folded.length === 0) continue;
    const spelled = comparable(raw).replace(KIND_WORDING, '').trim();
    const marked = folded.filter((name) => name.startsWith(spelled));
    return found(raw, marked.length ? marked : folded);
  }
  const filled = parts.filter((part) => part.trim());
  const last = filled.length > 1 ? splitPlace(filled.at(-1)!)[0] : undefined;
  if (!last || last.kind !== null || last.name.length < 2 || isKnown(ix, last.name)) return null;
  const begins = `${last.name} `;
  const names = [...ix.provinces.keys(), ...ix.districts.keys()].filter((name) => name.startsWith(begins));
  return names.length ? found(filled.at(-1)!, names.flatMap((name) => ix.spellings.get(name) ?? [name])) : null;
}

/**
 * A written place with the marks of its units' names as the gazetteer spells them, where OCR misread a tone
 * mark of a typed name ("Q. Hoàng Mại" → "Q. Hoàng Mai", "Hà Nôi" → "Hà Nội"), and a capital on each of
 * their words ("Quận cầu Giấy"): only a name whose letters (without marks) are those of a known unit, and of
 * no unit spelled otherwise, is respelled; the house line, street names and unknown names stay as read.
 *
 * @example
 * respellPlace('Số 12 phố Huế, P. Mịnh Khai, Q. Hai Bà Trưng, Hà Nôi'); // 'Số 12 phố Huế, P. Minh Khai, Q. Hai Bà Trưng, Hà Nội'
 */
export function respellPlace(written: string): string {
  index ??= buildIndex();
  const ix = index;
  return written
    .split(',')
    .map((raw) => {
      const part = splitPlace(raw)[0];
      const trimmed = raw.trimEnd();
      if (!part || part.name.length < 3) return raw;
      const spellings = [...new Set(ix.spellings.get(part.name) ?? [])];
      if (spellings.length !== 1) return raw;
      const known = [...spellings[0]!];
      const tail = [...trimmed].slice(-known.length);
      const written = tail.join('');
      // the name is the part's end, letter for letter (precomposed), and only its marks or case differ
      if (foldDiacritics(written) !== part.name || tail.length !== [...part.name].length) return raw;
      // a unit's name has a capital on every word ("Quận cầu Giấy" lost one); marks right, as written
      const startsWord = (i: number) => i === 0 || tail[i - 1] === ' ';
      const source = comparable(written) === spellings[0] ? [...written.toLowerCase()] : known;
      const respelled = source.map((c, i) => (startsWord(i) || tail[i] !== tail[i]!.toLowerCase() ? c.toUpperCase() : c)).join('');
      if (respelled === written) return raw;
      return trimmed.slice(0, trimmed.length - written.length) + respelled + raw.slice(trimmed.length);
    })
    .join(',');
}

/**
 * Whether a word is spelled as a word of a unit name the gazetteer holds (any case), e.g. "Đắk" of Đắk Lắk or "Kon" of
 * Kon Tum: the highlands' names are not Vietnamese syllables, but where the gazetteer holds them they are known.
 */
export function isUnitNameWord(word: string): boolean {
  index ??= buildIndex();
  unitNameWords ??= new Set([...index.spellings.values()].flat().flatMap((name) => name.split(' ')));
  return unitNameWords.has(comparable(word));
}

let unitNameWords: Set<string> | null = null;

/** Whether a unit's name is a known one with a letter misread ("ven phong") or its last word cut off ("thanh pho ha"). */
function misreadKnownName(ix: Index, name: string): boolean {
  if (!/[a-z]/.test(name)) return false;
  for (const known of ix.spellings.keys()) {
    if (known.startsWith(`${name} `)) return true;
    if (name.length >= 4 && Math.abs(known.length - name.length) <= 1 && levenshtein.get(known, name) === 1) return true;
  }
  return false;
}

/**
 * The level of the unit a part of a written place names: by its kind where one is written; else by the gazetteer,
 * a name some province or district bears counting as that (Hà Đông, Long Biên are wards' names too); null for a
 * part that names no unit (a house line, a street, a hamlet, a hospital).
 */
function partLevel(ix: Index, part: Part): 'commune' | 'above' | null {
  if (part.kind === 'commune') return 'commune';
  if (part.kind !== null) return 'above';
  if (ix.provinces.has(part.name) || ix.districts.has(part.name)) return 'above';
  return ix.communes.has(part.name) || ix.todayCommunes.has(part.name) ? 'commune' : null;
}

/**
 * Whether a written place stops at a commune, ward or township with no district, city or province after it
 * ("Số 13 phố Trần Khát Chân, Phường Quỳnh Lôi"): every such unit the gazetteer holds lies in one (before 2025 a
 * district, after it a province), and registers write the whole chain; a value that stops there most likely lost
 * its last line or words to extraction, and every word that is left is right, so nothing else shows it.
 *
 * @example
 * placeStopsAtCommune('Số 13 phố Trần Khát Chân, Phường Quỳnh Lôi'); // true
 * placeStopsAtCommune('Số 13 phố Trần Khát Chân, Phường Quỳnh Lôi, Quận Hai Bà Trưng'); // false
 */
export function placeStopsAtCommune(written: string): boolean {
  index ??= buildIndex();
  const ix = index;
  const levels = splitPlace(written).map((part) => partLevel(ix, part)).filter((level) => level !== null);
  return levels.at(-1) === 'commune';
}

/**
 * Whether a commune's name is written without its kind while a unit after it has its kind written ("Bình Minh, H.
 * Khoái Châu, T. Hưng Yên" for "X. Bình Minh, …"): registers write kinds for all of a place's units or for none,
 * so the first one's was lost (a stain, or a leader dot read over it).
 *
 * @example
 * unitKindLost('Bình Minh, H. Khoái Châu, T. Hưng Yên'); // true
 * unitKindLost('Bình Minh, Khoái Châu, Hưng Yên'); // false
 */
export function unitKindLost(written: string): boolean {
  index ??= buildIndex();
  const ix = index;
  const parts = splitPlace(written);
  return parts.some((part, i) => part.kind === null && partLevel(ix, part) === 'commune' && parts.slice(i + 1).some((later) => later.kind !== null));
}

const isKnown = (ix: Index, name: string) =>
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
  if (!a.province || !b.province) return 'different';
  if (a.province !== b.province) return 'different';
  if (a.commune && b.commune) return a.commune === b.commune ? 'same_unit' : 'same_province';
  if (a.district && b.district) return a.district === b.district ? 'same_unit' : 'same_province';
  return 'same_province';
}
