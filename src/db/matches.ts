import type { CorpusRegisterType } from '../../schemas/corpus.ts';
import type { Comparison } from '../match/compare.ts';
import type { FamilyKind } from '../match/family.ts';
import type { ResolvedPlaces } from '../match/features.ts';
import type { Decision, MatchGuard } from '../match/model.ts';
import { unsureFields, type FieldToTrust } from '../match/trust.ts';
import type { Sql } from './sql.ts';

/** A scanned entry with the field values matching compares (entry_field.value, readable ones only). */
export interface EntryForMatch {
  id: number;
  registerType: string;
  struck: boolean;
  fields: Record<string, string>;
  /**
   * Fields no person verified and routing would not auto-accept (src/match/trust.ts): they may be misread,
   * so matching does not let them vouch for a link. `entryNo` among them (also when no number was read)
   * means the entry's own identity in its book is unsure.
   */
  unsure: string[];
}

/** The entries starting on `pageId`, with their fields. */
export async function entriesOfPage(sql: Sql, pageId: number): Promise<EntryForMatch[]> {
  return entriesWhere(sql, 'e.page_id = $1', [pageId]);
}

export async function entriesById(sql: Sql, ids: number[]): Promise<EntryForMatch[]> {
  return entriesWhere(sql, 'e.id = any($1::bigint[])', [ids]);
}

async function entriesWhere(sql: Sql, where: string, values: unknown[]): Promise<EntryForMatch[]> {
  const rows = await sql.query<Omit<EntryForMatch, 'unsure'> & { template: string | null; numberRead: boolean; undecided: FieldToTrust[] }>(
    `select e.id, e.register_type as "registerType", (e.struck or e.status = 'struck') as struck, e.template, e.entry_no is not null as "numberRead",
            coalesce(jsonb_object_agg(f.field, f.value) filter (where f.value is not null and f.status <> 'unreadable'), '{}') as fields,
            coalesce(jsonb_agg(jsonb_build_object('id', f.id, 'field', f.field, 'value', f.value, 'confidence', f.confidence, 'reasons', f.reasons, 'status', f.status))
              filter (where f.value is not null and f.status in ('pending', 'review')), '[]') as undecided
       from entry e left join entry_field f on f.entry_id = e.id
      where ${where}
      group by e.id order by e.id`,
    values,
  );
  return rows.map(({ template, undecided, numberRead, ...e }) => {
    const unsure = unsureFields(undecided, template);
    return { ...e, unsure: numberRead || unsure.includes('entryNo') ? unsure : [...unsure, 'entryNo'].sort() };
  });
}

/** A record matching compares with: an existing record or another scanned entry, with its stored keys. */
export interface StoredCandidate {
  source: 'existing' | 'entry';
  id: number;
  registerType: CorpusRegisterType;
  fields: Record<string, string>;
  places: ResolvedPlaces;
  /** The entry's untrusted fields (none for existing records: the electronic database is typed and checked). */
  unsure: string[];
}

/** What one entry stores for matching and looks up with. */
export interface EntryKeys {
  id: number;
  registerType: CorpusRegisterType;
  fields: Record<string, string>;
  places: ResolvedPlaces;
  unsure: string[];
  /** Keys it is found by, and keys it searches with (features.ts blockingKeys). */
  blockKeys: string[];
  lookupKeys: string[];
  familyKeys: string[];
  familySought: string[];
}

// Key lists travel as one string per entry (unnest cannot take a ragged text[][]); never inside a key.
const SEP = '\u001f';
const joined = (keys: string[]) => keys.join(SEP);

/**
 * Stores entries' compared values and keys (replacing the last run's) and returns, per entry, the
 * existing records and other entries sharing a blocking key with it (same register type) and those
 * holding a family key it seeks (GIN indexes; never a scan), at most `limit` of each. Entries of the
 * batch do not find each other (the lookup reads the keys as they were): the caller compares those.
 * One round trip for the whole batch.
 */
