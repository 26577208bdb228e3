/**
 * Vietnamese text and dates in the forms matching compares: NFC with single spaces, one tone-mark
 * placement for "oa, oe, uy" (hoà/hòa, thuý/thúy), a diacritic-free fold, regional surname variants as one
 * key (Hoàng/Huỳnh, Vũ/Võ), names split into surname, middle and given name, and ISO dates with their
 * precision. What is stored and displayed stays as written; these forms only decide what counts as equal.
 */

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/u;
const TONES_ALL = /[\u0300\u0301\u0303\u0309\u0323]/gu;
const COMBINING = /[\u0300-\u036f]/gu;

// Text without combining marks is already NFC for every letter Vietnamese uses; skipping normalize() then
// matters when a million records are keyed.
const HAS_COMBINING = /[\u0300-\u036f]/u;

/** NFC with single spaces and no leading or trailing space: the normal form of every stored text. */
export const normaliseSpaces = (s: string): string => (HAS_COMBINING.test(s) ? s.normalize('NFC') : s).replace(/\s+/gu, ' ').trim();

const toneOf = (c: string): string => c.normalize('NFD').match(TONE_MARKS)?.[0] ?? '';
const stripTone = (c: string): string => c.normalize('NFD').replace(TONES_ALL, '').normalize('NFC');
const addTone = (c: string, tone: string): string => (c.normalize('NFD') + tone).normalize('NFC');

/**
 * The word with the tone mark of its open "oa", "oe" or "uy" ending on the other vowel, or null when it has
 * no second placement: a final consonant fixes the mark (hoàng, huỳnh), after "q" the "u" belongs to the
 * consonant (quý), and an unmarked ending has nothing to move.
 */
function otherPlacement(word: string): string | null {
  const cs = [...word];
  const [a, b] = [cs.at(-2), cs.at(-1)];
  if (a === undefined || b === undefined) return null;
  if (!['oa', 'oe', 'uy'].includes((stripTone(a) + stripTone(b)).toLowerCase()) || cs.at(-3)?.toLowerCase() === 'q') return null;
  const toneA = toneOf(a);
  const toneB = toneOf(b);
  if (!toneA === !toneB) return null;
  const moved = toneA ? [stripTone(a), addTone(b, toneA)] : [addTone(a, toneB), stripTone(b)];
  return [...cs.slice(0, -2), ...moved].join('');
}

// A word is a run of letters (and their combining marks); everything else separates words.
const WORD = /[\p{L}\p{M}]+/gu;

/**
 * The same text with the tone mark of one movable "oa/oe/uy" ending moved (hoà ↔ hòa, thuỷ ↔ thủy): one
 * variant per such word, in text order. Both placements are accepted spellings (DOMAIN.md).
 * @example tonePlacementVariants('Nguyễn Thị Hoà') // ['Nguyễn Thị Hòa']
 */
export function tonePlacementVariants(text: string): string[] {
  const nfc = text.normalize('NFC');
  const variants: string[] = [];
  for (const m of nfc.matchAll(WORD)) {
    const moved = otherPlacement(m[0]);
    if (moved !== null) variants.push(nfc.slice(0, m.index) + moved + nfc.slice(m.index + m[0].length));
  }
  return variants;
}

/**
 * The text with its first movable tone mark on the other vowel, or unchanged when none can move.
 * @example swapTonePlacement('Thủy Tiên') // 'Thuỷ Tiên'
 */
export const swapTonePlacement = (text: string): string => tonePlacementVariants(text)[0] ?? text;

/**
 * One placement for every movable tone mark: on the second vowel ("hoà", "thuý", "khoẻ"), the placement
 * of current orthography. Two spellings of one word get the same form.
 * @example unifyTonePlacement('Hòa Thủy') // 'Hoà Thuỷ'
 */
export function unifyTonePlacement(text: string): string {
  return text.normalize('NFC').replace(WORD, (word) => {
    const cs = [...word];
    const first = cs.at(-2);
    return first !== undefined && toneOf(first) ? (otherPlacement(word) ?? word) : word;
  });
}

/**
 * Lower case, single spaces, one tone placement: two spellings that differ only in case, spacing, Unicode
 * form or tone placement compare equal.
 * @example comparable(' NGUYỄN  Thị Hòa') // 'nguyễn thị hoà'
 */
export const comparable = (text: string): string => unifyTonePlacement(normaliseSpaces(text).toLowerCase());

/**
 * Without any diacritic, "đ" as "d", lower case, single spaces: for blocking and for a weak agreement
 * level when the marks were lost (OCR, a typist without a Vietnamese keyboard).
 * @example foldDiacritics('Đặng Thị Thuỷ') // 'dang thi thuy'
 */
export const foldDiacritics = (text: string): string =>
  normaliseSpaces(text)
    .toLowerCase()
    .replace(/[^\x00-\x7f]/gu, (c) => FOLDED.get(c) ?? c.normalize('NFD').replace(COMBINING, ''));

