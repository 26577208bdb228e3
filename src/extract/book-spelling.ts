/**
 * Names a book writes again and again, spelled one way there: the registrar signs entry after entry (one or two
 * of them a book). A reading of such a name with the same letters but other marks than the book's other entries
 * ("Bùi Thị Hoa" among "Bùi Thị Hoà") is most likely a tone mark misread, though both spellings are names.
 */
import { comparable, foldDiacritics } from '../text/normalise.ts';

/** Fields a book repeats. */
export const REPEATED_IN_BOOK = ['registrarName'] as const;

export interface RepeatedValue {
  id: number;
  value: string;
  /** A person confirmed it. */
  verified: boolean;
}

/**
 * The values (ids) spelled otherwise than the book spells the same letters: the spelling a person confirmed, else
 * the one most values share. When no spelling stands out (one each), every value of those letters is in doubt.
 */
export function spelledOtherwise(values: readonly RepeatedValue[]): number[] {
  const byLetters = groupBy(values, (v) => foldDiacritics(v.value));
  const doubted: number[] = [];
  for (const group of byLetters.values()) {
    const spellings = groupBy(group, (v) => comparable(v.value));
    if (spellings.size < 2) continue;
    const confirmed = [...new Set(group.filter((v) => v.verified).map((v) => comparable(v.value)))];
    const counts = [...spellings].map(([spelling, list]) => ({ spelling, n: list.length })).sort((a, b) => b.n - a.n);
    const right = confirmed.length === 1 ? confirmed[0] : counts[0]!.n > counts[1]!.n ? counts[0]!.spelling : null;
    doubted.push(...group.filter((v) => !v.verified && comparable(v.value) !== right).map((v) => v.id));
  }
  return doubted;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) (groups.get(key(item)) ?? groups.set(key(item), []).get(key(item))!).push(item);
  return groups;
}