export async function saveKeysAndFindCandidates(sql: Sql, entries: EntryKeys[], limit: number): Promise<Map<number, { same: StoredCandidate[]; family: StoredCandidate[] }>> {
  const out = new Map(entries.map((e) => [e.id, { same: [] as StoredCandidate[], family: [] as StoredCandidate[] }]));
  if (!entries.length) return out;
  const rows = await sql.query<StoredCandidate & { family: boolean; forEntry: number }>(
    `with input as (
       select id, t, f, p, string_to_array(bk, E'\x1f') as bk, string_to_array(lk, E'\x1f') as lk, string_to_array(fo, E'\x1f') as fo,
              string_to_array(fs, E'\x1f') as fs, string_to_array(un, E'\x1f') as un
         from unnest($1::bigint[], $2::text[], $3::jsonb[], $4::jsonb[], $5::text[], $6::text[], $7::text[], $8::text[], $10::text[]) as u(id, t, f, p, bk, fo, fs, un, lk)
     ),
     saved as (
       insert into entry_match_key (entry_id, register_type, fields, places, block_keys, unsure)
       select id, t, f, p, bk || fo, un from input
       on conflict (entry_id) do update set register_type = excluded.register_type, fields = excluded.fields, places = excluded.places,
         block_keys = excluded.block_keys, unsure = excluded.unsure, updated_at = now()
     )
     select i.id as "forEntry", c.* from input i cross join lateral (
       (select false as family, 'existing' as source, r.id, r.register_type as "registerType", r.fields, r.places, '{}'::text[] as unsure
          from existing_record r where r.block_keys && i.lk and r.register_type = i.t limit $9)
       union all
       (select false, 'entry', k.entry_id, k.register_type, k.fields, k.places, k.unsure
          from entry_match_key k where k.block_keys && i.lk and k.register_type = i.t and k.entry_id <> all($1::bigint[]) limit $9)
       union all
       -- the entries it is already paired with, whichever side's lookup found them: matched again (its fields
       -- settled), an entry rescores its pairs instead of dropping those only the other entry's keys reach
       (select false, 'entry', k.entry_id, k.register_type, k.fields, k.places, k.unsure
          from match_candidate m join entry_match_key k on k.entry_id = (case when m.entry_id = i.id then m.other_entry_id else m.entry_id end)
         where (m.entry_id = i.id or m.other_entry_id = i.id) and m.other_entry_id is not null and k.register_type = i.t and k.entry_id <> all($1::bigint[]))
       union all
       (select true, 'existing', r.id, r.register_type, r.fields, r.places, '{}'::text[]
          from existing_record r where cardinality(i.fs) > 0 and r.block_keys && i.fs limit $9)
       union all
       (select true, 'entry', k.entry_id, k.register_type, k.fields, k.places, k.unsure
          from entry_match_key k where cardinality(i.fs) > 0 and k.block_keys && i.fs and k.entry_id <> all($1::bigint[]) limit $9)
     ) c`,
    [
      entries.map((e) => e.id), entries.map((e) => e.registerType), entries.map((e) => JSON.stringify(e.fields)), entries.map((e) => JSON.stringify(e.places)),
      entries.map((e) => joined(e.blockKeys)), entries.map((e) => joined(e.familyKeys)), entries.map((e) => joined(e.familySought)), entries.map((e) => joined(e.unsure)), limit,
      entries.map((e) => joined(e.lookupKeys)),
    ],
  );
  for (const { family, forEntry, ...c } of rows) out.get(Number(forEntry))![family ? 'family' : 'same'].push({ ...c, id: Number(c.id) });
  return out;
}

export async function deleteEntryKeys(sql: Sql, entryId: number): Promise<void> {
  await sql.query('delete from entry_match_key where entry_id = $1', [entryId]);
}

/** One scored pair as the match stage writes it. */
export interface CandidateInput {
  entryId: number;
  existingRecordId: number | null;
  otherEntryId: number | null;
  score: number;
  probability: number;
  explanation: Comparison[];
  decision: Decision;
  guard: MatchGuard | null;
  model: string;
}

