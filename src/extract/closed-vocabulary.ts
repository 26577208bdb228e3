/**
 * A typed value of a closed list read as exactly one of the list's entries: a sex ("Nam", "Nữ"), one of the 54 ethnic
 * groups, the nationality "Việt Nam", a relation to the person registered. Tesseract is unsure of a typewriter's face
 * even where it reads it right, and a few letters give it little context, so such values fall under the accept
 * threshold often (a typed "Kinh" at 0.14, a "Con trai" at 0.38) and a second reading of a short crop disagrees on a
 * stray dot or a capital. What vouches for them is the list: for the value to be wrong, the ink of one entry must have
 * been misread into every letter and mark of another ("Nam"/"Nữ", "Kinh"/"Tày"; "Tây" read for Tày is no group and
 * stays held), which takes more than one letter except between the entries left out below.
 *
 * Not an entry that starts another one word for word ("Con" of "Con trai", "Cháu" of "Cháu nội"): a value whose end
 * was lost on a line not read is still an entry. Not a value in another spelling than the list's ("kinh"): the
 * parser keeps it as read, and it is not the list's value. Only values whose sole obstacles were OCR's confidence or a
 * capital the parser put right (`corrected`), nothing the page or another field says against them, and only typewritten
 * values (src/extract/typewriter.ts): a hand shapes "Nam" and "Nữ" in ways a reading confuses.
 *
 * Not an entry within one letter of another entry of its list (letters folded to their base, marks and spaces
 * ignored: "Mnông" and "Mông", "Dao" and "Lào", "Cha" and "Chú"): one faint or lost letter turns the one into the other,
 * so reading exactly one of them says nothing of which was typed (`confusableEntries`, computed from the lists).
 * The value is checked as read (the field's `raw`, cleaned and its case repaired as the parser does), not as stored:
 * a sex is stored as male/female whatever was read ("Nu", "Ñữ").
 *
 * Measured on the stored final runs of seeds 3306, 3341 and 3342 (calibration) and 3346, 3343 (held out), and on the
 * older stored runs of final11–13 (typed values held for nothing but low confidence, readings that disagree or a case
 * put right, read as an entry of their list): BENCHMARKS.md "Sixteenth session", `node test/eval/vocabulary-held.ts`.
 */
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';
import levenshtein from 'fast-levenshtein';
import { foldDiacritics } from '../text/normalise.ts';
import { cleanValue, repairCase } from './text.ts';
import { AGREEING_READINGS } from './routing.ts';
import { CLEARED } from './value-twins.ts';
import { ETHNIC_GROUP_NAMES, fieldKind, RELATIONS } from './values.ts';


/** The entries of each closed list, as the registers write them (values.ts; a sex is stored as male/female). */
const LISTS: Readonly<Record<string, readonly string[]>> = {
  sex: ['Nam', 'Nữ', 'Trai', 'Gái'],
  ethnicity: ETHNIC_GROUP_NAMES,
  nationality: ['Việt Nam'],
  relation: [...RELATIONS.values()],
};

/** Entries of a list another entry of it starts with, word for word ("Con" of "Con trai"). */
const startsAnother = (entry: string, list: readonly string[]) => list.some((other) => other.startsWith(`${entry} `));

/** An entry's letters without marks, case or spaces: what a faint mark or a lost space leaves of it. */
const bareLetters = (entry: string) => foldDiacritics(entry).replace(/[^a-z]/g, '');

/**
 * The entries of a list within one edit of another of its entries, letters folded to their base and marks ignored
 * ("Mnông"/"Mông", "Mông"/"Mường", "Dao"/"Lào", "Cha"/"Chú"/"Chị"): read exactly, they still may be the other one.
 *
 * @example
 * confusableEntries(['Mông', 'Mnông', 'Kinh']); // Set { 'Mông', 'Mnông' }
 */
export function confusableEntries(list: readonly string[]): ReadonlySet<string> {
  const bare = list.map(bareLetters);
  return new Set(list.filter((_, i) => bare.some((other, j) => j !== i && levenshtein.get(bare[i]!, other) <= 1)));
}

/** Entries read as exactly themselves that vouch for the value: not cut short of another, not a letter from another. */
const VOUCHING: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(Object.entries(LISTS).map(([kind, list]) => {
  const confusable = confusableEntries(list);
  return [kind, new Set(list.filter((entry) => !startsAnother(entry, list) && !confusable.has(entry)))];
}));

/**
 * Whether a field's text as read (`raw`, cleaned and its case repaired as the parser does, a final stop dropped) is
 * exactly an entry of its closed list (sex, ethnicity, nationality, relation), no entry of that list begins with it and
 * none is a letter from it (`confusableEntries`).
 *
 * @example
 * closedListEntry('ethnicity', 'Kinh');        // true
 * closedListEntry('ethnicity', 'kinh');        // false: not the list's spelling
 * closedListEntry('declarantRelation', 'Con'); // false: "Con trai" with its end lost reads so
 * closedListEntry('ethnicity', 'Mnông');       // false: "Mông" with a faint n reads so
 * closedListEntry('sex', 'Nu');                // false: stored as female, but not read as "Nữ"
 */
export function closedListEntry(field: string, raw: string | null): boolean {
  const vouching = VOUCHING[fieldKind(field)];
  if (!vouching || raw === null) return false;
  const read = repairCase(cleanValue(raw)).replace(/[.,]$/, '');
  return read === read.normalize('NFC') && vouching.has(read);
}

/**
 * Confirms, on one page's entries not struck, every typewritten value (`typed`) of a closed list read as exactly one
 * of its entries (`closedListEntry`), held for nothing but its confidence below `threshold` or a case the parser put
 * right. Run before the second reading: such a value needs none. The fields of an entry's part continued at the top of
 * the page (extract.ts `PageContinuation`) go as an entry of their own: they join their entry in the database later.
 * Returns how many it confirmed.
 *
 * @example
 * confirmClosedListEntries(entries, typed, AUTO_ACCEPT_THRESHOLD.table); // "Kinh" read at 0.6 on a typed row
 */
export function confirmClosedListEntries(entries: Pick<ExtractedEntry, 'fields' | 'struck'>[], typed: (field: ExtractedField) => boolean, threshold: number): number {
  let confirmed = 0;
  for (const entry of entries) {
    if (entry.struck) continue;
    entry.fields = entry.fields.map((field) => {
      if (!field.reasons.every((r) => CLEARED.has(r)) || (field.reasons.length === 0 && field.confidence >= threshold)) return field;
      if (field.value === null || !closedListEntry(field.field, field.raw) || !typed(field)) return field;
      confirmed++;
      return { ...field, reasons: [], confidence: Math.max(field.confidence, AGREEING_READINGS), confirmedBy: 'closed_list' as const };
    });
  }
  return confirmed;
}
