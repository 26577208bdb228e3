/**
 * Estimating the Fellegi–Sunter m and u probabilities from the data, without truth, as Splink does:
 * u (how often two records of different events show a level) from random pairs of records, which are
 * almost all of different events; m (how often records of one event show it) and the match share λ by
 * expectation–maximisation over candidate pairs (those sharing a blocking key), with u held fixed. Each
 * pair's comparison levels are taken as independent given match / non-match. src/match/train.ts runs
 * this on the database and stores the result as a model version.
 */
import type { ComparisonKind } from './compare.ts';
import type { MatchModel, MuTable } from './model.ts';

export interface Estimate {
  /** Share of candidate pairs that are matches. */
  lambda: number;
  /** comparison → level → { m, u, weight = log2(m/u) }. */
  levels: Record<string, Record<string, { m: number; u: number; weight: number }>>;
  iterations: number;
  /** Whether u was held at the random-pair estimate (else EM estimated it too). */
  uFixed: boolean;
}

export type Pair = readonly { comparison: string; kind: ComparisonKind; level: string }[];

/** Pseudo-count added to every level seen, so a rare level cannot reach ±∞. */
const SMOOTHING = 0.5;

/**
 * u of every level from comparisons of random record pairs (smoothed over the levels each comparison
 * showed there; a level never seen among random pairs gets the pseudo-count's share).
 */
export function estimateU(randomPairs: readonly Pair[]): Record<string, Record<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const pair of randomPairs) {
    for (const c of pair) {
      const levels = counts.get(c.comparison) ?? counts.set(c.comparison, new Map()).get(c.comparison)!;
      levels.set(c.level, (levels.get(c.level) ?? 0) + 1);
    }
  }
  const u: Record<string, Record<string, number>> = {};
  for (const [comparison, levels] of counts) {
    const total = [...levels.values()].reduce((a, b) => a + b, 0);
    u[comparison] = Object.fromEntries([...levels].map(([level, n]) => [level, n / total]));
  }
  return u;
}

/**
 * Runs EM from the model's m/u for `iterations` rounds or until λ and every m move less than 1e-6. With
 * `u` (from estimateU) u stays fixed where that table has the comparison, and a level it lacks gets a
 * small u (never seen among random pairs: rarer than 1 in the number of random pairs); without it, EM
 * estimates u too.
 *
 * @example estimateWeights(candidatePairs, DEFAULT_MODEL, { u: estimateU(randomPairs) }).levels.fullName.exact
 */
export function estimateWeights(pairs: readonly Pair[], model: MatchModel, options: { u?: Record<string, Record<string, number>>; randomPairs?: number; iterations?: number } = {}): Estimate {
  const iterations = options.iterations ?? 50;
  const levelsOf = new Map<string, { kind: ComparisonKind; levels: Set<string> }>();
  for (const pair of pairs) {
    for (const c of pair) (levelsOf.get(c.comparison) ?? levelsOf.set(c.comparison, { kind: c.kind, levels: new Set() }).get(c.comparison)!).levels.add(c.level);
  }
  const unseenU = 1 / (2 * Math.max(1, options.randomPairs ?? 1000));
  const m = new Map<string, number>();
  const u = new Map<string, number>();
  const fixedU = (comparison: string, level: string): number | undefined => {
    const table = options.u?.[comparison];
    return table ? (table[level] ?? unseenU) : undefined;
  };
  for (const [comparison, { kind, levels }] of levelsOf) {
    for (const level of levels) {
      const [m0, u0] = model.mu(comparison, kind, level);
      m.set(`${comparison}|${level}`, m0);
      u.set(`${comparison}|${level}`, fixedU(comparison, level) ?? u0);
    }
  }
  let lambda = 0.5;
  let done = 0;
  for (let i = 0; i < iterations; i++) {
    done = i + 1;
    // E: each pair's probability of being a match
    const logPrior = Math.log2(lambda / (1 - lambda));
    const posterior = pairs.map((pair) => {
      const logOdds = pair.reduce((sum, c) => sum + Math.log2(m.get(`${c.comparison}|${c.level}`)! / u.get(`${c.comparison}|${c.level}`)!), logPrior);
      return 1 / (1 + 2 ** -Math.max(-60, Math.min(60, logOdds)));
    });
    // M: m (and u when not fixed) as the posterior-weighted share of each level
    const mCount = new Map<string, number>();
    const uCount = new Map<string, number>();
    pairs.forEach((pair, j) => {
      const p = posterior[j]!;
      for (const c of pair) {
        const key = `${c.comparison}|${c.level}`;
        mCount.set(key, (mCount.get(key) ?? 0) + p);
        uCount.set(key, (uCount.get(key) ?? 0) + 1 - p);
      }
    });
    const nextLambda = Math.min(1 - 1e-6, Math.max(1e-6, posterior.reduce((a, b) => a + b, 0) / Math.max(1, pairs.length)));
    let moved = Math.abs(nextLambda - lambda);
    lambda = nextLambda;
    for (const [comparison, { levels }] of levelsOf) {
      const mTotal = [...levels].reduce((sum, level) => sum + (mCount.get(`${comparison}|${level}`) ?? 0), 0) + SMOOTHING * levels.size;
      const uTotal = [...levels].reduce((sum, level) => sum + (uCount.get(`${comparison}|${level}`) ?? 0), 0) + SMOOTHING * levels.size;
      for (const level of levels) {
        const key = `${comparison}|${level}`;
        const next = ((mCount.get(key) ?? 0) + SMOOTHING) / mTotal;
        moved = Math.max(moved, Math.abs(next - m.get(key)!));
        m.set(key, next);
        if (fixedU(comparison, level) === undefined) u.set(key, ((uCount.get(key) ?? 0) + SMOOTHING) / uTotal);
      }
    }
    if (moved < 1e-6) break;
  }
  const levels: Estimate['levels'] = {};
  for (const [comparison, seen] of levelsOf) {
    levels[comparison] = {};
    for (const level of seen.levels) {
      const [mi, ui] = [m.get(`${comparison}|${level}`)!, u.get(`${comparison}|${level}`)!];
      levels[comparison]![level] = { m: round(mi), u: round(ui), weight: round(Math.log2(mi / ui)) };
    }
  }
  return { lambda: round(lambda), levels, iterations: done, uFixed: options.u !== undefined };
}

/** The m/u table of an estimate, unrounded enough to keep small u apart, for createModel. */
export function muTable(estimate: Estimate): MuTable {
  return Object.fromEntries(Object.entries(estimate.levels).map(([comparison, levels]) => [comparison, Object.fromEntries(Object.entries(levels).map(([level, e]) => [level, [e.m, e.u] as const]))]));
}

const round = (x: number) => Number(x.toPrecision(4));
