/**
 * Matching scanned entries, a page's at a time: their keys are stored, candidates come from the blocking
 * indexes (existing records and other scanned entries; entries of the same page are compared here), every
 * candidate pair is scored and decided, and the pairs a person must look at become match review items;
 * family links across registers are found the same way (src/match/family.ts). A handful of statements per
 * page, whatever its number of entries: at 10^4 entries the round trips are most of the time. Safe to run
 * again: the machine's pairs are replaced, a person's decision on a pair stays and wins.
 */
import { corpusRegisterTypeSchema } from '../../schemas/corpus.ts';
import {
  deleteEntryKeys, saveCandidates, saveFamilyLinks, saveKeysAndFindCandidates, syncMatchReviews,
  type CandidateInput, type EntryForMatch, type FamilyLinkInput, type StoredCandidate,
} from '../db/matches.ts';
import type { Sql } from '../db/sql.ts';
import { scorePair } from './compare.ts';
import { FAMILY_KEEP_AT, familyKeys, scoreFamily } from './family.ts';
import { blockingKeys, recordFeatures, resolvedPlaces, type Features } from './features.ts';
import { decide, probabilityOf, type MatchModel } from './model.ts';

/** Most candidates looked at per entry from each source; a blocking key shared by more is too common to help. */
export const CANDIDATE_LIMIT = 200;

export interface MatchResult {
  entries: number;
  candidates: number;
  links: number;
  reviews: number;
  familyLinks: number;
}

/** Matches one entry (see the module comment). */
export const matchEntry = (sql: Sql, entry: EntryForMatch, model: MatchModel): Promise<MatchResult> => matchEntries(sql, [entry], model);

/** Matches entries together (a page's). Struck entries and other register types only lose their keys and pairs. */
export async function matchEntries(sql: Sql, entries: EntryForMatch[], model: MatchModel): Promise<MatchResult> {
  const ids = entries.map((e) => e.id);
  const live: { entry: EntryForMatch; features: Features; keys: { stored: string[]; lookup: string[] } }[] = [];
  for (const entry of entries) {
    const type = corpusRegisterTypeSchema.safeParse(entry.registerType);
    if (entry.struck || !type.success) await deleteEntryKeys(sql, entry.id);
    else {
      const features = recordFeatures(type.data, entry.fields, undefined, entry.unsure);
      live.push({ entry, features, keys: blockingKeys(features) });
    }
  }
  const found = await saveKeysAndFindCandidates(
    sql,
    live.map(({ entry, features, keys }) => {
      const kin = familyKeys(features);
      return { id: entry.id, registerType: features.registerType, fields: entry.fields, places: resolvedPlaces(features), unsure: entry.unsure, blockKeys: keys.stored, lookupKeys: keys.lookup, familyKeys: kin.own, familySought: kin.sought };
    }),
    CANDIDATE_LIMIT,
  );

  const pairs = new Map<string, CandidateInput>();
  const familyLinks: FamilyLinkInput[] = [];
  const idsOf = (entryId: number, c: { source: 'existing' | 'entry'; id: number }) => {
    const [low, high] = entryId < c.id ? [entryId, c.id] : [c.id, entryId];
    return c.source === 'existing' ? { entryId, existingRecordId: c.id, otherEntryId: null } : { entryId: low, existingRecordId: null, otherEntryId: high };
  };
  const addPair = (a: Features, aId: number, b: Features, c: { source: 'existing' | 'entry'; id: number }) => {
    const { score, comparisons } = scorePair(a, b, model);
    const { decision, guard } = decide(score, comparisons, model, a.unsure.has('entryNo') || b.unsure.has('entryNo'));
    const p = { ...idsOf(aId, c), score, probability: probabilityOf(score), explanation: comparisons, decision, guard, model: model.name };
    pairs.set(`${p.entryId}:${p.existingRecordId}:${p.otherEntryId}`, p);
  };
  const other = (c: StoredCandidate) => recordFeatures(c.registerType, c.fields, c.places, c.unsure);
  for (const [i, { entry, features }] of live.entries()) {
    for (const c of found.get(entry.id)?.same ?? []) addPair(features, entry.id, other(c), c);
    for (const c of found.get(entry.id)?.family ?? []) {
      const scored = scoreFamily(features, other(c), model);
      if (scored && scored.score >= FAMILY_KEEP_AT) familyLinks.push({ ...idsOf(entry.id, c), kind: scored.kind, score: scored.score, explanation: scored.comparisons, model: model.name });
    }
    // Entries of the same page (a re-registration, a repeated entry) meet here: the lookup above ran
    // before their keys were stored.
    for (const later of live.slice(i + 1)) {
      const meet = (a: typeof later.keys, b: typeof later.keys) => a.lookup.some((k) => b.stored.includes(k));
      if (later.features.registerType === features.registerType && (meet(later.keys, live[i]!.keys) || meet(live[i]!.keys, later.keys))) {
        addPair(features, entry.id, later.features, { source: 'entry', id: later.entry.id });
      }
    }
  }

  const list = [...pairs.values()];
  const saved = await saveCandidates(sql, ids, list);
  await saveFamilyLinks(sql, ids, familyLinks);
  const toReview: { entryId: number; candidateId: number; priority: number }[] = [];
  const settled: number[] = [];
  let links = 0;
  saved.forEach((s, i) => {
    const pair = list[i]!;
    const effective = s.personDecision === 'same' ? 'link' : s.personDecision === 'different' ? 'new' : pair.decision;
    if (effective === 'link') links++;
    // Closer to the link threshold first: those are the decisions most likely to add a link.
    if (effective === 'review' && s.personDecision === null) toReview.push({ entryId: pair.entryId, candidateId: s.id, priority: Math.round(pair.score) });
    else settled.push(s.id);
  });
  await syncMatchReviews(sql, toReview, settled);
  return { entries: live.length, candidates: list.length, links, reviews: toReview.length, familyLinks: familyLinks.length };
}
