import { fieldKind } from '../extract/values.ts';
import { placeCutShort } from '../places/written-place.ts';
import { checkValue, type FieldCheck } from './field-rules.js';

export type CutShort = { unit: string; known: string[] };

/** A place value whose unit's name is only the start of known names (places/written-place.ts placeCutShort); null for any other field. */
export function cutShortOf(field: string, value: string | null | undefined): CutShort | null {
  return value && fieldKind(field) === 'place' ? placeCutShort(value) : null;
}

/** Why a place cut short is refused, in the words every form gives it. */
export const cutShortMessage = (cut: CutShort): string =>
  `«${cut.unit}» không phải tên một đơn vị hành chính mà chỉ là phần đầu của tên ${cut.known.map((k) => `«${k}»`).join(', ')}: có thể bị cắt ngắn. Hãy đối chiếu với ảnh và sửa lại.`;

/** Why a value is refused as a place (the review screen says it beside the field), by a stable code. */
export const PLACE_REFUSALS = {
  place_without_letters: 'Nơi chốn phải có tên bằng chữ, không chỉ gồm chữ số hay dấu.',
  place_shaped_as_date: 'Nơi chốn không phải ngày tháng: có thể đã gõ nhầm trường. Hãy đối chiếu với ảnh.',
} as const;
export type PlaceRefusal = keyof typeof PLACE_REFUSALS;

/** A whole value shaped as a date: "31/2/62", "12-3-1962", "ngày 3 tháng 2 năm 1962". */
const DATE_SHAPED = /^(ngày\s*)?\d{1,2}\s*(?:[/.\-]|tháng)\s*\d{1,2}(?:\s*(?:[/.\-]|năm)\s*\d{2,4})?$/iu;

/**
 * Why a value cannot be a place (a unit's name has letters and is never a date), or null.
 *
 * @example placeRefusal('31/2/62') // 'place_shaped_as_date'; placeRefusal('Phường Bạch Mai') // null
 */
export function placeRefusal(value: string): PlaceRefusal | null {
  const text = value.normalize('NFC').trim();
  if (DATE_SHAPED.test(text)) return 'place_shaped_as_date';
  return /\p{L}/u.test(text) ? null : 'place_without_letters';
}

/**
 * The check of a value a person typed or confirmed, on the server, for every form that stores one (review, keying,
 * arbitration, a supervisor's correction, a change tied to its entry): the field's rules (field-rules.js, which the
 * browser runs too and so cannot hold the gazetteer), then a place refused when it has no letters or is shaped as a
 * date (`refusal`, PLACE_REFUSALS), then a place checked against the gazetteer: a unit cut short is
 * refused (`cutShort` says which) unless `confirmPlace`, a person who looked at the book saying it reads so.
 *
 * @example checkFieldValue('birthPlace', 'Phường Bạch, Hà Nội', { pivot: 1962 }) // { ok: false, cutShort: { unit: 'Phường Bạch', … }, … }
 */
export function checkFieldValue(field: string, input: string | null | undefined, options: { pivot?: number; confirmPlace?: boolean } = {}): FieldCheck & { cutShort: CutShort | null; refusal?: PlaceRefusal } {
  const check = checkValue(field, input, { pivot: options.pivot });
  // a place with no letters, or a date typed into the place's field ("31/2/62" as «Nơi sinh»), is no place
  const refusal = check.ok && check.value && fieldKind(field) === 'place' ? placeRefusal(check.value) : null;
  if (refusal) return { ok: false, value: null, display: '', precision: null, message: PLACE_REFUSALS[refusal], cutShort: null, refusal };
  const cutShort = check.ok ? cutShortOf(field, check.value) : null;
  if (cutShort && !options.confirmPlace) return { ok: false, value: null, display: '', precision: null, message: cutShortMessage(cutShort), cutShort };
  return { ...check, cutShort };
}
