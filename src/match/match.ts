/**
 * Matching one scanned entry: its keys are stored, candidates come from the blocking indexes (existing
 * records and other scanned entries), every candidate pair is scored and decided, and the pairs a person
 * must look at become match review items. Safe to run again: the machine's pairs are replaced, a person's
 * decision on a pair stays and wins.
 */
import { corpusRegisterTypeSchema } from '../../schemas/corpus.ts';
import { deleteEntryKeys, saveCandidates, saveFamilyLinks, saveKeysAndFindCandidates, syncMatchReviews, type CandidateInput, type EntryForMatch, type FamilyLinkInput } from '../db/matches.ts';
import type { Sql } from '../db/sql.ts';
import { scorePair } from './compare.ts';
import { FAMILY_KEEP_AT, familyKeys, scoreFamily } from './family.ts';
import { blockingKeys, recordFeatures, resolvedPlaces } from './features.ts';
import { decide, probabilityOf, type MatchModel } from './model.ts';

/** Most candidates looked at per entry from each source; a blocking key shared by more is too common to help. */
export const CANDIDATE_LIMIT = 200;

export interface EntryMatchResult {
  entryId: number;
  candidates: number;
  links: number;
  reviews: number;
  familyLinks: number;
}

/** Matches one entry (see the module comment). Struck entries and other register types only lose their keys. */
export async function matchEntry(sql: Sql, entry: EntryForMatch, model: MatchModel): Promise<EntryMatchResult> {
  const type = corpusRegisterTypeSchema.safeParse(entry.registerType);
  if (entry.struck || !type.success) {
    await deleteEntryKeys(sql, entry.id);
    await saveCandidates(sql, entry.id, []);
    await saveFamilyLinks(sql, entry.id, []);
    return { entryId: entry.id, candidates: 0, links: 0, reviews: 0, familyLinks: 0 };
  }
  const features = recordFeatures(type.data, entry.fields, undefined, entry.unsure);
  const { same: candidates, family } = await saveKeysAndFindCandidates(
    sql,
    {
      id: entry.id, registerType: type.data, fields: entry.fields, places: resolvedPlaces(features), unsure: entry.unsure,
      blockKeys: blockingKeys(features), familyKeys: familyKeys(features),
    },
    CANDIDATE_LIMIT,
  );

  const pairs: CandidateInput[] = [];
  for (const c of candidates) {
    const other = recordFeatures(c.registerType, c.fields, c.places, c.unsure);
    const { score, comparisons } = scorePair(features, other, model);
    const { decision, guard } = decide(score, comparisons, model, features.unsure.has('entryNo') || other.unsure.has('entryNo'));
    const [low, high] = entry.id < c.id ? [entry.id, c.id] : [c.id, entry.id];
    const ids = c.source === 'existing' ? { entryId: entry.id, existingRecordId: c.id, otherEntryId: null } : { entryId: low, existingRecordId: null, otherEntryId: high };
    pairs.push({ ...ids, score, probability: probabilityOf(score), explanation: comparisons, decision, guard, model: model.name });
  }

  const saved = await saveCandidates(sql, entry.id, pairs);
  const familyLinks: FamilyLinkInput[] = [];
  for (const c of family) {
    const scored = scoreFamily(features, recordFeatures(c.registerType, c.fields, c.places, c.unsure), model);
    if (!scored || scored.score < FAMILY_KEEP_AT) continue;
    const [low, high] = entry.id < c.id ? [entry.id, c.id] : [c.id, entry.id];
    const ids = c.source === 'existing' ? { entryId: entry.id, existingRecordId: c.id, otherEntryId: null } : { entryId: low, existingRecordId: null, otherEntryId: high };
    familyLinks.push({ ...ids, kind: scored.kind, score: scored.score, explanation: scored.comparisons, model: model.name });
  }
  await saveFamilyLinks(sql, entry.id, familyLinks);
  const toReview: { candidateId: number; priority: number }[] = [];
  const settled: number[] = [];
  let links = 0;
  saved.forEach((s, i) => {
    const pair = pairs[i]!;
    const effective = s.personDecision === 'same' ? 'link' : s.personDecision === 'different' ? 'new' : pair.decision;
    if (effective === 'link') links++;
    // Closer to the link threshold first: those are the decisions most likely to add a link.
    if (effective === 'review' && s.personDecision === null) toReview.push({ candidateId: s.id, priority: Math.round(pair.score) });
    else settled.push(s.id);
  });
  await syncMatchReviews(sql, entry.id, toReview, settled);
  return { entryId: entry.id, candidates: pairs.length, links, reviews: toReview.length, familyLinks: familyLinks.length };
}
