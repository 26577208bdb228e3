export type FieldKind = 'date' | 'year' | 'age' | 'time' | 'sex' | 'id' | 'name' | 'text';
export interface FieldCheck {
  ok: boolean;
  /** The stored normal form, or null when the input breaks the field's rules. */
  value: string | null;
  /** How the value reads back to the verifier (15/03/1962). */
  display: string;
  precision: 'day' | 'month' | 'year' | null;
  /** Vietnamese explanation when not ok. */
  message: string | null;
}
export function fieldKind(field: string): FieldKind;
export const FIELD_LABELS: Record<string, string>;
export function checkValue(field: string, input: string | null | undefined, options?: { pivot?: number }): FieldCheck;
export function displayValue(field: string, value: string | null | undefined): string;
