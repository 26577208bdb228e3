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
  if (request.by === 'idNumber') {
    const hits = await findByIdNumber(sql, scope, request.idNumber);
    return resolvePersons(hits, await sameEventLinks(sql, hits.map((h) => h.entryId)));
  }
  const sameName = nameMatcher(request.fullName);
  const block = await findByFoldedName(sql, scope, foldDiacritics(request.fullName), request.birthDate, request.registerType);
  if (block.length > CANDIDATE_LIMIT) return { status: 'ambiguous', persons: block.length };
  // A hit whose place cannot be read either way might be the person too: it can make the answer
  // ambiguous, never found on its own.
  const hits = block
    .filter((hit) => sameName(hit.values.get(hit.role.name)) && hit.values.get(hit.role.birthDate) === request.birthDate)
    .map((hit) => ({ hit, place: placeAgreement(request.place, hit) }))
    .filter(({ place }) => place !== 'no');
  if (!hits.some(({ place }) => place === 'yes')) return { status: 'none' };
  const matching = hits.map(({ hit }) => hit);
  return resolvePersons(matching, await sameEventLinks(sql, matching.map((h) => h.entryId)));
}

export type PlaceFit = 'yes' | 'no' | 'unknown';

/** Whether any of the role's place fields fits the place asked for: yes, no, or cannot tell. */
function placeAgreement(asked: string, hit: Hit): PlaceFit {
  const writtenOn = hit.values.get('registrationDate') ?? hit.values.get(hit.role.birthDate);
  const fits = hit.role.places.map((f) => placeFits(asked, hit.values.get(f), writtenOn));
  return fits.includes('yes') ? 'yes' : fits.includes('unknown') ? 'unknown' : 'no';
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
 * province is enough for any place within it; naming a district or commune needs that unit. `unknown`
 * when the gazetteer cannot place one side precisely enough to say yes or no.
 */
export function placeFits(asked: string, stored: string | undefined, writtenOn: string | undefined): PlaceFit {
  if (!stored) return 'unknown';
  const have = splitPlace(stored);
  if (splitPlace(asked).every((w) => have.some((h) => h.name === w.name || h.whole === w.whole))) return 'yes';
  const a = { text: asked, ...resolvePlace(asked) };
  const s = { text: stored, ...resolvePlace(stored, writtenOn) };
  // Without both provinces the gazetteer cannot say it is elsewhere.
  if (!a.province || !s.province) return 'unknown';
  const agreement = comparePlaces(a, s);
  if (agreement === 'exact' || agreement === 'same_unit' || (agreement === 'same_province' && !a.district && !a.commune)) return 'yes';
  // Same province, but the unit asked for or the stored one is not known precisely enough to compare.
  if (agreement === 'same_province' && (!(a.commune && s.commune) && !(a.district && s.district))) return 'unknown';
  return 'no';
}

/**
 * Pairs of these entries the match stage (or a person) decided are the same event: a second copy of the
 * book, a re-registration. A person's `different` overrides the machine's link.
 */
export async function sameEventLinks(sql: Sql, entryIds: number[]): Promise<Array<[number, number]>> {
  if (entryIds.length < 2) return [];
  const rows = await sql.query<{ a: number; b: number }>(
    `select entry_id as a, other_entry_id as b from match_candidate
      where entry_id = any($1::bigint[]) and other_entry_id = any($1::bigint[])
        and coalesce(person_decision = 'same', decision = 'link')`,
    [entryIds],
  );
  return rows.map((r) => [Number(r.a), Number(r.b)]);
}

/**
 * Groups hits into persons. Two entries are the same person when they carry the same personal ID number,
 * or when they were linked as the same event; and never when they disagree on the date of birth. Entries
 * with neither are each a person of their own: two of them are two people, and the answer is ambiguous.
 */
export function resolvePersons(hits: Hit[], links: Array<[number, number]> = []): SearchOutcome {
  if (hits.length === 0) return { status: 'none' };
  if (hits.length > CANDIDATE_LIMIT) return { status: 'ambiguous', persons: hits.length };
  // Union-find over hits: by ID number, then by same-event links between their entries (same role).
  const parent = hits.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const join = (i: number, j: number) => void (parent[find(i)] = find(j));
  const byId = new Map<string, number>();
  const byEntryRole = new Map<string, number>();
  hits.forEach((hit, i) => {
    const id = hit.values.get(hit.role.idNumber);
    if (id && byId.has(id)) join(i, byId.get(id)!);
    else if (id) byId.set(id, i);
    byEntryRole.set(`${hit.entryId}:${hit.role.name}`, i);
  });
  for (const [a, b] of links) {
    for (const hit of hits) {
      const i = byEntryRole.get(`${a}:${hit.role.name}`);
      const j = byEntryRole.get(`${b}:${hit.role.name}`);
      if (i !== undefined && j !== undefined) join(i, j);
    }
  }
  const persons = new Map<number, { birthDates: Set<string>; entryIds: Set<number> }>();
  hits.forEach((hit, i) => {
    const root = find(i);
    const person = persons.get(root) ?? { birthDates: new Set(), entryIds: new Set() };
    const birthDate = hit.values.get(hit.role.birthDate);
    if (birthDate) person.birthDates.add(birthDate);
    person.entryIds.add(hit.entryId);
    persons.set(root, person);
  });
  // One person with two dates of birth is two people (or a wrong number): either way, not one answer.
  const count = [...persons.values()].reduce((sum, p) => sum + Math.max(1, p.birthDates.size), 0);
  if (count > 1) return { status: 'ambiguous', persons: count };
  return { status: 'found', entryIds: [...[...persons.values()][0]!.entryIds].sort((a, b) => a - b) };
}
