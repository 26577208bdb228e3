/**
 * Thresholds calibrated for precision first, from scored pairs whose truth is known (a labelled corpus's
 * truth entries matched against its existing records: `civreg eval --match-only` prints the result for the
 * hand-set and the EM weights). README "How matching decides" says how the chosen values were picked.
 */
import { wilson95 } from '../eval/metrics/counts.ts';
import type { MatchGuard } from './model.ts';

/** One scored candidate pair: its score, what would stop it being linked without a person, and the truth. */
export interface LabelledPair {
  score: number;
  guard: MatchGuard | null;
  same: boolean;
}

export interface CalibrationOptions {
  /** A link also needs the model's own probability of one event to reach this (0.995: the target). */
  minLinkProbability: number;
  /** Bits kept between the thresholds and the nearest pair that decided them. */
  margin: number;
}

export const CALIBRATION_DEFAULTS: CalibrationOptions = { minLinkProbability: 0.995, margin: 1 };

export interface Calibration {
  /** Lowest whole-bit link threshold above every pair of two events that the guards would let through (plus the margin), and not below the probability floor. */
  link: number;
  /** Highest whole-bit review threshold below every pair of one event (minus the margin), never above `link`. */
  review: number;
  /** Highest score of a pair of two events with no guard (the pairs a low link threshold would link wrongly). */
  highestWrongLinkable: number | null;
  /** Highest score of any pair of two events (the guards send those above `link` to a person). */
  highestWrong: number | null;
  /** Lowest score of a pair of one event. */
  lowestSame: number | null;
  /** These pairs decided with `link` and `review`. */
  pairs: number;
  autoLinks: number;
  wrongAutoLinks: number;
  /** Wilson 95% lower bound of the auto-link precision. */
  autoLinkPrecisionLow: number | null;
  /** Share of the pairs of one event that reach review or link (pairwise, no closure). */
  recall: number | null;
  reviewShare: number | null;
}

/**
 * Picks the thresholds (see Calibration) and measures them on the same pairs: the figure is optimistic by
 * construction (no wrong link above the chosen link threshold), so report figures from another corpus.
 *
 * @example calibrateThresholds([{ score: 20, guard: null, same: true }, { score: 3, guard: null, same: false }])
 * // { link: 8, review: 8, highestWrongLinkable: 3, lowestSame: 20, autoLinks: 1, wrongAutoLinks: 0, … }
 */
export function calibrateThresholds(pairs: readonly LabelledPair[], options: CalibrationOptions = CALIBRATION_DEFAULTS): Calibration {
  const wrongLinkable = pairs.filter((p) => !p.same && p.guard === null).map((p) => p.score);
  const sameScores = pairs.filter((p) => p.same).map((p) => p.score);
  const wrongScores = pairs.filter((p) => !p.same).map((p) => p.score);
  const highestWrongLinkable = wrongLinkable.length ? Math.max(...wrongLinkable) : null;
  const lowestSame = sameScores.length ? Math.min(...sameScores) : null;
  const floor = Math.ceil(Math.log2(options.minLinkProbability / (1 - options.minLinkProbability)));
  const link = Math.max(floor, highestWrongLinkable === null ? floor : Math.floor(highestWrongLinkable + options.margin) + 1);
  const review = Math.min(link, lowestSame === null ? link : Math.floor(lowestSame - options.margin));
  const linked = pairs.filter((p) => p.score >= link && p.guard === null);
  const wrong = linked.filter((p) => !p.same).length;
  const reviewed = pairs.filter((p) => p.score >= review && !(p.score >= link && p.guard === null)).length;
  return {
    link,
    review,
    highestWrongLinkable,
    highestWrong: wrongScores.length ? Math.max(...wrongScores) : null,
    lowestSame,
    pairs: pairs.length,
    autoLinks: linked.length,
    wrongAutoLinks: wrong,
    autoLinkPrecisionLow: linked.length ? 1 - wilson95(wrong, linked.length).high : null,
    recall: sameScores.length ? sameScores.filter((s) => s >= review).length / sameScores.length : null,
    reviewShare: pairs.length ? reviewed / pairs.length : null,
  };
}