/**
 * Stores the machine's view of each pair: score, explanation and decision replace the last run's; a
 * person's decision on the pair is never touched. Pairs of `entryIds` the machine no longer proposes are
 * removed unless a person decided them. Returns each pair's id and the person's decision, if any.
 */
export async function saveCandidates(sql: Sql, entryIds: number[], pairs: CandidateInput[]): Promise<{ id: number; personDecision: 'same' | 'different' | null }[]> {
  const set = `score = excluded.score, probability = excluded.probability, explanation = excluded.explanation,
    decision = excluded.decision, guard = excluded.guard, model = excluded.model, updated_at = now()`;
  const columns = 'entry_id, existing_record_id, other_entry_id, score, probability, explanation, decision, guard, model';
  // One statement (matching makes it for every entry): upsert both kinds of pair, each on its own unique
  // index, and drop the machine's pairs no longer proposed. The delete sees the rows as they were before
  // the statement, so it never meets a row the upserts touch (those are in `kept`).
  const rows = await sql.query<{ id: number; person_decision: 'same' | 'different' | null } & RowKey>(
    `with pairs as (
       select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::real[], $5::real[], $6::jsonb[], $7::text[], $8::text[], $9::text[])
         as u(e, r, o, s, p, x, d, g, m)
     ),
     with_existing as (
       insert into match_candidate (${columns}) select * from pairs where r is not null
       on conflict (entry_id, existing_record_id) where existing_record_id is not null do update set ${set}
       returning id, person_decision, entry_id, existing_record_id, other_entry_id
     ),
     with_entries as (
       insert into match_candidate (${columns}) select * from pairs where o is not null
       on conflict (entry_id, other_entry_id) where other_entry_id is not null do update set ${set}
       returning id, person_decision, entry_id, existing_record_id, other_entry_id
     ),
     kept as (select * from with_existing union all select * from with_entries),
     dropped as (
       delete from match_candidate
        where (entry_id = any($10::bigint[]) or other_entry_id = any($10::bigint[])) and person_decision is null and not (id = any(array(select id from kept)))
     )
     select * from kept`,
    [
      pairs.map((p) => p.entryId), pairs.map((p) => p.existingRecordId), pairs.map((p) => p.otherEntryId), pairs.map((p) => p.score),
      pairs.map((p) => p.probability), pairs.map((p) => JSON.stringify(p.explanation)), pairs.map((p) => p.decision), pairs.map((p) => p.guard),
      pairs.map((p) => p.model), entryIds,
    ],
  );
  // RETURNING does not promise input order: pair rows back up by their key.
  const byKey = new Map(rows.map((r) => [pairKey(r), r]));
  return pairs.map((p) => {
    const row = byKey.get(pairKey({ entry_id: p.entryId, existing_record_id: p.existingRecordId, other_entry_id: p.otherEntryId }))!;
    return { id: row.id, personDecision: row.person_decision };
  });
}

interface RowKey {
  entry_id: number;
  existing_record_id: number | null;
  other_entry_id: number | null;
}
const pairKey = (r: RowKey) => `${r.entry_id}:${r.existing_record_id ?? ''}:${r.other_entry_id ?? ''}`;

/**
 * Opens a match review item for each pair a person must decide (one per pair, kept if already open) and
 * cancels open ones of pairs that no longer need a person.
 */
export async function syncMatchReviews(sql: Sql, toReview: { entryId: number; candidateId: number; priority: number }[], settled: number[]): Promise<void> {
  if (!toReview.length && !settled.length) return;
  await sql.query(
    `with opened as (
       insert into review_item (kind, entry_id, match_candidate_id, priority)
       select 'match', e, c, p from unnest($1::bigint[], $2::bigint[], $3::int[]) as u(e, c, p)
       on conflict (match_candidate_id) where kind = 'match' and status in ('open', 'claimed', 'arbitration')
       do update set priority = excluded.priority, updated_at = now()
     )
     update review_item set status = 'cancelled', updated_at = now()
      where kind = 'match' and status = 'open' and match_candidate_id = any($4::bigint[])`,
    [toReview.map((r) => r.entryId), toReview.map((r) => r.candidateId), toReview.map((r) => r.priority), settled],
  );
}

