/**
 * Rates from counts. A rate over nothing is `null`, never a made-up 0 or 1, so an empty slice of the
 * corpus cannot pass a target.
 */

/** Two-sided 95% normal quantile. */
const Z95 = 1.959964;

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

/**
 * Wilson score interval at 95% (z = 1.959964) for `k` successes in `n` trials; n = 0 gives the
 * uninformative {low: 0, high: 1}. Used with k = wrong auto-accepted fields, n = auto-accepted fields:
 * `high` is autoAcceptedErrorUpper95, which stays well above 0 on a small sample even with no error.
 *
 * @example
 * wilson95(0, 100);   // { low: 0, high: 0.03699… }
 * wilson95(3, 1000);  // { low: 0.00102…, high: 0.00878… }
 * wilson95(0, 0);     // { low: 0, high: 1 }
 */
export function wilson95(k: number, n: number): { low: number; high: number } {
  assertCount('k', k);
  assertCount('n', n);
  if (k > n) throw new RangeError(`k (${k}) must not exceed n (${n})`);
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At k = 0 (k = n) the bound is 0 (1) exactly; clamp so rounding cannot give -1e-18.
  return { low: k === 0 ? 0 : Math.max(0, centre - halfWidth), high: k === n ? 1 : Math.min(1, centre + halfWidth) };
}

/**
 * k / n, or null when n = 0.
 *
 * @example
 * ratio(3, 4); // 0.75
 * ratio(0, 0); // null
 */
export function ratio(k: number, n: number): number | null {
  if (!Number.isFinite(k) || !Number.isFinite(n) || n < 0) throw new RangeError(`ratio needs finite counts and n >= 0, got ${k}/${n}`);
  return n === 0 ? null : k / n;
}

/**
 * Precision = tp / predicted, recall = tp / actual, each null when its denominator is 0.
 * F1 = 2·tp / (predicted + actual), the harmonic mean of the two when both exist; it is 0 (not null)
 * when one side is empty and the other is not (nothing found, or only wrong ones), null only when
 * both are empty.
 *
 * @example
 * precisionRecall(3, 4, 6); // { precision: 0.75, recall: 0.5, f1: 0.6 }
 * precisionRecall(0, 0, 5); // { precision: null, recall: 0, f1: 0 }
 */
export function precisionRecall(truePositives: number, predicted: number, actual: number): { precision: number | null; recall: number | null; f1: number | null } {
  assertCount('truePositives', truePositives);
  assertCount('predicted', predicted);
  assertCount('actual', actual);
  if (truePositives > predicted || truePositives > actual) {
    throw new RangeError(`true positives (${truePositives}) cannot exceed predicted (${predicted}) or actual (${actual})`);
  }
  return {
    precision: ratio(truePositives, predicted),
    recall: ratio(truePositives, actual),
    f1: ratio(2 * truePositives, predicted + actual),
  };
}
