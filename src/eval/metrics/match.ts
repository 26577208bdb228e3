/**
 * Matching quality (EVALUATION.md §2, match) from the decided candidate pairs and the corpus's truth links.
 */
import { precisionRecall, wilson95 } from './counts.ts';
import { closurePairs } from './links.ts';

/** One candidate pair the matcher scored, by corpus reference (`scan:<key>`, `existing:<id>`). */
export interface ScoredPair {
  a: string;
  b: string;
  decision: 'link' | 'review' | 'new';
}

export interface MatchScores {
  /** Final links, if the people deciding review pairs decide them right: auto-links plus true review pairs. */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Links made without a person only. */
  autoLinkPrecision: number | null;
  autoLinkRecall: number | null;
  /** Wilson 95% interval of the auto-link precision (over the auto-linked pairs after closure). */
  autoLinkPrecisionLow: number | null;
  autoLinkPrecisionHigh: number | null;
  /** Share of the compared pairs sent to a person. */
  reviewShare: number | null;
  pairsCompared: number;
  truePairs: number;
  autoLinks: number;
  reviews: number;
  /** Auto-linked pairs (as decided, before closure) that the truth does not link: references only, to look up. */
  wrongAutoLinks: Array<[string, string]>;
}

/**
 * Pairwise scores against the transitive closure of the truth (recall over all true pairs, compared or
 * not). A review pair counts as linked exactly when it is true (a person decides it), so `precision`
 * measures what auto-linking lets through and `recall` what blocking and scoring find at all.
 *
 * @example
 * matchScores([['scan:a', 'existing:E1']], [{ a: 'scan:a', b: 'existing:E1', decision: 'link' }]);
 * // { precision: 1, recall: 1, f1: 1, autoLinkPrecision: 1, autoLinkRecall: 1, reviewShare: 0, pairsCompared: 1, … }
 */
export function matchScores(truth: Array<[string, string]>, pairs: ScoredPair[], keep: (ref: string) => boolean = () => true): MatchScores {
  const truthClosure = closurePairs(truth);
  const isTrue = (p: ScoredPair) => truthClosure.has(p.a < p.b ? `${p.a}|${p.b}` : `${p.b}|${p.a}`);
  const auto = pairs.filter((p) => p.decision === 'link').map((p): [string, string] => [p.a, p.b]);
  const reviewed = pairs.filter((p) => p.decision === 'review' && isTrue(p)).map((p): [string, string] => [p.a, p.b]);
  // Closures are taken over everything, then restricted: a slice (an era) is judged on the clusters as
  // they really are, including links that reach outside it.
  const inSlice = (pair: string) => pair.split('|').some(keep);
  const restrict = (set: Set<string>) => new Set([...set].filter(inSlice));
  const truePairs = restrict(truthClosure);
  const score = (predicted: Array<[string, string]>) => {
    const closed = restrict(closurePairs(predicted));
    const correct = [...closed].filter((pair) => truePairs.has(pair)).length;
    return { ...precisionRecall(correct, closed.size, truePairs.size), correct, predicted: closed.size };
  };
  const autoScores = score(auto);
  // the interval of the error rate (wrong / auto-linked), turned round into precision
  const autoError = autoScores.predicted ? wilson95(autoScores.predicted - autoScores.correct, autoScores.predicted) : null;
  const final = score([...auto, ...reviewed]);
  const compared = pairs.filter((p) => keep(p.a) || keep(p.b));
  const reviews = compared.filter((p) => p.decision === 'review').length;
  return {
    precision: final.precision,
    recall: final.recall,
    f1: final.f1,
    autoLinkPrecision: autoScores.precision,
    autoLinkRecall: autoScores.recall,
    autoLinkPrecisionLow: autoError ? 1 - autoError.high : null,
    autoLinkPrecisionHigh: autoError ? 1 - autoError.low : null,
    reviewShare: compared.length ? reviews / compared.length : null,
    pairsCompared: compared.length,
    truePairs: truePairs.size,
    autoLinks: compared.filter((p) => p.decision === 'link').length,
    reviews,
    // A pair of two entries extracted under one key says nothing about the truth (the closure drops it too).
    wrongAutoLinks: compared.filter((p) => p.decision === 'link' && p.a !== p.b && !isTrue(p)).map((p): [string, string] => [p.a, p.b]),
  };
}

