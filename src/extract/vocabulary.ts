/**
 * How words are spelled where people have already checked them: in the values verifiers confirmed and
 * in the electronic civil-status database, for names and for causes of death. OCR's most frequent
 * confident mistake on print is a tone mark lost or added ("Chỉ" for Chi, "phối" for phổi); the result
 * is still a well-formed syllable, but one that is rare in such values while its other spellings are
 * common. Such a reading goes to a person instead of being accepted.
 */
import type { Sql } from '../db/sql.ts';
import { comparable, foldDiacritics } from '../text/normalise.ts';
import { fieldKind } from './values.ts';

/**
 * The values that share one vocabulary: every person's name, the cause of death, and the words of street and
 * village names in places; `streetName` counts those names whole ("đào xuyên"), not word by word.
 */
export type VocabularyGroup = 'name' | 'deathCause' | 'street' | 'streetName';

/** The group whose vocabulary a whole field's value is judged by; street names are judged apart (`streetName`). */
export function vocabularyGroup(field: string): 'name' | 'deathCause' | null {
  return fieldKind(field) === 'name' ? 'name' : field === 'deathCause' ? 'deathCause' : null;
}

/** "Thành phố" and "Khu phố" are units, not streets: replaced before a street is looked for. */
const UNIT_WITH_PHO = '([Tt]hành|[Kk]hu) phố';
/**
 * A street: the words after "phố" or "đường", or after an alley's number ("ngõ 20 Nguyễn Tuân", "ngách 3/12
 * …"), up to the next comma. The same pattern runs in SQL (`loadVocabulary`): PostgreSQL's regular expressions
 * take it as it is.
 */
const STREET_WORDS = '[Pp]hố|[Đđ]ường|(?:[Nn]gõ|[Nn]gách|[Hh]ẻm|[Kk]iệt)\\s+[0-9]+[A-Za-z]?(?:/[0-9]+)*';
const STREET = `(?:^|[\\s,])(?:${STREET_WORDS})\\s+([^,]+)`;
/** A street, or a village or hamlet by its name ("Thôn Đào Xuyên", "xóm Giữa"; "Xóm 11" has none), which the gazetteer does not hold either. */
const NAMED_PLACE = `(?:^|[\\s,])(?:${STREET_WORDS}|[Tt]hôn|[Xx]óm|[Ấấ]p|[Bb]ản|[Ll]àng)\\s+([^,]+)`;

/**
 * The street name of a place as written ("Hàm Nghi" in "Số 2 phố Hàm Nghi, P. Cầu Diễn"), or null. Street
 * names are people's and places' names the gazetteer of units does not hold: a tone mark misread in one
 * ("Hàm Nghĩ") is judged against how the database spells its streets.
 */
export function streetName(place: string): string | null {
  return firstMatch(STREET, place);
}

/**
 * The name of a place's street or village as written ("Đào Xuyên" in "Thôn Đào Xuyên, X. Dương Xá"), or null: judged
 * whole against the names the database holds (`rareName`). Its words are not judged one by one as a street's are:
 * a village's short syllables share their letters with too many others (Đồng, Đông, Đổng).
 */
export function namedPlace(place: string): string | null {
  return firstMatch(NAMED_PLACE, place);
}

const firstMatch = (pattern: string, place: string) => new RegExp(pattern, 'u').exec(place.replace(new RegExp(UNIT_WITH_PHO, 'gu'), 'TP'))?.[1]?.trim() ?? null;

export interface Words {
  /** How often this exact word (lower case, NFC) occurs. */
  count(word: string): number;
  /** How often any spelling of the word (the same letters without diacritics) occurs. */
  spellings(word: string): number;
  /** Words counted in all. */
  total: number;
}

export type Vocabulary = ReadonlyMap<VocabularyGroup, Words>;

/**
 * A word seen this often in other spellings but never in this one is a suspicious reading: OCR's confident
 * mistake on print is one tone mark ("Tháo" for Thảo), and an archive of a few hundred records has seen most
 * names only a few times (seed 2851: "Bùi Thu Tháo" accepted beside a rarely seen Thảo). A street's words need
 * more: short syllables share their letters with many others (Đồng, Đông, Đổng); a street's or village's name is
 * judged whole as well (`rareName`: "Đảo Xuyên" never written, "Đào Xuyên" twice; seed 2851). On seed 2921's right
 * values, 2 for names sent no more of them to a person than 5 did.
 */
