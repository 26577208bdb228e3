/**
 * A name or a place typed twice on a page: the registrar who signs every entry of the page, the declarant who is
 * the child's father, a wife living where her husband does. Each copy is typed anew and read from its own ink, so
 * when one copy is read surely (no route reason, confidence at the layout's threshold) and another reads to exactly
 * the same normal form, the unsure one is confirmed: for it to be wrong its ink must have been misread into the very
 * letters of another value of the page. A name or an address is too long and too varied for that to happen by
 * chance; a short value of a closed list (sex, a relation, an ethnic group, "Việt Nam") is not, so those are left as
 * they are, and so are figures with no copy on the page (`lonely_digit`, `digit_doubt`): only a value whose sole
 * obstacles were OCR's confidence or a capital or mark the parser put right (`corrected`) is confirmed.
 *
 * A typewriter strikes one glyph alike each time, so a mark misread on one copy is likely misread on all of them
 * ("Nhuần" for Nhuận, on every row): a second reading that read a copy otherwise (`readings_disagree`) is evidence
 * against the twins, not for them, and a name or street must be spelt as verified or existing records spell it
 * (`attested`, as the second reading requires). A struck entry vouches for nothing: its correction below it is
 * typically one mark away.
 *
 * Two copies must be two inks: a value whose box meets its twin's was read from the same words (a line of one entry
 * taken into the next), which proves nothing. Only typewritten values (src/extract/typewriter.ts), like the second
 * reading: a hand writes a name twice differently and its readings err alike.
 *
 * Measured on the stored final runs of seeds 3296, 3291 and 3292 (typed values, held for nothing but these reasons,
 * equal to a value of the same kind accepted elsewhere on the page): 61 right, none wrong, with `readings_disagree`
 * cleared and no spelling required; a code review then showed why those two were unsafe, and the class is smaller.
 */
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { AGREEING_READINGS } from './routing.ts';
import { attested } from './second-reading.ts';
import { fieldKind } from './values.ts';
import type { Vocabulary } from './vocabulary.ts';
import type { PixelBox } from './words.ts';

/** Reasons other evidence (a twin, a closed list) may clear: none of them says the value's ink is other than what was read. */
export const CLEARED: ReadonlySet<string> = new Set(['corrected']);
/** Kinds of value long and varied enough that a misreading does not land on another value of the page (or book). */
export const FREE_TEXT = new Set(['name', 'place']);

/** Whether two boxes meet (an unknown box meets all): values read from the same ink. */
export const meets = (a: PixelBox | null | undefined, b: PixelBox | null | undefined) =>
  !a || !b || (a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]);

/**
 * Confirms, on one page's entries not struck, every typewritten name or place (`typed`) held only for its confidence
 * or `corrected`, spelt as records spell it (`attested`; nothing without a vocabulary), whose value equals that of
 * another name or place of the page read surely (no reason, confidence at least `threshold`) from other ink.
 * Returns how many it confirmed.
 *
 * @example
 * confirmValueTwins(entries, typed, AUTO_ACCEPT_THRESHOLD.table, vocabulary); // the registrar's name, read surely on one row, confirms it on the others
 */
export function confirmValueTwins(entries: ExtractedEntry[], typed: (field: ExtractedField) => boolean, threshold: number, vocabulary: Vocabulary | undefined): number {
  if (!vocabulary) return 0;
  const standing = entries.filter((e) => !e.struck);
  const free = (f: ExtractedField) => f.value !== null && FREE_TEXT.has(fieldKind(f.field)) && typed(f);
  const sure = standing.flatMap((e) => e.fields).filter((f) => free(f) && f.reasons.length === 0 && f.confidence >= threshold);
  let confirmed = 0;
  for (const entry of standing) {
    entry.fields = entry.fields.map((field) => {
      if (!free(field) || !field.reasons.every((r) => CLEARED.has(r))) return field;
      if (field.reasons.length === 0 && field.confidence >= threshold) return field;
      if (!attested(field.field, field.value!, vocabulary)) return field;
      const twin = sure.find((s) => s !== field && s.pageId === field.pageId && fieldKind(s.field) === fieldKind(field.field)
        && s.value === field.value && !meets(s.box, field.box));
      if (!twin) return field;
      confirmed++;
      return { ...field, reasons: [], confidence: Math.max(field.confidence, AGREEING_READINGS), confirmedBy: 'twin_on_page' as const };
    });
  }
  return confirmed;
}
