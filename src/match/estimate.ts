/**
 * Expectation–maximisation of the Fellegi–Sunter m and u probabilities from candidate pairs alone (no
 * truth), as Splink does: each pair's comparison levels are taken as independent given match/non-match.
 * Used to check the model's m/u (src/match/model.ts) against the data: `civreg eval --match-only` reports
 * the estimate beside the model's weights.
 */
import type { Comparison } from './compare.ts';
import type { MatchModel } from './model.ts';

export interface Estimate {
  /** Share of candidate pairs that are matches. */
  lambda: number;
  /** comparison → level → { m, u, weight = log2(m/u) }. */
  levels: Record<string, Record<string, { m: number; u: number; weight: number }>>;
  iterations: number;
}

type Pair = Pick<Comparison, 'comparison' | 'kind' | 'level'>[];

/**
 * Runs EM from the model's m/u (its weights, read back as m/u = 2^weight with m + u unknown: the start
 * only needs the right direction) for `iterations` rounds. Levels seen fewer than `minCount` times keep
 * a smoothed estimate (add-one), so one rare level cannot reach ±∞.
 *
 * @example estimateWeights(pairs.map((p) => p.explanation), DEFAULT_MODEL).levels.fullName.exact.weight
 */
export function estimateWeights(pairs: Pair[], model: MatchModel, iterations = 30): Estimate {
  const levelsOf = new Map<string, Set<string>>();
  for (const pair of pairs) for (const c of pair) (levelsOf.get(c.comparison) ?? levelsOf.set(c.comparison, new Set()).get(c.comparison)!).add(c.level);
  // Start: a pair is a match with the model's probability.
  let lambda = 0.5;
  let weights = new Map<string, number>();
  for (const pair of pairs) for (const c of pair) weights.set(`${c.comparison}|${c.level}`, model.weight(c.comparison, c.kind, c.level));
  let estimate: Estimate = { lambda, levels: {}, iterations: 0 };
  for (let i = 0; i < iterations; i++) {
    const posterior = pairs.map((pair) => {
      const logOdds = Math.log2(lambda / (1 - lambda)) + pair.reduce((sum, c) => sum + (weights.get(`${c.comparison}|${c.level}`) ?? 0), 0);
      return 1 / (1 + 2 ** -Math.max(-60, Math.min(60, logOdds)));
    });
    lambda = Math.min(1 - 1e-6, Math.max(1e-6, posterior.reduce((a, b) => a + b, 0) / Math.max(1, pairs.length)));
    const mCount = new Map<string, number>();
    const uCount = new Map<string, number>();
    const mTotal = new Map<string, number>();
    const uTotal = new Map<string, number>();
    pairs.forEach((pair, j) => {
      const p = posterior[j]!;
      for (const c of pair) {
        const key = `${c.comparison}|${c.level}`;
        mCount.set(key, (mCount.get(key) ?? 0) + p);
        uCount.set(key, (uCount.get(key) ?? 0) + 1 - p);
        mTotal.set(c.comparison, (mTotal.get(c.comparison) ?? 0) + p);
        uTotal.set(c.comparison, (uTotal.get(c.comparison) ?? 0) + 1 - p);
      }
    });
    weights = new Map();
    const levels: Estimate['levels'] = {};
    for (const [comparison, seen] of levelsOf) {
      levels[comparison] = {};
      for (const level of seen) {
        const key = `${comparison}|${level}`;
        // add-one smoothing over the levels seen
        const m = ((mCount.get(key) ?? 0) + 0.5) / ((mTotal.get(comparison) ?? 0) + 0.5 * seen.size);
        const u = ((uCount.get(key) ?? 0) + 0.5) / ((uTotal.get(comparison) ?? 0) + 0.5 * seen.size);
        weights.set(key, Math.log2(m / u));
        levels[comparison]![level] = { m: round(m), u: round(u), weight: round(Math.log2(m / u)) };
      }
    }
    estimate = { lambda: round(lambda), levels, iterations: i + 1 };
  }
  return estimate;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