export const UNSEEN_AFTER: Record<VocabularyGroup, number> = { name: 2, deathCause: 2, street: 5, streetName: 2 };
/** The same for a first letter print confuses (`FIRST_LETTER_CONFUSIONS`): a rarer mistake than a tone mark, so more evidence. */
const UNSEEN_AFTER_LETTER = 5;
/** Among this many of its spellings, a word this rare is suspicious too. */
const RARE_AMONG = 50;
const RARE_SHARE = 0.02;
/**
 * Once this many words of a group have been counted, a word never seen in any spelling is more likely a
 * misread than a new word: causes of death are said in few words ("Tai biến mạc" cut from "mạch máu
 * não"); names in many more, but a name word absent from thousands ("Vến" for Yến) is rare enough that a
 * person can look at it. Streets are never closed: towns open new ones.
 */
export const CLOSED_AFTER: Record<VocabularyGroup, number> = { deathCause: 200, name: 3000, street: Infinity, streetName: Infinity };

/** A word as counted: lower case, NFC, one tone placement ("Hòa" is "Hoà", written either way by clerks). */
const lower = (word: string) => comparable(word);

/**
 * First letters print OCR takes for one another (each way): a capital Y whose arms it joins into a V ("Vến" for
 * Yến on seed 2722). A word never or hardly ever seen, read so, is judged like a tone mark misread.
 */
const FIRST_LETTER_CONFUSIONS: readonly (readonly [string, string])[] = [['v', 'y']];

/** The words `word` would be with its first letter read as one print confuses it with. */
function otherFirstLetters(word: string): string[] {
  const w = lower(word);
  return FIRST_LETTER_CONFUSIONS.flatMap(([a, b]) => (w.startsWith(a) ? [b + w.slice(a.length)] : w.startsWith(b) ? [a + w.slice(b.length)] : []));
}

export function wordsFrom(rows: readonly { word: string; n: number }[]): Words {
  const exact = new Map<string, number>();
  const folded = new Map<string, number>();
  for (const { word, n } of rows) {
    const w = lower(word);
    exact.set(w, (exact.get(w) ?? 0) + n);
    const f = foldDiacritics(w);
    folded.set(f, (folded.get(f) ?? 0) + n);
  }
  return { count: (w) => exact.get(lower(w)) ?? 0, spellings: (w) => folded.get(foldDiacritics(lower(w))) ?? 0, total: rows.reduce((sum, r) => sum + r.n, 0) };
}

/**
 * The words of `value` spelled as such values almost never are, while their other spellings are common (or the
 * word their first letter misread would make: `FIRST_LETTER_CONFUSIONS`), and words never seen at all once
 * `closedAfter` words were counted (`CLOSED_AFTER`).
 */
export function rareSpellings(value: string, words: Words | undefined, closedAfter = Infinity, unseenAfter = UNSEEN_AFTER.name): string[] {
  if (!words) return [];
  return value.split(/[\s,.;()]+/u).filter((word) => {
    if (!/^\p{L}+$/u.test(word)) return false;
    const own = words.count(word);
    const all = words.spellings(word);
    if (all === 0 && words.total >= closedAfter) return true;
    const misread = otherFirstLetters(word).reduce((sum, other) => sum + words.count(other), 0);
    const rare = (spelled: number, among: number, unseenAfter: number) => (spelled === 0 && among >= unseenAfter) || (among >= RARE_AMONG && spelled / among < RARE_SHARE);
    return rare(own, all, unseenAfter) || rare(own, own + misread, UNSEEN_AFTER_LETTER);
  });
}

/** Whether a street's or village's name (`namedPlace`), taken whole, was never written so while its letters were (`UNSEEN_AFTER.streetName`). */
export function rareName(name: string, names: Words | undefined): boolean {
  return names !== undefined && names.count(name) === 0 && names.spellings(name) >= UNSEEN_AFTER.streetName;
}

