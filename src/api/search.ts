import type { SearchRequest } from '../../schemas/api.ts';
import type { Sql } from '../db/sql.ts';
import type { ClientScope } from './clients.ts';
import { CANDIDATE_LIMIT, findByEntry, findByIdNumber, findByName, type Hit } from './records.ts';

/** What a search found: the entries of one person, none, or several persons (then no entry is named). */
export type SearchOutcome =
  | { status: 'found'; entryIds: number[] }
  | { status: 'none' }
  | { status: 'ambiguous'; persons: number };

/**
 * Runs one search. It never guesses: when the matching entries cannot be shown to be about one
 * person, the outcome is `ambiguous` and carries only a count.
 *
 * @example const outcome = await search(db, client, { by: 'idNumber', idNumber: '001062012345', page: 1, pageSize: 10 });
 */
export async function search(sql: Sql, scope: ClientScope, request: SearchRequest): Promise<SearchOutcome> {
  if (request.by === 'entry') {
    const ids = await findByEntry(sql, scope, request);
    return ids.length === 0 ? { status: 'none' } : ids.length === 1 ? { status: 'found', entryIds: ids } : { status: 'ambiguous', persons: ids.length };
  }
  if (request.by === 'idNumber') return resolvePersons(await findByIdNumber(sql, scope, request.idNumber));
  const hits = await findByName(sql, scope, request.fullName, request.registerType);
  const aliases = await placeAliases(sql);
  const wanted = placeKeys(request.place, aliases);
  return resolvePersons(
    hits.filter((hit) => hit.values.get(hit.role.birthDate) === request.birthDate && hit.role.places.some((f) => placeMatches(wanted, hit.values.get(f), aliases))),
  );
}

/**
 * Groups hits into persons. Two entries are the same person only when they carry the same personal ID
 * number and do not disagree on the date of birth; entries without an ID number are each a person of
 * their own (links made by the match stage can later join them).
 */
export function resolvePersons(hits: Hit[]): SearchOutcome {
  if (hits.length === 0) return { status: 'none' };
  if (hits.length > CANDIDATE_LIMIT) return { status: 'ambiguous', persons: hits.length };
  const persons = new Map<string, { birthDates: Set<string>; entryIds: Set<number> }>();
  for (const hit of hits) {
    const id = hit.values.get(hit.role.idNumber);
    const key = id ? `id:${id}` : `entry:${hit.entryId}:${hit.role.name}`;
    const person = persons.get(key) ?? { birthDates: new Set(), entryIds: new Set() };
    const birthDate = hit.values.get(hit.role.birthDate);
    if (birthDate) person.birthDates.add(birthDate);
    person.entryIds.add(hit.entryId);
    persons.set(key, person);
  }
  // One ID number with two dates of birth is two people (or a wrong number): either way, not one answer.
  const count = [...persons.values()].reduce((sum, p) => sum + Math.max(1, p.birthDates.size), 0);
  if (count > 1) return { status: 'ambiguous', persons: count };
  return { status: 'found', entryIds: [...[...persons.values()][0]!.entryIds].sort((a, b) => a - b) };
}

/** Lower case, no diacritics (đ → d), single spaces: the form places are compared in. */
export function foldPlace(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Administrative-unit words and their abbreviations, dropped before comparing names ("Q. Hai Bà Trưng" = "Hai Bà Trưng"). */
const UNIT_PREFIX = /^(thanh pho|thi tran|thi xa|phuong|quan|huyen|tinh|xa|tp|tt|tx|p|q|h|x|t)\.?\s+/;
const SHORT_NAMES: Record<string, string> = { hn: 'ha noi', hcm: 'ho chi minh', tphcm: 'ho chi minh', 'tp hcm': 'ho chi minh' };

type Aliases = Map<string, string[]>;

/**
 * The folded names a written place stands for: each comma-separated part without its unit word,
 * plus every unit it became later (Hà Tây → Hà Nội) by the former-names table.
 */
export function placeKeys(place: string, aliases: Aliases): Set<string>[] {
  return place
    .split(/[,;]/)
    .map((part) => foldPlace(part))
    .filter(Boolean)
    .map((part) => {
      const name = SHORT_NAMES[part] ?? part.replace(UNIT_PREFIX, '').trim();
      const keys = new Set([SHORT_NAMES[name] ?? name]);
      for (const key of keys) for (const later of aliases.get(key) ?? []) keys.add(later);
      return keys;
    });
}

/** Every part of the wanted place names a unit the stored place also names (now or formerly). */
export function placeMatches(wanted: Set<string>[], stored: string | undefined, aliases: Aliases): boolean {
  if (!stored || !wanted.length) return false;
  const have = placeKeys(stored, aliases);
  return wanted.every((w) => have.some((h) => [...w].some((key) => h.has(key))));
}

const aliasCache = new WeakMap<Sql, Promise<Aliases>>();

/** Former name → the units it became, read once per database handle (a small, rarely changed table). */
export function placeAliases(sql: Sql): Promise<Aliases> {
  let cached = aliasCache.get(sql);
  if (!cached) {
    cached = sql.query<{ former: string; current: string }>('select former, current from place_alias').then((rows) => {
      const map: Aliases = new Map();
      for (const row of rows) map.set(row.former, [...(map.get(row.former) ?? []), row.current]);
      return map;
    });
    cached.catch(() => aliasCache.delete(sql));
    aliasCache.set(sql, cached);
  }
  return cached;
}
