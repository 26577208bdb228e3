/**
 * How names are spelled where people have already checked them: the words of the names verifiers
 * confirmed and of the electronic civil-status database. OCR's most frequent confident mistake on
 * printed names is a tone mark lost or added ("Chỉ" for Chi, "Thuy" for Thuỵ); the result is still a
 * well-formed syllable, but one that is rare among names while its other spellings are common. Such a
 * reading goes to a person instead of being accepted.
 */
import type { Sql } from '../db/sql.ts';
import { foldDiacritics } from '../text/normalise.ts';

export interface NameWords {
  /** How often this exact word (NFC) occurs in names. */
  count(word: string): number;
  /** How often any spelling of the word (the same letters without diacritics) occurs. */
  spellings(word: string): number;
}

/** A word seen this often without diacritics but never with these is a suspicious reading. */
const UNSEEN_AFTER = 5;
/** Among this many of its spellings, a word this rare is suspicious too. */
const RARE_AMONG = 50;
const RARE_SHARE = 0.02;

export function nameWordsFrom(rows: readonly { word: string; n: number }[]): NameWords {
  const exact = new Map<string, number>();
  const folded = new Map<string, number>();
  for (const { word, n } of rows) {
    const w = word.normalize('NFC');
    exact.set(w, (exact.get(w) ?? 0) + n);
    const f = foldDiacritics(w);
    folded.set(f, (folded.get(f) ?? 0) + n);
  }
  return { count: (w) => exact.get(w.normalize('NFC')) ?? 0, spellings: (w) => folded.get(foldDiacritics(w.normalize('NFC'))) ?? 0 };
}

/** The words of `name` spelled in a way names almost never are, while their other spellings are common. */
export function rareSpellings(name: string, words: NameWords): string[] {
  return name.split(/\s+/u).filter((word) => {
    const own = words.count(word);
    const all = words.spellings(word);
    return (own === 0 && all >= UNSEEN_AFTER) || (all >= RARE_AMONG && own / all < RARE_SHARE);
  });
}

/** No evidence: nothing is judged. */
export const NO_NAME_WORDS: NameWords = { count: () => 0, spellings: () => 0 };

/**
 * Counts the words of verified names and of the existing records' names. One aggregate over the
 * database: a few seconds at a million records, so it is cached (see `cachedNameWords`).
 */
export async function loadNameWords(sql: Sql): Promise<NameWords> {
  const rows = await sql.query<{ word: string; n: number }>(
    `with names as (
       select f.value as name from entry_field f where f.status = 'verified' and f.field like '%Name' and f.value is not null
       union all
       select v.value from existing_record r cross join lateral jsonb_each_text(r.fields) v where v.key like '%Name'
     )
     select word, count(*)::int as n from names, regexp_split_to_table(name, '\\s+') as word where word <> '' group by word`,
  );
  return nameWordsFrom(rows);
}

/** `loadNameWords`, at most once per `ttlMs` per process: new imports and verifications count after that. */
export function cachedNameWords(sql: Sql, ttlMs = 60 * 60 * 1000): () => Promise<NameWords> {
  let loaded: { at: number; words: Promise<NameWords> } | null = null;
  return () => {
    if (!loaded || Date.now() - loaded.at > ttlMs) {
      const words = loadNameWords(sql);
      loaded = { at: Date.now(), words };
      // a failed load is not kept: the next page tries again
      words.catch(() => (loaded = null));
    }
    return loaded.words;
  };
}