/** Every lower-case Vietnamese letter and its base letter ("ễ" → "e", "đ" → "d"), for folding without normalize(). */
const FOLDED = new Map<string, string>([['đ', 'd']]);
for (const base of 'aăâeêioôơuưy') {
  for (const tone of ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323']) {
    const letter = (base + tone).normalize('NFC');
    FOLDED.set(letter, letter.normalize('NFD').replace(COMBINING, ''));
  }
}

/**
 * Regional spellings of one surname (DOMAIN.md), keyed by their folded form: each maps to one
 * representative. Extend here; matching compares surnames through `surnameKey`.
 */
export const SURNAME_VARIANT_KEYS: Readonly<Record<string, string>> = { huynh: 'hoang', vo: 'vu' };

/** The folded surname with regional variants merged: "Huỳnh" and "Hoàng" give "hoang". */
export const surnameKey = (surname: string): string => {
  const folded = foldDiacritics(surname);
  return SURNAME_VARIANT_KEYS[folded] ?? folded;
};

export interface NameParts {
  surname: string;
  /** Zero, one or more middle names, space-separated. */
  middle: string;
  given: string;
}

/**
 * Surname (first word), given name (last word) and middle names (the rest), in the written spelling.
 * One word is taken as a given name only. Compound surnames (Tôn Nữ, Âu Dương) count as surname + middle,
 * which costs nothing when both sides are written alike.
 * @example splitName('Nguyễn Thị Thu Hà') // { surname: 'Nguyễn', middle: 'Thị Thu', given: 'Hà' }
 */
export function splitName(fullName: string): NameParts {
  const words = normaliseSpaces(fullName).split(' ').filter(Boolean);
  if (words.length === 0) return { surname: '', middle: '', given: '' };
  if (words.length === 1) return { surname: '', middle: '', given: words[0]! };
  return { surname: words[0]!, middle: words.slice(1, -1).join(' '), given: words.at(-1)! };
}

/**
 * The key a name is compared and blocked by: folded, regional surname variants merged, tone placement
 * irrelevant (folding drops it). "Huỳnh Thị Hoà" and "Hoàng Thị Hòa" share it.
 * @example nameKey('Huỳnh Thị Hoà') // 'hoang thi hoa'
 */
export function nameKey(fullName: string): string {
  const { surname, middle, given } = splitName(fullName);
  return [surname ? surnameKey(surname) : '', foldDiacritics(middle), foldDiacritics(given)].filter(Boolean).join(' ');
}

// ───────── dates with their precision ─────────

export type DatePrecision = 'day' | 'month' | 'year';

export interface PreciseDate {
  year: number;
  month: number | null;
  day: number | null;
  precision: DatePrecision;
}

/**
 * An ISO date with its precision ("1962-03-15", "1962-03", "1962"), or null when the text is not one
 * (or names a day that does not exist).
 * @example parsePreciseDate('1962-03') // { year: 1962, month: 3, day: null, precision: 'month' }
 */
export function parsePreciseDate(text: string | null | undefined): PreciseDate | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/u.exec((text ?? '').trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] === undefined ? null : Number(m[2]);
  const day = m[3] === undefined ? null : Number(m[3]);
  if (month !== null && (month < 1 || month > 12)) return null;
  if (day !== null && month !== null) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  }
  return { year, month, day, precision: day !== null ? 'day' : month !== null ? 'month' : 'year' };
}

/**
 * How two dates agree, strongest first:
 * - `exact`: same date at the same precision;
 * - `compatible`: the less precise one contains the other (a year-only date and any day of that year):
 *   an agreement, but a weak one, since the year alone is shared by many;
 * - `swapped`: day and month exchanged (a typist's slip);
 * - `near`: within 31 days, or one digit of the year apart on the same day and month;
 * - `different`.
 * `missing` when either side has no date.
 */
export type DateAgreement = 'exact' | 'compatible' | 'swapped' | 'near' | 'different' | 'missing';

/** @example compareDates('1962', '1962-03-15') // 'compatible' */
export function compareDates(a: string | null | undefined, b: string | null | undefined): DateAgreement {
  const x = parsePreciseDate(a);
  const y = parsePreciseDate(b);
  if (!x || !y) return 'missing';
  if (x.precision === y.precision && x.year === y.year && x.month === y.month && x.day === y.day) return 'exact';
  if (x.year === y.year && (x.month === null || y.month === null || (x.month === y.month && (x.day === null || y.day === null)))) return 'compatible';
  if (x.day !== null && y.day !== null && x.year === y.year && x.day === y.month && x.month === y.day) return 'swapped';
  if (x.day !== null && y.day !== null) {
    const days = Math.abs(Date.UTC(x.year, x.month! - 1, x.day) - Date.UTC(y.year, y.month! - 1, y.day)) / 86_400_000;
    if (days <= 31) return 'near';
    if (x.month === y.month && x.day === y.day && oneDigitApart(String(x.year), String(y.year))) return 'near';
  }
  return 'different';
}

const oneDigitApart = (a: string, b: string): boolean => a.length === b.length && [...a].filter((c, i) => c !== b[i]).length === 1;

/** The year of an ISO date of any precision, or of a 4-digit year string; null otherwise. */
export const yearOf = (text: string | null | undefined): number | null => parsePreciseDate(text)?.year ?? null;