/**
 * Holds the machine's links of entries whose number went back to a person (src/extract/book-checks.ts) for a person
 * to decide: the number names the entry, so a link of an entry filed under a misread number links the wrong one
 * (guard `unsure_fields`, as matching gives an entry whose number is unsure). Nothing else of the pairs changes;
 * matching runs again once the entry's fields are settled (src/review/settle.ts).
 */
export async function holdLinks(sql: Sql, entryIds: number[]): Promise<void> {
  if (!entryIds.length) return;
  const held = await sql.query<{ id: number; entryId: number; score: number }>(
    `update match_candidate set decision = 'review', guard = 'unsure_fields', updated_at = now()
      where (entry_id = any($1::bigint[]) or other_entry_id = any($1::bigint[])) and decision = 'link' and person_decision is null
      returning id, entry_id as "entryId", score`,
    [entryIds],
  );
  await syncMatchReviews(sql, held.map((h) => ({ entryId: h.entryId, candidateId: h.id, priority: Math.round(h.score) })), []);
}

/**
 * Records a person's decision on a pair: kept across every later run of matching, and it closes the pair's
 * review item. The audit trail is the caller's (workbench) to write with its account.
 */
export async function decideCandidate(sql: Sql, candidateId: number, decision: 'same' | 'different', by: string): Promise<void> {
  await sql.query('update match_candidate set person_decision = $2, decided_by = $3, decided_at = now(), updated_at = now() where id = $1', [candidateId, decision, by]);
  await sql.query(`update review_item set status = 'done', updated_at = now() where kind = 'match' and match_candidate_id = $1 and status in ('open', 'claimed', 'arbitration')`, [candidateId]);
}

/** Pairs as decided now: a person's decision where there is one, else the machine's. */
export interface DecidedPair {
  id: number;
  entryId: number;
  existingSourceId: string | null;
  otherEntryId: number | null;
  decision: Decision;
  byPerson: boolean;
  score: number;
}

export async function listDecidedPairs(sql: Sql): Promise<DecidedPair[]> {
  return sql.query<DecidedPair>(
    `select c.id, c.entry_id as "entryId", r.source_id as "existingSourceId", c.other_entry_id as "otherEntryId", c.score,
            case c.person_decision when 'same' then 'link' when 'different' then 'new' else c.decision end as decision,
            c.person_decision is not null as "byPerson"
       from match_candidate c left join existing_record r on r.id = c.existing_record_id`,
  );
}

/** One candidate family link as the match stage writes it (ids ordered as in match_candidate). */
export interface FamilyLinkInput {
  kind: FamilyKind;
  entryId: number;
  existingRecordId: number | null;
  otherEntryId: number | null;
  score: number;
  explanation: Comparison[];
  model: string;
}

/** Replaces the family links found from `entryIds` (either side) with `links`. */
export async function saveFamilyLinks(sql: Sql, entryIds: number[], links: FamilyLinkInput[]): Promise<void> {
  await sql.query('delete from family_link where entry_id = any($1::bigint[]) or other_entry_id = any($1::bigint[])', [entryIds]);
  if (!links.length) return;
  await sql.query(
    `insert into family_link (kind, entry_id, existing_record_id, other_entry_id, score, explanation, model)
     select * from unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::real[], $6::jsonb[], $7::text[])`,
    [links.map((l) => l.kind), links.map((l) => l.entryId), links.map((l) => l.existingRecordId), links.map((l) => l.otherEntryId),
      links.map((l) => l.score), links.map((l) => JSON.stringify(l.explanation)), links.map((l) => l.model)],
  );
}
