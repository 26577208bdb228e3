/**
 * A typed value of a closed list read as exactly one of the list's entries: a sex ("Nam", "Nữ"), one of the 54 ethnic
 * groups, the nationality "Việt Nam", a relation to the person registered. Tesseract is unsure of a typewriter's face
 * even where it reads it right, and a few letters give it little context, so such values fall under the accept
 * threshold often (a typed "Kinh" at 0.14, a "Con trai" at 0.38) and a second reading of a short crop disagrees on a
 * stray dot or a capital. What vouches for them is the list: for the value to be wrong, the ink of one entry must have
 * been misread into every letter and mark of another, and the entries of these lists share no shape that a typewriter's
 * glyphs blur into one another ("Nam"/"Nữ", "Kinh"/"Tày"; "Tây" read for Tày is no group and stays held).
 *
 * Not an entry that starts another one word for word ("Con" of "Con trai", "Cháu" of "Cháu nội"): a value whose end
 * was lost on a line not read is still an entry. Not a value in another spelling than the list's ("kinh"): the
 * parser keeps it as read, and it is not the list's value. Only values whose sole obstacles were OCR's confidence or a
 * capital the parser put right (`corrected`), nothing the page or another field says against them, and only typewritten
 * values (src/extract/typewriter.ts): a hand shapes "Nam" and "Nữ" in ways a reading confuses.
 *
 * Measured on the stored final runs of seeds 3306, 3341 and 3342 (calibration) and 3346, 3343 (held out), and on the
 * older stored runs of final11–13 (typed values held for nothing but low confidence, readings that disagree or a case
 * put right, equal to an entry of their list): BENCHMARKS.md "Sixteenth session", `node test/eval/vocabulary-held.ts`.
 */
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import { ETHNIC_GROUP_NAMES, fieldKind, RELATIONS } from './values.ts';

/** What a confirmed value's confidence becomes: that of two agreeing readings (second-reading.ts). */
const LIST_CONFIDENCE = 0.995;
/** Reasons the list may clear: none of them says the value's ink is other than a list's entry. */
const CLEARED = new Set(['corrected']);

/** The entries of each closed list, as the parsers store them (values.ts). */
const LISTS: Readonly<Record<string, readonly string[]>> = {
  sex: ['male', 'female'],
  ethnicity: ETHNIC_GROUP_NAMES,
  nationality: ['Việt Nam'],
  relation: [...RELATIONS.values()],
};

/** Entries of a list another entry of it starts with, word for word ("Con" of "Con trai"). */
const startsAnother = (entry: string, list: readonly string[]) => list.some((other) => other.startsWith(`${entry} `));

/**
 * Whether a field's value is exactly an entry of its closed list (sex, ethnicity, nationality, relation) and no entry
 * of that list begins with it.
 *
 * @example
 * closedListEntry('ethnicity', 'Kinh');        // true
 * closedListEntry('ethnicity', 'kinh');        // false: not the list's spelling
 * closedListEntry('declarantRelation', 'Con'); // false: "Con trai" with its end lost reads so
 */
export function closedListEntry(field: string, value: string | null): boolean {
  const list = LISTS[fieldKind(field)];
  if (!list || value === null) return false;
  const nfc = value.normalize('NFC');
  return nfc === value && list.includes(nfc) && !startsAnother(nfc, list);
}

/**
 * Confirms, on one page's entries not struck, every typewritten value (`typed`) of a closed list read as exactly one
 * of its entries (`closedListEntry`), held for nothing but its confidence below `threshold` or a case the parser put
 * right. Run before the second reading: such a value needs none. Returns how many it confirmed.
 *
 * @example
 * confirmClosedListEntries(entries, typed, AUTO_ACCEPT_THRESHOLD.table); // "Kinh" read at 0.6 on a typed row
 */
export function confirmClosedListEntries(entries: ExtractedEntry[], typed: (field: ExtractedField) => boolean, threshold: number): number {
  let confirmed = 0;
  for (const entry of entries) {
    if (entry.struck) continue;
    entry.fields = entry.fields.map((field) => {
      if (!field.reasons.every((r) => CLEARED.has(r)) || (field.reasons.length === 0 && field.confidence >= threshold)) return field;
      if (!closedListEntry(field.field, field.value) || !typed(field)) return field;
      confirmed++;
      return { ...field, reasons: [], confidence: Math.max(field.confidence, LIST_CONFIDENCE) };
    });
  }
  return confirmed;
}
