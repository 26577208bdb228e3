import type { SearchRequest } from '../../schemas/api.ts';
import type { Sql } from '../db/sql.ts';
import { comparePlaces, resolvePlace, splitPlace } from '../places/gazetteer.ts';
import { comparable, foldDiacritics } from '../text/normalise.ts';
import type { ClientScope } from './clients.ts';
import { CANDIDATE_LIMIT, findByEntry, findByFoldedName, findByIdNumber, type Hit } from './records.ts';

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
  const sameName = nameMatcher(request.fullName);
  const hits = await findByFoldedName(sql, scope, foldDiacritics(request.fullName), request.registerType);
  return resolvePersons(
    hits.filter((hit) => {
      const written = hit.values.get('registrationDate') ?? hit.values.get(hit.role.birthDate);
      return sameName(hit.values.get(hit.role.name)) && hit.values.get(hit.role.birthDate) === request.birthDate && hit.role.places.some((f) => placeFits(request.place, hit.values.get(f), written));
    }),
  );
}

/**
 * Whether a stored name is the one asked for. A name written with diacritics must have the same ones
 * (tone-mark placement, case and spacing aside: "Hoà" = "hòa", "Hà" ≠ "Hạ"), because dropping them would
 * let one person be taken for another; a name typed entirely without diacritics matches every spelling
 * that folds to it (the desk's keyboard may have none).
 */
export function nameMatcher(asked: string): (stored: string | undefined) => boolean {
  const plain = foldDiacritics(asked) === asked.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  const want = plain ? foldDiacritics(asked) : comparable(asked);
  return (stored) => stored !== undefined && (plain ? foldDiacritics(stored) : comparable(stored)) === want;
}

/**
 * Whether the place asked for names where the stored place is, through the dated gazetteer (a place is
 * resolved as it was named on `writtenOn`, so "Hà Tây" in 1975 and "Hà Nội" today are one province), or
 * by its written parts (each part asked for is a part of the stored place, unit words aside). Naming a
 * province is enough for any place within it; naming a district or commune needs that unit.
 */
export function placeFits(asked: string, stored: string | undefined, writtenOn: string | undefined): boolean {
  if (!stored) return false;
  const have = splitPlace(stored);
  if (splitPlace(asked).every((w) => have.some((h) => h.name === w.name || h.whole === w.whole))) return true;
  const a = { text: asked, ...resolvePlace(asked) };
  const s = { text: stored, ...resolvePlace(stored, writtenOn) };
  if (!a.province || !s.province) return false;
  const agreement = comparePlaces(a, s);
  return agreement === 'exact' || agreement === 'same_unit' || (agreement === 'same_province' && !a.district && !a.commune);
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
