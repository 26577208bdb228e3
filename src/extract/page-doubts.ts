/**
 * Values a page's other entries put in doubt, though each reads well on its own.
 *
 * - `number_repeated`: an entry number read for two or more entries of one page. Numbers run one by one; on seed
 *   3296 three rows read "27" (one was 278, its last figure lost at the column rule) and the one read surely was
 *   accepted. Which copy is right (if any) the page cannot tell, so every copy goes to a person. A struck entry's
 *   number is the clerk's to write again under it, and does not count.
 */
import type { ExtractedEntry, ExtractedField } from '../../schemas/entries.ts';

/** Several entries of one page with the same number read: each copy's number goes to a person. */
export function holdRepeatedNumbers(entries: readonly Pick<ExtractedEntry, 'struck' | 'fields'>[]): void {
  const byNumber = new Map<string, ExtractedField[]>();
  for (const entry of entries) {
    if (entry.struck) continue;
    const field = entry.fields.find((f) => f.field === 'entryNo');
    if (!field?.value) continue;
    byNumber.set(field.value, [...(byNumber.get(field.value) ?? []), field]);
  }
  for (const copies of byNumber.values()) {
    if (copies.length < 2) continue;
    for (const field of copies) if (!field.reasons.includes('number_repeated')) field.reasons.push('number_repeated');
  }
}
