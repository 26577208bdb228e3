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

/**
 * The check of a value a person typed or confirmed, on the server, for every form that stores one (review, keying,
 * arbitration, a supervisor's correction, a change tied to its entry): the field's rules (field-rules.js, which the
 * browser runs too and so cannot hold the gazetteer), then a place checked against the gazetteer: a unit cut short is
 * refused (`cutShort` says which) unless `confirmPlace`, a person who looked at the book saying it reads so.
 *
 * @example checkFieldValue('birthPlace', 'Phường Bạch, Hà Nội', { pivot: 1962 }) // { ok: false, cutShort: { unit: 'Phường Bạch', … }, … }
 */
export function checkFieldValue(field: string, input: string | null | undefined, options: { pivot?: number; confirmPlace?: boolean } = {}): FieldCheck & { cutShort: CutShort | null } {
  const check = checkValue(field, input, { pivot: options.pivot });
  const cutShort = check.ok ? cutShortOf(field, check.value) : null;
  if (cutShort && !options.confirmPlace) return { ok: false, value: null, display: '', precision: null, message: cutShortMessage(cutShort), cutShort };
  return { ...check, cutShort };
}