/** The words of a value the vocabulary judges (a name's, a place's street name's) with their counts; null when none are. */
export function judgedWords(field: string, value: string, vocabulary: Vocabulary): { list: string[]; words: Words | undefined } | null {
  const group = vocabularyGroup(field) ?? (fieldKind(field) === 'place' ? 'street' : null);
  const text = group === 'street' ? streetName(value) : group ? value : null;
  if (group === null || text === null) return null;
  return { list: text.split(/[\s,.;()]+/u).filter((w) => /^\p{L}+$/u.test(w)), words: vocabulary.get(group) };
}

/**
 * Whether a word of a name (a place's street name) is written by records in another spelling of its letters too
 * ("Hưng" and "Hùng"): a reading of it may be another person's real name one mark away.
 *
 * @example
 * otherSpelled('fatherName', 'Nguyễn Văn Hưng', vocabulary); // true where records have Hùng too
 */
export function otherSpelled(field: string, value: string, vocabulary: Vocabulary): boolean {
  const judged = judgedWords(field, value, vocabulary);
  return judged !== null && judged.list.some((w) => (judged.words?.spellings(w) ?? 0) > (judged.words?.count(w) ?? 0));
}

/** No evidence: nothing is judged. */
export const NO_VOCABULARY: Vocabulary = new Map();

/**
 * Counts the words of verified and existing names, causes of death and street names. One aggregate over
 * the database (seconds at a million records before streets were added; streets add a regular expression
 * per place, not measured at that size), so it is cached (`cachedVocabulary`).
 */
export async function loadVocabulary(sql: Sql): Promise<Vocabulary> {
  // the keys fieldKind calls names and places, as SQL patterns
  const names = `key like '%Name' or key = 'deathCause'`;
  const places = `key ~ '(Place|Residence)$' or key in ('hometown', 'residence')`;
  const rows = await sql.query<{ grp: VocabularyGroup; word: string; n: number }>(
    `with vals as (
       select f.field as key, f.value from entry_field f
        where f.status = 'verified' and f.value is not null and (${names.replaceAll('key', 'f.field')} or ${places.replaceAll('key', 'f.field')})
       union all
       select v.key, v.value from existing_record r cross join lateral jsonb_each_text(r.fields) v
        where ${names.replaceAll('key', 'v.key')} or ${places.replaceAll('key', 'v.key')}
     ), texts as (
       select case when key = 'deathCause' then 'deathCause' when ${names} then 'name' else 'street' end as grp,
              case when ${names} then value else substring(regexp_replace(value, $1, 'TP', 'g') from $2) end as text,
              case when ${names} then null else substring(regexp_replace(value, $1, 'TP', 'g') from $3) end as whole
         from vals
     )
     select grp, word, count(*)::int as n
       from texts, regexp_split_to_table(text, '[\\s,.;()]+') as word where text is not null and word <> '' group by 1, 2
     union all
     select 'streetName', btrim(whole), count(*)::int from texts where btrim(whole) <> '' group by 2`,
    [UNIT_WITH_PHO, STREET, NAMED_PLACE],
  );
  const byGroup = new Map<VocabularyGroup, { word: string; n: number }[]>();
  for (const { grp, word, n } of rows) (byGroup.get(grp) ?? byGroup.set(grp, []).get(grp)!).push({ word, n });
  return new Map([...byGroup].map(([group, list]) => [group, wordsFrom(list)]));
}

/** `loadVocabulary`, at most once per `ttlMs` per process: new imports and verifications count after that. */
export function cachedVocabulary(sql: Sql, ttlMs = 60 * 60 * 1000): () => Promise<Vocabulary> {
  let loaded: { at: number; vocabulary: Promise<Vocabulary> } | null = null;
  return () => {
    if (!loaded || Date.now() - loaded.at > ttlMs) {
      const vocabulary = loadVocabulary(sql);
      loaded = { at: Date.now(), vocabulary };
      // a failed load is not kept: the next page tries again
      vocabulary.catch(() => (loaded = null));
    }
    return loaded.vocabulary;
  };
}
