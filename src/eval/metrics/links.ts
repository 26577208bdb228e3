/**
 * "Same event" link metrics (EVALUATION.md §2, match): pairwise precision/recall/F1 over the transitive
 * closure of links.
 */
import { precisionRecall } from './counts.ts';

/** Joins the two references of a canonical pair; references must not contain it. */
const PAIR_SEPARATOR = '|';

/**
 * Transitive closure of "same event" pairs: references joined by any chain of pairs form one cluster
 * (union-find), and the result holds every unordered pair within each cluster as `"a|b"` with a < b
 * (string order). A cluster of k references yields k(k−1)/2 pairs; a pair `[a, a]` yields none.
 * A reference containing "|" throws RangeError, since its pair string would be ambiguous.
 *
 * @example
 * closurePairs([['a', 'b'], ['c', 'b']]); // Set { 'a|b', 'a|c', 'b|c' }
 */
export function closurePairs(pairs: Array<[string, string]>): Set<string> {
  const index = new Map<string, number>();
  const parent: number[] = [];
  const size: number[] = [];
  const node = (reference: string): number => {
    let at = index.get(reference);
    if (at === undefined) {
      if (reference.includes(PAIR_SEPARATOR)) throw new RangeError(`link reference ${JSON.stringify(reference)} contains "${PAIR_SEPARATOR}"`);
      at = parent.length;
      index.set(reference, at);
      parent.push(at);
      size.push(1);
    }
    return at;
  };
  const root = (at: number): number => {
    while (parent[at] !== at) {
      parent[at] = parent[parent[at]!]!; // path halving
      at = parent[at]!;
    }
    return at;
  };
  for (const [a, b] of pairs) {
    let rootA = root(node(a));
    let rootB = root(node(b));
    if (rootA === rootB) continue;
    if (size[rootA]! < size[rootB]!) [rootA, rootB] = [rootB, rootA];
    parent[rootB] = rootA;
    size[rootA]! += size[rootB]!;
  }

  const clusters = new Map<number, string[]>();
  for (const [reference, at] of index) {
    const cluster = clusters.get(root(at));
    if (cluster) cluster.push(reference);
    else clusters.set(root(at), [reference]);
  }
  const closed = new Set<string>();
  for (const cluster of clusters.values()) {
    cluster.sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
    for (let i = 0; i < cluster.length; i++) {
      for (let j = i + 1; j < cluster.length; j++) closed.add(cluster[i] + PAIR_SEPARATOR + cluster[j]);
    }
  }
  return closed;
}

/**
 * Pairwise link scores: both the truth links and the predicted links are closed transitively
 * (`closurePairs`), because linked records end up as one event whichever pair made the link; so a
 * wrong link that joins two clusters costs every pair it creates. Precision = correct / predicted
 * pairs; recall = correct / ALL true pairs, including those the matcher never compared. Rates are
 * null when their denominator is 0 (see `precisionRecall`).
 *
 * @example
 * linkScores([['a', 'b'], ['b', 'c']], [['a', 'b'], ['c', 'd']]);
 * // { precision: 0.5, recall: 0.333…, f1: 0.4, truePairs: 3, predictedPairs: 2, correctPairs: 1 }
 */
export function linkScores(
  truth: Array<[string, string]>,
  predicted: Array<[string, string]>,
): { precision: number | null; recall: number | null; f1: number | null; truePairs: number; predictedPairs: number; correctPairs: number } {
  const truePairs = closurePairs(truth);
  const predictedPairs = closurePairs(predicted);
  const [smaller, larger] = truePairs.size <= predictedPairs.size ? [truePairs, predictedPairs] : [predictedPairs, truePairs];
  let correctPairs = 0;
  for (const pair of smaller) if (larger.has(pair)) correctPairs++;
  return {
    ...precisionRecall(correctPairs, predictedPairs.size, truePairs.size),
    truePairs: truePairs.size,
    predictedPairs: predictedPairs.size,
    correctPairs,
  };
}