/** The same scores per era: pairs that involve a scanned entry of the era. `eraOf` gives a reference's era (null for existing records). */
export function matchScoresByEra(truth: Array<[string, string]>, pairs: ScoredPair[], eraOf: (ref: string) => string | null): Record<string, MatchScores> {
  const eras = new Set([...truth.flat(), ...pairs.flatMap((p) => [p.a, p.b])].map(eraOf).filter((e): e is string => e !== null));
  return Object.fromEntries([...eras].sort().map((era) => [era, matchScores(truth, pairs, (ref) => eraOf(ref) === era)]));
}

/**
 * Why a true pair is missing from the final links (auto-links and true review pairs), first cause that
 * applies: `entry_not_found` (a scanned side has no extracted entry with its book, year and number: the
 * `entries` section's "found"), `not_compared_unsure` / `not_compared` (both entries there but never a
 * candidate pair; the first when a side's identifying fields or number were untrusted, so likely misread),
 * `below_review_unsure` / `below_review` (compared and decided a new record; the first when weighing its
 * untrusted comparisons in full would have reached the review threshold), `other` (a pair that was compared
 * and linked yet is missing, which only a slice through a cluster can give).
 */
export const LOST_CAUSES = ['entry_not_found', 'not_compared_unsure', 'not_compared', 'below_review_unsure', 'below_review', 'other'] as const;
export type LostCause = (typeof LOST_CAUSES)[number];

export interface LossCounts {
  truePairs: number;
  found: number;
  lost: Record<LostCause, number>;
  /** True pairs whose scanned entries were all found, and how many of them are found: recall once extraction has found the entries. */
  pairsWithEntries: number;
  recallWithEntries: number | null;
}

export interface LossInput {
  /** References of the truth entries extraction found. */
  found: ReadonlySet<string>;
  /** Of those, the ones whose identifying fields or entry number matching did not trust. */
  unsure: ReadonlySet<string>;
  /** Canonical pairs (`a|b`, a < b) decided `new` that would reach the review threshold with untrusted fields weighed in full. */
  cappedBelowReview: ReadonlySet<string>;
}

/** The true pairs of the truth closure that the final links miss, by cause (see LOST_CAUSES), overall and per era. */
export function lostPairs(truth: Array<[string, string]>, pairs: ScoredPair[], input: LossInput, eraOf: (ref: string) => string | null): LossCounts & { byEra: Record<string, LossCounts> } {
  const canonical = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const truthClosure = closurePairs(truth);
  const isTrue = (p: ScoredPair) => truthClosure.has(canonical(p.a, p.b));
  const finalLinks = closurePairs(pairs.filter((p) => p.decision === 'link' || (p.decision === 'review' && isTrue(p))).map((p): [string, string] => [p.a, p.b]));
  const compared = new Map<string, ScoredPair['decision']>();
  const rank = { link: 2, review: 1, new: 0 } as const;
  for (const p of pairs) {
    const key = canonical(p.a, p.b);
    const before = compared.get(key);
    if (before === undefined || rank[p.decision] > rank[before]) compared.set(key, p.decision);
  }
  const causeOf = (pair: string): LostCause | null => {
    if (finalLinks.has(pair)) return null;
    const refs = pair.split('|');
    const scans = refs.filter((r) => r.startsWith('scan:'));
    if (scans.some((r) => !input.found.has(r))) return 'entry_not_found';
    const decision = compared.get(pair);
    if (decision === undefined) return scans.some((r) => input.unsure.has(r)) ? 'not_compared_unsure' : 'not_compared';
    if (decision === 'new') return input.cappedBelowReview.has(pair) ? 'below_review_unsure' : 'below_review';
    return 'other';
  };
  const count = (keep: (ref: string) => boolean): LossCounts => {
    const lost = Object.fromEntries(LOST_CAUSES.map((c) => [c, 0])) as Record<LostCause, number>;
    let truePairs = 0;
    let found = 0;
    let pairsWithEntries = 0;
    let foundWithEntries = 0;
    for (const pair of truthClosure) {
      const refs = pair.split('|');
      if (!refs.some(keep)) continue;
      truePairs++;
      const cause = causeOf(pair);
      const entriesThere = refs.every((r) => !r.startsWith('scan:') || input.found.has(r));
      if (entriesThere) pairsWithEntries++;
      if (cause === null) {
        found++;
        if (entriesThere) foundWithEntries++;
      } else lost[cause]++;
    }
    return { truePairs, found, lost, pairsWithEntries, recallWithEntries: pairsWithEntries ? foundWithEntries / pairsWithEntries : null };
  };
  const eras = new Set([...truthClosure].flatMap((p) => p.split('|')).map(eraOf).filter((e): e is string => e !== null));
  return { ...count(() => true), byEra: Object.fromEntries([...eras].sort().map((era) => [era, count((ref) => eraOf(ref) === era)])) };
}
