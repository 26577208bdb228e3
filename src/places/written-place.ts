/**
 * Checks of a place as a person or OCR wrote it against the gazetteer (gazetteer.ts): whether its units' names are
 * spelled as known ones, whether a unit is cut short or stops at its commune, whether a kind was lost; and a written
 * place respelled with its units' marks. They judge the writing; resolving a place to today's unit is gazetteer.ts.
 */
import levenshtein from 'fast-levenshtein';
import { comparable, foldDiacritics } from '../text/normalise.ts';
import { ALIASES, KIND_SPELLINGS, KIND_WORDING, gazetteerIndex, isKnown, splitPlace, type Index, type Part } from './gazetteer.ts';

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
  const ix = gazetteerIndex();
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
  const ix = gazetteerIndex();
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
  const ix = gazetteerIndex();
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
  const index = gazetteerIndex();
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
  const ix = gazetteerIndex();
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
  const ix = gazetteerIndex();
  const parts = splitPlace(written);
  return parts.some((part, i) => part.kind === null && partLevel(ix, part) === 'commune' && parts.slice(i + 1).some((later) => later.kind !== null));
}

/** A part names a province and nothing else: by its kind, or by a name only a province bears ("Hà Nội", not "Thái Bình"). */
function provinceOnly(ix: Index, part: Part): boolean {
  if (!ix.provinces.has(part.name)) return false;
  if (part.kind === 'province') return true;
  return (part.kind === null || part.kind === 'any') && !ix.districts.has(part.name) && !ix.communes.has(part.name) && !ix.todayCommunes.has(part.name);
}

/**
 * Whether a written place runs on past its province into another place: addresses run from the smallest unit to the
 * largest and end with the province, so a unit named after a province (a part that names nothing but a province) is
 * another place, and so is a part that is no unit's name but a province's name with a unit's name glued on ("Hà Nội
 * Tân Hòa": the line break between two values read as a space). Seed 3301, b17: a form's birth place took the home
 * town typed on the line below, its label lost ("Bệnh viện Thanh Nhàn, Hai Bà Trưng, Hà Nội Tân Hòa, Vũ Thư, Thái
 * Bình", accepted at 0.99, the gazetteer resolving it to Vũ Thư). What follows a parenthesis or "nay" (a remark on
 * the unit's present name) is not judged; a province also a district's or commune's name may be either, and is not
 * taken for the end.
 *
 * @example
 * placeRunsOn('Bệnh viện Thanh Nhàn, Hai Bà Trưng, Hà Nội Tân Hòa, Vũ Thư, Thái Bình'); // true
 * placeRunsOn('Phường Bạch Mai, Hai Bà Trưng, Hà Nội, Đông Hưng, Thái Bình'); // true
 * placeRunsOn('Phường Bạch Mai, Quận Hai Bà Trưng, Thành phố Hà Nội'); // false
 */
export function placeRunsOn(written: string): boolean {
  const ix = gazetteerIndex();
  let ended = false;
  for (const raw of written.split(/[,;]/u)) {
    if (/[()]/u.test(raw) || /^\s*nay\b/iu.test(raw)) return false;
    const part = splitPlace(raw)[0];
    if (!part) continue;
    const known = isKnown(ix, part.name) || isKnown(ix, part.whole);
    if (ended && known && !provinceOnly(ix, part)) return true;
    if (ended && provinceOnly(ix, part) && !sameProvinceAsBefore(ix, part, written)) return true;
    if (provinceOnly(ix, part)) ended = true;
    else if (!known && gluedAfterProvince(ix, part.whole)) return true;
  }
  return false;
}

/** Whether a province part names the province an earlier province part named (written twice: "Hà Nội, HN"). */
function sameProvinceAsBefore(ix: Index, part: Part, written: string): boolean {
  const provinces = splitPlace(written).filter((p) => provinceOnly(ix, p)).map((p) => ix.provinces.get(p.name)![0]!.today);
  return provinces[0] === ix.provinces.get(part.name)![0]!.today;
}

/** Whether folded words begin with a name only a province bears and go on with a unit's name ("ha noi tan hoa"). */
function gluedAfterProvince(ix: Index, whole: string): boolean {
  const words = whole.trim().split(/\s+/u);
  for (let k = 1; k < words.length; k++) {
    const head: Part = { kind: null, name: words.slice(0, k).join(' '), whole: words.slice(0, k).join(' ') };
    if (provinceOnly(ix, head) && isKnown(ix, words.slice(k).join(' '))) return true;
  }
  return false;
}
